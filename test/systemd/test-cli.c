/* SPDX-License-Identifier: MIT */
/* Unit tests of the CLI's helpers (suite 'unit'): `berth run -p` conversion to D-Bus
 * properties (read back from a real sd-bus message), and /proc reading for `berth caps`
 * (checked against capget(2) and a real child process). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bus.h"
#include "proc-caps.h"
#include "tap.h"
#include "unit-property.h"
#include "util.h"

static void test_timespan(void) {
        uint64_t u = 0;
        ok(parse_timespan_usec("90", &u) == 0 && u == 90000000, "timespan: bare number is seconds");
        ok(parse_timespan_usec("1.5s", &u) == 0 && u == 1500000, "timespan: 1.5s");
        ok(parse_timespan_usec("500ms", &u) == 0 && u == 500000, "timespan: 500ms");
        ok(parse_timespan_usec("2min", &u) == 0 && u == 120000000, "timespan: 2min");
        ok(parse_timespan_usec("infinity", &u) == 0 && u == UINT64_MAX, "timespan: infinity");
        ok(parse_timespan_usec("5 parsecs", &u) < 0, "timespan: unknown unit refused");
        ok(parse_timespan_usec("-1s", &u) < 0, "timespan: negative refused");
        ok(parse_timespan_usec("", &u) < 0, "timespan: empty refused");
}

static void test_sizes(void) {
        uint64_t u = 0;
        ok(parse_size_bytes("4096", &u) == 0 && u == 4096, "size: bytes");
        ok(parse_size_bytes("512M", &u) == 0 && u == 512ULL << 20, "size: 512M");
        ok(parse_size_bytes("1G", &u) == 0 && u == 1ULL << 30, "size: 1G");
        ok(parse_size_bytes("2k", &u) == 0 && u == 2048, "size: lower-case suffix");
        ok(parse_size_bytes("1X", &u) < 0, "size: unknown suffix refused");
        ok(parse_size_bytes("50%", &u) < 0, "size: percentages refused (not supported)");
        ok(parse_percent_per_mille("50%", &u) == 0 && u == 500, "percent: 50%% is 500 per mille");
        ok(parse_percent_per_mille("50", &u) < 0, "percent: the %% is required");
}

/* A message as StartTransientUnit's properties would be built, then read back. */
static sd_bus_message *new_message(sd_bus **bus) {
        sd_bus_message *m = NULL;
        int fds[2];

        /* sd-bus only builds messages for a started connection; one end of a socketpair is
         * enough, nothing is ever sent. */
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0 || sd_bus_new(bus) < 0 ||
            sd_bus_set_fd(*bus, fds[0], fds[0]) < 0 || sd_bus_start(*bus) < 0 ||
            sd_bus_message_new_method_call(*bus, &m, "org.example", "/", "org.example", "M") < 0 ||
            sd_bus_message_open_container(m, 'a', "(sv)") < 0)
                return NULL;
        close(fds[1]);
        return m;
}

static bool read_back(sd_bus_message *m, const char *name, char type, void *value) {
        const char *n = NULL;
        char sig[2] = {type, 0};
        if (sd_bus_message_close_container(m) < 0 || sd_bus_message_seal(m, 1, 0) < 0 || sd_bus_message_rewind(m, true) < 0 ||
            sd_bus_message_enter_container(m, 'a', "(sv)") <= 0 || sd_bus_message_enter_container(m, 'r', "sv") <= 0 ||
            sd_bus_message_read(m, "s", &n) <= 0 || !streq(n, name) || sd_bus_message_enter_container(m, 'v', sig) <= 0)
                return false;
        return sd_bus_message_read_basic(m, type, value) > 0;
}

static void check_property(const char *assignment, const char *bus_name, char type, uint64_t want_u, const char *want_s) {
        sd_bus *bus = NULL;
        sd_bus_message *m = new_message(&bus);
        union {
                uint64_t u64;
                int32_t i32;
                int b;
                const char *s;
        } v = {0};
        bool good;

        if (!m) {
                ok(false, "-p %s: cannot build a test message", assignment);
                return;
        }
        good = unit_property_append(m, assignment) == 0 && read_back(m, bus_name, type, &v);
        switch (type) {
        case 's': good = good && streq(v.s, want_s); break;
        case 't': good = good && v.u64 == want_u; break;
        case 'i': good = good && v.i32 == (int32_t) want_u; break;
        case 'b': good = good && v.b == (int) want_u; break;
        }
        ok(good, "-p %s becomes %s (%c)", assignment, bus_name, type);
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
}

static void test_properties(void) {
        sd_bus *bus = NULL;
        sd_bus_message *m;

        check_property("Description=a b", "Description", 's', 0, "a b");
        check_property("Restart=on-failure", "Restart", 's', 0, "on-failure");
        check_property("RestartSec=2", "RestartUSec", 't', 2000000, NULL);
        check_property("TimeoutStopSec=500ms", "TimeoutStopUSec", 't', 500000, NULL);
        check_property("MemoryMax=512M", "MemoryMax", 't', 512ULL << 20, NULL);
        check_property("TasksMax=infinity", "TasksMax", 't', UINT64_MAX, NULL);
        check_property("CPUQuota=50%", "CPUQuotaPerSecUSec", 't', 500000, NULL);
        check_property("Nice=-5", "Nice", 'i', (uint64_t) -5, NULL);
        check_property("RemainAfterExit=yes", "RemainAfterExit", 'b', 1, NULL);
        check_property("LimitNOFILE=1024", "LimitNOFILE", 't', 1024, NULL);

        /* Refusals happen before the message is touched. */
        m = new_message(&bus);
        ok(unit_property_append(m, "ExecStart=/bin/true") == -EINVAL, "-p ExecStart= refused (berth builds it)");
        ok(unit_property_append(m, "Type=simple") == -EINVAL, "-p Type= refused (readiness is berth-exec's)");
        ok(unit_property_append(m, "User=nobody") == -EINVAL, "-p User= refused (berth-exec must start as root)");
        ok(unit_property_append(m, "Bogus=1") == -EINVAL, "-p with an unknown key refused");
        ok(unit_property_append(m, "Restart") == -EINVAL, "-p without = refused");
        ok(unit_property_append(m, "RemainAfterExit=maybe") == -EINVAL, "-p with a bad boolean refused");
        ok(unit_property_append(m, "MemoryMax=lots") == -EINVAL, "-p with a bad size refused");
        sd_bus_message_unref(m);
        sd_bus_flush_close_unref(bus);
}

static void test_unit_names(void) {
        char *s = unit_name_from_container("web");
        is_str(s, "web.service", "container name -> unit name");
        free(s);
        s = unit_name_from_container("web.service");
        is_str(s, "web.service", "a unit name is kept");
        free(s);
        s = unit_name_from_container("app@1");
        is_str(s, "app@1.service", "an instance name -> instance unit");
        free(s);
}

static void test_proc_caps(void) {
        struct proc_caps p;
        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[2] = {};
        uint64_t eff, prm, inh;
        pid_t child, *pids = NULL;
        size_t n = 0;
        int r, fds[2];
        char c = 0;

        r = proc_caps_read("/proc", getpid(), &p);
        is_int(r, 0, "proc_caps_read on this process");
        ok(syscall(SYS_capget, &hdr, data) == 0, "capget");
        eff = data[0].effective | (uint64_t) data[1].effective << 32;
        prm = data[0].permitted | (uint64_t) data[1].permitted << 32;
        inh = data[0].inheritable | (uint64_t) data[1].inheritable << 32;
        is_hex(p.effective, eff, "CapEff from /proc matches capget()");
        is_hex(p.permitted, prm, "CapPrm from /proc matches capget()");
        is_hex(p.inheritable, inh, "CapInh from /proc matches capget()");
        is_int(p.ppid, getppid(), "PPid");
        is_int(p.uid, geteuid(), "effective uid");
        is_int(proc_caps_read("/proc", 0x7ffffff0, &p), -ENOENT, "a process that does not exist: -ENOENT");

        /* A child with a capability dropped from its bounding set: proc_tree finds it under
         * this process and proc_caps_read sees the change. */
        if (pipe2(fds, O_CLOEXEC) < 0) {
                ok(false, "pipe");
                return;
        }
        child = fork();
        if (child == 0) {
                c = prctl(PR_CAPBSET_DROP, CAP_SYS_TIME, 0, 0, 0) == 0 ? 'd' : 'n';
                close(fds[0]);
                (void) !write(fds[1], &c, 1);
                pause();
                _exit(0);
        }
        close(fds[1]);
        (void) !read(fds[0], &c, 1);
        close(fds[0]);

        r = proc_tree("/proc", getpid(), &pids, &n);
        is_int(r, 0, "proc_tree of this process");
        ok(n >= 2 && pids[0] == getpid(), "the root comes first");
        bool found = false;
        for (size_t i = 0; i < n; i++)
                found = found || pids[i] == child;
        ok(found, "the forked child is in the tree");
        free(pids);

        r = proc_caps_read("/proc", child, &p);
        ok(r == 0 && p.ppid == getpid(), "the child's PPid is this process");
        if (c == 'd')
                ok(r == 0 && !(p.bounding & (UINT64_C(1) << CAP_SYS_TIME)), "the child's CapBnd lacks the dropped sys_time");
        else
                tap_skip(1, "cannot drop from the bounding set (not root)");
        kill(child, SIGKILL);
        waitpid(child, NULL, 0);
}

int main(void) {
        tap_no_plan();
        test_timespan();
        test_sizes();
        test_properties();
        test_unit_names();
        test_proc_caps();
        return tap_done();
}
