/* SPDX-License-Identifier: MIT */
#pragma once

/* Shared by the fuzz targets (libFuzzer entry points, also replayed by replay-main.c). */

#include <stdint.h>
#include <stdlib.h>

#include "../src/libberth/log.h"
#include "../src/libberth/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Error messages are the expected outcome for most inputs: printing them would only slow
 * the fuzzer down. */
static inline void fuzz_quiet_logs(void) {
        static bool done;
        if (!done) {
                log_open("fuzz", 0, LOG_LEVEL_ERR);
                done = true;
        }
}

/* spec -> argv -> spec must be the identity for any valid spec (ARCHITECTURE.md). */
static inline void fuzz_check_round_trip(const struct berth_spec *s) {
        _cleanup_strv_free_ char **args = NULL, **argv = NULL;
        struct berth_spec back;
        bool help = false;

        /* HostName=/User=/Group= with a specifier are checked when systemd has expanded it
         * (by berth-exec at start): no round trip to compare before that */
        if ((s->hostname && strchr(s->hostname, '%')) || (s->user && strchr(s->user, '%')) ||
            (s->group && strchr(s->group, '%')))
                return;
        if (spec_to_argv(s, &args) < 0)
                abort();
        if (strv_extend(&argv, "berth-exec") < 0)
                abort();
        STRV_FOREACH(a, args)
                if (strv_extend(&argv, *a) < 0)
                        abort();
        spec_init(&back);
        if (spec_from_argv(&back, (int) strv_length(argv), argv, &help) < 0 || help || !spec_equal(s, &back))
                abort();
        spec_done(&back);
}
