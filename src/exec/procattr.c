/* SPDX-License-Identifier: MIT */
#include "procattr.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

static bool is_procfs(int fd) {
        struct statfs sf;
        return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/* thread-self is an ordinary symlink inside procfs, not a magic link: staying below proc_fd
 * and on its mount is all the resolution needs. */
static int open_below(int dirfd, const char *path, int flags) {
        struct open_how how = {
                .flags = (uint64_t) flags,
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS,
        };
        int fd = (int) syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

        /* no openat2 (kernels before 5.6, valgrind): the file system check after opening
         * still holds */
        if (fd < 0 && errno == ENOSYS)
                fd = openat(dirfd, path, flags | O_NOFOLLOW);
        return fd < 0 ? negative_errno() : fd;
}

int procattr_write(int proc_fd, const char *attr, const char *value) {
        _cleanup_close_ int fd = -1;
        size_t n = strlen(value);
        char path[64];
        ssize_t written;

        if (!is_procfs(proc_fd))
                return -EXDEV;
        if ((size_t) snprintf(path, sizeof(path), "thread-self/attr/%s", attr) >= sizeof(path))
                return -ENAMETOOLONG;
        fd = open_below(proc_fd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return fd;
        /* what was opened, not what the path said: a file bound over the attribute is not procfs */
        if (!is_procfs(fd))
                return -EXDEV;
        do
                written = write(fd, value, n);
        while (written < 0 && errno == EINTR);
        if (written < 0)
                return negative_errno();
        return (size_t) written == n ? 0 : -EIO;
}
