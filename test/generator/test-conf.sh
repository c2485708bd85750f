#!/bin/bash
# What the project ships: conf/berth.conf spells out every default (uncommenting it changes no
# unit), conf/examples generate and pass systemd-analyze verify, and berth.container(5)
# documents exactly the keys the reader knows, each with an example the generator accepts.
gen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$gen_dir/../lib/common.sh"

tmp=$(scratch_dir)
conf=$BERTH_SOURCE_DIR/conf
man=$BERTH_SOURCE_DIR/man/berth.container.5

# gen DIRS OUT: runs the generator over the colon-separated DIRS into OUT; stderr in $tmp/err
gen() {
        rm -rf "$2" && mkdir -p "$2"
        BERTH_UNIT_PATH=$1 BERTH_EXEC_PATH=$BERTH_EXEC_BIN BERTH_LOG_STDERR=1 berth_generator "$2" 2>"$tmp/err"
}
execstart() { grep '^ExecStart=' "$1"; }

# --- the key lists ---
table_keys=$(sed -n 's/^[[:space:]]*{"\([A-Za-z]*\)", \(spec_\|set_\).*/\1/p' "$BERTH_SOURCE_DIR/src/libberth/description.c" | sort)
man_keys=$(sed -n '/^\.SH \[CONTAINER\] KEYS/,/^\.SH /s/^\.BI \([A-Za-z]*\)= .*/\1/p' "$man" | sort)
[ "$(echo "$table_keys" | wc -l)" -ge 29 ]
ok $? "the reader's key table lists SPEC's 29 keys ($(echo "$table_keys" | wc -l) found)"
is "$man_keys" "$table_keys" "berth.container(5) documents exactly the keys the reader knows"

# "List" in the man page exactly for the keys the table marks as lists
table_lists=$(sed -n 's/^[[:space:]]*{"\([A-Za-z]*\)", [a-z_]*, true},.*/\1/p' "$BERTH_SOURCE_DIR/src/libberth/description.c" | sort)
man_lists=$(sed -n '/^\.SH \[CONTAINER\] KEYS/,/^\.SH /p' "$man" |
        awk '/^\.BI [A-Za-z]+= /{key=$2; sub(/=.*/, "", key); getline; if ($0 ~ /^List[.,]/) print key}' | sort)
[ -n "$table_lists" ] && [ "$man_lists" = "$table_lists" ]
ok $? "berth.container(5) calls exactly the table's list keys lists ($(echo $table_lists))" ||
        diag_text "man: $(echo $man_lists)"

missing_example=
for k in $man_keys; do
        sed -n '/^\.SH \[CONTAINER\] KEYS/,/^\.SH /p' "$man" | grep -q "^$k=" || missing_example+=" $k"
done
is "$missing_example" "" "every key in berth.container(5) has an example line"

# every example line of the man page, each in a description of its own, is accepted
mkdir -p "$tmp/man"
i=0
sed -n '/^\.SH \[CONTAINER\] KEYS/,/^\.SH /p' "$man" | grep -E '^[A-Za-z]+=' | sed 's/\\-/-/g; s/\\(aq/'"'"'/g' |
        while IFS= read -r line; do
                i=$((i + 1))
                {
                        echo "[Container]"
                        case $line in
                        RootDirectory=*) echo "Exec=/bin/true" ;;
                        Exec=*) echo "RootDirectory=/srv/r" ;;
                        *) printf 'RootDirectory=/srv/r\nExec=/bin/true\n' ;;
                        esac
                        echo "$line"
                } >"$tmp/man/example$i.container"
        done
n_examples=$(ls "$tmp/man" | wc -l)
gen "$tmp/man" "$tmp/man-out"
ok $? "all $n_examples example lines of berth.container(5) generate units" || diag_text "$(cat "$tmp/err")"

# an empty assignment of any key is known to the reader (never 'unknown key')
mkdir -p "$tmp/empty"
{
        echo "[Container]"
        for k in $table_keys; do echo "$k="; done
} >"$tmp/empty/all.container"
gen "$tmp/empty" "$tmp/empty-out"
! grep -q "unknown key" "$tmp/err"
ok $? "every key of the table is accepted by the generator" || diag_text "$(cat "$tmp/err")"

# --- berth.conf ---
conf_keys=$(sed -n 's/^#\([A-Za-z]*\)=.*/\1/p' "$conf/berth.conf" | sort)
is "$conf_keys" "$(echo "$table_keys" | grep -vx -e RootDirectory -e Exec)" \
        "conf/berth.conf spells out a default for every key but RootDirectory and Exec"

mkdir -p "$tmp/plain" "$tmp/shipped" "$tmp/uncommented"
for ex in "$conf"/examples/*.container; do
        cp "$ex" "$tmp/plain/"
        cp "$ex" "$tmp/shipped/"
        cp "$ex" "$tmp/uncommented/"
done
cp "$conf/berth.conf" "$tmp/shipped/"
sed 's/^#\([A-Za-z]*=\)/\1/' "$conf/berth.conf" >"$tmp/uncommented/berth.conf"
gen "$tmp/plain" "$tmp/plain-out"
ok $? "the examples generate without berth.conf" || diag_text "$(cat "$tmp/err")"
gen "$tmp/shipped" "$tmp/shipped-out"
ok $? "the examples generate with the shipped berth.conf" || diag_text "$(cat "$tmp/err")"
gen "$tmp/uncommented" "$tmp/uncommented-out"
ok $? "the examples generate with every line of berth.conf uncommented" || diag_text "$(cat "$tmp/err")"
same=0
for u in "$tmp"/plain-out/*.service; do
        b=$(basename "$u")
        [ "$(execstart "$u")" = "$(execstart "$tmp/uncommented-out/$b")" ] || { same=1; diag "$b differs"; }
done
ok $same "uncommenting berth.conf changes no unit's ExecStart= (it shows the true defaults)"

# --- the examples say what they promise ---
out=$tmp/plain-out
grep -q '"--cap-drop" "ALL" "--cap-add" "SYS_TIME" "--cap-add" "NET_BIND_SERVICE" "--security-opt"' "$out/ntpd.service"
ok $? "ntpd example: drop ALL, add SYS_TIME and NET_BIND_SERVICE (its port 123) only"
grep -q '"--cap-drop" "ALL" "--cap-add" "CHOWN" "--cap-add" "DAC_OVERRIDE" "--cap-add" "NET_BIND_SERVICE" "--cap-add" "SETGID" "--cap-add" "SETUID" "--security-opt"' "$out/nginx.service"
ok $? "nginx example: drop ALL, add CHOWN DAC_OVERRIDE NET_BIND_SERVICE SETGID SETUID"
grep -q '"--security-opt" "label=type:docker_apache_t"' "$out/apache.service" &&
        grep -q '"--security-opt" "label=level:TopSecret"' "$out/apache.service"
ok $? "apache example: SELinux type docker_apache_t at level TopSecret"
grep -q '"--rootfs" "/var/tmp/berth-rootfs"' "$out/demo.service"
ok $? "demo example: runs the busybox root /var/tmp/berth-rootfs"
[ -L "$out/multi-user.target.wants/ntpd.service" ]
ok $? "ntpd example: enabled for multi-user.target by its [Install]"

units=$(cd "$out" && ls ./*.service)
# shellcheck disable=SC2086
verify_out=$(cd "$out" && SYSTEMD_UNIT_PATH=$out: systemd-analyze verify --man=no $units 2>&1)
rc=$?
ok "$([ "$rc:$verify_out" = "0:" ]; echo $?)" "systemd-analyze verify accepts every example unit" || diag_text "$verify_out"

tap_done
