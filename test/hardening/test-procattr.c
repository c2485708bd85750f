/* SPDX-License-Identifier: MIT */
/* procattr_write() (issue 11, CVE-2019-16884 class): an LSM attribute is written only into
 * procfs. Each refusal is paired with the write by path that the refusal replaces, which
 * lands in an ordinary file: so each check here can fail. Needs root (a mount namespace and a
 * bind mount over /proc/thread-self/attr/exec). */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "procattr.h"
#include "tap.h"

#define LABEL "system_u:system_r:container_t:s0:c1,c2"

static off_t size_of(const char *path) {
        struct stat st;
        return stat(path, &st) == 0 ? st.st_size : -1;
}

static char *read_all(const char *path) {
        static char buf[256];
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (fd >= 0)
                close(fd);
        buf[n < 0 ? 0 : n] = '\0';
        return buf;
}

static int write_by_path(const char *path, const char *value) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        ssize_t n;
        if (fd < 0)
                return -errno;
        n = write(fd, value, strlen(value));
        close(fd);
        return n < 0 ? -errno : 0;
}

int main(void) {
        char dir[] = "/var/tmp/berth-procattr.XXXXXX", path[128], decoy[160];
        int fd, proc_fd, r;

        tap_no_plan();
        if (geteuid() != 0) {
                printf("1..0 # SKIP needs root\n");
                return 0;
        }
        if (!mkdtemp(dir))
                return perror("mkdtemp"), 1;

        /* 1. a directory laid out like procfs, which is not */
        snprintf(path, sizeof(path), "%s/thread-self", dir);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/thread-self/attr", dir);
        mkdir(path, 0755);
        snprintf(path, sizeof(path), "%s/thread-self/attr/exec", dir);
        close(open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
        fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
        r = procattr_write(fd, "exec", LABEL);
        is_int(r, -EXDEV, "a directory that is not procfs is refused as proc_fd (-EXDEV)");
        is_int((int) size_of(path), 0, "... and the label was not written into its attr/exec file");
        is_int(write_by_path(path, LABEL), 0, "control: that file takes the label when written by path");
        ok(strcmp(read_all(path), LABEL) == 0, "control: ... and holds it afterwards");
        close(fd);

        /* 2. the real procfs with an ordinary file bound over our attr/exec (a container's
         * mask or volume there would do the same) */
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                return perror("unshare"), 1;
        snprintf(decoy, sizeof(decoy), "%s/decoy", dir);
        close(open(decoy, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
        proc_fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
        r = mount(decoy, "/proc/thread-self/attr/exec", NULL, MS_BIND, NULL);
        ok(r == 0, "a file is bound over /proc/thread-self/attr/exec (%s)", r == 0 ? "ok" : strerror(errno));
        r = procattr_write(proc_fd, "exec", LABEL);
        ok(r == -EXDEV, "procattr_write through berth's procfs fd refuses it (%s)", r == 0 ? "written" : strerror(-r));
        is_int((int) size_of(decoy), 0, "... and the decoy file stayed empty");
        is_int(write_by_path("/proc/thread-self/attr/exec", LABEL), 0,
               "control: the write by path (what setexeccon does) succeeds ...");
        ok(strcmp(read_all(decoy), LABEL) == 0, "control: ... into the decoy file: the payload would run unlabelled");
        umount2("/proc/thread-self/attr/exec", MNT_DETACH);

        /* 3. the real procfs as it is: the write reaches the kernel's attribute (no LSM takes
         * this value here, so the kernel's answer is an error, but not our refusal) */
        r = procattr_write(proc_fd, "exec", "berth-test-not-a-label");
        ok(r != -EXDEV && r != -ENOENT, "on procfs the write reaches the kernel's attr/exec (%s)",
           r == 0 ? "accepted" : strerror(-r));
        close(proc_fd);

        unlink(path);
        unlink(decoy);
        snprintf(path, sizeof(path), "rm -rf '%s'", dir);
        (void) !system(path);
        return tap_done();
}
