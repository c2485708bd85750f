#!/bin/bash
# Every failure: the documented exit status, exactly one line "berth-exec: NAME: step: reason",
# and the payload never runs. The payload would leave a marker file in a volume; its absence
# proves it did not run.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

make_scratch
mkdir -p "$S/vol"
payload=(/bin/sh -c 'touch /srv/ran')

# Runs a failing case: DESCRIPTION STATUS PATTERN OPTIONS... (the marker payload is appended
# unless the options end with "--" and a command of their own).
fails() {
        local what=$1 want=$2 pattern=$3 n err rc lines
        shift 3
        n=$(name_for "f$TAP_N")
        rm -f "$S/vol/ran"
        if [[ " $* " == *" -- "* ]]; then
                err=$(run_ct --name "$n" --volume "$S/vol:/srv" "$@" 2>&1 >/dev/null)
        else
                err=$(run_ct --name "$n" --volume "$S/vol:/srv" "$@" -- "${payload[@]}" 2>&1 >/dev/null)
        fi
        rc=$?
        is "$rc" "$want" "$what: exit $want"
        lines=$(printf '%s\n' "$err" | grep -c .)
        if [ "$lines" = 1 ]; then
                like "$err" "^berth-exec: $n: $pattern" "$what: one line naming the step ($err)"
        else
                ok 1 "$what: one line naming the step"
                diag "$err"
        fi
        [ ! -e "$S/vol/ran" ]
        ok $? "$what: the payload never ran"
        [ ! -e "/run/berth/$n/pid" ]
        ok $? "$what: no record is left behind"
}

# Sanity: the marker payload does run when nothing fails (else the checks above prove nothing).
run_ct --volume "$S/vol:/srv" -- "${payload[@]}"
[ -e "$S/vol/ran" ]
ok $? "the marker payload leaves /srv/ran when nothing fails"

# ---- rejected before any side effect
fails "missing root" 125 "rootfs /nonexistent-root: No such file or directory" --rootfs /nonexistent-root
fails "root is a file" 125 "rootfs /etc/passwd: Not a directory" --rootfs /etc/passwd
fails "missing volume source" 125 "volume /nonexistent-src:/x: /nonexistent-src: No such file or directory" \
        --volume /nonexistent-src:/x
fails "relative volume" 125 "--volume: " --volume relative:/x
fails "unknown user" 125 "user nosuchuser: no such user in the container's /etc/passwd" --user nosuchuser
fails "unknown group" 125 "group nosuchgroup: no such group in the container's /etc/group" --user app:nosuchgroup
fails "unknown capability" 125 "--cap-add: unknown capability 'NOPE'" --cap-add NOPE
fails "unknown capability to drop" 125 "--cap-drop: unknown capability 'NOPE'" --cap-drop NOPE
fails "namespace of a container not running" 125 "container:nosuch-$$: no container named nosuch-$$ is running" \
        --net container:nosuch-$$
fails "namespace path that is not a namespace" 125 "--ipc /etc/passwd: not a namespace of type ipc" --ipc ns:/etc/passwd
fails "namespace file of the wrong kind" 125 "--net /proc/self/ns/ipc: not a namespace of type net" --net ns:/proc/self/ns/ipc
fails "missing namespace file" 125 "--pid /nonexistent-ns: No such file or directory" --pid ns:/nonexistent-ns
fails "unreadable env-file" 125 "env-file $S/no-env: No such file or directory" --env-file "$S/no-env"
printf 'GOOD=1\n=bad\n' >"$S/bad-env"
fails "malformed env-file" 125 "env-file $S/bad-env:2: expected NAME=VALUE" --env-file "$S/bad-env"
fails "unknown option" 125 "unknown option '--frobnicate'" --frobnicate
fails "hostname with a shared UTS namespace" 125 "--hostname: " --uts host --hostname x
fails "missing seccomp profile" 125 "" --security-opt seccomp=/nonexistent.json
fails "bad seccomp profile" 125 "" --security-opt seccomp=/etc/passwd

# ---- steps after the container's namespaces exist (side effects), still fail closed
fails "workdir missing in the root" 125 "workdir /no/such/dir: No such file or directory" --workdir /no/such/dir
# (a value the kernel would refuse is refused when the options are read: issue 12 item 6)
fails "bad tmpfs option" 125 "--tmpfs: tmpfs option 'size=lots': invalid value" --tmpfs /tmp:size=lots
fails "volume target that cannot be made" 125 "volume $S/vol:/etc/passwd/x: target /etc/passwd/x: Not a directory" \
        --volume "$S/vol:/etc/passwd/x"

# ---- the payload itself: docker's 126/127
fails "payload not found" 127 "exec /no/such/cmd: No such file or directory" -- /no/such/cmd
fails "payload not found in PATH" 127 "exec no-such-cmd: No such file or directory" -- no-such-cmd
printf '#!/bin/sh\ntouch /srv/ran\n' >"$S/vol/noexec.sh"
chmod 0644 "$S/vol/noexec.sh"
fails "payload not executable" 126 "exec /srv/noexec.sh: Permission denied" -- /srv/noexec.sh
fails "payload is a directory" 126 "exec /etc: Permission denied" -- /etc
# found by PATH lookup, in a PATH directory, but not executable
fails "payload in PATH, not executable" 126 "exec noexec.sh: Permission denied" --env PATH=/srv -- noexec.sh

tap_done
