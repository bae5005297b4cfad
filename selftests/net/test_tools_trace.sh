#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet traceroute and gannet scan in a lab of their own
# (selftests/lab/lab.sh): h1 traces and scans h3, two hops away through r.
# The oracles: Scapy's traceroute()/traceroute6() run in h1 on the same
# targets (their TracerouteResult.show() tables), Scapy's make_table for
# the same scan probes, `ss -ltn` in h3 for the ports that listen, and an
# nftables rule set in h3 that drops one port and rejects two with ICMP.
#
# Prints TAP-like "ok - name" / "not ok - name" lines.  Needs root; the lab
# and every process started here are gone on exit, whatever happens.

set -uo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "traceroute and scan tests"

export GN_LAB=gntt-$$
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-tt.XXXXXX")
listener=
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null && wait "$listener" 2>/dev/null
	"$lab" down
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
lab_up

# nftables makes the firewalls of the filtered-port cases (installed here
# when missing; those cases are skipped when that fails).
if ! command -v nft >/dev/null 2>&1; then
	apt-get install -y -q nftables </dev/null >/dev/null 2>&1 ||
		{ apt-get update -q </dev/null >/dev/null 2>&1 &&
			apt-get install -y -q nftables </dev/null >/dev/null 2>&1; }
fi

# Linux rate-limits ICMP errors per peer (6 in a burst, then 1 a second):
# 29 port unreachables from h3 in one go would lose most of them, in
# gannet's run and in Scapy's alike.  The lab's kernels send them all.
for node in r h3; do
	at "$node" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
done

# Listeners of our own in h3, IPv4 and IPv6, on ports the lab's services
# (lab.sh may run some) leave alone: 8080 (http_alt in /etc/services) for
# the traceroute and the scan, 31337 (no name) for the scan.
# Started without the at() function, so that $! is the listener itself
# (lab.sh and ip netns exec exec into it) and the cleanup can end it.
"$lab" exec h3 "$py" -c '
import socket, sys, time
socks = []
for port in (8080, 31337):
    s = socket.socket(socket.AF_INET6)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(64)
    socks.append(s)
time.sleep(900)' >/dev/null 2>&1 &
listener=$!
for _ in $(seq 50); do
	at h3 ss -ltnH 2>/dev/null | grep -q ':31337 ' && break
	sleep 0.1
done

# ---- traceroute against Scapy's --------------------------------------------------

# The header and the rows ("TTL CELL...") of a TracerouteResult.show()
# table, blanks squeezed: what both tables must agree on.
hdr() {
	head -1 | sed 's/  */ /g; s/^ //; s/ $//'
}
rows() {
	tail -n +2 | sed 's/  */ /g; s/ $//'
}

scapy_trace() { # FUNCTION ARGS: traceroute(...) or traceroute6(...) in h1
	at h1 "$py" -c "
from scapy.all import *
a, b = $1
a.show()" 2>/dev/null
}

trace_case() { # NAME GANNET_ARGS SCAPY_CALL HEADER ROW1 ROW2
	local name=$1 args=$2 call=$3 header=$4 row1=$5 row2=$6 mine theirs
	# shellcheck disable=SC2086
	mine=$(at h1 "$gannet" traceroute $args 2>"$T/err")
	theirs=$(scapy_trace "$call")
	if [ "$(hdr <<<"$mine")" = "$header" ] &&
		[ "$(rows <<<"$mine" | sed -n 1p)" = "$row1" ] &&
		[ "$(rows <<<"$mine" | sed -n 2p)" = "$row2" ]; then
		ok "traceroute $name: $row1 | $row2"
	else
		not_ok "traceroute $name" "want header '$header', rows '$row1', '$row2'" "got:" \
			"$mine" "$(cat "$T/err")"
	fi
	if [ -n "$mine" ] && [ "$(hdr <<<"$mine")" = "$(hdr <<<"$theirs")" ] &&
		[ "$(rows <<<"$mine")" = "$(rows <<<"$theirs")" ]; then
		ok "traceroute $name: the same table as Scapy's ($(rows <<<"$mine" | wc -l) TTLs)"
	else
		not_ok "traceroute $name against Scapy" "gannet:" "$mine" "Scapy:" "$theirs"
	fi
}

trace_case "TCP to a listening port" "-p 8080 10.99.2.3" \
	'traceroute("10.99.2.3", dport=8080, verbose=0)' \
	"10.99.2.3:tcp8080" "1 10.99.1.254 11" "2 10.99.2.3 SA"
trace_case "TCP to a closed port" "-p 81 --maxttl 6 10.99.2.3" \
	'traceroute("10.99.2.3", dport=81, maxttl=6, verbose=0)' \
	"10.99.2.3:tcp81" "1 10.99.1.254 11" "2 10.99.2.3 RA"
trace_case "--udp" "--udp 10.99.2.3" \
	'traceroute("10.99.2.3", l4=UDP(sport=RandShort(), dport=33434), verbose=0)' \
	"10.99.2.3:udp33434" "1 10.99.1.254 11" "2 10.99.2.3 3"
trace_case "--icmp" "--icmp --maxttl 10 10.99.2.3" \
	'traceroute("10.99.2.3", l4=ICMP(), maxttl=10, verbose=0)' \
	"10.99.2.3:ICMP" "1 10.99.1.254 11" "2 10.99.2.3 0"
# h3 answers the DNS query when a name server listens there (the lab may
# run one), else with an ICMP port unreachable (type 3).
if at h3 ss -lunH | grep -q ':53 '; then dns_end="2 10.99.2.3"; else dns_end="2 10.99.2.3 3"; fi
trace_case "--dns" "--dns --maxttl 8 10.99.2.3" \
	'traceroute("10.99.2.3", maxttl=8, l4=UDP(sport=RandShort())/DNS(qd=DNSQR(qname="www.test.com")), verbose=0)' \
	"10.99.2.3:udp53" "1 10.99.1.254 11" "$dns_end"
trace_case "--dns -p 5353 (nobody there)" "--dns -p 5353 --maxttl 5 10.99.2.3" \
	'traceroute("10.99.2.3", maxttl=5, l4=UDP(sport=RandShort(), dport=5353)/DNS(qd=DNSQR(qname="www.test.com")), verbose=0)' \
	"10.99.2.3:udp5353" "1 10.99.1.254 11" "2 10.99.2.3 3"
trace_case "IPv6 (hlim, ICMPv6 time exceeded)" "-p 8080 --maxttl 8 fd99:2::3" \
	'traceroute6("fd99:2::3", dport=8080, maxttl=8, verbose=0)' \
	"fd99:2::3 :tcphttp_alt" "1 fd99:1::fe 3" "2 fd99:2::3 SA"
trace_case "IPv6 --icmp (ICMPv6 echo)" "--icmp --maxttl 5 fd99:2::3" \
	'traceroute6("fd99:2::3", maxttl=5, l4=ICMPv6EchoRequest(), verbose=0)' \
	"fd99:2::3 :IER" "1 fd99:1::fe 3" "2 fd99:2::3 129"
trace_case "IPv6 --udp (ICMPv6 port unreachable)" "--udp --maxttl 5 fd99:2::3" \
	'traceroute6("fd99:2::3", maxttl=5, l4=UDP(sport=RandShort(), dport=33434), verbose=0)' \
	"fd99:2::3 :udp33434" "1 fd99:1::fe 3" "2 fd99:2::3 1"

# Two targets: a column each, the nearer one answering at TTL 1 already.
trace_case "two targets" "-p 8080 --maxttl 4 10.99.2.3 10.99.1.2" \
	'traceroute(["10.99.2.3","10.99.1.2"], dport=8080, maxttl=4, verbose=0)' \
	"10.99.1.2:tcp8080 10.99.2.3:tcp8080" "1 10.99.1.2 RA 10.99.1.254 11" \
	"2 10.99.1.2 RA 10.99.2.3 SA"

# A silent TTL is a "-" cell, as in Scapy: the router drops what it
# should answer with time-exceeded (TTL 1 of 10.99.2.3), h3 still answers.
at r nft add table ip gntt 2>/dev/null && at r nft add chain ip gntt out \
	'{ type filter hook output priority 0; }' 2>/dev/null &&
	at r nft add rule ip gntt out icmp type time-exceeded drop 2>/dev/null
if at r nft list table ip gntt >/dev/null 2>&1; then
	out=$(at h1 "$gannet" traceroute -p 8080 --maxttl 3 10.99.2.3 10.99.1.2 2>/dev/null)
	if [ "$(rows <<<"$out" | sed -n 1p)" = "1 10.99.1.2 RA -" ]; then
		ok "traceroute: an unanswered probe is a '-' cell"
	else
		not_ok "traceroute: an unanswered probe" "$out"
	fi
	at r nft delete table ip gntt
else
	skip "traceroute: an unanswered probe is a '-' cell" "nft not available"
fi

# ---- traceroute -j, --graph -----------------------------------------------------------

json_py='
import json, sys
d = json.load(sys.stdin)
t = d["traces"][0]
hops = [(h["ttl"], h["ip"], h.get("icmp_type"), h.get("tcp_flags")) for h in t["hops"]]
want = [(1, "10.99.1.254", 11, None), (2, "10.99.2.3", None, "SA")]
if (t["target"], t["reached"], t["end_ttl"], hops) != ("10.99.2.3", True, 2, want):
    sys.exit("got %s %s %s %s" % (t["target"], t["reached"], t["end_ttl"], hops))
'
if out=$(at h1 "$gannet" traceroute -j -p 8080 10.99.2.3 2>"$T/err") &&
	res=$("$py" -c "$json_py" <<<"$out" 2>&1); then
	ok "traceroute -j: the hops up to the target, reached at TTL 2"
else
	not_ok "traceroute -j" "$out" "$res" "$(cat "$T/err")"
fi

if ! command -v dot >/dev/null 2>&1; then
	apt-get install -y -q graphviz </dev/null >/dev/null 2>&1 ||
		{ apt-get update -q </dev/null >/dev/null 2>&1 &&
			apt-get install -y -q graphviz </dev/null >/dev/null 2>&1; }
fi
if at h1 "$gannet" traceroute -p 8080 --maxttl 4 --graph "$T/out.dot" 10.99.2.3 10.99.2.99 \
	>/dev/null 2>"$T/err" && grep -q '^digraph' "$T/out.dot" &&
	grep -q '"10.99.1.254" -> "10.99.2.3";' "$T/out.dot" &&
	grep -q '"10.99.1.254" -> "10.99.2.99 8080/tcp";' "$T/out.dot" &&
	grep -q '"10.99.2.3" \[shape=box,style=filled' "$T/out.dot"; then
	ok "traceroute --graph FILE.dot: the routes, the target reached, the one not"
else
	not_ok "traceroute --graph FILE.dot" "$(cat "$T/err")" "$(cat "$T/out.dot" 2>/dev/null)"
fi
if ! command -v dot >/dev/null 2>&1; then
	skip "dot -Tsvg accepts the graph" "graphviz not installed and not installable"
	skip "traceroute --graph FILE.svg" "graphviz not installed and not installable"
else
	if dot -Tsvg "$T/out.dot" -o "$T/check.svg" 2>"$T/err" && grep -q '<svg' "$T/check.svg"; then
		ok "dot -Tsvg accepts the graph"
	else
		not_ok "dot -Tsvg accepts the graph" "$(cat "$T/err")"
	fi
	if at h1 "$gannet" traceroute --maxttl 3 --graph "$T/out.svg" 10.99.2.3 >/dev/null \
		2>"$T/err" && grep -q '<svg' "$T/out.svg" && grep -q '10.99.2.3' "$T/out.svg"; then
		ok "traceroute --graph FILE.svg: drawn by dot"
	else
		not_ok "traceroute --graph FILE.svg" "$(cat "$T/err")"
	fi
fi
out=$(PATH=/nonexistent "$gannet" traceroute --graph "$T/x.svg" 10.99.2.3 2>&1)
st=$?
if [ $st = 1 ] && grep -q "needs graphviz's 'dot'" <<<"$out" && grep -q 'FILE.dot' <<<"$out"; then
	ok "traceroute --graph FILE.svg without dot: a clear error suggesting .dot"
else
	not_ok "traceroute --graph FILE.svg without dot" "status $st" "$out"
fi

# ---- scan --------------------------------------------------------------------------------

scan_py='
import json, sys
d = json.load(sys.stdin)
want = set(int(p) for p in sys.argv[1].split())
h = d["hosts"][0]
got = set(p["port"] for p in h["ports"] if p["state"] == "open")
bad = [p for p in h["ports"] if p["state"] not in ("open", "closed")]
if got != want or bad or h["closed"] != len(h["ports"]) - len(want):
    sys.exit("open %s (want %s), other states %s, closed %d" % (sorted(got), sorted(want),
             bad[:5], h["closed"]))
print(len(h["ports"]))
'
listening=$(at h3 ss -ltnH | awk '{ n = split($4, a, ":"); p = a[n] + 0;
	if (p <= 1024 || p == 8080 || p == 31337) print p }' | sort -nu | tr '\n' ' ')
if [ -z "$listening" ]; then
	not_ok "scan: ss -ltn in h3 shows the listeners" "$(at h3 ss -ltn)"
elif out=$(at h1 "$gannet" scan -j -p 1-1024,8080,31337 10.99.2.3 2>"$T/err") &&
	n=$("$py" -c "$scan_py" "$listening" <<<"$out" 2>&1) && [ "$n" = 1026 ]; then
	ok "scan of 1,026 ports of h3: open exactly where ss -ltn listens (${listening% }), the rest closed"
else
	not_ok "scan of h3 against ss -ltn" "listening: $listening" "$n" "$(cat "$T/err")"
fi
out=$(at h1 "$gannet" scan -p 8080,31337,1000-1050 10.99.2.3 2>"$T/err")
if grep -q '^8080/tcp  *open  *http_alt  *syn-ack$' <<<"$out" &&
	grep -q '^31337/tcp  *open  *unknown  *syn-ack$' <<<"$out" &&
	grep -q '^Not shown: 51 closed (reset)$' <<<"$out" &&
	grep -q '^Scan of 10.99.2.3: 53 ports, 2 open, 51 closed, 0 filtered$' <<<"$out" &&
	grep -q '^Scanned 1 host, 53 ports each, in .* probes sent' "$T/err"; then
	ok "scan: open ports with their services, the closed ones counted"
else
	not_ok "scan text report" "$out" "$(cat "$T/err")"
fi

# Firewalled ports: dropped (no answer), rejected with ICMP (the reason).
if command -v nft >/dev/null 2>&1 && at h3 nft -f - <<'EOF'
table inet gntt {
	chain input {
		type filter hook input priority 0;
		tcp dport 9999 drop
		meta nfproto ipv4 tcp dport 9998 reject with icmp type admin-prohibited
		meta nfproto ipv6 tcp dport 9998 reject with icmpv6 type admin-prohibited
		tcp dport 9997 reject with icmpx type port-unreachable
	}
}
EOF
then
	fw_py='
import json, sys
d = json.load(sys.stdin)
got = {p["port"]: (p["state"], p["reason"]) for p in d["hosts"][0]["ports"]}
want = {9996: ("closed", "reset"), 9999: ("filtered", "no answer")}
for a in sys.argv[1:]:
    k, v = a.split("=", 1)
    want[int(k)] = ("filtered", v)
if got != want:
    sys.exit("got  %s\nwant %s" % (got, want))
'
	start=$(date +%s%N)
	if out=$(at h1 "$gannet" scan -j -p 9996-9999 --timeout 0.5 --retry 1 10.99.2.3 2>"$T/err") &&
		res=$("$py" -c "$fw_py" \
			"9998=icmp 3/13 dest-unreach communication-prohibited" \
			"9997=icmp 3/3 dest-unreach port-unreachable" <<<"$out" 2>&1); then
		ok "scan through nftables: dropped port filtered (no answer), rejected ones with the ICMP type/code"
	else
		not_ok "scan through nftables" "$out" "$res" "$(cat "$T/err")"
	fi
	ms=$((($(date +%s%N) - start) / 1000000))
	# two rounds of 0.5 s for the silent port, and no more
	if [ $ms -ge 1000 ] && [ $ms -lt 4000 ]; then
		ok "scan --retry 1 --timeout 0.5: the silent port is asked twice (${ms} ms)"
	else
		not_ok "scan --retry 1 --timeout 0.5" "took $ms ms"
	fi
	if out=$(at h1 "$gannet" scan -j -p 9996-9999 --timeout 0.5 fd99:2::3 2>"$T/err") &&
		res=$("$py" -c "$fw_py" \
			"9998=icmpv6 1/1 Destination unreachable Communication with destination administratively prohibited" \
			"9997=icmpv6 1/4 Destination unreachable Port unreachable" <<<"$out" 2>&1); then
		ok "scan of an IPv6 host through nftables: ICMPv6 reasons"
	else
		not_ok "scan of an IPv6 host through nftables" "$out" "$res" "$(cat "$T/err")"
	fi
else
	skip "scan through nftables" "nftables not available"
fi

# Two hosts, --table: Scapy's make_table of the same probes.
ports='[22,80,443,8080,9997,9998,9999]'
mine=$(at h1 "$gannet" scan --table -p 22,80,443,8080,9997-9999 10.99.2.3 10.99.1.2 2>/dev/null)
theirs=$(at h1 "$py" -c '
from scapy.all import *
ans, _ = sr(IP(dst=["10.99.2.3","10.99.1.2"])/TCP(dport='"$ports"',flags="S"), timeout=2, verbose=0)
ans.make_table(lambda s, r: (s.dst, s.dport,
               r.sprintf("{TCP:%TCP.flags%}{ICMP:%IP.src% - %ICMP.type%}")))' 2>&1)
if [ -n "$mine" ] && [ "$mine" = "$theirs" ]; then
	ok "scan --table of two hosts: Scapy's make_table layout, cell for cell"
else
	not_ok "scan --table against Scapy's make_table" "gannet:" "$mine" "Scapy:" "$theirs"
fi

# --rate paces the probes: 40 at 100/s take 0.4 s at least.
if out=$(at h1 "$gannet" scan -j --rate 100 -p 1-40 10.99.2.3 2>"$T/err") &&
	el=$("$py" -c 'import json,sys; print(json.load(sys.stdin)["elapsed_s"])' <<<"$out") &&
	"$py" -c "import sys; sys.exit(not (0.38 <= $el < 3))"; then
	ok "scan --rate 100: 40 probes in ${el} s"
else
	not_ok "scan --rate 100" "$out" "$(cat "$T/err")"
fi

# ---- bad input --------------------------------------------------------------------------

bad_case() { # WHAT WANT_STATUS GREP ARGS...
	local what=$1 want=$2 pat=$3 out st
	shift 3
	out=$("$gannet" "$@" 2>&1)
	st=$?
	if [ $st = "$want" ] && [ "$(grep -c . <<<"$out")" -le 2 ] && grep -q -- "$pat" <<<"$out"; then
		ok "$what: status $want, '$pat'"
	else
		not_ok "$what" "status $st (want $want)" "$out"
	fi
}
bad_case "scan -p 0" 2 "bad port list '0': '0' is out of range" scan -p 0 10.99.2.3
bad_case "scan -p 70000" 2 "'70000' is out of range" scan -p 70000 10.99.2.3
bad_case "scan -p 5-2" 2 "the range '5-2' runs backwards" scan -p 5-2 10.99.2.3
bad_case "scan -p abc" 2 "'abc' is not a port or a range" scan -p abc 10.99.2.3
bad_case "scan -p 1,,2" 2 "an empty item" scan -p 1,,2 10.99.2.3
bad_case "scan without a host" 2 "missing host" scan -p 80
bad_case "scan of a bad network" 2 "bad network '10.0.0.0/33'" scan 10.0.0.0/33
# in h1, where no name server is reachable: the answer comes at once
out=$(at h1 "$gannet" scan no-such-host.invalid 2>&1)
st=$?
if [ $st = 1 ] && grep -q "cannot resolve 'no-such-host.invalid'" <<<"$out"; then
	ok "scan of an unknown name: status 1, 'cannot resolve'"
else
	not_ok "scan of an unknown name" "status $st" "$out"
fi
bad_case "scan --rate 0" 2 "bad rate '0'" scan --rate 0 10.99.2.3
bad_case "traceroute --minttl 5 --maxttl 2" 2 "--minttl 5 is above --maxttl 2" \
	traceroute --minttl 5 --maxttl 2 10.99.2.3
bad_case "traceroute --maxttl 256" 2 "bad --maxttl '256'" traceroute --maxttl 256 10.99.2.3
bad_case "traceroute --graph x.png" 2 "must end in .dot" traceroute --graph x.png 10.99.2.3
bad_case "traceroute --tcp --udp" 2 "one mode only" traceroute --tcp --udp 10.99.2.3
bad_case "traceroute --icmp -p 80" 2 "-p has no meaning with --icmp" \
	traceroute --icmp -p 80 10.99.2.3
bad_case "traceroute without a target" 2 "missing target" traceroute
bad_case "traceroute -4 of an IPv6 address" 2 "'fd99::1' is not an IPv4 address" \
	traceroute -4 fd99::1
for cmd in traceroute scan; do
	if "$gannet" "$cmd" --help | grep -q "^Usage: gannet $cmd" &&
		"$gannet" --help | grep -q "^  $cmd "; then
		ok "$cmd --help, and $cmd in the overview"
	else
		not_ok "$cmd --help"
	fi
done

exit $failed
