#!/bin/bash
# Fault injection (issue 5): every privileged call berth-exec makes is made to fail, one at a
# time, through the berth-fault.so LD_PRELOAD shim. For each: the shim confirms the call was
# reached and failed, berth-exec exits with the helper's status, the payload never ran (its
# marker file is absent), and the single error line names the step.
# The list of calls is not written down here: a clean run of each scenario is traced first, so
# a step berth-exec gains later is covered without editing this file.
. "$(dirname "$0")/../lib/common.sh"

[ "$(id -u)" -eq 0 ] || tap_skip_all "fault injection runs berth-exec, which needs root"
shim=$BERTH_BUILD_DIR/test/hardening/berth-fault.so
[ -f "$shim" ] || tap_skip_all "berth-fault.so is not built ($shim)"
# A preload cannot reach into the static berth-exec: the build makes a dynamically linked
# twin from the same sources for this test (src/exec/meson.build).
BERTH_EXEC_BIN=${BERTH_EXEC_PRELOADABLE:-$BERTH_EXEC_BIN}
[ -x "$BERTH_EXEC_BIN" ] || tap_skip_all "no dynamically linked berth-exec at $BERTH_EXEC_BIN"
ensure_rootfs

scratch=$(mktemp -d /var/tmp/berth-fault.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
out=$scratch/out
mkdir -p "$out"
chmod 0777 "$out"
# An ASan build of berth-exec would refuse a preload that comes before its runtime.
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0

# What the one error line must mention for a failure of each call.
step_pattern() {
        case $1 in
        mount | open_tree | move_mount | mount_setattr) echo 'mount|bind|proc|sys|dev|volume|tmpfs|mask|read-only|readonly|root' ;;
        umount2) echo 'pivot_root|old root|umount|detach' ;;
        pivot_root) echo 'pivot_root' ;;
        clone | clone3) echo 'clone' ;;
        fork) echo 'fork|init' ;;
        setns) echo 'setns|join|namespace' ;;
        unshare) echo 'unshare|namespace' ;;
        sethostname) echo 'hostname' ;;
        prctl-bounding) echo 'bounding' ;;
        prctl-keepcaps) echo 'keep' ;;
        setgroups) echo 'setgroups' ;;
        setresgid) echo 'setresgid' ;;
        setresuid) echo 'setresuid' ;;
        capset) echo 'capset' ;;
        prctl-ambient) echo 'ambient' ;;
        prctl-nnp) echo 'no.new.priv' ;;
        ioctl-ifflags) echo 'loopback' ;;
        seccomp) echo 'seccomp' ;;
        execve) echo 'exec' ;;
        spawn) echo 'spawn|init' ;;
        chdir | fchdir) echo 'chdir|workdir|pivot_root' ;;
        openat2) echo 'rootfs|root|mount|mask|volume|tmpfs|dev|proc|sys|open|workdir|/' ;;
        fsopen | fsconfig | fsmount) echo 'proc|pid' ;;
        *) echo "$1" ;;
        esac
}

declare -A covered

# scenario NAME OPTIONS...: trace a clean run, then fail each traced call in turn.
scenario() {
        local name=$1; shift
        local opts=("$@") trace=$scratch/trace.$name points rc
        # A first run creates missing mount points in the root (more calls than later runs):
        # trace the second.
        berth_exec --rootfs "$BERTH_ROOTFS" "${opts[@]}" -- /bin/true 2>/dev/null
        rm -f "$out/ran" "$trace"
        BERTH_FAULT_LOG=$trace LD_PRELOAD=$shim berth_exec --rootfs "$BERTH_ROOTFS" "${opts[@]}" \
                -- /bin/touch /out/ran 2>"$scratch/stderr"
        rc=$?
        [ $rc -eq 0 ] && [ -e "$out/ran" ] && [ -s "$trace" ]
        if ! ok $? "$name: clean run under the shim runs the payload (exit $rc, $(wc -l <"$trace" 2>/dev/null || echo 0) calls traced)"; then
                sed 's/^/# /' "$scratch/stderr"
                return
        fi
        local previous=start
        while read -r call n detail; do
                # The same call at the same position after the same call in an earlier
                # scenario is the same step: once is enough (keeps the suite short).
                local key="$call $n $detail after $previous"
                previous=$call
                [ -n "${covered[$key]:-}" ] && continue
                covered[$key]=1
                if [ "$call" = mount ] && [ "$detail" = type=sysfs ]; then
                        # berth-exec's documented fallback: sysfs cannot be mounted (EPERM) in
                        # a network namespace the helper does not own, and the host's /sys is
                        # bound read-only instead, as Docker does. Any other error must stop.
                        inject "$call" "$n" 1 fallback
                        inject "$call" "$n" 5
                elif [ "$call" = execveat ]; then
                        # The shim's exec of berth-init: the payload runs already, and if the
                        # exec fails the shim goes on waiting in process (the same work).
                        inject "$call" "$n" 1 fallback
                else
                        inject "$call" "$n" 1
                fi
        done <"$trace"
}

# inject CALL N ERRNO [fallback]: one run with that call failing.
inject() {
        local call=$1 n=$2 error=$3 mode=${4:-}
        local log=$scratch/log err want status message problems=()
        rm -f "$out/ran" "$log"
        BERTH_FAULT="$call:$n:$error" BERTH_FAULT_LOG=$log LD_PRELOAD=$shim \
                berth_exec --rootfs "$BERTH_ROOTFS" "${opts[@]}" -- /bin/touch /out/ran 2>"$scratch/stderr"
        status=$?
        err=$(grep -v '^==' "$scratch/stderr")
        grep -qx "$call $n injected" "$log" 2>/dev/null || problems+=("the fault was not reached")
        if [ "$mode" = fallback ]; then
                [ "$status" -eq 0 ] && [ -e "$out/ran" ] || problems+=("the fallback did not run the payload (exit $status)")
                local what="read-only host /sys fallback"
                [ "$call" = execveat ] && what="the shim waits in process instead of berth-init"
                ok ${#problems[@]} "$name: $call #$n${detail:+ ($detail)} fails with EPERM -> $what, payload runs${problems:+: ${problems[*]}}"
                return
        fi
        want=125
        [ "$call" = execve ] && want=126
        message=$(perl -e '$! = shift; print "$!"' "$error")
        [ -e "$out/ran" ] && problems+=("THE PAYLOAD RAN")
        [ "$status" -eq "$want" ] || problems+=("exit $status, want $want")
        [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ] || problems+=("$(printf '%s\n' "$err" | grep -c .) lines on stderr")
        printf '%s' "$err" | grep -q '^berth-exec' || problems+=("message does not start with berth-exec")
        printf '%s' "$err" | grep -qF "$message" || problems+=("message lacks '$message'")
        printf '%s' "$err" | grep -Eqi -- "$(step_pattern "$call")" || problems+=("message does not name the step")
        if [ ${#problems[@]} -eq 0 ]; then
                ok 0 "$name: $call #$n${detail:+ ($detail)} fails -> exit $status, payload not run: $err"
        else
                ok 1 "$name: $call #$n${detail:+ ($detail)} fails -> $(IFS=';'; echo "${problems[*]}"): $err"
        fi
}

# Non-root user: the user switch, ambient capabilities (raised only for what --cap-add names),
# no_new_privs then seccomp last.
scenario user --user 1000 --cap-add NET_BIND_SERVICE --read-only --tmpfs /tmp --volume "$out:/out" --hostname faulty
# no-new-privileges off: seccomp is loaded before the user switch instead.
scenario no-nnp --security-opt no-new-privileges=false --volume "$out:/out"
# Joining an existing namespace (setns) and no init shim (host PID namespace).
scenario join --ipc ns:/proc/self/ns/ipc --pid host --volume "$out:/out"
# Joining another PID namespace (issue 11): its procfs, the late setns, the fork into it.
unshare -p -f sleep 600 </dev/null >/dev/null 2>&1 &
pidns_holder_parent=$!
pidns_holder=
for _ in $(seq 50); do
        pidns_holder=$(pgrep -P "$pidns_holder_parent" sleep) && break
        sleep 0.1
done
scenario pid-join --pid "ns:/proc/$pidns_holder/ns/pid" --volume "$out:/out"
# (the holder is its namespace's PID 1: only SIGKILL reaches it from here)
kill -KILL "$pidns_holder" "$pidns_holder_parent" 2>/dev/null
wait "$pidns_holder_parent" 2>/dev/null

tap_done
