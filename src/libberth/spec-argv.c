/* SPDX-License-Identifier: MIT */
/* spec <-> berth-exec argv. spec_to_argv() writes every setting explicitly (defaults too), so
 * a generated unit never depends on what berth-exec would assume; spec_from_argv() feeds
 * each option to the same setter a description key uses. */
#include <errno.h>
#include <getopt.h>

#include "spec.h"

enum {
        OPT_NAME = 0x100,
        OPT_ROOTFS,
        OPT_HOSTNAME,
        OPT_CAP_ADD,
        OPT_CAP_DROP,
        OPT_SECURITY_OPT,
        OPT_PID,
        OPT_NET,
        OPT_IPC,
        OPT_UTS,
        OPT_READ_ONLY,
        OPT_VOLUME,
        OPT_TMPFS,
        OPT_ENV,
        OPT_ENV_FILE,
        OPT_USER,
        OPT_WORKDIR,
        OPT_MASK,
        OPT_UNMASK,
        OPT_INIT,
        OPT_NO_INIT,
        OPT_NOTIFY,
        OPT_HELP,
        OPT_HEALTH_CMD,
        OPT_HEALTH_INTERVAL,
        OPT_HEALTH_TIMEOUT,
        OPT_HEALTH_START_PERIOD,
        OPT_HEALTH_RETRIES,
        OPT_HEALTH_ON_FAILURE,
        OPT_RELOAD_SIGNAL,
        OPT_RELOAD_CMD,
        OPT_DEVICE,
};

static const struct option options[] = {
        {"name", required_argument, NULL, OPT_NAME},
        {"rootfs", required_argument, NULL, OPT_ROOTFS},
        {"hostname", required_argument, NULL, OPT_HOSTNAME},
        {"cap-add", required_argument, NULL, OPT_CAP_ADD},
        {"cap-drop", required_argument, NULL, OPT_CAP_DROP},
        {"security-opt", required_argument, NULL, OPT_SECURITY_OPT},
        {"pid", required_argument, NULL, OPT_PID},
        {"net", required_argument, NULL, OPT_NET},
        {"network", required_argument, NULL, OPT_NET},
        {"ipc", required_argument, NULL, OPT_IPC},
        {"uts", required_argument, NULL, OPT_UTS},
        {"read-only", no_argument, NULL, OPT_READ_ONLY},
        {"volume", required_argument, NULL, OPT_VOLUME},
        {"tmpfs", required_argument, NULL, OPT_TMPFS},
        {"env", required_argument, NULL, OPT_ENV},
        {"env-file", required_argument, NULL, OPT_ENV_FILE},
        {"user", required_argument, NULL, OPT_USER},
        {"workdir", required_argument, NULL, OPT_WORKDIR},
        {"mask", required_argument, NULL, OPT_MASK},
        {"unmask", required_argument, NULL, OPT_UNMASK},
        {"init", no_argument, NULL, OPT_INIT},
        {"no-init", no_argument, NULL, OPT_NO_INIT},
        {"notify", optional_argument, NULL, OPT_NOTIFY},
        {"help", no_argument, NULL, OPT_HELP},
        {"health-cmd", required_argument, NULL, OPT_HEALTH_CMD},
        {"health-interval", required_argument, NULL, OPT_HEALTH_INTERVAL},
        {"health-timeout", required_argument, NULL, OPT_HEALTH_TIMEOUT},
        {"health-start-period", required_argument, NULL, OPT_HEALTH_START_PERIOD},
        {"health-retries", required_argument, NULL, OPT_HEALTH_RETRIES},
        {"health-on-failure", required_argument, NULL, OPT_HEALTH_ON_FAILURE},
        {"reload-signal", required_argument, NULL, OPT_RELOAD_SIGNAL},
        {"reload-cmd", required_argument, NULL, OPT_RELOAD_CMD},
        {"device", required_argument, NULL, OPT_DEVICE},
        {}
};

void spec_print_options_help(FILE *f) {
        fputs("berth-exec [OPTIONS] --rootfs DIR [--] COMMAND [ARG...]\n"
              "  --name NAME               container name (records /run/berth/NAME/)\n"
              "  --rootfs DIR              the container's root directory (required)\n"
              "  --hostname NAME           host name (needs a private UTS namespace)\n"
              "  --cap-add CAP             add a capability (name with or without CAP_, any case, or ALL)\n"
              "  --cap-drop CAP            drop a capability (or ALL)\n"
              "  --security-opt OPT        label=type:T|level:L|user:U|role:R|filetype:T|disable,\n"
              "                            no-new-privileges[=BOOL], seccomp=default|unconfined|PATH,\n"
              "                            apparmor=PROFILE|unconfined\n"
              "  --pid|--ipc MODE          private, host, container:NAME, ns:PATH\n"
              "  --net MODE                the same, plus none\n"
              "  --uts MODE                private, host, container:NAME, ns:PATH\n"
              "  --read-only               mount the root read-only\n"
              "  -v, --volume H:C[:ro|rw]  bind mount host path H at C\n"
              "  --tmpfs C[:OPTIONS]       a tmpfs at C\n"
              "  -e, --env NAME=VALUE      set an environment variable\n"
              "  --env-file PATH           read NAME=VALUE lines from a host file\n"
              "  -u, --user USER[:GROUP]   run as USER (resolved in the container's /etc/passwd)\n"
              "  -w, --workdir DIR         working directory inside the container\n"
              "  --mask PATH               hide PATH (in addition to Docker's masked paths)\n"
              "  --unmask PATH|ALL         do not mask PATH (one of Docker's masked/read-only paths)\n"
              "  --init, --no-init         a PID-1 shim that reaps and forwards signals (default with --pid private)\n"
              "  --notify                  the payload sends READY=1 itself\n"
              "  --device H[:C][:PERMS]    bind host device H at C (below /dev/), PERMS of rwm\n"
              "  --notify=healthy          READY=1 once --health-cmd first passes\n"
              "  --health-cmd CMD          a check run inside the container (systemd quoting)\n"
              "  --health-interval SPAN    between checks (30s)\n"
              "  --health-timeout SPAN     a check that takes longer fails (30s)\n"
              "  --health-start-period SPAN  failures before this do not count (0)\n"
              "  --health-retries N        failures in a row that make it unhealthy (3)\n"
              "  --health-on-failure ACTION  kill, stop or none (none)\n"
              "  --reload-signal SIG       (for the unit's ExecReload=; not used at start)\n"
              "  --reload-cmd CMD          (for the unit's ExecReload=; not used at start)\n",
              f);
}

static int set_ns(struct berth_spec *s, enum berth_ns_kind k, const char *v, const struct berth_loc *loc) {
        return spec_set_namespace(s, k, v, loc);
}

int spec_from_argv(struct berth_spec *s, int argc, char *const *argv, bool *ret_help) {
        int c, r;

        *ret_help = false;
        /* GNU getopt keeps state in globals: optind = 0 re-initialises it fully so this can be
         * called more than once in a process (tests, fuzzing). '+' stops at the first
         * non-option, which is the payload's command. */
        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+e:v:u:w:", options, NULL)) >= 0) {
                struct berth_loc loc = {};
                char optname[64];

                if (c == '?') {
                        if (optopt)
                                return log_error("unknown option '-%c' (see --help)", optopt) ?: -EINVAL;
                        return log_error("unknown option '%s' (see --help)", argv[optind - 1]) ?: -EINVAL;
                }
                if (c == ':')
                        return log_error("option '%s' needs a value", argv[optind - 1]) ?: -EINVAL;

                for (const struct option *o = options; o->name; o++)
                        if (o->val == c) {
                                snprintf(optname, sizeof(optname), "--%s", o->name);
                                break;
                        }
                switch (c) {
                case 'e': snprintf(optname, sizeof(optname), "--env"); c = OPT_ENV; break;
                case 'v': snprintf(optname, sizeof(optname), "--volume"); c = OPT_VOLUME; break;
                case 'u': snprintf(optname, sizeof(optname), "--user"); c = OPT_USER; break;
                case 'w': snprintf(optname, sizeof(optname), "--workdir"); c = OPT_WORKDIR; break;
                }
                loc.key = optname;

                switch (c) {
                case OPT_NAME: r = spec_set_name(s, optarg, &loc); break;
                case OPT_ROOTFS: r = spec_set_rootfs(s, optarg, &loc); break;
                case OPT_HOSTNAME: r = spec_set_hostname(s, optarg, &loc); break;
                case OPT_CAP_ADD: r = spec_add_cap_add(s, optarg, &loc); break;
                case OPT_CAP_DROP: r = spec_add_cap_drop(s, optarg, &loc); break;
                case OPT_SECURITY_OPT: r = spec_set_security_opt(s, optarg, &loc); break;
                case OPT_PID: r = set_ns(s, BERTH_NS_PID, optarg, &loc); break;
                case OPT_NET: r = set_ns(s, BERTH_NS_NET, optarg, &loc); break;
                case OPT_IPC: r = set_ns(s, BERTH_NS_IPC, optarg, &loc); break;
                case OPT_UTS: r = set_ns(s, BERTH_NS_UTS, optarg, &loc); break;
                case OPT_READ_ONLY: r = spec_set_read_only(s, "yes", &loc); break;
                case OPT_VOLUME: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty volume") : spec_add_volume(s, optarg, &loc); break;
                case OPT_TMPFS: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty tmpfs") : spec_add_tmpfs(s, optarg, &loc); break;
                case OPT_ENV: r = spec_add_env(s, optarg, &loc); break;
                case OPT_ENV_FILE: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty path") : spec_add_env_file(s, optarg, &loc); break;
                case OPT_USER: r = spec_set_user_group(s, optarg, &loc); break;
                case OPT_WORKDIR: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty path") : spec_set_workdir(s, optarg, &loc); break;
                case OPT_MASK: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty path") : spec_add_mask(s, optarg, &loc); break;
                case OPT_UNMASK: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty path") : spec_add_unmask(s, optarg, &loc); break;
                case OPT_INIT: s->init = BERTH_YES; r = 0; break;
                case OPT_NO_INIT: s->init = BERTH_NO; r = 0; break;
                case OPT_NOTIFY: r = spec_set_notify(s, optarg ? optarg : "yes", &loc); break;
                case OPT_HEALTH_CMD: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty command") : spec_set_health_cmd(s, optarg, &loc); break;
                case OPT_HEALTH_INTERVAL: r = spec_set_health_interval(s, optarg, &loc); break;
                case OPT_HEALTH_TIMEOUT: r = spec_set_health_timeout(s, optarg, &loc); break;
                case OPT_HEALTH_START_PERIOD: r = spec_set_health_start_period(s, optarg, &loc); break;
                case OPT_HEALTH_RETRIES: r = spec_set_health_retries(s, optarg, &loc); break;
                case OPT_HEALTH_ON_FAILURE: r = spec_set_health_on_failure(s, optarg, &loc); break;
                case OPT_RELOAD_SIGNAL: r = spec_set_reload_signal(s, optarg, &loc); break;
                case OPT_RELOAD_CMD: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty command") : spec_set_reload_cmd(s, optarg, &loc); break;
                case OPT_HELP: *ret_help = true; return 0;
                case OPT_DEVICE: r = isempty(optarg) ? log_syntax(&loc, -EINVAL, "empty device") : spec_add_device(s, optarg, &loc); break;
                default: return log_error("unhandled option") ?: -EINVAL;
                }
                if (r < 0)
                        return r;
        }

        if (optind < argc) {
                strv_free(s->command);
                s->command = strv_copy(argv + optind);
                if (!s->command)
                        return -ENOMEM;
                if (!path_is_absolute(s->command[0]) && strchr(s->command[0], '/'))
                        return log_error("command '%s' must be an absolute path inside the root or a plain name looked up in PATH",
                                         s->command[0]) ?: -EINVAL;
                if (isempty(s->command[0]))
                        return log_error("empty command") ?: -EINVAL;
        }
        return 0;
}

/* ---- spec -> argv ---- */

/* The walk hands out each word as soon as it is known; words made of several parts
 * ("seccomp=default", "/srv:/srv:ro") are put together in one scratch buffer, so a walk
 * allocates once, however many words it has. */
struct argv_walk {
        spec_word_fn fn;
        void *userdata;
        struct strbuf scratch;
};

static int emit(struct argv_walk *w, const char *word) {
        return w->fn(word, w->userdata);
}

static int emit2(struct argv_walk *w, const char *opt, const char *value) {
        int r = emit(w, opt);
        return r < 0 ? r : emit(w, value);
}

/* opt, then the parts joined into one word (NULL parts end it early). */
static int emit_joined(struct argv_walk *w, const char *opt, const char *a, const char *b, const char *c, const char *d) {
        const char *parts[] = {a, b, c, d};

        w->scratch.len = 0;
        strbuf_put(&w->scratch, "", 0); /* "" even with nothing to join */
        for (size_t i = 0; i < ELEMENTSOF(parts) && parts[i]; i++)
                strbuf_puts(&w->scratch, parts[i]);
        if (w->scratch.oom)
                return -ENOMEM;
        return emit2(w, opt, w->scratch.data);
}

static int emit_label(struct argv_walk *w, const char *what, const char *value) {
        if (!value)
                return 0;
        return emit_joined(w, "--security-opt", "label=", what, ":", value);
}

static int walk(const struct berth_spec *s, struct argv_walk *w) {
        static const char *const ns_opts[_BERTH_NS_MAX] = {"--pid", "--net", "--ipc", "--uts"};
        int r = 0;

#define TRY(expr)                                                                                                      \
        do {                                                                                                            \
                r = (expr);                                                                                             \
                if (r < 0)                                                                                              \
                        return r;                                                                                       \
        } while (0)

        if (s->name)
                TRY(emit2(w, "--name", s->name));
        if (s->rootfs)
                TRY(emit2(w, "--rootfs", s->rootfs));
        if (s->hostname)
                TRY(emit2(w, "--hostname", s->hostname));
        STRV_FOREACH(c, s->cap_drop)
                TRY(emit2(w, "--cap-drop", *c));
        STRV_FOREACH(c, s->cap_add)
                TRY(emit2(w, "--cap-add", *c));
        TRY(emit2(w, "--security-opt", s->no_new_privileges ? "no-new-privileges=true" : "no-new-privileges=false"));
        TRY(emit_joined(w, "--security-opt", "seccomp=", s->seccomp ? s->seccomp : "default", NULL, NULL));
        if (s->label.disable)
                TRY(emit2(w, "--security-opt", "label=disable"));
        TRY(emit_label(w, "user", s->label.user));
        TRY(emit_label(w, "role", s->label.role));
        TRY(emit_label(w, "type", s->label.type));
        TRY(emit_label(w, "level", s->label.level));
        TRY(emit_label(w, "filetype", s->label.filetype));
        if (s->apparmor_profile)
                TRY(emit_joined(w, "--security-opt", "apparmor=", s->apparmor_profile, NULL, NULL));
        for (int k = 0; k < _BERTH_NS_MAX; k++) {
                const struct berth_ns *ns = &s->ns[k];
                switch (ns->mode) {
                case BERTH_NS_MODE_PRIVATE:
                        TRY(emit2(w, ns_opts[k], "private"));
                        break;
                case BERTH_NS_MODE_HOST:
                        TRY(emit2(w, ns_opts[k], "host"));
                        break;
                case BERTH_NS_MODE_NONE:
                        TRY(emit2(w, ns_opts[k], "none"));
                        break;
                case BERTH_NS_MODE_CONTAINER:
                        TRY(emit_joined(w, ns_opts[k], "container:", ns->target, NULL, NULL));
                        break;
                case BERTH_NS_MODE_PATH:
                        TRY(emit_joined(w, ns_opts[k], "ns:", ns->target, NULL, NULL));
                        break;
                default:
                        return -ENOMEM; /* as berth_ns_to_string() failing */
                }
        }
        if (s->group)
                TRY(emit_joined(w, "--user", s->user ? s->user : "0", ":", s->group, NULL));
        else if (s->user)
                TRY(emit2(w, "--user", s->user));
        if (s->workdir)
                TRY(emit2(w, "--workdir", s->workdir));
        STRV_FOREACH(f, s->env_files)
                TRY(emit2(w, "--env-file", *f));
        STRV_FOREACH(e, s->env)
                TRY(emit2(w, "--env", *e));
        if (s->read_only)
                TRY(emit(w, "--read-only"));
        for (size_t i = 0; i < s->n_volumes; i++) {
                const struct berth_volume *v = &s->volumes[i];
                TRY(emit_joined(w, "--volume", v->source, ":", v->target, v->read_only ? ":ro" : ":rw"));
        }
        for (size_t i = 0; i < s->n_tmpfs; i++) {
                const struct berth_tmpfs *t = &s->tmpfs[i];
                if (t->options)
                        TRY(emit_joined(w, "--tmpfs", t->target, ":", t->options, NULL));
                else
                        TRY(emit2(w, "--tmpfs", t->target));
        }
        STRV_FOREACH(m, s->mask)
                TRY(emit2(w, "--mask", *m));
        STRV_FOREACH(m, s->unmask)
                TRY(emit2(w, "--unmask", *m));
        TRY(emit(w, spec_wants_init(s) ? "--init" : "--no-init"));
        if (s->notify)
                TRY(emit(w, "--notify"));
        TRY(spec_health_argv_walk(s, w->fn, w->userdata));
        for (size_t i = 0; i < s->n_devices; i++) {
                const struct berth_device *d = &s->devices[i];
                char perms[sizeof(d->perms) + 1];
                snprintf(perms, sizeof(perms), ":%s", d->perms);
                TRY(emit_joined(w, "--device", d->source, ":", d->target, perms));
        }
        TRY(emit(w, "--"));
        STRV_FOREACH(c, s->command)
                TRY(emit(w, *c));
#undef TRY
        return 0;
}

int spec_argv_walk(const struct berth_spec *s, spec_word_fn fn, void *userdata) {
        struct argv_walk w = {.fn = fn, .userdata = userdata};
        int r = walk(s, &w);
        strbuf_done(&w.scratch);
        return r;
}

static int builder_add(const char *word, void *userdata) {
        return strv_builder_push(userdata, strdup(word));
}

int spec_to_argv(const struct berth_spec *s, char ***ret) {
        struct strv_builder b = {};
        int r = spec_argv_walk(s, builder_add, &b);

        if (r < 0) {
                strv_free(b.v);
                return r;
        }
        *ret = b.v;
        return 0;
}
