#!/bin/bash
# sd_notify: READY=1 reaches $NOTIFY_SOCKET only once the payload has been exec'd, never after
# a failure; --notify passes the socket into the container instead.
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

make_scratch
listener=$(dirname "$0")/notify-listener.py

# Starts the listener on socket $1; its output goes to $S/$2.
listen() { # SOCKET OUTFILE
        python3 "$listener" "$1" 120 >"$S/$2" &
        LISTENER=$!
        for _ in $(seq 100); do
                grep -q listening "$S/$2" 2>/dev/null && return 0
                sleep 0.05
        done
        return 1
}
# berth-exec returns only after the listener confirmed BARRIER=1, so everything it sent has
# been printed by now.
stop_listener() { kill "$LISTENER" 2>/dev/null; wait "$LISTENER" 2>/dev/null; }

# ---- READY=1 after exec, from berth-exec, which stays the unit's main process
n=$(name_for ready)
listen "$S/notify.sock" ready.out
NOTIFY_SOCKET=$S/notify.sock start_bg --name "$n" -- /bin/sleep 1000
for _ in $(seq 300); do grep -q '^tree=' "$S/ready.out" && break; sleep 0.1; done
out=$(cat "$S/ready.out")
like "$out" "^pid=$BG_PID READY=1$" "READY=1 arrives, sent by berth-exec (pid $BG_PID)" || diag "$out"
like "$out" "^tree=berth-init sleep$" "when it arrives the payload has been exec'd (the sender's descendants are berth-init and sleep)"
ok $([[ $out != *MAINPID=* ]]; echo $?) "no MAINPID=: berth-exec itself stays the main process systemd forked"
like "$out" "^pid=$BG_PID BARRIER=1$" "then BARRIER=1, so the message is handled before berth-exec could go away"
kill -0 "$BG_PID" 2>/dev/null
ok $? "berth-exec keeps running as the main process"
kill -TERM "$BG_PID"
wait "$BG_PID"
is "$?" 143 "SIGTERM to it stops the container (128+15)"
stop_listener

n=$(name_for noinit)
listen "$S/notify2.sock" noinit.out
NOTIFY_SOCKET=$S/notify2.sock run_ct --name "$n" --no-init -- /bin/sleep 0.3
is "$?" 0 "--no-init under NOTIFY_SOCKET: the payload's status"
stop_listener
like "$(cat "$S/noinit.out")" "^tree=sleep$" "--no-init: READY=1 when the payload itself has been exec'd"

# An abstract socket works too.
listen "@berth-test-$$" abstract.out
NOTIFY_SOCKET=@berth-test-$$ run_ct -- /bin/true
stop_listener
like "$(cat "$S/abstract.out")" "READY=1" "an abstract NOTIFY_SOCKET (@name) receives READY=1"

# ---- never after a failure
listen "$S/fail.sock" fail.out
NOTIFY_SOCKET=$S/fail.sock run_ct -- /no/such/payload 2>/dev/null
is "$?" 127 "payload not found under NOTIFY_SOCKET: exit 127"
NOTIFY_SOCKET=$S/fail.sock run_ct --workdir /no/such/dir -- /bin/true 2>/dev/null
is "$?" 125 "a failing step under NOTIFY_SOCKET: exit 125"
NOTIFY_SOCKET=$S/fail.sock run_ct --user nosuchuser -- /bin/true 2>/dev/null
is "$?" 125 "an option failing early under NOTIFY_SOCKET: exit 125"
stop_listener
is "$(grep -c READY "$S/fail.out")" 0 "no READY=1 was sent for any of them"

# ---- --notify: the payload gets the socket and says READY itself
listen "$S/pass.sock" pass.out
out=$(NOTIFY_SOCKET=$S/pass.sock run_ct --notify -- /bin/sh -c 'echo $NOTIFY_SOCKET; test -S $NOTIFY_SOCKET && echo socket; stat -c %i $NOTIFY_SOCKET')
stop_listener
is "$(printf '%s\n' "$out" | head -n 2 | paste -sd' ' -)" "/run/host/notify socket" "--notify: NOTIFY_SOCKET=/run/host/notify inside, a socket"
inode=$(printf '%s\n' "$out" | sed -n 3p)
[ -n "$inode" ] && [ "$inode" != "$(stat -c %i "$S/pass.sock")" ]
ok $? "... berth-exec's own proxy socket, not the host's (inode $inode, the host's $(stat -c %i "$S/pass.sock"))"
is "$(grep -c READY "$S/pass.out")" 0 "... and berth-exec does not send READY=1 itself"

err=$(env -u NOTIFY_SOCKET "$BERTH_EXEC_BIN" --rootfs "$R" --notify -- /bin/true 2>&1)
is "$?" 125 "--notify without NOTIFY_SOCKET: exit 125"
like "$err" "^berth-exec: --notify: NOTIFY_SOCKET is not set" "... saying so"
err=$(NOTIFY_SOCKET=@abstract-$$ run_ct --notify -- /bin/true 2>&1)
is "$?" 125 "--notify with an abstract NOTIFY_SOCKET: exit 125 (it cannot be bound into the container)"

tap_done
