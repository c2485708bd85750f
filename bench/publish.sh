#!/bin/bash
# Copies the latest results (bench/results, git-ignored) into docs/bench/ for the README:
# README-section.md (the "## Benchmarks" section, table and chart), latency.png, latest.json.
#   bench/publish.sh   (bench/run.sh --publish calls it after a full run)
{ # read whole before it runs: editing this file during a run cannot change that run
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
[ -f "$BENCH_OUT/latest.md" ] && [ -f "$BENCH_OUT/latency.png" ] || bench_fail "no results to publish: run bench/run.sh"
mkdir -p "$src_dir/docs/bench"
cp "$BENCH_OUT/latency.png" "$BENCH_OUT/latest.json" "$src_dir/docs/bench/"
{
        echo "## Benchmarks"
        echo
        echo "\`bench/run.sh\` (as root; installs the peers from Debian) runs the whole comparison in one go and prints"
        echo "this report; every contender is first checked to apply the isolation it is compared on"
        echo "(\`bench/check.sh\`). Where berth-exec's start time goes and what to remove:"
        echo "[bench/PROFILE.md](bench/PROFILE.md)."
        echo
        echo "How it is measured: every contender starts \`/bin/true\` in the same busybox root"
        echo "(\`test/lib/make-rootfs.sh\`) with new mount, PID, network, IPC and UTS namespaces and Docker's"
        echo "14 capabilities; berth-exec, crun, runc and the floor also load the same Docker default seccomp"
        echo "policy (995 BPF instructions for x86_64, x86 and x32). The floor (\`bench/floor.c\`) is the least"
        echo "such a start can cost: clone, pivot_root, /proc, caps, no_new_privs, a filter compiled ahead of"
        echo "time, exec. hyperfine runs the commands without a shell, in rounds with a rotated order, all in"
        echo "one private mount namespace whose /sys/fs/cgroup is plain cgroup2 (crun 1.8 refuses this host's"
        echo "hybrid layout; it runs with \`--cgroup-manager=disabled\`, berth creates no cgroup either)."
        echo "nspawn gets \`--private-network\` so that it has the same namespaces as the others."
        echo
        echo "Latest run:"
        echo
        sed -e 's|!\[start latency\](latency.png)|![start latency](docs/bench/latency.png)|' "$BENCH_OUT/latest.md"
} >"$src_dir/docs/bench/README-section.md"
echo "published to docs/bench/" >&2
exit
}
