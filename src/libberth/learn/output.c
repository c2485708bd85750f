/* SPDX-License-Identifier: MIT */
/* berth learn's output: drop-in, seccomp allow-list, report (output.h). */
#include <errno.h>
#include <string.h>

#include "capability.h"
#include "learn/output.h"
#include "util.h"

const char *const learn_base_syscalls[] = {
        /* The tracer records everything from the filter's load on, berth-exec's last steps
         * included. What a short run may not show: PID 1 forwarding a stop signal and reaping
         * (berth-init, or the in-process shim where berth-init cannot be exec'd), and the
         * payload's end. */
        "rt_sigtimedwait", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "wait4", "kill", "exit",
        "exit_group",      NULL,
};

static bool is_syscall_name(const char *s) {
        if (isempty(s))
                return false;
        for (; *s; s++)
                if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
                        return false;
        return true;
}

int learn_profile_json(char *const *syscalls, char *const *arches, char **ret) {
        struct strbuf b = {};
        bool first = true;

        STRV_FOREACH(s, syscalls)
                if (!is_syscall_name(*s))
                        return -EINVAL;
        STRV_FOREACH(a, arches)
                if (!startswith(*a, "SCMP_ARCH_"))
                        return -EINVAL;
        strbuf_puts(&b,
                    "{\n  \"defaultAction\": \"SCMP_ACT_ERRNO\",\n  \"defaultErrnoRet\": 1,\n  \"architectures\": [");
        STRV_FOREACH(a, arches) {
                strbuf_puts(&b, first ? "\"" : ", \"");
                strbuf_puts(&b, *a);
                strbuf_puts(&b, "\"");
                first = false;
        }
        strbuf_puts(&b, "],\n  \"syscalls\": [\n    {\n      \"names\": [");
        first = true;
        STRV_FOREACH(s, syscalls) {
                strbuf_puts(&b, first ? "\n        \"" : ",\n        \"");
                strbuf_puts(&b, *s);
                strbuf_puts(&b, "\"");
                first = false;
        }
        strbuf_puts(&b, "\n      ],\n      \"action\": \"SCMP_ACT_ALLOW\"\n    }\n  ]\n}\n");
        *ret = strbuf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

static void put_upper(struct strbuf *b, const char *s) {
        for (; *s; s++)
                strbuf_putc(b, (char) (*s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s));
}

int learn_dropin_text(const char *name, uint64_t kept, const struct learn_result *res, const char *profile_path,
                      const char *check, char **ret) {
        struct strbuf b = {};

        strbuf_puts(&b, "# Written by `berth learn");
        if (name) {
                strbuf_puts(&b, " ");
                strbuf_puts(&b, name);
        }
        strbuf_puts(&b, "`: the capabilities ");
        strbuf_puts(&b, check ? "the check `" : "the run");
        if (check) {
                strbuf_puts(&b, check);
                strbuf_puts(&b, "`");
        }
        strbuf_puts(
                &b,
                " needed, each\n# proven by a run without it that failed, and an allow-list of the system calls the\n"
                "# payload made. Remove this file to go back to the description's own settings.\n"
                "[Container]\nDropCapability=\nDropCapability=ALL\nAddCapability=\n");
        for (int cap = 0; cap < BERTH_CAP_MAX; cap++) {
                const char *cname = capability_to_name(cap);
                if (!(kept & (UINT64_C(1) << cap)) || !cname)
                        continue;
                strbuf_puts(&b, "# ");
                strbuf_puts(&b, cname);
                strbuf_puts(&b, ": ");
                if (res && res->need[cap].syscalls) {
                        strbuf_puts(&b, "needed by");
                        STRV_FOREACH(s, res->need[cap].syscalls) {
                                strbuf_puts(&b, " ");
                                strbuf_puts(&b, streq(*s, "-") ? "(a page fault)" : *s);
                        }
                } else
                        strbuf_puts(&b, "not traced; the check fails without it");
                strbuf_puts(&b, "\nAddCapability=");
                put_upper(&b, cname);
                strbuf_puts(&b, "\n");
        }
        if (profile_path) {
                strbuf_puts(&b, "SeccompProfile=");
                strbuf_puts(&b, profile_path);
                strbuf_puts(&b, "\n");
        }
        *ret = strbuf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}

void learn_report(FILE *f, uint64_t candidates, uint64_t kept, uint64_t current, const struct learn_result *res) {
        uint64_t noise = res ? res->noise_caps : 0;

        fprintf(f, "%-20s %-8s %-12s %s\n", "capability", "result", "description", "needed by");
        for (int cap = 0; cap < BERTH_CAP_MAX; cap++) {
                uint64_t bit = UINT64_C(1) << cap;
                const char *cname = capability_to_name(cap), *result, *diff;
                if (!cname || !((candidates | noise | current | kept) & bit))
                        continue;
                result = (kept & bit) ? "kept" : (candidates & bit) ? "pruned" : (noise & bit) ? "noise" : "-";
                diff = (kept & bit) ? ((current & bit) ? "has it" : "+ added") : ((current & bit) ? "- removed" : "");
                fprintf(f, "%-20s %-8s %-12s ", cname, result, diff);
                if (res && res->need[cap].syscalls) {
                        bool first = true;
                        STRV_FOREACH(s, res->need[cap].syscalls) {
                                fprintf(f, "%s%s", first ? "" : " ", streq(*s, "-") ? "(page fault)" : *s);
                                first = false;
                        }
                } else if (noise & bit)
                        fputs("(only probes: overcommit, noaudit, denied or borrowed)", f);
                else if ((candidates & bit) && !res)
                        fputs("(from --from)", f);
                fputs("\n", f);
        }
}
