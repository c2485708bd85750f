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

python3 - "$BENCH_OUT/machine.json" <<PY
import json, os, platform, subprocess, sys, time
def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 1048576
virt = sh("systemd-detect-virt") or "none"
debian = open("/etc/debian_version").read().strip()
summary = f"{cpu}, {os.cpu_count()} vCPU, {mem:.0f} GiB, Linux {platform.release()}, Debian {debian}, virt: {virt}"
peers = {"crun": sh("crun", "--version").splitlines()[0].split()[-1],
         "runc": sh("runc", "--version").splitlines()[0].split()[-1],
         "bwrap": sh("bwrap", "--version").split()[-1],
         "systemd-nspawn": sh("systemd-nspawn", "--version").splitlines()[0].split()[1],
         "hyperfine": sh("hyperfine", "--version").split()[-1]}
json.dump({"summary": summary, "cpu": cpu, "vcpus": os.cpu_count(), "mem_gib": round(mem, 1),
           "kernel": platform.release(), "debian": debian, "virt": virt, "peers": peers,
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "commit": sh("git", "-C", "$src_dir", "rev-parse", "--short", "HEAD") +
                     (" (+ uncommitted changes)" if sh("git", "-C", "$src_dir", "status", "--porcelain", "--untracked-files=no", "src", "generators") else ""),
           "rounds": int("$BENCH_ROUNDS"), "seccomp_profile": open("$work/seccomp.source").read().strip()},
          open(sys.argv[1], "w"), indent=1)
PY

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
python3 "$bench_dir/generator-scale.py" "$berth_generator" "$BENCH_ROOTFS" "$BENCH_OUT" $sizes
echo "== resident cost" >&2
bash "$bench_dir/resident.sh"

echo >&2
python3 "$bench_dir/lib/report.py" "$BENCH_OUT"

if $publish; then
        $quick && bench_fail "--publish wants a full run, not --quick"
        mkdir -p "$src_dir/docs/bench"
        cp "$BENCH_OUT/latency.png" "$BENCH_OUT/latest.json" "$src_dir/docs/bench/"
        {
                echo "## Benchmarks"
                echo
                echo "\`bench/run.sh\` (as root) runs the whole comparison in one go; this is its latest output."
                echo "Method, profile of berth-exec's start path and proposals: [bench/PROFILE.md](bench/PROFILE.md)."
                echo
                sed -e 's/^### /### /' -e 's|!\[start latency\](latency.png)|![start latency](docs/bench/latency.png)|' "$BENCH_OUT/latest.md"
        } >"$src_dir/docs/bench/README-section.md"
        echo "published to docs/bench/" >&2
fi
