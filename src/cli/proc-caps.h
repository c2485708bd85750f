/* SPDX-License-Identifier: MIT */
#pragma once

/* A process's identity and capability sets, read from /proc/PID/status (what pscap and
 * `grep Cap /proc/PID/status` show), and the process tree below a PID. */

#include <stdint.h>
#include <sys/types.h>

struct proc_caps {
        pid_t pid;
        pid_t ppid;
        uid_t uid; /* effective */
        char comm[32];
        uint64_t inheritable, permitted, effective, bounding, ambient;
};

/* proc is the /proc mount to read ("/proc" outside tests). */
int proc_caps_read(const char *proc, pid_t pid, struct proc_caps *ret);

/* root and every live descendant of it, root first, each parent before its children.
 * *ret is malloc'ed. */
int proc_tree(const char *proc, pid_t root, pid_t **ret, size_t *ret_n);
