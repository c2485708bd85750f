/* SPDX-License-Identifier: MIT */
#pragma once

/* --pid/--net/--ipc/--uts: which namespaces the container gets new (clone flags) and which
 * it joins (setns on a namespace file: another berth container's via its record, or a path). */

#include "spec.h"

struct ns_plan {
        unsigned long clone_flags;  /* CLONE_NEWNS always, plus every private kind */
        int join_fd[_BERTH_NS_MAX]; /* an open namespace file to join, or -1 */
        int own_pid_fd;             /* our PID namespace, to return to after a PID join */
        int proc_fs_fd;             /* a PID join: procfs of that namespace (fsopen, pidns=
                                     * set), or -1: the kernel has no pidns= and the join
                                     * is done before clone (ns_plan_joins_pid_early) */
        bool pid_late;              /* the PID namespace is joined by the container's
                                     * setup process itself (ns_plan_join_pid) */
};

/* Opens every namespace to join and checks it is of the right kind, before any side effect.
 * Logs "--net: ..." naming the option. */
int ns_plan_build(const struct berth_spec *s, const char *runtime_dir, struct ns_plan *ret);
/* setns() into each namespace to join but the PID namespace (see ns_plan_join_pid). */
int ns_plan_join(const struct ns_plan *p);
/* Joining another PID namespace (issue 11): the container's setup process stays in ours,
 * invisible to the other container, until it has pivoted and dropped its privileges; then
 * it joins (which applies to the children it creates next: the payload) and closes the
 * namespace file. No-op without a PID namespace to join. */
bool ns_plan_joins_pid(const struct ns_plan *p);
int ns_plan_join_pid(struct ns_plan *p);
/* The kernel cannot mount a procfs of another PID namespace (before 6.15): the PID namespace
 * is joined before clone, as it used to be, and ns_plan_restore_pid returns to ours. */
bool ns_plan_joins_pid_early(const struct ns_plan *p);
/* Mounts the joined PID namespace's procfs on ROOT/proc (nosuid, nodev, noexec), from
 * outside that namespace. Logs. */
int ns_mount_joined_proc(struct ns_plan *p, int rootfd);
/* Closes the namespace files already joined (all but the PID namespace's). */
void ns_plan_close_joined(struct ns_plan *p);
/* After the container is created: new children of ours are again in our own PID namespace
 * (nothing of ours, e.g. a sanitizer's helper thread, should be created inside the
 * container's). */
int ns_plan_restore_pid(const struct ns_plan *p);
void ns_plan_close(struct ns_plan *p);
int ns_clone_flag(enum berth_ns_kind kind);
