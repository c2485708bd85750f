/* SPDX-License-Identifier: MIT */
#include "user.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>

#include "inroot.h"
#include "log.h"
#include "util.h"

static bool parse_id(const char *s, unsigned *ret) {
        char *end;
        unsigned long v;

        if (isempty(s) || s[0] < '0' || s[0] > '9')
                return false;
        errno = 0;
        v = strtoul(s, &end, 10);
        /* (uid_t) -1 means "unchanged" to setresuid(): never a valid id. */
        if (errno != 0 || *end != '\0' || v >= UINT32_MAX)
                return false;
        *ret = (unsigned) v;
        return true;
}

/* A missing passwd or group file is not an error: a root without one can still run as a
 * number. Anything else (a directory, EACCES) is. */
static int open_db(int rootfd, const char *path, FILE **ret) {
        int fd = inroot_open(rootfd, path, O_RDONLY | O_NOCTTY);
        FILE *f;

        *ret = NULL;
        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return log_errno(fd, "user: open %s in the root: %m", path);
        f = fdopen(fd, "re");
        if (!f) {
                close(fd);
                return log_errno(-ENOMEM, "user: %m");
        }
        *ret = f;
        return 0;
}

static int find_passwd(int rootfd, const char *user, struct exec_user *u) {
        _cleanup_fclose_ FILE *f = NULL;
        unsigned id = 0;
        bool numeric = parse_id(user, &id);
        struct passwd *pw;
        int r;

        r = open_db(rootfd, "/etc/passwd", &f);
        if (r < 0)
                return r;
        while (f && (errno = 0, pw = fgetpwent(f))) {
                if (numeric ? pw->pw_uid != id : !streq(pw->pw_name, user))
                        continue;
                u->uid = pw->pw_uid;
                u->gid = pw->pw_gid;
                u->name = strdup(pw->pw_name);
                u->home = strdup(isempty(pw->pw_dir) ? "/" : pw->pw_dir);
                if (!u->name || !u->home)
                        return log_errno(-ENOMEM, "user: %m");
                return 0;
        }
        if (!numeric)
                return log_errno(-ESRCH, "user %s: no such user in the container's /etc/passwd", user);
        /* docker run --user 1234 without a passwd entry: gid 0, home "/". */
        u->uid = id;
        u->gid = 0;
        u->home = strdup("/");
        return u->home ? 0 : log_errno(-ENOMEM, "user: %m");
}

static int add_group(struct exec_user *u, gid_t gid) {
        gid_t *g;

        for (size_t i = 0; i < u->n_groups; i++)
                if (u->groups[i] == gid)
                        return 0;
        g = realloc(u->groups, sizeof(gid_t) * (u->n_groups + 1));
        if (!g)
                return log_errno(-ENOMEM, "user: %m");
        g[u->n_groups++] = gid;
        u->groups = g;
        return 0;
}

static int find_groups(int rootfd, const char *group, struct exec_user *u) {
        _cleanup_fclose_ FILE *f = NULL;
        unsigned id = 0;
        bool numeric = group && parse_id(group, &id);
        bool found = !group || numeric;
        struct group *gr;
        int r;

        if (numeric)
                u->gid = id;
        r = open_db(rootfd, "/etc/group", &f);
        if (r < 0)
                return r;
        while (f && (errno = 0, gr = fgetgrent(f))) {
                if (group && !numeric && streq(gr->gr_name, group)) {
                        u->gid = gr->gr_gid;
                        found = true;
                }
                if (u->name && strv_contains(gr->gr_mem, u->name)) {
                        r = add_group(u, gr->gr_gid);
                        if (r < 0)
                                return r;
                }
        }
        if (!found)
                return log_errno(-ESRCH, "group %s: no such group in the container's /etc/group", group);
        return 0;
}

int user_resolve(int rootfd, const char *user, const char *group, struct exec_user *ret) {
        struct exec_user u = {};
        int r;

        r = find_passwd(rootfd, user ?: "0", &u);
        if (r >= 0)
                r = find_groups(rootfd, group, &u);
        if (r < 0) {
                user_done(&u);
                return r;
        }
        *ret = u;
        return 0;
}

void user_done(struct exec_user *u) {
        free(u->groups);
        free(u->name);
        free(u->home);
        *u = (struct exec_user) {};
}
