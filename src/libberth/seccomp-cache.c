/* SPDX-License-Identifier: MIT */
/* Compiled filters on disk: CACHE_DIR/<sha256 of inputs>.bpf. A restart reads the program
 * instead of compiling it (compiling Docker's allow-list costs about a millisecond; reading
 * 8 KiB from tmpfs costs microseconds). Nothing read is trusted blindly: the file must be
 * ours, not writable by others, and carry a header whose key and checksum match; anything
 * else is treated as a miss and recompiled. Writes go to a temporary file renamed into place,
 * so a reader never sees half a program. */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "seccomp-internal.h"

#define CACHE_MAGIC "BERTHBPF"
#define CACHE_FORMAT 2

struct cache_header {
        char magic[8];
        uint32_t format;
        uint32_t n_insns;
        uint8_t key[SHA256_DIGEST_SIZE];
        uint64_t insns_checksum;
};

/* FNV-1a over the program: catches a damaged or half-written entry. Not a defence against
 * a writer: the directory is root's own and mode 0700, and whoever can write there can
 * replace berth-exec itself. (A SHA-256 of the 8 KiB program was a third of berth-exec's
 * own instructions on every start.) */
static uint64_t checksum_insns(const struct sock_filter *insns, size_t n) {
        const unsigned char *p = (const unsigned char *) insns;
        uint64_t h = UINT64_C(0xcbf29ce484222325);

        for (size_t i = 0; i < n * sizeof(struct sock_filter); i++)
                h = (h ^ p[i]) * UINT64_C(0x100000001b3);
        return h;
}

static void cache_file_name(const uint8_t key[SHA256_DIGEST_SIZE], char name[2 * SHA256_DIGEST_SIZE + 5]) {
        sha256_to_hex(key, name);
        strcat(name, ".bpf");
}

int seccomp_cache_read(const char *dir, const uint8_t key[SHA256_DIGEST_SIZE], struct berth_seccomp *ret) {
        char name[2 * SHA256_DIGEST_SIZE + 5];
        _cleanup_free_ char *path = NULL;
        _cleanup_free_ struct sock_filter *insns = NULL;
        _cleanup_close_ int fd = -1;
        struct cache_header hdr;
        struct stat st;
        size_t size;

        cache_file_name(key, name);
        path = strjoin(dir, "/", name);
        if (!path)
                return -ENOMEM;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return negative_errno();
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
                log_notice("seccomp cache: ignoring %s: not a private regular file", path);
                return -EPERM;
        }
        if (pread(fd, &hdr, sizeof(hdr), 0) != (ssize_t) sizeof(hdr) ||
            memcmp(hdr.magic, CACHE_MAGIC, sizeof(hdr.magic)) != 0)
                goto corrupt;
        if (hdr.format != CACHE_FORMAT)
                return -ESTALE; /* written by another version: recompiled and rewritten, quietly */
        if (memcmp(hdr.key, key, SHA256_DIGEST_SIZE) != 0 || hdr.n_insns == 0 || hdr.n_insns > BPF_MAXINSNS)
                goto corrupt;
        size = (size_t) hdr.n_insns * sizeof(struct sock_filter);
        if ((size_t) st.st_size != sizeof(hdr) + size)
                goto corrupt;
        insns = malloc(size);
        if (!insns)
                return -ENOMEM;
        if (pread(fd, insns, size, sizeof(hdr)) != (ssize_t) size)
                goto corrupt;
        if (checksum_insns(insns, hdr.n_insns) != hdr.insns_checksum)
                goto corrupt;

        *ret = (struct berth_seccomp){.insns = TAKE_PTR(insns), .len = hdr.n_insns};
        return 0;
corrupt:
        log_notice("seccomp cache: ignoring corrupt entry %s; recompiling", path);
        return -EBADMSG;
}

static int mkdir_private(const char *path) {
        _cleanup_free_ char *parent = NULL;
        char *slash;

        if (mkdir(path, 0700) >= 0 || errno == EEXIST)
                return 0;
        if (errno != ENOENT)
                return negative_errno();
        parent = strdup(path);
        if (!parent)
                return -ENOMEM;
        slash = strrchr(parent, '/');
        if (!slash || slash == parent)
                return -ENOENT;
        *slash = 0;
        /* Intermediate directories (the runtime dir itself) are readable, as tmpfiles.d makes them. */
        if (mkdir(parent, 0755) < 0 && errno != EEXIST) {
                int r = mkdir_private(parent);
                if (r < 0)
                        return r;
                if (mkdir(parent, 0755) < 0 && errno != EEXIST)
                        return negative_errno();
        }
        if (mkdir(path, 0700) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

/* Failures are warnings: the filter in hand is good, only the next start pays for a compile. */
int seccomp_cache_write(const char *dir, const uint8_t key[SHA256_DIGEST_SIZE], const struct berth_seccomp *f) {
        char name[2 * SHA256_DIGEST_SIZE + 5];
        _cleanup_free_ char *path = NULL, *tmp = NULL;
        _cleanup_close_ int fd = -1;
        struct cache_header hdr = {.magic = CACHE_MAGIC, .format = CACHE_FORMAT, .n_insns = f->len};
        int r;

        r = mkdir_private(dir);
        if (r < 0)
                return log_full_errno(LOG_LEVEL_WARNING, r, "seccomp cache: cannot create %s: %m", dir);

        cache_file_name(key, name);
        path = strjoin(dir, "/", name);
        if (!path || xasprintf(&tmp, "%s/.%s.%d", dir, name, (int) getpid()) < 0)
                return -ENOMEM;
        memcpy(hdr.key, key, SHA256_DIGEST_SIZE);
        hdr.insns_checksum = checksum_insns(f->insns, f->len);

        (void) unlink(tmp);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd < 0)
                return log_full_errno(LOG_LEVEL_WARNING, negative_errno(), "seccomp cache: cannot create %s: %m", tmp);
        r = loop_write(fd, &hdr, sizeof(hdr));
        if (r >= 0)
                r = loop_write(fd, f->insns, f->len * sizeof(struct sock_filter));
        if (r >= 0 && rename(tmp, path) < 0)
                r = negative_errno();
        if (r < 0) {
                (void) unlink(tmp);
                return log_full_errno(LOG_LEVEL_WARNING, r, "seccomp cache: cannot write %s: %m", path);
        }
        return 0;
}
