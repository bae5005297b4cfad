#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Scapy's own verdicts for the sr matching pairs of selftests/unit/test_answers.c.

The unit test records, for each (probe, reply) pair of packet expressions,
whether the reply answers the probe and whether both have the same hashret,
and checks gannet against those values.  This script reads the same table
(between the BEGIN PAIRS and END PAIRS comments, string macros resolved) and
derives every verdict again from Scapy:

    conf.checkIPaddr = not noaddr
    p = Ether(bytes(PROBE)); r = Ether(bytes(REPLY))
    answers = bool(r.answers(p)); same_hash = p.hashret() == r.hashret()

and, when the gannet binary is at hand ($GANNET, else BUILD/gannet), that
gannet builds every expression to Scapy's bytes (else the verdicts would be
about different packets).

Output is TAP-like, one "ok - NAME" / "not ok - NAME" line per pair and
check, then "1..N"; the exit status is 1 when anything failed.

Usage: answers_scapy.py [BUILD_DIR]   (default: $GANNET_BUILD, else build/)
"""

import logging
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TABLE = os.path.join(REPO, "selftests", "unit", "test_answers.c")

logging.getLogger("scapy").setLevel(logging.ERROR)
import scapy.all as scapy_all  # noqa: E402
from scapy.all import Ether, conf  # noqa: E402

conf.verb = 0

TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_]\w*)|(0x[0-9a-fA-F]+|\d+)|(.))', re.S)


def c_string(lit):
    """The text of a C string literal (the escapes the table uses)."""
    body = lit[1:-1]
    return re.sub(r'\\(x[0-9a-fA-F]{2}|.)',
                  lambda m: chr(int(m.group(1)[1:], 16)) if m.group(1)[0] == "x"
                  else {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def tokens(text):
    pos = 0
    out = []
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group(1):
            out.append(("str", c_string(m.group(1))))
        elif m.group(2):
            out.append(("id", m.group(2)))
        elif m.group(3):
            out.append(("num", m.group(3)))
        elif m.group(4) and not m.group(4).isspace():
            out.append(("punct", m.group(4)))
    return out


def strip_comments(text):
    return re.sub(r"/\*.*?\*/", " ", text, flags=re.S)


def read_table(path):
    """[(probe, reply, noaddr, answers, same_hash, line)] from the C table."""
    src = open(path).read()
    macros = {}
    # string macros: #define NAME "..." NAME2 "..." (continued lines joined)
    for m in re.finditer(r"^#define\s+(\w+)\s+((?:.*\\\n)*.*)$", src, re.M):
        body = strip_comments(m.group(2).replace("\\\n", " "))
        toks = tokens(body)
        if toks and all(t[0] in ("str", "id") for t in toks):
            macros[m.group(1)] = toks

    def expand(toks):
        s = ""
        for kind, val in toks:
            if kind == "str":
                s += val
            elif val in macros:
                s += expand(macros[val])
            else:
                raise ValueError("unknown name %s in a string" % val)
        return s

    begin = src.index("BEGIN PAIRS")
    begin = src.index("\n", begin) + 1
    end = src.index("/* END PAIRS")
    first_line = src.count("\n", 0, begin) + 1
    body = src[begin:end]
    # keep line numbers: comments become the same number of newlines
    body = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), body, flags=re.S)
    rows = []
    for m in re.finditer(r"\{(.*?)\}\s*,", body, re.S):
        line = first_line + body.count("\n", 0, m.start())
        fields, cur = [], []
        for t in tokens(m.group(1)):
            if t == ("punct", ","):
                fields.append(cur)
                cur = []
            else:
                cur.append(t)
        fields.append(cur)
        if len(fields) != 5:
            raise ValueError("line %d: %d fields, want 5" % (line, len(fields)))

        def flag(f):
            if len(f) != 1 or f[0][1] not in ("true", "false"):
                raise ValueError("line %d: want true or false, got %r" % (line, f))
            return f[0][1] == "true"

        rows.append((expand(fields[0]), expand(fields[1]), flag(fields[2]), flag(fields[3]),
                     flag(fields[4]), line))
    return rows


def scapy_packet(expr):
    return eval(expr, vars(scapy_all))  # noqa: S307 - the table's own expressions


def gannet_hex(gannet, exprs):
    """gannet's hex for each expression (None when it refused it)."""
    p = subprocess.run([gannet, "hex", "--separate", "-"], input="\n".join(exprs) + "\n",
                       capture_output=True, text=True, timeout=120)
    blocks = {}
    cur = None
    for line in p.stdout.splitlines():
        m = re.match(r"^#(\d+)(.*)$", line)
        if m:
            cur = int(m.group(1))
            blocks[cur] = [] if "error" not in m.group(2) else None
        elif cur is not None and blocks.get(cur) is not None and line.strip():
            blocks[cur].append(line.strip())
    return [("".join(blocks[i + 1]) if blocks.get(i + 1) else None) for i in range(len(exprs))]


def main(argv):
    build = argv[1] if len(argv) > 1 else os.environ.get("GANNET_BUILD",
                                                         os.path.join(REPO, "build"))
    gannet = os.environ.get("GANNET", os.path.join(build, "gannet"))
    rows = read_table(TABLE)
    n = 0
    failed = 0

    def report(ok, name, why=None):
        nonlocal n, failed
        n += 1
        print("%s - %s" % ("ok" if ok else "not ok", name))
        if not ok:
            failed += 1
            for ln in (why or "").splitlines():
                print("# " + ln)

    exprs = sorted({e for r in rows for e in r[:2]})
    if os.access(gannet, os.X_OK):
        got = dict(zip(exprs, gannet_hex(gannet, exprs)))
        for e in exprs:
            want = bytes(scapy_packet(e)).hex()
            report(got[e] == want, "bytes %s" % e,
                   "scapy  %s\ngannet %s" % (want, got[e]))
    else:
        print("ok - bytes # SKIP no gannet binary at %s" % gannet)

    for probe, reply, noaddr, answers, same_hash, line in rows:
        conf.checkIPaddr = not noaddr
        try:
            p = Ether(bytes(scapy_packet(probe)))
            r = Ether(bytes(scapy_packet(reply)))
            a = bool(r.answers(p))
            h = p.hashret() == r.hashret()
        finally:
            conf.checkIPaddr = True
        name = "verdicts test_answers.c:%d%s" % (line, " (checkIPaddr off)" if noaddr else "")
        report(a == answers and h == same_hash, name,
               "probe %s\nreply %s\nScapy: answers %s, same hash %s; table: %s, %s"
               % (probe, reply, a, h, answers, same_hash))
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
