/* SPDX-License-Identifier: MIT */
/* berth generate [--dry-run] [DIR]: the generator by hand. Same code as berth-generator:
 * descriptions from the search path (BERTH_UNIT_PATH replaces it), units into DIR, or to
 * stdout under "# NAME.service" headings with --dry-run. */
#include <getopt.h>

#include "description.h"
#include "unit.h"
#include "verbs.h"

static void generate_usage(FILE *f) {
        fputs("usage: berth generate [--dry-run] [DIR]\n"
              "  Writes a unit for every description in the search path into DIR,\n"
              "  or prints them with --dry-run. Exit status 1 if any description has errors.\n",
              f);
}

int verb_generate(int argc, char **argv) {
        static const struct option options[] = {
                {"dry-run", no_argument, NULL, 'n'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        _cleanup_strv_free_ char **dirs = NULL;
        struct berth_catalog catalog = {};
        const char *output_dir = NULL;
        bool dry_run = false;
        unsigned failed = 0;
        int c, r;

        optind = 0;
        while ((c = getopt_long(argc, argv, "nh", options, NULL)) >= 0)
                switch (c) {
                case 'n':
                        dry_run = true;
                        break;
                case 'h':
                        generate_usage(stdout);
                        return 0;
                default:
                        generate_usage(stderr);
                        return 2;
                }
        if (argc - optind > 1 || (dry_run && argc - optind == 1) || (!dry_run && argc - optind == 0)) {
                log_error("generate: expected either --dry-run or an output directory");
                generate_usage(stderr);
                return 2;
        }
        if (!dry_run)
                output_dir = argv[optind];

        r = description_search_path(&dirs);
        if (r < 0) {
                log_errno(r, "cannot build the search path: %m");
                return 1;
        }
        r = catalog_load(dirs, &catalog);
        if (r < 0) {
                log_error("berth.conf has errors: no unit generated");
                catalog_done(&catalog);
                return 1;
        }
        r = generate_all(&catalog, output_dir, stdout, &failed);
        catalog_done(&catalog);
        if (fflush(stdout) != 0 && r >= 0)
                r = log_errno(-EIO, "cannot write to stdout");
        if (r < 0) {
                log_errno(r, "giving up: %m");
                return 1;
        }
        return failed > 0 ? 1 : 0;
}
