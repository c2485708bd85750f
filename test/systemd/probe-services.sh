#!/bin/bash
# shellcheck disable=SC2016 # command lines are meant for the container's shell
# Real services as shipped: every description in conf/examples/ (installed as the package
# installs it), each on a root built from Debian's own packages (test/lib/debian-root.sh),
# started by the booted systemd and checked doing its job. Also readiness (Notify=healthy),
# reload, `berth exec` and `berth health` on them.
#
#   probe-services.sh --prepare OVERLAY-ROOT   on the host, before the boot (run.sh): builds
#                                              the roots (cached) and notes their paths
#   . probe-services.sh                        inside the booted system (from probe.sh)
#
# Servers listen in a network namespace this probe creates (loopback only): nothing is sent
# beyond it, and nothing collides with the host's or another test's port 80.

services_setup_nginx='ln -sf ../sites-available/default etc/nginx/sites-enabled/default; mkdir -p var/www/html; cp usr/share/nginx/html/index.html var/www/html/index.nginx-debian.html'
services_setup_apache='for m in mpm_event authz_core authz_host dir mime; do for f in etc/apache2/mods-available/$m.load etc/apache2/mods-available/$m.conf; do [ ! -e $f ] || ln -sf ../mods-available/${f##*/} etc/apache2/mods-enabled/; done; done; ln -sf ../sites-available/000-default.conf etc/apache2/sites-enabled/; mkdir -p var/www/html; cp usr/share/apache2/default-site/index.html var/www/html/'

if [ "${1:-}" = --prepare ]; then
        # On the host, before the overlay is mounted: the roots, from Debian's archive (cached
        # under /var/cache/berth-test), and their paths in DIR/service-roots for the probe.
        set -e
        lib=$(cd "$(dirname "${BASH_SOURCE[0]}")/../lib" && pwd)
        out=$2/service-roots
        {
                echo "nginx=$(bash "$lib/debian-root.sh" --setup "$services_setup_nginx" berth-nginx nginx busybox-static)"
                echo "apache=$(bash "$lib/debian-root.sh" --setup "$services_setup_apache" berth-apache apache2)"
                echo "ntpd=$(bash "$lib/debian-root.sh" --user ntpsec berth-ntpd ntpsec)"
        } >"$out.new"
        mv "$out.new" "$out"
        exit 0
fi

examples=/usr/local/share/doc/berth/examples
netns=berth-services
root_of() { sed -n "s/^$1=//p" /usr/local/lib/berth-test/service-roots; }
fetch() { # PATH [NETNS]: the page, from inside the namespace (python3: busybox-static's wget crashes in NSS here)
        ip netns exec "${2:-$netns}" python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1" + sys.argv[1], timeout=5).read().decode())' "${1:-/}" 2>&1
}

# The shipped file, unchanged, with a drop-in for where this test keeps things.
install_example() { # NAME ROOT [NETNS-PATH]
        cp "$examples/$1.container" /etc/berth/
        mkdir -p "/etc/berth/$1.container.d"
        {
                echo "[Container]"
                echo "RootDirectory=$2"
                [ -n "${3:-}" ] && echo "NetworkNamespace=$3"
        } >"/etc/berth/$1.container.d/50-test.conf"
}

# ---- templates at boot: [Install] DefaultInstance= and a symlinked instance description
for i in a b; do
        is "$(prop at-boot@$i.service ActiveState)" active "at-boot@$i.service was started at boot" || explain at-boot@$i.service
        wait_log at-boot@$i.service "^at-boot instance $i\$"
        ok $? "... as instance $i (%i reached the payload)" || explain at-boot@$i.service
done
is "$(prop at-boot@c.service ActiveState)" inactive "an instance neither named by DefaultInstance= nor linked is not started"
out=$(systemctl enable at-boot@c.service 2>&1)
rc=$?
[ "$rc" -ne 0 ]
ok $? "systemctl enable of a generated unit is refused, as berth.container(5) says (exit $rc: $(echo "$out" | head -n 1))"

ip netns del "$netns" 2>/dev/null
ip netns add "$netns" && ip -n "$netns" link set lo up
ok $? "a network namespace for the services ($netns, loopback up)"
ls "$examples"/*.container >/dev/null 2>&1
ok $? "the examples are installed in $examples"
diag "examples: $(cd "$examples" && ls | paste -sd' ')"

# ---- nginx: Debian's package, the vendor's capability list, Notify=healthy
nginx_root=$(root_of nginx)
install_example nginx "$nginx_root" "/run/netns/$netns"
systemctl daemon-reload
good=0 failed_at=
for i in $(seq 50); do
        # (50 starts in a row: systemd's start rate limit would stop them; it is not tested here)
        systemctl reset-failed nginx.service 2>/dev/null
        if systemctl start nginx.service && out=$(fetch /) && printf '%s' "$out" | grep -q 'Welcome to nginx'; then
                good=$((good + 1))
        elif [ -z "$failed_at" ]; then
                failed_at=$i
                diag "attempt $i: $(printf '%s' "$out" | head -n 3)"
        fi
        systemctl stop nginx.service
done
is "$good" 50 "nginx (Notify=healthy): 50 of 50 systemctl start + an immediate fetch succeed${failed_at:+ (first failure: $failed_at)}" ||
        explain nginx.service

systemctl start nginx.service
ok $? "systemctl start nginx.service" || explain nginx.service
pid=$(prop nginx.service MainPID)
out=$(berth exec nginx -- /bin/busybox cat /proc/self/status 2>&1)
rc=$?
is "$rc" 0 "berth exec nginx -- cat /proc/self/status exits 0"
is "$(printf '%s\n' "$out" | awk '$1 == "CapEff:" {print $2}')" 00000000000004c3 \
        "berth exec nginx: CapEff is the vendor's list (chown dac_override setgid setuid net_bind_service)"
is "$(printf '%s\n' "$out" | awk '$1 == "CapBnd:" {print $2}')" 00000000000004c3 "berth exec nginx: CapBnd the same"
is "$(printf '%s\n' "$out" | awk '$1 == "Seccomp:" {print $2}')/$(printf '%s\n' "$out" | awk '$1 == "NoNewPrivs:" {print $2}')" \
        2/1 "berth exec nginx: Seccomp: 2, NoNewPrivs: 1"
if [ -e /sys/fs/selinux/enforce ]; then
        label=$(berth exec nginx -- /bin/busybox cat /proc/self/attr/current 2>&1)
        is "$label" "$(cat /proc/"$pid"/task/*/children | xargs -n1 | head -n1 | xargs -I{} cat /proc/{}/attr/current)" \
                "berth exec nginx: the container's SELinux label"
else
        diag "SELinux is off in this system: the label of berth exec is tested in the SELinux VM only"
fi
berth exec nginx -- /bin/busybox sh -c 'exit 5' 2>/dev/null
is "$?" 5 "berth exec nginx: the command's exit status passes through (5)"
ns_out=$(berth exec nginx -- /bin/busybox readlink /proc/self/ns/net 2>&1)
is "$ns_out" "$(readlink /run/netns/$netns 2>/dev/null || ip netns exec "$netns" readlink /proc/self/ns/net)" \
        "berth exec nginx runs in nginx's network namespace"
out=$(berth health nginx 2>&1)
is "$?/$out" "0/healthy" "berth health nginx: healthy"

# reload: ReloadSignal=HUP reaches nginx's master, which re-reads its configuration
before=$(journalctl --no-pager -o cat -u nginx.service | grep -c 'reconfiguring')
systemctl reload nginx.service
ok $? "systemctl reload nginx.service" || explain nginx.service
for _ in $(seq 50); do
        [ "$(journalctl --no-pager -o cat -u nginx.service | grep -c 'reconfiguring')" -gt "$before" ] && break
        sleep 0.1
done
journalctl --no-pager -o cat -u nginx.service | grep 'signal 1 (SIGHUP) received' | grep -q reconfiguring
ok $? "the reload delivered SIGHUP to nginx (it logged: reconfiguring)" || explain nginx.service
is "$(prop nginx.service MainPID)/$(prop nginx.service ActiveState)" "$pid/active" "... and the unit kept its main process"
fetch / | grep -q 'Welcome to nginx'
ok $? "nginx still serves after the reload"

# a description whose bind fails: port 80 of its namespace is taken by a listener that never
# answers (so its health check cannot pass for it either)
ip netns add berth-busy && ip -n berth-busy link set lo up
ip netns exec berth-busy python3 -c 'import socket, time
s = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 80)); s.listen(); time.sleep(120)' &
squatter=$!
cp "$examples/nginx.container" /etc/berth/nginx-busy.container
mkdir -p /etc/berth/nginx-busy.container.d
printf '[Container]\nRootDirectory=%s\nNetworkNamespace=/run/netns/berth-busy\n' "$nginx_root" \
        >/etc/berth/nginx-busy.container.d/50-test.conf
systemctl daemon-reload
sleep 0.2
systemctl start nginx-busy.service 2>/dev/null
rc=$?
[ "$rc" -ne 0 ]
ok $? "a description whose bind fails (port 80 taken): systemctl start fails (exit $rc)" || explain nginx-busy.service
unit_log nginx-busy.service | grep -q 'Address already in use'
ok $? "... and says why (Address already in use)" || explain nginx-busy.service
kill "$squatter" 2>/dev/null
ip netns del berth-busy
systemctl stop nginx.service nginx-busy.service 2>/dev/null
systemctl reset-failed nginx-busy.service 2>/dev/null

# ReloadCmd=: run inside the container, like berth exec
mkdir -p /etc/berth/nginx.container.d
printf '[Container]\nReloadSignal=\nReloadCmd=/usr/sbin/nginx -s reload\n' >/etc/berth/nginx.container.d/60-reload-cmd.conf
systemctl daemon-reload
systemctl cat nginx.service | grep -q '^ExecReload=.*--enter.*nginx.*-s.*reload'
ok $? "ReloadCmd=: the unit's ExecReload= enters the container" || systemctl cat nginx.service | sed 's/^/#   /'
systemctl start nginx.service
before=$(unit_log nginx.service | grep -c 'reconfiguring')
systemctl reload nginx.service
ok $? "systemctl reload with ReloadCmd=/usr/sbin/nginx -s reload" || explain nginx.service
for _ in $(seq 50); do
        [ "$(unit_log nginx.service | grep -c 'reconfiguring')" -gt "$before" ] && break
        sleep 0.1
done
[ "$(unit_log nginx.service | grep -c 'reconfiguring')" -gt "$before" ]
ok $? "... nginx -s reload inside the container signalled its master" || explain nginx.service
systemctl stop nginx.service
rm /etc/berth/nginx.container.d/60-reload-cmd.conf /etc/berth/nginx-busy.container
rm -r /etc/berth/nginx-busy.container.d

# ---- a failing check after start ends the unit, and Restart= applies
cat >/etc/berth/sick.container <<EOF
[Container]
RootDirectory=$rootfs
Exec=/bin/sh -c 'touch /tmp/ok; sleep 1; rm /tmp/ok; exec sleep 1000'
Tmpfs=/tmp
Notify=healthy
HealthCmd=/bin/sh -c 'test -f /tmp/ok'
HealthInterval=200ms
HealthRetries=2
HealthOnFailure=kill
[Service]
Restart=on-failure
RestartSec=100ms
EOF
systemctl daemon-reload
systemctl start sick.service
ok $? "sick.service becomes ready (its check passes at first)" || explain sick.service
for _ in $(seq 100); do
        [ "$(prop sick.service NRestarts)" -ge 1 ] && break
        sleep 0.1
done
n=$(prop sick.service NRestarts)
[ "$n" -ge 1 ]
ok $? "after its check fails twice HealthOnFailure=kill ends it and Restart=on-failure starts it again (NRestarts=$n)" ||
        explain sick.service
journalctl --no-pager -o cat -u sick.service | grep -q 'unhealthy: 2 health checks in a row failed'
ok $? "the failing checks are in its journal" || explain sick.service
systemctl stop sick.service
rm /etc/berth/sick.container

# ---- apache: Debian's apache2, labels (ignored without SELinux), Notify=healthy
install_example apache "$(root_of apache)" "/run/netns/$netns"
systemctl daemon-reload
systemctl start apache.service && out=$(fetch /) && printf '%s' "$out" | grep -q 'Apache2 Debian Default Page'
ok $? "apache.container: systemctl start, then its page is served at once" || { diag "$out"; explain apache.service; }
pid=$(prop apache.service MainPID)
apache_log() { berth exec apache -- /usr/bin/perl -ne 'print if /SIGUSR1/' /var/log/apache2/error.log 2>&1; }
systemctl reload apache.service
for _ in $(seq 50); do apache_log | grep -q 'SIGUSR1' && break; sleep 0.1; done
apache_log | grep -q 'graceful restart'
ok $? "systemctl reload apache: ReloadSignal=USR1 (graceful restart) reached httpd (its error.log, read by berth exec)" || explain apache.service
fetch / | grep -q 'It works'
ok $? "apache still serves after the graceful restart (main PID $pid -> $(prop apache.service MainPID))"
systemctl stop apache.service

# ---- ntpd: Debian's ntpsec with SYS_TIME and NET_BIND_SERVICE only
install_example ntpd "$(root_of ntpd)" "/run/netns/$netns"
systemctl daemon-reload
systemctl start ntpd.service
ok $? "ntpd.container: systemctl start" || explain ntpd.service
for _ in $(seq 50); do
        ip netns exec "$netns" ss -Hunl 2>/dev/null | grep -q '127.0.0.1:123 ' && break
        sleep 0.1
done
ip netns exec "$netns" ss -Hunl | grep -q '127.0.0.1:123 '
ok $? "ntpd listens on UDP 127.0.0.1:123 (it could bind the privileged port)" || explain ntpd.service
is "$(prop ntpd.service ActiveState)" active "ntpd keeps running" || explain ntpd.service
berth caps ntpd | grep -E ' ntpd ' | grep -Eq ' (sys_time, net_bind_service|net_bind_service, sys_time)$'
ok $? "berth caps ntpd: ntpd has sys_time and net_bind_service, nothing else" || berth caps ntpd | sed 's/^/#   /'
systemctl stop ntpd.service

# ---- demo: the README's demo on the bundled busybox root
install_example demo "$rootfs"
systemctl daemon-reload
systemctl start demo.service
wait_log demo.service '^CapEff:'
unit_log demo.service | grep -q '^hostname: demo$'
ok $? "demo.container prints its host name (demo)" || explain demo.service
is "$(unit_log demo.service | sed -n 's/^CapEff:[[:space:]]*//p' | tail -n 1)" 0000000000000400 \
        "demo.container: CapEff is net_bind_service only"

ip netns del "$netns"
