/* SPDX-License-Identifier: MIT */
#pragma once

/* Payload output through pipes when the unit's stdout/stderr is a socket (SPEC §5).
 *
 * Under systemd, StandardOutput=journal makes fd 1 and 2 a stream socket to journald. A
 * payload that opens /dev/stdout or /dev/stderr (images log there: nginx, many entrypoints)
 * gets ENXIO: /proc/self/fd/1 of a socket cannot be opened. So when fd 1 or fd 2 is a socket,
 * the container gets a pipe in its place, and a relay process outside the container copies
 * the pipe's bytes, unchanged, to the original descriptor:
 *   - one pipe when fd 1 and fd 2 are the same socket (as systemd sets them up), so the
 *     order of stdout and stderr writes, and with it every line and its <N> priority prefix
 *     for journald, stays exactly as the payload wrote it; one pipe each otherwise;
 *   - the relay is a child of berth-exec, forked right after the container (in the host's
 *     PID and mount namespaces), holding only the read ends and the original descriptors,
 *     without capabilities or a way to regain them (no_new_privs), named berth-relay;
 *   - it ends at end of file (every writer in the container gone), and berth-exec waits for
 *     it before it ends itself, so nothing the payload wrote before exiting is lost. A writer
 *     that outlives the container (a process left behind in a shared PID namespace) gets
 *     OUTPUT_RELAY_DRAIN_MS, then the relay is stopped.
 * When neither is a socket (a terminal, a file, a pipe) nothing changes. */

#include <stdbool.h>
#include <sys/types.h>

#define OUTPUT_RELAY_DRAIN_MS 2000

struct output_relay {
        int read_fd[2];  /* relay side, for fd 1 and fd 2; -1: not relayed */
        int write_fd[2]; /* the container's ends, become its fd 1 and 2 */
        bool shared;     /* fd 1 and 2 are one socket: one pipe ([0]) serves both */
        pid_t pid;       /* the relay process; 0: none */
};

#define OUTPUT_RELAY_NULL                                                                                              \
        { .read_fd = {-1, -1}, .write_fd = {-1, -1}, .shared = false, .pid = 0 }

/* In berth-exec before the container is cloned: if fd 1 or 2 is a socket, makes the pipe(s).
 * 0 (also when there is nothing to relay) or negative errno, logged. */
int output_relay_open(struct output_relay *r);
/* In the container's first process: its fd 1/2 become the pipes' write ends; all other ends
 * are closed. 0 or negative errno, logged. */
int output_relay_attach(struct output_relay *r);
/* In berth-exec right after the clone (so the container's init stays its first child):
 * starts the relay process with the read ends, then drops its own copies of all ends, so the
 * relay sees end of file once the container's writers are gone. 0 or negative errno, logged
 * (then no relay runs and the container must be stopped). */
int output_relay_spawn(struct output_relay *r);
/* In berth-exec after the container is cloned: drops its copies of the write ends, so the
 * relay sees end of file once the container's writers are gone. */
void output_relay_detach(struct output_relay *r);
/* In berth-exec once the container ended: waits for the relay to copy what is left (bounded
 * by OUTPUT_RELAY_DRAIN_MS). */
void output_relay_finish(struct output_relay *r);
/* Closes whatever is still open (every process that holds a copy of the struct). */
void output_relay_close(struct output_relay *r);
