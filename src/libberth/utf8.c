/* SPDX-License-Identifier: MIT */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is not one (stray continuation,
 * overlong form, surrogate, beyond U+10FFFF, truncated). */
size_t utf8_sequence_length(const unsigned char *s) {
        unsigned cp;
        size_t len;

        if (s[0] < 0x80)
                return 1;
        if (s[0] >= 0xc2 && s[0] <= 0xdf)
                len = 2, cp = s[0] & 0x1f;
        else if (s[0] >= 0xe0 && s[0] <= 0xef)
                len = 3, cp = s[0] & 0x0f;
        else if (s[0] >= 0xf0 && s[0] <= 0xf4)
                len = 4, cp = s[0] & 0x07;
        else
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }
        if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
                return 0;
        return len;
}

/* s has len bytes. ASCII, nearly all of a unit, is skipped eight bytes at a time. */
bool utf8_is_valid(const char *s, size_t len) {
        const unsigned char *c = (const unsigned char *) s, *end = c + len;

        while (c < end) {
                uint64_t w;
                size_t n;
                if ((size_t) (end - c) >= sizeof(w)) {
                        memcpy(&w, c, sizeof(w));
                        if ((w & UINT64_C(0x8080808080808080)) == 0) {
                                c += sizeof(w);
                                continue;
                        }
                }
                if (*c < 0x80) {
                        c++;
                        continue;
                }
                n = utf8_sequence_length(c);
                if (n == 0)
                        return false;
                c += n;
        }
        return true;
}
