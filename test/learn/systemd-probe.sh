#!/bin/bash
# Runs inside the booted systemd of test/learn/systemd.sh: installs the learned descriptions
# and starts them with systemctl. TAP into RESULTS/tap.
results=$1
exec >"$results/tap" 2>&1
n=0
t() { # STATUS NAME
        n=$((n + 1))
        if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi
}
units=$(cat /usr/local/lib/berth-test/units)
cp -r "$units/." /etc/berth/
systemctl daemon-reload

# run NAME: start it, wait until it is over, print "Result ExecMainStatus"
run() {
        systemctl start "$1.service"
        for _ in $(seq 100); do
                [ "$(systemctl show -P ActiveState "$1.service")" = active ] || break
                sleep 0.1
        done
        echo "$(systemctl show -P Result "$1.service") $(systemctl show -P ExecMainStatus "$1.service")"
}

exec_start=$(systemctl show -P ExecStart learn-fixture.service)
case $exec_start in
*"--cap-drop ALL --cap-add CHOWN --cap-add DAC_READ_SEARCH --cap-add NET_BIND_SERVICE --cap-add SYS_TIME "*"seccomp=$units/learn-fixture.container.d/50-learned.json"*) r=0 ;;
*) r=1 ;;
esac
t $r "the unit carries the learned capabilities and profile"
[ $r -eq 0 ] || echo "# $exec_start"

got=$(run learn-fixture)
[ "$got" = "success 0" ]
t $? "systemctl start learn-fixture: the fixture works under the learned drop-in (Result ExecMainStatus: $got)"
got=$(run learn-fixture-less)
[ "$got" = "exit-code 1" ]
t $? "control: without SYS_TIME the unit fails ($got)"
run learn-fixture-forbidden >/dev/null
o=$(journalctl -q -o cat -u learn-fixture-forbidden.service | grep -E '^(unshare|keyctl|mount)=' | tr '\n' ' ')
[ "$o" = "unshare=EPERM keyctl=EPERM mount=EPERM " ]
t $? "under the learned profile unshare, keyctl and mount get EPERM, CAP_SYS_ADMIN or not ($o)"
echo "1..$n"
