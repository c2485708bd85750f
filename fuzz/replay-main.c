/* SPDX-License-Identifier: MIT */
/* Replays inputs through a fuzz target without libFuzzer, so every build (gcc, ASan+UBSan,
 * valgrind) runs the seed corpus and the inputs that once crashed. Arguments are files or
 * directories (read one level deep); one TAP line per input. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "fuzz.h"

static unsigned n_inputs, n_failed;

static int read_all(const char *path, uint8_t **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ uint8_t *buf = NULL;
        size_t size = 0, cap = 0;

        if (fd < 0)
                return -errno;
        for (;;) {
                if (size == cap) {
                        uint8_t *n = realloc(buf, cap = cap ? 2 * cap : 4096);
                        if (!n)
                                return -ENOMEM;
                        buf = n;
                }
                ssize_t k = read(fd, buf + size, cap - size);
                if (k < 0)
                        return -errno;
                if (k == 0)
                        break;
                size += k;
        }
        *ret = TAKE_PTR(buf);
        *ret_size = size;
        return 0;
}

/* Each input runs in a child so an abort() is reported as that input's failure. */
static void replay(const char *path) {
        int status;
        pid_t pid;

        n_inputs++;
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
                uint8_t *data = NULL;
                size_t size = 0;
                if (read_all(path, &data, &size) < 0)
                        _exit(2);
                LLVMFuzzerTestOneInput(data, size);
                free(data);
                _exit(0);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                n_failed++;
                printf("not ok %u - %s\n", n_inputs, path);
                if (pid > 0 && WIFSIGNALED(status))
                        printf("# killed by signal %d\n", WTERMSIG(status));
                else if (pid > 0 && WIFEXITED(status))
                        printf("# exit status %d\n", WEXITSTATUS(status));
        } else
                printf("ok %u - %s\n", n_inputs, path);
}

static int compare_names(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static void replay_dir(const char *dir) {
        _cleanup_strv_free_ char **names = NULL;
        DIR *d = opendir(dir);
        struct dirent *de;

        if (!d) {
                printf("not ok %u - cannot open %s: %s\n", ++n_inputs, dir, strerror(errno));
                n_failed++;
                return;
        }
        while ((de = readdir(d)))
                if (de->d_name[0] != '.')
                        (void) strv_extend(&names, de->d_name);
        closedir(d);
        if (names)
                qsort(names, strv_length(names), sizeof(char *), compare_names);
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *p = strjoin(dir, "/", *n);
                if (p)
                        replay(p);
        }
}

int main(int argc, char **argv) {
        printf("TAP version 13\n");
        for (int i = 1; i < argc; i++) {
                struct stat st;
                if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
                        replay_dir(argv[i]);
                else
                        replay(argv[i]);
        }
        if (n_inputs == 0) {
                printf("not ok 1 - no inputs to replay\n");
                n_inputs = n_failed = 1;
        }
        printf("1..%u\n", n_inputs);
        return n_failed ? 1 : 0;
}
