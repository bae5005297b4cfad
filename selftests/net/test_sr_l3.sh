#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Layer-3 sr, sr1 and srloop in the test lab (selftests/lab/lab.sh), and the
# fields gannet fills for sending: the route picks the interface and the
# next hop; IP src comes from the route, Ether src from the interface, Ether
# dst from the neighbour table or an ARP/NDP question (the router's address
# for off-link targets).  The kernels of the lab's hosts are the oracle: the
# replies they really send, paired with the probes that caused them; Scapy's
# make_table, run in the same namespace on the same probes, is the oracle of
# gannet's --table.  Errors: no route, a next hop that never answers.
#
# Prints TAP-like "ok - name" / "not ok - name" lines.  Needs root; the lab
# is removed on exit, whatever happens.

set -uo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "layer-3 sr tests"

export GN_LAB=gnsr3-$$
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-sr3.XXXXXX")
listener=
cleanup() {
	[ -n "$listener" ] && kill "$listener" 2>/dev/null
	"$lab" down
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
lab_up

# ---- sr1: one echo to the peer ------------------------------------------------

if out=$(at h1 "$gannet" sr1 -F '%IP.src% > %IP.dst% %ICMP.type% id=%ICMP.id% seq=%ICMP.seq%' \
	'IP(dst="10.99.1.2")/ICMP(id=0x1234,seq=7)' 2>&1) &&
	[ "$out" = "10.99.1.2 > 10.99.1.1 echo-reply id=0x1234 seq=0x7" ]; then
	ok "sr1 ICMP echo to the peer: the kernel's reply, matched and dissected"
else
	not_ok "sr1 ICMP echo to the peer" "$out"
fi

# ---- the filled fields ------------------------------------------------------------

h1_mac=$(mac_of h1 h1-eth0)
h2_mac=$(mac_of h2 h2-eth0)
r_mac=$(mac_of r br0)
check_fill_py='
import json, sys
pair = json.loads(sys.stdin.readline())
want = dict(a.split("=", 1) for a in sys.argv[1:])
layers = {l["name"]: l["fields"] for l in pair["probe"]["layers"]}
got = {"Ether.src": layers["Ether"]["src"], "Ether.dst": layers["Ether"]["dst"],
       "src": (layers.get("IP") or layers.get("IPv6"))["src"]}
if got != want:
    print("want %s" % want)
    print("got  %s" % got)
    sys.exit(1)
'
fill_case() { # WHAT EXPR src=... Ether.src=... Ether.dst=...
	local what=$1 expr=$2 out
	shift 2
	if out=$(at h1 "$gannet" srp1 -i h1-eth0 -j "$expr" 2>&1) &&
		res=$(printf '%s\n' "$out" | "$py" -c "$check_fill_py" "$@" 2>&1); then
		ok "filled for $what"
	else
		not_ok "filled for $what" "$out" "$res"
	fi
}
fill_case "an on-link IPv4 peer" 'Ether()/IP(dst="10.99.1.2")/ICMP()' \
	src=10.99.1.1 Ether.src="$h1_mac" Ether.dst="$h2_mac"
fill_case "an off-link IPv4 target (via the router)" 'Ether()/IP(dst="10.99.2.3")/ICMP()' \
	src=10.99.1.1 Ether.src="$h1_mac" Ether.dst="$r_mac"
fill_case "an on-link IPv6 peer (NDP)" 'Ether()/IPv6(dst="fd99:1::2")/ICMPv6EchoRequest()' \
	src=fd99:1::1 Ether.src="$h1_mac" Ether.dst="$h2_mac"
fill_case "an off-link IPv6 target" 'Ether()/IPv6(dst="fd99:2::3")/ICMPv6EchoRequest()' \
	src=fd99:1::1 Ether.src="$h1_mac" Ether.dst="$r_mac"

# The neighbour was not in h3's table: gannet asked, the router answered.
at h3 ip neigh flush dev h3-eth0 >/dev/null 2>&1
if out=$(at h3 "$gannet" sr1 -F '%IP.src%' 'IP(dst="10.99.1.2")/ICMP()' 2>&1) &&
	[ "$out" = 10.99.1.2 ]; then
	ok "sr1 with an empty neighbour table resolves the gateway by ARP"
else
	not_ok "sr1 with an empty neighbour table" "$out"
fi

# ARP at layer 2 with nothing set but pdst: hwsrc, psrc and Ether src filled
if out=$(at h1 "$gannet" srp1 -i h1-eth0 -F '%ARP.hwsrc% %ARP.psrc% %ARP.pdst%' \
	'Ether()/ARP(pdst="10.99.1.2")' 2>&1) && [ "$out" = "$h2_mac 10.99.1.2 10.99.1.1" ]; then
	ok "srp1 ARP who-has with hwsrc/psrc/Ether filled: is-at from the peer"
else
	not_ok "srp1 ARP who-has with hwsrc/psrc/Ether filled" "$out" "(h2 is $h2_mac)"
fi

# ---- send and sendp: the frames the peers really get -------------------------------

# capture NODE IFACE FILTER COUNT -- CMD...: the peer's tcpdump -e lines of
# the frames CMD makes it receive
capture() {
	local node=$1 dev=$2 filter=$3 count=$4 pid
	shift 5
	at "$node" timeout 5 tcpdump -l -c "$count" -enni "$dev" "$filter" >"$T/cap" 2>/dev/null &
	pid=$!
	sleep 0.5
	"$@" >"$T/cmd" 2>&1
	wait $pid
	cat "$T/cap"
}
out=$(capture h2 h2-eth0 "icmp and src 10.99.1.1" 3 -- at h1 "$gannet" send \
	'IP(dst="10.99.1.2")/ICMP(seq=(1,3))')
want="$h1_mac > $h2_mac, ethertype IPv4 (0x0800), length 42: 10.99.1.1 > 10.99.1.2: ICMP echo request"
if [ "$(grep -c -F "$want" <<<"$out")" = 3 ] && grep -q '^Sent 3 packets.$' "$T/cmd"; then
	ok "send: 3 echoes reach the peer with the route's source and both MACs filled"
else
	not_ok "send to the peer" "want 3 x: $want" "$out" "$(cat "$T/cmd")"
fi
h3_mac=$(mac_of h3 h3-eth0)
r_mac1=$(mac_of r r-eth1)
out=$(capture h3 h3-eth0 "udp port 9999" 1 -- at h1 "$gannet" send \
	'IP(dst="10.99.2.3")/UDP(dport=9999)/"x"')
if grep -q -F "$r_mac1 > $h3_mac, ethertype IPv4 (0x0800), length 43: 10.99.1.1.53 > 10.99.2.3.9999: " <<<"$out"; then
	ok "send off-link: through the router, the packet reaches h3"
else
	not_ok "send off-link" "$out" "$(cat "$T/cmd")"
fi
out=$(capture h2 h2-eth0 "icmp and src 10.99.1.1" 1 -- at h1 "$gannet" sendp -i h1-eth0 \
	'Ether()/IP(dst="10.99.1.2")/ICMP()')
if grep -q -F "$h1_mac > $h2_mac, ethertype IPv4" <<<"$out"; then
	ok "sendp: an unset Ether src and dst are the interface's and the neighbour's"
else
	not_ok "sendp filling Ether" "$out" "$(cat "$T/cmd")"
fi
out=$(at h1 "$gannet" send 'IP(dst=["10.99.1.2","10.99.1.79","10.99.1.80"])/ICMP()' 2>&1)
st=$?
if [ $st = 1 ] && grep -q 'not sent: 10.99.1.79 does not answer ARP on h1-eth0' <<<"$out" &&
	grep -q 'not sent: 10.99.1.80 does not answer ARP' <<<"$out" &&
	grep -q '^Sent 1 packets.$' <<<"$out"; then
	ok "send with silent next hops: each reported, the rest sent, status 1"
else
	not_ok "send with silent next hops" "status $st" "$out"
fi

# ---- -q and -v ---------------------------------------------------------------------------

out=$(at h1 "$gannet" send -q 'IP(dst=["10.99.1.2","10.99.1.81"])/ICMP()' 2>&1)
st=$?
if [ $st = 1 ] && [ "$out" = "gannet: send: not sent: 10.99.1.81 does not answer ARP on h1-eth0 (3 tries, 3 s)" ]; then
	ok "send -q: the error only, no count"
else
	not_ok "send -q" "status $st" "$out"
fi
out=$(at h1 "$gannet" sr -q --timeout 1 'IP(dst="10.99.2.3")/ICMP()' 2>&1)
if [ "$out" = "IP / ICMP 10.99.1.1 > 10.99.2.3 echo-request 0 ==> IP / ICMP 10.99.2.3 > 10.99.1.1 echo-reply 0" ]; then
	ok "sr -q: the pairs only"
else
	not_ok "sr -q" "$out"
fi
out=$(at h1 "$gannet" sr --verbose --timeout 0.5 \
	'IP(dst=["10.99.2.3","10.99.1.2"])/UDP(dport=9)/"x"' 2>&1 >/dev/null)
if grep -qx "sr: 10.99.2.3 from 10.99.1.1 out of h1-eth0 to $r_mac" <<<"$out" &&
	grep -qx "sr: 10.99.1.2 from 10.99.1.1 out of h1-eth0 to $h2_mac" <<<"$out"; then
	ok "sr -v: where each destination goes (source, interface, next hop's MAC)"
else
	not_ok "sr -v" "$out" "(router $r_mac, h2 $h2_mac)"
fi

# ---- sr of 1,000 echoes --------------------------------------------------------------

pairs_py='
import json, sys
n = 0
for line in sys.stdin:
    if not line.startswith("{"):
        continue
    p = json.loads(line)
    probe = {l["name"]: l["fields"] for l in p["probe"]["layers"]}
    reply = {l["name"]: l["fields"] for l in p["reply"]["layers"]}
    if "Ether" in probe or "Ether" in reply:
        sys.exit("layer 3 results with a link layer")
    if probe["ICMP"]["seq"] != reply["ICMP"]["seq"] or reply["ICMP"]["type"] != 0:
        sys.exit("pair %d: probe seq %s, reply seq %s type %s" % (n, probe["ICMP"]["seq"],
                 reply["ICMP"]["seq"], reply["ICMP"]["type"]))
    n += 1
print(n)
'
if out=$(at h1 "$gannet" sr -j --retry 3 'IP(dst="10.99.1.2")/ICMP(id=77,seq=(1,1000))' \
	2>"$T/err") && n=$(printf '%s\n' "$out" | "$py" -c "$pairs_py" 2>&1) && [ "$n" = 1000 ]; then
	ok "sr of 1,000 ICMP echoes: 1,000 answers, each with its own probe"
else
	not_ok "sr of 1,000 ICMP echoes" "$n" "$(cat "$T/err")"
fi

# ---- TCP -------------------------------------------------------------------------------

# not through at(): $! must be the listener itself (lab.sh execs into it)
"$lab" exec h3 "$py" -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen(64); time.sleep(60)' >/dev/null 2>&1 &
listener=$!
sleep 0.5
if out=$(at h1 "$gannet" sr1 -F '%TCP.flags%' 'IP(dst="10.99.2.3")/TCP(dport=8080,flags="S")' 2>&1) &&
	[ "$out" = SA ]; then
	ok "sr1 TCP SYN through the router to a listening port gets SA"
else
	not_ok "sr1 TCP SYN to a listening port" "$out"
fi
if out=$(at h1 "$gannet" sr1 -F '%TCP.flags%' 'IP(dst="10.99.2.3")/TCP(dport=8081,flags="S")' 2>&1) &&
	[ "$out" = RA ]; then
	ok "sr1 TCP SYN to a closed port gets RA"
else
	not_ok "sr1 TCP SYN to a closed port" "$out"
fi

# ---- the local stack and the SYN-ACK: afpacket vs xdp ------------------------------

# h3's view of port 80 (the lab's listener) while CMD runs in h1: its lines
rst_window() { # CMD...
	local pid
	at h3 timeout 8 tcpdump -lni h3-eth0 'tcp port 80' >"$T/syn" 2>/dev/null &
	pid=$!
	sleep 0.5
	"$@" >"$T/syn.out" 2>&1
	sleep 0.2
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	cat "$T/syn"
}
out=$(rst_window at h1 "$gannet" sr1 -F '%TCP.flags%' \
	'IP(dst="10.99.2.3")/TCP(dport=80,sport=41001,flags="S")')
if grep -q 'Flags \[S.\]' <<<"$out" && grep -q '10.99.1.1.41001 > 10.99.2.3.80: Flags \[R\]' <<<"$out"; then
	ok "afpacket: the SYN-ACK reaches h1's kernel, which answers it with a RST"
else
	not_ok "afpacket: the kernel's RST" "$out" "$(cat "$T/syn.out")"
fi
# --multi keeps collecting, so the peer's retransmitted SYN-ACK comes to gannet too
out=$(rst_window at h1 "$gannet" sr --backend xdp --multi --timeout 2.5 -F '%TCP.flags%' \
	'IP(dst="10.99.2.3")/TCP(dport=80,sport=41002,flags="S")')
if [ "$(grep -c 'Flags \[S.\]' <<<"$out")" -ge 2 ] && ! grep -q 'Flags \[R' <<<"$out" &&
	grep -qx 'SA' "$T/syn.out"; then
	ok "xdp: the SYN-ACKs (first and retransmitted) go to gannet; h3 sees no RST while it runs"
else
	not_ok "xdp: no RST from the local stack" "$out" "$(cat "$T/syn.out")"
fi

# ---- ttl=1: time exceeded from the router, quoting the probe ------------------------

if out=$(at h1 "$gannet" sr1 -F '%IP.src% %ICMP.type% %IPerror.dst% %r,TCPerror.dport%' \
	'IP(dst="10.99.2.3",ttl=1)/TCP(dport=8080,flags="S")' 2>&1) &&
	[ "$out" = "10.99.1.254 time-exceeded 10.99.2.3 8080" ]; then
	ok "ttl=1 through the router: the ICMP time-exceeded quoting the probe is matched"
else
	not_ok "ttl=1 through the router" "$out"
fi
if out=$(at h1 "$gannet" sr1 -F '%IPv6.src% %r,ICMPv6TimeExceeded.type%' \
	'IPv6(dst="fd99:2::3",hlim=1)/ICMPv6EchoRequest()' 2>&1) &&
	[ "$out" = "fd99:1::fe 3" ]; then
	ok "hlim=1 through the router: the ICMPv6 time-exceeded is matched"
else
	not_ok "hlim=1 through the router (ICMPv6)" "$out"
fi

# ---- checkIPaddr off: an echo to the broadcast address -------------------------------

at h2 sysctl -qw net.ipv4.icmp_echo_ignore_broadcasts=0
out=$(at h1 "$gannet" sr1 --timeout 1 -F '%IP.src%' 'IP(dst="10.99.1.255")/ICMP()' 2>/dev/null)
st=$?
if [ $st = 1 ] && [ -z "$out" ]; then
	ok "an echo to the broadcast address: no answer while IP addresses are checked"
else
	not_ok "an echo to the broadcast address, addresses checked" "status $st" "$out"
fi
if out=$(at h1 "$gannet" sr1 --timeout 1 --no-check-ipaddr -F '%IP.src%' \
	'IP(dst="10.99.1.255")/ICMP()' 2>&1) && { [ "$out" = 10.99.1.2 ] || [ "$out" = 10.99.1.254 ]; }; then
	ok "--no-check-ipaddr: the broadcast echo is answered (Scapy's checkIPaddr=False)"
else
	not_ok "--no-check-ipaddr" "$out"
fi

# ---- srloop ----------------------------------------------------------------------------

if out=$(at h1 "$gannet" srloop -c 3 --inter 0.2 'IP(dst="10.99.1.2")/ICMP()' 2>&1) &&
	[ "$(grep -c '^RECV 1: IP / ICMP 10.99.1.2 > 10.99.1.1 echo-reply 0' <<<"$out")" = 3 ] &&
	grep -q '^Sent 3 packets, received 3 packets. 100.0% hits.$' <<<"$out"; then
	ok "srloop -c 3: three rounds answered, 100.0% hits"
else
	not_ok "srloop -c 3" "$out"
fi
if out=$(at h1 "$gannet" srloop -c 2 --inter 0.2 --timeout 0.3 \
	'IP(dst=["10.99.1.2","10.99.2.3"])/TCP(dport=8082,flags="S")' 2>&1) &&
	[ "$(grep -c '^RECV 2: ' <<<"$out")" = 2 ] &&
	grep -q '^Sent 4 packets, received 4 packets. 100.0% hits.$' <<<"$out"; then
	ok "srloop of two probes: 'RECV 2:' each round"
else
	not_ok "srloop of two probes" "$out"
fi

# A long loop follows the network: a route added while it runs (netlink
# notification) makes it fill its probes again, and the probes still go.
at h1 "$gannet" srloop -c 4 --inter 0.5 'IP(dst="10.99.2.3")/ICMP()' >"$T/loop.out" 2>&1 &
loop=$!
sleep 0.8
at h1 ip route add 10.99.2.3/32 via 10.99.1.254 dev h1-eth0
wait $loop
st=$?
out=$(cat "$T/loop.out")
at h1 ip route del 10.99.2.3/32 via 10.99.1.254 dev h1-eth0
if [ $st = 0 ] && grep -q 'the network tables changed: filling the probes again' <<<"$out" &&
	grep -q '^Sent 4 packets, received 4 packets. 100.0% hits.$' <<<"$out"; then
	ok "srloop follows a route added while it runs (netlink notifications)"
else
	not_ok "srloop follows the network" "status $st" "$out"
fi

# ---- make_table, nsummary against Scapy ------------------------------------------------

probes='IP(dst=["10.99.2.3","10.99.1.2"])/TCP(dport=[22,8080,443])'
mine=$(at h1 "$gannet" sr --table '%IP.dst%' '%r,TCP.dport%' '%TCP.flags%' "$probes" 2>/dev/null |
	tail -n +2)
theirs=$(at h1 "$py" -c '
from scapy.all import *
ans, _ = sr('"$probes"', timeout=2, verbose=0)
ans.make_table(lambda s, r: (s.dst, s.dport, r.sprintf("%TCP.flags%")))' 2>&1)
if [ -n "$mine" ] && [ "$mine" = "$theirs" ]; then
	ok "--table lays out the answers as Scapy's make_table does"
else
	not_ok "--table against Scapy's make_table" "gannet:" "$mine" "Scapy:" "$theirs"
fi
mine=$(at h1 "$gannet" sr --nsummary 'IP(dst="10.99.1.2")/TCP(dport=[22,8080],sport=1234)' 2>/dev/null |
	tail -n +2)
theirs=$(at h1 "$py" -c '
from scapy.all import *
ans, _ = sr(IP(dst="10.99.1.2")/TCP(dport=[22,8080],sport=1234), timeout=2, verbose=0)
ans.nsummary()' 2>&1)
if [ -n "$mine" ] && [ "$(sort <<<"$mine" | cut -c6-)" = "$(sort <<<"$theirs" | cut -c6-)" ]; then
	ok "--nsummary prints the pairs as Scapy's nsummary does"
else
	not_ok "--nsummary against Scapy" "gannet:" "$mine" "Scapy:" "$theirs"
fi

# ---- errors --------------------------------------------------------------------------

start=$(date +%s%N)
out=$(at h1 "$gannet" sr1 'IP(dst="10.99.1.77")/ICMP()' 2>&1)
st=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ $st = 1 ] && grep -q '10.99.1.77 does not answer ARP on h1-eth0' <<<"$out" && [ $ms -lt 6000 ]; then
	ok "an unresolvable next hop: one clear error after ${ms} ms, status 1"
else
	not_ok "an unresolvable next hop" "status $st after $ms ms" "$out"
fi
out=$(at h1 "$gannet" sr 'IP(dst=["10.99.1.2","10.99.1.78"])/ICMP()' 2>&1)
st=$?
if [ $st = 0 ] && grep -q 'probe 2 not sent: 10.99.1.78 does not answer ARP' <<<"$out" &&
	grep -q '^Received [0-9]* packets, got 1 answers, remaining 0 packets' <<<"$out"; then
	ok "sr with one silent next hop: that probe reported, the other answered"
else
	not_ok "sr with one silent next hop" "status $st" "$out"
fi
out=$(at r "$gannet" sr1 'IP(dst="192.0.2.1")/ICMP()' 2>&1)
st=$?
if [ $st = 1 ] && grep -q 'no route to 192.0.2.1' <<<"$out"; then
	ok "a destination with no route: one clear error, status 1"
else
	not_ok "a destination with no route" "status $st" "$out"
fi
out=$(at h1 "$gannet" sr1 -i nosuch0 'IP(dst="10.99.1.2")/ICMP()' 2>&1)
st=$?
if [ $st = 1 ] && grep -q 'nosuch0: no such interface' <<<"$out"; then
	ok "an unknown interface: one clear error, status 1"
else
	not_ok "an unknown interface" "status $st" "$out"
fi

exit $failed
