#!/bin/bash
# berth verify against the container's root (verify-root.c): User=/Group= names in the root's
# /etc/passwd and /etc/group, WorkingDirectory= a directory in the root (or a mount), the
# programs of HealthCmd= and ReloadCmd=. Each error names FILE:LINE: Key.
. "$(dirname "$0")/../lib/common.sh"
ensure_rootfs

tmp=$(scratch_dir)
verify() { # NAME -> rc, $out
        out=$(BERTH_UNIT_PATH=$tmp berth_cli verify "$1" 2>&1)
        rc=$?
}
describe() { # NAME LINES...
        local name=$1
        shift
        { echo "[Container]"; echo "RootDirectory=$BERTH_ROOTFS"; echo "Exec=/bin/sh"; printf '%s\n' "$@"; } >"$tmp/$name.container"
}

describe good "User=www-data" "Group=staff" "WorkingDirectory=/srv" "HealthCmd=/bin/sh -c true" "ReloadCmd=kill -HUP 1"
verify good
is "$rc" 0 "names, directory and programs that the root has pass ($out)"
describe numeric "User=4242" "Group=4242" "WorkingDirectory=/scratch/new" "Tmpfs=/scratch"
verify numeric
is "$rc" 0 "numbers need no entry; a working directory under a Tmpfs= need not exist yet ($out)"

describe nouser "User=www-data" "User=nosuchuser"
verify nouser
is "$rc" 1 "an unknown User= name fails"
like "$out" "nouser.container:5: User: no user named 'nosuchuser' in $BERTH_ROOTFS/etc/passwd" "... with FILE:LINE: User: and the file"
describe nogroup "Group=nosuchgroup"
verify nogroup
like "$out" "nogroup.container:4: Group: no group named 'nosuchgroup'" "an unknown Group= name fails (exit $rc)"
describe nodir "WorkingDirectory=/no/such/dir"
verify nodir
like "$out" "nodir.container:4: WorkingDirectory: '/no/such/dir' is not a directory" "a missing WorkingDirectory= fails (exit $rc)"
describe filedir "WorkingDirectory=/bin/sh"
verify filedir
is "$rc" 1 "a WorkingDirectory= that is a file fails ($out)"
describe nohealth "HealthCmd=no-such-checker --quiet"
verify nohealth
like "$out" "nohealth.container:4: HealthCmd: 'no-such-checker' not found as an executable" "a HealthCmd= program missing from the root fails (exit $rc)"
describe noreload "ReloadCmd=/usr/sbin/no-such-reloader"
verify noreload
like "$out" "noreload.container:4: ReloadCmd: '/usr/sbin/no-such-reloader' is not an executable file" "so does a ReloadCmd= program (exit $rc)"
# the user must be found in the root's files, not the host's
grep -q '^systemd-network:' /etc/passwd && ! grep -q '^systemd-network:' "$BERTH_ROOTFS/etc/passwd" && {
        describe hostuser "User=systemd-network"
        verify hostuser
        is "$rc" 1 "a user only the host has is not taken from the host's /etc/passwd"
}
tap_done
