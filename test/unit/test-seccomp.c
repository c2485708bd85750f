/* SPDX-License-Identifier: MIT */
/* Seccomp: the built-in default compiles and behaves like Docker's default in a child process,
 * the cache returns the identical program and survives corruption, JSON profiles load and
 * their errors name the JSON path. No root needed: the filters are loaded under
 * no_new_privs in forked children. */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
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
#include "build-id.h"
#include "seccomp.h"
#include "sha256.h"
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


/* ---- a userspace evaluator of seccomp's classic BPF: the filters' verdicts for calls this
 * kernel cannot make (it has no i386 or x32 entry points) and for every system call number ---- */

#define AUDIT_ARCH_X32_TOKEN AUDIT_ARCH_X86_64 /* x32 shares the token; numbers carry bit 30 */
#define X32_SYSCALL_BIT 0x40000000u

struct eval_data {
        int nr;
        uint32_t arch;
        uint64_t ip;
        uint64_t args[6];
};

/* Returns the filter's SECCOMP_RET_* value, or 0xdeadbeef for an instruction it should never
 * contain (the kernel's checker would have refused it too). */
static uint32_t bpf_eval(const struct berth_seccomp *f, const struct eval_data *d) {
        uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {};
        const uint8_t *bytes = (const uint8_t *) d;

        for (unsigned pc = 0; pc < f->len; pc++) {
                const struct sock_filter *i = &f->insns[pc];
                uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;
                switch (i->code) {
                case BPF_LD | BPF_W | BPF_ABS:
                        if (i->k + 4 > sizeof(*d) || i->k % 4)
                                return 0xdeadbeef;
                        memcpy(&a, bytes + i->k, 4);
                        continue;
                case BPF_LD | BPF_IMM:
                        a = i->k;
                        continue;
                case BPF_LDX | BPF_IMM:
                        x = i->k;
                        continue;
                case BPF_LD | BPF_MEM:
                        a = mem[i->k % BPF_MEMWORDS];
                        continue;
                case BPF_LDX | BPF_MEM:
                        x = mem[i->k % BPF_MEMWORDS];
                        continue;
                case BPF_ST:
                        mem[i->k % BPF_MEMWORDS] = a;
                        continue;
                case BPF_STX:
                        mem[i->k % BPF_MEMWORDS] = x;
                        continue;
                case BPF_MISC | BPF_TAX:
                        x = a;
                        continue;
                case BPF_MISC | BPF_TXA:
                        a = x;
                        continue;
                case BPF_RET | BPF_K:
                        return i->k;
                case BPF_RET | BPF_A:
                        return a;
                case BPF_JMP | BPF_JA:
                        pc += i->k;
                        continue;
                }
                switch (BPF_CLASS(i->code)) {
                case BPF_ALU:
                        switch (BPF_OP(i->code)) {
                        case BPF_ADD: a += src; break;
                        case BPF_SUB: a -= src; break;
                        case BPF_AND: a &= src; break;
                        case BPF_OR: a |= src; break;
                        case BPF_XOR: a ^= src; break;
                        case BPF_LSH: a = src < 32 ? a << src : 0; break;
                        case BPF_RSH: a = src < 32 ? a >> src : 0; break;
                        case BPF_NEG: a = -a; break;
                        default: return 0xdeadbeef;
                        }
                        continue;
                case BPF_JMP: {
                        bool taken;
                        switch (BPF_OP(i->code)) {
                        case BPF_JEQ: taken = a == src; break;
                        case BPF_JGT: taken = a > src; break;
                        case BPF_JGE: taken = a >= src; break;
                        case BPF_JSET: taken = (a & src) != 0; break;
                        default: return 0xdeadbeef;
                        }
                        pc += taken ? i->jt : i->jf;
                        continue;
                }
                default:
                        return 0xdeadbeef;
                }
        }
        return 0xdeadbeef; /* fell off the end */
}

static uint32_t verdict(const struct berth_seccomp *f, uint32_t arch, int nr, uint64_t arg0) {
        struct eval_data d = {.nr = nr, .arch = arch, .args = {arg0}};
        return bpf_eval(f, &d);
}

#define RET_ALLOW 0x7fff0000u
#define RET_ERRNO(e) (0x00050000u | (e))

static void test_arches(void) {
        struct berth_seccomp def = {};
        uint64_t caps = capability_docker_default();

        is_int(seccomp_prepare("default", caps, NULL, &def), 0, "default profile for the evaluator");
        is_hex(verdict(&def, AUDIT_ARCH_X86_64, 39, 0), RET_ALLOW, "x86_64 getpid: allowed");
        is_hex(verdict(&def, AUDIT_ARCH_X86_64, 272, 0), RET_ERRNO(EPERM), "x86_64 unshare: EPERM");
        is_hex(verdict(&def, AUDIT_ARCH_I386, 20, 0), RET_ALLOW, "i386 getpid: allowed");
        is_hex(verdict(&def, AUDIT_ARCH_I386, 310, 0), RET_ERRNO(EPERM), "i386 unshare: EPERM");
        is_hex(verdict(&def, AUDIT_ARCH_I386, 120, 0x20000), RET_ERRNO(EPERM), "i386 clone(CLONE_NEWNS): EPERM");
        is_hex(verdict(&def, AUDIT_ARCH_I386, 120, 0x11), RET_ALLOW, "i386 clone without namespace flags: allowed");
        is_hex(verdict(&def, AUDIT_ARCH_I386, 288, 0), RET_ERRNO(EPERM), "i386 keyctl: EPERM");
        is_hex(verdict(&def, AUDIT_ARCH_X32_TOKEN, 39 | X32_SYSCALL_BIT, 0), RET_ALLOW, "x32 getpid: allowed");
        is_hex(verdict(&def, AUDIT_ARCH_X32_TOKEN, 272 | X32_SYSCALL_BIT, 0), RET_ERRNO(EPERM), "x32 unshare: EPERM");
        is_hex(verdict(&def, AUDIT_ARCH_X32_TOKEN, 250 | X32_SYSCALL_BIT, 0), RET_ERRNO(EPERM), "x32 keyctl: EPERM");
        ok(verdict(&def, AUDIT_ARCH_AARCH64, 172, 0) == 0x80000000u || verdict(&def, AUDIT_ARCH_AARCH64, 172, 0) == 0,
           "another architecture (aarch64) is killed, not allowed (%#x)", verdict(&def, AUDIT_ARCH_AARCH64, 172, 0));
        seccomp_done(&def);
}

/* Docker's default profile as JSON (test/hardening/docker-default.json) and the built-in table
 * must give the same verdict for every system call number of x86_64, i386 and x32, for the
 * argument values the conditional rules look at, and for several capability sets. */
static void test_json_equals_builtin(void) {
        static const uint64_t args[] = {0, 1, 8, 0x11, 0x20000, 0x20008, 0x10000000, 0x7E020000, 37, 38, 39, 40, 41, 0xffffffff};
        const uint64_t base = capability_docker_default();
        const uint64_t cap_sets[] = {base, base | BIT(CAP_SYS_ADMIN), base | BIT(CAP_SYS_TIME) | BIT(CAP_SYS_PTRACE),
                                     base & ~BIT(CAP_SYS_CHROOT), capability_all(40)};
        const struct {
                uint32_t arch;
                uint32_t bit;
                int max;
        } arches[] = {{AUDIT_ARCH_X86_64, 0, 600}, {AUDIT_ARCH_I386, 0, 600}, {AUDIT_ARCH_X32_TOKEN, X32_SYSCALL_BIT, 600}};
        /* meson test sets BERTH_SOURCE_DIR; by hand, run from the source tree */
        const char *src = getenv("BERTH_SOURCE_DIR");
        _cleanup_free_ char *top = realpath(src ? src : ".", NULL);
        _cleanup_free_ char *path = strjoin(top ? top : "/nonexistent", "/test/hardening/docker-default.json");

        for (size_t c = 0; c < ELEMENTSOF(cap_sets); c++) {
                struct berth_seccomp builtin = {}, json = {};
                unsigned compared = 0, differ = 0;

                if (seccomp_prepare("default", cap_sets[c], NULL, &builtin) < 0 ||
                    seccomp_prepare(path, cap_sets[c], NULL, &json) < 0) {
                        ok(false, "both profiles compile for capability set %zu (%s)", c, path);
                        continue;
                }
                for (size_t a = 0; a < ELEMENTSOF(arches); a++)
                        for (int nr = 0; nr < arches[a].max; nr++)
                                for (size_t v = 0; v < ELEMENTSOF(args); v++) {
                                        int n = (int) (nr | arches[a].bit);
                                        uint32_t b = verdict(&builtin, arches[a].arch, n, args[v]);
                                        uint32_t j = verdict(&json, arches[a].arch, n, args[v]);
                                        compared++;
                                        if (b != j && differ++ < 5)
                                                tap_diag("arch %#x nr %d arg0 %#llx: built-in %#x, JSON %#x", arches[a].arch, n,
                                                         (unsigned long long) args[v], b, j);
                                }
                ok(differ == 0, "Docker's JSON default = built-in default on %u calls (caps %#llx)", compared,
                   (unsigned long long) cap_sets[c]);
                seccomp_done(&builtin);
                seccomp_done(&json);
        }
}

/* The cache key's hash: FIPS 180-4 test vectors, and feeding in pieces equals one piece. */
static void test_sha256(void) {
        static const struct {
                const char *input;
                size_t repeat;
                const char *hex;
        } vectors[] = {
                {"", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
                {"abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
                {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
                {"a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
        };
        for (size_t i = 0; i < ELEMENTSOF(vectors); i++) {
                struct sha256_ctx h;
                uint8_t digest[SHA256_DIGEST_SIZE];
                char hex[2 * SHA256_DIGEST_SIZE + 1];

                sha256_init(&h);
                for (size_t r = 0; r < vectors[i].repeat; r++)
                        sha256_update(&h, vectors[i].input, strlen(vectors[i].input));
                sha256_final(&h, digest);
                sha256_to_hex(digest, hex);
                is_str(hex, vectors[i].hex, "sha256 test vector");
        }
}

/* The default profile's cache key stands on the program's build ID: it must be the one the
 * linker wrote (readelf reads it from the file, we from the mapped image). */
static void test_build_id(const char *self) {
        const uint8_t *id;
        size_t len = 0;
        char want[128] = "", got[2 * 64 + 1] = "";
        _cleanup_free_ char *cmd = NULL;
        FILE *f = NULL;

        is_int(self_build_id(&id, &len), 0, "the test program has a build ID");
        /* the file by name, not /proc/self/exe: under valgrind that is valgrind's */
        if (xasprintf(&cmd, "readelf -n '%s' | awk '/Build ID/ {print $3}'", self) >= 0)
                f = popen(cmd, "r");
        if (f) {
                if (!fgets(want, sizeof(want), f))
                        want[0] = '\0';
                want[strcspn(want, "\n")] = '\0';
                pclose(f);
        }
        for (size_t i = 0; i < len && i < 64; i++)
                snprintf(got + 2 * i, 3, "%02x", id[i]);
        is_str(got, want, "self_build_id() is readelf's Build ID of this program");
}

/* Compiles a JSON text and returns the verdict for one call (0xffffffff if it did not compile). */
static uint32_t json_verdict(const char *dir, const char *json, uint32_t arch, int nr, uint64_t arg0) {
        _cleanup_free_ char *path = strjoin(dir, "/semantics.json");
        struct berth_seccomp f = {};
        uint32_t v;

        write_file(path, json);
        if (seccomp_prepare(path, capability_docker_default(), NULL, &f) < 0)
                return 0xffffffff;
        v = verdict(&f, arch, nr, arg0);
        seccomp_done(&f);
        return v;
}

/* Docker/OCI semantics of the JSON fields, checked on the compiled program. */
static void test_json_semantics(const char *dir) {
#define ALLOW_GETPID "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}"
        const uint32_t kill = 0; /* SECCOMP_RET_KILL_THREAD: libseccomp's default for a foreign arch */

        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[" ALLOW_GETPID "]}",
                            AUDIT_ARCH_I386, 20, 0),
               kill, "no archMap: only the native arch, an i386 call is killed");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\"],"
                                 "\"syscalls\":[" ALLOW_GETPID "]}",
                            AUDIT_ARCH_I386, 20, 0),
               RET_ALLOW, "architectures (OCI) adds i386: its getpid is allowed");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"archMap\":[{\"architecture\":\"SCMP_ARCH_AARCH64\","
                                 "\"subArchitectures\":[\"SCMP_ARCH_ARM\"]},{\"architecture\":\"SCMP_ARCH_X86_64\","
                                 "\"subArchitectures\":[\"SCMP_ARCH_X32\"]}],\"syscalls\":[" ALLOW_GETPID "]}",
                            AUDIT_ARCH_X32_TOKEN, 39 | X32_SYSCALL_BIT, 0),
               RET_ALLOW, "archMap: the native entry's sub-architectures are added (x32), others ignored");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,\"syscalls\":[]}",
                            AUDIT_ARCH_X86_64, 39, 0),
               RET_ERRNO(ENOSYS), "defaultErrnoRet is the default action's errno");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\","
                                 "\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                            AUDIT_ARCH_X86_64, 56, 0x11),
               RET_ERRNO(EPERM), "MASKED_EQ: value is the mask, valueTwo the expected result (match)");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"clone\"],\"action\":\"SCMP_ACT_ERRNO\","
                                 "\"args\":[{\"index\":0,\"value\":2114060288,\"valueTwo\":0,\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}",
                            AUDIT_ARCH_X86_64, 56, 0x20011),
               RET_ALLOW, "MASKED_EQ: a namespace flag does not match");
        /* runc's rule: two conditions on one argument become two rules, either of which applies */
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
                                 "\"args\":[{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_NE\"},{\"index\":0,\"value\":38,\"op\":\"SCMP_CMP_NE\"}]}]}",
                            AUDIT_ARCH_X86_64, 41, 40),
               RET_ALLOW, "repeated argument index: conditions are ORed as runc does");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\","
                                 "\"args\":[{\"index\":0,\"value\":40,\"op\":\"SCMP_CMP_NE\"},{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                            AUDIT_ARCH_X86_64, 41, 2),
               RET_ERRNO(EPERM), "conditions on different arguments are ANDed");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
                                 "\"includes\":{\"minKernel\":\"99.0\"}}]}",
                            AUDIT_ARCH_X86_64, 39, 0),
               RET_ERRNO(EPERM), "includes.minKernel above the running kernel: rule left out");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
                                 "\"includes\":{\"minKernel\":\"4.8\"}}]}",
                            AUDIT_ARCH_X86_64, 39, 0),
               RET_ALLOW, "includes.minKernel below the running kernel: rule kept");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
                                 "\"excludes\":{\"arches\":[\"amd64\"]}}]}",
                            AUDIT_ARCH_X86_64, 39, 0),
               RET_ERRNO(EPERM), "excludes.arches naming this machine: rule left out");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\","
                                 "\"excludes\":{\"caps\":[\"CAP_CHOWN\"]}}]}",
                            AUDIT_ARCH_X86_64, 39, 0),
               RET_ERRNO(EPERM), "excludes.caps held by the container: rule left out");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"name\":\"getpid\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
                            AUDIT_ARCH_X86_64, 39, 0),
               RET_ALLOW, "the old single \"name\" field works");
        is_hex(json_verdict(dir, "{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"architectures\":[\"SCMP_ARCH_X86_64\"],\"archMap\":[],\"syscalls\":[]}",
                            AUDIT_ARCH_X86_64, 39, 0),
               0xffffffff, "architectures together with archMap is refused");
#undef ALLOW_GETPID
}

int main(int argc, char *argv[]) {
        char tmp[] = "/tmp/test-seccomp.XXXXXX";
        char cmd[64];

        tap_no_plan();
        log_open("test-seccomp", LOG_SINK_STDERR, LOG_LEVEL_INFO);
        if (!mkdtemp(tmp)) {
                ok(false, "mkdtemp");
                return tap_done();
        }
        test_sha256();
        test_build_id(argc > 0 ? argv[0] : "");
        test_default_behaviour();
        test_arches();
        test_json_equals_builtin();
        test_cache(tmp);
        test_json(tmp);
        test_json_semantics(tmp);
        snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
        (void) !system(cmd);
        return tap_done();
}
