/* SPDX-License-Identifier: MIT */
/* startloop N COMMAND-A [ARG...] :: COMMAND-B [ARG...]: runs A and B N times each,
 * alternating (A B A B ...), so both see the same load, and prints for each the median, p10
 * and p90 wall time of one run in microseconds, and the median of the paired differences B-A
 * and of the paired ratios B/A. Static, for the qemu VM of bench/apparmor.sh (busybox there has
 * no sub-second clock). Exit status 1 if any run failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

static double run(char **argv, int *failed) {
        struct timespec a, b;
        int status;
        pid_t pid;

        clock_gettime(CLOCK_MONOTONIC, &a);
        pid = fork();
        if (pid == 0) {
                execv(argv[0], argv);
                _exit(127);
        }
        if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                (*failed)++;
        clock_gettime(CLOCK_MONOTONIC, &b);
        return (double) (b.tv_sec - a.tv_sec) * 1e6 + (double) (b.tv_nsec - a.tv_nsec) / 1e3;
}

static void report(const char *what, double *v, int n) {
        qsort(v, (size_t) n, sizeof(*v), cmp);
        printf("%s median_us=%.0f p10_us=%.0f p90_us=%.0f\n", what, v[n / 2], v[n / 10], v[n * 9 / 10]);
}

int main(int argc, char **argv) {
        int n = argc > 4 ? atoi(argv[1]) : 0, failed = 0, sep = 0;
        double *a, *b, *diff, *ratio;

        for (int i = 2; i < argc; i++)
                if (strcmp(argv[i], "::") == 0)
                        sep = i;
        if (n <= 0 || sep <= 2 || sep == argc - 1) {
                fprintf(stderr, "usage: startloop N COMMAND-A [ARG...] :: COMMAND-B [ARG...]\n");
                return 2;
        }
        argv[sep] = NULL;
        a = calloc((size_t) n, sizeof(*a));
        b = calloc((size_t) n, sizeof(*b));
        diff = calloc((size_t) n, sizeof(*diff));
        ratio = calloc((size_t) n, sizeof(*ratio));
        if (!a || !b || !diff || !ratio)
                return 1;
        for (int i = 0; i < n; i++) {
                a[i] = run(argv + 2, &failed);
                b[i] = run(argv + sep + 1, &failed);
                diff[i] = b[i] - a[i];
                ratio[i] = b[i] / a[i];
        }
        report("A", a, n);
        report("B", b, n);
        qsort(diff, (size_t) n, sizeof(*diff), cmp);
        qsort(ratio, (size_t) n, sizeof(*ratio), cmp);
        printf("paired median_diff_us=%.0f median_ratio=%.3f runs=%d failed=%d\n", diff[n / 2], ratio[n / 2], n,
               failed);
        return failed ? 1 : 0;
}
