/* SPDX-License-Identifier: MIT */
#include "label.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#if HAVE_SELINUX
#include <selinux/context.h>
#include <selinux/selinux.h>
#endif

/* What container runtimes use when the policy ships no lxc_contexts file. */
#define FALLBACK_PROCESS_CONTEXT "system_u:system_r:container_t:s0"
#define FALLBACK_FILE_CONTEXT "system_u:object_r:container_file_t:s0"
/* Docker, podman and the MCS policies all draw categories from c0..c1023. */
#define MCS_CATEGORIES 1024u
/* The record of a container's level under runtime_dir/NAME/, and the lock that serialises
 * allocations across concurrent berth-exec processes. */
#define MCS_RECORD "mcs"
#define MCS_LOCK ".mcs.lock"

/* ---- pure syntax, shared with the spec setters; no libselinux ---- */

bool label_name_is_valid(const char *name) {
        if (isempty(name) || strlen(name) > 255)
                return false;
        for (const char *c = name; *c; c++)
                if (!isalnum((unsigned char) *c) && *c != '_')
                        return false;
        return true;
}

/* "c<N>" with a decimal N (no sign, no leading zeros beyond "0"); *ret the number. */
static bool parse_category(const char *p, const char **end, unsigned long *ret) {
        char *e;
        if (*p != 'c' || !isdigit((unsigned char) p[1]) || (p[1] == '0' && isdigit((unsigned char) p[2])))
                return false;
        errno = 0;
        *ret = strtoul(p + 1, &e, 10);
        if (errno != 0 || *ret > 65535)
                return false;
        *end = e;
        return true;
}

/* One level: s<N>[:c<A>[.c<B>][,c<C>...]] */
static bool parse_raw_level(const char *p, const char **end) {
        unsigned long lo, hi;
        char *e;

        if (*p != 's' || !isdigit((unsigned char) p[1]) || (p[1] == '0' && isdigit((unsigned char) p[2])))
                return false;
        errno = 0;
        if (strtoul(p + 1, &e, 10) > 65535 || errno != 0)
                return false;
        p = e;
        if (*p == ':') {
                do {
                        p++;
                        if (!parse_category(p, &p, &lo))
                                return false;
                        if (*p == '.') {
                                if (!parse_category(p + 1, &p, &hi) || hi <= lo)
                                        return false;
                        }
                } while (*p == ',');
        }
        *end = p;
        return true;
}

static bool level_is_raw(const char *level) {
        return level[0] == 's' && isdigit((unsigned char) level[1]);
}

bool label_level_is_valid(const char *level) {
        const char *p;

        if (isempty(level) || strlen(level) > 1024)
                return false;
        /* Raw form: LEVEL or LOW-HIGH. */
        if (level_is_raw(level)) {
                if (!parse_raw_level(level, &p))
                        return false;
                if (*p == '-' && !parse_raw_level(p + 1, &p))
                        return false;
                return *p == 0;
        }
        /* A name from setrans.conf (TopSecret, SystemLow-SystemHigh); translated at start time. */
        if (!isalpha((unsigned char) level[0]))
                return false;
        for (const char *c = level; *c; c++)
                if (!isalnum((unsigned char) *c) && !strchr("_-.", *c))
                        return false;
        return true;
}

static bool label_requested(const struct berth_label *l) {
        return l->type || l->level || l->user || l->role || l->filetype;
}

/* "type:docker_apache_t level:s0:c1,c2" for notices. */
static char *label_request_to_string(const struct berth_label *l) {
        char *s;
        if (xasprintf(&s, "%s%s%s%s%s%s%s%s%s%s", l->type ? " type:" : "", l->type ?: "", l->level ? " level:" : "",
                      l->level ?: "", l->user ? " user:" : "", l->user ?: "", l->role ? " role:" : "", l->role ?: "",
                      l->filetype ? " filetype:" : "", l->filetype ?: "") < 0)
                return NULL;
        return s;
}

/* ---- host state ---- */

bool label_selinux_enabled(void) {
#if HAVE_SELINUX
        return is_selinux_enabled() > 0;
#else
        /* Without libselinux we cannot label, but must still know whether we are asked to run
         * on a host that enforces labels, so that a requested label fails closed. */
        struct statfs sfs;
        return statfs("/sys/fs/selinux", &sfs) == 0 && (unsigned long) sfs.f_type == SELINUX_MAGIC &&
               access("/sys/fs/selinux/enforce", F_OK) == 0;
#endif
}

/* ---- MCS reservations under runtime_dir (no libselinux needed: plain files) ---- */

static char *record_name(const struct berth_spec *s) {
        char *n;
        /* Names never start with '.', so an anonymous container cannot collide with one. */
        if (s->name)
                return strdup(s->name);
        if (xasprintf(&n, ".anon-%d", (int) getpid()) < 0)
                return NULL;
        return n;
}

static int mkdir_exists_ok(const char *path) {
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

/* Takes the allocation lock; returns the locked fd (released by closing it). */
static int mcs_lock(const char *runtime_dir) {
        _cleanup_free_ char *p = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        r = mkdir_exists_ok(runtime_dir);
        if (r < 0)
                return log_errno(r, "cannot create %s: %m", runtime_dir);
        if (xasprintf(&p, "%s/%s", runtime_dir, MCS_LOCK) < 0)
                return log_errno(-ENOMEM, "out of memory");
        fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return log_errno(negative_errno(), "cannot open %s: %m", p);
        if (flock(fd, LOCK_EX) < 0)
                return log_errno(negative_errno(), "cannot lock %s: %m", p);
        return TAKE_FD(fd);
}

/* Reads "LEVEL PID" from DIR/mcs. -ENOENT when there is no record. */
static int mcs_record_read(int dir_fd, const char *name, char **ret_level, pid_t *ret_pid) {
        _cleanup_free_ char *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        char line[1100], level[1025];
        int fd, pid;

        if (xasprintf(&path, "%s/%s", name, MCS_RECORD) < 0)
                return -ENOMEM;
        fd = openat(dir_fd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return negative_errno();
        f = fdopen(fd, "r");
        if (!f) {
                close(fd);
                return negative_errno();
        }
        if (!fgets(line, sizeof(line), f) || sscanf(line, "%1024s %d", level, &pid) != 2 || pid <= 0)
                return -EBADMSG;
        if (ret_level) {
                *ret_level = strdup(level);
                if (!*ret_level)
                        return -ENOMEM;
        }
        *ret_pid = pid;
        return 0;
}

static bool pid_is_alive(pid_t pid) {
        return kill(pid, 0) == 0 || errno == EPERM;
}

#if HAVE_SELINUX
/* Allocation happens only where a label is built. */

/* The levels held by running containers. A record whose holder is gone (a crash, a reboot
 * without tmpfs) is stale and does not count. */
static int mcs_levels_in_use(const char *runtime_dir, char ***ret) {
        _cleanup_strv_free_ char **used = NULL;
        DIR *d;
        struct dirent *de;
        int r = 0;

        d = opendir(runtime_dir);
        if (!d) {
                if (errno == ENOENT) {
                        *ret = NULL;
                        return 0;
                }
                return log_errno(negative_errno(), "cannot read %s: %m", runtime_dir);
        }
        while ((de = readdir(d))) {
                char *level = NULL;
                pid_t pid;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (mcs_record_read(dirfd(d), de->d_name, &level, &pid) < 0)
                        continue;
                if (!pid_is_alive(pid)) {
                        free(level);
                        continue;
                }
                r = strv_push(&used, level);
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r < 0)
                return log_errno(r, "out of memory");
        *ret = TAKE_PTR(used);
        return 0;
}

static int mcs_record_write(const char *runtime_dir, const char *name, const char *level) {
        _cleanup_free_ char *dir = NULL, *tmp = NULL, *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        int fd, r;

        if (xasprintf(&dir, "%s/%s", runtime_dir, name) < 0 || xasprintf(&tmp, "%s/%s.tmp", dir, MCS_RECORD) < 0 ||
            xasprintf(&path, "%s/%s", dir, MCS_RECORD) < 0)
                return log_errno(-ENOMEM, "out of memory");
        r = mkdir_exists_ok(dir);
        if (r < 0)
                return log_errno(r, "cannot create %s: %m", dir);
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return log_errno(negative_errno(), "cannot write %s: %m", tmp);
        f = fdopen(fd, "w");
        if (!f) {
                r = negative_errno();
                close(fd);
                return log_errno(r, "cannot write %s: %m", tmp);
        }
        if (fprintf(f, "%s %d\n", level, (int) getpid()) < 0 || fflush(f) != 0) {
                r = negative_errno();
                (void) unlink(tmp);
                return log_errno(r, "cannot write %s: %m", tmp);
        }
        if (rename(tmp, path) < 0) {
                r = negative_errno();
                (void) unlink(tmp);
                return log_errno(r, "cannot rename %s to %s: %m", tmp, path);
        }
        return 0;
}

/* Fails when a live process of the same name holds a record: two containers may not share a
 * name (their namespaces are recorded in the same place). */
static int mcs_check_name_free(const char *runtime_dir, const char *name) {
        _cleanup_close_ int dir_fd = -1;
        pid_t pid;

        dir_fd = open(runtime_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return 0;
        if (mcs_record_read(dir_fd, name, NULL, &pid) < 0)
                return 0;
        if (pid != getpid() && pid_is_alive(pid))
                return log_errno(-EBUSY, "container '%s' is already running (PID %d holds its SELinux level)", name,
                                 (int) pid);
        return 0;
}

static int random_mcs_pair(unsigned *ret_x, unsigned *ret_y) {
        uint32_t r;
        unsigned a, b;

        do {
                if (getrandom(&r, sizeof(r), 0) != sizeof(r))
                        return negative_errno();
                /* 1024 is a power of two: masking is uniform. */
                a = r & (MCS_CATEGORIES - 1);
                b = (r >> 10) & (MCS_CATEGORIES - 1);
        } while (a == b);
        *ret_x = a < b ? a : b;
        *ret_y = a < b ? b : a;
        return 0;
}

/* A random s<sens>:cX,cY, X<Y, not among used. */
static int mcs_pick(const char *sensitivity, char *const *used, char **ret) {
        /* 523776 pairs: only a full host runs out, so a bounded number of tries suffices. */
        for (unsigned attempt = 0; attempt < 100000; attempt++) {
                _cleanup_free_ char *level = NULL;
                unsigned x, y;
                int r;

                r = random_mcs_pair(&x, &y);
                if (r < 0)
                        return log_errno(r, "cannot get random bytes for an MCS pair: %m");
                if (xasprintf(&level, "%s:c%u,c%u", sensitivity, x, y) < 0)
                        return log_errno(-ENOMEM, "out of memory");
                if (!strv_contains(used, level)) {
                        *ret = TAKE_PTR(level);
                        return 0;
                }
        }
        return log_errno(-EBUSY, "no free MCS category pair left on this host");
}

#endif

void label_plan_release(const struct berth_spec *s, const char *runtime_dir) {
        _cleanup_free_ char *name = NULL, *path = NULL;
        _cleanup_close_ int lock_fd = -1, dir_fd = -1;
        pid_t pid;

        name = record_name(s);
        if (!name)
                return;
        dir_fd = open(runtime_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return;
        lock_fd = mcs_lock(runtime_dir);
        if (lock_fd < 0)
                return;
        if (mcs_record_read(dir_fd, name, NULL, &pid) == -ENOENT)
                return;
        /* Never drop a reservation a live container of the same name still holds. */
        if (pid == getpid() || !pid_is_alive(pid)) {
                if (xasprintf(&path, "%s/%s", name, MCS_RECORD) >= 0)
                        (void) unlinkat(dir_fd, path, 0);
        }
}

/* ---- building labels with libselinux ---- */

void label_plan_done(struct berth_label_plan *p) {
        free(p->process_label);
        free(p->file_label);
        *p = (struct berth_label_plan){};
}

#if HAVE_SELINUX

static void context_freep(context_t *c) {
        if (*c)
                context_free(*c);
}
#define _cleanup_context_ _cleanup_(context_freep)

static void freeconp(char **p) {
        if (*p)
                freecon(*p);
}
#define _cleanup_freecon_ _cleanup_(freeconp)

struct label_bases {
        char *process;
        char *file;
};

static void label_bases_done(struct label_bases *b) {
        free(b->process);
        free(b->file);
}

static char *strip(char *s) {
        char *e;
        while (isspace((unsigned char) *s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char) e[-1]))
                *--e = 0;
        return s;
}

/* The policy's container contexts: lxc_contexts lines `process = "CTX"` and `file = "CTX"`
 * (the format podman and libvirt read too). libselinux gives the path but no parser. */
static int label_bases_load(struct label_bases *ret) {
        const char *path = selinux_lxc_contexts_path();
        _cleanup_fclose_ FILE *f = NULL;
        char line[1024];
        unsigned n = 0;

        *ret = (struct label_bases){};
        if (path)
                f = fopen(path, "re");
        if (!f && path && errno != ENOENT)
                return log_errno(negative_errno(), "cannot read %s: %m", path);
        while (f && fgets(line, sizeof(line), f)) {
                char *key, *value, *eq, **field;
                size_t l;

                n++;
                key = strip(line);
                if (*key == 0 || *key == '#')
                        continue;
                eq = strchr(key, '=');
                if (!eq)
                        continue;
                *eq = 0;
                key = strip(key);
                value = strip(eq + 1);
                if (streq(key, "process"))
                        field = &ret->process;
                else if (streq(key, "file"))
                        field = &ret->file;
                else
                        continue;
                l = strlen(value);
                if (l >= 2 && (value[0] == '"' || value[0] == '\'') && value[l - 1] == value[0]) {
                        value[l - 1] = 0;
                        value++;
                }
                if (*value == 0) {
                        label_bases_done(ret);
                        return log_errno(-EINVAL, "%s:%u: empty %s context", path, n, key);
                }
                free(*field);
                *field = strdup(value);
                if (!*field) {
                        label_bases_done(ret);
                        return log_errno(-ENOMEM, "out of memory");
                }
        }
        if (!ret->process)
                ret->process = strdup(FALLBACK_PROCESS_CONTEXT);
        if (!ret->file)
                ret->file = strdup(FALLBACK_FILE_CONTEXT);
        if (!ret->process || !ret->file) {
                label_bases_done(ret);
                return log_errno(-ENOMEM, "out of memory");
        }
        return 0;
}

/* The low end of a range: a file has one level, a process may have a range. The MLS range
 * syntax LOW-HIGH has no accessor in libselinux's context API. */
static char *range_low(const char *range) {
        const char *dash = strchr(range, '-');
        return dash ? strndup(range, (size_t) (dash - range)) : strdup(range);
}

/* The sensitivity of a level (s0 of s0:c1,c2). */
static char *level_sensitivity(const char *level) {
        return strndup(level, strcspn(level, ":-"));
}

/* The level as the kernel knows it: TopSecret -> s3 (through mcstransd, when it runs; a raw
 * level comes back unchanged). */
static int level_to_raw(const char *base_process, const char *level, char **ret) {
        _cleanup_context_ context_t ctx = NULL, raw_ctx = NULL;
        _cleanup_freecon_ char *raw = NULL;
        const char *str, *range;

        ctx = context_new(base_process);
        if (!ctx)
                return log_errno(negative_errno(), "cannot parse SELinux context '%s': %m", base_process);
        if (context_range_set(ctx, level) < 0)
                return log_errno(negative_errno(), "cannot set SELinux level '%s': %m", level);
        str = context_str(ctx);
        if (!str)
                return log_errno(negative_errno(), "cannot format SELinux context: %m");
        if (selinux_trans_to_raw_context(str, &raw) < 0 || !raw)
                return log_errno(negative_errno(), "cannot translate SELinux level '%s' to raw form: %m", level);
        raw_ctx = context_new(raw);
        if (!raw_ctx)
                return log_errno(negative_errno(), "cannot parse SELinux context '%s': %m", raw);
        range = context_range_get(raw_ctx);
        if (!range)
                return log_errno(-EINVAL, "SELinux context '%s' has no level (is the policy MLS/MCS?)", raw);
        *ret = strdup(range);
        return *ret ? 0 : log_errno(-ENOMEM, "out of memory");
}

/* base with the requested fields replaced; NULL fields keep the base's. */
static int context_compose(const char *base, const char *user, const char *role, const char *type, const char *range,
                           char **ret) {
        _cleanup_context_ context_t ctx = NULL;
        const char *str;

        ctx = context_new(base);
        if (!ctx)
                return log_errno(negative_errno(), "cannot parse SELinux context '%s': %m", base);
        if ((user && context_user_set(ctx, user) < 0) || (role && context_role_set(ctx, role) < 0) ||
            (type && context_type_set(ctx, type) < 0) || (range && context_range_set(ctx, range) < 0))
                return log_errno(negative_errno(), "cannot build SELinux context from '%s': %m", base);
        str = context_str(ctx);
        if (!str)
                return log_errno(negative_errno(), "cannot format SELinux context: %m");
        *ret = strdup(str);
        return *ret ? 0 : log_errno(-ENOMEM, "out of memory");
}

static bool context_is_valid(const char *raw) {
        return security_check_context_raw(raw) == 0;
}

/* Both labels for one raw level, checked against the loaded policy. */
static int labels_compose(const struct label_bases *b, const struct berth_label *l, const char *raw_level,
                          char **ret_process, char **ret_file) {
        _cleanup_free_ char *process = NULL, *file = NULL, *file_level = NULL;
        int r;

        r = context_compose(b->process, l->user, l->role, l->type, raw_level, &process);
        if (r < 0)
                return r;
        file_level = range_low(raw_level);
        if (!file_level)
                return log_errno(-ENOMEM, "out of memory");
        r = context_compose(b->file, NULL, NULL, l->filetype, file_level, &file);
        if (r < 0)
                return r;
        if (!context_is_valid(process)) {
                /* libselinux hands an untranslatable level back unchanged. */
                bool untranslated = l->level && streq(l->level, raw_level) && !level_is_raw(l->level);
                return log_errno(-EINVAL, "SELinux process label '%s' is not valid in the loaded policy%s", process,
                                 untranslated ? " (level not translated: is mcstransd running?)" : "");
        }
        if (!context_is_valid(file))
                return log_errno(-EINVAL, "SELinux file label '%s' is not valid in the loaded policy", file);
        *ret_process = TAKE_PTR(process);
        *ret_file = TAKE_PTR(file);
        return 0;
}

static int label_plan_build_selinux(const struct berth_spec *s, const char *runtime_dir, struct berth_label_plan *ret) {
        _cleanup_(label_bases_done) struct label_bases bases = {};
        _cleanup_free_ char *name = NULL, *raw_level = NULL, *process = NULL, *file = NULL;
        _cleanup_close_ int lock_fd = -1;
        int r;

        r = label_bases_load(&bases);
        if (r < 0)
                return r;
        name = record_name(s);
        if (!name)
                return log_errno(-ENOMEM, "out of memory");

        if (s->label.level) {
                r = level_to_raw(bases.process, s->label.level, &raw_level);
                if (r < 0)
                        return r;
        }

        /* Pick, check and record under one lock, so two containers starting together cannot
         * both take the same pair. */
        lock_fd = mcs_lock(runtime_dir);
        if (lock_fd < 0)
                return lock_fd;
        r = mcs_check_name_free(runtime_dir, name);
        if (r < 0)
                return r;
        if (!raw_level) {
                _cleanup_strv_free_ char **used = NULL;
                _cleanup_context_ context_t base = NULL;
                _cleanup_free_ char *sensitivity = NULL;
                const char *base_range;

                base = context_new(bases.process);
                if (!base)
                        return log_errno(negative_errno(), "cannot parse SELinux context '%s': %m", bases.process);
                base_range = context_range_get(base);
                sensitivity = level_sensitivity(base_range ?: "s0");
                if (!sensitivity)
                        return log_errno(-ENOMEM, "out of memory");
                r = mcs_levels_in_use(runtime_dir, &used);
                if (r < 0)
                        return r;
                r = mcs_pick(sensitivity, used, &raw_level);
                if (r < 0)
                        return r;
        }
        r = labels_compose(&bases, &s->label, raw_level, &process, &file);
        if (r < 0)
                return r;
        r = mcs_record_write(runtime_dir, name, raw_level);
        if (r < 0)
                return r;

        ret->apply = true;
        ret->process_label = TAKE_PTR(process);
        ret->file_label = TAKE_PTR(file);
        return 0;
}

int label_plan_apply_exec(const struct berth_label_plan *p) {
        if (!p->apply)
                return 0;
        /* Raw: the plan already holds the kernel's form; no mcstransd round trip at exec. */
        if (setexeccon_raw(p->process_label) < 0)
                return log_errno(negative_errno(), "cannot set SELinux exec label '%s': %m", p->process_label);
        return 0;
}

#else /* !HAVE_SELINUX */

int label_plan_apply_exec(const struct berth_label_plan *p) {
        if (!p->apply)
                return 0;
        return log_errno(-EOPNOTSUPP, "cannot set SELinux exec label '%s': built without libselinux", p->process_label);
}

#endif

int label_plan_build(const struct berth_spec *s, const char *runtime_dir, struct berth_label_plan *ret) {
        _cleanup_free_ char *request = NULL;
        bool enabled = label_selinux_enabled(), requested = label_requested(&s->label);

        *ret = (struct berth_label_plan){};
        if (requested) {
                request = label_request_to_string(&s->label);
                if (!request)
                        return log_errno(-ENOMEM, "out of memory");
        }

        if (s->label.disable) {
                if (enabled)
                        log_notice("SELinux labelling disabled on request (label=disable): the payload keeps berth-exec's context");
                return 0;
        }
        if (spec_label_disabled_by_namespaces(s)) {
                /* Docker's rule: a container in the host's PID or IPC namespace could reach host
                 * processes whatever its label, so it is not labelled at all. */
                if (enabled || requested)
                        log_notice("SELinux labelling off: the container shares the host's %s namespace (as with Docker's --%s=host)%s%s",
                                   s->ns[BERTH_NS_PID].mode == BERTH_NS_MODE_HOST ? "PID" : "IPC",
                                   s->ns[BERTH_NS_PID].mode == BERTH_NS_MODE_HOST ? "pid" : "ipc",
                                   requested ? "; ignoring label" : "", requested ? request : "");
                return 0;
        }
        if (!enabled) {
                if (requested)
                        log_notice("SELinux is disabled on this host; ignoring label%s", request);
                return 0;
        }
#if HAVE_SELINUX
        return label_plan_build_selinux(s, runtime_dir, ret);
#else
        if (requested)
                return log_errno(-EOPNOTSUPP, "cannot apply SELinux label%s: SELinux is enabled but berth was built without libselinux",
                                 request);
        log_notice("SELinux is enabled but berth was built without libselinux: the payload runs unlabelled");
        return 0;
#endif
}

/* ---- berth verify ---- */

#if HAVE_SELINUX
/* Names the setting that failed in the words of where it came from. */
static void check_one(const struct berth_loc *loc, const char *file_key, const char *opt_key, const char *what,
                      const char *value, const char *context, int *r) {
        struct berth_loc l = {
                .file = loc ? loc->file : NULL,
                .line = 0,
                .key = loc && loc->file ? file_key : opt_key,
        };
        if (context_is_valid(context))
                return;
        log_syntax(&l, -EINVAL, "SELinux %s '%s' is not valid in the loaded policy (label '%s')", what, value, context);
        if (*r == 0)
                *r = -EINVAL;
}

int label_check_live(const struct berth_spec *s, const struct berth_loc *loc) {
        _cleanup_(label_bases_done) struct label_bases bases = {};
        _cleanup_free_ char *raw_level = NULL, *c = NULL, *all = NULL, *file = NULL, *file_level = NULL;
        const struct berth_label *l = &s->label;
        int r, result = 0;

        if (!label_selinux_enabled() || l->disable || spec_label_disabled_by_namespaces(s))
                return 0;
        r = label_bases_load(&bases);
        if (r < 0)
                return r;
        if (l->level) {
                r = level_to_raw(bases.process, l->level, &raw_level);
                if (r < 0)
                        return r;
        }
        /* Each setting alone first, so the message names the one that is wrong. */
        if (l->type && context_compose(bases.process, NULL, NULL, l->type, NULL, &c) >= 0) {
                check_one(loc, "SecurityLabelType", "label=type", "type", l->type, c, &result);
                free(TAKE_PTR(c));
        }
        if (l->user && context_compose(bases.process, l->user, NULL, NULL, NULL, &c) >= 0) {
                check_one(loc, "SecurityLabelUser", "label=user", "user", l->user, c, &result);
                free(TAKE_PTR(c));
        }
        if (l->role && context_compose(bases.process, NULL, l->role, NULL, NULL, &c) >= 0) {
                check_one(loc, "SecurityLabelRole", "label=role", "role", l->role, c, &result);
                free(TAKE_PTR(c));
        }
        if (raw_level && context_compose(bases.process, NULL, NULL, NULL, raw_level, &c) >= 0) {
                check_one(loc, "SecurityLabelLevel", "label=level", "level", l->level, c, &result);
                free(TAKE_PTR(c));
        }
        if (l->filetype && context_compose(bases.file, NULL, NULL, l->filetype, NULL, &c) >= 0) {
                check_one(loc, "SecurityLabelFileType", "label=filetype", "file type", l->filetype, c, &result);
                free(TAKE_PTR(c));
        }
        if (result < 0)
                return result;
        /* Then together: a role may not be allowed the type, a user not the level. */
        r = context_compose(bases.process, l->user, l->role, l->type, raw_level, &all);
        if (r < 0)
                return r;
        check_one(loc, "SecurityLabelType", "label", "label", all, all, &result);
        if (raw_level) {
                file_level = range_low(raw_level);
                if (!file_level)
                        return log_errno(-ENOMEM, "out of memory");
        }
        r = context_compose(bases.file, NULL, NULL, l->filetype, file_level, &file);
        if (r < 0)
                return r;
        check_one(loc, "SecurityLabelFileType", "label=filetype", "file label", file, file, &result);
        return result;
}
#else
int label_check_live(const struct berth_spec *s, const struct berth_loc *loc) {
        if (label_selinux_enabled() && !s->label.disable && label_requested(&s->label) &&
            !spec_label_disabled_by_namespaces(s))
                return log_syntax(loc, -EOPNOTSUPP, "cannot check SELinux labels: berth was built without libselinux");
        return 0;
}
#endif
