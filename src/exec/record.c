/* SPDX-License-Identifier: MIT */
#include "record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "log.h"
#include "util.h"

int proc_start_time(int proc_fd, unsigned long long *ret) {
        char buf[1024];
        _cleanup_close_ int fd = openat(proc_fd, "stat", O_RDONLY | O_CLOEXEC);
        const char *p;
        ssize_t n;

        if (fd < 0)
                return negative_errno();
        n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return n < 0 ? negative_errno() : -EIO;
        buf[n] = '\0';
        /* comm may contain spaces and parentheses: fields count from the last ')'. */
        p = strrchr(buf, ')');
        if (!p)
                return -EIO;
        p++;
        /* p is at the space before field 3 (state); start time is field 22. */
        for (int field = 3; field < 22 && p; field++)
                p = strchr(p + 1, ' ');
        if (!p || sscanf(p, " %llu", ret) != 1)
                return -EIO;
        return 0;
}

static int record_dir(const char *runtime_dir, const char *name, int *ret) {
        _cleanup_free_ char *dir = strjoin(runtime_dir, "/", name);
        int fd;

        if (!dir)
                return -ENOMEM;
        if (mkdir(runtime_dir, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return negative_errno();
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        *ret = fd;
        return 0;
}

/* Reads PID STARTTIME from the record in dir_fd. */
static int read_record(int dir_fd, pid_t *ret_pid, unsigned long long *ret_start) {
        char buf[128];
        _cleanup_close_ int fd = openat(dir_fd, "pid", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        ssize_t n;
        int pid;

        if (fd < 0)
                return negative_errno();
        n = read(fd, buf, sizeof(buf) - 1);
        if (n < 0)
                return negative_errno();
        buf[n] = '\0';
        if (sscanf(buf, "%d %llu", &pid, ret_start) != 2 || pid <= 0)
                return -EBADMSG;
        *ret_pid = pid;
        return 0;
}

/* Opens /proc/PID when the record in dir_fd names a live process; -ESRCH when it is gone. */
static int open_recorded(int dir_fd, int *ret_proc_fd) {
        char path[64];
        unsigned long long recorded, now;
        pid_t pid;
        int proc_fd, r;

        r = read_record(dir_fd, &pid, &recorded);
        if (r < 0)
                return r == -ENOENT ? -ESRCH : r;
        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        proc_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc_fd < 0)
                return errno == ENOENT ? -ESRCH : negative_errno();
        r = proc_start_time(proc_fd, &now);
        if (r < 0 || now != recorded) {
                close(proc_fd);
                return r < 0 && r != -ESRCH && r != -ENOENT ? r : -ESRCH;
        }
        *ret_proc_fd = proc_fd;
        return 0;
}

int record_claim(const char *runtime_dir, const char *name, int *ret_lock_fd) {
        _cleanup_close_ int dir_fd = -1, lock_fd = -1, proc_fd = -1;
        int r;

        r = record_dir(runtime_dir, name, &dir_fd);
        if (r < 0)
                return log_errno(r, "record: %s/%s: %m", runtime_dir, name);
        lock_fd = openat(dir_fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (lock_fd < 0)
                return log_errno(negative_errno(), "record: %s/%s/lock: %m", runtime_dir, name);
        if (flock(lock_fd, LOCK_EX) < 0)
                return log_errno(negative_errno(), "record: lock %s/%s: %m", runtime_dir, name);

        r = open_recorded(dir_fd, &proc_fd);
        if (r == 0)
                return log_errno(-EBUSY, "container %s is already running", name);
        if (r != -ESRCH && r != -EBADMSG)
                return log_errno(r, "record: %s/%s/pid: %m", runtime_dir, name);
        *ret_lock_fd = TAKE_FD(lock_fd);
        return 0;
}

int record_write(const char *runtime_dir, const char *name, int lock_fd, pid_t pid) {
        _cleanup_close_ int dir_fd = -1, proc_fd = -1, fd = -1;
        char path[64], buf[64];
        unsigned long long start;
        int r, n;

        r = record_dir(runtime_dir, name, &dir_fd);
        if (r < 0)
                return log_errno(r, "record: %s/%s: %m", runtime_dir, name);
        snprintf(path, sizeof(path), "/proc/%d", (int) pid);
        proc_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc_fd < 0)
                return log_errno(negative_errno(), "record: %s: %m", path);
        r = proc_start_time(proc_fd, &start);
        if (r < 0)
                return log_errno(r, "record: %s/stat: %m", path);

        /* Written whole under a temporary name and renamed: readers never see half a record. */
        fd = openat(dir_fd, "pid.new", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0)
                return log_errno(negative_errno(), "record: %s/%s/pid: %m", runtime_dir, name);
        n = snprintf(buf, sizeof(buf), "%d %llu\n", (int) pid, start);
        if (write(fd, buf, (size_t) n) != n || renameat(dir_fd, "pid.new", dir_fd, "pid") < 0)
                return log_errno(negative_errno(), "record: %s/%s/pid: %m", runtime_dir, name);
        if (lock_fd >= 0)
                (void) flock(lock_fd, LOCK_UN);
        return 0;
}

void record_remove(const char *runtime_dir, const char *name, pid_t pid) {
        _cleanup_free_ char *dir = strjoin(runtime_dir, "/", name);
        _cleanup_close_ int dir_fd = -1;
        unsigned long long start;
        pid_t recorded;

        if (!dir)
                return;
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir_fd < 0)
                return;
        /* A later container of the same name may own the record by now. */
        if (read_record(dir_fd, &recorded, &start) < 0 || recorded != pid)
                return;
        (void) unlinkat(dir_fd, "pid", 0);
}

int record_open_process(const char *runtime_dir, const char *name, int *ret_proc_fd) {
        _cleanup_free_ char *dir = strjoin(runtime_dir, "/", name);
        _cleanup_close_ int dir_fd = -1;
        int r;

        if (!dir)
                return log_errno(-ENOMEM, "container:%s: %m", name);
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir_fd < 0 && errno == ENOENT)
                return log_errno(-ESRCH, "container:%s: no container named %s is running", name, name);
        if (dir_fd < 0)
                return log_errno(negative_errno(), "container:%s: %s: %m", name, dir);
        r = open_recorded(dir_fd, ret_proc_fd);
        if (r == -ESRCH)
                return log_errno(r, "container:%s: no container named %s is running", name, name);
        if (r < 0)
                return log_errno(r, "container:%s: %s/pid: %m", name, dir);
        return 0;
}
