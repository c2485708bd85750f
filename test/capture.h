/* SPDX-License-Identifier: MIT */
#pragma once

/* CAPTURE(expr): evaluates expr with stderr sent to a memfd and leaves what was written in
 * `captured` (one trailing newline removed), so tests can check the one line a user sees. */

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static char captured[4096];

static inline void capture_begin(int *saved, int *memfd) {
        fflush(stderr);
        *memfd = memfd_create("stderr", MFD_CLOEXEC);
        *saved = dup(STDERR_FILENO);
        dup2(*memfd, STDERR_FILENO);
}

static inline void capture_end(int saved, int memfd) {
        ssize_t n;
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
        close(saved);
        n = pread(memfd, captured, sizeof(captured) - 1, 0);
        captured[n > 0 ? n : 0] = 0;
        if (n > 0 && captured[n - 1] == '\n')
                captured[n - 1] = 0;
        close(memfd);
}

#define CAPTURE(expr)                                                                                                  \
        ({                                                                                                              \
                int _s, _m, _r;                                                                                         \
                capture_begin(&_s, &_m);                                                                                \
                _r = (expr);                                                                                            \
                capture_end(_s, _m);                                                                                    \
                _r;                                                                                                     \
        })
