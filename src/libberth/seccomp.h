/* SPDX-License-Identifier: MIT */
#pragma once

/* Seccomp filters (SPEC §3 SeccompProfile=): a built-in equivalent of Docker's default
 * profile, "unconfined", or a Docker/OCI JSON profile. Compiled with libseccomp against the
 * container's final capability set, cached as raw BPF under the runtime dir keyed by a hash
 * of (profile contents, caps, arch, libseccomp version), and loaded with the raw seccomp(2)
 * syscall as the last step before execve. */

#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>

#include "log.h"

struct berth_seccomp {
        bool unconfined;           /* nothing to load */
        struct sock_filter *insns; /* malloc'ed BPF program */
        unsigned short len;
        bool from_cache;           /* read from the cache, not compiled now */
};

/* profile: "default", "unconfined" or an absolute path to a JSON profile.
 * cache_dir: where compiled filters are kept (NULL: no cache). Logs and fails with one line
 * naming the profile (and the JSON path of a bad element). */
int seccomp_prepare(const char *profile, uint64_t caps, const char *cache_dir, struct berth_seccomp *ret);

/* Loads the filter into the calling thread with the raw seccomp(2) system call (no libseccomp
 * call on this path). Without no_new_privs the caller must still hold CAP_SYS_ADMIN (load
 * before dropping capabilities). Named so as not to collide with libseccomp's seccomp_load(). */
int seccomp_load_filter(const struct berth_seccomp *f);

void seccomp_done(struct berth_seccomp *f);
