/* SPDX-License-Identifier: MIT */
/* Whole-spec rules of struct berth_spec: required settings, settings that contradict each other. */
#include "spec.h"

#include <errno.h>

struct mount_target {
        const char *target;
        bool tmpfs;
        size_t index;
};

static int compare_mount_targets(const void *x, const void *y) {
        const struct mount_target *a = x, *b = y;
        int c = strcmp(a->target, b->target);
        if (c)
                return c;
        if (a->tmpfs != b->tmpfs)
                return a->tmpfs ? 1 : -1;
        return (a->index > b->index) - (a->index < b->index);
}

/* The volume and tmpfs targets, sorted; (size_t) -1 when out of memory. */
static size_t mount_targets_sorted(const struct berth_spec *s, struct mount_target **ret) {
        size_t n = 0;
        struct mount_target *t = malloc((s->n_volumes + s->n_tmpfs + 1) * sizeof(*t));
        if (!t)
                return (size_t) -1;
        for (size_t i = 0; i < s->n_volumes; i++)
                t[n++] = (struct mount_target){s->volumes[i].target, false, i};
        for (size_t i = 0; i < s->n_tmpfs; i++)
                t[n++] = (struct mount_target){s->tmpfs[i].target, true, i};
        qsort(t, n, sizeof(*t), compare_mount_targets);
        *ret = t;
        return n;
}

int spec_validate(const struct berth_spec *s, const struct berth_loc *loc) {
        int r = 0, q;
        bool from_file = loc && loc->file;

#define RULE(cond, key_file, key_opt, ...)                                                                             \
        do {                                                                                                           \
                if (cond) {                                                                                            \
                        struct berth_loc _l = {.file = from_file ? loc->file : NULL,                                   \
                                               .key = from_file ? (key_file) : (key_opt)};                             \
                        q = log_syntax(&_l, -EINVAL, __VA_ARGS__);                                                     \
                        if (r == 0)                                                                                    \
                                r = q;                                                                                 \
                }                                                                                                      \
        } while (0)

        RULE(!s->rootfs, "RootDirectory", "--rootfs", "a root directory is required");
        RULE(strv_length(s->command) == 0, "Exec", "COMMAND", "a command to run is required");
        RULE(s->hostname && s->ns[BERTH_NS_UTS].mode != BERTH_NS_MODE_PRIVATE, "HostName", "--hostname",
             "setting a host name needs a private UTS namespace");
        RULE(s->init == BERTH_YES && s->ns[BERTH_NS_PID].mode != BERTH_NS_MODE_PRIVATE, "Init", "--init",
             "the init shim needs a private PID namespace");
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                RULE(s->name && s->ns[k].mode == BERTH_NS_MODE_CONTAINER && streq(s->ns[k].target, s->name),
                     k == BERTH_NS_PID   ? "PIDNamespace"
                     : k == BERTH_NS_NET ? "NetworkNamespace"
                     : k == BERTH_NS_IPC ? "IPCNamespace"
                                         : "UTSNamespace",
                     k == BERTH_NS_PID   ? "--pid"
                     : k == BERTH_NS_NET ? "--net"
                     : k == BERTH_NS_IPC ? "--ipc"
                                         : "--uts",
                     "a container cannot join its own namespace ('container:%s')", s->name);
        {
                /* mount targets sorted once (n log n: a description may hold thousands),
                 * then equal neighbours; volumes sort before tmpfs of the same target */
                _cleanup_free_ struct mount_target *t = NULL;
                size_t n = mount_targets_sorted(s, &t);
                if (n == (size_t) -1)
                        return -ENOMEM;
                for (size_t i = 0; i + 1 < n; i++) {
                        const struct mount_target *a = &t[i], *b = &t[i + 1];
                        if (!streq(a->target, b->target))
                                continue;
                        RULE(!a->tmpfs && !b->tmpfs, "Volume", "--volume", "two volumes are mounted at '%s'",
                             a->target);
                        RULE(!a->tmpfs && b->tmpfs, "Tmpfs", "--tmpfs", "a tmpfs and a volume are both mounted at '%s'",
                             a->target);
                }
        }
#undef RULE
        q = spec_validate_health(s, loc);
        if (r == 0)
                r = q;
        return r;
}
