/* SPDX-License-Identifier: MIT */
#pragma once

/* --pid/--net/--ipc/--uts: which namespaces the container gets new (clone flags) and which
 * it joins (setns on a namespace file: another berth container's via its record, or a path). */

#include "spec.h"

struct ns_plan {
        unsigned long clone_flags;     /* CLONE_NEWNS always, plus every private kind */
        int join_fd[_BERTH_NS_MAX];    /* an open namespace file to join, or -1 */
        int own_pid_fd;                /* our PID namespace, to return to after a PID join */
};

/* Opens every namespace to join and checks it is of the right kind, before any side effect.
 * Logs "--net: ..." naming the option. */
int ns_plan_build(const struct berth_spec *s, const char *runtime_dir, struct ns_plan *ret);
/* setns() into each namespace to join. A joined PID namespace applies to the children we
 * create next (the container), not to ourselves. */
int ns_plan_join(const struct ns_plan *p);
/* After the container is created: new children of ours are again in our own PID namespace
 * (nothing of ours, e.g. a sanitizer's helper thread, should be created inside the
 * container's). */
int ns_plan_restore_pid(const struct ns_plan *p);
void ns_plan_close(struct ns_plan *p);
int ns_clone_flag(enum berth_ns_kind kind);
