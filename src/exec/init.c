/* SPDX-License-Identifier: MIT */
#include "init.h"

#include <errno.h>
#include <sys/wait.h>

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
                                return exit_status_of(wstatus);
                if (pid < 0 && errno == ECHILD)
                        return EXIT_HELPER_FAILED;

                sig = sigwaitinfo(&set, &info);
                if (sig < 0 || sig == SIGCHLD)
                        continue;
                (void) kill(main_pid, sig);
                if (ret_last_forwarded)
                        *ret_last_forwarded = sig;
        }
}

void die_by_signal(int sig) {
        sigset_t set;

        (void) signal(sig, SIG_DFL);
        sigemptyset(&set);
        sigaddset(&set, sig);
        (void) sigprocmask(SIG_UNBLOCK, &set, NULL);
        (void) raise(sig);
}
