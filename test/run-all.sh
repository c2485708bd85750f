#!/bin/bash
# Runs berth's whole test suite on a fresh Debian 12 machine, as root:
#   installs dependencies, builds, runs every layer (unit, generator, exec, hardening,
#   systemd in nspawn, SELinux in qemu), then again under ASan+UBSan and under valgrind,
#   and ends with the line "N passed, N failed" (counted over TAP results).
# Environment: CI=true turns skips of root/nspawn/qemu layers into failures and adds -Werror.
#   BERTH_PASSES="plain asan valgrind" picks passes; BERTH_SUITES restricts suites.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"

bash test/lib/install-deps.sh || { echo "install-deps failed"; echo "0 passed, 1 failed"; exit 1; }

bash test/lib/apparmor-default.sh || { echo "apparmor-default failed"; echo "0 passed, 1 failed"; exit 1; }

export BERTH_ROOTFS=${BERTH_ROOTFS:-/var/tmp/berth-rootfs}
bash test/lib/make-rootfs.sh "$BERTH_ROOTFS" >/dev/null

werror=false
[ "${CI:-}" = true ] && werror=true
passes=${BERTH_PASSES:-plain asan valgrind}
suites=${BERTH_SUITES:-}
status=0
logs=()

setup() { # DIR ARGS...
        local dir=$1; shift
        if [ -d "$dir" ]; then
                meson setup --reconfigure "$dir" -Dwerror=$werror "$@" >/dev/null
        else
                meson setup "$dir" -Dwerror=$werror "$@" >/dev/null
        fi || return 1
        ninja -C "$dir" >"$dir.build.log" 2>&1 || { cat "$dir.build.log"; return 1; }
}

run_pass() { # NAME DIR SUITES MESON-TEST-ARGS...
        local name=$1 dir=$2 pass_suites=$3; shift 3
        local args=()
        for s in $pass_suites; do
                if [ -z "$suites" ] || [[ " $suites " == *" $s "* ]]; then args+=(--suite "$s"); fi
        done
        [ ${#args[@]} -gt 0 ] || return 0
        echo "== pass $name: ${args[*]}"
        meson test -C "$dir" --print-errorlogs --num-processes 2 "${args[@]}" "$@" || status=1
        # With --setup NAME (the asan and valgrind passes) meson writes testlog-NAME.json.
        if [ "$name" = plain ]; then logs+=("$name:$dir/meson-logs/testlog.json"); else logs+=("$name:$dir/meson-logs/testlog-$name.json"); fi
}

all_suites="unit generator exec hardening fuzz systemd selinux apparmor"
for pass in $passes; do
        case $pass in
        plain)
                # as installed: berth-exec a static PIE (spelled out for build dirs set up
                # before that was the default)
                setup build -Dprefer_static=true || { echo "0 passed, 1 failed"; exit 1; }
                run_pass plain build "$all_suites learn"
                ;;
        asan)
                # ASan+UBSan on everything that does not boot another kernel or systemd.
                setup build-asan -Db_sanitize=address,undefined -Db_lundef=false || { echo "0 passed, 1 failed"; exit 1; }
                ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
                        run_pass asan build-asan "unit generator exec hardening learn-asan" --setup asan
                ;;
        valgrind)
                # A build of its own with shared libraries: berth-exec is static by default,
                # and memcheck cannot follow a static binary's malloc.
                setup build-valgrind -Dprefer_static=false || { echo "0 passed, 1 failed"; exit 1; }
                run_pass valgrind build-valgrind "unit generator exec" --setup valgrind
                ;;
        esac
done

python3 test/lib/summarize.py "${logs[@]}"
rc=$?
[ $status -eq 0 ] && [ $rc -eq 0 ]
