/* SPDX-License-Identifier: MIT */
/* The generator's loop (SPEC §4): every description of the catalog read and built, then
 * checked against each other (unit-checks.c), then written: a unit for each good one, a
 * placeholder that fails with the reason for each refused one. Atomic writes. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include "unit-checks.h"
#include "unit.h"

/* Where units go. closing is set when the dir is on tmpfs: there write() reports every error
 * (no space, no memory) and close() has nothing left to report, so new files are closed
 * in batches with what was read. */
struct output {
        int fd;
        const char *path;
        struct fd_batch *closing;
        bool no_replace; /* the generator: what is there is another generator's, never replaced */
};

static int close_written(const struct output *o, int fd) {
        if (o->closing) {
                fd_batch_close(o->closing, fd);
                return 0;
        }
        return close(fd) < 0 ? negative_errno() : 0;
}

/* Writes data to dir/name. systemd hands a generator empty directories and reads them only
 * after it exited, so a new file is written in place (O_EXCL: nothing is overwritten, and
 * a failed write removes it); that is 3 syscalls a unit instead of 5. A file already there
 * (berth generate into a populated dir, a second run) is replaced through a temporary file
 * and rename(), so a reader never sees half a unit. */
static int write_file_atomic(const struct output *o, const char *name, const char *data) {
        char tmp[300];
        const char *created = name;
        size_t len = strlen(data);
        int fd, r;

        fd = openat(o->fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0 && errno == EEXIST && !o->no_replace) {
                snprintf(tmp, sizeof(tmp), ".#%.200s.%d", name, (int) getpid());
                created = tmp;
                fd = openat(o->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
                if (fd < 0 && errno == EEXIST) { /* left over by a killed run with our pid */
                        (void) unlinkat(o->fd, tmp, 0);
                        fd = openat(o->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
                }
        }
        if (fd < 0)
                return log_errno(negative_errno(), "%s/%s: cannot create: %m", o->path, created);
        r = loop_write(fd, data, len);
        if (r < 0)
                close(fd);
        else if (created != name) { /* rename() only what is complete */
                if (close(fd) < 0 || renameat(o->fd, tmp, o->fd, name) < 0)
                        r = negative_errno();
        } else
                r = close_written(o, fd);
        if (r < 0) {
                (void) unlinkat(o->fd, created, 0);
                return log_errno(r, "%s/%s: cannot write: %m", o->path, name);
        }
        return 0;
}

/* symlinkat() is atomic by itself; an existing link (a second run into the same dir) is
 * replaced through a temporary name and rename(). */
static int symlink_atomic(const struct output *o, const char *path, const char *target) {
        int dirfd = o->fd;
        const char *dir = o->path;
        char tmp[600];
        const char *slash = strrchr(path, '/');

        if (symlinkat(target, dirfd, path) == 0)
                return 0;
        if (errno == ENOENT && slash) {
                _cleanup_free_ char *sub = strndup(path, (size_t) (slash - path));
                if (!sub)
                        return -ENOMEM;
                if (mkdirat(dirfd, sub, 0755) < 0 && errno != EEXIST)
                        return log_errno(negative_errno(), "%s/%s: cannot create: %m", dir, sub);
                if (symlinkat(target, dirfd, path) == 0)
                        return 0;
        }
        if (errno != EEXIST || o->no_replace)
                return log_errno(negative_errno(), "%s/%s: cannot create symlink: %m", dir, path);
        if (slash)
                snprintf(tmp, sizeof(tmp), "%.*s/.#%.200s.%d", (int) (slash - path), path, slash + 1, (int) getpid());
        else
                snprintf(tmp, sizeof(tmp), ".#%.200s.%d", path, (int) getpid());
        (void) unlinkat(dirfd, tmp, 0);
        if (symlinkat(target, dirfd, tmp) < 0)
                return log_errno(negative_errno(), "%s/%s: cannot create symlink: %m", dir, path);
        if (renameat(dirfd, tmp, dirfd, path) < 0) {
                int r = negative_errno();
                (void) unlinkat(dirfd, tmp, 0);
                return log_errno(r, "%s/%s: cannot create symlink: %m", dir, path);
        }
        return 0;
}

static int unit_write_at(const struct berth_unit *u, const struct output *o) {
        int r = write_file_atomic(o, u->name, u->text);
        for (size_t i = 0; r >= 0 && i < u->n_links; i++)
                r = symlink_atomic(o, u->links[i].path, u->links[i].target);
        return r;
}

int unit_write(const struct berth_unit *u, const char *dir) {
        _cleanup_close_ int dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (dirfd < 0)
                return log_errno(negative_errno(), "%s: cannot open output directory: %m", dir);
        return unit_write_at(u, &(struct output){.fd = dirfd, .path = dir});
}

int unit_print(const struct berth_unit *u, FILE *f) {
        fprintf(f, "# %s\n%s", u->name, u->text);
        for (size_t i = 0; i < u->n_links; i++)
                fprintf(f, "# symlink %s -> %s\n", u->links[i].path, u->links[i].target);
        fputc('\n', f);
        return ferror(f) ? -EIO : 0;
}

void gen_items_free(struct gen_item *items, size_t n) {
        for (size_t i = 0; items && i < n; i++) {
                free(items[i].name);
                free(items[i].unit_name);
                unit_done(&items[i].unit);
        }
        free(items);
}

/* Reads and builds one description; its errors are logged (the first kept as the reason). */
static int gen_item_build(struct berth_catalog *c, struct gen_item *it, const char *exec_path) {
        _cleanup_(description_done) struct berth_description d = {};
        enum log_level saved = it->quiet ? log_set_max_level(0) : 0;
        int r;

        log_capture_first_error(it->reason, sizeof(it->reason));
        r = description_load(c, it->src, &d);
        if (r >= 0)
                r = unit_build(&d, exec_path, &it->unit);
        log_capture_first_error(NULL, 0);
        if (it->quiet)
                log_set_max_level(saved);
        if (r == -ENOMEM)
                return log_errno(r, "out of memory");
        it->built = r >= 0;
        it->failed = r < 0;
        return 0;
}

int generate_check_all(struct berth_catalog *c, const bool *quiet, bool say_skipped, const int *dir_fds,
                       char *const *dirs, struct gen_item **ret) {
        const char *exec_path = unit_exec_path();
        struct gen_item *items = calloc(c->n_units ? c->n_units : 1, sizeof(*items));
        int r = 0;

        if (!items)
                return log_errno(-ENOMEM, "out of memory");
        /* 1: read and build each description, in order */
        catalog_prefetch_start(c);
        for (size_t i = 0; i < c->n_units && r >= 0; i++) {
                struct gen_item *it = &items[i];

                catalog_prefetch_wait(c, i);
                it->src = &c->units[i];
                it->path = c->units[i].path;
                it->quiet = quiet && quiet[i];
                it->name = description_name_from_filename(c->units[i].name);
                it->unit_name = it->name ? strjoin(it->name, ".service") : NULL;
                if (it->name && !it->unit_name) {
                        r = log_errno(-ENOMEM, "out of memory");
                        break;
                }
                if (c->units[i].masked) {
                        it->masked = true;
                        continue;
                }
                r = gen_item_build(c, it, exec_path);
                if (r >= 0 && it->failed && say_skipped) {
                        log_error("%s: has errors, no unit written for it", it->path);
                        it->reported = true;
                }
        }
        /* 2: what only all of them together tell */
        if (r >= 0)
                units_check_together(items, c->n_units, dir_fds, dirs);
        if (r < 0) {
                gen_items_free(items, c->n_units);
                return r;
        }
        *ret = items;
        return 0;
}

static int write_placeholder(const struct gen_item *it, const struct output *o) {
        _cleanup_free_ char *text = unit_placeholder_text(it);
        if (!text)
                return log_errno(-ENOMEM, "out of memory");
        return write_file_atomic(o, it->unit_name, text);
}

int generate_all_dirs(struct berth_catalog *c, const char *output_dir, char *const *other_dirs, FILE *dry_run,
                      unsigned *ret_failed) {
        _cleanup_close_ int output_fd = -1;
        struct output o = {.path = output_dir};
        _cleanup_strv_free_ char **check_dirs = NULL;
        _cleanup_free_ int *check_fds = NULL;
        struct gen_item *items = NULL;
        unsigned failed = 0;
        int r = 0;

        if (output_dir) {
                struct statfs sfs;
                output_fd = open(output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (output_fd < 0)
                        return log_errno(negative_errno(), "%s: cannot open output directory: %m", output_dir);
                o.fd = output_fd;
                /* the same batch as the files read: their fds alternate, and one run of
                 * consecutive numbers is one close_range() */
                if (fstatfs(output_fd, &sfs) == 0 && sfs.f_type == TMPFS_MAGIC)
                        o.closing = &c->closing;
        }
        /* the dirs systemd gave us hold other generators' units, whose names ours must not take */
        if (output_dir && other_dirs) {
                r = strv_extend(&check_dirs, output_dir);
                STRV_FOREACH(d, other_dirs)
                        if (r >= 0)
                                r = strv_extend(&check_dirs, *d);
                check_fds = calloc(strv_length(check_dirs) + 1, sizeof(int));
                if (r < 0 || !check_fds)
                        return log_errno(-ENOMEM, "out of memory");
                for (size_t i = 0; check_dirs[i]; i++)
                        check_fds[i] = i == 0 ? output_fd : open(check_dirs[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
        r = generate_check_all(c, NULL, true, check_fds, check_dirs, &items);

        /* 3: write, in order: a unit for each good description, a placeholder for each
         * refused one (when writing into a dir), so that systemctl status NAME says why */
        for (size_t i = 0; r >= 0 && i < c->n_units; i++) {
                struct gen_item *it = &items[i];
                int q = 0;

                if (it->masked) {
                        log_debug("%s: masked, skipped", it->path);
                        continue;
                }
                if (!it->failed)
                        q = output_dir ? unit_write_at(&it->unit, &o) : unit_print(&it->unit, dry_run);
                if (q == -ENOMEM) {
                        r = q;
                        break;
                }
                if (q < 0 || it->failed) {
                        failed++;
                        if (!it->reported)
                                log_error("%s: has errors, no unit written for it", it->path);
                }
                if (it->failed && output_dir && it->unit_name && !it->name_taken &&
                    write_placeholder(it, &o) == -ENOMEM)
                        r = -ENOMEM;
        }

        for (size_t i = 1; check_fds && check_dirs[i]; i++)
                if (check_fds[i] >= 0)
                        close(check_fds[i]);
        gen_items_free(items, c->n_units);
        *ret_failed = failed;
        return r;
}

int generate_all(struct berth_catalog *c, const char *output_dir, FILE *dry_run, unsigned *ret_failed) {
        return generate_all_dirs(c, output_dir, NULL, dry_run, ret_failed);
}

/* berth.conf (or what every description depends on) is broken: no description is generated,
 * and each says so in its placeholder. */
static void write_placeholders_for_all(const struct berth_catalog *c, const char *output_dir, const char *reason) {
        _cleanup_close_ int fd = open(output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct output o = {.fd = fd, .path = output_dir};

        if (fd < 0)
                return;
        for (size_t i = 0; i < c->n_units; i++) {
                struct gen_item it = {.src = &c->units[i], .path = c->units[i].path};
                if (c->units[i].masked || !(it.name = description_name_from_filename(c->units[i].name)))
                        continue;
                it.unit_name = strjoin(it.name, ".service");
                snprintf(it.reason, sizeof(it.reason), "%s", reason);
                if (it.unit_name)
                        (void) write_placeholder(&it, &o);
                free(it.name);
                free(it.unit_name);
        }
}

int generate_from_search_path_dirs(const char *output_dir, char *const *other_dirs, FILE *dry_run) {
        char reason[1024];
        _cleanup_strv_free_ char **dirs = NULL;
        struct berth_catalog catalog = {};
        unsigned failed = 0;
        int r;

        r = description_search_path(&dirs);
        if (r < 0) {
                log_errno(r, "cannot build the search path: %m");
                return 1;
        }
        log_capture_first_error(reason, sizeof(reason));
        r = catalog_load(dirs, &catalog);
        log_capture_first_error(NULL, 0);
        if (r < 0) {
                log_error("the configuration has errors (berth.conf, berth.conf.d/ or a search directory): no unit "
                          "generated");
                if (output_dir && r != -ENOMEM)
                        write_placeholders_for_all(&catalog, output_dir, reason);
                catalog_done(&catalog);
                return 1;
        }
        r = generate_all_dirs(&catalog, output_dir, other_dirs, dry_run, &failed);
        catalog_done(&catalog);
        if (dry_run && fflush(dry_run) != 0 && r >= 0)
                r = log_errno(-EIO, "cannot write to stdout");
        if (r < 0) {
                log_errno(r, "giving up: %m");
                return 1;
        }
        return failed > 0 ? 1 : 0;
}

int generate_from_search_path(const char *output_dir, FILE *dry_run) {
        return generate_from_search_path_dirs(output_dir, NULL, dry_run);
}
