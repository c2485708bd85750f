/* SPDX-License-Identifier: MIT */
/* startloop N COMMAND [ARG...]: runs COMMAND N times, one after another, and prints the
 * median, mean, p10 and p90 wall time of one run in microseconds. Static, for the qemu VM
 * of bench/apparmor.sh (busybox there has no sub-second clock). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return (x > y) - (x < y);
}

int main(int argc, char **argv) {
        int n = argc > 2 ? atoi(argv[1]) : 0, failed = 0;
        double *us, sum = 0;

        if (n <= 0) {
                fprintf(stderr, "usage: startloop N COMMAND [ARG...]\n");
                return 2;
        }
        us = calloc((size_t) n, sizeof(*us));
        if (!us)
                return 1;
        for (int i = 0; i < n; i++) {
                struct timespec a, b;
                int status;
                pid_t pid;

                clock_gettime(CLOCK_MONOTONIC, &a);
                pid = fork();
                if (pid == 0) {
                        execv(argv[2], argv + 2);
                        _exit(127);
                }
                if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
                        failed++;
                clock_gettime(CLOCK_MONOTONIC, &b);
                us[i] = (double) (b.tv_sec - a.tv_sec) * 1e6 + (double) (b.tv_nsec - a.tv_nsec) / 1e3;
                sum += us[i];
        }
        qsort(us, (size_t) n, sizeof(*us), cmp);
        printf("median_us=%.0f mean_us=%.0f p10_us=%.0f p90_us=%.0f runs=%d failed=%d\n", us[n / 2], sum / n,
               us[n / 10], us[n * 9 / 10], n, failed);
        free(us);
        return failed ? 1 : 0;
}
