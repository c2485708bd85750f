/* SPDX-License-Identifier: MIT */
/* Entering a running container: berth exec, HealthCmd=, ReloadCmd= (enter.h). */
#include "enter.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "capability.h"
#include "environ.h"
#include "health.h"
#include "init.h"
#include "label.h"
#include "log.h"
#include "payload.h"
#include "privileges.h"
#include "procattr.h"
#include "record-spec.h"
#include "record.h"

#define SECCOMP_CACHE_DIR BERTH_RUNTIME_DIR "/seccomp"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

static const struct {
        const char *file;
        int flag;
} enter_ns_files[_ENTER_NS_MAX] = {
        [ENTER_NS_IPC] = {"ipc", CLONE_NEWIPC},       [ENTER_NS_UTS] = {"uts", CLONE_NEWUTS},
        [ENTER_NS_NET] = {"net", CLONE_NEWNET},       [ENTER_NS_PID] = {"pid", CLONE_NEWPID},
        [ENTER_NS_CGROUP] = {"cgroup", CLONE_NEWCGROUP}, [ENTER_NS_MNT] = {"mnt", CLONE_NEWNS},
};

void enter_plan_init(struct enter_plan *p) {
        *p = (struct enter_plan) {.own_pid_ns_fd = -1, .root_fd = -1};
        for (int k = 0; k < _ENTER_NS_MAX; k++)
                p->ns_fd[k] = -1;
}

void enter_plan_done(struct enter_plan *p) {
        for (int k = 0; k < _ENTER_NS_MAX; k++)
                if (p->ns_fd[k] >= 0)
                        close(p->ns_fd[k]);
        if (p->own_pid_ns_fd >= 0)
                close(p->own_pid_ns_fd);
        if (p->root_fd >= 0)
                close(p->root_fd);
        user_done(&p->user);
        strv_free(p->env);
        free(p->workdir);
        free(p->label);
        apparmor_plan_done(&p->apparmor);
        seccomp_done(&p->seccomp);
        enter_plan_init(p);
}

/* The container's namespace of one kind, or -1 when it is ours too (nothing to join). */
static int open_ns(int proc_fd, int k, int *ret) {
        char path[32];
        struct stat theirs, ours;
        int fd;

        snprintf(path, sizeof(path), "ns/%s", enter_ns_files[k].file);
        fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ENOENT && k == ENTER_NS_CGROUP) /* a kernel without cgroup namespaces */
                        return *ret = -1, 0;
                return log_errno(negative_errno(), "namespace %s: %m", enter_ns_files[k].file);
        }
        snprintf(path, sizeof(path), "/proc/self/ns/%s", enter_ns_files[k].file);
        if (fstat(fd, &theirs) == 0 && stat(path, &ours) == 0 && theirs.st_ino == ours.st_ino &&
            theirs.st_dev == ours.st_dev) {
                close(fd);
                fd = -1;
        }
        *ret = fd;
        return 0;
}

static bool env_has(char *const *env, const char *name) {
        size_t n = strlen(name);
        STRV_FOREACH(e, env)
                if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
                        return true;
        return false;
}

int enter_plan_build(const struct berth_spec *s, int proc_fd, const char *label, const struct enter_options *o,
                     struct enter_plan *ret) {
        _cleanup_close_ int rootfd = -1;
        const char *user = s->user, *group = s->group;
        _cleanup_free_ char *user_copy = NULL;
        char hostname[256];
        int r;

        for (int k = 0; k < _ENTER_NS_MAX; k++) {
                r = open_ns(proc_fd, k, &ret->ns_fd[k]);
                if (r < 0)
                        return r;
        }
        if (ret->ns_fd[ENTER_NS_PID] >= 0) {
                ret->own_pid_ns_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
                if (ret->own_pid_ns_fd < 0)
                        return log_errno(negative_errno(), "/proc/self/ns/pid: %m");
        }
        ret->last_cap = capability_read_last_cap();
        r = caps_compute(s, ret->last_cap, &ret->caps);
        if (r < 0)
                return r;
        ret->no_new_privileges = s->no_new_privileges;
        ret->tty = o->tty;
        ret->interactive = o->interactive;

        /* The container's own root, as its processes see it. */
        rootfd = openat(proc_fd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (rootfd < 0)
                return log_errno(negative_errno(), "the container's root: %m");
        if (o->user) {
                char *colon;
                user_copy = strdup(o->user);
                if (!user_copy)
                        return log_errno(-ENOMEM, "out of memory");
                colon = strchr(user_copy, ':');
                if (colon)
                        *colon = '\0';
                user = user_copy;
                group = colon ? colon + 1 : NULL;
        }
        r = user_resolve(rootfd, user, group, &ret->user);
        if (r < 0)
                return r;
        capsets_for_user(s->cap_add, ret->caps, ret->user.uid == 0, &ret->capsets);
        ret->root_fd = TAKE_FD(rootfd);

        /* The host name the container sees: its own UTS namespace's. */
        if (s->ns[BERTH_NS_UTS].mode == BERTH_NS_MODE_PRIVATE)
                snprintf(hostname, sizeof(hostname), "%s", spec_hostname(s));
        else if (gethostname(hostname, sizeof(hostname)) < 0)
                return log_errno(negative_errno(), "gethostname: %m");
        hostname[sizeof(hostname) - 1] = '\0';
        r = environ_build(s, ret->user.home, hostname, NULL, &ret->env);
        if (r < 0)
                return r;
        STRV_FOREACH(e, o->env) {
                if (!strchr(*e, '=') || **e == '=')
                        return log_errno(-EINVAL, "-e %s: expected NAME=VALUE", *e);
                r = environ_set(&ret->env, *e);
                if (r < 0)
                        return log_errno(-ENOMEM, "out of memory");
        }
        if (o->tty && !env_has(ret->env, "TERM")) {
                const char *term = getenv("TERM");
                _cleanup_free_ char *t = strjoin("TERM=", !isempty(term) ? term : "xterm");
                if (!t || environ_set(&ret->env, t) < 0)
                        return log_errno(-ENOMEM, "out of memory");
        }

        ret->workdir = strdup(o->workdir ? o->workdir : s->workdir ? s->workdir : "/");
        if (!ret->workdir)
                return log_errno(-ENOMEM, "out of memory");
        if (!path_is_absolute(ret->workdir))
                return log_errno(-EINVAL, "-w %s: expected an absolute path inside the container", ret->workdir);
        if (label) {
                ret->label = strdup(label);
                if (!ret->label)
                        return log_errno(-ENOMEM, "out of memory");
        }
        r = apparmor_plan_build(s, BERTH_RUNTIME_DIR, &ret->apparmor);
        if (r < 0)
                return r;
        return seccomp_prepare(s->seccomp ? s->seccomp : "default", ret->caps, SECCOMP_CACHE_DIR, &ret->seccomp);
}

/* ---- in the container ---- */

#define STEP(call)                                                                                                     \
        do {                                                                                                           \
                if ((call) < 0)                                                                                        \
                        _exit(EXIT_HELPER_FAILED);                                                                     \
        } while (0)

static int enter_workdir(const char *dir) {
        if (chdir(dir) < 0)
                return log_errno(negative_errno(), "workdir %s: %m", dir);
        return 0;
}

/* As at start: through the container's procfs fd, only into procfs (procattr.h). */
static int apply_label(const char *label, int proc_fd) {
        int r;

        if (!label)
                return 0;
        r = procattr_write(proc_fd, "exec", label);
        if (r == -EXDEV)
                return log_errno(r,
                                 "cannot set SELinux exec label '%s': /proc/thread-self/attr/exec is not on the "
                                 "container's procfs",
                                 label);
        if (r < 0)
                return log_errno(r, "cannot set SELinux exec label '%s': %m", label);
        return 0;
}

/* The child, in the container's PID namespace: the same steps, in the same order, as
 * container_run() in main.c. Never returns. */
static int join_namespaces(const struct enter_plan *p);

static int mark_fds_cloexec(void) {
        long max;

        if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        if (errno != ENOSYS && errno != EINVAL)
                return log_errno(negative_errno(), "close_range: %m");
        max = sysconf(_SC_OPEN_MAX);
        for (int fd = 3; fd < (max > 0 && max < 1048576 ? max : 65536); fd++) {
                int flags = fcntl(fd, F_GETFD);
                if (flags >= 0 && !(flags & FD_CLOEXEC) && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) < 0)
                        return log_errno(negative_errno(), "close-on-exec: fd %d: %m", fd);
        }
        return 0;
}

static _Noreturn void confine_and_exec(struct enter_plan *p, char *const *argv, int tty_slave, int null_fd) {
        int procfd = -1;
        sigset_t none;

        /* Already in its PID namespace (forked into it); the others now, the mount namespace
         * last: its root becomes ours. */
        STEP(join_namespaces(p));
        if (p->apparmor.profile || p->label) {
                _cleanup_close_ int rootfd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (rootfd < 0)
                        STEP(log_errno(negative_errno(), "the container's root: %m"));
                STEP(procfd = apparmor_open_proc(rootfd)); /* its procfs, as at start */
        }

        if (tty_slave >= 0) {
                STEP(setsid());
                if (ioctl(tty_slave, TIOCSCTTY, 0) < 0)
                        STEP(log_errno(negative_errno(), "terminal: TIOCSCTTY: %m"));
                /* -t alone: the terminal is stdin too, though nothing is typed into it */
                for (int i = 0; i < 3; i++)
                        if (dup2(tty_slave, i) < 0)
                                STEP(log_errno(negative_errno(), "terminal: dup2: %m"));
        } else {
                if (null_fd >= 0 && dup2(null_fd, 0) < 0)
                        STEP(log_errno(negative_errno(), "stdin: dup2: %m"));
                /* Out of the caller's session: the command cannot push input into the
                 * caller's terminal (TIOCSTI) through an inherited descriptor. */
                if (setsid() < 0)
                        STEP(log_errno(negative_errno(), "setsid: %m"));
        }
        /* Nothing the caller had open (a host directory) reaches the command. */
        STEP(mark_fds_cloexec());

        STEP(caps_drop_bounding(p->caps, p->last_cap));
        if (!p->no_new_privileges)
                STEP(seccomp_load_filter(&p->seccomp));
        STEP(user_switch(&p->user));
        STEP(enter_workdir(p->workdir));
        STEP(caps_apply(&p->capsets));
        if (p->capsets.ambient != 0)
                STEP(caps_raise_ambient(p->capsets.ambient, p->last_cap));
        if (p->no_new_privileges)
                STEP(set_no_new_privs());
        STEP(apply_label(p->label, procfd));
        STEP(apparmor_apply_exec(&p->apparmor, procfd));
        if (p->no_new_privileges)
                STEP(seccomp_load_filter(&p->seccomp));

        /* Ends with us: a check that timed out, a `berth exec` that was killed. */
        (void) prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
        (void) signal(SIGPIPE, SIG_DFL);
        sigemptyset(&none);
        (void) sigprocmask(SIG_SETMASK, &none, NULL);
        _exit(payload_exec(argv, p->env));
}

static int join_namespaces(const struct enter_plan *p) {
        for (int k = 0; k < _ENTER_NS_MAX; k++) {
                if (p->ns_fd[k] < 0 || k == ENTER_NS_PID)
                        continue;
                if (setns(p->ns_fd[k], enter_ns_files[k].flag) < 0)
                        return log_errno(negative_errno(), "join the container's %s namespace: %m",
                                         enter_ns_files[k].file);
        }
        return 0;
}

/* ---- the terminal relay (-t) ---- */

static void copy_window_size(int from, int to) {
        struct winsize ws;
        if (ioctl(from, TIOCGWINSZ, &ws) == 0)
                (void) ioctl(to, TIOCSWINSZ, &ws);
}

/* Relays our stdin to the pty's master and its output to our stdout until the command ends;
 * passes signals on. Returns the command's exit status. */
static int relay_until_exit(pid_t pid, int master, bool interactive) {
        struct termios saved, raw;
        bool restore = false, stdin_open = interactive, master_open = true;
        _cleanup_close_ int sfd = -1;
        sigset_t set;
        int status = -1, wstatus;

        sigemptyset(&set);
        for (int s = 1; s < _NSIG; s++)
                if (s == SIGCHLD || s == SIGWINCH || s == SIGTERM || s == SIGINT || s == SIGHUP || s == SIGQUIT ||
                    s == SIGUSR1 || s == SIGUSR2)
                        sigaddset(&set, s);
        sfd = signalfd(-1, &set, SFD_CLOEXEC);
        if (sfd < 0)
                log_warning("terminal: signalfd: %m");

        if (interactive && isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
                raw = saved;
                cfmakeraw(&raw);
                restore = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
        }
        if (isatty(STDIN_FILENO))
                copy_window_size(STDIN_FILENO, master);

        while (master_open || status < 0) {
                struct pollfd fds[3] = {
                        {.fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN},
                        {.fd = master_open ? master : -1, .events = POLLIN},
                        {.fd = sfd, .events = POLLIN},
                };
                char buf[4096];
                ssize_t n;

                if (status >= 0 && master_open) {
                        /* The command ended: take what is left in the pty without waiting. */
                        n = read(master, buf, sizeof(buf));
                        if (n <= 0)
                                break;
                        (void) loop_write(STDOUT_FILENO, buf, (size_t) n);
                        continue;
                }
                if (poll(fds, 3, status >= 0 ? 0 : -1) < 0 && errno != EINTR)
                        break;
                if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
                        n = read(master, buf, sizeof(buf));
                        if (n > 0)
                                (void) loop_write(STDOUT_FILENO, buf, (size_t) n);
                        else if (n == 0 || errno != EINTR)
                                master_open = false; /* EIO: the last slave fd closed */
                }
                if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
                        n = read(STDIN_FILENO, buf, sizeof(buf));
                        if (n > 0)
                                (void) loop_write(master, buf, (size_t) n);
                        else if (n == 0 || errno != EINTR) {
                                stdin_open = false;
                                (void) loop_write(master, "\x04", 1); /* end of input, as a terminal sends it */
                        }
                }
                if (sfd >= 0 && (fds[2].revents & POLLIN)) {
                        struct signalfd_siginfo si;
                        if (read(sfd, &si, sizeof(si)) == (ssize_t) sizeof(si)) {
                                if (si.ssi_signo == SIGWINCH)
                                        copy_window_size(STDIN_FILENO, master);
                                else if (si.ssi_signo != SIGCHLD)
                                        (void) kill(pid, (int) si.ssi_signo);
                        }
                }
                if (status < 0 && waitpid(pid, &wstatus, WNOHANG) == pid)
                        status = exit_status_of(wstatus);
                if (!master_open && status < 0) {
                        /* The command closed the terminal but lives on: wait for it. */
                        while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
                                ;
                        status = exit_status_of(wstatus);
                }
        }
        if (restore)
                (void) tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
        if (status < 0) {
                while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
                        ;
                status = exit_status_of(wstatus);
        }
        return status;
}

/* A new pseudo-terminal in the container's own /dev/pts, reached through its root. */
static int open_container_pty(int root_fd, int *ret_master, int *ret_slave) {
        _cleanup_close_ int master = openat(root_fd, "dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        int slave;

        if (master < 0)
                return log_errno(negative_errno(), "terminal: /dev/pts/ptmx: %m");
        if (unlockpt(master) < 0)
                return log_errno(negative_errno(), "terminal: unlockpt: %m");
        slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (slave < 0)
                return log_errno(negative_errno(), "terminal: open the pty's peer: %m");
        *ret_master = TAKE_FD(master);
        *ret_slave = slave;
        return 0;
}

int enter_run(struct enter_plan *p, char *const *argv) {
        _cleanup_close_ int master = -1, slave = -1, null_fd = -1;
        sigset_t old;
        pid_t pid;
        int status;

        if (!p->interactive) {
                null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
                if (null_fd < 0)
                        return log_errno(negative_errno(), "/dev/null: %m"), EXIT_HELPER_FAILED;
        }
        if (signals_block_forwarded(&old) < 0)
                return EXIT_HELPER_FAILED;
        if (p->tty && open_container_pty(p->root_fd, &master, &slave) < 0)
                return EXIT_HELPER_FAILED;
        if (p->ns_fd[ENTER_NS_PID] >= 0 && setns(p->ns_fd[ENTER_NS_PID], CLONE_NEWPID) < 0)
                return log_errno(negative_errno(), "join the container's pid namespace: %m"), EXIT_HELPER_FAILED;
        if (p->tty) {
                /* SIGWINCH is not among the forwarded signals: the relay wants it too. */
                sigset_t winch;
                sigemptyset(&winch);
                sigaddset(&winch, SIGWINCH);
                (void) sigprocmask(SIG_BLOCK, &winch, NULL);
        }

        pid = fork();
        if (pid < 0)
                return log_errno(negative_errno(), "fork: %m"), EXIT_HELPER_FAILED;
        if (pid == 0) {
                if (master >= 0)
                        close(master);
                confine_and_exec(p, argv, slave, null_fd);
        }
        if (slave >= 0)
                close(TAKE_FD(slave));
        /* Whatever we create from now on (a sanitizer's helper thread) stays in our own PID
         * namespace, as in berth-exec's start (ns_plan_restore_pid). */
        if (p->own_pid_ns_fd >= 0 && setns(p->own_pid_ns_fd, CLONE_NEWPID) < 0)
                log_debug("return to our PID namespace: %m");
        if (p->tty)
                status = relay_until_exit(pid, master, p->interactive);
        else
                status = forward_signals_until_exit(pid, false, NULL);
        (void) sigprocmask(SIG_SETMASK, &old, NULL);
        return status;
}

/* ---- berth-exec --enter / --health ---- */

/* Puts us into the container's control groups (the unit's, under systemd), so a stop of the
 * unit also ends what was started inside, as `docker exec` does. Best effort: a host
 * without those hierarchies keeps us where we are. */
static void join_cgroups(int proc_fd) {
        _cleanup_close_ int fd = openat(proc_fd, "cgroup", O_RDONLY | O_CLOEXEC);
        char buf[4096], pid[32];
        ssize_t n;

        if (fd < 0)
                return;
        n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return;
        buf[n] = '\0';
        snprintf(pid, sizeof(pid), "%d\n", (int) getpid());
        for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
                const char *controllers = strchr(line, ':'), *path;
                const char *base = NULL;
                if (!controllers)
                        continue;
                path = strchr(controllers + 1, ':');
                if (!path)
                        continue;
                path++;
                if (startswith(line, "0::"))
                        base = access("/sys/fs/cgroup/cgroup.procs", F_OK) == 0 ? "/sys/fs/cgroup"
                                                                                : "/sys/fs/cgroup/unified";
                else if (strncmp(controllers + 1, "name=systemd:", 13) == 0)
                        base = "/sys/fs/cgroup/systemd";
                if (base) {
                        _cleanup_free_ char *procs = strjoin_many(base, path, "/cgroup.procs", NULL);
                        _cleanup_close_ int pfd = procs ? open(procs, O_WRONLY | O_CLOEXEC) : -1;
                        if (pfd < 0 || write(pfd, pid, strlen(pid)) < 0)
                                log_debug("cgroup %s: %m", procs ? procs : path);
                }
        }
}

static void enter_usage(FILE *f) {
        fputs("berth-exec --enter NAME [-u USER[:GROUP]] [-w DIR] [-e NAME=VALUE]... [-i] [-t] [--] COMMAND [ARG...]\n"
              "berth-exec --health NAME\n",
              f);
}

int enter_main(int argc, char **argv) {
        static const struct option options[] = {
                {"user", required_argument, NULL, 'u'},      {"workdir", required_argument, NULL, 'w'},
                {"env", required_argument, NULL, 'e'},       {"interactive", no_argument, NULL, 'i'},
                {"tty", no_argument, NULL, 't'},             {"help", no_argument, NULL, 'h'},
                {},
        };
        struct enter_options o = {};
        _cleanup_strv_free_ char **env = NULL, **health_argv = NULL;
        _cleanup_free_ char *label = NULL;
        _cleanup_close_ int proc_fd = -1;
        struct berth_spec spec;
        struct enter_plan plan;
        bool health = streq(argv[0], "--health");
        const char *name;
        char *const *command;
        char ident[128];
        int c, status;

        /* Options go before or after NAME (docker exec's order, or berth exec NAME -u U). */
        name = NULL;
        optind = 0;
        opterr = 0;
        for (;;) {
                c = getopt_long(argc, argv, "+u:w:e:ith", options, NULL);
                if (c < 0) {
                        if (name || optind >= argc || streq(argv[optind - 1], "--"))
                                break;
                        name = argv[optind];
                        /* restart the scan after NAME (getopt's own state is kept in optind) */
                        optind++;
                        continue;
                }
                switch (c) {
                case 'u': o.user = optarg; break;
                case 'w': o.workdir = optarg; break;
                case 'e':
                        if (strv_extend(&env, optarg) < 0)
                                return log_errno(-ENOMEM, "out of memory"), EXIT_HELPER_FAILED;
                        break;
                case 'i': o.interactive = true; break;
                case 't': o.tty = true; break;
                case 'h': enter_usage(stdout); return 0;
                default:
                        log_error("%s: unknown option or missing value '%s'", argv[0], argv[optind - 1]);
                        enter_usage(stderr);
                        return EXIT_HELPER_FAILED;
                }
        }
        o.env = env;
        if (!name || !berth_name_is_valid(name)) {
                log_error("%s: a container name is needed", argv[0]);
                enter_usage(stderr);
                return EXIT_HELPER_FAILED;
        }
        if (optind < argc && streq(argv[optind], "--"))
                optind++;
        if (health ? optind != argc : optind >= argc) {
                log_error(health ? "--health: no command is taken (the container's HealthCmd= runs)"
                                 : "--enter: a command to run is needed");
                return EXIT_HELPER_FAILED;
        }
        command = argv + optind; /* optind is getopt's: reading the spec below reuses it */
        snprintf(ident, sizeof(ident), "berth-exec: %s", name);
        log_set_ident(ident);

        if (record_open_process(BERTH_RUNTIME_DIR, name, &proc_fd) < 0)
                return EXIT_HELPER_FAILED;
        spec_init(&spec);
        enter_plan_init(&plan);
        status = EXIT_HELPER_FAILED;
        if (record_read_spec(BERTH_RUNTIME_DIR, name, &spec, &label) < 0)
                goto done;
        if (health && !spec.health_cmd) {
                log_error("%s has no HealthCmd=", name);
                goto done;
        }
        if (health && split_quoted(spec.health_cmd, &health_argv) < 0) {
                log_errno(-ENOMEM, "out of memory");
                goto done;
        }
        if (enter_plan_build(&spec, proc_fd, label, &o, &plan) < 0)
                goto done;
        join_cgroups(proc_fd);
        if (health)
                status = health_check_once(&plan, health_argv, spec_health_timeout(&spec), true);
        else
                status = enter_run(&plan, command);
done:
        enter_plan_done(&plan);
        spec_done(&spec);
        return status;
}
