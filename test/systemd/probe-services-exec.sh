# shellcheck shell=bash disable=SC2016 # payload command lines are meant for the container's shell
# Sourced by probe.sh inside the booted systemd (its helpers: prop, wait_state, unit_log,
# wait_log, explain, first_child; $rootfs). Issue 13's service habits under a real service
# manager: a crash is a crash (Result=signal, Restart=on-abnormal), /dev/stdout reaches the
# journal, loopback is up, and a non-root User= has no effective capability.

svcx_describe() { # NAME [SERVICE-LINES] -- CONTAINER-LINES...: writes /etc/berth/NAME.container
        local name=$1 service=$2
        shift 3
        {
                [ -n "$service" ] && printf '[Service]\n%s\n\n' "$service"
                printf '[Container]\nRootDirectory=%s\n' "$rootfs"
                printf '%s\n' "$@"
        } >"/etc/berth/$name.container"
}

# The payload's host pid: the shell under berth-init under the unit's main process.
svcx_payload() { # UNIT
        local main c
        main=$(prop "$1" MainPID)
        for c in $(cat /proc/"$main"/task/*/children 2>/dev/null); do
                [ "$(cat "/proc/$c/comm" 2>/dev/null)" = berth-init ] && first_child "$c" && return 0
        done
        return 1
}

svcx_describe svcx-crash 'LimitCORE=0' -- 'Exec=/bin/sh /berth-test/announce.sh crash-up'
svcx_describe svcx-abnormal $'Restart=on-abnormal\nRestartSec=100ms\nLimitCORE=0' -- \
        'Exec=/bin/sh /berth-test/announce.sh abnormal-up'
svcx_describe svcx-exit139 $'Restart=on-abnormal\nRestartSec=100ms' -- \
        "Exec=/bin/sh -c 'echo exit139-up; sleep 0.3; exit 139'"
svcx_describe svcx-log '' -- \
        "Exec=/bin/sh -c 'echo svcx-to-dev-stdout > /dev/stdout; echo \"<3>svcx-err-to-dev-stderr\" > /dev/stderr; echo svcx-plain; exec sleep 100000'"
svcx_describe svcx-logexit '' -- \
        "Exec=/bin/sh -c 'i=0; while [ \$i -lt 2000 ]; do echo svcx-line-\$i; i=\$((i+1)); done > /dev/stdout; echo svcx-last-words > /dev/stdout'"
svcx_describe svcx-syslog '' -- 'Volume=/run/systemd/journal/dev-log:/dev/log' \
        "Exec=/bin/sh -c 'logger -t svcx-syslog svcx-via-dev-log; exec sleep 100000'"
svcx_describe svcx-lo '' -- 'Tmpfs=/srv' \
        "Exec=/bin/sh -c 'echo svcx-served > /srv/index.html; httpd -p 127.0.0.1:8080 -h /srv; httpd -p [::1]:8081 -h /srv; sleep 0.3; wget -q -O - http://127.0.0.1:8080/; wget -q -O - http://[::1]:8081/; exec sleep 100000'"
svcx_describe svcx-user '' -- 'User=app' 'Exec=/bin/sh /berth-test/announce.sh user-up'
svcx_describe svcx-user-nbs '' -- 'User=app' 'AddCapability=NET_BIND_SERVICE' 'Exec=/bin/sh /berth-test/announce.sh user-nbs-up'
systemctl daemon-reload

# ---- a crash: kill -SEGV on the payload
systemctl start svcx-crash.service && wait_log svcx-crash.service '^crash-up$'
ok $? "svcx-crash.service runs" || explain svcx-crash.service
payload=$(svcx_payload svcx-crash.service)
kill -SEGV "$payload"
wait_state svcx-crash.service failed >/dev/null
result=$(prop svcx-crash.service Result)
like "$result" '^(signal|core-dump)$' "kill -SEGV on the payload (pid $payload): systemctl show -p Result says $result" ||
        explain svcx-crash.service
is "$(prop svcx-crash.service ExecMainStatus)" 11 "... ExecMainStatus is the signal's number, 11"
systemctl status --no-pager svcx-crash.service 2>&1 | grep -Eq 'Main PID: .*code=(killed|dumped), signal=SEGV'
ok $? "systemctl status: Main PID: ... (code=killed, signal=SEGV), not code=exited, status=139" || explain svcx-crash.service

systemctl start svcx-abnormal.service && wait_log svcx-abnormal.service '^abnormal-up$'
first_main=$(prop svcx-abnormal.service MainPID)
kill -SEGV "$(svcx_payload svcx-abnormal.service)"
for _ in $(seq 100); do
        [ "$(prop svcx-abnormal.service NRestarts)" -ge 1 ] && [ "$(prop svcx-abnormal.service SubState)" = running ] && break
        sleep 0.1
done
is "$(prop svcx-abnormal.service NRestarts)/$(prop svcx-abnormal.service SubState)" 1/running \
        "Restart=on-abnormal restarted the unit after kill -SEGV on its payload" || explain svcx-abnormal.service
[ "$(prop svcx-abnormal.service MainPID)" != "$first_main" ]
ok $? "... with a new main process"
journalctl --no-pager -o cat -u svcx-abnormal.service | grep -Eq "Failed with result '(signal|core-dump)'"
ok $? "... systemd's record of the first run: Failed with result 'signal'" || explain svcx-abnormal.service
systemctl stop svcx-abnormal.service

# control: an exit with 139 (what a crash looked like before) is an exit, and on-abnormal
# does not restart it
systemctl start svcx-exit139.service
wait_state svcx-exit139.service failed >/dev/null
is "$(prop svcx-exit139.service Result)/$(prop svcx-exit139.service ExecMainStatus)/$(prop svcx-exit139.service NRestarts)" \
        "exit-code/139/0" "control: a payload that exits with 139: Result=exit-code, status 139, not restarted" ||
        explain svcx-exit139.service

out=$(berth run --wait --rootfs "$rootfs" -- /bin/sh -c 'ulimit -c 0; kill -SEGV $$' 2>&1)
rc=$?
[ "$rc" -eq 139 ] && printf '%s' "$out" | grep -q 'killed by signal Segmentation fault'
ok $? "berth run --wait: a payload killed by SIGSEGV is reported as such (exit $rc: $out)"
out=$(berth run --wait --rootfs "$rootfs" -- /bin/sh -c 'exit 139' 2>&1)
rc=$?
[ "$rc" -eq 139 ] && ! printf '%s' "$out" | grep -q 'killed by signal'
ok $? "control: berth run --wait of an exit 139 says nothing about a signal (exit $rc: $out)"

# ---- logs: /dev/stdout and /dev/stderr reach the journal
# control: a plain unit whose output is the journal's stream socket cannot open /dev/stdout
systemd-run --wait -q -p StandardOutput=journal /bin/sh -c 'echo x > /dev/stdout' 2>/dev/null
rc=$?
[ "$rc" -ne 0 ]
ok $? "control: without berth, a unit's 'echo > /dev/stdout' fails on the journal's socket (exit $rc)"
systemctl start svcx-log.service
ok $? "svcx-log.service starts" || explain svcx-log.service
wait_log svcx-log.service '^svcx-plain$'
unit_log svcx-log.service | grep -q '^svcx-to-dev-stdout$'
ok $? "echo > /dev/stdout inside the container reaches journalctl -u svcx-log" || explain svcx-log.service
journalctl --no-pager -o cat -u svcx-log.service -p err | grep -q '^svcx-err-to-dev-stderr$'
ok $? "echo '<3>...' > /dev/stderr reaches it at priority err (the <N> prefix kept)" || explain svcx-log.service
! journalctl --no-pager -o cat -u svcx-log.service -p err | grep -q 'svcx-plain'
ok $? "... and plain lines are not at err (the filter shows only the prefixed one)"
is "$(unit_log svcx-log.service | grep -E '^svcx-' | paste -sd' ' -)" "svcx-to-dev-stdout svcx-err-to-dev-stderr svcx-plain" \
        "... in the order written"
systemctl stop svcx-log.service

systemctl start svcx-logexit.service
wait_state svcx-logexit.service inactive failed >/dev/null
# journald reads the stream on its own time: the unit can be inactive before it has read
# all of it. Wait (bounded) for the last line, then count.
for _ in $(seq 100); do
        journalctl --no-pager -o cat -u svcx-logexit.service | grep -q '^svcx-last-words$' && break
        sleep 0.1
done
is "$(journalctl --no-pager -o cat -u svcx-logexit.service | grep -cE '^svcx-line-[0-9]+$')/$(journalctl --no-pager -o cat -u svcx-logexit.service | grep -c '^svcx-last-words$')" \
        "2000/1" "2000 lines and a last one written to /dev/stdout just before the payload exits: all in the journal" ||
        explain svcx-logexit.service

systemctl start svcx-syslog.service
for _ in $(seq 50); do journalctl --no-pager -o cat -t svcx-syslog | grep -q svcx-via-dev-log && break; sleep 0.1; done
journalctl --no-pager -o cat -t svcx-syslog | grep -q '^svcx-via-dev-log$'
ok $? "Volume=/run/systemd/journal/dev-log:/dev/log: logger inside the container reaches the journal" || explain svcx-syslog.service
systemctl stop svcx-syslog.service

# ---- loopback in the unit's private network namespace
systemctl start svcx-lo.service
for _ in $(seq 50); do [ "$(unit_log svcx-lo.service | grep -c '^svcx-served$')" -ge 2 ] && break; sleep 0.1; done
is "$(unit_log svcx-lo.service | grep -c '^svcx-served$')" 2 "a unit's container serves itself on 127.0.0.1 and ::1 (lo is up)" ||
        explain svcx-lo.service
systemctl stop svcx-lo.service

# ---- a non-root User=: no effective capability unless added
systemctl start svcx-user.service svcx-user-nbs.service
wait_log svcx-user.service '^CapEff:'
wait_log svcx-user-nbs.service '^CapEff:'
is "$(payload_capeff svcx-user.service)" 0000000000000000 "User=app alone: the payload's CapEff is 0" || explain svcx-user.service
is "$(payload_capeff svcx-user-nbs.service)" 0000000000000400 "User=app + AddCapability=NET_BIND_SERVICE: CapEff 0400" ||
        explain svcx-user-nbs.service
caps=$(berth caps --all-sets svcx-user 2>&1)
printf '%s\n' "$caps" | grep -A5 -E ' sleep +\(none\)$' | grep -Eq '^ +bounding +chown, dac_override'
ok $? "berth caps --all-sets svcx-user: effective (none), bounding Docker's set" || printf '%s\n' "$caps" | sed 's/^/#   /'
systemctl stop svcx-user.service svcx-user-nbs.service
