#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""TAP runner for the generator corpus (in the spirit of Podman Quadlet's test files).

A case is either one file corpus/NAME.container (installed alone as etc/NAME.container), or a
directory cases/NAME/ whose numbered subdirectories (1-etc, 2-run, 3-usr ...) become the
search path in that order, symlinks (masks) included. The generator runs once per case with
BERTH_UNIT_PATH set to it; then every `## ` line of every file in the case is checked:

  ## unit NAME.service                 following assertions of this file are about that unit
                                       (a NAME.container file starts with its own unit)
  ## assert-failed                     this unit is not written (only a placeholder, or nothing)
                                       and the generator exits 1
  ## assert-placeholder TEXT           this unit is a refused description's placeholder whose
                                       Description= has TEXT
  ## assert-no-unit                    this unit is not written (masked, ...)
  ## assert-key-is SECTION KEY VALUE   the last KEY= of [SECTION] is exactly VALUE
  ## assert-key-all SECTION KEY V|V|V  every KEY= of [SECTION], in order, joined by |
  ## assert-key-missing SECTION KEY
  ## assert-exec-has WORD...           ExecStart argv (split by systemd's rules) has these
                                       consecutive words (WORDs are shell-quoted here)
  ## assert-exec-lacks WORD...
  ## assert-exec-payload WORD...       the payload (after --) is exactly these words
  ## assert-symlink PATH TARGET        PATH in the output dir is a symlink to TARGET
  ## assert-no-symlink PATH
  ## assert-stderr-contains TEXT       generator stderr has TEXT
  ## assert-stderr-lacks TEXT
  ## assert-exit N                     generator exit status (default: 1 if anything asserts
                                       failed, else 0)
  ## instance NAME                     %i for splitting this template unit's ExecStart
In arguments, {DIR} is the case's first search dir and {DIR1}, {DIR2}, ... each of them.

Every unit written is also checked with `systemd-analyze verify` (no warnings allowed), and
`berth verify --offline` over the same search path must agree with the generator: the same
descriptions ok, the same FILE:LINE locations in its errors."""

import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import systemd_exec  # noqa: E402

SRC = os.environ.get("BERTH_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
BUILD = os.environ.get("BERTH_BUILD_DIR") or os.path.join(SRC, "build")
GENERATOR = os.path.join(BUILD, "generators", "berth-generator")
EXEC = os.path.join(BUILD, "src", "exec", "berth-exec")
CLI = os.path.join(BUILD, "src", "cli", "berth")
PLACEHOLDER = b"in place of the unit of a refused description"
WRAP = shlex.split(os.environ.get("BERTH_WRAP", ""))
HERE = os.path.join(SRC, "test", "generator")

n = 0
failed = 0


def tap(ok, name, diag=None):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print("%sok %d - %s" % ("" if ok else "not ", n, name))
    if not ok and diag:
        for line in str(diag).splitlines():
            print("#   " + line)
    sys.stdout.flush()


def run_generator(dirs, out):
    env = dict(os.environ, BERTH_UNIT_PATH=":".join(dirs), BERTH_LOG_STDERR="1", BERTH_EXEC_PATH=EXEC)
    os.makedirs(out)
    for d in ("early", "late"):
        os.makedirs(out + "." + d)
    p = subprocess.run(WRAP + [GENERATOR, out, out + ".early", out + ".late"], env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
    return p.returncode, p.stderr.decode(errors="replace")


def collect_assertions(case_files):
    """-> list of (file, unit, words, raw line, instance)"""
    result = []
    for path in case_files:
        if os.path.islink(path) or not os.path.isfile(path):
            continue
        base = os.path.basename(path)
        unit = base[:-len(".container")] + ".service" if base.endswith(".container") else None
        instance = ""
        with open(path, "rb") as f:
            data = f.read()
        for raw in data.split(b"\n"):
            raw = raw.strip()
            if not raw.startswith(b"## "):
                continue
            text = raw[3:].decode(errors="surrogateescape")
            keyword, _, rest = text.partition(" ")
            if keyword in ("assert-stderr-contains", "assert-stderr-lacks", "assert-placeholder"):
                words = [keyword, rest]  # the message as printed, quotes and all
            else:
                words = shlex.split(text)
            if words[0] == "unit":
                unit = words[1]
                continue
            if words[0] == "instance":
                instance = words[1]
                continue
            result.append((path, unit, words, text, instance))
    return result


def is_placeholder(out, unit):
    path = os.path.join(out, unit)
    if not os.path.isfile(path):
        return False
    with open(path, "rb") as f:
        return PLACEHOLDER in f.read(300)


def unit_entries(out, unit):
    """The entries of a real unit; None if none was written (or only a placeholder)."""
    path = os.path.join(out, unit)
    return systemd_exec.read_unit(path) if os.path.isfile(path) and not is_placeholder(out, unit) else None


def values(entries, section, key):
    return [v.decode(errors="surrogateescape") for s, k, v in entries if s == section and k == key]


def exec_argv(entries, unit, instance):
    starts = [v for s, k, v in entries if s == "Service" and k == "ExecStart"]
    if len(starts) != 1:
        raise AssertionError("expected one ExecStart=, found %d" % len(starts))
    return [w.decode(errors="surrogateescape") for w in systemd_exec.exec_argv(starts[0], unit, instance)]


def has_sequence(argv, seq):
    return any(argv[i:i + len(seq)] == seq for i in range(len(argv) - len(seq) + 1))


def substitute(args, dirs):
    """{DIR} is the case's first search dir, {DIR1}, {DIR2}... each one."""
    out = []
    for a in args:
        for i, d in enumerate(dirs):
            a = a.replace("{DIR%d}" % (i + 1), d)
        out.append(a.replace("{DIR}", dirs[0]))
    return out


def check(kind, args, out, unit, instance, rc, stderr):
    """Returns (ok, diagnostic)."""
    entries = unit_entries(out, unit) if unit else None
    if kind == "assert-failed":
        return entries is None and rc == 1, "exit %d, unit %s" % (rc, "written" if entries else "absent")
    if kind == "assert-placeholder":
        if not unit or not is_placeholder(out, unit):
            return False, "no placeholder %s; stderr:\n%s" % (unit, stderr)
        desc = values(systemd_exec.read_unit(os.path.join(out, unit)), "Unit", "Description")
        return bool(desc) and " ".join(args) in desc[-1], "Description=%r" % desc
    if kind == "assert-no-unit":
        return entries is None, "unit written"
    if kind in ("assert-stderr-contains", "assert-stderr-lacks"):
        text = " ".join(args)
        found = text in stderr
        return found == (kind == "assert-stderr-contains"), "stderr:\n" + stderr
    if kind == "assert-exit":
        return rc == int(args[0]), "exit %d" % rc
    if kind in ("assert-symlink", "assert-no-symlink"):
        p = os.path.join(out, args[0])
        if kind == "assert-no-symlink":
            return not os.path.lexists(p), "exists"
        if not os.path.islink(p):
            return False, "%s is not a symlink (output: %s)" % (args[0], sorted(os.listdir(out)))
        target = os.readlink(p)
        return target == args[1] and os.path.isfile(p), "points to %s" % target
    if entries is None:
        return False, "unit %s was not written; stderr:\n%s" % (unit, stderr)
    if kind == "assert-key-is":
        got = values(entries, args[0], args[1])
        want = " ".join(args[2:])
        return bool(got) and got[-1] == want, "got %r" % got
    if kind == "assert-key-all":
        got = values(entries, args[0], args[1])
        return "|".join(got) == " ".join(args[2:]), "got %r" % got
    if kind == "assert-key-missing":
        got = values(entries, args[0], args[1])
        return not got, "got %r" % got
    argv = exec_argv(entries, unit, instance)
    if kind == "assert-exec-has":
        return has_sequence(argv, args), "argv %r" % argv
    if kind == "assert-exec-lacks":
        return not has_sequence(argv, args), "argv %r" % argv
    if kind == "assert-exec-payload":
        return "--" in argv and argv[argv.index("--") + 1:] == args, "argv %r" % argv
    raise AssertionError("unknown assertion " + kind)


def analyze_verify(out, units):
    """systemd-analyze verify on the written units; templates through an instance name."""
    if not units:
        return True, ""
    env = dict(os.environ, SYSTEMD_UNIT_PATH=out + ":", SYSTEMD_LOG_COLOR="0")
    names = [u.replace("@.service", "@verify.service") for u in units]
    p = subprocess.run(["systemd-analyze", "verify", "--man=no"] + names, env=env, cwd=out,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120)
    text = p.stdout.decode(errors="replace")
    return p.returncode == 0 and text.strip() == "", "exit %d:\n%s" % (p.returncode, text)


LOCATION = re.compile(r"(/[^ :]*):(\d+): ")


def verify_agrees(dirs, out, gen_rc, gen_stderr):
    """berth verify --offline says ok exactly for the descriptions that got a real unit, and
    its errors name the same FILE:LINE locations as the generator's."""
    env = dict(os.environ, BERTH_UNIT_PATH=":".join(dirs), BERTH_EXEC_PATH=EXEC)
    p = subprocess.run(WRAP + [CLI, "verify", "--offline"], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=300)
    vout, verr = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")
    ok_paths = {line[:-len(": ok")] for line in vout.splitlines() if line.endswith(": ok")}
    ok_units = {os.path.basename(x)[:-len(".container")] + ".service" for x in ok_paths}
    written = {f for f in os.listdir(out) if f.endswith(".service") and os.path.isfile(os.path.join(out, f))
               and not os.path.islink(os.path.join(out, f)) and not is_placeholder(out, f)}
    gen_locs = set(LOCATION.findall(gen_stderr))
    ver_locs = set(LOCATION.findall(verr))
    good = ok_units == written and gen_locs == ver_locs and (p.returncode == 0) == (gen_rc == 0)
    return good, ("verify exit %d, generator exit %d\nverify ok: %s\ngenerator wrote: %s\n"
                  "only in generator errors: %s\nonly in verify errors: %s\nverify stderr:\n%s"
                  % (p.returncode, gen_rc, sorted(ok_units), sorted(written), sorted(gen_locs - ver_locs),
                     sorted(ver_locs - gen_locs), verr))


def run_case(name, layout_dirs, case_files):
    tmp = tempfile.mkdtemp(prefix="berth-corpus.")
    try:
        dirs = []
        for i, d in enumerate(layout_dirs):
            dst = os.path.join(tmp, "%d-%s" % (i + 1, os.path.basename(d).split("-", 1)[-1]))
            if os.path.isdir(d):
                shutil.copytree(d, dst, symlinks=True)
            else:
                os.makedirs(dst)
                shutil.copy(d, dst)
            dirs.append(dst)
        out = os.path.join(tmp, "out")
        rc, stderr = run_generator(dirs, out)
        assertions = collect_assertions(case_files)
        expect_fail = any(w[0] == "assert-failed" for _, _, w, _, _ in assertions)
        if not any(w[0] == "assert-exit" for _, _, w, _, _ in assertions):
            tap(rc == (1 if expect_fail else 0), "%s: generator exits %d" % (name, 1 if expect_fail else 0),
                "exit %d; stderr:\n%s" % (rc, stderr))
        for path, unit, words, text, instance in assertions:
            try:
                ok, diag = check(words[0], substitute(words[1:], dirs), out, unit, instance, rc, stderr)
            except Exception as e:  # a unit that cannot be split is a failure, not a crash
                ok, diag = False, "%s: %s" % (type(e).__name__, e)
            tap(ok, "%s: %s%s" % (name, (unit + ": ") if unit else "", text), diag)
        ok, diag = verify_agrees(dirs, out, rc, stderr)
        tap(ok, "%s: berth verify --offline agrees with the generator" % name, diag)
        units = sorted(f for f in os.listdir(out) if f.endswith(".service") and os.path.isfile(os.path.join(out, f)))
        if units:
            ok, diag = analyze_verify(out, units)
            tap(ok, "%s: systemd-analyze verify %s" % (name, " ".join(units)), diag)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    print("TAP version 13")
    for f in sorted(glob.glob(os.path.join(HERE, "corpus", "*.container"))):
        run_case(os.path.basename(f), [f], [f])
    for d in sorted(glob.glob(os.path.join(HERE, "cases", "*"))):
        layout = sorted(p for p in glob.glob(os.path.join(d, "*")) if os.path.isdir(p) and not os.path.islink(p))
        files = []
        for root, subdirs, names in os.walk(d):
            subdirs.sort()
            files += [os.path.join(root, x) for x in sorted(names)]
        run_case(os.path.basename(d), layout, files)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
