/* SPDX-License-Identifier: MIT */
/* berth learn's classifier and writers, from recorded event streams: the rules hold where
 * BPF cannot load. test/learn/events/fixture-tracepoint.events is what the tracer recorded
 * for the fixture payload on a kernel with the cap_capable tracepoint (berth learn --record). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "learn/classify.h"
#include "learn/output.h"
#include "tap.h"
#include "capture.h"

#define BIT(c) (UINT64_C(1) << (c))
#define CHOWN 0
#define DAC_OVERRIDE 1
#define DAC_READ_SEARCH 2
#define NET_BIND_SERVICE 10
#define SYS_ADMIN 21
#define SYS_TIME 25

static char *read_all(const char *path) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        struct stat st;
        char *buf;

        if (fd < 0 || fstat(fd, &st) < 0)
                return NULL;
        buf = calloc(1, (size_t) st.st_size + 1);
        if (buf && read(fd, buf, (size_t) st.st_size) != st.st_size) {
                free(buf);
                return NULL;
        }
        return buf;
}

static int verdict(const char *line) {
        _cleanup_free_ char *copy = strdup(line);
        struct learn_event e;
        if (learn_event_parse(copy, &e) < 0)
                return -1;
        return (int) learn_classify_event(&e);
}

static uint64_t classify_stream(const char *text, struct learn_result *r) {
        learn_result_init(r);
        if (learn_result_add_stream(r, text, "inline") < 0)
                return UINT64_MAX;
        return r->caps;
}

static bool need_is(const struct learn_result *r, int cap, const char *want) {
        _cleanup_free_ char *joined = NULL;
        struct strbuf b = {};
        STRV_FOREACH(s, r->need[cap].syscalls) {
                if (b.len)
                        strbuf_putc(&b, ' ');
                strbuf_puts(&b, *s);
        }
        joined = strbuf_steal(&b);
        if (!streq_ptr(joined ? joined : "", want)) {
                tap_diag("  need[%d]: got '%s', want '%s'", cap, joined ? joined : "", want);
                return false;
        }
        return true;
}

int main(void) {
        const char *src = getenv("BERTH_SOURCE_DIR");
        _cleanup_free_ char *path = NULL, *text = NULL;
        struct learn_result r;
        uint64_t caps;

        tap_no_plan();
        log_open("test-learn", LOG_SINK_STDERR, LOG_LEVEL_DEBUG);

        /* ---- the recorded run of the fixture ---- */
        if (xasprintf(&path, "%s/test/learn/events/fixture-tracepoint.events", src ? src : ".") < 0)
                return 1;
        text = read_all(path);
        ok(text != NULL, "recorded stream %s is readable", path);
        caps = classify_stream(text ? text : "", &r);
        is_hex(caps, BIT(CHOWN) | BIT(DAC_READ_SEARCH) | BIT(NET_BIND_SERVICE) | BIT(SYS_TIME),
               "fixture: exactly chown, dac_read_search, net_bind_service, sys_time");
        ok(!(caps & BIT(SYS_ADMIN)), "fixture: the overcommit sys_admin checks (execve, brk) are not kept");
        is_hex(r.noise_caps, BIT(SYS_ADMIN), "fixture: sys_admin is reported as noise");
        ok(r.dropped[LEARN_DROP_OVERCOMMIT] >= 3, "fixture: overcommit checks counted (%llu)",
           (unsigned long long) r.dropped[LEARN_DROP_OVERCOMMIT]);
        ok(need_is(&r, CHOWN, "chown"), "fixture: chown needed by chown");
        ok(need_is(&r, DAC_READ_SEARCH, "openat"), "fixture: dac_read_search needed by openat");
        ok(need_is(&r, NET_BIND_SERVICE, "bind"), "fixture: net_bind_service needed by bind");
        ok(need_is(&r, SYS_TIME, "clock_settime"), "fixture: sys_time needed by clock_settime");
        learn_result_done(&r);

        /* the same fixture on Debian 12's 6.1 kernel, traced through fexit (audit flag known) */
        {
                _cleanup_free_ char *path61 = NULL, *text61 = NULL;
                if (xasprintf(&path61, "%s/test/learn/events/fixture-fexit-6.1.events", src ? src : ".") < 0)
                        return 1;
                text61 = read_all(path61);
                ok(text61 != NULL, "recorded stream %s is readable", path61);
                caps = classify_stream(text61 ? text61 : "", &r);
        }
        is_hex(caps, BIT(CHOWN) | BIT(DAC_READ_SEARCH) | BIT(NET_BIND_SERVICE) | BIT(SYS_TIME),
               "fixture (fexit, 6.1): the same four");
        learn_result_done(&r);

        /* ---- the rules, one by one ---- */
        is_int(verdict("cap=sys_admin granted=yes audit=unknown syscall=mmap"), LEARN_DROP_OVERCOMMIT,
               "sys_admin in mmap, audit unknown: overcommit");
        is_int(verdict("cap=sys_admin granted=yes audit=unknown syscall=clone"), LEARN_DROP_OVERCOMMIT,
               "sys_admin in clone (fork copies accounted memory): overcommit");
        is_int(verdict("cap=sys_admin granted=yes audit=unknown syscall=pwrite64"), LEARN_DROP_OVERCOMMIT,
               "sys_admin in pwrite64 (nginx's pid file on a tmpfs grows): overcommit");
        is_int(verdict("cap=sys_admin granted=yes syscall=-"), LEARN_DROP_OVERCOMMIT,
               "sys_admin outside a system call (stack growth): overcommit");
        is_int(verdict("cap=sys_admin granted=yes audit=unknown syscall=mount"), LEARN_KEEP,
               "sys_admin in mount: kept (control: the overcommit rule is about the call)");
        is_int(verdict("cap=sys_admin granted=yes audit=yes syscall=mmap"), LEARN_KEEP,
               "sys_admin in mmap with the audit flag set (kprobe/fexit): kept, nothing inferred");
        is_int(verdict("cap=sys_admin granted=yes audit=no syscall=mount"), LEARN_DROP_NOAUDIT,
               "a noaudit check is a probe, whatever the call");
        is_int(verdict("cap=chown granted=no syscall=chown"), LEARN_DROP_DENIED, "a denied check is not a need");
        is_int(verdict("cap=chown granted=yes borrowed=yes syscall=chown"), LEARN_DROP_BORROWED,
               "a check with borrowed credentials is not the payload's");
        is_int(verdict("cap=dac_override granted=yes audit=yes syscall=openat"), LEARN_KEEP,
               "an audited grant is kept");
        is_int(verdict("cap=chown syscall=chown"), -1, "granted= is required");
        is_int(verdict("cap=nonsense granted=yes syscall=x"), -1, "an unknown capability is an error");
        is_int(verdict("cap=chown granted=maybe syscall=x"), -1, "granted is yes or no");
        is_int(verdict("cap=chown granted=yes syscall=x colour=blue"), -1, "an unknown key is an error");
        is_int(verdict("cap=chown granted=yes syscall=x count=12z"), -1, "count is a number");

        /* the same capability first as noise, then needed: not noise any more */
        caps = classify_stream("cap=sys_admin granted=yes syscall=brk\n"
                               "# a comment\n\n"
                               "cap=sys_admin granted=yes audit=yes syscall=mount count=2\n"
                               "cap=sys_admin granted=yes audit=yes syscall=mount\n"
                               "cap=sys_admin granted=yes audit=yes syscall=umount2\n",
                               &r);
        is_hex(caps, BIT(SYS_ADMIN), "noise then need: kept");
        is_hex(r.noise_caps, 0, "noise then need: not reported as noise");
        is_int(r.need[SYS_ADMIN].checks, 4, "checks are counted with count=");
        ok(need_is(&r, SYS_ADMIN, "mount umount2"), "system calls sorted and unique");
        learn_result_done(&r);

        /* learning with the full set records the narrower capability; a run without it the wider */
        caps = classify_stream("cap=dac_read_search granted=no syscall=openat\n"
                               "cap=dac_override granted=yes syscall=openat\n",
                               &r);
        is_hex(caps, BIT(DAC_OVERRIDE), "without dac_read_search: the denied check is dropped, dac_override kept");
        learn_result_done(&r);

        learn_result_init(&r);
        CAPTURE(learn_result_add_stream(&r, "cap=chown granted=yes syscall=chown\nbogus\n", "rec.events"));
        ok(strstr(captured, "rec.events:2:") != NULL, "a bad line is reported as FILE:LINE (%s)", captured);
        is_hex(r.caps, BIT(CHOWN), "the good lines of a stream with a bad one still count");
        learn_result_done(&r);

        /* format -> parse round trip */
        {
                struct learn_event e = {.cap = SYS_TIME,
                                        .granted = true,
                                        .audit = LEARN_AUDIT_NO,
                                        .syscall = "clock_settime",
                                        .pid = 42,
                                        .count = 3},
                                   back;
                _cleanup_free_ char *line = learn_event_format(&e);
                _cleanup_free_ char *copy = line ? strdup(line) : NULL;
                ok(copy && learn_event_parse(copy, &back) == 0 && back.cap == SYS_TIME && back.granted &&
                           back.audit == LEARN_AUDIT_NO && streq(back.syscall, "clock_settime") && back.pid == 42 &&
                           back.count == 3,
                   "an event survives format and parse (%s)", line ? line : "NULL");
        }

        /* ---- the writers ---- */
        {
                char *names[] = {"bind", "chown", NULL}, *bad[] = {"bind", "x\"y", NULL};
                char *arches[] = {"SCMP_ARCH_X86_64", NULL}, *bad_arches[] = {"x86_64", NULL};
                _cleanup_free_ char *json = NULL, *dropin = NULL;
                char *out = NULL;
                size_t outlen = 0;
                FILE *f;

                is_int(learn_profile_json(names, arches, &json), 0, "profile: written");
                ok(json && strstr(json, "\"defaultAction\": \"SCMP_ACT_ERRNO\"") &&
                           strstr(json, "\"defaultErrnoRet\": 1"),
                   "profile: default action errno EPERM");
                ok(json && strstr(json, "\"bind\",\n        \"chown\"\n"), "profile: the calls, in order");
                {
                        char *j2 = NULL;
                        is_int(learn_profile_json(bad, arches, &j2), -EINVAL,
                               "profile: a name that is no call name is refused");
                        is_int(learn_profile_json(names, bad_arches, &j2), -EINVAL,
                               "profile: architectures are SCMP_ARCH_*");
                }

                caps = classify_stream(text ? text : "", &r);
                is_int(learn_dropin_text("web", caps & ~BIT(SYS_TIME), &r, "/etc/berth/web.container.d/50-learned.json",
                                         "curl -fsS http://127.0.0.1/", &dropin),
                       0, "drop-in: written");
                ok(dropin && strstr(dropin, "[Container]\nDropCapability=\nDropCapability=ALL\nAddCapability=\n"),
                   "drop-in: resets the lists, drops everything");
                ok(dropin && strstr(dropin, "# chown: needed by chown\nAddCapability=CHOWN\n"),
                   "drop-in: a comment naming the call above each capability");
                ok(dropin && !strstr(dropin, "SYS_TIME"), "drop-in: a pruned capability is not added");
                ok(dropin && strstr(dropin, "SeccompProfile=/etc/berth/web.container.d/50-learned.json\n"),
                   "drop-in: the profile beside it");

                f = open_memstream(&out, &outlen);
                learn_report(f, caps, caps & ~BIT(SYS_TIME), BIT(CHOWN) | BIT(DAC_OVERRIDE), &r);
                fclose(f);
                ok(out && strstr(out, "sys_time             pruned"), "report: a pruned candidate");
                ok(out && strstr(out, "dac_read_search      kept     + added      openat"),
                   "report: kept, added, needed by");
                ok(out && strstr(out, "dac_override         -        - removed"),
                   "report: removed against the description");
                ok(out && strstr(out, "sys_admin            noise"), "report: noise");
                free(out);
                learn_result_done(&r);
        }
        return tap_done();
}
