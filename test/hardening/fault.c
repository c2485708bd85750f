/* SPDX-License-Identifier: MIT */
/* berth-fault.so: an LD_PRELOAD shim, built for tests only, that makes one chosen privileged
 * call of berth-exec fail, to prove that no failing step lets the payload run.
 *
 *   BERTH_FAULT=NAME:N[:ERRNO]  the N-th call of NAME fails with ERRNO (default EPERM)
 *   BERTH_FAULT_LOG=PATH        every intercepted call is appended as "NAME N" (and
 *                               "NAME N injected" for the one made to fail)
 *
 * NAMEs: mount umount2 open_tree move_mount mount_setattr setns sethostname setgroups
 * setresgid setresuid execve chdir fchdir fork, spawn (libc's clone(), the init shim's), the
 * raw system calls clone pivot_root capset seccomp openat2 execveat (made through syscall()), and the prctl options
 * prctl-bounding (PR_CAPBSET_DROP), prctl-keepcaps (PR_SET_KEEPCAPS), prctl-ambient (PR_CAP_AMBIENT) and prctl-nnp
 * (PR_SET_NO_NEW_PRIVS), ioctl-ifflags (SIOCGIFFLAGS/SIOCSIFFLAGS: bringing lo up), and fsopen fsconfig fsmount (a
 * procfs of a joined PID namespace).
 *
 * Counters live in the process's memory, so a child made by clone() inherits them: "the 3rd
 * mount" means the 3rd in the order berth-exec makes them, whichever process makes it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/mount.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <linux/sockios.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOG_FD 987 /* high, so berth-exec's own descriptors never collide with it */

static struct {
        char name[32];
        long nth;
        int error;
        bool active;
        bool logging;
} fault;

static struct {
        const char *name;
        long count;
} counters[] = {
        {"mount", 0},         {"umount2", 0},     {"open_tree", 0},      {"move_mount", 0},
        {"mount_setattr", 0}, {"setns", 0},       {"sethostname", 0},    {"setgroups", 0},
        {"setresgid", 0},     {"setresuid", 0},   {"execve", 0},         {"chdir", 0},
        {"fchdir", 0},        {"clone", 0},       {"pivot_root", 0},     {"capset", 0},
        {"seccomp", 0},       {"openat2", 0},     {"prctl-bounding", 0}, {"prctl-keepcaps", 0},
        {"prctl-ambient", 0}, {"prctl-nnp", 0},   {"clone3", 0},         {"unshare", 0},
        {"fork", 0},          {"spawn", 0}      , {"execveat", 0},
        {"ioctl-ifflags", 0},
        {"fsopen", 0},        {"fsconfig", 0},    {"fsmount", 0},
};

__attribute__((constructor)) static void fault_init(void) {
        const char *spec = getenv("BERTH_FAULT"), *log = getenv("BERTH_FAULT_LOG");

        if (log && *log) {
                int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
                /* kept at a fixed high number: still writable after pivot_root */
                if (fd >= 0 && dup3(fd, LOG_FD, O_CLOEXEC) >= 0)
                        fault.logging = true;
                if (fd >= 0)
                        close(fd);
        }
        if (spec && *spec) {
                char errname[32] = "";
                int n = sscanf(spec, "%31[^:]:%ld:%31s", fault.name, &fault.nth, errname);
                if (n < 2 || fault.nth < 1) {
                        fprintf(stderr, "berth-fault: bad BERTH_FAULT '%s' (want NAME:N[:ERRNO])\n", spec);
                        abort();
                }
                fault.error = n == 3 ? atoi(errname) : EPERM;
                if (fault.error <= 0)
                        fault.error = EPERM;
                fault.active = true;
        }
}

static void log_line(const char *name, long n, const char *detail, bool injected) {
        char line[160];
        int len;
        if (!fault.logging)
                return;
        len = snprintf(line, sizeof(line), "%s %ld%s%s\n", name, n, injected ? " injected" : detail ? " " : "",
                       injected ? "" : detail ? detail : "");
        (void) !write(LOG_FD, line, (size_t) len);
}

/* Counts the call; true if this one must fail (errno is then set). detail (may be NULL) is
 * logged with the call, so a test can tell calls of the same name apart. */
static bool hit_detail(const char *name, const char *detail) {
        for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
                if (strcmp(counters[i].name, name) != 0)
                        continue;
                long n = ++counters[i].count;
                bool inject = fault.active && strcmp(fault.name, name) == 0 && n == fault.nth;
                log_line(name, n, detail, inject);
                if (inject)
                        errno = fault.error;
                return inject;
        }
        return false;
}

static bool hit(const char *name) {
        return hit_detail(name, NULL);
}

#define NEXT(fn) ((__typeof__(&fn)) dlsym(RTLD_NEXT, #fn))

int mount(const char *source, const char *target, const char *type, unsigned long flags, const void *data) {
        char detail[64];
        snprintf(detail, sizeof(detail), "type=%s", type ? type : (flags & MS_REMOUNT) ? "remount" : "none");
        return hit_detail("mount", detail) ? -1 : NEXT(mount)(source, target, type, flags, data);
}
int umount2(const char *target, int flags) {
        return hit("umount2") ? -1 : NEXT(umount2)(target, flags);
}
int open_tree(int dfd, const char *path, unsigned flags) {
        return hit("open_tree") ? -1 : NEXT(open_tree)(dfd, path, flags);
}
int move_mount(int from_dfd, const char *from, int to_dfd, const char *to, unsigned flags) {
        return hit("move_mount") ? -1 : NEXT(move_mount)(from_dfd, from, to_dfd, to, flags);
}
int mount_setattr(int dfd, const char *path, unsigned flags, struct mount_attr *attr, size_t size) {
        return hit("mount_setattr") ? -1 : NEXT(mount_setattr)(dfd, path, flags, attr, size);
}
int setns(int fd, int nstype) {
        return hit("setns") ? -1 : NEXT(setns)(fd, nstype);
}
int unshare(int flags) {
        return hit("unshare") ? -1 : NEXT(unshare)(flags);
}
int sethostname(const char *name, size_t len) {
        return hit("sethostname") ? -1 : NEXT(sethostname)(name, len);
}
int setgroups(size_t n, const gid_t *groups) {
        return hit("setgroups") ? -1 : NEXT(setgroups)(n, groups);
}
int setresgid(gid_t r, gid_t e, gid_t s) {
        return hit("setresgid") ? -1 : NEXT(setresgid)(r, e, s);
}
int setresuid(uid_t r, uid_t e, uid_t s) {
        return hit("setresuid") ? -1 : NEXT(setresuid)(r, e, s);
}
int execve(const char *path, char *const argv[], char *const envp[]) {
        return hit("execve") ? -1 : NEXT(execve)(path, argv, envp);
}
pid_t fork(void) {
        return hit("fork") ? -1 : NEXT(fork)();
}
/* libc's clone(): the init shim spawns the payload with it (CLONE_VM | CLONE_VFORK). */
int clone(int (*fn)(void *), void *stack, int flags, void *arg, ...) {
        void *parent_tid, *tls, *child_tid;
        va_list ap;

        va_start(ap, arg);
        parent_tid = va_arg(ap, void *);
        tls = va_arg(ap, void *);
        child_tid = va_arg(ap, void *);
        va_end(ap);
        return hit("spawn") ? -1 : NEXT(clone)(fn, stack, flags, arg, parent_tid, tls, child_tid);
}
int chdir(const char *path) {
        return hit("chdir") ? -1 : NEXT(chdir)(path);
}
int fchdir(int fd) {
        return hit("fchdir") ? -1 : NEXT(fchdir)(fd);
}

int ioctl(int fd, unsigned long request, ...) {
        va_list ap;
        void *arg;

        va_start(ap, request);
        arg = va_arg(ap, void *);
        va_end(ap);
        if ((request == SIOCGIFFLAGS || request == SIOCSIFFLAGS) && hit("ioctl-ifflags"))
                return -1;
        return NEXT(ioctl)(fd, request, arg);
}

int prctl(int option, ...) {
        unsigned long a[4];
        const char *name = NULL;
        va_list ap;

        va_start(ap, option);
        for (int i = 0; i < 4; i++)
                a[i] = va_arg(ap, unsigned long);
        va_end(ap);
        switch (option) {
        case PR_CAPBSET_DROP:
                name = "prctl-bounding";
                break;
        case PR_SET_KEEPCAPS:
                name = "prctl-keepcaps";
                break;
        case PR_CAP_AMBIENT:
                if (a[0] == PR_CAP_AMBIENT_RAISE)
                        name = "prctl-ambient";
                break;
        case PR_SET_NO_NEW_PRIVS:
                name = "prctl-nnp";
                break;
        }
        if (name && hit(name))
                return -1;
        return NEXT(prctl)(option, a[0], a[1], a[2], a[3]);
}

long syscall(long nr, ...) {
        long a[6];
        const char *name = NULL;
        va_list ap;

        va_start(ap, nr);
        for (int i = 0; i < 6; i++)
                a[i] = va_arg(ap, long);
        va_end(ap);
        switch (nr) {
        case SYS_clone:
                name = "clone";
                break;
        case SYS_clone3:
                name = "clone3";
                break;
        case SYS_pivot_root:
                name = "pivot_root";
                break;
        case SYS_capset:
                name = "capset";
                break;
        case SYS_seccomp:
                name = "seccomp";
                break;
        case SYS_openat2:
                name = "openat2";
                break;
        case SYS_setns:
                name = "setns";
                break;
        case SYS_mount:
                name = "mount";
                break;
        case SYS_execveat:
                name = "execveat";
                break;
        }
        if (name && hit(name))
                return -1;
        /* clone without a new stack returns here twice, once in each process: fine, nothing
         * below depends on which. */
        return NEXT(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* The new mount API's context calls (the procfs of a joined PID namespace). */
int fsopen(const char *fs_name, unsigned int flags) {
        return hit("fsopen") ? -1 : NEXT(fsopen)(fs_name, flags);
}
int fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux) {
        return hit("fsconfig") ? -1 : NEXT(fsconfig)(fd, cmd, key, value, aux);
}
int fsmount(int fd, unsigned int flags, unsigned int attr_flags) {
        return hit("fsmount") ? -1 : NEXT(fsmount)(fd, flags, attr_flags);
}
