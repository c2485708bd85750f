/* SPDX-License-Identifier: MIT */
/* seccomp_prepare(): profile name + final capability set -> raw BPF, through the on-disk cache
 * when possible (a cache hit does not call libseccomp at all); seccomp_load(): the raw
 * seccomp(2) call, the last thing before execve. */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "build-id.h"
#include "seccomp-internal.h"

/* Docker's architecture names, used by JSON profiles' includes.arches/excludes.arches. */
static const char *arch_docker_name(uint32_t arch) {
        switch (arch) {
        case SCMP_ARCH_X86_64:
                return "amd64";
        case SCMP_ARCH_X86:
                return "x86";
        case SCMP_ARCH_X32:
                return "x32";
        case SCMP_ARCH_AARCH64:
                return "arm64";
        case SCMP_ARCH_ARM:
                return "arm";
        case SCMP_ARCH_PPC64LE:
                return "ppc64le";
        case SCMP_ARCH_S390X:
                return "s390x";
        case SCMP_ARCH_RISCV64:
                return "riscv64";
        default:
                return "unknown";
        }
}

int seccomp_target_init(struct seccomp_target *t, uint64_t caps) {
        struct utsname u;

        *t = (struct seccomp_target){.caps = caps, .native_arch = seccomp_arch_native()};
        t->arch_name = arch_docker_name(t->native_arch);
        if (uname(&u) < 0)
                return log_errno(negative_errno(), "seccomp: uname: %m");
        if (sscanf(u.release, "%u.%u", &t->kernel_major, &t->kernel_minor) != 2)
                return log_errno(-EINVAL, "seccomp: cannot parse the kernel release '%s'", u.release);
        return 0;
}

int seccomp_add_companion_arches(scmp_filter_ctx ctx, uint32_t native_arch) {
        static const struct {
                uint32_t native, companion;
        } companions[] = {
                {SCMP_ARCH_X86_64, SCMP_ARCH_X86},
                {SCMP_ARCH_X86_64, SCMP_ARCH_X32},
                {SCMP_ARCH_AARCH64, SCMP_ARCH_ARM},
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(companions); i++) {
                if (companions[i].native != native_arch)
                        continue;
                r = seccomp_arch_add(ctx, companions[i].companion);
                if (r < 0 && r != -EEXIST)
                        return log_errno(r, "seccomp: cannot add architecture %s: %m",
                                         arch_docker_name(companions[i].companion));
        }
        return 0;
}

int seccomp_add_rule_names(scmp_filter_ctx ctx, const char *const *names, size_t n, uint32_t action,
                           const struct scmp_arg_cmp *args, unsigned n_args, const char *where) {
        for (size_t i = 0; i < n; i++) {
                int nr = seccomp_syscall_resolve_name(names[i]);
                int r;

                /* A name no architecture knows (newer than this libseccomp, or a typo) is
                 * skipped as Docker does: the default action covers it. */
                if (nr == __NR_SCMP_ERROR) {
                        log_debug("%s: unknown system call '%s', skipped", where, names[i]);
                        continue;
                }
                r = seccomp_rule_add_array(ctx, action, nr, n_args, args);
                if (r < 0)
                        return log_errno(r, "%s: cannot add a rule for '%s': %m", where, names[i]);
        }
        return 0;
}

int seccomp_export(scmp_filter_ctx ctx, struct berth_seccomp *ret) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ struct sock_filter *insns = NULL;
        struct stat st;
        ssize_t n;
        int r;

        fd = memfd_create("berth-seccomp", MFD_CLOEXEC);
        if (fd < 0)
                return log_errno(negative_errno(), "seccomp: memfd_create: %m");
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0)
                return log_errno(r, "seccomp: cannot generate the BPF program: %m");
        if (fstat(fd, &st) < 0)
                return log_errno(negative_errno(), "seccomp: fstat: %m");
        if (st.st_size <= 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
            st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS)
                return log_errno(-E2BIG, "seccomp: the compiled filter has an unusable size (%lld bytes)",
                                 (long long) st.st_size);
        insns = malloc(st.st_size);
        if (!insns)
                return log_errno(-ENOMEM, "seccomp: %m");
        n = pread(fd, insns, st.st_size, 0);
        if (n != st.st_size)
                return log_errno(n < 0 ? negative_errno() : -EIO, "seccomp: reading the compiled filter: %m");

        *ret = (struct berth_seccomp){.insns = TAKE_PTR(insns), .len = st.st_size / sizeof(struct sock_filter)};
        return 0;
}

static int read_profile_file(const char *path, char **ret, size_t *ret_len) {
        _cleanup_close_ int fd = -1;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t done = 0;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return log_errno(negative_errno(), "%s: cannot open seccomp profile: %m", path);
        if (fstat(fd, &st) < 0)
                return log_errno(negative_errno(), "%s: %m", path);
        if (!S_ISREG(st.st_mode))
                return log_errno(-EINVAL, "%s: seccomp profile is not a regular file", path);
        /* Docker's own default is ~20 KiB; anything near this is not a profile. */
        if (st.st_size > 16 * 1024 * 1024)
                return log_errno(-EFBIG, "%s: seccomp profile is too large", path);
        buf = malloc(st.st_size + 1);
        if (!buf)
                return log_errno(-ENOMEM, "%s: %m", path);
        while (done < (size_t) st.st_size) {
                ssize_t n = read(fd, buf + done, st.st_size - done);
                if (n < 0)
                        return log_errno(negative_errno(), "%s: %m", path);
                if (n == 0)
                        break;
                done += n;
        }
        buf[done] = 0;
        *ret = TAKE_PTR(buf);
        *ret_len = done;
        return 0;
}

/* Everything the compiled program depends on goes into the key. The built-in default is
 * part of the program, so the program's build ID stands for it (and for the code that
 * compiles it) and spares hashing the whole table on every start; without a build ID the
 * table itself is hashed. */
static void cache_key(const char *profile_bytes, size_t len, const struct seccomp_target *t,
                      uint8_t key[SHA256_DIGEST_SIZE]) {
        const struct scmp_version *v = seccomp_version();
        const uint8_t *build_id;
        size_t build_id_len;
        struct sha256_ctx h;

        sha256_init(&h);
        sha256_update_str(&h, "berth seccomp cache v2");
        if (profile_bytes) {
                sha256_update_str(&h, "profile");
                sha256_update_u64(&h, len);
                sha256_update(&h, profile_bytes, len);
        } else if (self_build_id(&build_id, &build_id_len) >= 0) {
                sha256_update_str(&h, "built-in default of build");
                sha256_update_u64(&h, build_id_len);
                sha256_update(&h, build_id, build_id_len);
        } else {
                sha256_update_str(&h, "built-in default");
                seccomp_default_hash(&h);
        }
        sha256_update_u64(&h, t->caps);
        sha256_update_u64(&h, t->native_arch);
        sha256_update_u64(&h, (uint64_t) t->kernel_major << 32 | t->kernel_minor);
        sha256_update_u64(&h, (uint64_t) v->major << 32 | (uint64_t) v->minor << 16 | v->micro);
        sha256_final(&h, key);
}

int seccomp_prepare(const char *profile, uint64_t caps, const char *cache_dir, struct berth_seccomp *ret) {
        _cleanup_free_ char *json = NULL;
        struct seccomp_target t;
        uint8_t key[SHA256_DIGEST_SIZE];
        scmp_filter_ctx ctx = NULL;
        size_t json_len = 0;
        int r;

        *ret = (struct berth_seccomp){};
        if (isempty(profile) || streq(profile, "default"))
                profile = NULL;
        else if (streq(profile, "unconfined")) {
                ret->unconfined = true;
                return 0;
        } else if (!path_is_absolute(profile))
                return log_errno(-EINVAL, "seccomp profile '%s': expected default, unconfined or an absolute path",
                                 profile);
        else {
                r = read_profile_file(profile, &json, &json_len);
                if (r < 0)
                        return r;
        }

        r = seccomp_target_init(&t, caps);
        if (r < 0)
                return r;

        if (cache_dir) {
                cache_key(json, json_len, &t, key);
                r = seccomp_cache_read(cache_dir, key, ret);
                if (r >= 0) {
                        ret->from_cache = true;
                        return 0;
                }
        }

        r = profile ? seccomp_json_build(profile, json, json_len, &t, &ctx) : seccomp_default_build(&t, &ctx);
        if (r < 0)
                return r;
        r = seccomp_export(ctx, ret);
        seccomp_release(ctx);
        if (r < 0)
                return r;

        /* A cache that cannot be written only costs the next start a compile. */
        if (cache_dir)
                (void) seccomp_cache_write(cache_dir, key, ret);
        return 0;
}

int seccomp_load_filter(const struct berth_seccomp *f) {
        struct sock_fprog prog;
        int r;

        if (f->unconfined)
                return 0;
        if (!f->insns || f->len == 0)
                return log_errno(-EINVAL, "seccomp: no filter was prepared");
        prog = (struct sock_fprog){.len = f->len, .filter = f->insns};
        r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 ? negative_errno() : 0;
        /* Kernels before 3.17, and valgrind, lack seccomp(2); prctl() installs the same filter
         * (libseccomp falls back the same way). Any other failure is final. */
        if (r == -ENOSYS)
                r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0 ? negative_errno() : 0;
        if (r == -EACCES)
                return log_errno(r, "seccomp: loading the filter needs no-new-privileges or CAP_SYS_ADMIN: %m");
        if (r < 0)
                return log_errno(r, "seccomp: loading the filter: %m");
        return 0;
}

void seccomp_done(struct berth_seccomp *f) {
        free(f->insns);
        *f = (struct berth_seccomp){};
}
