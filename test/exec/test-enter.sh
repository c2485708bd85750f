#!/bin/bash
# berth exec (berth-exec --enter) and the health checks: a command started in a running
# container has the container's namespaces, root, capabilities, seccomp filter,
# no-new-privileges and environment (compared with what the payload itself has, read from
# /proc), never the caller's; its exit status passes through. HealthCmd= runs the same way.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

make_scratch
# (valgrind's own notes are dropped from stderr, as run_ct does)
wrapped() {
        if [ -n "$BERTH_WRAP" ]; then
                { $BERTH_WRAP "$BERTH_EXEC_BIN" "$@" 2>&1 1>&3 3>&- | grep -Ev "$VALGRIND_NOTES" >&2; return "${PIPESTATUS[0]}"; } 3>&1
        else
                "$BERTH_EXEC_BIN" "$@"
        fi
}
enter() { wrapped --enter "$@"; }
health() { wrapped --health "$@"; }

# The payload's host pid: the first child of the recorded first process (berth-init).
payload_pid() { # NAME
        local init
        init=$(recorded_pid "$1")
        [ -n "$init" ] && cat /proc/"$init"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -m 1 .
}
wait_payload() { # NAME
        for _ in $(seq 100); do
                [ -n "$(payload_pid "$1")" ] && return 0
                sleep 0.1
        done
        return 1
}
field() { printf '%s\n' "$1" | awk -v f="$2:" '$1 == f {print $2}'; }

# ---- a confined container: 2 capabilities, seccomp, no_new_privs (the defaults)
n=$(name_for conf)
start_bg --name "$n" --cap-drop ALL --cap-add NET_BIND_SERVICE --cap-add SETUID --tmpfs /tmp \
        --env FROM_SPEC=yes --health-cmd "/bin/sh -c 'test -f /tmp/ok'" -- /bin/sleep 1000 2>"$S/conf.err"
conf_bg=$BG_PID
wait_payload "$n"
ok $? "the container $n runs"
pp=$(payload_pid "$n")
payload=$(grep -E '^(Cap|Seccomp|NoNewPrivs)' /proc/"$pp"/status)

out=$(enter "$n" -- /bin/cat /proc/self/status 2>&1)
rc=$?
is "$rc" 0 "berth-exec --enter $n -- cat /proc/self/status exits 0"
for f in CapEff CapPrm CapBnd CapInh CapAmb; do
        is "$(field "$out" "$f")" "$(field "$payload" "$f")" "$f of the entered command is the payload's ($(field "$payload" "$f"))"
done
is "$(field "$out" CapEff)" 0000000000000480 "... which is exactly NET_BIND_SERVICE + SETUID, not the caller's full set"
is "$(field "$out" Seccomp)" 2 "Seccomp: 2 (the container's filter)"
is "$(field "$out" NoNewPrivs)" 1 "NoNewPrivs: 1"

for ns in mnt pid net ipc uts; do
        inside=$(enter "$n" -- /bin/readlink /proc/self/ns/$ns 2>&1)
        is "$inside" "$(readlink /proc/"$pp"/ns/$ns)" "the entered command is in the payload's $ns namespace"
done
out=$(enter "$n" -- /bin/sh -c 'cat /proc/1/comm; ls /berth-test-marker-absent 2>&1; echo "$FROM_SPEC $HOSTNAME"' 2>&1)
like "$out" '^berth-init' "PID 1 it sees is the container's init (its PID namespace and /proc)"
like "$out" "yes $n" "it gets the container's environment (Environment=, HOSTNAME)"
out=$(env HOST_SECRET=1 "$BERTH_EXEC_BIN" --enter "$n" -- /bin/sh -c 'echo "[${HOST_SECRET:-}]"' 2>&1)
is "$out" "[]" "... and nothing of the caller's environment"

out=$(enter "$n" -- /bin/ls /proc/self/fd 7</ 2>/dev/null | sort -n | paste -sd' ' -)
is "$out" "0 1 2 3" "a descriptor the caller had open (fd 7, the host's /) does not reach the command (3: ls's own)"
out=$(enter "$n" -- /bin/sh -c 'set -- $(cat /proc/$$/stat); echo "$1 $6"' 2>&1)
set -- $out
is "$2" "$1" "the command leads a session of its own (no TIOCSTI into the caller's terminal)"
enter "$n" -- /bin/sh -c 'exit 7' 2>/dev/null
is "$?" 7 "the command's exit status passes through (7)"
enter "$n" -- /bin/sh -c 'kill -TERM $$' 2>/dev/null
is "$?" 143 "a command killed by SIGTERM gives 143"
out=$(enter "$n" -- /no/such/program 2>&1)
is "$?" 127 "a program missing from the container gives 127 ($out)"
[ -x /no/such/program ] || true
out=$(enter t$$-nosuch -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && printf '%s' "$out" | grep -q 'no container named'
ok $? "a container that is not running: exit 125 and says so ($out)"

out=$(enter "$n" -u nobody -w /tmp -e FOO=bar -- /bin/sh -c 'id -u; pwd; echo "$FOO"' 2>&1)
is "$(printf '%s' "$out" | paste -sd' ')" "65534 /tmp bar" "-u nobody -w /tmp -e FOO=bar (options after NAME)"
out=$(enter -u 65534 "$n" /bin/id -u 2>&1)
is "$out" 65534 "options before NAME and no -- work too"
out=$(enter "$n" -u no-such-user -- /bin/true 2>&1)
is "$?" 125 "an unknown user is refused before anything runs ($out)"
# A user switch in `exec` gets what a container started with that user gets.
m=$(name_for user)
start_bg --name "$m" --user nobody --cap-drop ALL --cap-add NET_BIND_SERVICE --cap-add SETUID -- /bin/sleep 1000 2>/dev/null
user_bg=$BG_PID
wait_payload "$m"
up=$(grep -E '^Cap' /proc/"$(payload_pid "$m")"/status)
out=$(enter "$n" -u nobody -- /bin/cat /proc/self/status 2>&1)
is "$(field "$out" CapEff)/$(field "$out" CapAmb)" "$(field "$up" CapEff)/$(field "$up" CapAmb)" \
        "exec -u nobody has the capabilities of a container started with User=nobody"
kill "$user_bg"; wait "$user_bg" 2>/dev/null

# -t: a terminal from the container's own /dev/pts
if command -v script >/dev/null; then
        timeout 20 script -eqc "$BERTH_EXEC_BIN --enter $n -t -- /bin/sh -c 'tty; exit 3'" /dev/null >"$S/tty.out" 2>&1 </dev/null
        rc=$?
        out=$(tr -d '\r' <"$S/tty.out")
        like "$out" '^/dev/pts/[0-9]+' "-t: the command's stdin is a terminal of the container's /dev/pts ($out)"
        is "$rc" 3 "-t: the exit status passes through (3)"
        printf 'echo typed-$((6*7))\nexit 4\n' | timeout 20 script -eqc "$BERTH_EXEC_BIN --enter $n -it -- /bin/sh" /dev/null >"$S/it.out" 2>&1
        rc=$?
        out=$(tr -d '\r' <"$S/it.out")
        like "$out" 'typed-42' "-it: what is typed reaches the shell inside"
        is "$rc" 4 "-it: the shell's exit status passes through (4)"
else
        for _ in 1 2 3 4; do ok 1 "script(1) (util-linux) is needed for the -t tests"; done
fi

# ---- a control: a container without seccomp and no_new_privs: entered the same way
c=$(name_for loose)
start_bg --name "$c" --security-opt seccomp=unconfined --security-opt no-new-privileges=false -- /bin/sleep 1000 2>/dev/null
loose_bg=$BG_PID
wait_payload "$c"
out=$(enter "$c" -- /bin/cat /proc/self/status 2>&1)
is "$(field "$out" Seccomp)/$(field "$out" NoNewPrivs)" "0/0" "control: a container without them gives Seccomp: 0, NoNewPrivs: 0"
is "$(field "$out" CapEff)" "$(field "$(cat /proc/"$(payload_pid "$c")"/status)" CapEff)" "control: Docker's default set, as its payload"
kill "$loose_bg"; wait "$loose_bg" 2>/dev/null

# ---- berth health: the HealthCmd= once, by hand
out=$(health "$n" 2>&1)
rc=$?
[ "$rc" -eq 1 ] && printf '%s' "$out" | grep -q '^unhealthy'
ok $? "berth health: a failing check says unhealthy, exit 1 ($out)"
enter "$n" -- /bin/touch /tmp/ok
out=$(health "$n" 2>&1)
rc=$?
is "$rc/$out" "0/healthy" "berth health: a passing check says healthy, exit 0"
out=$(health "$c" 2>&1)
is "$?" 125 "berth health on a container that is gone: 125"
kill "$conf_bg"; wait "$conf_bg" 2>/dev/null

# ---- the monitor: HealthOnFailure=kill ends the container with a failure
h=$(name_for hc)
start_bg --name "$h" --tmpfs /tmp --health-cmd "/bin/sh -c 'test -f /tmp/ok'" --health-interval 200ms \
        --health-retries 2 --health-on-failure kill \
        -- /bin/sh -c 'touch /tmp/ok; sleep 1; rm /tmp/ok; exec sleep 1000' 2>"$S/hc.err"
hc_bg=$BG_PID
wait_gone "$hc_bg" 100
ok $? "HealthOnFailure=kill: the container ended after its check failed twice" || kill "$hc_bg"
wait "$hc_bg"
rc=$?
[ "$rc" -ne 0 ]
ok $? "... and berth-exec exits with a failure (status $rc), so Restart= applies"
grep -q 'healthy: the first health check passed' "$S/hc.err"
ok $? "the first passing check was logged"
grep -q 'unhealthy: 2 health checks in a row failed' "$S/hc.err"
ok $? "the failures were logged" || sed 's/^/#   /' "$S/hc.err"

# control: HealthOnFailure=none keeps it running
h2=$(name_for hn)
start_bg --name "$h2" --health-cmd "/bin/false" --health-interval 100ms --health-retries 1 \
        -- /bin/sleep 1000 2>"$S/hn.err"
hn_bg=$BG_PID
sleep 1.5
kill -0 "$hn_bg" 2>/dev/null
ok $? "control: with HealthOnFailure=none an unhealthy container keeps running"
grep -q 'unhealthy: no health check passed' "$S/hn.err"
ok $? "... and its being unhealthy is logged" || sed 's/^/#   /' "$S/hn.err"
kill "$hn_bg"; wait "$hn_bg" 2>/dev/null

# Notify=healthy: READY=1 only after the first passing check, sent by the monitor
listener=$(dirname "$0")/notify-listener.py
python3 "$listener" "$S/notify.sock" 60 >"$S/ready.out" &
lpid=$!
for _ in $(seq 100); do grep -q listening "$S/ready.out" 2>/dev/null && break; sleep 0.05; done
h3=$(name_for nh)
NOTIFY_SOCKET=$S/notify.sock start_bg --name "$h3" --tmpfs /tmp --notify=healthy \
        --health-cmd "/bin/sh -c 'test -f /tmp/ok'" --health-interval 1s \
        -- /bin/sh -c 'sleep 1; touch /tmp/ok.new; mv /tmp/ok.new /tmp/ok; exec sleep 1000' 2>/dev/null
nh_bg=$BG_PID
t0=$(date +%s%N)
for _ in $(seq 100); do grep -q 'READY=1' "$S/ready.out" && break; sleep 0.05; done
ms=$((($(date +%s%N) - t0) / 1000000))
grep -q 'READY=1' "$S/ready.out"
ok $? "Notify=healthy: READY=1 is sent once the check passes (after ${ms} ms)"
[ "$ms" -ge 800 ]
ok $? "... and not before (the check can only pass after 1 s: ${ms} ms)"
kill "$nh_bg"; wait "$nh_bg" 2>/dev/null
kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null

# The record's spec is left alone when a start would write the same bytes, and rewritten when
# not: a second start of one name with another environment is what berth exec then sees.
rs=$(name_for respec)
run_ct --name "$rs" --env WHICH=first -- /bin/true >/dev/null 2>&1
run_ct --name "$rs" --env WHICH=first -- /bin/true >/dev/null 2>&1
start_bg --name "$rs" --env WHICH=second -- /bin/sleep 1000 2>"$S/respec.err"
rs_bg=$BG_PID
wait_payload "$rs"
is "$(enter "$rs" -- /bin/sh -c 'echo $WHICH' 2>&1)" second "a changed spec is rewritten: berth exec sees the second start's environment"
kill "$rs_bg"; wait "$rs_bg" 2>/dev/null
start_bg --name "$rs" --env WHICH=second -- /bin/sleep 1000 2>"$S/respec2.err"
rs_bg=$BG_PID
wait_payload "$rs"
is "$(enter "$rs" -- /bin/sh -c 'echo $WHICH' 2>&1)" second "control: the same spec again (left as it was) still serves berth exec"
kill "$rs_bg"; wait "$rs_bg" 2>/dev/null

tap_done
