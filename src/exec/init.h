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
/* The same, returning main_pid's raw wait status (waitpid's); a failure to wait is reported
 * as an exit with EXIT_HELPER_FAILED. */
int forward_signals_until_wstatus(pid_t main_pid, int reap_orphans, int *ret_last_forwarded);

/* "Killed by signal N" from the container's PID 1 to berth-exec (SPEC §5). The init of a PID
 * namespace cannot die by most signals it sends itself, so it exits with 128+N, which alone
 * cannot be told from a payload that exits with 128+N. So berth-exec opens a pipe (close-on-
 * exec, non-blocking) whose write end only the init holds (berth-init gets its number as a
 * second argument; the payload never has it): when the payload ends, the init writes the
 * payload's raw wait status (an int) there before it exits. berth-exec reads it once the
 * init has ended and believes it only when it agrees with the init's exit status; anything
 * else (nothing written, init killed) leaves the init's own status. */
void payload_status_report(int fd, int wstatus);
/* The payload's wait status given the init's; fd is the read end (-1: none). */
int payload_status_read(int fd, int init_wstatus);
/* Ends this process by sig, as the container ended: a service manager then sees a stop by
 * SIGTERM as clean, rather than the exit code 143, and a crash (SIGSEGV, SIGABRT...) as
 * code=killed, so Restart=on-abnormal applies. Core dumps are off for this process (its
 * RLIMIT_CORE 0, not dumpable). Returns only if that failed. */
void die_by_signal(int sig);
/* Status of a waitpid() result in docker's terms. */
int exit_status_of(int wstatus);
