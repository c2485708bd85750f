/* SPDX-License-Identifier: MIT */
#pragma once

/* Paths inside the container's root, resolved by the kernel as if the root were "/"
 * (openat2 RESOLVE_IN_ROOT): a symlink in the root such as /proc -> /etc can never lead a
 * mount or a read outside it. */

#include <stdbool.h>
#include <sys/types.h>

/* Opens path (absolute or relative, interpreted inside rootfd) with flags (O_CLOEXEC is
 * added). Returns the fd or a negative errno; does not log. */
int inroot_open(int rootfd, const char *path, int flags);

/* The same without following any symlink (RESOLVE_NO_SYMLINKS): -ELOOP when a component is
 * one. Only for O_PATH opens (flags may add O_DIRECTORY). */
int inroot_open_nofollow(int rootfd, const char *path, int flags);

/* Makes path a directory inside the root, creating missing components (mode 0755).
 * Returns an O_PATH fd of it or a negative errno; does not log. */
int inroot_mkdir_p(int rootfd, const char *path);

/* Makes path a regular file inside the root (parents as directories), for bind-mounting a
 * file onto it. Returns an O_PATH fd or a negative errno; does not log. */
int inroot_touch(int rootfd, const char *path);

/* "/proc/self/fd/N": lets the classic mount(2) act on a directory we resolved safely. */
#define FD_PATH_MAX 32
const char *fd_path(int fd, char buf[static FD_PATH_MAX]);
