/* SPDX-License-Identifier: MIT */
/* berth learn's fixture payload (test/learn/learn.sh). Static: the busybox root has no libc.
 *   learn-fixture work       chown /data/chown-me to 1000, bind TCP port 80, read
 *                            /data/secret (another user's 0600 file), set the clock to
 *                            the time it reads: needs exactly CHOWN, NET_BIND_SERVICE,
 *                            DAC_READ_SEARCH and SYS_TIME; exit 0 only if all four worked
 *   learn-fixture forbidden  unshare, keyctl and mount, which "work" never calls: prints
 *                            each one's result (ok or the errno name) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KEYCTL_GET_KEYRING_ID 0
#define KEY_SPEC_SESSION_KEYRING -3

static int step(const char *what, int r) {
        if (r < 0) {
                printf("%s: %s\n", what, strerror(errno));
                return 1;
        }
        printf("%s: ok\n", what);
        return 0;
}

static int work(void) {
        struct sockaddr_in a = {
                .sin_family = AF_INET, .sin_port = htons(80), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        struct timespec now;
        char buf[64];
        int failed = 0, fd;

        failed += step("chown", chown("/data/chown-me", 1000, (gid_t) -1));

        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        failed += step("bind 80", fd < 0 ? -1 : bind(fd, (struct sockaddr *) &a, sizeof(a)));
        if (fd >= 0)
                close(fd);

        fd = open("/data/secret", O_RDONLY | O_CLOEXEC);
        failed += step("read secret", fd < 0 ? -1 : (int) read(fd, buf, sizeof(buf)));
        if (fd >= 0)
                close(fd);

        failed += step("clock_settime",
                       clock_gettime(CLOCK_REALTIME, &now) < 0 ? -1 : clock_settime(CLOCK_REALTIME, &now));
        return failed ? 1 : 0;
}

static void report(const char *what, long r) {
        printf("%s=%s\n", what, r < 0 ? (errno == EPERM ? "EPERM" : strerror(errno)) : "ok");
}

static int forbidden(void) {
        report("unshare", unshare(CLONE_NEWUTS));
        report("keyctl", syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
        report("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
        return 0;
}

int main(int argc, char **argv) {
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (argc > 1 && strcmp(argv[1], "forbidden") == 0)
                return forbidden();
        return work();
}
