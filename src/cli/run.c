/* SPDX-License-Identifier: MIT */
/* placeholder until the owner lands the real verb */
#include <stdio.h>
#include "verbs.h"
int verb_run(int argc, char **argv) {
        fprintf(stderr, "berth run: not implemented yet\n");
        return 2;
}
