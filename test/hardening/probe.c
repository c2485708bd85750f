/* SPDX-License-Identifier: MIT */
/* berth-probe: run inside a container, attempts one escape or privileged operation per
 * argument and prints one line per attempt:
 *     NAME ok            the attempt succeeded (an escape, unless the test expects it)
 *     NAME EPERM         it failed, with the errno's name
 * Built static (the busybox root has no libc) and without berth's libraries, so what it
 * reports is the kernel's answer, nothing else's. Attempts never change the host: the clock
 * is only "set" to invalid values, kexec/reboot only with invalid arguments, and files
 * only opened, never written, where writing could matter. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <dirent.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/un.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The writable scratch directory inside the container (a tmpfs the test mounts). */
#define SCRATCH "/tmp"

static const char *errno_name(int e) {
        switch (e) {
        case 0:
                return "ok";
        case EPERM:
                return "EPERM";
        case EACCES:
                return "EACCES";
        case ENOENT:
                return "ENOENT";
        case ESRCH:
                return "ESRCH";
        case EINVAL:
                return "EINVAL";
        case ENOSYS:
                return "ENOSYS";
        case EROFS:
                return "EROFS";
        case EBADF:
                return "EBADF";
        case EEXIST:
                return "EEXIST";
        case ENOTDIR:
                return "ENOTDIR";
        case EOPNOTSUPP:
                return "EOPNOTSUPP";
        case ENODEV:
                return "ENODEV";
        case EFAULT:
                return "EFAULT";
        case EBUSY:
                return "EBUSY";
        case ENOMEM:
                return "ENOMEM";
        case ENODATA:
                return "ENODATA";
        case ETXTBSY:
                return "ETXTBSY";
        case ELOOP:
                return "ELOOP";
        case EIO:
                return "EIO";
        default: {
                static char buf[32];
                snprintf(buf, sizeof(buf), "errno%d", e);
                return buf;
        }
        }
}

static int result(long r) {
        return r < 0 ? errno : 0;
}

/* ---- namespaces and mounts ---- */

static int try_unshare(int flags) {
        return result(unshare(flags));
}

static int try_clone_newuser(void) {
        long pid = syscall(SYS_clone, CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0);
        if (pid == 0)
                _exit(0);
        if (pid > 0)
                waitpid((pid_t) pid, NULL, 0);
        return result(pid);
}

static int try_setns(void) {
        int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), r;
        if (fd < 0)
                return errno;
        r = result(setns(fd, 0));
        close(fd);
        return r;
}

/* Joining a namespace of another process: with the host's PID namespace shared, /proc/1/ns/
 * are the host's own namespaces. */
static int try_setns_path(const char *path) {
        int fd = open(path, O_RDONLY | O_CLOEXEC), r;
        if (fd < 0)
                return errno;
        r = result(setns(fd, 0));
        close(fd);
        return r;
}

static int try_mount_tmpfs(void) {
        mkdir(SCRATCH "/mnt", 0755);
        int r = result(mount("none", SCRATCH "/mnt", "tmpfs", 0, "size=1m"));
        if (r == 0)
                umount2(SCRATCH "/mnt", MNT_DETACH);
        return r;
}

static int try_fsopen(void) {
        long fd = syscall(SYS_fsopen, "tmpfs", 0);
        if (fd >= 0)
                close((int) fd);
        return result(fd);
}

static int try_open_tree(void) {
        long fd = syscall(SYS_open_tree, AT_FDCWD, "/", 1 /* OPEN_TREE_CLONE */);
        if (fd >= 0)
                close((int) fd);
        return result(fd);
}

/* Remounting / read-write only counts as an escape if a write then succeeds. */
static int try_remount_root_rw(void) {
        int fd;
        (void) mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL);
        (void) mount(NULL, "/", NULL, MS_REMOUNT, NULL);
        fd = open("/.berth-probe-write", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
                return errno;
        close(fd);
        unlink("/.berth-probe-write");
        return 0;
}

static int try_write_root(void) {
        int fd = open("/.berth-probe-write", O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0)
                return errno;
        close(fd);
        unlink("/.berth-probe-write");
        return 0;
}

/* Taking a mask off (/proc/keys is masked like /proc/kcore) would reveal the host's file. */
static int try_umount_mask(const char *path) {
        return result(umount2(path, MNT_DETACH));
}

/* ---- seeing and touching the host ---- */

/* Is the host process PID, whose command line contains marker, visible? */
static int try_see_pid(const char *pid, const char *marker) {
        char path[64], buf[4096];
        ssize_t n;
        int fd;

        snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n < 0)
                return errno;
        for (ssize_t i = 0; i < n; i++)
                if (buf[i] == 0)
                        buf[i] = ' ';
        buf[n] = 0;
        return strstr(buf, marker) ? 0 : ESRCH;
}

static int try_ptrace(const char *pid) {
        pid_t p = (pid_t) atoi(pid);
        if (ptrace(PTRACE_SEIZE, p, 0, 0) < 0)
                return errno;
        ptrace(PTRACE_DETACH, p, 0, 0);
        return 0;
}

static int try_process_vm_readv(const char *pid) {
        char buf[8];
        struct iovec local = {buf, sizeof(buf)}, remote = {(void *) 0x400000, sizeof(buf)};
        long r = process_vm_readv((pid_t) atoi(pid), &local, 1, &remote, 1, 0);
        /* EFAULT means the call was allowed and reached the other process's memory map. */
        return r < 0 && errno != EFAULT ? errno : 0;
}

static int try_stat(const char *path) {
        struct stat st;
        return result(stat(path, &st));
}

/* The classic chroot escape: chroot into a subdirectory while keeping a cwd outside it, then
 * walk up. After pivot_root with the old root detached, the top is the container's root. */
static int try_chroot_escape(const char *marker) {
        struct stat st;
        mkdir(SCRATCH "/jail", 0755);
        if (chroot(SCRATCH "/jail") < 0)
                return errno;
        for (int i = 0; i < 64; i++)
                (void) chdir("..");
        if (chroot(".") < 0)
                return errno;
        return result(stat(marker, &st));
}

static int try_proc1_root(const char *marker) {
        char path[4096];
        snprintf(path, sizeof(path), "/proc/1/root%s", marker);
        return try_stat(path);
}

/* open_by_handle_at ("shocker"): a file handle can name any inode of the mount's file system. */
static int try_open_by_handle(void) {
        struct {
                struct file_handle h;
                unsigned char bytes[128];
        } fh = {.h.handle_bytes = 128};
        int mount_id, fd;

        if (name_to_handle_at(AT_FDCWD, "/", &fh.h, &mount_id, 0) < 0)
                return errno;
        fd = open_by_handle_at(AT_FDCWD, &fh.h, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        close(fd);
        return 0;
}

/* ---- kernel interfaces ---- */


static int try_keyctl(void) {
        return result(syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0));
}

static int try_add_key(void) {
        return result(syscall(SYS_add_key, "user", "berth-probe", "x", 1, KEY_SPEC_PROCESS_KEYRING));
}

/* Invalid flags: even a kernel that allowed the call would refuse to load anything. */
static int try_kexec_load(void) {
        return result(syscall(SYS_kexec_load, 0, 0, NULL, 0xdead0000UL));
}

static int try_bpf(void) {
        union bpf_attr attr;
        long fd;
        memset(&attr, 0, sizeof(attr));
        attr.map_type = BPF_MAP_TYPE_ARRAY;
        attr.key_size = 4;
        attr.value_size = 4;
        attr.max_entries = 1;
        fd = syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof(attr));
        if (fd >= 0)
                close((int) fd);
        return result(fd);
}

static int try_perf_event_open(void) {
        return result(syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
}

static int try_init_module(void) {
        return result(syscall(SYS_init_module, NULL, 0, ""));
}

static int try_iopl(void) {
        return result(syscall(SYS_iopl, 3));
}

/* An invalid magic: never reboots, whoever is allowed to call it. */
static int try_reboot(void) {
        return result(syscall(SYS_reboot, 0, 0, 0, NULL));
}

static int try_open_write(const char *path) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        close(fd); /* opened, never written */
        return 0;
}

/* Readable content counts as an escape; a masked file reads as empty. */
static int try_read(const char *path) {
        char buf[64];
        ssize_t n;
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        n = read(fd, buf, sizeof(buf));
        close(fd);
        if (n < 0)
                return errno;
        return n > 0 ? 0 : ENODATA;
}

/* ---- capabilities ---- */

static int try_mknod(void) {
        unlink(SCRATCH "/probe-null");
        int r = result(mknod(SCRATCH "/probe-null", S_IFCHR | 0600, makedev(1, 3)));
        unlink(SCRATCH "/probe-null");
        return r;
}

static int try_chown(void) {
        int fd = open(SCRATCH "/probe-owned", O_WRONLY | O_CREAT | O_CLOEXEC, 0644), r;
        if (fd < 0)
                return errno;
        close(fd);
        r = result(chown(SCRATCH "/probe-owned", 4242, 4242));
        unlink(SCRATCH "/probe-owned");
        return r;
}

static int try_bind80(void) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(80), .sin_addr.s_addr = htonl(INADDR_ANY)};
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), r;
        if (fd < 0)
                return errno;
        r = result(bind(fd, (struct sockaddr *) &a, sizeof(a)));
        close(fd);
        return r;
}

/* An invalid time: EINVAL means the call reached the kernel's validation (allowed), EPERM
 * that seccomp or the capability check refused it. The clock is never changed. */
static int try_clock_settime(void) {
        struct timespec ts = {.tv_sec = -1, .tv_nsec = 2000000000L};
        return result(syscall(SYS_clock_settime, CLOCK_REALTIME, &ts));
}

/* adjtimex is allowed by Docker's profile; the kernel checks CAP_SYS_TIME before it checks
 * the value, so an invalid tick tells the two apart without changing anything. */
static int try_adjtimex(void) {
        struct timex tx = {.modes = ADJ_TICK, .tick = 0};
        return result(adjtimex(&tx));
}

static int try_sethostname(void) {
        char name[65];
        if (gethostname(name, sizeof(name)) < 0)
                return errno;
        return result(sethostname(name, strlen(name)));
}

/* What the process runs as: for the setuid and file-capability tests. */
static void print_identity(void) {
        char line[256];
        FILE *f = fopen("/proc/self/status", "re");
        printf("euid %u\n", (unsigned) geteuid());
        while (f && fgets(line, sizeof(line), f))
                if (strncmp(line, "CapEff:", 7) == 0)
                        printf("capeff %s", line + 7 + strspn(line + 7, "\t "));
        if (f)
                fclose(f);
}

static void report(const char *name, int e) {
        printf("%s %s\n", name, errno_name(e));
        fflush(stdout);
}

/* Each attempt runs in its own child: one that succeeds (entering a new user namespace,
 * chrooting) must not change what the next one sees. */
static int attempt(const char *a);
static int escape_exec_attempt(const char *a, const char *name, char *arg);

int main(int argc, char **argv) {
        for (int i = 1; i < argc; i++) {
                int status;
                pid_t pid = fork();

                if (pid < 0) {
                        perror("berth-probe: fork");
                        return 1;
                }
                if (pid == 0)
                        _exit(attempt(argv[i]));
                if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                        printf("%s crashed\n", argv[i]);
                        return 1;
                }
        }
        return 0;
}

static int attempt(const char *a) {
        {
                char buf[4096];
                char *arg, name[128];

                snprintf(buf, sizeof(buf), "%s", a);
                arg = strchr(buf, '=');
                snprintf(name, sizeof(name), "%.*s", arg ? (int) (arg - buf) : (int) strlen(buf), buf);
                if (arg)
                        arg++;

                if (strcmp(name, "identity") == 0)
                        print_identity();
                else if (strcmp(name, "unshare-user") == 0)
                        report(a, try_unshare(CLONE_NEWUSER));
                else if (strcmp(name, "unshare-mount") == 0)
                        report(a, try_unshare(CLONE_NEWNS));
                else if (strcmp(name, "unshare-net") == 0)
                        report(a, try_unshare(CLONE_NEWNET));
                else if (strcmp(name, "clone-newuser") == 0)
                        report(a, try_clone_newuser());
                else if (strcmp(name, "setns") == 0)
                        report(a, try_setns());
                else if (strcmp(name, "setns-path") == 0 && arg)
                        report(a, try_setns_path(arg));
                else if (strcmp(name, "mount-tmpfs") == 0)
                        report(a, try_mount_tmpfs());
                else if (strcmp(name, "fsopen") == 0)
                        report(a, try_fsopen());
                else if (strcmp(name, "open-tree") == 0)
                        report(a, try_open_tree());
                else if (strcmp(name, "remount-root-rw") == 0)
                        report(a, try_remount_root_rw());
                else if (strcmp(name, "write-root") == 0)
                        report(a, try_write_root());
                else if (strcmp(name, "umount-mask") == 0 && arg)
                        report(a, try_umount_mask(arg));
                else if (strcmp(name, "see-pid") == 0 && arg && strchr(arg, ':')) {
                        char *marker = strchr(arg, ':');
                        *marker++ = 0;
                        report(a, try_see_pid(arg, marker));
                } else if (strcmp(name, "ptrace") == 0 && arg)
                        report(a, try_ptrace(arg));
                else if (strcmp(name, "process-vm-readv") == 0 && arg)
                        report(a, try_process_vm_readv(arg));
                else if (strcmp(name, "stat") == 0 && arg)
                        report(a, try_stat(arg));
                else if (strcmp(name, "chroot-escape") == 0 && arg)
                        report(a, try_chroot_escape(arg));
                else if (strcmp(name, "proc1-root") == 0 && arg)
                        report(a, try_proc1_root(arg));
                else if (strcmp(name, "open-by-handle") == 0)
                        report(a, try_open_by_handle());
                else if (strcmp(name, "keyctl") == 0)
                        report(a, try_keyctl());
                else if (strcmp(name, "add-key") == 0)
                        report(a, try_add_key());
                else if (strcmp(name, "kexec-load") == 0)
                        report(a, try_kexec_load());
                else if (strcmp(name, "bpf") == 0)
                        report(a, try_bpf());
                else if (strcmp(name, "perf-event-open") == 0)
                        report(a, try_perf_event_open());
                else if (strcmp(name, "init-module") == 0)
                        report(a, try_init_module());
                else if (strcmp(name, "iopl") == 0)
                        report(a, try_iopl());
                else if (strcmp(name, "reboot") == 0)
                        report(a, try_reboot());
                else if (strcmp(name, "open-write") == 0 && arg)
                        report(a, try_open_write(arg));
                else if (strcmp(name, "read") == 0 && arg)
                        report(a, try_read(arg));
                else if (strcmp(name, "mknod") == 0)
                        report(a, try_mknod());
                else if (strcmp(name, "chown") == 0)
                        report(a, try_chown());
                else if (strcmp(name, "bind80") == 0)
                        report(a, try_bind80());
                else if (strcmp(name, "clock-settime") == 0)
                        report(a, try_clock_settime());
                else if (strcmp(name, "adjtimex") == 0)
                        report(a, try_adjtimex());
                else if (strcmp(name, "sethostname") == 0)
                        report(a, try_sethostname());
                else if (escape_exec_attempt(a, name, arg))
                        ;
                else {
                        fprintf(stderr, "berth-probe: unknown attempt '%s'\n", a);
                        return 2;
                }
        }
        fflush(stdout);
        return 0;
}

/* ---- issue 11: the working directory, inherited descriptors, the host's binaries, the
 * caller's terminal, processes of another container in a shared PID namespace ---- */

/* cwd-escape=MARKER: from the working directory, walk up and look for a host file. */
static int try_cwd_escape(const char *marker) {
        char path[4096] = "";
        for (int i = 0; i < 16; i++)
                strcat(path, "../");
        strncat(path, marker + 1, sizeof(path) - strlen(path) - 1);
        return access(path, F_OK) == 0 ? 0 : errno;
}

/* fd-escape=MARKER: any open descriptor >= 3 that leads to the host file (a directory the
 * caller left open, or berth's own). */
static int try_fd_escape(const char *marker) {
        int e = EBADF;
        for (int fd = 3; fd < 1024; fd++) {
                char path[4200];
                snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", fd, marker + 1);
                if (fcntl(fd, F_GETFD) < 0)
                        continue;
                if (access(path, F_OK) == 0)
                        return 0;
                e = errno;
                /* walking up from a directory fd */
                snprintf(path, sizeof(path), "/proc/self/fd/%d/../../../../../../../../%s", fd, marker + 1);
                if (access(path, F_OK) == 0)
                        return 0;
        }
        return e;
}

/* Reopens an O_PATH handle for writing through /proc/self/fd, and writes nothing unless
 * asked: a writable handle is the escape. */
static int reopen_for_write(int opath, int do_write) {
        char path[64];
        int fd, e = 0;

        snprintf(path, sizeof(path), "/proc/self/fd/%d", opath);
        fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        if (do_write && write(fd, "BERTH-ESCAPED", 13) != 13)
                e = errno ? errno : EIO;
        close(fd);
        return e;
}

/* exe-write=PATH: open PATH (/proc/1/exe) for writing. */
static int try_exe_write(const char *path) {
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return errno;
        close(fd);
        return 0;
}

/* exe-reopen=PATH: an O_PATH handle, reopened for writing. */
static int try_exe_reopen(const char *path) {
        int fd = open(path, O_PATH | O_CLOEXEC), e;
        if (fd < 0)
                return errno;
        e = reopen_for_write(fd, 0);
        close(fd);
        return e;
}

/* exe-spin=PATH:N: the CVE-2019-5736 race, N tries of an O_PATH open and a reopen for
 * writing; ok as soon as one reopen succeeds, else the last error of the reopen (or of
 * the open, if no open ever succeeded). Also prints how many opens succeeded. */
static int try_exe_spin(char *arg) {
        char *colon = strrchr(arg, ':');
        long n = colon ? strtol(colon + 1, NULL, 10) : 100000;
        int open_err = 0, reopen_err = 0;
        long opened = 0;

        if (colon)
                *colon = 0;
        for (long i = 0; i < n; i++) {
                int fd = open(arg, O_PATH | O_CLOEXEC);
                if (fd < 0) {
                        open_err = errno;
                        continue;
                }
                opened++;
                reopen_err = reopen_for_write(fd, 0);
                close(fd);
                if (reopen_err == 0)
                        break;
        }
        fprintf(stderr, "berth-probe: exe-spin: %ld of %ld opens of %s succeeded\n", opened, n, arg);
        if (opened == 0)
                return open_err;
        return reopen_err;
}

/* exe-send=PATH:SOCKET: an O_PATH handle on PATH, passed to whoever listens on the unix
 * socket SOCKET (a second container, or the test) to reopen later. */
static int try_exe_send(char *arg) {
        char *colon = strchr(arg, ':');
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        char byte = 'x', control[CMSG_SPACE(sizeof(int))];
        struct iovec iov = {.iov_base = &byte, .iov_len = 1};
        struct msghdr msg = {
                .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof(control)};
        struct cmsghdr *cmsg;
        int fd, sock, e = 0;

        if (!colon)
                return EINVAL;
        *colon = 0;
        fd = open(arg, O_PATH | O_CLOEXEC);
        if (fd < 0)
                return errno;
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", colon + 1);
        sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0 || connect(sock, (struct sockaddr *) &sa, sizeof(sa)) < 0)
                e = errno;
        if (e == 0) {
                memset(control, 0, sizeof(control));
                cmsg = CMSG_FIRSTHDR(&msg);
                cmsg->cmsg_level = SOL_SOCKET;
                cmsg->cmsg_type = SCM_RIGHTS;
                cmsg->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
                if (sendmsg(sock, &msg, 0) != 1)
                        e = errno;
        }
        if (sock >= 0)
                close(sock);
        close(fd);
        return e;
}

/* tiocsti: push a character into the terminal on stdin, as a payload typing into the
 * caller's shell would. */
static int try_tiocsti(void) {
        char c = '#';
        return result(ioctl(0, TIOCSTI, &c));
}

/* watch-root=MARKER:SECONDS: for SECONDS, look at every process in our /proc and try to
 * reach the host file MARKER through its /proc/PID/root. */
static int try_watch_root(char *arg) {
        char *colon = strrchr(arg, ':');
        int seconds = colon ? atoi(colon + 1) : 5, e = ENOENT;
        time_t end;

        if (colon)
                *colon = 0;
        end = time(NULL) + seconds;
        while (time(NULL) < end) {
                DIR *d = opendir("/proc");
                struct dirent *de;
                if (!d)
                        return errno;
                while ((de = readdir(d))) {
                        char path[4400];
                        if (de->d_name[0] < '1' || de->d_name[0] > '9')
                                continue;
                        snprintf(path, sizeof(path), "/proc/%s/root%s", de->d_name, arg);
                        if (access(path, F_OK) == 0) {
                                closedir(d);
                                return 0;
                        }
                        if (errno != ENOENT && errno != ESRCH)
                                e = errno;
                }
                closedir(d);
        }
        return e;
}

static int escape_exec_attempt(const char *a, const char *name, char *arg) {
        if (strcmp(name, "cwd-escape") == 0 && arg)
                report(a, try_cwd_escape(arg));
        else if (strcmp(name, "fd-escape") == 0 && arg)
                report(a, try_fd_escape(arg));
        else if (strcmp(name, "exe-write") == 0 && arg)
                report(a, try_exe_write(arg));
        else if (strcmp(name, "exe-reopen") == 0 && arg)
                report(a, try_exe_reopen(arg));
        else if (strcmp(name, "exe-spin") == 0 && arg)
                report(a, try_exe_spin(arg));
        else if (strcmp(name, "exe-send") == 0 && arg)
                report(a, try_exe_send(arg));
        else if (strcmp(name, "tiocsti") == 0)
                report(a, try_tiocsti());
        else if (strcmp(name, "watch-root") == 0 && arg)
                report(a, try_watch_root(arg));
        else
                return 0;
        return 1;
}
