/* SPDX-License-Identifier: MIT */
/* What the running kernel says about AppArmor: enabled, and which profiles are loaded. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apparmor.h"

#define PROFILES_MAX (4 * 1024 * 1024)

/* The whole of a small kernel file (sysfs, securityfs), NUL-terminated. */
static int read_text(const char *path, size_t max, char **ret) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        struct strbuf b = {};
        char buf[4096];
        ssize_t n;

        if (fd < 0)
                return negative_errno();
        strbuf_put(&b, "", 0);
        while ((n = read(fd, buf, sizeof(buf))) != 0) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        strbuf_done(&b);
                        return negative_errno();
                }
                if (b.len + (size_t) n > max) {
                        strbuf_done(&b);
                        return -EFBIG;
                }
                strbuf_put(&b, buf, (size_t) n);
        }
        *ret = strbuf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

bool apparmor_is_enabled(void) {
        _cleanup_free_ char *text = NULL;

        return read_text(APPARMOR_ENABLED_FILE, 64, &text) >= 0 && apparmor_enabled_from_text(text);
}

int apparmor_profile_is_loaded(const char *name, char **ret_mode) {
        _cleanup_free_ char *list = NULL;
        int r = read_text(APPARMOR_PROFILES_FILE, PROFILES_MAX, &list);

        if (r < 0)
                return r;
        return apparmor_profiles_find(list, name, ret_mode);
}

int apparmor_profile_wanted(const struct berth_spec *s, const char **ret) {
        const char *name = s->apparmor_profile;

        *ret = NULL;
        if (streq_ptr(name, APPARMOR_UNCONFINED))
                return 0;
        if (!apparmor_is_enabled())
                return name ? -EOPNOTSUPP : 0;
        *ret = name ? name : APPARMOR_DEFAULT_PROFILE;
        return 0;
}

int apparmor_check_live(const struct berth_spec *s, const struct berth_loc *loc) {
        const char *name;
        int r;

        r = apparmor_profile_wanted(s, &name);
        if (r < 0)
                return log_syntax(loc, r, "AppArmor profile '%s': AppArmor is not enabled on this host",
                                  s->apparmor_profile);
        if (!name)
                return 0;
        r = apparmor_profile_is_loaded(name, NULL);
        if (r < 0)
                return log_syntax(loc, r, "AppArmor profile '%s': cannot read %s: %m", name, APPARMOR_PROFILES_FILE);
        if (r > 0)
                return 0;
        if (streq(name, APPARMOR_DEFAULT_PROFILE) &&
            access(APPARMOR_PROFILE_DIR "/" APPARMOR_DEFAULT_PROFILE, R_OK) == 0)
                return 0; /* berth-exec loads it at the first start */
        return log_syntax(loc, -ENOENT, "AppArmor profile '%s' is not loaded (apparmor_parser -r %s/%s loads it)", name,
                          APPARMOR_PROFILE_DIR, name);
}

int apparmor_parser_replace(const char *file) {
        static const char *const paths[] = {"/sbin/apparmor_parser", "/usr/sbin/apparmor_parser"};
        char *const envp[] = {(char *) "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
        const char *parser = NULL;
        posix_spawn_file_actions_t fa;
        int r, status;
        pid_t pid;

        for (size_t i = 0; i < ELEMENTSOF(paths) && !parser; i++)
                if (access(paths[i], X_OK) == 0)
                        parser = paths[i];
        if (!parser)
                return -ENOENT;
        char *const argv[] = {(char *) parser, (char *) "-r", (char *) "-W", (char *) file, NULL};
        if (posix_spawn_file_actions_init(&fa) != 0)
                return -ENOMEM;
        r = posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
        if (r == 0)
                r = posix_spawn(&pid, parser, &fa, NULL, argv, envp);
        posix_spawn_file_actions_destroy(&fa);
        if (r != 0)
                return -r;
        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return negative_errno();
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EPROTO;
}

const char *apparmor_parser_strerror(int r) {
        if (r == -ENOENT)
                return "apparmor_parser is not installed";
        if (r == -EPROTO)
                return "it failed";
        return strerror(-r);
}
