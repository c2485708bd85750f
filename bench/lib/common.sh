# shellcheck shell=bash
# Shared by bench/*.sh: where things are, and building what the benchmarks run.
bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
src_dir=$(cd "$bench_dir/.." && pwd)
: "${BENCH_ROOTFS:=/var/tmp/berth-bench-rootfs}"  # make-rootfs.sh's busybox root, a copy of our own
# so the test suites' refreshing /var/tmp/berth-rootfs cannot change it mid-run
: "${BENCH_BUILD:=$src_dir/build-bench}"       # berth, buildtype=release, as installed
# (berth-exec a static PIE: no dynamic loader on the start path, src/exec/meson.build)
# The same tree with -Dprefer_static=false: berth-exec with shared libraries, as the
# sanitizer and valgrind builds have it, to show what static linking is worth.
: "${BENCH_BUILD_SHARED:=$src_dir/build-bench-shared}"
: "${BENCH_OUT:=$bench_dir/results}"           # git-ignored
work=$BENCH_OUT/work
berth_exec=$BENCH_BUILD/src/exec/berth-exec
berth_exec_shared=$BENCH_BUILD_SHARED/src/exec/berth-exec
berth_generator=$BENCH_BUILD/generators/berth-generator
docker_caps="CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE"

# What a contender's payload sees, one KEY=VALUE a line (check.sh compares it).
probe_script='for n in mnt pid net ipc uts; do echo "$n=$(readlink /proc/self/ns/$n)"; done
grep -E "^(CapEff|CapBnd|NoNewPrivs|Seccomp):" /proc/self/status | tr -d " \t" | sed "s/:/=/"
echo "root=$(cat /etc/berth-rootfs)"
echo "procs=$(ls -d /proc/[0-9]* | wc -l)"'

bench_fail() { echo "bench: $*" >&2; exit 1; }

build_berth() {
        # prefer_static spelled out: a build dir set up before it was the default keeps
        # whatever it had on --reconfigure.
        if [ -d "$BENCH_BUILD" ]; then
                meson setup --reconfigure "$BENCH_BUILD" "$src_dir" --buildtype=release -Dprefer_static=true >/dev/null
        else
                meson setup "$BENCH_BUILD" "$src_dir" --buildtype=release -Dprefer_static=true >/dev/null
        fi || bench_fail "meson setup $BENCH_BUILD failed"
        ninja -C "$BENCH_BUILD" >"$BENCH_BUILD.log" 2>&1 || { tail -30 "$BENCH_BUILD.log" >&2; bench_fail "building berth failed (log: $BENCH_BUILD.log)"; }
        if [ -d "$BENCH_BUILD_SHARED" ]; then
                meson setup --reconfigure "$BENCH_BUILD_SHARED" "$src_dir" --buildtype=release -Dprefer_static=false >/dev/null
        else
                meson setup "$BENCH_BUILD_SHARED" "$src_dir" --buildtype=release -Dprefer_static=false >/dev/null
        fi || bench_fail "meson setup $BENCH_BUILD_SHARED failed"
        ninja -C "$BENCH_BUILD_SHARED" src/exec/berth-exec src/exec/berth-init >"$BENCH_BUILD_SHARED.log" 2>&1 || {
                tail -30 "$BENCH_BUILD_SHARED.log" >&2
                bench_fail "building the shared berth-exec failed (log: $BENCH_BUILD_SHARED.log)"
        }
}

# The floor, its filter, the profile and the OCI bundles, all under $work.
prepare_peers() {
        mkdir -p "$work"
        bash "$src_dir/test/lib/make-rootfs.sh" "$BENCH_ROOTFS" >/dev/null
        local cflags="-O2 -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes -Werror"
        # shellcheck disable=SC2086
        gcc $cflags -o "$work/floor" "$bench_dir/floor.c" || bench_fail "compiling floor.c failed"
        # shellcheck disable=SC2086
        gcc $cflags -static -o "$work/floor-static" "$bench_dir/floor.c" || bench_fail "compiling floor.c (static) failed"
        # shellcheck disable=SC2086
        gcc $cflags -o "$work/floor-bpf" "$bench_dir/floor-bpf.c" -lseccomp -ljson-c || bench_fail "compiling floor-bpf.c failed"
        # A Docker profile shipped as test data by the hardening layer is the reference
        # when present; otherwise the bench's own Docker-like list.
        local docker_json
        docker_json=$(ls "$src_dir"/test/hardening/*docker*default*.json "$src_dir"/test/hardening/data/*docker*.json 2>/dev/null | head -1 || true)
        if [ -n "$docker_json" ]; then
                python3 "$bench_dir/lib/seccomp-profile.py" --docker-json "$docker_json" >"$work/seccomp.json"
                echo "docker: $docker_json" >"$work/seccomp.source"
        else
                python3 "$bench_dir/lib/seccomp-profile.py" >"$work/seccomp.json"
                echo "builtin: bench/lib/seccomp-profile.py" >"$work/seccomp.source"
        fi || bench_fail "writing the seccomp profile failed"
        "$work/floor-bpf" "$work/seccomp.json" "$work/filter.bpf" || bench_fail "compiling the floor's filter failed"
        python3 "$bench_dir/lib/oci-bundle.py" "$BENCH_ROOTFS" "$work/seccomp.json" "$work/bundle" &&
                python3 "$bench_dir/lib/oci-bundle.py" "$BENCH_ROOTFS" "$work/seccomp.json" "$work/bundle-probe" -- /bin/sh -c "$probe_script" ||
                bench_fail "writing the OCI bundles failed"
        mkdir -p /run/bench-crun /run/bench-runc
}

contender_names=("berth-exec" "berth-exec --net=host" "berth-exec (shared libraries)" "crun" "runc" "bwrap" "nspawn" "floor" "floor (static)")
# BENCH_ONLY="crun,floor" narrows the set (for working on one contender; run.sh reports
# whatever it ran, and the full comparison is the default).
if [ -n "${BENCH_ONLY:-}" ]; then
        IFS=, read -r -a contender_names <<<"$BENCH_ONLY"
fi

# Sets the array cmd to contender NAME's command line running PAYLOAD... in the busybox
# root. The OCI runtimes take the payload from their bundle: BUNDLE names it
# ($work/BUNDLE, its --net-host twin $work/BUNDLE-nethost).
#   contender_cmd NAME BUNDLE PAYLOAD...
contender_cmd() {
        local name=$1 bundle=$2 root=$BENCH_ROOTFS c
        shift 2
        case $name in
        "berth-exec") cmd=("$berth_exec" --name bench --rootfs "$root" -- "$@") ;;
        "berth-exec --net=host") cmd=("$berth_exec" --name bench --net=host --rootfs "$root" -- "$@") ;;
        "berth-exec (shared libraries)") cmd=("$berth_exec_shared" --name bench --rootfs "$root" -- "$@") ;;
        crun) cmd=(crun --cgroup-manager=disabled --root /run/bench-crun run -b "$work/$bundle" bench-crun) ;;
        runc) cmd=(runc --root /run/bench-runc run -b "$work/$bundle" bench-runc) ;;
        bwrap)
                # bwrap as root keeps every capability unless told otherwise.
                cmd=(bwrap --unshare-all --bind "$root" / --proc /proc --dev /dev --cap-drop ALL)
                for c in $docker_caps; do cmd+=(--cap-add "CAP_$c"); done
                cmd+=("$@") ;;
        nspawn)
                # --private-network: the same namespaces as the others (nspawn shares the
                # host's network by default); the rest keeps nspawn from touching the root.
                cmd=(systemd-nspawn --register=no --keep-unit -q --console=pipe --private-network
                     --resolv-conf=off --timezone=off --link-journal=no -D "$root" "$@") ;;
        floor) cmd=("$work/floor" "$root" "$work/filter.bpf" "$@") ;;
        "floor (static)") cmd=("$work/floor-static" "$root" "$work/filter.bpf" "$@") ;;
        *) bench_fail "unknown contender '$name'" ;;
        esac
}

# crun 1.8 refuses this host's v1/v2 hybrid cgroups ("drop all controllers from
# cgroupv2"). Every contender therefore runs in one private mount namespace whose
# /sys/fs/cgroup is the plain cgroup2 hierarchy; crun is told not to manage cgroups at all
# (berth-exec creates none either: systemd does that for the unit).
in_bench_ns() {
        # nice -19: the machine is shared with other builds and tests; the bench process tree
        # gets the CPU first so their load blurs the comparison less.
        nice -n -19 unshare -m --propagation private -- bash -c 'mount -t cgroup2 cgroup2 /sys/fs/cgroup && exec "$@"' bench-ns "$@"
}
