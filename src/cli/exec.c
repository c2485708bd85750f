/* SPDX-License-Identifier: MIT */
/* berth exec NAME [-u USER[:GROUP]] [-w DIR] [-e K=V]... [-i] [-t] [--] CMD...
 * berth health NAME
 *
 * Both hand over to berth-exec (--enter, --health), which holds the code that applies a
 * container's confinement: the same code that started the container rebuilds it from the
 * settings recorded in /run/berth/NAME/ (enter.h), so what runs inside can never have more
 * than the container itself. The exit status is the command's (125: entering failed). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "util.h"
#include "verbs.h"

static const char *exec_path(void) {
        const char *e = getenv("BERTH_EXEC_PATH");
        return e && *e ? e : BERTH_EXEC_PATH;
}

static int hand_over(const char *mode, int argc, char **argv) {
        _cleanup_strv_free_ char **args = NULL;
        const char *path = exec_path();

        if (strv_extend(&args, "berth-exec") < 0 || strv_extend(&args, mode) < 0)
                return log_errno(-ENOMEM, "out of memory"), 125;
        for (int i = 1; i < argc; i++)
                if (strv_extend(&args, argv[i]) < 0)
                        return log_errno(-ENOMEM, "out of memory"), 125;
        execv(path, args);
        log_errno(-errno, "%s: %m", path);
        return 125;
}

int verb_exec(int argc, char **argv) {
        if (argc < 2) {
                fputs("usage: berth exec NAME [-u USER[:GROUP]] [-w DIR] [-e NAME=VALUE]... [-i] [-t] [--] COMMAND "
                      "[ARG...]\n",
                      stderr);
                return 125;
        }
        return hand_over("--enter", argc, argv);
}

int verb_health(int argc, char **argv) {
        if (argc != 2) {
                fputs("usage: berth health NAME\n", stderr);
                return 2;
        }
        return hand_over("--health", argc, argv);
}
