/* SPDX-License-Identifier: MIT */
#include "environ.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>

#include "log.h"
#include "util.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

int environ_set(char ***env, const char *assignment) {
        const char *eq = strchr(assignment, '=');
        size_t klen = eq ? (size_t) (eq - assignment) : strlen(assignment);
        char *copy;

        if (klen == 0)
                return -EINVAL;
        copy = strdup(assignment);
        if (!copy)
                return -ENOMEM;
        for (char **e = *env; e && *e; e++)
                if (strncmp(*e, assignment, klen) == 0 && (*e)[klen] == '=') {
                        free(*e);
                        *e = copy;
                        return 0;
                }
        return strv_push(env, copy);
}

static bool valid_name(const char *s, size_t n) {
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (s[i] == '\0' || s[i] == ' ' || s[i] == '\t')
                        return false;
        return true;
}

int environ_read_file(const char *path, char ***env) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *line = NULL;
        size_t size = 0;
        unsigned lineno = 0;
        ssize_t n;
        int fd, r;

        fd = open(path, O_RDONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
                return log_errno(negative_errno(), "env-file %s: %m", path);
        f = fdopen(fd, "re");
        if (!f) {
                close(fd);
                return log_errno(-ENOMEM, "env-file %s: %m", path);
        }
        while (errno = 0, (n = getline(&line, &size, f)) >= 0) {
                char *s = line, *eq;
                lineno++;
                while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
                        s[--n] = '\0';
                while (*s == ' ' || *s == '\t')
                        s++;
                if (*s == '\0' || *s == '#')
                        continue;
                eq = strchr(s, '=');
                if (!valid_name(s, eq ? (size_t) (eq - s) : strlen(s)))
                        return log_errno(-EINVAL, "env-file %s:%u: expected NAME=VALUE, got '%s'", path, lineno, s);
                if (!eq) {
                        const char *v = getenv(s);
                        _cleanup_free_ char *kv = NULL;
                        if (!v)
                                continue;
                        kv = strjoin(s, "=", v);
                        if (!kv)
                                return log_errno(-ENOMEM, "env-file %s: %m", path);
                        r = environ_set(env, kv);
                } else
                        r = environ_set(env, s);
                if (r < 0)
                        return log_errno(r, "env-file %s:%u: %m", path, lineno);
        }
        if (ferror(f))
                return log_errno(-EIO, "env-file %s: read error", path);
        return 0;
}

int environ_build(const struct berth_spec *s, const char *home, const char *hostname, const char *notify_socket,
                  char ***ret) {
        _cleanup_strv_free_ char **env = NULL;
        _cleanup_free_ char *h = strjoin("HOME=", home ?: "/");
        _cleanup_free_ char *hn = strjoin("HOSTNAME=", hostname ?: "");
        _cleanup_free_ char *ns = notify_socket ? strjoin("NOTIFY_SOCKET=", notify_socket) : NULL;
        int r;

        if (!h || !hn || (notify_socket && !ns))
                return log_errno(-ENOMEM, "environment: %m");
        if (environ_set(&env, "PATH=" DEFAULT_PATH) < 0 || environ_set(&env, h) < 0 ||
            (hostname && environ_set(&env, hn) < 0) || environ_set(&env, "container=berth") < 0)
                return log_errno(-ENOMEM, "environment: %m");

        STRV_FOREACH(file, s->env_files) {
                /* "-PATH" (EnvironmentFile=-PATH, as systemd): skipped when it does not exist */
                if (**file == '-' && access(*file + 1, F_OK) < 0 && errno == ENOENT)
                        continue;
                r = environ_read_file(**file == '-' ? *file + 1 : *file, &env);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(kv, s->env) {
                r = environ_set(&env, *kv);
                if (r < 0)
                        return log_errno(r, "--env %s: %m", *kv);
        }
        /* Last: the payload must reach the socket we bound for it, whatever --env said. */
        if (ns && environ_set(&env, ns) < 0)
                return log_errno(-ENOMEM, "environment: %m");
        *ret = TAKE_PTR(env);
        return 0;
}
