#!/bin/bash
# The start-time cost of AppArmor in berth-exec, measured where AppArmor is on: Debian's cloud
# kernel in the qemu TCG VM of test/apparmor/ (same initramfs), running bench/apparmor-vm.sh
# instead of the tests. berth-exec starts /bin/true RUNS times per round with
# --security-opt apparmor=unconfined (off) and with berth-default (on: the loaded-profile
# check before the clone and the exec attribute written through the container's procfs);
# prints each round and the ratio on/off of the medians. TCG emulates the CPU: absolute times
# are several times a real machine's; the ratio is the number to read.
# Usage: bash bench/apparmor.sh [BUILD_DIR]   (as root; default build dir: build)
# Environment: RUNS (200), ROUNDS (3).
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
/apparmor=unconfined median_us=/ { for (i = 1; i <= NF; i++) if ($i ~ /^median_us=/) { split($i, a, "="); off += a[2]; noff++ } }
/apparmor=berth-default median_us=/ { for (i = 1; i <= NF; i++) if ($i ~ /^median_us=/) { split($i, a, "="); on += a[2]; non++ } }
END {
        if (noff && non) printf "berth-exec start of /bin/true in the VM, mean of round medians: off %.0f us, on %.0f us, ratio on/off %.3f\n", off / noff, on / non, (on / non) / (off / noff)
        else { print "no timings (see above)"; exit 1 }
}'
