#!/bin/bash
# Capability sets as the container sees them in /proc/self/status (SPEC §3).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

docker14=audit_write,chown,dac_override,fowner,fsetid,kill,mknod,net_bind_service,net_raw,setfcap,setgid,setpcap,setuid,sys_chroot

status_of() { run_ct "$@" -- /bin/cat /proc/self/status; }

# A root payload (SPEC §3): the set is its bounding, permitted and effective set; inheritable
# and ambient stay empty (CVE-2022-24769).
check_sets() { # DESCRIPTION EXPECTED-NAMES OPTIONS...
        local what=$1 want=$2 out f
        shift 2
        out=$(status_of "$@")
        for f in CapEff CapPrm CapBnd; do
                is "$(cap_names "$(cap_field "$out" $f)")" "$want" "$what: $f"
        done
        is "$(cap_field "$out" CapInh)/$(cap_field "$out" CapAmb)" 0000000000000000/0000000000000000 \
                "$what: CapInh and CapAmb empty for root"
}

check_sets "no capability options: Docker's 14" "$docker14"
check_sets "--cap-drop SETUID SETGID FOWNER: the other 11" \
        "$(echo "$docker14" | tr , '\n' | grep -vx -e setuid -e setgid -e fowner | paste -sd, -)" \
        --cap-drop SETUID --cap-drop SETGID --cap-drop FOWNER
check_sets "--cap-drop ALL --cap-add SYS_TIME" sys_time --cap-drop ALL --cap-add SYS_TIME

host_bnd=$(awk '$1 == "CapBnd:" {print $2}' /proc/self/status)
out=$(status_of --cap-add ALL)
for f in CapEff CapPrm CapBnd; do
        is "$(cap_field "$out" $f)" "$host_bnd" "--cap-add ALL: $f is the host's bounding set"
done

# The helper can only hand on what it holds: with SYS_TIME gone from its own bounding set,
# ALL quietly means "all it has", but asking for SYS_TIME by name is an error.
without_time() { capsh --drop=cap_sys_time -- -c "$*"; }
out=$(without_time "'$BERTH_EXEC_BIN' --rootfs '$R' --cap-add ALL -- /bin/cat /proc/self/status")
bnd=$(cap_field "$out" CapBnd)
is "$(cap_names "$bnd")" "$(cap_names "$host_bnd" | tr , '\n' | grep -vx sys_time | paste -sd, -)" \
        "--cap-add ALL under a helper without SYS_TIME: its bounding set, less sys_time"
err=$(without_time "'$BERTH_EXEC_BIN' --rootfs '$R' --cap-drop ALL --cap-add SYS_TIME -- /bin/true" 2>&1)
is "$?" 125 "--cap-add SYS_TIME under a helper without it: exit 125"
like "$err" "^berth-exec: capabilities: sys_time is not in berth-exec's own bounding set" "... saying why"

check_sets "names in any case, with or without CAP_" "mknod,net_raw,sys_time" \
        --cap-drop all --cap-add cap_sys_time --cap-add Net_Raw --cap-add CAP_MKNOD
check_sets "--cap-drop with CAP_ prefix, lower case" \
        "$(echo "$docker14" | tr , '\n' | grep -vx -e kill -e net_raw | paste -sd, -)" \
        --cap-drop cap_kill --cap-drop net_RAW

# An unknown name: exit 125, one line naming the option, and the payload never runs.
make_scratch
s=$S
n=$(name_for badcap)
err=$(run_ct --name "$n" --volume "$s:/srv" --cap-add SYS_TIMEX -- /bin/touch /srv/ran 2>&1 >/dev/null)
rc=$?
is "$rc" 125 "unknown capability: exit 125"
like "$err" "^berth-exec: $n: --cap-add: unknown capability 'SYS_TIMEX'" "unknown capability: the error names the option and the value"
is "$(printf '%s\n' "$err" | wc -l)" 1 "unknown capability: one line"
[ ! -e "$s/ran" ]
ok $? "unknown capability: the payload never ran"

# A non-root user (SPEC §3, Podman's rule): the set is only its bounding set; what
# AddCapability= names is raised as permitted, effective, inheritable and ambient. Binding
# port 80 works exactly when NET_BIND_SERVICE is among those.
bind80='grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status; id -u; httpd -p 80 -h /tmp && echo BOUND'
user_sets() { # OUTPUT: "Inh Prm Eff Amb" hex, space-separated
        echo "$(cap_field "$1" CapInh) $(cap_field "$1" CapPrm) $(cap_field "$1" CapEff) $(cap_field "$1" CapAmb)"
}
z=0000000000000000
nbs=0000000000000400

out=$(run_ct --user app -- /bin/sh -c "$bind80" 2>&1)
is "$(user_sets "$out")" "$z $z $z $z" "--user app alone: CapInh, CapPrm, CapEff, CapAmb all 0 (no root-like payload)"
is "$(cap_names "$(cap_field "$out" CapBnd)")" "$docker14" "... CapBnd is Docker's 14"
like "$out" "^1000$|[^0-9]1000[^0-9]" "... running as uid 1000"
ok $([[ $out != *BOUND* ]]; echo $?) "... cannot bind port 80" || diag "$out"

out=$(run_ct --user app --cap-add NET_BIND_SERVICE -- /bin/sh -c "$bind80" 2>&1)
is "$(user_sets "$out")" "$nbs $nbs $nbs $nbs" "--user app --cap-add NET_BIND_SERVICE: CapInh, CapPrm, CapEff, CapAmb 0400"
is "$(cap_names "$(cap_field "$out" CapBnd)")" "$docker14" "... CapBnd still Docker's 14"
like "$out" "BOUND" "... binds port 80" || diag "$out"

out=$(run_ct --user app --cap-drop ALL --cap-add NET_BIND_SERVICE -- /bin/sh -c "$bind80" 2>&1)
like "$out" "BOUND" "--user app --cap-drop ALL --cap-add NET_BIND_SERVICE: binds port 80" || diag "$out"
is "$(user_sets "$out")" "$nbs $nbs $nbs $nbs" "... CapInh, CapPrm, CapEff, CapAmb 0400"
is "$(cap_field "$out" CapBnd)" "$nbs" "... CapBnd 0400"

out=$(run_ct --user app --cap-drop ALL -- /bin/sh -c "$bind80" 2>&1)
ok $([[ $out != *BOUND* ]]; echo $?) "--user app --cap-drop ALL: cannot bind port 80" || diag "$out"
is "$(user_sets "$out") $(cap_field "$out" CapBnd)" "$z $z $z $z $z" "... every set empty"

out=$(run_ct --user app --cap-add SYS_TIME --cap-add net_raw -- /bin/sh -c "$bind80" 2>&1)
is "$(cap_names "$(cap_field "$out" CapAmb)")/$(cap_names "$(cap_field "$out" CapEff)")" "net_raw,sys_time/net_raw,sys_time" \
        "--user app --cap-add SYS_TIME --cap-add net_raw: exactly those two ambient and effective"
is "$(cap_names "$(cap_field "$out" CapBnd)")" "$(printf '%s,sys_time' "$docker14" | sorted_list)" "... bounding: the 14 and sys_time"

out=$(run_ct --user app --cap-add ALL --cap-drop SYS_ADMIN -- /bin/cat /proc/self/status)
is "$(cap_field "$out" CapAmb)" "$(cap_field "$out" CapBnd)" "--user app --cap-add ALL: the whole set is ambient"
has_sys_admin=$(( (0x$(cap_field "$out" CapAmb) >> 21) & 1 ))
is "$has_sys_admin" 0 "... less the dropped sys_admin"

# no-new-privileges: on by default, off on request.
out=$(status_of)
is "$(cap_field "$out" NoNewPrivs)" 1 "no-new-privileges is on by default"
out=$(status_of --security-opt no-new-privileges=false)
is "$(cap_field "$out" NoNewPrivs)" 0 "--security-opt no-new-privileges=false turns it off"
is "$(cap_names "$(cap_field "$out" CapEff)")" "$docker14" "... with the same capabilities"

tap_done
