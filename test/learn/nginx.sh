#!/bin/bash
# berth learn on a real service: nginx from Debian's package (a root built by
# test/lib/debian-root.sh), checked with curl. The learned set must be a subset of the
# vendor's list (CHOWN DAC_OVERRIDE NET_BIND_SERVICE SETGID SETUID), say why each capability
# stayed, and the service must pass its check under the learned caps and profile (the
# generated unit's ExecStart, run).
# The container's network is a namespace the test makes (ip netns), not the host's: other
# tests may hold the host's port 80; the check enters it with `ip netns exec`.
. "$(dirname "$0")/../lib/common.sh"

[ "$(id -u)" -eq 0 ] || tap_skip_all "berth learn needs root"
debian_root=$BERTH_SOURCE_DIR/test/lib/debian-root.sh
[ -f "$debian_root" ] || tap_skip_all "test/lib/debian-root.sh (roots from Debian packages) is not in this tree"
export BERTH_EXEC_PATH=$BERTH_EXEC_BIN

root=$(bash "$debian_root" learn-nginx nginx curl) || tap_skip_all "cannot build an nginx root from Debian packages"
tmp=$(scratch_dir)
netns=learn-nginx-$$
ip netns add "$netns" || tap_skip_all "ip netns add failed"
server=
cleanup() {
        [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
        ip netns delete "$netns" 2>/dev/null
        rm -rf "$BERTH_TEST_TMP"
}
trap cleanup EXIT
ip netns exec "$netns" ip link set lo up
check="ip netns exec $netns curl -fsS -o /dev/null http://127.0.0.1/"

mkdir -p "$tmp/sites" "$tmp/units"
cat >"$tmp/sites/default" <<'EOF2'
server {
        listen 80 default_server;
        root /usr/share/nginx/html;
        index index.html;
}
EOF2
name=learn-nginx
vendor="CHOWN DAC_OVERRIDE NET_BIND_SERVICE SETGID SETUID"
cat >"$tmp/units/$name.container" <<EOF2
[Container]
RootDirectory=$root
Exec=/usr/sbin/nginx -g "daemon off;"
DropCapability=ALL
AddCapability=$vendor
NetworkNamespace=/run/netns/$netns
ReadOnly=yes
Tmpfs=/run
Tmpfs=/var/lib/nginx
Tmpfs=/var/log/nginx
Volume=$tmp/sites:/etc/nginx/sites-enabled:ro
EOF2

start=$(date +%s.%N)
report=$(BERTH_UNIT_PATH=$tmp/units berth_cli learn "$name" --check "$check" --duration 5 --write 2>"$tmp/stderr")
rc=$?
end=$(date +%s.%N)
is "$rc" 0 "berth learn $name --check curl ($(tr '\n' ' ' <"$tmp/stderr" | head -c 500))"
diag_text "$report"
diag "berth learn took $(echo "$end - $start" | bc) s"
dropin=$tmp/units/$name.container.d/50-learned.conf
learned=$(grep '^AddCapability=.' "$dropin" | sed 's/^AddCapability=//' | sort | xargs)
diag "learned: $learned"
extra=
for c in $learned; do [[ " $vendor " == *" $c "* ]] || extra+=" $c"; done
is "$extra" "" "the learned set ($learned) is a subset of the vendor's ($vendor)"
[[ " $learned " == *" NET_BIND_SERVICE "* ]]
ok $? "NET_BIND_SERVICE stayed (port 80)"
missing_why=
for c in $learned; do
        lc=$(echo "$c" | tr 'A-Z' 'a-z')
        grep -B1 "^AddCapability=$c\$" "$dropin" | grep -q "^# $lc: needed by [a-z]" || missing_why+=" $c"
done
is "$missing_why" "" "the drop-in says which system calls needed each capability"
like "$report" "dac_override +(pruned|-) +- removed" "the report: the vendor's DAC_OVERRIDE is removed"

exec_start=$(BERTH_UNIT_PATH=$tmp/units berth_cli generate --dry-run 2>/dev/null | grep '^ExecStart=' | head -1)
like "$exec_start" "seccomp=$tmp/units/$name.container.d/50-learned.json" "the unit carries the learned profile"
eval "set -- ${exec_start#ExecStart=}"
"$@" >"$tmp/server.log" 2>&1 &
server=$!
passed=1
for _ in $(seq 50); do
        $check 2>/dev/null && { passed=0; break; }
        sleep 0.1
done
ok $passed "nginx passes its check under the learned caps and profile ($(head -c 300 "$tmp/server.log"))"
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=

tap_done
