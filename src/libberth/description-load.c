/* SPDX-License-Identifier: MIT */
/* One description read from the catalog (SPEC §2): [Defaults], the file, then its drop-ins in
 * order, checked as a whole. */
#include "description.h"
#include "description-internal.h"

#include <errno.h>

char *description_name_from_filename(const char *filename) {
        size_t n = strlen(filename), s = strlen(CONTAINER_SUFFIX);
        char *name;

        if (n <= s || !endswith(filename, CONTAINER_SUFFIX))
                return NULL;
        name = strndup(filename, n - s);
        if (name && !berth_name_is_valid(name)) {
                free(name);
                return NULL;
        }
        return name;
}

void description_done(struct berth_description *d) {
        free(d->name);
        free(d->path);
        strv_free(d->dropins);
        spec_done(&d->spec);
        entries_done(&d->passthrough);
        entries_done(&d->container);
        *d = (struct berth_description){};
}

/* container.d, then NAME@.container.d for templates and instances, then NAME.container.d. */
int dropin_owners(const char *name, char ***ret) {
        _cleanup_strv_free_ char **owners = NULL;
        const char *at = strchr(name, '@');
        int r;

        r = strv_extend(&owners, "container.d");
        if (r < 0)
                return r;
        if (at) {
                char *template_owner;
                r = xasprintf(&template_owner, "%.*s@" CONTAINER_SUFFIX ".d", (int) (at - name), name);
                if (r < 0)
                        return r;
                r = strv_push(&owners, template_owner);
                if (r < 0)
                        return r;
        }
        if (!at || at[1] != 0) {
                r = strv_push(&owners, strjoin(name, CONTAINER_SUFFIX ".d"));
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(owners);
        return 0;
}

/* A drop-in's entries, read on first use only: a global drop-in (container.d/) is parsed once
 * for all descriptions, and its syntax errors are reported once. */
static int dropin_entries(struct berth_catalog *c, struct berth_source *src, const struct berth_entries **ret) {
        if (!src->read) {
                src->read_result = source_read(c, src, &src->entries);
                src->read = true;
        }
        *ret = &src->entries;
        return src->read_result;
}

/* Appends the [section] entries of from to to, as [Container] entries (where a setting came
 * from, for checks made after reading). */
static int record_settings(struct berth_entries *to, const struct berth_entries *from, const char *section) {
        for (size_t i = 0; i < from->n; i++) {
                const struct berth_entry *e = &from->items[i];
                if (streq(e->section, section) &&
                    entries_append(to, "Container", e->key, e->value, e->file, e->line) < 0)
                        return -ENOMEM;
        }
        return 0;
}

int description_load(struct berth_catalog *c, const struct berth_source *unit_src, struct berth_description *ret) {
        /* units live in c->units, which c lets us change: reading one takes what was read ahead */
        struct berth_source *unit = (struct berth_source *) unit_src;
        _cleanup_(description_done) struct berth_description d = {};
        _cleanup_(entries_done) struct berth_entries entries = {};
        _cleanup_free_ struct berth_source **dropins = NULL;
        _cleanup_strv_free_ char **owners = NULL;
        _cleanup_free_ struct apply_counts *counts = apply_counts_new();
        struct berth_loc loc = {.file = unit->path};
        bool failed = false;
        int r;

        if (!counts)
                return log_errno(-ENOMEM, "out of memory");
        spec_init(&d.spec);
        d.name = description_name_from_filename(unit->name);
        if (!d.name)
                return log_syntax(
                        &loc, -EINVAL,
                        "invalid description name (NAME.container, NAME@.container or NAME@INSTANCE.container; "
                        "NAME: letters, digits, '_', '.', '-', at most 64)");
        d.path = strdup(unit->path);
        if (!d.path)
                return log_errno(-ENOMEM, "out of memory");
        d.is_template = endswith(d.name, "@");

        r = spec_set_name(&d.spec, d.name, &loc);
        if (r < 0)
                return r;
        if (d.is_template) {
                /* each instance is its own container: the unit expands %i at start */
                free(d.spec.name);
                d.spec.name = strjoin(d.name, "%i");
                if (!d.spec.name)
                        return log_errno(-ENOMEM, "out of memory");
        }

        r = dropin_owners(d.name, &owners);
        if (r >= 0)
                r = dropins_for(c, owners, &dropins);
        for (size_t i = 0; r >= 0 && dropins[i]; i++)
                r = strv_extend(&d.dropins, dropins[i]->path);
        if (r < 0)
                return log_errno(r, "out of memory");

        r = source_read(c, unit, &entries);
        if (r == -ENOMEM)
                return r;
        failed = r < 0;

        /* [Defaults] first (checked once when the catalog was loaded), then the file, then its
         * drop-ins in order: an empty assignment anywhere resets what came before. */
        r = description_apply_counted(&c->defaults, "Defaults", &d.spec, NULL, counts);
        if (r == -ENOMEM)
                return r;
        failed = failed || r < 0;
        r = description_apply_counted(&entries, "Container", &d.spec, &d.passthrough, counts);
        if (r == -ENOMEM)
                return r;
        failed = failed || r < 0;
        if (record_settings(&d.container, &c->defaults, "Defaults") < 0 ||
            record_settings(&d.container, &entries, "Container") < 0)
                return log_errno(-ENOMEM, "out of memory");
        for (size_t i = 0; dropins[i]; i++) {
                const struct berth_entries *e;
                r = dropin_entries(c, dropins[i], &e);
                if (r == -ENOMEM)
                        return r;
                failed = failed || r < 0;
                r = description_apply_counted(e, "Container", &d.spec, &d.passthrough, counts);
                if (r == -ENOMEM)
                        return r;
                failed = failed || r < 0;
                if (record_settings(&d.container, e, "Container") < 0)
                        return log_errno(-ENOMEM, "out of memory");
        }

        /* A container joining its own namespace, at the line that says so (spec_validate()
         * would only name the file). */
        for (int k = 0; !failed && k < _BERTH_NS_MAX; k++) {
                static const char *const ns_keys[_BERTH_NS_MAX] = {"PIDNamespace", "NetworkNamespace", "IPCNamespace",
                                                                   "UTSNamespace"};
                const struct berth_entry *e = entries_find_last(&d.container, "Container", ns_keys[k]);
                if (e && d.spec.ns[k].mode == BERTH_NS_MODE_CONTAINER && streq(d.spec.ns[k].target, d.spec.name)) {
                        struct berth_loc l = {.file = e->file, .line = e->line, .key = e->key};
                        log_syntax(&l, -EINVAL, "a container cannot join its own namespace ('container:%s')",
                                   d.spec.name);
                        failed = true;
                }
        }
        /* Whole-spec rules (required keys, contradictions) only make sense once every key was
         * read; after a bad value they would only repeat it in other words. */
        if (!failed && spec_validate(&d.spec, &loc) < 0)
                failed = true;
        if (failed)
                return -EINVAL;
        for (int k = 0; k < _BERTH_NS_MAX; k++)
                if (d.spec.ns[k].mode == BERTH_NS_MODE_CONTAINER)
                        d.join_is_description[k] = catalog_has_description(c, d.spec.ns[k].target);
        *ret = d;
        d = (struct berth_description){};
        return 0;
}
