/* SPDX-License-Identifier: MIT */
#pragma once

/* berth learn's classifier: from the capability checks a traced run recorded, the
 * capabilities the payload really needed, and for each the system calls that needed it.
 * Pure: the events come from the BPF tracer (src/cli/learn-trace.c) or from a recorded
 * stream (learn_event_parse(), the unit tests). System calls are named, not numbered, so the
 * rules and the recordings read the same on every architecture. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "capability.h"

enum learn_audit {
        LEARN_AUDIT_UNKNOWN = -1, /* the attach point does not say (the cap_capable tracepoint) */
        LEARN_AUDIT_NO = 0,       /* a *_noaudit check: the kernel asked, nothing depended on it */
        LEARN_AUDIT_YES = 1,
};

/* One capability check (or `count` identical ones). */
struct learn_event {
        int cap;
        bool granted;
        enum learn_audit audit;
        bool borrowed;       /* made with credentials other than the task's own (override_creds) */
        const char *syscall; /* the system call it happened in; NULL: none (a page fault) */
        pid_t pid;
        uint64_t count;
};

/* Why a check was not kept. */
enum learn_verdict {
        LEARN_KEEP,
        LEARN_DROP_DENIED,     /* the check failed: the run worked without it */
        LEARN_DROP_NOAUDIT,    /* the kernel said it was a probe */
        LEARN_DROP_BORROWED,   /* someone else's credentials */
        LEARN_DROP_OVERCOMMIT, /* CAP_SYS_ADMIN asked by memory accounting (mmap, brk, execve, ...) */
        _LEARN_VERDICT_MAX,
};
const char *learn_verdict_to_string(enum learn_verdict v);

enum learn_verdict learn_classify_event(const struct learn_event *e);

struct learn_need {
        char **syscalls; /* sorted, unique */
        uint64_t checks; /* kept checks of this capability */
};

struct learn_result {
        uint64_t caps; /* the candidates: a bit per kept capability */
        struct learn_need need[BERTH_CAP_MAX];
        uint64_t dropped[_LEARN_VERDICT_MAX]; /* checks dropped, by reason */
        uint64_t noise_caps;                  /* capabilities only seen in dropped checks */
};

void learn_result_init(struct learn_result *r);
void learn_result_done(struct learn_result *r);
/* Feeds one event. -ENOMEM, -EINVAL (capability out of range). */
int learn_result_add(struct learn_result *r, const struct learn_event *e);

/* Recorded streams: one check a line,
 *   cap=dac_read_search granted=yes audit=unknown borrowed=no syscall=openat pid=7 count=1
 * (keys in any order; audit yes|no|unknown; syscall "-" for none; pid and count optional;
 * "#" starts a comment line). The event's syscall points into line, which is modified. */
int learn_event_parse(char *line, struct learn_event *ret);
/* The same format, for --record. Returns a malloc'ed line without newline, or NULL. */
char *learn_event_format(const struct learn_event *e);
/* Reads a whole stream; logs "FILE:LINE: ..." on a bad line. */
int learn_result_add_stream(struct learn_result *r, const char *text, const char *path);
