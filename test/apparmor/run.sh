#!/bin/bash
# Suite 'apparmor': AppArmor proven under Debian's own kernel. Boots linux-image-cloud-amd64
# under qemu (TCG) with nothing on the command line about LSMs: AppArmor is its default.
# The initramfs (test/lib/vm.sh) holds busybox, the built berth-exec, berth-init and berth,
# apparmor_parser with its configuration (parser.conf, the features file, abi/, tunables/,
# abstractions/), berth-default from conf/apparmor/ at /etc/apparmor.d/berth-default, and a
# busybox container root. vm-init moves to a tmpfs root; vm-tests.sh runs the tests and
# prints TAP on the serial console, re-reported here.
# Environment: BERTH_APPARMOR_VM_TIMEOUT (seconds, default 600); BERTH_APPARMOR_KEEP=1 keeps
# the work directory; BERTH_APPARMOR_VM_SCRIPT replaces vm-tests.sh (bench/apparmor.sh
# runs its timing script in the same VM this way), BERTH_APPARMOR_VM_TOOLS C files built
# static into the VM's /bin, BERTH_APPARMOR_VM_APPEND words for the kernel command line
# (VAR=VALUE words reach the VM's init as environment).
aa_dir=$(cd "$(dirname "$0")" && pwd)
. "$aa_dir/../lib/common.sh"
. "$aa_dir/../lib/vm.sh"
set -u

require_root
timeout_s=${BERTH_APPARMOR_VM_TIMEOUT:-600}
script=${BERTH_APPARMOR_VM_SCRIPT:-$aa_dir/vm-tests.sh}
vm_require
parser=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
[ -x "$parser" ] || tap_skip_all "apparmor_parser is not installed (Debian package apparmor)"
[ -r /etc/apparmor/parser.conf ] && [ -d /etc/apparmor.d/abstractions ] ||
        tap_skip_all "AppArmor's parser configuration is missing (Debian package apparmor)"
ensure_rootfs

work=$(mktemp -d /tmp/berth-apparmor-vm.XXXXXX)
if [ "${BERTH_APPARMOR_KEEP:-0}" = 1 ]; then
        diag "work directory kept: $work"
else
        trap 'rm -rf "$work"' EXIT
fi
vm_ird=$work/initramfs

# berth-default as shipped parses (the VM then loads it into a real kernel).
"$parser" -Q -K "$BERTH_SOURCE_DIR/conf/apparmor/berth-default" >"$work/parse.log" 2>&1
ok $? "conf/apparmor/berth-default passes apparmor_parser -Q" || sed 's/^/# /' "$work/parse.log"

build_initramfs() {
        local features
        vm_initramfs_base || return 1
        vm_copy_with_libs "$parser" /sbin/apparmor_parser || return 1
        mkdir -p "$vm_ird/etc/apparmor" "$vm_ird/etc/apparmor.d" "$vm_ird/var/cache/apparmor" "$vm_ird/etc/berth"
        cp /etc/apparmor/parser.conf "$vm_ird/etc/apparmor/" || return 1
        features=$(sed -n 's/^policy-features=//p' /etc/apparmor/parser.conf)
        if [ -n "$features" ]; then
                install -D -m 0644 "$features" "$vm_ird$features" || return 1
        fi
        cp -a /etc/apparmor.d/abi /etc/apparmor.d/tunables /etc/apparmor.d/abstractions "$vm_ird/etc/apparmor.d/" || return 1
        install -m 0644 "$BERTH_SOURCE_DIR/conf/apparmor/berth-default" "$vm_ird/etc/apparmor.d/berth-default" || return 1
        # The probe runs inside containers, whose root has no libc: static.
        cc -O2 -static -o "$vm_ird/bin/probe" "$BERTH_SOURCE_DIR/test/selinux/probe.c" || return 1
        install -D -m 0755 "$vm_ird/bin/probe" "$vm_ird/containers/root/usr/local/bin/probe" || return 1
        for tool in ${BERTH_APPARMOR_VM_TOOLS:-}; do
                cc -O2 -static -o "$vm_ird/bin/$(basename "$tool" .c)" "$tool" || return 1
        done
        install -m 0755 "$aa_dir/vm-init" "$vm_ird/init" &&
                install -m 0755 "$script" "$vm_ird/vm-tests.sh" || return 1
        vm_pack "$work/initrd.cpio.gz"
}
build_initramfs >"$work/initramfs.log" 2>&1
if ! ok $? "initramfs with berth-exec, berth, apparmor_parser and its configuration, berth-default, a busybox root"; then
        sed 's/^/# /' "$work/initramfs.log"
        tap_done
fi

# No security= or apparmor= on the command line: the kernel's default LSM order applies.
vm_boot "$work/initrd.cpio.gz" "console=ttyS0 quiet loglevel=1 panic=-1 ${BERTH_APPARMOR_VM_APPEND:-}" "$timeout_s" "$work/console.log"
vm_report "$work/console.log" "BERTH_APPARMOR_VM_TIMEOUT=${timeout_s}s"
tap_done
