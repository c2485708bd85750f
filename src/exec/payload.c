/* SPDX-License-Identifier: MIT */
#include "payload.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define forget_child_stack(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define forget_child_stack(p, n) ((void) 0)
#endif

#define SPAWN_STACK_SIZE (64 * 1024)

static int exit_status_for(int err) {
        return err == ENOENT || err == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}

/* The paths to try, in order: argv[0] itself when it has a slash, else each directory of the
 * container's PATH (from envp, not the helper's), as `docker run` does. */
static int payload_candidates(const char *cmd, char *const *envp, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        const char *path = NULL;

        if (strchr(cmd, '/')) {
                if (strv_extend(&l, cmd) < 0)
                        return -ENOMEM;
                *ret = TAKE_PTR(l);
                return 0;
        }
        STRV_FOREACH(e, envp) {
                if ((path = startswith(*e, "PATH=")))
                        break;
        }
        for (const char *p = path ?: "/usr/bin:/bin"; p;) {
                const char *colon = strchr(p, ':');
                size_t len = colon ? (size_t) (colon - p) : strlen(p);
                _cleanup_free_ char *candidate = NULL;

                if (xasprintf(&candidate, "%.*s/%s", (int) len, len ? p : ".", cmd) < 0 ||
                    strv_extend(&l, candidate) < 0)
                        return -ENOMEM;
                p = colon ? colon + 1 : NULL;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* execve()s each candidate like execvp(): keeps looking past "not here", remembers the first
 * "exists but cannot run" error. Returns only on failure, with the errno to report. Touches
 * no memory but its arguments and the stack: it also runs in the spawned child, which
 * shares the shim's memory. */
static int exec_candidates(char *const *candidates, char *const *argv, char *const *envp) {
        int first_err = 0;

        for (char *const *c = candidates; *c; c++) {
                execve(*c, argv, envp);
                if (errno != ENOENT && errno != ENOTDIR && first_err == 0)
                        first_err = errno;
        }
        return first_err ?: ENOENT;
}

int payload_exec(char *const *argv, char *const *envp) {
        _cleanup_strv_free_ char **candidates = NULL;
        int err;

        if (payload_candidates(argv[0], envp, &candidates) < 0)
                return log_errno(-ENOMEM, "exec %s: %m", argv[0]), EXIT_HELPER_FAILED;
        err = exec_candidates(candidates, argv, envp);
        log_errno(-err, "exec %s: %m", argv[0]);
        return exit_status_for(err);
}

struct spawn_child {
        char *const *candidates, *const *argv, *const *envp;
        const sigset_t *mask;
        int error_fd; /* write end, close-on-exec: end of file means the payload runs */
};

/* Not instrumented: ASan cannot follow this stack of our own (it would warn, at _exit, that
 * it does not know it), and nothing here touches memory it could check. */
__attribute__((no_sanitize("address"))) static int spawn_child_main(void *userdata) {
        const struct spawn_child *c = userdata;
        int err;

        if (sigprocmask(SIG_SETMASK, c->mask, NULL) < 0)
                err = errno;
        else
                err = exec_candidates(c->candidates, c->argv, c->envp);
        (void) !write(c->error_fd, &err, sizeof(err));
        _exit(exit_status_for(err));
}

/* A child that shares our memory and stops us until its execve (CLONE_VM | CLONE_VFORK, as
 * posix_spawn does): no page tables copied, no copy-on-write faults on either side. Its
 * execve error comes back on a close-on-exec pipe rather than through the shared memory,
 * so the same holds where CLONE_VM is not honoured (valgrind runs such a clone as a fork).
 * Returns 0 or a negative errno for the spawn itself; *ret_exec_err is the payload's execve
 * error, 0 when it runs. */
static int spawn_payload_child(struct spawn_child *c, pid_t *ret_pid, int *ret_exec_err) {
        int error_pipe[2], err = 0, r = 0;
        void *stack;
        pid_t pid;
        ssize_t n;

        if (pipe2(error_pipe, O_CLOEXEC) < 0)
                return negative_errno();
        stack = mmap(NULL, SPAWN_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
        if (stack == MAP_FAILED) {
                r = negative_errno();
                goto out;
        }
        c->error_fd = error_pipe[1];
        pid = clone(spawn_child_main, (char *) stack + SPAWN_STACK_SIZE, CLONE_VM | CLONE_VFORK | SIGCHLD, c);
        if (pid < 0)
                r = negative_errno();
        /* The child has exec'd or exited by now (CLONE_VFORK): its stack is ours again. */
        forget_child_stack(stack, SPAWN_STACK_SIZE);
        (void) munmap(stack, SPAWN_STACK_SIZE);
        if (r < 0)
                goto out;
        close(TAKE_FD(error_pipe[1]));
        do
                n = read(error_pipe[0], &err, sizeof(err));
        while (n < 0 && errno == EINTR);
        if (n == (ssize_t) sizeof(err)) {
                (void) waitpid(pid, NULL, 0);
                *ret_exec_err = err;
        } else {
                *ret_exec_err = 0;
                *ret_pid = pid;
        }
out:
        close(error_pipe[0]);
        if (error_pipe[1] >= 0)
                close(error_pipe[1]);
        return r;
}

int payload_spawn(char *const *argv, char *const *envp, const sigset_t *mask, pid_t *ret_pid) {
        _cleanup_strv_free_ char **candidates = NULL;
        struct spawn_child child = {.argv = argv, .envp = envp, .mask = mask, .error_fd = -1};
        int r, err;

        if (payload_candidates(argv[0], envp, &candidates) < 0)
                return log_errno(-ENOMEM, "exec %s: %m", argv[0]), EXIT_HELPER_FAILED;
        child.candidates = candidates;
        r = spawn_payload_child(&child, ret_pid, &err);
        if (r < 0)
                return log_errno(r, "init: spawn %s: %m", argv[0]), EXIT_HELPER_FAILED;
        if (err != 0) {
                log_errno(-err, "exec %s: %m", argv[0]);
                return exit_status_for(err);
        }
        return 0;
}

/* The gated child: its copy of the gate's write end is closed (close-on-exec fds are all
 * ours, none is the payload's), then it waits for the write end's last holder, the caller,
 * to close it: at berth-init's first instructions, or when the caller goes on in process. */
static _Noreturn void gated_child_main(char *const *candidates, char *const *argv, char *const *envp,
                                       const sigset_t *mask, int gate_fd, int report_fd) {
        char byte;
        ssize_t n;
        int err, status;

        do
                n = read(gate_fd, &byte, 1);
        while (n < 0 && errno == EINTR);
        close(gate_fd);
        if (sigprocmask(SIG_SETMASK, mask, NULL) < 0)
                err = errno;
        else
                err = exec_candidates(candidates, argv, envp);
        log_errno(-err, "exec %s: %m", argv[0]);
        status = exit_status_for(err);
        (void) !write(report_fd, &status, sizeof(status));
        _exit(status);
}

int payload_spawn_gated(char *const *argv, char *const *envp, const sigset_t *mask, const int gate[2], int report_fd,
                        pid_t *ret_pid) {
        int gate_fd = gate[0];
        _cleanup_strv_free_ char **candidates = NULL;
        pid_t pid;

        if (payload_candidates(argv[0], envp, &candidates) < 0) {
                close(gate_fd);
                return log_errno(-ENOMEM, "exec %s: %m", argv[0]), EXIT_HELPER_FAILED;
        }
        pid = fork();
        if (pid < 0) {
                int r = negative_errno();
                close(gate_fd);
                return log_errno(r, "init: fork the payload's process: %m"), EXIT_HELPER_FAILED;
        }
        if (pid == 0) {
                close(gate[1]);
                gated_child_main(candidates, argv, envp, mask, gate_fd, report_fd);
        }
        close(gate_fd);
        *ret_pid = pid;
        return 0;
}
