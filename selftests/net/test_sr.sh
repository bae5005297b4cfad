#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet srp / srp1 against replies the kernel really sends: three hosts
# (a, b, c) on one bridge in a switch namespace, all namespaces of this run
# only (gnsr-PID-*), with addresses of their own; a trap removes them even on
# failure.  TAP-like output.  Needs root; skips otherwise.
#
# Usage: selftests/net/test_sr.sh [BUILD_DIR]   (default: $GANNET_BUILD, else build/)

set -u

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_build_dir "${1:-}"
G=$gannet
PY=/usr/bin/python3

P=gnsr-$$
NS_SW=$P-sw
# 10.150-199.x.0/24: this run's own network, inside the namespaces only
NET=10.$((150 + $$ % 50)).$(($$ / 50 % 250))
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-sr.XXXXXX")
PIDS=()

cleanup() {
	kill_pids KILL "${PIDS[@]}"
	netns_down "$P-sw" "$P-a" "$P-b" "$P-c"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" -ne 0 ] || ! ip netns add "$NS_SW" 2>/dev/null; then
	echo "ok - sr tests # SKIP need root and network namespaces"
	exit 0
fi

# a switch namespace with a bridge; hosts a (.1), b (.2), c (.3)
ip -n "$NS_SW" link add br0 type bridge
ip -n "$NS_SW" link set br0 up
i=0
for h in a b c; do
	i=$((i + 1))
	ip netns add "$P-$h"
	ip link add "sw$i" netns "$NS_SW" type veth peer name eth0 netns "$P-$h"
	ip -n "$NS_SW" link set "sw$i" master br0 up
	ip -n "$P-$h" link set eth0 address "02:5e:00:00:00:0$i"
	ip -n "$P-$h" addr add "$NET.$i/24" dev eth0
	ip -n "$P-$h" link set eth0 up
	ip -n "$P-$h" link set lo up
done
# bridge ports need a moment to forward; wait until a reaches b and c
for _ in $(seq 50); do
	ip netns exec "$P-a" ping -c1 -W1 "$NET.2" >/dev/null 2>&1 &&
		ip netns exec "$P-a" ping -c1 -W1 "$NET.3" >/dev/null 2>&1 && break
	sleep 0.1
done
# forget what that ping taught a's ARP cache
ip -n "$P-a" neigh flush dev eth0

in_a() { ip netns exec "$P-a" "$@"; }
MAC_A=02:5e:00:00:00:01
MAC_B=02:5e:00:00:00:02

# --- ARP who-has over the /24: exactly the hosts that exist answer ---------
arp_scan() {
	in_a "$G" srp -i eth0 --timeout 1 \
		"Ether(src='$MAC_A', dst='ff:ff:ff:ff:ff:ff')/ARP(hwsrc='$MAC_A', psrc='$NET.1', pdst='$NET.0/24')" \
		>"$T/arp" 2>"$T/arp.err" || return 1
	head -n 1 "$T/arp" | grep -q "got 2 answers, remaining 254 packets" || return 1
	[ "$(grep -c ' ==> ' "$T/arp")" -eq 2 ] || return 1
	grep -q "ARP who has $NET.2 says $NET.1 ==> Ether / ARP is at 02:5e:00:00:00:02 says $NET.2" "$T/arp" &&
		grep -q "ARP who has $NET.3 says $NET.1 ==> Ether / ARP is at 02:5e:00:00:00:03 says $NET.3" "$T/arp"
}
if arp_scan; then ok "srp ARP who-has over a /24: b and c answer, nobody else"
else not_ok "srp ARP who-has over a /24: b and c answer, nobody else" "$(cat "$T/arp" "$T/arp.err" | head -20)"; fi

# --- 1,000 ICMP echoes: 1,000 answers, each paired with its own probe ------
echo_1000() {
	# --retry: a probe the kernel dropped on a loaded machine (the veth
	# backlog holds 1,000 packets) is sent again, as Scapy's retry does
	in_a "$G" srp -i eth0 --timeout 2 --retry 3 -F json \
		"Ether(src='$MAC_A', dst='$MAC_B')/IP(src='$NET.1', dst='$NET.2')/ICMP(id=4242, seq=(1,1000))" \
		>"$T/echo" 2>"$T/echo.err" || return 1
	head -n 1 "$T/echo" | grep -q "got 1000 answers, remaining 0 packets" || return 1
	tail -n +2 "$T/echo" | "$PY" -c '
import json, sys
seqs = set()
for line in sys.stdin:
    pair = json.loads(line)
    probe = {l["name"]: l["fields"] for l in pair["probe"]["layers"]}
    reply = {l["name"]: l["fields"] for l in pair["reply"]["layers"]}
    assert reply["ICMP"]["type"] == 0, reply
    assert reply["ICMP"]["seq"] == probe["ICMP"]["seq"], (probe, reply)
    assert reply["ICMP"]["id"] == 4242 and reply["IP"]["src"] == probe["IP"]["dst"]
    assert pair["rtt_ms"] >= 0
    seqs.add(probe["ICMP"]["seq"])
assert seqs == set(range(1, 1001)), len(seqs)
'
}
if echo_1000; then ok "srp of 1,000 ICMP echoes: 1,000 answers, each with its own probe"
else not_ok "srp of 1,000 ICMP echoes: 1,000 answers, each with its own probe" "$(head -5 "$T/echo" "$T/echo.err")"; fi

# --- TCP SYN: SA from a listening port, RA from a closed one ----------------
ip netns exec "$P-b" "$PY" -c '
import socket, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 8080)); s.listen(8); time.sleep(60)' &
PIDS+=($!)
disown
for _ in $(seq 50); do
	ip netns exec "$P-b" ss -ltn 2>/dev/null | grep -q ':8080 ' && break
	sleep 0.1
done
syn() { # name, port, the flags the answer must have
	in_a "$G" srp1 -i eth0 --timeout 2 -F '%TCP.flags%' \
		"Ether(src='$MAC_A', dst='$MAC_B')/IP(src='$NET.1', dst='$NET.2')/TCP(sport=40000, dport=$2, flags='S', seq=1000)" \
		>"$T/syn" 2>&1
	if [ "$(head -n 1 "$T/syn")" = "$3" ]; then ok "$1"; else not_ok "$1" "$(cat "$T/syn")"; fi
}
syn "srp1 TCP SYN to a listening port gets SA" 8080 SA
syn "srp1 TCP SYN to a closed port gets RA" 8081 RA

# --- nothing answers: srp1 says so with exit status 1, after the timeout ----
no_answer() {
	local start end rc
	start=$(date +%s.%N)
	in_a "$G" srp1 -i eth0 --timeout 0.5 \
		"Ether(src='$MAC_A', dst='02:5e:00:00:00:99')/IP(src='$NET.1', dst='$NET.99')/ICMP()" \
		>"$T/none" 2>"$T/none.err"
	rc=$?
	end=$(date +%s.%N)
	[ "$rc" -eq 1 ] && grep -q "0 answered, 1 unanswered" "$T/none.err" &&
		awk -v a="$start" -v b="$end" 'BEGIN { exit !(b - a >= 0.5 && b - a < 5) }'
}
if no_answer; then ok "srp1 with no answer ends after the timeout, exit status 1"
else not_ok "srp1 with no answer ends after the timeout, exit status 1" "$(cat "$T/none" "$T/none.err")"; fi

# --- bad input: unknown interface, bad option --------------------------------
in_a "$G" srp -i nosuchif0 "Ether()/ARP()" >"$T/bad" 2>&1
rc=$?
if [ "$rc" -eq 1 ] && grep -q "nosuchif0" "$T/bad"; then ok "srp on an unknown interface: one clear error, exit 1"
else not_ok "srp on an unknown interface: one clear error, exit 1" "rc=$rc" "$(cat "$T/bad")"; fi
"$G" srp --timeout -1 "Ether()/ARP()" >"$T/bad" 2>&1
rc=$?
if [ "$rc" -eq 2 ] && grep -q "bad timeout" "$T/bad"; then ok "srp with a bad timeout: usage error, exit 2"
else not_ok "srp with a bad timeout: usage error, exit 2" "rc=$rc" "$(cat "$T/bad")"; fi
exit "$failed"
