#!/bin/bash
# Runs inside the booted systemd (as berth-probe.service); writes TAP to RESULTS/tap.
results=${1:?usage: probe.sh RESULTS-DIR}
exec >"$results/tap"
. /usr/local/lib/berth-test/tap.sh

state=$(systemctl is-system-running)
like "$state" '^(running|degraded|starting)$' "systemd is PID 1 and up ($state)"
[ "$(cat /proc/1/comm)" = systemd ]
ok $? "PID 1 is systemd"

journalctl -b --no-pager -o short-monotonic >"$results/journal.txt" 2>&1
tap_done
