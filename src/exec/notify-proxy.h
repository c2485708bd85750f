/* SPDX-License-Identifier: MIT */
#pragma once

/* --notify: the payload never sees the service manager's socket. The helper binds a socket of
 * its own (in a private directory under the runtime dir, bound into the container at its
 * NOTIFY_SOCKET path), reads what the payload sends and passes on, from itself (the unit's
 * main process), only the lines that describe the service's state: READY=, STATUS=,
 * STOPPING=, RELOADING=, WATCHDOG=, ERRNO=. MAINPID= (which would make systemd signal any
 * host process on stop), FDSTORE=, credentials and descriptors never go through. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "notify.h"

struct notify_proxy {
        int fd;     /* bound datagram socket; -1: none */
        char *dir;  /* the private directory on the host holding it */
        char *path; /* dir/notify */
};

#define NOTIFY_PROXY_NULL ((struct notify_proxy){.fd = -1})

/* Creates RUNTIME_DIR/.notify/XXXXXX (0700) with the socket "notify" in it. Logs. */
int notify_proxy_open(const char *runtime_dir, struct notify_proxy *ret);
/* The lines of msg (n bytes) that may reach the service manager, joined by '\n', into out
 * (size bytes, NUL-terminated). Returns the length (0: nothing to pass on) or -EINVAL for a
 * message that is not text. *ret_barrier: msg asked for BARRIER=1. */
int notify_proxy_filter(const char *msg, size_t n, char *out, size_t size, bool *ret_barrier);
/* Waits for main_pid like forward_signals_until_wstatus() (same signals, same return value),
 * passing the payload's messages on to t meanwhile; what is queued when it ends is passed on
 * too. */
int notify_proxy_follow(struct notify_proxy *p, const struct notify_target *t, pid_t main_pid, int *ret_last_forwarded);
/* Closes the socket and frees (the container's copy of the helper calls this). */
void notify_proxy_done(struct notify_proxy *p);
/* The helper, when the container has ended: removes the socket and its directory, then
 * notify_proxy_done(). */
void notify_proxy_remove(struct notify_proxy *p);
