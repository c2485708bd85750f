#!/bin/bash
# The escape battery (issue 5): from inside containers on the busybox root, as root, a static
# probe attempts each escape and reports the kernel's answer. Every attempt must fail under
# the default seccomp profile; each is paired with a control run where the capability (or the
# relaxation) that would allow it is granted, and there the same attempt must succeed or reach
# the kernel: so every line here can fail.
#   escape.sh [default|json]   default: the built-in profile; json: the same battery with
#                              --security-opt seccomp=test/hardening/docker-default.json
# shellcheck disable=SC2317
. "$(dirname "$0")/../lib/common.sh"

profile=${1:-default}
[ "$(id -u)" -eq 0 ] || tap_skip_all "the escape battery needs root"
probe_bin=$BERTH_BUILD_DIR/test/hardening/berth-probe
[ -x "$probe_bin" ] || tap_skip_all "berth-probe is not built ($probe_bin)"
ensure_rootfs

# A private copy of the root: it gets the probe, a setuid-root copy and a file-capability copy,
# and the control runs may write to it. Under /var/tmp: not a nosuid mount.
scratch=$(mktemp -d /var/tmp/berth-escape.XXXXXX)
sleeper=
cleanup() {
        [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
        rm -rf "$scratch"
}
trap cleanup EXIT
root=$scratch/root
cp -a "$BERTH_ROOTFS" "$root"
install -m 0755 "$probe_bin" "$root/bin/berth-probe"
install -m 4755 -o root "$probe_bin" "$root/bin/probe-setuid"
install -m 0755 "$probe_bin" "$root/bin/probe-filecaps"
setcap cap_sys_time,cap_net_raw+ep "$root/bin/probe-filecaps" || tap_skip_all "setcap failed (libcap2-bin)"

# Something on the host the container must not reach: a file outside its root, and a process.
marker_dir=$scratch/host
mkdir -p "$marker_dir"
marker=$marker_dir/host-secret
echo secret >"$marker"
sleep 987654 &
sleeper=$!

case $profile in
default) seccomp_opts=() ;;
json) seccomp_opts=(--security-opt "seccomp=$BERTH_SOURCE_DIR/test/hardening/docker-default.json") ;;
*) echo "usage: escape.sh [default|json]" >&2; exit 2 ;;
esac

# run LABEL BERTH-EXEC-OPTIONS... -- ATTEMPTS...: results land in the array R[attempt].
declare -A R
run() {
        local label=$1; shift
        local opts=() out rc
        while [ "$1" != -- ]; do opts+=("$1"); shift; done
        shift
        R=()
        out=$(berth_exec --rootfs "$root" --tmpfs /tmp "${seccomp_opts[@]}" "${opts[@]}" -- /bin/berth-probe "$@" 2>"$scratch/stderr")
        rc=$?
        if [ $rc -ne 0 ]; then
                ok 1 "$profile/$label: the probe ran (berth-exec exit $rc: $(head -c 300 "$scratch/stderr"))"
                return 1
        fi
        while read -r attempt answer; do
                R[$attempt]=$answer
        done <<<"$out"
}
# fails ATTEMPT WHAT: the attempt must not succeed
fails() {
        local got=${R[$1]:-missing}
        [ "$got" != ok ] && [ "$got" != missing ]
        ok $? "$profile/$label_now: $2 fails ($got)"
}
# succeeds ATTEMPT WHAT: the control: the attempt must succeed
succeeds() {
        local got=${R[$1]:-missing}
        [ "$got" = ok ]
        ok $? "$profile/$label_now: $2 succeeds (control: $got)"
}
# answers ATTEMPT WANT WHAT: the attempt must end with exactly WANT
answers() {
        local got=${R[$1]:-missing}
        [ "$got" = "$2" ]
        ok $? "$profile/$label_now: $3 ($got, want $2)"
}

pid_probe="see-pid=$sleeper:987654"
all_attempts=(
        unshare-user unshare-mount unshare-net clone-newuser setns
        mount-tmpfs fsopen open-tree remount-root-rw write-root
        "$pid_probe" "ptrace=$sleeper" "process-vm-readv=$sleeper"
        "stat=$marker" "chroot-escape=$marker" "proc1-root=$marker" open-by-handle
        keyctl add-key kexec-load bpf perf-event-open init-module iopl reboot sethostname
        open-write=/proc/sys/kernel/domainname open-write=/proc/sysrq-trigger
        read=/proc/kcore read=/proc/keys
        clock-settime adjtimex
        umount-mask=/proc/keys
)

# ---- 1. the default container: every escape fails ----
label_now="default caps, --read-only"
if run "$label_now" --read-only -- "${all_attempts[@]}"; then
        fails unshare-user "unshare(CLONE_NEWUSER)"
        fails unshare-mount "unshare(CLONE_NEWNS)"
        fails unshare-net "unshare(CLONE_NEWNET)"
        fails clone-newuser "clone(CLONE_NEWUSER)"
        fails setns "setns() into a namespace"
        fails mount-tmpfs "mount a tmpfs"
        fails fsopen "fsopen() (new mount API)"
        fails open-tree "open_tree(OPEN_TREE_CLONE) of /"
        fails remount-root-rw "remount / read-write and write to it"
        fails write-root "writing to the read-only root"
        fails "$pid_probe" "seeing a host process in /proc"
        fails "ptrace=$sleeper" "ptrace of a host PID"
        fails "process-vm-readv=$sleeper" "process_vm_readv of a host PID"
        fails "stat=$marker" "reaching a host file by path (old root)"
        fails "chroot-escape=$marker" "the chroot-and-walk-up escape to the old root"
        fails "proc1-root=$marker" "reaching the old root through /proc/1/root"
        fails open-by-handle "open_by_handle_at (shocker)"
        fails keyctl "keyctl (kernel keyrings)"
        fails add-key "add_key"
        fails kexec-load "kexec_load"
        fails bpf "bpf(BPF_MAP_CREATE)"
        fails perf-event-open "perf_event_open"
        fails init-module "init_module"
        fails iopl "iopl"
        fails reboot "reboot"
        fails sethostname "sethostname"
        fails open-write=/proc/sys/kernel/domainname "opening /proc/sys for writing"
        if [ -e /proc/sysrq-trigger ]; then what="opening /proc/sysrq-trigger for writing"; else what="opening /proc/sysrq-trigger for writing (this kernel has none)"; fi
        fails open-write=/proc/sysrq-trigger "$what"
        if [ -e /proc/kcore ]; then what="reading /proc/kcore"; else what="reading /proc/kcore (this kernel has none)"; fi
        fails read=/proc/kcore "$what"
        fails read=/proc/keys "reading masked /proc/keys"
        answers clock-settime EPERM "clock_settime without CAP_SYS_TIME is refused"
        answers adjtimex EPERM "adjtimex(ADJ_TICK) without CAP_SYS_TIME is refused"
        fails umount-mask=/proc/keys "unmounting the mask over /proc/keys"
fi

# ---- 2. controls: grant what each attempt needs, and it works ----
label_now="--cap-add SYS_ADMIN"
if run "$label_now" --read-only --cap-add SYS_ADMIN -- unshare-user unshare-mount setns mount-tmpfs fsopen \
        open-tree sethostname remount-root-rw; then
        succeeds unshare-user "unshare(CLONE_NEWUSER)"
        succeeds unshare-mount "unshare(CLONE_NEWNS)"
        succeeds setns "setns()"
        succeeds mount-tmpfs "mount a tmpfs"
        succeeds fsopen "fsopen()"
        succeeds open-tree "open_tree()"
        succeeds sethostname "sethostname"
        succeeds remount-root-rw "remount / read-write and write to it"
fi
label_now="--cap-add SYS_ADMIN, mask taken off"
if run "$label_now" --cap-add SYS_ADMIN -- umount-mask=/proc/keys read=/proc/keys; then
        succeeds umount-mask=/proc/keys "unmounting the mask over /proc/keys"
        succeeds read=/proc/keys "reading /proc/keys once unmasked"
fi
label_now="--unmask ALL"
if run "$label_now" --unmask ALL -- open-write=/proc/sys/kernel/domainname read=/proc/keys; then
        succeeds open-write=/proc/sys/kernel/domainname "opening /proc/sys for writing"
        succeeds read=/proc/keys "reading /proc/keys"
fi
label_now="--cap-add BPF"
if run "$label_now" --cap-add BPF -- bpf; then
        succeeds bpf "bpf(BPF_MAP_CREATE)"
fi
label_now="--cap-add DAC_READ_SEARCH"
if run "$label_now" --cap-add DAC_READ_SEARCH -- open-by-handle; then
        succeeds open-by-handle "open_by_handle_at"
fi
label_now="--cap-add SYS_TIME"
if run "$label_now" --cap-add SYS_TIME -- clock-settime adjtimex; then
        answers clock-settime EINVAL "clock_settime reaches the kernel's check of the (invalid) time"
        answers adjtimex EINVAL "adjtimex(ADJ_TICK) passes the capability check (invalid tick refused)"
fi
# Calls no capability unlocks in the profile: with seccomp off they reach the kernel, so the
# EPERM above came from the filter.
label_now="seccomp=unconfined, all caps"
if R=() && out=$(berth_exec --rootfs "$root" --tmpfs /tmp --cap-add ALL --security-opt seccomp=unconfined -- \
        /bin/berth-probe keyctl add-key kexec-load reboot 2>"$scratch/stderr"); then
        while read -r attempt answer; do R[$attempt]=$answer; done <<<"$out"
        succeeds keyctl "keyctl"
        succeeds add-key "add_key"
        [ "${R[kexec-load]}" != EPERM ] && [ -n "${R[kexec-load]}" ]
        ok $? "$profile/$label_now: kexec_load reaches the kernel (${R[kexec-load]:-missing}, not EPERM)"
        answers reboot EINVAL "reboot with an invalid magic reaches the kernel"
else
        ok 1 "$profile/$label_now: the probe ran ($(head -c 300 "$scratch/stderr"))"
fi

# ---- 3. the host's processes: only visible and traceable when shared and granted ----
label_now="--pid host"
if run "$label_now" --pid host -- "$pid_probe" "ptrace=$sleeper" "process-vm-readv=$sleeper" \
        "setns-path=/proc/$sleeper/ns/mnt" "setns-path=/proc/$sleeper/ns/net"; then
        succeeds "$pid_probe" "seeing the host process (control)"
        fails "ptrace=$sleeper" "ptrace of a host process without CAP_SYS_PTRACE"
        fails "process-vm-readv=$sleeper" "process_vm_readv of a host process without CAP_SYS_PTRACE"
        fails "setns-path=/proc/$sleeper/ns/mnt" "setns() into the host's mount namespace"
        fails "setns-path=/proc/$sleeper/ns/net" "setns() into the host's network namespace"
fi
label_now="--pid host --cap-add SYS_ADMIN,SYS_PTRACE"
if run "$label_now" --pid host --cap-add SYS_ADMIN --cap-add SYS_PTRACE -- "setns-path=/proc/$sleeper/ns/net"; then
        succeeds "setns-path=/proc/$sleeper/ns/net" "setns() into the host's network namespace (control)"
fi
label_now="--pid host --cap-add SYS_PTRACE"
if run "$label_now" --pid host --cap-add SYS_PTRACE -- "ptrace=$sleeper" "process-vm-readv=$sleeper"; then
        succeeds "ptrace=$sleeper" "ptrace of a host process"
        succeeds "process-vm-readv=$sleeper" "process_vm_readv of a host process"
fi
label_now="--volume of the host dir"
if run "$label_now" --volume "$marker_dir:$marker_dir:ro" -- "stat=$marker"; then
        succeeds "stat=$marker" "reaching the host file when it is bind-mounted (control)"
fi

# ---- 4. dropped capabilities ----
label_now="default caps"
if run "$label_now" -- chown mknod bind80; then
        succeeds chown "chown to another user with CAP_CHOWN"
        succeeds mknod "mknod of a device with CAP_MKNOD"
        succeeds bind80 "bind :80 with CAP_NET_BIND_SERVICE"
fi
label_now="--cap-drop CHOWN,MKNOD,NET_BIND_SERVICE"
if run "$label_now" --cap-drop CHOWN --cap-drop MKNOD --cap-drop NET_BIND_SERVICE -- chown mknod bind80; then
        answers chown EPERM "chown without CAP_CHOWN"
        answers mknod EPERM "mknod without CAP_MKNOD"
        answers bind80 EACCES "bind :80 without CAP_NET_BIND_SERVICE"
fi

# ---- 5. no-new-privileges: a setuid-root binary and file capabilities ----
identity() { # NNP FILE [OPTIONS...]: "euid N capeff HEX" or "exec-refused"
        local nnp=$1 file=$2; shift 2
        local out
        if out=$(berth_exec --rootfs "$root" --user 1000 --security-opt "no-new-privileges=$nnp" "${seccomp_opts[@]}" "$@" \
                -- "$file" identity 2>/dev/null); then
                echo "$out" | paste -sd' '
        else
                echo exec-refused
        fi
}
got=$(identity true /bin/probe-setuid)
like "$got" '^euid 1000 ' "$profile/no-new-privileges: a setuid-root binary run by uid 1000 stays uid 1000 ($got)"
got=$(identity false /bin/probe-setuid)
like "$got" '^euid 0 ' "$profile/no-new-privileges=false: the same binary becomes uid 0 (control: $got)"
# CAP_SYS_TIME (bit 25) is outside the container's set: the kernel must never grant it.
for nnp in true false; do
        got=$(identity $nnp /bin/probe-filecaps)
        ok_caps=1
        if [ "$got" = exec-refused ]; then
                ok_caps=0
        elif capeff=$(echo "$got" | sed -n 's/.*capeff \([0-9a-f]*\).*/\1/p') && [ -n "$capeff" ] &&
                [ $(((16#$capeff >> 25) & 1)) -eq 0 ]; then
                ok_caps=0
        fi
        ok $ok_caps "$profile/no-new-privileges=$nnp: a cap_sys_time+ep binary does not run with CAP_SYS_TIME ($got)"
done
got=$(identity true /bin/probe-filecaps --cap-add SYS_TIME)
like "$got" '^euid 1000 capeff ' "$profile/the same binary runs when the container holds CAP_SYS_TIME (control: $got)"

# ---- 6. a broken profile stops the container before anything runs ----
if [ "$profile" = json ]; then
        out_dir=$scratch/out
        mkdir -p "$out_dir"
        bad_profile() { # NAME CONTENT EXPECTED-MESSAGE-REGEX
                local name=$1 content=$2 want=$3 rc err
                printf '%s' "$content" >"$scratch/$name.json"
                rm -f "$out_dir/ran"
                berth_exec --rootfs "$root" --volume "$out_dir:/out" --security-opt "seccomp=$scratch/$name.json" \
                        -- /bin/touch /out/ran 2>"$scratch/stderr"
                rc=$?
                err=$(cat "$scratch/stderr")
                is "$rc" 125 "json/$name profile: berth-exec exits 125"
                [ ! -e "$out_dir/ran" ]
                ok $? "json/$name profile: the payload never ran"
                like "$err" "$want" "json/$name profile: one clear error line ($err)"
                [ "$(printf '%s\n' "$err" | grep -c .)" -eq 1 ]
                ok $? "json/$name profile: exactly one line on stderr"
        }
        bad_profile malformed '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [ {"names": ["read"],, } ] }' \
                "malformed\.json:1:[0-9]+: invalid JSON"
        bad_profile bad-operator '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"},{"names":["write"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_XX"}]}]}' \
                "bad-operator\.json: syscalls\[1\]\.args\[0\]\.op: unknown operator 'SCMP_CMP_XX'"
        # and the same container with a good profile does run: the checks above can fail
        rm -f "$out_dir/ran"
        berth_exec --rootfs "$root" --volume "$out_dir:/out" "${seccomp_opts[@]}" -- /bin/touch /out/ran 2>"$scratch/stderr"
        [ -e "$out_dir/ran" ]
        ok $? "json/good profile: the payload runs (control)"
fi

tap_done
