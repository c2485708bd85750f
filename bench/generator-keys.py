#!/usr/bin/env python3
"""Generator cost vs. the size of one description (issue 12 item 8).

For each list key (and a few passed-through ones) writes ONE description holding N
assignments of it, N in 256, 1024, 4096 (berth.container(5) LIMITS: the cap of a list),
16384 and 100000, runs berth-generator over it (median of RUNS runs, process start
included) and records whether the unit was written or the description refused at the cap.
Linear cost shows as a constant time per assignment; a description at 100 000 lines must
cost well under a second, far from systemd's 90 s generator timeout.
Writes OUT/generator-keys.json and prints a table (markdown) to stdout.

    generator-keys.py GENERATOR ROOTFS OUT [RUNS]
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

SIZES = [256, 1024, 4096, 16384, 100000]
# (key, section, value for item i)
KEYS = [
    ("AddCapability", "Container", lambda i: "CHOWN"),
    ("DropCapability", "Container", lambda i: "MKNOD"),
    ("Environment", "Container", lambda i: f"V{i}=x"),
    ("EnvironmentFile", "Container", lambda i: f"/etc/env{i}"),
    ("Volume", "Container", lambda i: f"/srv:/v{i}"),
    ("Tmpfs", "Container", lambda i: f"/t{i}:size=1m"),
    ("Mask", "Container", lambda i: f"/m{i}"),
    ("Unmask", "Container", lambda i: f"/u{i}"),
    ("After", "Unit", lambda i: f"a{i}.service"),
    ("ExecStartPre", "Service", lambda i: f"/bin/true {i}"),
    ("WantedBy", "Install", lambda i: f"t{i}.target"),
]


def write(path, root, key, section, value, n):
    with open(path, "w") as f:
        f.write(f"[Container]\nRootDirectory={root}\nExec=/bin/true\n")
        if section != "Container":
            f.write(f"[{section}]\n")
        f.write("".join(f"{key}={value(i)}\n" for i in range(n)))


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: generator-keys.py GENERATOR ROOTFS OUT [RUNS]")
    gen, root, out = sys.argv[1:4]
    runs = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    tmp = tempfile.mkdtemp(prefix="berth-bench-keys.", dir="/var/tmp")
    units = tempfile.mkdtemp(prefix="berth-bench-keys-units.", dir="/dev/shm")
    results = []
    try:
        for key, section, value in KEYS:
            for n in SIZES:
                etc = os.path.join(tmp, "etc")
                shutil.rmtree(etc, ignore_errors=True)
                os.makedirs(etc)
                write(os.path.join(etc, "big.container"), root, key, section, value, n)
                env = dict(os.environ, BERTH_UNIT_PATH=etc, BERTH_LOG_STDERR="1")
                times, stderr, rc = [], "", 0
                for _ in range(runs):
                    shutil.rmtree(units, ignore_errors=True)
                    dirs = [os.path.join(units, d) for d in ("normal", "early", "late")]
                    for d in dirs:
                        os.makedirs(d)
                    t0 = time.perf_counter()
                    p = subprocess.run([gen] + dirs, env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, text=True)
                    times.append(time.perf_counter() - t0)
                    stderr, rc = p.stderr, p.returncode
                refused = next((line.split("big.container", 1)[1] for line in stderr.splitlines()
                                if "big.container:" in line), "")
                r = {"key": f"[{section}] {key}", "n": n, "median_ms": statistics.median(times) * 1000,
                     "min_ms": min(times) * 1000, "exit": rc,
                     "outcome": "written" if rc == 0 else "refused" + refused[:90]}
                results.append(r)
                print(f"{r['key']:26s} {n:7d}  {r['median_ms']:8.1f} ms  {r['outcome']}", file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(units, ignore_errors=True)
    with open(os.path.join(out, "generator-keys.json"), "w") as f:
        json.dump({"runs": runs, "results": results}, f, indent=1)
    print("| key | " + " | ".join(f"{n} lines" for n in SIZES) + " |")
    print("|---|" + "---|" * len(SIZES))
    for key, section, _ in KEYS:
        row = [r for r in results if r["key"] == f"[{section}] {key}"]
        cells = [f"{r['median_ms']:.1f} ms{'' if r['exit'] == 0 else ' (refused)'}" for r in row]
        print(f"| [{section}] {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
