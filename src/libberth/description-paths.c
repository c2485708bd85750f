/* SPDX-License-Identifier: MIT */
/* Where descriptions live (SPEC §2): the search path, masking, drop-ins and berth.conf
 * (reading one description with its drop-ins: description-load.c).
 * Each search dir (and each *.d dir in it) is read once into sorted arrays, so finding a
 * description or its drop-ins is a binary search: 1000 descriptions cost no more than
 * reading them. */
#include "description.h"
#include "description-internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

struct source_list {
        struct berth_source *items;
        size_t n, allocated;
};

static void source_free(struct berth_source *s) {
        free(s->name);
        free(s->owner);
        free(s->path);
        if (s->prefetched)
                free(s->prefetched->data);
        free(s->prefetched);
        entries_done(&s->entries);
}

/* Room for one more item, growing geometrically. */
static int source_list_reserve(struct source_list *l) {
        if (l->n == l->allocated) {
                size_t n = l->allocated ? l->allocated * 2 : 64;
                struct berth_source *p = realloc(l->items, n * sizeof(*p));
                if (!p)
                        return -ENOMEM;
                l->items = p;
                l->allocated = n;
        }
        return 0;
}

static int source_list_add(struct source_list *l, const char *dir, const char *owner, const char *name,
                           unsigned priority, bool masked) {
        struct berth_source s = {.priority = priority, .masked = masked};

        if (source_list_reserve(l) < 0)
                return -ENOMEM;
        s.name = strdup(name);
        s.owner = owner ? strdup(owner) : NULL;
        s.path = owner && *name ? strjoin(dir, "/", owner, "/", name)
                 : owner        ? strjoin(dir, "/", owner)
                                : strjoin(dir, "/", name);
        if (!s.name || (owner && !s.owner) || !s.path) {
                source_free(&s);
                return -ENOMEM;
        }
        s.relative = s.path + strlen(dir) + 1;
        l->items[l->n++] = s;
        return 0;
}

/* A source that exists but cannot be used: whoever needs it fails, saying why. */
static int source_list_add_error(struct source_list *l, const char *dir, const char *owner, const char *name,
                                 unsigned priority, int error, const char *what) {
        int r = source_list_add(l, dir, owner, name, priority, false);
        if (r < 0)
                return r;
        l->items[l->n - 1].error = error;
        l->items[l->n - 1].error_what = what;
        return 0;
}

int description_search_path(char ***ret) {
        const char *env = getenv("BERTH_UNIT_PATH");
        const char *path = env ? env : BERTH_DEFAULT_UNIT_PATH;
        _cleanup_strv_free_ char **dirs = NULL;
        int r;

        for (const char *p = path; *p;) {
                size_t n = strcspn(p, ":");
                _cleanup_free_ char *d = strndup(p, n);
                if (!d)
                        return -ENOMEM;
                p += n;
                if (*p == ':')
                        p++;
                if (isempty(d))
                        continue;
                if (!path_is_absolute(d)) {
                        log_warning("BERTH_UNIT_PATH: ignoring relative directory '%s'", d);
                        continue;
                }
                if (strv_contains(dirs, d))
                        continue;
                r = strv_push(&dirs, TAKE_PTR(d));
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(dirs);
        return 0;
}

/* readdir() without what opendir() adds: glibc's fdopendir() makes an fstat() and an fcntl()
 * per directory, and every description has its own drop-in dir. With getdents64() directly a
 * directory costs openat, getdents64 (a second call to see the end) and close. */
struct dir_iter {
        int fd;
        size_t pos, len;
        _Alignas(struct dirent64) char buf[16384];
};

static void dir_iter_init(struct dir_iter *it, int fd) {
        it->fd = fd;
        it->pos = it->len = 0;
}

/* 1 with *ret the next entry, 0 at the end. A read error ends the listing, as with readdir(). */
static int dir_iter_next(struct dir_iter *it, const struct dirent64 **ret) {
        while (it->pos >= it->len) {
                ssize_t n = getdents64(it->fd, it->buf, sizeof(it->buf));
                if (n <= 0)
                        return 0;
                it->pos = 0;
                it->len = (size_t) n;
        }
        *ret = (const struct dirent64 *) (it->buf + it->pos);
        it->pos += (*ret)->d_reclen;
        return 1;
}

/* What an entry of a search dir is, following symlinks. masked: /dev/null, systemd's mask. */
static int classify(int dirfd, const struct dirent64 *de, bool *is_file, bool *is_dir, bool *masked) {
        struct stat st;

        *is_file = *is_dir = *masked = false;
        if (de->d_type == DT_REG) {
                *is_file = true;
                return 0;
        }
        if (de->d_type == DT_DIR) {
                *is_dir = true;
                return 0;
        }
        if (fstatat(dirfd, de->d_name, &st, 0) < 0)
                return negative_errno();
        *is_file = S_ISREG(st.st_mode);
        *is_dir = S_ISDIR(st.st_mode);
        *masked = S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
        return 0;
}

/* The scan of the search dirs, in the order it happens: the drop-in dirs to list and the
 * warnings to log. Listing a drop-in dir is three syscalls and every description has one,
 * so two threads share the listing; the warnings are logged afterwards, in this order,
 * which is the order they would have had one by one. */
struct scan_step {
        const char *dir;  /* the search dir */
        char *owner;      /* a drop-in dir in it to list, or NULL */
        int dir_fd;
        unsigned priority;
        char **warnings;  /* to log, in this step's place */
};

struct scan_plan {
        struct scan_step *steps;
        size_t n, allocated;
        struct source_list dropins_found; /* drop-in dirs that cannot be stat'ed */
};

static void scan_plan_done(struct scan_plan *p) {
        for (size_t i = 0; i < p->n; i++) {
                free(p->steps[i].owner);
                strv_free(p->steps[i].warnings);
        }
        free(p->steps);
        for (size_t i = 0; i < p->dropins_found.n; i++)
                source_free(&p->dropins_found.items[i]);
        free(p->dropins_found.items);
        *p = (struct scan_plan){};
}

static struct scan_step *scan_plan_add(struct scan_plan *p, const char *dir, const char *owner, int dir_fd,
                                       unsigned priority) {
        struct scan_step *st;

        if (p->n == p->allocated) {
                size_t cap = p->allocated ? p->allocated * 2 : 64;
                st = realloc(p->steps, cap * sizeof(*st));
                if (!st)
                        return NULL;
                p->steps = st;
                p->allocated = cap;
        }
        st = &p->steps[p->n];
        *st = (struct scan_step){.dir = dir, .dir_fd = dir_fd, .priority = priority};
        if (owner && !(st->owner = strdup(owner)))
                return NULL;
        p->n++;
        return st;
}

_printf_(2, 0) static int scan_vwarn(struct scan_step *st, const char *fmt, va_list ap) {
        char *m;

        if (vasprintf(&m, fmt, ap) < 0)
                return -ENOMEM;
        return strv_push(&st->warnings, m);
}

_printf_(2, 3) static int scan_warn(struct scan_step *st, const char *fmt, ...) {
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = scan_vwarn(st, fmt, ap);
        va_end(ap);
        return r;
}

/* A warning in the plan's order, as a step of its own. */
_printf_(2, 3) static int scan_plan_warn(struct scan_plan *p, const char *fmt, ...) {
        struct scan_step *st = scan_plan_add(p, NULL, NULL, -1, 0);
        va_list ap;
        int r;

        if (!st)
                return -ENOMEM;
        va_start(ap, fmt);
        r = scan_vwarn(st, fmt, ap);
        va_end(ap);
        return r;
}

static void scan_plan_log(const struct scan_plan *p) {
        for (size_t i = 0; i < p->n; i++)
                STRV_FOREACH(w, p->steps[i].warnings)
                        log_warning("%s", *w);
}

static int scan_dropin_dir(struct scan_step *st, struct source_list *dropins, struct fd_batch *closing) {
        int fd = openat(st->dir_fd, st->owner, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        struct dir_iter it; /* not "= {}": zeroing the buffer would cost more than the listing */
        const struct dirent64 *de;
        int r = 0;

        /* A drop-in dir that cannot be read may hold a stricter setting: every description it
         * applies to fails (a "" entry sorts before its files), rather than run without it. */
        if (fd < 0)
                return source_list_add_error(dropins, st->dir, st->owner, "", st->priority, negative_errno(),
                                             "cannot open the drop-in directory");
        dir_iter_init(&it, fd);
        while (r >= 0 && dir_iter_next(&it, &de) > 0) {
                bool is_file, is_dir, masked;
                if (de->d_name[0] == '.' || !endswith(de->d_name, DROPIN_SUFFIX))
                        continue;
                int q = classify(fd, de, &is_file, &is_dir, &masked);
                if (q == -ENOENT) /* a dangling symlink: no file to read, as for systemd */
                        r = scan_warn(st, "%s/%s/%s: cannot stat, ignoring: %s", st->dir, st->owner, de->d_name,
                                      strerror(-q));
                else if (q < 0)
                        r = source_list_add_error(dropins, st->dir, st->owner, de->d_name, st->priority, q,
                                                  "cannot stat");
                else if (is_file || masked)
                        r = source_list_add(dropins, st->dir, st->owner, de->d_name, st->priority, masked);
                else if (!is_dir)
                        r = source_list_add_error(dropins, st->dir, st->owner, de->d_name, st->priority, -EINVAL,
                                                  "not a regular file");
        }
        fd_batch_close(closing, fd);
        return r;
}

struct scan_run {
        struct scan_step *steps;
        size_t n;
        struct source_list dropins;
        struct fd_batch closing;
        int result;
};

static void scan_run(struct scan_run *run) {
        run->result = 0;
        for (size_t i = 0; i < run->n && run->result >= 0; i++)
                if (run->steps[i].owner)
                        run->result = scan_dropin_dir(&run->steps[i], &run->dropins, &run->closing);
}

static void *scan_thread(void *userdata) {
        struct scan_run *run = userdata;
        scan_run(run);
        fd_batch_flush(&run->closing);
        return NULL;
}

static int source_list_take(struct source_list *to, struct source_list *from) {
        for (size_t i = 0; i < from->n; i++) {
                if (source_list_reserve(to) < 0)
                        return -ENOMEM;
                to->items[to->n++] = from->items[i];
                from->items[i] = (struct berth_source){};
        }
        return 0;
}

/* Lists the plan's drop-in dirs into dropins: the second half in a thread of its own when
 * there are enough of them to be worth one. Then logs the warnings, in order. */
static int scan_plan_run(struct scan_plan *plan, struct source_list *dropins, struct fd_batch *closing) {
        struct scan_run mine = {.steps = plan->steps, .n = plan->n, .dropins = *dropins, .closing = *closing};
        struct scan_run theirs = {};
        pthread_t thread;
        bool threaded = false;
        int r;

        if (plan->n >= 128) {
                theirs = (struct scan_run){.steps = plan->steps + plan->n / 2, .n = plan->n - plan->n / 2};
                threaded = pthread_create(&thread, NULL, scan_thread, &theirs) == 0;
                if (threaded)
                        mine.n = plan->n / 2;
        }
        scan_run(&mine);
        r = mine.result;
        if (threaded) {
                pthread_join(thread, NULL);
                if (r >= 0)
                        r = theirs.result;
                if (r >= 0)
                        r = source_list_take(&mine.dropins, &theirs.dropins);
                for (size_t i = 0; i < theirs.dropins.n; i++)
                        source_free(&theirs.dropins.items[i]);
                free(theirs.dropins.items);
        }
        *dropins = mine.dropins;
        *closing = mine.closing;
        scan_plan_log(plan);
        return r;
}

static bool is_dropin_dir_name(const char *name) {
        return streq(name, "container.d") || streq(name, "berth.conf.d") || endswith(name, CONTAINER_SUFFIX ".d");
}

/* Lists dir into units and confs, and its drop-in dirs into the plan; *ret_fd keeps it open
 * (-1 if it cannot be opened), so the files found are later opened relative to it. */
static int scan_search_dir(const char *dir, unsigned priority, struct source_list *units, struct source_list *confs,
                           struct scan_plan *plan, int *ret_fd) {
        _cleanup_free_ struct dir_iter *it = NULL;
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        const struct dirent64 *de;
        int r = 0;

        *ret_fd = -1;
        if (fd < 0) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return 0;
                /* what it holds (descriptions, drop-ins, berth.conf) cannot be known: going on
                 * without it could run a container with less than it asks for */
                r = log_errno(negative_errno(), "%s: cannot open search directory: %m", dir);
                return r == -ENOMEM ? -EIO : r;
        }
        it = malloc(sizeof(*it));
        if (!it)
                return -ENOMEM;
        dir_iter_init(it, fd);
        while (dir_iter_next(it, &de) > 0) {
                bool is_file, is_dir, masked;
                bool unit = endswith(de->d_name, CONTAINER_SUFFIX), conf = streq(de->d_name, "berth.conf");

                if (de->d_name[0] == '.' || !(unit || conf || is_dropin_dir_name(de->d_name)))
                        continue;
                int q = classify(fd, de, &is_file, &is_dir, &masked);
                if (q == -ENOENT) /* a dangling symlink: nothing there to read */
                        r = scan_plan_warn(plan, "%s/%s: cannot stat, ignoring: %s", dir, de->d_name, strerror(-q));
                else if (q < 0) {
                        int e = q;
                        if (unit || conf)
                                r = source_list_add_error(unit ? units : confs, dir, NULL, de->d_name, priority, e,
                                                          "cannot stat");
                        else /* a drop-in dir: its descriptions fail */
                                r = source_list_add_error(&plan->dropins_found, dir, de->d_name, "", priority, e,
                                                          "cannot stat the drop-in directory");
                } else if ((unit || conf) && (is_file || masked))
                        r = source_list_add(unit ? units : confs, dir, NULL, de->d_name, priority, masked);
                else if ((unit || conf) && !is_dir)
                        /* a FIFO or socket is never opened (that could block); saying so beats
                         * a description that silently does not exist */
                        r = source_list_add_error(unit ? units : confs, dir, NULL, de->d_name, priority, -EINVAL,
                                                  "not a regular file");
                else if (is_dir && is_dropin_dir_name(de->d_name))
                        r = scan_plan_add(plan, dir, de->d_name, fd, priority) ? 0 : -ENOMEM;
                if (r < 0)
                        return r;
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

static int compare_units(const void *a, const void *b) {
        const struct berth_source *x = a, *y = b;
        int c = strcmp(x->name, y->name);
        return c ? c : (x->priority > y->priority) - (x->priority < y->priority);
}

static int compare_dropins(const void *a, const void *b) {
        const struct berth_source *x = a, *y = b;
        int c = strcmp(x->owner, y->owner);
        return c ? c : compare_units(a, b);
}

/* Keeps the first (highest-priority) entry of each name; l is sorted by name then priority. */
static void keep_highest_priority(struct source_list *l) {
        size_t out = 0;
        for (size_t i = 0; i < l->n; i++) {
                if (out > 0 && streq(l->items[out - 1].name, l->items[i].name)) {
                        source_free(&l->items[i]);
                        continue;
                }
                l->items[out++] = l->items[i];
        }
        l->n = out;
}

/* The first drop-in of owner in the sorted array, or n. */
static size_t dropins_lower_bound(const struct berth_catalog *c, const char *owner) {
        size_t lo = 0, hi = c->n_dropins;
        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(c->dropins[mid].owner, owner) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo;
}

struct dropin_candidate {
        struct berth_source *src;
        unsigned specificity; /* container.d < NAME@.container.d < NAME.container.d */
};

static int compare_candidates(const void *a, const void *b) {
        const struct dropin_candidate *x = a, *y = b;
        int c = strcmp(x->src->name, y->src->name);
        if (c)
                return c;
        if (x->src->priority != y->src->priority)
                return x->src->priority < y->src->priority ? -1 : 1;
        return (x->specificity < y->specificity) - (x->specificity > y->specificity);
}

/* The drop-ins that apply to the owners (least specific first), merged by file name: for a
 * name present several times the highest-priority dir wins, then the most specific owner;
 * a masked one removes the name. Returns them (NULL-terminated) in lexical order of file name. */
int dropins_for(struct berth_catalog *c, char *const *owners, struct berth_source ***ret) {
        _cleanup_free_ struct dropin_candidate *cand = NULL;
        struct berth_source **result;
        size_t n = 0, allocated = 0, k = 0;
        unsigned spec = 0;

        STRV_FOREACH(o, owners) {
                for (size_t i = dropins_lower_bound(c, *o); i < c->n_dropins && streq(c->dropins[i].owner, *o); i++) {
                        if (n == allocated) {
                                allocated = allocated ? allocated * 2 : 16;
                                struct dropin_candidate *p = realloc(cand, allocated * sizeof(*p));
                                if (!p)
                                        return -ENOMEM;
                                cand = p;
                        }
                        cand[n++] = (struct dropin_candidate){&c->dropins[i], spec};
                }
                spec++;
        }
        if (n > 0)
                qsort(cand, n, sizeof(*cand), compare_candidates);
        result = calloc(n + 1, sizeof(*result));
        if (!result)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                if (i > 0 && streq(cand[i - 1].src->name, cand[i].src->name))
                        continue;
                if (!cand[i].src->masked)
                        result[k++] = cand[i].src;
        }
        *ret = result;
        return 0;
}

/* Parses src, opened relative to its search dir (by its whole path if that is not open). */
int source_read(struct berth_catalog *c, struct berth_source *src, struct berth_entries *entries) {
        int dir_fd = src->priority < c->n_dir_fds ? c->dir_fds[src->priority] : -1;
        int fd, r;

        if (src->error) {
                struct berth_loc loc = {.file = src->path};
                log_syntax(&loc, src->error, "%s: %m", src->error_what);
                return -EINVAL;
        }
        if (src->prefetched) {
                _cleanup_free_ struct ini_file *f = TAKE_PTR(src->prefetched);
                return ini_read_loaded(f, src->path, entries);
        }
        if (dir_fd < 0)
                return ini_read_file(src->path, entries);
        fd = openat(dir_fd, src->relative, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return log_errno(negative_errno(), "%s: cannot open: %m", src->path);
        r = ini_read_fd(fd, src->path, entries);
        fd_batch_close(&c->closing, fd);
        return r;
}

static int load_defaults(struct berth_catalog *c, struct source_list *confs) {
        _cleanup_strv_free_ char **files = NULL;
        char *owners[] = {(char *) "berth.conf.d", NULL};
        struct berth_spec scratch;
        int r, ret = 0;

        /* confs is sorted: the first berth.conf is the highest-priority one */
        if (confs->n > 0 && confs->items[0].error) {
                (void) source_read(c, &confs->items[0], &c->defaults);
                ret = -EINVAL;
        } else if (confs->n > 0 && !confs->items[0].masked) {
                r = strv_extend(&files, confs->items[0].path);
                if (r < 0)
                        return r;
        }
        _cleanup_free_ struct berth_source **dropins = NULL;
        r = dropins_for(c, owners, &dropins);
        if (r < 0)
                return r;
        for (size_t i = 0; dropins[i]; i++) {
                if (dropins[i]->error) { /* berth.conf.d cannot be read: no description is safe */
                        (void) source_read(c, dropins[i], &c->defaults);
                        ret = -EINVAL;
                        continue;
                }
                r = strv_extend(&files, dropins[i]->path);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(f, files) {
                r = ini_read_file(*f, &c->defaults);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        ret = -EINVAL;
        }
        /* Check them once here, so a broken default is reported once, not per description. */
        spec_init(&scratch);
        r = description_apply(&c->defaults, "Defaults", &scratch, NULL);
        /* A contradiction among the defaults themselves (Init=yes with PIDNamespace=host) is
         * berth.conf's: said once, about it, not once per description. The keys only a
         * description sets are filled in to leave just those rules. */
        if (r >= 0 && files && c->defaults.n > 0) {
                struct berth_loc loc = {.file = c->defaults.items[c->defaults.n - 1].file};
                if (!scratch.rootfs)
                        scratch.rootfs = strdup("/");
                if (!scratch.command)
                        (void) strv_extend(&scratch.command, "true");
                if (!scratch.rootfs || !scratch.command)
                        r = -ENOMEM;
                else if (spec_validate(&scratch, &loc) < 0)
                        r = -EINVAL;
        }
        spec_done(&scratch);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                ret = -EINVAL;
        c->default_files = TAKE_PTR(files);
        return ret;
}

int catalog_load(char *const *dirs, struct berth_catalog *ret) {
        struct source_list units = {}, dropins = {}, confs = {};
        struct scan_plan plan = {};
        struct berth_catalog c = {};
        unsigned priority = 0;
        int r = 0;

        c.dirs = strv_copy(dirs);
        c.dir_fds = calloc(strv_length(dirs) + 1, sizeof(int));
        if ((dirs && !c.dirs) || !c.dir_fds) {
                catalog_done(&c);
                return log_errno(-ENOMEM, "out of memory");
        }
        STRV_FOREACH(d, c.dirs) {
                r = scan_search_dir(*d, priority, &units, &confs, &plan, &c.dir_fds[priority]);
                c.n_dir_fds = ++priority;
                if (r < 0)
                        break;
        }
        if (r >= 0) {
                r = scan_plan_run(&plan, &dropins, &c.closing);
                if (r >= 0)
                        r = source_list_take(&dropins, &plan.dropins_found);
        } else
                scan_plan_log(&plan); /* what was found before running out of memory */
        scan_plan_done(&plan);
        if (r >= 0) {
                if (units.n)
                        qsort(units.items, units.n, sizeof(*units.items), compare_units);
                if (dropins.n)
                        qsort(dropins.items, dropins.n, sizeof(*dropins.items), compare_dropins);
                if (confs.n)
                        qsort(confs.items, confs.n, sizeof(*confs.items), compare_units);
                keep_highest_priority(&units);
        }
        c.units = units.items;
        c.n_units = units.n;
        c.dropins = dropins.items;
        c.n_dropins = dropins.n;
        if (r >= 0)
                r = load_defaults(&c, &confs);
        for (size_t i = 0; i < confs.n; i++)
                source_free(&confs.items[i]);
        free(confs.items);
        *ret = c;
        if (r == -ENOMEM)
                return log_errno(r, "out of memory");
        return r;
}

void catalog_done(struct berth_catalog *c) {
        catalog_prefetch_stop(c); /* before anything it reads is freed */
        for (size_t i = 0; i < c->n_units; i++)
                source_free(&c->units[i]);
        free(c->units);
        for (size_t i = 0; i < c->n_dropins; i++)
                source_free(&c->dropins[i]);
        free(c->dropins);
        fd_batch_flush(&c->closing);
        for (size_t i = 0; i < c->n_dir_fds; i++)
                if (c->dir_fds[i] >= 0)
                        close(c->dir_fds[i]);
        free(c->dir_fds);
        strv_free(c->dirs);
        entries_done(&c->defaults);
        strv_free(c->default_files);
        *c = (struct berth_catalog){};
}

const struct berth_source *catalog_find(const struct berth_catalog *c, const char *name) {
        _cleanup_free_ char *file = strjoin(name, CONTAINER_SUFFIX);
        struct berth_source key = {.name = file};

        if (!file || c->n_units == 0)
                return NULL;
        /* priority 0 sorts first among equal names, and only one per name is kept */
        for (size_t lo = 0, hi = c->n_units; lo < hi;) {
                size_t mid = lo + (hi - lo) / 2;
                int cmp = strcmp(c->units[mid].name, key.name);
                if (cmp == 0)
                        return &c->units[mid];
                if (cmp < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return NULL;
}

bool catalog_has_description(const struct berth_catalog *c, const char *name) {
        const struct berth_source *src = catalog_find(c, name);
        const char *at = strchr(name, '@');

        if (src && !src->masked)
                return true;
        if (at && at[1]) { /* an instance of a template */
                _cleanup_free_ char *template = strndup(name, (size_t) (at - name) + 1);
                src = template ? catalog_find(c, template) : NULL;
                return src && !src->masked;
        }
        return false;
}
