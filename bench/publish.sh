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
        echo "[bench/PROFILE.md](bench/PROFILE.md). Latest run:"
        echo
        sed -e 's|!\[start latency\](latency.png)|![start latency](docs/bench/latency.png)|' "$BENCH_OUT/latest.md"
} >"$src_dir/docs/bench/README-section.md"
echo "published to docs/bench/" >&2
exit
}
