/* SPDX-License-Identifier: MIT */
#include "log.h"

#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

/* The logger's configuration is the one piece of process-wide state in the library:
 * it is written once by main() through log_open() and read everywhere else. */
static struct {
        char ident[128];
        unsigned sinks;
        enum log_level max_level;
        int kmsg_fd;
        unsigned errors;
        char *capture; /* log_capture_first_error() */
        size_t capture_size;
} log_config = {"berth", LOG_SINK_STDERR, LOG_LEVEL_INFO, -1, 0, NULL, 0};

enum log_level log_set_max_level(enum log_level level) {
        enum log_level old = log_config.max_level;
        log_config.max_level = level;
        return old;
}

void log_capture_first_error(char *buf, size_t size) {
        log_config.capture = buf;
        log_config.capture_size = buf ? size : 0;
        if (buf && size > 0)
                buf[0] = 0;
}

/* Copies s into dst (size bytes) with every control character as a C escape: a hostile
 * description's ESC or CR must not reach a terminal or the journal raw. */
static void escape_controls(char *dst, size_t size, const char *s) {
        static const char hex[] = "0123456789abcdef";
        size_t n = 0;

        for (const unsigned char *c = (const unsigned char *) s; *c && n + 5 < size; c++) {
                if (*c >= 0x20 && *c != 0x7f) {
                        dst[n++] = (char) *c;
                        continue;
                }
                dst[n++] = '\\';
                if (*c == '\n')
                        dst[n++] = 'n';
                else if (*c == '\t')
                        dst[n++] = 't';
                else if (*c == '\r')
                        dst[n++] = 'r';
                else {
                        dst[n++] = 'x';
                        dst[n++] = hex[*c >> 4];
                        dst[n++] = hex[*c & 0xf];
                }
        }
        if (size > 0)
                dst[n] = 0;
}

void log_open(const char *ident, unsigned sinks, enum log_level max_level) {
        log_set_ident(ident);
        log_config.sinks = sinks;
        log_config.max_level = max_level;
        log_config.errors = 0;
        if ((sinks & LOG_SINK_KMSG) && log_config.kmsg_fd < 0)
                log_config.kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
}

void log_close(void) {
        if (log_config.kmsg_fd >= 0)
                close(log_config.kmsg_fd);
        log_config.kmsg_fd = -1;
}

void log_set_ident(const char *ident) {
        snprintf(log_config.ident, sizeof(log_config.ident), "%s", ident);
}

unsigned log_error_count(void) {
        return log_config.errors;
}

static void log_write(enum log_level level, const char *prefix_raw, const char *msg_raw) {
        char line[4096], prefix[1100], msg[2100];
        int n;

        escape_controls(prefix, sizeof(prefix), prefix_raw);
        escape_controls(msg, sizeof(msg), msg_raw);
        if (level <= LOG_LEVEL_ERR) {
                log_config.errors++;
                if (log_config.capture && log_config.capture_size > 0 && log_config.capture[0] == 0)
                        snprintf(log_config.capture, log_config.capture_size, "%s%s", prefix, msg);
        }
        if (level > log_config.max_level)
                return;

        if (log_config.sinks & LOG_SINK_STDERR) {
                n = snprintf(line, sizeof(line), "%s: %s%s\n", log_config.ident, prefix, msg);
                if (n > 0)
                        (void) !write(STDERR_FILENO, line, (size_t) n < sizeof(line) ? (size_t) n : sizeof(line) - 1);
        }
        if ((log_config.sinks & LOG_SINK_KMSG) && log_config.kmsg_fd >= 0) {
                n = snprintf(line, sizeof(line), "<%d>%s[%d]: %s%s\n", (int) level, log_config.ident, (int) getpid(), prefix, msg);
                if (n > 0)
                        (void) !write(log_config.kmsg_fd, line, (size_t) n < sizeof(line) ? (size_t) n : sizeof(line) - 1);
        }
}

_printf_(4, 0) static int log_va(enum log_level level, const char *prefix, int err, const char *fmt, va_list ap) {
        char msg[2048];
        int saved = errno;

        /* %m in fmt means the error passed in, not whatever errno happens to be. */
        if (err != 0)
                errno = errno_abs(err);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        log_write(level, prefix, msg);
        errno = saved;
        return err < 0 ? err : -err;
}

int log_full_errno(enum log_level level, int err, const char *fmt, ...) {
        va_list ap;
        int r;
        va_start(ap, fmt);
        r = log_va(level, "", err, fmt, ap);
        va_end(ap);
        return r;
}

int log_loc_errno(enum log_level level, const struct berth_loc *loc, int err, const char *fmt, ...) {
        char prefix[1024] = "";
        va_list ap;
        int r;

        /* line 0: a rule about the whole file (e.g. a missing key) has no line of its own. */
        if (loc && loc->file && loc->line > 0 && loc->key)
                snprintf(prefix, sizeof(prefix), "%s:%u: %s: ", loc->file, loc->line, loc->key);
        else if (loc && loc->file && loc->line > 0)
                snprintf(prefix, sizeof(prefix), "%s:%u: ", loc->file, loc->line);
        else if (loc && loc->file && loc->key)
                snprintf(prefix, sizeof(prefix), "%s: %s: ", loc->file, loc->key);
        else if (loc && loc->file)
                snprintf(prefix, sizeof(prefix), "%s: ", loc->file);
        else if (loc && loc->key)
                snprintf(prefix, sizeof(prefix), "%s: ", loc->key);

        va_start(ap, fmt);
        r = log_va(level, prefix, err, fmt, ap);
        va_end(ap);
        return r;
}
