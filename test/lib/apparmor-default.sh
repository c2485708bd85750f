#!/bin/bash
# Where the running kernel has AppArmor on, berth-exec confines every container with
# berth-default and refuses to start one when that profile can be neither found loaded nor
# loaded from /etc/apparmor.d (fail closed). `meson install` puts it there; the demo and
# the test suite run berth from a build directory, so they put the project's copy there
# themselves when it is missing or differs. Nothing happens where AppArmor is off.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] || exit 0
target=/etc/apparmor.d/berth-default
if ! cmp -s "$src/conf/apparmor/berth-default" "$target"; then
        echo "apparmor-default: AppArmor is on: installing berth-default as $target" >&2
        install -D -m 0644 "$src/conf/apparmor/berth-default" "$target"
fi
