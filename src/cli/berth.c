/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "verbs.h"

int main(int argc, char **argv) {
        static const struct {
                const char *name;
                int (*run)(int, char **);
        } verbs[] = {
                {"verify", verb_verify}, {"generate", verb_generate}, {"run", verb_run},
                {"list", verb_list},     {"caps", verb_caps},
        };
        if (argc < 2) {
                fprintf(stderr, "usage: berth {verify|generate|run|list|caps} ...\n");
                return 2;
        }
        for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
                if (strcmp(argv[1], verbs[i].name) == 0)
                        return verbs[i].run(argc - 1, argv + 1);
        fprintf(stderr, "berth: unknown verb '%s'\n", argv[1]);
        return 2;
}
