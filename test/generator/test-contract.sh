#!/bin/bash
# The generator contract (SPEC §1, systemd.generator(7)): argv, where it writes, where it logs,
# its exit status, and that no input, however broken, crashes it or stops good descriptions.
gen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$gen_dir/../lib/common.sh"

require_root
tmp=$(scratch_dir)
etc=$tmp/etc
mkdir -p "$etc" "$tmp/normal" "$tmp/early" "$tmp/late"
export BERTH_UNIT_PATH=$etc BERTH_EXEC_PATH=$BERTH_EXEC_BIN
unset BERTH_LOG_STDERR

printf '[Container]\nRootDirectory=/srv/r\nExec=/bin/true\n[Install]\nWantedBy=multi-user.target\n' >"$etc/good.container"
printf '[Container]\nRootDirectory=/srv/r\nExec=/bin/true\nAddCapability=SYS_TYPO\n' >"$etc/bad.container"

# --- lean: no libsystemd (the generator must not talk to D-Bus) and no libselinux ---
libs=$(ldd "$BERTH_GENERATOR_BIN")
! echo "$libs" | grep -Eq 'libsystemd|libselinux'
ok $? "berth-generator links neither libsystemd nor libselinux" || diag_text "$libs"

# --- argv ---
berth_generator >/dev/null 2>"$tmp/err"
is "$?" 1 "no output directory: exit 1"
grep -q "usage: berth-generator NORMAL-DIR" "$tmp/err"
ok $? "no output directory: a usage line" || diag_text "$(cat "$tmp/err")"
berth_generator "$tmp/normal" "$tmp/early" >/dev/null 2>&1
is "$?" 1 "two directories (systemd passes one or three): exit 1"
berth_generator "$tmp/nonexistent" "$tmp/early" "$tmp/late" >/dev/null 2>"$tmp/err"
is "$?" 1 "an output directory that does not exist: exit 1"
grep -q "$tmp/nonexistent: cannot open output directory: No such file or directory" "$tmp/err"
ok $? "and says so" || diag_text "$(cat "$tmp/err")"

# --- writes only into normal-dir; logs to kmsg; stderr only when someone reads it ---
exec 7</dev/kmsg || tap_skip_all "cannot read /dev/kmsg"
# kmsg_read: what fd 7 holds now, without blocking. A reader whose next record was
# overwritten gets EPIPE once and then goes on with the oldest record left (cat would stop
# there: other tests, e.g. seccomp in log mode, can flood the kernel log meanwhile).
kmsg_read() {
        python3 -c '
import os, sys
os.set_blocking(7, False)
while True:
    try:
        rec = os.read(7, 8192)
    except BrokenPipeError:
        continue
    except BlockingIOError:
        break
    if not rec:
        break
    sys.stdout.buffer.write(rec)
'
}
# skip what the kernel log already holds
kmsg_read >/dev/null
BERTH_LOG_STDERR= berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" >"$tmp/stdout" 2>/dev/null
rc=$?
is "$rc" 1 "one bad description among good ones: exit 1"
[ -f "$tmp/normal/good.service" ] && [ -L "$tmp/normal/multi-user.target.wants/good.service" ]
ok $? "the good description's unit and symlink are written to normal-dir"
grep -q "^Description=berth refused $etc/bad.container:4: AddCapability: " "$tmp/normal/bad.service" &&
        ! grep -q berth-exec "$tmp/normal/bad.service"
ok $? "the bad description gets only a placeholder unit, whose Description= says FILE:LINE: Key" ||
        diag_text "$(cat "$tmp/normal/bad.service" 2>&1)"
is "$(ls -A "$tmp/early" "$tmp/late" | grep -v ':$' | grep -c .)" 0 "nothing is written to early-dir or late-dir"
is "$(find "$tmp/normal" -name '.#*' | wc -l)" 0 "no temporary file is left behind"
is "$(cat "$tmp/stdout")" "" "nothing on stdout"
kmsg=$(kmsg_read | grep 'berth-generator\[')
echo "$kmsg" | grep -q "berth-generator\[[0-9]*\]: $etc/bad.container:4: AddCapability: unknown capability 'SYS_TYPO'"
ok $? "the error reaches /dev/kmsg as berth-generator[PID]: FILE:LINE: Key: message" || diag_text "kmsg: $kmsg"
echo "$kmsg" | grep -q "$etc/bad.container: has errors, no unit written for it"
ok $? "kmsg says the description was skipped" || diag_text "kmsg: $kmsg"
exec 7<&-

berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" 2>"$tmp/err" >/dev/null
grep -q "berth-generator: $etc/bad.container:4: AddCapability" "$tmp/err"
ok $? "with stderr open (not /dev/null) errors go to stderr too" || diag_text "$(cat "$tmp/err")"
[ -L "$tmp/normal/multi-user.target.wants/good.service" ] && [ "$(readlink "$tmp/normal/multi-user.target.wants/good.service")" = ../good.service ]
ok $? "a second run into the same directory replaces its symlinks"

rm "$etc/bad.container"
berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" 2>/dev/null
is "$?" 0 "only good descriptions: exit 0"
rm "$etc/good.container"
rm -rf "$tmp/normal" && mkdir "$tmp/normal"
berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" 2>"$tmp/err"
is "$?" 0 "no description at all: exit 0"
BERTH_UNIT_PATH=$tmp/does/not/exist berth_generator "$tmp/normal" 2>/dev/null
is "$?" 0 "a search path of missing directories: exit 0"

# --- --dry-run ---
printf '[Container]\nRootDirectory=/srv/r\nExec=/bin/true\n' >"$etc/dry.container"
berth_generator --dry-run >"$tmp/stdout" 2>"$tmp/err"
is "$?" 0 "--dry-run: exit 0"
grep -qx "# dry.service" "$tmp/stdout" && grep -q '^ExecStart=' "$tmp/stdout"
ok $? "--dry-run prints the unit" || diag_text "$(cat "$tmp/stdout")"
is "$(ls -A "$tmp/normal" | wc -l)" 0 "--dry-run writes nothing"

# --- garbage never crashes it, and never stops a good description ---
rm -f "$etc"/*.container
printf '[Container]\nRootDirectory=/srv/r\nExec=/bin/echo survivor\n' >"$etc/zz-good.container"
python3 - "$etc" <<'EOF'
import random, sys
etc = sys.argv[1]
base = (b"[Unit]\nDescription=x\n[Container]\nRootDirectory=/srv/r\nExec=/bin/sh -c \"echo a; b\" \\\n  more\n"
        b"AddCapability=CHOWN\nVolume=/a:/b:ro\nEnvironment=A=1 \"B=2 3\"\n[Install]\nWantedBy=multi-user.target\n")
random.seed(7)
for i in range(150):
    data = bytearray(base)
    for _ in range(random.randrange(1, 12)):
        op = random.randrange(4)
        pos = random.randrange(len(data) + 1)
        if op == 0 and data:
            del data[pos % len(data)]
        elif op == 1:
            data[pos:pos] = bytes([random.randrange(256)])
        elif op == 2:
            data[pos:pos] = random.choice([b"\\", b"\n", b"[", b"]", b"=", b"%", b"$", b"\"", b"'", b";", b"\x00", b"\\\n", b"A" * 5000])
        else:
            data[pos:pos] = data[random.randrange(len(data)):][:random.randrange(60)]
    open("%s/m%03d.container" % (etc, i), "wb").write(bytes(data))
for i in range(20):
    open("%s/r%03d.container" % (etc, i), "wb").write(bytes(random.randrange(256) for _ in range(random.randrange(1, 3000))))
EOF
# far too large to be a description: refused before it is read
{ printf '[Container]\nRootDirectory=/srv/r\nExec=/bin/true\n'; head -c 5000000 /dev/zero | tr '\0' '#'; } >"$etc/huge.container"
rm -rf "$tmp/normal" && mkdir "$tmp/normal"
berth_generator "$tmp/normal" "$tmp/early" "$tmp/late" >/dev/null 2>"$tmp/err"
rc=$?
grep -q "$etc/huge.container: larger than 4194304 bytes: not a description" "$tmp/err"
ok $? "a 5 MB file is refused with its name" || diag_text "$(grep huge "$tmp/err")"
ok "$([ "$rc" -le 1 ]; echo $?)" "170 mutated and random descriptions and a huge one: the generator exits normally ($rc), no crash"
grep -q '"/bin/echo" "survivor"' "$tmp/normal/zz-good.service"
ok $? "and the good description among them is still generated"
skipped=$(grep -c "has errors, no unit written" "$tmp/err")
written=$(grep -L 'in place of the unit of a refused description' "$tmp"/normal/*.service | wc -l)
is "$((skipped + written))" 172 "every description is either written or reported ($written written, $skipped reported)"

tap_done
