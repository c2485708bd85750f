#!/bin/bash
# Builds the bundled busybox-static root used by the demo, the tests and the benchmarks.
# Idempotent: re-running refreshes it in place. No network beyond apt (busybox-static).
#   make-rootfs.sh DIR
set -euo pipefail
dir=${1:?usage: make-rootfs.sh DIR}

# The root has no libc: only the static busybox works inside it.
if ! dpkg -s busybox-static >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q busybox-static >/dev/null
fi

mkdir -p "$dir"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,home/app,var/tmp,usr/bin,usr/sbin,srv}
chmod 1777 "$dir/tmp" "$dir/var/tmp"
install -m 0755 /bin/busybox "$dir/bin/busybox"
for applet in $("$dir/bin/busybox" --list); do
        [ "$applet" = busybox ] && continue
        ln -sfn busybox "$dir/bin/$applet"
done

cat >"$dir/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/:/bin/false
www-data:x:33:33:www-data:/srv:/bin/false
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
cat >"$dir/etc/group" <<'G'
root:x:0:
daemon:x:1:
www-data:x:33:
app:x:1000:
staff:x:50:app
nogroup:x:65534:
G
chown -R 1000:1000 "$dir/home/app"
echo berth-rootfs >"$dir/etc/berth-rootfs"
: >"$dir/etc/hostname"
