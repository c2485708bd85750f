/* SPDX-License-Identifier: MIT */
#include "inroot.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

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
        fd = (int) syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
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
