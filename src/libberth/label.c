/* SPDX-License-Identifier: MIT */
#include "label.h"
#include "label-internal.h"

#include <ctype.h>
#include <errno.h>
#include <linux/magic.h>
#include <sys/vfs.h>

#if HAVE_SELINUX
#include <selinux/selinux.h>
#endif

static bool label_requested(const struct berth_label *l) {
        return l->type || l->level || l->user || l->role || l->filetype;
}

/* "type:docker_apache_t level:s0:c1,c2" for notices. */
static char *label_request_to_string(const struct berth_label *l) {
        char *s;
        if (xasprintf(&s, "%s%s%s%s%s%s%s%s%s%s", l->type ? " type:" : "", l->type ?: "", l->level ? " level:" : "",
                      l->level ?: "", l->user ? " user:" : "", l->user ?: "", l->role ? " role:" : "", l->role ?: "",
                      l->filetype ? " filetype:" : "", l->filetype ?: "") < 0)
                return NULL;
        return s;
}

/* ---- host state ---- */

bool label_selinux_enabled(void) {
#if HAVE_SELINUX
        return is_selinux_enabled() > 0;
#else
        /* Without libselinux we cannot label, but must still know whether we are asked to run
         * on a host that enforces labels, so that a requested label fails closed. */
        struct statfs sfs;
        return statfs("/sys/fs/selinux", &sfs) == 0 && (unsigned long) sfs.f_type == SELINUX_MAGIC &&
               access("/sys/fs/selinux/enforce", F_OK) == 0;
#endif
}

/* ---- the plan ---- */

void label_plan_done(struct berth_label_plan *p) {
        free(p->process_label);
        free(p->file_label);
        *p = (struct berth_label_plan){};
}

void label_plan_release(const struct berth_spec *s, const char *runtime_dir) {
        _cleanup_free_ char *name = mcs_record_name(s->name);
        if (name)
                mcs_release(runtime_dir, name);
}

int label_plan_hand_over(const struct berth_label_plan *p, const struct berth_spec *s, const char *runtime_dir,
                         pid_t holder) {
        _cleanup_free_ char *name = NULL;

        if (!p->apply)
                return 0;
        name = mcs_record_name(s->name);
        if (!name)
                return log_errno(-ENOMEM, "out of memory");
        return mcs_hand_over(runtime_dir, name, holder);
}

#if HAVE_SELINUX

static bool context_is_valid(const char *raw) {
        return security_check_context_raw(raw) == 0;
}

/* Docker's rule: a container that joins another's PID or IPC namespace shares its level,
 * or MCS would keep the two from the very processes and IPC objects they share. NULL when
 * there is none to share (no such join, or the other runs unlabelled). */
static int level_of_joined_container(const struct berth_spec *s, const char *runtime_dir, char **ret) {
        static const enum berth_ns_kind kinds[] = {BERTH_NS_PID, BERTH_NS_IPC};

        *ret = NULL;
        for (size_t i = 0; i < ELEMENTSOF(kinds); i++) {
                const struct berth_ns *ns = &s->ns[kinds[i]];
                int r;

                if (ns->mode != BERTH_NS_MODE_CONTAINER)
                        continue;
                r = mcs_live_level(runtime_dir, ns->target, ret);
                if (r == -ENOENT || r == -ESRCH)
                        continue;
                if (r < 0)
                        return log_errno(r, "cannot read the SELinux level of container '%s': %m", ns->target);
                return 0;
        }
        return 0;
}

static int label_plan_build_selinux(const struct berth_spec *s, const char *runtime_dir, struct berth_label_plan *ret) {
        _cleanup_(label_bases_done) struct label_bases bases = {};
        _cleanup_free_ char *name = NULL, *raw_level = NULL, *process = NULL, *file = NULL;
        const struct berth_label *l = &s->label;
        int r;

        r = label_bases_load(selinux_lxc_contexts_path(), &bases);
        if (r < 0)
                return r;
        name = mcs_record_name(s->name);
        if (!name)
                return log_errno(-ENOMEM, "out of memory");
        if (l->level) {
                r = label_level_to_raw(bases.process, l->level, &raw_level);
                if (r < 0)
                        return r;
        }

        if (!raw_level) {
                r = level_of_joined_container(s, runtime_dir, &raw_level);
                if (r < 0)
                        return r;
        }
        if (!raw_level) {
                _cleanup_free_ char *sensitivity = label_context_sensitivity(bases.process);

                if (!sensitivity)
                        return log_errno(-EINVAL, "cannot parse SELinux context '%s'", bases.process);
                r = mcs_reserve(runtime_dir, name, NULL, sensitivity, MCS_CATEGORIES, &raw_level);
        } else
                /* A given or shared level is recorded too, so random pairs keep away from it. */
                r = mcs_reserve(runtime_dir, name, raw_level, NULL, 0, NULL);
        if (r < 0)
                return r;
        r = label_compose_pair(&bases, l, raw_level, &process, &file);
        if (r >= 0 && !context_is_valid(process)) {
                /* libselinux hands a level it cannot translate back unchanged. */
                bool untranslated = l->level && !label_level_is_raw(l->level) && streq(l->level, raw_level);
                r = log_errno(-EINVAL, "SELinux process label '%s' is not valid in the loaded policy%s", process,
                              untranslated ? " (level not translated: is mcstransd running?)" : "");
        } else if (r >= 0 && !context_is_valid(file))
                r = log_errno(-EINVAL, "SELinux file label '%s' is not valid in the loaded policy", file);
        if (r < 0) {
                mcs_release(runtime_dir, name);
                return r;
        }

        ret->apply = true;
        ret->process_label = TAKE_PTR(process);
        ret->file_label = TAKE_PTR(file);
        return 0;
}

int label_plan_apply_exec(const struct berth_label_plan *p) {
        if (!p->apply)
                return 0;
        /* Raw: the plan holds the kernel's form already; no mcstransd round trip at exec. */
        if (setexeccon_raw(p->process_label) < 0)
                return log_errno(negative_errno(), "cannot set SELinux exec label '%s': %m", p->process_label);
        return 0;
}

int label_set_file(const char *path, const char *file_label) {
        if (!file_label)
                return 0;
        /* Follows symlinks: path may be /proc/self/fd/N for an O_PATH descriptor. */
        if (setfilecon_raw(path, file_label) < 0)
                return log_errno(negative_errno(), "cannot label %s as '%s': %m", path, file_label);
        return 0;
}

#else /* !HAVE_SELINUX */

int label_set_file(const char *path, const char *file_label) {
        if (!file_label)
                return 0;
        return log_errno(-EOPNOTSUPP, "cannot label %s as '%s': built without libselinux", path, file_label);
}

int label_plan_apply_exec(const struct berth_label_plan *p) {
        if (!p->apply)
                return 0;
        return log_errno(-EOPNOTSUPP, "cannot set SELinux exec label '%s': built without libselinux", p->process_label);
}

#endif

int label_plan_build(const struct berth_spec *s, const char *runtime_dir, struct berth_label_plan *ret) {
        _cleanup_free_ char *request = NULL;
        bool enabled = label_selinux_enabled(), requested = label_requested(&s->label);

        *ret = (struct berth_label_plan){};
        if (requested) {
                request = label_request_to_string(&s->label);
                if (!request)
                        return log_errno(-ENOMEM, "out of memory");
        }

        if (s->label.disable) {
                if (enabled)
                        log_notice("SELinux labelling disabled on request (label=disable): the payload keeps berth-exec's context");
                return 0;
        }
        if (spec_label_disabled_by_namespaces(s)) {
                bool pid = s->ns[BERTH_NS_PID].mode == BERTH_NS_MODE_HOST;
                /* Docker's rule: sharing the host's PID or IPC namespace reaches host processes
                 * whatever the label, so the container is not labelled at all. */
                if (enabled || requested)
                        log_notice("SELinux labelling off: the container shares the host's %s namespace (--%s=host, as Docker does)%s%s",
                                   pid ? "PID" : "IPC", pid ? "pid" : "ipc", requested ? "; ignoring label" : "",
                                   requested ? request : "");
                return 0;
        }
        if (!enabled) {
                if (requested)
                        log_notice("SELinux is disabled on this host; ignoring label%s", request);
                return 0;
        }
#if HAVE_SELINUX
        return label_plan_build_selinux(s, runtime_dir, ret);
#else
        if (requested)
                return log_errno(-EOPNOTSUPP, "cannot apply SELinux label%s: SELinux is enabled but berth was built without libselinux",
                                 request);
        log_notice("SELinux is enabled but berth was built without libselinux: the payload runs unlabelled");
        return 0;
#endif
}

/* ---- berth verify ---- */

#if HAVE_SELINUX
static struct berth_loc key_loc(const struct berth_loc *loc, const char *file_key, const char *opt_key) {
        /* A description names its keys; the command line its --security-opt forms. */
        return (struct berth_loc){
                .file = loc ? loc->file : NULL,
                .line = 0,
                .key = loc && loc->file ? file_key : opt_key,
        };
}

/* Whether a name exists, asked of the policy through a file context: with role object_r
 * the kernel checks that user, type and level exist (and the level is in the user's range)
 * but not which roles go with which types, so one setting can be judged on its own. */
static bool blame_undefined(const struct berth_loc *loc, const char *file_key, const char *opt_key, const char *what,
                            const char *value, const char *base_file, const char *user, const char *type,
                            const char *range) {
        _cleanup_free_ char *c = NULL;
        struct berth_loc l = key_loc(loc, file_key, opt_key);

        if (!value || label_context_compose(base_file, user, NULL, type, range, &c) < 0 || context_is_valid(c))
                return false;
        log_syntax(&l, -EINVAL, "SELinux %s '%s' is not defined in the loaded policy", what, value);
        return true;
}

int label_check_live(const struct berth_spec *s, const struct berth_loc *loc) {
        _cleanup_(label_bases_done) struct label_bases bases = {};
        _cleanup_free_ char *raw_level = NULL, *process = NULL, *file = NULL;
        const struct berth_label *l = &s->label;
        struct berth_loc whole = {.file = loc ? loc->file : NULL, .key = loc && loc->file ? NULL : "label"};
        bool blamed = false;
        int r;

        if (!label_selinux_enabled() || l->disable || spec_label_disabled_by_namespaces(s))
                return 0;
        r = label_bases_load(selinux_lxc_contexts_path(), &bases);
        if (r < 0)
                return r;
        if (l->level) {
                r = label_level_to_raw(bases.process, l->level, &raw_level);
                if (r < 0)
                        return r;
        }
        /* The labels berth-exec would build (with the level as given, or the policy's). */
        r = label_compose_pair(&bases, l, raw_level, &process, &file);
        if (r < 0)
                return r;
        if (context_is_valid(process) && context_is_valid(file))
                return 0;

        /* Name a setting the policy does not know; else it is how they combine. */
        blamed |= blame_undefined(loc, "SecurityLabelType", "label=type", "type", l->type, bases.file, NULL, l->type,
                                  NULL);
        blamed |= blame_undefined(loc, "SecurityLabelFileType", "label=filetype", "file type", l->filetype, bases.file,
                                  NULL, l->filetype, NULL);
        blamed |= blame_undefined(loc, "SecurityLabelUser", "label=user", "user", l->user, bases.file, l->user, NULL,
                                  NULL);
        blamed |= blame_undefined(loc, "SecurityLabelLevel", "label=level", "level", l->level, bases.file, NULL, NULL,
                                  raw_level);
        if (blamed)
                return -EINVAL;
        return log_syntax(&whole, -EINVAL,
                          "SELinux label '%s' is not valid in the loaded policy: its user, role, type and level do not go together",
                          process);
}
#else
int label_check_live(const struct berth_spec *s, const struct berth_loc *loc) {
        if (label_selinux_enabled() && !s->label.disable && label_requested(&s->label) &&
            !spec_label_disabled_by_namespaces(s))
                return log_syntax(loc, -EOPNOTSUPP, "cannot check SELinux labels: berth was built without libselinux");
        return 0;
}
#endif
