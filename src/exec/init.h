/* SPDX-License-Identifier: MIT */
#pragma once

/* Waiting for the container while passing signals on. Used twice: by berth-exec's parent when
 * it stays (run by hand), and by the tiny PID 1 in a private PID namespace, which also reaps
 * the orphans that get reparented to it. A payload that is PID 1 itself would ignore SIGTERM
 * without a handler; the shim is why `kill -TERM MAINPID` stops it. */

#include <signal.h>
#include <sys/types.h>

/* The tiny PID 1 (berth-init.c) that replaces the shim once the payload runs, and the name
 * the shim goes by until then. */
#define BERTH_INIT_NAME "berth-init"

/* Blocks the signals we forward and SIGCHLD (before the child exists, so none is lost);
 * old receives the previous mask for the payload. */
int signals_block_forwarded(sigset_t *old);
/* Forwards SIGTERM SIGINT SIGHUP SIGUSR1 SIGUSR2 SIGQUIT SIGWINCH to main_pid until it ends;
 * with reap_orphans also waits for every other child. Returns main_pid's exit status as
 * docker reports it: its code, or 128+signal. ret_last_forwarded (may be NULL) receives the
 * last signal passed on, 0 if none. */
int forward_signals_until_exit(pid_t main_pid, int reap_orphans, int *ret_last_forwarded);
/* Ends this process by sig, as the container ended: a service manager then sees a stop by
 * SIGTERM as clean, rather than the exit code 143. Returns only if that failed. */
void die_by_signal(int sig);
/* Status of a waitpid() result in docker's terms. */
int exit_status_of(int wstatus);
