/* SPDX-License-Identifier: MIT */
/* floor-bpf: compiles the "seccomp" object of an OCI config.json into a raw classic-BPF
 * program (an array of struct sock_filter) that floor.c loads with seccomp(2).
 *
 * This runs once at bench build time, so the floor pays only for loading a filter, which
 * is the least any runtime that applies this policy can pay at start.
 *
 *   floor-bpf PROFILE.json OUT.bpf */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int parse_action(const char *name, json_object *rule, uint32_t default_errno, uint32_t *ret) {
        json_object *e;
        uint32_t errno_ret = default_errno;

        if (json_object_object_get_ex(rule, "errnoRet", &e))
                errno_ret = (uint32_t) json_object_get_int(e);
        if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
                *ret = SCMP_ACT_ALLOW;
        else if (strcmp(name, "SCMP_ACT_ERRNO") == 0)
                *ret = SCMP_ACT_ERRNO(errno_ret);
        else if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
                *ret = SCMP_ACT_KILL;
        else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
                *ret = SCMP_ACT_KILL_PROCESS;
        else if (strcmp(name, "SCMP_ACT_LOG") == 0)
                *ret = SCMP_ACT_LOG;
        else
                return -EINVAL;
        return 0;
}

static int parse_op(const char *name, enum scmp_compare *ret) {
        static const struct {
                const char *name;
                enum scmp_compare op;
        } ops[] = {
                { "SCMP_CMP_NE", SCMP_CMP_NE },         { "SCMP_CMP_LT", SCMP_CMP_LT },
                { "SCMP_CMP_LE", SCMP_CMP_LE },         { "SCMP_CMP_EQ", SCMP_CMP_EQ },
                { "SCMP_CMP_GE", SCMP_CMP_GE },         { "SCMP_CMP_GT", SCMP_CMP_GT },
                { "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
        };
        for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
                if (strcmp(ops[i].name, name) == 0) {
                        *ret = ops[i].op;
                        return 0;
                }
        return -EINVAL;
}

static int add_rule(scmp_filter_ctx ctx, json_object *rule, size_t idx, uint32_t default_errno) {
        json_object *names, *action, *args = NULL;
        struct scmp_arg_cmp cmps[6];
        unsigned n_cmps = 0;
        uint32_t act;

        if (!json_object_object_get_ex(rule, "names", &names) || !json_object_object_get_ex(rule, "action", &action)) {
                fprintf(stderr, "floor-bpf: syscalls[%zu]: needs names and action\n", idx);
                return -EINVAL;
        }
        if (parse_action(json_object_get_string(action), rule, default_errno, &act) < 0) {
                fprintf(stderr, "floor-bpf: syscalls[%zu].action: unknown '%s'\n", idx, json_object_get_string(action));
                return -EINVAL;
        }
        if (json_object_object_get_ex(rule, "args", &args) && args) {
                size_t n = json_object_array_length(args);
                if (n > 6) {
                        fprintf(stderr, "floor-bpf: syscalls[%zu].args: more than 6\n", idx);
                        return -EINVAL;
                }
                for (size_t i = 0; i < n; i++) {
                        json_object *a = json_object_array_get_idx(args, i), *v;
                        enum scmp_compare op;
                        if (!json_object_object_get_ex(a, "op", &v) || parse_op(json_object_get_string(v), &op) < 0) {
                                fprintf(stderr, "floor-bpf: syscalls[%zu].args[%zu].op: unknown\n", idx, i);
                                return -EINVAL;
                        }
                        cmps[n_cmps] = (struct scmp_arg_cmp) { .op = op };
                        if (json_object_object_get_ex(a, "index", &v))
                                cmps[n_cmps].arg = (unsigned) json_object_get_int(v);
                        if (json_object_object_get_ex(a, "value", &v))
                                cmps[n_cmps].datum_a = (scmp_datum_t) json_object_get_uint64(v);
                        if (json_object_object_get_ex(a, "valueTwo", &v))
                                cmps[n_cmps].datum_b = (scmp_datum_t) json_object_get_uint64(v);
                        n_cmps++;
                }
        }
        for (size_t i = 0; i < json_object_array_length(names); i++) {
                const char *name = json_object_get_string(json_object_array_get_idx(names, i));
                int nr = seccomp_syscall_resolve_name(name);
                int r;
                if (nr == __NR_SCMP_ERROR)
                        continue; /* not a syscall on this architecture, as runtimes do */
                r = seccomp_rule_add_array(ctx, act, nr, n_cmps, cmps);
                if (r < 0) {
                        fprintf(stderr, "floor-bpf: syscalls[%zu] %s: %s\n", idx, name, strerror(-r));
                        return r;
                }
        }
        return 0;
}

int main(int argc, char **argv) {
        json_object *prof, *v, *syscalls;
        scmp_filter_ctx ctx;
        uint32_t default_errno = EPERM, default_act;
        int fd, r;

        if (argc != 3) {
                fprintf(stderr, "usage: floor-bpf PROFILE.json OUT.bpf\n");
                return 2;
        }
        prof = json_object_from_file(argv[1]);
        if (!prof) {
                fprintf(stderr, "floor-bpf: %s: %s\n", argv[1], json_util_get_last_err());
                return 1;
        }
        if (json_object_object_get_ex(prof, "defaultErrnoRet", &v))
                default_errno = (uint32_t) json_object_get_int(v);
        if (!json_object_object_get_ex(prof, "defaultAction", &v) ||
            parse_action(json_object_get_string(v), prof, default_errno, &default_act) < 0) {
                fprintf(stderr, "floor-bpf: %s: defaultAction missing or unknown\n", argv[1]);
                return 1;
        }
        ctx = seccomp_init(default_act);
        if (!ctx) {
                fprintf(stderr, "floor-bpf: seccomp_init failed\n");
                return 1;
        }
        /* The same architectures the runtimes get: the policy is what is compared. */
        if (json_object_object_get_ex(prof, "architectures", &v))
                for (size_t i = 0; i < json_object_array_length(v); i++) {
                        const char *name = json_object_get_string(json_object_array_get_idx(v, i));
                        char lower[32] = { 0 };
                        uint32_t arch = 0;
                        /* OCI spells SCMP_ARCH_X86_64, libseccomp resolves "x86_64" */
                        if (strncmp(name, "SCMP_ARCH_", 10) == 0 && strlen(name + 10) < sizeof(lower)) {
                                for (size_t k = 0; name[10 + k]; k++)
                                        lower[k] = (char) tolower((unsigned char) name[10 + k]);
                                arch = seccomp_arch_resolve_name(lower);
                        }
                        if (!arch) {
                                fprintf(stderr, "floor-bpf: architectures[%zu]: unknown '%s'\n", i, name);
                                return 1;
                        }
                        r = seccomp_arch_add(ctx, arch);
                        if (r < 0 && r != -EEXIST) {
                                fprintf(stderr, "floor-bpf: architectures[%zu] %s: %s\n", i, name, strerror(-r));
                                return 1;
                        }
                }
        if (json_object_object_get_ex(prof, "syscalls", &syscalls))
                for (size_t i = 0; i < json_object_array_length(syscalls); i++)
                        /* OCI: a rule's SCMP_ACT_ERRNO without errnoRet is EPERM */
                        if (add_rule(ctx, json_object_array_get_idx(syscalls, i), i, EPERM) < 0)
                                return 1;

        fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
                fprintf(stderr, "floor-bpf: %s: %s\n", argv[2], strerror(errno));
                return 1;
        }
        r = seccomp_export_bpf(ctx, fd);
        if (r < 0 || close(fd) < 0) {
                fprintf(stderr, "floor-bpf: %s: export failed: %s\n", argv[2], strerror(r < 0 ? -r : errno));
                return 1;
        }
        seccomp_release(ctx);
        json_object_put(prof);
        return 0;
}
