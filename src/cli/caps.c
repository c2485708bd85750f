/* SPDX-License-Identifier: MIT */
/* berth caps NAME: the capability sets of a running container's processes, by name, in
 * pscap's layout (ppid pid name command capabilities). The container is found through its
 * unit's MainPID and that process's descendants. berth-exec itself stays the main process
 * outside the container, with root's full set (and, when the output is a socket, its
 * berth-relay): processes still in this command's mount
 * namespace are outside the container (every container has its own), so they are left out. */
#include <errno.h>
#include <pwd.h>
#include <sys/stat.h>

#include "bus.h"
#include "capability.h"
#include "log.h"
#include "proc-caps.h"
#include "util.h"
#include "verbs.h"

static void print_user(uid_t uid) {
        struct passwd *pw = getpwuid(uid);
        char num[16];
        if (!pw)
                snprintf(num, sizeof(num), "%u", (unsigned) uid);
        printf("%-10s  ", pw ? pw->pw_name : num);
}

/* pscap prints "full" for every capability the kernel has. */
static char *caps_text(uint64_t set, uint64_t all) {
        if (set == 0)
                return strdup("(none)");
        if ((set & all) == all)
                return strdup("full");
        return capset_to_string(set);
}

static int print_process(const struct proc_caps *p, uint64_t all, bool all_sets) {
        static const char *const set_names[] = {"inheritable", "permitted", "effective", "bounding", "ambient"};
        const uint64_t sets[] = {p->inheritable, p->permitted, p->effective, p->bounding, p->ambient};
        _cleanup_free_ char *eff = caps_text(p->effective, all);

        if (!eff)
                return -ENOMEM;
        printf("%-5d %-5d ", (int) p->ppid, (int) p->pid);
        print_user(p->uid);
        printf("%-16s  %s\n", p->comm, eff);
        if (!all_sets)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
                _cleanup_free_ char *t = caps_text(sets[i], all);
                if (!t)
                        return -ENOMEM;
                printf("      %-12s %s\n", set_names[i], t);
        }
        return 0;
}

/* Whether pid lives in the mount namespace described by host_mnt. */
static bool in_mount_namespace(pid_t pid, const struct stat *host_mnt) {
        char path[64];
        struct stat st;

        snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int) pid);
        return stat(path, &st) == 0 && st.st_dev == host_mnt->st_dev && st.st_ino == host_mnt->st_ino;
}

static int container_main_pid(sd_bus *bus, const char *name, pid_t *ret) {
        _cleanup_free_ char *unit = unit_name_from_container(name), *path = NULL, *state = NULL;
        uint32_t pid = 0;
        int r;

        if (!unit || unit_object_path(unit, &path) < 0)
                return log_errno(-ENOMEM, "%m");
        r = bus_get_unit_string(bus, path, SYSTEMD_UNIT_IFACE, "LoadState", &state);
        if (r < 0)
                return log_errno(r, "%s: cannot ask systemd about it: %m", unit);
        if (!streq(state, "loaded"))
                return log_error("%s: no such unit (%s)", unit, state) ?: -ENOENT;
        r = bus_get_unit_u32(bus, path, SYSTEMD_SERVICE_IFACE, "MainPID", &pid);
        if (r < 0)
                return log_errno(r, "%s: cannot read its main PID: %m", unit);
        if (pid == 0)
                return log_error("%s: not running", unit) ?: -ESRCH;
        *ret = (pid_t) pid;
        return 0;
}

int verb_caps(int argc, char **argv) {
        bool all_sets = false, header_printed = false;
        struct stat host_mnt;
        sd_bus *bus = NULL;
        uint64_t all = capability_all(capability_read_last_cap());
        int ret = 0, i;

        log_set_ident("berth caps");
        for (i = 1; i < argc && argv[i][0] == '-'; i++) {
                if (streq(argv[i], "--all-sets") || streq(argv[i], "-a"))
                        all_sets = true;
                else if (streq(argv[i], "--help") || streq(argv[i], "-h")) {
                        printf("usage: berth caps [--all-sets] NAME...\n"
                               "  the capabilities of container NAME's processes, as pscap prints them\n"
                               "  --all-sets   also each process's inheritable, permitted, bounding and ambient sets\n");
                        return 0;
                } else {
                        log_error("unknown option '%s' (see --help)", argv[i]);
                        return 2;
                }
        }
        if (i >= argc) {
                log_error("which container? usage: berth caps [--all-sets] NAME...");
                return 2;
        }
        if (bus_connect_systemd(false, &bus) < 0)
                return 1;

        if (stat("/proc/self/ns/mnt", &host_mnt) < 0) {
                log_errno(negative_errno(), "cannot read /proc/self/ns/mnt: %m");
                sd_bus_flush_close_unref(bus);
                return 1;
        }

        for (; i < argc; i++) {
                unsigned shown = 0;
                _cleanup_free_ pid_t *pids = NULL;
                size_t n = 0;
                pid_t main_pid = 0;
                int r;

                if (container_main_pid(bus, argv[i], &main_pid) < 0) {
                        ret = 1;
                        continue;
                }
                r = proc_tree("/proc", main_pid, &pids, &n);
                if (r < 0) {
                        log_errno(r, "%s: cannot list its processes: %m", argv[i]);
                        ret = 1;
                        continue;
                }
                for (size_t j = 0; j < n; j++) {
                        struct proc_caps p;
                        if (in_mount_namespace(pids[j], &host_mnt))
                                continue;
                        r = proc_caps_read("/proc", pids[j], &p);
                        if (r == -ENOENT || r == -ESRCH)
                                continue; /* exited meanwhile */
                        if (r < 0) {
                                log_errno(r, "%s: cannot read /proc/%d/status: %m", argv[i], (int) pids[j]);
                                ret = 1;
                                continue;
                        }
                        if (!header_printed) {
                                printf("ppid  pid   name        command           capabilities\n");
                                header_printed = true;
                        }
                        if (print_process(&p, all, all_sets) < 0) {
                                ret = 1;
                                break;
                        }
                        shown++;
                }
                if (shown == 0) {
                        log_error("%s: no process inside the container (still starting?)", argv[i]);
                        ret = 1;
                }
        }
        sd_bus_flush_close_unref(bus);
        return ret;
}
