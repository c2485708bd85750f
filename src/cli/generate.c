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
        const char *output_dir = NULL;
        bool dry_run = false;
        int c;

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

        return generate_from_search_path(output_dir, stdout);
}
