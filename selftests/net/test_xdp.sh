#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The xdp backend on real interfaces: the steer XDP program, AF_XDP sockets,
# `gannet sniff --backend xdp` and the library API (xdp_api.c, built here).
# Network namespaces of this run only (gnxd-PID-a sends, gnxd-PID-b steers,
# gnxd-PID-c for the API test), joined by veth pairs, with addresses of their
# own; a trap removes it all, even on failure.  TAP-like output: "ok - NAME"
# / "not ok - NAME" with "#" lines saying why.  Needs root; skips otherwise.
#
# What it shows: a rule of each kind takes the frames it matches into the
# AF_XDP socket (received and dissected), while everything else still
# reaches the kernel (a UDP socket on port 1338 keeps receiving, ICMP echo
# and ARP are still answered); IPv6 with extension headers, IPv4 options,
# 802.1Q and QinQ; the counters add up; one socket per queue; a run killed
# with SIGKILL is replaced by the next; SIGINT/SIGTERM remove the program;
# clear errors.  Then packets/s of sniff --backend xdp and afpacket.
#
# Usage: selftests/net/test_xdp.sh [BUILD_DIR]   (default: $GANNET_BUILD, else build/)
# GN_XDP_BENCH_N: frames for the measurement (default 300000; 0 = skip it).

set -u

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_build_dir "${1:-}"
B=$build G=$gannet
BENCH_N=${GN_XDP_BENCH_N:-300000}

NA=gnxd-$$-a
NB=gnxd-$$-b
NC=gnxd-$$-c
# 10.200-249.x.0/24 and fd00:PID::/64: networks of this run's own, inside
# the namespaces only.
NET=10.$((200 + $$ % 50)).$(($$ / 50 % 250))
NET6=fd00:$(printf %x $(($$ % 65536)))::
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-xdp.XXXXXX")
PIDS=()

cleanup() {
	kill_pids KILL "${PIDS[@]}"
	# and whatever else still runs in this run's namespaces
	for ns in "$NA" "$NB" "$NC"; do
		# shellcheck disable=SC2046  # one PID a word
		kill_pids KILL $(ip netns pids "$ns" 2>/dev/null)
	done
	netns_down "$NA" "$NB" "$NC"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then skip_all "xdp tests" "need root and iproute2"; fi
netns_up "xdp tests" "$NA" "$NB"

inA() { ip netns exec "$NA" "$@"; }
inB() { ip netns exec "$NB" "$@"; }

# a0 <-> b0: the steering tests; a1 <-> b1: four queues each.
if ! ip link add a0 netns "$NA" type veth peer name b0 netns "$NB" ||
	! ip link add a1 netns "$NA" numtxqueues 4 numrxqueues 4 type veth \
		peer name b1 netns "$NB" numtxqueues 4 numrxqueues 4; then
	not_ok "veth setup"
	finish
fi
ip -n "$NA" addr add "$NET.1/24" dev a0
ip -n "$NB" addr add "$NET.101/24" dev b0
ip -n "$NA" addr add "${NET6}1/64" dev a0 nodad
ip -n "$NB" addr add "${NET6}101/64" dev b0 nodad
for i in 0 1; do
	ip -n "$NA" link set "a$i" up
	ip -n "$NB" link set "b$i" up
done

# ---- the API program ----------------------------------------------------------

API=$T/xdp_api
if ! build_api xdp_api "$API" "$T/api-build.err"; then
	not_ok "xdp_api.c builds" "$(head -n 5 "$T/api-build.err")"
	finish
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

MACA=$(inA cat /sys/class/net/a0/address)
MACB=$(inB cat /sys/class/net/b0/address)
ETH="Ether(src=\"$MACA\",dst=\"$MACB\")"
IP4="IP(src=\"$NET.1\",dst=\"$NET.101\")"
IP6="IPv6(src=\"${NET6}1\",dst=\"${NET6}101\")"

# A UDP socket on port 1338 in B (IPv4 and IPv6): one line per datagram the
# kernel delivers to it, for as long as the tests run.
ip netns exec "$NB" python3 -u -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 1338))
while True:
    d, a = s.recvfrom(4096)
    print(a[0], len(d))
' >"$T/witness" 2>"$T/witness.err" &
PIDS+=("$!")
disown "$!"  # killed at the end: no word from bash about it

witness() { wc -l <"$T/witness"; }

# wait_lines FILE N: until FILE has at least N lines (5 s at most).
wait_lines() {
	for _ in $(seq 100); do
		[ "$(grep -c "${3:-.}" "$1" 2>/dev/null)" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# listen_bg NAME IF ARGS...: xdp_api listen in B in the background, output in
# $T/NAME.out and .err; returns once it said "ready".
listen_bg() {
	local name=$1
	shift
	# a name used before: its old "ready" must not count
	rm -f "$T/$name.out" "$T/$name.err"
	ip netns exec "$NB" "$API" listen "$@" >"$T/$name.out" 2>"$T/$name.err" &
	LPID=$!
	PIDS+=("$LPID")
	wait_for "$LPID" 200 -x ready "$T/$name.out"
}

# sniff_bg NAME ARGS...: gannet sniff in B in the background, output in
# $T/NAME.out and .err; returns once it is listening.
sniff_bg() {
	local name=$1
	shift
	rm -f "$T/$name.out" "$T/$name.err"
	ip netns exec "$NB" "$G" sniff "$@" >"$T/$name.out" 2>"$T/$name.err" &
	SPID=$!
	PIDS+=("$SPID")
	wait_for "$SPID" 200 'listening on' "$T/$name.err"
}

# stop PID: SIGTERM, then its exit status in $rc (KILL after 5 s: 137).
stop() { stop_pid TERM "$1"; }

xdp_progs() { # IF: the XDP programs attached to IF, as "name id" lines
	inB ip -d link show dev "$1" | sed -n 's/.*prog\/xdp id \([0-9]*\) name \([^ ]*\).*/\2 \1/p'
}

# counter FILE NAME: one value of the "counters" line
counter() { sed -n "s/^counters.* $2=\([0-9]*\).*/\1/p" "$1"; }

# balanced FILE: every frame the program saw went one way, and every one it
# redirected was received or counted as dropped by the socket.
balanced() {
	local f=$1 seen red pas fai rec full drop
	seen=$(counter "$f" seen) red=$(counter "$f" redirected) pas=$(counter "$f" passed)
	fai=$(counter "$f" failed) rec=$(counter "$f" received) full=$(counter "$f" ring_full)
	drop=$(counter "$f" rx_dropped)
	[ -n "$seen" ] && [ "$seen" -eq $((red + pas + fai)) ] && [ "$red" -eq $((rec + full + drop)) ]
}

sendA() { # IF COUNT EXPR
	inA "$G" sendp -i "$1" -c "$2" "$3" >/dev/null 2>>"$T/sendp.err"
}

# ---- a rule of each kind --------------------------------------------------------

# steer NAME RULE MATCH-EXPR N PATTERN [MORE-MATCH-EXPR]: the rule takes the
# N sets (SET frames each, default 1) of matching frames of each expression,
# each dissected into a line matching PATTERN, while 3 UDP datagrams to port
# 1338 still reach the kernel's socket.
steer() {
	local name=$1 rule=$2 m=$3 cnt=$4 pat=$5 m2=${6:-} want w0 got good red
	want=$((cnt * ${SET:-1}))
	[ -n "$m2" ] && want=$((2 * want))
	if ! listen_bg case b0 "$rule"; then
		not_ok "$name" "xdp_api did not start" "$(cat "$T/case.err")"
		return
	fi
	w0=$(witness)
	sendA a0 "$cnt" "$m"
	[ -n "$m2" ] && sendA a0 "$cnt" "$m2"
	sendA a0 3 "$ETH/$IP4/UDP(sport=999,dport=1338)/'kernel'"
	wait_lines "$T/case.out" "$want" '^rx '
	wait_lines "$T/witness" $((w0 + 3))
	sleep 0.2  # anything extra would show up now
	stop "$LPID"
	got=$(grep -c '^rx ' "$T/case.out")
	good=$(grep -c "^rx .*$pat" "$T/case.out")
	red=$(counter "$T/case.out" redirected)
	[ "$rc" -eq 0 ] && [ "$got" -eq "$want" ] && [ "$good" -eq "$want" ] &&
		[ "$(($(witness) - w0))" -eq 3 ] && [ "${red:-0}" -eq "$want" ] && balanced "$T/case.out"
	check "$name" $? "exit $rc; $got frames taken (want $want), $good like '$pat';" \
		"kernel socket got $(($(witness) - w0)) of 3" "$(grep -v '^rx ' "$T/case.out")" \
		"$(head -n 3 "$T/case.err")" "$(grep '^rx ' "$T/case.out" | head -n 3)"
}

steer "EtherType rule takes its frames, the rest reach the kernel" \
	ethertype=0x88b5 "Ether(src=\"$MACA\",dst=\"$MACB\",type=0x88b5)/Raw(load='x'*46)" 5 '(0x88b5) / Raw'
steer "IP protocol rule (GRE, 47)" \
	proto=47 "$ETH/IP(src=\"$NET.1\",dst=\"$NET.101\",proto=47)/Raw(load='y'*20)" 5 ' gre / Raw'
steer "IPv4 source prefix rule (even to port 1338: the kernel never sees them)" \
	"src=$NET.48/29" "$ETH/IP(src=\"$NET.50\",dst=\"$NET.101\")/UDP(sport=999,dport=1338)" 5 \
	"$NET.50"
steer "IPv4 destination prefix rule" \
	"dst=$NET.128/25" "$ETH/IP(src=\"$NET.1\",dst=\"$NET.200\")/UDP(sport=999,dport=1338)" 5 \
	"$NET.200"
steer "UDP destination port rule (1337 taken, 1338 to the socket)" \
	proto=17,dport=1337 "$ETH/$IP4/UDP(sport=4000,dport=1337)/'steered'" 5 'UDP'
SET=10 steer "TCP source port range rule (SYN-ACKs from 40000-40009)" \
	proto=6,sport=40000-40009 "$ETH/$IP4/TCP(sport=(40000,40009),dport=5555,flags='SA')" 1 'TCP'
steer "ESCP rule over IPv4 and IPv6" \
	escp "$ETH/$IP4/UDP(sport=4000,dport=1337)/'e4'" 4 'ESCP\|UDP' \
	"$ETH/$IP6/UDP(sport=1337,dport=4000)/'e6'"
steer "IPv6 destination prefix rule" \
	"dst=${NET6}200/120" "$ETH/IPv6(src=\"${NET6}1\",dst=\"${NET6}2aa\")/UDP(dport=1338)" 5 'IPv6'
steer "IPv6 source prefix rule" \
	"src=${NET6}/64,proto=17,dport=1337" "$ETH/$IP6/UDP(sport=4000,dport=1337)" 5 'IPv6'
steer "IPv6 extension headers (hop-by-hop, destination options) are skipped" \
	proto=17,dport=1337 "$ETH/$IP6/IPv6ExtHdrHopByHop()/IPv6ExtHdrDestOpt()/UDP(sport=4000,dport=1337)" \
	3 'IPv6ExtHdr' "$ETH/$IP6/IPv6ExtHdrFragment(offset=0,m=1,id=7)/UDP(sport=4000,dport=1337)"
steer "IPv4 with options" \
	proto=17,dport=1337 "$ETH/IP(src=\"$NET.1\",dst=\"$NET.101\",options=[IPOption_RR()])/UDP(sport=4000,dport=1337)" \
	5 'UDP'
steer "802.1Q-tagged frames (IPv4 and IPv6)" \
	proto=17,dport=1337 "$ETH/Dot1Q(vlan=42)/$IP4/UDP(sport=4000,dport=1337)" 3 'Dot1Q' \
	"$ETH/Dot1Q(vlan=43)/$IP6/UDP(sport=4000,dport=1337)"
steer "QinQ (802.1ad + 802.1Q) frames" \
	proto=17,dport=1337 "$ETH/Dot1AD(vlan=5)/Dot1Q(vlan=6)/$IP4/UDP(sport=4000,dport=1337)" 5 \
	'Dot1AD / Dot1Q'

# answered EXPR: the kernel in B answers it (srp1 from A)
answered() { inA "$G" srp1 -i a0 --timeout 1 -F summary "$1" >/dev/null 2>&1; }

# ICMP echo: the id of the rule is taken, other ids are still answered.
icmp_case() { # NAME RULE PROBE-WITH-ID(ID) TAKEN-ID OTHER-ID
	local name=$1 rule=$2 probe=$3 taken=$4 other=$5 got ans_other ans_taken
	if ! listen_bg icmp b0 "$rule"; then
		not_ok "$name" "xdp_api did not start" "$(cat "$T/icmp.err")"
		return
	fi
	sendA a0 5 "${probe//ID/$taken}"
	answered "${probe//ID/$other}"
	ans_other=$?
	answered "${probe//ID/$taken}"
	ans_taken=$?
	wait_lines "$T/icmp.out" 6 '^rx '
	stop "$LPID"
	got=$(grep -c '^rx ' "$T/icmp.out")
	[ "$rc" -eq 0 ] && [ "$got" -eq 6 ] && [ "$ans_other" -eq 0 ] && [ "$ans_taken" -ne 0 ] &&
		balanced "$T/icmp.out"
	check "$name" $? "exit $rc; $got taken (want 6); id $other answered: $ans_other (want 0);" \
		"id $taken answered: $ans_taken (want 1)" "$(grep -v '^rx ' "$T/icmp.out")"
}

icmp_case "ICMP echo id rule: id 4242 taken, id 1 still answered (ping keeps working)" \
	proto=1,icmp_type=8,icmp_id=4242 "$ETH/$IP4/ICMP(id=ID)" 4242 1
icmp_case "ICMPv6 echo id rule: id 77 taken, id 78 still answered" \
	proto=58,icmp_type=128,icmp_id=77 "$ETH/$IP6/ICMPv6EchoRequest(id=ID)" 77 78

# ARP for one address is taken; ARP for B's own address is still answered.
if listen_bg arp b0 "ethertype=0x0806,dst=$NET.250/32"; then
	sendA a0 4 "Ether(src=\"$MACA\",dst=\"ff:ff:ff:ff:ff:ff\")/ARP(hwsrc=\"$MACA\",psrc=\"$NET.1\",pdst=\"$NET.250\")"
	answered "Ether(src=\"$MACA\",dst=\"ff:ff:ff:ff:ff:ff\")/ARP(hwsrc=\"$MACA\",psrc=\"$NET.1\",pdst=\"$NET.101\")"
	arc=$?
	wait_lines "$T/arp.out" 4 '^rx '
	sleep 0.2
	stop "$LPID"
	got=$(grep -c "^rx Ether / ARP who has $NET.250" "$T/arp.out")
	[ "$rc" -eq 0 ] && [ "$got" -eq 4 ] && [ "$(grep -c '^rx ' "$T/arp.out")" -eq 4 ] &&
		[ "$arc" -eq 0 ] && balanced "$T/arp.out"
	check "ARP rule: who-has $NET.250 taken, who-has $NET.101 still answered" $? \
		"exit $rc; $got taken (want 4); ARP for B answered: $arc" "$(cat "$T/arp.out")"
else
	not_ok "ARP rule" "xdp_api did not start" "$(cat "$T/arp.err")"
fi

# A later IPv6 fragment has no ports: the port rule leaves it to the kernel.
if listen_bg frag b0 proto=17,dport=1337; then
	sendA a0 3 "$ETH/$IP6/IPv6ExtHdrFragment(offset=100,id=9)/UDP(sport=4000,dport=1337)"
	sleep 0.3
	stop "$LPID"
	[ "$rc" -eq 0 ] && [ "$(grep -c '^rx ' "$T/frag.out")" -eq 0 ] && [ "$(counter "$T/frag.out" passed)" -ge 3 ]
	check "a later IPv6 fragment (no ports) is not taken by a port rule" $? "$(cat "$T/frag.out")"
fi

# ---- busy polling, copy modes -------------------------------------------------

if listen_bg bp b0 --busy-poll 1 proto=17,dport=1337; then
	sendA a0 5 "$ETH/$IP4/UDP(sport=4000,dport=1337)"
	wait_lines "$T/bp.out" 5 '^rx '
	stop "$LPID"
	[ "$rc" -eq 0 ] && [ "$(grep -c '^rx ' "$T/bp.out")" -eq 5 ] && grep -q 'busy_poll=1' "$T/bp.out"
	check "busy polling (SO_PREFER_BUSY_POLL) receives" $? "$(cat "$T/bp.out" "$T/bp.err")"
else
	not_ok "busy polling" "xdp_api did not start" "$(cat "$T/bp.err")"
fi
inB "$API" listen b0 --copy zerocopy --timeout 1 all >"$T/zc.out" 2>"$T/zc.err"
zrc=$?
[ "$zrc" -eq 1 ] && grep -q 'b0: the driver cannot do zero-copy AF_XDP' "$T/zc.err" &&
	[ -z "$(xdp_progs b0)" ]
check "zero-copy asked for on a veth (copy only): clear error, nothing left attached" $? \
	"exit $zrc: $(cat "$T/zc.err")"

# ---- queues --------------------------------------------------------------------

# 400 flows over a1's four tx queues land on b1's four rx queues.
queues() { # NAME WANT-QUEUES XDP-API-ARGS...
	local name=$1 wantq=$2 got red fai
	shift 2
	if ! listen_bg q b1 "$@" proto=17,dport=2000; then
		not_ok "$name" "xdp_api did not start" "$(cat "$T/q.err")"
		return 1
	fi
	sendA a1 1 "Ether(dst=\"02:00:00:00:00:02\")/IP(src=\"10.9.9.1\",dst=\"10.9.9.9\")/UDP(sport=(1000,1399),dport=2000)"
	wait_lines "$T/q.out" 400 '^rx '
	sleep 0.3
	stop "$LPID"
	got=$(grep -c '^rx ' "$T/q.out")
	red=$(counter "$T/q.out" redirected)
	fai=$(counter "$T/q.out" failed)
	QGOT=$got QFAIL=$fai
	grep -q "queues=$wantq " "$T/q.out" && [ "$rc" -eq 0 ] && [ "$((got + fai))" -eq 400 ] &&
		[ "$red" -eq "$got" ] && balanced "$T/q.out"
	check "$name" $? "exit $rc; received $got, redirect failed $fai" "$(grep -v '^rx ' "$T/q.out")"
}
queues "every queue has a socket by default: 400 frames of 400 flows all received" 4/4 &&
	[ "$QFAIL" -ne 0 ] && not_ok "no frame left without a socket" "failed $QFAIL"
if queues "-Q 0: frames on the other queues go to the kernel, counted as redirect failed" 1/4 \
	--queue 0; then
	# Which queue a flow takes is the kernel's hash: say how it spread.
	echo "#   queue 0 received $QGOT of 400, $QFAIL arrived on queues 1-3"
fi

# ---- the filter (tcpdump syntax, translated to XDP) --------------------------

if sniff_bg filt --backend xdp -i b0 -c 5 --timeout 10 -F '%UDP.dport% %Raw.load%' \
	"udp and dst port 1337"; then
	w0=$(witness)
	sendA a0 3 "$ETH/$IP4/UDP(sport=999,dport=1338)/'kernel'"
	sendA a0 5 "$ETH/$IP4/UDP(sport=4000,dport=1337)/'filt'"
	wait "$SPID"
	frc=$?
	wait_lines "$T/witness" $((w0 + 3))
	[ "$frc" -eq 0 ] && [ "$(grep -cx "1337 'filt'" "$T/filt.out")" -eq 5 ] &&
		[ "$(($(witness) - w0))" -eq 3 ] && grep -q '^5 packets captured, 0 dropped' "$T/filt.err"
	check "sniff --backend xdp with a filter: it takes what the filter matches, no more" $? \
		"exit $frc; the kernel's socket got $(($(witness) - w0)) of 3" "$(cat "$T/filt.out" "$T/filt.err")"
else
	not_ok "sniff --backend xdp with a filter starts" "$(cat "$T/filt.err")"
fi

# ---- killed, stopped, replaced ---------------------------------------------------

if sniff_bg k1 --backend xdp -i b0 --no-store; then
	before=$(xdp_progs b0)
	kill -KILL "$SPID"
	wait "$SPID" 2>/dev/null
	left=$(xdp_progs b0)
	if sniff_bg k2 --backend xdp -i b0 -c 5 -F '%UDP.dport%' --timeout 10 udp port 1337; then
		during=$(xdp_progs b0)
		ndur=$(inB bpftool net show dev b0 2>/dev/null | grep -c ' \(driver\|generic\) id ')
		sendA a0 5 "$ETH/$IP4/UDP(sport=4000,dport=1337)"
		wait "$SPID"
		krc=$?
		after=$(xdp_progs b0)
		old=${left#gn_steer }
		[ "$krc" -eq 0 ] && [ "${before%% *}" = gn_steer ] && [ "${left%% *}" = gn_steer ] &&
			grep -q "replaced XDP program $old, left by a run that was killed" "$T/k2.err" &&
			[ "$(echo "$during" | wc -l)" -eq 1 ] && [ "${during%% *}" = gn_steer ] &&
			[ "$during" != "$left" ] && [ "$ndur" -eq 1 ] &&
			[ "$(grep -cx 1337 "$T/k2.out")" -eq 5 ] && [ -z "$after" ]
		check "SIGKILL leaves the program; the next run replaces it, works, leaves one, then none" $? \
			"exit $krc; before: '$before', after SIGKILL: '$left', next run: '$during' ($ndur in bpftool)," \
			"after it: '$after'" "$(cat "$T/k2.err")"
	else
		not_ok "the run after a SIGKILL starts" "$(cat "$T/k2.err")"
	fi
else
	not_ok "sniff --backend xdp starts" "$(cat "$T/k1.err")"
fi

for sig in INT TERM; do
	if sniff_bg "s$sig" --backend xdp -i b0 --no-store; then
		during=$(xdp_progs b0)
		kill -"$sig" "$SPID"
		wait "$SPID"
		src=$?
		after=$(xdp_progs b0)
		[ "$src" -eq 0 ] && [ "${during%% *}" = gn_steer ] && [ -z "$after" ]
		check "SIG$sig ends sniff --backend xdp and removes its program" $? \
			"exit $src; during: '$during', after: '$after'" "$(cat "$T/s$sig.err")"
	fi
done

# ---- modes ------------------------------------------------------------------------

ip -n "$NB" link add br0 type bridge && ip -n "$NB" link set br0 up
for mode in native generic; do
	if sniff_bg "m$mode" --backend xdp --xdp-mode "$mode" -i b0 --no-store; then
		during=$(inB ip link show dev b0 | head -n 1 | grep -ow 'xdp\|xdpgeneric')
		stop "$SPID"
		want=xdp
		[ "$mode" = generic ] && want=xdpgeneric
		grep -q "b0: XDP in $mode mode" "$T/m$mode.err" && [ "$during" = "$want" ]
		check "--xdp-mode $mode on a veth: the program runs in $mode mode" $? \
			"ip link says: '$during'" "$(cat "$T/m$mode.err")"
	fi
done
if sniff_bg mbr --backend xdp -i br0 --no-store; then
	stop "$SPID"
	grep -q 'br0: XDP in generic mode' "$T/mbr.err"
	check "--xdp-mode auto on a bridge (no native XDP): generic mode" $? "$(cat "$T/mbr.err")"
fi

# ---- errors ---------------------------------------------------------------------

err_case() { # NAME WANT-EXIT WANT-LINE GANNET-ARGS...
	local name=$1 want=$2 line=$3 erc
	shift 3
	inB "$G" "$@" >"$T/e.out" 2>"$T/e.err"
	erc=$?
	[ "$erc" -eq "$want" ] && grep -qF "$line" "$T/e.err" && [ "$(xdp_progs b0)" = "" ]
	check "$name" $? "exit $erc (want $want)" "$(cat "$T/e.err")"
}

err_case "a missing interface: clear error" 1 "gannet: nosuch0: no such interface" \
	sniff --backend xdp -i nosuch0
err_case "--xdp-mode native where the driver has no native XDP: clear error" 1 \
	"gannet: br0: the driver has no native XDP (--xdp-mode native); use --xdp-mode generic or auto" \
	sniff --backend xdp --xdp-mode native -i br0
ip -n "$NB" link set b0 down
err_case "an interface that is down: clear error" 1 "gannet: b0: interface is down" \
	sniff --backend xdp -i b0
ip -n "$NB" link set b0 mtu 9000 up
err_case "an MTU too large for AF_XDP frames: clear error" 1 \
	"gannet: b0: MTU 9000 is too large for AF_XDP frames of 4096 bytes" sniff --backend xdp -i b0
ip -n "$NB" link set b0 mtu 1500
err_case "a queue the interface does not have: clear error" 2 \
	"gannet: b0: no queue 3 (it has 1 receive queue)" sniff --backend xdp -i b0 -Q 3
err_case "--xdp-mode with the afpacket backend: usage error" 2 \
	"goes with --backend xdp or monitor" sniff --xdp-mode native -i b0
err_case "-Q with the monitor backend: usage error" 2 "Q goes with --backend xdp" \
	sniff --backend monitor -Q 0 -i b0
if inB ip link set dev b0 xdp obj "$B/bpf/xdp_count.bpf.o" sec xdp 2>"$T/ipxdp.err"; then
	inB "$G" sniff --backend xdp -i b0 >"$T/e.out" 2>"$T/e.err"
	erc=$?
	prog=$(xdp_progs b0)
	inB ip link set dev b0 xdp off
	[ "$erc" -eq 1 ] && grep -q "gannet: b0: another XDP program ('xdp_count', id [0-9]*) is attached, not through libxdp's dispatcher" "$T/e.err" &&
		[ "${prog%% *}" = xdp_count ]
	check "another (non-libxdp) XDP program attached: clear error, left alone" $? \
		"exit $erc; programs: '$prog'" "$(cat "$T/e.err")"
else
	skip "another XDP program attached" "ip link set xdp failed: $(head -n 2 "$T/ipxdp.err")"
fi

# No privilege: each part says what it needs.
if command -v capsh >/dev/null; then
	inB capsh --drop=cap_bpf,cap_net_admin,cap_sys_admin,cap_perfmon -- -c \
		"$G sniff --backend xdp -i b0" >"$T/e.out" 2>"$T/e.err"
	p1=$?
	inB capsh --drop=cap_net_raw -- -c "$G sniff --backend xdp -i b0" >"$T/e2.out" 2>"$T/e2.err"
	p2=$?
	[ "$p1" -eq 1 ] && grep -q 'b0: the kernel refused to load the XDP program (Operation not permitted): that needs CAP_BPF and CAP_NET_ADMIN (run as root)' "$T/e.err" &&
		[ "$p2" -eq 1 ] && grep -q 'b0: AF_XDP sockets need CAP_NET_RAW (run as root)' "$T/e2.err" &&
		[ -z "$(xdp_progs b0)" ]
	check "without the capabilities: clear errors, nothing left attached" $? \
		"exit $p1: $(cat "$T/e.err")" "exit $p2: $(cat "$T/e2.err")"
else
	skip "without the capabilities" "no capsh"
fi

# bpffs that cannot be had: attached alone, and the line says why.
if LIBXDP_BPFFS=/nonexistent sniff_bg nobpffs2 --backend xdp -i b0 --no-store; then
	stop "$SPID"
	grep -q 'b0: XDP in native mode, attached directly (no bpffs at /nonexistent, and mounting one failed: No such file or directory)' "$T/nobpffs2.err"
	check "no bpffs and none can be mounted: attached directly, and it says why" $? \
		"$(cat "$T/nobpffs2.err")"
else
	not_ok "no bpffs and none can be mounted" "$(cat "$T/nobpffs2.err")"
fi

# The interface goes away during the capture: one clear error, no hang.
if ip link add c0 netns "$NA" type veth peer name d0 netns "$NB" && ip -n "$NA" link set c0 up &&
	ip -n "$NB" link set d0 up && sniff_bg del --backend xdp -i d0; then
	t0=$(date +%s%N)
	ip -n "$NB" link del d0
	wait "$SPID"
	drc=$?
	el=$((($(date +%s%N) - t0) / 1000000))
	[ "$drc" -eq 1 ] && grep -qx 'gannet: d0: interface went away' "$T/del.err" && [ "$el" -lt 3000 ]
	check "an interface deleted during sniff --backend xdp: clear error, exit 1, no hang" $? \
		"exit $drc after $el ms" "$(cat "$T/del.err")"
else
	not_ok "an interface deleted during sniff --backend xdp" "$(cat "$T/del.err" 2>/dev/null)"
fi

# ... or is taken down: the same, "went down" (AF_XDP itself says nothing).
if ip link add e0 netns "$NA" type veth peer name f0 netns "$NB" && ip -n "$NA" link set e0 up &&
	ip -n "$NB" link set f0 up && sniff_bg down --backend xdp -i f0; then
	t0=$(date +%s%N)
	ip -n "$NB" link set f0 down
	wait "$SPID"
	drc=$?
	el=$((($(date +%s%N) - t0) / 1000000))
	[ "$drc" -eq 1 ] && grep -qx 'gannet: f0: interface went down' "$T/down.err" && [ "$el" -lt 3000 ]
	check "an interface taken down during sniff --backend xdp: clear error, exit 1, no hang" $? \
		"exit $drc after $el ms" "$(cat "$T/down.err")"
	ip -n "$NA" link del e0 2>/dev/null
else
	not_ok "an interface taken down during sniff --backend xdp" "$(cat "$T/down.err" 2>/dev/null)"
fi

# ---- the library API in a namespace of its own -----------------------------------

if ip netns add "$NC"; then
	ip -n "$NC" link set lo up
	ip -n "$NC" link add v0 type veth peer name v1
	ip -n "$NC" link set v0 up
	ip -n "$NC" link set v1 up
	timeout 60 ip netns exec "$NC" "$API" api v0 v1 >"$T/api.out" 2>"$T/api.err"
	pass_through library "$T/api.out"
fi
! grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err
check "no sanitizer report from xdp_api$api_san" $? \
	"$(grep -hE -A5 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err | head -n 20)"

# ---- gannet sniff --backend xdp under ASan+UBSan -----------------------------------

# The gannet command built against the sanitizer library (lib.sh's asan_gannet).
if GA=$(asan_gannet "$T/asan-build.log"); then
	if sniff_bg asan1 --backend xdp -i b0 --no-store; then
		kill -KILL "$SPID"
		wait "$SPID" 2>/dev/null
	fi
	if ip netns exec "$NB" "$GA" sniff --backend xdp -i b0 -c 5 --timeout 10 -F '%UDP.dport%' \
		"udp and dst port 1337" >"$T/asan2.out" 2>"$T/asan2.err" & then
		AP=$!
		PIDS+=("$AP")
		wait_lines "$T/asan2.err" 1 'listening on'
		sendA a0 5 "$ETH/$IP4/UDP(sport=4000,dport=1337)"
		wait "$AP"
		arc=$?
	fi
	ip netns exec "$NB" "$GA" sniff --backend xdp -i b0 --no-store >/dev/null 2>"$T/asan3.err" &
	AP=$!
	PIDS+=("$AP")
	wait_lines "$T/asan3.err" 1 'listening on'
	kill -TERM "$AP"
	wait "$AP"
	trc=$?
	[ "${arc:-1}" -eq 0 ] && [ "$(grep -cx 1337 "$T/asan2.out")" -eq 5 ] && [ "$trc" -eq 0 ] &&
		grep -q 'replaced XDP program' "$T/asan2.err" && [ -z "$(xdp_progs b0)" ] &&
		! grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T/asan2.err" "$T/asan3.err"
	check "ASan: sniff --backend xdp replaces a killed run's program, filters, stops cleanly" $? \
		"exit $arc, then $trc" "$(head -n 30 "$T/asan2.err" "$T/asan3.err")"
else
	skip "sniff --backend xdp under ASan" "no build/asan/libgannet.a, or it did not build"
fi

# ---- packets/s: sniff --backend xdp against afpacket --------------------------------

# bench BACKEND: gannet sniff --no-store on b0 while sendp blasts BENCH_N
# frames from A; "offered-pps received received-pps dropped" in $BENCH.
bench() {
	local be=$1 t0 t1 got drop
	if ! sniff_bg "bench-$be" --backend "$be" -i b0 --no-store udp; then
		BENCH="failed to start: $(head -n 2 "$T/bench-$be.err")"
		return 1
	fi
	t0=$(date +%s%N)
	inA "$G" sendp -i a0 -c "$BENCH_N" "$ETH/$IP4/UDP(sport=4000,dport=9)/('x'*18)" >/dev/null
	t1=$(date +%s%N)
	sleep 0.5
	stop "$SPID"
	got=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured, \([0-9]*\) dropped.*/\1/p' "$T/bench-$be.err")
	drop=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured, \([0-9]*\) dropped.*/\2/p' "$T/bench-$be.err")
	BENCH="$((BENCH_N * 1000000000 / (t1 - t0))) ${got:-0} $((${got:-0} * 1000000000 / (t1 - t0))) ${drop:-?}"
}

if [ "$BENCH_N" -gt 0 ]; then
	for be in xdp afpacket; do
		# "udp" either way: translated to XDP, or classic BPF on the socket
		if bench "$be"; then
			read -r offered got pps drop <<<"$BENCH"
			echo "#   bench $be: offered $offered pkt/s; received $got of $BENCH_N, $pps pkt/s; dropped $drop"
			[ "$got" -gt 0 ]
			check "bench: sniff --backend $be receives the blast" $? "$BENCH"
		else
			not_ok "bench: sniff --backend $be" "$BENCH"
		fi
	done
fi

finish
