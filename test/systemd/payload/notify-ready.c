/* SPDX-License-Identifier: MIT */
/* A payload for the Notify=yes scenario: sends "READY=1" to $NOTIFY_SOCKET itself (the
 * busybox root has no systemd-notify), says so on stdout, then waits for a signal. With
 * arguments it sends them instead, one line each (probe-devices-notify.sh: MAINPID=).
 * run.sh builds it statically into the container root; it runs inside the container. */
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        static char ready[4096] = "READY=1\nSTATUS=notified by the payload";
        int fd;

        if (argc > 1) {
                ready[0] = '\0';
                for (int i = 1; i < argc; i++) {
                        if (strlen(ready) + strlen(argv[i]) + 2 > sizeof(ready))
                                return 1;
                        if (i > 1)
                                strcat(ready, "\n");
                        strcat(ready, argv[i]);
                }
        }

        if (!path || path[0] != '/' || strlen(path) >= sizeof(sa.sun_path)) {
                printf("notify-ready: no usable NOTIFY_SOCKET (%s)\n", path ? path : "unset");
                return 1;
        }
        strcpy(sa.sun_path, path);
        fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || sendto(fd, ready, strlen(ready), 0, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                perror("notify-ready: send");
                return 1;
        }
        printf("notify-ready: READY=1 sent to %s\n", path);
        fflush(stdout);
        for (;;)
                pause();
}
