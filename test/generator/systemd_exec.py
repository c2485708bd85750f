# SPDX-License-Identifier: MIT
"""How systemd 252 turns an ExecStart= value into argv, for checking generated units.

Written from systemd.service(5) "Command lines" and systemd.unit(5) "Specifiers":
  1. words are split at whitespace; "..." and '...' quote (also mid-word), C escapes are
     decoded inside and outside quotes (EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE);
  2. specifiers are expanded in each word (%% is a literal %, an unknown one is an error);
  3. at start, $$ is a literal $, ${VAR} and a word that is exactly $VAR are expanded
     (here: an error, since berth's units must never expand anything).
Works on bytes, because \\xNN escapes produce raw bytes."""

WHITESPACE = b" \t\n\r"
SIMPLE_ESCAPES = {
    ord("a"): b"\a", ord("b"): b"\b", ord("f"): b"\f", ord("n"): b"\n", ord("r"): b"\r",
    ord("t"): b"\t", ord("v"): b"\v", ord("\\"): b"\\", ord('"'): b'"', ord("'"): b"'",
    ord("s"): b" ",
}


class SplitError(ValueError):
    pass


def _unescape(s, i):
    """s[i] is the character after a backslash; returns (decoded bytes, next index)."""
    if i >= len(s):
        raise SplitError("trailing backslash")
    c = s[i]
    if c in SIMPLE_ESCAPES:
        return SIMPLE_ESCAPES[c], i + 1
    if c == ord("x"):
        v = int(s[i + 1:i + 3], 16)
        if v == 0:
            raise SplitError("\\x00")
        return bytes([v]), i + 3
    if ord("0") <= c <= ord("7"):
        v = int(s[i:i + 3], 8)
        if v == 0:
            raise SplitError("\\000")
        return bytes([v]), i + 3
    if c in (ord("u"), ord("U")):
        n = 4 if c == ord("u") else 8
        return chr(int(s[i + 1:i + 1 + n], 16)).encode(), i + 1 + n
    raise SplitError("unknown escape \\%c" % c)


def split_words(line):
    words, i, n = [], 0, len(line)
    while True:
        while i < n and line[i] in WHITESPACE:
            i += 1
        if i >= n:
            return words
        word = b""
        while i < n and line[i] not in WHITESPACE:
            c = line[i]
            if c in (ord('"'), ord("'")):
                i += 1
                while True:
                    if i >= n:
                        raise SplitError("unterminated quote")
                    if line[i] == c:
                        i += 1
                        break
                    if line[i] == ord("\\"):
                        piece, i = _unescape(line, i + 1)
                        word += piece
                    else:
                        word += line[i:i + 1]
                        i += 1
            elif c == ord("\\"):
                piece, i = _unescape(line, i + 1)
                word += piece
            else:
                word += line[i:i + 1]
                i += 1
        words.append(word)


def expand_specifiers(word, specifiers):
    out, i = b"", 0
    while i < len(word):
        if word[i] == ord("%"):
            if i + 1 >= len(word):
                raise SplitError("lone % at the end of %r" % word)
            key = chr(word[i + 1])
            if key == "%":
                out += b"%"
            elif key in specifiers:
                out += specifiers[key].encode()
            else:
                raise SplitError("unknown specifier %%%s in %r" % (key, word))
            i += 2
        else:
            out += word[i:i + 1]
            i += 1
    return out


def expand_dollars(word):
    out, i = b"", 0
    if word.startswith(b"$") and len(word) > 1 and word[1:2] not in (b"$", b"{"):
        raise SplitError("word %r would be replaced by an environment variable" % word)
    while i < len(word):
        if word[i:i + 2] == b"$$":
            out += b"$"
            i += 2
        elif word[i:i + 2] == b"${":
            raise SplitError("${...} would be expanded in %r" % word)
        else:
            out += word[i:i + 1]
            i += 1
    return out


def exec_argv(value, unit_name, instance=""):
    """ExecStart= value (bytes or str) -> argv as systemd would run it (list of bytes)."""
    if isinstance(value, str):
        value = value.encode()
    prefix = unit_name.split("@")[0].rsplit(".", 1)[0]
    specifiers = {"n": unit_name, "N": unit_name.rsplit(".", 1)[0], "p": prefix, "P": prefix,
                  "i": instance, "I": instance}
    return [expand_dollars(expand_specifiers(w, specifiers)) for w in split_words(value)]


def read_unit(path):
    """A unit file -> list of (section, key, value-bytes), continuation lines joined."""
    entries, section, pending = [], None, b""
    with open(path, "rb") as f:
        for raw in f.read().split(b"\n"):
            line = pending + raw.strip()
            pending = b""
            if line.endswith(b"\\"):
                pending = line[:-1] + b" "
                continue
            if not line or line[:1] in (b"#", b";"):
                continue
            if line.startswith(b"["):
                section = line[1:line.index(b"]")].decode()
                continue
            key, _, value = line.partition(b"=")
            entries.append((section, key.strip().decode(), value.strip()))
    return entries


def main(argv):
    """systemd_exec.py UNIT-FILE [INSTANCE]: prints the ExecStart argv, NUL-terminated words,
    for shell tests that run a generated unit's command the way systemd would."""
    import os
    import sys
    path = argv[1]
    instance = argv[2] if len(argv) > 2 else ""
    starts = [v for s, k, v in read_unit(path) if s == "Service" and k == "ExecStart"]
    if len(starts) != 1:
        sys.stderr.write("%s: expected one ExecStart=, found %d\n" % (path, len(starts)))
        return 1
    unit = os.path.basename(path)
    if instance:
        unit = unit.replace("@.", "@%s." % instance)
    for w in exec_argv(starts[0], unit, instance):
        sys.stdout.buffer.write(w + b"\0")
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(main(sys.argv))
