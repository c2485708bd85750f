/* SPDX-License-Identifier: MIT */
/* berth learn's tracer, in the kernel. Everything is filtered here: only tasks of the
 * learning run's cgroup (bpf_get_current_cgroup_id, set in .rodata before load) count.
 *   - System calls count once the task is under the container's seccomp filter (it holds
 *     more filters than the learner itself): exactly what the learned profile must allow,
 *     berth-exec's last steps after the load included, its setup before it not.
 *   - Capability checks count from the first execve made under that filter, i.e. the
 *     payload's (berth-exec loads the filter last, right before that exec).
 * System calls are counted by number, capability checks by (cap, syscall, granted, audit,
 * borrowed, pid). User space (learn-trace.c) reads the maps after the run.
 *
 * Capability checks come from one of three attach points, chosen at run time (learn-trace.c):
 *   tp_btf/cap_capable   kernels with the capability:cap_capable tracepoint (6.14+); it has
 *                        the result but no audit flag (the classifier infers it)
 *   fexit/cap_capable    older kernels (Debian 12's 6.1); opts carries CAP_OPT_NOAUDIT
 *   kprobe + kretprobe   where fexit cannot load (no BPF trampolines); the arguments are kept
 *                        per thread from entry to return
 *
 * No vmlinux.h: the few kernel fields read are declared below with preserve_access_index, so
 * CO-RE relocates them on the running kernel and the build needs no BTF of its own. */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <asm/unistd.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "learn-events.h"

struct cred;
typedef struct {
        int counter;
} atomic_t;
struct seccomp {
        int mode;
        atomic_t filter_count;
} __attribute__((preserve_access_index));
struct task_struct {
        const struct cred *real_cred;
        struct seccomp seccomp;
} __attribute__((preserve_access_index));

#define SECCOMP_MODE_FILTER 2
#define CAP_OPT_NOAUDIT 0x2

const volatile __u64 target_cgroup = 0;
const volatile __s32 own_filters = 0; /* the learner's own seccomp filters */

/* set once the payload's execve was seen; read by user space too */
__u32 started = 0;
__u64 lost = 0; /* events that found a full map */

struct {
        __uint(type, BPF_MAP_TYPE_ARRAY);
        __uint(max_entries, LEARN_MAX_SYSCALLS);
        __type(key, __u32);
        __type(value, __u64);
} syscalls SEC(".maps");

struct {
        __uint(type, BPF_MAP_TYPE_HASH);
        __uint(max_entries, 8192);
        __type(key, struct learn_cap_key);
        __type(value, __u64);
} caps SEC(".maps");

/* the system call each thread of the container is in, for the checks made inside it */
struct {
        __uint(type, BPF_MAP_TYPE_LRU_HASH);
        __uint(max_entries, 16384);
        __type(key, __u32);
        __type(value, __s32);
} in_syscall SEC(".maps");

static __always_inline int ours(void) {
        return target_cgroup && bpf_get_current_cgroup_id() == target_cgroup;
}

/* under the container's filter: one more than the learner holds (or, on kernels without
 * filter_count, any filter when the learner has none) */
static __always_inline int filtered(struct task_struct *task) {
        if (bpf_core_field_exists(task->seccomp.filter_count))
                return task->seccomp.filter_count.counter > own_filters;
        return own_filters == 0 && task->seccomp.mode == SECCOMP_MODE_FILTER;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(learn_sys_enter, void *regs, long id) {
        __u32 tid, nr;
        __s32 cur;
        __u64 *count;

        if (!ours() || !filtered(bpf_get_current_task_btf()))
                return 0;
        if (!started && (id == __NR_execve || id == __NR_execveat))
                started = 1;
        tid = (__u32) bpf_get_current_pid_tgid();
        cur = (__s32) id;
        bpf_map_update_elem(&in_syscall, &tid, &cur, BPF_ANY);
        if (id < 0 || id >= LEARN_MAX_SYSCALLS)
                return 0;
        nr = (__u32) id;
        count = bpf_map_lookup_elem(&syscalls, &nr);
        if (count)
                __sync_fetch_and_add(count, 1);
        return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(learn_sys_exit, void *regs, long ret) {
        __u32 tid;

        if (!ours())
                return 0;
        tid = (__u32) bpf_get_current_pid_tgid();
        bpf_map_delete_elem(&in_syscall, &tid);
        return 0;
}

static __always_inline void record(const struct cred *cred, int cap, int ret, int audit) {
        struct task_struct *task;
        struct learn_cap_key key = {};
        __u64 pid_tgid, one = 1, *count;
        __s32 *nr;
        __u32 tid;

        if (!started || !ours())
                return;
        task = bpf_get_current_task_btf();
        pid_tgid = bpf_get_current_pid_tgid();
        tid = (__u32) pid_tgid;
        nr = bpf_map_lookup_elem(&in_syscall, &tid);
        key.cap = cap;
        key.syscall = nr ? *nr : -1;
        key.pid = (__u32) (pid_tgid >> 32);
        key.granted = ret == 0;
        key.audit = audit;
        key.borrowed = cred != task->real_cred;
        count = bpf_map_lookup_elem(&caps, &key);
        if (count)
                __sync_fetch_and_add(count, 1);
        else if (bpf_map_update_elem(&caps, &key, &one, BPF_NOEXIST) < 0)
                __sync_fetch_and_add(&lost, 1);
}

/* TP_PROTO(const struct cred *cred, struct user_namespace *target_ns,
 *          const struct user_namespace *capable_ns, int cap, int ret) */
SEC("tp_btf/cap_capable")
int BPF_PROG(learn_cap_tp, const struct cred *cred, void *target_ns, void *capable_ns, int cap, int ret) {
        record(cred, cap, ret, LEARN_AUDIT_FLAG_UNKNOWN);
        return 0;
}

/* int cap_capable(const struct cred *cred, struct user_namespace *ns, int cap, unsigned int opts) */
SEC("fexit/cap_capable")
int BPF_PROG(learn_cap_fexit, const struct cred *cred, void *ns, int cap, unsigned int opts, int ret) {
        record(cred, cap, ret, (opts & CAP_OPT_NOAUDIT) ? LEARN_AUDIT_FLAG_NO : LEARN_AUDIT_FLAG_YES);
        return 0;
}

/* kprobe/kretprobe: the arguments wait for the return value, per thread */
struct cap_call {
        const struct cred *cred;
        int cap;
        unsigned int opts;
};
struct {
        __uint(type, BPF_MAP_TYPE_LRU_HASH);
        __uint(max_entries, 4096);
        __type(key, __u32);
        __type(value, struct cap_call);
} cap_calls SEC(".maps");

SEC("kprobe/cap_capable")
int BPF_KPROBE(learn_cap_kprobe, const struct cred *cred, void *ns, int cap, unsigned int opts) {
        struct cap_call call = {.cred = cred, .cap = cap, .opts = opts};
        __u32 tid;

        if (!started || !ours())
                return 0;
        tid = (__u32) bpf_get_current_pid_tgid();
        bpf_map_update_elem(&cap_calls, &tid, &call, BPF_ANY);
        return 0;
}

SEC("kretprobe/cap_capable")
int BPF_KRETPROBE(learn_cap_kretprobe, int ret) {
        struct cap_call *call;
        __u32 tid;

        if (!started || !ours())
                return 0;
        tid = (__u32) bpf_get_current_pid_tgid();
        call = bpf_map_lookup_elem(&cap_calls, &tid);
        if (!call)
                return 0;
        record(call->cred, call->cap, ret, (call->opts & CAP_OPT_NOAUDIT) ? LEARN_AUDIT_FLAG_NO : LEARN_AUDIT_FLAG_YES);
        bpf_map_delete_elem(&cap_calls, &tid);
        return 0;
}

char LICENSE[] SEC("license") = "GPL";
