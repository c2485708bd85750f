/* SPDX-License-Identifier: MIT */
/* berth run: a container as a transient systemd service, like systemd-run.
 *
 * The berth-exec options are parsed and validated here with the same parser berth-exec
 * uses (spec_from_argv + spec_validate) and turned back into ExecStart= by spec_to_argv, so
 * a bad option is reported before anything is sent to systemd, and the unit carries every
 * setting explicitly, exactly like a generated one. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "bus.h"
#include "log.h"
#include "spec.h"
#include "unit-property.h"
#include "util.h"
#include "verbs.h"

/* The exit status when berth run itself fails (as berth-exec and docker run). */
#define EXIT_RUN_FAILED 125

struct run_options {
        const char *unit;
        bool wait;
        char **properties; /* -p KEY=VALUE, in order */
};

static void usage(FILE *f) {
        fputs("usage: berth run [--unit NAME] [--wait] [-p KEY=VALUE]... [CONTAINER OPTIONS] --rootfs DIR -- COMMAND [ARG...]\n"
              "  --unit NAME          the unit's name (default: the container's --name, or berth-run-RANDOM)\n"
              "  --wait               wait until the container exits; exit with its status\n"
              "  -p, --property K=V   a unit setting, as on systemd-run -p (see berth(1))\n"
              "berth run's own options come first; the container options are berth-exec's:\n",
              f);
        spec_print_options_help(f);
}

/* berth run's own options lead; the first other argument starts berth-exec's options, which
 * are parsed by spec_from_argv. Returns the index of the first argument not consumed, or a
 * negative errno (logged); 0 with *ret_help set for --help. */
static int parse_run_options(int argc, char **argv, struct run_options *o, bool *ret_help) {
        int i;

        *ret_help = false;
        for (i = 1; i < argc; i++) {
                const char *a = argv[i], *v;

                if (streq(a, "--wait"))
                        o->wait = true;
                else if (streq(a, "--help") || streq(a, "-h")) {
                        *ret_help = true;
                        return 0;
                } else if (streq(a, "--unit") || streq(a, "-p") || streq(a, "--property")) {
                        if (i + 1 >= argc)
                                return log_error("option '%s' needs a value", a) ?: -EINVAL;
                        v = argv[++i];
                        if (streq(a, "--unit"))
                                o->unit = v;
                        else if (strv_extend(&o->properties, v) < 0)
                                return log_errno(-ENOMEM, "%m");
                } else if ((v = startswith(a, "--unit=")))
                        o->unit = v;
                else if ((v = startswith(a, "--property=")) || ((v = startswith(a, "-p")) && *v)) {
                        if (strv_extend(&o->properties, v) < 0)
                                return log_errno(-ENOMEM, "%m");
                } else
                        break;
        }
        if (o->unit && isempty(o->unit))
                return log_error("--unit: empty unit name") ?: -EINVAL;
        return i;
}

static int random_container_name(char **ret) {
        uint32_t n;
        if (getrandom(&n, sizeof(n), 0) != sizeof(n))
                return log_errno(negative_errno(), "cannot get random bytes for a unit name: %m");
        return xasprintf(ret, "berth-run-%08" PRIx32, n) < 0 ? -ENOMEM : 0;
}

/* Settles the unit name and the container name: each defaults from the other, so that
 * `berth caps NAME`, `container:NAME` and the unit agree. */
static int settle_names(struct berth_spec *spec, const struct run_options *o, char **ret_unit) {
        _cleanup_free_ char *unit = NULL;

        if (!spec->name) {
                _cleanup_free_ char *name = NULL;
                if (o->unit) {
                        name = strdup(o->unit);
                        if (name && endswith(name, ".service"))
                                name[strlen(name) - strlen(".service")] = '\0';
                } else if (random_container_name(&name) < 0)
                        return -EIO;
                if (!name)
                        return log_errno(-ENOMEM, "%m");
                if (!berth_name_is_valid(name))
                        return log_error("--unit %s: not usable as a container name; give --name explicitly", o->unit) ?: -EINVAL;
                spec->name = TAKE_PTR(name);
        }
        unit = o->unit ? strdup(o->unit) : strdup(spec->name);
        if (!unit)
                return log_errno(-ENOMEM, "%m");
        if (!endswith(unit, ".service")) {
                char *t = strjoin(unit, ".service");
                if (!t)
                        return log_errno(-ENOMEM, "%m");
                free(unit);
                unit = t;
        }
        if (strchr(unit, '/'))
                return log_error("--unit %s: a unit name cannot contain '/'", unit) ?: -EINVAL;
        *ret_unit = TAKE_PTR(unit);
        return 0;
}

/* ExecStartEx= rather than ExecStart=: its "no-env-expand" flag keeps systemd from expanding
 * $VAR and $$ in the arguments at exec time, so the payload gets its argv byte for byte,
 * as it would from berth-exec by hand. */
static int append_exec_start(sd_bus_message *m, char *const *exec_argv) {
        static char *const flags[] = {(char *) "no-env-expand", NULL};
        int r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", "ExecStartEx");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "a(sasas)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sasas)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "sasas");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", BERTH_EXEC_PATH);
        if (r >= 0)
                r = sd_bus_message_append_strv(m, (char **) exec_argv);
        if (r >= 0)
                r = sd_bus_message_append_strv(m, (char **) flags);
        for (int i = 0; i < 4 && r >= 0; i++)
                r = sd_bus_message_close_container(m);
        return r;
}

/* The device policy of a generated unit (unit.c): DevicePolicy=closed, DeviceAllow= the
 * standard devices and each --device. */
static int append_device_policy(sd_bus_message *m, const struct berth_spec *spec) {
        int r = sd_bus_message_append(m, "(sv)", "DevicePolicy", "s", "closed");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", "DeviceAllow");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "a(ss)");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(ss)");
        for (const char *const *d = berth_standard_devices; r >= 0 && *d; d++)
                r = sd_bus_message_append(m, "(ss)", *d, "rwm");
        for (size_t i = 0; r >= 0 && i < spec->n_devices; i++)
                r = sd_bus_message_append(m, "(ss)", spec->devices[i].source, spec->devices[i].perms);
        for (int i = 0; i < 3 && r >= 0; i++)
                r = sd_bus_message_close_container(m);
        return r;
}

static int build_start_message(sd_bus *bus, const char *unit, const struct berth_spec *spec, char *const *exec_argv,
                               const struct run_options *o, sd_bus_message **ret) {
        sd_bus_message *m = NULL;
        _cleanup_free_ char *description = NULL;
        int r;

        if (xasprintf(&description, "berth container %s", spec->name) < 0)
                return log_errno(-ENOMEM, "%m");
        r = sd_bus_message_new_method_call(bus, &m, SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_PATH, SYSTEMD_MANAGER_IFACE,
                                           "StartTransientUnit");
        if (r >= 0)
                r = sd_bus_message_append(m, "ss", unit, "fail");
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'a', "(sv)");
        /* What makes it a well-behaved service, the same as a generated unit (SPEC §4):
         * READY=1 from berth-exec once the payload is exec'd (NotifyAccess=all: with --notify
         * the payload sends it itself), and a stop that signals berth-exec first, which passes
         * SIGTERM on to the container's init, before the rest of the unit is killed. */
        if (r >= 0)
                r = sd_bus_message_append(m, "(sv)(sv)(sv)(sv)", "Description", "s", description, "Type", "s", "notify",
                                          "NotifyAccess", "s", "all", "KillMode", "s", "mixed");
        if (r >= 0)
                r = append_device_policy(m, spec);
        if (r >= 0)
                r = append_exec_start(m, exec_argv);
        /* --wait: keep the unit around until its status has been read (AddRef ties it to this
         * connection), then let systemd collect it even if it failed. */
        if (r >= 0 && o->wait)
                r = sd_bus_message_append(m, "(sv)(sv)", "AddRef", "b", 1, "CollectMode", "s", "inactive-or-failed");
        if (r < 0) {
                sd_bus_message_unref(m);
                return log_errno(r, "cannot build the D-Bus message: %m");
        }
        STRV_FOREACH(p, o->properties) {
                r = unit_property_append(m, *p);
                if (r < 0) {
                        sd_bus_message_unref(m);
                        return r;
                }
        }
        r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_append(m, "a(sa(sv))", 0); /* no auxiliary units */
        if (r < 0) {
                sd_bus_message_unref(m);
                return log_errno(r, "cannot build the D-Bus message: %m");
        }
        *ret = m;
        return 0;
}

struct job_wait {
        const char *job_path; /* set once StartTransientUnit returned */
        char *result;         /* JobRemoved's result for that job */
};

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        struct job_wait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->job_path && streq(path, w->job_path) && !w->result)
                w->result = strdup(result);
        return 0;
}

/* Runs the bus until *done says so. */
static int bus_run_until(sd_bus *bus, bool (*done)(void *), void *userdata) {
        int r;
        while (!done(userdata)) {
                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return log_errno(r, "lost the connection to systemd: %m");
                if (r > 0)
                        continue;
                r = sd_bus_wait(bus, UINT64_MAX);
                if (r < 0 && r != -EINTR)
                        return log_errno(r, "lost the connection to systemd: %m");
        }
        return 0;
}

static bool job_done(void *userdata) {
        return ((struct job_wait *) userdata)->result != NULL;
}

struct unit_wait {
        bool changed;
};

static int on_properties_changed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        ((struct unit_wait *) userdata)->changed = true;
        return 0;
}

static bool unit_changed(void *userdata) {
        return ((struct unit_wait *) userdata)->changed;
}

/* The unit has run to its end: inactive or failed, and no job pending (a job means it is
 * still starting or about to restart). */
static int unit_is_finished(sd_bus *bus, const char *path, bool *ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_free_ char *state = NULL;
        sd_bus_message *reply = NULL;
        uint32_t job_id = 0;
        const char *job_path;
        int r;

        r = bus_get_unit_string(bus, path, SYSTEMD_UNIT_IFACE, "ActiveState", &state);
        if (r < 0)
                return log_errno(r, "cannot read the unit's state: %m");
        r = sd_bus_get_property(bus, SYSTEMD_BUS_NAME, path, SYSTEMD_UNIT_IFACE, "Job", &error, &reply, "(uo)");
        if (r >= 0)
                r = sd_bus_message_read(reply, "(uo)", &job_id, &job_path);
        sd_bus_message_unref(reply);
        sd_bus_error_free(&error);
        if (r < 0)
                return log_errno(r, "cannot read the unit's job: %m");
        *ret = (streq(state, "inactive") || streq(state, "failed")) && job_id == 0;
        return 0;
}

static int wait_for_exit(sd_bus *bus, const char *unit, const char *path) {
        struct unit_wait w = {};
        sd_bus_slot *slot = NULL;
        _cleanup_free_ char *result = NULL;
        int32_t code = 0, status = 0;
        bool finished = false;
        int r;

        r = sd_bus_match_signal(bus, &slot, SYSTEMD_BUS_NAME, path, "org.freedesktop.DBus.Properties",
                                "PropertiesChanged", on_properties_changed, &w);
        if (r < 0)
                return log_errno(r, "cannot watch %s: %m", unit), EXIT_RUN_FAILED;
        for (;;) {
                r = unit_is_finished(bus, path, &finished);
                if (r < 0 || finished)
                        break;
                w.changed = false;
                r = bus_run_until(bus, unit_changed, &w);
                if (r < 0)
                        break;
        }
        sd_bus_slot_unref(slot);
        if (r < 0)
                return EXIT_RUN_FAILED;

        if (bus_get_unit_i32(bus, path, SYSTEMD_SERVICE_IFACE, "ExecMainCode", &code) < 0 ||
            bus_get_unit_i32(bus, path, SYSTEMD_SERVICE_IFACE, "ExecMainStatus", &status) < 0) {
                log_error("%s: cannot read the exit status", unit);
                return EXIT_RUN_FAILED;
        }
        (void) bus_get_unit_string(bus, path, SYSTEMD_SERVICE_IFACE, "Result", &result);

        /* Let systemd collect the unit now rather than when this connection closes. */
        (void) sd_bus_call_method(bus, SYSTEMD_BUS_NAME, path, SYSTEMD_UNIT_IFACE, "Unref", NULL, NULL, "");

        switch (code) {
        case CLD_EXITED:
                return status;
        case CLD_KILLED:
        case CLD_DUMPED:
                log_notice("%s: the container was killed by signal %s", unit, strsignal(status));
                return 128 + status;
        default:
                log_error("%s: the container never ran (result: %s); see journalctl -u %s", unit, result ?: "unknown", unit);
                return EXIT_RUN_FAILED;
        }
}

static int start_unit(sd_bus *bus, sd_bus_message *m, const char *unit, bool wait) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        sd_bus_slot *slot = NULL;
        struct job_wait jw = {};
        _cleanup_free_ char *path = NULL, *job = NULL;
        const char *job_path;
        int r, ret = EXIT_RUN_FAILED;

        /* Signals are only sent to subscribers; watch JobRemoved before the job can exist. */
        r = sd_bus_call_method(bus, SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_PATH, SYSTEMD_MANAGER_IFACE, "Subscribe", &error,
                               NULL, "");
        if (r < 0) {
                log_error("cannot subscribe to systemd's signals: %s", error.message ?: strerror(-r));
                goto out;
        }
        r = sd_bus_match_signal(bus, &slot, SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_PATH, SYSTEMD_MANAGER_IFACE, "JobRemoved",
                                on_job_removed, &jw);
        if (r < 0) {
                log_errno(r, "cannot watch systemd's jobs: %m");
                goto out;
        }

        r = sd_bus_call(bus, m, 0, &error, &reply);
        if (r < 0) {
                log_error("%s: systemd refused the unit: %s", unit, error.message ?: strerror(-r));
                goto out;
        }
        r = sd_bus_message_read(reply, "o", &job_path);
        if (r < 0 || !(job = strdup(job_path))) {
                log_error("%s: unexpected reply from systemd", unit);
                goto out;
        }
        jw.job_path = job;
        if (bus_run_until(bus, job_done, &jw) < 0)
                goto out;
        if (unit_object_path(unit, &path) < 0) {
                log_errno(-ENOMEM, "%m");
                goto out;
        }

        if (wait) {
                /* A failed start is reported through the exit status below (ExecMainStatus
                 * is berth-exec's 125/126/127 or the payload's own). */
                ret = wait_for_exit(bus, unit, path);
                goto out;
        }
        if (!streq(jw.result, "done")) {
                log_error("%s: the container failed to start (job %s); see systemctl status %s and journalctl -u %s",
                          unit, jw.result, unit, unit);
                goto out;
        }
        printf("%s\n", unit);
        ret = 0;
out:
        sd_bus_slot_unref(slot);
        sd_bus_message_unref(reply);
        sd_bus_error_free(&error);
        free(jw.result);
        return ret;
}

/* ExecStart='s argv: argv[0] and then exactly what a generated unit would carry. */
static int build_exec_argv(const struct berth_spec *spec, char ***ret) {
        _cleanup_strv_free_ char **options = NULL, **l = NULL;
        int r;

        r = spec_to_argv(spec, &options);
        if (r < 0)
                return r;
        r = strv_extend(&l, "berth-exec");
        STRV_FOREACH(o, options)
                if (r >= 0)
                        r = strv_extend(&l, *o);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

int verb_run(int argc, char **argv) {
        struct run_options o = {};
        struct berth_spec spec;
        _cleanup_strv_free_ char **exec_argv = NULL;
        _cleanup_free_ char *unit = NULL;
        sd_bus *bus = NULL;
        sd_bus_message *m = NULL;
        bool help = false;
        int first, r, ret = EXIT_RUN_FAILED;

        log_set_ident("berth run");
        spec_init(&spec);

        first = parse_run_options(argc, argv, &o, &help);
        if (first < 0)
                goto out;
        if (help) {
                usage(stdout);
                ret = 0;
                goto out;
        }
        /* spec_from_argv() wants argv[0] to be a program name. */
        r = spec_from_argv(&spec, argc - first + 1, argv + first - 1, &help);
        if (r < 0)
                goto out;
        if (help) {
                usage(stdout);
                ret = 0;
                goto out;
        }
        if (settle_names(&spec, &o, &unit) < 0)
                goto out;
        if (spec_validate(&spec, NULL) < 0)
                goto out;
        r = build_exec_argv(&spec, &exec_argv);
        if (r < 0) {
                log_errno(r, "cannot build berth-exec's command line: %m");
                goto out;
        }

        if (bus_connect_systemd(o.wait, &bus) < 0)
                goto out;
        if (build_start_message(bus, unit, &spec, exec_argv, &o, &m) < 0)
                goto out;
        ret = start_unit(bus, m, unit, o.wait);
out:
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
        strv_free(o.properties);
        spec_done(&spec);
        return ret;
}
