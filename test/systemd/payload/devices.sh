#!/bin/sh
# In the container (probe-devices-notify.sh): which device nodes open. One line each:
#   NAME: ok | NAME: <the shell's error>
# shipped: a block node shipped in the root (b 7:0); made: one made with mknod on a tmpfs the
# container mounted itself (needs SYS_ADMIN: the device cgroup is then all that stops it).
# devices.sh [DEVICE [once]]: also try DEVICE; with once, exit instead of staying up.
try() { # NAME PATH
        if err=$( (exec 3<"$2") 2>&1); then echo "$1: ok"; else echo "$1: ${err##*: }"; fi
}
try shipped /shipped/loop0
try null /dev/null
[ -n "$1" ] && [ "$1" != - ] && try device "$1"
if mkdir -p /tmp/own && mount -t tmpfs -o dev tmpfs /tmp/own 2>/dev/null; then
        if err=$(mknod /tmp/own/loop0 b 7 0 2>&1); then
                try made /tmp/own/loop0
        else
                echo "made: mknod: ${err##*: }"
        fi
else
        echo "made: no tmpfs of its own"
fi
echo devices-done
[ "$2" = once ] && exit 0
exec sleep 100000
