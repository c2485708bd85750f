#!/bin/bash
# Capability sets as the container sees them in /proc/self/status (SPEC §3).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

docker14=audit_write,chown,dac_override,fowner,fsetid,kill,mknod,net_bind_service,net_raw,setfcap,setgid,setpcap,setuid,sys_chroot

status_of() { run_ct "$@" -- /bin/cat /proc/self/status; }

check_sets() { # DESCRIPTION EXPECTED-NAMES OPTIONS...
        local what=$1 want=$2 out f
        shift 2
        out=$(status_of "$@")
        for f in CapEff CapPrm CapBnd CapInh; do
                is "$(cap_names "$(cap_field "$out" $f)")" "$want" "$what: $f"
        done
        is "$(cap_field "$out" CapAmb)" 0000000000000000 "$what: CapAmb empty for root"
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

# A non-root user gets the set as ambient capabilities: binding port 80 works exactly when
# NET_BIND_SERVICE is in it.
bind80='grep -E "^Cap(Eff|Amb)" /proc/self/status; id -u; httpd -p 80 -h /tmp && echo BOUND'
out=$(run_ct --user app --cap-drop ALL --cap-add NET_BIND_SERVICE -- /bin/sh -c "$bind80" 2>&1)
like "$out" "BOUND" "--user app --cap-add NET_BIND_SERVICE: binds port 80" || diag "$out"
is "$(cap_names "$(cap_field "$out" CapAmb)")" net_bind_service "... CapAmb is net_bind_service"
is "$(cap_names "$(cap_field "$out" CapEff)")" net_bind_service "... CapEff is net_bind_service"
like "$out" "^1000$|[^0-9]1000[^0-9]" "... running as uid 1000"

out=$(run_ct --user app --cap-drop ALL -- /bin/sh -c "$bind80" 2>&1)
ok $([[ $out != *BOUND* ]]; echo $?) "--user app --cap-drop ALL: cannot bind port 80" || diag "$out"
is "$(cap_field "$out" CapAmb)" 0000000000000000 "... CapAmb empty"

out=$(run_ct --user app --cap-drop NET_BIND_SERVICE -- /bin/sh -c "$bind80" 2>&1)
ok $([[ $out != *BOUND* ]]; echo $?) "--user app --cap-drop NET_BIND_SERVICE: cannot bind port 80" || diag "$out"
is "$(cap_names "$(cap_field "$out" CapAmb)")" \
        "$(echo "$docker14" | tr , '\n' | grep -vx net_bind_service | paste -sd, -)" "... CapAmb: the other 13"

# no-new-privileges: on by default, off on request.
out=$(status_of)
is "$(cap_field "$out" NoNewPrivs)" 1 "no-new-privileges is on by default"
out=$(status_of --security-opt no-new-privileges=false)
is "$(cap_field "$out" NoNewPrivs)" 0 "--security-opt no-new-privileges=false turns it off"
is "$(cap_names "$(cap_field "$out" CapEff)")" "$docker14" "... with the same capabilities"

tap_done
