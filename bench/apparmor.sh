#!/bin/bash
# The start-time cost of AppArmor in berth-exec, measured where AppArmor is on: Debian's cloud
# kernel in the qemu TCG VM of test/apparmor/ (same initramfs), running bench/apparmor-vm.sh
# instead of the tests. berth-exec starts /bin/true RUNS times per round with
# --security-opt apparmor=unconfined (off) and with berth-default (on: the loaded-profile
# check before the clone and the exec attribute written through the container's procfs);
# prints each round and the ratio on/off of the medians. TCG emulates the CPU: absolute times
# are several times a real machine's; the ratio is the number to read.
# Usage: bash bench/apparmor.sh [BUILD_DIR]   (as root; default build dir: build)
# Environment: RUNS (200 per command per round), ROUNDS (3).
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
export BERTH_SOURCE_DIR=$src BERTH_BUILD_DIR=$(cd "$build" && pwd)
export BERTH_APPARMOR_VM_SCRIPT=$src/bench/apparmor-vm.sh
export BERTH_APPARMOR_VM_TOOLS=$src/bench/startloop.c
export BERTH_APPARMOR_VM_APPEND="RUNS=${RUNS:-200} ROUNDS=${ROUNDS:-3}"
out=$(bash "$src/test/apparmor/run.sh")
echo "$out"
echo "$out" | awk '
/off\(apparmor=unconfined\) median_us=/ { split($5, a, "="); off += a[2]; noff++ }
/on\(berth-default\) median_us=/ { split($5, a, "="); on += a[2]; non++ }
/paired median_diff_us=/ { split($5, d, "="); split($6, r, "="); diff += d[2]; ratio += r[2]; np++ }
END {
        if (!noff || !non || !np) { print "no timings (see above)"; exit 1 }
        printf "berth-exec start of /bin/true in the VM (means over rounds): off %.0f us, on %.0f us (medians); paired: on-off %.0f us, on/off %.3f\n", off / noff, on / non, diff / np, ratio / np
}'
