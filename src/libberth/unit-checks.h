/* SPDX-License-Identifier: MIT */
#pragma once

#include "unit.h"

/* One description on its way through the generator. */
struct gen_item {
        const struct berth_source *src;
        char *name;      /* "web", "web@"; NULL if the file name is not a valid description name */
        char *unit_name; /* "web.service" */
        const char *path;
        bool masked;
        bool quiet;      /* log nothing about it (berth verify NAME: not one asked about) */
        bool built;      /* unit holds the unit */
        bool failed;     /* refused: gets a placeholder */
        bool reported;   /* "has errors" was said */
        bool name_taken; /* its unit name is another generator's: nothing written under it */
        struct berth_unit unit;
        char reason[1024]; /* the first error about it, as logged */
};

/* The checks across descriptions (names taken twice, join cycles, names other generators
 * wrote into dirs, the fds of dirs, NULL-terminated; dirs may be NULL). Logs each problem at
 * its line and marks the items failed. */
void units_check_together(struct gen_item *items, size_t n, const int *dir_fds, char *const *dirs);
void log_oom_items(struct gen_item *items, size_t n);

/* Reads and builds every description of the catalog (items[i] for c->units[i]), then the
 * checks across them; quiet (NULL or one per unit) silences some. Errors are logged. */
int generate_check_all(struct berth_catalog *c, const bool *quiet, bool say_skipped, const int *dir_fds,
                       char *const *dirs, struct gen_item **ret);
void gen_items_free(struct gen_item *items, size_t n);

/* The unit written for a refused description: Description= names FILE:LINE: Key: why, and
 * starting it fails after printing the same to the journal. malloc'ed. */
char *unit_placeholder_text(const struct gen_item *it);
