#!/bin/bash
# Namespaces as the container sees them in /proc/self/ns/* (SPEC §5 --pid --net --ipc --uts).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

kinds="pid net ipc uts"
ns_inside() { # OPTIONS... -> "pid:[...] net:[...] ..."
        run_ct "$@" -- /bin/sh -c 'for k in pid net ipc uts; do echo "$k $(readlink /proc/self/ns/$k)"; done'
}
ns_of_pid() { # PID
        local k
        for k in $kinds; do echo "$k $(readlink "/proc/$1/ns/$k")"; done
}
field() { printf '%s\n' "$1" | awk -v k="$2" '$1 == k {print $2}'; }

host=$(ns_of_pid self)
priv=$(ns_inside)
for k in $kinds; do
        [ -n "$(field "$priv" $k)" ] && [ "$(field "$priv" $k)" != "$(field "$host" $k)" ]
        ok $? "private $k namespace (default) differs from the host's"
done
priv=$(ns_inside --pid private --net private --ipc private --uts private)
for k in $kinds; do
        [ -n "$(field "$priv" $k)" ] && [ "$(field "$priv" $k)" != "$(field "$host" $k)" ]
        ok $? "--$k private differs from the host's"
done

shared=$(ns_inside --pid host --net host --ipc host --uts host)
for k in $kinds; do
        is "$(field "$shared" $k)" "$(field "$host" $k)" "--$k host shares the host's $k namespace"
done
# The mount namespace is always the container's own.
is "$(run_ct --pid host --net host --ipc host --uts host -- /bin/readlink /proc/self/ns/mnt | grep -c "$(readlink /proc/self/ns/mnt)")" 0 \
        "the mount namespace is new even with every other one shared"

# --net none: private, loopback only.
links=$(run_ct --net none -- /bin/sh -c 'ls /sys/class/net' | sort | paste -sd' ' -)
is "$links" "lo" "--net none: only lo"

# container:NAME joins what a running container NAME recorded.
target=$(name_for target)
start_bg --name "$target" -- /bin/sleep 1000
target_helper=$BG_PID
wait_for_file "/run/berth/$target/pid"
ok $? "a named container records itself under /run/berth/$target/pid"
tpid=$(recorded_pid "$target")
[ -n "$tpid" ] && [ "$(awk '{print $2}' "/run/berth/$target/pid")" = "$(awk '{s=$0; sub(/.*\) /, "", s); split(s, f, " "); print f[20]}' "/proc/$tpid/stat")" ]
ok $? "... with its host pid and process start time"
tns=$(ns_of_pid "$tpid")

joined=$(ns_inside --pid "container:$target" --net "container:$target" --ipc "container:$target" --uts "container:$target")
for k in $kinds; do
        [ -n "$(field "$joined" $k)" ] && is "$(field "$joined" $k)" "$(field "$tns" $k)" "--$k container:NAME equals NAME's $k namespace"
        [ -n "$(field "$joined" $k)" ] || ok 1 "--$k container:NAME equals NAME's $k namespace (nothing read)"
done
sees=$(run_ct --pid "container:$target" -- /bin/sh -c 'cat /proc/[0-9]*/comm' 2>/dev/null | sort -u | paste -sd' ' -)
like "$sees" "sleep" "--pid container:NAME sees NAME's processes ($sees)"

# ns:PATH and a bare path join a namespace file.
joined=$(ns_inside --net "ns:/proc/$tpid/ns/net" --ipc "/proc/$tpid/ns/ipc")
is "$(field "$joined" net)" "$(field "$tns" net)" "--net ns:/proc/PID/ns/net joins that namespace"
is "$(field "$joined" ipc)" "$(field "$tns" ipc)" "--ipc /proc/PID/ns/ipc (a bare path) joins that namespace"

# A running NAME cannot be started twice.
err=$(run_ct --name "$target" -- /bin/true 2>&1)
rc=$?
is "$rc" 125 "starting a second $target: exit 125"
like "$err" "^berth-exec: $target: container $target is already running$" "... saying it is already running"
kill -0 "$tpid" 2>/dev/null
ok $? "... and the first one still runs"

# Its record goes when it ends, and container:NAME then fails.
kill -TERM "$target_helper"
wait "$target_helper"
is "$?" 143 "the first container stops on SIGTERM to its helper (128+15)"
[ ! -e "/run/berth/$target/pid" ]
ok $? "its record is removed when it ends"
err=$(run_ct --net "container:$target" -- /bin/true 2>&1)
rc=$?
is "$rc" 125 "--net container:NAME of a container that ended: exit 125"
like "$err" "container:$target: no container named $target is running" "... with a clear reason"

# A stale record (a pid that no longer runs that process) is not mistaken for a live one.
stale=$(name_for stale)
mkdir -p "/run/berth/$stale"
echo "$$ 1" >"/run/berth/$stale/pid"
err=$(run_ct --net "container:$stale" -- /bin/true 2>&1)
is "$?" 125 "container:NAME whose record names a recycled pid: exit 125"
out=$(run_ct --name "$stale" -- /bin/echo started 2>&1)
is "$out" "started" "a stale record does not block starting NAME"
rm -rf "/run/berth/$stale" "/run/berth/$target"

tap_done
