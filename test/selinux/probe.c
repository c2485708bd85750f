/* SPDX-License-Identifier: MIT */
/* A static helper that runs inside the SELinux test VM's containers (whose root has no libc):
 *   probe bind PORT    bind a TCP socket to 0.0.0.0:PORT; "bound PORT" or "bind PORT: ERROR"
 *   probe getcon PATH  the SELinux label of PATH (its security.selinux attribute)
 *   probe setcon PATH LABEL  set it (the VM's runner labels the test files with this)
 * Exit status 0 on success, 1 on a refused operation, 2 on bad usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/xattr.h>
#include <unistd.h>

static int probe_bind(const char *port_text) {
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_ANY)};
        int fd, port = atoi(port_text);

        if (port <= 0 || port > 65535)
                return 2;
        sa.sin_port = htons((unsigned short) port);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
                printf("socket: %s\n", strerror(errno));
                return 1;
        }
        if (bind(fd, (struct sockaddr *) &sa, sizeof(sa)) < 0) {
                printf("bind %d: %s\n", port, strerror(errno));
                return 1;
        }
        printf("bound %d\n", port);
        return 0;
}

static int probe_getcon(const char *path) {
        char label[512];
        ssize_t n = lgetxattr(path, "security.selinux", label, sizeof(label) - 1);

        if (n < 0) {
                printf("getxattr %s: %s\n", path, strerror(errno));
                return 1;
        }
        /* The kernel may count the terminating NUL. */
        label[n] = 0;
        printf("%s\n", label);
        return 0;
}

static int probe_setcon(const char *path, const char *label) {
        if (lsetxattr(path, "security.selinux", label, strlen(label) + 1, 0) < 0) {
                printf("setxattr %s %s: %s\n", path, label, strerror(errno));
                return 1;
        }
        return 0;
}

int main(int argc, char **argv) {
        if (argc == 3 && strcmp(argv[1], "bind") == 0)
                return probe_bind(argv[2]);
        if (argc == 3 && strcmp(argv[1], "getcon") == 0)
                return probe_getcon(argv[2]);
        if (argc == 4 && strcmp(argv[1], "setcon") == 0)
                return probe_setcon(argv[2], argv[3]);
        fprintf(stderr, "usage: probe bind PORT | probe getcon PATH | probe setcon PATH LABEL\n");
        return 2;
}
