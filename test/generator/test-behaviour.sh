#!/bin/bash
# Generated units, run for real: each unit's ExecStart= is split the way systemd splits it
# (systemd_exec.py) and executed with the build's berth-exec on the busybox root; the tests
# read what the container itself reports (/proc/self/status, hostname, id, its files).
gen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$gen_dir/../lib/common.sh"

require_root
[ -x "$BERTH_EXEC_BIN" ] || tap_skip_all "berth-exec is not built ($BERTH_EXEC_BIN)"
ensure_rootfs

tmp=$(scratch_dir)
# Container names are unique to this run: berth-exec refuses a second running NAME, and other
# tests (or another run of this one) may be running containers at the same time.
p=gb$$-
etc=$tmp/etc
out=$tmp/out
examples=$BERTH_SOURCE_DIR/conf/examples

# generate: (re)writes every unit from $etc; stderr kept in $tmp/gen.err
generate() {
        rm -rf "$out" && mkdir -p "$out"
        BERTH_UNIT_PATH=$etc BERTH_EXEC_PATH=$BERTH_EXEC_BIN BERTH_LOG_STDERR=1 \
                berth_generator "$out" "$out" "$out" 2>"$tmp/gen.err"
}

# run_unit UNIT [INSTANCE]: runs the unit's command line as systemd would; output in $tmp/run.out
run_unit() {
        local argv=()
        mapfile -d '' argv < <(python3 "$gen_dir/systemd_exec.py" "$out/$1" "${2:-}")
        if [ ${#argv[@]} -eq 0 ]; then
                echo "no ExecStart in $1" >"$tmp/run.out"
                return 1
        fi
        # BERTH_WRAP (valgrind) wraps the helper, the unit's first word
        $BERTH_WRAP "${argv[@]}" >"$tmp/run.out" 2>"$tmp/run.err"
}

cap_eff() { sed -n 's/^CapEff:[[:space:]]*//p' "$tmp/run.out"; }

show_failure() { diag_text "generator: $(cat "$tmp/gen.err")"; diag_text "stdout: $(cat "$tmp/run.out")"; diag_text "stderr: $(cat "$tmp/run.err" 2>/dev/null)"; }

# --- the ntpd example as shipped, pointed at the busybox root by a drop-in ---
mkdir -p "$etc/${p}ntpd.container.d"
cp "$examples/ntpd.container" "$etc/${p}ntpd.container"
cat >"$etc/${p}ntpd.container.d/10-test-root.conf" <<EOF
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/sh -c 'grep ^Cap /proc/self/status'
EOF
generate
ok $? "the ntpd example and its drop-in generate" || show_failure
run_unit ${p}ntpd.service
ok $? "the ntpd unit's command runs" || show_failure
is "$(cap_eff)" "0000000002000400" "ntpd: the container's CapEff is sys_time + net_bind_service only" || show_failure
is "$(sed -n 's/^CapBnd:[[:space:]]*//p' "$tmp/run.out")" "0000000002000400" "ntpd: and so is its bounding set"

# a drop-in that adds a capability changes what the container gets
printf '[Container]\nAddCapability=CHOWN\n' >"$etc/${p}ntpd.container.d/20-add.conf"
generate && run_unit ${p}ntpd.service
is "$(cap_eff)" "0000000002000401" "a drop-in adding CHOWN: CapEff is sys_time + net_bind_service + chown" || show_failure

# a drop-in that resets both lists: back to Docker's default 14
printf '[Container]\nDropCapability=\nAddCapability=\n' >"$etc/${p}ntpd.container.d/30-reset.conf"
generate && run_unit ${p}ntpd.service
is "$(cap_eff)" "00000000a80425fb" "a drop-in resetting the lists: CapEff is Docker's default set" || show_failure

# a masked drop-in (/dev/null) in a higher-priority dir takes the reset away again
mkdir -p "$tmp/high/${p}ntpd.container.d"
ln -s /dev/null "$tmp/high/${p}ntpd.container.d/30-reset.conf"
rm -rf "$out" && mkdir -p "$out"
BERTH_UNIT_PATH=$tmp/high:$etc BERTH_EXEC_PATH=$BERTH_EXEC_BIN berth_generator "$out" 2>"$tmp/gen.err" && run_unit ${p}ntpd.service
is "$(cap_eff)" "0000000002000401" "masking the reset drop-in restores sys_time + net_bind_service + chown" || show_failure
rm -rf "$etc/${p}ntpd.container.d/20-add.conf" "$etc/${p}ntpd.container.d/30-reset.conf"

# --- berth.conf defaults reach the container; a description overrides them ---
cat >"$etc/berth.conf" <<EOF
[Defaults]
DropCapability=ALL
AddCapability=KILL
EOF
cat >"$etc/${p}plain.container" <<EOF
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/sh -c 'grep ^CapEff /proc/self/status'
EOF
generate && run_unit ${p}plain.service
is "$(cap_eff)" "0000000000000020" "berth.conf [Defaults] DropCapability=ALL AddCapability=KILL: CapEff is kill" || show_failure
rm -f "$etc/berth.conf"

# --- the README demo: host name and capabilities as the container sees them ---
cp "$examples/demo.container" "$etc/${p}demo.container"
sed -i "s|^RootDirectory=.*|RootDirectory=$BERTH_ROOTFS|" "$etc/${p}demo.container"
generate && run_unit ${p}demo.service
ok $? "the demo unit runs" || show_failure
grep -qx "hostname: demo" "$tmp/run.out"
ok $? "demo: the container's host name is demo" || show_failure
is "$(cap_eff)" "0000000000000400" "demo: CapEff is net_bind_service only" || show_failure

# --- $ and % reach the payload as written: systemd expands neither ---
cat >"$etc/${p}quoting.container" <<EOF
[Container]
RootDirectory=$BERTH_ROOTFS
Environment=MSG=\$HOME "SPACED=a  b" 'PCT=100%%'
Exec=/bin/sh -c 'printf "%%s|%%s|%%s|%%s\\n" "\$MSG" "\$SPACED" "\$PCT" "\$1"' sh "it's \\"quoted\\""
EOF
generate && run_unit ${p}quoting.service
is "$(cat "$tmp/run.out")" "\$HOME|a  b|100%|it's \"quoted\"" "Environment= and Exec= values arrive exactly as written" || show_failure

# --- a template instance gets its own name and %i ---
cat >"$etc/${p}greet@.container" <<EOF
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/echo hello %i
EOF
generate && run_unit "${p}greet@.service" world
is "$(cat "$tmp/run.out")" "hello world" "template greet@world: %i reaches the payload" || show_failure

# --- ReadOnly=, Volume=:ro, Tmpfs=, User=, Group= as the container sees them ---
mkdir -p "$tmp/vol" && echo host-data >"$tmp/vol/file"
cat >"$etc/${p}files.container" <<EOF
[Container]
RootDirectory=$BERTH_ROOTFS
ReadOnly=yes
Volume=$tmp/vol:/data:ro
Tmpfs=/scratch
Exec=/bin/sh -c 'cat /data/file; touch /berth-ro-probe || echo root-read-only; touch /data/x || echo volume-read-only; touch /scratch/x && echo tmpfs-writable'
EOF
generate && run_unit ${p}files.service
is "$(tr '\n' ' ' <"$tmp/run.out")" "host-data root-read-only volume-read-only tmpfs-writable " \
        "ReadOnly=yes, Volume=...:ro and Tmpfs= as seen inside" || show_failure
[ ! -e "$BERTH_ROOTFS/berth-ro-probe" ] && [ ! -e "$tmp/vol/x" ]
ok $? "nothing was written to the read-only root or volume"

cat >"$etc/${p}user.container" <<EOF
[Container]
RootDirectory=$BERTH_ROOTFS
User=www-data
Group=staff
WorkingDirectory=/srv
Exec=/bin/sh -c 'echo \$(id -u) \$(id -g) \$(pwd)'
EOF
generate && run_unit ${p}user.service
is "$(cat "$tmp/run.out")" "33 50 /srv" "User=www-data Group=staff WorkingDirectory=/srv as seen inside" || show_failure

# --- berth verify sees a running container's record (container:NAME targets, SPEC §6) ---
cat >"$etc/${p}sleeper.container" <<EOF
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/sleep 60
EOF
generate
argv=()
mapfile -d '' argv < <(python3 "$gen_dir/systemd_exec.py" "$out/${p}sleeper.service")
"${argv[@]}" >/dev/null 2>&1 &
sleeper=$!
for _ in $(seq 100); do [ -s /run/berth/${p}sleeper/pid ] && break; sleep 0.1; done
mkdir -p "$tmp/lone"
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nNetworkNamespace=container:%s\n' "$BERTH_ROOTFS" "${p}sleeper" >"$tmp/lone/joiner.container"
BERTH_UNIT_PATH=$tmp/nowhere berth_cli verify "$tmp/lone/joiner.container" >/dev/null 2>"$tmp/run.err"
ok $? "berth verify accepts container:sleeper while it runs (no description of it in the path)" ||
        diag_text "$(cat "$tmp/run.err")"
kill -TERM "$sleeper" 2>/dev/null
wait "$sleeper" 2>/dev/null
BERTH_UNIT_PATH=$tmp/nowhere berth_cli verify "$tmp/lone/joiner.container" >/dev/null 2>&1
is "$?" 1 "and refuses it once it has stopped"

# --- EnvironmentFile=-PATH (systemd's optional prefix): skipped when missing, read when there ---
printf 'FROM_FILE=yes\n' >"$tmp/present.env"
printf '[Container]\nRootDirectory=%s\nExec=/bin/sh -c "echo F=${FROM_FILE:-unset}"\nEnvironmentFile=-%s\nEnvironmentFile=-%s\n' \
        "$BERTH_ROOTFS" "$tmp/missing.env" "$tmp/present.env" >"$etc/${p}envopt.container"
generate && run_unit ${p}envopt.service
ok $? "EnvironmentFile=-MISSING: the container starts anyway" || show_failure
grep -qx 'F=yes' "$tmp/run.out"
ok $? "and EnvironmentFile=-PRESENT is read" || show_failure
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nEnvironmentFile=%s\n' "$BERTH_ROOTFS" "$tmp/missing.env" \
        >"$etc/${p}envopt.container"
generate && ! run_unit ${p}envopt.service
ok $? "control: without the prefix a missing file stops the container" || show_failure
rm -f "$etc/${p}envopt.container"

# berth-exec's records of this run's (stopped) containers
rm -rf -- /run/berth/"${p:?}"*

tap_done
