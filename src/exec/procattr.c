/* SPDX-License-Identifier: MIT */
#include "procattr.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdint.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static int is_procfs(int fd) {
        struct statfs sf;

        if (fstatfs(fd, &sf) < 0)
                return negative_errno();
        return sf.f_type == PROC_SUPER_MAGIC ? 0 : -EXDEV;
}

int procattr_open_proc(int rootfd) {
        _cleanup_close_ int fd = openat(rootfd, "proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int r;

        if (fd < 0)
                return log_errno(negative_errno(), "open the container's /proc: %m");
        r = is_procfs(fd);
        if (r < 0)
                return log_errno(r, "the container's /proc is not the procfs berth-exec mounted: %m");
        return TAKE_FD(fd);
}

static int open_below(int dirfd, const char *path, int flags) {
        struct open_how how = {
                .flags = (uint64_t) flags,
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int) syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

        /* Kernels before 5.6: the file system check after opening still holds. */
        if (fd < 0 && errno == ENOSYS)
                fd = openat(dirfd, path, flags);
        return fd < 0 ? negative_errno() : fd;
}

int procattr_write(int proc_fd, const char *attr, const char *value) {
        _cleanup_close_ int fd = open_below(proc_fd, attr, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        size_t n = strlen(value);
        ssize_t written;
        int r;

        if (fd < 0)
                return fd;
        r = is_procfs(fd);
        if (r < 0)
                return r;
        do
                written = write(fd, value, n);
        while (written < 0 && errno == EINTR);
        if (written < 0)
                return negative_errno();
        return (size_t) written == n ? 0 : -EIO;
}
