/* SPDX-License-Identifier: MIT */
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <dirent.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>

#include "inroot.h"
#include "record.h"

int ns_clone_flag(enum berth_ns_kind kind) {
        static const int flags[_BERTH_NS_MAX] = {
                [BERTH_NS_PID] = CLONE_NEWPID,
                [BERTH_NS_NET] = CLONE_NEWNET,
                [BERTH_NS_IPC] = CLONE_NEWIPC,
                [BERTH_NS_UTS] = CLONE_NEWUTS,
        };
        return flags[kind];
}

static int open_ns_file(enum berth_ns_kind kind, const struct berth_ns *ns, const char *runtime_dir,
                        const char *option) {
        _cleanup_close_ int proc_fd = -1;
        const char *kind_name = berth_ns_kind_to_string(kind);
        char path[32];
        int fd, type, r;

        if (ns->mode == BERTH_NS_MODE_CONTAINER) {
                r = record_open_process(runtime_dir, ns->target, &proc_fd);
                if (r < 0)
                        return r;
                /* A PID namespace by what the container's children get: its recorded process
                 * may be the helper of a container that joined another's PID namespace (it
                 * stays in ours and spawns the payload there, see ns_plan_join_pid). */
                snprintf(path, sizeof(path), "ns/%s%s", kind_name, kind == BERTH_NS_PID ? "_for_children" : "");
                fd = openat(proc_fd, path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        return log_errno(negative_errno(), "%s container:%s: open its %s namespace: %m", option,
                                         ns->target, kind_name);
        } else {
                fd = open(ns->target, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                        return log_errno(negative_errno(), "%s %s: %m", option, ns->target);
        }

        /* A namespace file of another kind would make setns() fail after side effects. */
        type = ioctl(fd, NS_GET_NSTYPE);
        if (type < 0 || type != ns_clone_flag(kind)) {
                r = type < 0 && errno != ENOTTY ? negative_errno() : -EINVAL;
                close(fd);
                return log_errno(r, "%s %s%s: not a namespace of type %s", option,
                                 ns->mode == BERTH_NS_MODE_CONTAINER ? "container:" : "", ns->target, kind_name);
        }
        return fd;
}

/* Whether the process dir_fd (/proc/PID) may hold CAP_SYS_PTRACE: its bounding set, which
 * nothing it starts can exceed. */
static bool may_ptrace(int dir_fd) {
        _cleanup_fclose_ FILE *f = NULL;
        char line[128];
        int fd = openat(dir_fd, "status", O_RDONLY | O_CLOEXEC);

        if (fd < 0 || !(f = fdopen(fd, "r"))) {
                if (fd >= 0)
                        close(fd);
                return false; /* gone */
        }
        while (fgets(line, sizeof(line), f)) {
                unsigned long long bnd;
                if (sscanf(line, "CapBnd: %llx", &bnd) == 1)
                        return bnd & (1ULL << CAP_SYS_PTRACE);
        }
        return true; /* cannot tell: assume it may */
}

/* Joining before clone (a kernel without procfs pidns=) puts the setup process into the
 * other PID namespace from its start, with the host's root until pivot_root: not dumpable,
 * but a process there holding CAP_SYS_PTRACE could still follow its /proc/PID/root. Refused
 * then (fail closed); see berth-exec(8). */
static int refuse_ptracers_in(int ns_fd, const char *option) {
        struct stat ns;
        DIR *d;
        int r = 0;

        if (fstat(ns_fd, &ns) < 0)
                return log_errno(negative_errno(), "%s: %m", option);
        d = opendir("/proc");
        if (!d)
                return log_errno(negative_errno(), "%s: /proc: %m", option);
        for (struct dirent *de; r == 0 && (de = readdir(d));) {
                _cleanup_close_ int pid_dir = -1;
                struct stat st;
                if (de->d_name[0] < '1' || de->d_name[0] > '9')
                        continue;
                pid_dir = openat(dirfd(d), de->d_name, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (pid_dir < 0 || fstatat(pid_dir, "ns/pid", &st, 0) < 0 || st.st_ino != ns.st_ino ||
                    st.st_dev != ns.st_dev)
                        continue;
                if (may_ptrace(pid_dir))
                        r = log_errno(-EPERM,
                                      "%s: process %s in that PID namespace may hold CAP_SYS_PTRACE, and this kernel "
                                      "cannot mount its /proc from outside (procfs pidns=, Linux 6.15): refusing to "
                                      "join before the container is set up",
                                      option, de->d_name);
        }
        closedir(d);
        return r;
}

/* A procfs of the PID namespace to join, made from outside it (pidns=, Linux 6.15): then
 * the container's setup process never needs to be inside that namespace. Without it, the
 * old way: join before clone. */
static int plan_pid_join(struct ns_plan *p, const char *option) {
        int fs = fsopen("proc", FSOPEN_CLOEXEC), r;

        if (fs < 0 && errno != ENOSYS)
                return log_errno(negative_errno(), "%s: open a procfs context: %m", option);
        if (fs >= 0 && fsconfig(fs, FSCONFIG_SET_FD, "pidns", NULL, p->join_fd[BERTH_NS_PID]) == 0) {
                p->proc_fs_fd = fs;
                p->pid_late = true;
                return 0;
        }
        if (fs >= 0 && errno != EINVAL) { /* EINVAL: a kernel without pidns= */
                r = log_errno(negative_errno(), "%s: procfs pidns=: %m", option);
                close(fs);
                return r;
        }
        if (fs >= 0)
                close(fs);
        r = refuse_ptracers_in(p->join_fd[BERTH_NS_PID], option);
        if (r < 0)
                return r;
        p->own_pid_fd = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
        if (p->own_pid_fd < 0)
                return log_errno(negative_errno(), "%s: open /proc/self/ns/pid: %m", option);
        return 0;
}

int ns_plan_build(const struct berth_spec *s, const char *runtime_dir, struct ns_plan *ret) {
        struct ns_plan p = {.clone_flags = CLONE_NEWNS, .own_pid_fd = -1, .proc_fs_fd = -1};

        for (int k = 0; k < _BERTH_NS_MAX; k++)
                p.join_fd[k] = -1;

        for (int k = 0; k < _BERTH_NS_MAX; k++) {
                const struct berth_ns *ns = &s->ns[k];
                char option[16];

                snprintf(option, sizeof(option), "--%s", berth_ns_kind_to_string((enum berth_ns_kind) k));
                switch (ns->mode) {
                case BERTH_NS_MODE_PRIVATE:
                case BERTH_NS_MODE_NONE:
                        p.clone_flags |= (unsigned long) ns_clone_flag((enum berth_ns_kind) k);
                        break;
                case BERTH_NS_MODE_HOST:
                        break;
                case BERTH_NS_MODE_CONTAINER:
                case BERTH_NS_MODE_PATH: {
                        int fd = open_ns_file((enum berth_ns_kind) k, ns, runtime_dir, option);
                        if (fd < 0) {
                                ns_plan_close(&p);
                                return fd;
                        }
                        p.join_fd[k] = fd;
                        if (k == BERTH_NS_PID) {
                                int r = plan_pid_join(&p, option);
                                if (r < 0) {
                                        ns_plan_close(&p);
                                        return r;
                                }
                        }
                        break;
                }
                }
        }
        *ret = p;
        return 0;
}

int ns_plan_join(const struct ns_plan *p) {
        for (int k = 0; k < _BERTH_NS_MAX; k++) {
                if (p->join_fd[k] < 0 || (k == BERTH_NS_PID && !ns_plan_joins_pid_early(p)))
                        continue;
                if (setns(p->join_fd[k], ns_clone_flag((enum berth_ns_kind) k)) < 0)
                        return log_errno(negative_errno(), "join %s namespace: %m",
                                         berth_ns_kind_to_string((enum berth_ns_kind) k));
        }
        return 0;
}

int ns_plan_restore_pid(const struct ns_plan *p) {
        if (p->own_pid_fd >= 0 && setns(p->own_pid_fd, CLONE_NEWPID) < 0)
                return log_errno(negative_errno(), "return to our own pid namespace: %m");
        return 0;
}

bool ns_plan_joins_pid(const struct ns_plan *p) {
        return p->pid_late;
}

bool ns_plan_joins_pid_early(const struct ns_plan *p) {
        return p->own_pid_fd >= 0;
}

int ns_mount_joined_proc(struct ns_plan *p, int rootfd) {
        _cleanup_close_ int target = -1, mnt = -1;
        int r;

        target = inroot_mkdir_p(rootfd, "/proc");
        if (target < 0)
                return log_errno(target, "mount /proc: %m");
        if (fsconfig(p->proc_fs_fd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                return log_errno(negative_errno(), "mount /proc of the joined pid namespace: %m");
        mnt = fsmount(p->proc_fs_fd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (mnt < 0)
                return log_errno(negative_errno(), "mount /proc of the joined pid namespace: %m");
        r = move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
        if (r < 0)
                return log_errno(negative_errno(), "mount /proc of the joined pid namespace: %m");
        close(p->proc_fs_fd);
        p->proc_fs_fd = -1;
        return 0;
}

int ns_plan_join_pid(struct ns_plan *p) {
        int r = 0;

        if (p->join_fd[BERTH_NS_PID] < 0 || !p->pid_late)
                return 0;
        if (setns(p->join_fd[BERTH_NS_PID], CLONE_NEWPID) < 0)
                r = log_errno(negative_errno(), "join pid namespace: %m");
        close(p->join_fd[BERTH_NS_PID]);
        p->join_fd[BERTH_NS_PID] = -1;
        return r;
}

void ns_plan_close_joined(struct ns_plan *p) {
        bool keep_pid = !ns_plan_joins_pid_early(p);

        if (p->own_pid_fd >= 0) {
                close(p->own_pid_fd);
                p->own_pid_fd = -1;
        }
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                if (p->join_fd[k] >= 0 && !(k == BERTH_NS_PID && keep_pid)) {
                        close(p->join_fd[k]);
                        p->join_fd[k] = -1;
                }
}

void ns_plan_close(struct ns_plan *p) {
        if (p->proc_fs_fd >= 0) {
                close(p->proc_fs_fd);
                p->proc_fs_fd = -1;
        }
        if (p->own_pid_fd >= 0) {
                close(p->own_pid_fd);
                p->own_pid_fd = -1;
        }
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                if (p->join_fd[k] >= 0) {
                        close(p->join_fd[k]);
                        p->join_fd[k] = -1;
                }
}
