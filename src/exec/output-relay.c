/* SPDX-License-Identifier: MIT */
#include "output-relay.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#define RELAY_NAME "berth-relay"
#define RELAY_BUFFER (64 * 1024)

static bool fd_is_socket(int fd, struct stat *st) {
        return fstat(fd, st) == 0 && S_ISSOCK(st->st_mode);
}

static void close_fd(int *fd) {
        if (*fd >= 0)
                close(*fd);
        *fd = -1;
}

void output_relay_close(struct output_relay *r) {
        for (int i = 0; i < 2; i++) {
                close_fd(&r->read_fd[i]);
                close_fd(&r->write_fd[i]);
        }
}

/* Closes every descriptor from 3 up but keep[0..n): the relay holds nothing of the helper's
 * (namespace fds, the record's lock, the notify socket). */
static void close_all_but(const int *keep, size_t n) {
        int lo = 3;

        for (;;) {
                int next = -1;
                for (size_t i = 0; i < n; i++)
                        if (keep[i] >= lo && (next < 0 || keep[i] < next))
                                next = keep[i];
                if (next < 0) {
                        if (syscall(SYS_close_range, (unsigned) lo, ~0U, 0) < 0)
                                for (int fd = lo; fd < 65536; fd++)
                                        (void) close(fd);
                        return;
                }
                if (next > lo && syscall(SYS_close_range, (unsigned) lo, (unsigned) next - 1, 0) < 0)
                        for (int fd = lo; fd < next; fd++)
                                (void) close(fd);
                lo = next + 1;
        }
}

/* The relay holds no privilege: no capability (bounding set included), no way to gain one,
 * and no /proc/PID access for others. It keeps uid 0 only so that no unprivileged process
 * on the host may signal it. Best effort: it is not more privileged than berth-exec itself. */
static void relay_drop_privileges(void) {
        struct __user_cap_header_struct header = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[2] = {};

        (void) prctl(PR_SET_NAME, RELAY_NAME, 0, 0, 0);
        (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        for (int c = 0; c < 64; c++)
                if (prctl(PR_CAPBSET_DROP, (unsigned long) c, 0, 0, 0) < 0 && errno == EINVAL)
                        break;
        (void) prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
        (void) syscall(SYS_capset, &header, data);
        (void) prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* Writes all of buf to fd; false once fd is unusable (the reader went away): the relay then
 * keeps reading and drops, so the payload is never blocked by a full pipe. */
static bool write_all(int fd, const char *buf, size_t n) {
        while (n > 0) {
                ssize_t k = write(fd, buf, n);
                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0 && errno == EAGAIN) {
                        struct pollfd p = {.fd = fd, .events = POLLOUT};
                        (void) poll(&p, 1, -1);
                        continue;
                }
                if (k <= 0)
                        return false;
                buf += k;
                n -= (size_t) k;
        }
        return true;
}

/* Copies until every input is at end of file. The signals berth-exec blocked stay blocked
 * (SIGTERM from a stop must not cut the log short: the relay ends when the container's
 * writers are gone); a journal that went away makes writes fail, not kill the relay. */
__attribute__((noreturn)) static void relay_main(int in[2], const int out[2]) {
        static char buf[RELAY_BUFFER];
        bool writable[2] = {true, true};

        (void) signal(SIGPIPE, SIG_IGN);
        for (;;) {
                struct pollfd p[2];
                nfds_t n = 0;
                int which[2];

                for (int i = 0; i < 2; i++)
                        if (in[i] >= 0) {
                                p[n] = (struct pollfd){.fd = in[i], .events = POLLIN};
                                which[n++] = i;
                        }
                if (n == 0)
                        _exit(0);
                if (poll(p, n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        _exit(1);
                }
                for (nfds_t k = 0; k < n; k++) {
                        int i = which[k];
                        ssize_t got;

                        if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
                                continue;
                        got = read(in[i], buf, sizeof(buf));
                        if (got < 0 && (errno == EINTR || errno == EAGAIN))
                                continue;
                        if (got <= 0) {
                                close(in[i]);
                                in[i] = -1;
                                continue;
                        }
                        if (writable[i])
                                writable[i] = write_all(out[i], buf, (size_t) got);
                }
        }
}

int output_relay_open(struct output_relay *r) {
        struct stat out_st, err_st;
        bool out_sock = fd_is_socket(STDOUT_FILENO, &out_st), err_sock = fd_is_socket(STDERR_FILENO, &err_st);
        bool shared = out_sock && err_sock && out_st.st_dev == err_st.st_dev && out_st.st_ino == err_st.st_ino;

        if (!out_sock && !err_sock)
                return 0;
        r->shared = shared;
        for (int i = 0; i < 2; i++) {
                int p[2];
                if (!(i == 0 ? out_sock : err_sock) || (i == 1 && shared))
                        continue;
                if (pipe2(p, O_CLOEXEC) < 0) {
                        int e = negative_errno();
                        output_relay_close(r);
                        return log_errno(e, "output relay: pipe: %m");
                }
                r->read_fd[i] = p[0];
                r->write_fd[i] = p[1];
        }
        return 0;
}

int output_relay_spawn(struct output_relay *r) {
        pid_t pid;

        if (r->read_fd[0] < 0 && r->read_fd[1] < 0)
                return 0;
        pid = fork();
        if (pid < 0) {
                int e = negative_errno();
                output_relay_close(r);
                return log_errno(e, "output relay: fork: %m");
        }
        if (pid == 0) {
                const int out[2] = {STDOUT_FILENO, STDERR_FILENO};
                int keep[2];

                close_fd(&r->write_fd[0]);
                close_fd(&r->write_fd[1]);
                keep[0] = r->read_fd[0];
                keep[1] = r->read_fd[1];
                close_all_but(keep, 2);
                relay_drop_privileges();
                relay_main(r->read_fd, out);
        }
        r->pid = pid;
        output_relay_close(r);
        return 0;
}

int output_relay_attach(struct output_relay *r) {
        int out = r->write_fd[0], err = r->write_fd[1];

        if (out < 0 && err < 0)
                return 0;
        if (r->shared)
                err = out;
        if ((out >= 0 && dup2(out, STDOUT_FILENO) < 0) || (err >= 0 && dup2(err, STDERR_FILENO) < 0))
                return log_errno(negative_errno(), "output relay: dup2: %m");
        output_relay_close(r);
        return 0;
}

static int64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void output_relay_finish(struct output_relay *r) {
        int64_t deadline = now_ms() + OUTPUT_RELAY_DRAIN_MS;
        sigset_t chld, old;

        output_relay_close(r);
        if (r->pid <= 0)
                return;
        /* Woken by the relay's SIGCHLD (blocked, so none is lost; berth-exec blocks it
         * anyway while it waits for the container). */
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        (void) sigprocmask(SIG_BLOCK, &chld, &old);
        for (;;) {
                pid_t w = waitpid(r->pid, NULL, WNOHANG);
                int64_t left = deadline - now_ms();
                struct timespec ts;

                if (w == r->pid || (w < 0 && errno != EINTR))
                        break;
                if (left <= 0) {
                        log_warning("output relay: a process still writes after the container ended; stopped");
                        (void) kill(r->pid, SIGKILL);
                        (void) waitpid(r->pid, NULL, 0);
                        break;
                }
                ts = (struct timespec){.tv_sec = left / 1000, .tv_nsec = (left % 1000) * 1000000};
                (void) sigtimedwait(&chld, NULL, &ts);
        }
        (void) sigprocmask(SIG_SETMASK, &old, NULL);
        r->pid = 0;
}
