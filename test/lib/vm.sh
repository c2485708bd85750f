# Shared pieces of berth's qemu VM tests (test/selinux/, test/apparmor/): Debian's cloud
# kernel under TCG, an initramfs of static busybox plus the
# built berth binaries with the shared libraries ldd lists, TAP on the serial console
# prefixed "BERTH-TAP: ", re-reported by the host script as its own results.
# Source after common.sh. Uses and sets: vm_kernel, vm_busybox, vm_ird (the initramfs tree).

# vm_require TOOL...: skips the whole test (a failure under CI=true) without the kernel or tools.
vm_require() {
        local tool
        vm_kernel=$(ls /boot/vmlinuz-*-cloud-amd64 2>/dev/null | sort -V | tail -1)
        [ -n "$vm_kernel" ] || tap_skip_all "no /boot/vmlinuz-*-cloud-amd64 (Debian package linux-image-cloud-amd64)"
        for tool in qemu-system-x86_64 cpio gzip cc ldd "$@"; do
                command -v "$tool" >/dev/null || tap_skip_all "$tool is not installed (test/lib/install-deps.sh)"
        done
        [ -x "$BERTH_EXEC_BIN" ] || tap_skip_all "berth-exec is not built at $BERTH_EXEC_BIN"
        [ -x "$BERTH_CLI_BIN" ] || tap_skip_all "berth is not built at $BERTH_CLI_BIN"
        vm_busybox=$(command -v busybox)
        # The VM has no libc of its own beyond what vm_copy_with_libs brings: busybox must be static.
        ! ldd "$vm_busybox" >/dev/null 2>&1 || tap_skip_all "busybox is not static (Debian package busybox-static)"
}

# vm_copy_with_libs PROGRAM DEST: the program and every library ldd names (with the loader),
# at the same paths in the initramfs.
vm_copy_with_libs() {
        local lib
        install -D -m 0755 "$1" "$vm_ird$2" || return 1
        for lib in $(ldd "$1" 2>/dev/null | grep -o '/[^ ]*'); do
                [ -e "$vm_ird$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$vm_ird$lib" || return 1
        done
}

# vm_initramfs_base: busybox with its applets, berth-exec, berth-init, berth, the in-VM TAP
# helpers at /vm-tap.sh, and the busybox container root at /containers/root.
vm_initramfs_base() {
        local a
        mkdir -p "$vm_ird"/{bin,proc,sys,dev,run,tmp,data,results,var,etc,containers} || return 1
        ln -s /run "$vm_ird/var/run"
        mknod -m 600 "$vm_ird/dev/console" c 5 1
        install -m 0755 "$vm_busybox" "$vm_ird/bin/busybox" || return 1
        for a in $("$vm_busybox" --list); do
                [ "$a" = busybox ] || ln -sf busybox "$vm_ird/bin/$a"
        done
        vm_copy_with_libs "$BERTH_EXEC_BIN" /bin/berth-exec || return 1
        install -m 0755 "$(dirname "$BERTH_EXEC_BIN")/berth-init" "$vm_ird/bin/berth-init" || return 1
        vm_copy_with_libs "$BERTH_CLI_BIN" /bin/berth || return 1
        install -m 0644 "$BERTH_SOURCE_DIR/test/lib/vm-tap.sh" "$vm_ird/vm-tap.sh" || return 1
        cp -a "$BERTH_ROOTFS" "$vm_ird/containers/root"
}

# vm_pack OUT: the initramfs as a gzip'ed newc cpio.
vm_pack() {
        (cd "$vm_ird" && find . | cpio -o -H newc --quiet | gzip -1) >"$1"
}

# vm_boot INITRD CMDLINE TIMEOUT CONSOLE: boots, console (CR removed) into CONSOLE; sets
# vm_qemu_status (124: timed out).
vm_boot() {
        local start
        diag "booting $(basename "$vm_kernel") under qemu TCG (timeout ${3}s)"
        start=$(date +%s)
        timeout "$3" qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1024 -nographic -no-reboot \
                -kernel "$vm_kernel" -initrd "$1" -append "$2" </dev/null 2>&1 | tr -d '\r' >"$4"
        vm_qemu_status=${PIPESTATUS[0]}
        diag "VM ran $(($(date +%s) - start)) s, qemu status $vm_qemu_status"
}

# vm_report CONSOLE TIMEOUT-HINT: fails clearly on a VM that could not set up, hung or stopped
# early, then re-reports every "BERTH-TAP: " result as one of ours, and checks the VM's plan.
vm_report() {
        local console=$1 hint=$2 line why vm_plan= vm_results=0
        if grep -q '^BERTH-VM-FATAL' "$console"; then
                ok 1 "VM setup: $(grep -m1 '^BERTH-VM-FATAL' "$console")"
                tail -n 30 "$console" | sed 's/^/# console: /'
                return 1
        fi
        if ! grep -q '^BERTH-VM-DONE' "$console"; then
                if [ "$vm_qemu_status" = 124 ]; then
                        why="the VM hung: no result before the timeout ($hint)"
                else
                        why="the VM stopped before finishing its tests (qemu status $vm_qemu_status)"
                fi
                ok 1 "$why"
                tail -n 40 "$console" | sed 's/^/# console: /'
        fi
        tap_replay "vm: " < <(sed -n 's/^.*BERTH-TAP: //p' "$console")
        vm_plan=$tap_replay_plan vm_results=$tap_replay_results
        [ -n "$vm_plan" ] && [ "$vm_plan" = "$vm_results" ] && [ "$vm_results" -gt 0 ]
        ok $? "the VM reported all its results (${vm_results} of plan ${vm_plan:-none})"
}
