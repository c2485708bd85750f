/* SPDX-License-Identifier: MIT */
#pragma once

/* A tiny TAP 13 emitter for berth's C tests (no TAP library exists in Debian).
 *   tap_plan(n) or tap_no_plan(); ok(cond, "name %d", x); is_int(a, b, name); is_str(a, b, name);
 *   tap_skip(n, reason): under CI=true a skip is reported as a failure, because CI must run
 *   every layer; return tap_done(); */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned tap_n, tap_failed, tap_planned;

static inline void tap_plan(unsigned n) {
        tap_planned = n;
        printf("TAP version 13\n1..%u\n", n);
        fflush(stdout);
}

static inline void tap_no_plan(void) {
        printf("TAP version 13\n");
}

__attribute__((format(printf, 2, 3))) static inline bool ok(bool cond, const char *fmt, ...) {
        va_list ap;
        tap_n++;
        if (!cond)
                tap_failed++;
        printf("%sok %u - ", cond ? "" : "not ", tap_n);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
        fflush(stdout);
        return cond;
}

__attribute__((format(printf, 1, 2))) static inline void tap_diag(const char *fmt, ...) {
        va_list ap;
        printf("# ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
}

#define is_int(got, want, name)                                                                                  \
        do {                                                                                                     \
                long long _g = (long long) (got), _w = (long long) (want);                                       \
                if (!ok(_g == _w, "%s", name))                                                                   \
                        tap_diag("  got %lld, want %lld", _g, _w);                                               \
        } while (0)

#define is_hex(got, want, name)                                                                                  \
        do {                                                                                                     \
                unsigned long long _g = (unsigned long long) (got), _w = (unsigned long long) (want);            \
                if (!ok(_g == _w, "%s", name))                                                                   \
                        tap_diag("  got %#llx, want %#llx", _g, _w);                                             \
        } while (0)

#define is_str(got, want, name)                                                                                  \
        do {                                                                                                     \
                const char *_g = (got), *_w = (want);                                                            \
                bool _e = (_g && _w) ? strcmp(_g, _w) == 0 : _g == _w;                                           \
                if (!ok(_e, "%s", name))                                                                         \
                        tap_diag("  got '%s', want '%s'", _g ? _g : "(null)", _w ? _w : "(null)");               \
        } while (0)

static inline bool tap_in_ci(void) {
        const char *ci = getenv("CI");
        return ci && (strcmp(ci, "true") == 0 || strcmp(ci, "1") == 0);
}

static inline void tap_skip(unsigned n, const char *reason) {
        for (unsigned i = 0; i < n; i++) {
                tap_n++;
                if (tap_in_ci()) {
                        tap_failed++;
                        printf("not ok %u - skipped under CI=true, which must run every layer: %s\n", tap_n, reason);
                } else
                        printf("ok %u # SKIP %s\n", tap_n, reason);
        }
        fflush(stdout);
}

static inline int tap_done(void) {
        if (!tap_planned)
                printf("1..%u\n", tap_n);
        else if (tap_planned != tap_n) {
                printf("# planned %u tests but ran %u\n", tap_planned, tap_n);
                return 1;
        }
        return tap_failed ? 1 : 0;
}
