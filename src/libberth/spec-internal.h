/* SPDX-License-Identifier: MIT */
/* Shared by spec.c, spec-mounts.c and spec-health.c, not part of the library's interface. */
#pragma once

#include "spec.h"

/* Free a list setting and leave it empty (an empty Volume=, Tmpfs=, Device= value; spec_done()). */
void spec_volumes_free(struct berth_spec *s);
void spec_tmpfs_free(struct berth_spec *s);
void spec_devices_free(struct berth_spec *s);

/* A command line (Exec=, HealthCmd=, ReloadCmd=; systemd quoting) cut into its words, the first
 * a program name: absolute or looked up in PATH. */
int spec_parse_command(const char *v, char ***ret, const struct berth_loc *loc);
