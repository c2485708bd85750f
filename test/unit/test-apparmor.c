/* SPDX-License-Identifier: MIT */
/* AppArmor's pure logic: profile names, the kernel's profile list, AppArmorProfile= and
 * --security-opt apparmor= (setter, round trip), and the profile `berth apparmor` derives
 * from berth-default's template and a description. */
#include <errno.h>

#include "apparmor/apparmor.h"
#include "capability.h"
#include "spec.h"
#include "tap.h"
#include "capture.h"

static void test_names(void) {
        static const char *const good[] = {"berth-default",   "berth.web",      "unconfined",  "docker-default",
                                           "/usr/sbin/nginx", "berth.web@blue", "vendor_x+1.2"};
        static const char *const bad[] = {"",          "-x",      ":ns:prof",  "a//hat", "a::b", "with space",
                                          "tab\there", "quote\"", "new\nline", "star*",  "{x}"};
        char long_name[300];

        for (size_t i = 0; i < ELEMENTSOF(good); i++)
                ok(apparmor_profile_name_is_valid(good[i]), "valid profile name '%s'", good[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                ok(!apparmor_profile_name_is_valid(bad[i]), "invalid profile name #%zu", i);
        memset(long_name, 'a', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = 0;
        ok(!apparmor_profile_name_is_valid(long_name), "a 299-character name is refused");
        long_name[255] = 0;
        ok(apparmor_profile_name_is_valid(long_name), "a 255-character name is accepted");
}

static void test_profiles_list(void) {
        const char *list = "berth-default-old (enforce)\n/usr/sbin/nginx (complain)\nberth-default (enforce)\n"
                           "berth.web@blue (enforce)\nlast (kill)";
        char *mode = NULL;

        is_int(apparmor_profiles_find(list, "berth-default", &mode), 1, "berth-default is found in the list");
        is_str(mode, "enforce", "with its mode");
        free(mode);
        is_int(apparmor_profiles_find(list, "/usr/sbin/nginx", &mode), 1, "a path-named profile is found");
        is_str(mode, "complain", "in complain mode");
        free(mode);
        is_int(apparmor_profiles_find(list, "last", &mode), 1, "the last line needs no newline");
        is_str(mode, "kill", "its mode");
        free(mode);
        is_int(apparmor_profiles_find(list, "berth-defaul", NULL), 0, "a prefix of a loaded name is not loaded");
        is_int(apparmor_profiles_find(list, "berth.web", NULL), 0, "nor is a prefix before '@'");
        is_int(apparmor_profiles_find(list, "missing", &mode), 0, "a name not in the list is not loaded");
        ok(mode == NULL, "and has no mode");
        is_int(apparmor_profiles_find("", "berth-default", NULL), 0, "an empty list has nothing");

        ok(apparmor_enabled_from_text("Y\n"), "the enabled parameter Y means on");
        ok(!apparmor_enabled_from_text("N\n"), "N means off");
        ok(!apparmor_enabled_from_text(""), "empty means off");
        ok(!apparmor_enabled_from_text("Yes"), "anything else means off");
}

static int parse_argv(struct berth_spec *s, char **argv) {
        bool help;
        return spec_from_argv(s, (int) strv_length(argv), argv, &help);
}

static void test_spec(void) {
        struct berth_loc loc = {.file = "web.container", .line = 4, .key = "AppArmorProfile"};
        _cleanup_strv_free_ char **argv = NULL;
        struct berth_spec s, back;
        int r;

        spec_init(&s);
        is_int(spec_set_apparmor_profile(&s, "berth.web", &loc), 0, "AppArmorProfile=berth.web");
        is_str(s.apparmor_profile, "berth.web", "is kept");
        CAPTURE(r = spec_set_apparmor_profile(&s, "bad name", &loc));
        is_int(r, -EINVAL, "AppArmorProfile=bad name is refused");
        ok(strstr(captured, "web.container:4: AppArmorProfile: invalid AppArmor profile name 'bad name'") != NULL,
           "naming file, line and key");
        tap_diag("%s", captured);
        is_str(s.apparmor_profile, "berth.web", "the earlier value stays");
        is_int(spec_set_apparmor_profile(&s, "", &loc), 0, "an empty assignment resets");
        ok(s.apparmor_profile == NULL, "to the default (berth-default where AppArmor is on)");

        is_int(spec_set_security_opt(&s, "apparmor=unconfined", &loc), 0, "--security-opt apparmor=unconfined");
        is_str(s.apparmor_profile, "unconfined", "sets it");
        is_int(spec_set_security_opt(&s, "apparmor:vendor-x", &loc), 0, "the colon form apparmor:NAME");
        is_str(s.apparmor_profile, "vendor-x", "sets it too");
        CAPTURE(r = spec_set_security_opt(&s, "apparmor=", &loc));
        is_int(r, -EINVAL, "apparmor= with no name is refused");

        spec_set_rootfs(&s, "/srv/root", &loc);
        spec_set_exec(&s, "/bin/true", &loc);
        is_int(spec_to_argv(&s, &argv), 0, "spec_to_argv");
        bool found = false;
        for (size_t i = 0; argv[i] && argv[i + 1]; i++)
                if (streq(argv[i], "--security-opt") && streq(argv[i + 1], "apparmor=vendor-x"))
                        found = true;
        ok(found, "the argv carries --security-opt apparmor=vendor-x");
        strv_free(argv);
        argv = NULL;
        strv_extend(&argv, "berth-exec");
        {
                _cleanup_strv_free_ char **words = NULL;
                spec_to_argv(&s, &words);
                STRV_FOREACH(w, words)
                strv_extend(&argv, *w);
        }
        spec_init(&back);
        is_int(parse_argv(&back, argv), 0, "and berth-exec parses it back");
        ok(spec_equal(&s, &back), "to the same spec");
        back.apparmor_profile[0] = 'V';
        ok(!spec_equal(&s, &back), "a different profile is a different spec");
        spec_done(&back);

        spec_set_apparmor_profile(&s, "", &loc);
        strv_free(argv);
        argv = NULL;
        spec_to_argv(&s, &argv);
        found = false;
        STRV_FOREACH(a, argv)
        if (startswith(*a, "apparmor="))
                found = true;
        ok(!found, "without a profile the argv names none (berth-exec decides: berth-default where AppArmor is on)");
        spec_done(&s);
}

static size_t count(const char *hay, const char *needle) {
        size_t n = 0;
        for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
                n++;
        return n;
}

/* The rules of text outside comments. */
static char *rules_only(const char *text) {
        struct strbuf b = {};
        for (const char *line = text; *line;) {
                const char *end = strchrnul(line, '\n');
                const char *p = line;
                while (*p == ' ')
                        p++;
                if (*p != '#' || strncmp(p, "#include", 8) == 0)
                        strbuf_put(&b, line, (size_t) (end - line + (*end ? 1 : 0)));
                line = *end ? end + 1 : end;
        }
        return strbuf_steal(&b);
}

static void test_derive(void) {
        struct berth_loc loc = {.key = "test"};
        struct berth_spec s;
        struct strbuf out = {};
        _cleanup_free_ char *text = NULL, *rules = NULL;
        uint64_t caps = UINT64_C(1) << capability_from_name("NET_BIND_SERVICE");
        int r;

        spec_init(&s);
        spec_set_rootfs(&s, "/srv/root", &loc);
        spec_set_exec(&s, "/bin/true", &loc);
        spec_add_volume(&s, "/srv/data:/data:ro", &loc);
        spec_add_volume(&s, "/srv/cache:/var/cache/app", &loc);
        spec_add_volume(&s, "/srv/odd:/opt/a*b{c}", &loc);
        spec_add_tmpfs(&s, "/run/app:size=1m", &loc);

        ok(strstr(apparmor_berth_default_template, "profile berth-default ") != NULL,
           "the compiled-in template is berth-default");
        r = apparmor_profile_derive(apparmor_berth_default_template, "berth.web", caps, &s, &out);
        text = strbuf_steal(&out);
        is_int(r, 0, "a profile is derived");
        rules = rules_only(text);
        ok(strstr(rules, "profile \"berth.web\" flags=(attach_disconnected,mediate_deleted) {") != NULL,
           "named berth.web");
        is_int((int) count(rules, "berth-default"), 0, "no rule still names berth-default");
        ok(strstr(rules, "peer=\"berth.web\"") != NULL, "signals and ptrace only among its own processes");
        is_int((int) count(rules, "capability"), 1, "exactly one capability rule");
        ok(strstr(rules, "  capability net_bind_service,\n") != NULL, "for NET_BIND_SERVICE");
        ok(strstr(rules, "  capability,\n") == NULL, "and not the base's blanket capability rule");
        ok(strstr(rules, "audit deny mount,") && strstr(rules, "audit deny @{PROC}/sysrq-trigger rwklx,"),
           "the base's denials are kept");
        ok(strstr(rules, "  \"/data/**\" r,\n") && strstr(rules, "  \"/data\" r,\n"), "the read-only volume: r");
        ok(strstr(rules, "  audit deny \"/data/**\" wl,\n") && strstr(rules, "  audit deny \"/data\" wl,\n"),
           "and its writes denied, audited");
        ok(strstr(rules, "  \"/var/cache/app/**\" rwk,\n") != NULL, "the read-write volume: rw");
        ok(strstr(rules, "deny \"/var/cache/app") == NULL, "and no denial for it");
        ok(strstr(rules, "  \"/opt/a\\*b\\{c\\}/**\" rwk,\n") != NULL, "glob characters in a path are escaped");
        ok(strstr(rules, "  \"/run/app/**\" rwk,\n") != NULL, "the tmpfs: rw");
        ok(strstr(text, "# berth.web: written by `berth apparmor`") == text, "its header says where it came from");
        ok(strstr(rules, "\n}\n") != NULL && text[strlen(text) - 2] == '}', "the profile is closed");

        free(text);
        caps = 0;
        r = apparmor_profile_derive(apparmor_berth_default_template, "berth.none", caps, &s, &out);
        text = strbuf_steal(&out);
        free(rules);
        rules = rules_only(text);
        is_int(r, 0, "an empty capability set");
        is_int((int) count(rules, "capability"), 0, "has no capability rule at all");

        free(text);
        text = NULL;
        r = apparmor_profile_derive("profile berth-default {\n  capability,\n}\n", "berth.x", caps, &s, &out);
        strbuf_done(&out);
        is_int(r, -EINVAL, "a template without its marks is refused");
        r = apparmor_profile_derive("profile berth-default {\n  # berth:capabilities\n  network,\n  # berth:paths\n}\n",
                                    "berth.x", caps, &s, &out);
        strbuf_done(&out);
        is_int(r, -EINVAL, "a capabilities mark not followed by the blanket rule is refused");
        r = apparmor_profile_derive(apparmor_berth_default_template, "bad name", caps, &s, &out);
        strbuf_done(&out);
        is_int(r, -EINVAL, "an invalid profile name is refused");
        r = apparmor_profile_derive(apparmor_berth_default_template, "unconfined", caps, &s, &out);
        strbuf_done(&out);
        is_int(r, -EINVAL, "unconfined is not a profile one can write");
        spec_done(&s);
}

int main(void) {
        tap_no_plan();
        test_names();
        test_profiles_list();
        test_spec();
        test_derive();
        return tap_done();
}
