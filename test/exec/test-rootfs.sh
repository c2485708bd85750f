#!/bin/bash
# The container's file system: the busybox root, nothing of the host's, fresh /proc,
# read-only /sys, minimal /dev, Docker's masked and read-only paths, volumes, tmpfs, --read-only,
# and the process environment that comes with it (user, workdir, env, hostname).
. "$(dirname "$0")/../lib/common.sh"
. "$(dirname "$0")/lib.sh"

make_scratch
s=$S


# ---- the root
is "$(run_ct -- /bin/ls / | paste -sd' ' -)" "$(ls "$R" | paste -sd' ' -)" "ls / shows the busybox root"
is "$(run_ct -- /bin/stat -c %i /)" "$(stat -c %i "$R")" "/ is the root directory's inode"
is "$(run_ct -- /bin/stat -c %i /..)" "$(stat -c %i "$R")" "/.. is / again"
marker="$BERTH_SOURCE_DIR/test/exec/lib.sh"
out=$(run_ct -- /bin/sh -c "test -e '$marker' && echo REACHABLE; test -e /work && echo REACHABLE; echo done")
is "$out" "done" "host paths are unreachable ($marker, /work)"
# Every mount point the container sees is one berth made: the old root is detached.
mounts=$(run_ct -- /bin/cat /proc/self/mountinfo | awk '{print $5}' | sort -u)
stray=$(printf '%s\n' "$mounts" | grep -Ev '^/$|^/proc(/|$)|^/sys(/|$)|^/dev(/|$)')
is "$stray" "" "no mount point besides /, /proc, /sys, /dev and their children"

# ---- /proc, /sys, /dev
is "$(run_ct -- /bin/cat /proc/1/comm)" "berth-init" "a fresh /proc of the container's PID namespace (PID 1 is the init)"
out=$(run_ct -- /bin/sh -c 'echo x > /proc/sys/kernel/hostname 2>&1 && echo WROTE; grep " /proc/sys " /proc/self/mounts')
like "$out" "^proc /proc/sys proc ro," "/proc/sys is mounted read-only"
ok $([[ $out != *WROTE* ]]; echo $?) "... writing to it fails"
out=$(run_ct -- /bin/sh -c 'grep " /sys " /proc/self/mounts; mkdir /sys/x 2>/dev/null && echo WROTE')
like "$out" "^sysfs /sys sysfs ro," "/sys is sysfs, read-only"
ok $([[ $out != *WROTE* ]]; echo $?) "... creating in it fails"

# Docker's masked paths that exist on this kernel read as empty inside (/proc/kcore does not
# exist here; the same rule covers it where it does).
for p in /proc/interrupts /proc/timer_list /proc/keys /proc/kcore /proc/sched_debug; do
        [ -s "$p" ] || [ -d "$p" ] || continue
        is "$(run_ct -- /bin/sh -c "wc -c < $p")" 0 "$p is masked (reads empty)"
done
for p in /sys/firmware /proc/acpi /proc/scsi; do
        [ -d "$p" ] || continue
        is "$(run_ct -- /bin/sh -c "ls -A $p | wc -l; touch $p/x 2>/dev/null && echo WROTE")" 0 "$p is masked (an empty read-only directory)"
done
[ -s /proc/interrupts ] && is "$(run_ct --unmask /proc/interrupts -- /bin/sh -c 'test -s /proc/interrupts && echo visible')" visible \
        "--unmask /proc/interrupts shows it"
is "$(run_ct --mask /etc/passwd -- /bin/sh -c 'wc -c < /etc/passwd')" 0 "--mask /etc/passwd hides a file of the root"
for p in /proc/bus /proc/fs /proc/irq; do
        [ -d "$p" ] || continue
        like "$(run_ct -- /bin/grep " $p " /proc/self/mounts)" "^proc $p proc ro," "$p is read-only"
done

out=$(run_ct -- /bin/sh -c 'for d in null zero full random urandom tty; do [ -c /dev/$d ] && echo $d; done | paste -sd" " -')
is "$out" "null zero full random urandom tty" "/dev has null zero full random urandom tty as character devices"
is "$(run_ct -- /bin/sh -c 'ls /dev | paste -sd" " -')" "fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero" \
        "/dev has nothing else (no host devices)"
out=$(run_ct -- /bin/sh -c 'awk "\$2 ~ /^\/dev/ && \$2 !~ /^\/dev\/(null|zero|full|random|urandom|tty)\$/ {print \$2, \$3}" /proc/self/mounts | paste -sd" " -')
is "$out" "/dev tmpfs /dev/pts devpts /dev/shm tmpfs /dev/mqueue mqueue" "/dev is a tmpfs with devpts, shm, mqueue"
out=$(run_ct -- /bin/sh -c 'awk "\$2 ~ /^\/dev\/(null|zero|full|random|urandom|tty)\$/ {print \$2}" /proc/self/mounts | paste -sd" " -')
is "$out" "/dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty" "the six standard devices are the host's nodes, bound (the /dev tmpfs itself is nodev)"
is "$(run_ct -- /bin/sh -c 'head -c 4 /dev/zero | wc -c; echo x > /dev/null && echo null-ok' | paste -sd' ' -)" "4 null-ok" \
        "the devices work"

# ---- --read-only, volumes, tmpfs
out=$(run_ct --read-only -- /bin/sh -c 'touch /berth-ro-test 2>&1; grep "^[^ ]* / " /proc/self/mounts')
like "$out" "Read-only file system" "--read-only: writing to the root fails"
like "$out" " / [a-z0-9]+ ro[ ,]" "--read-only: / is mounted ro"
[ ! -e "$R/berth-ro-test" ]
ok $? "--read-only: nothing was created in the root"
is "$(run_ct --read-only --tmpfs /tmp -- /bin/sh -c 'echo hi > /tmp/f && cat /tmp/f')" hi "--read-only with --tmpfs /tmp: /tmp is writable"
is "$(run_ct --read-only -- /bin/sh -c 'echo ok > /dev/shm/x && cat /dev/shm/x')" ok "--read-only leaves /dev/shm writable"

mkdir -p "$s/rw" "$s/ro"
echo from-host >"$s/ro/file"
out=$(run_ct --volume "$s/rw:/srv" --volume "$s/ro:/root:ro" -- /bin/sh -c \
        'echo from-container > /srv/out; cat /root/file; echo x > /root/new 2>&1 || echo RO-REFUSED')
is "$(cat "$s/rw/out" 2>/dev/null)" from-container "--volume HOST:/srv: the container's write lands on the host"
like "$out" "from-host" "--volume HOST:/root:ro: host file readable"
like "$out" "RO-REFUSED" "--volume HOST:/root:ro: writing fails"
[ ! -e "$s/ro/new" ]
ok $? "... and nothing was created on the host"
echo single >"$s/one-file"
is "$(run_ct --volume "$s/one-file:/etc/hostname:ro" -- /bin/cat /etc/hostname)" single "a file volume is bound onto a file"
out=$(run_ct --read-only --volume "$s/rw:/srv:rw" -- /bin/sh -c 'echo w > /srv/w && echo WROTE')
is "$out" WROTE "--read-only root keeps an rw volume writable"

out=$(run_ct --tmpfs /run:size=1m,mode=0700 -- /bin/sh -c 'grep " /run " /proc/self/mounts; echo x > /run/f && echo WROTE; stat -c %a /run')
like "$out" "^tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=1024k,mode=700" "--tmpfs /run:size=1m,mode=0700: mounted with those options and Docker's defaults"
like "$out" "WROTE" "... writable"
out=$(run_ct --tmpfs /var/tmp:exec -- /bin/grep " /var/tmp " /proc/self/mounts)
ok $([[ $out != *noexec* ]]; echo $?) "--tmpfs /var/tmp:exec drops the default noexec ($out)"
# A symlink in the root cannot redirect a mount to the host.
ln -sfn /etc "$R/srv/berth-escape-$$"
run_ct --tmpfs "/srv/berth-escape-$$/x" -- /bin/true 2>/dev/null
rm -f "$R/srv/berth-escape-$$"
[ ! -e "/etc/x" ] && ! grep -q " /etc/x " /proc/self/mounts
ok $? "a tmpfs target behind a symlink to /etc stays inside the root (no /etc/x on the host)"
rm -rf "$R/etc/x"

# ---- identity and environment
is "$(run_ct -- /bin/id)" "uid=0(root) gid=0(root)" "default user: root"
is "$(run_ct --user app -- /bin/id)" "uid=1000(app) gid=1000(app) groups=50(staff)" "--user app: uid, gid and supplementary groups from the root's files"
is "$(run_ct --user app:staff -- /bin/id)" "uid=1000(app) gid=50(staff) groups=50(staff)" "--user app:staff"
is "$(run_ct --user 1234 -- /bin/id)" "uid=1234 gid=0(root)" "--user 1234 without a passwd entry: gid 0"
is "$(run_ct --user 33:50 -- /bin/id -u)" 33 "--user 33:50 by number"
is "$(run_ct --workdir /srv -- /bin/pwd)" /srv "--workdir /srv"
is "$(run_ct --user app -- /bin/sh -c 'echo $HOME')" /home/app "HOME is the user's"

printf 'FROM_FILE=1\nSHARED=file\n# a comment\n\nQUOTED=a b\n' >"$s/env"
env_out=$(BERTH_LEAK=1 TERM=xterm run_ct --name "$(name_for env)" --env-file "$s/env" --env SHARED=option --env EXTRA=2 -- /bin/env | sort)
want=$(printf '%s\n' "EXTRA=2" "FROM_FILE=1" "HOME=/root" "HOSTNAME=$(name_for env)" "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        "PWD=/" "QUOTED=a b" "SHARED=option" "SHLVL=1" "container=berth" | sort)
# busybox env adds nothing; sh is not involved, so PWD/SHLVL come only if we set them.
is "$(printf '%s\n' "$env_out" | grep -v -e '^PWD=' -e '^SHLVL=')" "$(printf '%s\n' "$want" | grep -v -e '^PWD=' -e '^SHLVL=')" \
        "environment: PATH, HOME, HOSTNAME, container=berth, --env-file, then --env (later wins); nothing from the host"
is "$(TERM=xterm run_ct --env TERM=vt100 -- /bin/sh -c 'echo $TERM')" vt100 "TERM only when given"

is "$(run_ct --name "$(name_for host)" -- /bin/hostname)" "$(name_for host)" "the host name defaults to the container name"
is "$(run_ct --name "$(name_for host)" --hostname web1 -- /bin/sh -c 'hostname; echo $HOSTNAME' | paste -sd' ' -)" "web1 web1" "--hostname web1"

tap_done
