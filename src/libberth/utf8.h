/* SPDX-License-Identifier: MIT */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one (stray continuation,
 * overlong form, surrogate, beyond U+10FFFF, truncated). */
size_t utf8_sequence_length(const unsigned char *s);
/* s has len bytes: all of them valid UTF-8 (systemd ignores a unit line that is not). */
bool utf8_is_valid(const char *s, size_t len);
