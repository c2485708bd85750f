/* SPDX-License-Identifier: MIT */
#include "record-spec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/* Whether name in dir_fd holds exactly data: a service restarted with the same description
 * finds its record as it left it, and reading it back is cheaper than a new file and a
 * rename. The file is only ever made whole by rename(), so a match is the complete record. */
static bool file_has_at(int dir_fd, const char *name, const char *data, size_t len) {
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        ssize_t n;

        if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t) st.st_size != len)
                return false;
        buf = malloc(len + 1); /* one more byte: a file that grew since fstat() does not match */
        if (!buf)
                return false;
        n = pread(fd, buf, len + 1, 0);
        return n >= 0 && (size_t) n == len && memcmp(buf, data, len) == 0;
}

static int write_file_at(int dir_fd, const char *name, const char *data, size_t len) {
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -1;
        int r;

        if (file_has_at(dir_fd, name, data, len))
                return 0;
        tmp = strjoin(name, ".new");
        if (!tmp)
                return -ENOMEM;
        fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
                return negative_errno();
        r = loop_write(fd, data, len);
        if (r < 0)
                return r;
        if (renameat(dir_fd, tmp, dir_fd, name) < 0)
                return negative_errno();
        return 0;
}

static int open_record_dir(const char *runtime_dir, const char *name, int *ret) {
        _cleanup_free_ char *dir = strjoin(runtime_dir, "/", name);
        int fd;

        if (!dir)
                return -ENOMEM;
        fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        *ret = fd;
        return 0;
}

static int add_word(const char *word, void *userdata) {
        struct strbuf *b = userdata;
        strbuf_put(b, word, strlen(word) + 1);
        return b->oom ? -ENOMEM : 0;
}

int record_write_spec(const char *runtime_dir, const struct berth_spec *s, const char *label) {
        _cleanup_close_ int dir_fd = -1;
        struct strbuf b = {};
        int r;

        if (!s->name)
                return 0;
        r = open_record_dir(runtime_dir, s->name, &dir_fd);
        if (r < 0)
                return log_errno(r, "record: %s/%s: %m", runtime_dir, s->name);
        r = spec_argv_walk(s, add_word, &b);
        if (r >= 0)
                r = write_file_at(dir_fd, "spec", b.data ? b.data : "", b.len);
        strbuf_done(&b);
        if (r >= 0) {
                if (label)
                        r = write_file_at(dir_fd, "label", label, strlen(label));
                else if (unlinkat(dir_fd, "label", 0) < 0 && errno != ENOENT)
                        r = negative_errno();
        }
        if (r < 0)
                return log_errno(r, "record: %s/%s/spec: %m", runtime_dir, s->name);
        return 0;
}

static int read_file_at(int dir_fd, const char *name, char **ret, size_t *ret_len) {
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        struct strbuf b = {};
        char buf[4096];
        ssize_t n;

        if (fd < 0)
                return negative_errno();
        while ((n = read(fd, buf, sizeof(buf))) != 0) {
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0) {
                        int r = negative_errno();
                        strbuf_done(&b);
                        return r;
                }
                strbuf_put(&b, buf, (size_t) n);
        }
        strbuf_put(&b, "", 1);
        if (b.oom) {
                strbuf_done(&b);
                return -ENOMEM;
        }
        *ret_len = b.len - 1;
        *ret = strbuf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

int record_read_spec(const char *runtime_dir, const char *name, struct berth_spec *ret, char **ret_label) {
        _cleanup_close_ int dir_fd = -1;
        _cleanup_free_ char *data = NULL, *label = NULL;
        _cleanup_strv_free_ char **argv = NULL;
        size_t len = 0, label_len = 0;
        bool help;
        int r;

        r = open_record_dir(runtime_dir, name, &dir_fd);
        if (r >= 0)
                r = read_file_at(dir_fd, "spec", &data, &len);
        if (r < 0)
                return log_errno(r, "%s: %s/%s/spec: %m (was it started by this version of berth?)", name, runtime_dir,
                                 name);
        r = read_file_at(dir_fd, "label", &label, &label_len);
        if (r < 0 && r != -ENOENT)
                return log_errno(r, "%s: %s/%s/label: %m", name, runtime_dir, name);

        r = strv_extend(&argv, "berth-exec");
        for (size_t i = 0; r >= 0 && i < len; i += strlen(data + i) + 1)
                r = strv_extend(&argv, data + i);
        if (r < 0)
                return log_errno(r, "%s: %m", name);
        r = spec_from_argv(ret, (int) strv_length(argv), argv, &help);
        if (r < 0)
                return log_errno(r, "%s: %s/%s/spec cannot be read back", name, runtime_dir, name);
        *ret_label = TAKE_PTR(label);
        return 0;
}
