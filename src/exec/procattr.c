/* SPDX-License-Identifier: MIT */
#include "procattr.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
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

int procattr_write(int proc_fd, const char *attr, const char *value) {
        char path[64];
        /* thread-self is an ordinary symlink inside procfs (not a magic link): staying below
         * proc_fd and on its mount is all the resolution needs. */
        struct open_how how = {
                .flags = O_WRONLY | O_CLOEXEC | O_NOCTTY,
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
        };
        _cleanup_close_ int fd = -1;
        size_t len = strlen(value);
        ssize_t n;

        if (!is_procfs(proc_fd))
                return -EXDEV;
        if ((size_t) snprintf(path, sizeof(path), "thread-self/attr/%s", attr) >= sizeof(path))
                return -ENAMETOOLONG;
        fd = (int) syscall(SYS_openat2, proc_fd, path, &how, sizeof(how));
        if (fd < 0 && errno == ENOSYS)
                /* no openat2 (older kernels, valgrind): the check below still stands */
                fd = openat(proc_fd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        /* What was opened, not what the path said: a file bound over the attribute (or a
         * tmpfs over /proc) is not procfs. */
        if (!is_procfs(fd))
                return -EXDEV;
        do
                n = write(fd, value, len);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return negative_errno();
        if ((size_t) n != len)
                return -EIO;
        return 0;
}
