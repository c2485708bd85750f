/* SPDX-License-Identifier: MIT */
/* `berth apparmor NAME`: a container's own profile, derived from berth-default's text. */
#include <errno.h>
#include <string.h>

#include "apparmor.h"
#include "capability.h"

#define MARK_CAPS "# berth:capabilities"
#define MARK_PATHS "# berth:paths"

static const char *skip_blanks(const char *p, const char *end) {
        while (p < end && (*p == ' ' || *p == '\t'))
                p++;
        return p;
}

static bool line_is(const char *line, const char *end, const char *what) {
        const char *p = skip_blanks(line, end);
        size_t n = strlen(what);
        return (size_t) (end - p) >= n && memcmp(p, what, n) == 0 && skip_blanks(p + n, end) == end;
}

static bool line_starts(const char *line, const char *end, const char *what) {
        const char *p = skip_blanks(line, end);
        size_t n = strlen(what);
        return (size_t) (end - p) >= n && memcmp(p, what, n) == 0;
}

static bool is_name_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("_.+@:/-", c);
}

/* "PATH": quoted, with AppArmor's glob characters escaped so a path means only itself. */
static void put_path(struct strbuf *out, const char *path, const char *suffix) {
        strbuf_putc(out, '"');
        for (const char *c = path; *c; c++) {
                if (strchr("*?[]{}^\\\"", *c))
                        strbuf_putc(out, '\\');
                strbuf_putc(out, *c);
        }
        strbuf_puts(out, suffix);
        strbuf_putc(out, '"');
}

/* One rule per form of the path: the file itself, the directory, everything below. */
static void put_path_rules(struct strbuf *out, const char *prefix, const char *path, const char *perms) {
        static const char *const suffixes[] = {"", "/", "/**"};
        bool root = streq(path, "/");

        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++) {
                if (root && i < 2)
                        continue;
                strbuf_puts(out, "  ");
                strbuf_puts(out, prefix);
                put_path(out, root ? "" : path, suffixes[i]);
                strbuf_putc(out, ' ');
                strbuf_puts(out, perms);
                strbuf_puts(out, ",\n");
        }
}

static void put_capabilities(struct strbuf *out, uint64_t caps) {
        strbuf_puts(out, "  # capabilities: exactly the description's set; any other is denied (and logged)\n");
        for (int cap = 0; cap < BERTH_CAP_MAX; cap++) {
                const char *name;
                if (!(caps & (UINT64_C(1) << cap)))
                        continue;
                name = capability_to_name(cap);
                if (!name)
                        continue; /* a number this build cannot name cannot be in a set it computed */
                strbuf_puts(out, "  capability ");
                strbuf_puts(out, name);
                strbuf_puts(out, ",\n");
        }
}

static void put_paths(struct strbuf *out, const struct berth_spec *s) {
        strbuf_puts(out, "  # the description's mounts\n");
        for (size_t i = 0; i < s->n_volumes; i++) {
                const struct berth_volume *v = &s->volumes[i];
                strbuf_puts(out,
                            v->read_only ? "  # Volume= (read-only): reads only\n" : "  # Volume=: reads and writes\n");
                put_path_rules(out, "", v->target, v->read_only ? "r" : "rwk");
                if (v->read_only)
                        put_path_rules(out, "audit deny ", v->target, "wl");
        }
        for (size_t i = 0; i < s->n_tmpfs; i++) {
                strbuf_puts(out, "  # Tmpfs=: reads and writes\n");
                put_path_rules(out, "", s->tmpfs[i].target, "rwk");
        }
}

/* A line of rules with every whole-word "berth-default" replaced by the quoted name. */
static void put_renamed(struct strbuf *out, const char *line, const char *end, const char *name) {
        static const char old[] = APPARMOR_DEFAULT_PROFILE;
        const size_t n = sizeof(old) - 1;

        for (const char *p = line; p < end;) {
                const char *hit = memmem(p, (size_t) (end - p), old, n);
                if (hit && (hit == line || !is_name_char(hit[-1])) && (hit + n == end || !is_name_char(hit[n]))) {
                        strbuf_put(out, p, (size_t) (hit - p));
                        strbuf_putc(out, '"');
                        strbuf_puts(out, name);
                        strbuf_putc(out, '"');
                        p = hit + n;
                        continue;
                }
                if (!hit) {
                        strbuf_put(out, p, (size_t) (end - p));
                        break;
                }
                strbuf_put(out, p, (size_t) (hit + n - p));
                p = hit + n;
        }
}

int apparmor_profile_derive(const char *template, const char *profile_name, uint64_t caps,
                            const struct berth_spec *spec, struct strbuf *out) {
        bool in_header = true, want_cap_rule = false, saw_caps = false, saw_paths = false;

        if (!apparmor_profile_name_is_valid(profile_name) || streq(profile_name, APPARMOR_UNCONFINED))
                return -EINVAL;
        strbuf_puts(out, "# ");
        strbuf_puts(out, profile_name);
        strbuf_puts(out, ": written by `berth apparmor` from berth-default and the container's description\n"
                         "# (capabilities and mounts). Review it, then load it with apparmor_parser -r.\n");
        for (const char *line = template; *line;) {
                const char *end = strchrnul(line, '\n');
                const char *next = *end ? end + 1 : end;

                /* berth-default's own header comment describes berth-default: replaced above */
                if (in_header && line_starts(line, end, "#") && !line_starts(line, end, "#include"))
                        goto next_line;
                in_header = false;
                if (want_cap_rule && !line_is(line, end, "")) {
                        if (!line_is(line, end, "capability,"))
                                return -EINVAL;
                        want_cap_rule = false;
                        put_capabilities(out, caps);
                } else if (line_starts(line, end, MARK_CAPS)) {
                        want_cap_rule = saw_caps = true;
                } else if (line_starts(line, end, MARK_PATHS)) {
                        saw_paths = true;
                        put_paths(out, spec);
                } else if (line_starts(line, end, "#")) {
                        strbuf_put(out, line, (size_t) (next - line));
                        goto next_line;
                } else {
                        put_renamed(out, line, end, profile_name);
                        strbuf_putc(out, '\n');
                }
        next_line:
                line = next;
        }
        if (!saw_caps || want_cap_rule || !saw_paths)
                return -EINVAL;
        return out->oom ? -ENOMEM : 0;
}
