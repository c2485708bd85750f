/* SPDX-License-Identifier: MIT */
/* Command-line splitting with systemd's rules (ExecStart=, Environment=): words separated by
 * whitespace, "double" and 'single' quotes, C-style backslash escapes. A quote must end its
 * word and be closed; an unknown escape is an error, because a typo should not silently
 * become a different command. */
#include <errno.h>

#include "spec.h"

static int hex_digit(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* \uXXXX and \UXXXXXXXX as systemd's cunescape(): a code point (not NUL, no surrogate, at
 * most U+10FFFF), written as UTF-8. */
static int unescape_unicode(const char **p, char *out, size_t *ret_len) {
        const char *s = *p;
        size_t digits = *s == 'u' ? 4 : 8;
        unsigned long cp = 0;
        unsigned char *o = (unsigned char *) out;

        for (size_t i = 1; i <= digits; i++) {
                int d = hex_digit(s[i]);
                if (d < 0)
                        return -EINVAL;
                cp = cp * 16 + (unsigned) d;
        }
        if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return -EINVAL;
        if (cp < 0x80) {
                o[0] = (unsigned char) cp;
                *ret_len = 1;
        } else if (cp < 0x800) {
                o[0] = (unsigned char) (0xc0 | (cp >> 6));
                o[1] = (unsigned char) (0x80 | (cp & 0x3f));
                *ret_len = 2;
        } else if (cp < 0x10000) {
                o[0] = (unsigned char) (0xe0 | (cp >> 12));
                o[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
                o[2] = (unsigned char) (0x80 | (cp & 0x3f));
                *ret_len = 3;
        } else {
                o[0] = (unsigned char) (0xf0 | (cp >> 18));
                o[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3f));
                o[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
                o[3] = (unsigned char) (0x80 | (cp & 0x3f));
                *ret_len = 4;
        }
        *p = s + 1 + digits;
        return 0;
}

static int unescape_one(const char **p, char *out, size_t *ret_len) {
        const char *s = *p; /* points at the char after the backslash */
        *ret_len = 1;
        if (*s == 'u' || *s == 'U')
                return unescape_unicode(p, out, ret_len);
        if (*s >= '0' && *s <= '7') {
                /* \NNN, octal as systemd: three digits, not NUL, at most 255 */
                unsigned v = 0;
                for (int i = 0; i < 3; i++) {
                        if (s[i] < '0' || s[i] > '7')
                                return -EINVAL;
                        v = v * 8 + (unsigned) (s[i] - '0');
                }
                if (v == 0 || v > 255)
                        return -EINVAL;
                *out = (char) v;
                *p = s + 3;
                return 0;
        }
        switch (*s) {
        case 'a': *out = '\a'; break;
        case 'b': *out = '\b'; break;
        case 'f': *out = '\f'; break;
        case 'n': *out = '\n'; break;
        case 'r': *out = '\r'; break;
        case 't': *out = '\t'; break;
        case 'v': *out = '\v'; break;
        case '\\': *out = '\\'; break;
        case '"': *out = '"'; break;
        case '\'': *out = '\''; break;
        case ' ': *out = ' '; break;
        case ';': *out = ';'; break;
        case 's': *out = ' '; break;
        case 'x': {
                unsigned v = 0;
                for (int i = 1; i <= 2; i++) {
                        char c = s[i];
                        if (c >= '0' && c <= '9')
                                v = v * 16 + (unsigned) (c - '0');
                        else if (c >= 'a' && c <= 'f')
                                v = v * 16 + (unsigned) (c - 'a' + 10);
                        else if (c >= 'A' && c <= 'F')
                                v = v * 16 + (unsigned) (c - 'A' + 10);
                        else
                                return -EINVAL;
                }
                if (v == 0)
                        return -EINVAL;
                *out = (char) v;
                *p = s + 3;
                return 0;
        }
        default:
                return -EINVAL;
        }
        *p = s + 1;
        return 0;
}

/* *p points at a backslash: decodes the escape it starts into out (up to 4 bytes, never
 * more than the escape's own length), moving *p past it; *ret_len: the bytes written. */
static int unescape_backslash(const char **p, char *out, size_t *ret_len) {
        (*p)++;
        if (!**p)
                return -EINVAL;
        return unescape_one(p, out, ret_len);
}

/* The separators, as strchr(" \t\n\r", c) without a call per character. */
static bool is_separator(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int split_quoted(const char *s, char ***ret) {
        _cleanup_(strv_builder_done) struct strv_builder l = {};
        size_t n = strlen(s);
        _cleanup_free_ char *word = malloc(n + 1);
        const char *p = s;
        int r;

        if (!word)
                return -ENOMEM;

        for (;;) {
                size_t w = 0;
                bool have_word = false;

                p += strspn(p, " \t\n\r");
                if (!*p)
                        break;

                while (*p && !is_separator(*p)) {
                        if (*p == '"' || *p == '\'') {
                                char q = *p++;
                                have_word = true;
                                while (*p && *p != q) {
                                        if (*p == '\\' && q == '"') {
                                                size_t len;
                                                r = unescape_backslash(&p, &word[w], &len);
                                                if (r < 0)
                                                        return r;
                                                w += len;
                                                continue;
                                        }
                                        word[w++] = *p++;
                                }
                                if (*p != q)
                                        return -EINVAL; /* unterminated quote */
                                p++;
                                continue;
                        }
                        if (*p == '\\') {
                                size_t len;
                                r = unescape_backslash(&p, &word[w], &len);
                                if (r < 0)
                                        return r;
                                w += len;
                                have_word = true;
                                continue;
                        }
                        word[w++] = *p++;
                        have_word = true;
                }
                if (have_word) {
                        r = strv_builder_push(&l, strndup(word, w));
                        if (r < 0)
                                return r;
                }
        }
        if (!l.v) {
                l.v = calloc(1, sizeof(char *));
                if (!l.v)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l.v);
        return 0;
}
