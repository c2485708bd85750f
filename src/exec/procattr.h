/* SPDX-License-Identifier: MIT */
#pragma once

/* LSM process attributes (/proc/thread-self/attr/...), written through the procfs berth-exec
 * mounted itself, never by path: a root whose /proc is a symlink, or a mount over /proc or
 * over one attribute file, would otherwise take the value into an ordinary file while the
 * write "succeeds" and the payload runs unconfined. */

/* Writes value to thread-self/attr/ATTR below proc_fd ("apparmor/exec" for AppArmor's profile
 * at the next exec, "exec" for SELinux's label), in one write(). proc_fd and the opened file
 * must both be procfs and no mount may be crossed on the way. 0 or a negative errno (-EXDEV:
 * not procfs); does not log. */
int procattr_write(int proc_fd, const char *attr, const char *value);
