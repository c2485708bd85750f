/* SPDX-License-Identifier: MIT */
#include "notify-proxy.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "forwarded-signals.h"
#include "init.h"
#include "log.h"
#include "payload.h"
#include "util.h"

/* systemd reads at most this much of one notification (NOTIFY_BUFFER_MAX = PIPE_BUF) */
#define NOTIFY_MESSAGE_MAX 4096
#define NOTIFY_FDS_MAX 253 /* SCM_MAX_FD */

int notify_proxy_open(const char *runtime_dir, struct notify_proxy *ret) {
        struct notify_proxy p = NOTIFY_PROXY_NULL;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int r;

        _cleanup_free_ char *parent = strjoin(runtime_dir, "/.notify");

        /* ".notify": never a container's name (those cannot start with a dot) */
        if (!parent)
                return log_errno(-ENOMEM, "notify: %m");
        if (mkdir(runtime_dir, 0755) < 0 && errno != EEXIST)
                return log_errno(negative_errno(), "notify: %s: %m", runtime_dir);
        if (mkdir(parent, 0700) < 0 && errno != EEXIST)
                return log_errno(negative_errno(), "notify: %s: %m", parent);
        p.dir = strjoin(parent, "/XXXXXX");
        if (!p.dir)
                return log_errno(-ENOMEM, "notify: %m");
        if (!mkdtemp(p.dir)) {
                r = log_errno(negative_errno(), "notify: create a directory under %s: %m", runtime_dir);
                free(p.dir);
                return r;
        }
        p.path = strjoin(p.dir, "/notify");
        if (!p.path || strlen(p.path) >= sizeof(sa.sun_path)) {
                r = log_errno(p.path ? -ENAMETOOLONG : -ENOMEM, "notify: %s: %m", p.dir);
                goto fail;
        }
        memcpy(sa.sun_path, p.path, strlen(p.path));
        p.fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (p.fd < 0) {
                r = log_errno(negative_errno(), "notify: socket: %m");
                goto fail;
        }
        if (bind(p.fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                r = log_errno(negative_errno(), "notify: bind %s: %m", p.path);
                goto fail;
        }
        /* whoever the payload runs as may send (as with systemd's own socket) */
        if (chmod(p.path, 0777) < 0) {
                r = log_errno(negative_errno(), "notify: chmod %s: %m", p.path);
                goto fail;
        }
        *ret = p;
        return 0;
fail:
        notify_proxy_remove(&p);
        return r;
}

static bool line_is_forwarded(const char *line, size_t n) {
        static const char *const allowed[] = {"READY=", "STATUS=", "STOPPING=", "RELOADING=", "WATCHDOG=", "ERRNO="};
        for (size_t i = 0; i < ELEMENTSOF(allowed); i++) {
                size_t k = strlen(allowed[i]);
                if (n >= k && memcmp(line, allowed[i], k) == 0)
                        return true;
        }
        return false;
}

int notify_proxy_filter(const char *msg, size_t n, char *out, size_t size, bool *ret_barrier) {
        size_t len = 0;

        *ret_barrier = false;
        if (size == 0 || memchr(msg, '\0', n))
                return -EINVAL;
        for (const char *p = msg, *end = msg + n; p < end;) {
                const char *nl = memchr(p, '\n', (size_t) (end - p));
                size_t k = (size_t) ((nl ? nl : end) - p);

                if (k == strlen("BARRIER=1") && memcmp(p, "BARRIER=1", k) == 0)
                        *ret_barrier = true;
                else if (line_is_forwarded(p, k) && len + (len > 0) + k < size) {
                        if (len > 0)
                                out[len++] = '\n';
                        memcpy(out + len, p, k);
                        len += k;
                }
                p += k + 1;
        }
        out[len] = '\0';
        return (int) len;
}

static void close_passed_fds(struct msghdr *mh) {
        for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                        for (size_t i = 0; i < n; i++) {
                                int fd;
                                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                                close(fd);
                        }
                }
}

/* Passes on one queued message. 0: one was handled; -EAGAIN: none was waiting. */
static int forward_one(struct notify_proxy *p, const struct notify_target *t) {
        char buf[NOTIFY_MESSAGE_MAX + 1], out[NOTIFY_MESSAGE_MAX + 1];
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(int) * NOTIFY_FDS_MAX)];
        } control;
        struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf) - 1};
        struct msghdr mh = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof(control.buf)};
        bool barrier;
        ssize_t n;
        int len;

        n = recvmsg(p->fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
        if (n < 0)
                return errno == EINTR ? 0 : negative_errno();
        if ((size_t) n > sizeof(buf) - 1) {
                close_passed_fds(&mh);
                log_warning("notify: a message of %zd bytes from the container was dropped (too long)", n);
                return 0;
        }
        len = notify_proxy_filter(buf, (size_t) n, out, sizeof(out), &barrier);
        if (len < 0)
                log_warning("notify: a message from the container that is not text was dropped");
        else if (len > 0)
                (void) notify_send(t, out, 0);
        /* The payload's barrier is ours: its fd is closed once systemd has handled what came
         * before (a barrier of our own), never passed on. */
        if (barrier)
                (void) notify_barrier(t, 5000);
        close_passed_fds(&mh);
        return 0;
}

static void forward_queued(struct notify_proxy *p, const struct notify_target *t) {
        for (int i = 0; i < 1024 && forward_one(p, t) == 0; i++)
                ;
}

int notify_proxy_follow(struct notify_proxy *p, const struct notify_target *t, pid_t main_pid,
                        int *ret_last_forwarded) {
        static const int forwarded[] = {BERTH_FORWARDED_SIGNALS};
        _cleanup_close_ int sfd = -1;
        sigset_t set;

        *ret_last_forwarded = 0;
        sigemptyset(&set);
        for (size_t i = 0; i < ELEMENTSOF(forwarded); i++)
                sigaddset(&set, forwarded[i]);
        sigaddset(&set, SIGCHLD);
        /* blocked since before the clone (signals_block_forwarded) */
        sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
        if (sfd < 0)
                return log_errno(negative_errno(), "notify: signalfd: %m"), W_EXITCODE(EXIT_HELPER_FAILED, 0);

        for (;;) {
                struct pollfd pfd[2] = {{.fd = sfd, .events = POLLIN}, {.fd = p->fd, .events = POLLIN}};
                struct signalfd_siginfo si;
                int wstatus;
                pid_t pid;

                pid = waitpid(main_pid, &wstatus, WNOHANG);
                if (pid == main_pid) {
                        forward_queued(p, t);
                        return wstatus;
                }
                if (pid < 0 && errno != EINTR)
                        return W_EXITCODE(EXIT_HELPER_FAILED, 0);
                if (poll(pfd, 2, -1) < 0)
                        continue;
                if (pfd[1].revents & POLLIN)
                        (void) forward_one(p, t);
                while (read(sfd, &si, sizeof(si)) == (ssize_t) sizeof(si)) {
                        if ((int) si.ssi_signo == SIGCHLD)
                                continue;
                        (void) kill(main_pid, (int) si.ssi_signo);
                        *ret_last_forwarded = (int) si.ssi_signo;
                }
        }
}

void notify_proxy_done(struct notify_proxy *p) {
        if (p->fd >= 0)
                close(p->fd);
        free(p->dir);
        free(p->path);
        *p = NOTIFY_PROXY_NULL;
}

void notify_proxy_remove(struct notify_proxy *p) {
        if (p->path)
                (void) unlink(p->path);
        if (p->dir)
                (void) rmdir(p->dir);
        notify_proxy_done(p);
}
