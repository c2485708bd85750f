/* SPDX-License-Identifier: MIT */
#pragma once

/* One logger for every berth program. main() calls log_open() once with the
 * program's identity and sinks; library code logs through log_errno() and
 * returns the negative errno it was given, so callers can `return log_errno(...)`.
 * Messages are one line: "IDENT: message". */

#include <errno.h>
#include <stdbool.h>

#include "util.h"

enum log_sink {
        LOG_SINK_STDERR = 1 << 0,
        LOG_SINK_KMSG = 1 << 1, /* /dev/kmsg as "IDENT[PID]: message", for generators */
};

enum log_level {
        LOG_LEVEL_ERR = 3,
        LOG_LEVEL_WARNING = 4,
        LOG_LEVEL_NOTICE = 5,
        LOG_LEVEL_INFO = 6,
        LOG_LEVEL_DEBUG = 7,
};

/* Where a value came from: a description's FILE:LINE and key, or a command-line option
 * (file NULL, key "--cap-add"). Messages about a value are prefixed with it. */
struct berth_loc {
        const char *file;
        unsigned line;
        const char *key;
};

void log_open(const char *ident, unsigned sinks, enum log_level max_level);
void log_close(void);
void log_set_ident(const char *ident);

int log_full_errno(enum log_level level, int err, const char *fmt, ...) _printf_(3, 4);
int log_loc_errno(enum log_level level, const struct berth_loc *loc, int err, const char *fmt, ...) _printf_(4, 5);

/* Count of errors logged since log_open(); lets `berth verify` and the generator decide
 * their exit status without threading a counter through every parser. */
unsigned log_error_count(void);

/* From now on keeps the first error logged (prefix and message, control characters escaped)
 * in buf; buf[0] == 0 until there is one. NULL stops. The generator writes it into the
 * placeholder unit of a refused description. */
void log_capture_first_error(char *buf, size_t size);
/* Sets the most verbose level logged (0: nothing); returns the previous one. Errors are
 * still counted. */
enum log_level log_set_max_level(enum log_level level);

#define log_errno(err, ...) log_full_errno(LOG_LEVEL_ERR, (err), __VA_ARGS__)
#define log_error(...) log_full_errno(LOG_LEVEL_ERR, 0, __VA_ARGS__)
#define log_warning(...) log_full_errno(LOG_LEVEL_WARNING, 0, __VA_ARGS__)
#define log_notice(...) log_full_errno(LOG_LEVEL_NOTICE, 0, __VA_ARGS__)
#define log_info(...) log_full_errno(LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define log_debug(...) log_full_errno(LOG_LEVEL_DEBUG, 0, __VA_ARGS__)
#define log_syntax(loc, err, ...) log_loc_errno(LOG_LEVEL_ERR, (loc), (err), __VA_ARGS__)

/* errno values are positive in errno, negative in return values; accept both. */
static inline int errno_abs(int e) {
        return e < 0 ? -e : e;
}
/* For callers that got -1/errno from libc: returns -errno, never 0. */
static inline int negative_errno(void) {
        return errno > 0 ? -errno : -EIO;
}
