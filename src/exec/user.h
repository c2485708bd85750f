/* SPDX-License-Identifier: MIT */
#pragma once

/* --user U[:G], resolved from the container's own /etc/passwd and /etc/group (never the
 * host's): names, numbers, the primary group and the supplementary groups the user is a
 * member of, as `docker run --user` does. */

#include <stddef.h>
#include <sys/types.h>

struct exec_user {
        uid_t uid;
        gid_t gid;
        gid_t *groups; /* supplementary groups */
        size_t n_groups;
        char *name; /* NULL when the uid has no passwd entry */
        char *home; /* "/" when the uid has no passwd entry */
};

/* user/group: as given (NULL: root / the user's primary group). Logs "user NAME: reason". */
int user_resolve(int rootfd, const char *user, const char *group, struct exec_user *ret);
void user_done(struct exec_user *u);
