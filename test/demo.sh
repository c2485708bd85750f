#!/bin/bash
# berth's demo, on a fresh Debian 12 machine as root:
#   a real container description (conf/examples/demo.container) goes through berth-generator
#   into a NAME.service unit; its ExecStart= (split exactly as systemd would) runs berth-exec
#   on the bundled busybox root, and the container prints what it got. Then a description
#   with a typo shows how the generator reports it while still writing the good one.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "installing build dependencies (Debian packages)"
bash test/lib/install-deps.sh --build

step "building berth"
build=$src/build-demo
[ -d "$build" ] || meson setup "$build" >/dev/null
ninja -C "$build" >"$build.log" 2>&1 || { cat "$build.log"; exit 1; }

bash test/lib/apparmor-default.sh

rootfs=/var/tmp/berth-rootfs
step "building the bundled busybox root at $rootfs"
bash test/lib/make-rootfs.sh "$rootfs"
ls "$rootfs"

work=$(mktemp -d /tmp/berth-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/etc/berth" "$work/generated"
cp conf/examples/demo.container "$work/etc/berth/"
cat >"$work/etc/berth/typo.container" <<'D'
[Container]
RootDirectory=/var/tmp/berth-rootfs
Exec=/bin/true
AddCapability=SYS_TYPO
D

step "the description: demo.container"
cat "$work/etc/berth/demo.container"

step "berth-generator (as systemd runs it at boot and on daemon-reload)"
set +e
BERTH_UNIT_PATH=$work/etc/berth BERTH_EXEC_PATH=$build/src/exec/berth-exec BERTH_LOG_STDERR=1 \
        "$build/generators/berth-generator" "$work/generated"
gen_status=$?
set -e
echo "generator exit status: $gen_status (1: one description failed, the good one is still written)"
ls "$work/generated"

step "the generated unit: demo.service"
cat "$work/generated/demo.service"

step "running its ExecStart= exactly as systemd would split it"
mapfile -d '' argv < <(python3 - "$work/generated/demo.service" <<'PY'
import sys
sys.path.insert(0, "test/generator")
from systemd_exec import exec_argv, read_unit
value = [v for s, k, v in read_unit(sys.argv[1]) if s == "Service" and k == "ExecStart"][-1]
for word in exec_argv(value, "demo.service"):
    sys.stdout.buffer.write(word + b"\0")
PY
)
printf '  %q' "${argv[@]}"
echo
echo "--- container output ---"
"${argv[@]}"
echo "--- exit status: $? ---"

step "what the same container sees with the defaults (Docker's 14 capabilities)"
"$build/src/exec/berth-exec" --name demo-defaults --rootfs "$rootfs" -- /bin/sh -c \
        'grep ^CapEff /proc/self/status; echo "pid in container: $$"; ls /'
step "done"
