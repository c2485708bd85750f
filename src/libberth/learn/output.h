/* SPDX-License-Identifier: MIT */
#pragma once

/* What berth learn writes: the drop-in NAME.container.d/50-learned.conf and the seccomp
 * allow-list beside it (a Docker/OCI JSON profile), and the report table. Pure text. */

#include <stdint.h>
#include <stdio.h>

#include "learn/classify.h"

/* What PID 1 and the payload may need at the end of their lives, which a short traced run
 * may not show (signal forwarding, reaping, exit): every learned profile allows these.
 * NULL-terminated. */
extern const char *const learn_base_syscalls[];

/* The allow-list profile: default action errno EPERM, the given calls allowed, for the
 * libseccomp architecture names given (e.g. "SCMP_ARCH_X86_64"). Names must be system call
 * names ([a-z0-9_]); -EINVAL otherwise. *ret is malloc'ed. */
int learn_profile_json(char *const *syscalls, char *const *arches, char **ret);

/* The drop-in: DropCapability=ALL, one AddCapability= per kept capability under a comment
 * naming the system calls that needed it (from res; "pruned loop only" when res has none),
 * SeccompProfile=profile_path (omitted when NULL). *ret is malloc'ed. */
int learn_dropin_text(const char *name, uint64_t kept, const struct learn_result *res, const char *profile_path,
                      const char *check, char **ret);

/* The report: one row per capability that was a candidate, was noise, or is in the current
 * description: capability, needed by, kept|pruned|noise|-, and the change against current. */
void learn_report(FILE *f, uint64_t candidates, uint64_t kept, uint64_t current, const struct learn_result *res);
