/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
/* floor: the least a container start with berth-exec's default isolation can cost.
 *
 * No options, no validation, no /sys, /dev or masks: clone into new mount, PID, network,
 * IPC and UTS namespaces; make / private; bind the root onto itself; pivot_root into it
 * and detach the old root; mount /proc; keep Docker's 14 capabilities (bounding, permitted,
 * effective, inheritable); set no_new_privs; load a BPF filter compiled ahead of time by
 * floor-bpf; exec. The parent waits and returns the payload's status.
 *
 *   floor [--net-host] ROOT FILTER.bpf CMD [ARG...] */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define DOCKER_CAPS                                                                              \
        ((1ULL << CAP_CHOWN) | (1ULL << CAP_DAC_OVERRIDE) | (1ULL << CAP_FSETID) |               \
         (1ULL << CAP_FOWNER) | (1ULL << CAP_MKNOD) | (1ULL << CAP_NET_RAW) |                    \
         (1ULL << CAP_SETGID) | (1ULL << CAP_SETUID) | (1ULL << CAP_SETFCAP) |                   \
         (1ULL << CAP_SETPCAP) | (1ULL << CAP_NET_BIND_SERVICE) | (1ULL << CAP_SYS_CHROOT) |     \
         (1ULL << CAP_KILL) | (1ULL << CAP_AUDIT_WRITE))

static void die(const char *step) {
        fprintf(stderr, "floor: %s: %s\n", step, strerror(errno));
        _exit(125);
}

static struct sock_fprog read_filter(const char *path) {
        struct sock_fprog prog = { 0 };
        struct stat st;
        int fd = open(path, O_RDONLY | O_CLOEXEC);

        if (fd < 0 || fstat(fd, &st) < 0)
                die(path);
        if (st.st_size == 0 || st.st_size % sizeof(struct sock_filter) != 0 ||
            st.st_size / sizeof(struct sock_filter) > BPF_MAXINSNS) {
                errno = EINVAL;
                die(path);
        }
        prog.filter = malloc(st.st_size);
        if (!prog.filter || read(fd, prog.filter, st.st_size) != st.st_size)
                die(path);
        prog.len = (unsigned short) (st.st_size / sizeof(struct sock_filter));
        close(fd);
        return prog;
}

static int last_cap(void) {
        char buf[16] = { 0 };
        int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);

        if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
                die("cap_last_cap");
        close(fd);
        return atoi(buf);
}

static void child(const char *root, const struct sock_fprog *filter, int cap_max, char **cmd) {
        struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct data[2] = { 0 };

        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                die("make / private");
        if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
                die("bind root");
        if (chdir(root) < 0)
                die("chdir root");
        if (syscall(SYS_pivot_root, ".", ".") < 0)
                die("pivot_root");
        if (umount2(".", MNT_DETACH) < 0)
                die("detach old root");
        if (chdir("/") < 0)
                die("chdir /");
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
                die("mount /proc");

        for (int c = 0; c <= cap_max; c++)
                if (!(DOCKER_CAPS & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
                        die("drop bounding set");
        data[0].effective = data[0].permitted = data[0].inheritable = (uint32_t) DOCKER_CAPS;
        data[1].effective = data[1].permitted = data[1].inheritable = (uint32_t) (DOCKER_CAPS >> 32);
        if (syscall(SYS_capset, &hdr, data) < 0)
                die("capset");
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                die("no_new_privs");
        if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, filter) < 0)
                die("seccomp");
        execv(cmd[0], cmd);
        die(cmd[0]);
}

int main(int argc, char **argv) {
        int flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS;
        struct sock_fprog filter;
        int status, cap_max;
        pid_t pid;

        if (argc > 1 && strcmp(argv[1], "--net-host") == 0) {
                flags &= ~CLONE_NEWNET;
                argv++, argc--;
        }
        if (argc < 4) {
                fprintf(stderr, "usage: floor [--net-host] ROOT FILTER.bpf CMD [ARG...]\n");
                return 125;
        }
        /* Everything that can fail without side effects happens before the clone. */
        filter = read_filter(argv[2]);
        cap_max = last_cap();

        pid = (pid_t) syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
        if (pid < 0)
                die("clone");
        if (pid == 0)
                child(argv[1], &filter, cap_max, argv + 3);

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        die("waitpid");
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
