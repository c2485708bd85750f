/* SPDX-License-Identifier: MIT */
/* The built-in default profile: the same rules as Docker's default seccomp profile
 * (moby profiles/seccomp/default.json), written as a table. Everything not listed fails with
 * EPERM. Some rules depend on the container's final capability set, exactly as Docker's
 * "includes.caps"/"excludes.caps" do: a container granted CAP_SYS_ADMIN may mount, one
 * without it may only clone without namespace flags. */
#include <errno.h>
#include <linux/capability.h>
#include <sys/personality.h>

#include "capability.h"
#include "seccomp-internal.h"

#define CAP(c) (UINT64_C(1) << (c))
#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* clone's flags that create namespaces: NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET */
#define CLONE_NAMESPACE_FLAGS UINT64_C(0x7E020000)

enum arch_set {
        ARCH_ANY = 0,
        ARCH_X86_FAMILY = 1, /* amd64, x32, x86: modify_ldt */
        ARCH_X86_64_X32 = 2, /* amd64, x32: arch_prctl */
};

struct default_rule {
        const char *const *names;
        uint32_t action;
        struct scmp_arg_cmp args[2];
        unsigned n_args;
        uint64_t caps_all;  /* rule applies only if every one of these is held */
        uint64_t caps_none; /* rule applies only if none of these is held */
        enum arch_set arches;
        unsigned min_kernel_major, min_kernel_minor;
};

static const char *const allowed_always[] = {
        "accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk", "cachestat", "capget", "capset",
        "chdir", "chmod", "chown", "chown32", "clock_adjtime", "clock_adjtime64", "clock_getres",
        "clock_getres_time64", "clock_gettime", "clock_gettime64", "clock_nanosleep", "clock_nanosleep_time64",
        "close", "close_range", "connect", "copy_file_range", "creat", "dup", "dup2", "dup3", "epoll_create",
        "epoll_create1", "epoll_ctl", "epoll_ctl_old", "epoll_pwait", "epoll_pwait2", "epoll_wait",
        "epoll_wait_old", "eventfd", "eventfd2", "execve", "execveat", "exit", "exit_group", "faccessat",
        "faccessat2", "fadvise64", "fadvise64_64", "fallocate", "fanotify_mark", "fchdir", "fchmod", "fchmodat",
        "fchmodat2", "fchown", "fchown32", "fchownat", "fcntl", "fcntl64", "fdatasync", "fgetxattr", "flistxattr",
        "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstat64", "fstatat64", "fstatfs", "fstatfs64",
        "fsync", "ftruncate", "ftruncate64", "futex", "futex_requeue", "futex_time64", "futex_wait",
        "futex_waitv", "futex_wake", "futimesat", "getcpu", "getcwd", "getdents", "getdents64", "getegid",
        "getegid32", "geteuid", "geteuid32", "getgid", "getgid32", "getgroups", "getgroups32", "getitimer",
        "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom", "getresgid",
        "getresgid32", "getresuid", "getresuid32", "getrlimit", "get_robust_list", "getrusage", "getsid",
        "getsockname", "getsockopt", "get_thread_area", "gettid", "gettimeofday", "getuid", "getuid32",
        "getxattr", "inotify_add_watch", "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel",
        "ioctl", "io_destroy", "io_getevents", "io_pgetevents", "io_pgetevents_time64", "ioprio_get",
        "ioprio_set", "io_setup", "io_submit", "ipc", "kill", "landlock_add_rule", "landlock_create_ruleset",
        "landlock_restrict_self", "lchown", "lchown32", "lgetxattr", "link", "linkat", "listen", "listxattr",
        "llistxattr", "_llseek", "lremovexattr", "lseek", "lsetxattr", "lstat", "lstat64", "madvise",
        "map_shadow_stack", "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mknod",
        "mknodat", "mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect", "mq_getsetattr", "mq_notify",
        "mq_open", "mq_timedreceive", "mq_timedreceive_time64", "mq_timedsend", "mq_timedsend_time64",
        "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock", "munlockall",
        "munmap", "name_to_handle_at", "nanosleep", "newfstatat", "_newselect", "open", "openat", "openat2",
        "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect",
        "poll", "ppoll", "ppoll_time64", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
        "process_mrelease", "pselect6", "pselect6_time64", "pwrite64", "pwritev", "pwritev2", "read",
        "readahead", "readlink", "readlinkat", "readv", "recv", "recvfrom", "recvmmsg", "recvmmsg_time64",
        "recvmsg", "remap_file_pages", "removexattr", "rename", "renameat", "renameat2", "restart_syscall",
        "rmdir", "rseq", "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
        "rt_sigsuspend", "rt_sigtimedwait", "rt_sigtimedwait_time64", "rt_tgsigqueueinfo", "sched_getaffinity",
        "sched_getattr", "sched_getparam", "sched_get_priority_max", "sched_get_priority_min",
        "sched_getscheduler", "sched_rr_get_interval", "sched_rr_get_interval_time64", "sched_setaffinity",
        "sched_setattr", "sched_setparam", "sched_setscheduler", "sched_yield", "seccomp", "select", "semctl",
        "semget", "semop", "semtimedop", "semtimedop_time64", "send", "sendfile", "sendfile64", "sendmmsg",
        "sendmsg", "sendto", "setfsgid", "setfsgid32", "setfsuid", "setfsuid32", "setgid", "setgid32",
        "setgroups", "setgroups32", "setitimer", "setpgid", "setpriority", "setregid", "setregid32", "setresgid",
        "setresgid32", "setresuid", "setresuid32", "setreuid", "setreuid32", "setrlimit", "set_robust_list",
        "setsid", "setsockopt", "set_thread_area", "set_tid_address", "setuid", "setuid32", "setxattr", "shmat",
        "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4", "sigprocmask",
        "sigreturn", "socketcall", "socketpair", "splice", "stat", "stat64", "statfs", "statfs64", "statx",
        "symlink", "symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee", "tgkill", "time",
        "timer_create", "timer_delete", "timer_getoverrun", "timer_gettime", "timer_gettime64", "timer_settime",
        "timer_settime64", "timerfd_create", "timerfd_gettime", "timerfd_gettime64", "timerfd_settime",
        "timerfd_settime64", "times", "tkill", "truncate", "truncate64", "ugetrlimit", "umask", "uname",
        "unlink", "unlinkat", "utime", "utimensat", "utimensat_time64", "utimes", "vfork", "vmsplice", "wait4",
        "waitid", "waitpid", "write", "writev", NULL,
};

#define ALLOW SCMP_ACT_ALLOW
#define ARG_EQ(i, v) SCMP_A##i(SCMP_CMP_EQ, (v))

static const struct default_rule default_rules[] = {
        {.names = allowed_always, .action = ALLOW},
        /* Only the execution domains a program legitimately switches to. */
        {.names = NAMES("personality"), .action = ALLOW, .args = {ARG_EQ(0, PER_LINUX)}, .n_args = 1},
        {.names = NAMES("personality"), .action = ALLOW, .args = {ARG_EQ(0, PER_LINUX32)}, .n_args = 1},
        {.names = NAMES("personality"), .action = ALLOW, .args = {ARG_EQ(0, UNAME26)}, .n_args = 1},
        {.names = NAMES("personality"), .action = ALLOW, .args = {ARG_EQ(0, UNAME26 | PER_LINUX32)}, .n_args = 1},
        {.names = NAMES("personality"), .action = ALLOW, .args = {ARG_EQ(0, 0xffffffff)}, .n_args = 1},
        /* socket() for every family but AF_ALG (38, kernel crypto) and AF_VSOCK (40, host sockets).
         * libseccomp refuses two conditions on one argument in a rule, so "not 38 and not 40" is
         * written as three ranges. */
        {.names = NAMES("socket"), .action = ALLOW, .args = {SCMP_A0(SCMP_CMP_LT, 38)}, .n_args = 1},
        {.names = NAMES("socket"), .action = ALLOW, .args = {SCMP_A0(SCMP_CMP_EQ, 39)}, .n_args = 1},
        {.names = NAMES("socket"), .action = ALLOW, .args = {SCMP_A0(SCMP_CMP_GT, 40)}, .n_args = 1},
        /* ptrace is safe to allow since 4.8 (seccomp checks are redone after the tracer's changes). */
        {.names = NAMES("ptrace"), .action = ALLOW, .min_kernel_major = 4, .min_kernel_minor = 8},
        {.names = NAMES("arch_prctl"), .action = ALLOW, .arches = ARCH_X86_64_X32},
        {.names = NAMES("modify_ldt"), .action = ALLOW, .arches = ARCH_X86_FAMILY},
        {.names = NAMES("open_by_handle_at"), .action = ALLOW, .caps_all = CAP(CAP_DAC_READ_SEARCH)},
        {.names = NAMES("bpf", "clone", "clone3", "fanotify_init", "fsconfig", "fsmount", "fsopen", "fspick",
                        "lookup_dcookie", "mount", "mount_setattr", "move_mount", "open_tree", "perf_event_open",
                        "quotactl", "quotactl_fd", "setdomainname", "sethostname", "setns", "syslog", "umount",
                        "umount2", "unshare"),
         .action = ALLOW,
         .caps_all = CAP(CAP_SYS_ADMIN)},
        /* Without CAP_SYS_ADMIN: clone only without namespace flags; clone3 hides its flags in
         * memory seccomp cannot read, so it reports ENOSYS and the C library falls back to clone. */
        {.names = NAMES("clone"),
         .action = ALLOW,
         .args = {SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NAMESPACE_FLAGS, 0)},
         .n_args = 1,
         .caps_none = CAP(CAP_SYS_ADMIN)},
        {.names = NAMES("clone3"), .action = SCMP_ACT_ERRNO(ENOSYS), .caps_none = CAP(CAP_SYS_ADMIN)},
        {.names = NAMES("reboot"), .action = ALLOW, .caps_all = CAP(CAP_SYS_BOOT)},
        {.names = NAMES("chroot"), .action = ALLOW, .caps_all = CAP(CAP_SYS_CHROOT)},
        {.names = NAMES("delete_module", "init_module", "finit_module"),
         .action = ALLOW,
         .caps_all = CAP(CAP_SYS_MODULE)},
        {.names = NAMES("acct"), .action = ALLOW, .caps_all = CAP(CAP_SYS_PACCT)},
        {.names = NAMES("kcmp", "pidfd_getfd", "process_madvise", "process_vm_readv", "process_vm_writev", "ptrace"),
         .action = ALLOW,
         .caps_all = CAP(CAP_SYS_PTRACE)},
        {.names = NAMES("iopl", "ioperm"), .action = ALLOW, .caps_all = CAP(CAP_SYS_RAWIO)},
        {.names = NAMES("settimeofday", "stime", "clock_settime", "clock_settime64"),
         .action = ALLOW,
         .caps_all = CAP(CAP_SYS_TIME)},
        {.names = NAMES("vhangup"), .action = ALLOW, .caps_all = CAP(CAP_SYS_TTY_CONFIG)},
        {.names = NAMES("get_mempolicy", "mbind", "set_mempolicy", "set_mempolicy_home_node"),
         .action = ALLOW,
         .caps_all = CAP(CAP_SYS_NICE)},
        {.names = NAMES("syslog"), .action = ALLOW, .caps_all = CAP(CAP_SYSLOG)},
        {.names = NAMES("bpf"), .action = ALLOW, .caps_all = CAP(CAP_BPF)},
        {.names = NAMES("perf_event_open"), .action = ALLOW, .caps_all = CAP(CAP_PERFMON)},
};

static size_t names_count(const char *const *names) {
        size_t n = 0;
        while (names[n])
                n++;
        return n;
}

static bool arch_set_matches(enum arch_set set, uint32_t native_arch) {
        switch (set) {
        case ARCH_ANY:
                return true;
        case ARCH_X86_FAMILY:
                return native_arch == SCMP_ARCH_X86_64 || native_arch == SCMP_ARCH_X32 || native_arch == SCMP_ARCH_X86;
        case ARCH_X86_64_X32:
                return native_arch == SCMP_ARCH_X86_64 || native_arch == SCMP_ARCH_X32;
        }
        return false;
}

static bool rule_applies(const struct default_rule *r, const struct seccomp_target *t) {
        if ((t->caps & r->caps_all) != r->caps_all)
                return false;
        if (t->caps & r->caps_none)
                return false;
        if (!arch_set_matches(r->arches, t->native_arch))
                return false;
        if (t->kernel_major < r->min_kernel_major ||
            (t->kernel_major == r->min_kernel_major && t->kernel_minor < r->min_kernel_minor))
                return false;
        return true;
}

int seccomp_default_build(const struct seccomp_target *t, scmp_filter_ctx *ret) {
        scmp_filter_ctx ctx;
        int r;

        ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
        if (!ctx)
                return log_errno(-ENOMEM, "seccomp default profile: cannot create a filter: %m");
        r = seccomp_add_companion_arches(ctx, t->native_arch);
        if (r < 0)
                goto fail;

        for (size_t i = 0; i < ELEMENTSOF(default_rules); i++) {
                const struct default_rule *rule = &default_rules[i];
                if (!rule_applies(rule, t))
                        continue;
                r = seccomp_add_rule_names(ctx, rule->names, names_count(rule->names), rule->action, rule->args,
                                           rule->n_args, "seccomp default profile");
                if (r < 0)
                        goto fail;
        }
        *ret = ctx;
        return 0;
fail:
        seccomp_release(ctx);
        return r;
}

/* The cache key must change whenever the table does, without anyone remembering to bump a
 * version: hash the table itself. */
void seccomp_default_hash(struct sha256_ctx *h) {
        sha256_update_str(h, "berth built-in default profile");
        for (size_t i = 0; i < ELEMENTSOF(default_rules); i++) {
                const struct default_rule *rule = &default_rules[i];
                for (const char *const *n = rule->names; *n; n++)
                        sha256_update_str(h, *n);
                sha256_update_u64(h, rule->action);
                sha256_update_u64(h, rule->n_args);
                for (unsigned a = 0; a < rule->n_args; a++) {
                        sha256_update_u64(h, rule->args[a].arg);
                        sha256_update_u64(h, rule->args[a].op);
                        sha256_update_u64(h, rule->args[a].datum_a);
                        sha256_update_u64(h, rule->args[a].datum_b);
                }
                sha256_update_u64(h, rule->caps_all);
                sha256_update_u64(h, rule->caps_none);
                sha256_update_u64(h, rule->arches);
                sha256_update_u64(h, rule->min_kernel_major << 16 | rule->min_kernel_minor);
        }
}
