#!/bin/bash
# What a real service needs from its container (issue 13): loopback up in a private network
# namespace, a payload's death by a signal passed on as berth-exec's own, and /dev/stdout
# and /dev/stderr that open when the unit's output is a socket (the journal's stream).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
make_scratch

# The status of a command as the kernel reported it: "status -11" for a death by SIGSEGV,
# "status 139" for an exit with 139 (a shell's $? cannot tell them apart).
status_of() { python3 -c 'import subprocess, sys; print("status %d" % subprocess.run(sys.argv[1:]).returncode)' "$@"; }
# berth-exec with stdout and stderr on one Unix stream socket (--split: one each).
on_socket() { python3 "$here/socket-run.py" "$@"; }
if [ -n "$BERTH_WRAP" ]; then
        # valgrind's own lines (system calls it does not know, the signal that ended the
        # process) share the socket: they are not berth's output. Memory errors still fail
        # the run (valgrind's exit status, in the status line).
        on_socket() { python3 "$here/socket-run.py" "$@" | grep -Ev '^--[0-9]+-- |^==[0-9]+=='; }
fi

# ---- loopback in a private network namespace (SPEC §3: NetworkNamespace=private and none)
# A server on 127.0.0.1 and one on ::1, inside the container, fetched from inside it. "down"
# first takes lo down (needs NET_ADMIN): the control that shows the fetch can fail.
serve_and_fetch='echo served-$1 > /srv/index.html
[ "$1" = down ] && ip link set lo down
httpd -f -p 127.0.0.1:8080 -h /srv 2>/dev/null &
httpd -f -p "[::1]:8081" -h /srv 2>/dev/null &
listening() { for i in $(seq 30); do netstat -ltn | grep -q ":$1 " && return 0; sleep 0.1; done; return 1; }
fetch() { timeout 3 wget -q -O - "$1" 2>/dev/null || echo "$2-unreachable"; }
listening 8080; fetch http://127.0.0.1:8080/ v4
listening 8081; fetch "http://[::1]:8081/" v6
kill %1 %2 2>/dev/null'
out=$(run_ct --tmpfs /srv -- /bin/sh -c "$serve_and_fetch" sh up 2>&1 | paste -sd' ' -)
is "$out" "served-up served-up" "private network namespace: servers on 127.0.0.1 and ::1 are reachable from inside"
out=$(run_ct --net none --tmpfs /srv -- /bin/sh -c "$serve_and_fetch" sh up 2>&1 | paste -sd' ' -)
is "$out" "served-up served-up" "--net none: the same (loopback only, and up)"
out=$(run_ct --tmpfs /srv --cap-add NET_ADMIN -- /bin/sh -c "$serve_and_fetch" sh down 2>&1 | paste -sd' ' -)
is "$out" "v4-unreachable v6-unreachable" "control: with lo taken down inside, neither is reachable"
out=$(run_ct -- /bin/ip -o link show lo)
like "$out" '<LOOPBACK,UP,LOWER_UP>' "ip link show lo in the container: UP"
out=$(run_ct --user app --tmpfs /srv:mode=1777 -- /bin/sh -c "$serve_and_fetch" sh up 2>&1 | paste -sd' ' -)
is "$out" "served-up served-up" "... also for a non-root payload without capabilities (lo was brought up before the drop)"

# ---- a payload killed by a signal: berth-exec dies by the same signal (SPEC §5)
# (ulimit -c 0: the payload's own core would land in the root.)
is "$(status_of "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c 'ulimit -c 0; kill -SEGV $$')" "status -11" \
        "payload killed by SIGSEGV under berth-init: berth-exec is killed by SIGSEGV"
is "$(status_of "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c 'exit 139')" "status 139" \
        "control: a payload that exits with 139 (128+11): berth-exec exits with 139"
is "$(status_of "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c 'kill -ABRT $$')" "status -6" \
        "payload killed by SIGABRT: berth-exec is killed by SIGABRT"
is "$(status_of "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c 'exit 134')" "status 134" "control: exit 134 stays an exit"
is "$(status_of "$BERTH_EXEC_BIN" --rootfs "$R" --pid host -- /bin/sh -c 'ulimit -c 0; kill -SEGV $$')" "status -11" \
        "--pid host (no init, the payload is berth-exec's child): killed by SIGSEGV too"
is "$(status_of "$BERTH_EXEC_BIN" --rootfs "$R" --user app -- /bin/sh -c 'kill -KILL $$')" "status -9" \
        "a non-root payload killed by SIGKILL: berth-exec is killed by SIGKILL"
# Exits still come out as exits, also 128+N after a signal that was caught.
is "$(status_of "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c 'trap "exit 130" INT; kill -INT $$')" "status 130" \
        "a payload that catches SIGINT and exits 130: an exit"

# A signal from outside (kill -SEGV on the payload's host pid, as an administrator would).
n=$(name_for segv)
( exec python3 -c 'import subprocess, sys; print("status %d" % subprocess.run(sys.argv[1:]).returncode)' \
        $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" --name "$n" -- /bin/sh -c 'ulimit -c 0; exec sleep 1000' >"$S/segv.out" ) &
bg=$!
wait_for_file "/run/berth/$n/pid"
init_pid=$(recorded_pid "$n")
wait_child_comm "$init_pid" sleep
payload=$(cat "/proc/$init_pid/task/$init_pid/children" | awk '{print $1}')
kill -SEGV "$payload"
wait "$bg"
status=$(cat "$S/segv.out")
[ -n "$BERTH_WRAP" ] && status=$(grep -Ev '^==[0-9]+==' "$S/segv.out")
is "$status" "status -11" "kill -SEGV on the running payload from the host: berth-exec is killed by SIGSEGV"

# berth-exec itself never dumps a core (it is a copy of the helper and the payload dumped
# its own, if it was going to): run where a core would land, with cores allowed.
if grep -q '^core' /proc/sys/kernel/core_pattern; then
        mkdir -p "$S/cwd" && chmod 0777 "$S/cwd"
        ( cd "$S/cwd" && ulimit -c unlimited && "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c 'ulimit -c 0; kill -SEGV $$' )
        is "$(ls "$S/cwd")" "" "no core file from berth-exec in its working directory (RLIMIT_CORE 0, not dumpable)"
        ( cd "$S/cwd" && ulimit -c unlimited && exec /bin/sh -c 'kill -SEGV $$' ) 2>/dev/null
        ok "$(ls "$S/cwd" | grep -q '^core'; echo $?)" "control: a process killed the same way there does leave a core"
        rm -f "$S"/cwd/core*
else
        diag "core_pattern is a pipe ($(cat /proc/sys/kernel/core_pattern)): the no-core check needs a file pattern"
fi

# ---- /dev/stdout and /dev/stderr when the output is a socket (SPEC §5)
out=$(on_socket --status -- /bin/sh -c 'echo hi > /dev/stdout' 2>&1)
like "$out" "No such device or address" "control: outside berth, opening /dev/stdout on a socket fails with ENXIO"
out=$(on_socket --status -- $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c \
        'echo one > /dev/stdout; echo "<3>two" > /dev/stderr; echo three; echo "<4>four" >&2; printf five')
is "$out" "$(printf 'one\n<3>two\nthree\n<4>four\nfivestatus 0')" \
        "one socket for both: /dev/stdout and /dev/stderr open; lines, order and <N> prefixes arrive unchanged"
out=$(on_socket --split --status -- $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c \
        'echo out1 > /dev/stdout; echo err1 > /dev/stderr; echo out2; echo err2 >&2')
is "$out" "$(printf 'out1\nout2\n--- stderr ---\nerr1\nerr2\nstatus 0')" "a socket each: each stream reaches its own"
for mode in "" "--pid host"; do
        out=$(on_socket --status -- $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" $mode -- /bin/sh -c \
                'head -c 3000000 /dev/zero | tr "\0" x; echo; echo last-line; exit 7')
        is "$(printf '%s' "$out" | head -c 3000000 | tr -d x | wc -c)/$(printf '%s\n' "$out" | tail -n 2 | paste -sd' ' -)" \
                "0/last-line status 7" "${mode:-with init}: 3 MB written just before exit all arrive, then the exit status (7)"
done
out=$(on_socket --status -- $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" -- /bin/sh -c 'echo before-crash; ulimit -c 0; kill -SEGV $$')
is "$out" "$(printf 'before-crash\nstatus -11')" "output before a crash arrives, and the crash is still berth-exec's death"
out=$(on_socket --status -- $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" --cap-add NOPE -- /bin/true | paste -sd' ' -)
like "$out" "unknown capability 'NOPE'.*status 125" "berth-exec's own errors still reach the socket"
out=$(on_socket --status -- $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" -- /no/such/payload | paste -sd' ' -)
like "$out" "exec /no/such/payload: No such file or directory.*status 127" "... also those of the container's setup (through the pipe)"

# The relay process: outside the container, without any capability, no_new_privs.
n=$(name_for relay)
( exec python3 "$here/socket-run.py" -- "$BERTH_EXEC_BIN" --rootfs "$R" --name "$n" -- /bin/sleep 1000 >/dev/null ) &
bg=$!
wait_for_file "/run/berth/$n/pid"
init_pid=$(recorded_pid "$n")
wait_child_comm "$init_pid" sleep
helper=$(awk '$1 == "PPid:" {print $2}' "/proc/$init_pid/status")
relay=$(for c in $(cat "/proc/$helper/task/$helper/children"); do [ "$(cat "/proc/$c/comm")" = berth-relay ] && echo "$c"; done)
if [ -n "$relay" ]; then
        st=$(cat "/proc/$relay/status")
        is "$(cap_field "$st" CapEff)/$(cap_field "$st" CapPrm)/$(cap_field "$st" CapBnd)/$(cap_field "$st" NoNewPrivs)" \
                "0000000000000000/0000000000000000/0000000000000000/1" "the relay (berth-relay, pid $relay) holds no capability and has no_new_privs"
        is "$(ls "/proc/$relay/fd" | sort -n | paste -sd' ' -)" "0 1 2 3" "... and no descriptor but stdin, the two outputs and its pipe"
else
        ok 1 "a berth-relay process is a child of berth-exec $helper when stdout is a socket"
fi
kill -TERM "$helper"
wait "$bg"
n=$(name_for norelay)
start_bg --name "$n" -- /bin/sleep 1000 >/dev/null 2>&1
wait_for_file "/run/berth/$n/pid"
init_pid=$(recorded_pid "$n")
wait_child_comm "$init_pid" sleep
kids=$(for c in $(cat "/proc/$BG_PID/task/$BG_PID/children"); do cat "/proc/$c/comm"; done | paste -sd' ' -)
is "$kids" "berth-init" "control: with stdout a file, no relay (berth-exec's only child is the container's init)"
kill -TERM "$BG_PID"
wait "$BG_PID" 2>/dev/null

tap_done
