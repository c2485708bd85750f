#!/bin/bash
# The PID-1 shim (--init, default with a private PID namespace): forwards signals, reaps
# orphans, and the container's exit status comes back out of berth-exec as docker's would.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

# ---- exit status
run_ct -- /bin/sh -c 'exit 3'
is "$?" 3 "exit 3 -> 3"
run_ct --no-init -- /bin/sh -c 'exit 4'
is "$?" 4 "exit 4 without init -> 4"
run_ct -- /bin/sh -c 'kill -KILL $$'
is "$?" 137 "payload killed by SIGKILL -> 128+9"
run_ct --pid host -- /bin/sh -c 'exit 5'
is "$?" 5 "--pid host (no init): exit 5 -> 5"

# ---- who is PID 1
is "$(run_ct -- /bin/sh -c 'echo $$; cat /proc/1/comm' | paste -sd' ' -)" "2 berth-init" \
        "with init: the payload is PID 2 under berth-init"
is "$(run_ct --no-init -- /bin/sh -c 'echo $$')" 1 "--no-init: the payload is PID 1"

# ---- what stays next to the payload: berth-init, not a copy of the helper
n=$(name_for resident)
start_bg --name "$n" -- /bin/sleep 1000
wait_for_file "/run/berth/$n/pid"
init_pid=$(recorded_pid "$n")
wait_child_comm "$init_pid" sleep
if [ -z "$BERTH_WRAP" ]; then
        # (Under valgrind the exec of berth-init does not happen and the shim waits in
        # process: valgrind runs the helper, not the kernel.)
        # (It runs from a read-only detached mount of its directory, issue 11: the link
        # names it from that mount's root.)
        is "$(readlink "/proc/$init_pid/exe")" "/berth-init" \
                "the container's PID 1 is berth-init, exec'd once the payload runs"
        cmp -s "/proc/$init_pid/exe" "$BERTH_BUILD_DIR/src/exec/berth-init"
        ok $? "... the build's berth-init (same content)"
        maps=$(awk '$6 != "" {print $6}' "/proc/$init_pid/maps" | sort -u | paste -sd' ' -)
        is "$maps" "/berth-init [stack] [vdso] [vsyscall] [vvar] [vvar_vclock]" \
                "... which maps nothing but itself: no libc, no loader, none of berth-exec"
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$init_pid/status")
        ok "$([ "$rss" -le 64 ]; echo $?)" "... and keeps $rss KiB resident (the forked shim kept ~1.5 MiB)"
fi
is "$(awk '$1 == "NSpid:" {print $NF}' "/proc/$init_pid/status")" 1 "the waiting process is the container's PID 1"
kill -KILL "$BG_PID"
wait "$BG_PID" 2>/dev/null

# The container cannot look into its PID 1 (memory, fds, the host's binary behind
# /proc/1/exe): root in it has the same uid but not CAP_SYS_PTRACE, and berth-init is not
# dumpable. It can still see it and read its name.
if [ -z "$BERTH_WRAP" ]; then
        # (The payload may start before the exec of berth-init is through: the first look
        # waits for that, bounded; the shim before it is not dumpable either.)
        out=$(run_ct -- /bin/sh -c 'for i in $(seq 50); do readlink /proc/1/exe >/dev/null 2>&1 || break; sleep 0.1; done
                readlink /proc/1/exe || echo denied; readlink /proc/1/fd/0 || echo denied; cat /proc/1/environ || echo denied
                cat /proc/1/comm' 2>/dev/null | paste -sd' ' -)
        is "$out" "denied denied denied berth-init" "root in the container can neither follow /proc/1/exe to the host's berth-init nor PID 1's fds, nor read its environment"
        out=$(run_ct --cap-add SYS_PTRACE -- /bin/sh -c 'readlink /proc/1/exe >/dev/null && echo followed')
        is "$out" followed "... which takes CAP_SYS_PTRACE (shows the check above can fail)"
fi

# ---- SIGTERM to the container's init (what systemd's KillMode=mixed and `kill MAINPID` do)
n=$(name_for term)
start_bg --name "$n" -- /bin/sleep 1000
wait_for_file "/run/berth/$n/pid"
init_pid=$(recorded_pid "$n")
like "$(grep '^NSpid:' "/proc/$init_pid/status")" "^NSpid:[[:space:]]+$init_pid[[:space:]]+1$" "the recorded pid is the container's PID 1"
wait_child_comm "$init_pid" sleep
kill -TERM "$init_pid"
if wait_gone "$BG_PID" 50; then
        ok 0 "kill -TERM on the init stops a 'sleep 1000' payload (which as PID 1 would ignore it)"
        wait "$BG_PID"
        is "$?" 143 "... and berth-exec exits 128+SIGTERM"
else
        ok 1 "kill -TERM on the init stops a 'sleep 1000' payload (which as PID 1 would ignore it)"
        kill -KILL "$BG_PID"
fi

# SIGTERM to berth-exec itself (the unit's main process) goes the same way.
n=$(name_for term2)
start_bg --name "$n" -- /bin/sleep 1000
wait_for_file "/run/berth/$n/pid"
init_pid=$(recorded_pid "$n")
wait_child_comm "$init_pid" sleep
kill -TERM "$BG_PID"
if wait_gone "$BG_PID" 50; then
        ok 0 "kill -TERM on berth-exec stops the container"
        wait "$BG_PID"
        is "$?" 143 "... exit 128+SIGTERM"
else
        ok 1 "kill -TERM on berth-exec stops the container"
        kill -KILL "$BG_PID"
fi
! kill -0 "$init_pid" 2>/dev/null
ok $? "... and the container's init is gone too"

# A helper killed outright (SIGKILL cannot be forwarded) takes the container with it.
n=$(name_for kill9)
start_bg --name "$n" -- /bin/sleep 1000
wait_for_file "/run/berth/$n/pid"
init_pid=$(recorded_pid "$n")
wait_child_comm "$init_pid" sleep
kill -KILL "$BG_PID"
wait "$BG_PID" 2>/dev/null
wait_gone "$init_pid" 50
ok $? "kill -KILL on berth-exec: the container's init is gone too (PDEATHSIG)"
rm -rf "/run/berth/$n"

# The other forwarded signals reach the payload: a trap on USR1 decides the exit status.
n=$(name_for usr1)
make_scratch
s=$S
start_bg --name "$n" --volume "$s:/srv" -- /bin/sh -c \
        'trap "echo got-usr1 > /srv/sig; exit 7" USR1; touch /srv/ready; while :; do sleep 0.1; done'
wait_for_file "$s/ready"
kill -USR1 "$(recorded_pid "$n")"
if wait_gone "$BG_PID" 50; then
        ok 0 "SIGUSR1 to the init reaches the payload"
        wait "$BG_PID"
        is "$?" 7 "... whose trap exits 7, berth-exec too"
else
        ok 1 "SIGUSR1 to the init reaches the payload"
        kill -KILL "$BG_PID"
fi
is "$(cat "$s/sig" 2>/dev/null)" got-usr1 "... the payload saw SIGUSR1"

# ---- zombies: an orphan that exits is reaped by the init
out=$(run_ct -- /bin/sh -c '
        sh -c "sleep 0.2 & exit 0"        # the sleep is orphaned and reparented to PID 1
        sleep 0.5
        for i in $(seq 50); do
                z=$(cat /proc/[0-9]*/stat 2>/dev/null | awk "\$3 == \"Z\"" | wc -l)
                [ "$z" = 0 ] && { echo reaped; exit 0; }
                sleep 0.1
        done
        echo "zombies: $z"')
is "$out" reaped "orphans that exit are reaped by the init (no zombie left)"

# Without init nobody reaps them: a payload that is PID 1 and never waits keeps the zombie
# (shows that the check above can fail).
n=$(name_for zombie)
start_bg --name "$n" --no-init -- /bin/sh -c 'sh -c "sleep 0.1 & exit 0"; exec sleep 1000'
wait_for_file "/run/berth/$n/pid"
wait_zombie_child "$(recorded_pid "$n")" 50
ok $? "--no-init: the orphan stays a zombie under a PID 1 that never waits"
kill -KILL "$BG_PID"
wait "$BG_PID" 2>/dev/null

tap_done
