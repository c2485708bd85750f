#!/bin/bash
# berth learn on Debian 12's own kernel (linux-image-cloud-amd64, 6.1), booted under qemu TCG
# as test/selinux does (test/lib/vm.sh): that kernel has no capability:cap_capable tracepoint,
# so the tracer attaches fexit to cap_capable (and reads the noaudit flag); a second run
# forces the kprobe pair. The VM learns the fixture (vm-tests.sh) and enforces the result; its
# TAP comes back on the serial console.
learn_dir=$(cd "$(dirname "$0")" && pwd)
. "$learn_dir/../lib/common.sh"
. "$learn_dir/../lib/vm.sh"
set -u

[ "$(id -u)" -eq 0 ] || tap_skip_all "needs root"
timeout_s=${BERTH_LEARN_VM_TIMEOUT:-600}
vm_require
fixture_bin=$BERTH_BUILD_DIR/test/learn/learn-fixture
[ -x "$fixture_bin" ] || tap_skip_all "learn-fixture is not built"
ensure_rootfs

work=$(mktemp -d /tmp/berth-learn-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
vm_ird=$work/initramfs

build_initramfs() {
        vm_initramfs_base || return 1
        mkdir -p "$vm_ird/out" || return 1
        install -m 0755 "$fixture_bin" "$vm_ird/containers/root/bin/learn-fixture" || return 1
        install -m 0755 "$learn_dir/vm-init" "$vm_ird/init" &&
                install -m 0755 "$learn_dir/vm-tests.sh" "$vm_ird/vm-tests.sh" || return 1
        vm_pack "$work/initrd.cpio.gz"
}
build_initramfs >"$work/initramfs.log" 2>&1
if ! ok $? "initramfs with berth, berth-exec, the busybox root and the fixture"; then
        sed 's/^/# /' "$work/initramfs.log"
        tap_done
fi

# apparmor=0: this VM proves the kprobe/fexit tracer on Debian's own kernel, where AppArmor is
# on by default and berth-exec would (rightly) refuse to start without berth-default loaded;
# AppArmor confinement has its own VM suite (test/apparmor/).
vm_boot "$work/initrd.cpio.gz" "console=ttyS0 quiet loglevel=1 panic=-1 apparmor=0" "$timeout_s" "$work/console.log"
vm_report "$work/console.log" "BERTH_LEARN_VM_TIMEOUT=${timeout_s}s"
tap_done
