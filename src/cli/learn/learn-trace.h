/* SPDX-License-Identifier: MIT */
#pragma once

/* berth learn's tracer: loads the BPF program (learn.bpf.c, embedded as a bpftool skeleton)
 * for one cgroup, and after the run turns its maps into capability events (fed to the
 * classifier) and the names of the system calls the payload made. Without BPF support in
 * the build, or without a kernel that lets us load it, trace_start() fails with one line
 * saying why. */

#include <stdint.h>
#include <stdio.h>

#include "learn/classify.h"

struct learn_trace;

/* Loads and attaches. On failure *ret_why (malloc'ed) says why in one line. */
int learn_trace_start(uint64_t cgroup_id, struct learn_trace **ret, char **ret_why);
/* Feeds every recorded capability check to res (and writes it to record, if not NULL, in
 * the format of learn_event_format()); adds the names of the system calls seen to *syscalls
 * (sorted, unique). *started tells whether the payload's execve was seen at all. */
int learn_trace_collect(struct learn_trace *t, struct learn_result *res, char ***syscalls, FILE *record, bool *started,
                        const char **ret_attach);
void learn_trace_free(struct learn_trace *t);
