#!/bin/bash
# Runs berth's libFuzzer targets for a total time, as TAP (one line per target):
#   fuzz/run.sh SECONDS [TARGET...]        targets: description exec-argv seccomp-json
# Builds a clang build with -fsanitize=fuzzer,address,undefined in $BERTH_FUZZ_BUILD
# (default: build-fuzz in the source tree). Seeds come from fuzz/corpus/TARGET and
# fuzz/regressions/TARGET; the growing corpus is kept in $BERTH_FUZZ_CORPUS/TARGET (default
# /var/tmp/berth-fuzz) so long runs resume. A crash fails the run; the input is saved in
# $BERTH_FUZZ_CORPUS/artifacts and belongs in fuzz/regressions/TARGET once fixed.
# Extra libFuzzer flags: BERTH_FUZZ_FLAGS (e.g. "-fork=1" or "-jobs=1").
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
total=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(description exec-argv seccomp-json)
build=${BERTH_FUZZ_BUILD:-$src/build-fuzz}
corpus_root=${BERTH_FUZZ_CORPUS:-/var/tmp/berth-fuzz}

echo "TAP version 13"
n=0
failed=0
tap() { # STATUS NAME
        n=$((n + 1))
        if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

if ! command -v clang >/dev/null; then
        tap 1 "clang is installed (test/lib/install-deps.sh installs clang and libclang-rt-14-dev)"
        echo "1..$n"; exit 1
fi
(
        flock 9
        if [ ! -f "$build/build.ninja" ]; then
                # a half-configured dir (an earlier setup failed) cannot be set up again
                rm -rf "$build"
                CC=clang meson setup "$build" "$src" -Dfuzzing=true -Dwerror=false \
                        -Db_sanitize=address,undefined -Db_lundef=false \
                        "-Dc_args=-fsanitize=fuzzer-no-link -fsanitize-coverage-ignorelist=$src/fuzz/coverage-ignore.txt" >"$build.setup.log" 2>&1 || { cat "$build.setup.log" >&2; exit 1; }
        fi
        ninja -C "$build" "${targets[@]/#/fuzz/fuzz-}" >"$build.log" 2>&1 || { tail -50 "$build.log" >&2; exit 1; }
) 9>"$build.lock"
tap $? "build the fuzz targets with clang -fsanitize=fuzzer,address,undefined"
[ "$failed" -eq 0 ] || { echo "1..$n"; exit 1; }

per_target=$((total / ${#targets[@]}))
[ "$per_target" -ge 1 ] || per_target=1
mkdir -p "$corpus_root/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
for t in "${targets[@]}"; do
        work=$corpus_root/$t
        log=$corpus_root/$t.log
        mkdir -p "$work"
        # shellcheck disable=SC2086
        "$build/fuzz/fuzz-$t" -max_total_time="$per_target" -print_final_stats=1 -timeout=60 -rss_limit_mb=2048 \
                -artifact_prefix="$corpus_root/artifacts/$t-" ${BERTH_FUZZ_FLAGS:-} \
                "$work" "$src/fuzz/corpus/$t" "$src/fuzz/regressions/$t" >"$log" 2>&1
        rc=$?
        execs=$(grep -ho 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s += $2} END {print s + 0}')
        tap $rc "fuzz-$t ran ${per_target}s without a crash ($execs executions)"
        if [ $rc -ne 0 ]; then
                grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 | sed 's/^/# /'
        fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
