/* SPDX-License-Identifier: MIT */
#pragma once

/* Running one container for berth learn and deciding whether it "works": with a check, the
 * host command passes while the container runs (tried until --duration); without one, the
 * container still runs after --duration or exited 0. */

#include <stdbool.h>
#include <signal.h>
#include <stdint.h>

struct learn_run_options {
        const char *exec_path; /* berth-exec */
        const char *check;     /* sh -c CHECK on the host; NULL: no check */
        double duration;       /* seconds */
        bool verbose;          /* container and check output through, not to /dev/null */
        /* The learner blocks these (SIGINT, SIGTERM, SIGHUP) so that it can stop what it
         * started and clean up; children get child_mask back. A run that sees one pending
         * stops its container and returns -EINTR. */
        const sigset_t *stop_signals;
        const sigset_t *child_mask;
};

/* A cgroup (v2) of its own for the traced run, under ours: the BPF filter's key. */
struct learn_cgroup {
        char *path;
        uint64_t id;
};
int learn_cgroup_create(struct learn_cgroup *ret);
void learn_cgroup_remove(struct learn_cgroup *cg);

/* Starts berth-exec with argv (argv[0] included) in cgroup (NULL: ours), judges it, stops it.
 * 1: it works; 0: it does not (*ret_why says how, static string); -EINTR: a stop signal came;
 * other negative: could not run. */
int learn_run_works(const struct learn_run_options *o, char *const *argv, const struct learn_cgroup *cgroup,
                    const char **ret_why);
