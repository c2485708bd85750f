/* SPDX-License-Identifier: MIT */
#include "inroot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static bool same_inode(int a, int b) {
        struct stat sa, sb;
        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The same resolution done one component at a time, for kernels (and valgrind) without
 * openat2: symlinks are read and resolved again from the root, ".." stops at the root. */
static int walk_in_root(int rootfd, const char *path, int flags) {
        _cleanup_free_ char *todo = strdup(path);
        _cleanup_close_ int cur = -1;
        unsigned links = 0;
        char *rest;

        if (!todo)
                return -ENOMEM;
        cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cur < 0)
                return negative_errno();
        rest = todo;
        for (;;) {
                _cleanup_close_ int next = -1;
                char *comp, target[PATH_MAX];
                struct stat st;
                ssize_t n;

                while (*rest == '/')
                        rest++;
                if (*rest == '\0')
                        break;
                comp = rest;
                rest = strchrnul(rest, '/');
                if (*rest == '/')
                        *rest++ = '\0';
                if (streq(comp, "."))
                        continue;
                if (streq(comp, "..")) {
                        if (same_inode(cur, rootfd))
                                continue;
                        next = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                } else
                        next = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0 || fstat(next, &st) < 0)
                        return negative_errno();
                while (*rest == '/')
                        rest++;
                if (S_ISLNK(st.st_mode) && (*rest != '\0' || !(flags & O_NOFOLLOW))) {
                        char *joined;
                        if (++links > 40)
                                return -ELOOP;
                        n = readlinkat(next, "", target, sizeof(target) - 1);
                        if (n < 0)
                                return negative_errno();
                        target[n] = '\0';
                        joined = strjoin(target, "/", rest);
                        if (!joined)
                                return -ENOMEM;
                        free(todo);
                        todo = rest = joined;
                        if (target[0] == '/') {
                                close(cur);
                                cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
                                if (cur < 0)
                                        return negative_errno();
                        }
                        continue;
                }
                close(cur);
                cur = TAKE_FD(next);
        }

        if (flags & O_DIRECTORY) {
                struct stat st;
                if (fstat(cur, &st) < 0)
                        return negative_errno();
                if (!S_ISDIR(st.st_mode))
                        return -ENOTDIR;
        }
        if (flags & O_PATH)
                return TAKE_FD(cur);
        {
                /* Re-open what we resolved, with the access asked for. */
                char buf[FD_PATH_MAX];
                int fd = open(fd_path(cur, buf), flags | O_CLOEXEC);
                return fd < 0 ? negative_errno() : fd;
        }
}

int inroot_open(int rootfd, const char *path, int flags) {
        struct open_how how = {
                .flags = (unsigned) (flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int fd;

        while (*path == '/')
                path++;
        if (*path == '\0')
                path = ".";
        /* EAGAIN: a ".." in the walk met a mount or rename anywhere on the system (the
         * kernel's global sequence counters moved); at boot many containers mount at once,
         * so retry rather than fail a start. */
        for (int tries = 0;; tries++) {
                fd = (int) syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
                if (fd >= 0 || errno != EAGAIN || tries >= 64)
                        break;
        }
        if (fd < 0 && errno == ENOSYS)
                return walk_in_root(rootfd, path, flags);
        return fd < 0 ? negative_errno() : fd;
}

/* Splits path into its parent (inside the root) and last component. */
static int split_parent(const char *path, char **ret_parent, const char **ret_last) {
        const char *slash;
        char *parent;

        while (*path == '/')
                path++;
        slash = strrchr(path, '/');
        if (!slash) {
                parent = strdup(".");
                *ret_last = path;
        } else {
                parent = strndup(path, (size_t) (slash - path));
                *ret_last = slash + 1;
        }
        if (!parent)
                return -ENOMEM;
        *ret_parent = parent;
        return 0;
}

int inroot_mkdir_p(int rootfd, const char *path) {
        _cleanup_free_ char *parent = NULL;
        _cleanup_close_ int parent_fd = -1;
        const char *last;
        int fd, r;

        fd = inroot_open(rootfd, path, O_PATH | O_DIRECTORY);
        if (fd != -ENOENT)
                return fd;

        r = split_parent(path, &parent, &last);
        if (r < 0)
                return r;
        if (isempty(last) || streq(last, ".") || streq(last, ".."))
                return -EINVAL;
        parent_fd = inroot_mkdir_p(rootfd, parent);
        if (parent_fd < 0)
                return parent_fd;
        if (mkdirat(parent_fd, last, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return inroot_open(rootfd, path, O_PATH | O_DIRECTORY);
}

int inroot_touch(int rootfd, const char *path) {
        _cleanup_free_ char *parent = NULL;
        _cleanup_close_ int parent_fd = -1;
        const char *last;
        int fd, r;

        fd = inroot_open(rootfd, path, O_PATH);
        if (fd != -ENOENT)
                return fd;

        r = split_parent(path, &parent, &last);
        if (r < 0)
                return r;
        parent_fd = inroot_mkdir_p(rootfd, parent);
        if (parent_fd < 0)
                return parent_fd;
        /* An O_PATH fd is a valid dirfd for creating (openat(2)). */
        fd = openat(parent_fd, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
                return negative_errno();
        if (fd >= 0)
                close(fd);
        return inroot_open(rootfd, path, O_PATH);
}

const char *fd_path(int fd, char buf[static FD_PATH_MAX]) {
        snprintf(buf, FD_PATH_MAX, "/proc/self/fd/%d", fd);
        return buf;
}

int inroot_open_nofollow(int rootfd, const char *path, int flags) {
        struct open_how how = {
                .flags = (unsigned) (flags | O_CLOEXEC),
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
        };
        _cleanup_free_ char *todo = NULL;
        _cleanup_close_ int cur = -1;
        char *save = NULL;
        int fd;

        while (*path == '/')
                path++;
        if (*path == '\0')
                path = ".";
        fd = (int) syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
        if (fd >= 0 || errno != ENOSYS)
                return fd < 0 ? negative_errno() : fd;

        /* Without openat2: one component at a time, never following a symlink. */
        todo = strdup(path);
        if (!todo)
                return -ENOMEM;
        cur = openat(rootfd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (cur < 0)
                return negative_errno();
        for (char *comp = strtok_r(todo, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
                struct stat st;
                int next;

                if (streq(comp, ".."))
                        return -EXDEV; /* not needed for the fixed paths this serves */
                next = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                if (next < 0)
                        return negative_errno();
                close(cur);
                cur = next;
                if (fstat(cur, &st) < 0)
                        return negative_errno();
                if (S_ISLNK(st.st_mode))
                        return -ELOOP;
        }
        if (flags & O_DIRECTORY) {
                struct stat st;
                if (fstat(cur, &st) < 0)
                        return negative_errno();
                if (!S_ISDIR(st.st_mode))
                        return -ENOTDIR;
        }
        return TAKE_FD(cur);
}
