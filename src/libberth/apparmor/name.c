/* SPDX-License-Identifier: MIT */
/* AppArmor profile names and the kernel's list of loaded profiles: text only. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "apparmor.h"

bool apparmor_profile_name_is_valid(const char *name) {
        size_t n;

        if (isempty(name))
                return false;
        n = strlen(name);
        if (n > 255 || name[0] == '-' || name[0] == ':' || strstr(name, "//") || strstr(name, "::"))
                return false;
        for (const char *c = name; *c; c++)
                if (!isalnum((unsigned char) *c) && !strchr("_.+@:/-", *c))
                        return false;
        return true;
}

bool apparmor_enabled_from_text(const char *text) {
        return text && (text[0] == 'Y' || text[0] == 'y') && (text[1] == '\0' || text[1] == '\n');
}

/* Each line is "NAME (MODE)"; a name may itself contain " (" only in theory (berth's names
 * cannot), so the mode is what follows the last " (". */
int apparmor_profiles_find(const char *list, const char *name, char **ret_mode) {
        size_t name_len = strlen(name);

        for (const char *line = list; line && *line;) {
                const char *end = strchrnul(line, '\n');
                const char *open = NULL;

                for (const char *p = line; p + 1 < end; p++)
                        if (p[0] == ' ' && p[1] == '(')
                                open = p;
                if (open && (size_t) (open - line) == name_len && memcmp(line, name, name_len) == 0) {
                        if (ret_mode) {
                                const char *m = open + 2, *close = memchr(m, ')', (size_t) (end - m));
                                *ret_mode = strndup(m, close ? (size_t) (close - m) : (size_t) (end - m));
                                if (!*ret_mode)
                                        return -ENOMEM;
                        }
                        return 1;
                }
                line = *end ? end + 1 : end;
        }
        if (ret_mode)
                *ret_mode = NULL;
        return 0;
}
