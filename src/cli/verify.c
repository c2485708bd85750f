/* SPDX-License-Identifier: MIT */
/* berth verify [FILE|NAME...]: everything the generator checks, plus what only this host can
 * tell (SPEC §6): the root exists and is a directory, the payload is an executable inside it
 * (resolved within the root, as the container will see it), volume sources and environment
 * files exist, container:NAME targets are descriptions or running containers, and SELinux
 * names are known to the loaded policy. Without arguments: every description in the path.
 * A FILE outside the search path is read as if its directory came first in the path. */
#include <fcntl.h>
#include <sys/stat.h>

#include "description.h"
#include "apparmor/apparmor.h"
#include "inroot.h"
#include "label.h"
#include "unit-checks.h"
#include "unit.h"
#include "verbs.h"
#include "verify-root.h"

static struct berth_loc loc_of(const struct berth_description *d, const char *key) {
        const struct berth_entry *e = entries_find_last(&d->container, "Container", key);
        return (struct berth_loc){.file = e ? e->file : d->path, .line = e ? e->line : 0, .key = key};
}

static bool is_executable_file(int fd) {
        struct stat st;
        return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

static const char *payload_search_path(const struct berth_spec *s) {
        const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        STRV_FOREACH(e, s->env) {
                const char *v = startswith(*e, "PATH=");
                if (v)
                        path = v;
        }
        return path;
}

static int check_payload(const struct berth_description *d, int root_fd) {
        const struct berth_spec *s = &d->spec;
        struct berth_loc loc = loc_of(d, "Exec");
        const char *cmd = s->command[0];
        int fd;

        if (path_is_absolute(cmd)) {
                fd = inroot_open(root_fd, cmd, O_PATH);
                if (fd < 0)
                        return log_syntax(&loc, fd, "'%s' not found in %s: %m", cmd, s->rootfs);
                bool ok = is_executable_file(fd);
                close(fd);
                if (!ok)
                        return log_syntax(&loc, -EACCES, "'%s' in %s is not an executable file", cmd, s->rootfs);
                return 0;
        }
        const char *path = payload_search_path(s);
        for (const char *p = path; *p;) {
                size_t n = strcspn(p, ":");
                _cleanup_free_ char *candidate = NULL;
                if (xasprintf(&candidate, "%.*s/%s", (int) n, p, cmd) < 0)
                        return log_errno(-ENOMEM, "out of memory");
                p += n + (p[n] == ':');
                fd = inroot_open(root_fd, candidate, O_PATH);
                if (fd < 0)
                        continue;
                bool ok = is_executable_file(fd);
                close(fd);
                if (ok)
                        return 0;
        }
        return log_syntax(&loc, -ENOENT, "'%s' not found as an executable in %s (PATH=%s)", cmd, s->rootfs, path);
}

static int check_exists(const struct berth_description *d, const char *key, const char *path, bool want_dir) {
        struct berth_loc loc = loc_of(d, key);
        struct stat st;

        if (stat(path, &st) < 0)
                return log_syntax(&loc, negative_errno(), "'%s': %m", path);
        if (want_dir && !S_ISDIR(st.st_mode))
                return log_syntax(&loc, -ENOTDIR, "'%s' is not a directory", path);
        return 0;
}

/* Field 22 of /proc/PID/stat: when the process started, to tell it from a recycled pid. */
static int process_start_time(pid_t pid, unsigned long long *ret) {
        char path[64], buf[1024];
        _cleanup_close_ int fd = -1;
        const char *p;
        ssize_t n;

        snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        n = read(fd, buf, sizeof(buf) - 1);
        if (n <= 0)
                return -EIO;
        buf[n] = 0;
        p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
        if (!p)
                return -EIO;
        /* ") " is followed by field 3: the space before field N is the (N-2)th after ')' */
        for (int field = 3; field <= 22; field++) {
                p = strchr(p + 1, ' ');
                if (!p)
                        return -EIO;
        }
        return sscanf(p + 1, "%llu", ret) == 1 ? 0 : -EIO;
}

/* berth-exec's record of a running container: BERTH_RUNTIME_DIR/NAME/pid holds "PID STARTTIME"
 * of its first process; a record whose process is gone (or was replaced) is stale. */
static bool container_is_running(const char *name) {
        _cleanup_free_ char *path = strjoin(BERTH_RUNTIME_DIR "/", name, "/pid");
        _cleanup_fclose_ FILE *f = NULL;
        unsigned long long recorded, actual;
        int pid;

        if (!path)
                return false;
        f = fopen(path, "re");
        if (!f || fscanf(f, "%d %llu", &pid, &recorded) != 2 || pid <= 0)
                return false;
        return process_start_time(pid, &actual) == 0 && actual == recorded;
}

static bool container_exists(const struct berth_catalog *c, const char *name) {
        return catalog_has_description(c, name) || container_is_running(name);
}

/* AppArmorProfile= (or berth-default) can be applied on this host. */
static int verify_apparmor_live(const struct berth_description *d) {
        struct berth_loc loc = loc_of(d, "AppArmorProfile");
        return apparmor_check_live(&d->spec, &loc);
}

static int verify_live(const struct berth_catalog *c, const struct berth_description *d) {
        static const char *const ns_keys[_BERTH_NS_MAX] = {"PIDNamespace", "NetworkNamespace", "IPCNamespace",
                                                           "UTSNamespace"};
        const struct berth_spec *s = &d->spec;
        struct berth_loc file_loc = {.file = d->path};
        int ret = 0, r;

        r = check_exists(d, "RootDirectory", s->rootfs, true);
        if (r < 0)
                ret = r;
        else {
                _cleanup_close_ int root_fd = open(s->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (root_fd < 0) {
                        struct berth_loc loc = loc_of(d, "RootDirectory");
                        ret = log_syntax(&loc, negative_errno(), "'%s': %m", s->rootfs);
                } else {
                        if ((r = check_payload(d, root_fd)) < 0)
                                ret = r;
                        if ((r = verify_root_settings(d, root_fd)) < 0) /* verify-root.c */
                                ret = r;
                }
        }
        for (size_t i = 0; i < s->n_volumes; i++)
                if ((r = check_exists(d, "Volume", s->volumes[i].source, false)) < 0)
                        ret = r;
        STRV_FOREACH(f, s->env_files)
                if (**f != '-' && (r = check_exists(d, "EnvironmentFile", *f, false)) < 0)
                        ret = r;
        if (s->seccomp && path_is_absolute(s->seccomp) &&
            (r = check_exists(d, "SeccompProfile", s->seccomp, false)) < 0)
                ret = r;
        for (int k = 0; k < _BERTH_NS_MAX; k++) {
                struct berth_loc loc = loc_of(d, ns_keys[k]);
                if (s->ns[k].mode == BERTH_NS_MODE_CONTAINER && !container_exists(c, s->ns[k].target))
                        ret = log_syntax(&loc, -ENOENT, "no description or running container named '%s'",
                                         s->ns[k].target);
                if (s->ns[k].mode == BERTH_NS_MODE_PATH && (r = check_exists(d, ns_keys[k], s->ns[k].target, false)) < 0)
                        ret = r;
        }
        r = label_check_live(s, &file_loc);
        if (r < 0)
                ret = r;
        r = verify_apparmor_live(d);
        if (r < 0)
                ret = r;
        return ret;
}

/* "PATH: ok" with the path's control characters escaped, as in every message. */
static void print_path_status(const char *path, const char *status) {
        for (const unsigned char *c = (const unsigned char *) path; *c; c++)
                if (*c < 0x20 || *c == 0x7f)
                        printf("\\x%02x", *c);
                else
                        putchar(*c);
        printf(": %s\n", status);
}

/* The generator's verdict on the asked-for descriptions (wanted[i] for c->units[i]): every
 * description of the catalog is read and checked against the others, as the generator does,
 * but only what concerns the wanted ones is logged. Then, unless offline, the live checks. */
static int verify_catalog(struct berth_catalog *c, const bool *wanted, bool offline) {
        _cleanup_free_ bool *quiet = calloc(c->n_units ? c->n_units : 1, sizeof(bool));
        struct gen_item *items = NULL;
        int ret = 0, r;

        if (!quiet)
                return log_errno(-ENOMEM, "out of memory");
        for (size_t i = 0; i < c->n_units; i++)
                quiet[i] = !wanted[i];
        r = generate_check_all(c, quiet, false, NULL, NULL, &items);
        if (r < 0)
                return r;
        for (size_t i = 0; i < c->n_units; i++) {
                const struct berth_source *src = &c->units[i];
                if (!wanted[i])
                        continue;
                if (src->masked) {
                        print_path_status(src->path, "masked");
                        continue;
                }
                if (items[i].failed) {
                        ret = -EINVAL;
                        continue;
                }
                if (!offline) {
                        _cleanup_(description_done) struct berth_description d = {};
                        r = description_load(c, src, &d); /* known good: logs nothing */
                        if (r >= 0)
                                r = verify_live(c, &d);
                        if (r < 0) {
                                ret = r;
                                continue;
                        }
                }
                print_path_status(src->path, "ok");
        }
        gen_items_free(items, c->n_units);
        return ret;
}

/* catalog_load(), its warnings (a dangling file beside the one asked about) unsaid when
 * only some descriptions are verified: errors still are. */
static int load_catalog(char *const *dirs, struct berth_catalog *c, bool all) {
        enum log_level saved = all ? 0 : log_set_max_level(LOG_LEVEL_ERR);
        int r = catalog_load(dirs, c);
        if (!all)
                log_set_max_level(saved);
        return r;
}

static bool looks_like_file(const char *arg) {
        return strchr(arg, '/') || endswith(arg, ".container");
}

/* A FILE argument: its directory first, then the search path, so its drop-ins and a
 * berth.conf beside it count as they would once installed. */
static int verify_file(char *const *search, const char *arg, bool offline) {
        _cleanup_strv_free_ char **dirs = NULL;
        _cleanup_free_ char *copy = strdup(arg), *abs = NULL;
        struct berth_catalog catalog = {};
        const struct berth_source *src;
        char *slash, *name;
        int r;

        if (!copy)
                return log_errno(-ENOMEM, "out of memory");
        slash = strrchr(copy, '/');
        if (slash) {
                *slash = 0;
                name = slash + 1;
                abs = realpath(isempty(copy) ? "/" : copy, NULL);
        } else {
                name = copy;
                abs = realpath(".", NULL);
        }
        if (!abs)
                return log_errno(negative_errno(), "%s: %m", arg);
        if (access(arg, F_OK) < 0)
                return log_errno(negative_errno(), "%s: %m", arg);
        r = strv_extend(&dirs, abs);
        STRV_FOREACH(d, search)
                if (r >= 0 && !streq(*d, abs))
                        r = strv_extend(&dirs, *d);
        if (r < 0)
                return log_errno(r, "out of memory");
        if (!endswith(name, ".container"))
                return log_errno(-EINVAL, "%s: not a description (NAME.container)", arg);
        r = load_catalog(dirs, &catalog, false);
        if (r >= 0) {
                _cleanup_free_ char *base = strndup(name, strlen(name) - strlen(".container"));
                src = base ? catalog_find(&catalog, base) : NULL;
                if (!src)
                        r = log_errno(-EINVAL, "%s: not a description (NAME.container with a valid NAME)", arg);
                else {
                        _cleanup_free_ bool *wanted = calloc(catalog.n_units, sizeof(bool));
                        if (!wanted)
                                r = log_errno(-ENOMEM, "out of memory");
                        else {
                                wanted[src - catalog.units] = true;
                                r = verify_catalog(&catalog, wanted, offline);
                        }
                }
        }
        catalog_done(&catalog);
        return r;
}

static void verify_usage(FILE *f) {
        fputs("usage: berth verify [--offline] [FILE|NAME...]\n"
              "  Checks descriptions as the generator does, plus the live host: the root,\n"
              "  the payload inside it, container:NAME targets, SELinux names.\n"
              "  --offline: only what the generator checks, not the host.\n",
              f);
}

int verb_verify(int argc, char **argv) {
        _cleanup_strv_free_ char **search = NULL, **names = NULL;
        _cleanup_free_ bool *wanted = NULL;
        struct berth_catalog catalog = {};
        bool offline = false, any_name = false, dashdash = false;
        int ret = 0, r;

        for (int i = 1; i < argc; i++) {
                if (!dashdash && streq(argv[i], "--"))
                        dashdash = true;
                else if (!dashdash && (streq(argv[i], "--help") || streq(argv[i], "-h"))) {
                        verify_usage(stdout);
                        return 0;
                } else if (!dashdash && streq(argv[i], "--offline"))
                        offline = true;
                else if (!dashdash && argv[i][0] == '-') {
                        log_error("verify: unknown option '%s'", argv[i]);
                        verify_usage(stderr);
                        return 2;
                } else if (strv_extend(&names, argv[i]) < 0)
                        return log_errno(-ENOMEM, "out of memory"), 1;
        }
        r = description_search_path(&search);
        if (r < 0)
                return log_errno(r, "cannot build the search path: %m"), 1;

        STRV_FOREACH(n, names)
                if (looks_like_file(*n)) {
                        if (verify_file(search, *n, offline) < 0)
                                ret = 1;
                } else
                        any_name = true;
        if (names && !any_name)
                return ret;

        r = load_catalog(search, &catalog, !names);
        if (r < 0) {
                catalog_done(&catalog);
                return 1;
        }
        wanted = calloc(catalog.n_units ? catalog.n_units : 1, sizeof(bool));
        if (!wanted) {
                catalog_done(&catalog);
                return log_errno(-ENOMEM, "out of memory"), 1;
        }
        STRV_FOREACH(n, names) {
                const struct berth_source *src;
                if (looks_like_file(*n))
                        continue;
                src = catalog_find(&catalog, *n);
                if (!src) {
                        log_error("%s: no description %s.container in the search path", *n, *n);
                        ret = 1;
                } else
                        wanted[src - catalog.units] = true;
        }
        if (!names)
                for (size_t i = 0; i < catalog.n_units; i++)
                        wanted[i] = true;
        if (verify_catalog(&catalog, wanted, offline) < 0)
                ret = 1;
        catalog_done(&catalog);
        return ret;
}
