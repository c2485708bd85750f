#!/bin/bash
# Many descriptions: enough that the generator lists drop-in dirs in two threads and reads
# descriptions ahead in a second one. What it writes and logs must be what it writes and
# logs for each description alone, in catalog order, whatever the threads did.
gen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$gen_dir/../lib/common.sh"

require_root
tmp=$(scratch_dir)
etc=$tmp/etc
n=200
mkdir -p "$etc/container.d" "$tmp/normal" "$tmp/early" "$tmp/late"
export BERTH_UNIT_PATH=$etc BERTH_EXEC_PATH=$BERTH_EXEC_BIN BERTH_LOG_STDERR=1

description() {
        printf '[Unit]\nDescription=svc %s\n[Container]\nRootDirectory=/srv/r\nExec=/bin/httpd -p %s\n' "$1" "$1"
        printf 'Environment=N=%s\n[Install]\nWantedBy=multi-user.target\n' "$1"
}
printf '[Container]\nEnvironment=TZ=UTC\n' >"$etc/container.d/50-all.conf"
for i in $(seq -w 1 $n); do
        description "$i" >"$etc/svc$i.container"
        mkdir "$etc/svc$i.container.d"
        printf '[Container]\nHostName=h%s\n' "$i" >"$etc/svc$i.container.d/10-host.conf"
done
# errors early, in the middle and late, in files and in drop-ins (both halves of the listing)
bad=(007 100 101 199)
for i in "${bad[@]}"; do printf 'NoSuchKey=1\n' >>"$etc/svc$i.container"; done
printf '[Container]\nReadOnly=maybe\n' >"$etc/svc150.container.d/20-bad.conf"
bad+=(150)
for i in 003 120 198; do ln -s /nonexistent "$etc/svc$i.container.d/05-dangling.conf"; done

berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" >/dev/null 2>"$tmp/err"
is "$?" 1 "$n descriptions, ${#bad[@]} bad: exit 1"
is "$(grep -L 'in place of the unit of a refused description' "$tmp"/normal/*.service | wc -l)" $((n - ${#bad[@]})) "a unit for each good one"
is "$(grep -l 'in place of the unit of a refused description' "$tmp"/normal/*.service | wc -l)" ${#bad[@]} "a placeholder for each bad one"
is "$(find "$tmp/normal/multi-user.target.wants" -type l | wc -l)" $((n - ${#bad[@]})) "and its symlink"

# the scan's warnings first, then each bad description's errors, in name order
is "$(grep -c 'cannot stat, ignoring' "$tmp/err")" 3 "a warning for each dangling drop-in"
last_warning=$(grep -n 'cannot stat, ignoring' "$tmp/err" | tail -1 | cut -d: -f1)
first_error=$(grep -n 'has errors' "$tmp/err" | head -1 | cut -d: -f1)
[ "$last_warning" -lt "$first_error" ]
ok $? "the scan's warnings come before the descriptions' errors" || diag_text "$(cat "$tmp/err")"
expected=$(for i in "${bad[@]}"; do echo "$etc/svc$i.container: has errors, no unit written for it"; done | sort)
is "$(grep 'has errors' "$tmp/err" | sed 's/^berth-generator: //')" "$expected" "the bad ones are reported in name order" \
        || diag_text "$(cat "$tmp/err")"
grep -B1 "svc150.container: has errors" "$tmp/err" | grep -q "svc150.container.d/20-bad.conf:2: ReadOnly"
ok $? "a drop-in's error comes right before its description is given up" || diag_text "$(cat "$tmp/err")"

# each unit is the one the description gives alone (one description: no threads)
mismatch=
for i in 001 003 050 120 151 200; do
        one=$tmp/one$i
        mkdir -p "$one/etc/container.d" "$one/normal" "$one/early" "$one/late"
        ln -s "$etc/svc$i.container" "$etc/svc$i.container.d" "$one/etc/"
        ln -s "$etc/container.d/50-all.conf" "$one/etc/container.d/"
        BERTH_UNIT_PATH=$one/etc berth_generator "$one/normal" "$one/early" "$one/late" >/dev/null 2>"$one/err"
        # only where the files were found differs
        sed "s|$one/etc|$etc|g" "$one/normal/svc$i.service" | cmp -s - "$tmp/normal/svc$i.service" || mismatch+=" $i"
done
is "$mismatch" "" "units are those of each description on its own"

tap_done
