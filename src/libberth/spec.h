/* SPDX-License-Identifier: MIT */
#pragma once

/* struct berth_spec: everything a container is. Built by the description reader (from
 * NAME.container + drop-ins + berth.conf) or by the option parser (from berth-exec's argv);
 * turned back into berth-exec argv by spec_to_argv(). spec -> argv -> spec is a round trip,
 * so the generator and the helper can never disagree about a setting.
 *
 * Every value goes through one setter (spec_set_*), shared by both readers, so a bad value
 * is reported in the same words whether it came from a file (FILE:LINE: Key: ...) or from
 * the command line (--option: ...). */

#include <stdbool.h>
#include <stdint.h>

#include "log.h"
#include "util.h"

enum berth_ns_kind {
        BERTH_NS_PID,
        BERTH_NS_NET,
        BERTH_NS_IPC,
        BERTH_NS_UTS,
        _BERTH_NS_MAX,
};

enum berth_ns_mode {
        BERTH_NS_MODE_PRIVATE,   /* a new namespace (default) */
        BERTH_NS_MODE_HOST,      /* share the helper's (the host's) namespace */
        BERTH_NS_MODE_CONTAINER, /* join another berth container's, recorded in /run/berth/NAME/ */
        BERTH_NS_MODE_PATH,      /* join the namespace file at target (e.g. /proc/PID/ns/net) */
        BERTH_NS_MODE_NONE,      /* network only: private with loopback only (same as private) */
};

struct berth_ns {
        enum berth_ns_mode mode;
        char *target; /* container name or namespace path; NULL otherwise */
};

struct berth_volume {
        char *source; /* absolute host path */
        char *target; /* absolute path inside the container */
        bool read_only;
};

struct berth_tmpfs {
        char *target;  /* absolute path inside the container */
        char *options; /* mount options, may be NULL */
};

/* Device=, --device HOST[:CONTAINER][:PERMS]: a host device node bound into the container's
 * /dev and allowed by the unit's device policy (DeviceAllow=HOST PERMS). */
struct berth_device {
        char *source;  /* absolute host path of a character or block device */
        char *target;  /* absolute path below /dev inside the container */
        char perms[4]; /* a non-empty subset of "rwm", in that order */
};

enum berth_tristate {
        BERTH_AUTO = -1,
        BERTH_NO = 0,
        BERTH_YES = 1,
};

struct berth_label {
        char *type;     /* SecurityLabelType=, label=type: */
        char *level;    /* SecurityLabelLevel=, label=level: (raw or translated) */
        char *user;     /* SecurityLabelUser=, label=user: */
        char *role;     /* SecurityLabelRole=, label=role: */
        char *filetype; /* SecurityLabelFileType=, label=filetype: */
        bool disable;   /* SecurityLabelDisable=, label=disable */
};

struct berth_spec {
        char *name;     /* container name: unit name without .service; --name */
        char *rootfs;   /* RootDirectory=, --rootfs */
        char **command; /* Exec=, everything after -- */

        char **cap_add;  /* AddCapability=, --cap-add (names as written; validated) */
        char **cap_drop; /* DropCapability=, --cap-drop */
        bool no_new_privileges;

        struct berth_label label;
        char *seccomp; /* "default", "unconfined" or an absolute path to a JSON profile */

        struct berth_ns ns[_BERTH_NS_MAX];
        char *hostname; /* NULL: the container name */

        char *user;  /* User=: name or number, resolved inside the root; NULL = 0 */
        char *group; /* Group=: name or number; NULL = the user's primary group */
        char *workdir;
        char **env;       /* K=V */
        char **env_files; /* absolute host paths */

        bool read_only;
        struct berth_volume *volumes;
        size_t n_volumes;
        struct berth_tmpfs *tmpfs;
        size_t n_tmpfs;
        char **mask;   /* extra paths to mask, in addition to Docker's */
        char **unmask; /* Docker default masked paths to leave visible; "ALL" = all of them */

        enum berth_tristate init; /* AUTO: yes when the PID namespace is private */
        bool notify;

        /* Readiness and reload (spec-health.c). */
        bool notify_healthy;               /* Notify=healthy: READY=1 after the first passing HealthCmd= */
        char *health_cmd;                  /* HealthCmd=: a command line (systemd quoting), run inside */
        uint64_t health_interval_usec;     /* HealthInterval=; 0: the default */
        uint64_t health_timeout_usec;      /* HealthTimeout=; 0: the default */
        uint64_t health_start_period_usec; /* HealthStartPeriod= */
        unsigned health_retries;           /* HealthRetries=; 0: the default */
        enum berth_health_action {
                BERTH_HEALTH_NONE,
                BERTH_HEALTH_KILL,
                BERTH_HEALTH_STOP,
        } health_on_failure; /* HealthOnFailure= */
        int reload_signal;   /* ReloadSignal=; 0: none */
        char *reload_cmd;    /* ReloadCmd=: a command line, run inside like HealthCmd= */
        /* AppArmorProfile=, --security-opt apparmor=: a loaded profile's name or "unconfined";
         * NULL: berth-default where AppArmor is enabled */
        char *apparmor_profile;
        struct berth_device *devices; /* Device=, --device */
        size_t n_devices;
};

void spec_init(struct berth_spec *s);
void spec_done(struct berth_spec *s);
bool spec_equal(const struct berth_spec *a, const struct berth_spec *b);

/* ---- setters: one per setting, shared by the description reader and the option parser.
 * Each validates its value, logs one message prefixed with loc on failure and returns
 * a negative errno. List setters append; an empty value resets the list. */
int spec_set_name(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_rootfs(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* Exec=: a command line with systemd's quoting rules ("...", '...', backslash escapes). */
int spec_set_exec(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_cap_add(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_cap_drop(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_no_new_privileges(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_label_type(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_label_level(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_label_user(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_label_role(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_label_filetype(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_label_disable(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_seccomp(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* private | host | container:NAME | ns:PATH | an absolute path ; net also: none */
int spec_set_namespace(struct berth_spec *s, enum berth_ns_kind kind, const char *v, const struct berth_loc *loc);
int spec_set_hostname(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_user(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_group(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* --user U[:G] */
int spec_set_user_group(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_workdir(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* Environment=: one or more K=V words, systemd quoting; --env: exactly one K=V */
int spec_add_environment(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_env(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_env_file(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_read_only(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_volume(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_tmpfs(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_mask(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_add_unmask(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_init(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_notify(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* Readiness and reload (spec-health.c). Notify=yes|no|healthy. */
int spec_set_notify_mode(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_health_cmd(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_health_interval(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_health_timeout(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_health_start_period(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_health_retries(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_health_on_failure(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_reload_signal(struct berth_spec *s, const char *v, const struct berth_loc *loc);
int spec_set_reload_cmd(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* Effective values after defaults (Podman's: 30 s, 30 s, 3). */
#define BERTH_HEALTH_INTERVAL_DEFAULT_USEC (30ULL * 1000000ULL)
#define BERTH_HEALTH_TIMEOUT_DEFAULT_USEC (30ULL * 1000000ULL)
#define BERTH_HEALTH_RETRIES_DEFAULT 3U
uint64_t spec_health_interval(const struct berth_spec *s);
uint64_t spec_health_timeout(const struct berth_spec *s);
unsigned spec_health_retries(const struct berth_spec *s);
const char *berth_health_action_to_string(enum berth_health_action a);
/* "HUP", "SIGHUP", "1" -> 1; -EINVAL otherwise. Names without SIG, as kill -l prints them. */
int signal_from_name(const char *name);
const char *signal_to_name(int sig);
/* "30", "30s", "1min 30s", "500ms", "2h" (systemd.time(7) spans) -> microseconds. */
int parse_timespan(const char *v, uint64_t *ret);
/* Whole-spec rules of these keys (Notify=healthy needs HealthCmd=, ...); called by spec_validate(). */
int spec_validate_health(const struct berth_spec *s, const struct berth_loc *loc);
bool spec_health_equal(const struct berth_spec *a, const struct berth_spec *b);
void spec_health_done(struct berth_spec *s);

/* AppArmorProfile=NAME|unconfined; empty resets to the default */
int spec_set_apparmor_profile(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* Device=, --device HOST[:CONTAINER][:PERMS] (CONTAINER defaults to HOST, PERMS to rwm) */
int spec_add_device(struct berth_spec *s, const char *v, const struct berth_loc *loc);
/* --security-opt label=type:T | label:type:T | label=disable | no-new-privileges[=B] |
 * seccomp=PATH|unconfined|default */
int spec_set_security_opt(struct berth_spec *s, const char *v, const struct berth_loc *loc);

/* Whole-spec rules (required settings, settings that contradict each other). loc names the
 * source file, if any. Logs every problem; returns the first error. */
int spec_validate(const struct berth_spec *s, const struct berth_loc *loc);

/* Effective values after defaults. */
const char *spec_hostname(const struct berth_spec *s);
bool spec_wants_init(const struct berth_spec *s);
/* Docker's rule: a shared host PID or IPC namespace turns labelling off. */
bool spec_label_disabled_by_namespaces(const struct berth_spec *s);

/* The devices every container has, bound from the host's /dev (SPEC §5), NULL-terminated;
 * also what a generated unit's DeviceAllow= lists before the Device= ones. */
extern const char *const berth_standard_devices[];

/* Docker's masked and read-only paths (SPEC §5); static, NULL-terminated. */
extern const char *const berth_default_masked_paths[];
extern const char *const berth_default_readonly_paths[];
/* Effective masked paths: Docker's less Unmask=, plus Mask=. malloc'ed strv. */
int spec_masked_paths(const struct berth_spec *s, char ***ret);
/* Docker's read-only paths less Unmask=. */
int spec_readonly_paths(const struct berth_spec *s, char ***ret);

/* ---- argv <-> spec ----
 * spec_to_argv(): the berth-exec arguments (without argv[0]) that carry every setting
 * explicitly, defaults included, ending in "--" and the command. */
int spec_to_argv(const struct berth_spec *s, char ***ret);
/* The same words, handed to fn one by one (no vector, no copies: the generator quotes them
 * straight into the unit). A negative return of fn stops the walk and is returned. */
typedef int (*spec_word_fn)(const char *word, void *userdata);
int spec_argv_walk(const struct berth_spec *s, spec_word_fn fn, void *userdata);
/* The readiness/reload options (--health-cmd, ...; spec-health.c), part of the walk above. */
int spec_health_argv_walk(const struct berth_spec *s, spec_word_fn fn, void *userdata);
/* Parses berth-exec's options (argv[0] is the program name). Logs and returns -EINVAL on
 * bad usage. *ret_help is set when --help was given. */
int spec_from_argv(struct berth_spec *s, int argc, char *const *argv, bool *ret_help);
/* Usage text for berth-exec's options. */
void spec_print_options_help(FILE *f);

const char *berth_ns_kind_to_string(enum berth_ns_kind k); /* "pid", "net", "ipc", "uts" */
/* "private", "host", "container:NAME", "ns:PATH", "none"; malloc'ed */
char *berth_ns_to_string(const struct berth_ns *ns);

/* systemd-style command line splitting: whitespace separates words; "..." and '...'
 * quote; backslash escapes (C escapes inside and outside quotes). */
int split_quoted(const char *s, char ***ret);

/* A valid container name: [A-Za-z0-9_.-]{1,64}, optionally NAME@INSTANCE, not starting with '.'. */
bool berth_name_is_valid(const char *name);
