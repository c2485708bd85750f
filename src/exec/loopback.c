/* SPDX-License-Identifier: MIT */
#include "loopback.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* Any socket reaches the interface ioctls (the kernel falls back to dev_ioctl for them); an
 * AF_INET one is the usual choice, AF_UNIX the fallback for a kernel without IPv4. */
static int control_socket(void) {
        int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

        if (fd < 0 && errno == EAFNOSUPPORT)
                fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        return fd;
}

int loopback_up(void) {
        _cleanup_close_ int fd = control_socket();
        struct ifreq ifr = {};

        if (fd < 0)
                return log_errno(negative_errno(), "loopback: socket: %m");
        strncpy(ifr.ifr_name, "lo", sizeof(ifr.ifr_name) - 1);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return log_errno(negative_errno(), "loopback: lo: SIOCGIFFLAGS: %m");
        if (ifr.ifr_flags & IFF_UP)
                return 0;
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                return log_errno(negative_errno(), "loopback: bring lo up: %m");
        return 0;
}
