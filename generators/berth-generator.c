/* SPDX-License-Identifier: MIT */
/* berth-generator normal-dir [early-dir late-dir]   (systemd.generator(7))
 * berth-generator --dry-run                          (print the units instead)
 *
 * Reads every description along the search path and writes NAME.service (and its [Install]
 * symlinks) into normal-dir. A bad description is logged (to /dev/kmsg, where boot-time
 * errors are looked for, and to stderr when someone reads it) and skipped; the others are
 * still written. Exit status 1 if any description failed, 0 otherwise (also with none). */
#include <sys/stat.h>

#include "description.h"
#include "unit.h"

static bool stderr_is_read(void) {
        struct stat err, null;
        const char *env = getenv("BERTH_LOG_STDERR");

        if (env && parse_boolean(env) == 1)
                return true;
        if (fstat(STDERR_FILENO, &err) < 0)
                return false;
        if (stat("/dev/null", &null) < 0)
                return true;
        return !(S_ISCHR(err.st_mode) && err.st_rdev == null.st_rdev);
}

int main(int argc, char **argv) {
        bool dry_run = argc == 2 && streq(argv[1], "--dry-run");
        int r;

        log_open("berth-generator", LOG_SINK_KMSG | (dry_run || stderr_is_read() ? LOG_SINK_STDERR : 0),
                 LOG_LEVEL_INFO);
        if (!dry_run && argc != 2 && argc != 4) {
                log_error("usage: berth-generator NORMAL-DIR [EARLY-DIR LATE-DIR] | --dry-run");
                return 1;
        }

        r = generate_from_search_path(dry_run ? NULL : argv[1], stdout);
        log_close();
        return r;
}
