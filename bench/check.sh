#!/bin/bash
# Checks, before anything is timed, that every contender really does the work it is
# compared on: it runs a probe in each one's container and compares what the probe sees
# (namespaces, capability sets, no_new_privs, seccomp mode, the busybox root, a fresh
# /proc) with what the table claims. Prints TAP; exits non-zero if any check fails, so
# run.sh never times a contender that skipped a step. Writes $BENCH_OUT/isolation.json.
#   bench/check.sh            (after run.sh has built and prepared, or with --prepare)
{ # read whole before it runs: editing this file during a run cannot change that run
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

if [ "${1:-}" = --prepare ]; then
        build_berth
        prepare_peers
fi
if [ -z "${BENCH_IN_NS:-}" ]; then
        BENCH_IN_NS=1 in_bench_ns bash "$0"
        exit
fi
[[ " ${contender_names[*]} " != *" berth-exec "* ]] || [ -x "$berth_exec" ] || bench_fail "$berth_exec missing: run bench/run.sh or check.sh --prepare"
[ -f "$work/bundle-probe/config.json" ] || bench_fail "$work/bundle-probe missing: run check.sh --prepare"

docker_caps_hex=00000000a80425fb
n=0 failed=0
ok() { # COND DESCRIPTION
        n=$((n + 1))
        if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
host_ns() { readlink "/proc/self/ns/$1"; }

json="{"
for name in "${contender_names[@]}"; do
        contender_cmd "$name" bundle-probe /bin/sh -c "$probe_script"
        out=$("${cmd[@]}" 2>"$work/probe.err")
        rc=$?
        ok $rc "$name: probe runs (exit $rc$( [ $rc = 0 ] || echo ": $(head -1 "$work/probe.err")"))"
        declare -A seen=()
        while IFS='=' read -r k v; do [ -n "$k" ] && seen[$k]=$v; done <<<"$out"

        want_net_private=0
        [ "$name" = "berth-exec --net=host" ] && want_net_private=1
        private=0
        for ns in mnt pid ipc uts; do [ "${seen[$ns]:-}" != "$(host_ns $ns)" ] && [ -n "${seen[$ns]:-}" ] || private=1; done
        ok $private "$name: private mount, PID, IPC and UTS namespaces"
        if [ $want_net_private = 0 ]; then
                [ -n "${seen[net]:-}" ] && [ "${seen[net]}" != "$(host_ns net)" ]
                ok $? "$name: private network namespace"
        else
                [ "${seen[net]:-}" = "$(host_ns net)" ]
                ok $? "$name: the host's network namespace"
        fi
        [ "${seen[root]:-}" = berth-rootfs ] && [ "${seen[procs]:-99}" -le 8 ]
        ok $? "$name: runs in the busybox root with a fresh /proc (${seen[procs]:-?} processes visible)"
        case $name in
        nspawn) ;; # nspawn's own capability set and its own syscall filter: reported, not compared
        *)
                [ "${seen[CapEff]:-}" = $docker_caps_hex ] && [ "${seen[CapBnd]:-}" = $docker_caps_hex ]
                ok $? "$name: effective and bounding sets are Docker's 14 capabilities (${seen[CapEff]:-?})"
                [ "${seen[NoNewPrivs]:-}" = 1 ]
                ok $? "$name: no_new_privs set"
                ;;
        esac
        case $name in
        bwrap | nspawn) ;; # bwrap takes a filter only on a file descriptor: timed without one
        *)
                [ "${seen[Seccomp]:-}" = 2 ]
                ok $? "$name: a seccomp filter is loaded"
                ;;
        esac
        json+="\"$name\": {"
        for k in CapEff NoNewPrivs Seccomp net; do json+="\"$k\": \"${seen[$k]:-}\", "; done
        json+="\"net_private\": $([ "${seen[net]:-}" != "$(host_ns net)" ] && echo true || echo false)}, "
        unset seen
done
json="${json%, }}"
echo "$json" >"$BENCH_OUT/isolation.json"
echo "1..$n"
[ $failed = 0 ]
exit
}
