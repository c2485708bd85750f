/* SPDX-License-Identifier: MIT */
#include "payload.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>

#include "log.h"
#include "util.h"

static int exit_status_for(int err) {
        return err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}

/* One attempt: 0 when the program now runs as *ret_pid, else the errno of its execve. */
typedef int (*exec_attempt_fn)(const char *path, char *const *argv, char *const *envp, void *userdata);

/* Runs attempt on argv[0], or on each PATH candidate for a bare name, like execvp(): keeps
 * looking past "not here", remembers the first "exists but cannot run" error. Returns 0 or
 * the errno to report. */
static int exec_with_path_lookup(char *const *argv, char *const *envp, exec_attempt_fn attempt, void *userdata) {
        const char *cmd = argv[0], *path = NULL;
        char candidate[PATH_MAX];
        int first_err = 0, err;

        if (strchr(cmd, '/'))
                return attempt(cmd, argv, envp, userdata);

        STRV_FOREACH(e, envp) {
                if ((path = startswith(*e, "PATH=")))
                        break;
        }
        for (const char *p = path ?: "/usr/bin:/bin"; p; ) {
                const char *colon = strchr(p, ':');
                size_t len = colon ? (size_t) (colon - p) : strlen(p);
                int n = snprintf(candidate, sizeof(candidate), "%.*s/%s", (int) len, len ? p : ".", cmd);
                if (n > 0 && (size_t) n < sizeof(candidate)) {
                        err = attempt(candidate, argv, envp, userdata);
                        if (err == 0)
                                return 0;
                        if (err != ENOENT && err != ENOTDIR && first_err == 0)
                                first_err = err;
                }
                p = colon ? colon + 1 : NULL;
        }
        return first_err ?: ENOENT;
}

static int attempt_execve(const char *path, char *const *argv, char *const *envp, void *userdata) {
        execve(path, argv, envp);
        return errno;
}

int payload_exec(char *const *argv, char *const *envp) {
        int err = exec_with_path_lookup(argv, envp, attempt_execve, NULL);

        log_errno(-err, "exec %s: %m", argv[0]);
        return exit_status_for(err);
}

struct spawn_request {
        const posix_spawnattr_t *attr;
        pid_t pid;
};

static int attempt_spawn(const char *path, char *const *argv, char *const *envp, void *userdata) {
        struct spawn_request *req = userdata;

        /* glibc's posix_spawn shares our memory until the child's execve (CLONE_VM |
         * CLONE_VFORK) and reports that execve's errno: no page tables to copy, and the
         * same errors as payload_exec's. */
        return posix_spawn(&req->pid, path, NULL, req->attr, argv, envp);
}

int payload_spawn(char *const *argv, char *const *envp, const sigset_t *mask, pid_t *ret_pid) {
        struct spawn_request req = {};
        posix_spawnattr_t attr;
        int err;

        err = posix_spawnattr_init(&attr);
        if (err == 0)
                err = posix_spawnattr_setsigmask(&attr, mask);
        if (err == 0)
                err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
        if (err != 0) {
                log_errno(-err, "spawn %s: %m", argv[0]);
                return EXIT_HELPER_FAILED;
        }
        req.attr = &attr;
        err = exec_with_path_lookup(argv, envp, attempt_spawn, &req);
        (void) posix_spawnattr_destroy(&attr);
        if (err != 0) {
                log_errno(-err, "exec %s: %m", argv[0]);
                return exit_status_for(err);
        }
        *ret_pid = req.pid;
        return 0;
}
