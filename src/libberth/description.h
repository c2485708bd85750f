/* SPDX-License-Identifier: MIT */
#pragma once

/* Reading container descriptions (SPEC §2, §3): NAME.container files in systemd's INI syntax,
 * their drop-ins and the global [Defaults] of berth.conf, found along a search path with
 * masking. The result is a struct berth_spec (filled through the core's setters, so every
 * error reads FILE:LINE: Key: ...) plus the sections that pass through to the unit. */

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

/* Limits (berth.container(5), LIMITS): what one description may hold, so that its cost stays
 * bounded and a single file cannot stall the generator past systemd's timeout. */
#define BERTH_FILE_ASSIGNMENTS_MAX 16384u /* Key=Value lines in one file */
#define BERTH_LIST_MAX 4096u              /* items of one list key (after resets), links of [Install] */
/* systemd's LONG_LINE_MAX: a longer line makes the unit fail to load ("No buffer space") */
#define BERTH_UNIT_LINE_MAX (1024u * 1024u - 1u)
/* the kernel's MAX_ARG_STRLEN (32 pages): execve() refuses a longer argument */
#define BERTH_ARG_MAX (32u * 4096u - 1u)

/* One Key=Value as written, with where it came from. */
struct berth_entry {
        char *section;
        char *key;
        char *value; /* whitespace-trimmed, continuation lines joined */
        char *file;
        unsigned line; /* first line of the assignment */
};

struct berth_strings_chunk;

struct berth_entries {
        struct berth_entry *items;
        size_t n, allocated;
        /* the entries' strings, copied into a few chunks rather than malloc'ed one by one:
         * a description has dozens of them, and the generator reads a thousand */
        struct berth_strings_chunk *strings;
};

void entries_done(struct berth_entries *e);

/* ---- the INI layer (description.c) ----
 * inih parses sections and assignments; this layer feeds it logical lines and adds what
 * Debian's build of inih cannot do for systemd syntax: backslash continuation, lines of any
 * length, no inline comments and no indentation continuation, FILE:LINE for every value.
 * Appends every assignment to *entries; logs each syntax error as FILE:LINE: ...;
 * returns -EINVAL if there was any (entries read so far are kept). */
int ini_read_file(const char *path, struct berth_entries *entries);
/* The same, opening name relative to dirfd (AT_FDCWD: the working directory); path names
 * the file in messages and entries. */
int ini_read_file_at(int dirfd, const char *name, const char *path, struct berth_entries *entries);
/* The same over an open fd (left open). */
int ini_read_fd(int fd, const char *path, struct berth_entries *entries);

/* ini_read_fd() in two steps, so that one thread can read a file and another parse it and
 * log, in its own order, exactly what ini_read_fd() would have. */
enum ini_load_failure {
        INI_LOAD_OK,
        INI_LOAD_OPEN,
        INI_LOAD_STAT,
        INI_LOAD_NOT_REGULAR,
        INI_LOAD_TOO_BIG,
        INI_LOAD_NO_MEMORY,
        INI_LOAD_READ,
};
struct ini_file {
        char *data; /* malloc'ed, size bytes (and room for one more) */
        size_t size;
        int error; /* negative errno, 0 */
        enum ini_load_failure failure;
};
/* Reads fd's bytes into *ret, logging nothing; returns ret->error. */
int ini_load_fd(int fd, struct ini_file *ret);
/* Parses f (and frees its data), or logs why it could not be read. */
int ini_read_loaded(struct ini_file *f, const char *path, struct berth_entries *entries);
/* The same over a buffer (tests, fuzzing); path names the source in messages. */
int ini_read_buffer(const char *data, size_t size, const char *path, struct berth_entries *entries);
/* Appends one entry (copies of the strings, owned by e). */
int entries_append(struct berth_entries *e, const char *section, const char *key, const char *value, const char *file,
                   unsigned line);

/* ---- applying entries ----
 * Entries of section `container_section` ("Container", or "Defaults" in berth.conf) go through
 * the setter of their key; an unknown key is an error that suggests the nearest known one.
 * Entries of other sections are appended to *passthrough, or, when passthrough is NULL, are
 * errors (berth.conf has no other sections). Logs every problem; returns -EINVAL if any. */
int description_apply(const struct berth_entries *entries, const char *container_section, struct berth_spec *spec,
                      struct berth_entries *passthrough);
/* The same, counting list items across calls (the file, then each drop-in) in *counts, so
 * that the cap BERTH_LIST_MAX holds for the whole description. */
struct apply_counts;
struct apply_counts *apply_counts_new(void);
int description_apply_counted(const struct berth_entries *entries, const char *container_section,
                              struct berth_spec *spec, struct berth_entries *passthrough, struct apply_counts *counts);
/* The last assignment of key among the entries of section, or NULL: where a setting came
 * from, for checks made after reading (berth verify). */
const struct berth_entry *entries_find_last(const struct berth_entries *e, const char *section, const char *key);

/* A '%' in a value must start a systemd specifier (the unit expands them: %i, %n, ...);
 * a literal percent sign is written %%. Logs with loc. */
int description_check_specifiers(const char *value, const struct berth_loc *loc);

/* ---- search path, masking, drop-ins, defaults (description-paths.c) ---- */

/* A file found in the search path. */
struct berth_source {
        char *name;  /* file name: "web.container", "10-caps.conf", "berth.conf" */
        char *owner; /* for drop-ins the directory name ("web.container.d", "container.d",
                      * "berth.conf.d"); NULL for files at the top of a search dir */
        char *path;
        const char *relative; /* the tail of path below its search dir, for openat() */
        unsigned priority; /* index in the search path: 0 is the highest */
        bool masked;       /* a symlink to /dev/null (or /dev/null itself) */
        /* found but unusable: a directory or file that cannot be opened or stat'ed, a unit
         * name that is not a regular file. Whoever would read it fails with this (negative
         * errno) and error_what; for a drop-in dir, name is "" and path the dir. */
        int error;
        const char *error_what;
        /* read ahead by the catalog's prefetch thread, for source_read() to parse: the
         * file's bytes or why there are none; NULL if not (yet) read ahead */
        struct ini_file *prefetched;
        bool prefetch_claimed; /* the prefetch thread's own: it read this one already */
        /* drop-ins: parsed once, when a description first needs them */
        bool read;
        int read_result;
        struct berth_entries entries;
};

struct berth_catalog {
        char **dirs;
        int *dir_fds; /* one per dir scanned (-1: could not be opened): files are opened
                       * relative to them, which spares the kernel walking each whole path */
        size_t n_dir_fds;
        struct fd_batch closing; /* what was read and is still to be closed */
        struct berth_prefetch *prefetch; /* NULL unless catalog_prefetch_start() */
        struct berth_source *units; /* *.container, sorted by name, one per name: the highest priority */
        size_t n_units;
        struct berth_source *dropins; /* *.conf in *.d dirs, sorted by (owner, name, priority) */
        size_t n_dropins;
        struct berth_entries defaults; /* berth.conf then the berth.conf.d drop-ins, in order */
        char **default_files;          /* the files defaults came from */
};

/* BERTH_UNIT_PATH (colon-separated) if set, else the built-in path. */
int description_search_path(char ***ret);

/* Scans each search dir once (and each *.d dir in it), and reads berth.conf + berth.conf.d.
 * Returns -EINVAL (logged) when the defaults are broken: descriptions must then not be
 * generated with weaker settings than the administrator asked for. */
int catalog_load(char *const *dirs, struct berth_catalog *ret);
void catalog_done(struct berth_catalog *c);
/* Reading ahead. On a VM every syscall costs over a microsecond, and a description and its
 * drop-in take six to read: a second thread opens and reads the files of the next units
 * (in catalog order, at most a few dozen ahead) while this one parses and writes. It logs
 * nothing: what it could not read is reported by the reader, in order, in the same words.
 * Start before the first description_load(); before loading units[i], wait for
 * it with catalog_prefetch_wait(c, i). Without a thread (it could not be started, or was
 * never asked for) both are no-ops and files are read as they are needed.
 * catalog_done() stops it. */
void catalog_prefetch_start(struct berth_catalog *c);
void catalog_prefetch_wait(struct berth_catalog *c, size_t unit_index);

/* The description named NAME ("web", "web@", "web@blue"), or NULL. */
const struct berth_source *catalog_find(const struct berth_catalog *c, const char *name);

struct berth_description {
        char *name;      /* unit name without ".service": "web", "web@" (template), "web@blue" */
        char *path;      /* the description file (SourcePath=) */
        char **dropins;  /* drop-in files applied, in order */
        bool is_template;
        struct berth_spec spec; /* spec.name is "web@%i" for templates: the unit expands it */
        struct berth_entries passthrough;
        struct berth_entries container; /* [Container] assignments as read, for locations */
        /* per namespace joined with container:NAME: NAME is a description of the catalog
         * (or an instance of one of its templates), so the unit may require NAME.service */
        bool join_is_description[_BERTH_NS_MAX];
};

/* Reads one description: [Defaults], the file, its drop-ins, then the whole-spec rules.
 * Logs every problem with FILE:LINE; returns -EINVAL if any. The catalog keeps the drop-ins
 * it parsed for the next description (an error in a shared drop-in is logged once). */
int description_load(struct berth_catalog *c, const struct berth_source *unit, struct berth_description *ret);
void description_done(struct berth_description *d);

/* NAME is a description that is not masked, or an instance of a template that is. */
bool catalog_has_description(const struct berth_catalog *c, const char *name);
/* "web.container" -> "web"; NULL when the file name is not NAME.container with a valid name. */
char *description_name_from_filename(const char *filename);
