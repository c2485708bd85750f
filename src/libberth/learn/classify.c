/* SPDX-License-Identifier: MIT */
/* The classifier of berth learn (see classify.h). The rules, in order:
 *   - a denied check is not a need: the run got on without it (with every capability in the
 *     bounding set, a denial means the kernel asked in a user namespace the container made);
 *   - a check the kernel made with its noaudit flag is a probe (bcc's capable hides them too);
 *   - a check made with borrowed credentials is someone else's need (overlayfs's mounter,
 *     a kernel helper that overrides the creds);
 *   - CAP_SYS_ADMIN in memory accounting (__vm_enough_memory: mmap, brk, mprotect, mremap,
 *     shm, execve's stack, fork's copy of the address space, a write growing a tmpfs file,
 *     or a page fault growing the stack) is the overcommit heuristic asking whether root may dip into the reserve. The
 *     check is noaudit, but the tracepoint does not say so: inferred from the system call.
 * Everything else granted is a candidate; the prune loop then proves which are needed. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "learn/classify.h"
#include "log.h"
#include "util.h"

#define CAP_SYS_ADMIN_NR 21

static const char *const overcommit_syscalls[] = {
        "mmap",
        "mmap2",
        "brk",
        "mprotect",
        "mremap",
        "shmat",
        "shmget",
        "execve",
        "execveat",
        "clone",
        "clone3",
        "fork",
        "vfork",
        /* a write that grows a tmpfs file charges its pages (shmem_acct_blocks) */
        "write",
        "pwrite64",
        "writev",
        "pwritev",
        "pwritev2",
        "fallocate",
        "copy_file_range",
        "sendfile",
        "splice",
};

const char *learn_verdict_to_string(enum learn_verdict v) {
        static const char *const names[_LEARN_VERDICT_MAX] = {
                [LEARN_KEEP] = "kept",
                [LEARN_DROP_DENIED] = "denied",
                [LEARN_DROP_NOAUDIT] = "noaudit",
                [LEARN_DROP_BORROWED] = "borrowed credentials",
                [LEARN_DROP_OVERCOMMIT] = "overcommit accounting",
        };
        return v >= 0 && v < _LEARN_VERDICT_MAX ? names[v] : NULL;
}

static bool is_overcommit_check(const struct learn_event *e) {
        if (e->cap != CAP_SYS_ADMIN_NR)
                return false;
        if (!e->syscall)
                return true; /* a page fault growing the stack */
        for (size_t i = 0; i < ELEMENTSOF(overcommit_syscalls); i++)
                if (streq(e->syscall, overcommit_syscalls[i]))
                        return true;
        return false;
}

enum learn_verdict learn_classify_event(const struct learn_event *e) {
        if (!e->granted)
                return LEARN_DROP_DENIED;
        if (e->audit == LEARN_AUDIT_NO)
                return LEARN_DROP_NOAUDIT;
        if (e->borrowed)
                return LEARN_DROP_BORROWED;
        /* where the audit flag is known, an audited SYS_ADMIN in mmap is a real need */
        if (e->audit == LEARN_AUDIT_UNKNOWN && is_overcommit_check(e))
                return LEARN_DROP_OVERCOMMIT;
        return LEARN_KEEP;
}

void learn_result_init(struct learn_result *r) {
        *r = (struct learn_result){};
}

void learn_result_done(struct learn_result *r) {
        for (size_t i = 0; i < BERTH_CAP_MAX; i++)
                strv_free(r->need[i].syscalls);
        *r = (struct learn_result){};
}

static int need_add_syscall(struct learn_need *n, const char *name) {
        return strv_add_sorted(&n->syscalls, name);
}

int learn_result_add(struct learn_result *r, const struct learn_event *e) {
        uint64_t bit;
        enum learn_verdict v;

        if (e->cap < 0 || e->cap >= BERTH_CAP_MAX)
                return -EINVAL;
        bit = UINT64_C(1) << e->cap;
        v = learn_classify_event(e);
        if (v != LEARN_KEEP) {
                r->dropped[v] += e->count ? e->count : 1;
                if (!(r->caps & bit))
                        r->noise_caps |= bit;
                return 0;
        }
        r->caps |= bit;
        r->noise_caps &= ~bit;
        r->need[e->cap].checks += e->count ? e->count : 1;
        return need_add_syscall(&r->need[e->cap], e->syscall ? e->syscall : "-");
}

static int parse_yes_no(const char *v) {
        if (streq(v, "yes") || streq(v, "1"))
                return 1;
        if (streq(v, "no") || streq(v, "0"))
                return 0;
        return -EINVAL;
}

int learn_event_parse(char *line, struct learn_event *ret) {
        struct learn_event e = {.cap = -1, .audit = LEARN_AUDIT_UNKNOWN, .count = 1};
        bool have_granted = false, have_syscall = false;
        char *save = NULL;

        for (char *w = strtok_r(line, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
                char *v = strchr(w, '=');
                char *end;
                int b;

                if (!v)
                        return -EINVAL;
                *v++ = 0;
                if (streq(w, "cap")) {
                        e.cap = capability_from_name(v);
                        if (e.cap < 0)
                                return -EINVAL;
                } else if (streq(w, "granted") || streq(w, "borrowed")) {
                        b = parse_yes_no(v);
                        if (b < 0)
                                return -EINVAL;
                        if (streq(w, "granted")) {
                                e.granted = b;
                                have_granted = true;
                        } else
                                e.borrowed = b;
                } else if (streq(w, "audit")) {
                        if (streq(v, "unknown") || streq(v, "?"))
                                e.audit = LEARN_AUDIT_UNKNOWN;
                        else if ((b = parse_yes_no(v)) >= 0)
                                e.audit = b ? LEARN_AUDIT_YES : LEARN_AUDIT_NO;
                        else
                                return -EINVAL;
                } else if (streq(w, "syscall")) {
                        if (isempty(v))
                                return -EINVAL;
                        e.syscall = streq(v, "-") ? NULL : v;
                        have_syscall = true;
                } else if (streq(w, "pid") || streq(w, "count")) {
                        unsigned long long n;
                        errno = 0;
                        n = strtoull(v, &end, 10);
                        if (errno || end == v || *end)
                                return -EINVAL;
                        if (streq(w, "pid"))
                                e.pid = (pid_t) n;
                        else
                                e.count = n;
                } else
                        return -EINVAL;
        }
        if (e.cap < 0 || !have_granted || !have_syscall)
                return -EINVAL;
        *ret = e;
        return 0;
}

char *learn_event_format(const struct learn_event *e) {
        const char *name = capability_to_name(e->cap);
        char *s = NULL;

        if (!name)
                return NULL;
        if (xasprintf(&s, "cap=%s granted=%s audit=%s borrowed=%s syscall=%s pid=%d count=%llu", name,
                      e->granted ? "yes" : "no",
                      e->audit == LEARN_AUDIT_UNKNOWN ? "unknown"
                      : e->audit == LEARN_AUDIT_YES   ? "yes"
                                                      : "no",
                      e->borrowed ? "yes" : "no", e->syscall ? e->syscall : "-", (int) e->pid,
                      (unsigned long long) e->count) < 0)
                return NULL;
        return s;
}

int learn_result_add_stream(struct learn_result *r, const char *text, const char *path) {
        _cleanup_free_ char *copy = strdup(text);
        unsigned lineno = 0;
        int ret = 0;

        if (!copy)
                return -ENOMEM;
        for (char *line = copy, *next; line && *line; line = next) {
                struct learn_event e;
                const char *p;
                int k;

                next = strchr(line, '\n');
                if (next)
                        *next++ = 0;
                lineno++;
                p = line + strspn(line, " \t");
                if (*p == 0 || *p == '#')
                        continue;
                k = learn_event_parse(line, &e);
                if (k < 0) {
                        ret = log_errno(k, "%s:%u: not a capability check (cap=NAME granted=yes|no syscall=NAME ...)",
                                        path, lineno);
                        continue;
                }
                k = learn_result_add(r, &e);
                if (k < 0)
                        return k;
        }
        return ret;
}
