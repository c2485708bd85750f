# shellcheck shell=bash
# Sourced by probe.sh inside the booted system (issue 12 item 9): twenty broken descriptions
# were in /etc/berth at boot (descriptions/boot/x-broken-*.container). The kernel log keeps
# only the first few of the generator's messages (/dev/kmsg is rate-limited), so each refused
# description gets a placeholder unit: `systemctl status NAME` names its file, line and key,
# and starting it fails with the same reason in the journal. Nothing runs the payload.

# NAME -> what its status must name ("FILE:LINE: KEY")
declare -A broken_expect=(
        [x-broken-01]="/etc/berth/x-broken-01.container:5: Volum:"
        [x-broken-02]="/etc/berth/x-broken-02.container:5: invalid section header '[Container] DropCapability=ALL'"
        [x-broken-03]="/etc/berth/x-broken-03.container:6: User: not allowed in [Service]"
        [x-broken-04]="/etc/berth/x-broken-04.container:6: Alias: 'boot.service' is the unit of /etc/berth/boot.container"
        [x-broken-05]="/etc/berth/x-broken-05.container:5: Tmpfs: tmpfs option 'mode=99999'"
        [x-broken-06]="/etc/berth/x-broken-06.container:5: NetworkNamespace: container:x-broken-07: the containers join each other's namespaces in a cycle"
        [x-broken-07]="/etc/berth/x-broken-07.container:5: IPCNamespace: container:x-broken-06: the containers join each other's namespaces in a cycle"
        [x-broken-08]="/etc/berth/x-broken-08.container:5: AddCapability: unknown capability 'SYS_TYPO'"
        [x-broken-09]="/etc/berth/x-broken-09.container:6: Description: control character 0x1b"
        [x-broken-10]="/etc/berth/x-broken-10.container:7: User: not allowed in [Service]"
        [x-broken-11]="/etc/berth/x-broken-11.container:4: Exec: command 'bin/sh' must be an absolute path"
        [x-broken-12]="/etc/berth/x-broken-12.container:5: ReadOnly: expected a boolean"
        [x-broken-13]="/etc/berth/x-broken-13.container:6: Description: not valid UTF-8"
        [x-broken-14]="/etc/berth/x-broken-14.container:5: PIDNamespace: a container cannot join its own namespace"
        [x-broken-15]="/etc/berth/x-broken-15.container:5: Environment: expected NAME=VALUE"
        [x-broken-16]="/etc/berth/x-broken-16.container:5: Environment: unknown specifier"
        [x-broken-17]="/etc/berth/x-broken-17.container:5: HostName:"
        [x-broken-18]="/etc/berth/x-broken-18.container:5: Volume: volume source 'srv'"
        [x-broken-19]="/etc/berth/x-broken-19.container:6: ExecStart: is generated from [Container] Exec="
        [x-broken-20]="/etc/berth/x-broken-20.container.d/10-bad.conf:3: Notify: expected a boolean"
)

kmsg_seen=0
for name in $(printf '%s\n' "${!broken_expect[@]}" | sort); do
        want=${broken_expect[$name]}
        status=$(SYSTEMD_COLORS=0 systemctl status --no-pager --full "$name.service" 2>&1)
        printf '%s' "$status" | head -n 1 | grep -qF -- "$want"
        ok $? "systemctl status $name.service names the file, line and key: $want" ||
                printf '%s\n' "$status" | head -n 5 | sed 's/^/#   /'
        journalctl -b --no-pager -o cat | grep -qF "$want" && kmsg_seen=$((kmsg_seen + 1))
done
diag "the kernel log (rate-limited) kept the generator's message for $kmsg_seen of 20"

# Nothing was started at boot, and starting one by hand fails with the reason in the journal.
state=$(systemctl show -p ActiveState --value x-broken-08.service)
[ "$state" = inactive ]
ok $? "a refused description's placeholder is not started at boot (x-broken-08: $state)"
! systemctl start x-broken-08.service 2>/dev/null
ok $? "systemctl start of a refused description fails"
is "$(systemctl show -p ActiveState --value x-broken-08.service)" failed "and leaves it failed, listed by systemctl --failed"
journalctl --no-pager -o cat -u x-broken-08.service | grep -qF "x-broken-08.service was not generated: /etc/berth/x-broken-08.container:5: AddCapability"
ok $? "its journal says why" || journalctl --no-pager -o cat -u x-broken-08.service | tail -n 5 | sed 's/^/#   /'
! journalctl -b --no-pager -o cat | grep -q 'x-broken-[0-9]*-must-not-run'
ok $? "no payload of a broken description ran"
systemctl reset-failed x-broken-08.service 2>/dev/null

# The alias that tried to take boot.service over was refused: boot.service is boot's own unit.
[ ! -L /run/systemd/generator/boot.service ] && [ "$(systemctl show -p SourcePath --value boot.service)" = /etc/berth/boot.container ]
ok $? "boot.service is still boot.container's unit, not x-broken-04's alias"
