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
