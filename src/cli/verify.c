/* SPDX-License-Identifier: MIT */
/* placeholder until the owner lands the real verb */
#include <stdio.h>
#include "verbs.h"
int verb_verify(int argc, char **argv) {
        fprintf(stderr, "berth verify: not implemented yet\n");
        return 2;
}
