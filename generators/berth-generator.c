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

static const char usage[] = "usage: berth-generator NORMAL-DIR [EARLY-DIR LATE-DIR] | --dry-run | --help";

int main(int argc, char **argv) {
        bool dry_run = argc == 2 && streq(argv[1], "--dry-run");
        int r;

        if (argc == 2 && (streq(argv[1], "--help") || streq(argv[1], "-h"))) {
                printf("%s\n"
                       "Writes NAME.service for every NAME.container description (see berth-generator(8)).\n",
                       usage);
                return 0;
        }
        log_open("berth-generator", LOG_SINK_KMSG | (dry_run || stderr_is_read() ? LOG_SINK_STDERR : 0),
                 LOG_LEVEL_INFO);
        /* systemd passes three absolute dirs; an option that is not ours is not a dir */
        for (int i = 1; !dry_run && i < argc; i++)
                if (argv[i][0] == '-' || !path_is_absolute(argv[i])) {
                        log_error("'%s': expected an absolute output directory; %s", argv[i], usage);
                        log_close();
                        return 1;
                }
        if (!dry_run && argc != 2 && argc != 4) {
                log_error("%s", usage);
                log_close();
                return 1;
        }

        if (dry_run)
                r = generate_from_search_path(NULL, stdout);
        else {
                char *other[3] = {argc == 4 ? argv[2] : NULL, argc == 4 ? argv[3] : NULL, NULL};
                r = generate_from_search_path_dirs(argv[1], other, stdout);
        }
        log_close();
        return r;
}
