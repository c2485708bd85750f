/* SPDX-License-Identifier: MIT */
/* The INI layer over inih and the [Container] key table.
 *
 * Debian's libinih (r55) is built with INI_MAX_LINE=200 on the stack, inline ';' comments,
 * indented lines continuing the previous value, ':' as a second separator and no line
 * numbers in the handler. systemd's syntax has none of those, and Exec= lines are often
 * longer than 200 bytes. So ini_parse_stream() is driven by our reader, which hands inih one
 * logical line at a time (continuations joined, leading whitespace dropped, comments blanked)
 * and, for an assignment, only "Key=": the value is kept here and picked up by the handler,
 * which inih calls synchronously for that very line. inih still decides what is a section,
 * an assignment or a malformed line; we only keep what it would truncate or misread. */
#include "description.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <ini.h>
#include <sys/stat.h>

#include "utf8.h"

/* A description is a few KiB; anything this large is not one. */
#define DESCRIPTION_MAX_SIZE (4u * 1024u * 1024u)
/* inih's section buffer (MAX_SECTION) is 50 bytes including the NUL. */
#define INI_SECTION_MAX 49
/* Syntax errors logged for one file before the rest of it is left unread. */
#define INI_ERRORS_MAX 20

struct berth_strings_chunk {
        struct berth_strings_chunk *prev;
        size_t used, size;
        char data[];
};

void entries_done(struct berth_entries *e) {
        while (e->strings) {
                struct berth_strings_chunk *prev = e->strings->prev;
                free(e->strings);
                e->strings = prev;
        }
        free(e->items);
        *e = (struct berth_entries){};
}

/* A copy of s in e's chunks, or NULL. Chunks double in size, so a drop-in of two lines
 * takes one small allocation and a long file a few. */
static char *entries_strdup(struct berth_entries *e, const char *s) {
        struct berth_strings_chunk *c = e->strings;
        size_t len = strlen(s) + 1;
        char *r;

        if (!c || c->size - c->used < len) {
                size_t size = c ? c->size * 2 : 128;
                while (size < len)
                        size *= 2;
                c = malloc(sizeof(*c) + size);
                if (!c)
                        return NULL;
                *c = (struct berth_strings_chunk){.prev = e->strings, .size = size};
                e->strings = c;
        }
        r = memcpy(c->data + c->used, s, len);
        c->used += len;
        return r;
}

/* Section and file repeat from one entry to the next: share prev (the previous entry's
 * copy) when it is the same string. */
static char *entries_strdup_reusing(struct berth_entries *e, const char *s, char *prev) {
        return prev && streq(prev, s) ? prev : entries_strdup(e, s);
}

int entries_append(struct berth_entries *e, const char *section, const char *key, const char *value, const char *file,
                   unsigned line) {
        const struct berth_entry *last;
        struct berth_entry n;

        /* Grow geometrically: a description with many Environment= lines stays linear. */
        if (e->n == e->allocated) {
                size_t cap = e->allocated ? e->allocated * 2 : 4; /* a drop-in has a line or two */
                struct berth_entry *p = realloc(e->items, cap * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                e->items = p;
                e->allocated = cap;
        }
        last = e->n > 0 ? &e->items[e->n - 1] : NULL;
        n = (struct berth_entry){
                .section = entries_strdup_reusing(e, section, last ? last->section : NULL),
                .key = entries_strdup(e, key),
                .value = entries_strdup(e, value),
                .file = entries_strdup_reusing(e, file, last ? last->file : NULL),
                .line = line,
        };
        /* on failure the copies made stay in the chunks until entries_done() */
        if (!n.section || !n.key || !n.value || !n.file)
                return -ENOMEM;
        e->items[e->n++] = n;
        return 0;
}

struct ini_feed {
        const char *path;
        char *pos, *end;          /* unread part of the (mutable) buffer */
        unsigned physical_line;   /* lines consumed so far */
        unsigned line;            /* first physical line of the logical line last handed to inih */
        unsigned *line_of;        /* logical line index (inih's count, from 1) -> physical line */
        size_t n_lines, lines_allocated;
        char *logical;            /* the current logical line */
        size_t logical_size;
        const char *pending_value; /* value of the assignment last handed to inih, NULL if none */
        struct berth_entries *entries;
        size_t assignments; /* read from this file so far */
        unsigned n_errors;
        bool stop; /* too many errors or assignments: read no further */
        int error;
};

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static char *strip(char *s) {
        char *e;
        while (is_blank(*s))
                s++;
        e = s + strlen(s);
        while (e > s && is_blank(e[-1]))
                *--e = 0;
        return s;
}

/* Takes the next physical line out of the buffer (NUL-terminated in place), or NULL at the end. */
static char *next_physical_line(struct ini_feed *f) {
        char *start = f->pos, *eol;
        size_t n;

        if (f->pos >= f->end)
                return NULL;
        /* As systemd's read_line(): "\n", "\r", "\r\n" and "\n\r" each end a line, so a lone
         * CR cannot hide a directive inside a value (systemd would read it as a line). */
        n = strcspn(f->pos, "\r\n"); /* the buffer is NUL-terminated and has no other NUL */
        eol = f->pos + n;
        if (eol < f->end) {
                char c = *eol;
                *eol = 0;
                f->pos = eol + 1;
                if (f->pos < f->end && (*f->pos == '\r' || *f->pos == '\n') && *f->pos != c)
                        f->pos++;
        } else {
                *f->end = 0; /* the buffer has one spare byte for this */
                f->pos = f->end;
        }
        f->physical_line++;
        return start;
}

static int logical_append(struct ini_feed *f, size_t *len, const char *s) {
        size_t l = strlen(s);
        if (*len + l + 2 > f->logical_size) {
                size_t n = (*len + l + 2) * 2;
                char *p = realloc(f->logical, n);
                if (!p)
                        return -ENOMEM;
                f->logical = p;
                f->logical_size = n;
        }
        memcpy(f->logical + *len, s, l + 1);
        *len += l;
        return 0;
}

static bool is_comment(const char *s) {
        return *s == '#' || *s == ';';
}

/* As systemd: a line ending in two backslashes ends in an escaped backslash, not a continuation. */
static bool ends_in_unescaped_backslash(const char *s, size_t len) {
        size_t n = 0;
        while (n < len && s[len - 1 - n] == '\\')
                n++;
        return n % 2 == 1;
}

/* Joins a line ending in a backslash with the next ones, as systemd does: the backslash
 * becomes a space, and comment lines inside the continuation are skipped. */
static int read_logical_line(struct ini_feed *f, char **ret) {
        size_t len = 0;
        char *p;
        int r;

        p = next_physical_line(f);
        if (!p)
                return 0;
        f->line = f->physical_line;
        p = strip(p);
        r = logical_append(f, &len, p);
        if (r < 0)
                return r;
        if (is_comment(f->logical)) {
                *ret = f->logical;
                return 1;
        }
        while (ends_in_unescaped_backslash(f->logical, len)) {
                f->logical[len - 1] = ' ';
                do
                        p = next_physical_line(f);
                while (p && is_comment(strip(p)));
                if (!p)
                        break;
                r = logical_append(f, &len, p);
                if (r < 0)
                        return r;
                /* trailing whitespace before a continuation backslash is not part of the line */
                while (len > 0 && is_blank(f->logical[len - 1]))
                        f->logical[--len] = 0;
        }
        *ret = f->logical;
        return 1;
}

_printf_(3, 4) static void feed_error_key(struct ini_feed *f, const char *key, const char *fmt, ...) {
        struct berth_loc loc = {.file = f->path, .line = f->line, .key = key};
        char msg[512];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        log_syntax(&loc, -EINVAL, "%s", msg);
        f->error = -EINVAL;
        /* a file of garbage would otherwise log a line per line: the first few tell the story */
        if (++f->n_errors == INI_ERRORS_MAX) {
                log_syntax(&loc, -EINVAL, "too many errors, not reading the rest of the file");
                f->stop = true;
        }
}
#define feed_error(f, ...) feed_error_key((f), NULL, __VA_ARGS__)

/* The first control character in s (a byte below 0x20 but TAB, or DEL), or NULL. systemd
 * would read a CR as a line end and other control characters are never meant: refused in
 * section names, keys and values alike, so none can reach a unit. */
static const char *find_control(const char *s) {
        for (; *s; s++)
                if (((unsigned char) *s < 0x20 && *s != '\t') || *s == 0x7f)
                        return s;
        return NULL;
}

static int remember_line(struct ini_feed *f) {
        if (f->n_lines == f->lines_allocated) {
                size_t cap = f->lines_allocated ? f->lines_allocated * 2 : 64;
                unsigned *n = realloc(f->line_of, cap * sizeof(*n));
                if (!n)
                        return -ENOMEM;
                f->line_of = n;
                f->lines_allocated = cap;
        }
        f->line_of[f->n_lines++] = f->line;
        return 0;
}

/* snprintf(dst, size, "%s", src) without parsing a format: this runs for every line. */
static void copy_truncated(char *dst, size_t size, const char *src, size_t len) {
        if (len >= size)
                len = size - 1;
        memcpy(dst, src, len);
        dst[len] = 0;
}

/* inih's fgets(): str has room for num bytes. */
static char *ini_feed_reader(char *str, int num, void *stream) {
        struct ini_feed *f = stream;
        char *line, *eq;
        size_t len;
        int r;

        f->pending_value = NULL;
        if (f->error == -ENOMEM || f->stop)
                return NULL;
        r = read_logical_line(f, &line);
        if (r <= 0) {
                if (r < 0)
                        f->error = r;
                return NULL;
        }
        if (remember_line(f) < 0) {
                f->error = -ENOMEM;
                return NULL;
        }

        *str = 0;
        if (*line == 0 || is_comment(line))
                return str;
        if (*line == '[') {
                size_t n = strlen(line);
                const char *close = strchr(line, ']');
                /* As systemd: the whole line is the header. "[Container] Key=Value" would
                 * otherwise keep the section and silently drop the key. */
                if (!close || close != line + n - 1) {
                        feed_error(f, "invalid section header '%s' (a header is alone on its line: [NAME])", line);
                        return str;
                }
                if (n == 2 || find_control(line) || !utf8_is_valid(line, n)) {
                        feed_error(f, "invalid section name in '%s'", line);
                        return str;
                }
                if ((size_t) (close - line - 1) > INI_SECTION_MAX) {
                        feed_error(f, "section name '%s' is too long", line);
                        return str;
                }
                copy_truncated(str, (size_t) num, line, strlen(line));
                return str;
        }
        eq = strchr(line, '=');
        if (!eq) {
                /* Let inih report it, so malformed lines are judged in one place. Keep it short
                 * enough that inih sees it as one line. */
                snprintf(str, (size_t) num, "%.40s", line);
                return str;
        }
        *eq = 0;
        len = (size_t) (eq - line);
        if (len + 2 > (size_t) num) {
                feed_error(f, "key '%.40s...' is too long", line);
                return str;
        }
        if (find_control(line) || !utf8_is_valid(line, len)) {
                feed_error(f, "invalid key name '%s' (a control character or not UTF-8)", line);
                return str;
        }
        memcpy(str, line, len);
        str[len] = '=';
        str[len + 1] = 0;
        f->pending_value = strip(eq + 1);
        return str;
}

static int ini_feed_handler(void *user, const char *section, const char *name, const char *value) {
        struct ini_feed *f = user;
        struct berth_loc loc = {.file = f->path, .line = f->line, .key = name};
        int r;

        /* inih split "Key=" somewhere else than at the '=' (it also splits at ':'). */
        if (!f->pending_value || !isempty(value)) {
                feed_error(f, "invalid key name in '%s' (expected Key=Value)", name);
                return 1;
        }
        if (isempty(section)) {
                log_syntax(&loc, -EINVAL, "assignment outside of a section");
                f->error = -EINVAL;
                return 1;
        }
        if (isempty(name)) {
                feed_error(f, "empty key name");
                return 1;
        }
        {
                const char *c = find_control(f->pending_value);
                if (c) {
                        feed_error_key(
                                f, name,
                                "control character 0x%02x in the value (inside quotes, write it as an escape: \\x%02x)",
                                (unsigned) (unsigned char) *c, (unsigned) (unsigned char) *c);
                        return 1;
                }
        }
        if (++f->assignments > BERTH_FILE_ASSIGNMENTS_MAX) {
                feed_error_key(f, name, "more than %u assignments in one file: not a description",
                               BERTH_FILE_ASSIGNMENTS_MAX);
                f->stop = true;
                return 1;
        }
        r = entries_append(f->entries, section, name, f->pending_value, f->path, f->line);
        if (r < 0) {
                f->error = r;
                return 0;
        }
        return 1;
}

/* The line (from 1) that byte offset is on, with the line ends of next_physical_line(). */
static unsigned line_of_offset(const char *data, size_t offset) {
        unsigned line = 1;
        for (size_t i = 0; i < offset; i++)
                if (data[i] == '\n' || data[i] == '\r') {
                        if (i + 1 < offset && (data[i + 1] == '\n' || data[i + 1] == '\r') && data[i + 1] != data[i])
                                i++;
                        line++;
                }
        return line;
}

int ini_read_buffer(const char *data, size_t size, const char *path, struct berth_entries *entries) {
        _cleanup_free_ char *buf = NULL;
        struct ini_feed f = {.path = path, .entries = entries};
        int r;

        if (memchr(data, 0, size)) {
                struct berth_loc loc = {.file = path,
                                        .line = line_of_offset(data, (const char *) memchr(data, 0, size) - data)};
                return log_syntax(&loc, -EINVAL, "contains a NUL byte: not a text file");
        }
        buf = malloc(size + 1);
        if (!buf)
                return log_errno(-ENOMEM, "%s: out of memory", path);
        memcpy(buf, data, size);
        buf[size] = 0;
        f.pos = buf;
        f.end = buf + size;
        /* A UTF-8 byte order mark is not part of the first line. */
        if (size >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
                f.pos += 3;

        r = ini_parse_stream(ini_feed_reader, &f, ini_feed_handler, &f);
        if (r > 0) {
                /* inih's line count is ours in logical lines */
                struct berth_loc loc = {.file = path, .line = (size_t) r <= f.n_lines ? f.line_of[r - 1] : 0};
                log_syntax(&loc, -EINVAL, "expected [Section] or Key=Value");
                if (f.error == 0)
                        f.error = -EINVAL;
        } else if (r < 0 && f.error == 0)
                f.error = -ENOMEM;
        free(f.line_of);
        free(f.logical);
        if (f.error == -ENOMEM)
                return log_errno(f.error, "%s: out of memory", path);
        return f.error;
}

int ini_read_file_at(int dirfd, const char *name, const char *path, struct berth_entries *entries) {
        _cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return log_errno(negative_errno(), "%s: cannot open: %m", path);
        return ini_read_fd(fd, path, entries);
}

static int load_failed(struct ini_file *f, enum ini_load_failure failure, int error) {
        free(f->data);
        *f = (struct ini_file){.error = error, .failure = failure};
        return error;
}

int ini_load_fd(int fd, struct ini_file *ret) {
        struct stat st;
        size_t done = 0;

        *ret = (struct ini_file){};
        if (fstat(fd, &st) < 0)
                return load_failed(ret, INI_LOAD_STAT, negative_errno());
        if (!S_ISREG(st.st_mode))
                return load_failed(ret, INI_LOAD_NOT_REGULAR, -EINVAL);
        if ((uint64_t) st.st_size > DESCRIPTION_MAX_SIZE)
                return load_failed(ret, INI_LOAD_TOO_BIG, -EFBIG);
        ret->data = malloc((size_t) st.st_size + 1);
        if (!ret->data)
                return load_failed(ret, INI_LOAD_NO_MEMORY, -ENOMEM);
        while (done < (size_t) st.st_size) {
                ssize_t n = read(fd, ret->data + done, (size_t) st.st_size - done);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return load_failed(ret, INI_LOAD_READ, negative_errno());
                if (n == 0)
                        break; /* shrank while we read: take what is there */
                done += (size_t) n;
        }
        ret->size = done;
        return 0;
}

int ini_read_loaded(struct ini_file *f, const char *path, struct berth_entries *entries) {
        struct berth_loc loc = {.file = path};
        _cleanup_free_ char *data = TAKE_PTR(f->data);

        switch (f->failure) {
        case INI_LOAD_OK:
                return ini_read_buffer(data, f->size, path, entries);
        case INI_LOAD_OPEN:
                return log_errno(f->error, "%s: cannot open: %m", path);
        case INI_LOAD_STAT:
                return log_errno(f->error, "%s: cannot stat: %m", path);
        case INI_LOAD_NOT_REGULAR:
                return log_syntax(&loc, -EINVAL, "not a regular file");
        case INI_LOAD_TOO_BIG:
                return log_syntax(&loc, -EFBIG, "larger than %u bytes: not a description", DESCRIPTION_MAX_SIZE);
        case INI_LOAD_NO_MEMORY:
                return log_errno(-ENOMEM, "%s: out of memory", path);
        case INI_LOAD_READ:
                return log_errno(f->error, "%s: cannot read: %m", path);
        }
        return -EINVAL;
}

int ini_read_fd(int fd, const char *path, struct berth_entries *entries) {
        struct ini_file f;

        (void) ini_load_fd(fd, &f);
        return ini_read_loaded(&f, path, entries);
}

int ini_read_file(const char *path, struct berth_entries *entries) {
        return ini_read_file_at(AT_FDCWD, path, path, entries);
}

/* ---- [Container] keys ---- */

typedef int (*key_setter)(struct berth_spec *s, const char *v, const struct berth_loc *loc);

static int set_pid_namespace(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return spec_set_namespace(s, BERTH_NS_PID, v, loc);
}
static int set_net_namespace(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return spec_set_namespace(s, BERTH_NS_NET, v, loc);
}
static int set_ipc_namespace(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        return spec_set_namespace(s, BERTH_NS_IPC, v, loc);
}
static int set_uts_namespace(struct berth_spec *s, const char *v, const struct berth_loc *loc) {
        if (!isempty(v) && !streq(v, "private") && !streq(v, "host"))
                return log_syntax(loc, -EINVAL, "expected private or host, got '%s'", v);
        return spec_set_namespace(s, BERTH_NS_UTS, v, loc);
}

/* Every key of SPEC §3, in its order. list: each assignment appends, an empty one resets
 * (the setters implement both); otherwise the last assignment wins. berth.container(5) says
 * "List." for exactly the list keys (test-conf.sh checks it against this table). */
static const struct container_key {
        const char *key;
        key_setter set;
        bool list;
} container_keys[] = {
        {"RootDirectory", spec_set_rootfs, false},
        {"Exec", spec_set_exec, false},
        {"AddCapability", spec_add_cap_add, true},
        {"DropCapability", spec_add_cap_drop, true},
        {"NoNewPrivileges", spec_set_no_new_privileges, false},
        {"SecurityLabelType", spec_set_label_type, false},
        {"SecurityLabelLevel", spec_set_label_level, false},
        {"SecurityLabelUser", spec_set_label_user, false},
        {"SecurityLabelRole", spec_set_label_role, false},
        {"SecurityLabelFileType", spec_set_label_filetype, false},
        {"SecurityLabelDisable", spec_set_label_disable, false},
        {"PIDNamespace", set_pid_namespace, false},
        {"NetworkNamespace", set_net_namespace, false},
        {"IPCNamespace", set_ipc_namespace, false},
        {"UTSNamespace", set_uts_namespace, false},
        {"HostName", spec_set_hostname, false},
        {"User", spec_set_user, false},
        {"Group", spec_set_group, false},
        {"WorkingDirectory", spec_set_workdir, false},
        {"Environment", spec_add_environment, true},
        {"EnvironmentFile", spec_add_env_file, true},
        {"ReadOnly", spec_set_read_only, false},
        {"Volume", spec_add_volume, true},
        {"Tmpfs", spec_add_tmpfs, true},
        {"SeccompProfile", spec_set_seccomp, false},
        {"Mask", spec_add_mask, true},
        {"Unmask", spec_add_unmask, true},
        {"Init", spec_set_init, false},
        {"Notify", spec_set_notify, false},
        {"HealthCmd", spec_set_health_cmd, false},
        {"HealthInterval", spec_set_health_interval, false},
        {"HealthTimeout", spec_set_health_timeout, false},
        {"HealthStartPeriod", spec_set_health_start_period, false},
        {"HealthRetries", spec_set_health_retries, false},
        {"HealthOnFailure", spec_set_health_on_failure, false},
        {"ReloadSignal", spec_set_reload_signal, false},
        {"ReloadCmd", spec_set_reload_cmd, false},
        {"AppArmorProfile", spec_set_apparmor_profile, false},
        {"Device", spec_add_device, true},
};

static const struct container_key *container_key_find(const char *key) {
        /* the first letter rules out most keys without a call: this runs for every entry */
        for (size_t i = 0; i < ELEMENTSOF(container_keys); i++)
                if (container_keys[i].key[0] == key[0] && streq(container_keys[i].key, key))
                        return &container_keys[i];
        return NULL;
}

static const char *container_key_nearest(const char *key) {
        const char *best = NULL;
        unsigned best_d = (unsigned) -1;

        for (size_t i = 0; i < ELEMENTSOF(container_keys); i++) {
                unsigned d = levenshtein(key, container_keys[i].key);
                /* a case slip is always worth suggesting */
                if (strcasecmp(key, container_keys[i].key) == 0)
                        d = 0;
                if (d < best_d) {
                        best_d = d;
                        best = container_keys[i].key;
                }
        }
        /* farther than half the word is a different word, not a typo */
        return best_d <= (strlen(key) + 1) / 2 ? best : NULL;
}

int description_check_specifiers(const char *value, const struct berth_loc *loc) {
        /* systemd 252's unit specifiers (systemd.unit(5)) */
        static const char known[] = "aAbBCdEfgGhHiIjJlLmMnNopPqsStTuUvVwWyY%";

        for (const char *p = strchr(value, '%'); p; p = strchr(p, '%')) {
                if (p[1] == 0)
                        return log_syntax(loc, -EINVAL, "'%%' at the end of '%s' (write %%%% for a literal %%)", value);
                if (!strchr(known, p[1]))
                        return log_syntax(loc, -EINVAL,
                                          "unknown specifier '%%%c' in '%s' (systemd expands %%i, %%n, ...; write %%%% for a literal %%)",
                                          p[1], value);
                p += 2;
        }
        return 0;
}

/* Items a list assignment adds at most: its whitespace-separated words (quotes may join
 * some, so this never counts too few). Volume=, Tmpfs= and EnvironmentFile= take one. */
static size_t list_items_upper_bound(const struct container_key *k, const char *v) {
        size_t n = 0;

        if (k->set == spec_add_volume || k->set == spec_add_tmpfs || k->set == spec_add_env_file)
                return 1;
        for (const char *p = v; *p;) {
                p += strspn(p, " \t");
                if (!*p)
                        break;
                n++;
                p += strcspn(p, " \t");
        }
        return n;
}

/* Every value is an argument of berth-exec (or the payload) once the unit runs: execve()
 * refuses one longer than MAX_ARG_STRLEN. Exec= is split into words first. Values that are
 * written into the unit as they are (paths) must be UTF-8, or systemd drops their line. */
static int check_value_limits(const struct container_key *k, const char *value, const struct berth_spec *spec,
                              const struct berth_loc *loc) {
        if (k->set == spec_set_exec) {
                STRV_FOREACH(w, spec->command)
                        if (strlen(*w) > BERTH_ARG_MAX)
                                return log_syntax(loc, -E2BIG,
                                                  "a word of %zu bytes: the kernel's execve() takes at most %u bytes "
                                                  "per argument",
                                                  strlen(*w), BERTH_ARG_MAX);
                return 0;
        }
        /* "--option VALUE" or "--env K=V": each item is one argument (a list line may
         * hold many: then each word counts, not the line) */
        if (strlen(value) > BERTH_ARG_MAX - 64) {
                _cleanup_strv_free_ char **words = NULL;
                bool split = k->list && k->set != spec_add_volume && k->set != spec_add_tmpfs && k->set != spec_add_env_file;
                int r = !split ? 0 : k->set == spec_add_environment ? split_quoted(value, &words)
                                                                    : strv_split_whitespace(value, &words);
                if (r == -ENOMEM)
                        return r;
                if (!split)
                        return log_syntax(
                                loc, -E2BIG,
                                "a value of %zu bytes: the kernel's execve() takes at most %u bytes per argument",
                                strlen(value), BERTH_ARG_MAX - 64);
                STRV_FOREACH(w, words)
                        if (strlen(*w) > BERTH_ARG_MAX - 64)
                                return log_syntax(loc, -E2BIG,
                                                  "an item of %zu bytes: the kernel's execve() takes at most %u bytes "
                                                  "per argument",
                                                  strlen(*w), BERTH_ARG_MAX - 64);
        }
        if (k->set != spec_add_environment && !utf8_is_valid(value, strlen(value)))
                return log_syntax(loc, -EINVAL, "the value is not valid UTF-8");
        return 0;
}

/* HostName=%H, User=%i: systemd expands specifiers when the unit starts, and berth-exec
 * checks the result. Here the value is checked with each specifier standing for a plain
 * letter, and kept as written. */
static int set_with_specifiers(const struct container_key *k, struct berth_spec *spec, const char *value,
                               const struct berth_loc *loc) {
        char **field = k->set == spec_set_hostname ? &spec->hostname
                       : k->set == spec_set_user   ? &spec->user
                       : k->set == spec_set_group  ? &spec->group
                                                   : NULL;
        _cleanup_free_ char *probe = NULL;
        const char *p;
        size_t n = 0;
        int r;

        p = strchr(value, '%');
        if (!field || !p || p[1] == '%')
                return k->set(spec, value, loc);
        probe = malloc(strlen(value) + 1);
        if (!probe)
                return -ENOMEM;
        for (p = value; *p; p++) {
                if (*p == '%' && p[1]) {
                        probe[n++] = p[1] == '%' ? '%' : 'a';
                        p++;
                } else
                        probe[n++] = *p;
        }
        probe[n] = 0;
        r = k->set(spec, probe, loc);
        if (r < 0)
                return r;
        free(*field);
        *field = strdup(value);
        return *field ? 0 : -ENOMEM;
}

/* What description_apply() counted so far for one description: list sizes, for the caps. */
struct apply_counts {
        size_t items[ELEMENTSOF(container_keys)];
        bool capped[ELEMENTSOF(container_keys)];
};

static int apply_container_entry(const struct berth_entry *e, struct berth_spec *spec, struct apply_counts *counts) {
        struct berth_loc loc = {.file = e->file, .line = e->line, .key = e->key};
        const struct container_key *k = container_key_find(e->key);
        size_t ki;
        int r;

        if (!k) {
                const char *hint = container_key_nearest(e->key);
                if (hint)
                        return log_syntax(&loc, -EINVAL, "unknown key in [%s] (did you mean %s=?)", e->section, hint);
                return log_syntax(&loc, -EINVAL, "unknown key in [%s]", e->section);
        }
        ki = (size_t) (k - container_keys);
        if (k->list && isempty(e->value))
                counts->items[ki] = 0;
        else if (k->list) {
                if (counts->capped[ki])
                        return -EINVAL; /* said once, at the line that went over */
                counts->items[ki] += list_items_upper_bound(k, e->value);
                if (counts->items[ki] > BERTH_LIST_MAX) {
                        counts->capped[ki] = true;
                        return log_syntax(&loc, -E2BIG,
                                          "more than %u items in this list: refused (berth.container(5), LIMITS)",
                                          BERTH_LIST_MAX);
                }
        }
        r = description_check_specifiers(e->value, &loc);
        if (r < 0)
                return r;
        r = set_with_specifiers(k, spec, e->value, &loc);
        if (r == -ENOMEM)
                return log_errno(r, "%s:%u: out of memory", e->file, e->line);
        if (r < 0)
                return r;
        return check_value_limits(k, e->value, spec, &loc);
}

struct apply_counts *apply_counts_new(void) {
        return calloc(1, sizeof(struct apply_counts));
}

int description_apply(const struct berth_entries *entries, const char *container_section, struct berth_spec *spec,
                      struct berth_entries *passthrough) {
        struct apply_counts counts = {};
        return description_apply_counted(entries, container_section, spec, passthrough, &counts);
}

int description_apply_counted(const struct berth_entries *entries, const char *container_section,
                              struct berth_spec *spec, struct berth_entries *passthrough, struct apply_counts *counts) {
        int ret = 0, r;

        for (size_t i = 0; i < entries->n; i++) {
                const struct berth_entry *e = &entries->items[i];

                if (streq(e->section, container_section))
                        r = apply_container_entry(e, spec, counts);
                else if (passthrough) {
                        r = entries_append(passthrough, e->section, e->key, e->value, e->file, e->line);
                        if (r < 0)
                                r = log_errno(r, "%s:%u: out of memory", e->file, e->line);
                } else {
                        struct berth_loc loc = {.file = e->file, .line = e->line};
                        r = log_syntax(&loc, -EINVAL, "unknown section [%s] (expected [%s])", e->section,
                                       container_section);
                }
                if (r == -ENOMEM)
                        return r;
                if (r < 0 && ret == 0)
                        ret = -EINVAL;
        }
        return ret;
}

const struct berth_entry *entries_find_last(const struct berth_entries *e, const char *section, const char *key) {
        for (size_t i = e->n; i > 0; i--)
                if (streq(e->items[i - 1].section, section) && streq(e->items[i - 1].key, key))
                        return &e->items[i - 1];
        return NULL;
}
