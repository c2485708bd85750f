/* SPDX-License-Identifier: MIT */
#include "rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "inroot.h"
#include "label.h"
#include "log.h"
#include "util.h"

/* Mount options with an SELinux context appended when labelling is on. The context holds
 * commas (s0:c1,c2), hence the quotes. */
static char *options_with_label(const char *options, const char *file_label) {
        if (!file_label)
                return strdup(options ?: "");
        if (isempty(options))
                return strjoin("context=\"", file_label, "\"");
        return strjoin(options, ",context=\"", file_label, "\"");
}

static int mount_fs_at(int fd, const char *source, const char *fstype, unsigned long flags, const char *data) {
        char buf[FD_PATH_MAX];
        if (mount(source, fd_path(fd, buf), fstype, flags, data) < 0)
                return negative_errno();
        return 0;
}

/* Mount flags of the mount fd is on, for a remount that must not clear them. */
static unsigned long mount_flags_of(int fd) {
        static const struct {
                unsigned long st, ms;
        } map[] = {
                {ST_NOSUID, MS_NOSUID},     {ST_NODEV, MS_NODEV},         {ST_NOEXEC, MS_NOEXEC},
                {ST_NOATIME, MS_NOATIME},   {ST_NODIRATIME, MS_NODIRATIME}, {ST_RELATIME, MS_RELATIME},
        };
        struct statvfs sv;
        unsigned long flags = 0;

        if (fstatvfs(fd, &sv) < 0)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(map); i++)
                if (sv.f_flag & map[i].st)
                        flags |= map[i].ms;
        return flags;
}

/* Adds flags (MS_RDONLY, MS_NODEV) to the mount whose root fd is, keeping its other flags
 * (classic API). */
static int remount_adding(int fd, unsigned long flags) {
        char buf[FD_PATH_MAX];
        if (mount("none", fd_path(fd, buf), "none", MS_REMOUNT | MS_BIND | flags | mount_flags_of(fd), NULL) < 0)
                return negative_errno();
        return 0;
}

static int remount_readonly(int fd) {
        return remount_adding(fd, MS_RDONLY);
}

static bool same_inode(int a, int b) {
        struct stat sa, sb;
        return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static unsigned long ms_flags_of_attrs(unsigned attrs) {
        return (attrs & MOUNT_ATTR_RDONLY ? MS_RDONLY : 0) | (attrs & MOUNT_ATTR_NODEV ? MS_NODEV : 0);
}

/* The classic mount(2) way, for kernels (and valgrind) without the new mount API. The
 * remount that adds read-only or nodev needs the new mount itself, found again as `inside`
 * from the root; it covers the top mount only. What is found again must be the tree just
 * bound (the same inode as the source), or a rename racing us (CVE-2021-30465) would leave
 * the volume writable or with devices: then nothing runs. */
static int bind_onto_classic(int dirfd, const char *path, int target_fd, unsigned attrs, int rootfd,
                             const char *inside) {
        char src[FD_PATH_MAX], dst[FD_PATH_MAX];
        _cleanup_close_ int mounted = -1, source_fd = -1;
        const char *source = isempty(path) ? fd_path(dirfd, src) : path;

        if (mount(source, fd_path(target_fd, dst), "none", MS_BIND | MS_REC, NULL) < 0)
                return negative_errno();
        if (!attrs)
                return 0;
        if (rootfd < 0 || !inside)
                return 0; /* the root's own bind: rootfs_bind_root() adds the flags */
        source_fd = isempty(path) ? fcntl(dirfd, F_DUPFD_CLOEXEC, 3) : openat(dirfd, path, O_PATH | O_CLOEXEC);
        if (source_fd < 0)
                return negative_errno();
        mounted = inroot_open(rootfd, inside, O_PATH);
        if (mounted < 0)
                return mounted;
        if (!same_inode(mounted, source_fd))
                return -ESTALE;
        return remount_adding(mounted, ms_flags_of_attrs(attrs));
}

/* A copy of the tree at (dirfd, path), with attrs (MOUNT_ATTR_RDONLY, MOUNT_ATTR_NODEV) set
 * recursively, attached on top of target_fd, which is `inside` in the root (rootfd). The new
 * mount API lets us set them before anything can see the tree without them, and works for a
 * tree that is also its own target (read-only paths). */
static int bind_onto(int dirfd, const char *path, int target_fd, unsigned attrs, int rootfd, const char *inside) {
        _cleanup_close_ int tree = -1;
        unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | (isempty(path) ? AT_EMPTY_PATH : 0);

        tree = open_tree(dirfd, path ?: "", flags);
        if (tree < 0 && errno == ENOSYS)
                return bind_onto_classic(dirfd, path, target_fd, attrs, rootfd, inside);
        if (tree < 0)
                return negative_errno();
        if (attrs) {
                struct mount_attr attr = {.attr_set = attrs};
                if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
                        return negative_errno();
        }
        if (move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                return negative_errno();
        return 0;
}

int rootfs_make_mounts_private(void) {
        if (mount("none", "/", "none", MS_REC | MS_SLAVE, NULL) < 0)
                return log_errno(negative_errno(), "make / a slave mount: %m");
        return 0;
}

int rootfs_bind_root(const char *rootfs, int *ret_rootfd) {
        _cleanup_close_ int dir = -1;
        int r, fd;

        dir = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dir < 0)
                return log_errno(negative_errno(), "rootfs %s: %m", rootfs);
        /* nodev: a device node shipped in the root (or made in it with MKNOD) opens nothing;
         * the container's devices are bound in from the host's /dev one by one. */
        r = bind_onto(dir, "", dir, MOUNT_ATTR_NODEV, -1, NULL);
        if (r < 0)
                return log_errno(r, "bind rootfs %s: %m", rootfs);
        /* Opened again: the old fd still points below the new mount. */
        fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_errno(negative_errno(), "rootfs %s: %m", rootfs);
        if (!(mount_flags_of(fd) & MS_NODEV)) {
                /* the classic API's bind (no open_tree) left it to us */
                r = remount_adding(fd, MS_NODEV);
                if (r < 0) {
                        close(fd);
                        return log_errno(r, "bind rootfs %s: nodev: %m", rootfs);
                }
        }
        *ret_rootfd = fd;
        return 0;
}

/* The directory a kernel file system (/proc, /sys, /dev and below) is mounted on, created
 * when the root lacks it. Never through a symlink: a root whose /proc leads elsewhere
 * (CVE-2019-19921) is refused. */
static int mountpoint_dir(int rootfd, const char *path, const char *step) {
        int fd = inroot_open_nofollow(rootfd, path, O_PATH | O_DIRECTORY);

        if (fd == -ENOENT) {
                fd = inroot_mkdir_p(rootfd, path);
                if (fd >= 0) {
                        close(fd);
                        fd = inroot_open_nofollow(rootfd, path, O_PATH | O_DIRECTORY);
                }
        }
        if (fd == -ELOOP)
                return log_errno(fd, "%s: mount point %s is a symlink in the root: refused", step, path);
        if (fd < 0)
                return log_errno(fd, "%s: mount point %s: %m", step, path);
        return fd;
}

static bool fd_fs_is(int fd, long magic) {
        struct statfs sf;
        return fstatfs(fd, &sf) == 0 && sf.f_type == magic;
}

int rootfs_mount_proc(int rootfd) {
        _cleanup_close_ int fd = mountpoint_dir(rootfd, "/proc", "mount /proc");
        int r;

        if (fd < 0)
                return fd;
        r = mount_fs_at(fd, "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        if (r < 0)
                return log_errno(r, "mount /proc: %m");
        return 0;
}

int rootfs_open_proc(int rootfd, int *ret_proc_fd) {
        int proc_fd = inroot_open_nofollow(rootfd, "/proc", O_PATH | O_DIRECTORY);

        if (proc_fd == -ELOOP)
                return log_errno(proc_fd, "open /proc: it is a symlink in the root: refused");
        if (proc_fd < 0)
                return log_errno(proc_fd, "open /proc: %m");
        if (!fd_fs_is(proc_fd, PROC_SUPER_MAGIC)) {
                close(proc_fd);
                return log_errno(-EXDEV, "open /proc: what is there is not the procfs berth-exec mounted");
        }
        *ret_proc_fd = proc_fd;
        return 0;
}

static const char *const kernel_mounts[] = {"/proc", "/sys", "/dev", "/dev/pts"};

/* Where the kernel file systems berth mounted are (device and inode of each of
 * kernel_mounts[]), read once for a list of masks or read-only paths. They cannot move while
 * such a list is applied: each of its mounts is checked not to land on one of them, /dev is
 * itself one (so nothing covers /dev/pts's parent), and a mount on the root directory does
 * not change what a walk from rootfd finds (the walk starts below anything stacked on its
 * starting point). */
struct kernel_mount_ids {
        struct stat st[ELEMENTSOF(kernel_mounts)];
};

static int kernel_mount_ids_load(int rootfd, struct kernel_mount_ids *ids, const char *step, const char *path) {
        for (size_t i = 0; i < ELEMENTSOF(kernel_mounts); i++) {
                _cleanup_close_ int k = inroot_open_nofollow(rootfd, kernel_mounts[i], O_PATH | O_DIRECTORY);

                if (k < 0 || fstat(k, &ids->st[i]) < 0)
                        return log_errno(k < 0 ? k : negative_errno(), "%s %s: cannot check the target against %s: %m",
                                         step, path, kernel_mounts[i]);
        }
        return 0;
}

/* Whether a mount at fd (inside the root) may be made; logs "STEP PATH: ..." when not. The
 * kernel file systems berth mounted stay as they are: nothing is mounted on procfs or sysfs
 * (a tmpfs over /proc would take the exec label into an ordinary file: CVE-2019-16884), and
 * nothing replaces /proc, /sys, /dev or /dev/pts as a whole. mask: Docker's masks and
 * read-only paths live inside /proc and /sys by design; they may cover a file or directory
 * there, not the whole. Anything that cannot be checked is refused too. ids: the kernel
 * mounts' identities read before (kernel_mount_ids_load()), or NULL to read them now. */
static int check_mount_target(int rootfd, int fd, bool mask, const char *step, const char *path,
                              const struct kernel_mount_ids *ids) {
        struct kernel_mount_ids now;
        struct statfs sf;
        struct stat st;
        int r;

        if (fstatfs(fd, &sf) < 0 || fstat(fd, &st) < 0)
                return log_errno(negative_errno(), "%s %s: cannot check the target: %m", step, path);
        if (!mask && (sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC))
                return log_errno(-EPERM, "%s %s: refused: the target is on %s", step, path,
                                 sf.f_type == PROC_SUPER_MAGIC ? "procfs (/proc)" : "sysfs (/sys)");
        if (!ids) {
                r = kernel_mount_ids_load(rootfd, &now, step, path);
                if (r < 0)
                        return r;
                ids = &now;
        }
        for (size_t i = 0; i < ELEMENTSOF(kernel_mounts); i++)
                if (ids->st[i].st_dev == st.st_dev && ids->st[i].st_ino == st.st_ino)
                        return log_errno(-EPERM, "%s %s: refused: it would %s %s, a kernel file system berth mounted",
                                         step, path, mask ? "hide the whole of" : "replace", kernel_mounts[i]);
        return 0;
}

int rootfs_mount_sys(int rootfd) {
        _cleanup_close_ int fd = mountpoint_dir(rootfd, "/sys", "mount /sys");
        int r;

        if (fd < 0)
                return fd;
        r = mount_fs_at(fd, "sysfs", "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
        if (r == -EPERM) {
                /* sysfs of a network namespace we do not own cannot be mounted: show the
                 * host's, read-only, as Docker does in that case. */
                _cleanup_close_ int host = open("/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
                r = host < 0 ? negative_errno() : bind_onto(host, "", fd, MOUNT_ATTR_RDONLY, rootfd, "/sys");
        }
        if (r < 0)
                return log_errno(r, "mount /sys: %m");
        return 0;
}

static int mount_dev_fs(int rootfd, const char *path, const char *fstype, unsigned long flags, const char *options,
                        const char *file_label) {
        _cleanup_free_ char *data = options_with_label(options, file_label);
        _cleanup_close_ int fd = -1;
        int r;

        if (!data)
                return log_errno(-ENOMEM, "mount %s: %m", path);
        fd = mountpoint_dir(rootfd, path, "mount /dev");
        if (fd < 0)
                return fd;
        r = mount_fs_at(fd, fstype, fstype, flags, isempty(data) ? NULL : data);
        if (r < 0)
                return log_errno(r, "mount %s (%s): %m", path, fstype);
        return 0;
}

static int label_mount_root(int rootfd, const char *path, const char *file_label) {
        _cleanup_close_ int fd = -1;
        char buf[FD_PATH_MAX];

        if (!file_label)
                return 0;
        fd = inroot_open(rootfd, path, O_PATH | O_DIRECTORY);
        if (fd < 0)
                return log_errno(fd, "label %s: %m", path);
        return label_set_file(fd_path(fd, buf), file_label);
}

/* One of the standard devices: the host's node bound onto a new empty file in our /dev
 * (which is nodev: nothing made there opens a device). Checked to be what its name says. */
static int bind_standard_device(int rootfd, int dev, const char *name, unsigned major, unsigned minor) {
        _cleanup_free_ char *host_path = strjoin("/dev/", name);
        _cleanup_close_ int host = -1, target = -1;
        struct stat st;
        int r;

        if (!host_path)
                return log_errno(-ENOMEM, "mount /dev: %m");
        host = open(host_path, O_PATH | O_CLOEXEC);
        if (host < 0 || fstat(host, &st) < 0)
                return log_errno(negative_errno(), "mount /dev: the host's %s: %m", host_path);
        if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(major, minor))
                return log_errno(-ENODEV, "mount /dev: the host's %s is not the character device %u:%u", host_path,
                                 major, minor);
        /* an empty regular file to bind onto: mknodat() makes it without an fd to close
         * (fails on anything already there, follows no symlink) */
        if (mknodat(dev, name, S_IFREG | 0644, 0) < 0)
                return log_errno(negative_errno(), "mount /dev: create /dev/%s: %m", name);
        target = openat(dev, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (target < 0)
                return log_errno(negative_errno(), "mount /dev: /dev/%s: %m", name);
        r = bind_onto(host, "", target, 0, rootfd, host_path);
        if (r < 0)
                return log_errno(r, "mount /dev: bind %s: %m", host_path);
        return 0;
}

int rootfs_mount_dev(int rootfd, const char *file_label) {
        static const struct {
                const char *name;
                unsigned major, minor;
        } devices[] = {
                /* berth_standard_devices[], with the numbers they must have */
                {"null", 1, 3}, {"zero", 1, 5}, {"full", 1, 7}, {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
        };
        static const struct {
                const char *name, *target;
        } links[] = {
                {"ptmx", "pts/ptmx"},
                {"fd", "/proc/self/fd"},
                {"stdin", "/proc/self/fd/0"},
                {"stdout", "/proc/self/fd/1"},
                {"stderr", "/proc/self/fd/2"},
        };
        _cleanup_close_ int dev = -1;
        int r;

        r = mount_dev_fs(rootfd, "/dev", "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME, "mode=755,size=65536k",
                         file_label);
        if (r < 0)
                return r;
        dev = inroot_open(rootfd, "/dev", O_PATH | O_DIRECTORY);
        if (dev < 0)
                return log_errno(dev, "mount /dev: %m");

        for (size_t i = 0; i < ELEMENTSOF(devices); i++) {
                r = bind_standard_device(rootfd, dev, devices[i].name, devices[i].major, devices[i].minor);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(links); i++)
                if (symlinkat(links[i].target, dev, links[i].name) < 0)
                        return log_errno(negative_errno(), "mount /dev: symlink /dev/%s: %m", links[i].name);

        r = mount_dev_fs(rootfd, "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5",
                         file_label);
        if (r < 0)
                return r;
        r = mount_dev_fs(rootfd, "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=1777,size=65536k",
                         file_label);
        if (r < 0)
                return r;
        /* The kernel creates an IPC namespace's mqueue superblock with the namespace, so a
         * context= option would clash with it (EINVAL): label its root after mounting. */
        r = mount_dev_fs(rootfd, "/dev/mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, NULL);
        if (r < 0)
                return r;
        return label_mount_root(rootfd, "/dev/mqueue", file_label);
}

int rootfs_mount_volumes(int rootfd, const struct berth_volume *volumes, size_t n) {
        for (size_t i = 0; i < n; i++) {
                const struct berth_volume *v = &volumes[i];
                _cleanup_close_ int source = -1, target = -1;
                struct stat st;
                int r;

                source = open(v->source, O_PATH | O_CLOEXEC);
                if (source < 0 || fstat(source, &st) < 0)
                        return log_errno(negative_errno(), "volume %s: %m", v->source);
                /* A file is bound onto a file, a directory onto a directory. */
                target = S_ISDIR(st.st_mode) ? inroot_mkdir_p(rootfd, v->target) : inroot_touch(rootfd, v->target);
                if (target < 0)
                        return log_errno(target, "volume %s:%s: target %s: %m", v->source, v->target, v->target);
                r = check_mount_target(rootfd, target, false, "volume", v->target, NULL);
                if (r < 0)
                        return r;
                /* nodev, as the root: a volume's device nodes open nothing either */
                r = bind_onto(source, "", target, MOUNT_ATTR_NODEV | (v->read_only ? MOUNT_ATTR_RDONLY : 0), rootfd,
                              v->target);
                if (r < 0)
                        return log_errno(r, "volume %s:%s: %m", v->source, v->target);
        }
        return 0;
}

/* "size=64m,mode=1777,ro,noexec": flag words become mount flags, the rest stays data. */
static int parse_mount_options(const char *options, unsigned long *flags, char **ret_data) {
        static const struct {
                const char *name;
                unsigned long set, clear;
        } words[] = {
                {"ro", MS_RDONLY, 0},         {"rw", 0, MS_RDONLY},         {"nosuid", MS_NOSUID, 0},
                /* no "suid" or "dev": a container's tmpfs stays nosuid,nodev (the option
                 * parser refuses them too; this is the second line of defence) */
                {"nodev", MS_NODEV, 0},
                {"noexec", MS_NOEXEC, 0},     {"exec", 0, MS_NOEXEC},       {"sync", MS_SYNCHRONOUS, 0},
                {"async", 0, MS_SYNCHRONOUS}, {"noatime", MS_NOATIME, 0},   {"atime", 0, MS_NOATIME},
                {"relatime", MS_RELATIME, 0}, {"strictatime", MS_STRICTATIME, 0}, {"nodiratime", MS_NODIRATIME, 0},
        };
        _cleanup_free_ char *copy = strdup(options ?: ""), *data = strdup("");
        char *save = NULL;

        if (!copy || !data)
                return -ENOMEM;
        for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
                bool matched = false;
                for (size_t i = 0; i < ELEMENTSOF(words); i++)
                        if (streq(w, words[i].name)) {
                                *flags = (*flags | words[i].set) & ~words[i].clear;
                                matched = true;
                        }
                if (!matched) {
                        char *d = *data ? strjoin(data, ",", w) : strdup(w);
                        if (!d)
                                return -ENOMEM;
                        free(data);
                        data = d;
                }
        }
        *ret_data = TAKE_PTR(data);
        return 0;
}

int rootfs_mount_tmpfs(int rootfd, const struct berth_tmpfs *tmpfs, size_t n, const char *file_label) {
        for (size_t i = 0; i < n; i++) {
                const struct berth_tmpfs *t = &tmpfs[i];
                /* docker run --tmpfs defaults */
                unsigned long flags = MS_NOSUID | MS_NODEV | MS_NOEXEC;
                _cleanup_free_ char *data = NULL, *labelled = NULL;
                _cleanup_close_ int fd = -1;
                int r;

                r = parse_mount_options(t->options, &flags, &data);
                if (r >= 0 && !(labelled = options_with_label(data, file_label)))
                        r = -ENOMEM;
                if (r < 0)
                        return log_errno(r, "tmpfs %s: %m", t->target);
                fd = inroot_mkdir_p(rootfd, t->target);
                if (fd < 0)
                        return log_errno(fd, "tmpfs %s: mount point: %m", t->target);
                r = check_mount_target(rootfd, fd, false, "tmpfs", t->target, NULL);
                if (r < 0)
                        return r;
                /* nodev whatever the options say (they cannot say dev) */
                flags |= MS_NODEV;
                r = mount_fs_at(fd, "tmpfs", "tmpfs", flags, isempty(labelled) ? NULL : labelled);
                if (r < 0)
                        return log_errno(r, "tmpfs %s%s%s: %m", t->target, t->options ? ":" : "", t->options ?: "");
        }
        return 0;
}

int rootfs_check_devices(const struct berth_device *devices, size_t n) {
        for (size_t i = 0; i < n; i++) {
                struct stat st;
                if (stat(devices[i].source, &st) < 0)
                        return log_errno(negative_errno(), "device %s: %m", devices[i].source);
                if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
                        return log_errno(-ENODEV, "device %s: not a character or block device", devices[i].source);
        }
        return 0;
}

int rootfs_bind_devices(int rootfd, const struct berth_device *devices, size_t n) {
        for (size_t i = 0; i < n; i++) {
                const struct berth_device *d = &devices[i];
                _cleanup_close_ int source = -1, target = -1;
                struct stat st;
                int r;

                source = open(d->source, O_PATH | O_CLOEXEC);
                if (source < 0 || fstat(source, &st) < 0)
                        return log_errno(negative_errno(), "device %s: %m", d->source);
                if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
                        return log_errno(-ENODEV, "device %s: not a character or block device", d->source);
                target = inroot_touch(rootfd, d->target);
                if (target < 0)
                        return log_errno(target, "device %s:%s: target: %m", d->source, d->target);
                r = check_mount_target(rootfd, target, false, "device", d->target, NULL);
                if (r < 0)
                        return r;
                r = bind_onto(source, "", target, 0, rootfd, d->target);
                if (r < 0)
                        return log_errno(r, "device %s:%s: %m", d->source, d->target);
        }
        return 0;
}

int rootfs_bind_file(int rootfd, const char *host_path, const char *inside) {
        _cleanup_close_ int target = inroot_touch(rootfd, inside);
        int r;

        if (target < 0)
                return log_errno(target, "bind %s to %s: %m", host_path, inside);
        r = check_mount_target(rootfd, target, false, "bind to", inside, NULL);
        if (r < 0)
                return r;
        r = bind_onto(AT_FDCWD, host_path, target, 0, rootfd, inside);
        if (r < 0)
                return log_errno(r, "bind %s to %s: %m", host_path, inside);
        return 0;
}

int rootfs_mask_paths(int rootfd, char *const *paths, const char *file_label) {
        _cleanup_free_ char *data = options_with_label("mode=0555", file_label);
        struct kernel_mount_ids ids;
        bool have_ids = false;

        if (!data)
                return log_errno(-ENOMEM, "mask: %m");
        STRV_FOREACH(p, paths) {
                _cleanup_close_ int fd = inroot_open(rootfd, *p, O_PATH);
                struct stat st;
                int r;

                if (fd == -ENOENT)
                        continue; /* nothing to hide */
                if (fd < 0 || fstat(fd, &st) < 0)
                        return log_errno(fd < 0 ? fd : negative_errno(), "mask %s: %m", *p);
                if (!have_ids) {
                        r = kernel_mount_ids_load(rootfd, &ids, "mask", *p);
                        if (r < 0)
                                return r;
                        have_ids = true;
                }
                r = check_mount_target(rootfd, fd, true, "mask", *p, &ids);
                if (r < 0)
                        return r;
                if (S_ISDIR(st.st_mode))
                        r = mount_fs_at(fd, "tmpfs", "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, data);
                else
                        /* writes to /dev/null go nowhere: no need for read-only */
                        r = bind_onto(AT_FDCWD, "/dev/null", fd, 0, rootfd, *p);
                if (r < 0)
                        return log_errno(r, "mask %s: %m", *p);
        }
        return 0;
}

int rootfs_readonly_paths(int rootfd, char *const *paths) {
        struct kernel_mount_ids ids;
        bool have_ids = false;

        STRV_FOREACH(p, paths) {
                _cleanup_close_ int fd = inroot_open(rootfd, *p, O_PATH);
                int r;

                if (fd == -ENOENT)
                        continue;
                if (fd < 0)
                        return log_errno(fd, "read-only path %s: %m", *p);
                if (!have_ids) {
                        r = kernel_mount_ids_load(rootfd, &ids, "read-only path", *p);
                        if (r < 0)
                                return r;
                        have_ids = true;
                }
                r = check_mount_target(rootfd, fd, true, "read-only path", *p, &ids);
                if (r < 0)
                        return r;
                r = bind_onto(fd, "", fd, MOUNT_ATTR_RDONLY, rootfd, *p);
                if (r < 0)
                        return log_errno(r, "read-only path %s: %m", *p);
        }
        return 0;
}

int rootfs_make_root_readonly(int rootfd) {
        struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};

        int r = 0;

        if (mount_setattr(rootfd, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
                r = errno == ENOSYS ? remount_readonly(rootfd) : negative_errno();
        if (r < 0)
                return log_errno(r, "read-only root: %m");
        return 0;
}

int rootfs_pivot(int rootfd) {
        /* pivot_root(".", ".") stacks the old root on the new one; detaching "." then drops
         * it without needing a directory for it inside the container. */
        if (fchdir(rootfd) < 0)
                return log_errno(negative_errno(), "pivot_root: chdir to the root: %m");
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                return log_errno(negative_errno(), "pivot_root: %m");
        if (umount2(".", MNT_DETACH) < 0)
                return log_errno(negative_errno(), "pivot_root: detach the old root: %m");
        if (chdir("/") < 0)
                return log_errno(negative_errno(), "pivot_root: chdir /: %m");
        return 0;
}
