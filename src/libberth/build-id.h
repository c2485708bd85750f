/* SPDX-License-Identifier: MIT */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The running program's ELF build ID (the linker's NT_GNU_BUILD_ID note): a digest of the
 * whole executable, so it changes with any change to the code or data linked into it.
 * 0 and a pointer into the mapped image (valid for the process's lifetime), or -ENOENT
 * when the program was linked without one. */
int self_build_id(const uint8_t **ret, size_t *ret_len);
