#!/bin/bash
# Suite 'selinux': SELinux labels proven under a real SELinux kernel. Boots Debian's cloud
# kernel under qemu (TCG: KVM crashes on this kind of machine) with SELinux on, from an
# initramfs holding busybox, the built berth-exec and berth with their shared libraries,
# mcstransd, a busybox container root and berth's own MLS test policy (policy.conf, compiled
# here by checkpolicy). The VM's /init (vm-init, then vm-tests.sh) sets enforcing mode, runs
# the label tests through berth-exec and prints TAP on the serial console; this script
# extracts it and reports each VM result as one of its own (test/lib/vm.sh).
# Environment: BERTH_SELINUX_VM_TIMEOUT (seconds, default 600), BERTH_SELINUX_KEEP=1 keeps
# the work directory (initramfs, console log) for debugging.
selinux_dir=$(cd "$(dirname "$0")" && pwd)
. "$selinux_dir/../lib/common.sh"
. "$selinux_dir/../lib/vm.sh"
set -u

require_root
timeout_s=${BERTH_SELINUX_VM_TIMEOUT:-600}
vm_require checkpolicy
[ -x /usr/sbin/mcstransd ] || tap_skip_all "mcstransd is not installed (Debian package mcstrans)"
ensure_rootfs

work=$(mktemp -d /tmp/berth-selinux-vm.XXXXXX)
if [ "${BERTH_SELINUX_KEEP:-0}" = 1 ]; then
        diag "work directory kept: $work"
else
        trap 'rm -rf "$work"' EXIT
fi
vm_ird=$work/initramfs

# ---- the policy, compiled at test time ----
checkpolicy -M -U allow -c 33 -o "$work/policy.33" "$selinux_dir/policy.conf" >"$work/checkpolicy.log" 2>&1
if ! ok $? "berth's MLS test policy compiles (checkpolicy -M -c 33)"; then
        sed 's/^/# /' "$work/checkpolicy.log"
        tap_done
fi

# ---- the initramfs ----
build_initramfs() {
        vm_initramfs_base || return 1
        mkdir -p "$vm_ird/etc/selinux/berthtest/policy" "$vm_ird/etc/selinux/berthtest/contexts" || return 1
        vm_copy_with_libs /usr/sbin/mcstransd /bin/mcstransd || return 1
        # The probe runs inside containers, whose root has no libc: static.
        cc -O2 -static -o "$vm_ird/bin/probe" "$selinux_dir/probe.c" || return 1
        install -D -m 0755 "$vm_ird/bin/probe" "$vm_ird/containers/root/usr/local/bin/probe" || return 1
        printf 'SELINUX=enforcing\nSELINUXTYPE=berthtest\n' >"$vm_ird/etc/selinux/config"
        cp "$work/policy.33" "$vm_ird/etc/selinux/berthtest/policy/policy.33" &&
                cp "$selinux_dir/setrans.conf" "$vm_ird/etc/selinux/berthtest/setrans.conf" &&
                cp "$selinux_dir/lxc_contexts" "$vm_ird/etc/selinux/berthtest/contexts/lxc_contexts" &&
                install -m 0755 "$selinux_dir/vm-init" "$vm_ird/init" &&
                install -m 0755 "$selinux_dir/vm-tests.sh" "$vm_ird/vm-tests.sh" || return 1
        vm_pack "$work/initrd.cpio.gz"
}
build_initramfs >"$work/initramfs.log" 2>&1
if ! ok $? "initramfs with berth-exec, berth, mcstransd, busybox root and the policy"; then
        sed 's/^/# /' "$work/initramfs.log"
        tap_done
fi

# ---- boot ----
vm_boot "$work/initrd.cpio.gz" "console=ttyS0 quiet loglevel=1 security=selinux selinux=1 panic=-1" "$timeout_s" "$work/console.log"
vm_report "$work/console.log" "BERTH_SELINUX_VM_TIMEOUT=${timeout_s}s"
tap_done
