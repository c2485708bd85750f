/* SPDX-License-Identifier: MIT */
/* berth learn: the least privilege a container needs, found by running it.
 *
 *   berth learn NAME [--check CMD] [--duration S] [--write] [--from default|ALL|LIST]
 *   berth learn [learn options] [berth-exec options] --rootfs DIR -- CMD...
 *
 *   1. observe  the container as described, but with every capability and a seccomp filter
 *               that allows everything, in a cgroup of its own, while the BPF tracer
 *               (learn/learn.bpf.c) records its capability checks and system calls from the
 *               payload's execve on;
 *   2. classify the checks (libberth learn/classify.c): the candidates;
 *   3. prune    run again with the candidates and the learned allow-list; then without each
 *               candidate in turn: a capability stays only if the run fails without it;
 *   4. output   the report, the drop-in NAME.container.d/50-learned.conf and the profile
 *               50-learned.json beside it.
 * Without the tracer (--from, or no BPF), the prune loop runs alone on a given set. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "capability.h"
#include "description.h"
#include "learn-run.h"
#include "learn-trace.h"
#include "learn/classify.h"
#include "learn/output.h"
#include "spec.h"
#include "unit.h"
#include "verbs.h"

#define DROPIN_NAME "50-learned.conf"
#define PROFILE_NAME "50-learned.json"

struct learn_args {
        char *check;
        double duration;
        bool write;
        char *from;
        char *output;
        char *record;
        bool verbose;
        char **exec_args; /* berth-exec's options and command, or the one NAME */
};

static void usage(FILE *f) {
        fputs("usage: berth learn NAME [OPTIONS]\n"
              "       berth learn [OPTIONS] [berth-exec options] --rootfs DIR -- CMD...\n"
              "  --check CMD      a host command that passes while the container works (sh -c)\n"
              "  --duration S     how long a run may take to pass the check; without a check,\n"
              "                   still running after S seconds counts as working (default 5)\n"
              "  --write          write NAME.container.d/" DROPIN_NAME " and " PROFILE_NAME "\n"
              "  --output DIR     where --write writes (default: beside the description)\n"
              "  --from SET       skip tracing: prune default|ALL|CAP,CAP,...\n"
              "  --record FILE    write the capability checks the tracer saw, one a line\n"
              "  --verbose        show the container's and the check's output\n"
              "see berth(1)\n",
              f);
}

/* learn's own options, with a value; everything else is berth-exec's (or the NAME) */
static char **value_option(struct learn_args *a, const char *name, bool *is_duration) {
        *is_duration = streq(name, "--duration");
        return streq(name, "--check")    ? &a->check
               : streq(name, "--from")   ? &a->from
               : streq(name, "--output") ? &a->output
               : streq(name, "--record") ? &a->record
                                         : NULL;
}

static int parse_args(int argc, char **argv, struct learn_args *a, bool *help) {
        for (int i = 1; i < argc; i++) {
                _cleanup_free_ char *name = NULL;
                const char *arg = argv[i], *eq = strchr(arg, '='), *v;
                bool is_duration;
                char **slot;

                if (streq(arg, "--")) {
                        for (; i < argc; i++)
                                if (strv_extend(&a->exec_args, argv[i]) < 0)
                                        return -ENOMEM;
                        break;
                }
                if (streq(arg, "--help") || streq(arg, "-h")) {
                        *help = true;
                        return 0;
                }
                if (streq(arg, "--write") || streq(arg, "--verbose")) {
                        *(streq(arg, "--write") ? &a->write : &a->verbose) = true;
                        continue;
                }
                name = eq ? strndup(arg, (size_t) (eq - arg)) : strdup(arg);
                if (!name)
                        return -ENOMEM;
                slot = value_option(a, name, &is_duration);
                if (!slot && !is_duration) {
                        if (strv_extend(&a->exec_args, arg) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (eq)
                        v = eq + 1;
                else if (i + 1 < argc)
                        v = argv[++i];
                else
                        return log_error("learn: %s needs a value", arg) ?: -EINVAL;
                if (is_duration) {
                        char *end;
                        errno = 0;
                        a->duration = strtod(v, &end);
                        if (errno || end == v || *end || !(a->duration > 0 && a->duration <= 86400))
                                return log_error("learn: --duration: '%s' is not a number of seconds", v) ?: -EINVAL;
                        continue;
                }
                free(*slot);
                *slot = strdup(v);
                if (!*slot)
                        return -ENOMEM;
        }
        return 0;
}

/* A deep copy of a spec, through its argv (a tested round trip). */
static int spec_copy(const struct berth_spec *from, struct berth_spec *to) {
        _cleanup_strv_free_ char **argv = NULL, **full = NULL;
        bool help;
        int r;

        r = spec_to_argv(from, &argv);
        if (r < 0)
                return r;
        r = strv_extend(&full, "berth-exec");
        if (r < 0 || (r = strv_push_all(&full, TAKE_PTR(argv))) < 0)
                return r;
        spec_init(to);
        return spec_from_argv(to, (int) strv_length(full), full, &help);
}

static char **capset_to_names(uint64_t set) {
        char **l = NULL;
        for (int cap = 0; cap < BERTH_CAP_MAX; cap++) {
                const char *n = capability_to_name(cap);
                if ((set & (UINT64_C(1) << cap)) && n && strv_extend(&l, n) < 0) {
                        strv_free(l);
                        return NULL;
                }
        }
        return l;
}

/* berth-exec's argv for one run of base: caps (ALL when all is true), seccomp profile. The
 * run has no --name (no record under /run/berth: it must not look like the service) but the
 * service's host name. */
static int run_argv(const struct berth_spec *base, bool all, uint64_t caps, const char *seccomp, char ***ret) {
        _cleanup_(spec_done) struct berth_spec s = {};
        _cleanup_strv_free_ char **argv = NULL, **full = NULL;
        int r;

        r = spec_copy(base, &s);
        if (r < 0)
                return r;
        if (!s.hostname && s.name && s.ns[BERTH_NS_UTS].mode == BERTH_NS_MODE_PRIVATE) {
                s.hostname = strdup(spec_hostname(&s));
                if (!s.hostname)
                        return -ENOMEM;
        }
        free(s.name);
        s.name = NULL;
        strv_free(s.cap_add);
        strv_free(s.cap_drop);
        s.cap_drop = NULL;
        if (all) {
                s.cap_add = NULL;
                r = strv_extend(&s.cap_add, "ALL");
        } else {
                s.cap_add = capset_to_names(caps);
                r = strv_extend(&s.cap_drop, "ALL");
        }
        if (r < 0)
                return r;
        if (seccomp) {
                free(s.seccomp);
                s.seccomp = strdup(seccomp);
                if (!s.seccomp)
                        return -ENOMEM;
        }
        r = spec_to_argv(&s, &argv);
        if (r < 0)
                return r;
        if ((r = strv_extend(&full, unit_exec_path())) < 0 || (r = strv_push_all(&full, TAKE_PTR(argv))) < 0)
                return r;
        *ret = TAKE_PTR(full);
        return 0;
}

static uint64_t own_bounding_set(int last_cap) {
        uint64_t set = 0;
        for (int cap = 0; cap <= last_cap && cap < BERTH_CAP_MAX; cap++)
                if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1)
                        set |= UINT64_C(1) << cap;
        return set;
}

static int parse_from(const char *from, int last_cap, uint64_t *ret) {
        _cleanup_free_ char *copy = strdup(from);
        uint64_t set = 0;
        char *save = NULL;

        if (!copy)
                return -ENOMEM;
        if (streq(from, "default")) {
                *ret = capability_docker_default();
                return 0;
        }
        if (strcasecmp(from, "ALL") == 0) {
                *ret = capability_all(last_cap) & own_bounding_set(last_cap);
                return 0;
        }
        for (char *w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
                int cap = capability_from_name(w);
                if (cap < 0 || cap > last_cap)
                        return log_error("learn: --from: unknown capability '%s'", w) ?: -EINVAL;
                set |= UINT64_C(1) << cap;
        }
        *ret = set;
        return 0;
}

static int write_file(const char *path, const char *text) {
        _cleanup_free_ char *tmp = strjoin(path, ".tmp");
        _cleanup_close_ int fd = -1;
        size_t len = strlen(text);

        if (!tmp)
                return -ENOMEM;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
                return log_errno(negative_errno(), "learn: cannot write %s: %m", tmp);
        if (write(fd, text, len) != (ssize_t) len || fsync(fd) < 0) {
                int r = negative_errno();
                (void) unlink(tmp);
                return log_errno(r, "learn: cannot write %s: %m", tmp);
        }
        if (rename(tmp, path) < 0)
                return log_errno(negative_errno(), "learn: cannot rename %s to %s: %m", tmp, path);
        return 0;
}

static const char *native_arch(void) {
#if defined(__x86_64__)
        return "SCMP_ARCH_X86_64";
#elif defined(__aarch64__)
        return "SCMP_ARCH_AARCH64";
#else
        return NULL;
#endif
}

struct learn_state {
        struct learn_args args;
        struct learn_run_options run;
        struct berth_spec *base;
        const char *name;
        uint64_t current; /* the description's capability set */
        int last_cap;
        char tmpdir[64];
        struct learn_result res;
        bool traced;
        char **syscalls;
        char *profile_text;
        char *profile_tmp; /* the learned profile, for the prune runs */
};

static int learn_observe(struct learn_state *st, uint64_t *ret_candidates) {
        _cleanup_strv_free_ char **argv = NULL;
        _cleanup_free_ char *why = NULL, *allow_all = NULL;
        _cleanup_fclose_ FILE *record = NULL;
        struct learn_cgroup cg = {};
        struct learn_trace *t = NULL;
        const char *how = NULL, *attach = NULL;
        char *arches[] = {(char *) native_arch(), NULL};
        bool started = false;
        int r, works;

        allow_all = strjoin(st->tmpdir, "/allow-all.json");
        if (!allow_all)
                return -ENOMEM;
        r = write_file(allow_all, "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": []}\n");
        if (r < 0)
                return r;
        r = run_argv(st->base, true, 0, allow_all, &argv);
        if (r < 0)
                return log_errno(r, "learn: cannot build the run: %m");
        r = learn_cgroup_create(&cg);
        if (r < 0)
                return r;
        r = learn_trace_start(cg.id, &t, &why);
        if (r < 0) {
                learn_cgroup_remove(&cg);
                log_error("learn: cannot trace: %s; --from default|ALL|LIST prunes without tracing",
                          why ? why : "unknown reason");
                return -EOPNOTSUPP;
        }
        works = learn_run_works(&st->run, argv, &cg, &how);
        if (st->args.record) {
                record = fopen(st->args.record, "we");
                if (!record)
                        log_warning("learn: --record %s: %m", st->args.record);
        }
        r = learn_trace_collect(t, &st->res, &st->syscalls, record, &started, &attach);
        learn_trace_free(t);
        learn_cgroup_remove(&cg);
        if (works < 0)
                return works;
        if (r < 0)
                return log_errno(r, "learn: cannot read what the tracer recorded: %m");
        if (!started)
                return log_error("learn: the payload's execve was never seen (%s)", how ? how : "did berth-exec start?")
                               ?: -EIO;
        if (works == 0)
                log_warning("learn: the traced run with every capability does not work either: %s", how);
        {
                struct strbuf dropped = {};
                for (int v = LEARN_KEEP + 1; v < _LEARN_VERDICT_MAX; v++) {
                        char n[32];
                        if (!st->res.dropped[v])
                                continue;
                        snprintf(n, sizeof(n), "%s%llu ", dropped.len ? ", " : "",
                                 (unsigned long long) st->res.dropped[v]);
                        strbuf_puts(&dropped, n);
                        strbuf_puts(&dropped, learn_verdict_to_string((enum learn_verdict) v));
                }
                _cleanup_free_ char *text = strbuf_steal(&dropped);
                log_info("learn: traced with %s: %zu system calls; capability checks dropped as noise: %s", attach,
                         strv_length(st->syscalls), isempty(text) ? "none" : text);
        }
        for (const char *const *s = learn_base_syscalls; *s; s++)
                if ((r = strv_add_sorted(&st->syscalls, *s)) < 0)
                        return r;
        if (!arches[0])
                return log_error("learn: no seccomp architecture known for this machine") ?: -EOPNOTSUPP;
        r = learn_profile_json(st->syscalls, arches, &st->profile_text);
        if (r < 0)
                return log_errno(r, "learn: cannot build the profile: %m");
        st->profile_tmp = strjoin(st->tmpdir, "/" PROFILE_NAME);
        if (!st->profile_tmp)
                return -ENOMEM;
        r = write_file(st->profile_tmp, st->profile_text);
        if (r < 0)
                return r;
        st->traced = true;
        *ret_candidates = st->res.caps;
        return 0;
}

static int try_set(struct learn_state *st, uint64_t caps, const char **why) {
        _cleanup_strv_free_ char **argv = NULL;
        int r = run_argv(st->base, false, caps, st->profile_tmp, &argv);
        if (r < 0)
                return log_errno(r, "learn: cannot build the run: %m");
        return learn_run_works(&st->run, argv, NULL, why);
}

static int learn_prune(struct learn_state *st, uint64_t candidates, uint64_t *ret_kept) {
        uint64_t kept = candidates;
        const char *why = NULL;
        int r;

        r = try_set(st, candidates, &why);
        if (r < 0)
                return r;
        if (r == 0) {
                _cleanup_free_ char *names = capset_to_string(candidates);
                return log_error("learn: the container does not work with the candidates {%s}%s: %s",
                                 names ? names : "?", st->profile_tmp ? " and the learned profile" : "", why)
                               ?: -EIO;
        }
        for (int cap = 0; cap < BERTH_CAP_MAX; cap++) {
                uint64_t bit = UINT64_C(1) << cap;
                if (!(candidates & bit))
                        continue;
                r = try_set(st, kept & ~bit, &why);
                if (r < 0)
                        return r;
                log_info("learn: without %s: %s", capability_to_name(cap), r ? "works: pruned" : why);
                if (r)
                        kept &= ~bit;
        }
        *ret_kept = kept;
        return 0;
}

static int learn_output(struct learn_state *st, uint64_t candidates, uint64_t kept) {
        _cleanup_free_ char *dropin = NULL, *dropin_path = NULL, *profile_path = NULL;
        int r;

        learn_report(stdout, candidates, kept, st->current, st->traced ? &st->res : NULL);
        if (st->args.write && !st->args.output)
                return log_error("learn: --write needs --output DIR for an ad-hoc container") ?: -EINVAL;
        if (st->args.write) {
                if (mkdir(st->args.output, 0755) < 0 && errno != EEXIST)
                        return log_errno(negative_errno(), "learn: cannot create %s: %m", st->args.output);
                dropin_path = strjoin(st->args.output, "/" DROPIN_NAME);
                profile_path = st->traced ? strjoin(st->args.output, "/" PROFILE_NAME) : NULL;
                if (!dropin_path || (st->traced && !profile_path))
                        return -ENOMEM;
        }
        r = learn_dropin_text(st->name, kept, st->traced ? &st->res : NULL, profile_path, st->args.check, &dropin);
        if (r < 0)
                return r;
        if (!st->args.write) {
                printf("\n# %s\n%s", DROPIN_NAME, dropin);
                if (st->traced)
                        printf("# SeccompProfile=: the allow-list of %zu system calls is written beside it with "
                               "--write\n",
                               strv_length(st->syscalls));
                return 0;
        }
        if (st->traced && (r = write_file(profile_path, st->profile_text)) < 0)
                return r;
        if ((r = write_file(dropin_path, dropin)) < 0)
                return r;
        printf("\nwrote %s%s%s\n", dropin_path, profile_path ? " and " : "", profile_path ? profile_path : "");
        return 0;
}

static int load_description(const char *name, struct berth_description *d, char **ret_dropin_dir) {
        _cleanup_strv_free_ char **search = NULL;
        struct berth_catalog catalog = {};
        const struct berth_source *src;
        int r;

        r = description_search_path(&search);
        if (r < 0)
                return log_errno(r, "learn: cannot build the search path: %m");
        r = catalog_load(search, &catalog);
        if (r < 0) {
                catalog_done(&catalog);
                return r;
        }
        if (strchr(name, '@')) {
                catalog_done(&catalog);
                return log_error("learn: %s: templates and their instances are not learned (their values hold systemd "
                                 "specifiers that only the unit expands); learn a plain description or ad hoc",
                                 name)
                               ?: -EINVAL;
        }
        src = catalog_find(&catalog, name);
        if (!src || src->masked) {
                catalog_done(&catalog);
                return log_error("learn: no description named '%s'%s", name, src ? " (masked)" : "") ?: -ENOENT;
        }
        r = description_load(&catalog, src, d);
        if (r >= 0) {
                _cleanup_free_ char *copy = strdup(d->path);
                r = copy && xasprintf(ret_dropin_dir, "%s/%s.container.d", dirname(copy), name) >= 0 ? 0 : -ENOMEM;
        }
        catalog_done(&catalog);
        return r;
}

int verb_learn(int argc, char **argv) {
        _cleanup_(description_done) struct berth_description d = {};
        _cleanup_(spec_done) struct berth_spec adhoc = {};
        struct learn_state st = {.run.exec_path = unit_exec_path()};
        sigset_t stop_signals, original_mask;
        uint64_t candidates = 0, kept = 0;
        bool help = false, is_adhoc = false;
        int r, ret = 1;

        spec_init(&adhoc);
        learn_result_init(&st.res);
        st.last_cap = capability_read_last_cap();
        r = parse_args(argc, argv, &st.args, &help);
        if (r < 0)
                goto out;
        if (help) {
                usage(stdout);
                ret = 0;
                goto out;
        }
        STRV_FOREACH(a, st.args.exec_args)
                if (streq(*a, "--rootfs") || startswith(*a, "--rootfs="))
                        is_adhoc = true;
        if (is_adhoc) {
                _cleanup_strv_free_ char **full = NULL;
                bool exec_help = false;
                if (strv_extend(&full, "berth learn") < 0 || strv_push_all(&full, TAKE_PTR(st.args.exec_args)) < 0)
                        goto out;
                r = spec_from_argv(&adhoc, (int) strv_length(full), full, &exec_help);
                if (r < 0 || spec_validate(&adhoc, NULL) < 0)
                        goto out;
                st.base = &adhoc;
                st.name = adhoc.name;
        } else {
                if (strv_length(st.args.exec_args) != 1) {
                        usage(stderr);
                        ret = 2;
                        goto out;
                }
                _cleanup_free_ char *dropin_dir = NULL;
                r = load_description(st.args.exec_args[0], &d, &dropin_dir);
                if (r < 0)
                        goto out;
                st.base = &d.spec;
                st.name = d.name;
                if (!st.args.output)
                        st.args.output = TAKE_PTR(dropin_dir);
        }
        if (capset_from_lists(st.base->cap_add, st.base->cap_drop, st.last_cap, NULL, NULL, &st.current) < 0)
                goto out;
        st.run.check = st.args.check;
        /* without a check: how long it must keep running; with one: time for a service to come up */
        st.run.duration = st.args.duration > 0 ? st.args.duration : st.run.check ? 20 : 5;
        st.run.verbose = st.args.verbose;

        /* Ctrl-C stops the current run and cleans up (cgroup, temporary files): held pending
         * here, seen between polls by learn_run_works() */
        sigemptyset(&stop_signals);
        sigaddset(&stop_signals, SIGINT);
        sigaddset(&stop_signals, SIGTERM);
        sigaddset(&stop_signals, SIGHUP);
        (void) sigprocmask(SIG_BLOCK, &stop_signals, &original_mask);
        st.run.stop_signals = &stop_signals;
        st.run.child_mask = &original_mask;

        snprintf(st.tmpdir, sizeof(st.tmpdir), "/tmp/berth-learn.XXXXXX");
        if (!mkdtemp(st.tmpdir)) {
                log_errno(negative_errno(), "learn: cannot create a temporary directory: %m");
                st.tmpdir[0] = 0;
                goto out;
        }

        if (st.args.from) {
                r = parse_from(st.args.from, st.last_cap, &candidates);
                if (r < 0)
                        goto out;
        } else {
                r = learn_observe(&st, &candidates);
                if (r < 0)
                        goto out;
        }
        r = learn_prune(&st, candidates, &kept);
        if (r < 0)
                goto out;
        r = learn_output(&st, candidates, kept);
        if (r < 0)
                goto out;
        ret = 0;
out:
        if (st.tmpdir[0]) {
                _cleanup_free_ char *a = strjoin(st.tmpdir, "/allow-all.json");
                if (a)
                        (void) unlink(a);
                if (st.profile_tmp)
                        (void) unlink(st.profile_tmp);
                (void) rmdir(st.tmpdir);
        }
        learn_result_done(&st.res);
        strv_free(st.syscalls);
        free(st.profile_text);
        free(st.profile_tmp);
        free(st.args.check);
        free(st.args.from);
        free(st.args.output);
        free(st.args.record);
        strv_free(st.args.exec_args);
        /* everything is cleaned up: a stop signal that came meanwhile now ends us, by that signal */
        if (st.run.stop_signals)
                (void) sigprocmask(SIG_SETMASK, &original_mask, NULL);
        return ret;
}
