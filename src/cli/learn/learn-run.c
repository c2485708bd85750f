/* SPDX-License-Identifier: MIT */
/* berth learn: one container run, judged (learn-run.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include "learn-run.h"
#include "log.h"
#include "util.h"

#define STOP_GRACE_MS 5000
#define CHECK_INTERVAL_MS 200

static int64_t now_ms(void) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms) {
        struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long) (ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

/* The unified hierarchy's mount point: /sys/fs/cgroup on a v2 host, .../unified on a hybrid one. */
static int cgroup2_mount(char **ret) {
        _cleanup_fclose_ FILE *f = fopen("/proc/self/mountinfo", "re");
        char line[4096];

        if (!f)
                return negative_errno();
        while (fgets(line, sizeof(line), f)) {
                char mnt[2048];
                const char *sep = strstr(line, " - ");
                if (!sep || !startswith(sep + 3, "cgroup2 "))
                        continue;
                if (sscanf(line, "%*s %*s %*s %*s %2047s", mnt) != 1)
                        continue;
                *ret = strdup(mnt);
                return *ret ? 0 : -ENOMEM;
        }
        return -ENOENT;
}

static int own_cgroup(char **ret) {
        _cleanup_fclose_ FILE *f = fopen("/proc/self/cgroup", "re");
        char line[4096];

        if (!f)
                return negative_errno();
        while (fgets(line, sizeof(line), f)) {
                const char *p = startswith(line, "0::");
                if (!p)
                        continue;
                line[strcspn(line, "\n")] = 0;
                *ret = strdup(p);
                return *ret ? 0 : -ENOMEM;
        }
        return -ENOENT;
}

static int cgroup_id_of(const char *path, uint64_t *ret) {
        struct {
                struct file_handle fh;
                uint64_t id;
        } h = {.fh.handle_bytes = sizeof(uint64_t)};
        int mount_id;
        struct stat st;

        if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0) == 0 && h.fh.handle_bytes == sizeof(uint64_t)) {
                *ret = h.id;
                return 0;
        }
        if (stat(path, &st) < 0)
                return negative_errno();
        *ret = st.st_ino; /* kernfs: the inode number is the cgroup id on 64-bit */
        return 0;
}

int learn_cgroup_create(struct learn_cgroup *ret) {
        _cleanup_free_ char *mnt = NULL, *own = NULL, *path = NULL;
        int r;

        r = cgroup2_mount(&mnt);
        if (r < 0)
                return log_errno(r, "learn: no cgroup2 (unified) hierarchy mounted: %m");
        r = own_cgroup(&own);
        if (r < 0)
                return log_errno(r, "learn: cannot read our cgroup from /proc/self/cgroup: %m");
        if (xasprintf(&path, "%s%s%sberth-learn-%d", mnt, own, endswith(own, "/") ? "" : "/", (int) getpid()) < 0)
                return -ENOMEM;
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return log_errno(negative_errno(), "learn: cannot create cgroup %s: %m", path);
        r = cgroup_id_of(path, &ret->id);
        if (r < 0) {
                (void) rmdir(path);
                return log_errno(r, "learn: cannot get the id of cgroup %s: %m", path);
        }
        ret->path = TAKE_PTR(path);
        return 0;
}

void learn_cgroup_remove(struct learn_cgroup *cg) {
        if (!cg->path)
                return;
        /* the last processes may still be on their way out */
        for (int i = 0; i < 100 && rmdir(cg->path) < 0 && errno == EBUSY; i++)
                sleep_ms(20);
        free(cg->path);
        cg->path = NULL;
}

/* A stop signal is pending (it stays pending: the caller exits). */
static bool stop_requested(const struct learn_run_options *o) {
        sigset_t pending;

        if (!o->stop_signals || sigpending(&pending) < 0)
                return false;
        for (int sig = 1; sig < NSIG; sig++)
                if (sigismember(o->stop_signals, sig) == 1 && sigismember(&pending, sig) == 1)
                        return true;
        return false;
}

static void child_setup(const struct learn_run_options *o) {
        if (o->child_mask)
                (void) sigprocmask(SIG_SETMASK, o->child_mask, NULL);
}

static void quiet_child(bool verbose) {
        int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (fd < 0)
                return;
        (void) dup2(fd, STDIN_FILENO);
        if (!verbose) {
                (void) dup2(fd, STDOUT_FILENO);
                (void) dup2(fd, STDERR_FILENO);
        }
}

static int spawn_container(const struct learn_run_options *o, char *const *argv, const struct learn_cgroup *cg,
                           pid_t *ret) {
        pid_t pid = fork();

        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                if (cg) {
                        _cleanup_free_ char *procs = strjoin(cg->path, "/cgroup.procs");
                        int fd = procs ? open(procs, O_WRONLY | O_CLOEXEC) : -1;
                        if (fd < 0 || write(fd, "0", 1) != 1)
                                _exit(125);
                        close(fd);
                }
                quiet_child(o->verbose);
                child_setup(o);
                execv(o->exec_path, argv);
                _exit(127);
        }
        *ret = pid;
        return 0;
}

/* The check, bounded by deadline: 1 passed, 0 failed. */
static int run_check(const struct learn_run_options *o, int64_t deadline) {
        int status;
        pid_t pid = fork(), r;

        if (pid < 0)
                return negative_errno();
        if (pid == 0) {
                quiet_child(o->verbose);
                child_setup(o);
                execl("/bin/sh", "sh", "-c", o->check, (char *) NULL);
                _exit(127);
        }
        for (;;) {
                r = waitpid(pid, &status, WNOHANG);
                if (r == pid)
                        return WIFEXITED(status) && WEXITSTATUS(status) == 0;
                if (r < 0 && errno != EINTR)
                        return negative_errno();
                if (now_ms() > deadline) {
                        (void) kill(pid, SIGKILL);
                        (void) waitpid(pid, &status, 0);
                        return 0;
                }
                sleep_ms(10);
        }
}

static void stop_container(pid_t pid) {
        int64_t deadline = now_ms() + STOP_GRACE_MS;
        int status;

        (void) kill(pid, SIGTERM);
        while (waitpid(pid, &status, WNOHANG) == 0) {
                if (now_ms() > deadline) {
                        (void) kill(pid, SIGKILL);
                        (void) waitpid(pid, &status, 0);
                        return;
                }
                sleep_ms(10);
        }
}

int learn_run_works(const struct learn_run_options *o, char *const *argv, const struct learn_cgroup *cgroup,
                    const char **ret_why) {
        int64_t deadline = now_ms() + (int64_t) (o->duration * 1000);
        pid_t pid, w;
        int status, r;

        r = spawn_container(o, argv, cgroup, &pid);
        if (r < 0)
                return log_errno(r, "learn: cannot start %s: %m", o->exec_path);
        for (;;) {
                w = waitpid(pid, &status, WNOHANG);
                if (w < 0 && errno != EINTR)
                        return log_errno(negative_errno(), "learn: waitpid: %m");
                if (w == pid) {
                        bool zero = WIFEXITED(status) && WEXITSTATUS(status) == 0;
                        if (!zero) {
                                *ret_why = WIFEXITED(status) && WEXITSTATUS(status) == 125
                                                   ? "berth-exec failed (exit 125)"
                                                   : "the payload failed";
                                return 0;
                        }
                        if (!o->check)
                                return 1;
                        /* a one-shot payload: its result is the check's */
                        r = run_check(o, now_ms() + (int64_t) (o->duration * 1000));
                        *ret_why = "the payload exited and the check fails";
                        return r;
                }
                if (stop_requested(o)) {
                        stop_container(pid);
                        return -EINTR;
                }
                if (o->check) {
                        r = run_check(o, deadline);
                        if (r != 0) {
                                stop_container(pid);
                                return r;
                        }
                }
                if (now_ms() >= deadline) {
                        stop_container(pid);
                        *ret_why = "the check did not pass in time";
                        return o->check ? 0 : 1; /* without a check: still running is working */
                }
                sleep_ms(o->check ? CHECK_INTERVAL_MS : 20);
        }
}
