/* SPDX-License-Identifier: MIT */
/* SELinux label building without a SELinux kernel: level/name syntax, the MCS pair
 * reservations (uniqueness, staleness, the lock under concurrent starts), composing
 * contexts with libselinux's context API from lxc_contexts, and what label_plan_build()
 * does on a host where SELinux is off (the label is ignored with a notice). The same code
 * under an enforcing kernel is tested by test/selinux/. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "label-internal.h"
#include "label.h"
#include "spec.h"
#include "tap.h"
#include "capture.h"


static void test_syntax(void) {
        static const char *const good_names[] = {"container_t", "docker_apache_t", "system_u", "s0", "A9_"};
        static const char *const bad_names[] = {"", "a-b", "a:b", "a b", "type.t", "ünï"};
        static const char *const good_levels[] = {"s0", "s2", "s0:c1,c2", "s2:c1", "s0:c0.c1023", "s0-s3:c0.c127",
                                                  "s0:c1,c3.c7,c9", "TopSecret", "SystemLow-SystemHigh", "s15:c0"};
        static const char *const bad_levels[] = {"", "s0:", "s0:c2.c1", "s0:c1,", "s01", "s0:c01", "x:y",
                                                 "1abc", "Top Secret", "s0-", "s0-s1-s2", "s0:c1.c1", "s0:d1",
                                                 "s0:c1,,c2", "Top:Secret", "s0x", "s0:c1 ", "-TopSecret"};
        char long_name[300];

        for (size_t i = 0; i < ELEMENTSOF(good_names); i++)
                ok(label_name_is_valid(good_names[i]), "name '%s' is valid", good_names[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad_names); i++)
                ok(!label_name_is_valid(bad_names[i]), "name '%s' is rejected", bad_names[i]);
        memset(long_name, 'a', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = 0;
        ok(!label_name_is_valid(long_name), "a 299-character name is rejected");
        ok(!label_name_is_valid(NULL), "NULL name is rejected");
        for (size_t i = 0; i < ELEMENTSOF(good_levels); i++)
                ok(label_level_is_valid(good_levels[i]), "level '%s' is valid", good_levels[i]);
        for (size_t i = 0; i < ELEMENTSOF(bad_levels); i++)
                ok(!label_level_is_valid(bad_levels[i]), "level '%s' is rejected", bad_levels[i]);
}

static char *make_runtime_dir(void) {
        char *d = strdup("/tmp/berth-test-label.XXXXXX");
        if (!d || !mkdtemp(d))
                abort();
        return d;
}

static void remove_tree(const char *d) {
        _cleanup_free_ char *cmd = NULL;
        if (xasprintf(&cmd, "rm -rf '%s'", d) >= 0)
                (void) !system(cmd);
}

static void write_record(const char *runtime_dir, const char *name, const char *content) {
        _cleanup_free_ char *dir = NULL, *path = NULL;
        FILE *f;
        if (xasprintf(&dir, "%s/%s", runtime_dir, name) < 0 || xasprintf(&path, "%s/mcs", dir) < 0)
                abort();
        (void) mkdir(dir, 0755);
        f = fopen(path, "we");
        if (!f)
                abort();
        fputs(content, f);
        fclose(f);
}

static bool parse_pair(const char *level, const char *sensitivity, unsigned *x, unsigned *y) {
        char sens[16], tail;
        if (sscanf(level, "%15[^:]:c%u,c%u%c", sens, x, y, &tail) != 3)
                return false;
        return streq(sens, sensitivity);
}

/* A child that lives until killed: a holder of a record that is not us. */
static pid_t spawn_sleeper(void) {
        pid_t p = fork();
        if (p == 0) {
                pause();
                _exit(0);
        }
        return p;
}

static void reap(pid_t p) {
        kill(p, SIGKILL);
        waitpid(p, NULL, 0);
}

static void test_mcs_pick(void) {
        _cleanup_strv_free_ char **used = NULL;
        bool all_fine = true, all_distinct = true;
        int r;

        /* 300 pairs drawn from c0..c1023, each added to the used set: the format, X<Y<1024,
         * and that no draw repeats one already used. */
        for (int i = 0; i < 300; i++) {
                char *level = NULL;
                unsigned x, y;

                r = mcs_pick("s0", MCS_CATEGORIES, used, &level);
                if (r < 0 || !parse_pair(level, "s0", &x, &y) || !(x < y && y < 1024)) {
                        all_fine = false;
                        tap_diag("bad pick %d: %s", r, level ?: "(none)");
                }
                if (level && strv_contains(used, level))
                        all_distinct = false;
                if (level)
                        strv_push(&used, level);
        }
        ok(all_fine, "300 random pairs are all s0:cX,cY with X<Y<1024");
        ok(all_distinct, "no pair is handed out twice");

        /* Three categories give three pairs; with two taken only the third may come back. */
        {
                char *taken[] = {(char *) "s0:c0,c1", (char *) "s0:c0,c2", NULL};
                char *taken_other_sens[] = {(char *) "s1:c0,c1", (char *) "s2:c0,c2", NULL};
                char *all[] = {(char *) "s0:c0,c1", (char *) "s0:c0,c2", (char *) "s0:c1,c2", NULL};
                bool only_free = true, cats_only = true;

                for (int i = 0; i < 50; i++) {
                        _cleanup_free_ char *a = NULL, *b = NULL;
                        if (mcs_pick("s0", 3, taken, &a) < 0 || !streq(a, "s0:c1,c2"))
                                only_free = false;
                        if (mcs_pick("s0", 3, taken_other_sens, &b) < 0 || !streq(b, "s0:c1,c2"))
                                cats_only = false;
                }
                ok(only_free, "with c0,c1 and c0,c2 in use, the pick is always c1,c2");
                ok(cats_only, "a pair in use at another sensitivity counts as in use (no read-down into it)");
                r = CAPTURE(mcs_pick("s0", 3, all, &(char *){NULL}));
                is_int(r, -EBUSY, "all pairs in use: -EBUSY");
                ok(strstr(captured, "no free MCS category pair") != NULL, "and says so: %s", captured);
        }
}

static void test_mcs_records(void) {
        _cleanup_free_ char *dir = make_runtime_dir(), *level = NULL, *dead_record = NULL;
        _cleanup_strv_free_ char **used = NULL;
        pid_t pid, sleeper, dead;
        char anon_name[32];
        int r;

        r = mcs_reserve(dir, "web", NULL, "s0", MCS_CATEGORIES, &level);
        ok(r == 0 && level, "reserve a pair for 'web'");
        level = level ?: strdup("");
        r = mcs_record_read(dir, "web", NULL, &pid);
        ok(r == 0 && pid == getpid(), "the record names our PID");
        {
                _cleanup_free_ char *back = NULL;
                mcs_record_read(dir, "web", &back, &pid);
                is_str(back, level, "the record holds the reserved level");
        }

        dead = fork();
        if (dead == 0)
                _exit(0);
        waitpid(dead, NULL, 0);
        xasprintf(&dead_record, "s0:c7,c8 %d\n", (int) dead);
        write_record(dir, "crashed", dead_record);
        snprintf(anon_name, sizeof(anon_name), ".anon-%d", (int) dead);
        write_record(dir, anon_name, dead_record);
        sleeper = spawn_sleeper();
        {
                _cleanup_free_ char *live_record = NULL;
                xasprintf(&live_record, "s0:c5,c6 %d\n", (int) sleeper);
                write_record(dir, "running", live_record);
        }
        write_record(dir, "garbage", "not a record\n");
        {
                /* The sleeper's PID, but another start time: a PID reused after a crash. */
                _cleanup_free_ char *reused = NULL;
                xasprintf(&reused, "s0:c9,c10 %d 1\n", (int) sleeper);
                write_record(dir, "reused", reused);
        }

        r = mcs_levels_in_use(dir, &used);
        ok(r == 0 && strv_length(used) == 2, "two levels in use (ours and the live sleeper's), got %zu",
           strv_length(used));
        ok(strv_contains(used, level) && strv_contains(used, "s0:c5,c6"), "in use: our level and s0:c5,c6");
        ok(!strv_contains(used, "s0:c7,c8"), "a record of a dead process is stale and frees its pair");
        ok(mcs_record_read(dir, "crashed", NULL, &pid) == -ENOENT, "and is removed");
        {
                _cleanup_free_ char *anon_dir = NULL;
                struct stat st;
                xasprintf(&anon_dir, "%s/%s", dir, anon_name);
                ok(stat(anon_dir, &st) < 0 && errno == ENOENT, "a dead unnamed container's directory is removed too");
        }
        ok(!strv_contains(used, "s0:c9,c10"), "so is one whose PID now belongs to a process started later");
        r = CAPTURE(mcs_reserve(dir, "reused", NULL, "s0", MCS_CATEGORIES, NULL));
        ok(r == 0, "and its name can be taken again: %s", captured);

        {
                _cleanup_free_ char *live = NULL, *gone_record = NULL;
                ok(mcs_live_level(dir, "web", &live) == 0 && streq_ptr(live, level),
                   "the level of a running container can be looked up (to share it)");
                ok(mcs_live_level(dir, "nosuch", &(char *){NULL}) == -ENOENT, "no record: -ENOENT");
                xasprintf(&gone_record, "s0:c11,c12 %d\n", (int) dead);
                write_record(dir, "gone", gone_record);
                ok(mcs_live_level(dir, "gone", &(char *){NULL}) == -ESRCH, "a record of a dead process: -ESRCH");
        }
        r = CAPTURE(mcs_reserve(dir, "running", NULL, "s0", MCS_CATEGORIES, NULL));
        is_int(r, -EBUSY, "reserving a name a live process holds fails");
        ok(strstr(captured, "container 'running' is already running") != NULL, "with a message naming it: %s",
           captured);
        r = CAPTURE(mcs_reserve(dir, "crashed", "s2:c1", NULL, 0, NULL));
        ok(r == 0, "a name whose holder died can be reserved again");
        {
                _cleanup_free_ char *back = NULL;
                mcs_record_read(dir, "crashed", &back, &pid);
                is_str(back, "s2:c1", "an explicit level is recorded as given");
        }

        mcs_release(dir, "running");
        ok(mcs_record_read(dir, "running", NULL, &pid) == 0, "release keeps a record a live process holds");
        reap(sleeper);
        mcs_release(dir, "running");
        ok(mcs_record_read(dir, "running", NULL, &pid) == -ENOENT, "release drops it once that process is gone");
        mcs_release(dir, "web");
        ok(mcs_record_read(dir, "web", NULL, &pid) == -ENOENT, "release drops our own record");

        /* berth-exec's parent exits under systemd: the container's process holds the pair. */
        {
                _cleanup_free_ char *svc_level = NULL, *back = NULL;
                pid_t holder = spawn_sleeper();

                ok(mcs_reserve(dir, "svc", NULL, "s0", MCS_CATEGORIES, &svc_level) == 0, "reserve for 'svc'");
                ok(mcs_hand_over(dir, "svc", holder) == 0, "hand the reservation over to the container's process");
                ok(mcs_record_read(dir, "svc", &back, &pid) == 0 && pid == holder && streq_ptr(back, svc_level),
                   "the record now names that process, same level");
                r = CAPTURE(mcs_hand_over(dir, "svc", getpid()));
                ok(r == -EPERM, "a record we no longer hold cannot be handed over again: %s", captured);
                mcs_release(dir, "svc");
                ok(mcs_record_read(dir, "svc", NULL, &pid) == 0, "the old holder's release keeps it while the container runs");
                reap(holder);
                mcs_release(dir, "svc");
                ok(mcs_record_read(dir, "svc", NULL, &pid) == -ENOENT, "and it is dropped once the container is gone");
        }
        {
                struct berth_label_plan unapplied = {};
                struct berth_spec sp;
                spec_init(&sp);
                ok(label_plan_hand_over(&unapplied, &sp, dir, 1) == 0, "handing over an unapplied plan does nothing");
                spec_done(&sp);
        }

        {
                _cleanup_free_ char *anon = mcs_record_name(NULL), *want = NULL;
                xasprintf(&want, ".anon-%d", (int) getpid());
                is_str(anon, want, "a container without a name is recorded as .anon-PID");
        }
        remove_tree(dir);
}

/* Many starts at once: each child reserves and then stays alive (a running container).
 * With 8 categories (28 pairs) for 24 containers, an unlocked pick-then-write would hand
 * the same pair out twice; the lock must keep them all distinct. */
static void test_mcs_concurrent(void) {
        _cleanup_free_ char *dir = make_runtime_dir();
        _cleanup_strv_free_ char **levels = NULL;
        enum { N = 24 };
        pid_t kids[N];
        int ready[2];
        bool all_reserved = true, distinct = true;

        if (pipe2(ready, O_CLOEXEC) < 0)
                abort();
        for (int i = 0; i < N; i++) {
                kids[i] = fork();
                if (kids[i] == 0) {
                        char name[32];
                        snprintf(name, sizeof(name), "c%d", i);
                        close(ready[0]);
                        int r = mcs_reserve(dir, name, NULL, "s0", 8, NULL);
                        (void) !write(ready[1], r == 0 ? "y" : "n", 1);
                        pause();
                        _exit(0);
                }
        }
        close(ready[1]);
        for (int i = 0; i < N; i++) {
                char c = 0;
                if (read(ready[0], &c, 1) != 1 || c != 'y')
                        all_reserved = false;
        }
        close(ready[0]);
        for (int i = 0; i < N; i++) {
                char name[32], *level = NULL;
                pid_t pid;
                snprintf(name, sizeof(name), "c%d", i);
                if (mcs_record_read(dir, name, &level, &pid) < 0 || pid != kids[i]) {
                        all_reserved = false;
                        free(level);
                        continue;
                }
                if (strv_contains(levels, level))
                        distinct = false;
                strv_push(&levels, level);
        }
        for (int i = 0; i < N; i++)
                reap(kids[i]);
        ok(all_reserved && strv_length(levels) == N, "%d concurrent starts each recorded a pair under its own PID", N);
        ok(distinct, "and all %d pairs differ", N);
        remove_tree(dir);
}

#if HAVE_SELINUX
static char *write_temp(const char *content) {
        char *p = strdup("/tmp/berth-test-lxc.XXXXXX");
        int fd = mkstemp(p);
        if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t) strlen(content))
                abort();
        close(fd);
        return p;
}

static void test_contexts(void) {
        struct label_bases b = {};
        _cleanup_free_ char *p = NULL, *bad = NULL, *process = NULL, *file = NULL, *raw = NULL, *sens = NULL;
        struct berth_label l = {};
        int r;

        r = label_bases_load(NULL, &b);
        ok(r == 0, "no lxc_contexts path: fallback");
        is_str(b.process, "system_u:system_r:container_t:s0", "fallback process context");
        is_str(b.file, "system_u:object_r:container_file_t:s0", "fallback file context");
        label_bases_done(&b);
        r = label_bases_load("/nonexistent/lxc_contexts", &b);
        ok(r == 0 && streq_ptr(b.process, "system_u:system_r:container_t:s0"), "missing lxc_contexts file: fallback");
        label_bases_done(&b);

        p = write_temp("# the policy's container contexts\n"
                       "process = \"system_u:system_r:lxc_t:s0\"\n"
                       "  content = \"system_u:object_r:virt_var_lib_t:s0\"\n"
                       "file='system_u:object_r:lxc_file_t:s0'\n"
                       "sandbox_kvm_process = \"system_u:system_r:svirt_qemu_net_t:s0\"\n");
        r = label_bases_load(p, &b);
        ok(r == 0, "lxc_contexts parsed");
        is_str(b.process, "system_u:system_r:lxc_t:s0", "process = \"...\" is the base process context");
        is_str(b.file, "system_u:object_r:lxc_file_t:s0", "file = '...' is the base file context");
        label_bases_done(&b);
        unlink(p);

        bad = write_temp("\nprocess = \"lxc_t\"\n");
        r = CAPTURE(label_bases_load(bad, &b));
        is_int(r, -EINVAL, "a broken process context fails closed");
        ok(strstr(captured, ":2: process: expected a context") != NULL, "naming file:line and key: %s", captured);
        unlink(bad);

        b.process = strdup("system_u:system_r:container_t:s0");
        b.file = strdup("system_u:object_r:container_file_t:s0");

        l.type = (char *) "docker_apache_t";
        r = label_compose_pair(&b, &l, "s0:c1,c2", &process, &file);
        ok(r == 0, "compose type + level");
        is_str(process, "system_u:system_r:docker_apache_t:s0:c1,c2", "process label has the type and level");
        is_str(file, "system_u:object_r:container_file_t:s0:c1,c2", "file label has the level, not the process type");
        free(TAKE_PTR(process));
        free(TAKE_PTR(file));

        l = (struct berth_label){.user = (char *) "staff_u", .role = (char *) "staff_r", .filetype = (char *) "web_content_t"};
        r = label_compose_pair(&b, &l, "s0-s3:c0.c127", &process, &file);
        ok(r == 0, "compose user, role, filetype, range");
        is_str(process, "staff_u:staff_r:container_t:s0-s3:c0.c127", "process label: user, role, the whole range");
        is_str(file, "system_u:object_r:web_content_t:s0", "file label: file type and the range's low level");
        free(TAKE_PTR(process));
        free(TAKE_PTR(file));

        r = label_level_to_raw(b.process, "s2:c1", &raw);
        ok(r == 0, "a raw level translates");
        is_str(raw, "s2:c1", "a raw level stays itself");
        free(TAKE_PTR(raw));

        sens = label_context_sensitivity("system_u:system_r:container_t:s1-s3:c0.c127");
        is_str(sens, "s1", "the sensitivity of a ranged context is its low one");
        free(TAKE_PTR(sens));
        sens = label_context_sensitivity("system_u:system_r:container_t:s0");
        is_str(sens, "s0", "the sensitivity of s0");
        label_bases_done(&b);
}
#endif

static void test_plan_selinux_off(void) {
        _cleanup_free_ char *dir = make_runtime_dir();
        struct berth_loc loc = {.key = "--security-opt"};
        struct berth_label_plan plan;
        struct berth_spec s;
        int r;

        if (label_selinux_enabled()) {
                tap_skip(12, "SELinux is enabled on this host; test/selinux covers the enabled case");
                return;
        }

        spec_init(&s);
        spec_set_security_opt(&s, "label=type:docker_apache_t", &loc);
        spec_set_security_opt(&s, "label=level:TopSecret", &loc);
        r = CAPTURE(label_plan_build(&s, dir, &plan));
        ok(r == 0 && !plan.apply && !plan.process_label && !plan.file_label, "SELinux off + label: accepted, not applied");
        ok(strstr(captured, "SELinux is disabled on this host; ignoring label type:docker_apache_t level:TopSecret"),
           "with a notice naming what is ignored: %s", captured);
        r = CAPTURE(label_plan_apply_exec(&plan));
        ok(r == 0 && captured[0] == 0, "applying an unapplied plan does nothing");
        label_plan_done(&plan);
        r = CAPTURE(label_check_live(&s, &loc));
        ok(r == 0, "berth verify's live check passes with SELinux off");
        {
                struct stat st;
                _cleanup_free_ char *rec = NULL;
                xasprintf(&rec, "%s/.anon-%d", dir, (int) getpid());
                ok(stat(rec, &st) < 0 && errno == ENOENT, "nothing is reserved when nothing is applied");
        }

        spec_set_namespace(&s, BERTH_NS_PID, "host", &loc);
        r = CAPTURE(label_plan_build(&s, dir, &plan));
        ok(r == 0 && !plan.apply, "--pid=host + label: not applied");
        ok(strstr(captured, "shares the host's PID namespace (--pid=host") && strstr(captured, "ignoring label type:docker_apache_t"),
           "notice names --pid=host: %s", captured);
        label_plan_done(&plan);
        spec_set_namespace(&s, BERTH_NS_PID, "private", &loc);
        spec_set_namespace(&s, BERTH_NS_IPC, "host", &loc);
        r = CAPTURE(label_plan_build(&s, dir, &plan));
        ok(r == 0 && !plan.apply && strstr(captured, "host's IPC namespace (--ipc=host"), "--ipc=host: notice: %s",
           captured);
        label_plan_done(&plan);
        spec_done(&s);

        spec_init(&s);
        r = CAPTURE(label_plan_build(&s, dir, &plan));
        ok(r == 0 && !plan.apply, "no label asked, SELinux off: unlabelled");
        is_str(captured, "", "and silent");
        label_plan_done(&plan);
        spec_set_namespace(&s, BERTH_NS_PID, "host", &loc);
        r = CAPTURE(label_plan_build(&s, dir, &plan));
        ok(r == 0 && captured[0] == 0, "--pid=host without a label on a host without SELinux: silent");
        spec_done(&s);

        spec_init(&s);
        spec_set_security_opt(&s, "label=disable", &loc);
        r = CAPTURE(label_plan_build(&s, dir, &plan));
        ok(r == 0 && !plan.apply && captured[0] == 0, "label=disable: unlabelled, silent when SELinux is off");
        spec_done(&s);

        remove_tree(dir);
}

int main(void) {
        log_open("test-label", LOG_SINK_STDERR, LOG_LEVEL_INFO);
        test_syntax();
        test_mcs_pick();
        test_mcs_records();
        test_mcs_concurrent();
#if HAVE_SELINUX
        test_contexts();
#endif
        test_plan_selinux_off();
        return tap_done();
}
