#!/bin/sh
# TAP inside berth's qemu test VMs (test/apparmor/, test/selinux/), sourced by their
# vm-tests.sh from the initramfs (vm_initramfs_base puts it at /vm-tap.sh): each TAP line goes
# to the console prefixed "BERTH-TAP: " for the host's vm_report; finish powers off.
N=0

say() { echo "BERTH-TAP: $*"; }
diag() { printf '%s\n' "$*" | while IFS= read -r line; do say "# $line"; done; }
ok() {
        status=$1
        shift
        N=$((N + 1))
        if [ "$status" -eq 0 ]; then say "ok $N - $*"; else say "not ok $N - $*"; fi
        return "$status"
}
is() {
        got=$1 want=$2
        shift 2
        [ "$got" = "$want" ] && ok 0 "$*" && return 0
        ok 1 "$*"
        diag "got:  $got"
        diag "want: $want"
        return 1
}
like() {
        got=$1 pattern=$2
        shift 2
        printf '%s' "$got" | grep -Eq -- "$pattern" && ok 0 "$*" && return 0
        ok 1 "$*"
        diag "got: $got"
        diag "want match: $pattern"
        return 1
}
finish() {
        say "1..$N"
        echo "BERTH-VM-DONE"
        sync
        poweroff -f
}
bail() {
        say "Bail out! $*"
        finish
}
# run BERTH-EXEC-ARGS...: sets out (stdout), err (stderr) and rc.
run() {
        out=$(berth-exec "$@" 2>/tmp/stderr)
        rc=$?
        err=$(cat /tmp/stderr)
}
