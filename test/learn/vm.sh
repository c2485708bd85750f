#!/bin/bash
# berth learn on Debian 12's own kernel (linux-image-cloud-amd64, 6.1), booted under qemu TCG
# as test/selinux does: that kernel has no capability:cap_capable tracepoint, so the tracer
# attaches fexit to cap_capable (and reads the noaudit flag); a second run forces the kprobe
# pair. The VM learns the fixture (vm-tests.sh) and enforces the result; its TAP comes back on
# the serial console.
learn_dir=$(cd "$(dirname "$0")" && pwd)
. "$learn_dir/../lib/common.sh"
set -u

[ "$(id -u)" -eq 0 ] || tap_skip_all "needs root"
timeout_s=${BERTH_LEARN_VM_TIMEOUT:-600}
kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
[ -n "$kernel" ] || tap_skip_all "no /boot/vmlinuz-*-cloud-amd64 (Debian package linux-image-cloud-amd64)"
for tool in qemu-system-x86_64 cpio gzip ldd; do
        command -v "$tool" >/dev/null || tap_skip_all "$tool is not installed (test/lib/install-deps.sh)"
done
fixture_bin=$BERTH_BUILD_DIR/test/learn/learn-fixture
[ -x "$fixture_bin" ] || tap_skip_all "learn-fixture is not built"
busybox=$(command -v busybox)
! ldd "$busybox" >/dev/null 2>&1 || tap_skip_all "busybox is not static (Debian package busybox-static)"
ensure_rootfs

work=$(mktemp -d /tmp/berth-learn-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
ird=$work/initramfs

copy_with_libs() { # PROGRAM DEST
        local lib
        install -D -m 0755 "$1" "$ird$2" || return 1
        for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
                [ -e "$ird$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$ird$lib" || return 1
        done
}

build_initramfs() {
        local a
        mkdir -p "$ird"/{bin,proc,sys,dev,run,tmp,data,out,containers} || return 1
        mknod -m 600 "$ird/dev/console" c 5 1
        install -m 0755 "$busybox" "$ird/bin/busybox" || return 1
        for a in $("$busybox" --list); do
                [ "$a" = busybox ] || ln -sf busybox "$ird/bin/$a"
        done
        copy_with_libs "$BERTH_EXEC_BIN" /bin/berth-exec || return 1
        install -m 0755 "$(dirname "$BERTH_EXEC_BIN")/berth-init" "$ird/bin/berth-init" || return 1
        copy_with_libs "$BERTH_CLI_BIN" /bin/berth || return 1
        cp -a "$BERTH_ROOTFS" "$ird/containers/root" || return 1
        install -m 0755 "$fixture_bin" "$ird/containers/root/bin/learn-fixture" || return 1
        install -m 0755 "$learn_dir/vm-init" "$ird/init" &&
                install -m 0755 "$learn_dir/vm-tests.sh" "$ird/vm-tests.sh" || return 1
        (cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.cpio.gz"
}
build_initramfs >"$work/initramfs.log" 2>&1
if ! ok $? "initramfs with berth, berth-exec, the busybox root and the fixture"; then
        sed 's/^/# /' "$work/initramfs.log"
        tap_done
fi

# apparmor=0: this VM proves the kprobe/fexit tracer on Debian's own kernel, where AppArmor is
# on by default and berth-exec would (rightly) refuse to start without berth-default loaded;
# AppArmor confinement has its own VM suite (test/apparmor/).
diag "booting $(basename "$kernel") under qemu TCG (timeout ${timeout_s}s)"
start=$(date +%s)
timeout "$timeout_s" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1024 -nographic -no-reboot \
        -kernel "$kernel" -initrd "$work/initrd.cpio.gz" \
        -append "console=ttyS0 quiet loglevel=1 panic=-1 apparmor=0" \
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
                ok 1 "the VM hung: no result after ${timeout_s}s (BERTH_LEARN_VM_TIMEOUT)"
        else
                ok 1 "the VM stopped before finishing its tests (qemu status $qemu_status)"
        fi
        tail -n 40 "$work/console.log" | sed 's/^/# console: /'
fi

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
        "1.."*) vm_plan=${line#1..} ;;
        "#"*) echo "$line" ;;
        esac
done < <(sed -n 's/^.*BERTH-TAP: //p' "$work/console.log")

[ -n "$vm_plan" ] && [ "$vm_plan" = "$vm_results" ] && [ "$vm_results" -gt 0 ]
ok $? "the VM reported all its results (${vm_results} of plan ${vm_plan:-none})"
tap_done
