#!/bin/bash
# berth learn end to end, on this kernel (the BPF tracer through the cap_capable tracepoint,
# or fexit where the tracepoint is missing), as root:
#   - the fixture payload (fixture.c: chown, bind port 80, read another user's 0600 file,
#     clock_settime) learns exactly {CHOWN, NET_BIND_SERVICE, DAC_READ_SEARCH, SYS_TIME},
#     once ad hoc (--rootfs) and once from a description (berth learn NAME --write);
#   - it runs with the learned drop-in and profile (the generated unit's ExecStart, run);
#   - without any one learned capability it fails;
#   - under the learned profile unshare, keyctl and mount get EPERM even with CAP_SYS_ADMIN,
#     and (control) get through without the profile;
#   - --from ALL prunes to the same set without tracing.
. "$(dirname "$0")/../lib/common.sh"

[ "$(id -u)" -eq 0 ] || tap_skip_all "berth learn needs root"
fixture_bin=$BERTH_BUILD_DIR/test/learn/learn-fixture
[ -x "$fixture_bin" ] || tap_skip_all "learn-fixture is not built ($fixture_bin)"
ensure_rootfs
export BERTH_EXEC_PATH=$BERTH_EXEC_BIN

tmp=$(scratch_dir)
root=$tmp/root
cp -a "$BERTH_ROOTFS" "$root"
install -m 0755 "$fixture_bin" "$root/bin/learn-fixture"
data=$tmp/data
mkdir -p "$data"
touch "$data/chown-me"
echo s3cret >"$data/secret"
chown 1000:1000 "$data/secret"
chmod 0600 "$data/secret"
want="CHOWN DAC_READ_SEARCH NET_BIND_SERVICE SYS_TIME"

added() { grep '^AddCapability=.' "$1" | sed 's/^AddCapability=//' | sort | xargs; }

# ---- ad hoc: berth learn --rootfs ----
out=$tmp/out
report=$(berth_cli learn --write --output "$out" --record "$tmp/events" --rootfs "$root" --volume "$data:/data" \
        -- /bin/learn-fixture work 2>"$tmp/stderr")
rc=$?
if [ $rc -ne 0 ] && grep -q "cannot trace" "$tmp/stderr"; then
        diag_text "$(cat "$tmp/stderr")"
        tap_skip_all "the BPF tracer cannot load on this kernel"
fi
is "$rc" 0 "berth learn ran (stderr: $(tr '\n' ' ' <"$tmp/stderr" | head -c 400))"
diag_text "$report"
is "$(added "$out/50-learned.conf")" "$want" "the fixture learns exactly {CHOWN, DAC_READ_SEARCH, NET_BIND_SERVICE, SYS_TIME}"
grep -q '^DropCapability=ALL$' "$out/50-learned.conf"
ok $? "the drop-in drops everything else"
grep -q "^SeccompProfile=$out/50-learned.json$" "$out/50-learned.conf"
ok $? "the drop-in names the profile written beside it"
grep -q '"defaultAction": "SCMP_ACT_ERRNO"' "$out/50-learned.json" && grep -q '"defaultErrnoRet": 1' "$out/50-learned.json"
ok $? "the profile's default is errno EPERM"
grep -q '^# sys_time: needed by clock_settime$' "$out/50-learned.conf" &&
        grep -q '^# net_bind_service: needed by bind$' "$out/50-learned.conf" &&
        grep -q '^# chown: needed by .*chown' "$out/50-learned.conf" &&
        grep -q '^# dac_read_search: needed by .*open' "$out/50-learned.conf"
ok $? "each capability's comment names the system call that needed it"
grep -q 'cap=sys_admin granted=yes .*syscall=execve' "$tmp/events"
ok $? "the tracer saw the overcommit CAP_SYS_ADMIN checks (which the classifier drops)"
like "$report" "sys_admin +noise" "the report calls sys_admin noise"
like "$report" "dac_override +- +- removed" "the report: dac_override (Docker default) removed"
! grep -q 'cap=setpcap' "$tmp/events"
ok $? "berth-exec's own setup (capset, prctl) is not traced"

# ---- runs with the learned settings ----
caps=()
for c in $want; do caps+=(--cap-add "$c"); done
run_fixture() { # PROFILE CAP-ARGS... -- FIXTURE-ARGS
        local profile=$1; shift
        local opts=()
        while [ "$1" != -- ]; do opts+=("$1"); shift; done
        shift
        berth_exec --rootfs "$root" --volume "$data:/data" --cap-drop ALL "${opts[@]}" \
                --security-opt "seccomp=$profile" -- /bin/learn-fixture "$@"
}
o=$(run_fixture "$out/50-learned.json" "${caps[@]}" -- work 2>&1)
ok $? "the fixture runs with the learned capabilities and profile"
for drop in $want; do
        less=()
        for c in $want; do [ "$c" = "$drop" ] || less+=(--cap-add "$c"); done
        o=$(run_fixture "$out/50-learned.json" "${less[@]}" -- work 2>&1)
        rc=$?
        [ $rc -ne 0 ]
        ok $? "without $drop the fixture fails (exit $rc: $(echo "$o" | grep -v ': ok' | head -1))"
done
o=$(run_fixture "$out/50-learned.json" "${caps[@]}" --cap-add SYS_ADMIN -- forbidden 2>&1)
is "$(echo "$o" | xargs)" "unshare=EPERM keyctl=EPERM mount=EPERM" \
        "under the learned profile unshare, keyctl and mount get EPERM (even with CAP_SYS_ADMIN)"
o=$(run_fixture unconfined "${caps[@]}" --cap-add SYS_ADMIN -- forbidden 2>&1)
is "$(echo "$o" | xargs)" "unshare=ok keyctl=ok mount=ok" "control: without the profile they get through"

# ---- a description: berth learn NAME --write, then the generated unit's ExecStart ----
units=$tmp/units
mkdir -p "$units"
name=learn-fixture
cat >"$units/$name.container" <<EOF2
[Container]
RootDirectory=$root
Exec=/bin/learn-fixture work
Volume=$data:/data
AddCapability=SYS_ADMIN
EOF2
printed=$(BERTH_UNIT_PATH=$units berth_cli learn "$name" 2>/dev/null)
[ ! -e "$units/$name.container.d" ] && printf '%s\n' "$printed" | grep -q '^AddCapability=SYS_TIME$' &&
        printf '%s\n' "$printed" | grep -q '^DropCapability=ALL$'
ok $? "without --write the drop-in is printed and nothing is written"
report=$(BERTH_UNIT_PATH=$units berth_cli learn "$name" --write 2>"$tmp/stderr")
is "$?" 0 "berth learn $name --write ($(tr '\n' ' ' <"$tmp/stderr" | head -c 300))"
dropin=$units/$name.container.d/50-learned.conf
is "$(added "$dropin")" "$want" "the description learns the same set"
like "$report" "sys_admin +noise +- removed" "the report: the description's SYS_ADMIN is removed"
BERTH_UNIT_PATH=$units berth_cli verify "$name" >/dev/null 2>"$tmp/stderr"
ok $? "berth verify accepts the description with the learned drop-in ($(head -c 200 "$tmp/stderr"))"
exec_start=$(BERTH_UNIT_PATH=$units BERTH_EXEC_PATH=$BERTH_EXEC_BIN berth_cli generate --dry-run 2>/dev/null |
        grep '^ExecStart=' | head -1) # the only description in $units
like "$exec_start" "--cap-drop\" \"ALL\".*--cap-add\" \"CHOWN\".*seccomp=$units/$name.container.d/50-learned.json" \
        "the generated unit carries the learned caps and profile"
eval "set -- ${exec_start#ExecStart=}"
o=$("$@" 2>&1)
ok $? "the generated ExecStart runs the fixture ($(echo "$o" | grep -v ': ok' | head -1))"

# ---- without BPF: one line why ----
# capsh (libcap2-bin) drops what loading BPF needs; the rest of the host stays as it is.
o=$(capsh --drop=cap_bpf,cap_perfmon,cap_sys_admin -- -c '"$@"' learn "$BERTH_CLI_BIN" learn --rootfs "$root" \
        --volume "$data:/data" -- /bin/learn-fixture work 2>&1)
rc=$?
[ $rc -eq 1 ] && [ "$(echo "$o" | wc -l)" -eq 1 ]
ok $? "without CAP_BPF: exit 1 and one line (exit $rc: $o)"
like "$o" "cannot trace: cannot load the BPF tracer .*Operation not permitted.*--from default\|ALL\|LIST" \
        "the line says why and names --from"

o=$(BERTH_LEARN_ATTACH=bogus berth_cli learn --rootfs "$root" -- /bin/learn-fixture work 2>&1)
rc=$?
[ $rc -eq 1 ] && [ "$(echo "$o" | wc -l)" -eq 1 ]
ok $? "BERTH_LEARN_ATTACH=bogus: exit 1, one line ($o)"

# ---- a stop signal mid-run: the container is stopped, the cgroup and temporary files go ----
"$BERTH_CLI_BIN" learn --duration 60 --rootfs "$root" -- /bin/sleep 987123 >/dev/null 2>&1 &
learner=$!
for _ in $(seq 50); do pgrep -f 'sleep 987123' >/dev/null && break; sleep 0.1; done
pgrep -f 'sleep 987123' >/dev/null
ok $? "the traced run of a long-running payload is up"
kill -TERM "$learner"
wait "$learner"
rc=$?
is "$rc" 143 "SIGTERM ends berth learn by that signal, after cleaning up"
! pgrep -f 'sleep 987123' >/dev/null
ok $? "the container was stopped"
is "$(find /sys/fs/cgroup -maxdepth 6 -type d -name "berth-learn-$learner" 2>/dev/null)" "" \
        "the learning cgroup was removed"

# ---- without tracing: --from ALL prunes alone ----
report=$(berth_cli learn --from ALL --output "$tmp/from" --write --rootfs "$root" --volume "$data:/data" \
        -- /bin/learn-fixture work 2>"$tmp/stderr")
is "$?" 0 "berth learn --from ALL ran"
is "$(added "$tmp/from/50-learned.conf")" "$want" "--from ALL prunes to the same set"
! grep -q '^SeccompProfile=' "$tmp/from/50-learned.conf"
ok $? "--from (not traced) writes no profile"

tap_done
