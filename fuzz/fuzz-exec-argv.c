/* SPDX-License-Identifier: MIT */
/* Fuzz target: berth-exec's option parser. The input is argv with NUL-separated words
 * (argv[0] is added). Parsing must never crash; a spec that parses and validates must
 * survive spec -> argv -> spec unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../src/libberth/spec.h"

#define MAX_WORDS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *buf = NULL;
        char *argv[MAX_WORDS + 2];
        struct berth_spec s;
        bool help = false;
        int argc = 0;

        fuzz_quiet_logs();
        buf = malloc(size + 1);
        if (!buf)
                return 0;
        memcpy(buf, data, size);
        buf[size] = 0;
        argv[argc++] = (char *) "berth-exec";
        for (char *p = buf; p < buf + size && argc <= MAX_WORDS; p += strlen(p) + 1)
                argv[argc++] = p;
        argv[argc] = NULL;

        spec_init(&s);
        if (spec_from_argv(&s, argc, argv, &help) >= 0 && !help && spec_validate(&s, NULL) >= 0)
                fuzz_check_round_trip(&s);
        spec_done(&s);
        return 0;
}
