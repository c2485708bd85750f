/* SPDX-License-Identifier: MIT */
/* berth list: berth's units with their state and main PID.
 *
 * A unit is berth's when its SourcePath= is a .container description (generated units) or
 * its ExecStart= runs berth-exec (generated and `berth run` transient units). Loaded units
 * are asked over sd-bus; generated units systemd has not loaded yet (never started, not
 * wanted by anything) are found in the generator directories and shown as not loaded,
 * without loading them. */
#include <errno.h>
#include <libgen.h>

#include "bus.h"
#include "log.h"
#include "util.h"
#include "verbs.h"

struct listed_unit {
        char *name, *active, *sub, *source;
        uint32_t main_pid;
};

struct unit_list {
        struct listed_unit *units;
        size_t n;
};

static void unit_list_done(struct unit_list *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->units[i].name);
                free(l->units[i].active);
                free(l->units[i].sub);
                free(l->units[i].source);
        }
        free(l->units);
}

static bool unit_list_contains(const struct unit_list *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->units[i].name, name))
                        return true;
        return false;
}

static int unit_list_add(struct unit_list *l, const char *name, const char *active, const char *sub, uint32_t main_pid,
                         const char *source) {
        struct listed_unit *t = realloc(l->units, (l->n + 1) * sizeof(*t));
        if (!t)
                return -ENOMEM;
        l->units = t;
        t = &l->units[l->n];
        *t = (struct listed_unit){strdup(name), strdup(active), strdup(sub), strdup(source), main_pid};
        l->n++;
        if (!t->name || !t->active || !t->sub || !t->source)
                return -ENOMEM;
        return 0;
}

static bool is_berth_exec(const char *path) {
        const char *slash = strrchr(path, '/');
        return streq(slash ? slash + 1 : path, "berth-exec");
}

/* The path ExecStart='s first command runs, or NULL. */
static int unit_exec_start_path(sd_bus *bus, const char *path, char **ret) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        const char *exec = NULL;
        int r;

        *ret = NULL;
        r = sd_bus_get_property(bus, SYSTEMD_BUS_NAME, path, SYSTEMD_SERVICE_IFACE, "ExecStart", &error, &reply,
                                "a(sasbttttuii)");
        sd_bus_error_free(&error);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'a', "(sasbttttuii)");
        if (r > 0)
                r = sd_bus_message_enter_container(reply, 'r', "sasbttttuii");
        if (r > 0)
                r = sd_bus_message_read(reply, "s", &exec);
        if (r > 0 && exec && !(*ret = strdup(exec)))
                r = -ENOMEM;
        sd_bus_message_unref(reply);
        return r < 0 ? r : 0;
}

static int add_if_berth(sd_bus *bus, struct unit_list *l, const char *name, const char *object_path, const char *active,
                        const char *sub) {
        _cleanup_free_ char *source = NULL, *exec = NULL;
        uint32_t main_pid = 0;
        int transient = 0;
        sd_bus_error error = SD_BUS_ERROR_NULL;

        (void) bus_get_unit_string(bus, object_path, SYSTEMD_UNIT_IFACE, "SourcePath", &source);
        if (!source || !endswith(source, ".container")) {
                (void) unit_exec_start_path(bus, object_path, &exec);
                if (!exec || !is_berth_exec(exec))
                        return 0;
        }
        (void) bus_get_unit_u32(bus, object_path, SYSTEMD_SERVICE_IFACE, "MainPID", &main_pid);
        (void) sd_bus_get_property_trivial(bus, SYSTEMD_BUS_NAME, object_path, SYSTEMD_UNIT_IFACE, "Transient", &error, 'b',
                                           &transient);
        sd_bus_error_free(&error);
        return unit_list_add(l, name, active, sub, main_pid,
                             transient ? "transient" : !isempty(source) ? source : "-");
}

static int list_loaded(sd_bus *bus, struct unit_list *l) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        const char *name, *active, *sub, *object_path;
        int r;

        r = sd_bus_call_method(bus, SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_PATH, SYSTEMD_MANAGER_IFACE, "ListUnitsByPatterns",
                               &error, &reply, "asas", 0, 1, "*.service");
        if (r < 0) {
                log_error("cannot list units: %s", error.message ?: strerror(-r));
                sd_bus_error_free(&error);
                return r;
        }
        r = sd_bus_message_enter_container(reply, 'a', "(ssssssouso)");
        while (r > 0) {
                r = sd_bus_message_read(reply, "(ssssssouso)", &name, NULL, NULL, &active, &sub, NULL, &object_path, NULL,
                                        NULL, NULL);
                if (r <= 0)
                        break;
                r = add_if_berth(bus, l, name, object_path, active, sub);
                if (r < 0)
                        break;
                r = 1;
        }
        sd_bus_message_unref(reply);
        if (r < 0)
                return log_errno(r, "cannot read the unit list: %m");
        return 0;
}

/* A generated unit file is berth's when it came from a .container description. */
static bool unit_file_is_berth(const char *path) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        _cleanup_free_ char *line = NULL;
        size_t size = 0;

        if (!f)
                return false;
        while (getline(&line, &size, f) > 0) {
                const char *v = startswith(line, "SourcePath=");
                line[strcspn(line, "\n")] = '\0';
                if (v && endswith(v, ".container"))
                        return true;
                if ((v = startswith(line, "ExecStart=")) && strstr(v, "berth-exec"))
                        return true;
        }
        return false;
}

static int list_unloaded_generated(sd_bus *bus, struct unit_list *l) {
        sd_bus_error error = SD_BUS_ERROR_NULL;
        sd_bus_message *reply = NULL;
        const char *path, *state;
        int r;

        r = sd_bus_call_method(bus, SYSTEMD_BUS_NAME, SYSTEMD_MANAGER_PATH, SYSTEMD_MANAGER_IFACE, "ListUnitFiles", &error,
                               &reply, "");
        if (r < 0) {
                log_error("cannot list unit files: %s", error.message ?: strerror(-r));
                sd_bus_error_free(&error);
                return r;
        }
        r = sd_bus_message_enter_container(reply, 'a', "(ss)");
        while (r > 0) {
                const char *name;
                r = sd_bus_message_read(reply, "(ss)", &path, &state);
                if (r <= 0)
                        break;
                name = strrchr(path, '/');
                name = name ? name + 1 : path;
                if (!startswith(path, "/run/systemd/generator") || !endswith(name, ".service") || endswith(name, "@.service") ||
                    unit_list_contains(l, name) || !unit_file_is_berth(path))
                        continue;
                r = unit_list_add(l, name, "inactive", "not-loaded", 0, path);
                if (r < 0)
                        break;
                r = 1;
        }
        sd_bus_message_unref(reply);
        if (r < 0)
                return log_errno(r, "cannot read the unit file list: %m");
        return 0;
}

static int compare_units(const void *a, const void *b) {
        return strcmp(((const struct listed_unit *) a)->name, ((const struct listed_unit *) b)->name);
}

int verb_list(int argc, char **argv) {
        struct unit_list l = {};
        sd_bus *bus = NULL;
        int ret = 1;

        log_set_ident("berth list");
        if (argc > 1) {
                if (streq(argv[1], "--help") || streq(argv[1], "-h")) {
                        printf("usage: berth list\n  berth's units (generated and transient), their state and main PID\n");
                        return 0;
                }
                log_error("unexpected argument '%s' (see --help)", argv[1]);
                return 2;
        }
        if (bus_connect_systemd(false, &bus) < 0)
                return 1;
        if (list_loaded(bus, &l) < 0 || list_unloaded_generated(bus, &l) < 0)
                goto out;

        if (l.n > 0)
                qsort(l.units, l.n, sizeof(l.units[0]), compare_units);
        printf("%-32s %-10s %-12s %-8s %s\n", "UNIT", "ACTIVE", "SUB", "MAINPID", "SOURCE");
        for (size_t i = 0; i < l.n; i++) {
                const struct listed_unit *u = &l.units[i];
                char pid[16] = "-";
                if (u->main_pid > 0)
                        snprintf(pid, sizeof(pid), "%u", u->main_pid);
                printf("%-32s %-10s %-12s %-8s %s\n", u->name, u->active, u->sub, pid, u->source);
        }
        ret = 0;
out:
        unit_list_done(&l);
        sd_bus_flush_close_unref(bus);
        return ret;
}
