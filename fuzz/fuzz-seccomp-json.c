/* SPDX-License-Identifier: MIT */
/* Fuzz target: the Docker/OCI seccomp JSON reader, compiled against a fixed capability set
 * and exported to BPF. Never crashes; every accepted profile yields a loadable-size program. */
#include <stdint.h>
#include <stdlib.h>

#include "../src/libberth/seccomp-internal.h"
#include "../src/libberth/capability.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static struct seccomp_target target;
        static bool have_target;
        scmp_filter_ctx ctx = NULL;

        fuzz_quiet_logs();
        if (!have_target) {
                if (seccomp_target_init(&target, capability_docker_default()) < 0)
                        abort();
                have_target = true;
        }
        if (seccomp_json_build("fuzz.json", (const char *) data, size, &target, &ctx) >= 0) {
                struct berth_seccomp f = {};
                if (seccomp_export(ctx, &f) >= 0 && (f.len == 0 || f.len > BPF_MAXINSNS))
                        abort();
                seccomp_done(&f);
                seccomp_release(ctx);
        }
        return 0;
}
