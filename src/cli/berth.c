/* SPDX-License-Identifier: MIT */
/* berth: the user CLI. Only dispatches to the verbs (verbs.h). */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "verbs.h"

static void usage(FILE *f) {
        fputs("usage: berth VERB [ARGS...]\n"
              "  verify FILE|NAME...    check descriptions (FILE:LINE: messages)\n"
              "  generate [--dry-run] [DIR]\n"
              "                         run the generator by hand\n"
              "  run [--unit NAME] [--wait] [-p K=V]... [OPTIONS] --rootfs DIR -- CMD...\n"
              "                         a container as a transient systemd service\n"
              "  list                   berth's units, their state and main PID\n"
              "  learn NAME|[OPTIONS] --rootfs DIR -- CMD...\n"
              "                         the least privilege a container needs, by tracing it\n"
              "  caps NAME...           a running container's capabilities (like pscap)\n"
              "  exec NAME [-u USER] [-w DIR] [-e K=V] [-it] -- CMD...\n"
              "                         run CMD inside a running container, confined as it is\n"
              "  health NAME            run a container's HealthCmd= once\n"
              "  apparmor [--write] NAME\n"
              "                         the AppArmor profile derived from NAME's description\n"
              "  --version\n"
              "see berth(1)\n",
              f);
}

int main(int argc, char **argv) {
        static const struct {
                const char *name;
                int (*run)(int, char **);
        } verbs[] = {
                {"learn", verb_learn},
                {"verify", verb_verify}, {"generate", verb_generate}, {"run", verb_run},
                {"list", verb_list},     {"caps", verb_caps},
                {"exec", verb_exec},     {"health", verb_health},
                {"apparmor", verb_apparmor},
        };

        log_open("berth", LOG_SINK_STDERR, LOG_LEVEL_INFO);
        if (argc < 2) {
                usage(stderr);
                return 2;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
                usage(stdout);
                return 0;
        }
        if (strcmp(argv[1], "--version") == 0) {
                printf("berth %s\n", BERTH_VERSION);
                return 0;
        }
        for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
                if (strcmp(argv[1], verbs[i].name) == 0)
                        return verbs[i].run(argc - 1, argv + 1);
        fprintf(stderr, "berth: unknown verb '%s' (see --help)\n", argv[1]);
        return 2;
}
