/* SPDX-License-Identifier: MIT */
/* spec -> unit text (SPEC §4), [Install] -> symlinks, systemd quoting, atomic writes. */
#include "unit.h"
#include "utf8.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

const char *unit_exec_path(void) {
        const char *e = getenv("BERTH_EXEC_PATH");
        return !isempty(e) ? e : BERTH_EXEC_PATH;
}

/* Characters written as they are inside a double-quoted ExecStart= word: printable ASCII
 * but for the three that systemd would interpret. A table, as this is asked for every byte
 * of every command line. */
static const bool exec_char_plain[256] = {
        [' ' ... '!'] = true,  /* not '"' */
        ['#'] = true,          /* not '$' */
        ['%' ... '['] = true,  /* not '\\' */
        [']' ... '~'] = true,
};

static void put_hex_escape(struct strbuf *b, unsigned char c) {
        static const char hex[] = "0123456789abcdef";
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 0xf]};
        strbuf_put(b, e, sizeof(e));
}

static void quote_exec_word_to(struct strbuf *b, const char *word) {
        strbuf_putc(b, '"');
        for (const unsigned char *c = (const unsigned char *) word; *c; c++) {
                const unsigned char *run = c;

                /* most of a command line needs no escaping: copy it in one go */
                while (exec_char_plain[*c])
                        c++;
                if (c > run)
                        strbuf_put(b, (const char *) run, (size_t) (c - run));
                if (!*c)
                        break;
                if (*c >= 0x80) {
                        /* systemd ignores a line that is not UTF-8: escape bytes that are not */
                        size_t n = utf8_sequence_length(c);
                        if (n == 0)
                                put_hex_escape(b, *c);
                        else {
                                strbuf_put(b, (const char *) c, n);
                                c += n - 1;
                        }
                        continue;
                }
                switch (*c) {
                case '\\':
                        strbuf_puts(b, "\\\\");
                        break;
                case '"':
                        strbuf_puts(b, "\\\"");
                        break;
                case '$':
                        /* systemd expands $VAR and ${VAR} in ExecStart=; $$ is a literal $ */
                        strbuf_puts(b, "$$");
                        break;
                case '\n':
                        strbuf_puts(b, "\\n");
                        break;
                case '\t':
                        strbuf_puts(b, "\\t");
                        break;
                default:
                        put_hex_escape(b, *c);
                }
        }
        strbuf_putc(b, '"');
}

char *unit_quote_exec_word(const char *word) {
        struct strbuf b = {};
        quote_exec_word_to(&b, word);
        return strbuf_steal(&b);
}

static void exec_line_to(struct strbuf *b, const char *exec_path, char *const *argv) {
        quote_exec_word_to(b, exec_path);
        STRV_FOREACH(a, argv) {
                strbuf_putc(b, ' ');
                quote_exec_word_to(b, *a);
        }
}

int unit_exec_line(const char *exec_path, char *const *argv, char **ret) {
        struct strbuf b = {};
        exec_line_to(&b, exec_path, argv);
        *ret = strbuf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

/* RequiresMountsFor= splits words with quotes but without C escapes. */
static int write_mount_path(struct strbuf *b, const char *path, bool first) {
        bool plain = true;
        for (const unsigned char *c = (const unsigned char *) path; *c; c++) {
                if (*c < 0x20 || *c == 0x7f)
                        return -EINVAL;
                if (*c == ' ' || *c == '"' || *c == '\'' || *c == '\\')
                        plain = false;
        }
        if (!first)
                strbuf_putc(b, ' ');
        if (plain) {
                strbuf_puts(b, path);
                return 0;
        }
        strbuf_putc(b, '"');
        for (const char *c = path; *c; c++) {
                if (*c == '"' || *c == '\\')
                        strbuf_putc(b, '\\');
                strbuf_putc(b, *c);
        }
        strbuf_putc(b, '"');
        return 0;
}

void unit_done(struct berth_unit *u) {
        for (size_t i = 0; i < u->n_claims; i++) {
                free(u->claims[i].name);
                free(u->claims[i].file);
        }
        free(u->claims);
        for (size_t i = 0; i < u->n_joins; i++) {
                free(u->joins[i].target);
                free(u->joins[i].file);
        }
        free(u->name);
        free(u->text);
        for (size_t i = 0; i < u->n_links; i++) {
                free(u->links[i].path);
                free(u->links[i].target);
        }
        free(u->links);
        *u = (struct berth_unit){};
}

int unit_add_claim(struct berth_unit *u, const char *name, const char *file, unsigned line, const char *key) {
        struct berth_unit_claim *n = realloc(u->claims, (u->n_claims + 1) * sizeof(*n));
        if (!n)
                return -ENOMEM;
        u->claims = n;
        n = &u->claims[u->n_claims];
        *n = (struct berth_unit_claim){.name = strdup(name), .file = strdup(file), .line = line, .key = key};
        if (!n->name || !n->file) {
                free(n->name);
                free(n->file);
                return -ENOMEM;
        }
        u->n_claims++;
        return 0;
}

/* The containers this one joins (container:NAME), with where each was said, for the
 * cycle check across descriptions. */
static int unit_add_joins(struct berth_unit *u, const struct berth_description *d) {
        static const char *const ns_keys[_BERTH_NS_MAX] = {"PIDNamespace", "NetworkNamespace", "IPCNamespace",
                                                           "UTSNamespace"};
        for (int k = 0; k < _BERTH_NS_MAX; k++) {
                const struct berth_entry *e;
                struct berth_unit_join *j;
                if (d->spec.ns[k].mode != BERTH_NS_MODE_CONTAINER || !d->spec.ns[k].target)
                        continue;
                e = entries_find_last(&d->container, "Container", ns_keys[k]);
                j = &u->joins[u->n_joins];
                *j = (struct berth_unit_join){.target = strdup(d->spec.ns[k].target),
                                              .file = strdup(e ? e->file : d->path),
                                              .line = e ? e->line : 0,
                                              .key = ns_keys[k]};
                u->n_joins++;
                if (!j->target || !j->file)
                        return -ENOMEM;
        }
        return 0;
}

/* Appends a link; duplicates are removed once all are in (links_dedup()). */
static int add_link(struct berth_unit *u, char *path, char *target) {
        struct berth_unit_link *n;

        if (!path || !target) {
                free(path);
                free(target);
                return -ENOMEM;
        }
        if (u->n_links == u->links_allocated) {
                size_t cap = u->links_allocated ? u->links_allocated * 2 : 4;
                n = realloc(u->links, cap * sizeof(*n));
                if (!n) {
                        free(path);
                        free(target);
                        return -ENOMEM;
                }
                u->links = n;
                u->links_allocated = cap;
        }
        u->links[u->n_links++] = (struct berth_unit_link){path, target};
        return 0;
}

static int compare_links(const void *a, const void *b) {
        return strcmp(((const struct berth_unit_link *) a)->path, ((const struct berth_unit_link *) b)->path);
}

/* The same link twice (WantedBy=a.target in a file and a drop-in) is one link: sorted by
 * path (n log n, a unit may have thousands), equal neighbours dropped. */
static void links_dedup(struct berth_unit *u) {
        size_t out = 0;
        if (u->n_links < 2)
                return;
        qsort(u->links, u->n_links, sizeof(*u->links), compare_links);
        for (size_t i = 0; i < u->n_links; i++) {
                if (out > 0 && streq(u->links[out - 1].path, u->links[i].path)) {
                        free(u->links[i].path);
                        free(u->links[i].target);
                        continue;
                }
                u->links[out++] = u->links[i];
        }
        u->n_links = out;
}

/* What systemd accepts as a unit name to link to (no paths, a type suffix). */
static bool unit_name_is_plain(const char *n) {
        const char *dot = strrchr(n, '.');
        if (isempty(n) || strlen(n) > 255 || !dot || dot == n || !dot[1])
                return false;
        for (const char *c = n; *c; c++)
                if (!isalnum((unsigned char) *c) && !strchr(":-_.\\@", *c))
                        return false;
        return true;
}

struct install_lists {
        char **wanted_by, **required_by, **upheld_by, **alias;
        const struct berth_entry **alias_from; /* where each alias was assigned */
        size_t n_alias_from;
        char *default_instance;
};

static void install_lists_done(struct install_lists *l) {
        strv_free(l->wanted_by);
        strv_free(l->required_by);
        strv_free(l->upheld_by);
        strv_free(l->alias);
        free(l->alias_from);
        free(l->default_instance);
}

/* alias: the names are aliases of this unit (a template's aliases are templates, and only theirs). */
static int install_add(char ***list, const struct berth_entry *e, bool alias, bool is_template,
                       struct install_lists *l) {
        struct berth_loc loc = {.file = e->file, .line = e->line, .key = e->key};
        _cleanup_strv_free_ char **words = NULL;
        int r;

        if (isempty(e->value)) { /* as in systemd: an empty assignment resets the list */
                strv_free(*list);
                *list = NULL;
                if (alias)
                        l->n_alias_from = 0;
                return 0;
        }
        r = strv_split_whitespace(e->value, &words);
        if (r < 0)
                return r;
        if (strv_length(*list) + strv_length(words) > BERTH_LIST_MAX)
                return log_syntax(&loc, -E2BIG, "more than %u units in this list: refused (berth.container(5), LIMITS)",
                                  BERTH_LIST_MAX);
        STRV_FOREACH(w, words) {
                if (!unit_name_is_plain(*w))
                        return log_syntax(&loc, -EINVAL, "invalid unit name '%s'", *w);
                if (alias && !endswith(*w, ".service"))
                        return log_syntax(&loc, -EINVAL, "an alias of a service must end in .service, got '%s'", *w);
                if (alias && is_template != endswith(*w, "@.service"))
                        return log_syntax(&loc, -EINVAL, "'%s': a template's alias must be a template and vice versa", *w);
                r = strv_extend(list, *w);
                if (r < 0)
                        return r;
                if (alias) {
                        const struct berth_entry **n = realloc(l->alias_from, (l->n_alias_from + 1) * sizeof(*n));
                        if (!n)
                                return -ENOMEM;
                        l->alias_from = n;
                        l->alias_from[l->n_alias_from++] = e;
                }
        }
        return 0;
}

static int install_collect(const struct berth_description *d, struct install_lists *l) {
        int ret = 0, r;

        for (size_t i = 0; i < d->passthrough.n; i++) {
                const struct berth_entry *e = &d->passthrough.items[i];
                struct berth_loc loc = {.file = e->file, .line = e->line, .key = e->key};

                if (!streq(e->section, "Install"))
                        continue;
                if (streq(e->key, "WantedBy"))
                        r = install_add(&l->wanted_by, e, false, d->is_template, l);
                else if (streq(e->key, "RequiredBy"))
                        r = install_add(&l->required_by, e, false, d->is_template, l);
                else if (streq(e->key, "UpheldBy"))
                        r = install_add(&l->upheld_by, e, false, d->is_template, l);
                else if (streq(e->key, "Alias"))
                        r = install_add(&l->alias, e, true, d->is_template, l);
                else if (streq(e->key, "DefaultInstance")) {
                        if (!d->is_template && !strchr(d->name, '@'))
                                r = log_syntax(&loc, -EINVAL, "only a template (NAME@.container) has a default instance");
                        else if (!d->is_template)
                                r = 0; /* NAME@INSTANCE.container, e.g. a symlink to the template: its
                                        * own name is the instance, the template's default is not */
                        else if (!isempty(e->value) && (!berth_name_is_valid(e->value) || strchr(e->value, '@')))
                                r = log_syntax(&loc, -EINVAL, "invalid instance name '%s'", e->value);
                        else {
                                free(l->default_instance);
                                l->default_instance = isempty(e->value) ? NULL : strdup(e->value);
                                r = (!isempty(e->value) && !l->default_instance) ? -ENOMEM : 0;
                        }
                } else if (streq(e->key, "Also")) {
                        log_notice("%s:%u: Also: ignored: generated units are not enabled, nothing to enable along",
                                   e->file, e->line);
                        r = 0;
                } else
                        r = log_syntax(&loc, -EINVAL,
                                       "unknown key in [Install] (expected WantedBy, RequiredBy, UpheldBy, Alias or DefaultInstance)");
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        ret = -EINVAL;
        }
        return ret;
}

/* [Install] as systemctl enable would realise it, in the output dir. */
static int install_links(const struct berth_description *d, const char *unit_name, struct berth_unit *u) {
        _cleanup_(install_lists_done) struct install_lists l = {};
        _cleanup_free_ char *enabled = NULL; /* the unit name the .wants/ links carry */
        static const char *const suffixes[3] = {".wants", ".requires", ".upholds"};
        char **lists[3];
        int r;

        r = install_collect(d, &l);
        if (r < 0)
                return r;
        lists[0] = l.wanted_by;
        lists[1] = l.required_by;
        lists[2] = l.upheld_by;

        if (!d->is_template)
                enabled = strdup(unit_name);
        else if (l.default_instance)
                enabled = strjoin(d->name, l.default_instance, ".service");
        else if (l.wanted_by || l.required_by || l.upheld_by)
                log_notice("%s: [Install] of a template without DefaultInstance= links nothing; "
                           "enable instances by name (e.g. a %sINSTANCE.container description)",
                           d->path, d->name);
        if (!enabled && (!d->is_template || l.default_instance))
                return -ENOMEM;

        for (size_t k = 0; enabled && k < 3; k++)
                STRV_FOREACH(t, lists[k]) {
                        r = add_link(u, strjoin(*t, suffixes[k], "/", enabled), strjoin("../", unit_name));
                        if (r < 0)
                                return r;
                }
        for (size_t i = 0; l.alias && l.alias[i]; i++) {
                const struct berth_entry *e = i < l.n_alias_from ? l.alias_from[i] : NULL;
                if (streq(l.alias[i], unit_name))
                        continue;
                r = add_link(u, strdup(l.alias[i]), strdup(unit_name));
                if (r < 0)
                        return r;
                r = unit_add_claim(u, l.alias[i], e ? e->file : d->path, e ? e->line : 0, "Alias");
                if (r < 0)
                        return r;
        }
        links_dedup(u);
        return 0;
}

/* [Service] keys a description may not set: the unit could never start (berth-exec must
 * start as root, on the host's root, as Type=notify), or the setting belongs to [Container].
 * The same keys `berth run -p` refuses (src/cli/unit-property.c), with the same reasons. */
static const struct {
        const char *key;
        const char *why;
} refused_service_keys[] = {
        {"ExecStart", "is generated from [Container] Exec=; use ExecStartPre=/ExecStartPost= for other commands"},
        {"Type", "a berth container is Type=notify: readiness comes from berth-exec"},
        {"NotifyAccess", "berth needs NotifyAccess=all"},
        {"User", "berth-exec must start as root; use [Container] User= for the payload"},
        {"Group", "berth-exec must start as root; use [Container] Group= for the payload"},
        {"DynamicUser", "berth-exec must start as root; use [Container] User= for the payload"},
        {"Environment", "the unit's environment is berth-exec's, not the container's; use [Container] Environment="},
        {"RootDirectory", "berth-exec must start on the host's root; use [Container] RootDirectory="},
        {"RootImage", "berth-exec must start on the host's root; use [Container] RootDirectory="},
        {"WorkingDirectory", "use [Container] WorkingDirectory="},
        {"DevicePolicy", "berth sets DevicePolicy=closed; use [Container] Device= for a device the container needs"},
        {"DeviceAllow", "use [Container] Device=: it binds the node into the container and allows it"},
};

static int check_service_section(const struct berth_description *d) {
        int ret = 0;
        for (size_t i = 0; i < d->passthrough.n; i++) {
                const struct berth_entry *e = &d->passthrough.items[i];
                struct berth_loc loc = {.file = e->file, .line = e->line, .key = e->key};
                if (!streq(e->section, "Service"))
                        continue;
                for (size_t k = 0; k < ELEMENTSOF(refused_service_keys); k++)
                        if (streq(e->key, refused_service_keys[k].key))
                                ret = log_syntax(&loc, -EINVAL, "%s%s", k == 0 ? "" : "not allowed in [Service]: ",
                                                 refused_service_keys[k].why);
        }
        return ret;
}

/* Every passed-through line is written as it was read: it must be a line systemd reads the
 * same way (no control character, UTF-8, within systemd's line length). */
static int check_passthrough(const struct berth_description *d) {
        int ret = 0;
        for (size_t i = 0; i < d->passthrough.n; i++) {
                const struct berth_entry *e = &d->passthrough.items[i];
                struct berth_loc loc = {.file = e->file, .line = e->line, .key = e->key};
                size_t lk = strlen(e->key), lv = strlen(e->value);
                bool control = false;

                for (const char *c = e->value; *c && !control; c++)
                        control = ((unsigned char) *c < 0x20 && *c != '\t') || *c == 0x7f;
                if (control)
                        ret = log_syntax(&loc, -EINVAL, "a control character in the value");
                else if (!utf8_is_valid(e->key, lk) || !utf8_is_valid(e->value, lv))
                        ret = log_syntax(&loc, -EINVAL, "not valid UTF-8: systemd would ignore this line of the unit");
                else if (lk + 1 + lv > BERTH_UNIT_LINE_MAX)
                        ret = log_syntax(&loc, -E2BIG, "a line of %zu bytes: systemd reads at most %u", lk + 1 + lv,
                                         BERTH_UNIT_LINE_MAX);
        }
        return ret;
}

/* prefix, s, suffix: what fprintf() would make of "PREFIX%sSUFFIX", without parsing a format
 * (glibc's "(null)" too: a spec built without a name, as the fuzzer does, has none). */
static void put3(struct strbuf *b, const char *prefix, const char *s, const char *suffix) {
        strbuf_puts(b, prefix);
        strbuf_puts(b, s ? s : "(null)");
        strbuf_puts(b, suffix);
}

static void write_entry(struct strbuf *b, const struct berth_entry *e) {
        strbuf_puts(b, e->key);
        strbuf_putc(b, '=');
        strbuf_puts(b, e->value);
        strbuf_putc(b, '\n');
}

static void write_section_entries(struct strbuf *b, const struct berth_description *d, const char *section) {
        for (size_t i = 0; i < d->passthrough.n; i++) {
                const struct berth_entry *e = &d->passthrough.items[i];
                if (streq(e->section, section))
                        write_entry(b, e);
        }
}

/* Passthrough entries (indexes) ordered by section, sections in the order they first
 * appear, entries in file order: the other sections written in O(n log n). */
struct section_order {
        const struct berth_entries *entries;
        size_t *first; /* per entry: the index of the first entry of its section */
};

static int compare_by_section(const void *a, const void *b, void *userdata) {
        const struct section_order *o = userdata;
        size_t x = *(const size_t *) a, y = *(const size_t *) b;
        int c = strcmp(o->entries->items[x].section, o->entries->items[y].section);
        return c ? c : (x > y) - (x < y);
}

static int compare_by_first(const void *a, const void *b, void *userdata) {
        const struct section_order *o = userdata;
        size_t x = *(const size_t *) a, y = *(const size_t *) b;
        if (o->first[x] != o->first[y])
                return o->first[x] < o->first[y] ? -1 : 1;
        return (x > y) - (x < y);
}

static int write_other_sections(struct strbuf *f, const struct berth_description *d) {
        const struct berth_entries *p = &d->passthrough;
        _cleanup_free_ size_t *idx = NULL, *first = NULL;
        struct section_order o = {.entries = p};
        size_t n = 0;

        if (p->n == 0)
                return 0;
        idx = malloc(p->n * sizeof(*idx));
        first = malloc(p->n * sizeof(*first));
        if (!idx || !first)
                return -ENOMEM;
        o.first = first;
        for (size_t i = 0; i < p->n; i++) {
                const char *sec = p->items[i].section;
                if (!streq(sec, "Unit") && !streq(sec, "Service") && !streq(sec, "Install"))
                        idx[n++] = i;
        }
        qsort_r(idx, n, sizeof(*idx), compare_by_section, &o);
        for (size_t i = 0; i < n; i++)
                first[idx[i]] = (i > 0 && streq(p->items[idx[i - 1]].section, p->items[idx[i]].section))
                                        ? first[idx[i - 1]]
                                        : idx[i];
        qsort_r(idx, n, sizeof(*idx), compare_by_first, &o);
        for (size_t i = 0; i < n; i++) {
                const struct berth_entry *e = &p->items[idx[i]];
                if (i == 0 || first[idx[i]] != first[idx[i - 1]])
                        put3(f, "\n[", e->section, "]\n");
                write_entry(f, e);
        }
        return 0;
}

/* Where a [Container] setting was last assigned (file level if nowhere). */
static struct berth_loc loc_of_container_key(const struct berth_description *d, const char *key) {
        const struct berth_entry *e = entries_find_last(&d->container, "Container", key);
        return (struct berth_loc){.file = e ? e->file : d->path, .line = e ? e->line : 0, .key = key};
}

static int put_exec_word(const char *word, void *userdata) {
        struct strbuf *b = userdata;
        strbuf_putc(b, ' ');
        quote_exec_word_to(b, word);
        return 0;
}

/* systemd's device cgroup (issue 11): the standard devices berth-exec binds, and what
 * Device= asks for; nothing else opens, whatever the root ships or the container mknods. */
static void write_device_policy(struct strbuf *f, const struct berth_spec *s) {
        strbuf_puts(f, "DevicePolicy=closed\n");
        for (const char *const *d = berth_standard_devices; *d; d++)
                put3(f, "DeviceAllow=", *d, " rwm\n");
        for (size_t i = 0; i < s->n_devices; i++) {
                put3(f, "DeviceAllow=", s->devices[i].source, " ");
                put3(f, "", s->devices[i].perms, "\n");
        }
}

/* ReloadSignal=: systemd's own idiom, kill $MAINPID (berth-exec passes the signal on to the
 * payload through the container's init). ReloadCmd=: the command run inside the running
 * container by berth-exec --enter, as `berth exec` does. Both may be given: signal first. */
static void write_exec_reload(struct strbuf *f, const struct berth_spec *s, const char *exec_path) {
        if (s->reload_signal) {
                put3(f, "ExecReload=/bin/kill -s ", signal_to_name(s->reload_signal), " $MAINPID\n");
        }
        if (s->reload_cmd && s->name) {
                _cleanup_strv_free_ char **argv = NULL;
                if (split_quoted(s->reload_cmd, &argv) < 0)
                        return; /* checked by the setter */
                strbuf_puts(f, "ExecReload=");
                quote_exec_word_to(f, exec_path);
                put_exec_word("--enter", f);
                put_exec_word(s->name, f);
                put_exec_word("--", f);
                STRV_FOREACH(a, argv)
                        put_exec_word(*a, f);
                strbuf_putc(f, '\n');
        }
}

/* A path written into the unit (SourcePath=, the heading comments): a newline in a drop-in's
 * file name would start a directive of its own. */
static int check_written_path(const char *path, const char *what) {
        struct berth_loc loc = {.file = path};
        for (const char *c = path; *c; c++)
                if ((unsigned char) *c < 0x20 || *c == 0x7f)
                        return log_syntax(&loc, -EINVAL, "the %s's path contains a control character", what);
        if (!utf8_is_valid(path, strlen(path)))
                return log_syntax(&loc, -EINVAL, "the %s's path is not valid UTF-8", what);
        return 0;
}

/* Ordering for container:NAME: the joining container starts after the one it joins (whose
 * namespaces exist once it is ready) and shares its fate: a PID namespace dies with its
 * init, a network namespace would be orphaned by a restart of its owner. BindsTo= stops
 * this unit when NAME stops or fails, and a restart of NAME restarts it too. */
static void write_joins(struct strbuf *f, const struct berth_description *d) {
        const struct berth_spec *s = &d->spec;
        for (int k = 0; k < _BERTH_NS_MAX; k++) {
                bool seen = false;
                if (s->ns[k].mode != BERTH_NS_MODE_CONTAINER || !s->ns[k].target)
                        continue;
                for (int j = 0; j < k; j++)
                        seen = seen || (s->ns[j].mode == BERTH_NS_MODE_CONTAINER &&
                                        streq_ptr(s->ns[j].target, s->ns[k].target));
                if (seen)
                        continue;
                /* a container started by `berth run` is a transient NAME.service: ordered
                 * after it if it is there, but nothing to require at boot */
                if (d->join_is_description[k])
                        put3(f, "BindsTo=", s->ns[k].target, ".service\n");
                put3(f, "After=", s->ns[k].target, ".service\n");
        }
}

static int write_unit_text(struct strbuf *f, const struct berth_description *d, const char *exec_path) {
        const struct berth_spec *s = &d->spec;
        int r;

        r = check_written_path(d->path, "description");
        STRV_FOREACH(p, d->dropins)
                if (r >= 0)
                        r = check_written_path(*p, "drop-in");
        if (r < 0)
                return r;
        put3(f, "# Automatically generated by berth-generator from ", d->path, "\n");
        STRV_FOREACH(p, d->dropins)
                put3(f, "# with drop-in ", *p, "\n");
        strbuf_puts(f, "# Edit the description (or add a drop-in), not this file.\n\n");

        strbuf_puts(f, "[Unit]\n");
        put3(f, "SourcePath=", d->path, "\n");
        write_section_entries(f, d, "Unit");
        write_joins(f, d);
        strbuf_puts(f, "RequiresMountsFor=");
        r = write_mount_path(f, s->rootfs, true);
        if (r < 0) {
                struct berth_loc loc = loc_of_container_key(d, "RootDirectory");
                return log_syntax(&loc, -EINVAL, "the path contains a control character");
        }
        for (size_t i = 0; i < s->n_volumes; i++) {
                r = write_mount_path(f, s->volumes[i].source, false);
                if (r < 0) {
                        struct berth_loc loc = loc_of_container_key(d, "Volume");
                        return log_syntax(&loc, -EINVAL, "a volume source contains a control character");
                }
        }
        strbuf_putc(f, '\n');

        strbuf_puts(f, "\n[Service]\n");
        /* berth-exec sends READY=1 itself (or the payload does, with Notify=yes), from a child:
         * hence notify access for all; mixed: SIGTERM to the helper, SIGKILL to what is left. */
        strbuf_puts(f, "Type=notify\nNotifyAccess=all\nKillMode=mixed\n");
        write_device_policy(f, s);
        put3(f, "SyslogIdentifier=", d->spec.name, "\n");
        write_section_entries(f, d, "Service");
        strbuf_puts(f, "ExecStart=");
        quote_exec_word_to(f, exec_path);
        r = spec_argv_walk(&d->spec, put_exec_word, f);
        if (r < 0)
                return log_errno(r, "%s: cannot build the helper's command line: %m", d->path);
        strbuf_putc(f, '\n');
        write_exec_reload(f, s, exec_path);

        r = write_other_sections(f, d);
        if (r < 0)
                return log_errno(r, "out of memory");
        return 0;
}

/* Bytes a value adds to ExecStart=, about: its quoted form and an option name. */
static size_t exec_cost(const char *value) {
        size_t n = 16;
        for (const unsigned char *c = (const unsigned char *) value; *c; c++)
                n += exec_char_plain[*c] || *c >= 0x80 ? 1 : 4;
        return n;
}

/* ExecStart= is longer than systemd reads: blame the assignment that took it over the limit,
 * adding up what each one costs in file order (the last, largest one if none does alone). */
static int refuse_long_exec_line(const struct berth_description *d, size_t len) {
        const struct berth_entry *blame = NULL;
        size_t total = strlen(unit_exec_path()) + 16, biggest = 0;

        for (size_t i = 0; i < d->container.n; i++) {
                const struct berth_entry *e = &d->container.items[i];
                size_t c = exec_cost(e->value);
                total += c;
                if (total > BERTH_UNIT_LINE_MAX) {
                        blame = e;
                        break;
                }
                if (c >= biggest) {
                        biggest = c;
                        blame = e;
                }
        }
        struct berth_loc loc = {.file = blame ? blame->file : d->path,
                                .line = blame ? blame->line : 0,
                                .key = blame ? blame->key : NULL};
        return log_syntax(&loc, -E2BIG,
                          "makes the unit's ExecStart= line %zu bytes long: systemd reads at most %u "
                          "(berth.container(5), LIMITS)",
                          len, BERTH_UNIT_LINE_MAX);
}

/* A byte below 0x20 but tab, or DEL, in s (len bytes). Eight bytes at a time: a word with
 * no byte below 0x20 and none equal to 0x7f is skipped (both tests can only report a byte
 * that is not there, never miss one); at any other word one byte is looked at. */
static bool has_control_byte(const char *s, size_t len) {
        const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);

        for (size_t i = 0; i < len;) {
                if (len - i >= sizeof(uint64_t)) {
                        uint64_t w, del;
                        memcpy(&w, s + i, sizeof(w));
                        del = w ^ (ones * 0x7f);
                        if (!((((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & highs)) {
                                i += sizeof(w);
                                continue;
                        }
                }
                if (((unsigned char) s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
                        return true;
                i++;
        }
        return false;
}

/* Every line of the unit within systemd's limit, and no control character but the line
 * ends: what was checked value by value, once more over what is actually written. */
static int check_unit_text(const struct berth_description *d, const char *text) {
        for (const char *line = text; *line;) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t) (nl - line) : strlen(line);

                if (len > BERTH_UNIT_LINE_MAX) {
                        if (startswith(line, "ExecStart="))
                                return refuse_long_exec_line(d, len);
                        struct berth_loc loc = startswith(line, "RequiresMountsFor=")
                                                       ? loc_of_container_key(d, "Volume")
                                                       : (struct berth_loc){.file = d->path};
                        return log_syntax(&loc, -E2BIG,
                                          "makes a line of the unit %zu bytes long: systemd reads at most %u", len,
                                          BERTH_UNIT_LINE_MAX);
                }
                if (has_control_byte(line, len)) {
                        struct berth_loc loc = {.file = d->path};
                        return log_syntax(&loc, -EINVAL, "a control character would be written into the unit");
                }
                line += len + (nl ? 1 : 0);
        }
        return 0;
}

int unit_build(const struct berth_description *d, const char *exec_path, struct berth_unit *ret) {
        struct berth_unit u = {};
        struct strbuf text = {};
        size_t len;
        int r, q;

        r = check_service_section(d);
        if (check_passthrough(d) < 0)
                r = -EINVAL;
        u.name = strjoin(d->name, ".service");
        if (!u.name || unit_add_claim(&u, u.name, d->path, 0, NULL) < 0 || unit_add_joins(&u, d) < 0) {
                unit_done(&u);
                return log_errno(-ENOMEM, "out of memory");
        }
        q = install_links(d, u.name, &u);
        if (q == -ENOMEM) {
                unit_done(&u);
                return log_errno(q, "out of memory");
        }
        if (r < 0 || q < 0) {
                unit_done(&u);
                return -EINVAL;
        }

        /* one buffer for the whole unit, grown geometrically */
        r = write_unit_text(&text, d, exec_path);
        if (r < 0) {
                strbuf_done(&text);
                unit_done(&u);
                return r;
        }
        len = text.len;
        u.text = strbuf_steal(&text);
        if (!u.text) {
                unit_done(&u);
                return log_errno(-ENOMEM, "out of memory");
        }
        if (!utf8_is_valid(u.text, len)) {
                struct berth_loc loc = {.file = d->path};
                unit_done(&u);
                return log_syntax(&loc, -EINVAL, "a value is not valid UTF-8: systemd would ignore its line in the unit");
        }
        r = check_unit_text(d, u.text);
        if (r < 0) {
                unit_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}
