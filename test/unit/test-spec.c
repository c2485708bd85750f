/* SPDX-License-Identifier: MIT */
/* struct berth_spec: setters (values and their error messages), whole-spec rules, and the
 * spec -> argv -> spec round trip the generator and berth-exec rely on. */
#include <fcntl.h>
#include <sys/mman.h>

#include "spec.h"
#include "tap.h"
#include "capture.h"


static bool round_trips(const struct berth_spec *s, const char *what) {
        _cleanup_strv_free_ char **argv = NULL, **full = NULL;
        struct berth_spec back;
        bool help = false, same;
        int r;

        r = spec_to_argv(s, &argv);
        if (r < 0)
                return ok(false, "round trip %s: spec_to_argv failed", what);
        strv_extend(&full, "berth-exec");
        STRV_FOREACH(a, argv)
        strv_extend(&full, *a);
        spec_init(&back);
        r = spec_from_argv(&back, (int) strv_length(full), full, &help);
        same = r == 0 && spec_equal(s, &back);
        ok(same, "round trip: %s", what);
        spec_done(&back);
        return same;
}

static void test_round_trips(void) {
        struct berth_loc loc = {.key = "test"};
        struct berth_spec s;

        spec_init(&s);
        spec_set_name(&s, "web", &loc);
        spec_set_rootfs(&s, "/var/lib/machines/web", &loc);
        spec_set_exec(&s, "/bin/httpd -f -p 80", &loc);
        round_trips(&s, "minimal");

        spec_add_cap_drop(&s, "ALL", &loc);
        spec_add_cap_add(&s, "CHOWN DAC_OVERRIDE NET_BIND_SERVICE SETGID SETUID", &loc);
        spec_set_no_new_privileges(&s, "no", &loc);
        spec_set_label_type(&s, "docker_apache_t", &loc);
        spec_set_label_level(&s, "TopSecret", &loc);
        spec_set_label_user(&s, "system_u", &loc);
        spec_set_label_role(&s, "system_r", &loc);
        spec_set_label_filetype(&s, "container_file_t", &loc);
        spec_set_seccomp(&s, "/etc/berth/seccomp.json", &loc);
        spec_set_namespace(&s, BERTH_NS_PID, "container:db", &loc);
        spec_set_namespace(&s, BERTH_NS_NET, "none", &loc);
        spec_set_namespace(&s, BERTH_NS_IPC, "ns:/proc/1/ns/ipc", &loc);
        spec_set_namespace(&s, BERTH_NS_UTS, "host", &loc);
        spec_set_user_group(&s, "www-data:staff", &loc);
        spec_set_workdir(&s, "/srv", &loc);
        spec_add_environment(&s, "A=1 \"B=two words\" 'C=$HOME%i'", &loc);
        spec_add_env_file(&s, "/etc/web.env", &loc);
        spec_set_read_only(&s, "yes", &loc);
        spec_add_volume(&s, "/srv/data:/data:ro", &loc);
        spec_add_volume(&s, "/srv/logs:/var/log", &loc);
        spec_add_tmpfs(&s, "/tmp:size=64m,mode=1777", &loc);
        spec_add_tmpfs(&s, "/run", &loc);
        spec_add_mask(&s, "/etc/secret /opt/key", &loc);
        spec_add_unmask(&s, "/proc/kcore", &loc);
        spec_set_init(&s, "no", &loc);
        spec_set_notify(&s, "yes", &loc);
        spec_add_device(&s, "/dev/fuse", &loc);
        spec_add_device(&s, "/dev/sdb:/dev/xvdb:mr", &loc);
        spec_add_device(&s, "/dev/kvm:rw", &loc);
        spec_set_exec(&s, "/bin/sh -c \"echo 'quoted' \\\"x\\\" $PATH; exit 3\" -- --not-an-option", &loc);
        round_trips(&s, "every setting, quotes, $ and % in values, -- in the command");

        spec_set_label_disable(&s, "yes", &loc);
        spec_set_namespace(&s, BERTH_NS_PID, "host", &loc);
        spec_set_init(&s, "", &loc);
        round_trips(&s, "label=disable, pid host, init auto");
        spec_done(&s);

        spec_init(&s);
        spec_set_rootfs(&s, "/r", &loc);
        spec_set_exec(&s, "true", &loc);
        spec_set_group(&s, "50", &loc);
        round_trips(&s, "a group without a user (written as 0:G)");
        spec_done(&s);
}

static void test_setter_errors(void) {
        struct berth_loc loc = {.file = "/etc/berth/web.container", .line = 7, .key = "AddCapability"};
        struct berth_spec s;
        int r;

        spec_init(&s);
        r = CAPTURE(spec_add_cap_add(&s, "SYS_TYPO", &loc));
        is_int(r, -EINVAL, "unknown capability is rejected");
        ok(strstr(captured, "/etc/berth/web.container:7: AddCapability: unknown capability 'SYS_TYPO'") != NULL,
           "message names FILE:LINE: Key and the value");
        ok(strstr(captured, "did you mean 'sys_time'") != NULL, "and suggests the nearest name");
        is_int(strv_length(s.cap_add), 0, "a rejected list value adds nothing");

        loc.key = "NoNewPrivileges";
        r = CAPTURE(spec_set_no_new_privileges(&s, "maybe", &loc));
        is_int(r, -EINVAL, "a non-boolean is rejected");
        ok(strstr(captured, "NoNewPrivileges: expected a boolean") != NULL, "boolean message");
        is_int(s.no_new_privileges, 1, "no-new-privileges stays on after a bad value");

        loc.key = "Volume";
        is_int(CAPTURE(spec_add_volume(&s, "relative:/data", &loc)), -EINVAL, "relative volume source");
        is_int(CAPTURE(spec_add_volume(&s, "/a:/b:rx", &loc)), -EINVAL, "unknown volume option");
        ok(strstr(captured, "unknown volume option 'rx'") != NULL, "volume option message");
        is_int(CAPTURE(spec_add_volume(&s, "/a:/../etc", &loc)), -EINVAL, "'..' in a volume target");
        is_int(CAPTURE(spec_add_volume(&s, "/a:/", &loc)), -EINVAL, "a volume over the root");
        is_int(CAPTURE(spec_add_tmpfs(&s, "/tmp:suid", &loc)), -EINVAL, "tmpfs suid is refused");
        is_int(CAPTURE(spec_add_tmpfs(&s, "/tmp:size=1m,dev", &loc)), -EINVAL, "tmpfs dev is refused");
        is_int(CAPTURE(spec_add_device(&s, "/dev/fuse:/etc/fuse", &loc)), -EINVAL, "a device target outside /dev/");
        is_int(CAPTURE(spec_add_device(&s, "/srv/fuse", &loc)), -EINVAL, "a host device outside /dev/ needs a target");
        is_int(CAPTURE(spec_add_device(&s, "/dev/fuse:rx", &loc)), -EINVAL, "device permissions other than r, w, m");
        is_int(CAPTURE(spec_add_device(&s, "/dev/fuse:rr", &loc)), -EINVAL, "a device permission twice");
        is_int(CAPTURE(spec_add_device(&s, "/dev/a b", &loc)), -EINVAL,
               "a device path with a space (a DeviceAllow= word)");
        is_int(CAPTURE(spec_add_device(&s, "/srv/fuse:/dev/fuse:mwr", &loc)), 0, "HOST:CONTAINER:PERMS in any order");
        is_str(s.devices[s.n_devices - 1].perms, "rwm", "... normalized to rwm");
        is_int(CAPTURE(spec_set_namespace(&s, BERTH_NS_PID, "none", &loc)), -EINVAL, "pid=none is net-only");
        is_int(CAPTURE(spec_set_namespace(&s, BERTH_NS_NET, "none", &loc)), 0, "net=none");
        is_int(CAPTURE(spec_set_namespace(&s, BERTH_NS_IPC, "container:", &loc)), -EINVAL, "container: without a name");
        is_int(CAPTURE(spec_set_namespace(&s, BERTH_NS_IPC, "ns:relative", &loc)), -EINVAL, "ns: with a relative path");
        is_int(CAPTURE(spec_set_namespace(&s, BERTH_NS_IPC, "bogus", &loc)), -EINVAL, "unknown namespace mode");
        is_int(CAPTURE(spec_set_label_level(&s, "s0:c1,", &loc)), -EINVAL, "level with a dangling comma");
        is_int(CAPTURE(spec_set_label_level(&s, "s0-s3:c0.c127", &loc)), 0, "level range");
        is_int(CAPTURE(spec_set_label_level(&s, "s2", &loc)), 0, "bare sensitivity");
        is_int(CAPTURE(spec_set_label_level(&s, "TopSecret", &loc)), 0, "translated level name");
        is_int(CAPTURE(spec_set_label_type(&s, "bad:type", &loc)), -EINVAL, "type with a colon");
        is_int(CAPTURE(spec_set_user(&s, "4294967295", &loc)), -EINVAL, "uid -1 is not a user");
        is_int(CAPTURE(spec_set_user(&s, "Bad User", &loc)), -EINVAL, "user name with a space");
        is_int(CAPTURE(spec_set_user_group(&s, "app:", &loc)), -EINVAL, "USER: with an empty group");
        is_int(CAPTURE(spec_add_env(&s, "1X=2", &loc)), -EINVAL, "env name starting with a digit");
        is_int(CAPTURE(spec_add_env(&s, "NOVALUE", &loc)), -EINVAL, "env without =");
        is_int(CAPTURE(spec_set_exec(&s, "/bin/echo \"unterminated", &loc)), -EINVAL, "unterminated quote in Exec=");
        is_int(CAPTURE(spec_set_exec(&s, "bin/echo", &loc)), -EINVAL, "relative command path");
        is_int(CAPTURE(spec_set_exec(&s, "", &loc)), -EINVAL, "empty Exec=");
        is_int(CAPTURE(spec_set_security_opt(&s, "label=type:", &loc)), -EINVAL, "label=type: without a type");
        is_int(CAPTURE(spec_set_security_opt(&s, "bogus=x", &loc)), -EINVAL, "unknown security option");
        is_int(CAPTURE(spec_set_security_opt(&s, "label:type:docker_apache_t", &loc)), 0, "old colon form");
        is_str(s.label.type, "docker_apache_t", "old colon form sets the type");
        is_int(CAPTURE(spec_set_security_opt(&s, "no-new-privileges", &loc)), 0, "no-new-privileges alone");
        is_int(CAPTURE(spec_set_seccomp(&s, "relative.json", &loc)), -EINVAL, "relative seccomp profile");
        is_int(CAPTURE(spec_set_name(&s, "../etc", &loc)), -EINVAL, "container name with a slash");
        is_int(CAPTURE(spec_set_hostname(&s, "-bad", &loc)), -EINVAL, "host name starting with '-'");
        spec_done(&s);
}

static void test_lists_and_reset(void) {
        struct berth_loc loc = {.key = "test"};
        struct berth_spec s;

        spec_init(&s);
        spec_add_cap_add(&s, "CHOWN", &loc);
        spec_add_cap_add(&s, "cap_net_admin,SYS_TIME", &loc);
        is_int(strv_length(s.cap_add), 3, "list keys append; commas split too");
        spec_add_cap_add(&s, "", &loc);
        is_int(strv_length(s.cap_add), 0, "an empty assignment resets the list");
        spec_add_environment(&s, "A=1", &loc);
        spec_add_environment(&s, "", &loc);
        spec_add_environment(&s, "B=2", &loc);
        is_int(strv_length(s.env), 1, "Environment= reset then one more");
        is_str(s.env[0], "B=2", "only the value after the reset remains");
        spec_add_volume(&s, "/a:/a", &loc);
        spec_add_volume(&s, "", &loc);
        is_int(s.n_volumes, 0, "Volume= resets");
        spec_set_hostname(&s, "web", &loc);
        spec_set_hostname(&s, "", &loc);
        is_str(s.hostname, NULL, "an empty single value resets to the default");
        spec_done(&s);
}

static void test_validate(void) {
        struct berth_loc file = {.file = "/etc/berth/x.container"};
        struct berth_loc any = {.key = "t"};
        struct berth_spec s;
        int r;

        spec_init(&s);
        r = CAPTURE(spec_validate(&s, &file));
        is_int(r, -EINVAL, "an empty spec is invalid");
        ok(strstr(captured, "/etc/berth/x.container: RootDirectory: a root directory is required") != NULL,
           "missing RootDirectory= is named with the file");
        ok(strstr(captured, "Exec: a command to run is required") != NULL, "missing Exec= reported too");
        r = CAPTURE(spec_validate(&s, NULL));
        ok(strstr(captured, "--rootfs: a root directory is required") != NULL, "from argv, the option is named");

        spec_set_rootfs(&s, "/r", &any);
        spec_set_exec(&s, "/bin/true", &any);
        is_int(CAPTURE(spec_validate(&s, &file)), 0, "root + command is enough");

        spec_set_hostname(&s, "h", &any);
        spec_set_namespace(&s, BERTH_NS_UTS, "host", &any);
        is_int(CAPTURE(spec_validate(&s, &file)), -EINVAL, "HostName= with a host UTS namespace");
        spec_set_namespace(&s, BERTH_NS_UTS, "private", &any);

        spec_set_init(&s, "yes", &any);
        spec_set_namespace(&s, BERTH_NS_PID, "host", &any);
        is_int(CAPTURE(spec_validate(&s, &file)), -EINVAL, "Init=yes with a host PID namespace");
        ok(spec_label_disabled_by_namespaces(&s), "pid=host disables labelling (Docker's rule)");
        spec_set_init(&s, "", &any);
        ok(!spec_wants_init(&s), "init auto: off with a host PID namespace");
        spec_set_namespace(&s, BERTH_NS_PID, "private", &any);
        ok(spec_wants_init(&s), "init auto: on with a private PID namespace");
        ok(!spec_label_disabled_by_namespaces(&s), "private namespaces keep labelling");
        spec_set_namespace(&s, BERTH_NS_NET, "host", &any);
        ok(!spec_label_disabled_by_namespaces(&s), "net=host keeps labelling (as Docker)");

        spec_set_name(&s, "self", &any);
        spec_set_namespace(&s, BERTH_NS_NET, "container:self", &any);
        is_int(CAPTURE(spec_validate(&s, &file)), -EINVAL, "joining one's own namespace");
        spec_set_namespace(&s, BERTH_NS_NET, "private", &any);

        spec_add_volume(&s, "/a:/data", &any);
        spec_add_volume(&s, "/b:/data", &any);
        is_int(CAPTURE(spec_validate(&s, &file)), -EINVAL, "two volumes on one target");
        spec_done(&s);
}

static void test_masks(void) {
        struct berth_loc any = {.key = "t"};
        _cleanup_strv_free_ char **m = NULL, **ro = NULL;
        struct berth_spec s;

        spec_init(&s);
        spec_masked_paths(&s, &m);
        is_int(strv_length(m), 12, "Docker's 12 masked paths by default");
        ok(strv_contains(m, "/proc/kcore"), "/proc/kcore is masked");
        strv_free(m);
        m = NULL;
        spec_add_unmask(&s, "/proc/kcore", &any);
        spec_add_mask(&s, "/etc/shadow", &any);
        spec_masked_paths(&s, &m);
        ok(!strv_contains(m, "/proc/kcore") && strv_contains(m, "/etc/shadow"), "Unmask= and Mask= apply");
        spec_add_unmask(&s, "ALL", &any);
        spec_readonly_paths(&s, &ro);
        is_int(strv_length(ro), 0, "Unmask=ALL leaves no read-only paths");
        spec_done(&s);
}

static void test_argv_errors(void) {
        struct berth_spec s;
        bool help;
        char *bad_cap[] = {"berth-exec", "--cap-add", "nope", "--rootfs", "/r", "--", "/bin/true", NULL};
        char *unknown[] = {"berth-exec", "--frobnicate", "--rootfs", "/r", "/bin/true", NULL};
        char *stop[] = {"berth-exec", "--rootfs", "/r", "/bin/sh", "--cap-add", "X", NULL};
        char *shorts[] = {"berth-exec", "-e", "A=1", "-v", "/a:/b", "-u", "app", "-w", "/w", "--rootfs=/r", "sh", NULL};

        spec_init(&s);
        is_int(CAPTURE(spec_from_argv(&s, 7, bad_cap, &help)), -EINVAL, "bad --cap-add");
        ok(strstr(captured, "--cap-add: unknown capability 'nope'") != NULL, "message names the option");
        spec_done(&s);

        spec_init(&s);
        is_int(CAPTURE(spec_from_argv(&s, 5, unknown, &help)), -EINVAL, "unknown option");
        ok(strstr(captured, "--frobnicate") != NULL, "unknown option is named");
        spec_done(&s);

        spec_init(&s);
        is_int(CAPTURE(spec_from_argv(&s, 6, stop, &help)), 0, "options stop at the command");
        is_int(strv_length(s.command), 3, "the command keeps its own options");
        is_int(strv_length(s.cap_add), 0, "the command's options are not berth-exec's");
        spec_done(&s);

        spec_init(&s);
        is_int(CAPTURE(spec_from_argv(&s, 11, shorts, &help)), 0, "docker's short options");
        ok(s.n_volumes == 1 && streq(s.user, "app") && streq(s.workdir, "/w") && strv_length(s.env) == 1,
           "short options set volume, user, workdir, env");
        spec_done(&s);
}

static void test_split_quoted(void) {
        _cleanup_strv_free_ char **w = NULL;
        is_int(split_quoted("a 'b c' \"d \\\"e\\\"\" f\\ g \"\"", &w), 0, "split quoted words");
        ok(strv_length(w) == 5 && streq(w[1], "b c") && streq(w[2], "d \"e\"") && streq(w[3], "f g") && streq(w[4], ""),
           "quotes, escapes and an empty quoted word");
        strv_free(w);
        w = NULL;
        is_int(split_quoted("a\\qb", &w), -EINVAL, "unknown escape is an error");
        is_int(split_quoted("'abc", &w), -EINVAL, "unterminated single quote");
}

int main(void) {
        tap_no_plan();
        log_open("test", LOG_SINK_STDERR, LOG_LEVEL_INFO);
        test_round_trips();
        test_setter_errors();
        test_lists_and_reset();
        test_validate();
        test_masks();
        test_argv_errors();
        test_split_quoted();
        return tap_done();
}
