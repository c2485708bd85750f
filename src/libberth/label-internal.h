/* SPDX-License-Identifier: MIT */
#pragma once

/* The pieces label.c is built from, exposed for the unit tests:
 *   label-mcs.c      MCS pair reservations under runtime_dir (plain files, no libselinux)
 *   label-context.c  composing contexts with libselinux's context API (no kernel needed) */

#include <stdbool.h>
#include <sys/types.h>

#include "label.h"

/* A level in the kernel's form (s0:c1,c2) rather than a name for mcstransd (TopSecret). */
bool label_level_is_raw(const char *level);

/* Docker, podman and the MCS policies all draw categories from c0..c1023. */
#define MCS_CATEGORIES 1024u

/* The record's directory name for a container: its name, or ".anon-PID" (names never start
 * with '.', so it cannot collide with one). malloc'ed. */
char *mcs_record_name(const char *container_name);
/* Takes the allocation lock (runtime_dir/.mcs.lock, created with runtime_dir if missing);
 * returns the locked fd, released by closing it. */
int mcs_lock(const char *runtime_dir);
/* Reads runtime_dir/NAME/mcs ("LEVEL PID"). -ENOENT when there is none. */
int mcs_record_read(const char *runtime_dir, const char *name, char **ret_level, pid_t *ret_pid);
/* Writes runtime_dir/NAME/mcs naming holder: the reservation lasts while that process lives
 * (or until mcs_release()). */
int mcs_record_write(const char *runtime_dir, const char *name, const char *level, pid_t holder);
/* Under the lock: passes our record of NAME on to holder (fails if it is not ours). */
int mcs_hand_over(const char *runtime_dir, const char *name, pid_t holder);
/* -EBUSY (logged) when a live process other than the caller holds NAME's record. */
int mcs_check_name_free(const char *runtime_dir, const char *name);
/* The level of running container NAME: -ENOENT without a record, -ESRCH if it is gone. */
int mcs_live_level(const char *runtime_dir, const char *name, char **ret);
/* The levels recorded by live holders. Records of dead processes are stale: skipped and
 * removed (with the directory of an unnamed container). Call with the lock held. */
int mcs_levels_in_use(const char *runtime_dir, char ***ret);
/* A random "SENS:cX,cY" with X<Y<n_categories, not in used; -EBUSY when all are used. */
int mcs_pick(const char *sensitivity, unsigned n_categories, char *const *used, char **ret);
/* Under the lock: fails if NAME is held by another live process, then records level, or
 * when level is NULL a fresh pair "SENSITIVITY:cX,cY" (X<Y<n_categories) not in use,
 * returned in *ret_level. */
int mcs_reserve(const char *runtime_dir, const char *name, const char *level, const char *sensitivity,
                unsigned n_categories, char **ret_level);
/* Removes NAME's record if the caller holds it or its holder is gone. Takes the lock. */
void mcs_release(const char *runtime_dir, const char *name);

#if HAVE_SELINUX
/* The policy's container contexts: process and file. */
struct label_bases {
        char *process;
        char *file;
};
void label_bases_done(struct label_bases *b);
/* Reads `process = "CTX"` / `file = "CTX"` from an lxc_contexts file; a missing path or file
 * gives system_u:system_r:container_t:s0 / system_u:object_r:container_file_t:s0. */
int label_bases_load(const char *lxc_contexts_path, struct label_bases *ret);
/* level in raw form (TopSecret -> s3 through libselinux's translation, when mcstransd runs;
 * a level that does not translate comes back unchanged). */
int label_level_to_raw(const char *base_process, const char *level, char **ret);
/* base with each non-NULL field replaced. */
int label_context_compose(const char *base, const char *user, const char *role, const char *type, const char *range,
                          char **ret);
/* The process label (user/role/type/raw_level applied) and the file label (filetype and the
 * low end of raw_level applied). Not checked against a policy. */
int label_compose_pair(const struct label_bases *b, const struct berth_label *l, const char *raw_level,
                       char **ret_process, char **ret_file);
/* The sensitivity of a context's level (s0 of ...:s0-s3:c0.c127). malloc'ed. */
char *label_context_sensitivity(const char *context);
#endif
