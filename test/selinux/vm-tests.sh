#!/bin/sh
# Stage 2 of berth's SELinux test VM (PID 1 on a tmpfs root, see vm-init): SELinux enforcing
# with berth's MLS test policy, mcstransd translating level names, and the label tests run
# through the real berth-exec. Each TAP line goes to the console prefixed "BERTH-TAP: " (the
# kernel may interleave its own lines); run.sh extracts them. Then the VM powers off.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
ROOT=/containers/root
. /vm-tap.sh  # N, say, diag, ok, is, like, finish, bail, run
# The MCS part of a label (s0:c1,c2 of system_u:system_r:container_t:s0:c1,c2).
level_of() { printf '%s' "$1" | cut -d: -f4-; }
# A random pair as allocated: s0:cX,cY with X < Y < 1024.
is_random_pair() {
        case $1 in s0:c*,c*) ;; *) return 1 ;; esac
        x=${1#s0:c}
        x=${x%%,*}
        y=${1#*,c}
        case "$x$y" in *[!0-9]* | '') return 1 ;; esac
        [ "$x" -lt "$y" ] && [ "$y" -lt 1024 ]
}
# AVC denials logged since the last clear_avc, as one string.
clear_avc() { dmesg -c >/dev/null; }
avc_since() { dmesg | grep 'avc: *denied'; }

# ---- the machine ----
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t selinuxfs selinuxfs /sys/fs/selinux
for d in /run /tmp /data /results; do mount -t tmpfs -o mode=0755 tmpfs "$d"; done
chmod 1777 /tmp
# Keep the console for TAP; AVCs still reach the kernel log (dmesg).
echo 1 >/proc/sys/kernel/printk
echo 1 >/sys/fs/selinux/enforce
echo "TAP version 13" | sed 's/^/BERTH-TAP: /'

is "$(cat /sys/fs/selinux/enforce)" 1 "SELinux is enforcing" || bail "not enforcing"
is "$(cat /sys/fs/selinux/mls)" 1 "berth's test policy is loaded and MLS"
diag "runner: $(tr -d '\000' </proc/self/attr/current), kernel $(uname -r)"

# Level names: mcstransd serves setrans.conf through /run/setrans (/var/run -> /run).
mkdir -p /run/setrans
mcstransd
i=0
while [ ! -S /run/setrans/.setrans-unix ] && [ $i -lt 100 ]; do
        sleep 0.1
        i=$((i + 1))
done
ok "$([ -S /run/setrans/.setrans-unix ]; echo $?)" "mcstransd is running" || bail "mcstransd did not start"

# Files the containers will try to read, through a read-only volume.
echo "secret data" >/data/secret
echo "c3,c4 data" >/data/c34
echo "top secret data" >/data/ts
probe setcon /data/secret system_u:object_r:secret_t:s0 &&
        probe setcon /data/c34 system_u:object_r:container_file_t:s0:c3,c4 &&
        probe setcon /data/ts system_u:object_r:container_file_t:s3
ok $? "test files labelled: secret_t:s0, container_file_t:s0:c3,c4, container_file_t:s3" || bail "cannot label test files"

# Helpers inside the container root (busybox only: the root has no libc).
mkdir -p $ROOT/usr/local/bin
cat >$ROOT/usr/local/bin/self-label <<'S'
#!/bin/sh
tr -d '\000' </proc/self/attr/current
echo
S
chmod 755 $ROOT/usr/local/bin/self-label

# ---- labels ----
clear_avc
run --name sel-default --rootfs $ROOT -- /usr/local/bin/self-label
like "$out" '^system_u:system_r:container_t:s0:c[0-9]+,c[0-9]+$' "no label asked, SELinux on: the policy's container_t with an MCS pair"
is_random_pair "$(level_of "$out")"
ok $? "the pair is s0:cX,cY with X<Y<1024 ($(level_of "$out"))"
is "$rc" 0 "exit status 0"

run --name sel-apache --security-opt label=type:docker_apache_t --rootfs $ROOT -- /usr/local/bin/self-label
like "$out" '^system_u:system_r:docker_apache_t:s0:c[0-9]+,c[0-9]+$' "label=type:docker_apache_t: the payload runs as docker_apache_t"
is_random_pair "$(level_of "$out")"
ok $? "with a random pair s0:cX,cY, X<Y<1024 ($(level_of "$out"))"
ok "$([ ! -e /run/berth/sel-apache/mcs ]; echo $?)" "its reservation is released when it exits"

# Two containers at once: A holds its pair until told to go, B starts meanwhile.
rm -f /results/go /tmp/a.out
berth-exec --name sel-a --security-opt label=type:docker_apache_t --volume /results:/out:ro --rootfs $ROOT -- \
        /bin/sh -c '/usr/local/bin/self-label; while [ ! -e /out/go ]; do sleep 0.1; done' >/tmp/a.out 2>/tmp/a.err &
apid=$!
while [ ! -s /tmp/a.out ] && kill -0 $apid 2>/dev/null; do sleep 0.1; done
a=$(cat /tmp/a.out)
a_record=$(cat /run/berth/sel-a/mcs 2>&1)
a_init=$(cut -d' ' -f1 /run/berth/sel-a/pid 2>/dev/null)
a_payload=$(cat /proc/$a_init/task/*/children 2>/dev/null | cut -d' ' -f1)
# The shim becomes berth-init once the payload runs: wait for that exec (bounded).
for i in $(seq 50); do
        [ "$(readlink /proc/$a_init/exe 2>/dev/null)" = /berth-init ] && break
        sleep 0.1
done
a_init_label=$(tr -d '\000' </proc/$a_init/attr/current 2>&1)
a_payload_label=$(tr -d '\000' </proc/$a_payload/attr/current 2>&1)
is "$(readlink /proc/$a_init/exe 2>&1)" /berth-init "A's PID 1 is berth-init (from its read-only detached mount)"
is "$a_init_label" "$a_payload_label" "A's PID 1 runs with its payload's label, not the runtime's ($a_init_label)"
run --name sel-b --security-opt label=type:docker_apache_t --rootfs $ROOT -- /usr/local/bin/self-label
b=$out
run --ipc=container:sel-a --security-opt label=type:docker_apache_t --rootfs $ROOT -- /usr/local/bin/self-label
ipc_shared=$out
run --pid=container:sel-a --rootfs $ROOT -- /usr/local/bin/self-label
pid_shared=$out
# berth exec (berth-exec --enter): a command entering A runs with A's label, pair included
entered=$(berth-exec --enter sel-a -- /usr/local/bin/self-label 2>&1)
touch /results/go
wait $apid
a_rc=$?
like "$a" '^system_u:system_r:docker_apache_t:s0:c[0-9]+,c[0-9]+$' "concurrent container A: docker_apache_t with a pair"
like "$b" '^system_u:system_r:docker_apache_t:s0:c[0-9]+,c[0-9]+$' "concurrent container B: docker_apache_t with a pair"
ok "$([ -n "$a" ] && [ "$(level_of "$a")" != "$(level_of "$b")" ]; echo $?)" "A and B got different pairs ($(level_of "$a") vs $(level_of "$b"))"
like "$a_record" "^$(level_of "$a") $a_init [0-9]+\$" "while A ran, /run/berth/sel-a/mcs recorded its level, held by A's process"
is "$a_rc" 0 "A ran to completion"
is "$(level_of "$ipc_shared")" "$(level_of "$a")" "--ipc=container:sel-a shares A's level, as Docker does ($ipc_shared)"
is "$(level_of "$pid_shared")" "$(level_of "$a")" "--pid=container:sel-a shares A's level ($pid_shared)"
is "$entered" "$a" "berth exec sel-a: the entered command has A's label, with its pair ($entered)"
[ -s /tmp/a.err ] && diag "A said: $(cat /tmp/a.err)"

run --security-opt label=level:s2:c1 --rootfs $ROOT -- /usr/local/bin/self-label
is "$out" "system_u:system_r:container_t:s2:c1" "label=level:s2:c1: exactly that level"
run --security-opt label=level:TopSecret --rootfs $ROOT -- /usr/local/bin/self-label
is "$out" "system_u:system_r:container_t:s3" "label=level:TopSecret: translated to s3 through mcstransd"
run --security-opt label=type:docker_apache_t --security-opt label=level:s0:c5,c6 --rootfs $ROOT -- /usr/local/bin/self-label
is "$out" "system_u:system_r:docker_apache_t:s0:c5,c6" "type and raw level together"
run --security-opt label=type:docker_apache_t --security-opt label=level:TopSecret --rootfs $ROOT -- /usr/local/bin/self-label
is "$out" "system_u:system_r:docker_apache_t:s3" "type and translated level together"
run --security-opt no-new-privileges=false --security-opt label=type:docker_apache_t --security-opt label=level:s0:c9,c10 \
        --rootfs $ROOT -- /usr/local/bin/self-label
is "$out" "system_u:system_r:docker_apache_t:s0:c9,c10" "without no_new_privs the transition works the same"
run --security-opt label:type:docker_apache_t --security-opt label:level:s1 --rootfs $ROOT -- /usr/local/bin/self-label
is "$out" "system_u:system_r:docker_apache_t:s1" "the old colon form label:type:T / label:level:L"

run --security-opt label=user:web_u --security-opt label=role:web_r --security-opt label=type:docker_apache_t \
        --rootfs $ROOT -- /usr/local/bin/self-label
like "$out" '^web_u:web_r:docker_apache_t:s0:c[0-9]+,c[0-9]+$' "label=user:web_u, role:web_r, type:docker_apache_t: all three applied"

# ---- the container's mounts carry the file label, and the payload can use them ----
run --security-opt label=type:docker_apache_t --tmpfs /tmp --rootfs $ROOT -- /bin/sh -c \
        '/usr/local/bin/self-label; for p in /tmp /dev /dev/shm /dev/mqueue /dev/pts; do probe getcon $p; done'
process=$(echo "$out" | sed -n 1p)
level=$(level_of "$process")
for i in 1 2 3 4 5; do
        path=$(echo "/tmp /dev /dev/shm /dev/mqueue /dev/pts" | cut -d' ' -f$i)
        is "$(echo "$out" | sed -n "$((i + 1))p")" "system_u:object_r:container_file_t:$level" \
                "$path is mounted with the file label at the process's level ($level)"
done
run --security-opt label=type:docker_apache_t --tmpfs /tmp --rootfs $ROOT -- /bin/sh -c \
        'echo one >/tmp/f && echo two >/dev/shm/g && cat /tmp/f /dev/shm/g'
is "$(echo $out)" "one two" "a confined payload writes and reads its /tmp and /dev/shm"
run --security-opt label=filetype:lxc_file_t --security-opt label=level:s0:c7,c8 --tmpfs /tmp --rootfs $ROOT -- probe getcon /tmp
is "$out" "system_u:object_r:lxc_file_t:s0:c7,c8" "label=filetype:lxc_file_t labels the mounts with that type"

denials=$(avc_since)
ok "$([ -z "$denials" ]; echo $?)" "all of the above ran without a single AVC denial (the policy and berth-exec agree)"
[ -z "$denials" ] || diag "$(echo "$denials" | head -5)"

# ---- the policy confines what the label says ----
clear_avc
run --security-opt label=type:docker_apache_t --volume /data:/data:ro --rootfs $ROOT -- /bin/cat /data/secret
ok "$([ $rc -ne 0 ] && [ -z "$out" ]; echo $?)" "docker_apache_t cannot read a secret_t file (status $rc)"
like "$err" "Permission denied" "the payload sees EACCES"
denials=$(avc_since)
like "$denials" 'denied +\{ [a-z ]*read[a-z ]*\}.*scontext=system_u:system_r:docker_apache_t:s0:c[0-9]+,c[0-9]+ tcontext=system_u:object_r:secret_t:s0 tclass=file permissive=0' \
        "the AVC denial is in the kernel log (enforcing)"
diag "$(echo "$denials" | head -3)"
run --volume /data:/data:ro --rootfs $ROOT -- /bin/cat /data/secret
is "$out" "secret data" "container_t may read it (the policy allows that type)"

clear_avc
run --security-opt label=type:docker_apache_t --rootfs $ROOT -- probe bind 80
is "$out" "bound 80" "docker_apache_t may bind port 80 (http_port_t)"
run --security-opt label=type:docker_apache_t --rootfs $ROOT -- probe bind 81
is "$out" "bind 81: Permission denied" "docker_apache_t may not bind port 81 (port_t)"
like "$(avc_since)" 'denied +\{ name_bind \}.*scontext=system_u:system_r:docker_apache_t:s0:c[0-9]+,c[0-9]+ tcontext=system_u:object_r:port_t:s0 tclass=tcp_socket' \
        "the name_bind denial is in the kernel log"
run --rootfs $ROOT -- probe bind 81
is "$out" "bound 81" "container_t may bind port 81"

clear_avc
run --security-opt label=level:s0:c1,c2 --volume /data:/data:ro --rootfs $ROOT -- /bin/cat /data/c34
ok "$([ $rc -ne 0 ] && [ -z "$out" ]; echo $?)" "MCS: a container at s0:c1,c2 cannot read a file at s0:c3,c4"
like "$(avc_since)" 'denied.*scontext=system_u:system_r:container_t:s0:c1,c2 tcontext=system_u:object_r:container_file_t:s0:c3,c4' \
        "the MCS denial is in the kernel log"
run --security-opt label=level:s0:c3,c4 --volume /data:/data:ro --rootfs $ROOT -- /bin/cat /data/c34
is "$out" "c3,c4 data" "a container at s0:c3,c4 reads it"
run --security-opt label=level:s2:c1 --volume /data:/data:ro --rootfs $ROOT -- /bin/cat /data/ts
ok "$([ $rc -ne 0 ] && [ -z "$out" ]; echo $?)" "MLS: a container at s2:c1 cannot read a file at s3"
run --security-opt label=level:TopSecret --volume /data:/data:ro --rootfs $ROOT -- /bin/cat /data/ts
is "$out" "top secret data" "a container at TopSecret (s3) reads it"

# ---- labelling off, as Docker does, and on request ----
run --pid=host --security-opt label=type:docker_apache_t --rootfs $ROOT -- /usr/local/bin/self-label
like "$out" '^system_u:system_r:kernel_t:' "--pid=host with a label: runs unlabelled (the runner's kernel_t, no container type)"
like "$err" "SELinux labelling off: the container shares the host's PID namespace \\(--pid=host" "and prints the notice"
run --ipc=host --rootfs $ROOT -- /usr/local/bin/self-label
like "$out" '^system_u:system_r:kernel_t:' "--ipc=host: runs unlabelled"
like "$err" "host's IPC namespace" "with the notice"
run --security-opt label=disable --rootfs $ROOT -- /usr/local/bin/self-label
like "$out" '^system_u:system_r:kernel_t:' "label=disable: runs unlabelled"
like "$err" "disabled on request" "with a notice"

# ---- a label that cannot be applied is fatal: exit 125, the payload never runs ----
rm -f /results/marker
run --name sel-bad --security-opt label=type:nosuch_t --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
is "$rc" 125 "label=type:nosuch_t: berth-exec exits 125"
ok "$([ ! -e /results/marker ]; echo $?)" "and the payload never ran (no marker)"
like "$err" "nosuch_t.*not valid in the loaded policy" "one error line names the label"
diag "$err"
ok "$([ ! -e /run/berth/sel-bad/mcs ]; echo $?)" "no MCS reservation is left behind"
run --security-opt label=level:s9 --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
ok "$([ $rc -eq 125 ] && [ ! -e /results/marker ]; echo $?)" "a level the policy does not know (s9): 125, not run"
run --security-opt label=user:nobody_u --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
ok "$([ $rc -eq 125 ] && [ ! -e /results/marker ]; echo $?)" "an unknown SELinux user: 125, not run"
run --security-opt label=role:web_r --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
ok "$([ $rc -eq 125 ] && [ ! -e /results/marker ]; echo $?)" "a role not authorised for the type (web_r, container_t): 125, not run"
run --security-opt label=user:web_u --security-opt label=role:web_r --security-opt label=type:docker_apache_t \
        --security-opt label=level:s2 --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
ok "$([ $rc -eq 125 ] && [ ! -e /results/marker ]; echo $?)" "a level above the user's range (web_u at s2): 125, not run"

# ---- the policy's lxc_contexts is where defaults come from ----
lxc=/etc/selinux/berthtest/contexts/lxc_contexts
cp $lxc /tmp/lxc_contexts.orig
printf 'process = "system_u:system_r:lxc_t:s0"\nfile = "system_u:object_r:lxc_file_t:s0"\n' >$lxc
run --tmpfs /tmp --rootfs $ROOT -- /bin/sh -c '/usr/local/bin/self-label; probe getcon /tmp'
process=$(echo "$out" | sed -n 1p)
like "$process" '^system_u:system_r:lxc_t:s0:c[0-9]+,c[0-9]+$' "defaults come from lxc_contexts: process lxc_t"
is "$(echo "$out" | sed -n 2p)" "system_u:object_r:lxc_file_t:$(level_of "$process")" "and file lxc_file_t"
printf 'process = "lxc_t"\n' >$lxc
run --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
ok "$([ $rc -eq 125 ] && [ ! -e /results/marker ]; echo $?)" "a broken lxc_contexts fails closed (125, not run)"
like "$err" "lxc_contexts:1: process: expected a context" "naming file, line and key"
cp /tmp/lxc_contexts.orig $lxc

# ---- berth verify: the types must exist in the loaded policy ----
mkdir -p /tmp/desc
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nSecurityLabelType=docker_apache_t\nSecurityLabelLevel=TopSecret\n' $ROOT >/tmp/desc/good.container
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nSecurityLabelType=nosuch_t\n' $ROOT >/tmp/desc/bad.container
vout=$(berth verify /tmp/desc/good.container 2>&1)
vrc=$?
is "$vrc" 0 "berth verify: docker_apache_t at TopSecret is known to the policy"
diag "$vout"
vout=$(berth verify /tmp/desc/bad.container 2>&1)
vrc=$?
is "$vrc" 1 "berth verify: SecurityLabelType=nosuch_t fails"
like "$vout" "bad.container: SecurityLabelType: SELinux type 'nosuch_t' is not defined in the loaded policy" "naming the file and the key"
diag "$vout"
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nSecurityLabelUser=nobody_u\nSecurityLabelLevel=s9\nSecurityLabelFileType=nofile_t\n' $ROOT >/tmp/desc/names.container
vout=$(berth verify /tmp/desc/names.container 2>&1)
vrc=$?
is "$vrc" 1 "berth verify: unknown user, level and file type fail"
like "$vout" "names.container: SecurityLabelUser: SELinux user 'nobody_u' is not defined" "naming SecurityLabelUser"
like "$vout" "names.container: SecurityLabelLevel: SELinux level 's9' is not defined" "naming SecurityLabelLevel"
like "$vout" "names.container: SecurityLabelFileType: SELinux file type 'nofile_t' is not defined" "naming SecurityLabelFileType"
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nSecurityLabelUser=web_u\nSecurityLabelRole=web_r\nSecurityLabelType=docker_apache_t\n' $ROOT >/tmp/desc/web.container
vout=$(berth verify /tmp/desc/web.container 2>&1)
is "$?" 0 "berth verify: web_u/web_r/docker_apache_t, valid only together, passes"
diag "$vout"
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nSecurityLabelRole=web_r\n' $ROOT >/tmp/desc/role.container
vout=$(berth verify /tmp/desc/role.container 2>&1)
vrc=$?
like "$vrc: $vout" "^1: .*role.container: SELinux label 'system_u:web_r:container_t:s0' is not valid in the loaded policy: its user, role, type and level do not go together" \
        "berth verify: web_r with the default container_t fails as a combination"
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nSecurityLabelUser=web_u\nSecurityLabelRole=web_r\nSecurityLabelType=docker_apache_t\nSecurityLabelLevel=s2\n' $ROOT >/tmp/desc/range.container
vout=$(berth verify /tmp/desc/range.container 2>&1)
vrc=$?
like "$vrc: $vout" "^1: .*range.container: SELinux label 'web_u:web_r:docker_apache_t:s2' is not valid.*do not go together" \
        "berth verify: web_u at s2 (each defined) fails as a combination"
diag "$vout"

# ---- issue 11: the exec label goes only into the procfs berth mounted ----
# A root where /data -> /proc, and a tmpfs "at /data": refused before anything is labelled.
cp -a $ROOT /containers/evil && rm -rf /containers/evil/data && ln -s /proc /containers/evil/data
run --security-opt label=type:docker_apache_t --tmpfs /data --volume /results:/out --rootfs /containers/evil -- /bin/touch /out/evil-ran
ok "$([ $rc -eq 125 ] && [ ! -e /results/evil-ran ]; echo $?)" "/data -> /proc, --tmpfs /data: 125, not run ($err)"
# /dev/null bound over the container's own attr/exec (a mask there): a write by path would
# "succeed" into /dev/null and the payload would run unlabelled; berth refuses.
run --security-opt label=type:docker_apache_t --mask /proc/1/task/1/attr/exec --volume /results:/out --rootfs $ROOT -- /bin/touch /out/mask-ran
ok "$([ $rc -eq 125 ] && [ ! -e /results/mask-ran ]; echo $?)" "a file bound over attr/exec: 125, not run"
like "$err" "not on the procfs berth mounted" "... saying the label could not go into procfs ($err)"
run --security-opt label=type:docker_apache_t --mask /proc/1/task/1/attr/current --rootfs $ROOT -- /usr/local/bin/self-label
like "$out" '^system_u:system_r:docker_apache_t:' "control: the same container with the mask beside it (attr/current) runs labelled ($out)"

# ---- without mcstransd a level name cannot be translated: fatal, not silently raw ----
kill "$(pidof mcstransd)"
while pidof mcstransd >/dev/null; do sleep 0.1; done
run --security-opt label=level:TopSecret --volume /results:/out --rootfs $ROOT -- /bin/touch /out/marker
ok "$([ $rc -eq 125 ] && [ ! -e /results/marker ]; echo $?)" "label=level:TopSecret without mcstransd: 125, not run"
like "$err" "mcstransd" "the error says why"
diag "$err"

finish
