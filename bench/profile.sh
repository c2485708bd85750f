#!/bin/bash
# Where berth-exec's start time goes: the numbers behind bench/PROFILE.md.
# Times berth-exec with one feature off at a time against the floor with one cost added at
# a time (hyperfine, same rotated rounds as latency.sh), and records a syscall summary
# (strace -c), the dynamic loader's statistics (LD_DEBUG=statistics) and the libraries
# berth-exec maps. Writes $BENCH_OUT/profile/.
#   bench/profile.sh   (after bench/run.sh or bench/check.sh --prepare)
{ # read whole before it runs: editing this file during a run cannot change that run
set -euo pipefail
. "$(dirname "$0")/lib/common.sh"
out=$BENCH_OUT/profile
runs=${BENCH_RUNS:-100}
warmup=${BENCH_WARMUP:-10}
rounds=${BENCH_ROUNDS:-3}

# berth-exec is a static PIE by default; the same tree with shared libraries
# (-Dprefer_static=false) measures what dynamic linking would cost it.
shared=$BENCH_BUILD_SHARED

if [ -z "${BENCH_IN_NS:-}" ]; then
        mkdir -p "$out"
        root=$BENCH_ROOTFS
        [ -d "$shared" ] || meson setup "$shared" "$src_dir" --buildtype=release -Dprefer_static=false >/dev/null
        ninja -C "$shared" src/exec/berth-exec src/exec/berth-init >"$shared.log" 2>&1 || bench_fail "building $shared failed (log: $shared.log)"
        # The floor with the libraries berth-exec links (constructors and relocations
        # run, nothing is called), and with a filter for the native architecture only.
        gcc -O2 -o "$work/floor-libs" "$bench_dir/floor.c" -Wl,--no-as-needed -lselinux -lseccomp -ljson-c
        gcc -O2 -o "$work/floor-selinux" "$bench_dir/floor.c" -Wl,--no-as-needed -lselinux
        gcc -O2 -o "$work/floor-seccomp" "$bench_dir/floor.c" -Wl,--no-as-needed -lseccomp -ljson-c
        gcc -O2 -static -o "$work/floor-static" "$bench_dir/floor.c"
        # User-space instructions (callgrind), which the machine's load does not change. The
        # parent process's count: it starts the program (loader, relocations) and clones;
        # callgrind loses the namespaced child of berth-exec, so children are left out.
        # (valgrind does not know seccomp(2): the children fail under it, which is why the
        # pipelines may fail; the parents' counts are complete.)
        set +o pipefail
        for b in floor floor-selinux floor-seccomp floor-libs floor-static; do
                printf '%s: ' "$b"
                valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/$b" "$root" "$work/filter.bpf" /bin/true 2>&1 |
                        awk '/refs:/ { n = $NF } END { print n }'
        done >"$out/instructions.txt"
        printf 'berth-exec: ' >>"$out/instructions.txt"
        valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.berth-exec" "$berth_exec" --name bench --rootfs "$root" -- /bin/true 2>&1 |
                awk '/refs:/ { n = $NF } END { print n }' >>"$out/instructions.txt"
        for dir in "$shared"; do
                printf 'berth-exec (%s): ' "${dir##*/}"
                valgrind --tool=callgrind --callgrind-out-file=/dev/null "$dir/src/exec/berth-exec" --name bench --rootfs "$root" -- /bin/true 2>&1 |
                        awk '/refs:/ { n = $NF } END { print n }'
        done >>"$out/instructions.txt"
        set -o pipefail
        python3 - "$work/seccomp.json" "$work/seccomp-native.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1])); p["architectures"] = ["SCMP_ARCH_X86_64"]
json.dump(p, open(sys.argv[2], "w"))
PY
        "$work/floor-bpf" "$work/seccomp-native.json" "$work/filter-native.bpf"
        echo "filter instructions: $(($(stat -c %s "$work/filter.bpf") / 8)) (x86_64, x86, x32), $(($(stat -c %s "$work/filter-native.bpf") / 8)) (x86_64 only)" >"$out/filters.txt"

        strace -f -c -o "$out/strace-c.txt" "$berth_exec" --name bench --rootfs "$root" -- /bin/true
        strace -f -r -T -o "$out/strace-trace.txt" "$berth_exec" --name bench --rootfs "$root" -- /bin/true
        LD_DEBUG=statistics "$berth_exec" --name bench --rootfs "$root" -- /bin/true 2>"$out/ld-statistics.txt"
        LD_DEBUG=statistics "$work/floor" "$root" "$work/filter.bpf" /bin/true 2>"$out/ld-statistics-floor.txt"
        ldd "$berth_exec" >"$out/ldd.txt"
        BENCH_IN_NS=1 in_bench_ns bash "$0"
        exit
fi

root=$BENCH_ROOTFS
names=("berth-exec" "berth-exec --no-init" "berth-exec seccomp=unconfined" "berth-exec unnamed"
       "berth-exec, shared libraries"
       "floor" "floor + libselinux" "floor + libseccomp, json-c" "floor + berth's libraries" "floor, static"
       "floor, x86_64-only filter")
variant() {
        case $1 in
        "berth-exec") cmd=("$berth_exec" --name bench --rootfs "$root" -- /bin/true) ;;
        "berth-exec --no-init") cmd=("$berth_exec" --name bench --no-init --rootfs "$root" -- /bin/true) ;;
        "berth-exec seccomp=unconfined") cmd=("$berth_exec" --name bench --security-opt seccomp=unconfined --rootfs "$root" -- /bin/true) ;;
        "berth-exec unnamed") cmd=("$berth_exec" --rootfs "$root" -- /bin/true) ;;
        "berth-exec, shared libraries") cmd=("$shared/src/exec/berth-exec" --name bench --rootfs "$root" -- /bin/true) ;;
        "floor") cmd=("$work/floor" "$root" "$work/filter.bpf" /bin/true) ;;
        "floor + berth's libraries") cmd=("$work/floor-libs" "$root" "$work/filter.bpf" /bin/true) ;;
        "floor + libselinux") cmd=("$work/floor-selinux" "$root" "$work/filter.bpf" /bin/true) ;;
        "floor + libseccomp, json-c") cmd=("$work/floor-seccomp" "$root" "$work/filter.bpf" /bin/true) ;;
        "floor, static") cmd=("$work/floor-static" "$root" "$work/filter.bpf" /bin/true) ;;
        "floor, x86_64-only filter") cmd=("$work/floor" "$root" "$work/filter-native.bpf" /bin/true) ;;
        esac
}
rm -f "$out"/variants-r*.json
n=${#names[@]}
for ((r = 1; r <= rounds; r++)); do
        args=(-N --warmup "$warmup" --runs "$runs" --export-json "$out/variants-r$r.json" --style none)
        for ((i = 0; i < n; i++)); do
                name=${names[$(((i + r - 1) % n))]}
                variant "$name"
                args+=(-n "$name" "${cmd[*]@Q}")
        done
        hyperfine "${args[@]}"
done
python3 - "$out" <<'PY'
import glob, json, os, statistics, sys
out = sys.argv[1]
pooled, cpu = {}, {}
for path in sorted(glob.glob(os.path.join(out, "variants-r*.json"))):
    for res in json.load(open(path))["results"]:
        pooled.setdefault(res["command"], []).extend(t * 1000 for t in res["times"])
        cpu.setdefault(res["command"], []).append((res["user"] + res["system"]) * 1000)
lines = ["| variant | mean ms | ± σ | median ms | CPU ms (user+sys) | runs |", "|---|---:|---:|---:|---:|---:|"]
for name, t in pooled.items():
    lines.append(f"| {name} | {statistics.fmean(t):.2f} | {statistics.stdev(t):.2f} | {statistics.median(t):.2f} | "
                 f"{statistics.fmean(cpu[name]):.2f} | {len(t)} |")
open(os.path.join(out, "variants.md"), "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
exit
}
