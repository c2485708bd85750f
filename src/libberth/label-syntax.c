/* SPDX-License-Identifier: MIT */
/* The syntax of SELinux names and levels: pure, no libselinux and no policy, so the spec
 * setters (libberth-core) share it and report a malformed label the same way from a
 * description and from the command line. Whether the policy knows a name is label.c's
 * question, at start time and in `berth verify`. */
#include <ctype.h>
#include <errno.h>

#include "label-internal.h"
#include "label.h"

bool label_name_is_valid(const char *name) {
        if (isempty(name) || strlen(name) > 255)
                return false;
        for (const char *c = name; *c; c++)
                if (!isalnum((unsigned char) *c) && *c != '_')
                        return false;
        return true;
}

/* "c<N>" with a decimal N (no sign, no leading zeros beyond "0"); *ret the number. */
static bool parse_category(const char *p, const char **end, unsigned long *ret) {
        char *e;
        if (*p != 'c' || !isdigit((unsigned char) p[1]) || (p[1] == '0' && isdigit((unsigned char) p[2])))
                return false;
        errno = 0;
        *ret = strtoul(p + 1, &e, 10);
        if (errno != 0 || *ret > 65535)
                return false;
        *end = e;
        return true;
}

/* One level: s<N>[:c<A>[.c<B>][,c<C>...]] */
static bool parse_raw_level(const char *p, const char **end) {
        unsigned long lo, hi;
        char *e;

        if (*p != 's' || !isdigit((unsigned char) p[1]) || (p[1] == '0' && isdigit((unsigned char) p[2])))
                return false;
        errno = 0;
        if (strtoul(p + 1, &e, 10) > 65535 || errno != 0)
                return false;
        p = e;
        if (*p == ':') {
                do {
                        p++;
                        if (!parse_category(p, &p, &lo))
                                return false;
                        if (*p == '.') {
                                if (!parse_category(p + 1, &p, &hi) || hi <= lo)
                                        return false;
                        }
                } while (*p == ',');
        }
        *end = p;
        return true;
}

bool label_level_is_raw(const char *level) {
        return level[0] == 's' && isdigit((unsigned char) level[1]);
}

bool label_level_is_valid(const char *level) {
        const char *p;

        if (isempty(level) || strlen(level) > 1024)
                return false;
        /* Raw form: LEVEL or LOW-HIGH. */
        if (label_level_is_raw(level)) {
                if (!parse_raw_level(level, &p))
                        return false;
                if (*p == '-' && !parse_raw_level(p + 1, &p))
                        return false;
                return *p == 0;
        }
        /* A name from setrans.conf (TopSecret, SystemLow-SystemHigh); translated at start time. */
        if (!isalpha((unsigned char) level[0]))
                return false;
        for (const char *c = level; *c; c++)
                if (!isalnum((unsigned char) *c) && !strchr("_-.", *c))
                        return false;
        return true;
}

