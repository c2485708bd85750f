/* SPDX-License-Identifier: MIT */
/* spec -> unit text (SPEC §4), [Install] -> symlinks, systemd quoting, atomic writes. */
#include "unit.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

const char *unit_exec_path(void) {
        const char *e = getenv("BERTH_EXEC_PATH");
        return !isempty(e) ? e : BERTH_EXEC_PATH;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one (stray continuation,
 * overlong form, surrogate, beyond U+10FFFF, truncated). */
static size_t utf8_sequence_length(const unsigned char *s) {
        unsigned cp;
        size_t len;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                len = 2, cp = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                len = 3, cp = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                len = 4, cp = s[0] & 0x07;
        else
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
                return 0;
        return len;
}

/* s has len bytes. ASCII, nearly all of a unit, is skipped eight bytes at a time. */
static bool utf8_is_valid(const char *s, size_t len) {
        const unsigned char *c = (const unsigned char *) s, *end = c + len;

        while (c < end) {
                uint64_t w;
                size_t n;
                if ((size_t) (end - c) >= sizeof(w)) {
                        memcpy(&w, c, sizeof(w));
                        if ((w & UINT64_C(0x8080808080808080)) == 0) {
                                c += sizeof(w);
                                continue;
                        }
                }
                if (*c < 0x80) {
                        c++;
                        continue;
                }
                n = utf8_sequence_length(c);
                if (n == 0)
                        return false;
                c += n;
        }
        return true;
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
        free(u->name);
        free(u->text);
        for (size_t i = 0; i < u->n_links; i++) {
                free(u->links[i].path);
                free(u->links[i].target);
        }
        free(u->links);
        *u = (struct berth_unit){};
}

static int add_link(struct berth_unit *u, char *path, char *target) {
        struct berth_unit_link *n;

        if (!path || !target) {
                free(path);
                free(target);
                return -ENOMEM;
        }
        /* the same link twice (WantedBy=a.target in a file and a drop-in) is one link */
        for (size_t i = 0; i < u->n_links; i++)
                if (streq(u->links[i].path, path)) {
                        free(path);
                        free(target);
                        return 0;
                }
        n = realloc(u->links, (u->n_links + 1) * sizeof(*n));
        if (!n) {
                free(path);
                free(target);
                return -ENOMEM;
        }
        u->links = n;
        u->links[u->n_links++] = (struct berth_unit_link){path, target};
        return 0;
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
        char *default_instance;
};

static void install_lists_done(struct install_lists *l) {
        strv_free(l->wanted_by);
        strv_free(l->required_by);
        strv_free(l->upheld_by);
        strv_free(l->alias);
        free(l->default_instance);
}

/* alias: the names are aliases of this unit (a template's aliases are templates, and only theirs). */
static int install_add(char ***list, const struct berth_entry *e, bool alias, bool is_template) {
        struct berth_loc loc = {.file = e->file, .line = e->line, .key = e->key};
        _cleanup_strv_free_ char **words = NULL;
        int r;

        if (isempty(e->value)) { /* as in systemd: an empty assignment resets the list */
                strv_free(*list);
                *list = NULL;
                return 0;
        }
        r = strv_split_whitespace(e->value, &words);
        if (r < 0)
                return r;
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
                        r = install_add(&l->wanted_by, e, false, d->is_template);
                else if (streq(e->key, "RequiredBy"))
                        r = install_add(&l->required_by, e, false, d->is_template);
                else if (streq(e->key, "UpheldBy"))
                        r = install_add(&l->upheld_by, e, false, d->is_template);
                else if (streq(e->key, "Alias"))
                        r = install_add(&l->alias, e, true, d->is_template);
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
        STRV_FOREACH(a, l.alias) {
                if (streq(*a, unit_name))
                        continue;
                r = add_link(u, strdup(*a), strdup(unit_name));
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_service_section(const struct berth_description *d) {
        int ret = 0;
        for (size_t i = 0; i < d->passthrough.n; i++) {
                const struct berth_entry *e = &d->passthrough.items[i];
                struct berth_loc loc = {.file = e->file, .line = e->line, .key = e->key};
                if (streq(e->section, "Service") && streq(e->key, "ExecStart"))
                        ret = log_syntax(&loc, -EINVAL,
                                         "is generated from [Container] Exec=; use ExecStartPre=/ExecStartPost= for other commands");
        }
        return ret;
}

static void write_section_entries(struct strbuf *b, const struct berth_description *d, const char *section) {
        for (size_t i = 0; i < d->passthrough.n; i++) {
                const struct berth_entry *e = &d->passthrough.items[i];
                if (streq(e->section, section)) {
                        strbuf_puts(b, e->key);
                        strbuf_putc(b, '=');
                        strbuf_puts(b, e->value);
                        strbuf_putc(b, '\n');
                }
        }
}

/* prefix, s, suffix: what fprintf() would make of "PREFIX%sSUFFIX", without parsing a format
 * (glibc's "(null)" too: a spec built without a name, as the fuzzer does, has none). */
static void put3(struct strbuf *b, const char *prefix, const char *s, const char *suffix) {
        strbuf_puts(b, prefix);
        strbuf_puts(b, s ? s : "(null)");
        strbuf_puts(b, suffix);
}

static bool section_seen_before(const struct berth_description *d, size_t i) {
        for (size_t j = 0; j < i; j++)
                if (streq(d->passthrough.items[j].section, d->passthrough.items[i].section))
                        return true;
        return false;
}

static int put_exec_word(const char *word, void *userdata) {
        struct strbuf *b = userdata;
        strbuf_putc(b, ' ');
        quote_exec_word_to(b, word);
        return 0;
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

static int write_unit_text(struct strbuf *f, const struct berth_description *d, const char *exec_path) {
        const struct berth_spec *s = &d->spec;
        int r;

        put3(f, "# Automatically generated by berth-generator from ", d->path, "\n");
        STRV_FOREACH(p, d->dropins)
                put3(f, "# with drop-in ", *p, "\n");
        strbuf_puts(f, "# Edit the description (or add a drop-in), not this file.\n\n");

        strbuf_puts(f, "[Unit]\n");
        put3(f, "SourcePath=", d->path, "\n");
        write_section_entries(f, d, "Unit");
        strbuf_puts(f, "RequiresMountsFor=");
        r = write_mount_path(f, s->rootfs, true);
        for (size_t i = 0; r >= 0 && i < s->n_volumes; i++)
                r = write_mount_path(f, s->volumes[i].source, false);
        if (r < 0) {
                struct berth_loc loc = {.file = d->path};
                return log_syntax(&loc, -EINVAL, "a root or volume path contains a control character");
        }
        strbuf_putc(f, '\n');

        strbuf_puts(f, "\n[Service]\n");
        /* berth-exec sends READY=1 itself (or the payload does, with Notify=yes), from a child:
         * hence notify access for all; mixed: SIGTERM to the helper, SIGKILL to what is left. */
        strbuf_puts(f, "Type=notify\nNotifyAccess=all\nKillMode=mixed\n");
        put3(f, "SyslogIdentifier=", d->spec.name, "\n");
        write_section_entries(f, d, "Service");
        strbuf_puts(f, "ExecStart=");
        quote_exec_word_to(f, exec_path);
        r = spec_argv_walk(&d->spec, put_exec_word, f);
        if (r < 0)
                return log_errno(r, "%s: cannot build the helper's command line: %m", d->path);
        strbuf_putc(f, '\n');
        write_exec_reload(f, s, exec_path);

        for (size_t i = 0; i < d->passthrough.n; i++) {
                const char *sec = d->passthrough.items[i].section;
                if (streq(sec, "Unit") || streq(sec, "Service") || streq(sec, "Install") || section_seen_before(d, i))
                        continue;
                put3(f, "\n[", sec, "]\n");
                write_section_entries(f, d, sec);
        }
        return 0;
}

int unit_build(const struct berth_description *d, const char *exec_path, struct berth_unit *ret) {
        struct berth_unit u = {};
        struct strbuf text = {};
        size_t len;
        int r, q;

        r = check_service_section(d);
        u.name = strjoin(d->name, ".service");
        if (!u.name)
                return log_errno(-ENOMEM, "out of memory");
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
        *ret = u;
        return 0;
}

static int write_all(int fd, const char *data, size_t len) {
        size_t done = 0;

        while (done < len) {
                ssize_t n = write(fd, data + done, len - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return negative_errno();
                done += (size_t) n;
        }
        return 0;
}

/* Where units go. closing is set when the dir is on tmpfs: there write() reports every error
 * (no space, no memory) and close() has nothing left to report, so new files are closed
 * in batches with what was read. */
struct output {
        int fd;
        const char *path;
        struct fd_batch *closing;
};

static int close_written(const struct output *o, int fd) {
        if (o->closing) {
                fd_batch_close(o->closing, fd);
                return 0;
        }
        return close(fd) < 0 ? negative_errno() : 0;
}

/* Writes data to dir/name. systemd hands a generator empty directories and reads them only
 * after it exited, so a new file is written in place (O_EXCL: nothing is overwritten, and
 * a failed write removes it); that is 3 syscalls a unit instead of 5. A file already there
 * (berth generate into a populated dir, a second run) is replaced through a temporary file
 * and rename(), so a reader never sees half a unit. */
static int write_file_atomic(const struct output *o, const char *name, const char *data) {
        char tmp[300];
        const char *created = name;
        size_t len = strlen(data);
        int fd, r;

        fd = openat(o->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0 && errno == EEXIST) {
                snprintf(tmp, sizeof(tmp), ".#%.200s.%d", name, (int) getpid());
                created = tmp;
                fd = openat(o->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
                if (fd < 0 && errno == EEXIST) { /* left over by a killed run with our pid */
                        (void) unlinkat(o->fd, tmp, 0);
                        fd = openat(o->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
                }
        }
        if (fd < 0)
                return log_errno(negative_errno(), "%s/%s: cannot create: %m", o->path, created);
        r = write_all(fd, data, len);
        if (r < 0)
                close(fd);
        else if (created != name) { /* rename() only what is complete */
                if (close(fd) < 0 || renameat(o->fd, tmp, o->fd, name) < 0)
                        r = negative_errno();
        } else
                r = close_written(o, fd);
        if (r < 0) {
                (void) unlinkat(o->fd, created, 0);
                return log_errno(r, "%s/%s: cannot write: %m", o->path, name);
        }
        return 0;
}

/* symlinkat() is atomic by itself; an existing link (a second run into the same dir) is
 * replaced through a temporary name and rename(). */
static int symlink_atomic(const struct output *o, const char *path, const char *target) {
        int dirfd = o->fd;
        const char *dir = o->path;
        char tmp[600];
        const char *slash = strrchr(path, '/');

        if (symlinkat(target, dirfd, path) == 0)
                return 0;
        if (errno == ENOENT && slash) {
                _cleanup_free_ char *sub = strndup(path, (size_t) (slash - path));
                if (!sub)
                        return -ENOMEM;
                if (mkdirat(dirfd, sub, 0755) < 0 && errno != EEXIST)
                        return log_errno(negative_errno(), "%s/%s: cannot create: %m", dir, sub);
                if (symlinkat(target, dirfd, path) == 0)
                        return 0;
        }
        if (errno != EEXIST)
                return log_errno(negative_errno(), "%s/%s: cannot create symlink: %m", dir, path);
        if (slash)
                snprintf(tmp, sizeof(tmp), "%.*s/.#%.200s.%d", (int) (slash - path), path, slash + 1, (int) getpid());
        else
                snprintf(tmp, sizeof(tmp), ".#%.200s.%d", path, (int) getpid());
        (void) unlinkat(dirfd, tmp, 0);
        if (symlinkat(target, dirfd, tmp) < 0)
                return log_errno(negative_errno(), "%s/%s: cannot create symlink: %m", dir, path);
        if (renameat(dirfd, tmp, dirfd, path) < 0) {
                int r = negative_errno();
                (void) unlinkat(dirfd, tmp, 0);
                return log_errno(r, "%s/%s: cannot create symlink: %m", dir, path);
        }
        return 0;
}

static int unit_write_at(const struct berth_unit *u, const struct output *o) {
        int r = write_file_atomic(o, u->name, u->text);
        for (size_t i = 0; r >= 0 && i < u->n_links; i++)
                r = symlink_atomic(o, u->links[i].path, u->links[i].target);
        return r;
}

int unit_write(const struct berth_unit *u, const char *dir) {
        _cleanup_close_ int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (dirfd < 0)
                return log_errno(negative_errno(), "%s: cannot open output directory: %m", dir);
        return unit_write_at(u, &(struct output){.fd = dirfd, .path = dir});
}

int unit_print(const struct berth_unit *u, FILE *f) {
        fprintf(f, "# %s\n%s", u->name, u->text);
        for (size_t i = 0; i < u->n_links; i++)
                fprintf(f, "# symlink %s -> %s\n", u->links[i].path, u->links[i].target);
        fputc('\n', f);
        return ferror(f) ? -EIO : 0;
}

static int generate_one(struct berth_catalog *c, const struct berth_source *src, const struct output *o,
                        FILE *dry_run, const char *exec_path) {
        _cleanup_(description_done) struct berth_description d = {};
        struct berth_unit u = {};
        int r;

        r = description_load(c, src, &d);
        if (r < 0)
                return r;
        r = unit_build(&d, exec_path, &u);
        if (r < 0)
                return r;
        r = o ? unit_write_at(&u, o) : unit_print(&u, dry_run);
        unit_done(&u);
        return r;
}

int generate_all(struct berth_catalog *c, const char *output_dir, FILE *dry_run, unsigned *ret_failed) {
        const char *exec_path = unit_exec_path();
        _cleanup_close_ int output_fd = -1;
        struct output o = {.path = output_dir};
        unsigned failed = 0;

        if (output_dir) {
                struct statfs sfs;
                output_fd = open(output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (output_fd < 0)
                        return log_errno(negative_errno(), "%s: cannot open output directory: %m", output_dir);
                o.fd = output_fd;
                /* the same batch as the files read: their fds alternate, and one run of
                 * consecutive numbers is one close_range() */
                if (fstatfs(output_fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC)
                        o.closing = &c->closing;
        }

        catalog_prefetch_start(c);
        for (size_t i = 0; i < c->n_units; i++) {
                const struct berth_source *src = &c->units[i];
                int r;

                catalog_prefetch_wait(c, i);
                if (src->masked) {
                        log_debug("%s: masked, skipped", src->path);
                        continue;
                }
                r = generate_one(c, src, output_dir ? &o : NULL, dry_run, exec_path);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        failed++;
                        log_error("%s: has errors, no unit written for it", src->path);
                }
        }
        *ret_failed = failed;
        return 0;
}

int generate_from_search_path(const char *output_dir, FILE *dry_run) {
        _cleanup_strv_free_ char **dirs = NULL;
        struct berth_catalog catalog = {};
        unsigned failed = 0;
        int r;

        r = description_search_path(&dirs);
        if (r < 0) {
                log_errno(r, "cannot build the search path: %m");
                return 1;
        }
        r = catalog_load(dirs, &catalog);
        if (r < 0) {
                log_error("berth.conf has errors: no unit generated");
                catalog_done(&catalog);
                return 1;
        }
        r = generate_all(&catalog, output_dir, dry_run, &failed);
        catalog_done(&catalog);
        if (dry_run && fflush(dry_run) != 0 && r >= 0)
                r = log_errno(-EIO, "cannot write to stdout");
        if (r < 0) {
                log_errno(r, "giving up: %m");
                return 1;
        }
        return failed > 0 ? 1 : 0;
}
