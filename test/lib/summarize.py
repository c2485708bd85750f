#!/usr/bin/env python3
"""Counts TAP results over meson testlog.json files and prints 'N passed, N failed'.

Each argument is PASS:PATH. Under CI=true a whole test reported as skipped is a failure. A TAP line 'ok' is a pass, 'not ok' a failure (a '# TODO' never
counts as a pass); a test program that failed or timed out without reporting a 'not ok' line
counts as one failure, so a crash can never hide."""
import json
import os
import re
import sys

passed = failed = skipped = 0
in_ci = os.environ.get("CI") in ("true", "1")
for arg in sys.argv[1:]:
    name, _, path = arg.partition(":")
    try:
        lines = open(path).read().splitlines()
    except OSError as e:
        print(f"# {name}: no test log ({e})")
        failed += 1
        continue
    for line in lines:
        t = json.loads(line)
        out = t.get("stdout", t.get("stdo", "")) or ""
        p = f = s = 0
        for l in out.splitlines():
            m = re.match(r"^\s*(not )?ok\b(.*)", l)
            if not m:
                continue
            if re.search(r"#\s*skip", m.group(2), re.I):
                s += 1
            elif m.group(1):
                f += 1
            else:
                p += 1
        if in_ci and t.get("result") == "SKIP":
            f += 1
            print(f"# {name}: {t.get('name')}: skipped as a whole, which CI=true does not allow")
        if t.get("result") not in ("OK", "SKIP", "EXPECTEDFAIL") and f == 0:
            f = 1
            print(f"# {name}: {t.get('name')}: {t.get('result')} without a failing TAP line")
        passed += p
        failed += f
        skipped += s
        print(f"# {name:9} {t.get('name'):40} {p} passed, {f} failed" + (f", {s} skipped" if s else ""))

line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
sys.exit(1 if failed else 0)
