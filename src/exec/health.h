/* SPDX-License-Identifier: MIT */
#pragma once

/* HealthCmd=: the check runs inside the container exactly as `berth exec` would run it
 * (enter.h), from a monitor process berth-exec forks once the payload runs. The monitor
 * tells systemd READY=1 after the first passing check (Notify=healthy), logs a failing
 * check, and after HealthRetries= failures in a row (or, before the first pass, when
 * HealthStartPeriod= + HealthRetries= x HealthInterval= have gone by) calls the container
 * unhealthy and applies HealthOnFailure=: kill (SIGKILL to the container), stop (SIGTERM),
 * none (keep checking). berth-exec then ends with a failure status, so Restart= applies. */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "enter.h"
#include "notify.h"
#include "spec.h"

/* One check: argv inside the container, at most timeout_usec. Returns its exit status (0:
 * healthy), HEALTH_TIMED_OUT when it took too long, EXIT_HELPER_FAILED when it could not be
 * run. verbose: say the result on stdout and pass the check's output through (berth health);
 * otherwise its stdout is dropped and its stderr kept (the journal). */
#define HEALTH_TIMED_OUT 124
int health_check_once(struct enter_plan *p, char *const *argv, uint64_t timeout_usec, bool verbose);

struct health_monitor {
        pid_t pid;     /* the monitor process, 0 when none */
        int report_fd; /* read end: one byte when the monitor ended the container */
};

#define HEALTH_MONITOR_NULL ((struct health_monitor){.pid = 0, .report_fd = -1})

/* Forks the monitor for the container whose first process is container_pid. send_ready:
 * the monitor sends READY=1 (Notify=healthy); STATUS= is sent unless the payload owns it
 * (Notify=yes). No-op without HealthCmd=. */
int health_monitor_start(const struct berth_spec *s, pid_t container_pid, const char *label,
                         const struct notify_target *notify, struct health_monitor *ret);
/* After the container ended: stops the monitor; true when it was the monitor that ended the
 * container (HealthOnFailure=). */
bool health_monitor_finish(struct health_monitor *m);
