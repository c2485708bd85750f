# shellcheck shell=bash
# Helpers for berth-exec's tests: run the helper on the busybox root and read what the
# container saw. Sourced after test/lib/common.sh.
require_root
ensure_rootfs
R=$BERTH_ROOTFS

# Unique per test process: tests run in parallel and names are host-wide (/run/berth/NAME).
name_for() { echo "t$$-$1"; }

# Runs berth-exec on the test root. Under the valgrind pass, valgrind's own notes about
# system calls and ioctls it does not know are dropped from stderr: they are not berth's
# output (berth-exec falls back to older calls there). Memory errors still fail the run
# (valgrind's --error-exitcode).
VALGRIND_NOTES='^--[0-9]+-- |^==[0-9]+== (Warning: noted but unhandled ioctl|   This could cause spurious|   See README_MISSING)'
run_ct() {
        if [ -n "$BERTH_WRAP" ]; then
                { berth_exec --rootfs "$R" "$@" 2>&1 1>&3 3>&- | grep -Ev "$VALGRIND_NOTES" >&2; return "${PIPESTATUS[0]}"; } 3>&1
        else
                berth_exec --rootfs "$R" "$@"
        fi
}

# The hex value of a capability line (CapEff, CapBnd...) in /proc/self/status output.
cap_field() { # STATUS-TEXT FIELD
        printf '%s\n' "$1" | awk -v f="$2:" '$1 == f {print $2}'
}

# Capability names of a hex mask, sorted, comma-separated, without cap_ (capsh decodes).
cap_names() { # HEX
        capsh --decode="$1" | sed 's/^[^=]*=//' | tr ',' '\n' | sed 's/^cap_//' | grep -v '^$' | sort | paste -sd, -
}

sorted_list() { tr ' ,' '\n\n' | grep -v '^$' | sort | paste -sd, -; }

# Waits (bounded, 10 s) until FILE exists.
wait_for_file() { # FILE
        local i
        for i in $(seq 100); do
                [ -e "$1" ] && return 0
                sleep 0.1
        done
        return 1
}

# Waits (bounded) until PID has exited; returns 1 if it is still there.
wait_gone() { # PID [TENTHS]
        local i
        for i in $(seq "${2:-100}"); do
                kill -0 "$1" 2>/dev/null || return 0
                sleep 0.1
        done
        return 1
}

# The host pid recorded for a running container NAME (its first process).
recorded_pid() { # NAME
        awk '{print $1}' "/run/berth/$1/pid" 2>/dev/null
}

# Starts berth-exec in the background with exec, so BG_PID is the helper itself (not a
# subshell) and a signal sent to it reaches berth-exec.
start_bg() { # OPTIONS... (stdout/stderr as the caller redirects)
        ( exec $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$R" "$@" ) &
        BG_PID=$!
}

# A scratch directory in $S, removed at exit (not in a subshell: its EXIT trap would fire at
# once).
make_scratch() {
        S=$(mktemp -d /tmp/berth-exec-test.XXXXXX)
}

# At exit: the scratch directory and the runtime directories of this test's containers
# (a record's directory outlives the container: it holds the lock for the name).
cleanup_test() {
        [ -n "${S:-}" ] && rm -rf "$S"
        rm -rf /run/berth/"t$$-"*
}
trap cleanup_test EXIT

# Host pids of zombie children of PID (bounded wait of TENTHS for one to appear).
wait_zombie_child() { # PID TENTHS
        local i
        for i in $(seq "$2"); do
                ps --ppid "$1" -o stat= 2>/dev/null | grep -q '^Z' && return 0
                sleep 0.1
        done
        return 1
}

# Waits (bounded, 30 s) until a child of PID runs COMM: the payload has been exec'd and the
# init is in its signal loop.
wait_child_comm() { # PID COMM
        local i c
        for i in $(seq 300); do
                for c in $(cat "/proc/$1/task/$1/children" 2>/dev/null); do
                        [ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$2" ] && return 0
                done
                sleep 0.1
        done
        return 1
}
