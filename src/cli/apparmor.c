/* SPDX-License-Identifier: MIT */
/* berth apparmor [--write] NAME: the AppArmor profile for container NAME, derived from
 * berth-default and NAME's description (capabilities, volumes, tmpfs). Printed, or with
 * --write installed as /etc/apparmor.d/berth.NAME, loaded where AppArmor is on, and named
 * in a drop-in NAME.container.d/apparmor.conf in the first directory of the search path. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apparmor/apparmor.h"
#include "capability.h"
#include "description.h"
#include "verbs.h"

static void apparmor_usage(FILE *f) {
        fputs("usage: berth apparmor [--write] NAME\n"
              "  Prints the AppArmor profile berth.NAME derived from NAME's description.\n"
              "  --write installs it as /etc/apparmor.d/berth.NAME (BERTH_APPARMOR_DIR),\n"
              "  loads it (apparmor_parser -r -W) where AppArmor is enabled, and adds the\n"
              "  drop-in NAME.container.d/apparmor.conf with AppArmorProfile=berth.NAME.\n",
              f);
}

/* Writes text to dir/name through a temporary file renamed over it. */
static int write_file_atomic(const char *dir, const char *name, const char *text, char **ret_path) {
        _cleanup_free_ char *path = strjoin(dir, "/", name), *tmp = strjoin(dir, "/.", name, ".tmp");
        _cleanup_close_ int fd = -1;
        size_t n = strlen(text);

        if (!path || !tmp)
                return -ENOMEM;
        fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0)
                return negative_errno();
        if (write(fd, text, n) != (ssize_t) n || fsync(fd) < 0 || rename(tmp, path) < 0) {
                int r = errno ? negative_errno() : -EIO;
                (void) unlink(tmp);
                return r;
        }
        *ret_path = TAKE_PTR(path);
        return 0;
}

static int ensure_dir(const char *path) {
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return 0;
}

static int install(char *const *search, const char *name, const char *profile_name, const char *profile) {
        const char *aa_dir = getenv("BERTH_APPARMOR_DIR") ?: APPARMOR_PROFILE_DIR;
        _cleanup_free_ char *profile_path = NULL, *dropin_dir = NULL, *dropin_path = NULL, *dropin = NULL;
        int r;

        r = ensure_dir(aa_dir);
        if (r >= 0)
                r = write_file_atomic(aa_dir, profile_name, profile, &profile_path);
        if (r < 0)
                return log_errno(r, "%s/%s: %m", aa_dir, profile_name);
        printf("wrote %s\n", profile_path);

        if (apparmor_is_enabled()) {
                r = apparmor_parser_replace(profile_path);
                if (r < 0)
                        return log_errno(r, "apparmor_parser -r -W %s: %s", profile_path, apparmor_parser_strerror(r));
                printf("loaded %s\n", profile_name);
        } else
                printf("AppArmor is not enabled here: %s is not loaded\n", profile_name);

        if (!search || !search[0])
                return log_errno(-ENOENT, "no search directory for the drop-in");
        dropin_dir = strjoin(search[0], "/", name, ".container.d");
        dropin = strjoin("# written by berth apparmor ", name, "\n[Container]\nAppArmorProfile=", profile_name, "\n");
        if (!dropin_dir || !dropin)
                return log_errno(-ENOMEM, "out of memory");
        r = ensure_dir(dropin_dir);
        if (r >= 0)
                r = write_file_atomic(dropin_dir, "apparmor.conf", dropin, &dropin_path);
        if (r < 0)
                return log_errno(r, "%s/apparmor.conf: %m", dropin_dir);
        printf("wrote %s\n", dropin_path);
        return 0;
}

static int apparmor_for(char *const *search, const char *name, bool write) {
        _cleanup_(description_done) struct berth_description d = {};
        _cleanup_free_ char *profile_name = NULL, *profile = NULL;
        struct berth_catalog catalog = {};
        const struct berth_source *src;
        struct strbuf out = {};
        uint64_t caps;
        int r;

        r = catalog_load(search, &catalog);
        if (r < 0)
                goto finish;
        src = catalog_find(&catalog, name);
        if (!src || src->masked) {
                r = log_errno(-ENOENT, "%s: no description %s.container in the search path", name, name);
                goto finish;
        }
        r = description_load(&catalog, src, &d);
        if (r < 0)
                goto finish;
        r = capset_from_lists(d.spec.cap_add, d.spec.cap_drop, capability_read_last_cap(), NULL, NULL, &caps);
        if (r < 0)
                goto finish;
        profile_name = strjoin("berth.", name);
        if (!profile_name) {
                r = log_errno(-ENOMEM, "out of memory");
                goto finish;
        }
        r = apparmor_profile_derive(apparmor_berth_default_template, profile_name, caps, &d.spec, &out);
        profile = strbuf_steal(&out);
        if (r >= 0 && !profile)
                r = -ENOMEM;
        if (r < 0) {
                r = log_errno(r, "%s: cannot derive the AppArmor profile %s: %m", name, profile_name);
                goto finish;
        }
        if (write)
                r = install(search, name, profile_name, profile);
        else
                fputs(profile, stdout);
finish:
        strbuf_done(&out);
        catalog_done(&catalog);
        return r;
}

int verb_apparmor(int argc, char **argv) {
        static const struct option options[] = {
                {"write", no_argument, NULL, 'w'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        _cleanup_strv_free_ char **search = NULL;
        bool write = false;
        int c, r;

        optind = 0;
        while ((c = getopt_long(argc, argv, "wh", options, NULL)) >= 0)
                switch (c) {
                case 'w':
                        write = true;
                        break;
                case 'h':
                        apparmor_usage(stdout);
                        return 0;
                default:
                        apparmor_usage(stderr);
                        return 2;
                }
        if (optind + 1 != argc) {
                apparmor_usage(stderr);
                return 2;
        }
        if (!berth_name_is_valid(argv[optind]) || !apparmor_profile_name_is_valid(argv[optind])) {
                log_error("'%s' is not a valid container name", argv[optind]);
                return 2;
        }
        r = description_search_path(&search);
        if (r < 0)
                return log_errno(r, "cannot build the search path: %m"), 1;
        return apparmor_for(search, argv[optind], write) < 0 ? 1 : 0;
}
