/* SPDX-License-Identifier: MIT */
#include "payload.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include "log.h"
#include "util.h"

static int exit_status_for(int err) {
        return err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}

int payload_exec(char *const *argv, char *const *envp) {
        const char *cmd = argv[0], *path = NULL;
        char candidate[PATH_MAX];
        int first_err = 0;

        if (strchr(cmd, '/')) {
                execve(cmd, argv, envp);
                first_err = errno;
        } else {
                STRV_FOREACH(e, envp) {
                        if ((path = startswith(*e, "PATH=")))
                                break;
                }
                /* Walk PATH like execvp(): remember the first "exists but cannot run" error,
                 * keep looking past "not here". */
                for (const char *p = path ?: "/usr/bin:/bin"; p; ) {
                        const char *colon = strchr(p, ':');
                        size_t len = colon ? (size_t) (colon - p) : strlen(p);
                        int n = snprintf(candidate, sizeof(candidate), "%.*s/%s", (int) len, len ? p : ".", cmd);
                        if (n > 0 && (size_t) n < sizeof(candidate)) {
                                execve(candidate, argv, envp);
                                if (errno != ENOENT && errno != ENOTDIR && first_err == 0)
                                        first_err = errno;
                        }
                        p = colon ? colon + 1 : NULL;
                }
                if (first_err == 0)
                        first_err = ENOENT;
        }
        log_errno(-first_err, "exec %s: %m", cmd);
        return exit_status_for(first_err);
}
