/* SPDX-License-Identifier: MIT */
/* berth verify, the settings only the container's root can confirm (beside the Exec= program,
 * which verify.c checks): User= and Group= names in the root's /etc/passwd and /etc/group (as
 * berth-exec resolves them), WorkingDirectory= a directory in the root (unless a Volume= or
 * Tmpfs= provides it), and the programs of HealthCmd= and ReloadCmd=. Paths are resolved
 * inside the root (RESOLVE_IN_ROOT), as the container will see them. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "description.h"
#include "inroot.h"
#include "verify-root.h"

static struct berth_loc loc_for(const struct berth_description *d, const char *key) {
        const struct berth_entry *e = entries_find_last(&d->container, "Container", key);
        return (struct berth_loc){.file = e ? e->file : d->path, .line = e ? e->line : 0, .key = key};
}

static bool is_number(const char *s) {
        if (isempty(s))
                return false;
        for (; *s; s++)
                if (*s < '0' || *s > '9')
                        return false;
        return true;
}

/* 1 when NAME is the first field of a line of the root's FILE, 0 when not, <0 on error. */
static int root_db_has(int root_fd, const char *file, const char *name) {
        _cleanup_close_ int fd = inroot_open(root_fd, file, O_RDONLY);
        _cleanup_free_ char *line = NULL;
        size_t size = 0, n = strlen(name);
        FILE *f;
        int found = 0;

        if (fd < 0)
                return fd;
        f = fdopen(fd, "r");
        if (!f)
                return negative_errno();
        fd = -1; /* the stream owns it */
        while (getline(&line, &size, f) > 0)
                if (strncmp(line, name, n) == 0 && line[n] == ':') {
                        found = 1;
                        break;
                }
        fclose(f);
        return found;
}

static int check_name(const struct berth_description *d, int root_fd, const char *key, const char *name,
                      const char *file) {
        struct berth_loc loc = loc_for(d, key);
        int r;

        if (!name || is_number(name))
                return 0; /* numbers need no entry, as with docker run --user */
        r = root_db_has(root_fd, file, name);
        if (r == -ENOSYS)
                return 0;
        if (r < 0)
                return log_syntax(&loc, r, "'%s' cannot be looked up: %s in %s: %m", name, file, d->spec.rootfs);
        if (r == 0)
                return log_syntax(&loc, -ENOENT, "no %s named '%s' in %s%s", streq(key, "User") ? "user" : "group",
                                  name, d->spec.rootfs, file);
        return 0;
}

/* path is target or below it */
static bool path_is_below(const char *path, const char *target) {
        size_t n = strlen(target);
        return strncmp(path, target, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

static bool provided_by_mount(const struct berth_spec *s, const char *path) {
        for (size_t i = 0; i < s->n_volumes; i++)
                if (path_is_below(path, s->volumes[i].target))
                        return true;
        for (size_t i = 0; i < s->n_tmpfs; i++)
                if (path_is_below(path, s->tmpfs[i].target))
                        return true;
        return false;
}

static int check_workdir(const struct berth_description *d, int root_fd) {
        const struct berth_spec *s = &d->spec;
        struct berth_loc loc = loc_for(d, "WorkingDirectory");
        _cleanup_close_ int fd = -1;

        if (!s->workdir || provided_by_mount(s, s->workdir))
                return 0;
        fd = inroot_open(root_fd, s->workdir, O_PATH | O_DIRECTORY);
        if (fd == -ENOSYS)
                return 0;
        if (fd < 0)
                return log_syntax(&loc, fd, "'%s' is not a directory in %s: %m", s->workdir, s->rootfs);
        return 0;
}

static bool executable_in_root(int root_fd, const char *path) {
        _cleanup_close_ int fd = inroot_open(root_fd, path, O_PATH);
        struct stat st;
        return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* The first word of a HealthCmd=/ReloadCmd= line, found as berth-exec will look for it. */
static int check_command(const struct berth_description *d, int root_fd, const char *key, const char *line) {
        static const char default_path[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        struct berth_loc loc = loc_for(d, key);
        _cleanup_strv_free_ char **argv = NULL;
        const char *path = default_path;
        _cleanup_close_ int probe = -1;

        if (!line || split_quoted(line, &argv) < 0 || !argv || !argv[0])
                return 0; /* the setter checked the syntax */
        probe = inroot_open(root_fd, "/", O_PATH);
        if (probe == -ENOSYS)
                return 0;
        if (path_is_absolute(argv[0])) {
                if (!executable_in_root(root_fd, argv[0]))
                        return log_syntax(&loc, -ENOENT, "'%s' is not an executable file in %s", argv[0], d->spec.rootfs);
                return 0;
        }
        STRV_FOREACH(e, d->spec.env)
                if (startswith(*e, "PATH="))
                        path = *e + strlen("PATH=");
        for (const char *p = path; *p;) {
                size_t n = strcspn(p, ":");
                _cleanup_free_ char *candidate = NULL;
                if (xasprintf(&candidate, "%.*s/%s", (int) n, p, argv[0]) < 0)
                        return log_errno(-ENOMEM, "out of memory");
                p += n + (p[n] == ':');
                if (executable_in_root(root_fd, candidate))
                        return 0;
        }
        return log_syntax(&loc, -ENOENT, "'%s' not found as an executable in %s (PATH=%s)", argv[0], d->spec.rootfs,
                          path);
}

int verify_root_settings(const struct berth_description *d, int root_fd) {
        const struct berth_spec *s = &d->spec;
        int ret = 0, r;

        if ((r = check_name(d, root_fd, "User", s->user, "/etc/passwd")) < 0)
                ret = r;
        if ((r = check_name(d, root_fd, "Group", s->group, "/etc/group")) < 0)
                ret = r;
        if ((r = check_workdir(d, root_fd)) < 0)
                ret = r;
        if ((r = check_command(d, root_fd, "HealthCmd", s->health_cmd)) < 0)
                ret = r;
        if ((r = check_command(d, root_fd, "ReloadCmd", s->reload_cmd)) < 0)
                ret = r;
        return ret;
}
