#!/bin/bash
# How long `berth learn` takes (issue 14): the fixture payload (ad hoc, no check: one traced
# run and five pruning runs of a program that exits) and nginx from Debian's package with a
# curl check (test/learn/nginx.sh's setup; two of its pruning runs fail and wait out
# --duration 5). As root, after `meson setup build && ninja -C build`.
#   bash bench/learn.sh [RUNS]      (default 3) prints a Markdown table, writes
#                                   bench/results/learn.md
# Timed numbers are not assertions: nothing here runs in CI.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD:-$src/build}
runs=${1:-3}
berth=$build/src/cli/berth
export BERTH_EXEC_PATH=$build/src/exec/berth-exec
[ -x "$berth" ] && [ -x "$BERTH_EXEC_PATH" ] || { echo "build first: meson setup build && ninja -C build" >&2; exit 1; }
[ -x "$build/test/learn/learn-fixture" ] || ninja -C "$build" test/learn/learn-fixture >/dev/null
rootfs=${BERTH_ROOTFS:-/var/tmp/berth-rootfs}
[ -f "$rootfs/etc/berth-rootfs" ] || bash "$src/test/lib/make-rootfs.sh" "$rootfs" >/dev/null

tmp=$(mktemp -d /tmp/berth-bench-learn.XXXXXX)
netns=bench-learn-$$
cleanup() { ip netns delete "$netns" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

# fixture
cp -a "$rootfs" "$tmp/root"
install -m 0755 "$build/test/learn/learn-fixture" "$tmp/root/bin/learn-fixture"
mkdir -p "$tmp/data"
touch "$tmp/data/chown-me"
echo s3cret >"$tmp/data/secret"
chown 1000:1000 "$tmp/data/secret"
chmod 0600 "$tmp/data/secret"
fixture() {
        "$berth" learn --rootfs "$tmp/root" --volume "$tmp/data:/data" -- /bin/learn-fixture work >/dev/null 2>&1
}

# nginx
nginx_root=
if [ -f "$src/test/lib/debian-root.sh" ]; then
        nginx_root=$(bash "$src/test/lib/debian-root.sh" learn-nginx nginx curl)
        ip netns add "$netns"
        ip netns exec "$netns" ip link set lo up
        mkdir -p "$tmp/sites"
        printf 'server {\n  listen 80 default_server;\n  root /usr/share/nginx/html;\n}\n' >"$tmp/sites/default"
fi
nginx() {
        "$berth" learn --check "ip netns exec $netns curl -fsS -o /dev/null http://127.0.0.1/" --duration 5 \
                --net "ns:/run/netns/$netns" --read-only --tmpfs /run --tmpfs /var/lib/nginx --tmpfs /var/log/nginx \
                --volume "$tmp/sites:/etc/nginx/sites-enabled:ro" --rootfs "$nginx_root" \
                -- /usr/sbin/nginx -g "daemon off;" >/dev/null 2>&1
}

measure() { # NAME FUNCTION
        local t0 t1 all=()
        for _ in $(seq "$runs"); do
                t0=$(date +%s.%N)
                "$2" || { echo "| $1 | failed | | |"; return; }
                t1=$(date +%s.%N)
                all+=("$(echo "$t1 - $t0" | bc)")
        done
        printf '%s\n' "${all[@]}" | awk -v name="$1" '{ s += $1; if (min == "" || $1 < min) min = $1; if ($1 > max) max = $1 }
                END { printf "| %s | %.2f | %.2f | %.2f |\n", name, s / NR, min, max }'
}

{
        echo "| berth learn | mean s | min s | max s |"
        echo "|---|---:|---:|---:|"
        measure "fixture (ad hoc, no check; 4 capabilities kept)" fixture
        if [ -n "$nginx_root" ]; then
                measure "nginx, --check curl, --duration 5 (4 kept, 2 failing runs wait 5 s)" nginx
        else
                echo "| nginx | not run: test/lib/debian-root.sh missing | | |"
        fi
        echo
        echo "$runs runs each, $(nproc) CPUs, $(uname -r), $(date -u '+%Y-%m-%d %H:%M UTC')."
} | tee "$tmp/learn.md"
mkdir -p "$src/bench/results"
cp "$tmp/learn.md" "$src/bench/results/learn.md"
