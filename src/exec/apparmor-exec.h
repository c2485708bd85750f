/* SPDX-License-Identifier: MIT */
#pragma once

/* AppArmor in berth-exec: which profile the container gets (berth-default where AppArmor is
 * on and nothing is named), that it is loaded (berth-default loaded from /etc/apparmor.d at
 * first use, or again when that file changed), and the change armed for the payload's exec. */

#include "spec.h"

struct apparmor_plan {
        char *profile; /* NULL: no change (AppArmor off, or unconfined asked for) */
};

/* Before the clone, on the host: decides, loads berth-default if needed, and fails (logged,
 * one line) when a named profile cannot be applied: AppArmor off, or the profile not loaded.
 * runtime_dir holds the record of when berth-default was last loaded. */
int apparmor_plan_build(const struct berth_spec *s, const char *runtime_dir, struct apparmor_plan *ret);
void apparmor_plan_done(struct apparmor_plan *p);
/* In the container, right after rootfs_mount_proc(): an O_PATH fd on rootfd's /proc, checked
 * to be procfs, for apparmor_apply_exec(). (Where rootfs_mount_proc() hands out the fd of
 * the procfs it mounted, that one serves and this step goes.) */
int apparmor_open_proc(int rootfd);
/* In the container, after the last other MAC step: writes "exec PROFILE" to the thread's
 * attr/apparmor/exec through proc_fd (berth-exec's own procfs). The next execve (berth-init's
 * and the payload's) enters the profile. */
int apparmor_apply_exec(const struct apparmor_plan *p, int proc_fd);
