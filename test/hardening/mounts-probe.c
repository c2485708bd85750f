/* SPDX-License-Identifier: MIT */
/* mounts-probe: the in-container half of escape-mounts.sh. Built static (the busybox root
 * has no libc) with the bare compiler, so what it reports is the kernel's answer.
 *   open PATH                       open PATH read-only: "ok" or the errno's name
 *   mknod-open PATH c|b MAJ MIN     "mknod=R open=R": make a device node, then open it
 *   notify TEXT [pid=N] [fd]        send TEXT ("\n" as line breaks) to $NOTIFY_SOCKET, with
 *                                   SCM_CREDENTIALS claiming pid N and/or an fd: "sent" or error
 *   swap DIR A B SECONDS            renameat2(RENAME_EXCHANGE) A and B in DIR for SECONDS:
 *                                   "swapped N" */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static const char *result(int r) {
        static char buf[32];
        if (r >= 0)
                return "ok";
        switch (errno) {
        case EPERM: return "EPERM";
        case EACCES: return "EACCES";
        case ENOENT: return "ENOENT";
        case ENXIO: return "ENXIO";
        case EEXIST: return "EEXIST";
        case EROFS: return "EROFS";
        case ENODEV: return "ENODEV";
        case EINVAL: return "EINVAL";
        }
        snprintf(buf, sizeof(buf), "errno%d", errno);
        return buf;
}

static int do_open(const char *path) {
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        printf("%s\n", result(fd));
        return 0;
}

static int do_mknod_open(const char *path, const char *type, const char *maj, const char *min) {
        mode_t m = (strcmp(type, "b") == 0 ? S_IFBLK : S_IFCHR) | 0666;
        int r = mknod(path, m, makedev(atoi(maj), atoi(min)));
        int fd;

        printf("mknod=%s ", result(r));
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        printf("open=%s\n", result(fd));
        return 0;
}

static int do_notify(int argc, char **argv) {
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        char text[4096];
        size_t n = 0;
        union {
                struct cmsghdr align;
                char buf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))];
        } control;
        struct iovec iov;
        struct msghdr mh = {.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1};
        size_t clen = 0;
        int fd, passfd = -1;
        pid_t as_pid = 0;

        if (!path || path[0] != '/' || strlen(path) >= sizeof(sa.sun_path)) {
                printf("no-socket\n");
                return 1;
        }
        strcpy(sa.sun_path, path);
        for (const char *p = argv[0]; *p && n < sizeof(text) - 1; p++) {
                if (p[0] == '\\' && p[1] == 'n') {
                        text[n++] = '\n';
                        p++;
                } else
                        text[n++] = *p;
        }
        iov = (struct iovec){.iov_base = text, .iov_len = n};
        for (int i = 1; i < argc; i++) {
                if (strncmp(argv[i], "pid=", 4) == 0)
                        as_pid = atoi(argv[i] + 4);
                else if (strcmp(argv[i], "fd") == 0)
                        passfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        memset(&control, 0, sizeof(control));
        if (as_pid > 0) {
                struct cmsghdr *c = (struct cmsghdr *) control.buf;
                struct ucred cred = {.pid = as_pid, .uid = getuid(), .gid = getgid()};
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_CREDENTIALS;
                c->cmsg_len = CMSG_LEN(sizeof(cred));
                memcpy(CMSG_DATA(c), &cred, sizeof(cred));
                clen += CMSG_SPACE(sizeof(cred));
        }
        if (passfd >= 0) {
                struct cmsghdr *c = (struct cmsghdr *) (control.buf + clen);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &passfd, sizeof(int));
                clen += CMSG_SPACE(sizeof(int));
        }
        if (clen) {
                mh.msg_control = control.buf;
                mh.msg_controllen = clen;
        }
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendmsg(fd, &mh, 0) < 0) {
                /* credentials naming another process need CAP_SYS_ADMIN: send without them */
                if (as_pid > 0 && errno == EPERM) {
                        printf("cred-refused ");
                        mh.msg_control = passfd >= 0 ? control.buf + CMSG_SPACE(sizeof(struct ucred)) : NULL;
                        mh.msg_controllen = passfd >= 0 ? CMSG_SPACE(sizeof(int)) : 0;
                        if (sendmsg(fd, &mh, 0) >= 0) {
                                printf("sent\n");
                                return 0;
                        }
                }
                printf("send-%s\n", result(-1));
                return 1;
        }
        printf("sent\n");
        return 0;
}

static int do_swap(const char *dir, const char *a, const char *b, const char *seconds) {
        time_t end = time(NULL) + atoi(seconds);
        unsigned long n = 0;
        int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);

        if (dfd < 0) {
                printf("swap-dir-%s\n", result(-1));
                return 1;
        }
        while (time(NULL) < end) {
                for (int i = 0; i < 1000; i++)
                        if (syscall(SYS_renameat2, dfd, a, dfd, b, RENAME_EXCHANGE) == 0)
                                n++;
        }
        printf("swapped %lu\n", n);
        return 0;
}

int main(int argc, char **argv) {
        setvbuf(stdout, NULL, _IONBF, 0);
        if (argc == 3 && strcmp(argv[1], "open") == 0)
                return do_open(argv[2]);
        if (argc == 6 && strcmp(argv[1], "mknod-open") == 0)
                return do_mknod_open(argv[2], argv[3], argv[4], argv[5]);
        if (argc >= 3 && strcmp(argv[1], "notify") == 0)
                return do_notify(argc - 2, argv + 2);
        if (argc == 6 && strcmp(argv[1], "swap") == 0)
                return do_swap(argv[2], argv[3], argv[4], argv[5]);
        fprintf(stderr, "usage: see the comment at the top of mounts-probe.c\n");
        return 2;
}
