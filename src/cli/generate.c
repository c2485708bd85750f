/* SPDX-License-Identifier: MIT */
/* placeholder until the owner lands the real verb */
#include <stdio.h>
#include "verbs.h"
int verb_generate(int argc, char **argv) {
        fprintf(stderr, "berth generate: not implemented yet\n");
        return 2;
}
