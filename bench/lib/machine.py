#!/usr/bin/env python3
"""Describes the machine and the peers' versions for the report: OUT/machine.json.

    machine.py OUT SRC-DIR ROUNDS SECCOMP-SOURCE-FILE
"""
import json
import os
import platform
import subprocess
import sys
import time


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def first_word_after(text, index):
    parts = text.splitlines()[0].split() if text else []
    return parts[index] if len(parts) > abs(index) else "?"


def main():
    out, src, rounds, seccomp_source = sys.argv[1:5]
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) / 1048576
    vm = sh("systemd-detect-virt", "--vm") or "none"
    container = sh("systemd-detect-virt", "--container") or "none"
    debian = open("/etc/debian_version").read().strip()
    summary = (f"{cpu}, {os.cpu_count()} vCPU, {mem:.0f} GiB, Linux {platform.release()}, Debian {debian}, "
               f"VM: {vm}, container: {container}")
    dirty = sh("git", "-C", src, "status", "--porcelain", "--untracked-files=no", "src", "generators")
    doc = {"summary": summary, "cpu": cpu, "vcpus": os.cpu_count(), "mem_gib": round(mem, 1),
           "kernel": platform.release(), "debian": debian, "vm": vm, "container": container,
           "peers": {"crun": first_word_after(sh("crun", "--version"), -1),
                     "runc": first_word_after(sh("runc", "--version"), -1),
                     "bwrap": first_word_after(sh("bwrap", "--version"), -1),
                     "systemd-nspawn": first_word_after(sh("systemd-nspawn", "--version"), 1),
                     "hyperfine": first_word_after(sh("hyperfine", "--version"), -1)},
           "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
           "commit": sh("git", "-C", src, "rev-parse", "--short", "HEAD") +
                     (" (+ uncommitted changes in src/)" if dirty else ""),
           "rounds": int(rounds),
           "seccomp_profile": open(seccomp_source).read().strip()}
    with open(os.path.join(out, "machine.json"), "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
