/* SPDX-License-Identifier: MIT */
/* ExecStart= quoting round trip: argv -> unit_exec_line() -> systemd's rules -> the same argv.
 *
 * systemd's rules, from systemd.service(5) and systemd.unit(5), re-implemented here on
 * purpose independently of unit.c: words split at whitespace, "..." and '...' quote (also
 * mid-word), C escapes decoded; then specifiers are expanded per word (%% -> %); at start
 * $$ -> $ and ${X} / a lone $X are variables (which the writer must never produce). The
 * core's split_quoted() is a second, independent check of the quoting layer. */
#include <errno.h>

#include "tap.h"
#include "unit.h"

static int unescape(const char **p, char *out) {
        const char *s = *p;
        switch (*s) {
        case 'a': *out = '\a'; break;
        case 'b': *out = '\b'; break;
        case 'f': *out = '\f'; break;
        case 'n': *out = '\n'; break;
        case 'r': *out = '\r'; break;
        case 't': *out = '\t'; break;
        case 'v': *out = '\v'; break;
        case 's': *out = ' '; break;
        case '\\': case '"': case '\'': *out = *s; break;
        case 'x': {
                unsigned v;
                if (sscanf(s + 1, "%2x", &v) != 1 || v == 0)
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

/* One ExecStart= value -> argv, with %i = "inst" and %n = "t.service". */
static int systemd_split(const char *line, char ***ret) {
        char **argv = NULL;
        const char *p = line;

        for (;;) {
                char word[8192], expanded[8192];
                size_t n = 0, m = 0;

                while (*p == ' ' || *p == '\t')
                        p++;
                if (!*p)
                        break;
                while (*p && *p != ' ' && *p != '\t') {
                        if (*p == '"' || *p == '\'') {
                                char q = *p++;
                                while (*p != q) {
                                        if (!*p)
                                                return -EINVAL;
                                        if (*p == '\\') {
                                                p++;
                                                if (unescape(&p, &word[n++]) < 0)
                                                        return -EINVAL;
                                        } else
                                                word[n++] = *p++;
                                }
                                p++;
                        } else if (*p == '\\') {
                                p++;
                                if (unescape(&p, &word[n++]) < 0)
                                        return -EINVAL;
                        } else
                                word[n++] = *p++;
                }
                word[n] = 0;
                /* specifiers, per word */
                for (size_t i = 0; i < n; i++) {
                        if (word[i] != '%') {
                                expanded[m++] = word[i];
                                continue;
                        }
                        i++;
                        if (word[i] == '%')
                                expanded[m++] = '%';
                        else if (word[i] == 'i')
                                m += (size_t) sprintf(expanded + m, "inst");
                        else if (word[i] == 'n')
                                m += (size_t) sprintf(expanded + m, "t.service");
                        else
                                return -EINVAL;
                }
                expanded[m] = 0;
                /* environment: $$ is $, anything else with $ would be a variable */
                n = 0;
                if (expanded[0] == '$' && expanded[1] && expanded[1] != '$' && expanded[1] != '{')
                        return -EINVAL;
                for (size_t i = 0; i < m; i++) {
                        if (expanded[i] == '$' && expanded[i + 1] == '$')
                                i++;
                        else if (expanded[i] == '$' && expanded[i + 1] == '{')
                                return -EINVAL;
                        word[n++] = expanded[i];
                }
                word[n] = 0;
                if (strv_extend(&argv, word) < 0)
                        return -ENOMEM;
        }
        *ret = argv;
        return 0;
}

static void check_round_trip(char *const *argv, char *const *want, const char *name) {
        _cleanup_free_ char *line = NULL;
        _cleanup_strv_free_ char **got = NULL;
        bool same;

        if (unit_exec_line("/usr/libexec/berth/berth-exec", argv, &line) < 0 || systemd_split(line, &got) < 0) {
                ok(false, "%s: quote and split", name);
                tap_diag("  line: %s", line ? line : "(none)");
                return;
        }
        same = got && streq(got[0], "/usr/libexec/berth/berth-exec") && strv_equal(got + 1, want ? want : argv);
        if (!ok(same, "%s", name))
                tap_diag("  line: %s", line);
}

int main(void) {
        tap_no_plan();

        /* exact form of a few words */
        struct {
                const char *word, *quoted;
        } exact[] = {
                {"plain", "\"plain\""},
                {"a b", "\"a b\""},
                {"q\"x", "\"q\\\"x\""},
                {"back\\slash", "\"back\\\\slash\""},
                {"$HOME", "\"$$HOME\""},
                {"50%%", "\"50%%\""},
                {"%i", "\"%i\""},
                {"line\nbreak", "\"line\\nbreak\""},
                {"bell\a", "\"bell\\x07\""},
                {"", "\"\""},
        };
        for (size_t i = 0; i < ELEMENTSOF(exact); i++) {
                _cleanup_free_ char *q = unit_quote_exec_word(exact[i].word);
                is_str(q, exact[i].quoted, "quoting of one word");
        }

        char *tricky[] = {"--env", "A=$HOME ${X} $$", "it's", "\"quoted\"", "back\\slash\\", ";", "\\;", "-x",
                          "@argv0", "tab\there", "new\nline", "ctrl\x01\x1f\x7f", "utf8 \xc3\xa9\xe2\x98\x83", "", " ",
                          "'single'", NULL};
        check_round_trip(tricky, NULL, "spaces, quotes, backslashes, $, ;, control characters, UTF-8, empty words");

        char *specifiers[] = {"50%%", "%i", "name-%n", NULL};
        char *specifiers_want[] = {"50%", "inst", "name-t.service", NULL};
        check_round_trip(specifiers, specifiers_want, "%% is a literal %, %i and %n reach systemd as specifiers");

        /* the core's own systemd-style splitter agrees on the quoting layer */
        {
                char *words[] = {"a b", "q\"x", "back\\slash", "tab\tx", "it's", NULL};
                _cleanup_free_ char *line = NULL;
                _cleanup_strv_free_ char **got = NULL;
                ok(unit_exec_line("/x", words, &line) == 0 && split_quoted(line, &got) == 0 && got &&
                           strv_equal(got + 1, words),
                   "split_quoted() reads the writer's quoting back");
        }

        /* every byte in every position: a word with random bytes (a literal % written %%) */
        srand(42);
        unsigned bad = 0;
        for (int round = 0; round < 2000; round++) {
                char word[64], escaped[128];
                size_t len = (size_t) (rand() % 40), e = 0;
                for (size_t i = 0; i < len; i++)
                        word[i] = (char) (1 + rand() % 255);
                word[len] = 0;
                for (size_t i = 0; i < len; i++) {
                        escaped[e++] = word[i];
                        if (word[i] == '%')
                                escaped[e++] = '%';
                }
                escaped[e] = 0;
                char *argv[] = {escaped, NULL}, *want[] = {word, NULL};
                _cleanup_free_ char *line = NULL;
                _cleanup_strv_free_ char **got = NULL;
                if (unit_exec_line("/x", argv, &line) < 0 || systemd_split(line, &got) < 0 || !got ||
                    !strv_equal(got + 1, want)) {
                        if (bad++ == 0)
                                tap_diag("  first failing line: %s", line ? line : "(none)");
                }
        }
        is_int(bad, 0, "2000 random words survive quoting and systemd's splitting");

        return tap_done();
}
