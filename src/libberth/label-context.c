/* SPDX-License-Identifier: MIT */
/* Composing container labels with libselinux's context API. Nothing here needs a running
 * SELinux kernel: checking against the loaded policy is label.c's job. */
#include "label-internal.h"

#if HAVE_SELINUX

#include <ctype.h>
#include <errno.h>
#include <selinux/context.h>
#include <selinux/selinux.h>

#include "log.h"
#include "util.h"

/* What container runtimes use when the policy ships no lxc_contexts file. */
#define FALLBACK_PROCESS_CONTEXT "system_u:system_r:container_t:s0"
#define FALLBACK_FILE_CONTEXT "system_u:object_r:container_file_t:s0"

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

void label_bases_done(struct label_bases *b) {
        free(b->process);
        free(b->file);
        *b = (struct label_bases){};
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

/* lxc_contexts is `key = "context"` lines (the format libvirt and podman read too);
 * libselinux gives its path but no parser. */
int label_bases_load(const char *path, struct label_bases *ret) {
        _cleanup_(label_bases_done) struct label_bases b = {};
        _cleanup_fclose_ FILE *f = NULL;
        char line[1024];
        unsigned n = 0;

        if (path) {
                f = fopen(path, "re");
                if (!f && errno != ENOENT)
                        return log_errno(negative_errno(), "cannot read %s: %m", path);
        }
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
                        field = &b.process;
                else if (streq(key, "file"))
                        field = &b.file;
                else
                        continue;
                l = strlen(value);
                if (l >= 2 && (value[0] == '"' || value[0] == '\'') && value[l - 1] == value[0]) {
                        value[l - 1] = 0;
                        value++;
                }
                /* A context has at least user:role:type; anything less is a broken file, and
                 * guessing would run the container under a label nobody chose. */
                if (strchr(value, ':') == NULL || strchr(strchr(value, ':') + 1, ':') == NULL)
                        return log_errno(-EINVAL, "%s:%u: %s: expected a context like \"user:role:type:level\", got \"%s\"",
                                         path, n, key, value);
                free(*field);
                *field = strdup(value);
                if (!*field)
                        return log_errno(-ENOMEM, "out of memory");
        }
        if (!b.process)
                b.process = strdup(FALLBACK_PROCESS_CONTEXT);
        if (!b.file)
                b.file = strdup(FALLBACK_FILE_CONTEXT);
        if (!b.process || !b.file)
                return log_errno(-ENOMEM, "out of memory");
        *ret = b;
        b = (struct label_bases){};
        return 0;
}

int label_context_compose(const char *base, const char *user, const char *role, const char *type, const char *range,
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

int label_level_to_raw(const char *base_process, const char *level, char **ret) {
        _cleanup_context_ context_t raw_ctx = NULL;
        _cleanup_freecon_ char *raw = NULL;
        _cleanup_free_ char *translated = NULL;
        const char *range;
        int r;

        /* libselinux translates whole contexts, not bare levels. */
        r = label_context_compose(base_process, NULL, NULL, NULL, level, &translated);
        if (r < 0)
                return r;
        if (selinux_trans_to_raw_context(translated, &raw) < 0 || !raw)
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

char *label_context_sensitivity(const char *context) {
        _cleanup_context_ context_t ctx = NULL;
        const char *range;

        ctx = context_new(context);
        if (!ctx)
                return NULL;
        range = context_range_get(ctx);
        if (!range)
                range = "s0";
        return strndup(range, strcspn(range, ":-"));
}

int label_compose_pair(const struct label_bases *b, const struct berth_label *l, const char *raw_level,
                       char **ret_process, char **ret_file) {
        _cleanup_free_ char *process = NULL, *file = NULL, *file_level = NULL;
        int r;

        r = label_context_compose(b->process, l->user, l->role, l->type, raw_level, &process);
        if (r < 0)
                return r;
        /* A process may run over a range (s0-s3:c0.c127); the files it creates get its low
         * level, so the mounts get that too. The API has no accessor for a range's ends. */
        if (raw_level) {
                file_level = strndup(raw_level, strcspn(raw_level, "-"));
                if (!file_level)
                        return log_errno(-ENOMEM, "out of memory");
        }
        r = label_context_compose(b->file, NULL, NULL, l->filetype, file_level, &file);
        if (r < 0)
                return r;
        *ret_process = TAKE_PTR(process);
        *ret_file = TAKE_PTR(file);
        return 0;
}

#endif
