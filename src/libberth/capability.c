/* SPDX-License-Identifier: MIT */
#include "capability.h"

#include <errno.h>
#include <fcntl.h>
#include <strings.h>

/* Indexed by the kernel's numbers (linux/capability.h); spelled as pscap prints them.
 * Kept here rather than asked of libcap so the pure library has no dependency and
 * the names match what the user wrote in a description regardless of libcap's age. */
static const char *const capability_names[] = {
        [0] = "chown",
        [1] = "dac_override",
        [2] = "dac_read_search",
        [3] = "fowner",
        [4] = "fsetid",
        [5] = "kill",
        [6] = "setgid",
        [7] = "setuid",
        [8] = "setpcap",
        [9] = "linux_immutable",
        [10] = "net_bind_service",
        [11] = "net_broadcast",
        [12] = "net_admin",
        [13] = "net_raw",
        [14] = "ipc_lock",
        [15] = "ipc_owner",
        [16] = "sys_module",
        [17] = "sys_rawio",
        [18] = "sys_chroot",
        [19] = "sys_ptrace",
        [20] = "sys_pacct",
        [21] = "sys_admin",
        [22] = "sys_boot",
        [23] = "sys_nice",
        [24] = "sys_resource",
        [25] = "sys_time",
        [26] = "sys_tty_config",
        [27] = "mknod",
        [28] = "lease",
        [29] = "audit_write",
        [30] = "audit_control",
        [31] = "setfcap",
        [32] = "mac_override",
        [33] = "mac_admin",
        [34] = "syslog",
        [35] = "wake_alarm",
        [36] = "block_suspend",
        [37] = "audit_read",
        [38] = "perfmon",
        [39] = "bpf",
        [40] = "checkpoint_restore",
};

#define BIT(c) (UINT64_C(1) << (c))

uint64_t capability_docker_default(void) {
        return BIT(0) /* chown */ | BIT(1) /* dac_override */ | BIT(4) /* fsetid */ | BIT(3) /* fowner */ |
               BIT(27) /* mknod */ | BIT(13) /* net_raw */ | BIT(6) /* setgid */ | BIT(7) /* setuid */ |
               BIT(31) /* setfcap */ | BIT(8) /* setpcap */ | BIT(10) /* net_bind_service */ |
               BIT(18) /* sys_chroot */ | BIT(5) /* kill */ | BIT(29) /* audit_write */;
}

int capability_last_known(void) {
        return (int) ELEMENTSOF(capability_names) - 1;
}

int capability_from_name(const char *name) {
        const char *n = startswith_no_case(name, "CAP_");
        if (!n)
                n = name;
        for (size_t i = 0; i < ELEMENTSOF(capability_names); i++)
                if (strcasecmp(n, capability_names[i]) == 0)
                        return (int) i;
        return -EINVAL;
}

const char *capability_to_name(int cap) {
        if (cap < 0 || (size_t) cap >= ELEMENTSOF(capability_names))
                return NULL;
        return capability_names[cap];
}

uint64_t capability_all(int last_cap) {
        if (last_cap >= 63)
                return UINT64_MAX;
        return BIT(last_cap + 1) - 1;
}

static bool is_all(const char *name) {
        return strcasecmp(name, "ALL") == 0 || strcasecmp(name, "CAP_ALL") == 0;
}

static const char *nearest_name(const char *name) {
        const char *best = NULL;
        const char *n = startswith_no_case(name, "CAP_");
        if (!n)
                n = name;
        /* A hint only when it is plausibly a typo: about one edit per three characters, so
         * "SYS_TYPO" suggests sys_time but "NOPE" suggests nothing. */
        unsigned best_d = (unsigned) (strlen(n) + 1) / 3 + 1;
        for (size_t i = 0; i < ELEMENTSOF(capability_names); i++) {
                unsigned d = levenshtein(n, capability_names[i]);
                if (d < best_d) {
                        best_d = d;
                        best = capability_names[i];
                }
        }
        return best;
}

static int list_to_mask(char *const *names, int last_cap, const struct berth_loc *loc, bool *ret_all, uint64_t *ret) {
        uint64_t m = 0;
        bool all = false;

        STRV_FOREACH(n, names) {
                int c;
                if (is_all(*n)) {
                        all = true;
                        continue;
                }
                c = capability_from_name(*n);
                if (c < 0) {
                        const char *hint = nearest_name(*n);
                        if (hint)
                                return log_syntax(loc, -EINVAL, "unknown capability '%s' (did you mean '%s'?)", *n, hint);
                        return log_syntax(loc, -EINVAL, "unknown capability '%s'", *n);
                }
                if (last_cap >= 0 && c > last_cap)
                        return log_syntax(loc, -EOPNOTSUPP, "capability '%s' is not supported by the running kernel", *n);
                m |= BIT(c);
        }
        *ret_all = all;
        *ret = m;
        return 0;
}

int capability_list_validate(char *const *names, const struct berth_loc *loc) {
        bool all;
        uint64_t m;
        return list_to_mask(names, -1, loc, &all, &m);
}

int capset_from_lists(char *const *add, char *const *drop, int last_cap, const struct berth_loc *add_loc,
                      const struct berth_loc *drop_loc, uint64_t *ret) {
        uint64_t add_mask, drop_mask, every = capability_all(last_cap), set;
        bool add_all, drop_all;
        int r;

        r = list_to_mask(add, last_cap, add_loc, &add_all, &add_mask);
        if (r < 0)
                return r;
        r = list_to_mask(drop, last_cap, drop_loc, &drop_all, &drop_mask);
        if (r < 0)
                return r;

        if (add_all)
                /* ALL means every capability the kernel knows, less explicit drops. */
                set = every & ~drop_mask;
        else if (drop_all)
                set = add_mask;
        else
                set = ((capability_docker_default() & ~drop_mask) | add_mask);

        *ret = set & every;
        return 0;
}

void capsets_for_user(char *const *add, uint64_t set, bool root, struct berth_capsets *ret) {
        uint64_t named = 0;

        *ret = (struct berth_capsets){.bounding = set};
        if (root) {
                ret->permitted = ret->effective = set;
                return;
        }
        STRV_FOREACH(n, add) {
                int c;
                if (is_all(*n)) {
                        named = set;
                        break;
                }
                c = capability_from_name(*n);
                if (c >= 0 && c < 64)
                        named |= BIT(c);
        }
        named &= set;
        ret->permitted = ret->effective = ret->inheritable = ret->ambient = named;
}

char *capset_to_string(uint64_t set) {
        char *s = strdup("");
        for (int c = 0; c < 64 && s; c++) {
                const char *n;
                char *t;
                if (!(set & BIT(c)))
                        continue;
                n = capability_to_name(c);
                if (n)
                        t = *s ? strjoin(s, ", ", n) : strdup(n);
                else if (xasprintf(&t, *s ? "%s, %d" : "%s%d", s, c) < 0)
                        t = NULL;
                free(s);
                s = t;
        }
        return s;
}

int capability_read_last_cap(void) {
        char buf[32] = {0};
        int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
        ssize_t n;
        if (fd < 0)
                return capability_last_known();
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return capability_last_known();
        return atoi(buf);
}
