/* SPDX-License-Identifier: MIT */
#pragma once

/* SHA-256 (FIPS 180-4), for cache keys: a compiled seccomp filter is stored under the hash of
 * everything it was compiled from. Written from the standard; no crypto library is linked
 * into the start path for this one use. */

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_SIZE 32

struct sha256_ctx {
        uint32_t state[8];
        uint64_t length; /* bytes fed so far */
        uint8_t buffer[64];
        size_t buffered;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t digest[SHA256_DIGEST_SIZE]);

/* Convenience for hashing structured input unambiguously: a string with its length in front. */
void sha256_update_str(struct sha256_ctx *c, const char *s);
void sha256_update_u64(struct sha256_ctx *c, uint64_t v);

/* 64 lower-case hex digits and a NUL. */
void sha256_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char hex[2 * SHA256_DIGEST_SIZE + 1]);
