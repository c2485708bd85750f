#!/bin/bash
# `berth generate` and `berth verify` (SPEC §6): the generator's code by hand, and the live
# checks only a host can make (root, payload inside it, container:NAME targets, volumes).
gen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$gen_dir/../lib/common.sh"

ensure_rootfs
tmp=$(scratch_dir)
etc=$tmp/etc
mkdir -p "$etc"
export BERTH_UNIT_PATH=$etc BERTH_EXEC_PATH=$BERTH_EXEC_BIN

# cli VERB ARGS...: output in $tmp/out, $tmp/err, status in $rc
cli() {
        berth_cli "$@" >"$tmp/out" 2>"$tmp/err"
        rc=$?
}
show() { diag "exit $rc"; diag_text "stdout: $(cat "$tmp/out")"; diag_text "stderr: $(cat "$tmp/err")"; }

cat >"$etc/web.container" <<EOF
[Unit]
Description=web
[Container]
RootDirectory=$BERTH_ROOTFS
Exec=/bin/httpd -f
DropCapability=ALL
AddCapability=NET_BIND_SERVICE
[Install]
WantedBy=multi-user.target
EOF

# --- generate ---
cli generate --dry-run
is "$rc" 0 "generate --dry-run: exit 0" || show
grep -qx "# web.service" "$tmp/out"
ok $? "generate --dry-run: the unit under a '# web.service' heading" || show
grep -q '^ExecStart=.*"--cap-add" "NET_BIND_SERVICE"' "$tmp/out"
ok $? "generate --dry-run: prints the unit's ExecStart=" || show
grep -qx "# symlink multi-user.target.wants/web.service -> ../web.service" "$tmp/out"
ok $? "generate --dry-run: lists the [Install] symlinks" || show
[ -z "$(find "$etc" -newer "$etc/web.container" -name '*.service')" ]
ok $? "generate --dry-run: writes nothing"

mkdir -p "$tmp/cli-out" "$tmp/gen-out"
cli generate "$tmp/cli-out"
is "$rc" 0 "generate DIR: exit 0" || show
berth_generator "$tmp/gen-out" 2>/dev/null
diff -r "$tmp/cli-out" "$tmp/gen-out" >/dev/null
ok $? "generate DIR writes exactly what berth-generator writes"
[ "$(readlink "$tmp/cli-out/multi-user.target.wants/web.service")" = ../web.service ]
ok $? "generate DIR: [Install] symlink in place"

cli generate
is "$rc" 2 "generate without DIR or --dry-run: usage error, exit 2" || show
cli generate --dry-run "$tmp/x"
is "$rc" 2 "generate --dry-run DIR: contradictory, exit 2" || show

printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nAddCapability=SYS_TYPO\n' "$BERTH_ROOTFS" >"$etc/broken.container"
rm -rf "$tmp/cli-out" && mkdir -p "$tmp/cli-out"
cli generate "$tmp/cli-out"
is "$rc" 1 "generate with one bad description: exit 1" || show
[ -f "$tmp/cli-out/web.service" ] && grep -q '^Description=berth refused .*broken.container:4: AddCapability' "$tmp/cli-out/broken.service" &&
        ! grep -q berth-exec "$tmp/cli-out/broken.service"
ok $? "generate: the good unit is written, the bad one only as a placeholder that says why"
grep -q "$etc/broken.container:4: AddCapability: unknown capability 'SYS_TYPO'" "$tmp/err"
ok $? "generate: the error names FILE:LINE: Key" || show
rm "$etc/broken.container"

# --- verify: a good description, by name and by file ---
cli verify web
is "$rc" 0 "verify NAME: a good description passes" || show
grep -qx "$etc/web.container: ok" "$tmp/out"
ok $? "verify NAME: says ok" || show
cli verify "$etc/web.container"
is "$rc" 0 "verify FILE in the search path passes" || show
cli verify
is "$rc" 0 "verify with no argument checks every description" || show

# a file outside the search path, with a drop-in beside it
mkdir -p "$tmp/elsewhere/app.container.d"
printf '[Container]\nRootDirectory=%s\nExec=/bin/sh -c true\n' "$BERTH_ROOTFS" >"$tmp/elsewhere/app.container"
cli verify "$tmp/elsewhere/app.container"
is "$rc" 0 "verify FILE outside the search path" || show
printf '[Container]\nNoNewPrivileges=perhaps\n' >"$tmp/elsewhere/app.container.d/10-bad.conf"
cli verify "$tmp/elsewhere/app.container"
is "$rc" 1 "verify FILE: a drop-in beside it counts" || show
grep -q "$tmp/elsewhere/app.container.d/10-bad.conf:2: NoNewPrivileges: expected a boolean" "$tmp/err"
ok $? "verify FILE: the drop-in's FILE:LINE: Key is named" || show
(cd "$tmp/elsewhere" && rm app.container.d/10-bad.conf && berth_cli verify app.container >/dev/null 2>&1)
ok $? "verify FILE relative to the working directory"

# --- verify: syntax errors are the generator's, with FILE:LINE ---
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nFrobnicate=1\n' "$BERTH_ROOTFS" >"$tmp/typo.container"
cli verify "$tmp/typo.container"
is "$rc" 1 "verify: an unknown key fails" || show
grep -q "$tmp/typo.container:4: Frobnicate: unknown key in \[Container\]" "$tmp/err"
ok $? "verify: FILE:LINE: Key for the unknown key" || show

# --- verify: live checks ---
printf '[Container]\nRootDirectory=/nonexistent/root\nExec=/bin/true\n' >"$tmp/noroot.container"
cli verify "$tmp/noroot.container"
is "$rc" 1 "verify: a missing root fails" || show
grep -q "$tmp/noroot.container:2: RootDirectory: '/nonexistent/root': No such file or directory" "$tmp/err"
ok $? "verify: names FILE:LINE: RootDirectory and the reason" || show

printf '[Container]\nRootDirectory=%s\nExec=/bin/true\n' "$BERTH_ROOTFS/etc/passwd" >"$tmp/fileroot.container"
cli verify "$tmp/fileroot.container"
is "$rc" 1 "verify: a root that is a file fails" || show
grep -q "RootDirectory: '$BERTH_ROOTFS/etc/passwd' is not a directory" "$tmp/err"
ok $? "verify: says the root is not a directory" || show

printf '[Container]\nRootDirectory=%s\n\nExec=/usr/bin/no-such-payload --flag\n' "$BERTH_ROOTFS" >"$tmp/nopayload.container"
cli verify "$tmp/nopayload.container"
is "$rc" 1 "verify: a payload missing from the root fails" || show
grep -q "$tmp/nopayload.container:4: Exec: '/usr/bin/no-such-payload' not found in $BERTH_ROOTFS" "$tmp/err"
ok $? "verify: names FILE:LINE: Exec and the root" || show

printf '[Container]\nRootDirectory=%s\nExec=/etc/passwd\n' "$BERTH_ROOTFS" >"$tmp/noexec.container"
cli verify "$tmp/noexec.container"
is "$rc" 1 "verify: a payload that is not executable fails" || show
grep -q "Exec: '/etc/passwd' in $BERTH_ROOTFS is not an executable file" "$tmp/err"
ok $? "verify: says it is not executable" || show

# resolution stays inside the root: an absolute symlink means the root's path, not the host's
fake=$tmp/fakeroot
mkdir -p "$fake/bin"
ln -s /usr/bin/env "$fake/bin/escape"       # exists on the host, not in the root
ln -s ../../../../../../bin/busybox "$fake/bin/dots"
printf '[Container]\nRootDirectory=%s\nExec=/bin/escape\n' "$fake" >"$tmp/escape.container"
cli verify "$tmp/escape.container"
is "$rc" 1 "verify: a symlink to a host path is resolved inside the root (not found there)" || show
cp "$BERTH_ROOTFS/bin/busybox" "$fake/bin/busybox"
printf '[Container]\nRootDirectory=%s\nExec=/bin/dots\n' "$fake" >"$tmp/dots.container"
cli verify "$tmp/dots.container"
is "$rc" 0 "verify: '..' past the root stays at the root (/bin/busybox inside it)" || show

printf '[Container]\nRootDirectory=%s\nExec=sleep 1\n' "$BERTH_ROOTFS" >"$tmp/pathcmd.container"
cli verify "$tmp/pathcmd.container"
is "$rc" 0 "verify: a plain command name is found in the root's PATH" || show
printf '[Container]\nRootDirectory=%s\nExec=no-such-command\nEnvironment=PATH=/bin\n' "$BERTH_ROOTFS" >"$tmp/nopathcmd.container"
cli verify "$tmp/nopathcmd.container"
is "$rc" 1 "verify: a plain command missing from the root's PATH fails" || show
grep -q "'no-such-command' not found as an executable in $BERTH_ROOTFS (PATH=/bin)" "$tmp/err"
ok $? "verify: the message names the PATH searched" || show

printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nVolume=/nonexistent/data:/data\nEnvironmentFile=/nonexistent/env\n' "$BERTH_ROOTFS" >"$tmp/vol.container"
cli verify "$tmp/vol.container"
is "$rc" 1 "verify: a missing volume source or environment file fails" || show
grep -q "vol.container:4: Volume: '/nonexistent/data': No such file or directory" "$tmp/err" &&
        grep -q "vol.container:5: EnvironmentFile: '/nonexistent/env': No such file or directory" "$tmp/err"
ok $? "verify: both are named with FILE:LINE" || show

# container:NAME: a description, a template's instance, or a running container
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\nNetworkNamespace=container:web\nIPCNamespace=container:ghost\n' "$BERTH_ROOTFS" >"$etc/joiner.container"
cli verify joiner
is "$rc" 1 "verify: container:ghost, neither described nor running, fails" || show
grep -q "$etc/joiner.container:5: IPCNamespace: no description or running container named 'ghost'" "$tmp/err"
ok $? "verify: names the missing container with FILE:LINE" || show
grep -q "NetworkNamespace" "$tmp/err"
is "$?" 1 "verify: container:web (a description) is accepted"
# berth-exec's record: /run/berth/NAME/pid = "PID STARTTIME"; this shell stands in for the
# container's first process
ghost=berth-verify-test-$$
mkdir -p "/run/berth/$ghost"
sed -i "s/container:ghost/container:$ghost/" "$etc/joiner.container"
touch "/run/berth/$ghost/lock"
cli verify joiner
is "$rc" 1 "verify: a stale record (no pid file) is not a running container" || show
echo "$$ 12345" >"/run/berth/$ghost/pid"
cli verify joiner
is "$rc" 1 "verify: a record whose process start time differs (recycled pid) is not running" || show
echo "$$ $(sed 's/.*) //' "/proc/$$/stat" | cut -d' ' -f20)" >"/run/berth/$ghost/pid"
cli verify joiner
is "$rc" 0 "verify: a running container (/run/berth/NAME/pid names a live process) is accepted" || show
rm -rf "/run/berth/${ghost:?}"
printf '[Container]\nRootDirectory=%s\nExec=/bin/true\n' "$BERTH_ROOTFS" >"$etc/pool@.container"
sed -i "s/container:$ghost/container:pool@3/" "$etc/joiner.container"
cli verify joiner
is "$rc" 0 "verify: an instance of a template description is accepted" || show

# a setting from berth.conf is reported where it was written
mkdir -p "$tmp/withconf"
printf '# defaults\n[Defaults]\nRootDirectory=/nonexistent/from-defaults\n' >"$tmp/withconf/berth.conf"
printf '[Container]\nExec=/bin/true\n' >"$tmp/withconf/inherits.container"
cli verify "$tmp/withconf/inherits.container"
grep -q "$tmp/withconf/berth.conf:3: RootDirectory: '/nonexistent/from-defaults': No such file or directory" "$tmp/err"
ok $? "verify: a bad setting inherited from berth.conf names berth.conf:LINE" || show

# names and masks
cli verify nosuch
is "$rc" 1 "verify NAME without a description fails" || show
grep -q "nosuch: no description nosuch.container in the search path" "$tmp/err"
ok $? "verify: says where it looked" || show
mkdir -p "$tmp/high"
ln -s /dev/null "$tmp/high/web.container"
BERTH_UNIT_PATH=$tmp/high:$etc berth_cli verify web >"$tmp/out" 2>"$tmp/err"
rc=$?
is "$rc" 0 "verify of a masked description: exit 0" || show
grep -q "web.container: masked" "$tmp/out"
ok $? "verify: says it is masked" || show

tap_done
