/* SPDX-License-Identifier: MIT */
#pragma once

/* Small helpers shared by every part of berth: cleanup attributes, NULL-terminated
 * string vectors, string predicates. Pure; no process-wide state. */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
#define _unused_ __attribute__((unused))
#define _printf_(a, b) __attribute__((format(printf, a, b)))
#define ELEMENTSOF(x) (sizeof(x) / sizeof((x)[0]))

static inline void freep(void *p) {
        free(*(void **) p);
}
static inline void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}
static inline void fclosep(FILE **f) {
        if (*f)
                fclose(*f);
}
#define _cleanup_free_ _cleanup_(freep)
#define _cleanup_close_ _cleanup_(closep)
#define _cleanup_fclose_ _cleanup_(fclosep)
#define _cleanup_strv_free_ _cleanup_(strv_freep)

static inline void *steal_ptr(void *pp) {
        void **p = pp;
        void *v = *p;
        *p = NULL;
        return v;
}
#define TAKE_PTR(p) steal_ptr(&(p))

static inline int take_fd(int *fd) {
        int v = *fd;
        *fd = -1;
        return v;
}
#define TAKE_FD(fd) take_fd(&(fd))

static inline bool streq(const char *a, const char *b) {
        return strcmp(a, b) == 0;
}
static inline bool streq_ptr(const char *a, const char *b) {
        if (!a || !b)
                return a == b;
        return strcmp(a, b) == 0;
}
static inline bool isempty(const char *s) {
        return !s || !*s;
}
/* Returns the rest of s after prefix, or NULL. */
static inline const char *startswith(const char *s, const char *prefix) {
        size_t l = strlen(prefix);
        return strncmp(s, prefix, l) == 0 ? s + l : NULL;
}
const char *startswith_no_case(const char *s, const char *prefix);
bool endswith(const char *s, const char *suffix);

/* String vectors: NULL-terminated arrays of malloc'ed strings. NULL is the empty vector. */
size_t strv_length(char *const *l);
void strv_free(char **l);
static inline void strv_freep(char ***l) {
        strv_free(*l);
}
int strv_push(char ***l, char *value); /* takes ownership of value, even on failure */
int strv_extend(char ***l, const char *value);
/* Appends the strings of values, moving them (one realloc, no copies); takes ownership of
 * values and its strings, even on failure. */
int strv_push_all(char ***l, char **values);
char **strv_copy(char *const *l);
/* Building a strv word by word: grows geometrically, where strv_push() counts and
 * reallocates for every word. v stays NULL-terminated (NULL while empty). */
struct strv_builder {
        char **v;
        size_t n, allocated;
};
int strv_builder_push(struct strv_builder *b, char *value); /* takes ownership, even on failure */
static inline void strv_builder_done(struct strv_builder *b) {
        strv_free(b->v);
        *b = (struct strv_builder){};
}
bool strv_equal(char *const *a, char *const *b);
bool strv_contains(char *const *l, const char *s);
/* Adds a copy of s to the sorted (strcmp), duplicate-free *l where it belongs; 0 if already there. */
int strv_add_sorted(char ***l, const char *s);
#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)

/* Splits on whitespace; no quoting. */
int strv_split_whitespace(const char *s, char ***ret);

/* A growing string, for text built piece by piece (a unit file): cheaper than a FILE from
 * open_memstream(), which zeroes its buffer and goes through stdio for every piece. Out of
 * memory is sticky, so a writer checks once, at strbuf_steal(). */
struct strbuf {
        char *data; /* NUL-terminated once anything was put */
        size_t len, allocated;
        bool oom;
};
/* Makes room for n more bytes and the NUL; false (and oom) if there is no memory. */
bool strbuf_grow(struct strbuf *b, size_t n);
/* Inline: a unit is built from a few hundred short pieces. */
static inline void strbuf_put(struct strbuf *b, const char *s, size_t n) {
        if (b->len + n + 1 > b->allocated && !strbuf_grow(b, n))
                return;
        memcpy(b->data + b->len, s, n);
        b->len += n;
        b->data[b->len] = 0;
}
static inline void strbuf_puts(struct strbuf *b, const char *s) {
        strbuf_put(b, s, strlen(s));
}
static inline void strbuf_putc(struct strbuf *b, char c) {
        strbuf_put(b, &c, 1);
}
/* The text (malloc'ed, "" if nothing was put), or NULL after running out of memory; b is
 * empty afterwards. */
char *strbuf_steal(struct strbuf *b);
void strbuf_done(struct strbuf *b);

/* Closing read-only fds in batches. On a paravirtualised VM every syscall costs a microsecond
 * or more, and the generator opens three files a description (drop-in dir, description,
 * drop-in) only to read them. Consecutive opens get consecutive numbers, so the deferred fds
 * usually form one range that a single close_range() closes. Only for fds whose close()
 * cannot report anything: read-only, or written on tmpfs (write() reports its errors). */
#define FD_BATCH_MAX 64 /* far below any RLIMIT_NOFILE */
struct fd_batch {
        int fds[FD_BATCH_MAX];
        size_t n;
};
void fd_batch_close(struct fd_batch *b, int fd); /* closes fd now or later; fd < 0 is ignored */
void fd_batch_flush(struct fd_batch *b);
/* write() until all of buf is written, again after EINTR; 0 or a negative errno. */
int loop_write(int fd, const void *buf, size_t len);

int parse_boolean(const char *v); /* 1, 0, or -EINVAL */
bool path_is_absolute(const char *p);
/* An absolute, normalised path: no "." or ".." components, no "//". */
bool path_is_normalized_absolute(const char *p);
char *strjoin_many(const char *first, ...) __attribute__((sentinel));
#define strjoin(...) strjoin_many(__VA_ARGS__, NULL)
int xasprintf(char **ret, const char *fmt, ...) _printf_(2, 3);
/* Damerau-free Levenshtein distance, for "did you mean" hints. */
unsigned levenshtein(const char *a, const char *b);
