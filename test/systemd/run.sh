#!/bin/bash
# berth under a booted systemd (suite 'systemd').
#
# Boots systemd as PID 1 inside systemd-nspawn over an overlay of the host's /, with this
# build installed into the overlay and the scenario descriptions in its /etc/berth. A oneshot
# probe.service runs test/systemd/probe.sh inside the booted system (after
# multi-user.target), writes TAP into a bound results dir and powers off. This script
# replays that TAP with its own checks around it (the boot finished, the probe ran to the
# end), so a hung boot is reported as a failure with the console's tail, never as silence.
#
# Everything the booted system writes lands in the overlay's upper dir: the host is untouched.
. "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

require_root
command -v systemd-nspawn >/dev/null || tap_skip_all "systemd-nspawn not installed (Debian: systemd-container)"
[ -x "$BERTH_CLI_BIN" ] || tap_skip_all "berth not built at $BERTH_CLI_BIN"
ensure_rootfs

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
boot_timeout=${BERTH_BOOT_TIMEOUT:-300}

# The overlay's upper and work dirs must be on one file system that is not itself an
# overlay; /var/tmp is on the root file system here and in CI.
state=$(mktemp -d /var/tmp/berth-systemd.XXXXXX)
root=$state/root
results=$state/results
mkdir -p "$state/upper" "$state/work" "$root" "$results"

cleanup() {
        if mountpoint -q "$root"; then
                umount "$root" 2>/dev/null || umount -l "$root"
        fi
        if [ -n "${BERTH_KEEP_STATE:-}" ]; then
                echo "# state kept in $state" >&2
        else
                rm -rf "$state"
        fi
}
trap cleanup EXIT

fail_setup() {
        ok 1 "$1"
        [ -n "${2:-}" ] && diag "$2"
        tap_done
}

# The shipped examples' roots, from Debian's packages (cached): before the overlay is mounted.
out=$(bash "$here/probe-services.sh" --prepare "$state" 2>&1) || fail_setup "build the examples' roots from Debian packages" "$out"
mount -t overlay overlay -o "lowerdir=/,upperdir=$state/upper,workdir=$state/work" "$root" ||
        fail_setup "mount an overlay of / at $root"

# The build, installed as a package would be (generator into systemd's generator dir,
# berth-exec into libexec, the tmpfiles.d snippet, the CLI).
if ! out=$(DESTDIR=$root meson install -C "$BERTH_BUILD_DIR" --no-rebuild --quiet 2>&1); then
        fail_setup "meson install into the overlay" "$out"
fi

# Nothing berth-related from the host's own /etc may leak into the booted system.
# The descriptions name the busybox root as @ROOTFS@. Those in boot/ are there when systemd
# boots; the probe drops those in later/ into /etc/berth itself.
rm -rf "$root/etc/berth"
mkdir -p "$root/etc/berth" "$root/usr/local/lib/berth-test"
cp -r "$here/descriptions/boot/." "$root/etc/berth/"
# The broken description gets a name unique to this run: its generator message also lands in
# the host's kernel log (see kmsg below), and an earlier run's line must not pass for this one's.
run_id=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
mv "$root/etc/berth/broken.container" "$root/etc/berth/broken-$run_id.container"
echo "$run_id" >"$root/usr/local/lib/berth-test/run-id"
cp -r "$here/descriptions/later" "$root/usr/local/lib/berth-test/later"
find "$root/etc/berth" "$root/usr/local/lib/berth-test/later" -type f -exec sed -i "s|@ROOTFS@|$BERTH_ROOTFS|g" {} +
cp "$here"/probe*.sh "$BERTH_SOURCE_DIR/test/lib/tap.sh" "$state/service-roots" "$root/usr/local/lib/berth-test/"
echo "$BERTH_ROOTFS" >"$root/usr/local/lib/berth-test/rootfs"
# The payloads' scripts, inside the container root as the overlay sees it (the host's copy
# of the root is not touched).
mkdir -p "$root$BERTH_ROOTFS/berth-test"
cp "$here"/payload/*.sh "$root$BERTH_ROOTFS/berth-test/"
# The root has no libc: the Notify=yes payload is built static.
if ! out=$(${CC:-cc} -static -O2 -o "$root$BERTH_ROOTFS/berth-test/notify-ready" "$here/payload/notify-ready.c" 2>&1); then
        fail_setup "build the static notify-ready payload" "$out"
fi

# Units that are slow, touch the clock or the network, or wait for a console: masked.
sysdir=$root/etc/systemd/system
for u in postgresql.service console-getty.service getty@tty1.service mcstrans.service \
        systemd-timesyncd.service apparmor.service e2scrub_reap.service \
        apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer \
        dpkg-db-backup.timer fstrim.timer; do
        ln -sfn /dev/null "$sysdir/$u"
done

cat >"$sysdir/berth-probe.service" <<'EOF'
[Unit]
Description=berth end-to-end probe
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/bin/bash /usr/local/lib/berth-test/probe.sh /results
ExecStopPost=/bin/systemctl poweroff --no-block
StandardOutput=journal+console
StandardError=journal+console
TimeoutStartSec=600

[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$sysdir/multi-user.target.wants"
ln -sfn ../berth-probe.service "$sysdir/multi-user.target.wants/berth-probe.service"

# nspawn gives the container no /dev/kmsg, so a generator's messages (SPEC §1: to /dev/kmsg,
# as systemd's own generators do) would go nowhere. Binding the kernel's log device in makes
# the booted system behave like a real host: the generator writes to it and journald reads
# it back into the journal (this also leaves one line per broken description in the host's
# dmesg, as booting a real machine would).
kmsg_bind=()
[ -c /dev/kmsg ] && kmsg_bind=(--bind=/dev/kmsg)

# A cgroup2-only view of the cgroups for the booted systemd, and bpf() allowed to it: systemd's
# device policy (DevicePolicy=, DeviceAllow=) is a BPF cgroup-device program, which it cannot
# attach in the hybrid layout nor load under nspawn's default seccomp filter. On a hybrid host
# nspawn mounts the unified hierarchy it runs in.
nspawn_cgroup=(--system-call-filter=bpf)
console=$state/console.log
start=$(date +%s)
SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1 timeout --kill-after=10 "$boot_timeout" \
        systemd-nspawn -q -D "$root" --register=no --keep-unit --capability=all \
        --bind="$results:/results" "${kmsg_bind[@]}" "${nspawn_cgroup[@]}" -b </dev/null >"$console" 2>&1
nspawn_status=$?
elapsed=$(($(date +%s) - start))

if [ "$nspawn_status" -eq 124 ] || [ "$nspawn_status" -eq 137 ]; then
        ok 1 "the booted systemd ran the probe and powered off within ${boot_timeout}s (hung: killed after ${elapsed}s)"
        diag "last console lines:"
        tail -n 40 "$console" | sed 's/^/#   /'
else
        ok 0 "the booted systemd ran the probe and powered off (${elapsed}s, nspawn exit $nspawn_status)"
fi

# Replay the probe's TAP under this script's numbering.
tap_replay_plan=
[ -f "$results/tap" ] && tap_replay "" <"$results/tap"
[ -n "$tap_replay_plan" ]
if ! ok $? "the probe inside the booted systemd ran to its end (plan line written)"; then
        diag "console:"
        tail -n 60 "$console" | sed 's/^/#   /'
        [ -f "$results/journal.txt" ] && { diag "journal tail:"; tail -n 80 "$results/journal.txt" | sed 's/^/#   /'; }
fi
if [ "$TAP_FAILED" -gt 0 ] && [ -f "$results/journal.txt" ]; then
        diag "journal of the booted system: $state/results/journal.txt (BERTH_KEEP_STATE=1 keeps it)"
        grep -E 'berth|probe' "$results/journal.txt" | tail -n 60 | sed 's/^/#   /'
fi
tap_done
