/* SPDX-License-Identifier: MIT */
#pragma once

/* systemd's notification protocol (sd_notify(3), documented as stable): one datagram of
 * "KEY=VALUE\n" lines to the AF_UNIX socket named by $NOTIFY_SOCKET (a path, or '@' for the
 * abstract namespace). Re-implemented here so berth-exec's start path does not load
 * libsystemd. */

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

struct notify_target {
        int fd; /* datagram socket, created before any namespace change */
        struct sockaddr_un addr;
        socklen_t addr_len;
        bool abstract;
        char *path; /* the socket's file on the host, when not abstract */
};

#define NOTIFY_TARGET_NULL ((struct notify_target){ .fd = -1 })

/* Parses socket ($NOTIFY_SOCKET) and creates the socket. Logs "notify: ...". */
int notify_open(const char *socket, struct notify_target *ret);
/* Sends message; as_pid: credentials to send on behalf of (the process that will remain in
 * the service), 0 for our own. Logs on failure. */
int notify_send(const struct notify_target *t, const char *message, pid_t as_pid);
/* BARRIER=1: returns once the receiver has processed everything sent before (it closes the
 * fd we pass), so our messages are not lost when we exit right after. */
int notify_barrier(const struct notify_target *t, int timeout_ms);
void notify_done(struct notify_target *t);
