/* SPDX-License-Identifier: MIT */
#include "privileges.h"

#include <errno.h>
#include <grp.h>
#include <strings.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capability.h"
#include "log.h"

#define BIT(c) (UINT64_C(1) << (c))

uint64_t caps_read_bounding(int last_cap) {
        uint64_t set = 0;
        for (int c = 0; c <= last_cap && c < 64; c++)
                if (prctl(PR_CAPBSET_READ, (unsigned long) c, 0, 0, 0) > 0)
                        set |= BIT(c);
        return set;
}

int caps_compute(const struct berth_spec *s, int last_cap, uint64_t *ret) {
        const struct berth_loc add_loc = {.key = "--cap-add"}, drop_loc = {.key = "--cap-drop"};
        uint64_t set, bounding = caps_read_bounding(last_cap), missing;
        bool add_all = false;
        int r;

        r = capset_from_lists(s->cap_add, s->cap_drop, last_cap, &add_loc, &drop_loc, &set);
        if (r < 0)
                return r;
        STRV_FOREACH(n, s->cap_add)
                if (strcasecmp(*n, "ALL") == 0 || strcasecmp(*n, "CAP_ALL") == 0)
                        add_all = true;

        if (add_all) {
                /* ALL: everything the kernel knows that we can hand on, less what was dropped
                 * and plus nothing: names added beside ALL must still be available. */
                uint64_t named = 0;
                STRV_FOREACH(n, s->cap_add) {
                        int c = capability_from_name(*n);
                        if (c >= 0)
                                named |= BIT(c);
                }
                missing = named & set & ~bounding;
                set &= bounding | named;
        } else
                missing = set & ~bounding;

        for (int c = 0; c < 64; c++)
                if (missing & BIT(c))
                        return log_errno(-EPERM,
                                         "capabilities: %s is not in berth-exec's own bounding set, so the container "
                                         "cannot have it",
                                         capability_to_name(c) ?: "(unknown)");
        *ret = set;
        return 0;
}

int caps_drop_bounding(uint64_t keep, int last_cap) {
        for (int c = 0; c <= last_cap && c < 64; c++) {
                if (keep & BIT(c))
                        continue;
                if (prctl(PR_CAPBSET_DROP, (unsigned long) c, 0, 0, 0) < 0 && errno != EINVAL)
                        return log_errno(negative_errno(), "drop bounding set: %s: %m",
                                         capability_to_name(c) ?: "(unknown)");
        }
        return 0;
}

int user_switch(const struct exec_user *u) {
        /* Without keep-caps, leaving uid 0 clears the permitted set that capset needs next. */
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return log_errno(negative_errno(), "user: PR_SET_KEEPCAPS: %m");
        if (setgroups(u->n_groups, u->groups) < 0)
                return log_errno(negative_errno(), "user: setgroups: %m");
        if (setresgid(u->gid, u->gid, u->gid) < 0)
                return log_errno(negative_errno(), "user: setresgid %u: %m", (unsigned) u->gid);
        if (setresuid(u->uid, u->uid, u->uid) < 0)
                return log_errno(negative_errno(), "user: setresuid %u: %m", (unsigned) u->uid);
        return 0;
}

int caps_apply(const struct berth_capsets *sets) {
        struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[2] = {};

        for (int i = 0; i < 2; i++) {
                data[i].effective = (uint32_t) (sets->effective >> (32 * i));
                data[i].permitted = (uint32_t) (sets->permitted >> (32 * i));
                data[i].inheritable = (uint32_t) (sets->inheritable >> (32 * i));
        }
        if (syscall(SYS_capset, &header, data) < 0)
                return log_errno(negative_errno(), "capabilities: capset: %m");
        return 0;
}

int caps_raise_ambient(uint64_t caps, int last_cap) {
        /* Ambient caps survive execve of a non-setuid file by a non-root user: the only way
         * such a payload keeps e.g. NET_BIND_SERVICE. They must be permitted and inheritable,
         * which caps_apply() made them (capsets_for_user() raises exactly those). */
        for (int c = 0; c <= last_cap && c < 64; c++) {
                if (!(caps & BIT(c)))
                        continue;
                if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long) c, 0, 0) < 0)
                        return log_errno(negative_errno(), "capabilities: raise ambient %s: %m",
                                         capability_to_name(c) ?: "(unknown)");
        }
        return 0;
}

int set_no_new_privs(void) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                return log_errno(negative_errno(), "no-new-privileges: %m");
        return 0;
}
