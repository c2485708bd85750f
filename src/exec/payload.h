/* SPDX-License-Identifier: MIT */
#pragma once

/* The last step: execve the payload, looking a bare command name up in the container's PATH
 * (from envp, not the helper's), as `docker run` does. Only returns on failure, with the exit
 * status docker uses: 127 not found, 126 found but not executable. Logs "exec CMD: reason". */

#define EXIT_HELPER_FAILED 125
#define EXIT_CANNOT_EXECUTE 126
#define EXIT_NOT_FOUND 127

#include <signal.h>
#include <sys/types.h>

int payload_exec(char *const *argv, char *const *envp);
/* The same lookup, but the payload runs as a new child with the signal mask mask (the init
 * shim stays), spawned without copying our memory. 0 and *ret_pid once the payload's execve
 * succeeded, or the exit status above (the error is logged). */
int payload_spawn(char *const *argv, char *const *envp, const sigset_t *mask, pid_t *ret_pid);
/* The payload as a new child that waits until gate[0] (the read end of a pipe) reaches end
 * of file before it execs, so the caller can first become something else (berth-init):
 * nothing of the payload's runs while we still are a copy of the helper. A copy of our
 * memory (fork), since we may be gone by the time it execs: an exec failure is logged and
 * its exit status written to report_fd by the child itself. 0 and *ret_pid, or the exit
 * status above when the child cannot be created. Closes gate[0] here; the caller keeps
 * gate[1] and closes it (or has berth-init close it) to let the payload go. */
int payload_spawn_gated(char *const *argv, char *const *envp, const sigset_t *mask, const int gate[2], int report_fd,
                        pid_t *ret_pid);
