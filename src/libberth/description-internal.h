/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by description-paths.c and description-prefetch.c only. */
#include "description.h"

/* container.d, then NAME@.container.d for templates and instances, then NAME.container.d. */
int dropin_owners(const char *name, char ***ret);
/* The drop-ins that apply to the owners, merged by file name, NULL-terminated, in order. */
int dropins_for(struct berth_catalog *c, char *const *owners, struct berth_source ***ret);
void catalog_prefetch_stop(struct berth_catalog *c);
