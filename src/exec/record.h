/* SPDX-License-Identifier: MIT */
#pragma once

/* What a running container named NAME leaves under RUNTIME_DIR/NAME/ so others can join its
 * namespaces (container:NAME) and a second NAME is refused:
 *   pid   "PID STARTTIME\n": host pid of the container's first process and its start time
 *         (field 22 of /proc/PID/stat), so a recycled pid is never mistaken for it. */

#include <sys/types.h>

/* Checks that NAME is not running and takes a lock on its record (ret_lock_fd) that is held
 * until record_write(). Logs "record: ..." / "NAME is already running". */
int record_claim(const char *runtime_dir, const char *name, int *ret_lock_fd);
/* Records pid as NAME's first process and releases the lock. */
int record_write(const char *runtime_dir, const char *name, int lock_fd, pid_t pid);
/* Removes NAME's record if it still names pid. */
void record_remove(const char *runtime_dir, const char *name, pid_t pid);
/* Opens /proc/PID of NAME's recorded process (a directory fd that can never come to mean a
 * different process). Logs "container:NAME: ..." when NAME is not running. */
int record_open_process(const char *runtime_dir, const char *name, int *ret_proc_fd);
/* The start time of the process behind a /proc/PID directory fd. */
int proc_start_time(int proc_fd, unsigned long long *ret);
