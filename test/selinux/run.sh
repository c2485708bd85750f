#!/bin/bash
# Suite 'selinux': SELinux labels proven under a real SELinux kernel. Boots Debian's cloud
# kernel under qemu (TCG: KVM crashes on this kind of machine) with SELinux on, from an
# initramfs holding busybox, the built berth-exec and berth with their shared libraries,
# mcstransd, a busybox container root and berth's own MLS test policy (policy.conf, compiled
# here by checkpolicy). The VM's /init (vm-init, then vm-tests.sh) sets enforcing mode, runs
# the label tests through berth-exec and prints TAP on the serial console; this script
# extracts it and reports each VM result as one of its own.
# Environment: BERTH_SELINUX_VM_TIMEOUT (seconds, default 600), BERTH_SELINUX_KEEP=1 keeps
# the work directory (initramfs, console log) for debugging.
selinux_dir=$(cd "$(dirname "$0")" && pwd)
. "$selinux_dir/../lib/common.sh"
set -u

require_root
timeout_s=${BERTH_SELINUX_VM_TIMEOUT:-600}

kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$kernel" ] || tap_skip_all "no /boot/vmlinuz-*-cloud-amd64 (Debian package linux-image-cloud-amd64)"
for tool in qemu-system-x86_64 checkpolicy cpio gzip cc ldd; do
        command -v "$tool" >/dev/null || tap_skip_all "$tool is not installed (test/lib/install-deps.sh)"
done
[ -x /usr/sbin/mcstransd ] || tap_skip_all "mcstransd is not installed (Debian package mcstrans)"
[ -x "$BERTH_EXEC_BIN" ] || tap_skip_all "berth-exec is not built at $BERTH_EXEC_BIN"
[ -x "$BERTH_CLI_BIN" ] || tap_skip_all "berth is not built at $BERTH_CLI_BIN"
busybox=$(command -v busybox)
# The VM has no libc of its own beyond what copy_with_libs brings: busybox must be static.
! ldd "$busybox" >/dev/null 2>&1 || tap_skip_all "busybox is not static (Debian package busybox-static)"
ensure_rootfs

work=$(mktemp -d /tmp/berth-selinux-vm.XXXXXX)
if [ "${BERTH_SELINUX_KEEP:-0}" = 1 ]; then
        diag "work directory kept: $work"
else
        trap 'rm -rf "$work"' EXIT
fi
ird=$work/initramfs

# ---- the policy, compiled at test time ----
checkpolicy -M -U allow -c 33 -o "$work/policy.33" "$selinux_dir/policy.conf" >"$work/checkpolicy.log" 2>&1
if ! ok $? "berth's MLS test policy compiles (checkpolicy -M -c 33)"; then
        sed 's/^/# /' "$work/checkpolicy.log"
        tap_done
fi

# ---- the initramfs ----
# Copies a dynamically linked program and every library ldd names (with the loader) into
# the initramfs at the same paths.
copy_with_libs() { # PROGRAM DEST
        local lib
        install -D -m 0755 "$1" "$ird$2" || return 1
        for lib in $(ldd "$1" | grep -o '/[^ ]*'); do
                [ -e "$ird$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$ird$lib" || return 1
        done
}

build_initramfs() {
        local a
        mkdir -p "$ird"/{bin,proc,sys,dev,run,tmp,data,results,var,containers} \
                "$ird/etc/selinux/berthtest/policy" "$ird/etc/selinux/berthtest/contexts" || return 1
        ln -s /run "$ird/var/run"
        mknod -m 600 "$ird/dev/console" c 5 1
        install -m 0755 "$busybox" "$ird/bin/busybox" || return 1
        for a in $("$busybox" --list); do
                [ "$a" = busybox ] || ln -sf busybox "$ird/bin/$a"
        done
        copy_with_libs "$BERTH_EXEC_BIN" /bin/berth-exec || return 1
        # the container's PID 1, found next to berth-exec (freestanding: no libraries)
        install -m 0755 "$(dirname "$BERTH_EXEC_BIN")/berth-init" "$ird/bin/berth-init" || return 1
        copy_with_libs "$BERTH_CLI_BIN" /bin/berth || return 1
        copy_with_libs /usr/sbin/mcstransd /bin/mcstransd || return 1
        # The probe runs inside containers, whose root has no libc: static.
        cc -O2 -static -o "$ird/bin/probe" "$selinux_dir/probe.c" || return 1
        cp -a "$BERTH_ROOTFS" "$ird/containers/root" || return 1
        install -D -m 0755 "$ird/bin/probe" "$ird/containers/root/usr/local/bin/probe" || return 1
        printf 'SELINUX=enforcing\nSELINUXTYPE=berthtest\n' >"$ird/etc/selinux/config"
        cp "$work/policy.33" "$ird/etc/selinux/berthtest/policy/policy.33" &&
                cp "$selinux_dir/setrans.conf" "$ird/etc/selinux/berthtest/setrans.conf" &&
                cp "$selinux_dir/lxc_contexts" "$ird/etc/selinux/berthtest/contexts/lxc_contexts" &&
                install -m 0755 "$selinux_dir/vm-init" "$ird/init" &&
                install -m 0755 "$selinux_dir/vm-tests.sh" "$ird/vm-tests.sh" || return 1
        (cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.cpio.gz"
}
build_initramfs >"$work/initramfs.log" 2>&1
if ! ok $? "initramfs with berth-exec, berth, mcstransd, busybox root and the policy"; then
        sed 's/^/# /' "$work/initramfs.log"
        tap_done
fi

# ---- boot ----
diag "booting $(basename "$kernel") under qemu TCG (timeout ${timeout_s}s)"
start=$(date +%s)
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1024 -nographic -no-reboot \
        -kernel "$kernel" -initrd "$work/initrd.cpio.gz" \
        -append "console=ttyS0 quiet loglevel=1 security=selinux selinux=1 panic=-1" \
        </dev/null 2>&1 | tr -d '\r' >"$work/console.log"
qemu_status=${PIPESTATUS[0]}
diag "VM ran $(($(date +%s) - start)) s, qemu status $qemu_status"

if grep -q '^BERTH-VM-FATAL' "$work/console.log"; then
        ok 1 "VM setup: $(grep -m1 '^BERTH-VM-FATAL' "$work/console.log")"
        tail -n 30 "$work/console.log" | sed 's/^/# console: /'
        tap_done
fi
if ! grep -q '^BERTH-VM-DONE' "$work/console.log"; then
        if [ "$qemu_status" = 124 ]; then
                why="the VM hung: no result after ${timeout_s}s (BERTH_SELINUX_VM_TIMEOUT)"
        else
                why="the VM stopped before finishing its tests (qemu status $qemu_status)"
        fi
        ok 1 "$why"
        tail -n 40 "$work/console.log" | sed 's/^/# console: /'
fi

# ---- the VM's TAP, re-reported here ----
vm_plan=
vm_results=0
while IFS= read -r line; do
        case $line in
        "TAP version"*) ;;
        "ok "*)
                vm_results=$((vm_results + 1))
                ok 0 "vm: ${line#ok * - }"
                ;;
        "not ok "*)
                vm_results=$((vm_results + 1))
                ok 1 "vm: ${line#not ok * - }"
                ;;
        "Bail out!"*) ok 1 "vm: $line" ;;
        "1.."*) vm_plan=${line#1..} ;;
        "#"*) echo "$line" ;;
        esac
done < <(sed -n 's/^.*BERTH-TAP: //p' "$work/console.log")

[ -n "$vm_plan" ] && [ "$vm_plan" = "$vm_results" ] && [ "$vm_results" -gt 0 ]
ok $? "the VM reported all its results (${vm_results} of plan ${vm_plan:-none})"
tap_done
