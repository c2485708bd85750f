#!/usr/bin/env python3
"""Pools bench results into one table and chart.

Reads from OUT (bench/results): latency-r*.json (hyperfine exports, one per round),
isolation.json (check.sh), generator.json (generator-scale.sh), resident.json
(resident.sh), machine.json (run.sh). Writes OUT/latest.json, OUT/latest.md,
OUT/latency.png (gnuplot) and prints the markdown to stdout.

    report.py OUT
"""
import glob
import json
import os
import statistics
import subprocess
import sys

BASE, FLOOR, SHARED = "berth-exec", "floor", "berth-exec (shared libraries)"
NOTES = {
    "berth-exec": "default build (static PIE): 5 namespaces, /proc /sys /dev, masks, 14 caps, default seccomp, berth-init as PID 1",
    "berth-exec --net=host": "as above, host network namespace",
    "berth-exec (shared libraries)": "as berth-exec, built with -Dprefer_static=false (as the sanitizer/valgrind builds)",
    "crun": "OCI bundle: same namespaces, mounts, masks, caps, Docker-like seccomp; no cgroups",
    "runc": "same OCI bundle; cgroupfs",
    "bwrap": "--unshare-all, 14 caps, no seccomp (bwrap takes filters only on an fd)",
    "nspawn": "--private-network; nspawn's own caps and syscall filter",
    "floor": "bench/floor.c: clone, pivot_root, /proc, 14 caps, NNP, precompiled BPF",
    "floor (static)": "the same floor linked with -static (no dynamic loader either)",
}


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def pool_latency(out):
    """Every run of every round, per contender, in round order."""
    pooled, cpu = {}, {}
    order = []
    for path in sorted(glob.glob(os.path.join(out, "latency-r*.json"))):
        for res in load(path)["results"]:
            name = res["command"]
            if name not in pooled:
                pooled[name] = []
                order.append(name)
            pooled[name].extend(res["times"])
            cpu.setdefault(name, []).append((res["user"] + res["system"]) * 1000)
    rows = []
    for name in order:
        t = [x * 1000 for x in pooled[name]]
        rows.append({"name": name, "runs": len(t), "mean_ms": statistics.fmean(t),
                     "stddev_ms": statistics.stdev(t) if len(t) > 1 else 0.0,
                     "median_ms": statistics.median(t), "min_ms": min(t),
                     "cpu_ms": statistics.fmean(cpu[name])})
    by = {r["name"]: r for r in rows}
    for r in rows:
        for ref, key in ((BASE, "x_berth"), (FLOOR, "x_floor")):
            r[key] = r["mean_ms"] / by[ref]["mean_ms"] if ref in by else None
            r[key + "_median"] = r["median_ms"] / by[ref]["median_ms"] if ref in by else None
    # The fixed order of the brief, whatever order the rounds ran in.
    want = list(NOTES)
    rows.sort(key=lambda r: want.index(r["name"]) if r["name"] in want else len(want))
    return rows


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def latency_md(rows, isolation):
    lines = ["| contender | mean ms | ± σ | median ms | min ms | CPU ms | × berth-exec | × floor | seccomp seen | what it does |",
             "|---|---:|---:|---:|---:|---:|---:|---:|:-:|---|"]
    for r in rows:
        seen = (isolation or {}).get(r["name"], {}).get("Seccomp")
        lines.append("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            f"**{r['name']}**" if r["name"] == BASE else r["name"],
            fmt(r["mean_ms"], ".2f"), fmt(r["stddev_ms"], ".2f"), fmt(r["median_ms"], ".2f"),
            fmt(r["min_ms"], ".2f"), fmt(r["cpu_ms"], ".2f"), fmt(r["x_berth"], ".2f"), fmt(r["x_floor"], ".2f"),
            {"2": "filter", "0": "none", None: "?"}.get(seen, seen), NOTES.get(r["name"], "")))
    return lines


def generator_md(gen):
    lines = ["| descriptions | drop-ins | mean ms | ± σ | min ms | CPU ms | µs per description | "
             "µs per added description | max RSS KiB | units written |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    prev = None
    marginal = []
    for g in gen["sizes"]:
        added = None
        if prev:
            added = (g["mean_ms"] - prev["mean_ms"]) * 1000 / (g["n"] - prev["n"])
            marginal.append(added)
        lines.append(f"| {g['n']} | {g['dropins']} | {g['mean_ms']:.2f} | {g['stddev_ms']:.2f} | {g['min_ms']:.2f} | "
                     f"{fmt(g.get('cpu_ms'), '.2f')} | {g['us_per_description']:.1f} | {fmt(added, '.1f')} | "
                     f"{g['max_rss_kib']} | {g['units']} |")
        prev = g
    if len(marginal) >= 2:
        first, last = gen["sizes"][0], gen["sizes"][-1]
        rss_per = (last["max_rss_kib"] - first["max_rss_kib"]) * 1024 / (last["n"] - first["n"])
        # Linear growth: the cost of one more description does not grow with N (a factor of 2
        # between the cheapest and dearest step leaves room for the machine's noise).
        shape = "linear" if max(marginal) <= 2 * min(marginal) else "**not linear**"
        lines.append("")
        lines.append(f"Growth is {shape}: each added description costs {min(marginal):.0f}–{max(marginal):.0f} µs "
                     "between consecutive sizes (the fixed start-up cost dominates the smallest size); the memory "
                     f"high-water mark grows by {rss_per:.0f} bytes per description. Units are written to tmpfs, "
                     "as /run/systemd/generator is at boot.")
    return lines


def resident_md(res):
    lines = ["| runtime | what stays next to the payload | processes | VmRSS KiB | Pss KiB | per process (VmRSS/Pss KiB) |",
             "|---|---|---:|---:|---:|---|"]
    for r in res["rows"]:
        lines.append(f"| {r['name']} | {r['what']} | {r['processes']} | {r['rss_kib']} | {r['pss_kib']} | {r.get('detail', '')} |")
    return lines


def targets(rows, gen, res):
    """The issue's done-when numbers, each with what was measured."""
    by = {r["name"]: r for r in rows}
    out = []

    def line(ok, text):
        out.append(f"- {'met' if ok else '**not met**'}: {text}")

    if BASE in by and "crun" in by:
        b, c = by[BASE], by["crun"]
        line(b["mean_ms"] < c["mean_ms"],
             f"berth-exec faster than crun in the same run: {b['mean_ms']:.2f} ms vs {c['mean_ms']:.2f} ms "
             f"({c['mean_ms'] / b['mean_ms']:.2f}× faster)")
    for name in (BASE,):
        if name in by and by[name].get("x_floor"):
            line(by[name]["x_floor"] <= 1.3,
                 f"{name} ≤ 1.3× the floor: {by[name]['x_floor']:.2f}× by mean, {by[name]['x_floor_median']:.2f}× by median")
    g1000 = next((g for g in (gen or {}).get("sizes", []) if g["n"] == 1000), None)
    if g1000:
        line(g1000["mean_ms"] < 50, f"1000 descriptions generate in < 50 ms: {g1000['mean_ms']:.1f} ms mean, "
             f"{g1000['min_ms']:.1f} ms fastest run" + (f", {g1000['cpu_ms']:.1f} ms CPU" if g1000.get("cpu_ms") else ""))
    for name in (BASE, SHARED):
        shim = next((r for r in (res or {}).get("rows", []) if r["name"] == name), None)
        if shim:
            line(shim["payload_parent_rss_kib"] <= 1024,
                 f"{name}: the PID-1 shim's VmRSS ≤ 1 MiB: {shim['payload_parent_rss_kib']} KiB "
                 f"(all berth processes next to the payload: {shim['rss_kib']} KiB VmRSS, {shim['pss_kib']} KiB Pss)")
    return out


def chart(rows, out, machine):
    data = os.path.join(out, "latency.dat")
    with open(data, "w") as f:
        for r in rows:
            f.write('"{}" {:.3f} {:.3f} {:.3f}\n'.format(r["name"], r["mean_ms"], r["stddev_ms"], r["median_ms"]))
    title = "start /bin/true in a container (mean ± σ, ms; lower is better)"
    sub = machine.get("summary", "") if machine else ""
    script = f"""
set terminal pngcairo size 900,460 font "DejaVu Sans,10"
set output "{os.path.join(out, 'latency.png')}"
set title "{title}\\n{{/*0.8 {sub}}}"
set style fill solid 0.75 border -1
set boxwidth 0.6
set grid ytics
set ylabel "ms"
set yrange [0:*]
set xrange [-0.6:{len(rows) - 0.4}]
set offsets 0, 0, graph 0.08, 0
set xtics rotate by -20 noenhanced
set key top right
plot "{data}" using 0:2:3:xtic(1) with boxerrorbars lc rgb "#4a7ebb" title "mean ± σ", \\
     "" using 0:4 with points pt 7 ps 0.8 lc rgb "#c0392b" title "median", \\
     "" using 0:($2+$3):(sprintf("%.1f", $2)) with labels offset 0,0.8 notitle
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)


def main():
    out = sys.argv[1]
    machine = load(os.path.join(out, "machine.json")) or {}
    isolation = load(os.path.join(out, "isolation.json"))
    gen = load(os.path.join(out, "generator.json"))
    res = load(os.path.join(out, "resident.json"))
    rows = pool_latency(out)

    md = ["### Start latency", ""]
    if machine:
        md += [f"Machine: {machine.get('summary', '')}. Measured {machine.get('date', '')}, berth {machine.get('commit', '')}."]
        try:
            loads = [float(x) for x in open(os.path.join(out, "load.txt")).read().split()]
            # The benchmark itself keeps one to two of the 2 vCPUs busy (the contender, the
            # kernel's namespace teardown): above that, something else was running.
            if max(loads) > 2.5:
                md += [f"The machine was shared with other builds and tests: 1-minute load average "
                       f"{min(loads):.1f}–{max(loads):.1f} during the latency rounds (2 vCPUs), so absolute times are "
                       "inflated; the ratios come from the same rounds."]
            else:
                md += [f"Quiet machine: 1-minute load average {min(loads):.1f}–{max(loads):.1f} during the latency "
                       "rounds (2 vCPUs), which is the benchmark's own load."]
        except (OSError, ValueError):
            pass
        md += [""]
    if rows:
        md += latency_md(rows, isolation)
        base = next((r for r in rows if r["name"] == BASE), None)
        if base and base.get("x_floor"):
            md += ["", f"berth-exec is {base['x_floor']:.2f}× the floor by mean ({base['x_floor_median']:.2f}× by median); "
                       f"runs pooled over {machine.get('rounds', '?')} rounds in rotated order, "
                       f"{base['runs']} runs per contender. CPU ms: user+system time of the "
                       "contender's processes (hyperfine), less sensitive to other load than wall time."]
        md += ["", "![start latency](latency.png)", ""]
        chart(rows, out, machine)
    if gen:
        md += ["### Generator scale", ""] + generator_md(gen) + [""]
    if res:
        md += ["### Resident cost", ""] + resident_md(res) + [""]
    goals = targets(rows, gen, res)
    if goals:
        md += ["### Targets (issue 6)", ""] + goals + [""]
    if machine.get("peers"):
        md += ["Versions: " + "; ".join(f"{k} {v}" for k, v in machine["peers"].items()) + ".", ""]
    text = "\n".join(md)
    with open(os.path.join(out, "latest.md"), "w") as f:
        f.write(text)
    with open(os.path.join(out, "latest.json"), "w") as f:
        json.dump({"machine": machine, "latency": rows, "isolation": isolation,
                   "generator": gen, "resident": res}, f, indent=1)
    print(text)


if __name__ == "__main__":
    main()
