/* SPDX-License-Identifier: MIT */
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <strings.h>

const char *startswith_no_case(const char *s, const char *prefix) {
        size_t l = strlen(prefix);
        return strncasecmp(s, prefix, l) == 0 ? s + l : NULL;
}

bool endswith(const char *s, const char *suffix) {
        size_t a = strlen(s), b = strlen(suffix);
        return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

size_t strv_length(char *const *l) {
        size_t n = 0;
        while (l && l[n])
                n++;
        return n;
}

void strv_free(char **l) {
        for (char **s = l; s && *s; s++)
                free(*s);
        free(l);
}

int strv_push(char ***l, char *value) {
        size_t n = strv_length(*l);
        char **c;

        if (!value)
                return -ENOMEM;
        c = realloc(*l, sizeof(char *) * (n + 2));
        if (!c) {
                free(value);
                return -ENOMEM;
        }
        c[n] = value;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_extend(char ***l, const char *value) {
        return strv_push(l, strdup(value));
}

int strv_push_all(char ***l, char **values) {
        size_t n = strv_length(*l), m = strv_length(values);
        char **c;

        if (m == 0) {
                free(values);
                return 0;
        }
        c = realloc(*l, sizeof(char *) * (n + m + 1));
        if (!c) {
                strv_free(values);
                return -ENOMEM;
        }
        memcpy(c + n, values, sizeof(char *) * (m + 1));
        free(values);
        *l = c;
        return 0;
}

int strv_builder_push(struct strv_builder *b, char *value) {
        if (!value)
                return -ENOMEM;
        if (b->n + 2 > b->allocated) {
                size_t cap = b->allocated ? b->allocated * 2 : 8;
                char **p = realloc(b->v, cap * sizeof(char *));
                if (!p) {
                        free(value);
                        return -ENOMEM;
                }
                b->v = p;
                b->allocated = cap;
        }
        b->v[b->n++] = value;
        b->v[b->n] = NULL;
        return 0;
}

char **strv_copy(char *const *l) {
        size_t n = strv_length(l);
        char **c = calloc(n + 1, sizeof(char *));
        if (!c)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                c[i] = strdup(l[i]);
                if (!c[i]) {
                        strv_free(c);
                        return NULL;
                }
        }
        return c;
}

bool strv_equal(char *const *a, char *const *b) {
        size_t n = strv_length(a);
        if (n != strv_length(b))
                return false;
        for (size_t i = 0; i < n; i++)
                if (!streq(a[i], b[i]))
                        return false;
        return true;
}

bool strv_contains(char *const *l, const char *s) {
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

int strv_split_whitespace(const char *s, char ***ret) {
        struct strv_builder b = {};
        const char *p = s;

        for (;;) {
                size_t n;
                int r;
                p += strspn(p, " \t\n\r");
                if (!*p)
                        break;
                n = strcspn(p, " \t\n\r");
                r = strv_builder_push(&b, strndup(p, n));
                if (r < 0) {
                        strv_free(b.v);
                        return r;
                }
                p += n;
        }
        *ret = b.v;
        return 0;
}

bool strbuf_grow(struct strbuf *b, size_t n) {
        size_t cap = b->allocated ? b->allocated : 1024;
        char *p;

        if (b->oom)
                return false;
        /* geometric growth: a unit of a few KiB takes a handful of reallocs */
        while (cap < b->len + n + 1)
                cap *= 2;
        p = realloc(b->data, cap);
        if (!p) {
                b->oom = true;
                return false;
        }
        b->data = p;
        b->allocated = cap;
        return true;
}

char *strbuf_steal(struct strbuf *b) {
        char *r = b->oom ? NULL : b->data ? b->data : strdup("");
        if (b->oom)
                free(b->data);
        *b = (struct strbuf){};
        return r;
}

void strbuf_done(struct strbuf *b) {
        free(b->data);
        *b = (struct strbuf){};
}

/* Insertion sort: fds arrive nearly in order, so this is one pass. */
static void sort_fds(int *fds, size_t n) {
        for (size_t i = 1; i < n; i++) {
                int v = fds[i];
                size_t j = i;
                for (; j > 0 && fds[j - 1] > v; j--)
                        fds[j] = fds[j - 1];
                fds[j] = v;
        }
}

/* Closes [lo, hi], all of which are ours. */
static void close_run(int lo, int hi) {
        if (lo < hi && close_range((unsigned) lo, (unsigned) hi, 0) == 0)
                return;
        for (int fd = lo; fd <= hi; fd++) /* one fd, or no close_range() (kernel < 5.9) */
                close(fd);
}

void fd_batch_flush(struct fd_batch *b) {
        size_t start = 0;

        /* The fds are distinct and all ours: each run of consecutive numbers holds nothing
         * else, and one close_range() closes it. An fd inherited in between splits a run. */
        sort_fds(b->fds, b->n);
        for (size_t i = 1; i <= b->n; i++)
                if (i == b->n || b->fds[i] != b->fds[i - 1] + 1) {
                        close_run(b->fds[start], b->fds[i - 1]);
                        start = i;
                }
        b->n = 0;
}

void fd_batch_close(struct fd_batch *b, int fd) {
        if (fd < 0)
                return;
        if (b->n == FD_BATCH_MAX)
                fd_batch_flush(b);
        b->fds[b->n++] = fd;
}

int strv_add_sorted(char ***l, const char *s) {
        size_t len = strv_length(*l), at = 0;
        char *copy, **grown;

        while (at < len && strcmp((*l)[at], s) < 0)
                at++;
        if (at < len && streq((*l)[at], s))
                return 0;
        copy = strdup(s);
        if (!copy)
                return -ENOMEM;
        grown = realloc(*l, (len + 2) * sizeof(char *));
        if (!grown) {
                free(copy);
                return -ENOMEM;
        }
        memmove(grown + at + 1, grown + at, (len - at) * sizeof(char *));
        grown[at] = copy;
        grown[len + 1] = NULL;
        *l = grown;
        return 0;
}

int loop_write(int fd, const void *buf, size_t len) {
        const char *c = buf;

        while (len > 0) {
                ssize_t n = write(fd, c, len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return errno > 0 ? -errno : -EIO;
                c += n;
                len -= (size_t) n;
        }
        return 0;
}

int parse_boolean(const char *v) {
        static const char *const yes[] = {"1", "yes", "y", "true", "t", "on"};
        static const char *const no[] = {"0", "no", "n", "false", "f", "off"};
        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(v, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(v, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

bool path_is_absolute(const char *p) {
        return p && p[0] == '/';
}

bool path_is_normalized_absolute(const char *p) {
        if (!path_is_absolute(p))
                return false;
        if (strstr(p, "//"))
                return false;
        for (const char *c = p; c;) {
                c++; /* skip '/' */
                size_t n = strcspn(c, "/");
                if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
                        return false;
                c = strchr(c, '/');
        }
        return true;
}

char *strjoin_many(const char *first, ...) {
        va_list ap;
        size_t len = 0;
        char *r, *p;

        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *))
                len += strlen(s);
        va_end(ap);

        r = malloc(len + 1);
        if (!r)
                return NULL;
        p = r;
        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *)) {
                size_t l = strlen(s);
                memcpy(p, s, l);
                p += l;
        }
        va_end(ap);
        *p = 0;
        return r;
}

int xasprintf(char **ret, const char *fmt, ...) {
        va_list ap;
        int r;
        va_start(ap, fmt);
        r = vasprintf(ret, fmt, ap);
        va_end(ap);
        if (r < 0) {
                *ret = NULL;
                return -ENOMEM;
        }
        return 0;
}

unsigned levenshtein(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b);
        unsigned row[lb + 1];

        for (size_t j = 0; j <= lb; j++)
                row[j] = j;
        for (size_t i = 1; i <= la; i++) {
                unsigned diag = row[0];
                row[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        unsigned up = row[j];
                        unsigned cost = tolower((unsigned char) a[i - 1]) == tolower((unsigned char) b[j - 1]) ? 0 : 1;
                        unsigned best = diag + cost;
                        if (up + 1 < best)
                                best = up + 1;
                        if (row[j - 1] + 1 < best)
                                best = row[j - 1] + 1;
                        row[j] = best;
                        diag = up;
                }
        }
        return row[lb];
}
