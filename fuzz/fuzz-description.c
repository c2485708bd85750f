/* SPDX-License-Identifier: MIT */
/* Fuzz target: a description read from memory (the generator's and `berth verify`'s path):
 * INI layer -> [Container] setters -> whole-spec validation -> unit text. For every spec that
 * validates, the spec -> berth-exec argv -> spec round trip must give the same spec: a
 * difference means the generator and the helper would disagree about a setting, so it
 * aborts like a crash. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/libberth/description.h"
#include "fuzz.h"
#include "../src/libberth/unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        struct berth_description d = {.name = (char *) "fuzz", .path = (char *) "fuzz.container"};
        struct berth_entries entries = {};

        fuzz_quiet_logs();
        spec_init(&d.spec);
        (void) ini_read_buffer((const char *) data, size, "fuzz.container", &entries);
        if (description_apply(&entries, "Container", &d.spec, &d.passthrough) >= 0 &&
            spec_validate(&d.spec, NULL) >= 0) {
                struct berth_unit u = {};
                fuzz_check_round_trip(&d.spec);
                if (unit_build(&d, "/usr/libexec/berth/berth-exec", &u) >= 0 && !u.text)
                        abort();
                unit_done(&u);
        }
        entries_done(&entries);
        entries_done(&d.passthrough);
        spec_done(&d.spec);
        return 0;
}
