/* SPDX-License-Identifier: MIT */
/* MCS category pairs for containers without an explicit level: random, and unique among the
 * containers running on this host. Each container's level is recorded as
 * runtime_dir/NAME/mcs = "LEVEL PID STARTTIME"; a record whose process is gone (a crash, a
 * kill -9) is stale and frees its pair, so nothing needs cleaning up after a failure. The
 * start time tells a reused PID from the holder. */
#include "label-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "log.h"
#include "util.h"

#define MCS_RECORD "mcs"
#define MCS_LOCK ".mcs.lock"

char *mcs_record_name(const char *container_name) {
        char *n;
        if (container_name)
                return strdup(container_name);
        if (xasprintf(&n, ".anon-%d", (int) getpid()) < 0)
                return NULL;
        return n;
}

static int mkdir_exists_ok(const char *path) {
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

int mcs_lock(const char *runtime_dir) {
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        r = mkdir_exists_ok(runtime_dir);
        if (r < 0)
                return log_errno(r, "cannot create %s: %m", runtime_dir);
        if (xasprintf(&p, "%s/%s", runtime_dir, MCS_LOCK) < 0)
                return log_errno(-ENOMEM, "out of memory");
        fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return log_errno(negative_errno(), "cannot open %s: %m", p);
        if (flock(fd, LOCK_EX) < 0)
                return log_errno(negative_errno(), "cannot lock %s: %m", p);
        return TAKE_FD(fd);
}

/* Field 22 of /proc/PID/stat (clock ticks since boot); 0 when the process is gone. */
static unsigned long long process_start_time(pid_t pid) {
        _cleanup_fclose_ FILE *f = NULL;
        char path[64], buf[1024];
        unsigned long long start;
        const char *p;
        size_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        f = fopen(path, "re");
        if (!f)
                return 0;
        n = fread(buf, 1, sizeof(buf) - 1, f);
        buf[n] = 0;
        /* The command name may hold spaces and parentheses: count from the last ')'. */
        p = strrchr(buf, ')');
        for (int field = 2; p && field < 22; field++)
                p = strchr(p + 1, ' ');
        if (!p || sscanf(p, " %llu", &start) != 1)
                return 0;
        return start;
}

static bool holder_is_alive(pid_t pid, unsigned long long start) {
        if (kill(pid, 0) < 0 && errno != EPERM)
                return false;
        /* A record without a start time (or a /proc we cannot read) trusts the PID alone. */
        if (start == 0)
                return true;
        unsigned long long now = process_start_time(pid);
        return now == 0 || now == start;
}

static int record_read_at(int dir_fd, const char *name, char **ret_level, pid_t *ret_pid,
                          unsigned long long *ret_start) {
        _cleanup_free_ char *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        char line[1100], level[1025];
        unsigned long long start = 0;
        int fd, pid;

        if (xasprintf(&path, "%s/%s", name, MCS_RECORD) < 0)
                return -ENOMEM;
        fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        f = fdopen(fd, "r");
        if (!f) {
                int r = negative_errno();
                close(fd);
                return r;
        }
        if (!fgets(line, sizeof(line), f) || sscanf(line, "%1024s %d %llu", level, &pid, &start) < 2 || pid <= 0)
                return -EBADMSG;
        if (ret_start)
                *ret_start = start;
        if (ret_level) {
                *ret_level = strdup(level);
                if (!*ret_level)
                        return -ENOMEM;
        }
        *ret_pid = pid;
        return 0;
}

int mcs_record_read(const char *runtime_dir, const char *name, char **ret_level, pid_t *ret_pid) {
        _cleanup_close_ int dir_fd = -1;

        dir_fd = open(runtime_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return negative_errno();
        return record_read_at(dir_fd, name, ret_level, ret_pid, NULL);
}

/* The record's holder, if it still runs; 0 otherwise (or when there is no record). */
static pid_t record_live_holder(const char *runtime_dir, const char *name) {
        _cleanup_close_ int dir_fd = -1;
        unsigned long long start;
        pid_t pid;

        dir_fd = open(runtime_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0 || record_read_at(dir_fd, name, NULL, &pid, &start) < 0)
                return 0;
        return holder_is_alive(pid, start) ? pid : 0;
}

int mcs_live_level(const char *runtime_dir, const char *name, char **ret) {
        _cleanup_free_ char *level = NULL;
        _cleanup_close_ int dir_fd = -1;
        unsigned long long start;
        pid_t pid;
        int r;

        dir_fd = open(runtime_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return negative_errno();
        r = record_read_at(dir_fd, name, &level, &pid, &start);
        if (r < 0)
                return r;
        if (!holder_is_alive(pid, start))
                return -ESRCH;
        *ret = TAKE_PTR(level);
        return 0;
}

int mcs_levels_in_use(const char *runtime_dir, char ***ret) {
        _cleanup_strv_free_ char **used = NULL;
        struct dirent *de;
        DIR *d;
        int r = 0;

        d = opendir(runtime_dir);
        if (!d) {
                if (errno == ENOENT) {
                        *ret = NULL;
                        return 0;
                }
                return log_errno(negative_errno(), "cannot read %s: %m", runtime_dir);
        }
        while ((de = readdir(d))) {
                unsigned long long start;
                char *level = NULL;
                pid_t pid;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (record_read_at(dirfd(d), de->d_name, &level, &pid, &start) < 0)
                        continue;
                if (!holder_is_alive(pid, start)) {
                        _cleanup_free_ char *path = NULL;
                        /* Tidy up under the lock: unnamed containers would otherwise leave a
                         * directory each (berth-exec exits before them under systemd). */
                        if (xasprintf(&path, "%s/%s", de->d_name, MCS_RECORD) >= 0)
                                (void) unlinkat(dirfd(d), path, 0);
                        if (startswith(de->d_name, ".anon-"))
                                (void) unlinkat(dirfd(d), de->d_name, AT_REMOVEDIR);
                        free(level);
                        continue;
                }
                r = strv_push(&used, level);
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r < 0)
                return log_errno(r, "out of memory");
        *ret = TAKE_PTR(used);
        return 0;
}

int mcs_record_write(const char *runtime_dir, const char *name, const char *level, pid_t holder) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL, *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        int fd, r;

        if (xasprintf(&dir, "%s/%s", runtime_dir, name) < 0 || xasprintf(&tmp, "%s/%s.tmp", dir, MCS_RECORD) < 0 ||
            xasprintf(&path, "%s/%s", dir, MCS_RECORD) < 0)
                return log_errno(-ENOMEM, "out of memory");
        r = mkdir_exists_ok(dir);
        if (r < 0)
                return log_errno(r, "cannot create %s: %m", dir);
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return log_errno(negative_errno(), "cannot write %s: %m", tmp);
        f = fdopen(fd, "w");
        if (!f) {
                r = negative_errno();
                close(fd);
                return log_errno(r, "cannot write %s: %m", tmp);
        }
        if (fprintf(f, "%s %d %llu\n", level, (int) holder, process_start_time(holder)) < 0 || fflush(f) != 0) {
                r = negative_errno();
                (void) unlink(tmp);
                return log_errno(r, "cannot write %s: %m", tmp);
        }
        /* Readers never see half a record. */
        if (rename(tmp, path) < 0) {
                r = negative_errno();
                (void) unlink(tmp);
                return log_errno(r, "cannot rename %s to %s: %m", tmp, path);
        }
        return 0;
}

int mcs_check_name_free(const char *runtime_dir, const char *name) {
        pid_t pid = record_live_holder(runtime_dir, name);

        if (pid > 0 && pid != getpid())
                return log_errno(-EBUSY, "container '%s' is already running (PID %d holds its SELinux level)", name,
                                 (int) pid);
        return 0;
}

/* Uniform in [0, n): rejection sampling, so no category is likelier than another. */
static int random_below(unsigned n, unsigned *ret) {
        uint32_t r, limit = UINT32_MAX - UINT32_MAX % n;

        do {
                if (getrandom(&r, sizeof(r), 0) != sizeof(r))
                        return negative_errno();
        } while (r >= limit);
        *ret = r % n;
        return 0;
}

/* Compares categories only: s1:c1,c2 would read down into s0:c1,c2's files. */
static bool categories_in_use(char *const *used, const char *categories) {
        STRV_FOREACH(u, used) {
                const char *c = strchr(*u, ':');
                if (c && streq(c + 1, categories))
                        return true;
        }
        return false;
}

int mcs_pick(const char *sensitivity, unsigned n_categories, char *const *used, char **ret) {
        size_t n_pairs = (size_t) n_categories * (n_categories - 1) / 2;
        int r;

        if (n_categories < 2 || strv_length(used) >= n_pairs)
                return log_errno(-EBUSY, "no free MCS category pair left on this host");
        /* Even with all but one pair taken, this ends: each try succeeds with p >= 1/n_pairs,
         * and a host runs far fewer containers than the 523776 pairs of c0..c1023. */
        for (;;) {
                _cleanup_free_ char *level = NULL;
                unsigned a, b;

                r = random_below(n_categories, &a);
                if (r >= 0)
                        r = random_below(n_categories, &b);
                if (r < 0)
                        return log_errno(r, "cannot get random bytes for an MCS pair: %m");
                if (a == b)
                        continue;
                if (xasprintf(&level, "%s:c%u,c%u", sensitivity, a < b ? a : b, a < b ? b : a) < 0)
                        return log_errno(-ENOMEM, "out of memory");
                if (!categories_in_use(used, strchr(level, ':') + 1)) {
                        *ret = TAKE_PTR(level);
                        return 0;
                }
        }
}

int mcs_hand_over(const char *runtime_dir, const char *name, pid_t holder) {
        _cleanup_free_ char *level = NULL;
        _cleanup_close_ int lock_fd = -1;
        pid_t pid;
        int r;

        lock_fd = mcs_lock(runtime_dir);
        if (lock_fd < 0)
                return lock_fd;
        r = mcs_record_read(runtime_dir, name, &level, &pid);
        if (r < 0)
                return log_errno(r, "cannot read the SELinux level record of '%s': %m", name);
        if (pid != getpid())
                return log_errno(-EPERM, "the SELinux level record of '%s' belongs to PID %d, not to us", name, (int) pid);
        return mcs_record_write(runtime_dir, name, level, holder);
}

void mcs_release(const char *runtime_dir, const char *name) {
        _cleanup_free_ char *path = NULL;
        _cleanup_close_ int lock_fd = -1;
        pid_t pid, holder;

        /* Nothing reserved (SELinux off, label=disable): no lock file to create. */
        if (mcs_record_read(runtime_dir, name, NULL, &pid) == -ENOENT)
                return;
        lock_fd = mcs_lock(runtime_dir);
        if (lock_fd < 0)
                return;
        /* Never drop a reservation that a live container of the same name still holds. */
        holder = record_live_holder(runtime_dir, name);
        if (holder > 0 && holder != getpid())
                return;
        if (xasprintf(&path, "%s/%s/%s", runtime_dir, name, MCS_RECORD) >= 0)
                (void) unlink(path);
}

int mcs_reserve(const char *runtime_dir, const char *name, const char *level, const char *sensitivity,
                unsigned n_categories, char **ret_level) {
        _cleanup_free_ char *picked = NULL;
        _cleanup_close_ int lock_fd = -1;
        int r;

        /* Check, pick and record under one lock, so two containers starting together cannot
         * both take the same pair. */
        lock_fd = mcs_lock(runtime_dir);
        if (lock_fd < 0)
                return lock_fd;
        r = mcs_check_name_free(runtime_dir, name);
        if (r < 0)
                return r;
        if (!level) {
                _cleanup_strv_free_ char **used = NULL;

                r = mcs_levels_in_use(runtime_dir, &used);
                if (r < 0)
                        return r;
                r = mcs_pick(sensitivity, n_categories, used, &picked);
                if (r < 0)
                        return r;
                level = picked;
        }
        r = mcs_record_write(runtime_dir, name, level, getpid());
        if (r < 0)
                return r;
        if (ret_level) {
                *ret_level = strdup(level);
                if (!*ret_level)
                        return log_errno(-ENOMEM, "out of memory");
        }
        return 0;
}
