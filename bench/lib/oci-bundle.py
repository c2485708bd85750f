#!/usr/bin/env python3
"""Writes an OCI bundle (config.json) that asks crun/runc for what berth-exec does by
default: new mount, PID, network, IPC and UTS namespaces over ROOT (no user or cgroup
namespace), fresh /proc, read-only /sys, a minimal /dev with pts, shm and mqueue, Docker's
masked and read-only paths, Docker's 14 capabilities, no_new_privs and the given seccomp
profile (OCI form, from seccomp-profile.py).

    oci-bundle.py ROOT SECCOMP.json BUNDLE-DIR [--net-host] [-- CMD [ARG...]]
"""
import json
import os
import sys

CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
        "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
        "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]
MASKED = ["/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
          "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list",
          "/proc/timer_stats", "/sys/devices/virtual/powercap", "/sys/firmware"]
READONLY = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]


def config(root, seccomp, net_host, cmd):
    namespaces = [{"type": t} for t in ("pid", "ipc", "uts", "mount")]
    if not net_host:
        namespaces.append({"type": "network"})
    return {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False,
            "user": {"uid": 0, "gid": 0},
            "args": cmd,
            "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"],
            "cwd": "/",
            "capabilities": {k: CAPS for k in ("bounding", "effective", "permitted", "inheritable")},
            "noNewPrivileges": True,
        },
        "root": {"path": os.path.abspath(root), "readonly": False},
        "hostname": "bench",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
             "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
            {"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
             "options": ["nosuid", "noexec", "nodev"]},
            {"destination": "/sys", "type": "sysfs", "source": "sysfs",
             "options": ["nosuid", "noexec", "nodev", "ro"]},
        ],
        "linux": {
            "namespaces": namespaces,
            "maskedPaths": MASKED,
            "readonlyPaths": READONLY,
            "seccomp": seccomp,
        },
    }


def main():
    argv, cmd = sys.argv[1:], ["/bin/true"]
    if "--" in argv:
        argv, cmd = argv[:argv.index("--")], argv[argv.index("--") + 1:]
    args = [a for a in argv if a != "--net-host"]
    if len(args) != 3 or not cmd:
        sys.exit("usage: oci-bundle.py ROOT SECCOMP.json BUNDLE-DIR [--net-host] [-- CMD [ARG...]]")
    root, seccomp_path, bundle = args
    with open(seccomp_path) as f:
        seccomp = json.load(f)
    os.makedirs(bundle, exist_ok=True)
    with open(os.path.join(bundle, "config.json"), "w") as f:
        json.dump(config(root, seccomp, "--net-host" in argv, cmd), f, indent=1)


if __name__ == "__main__":
    main()
