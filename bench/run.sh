#!/bin/bash
# The whole comparison in one command, as root on Debian 12:
#   bench/run.sh [--quick] [--publish]
# installs the peers, builds berth (build-bench, buildtype=release), the floor and the OCI
# bundles, checks that every contender applies the isolation it is compared on, then
# times start latency side by side (hyperfine), generator scale and resident cost, and
# prints the table. Results: bench/results/latest.{md,json}, bench/results/latency.png.
#   --quick    fewer runs and no 10 000-description size (a smoke run, not for the README)
#   --publish  also copy the table and chart to docs/bench/ (README-section.md, latency.png,
#              latest.json) for the README's Benchmarks section
# Environment: BENCH_ROUNDS, BENCH_RUNS, BENCH_WARMUP (latency), BENCH_ONLY (contenders).
{ # read whole before it runs: editing this file during a run cannot change that run
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

quick=false publish=false
for a in "$@"; do
        case $a in
        --quick) quick=true ;;
        --publish) publish=true ;;
        *) bench_fail "usage: bench/run.sh [--quick] [--publish]" ;;
        esac
done
[ "$(id -u)" = 0 ] || bench_fail "needs root (namespaces, pivot_root, the peers)"
sizes="10 100 1000 10000"
if $quick; then
        export BENCH_ROUNDS=${BENCH_ROUNDS:-1} BENCH_RUNS=${BENCH_RUNS:-20} BENCH_WARMUP=${BENCH_WARMUP:-3}
        sizes="10 100 1000"
fi
export BENCH_ROUNDS=${BENCH_ROUNDS:-3}

echo "== dependencies" >&2
bash "$bench_dir/install-deps.sh"
mkdir -p "$BENCH_OUT"
rm -f "$BENCH_OUT"/*.json "$BENCH_OUT"/latest.md "$BENCH_OUT"/latency.png
echo "== building berth ($BENCH_BUILD, release), the floor and the bundles" >&2
build_berth
prepare_peers

python3 "$bench_dir/lib/machine.py" "$BENCH_OUT" "$src_dir" "$BENCH_ROUNDS" "$work/seccomp.source"

echo "== checking what every contender applies" >&2
if ! bash "$bench_dir/check.sh" >"$BENCH_OUT/check.tap"; then
        grep '^not ok' "$BENCH_OUT/check.tap" >&2
        bench_fail "a contender does not apply the isolation it is compared on (see $BENCH_OUT/check.tap)"
fi
echo "   $(grep -c '^ok' "$BENCH_OUT/check.tap") checks passed" >&2

echo "== start latency" >&2
bash "$bench_dir/latency.sh"
echo "== generator scale" >&2
# shellcheck disable=SC2086
nice -n -19 python3 "$bench_dir/generator-scale.py" "$berth_generator" "$BENCH_ROOTFS" "$BENCH_OUT" $sizes
nice -n -19 python3 "$bench_dir/generator-keys.py" "$berth_generator" "$BENCH_ROOTFS" "$BENCH_OUT" >"$BENCH_OUT/generator-keys.md"
echo "== resident cost" >&2
bash "$bench_dir/resident.sh"

echo >&2
python3 "$bench_dir/lib/report.py" "$BENCH_OUT"

if $publish; then
        $quick && bench_fail "--publish wants a full run, not --quick"
        bash "$bench_dir/publish.sh"
fi
exit
}
