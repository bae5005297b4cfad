#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Differential test of gannet against Scapy and tshark.

Every line of selftests/diff/cases/*.txt is a packet expression that both
Scapy and gannet read.  For each line:

  bytes    Scapy's bytes(p).hex() of every packet the expression stands for,
           in Scapy's order, against `gannet hex --separate -` (one process
           for every line of every file).
  dissect  for each of those Scapy-built packets, Scapy's dissection of the
           bytes (cls(bytes), cls = the class of the expression's first
           layer) against `gannet dissect -l cls -F json -` (one process per
           first class), layer by layer and field by field.

and for selftests/diff/cases/basic.txt:

  tshark   the packets written by `gannet write` and decoded by tshark
           (-T fields) against the values Scapy reads from the same packets.

Output is TAP-like: one "ok - NAME" or "not ok - NAME" line per case and
check, failures followed by "# " lines that show the difference, a "1..N"
plan at the end; the exit status is 1 when anything failed.

Usage: scapy_diff.py [-v] [-k] [BUILD_DIR]   (default: $GANNET_BUILD, else build/)

How Scapy values are put into gannet's JSON shape, and the few places where
the two are allowed to differ by design:

  - integers (enums and flags included) are JSON numbers;
  - addresses are strings; IPv6 addresses are compared as addresses (both
    sides through Python's ipaddress), so "::1" and "0:0::1" are equal;
  - byte strings are lowercase hex strings;
  - lists and tuples are JSON arrays; a sub-packet is its {"name", "fields"}
    layer object (an array of them when it has a payload), and a list of
    sub-packets one flat array of all their layers (gannet's nested shape);
  - a zero-length byte field after the end of the data is None in Scapy
    (its dissection stops when the bytes run out) and "" in gannet;
  - a conditional field Scapy does not build (ConditionalField whose
    condition is false) is absent on gannet's side and skipped on Scapy's;
  - Scapy keeps the text of a StrField as bytes; gannet may write a field
    that is text by nature (DNS names) as a JSON string: a string equal to
    the hex-decoded bytes, or to their UTF-8 text, is accepted.

Expressions in the cases must be deterministic (no Rand*, no unset
addresses that Scapy would resolve from the routing table): Ether and IP
source and destination addresses are always given.
"""

import ipaddress
import json
import logging
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CASES = os.path.join(HERE, "cases")

# ---------------------------------------------------------------------------
# Scapy, with the protocols gannet has that Scapy does not ship
# ---------------------------------------------------------------------------

from scapy.all import (  # noqa: E402
    ConditionalField, Ether, IP, IPv6, Packet, UDP, TCP, ARP, Dot1Q, BitField,
    StrFixedLenField, FlagValue, bind_bottom_up, bind_layers, conf,
)
import scapy.all as scapy_all  # noqa: E402

conf.verb = 0
# Scapy's warnings about the cases themselves (source routes and the like)
# are not results; keep stderr for real trouble.
logging.getLogger("scapy").setLevel(logging.ERROR)


class ESCP(Packet):
    """The example protocol of the 'add your own protocol' walk-through, as
    gannet's proto/escp.c registers it: UDP port 1337 (dport both ways,
    sport for dissection only)."""
    name = "ESCP"
    fields_desc = [
        BitField("sync", 0b10101, 5),
        BitField("ver", 0b0011, 4),
        BitField("cmd", 0b00010, 5),
        BitField("reserved", 0, 2),
        StrFixedLenField("msg", b"Never gonna let you down", 62),
    ]


bind_bottom_up(UDP, ESCP, sport=1337)
bind_layers(UDP, ESCP, dport=1337)

NAMESPACE = dict(vars(scapy_all))
NAMESPACE["ESCP"] = ESCP


# ---------------------------------------------------------------------------
# TAP output
# ---------------------------------------------------------------------------

class Tap:
    def __init__(self, verbose):
        self.n = 0
        self.failed = 0
        self.verbose = verbose

    def result(self, ok, name, diag=()):
        self.n += 1
        if not ok:
            self.failed += 1
        print(("ok - " if ok else "not ok - ") + name)
        if not ok or self.verbose:
            for line in diag:
                for sub in str(line).splitlines() or [""]:
                    print("#   " + sub)
        sys.stdout.flush()

    def skip(self, name, why):
        self.n += 1
        print("ok - %s # SKIP %s" % (name, why))

    def finish(self):
        print("1..%d" % self.n)
        if self.failed:
            print("# %d of %d failed" % (self.failed, self.n))
        return 1 if self.failed else 0


# ---------------------------------------------------------------------------
# cases
# ---------------------------------------------------------------------------

class Case:
    def __init__(self, fname, lineno, expr):
        self.fname = fname
        self.lineno = lineno
        self.expr = expr
        self.name = "%s:%d" % (fname, lineno)
        self.scapy_pkts = None   # list of Scapy packets, or None
        self.scapy_err = None
        self.scapy_hex = None    # bytes(p).hex() of each
        self.gannet_hex = None   # list of hex strings, or None on error
        self.gannet_err = []     # gannet's messages about this line


def load_cases():
    cases = []
    for fname in sorted(os.listdir(CASES)):
        if not fname.endswith(".txt"):
            continue
        with open(os.path.join(CASES, fname)) as f:
            for lineno, line in enumerate(f, 1):
                line = line.strip()
                if line and not line.startswith("#"):
                    cases.append(Case(fname, lineno, line))
    return cases


def scapy_build(case):
    try:
        pkt = eval(case.expr, NAMESPACE)  # noqa: S307 - test input we own
        if isinstance(pkt, (str, bytes)):
            pkt = scapy_all.Raw(pkt)
        # Iterating a packet expands its sets, in Scapy's order; building
        # each one fixes lengths and checksums.
        case.scapy_pkts = list(pkt)
        case.scapy_hex = [bytes(p).hex() for p in case.scapy_pkts]
    except Exception as e:  # noqa: BLE001 - reported as a failure
        case.scapy_err = "%s: %s" % (type(e).__name__, e)


# ---------------------------------------------------------------------------
# gannet processes
# ---------------------------------------------------------------------------

def run(argv, stdin_text):
    p = subprocess.run(argv, input=stdin_text, capture_output=True, text=True,
                       errors="replace")
    return p.returncode, p.stdout, p.stderr


def parse_separated(out):
    """Output of --separate: {N: [lines]} and the set of N marked 'error'."""
    blocks, errors, cur = {}, set(), None
    for line in out.splitlines():
        if line.startswith("#"):
            head = line[1:].split()
            cur = int(head[0])
            blocks[cur] = []
            if len(head) > 1 and head[1] == "error":
                errors.add(cur)
        elif cur is not None:
            blocks[cur].append(line)
    return blocks, errors


def gannet_hex(gannet, cases):
    text = "".join(c.expr + "\n" for c in cases)
    rc, out, err = run([gannet, "hex", "--separate", "-"], text)
    blocks, errors = parse_separated(out)
    stderr_lines = err.splitlines()
    for i, c in enumerate(cases, 1):
        # a message names the line; the expression and the caret follow it
        tag = "gannet: line %d:" % i
        for k, l in enumerate(stderr_lines):
            if l.startswith(tag):
                c.gannet_err = [l]
                for x in stderr_lines[k + 1:k + 3]:
                    if not x.startswith("    "):
                        break
                    c.gannet_err.append(x)
                break
        c.gannet_hex = None if i in errors or i not in blocks else blocks[i]
        if c.gannet_hex is None and not c.gannet_err:
            # killed by a signal (negative), or it stopped before this line
            c.gannet_err = ["no output for this line (gannet hex exit status %d)" % rc]
    return rc


# ---------------------------------------------------------------------------
# Scapy values in gannet's JSON shape
# ---------------------------------------------------------------------------

def jvalue(v):
    if v is None:
        return None
    if isinstance(v, FlagValue):
        return int(v)
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, str):
        return v
    if isinstance(v, Packet):
        # one sub-packet: its layer object, or an array when it has several
        layers = jlayers(v)
        return layers[0] if len(layers) == 1 else layers
    if isinstance(v, (list, tuple)):
        # a list of sub-packets is one flat array of all their layers
        out = []
        for x in v:
            if isinstance(x, Packet):
                out += jlayers(x)
            else:
                out.append(jvalue(x))
        return out
    if hasattr(v, "__int__"):
        return int(v)
    return str(v)


def jfields(layer):
    fields = {}
    for f in layer.fields_desc:
        if isinstance(f, ConditionalField) and not f._evalcond(layer):
            continue
        # the attribute, as a Scapy user reads it (i2h applied): the raw
        # stored value of an empty option list is b"", its attribute []
        fields[f.name] = jvalue(getattr(layer, f.name))
    return fields


def jlayers(pkt):
    """A packet as gannet's JSON list of layers."""
    out = []
    layer = pkt
    while layer is not None and not isinstance(layer, scapy_all.NoPayload):
        out.append({"name": layer.__class__.__name__, "fields": jfields(layer)})
        layer = layer.payload
    return out


def same_scalar(want, got):
    if want == got:
        return True
    # Scapy stops dissecting when the bytes run out and leaves the fields
    # after that unset (None); gannet gives a zero-length field its value
    if want is None and got == "":
        return True
    if isinstance(want, str) and isinstance(got, str) and ":" in want:
        try:
            return ipaddress.ip_address(want) == ipaddress.ip_address(got)
        except ValueError:
            return False
    return False


def same_text_bytes(want_hex, got):
    try:
        raw = bytes.fromhex(want_hex)
    except ValueError:
        return False
    try:
        return raw.decode("utf-8") == got
    except UnicodeDecodeError:
        return False


def compare(want, got, path, diffs):
    """Append to diffs one line per difference between Scapy (want) and gannet (got)."""
    if isinstance(want, dict) and isinstance(got, dict):
        for k in want:
            if k not in got:
                diffs.append("%s.%s: missing in gannet (scapy: %s)" % (path, k, json.dumps(want[k])))
            else:
                compare(want[k], got[k], "%s.%s" % (path, k), diffs)
        for k in got:
            if k not in want:
                diffs.append("%s.%s: not in scapy (gannet: %s)" % (path, k, json.dumps(got[k])))
        return
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            diffs.append("%s: %d items in scapy, %d in gannet\n  scapy:  %s\n  gannet: %s"
                         % (path, len(want), len(got), json.dumps(want), json.dumps(got)))
            return
        for i, (a, b) in enumerate(zip(want, got)):
            compare(a, b, "%s[%d]" % (path, i), diffs)
        return
    if same_scalar(want, got):
        return
    if isinstance(want, str) and isinstance(got, str) and same_text_bytes(want, got):
        return
    diffs.append("%s: scapy %s, gannet %s" % (path, json.dumps(want), json.dumps(got)))


def layer_names(layers):
    return " / ".join(l.get("name", "?") for l in layers)


def gannet_dissect(gannet, cases, tap):
    """Group every Scapy packet by first class; one gannet process per class."""
    groups = {}
    for c in cases:
        if not c.scapy_pkts:
            continue
        for k, p in enumerate(c.scapy_pkts):
            groups.setdefault(p.__class__.__name__, []).append((c, k, bytes(p)))

    results = {}  # (case, k) -> list of diff lines ([] = same)
    for cls, items in sorted(groups.items()):
        text = "".join(raw.hex() + "\n" for _, _, raw in items)
        rc, out, err = run([gannet, "dissect", "-l", cls, "-F", "json", "--separate", "-"], text)
        blocks, errors = parse_separated(out)
        scls = NAMESPACE[cls]
        for i, (c, k, raw) in enumerate(items, 1):
            want = jlayers(scls(raw))
            if i in errors or i not in blocks or len(blocks[i]) != 1:
                results[(c, k)] = ["gannet dissect gave no JSON for packet %d (exit %d): %s"
                                   % (k + 1, rc, err.strip()[:500])]
                continue
            try:
                got = json.loads(blocks[i][0])["layers"]
            except (ValueError, KeyError, TypeError) as e:
                results[(c, k)] = ["gannet JSON unreadable (%s): %s" % (e, blocks[i][0][:300])]
                continue
            diffs = []
            if [l["name"] for l in want] != [l.get("name") for l in got]:
                diffs.append("layers: scapy %s, gannet %s" % (layer_names(want), layer_names(got)))
            compare(want, got, "packet %d" % (k + 1), diffs)
            results[(c, k)] = diffs

    for c in cases:
        name = "dissect " + c.name
        if c.scapy_err:
            tap.result(False, name, ["scapy cannot build: " + c.expr, c.scapy_err])
            continue
        diffs = []
        for k in range(len(c.scapy_pkts)):
            diffs += results.get((c, k), ["packet %d not dissected" % (k + 1)])
        tap.result(not diffs, name, [c.expr] + diffs[:40])


# ---------------------------------------------------------------------------
# tshark
# ---------------------------------------------------------------------------

def chk_status(pkt, layer_cls):
    """tshark's checksum status for the first layer_cls of pkt: 1 good, 0 bad."""
    layer = pkt[layer_cls]
    if layer_cls is UDP and layer.chksum == 0:
        return "3"  # checksum 0: tshark says "not present"
    again = pkt.__class__(bytes(pkt))
    del again[layer_cls].chksum
    rebuilt = again.__class__(bytes(again))
    return "1" if rebuilt[layer_cls].chksum == layer.chksum else "0"


def has(p, cls):
    return p.haslayer(cls)


TSHARK_FIELDS = [
    ("eth.src", lambda p: p[Ether].src if has(p, Ether) else ""),
    ("eth.dst", lambda p: p[Ether].dst if has(p, Ether) else ""),
    ("eth.type", lambda p: "0x%04x" % p[Ether].type if has(p, Ether) else ""),
    ("vlan.id", lambda p: str(p[Dot1Q].vlan) if has(p, Dot1Q) else ""),
    ("arp.opcode", lambda p: str(p[ARP].op) if has(p, ARP) else ""),
    ("arp.src.proto_ipv4", lambda p: p[ARP].psrc if has(p, ARP) else ""),
    ("arp.dst.proto_ipv4", lambda p: p[ARP].pdst if has(p, ARP) else ""),
    ("ip.src", lambda p: p[IP].src if has(p, IP) else ""),
    ("ip.dst", lambda p: p[IP].dst if has(p, IP) else ""),
    ("ip.proto", lambda p: str(p[IP].proto) if has(p, IP) else ""),
    ("ip.ttl", lambda p: str(p[IP].ttl) if has(p, IP) else ""),
    ("ip.len", lambda p: str(p[IP].len) if has(p, IP) else ""),
    ("ip.checksum.status", lambda p: chk_status(p, IP) if has(p, IP) else ""),
    ("ipv6.src", lambda p: p[IPv6].src if has(p, IPv6) else ""),
    ("ipv6.dst", lambda p: p[IPv6].dst if has(p, IPv6) else ""),
    ("tcp.srcport", lambda p: str(p[TCP].sport) if has(p, TCP) else ""),
    ("tcp.dstport", lambda p: str(p[TCP].dport) if has(p, TCP) else ""),
    ("tcp.flags", lambda p: "0x%04x" % int(p[TCP].flags) if has(p, TCP) else ""),
    ("tcp.checksum.status", lambda p: chk_status(p, TCP) if has(p, TCP) else ""),
    ("udp.srcport", lambda p: str(p[UDP].sport) if has(p, UDP) else ""),
    ("udp.dstport", lambda p: str(p[UDP].dport) if has(p, UDP) else ""),
    ("udp.length", lambda p: str(p[UDP].len) if has(p, UDP) else ""),
    ("udp.checksum.status", lambda p: chk_status(p, UDP) if has(p, UDP) else ""),
]


def tshark_check(gannet, cases, tap, keep):
    name = "tshark basic.txt"
    basic = [c for c in cases if c.fname == "basic.txt" and c.scapy_pkts]
    if not basic:
        tap.skip(name, "no usable line in basic.txt")
        return
    if subprocess.run(["sh", "-c", "command -v tshark"], capture_output=True).returncode:
        tap.skip(name, "tshark not installed")
        return
    tmpdir = tempfile.mkdtemp(prefix="gannet-diff-")
    path = os.path.join(tmpdir, "basic.pcap")
    text = "".join(c.expr + "\n" for c in basic)
    rc, out, err = run([gannet, "write", "-w", path, "-"], text)
    want_n = sum(len(c.scapy_pkts) for c in basic)
    tap.result(rc == 0 and ("Wrote %d packets to %s" % (want_n, path)) in out,
               "write basic.txt", ["exit %d" % rc, out.strip(), err.strip()])
    argv = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "occurrence=f",
            "-E", "separator=|",
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE"]
    for f, _ in TSHARK_FIELDS:
        argv += ["-e", f]
    p = subprocess.run(argv, capture_output=True, text=True)
    rows = p.stdout.splitlines()
    k = 0
    for c in basic:
        diffs = []
        for pkt in c.scapy_pkts:
            again = pkt.__class__(bytes(pkt))  # as read back: every field concrete
            want = [fn(again) for _, fn in TSHARK_FIELDS]
            got = rows[k].split("|") if k < len(rows) else None
            k += 1
            if got is None:
                diffs.append("packet missing from tshark's output")
                continue
            for (fname, _), a, b in zip(TSHARK_FIELDS, want, got):
                if a != b:
                    diffs.append("%s: scapy %r, tshark %r" % (fname, a, b))
        tap.result(not diffs, "tshark " + c.name, [c.expr] + diffs +
                   ([p.stderr.strip()] if diffs and p.returncode else []))
    if len(rows) != want_n:
        tap.result(False, "tshark packet count", ["%d rows for %d packets" % (len(rows), want_n)])
    if keep:
        print("# kept %s" % path)
    else:
        os.unlink(path)
        os.rmdir(tmpdir)


# ---------------------------------------------------------------------------

def main(argv):
    verbose = "-v" in argv
    keep = "-k" in argv
    args = [a for a in argv if not a.startswith("-")]
    build = args[0] if args else os.environ.get("GANNET_BUILD", os.path.join(REPO, "build"))
    gannet = os.path.join(build, "gannet")
    tap = Tap(verbose)
    if not os.access(gannet, os.X_OK):
        print("not ok - %s is not built" % gannet)
        print("1..1")
        return 1

    cases = load_cases()
    for c in cases:
        scapy_build(c)
    gannet_hex(gannet, cases)

    for c in cases:
        name = "bytes " + c.name
        if c.scapy_err:
            tap.result(False, name, [c.expr, "scapy: " + c.scapy_err])
            continue
        want = c.scapy_hex
        if c.gannet_hex is None:
            tap.result(False, name, [c.expr, "gannet refused it:"] + c.gannet_err)
            continue
        diag = [c.expr]
        if len(want) != len(c.gannet_hex):
            diag.append("%d packets from scapy, %d from gannet" % (len(want), len(c.gannet_hex)))
        for k, (a, b) in enumerate(zip(want, c.gannet_hex)):
            if a != b:
                at = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]),
                          min(len(a), len(b)))
                diag.append("packet %d differs at byte %d:" % (k + 1, at // 2))
                diag.append("  scapy:  " + a)
                diag.append("  gannet: " + b)
                diag.append("           " + " " * (at - at % 2) + "^")
        diag += c.gannet_err
        tap.result(len(diag) == 1, name, diag[:40])

    gannet_dissect(gannet, cases, tap)
    tshark_check(gannet, cases, tap, keep)
    return tap.finish()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
