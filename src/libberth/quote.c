/* SPDX-License-Identifier: MIT */
/* Command-line splitting with systemd's rules (ExecStart=, Environment=): words separated by
 * whitespace, "double" and 'single' quotes, C-style backslash escapes. A quote must end its
 * word and be closed; an unknown escape is an error, because a typo should not silently
 * become a different command. */
#include <errno.h>

#include "spec.h"

static int unescape_one(const char **p, char *out) {
        const char *s = *p; /* points at the char after the backslash */
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

/* *p points at a backslash: decodes the escape it starts, moving *p past it. */
static int unescape_backslash(const char **p, char *out) {
        (*p)++;
        if (!**p)
                return -EINVAL;
        return unescape_one(p, out);
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
                                                r = unescape_backslash(&p, &word[w++]);
                                                if (r < 0)
                                                        return r;
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
                                r = unescape_backslash(&p, &word[w++]);
                                if (r < 0)
                                        return r;
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
