/* SPDX-License-Identifier: MIT */
#pragma once
/* What the BPF tracer (learn.bpf.c) and its loader (learn-trace.c) share. */

#define LEARN_MAX_SYSCALLS 1024

#define LEARN_AUDIT_FLAG_NO 0
#define LEARN_AUDIT_FLAG_YES 1
#define LEARN_AUDIT_FLAG_UNKNOWN 2

struct learn_cap_key {
        __u32 cap;
        __s32 syscall; /* -1: not in a system call */
        __u32 pid;     /* tgid, as the host sees it */
        __u8 granted;
        __u8 audit; /* LEARN_AUDIT_FLAG_* */
        __u8 borrowed;
        __u8 pad;
};
