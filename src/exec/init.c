/* SPDX-License-Identifier: MIT */
#include "init.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forwarded-signals.h"
#include "log.h"
#include "payload.h"

static const int forwarded_signals[] = {BERTH_FORWARDED_SIGNALS};

static void forwarded_set(sigset_t *set) {
        sigemptyset(set);
        for (size_t i = 0; i < sizeof(forwarded_signals) / sizeof(forwarded_signals[0]); i++)
                sigaddset(set, forwarded_signals[i]);
        sigaddset(set, SIGCHLD);
}

int signals_block_forwarded(sigset_t *old) {
        sigset_t set;

        forwarded_set(&set);
        if (sigprocmask(SIG_BLOCK, &set, old) < 0)
                return log_errno(negative_errno(), "block signals: %m");
        return 0;
}

int exit_status_of(int wstatus) {
        if (WIFEXITED(wstatus))
                return WEXITSTATUS(wstatus);
        if (WIFSIGNALED(wstatus))
                return 128 + WTERMSIG(wstatus);
        return EXIT_HELPER_FAILED;
}

int forward_signals_until_exit(pid_t main_pid, int reap_orphans, int *ret_last_forwarded) {
        return exit_status_of(forward_signals_until_wstatus(main_pid, reap_orphans, ret_last_forwarded));
}

int forward_signals_until_wstatus(pid_t main_pid, int reap_orphans, int *ret_last_forwarded) {
        sigset_t set;

        if (ret_last_forwarded)
                *ret_last_forwarded = 0;
        forwarded_set(&set);
        for (;;) {
                siginfo_t info;
                int sig, wstatus;
                pid_t pid;

                /* Reap first: the child may have ended before we started waiting. */
                while ((pid = waitpid(reap_orphans ? -1 : main_pid, &wstatus, WNOHANG)) > 0)
                        if (pid == main_pid)
                                return wstatus;
                if (pid < 0 && errno == ECHILD)
                        return W_EXITCODE(EXIT_HELPER_FAILED, 0);

                sig = sigwaitinfo(&set, &info);
                if (sig < 0 || sig == SIGCHLD)
                        continue;
                (void) kill(main_pid, sig);
                if (ret_last_forwarded)
                        *ret_last_forwarded = sig;
        }
}

void die_by_signal(int sig) {
        struct sigaction sa = {.sa_handler = SIG_DFL};
        const struct rlimit no_core = {0, 0};
        sigset_t set;

        /* The payload has dumped its core if it was going to: ours, a copy of the helper,
         * is of no use to anyone and may hold what the payload must not see. */
        (void) setrlimit(RLIMIT_CORE, &no_core);
        (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        (void) sigaction(sig, &sa, NULL);
        sigemptyset(&set);
        sigaddset(&set, sig);
        (void) sigprocmask(SIG_UNBLOCK, &set, NULL);
        (void) raise(sig);
}

void payload_status_report(int fd, int wstatus) {
        if (fd >= 0)
                (void) !write(fd, &wstatus, sizeof(wstatus));
}

int payload_status_read(int fd, int init_wstatus) {
        int wstatus;

        if (fd < 0 || !WIFEXITED(init_wstatus) || read(fd, &wstatus, sizeof(wstatus)) != (ssize_t) sizeof(wstatus))
                return init_wstatus;
        /* Believed only when it agrees with what the init said: signal N as 128+N. */
        if (WIFSIGNALED(wstatus) && 128 + WTERMSIG(wstatus) == WEXITSTATUS(init_wstatus))
                return wstatus;
        return init_wstatus;
}
