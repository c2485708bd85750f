#!/bin/bash
# The generated ExecStart= as systemd 252 itself reads it: systemd boots in systemd-nspawn
# over an overlay of /, runs the build's berth-generator as a generator, starts the generated
# units at boot ([Install] symlinks), and their "helper" records the argv it was given. That
# argv must be what the description said ($ and quotes untouched, %% a literal %, %i/%n
# expanded), and what systemd_exec.py (used by the other tests) predicts.
gen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$gen_dir/../lib/common.sh"

require_root
command -v systemd-nspawn >/dev/null || tap_skip_all "systemd-nspawn not installed (Debian: systemd-container)"

state=$(mktemp -d /var/tmp/berth-gen-systemd.XXXXXX)
root=$state/root
results=$state/results
mkdir -p "$state/upper" "$state/work" "$root" "$results" "$state/etc"
cleanup() {
        if mountpoint -q "$root"; then
                umount "$root" 2>/dev/null || umount -l "$root"
        fi
        rm -rf "$state"
}
trap cleanup EXIT

# --- the descriptions (also generated on the host, to predict the argv) ---
cat >"$state/etc/quoting.container" <<'EOF'
[Container]
RootDirectory=/srv/quoting-root
Exec=/bin/echo "two  spaces" 'single "double" inside' "back\\slash" $HOME '${HOME}' $$ \
     50%% %n ";" "tab\tand\nnewline" caf\xc3\xa9 "\xff" ""
Environment=PRICE=5$ "SPACED=a b"

[Install]
WantedBy=multi-user.target
EOF
cat >"$state/etc/tq@.container" <<'EOF'
[Container]
RootDirectory=/srv/template-root
Exec=/bin/echo instance=%i prefix=%p unit=%n

[Install]
WantedBy=multi-user.target
DefaultInstance=first
EOF
units="quoting tq@first"

# The helper path compiled into this build: the first word of a generated ExecStart=.
mkdir -p "$state/host-out"
BERTH_EXEC_PATH= BERTH_UNIT_PATH=$state/etc berth_generator "$state/host-out" 2>"$state/host.err"
ok $? "the descriptions generate on the host" || diag_text "$(cat "$state/host.err")"
mapfile -d '' exec_words < <(python3 "$gen_dir/systemd_exec.py" "$state/host-out/quoting.service")
helper=${exec_words[0]:-}
case $helper in
/*) ok 0 "the installed helper path is $helper" ;;
*) ok 1 "a helper path in ExecStart="; tap_done ;;
esac

mount -t overlay overlay -o "lowerdir=/,upperdir=$state/upper,workdir=$state/work" "$root"
ok $? "an overlay of / for the booted systemd" || tap_done

# This build's generator, and no other berth generator the host may have installed.
rm -f "$root"/usr/lib/systemd/system-generators/berth-generator \
        "$root"/usr/local/lib/systemd/system-generators/berth-generator \
        "$root"/lib/systemd/system-generators/berth-generator
mkdir -p "$root/etc/systemd/system-generators"
cp "$BERTH_GENERATOR_BIN" "$root/etc/systemd/system-generators/berth-generator"
rm -rf "$root/etc/berth" && cp -r "$state/etc" "$root/etc/berth"

# The "helper": records its argv (NUL-separated) under the container's --name and exits.
mkdir -p "$root$(dirname "$helper")"
cat >"$root$helper" <<'EOF'
#!/bin/bash
name=unknown
prev=
for a in "$@"; do
        [ "$prev" = --name ] && name=$a
        prev=$a
done
printf '%s\0' "$0" "$@" >"/results/$name.argv.tmp" && mv "/results/$name.argv.tmp" "/results/$name.argv"
EOF
chmod 755 "$root$helper"

sysdir=$root/etc/systemd/system
for u in postgresql.service console-getty.service getty@tty1.service mcstrans.service \
        systemd-timesyncd.service apparmor.service e2scrub_reap.service apt-daily.timer \
        apt-daily-upgrade.timer man-db.timer e2scrub_all.timer dpkg-db-backup.timer fstrim.timer; do
        ln -sfn /dev/null "$sysdir/$u"
done
# Powers off once every unit has recorded its argv (or after 60 s).
cat >"$sysdir/berth-quoting-done.service" <<EOF
[Unit]
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/bin/bash -c 'for i in \$\$(seq 600); do n=0; for u in $units; do [ -e /results/\$\$u.argv ] && n=\$\$((n+1)); done; [ \$\$n = $(echo $units | wc -w) ] && break; sleep 0.1; done'
ExecStopPost=/bin/systemctl poweroff --no-block
[Install]
WantedBy=multi-user.target
EOF
mkdir -p "$sysdir/multi-user.target.wants"
ln -sfn ../berth-quoting-done.service "$sysdir/multi-user.target.wants/berth-quoting-done.service"

timeout --kill-after=10 300 systemd-nspawn -q -D "$root" --register=no --keep-unit --capability=all \
        --bind="$results:/results" -b </dev/null >"$state/console.log" 2>&1
rc=$?
ok "$([ $rc -ne 124 ] && [ $rc -ne 137 ]; echo $?)" "systemd booted, ran the generated units and powered off (nspawn exit $rc)" ||
        diag_text "$(tail -n 30 "$state/console.log")"

# --- what systemd passed, against what the description says and what systemd_exec.py says ---

for u in $units; do
        [ -f "$results/$u.argv" ]
        ok $? "systemd started $u.service (from the generator's [Install] symlink) and it ran the helper" ||
                diag_text "$(grep -i -E 'berth|quoting|tq@' "$state/console.log" | tail -n 20)"
done

# argv files are NUL-separated; compare them byte for byte, show them with cat -v
payload() { # FILE: the words after "--"
        python3 -c 'import sys; a = open(sys.argv[1], "rb").read().split(b"\0")[:-1]; i = a.index(b"--")
sys.stdout.buffer.write(b"".join(w + b"\0" for w in a[i + 1:]))' "$1"
}
same() { # GOT WANT NAME
        cmp -s "$1" "$2"
        ok $? "$3" || { diag "got:  $(tr '\0' '|' <"$1" | cat -v)"; diag "want: $(tr '\0' '|' <"$2" | cat -v)"; }
}

# what the Exec= line above says, word by word
printf '%s\0' /bin/echo "two  spaces" 'single "double" inside' 'back\slash' '$HOME' '${HOME}' '$$' \
        "50%" quoting.service ";" "$(printf 'tab\tand\nnewline')" "café" "$(printf '\377')" "" >"$state/want"
payload "$results/quoting.argv" >"$state/got" 2>/dev/null
same "$state/got" "$state/want" "Exec= reaches the helper as written: spaces, quotes, backslash, \$, %%, %n, ;, escapes, non-UTF-8, empty word"
grep -qz '^PRICE=5\$$' "$results/quoting.argv" && grep -qz '^SPACED=a b$' "$results/quoting.argv"
ok $? "Environment= values with \$ and spaces arrive unexpanded"
printf '%s\0' /bin/echo instance=first prefix=tq unit=tq@first.service >"$state/want"
payload "$results/tq@first.argv" >"$state/got" 2>/dev/null
same "$state/got" "$state/want" "template: systemd expands %i, %p and %n in the instance started by DefaultInstance="
grep -qz '^tq@first$' "$results/tq@first.argv"
ok $? "template: the container's --name is the instance's name"

for u in quoting:quoting.service: "tq@first:tq@.service:first"; do
        IFS=: read -r name file instance <<<"$u"
        python3 "$gen_dir/systemd_exec.py" "$state/host-out/$file" "$instance" | tail -z -n +2 >"$state/want"
        tail -z -n +2 "$results/$name.argv" >"$state/got" 2>/dev/null
        same "$state/got" "$state/want" "$name: systemd_exec.py predicts systemd's argv exactly"
done

tap_done
