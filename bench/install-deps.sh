#!/bin/bash
# Installs what the benchmarks need from Debian: the peers (crun, runc, bubblewrap,
# systemd-nspawn), the timer (hyperfine), the chart (gnuplot), GNU time for memory
# high-water marks, strace/perf/valgrind for profiling, and berth's own build deps.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bash "$here/../test/lib/install-deps.sh"
pkgs=(crun runc bubblewrap systemd-container hyperfine gnuplot-nox time strace linux-perf valgrind
      busybox-static python3 gcc libseccomp-dev libjson-c-dev)
missing=()
for p in "${pkgs[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
        echo "bench/install-deps: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >/dev/null
        apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
