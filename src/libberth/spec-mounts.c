/* SPDX-License-Identifier: MIT */
/* The mount settings of struct berth_spec: Volume=, Device=, Tmpfs=, Mask=, Unmask= (their
 * setters and lists), Docker's default masked and read-only paths and the effective ones. */
#include "spec.h"
#include "spec-internal.h"

#include <ctype.h>
#include <errno.h>

#include "tmpfs-options.h"

const char *const berth_default_masked_paths[] = {
        "/proc/acpi",
        "/proc/asound",
        "/proc/interrupts",
        "/proc/kcore",
        "/proc/keys",
        "/proc/latency_stats",
        "/proc/sched_debug",
        "/proc/scsi",
        "/proc/timer_list",
        "/proc/timer_stats",
        "/sys/devices/virtual/powercap",
        "/sys/firmware",
        NULL,
};

const char *const berth_standard_devices[] = {
        "/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", NULL,
};

const char *const berth_default_readonly_paths[] = {
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger", NULL,
};

void spec_volumes_free(struct berth_spec *s) {
        for (size_t i = 0; i < s->n_volumes; i++) {
                free(s->volumes[i].source);
                free(s->volumes[i].target);
        }
        free(s->volumes);
        s->volumes = NULL;
        s->n_volumes = 0;
}

void spec_tmpfs_free(struct berth_spec *s) {
        for (size_t i = 0; i < s->n_tmpfs; i++) {
                free(s->tmpfs[i].target);
                free(s->tmpfs[i].options);
        }
        free(s->tmpfs);
        s->tmpfs = NULL;
        s->n_tmpfs = 0;
}

void spec_devices_free(struct berth_spec *s) {
        for (size_t i = 0; i < s->n_devices; i++) {
                free(s->devices[i].source);
                free(s->devices[i].target);
        }
        free(s->devices);
        s->devices = NULL;
        s->n_devices = 0;
}

/* v cut at every ':' into *parts (empty parts kept). */
static int split_colons(const char *v, char ***parts) {
        for (const char *p = v;;) {
                const char *c = strchr(p, ':');
                if (strv_push(parts, c ? strndup(p, (size_t) (c - p)) : strdup(p)) < 0)
                        return -ENOMEM;
                if (!c)
                        return 0;
                p = c + 1;
        }
}

int spec_add_volume(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **parts = NULL;
        struct berth_volume vol = {};
        struct berth_volume *n;
        size_t np;

        if (isempty(v)) {
                spec_volumes_free(s);
                return 0;
        }
        /* HOST:CONTAINER[:ro|rw]. Paths with ':' are not supported (as in Docker's short form). */
        if (split_colons(v, &parts) < 0)
                return -ENOMEM;
        np = strv_length(parts);
        if (np < 2 || np > 3)
                return log_syntax(loc, -EINVAL, "expected HOST:CONTAINER[:ro|rw], got '%s'", v);
        if (!path_is_normalized_absolute(parts[0]))
                return log_syntax(loc, -EINVAL, "volume source '%s' is not an absolute, normalized path", parts[0]);
        if (!path_is_normalized_absolute(parts[1]))
                return log_syntax(loc, -EINVAL, "volume target '%s' is not an absolute, normalized path", parts[1]);
        if (streq(parts[1], "/"))
                return log_syntax(loc, -EINVAL, "volume target cannot be the container's root");
        if (np == 3) {
                if (streq(parts[2], "ro"))
                        vol.read_only = true;
                else if (!streq(parts[2], "rw"))
                        return log_syntax(loc, -EINVAL, "unknown volume option '%s' (expected ro or rw)", parts[2]);
        }
        n = realloc(s->volumes, sizeof(*n) * (s->n_volumes + 1));
        if (!n)
                return -ENOMEM;
        s->volumes = n;
        vol.source = strdup(parts[0]);
        vol.target = strdup(parts[1]);
        if (!vol.source || !vol.target) {
                free(vol.source);
                free(vol.target);
                return -ENOMEM;
        }
        s->volumes[s->n_volumes++] = vol;
        return 0;
}

/* "rwm" in any order, each letter once, at least one: normalized to r, w, m order. */
static int parse_device_perms(const char *v, char perms[static 4]) {
        bool r = false, w = false, m = false;

        if (isempty(v))
                return -EINVAL;
        for (const char *p = v; *p; p++) {
                bool *b = *p == 'r' ? &r : *p == 'w' ? &w : *p == 'm' ? &m : NULL;
                if (!b || *b)
                        return -EINVAL;
                *b = true;
        }
        snprintf(perms, 4, "%s%s%s", r ? "r" : "", w ? "w" : "", m ? "m" : "");
        return 0;
}

static bool device_target_is_valid(const char *t) {
        const char *rest = startswith(t, "/dev/");
        return path_is_normalized_absolute(t) && !isempty(rest);
}

int spec_add_device(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **parts = NULL;
        struct berth_device dev = {.perms = "rwm"};
        struct berth_device *n;
        size_t np;

        if (isempty(v)) {
                spec_devices_free(s);
                return 0;
        }
        /* HOST[:CONTAINER][:PERMS], as docker run --device */
        if (split_colons(v, &parts) < 0)
                return -ENOMEM;
        np = strv_length(parts);
        if (np > 3)
                return log_syntax(loc, -EINVAL, "expected HOST[:CONTAINER][:PERMS], got '%s'", v);
        if (!path_is_normalized_absolute(parts[0]))
                return log_syntax(loc, -EINVAL, "device '%s' is not an absolute, normalized host path", parts[0]);
        /* it becomes a DeviceAllow= word of the unit */
        for (size_t i = 0; i < 2 && i < np; i++)
                for (const char *c = parts[i]; *c; c++)
                        if ((unsigned char) *c <= ' ' || *c == 0x7f)
                                return log_syntax(loc, -EINVAL,
                                                  "device path '%s' contains a space or control character", parts[i]);
        /* HOST:PERMS is HOST:CONTAINER when the second part is a path */
        if (np == 2 && parts[1][0] != '/') {
                if (parse_device_perms(parts[1], dev.perms) < 0)
                        return log_syntax(loc, -EINVAL, "device permissions '%s' are not a combination of r, w and m",
                                          parts[1]);
        } else if (np >= 2 && !device_target_is_valid(parts[1]))
                return log_syntax(loc, -EINVAL, "device target '%s' is not an absolute, normalized path below /dev/",
                                  parts[1]);
        if (np == 3 && parse_device_perms(parts[2], dev.perms) < 0)
                return log_syntax(loc, -EINVAL, "device permissions '%s' are not a combination of r, w and m",
                                  parts[2]);
        if (np == 1 || (np == 2 && parts[1][0] != '/')) {
                if (!device_target_is_valid(parts[0]))
                        return log_syntax(
                                loc, -EINVAL,
                                "device '%s' is not below /dev/: name the path inside the container (HOST:/dev/NAME)",
                                parts[0]);
        }
        n = realloc(s->devices, sizeof(*n) * (s->n_devices + 1));
        if (!n)
                return -ENOMEM;
        s->devices = n;
        dev.source = strdup(parts[0]);
        dev.target = strdup(np >= 2 && parts[1][0] == '/' ? parts[1] : parts[0]);
        if (!dev.source || !dev.target) {
                free(dev.source);
                free(dev.target);
                return -ENOMEM;
        }
        s->devices[s->n_devices++] = dev;
        return 0;
}

/* Options a tmpfs may carry. suid and dev are left out on purpose: a container's tmpfs is
 * always nosuid,nodev, so a description cannot open a way to setuid binaries or devices. */
static bool tmpfs_option_is_allowed(const char *o) {
        static const char *const flags[] = {"ro", "rw", "noexec", "exec", "nosuid", "nodev", "noatime", NULL};
        static const char *const keys[] = {"size=", "mode=", "uid=", "gid=", "nr_inodes=", "nr_blocks=", NULL};
        for (size_t i = 0; flags[i]; i++)
                if (streq(o, flags[i]))
                        return true;
        for (size_t i = 0; keys[i]; i++) {
                const char *val = startswith(o, keys[i]);
                if (val && *val) {
                        for (const char *c = val; *c; c++)
                                if (!isalnum((unsigned char) *c) && *c != '%')
                                        return false;
                        return true;
                }
        }
        return false;
}

int spec_add_tmpfs(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        _cleanup_free_ char *target = NULL, *options = NULL;
        struct berth_tmpfs *n;
        const char *colon;

        if (isempty(v)) {
                spec_tmpfs_free(s);
                return 0;
        }
        colon = strchr(v, ':');
        target = colon ? strndup(v, (size_t) (colon - v)) : strdup(v);
        if (!target)
                return -ENOMEM;
        if (!path_is_normalized_absolute(target) || streq(target, "/"))
                return log_syntax(loc, -EINVAL, "tmpfs target '%s' is not an absolute, normalized path below /",
                                  target);
        if (colon && !isempty(colon + 1)) {
                _cleanup_free_ char *copy = strdup(colon + 1);
                char *save = NULL;
                if (!copy)
                        return -ENOMEM;
                for (char *o = strtok_r(copy, ",", &save); o; o = strtok_r(NULL, ",", &save))
                        if (tmpfs_option_value_problem(o))
                                return log_syntax(loc, -EINVAL, "tmpfs option '%s': invalid value (%s)", o,
                                                  tmpfs_option_value_problem(o));
                        else if (!tmpfs_option_is_allowed(o))
                                return log_syntax(
                                        loc, -EINVAL,
                                        "tmpfs option '%s' is not allowed (size=, mode=, uid=, gid=, nr_inodes=, "
                                        "nr_blocks=, ro, rw, noexec, exec, nosuid, nodev, noatime)",
                                        o);
                options = strdup(colon + 1);
                if (!options)
                        return -ENOMEM;
        }
        n = realloc(s->tmpfs, sizeof(*n) * (s->n_tmpfs + 1));
        if (!n)
                return -ENOMEM;
        s->tmpfs = n;
        s->tmpfs[s->n_tmpfs++] = (struct berth_tmpfs){.target = TAKE_PTR(target), .options = TAKE_PTR(options)};
        return 0;
}

static int add_paths_words(char ***list, const char *v, bool allow_all, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        if (isempty(v)) {
                strv_free(*list);
                *list = NULL;
                return 0;
        }
        r = strv_split_whitespace(v, &words);
        if (r < 0)
                return r;
        STRV_FOREACH(w, words) {
                if (!(allow_all && streq(*w, "ALL")) && !path_is_normalized_absolute(*w))
                        return log_syntax(loc, -EINVAL, "expected absolute, normalized paths%s, got '%s'",
                                          allow_all ? " or ALL" : "", *w);
        }
        STRV_FOREACH(w, words) {
                r = strv_extend(list, *w);
                if (r < 0)
                        return r;
        }
        return 0;
}

int spec_add_mask(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return add_paths_words(&s->mask, v, false, loc);
}

int spec_add_unmask(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return add_paths_words(&s->unmask, v, true, loc);
}

int spec_masked_paths(const struct berth_spec *s, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        bool unmask_all = strv_contains(s->unmask, "ALL");
        int r;

        for (size_t i = 0; berth_default_masked_paths[i]; i++) {
                if (unmask_all || strv_contains(s->unmask, berth_default_masked_paths[i]))
                        continue;
                r = strv_extend(&l, berth_default_masked_paths[i]);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(m, s->mask) {
                if (strv_contains(l, *m))
                        continue;
                r = strv_extend(&l, *m);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

int spec_readonly_paths(const struct berth_spec *s, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        bool unmask_all = strv_contains(s->unmask, "ALL");
        int r;

        for (size_t i = 0; berth_default_readonly_paths[i]; i++) {
                if (unmask_all || strv_contains(s->unmask, berth_default_readonly_paths[i]))
                        continue;
                r = strv_extend(&l, berth_default_readonly_paths[i]);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;
}
