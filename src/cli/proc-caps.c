/* SPDX-License-Identifier: MIT */
#include "proc-caps.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "log.h"
#include "util.h"

static int parse_hex64(const char *s, uint64_t *ret) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 16);
        if (errno != 0 || end == s)
                return -EINVAL;
        *ret = v;
        return 0;
}

int proc_caps_read(const char *proc, pid_t pid, struct proc_caps *ret) {
        _cleanup_free_ char *path = NULL, *line = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        struct proc_caps c = {.pid = pid};
        unsigned seen = 0;
        size_t size = 0;

        if (xasprintf(&path, "%s/%d/status", proc, (int) pid) < 0)
                return -ENOMEM;
        f = fopen(path, "re");
        if (!f)
                return negative_errno();
        while (getline(&line, &size, f) > 0) {
                char *v = strchr(line, ':');
                unsigned ruid, euid;
                if (!v)
                        continue;
                *v++ = '\0';
                while (*v == '\t' || *v == ' ')
                        v++;
                v[strcspn(v, "\n")] = '\0';
                if (streq(line, "Name")) {
                        snprintf(c.comm, sizeof(c.comm), "%s", v);
                        seen |= 1;
                } else if (streq(line, "PPid")) {
                        c.ppid = (pid_t) atoi(v);
                        seen |= 2;
                } else if (streq(line, "Uid")) {
                        if (sscanf(v, "%u %u", &ruid, &euid) != 2)
                                return -EBADMSG;
                        c.uid = euid;
                        seen |= 4;
                } else if (streq(line, "CapInh") && parse_hex64(v, &c.inheritable) >= 0)
                        seen |= 8;
                else if (streq(line, "CapPrm") && parse_hex64(v, &c.permitted) >= 0)
                        seen |= 16;
                else if (streq(line, "CapEff") && parse_hex64(v, &c.effective) >= 0)
                        seen |= 32;
                else if (streq(line, "CapBnd") && parse_hex64(v, &c.bounding) >= 0)
                        seen |= 64;
                else if (streq(line, "CapAmb") && parse_hex64(v, &c.ambient) >= 0)
                        seen |= 128;
        }
        if (seen != 255)
                return -EBADMSG;
        *ret = c;
        return 0;
}

static int read_ppid(const char *proc, pid_t pid, pid_t *ret) {
        _cleanup_free_ char *path = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        char buf[512];
        const char *p;
        int ppid;

        if (xasprintf(&path, "%s/%d/stat", proc, (int) pid) < 0)
                return -ENOMEM;
        f = fopen(path, "re");
        if (!f)
                return negative_errno();
        if (!fgets(buf, sizeof(buf), f))
                return -EBADMSG;
        /* comm may contain spaces and parentheses: the fields resume after the last ')'. */
        p = strrchr(buf, ')');
        if (!p || sscanf(p + 1, " %*c %d", &ppid) != 1)
                return -EBADMSG;
        *ret = (pid_t) ppid;
        return 0;
}

int proc_tree(const char *proc, pid_t root, pid_t **ret, size_t *ret_n) {
        struct {
                pid_t pid, ppid;
        } *all = NULL;
        size_t n_all = 0, cap_all = 0, n = 0;
        _cleanup_free_ pid_t *tree = NULL;
        DIR *d;
        struct dirent *de;

        d = opendir(proc);
        if (!d)
                return negative_errno();
        while ((de = readdir(d))) {
                pid_t pid, ppid;
                if (!isdigit((unsigned char) de->d_name[0]))
                        continue;
                pid = (pid_t) atoi(de->d_name);
                if (read_ppid(proc, pid, &ppid) < 0)
                        continue; /* gone meanwhile */
                if (n_all == cap_all) {
                        void *t = realloc(all, (cap_all = cap_all * 2 + 64) * sizeof(*all));
                        if (!t) {
                                closedir(d);
                                free(all);
                                return -ENOMEM;
                        }
                        all = t;
                }
                all[n_all].pid = pid;
                all[n_all++].ppid = ppid;
        }
        closedir(d);

        tree = malloc((n_all + 1) * sizeof(pid_t));
        if (!tree) {
                free(all);
                return -ENOMEM;
        }
        tree[n++] = root;
        /* Breadth first: every process found is a child of one already in the tree. */
        for (size_t i = 0; i < n; i++)
                for (size_t j = 0; j < n_all; j++)
                        if (all[j].ppid == tree[i] && all[j].pid != root)
                                tree[n++] = all[j].pid;
        free(all);
        *ret = TAKE_PTR(tree);
        *ret_n = n;
        return 0;
}
