/* SPDX-License-Identifier: MIT */
/* Loading berth learn's BPF tracer and reading what it recorded (learn-trace.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "learn-trace.h"
#include "log.h"
#include "util.h"

#if HAVE_LEARN_BPF

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "syscall-name.h"

#include "learn-events.h"
#include "learn.skel.h"

struct learn_trace {
        struct learn_bpf *skel;
        const char *attach;
};

/* libbpf's own messages only with BERTH_LEARN_DEBUG=1 (the one-line reason is ours) */
__attribute__((format(printf, 2, 0))) static int quiet_libbpf(enum libbpf_print_level level, const char *fmt,
                                                              va_list ap) {
        if (level == LIBBPF_WARN && getenv("BERTH_LEARN_DEBUG"))
                return vfprintf(stderr, fmt, ap);
        return 0;
}

static bool kernel_has_cap_capable_tracepoint(void) {
        struct btf *vmlinux = btf__load_vmlinux_btf();
        bool r;

        if (!vmlinux)
                return false;
        r = btf__find_by_name_kind(vmlinux, "btf_trace_cap_capable", BTF_KIND_TYPEDEF) >= 0;
        btf__free(vmlinux);
        return r;
}

/* Seccomp_filters: in /proc/self/status: the container's filter is the one after these. */
static int own_seccomp_filters(void) {
        _cleanup_fclose_ FILE *f = fopen("/proc/self/status", "re");
        char line[256];
        int n = 0;

        while (f && fgets(line, sizeof(line), f))
                if (sscanf(line, "Seccomp_filters: %d", &n) == 1)
                        break;
        return n;
}

enum attach_mode {
        ATTACH_TRACEPOINT,
        ATTACH_FEXIT,
        ATTACH_KPROBE,
        _ATTACH_MAX,
};

static const char *const attach_names[_ATTACH_MAX] = {
        [ATTACH_TRACEPOINT] = "tracepoint capability:cap_capable",
        [ATTACH_FEXIT] = "fexit cap_capable",
        [ATTACH_KPROBE] = "kprobe cap_capable",
};

/* One try: open, keep the one capability program of the mode, load, attach. */
static int trace_try(enum attach_mode mode, uint64_t cgroup_id, struct learn_trace **ret, char **ret_why) {
        struct learn_trace *t = calloc(1, sizeof(*t));
        struct bpf_program *cap_progs[] = {NULL, NULL, NULL, NULL};
        int r;

        if (!t)
                return -ENOMEM;
        t->attach = attach_names[mode];
        t->skel = learn_bpf__open();
        if (!t->skel) {
                r = negative_errno();
                (void) xasprintf(ret_why, "cannot open the BPF object: %s", strerror(-r));
                free(t);
                return r;
        }
        t->skel->rodata->target_cgroup = cgroup_id;
        t->skel->rodata->own_filters = own_seccomp_filters();
        cap_progs[0] = t->skel->progs.learn_cap_tp;
        cap_progs[1] = t->skel->progs.learn_cap_fexit;
        cap_progs[2] = t->skel->progs.learn_cap_kprobe;
        cap_progs[3] = t->skel->progs.learn_cap_kretprobe;
        for (size_t i = 0; i < ELEMENTSOF(cap_progs); i++) {
                bool keep = (mode == ATTACH_TRACEPOINT && i == 0) || (mode == ATTACH_FEXIT && i == 1) ||
                            (mode == ATTACH_KPROBE && i >= 2);
                bpf_program__set_autoload(cap_progs[i], keep);
        }
        r = learn_bpf__load(t->skel);
        if (r < 0) {
                (void) xasprintf(ret_why, "cannot load the BPF tracer (%s): %s%s", t->attach, strerror(-r),
                                 r == -EPERM ? " (needs CAP_BPF and CAP_PERFMON; lockdown refuses fexit and kprobes)"
                                             : "");
                learn_trace_free(t);
                return r;
        }
        r = learn_bpf__attach(t->skel);
        if (r < 0) {
                (void) xasprintf(ret_why, "cannot attach the BPF tracer (%s): %s", t->attach, strerror(-r));
                learn_trace_free(t);
                return r;
        }
        *ret = t;
        return 0;
}

int learn_trace_start(uint64_t cgroup_id, struct learn_trace **ret, char **ret_why) {
        const char *force = getenv("BERTH_LEARN_ATTACH");
        enum attach_mode first, last;
        int r = -EOPNOTSUPP;

        *ret_why = NULL;
        libbpf_set_print(quiet_libbpf);
        if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
                (void) xasprintf(ret_why,
                                 "the kernel has no BTF (/sys/kernel/btf/vmlinux: %m): CO-RE programs cannot load");
                return -EOPNOTSUPP;
        }
        if (!isempty(force)) {
                /* BERTH_LEARN_ATTACH=tracepoint|fexit|kprobe: that one only */
                for (first = 0; first < _ATTACH_MAX && !startswith(attach_names[first], force); first++)
                        ;
                if (first == _ATTACH_MAX) {
                        (void) xasprintf(ret_why, "BERTH_LEARN_ATTACH=%s: not tracepoint, fexit or kprobe", force);
                        return -EINVAL;
                }
                last = first;
        } else {
                /* the tracepoint where the kernel has it, else fexit, else a kprobe pair */
                first = kernel_has_cap_capable_tracepoint() ? ATTACH_TRACEPOINT : ATTACH_FEXIT;
                last = first == ATTACH_TRACEPOINT ? ATTACH_TRACEPOINT : ATTACH_KPROBE;
        }
        for (enum attach_mode m = first; m <= last; m++) {
                free(*ret_why);
                *ret_why = NULL;
                r = trace_try(m, cgroup_id, ret, ret_why);
                if (r >= 0)
                        return 0;
        }
        return r;
}

static char *syscall_name(int nr) {
        return learn_syscall_name(nr);
}

int learn_trace_collect(struct learn_trace *t, struct learn_result *res, char ***syscalls, FILE *record, bool *started,
                        const char **ret_attach) {
        int fd = bpf_map__fd(t->skel->maps.syscalls), r;
        struct learn_cap_key key, next;
        bool first = true;

        /* stop recording: what the learner does from here is not the payload's */
        learn_bpf__detach(t->skel);
        *started = t->skel->bss->started;
        *ret_attach = t->attach;
        if (t->skel->bss->lost)
                log_warning("learn: %llu capability checks were lost (map full)",
                            (unsigned long long) t->skel->bss->lost);

        for (__u32 nr = 0; nr < LEARN_MAX_SYSCALLS; nr++) {
                __u64 count = 0;
                if (bpf_map_lookup_elem(fd, &nr, &count) < 0 || count == 0)
                        continue;
                _cleanup_free_ char *name = syscall_name((int) nr);
                if (!name) {
                        log_warning("learn: system call %u has no name in libseccomp: not in the profile", nr);
                        continue;
                }
                r = strv_add_sorted(syscalls, name);
                if (r < 0)
                        return r;
        }

        fd = bpf_map__fd(t->skel->maps.caps);
        while (bpf_map_get_next_key(fd, first ? NULL : &key, &next) == 0) {
                __u64 count = 0;
                first = false;
                key = next;
                if (bpf_map_lookup_elem(fd, &key, &count) < 0)
                        continue;
                _cleanup_free_ char *name = syscall_name(key.syscall);
                struct learn_event e = {
                        .cap = (int) key.cap,
                        .granted = key.granted,
                        .audit = key.audit == LEARN_AUDIT_FLAG_UNKNOWN ? LEARN_AUDIT_UNKNOWN
                                 : key.audit == LEARN_AUDIT_FLAG_YES   ? LEARN_AUDIT_YES
                                                                       : LEARN_AUDIT_NO,
                        .borrowed = key.borrowed,
                        .syscall = name,
                        .pid = (pid_t) key.pid,
                        .count = count,
                };
                if (record) {
                        _cleanup_free_ char *line = learn_event_format(&e);
                        if (line)
                                fprintf(record, "%s\n", line);
                }
                r = learn_result_add(res, &e);
                if (r < 0 && r != -EINVAL)
                        return r;
        }
        return 0;
}

void learn_trace_free(struct learn_trace *t) {
        if (!t)
                return;
        learn_bpf__destroy(t->skel);
        free(t);
}

#else /* !HAVE_LEARN_BPF */

struct learn_trace {
        int unused;
};

int learn_trace_start(uint64_t cgroup_id, struct learn_trace **ret, char **ret_why) {
        (void) xasprintf(ret_why, "this berth was built without the BPF tracer (install clang, libbpf-dev and bpftool "
                                  "and rebuild with -Dlearn=enabled)");
        return -EOPNOTSUPP;
}

int learn_trace_collect(struct learn_trace *t, struct learn_result *res, char ***syscalls, FILE *record, bool *started,
                        const char **ret_attach) {
        return -EOPNOTSUPP;
}

void learn_trace_free(struct learn_trace *t) {
}

#endif
