/* SPDX-License-Identifier: MIT */
/* Seccomp: the built-in default compiles and behaves like Docker's default in a child process,
 * the cache returns the identical program and survives corruption, JSON profiles load and
 * their errors name the JSON path. No root needed: the filters are loaded under
 * no_new_privs in forked children. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "capability.h"
#include "seccomp.h"
#include "tap.h"

#define BIT(c) (UINT64_C(1) << (c))

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif
#ifndef AF_ALG
#define AF_ALG 38
#endif

/* Runs fn in a child that has loaded f; returns what fn returned (a small errno), or -1.
 * The child reports through a pipe and then kills itself: under valgrind (the valgrind pass
 * runs this test) a normal exit of a forked child would run a leak check over memory that
 * only the parent still owns. */
static int in_filtered_child(const struct berth_seccomp *f, int (*fn)(void)) {
        int p[2], result = -1;
        pid_t pid;

        if (pipe2(p, O_CLOEXEC) < 0)
                return -1;
        pid = fork();
        if (pid < 0)
                return -1;
        if (pid == 0) {
                int v = 200;
                close(p[0]);
                if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) >= 0 && seccomp_load_filter(f) >= 0)
                        v = fn();
                (void) !write(p[1], &v, sizeof(v));
                kill(getpid(), SIGKILL);
                _exit(v);
        }
        close(p[1]);
        if (read(p[0], &result, sizeof(result)) != (ssize_t) sizeof(result))
                result = -1;
        close(p[0]);
        waitpid(pid, NULL, 0);
        return result;
}

static int errno_of(long r) {
        return r < 0 ? errno : 0;
}

static int try_getpid(void) {
        return errno_of(syscall(SYS_getpid));
}
/* For rules a test profile changes: a call valgrind does not make itself (the valgrind pass
 * runs this test, and its own getpid() calls would hit the filter too). */
static int try_getppid(void) {
        return errno_of(syscall(SYS_getppid));
}
static int try_unshare_user(void) {
        return errno_of(unshare(CLONE_NEWUSER));
}
static int try_clone_newns(void) {
        /* raw clone with a namespace flag and no stack: never returns in a child if allowed
         * (the child exits at once through the same path). */
        long r = syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, 0, 0, 0);
        if (r == 0)
                kill(getpid(), SIGKILL);
        if (r > 0)
                waitpid((pid_t) r, NULL, 0);
        return errno_of(r);
}
static int try_clone_plain(void) {
        long r = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
        if (r == 0)
                kill(getpid(), SIGKILL);
        if (r > 0)
                waitpid((pid_t) r, NULL, 0);
        return errno_of(r);
}
static int try_clone3(void) {
        return errno_of(syscall(SYS_clone3, NULL, 0));
}
static int try_socket_vsock(void) {
        return errno_of(socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0));
}
static int try_socket_alg(void) {
        return errno_of(socket(AF_ALG, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
}
static int try_socket_unix(void) {
        return errno_of(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
}
static int try_personality_linux(void) {
        return errno_of(syscall(SYS_personality, PER_LINUX));
}
static int try_personality_bsd(void) {
        return errno_of(syscall(SYS_personality, PER_BSD));
}
static int try_keyctl(void) {
        return errno_of(syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3 /* session */, 0));
}
static int try_settime_invalid(void) {
        /* an invalid time: the kernel refuses it with EINVAL if seccomp lets the call through */
        struct timespec ts = {.tv_sec = -1, .tv_nsec = 2000000000};
        return errno_of(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
}

static int write_file(const char *path, const char *content) {
        _cleanup_close_ int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        size_t len = strlen(content);
        if (fd < 0 || write(fd, content, len) != (ssize_t) len)
                return -errno;
        return 0;
}

/* Runs seccomp_prepare on a JSON text and returns its return value and stderr. */
static int prepare_json(const char *dir, const char *json, char *err, size_t err_size) {
        _cleanup_free_ char *path = strjoin(dir, "/profile.json");
        struct berth_seccomp f;
        int saved, memfd, r;
        ssize_t n;

        write_file(path, json);
        memfd = memfd_create("stderr", MFD_CLOEXEC);
        saved = dup(STDERR_FILENO);
        dup2(memfd, STDERR_FILENO);
        r = seccomp_prepare(path, capability_docker_default(), NULL, &f);
        dup2(saved, STDERR_FILENO);
        close(saved);
        n = pread(memfd, err, err_size - 1, 0);
        err[n > 0 ? n : 0] = 0;
        close(memfd);
        seccomp_done(&f);
        return r;
}

static bool program_has_constant(const struct berth_seccomp *f, uint32_t k) {
        for (unsigned i = 0; i < f->len; i++)
                if (f->insns[i].k == k)
                        return true;
        return false;
}

static bool same_program(const struct berth_seccomp *a, const struct berth_seccomp *b) {
        return a->len == b->len && a->len > 0 && memcmp(a->insns, b->insns, a->len * sizeof(a->insns[0])) == 0;
}

static int count_entries(const char *dir) {
        _cleanup_free_ char *cmd = NULL;
        _cleanup_(fclosep) FILE *p = NULL;
        int n = -1;
        xasprintf(&cmd, "ls %s/*.bpf 2>/dev/null | wc -l", dir);
        p = popen(cmd, "r");
        if (p && fscanf(p, "%d", &n) != 1)
                n = -1;
        if (p) {
                pclose(p);
                p = NULL;
        }
        return n;
}

static void test_default_behaviour(void) {
        struct berth_seccomp def = {}, admin = {}, timecap = {};
        uint64_t caps = capability_docker_default();

        is_int(seccomp_prepare("default", caps, NULL, &def), 0, "default profile compiles");
        ok(!def.unconfined && def.len > 100, "default profile is a real program (%u instructions)", def.len);
        ok(program_has_constant(&def, AUDIT_ARCH_X86_64) && program_has_constant(&def, AUDIT_ARCH_I386),
           "default filter checks both x86_64 and i386 (as Docker's archMap)");

        is_int(in_filtered_child(&def, try_getpid), 0, "default: getpid allowed");
        is_int(in_filtered_child(&def, try_unshare_user), EPERM, "default: unshare(CLONE_NEWUSER) is EPERM");
        is_int(in_filtered_child(&def, try_clone_newns), EPERM, "default: clone with CLONE_NEWNS is EPERM");
        is_int(in_filtered_child(&def, try_clone_plain), 0, "default: clone without namespace flags allowed");
        is_int(in_filtered_child(&def, try_clone3), ENOSYS, "default: clone3 is ENOSYS (libc falls back)");
        is_int(in_filtered_child(&def, try_socket_vsock), EPERM, "default: socket(AF_VSOCK) is EPERM");
        is_int(in_filtered_child(&def, try_socket_alg), EPERM, "default: socket(AF_ALG) is EPERM");
        is_int(in_filtered_child(&def, try_socket_unix), 0, "default: socket(AF_UNIX) allowed");
        is_int(in_filtered_child(&def, try_personality_linux), 0, "default: personality(PER_LINUX) allowed");
        is_int(in_filtered_child(&def, try_personality_bsd), EPERM, "default: personality(PER_BSD) is EPERM");
        is_int(in_filtered_child(&def, try_keyctl), EPERM, "default: keyctl is EPERM");
        is_int(in_filtered_child(&def, try_settime_invalid), EPERM, "default: clock_settime is EPERM without SYS_TIME");

        is_int(seccomp_prepare("default", caps | BIT(CAP_SYS_ADMIN), NULL, &admin), 0,
               "default profile with CAP_SYS_ADMIN compiles");
        ok(!same_program(&def, &admin), "CAP_SYS_ADMIN changes the program");
        is_int(in_filtered_child(&admin, try_clone_newns), 0, "with CAP_SYS_ADMIN: clone with CLONE_NEWNS allowed");
        {
                struct berth_seccomp none = {.unconfined = true};
                is_int(in_filtered_child(&admin, try_clone3), in_filtered_child(&none, try_clone3),
                       "with CAP_SYS_ADMIN: clone3 gets the kernel's own answer, as without a filter");
        }

        is_int(seccomp_prepare("default", caps | BIT(CAP_SYS_TIME), NULL, &timecap), 0,
               "default profile with CAP_SYS_TIME compiles");
        is_int(in_filtered_child(&timecap, try_settime_invalid), EINVAL,
               "with CAP_SYS_TIME: clock_settime reaches the kernel (EINVAL for an invalid time)");

        seccomp_done(&def);
        seccomp_done(&admin);
        seccomp_done(&timecap);
}

static void test_cache(const char *tmp) {
        _cleanup_free_ char *dir = strjoin(tmp, "/cache/seccomp");
        struct berth_seccomp fresh = {}, first = {}, hit = {}, repaired = {}, other = {};
        uint64_t caps = capability_docker_default();
        _cleanup_free_ char *entry = NULL;
        char cmd[512];

        is_int(seccomp_prepare("default", caps, NULL, &fresh), 0, "uncached compile");
        is_int(seccomp_prepare("default", caps, dir, &first), 0, "first cached prepare");
        ok(!first.from_cache, "first prepare compiled (cache was empty)");
        is_int(count_entries(dir), 1, "one cache entry written (parent dirs created)");
        is_int(seccomp_prepare("default", caps, dir, &hit), 0, "second cached prepare");
        ok(hit.from_cache, "second prepare is a cache hit");
        ok(same_program(&fresh, &first) && same_program(&first, &hit), "cache hit returns the identical BPF program");

        /* flip one byte in the middle of the stored program */
        snprintf(cmd, sizeof(cmd),
                 "f=$(ls %s/*.bpf); printf '\\377' | dd of=$f bs=1 seek=200 conv=notrunc status=none", dir);
        ok(system(cmd) == 0, "corrupted the cache entry");
        seccomp_done(&hit);
        is_int(seccomp_prepare("default", caps, dir, &repaired), 0, "prepare with a corrupt entry");
        ok(!repaired.from_cache && same_program(&fresh, &repaired), "corrupt entry is recompiled, not trusted");
        seccomp_done(&hit);
        is_int(seccomp_prepare("default", caps, dir, &hit), 0, "prepare after repair");
        ok(hit.from_cache && same_program(&fresh, &hit), "the entry was rewritten and is a hit again");

        snprintf(cmd, sizeof(cmd), "f=$(ls %s/*.bpf); truncate -s 100 $f", dir);
        ok(system(cmd) == 0, "truncated the cache entry");
        seccomp_done(&hit);
        is_int(seccomp_prepare("default", caps, dir, &hit), 0, "prepare with a truncated entry");
        ok(!hit.from_cache && same_program(&fresh, &hit), "truncated entry is recompiled");

        snprintf(cmd, sizeof(cmd), "chmod 0666 %s/*.bpf", dir);
        ok(system(cmd) == 0, "made the cache entry world-writable");
        seccomp_done(&hit);
        is_int(seccomp_prepare("default", caps, dir, &hit), 0, "prepare with a world-writable entry");
        ok(!hit.from_cache, "a world-writable entry is not trusted");

        is_int(seccomp_prepare("default", caps & ~BIT(CAP_SYS_CHROOT), dir, &other), 0, "other caps");
        ok(!other.from_cache, "a different capability set is a different key");
        is_int(count_entries(dir), 2, "two entries for two capability sets");

        seccomp_done(&fresh);
        seccomp_done(&first);
        seccomp_done(&hit);
        seccomp_done(&repaired);
        seccomp_done(&other);
}

static void test_json(const char *tmp) {
        char err[4096];
        _cleanup_free_ char *path = strjoin(tmp, "/profile.json");
        struct berth_seccomp f = {};

        is_int(prepare_json(tmp,
                            "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],"
                            "\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]}",
                            err, sizeof(err)),
               -EINVAL, "unknown operator is an error");
        ok(strstr(err, "profile.json: syscalls[0].args[0].op: unknown operator 'SCMP_CMP_XX'") != NULL,
           "message names the JSON path of the operator");
        if (!strstr(err, "syscalls[0].args[0].op"))
                tap_diag("stderr: %s", err);

        is_int(prepare_json(tmp, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\n \"syscalls\": [ {\"names\": [\"read\"],, } ] }",
                            err, sizeof(err)),
               -EINVAL, "malformed JSON is an error");
        ok(strstr(err, "profile.json:2:") != NULL && strstr(err, "invalid JSON") != NULL,
           "malformed JSON names file, line and column");

        is_int(prepare_json(tmp, "{\"syscalls\":[]}", err, sizeof(err)), -EINVAL, "missing defaultAction");
        ok(strstr(err, "defaultAction: missing") != NULL, "message says defaultAction is missing");

        is_int(prepare_json(tmp, "{\"defaultAction\":\"SCMP_ACT_NOPE\"}", err, sizeof(err)), -EINVAL,
               "unknown default action");
        ok(strstr(err, "defaultAction: unknown action 'SCMP_ACT_NOPE'") != NULL, "message names the action");

        is_int(prepare_json(tmp,
                            "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\"},"
                            "{\"names\":[\"write\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":7,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                            err, sizeof(err)),
               -ERANGE, "argument index 7 is out of range");
        ok(strstr(err, "syscalls[1].args[0].index: 7 is out of range") != NULL, "message names the index");

        is_int(prepare_json(tmp, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
                            err, sizeof(err)),
               -EINVAL, "names must be an array");
        ok(strstr(err, "syscalls[0].names: expected an array of strings, got a string") != NULL, "message names the type");

        is_int(prepare_json(tmp, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
                                 "\"errnoRet\":1}]}",
                            err, sizeof(err)),
               -EINVAL, "errnoRet with SCMP_ACT_ALLOW is an error");
        ok(strstr(err, "syscalls[0].errnoRet:") != NULL, "message names errnoRet");

        is_int(prepare_json(tmp, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\",\"no_such_call_xyz\"],"
                                 "\"action\":\"SCMP_ACT_ALLOW\"}]}",
                            err, sizeof(err)),
               0, "unknown syscall names are skipped as Docker does");

        is_int(prepare_json(tmp, "[1,2]", err, sizeof(err)), -EINVAL, "a top-level array is an error");
        ok(strstr(err, "(top level): expected an object") != NULL, "message says the top level is wrong");

        /* A tiny working profile: everything allowed but getpid, which fails with EACCES. */
        write_file(path, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
                         "\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":13}]}");
        is_int(seccomp_prepare(path, capability_docker_default(), NULL, &f), 0, "allow-by-default JSON profile compiles");
        is_int(in_filtered_child(&f, try_getppid), EACCES, "JSON errnoRet is what the call returns");
        is_int(in_filtered_child(&f, try_keyctl) == EPERM, 0, "JSON default action allows the rest");
        seccomp_done(&f);

        /* includes.caps: the rule only exists when the container holds the capability */
        write_file(path, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"getppid\"],"
                         "\"action\":\"SCMP_ACT_ERRNO\",\"includes\":{\"caps\":[\"CAP_SYS_TIME\"]}}]}");
        is_int(seccomp_prepare(path, capability_docker_default(), NULL, &f), 0, "includes.caps profile compiles");
        is_int(in_filtered_child(&f, try_getppid), 0, "includes.caps rule absent without the capability");
        seccomp_done(&f);
        is_int(seccomp_prepare(path, capability_docker_default() | BIT(CAP_SYS_TIME), NULL, &f), 0,
               "includes.caps profile with the capability");
        is_int(in_filtered_child(&f, try_getppid), EPERM, "includes.caps rule present with the capability");
        seccomp_done(&f);

        is_int(seccomp_prepare("relative.json", 0, NULL, &f), -EINVAL, "a relative profile path is refused");
        is_int(seccomp_prepare("/nonexistent/p.json", 0, NULL, &f), -ENOENT, "a missing profile is an error");
        is_int(seccomp_prepare("unconfined", 0, NULL, &f), 0, "unconfined");
        ok(f.unconfined && f.len == 0, "unconfined has no program");
        is_int(seccomp_load_filter(&f), 0, "loading unconfined is a no-op");
}

int main(void) {
        char tmp[] = "/tmp/test-seccomp.XXXXXX";
        char cmd[64];

        tap_no_plan();
        log_open("test-seccomp", LOG_SINK_STDERR, LOG_LEVEL_INFO);
        if (!mkdtemp(tmp)) {
                ok(false, "mkdtemp");
                return tap_done();
        }
        test_default_behaviour();
        test_cache(tmp);
        test_json(tmp);
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
        (void) !system(cmd);
        return tap_done();
}
