/* SPDX-License-Identifier: MIT */
#pragma once

/* SELinux labels for containers (SPEC §3): built with libselinux's context API from the
 * policy's container contexts (selinux_lxc_contexts_path()), with type/user/role/level
 * applied; an MCS pair allocated when no level is given. Without libselinux at build time
 * or with SELinux off on the host, requested labels are ignored with a notice. */

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"

struct berth_label_plan {
        bool apply;          /* false: the payload runs unlabelled */
        char *process_label; /* full context for setexeccon(), NULL when !apply */
        char *file_label;    /* context for the container's mounts (context= option), NULL when !apply */
};

/* True when SELinux is enabled on this host (selinuxfs mounted, policy loaded). */
bool label_selinux_enabled(void);

/* Decides everything before the first side effect of berth-exec: logs a notice when labelling
 * is off (label=disable, --pid=host/--ipc=host, SELinux disabled), translates levels such as
 * TopSecret to raw form, allocates a unique random s0:cX,cY when no level was given (recorded
 * under runtime_dir/NAME/), and checks the result against the loaded policy. Fails (negative
 * errno, one logged line) when SELinux is enabled and the label cannot be built. */
int label_plan_build(const struct berth_spec *s, const char *runtime_dir, struct berth_label_plan *ret);

/* Labels one file with file_label (NULL: no-op). For mounts that cannot take a context=
 * option: the kernel creates an IPC namespace's mqueue superblock with the namespace, so a
 * later mount of it with different security options fails (EINVAL); its root is labelled
 * after mounting instead. */
int label_set_file(const char *path, const char *file_label);

/* The last step before execve: setexeccon(process_label). No-op when !apply. */
int label_plan_apply_exec(const struct berth_label_plan *p);

/* The level reserved by label_plan_build() is held by the calling process: it counts as in
 * use while that process lives. When berth-exec's parent exits while the container runs
 * (systemd follows MAINPID), it must first hand the reservation to the container's process.
 * No-op when !apply. */
int label_plan_hand_over(const struct berth_label_plan *p, const struct berth_spec *s, const char *runtime_dir,
                         pid_t holder);

/* Drops the MCS reservation made by label_plan_build() (when the container ends): ours, or
 * one whose holder is gone. */
void label_plan_release(const struct berth_spec *s, const char *runtime_dir);

void label_plan_done(struct berth_label_plan *p);

/* Syntax of a level (raw "s0:c1,c2", "s2", "s0-s3:c0.c127", or a translated name such as
 * "TopSecret"); pure, no policy needed. Used by the spec setter. */
bool label_level_is_valid(const char *level);
/* Syntax of a user/role/type name: [A-Za-z0-9_]+. */
bool label_name_is_valid(const char *name);

/* `berth verify`: with SELinux enabled, checks the labels berth-exec would build against the
 * loaded policy (security_check_context). Names the key of a user, type, file type or level
 * the policy does not define, else says the combination is invalid. Logs with loc's file. */
int label_check_live(const struct berth_spec *s, const struct berth_loc *loc);
