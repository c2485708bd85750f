/* SPDX-License-Identifier: MIT */
/* struct berth_spec: lifecycle and the one setter per setting (the mount settings are in
 * spec-mounts.c, the readiness ones in spec-health.c, whole-spec validation in spec-validate.c).
 * The setters are the only place a value is checked, for descriptions and options alike. */
#include "spec.h"
#include "spec-internal.h"

#include <ctype.h>
#include <errno.h>

#include "apparmor/apparmor.h"
#include "capability.h"
#include "label.h"

void spec_init(struct berth_spec *s) {
        *s = (struct berth_spec){
                .no_new_privileges = true,
                .init = BERTH_AUTO,
        };
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                s->ns[k].mode = BERTH_NS_MODE_PRIVATE;
}

void spec_done(struct berth_spec *s) {
        free(s->name);
        free(s->rootfs);
        strv_free(s->command);
        strv_free(s->cap_add);
        strv_free(s->cap_drop);
        free(s->label.type);
        free(s->label.level);
        free(s->label.user);
        free(s->label.role);
        free(s->label.filetype);
        free(s->seccomp);
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                free(s->ns[k].target);
        free(s->hostname);
        free(s->user);
        free(s->group);
        free(s->workdir);
        strv_free(s->env);
        strv_free(s->env_files);
        spec_volumes_free(s);
        spec_tmpfs_free(s);
        strv_free(s->mask);
        strv_free(s->unmask);
        spec_health_done(s);
        free(s->apparmor_profile);
        spec_devices_free(s);
        spec_init(s);
}

bool spec_equal(const struct berth_spec *a, const struct berth_spec *b) {
        if (!streq_ptr(a->name, b->name) || !streq_ptr(a->rootfs, b->rootfs) || !strv_equal(a->command, b->command) ||
            !strv_equal(a->cap_add, b->cap_add) || !strv_equal(a->cap_drop, b->cap_drop) ||
            a->no_new_privileges != b->no_new_privileges)
                return false;
        if (!streq_ptr(a->label.type, b->label.type) || !streq_ptr(a->label.level, b->label.level) ||
            !streq_ptr(a->label.user, b->label.user) || !streq_ptr(a->label.role, b->label.role) ||
            !streq_ptr(a->label.filetype, b->label.filetype) || a->label.disable != b->label.disable)
                return false;
        if (!streq_ptr(a->seccomp ? a->seccomp : "default", b->seccomp ? b->seccomp : "default"))
                return false;
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                if (a->ns[k].mode != b->ns[k].mode || !streq_ptr(a->ns[k].target, b->ns[k].target))
                        return false;
        if (!streq_ptr(a->hostname, b->hostname) ||
            /* no user is root: "--user 0:G" is how a group alone is written */
            !streq_ptr(a->user ? a->user : "0", b->user ? b->user : "0") || !streq_ptr(a->group, b->group) ||
            !streq_ptr(a->workdir, b->workdir) || !strv_equal(a->env, b->env) ||
            !strv_equal(a->env_files, b->env_files) || a->read_only != b->read_only)
                return false;
        if (a->n_volumes != b->n_volumes || a->n_tmpfs != b->n_tmpfs)
                return false;
        for (size_t i = 0; i < a->n_volumes; i++)
                if (!streq(a->volumes[i].source, b->volumes[i].source) ||
                    !streq(a->volumes[i].target, b->volumes[i].target) ||
                    a->volumes[i].read_only != b->volumes[i].read_only)
                        return false;
        for (size_t i = 0; i < a->n_tmpfs; i++)
                if (!streq(a->tmpfs[i].target, b->tmpfs[i].target) ||
                    !streq_ptr(a->tmpfs[i].options, b->tmpfs[i].options))
                        return false;
        if (!strv_equal(a->mask, b->mask) || !strv_equal(a->unmask, b->unmask))
                return false;
        if (!streq_ptr(a->apparmor_profile, b->apparmor_profile))
                return false;
        if (a->n_devices != b->n_devices)
                return false;
        for (size_t i = 0; i < a->n_devices; i++)
                if (!streq(a->devices[i].source, b->devices[i].source) ||
                    !streq(a->devices[i].target, b->devices[i].target) ||
                    !streq(a->devices[i].perms, b->devices[i].perms))
                        return false;
        /* AUTO and the value it resolves to mean the same container. */
        return spec_wants_init(a) == spec_wants_init(b) && a->notify == b->notify && spec_health_equal(a, b);
}

/* ---- small validators ---- */

bool berth_name_is_valid(const char *name) {
        const char *at;
        size_t n;

        if (isempty(name) || name[0] == '.' || name[0] == '-')
                return false;
        n = strlen(name);
        if (n > 64)
                return false;
        at = strchr(name, '@');
        for (const char *c = name; *c; c++) {
                if (c == at)
                        continue;
                if (!isalnum((unsigned char) *c) && !strchr("_.-:", *c))
                        return false;
        }
        /* One '@' at most, not first. An empty instance is a template name. */
        if (at && (at == name || strchr(at + 1, '@')))
                return false;
        return true;
}

static bool hostname_is_valid(const char *h) {
        size_t n = strlen(h), label = 0;
        if (n == 0 || n > 64 || h[0] == '.' || h[0] == '-' || h[n - 1] == '.' || h[n - 1] == '-')
                return false;
        for (const char *c = h; *c; c++) {
                if (*c == '.') {
                        if (label == 0)
                                return false;
                        label = 0;
                        continue;
                }
                if (!isalnum((unsigned char) *c) && *c != '-')
                        return false;
                if (++label > 63)
                        return false;
        }
        return true;
}

static bool user_or_group_is_valid(const char *u) {
        if (isempty(u) || strlen(u) > 32)
                return false;
        if (isdigit((unsigned char) u[0])) {
                char *end;
                unsigned long v;
                errno = 0;
                v = strtoul(u, &end, 10);
                /* (uid_t) -1 is "no change" to the kernel: never a valid target. */
                return errno == 0 && *end == 0 && v < 4294967295UL;
        }
        if (!islower((unsigned char) u[0]) && u[0] != '_')
                return false;
        for (const char *c = u + 1; *c; c++)
                if (!islower((unsigned char) *c) && !isdigit((unsigned char) *c) && *c != '_' && *c != '-' &&
                    !(*c == '$' && c[1] == 0))
                        return false;
        return true;
}

/* ---- setters ---- */

static int set_string(char **field, const char *v) {
        char *c = strdup(v);
        if (!c)
                return -ENOMEM;
        free(*field);
        *field = c;
        return 0;
}

/* An empty value resets a single-value setting to its default. */
static int set_string_or_reset(char **field, const char *v) {
        if (isempty(v)) {
                free(*field);
                *field = NULL;
                return 0;
        }
        return set_string(field, v);
}

static int set_bool(bool *field, const char *v, const struct berth_loc *loc) {
        int b = parse_boolean(v);
        if (b < 0)
                return log_syntax(loc, -EINVAL, "expected a boolean (yes/no, true/false, on/off, 1/0), got '%s'", v);
        *field = b;
        return 0;
}

int spec_set_name(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!berth_name_is_valid(v))
                return log_syntax(loc, -EINVAL,
                                  "invalid container name '%s' (letters, digits, '_', '.', '-', ':', at most 64)", v);
        return set_string(&s->name, v);
}

int spec_set_rootfs(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!path_is_normalized_absolute(v))
                return log_syntax(loc, -EINVAL, "expected an absolute, normalized path, got '%s'", v);
        return set_string(&s->rootfs, v);
}

int spec_parse_command(const char *v, char ***ret, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **argv = NULL;
        int r = split_quoted(v, &argv);
        if (r == -ENOMEM)
                return log_errno(r, "out of memory");
        if (r < 0)
                return log_syntax(loc, r, "invalid quoting in '%s'", v);
        /* Exec="" x: berth-exec refuses an empty program name, so the description must too
         * (found by fuzz/fuzz-description's round-trip check). */
        if (strv_length(argv) == 0 || isempty(argv[0]))
                return log_syntax(loc, -EINVAL, "empty command");
        if (!path_is_absolute(argv[0]) && strchr(argv[0], '/'))
                return log_syntax(loc, -EINVAL,
                                  "command '%s' must be an absolute path inside the root or a plain name looked up in PATH",
                                  argv[0]);
        *ret = TAKE_PTR(argv);
        return 0;
}

int spec_set_exec(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **argv = NULL;
        int r = spec_parse_command(v, &argv, loc);
        if (r < 0)
                return r;
        strv_free(s->command);
        s->command = TAKE_PTR(argv);
        return 0;
}

static int add_caps(char ***list, const char *v, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (isempty(v)) {
                strv_free(*list);
                *list = NULL;
                return 0;
        }
        /* "CHOWN DAC_OVERRIDE" in descriptions; Docker also accepts "CHOWN,DAC_OVERRIDE". */
        _cleanup_free_ char *spaced = strdup(v);
        if (!spaced)
                return -ENOMEM;
        for (char *c = spaced; *c; c++)
                if (*c == ',')
                        *c = ' ';
        r = strv_split_whitespace(spaced, &names);
        if (r < 0)
                return r;
        r = capability_list_validate(names, loc);
        if (r < 0)
                return r;
        return strv_push_all(list, TAKE_PTR(names));
}

int spec_add_cap_add(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return add_caps(&s->cap_add, v, loc);
}

int spec_add_cap_drop(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return add_caps(&s->cap_drop, v, loc);
}

int spec_set_no_new_privileges(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_bool(&s->no_new_privileges, v, loc);
}

static int set_label_name(char **field, const char *v, const char *what, const struct berth_loc *loc) {
        if (!isempty(v) && !label_name_is_valid(v))
                return log_syntax(loc, -EINVAL, "invalid SELinux %s '%s' (letters, digits and '_')", what, v);
        return set_string_or_reset(field, v);
}

int spec_set_label_type(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_label_name(&s->label.type, v, "type", loc);
}

int spec_set_label_user(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_label_name(&s->label.user, v, "user", loc);
}

int spec_set_label_role(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_label_name(&s->label.role, v, "role", loc);
}

int spec_set_label_filetype(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_label_name(&s->label.filetype, v, "file type", loc);
}

int spec_set_label_level(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!isempty(v) && !label_level_is_valid(v))
                return log_syntax(loc, -EINVAL,
                                  "invalid SELinux level '%s' (raw like s0:c1,c2 or s0-s3:c0.c127, or a translated name like TopSecret)",
                                  v);
        return set_string_or_reset(&s->label.level, v);
}

int spec_set_label_disable(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_bool(&s->label.disable, v, loc);
}

int spec_set_seccomp(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (isempty(v))
                return set_string(&s->seccomp, "default");
        if (!streq(v, "default") && !streq(v, "unconfined") && !path_is_normalized_absolute(v))
                return log_syntax(loc, -EINVAL,
                                  "expected 'default', 'unconfined' or an absolute path to a JSON profile, got '%s'", v);
        return set_string(&s->seccomp, v);
}

const char *berth_ns_kind_to_string(enum berth_ns_kind k) {
        static const char *const names[_BERTH_NS_MAX] = {"pid", "net", "ipc", "uts"};
        return k >= 0 && k < _BERTH_NS_MAX ? names[k] : NULL;
}

char *berth_ns_to_string(const struct berth_ns *ns) {
        switch (ns->mode) {
        case BERTH_NS_MODE_PRIVATE:
                return strdup("private");
        case BERTH_NS_MODE_HOST:
                return strdup("host");
        case BERTH_NS_MODE_NONE:
                return strdup("none");
        case BERTH_NS_MODE_CONTAINER:
                return strjoin("container:", ns->target);
        case BERTH_NS_MODE_PATH:
                return strjoin("ns:", ns->target);
        }
        return NULL;
}

int spec_set_namespace(struct berth_spec *s, enum berth_ns_kind kind, const char *v, const struct berth_loc *loc) {
        struct berth_ns ns = {};
        const char *t;

        if (isempty(v) || streq(v, "private"))
                ns.mode = BERTH_NS_MODE_PRIVATE;
        else if (streq(v, "host"))
                ns.mode = BERTH_NS_MODE_HOST;
        else if (streq(v, "none") && kind == BERTH_NS_NET)
                ns.mode = BERTH_NS_MODE_NONE;
        else if ((t = startswith(v, "container:"))) {
                if (!berth_name_is_valid(t) || strchr(t, '@') == t + strlen(t) - 1)
                        return log_syntax(loc, -EINVAL, "invalid container name in '%s'", v);
                ns.mode = BERTH_NS_MODE_CONTAINER;
                ns.target = strdup(t);
        } else if ((t = startswith(v, "ns:")) || (t = path_is_absolute(v) ? v : NULL)) {
                if (!path_is_normalized_absolute(t))
                        return log_syntax(loc, -EINVAL, "expected an absolute namespace path in '%s'", v);
                ns.mode = BERTH_NS_MODE_PATH;
                ns.target = strdup(t);
        } else
                return log_syntax(loc, -EINVAL, "expected private, host, %scontainer:NAME or ns:PATH, got '%s'",
                                  kind == BERTH_NS_NET ? "none, " : "", v);

        if ((ns.mode == BERTH_NS_MODE_CONTAINER || ns.mode == BERTH_NS_MODE_PATH) && !ns.target)
                return -ENOMEM;
        free(s->ns[kind].target);
        s->ns[kind] = ns;
        return 0;
}

int spec_set_hostname(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!isempty(v) && !hostname_is_valid(v))
                return log_syntax(loc, -EINVAL, "invalid host name '%s'", v);
        return set_string_or_reset(&s->hostname, v);
}

int spec_set_user(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!isempty(v) && !user_or_group_is_valid(v))
                return log_syntax(loc, -EINVAL, "invalid user '%s' (a name or a number)", v);
        return set_string_or_reset(&s->user, v);
}

int spec_set_group(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!isempty(v) && !user_or_group_is_valid(v))
                return log_syntax(loc, -EINVAL, "invalid group '%s' (a name or a number)", v);
        return set_string_or_reset(&s->group, v);
}

int spec_set_user_group(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        _cleanup_free_ char *u = strdup(v);
        char *colon;
        int r;

        if (!u)
                return -ENOMEM;
        colon = strchr(u, ':');
        if (colon)
                *colon = 0;
        if (isempty(u))
                return log_syntax(loc, -EINVAL, "expected USER[:GROUP], got '%s'", v);
        r = spec_set_user(s, u, loc);
        if (r < 0)
                return r;
        if (colon) {
                if (isempty(colon + 1))
                        return log_syntax(loc, -EINVAL, "expected USER[:GROUP], got '%s'", v);
                return spec_set_group(s, colon + 1, loc);
        }
        return 0;
}

int spec_set_workdir(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!isempty(v) && !path_is_normalized_absolute(v))
                return log_syntax(loc, -EINVAL, "expected an absolute, normalized path inside the container, got '%s'", v);
        return set_string_or_reset(&s->workdir, v);
}

static bool env_assignment_is_valid(const char *a) {
        const char *eq = strchr(a, '=');
        if (!eq || eq == a)
                return false;
        if (!isalpha((unsigned char) a[0]) && a[0] != '_')
                return false;
        for (const char *c = a; c < eq; c++)
                if (!isalnum((unsigned char) *c) && *c != '_')
                        return false;
        return true;
}

int spec_add_env(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!env_assignment_is_valid(v))
                return log_syntax(loc, -EINVAL, "expected NAME=VALUE, got '%s'", v);
        return strv_extend(&s->env, v);
}

int spec_add_environment(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        _cleanup_strv_free_ char **words = NULL;
        int r;

        if (isempty(v)) {
                strv_free(s->env);
                s->env = NULL;
                return 0;
        }
        r = split_quoted(v, &words);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return log_syntax(loc, r, "invalid quoting in '%s'", v);
        STRV_FOREACH(w, words)
                if (!env_assignment_is_valid(*w))
                        return log_syntax(loc, -EINVAL, "expected NAME=VALUE, got '%s'", *w);
        STRV_FOREACH(w, words) {
                r = strv_extend(&s->env, *w);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int add_path(char ***list, const char *v, const char *what, const struct berth_loc *loc) {
        if (isempty(v)) {
                strv_free(*list);
                *list = NULL;
                return 0;
        }
        if (!path_is_normalized_absolute(v))
                return log_syntax(loc, -EINVAL, "expected an absolute, normalized %s, got '%s'", what, v);
        return strv_extend(list, v);
}

int spec_add_env_file(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        /* "-PATH": as systemd's EnvironmentFile=, a file that does not exist is skipped */
        if (v[0] == '-' && path_is_normalized_absolute(v + 1))
                return strv_extend(&s->env_files, v);
        return add_path(&s->env_files, v, "host path (\"-PATH\": optional)", loc);
}

int spec_set_read_only(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return set_bool(&s->read_only, v, loc);
}

int spec_set_init(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        bool b = false;
        int r;
        if (isempty(v)) {
                s->init = BERTH_AUTO;
                return 0;
        }
        r = set_bool(&b, v, loc);
        if (r < 0)
                return r;
        s->init = b ? BERTH_YES : BERTH_NO;
        return 0;
}

int spec_set_notify(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (v && streq(v, "healthy")) /* Notify=healthy: spec-health.c */
                return spec_set_notify_mode(s, v, loc);
        s->notify_healthy = false;
        return set_bool(&s->notify, v, loc);
}

int spec_set_apparmor_profile(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!isempty(v) && !apparmor_profile_name_is_valid(v))
                return log_syntax(loc, -EINVAL,
                                  "invalid AppArmor profile name '%s' (expected unconfined or 1-255 of A-Z a-z 0-9 _ . "
                                  "+ @ : / -)",
                                  v);
        return set_string_or_reset(&s->apparmor_profile, v);
}

int spec_set_security_opt(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        const char *rest;

        /* Docker accepts both label=type:T and the old label:type:T. */
        if ((rest = startswith(v, "label=")) || (rest = startswith(v, "label:"))) {
                const char *val;
                if (streq(rest, "disable"))
                        return spec_set_label_disable(s, "yes", loc);
                if ((val = startswith(rest, "type:")))
                        return isempty(val) ? log_syntax(loc, -EINVAL, "empty SELinux type in '%s'", v)
                                            : spec_set_label_type(s, val, loc);
                if ((val = startswith(rest, "level:")))
                        return isempty(val) ? log_syntax(loc, -EINVAL, "empty SELinux level in '%s'", v)
                                            : spec_set_label_level(s, val, loc);
                if ((val = startswith(rest, "user:")))
                        return isempty(val) ? log_syntax(loc, -EINVAL, "empty SELinux user in '%s'", v)
                                            : spec_set_label_user(s, val, loc);
                if ((val = startswith(rest, "role:")))
                        return isempty(val) ? log_syntax(loc, -EINVAL, "empty SELinux role in '%s'", v)
                                            : spec_set_label_role(s, val, loc);
                if ((val = startswith(rest, "filetype:")))
                        return isempty(val) ? log_syntax(loc, -EINVAL, "empty SELinux file type in '%s'", v)
                                            : spec_set_label_filetype(s, val, loc);
                return log_syntax(loc, -EINVAL,
                                  "unknown label option '%s' (expected label=type:T, level:L, user:U, role:R, filetype:T or disable)",
                                  v);
        }
        if (streq(v, "no-new-privileges"))
                return spec_set_no_new_privileges(s, "yes", loc);
        if ((rest = startswith(v, "no-new-privileges=")) || (rest = startswith(v, "no-new-privileges:")))
                return spec_set_no_new_privileges(s, rest, loc);
        if ((rest = startswith(v, "seccomp=")) || (rest = startswith(v, "seccomp:"))) {
                if (isempty(rest))
                        return log_syntax(loc, -EINVAL, "empty seccomp profile in '%s'", v);
                return spec_set_seccomp(s, rest, loc);
        }
        if ((rest = startswith(v, "apparmor=")) || (rest = startswith(v, "apparmor:"))) {
                if (isempty(rest))
                        return log_syntax(loc, -EINVAL, "empty AppArmor profile in '%s'", v);
                return spec_set_apparmor_profile(s, rest, loc);
        }
        return log_syntax(loc, -EINVAL,
                          "unknown security option '%s' (expected label=..., no-new-privileges[=BOOL], seccomp=PROFILE "
                          "or apparmor=PROFILE)",
                          v);
}

/* ---- effective values ---- */

const char *spec_hostname(const struct berth_spec *s) {
        if (s->hostname)
                return s->hostname;
        return s->name ? s->name : "berth";
}

bool spec_wants_init(const struct berth_spec *s) {
        if (s->init == BERTH_AUTO)
                return s->ns[BERTH_NS_PID].mode == BERTH_NS_MODE_PRIVATE;
        return s->init == BERTH_YES;
}

bool spec_label_disabled_by_namespaces(const struct berth_spec *s) {
        return s->ns[BERTH_NS_PID].mode == BERTH_NS_MODE_HOST || s->ns[BERTH_NS_IPC].mode == BERTH_NS_MODE_HOST;
}
