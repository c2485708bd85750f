#!/bin/bash
# Hostile input the corpus cannot hold (issue 12, issue 11 item 9): FIFOs, directories only
# root can read, other generators' units in the output dirs, 100 000-line descriptions,
# lines longer than systemd reads, file names with newlines. Each is refused at its
# file and line (and berth verify says the same); the controls show the refusals are
# needed: systemd itself fails on what would otherwise be written.
gen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$gen_dir/../lib/common.sh"

require_root
tmp=$(scratch_dir)
etc=$tmp/etc
mkdir -p "$etc" "$tmp/normal" "$tmp/early" "$tmp/late"
export BERTH_UNIT_PATH=$etc BERTH_EXEC_PATH=$BERTH_EXEC_BIN BERTH_LOG_STDERR=1
root=/var/tmp/berth-rootfs

body() { printf '[Container]\nRootDirectory=%s\nExec=/bin/true\n' "$root"; }
fresh_out() { rm -rf "$tmp/normal" "$tmp/early" "$tmp/late" && mkdir -p "$tmp/normal" "$tmp/early" "$tmp/late"; }
generate() { fresh_out; berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" >/dev/null 2>"$tmp/err"; rc=$?; }
placeholder() { grep -q 'in place of the unit of a refused description' "$tmp/normal/$1" 2>/dev/null; }
real_unit() { [ -f "$tmp/normal/$1" ] && ! placeholder "$1"; }

# ---- a FIFO named like a description: refused without opening it (that would block) ----
body >"$etc/good.container"
mkfifo "$etc/fifo.container"
generate
is "$rc" 1 "a FIFO named fifo.container: exit 1, no hang"
grep -q "$etc/fifo.container: not a regular file" "$tmp/err" && placeholder fifo.service && real_unit good.service
ok $? "it is refused as not a regular file (placeholder), the good description is generated" || diag_text "$(cat "$tmp/err")"
out=$(timeout 20 "$BERTH_CLI_BIN" verify "$etc/fifo.container" 2>&1)
[ $? -eq 1 ] && printf '%s' "$out" | grep -q "fifo.container: not a regular file"
ok $? "berth verify FILE says the same of the FIFO" || diag_text "$out"
rm -f "$etc/fifo.container"

# ---- a drop-in dir that only root can read, the generator run as nobody (EACCES) ----
mkdir -p "$etc/web.container.d"
body >"$etc/web.container"
printf '[Container]\nDropCapability=ALL\n' >"$etc/web.container.d/10-caps.conf"
chmod 0755 "$tmp" "$etc" "$(dirname "$tmp")"
chmod 0700 "$etc/web.container.d"
fresh_out
chown nobody "$tmp/normal"
setpriv --reuid=nobody --regid=nogroup --clear-groups env BERTH_UNIT_PATH="$etc" BERTH_EXEC_PATH="$BERTH_EXEC_BIN" \
        BERTH_LOG_STDERR=1 $BERTH_WRAP "$BERTH_GENERATOR_BIN" "$tmp/normal" "$tmp/early" "$tmp/late" >/dev/null 2>"$tmp/err"
rc=$?
is "$rc" 1 "an unreadable drop-in dir (EACCES): exit 1"
grep -q "$etc/web.container.d: cannot open the drop-in directory: Permission denied" "$tmp/err" && ! real_unit web.service &&
        real_unit good.service
ok $? "the description it applies to is refused, not generated without its DropCapability=ALL" || diag_text "$(cat "$tmp/err")"
chmod 0755 "$etc/web.container.d"
generate
real_unit web.service && grep -q -- '"--cap-drop" "ALL"' "$tmp/normal/web.service"
ok $? "control: readable again, the unit has the drop-in's setting"
rm -rf "$etc/web.container.d" "$etc/web.container"

# ---- units other generators wrote ----
body >"$etc/taken.container"
body >"$etc/taken2.container"
{ body; printf '[Install]\nAlias=other-alias.service\n'; } >"$etc/aliased.container"
fresh_out
printf '[Service]\nExecStart=/bin/true\n' >"$tmp/early/taken.service"
printf '[Service]\nExecStart=/bin/true\n' >"$tmp/normal/taken2.service"
printf '[Service]\nExecStart=/bin/true\n' >"$tmp/normal/other-alias.service"
berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" >/dev/null 2>"$tmp/err"
is "$?" 1 "names another generator wrote: exit 1"
grep -q "$etc/taken.container: a unit 'taken.service' is already in $tmp/early (another generator wrote it)" "$tmp/err" &&
        grep -q "$etc/aliased.container:5: Alias: a unit 'other-alias.service' is already in $tmp/normal" "$tmp/err" &&
        grep -q '^ExecStart=/bin/true' "$tmp/normal/other-alias.service" &&
        grep -q "$etc/taken2.container: a unit 'taken2.service' is already in $tmp/normal" "$tmp/err" &&
        [ "$(cat "$tmp/normal/taken2.service")" = "$(printf '[Service]\nExecStart=/bin/true')" ]
ok $? "a unit name or alias another generator wrote is refused at its line, and theirs is left alone (no placeholder over it)" ||
        diag_text "$(cat "$tmp/err")"
rm -f "$tmp/early/taken.service" "$tmp/normal/other-alias.service" "$tmp/normal/taken.service" "$tmp/normal/taken2.service"
berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" >/dev/null 2>&1
berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" >/dev/null 2>"$tmp/err"
is "$?" 0 "control: a second run over what the first wrote is not a collision" || diag_text "$(cat "$tmp/err")"
rm -f "$etc"/*.container

# ---- a drop-in file name with a newline: never copied into the unit ----
body >"$etc/nl.container"
mkdir -p "$etc/nl.container.d"
printf '[Service]\nRestart=no\n' >"$etc/nl.container.d/10-a
ExecStartPre=evil.conf"
generate
is "$rc" 1 "a drop-in whose file name holds a newline: exit 1"
grep -qF 'nl.container.d/10-a\nExecStartPre=evil.conf: the drop-in'"'"'s path contains a control character' "$tmp/err" &&
        ! grep -rq '^ExecStartPre=evil' "$tmp/normal"
ok $? "refused, the name escaped in the message, no line of it in any unit" || diag_text "$(cat "$tmp/err")"
rm -rf "$etc/nl.container" "$etc/nl.container.d"

# ---- 100 000-line descriptions of each list key: refused at the documented cap ----
big() { # NAME SECTION KEY VALUE-PREFIX
        { [ "$2" = Container ] || body; printf '[%s]\n' "$2"; [ "$2" = Container ] && printf 'RootDirectory=%s\nExec=/bin/true\n' "$root"
          seq 1 100000 | sed "s|^|$3=$4|"; } >"$etc/$1.container"
}
big l-addcap Container AddCapability "CHOWN # "
sed -i 's/^AddCapability=CHOWN # .*/AddCapability=CHOWN/' "$etc/l-addcap.container"
big l-dropcap Container DropCapability "MKNOD # "
sed -i 's/^DropCapability=MKNOD # .*/DropCapability=MKNOD/' "$etc/l-dropcap.container"
big l-env Container Environment "V="
big l-envfile Container EnvironmentFile "/etc/e"
big l-volume Container Volume "/srv:/v"
big l-tmpfs Container Tmpfs "/t"
big l-mask Container Mask "/m"
big l-unmask Container Unmask "/u"
big l-after Unit After "a"
sed -i 's/^After=a\(.*\)$/After=a\1.service/' "$etc/l-after.container"
big l-wantedby Install WantedBy "t"
sed -i 's/^WantedBy=t\(.*\)$/WantedBy=t\1.target/' "$etc/l-wantedby.container"
start=$(date +%s%N)
generate
elapsed=$((($(date +%s%N) - start) / 1000000))
diag "10 descriptions of 100 000 lines each: ${elapsed} ms (timed in bench/, not asserted)"
is "$rc" 1 "100 000-line descriptions: exit 1"
for k in addcap:AddCapability dropcap:DropCapability env:Environment envfile:EnvironmentFile volume:Volume \
        tmpfs:Tmpfs mask:Mask unmask:Unmask; do
        name=l-${k%%:*} key=${k#*:}
        grep -q "$etc/$name.container:4100: $key: more than 4096 items in this list" "$tmp/err" && placeholder "$name.service"
        ok $? "$key= x 100 000: refused at the 4097th item (line 4100)" || diag_text "$(grep "$name" "$tmp/err" | head -3)"
done
grep -q "$etc/l-after.container:16387: After: more than 16384 assignments in one file" "$tmp/err"
ok $? "[Unit] After= x 100 000: refused at the 16385th assignment" || diag_text "$(grep l-after "$tmp/err" | head -3)"
grep -q "$etc/l-wantedby.container:16387: WantedBy: more than 16384 assignments in one file" "$tmp/err"
ok $? "[Install] WantedBy= x 100 000: refused at the 16385th assignment" || diag_text "$(grep l-wantedby "$tmp/err" | head -3)"
[ "$(grep -c 'l-env.container' "$tmp/err")" -le 3 ]
ok $? "one message per refusal, not one per line over the cap"
out=$(berth_cli verify --offline 2>&1)
[ "$(printf '%s\n' "$out" | grep -Eo 'l-[a-z]+\.container:[0-9]+: [A-Za-z]+' | sort)" = \
        "$(grep -Eo 'l-[a-z]+\.container:[0-9]+: [A-Za-z]+' "$tmp/err" | sort)" ]
ok $? "berth verify --offline refuses the same ten at the same lines" || diag_text "$out"
rm -f "$etc"/l-*.container

# ---- lines longer than systemd reads ----
# control: systemd really refuses such a unit (and reads one just under the limit)
mkdir -p "$tmp/units"
for n in 1048000 1048600; do
        { printf '[Service]\nExecStart=/bin/true '; head -c "$n" /dev/zero | tr '\0' a; printf '\n'; } >"$tmp/units/long$n.service"
done
SYSTEMD_UNIT_PATH="$tmp/units:" SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$tmp/units/long1048600.service" >"$tmp/sa" 2>&1
grep -q "No buffer space\|failed to load\|Failed to load" "$tmp/sa"
ok $? "control: systemd does not load a unit with an ExecStart= line over 1 MiB" || diag_text "$(cat "$tmp/sa")"
SYSTEMD_UNIT_PATH="$tmp/units:" SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "$tmp/units/long1048000.service" >"$tmp/sa" 2>&1
! grep -q "No buffer space" "$tmp/sa"
ok $? "control: it loads one just under" || diag_text "$(cat "$tmp/sa")"

body >"$etc/long-env.container"
for i in $(seq 1 900); do printf 'Environment=V%s=%s\n' "$i" "$(head -c 1200 /dev/zero | tr '\0' x)"; done >>"$etc/long-env.container"
{ body; printf 'Exec=/bin/echo %s\n' "$(head -c 140000 /dev/zero | tr '\0' w)"; } >"$etc/long-word.container"
{ body; printf '[Unit]\nDescription=%s\n' "$(head -c 1100000 /dev/zero | tr '\0' d)"; } >"$etc/long-desc.container"
{ body; printf 'Exec=/bin/echo "%s"\n' "$(head -c 600000 /dev/zero | sed 's/\x0/\\\\/g')"; } >"$etc/long-bs.container"
generate
grep -Eq "$etc/long-env.container:[0-9]+: Environment: makes the unit's ExecStart= line [0-9]+ bytes long: systemd reads at most 1048575" "$tmp/err"
ok $? "900 Environment= of 1.2 kB: refused at the line that makes ExecStart= too long" || diag_text "$(grep long-env "$tmp/err")"
line=$(grep -Eo "long-env.container:[0-9]+" "$tmp/err" | head -1 | cut -d: -f2)
[ -n "$line" ] && [ "$line" -gt 800 ] && [ "$line" -lt 904 ]
ok $? "and that line is where the sum goes over 1 MiB (line $line)"
grep -q "$etc/long-word.container:4: Exec: a word of 140000 bytes: the kernel's execve() takes at most 131071" "$tmp/err"
ok $? "an Exec= word over execve()'s 128 KiB is refused" || diag_text "$(grep long-word "$tmp/err")"
grep -q "$etc/long-desc.container:5: Description: a line of 1100012 bytes: systemd reads at most 1048575" "$tmp/err"
ok $? "a [Unit] line over 1 MiB is refused at its line" || diag_text "$(grep long-desc "$tmp/err")"
grep -Eq "$etc/long-bs.container:[34]: Exec: (makes the unit's ExecStart= line|a word of)" "$tmp/err"
ok $? "600 000 backslashes (twice that once quoted) are refused" || diag_text "$(grep long-bs "$tmp/err")"
out=$(berth_cli verify --offline 2>&1)
for f in long-env long-word long-desc long-bs; do
        grep -F "$f.container:" "$tmp/err" | grep -Eo "$f.container:[0-9]+: [A-Za-z]+" | head -1 >"$tmp/want"
        printf '%s\n' "$out" | grep -qF "$(cat "$tmp/want")"
        ok $? "berth verify names the same line for $f ($(cat "$tmp/want"))"
done
rm -f "$etc"/long-*.container

# ---- the CLIs ----
out=$(berth_cli verify --frob 2>&1)
is "$?" 2 "berth verify --frob: a usage error (exit 2), not a description name" || diag_text "$out"
out=$(berth_generator --help 2>&1)
rc=$?
is "$rc" 0 "berth-generator --help: exit 0"
printf '%s' "$out" | grep -q "usage: berth-generator" && [ ! -e ./--help ]
ok $? "and prints its usage instead of writing into a directory named --help"
body >"$etc/alone.container"
ln -s /nonexistent "$etc/dangling.container"
out=$(berth_cli verify "$etc/alone.container" 2>&1)
[ $? -eq 0 ] && ! printf '%s' "$out" | grep -q dangling
ok $? "berth verify FILE says nothing about unrelated files beside it" || diag_text "$out"
rm -f "$etc/dangling.container" "$etc/alone.container"

tap_done
