#!/usr/bin/env python3
"""Writes a Docker-default-like seccomp profile in OCI form (the "seccomp" object of an OCI
config.json), for x86_64 and the container holding Docker's 14 default capabilities.

The same JSON feeds the crun/runc bundles and is compiled to raw BPF for the floor program,
so every contender that filters syscalls pays for the same policy. If the hardening layer
ships a Docker profile as test data, run.sh prefers that file (see --docker-json).

    seccomp-profile.py                 print the built-in profile
    seccomp-profile.py --docker-json F convert a Docker profile (resolving its caps/arches
                                       filters for the 14 default caps on x86_64)
"""
import json
import sys

DEFAULT_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
                "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
                "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]

# Docker's unconditional allow-list (x86_64 names; 32-bit-only names are left out because
# runtimes ignore them on this architecture anyway).
ALLOW = """
accept accept4 access adjtimex alarm bind brk cachestat capget capset chdir chmod chown
clock_adjtime clock_getres clock_gettime clock_nanosleep close close_range connect
copy_file_range creat dup dup2 dup3 epoll_create epoll_create1 epoll_ctl epoll_ctl_old
epoll_pwait epoll_pwait2 epoll_wait epoll_wait_old eventfd eventfd2 execve execveat exit
exit_group faccessat faccessat2 fadvise64 fallocate fanotify_mark fchdir fchmod fchmodat
fchmodat2 fchown fchownat fcntl fdatasync fgetxattr flistxattr flock fork fremovexattr
fsetxattr fstat fstatfs fsync ftruncate futex futex_requeue futex_wait futex_waitv futex_wake
futimesat getcpu getcwd getdents getdents64 getegid geteuid getgid getgroups getitimer
getpeername getpgid getpgrp getpid getppid getpriority getrandom getresgid getresuid
getrlimit get_robust_list getrusage getsid getsockname getsockopt get_thread_area gettid
gettimeofday getuid getxattr inotify_add_watch inotify_init inotify_init1 inotify_rm_watch
io_cancel ioctl io_destroy io_getevents io_pgetevents ioprio_get ioprio_set io_setup
io_submit io_uring_enter io_uring_register io_uring_setup kill landlock_add_rule
landlock_create_ruleset landlock_restrict_self lchown lgetxattr link linkat listen
listxattr llistxattr lremovexattr lseek lsetxattr lstat madvise map_shadow_stack membarrier
memfd_create memfd_secret mincore mkdir mkdirat mknod mknodat mlock mlock2 mlockall mmap
mprotect mq_getsetattr mq_notify mq_open mq_timedreceive mq_timedsend mq_unlink mremap
msgctl msgget msgrcv msgsnd msync munlock munlockall munmap name_to_handle_at nanosleep
newfstatat open openat openat2 pause pidfd_open pidfd_send_signal pipe pipe2 pkey_alloc
pkey_free pkey_mprotect poll ppoll prctl pread64 preadv preadv2 prlimit64 process_mrelease
pselect6 pwrite64 pwritev pwritev2 read readahead readlink readlinkat readv recvfrom
recvmmsg recvmsg remap_file_pages removexattr rename renameat renameat2 restart_syscall
rmdir rseq rt_sigaction rt_sigpending rt_sigprocmask rt_sigqueueinfo rt_sigreturn
rt_sigsuspend rt_sigtimedwait rt_tgsigqueueinfo sched_getaffinity sched_getattr
sched_getparam sched_get_priority_max sched_get_priority_min sched_getscheduler
sched_rr_get_interval sched_setaffinity sched_setattr sched_setparam sched_setscheduler
sched_yield seccomp select semctl semget semop semtimedop sendfile sendmmsg sendmsg sendto
setfsgid setfsuid setgid setgroups setitimer setpgid setpriority setregid setresgid
setresuid setreuid setrlimit set_robust_list setsid setsockopt set_thread_area
set_tid_address setuid setxattr shmat shmctl shmdt shmget shutdown sigaltstack signalfd
signalfd4 socketpair splice stat statfs statx symlink symlinkat sync sync_file_range syncfs
sysinfo tee tgkill time timer_create timer_delete timer_getoverrun timer_gettime
timer_settime timerfd_create timerfd_gettime timerfd_settime times tkill truncate umask
uname unlink unlinkat utime utimensat utimes vfork vmsplice wait4 waitid write writev
arch_prctl modify_ldt process_vm_readv process_vm_writev ptrace chroot
""".split()


def builtin():
    syscalls = [{"names": sorted(set(ALLOW)), "action": "SCMP_ACT_ALLOW"}]
    # personality(2): only the personas Docker allows.
    for persona in (0, 8, 0x20000, 0x20008, 0xffffffff):
        syscalls.append({"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                         "args": [{"index": 0, "value": persona, "op": "SCMP_CMP_EQ"}]})
    # clone(2) without namespace flags only (no CAP_SYS_ADMIN in the set).
    syscalls.append({"names": ["clone"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 0x7E020000, "valueTwo": 0,
                               "op": "SCMP_CMP_MASKED_EQ"}]})
    # clone3 cannot be filtered by flags: make libc fall back to clone.
    syscalls.append({"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38})
    # socket(2): everything but AF_VSOCK.
    syscalls.append({"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_NE"}]})
    return {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 1,
            "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
            "syscalls": syscalls}


def from_docker(path):
    """Docker's format carries includes/excludes by caps and arches; resolve them."""
    with open(path) as f:
        prof = json.load(f)
    out = []
    for rule in prof.get("syscalls", []):
        inc, exc = rule.get("includes", {}), rule.get("excludes", {})
        if inc.get("caps") and not set(inc["caps"]) <= set(DEFAULT_CAPS):
            continue
        if exc.get("caps") and set(exc["caps"]) & set(DEFAULT_CAPS):
            continue
        if inc.get("arches") and "amd64" not in inc["arches"]:
            continue
        if exc.get("arches") and "amd64" in exc["arches"]:
            continue
        r = {k: v for k, v in rule.items() if k in ("names", "action", "args", "errnoRet")}
        if "name" in rule and "names" not in r:
            r["names"] = [rule["name"]]
        if not r.get("args"):
            r.pop("args", None)
        out.append(r)
    res = {"defaultAction": prof.get("defaultAction", "SCMP_ACT_ERRNO"),
           "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
           "syscalls": out}
    if "defaultErrnoRet" in prof:
        res["defaultErrnoRet"] = prof["defaultErrnoRet"]
    return res


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--docker-json":
        prof = from_docker(sys.argv[2])
    elif len(sys.argv) == 1:
        prof = builtin()
    else:
        sys.exit("usage: seccomp-profile.py [--docker-json FILE]")
    json.dump(prof, sys.stdout, indent=1)
    sys.stdout.write("\n")
