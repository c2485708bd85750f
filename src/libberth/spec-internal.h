/* SPDX-License-Identifier: MIT */
/* Shared between spec.c and spec-mounts.c, not part of the library's interface. */
#pragma once

#include "spec.h"

/* Free a list setting and leave it empty (an empty Volume=, Tmpfs=, Device= value; spec_done()). */
void spec_volumes_free(struct berth_spec *s);
void spec_tmpfs_free(struct berth_spec *s);
void spec_devices_free(struct berth_spec *s);
