/* SPDX-License-Identifier: MIT */
#pragma once

/* The rest of a running container's record (record.h has its pid), for `berth exec` and
 * ReloadCmd=, which rebuild its confinement:
 *   spec   the berth-exec options it was started with (spec_to_argv(), words NUL-terminated)
 *   label  its SELinux process context, when it has one
 * Written before the pid file (under the record's lock), so a record whose pid names a live
 * container has that container's spec. */

#include "spec.h"

int record_write_spec(const char *runtime_dir, const struct berth_spec *s, const char *label);
/* Reads NAME's spec (and label, NULL when none). Logs "NAME: ...". */
int record_read_spec(const char *runtime_dir, const char *name, struct berth_spec *ret, char **ret_label);
