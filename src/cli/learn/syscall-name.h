/* SPDX-License-Identifier: MIT */
#pragma once
/* malloc'ed name of system call nr on the native architecture, or NULL. */
char *learn_syscall_name(int nr);
