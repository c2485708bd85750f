#!/bin/bash
# Escapes through berth-exec's own process (issue 11, items 1-4 and 7), each attempted from
# inside a container by the static probe and paired with a control where the same attack
# primitive works (outside berth, or with the capability that makes it an escape by
# configuration), so every line can fail:
#   1. the working directory: --workdir /proc/self/fd/N, and a symlink in the root to it
#      (what WorkingDirectory= becomes: the unit passes --workdir) (CVE-2024-21626 class)
#   2. descriptors the caller left open reach the payload
#   3. a writable handle on the host's berth-init/berth-exec through /proc/1/exe: opened for
#      writing, an O_PATH handle reopened, a spinning opener, a handle passed out of the
#      container and reopened after it ended (CVE-2019-5736 class); with CAP_SYS_PTRACE too
#   4. --pid container:A: A watching for B's setup process to reach the host via /proc/PID/root
#   7. TIOCSTI into the caller's terminal (CVE-2017-5226 class)
# shellcheck disable=SC2317
. "$(dirname "$0")/../lib/common.sh"

[ "$(id -u)" -eq 0 ] || tap_skip_all "escape-exec needs root"
probe_bin=$BERTH_BUILD_DIR/test/hardening/berth-probe
[ -x "$probe_bin" ] || tap_skip_all "berth-probe is not built ($probe_bin)"
command -v python3 >/dev/null || tap_skip_all "python3 is missing"
ensure_rootfs

scratch=$(mktemp -d /var/tmp/esc-exec.XXXXXX)
bg_pids=()
cleanup() {
        for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null; done
        wait 2>/dev/null
        rm -rf "$scratch"
}
trap cleanup EXIT
root=$scratch/root
cp -a "$BERTH_ROOTFS" "$root"
install -m 0755 "$probe_bin" "$root/bin/berth-probe"
marker_dir=$scratch/host
mkdir -p "$marker_dir"
marker=$marker_dir/host-secret
echo secret >"$marker"
init_bin=$BERTH_BUILD_DIR/src/exec/berth-init
hashes() { sha256sum "$BERTH_EXEC_BIN" "$init_bin" 2>/dev/null | awk '{print $1}' | paste -sd' ' -; }
hashes_before=$(hashes)

declare -A R
# run LABEL OPTIONS... -- ATTEMPTS...: the probe's answers land in R[attempt]; 1 if it did not run.
run() {
        local label=$1; shift
        local opts=() out rc
        while [ "$1" != -- ]; do opts+=("$1"); shift; done
        shift
        R=()
        out=$(berth_exec --rootfs "$root" --tmpfs /tmp "${opts[@]}" -- /bin/berth-probe "$@" 2>"$scratch/stderr")
        rc=$?
        while read -r attempt answer; do R[$attempt]=$answer; done <<<"$out"
        if [ $rc -ne 0 ]; then
                ok 1 "$label: the probe ran (berth-exec exit $rc: $(head -c 300 "$scratch/stderr"))"
                return 1
        fi
}
fails() { # ATTEMPT WHAT
        local got=${R[$1]:-missing}
        [ "$got" != ok ] && [ "$got" != missing ]
        ok $? "$label_now: $2 fails ($got)"
}
succeeds() { # ATTEMPT WHAT
        local got=${R[$1]:-missing}
        [ "$got" = ok ]
        ok $? "$label_now: $2 succeeds (control: $got)"
}

# ---- 1. the working directory ----
# Every descriptor number the helper or the caller might hold: the run is refused (125,
# naming the workdir) or the payload's cwd cannot reach the host.
exec 8<"$marker_dir"
reached=()
refused=0
for n in 3 4 5 6 7 8 9 10; do
        out=$(berth_exec --rootfs "$root" --workdir "/proc/self/fd/$n" -- /bin/berth-probe "cwd-escape=$marker" 2>"$scratch/stderr")
        rc=$?
        if [ $rc -eq 125 ] && grep -q "workdir /proc/self/fd/$n" "$scratch/stderr"; then
                refused=$((refused + 1))
        elif [ "$out" = "cwd-escape=$marker ok" ]; then
                reached+=("$n")
        fi
done
ok "${#reached[@]}" "--workdir /proc/self/fd/N (N=3..10, fd 8 a host dir the caller left open): no cwd reaches the host (reached: ${reached[*]:-none}; $refused refused with exit 125)"
is "$refused" 8 "... every one is refused: magic links are not followed for the working directory"
# The same through a symlink shipped in the root (WorkingDirectory= in a description).
mkdir -p "$root/srv"
reached=()
for n in 3 4 5 6 7 8 9 10; do
        ln -sfn "/proc/self/fd/$n" "$root/srv/app"
        out=$(berth_exec --rootfs "$root" --workdir /srv/app -- /bin/berth-probe "cwd-escape=$marker" 2>"$scratch/stderr")
        [ "$out" = "cwd-escape=$marker ok" ] && reached+=("$n")
done
ok "${#reached[@]}" "a symlink ROOT/srv/app -> /proc/self/fd/N as the workdir: no cwd reaches the host (reached: ${reached[*]:-none})"
ln -sfn /etc "$root/srv/app"
out=$(berth_exec --rootfs "$root" --workdir /srv/app -- /bin/pwd 2>&1)
is "$out" /etc "an ordinary symlink inside the root still works as the workdir (resolved in the root)"
out=$(berth_exec --rootfs "$root" --user 1000 --workdir /tmp --tmpfs /tmp -- /bin/pwd 2>&1)
is "$out" /tmp "... and a plain one as a non-root user"
# Control: the same primitive in a chroot that does chdir() by path with a host dir fd open
# (what berth did): the cwd is the host's.
out=$(unshare -m -p -f --mount-proc="$root/proc" chroot "$root" /bin/sh -c \
        "cd /proc/self/fd/8 && /bin/berth-probe cwd-escape=$marker" 2>&1)
is "$out" "cwd-escape=$marker ok" "control: chroot + chdir(/proc/self/fd/8) with a host dir open reaches the host"

# ---- 2. descriptors the caller left open ----
label_now="fd 8 (a host dir) left open by the caller"
if run "$label_now" -- "fd-escape=$marker"; then
        fails "fd-escape=$marker" "reaching the host file through an inherited descriptor"
fi
label_now="fd 8 left open, --no-init"
if run "$label_now" --no-init -- "fd-escape=$marker"; then
        fails "fd-escape=$marker" "reaching the host file through an inherited descriptor"
fi
out=$(berth_exec --rootfs "$root" -- /bin/ls /proc/self/fd 2>&1 | paste -sd' ' -)
is "$out" "0 1 2 3" "the payload holds only stdin, stdout, stderr (and ls's own directory)"
out=$(berth_exec --rootfs "$root" --cap-add SYS_PTRACE -- /bin/sh -c \
        'cd /proc/1/fd && for f in *; do [ "$f" -ge 3 ] && echo "$f $(readlink "$f")"; done' 2>&1 | paste -sd' ' -)
like "$out" '^([0-9]+ pipe:\[[0-9]+\] ?)*$' "berth-init (PID 1) holds no file or directory of the host's beyond stdin, stdout, stderr (${out:-nothing else})"
out=$(cd / && "$probe_bin" "fd-escape=$marker" 2>&1)
is "$out" "fd-escape=$marker ok" "control: outside berth the same probe reaches the host file through fd 8"
exec 8<&-

# ---- 3. the host's binaries behind /proc/1/exe ----
for caps in "" "SYS_PTRACE"; do
        opts=()
        label_now="default caps"
        [ -n "$caps" ] && opts=(--cap-add "$caps") && label_now="--cap-add $caps"
        if run "$label_now" "${opts[@]}" -- exe-write=/proc/1/exe exe-reopen=/proc/1/exe exe-spin=/proc/1/exe:20000; then
                fails exe-write=/proc/1/exe "opening /proc/1/exe for writing"
                fails exe-reopen=/proc/1/exe "reopening an O_PATH handle on /proc/1/exe for writing"
                fails exe-spin=/proc/1/exe:20000 "a spinning O_PATH opener + reopen for writing (20000 tries, $(grep -o '[0-9]* of [0-9]* opens' "$scratch/stderr"))"
        fi
done
# The payload's first look at its PID 1: berth-init from its read-only mount, never the
# helper's copy (the host's berth-exec).
seen=$(for i in 1 2 3 4 5; do berth_exec --rootfs "$root" --cap-add SYS_PTRACE -- /bin/readlink /proc/1/exe 2>&1; done | sort -u | paste -sd' ' -)
is "$seen" /berth-init "with CAP_SYS_PTRACE, /proc/1/exe at the payload's start is berth-init on its read-only mount (5 runs: $seen)"

# A handle passed out of the container over a socket on a volume, reopened for writing after
# the container ended (by the host here: a second container could do no more).
mkdir -p "$scratch/sock"
# receive SOCKET WAIT-PID|- : prints the errno name of reopening the received handle for
# writing (and writing to it) once WAIT-PID is gone, or "ok".
receive() {
        python3 - "$1" "$2" <<'EOF'
import errno, os, socket, sys, time
path, wait_pid = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path); s.listen(1); s.settimeout(30)
print("listening", flush=True)
c, _ = s.accept()
_, fds, _, _ = socket.recv_fds(c, 1, 1)
if wait_pid != "-":
    while os.path.exists(f"/proc/{wait_pid}"):
        time.sleep(0.05)
sys.stdin.readline()  # the test says when the container has ended
# The last exec of the file may take a moment to let go of it (ETXTBSY): retry that only.
for _ in range(60):
    try:
        fd = os.open(f"/proc/self/fd/{fds[0]}", os.O_WRONLY)
        os.write(fd, b"BERTH-ESCAPED")
        print("ok")
        break
    except OSError as e:
        answer = errno.errorcode.get(e.errno, str(e.errno))
        if e.errno != errno.ETXTBSY:
            print(answer)
            break
        time.sleep(0.05)
else:
    print(answer)
EOF
}
exe_send() { # LABEL TARGET-PID-IN-CONTAINER WAIT-PID OPTIONS...
        local label=$1 target=$2 wait_pid=$3; shift 3
        local sock=$scratch/sock/s fifo=$scratch/fifo answer
        rm -f "$sock" "$fifo"
        mkfifo "$fifo"
        receive "$sock" "$wait_pid" <"$fifo" >"$scratch/received" &
        local rpid=$!
        exec 9>"$fifo"
        for _ in $(seq 50); do grep -q listening "$scratch/received" 2>/dev/null && break; sleep 0.1; done
        berth_exec --rootfs "$root" --volume "$scratch/sock:/v" "$@" -- /bin/berth-probe "exe-send=/proc/$target/exe:/v/s" \
                >"$scratch/sent" 2>&1
        echo ended >&9
        exec 9>&-
        wait $rpid
        answer=$(tail -n1 "$scratch/received")
        printf '%s|%s\n' "$(cat "$scratch/sent")" "$answer"
}
got=$(exe_send "berth-init" 1 - --cap-add SYS_PTRACE)
like "$got" "^exe-send=/proc/1/exe:/v/s ok\|E[A-Z]+$" "with CAP_SYS_PTRACE, an O_PATH handle on /proc/1/exe passed out ($got) ..."
like "$got" "\|EROFS$" "... cannot be reopened for writing after the container ended (EROFS: berth-init runs from a read-only detached mount)"
is "$(hashes)" "$hashes_before" "the host's berth-exec and berth-init are unchanged"
# Control: the same attack on a host process run from a binary on a writable mount works.
cp "$(command -v sleep)" "$scratch/victim"
victim_hash=$(sha256sum "$scratch/victim" | cut -d' ' -f1)
"$scratch/victim" 3 &
vpid=$!
bg_pids+=("$vpid")
got=$(exe_send "victim" "$vpid" "$vpid" --pid host --cap-add SYS_PTRACE)
is "$got" "exe-send=/proc/$vpid/exe:/v/s ok|ok" "control: the same handle on a host binary's /proc/PID/exe, reopened after it ended, writes to it"
[ "$(sha256sum "$scratch/victim" | cut -d' ' -f1)" != "$victim_hash" ]
ok $? "control: ... and the host file changed"

# ---- 4. joining another container's PID namespace ----
# A holds CAP_SYS_PTRACE and watches every process in its /proc for a root that reaches a
# host file, while B containers join its PID namespace.
watch_join() { # NAME JOINER-COMMAND...: runs A, then the joiner 5 times; prints A's answer
        local name=$1; shift
        rm -f "$scratch/a.out"
        berth_exec --name "$name" --rootfs "$root" --cap-add SYS_PTRACE -- /bin/berth-probe "watch-root=$marker:6" \
                >"$scratch/a.out" 2>"$scratch/a.err" &
        local apid=$!
        for _ in $(seq 50); do [ -s "/run/berth/$name/pid" ] && break; sleep 0.1; done
        sleep 0.3
        for _ in 1 2 3 4 5; do "$@" >/dev/null 2>&1; done
        wait $apid
        cat "$scratch/a.out"
}
a=esc-exec-pid-a
got=$(watch_join "$a" berth_exec --pid "container:$a" --rootfs "$root" -- /bin/sleep 0.2)
is "$got" "watch-root=$marker:6 ENOENT" "--pid container:A (A with CAP_SYS_PTRACE watching): B's processes never reach the host via /proc/PID/root"
# The join itself works: B's payload sees A's processes.
a2=esc-exec-pid-a2
berth_exec --name "$a2" --rootfs "$root" -- /bin/sleep 3 &
a2pid=$!
for _ in $(seq 50); do [ -s "/run/berth/$a2/pid" ] && break; sleep 0.1; done
out=$(berth_exec --pid "container:$a2" --rootfs "$root" -- /bin/sh -c 'cat /proc/1/comm; ls /proc | grep -c "^[0-9]"' 2>&1 | paste -sd' ' -)
like "$out" "^berth-init [0-9]+$" "B joined A's PID namespace: its PID 1 is A's berth-init ($out)"
kill "$a2pid" 2>/dev/null
wait "$a2pid" 2>/dev/null
# Control: a process with the host's root entering A's PID namespace (what B's setup
# process was) is found by the watcher.
a3=esc-exec-pid-a3
got=$(watch_join "$a3" sh -c "nsenter -t \$(cut -d' ' -f1 /run/berth/$a3/pid) -p -- sleep 0.3")
is "$got" "watch-root=$marker:6 ok" "control: a host-rooted process entering A's PID namespace is seen and reaches the host file"

# ---- 7. TIOCSTI into the caller's terminal ----
# pty_run COMMAND...: runs it on a new pty as its controlling terminal; prints its output.
pty_run() {
        python3 - "$@" <<'EOF'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
EOF
}
out=$(pty_run $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$root" -- /bin/berth-probe tiocsti | grep -o 'tiocsti [A-Za-z0-9]*')
is "$out" "tiocsti EPERM" "TIOCSTI from the payload into the caller's terminal is refused (no controlling terminal: setsid)"
out=$(pty_run $BERTH_WRAP "$BERTH_EXEC_BIN" --rootfs "$root" --cap-add SYS_ADMIN -- /bin/berth-probe tiocsti | grep -o 'tiocsti [A-Za-z0-9]*')
is "$out" "tiocsti ok" "control: with SYS_ADMIN (an escape by configuration) TIOCSTI works"
out=$(pty_run "$probe_bin" tiocsti | grep -o 'tiocsti [A-Za-z0-9]*')
if [ "$(cat /proc/sys/dev/tty/legacy_tiocsti 2>/dev/null || echo 1)" = 0 ]; then
        is "$out" "tiocsti EIO" "control: outside berth TIOCSTI reaches the kernel's check (legacy_tiocsti=0 here)"
else
        is "$out" "tiocsti ok" "control: outside berth, on its controlling terminal, the probe types into it"
fi

tap_done
