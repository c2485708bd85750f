#!/usr/bin/env python3
"""Generator scale: how berth-generator's cost grows with the number of descriptions.

For each N (10, 100, 1000, 10000 by default) writes N descriptions, each with its own
drop-in, plus a global drop-in and a berth.conf, into a temp dir; runs berth-generator
over it (BERTH_UNIT_PATH) with hyperfine, checks that it wrote N units, takes the memory
high-water mark with GNU time; report.py derives the cost of each added description
between consecutive sizes (constant: linear growth).

The units are written to a tmpfs (/dev/shm), as systemd hands a generator
/run/systemd/generator on tmpfs at boot; the descriptions stay on the disk file system
(/var/tmp) as /etc/berth would.
Writes OUT/generator.json.

    generator-scale.py GENERATOR ROOTFS OUT [N...]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

DESCRIPTION = """[Unit]
Description=bench service {i}
After=network-online.target

[Container]
RootDirectory={root}
Exec=/bin/httpd -f -p {port} -h /srv
AddCapability=NET_ADMIN
DropCapability=MKNOD
Environment=SERVICE=svc{i} "GREETING=hello world"
Volume=/srv:/srv:ro
Tmpfs=/run:size=1m
HostName=svc{i}
User=www-data

[Service]
Restart=on-failure

[Install]
WantedBy=multi-user.target
"""
DROPIN = """[Container]
Environment=INSTANCE={i}
ReadOnly=yes
"""
GLOBAL_DROPIN = """[Container]
Environment=TZ=UTC
"""
BERTH_CONF = """[Defaults]
NoNewPrivileges=yes
"""


def write_tree(base, n, root):
    os.makedirs(os.path.join(base, "container.d"))
    with open(os.path.join(base, "berth.conf"), "w") as f:
        f.write(BERTH_CONF)
    with open(os.path.join(base, "container.d", "50-all.conf"), "w") as f:
        f.write(GLOBAL_DROPIN)
    for i in range(n):
        with open(os.path.join(base, f"svc{i}.container"), "w") as f:
            f.write(DESCRIPTION.format(i=i, root=root, port=1024 + i % 60000))
        d = os.path.join(base, f"svc{i}.container.d")
        os.mkdir(d)
        with open(os.path.join(d, "10-instance.conf"), "w") as f:
            f.write(DROPIN.format(i=i))


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: generator-scale.py GENERATOR ROOTFS OUT [N...]")
    gen, root, out = sys.argv[1:4]
    sizes = [int(x) for x in sys.argv[4:]] or [10, 100, 1000, 10000]
    results = []
    tmp = tempfile.mkdtemp(prefix="berth-bench-gen.", dir="/var/tmp")
    tmpfs = tempfile.mkdtemp(prefix="berth-bench-units.", dir="/dev/shm")
    try:
        for n in sizes:
            base = os.path.join(tmp, f"d{n}")
            units = os.path.join(tmpfs, f"u{n}")
            write_tree(base, n, root)
            env = dict(os.environ, BERTH_UNIT_PATH=base)
            env.pop("BERTH_LOG_STDERR", None)
            outdirs = [os.path.join(units, d) for d in ("normal", "early", "late")]
            # A generator runs into empty directories at boot: start every run from empty.
            prepare = f"sh -c 'rm -rf {units} && mkdir -p {' '.join(outdirs)}'"
            runs = "20" if n <= 1000 else "10"
            export = os.path.join(tmp, f"h{n}.json")
            subprocess.run(["hyperfine", "-N", "--style", "none", "--warmup", "3", "--runs", runs,
                            "--prepare", prepare, "--export-json", export,
                            " ".join([gen] + outdirs)], env=env, check=True)
            with open(export) as f:
                h = json.load(f)["results"][0]
            # The same run once more under GNU time for the memory high-water mark, and
            # to check it really wrote one unit per description.
            shutil.rmtree(units, ignore_errors=True)
            for d in outdirs:
                os.makedirs(d)
            t = subprocess.run(["/usr/bin/time", "-f", "%M", gen] + outdirs, env=env,
                               stderr=subprocess.PIPE, text=True)
            if t.returncode != 0:
                sys.exit(f"generator-scale: berth-generator failed on {n} descriptions:\n{t.stderr}")
            max_rss = int(t.stderr.strip().splitlines()[-1])
            written = [u for u in os.listdir(outdirs[0]) if u.endswith(".service")]
            if len(written) != n:
                sys.exit(f"generator-scale: {n} descriptions gave {len(written)} units")
            results.append({"n": n, "dropins": n + 1, "runs": len(h["times"]),
                            "mean_ms": h["mean"] * 1000, "stddev_ms": h["stddev"] * 1000,
                            "median_ms": h["median"] * 1000, "min_ms": h["min"] * 1000,
                            "cpu_ms": (h["user"] + h["system"]) * 1000,
                            "us_per_description": h["mean"] * 1e6 / n,
                            "max_rss_kib": max_rss, "units": len(written)})
            print(f"generator: {n:6d} descriptions  {h['mean'] * 1000:8.2f} ms ± {h['stddev'] * 1000:.2f}"
                  f"  {h['mean'] * 1e6 / n:7.1f} µs each  max RSS {max_rss} KiB", file=sys.stderr)
            shutil.rmtree(base)
            shutil.rmtree(units)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(tmpfs, ignore_errors=True)
    doc = {"sizes": results}
    with open(os.path.join(out, "generator.json"), "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main()
