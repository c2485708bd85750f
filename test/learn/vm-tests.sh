#!/bin/sh
# berth learn's VM, stage 2 (on a tmpfs root): learn the fixture through the fexit tracer and
# enforce the result. Results as TAP on the console, each line prefixed "BERTH-TAP: ".
export PATH=/bin BERTH_EXEC_PATH=/bin/berth-exec
n=0
t() { # STATUS NAME
        n=$((n + 1))
        if [ "$1" -eq 0 ]; then echo "BERTH-TAP: ok $n - $2"; else echo "BERTH-TAP: not ok $n - $2"; fi
}
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null || mount -t tmpfs dev /dev
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /run /tmp
echo "BERTH-TAP: TAP version 13"
echo "BERTH-TAP: # kernel $(uname -r)"

touch /data/chown-me
echo s3cret >/data/secret
chown 1000:1000 /data/secret
chmod 0600 /data/secret

berth learn --write --output /out --record /out/events --rootfs /containers/root --volume /data:/data \
        -- /bin/learn-fixture work >/out/report 2>/out/stderr
t $? "berth learn ran on $(uname -r)"
sed 's/^/BERTH-TAP: # /' /out/stderr /out/report /out/events
grep -q "traced with fexit cap_capable" /out/stderr
t $? "the tracer chose fexit on cap_capable (no cap_capable tracepoint in this kernel)"
learned=$(grep '^AddCapability=.' /out/50-learned.conf | sed 's/^AddCapability=//' | sort | tr '\n' ' ')
echo "BERTH-TAP: # learned: $learned"
[ "$learned" = "CHOWN DAC_READ_SEARCH NET_BIND_SERVICE SYS_TIME " ]
t $? "the fixture learns exactly {CHOWN, DAC_READ_SEARCH, NET_BIND_SERVICE, SYS_TIME}"
grep -q 'cap=sys_time granted=yes audit=yes ' /out/events && ! grep -q 'audit=unknown' /out/events
t $? "fexit reads the audit flag: every check is recorded audit=yes|no, none unknown"

# the third attach point, forced: kprobe + kretprobe on cap_capable
BERTH_LEARN_ATTACH=kprobe berth learn --record /out/events-kprobe --rootfs /containers/root --volume /data:/data \
        -- /bin/learn-fixture work >/out/report-kprobe 2>/out/stderr-kprobe
t $? "berth learn ran with BERTH_LEARN_ATTACH=kprobe"
sed 's/^/BERTH-TAP: # /' /out/stderr-kprobe /out/events-kprobe
grep -q "traced with kprobe cap_capable" /out/stderr-kprobe
t $? "the tracer used the kprobe pair"
learned=$(grep '^AddCapability=.' /out/report-kprobe | sed 's/^AddCapability=//' | sort | tr '\n' ' ')
[ "$learned" = "CHOWN DAC_READ_SEARCH NET_BIND_SERVICE SYS_TIME " ]
t $? "through kprobes the fixture learns the same four ($learned)"

caps="--cap-add CHOWN --cap-add DAC_READ_SEARCH --cap-add NET_BIND_SERVICE --cap-add SYS_TIME"
# shellcheck disable=SC2086
berth-exec --rootfs /containers/root --volume /data:/data --cap-drop ALL $caps \
        --security-opt seccomp=/out/50-learned.json -- /bin/learn-fixture work >/out/run 2>&1
t $? "the fixture runs with the learned capabilities and profile"
berth-exec --rootfs /containers/root --volume /data:/data --cap-drop ALL --cap-add CHOWN --cap-add DAC_READ_SEARCH \
        --cap-add NET_BIND_SERVICE --security-opt seccomp=/out/50-learned.json -- /bin/learn-fixture work >/out/run 2>&1
[ $? -ne 0 ]
t $? "without SYS_TIME it fails"
# shellcheck disable=SC2086
o=$(berth-exec --rootfs /containers/root --volume /data:/data --cap-drop ALL $caps --cap-add SYS_ADMIN \
        --security-opt seccomp=/out/50-learned.json -- /bin/learn-fixture forbidden 2>&1 | tr '\n' ' ')
[ "$o" = "unshare=EPERM keyctl=EPERM mount=EPERM " ]
t $? "under the learned profile unshare, keyctl and mount get EPERM ($o)"

echo "BERTH-TAP: 1..$n"
echo "BERTH-VM-DONE"
poweroff -f
