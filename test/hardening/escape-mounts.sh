#!/bin/bash
# Issue 11, items 5, 6 and 8 and CVE-2021-30465: device nodes, the notify socket, mounts
# over /proc, and the symlink-exchange race on volume targets. Each attempt runs inside a
# container on a private copy of the busybox root (a static probe, mounts-probe.c, reports
# the kernel's answer) and is paired with a control where the same attempt succeeds: on the
# host, with the relaxation that allows it, or done the naive way berth no longer does.
# (Under the booted systemd, test/systemd/probe-devices-notify.sh adds the unit's device
# policy and MAINPID= against a real service manager.)
. "$(dirname "$0")/../lib/common.sh"

[ "$(id -u)" -eq 0 ] || tap_skip_all "needs root"
probe=$BERTH_BUILD_DIR/test/hardening/berth-mounts-probe
[ -x "$probe" ] || tap_skip_all "berth-mounts-probe is not built ($probe)"
command -v python3 >/dev/null || tap_skip_all "python3 is needed for the notify listener"
ensure_rootfs
# The loop driver backs the block and character nodes used below (b 7:0, c 10:237).
[ -b /dev/loop0 ] || modprobe loop 2>/dev/null || true

# Under /var/tmp: the host side must be able to open device nodes (not a nodev mount).
scratch=$(mktemp -d /var/tmp/berth-esc-mounts.XXXXXX)
bg_pids=()
cleanup() {
        for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
        wait 2>/dev/null
        rm -rf "$scratch"
}
trap cleanup EXIT
root=$scratch/root
cp -a "$BERTH_ROOTFS" "$root"
install -m 0755 "$probe" "$root/bin/mp"
# Device nodes shipped in the root, usable by anyone (as an image could ship them).
mkdir -p "$root/shipped"
mknod -m 0666 "$root/shipped/loopctl" c 10 237
mknod -m 0666 "$root/shipped/loop0" b 7 0
listener=$BERTH_SOURCE_DIR/test/exec/notify-listener.py

ct() { berth_exec --rootfs "$root" --tmpfs /tmp "$@"; }

# ---- 5. device nodes ----
# Controls on the host: the nodes are real and open there.
is "$("$probe" open "$root/shipped/loopctl")" ok "control: the shipped character node (loop-control, c 10:237) opens on the host"
is "$("$probe" open "$root/shipped/loop0")" ok "control: the shipped block node (loop0, b 7:0) opens on the host"
is "$("$probe" mknod-open "$scratch/made-loopctl" c 10 237)" "mknod=ok open=ok" "control: mknod + open of c 10:237 works on the host"

# EACCES is the nodev mount's answer (the driver is never asked).
out=$(ct -- /bin/mp mknod-open /tmp/loopctl c 10 237)
is "$out" "mknod=ok open=EACCES" "default container (MKNOD is among its caps): mknod c 10:237 in a tmpfs succeeds but the node does not open"
out=$(ct -- /bin/mp mknod-open /made-loop b 7 0)
is "$out" "mknod=ok open=EACCES" "default container: mknod b 7:0 in the root succeeds but the node does not open"
out=$(ct -- /bin/mp mknod-open /dev/made-loopctl c 10 237)
is "$out" "mknod=ok open=EACCES" "default container: mknod c 10:237 in /dev succeeds but the node does not open"
is "$(ct -- /bin/mp open /shipped/loopctl)" EACCES "default container: the shipped loop-control node does not open"
is "$(ct -- /bin/mp open /shipped/loop0)" EACCES "default container: the shipped loop0 block node does not open"
is "$(ct --cap-drop ALL --user 65534:65534 -- /bin/mp open /shipped/loop0)" EACCES \
        "DropCapability=ALL, non-root: the shipped loop0 node (mode 0666) does not open"
is "$(ct --cap-drop ALL --user 65534:65534 -- /bin/mp open /shipped/loopctl)" EACCES \
        "DropCapability=ALL, non-root: the shipped loop-control node (mode 0666) does not open"
mkdir -p "$scratch/vol"
mknod -m 0666 "$scratch/vol/loop0" b 7 0
is "$("$probe" open "$scratch/vol/loop0")" ok "control: a node in a volume's host directory opens on the host"
is "$(ct --volume "$scratch/vol:/vol" -- /bin/mp open /vol/loop0)" EACCES "... and does not open through the volume (nodev)"

# The relaxed setup: --device binds the host's node in, and it opens.
out=$(ct --device /dev/loop-control -- /bin/mp open /dev/loop-control)
is "$out" ok "control: --device /dev/loop-control: the bound node opens in the container"
out=$(ct --device /dev/loop0:/dev/xvda:r -- /bin/mp open /dev/xvda)
is "$out" ok "control: --device /dev/loop0:/dev/xvda:r: the block device opens under its new name"
out=$(ct -- /bin/sh -c 'for d in null zero full random urandom tty; do printf "%s=%s " $d $(/bin/mp open /dev/$d); done')
like "$out" '^null=ok zero=ok full=ok random=ok urandom=(ok) tty=(ok|ENXIO|errno6) $' "the standard devices still open ($out)"
out=$(ct -- /bin/sh -c 'head -c 4 /dev/urandom | wc -c; echo x >/dev/null && echo null-ok')
is "$(echo $out)" "4 null-ok" "reading /dev/urandom and writing /dev/null work"
err=$(ct --device /etc/passwd:/dev/passwd -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && [[ $err == *"not a character or block device"* ]]
ok $? "--device naming a regular file: exit 125 before anything runs ($rc: $err)"

# ---- 8. mounts over /proc ----
evil=$scratch/evil
cp -a "$root" "$evil"
rm -rf "$evil/data" && ln -s /proc "$evil/data"
# Control: the symlink is live in the container, so a mount "at /data" that followed it
# would cover the container's /proc.
is "$(berth_exec --rootfs "$evil" -- /bin/mp open /data/self/status)" ok \
        "control: in the root, /data -> /proc leads to the container's procfs"
is "$(berth_exec --rootfs "$root" --tmpfs /data -- /bin/stat -f -c %T /proc)" proc \
        "control: --tmpfs /data on a root where /data is a directory runs, /proc is procfs"
for opts in "--tmpfs /data" "--volume $scratch/vol:/data" "--volume $scratch/vol:/data/self/attr" "--mask /data"; do
        # shellcheck disable=SC2086
        err=$(berth_exec --rootfs "$evil" $opts -- /bin/sh -c 'echo payload-ran' 2>&1)
        rc=$?
        [ "$rc" -eq 125 ] && [[ $err != *payload-ran* ]] && [[ $err == *refused* ]]
        ok $? "/data -> /proc, $opts: refused, exit 125, the payload never ran ($rc: $err)"
done
err=$(berth_exec --rootfs "$root" --mask /proc -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && [[ $err == *"hide the whole of /proc"* ]]
ok $? "--mask /proc (the whole procfs): refused, exit 125 ($rc: $err)"
# The kernel mounts' identities are read once per list of masks: a mask over the root itself
# before it must not change what /proc is found to be.
err=$(berth_exec --rootfs "$root" --mask / --mask /proc -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && [[ $err == *"hide the whole of /proc"* ]]
ok $? "--mask / then --mask /proc: /proc still refused, exit 125 ($rc: $err)"
is "$(berth_exec --rootfs "$root" --mask /proc/cpuinfo -- /bin/sh -c 'wc -c </proc/cpuinfo')" 0 \
        "control: a mask inside /proc still works (/proc/cpuinfo is empty)"
err=$(berth_exec --rootfs "$root" --tmpfs /sys/kernel -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && [[ $err == *"on sysfs"* ]]
ok $? "--tmpfs /sys/kernel (on sysfs): refused, exit 125 ($rc: $err)"
procsym=$scratch/procsym
cp -a "$root" "$procsym"
rm -rf "$procsym/proc" && ln -s /tmp "$procsym/proc"
err=$(berth_exec --rootfs "$procsym" -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && [[ $err == *"/proc is a symlink"* ]]
ok $? "a root whose /proc is a symlink: refused, exit 125 ($rc: $err)"

# The notify socket's target through a symlink onto a procfs file.
notesym=$scratch/notesym
cp -a "$root" "$notesym"
mkdir -p "$notesym/run/host"
rm -rf "$notesym/run/host/notify" && ln -s /proc/sys/kernel/hostname "$notesym/run/host/notify"
python3 "$listener" "$scratch/n0.sock" 30 >"$scratch/n0.out" &
bg_pids+=($!)
for _ in $(seq 100); do grep -q listening "$scratch/n0.out" 2>/dev/null && break; sleep 0.05; done
err=$(NOTIFY_SOCKET=$scratch/n0.sock berth_exec --rootfs "$notesym" --notify -- /bin/true 2>&1)
rc=$?
[ "$rc" -eq 125 ] && [[ $err == *"on procfs"* ]]
ok $? "--notify with /run/host/notify -> /proc/sys/kernel/hostname in the root: refused ($rc: $err)"
out=$(NOTIFY_SOCKET=$scratch/n0.sock berth_exec --rootfs "$root" --notify -- /bin/sh -c 'test -S /run/host/notify && echo socket')
is "$out" socket "control: without the symlink the socket is bound at /run/host/notify"
# (the exec label itself is written only into procfs: test-procattr.c)

# ---- 6. the notify socket: only state lines pass ----
sleep 987654 &
decoy=$!
bg_pids+=("$decoy")
msg='READY=1\nSTATUS=proxied\nMAINPID='$decoy'\nFDSTORE=1\nFDNAME=x\nX_OTHER=1\nWATCHDOG=1\nERRNO=0\nSTOPPING=1\nRELOADING=1'
# Control: the same message sent straight to the socket carries MAINPID= (the listener shows it).
python3 "$listener" "$scratch/n1.sock" 30 >"$scratch/n1.out" &
bg_pids+=($!)
for _ in $(seq 100); do grep -q listening "$scratch/n1.out" 2>/dev/null && break; sleep 0.05; done
NOTIFY_SOCKET=$scratch/n1.sock "$probe" notify "$msg" >/dev/null
for _ in $(seq 50); do grep -q MAINPID "$scratch/n1.out" && break; sleep 0.1; done
grep -q "MAINPID=$decoy" "$scratch/n1.out"
ok $? "control: sent straight to the socket, MAINPID=$decoy arrives"

python3 "$listener" "$scratch/n2.sock" 30 >"$scratch/n2.out" &
bg_pids+=($!)
for _ in $(seq 100); do grep -q listening "$scratch/n2.out" 2>/dev/null && break; sleep 0.05; done
NOTIFY_SOCKET=$scratch/n2.sock $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$root" --notify -- /bin/mp notify "$msg" "pid=$decoy" fd >"$scratch/n2.sent" &
exec_pid=$!
wait "$exec_pid"
rc=$?
for _ in $(seq 50); do grep -q READY "$scratch/n2.out" && break; sleep 0.1; done
sent=$(cat "$scratch/n2.sent")
like "$sent" 'sent$' "the payload sent MAINPID=, FDSTORE=, other lines, credentials naming pid $decoy and an fd (exit $rc: $sent)"
line=$(grep READY "$scratch/n2.out")
is "$line" "pid=$exec_pid READY=1;STATUS=proxied;WATCHDOG=1;ERRNO=0;STOPPING=1;RELOADING=1" \
        "systemd's socket got the state lines only, from berth-exec itself (pid $exec_pid)"
! grep -Eq 'MAINPID|FDSTORE|FDNAME|X_OTHER' "$scratch/n2.out"
ok $? "MAINPID=, FDSTORE=, FDNAME= and unknown lines never reached it" || diag_text "$(cat "$scratch/n2.out")"
! grep -q "^pid=$decoy " "$scratch/n2.out"
ok $? "nothing arrived in the name of pid $decoy"
kill -0 "$decoy"
ok $? "the decoy host process is untouched"
out=$(NOTIFY_SOCKET=$scratch/n2.sock berth_exec --rootfs "$root" --notify -- /bin/sh -c 'ls -a /run/host | paste -sd" " -')
is "$out" ". .. notify" "the container sees only its proxy socket in /run/host"
# The proxy's directory on the host exists while the container runs, and goes with it.
before=$(ls /run/berth/.notify 2>/dev/null)
NOTIFY_SOCKET=$scratch/n2.sock $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$root" --notify -- /bin/sleep 1 &
sleeper_exec=$!
mine=
for _ in $(seq 50); do
        mine=$(ls /run/berth/.notify 2>/dev/null | grep -vxF -f <(printf '%s\n' "$before") | head -n 1)
        [ -n "$mine" ] && break
        sleep 0.05
done
[ -n "$mine" ] && [ -S "/run/berth/.notify/$mine/notify" ]
ok $? "while the container runs its proxy socket is /run/berth/.notify/$mine/notify"
wait "$sleeper_exec"
[ -n "$mine" ] && [ ! -e "/run/berth/.notify/$mine" ]
ok $? "... and the directory is gone once the container has ended"

# ---- CVE-2021-30465: a symlink swapped with a directory under a volume target ----
shared=$scratch/shared
hostdir=$scratch/hostdir  # outside every root: must never get a mount point or a mount
mkdir -p "$shared/d" "$hostdir" "$scratch/volsrc"
echo host-secret >"$hostdir/secret"
echo vol-marker >"$scratch/volsrc/marker"
ln -s "$hostdir" "$shared/l"
rootb=$scratch/rootb
cp -a "$root" "$rootb"
# Container A swaps /shared/d (a directory) and /shared/l (a symlink to the host dir).
berth_exec --rootfs "$root" --volume "$shared:/shared" -- /bin/mp swap /shared d l 25 >"$scratch/swap.out" 2>&1 &
swapper=$!
bg_pids+=("$swapper")
for _ in $(seq 50); do
        [ -L "$shared/d" ] && break
        sleep 0.1
done
# Control: the race is live, and a path-based helper resolving from the host lands in the
# host directory: mkdir -p through /shared/d creates directories in $hostdir.
hits=0
for i in $(seq 400); do
        mkdir -p "$shared/d/naive-$i" 2>/dev/null
done
hits=$(find "$hostdir" -maxdepth 1 -name 'naive-*' | wc -l)
[ "$hits" -gt 0 ]
ok $? "control: with the race on, a path-based mkdir through the volume lands in the host directory ($hits of 400)"
find "$hostdir" -maxdepth 1 -name 'naive-*' -exec rmdir {} +
find "$shared" -name 'naive-*' -type d -exec rm -rf {} + 2>/dev/null

# The payload looks for the volume where it may be: /shared/d/mnt or /shared/l/mnt (A keeps
# swapping the names), or $hostdir/mnt inside its own root (the symlink resolved in the root);
# and for the host's secret through the symlink.
find_marker="for i in \$(seq 100); do for p in /shared/d/mnt /shared/l/mnt $hostdir/mnt; do cat \$p/marker 2>/dev/null && break 2; done; done; cat /shared/d/secret /shared/l/secret 2>/dev/null; true"
inside=0 refused=0 other=0 via_link=0
for i in $(seq 40); do
        out=$(berth_exec --rootfs "$rootb" --volume "$shared:/shared" --volume "$scratch/volsrc:/shared/d/mnt" -- \
                /bin/sh -c "$find_marker" 2>&1)
        rc=$?
        case $rc:$out in
        0:vol-marker) inside=$((inside + 1)) ;;
        125:*) refused=$((refused + 1)); [ "$refused" -le 3 ] && diag "run $i refused: $out" ;;
        *) other=$((other + 1)); diag "run $i: exit $rc: $out" ;;
        esac
done
[ -e "$rootb$hostdir/mnt" ] && via_link=1
kill "$swapper" 2>/dev/null
wait "$swapper" 2>/dev/null
diag "40 starts during the race: $inside with the volume inside the root, $refused refused (125); resolved through the symlink at least once: $via_link; swapper: $(cat "$scratch/swap.out")"
is "$other" 0 "every start either has the volume inside its own root or is refused: never the host's file, never another place"
is "$(ls -A "$hostdir" | paste -sd' ' -)" secret "the host directory the symlink names got no mount point (only its own file)"
[ "$inside" -gt 0 ]
ok $? "the containers did start during the race ($inside of 40)"

tap_done
