#!/bin/sh
# Runs as the AppArmor VM's stage 2 in place of test/apparmor/vm-tests.sh (bench/apparmor.sh):
# berth-exec starting /bin/true with the profile change (berth-default) and without it
# (apparmor=unconfined), alternating start by start (startloop.c); results as TAP comments.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
ROOT=/containers/root
RUNS=${RUNS:-200}
ROUNDS=${ROUNDS:-3}
say() { echo "BERTH-TAP: $*"; }
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t securityfs securityfs /sys/kernel/security
for d in /run /tmp; do mount -t tmpfs -o mode=0755 tmpfs "$d"; done
echo 1 >/proc/sys/kernel/printk
say "TAP version 13"
say "# kernel $(uname -r), AppArmor enabled: $(cat /sys/module/apparmor/parameters/enabled), $(nproc) vCPU (qemu TCG)"
# the first start loads berth-default; not timed
berth-exec --rootfs $ROOT -- /bin/true
grep -q '^berth-default (enforce)$' /sys/kernel/security/apparmor/profiles
st=$?
[ $st -eq 0 ] && say "ok 1 - berth-default loaded" || say "not ok 1 - berth-default loaded"
n=1
for round in $(seq "$ROUNDS"); do
        r=$(startloop "$RUNS" /bin/berth-exec --security-opt apparmor=unconfined --rootfs $ROOT -- /bin/true :: \
                /bin/berth-exec --rootfs $ROOT -- /bin/true)
        st=$?
        n=$((n + 1))
        echo "$r" | sed "s/^A /off(apparmor=unconfined) /; s/^B /on(berth-default) /; s/^/round $round /" |
                while IFS= read -r line; do say "# $line"; done
        [ $st -eq 0 ] && say "ok $n - round $round: $RUNS starts each, alternating" || say "not ok $n - round $round"
done
say "1..$n"
echo "BERTH-VM-DONE"
sync
poweroff -f
