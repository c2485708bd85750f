#!/bin/bash
# Resident cost: what each runtime leaves running next to a payload. Starts `sleep` in
# each one's container, waits until the payload runs, then sums VmRSS and Pss
# (/proc/PID/smaps_rollup: shared pages split between sharers) of every process in the
# launch tree that is not the payload. Writes $BENCH_OUT/resident.json.
#   bench/resident.sh   (after bench/check.sh)
{ # read whole before it runs: editing this file during a run cannot change that run
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"

if [ -z "${BENCH_IN_NS:-}" ]; then
        BENCH_IN_NS=1 in_bench_ns bash "$0"
        exit
fi
python3 "$bench_dir/lib/oci-bundle.py" "$BENCH_ROOTFS" "$work/seccomp.json" "$work/bundle-sleep" -- /bin/sleep 60

descendants() { # PID: PID and all its descendants
        local p=$1 c
        echo "$p"
        for c in $(cat "/proc/$p/task/"*/children 2>/dev/null); do descendants "$c"; done
}
status_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null; }
pss_kib() { awk '$1 == "Pss:" { print $2 }' "/proc/$1/smaps_rollup" 2>/dev/null; }

# Waits for the `sleep` among PID's descendants.
wait_payload() { # ROOT-PID
        local i p
        for i in $(seq 100); do
                for p in $(descendants "$1"); do
                        [ "$(cat /proc/$p/comm 2>/dev/null)" = sleep ] && { echo "$p"; return 0; }
                done
                sleep 0.05
        done
        return 1
}

rows=()
measure() { # NAME WHAT LAUNCH-PID PAYLOAD-PID
        local name=$1 what=$2 root=$3 payload=$4 n=0 rss=0 pss=0 p list="" parent=0
        if [ "$root" != - ]; then
                for p in $(descendants "$root"); do
                        [ "$p" = "$payload" ] && continue
                        n=$((n + 1))
                        rss=$((rss + $(status_kib "$p" VmRSS)))
                        pss=$((pss + $(pss_kib "$p")))
                        list+="$(cat /proc/$p/comm) $(status_kib "$p" VmRSS)/$(pss_kib "$p"), "
                done
        fi
        list=${list%, }
        # The payload's parent: berth's PID-1 shim, bwrap's reaper, or the runtime itself.
        [ "$root" = - ] || parent=$(status_kib "$(awk '{ print $4 }' "/proc/$payload/stat")" VmRSS)
        echo "resident: $name: $n process(es) [${list:-none}]: VmRSS $rss KiB, Pss $pss KiB" >&2
        rows+=("$name	$what	$n	$rss	$pss	${list:-none}	$parent")
}

run_attached() { # NAME WHAT
        local name=$1 what=$2 pid payload
        contender_cmd "$name" bundle-sleep /bin/sleep 60
        "${cmd[@]}" </dev/null >/dev/null 2>&1 &
        pid=$!
        payload=$(wait_payload $pid) || bench_fail "resident: $name: the payload did not start"
        measure "$name" "$what" $pid "$payload"
        kill -KILL "$payload"
        wait $pid 2>/dev/null || true
}

run_attached "berth-exec" "berth-exec parent (waits, reports to systemd) + PID-1 shim"
run_attached "berth-exec (shared libraries)" "the same, berth-exec linked with shared libraries"
run_attached "floor" "the floor's parent (waits)"
run_attached "crun" "crun run in the foreground"
run_attached "runc" "runc run in the foreground"
run_attached "bwrap" "bwrap parent + bwrap's PID-1 reaper"
run_attached "nspawn" "systemd-nspawn monitor"

# Detached, the OCI runtimes leave nothing: the payload is the container's PID 1.
crun --cgroup-manager=disabled --root /run/bench-crun run -d -b "$work/bundle-sleep" bench-res </dev/null >/dev/null 2>&1
payload=$(crun --root /run/bench-crun state bench-res | python3 -c 'import json,sys; print(json.load(sys.stdin)["pid"])')
[ "$(cat /proc/$payload/comm)" = sleep ] || bench_fail "resident: crun -d: the payload did not start"
measure "crun run -d" "nothing (the payload is PID 1)" - "$payload"
crun --root /run/bench-crun kill bench-res KILL
crun --root /run/bench-crun delete -f bench-res

python3 - "$BENCH_OUT/resident.json" "${rows[@]}" <<'PY'
import json, sys
rows = []
for line in sys.argv[2:]:
    name, what, n, rss, pss, detail, parent = line.split("\t")
    rows.append({"name": name, "what": what, "processes": int(n), "rss_kib": int(rss), "pss_kib": int(pss),
                 "detail": detail, "payload_parent_rss_kib": int(parent)})
json.dump({"rows": rows}, open(sys.argv[1], "w"), indent=1)
PY
exit
}
