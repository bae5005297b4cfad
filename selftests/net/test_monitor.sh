#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The monitor backend and the ARP monitor on real interfaces.  Network
# namespaces of this run only: gnmo-PID-a sends, gnmo-PID-b monitors (veth
# pairs a0-b0, a1-b1), and the lab (GN_LAB=gnmon-PID) for arpmon; a trap
# removes it all, even on failure.  TAP-like output: "ok - NAME" / "not ok -
# NAME" with "#" lines saying why.  Needs root; skips otherwise.
#
# What it shows: sniff --backend monitor receives exactly the frames its
# filter matches, byte for byte, while every frame still reaches the kernel
# (a UDP socket receives all of them, ping is answered); the counters add
# up, a full ring is counted, the snap length and timestamps are right,
# several interfaces share one ring, jumbo frames come whole; a filter that
# does not compile is a usage error; the program goes on exit, SIGINT and
# SIGTERM, and a killed run's program is replaced by the next run.  Then
# arpmon in the lab: new station with h2's real MAC, changed ethernet
# address, flip flop, the state file across a restart, JSON lines, hosts
# resolving each other meanwhile, nothing but ARP delivered, the afpacket
# fallback.  Then figures: packets/s of sniff --backend monitor and
# afpacket, and what the monitor costs traffic it does not match.
#
# Usage: selftests/net/test_monitor.sh [BUILD_DIR]   (default: $GANNET_BUILD, else build/)
# GN_MON_BENCH_N: frames for the measurements (default 300000; 0 = skip them).

set -u

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_build_dir "${1:-}"
B=$build G=$gannet
ARPMON=$B/arpmon
LAB=$lab
BENCH_N=${GN_MON_BENCH_N:-300000}

NA=gnmo-$$-a
NB=gnmo-$$-b
export GN_LAB=gnmon-$$
# 10.200-249.x.0/24: a network of this run's own, inside the namespaces only.
NET=10.$((200 + $$ % 50)).$(($$ / 50 % 250))
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-monitor.XXXXXX")
PIDS=()
LAB_UP=0

cleanup() {
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	netns_down "$NA" "$NB"
	[ "$LAB_UP" = 1 ] && "$LAB" down >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then skip_all "monitor tests" "need root and iproute2"; fi
netns_up "monitor tests" "$NA" "$NB"

inA() { ip netns exec "$NA" "$@"; }
inB() { ip netns exec "$NB" "$@"; }

for i in 0 1; do
	if ! ip link add "a$i" netns "$NA" type veth peer name "b$i" netns "$NB"; then
		not_ok "veth setup"
		finish
	fi
	ip -n "$NA" addr add "$NET.$((1 + i * 16))/28" dev "a$i"
	ip -n "$NB" addr add "$NET.$((2 + i * 16))/28" dev "b$i"
	ip -n "$NA" link set "a$i" up
	ip -n "$NB" link set "b$i" up
done

# ---- the API program -------------------------------------------------------------

API=$T/monitor_api
if ! build_api monitor_api "$API" "$T/api-build.err"; then
	not_ok "monitor_api.c builds" "$(head -n 5 "$T/api-build.err")"
	finish
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

MACA=$(inA cat /sys/class/net/a0/address)
MACB=$(inB cat /sys/class/net/b0/address)
ETH="Ether(src=\"$MACA\",dst=\"$MACB\")"
IP4="IP(src=\"$NET.1\",dst=\"$NET.2\")"

# A UDP socket on ports 1337 and 1338 in B: one line "PORT LEN" per
# datagram the kernel delivers, for as long as the tests run.
ip netns exec "$NB" python3 -u -c '
import select, socket
ss = []
for p in (1337, 1338):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", p))
    ss.append(s)
print("ready")
while True:
    for s in select.select(ss, [], [])[0]:
        d, a = s.recvfrom(65535)
        print(s.getsockname()[1], len(d))
' >"$T/witness" 2>"$T/witness.err" &
PIDS+=("$!")

witness() { grep -c "^$1 " "$T/witness"; }

# wait_lines FILE N [PATTERN]: until FILE has at least N such lines (5 s at most).
wait_lines() {
	for _ in $(seq 100); do
		[ "$(grep -c "${3:-.}" "$1" 2>/dev/null)" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# bg NAME READY-FILE READY-PATTERN NS CMD...: CMD in namespace NS in the
# background, output in $T/NAME.out and .err; returns once READY-PATTERN
# shows in READY-FILE (.out or .err).  $BPID is CMD itself: `ip netns exec`
# execs it (a shell function in the background would be a subshell).
bg() {
	local name=$1 rf=$2 pat=$3 ns=$4
	shift 4
	ip netns exec "$ns" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	BPID=$!
	PIDS+=("$BPID")
	for _ in $(seq 200); do
		grep -q "$pat" "$T/$name.$rf" 2>/dev/null && return 0
		kill -0 "$BPID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

sniff_bg() { # NAME ARGS...
	local name=$1
	shift
	bg "$name" err 'listening on' "$NB" "$G" sniff "$@"
}

listen_bg() { # NAME ARGS...
	local name=$1
	shift
	bg "$name" out '^ready' "$NB" "$API" listen "$@"
}

# stop PID [SIG]: the signal (TERM), then its exit status in $rc (KILL after 5 s: 137).
stop() {
	# bash reports a job killed by a signal on its own stderr: not here
	exec 3>&2 2>/dev/null
	kill -"${2:-TERM}" "$1"
	for _ in $(seq 100); do
		kill -0 "$1" || break
		sleep 0.05
	done
	kill -KILL "$1"
	wait "$1"
	rc=$?
	exec 2>&3 3>&-
}

# counter FILE NAME: one value of the "counters" line of monitor_api
counter() { sed -n "s/^counters.* $2=\([0-9]*\).*/\1/p" "$1"; }

# balanced FILE: every frame seen was matched or not and passed; every
# frame matched was copied or found the ring full; every copy was received.
balanced() {
	local f=$1 seen mat nom cop full pas rec
	seen=$(counter "$f" seen) mat=$(counter "$f" matched) nom=$(counter "$f" not_matched)
	cop=$(counter "$f" copied) full=$(counter "$f" ringbuf_full) pas=$(counter "$f" passed)
	rec=$(counter "$f" received)
	[ -n "$seen" ] && [ "$seen" -eq $((mat + nom)) ] && [ "$mat" -eq $((cop + full)) ] &&
		[ "$pas" -eq "$seen" ] && [ "$rec" -eq "$cop" ]
}

xdp_progs() { # NS IF: the XDP programs attached to IF, as "name id" lines
	ip netns exec "$1" ip -d link show dev "$2" |
		sed -n 's/.*prog\/xdp id \([0-9]*\) name \([^ ]*\).*/\2 \1/p'
}

sendA() { # IF COUNT EXPR
	inA "$G" sendp -i "$1" -c "$2" "$3" >/dev/null 2>>"$T/sendp.err"
}

# answered: the kernel in B answers an ICMP echo from A
answered() {
	inA "$G" srp1 -i a0 --timeout 1 -F summary "$ETH/$IP4/ICMP(id=77)" >/dev/null 2>&1
}

# ---- sniff --backend monitor: what the filter matches, and the kernel gets it all ----

wait_lines "$T/witness" 1 '^ready' || not_ok "the UDP witness starts" "$(cat "$T/witness.err")"

MATCH="$ETH/$IP4/UDP(sport=4000,dport=1337)/Raw(load=[\"a\"*10,\"b\"*100,\"c\"*500,\"d\"*1000,\"e\"*1400])"
OTHER="$ETH/$IP4/UDP(sport=4000,dport=1338)/'other'"
if sniff_bg filt --backend monitor -i b0 -c 5 --timeout 10 -w "$T/filt.pcap" 'udp port 1337'; then
	w7=$(witness 1337) w8=$(witness 1338)
	sendA a0 3 "$OTHER"
	answered
	ping_rc=$?
	sendA a0 1 "$MATCH"
	wait "$BPID"
	frc=$?
	wait_lines "$T/witness" $((w7 + w8 + 8)) '^133[78] '
	"$G" hex "$MATCH" >"$T/sent.hex"
	"$G" read -F hex "$T/filt.pcap" >"$T/got.hex" 2>"$T/read.err"
	sent_bytes=$(awk '{ s += length($0) / 2 } END { print s }' "$T/sent.hex")
	got_bytes=$(awk '{ s += length($0) / 2 } END { print s }' "$T/got.hex")
	after=$(xdp_progs "$NB" b0)
	cmp -s "$T/sent.hex" "$T/got.hex" && [ "$frc" -eq 0 ] &&
		grep -q '^5 packets captured, 0 dropped' "$T/filt.err" &&
		[ "$(($(witness 1337) - w7))" -eq 5 ] && [ "$(($(witness 1338) - w8))" -eq 3 ] &&
		[ "$ping_rc" -eq 0 ] && [ -z "$after" ]
	check "sniff --backend monitor 'udp port 1337': the 5 frames sent, $got_bytes bytes as sent; the kernel got all 8, ping answered; detached" $? \
		"exit $frc; sent $sent_bytes bytes, captured $got_bytes; kernel socket: 1337 got" \
		"$(($(witness 1337) - w7)) of 5, 1338 got $(($(witness 1338) - w8)) of 3; ping $ping_rc;" \
		"left attached: '$after'" "$(cat "$T/filt.err" "$T/read.err")" \
		"$(diff "$T/sent.hex" "$T/got.hex" | head -n 4 | cut -c1-120)"
else
	not_ok "sniff --backend monitor starts" "$(cat "$T/filt.err")"
fi

# ---- the counters, through the API ---------------------------------------------

if listen_bg cnt --filter 'udp port 1337' --snaplen 64 b0; then
	sendA a0 7 "$ETH/$IP4/UDP(sport=4000,dport=1337)/('s'*200)"
	sendA a0 4 "$OTHER"
	answered
	wait_lines "$T/cnt.out" 7 '^rx '
	sleep 0.2
	stop "$BPID"
	seen=$(counter "$T/cnt.out" seen)
	snapped=$(grep -c "^rx [0-9]* 242 64 " "$T/cnt.out")
	# the timestamp: ns since the epoch, a few ms old when read
	ages=$(awk '/^rx / && ($5 < 0 || $5 > 2000) { bad++ } END { print bad + 0 }' "$T/cnt.out")
	[ "$rc" -eq 0 ] && balanced "$T/cnt.out" && [ "$(counter "$T/cnt.out" matched)" -eq 7 ] &&
		[ "$seen" -ge 12 ] && [ "$snapped" -eq 7 ] && [ "$ages" -eq 0 ] &&
		grep -q '^stats received=7 kernel_dropped=0' "$T/cnt.out"
	check "counters add up (seen = matched + not matched = passed, matched = copied + full); snaplen 64 cuts 242-byte frames; timestamps are now" $? \
		"exit $rc; $snapped of 7 frames 242/64; $ages timestamps off" \
		"$(grep -v '^rx ' "$T/cnt.out")" "$(grep '^rx ' "$T/cnt.out" | head -n 2 | cut -c1-100)"
else
	not_ok "monitor_api listen starts" "$(cat "$T/cnt.err")"
fi

# A reader that does not read: the 1 MiB ring fills, the rest is counted.
if listen_bg full --filter udp --ring 1048576 --hold 3 --quiet --timeout 4 b0; then
	sendA a0 20000 "$ETH/$IP4/UDP(sport=4000,dport=9)/('f'*18)"
	wait "$BPID"
	frc=$?
	full=$(counter "$T/full.out" ringbuf_full)
	cop=$(counter "$T/full.out" copied)
	[ "$frc" -eq 0 ] && balanced "$T/full.out" && [ "${full:-0}" -gt 0 ] &&
		[ "$((cop + full))" -ge 20000 ] &&
		grep -q "^stats received=$cop kernel_dropped=$full\$" "$T/full.out"
	check "a full ring: frames counted ringbuf_full (= the io's kernel_dropped), the copies all received" $? \
		"exit $frc" "$(cat "$T/full.out" "$T/full.err")"
fi

# Two interfaces, one ring; each frame says where it came from.
MACB1=$(inB cat /sys/class/net/b1/address)
if listen_bg two --filter 'udp port 1337' b0 b1; then
	sendA a0 3 "$ETH/$IP4/UDP(sport=4000,dport=1337)"
	sendA a1 2 "Ether(dst=\"$MACB1\")/IP(dst=\"$NET.18\")/UDP(sport=4000,dport=1337)"
	wait_lines "$T/two.out" 5 '^rx '
	sleep 0.2
	stop "$BPID"
	ib0=$(inB cat /sys/class/net/b0/ifindex)
	ib1=$(inB cat /sys/class/net/b1/ifindex)
	[ "$rc" -eq 0 ] && [ "$(grep -c "^rx $ib0 " "$T/two.out")" -eq 3 ] &&
		[ "$(grep -c "^rx $ib1 " "$T/two.out")" -eq 2 ] && balanced "$T/two.out" &&
		[ "$(grep -c '^info ' "$T/two.out")" -eq 2 ]
	check "two interfaces share one ring: 3 frames from b0, 2 from b1, each with its ifindex" $? \
		"exit $rc" "$(cut -c1-60 "$T/two.out")"
fi

# Jumbo frames: the programs are xdp.frags, so native XDP takes a 9000 MTU.
ip -n "$NA" link set a0 mtu 9000 && ip -n "$NB" link set b0 mtu 9000
if listen_bg jumbo --filter 'udp port 1337' b0; then
	sendA a0 2 "$ETH/$IP4/UDP(sport=4000,dport=1337)/('j'*8000)"
	wait_lines "$T/jumbo.out" 2 '^rx '
	stop "$BPID"
	tail8=$(awk '/^rx / && $3 == 8042 && $4 == 8042 && substr($6, length($6) - 7) == "6a6a6a6a" { k++ } END { print k + 0 }' "$T/jumbo.out")
	[ "$rc" -eq 0 ] && [ "$tail8" -eq 2 ] && grep -q '^info 0 native=1' "$T/jumbo.out"
	check "jumbo frames (MTU 9000, native XDP): 8042 bytes captured whole" $? \
		"exit $rc" "$(cut -c1-60 "$T/jumbo.out" "$T/jumbo.err")"
fi
ip -n "$NA" link set a0 mtu 1500 && ip -n "$NB" link set b0 mtu 1500

# What the API refuses and says.
inB "$API" api b0 >"$T/api.out" 2>"$T/api.err"
pass_through library "$T/api.out"

# ---- errors, signals, a killed run ----------------------------------------------

inB "$G" sniff --backend monitor -i b0 -c 1 'udp prot 1' >"$T/bad.out" 2>"$T/bad.err"
brc=$?
[ "$brc" -eq 2 ] && grep -q "gannet: filter 'udp prot 1': .*syntax error" "$T/bad.err" &&
	[ -z "$(xdp_progs "$NB" b0)" ]
check "a filter that does not compile: libpcap's message, exit 2, nothing attached" $? \
	"exit $brc" "$(cat "$T/bad.err")"

inB "$G" sniff --backend monitor -i nosuch0 >"$T/e.out" 2>"$T/e.err"
erc=$?
[ "$erc" -eq 1 ] && grep -q 'gannet: nosuch0: no such interface' "$T/e.err"
check "a missing interface: clear error, exit 1" $? "exit $erc" "$(cat "$T/e.err")"

for sig in INT TERM; do
	if sniff_bg "s$sig" --backend monitor -i b0 --no-store; then
		during=$(xdp_progs "$NB" b0)
		stop "$BPID" "$sig"
		after=$(xdp_progs "$NB" b0)
		[ "$rc" -eq 0 ] && [ "${during%% *}" = gn_monitor ] && [ -z "$after" ]
		check "SIG$sig ends sniff --backend monitor and removes its program" $? \
			"exit $rc; during: '$during', after: '$after'" "$(cat "$T/s$sig.err")"
	fi
done

if sniff_bg k1 --backend monitor -i b0 --no-store; then
	before=$(xdp_progs "$NB" b0)
	stop "$BPID" KILL
	left=$(xdp_progs "$NB" b0)
	if listen_bg k2 --filter 'udp port 1337' b0; then
		during=$(xdp_progs "$NB" b0)
		sendA a0 3 "$ETH/$IP4/UDP(sport=4000,dport=1337)"
		wait_lines "$T/k2.out" 3 '^rx '
		stop "$BPID"
		after=$(xdp_progs "$NB" b0)
		old=${left#gn_monitor }
		[ "$rc" -eq 0 ] && [ "${before%% *}" = gn_monitor ] && [ "$left" = "$before" ] &&
			[ "$(echo "$during" | wc -l)" -eq 1 ] && [ "${during%% *}" = gn_monitor ] &&
			[ "$during" != "$left" ] && grep -q "^info 0 .* replaced=$old\$" "$T/k2.out" &&
			[ "$(grep -c '^rx ' "$T/k2.out")" -eq 3 ] && [ -z "$after" ]
		check "SIGKILL leaves the program; the next run replaces it, works, leaves one, then none" $? \
			"exit $rc; before: '$before', after SIGKILL: '$left', next run: '$during'," \
			"after it: '$after'" "$(grep -v '^rx ' "$T/k2.out")" "$(cat "$T/k2.err")"
	else
		not_ok "the run after a SIGKILL starts" "$(cat "$T/k2.err")"
	fi
fi

# ---- arpmon in the lab ----------------------------------------------------------

if "$LAB" up >"$T/lab.out" 2>&1; then
	LAB_UP=1
else
	not_ok "the lab comes up" "$(cat "$T/lab.out")"
	finish
fi
H1=$GN_LAB-h1
H2=$GN_LAB-h2
inH1() { ip netns exec "$H1" "$@"; }
inH2() { ip netns exec "$H2" "$@"; }
H2MAC=$(inH2 cat /sys/class/net/h2-eth0/address)
NEWMAC=02:00:5e:00:53:$(printf %02x $(($$ % 200 + 16)))
STATE=$T/arp.dat

flush_neigh() {
	ip -n "$H1" neigh flush dev h1-eth0 2>/dev/null
	ip -n "$H2" neigh flush dev h2-eth0 2>/dev/null
}
# h2 asks who has 10.99.1.1 (and h1 asks for h2 when told to)
arp_from_h2() { flush_neigh; "$LAB" ping h2 10.99.1.1; }
arp_from_h1() { flush_neigh; "$LAB" ping h1 10.99.1.2; }

arpmon_bg() { # NAME PROGRAM ARGS...
	local name=$1
	shift
	bg "$name" err 'listening on' "$H1" "$@"
}

if arpmon_bg am1 "$G" arpmon -i h1-eth0 -f "$STATE"; then
	during=$(xdp_progs "$H1" h1-eth0)
	arp_from_h2
	p1=$?
	wait_lines "$T/am1.out" 1 " new station 10.99.1.2 "
	new=$(grep -c " new station 10.99.1.2 $H2MAC h1-eth0\$" "$T/am1.out")
	scapy=$(grep -cx "$H2MAC 10.99.1.2" "$T/am1.out")
	[ "$p1" -eq 0 ] && [ "$new" -eq 1 ] && [ "$scapy" -ge 1 ] && [ "${during%% *}" = gn_monitor ]
	check "arpmon: h2's who-has printed as Scapy does, \"new station 10.99.1.2 $H2MAC\"" $? \
		"ping $p1; program '$during'" "$(cat "$T/am1.out")"

	ip -n "$H2" link set dev h2-eth0 address "$NEWMAC"
	arp_from_h2
	p2=$?
	wait_lines "$T/am1.out" 1 "changed ethernet address"
	grep -q "^[0-9T:+-]* changed ethernet address 10.99.1.2 $NEWMAC ($H2MAC) h1-eth0\$" "$T/am1.out"
	check "arpmon: a new MAC on h2: \"changed ethernet address 10.99.1.2 $NEWMAC ($H2MAC)\"" $? \
		"ping $p2" "$(cat "$T/am1.out")"

	arp_from_h1 && arp_from_h2 && arp_from_h1 && arp_from_h2
	check "h1 and h2 resolve each other (neighbour caches flushed) while arpmon runs" $?

	# Nothing but ARP comes up: 50 UDP datagrams and the pings stay below.
	H1MAC=$(inH1 cat /sys/class/net/h1-eth0/address)
	inH2 "$G" sendp -i h2-eth0 -c 50 \
		"Ether(dst=\"$H1MAC\")/IP(src=\"10.99.1.2\",dst=\"10.99.1.1\")/UDP(dport=9)" >/dev/null 2>&1
	sleep 0.3
	stop "$BPID"
	after=$(xdp_progs "$H1" h1-eth0)
	frames=$(sed -n 's/^\([0-9]*\) frames received, \([0-9]*\) ARP.*/\1/p' "$T/am1.err")
	arps=$(sed -n 's/^\([0-9]*\) frames received, \([0-9]*\) ARP.*/\2/p' "$T/am1.err")
	[ "$rc" -eq 0 ] && [ -n "$frames" ] && [ "$frames" -eq "$arps" ] && [ "$frames" -lt 50 ] &&
		[ -z "$after" ]
	check "arpmon: only ARP is delivered ($frames frames, all ARP, of 50 UDP + pings + ARP); SIGTERM detaches" $? \
		"exit $rc; left: '$after'" "$(cat "$T/am1.err")"
	grep -q "^10.99.1.2	$NEWMAC	[0-9]*	h1-eth0	$H2MAC\$" "$STATE"
	check "the state file holds 10.99.1.2, its MAC, last seen and the MAC before" $? \
		"$(cat "$STATE" 2>&1)"
else
	not_ok "gannet arpmon starts" "$(cat "$T/am1.err")"
fi

# A restart with the same file: h2 is known; going back to its first MAC is a flip flop.
if arpmon_bg am2 "$ARPMON" -j -i h1-eth0 -f "$STATE"; then
	arp_from_h2
	arp_from_h1
	ip -n "$H2" link set dev h2-eth0 address "$H2MAC"
	arp_from_h2
	wait_lines "$T/am2.out" 1 '"flip flop"'
	stop "$BPID" INT
	python3 -c '
import json, sys
mac, old = sys.argv[2], sys.argv[3]
ev = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e["event"] for e in ev]
assert all(isinstance(e["ts"], float) and e["iface"] == "h1-eth0" for e in ev), ev
assert not any(e["event"] == "new station" and e["ip"] == "10.99.1.2" for e in ev), kinds
assert any(e["event"] == "arp" and e["op"] == "who-has" and e["psrc"] == "10.99.1.2" for e in ev), ev
assert any(e["event"] == "arp" and e["op"] == "is-at" and e["psrc"] == "10.99.1.2" for e in ev), ev
ff = [e for e in ev if e["event"] == "flip flop"]
assert len(ff) == 1 and ff[0]["mac"] == mac and ff[0]["old_mac"] == old and ff[0]["old_seen"], ff
' "$T/am2.out" "$H2MAC" "$NEWMAC" 2>"$T/json.err"
	jrc=$?
	after=$(xdp_progs "$H1" h1-eth0)
	[ "$rc" -eq 0 ] && [ "$jrc" -eq 0 ] && [ -z "$after" ]
	check "arpmon (the program) after a restart: h2 not new, its first MAC back is a \"flip flop\"; -j is JSON lines; SIGINT detaches" $? \
		"exit $rc; left: '$after'; $(cat "$T/json.err")" "$(cat "$T/am2.out" "$T/am2.err")"
else
	not_ok "arpmon starts" "$(cat "$T/am2.err")"
fi

# Where XDP cannot attach: a one-line notice, then afpacket.
if inH1 ip link set dev h1-eth0 xdp obj "$B/bpf/xdp_count.bpf.o" sec xdp 2>"$T/ipxdp.err"; then
	if arpmon_bg am3 "$G" arpmon -e -i h1-eth0; then
		arp_from_h2
		wait_lines "$T/am3.out" 1 "new station"
		stop "$BPID"
		[ "$rc" -eq 0 ] && grep -q "gannet: arpmon: the XDP monitor cannot attach (h1-eth0: another XDP program ('xdp_count'" "$T/am3.err" &&
			grep -q "listening on h1-eth0 (afpacket)" "$T/am3.err" &&
			grep -q " new station 10.99.1.2 $H2MAC h1-eth0\$" "$T/am3.out" &&
			! grep -qx "$H2MAC 10.99.1.2" "$T/am3.out"
		check "arpmon falls back to afpacket when XDP cannot attach (notice; -e: events only)" $? \
			"exit $rc" "$(cat "$T/am3.out" "$T/am3.err")"
	else
		not_ok "arpmon with another XDP program attached starts" "$(cat "$T/am3.err")"
	fi
	inH1 ip link set dev h1-eth0 xdp off
else
	skip "arpmon falls back to afpacket" "ip link set xdp failed: $(head -n 2 "$T/ipxdp.err")"
fi

! grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err
check "no sanitizer report from monitor_api$api_san" $? \
	"$(grep -hE -A5 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err | head -n 20)"

# ---- figures -------------------------------------------------------------------------

[ "$BENCH_N" -gt 0 ] || finish

# cpu_ms PID: user + system time of a process so far
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"; }

# bench BACKEND: sniff --no-store on b0 while sendp blasts BENCH_N frames
# from A: "offered-pps received received-pps dropped cpu-ms" in $BENCH.
bench() {
	local be=$1 t0 t1 got drop cpu
	if ! sniff_bg "bench-$be" --backend "$be" -i b0 --no-store udp; then
		BENCH="failed to start: $(head -n 2 "$T/bench-$be.err")"
		return 1
	fi
	t0=$(date +%s%N)
	sendA a0 "$BENCH_N" "$ETH/$IP4/UDP(sport=4000,dport=9)/('x'*18)"
	t1=$(date +%s%N)
	sleep 0.5
	cpu=$(cpu_ms "$BPID")
	stop "$BPID"
	got=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured, \([0-9]*\) dropped.*/\1/p' "$T/bench-$be.err")
	drop=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured, \([0-9]*\) dropped.*/\2/p' "$T/bench-$be.err")
	BENCH="$((BENCH_N * 1000000000 / (t1 - t0))) ${got:-0} $((${got:-0} * 1000000000 / (t1 - t0))) ${drop:-?} $cpu"
}

for be in monitor afpacket; do
	if bench "$be"; then
		read -r offered got pps drop cpu <<<"$BENCH"
		echo "#   bench sniff --backend $be: offered $offered pkt/s; received $got of $BENCH_N, $pps pkt/s; dropped $drop; reader CPU $cpu ms"
		[ "$got" -gt 0 ]
		check "bench: sniff --backend $be receives the blast" $? "$BENCH"
	else
		not_ok "bench: sniff --backend $be" "$BENCH"
	fi
done

# What a monitor costs the traffic it does not match.  UDP: datagrams to a
# socket that never reads, counted where they reach UDP (InDatagrams +
# InErrors); TCP: a bulk transfer.  Without XDP, with the monitor ("udp
# port 1337": none of it matches), and with xdp_count, the smallest XDP
# program, for what any native XDP program costs on a veth.
# shellcheck disable=SC2016  # awk's $ fields
udp_in() { inB awk '/^Udp:/ && $2 ~ /^[0-9]+$/ { print $2 + $4 }' /proc/net/snmp; }
ip netns exec "$NB" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9999))
time.sleep(3600)
' &
PIDS+=("$!")
ip netns exec "$NB" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 5001)); s.listen(8)
buf = bytearray(1 << 20)
while True:
    c, _ = s.accept()
    while c.recv_into(buf):
        pass
    c.close()
' &
PIDS+=("$!")
TCP_PY='
import socket, sys, time
s = socket.create_connection((sys.argv[1], 5001)); data = b"x" * (1 << 20); tot = 0
t0 = time.monotonic()
while time.monotonic() - t0 < 2:
    s.sendall(data); tot += len(data)
s.close()
print("%.2f" % (tot * 8 / (time.monotonic() - t0) / 1e9))
'
bystander() { # LABEL
	local u0 u1 t0 t1 gbps
	u0=$(udp_in)
	t0=$(date +%s%N)
	sendA a0 "$BENCH_N" "$ETH/$IP4/UDP(sport=4000,dport=9999)/('y'*18)"
	t1=$(date +%s%N)
	sleep 0.3
	u1=$(udp_in)
	gbps=$(inA python3 -c "$TCP_PY" "$NET.2" 2>/dev/null)
	echo "#   bystanders, $1: UDP offered $((BENCH_N * 1000000000 / (t1 - t0))) pkt/s, $(((u1 - u0) * 1000000000 / (t1 - t0))) pkt/s reached UDP ($((u1 - u0)) of $BENCH_N); TCP ${gbps:-?} Gbit/s"
}
sleep 0.3
bystander "no XDP program"
if listen_bg by --quiet --filter 'udp port 1337' b0; then
	bystander "monitor attached (udp port 1337)"
	stop "$BPID"
	echo "#   $(grep '^counters' "$T/by.out")"
	[ "$(counter "$T/by.out" matched)" -eq 0 ] && [ "$(counter "$T/by.out" not_matched)" -ge "$BENCH_N" ]
	check "bystander traffic: the monitor saw it all, matched none of it" $? "$(cat "$T/by.out")"
fi
if inB ip link set dev b0 xdp obj "$B/bpf/xdp_count.bpf.o" sec xdp 2>/dev/null; then
	bystander "xdp_count attached (reference)"
	inB ip link set dev b0 xdp off
fi

finish
