#!/bin/bash
# Suite 'apparmor', host side: where AppArmor is off (the normal CI machine), containers run
# as before and a named profile fails closed (125, payload not run); `berth apparmor` derives
# profiles apparmor_parser -Q accepts, and --write installs one with its drop-in, which the
# generator carries into ExecStart. The enforcing cases are run.sh's (qemu VM).
aa_dir=$(cd "$(dirname "$0")" && pwd)
. "$aa_dir/../lib/common.sh"
set -u

require_root
[ -x "$BERTH_EXEC_BIN" ] || tap_skip_all "berth-exec is not built at $BERTH_EXEC_BIN"
[ -x "$BERTH_CLI_BIN" ] || tap_skip_all "berth is not built at $BERTH_CLI_BIN"
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
        tap_skip_all "AppArmor is enabled on this host: the VM test (run.sh) covers it"
fi
parser=$(command -v apparmor_parser || echo /sbin/apparmor_parser)
[ -x "$parser" ] || tap_skip_all "apparmor_parser is not installed (Debian package apparmor)"
ensure_rootfs
work=$(mktemp -d /tmp/berth-apparmor-host.XXXXXX)
trap 'rm -rf "$work"' EXIT

run() {
        out=$(berth_exec "$@" 2>"$work/stderr")
        rc=$?
        err=$(cat "$work/stderr")
}

run --name apparmor-host --rootfs "$BERTH_ROOTFS" -- /bin/echo payload ran
is "$out/$rc/$err" "payload ran/0/" "AppArmor off, nothing named: the payload runs, nothing said"
run --security-opt apparmor=unconfined --rootfs "$BERTH_ROOTFS" -- /bin/echo payload ran
is "$out/$rc" "payload ran/0" "apparmor=unconfined: runs"

mkdir -p "$work/out"
run --name apparmor-host --security-opt apparmor=berth-default --volume "$work/out:/out" --rootfs "$BERTH_ROOTFS" -- /bin/touch /out/marker
is "$rc" 125 "AppArmor off and a profile named: exit 125"
ok "$([ ! -e "$work/out/marker" ]; echo $?)" "the payload never ran (no marker)"
is "$err" "berth-exec: apparmor-host: AppArmor profile berth-default: AppArmor is not enabled on this kernel (/sys/module/apparmor/parameters/enabled), the container cannot be confined by it" \
        "one line says why"
run --security-opt 'apparmor=bad name' --rootfs "$BERTH_ROOTFS" -- /bin/true
is "$rc" 125 "an invalid profile name: 125"
like "$err" "--security-opt: invalid AppArmor profile name 'bad name'" "naming the option"

# ---- descriptions, verify, generate ----
mkdir -p "$work/etc" "$work/aa"
cat >"$work/etc/aaweb.container" <<EOF2
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/true
DropCapability=ALL
AddCapability=NET_BIND_SERVICE
Volume=$work/out:/data:ro
Tmpfs=/run/app
EOF2
cat >"$work/etc/named.container" <<EOF2
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/true
AppArmorProfile=vendor-x
EOF2
vout=$(BERTH_UNIT_PATH=$work/etc berth_cli verify named 2>&1)
vrc=$?
is "$vrc" 1 "berth verify: a named profile on a host without AppArmor fails"
like "$vout" "named.container:4: AppArmorProfile: AppArmor profile 'vendor-x': AppArmor is not enabled on this host" \
        "naming file, line and key"
BERTH_UNIT_PATH=$work/etc berth_cli verify aaweb >/dev/null 2>&1
ok $? "berth verify: no profile named, AppArmor off: passes"

BERTH_UNIT_PATH=$work/etc berth_cli apparmor aaweb >"$work/printed" 2>"$work/err"
ok $? "berth apparmor aaweb prints a profile" || diag_text "$(cat "$work/err")"
"$parser" -Q -K "$work/printed" >"$work/parse.log" 2>&1
ok $? "which passes apparmor_parser -Q" || diag_text "$(cat "$work/parse.log")"
is "$(grep -c '^ *capability' "$work/printed")" 1 "one capability rule"
grep -q '^  audit deny "/data/\*\*" wl,$' "$work/printed"
ok $? "writes below the read-only volume are denied, audited"
grep -q '^  "/run/app/\*\*" rwk,$' "$work/printed"
ok $? "the tmpfs is rw"

# Controls: the parser does refuse a broken profile, and every capability berth knows is a
# name the parser knows.
sed 's/^  capability net_bind_service,$/  capability net_bind_servic,/' "$work/printed" >"$work/broken"
! "$parser" -Q -K "$work/broken" >/dev/null 2>&1
ok $? "control: apparmor_parser -Q refuses a misspelt capability"
cat >"$work/etc/allcaps.container" <<EOF2
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/true
AddCapability=ALL
EOF2
BERTH_UNIT_PATH=$work/etc berth_cli apparmor allcaps >"$work/allcaps" 2>&1 && "$parser" -Q -K "$work/allcaps" >"$work/parse.log" 2>&1
ok $? "AddCapability=ALL: $(grep -c '^  capability ' "$work/allcaps") capability rules, all known to apparmor_parser" ||
        diag_text "$(cat "$work/parse.log")"

out=$(BERTH_UNIT_PATH=$work/etc BERTH_APPARMOR_DIR=$work/aa berth_cli apparmor --write aaweb 2>&1)
ok $? "berth apparmor --write aaweb" || diag_text "$out"
ok "$(cmp -s "$work/printed" "$work/aa/berth.aaweb"; echo $?)" "wrote berth.aaweb (BERTH_APPARMOR_DIR) as printed"
like "$out" "AppArmor is not enabled here: berth.aaweb is not loaded" "and says it could not load it here"
is "$(grep '^AppArmorProfile=' "$work/etc/aaweb.container.d/apparmor.conf")" "AppArmorProfile=berth.aaweb" \
        "the drop-in in the first search directory names it"
mkdir -p "$work/units"
BERTH_UNIT_PATH=$work/etc BERTH_EXEC_PATH=$BERTH_EXEC_BIN berth_generator "$work/units" 2>"$work/err"
grep -q '"--security-opt" "apparmor=berth.aaweb"' "$work/units/aaweb.service"
ok $? "the generator carries it into ExecStart" || diag_text "$(grep ExecStart "$work/units/aaweb.service")"
BERTH_UNIT_PATH=$work/etc berth_cli apparmor nosuch >/dev/null 2>"$work/err"
like "$?: $(cat "$work/err")" "^1: .*nosuch: no description nosuch.container" "berth apparmor: an unknown name fails"
tap_done
