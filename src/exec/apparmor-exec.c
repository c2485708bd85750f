/* SPDX-License-Identifier: MIT */
#include "apparmor-exec.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apparmor/apparmor.h"
#include "log.h"
#include "procattr.h"
#include "util.h"

/* 1: loaded, 0: not; logs on failure. */
static int profile_loaded(const char *name) {
        int r = apparmor_profile_is_loaded(name, NULL);

        if (r < 0)
                return log_errno(r, "AppArmor profile %s: cannot read %s (is securityfs mounted?): %m", name,
                                 APPARMOR_PROFILES_FILE);
        return r;
}

/* berth-default is (re)loaded when the kernel does not have it, or when the installed file
 * changed since berth last loaded it: runtime_dir/apparmor/berth-default.loaded carries that
 * file's mtime from then. */
static int ensure_default_loaded(const char *runtime_dir) {
        _cleanup_free_ char *file = strjoin(APPARMOR_PROFILE_DIR "/", APPARMOR_DEFAULT_PROFILE);
        _cleanup_free_ char *dir = strjoin(runtime_dir, "/apparmor");
        _cleanup_free_ char *stamp = strjoin(runtime_dir, "/apparmor/", APPARMOR_DEFAULT_PROFILE, ".loaded");
        _cleanup_close_ int fd = -1;
        struct stat st, stamp_st;
        int loaded, r;

        if (!file || !dir || !stamp)
                return log_errno(-ENOMEM, "AppArmor: %m");
        loaded = profile_loaded(APPARMOR_DEFAULT_PROFILE);
        if (loaded < 0)
                return loaded;
        if (stat(file, &st) < 0) {
                if (loaded)
                        return 0; /* loaded by whoever installed it elsewhere */
                return log_errno(negative_errno(), "AppArmor profile %s is not loaded and %s cannot be read: %m",
                                 APPARMOR_DEFAULT_PROFILE, file);
        }
        if (loaded && stat(stamp, &stamp_st) == 0 && stamp_st.st_mtim.tv_sec == st.st_mtim.tv_sec &&
            stamp_st.st_mtim.tv_nsec == st.st_mtim.tv_nsec)
                return 0;

        r = apparmor_parser_replace(file);
        if (r < 0)
                return log_errno(r, "AppArmor profile %s: apparmor_parser -r -W %s: %s", APPARMOR_DEFAULT_PROFILE, file,
                                 apparmor_parser_strerror(r));
        loaded = profile_loaded(APPARMOR_DEFAULT_PROFILE);
        if (loaded <= 0)
                return loaded < 0
                               ? loaded
                               : log_errno(-ENOENT, "AppArmor profile %s: %s loaded, but the kernel does not list it",
                                           APPARMOR_DEFAULT_PROFILE, file);
        /* The record is an optimisation: without it the next start loads again. */
        if (mkdir(runtime_dir, 0755) < 0 && errno != EEXIST)
                return 0;
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
                return 0;
        fd = open(stamp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0)
                (void) futimens(fd, (const struct timespec[2]){st.st_mtim, st.st_mtim});
        return 0;
}

int apparmor_plan_build(const struct berth_spec *s, const char *runtime_dir, struct apparmor_plan *ret) {
        const char *name;
        int r;

        *ret = (struct apparmor_plan){};
        r = apparmor_profile_wanted(s, &name);
        if (r < 0)
                return log_errno(r,
                                 "AppArmor profile %s: AppArmor is not enabled on this kernel (%s), the container "
                                 "cannot be confined by it",
                                 s->apparmor_profile, APPARMOR_ENABLED_FILE);
        if (!name)
                return 0;
        if (streq(name, APPARMOR_DEFAULT_PROFILE)) {
                r = ensure_default_loaded(runtime_dir);
        } else {
                r = profile_loaded(name);
                if (r == 0)
                        r = log_errno(-ENOENT, "AppArmor profile %s is not loaded (apparmor_parser -r %s/%s loads it)",
                                      name, APPARMOR_PROFILE_DIR, name);
        }
        if (r < 0)
                return r;
        ret->profile = strdup(name);
        return ret->profile ? 0 : log_errno(-ENOMEM, "AppArmor: %m");
}

void apparmor_plan_done(struct apparmor_plan *p) {
        free(p->profile);
        p->profile = NULL;
}

int apparmor_open_proc(int rootfd) {
        _cleanup_close_ int fd = openat(rootfd, "proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct statfs sf;

        if (fd < 0)
                return log_errno(negative_errno(), "AppArmor: open the container's /proc: %m");
        if (fstatfs(fd, &sf) < 0)
                return log_errno(negative_errno(), "AppArmor: the container's /proc: %m");
        if (sf.f_type != PROC_SUPER_MAGIC)
                return log_errno(-EXDEV, "AppArmor: the container's /proc is not the procfs berth-exec mounted");
        return TAKE_FD(fd);
}

int apparmor_apply_exec(const struct apparmor_plan *p, int proc_fd) {
        _cleanup_free_ char *value = NULL;
        int r;

        if (!p->profile)
                return 0;
        value = strjoin("exec ", p->profile);
        if (!value)
                return log_errno(-ENOMEM, "AppArmor: %m");
        r = procattr_write(proc_fd, "apparmor/exec", value);
        if (r == -EXDEV)
                return log_errno(r,
                                 "AppArmor profile %s: /proc/thread-self/attr/apparmor/exec is not on the procfs "
                                 "berth-exec mounted",
                                 p->profile);
        if (r < 0)
                return log_errno(r, "AppArmor profile %s: arming the change at exec: %m", p->profile);
        return 0;
}
