/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared between the pieces of the seccomp implementation (not part of the public API):
 * seccomp.c wires them, seccomp-default.c is the built-in profile, seccomp-json.c reads
 * Docker/OCI JSON profiles, seccomp-cache.c keeps compiled filters on disk. */

#include <seccomp.h>
#include <stdint.h>

#include "seccomp.h"
#include "sha256.h"

/* What a profile is compiled against: the container's final capability set and the host. */
struct seccomp_target {
        uint64_t caps;
        uint32_t native_arch;  /* SCMP_ARCH_* of this host */
        const char *arch_name; /* Docker's name for it ("amd64"), for includes.arches */
        unsigned kernel_major, kernel_minor;
};

int seccomp_target_init(struct seccomp_target *t, uint64_t caps);

/* Adds the native arch's companions (x86_64: x86 and x32, as Docker's archMap does). */
int seccomp_add_companion_arches(scmp_filter_ctx ctx, uint32_t native_arch);

/* Adds one rule for every name in names (a NULL-terminated array of n entries), skipping
 * names no architecture of this libseccomp knows, as Docker does. where names the rule in
 * error messages ("default profile: clone" or "p.json: syscalls[3]"). */
int seccomp_add_rule_names(scmp_filter_ctx ctx, const char *const *names, size_t n, uint32_t action,
                           const struct scmp_arg_cmp *args, unsigned n_args, const char *where);

/* The built-in default: builds ctx, or feeds a canonical form of the table to a hash. */
int seccomp_default_build(const struct seccomp_target *t, scmp_filter_ctx *ret);
void seccomp_default_hash(struct sha256_ctx *h);

/* A Docker/OCI JSON profile from memory; path is only for messages. */
int seccomp_json_build(const char *path, const char *json, size_t len, const struct seccomp_target *t,
                       scmp_filter_ctx *ret);

/* "SCMP_ACT_ERRNO" -> action (errno_ret applied where the action takes one). -EINVAL if unknown. */
int seccomp_action_from_string(const char *s, int errno_ret, uint32_t *ret);
int seccomp_op_from_string(const char *s, enum scmp_compare *ret);

/* The on-disk cache: one file per key, "<hex key>.bpf". */
int seccomp_cache_read(const char *dir, const uint8_t key[SHA256_DIGEST_SIZE], struct berth_seccomp *ret);
int seccomp_cache_write(const char *dir, const uint8_t key[SHA256_DIGEST_SIZE], const struct berth_seccomp *f);

/* Compiles ctx to raw BPF through a memfd (libseccomp only exports to an fd). */
int seccomp_export(scmp_filter_ctx ctx, struct berth_seccomp *ret);
