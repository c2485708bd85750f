/* SPDX-License-Identifier: MIT */
/* Tmpfs= option values, checked as the kernel's shmem_parse_one() reads them (issue 12
 * item 6): a value it would refuse is refused when the description is read. */
#include "tmpfs-options.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "util.h"

/* A number as the kernel's memparse() reads it: digits, then at most one of k, m, g, t, p,
 * e (either case), at most max; percent: "N%" too (size= only). */
static bool tmpfs_size_is_valid(const char *v, bool percent, unsigned long long max) {
        static const char suffixes[] = "kKmMgGtTpPeE";
        unsigned long long n = 0;
        const char *c = v, *sfx;

        if (!isdigit((unsigned char) *c))
                return false;
        for (; isdigit((unsigned char) *c); c++) {
                if (n > (UINT64_MAX - (unsigned) (*c - '0')) / 10)
                        return false;
                n = n * 10 + (unsigned) (*c - '0');
        }
        if (*c == 0)
                return n <= max;
        /* "%%" as a description writes it (systemd makes it "%" in the unit) */
        if (percent && (streq(c, "%") || streq(c, "%%")))
                return n > 0 && n <= 100;
        sfx = strchr(suffixes, *c);
        if (!sfx || c[1])
                return false;
        for (size_t k = 0; k <= (size_t) (sfx - suffixes) / 2; k++) {
                if (n > UINT64_MAX / 1024)
                        return false;
                n *= 1024;
        }
        return n <= max;
}

/* Why the kernel would refuse a tmpfs option's value (shmem_parse_one()), or NULL. */
const char *tmpfs_option_value_problem(const char *o) {
        const char *v;
        char *end;
        unsigned long long n;

        /* shmem_parse_one(): nr_blocks at most LONG_MAX, nr_inodes at most ULONG_MAX / 1024 */
        if ((v = startswith(o, "size=")))
                return tmpfs_size_is_valid(v, true, UINT64_MAX)
                               ? NULL
                               : "size= is a byte count with an optional k, m or g suffix, or a percentage";
        if ((v = startswith(o, "nr_blocks=")))
                return tmpfs_size_is_valid(v, false, INT64_MAX)
                               ? NULL
                               : "a count with an optional k, m or g suffix, at most 2^63-1";
        if ((v = startswith(o, "nr_inodes=")))
                return tmpfs_size_is_valid(v, false, UINT64_MAX / 1024)
                               ? NULL
                               : "a count with an optional k, m or g suffix, at most 2^54-1";
        if ((v = startswith(o, "mode="))) {
                errno = 0;
                n = strtoull(v, &end, 8);
                return isdigit((unsigned char) *v) && *end == 0 && errno == 0 && n <= 07777
                               ? NULL
                               : "mode= is octal, at most 07777";
        }
        if ((v = startswith(o, "uid=")) || (v = startswith(o, "gid="))) {
                errno = 0;
                n = strtoull(v, &end, 10);
                return isdigit((unsigned char) *v) && *end == 0 && errno == 0 && n < 4294967295ULL
                               ? NULL
                               : "a numeric id below 4294967295";
        }
        return NULL;
}
