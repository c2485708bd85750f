/* SPDX-License-Identifier: MIT */
/* berth-init: the container's PID 1 while the payload runs.
 *
 *   berth-init MAIN-PID [STATUS-FD|- [GATE-FD]]
 *
 * GATE-FD, when given, is the write end of the pipe the payload's process waits on before
 * it execs the payload: berth-init closes it once it is not dumpable, so nothing in the
 * container ever runs while its PID 1 is the helper's copy or a dumpable berth-init.
 *
 * berth-exec's shim spawns the payload, then execs this program in its place, so what stays
 * next to the payload for the container's whole life is a few pages, not a copy of the
 * helper with libc and the libraries it links (bench/PROFILE.md, resident cost). It runs
 * with the signals the helper blocked still blocked (an exec keeps the mask, and pending
 * signals too, so nothing sent in between is lost), and does exactly what the in-process
 * shim does (init.c, forward_signals_until_exit with reap_orphans): pass the forwarded
 * signals on to MAIN-PID, reap every child, and exit with MAIN-PID's status as docker
 * reports it (its code, or 128+signal). With STATUS-FD it first writes MAIN-PID's raw wait
 * status there (an int): PID 1 of a namespace cannot die by the signal that killed the
 * payload, and this tells berth-exec "killed by N" from "exited with 128+N" (init.h).
 *
 * Freestanding on purpose: no libc, no dynamic loader, no heap; a handful of raw system
 * calls. Built only for the architectures below; elsewhere berth-exec keeps the in-process
 * shim. It is not a tool to run by hand: anything unexpected ends it with 125. */

/* Only the kernel's own headers: the constants and system call numbers, no libc. */
#include <asm/errno.h>
#include <asm/signal.h>
#include <asm/unistd.h>
#include <linux/prctl.h>
#include <linux/wait.h>

#include "forwarded-signals.h"

#define EXIT_HELPER_FAILED 125 /* as payload.h */

typedef unsigned long kernel_sigset; /* the kernel's sigset for 64-bit ABIs: one word */
struct kernel_siginfo {
        int signo, err, code, pad[29];
};

#if defined(__x86_64__)
static long raw_syscall(long nr, long a, long b, long c, long d) {
        long ret;
        register long r10 __asm__("r10") = d;
        __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
        return ret;
}
/* The kernel enters with argc at the stack pointer; main gets a pointer to it and a
 * 16-byte-aligned stack, as the ABI wants at a call. */
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "  xor %rbp, %rbp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call init_main\n"
        "  hlt\n");
#elif defined(__aarch64__)
static long raw_syscall(long nr, long a, long b, long c, long d) {
        register long x8 __asm__("x8") = nr;
        register long x0 __asm__("x0") = a;
        register long x1 __asm__("x1") = b;
        register long x2 __asm__("x2") = c;
        register long x3 __asm__("x3") = d;
        __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
        return x0;
}
__asm__(".text\n"
        ".global _start\n"
        "_start:\n"
        "  mov x29, #0\n"
        "  mov x0, sp\n"
        "  bl init_main\n"
        "  brk #0\n");
#else
#error "berth-init: no system call glue for this architecture (meson builds it only where there is)"
#endif

__attribute__((noreturn)) static void exit_now(int status) {
        for (;;)
                (void) raw_syscall(__NR_exit_group, status, 0, 0, 0);
}

static int parse_pid(const char *s, long *ret) {
        long v = 0;

        if (!s || *s < '1' || *s > '9')
                return -1;
        for (; *s; s++) {
                if (*s < '0' || *s > '9' || v > 0x3fffffff)
                        return -1;
                v = v * 10 + (*s - '0');
        }
        *ret = v;
        return 0;
}

static int exit_status_of(int wstatus) {
        int sig = wstatus & 0x7f;

        if (sig == 0)
                return (wstatus >> 8) & 0xff;
        if (sig != 0x7f)
                return 128 + sig;
        return EXIT_HELPER_FAILED;
}

static kernel_sigset forwarded_set(void) {
        static const int forwarded[] = {BERTH_FORWARDED_SIGNALS};
        kernel_sigset set = 1UL << (SIGCHLD - 1);

        for (unsigned i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
                set |= 1UL << (forwarded[i] - 1);
        return set;
}

__attribute__((noreturn, used)) void init_main(long *stack);
__attribute__((noreturn, used)) void init_main(long *stack) {
        long argc = stack[0];
        char **argv = (char **) (stack + 1);
        kernel_sigset set = forwarded_set(), blocked = 0;
        long main_pid, status_fd = -1, gate_fd = -1;

        /* First: the container cannot read this process's memory, fds or executable
         * through /proc/1 (the payload has not started yet, see GATE-FD). */
        (void) raw_syscall(__NR_prctl, PR_SET_DUMPABLE, 0, 0, 0);
        if (argc < 2 || argc > 4 || parse_pid(argv[1], &main_pid) < 0 ||
            (argc >= 3 && !(argv[2][0] == '-' && argv[2][1] == '\0') && parse_pid(argv[2], &status_fd) < 0) ||
            (argc == 4 && parse_pid(argv[3], &gate_fd) < 0))
                exit_now(EXIT_HELPER_FAILED);
        if (gate_fd >= 0)
                (void) raw_syscall(__NR_close, gate_fd, 0, 0, 0);
        /* Waiting for signals only works while they stay blocked: the helper blocked them
         * before spawning; check rather than trust, and block again if need be. */
        if (raw_syscall(__NR_rt_sigprocmask, SIG_SETMASK, 0, (long) &blocked, sizeof(blocked)) < 0)
                exit_now(EXIT_HELPER_FAILED);
        if ((blocked & set) != set) {
                blocked |= set;
                if (raw_syscall(__NR_rt_sigprocmask, SIG_SETMASK, (long) &blocked, 0, sizeof(blocked)) < 0)
                        exit_now(EXIT_HELPER_FAILED);
        }

        for (;;) {
                struct kernel_siginfo info;
                int wstatus = 0;
                long pid, sig;

                /* Reap first: the payload may have ended before we started waiting. */
                while ((pid = raw_syscall(__NR_wait4, -1, (long) &wstatus, WNOHANG, 0)) > 0)
                        if (pid == main_pid) {
                                if (status_fd >= 0)
                                        (void) raw_syscall(__NR_write, status_fd, (long) &wstatus, sizeof(wstatus), 0);
                                exit_now(exit_status_of(wstatus));
                        }
                if (pid == -ECHILD)
                        exit_now(EXIT_HELPER_FAILED);

                sig = raw_syscall(__NR_rt_sigtimedwait, (long) &set, (long) &info, 0, sizeof(set));
                if (sig < 0 || sig == SIGCHLD)
                        continue;
                (void) raw_syscall(__NR_kill, main_pid, sig, 0, 0);
        }
}
