/* SPDX-License-Identifier: MIT */
/* HealthCmd= and Notify=healthy (health.h). */
#include "health.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "init.h"
#include "log.h"
#include "payload.h"

#define STOP_GRACE_MS 1000
#define FIRST_PAUSE_USEC 20000ULL
#define MAX_STARTING_PAUSE_USEC 1000000ULL

static uint64_t now_usec(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000ULL;
}

static void sleep_usec(uint64_t usec) {
        struct timespec ts = {.tv_sec = (time_t) (usec / 1000000ULL), .tv_nsec = (long) (usec % 1000000ULL) * 1000L};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

/* Waits for pid (through its pidfd) at most timeout_ms; -1 waits for ever. */
static int wait_child(pid_t pid, int pidfd, int timeout_ms, int *ret_wstatus) {
        if (pidfd >= 0) {
                struct pollfd pfd = {.fd = pidfd, .events = POLLIN};
                int n;
                do
                        n = poll(&pfd, 1, timeout_ms);
                while (n < 0 && errno == EINTR);
                if (n == 0)
                        return -ETIMEDOUT;
        }
        while (waitpid(pid, ret_wstatus, 0) < 0)
                if (errno != EINTR)
                        return negative_errno();
        return 0;
}

int health_check_once(struct enter_plan *p, char *const *argv, uint64_t timeout_usec, bool verbose) {
        _cleanup_close_ int pidfd = -1;
        uint64_t timeout_ms = timeout_usec / 1000;
        int wstatus, status, r;
        pid_t pid;

        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0)
                return log_errno(negative_errno(), "health check: fork: %m"), EXIT_HELPER_FAILED;
        if (pid == 0) {
                (void) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
                if (!verbose) {
                        int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
                        if (null_fd >= 0)
                                (void) dup2(null_fd, STDOUT_FILENO);
                }
                _exit(enter_run(p, argv));
        }
        pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
        r = wait_child(pid, pidfd, timeout_ms > INT32_MAX ? -1 : (int) timeout_ms, &wstatus);
        if (r == -ETIMEDOUT) {
                /* enter_run passes SIGTERM on to the check; what is still there is killed. */
                (void) kill(pid, SIGTERM);
                if (wait_child(pid, pidfd, STOP_GRACE_MS, &wstatus) == -ETIMEDOUT) {
                        (void) kill(pid, SIGKILL);
                        (void) wait_child(pid, -1, -1, &wstatus);
                }
                status = HEALTH_TIMED_OUT;
        } else if (r < 0)
                status = EXIT_HELPER_FAILED;
        else
                status = exit_status_of(wstatus);
        if (verbose) {
                if (status == 0)
                        printf("healthy\n");
                else if (r == -ETIMEDOUT)
                        printf("unhealthy: the check took longer than %llu ms\n", (unsigned long long) timeout_ms);
                else
                        printf("unhealthy: the check exited with status %d\n", status);
                fflush(stdout);
        }
        return status;
}

static void say(const struct notify_target *n, bool own_status, const char *status) {
        char msg[256];

        if (!own_status || n->fd < 0)
                return;
        snprintf(msg, sizeof(msg), "STATUS=%s", status);
        (void) notify_send(n, msg, 0);
}

/* The monitor's life. Returns only to exit. */
static int monitor_run(const struct berth_spec *s, pid_t container_pid, const char *label,
                       const struct notify_target *notify, int report_fd) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_close_ int proc_fd = -1;
        struct enter_options o = {};
        struct enter_plan plan;
        uint64_t interval = spec_health_interval(s), timeout = spec_health_timeout(s), start = now_usec();
        uint64_t starting_deadline = start + s->health_start_period_usec + spec_health_retries(s) * interval;
        uint64_t pause = FIRST_PAUSE_USEC;
        unsigned failures = 0, retries = spec_health_retries(s);
        bool healthy = false, own_status = !s->notify;
        char path[32], msg[160];
        int r;

        enter_plan_init(&plan);
        snprintf(path, sizeof(path), "/proc/%d", (int) container_pid);
        proc_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc_fd < 0)
                r = log_errno(negative_errno(), "health check: %s: %m", path);
        else if (split_quoted(s->health_cmd, &argv) < 0)
                r = log_errno(-ENOMEM, "health check: out of memory");
        else
                r = enter_plan_build(s, proc_fd, label, &o, &plan);
        if (r < 0) {
                /* Checks that cannot run would leave it unready (or unwatched) for ever: fail
                 * now, as a failed check would. */
                log_error("the health check cannot be run: ending the container");
                (void) !write(report_fd, "u", 1);
                (void) kill(container_pid, SIGKILL);
                enter_plan_done(&plan);
                return 1;
        }
        say(notify, own_status, "starting: waiting for the first passing health check");

        for (;;) {
                int status = health_check_once(&plan, argv, timeout, false);
                bool unhealthy = false;

                if (status == 0) {
                        if (!healthy) {
                                log_notice("healthy: the first health check passed after %llu ms",
                                           (unsigned long long) ((now_usec() - start) / 1000));
                                if (s->notify_healthy && notify->fd >= 0) {
                                        (void) notify_send(notify, "READY=1", 0);
                                        (void) notify_barrier(notify, 5000);
                                }
                        } else if (failures > 0)
                                log_notice("healthy again after %u failed checks", failures);
                        if (!healthy || failures > 0)
                                say(notify, own_status, "healthy");
                        healthy = true;
                        failures = 0;
                        sleep_usec(interval);
                        continue;
                }

                if (status == HEALTH_TIMED_OUT)
                        snprintf(msg, sizeof(msg), "took longer than HealthTimeout=%llums",
                                 (unsigned long long) (timeout / 1000));
                else
                        snprintf(msg, sizeof(msg), "exited with status %d", status);
                if (healthy) {
                        failures++;
                        log_warning("health check failed (%u of %u): %s", failures, retries, msg);
                        unhealthy = failures >= retries;
                } else {
                        log_debug("health check (starting): %s", msg);
                        unhealthy = now_usec() >= starting_deadline;
                }
                if (!unhealthy) {
                        if (healthy)
                                sleep_usec(interval);
                        else {
                                sleep_usec(pause < interval ? pause : interval);
                                pause = pause * 2 > MAX_STARTING_PAUSE_USEC ? MAX_STARTING_PAUSE_USEC : pause * 2;
                        }
                        continue;
                }

                if (healthy)
                        log_error("unhealthy: %u health checks in a row failed (last: %s)", failures, msg);
                else
                        log_error("unhealthy: no health check passed within %llu s (last: %s)",
                                  (unsigned long long) ((now_usec() - start) / 1000000), msg);
                say(notify, own_status, "unhealthy");
                if (s->health_on_failure == BERTH_HEALTH_NONE) {
                        /* keep checking: a later pass makes it healthy again */
                        failures = 0;
                        starting_deadline = now_usec() + retries * interval;
                        sleep_usec(interval);
                        continue;
                }
                log_error("HealthOnFailure=%s: %s the container", berth_health_action_to_string(s->health_on_failure),
                          s->health_on_failure == BERTH_HEALTH_KILL ? "killing" : "stopping");
                (void) !write(report_fd, "u", 1);
                (void) kill(container_pid, s->health_on_failure == BERTH_HEALTH_KILL ? SIGKILL : SIGTERM);
                enter_plan_done(&plan);
                /* A payload that ignores SIGTERM is killed after systemd's usual stop time. */
                if (s->health_on_failure == BERTH_HEALTH_STOP) {
                        sleep_usec(90ULL * 1000000ULL);
                        (void) kill(container_pid, SIGKILL);
                }
                return 0;
        }
}

int health_monitor_start(const struct berth_spec *s, pid_t container_pid, const char *label,
                         const struct notify_target *notify, struct health_monitor *ret) {
        int report[2];
        pid_t pid, parent = getpid();

        *ret = HEALTH_MONITOR_NULL;
        if (!s->health_cmd)
                return 0;
        if (pipe2(report, O_CLOEXEC | O_NONBLOCK) < 0)
                return log_errno(negative_errno(), "health check: pipe: %m");
        fflush(stdout);
        fflush(stderr);
        pid = fork();
        if (pid < 0) {
                close(report[0]);
                close(report[1]);
                return log_errno(negative_errno(), "health check: fork: %m");
        }
        if (pid == 0) {
                (void) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
                if (getppid() != parent) /* the helper is already gone */
                        _exit(1);
                close(report[0]);
                (void) prctl(PR_SET_NAME, "berth-health", 0, 0, 0);
                _exit(monitor_run(s, container_pid, label, notify, report[1]));
        }
        close(report[1]);
        ret->pid = pid;
        ret->report_fd = report[0];
        return 0;
}

bool health_monitor_finish(struct health_monitor *m) {
        char c;
        bool ended = false;

        if (m->report_fd >= 0) {
                ended = read(m->report_fd, &c, 1) == 1;
                close(m->report_fd);
        }
        if (m->pid > 0) {
                (void) kill(m->pid, SIGKILL);
                while (waitpid(m->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
        }
        *m = HEALTH_MONITOR_NULL;
        return ended;
}
