/* SPDX-License-Identifier: MIT */
#pragma once

#include "description.h"

/* berth verify's checks of User=, Group=, WorkingDirectory=, HealthCmd= and ReloadCmd=
 * against the container's root (root_fd: an O_PATH fd of RootDirectory=). Logs FILE:LINE:
 * Key: for each problem; returns the last error. */
int verify_root_settings(const struct berth_description *d, int root_fd);
