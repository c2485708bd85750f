/* SPDX-License-Identifier: MIT */
#pragma once

/* LSM process attributes (/proc/thread-self/attr/...), written through the procfs berth
 * mounted itself, never by path: a root whose /proc is a symlink, or a mount over /proc or
 * over one attr file, would otherwise take the label into an ordinary file while the write
 * "succeeds" and the payload runs unconfined (CVE-2019-16884, CVE-2019-19921). */

/* Writes value to thread-self/attr/ATTR below proc_fd ("exec" for SELinux's exec label,
 * "apparmor/exec" for AppArmor's). Both proc_fd and the opened attribute file must be on
 * procfs, and no mount may be crossed on the way. Returns 0 or a negative errno (-EXDEV: the
 * file is not procfs's); does not log. */
int procattr_write(int proc_fd, const char *attr, const char *value);
