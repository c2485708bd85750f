/* SPDX-License-Identifier: MIT */
/* berth-exec: runs one container (SPEC §5).
 *
 *   parse + validate options       nothing has happened yet
 *   container_prepare()            everything that can fail early: root, user, caps, env,
 *                                  volumes, namespaces to join, record, label, seccomp
 *   container_start()              join namespaces, clone with the new ones
 *     child: container_run()       the privileged sequence, top-down in kernel order
 *     parent: container_follow()   record the container, wait for its execve, tell
 *                                  systemd READY=1, then stay (the unit's main process)
 *                                  forwarding signals until the container ends
 *
 * The child reports a failure (its exit status) through a close-on-exec pipe; end of file
 * on that pipe means the payload was exec'd. So the parent knows, before it tells systemd
 * anything, whether the payload runs, and the payload never runs after a failed step. */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apparmor-exec.h"
#include "capability.h"
#include "enter.h"
#include "environ.h"
#include "health.h"
#include "init.h"
#include "inroot.h"
#include "label.h"
#include "log.h"
#include "loopback.h"
#include "namespaces.h"
#include "notify.h"
#include "notify-proxy.h"
#include "output-relay.h"
#include "payload.h"
#include "privileges.h"
#include "procattr.h"
#include "record-spec.h"
#include "record.h"
#include "rootfs.h"
#include "seccomp.h"
#include "spec.h"
#include "user.h"

#define SECCOMP_CACHE_DIR BERTH_RUNTIME_DIR "/seccomp"
#define NOTIFY_BARRIER_TIMEOUT_MS 5000

struct container {
        struct berth_spec spec;
        int last_cap;
        uint64_t caps;
        struct berth_capsets capsets; /* the payload's five sets, from caps and the user */
        struct exec_user user;
        char **env;
        char **masked_paths;
        char **readonly_paths;
        struct ns_plan ns;
        struct berth_label_plan label;
        struct apparmor_plan apparmor;
        struct berth_seccomp seccomp;
        struct notify_target notify; /* fd -1: not run by a service manager */
        struct notify_proxy notify_proxy; /* --notify: the socket the payload sends to */
        int record_lock_fd;          /* -1: the container has no name */
        int init_dir_fd;             /* berth-init's directory, a read-only detached mount of
                                      * it; -1: keep the in-process shim */
        bool label_reserved;         /* label_plan_build() succeeded: release when done */
        sigset_t original_mask;      /* restored for the payload */
        int report_fd;               /* child: write end of the failure pipe */
        int payload_status_fd;       /* "killed by N" from the init (init.h): its write end in
                                      * the child, the read end in the parent; -1: no init */
        struct output_relay relay;   /* stdout/stderr through pipes when they are a socket */
};

static void container_init(struct container *c) {
        *c = (struct container){.notify = NOTIFY_TARGET_NULL,
                                .notify_proxy = NOTIFY_PROXY_NULL,
                                .record_lock_fd = -1,
                                .init_dir_fd = -1,
                                .report_fd = -1};
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                c->ns.join_fd[k] = -1;
        c->ns.own_pid_fd = -1;
        c->ns.proc_fs_fd = -1;
        c->payload_status_fd = -1;
        c->relay = (struct output_relay) OUTPUT_RELAY_NULL;
        spec_init(&c->spec);
}

static void container_done(struct container *c) {
        user_done(&c->user);
        strv_free(c->env);
        strv_free(c->masked_paths);
        strv_free(c->readonly_paths);
        ns_plan_close(&c->ns);
        label_plan_done(&c->label);
        apparmor_plan_done(&c->apparmor);
        seccomp_done(&c->seccomp);
        notify_done(&c->notify);
        notify_proxy_done(&c->notify_proxy);
        if (c->record_lock_fd >= 0)
                close(c->record_lock_fd);
        if (c->report_fd >= 0)
                close(c->report_fd);
        if (c->init_dir_fd >= 0)
                close(c->init_dir_fd);
        if (c->payload_status_fd >= 0)
                close(TAKE_FD(c->payload_status_fd));
        output_relay_close(&c->relay);
        spec_done(&c->spec);
        c->env = c->masked_paths = c->readonly_paths = NULL;
        c->record_lock_fd = c->report_fd = c->init_dir_fd = -1;
}

/* ---- before any side effect ---- */

static int check_volume_sources(const struct berth_spec *s) {
        for (size_t i = 0; i < s->n_volumes; i++) {
                struct stat st;
                if (stat(s->volumes[i].source, &st) < 0)
                        return log_errno(negative_errno(), "volume %s:%s: %s: %m", s->volumes[i].source,
                                         s->volumes[i].target, s->volumes[i].source);
        }
        return 0;
}

static int hostname_for_env(const struct berth_spec *s, char *buf, size_t size) {
        if (s->ns[BERTH_NS_UTS].mode == BERTH_NS_MODE_PRIVATE) {
                snprintf(buf, size, "%s", spec_hostname(s));
                return 0;
        }
        /* A shared UTS namespace: the payload sees whatever it is, as docker reports. */
        if (gethostname(buf, size) < 0)
                return log_errno(negative_errno(), "gethostname: %m");
        buf[size - 1] = '\0';
        return 0;
}

static int open_notify(struct container *c) {
        const char *socket_name = getenv("NOTIFY_SOCKET");
        int r;

        if (isempty(socket_name)) {
                if (c->spec.notify)
                        return log_errno(-EINVAL, "--notify: NOTIFY_SOCKET is not set, there is no socket to pass on");
                return 0;
        }
        r = notify_open(socket_name, &c->notify);
        if (r < 0)
                return r;
        if (c->spec.notify && c->notify.abstract)
                return log_errno(-EINVAL, "--notify: NOTIFY_SOCKET %s is abstract and cannot be bound into the container",
                                 socket_name);
        if (c->spec.notify)
                return notify_proxy_open(BERTH_RUNTIME_DIR, &c->notify_proxy);
        return 0;
}

/* berth-init is installed (and built) next to berth-exec. Its directory is opened now, while
 * the host's file system is still ours to see, as a read-only detached copy of its mount
 * (CVE-2019-5736 class, issue 11): berth-init runs from it, so /proc/1/exe, or any O_PATH
 * handle a container gets on it, names a file on a read-only mount that no one can remount
 * (detached, in no namespace) and reopening it for writing fails with EROFS. The host's own
 * file is never opened by anything inside. Whether berth-init is there is left to the exec
 * itself (exec_tiny_init), which falls back to the in-process shim; so does a kernel without
 * open_tree/mount_setattr (before 5.12, and valgrind). Any other failure is an error. */
static int open_init_dir(int *ret) {
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV};
        _cleanup_close_ int dir = -1, tree = -1;
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
        char *slash;

        *ret = -1;
        if (n <= 0)
                return 0;
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (!slash)
                return 0;
        *(slash == self ? slash + 1 : slash) = '\0';
        dir = open(self, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return 0;
        tree = open_tree(dir, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (tree < 0 && errno == ENOSYS)
                return 0;
        if (tree < 0)
                return log_errno(negative_errno(), "berth-init: read-only mount of %s: %m", self);
        if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
                return errno == ENOSYS ? 0 : log_errno(negative_errno(), "berth-init: read-only mount of %s: %m", self);
        *ret = TAKE_FD(tree);
        return 0;
}

static int container_prepare(struct container *c) {
        const struct berth_spec *s = &c->spec;
        _cleanup_close_ int rootfd = -1;
        char hostname[256];
        int r;

        c->last_cap = capability_read_last_cap();
        r = caps_compute(s, c->last_cap, &c->caps);
        if (r < 0)
                return r;

        rootfd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return log_errno(negative_errno(), "rootfs %s: %m", s->rootfs);
        r = user_resolve(rootfd, s->user, s->group, &c->user);
        if (r < 0)
                return r;
        capsets_for_user(s->cap_add, c->caps, c->user.uid == 0, &c->capsets);

        r = open_notify(c);
        if (r < 0)
                return r;
        r = hostname_for_env(s, hostname, sizeof(hostname));
        if (r < 0)
                return r;
        r = environ_build(s, c->user.home, hostname, s->notify ? NOTIFY_SOCKET_INSIDE : NULL, &c->env);
        if (r < 0)
                return r;

        r = check_volume_sources(s);
        if (r < 0)
                return r;
        r = rootfs_check_devices(s->devices, s->n_devices);
        if (r < 0)
                return r;
        if (spec_masked_paths(s, &c->masked_paths) < 0 || spec_readonly_paths(s, &c->readonly_paths) < 0)
                return log_errno(-ENOMEM, "masked paths: %m");

        r = ns_plan_build(s, BERTH_RUNTIME_DIR, &c->ns);
        if (r < 0)
                return r;
        if (s->name) {
                r = record_claim(BERTH_RUNTIME_DIR, s->name, &c->record_lock_fd);
                if (r < 0)
                        return r;
        }
        r = label_plan_build(s, BERTH_RUNTIME_DIR, &c->label);
        if (r < 0)
                return r;
        c->label_reserved = true;
        if (s->name) {
                r = record_write_spec(BERTH_RUNTIME_DIR, s, c->label.apply ? c->label.process_label : NULL);
                if (r < 0)
                        return r;
        }
        r = apparmor_plan_build(s, BERTH_RUNTIME_DIR, &c->apparmor);
        if (r < 0)
                return r;
        if (spec_wants_init(s)) {
                r = open_init_dir(&c->init_dir_fd);
                if (r < 0)
                        return r;
        }
        return seccomp_prepare(s->seccomp, c->caps, SECCOMP_CACHE_DIR, &c->seccomp);
}

/* ---- the child: the privileged sequence ---- */

static int set_hostname(const struct berth_spec *s) {
        const char *name = spec_hostname(s);

        if (s->ns[BERTH_NS_UTS].mode != BERTH_NS_MODE_PRIVATE)
                return 0;
        if (sethostname(name, strlen(name)) < 0)
                return log_errno(negative_errno(), "hostname %s: %m", name);
        return 0;
}

/* Resolved inside the root by the kernel, magic links refused (CVE-2024-21626 class, issue
 * 11): neither --workdir /proc/self/fd/N nor a symlink in the root to one can give a working
 * directory outside the root, whatever descriptors we hold. Checked: the kernel must be able
 * to name it from the root. Runs as the container's user (its permissions apply). */
static int enter_workdir(int rootfd, const char *workdir) {
        const char *path = workdir ?: "/";
        _cleanup_close_ int fd = inroot_open(rootfd, path, O_PATH | O_DIRECTORY);
        char cwd[PATH_MAX];

        if (fd < 0)
                return log_errno(fd, "workdir %s: %m", path);
        if (fchdir(fd) < 0)
                return log_errno(negative_errno(), "workdir %s: %m", path);
        if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
                return log_errno(-EXDEV, "workdir %s: not reachable from the container's root", path);
        return 0;
}

/* Before anything else in the child: a new session, so the payload has no controlling
 * terminal and cannot push input into the caller's with TIOCSTI (CVE-2017-5226 class, as
 * bubblewrap's --new-session). Signals from the terminal reach berth-exec, which passes
 * them on. Only when there is a terminal to leave: a service has none (/dev/tty: ENXIO),
 * and a new session costs a scheduler autogroup on every start (≈ 0.2-0.5 ms here). */
static int detach_from_terminal(void) {
        int fd = open("/dev/tty", O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);

        if (fd < 0 && errno == ENXIO)
                return 0;
        if (fd >= 0)
                close(fd);
        if (setsid() < 0)
                return log_errno(negative_errno(), "setsid: %m");
        return 0;
}

static int cloexec_listed_fds(void) {
        DIR *d = opendir("/proc/self/fd");
        int r = 0;

        if (!d)
                return log_errno(negative_errno(), "close-on-exec: /proc/self/fd: %m");
        for (struct dirent *de; r == 0 && (de = readdir(d));) {
                int fd = atoi(de->d_name), flags;
                if (fd < 3 || fd == dirfd(d) || (flags = fcntl(fd, F_GETFD)) < 0 || (flags & FD_CLOEXEC))
                        continue;
                if (fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
                        r = log_errno(negative_errno(), "close-on-exec: fd %d: %m", fd);
        }
        closedir(d);
        return r;
}

/* Every descriptor the caller left open (berth passes none on purpose: no LISTEN_FDS) is
 * closed by the payload's exec at the latest. Ours are close-on-exec already. */
static int mark_inherited_fds_cloexec(void) {
        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        if (errno != ENOSYS && errno != EINVAL)
                return log_errno(negative_errno(), "close_range: %m");
        /* Before Linux 5.11 (and under valgrind): each open one, as /proc lists them. */
        return cloexec_listed_fds();
}

/* --pid container:A or ns:PATH (issue 11): this process stayed in our PID namespace, out of
 * A's sight, through pivot_root and the privilege drop. Its child (the payload to be) is
 * the first process of ours in A; this one waits for it, passing signals on, and never
 * returns. The child returns 0 and goes on with the sequence. */
static int enter_joined_pid_ns(struct container *c) {
        pid_t pid;
        int wstatus;

        pid = fork();
        if (pid < 0)
                return log_errno(negative_errno(), "join pid namespace: fork: %m");
        if (pid == 0) {
                (void) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
                return 0;
        }
        container_done(c); /* also closes our copy of the failure pipe */
        (void) malloc_trim(0);
        wstatus = forward_signals_until_wstatus(pid, false, NULL);
        /* Not a namespace's PID 1: we can end as the payload did, for berth-exec to see. */
        if (WIFSIGNALED(wstatus))
                die_by_signal(WTERMSIG(wstatus));
        _exit(exit_status_of(wstatus));
}

/* Replaces the shim by berth-init, which waits for pid with the signals still blocked. The
 * name is the file's, so the process is called berth-init from its first instruction on.
 * Returns only if the exec failed (not built for this machine, a seccomp profile that
 * refuses execveat, a policy that refuses the label's entrypoint): then the caller goes on
 * as the shim itself. */
static void exec_tiny_init(struct container *c, pid_t pid, int gate_fd) {
        char pid_arg[16], status_arg[16] = "-", gate_arg[16];
        char *argv[] = {(char *) BERTH_INIT_NAME, pid_arg, status_arg, gate_arg, NULL};
        char *envp[] = {NULL};

        snprintf(pid_arg, sizeof(pid_arg), "%d", (int) pid);
        snprintf(gate_arg, sizeof(gate_arg), "%d", gate_fd);
        /* berth-init inherits the status pipe; the payload did not (close-on-exec then). */
        if (c->payload_status_fd >= 0 && fcntl(c->payload_status_fd, F_SETFD, 0) == 0)
                snprintf(status_arg, sizeof(status_arg), "%d", c->payload_status_fd);
        /* berth-init closes the gate itself, once it is not dumpable. */
        if (fcntl(gate_fd, F_SETFD, 0) < 0)
                return;
        (void) syscall(SYS_execveat, c->init_dir_fd, BERTH_INIT_NAME, argv, envp, 0);
        log_debug("exec %s: %m; the init shim stays in process", BERTH_INIT_NAME);
}

/* PID 1 of the container: spawns the payload, then becomes berth-init (or, failing that,
 * reaps and forwards itself, with everything the helper allocated freed first). */
static int run_init_and_payload(struct container *c) {
        pid_t pid;
        int r, wstatus, status_fd;

        /* Named before the payload starts, so whoever lists the container's processes sees
         * berth-init from then on, also while this copy of the helper spawns, and when the
         * exec below fails and it waits itself. (READY=1 waits for our end of the failure
         * pipe too, which closes at that exec or in container_done().) */
        (void) prctl(PR_SET_NAME, BERTH_INIT_NAME, 0, 0, 0);
        if (c->init_dir_fd >= 0) {
                /* The payload waits until berth-init, from its read-only mount, is not
                 * dumpable (issue 11): nothing in the container ever sees its PID 1 as the
                 * helper's copy (/proc/1/exe the host's berth-exec) or as a dumpable
                 * berth-init. (This copy is not dumpable since clone.) */
                int gate[2];
                if (pipe2(gate, O_CLOEXEC) < 0)
                        return log_errno(negative_errno(), "init: pipe: %m"), EXIT_HELPER_FAILED;
                r = payload_spawn_gated(c->spec.command, c->env, &c->original_mask, gate, c->report_fd, &pid);
                if (r == 0)
                        exec_tiny_init(c, pid, gate[1]);
                close(gate[1]); /* the exec failed: the payload goes, we wait in process */
        } else
                r = payload_spawn(c->spec.command, c->env, &c->original_mask, &pid);
        if (r != 0)
                return r;
        status_fd = TAKE_FD(c->payload_status_fd);
        container_done(c); /* also closes our copy of the failure pipe */
        (void) malloc_trim(0);
        wstatus = forward_signals_until_wstatus(pid, true, NULL);
        payload_status_report(status_fd, wstatus);
        _exit(exit_status_of(wstatus));
}

/* The SELinux exec label, through the procfs berth mounted (never by path: see procattr.h). */
static int apply_exec_label(const struct berth_label_plan *p, int proc_fd) {
        int r;

        if (!p->apply)
                return 0;
        r = procattr_write(proc_fd, "exec", p->process_label);
        if (r == -EXDEV)
                return log_errno(r,
                                 "cannot set SELinux exec label '%s': /proc/thread-self/attr/exec is not on the procfs "
                                 "berth mounted",
                                 p->process_label);
        if (r < 0)
                return log_errno(r, "cannot set SELinux exec label '%s': %m", p->process_label);
        return 0;
}

#define STEP(call)                                                                                                     \
        do {                                                                                                           \
                if ((call) < 0)                                                                                        \
                        return EXIT_HELPER_FAILED;                                                                     \
        } while (0)

/* Runs in the clone()d child, in its new namespaces. Returns an exit status only on failure;
 * on success the payload has replaced us (or we are the init shim and never return). */
static int container_run(struct container *c) {
        const struct berth_spec *s = &c->spec;
        const char *file_label = c->label.apply ? c->label.file_label : NULL;
        _cleanup_close_ int rootfd = -1, procfd = -1;

        /* what the caller left us */
        STEP(detach_from_terminal());
        STEP(mark_inherited_fds_cloexec());

        /* the file system */
        STEP(rootfs_make_mounts_private());
        STEP(rootfs_bind_root(s->rootfs, &rootfd));
        if (ns_plan_joins_pid(&c->ns))
                STEP(ns_mount_joined_proc(&c->ns, rootfd));
        else
                STEP(rootfs_mount_proc(rootfd));
        STEP(rootfs_open_proc(rootfd, &procfd)); /* the procfs just mounted: for the LSM attributes */
        STEP(rootfs_mount_sys(rootfd));
        STEP(rootfs_mount_dev(rootfd, file_label));
        STEP(rootfs_bind_devices(rootfd, s->devices, s->n_devices));
        STEP(rootfs_mount_volumes(rootfd, s->volumes, s->n_volumes));
        STEP(rootfs_mount_tmpfs(rootfd, s->tmpfs, s->n_tmpfs, file_label));
        if (s->notify)
                STEP(rootfs_bind_file(rootfd, c->notify_proxy.path, NOTIFY_SOCKET_INSIDE));
        STEP(rootfs_mask_paths(rootfd, c->masked_paths, file_label));
        STEP(rootfs_readonly_paths(rootfd, c->readonly_paths));
        if (s->read_only)
                STEP(rootfs_make_root_readonly(rootfd));
        STEP(rootfs_pivot(rootfd));
        STEP(ns_plan_join_pid(&c->ns)); /* for our children only: we stay out of sight */
        STEP(set_hostname(s));
        if (s->ns[BERTH_NS_NET].mode == BERTH_NS_MODE_PRIVATE || s->ns[BERTH_NS_NET].mode == BERTH_NS_MODE_NONE)
                STEP(loopback_up()); /* a namespace of our own: lo starts down */

        /* the process's privileges, narrowest last */
        STEP(caps_drop_bounding(c->caps, c->last_cap));
        if (!s->no_new_privileges)
                /* Without no_new_privs the kernel wants CAP_SYS_ADMIN to load a filter, and we
                 * lose it at the user switch: load it now. */
                STEP(seccomp_load_filter(&c->seccomp));
        STEP(user_switch(&c->user));
        STEP(enter_workdir(rootfd, s->workdir));
        STEP(caps_apply(&c->capsets));
        if (c->capsets.ambient != 0)
                STEP(caps_raise_ambient(c->capsets.ambient, c->last_cap));
        if (s->no_new_privileges)
                STEP(set_no_new_privs());
        if (ns_plan_joins_pid(&c->ns))
                STEP(enter_joined_pid_ns(c));
        STEP(apply_exec_label(&c->label, procfd));
        STEP(apparmor_apply_exec(&c->apparmor, procfd));
        if (s->no_new_privileges)
                STEP(seccomp_load_filter(&c->seccomp));

        if (spec_wants_init(s))
                return run_init_and_payload(c);
        if (sigprocmask(SIG_SETMASK, &c->original_mask, NULL) < 0)
                return log_errno(negative_errno(), "restore signal mask: %m"), EXIT_HELPER_FAILED;
        return payload_exec(s->command, c->env);
}

/* ---- the parent ---- */

/* 0: the payload was exec'd (the pipe closed); otherwise the child's exit status. */
static int wait_for_exec(int report_fd) {
        int status;
        ssize_t n;

        do
                n = read(report_fd, &status, sizeof(status));
        while (n < 0 && errno == EINTR);
        if (n == (ssize_t) sizeof(status))
                return status;
        if (n < 0)
                return log_errno(negative_errno(), "waiting for the container: %m"), EXIT_HELPER_FAILED;
        return 0;
}

static int tell_service_manager(struct container *c) {
        int r;

        /* Only READY=1, from ourselves: this process stays the main process (see
         * container_follow). */
        r = notify_send(&c->notify, "READY=1", 0);
        if (r < 0)
                return r;
        r = notify_barrier(&c->notify, NOTIFY_BARRIER_TIMEOUT_MS);
        if (r < 0)
                log_warning("notify: READY=1 was sent but not confirmed");
        return 0;
}

static int container_follow(struct container *c, pid_t pid, int report_fd) {
        const char *name = c->spec.name;
        struct health_monitor health = HEALTH_MONITOR_NULL;
        int status, wstatus, forwarded = 0, payload_wstatus = 0;

        /* The SELinux level stays reserved while the container's process lives. */
        if (label_plan_hand_over(&c->label, &c->spec, BERTH_RUNTIME_DIR, pid) < 0) {
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                status = EXIT_HELPER_FAILED;
                goto finish;
        }

        status = wait_for_exec(report_fd);
        if (status != 0) {
                (void) waitpid(pid, &wstatus, 0);
                goto finish;
        }
        /* Named once the payload runs: another container joining this one's namespaces
         * (container:NAME) finds them complete, never a setup process half-way. */
        if (name && record_write(BERTH_RUNTIME_DIR, name, c->record_lock_fd, pid) < 0) {
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                status = EXIT_HELPER_FAILED;
                goto finish;
        }

        /* Under systemd this process stays the service's main process and passes stop
         * signals on. (Naming the container's PID 1 as MAINPID= and exiting would make it a
         * main process systemd did not fork: systemd 252 then cannot wait for it on stop
         * and sends SIGKILL to the whole unit at once, so no payload ever stops cleanly.) */
        if (c->notify.fd >= 0 && !c->spec.notify && !c->spec.notify_healthy && tell_service_manager(c) < 0) {
                /* systemd would wait for a READY that never comes: fail now. */
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                status = EXIT_HELPER_FAILED;
                goto finish;
        }

        /* HealthCmd=: a monitor runs the checks inside (health.h); with Notify=healthy it is
         * the one to say READY=1. */
        if (health_monitor_start(&c->spec, pid, c->label.apply ? c->label.process_label : NULL, &c->notify, &health) <
            0) {
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                status = EXIT_HELPER_FAILED;
                goto finish;
        }
        /* How the payload ended: the child's status, or what the init says of the payload.
         * With --notify the payload's messages go through our filter meanwhile
         * (notify-proxy.h). */
        if (c->spec.notify)
                payload_wstatus = notify_proxy_follow(&c->notify_proxy, &c->notify, pid, &forwarded);
        else
                payload_wstatus = forward_signals_until_wstatus(pid, false, &forwarded);
        payload_wstatus = payload_status_read(c->payload_status_fd, payload_wstatus);
        status = exit_status_of(payload_wstatus);
        if (health_monitor_finish(&health)) {
                /* HealthOnFailure=: a failure in systemd's eyes, whatever signal ended it (a
                 * death by SIGTERM would count as clean and Restart=on-failure would not apply). */
                log_error("the container was ended for failing its health check");
                payload_wstatus = 0;
                forwarded = 0;
                if (status == 0)
                        status = 1;
        }
finish:
        notify_proxy_remove(&c->notify_proxy);
        output_relay_finish(&c->relay); /* everything the container wrote is out */
        if (name)
                record_remove(BERTH_RUNTIME_DIR, name, pid);
        if (c->label_reserved)
                label_plan_release(&c->spec, BERTH_RUNTIME_DIR);
        c->label_reserved = false;
        /* Killed by a signal (a crash, SIGKILL): end the same way, so systemd sees
         * code=killed and its Restart= rules apply (SPEC §5). */
        if (WIFSIGNALED(payload_wstatus))
                die_by_signal(WTERMSIG(payload_wstatus));
        /* Stopped by the signal we passed on: end the same way. */
        if (forwarded > 0 && status == 128 + forwarded)
                die_by_signal(forwarded);
        return status;
}

static int container_start(struct container *c) {
        _cleanup_close_ int self_pidfd = -1;
        int report[2], payload_status[2] = {-1, -1};
        pid_t pid;
        int status;

        if (signals_block_forwarded(&c->original_mask) < 0)
                return EXIT_HELPER_FAILED;
        if (output_relay_open(&c->relay) < 0)
                return EXIT_HELPER_FAILED;
        if (pipe2(report, O_CLOEXEC) < 0)
                return log_errno(negative_errno(), "pipe: %m"), EXIT_HELPER_FAILED;
        if (spec_wants_init(&c->spec) && pipe2(payload_status, O_CLOEXEC | O_NONBLOCK) < 0)
                return log_errno(negative_errno(), "pipe: %m"), EXIT_HELPER_FAILED;
        if (ns_plan_join(&c->ns) < 0)
                return EXIT_HELPER_FAILED;

        /* Lets the child see whether we died before its PDEATHSIG was armed. -1 without
         * pidfd_open (older kernels): that narrow window then stays open. */
        self_pidfd = (int) syscall(SYS_pidfd_open, getpid(), 0);

        /* fork semantics (no new stack) with the namespace flags */
        pid = (pid_t) syscall(SYS_clone, c->ns.clone_flags | SIGCHLD, NULL, NULL, NULL, 0);
        if (pid < 0)
                return log_errno(negative_errno(), "clone: %m"), EXIT_HELPER_FAILED;
        if (pid == 0) {
                /* Nothing may look into this copy of the helper (memory, descriptors,
                 * /proc/PID/root while it is still the host's) from the first instruction
                 * on: it is the container's PID 1, or, with a joined PID namespace, about to
                 * have children there (issue 11). */
                (void) prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
                /* The container never outlives its helper, even one killed by SIGKILL (which
                 * it cannot forward). Kept across execve unless the exec changes credentials. */
                (void) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
                if (self_pidfd >= 0) {
                        struct pollfd parent = {.fd = self_pidfd, .events = POLLIN};
                        if (poll(&parent, 1, 0) > 0)
                                _exit(EXIT_HELPER_FAILED); /* our helper is already gone */
                        close(TAKE_FD(self_pidfd));
                }
                close(report[0]);
                if (payload_status[0] >= 0)
                        close(payload_status[0]);
                c->payload_status_fd = payload_status[1];
                ns_plan_close_joined(&c->ns); /* joined already: no host namespace fd stays open */
                c->report_fd = report[1];
                if (c->record_lock_fd >= 0) {
                        close(c->record_lock_fd);
                        c->record_lock_fd = -1;
                }
                status = output_relay_attach(&c->relay) < 0 ? EXIT_HELPER_FAILED : container_run(c);
                (void) !write(c->report_fd, &status, sizeof(status));
                _exit(status);
        }

        close(report[1]);
        if (payload_status[1] >= 0)
                close(payload_status[1]);
        c->payload_status_fd = payload_status[0];
        if (self_pidfd >= 0)
                close(TAKE_FD(self_pidfd));
        if (ns_plan_restore_pid(&c->ns) < 0 || output_relay_spawn(&c->relay) < 0) {
                (void) kill(pid, SIGKILL);
                (void) waitpid(pid, NULL, 0);
                close(report[0]);
                return EXIT_HELPER_FAILED;
        }
        ns_plan_close(&c->ns);
        status = container_follow(c, pid, report[0]);
        close(report[0]);
        return status;
}

/* The name goes into every message, also those about options parsed before it. */
static void log_ident_from_argv(int argc, char *argv[]) {
        const char *name = NULL;
        char ident[128];

        for (int i = 1; i < argc && !streq(argv[i], "--"); i++) {
                if (streq(argv[i], "--name") && i + 1 < argc)
                        name = argv[++i];
                else if (startswith(argv[i], "--name="))
                        name = argv[i] + strlen("--name=");
        }
        if (!name || !berth_name_is_valid(name))
                return;
        snprintf(ident, sizeof(ident), "berth-exec: %s", name);
        log_set_ident(ident);
}

int main(int argc, char *argv[]) {
        struct container c;
        bool help = false;
        int r, status;

        log_open("berth-exec", LOG_SINK_STDERR, LOG_LEVEL_NOTICE);
        /* berth exec, berth health, ExecReload= of ReloadCmd=: enter a running container. */
        if (argc > 1 && (streq(argv[1], "--enter") || streq(argv[1], "--health")))
                return enter_main(argc - 1, argv + 1);
        container_init(&c);
        log_ident_from_argv(argc, argv);

        r = spec_from_argv(&c.spec, argc, argv, &help);
        if (r >= 0 && help) {
                spec_print_options_help(stdout);
                container_done(&c);
                return 0;
        }
        if (r >= 0)
                r = spec_validate(&c.spec, NULL);
        if (r >= 0)
                r = container_prepare(&c);
        status = r < 0 ? EXIT_HELPER_FAILED : container_start(&c);
        output_relay_finish(&c.relay); /* also when the container never started */

        if (r < 0 && c.label_reserved)
                label_plan_release(&c.spec, BERTH_RUNTIME_DIR);
        notify_proxy_remove(&c.notify_proxy); /* the container has ended */
        container_done(&c);
        return status;
}
