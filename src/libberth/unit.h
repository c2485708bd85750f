/* SPDX-License-Identifier: MIT */
#pragma once

/* A description -> the systemd unit of SPEC §4, and the generator's loop over a catalog.
 *
 * ExecStart= quoting: every word is double-quoted; '\' and '"' are backslash-escaped, control
 * characters are written as C escapes, and '$' is doubled so systemd never expands variables
 * in what the description said. '%' is left alone: systemd expands specifiers (%i, %n, ...)
 * in every word, which is how templates name their instances; descriptions write a literal
 * percent sign as %% (the reader rejects unknown specifiers with FILE:LINE). */

#include <stdio.h>

#include "description.h"

struct berth_unit_link {
        char *path;   /* relative to the output dir: "multi-user.target.wants/web.service" */
        char *target; /* what it points to: "../web.service" */
};

/* A unit name this unit takes: its own, or an alias (where it was assigned). Two units
 * must never take the same name (berth.container(5), "[Install]"). */
struct berth_unit_claim {
        char *name;
        char *file;
        unsigned line;   /* 0: the unit's own name */
        const char *key; /* "Alias", NULL for the own name */
};

/* container:NAME, for the cycle check across descriptions */
struct berth_unit_join {
        char *target;
        char *file;
        unsigned line;
        const char *key;
};

struct berth_unit {
        char *name; /* "web.service", "web@.service" */
        char *text;
        struct berth_unit_link *links;
        size_t n_links, links_allocated;
        struct berth_unit_claim *claims;
        size_t n_claims;
        struct berth_unit_join joins[_BERTH_NS_MAX];
        size_t n_joins;
};

int unit_add_claim(struct berth_unit *u, const char *name, const char *file, unsigned line, const char *key);

/* BERTH_EXEC_PATH from the environment if set (tests point it at the build dir), else the
 * installed helper. */
const char *unit_exec_path(void);

/* One word of an ExecStart= line, quoted as described above. malloc'ed. */
char *unit_quote_exec_word(const char *word);
/* The whole value of ExecStart=: the helper path and argv, each word quoted. */
int unit_exec_line(const char *exec_path, char *const *argv, char **ret);

/* Builds the unit and its [Install] symlinks. Checks what only the unit can tell (ExecStart=
 * in [Service], unknown [Install] keys), logging with FILE:LINE. */
int unit_build(const struct berth_description *d, const char *exec_path, struct berth_unit *ret);
void unit_done(struct berth_unit *u);

/* Writes the unit file and its symlinks into dir, each atomically (rename over the old). */
int unit_write(const struct berth_unit *u, const char *dir);
/* The unit under a "# NAME.service" heading, then its symlinks as comments. */
int unit_print(const struct berth_unit *u, FILE *f);

/* The generator: every description of the catalog to a unit in output_dir, or printed to
 * dry_run when output_dir is NULL. A bad description is logged and skipped; *ret_failed
 * counts them. Returns a negative errno only when nothing sensible can go on (no memory,
 * output dir unusable). */
int generate_all(struct berth_catalog *c, const char *output_dir, FILE *dry_run, unsigned *ret_failed);

/* What berth-generator and `berth generate` both do: load the catalog from the search path,
 * generate_all(), and turn the outcome into an exit status: 0, or 1 when any description
 * failed, berth.conf has errors (then no unit is written at all: broken defaults would
 * silently weaken every container) or nothing sensible could go on. */
int generate_from_search_path(const char *output_dir, FILE *dry_run);
/* The same as systemd's generator: other_dirs (the early and late dirs, NULL-terminated) and
 * output_dir are checked for units of the same names as ours, which are refused, and
 * nothing already there is replaced. Each refused description gets a placeholder unit. */
int generate_all_dirs(struct berth_catalog *c, const char *output_dir, char *const *other_dirs, FILE *dry_run,
                      unsigned *ret_failed);
int generate_from_search_path_dirs(const char *output_dir, char *const *other_dirs, FILE *dry_run);
