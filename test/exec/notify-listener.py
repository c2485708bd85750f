#!/usr/bin/python3
# A stand-in for systemd's notification socket. Binds a datagram socket at argv[1] (a path,
# or @NAME for the abstract namespace) and prints one line per message:
#   pid=SENDER_PID MSG                (newlines inside MSG shown as ';')
# and, for a message with READY=1, the commands of the sender's descendants at that moment:
#   tree=COMM COMM ...                (breadth first, from /proc/PID/task/*/children)
# Closes file descriptors passed along (BARRIER=1), as systemd does once it has handled what
# came before. Prints "listening" once bound; exits after argv[2] seconds without a message.
import array
import os
import socket
import sys


def descendants(pid):
    out, queue = [], [pid]
    while queue:
        p = queue.pop(0)
        try:
            for task in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, task)) as f:
                    for c in f.read().split():
                        with open("/proc/%s/comm" % c) as g:
                            out.append(g.read().strip())
                        queue.append(int(c))
        except OSError:
            pass
    return out


path, idle = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\0" + path[1:] if path.startswith("@") else path)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
s.settimeout(idle)
print("listening", flush=True)
while True:
    try:
        data, anc, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(64) + socket.CMSG_SPACE(12))
    except socket.timeout:
        break
    pid = 0
    for level, kind, payload in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
            for fd in fds:
                os.close(fd)
        elif level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = int.from_bytes(payload[0:4], sys.byteorder)
    text = data.decode()
    print("pid=%d %s" % (pid, text.replace("\n", ";")), flush=True)
    if "READY=1" in text.split("\n"):
        print("tree=" + " ".join(descendants(pid)), flush=True)
