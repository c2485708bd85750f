/* SPDX-License-Identifier: MIT */
/* Readiness and reload settings of struct berth_spec: HealthCmd= and its timing,
 * Notify=healthy, ReloadSignal=, ReloadCmd= (Podman's names and defaults). Their setters, the
 * whole-spec rules, and their part of berth-exec's argv. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>

#include "spec.h"
#include "spec-internal.h"

static const struct {
        const char *name;
        int sig;
} signal_names[] = {
        {"HUP", SIGHUP},   {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},       {"TRAP", SIGTRAP},
        {"ABRT", SIGABRT}, {"BUS", SIGBUS},     {"FPE", SIGFPE},   {"KILL", SIGKILL},     {"USR1", SIGUSR1},
        {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},   {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM},
        {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD}, {"CONT", SIGCONT}, {"STOP", SIGSTOP},   {"TSTP", SIGTSTP},
        {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},   {"URG", SIGURG},   {"XCPU", SIGXCPU},     {"XFSZ", SIGXFSZ},
        {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"PWR", SIGPWR},
        {"SYS", SIGSYS},
};

int signal_from_name(const char *name) {
        const char *n = name;
        char *end;
        long v;

        if (isempty(name))
                return -EINVAL;
        if (isdigit((unsigned char) name[0])) {
                errno = 0;
                v = strtol(name, &end, 10);
                if (errno || *end || v <= 0 || v >= _NSIG)
                        return -EINVAL;
                return (int) v;
        }
        if (strncasecmp(n, "SIG", 3) == 0)
                n += 3;
        for (size_t i = 0; i < ELEMENTSOF(signal_names); i++)
                if (strcasecmp(n, signal_names[i].name) == 0)
                        return signal_names[i].sig;
        return -EINVAL;
}

const char *signal_to_name(int sig) {
        for (size_t i = 0; i < ELEMENTSOF(signal_names); i++)
                if (signal_names[i].sig == sig)
                        return signal_names[i].name;
        return NULL;
}

int parse_timespan(const char *v, uint64_t *ret) {
        static const struct {
                const char *suffix;
                uint64_t usec;
        } units[] = {
                /* longest first where one is a prefix of another */
                {"usec", 1},           {"us", 1},
                {"msec", 1000},        {"ms", 1000},
                {"seconds", 1000000},  {"second", 1000000}, {"sec", 1000000}, {"s", 1000000},
                {"minutes", 60000000}, {"minute", 60000000}, {"min", 60000000}, {"m", 60000000},
                {"hours", 3600000000ULL}, {"hour", 3600000000ULL}, {"hr", 3600000000ULL}, {"h", 3600000000ULL},
        };
        const char *p = v;
        uint64_t total = 0;
        bool any = false;

        if (isempty(v))
                return -EINVAL;
        while (*p) {
                unsigned long long n;
                uint64_t unit = 1000000; /* a bare number is seconds */
                char *end;

                while (isspace((unsigned char) *p))
                        p++;
                if (!*p)
                        break;
                if (!isdigit((unsigned char) *p))
                        return -EINVAL;
                errno = 0;
                n = strtoull(p, &end, 10);
                if (errno)
                        return -ERANGE;
                p = end;
                while (isspace((unsigned char) *p))
                        p++;
                if (isalpha((unsigned char) *p)) {
                        size_t i, len = 0;
                        while (isalpha((unsigned char) p[len]))
                                len++;
                        for (i = 0; i < ELEMENTSOF(units); i++)
                                if (strlen(units[i].suffix) == len && strncmp(p, units[i].suffix, len) == 0)
                                        break;
                        if (i == ELEMENTSOF(units))
                                return -EINVAL;
                        unit = units[i].usec;
                        p += len;
                }
                if (n > UINT64_MAX / unit || total + n * unit < total)
                        return -ERANGE;
                total += n * unit;
                any = true;
        }
        if (!any)
                return -EINVAL;
        *ret = total;
        return 0;
}

/* A span in the largest unit that writes it exactly, for argv and messages. */
static void format_timespan(char *buf, size_t size, uint64_t usec) {
        if (usec % 1000000 == 0)
                snprintf(buf, size, "%" PRIu64 "s", usec / 1000000);
        else if (usec % 1000 == 0)
                snprintf(buf, size, "%" PRIu64 "ms", usec / 1000);
        else
                snprintf(buf, size, "%" PRIu64 "us", usec);
}

static int set_command_line(char **field, const char *v, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **argv = NULL;
        int r;

        if (isempty(v)) {
                free(*field);
                *field = NULL;
                return 0;
        }
        r = spec_parse_command(v, &argv, loc);
        if (r < 0)
                return r;
        free(*field);
        *field = strdup(v);
        return *field ? 0 : -ENOMEM;
}

int spec_set_notify_mode(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (v && streq(v, "healthy")) {
                s->notify = false;
                s->notify_healthy = true;
                return 0;
        }
        return spec_set_notify(s, v, loc);
}

int spec_set_health_cmd(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_command_line(&s->health_cmd, v, loc);
}

int spec_set_reload_cmd(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_command_line(&s->reload_cmd, v, loc);
}

static int set_span(uint64_t *field, const char *v, bool allow_zero, const struct berth_loc *loc) {
        uint64_t usec;

        if (isempty(v)) {
                *field = 0;
                return 0;
        }
        if (parse_timespan(v, &usec) < 0)
                return log_syntax(loc, -EINVAL, "expected a time span (30s, 500ms, 1min, 2h), got '%s'", v);
        if (usec == 0 && !allow_zero)
                return log_syntax(loc, -EINVAL, "the time span must be longer than 0, got '%s'", v);
        *field = usec;
        return 0;
}

int spec_set_health_interval(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_span(&s->health_interval_usec, v, false, loc);
}

int spec_set_health_timeout(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_span(&s->health_timeout_usec, v, false, loc);
}

int spec_set_health_start_period(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_span(&s->health_start_period_usec, v, true, loc);
}

int spec_set_health_retries(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        unsigned long n;
        char *end;

        if (isempty(v)) {
                s->health_retries = 0;
                return 0;
        }
        errno = 0;
        n = strtoul(v, &end, 10);
        if (errno || *end || !isdigit((unsigned char) v[0]) || n == 0 || n > 1000000)
                return log_syntax(loc, -EINVAL, "expected a number of retries from 1 to 1000000, got '%s'", v);
        s->health_retries = (unsigned) n;
        return 0;
}

const char *berth_health_action_to_string(enum berth_health_action a) {
        switch (a) {
        case BERTH_HEALTH_KILL: return "kill";
        case BERTH_HEALTH_STOP: return "stop";
        default: return "none";
        }
}

int spec_set_health_on_failure(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (isempty(v) || streq(v, "none"))
                s->health_on_failure = BERTH_HEALTH_NONE;
        else if (streq(v, "kill"))
                s->health_on_failure = BERTH_HEALTH_KILL;
        else if (streq(v, "stop"))
                s->health_on_failure = BERTH_HEALTH_STOP;
        else
                return log_syntax(loc, -EINVAL, "expected kill, stop or none, got '%s'", v);
        return 0;
}

/* The signals berth-exec (and the container's init) pass on to the payload: the only ones a
 * `kill $MAINPID` can deliver to it (forwarded-signals.h). */
static bool reload_signal_is_forwarded(int sig) {
        return sig == SIGHUP || sig == SIGUSR1 || sig == SIGUSR2 || sig == SIGINT || sig == SIGQUIT || sig == SIGWINCH;
}

int spec_set_reload_signal(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        int sig;

        if (isempty(v)) {
                s->reload_signal = 0;
                return 0;
        }
        sig = signal_from_name(v);
        if (sig < 0)
                return log_syntax(loc, -EINVAL, "unknown signal '%s' (expected a name such as HUP or USR1)", v);
        if (!reload_signal_is_forwarded(sig))
                return log_syntax(
                        loc, -EINVAL,
                        "signal '%s' is not passed on to the payload (expected HUP, USR1, USR2, INT, QUIT or WINCH)",
                        v);
        s->reload_signal = sig;
        return 0;
}

uint64_t spec_health_interval(const struct berth_spec *s) {
        return s->health_interval_usec ?: BERTH_HEALTH_INTERVAL_DEFAULT_USEC;
}

uint64_t spec_health_timeout(const struct berth_spec *s) {
        return s->health_timeout_usec ?: BERTH_HEALTH_TIMEOUT_DEFAULT_USEC;
}

unsigned spec_health_retries(const struct berth_spec *s) {
        return s->health_retries ?: BERTH_HEALTH_RETRIES_DEFAULT;
}

int spec_validate_health(const struct berth_spec *s, const struct berth_loc *loc) {
        bool from_file = loc && loc->file;
        struct berth_loc l = {.file = from_file ? loc->file : NULL};

        if (s->notify_healthy && !s->health_cmd) {
                l.key = from_file ? "Notify" : "--notify";
                return log_syntax(&l, -EINVAL, "Notify=healthy needs a HealthCmd= to wait for");
        }
        /* Health settings without HealthCmd= are kept and unused: a drop-in's empty HealthCmd=
         * turns the check off without repeating the rest. */
        if (s->reload_cmd && !s->name) {
                l.key = from_file ? "ReloadCmd" : "--reload-cmd";
                return log_syntax(&l, -EINVAL, "a reload command needs a named container (--name)");
        }
        return 0;
}

bool spec_health_equal(const struct berth_spec *a, const struct berth_spec *b) {
        return a->notify_healthy == b->notify_healthy && streq_ptr(a->health_cmd, b->health_cmd) &&
               (!a->health_cmd ||
                (spec_health_interval(a) == spec_health_interval(b) &&
                 spec_health_timeout(a) == spec_health_timeout(b) && spec_health_retries(a) == spec_health_retries(b) &&
                 a->health_start_period_usec == b->health_start_period_usec &&
                 a->health_on_failure == b->health_on_failure)) &&
               a->reload_signal == b->reload_signal && streq_ptr(a->reload_cmd, b->reload_cmd);
}

void spec_health_done(struct berth_spec *s) {
        free(s->health_cmd);
        free(s->reload_cmd);
        s->health_cmd = s->reload_cmd = NULL;
}

int spec_health_argv_walk(const struct berth_spec *s, spec_word_fn fn, void *userdata) {
        char buf[64];
        int r = 0;

#define EMIT2(opt, value)                                                                                              \
        do {                                                                                                           \
                r = fn((opt), userdata);                                                                               \
                if (r >= 0)                                                                                            \
                        r = fn((value), userdata);                                                                     \
                if (r < 0)                                                                                             \
                        return r;                                                                                      \
        } while (0)

        if (s->notify_healthy) {
                r = fn("--notify=healthy", userdata);
                if (r < 0)
                        return r;
        }
        if (s->health_cmd) {
                EMIT2("--health-cmd", s->health_cmd);
                format_timespan(buf, sizeof(buf), spec_health_interval(s));
                EMIT2("--health-interval", buf);
                format_timespan(buf, sizeof(buf), spec_health_timeout(s));
                EMIT2("--health-timeout", buf);
                format_timespan(buf, sizeof(buf), s->health_start_period_usec);
                EMIT2("--health-start-period", buf);
                snprintf(buf, sizeof(buf), "%u", spec_health_retries(s));
                EMIT2("--health-retries", buf);
                EMIT2("--health-on-failure", berth_health_action_to_string(s->health_on_failure));
        }
        if (s->reload_signal)
                EMIT2("--reload-signal", signal_to_name(s->reload_signal));
        if (s->reload_cmd)
                EMIT2("--reload-cmd", s->reload_cmd);
#undef EMIT2
        return 0;
}
