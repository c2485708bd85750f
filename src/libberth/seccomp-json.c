/* SPDX-License-Identifier: MIT */
/* Docker/OCI seccomp JSON profiles (json-c): defaultAction, defaultErrnoRet, architectures or
 * archMap, and syscalls[] with names/name, action, errnoRet, args[] (index, value, valueTwo,
 * op), includes/excludes (caps, arches, minKernel). Semantics follow Docker and runc where
 * they are observable: unknown syscall names are skipped, rules whose action is the default
 * action are dropped, several conditions on the same argument become separate rules (runc).
 * Every error names the file and the JSON path of the bad element. */
#include <errno.h>
#include <json-c/json.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>

#include "capability.h"
#include "seccomp-internal.h"

#define MAX_SYSCALL_ARGS 6

struct json_reader {
        const char *file;
        const struct seccomp_target *t;
        scmp_filter_ctx ctx;
        uint32_t default_action;
};

_printf_(4, 5) static int json_error(const struct json_reader *jr, const char *jpath, int err, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int n;

        va_start(ap, fmt);
        n = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (n < 0)
                return log_errno(-ENOMEM, "%s: %s: out of memory", jr->file, jpath);
        return log_errno(err, "%s: %s: %s", jr->file, jpath, msg);
}

static const char *json_type_word(json_object *o) {
        switch (json_object_get_type(o)) {
        case json_type_null:
                return "null";
        case json_type_boolean:
                return "a boolean";
        case json_type_double:
                return "a fraction";
        case json_type_int:
                return "an integer";
        case json_type_object:
                return "an object";
        case json_type_array:
                return "an array";
        case json_type_string:
                return "a string";
        }
        return "something else";
}

static int expect_type(const struct json_reader *jr, const char *jpath, json_object *o, json_type want,
                       const char *want_word) {
        if (json_object_is_type(o, want))
                return 0;
        return json_error(jr, jpath, -EINVAL, "expected %s, got %s", want_word, json_type_word(o));
}

static int get_uint(const struct json_reader *jr, const char *jpath, json_object *o, uint64_t max, uint64_t *ret) {
        int r = expect_type(jr, jpath, o, json_type_int, "a non-negative integer");
        if (r < 0)
                return r;
        /* json-c keeps integers as int64 or, above INT64_MAX, uint64; get_int64 is negative
         * only for a genuinely negative value. */
        if (json_object_get_int64(o) < 0)
                return json_error(jr, jpath, -EINVAL, "expected a non-negative integer, got %" PRId64,
                                  json_object_get_int64(o));
        *ret = json_object_get_uint64(o);
        if (*ret > max)
                return json_error(jr, jpath, -ERANGE, "%" PRIu64 " is out of range (at most %" PRIu64 ")", *ret, max);
        return 0;
}

static int parse_action(const struct json_reader *jr, const char *jpath, json_object *action_obj,
                        json_object *errno_obj, const char *errno_path, uint32_t *ret) {
        uint64_t errno_ret = EPERM;
        const char *name;
        int r;

        r = expect_type(jr, jpath, action_obj, json_type_string, "an action name such as \"SCMP_ACT_ERRNO\"");
        if (r < 0)
                return r;
        name = json_object_get_string(action_obj);
        if (errno_obj && !json_object_is_type(errno_obj, json_type_null)) {
                r = get_uint(jr, errno_path, errno_obj, 4095, &errno_ret);
                if (r < 0)
                        return r;
                if (!streq(name, "SCMP_ACT_ERRNO") && !streq(name, "SCMP_ACT_TRACE"))
                        return json_error(jr, errno_path, -EINVAL,
                                          "only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take a return value, not %s", name);
        }
        if (streq(name, "SCMP_ACT_NOTIFY"))
                return json_error(jr, jpath, -EOPNOTSUPP, "SCMP_ACT_NOTIFY needs a listener, which berth does not provide");
        r = seccomp_action_from_string(name, (int) errno_ret, ret);
        if (r < 0)
                return json_error(jr, jpath, r, "unknown action '%s'", name);
        return 0;
}

int seccomp_action_from_string(const char *s, int errno_ret, uint32_t *ret) {
        if (streq(s, "SCMP_ACT_ALLOW"))
                *ret = SCMP_ACT_ALLOW;
        else if (streq(s, "SCMP_ACT_ERRNO"))
                *ret = SCMP_ACT_ERRNO(errno_ret);
        else if (streq(s, "SCMP_ACT_KILL") || streq(s, "SCMP_ACT_KILL_THREAD"))
                *ret = SCMP_ACT_KILL_THREAD;
        else if (streq(s, "SCMP_ACT_KILL_PROCESS"))
                *ret = SCMP_ACT_KILL_PROCESS;
        else if (streq(s, "SCMP_ACT_TRAP"))
                *ret = SCMP_ACT_TRAP;
        else if (streq(s, "SCMP_ACT_TRACE"))
                *ret = SCMP_ACT_TRACE(errno_ret);
        else if (streq(s, "SCMP_ACT_LOG"))
                *ret = SCMP_ACT_LOG;
        else
                return -EINVAL;
        return 0;
}

int seccomp_op_from_string(const char *s, enum scmp_compare *ret) {
        static const struct {
                const char *name;
                enum scmp_compare op;
        } ops[] = {
                {"SCMP_CMP_NE", SCMP_CMP_NE},   {"SCMP_CMP_LT", SCMP_CMP_LT},
                {"SCMP_CMP_LE", SCMP_CMP_LE},   {"SCMP_CMP_EQ", SCMP_CMP_EQ},
                {"SCMP_CMP_GE", SCMP_CMP_GE},   {"SCMP_CMP_GT", SCMP_CMP_GT},
                {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
        };
        for (size_t i = 0; i < ELEMENTSOF(ops); i++)
                if (streq(s, ops[i].name)) {
                        *ret = ops[i].op;
                        return 0;
                }
        return -EINVAL;
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token. */
static int arch_from_string(const char *s, uint32_t *ret) {
        char lower[32];
        const char *n = startswith(s, "SCMP_ARCH_");
        size_t i;

        if (!n || strlen(n) >= sizeof(lower))
                return -EINVAL;
        for (i = 0; n[i]; i++)
                lower[i] = (char) (n[i] >= 'A' && n[i] <= 'Z' ? n[i] - 'A' + 'a' : n[i]);
        lower[i] = 0;
        *ret = seccomp_arch_resolve_name(lower);
        return *ret == 0 ? -EINVAL : 0;
}

static int add_arch(const struct json_reader *jr, const char *jpath, json_object *o) {
        uint32_t arch;
        int r;

        r = expect_type(jr, jpath, o, json_type_string, "an architecture name such as \"SCMP_ARCH_X86_64\"");
        if (r < 0)
                return r;
        if (arch_from_string(json_object_get_string(o), &arch) < 0)
                return json_error(jr, jpath, -EINVAL, "unknown architecture '%s'", json_object_get_string(o));
        r = seccomp_arch_add(jr->ctx, arch);
        if (r < 0 && r != -EEXIST)
                return json_error(jr, jpath, r, "cannot add architecture '%s': %s", json_object_get_string(o),
                                  strerror(-r));
        return 0;
}

static int read_architectures(const struct json_reader *jr, json_object *arches, json_object *arch_map) {
        char jpath[128];
        int r;

        if (arches && arch_map && !json_object_is_type(arches, json_type_null) &&
            !json_object_is_type(arch_map, json_type_null))
                return json_error(jr, "architectures", -EINVAL, "cannot be combined with archMap");

        if (arches && !json_object_is_type(arches, json_type_null)) {
                r = expect_type(jr, "architectures", arches, json_type_array, "an array");
                if (r < 0)
                        return r;
                for (size_t i = 0; i < json_object_array_length(arches); i++) {
                        snprintf(jpath, sizeof(jpath), "architectures[%zu]", i);
                        r = add_arch(jr, jpath, json_object_array_get_idx(arches, i));
                        if (r < 0)
                                return r;
                }
        }
        if (arch_map && !json_object_is_type(arch_map, json_type_null)) {
                r = expect_type(jr, "archMap", arch_map, json_type_array, "an array");
                if (r < 0)
                        return r;
                /* Docker adds the entry for the machine's own architecture and its
                 * sub-architectures; the other entries are for other machines. */
                for (size_t i = 0; i < json_object_array_length(arch_map); i++) {
                        json_object *e = json_object_array_get_idx(arch_map, i), *a, *subs;
                        uint32_t arch;

                        snprintf(jpath, sizeof(jpath), "archMap[%zu]", i);
                        r = expect_type(jr, jpath, e, json_type_object, "an object");
                        if (r < 0)
                                return r;
                        snprintf(jpath, sizeof(jpath), "archMap[%zu].architecture", i);
                        if (!json_object_object_get_ex(e, "architecture", &a))
                                return json_error(jr, jpath, -EINVAL, "missing");
                        r = expect_type(jr, jpath, a, json_type_string, "an architecture name");
                        if (r < 0)
                                return r;
                        if (arch_from_string(json_object_get_string(a), &arch) < 0)
                                return json_error(jr, jpath, -EINVAL, "unknown architecture '%s'",
                                                  json_object_get_string(a));
                        if (json_object_object_get_ex(e, "subArchitectures", &subs) &&
                            !json_object_is_type(subs, json_type_null)) {
                                snprintf(jpath, sizeof(jpath), "archMap[%zu].subArchitectures", i);
                                r = expect_type(jr, jpath, subs, json_type_array, "an array");
                                if (r < 0)
                                        return r;
                        } else
                                subs = NULL;
                        if (arch != jr->t->native_arch)
                                continue;
                        for (size_t j = 0; subs && j < json_object_array_length(subs); j++) {
                                snprintf(jpath, sizeof(jpath), "archMap[%zu].subArchitectures[%zu]", i, j);
                                r = add_arch(jr, jpath, json_object_array_get_idx(subs, j));
                                if (r < 0)
                                        return r;
                        }
                }
        }
        return 0;
}

static bool string_array_contains(json_object *arr, const char *s) {
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
                json_object *e = json_object_array_get_idx(arr, i);
                if (json_object_is_type(e, json_type_string) && streq(json_object_get_string(e), s))
                        return true;
        }
        return false;
}

static int check_string_array(const struct json_reader *jr, const char *jpath, json_object *arr) {
        char epath[192];
        int r = expect_type(jr, jpath, arr, json_type_array, "an array of strings");
        if (r < 0)
                return r;
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
                snprintf(epath, sizeof(epath), "%s[%zu]", jpath, i);
                r = expect_type(jr, epath, json_object_array_get_idx(arr, i), json_type_string, "a string");
                if (r < 0)
                        return r;
        }
        return 0;
}

/* includes: the rule applies only if all of these hold; excludes: only if none does.
 * Capability names that this build does not know cannot be held, as in Docker's string match. */
static int filter_matches(const struct json_reader *jr, const char *jpath, json_object *filter, bool include,
                          bool *ret) {
        json_object *caps, *arches, *min_kernel;
        char fpath[192];
        bool any_held = false, all_held = true;
        int r;

        *ret = true;
        if (!filter || json_object_is_type(filter, json_type_null))
                return 0;
        r = expect_type(jr, jpath, filter, json_type_object, "an object");
        if (r < 0)
                return r;

        if (json_object_object_get_ex(filter, "caps", &caps) && !json_object_is_type(caps, json_type_null)) {
                snprintf(fpath, sizeof(fpath), "%s.caps", jpath);
                r = check_string_array(jr, fpath, caps);
                if (r < 0)
                        return r;
                for (size_t i = 0; i < json_object_array_length(caps); i++) {
                        int cap = capability_from_name(json_object_get_string(json_object_array_get_idx(caps, i)));
                        bool held = cap >= 0 && cap < 64 && (jr->t->caps & (UINT64_C(1) << cap));
                        any_held |= held;
                        all_held &= held;
                }
                if (include ? !all_held : any_held)
                        *ret = false;
        }
        if (json_object_object_get_ex(filter, "arches", &arches) && !json_object_is_type(arches, json_type_null)) {
                snprintf(fpath, sizeof(fpath), "%s.arches", jpath);
                r = check_string_array(jr, fpath, arches);
                if (r < 0)
                        return r;
                bool listed = string_array_contains(arches, jr->t->arch_name);
                if (include ? (json_object_array_length(arches) > 0 && !listed) : listed)
                        *ret = false;
        }
        if (json_object_object_get_ex(filter, "minKernel", &min_kernel) &&
            !json_object_is_type(min_kernel, json_type_null)) {
                unsigned major, minor;
                char extra;
                snprintf(fpath, sizeof(fpath), "%s.minKernel", jpath);
                r = expect_type(jr, fpath, min_kernel, json_type_string, "a kernel version such as \"4.8\"");
                if (r < 0)
                        return r;
                if (sscanf(json_object_get_string(min_kernel), "%u.%u%c", &major, &minor, &extra) != 2)
                        return json_error(jr, fpath, -EINVAL, "expected a kernel version such as \"4.8\", got '%s'",
                                          json_object_get_string(min_kernel));
                bool at_least = jr->t->kernel_major > major ||
                                (jr->t->kernel_major == major && jr->t->kernel_minor >= minor);
                if (include ? !at_least : at_least)
                        *ret = false;
        }
        return 0;
}

static int parse_arg(const struct json_reader *jr, const char *jpath, json_object *a, struct scmp_arg_cmp *ret) {
        json_object *index, *value, *value_two, *op;
        char fpath[192];
        uint64_t idx, v1 = 0, v2 = 0;
        enum scmp_compare cmp;
        int r;

        r = expect_type(jr, jpath, a, json_type_object, "an object");
        if (r < 0)
                return r;
        snprintf(fpath, sizeof(fpath), "%s.index", jpath);
        if (!json_object_object_get_ex(a, "index", &index))
                return json_error(jr, fpath, -EINVAL, "missing");
        r = get_uint(jr, fpath, index, MAX_SYSCALL_ARGS - 1, &idx);
        if (r < 0)
                return r;
        if (json_object_object_get_ex(a, "value", &value)) {
                snprintf(fpath, sizeof(fpath), "%s.value", jpath);
                r = get_uint(jr, fpath, value, UINT64_MAX, &v1);
                if (r < 0)
                        return r;
        }
        if (json_object_object_get_ex(a, "valueTwo", &value_two)) {
                snprintf(fpath, sizeof(fpath), "%s.valueTwo", jpath);
                r = get_uint(jr, fpath, value_two, UINT64_MAX, &v2);
                if (r < 0)
                        return r;
        }
        snprintf(fpath, sizeof(fpath), "%s.op", jpath);
        if (!json_object_object_get_ex(a, "op", &op))
                return json_error(jr, fpath, -EINVAL, "missing");
        r = expect_type(jr, fpath, op, json_type_string, "an operator such as \"SCMP_CMP_EQ\"");
        if (r < 0)
                return r;
        if (seccomp_op_from_string(json_object_get_string(op), &cmp) < 0)
                return json_error(jr, fpath, -EINVAL, "unknown operator '%s'", json_object_get_string(op));

        /* MASKED_EQ: value is the mask, valueTwo what the masked argument must equal (OCI). */
        *ret = (struct scmp_arg_cmp){.arg = (unsigned) idx, .op = cmp, .datum_a = v1, .datum_b = v2};
        return 0;
}

static int read_syscall(struct json_reader *jr, size_t i, json_object *sc) {
        json_object *names = NULL, *name = NULL, *action, *errno_ret = NULL, *args = NULL, *includes = NULL,
                    *excludes = NULL;
        struct scmp_arg_cmp conds[MAX_SYSCALL_ARGS * 4];
        _cleanup_free_ const char **name_list = NULL;
        char jpath[64], fpath[128], epath[128], where[PATH_MAX + 80];
        unsigned n_conds = 0;
        size_t n_names = 0;
        bool include_ok, exclude_ok, repeated_index = false;
        uint32_t act;
        int r;

        snprintf(jpath, sizeof(jpath), "syscalls[%zu]", i);
        r = expect_type(jr, jpath, sc, json_type_object, "an object");
        if (r < 0)
                return r;

        snprintf(fpath, sizeof(fpath), "%s.includes", jpath);
        json_object_object_get_ex(sc, "includes", &includes);
        r = filter_matches(jr, fpath, includes, true, &include_ok);
        if (r < 0)
                return r;
        snprintf(fpath, sizeof(fpath), "%s.excludes", jpath);
        json_object_object_get_ex(sc, "excludes", &excludes);
        r = filter_matches(jr, fpath, excludes, false, &exclude_ok);
        if (r < 0)
                return r;

        snprintf(fpath, sizeof(fpath), "%s.action", jpath);
        snprintf(epath, sizeof(epath), "%s.errnoRet", jpath);
        if (!json_object_object_get_ex(sc, "action", &action))
                return json_error(jr, fpath, -EINVAL, "missing");
        json_object_object_get_ex(sc, "errnoRet", &errno_ret);
        r = parse_action(jr, fpath, action, errno_ret, epath, &act);
        if (r < 0)
                return r;

        if (json_object_object_get_ex(sc, "names", &names) && !json_object_is_type(names, json_type_null)) {
                snprintf(fpath, sizeof(fpath), "%s.names", jpath);
                r = check_string_array(jr, fpath, names);
                if (r < 0)
                        return r;
                n_names = json_object_array_length(names);
        } else
                names = NULL;
        if (json_object_object_get_ex(sc, "name", &name) && !json_object_is_type(name, json_type_null)) {
                snprintf(fpath, sizeof(fpath), "%s.name", jpath);
                r = expect_type(jr, fpath, name, json_type_string, "a system call name");
                if (r < 0)
                        return r;
                n_names++;
        } else
                name = NULL;
        if (!names && !name)
                return json_error(jr, jpath, -EINVAL, "has neither names nor name");

        if (json_object_object_get_ex(sc, "args", &args) && !json_object_is_type(args, json_type_null)) {
                bool seen[MAX_SYSCALL_ARGS] = {};
                snprintf(fpath, sizeof(fpath), "%s.args", jpath);
                r = expect_type(jr, fpath, args, json_type_array, "an array");
                if (r < 0)
                        return r;
                if (json_object_array_length(args) > ELEMENTSOF(conds))
                        return json_error(jr, fpath, -E2BIG, "too many conditions (at most %zu)", ELEMENTSOF(conds));
                for (size_t a = 0; a < json_object_array_length(args); a++) {
                        snprintf(fpath, sizeof(fpath), "%s.args[%zu]", jpath, a);
                        r = parse_arg(jr, fpath, json_object_array_get_idx(args, a), &conds[n_conds]);
                        if (r < 0)
                                return r;
                        repeated_index |= seen[conds[n_conds].arg];
                        seen[conds[n_conds].arg] = true;
                        n_conds++;
                }
        }

        /* Everything is validated even for rules that do not apply to this container, so a
         * profile's mistakes show up on every host, not only on the one that hits them. */
        if (!include_ok || !exclude_ok || act == jr->default_action)
                return 0;

        name_list = calloc(n_names + 1, sizeof(char *));
        if (!name_list)
                return log_errno(-ENOMEM, "seccomp profile: out of memory");
        n_names = 0;
        for (size_t k = 0; names && k < json_object_array_length(names); k++)
                name_list[n_names++] = json_object_get_string(json_object_array_get_idx(names, k));
        if (name)
                name_list[n_names++] = json_object_get_string(name);

        /* libseccomp takes one condition per argument in a rule; runc (and so Docker) turns
         * repeated conditions on the same argument into separate rules (any of them allows). */
        /* seccomp_add_rule_names() logs, naming the rule as FILE: syscalls[i] */
        snprintf(where, sizeof(where), "%s: %s", jr->file, jpath);
        if (repeated_index) {
                for (unsigned c = 0; c < n_conds; c++) {
                        r = seccomp_add_rule_names(jr->ctx, name_list, n_names, act, &conds[c], 1, where);
                        if (r < 0)
                                return r;
                }
                return 0;
        }
        return seccomp_add_rule_names(jr->ctx, name_list, n_names, act, conds, n_conds, where);
}

static int parse_document(const char *file, const char *json, size_t len, json_object **ret) {
        struct json_tokener *tok;
        json_object *root;
        size_t end;

        tok = json_tokener_new();
        if (!tok)
                return log_errno(-ENOMEM, "seccomp profile: out of memory");
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        root = json_tokener_parse_ex(tok, json, (int) len);
        end = json_tokener_get_parse_end(tok);
        if (!root || json_tokener_get_error(tok) != json_tokener_success) {
                enum json_tokener_error e = json_tokener_get_error(tok);
                unsigned line = 1, column = 1;
                for (size_t k = 0; k < end && k < len; k++) {
                        if (json[k] == '\n')
                                line++, column = 1;
                        else
                                column++;
                }
                json_tokener_free(tok);
                json_object_put(root);
                return log_errno(-EINVAL, "%s:%u:%u: invalid JSON: %s", file, line, column,
                                 e == json_tokener_continue ? "unexpected end of file"
                                                            : json_tokener_error_desc(e));
        }
        json_tokener_free(tok);
        for (; end < len; end++)
                if (!strchr(" \t\r\n", json[end])) {
                        json_object_put(root);
                        return log_errno(-EINVAL, "%s: invalid JSON: data after the top-level value", file);
                }
        *ret = root;
        return 0;
}

int seccomp_json_build(const char *path, const char *json, size_t len, const struct seccomp_target *t,
                       scmp_filter_ctx *ret) {
        json_object *root = NULL, *o, *default_errno = NULL, *arches = NULL, *arch_map = NULL, *syscalls = NULL;
        struct json_reader jr = {.file = path, .t = t};
        int r;

        if (len > INT32_MAX)
                return log_errno(-EFBIG, "%s: too large", path);
        if (memchr(json, 0, len))
                return log_errno(-EINVAL, "%s: invalid JSON: contains a NUL byte", path);
        r = parse_document(path, json, len, &root);
        if (r < 0)
                return r;
        r = expect_type(&jr, "(top level)", root, json_type_object, "an object");
        if (r < 0)
                goto finish;

        if (!json_object_object_get_ex(root, "defaultAction", &o)) {
                r = json_error(&jr, "defaultAction", -EINVAL, "missing");
                goto finish;
        }
        json_object_object_get_ex(root, "defaultErrnoRet", &default_errno);
        r = parse_action(&jr, "defaultAction", o, default_errno, "defaultErrnoRet", &jr.default_action);
        if (r < 0)
                goto finish;
        /* Docker refuses an allow-by-default profile unless it says so (no rules to enforce);
         * berth accepts it: the profile is the administrator's explicit choice. */

        if (json_object_object_get_ex(root, "flags", &o) && !json_object_is_type(o, json_type_null)) {
                r = check_string_array(&jr, "flags", o);
                if (r < 0)
                        goto finish;
                if (json_object_array_length(o) > 0) {
                        r = json_error(&jr, "flags[0]", -EOPNOTSUPP, "filter flag '%s' is not supported",
                                       json_object_get_string(json_object_array_get_idx(o, 0)));
                        goto finish;
                }
        }
        if (json_object_object_get_ex(root, "listenerPath", &o) && !json_object_is_type(o, json_type_null) &&
            !(json_object_is_type(o, json_type_string) && isempty(json_object_get_string(o)))) {
                r = json_error(&jr, "listenerPath", -EOPNOTSUPP, "seccomp notify listeners are not supported");
                goto finish;
        }

        jr.ctx = seccomp_init(jr.default_action);
        if (!jr.ctx) {
                r = log_errno(-ENOMEM, "%s: cannot create a seccomp filter: %m", path);
                goto finish;
        }
        json_object_object_get_ex(root, "architectures", &arches);
        json_object_object_get_ex(root, "archMap", &arch_map);
        r = read_architectures(&jr, arches, arch_map);
        if (r < 0)
                goto finish;

        if (json_object_object_get_ex(root, "syscalls", &syscalls) && !json_object_is_type(syscalls, json_type_null)) {
                r = expect_type(&jr, "syscalls", syscalls, json_type_array, "an array");
                if (r < 0)
                        goto finish;
                for (size_t i = 0; i < json_object_array_length(syscalls); i++) {
                        r = read_syscall(&jr, i, json_object_array_get_idx(syscalls, i));
                        if (r < 0)
                                goto finish;
                }
        }

        *ret = TAKE_PTR(jr.ctx);
        r = 0;
finish:
        if (jr.ctx)
                seccomp_release(jr.ctx);
        json_object_put(root);
        return r;
}
