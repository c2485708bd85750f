/* SPDX-License-Identifier: MIT */
#pragma once

/* The payload's environment, built from nothing (the helper's own environment never leaks
 * in): PATH, HOME (the user's), HOSTNAME, container=berth, then each --env-file in order,
 * then each --env; a later assignment of a name replaces an earlier one. TERM only when
 * given. */

#include "spec.h"

/* notify_socket: the path the payload should send to (--notify), or NULL. */
int environ_build(const struct berth_spec *s, const char *home, const char *hostname, const char *notify_socket,
                  char ***ret);
/* Reads one env file (docker's format: K=V lines, '#' comments, blank lines; a bare K takes
 * the helper's value if it has one). Logs FILE:LINE on a bad line. */
int environ_read_file(const char *path, char ***env);
/* Sets K=V in env, replacing an existing K. */
int environ_set(char ***env, const char *assignment);
