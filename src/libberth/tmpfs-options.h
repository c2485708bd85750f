/* SPDX-License-Identifier: MIT */
#pragma once

/* Why the kernel would refuse a tmpfs option's value ("mode=99999": octal, at most 07777),
 * or NULL when it is fine or not an option with a value. */
const char *tmpfs_option_value_problem(const char *o);
