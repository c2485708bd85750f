/* SPDX-License-Identifier: MIT */
#include "notify.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

int notify_open(const char *socket_name, struct notify_target *ret) {
        struct notify_target t = NOTIFY_TARGET_NULL;
        size_t len = strlen(socket_name);

        t.addr.sun_family = AF_UNIX;
        if (socket_name[0] == '@') {
                /* abstract: a leading NUL, no terminator */
                if (len < 2 || len > sizeof(t.addr.sun_path))
                        return log_errno(-EINVAL, "notify: NOTIFY_SOCKET '%s' is not a valid socket address", socket_name);
                memcpy(t.addr.sun_path + 1, socket_name + 1, len - 1);
                t.addr_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len);
                t.abstract = true;
        } else if (socket_name[0] == '/') {
                if (len >= sizeof(t.addr.sun_path))
                        return log_errno(-EINVAL, "notify: NOTIFY_SOCKET '%s' is too long", socket_name);
                memcpy(t.addr.sun_path, socket_name, len);
                t.addr_len = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + len + 1);
                t.path = strdup(socket_name);
                if (!t.path)
                        return log_errno(-ENOMEM, "notify: %m");
        } else
                return log_errno(-EINVAL, "notify: NOTIFY_SOCKET '%s' is neither an absolute path nor '@abstract'",
                                 socket_name);

        t.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (t.fd < 0) {
                int r = log_errno(negative_errno(), "notify: socket: %m");
                notify_done(&t);
                return r;
        }
        *ret = t;
        return 0;
}

static int send_with(const struct notify_target *t, const char *message, pid_t as_pid, int pass_fd) {
        struct iovec iov = {.iov_base = (void *) message, .iov_len = strlen(message)};
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))];
        } control = {};
        struct msghdr mh = {
                .msg_name = (void *) &t->addr,
                .msg_namelen = t->addr_len,
                .msg_iov = &iov,
                .msg_iovlen = 1,
                .msg_control = control.buf,
        };
        struct cmsghdr *c = (struct cmsghdr *) control.buf;
        size_t control_len = 0;

        /* systemd attributes a message to a unit by the sender's pid; speaking for the process
         * that stays keeps the message valid after we exit. Needs CAP_SYS_ADMIN, which the
         * helper has; without it the kernel refuses and we fall back to our own pid. */
        if (as_pid > 0) {
                struct ucred cred = {.pid = as_pid, .uid = getuid(), .gid = getgid()};
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_CREDENTIALS;
                c->cmsg_len = CMSG_LEN(sizeof(cred));
                memcpy(CMSG_DATA(c), &cred, sizeof(cred));
                control_len += CMSG_SPACE(sizeof(cred));
                c = (struct cmsghdr *) (control.buf + control_len);
        }
        if (pass_fd >= 0) {
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &pass_fd, sizeof(int));
                control_len += CMSG_SPACE(sizeof(int));
        }
        mh.msg_controllen = control_len;
        if (control_len == 0)
                mh.msg_control = NULL;

        if (sendmsg(t->fd, &mh, MSG_NOSIGNAL) >= 0)
                return 0;
        if (as_pid > 0 && errno == EPERM)
                return send_with(t, message, 0, pass_fd);
        return negative_errno();
}

int notify_send(const struct notify_target *t, const char *message, pid_t as_pid) {
        int r = send_with(t, message, as_pid, -1);
        if (r < 0)
                return log_errno(r, "notify: send to %s%s: %m", t->abstract ? "@" : "",
                                 t->abstract ? t->addr.sun_path + 1 : t->addr.sun_path);
        return 0;
}

int notify_barrier(const struct notify_target *t, int timeout_ms) {
        int pipefd[2];
        struct pollfd p;
        int r;

        if (pipe2(pipefd, O_CLOEXEC) < 0)
                return log_errno(negative_errno(), "notify: pipe: %m");
        r = send_with(t, "BARRIER=1", 0, pipefd[1]);
        close(pipefd[1]);
        if (r < 0) {
                close(pipefd[0]);
                return log_errno(r, "notify: send BARRIER=1: %m");
        }
        /* The receiver holds the other end until it has handled what we sent: its close is
         * our POLLHUP. */
        p = (struct pollfd) {.fd = pipefd[0], .events = 0};
        do
                r = poll(&p, 1, timeout_ms);
        while (r < 0 && errno == EINTR);
        close(pipefd[0]);
        if (r < 0)
                return log_errno(negative_errno(), "notify: waiting for the barrier: %m");
        if (r == 0)
                return log_errno(-ETIMEDOUT, "notify: the service manager did not confirm BARRIER=1 within %d ms",
                                 timeout_ms);
        return 0;
}

void notify_done(struct notify_target *t) {
        if (t->fd >= 0)
                close(t->fd);
        free(t->path);
        *t = NOTIFY_TARGET_NULL;
}
