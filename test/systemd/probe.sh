#!/bin/bash
# shellcheck disable=SC2016 # payload command lines are meant for the container's shell
# Runs inside the booted systemd (as berth-probe.service, after multi-user.target) and
# writes TAP to RESULTS/tap; run.sh on the host replays it. Every check observes the running
# system: unit states from systemctl, what the payload printed from the journal, what the
# container's processes have from /proc.
results=${1:?usage: probe.sh RESULTS-DIR}
exec >"$results/tap" 2>"$results/probe.stderr"
. /usr/local/lib/berth-test/tap.sh

later=/usr/local/lib/berth-test/later
broken=broken-$(cat /usr/local/lib/berth-test/run-id)
rootfs=$(cat /usr/local/lib/berth-test/rootfs)
export PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin

prop() { systemctl show -p "$2" --value "$1"; }

# Polls (bounded) until the unit's ActiveState is one of the given ones; prints the last.
wait_state() { # UNIT STATE...
        local unit=$1 state _
        shift
        for _ in $(seq 100); do
                state=$(prop "$unit" ActiveState)
                for s in "$@"; do [ "$state" = "$s" ] && { echo "$state"; return 0; }; done
                sleep 0.1
        done
        echo "$state"
        return 1
}

# The journal lines of the unit's current (or last) run only; all of the unit's lines once
# systemd has unloaded it (an inactive unit forgets its invocation ID).
unit_log() { # UNIT
        local id
        id=$(prop "$1" InvocationID)
        if [ -n "$id" ]; then
                journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID="$id"
        else
                journalctl --no-pager -o cat -u "$1"
        fi
}

# Waits (bounded) until the unit's current run has printed a line matching PATTERN.
wait_log() { # UNIT PATTERN
        local _
        for _ in $(seq 50); do
                unit_log "$1" | grep -Eq -- "$2" && return 0
                sleep 0.1
        done
        return 1
}

explain() { # UNIT: the evidence, when a check about it failed
        systemctl status --no-pager -l "$1" 2>&1 | sed 's/^/#   /'
        journalctl --no-pager -o cat -u "$1" -n 15 2>&1 | sed 's/^/#   journal: /'
}

# CapEff of the payload's latest run, as the payload itself read it in /proc/self/status.
payload_capeff() { # UNIT
        unit_log "$1" | sed -n 's/^CapEff:[[:space:]]*//p' | tail -n 1
}

first_child() { # PID
        cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -m 1 .
}

has_cap() { # HEX BIT
        [ -n "$1" ] && [ $(((0x$1 >> $2) & 1)) -eq 1 ]
}

CAP_NET_ADMIN=12
CAP_SYS_ADMIN=21

[ "$(cat /proc/1/comm)" = systemd ]
ok $? "PID 1 is systemd"

systemd-tmpfiles --cat-config 2>/dev/null | grep -Eq '^d /run/berth 0755 root root'
ok $? "the tmpfiles.d snippet for /run/berth is installed where systemd-tmpfiles reads it"
[ -d /run/berth ]
ok $? "/run/berth exists in the booted system"

# ---- booted with two descriptions in /etc/berth: a good one wanted by multi-user.target, and
# a broken one
# Units of the host's own that fail in a container would degrade the boot too; only berth's
# count here (they are listed as diagnostics either way).
state=$(systemctl is-system-running)
failed=$(systemctl list-units --failed --plain --no-legend --no-pager | awk '{print $1}' | tr '\n' ' ')
[ -n "$failed" ] && diag "failed units at boot: $failed"
like "$state" '^(running|starting|degraded)$' "the boot completed (is-system-running: $state)"
! printf '%s' "$failed" | grep -Eq "(^| )(boot|$broken)\.service"
ok $? "the broken description failed no unit at boot, nor the good one ($failed)"

state=$(prop boot.service ActiveState)/$(prop boot.service SubState)
is "$state" "active/running" "boot.container ([Install] WantedBy=multi-user.target) is running after boot, started by nobody" ||
        explain boot.service
wait_log boot.service '^boot-container-up$'
ok $? "boot.container's payload output is in journalctl -u boot.service" || explain boot.service

boot_pid=$(prop boot.service MainPID)
source_path=$(prop boot.service SourcePath)
is "$source_path" /etc/berth/boot.container "boot.service's SourcePath is its description"

gen_msg=$(journalctl -b --no-pager -o cat | grep -F "/etc/berth/$broken.container:5: " | head -n 1)
like "$gen_msg" 'AddCapabilty' "the generator's message about $broken.container:5 (the bad key) is in the journal ($gen_msg)" ||
        journalctl -b --no-pager | grep -i -E 'berth|generator' | tail -n 10 | sed 's/^/#   /'

state=$(prop "$broken.service" ActiveState)
[ "$state" != active ] && [ "$state" != activating ]
ok $? "the broken description did not start anything ($broken.service: $state)"
out=$(systemctl status --no-pager "$broken.service" 2>&1)
diag "systemctl status $broken.service: $(echo "$out" | head -n 3 | tr '\n' ' ')"

out=$(berth verify "/etc/berth/$broken.container" 2>&1)
rc=$?
[ "$rc" -eq 1 ] && printf '%s' "$out" | grep -qF "$broken.container:5" && printf '%s' "$out" | grep -q 'AddCapabilty'
ok $? "berth verify says why $broken.container is broken (exit $rc: $(echo "$out" | head -n 1))"

# ---- a description dropped into /etc/berth, daemon-reload, start
cp "$later/web.container" /etc/berth/
systemctl daemon-reload
ok $? "systemctl daemon-reload after dropping web.container into /etc/berth"

systemctl start web.service
ok $? "systemctl start web.service succeeds" || explain web.service
# Type=notify: READY=1 comes only once the payload has been exec'd, so the moment start
# returns there is a payload process in the container besides its init.
caps=$(berth caps web 2>&1)
printf '%s\n' "$caps" | awk 'NR > 1 && ($4 == "sh" || $4 == "sleep")' | grep -q .
ok $? "when systemctl start returns, the payload already runs (readiness after exec)" || printf '%s\n' "$caps" | sed 's/^/#   /'
state=$(systemctl status --no-pager web.service 2>&1 | sed -n 's/^ *Active: \([a-z]* ([a-z]*)\).*/\1/p')
is "$state" "active (running)" "systemctl status web.service: Active: active (running)" || explain web.service

wait_log web.service '^web-hello$'
ok $? "the payload's stdout is in journalctl -u web.service" || explain web.service
journalctl --no-pager -o cat -u web.service | grep -q '^web-hello$'
ok $? "... found by unit name (journalctl -u web.service)"

capeff=$(payload_capeff web.service)
like "$capeff" '^[0-9a-f]{16}$' "the payload reported its CapEff ($capeff)"
! has_cap "$capeff" $CAP_NET_ADMIN && ! has_cap "$capeff" $CAP_SYS_ADMIN
ok $? "without the drop-in the payload has neither NET_ADMIN nor SYS_ADMIN (Docker's default set)"

# ---- berth list and berth caps on a running container
main_pid=$(prop web.service MainPID)
list=$(berth list 2>&1)
printf '%s\n' "$list" | grep -Eq "^web\.service +active +running +$main_pid +/etc/berth/web\.container$"
ok $? "berth list shows web.service active running with its MainPID $main_pid" || printf '%s\n' "$list" | sed 's/^/#   /'
printf '%s\n' "$list" | grep -Eq "^boot\.service +active +running +[0-9]+ "
ok $? "berth list shows the boot-time container too"
! printf '%s\n' "$list" | grep -Eq '^(systemd-journald|dbus|berth-probe)\.service'
ok $? "berth list shows only berth's units"

caps=$(berth caps web 2>&1)
rc=$?
printf '%s\n' "$caps" | head -n 1 | grep -Eq '^ppid +pid +name +command +capabilities$'
ok $? "berth caps web prints pscap's header (exit $rc)" || printf '%s\n' "$caps" | sed 's/^/#   /'
listed=$(printf '%s\n' "$caps" | awk 'NR > 1 && $2 ~ /^[0-9]+$/ {print $2}')
first_ppid=$(printf '%s\n' "$caps" | awk 'NR == 2 {print $1}')
first_pid=$(printf '%s\n' "$caps" | awk 'NR == 2 {print $2}')
[ -n "$listed" ] && { [ "$first_pid" = "$main_pid" ] || [ "$first_ppid" = "$main_pid" ]; }
ok $? "berth caps web lists the processes under the unit's main PID $main_pid" || printf '%s\n' "$caps" | sed 's/^/#   /'
outside=
for pid in $listed; do
        [ "$(readlink "/proc/$pid/ns/mnt")" = "$(readlink /proc/1/ns/mnt)" ] && outside="$outside $pid"
done
is "$outside" "" "... and only processes inside the container (none in the host's mount namespace)"
sleep_line=$(printf '%s\n' "$caps" | grep -E '^[0-9]+ +[0-9]+ +root +sleep ' | head -n 1)
like "$sleep_line" 'chown, dac_override.*kill.*net_bind_service.*net_raw.*sys_chroot.*mknod.*audit_write.*setfcap' \
        "berth caps web names the payload's capabilities (Docker's default set)" || printf '%s\n' "$caps" | sed 's/^/#   /'
! printf '%s' "$sleep_line" | grep -Eq 'sys_admin|net_admin|sys_time'
ok $? "... and nothing beyond it (no sys_admin, net_admin, sys_time)"
payload_pid=$(printf '%s' "$sleep_line" | awk '{print $2}')
if [ -n "$payload_pid" ]; then
        is "$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$payload_pid/status")" "$capeff" \
                "the set berth caps shows is the one the payload reported from inside"
else
        ok 1 "the set berth caps shows is the one the payload reported from inside (no payload line)"
fi

# ---- a drop-in adding a capability: daemon-reload + restart
mkdir -p /etc/berth/web.container.d
cp "$later/web.container.d/50-cap.conf" /etc/berth/web.container.d/
systemctl daemon-reload && systemctl restart web.service
ok $? "daemon-reload + restart web.service with web.container.d/50-cap.conf" || explain web.service
wait_log web.service '^CapEff:'
capeff2=$(payload_capeff web.service)
has_cap "$capeff2" $CAP_NET_ADMIN
ok $? "the drop-in's AddCapability=NET_ADMIN is in the running container's CapEff ($capeff -> $capeff2)" || explain web.service
[ -n "$capeff2" ] && [ $((0x$capeff2 & ~(1 << CAP_NET_ADMIN))) -eq $((0x$capeff)) ]
ok $? "... and nothing else changed"
berth caps web | grep -E ' sleep ' | grep -q 'net_admin'
ok $? "berth caps web shows net_admin after the restart"

# ---- stop: a bound, not a benchmark (a container that ignores SIGTERM would take 90 s)
web_invocation=$(prop web.service InvocationID)
t0=$(date +%s%N)
systemctl stop web.service
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$rc" -eq 0 ] && [ "$ms" -lt 2000 ]
ok $? "systemctl stop web.service completes in under 2 s (${ms} ms)"
is "$(prop web.service ActiveState)" inactive "web.service is inactive (not failed) after a stop" || explain web.service
for _ in $(seq 50); do
        journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID="$web_invocation" | grep -q '^web-hello: stopping on SIGTERM$' && break
        sleep 0.1
done
journalctl --no-pager -o cat _SYSTEMD_INVOCATION_ID="$web_invocation" | grep -q '^web-hello: stopping on SIGTERM$'
ok $? "the payload got SIGTERM on stop (and could clean up) rather than SIGKILL" || explain web.service
is "$(prop boot.service ActiveState)/$(prop boot.service MainPID)" "active/$boot_pid" \
        "the other container (boot.service) still runs with the same main PID: stopping web did not touch it"

# ---- the ntpd seed: only CAP_SYS_TIME, and the same without it
cp "$later/ntp-yes.container" "$later/ntp-no.container" /etc/berth/
systemctl daemon-reload
systemctl start ntp-yes.service ntp-no.service
ok $? "systemctl start ntp-yes.service ntp-no.service"
wait_log ntp-yes.service '^settime:'
wait_log ntp-no.service '^settime:'
out=$(unit_log ntp-yes.service | grep '^settime:')
like "$out" '^settime: clock adjusted' "DropCapability=ALL + AddCapability=SYS_TIME: the container can adjust the clock ($out)" ||
        explain ntp-yes.service
out=$(unit_log ntp-no.service | grep '^settime:')
like "$out" '^settime: refused: .*Operation not permitted' "DropCapability=ALL alone: the container cannot (EPERM) ($out)" ||
        explain ntp-no.service
line=$(berth caps ntp-yes | grep -E ' sleep ')
like "$line" ' sys_time$' "berth caps ntp-yes: the payload has sys_time and nothing else"
line=$(berth caps ntp-no | grep -E ' sleep ')
like "$line" ' \(none\)$' "berth caps ntp-no: the payload has no capability at all"
systemctl stop ntp-yes.service ntp-no.service
list=$(berth list)
printf '%s\n' "$list" | grep -Eq '^ntp-yes\.service +inactive +[a-z-]+ +- +/'
ok $? "berth list still shows a stopped generated unit, without a main PID" || printf '%s\n' "$list" | sed 's/^/#   /'

# ---- exit status in systemctl status; a payload that cannot run never becomes ready
cp "$later/fail7.container" "$later/missing.container" /etc/berth/
systemctl daemon-reload
systemctl start fail7.service
wait_state fail7.service failed >/dev/null
ok $? "fail7.service (payload exits 7) ends failed" || explain fail7.service
systemctl status --no-pager fail7.service 2>&1 | grep -Eq 'Main PID: .*code=exited, status=7'
ok $? "systemctl status fail7.service shows status=7" || explain fail7.service
unit_log fail7.service | grep -q '^fail7-running$'
ok $? "fail7's output is in its journal"

systemctl start missing.service 2>/dev/null
rc=$?
[ "$rc" -ne 0 ]
ok $? "systemctl start fails for a payload missing from the root (exit $rc)" || explain missing.service
is "$(prop missing.service ActiveState)" failed "missing.service is failed, never active" || explain missing.service
is "$(prop missing.service ExecMainStatus)" 127 "its exit status is 127 (not found), as docker run"

# ---- Restart=on-failure from [Service]
mkdir -p /var/lib/berth-flaky
cp "$later/flaky.container" /etc/berth/
systemctl daemon-reload
systemctl start flaky.service 2>/dev/null
for _ in $(seq 100); do
        [ "$(prop flaky.service NRestarts)" -ge 1 ] && [ "$(prop flaky.service SubState)" = running ] && break
        sleep 0.1
done
is "$(prop flaky.service NRestarts)/$(prop flaky.service SubState)" 1/running \
        "Restart=on-failure restarted flaky.service once after its exit 9; now running" || explain flaky.service
journalctl --no-pager -o cat -u flaky.service | grep -q '^flaky attempt 1$'
ok $? "the failed first attempt is in the journal"
systemctl stop flaky.service
is "$(prop flaky.service ActiveState)" inactive "a payload that dies of the SIGTERM of a stop leaves the unit inactive, not failed" ||
        explain flaky.service

# ---- Notify=yes: readiness comes from the payload, not from berth-exec
cp "$later/notifier.container" "$later/silent.container" /etc/berth/
systemctl daemon-reload
systemctl start --no-block silent.service
systemctl start notifier.service
ok $? "Notify=yes: systemctl start returns once the payload sent READY=1 itself" || explain notifier.service
is "$(prop notifier.service ActiveState)/$(prop notifier.service StatusText)" "active/notified by the payload" \
        "notifier.service is active with the payload's own STATUS=" || explain notifier.service
is "$(prop silent.service ActiveState)" activating \
        "Notify=yes with a payload that never notifies stays activating (berth-exec does not say READY for it)" ||
        explain silent.service
systemctl stop notifier.service silent.service

# ---- a template description: NAME@.container -> NAME@.service, instances by name
cp "$later/greet@.container" /etc/berth/
systemctl daemon-reload
systemctl start greet@world.service greet@moon.service
ok $? "systemctl start greet@world.service greet@moon.service (from greet@.container)" || explain greet@world.service
wait_log greet@world.service '^hello-world$'
ok $? "the instance name reached the payload through %i (hello-world in its journal)" || explain greet@world.service
wait_log greet@moon.service '^hello-moon$'
ok $? "... and for the other instance (hello-moon)" || explain greet@moon.service
list=$(berth list)
printf '%s\n' "$list" | grep -Eq "^greet@world\.service +active +running +$(prop greet@world.service MainPID) "
ok $? "berth list shows the instance greet@world.service" || printf '%s\n' "$list" | sed 's/^/#   /'
berth caps greet@moon | grep -Eq ' sleep +chown, '
ok $? "berth caps greet@moon finds the instance's container"
systemctl stop greet@world.service greet@moon.service

# ---- berth run: transient units
out=$(berth run --wait --rootfs "$rootfs" -- /bin/sh -c 'exit 3' 2>&1)
rc=$?
is "$rc" 3 "berth run --wait ... -- /bin/sh -c 'exit 3' exits 3" || diag "$out"

out=$(berth run --wait --rootfs "$rootfs" -- /bin/sh -c 'kill -KILL $$' 2>&1)
rc=$?
is "$rc" 137 "berth run --wait: a payload killed by SIGKILL gives 137 (128+9), as docker run" || diag "$out"

out=$(berth run --wait --rootfs "$rootfs" -- /bin/sh -c 'x=abc; s=%n; [ "${x}$x" = abcabc ] && [ ${#s} -eq 2 ]' 2>&1)
rc=$?
is "$rc" 0 "berth run passes \$VAR, \${VAR} and %n to the payload untouched (no systemd expansion)" || diag "$out"

# container:NAME through the record berth-exec keeps in /run/berth (made by tmpfiles.d at boot)
boot_payload=$(first_child "$(prop boot.service MainPID)")
boot_net=$(readlink "/proc/$(first_child "$boot_payload")/ns/net")
same_net='[ "$(readlink /proc/self/ns/net)" = "$1" ]'
berth run --wait --net container:boot --rootfs "$rootfs" -- /bin/sh -c "$same_net" sh "$boot_net" >/dev/null 2>&1
rc1=$?
berth run --wait --rootfs "$rootfs" -- /bin/sh -c "$same_net" sh "$boot_net" >/dev/null 2>&1
rc2=$?
[ -n "$boot_payload" ] && [ "$rc1" -eq 0 ] && [ "$rc2" -eq 1 ]
ok $? "berth run --net container:boot joins the boot-time container's network namespace ($boot_net; exit $rc1, without: $rc2)"

out=$(berth run --unit probe-exit5 --wait --rootfs "$rootfs" -- /bin/sh -c 'echo transient-says-hi; exit 5' 2>&1)
rc=$?
is "$rc" 5 "berth run --unit probe-exit5 --wait exits with the payload's 5" || diag "$out"
is "$(prop probe-exit5.service LoadState)" not-found "the transient unit is gone afterwards (even though it failed)"
journalctl --no-pager -o cat -u probe-exit5.service | grep -q '^transient-says-hi$'
ok $? "its output is in journalctl -u probe-exit5.service"

out=$(berth run --unit probe-bg -p RestartSec=1s --cap-drop ALL --cap-add NET_BIND_SERVICE --rootfs "$rootfs" \
        -- /bin/sh /berth-test/announce.sh transient-up 2>&1)
rc=$?
[ "$rc" -eq 0 ] && [ "$out" = probe-bg.service ]
ok $? "berth run without --wait prints the unit name ($out) and exits 0 once it is ready"
is "$(prop probe-bg.service ActiveState)/$(prop probe-bg.service Type)/$(prop probe-bg.service NotifyAccess)/$(prop probe-bg.service KillMode)" \
        "active/notify/all/mixed" "the transient unit is an active Type=notify, NotifyAccess=all, KillMode=mixed service"
is "$(prop probe-bg.service RestartUSec)" 1s "-p RestartSec=1s reached the unit"
wait_log probe-bg.service '^CapEff:'
capeff=$(payload_capeff probe-bg.service)
is "$capeff" 0000000000000400 "--cap-drop ALL --cap-add NET_BIND_SERVICE: the payload has exactly net_bind_service"
pid=$(prop probe-bg.service MainPID)
berth list | grep -Eq "^probe-bg\.service +active +running +$pid +transient$"
ok $? "berth list shows the transient unit with its main PID $pid" || berth list | sed 's/^/#   /'
berth caps probe-bg | grep -E ' sleep ' | grep -Eq ' net_bind_service$'
ok $? "berth caps probe-bg shows net_bind_service only" || berth caps probe-bg | sed 's/^/#   /'
systemctl stop probe-bg.service

out=$(berth run --rootfs "$rootfs" --cap-add NOT_A_CAP -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && printf '%s' "$out" | grep -q -- '--cap-add: unknown capability'
ok $? "berth run refuses a bad option before asking systemd (exit $rc: $out)"
out=$(berth run -p ExecStart=/bin/true --rootfs "$rootfs" -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && printf '%s' "$out" | grep -q 'ExecStart=/bin/true: not allowed'
ok $? "berth run refuses -p ExecStart= (exit $rc: $out)"
out=$(berth run --unit probe-missing --rootfs "$rootfs" -- /no/such/payload 2>&1)
rc=$?
[ "$rc" -ne 0 ] && printf '%s' "$out" | grep -q 'failed to start'
ok $? "berth run reports a container that fails to start (exit $rc: $out)"

. /usr/local/lib/berth-test/probe-services-exec.sh
. /usr/local/lib/berth-test/probe-broken.sh
. /usr/local/lib/berth-test/probe-devices-notify.sh

# ---- the shipped examples on Debian's packages, readiness, reload, berth exec
. /usr/local/lib/berth-test/probe-services.sh
journalctl -b --no-pager -o short-monotonic >"$results/journal.txt" 2>&1
tap_done
