/* SPDX-License-Identifier: MIT */
#pragma once

/* The container's file system view, built in a fresh mount namespace and entered with
 * pivot_root. Every target inside the root is resolved with RESOLVE_IN_ROOT (inroot.h) and
 * mounted through its fd, so a symlink in the root cannot redirect a mount to the host.
 * Each function is one step of berth-exec's sequence and logs "step: reason" on failure. */

#include <stdbool.h>

#include "spec.h"

/* Where the notify socket appears inside the container with --notify. */
#define NOTIFY_SOCKET_INSIDE "/run/host/notify"

/* Our mounts must not propagate to the host, and pivot_root refuses a shared parent. */
int rootfs_make_mounts_private(void);
/* Binds the root directory onto itself (recursively) and returns an O_PATH fd of the bind. */
int rootfs_bind_root(const char *rootfs, int *ret_rootfd);
/* A root whose /proc, /sys or /dev is a symlink is refused. */
int rootfs_mount_proc(int rootfd);
/* Right after /proc is mounted: an O_PATH fd of it (never through a symlink), checked to be
 * procfs, for writing LSM attributes (procattr_write). */
int rootfs_open_proc(int rootfd, int *ret_proc_fd);
int rootfs_mount_sys(int rootfd);
/* tmpfs /dev (nodev) with null zero full random urandom tty bound from the host's /dev,
 * devpts (own instance) + ptmx, shm, mqueue.
 * file_label: SELinux context for the new file systems, or NULL. */
int rootfs_mount_dev(int rootfd, const char *file_label);
/* Device=: each host node must be a character or block device (before any side effect). */
int rootfs_check_devices(const struct berth_device *devices, size_t n);
/* Binds each host device node at its target below /dev. */
int rootfs_bind_devices(int rootfd, const struct berth_device *devices, size_t n);
/* The root, volumes and tmpfs are nodev; no mount target may lie on procfs or sysfs or
 * replace /proc, /sys, /dev or /dev/pts as a whole. */
int rootfs_mount_volumes(int rootfd, const struct berth_volume *volumes, size_t n);
int rootfs_mount_tmpfs(int rootfd, const struct berth_tmpfs *tmpfs, size_t n, const char *file_label);
/* Binds one host file (e.g. the notify socket) onto inside, creating it as an empty file. */
int rootfs_bind_file(int rootfd, const char *host_path, const char *inside);
/* Docker's masked paths: a directory gets an empty read-only tmpfs, a file /dev/null. */
int rootfs_mask_paths(int rootfd, char *const *paths, const char *file_label);
/* Docker's read-only paths: bound onto themselves read-only (recursively). */
int rootfs_readonly_paths(int rootfd, char *const *paths);
/* --read-only: the root mount itself (not volumes, tmpfs, /dev, /proc). */
int rootfs_make_root_readonly(int rootfd);
/* pivot_root into the root and detach the old one: nothing of the host's tree stays
 * reachable. */
int rootfs_pivot(int rootfd);
