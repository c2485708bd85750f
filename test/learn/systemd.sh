#!/bin/bash
# The learned drop-in and profile under a booted systemd (as test/systemd/run.sh boots it:
# systemd as PID 1 in systemd-nspawn over an overlay of /, this build installed into it).
# On the host, `berth learn learn-fixture --write` learns the fixture; inside, the probe
# (systemd-probe.sh) installs the description with its learned drop-in into /etc/berth and
# `systemctl start`s it, plus two controls: the same without SYS_TIME (must fail), and the
# fixture's forbidden calls with CAP_SYS_ADMIN added (the learned profile must answer EPERM).
. "$(dirname "$0")/../lib/common.sh"

[ "$(id -u)" -eq 0 ] || tap_skip_all "needs root"
command -v systemd-nspawn >/dev/null || tap_skip_all "systemd-nspawn not installed (Debian: systemd-container)"
fixture_bin=$BERTH_BUILD_DIR/test/learn/learn-fixture
[ -x "$fixture_bin" ] || tap_skip_all "learn-fixture is not built"
ensure_rootfs
here=$(cd "$(dirname "$0")" && pwd)
boot_timeout=${BERTH_BOOT_TIMEOUT:-300}

# Staged under /var/tmp, on the root file system: the overlay of / shows it at the same path,
# so the paths the drop-in names are valid inside the booted system too.
state=$(mktemp -d /var/tmp/berth-learn-systemd.XXXXXX)
root=$state/overlay
cleanup() {
        mountpoint -q "$root" && { umount "$root" 2>/dev/null || umount -l "$root"; }
        rm -rf "$state"
}
trap cleanup EXIT
stage=$state/stage
mkdir -p "$stage/units" "$stage/data" "$state/upper" "$state/work" "$root" "$state/results"
cp -a "$BERTH_ROOTFS" "$stage/root"
install -m 0755 "$fixture_bin" "$stage/root/bin/learn-fixture"
touch "$stage/data/chown-me"
echo s3cret >"$stage/data/secret"
chown 1000:1000 "$stage/data/secret"
chmod 0600 "$stage/data/secret"

name=learn-fixture
cat >"$stage/units/$name.container" <<EOF2
[Container]
RootDirectory=$stage/root
Exec=/bin/learn-fixture work
Volume=$stage/data:/data
EOF2
out=$(BERTH_UNIT_PATH=$stage/units BERTH_EXEC_PATH=$BERTH_EXEC_BIN berth_cli learn "$name" --write 2>&1)
ok $? "berth learn $name --write on the host" || { diag_text "$out"; tap_done; }
# the controls: the same description and drop-in, one change each
for v in less forbidden; do
        sed "s|^Exec=.*|Exec=/bin/learn-fixture $([ $v = forbidden ] && echo forbidden || echo work)|" \
                "$stage/units/$name.container" >"$stage/units/$name-$v.container"
        mkdir -p "$stage/units/$name-$v.container.d"
        cp "$stage/units/$name.container.d/50-learned.conf" "$stage/units/$name-$v.container.d/"
done
printf '[Container]\nAddCapability=\nAddCapability=CHOWN DAC_READ_SEARCH NET_BIND_SERVICE\n' \
        >"$stage/units/$name-less.container.d/60-no-sys-time.conf"
printf '[Container]\nAddCapability=SYS_ADMIN\n' >"$stage/units/$name-forbidden.container.d/60-admin.conf"

mount -t overlay overlay -o "lowerdir=/,upperdir=$state/upper,workdir=$state/work" "$root" ||
        { ok 1 "overlay of /"; tap_done; }
if ! out=$(DESTDIR=$root meson install -C "$BERTH_BUILD_DIR" --no-rebuild --quiet 2>&1); then
        ok 1 "meson install into the overlay"
        diag_text "$out"
        tap_done
fi
rm -rf "$root/etc/berth"
mkdir -p "$root/etc/berth" "$root/usr/local/lib/berth-test"
cp "$here/systemd-probe.sh" "$BERTH_SOURCE_DIR/test/lib/tap.sh" "$root/usr/local/lib/berth-test/"
echo "$stage/units" >"$root/usr/local/lib/berth-test/units"
sysdir=$root/etc/systemd/system
for u in postgresql.service console-getty.service getty@tty1.service mcstrans.service \
        systemd-timesyncd.service apparmor.service e2scrub_reap.service \
        apt-daily.timer apt-daily-upgrade.timer man-db.timer e2scrub_all.timer \
        dpkg-db-backup.timer fstrim.timer; do
        ln -sfn /dev/null "$sysdir/$u"
done
cat >"$sysdir/berth-learn-probe.service" <<'EOF2'
[Unit]
Description=berth learn: the learned drop-in under systemd
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/bin/bash /usr/local/lib/berth-test/systemd-probe.sh /results
ExecStopPost=/bin/systemctl poweroff --no-block
TimeoutStartSec=300

[Install]
WantedBy=multi-user.target
EOF2
mkdir -p "$sysdir/multi-user.target.wants"
ln -sfn ../berth-learn-probe.service "$sysdir/multi-user.target.wants/berth-learn-probe.service"

start=$(date +%s)
timeout --kill-after=10 "$boot_timeout" systemd-nspawn -q -D "$root" --register=no --keep-unit \
        --capability=all --bind="$state/results:/results" -b </dev/null >"$state/console.log" 2>&1
status=$?
if [ $status -eq 124 ] || [ $status -eq 137 ]; then
        ok 1 "the booted systemd ran the probe within ${boot_timeout}s"
        tail -n 40 "$state/console.log" | sed 's/^/# /'
else
        ok 0 "the booted systemd ran the probe and powered off ($(($(date +%s) - start)) s)"
fi
tap_replay_plan=
[ -f "$state/results/tap" ] && tap_replay "" <"$state/results/tap"
[ -n "$tap_replay_plan" ]
ok $? "the probe inside the booted systemd ran to its end" || tail -n 40 "$state/console.log" | sed 's/^/# /'
tap_done
