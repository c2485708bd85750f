#!/bin/bash
# Start latency, side by side in one run: every contender starts /bin/true in the busybox
# root with the same namespaces, capabilities and (where it can) seccomp. hyperfine runs
# the commands without a shell (-N), so no shell start-up is in the numbers.
#
# The machine is shared (other builds and tests come and go), and hyperfine times one
# command's runs back to back, so a burst of load would land on whichever contender
# happened to be running. The comparison therefore runs in BENCH_ROUNDS rounds, each
# with the contenders in a rotated order; report.py pools the rounds per contender.
# Writes $BENCH_OUT/latency-rN.json (hyperfine's export, one per round).
#   BENCH_ROUNDS=3 BENCH_RUNS=100 BENCH_WARMUP=10 bench/latency.sh   (after bench/check.sh)
{ # read whole before it runs: editing this file during a run cannot change that run
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
rounds=${BENCH_ROUNDS:-3}
runs=${BENCH_RUNS:-100}
warmup=${BENCH_WARMUP:-10}

if [ -z "${BENCH_IN_NS:-}" ]; then
        BENCH_IN_NS=1 in_bench_ns bash "$0"
        exit
fi

rm -f "$BENCH_OUT"/latency-r*.json "$BENCH_OUT/load.txt"
n=${#contender_names[@]}
for ((r = 1; r <= rounds; r++)); do
        echo "== round $r of $rounds" >&2
        # The 1-minute load average before each round: how busy the shared machine was.
        cut -d' ' -f1 /proc/loadavg >>"$BENCH_OUT/load.txt"
        args=(-N --warmup "$warmup" --runs "$runs" --export-json "$BENCH_OUT/latency-r$r.json" --style basic)
        for ((i = 0; i < n; i++)); do
                name=${contender_names[$(((i + r - 1) % n))]}
                contender_cmd "$name" bundle /bin/true
                args+=(-n "$name" "${cmd[*]@Q}")
        done
        hyperfine "${args[@]}" | grep -E '^(Benchmark|  Time)' >&2
done
cut -d' ' -f1 /proc/loadavg >>"$BENCH_OUT/load.txt"
exit
}
