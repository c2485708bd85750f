/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by description-paths.c, description-load.c and description-prefetch.c only. */
#include "description.h"

#define CONTAINER_SUFFIX ".container"
#define DROPIN_SUFFIX ".conf"

/* container.d, then NAME@.container.d for templates and instances, then NAME.container.d. */
int dropin_owners(const char *name, char ***ret);
/* The drop-ins that apply to the owners, merged by file name, NULL-terminated, in order. */
int dropins_for(struct berth_catalog *c, char *const *owners, struct berth_source ***ret);
void catalog_prefetch_stop(struct berth_catalog *c);
/* Parses src, opened relative to its search dir (by its whole path if that is not open). */
int source_read(struct berth_catalog *c, struct berth_source *src, struct berth_entries *entries);
