#!/bin/sh
# Stage 2 of berth's AppArmor test VM (PID 1 on a tmpfs root, see vm-init): Debian's kernel
# with AppArmor as its default LSM, the AppArmor tests run through the real berth-exec and
# berth. Each TAP line goes to the console prefixed "BERTH-TAP: "; run.sh extracts them.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
ROOT=/containers/root
PROFILES=/sys/kernel/security/apparmor/profiles
. /vm-tap.sh  # N, say, diag, ok, is, like, finish, bail, run
# AppArmor denials logged since the last clear_log, as one string.
clear_log() { dmesg -c >/dev/null; }
denials() { dmesg | grep 'apparmor="DENIED"'; }
loaded() { grep -q "^$1 (enforce)\$" $PROFILES; }

# ---- the machine ----
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t securityfs securityfs /sys/kernel/security
for d in /run /tmp /data /results; do mount -t tmpfs -o mode=0755 tmpfs "$d"; done
chmod 1777 /tmp
# Keep the console for TAP; denials still reach the kernel log (dmesg), none rate-limited.
echo 1 >/proc/sys/kernel/printk
echo 0 >/proc/sys/kernel/printk_ratelimit
echo "TAP version 13" | sed 's/^/BERTH-TAP: /'

is "$(cat /sys/module/apparmor/parameters/enabled)" Y "AppArmor is enabled (the kernel's default, nothing on the command line)" ||
        bail "AppArmor is not on"
diag "kernel $(uname -r), LSMs $(cat /sys/kernel/security/lsm), runner $(cat /proc/self/attr/current)"
ok "$(loaded berth-default; [ $? -ne 0 ]; echo $?)" "berth-default is not loaded before the first container"

echo "secret data" >/data/secret
echo "public data" >/data/public
mkdir -p $ROOT/usr/local/bin
cat >$ROOT/usr/local/bin/labels <<'S'
#!/bin/sh
# the payload's own profile, then a child's
read -r self </proc/self/attr/current
echo "$self"
cat /proc/self/attr/apparmor/current
S
chmod 755 $ROOT/usr/local/bin/labels

# ---- berth-default, loaded at first use ----
clear_log
run --name aa-default --rootfs $ROOT -- /usr/local/bin/labels
is "$rc" 0 "a default container runs"
is "$(echo "$out" | sed -n 1p)" "berth-default (enforce)" "its payload's /proc/self/attr/current reads berth-default (enforce)"
is "$(echo "$out" | sed -n 2p)" "berth-default (enforce)" "and the payload's child's attr/apparmor/current too"
[ -n "$err" ] && diag "stderr: $err"
ok "$(loaded berth-default; echo $?)" "berth-exec loaded berth-default (apparmor_parser -r -W): the kernel lists it in enforce mode"
ok "$([ -e /run/berth/apparmor/berth-default.loaded ]; echo $?)" "and recorded when (/run/berth/apparmor/berth-default.loaded)"
ls /var/cache/apparmor/*/berth-default >/dev/null 2>&1
ok $? "apparmor_parser -W wrote its cache"

# Loaded once: a second start does not load again (the record is not touched).
before=$(stat -c %Y.%Z /run/berth/apparmor/berth-default.loaded)
sleep 1
run --rootfs $ROOT -- /bin/true
is "$(stat -c %Y.%Z /run/berth/apparmor/berth-default.loaded)" "$before" "the next start finds it loaded and does not load again"
# A changed berth-default is loaded again at the next start.
echo '# changed by the test' >>/etc/apparmor.d/berth-default
run --rootfs $ROOT -- /usr/local/bin/labels
is "$(stat -c %Y /run/berth/apparmor/berth-default.loaded)" "$(stat -c %Y /etc/apparmor.d/berth-default)" \
        "after /etc/apparmor.d/berth-default changed, the next start loads it again"
is "$(echo "$out" | sed -n 1p)" "berth-default (enforce)" "and confines with it"

# berth-init, the container's PID 1, carries it too (read from outside).
rm -f /results/go
berth-exec --name aa-init --volume /results:/out:ro --rootfs $ROOT -- \
        /bin/sh -c 'echo started; while [ ! -e /out/go ]; do sleep 0.1; done' >/tmp/init.out 2>/tmp/init.err &
ipid=$!
while [ ! -s /tmp/init.out ] && kill -0 $ipid 2>/dev/null; do sleep 0.1; done
init=$(cut -d' ' -f1 /run/berth/aa-init/pid 2>/dev/null)
for i in $(seq 50); do
        [ "$(readlink /proc/$init/exe 2>/dev/null)" = /berth-init ] && break
        sleep 0.1
done
payload=$(cat /proc/$init/task/*/children 2>/dev/null | cut -d' ' -f1)
is "$(readlink /proc/$init/exe 2>&1)" /berth-init "the container's PID 1 is berth-init (from its read-only detached mount)"
is "$(cat /proc/$init/attr/current 2>&1)" "berth-default (enforce)" "berth-init runs under berth-default"
is "$(cat /proc/$payload/attr/current 2>&1)" "berth-default (enforce)" "the payload (pid $payload on the host) too"
is "$(cat /proc/$ipid/attr/current 2>&1)" "unconfined" "berth-exec itself, outside, stays unconfined"
touch /results/go
wait $ipid
is "$?" 0 "and the container ends normally (berth-exec's signals and waits are allowed)"

# A stop: berth-exec (unconfined) passes SIGTERM to berth-init, which passes it to the
# payload (both under berth-default).
berth-exec --name aa-stop --rootfs $ROOT -- /bin/sh -c 'trap "echo got TERM; exit 7" TERM; echo up; while :; do sleep 0.1; done' \
        >/tmp/stop.out 2>/tmp/stop.err &
spid=$!
while ! grep -q up /tmp/stop.out && kill -0 $spid 2>/dev/null; do sleep 0.1; done
sleep 0.5
kill -TERM $spid
wait $spid
src=$?
is "$src: $(grep -c 'got TERM' /tmp/stop.out)" "7: 1" "SIGTERM to berth-exec reaches the confined payload through berth-init (it exits 7 from its trap)"

run --pid host --rootfs $ROOT -- /usr/local/bin/labels
is "$(echo $out)" "berth-default (enforce) berth-default (enforce)" "--pid host (no init, the payload exec'd directly): berth-default too"
run --security-opt apparmor=unconfined --rootfs $ROOT -- /usr/local/bin/labels
is "$(echo "$out" | sed -n 1p)" "unconfined" "control: --security-opt apparmor=unconfined runs unconfined"
d=$(denials)
ok "$([ -z "$d" ]; echo $?)" "none of the above caused a single AppArmor denial"
[ -z "$d" ] || diag "$(echo "$d" | head -5)"

# ---- what berth-default denies, even with CAP_SYS_ADMIN ----
# seccomp=unconfined: berth's seccomp list would refuse mount(2) first; this is about AppArmor.
clear_log
run --cap-add SYS_ADMIN --security-opt seccomp=unconfined --rootfs $ROOT -- /bin/mount -t tmpfs none /srv
ok "$([ $rc -ne 0 ]; echo $?)" "AddCapability=SYS_ADMIN: mount -t tmpfs fails under berth-default (status $rc)"
like "$err" "Permission denied" "with EACCES ($err)"
like "$(denials)" 'apparmor="DENIED" operation="mount".*profile="berth-default".*comm="mount"' \
        "an apparmor=\"DENIED\" operation=\"mount\" line is in the kernel log"
diag "$(denials | head -2)"
run --cap-add SYS_ADMIN --security-opt seccomp=unconfined --security-opt apparmor=unconfined --rootfs $ROOT -- \
        /bin/sh -c 'mount -t tmpfs none /srv && echo mounted'
is "$out" mounted "control: the same container unconfined mounts it"
clear_log
run --cap-add SYS_ADMIN --security-opt seccomp=unconfined --rootfs $ROOT -- /bin/umount /proc
like "$err" "Permission denied" "umount is denied under berth-default too ($err)"
like "$(denials)" 'apparmor="DENIED" operation="umount".*profile="berth-default"' "with its kernel-log line"

# /proc/sysrq-trigger: berth makes it read-only (EROFS before AppArmor is asked); unmasked,
# AppArmor is what stands in the way.
clear_log
run --cap-add SYS_ADMIN --unmask /proc/sysrq-trigger --rootfs $ROOT -- /bin/sh -c 'echo h >/proc/sysrq-trigger'
ok "$([ $rc -ne 0 ]; echo $?)" "AddCapability=SYS_ADMIN, /proc/sysrq-trigger writable: the write fails under berth-default"
like "$err" "Permission denied" "with EACCES ($err)"
like "$(denials)" 'apparmor="DENIED" operation="open".*profile="berth-default" name="/proc/sysrq-trigger"' \
        "an apparmor=\"DENIED\" line for /proc/sysrq-trigger is in the kernel log"
diag "$(denials | head -2)"
clear_log
run --cap-add SYS_ADMIN --unmask /proc/sysrq-trigger --security-opt apparmor=unconfined --rootfs $ROOT -- \
        /bin/sh -c 'echo h >/proc/sysrq-trigger && echo written'
is "$out" written "control: unconfined, the write succeeds"
like "$(dmesg)" "sysrq: HELP" "(and the kernel printed the SysRq help it asked for)"
run --cap-add SYS_ADMIN --rootfs $ROOT -- /bin/sh -c 'echo h >/proc/sysrq-trigger'
like "$err" "Read-only file system" "without --unmask berth's read-only mount refuses first (EROFS)"

# Signals and ptrace reach only the container's own processes. --pid host shows the VM's
# PID 1 (this script, unconfined); SYS_PTRACE so that capabilities are not what refuses.
clear_log
run --pid host --cap-add SYS_PTRACE --rootfs $ROOT -- /bin/sh -c 'kill -CONT 1 && echo signalled; head -c 4 /proc/1/environ >/dev/null && echo traced'
is "$out" "" "a container under berth-default (--pid host, SYS_PTRACE) can neither signal nor read the host's PID 1"
like "$err" "kill.*(Permission denied|Operation not permitted)" "kill: refused ($(echo "$err" | head -1))"
like "$err" "environ: Permission denied" "reading its environ: EACCES"
like "$(denials)" 'apparmor="DENIED" operation="signal" profile="berth-default".*peer="unconfined"' "the signal's denial is in the kernel log"
like "$(denials)" 'apparmor="DENIED" operation="ptrace" profile="berth-default".*peer="unconfined"' "the ptrace's too"
run --pid host --cap-add SYS_PTRACE --security-opt apparmor=unconfined --rootfs $ROOT -- /bin/sh -c \
        'kill -CONT 1 && echo signalled; head -c 4 /proc/1/environ >/dev/null && echo traced'
is "$(echo $out)" "signalled traced" "control: unconfined, both work"

# ---- a vendor profile by name ----
cat >/etc/apparmor.d/vendor-secret <<'P'
abi <abi/3.0>,
#include <tunables/global>
profile vendor-secret flags=(attach_disconnected,mediate_deleted) {
  #include <abstractions/base>
  network,
  capability,
  file,
  signal (receive) peer=unconfined,
  audit deny /data/secret rwklx,
}
P
apparmor_parser -r -W /etc/apparmor.d/vendor-secret 2>/tmp/parser.err
ok "$(loaded vendor-secret; echo $?)" "a vendor profile denying /data/secret is loaded" || diag "$(cat /tmp/parser.err)"
run --volume /data:/data:ro --rootfs $ROOT -- /bin/cat /data/secret
is "$out" "secret data" "berth-default lets a container read a volume-mounted /data/secret"
clear_log
run --security-opt apparmor=vendor-secret --volume /data:/data:ro --rootfs $ROOT -- /bin/sh -c \
        'cat /proc/self/attr/current; cat /data/secret; cat /data/public'
is "$(echo "$out" | sed -n 1p)" "vendor-secret (enforce)" "--security-opt apparmor=vendor-secret: the container runs under it"
ok "$(echo "$out" | grep -q 'secret data'; [ $? -ne 0 ]; echo $?)" "and cannot read /data/secret"
like "$err" "can't open '/data/secret': Permission denied" "(EACCES)"
like "$out" "public data" "while the rest of the volume is readable"
like "$(denials)" 'apparmor="DENIED" operation="open" profile="vendor-secret" name="/data/secret"' "the denial is in the kernel log"

# The same through a description and its unit's ExecStart.
mkdir -p /etc/berth
printf '[Container]\nRootDirectory=%s\nExec=/bin/cat /data/secret\nVolume=/data:/data:ro\nAppArmorProfile=vendor-secret\n' $ROOT \
        >/etc/berth/aa-vendor.container
vout=$(berth verify /etc/berth/aa-vendor.container 2>&1)
is "$?" 0 "berth verify: AppArmorProfile=vendor-secret is loaded"
line=$(BERTH_EXEC_PATH=/bin/berth-exec berth generate --dry-run 2>/dev/null | grep -A100 '^# aa-vendor.service' | grep -m1 '^ExecStart=')
like "$line" '"--security-opt" "apparmor=vendor-secret"' "the generated ExecStart carries --security-opt apparmor=vendor-secret"
eval "set -- ${line#ExecStart=}"
"$@" >/tmp/unit.out 2>&1
ok "$([ $? -ne 0 ] && ! grep -q 'secret data' /tmp/unit.out; echo $?)" "and that command line cannot read the secret"

# ---- fail closed ----
rm -f /results/marker
run --name aa-missing --security-opt apparmor=missing --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
is "$rc" 125 "--security-opt apparmor=missing (not loaded): berth-exec exits 125"
ok "$([ ! -e /results/marker ]; echo $?)" "and the payload never ran (no marker)"
is "$(echo "$err" | wc -l)" 1 "one line on stderr"
like "$err" "AppArmor profile missing is not loaded" "naming the profile"
diag "$err"
printf '[Container]\nRootDirectory=%s\nExec=/bin/touch /out/marker\nVolume=/results:/out\nAppArmorProfile=missing\n' $ROOT \
        >/etc/berth/aa-missing.container
vout=$(berth verify /etc/berth/aa-missing.container 2>&1)
vrc=$?
like "$vrc: $vout" "^1: .*aa-missing.container:5: AppArmorProfile: AppArmor profile 'missing' is not loaded" \
        "berth verify: AppArmorProfile=missing fails, naming file, line and key"
diag "$vout"
line=$(BERTH_EXEC_PATH=/bin/berth-exec berth generate --dry-run 2>/dev/null | grep -A100 '^# aa-missing.service' | grep -m1 '^ExecStart=')
eval "set -- ${line#ExecStart=}"
"$@" >/dev/null 2>&1
urc=$?
ok "$([ $urc -eq 125 ] && [ ! -e /results/marker ]; echo $?)" "its unit's ExecStart: 125, no marker"

# ---- berth apparmor NAME: a profile from the description ----
printf '[Container]\nRootDirectory=%s\nExec=/bin/sh -c "cat /proc/self/attr/current; cat /data/public; probe bind 80"\nDropCapability=ALL\nAddCapability=NET_BIND_SERVICE\nVolume=/data:/data:ro\n' $ROOT \
        >/etc/berth/aaweb.container
berth apparmor aaweb >/tmp/aaweb.printed 2>/tmp/aaweb.err
ok $? "berth apparmor aaweb prints a profile" || diag "$(cat /tmp/aaweb.err)"
apparmor_parser -Q -K /tmp/aaweb.printed 2>/tmp/parse.err
ok $? "it passes apparmor_parser -Q" || diag "$(cat /tmp/parse.err)"
wout=$(berth apparmor --write aaweb 2>&1)
ok $? "berth apparmor --write aaweb" || diag "$wout"
diag "$wout"
ok "$(cmp -s /tmp/aaweb.printed /etc/apparmor.d/berth.aaweb; echo $?)" "wrote /etc/apparmor.d/berth.aaweb (what it printed)"
ok "$(loaded berth.aaweb; echo $?)" "and loaded it: the kernel lists berth.aaweb in enforce mode"
is "$(grep AppArmorProfile /etc/berth/aaweb.container.d/apparmor.conf)" "AppArmorProfile=berth.aaweb" \
        "the drop-in aaweb.container.d/apparmor.conf names it"
is "$(grep -c '^ *capability' /etc/apparmor.d/berth.aaweb)" 1 "the profile allows exactly one capability"
grep -q '^  capability net_bind_service,$' /etc/apparmor.d/berth.aaweb
ok $? "NET_BIND_SERVICE"
berth verify aaweb >/dev/null 2>&1
ok $? "berth verify aaweb passes"

line=$(BERTH_EXEC_PATH=/bin/berth-exec berth generate --dry-run 2>/dev/null | grep -A100 '^# aaweb.service' | grep -m1 '^ExecStart=')
like "$line" '"--security-opt" "apparmor=berth.aaweb"' "the unit's ExecStart carries apparmor=berth.aaweb"
eval "set -- ${line#ExecStart=}"
clear_log
out=$("$@" 2>/tmp/unit.err)
rc=$?
is "$rc" 0 "the container works under it (its unit's command line)"
is "$(echo "$out" | sed -n 1p)" "berth.aaweb (enforce)" "runs as berth.aaweb"
is "$(echo "$out" | sed -n 2p)" "public data" "reads its read-only volume"
is "$(echo "$out" | sed -n 3p)" "bound 80" "binds port 80 (NET_BIND_SERVICE, allowed)"
[ -s /tmp/unit.err ] && diag "stderr: $(cat /tmp/unit.err)"
d=$(denials)
ok "$([ -z "$d" ]; echo $?)" "without a single denial"
[ -z "$d" ] || diag "$(echo "$d" | head -5)"

# By hand, with more than the description says: CHOWN added, the volume read-write.
clear_log
run --cap-drop ALL --cap-add NET_BIND_SERVICE --cap-add CHOWN --security-opt apparmor=berth.aaweb \
        --volume /data:/data:rw --rootfs $ROOT -- /bin/sh -c \
        'grep ^CapEff /proc/self/status; echo x >/data/new && echo wrote; touch /tmp/own; chown 1000 /tmp/own && echo chowned; chown 1000 /data/public'
like "$out" "CapEff:	0000000000000401" "berth-exec by hand with --cap-add CHOWN: the payload holds CHOWN and NET_BIND_SERVICE"
ok "$(echo "$out" | grep -q wrote; [ $? -ne 0 ]; echo $?)" "a write to the read-only volume's path is denied by berth.aaweb, the mount being rw"
like "$err" "can't create /data/new: Permission denied" "(EACCES)"
ok "$(echo "$out" | grep -q chowned; [ $? -ne 0 ]; echo $?)" "a chown is denied (CHOWN is not in the profile)"
like "$err" "chown: /tmp/own: Operation not permitted" "(EPERM, on a file of the container's own root)"
like "$err" "chown: /data/public: Permission denied" "a chown on the read-only volume's path is denied by its path rule (EACCES)"
d=$(denials)
like "$d" 'apparmor="DENIED" operation="(mknod|open)" profile="berth.aaweb" name="/data/new"' "the write's denial is in the kernel log"
like "$d" 'apparmor="DENIED" operation="capable" profile="berth.aaweb".*capname="chown"' "the capability's denial too"
diag "$(echo "$d" | head -3)"
ok "$([ ! -e /data/new ] && [ "$(stat -c %u /data/public)" = 0 ] && [ "$(stat -c %u $ROOT/tmp/own)" = 0 ]; echo $?)" "nothing changed"
rm -f $ROOT/tmp/own
run --cap-drop ALL --cap-add NET_BIND_SERVICE --cap-add CHOWN --security-opt apparmor=unconfined \
        --volume /data:/data:rw --rootfs $ROOT -- /bin/sh -c 'echo x >/data/new && echo wrote; touch /tmp/own; chown 1000 /tmp/own && echo chowned'
is "$(echo $out)" "wrote chowned" "control: the same by hand unconfined writes and chowns"

finish
