/* SPDX-License-Identifier: MIT */
#pragma once

/* A new network namespace has one interface, lo, and it starts down: 127.0.0.1 and ::1 are
 * unreachable ("Network is unreachable") until something brings it up. Docker, nspawn and
 * bubblewrap do; so does berth-exec for NetworkNamespace=private and none (SPEC §3), while
 * it still holds CAP_NET_ADMIN in that namespace. The kernel then assigns 127.0.0.1/8 and
 * (with IPv6) ::1/128 itself. */

/* Sets IFF_UP on lo in the calling process's network namespace (an ioctl: no netlink, no
 * library). 0 or a negative errno, logged. */
int loopback_up(void);
