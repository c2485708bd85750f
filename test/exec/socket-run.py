#!/usr/bin/env python3
"""Runs a command with its stdout and stderr on a Unix stream socket, as systemd's
StandardOutput=journal does, and prints what arrived on the socket.

  socket-run.py [--split] [--status] -- COMMAND...

One socket for both (as systemd sets it up) or, with --split, one each: then stdout's bytes
are printed, then a line "--- stderr ---", then stderr's. --status prints the command's
status last, as Python reports it ("status -11" for a death by SIGSEGV)."""
import os
import socket
import subprocess
import sys
import threading


def drain(sock, chunks):
    while True:
        data = sock.recv(65536)
        if not data:
            return
        chunks.append(data)


def main():
    args = sys.argv[1:]
    split = "--split" in args[: args.index("--")]
    status = "--status" in args[: args.index("--")]
    cmd = args[args.index("--") + 1:]
    pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(2 if split else 1)]
    out = [[] for _ in pairs]
    threads = [threading.Thread(target=drain, args=(p[0], o)) for p, o in zip(pairs, out)]
    for t in threads:
        t.start()
    stdout = pairs[0][1].fileno()
    stderr = pairs[-1][1].fileno()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
    for p in pairs:
        p[1].close()
    rc = proc.wait()
    for t in threads:
        t.join()
    sys.stdout.buffer.write(b"".join(out[0]))
    if split:
        sys.stdout.buffer.write(b"--- stderr ---\n" + b"".join(out[1]))
    if status:
        sys.stdout.write("status %d\n" % rc)
    sys.stdout.flush()
    return rc if rc >= 0 else 128 - rc


if __name__ == "__main__":
    sys.exit(main())
