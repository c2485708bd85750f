#!/bin/bash
# Suite 'selinux', host side: on a host where SELinux is off (the normal CI machine), the
# label options are accepted, the payload runs, and a notice says what is ignored; malformed
# labels are still refused before anything runs. The enforcing case is run.sh's (qemu VM).
selinux_dir=$(cd "$(dirname "$0")" && pwd)
. "$selinux_dir/../lib/common.sh"
set -u

require_root
[ -x "$BERTH_EXEC_BIN" ] || tap_skip_all "berth-exec is not built at $BERTH_EXEC_BIN"
if [ -e /sys/fs/selinux/enforce ]; then
        tap_skip_all "SELinux is enabled on this host: the VM test (run.sh) covers labels"
fi
ensure_rootfs
# Not $(scratch_dir): its EXIT trap would fire when the command substitution's subshell ends.
work=$(mktemp -d /tmp/berth-selinux-host.XXXXXX)
trap 'rm -rf "$work"' EXIT
notice_off="SELinux is disabled on this host; ignoring label"

# run BERTH-EXEC-ARGS...: sets out, err, rc
run() {
        out=$(berth_exec "$@" 2>"$work/stderr")
        rc=$?
        err=$(cat "$work/stderr")
}

run --name selhost --security-opt label=type:docker_apache_t --security-opt label=level:TopSecret \
        --rootfs "$BERTH_ROOTFS" -- /bin/echo payload ran
is "$out" "payload ran" "label=type + label=level on a host without SELinux: the payload runs"
is "$rc" 0 "exit status 0"
is "$err" "berth-exec: selhost: $notice_off type:docker_apache_t level:TopSecret" "one notice names what is ignored"
ok "$([ ! -e /run/berth/selhost/mcs ]; echo $?)" "no MCS pair is reserved when nothing is labelled"

run --security-opt label=user:system_u --security-opt label=role:system_r --security-opt label=filetype:container_file_t \
        --security-opt label=level:s2:c1 --rootfs "$BERTH_ROOTFS" -- /bin/echo ran
is "$out/$rc" "ran/0" "user, role, filetype and a raw level: accepted, payload runs"
is "$err" "berth-exec: $notice_off level:s2:c1 user:system_u role:system_r filetype:container_file_t" "with the notice"

run --security-opt label:type:docker_apache_t --rootfs "$BERTH_ROOTFS" -- /bin/echo ran
is "$out/$rc" "ran/0" "the old colon form label:type:T is accepted too"
like "$err" "$notice_off type:docker_apache_t" "with the notice"

run --pid=host --security-opt label=type:docker_apache_t --rootfs "$BERTH_ROOTFS" -- /bin/echo ran
is "$out/$rc" "ran/0" "--pid=host with a label: runs"
like "$err" "SELinux labelling off: the container shares the host's PID namespace \(--pid=host" "notice: Docker's rule"

run --rootfs "$BERTH_ROOTFS" -- /bin/echo ran
is "$out/$rc" "ran/0" "no label asked: runs"
ok "$(printf '%s' "$err" | grep -q SELinux; [ $? -ne 0 ]; echo $?)" "and nothing is said about SELinux"
run --security-opt label=disable --rootfs "$BERTH_ROOTFS" -- /bin/echo ran
is "$out/$rc/$err" "ran/0/" "label=disable: runs, silently"

# Malformed labels are refused before the first side effect, whatever the host.
for bad in label=type:bad-type label=level:s0:c1, label=level:s0:c2.c1 label=level:Top:Secret label=role:a.b label=colour:red; do
        rm -f "$work/marker"
        run --security-opt "$bad" --volume "$work:/out" --rootfs "$BERTH_ROOTFS" -- /bin/touch /out/marker
        ok "$([ "$rc" = 125 ] && [ ! -e "$work/marker" ]; echo $?)" "--security-opt $bad: exit 125, payload not run"
        like "$err" "^berth-exec: --security-opt: " "  one error line naming --security-opt: $err"
done

# The generator carries the label into the unit, and berth verify accepts it without SELinux.
if [ -x "$BERTH_CLI_BIN" ]; then
        mkdir -p "$work/desc"
        printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nSecurityLabelType=docker_apache_t\nSecurityLabelLevel=TopSecret\n' \
                "$BERTH_ROOTFS" >"$work/desc/web.container"
        unit=$(BERTH_UNIT_PATH=$work/desc berth_cli generate --dry-run 2>&1)
        like "$unit" '"--security-opt" "label=type:docker_apache_t" "--security-opt" "label=level:TopSecret"' \
                "the generated ExecStart= carries label=type: and label=level:"
        vout=$(berth_cli verify "$work/desc/web.container" 2>&1)
        is "$?/$vout" "0/$work/desc/web.container: ok" "berth verify accepts the labelled description with SELinux off"
else
        ok 1 "berth is not built at $BERTH_CLI_BIN"
fi
tap_done
