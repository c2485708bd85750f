# shellcheck shell=bash disable=SC2154
# Sourced by probe.sh inside the booted systemd (issue 11, items 5 and 6): the device policy of
# generated and transient units, and MAINPID= from a Notify=yes payload. Uses probe.sh's
# helpers (ok, is, like, prop, wait_log, unit_log, explain) and $rootfs. Each check has a
# control outside berth's units where the same thing succeeds.

# The helper the units run, as the generator wrote it into ExecStart=.
esc_exec_bin=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' /run/systemd/generator/web.service 2>/dev/null | head -n 1)
[ -x "$esc_exec_bin" ] || esc_exec_bin=$(find /usr/local/libexec /usr/libexec -name berth-exec -type f 2>/dev/null | head -n 1)

# A block node shipped in the root (the overlay's copy of it: the host's root is untouched).
mkdir -p "$rootfs/shipped"
[ -b "$rootfs/shipped/loop0" ] || mknod -m 0666 "$rootfs/shipped/loop0" b 7 0
# A device this booted system has, for Device= (nspawn's /dev is small).
esc_dev=
for d in /dev/net/tun /dev/fuse /dev/full; do
        [ -c "$d" ] && { esc_dev=$d; break; }
done

# ---- the device policy of a generated unit
cat >/etc/berth/esc-mounts-dev.container <<EOF
# issue 11: a default container with one Device=
[Container]
RootDirectory=$rootfs
Device=$esc_dev:/dev/esc-dev:rw
Exec=/bin/sh /berth-test/devices.sh /dev/esc-dev
EOF
# SYS_ADMIN and no seccomp filter: the container can mount a tmpfs of its own (not nodev) and
# mknod a block node there; only the unit's device cgroup stands in the way.
cat >/etc/berth/esc-mounts-devadmin.container <<EOF
# issue 11: the device cgroup alone
[Container]
RootDirectory=$rootfs
AddCapability=SYS_ADMIN
SeccompProfile=unconfined
Tmpfs=/tmp
Exec=/bin/sh /berth-test/devices.sh
EOF
systemctl daemon-reload
systemctl start esc-mounts-dev.service esc-mounts-devadmin.service
ok $? "systemctl start esc-mounts-dev.service esc-mounts-devadmin.service" || explain esc-mounts-dev.service
is "$(prop esc-mounts-dev.service DevicePolicy)" closed "a generated unit has DevicePolicy=closed"
allow=$(systemctl show -p DeviceAllow esc-mounts-dev.service | tr '\n' ' ')
missing=
for d in /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty; do
        [[ $allow == *"$d rwm"* ]] || missing+=" $d"
done
[ -z "$missing" ] && [[ $allow == *"$esc_dev rw"* ]]
ok $? "... and DeviceAllow= the six standard devices (rwm) and Device=$esc_dev (rw) (missing:$missing; $allow)"
grep -q '^DevicePolicy=closed$' /run/systemd/generator/esc-mounts-dev.service
ok $? "... written by the generator into the unit file"
wait_log esc-mounts-dev.service '^devices-done$'
is "$(unit_log esc-mounts-dev.service | sed -n 's/^shipped: //p' | tail -n 1)" "Permission denied" \
        "a block node shipped in the root (b 7:0, mode 0666) does not open in the container" || explain esc-mounts-dev.service
is "$(unit_log esc-mounts-dev.service | sed -n 's/^device: //p' | tail -n 1)" ok \
        "Device=$esc_dev:/dev/esc-dev: the bound, allowed device opens" || explain esc-mounts-dev.service
is "$(unit_log esc-mounts-dev.service | sed -n 's/^null: //p' | tail -n 1)" ok "/dev/null opens"
wait_log esc-mounts-devadmin.service '^devices-done$'
like "$(unit_log esc-mounts-devadmin.service | sed -n 's/^made: //p' | tail -n 1)" "Operation not permitted$" \
        "with SYS_ADMIN, a block node on the container's own tmpfs (not nodev) is refused by the unit's device cgroup" ||
        explain esc-mounts-devadmin.service
# Control: the same container run by hand (no unit of its own, no device policy) opens it.
out=$("$esc_exec_bin" --rootfs "$rootfs" --cap-add SYS_ADMIN --security-opt seccomp=unconfined --tmpfs /tmp \
        -- /bin/sh /berth-test/devices.sh - once 2>&1)
is "$(printf '%s\n' "$out" | sed -n 's/^made: //p')" ok "control: the same container by hand, without the policy, opens it" ||
        diag_text "$out"
systemctl stop esc-mounts-dev.service esc-mounts-devadmin.service

# ---- berth run: the same policy on a transient unit
out=$(berth run --unit esc-mounts-run --device "$esc_dev:/dev/esc-dev:r" --rootfs "$rootfs" \
        -- /bin/sh /berth-test/devices.sh /dev/esc-dev 2>&1)
ok $? "berth run --device $esc_dev:/dev/esc-dev:r ($out)"
is "$(prop esc-mounts-run.service DevicePolicy)" closed "berth run: the transient unit has DevicePolicy=closed"
allow=$(systemctl show -p DeviceAllow esc-mounts-run.service | tr '\n' ' ')
[[ $allow == *"/dev/null rwm"* ]] && [[ $allow == *"/dev/tty rwm"* ]] && [[ $allow == *"$esc_dev r"* ]]
ok $? "... with DeviceAllow= the standard devices and $esc_dev r ($allow)"
wait_log esc-mounts-run.service '^devices-done$'
is "$(unit_log esc-mounts-run.service | sed -n 's/^shipped: //p' | tail -n 1)" "Permission denied" \
        "berth run: the shipped block node does not open" || explain esc-mounts-run.service
systemctl stop esc-mounts-run.service

# ---- Notify=yes: MAINPID= from the payload never reaches systemd
sleep 98765 &
esc_decoy=$!
cat >/etc/berth/esc-mounts-mainpid.container <<EOF
# issue 11: a payload that names a host process as the main PID
[Container]
RootDirectory=$rootfs
Notify=yes
Exec=/berth-test/notify-ready READY=1 "STATUS=claimed MAINPID=$esc_decoy" MAINPID=$esc_decoy
EOF
systemctl daemon-reload
systemctl start esc-mounts-mainpid.service
ok $? "Notify=yes: the payload's READY=1 (sent with MAINPID=$esc_decoy) starts the unit" || explain esc-mounts-mainpid.service
is "$(prop esc-mounts-mainpid.service StatusText)" "claimed MAINPID=$esc_decoy" \
        "the payload's STATUS= came through the proxy (so its MAINPID= line was read too)"
main=$(prop esc-mounts-mainpid.service MainPID)
[ "$main" != "$esc_decoy" ] && [ "$(cat "/proc/$main/comm" 2>/dev/null)" = berth-exec ]
ok $? "systemctl show -p MainPID is still berth-exec ($main, comm $(cat "/proc/$main/comm" 2>/dev/null)), not the decoy $esc_decoy"
systemctl stop esc-mounts-mainpid.service
sleep 0.2
kill -0 "$esc_decoy" 2>/dev/null
ok $? "the decoy host process $esc_decoy survives systemctl stop"
kill "$esc_decoy" 2>/dev/null

# Control: the same message from a process of a plain unit moves the main PID to the decoy,
# and stop kills it.
sleep 98766 &
esc_decoy2=$!
systemd-run --quiet --unit esc-mounts-ctl -p Type=notify -p NotifyAccess=all \
        "$rootfs/berth-test/notify-ready" READY=1 MAINPID=$esc_decoy2 >/dev/null 2>&1
is "$(prop esc-mounts-ctl.service MainPID)" "$esc_decoy2" "control: without berth's proxy, MAINPID=$esc_decoy2 becomes the unit's main PID"
systemctl stop esc-mounts-ctl.service
for _ in $(seq 30); do kill -0 "$esc_decoy2" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$esc_decoy2" 2>/dev/null
ok $? "control: ... and systemctl stop kills that host process"
kill "$esc_decoy2" 2>/dev/null
rm -f /etc/berth/esc-mounts-*.container
systemctl daemon-reload
