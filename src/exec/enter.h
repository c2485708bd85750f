/* SPDX-License-Identifier: MIT */
#pragma once

/* Entering a running container (`berth exec`, HealthCmd=, ReloadCmd=), as `docker exec`
 * does: the container's namespaces (those of its first process), its root, and the
 * confinement its berth-exec applied, rebuilt from its settings the same way and in the same
 * order (bounding set, user, capabilities, ambient set for a non-root user, no_new_privs,
 * SELinux label, seccomp filter). Never more: not the caller's capabilities, not the host's
 * environment.
 *
 * The settings come from the record berth-exec keeps under /run/berth/NAME/ (record-spec.h);
 * berth-exec itself enters with the settings it already holds (the health checks). */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "apparmor-exec.h"
#include "capability.h"
#include "seccomp.h"
#include "spec.h"
#include "user.h"

enum enter_ns {
        ENTER_NS_IPC,
        ENTER_NS_UTS,
        ENTER_NS_NET,
        ENTER_NS_PID,
        ENTER_NS_CGROUP,
        ENTER_NS_MNT, /* last: after it, paths are the container's */
        _ENTER_NS_MAX,
};

struct enter_options {
        const char *user;    /* -u USER[:GROUP]; NULL: the container's User=/Group= */
        const char *workdir; /* -w DIR; NULL: the container's WorkingDirectory= */
        char **env;          /* -e K=V, applied over the container's environment */
        bool tty;            /* -t: a pseudo-terminal from the container's /dev/pts */
        bool interactive;    /* -i: our stdin goes to the command */
};

struct enter_plan {
        int ns_fd[_ENTER_NS_MAX]; /* -1: the same as ours, nothing to join */
        int own_pid_ns_fd;        /* ours, to return to once the command is forked */
        int root_fd;              /* the container's root (O_PATH), for its /dev/pts */
        int last_cap;
        uint64_t caps;
        struct berth_capsets capsets; /* for the user it runs as, as at start (capsets_for_user) */
        bool no_new_privileges;
        bool tty;
        bool interactive;
        struct exec_user user;
        char **env;
        char *workdir;
        char *label;                   /* the container's SELinux process context, NULL: none */
        struct apparmor_plan apparmor; /* its AppArmor profile, as at start */
        struct berth_seccomp seccomp;
};

void enter_plan_init(struct enter_plan *p);
void enter_plan_done(struct enter_plan *p);

/* Everything that can fail before a side effect: the container's namespaces (from pid's
 * /proc directory, proc_fd), caps, user, environment and seccomp filter from the spec, with
 * o's overrides. label: the container's process label (NULL: none). Logs. */
int enter_plan_build(const struct berth_spec *s, int proc_fd, const char *label, const struct enter_options *o,
                     struct enter_plan *ret);

/* Starts argv inside the container (the child joins its namespaces; we only pass through its
 * PID namespace to fork into it, and return to ours), inside with the plan's confinement and waits for it, passing
 * on the signals init.h forwards (and relaying the terminal with tty). Returns the command's
 * exit status as `docker exec` reports it: its code, 128+signal, 125 when entering failed,
 * 126/127 when the command cannot run or is not found. */
int enter_run(struct enter_plan *p, char *const *argv);

/* berth-exec --enter NAME [-u USER] [-w DIR] [-e K=V]... [-i] [-t] [--] CMD...
 * berth-exec --health NAME: runs the container's HealthCmd= once, with its HealthTimeout=.
 * argv[0] is "--enter" or "--health". */
int enter_main(int argc, char **argv);
