#!/usr/bin/python3
# A stand-in for systemd's notification socket: binds a datagram socket at argv[1], prints
# each message it receives as one line "pid=SENDER_PID MSG", with newlines inside MSG as ';'.
# Closes file descriptors passed with a message (BARRIER=1), as systemd does once it has
# handled what came before. Exits after argv[2] seconds without a message.
import array
import os
import socket
import sys

path, idle = sys.argv[1], float(sys.argv[2])
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
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
    print("pid=%d %s" % (pid, data.decode().replace("\n", ";")), flush=True)
