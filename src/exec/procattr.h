/* SPDX-License-Identifier: MIT */
#pragma once

/* LSM attributes (/proc/PID/attr/...) written through the procfs berth-exec itself mounted
 * for the container, never through whatever a path /proc resolves to. */

/* After rootfs_mount_proc(): an O_PATH fd on rootfd's /proc, checked to be a procfs. */
int procattr_open_proc(int rootfd);
/* Writes value to attr (e.g. "thread-self/attr/apparmor/exec") below proc_fd, in one
 * write(), refusing to leave that procfs mount (no other mount, no magic link) or to write
 * to anything that is not procfs. 0 or a negative errno; logs nothing. */
int procattr_write(int proc_fd, const char *attr, const char *value);
