/* SPDX-License-Identifier: MIT */
#pragma once

/* The signals a container's waiting processes pass on to the payload, in one place for the
 * in-process shim (init.c, libc's <signal.h>) and berth-init (the kernel's <asm/signal.h>):
 * what a service manager or `docker kill` sends to stop, reload or resize a service. */
#define BERTH_FORWARDED_SIGNALS SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT, SIGWINCH
