/* SPDX-License-Identifier: MIT */
#include "unit-property.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <strings.h>

#include "log.h"
#include "util.h"

enum property_kind {
        PROPERTY_STRING,
        PROPERTY_BOOL,
        PROPERTY_USEC,       /* a time span, sent in microseconds */
        PROPERTY_BYTES,      /* a size with K/M/G/T suffixes or infinity */
        PROPERTY_UINT64,     /* a number or infinity */
        PROPERTY_RLIMIT,     /* LimitX=: sets the hard and the soft limit, as systemd-run does */
        PROPERTY_INT32,
        PROPERTY_CPU_QUOTA,  /* "50%" -> CPUQuotaPerSecUSec */
        PROPERTY_STRV,       /* unit names, whitespace-separated */
        PROPERTY_REFUSED,
};

struct property {
        const char *name;     /* as written on the command line */
        const char *bus_name; /* as systemd's D-Bus API spells it; NULL: the same */
        enum property_kind kind;
        const char *why;      /* PROPERTY_REFUSED: the reason */
};

static const struct property properties[] = {
        {"Description", NULL, PROPERTY_STRING, NULL},
        {"Restart", NULL, PROPERTY_STRING, NULL},
        {"Slice", NULL, PROPERTY_STRING, NULL},
        {"KillMode", NULL, PROPERTY_STRING, NULL},
        {"CollectMode", NULL, PROPERTY_STRING, NULL},
        {"OOMPolicy", NULL, PROPERTY_STRING, NULL},
        {"SyslogIdentifier", NULL, PROPERTY_STRING, NULL},
        {"StandardOutput", NULL, PROPERTY_STRING, NULL},
        {"StandardError", NULL, PROPERTY_STRING, NULL},
        {"RemainAfterExit", NULL, PROPERTY_BOOL, NULL},
        {"SendSIGKILL", NULL, PROPERTY_BOOL, NULL},
        {"MemoryAccounting", NULL, PROPERTY_BOOL, NULL},
        {"CPUAccounting", NULL, PROPERTY_BOOL, NULL},
        {"TasksAccounting", NULL, PROPERTY_BOOL, NULL},
        {"IOAccounting", NULL, PROPERTY_BOOL, NULL},
        {"RestartSec", "RestartUSec", PROPERTY_USEC, NULL},
        {"TimeoutStartSec", "TimeoutStartUSec", PROPERTY_USEC, NULL},
        {"TimeoutStopSec", "TimeoutStopUSec", PROPERTY_USEC, NULL},
        {"RuntimeMaxSec", "RuntimeMaxUSec", PROPERTY_USEC, NULL},
        {"WatchdogSec", "WatchdogUSec", PROPERTY_USEC, NULL},
        {"MemoryMax", NULL, PROPERTY_BYTES, NULL},
        {"MemoryHigh", NULL, PROPERTY_BYTES, NULL},
        {"MemoryLow", NULL, PROPERTY_BYTES, NULL},
        {"MemorySwapMax", NULL, PROPERTY_BYTES, NULL},
        {"TasksMax", NULL, PROPERTY_UINT64, NULL},
        {"CPUWeight", NULL, PROPERTY_UINT64, NULL},
        {"IOWeight", NULL, PROPERTY_UINT64, NULL},
        {"LimitNOFILE", NULL, PROPERTY_RLIMIT, NULL},
        {"LimitNPROC", NULL, PROPERTY_RLIMIT, NULL},
        {"LimitCORE", NULL, PROPERTY_RLIMIT, NULL},
        {"LimitMEMLOCK", NULL, PROPERTY_RLIMIT, NULL},
        {"Nice", NULL, PROPERTY_INT32, NULL},
        {"OOMScoreAdjust", NULL, PROPERTY_INT32, NULL},
        {"CPUQuota", "CPUQuotaPerSecUSec", PROPERTY_CPU_QUOTA, NULL},
        {"After", NULL, PROPERTY_STRV, NULL},
        {"Before", NULL, PROPERTY_STRV, NULL},
        {"Wants", NULL, PROPERTY_STRV, NULL},
        {"Requires", NULL, PROPERTY_STRV, NULL},
        {"BindsTo", NULL, PROPERTY_STRV, NULL},
        {"PartOf", NULL, PROPERTY_STRV, NULL},
        {"Conflicts", NULL, PROPERTY_STRV, NULL},
        {"ExecStart", NULL, PROPERTY_REFUSED, "berth builds ExecStart= from the container options"},
        {"Type", NULL, PROPERTY_REFUSED, "a berth container is Type=notify: readiness comes from berth-exec"},
        {"NotifyAccess", NULL, PROPERTY_REFUSED, "berth needs NotifyAccess=all"},
        {"User", NULL, PROPERTY_REFUSED, "berth-exec must start as root; use --user for the payload"},
        {"Group", NULL, PROPERTY_REFUSED, "berth-exec must start as root; use --user USER:GROUP for the payload"},
        {"Environment", NULL, PROPERTY_REFUSED, "use --env: the unit's environment is berth-exec's, not the container's"},
        {"RootDirectory", NULL, PROPERTY_REFUSED, "use --rootfs"},
        {"WorkingDirectory", NULL, PROPERTY_REFUSED, "use --workdir"},
        {"DevicePolicy", NULL, PROPERTY_REFUSED, "berth sets DevicePolicy=closed; use --device for a device the container needs"},
        {"DeviceAllow", NULL, PROPERTY_REFUSED, "use --device: it binds the node into the container and allows it"},
};

static int parse_number_and_suffix(const char *s, double *ret_value, const char **ret_suffix) {
        char *end;
        double v;

        if (isempty(s) || !(isdigit((unsigned char) *s) || *s == '.'))
                return -EINVAL;
        errno = 0;
        v = strtod(s, &end);
        if (errno != 0 || end == s || !isfinite(v) || v < 0)
                return -EINVAL;
        while (*end == ' ')
                end++;
        *ret_value = v;
        *ret_suffix = end;
        return 0;
}

int parse_timespan_usec(const char *s, uint64_t *ret) {
        static const struct {
                const char *suffix;
                double usec;
        } units[] = {
                {"", 1e6},       {"s", 1e6},      {"sec", 1e6},   {"ms", 1e3},        {"msec", 1e3},
                {"us", 1},       {"usec", 1},     {"min", 60e6},  {"m", 60e6},        {"h", 3600e6},
                {"hr", 3600e6},  {"d", 86400e6},
        };
        const char *suffix;
        double v;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (parse_number_and_suffix(s, &v, &suffix) < 0)
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (streq(suffix, units[i].suffix)) {
                        double usec = v * units[i].usec;
                        if (usec >= 1.8e19)
                                return -ERANGE;
                        *ret = (uint64_t) usec;
                        return 0;
                }
        return -EINVAL;
}

int parse_size_bytes(const char *s, uint64_t *ret) {
        static const char factors[] = "KMGT";
        const char *suffix, *p;
        double v, factor = 1;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (parse_number_and_suffix(s, &v, &suffix) < 0)
                return -EINVAL;
        if (*suffix) {
                if (suffix[1] != '\0' || !(p = strchr(factors, toupper((unsigned char) *suffix))))
                        return -EINVAL;
                for (const char *f = factors; f <= p; f++)
                        factor *= 1024;
        }
        if (v * factor >= 1.8e19)
                return -ERANGE;
        *ret = (uint64_t) (v * factor);
        return 0;
}

int parse_percent_per_mille(const char *s, uint64_t *ret) {
        const char *suffix;
        double v;

        if (parse_number_and_suffix(s, &v, &suffix) < 0 || !streq(suffix, "%"))
                return -EINVAL;
        if (v > 1e9)
                return -ERANGE;
        *ret = (uint64_t) (v * 10 + 0.5);
        return 0;
}

static int parse_uint64_or_infinity(const char *s, uint64_t *ret) {
        char *end;
        unsigned long long v;

        if (streq(s, "infinity")) {
                *ret = UINT64_MAX;
                return 0;
        }
        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno != 0 || *end)
                return -EINVAL;
        *ret = v;
        return 0;
}

static int parse_int32(const char *s, int32_t *ret) {
        char *end;
        long v;

        errno = 0;
        v = strtol(s, &end, 10);
        if (isempty(s) || errno != 0 || *end || v < INT32_MIN || v > INT32_MAX)
                return -EINVAL;
        *ret = (int32_t) v;
        return 0;
}

static int append_strv(sd_bus_message *m, const char *name, const char *value) {
        _cleanup_strv_free_ char **words = NULL;
        int r = strv_split_whitespace(value, &words);
        if (r < 0)
                return r;
        r = sd_bus_message_open_container(m, 'r', "sv");
        if (r >= 0)
                r = sd_bus_message_append(m, "s", name);
        if (r >= 0)
                r = sd_bus_message_open_container(m, 'v', "as");
        if (r >= 0)
                r = sd_bus_message_append_strv(m, words);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        if (r >= 0)
                r = sd_bus_message_close_container(m);
        return r;
}

int unit_property_append(sd_bus_message *m, const char *assignment) {
        _cleanup_free_ char *key = NULL;
        const struct property *p = NULL;
        const char *eq = strchr(assignment, '='), *value, *bus_name;
        uint64_t u64;
        int32_t i32;
        int r;

        if (!eq || eq == assignment)
                return log_error("-p %s: expected KEY=VALUE", assignment) ?: -EINVAL;
        key = strndup(assignment, (size_t) (eq - assignment));
        if (!key)
                return log_errno(-ENOMEM, "-p %s: %m", assignment);
        value = eq + 1;
        for (size_t i = 0; i < ELEMENTSOF(properties); i++)
                if (streq(properties[i].name, key)) {
                        p = &properties[i];
                        break;
                }
        if (!p)
                return log_error("-p %s: unknown or unsupported property '%s' (see berth(1) for the supported ones)",
                                 assignment, key) ?: -EINVAL;
        bus_name = p->bus_name ?: p->name;

        switch (p->kind) {
        case PROPERTY_REFUSED:
                return log_error("-p %s: not allowed: %s", assignment, p->why) ?: -EINVAL;
        case PROPERTY_STRING:
                r = sd_bus_message_append(m, "(sv)", bus_name, "s", value);
                break;
        case PROPERTY_BOOL:
                r = parse_boolean(value);
                if (r < 0)
                        return log_error("-p %s: expected a boolean (yes/no)", assignment) ?: -EINVAL;
                r = sd_bus_message_append(m, "(sv)", bus_name, "b", r);
                break;
        case PROPERTY_USEC:
                if (parse_timespan_usec(value, &u64) < 0)
                        return log_error("-p %s: expected a time span (e.g. 90, 1.5s, 500ms, 2min, infinity)",
                                         assignment) ?: -EINVAL;
                r = sd_bus_message_append(m, "(sv)", bus_name, "t", u64);
                break;
        case PROPERTY_BYTES:
                if (parse_size_bytes(value, &u64) < 0)
                        return log_error("-p %s: expected a size (e.g. 4096, 512M, 1G, infinity)", assignment) ?: -EINVAL;
                r = sd_bus_message_append(m, "(sv)", bus_name, "t", u64);
                break;
        case PROPERTY_UINT64:
                if (parse_uint64_or_infinity(value, &u64) < 0)
                        return log_error("-p %s: expected a number or infinity", assignment) ?: -EINVAL;
                r = sd_bus_message_append(m, "(sv)", bus_name, "t", u64);
                break;
        case PROPERTY_RLIMIT: {
                _cleanup_free_ char *soft = strjoin(bus_name, "Soft");
                if (!soft)
                        return log_errno(-ENOMEM, "-p %s: %m", assignment);
                if (parse_uint64_or_infinity(value, &u64) < 0)
                        return log_error("-p %s: expected a number or infinity", assignment) ?: -EINVAL;
                r = sd_bus_message_append(m, "(sv)(sv)", bus_name, "t", u64, soft, "t", u64);
                break;
        }
        case PROPERTY_INT32:
                if (parse_int32(value, &i32) < 0)
                        return log_error("-p %s: expected an integer", assignment) ?: -EINVAL;
                r = sd_bus_message_append(m, "(sv)", bus_name, "i", i32);
                break;
        case PROPERTY_CPU_QUOTA:
                if (parse_percent_per_mille(value, &u64) < 0)
                        return log_error("-p %s: expected a percentage (e.g. 50%%)", assignment) ?: -EINVAL;
                /* per mille of one CPU -> microseconds of CPU time per second */
                r = sd_bus_message_append(m, "(sv)", bus_name, "t", u64 * 1000);
                break;
        case PROPERTY_STRV:
                r = append_strv(m, bus_name, value);
                break;
        default:
                r = -EINVAL;
        }
        if (r < 0)
                return log_errno(r, "-p %s: cannot build the D-Bus message: %m", assignment);
        return 0;
}
