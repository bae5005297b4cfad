#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet sniff and sendp on real interfaces: network namespaces of this run
# only (gnaf-PID-a, gnaf-PID-b), joined by veth pairs, with addresses of
# their own; nothing is sent anywhere else, and a trap removes it all, even
# on failure.  TAP-like output: "ok - NAME" / "not ok - NAME" with "#" lines
# saying why.  Needs root (CAP_NET_ADMIN, CAP_NET_RAW); skips otherwise.
#
# When the ASan+UBSan library is built (build/asan/libgannet.a), the gannet
# command is also built against it and the capture and send paths run again
# under the sanitizers; so does afpacket_api.c, the library API on its own
# (against the plain library when there is no ASan build).
#
# Usage: selftests/net/test_afpacket.sh [BUILD_DIR]   (default: $GANNET_BUILD, else build/)

set -u

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_build_dir "${1:-}"
G=$gannet

NA=gnaf-$$-a
NB=gnaf-$$-b
NC=gnaf-$$-c
# 10.200-249.x.0/24: a network of this run's own, inside the namespaces only.
NET=10.$((200 + $$ % 50)).$(($$ / 50 % 250))
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-afpacket.XXXXXX")
PIDS=()

cleanup() {
	kill_pids KILL "${PIDS[@]}"
	netns_down "$NA" "$NB" "$NC"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then skip_all "afpacket tests" "need root and iproute2"; fi
netns_up "afpacket tests" "$NA" "$NB"

inA() { ip netns exec "$NA" "$@"; }
inB() { ip netns exec "$NB" "$@"; }

# veth IDX: aIDX in A (NET.1+IDX), bIDX in B (NET.101+IDX).
veth() {
	ip link add "a$1" netns "$NA" type veth peer name "b$1" netns "$NB" || return 1
	ip -n "$NA" addr add "$NET.$((1 + $1))/24" dev "a$1"
	ip -n "$NB" addr add "$NET.$((101 + $1))/24" dev "b$1"
	ip -n "$NA" link set "a$1" up && ip -n "$NB" link set "b$1" up
}

veth 0 && veth 1 || { not_ok "veth setup"; finish; }

# sniff_bg NAME GANNET ARGS...: sniff in B in the background, stdout in
# $T/NAME.out, stderr in $T/NAME.err; returns once it is listening.
# `ip netns exec` execs the command: $! is gannet itself, for signals.
sniff_bg() {
	local name=$1
	shift
	ip netns exec "$NB" "$@" >"$T/$name.out" 2>"$T/$name.err" &
	SNIFF_PID=$!
	PIDS+=("$SNIFF_PID")
	wait_for "$SNIFF_PID" 100 'listening on' "$T/$name.err"
}

# Wait (5 s at most) until file $1 has at least $2 lines.
wait_lines() {
	for _ in $(seq 100); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.05
	done
	return 1
}

# stop PID: SIGINT, then its exit status in $rc (KILL after 5 s: 137).
stop() { stop_pid INT "$1"; }

captured() { # ERR-FILE: N of "N packets captured"
	sed -n 's/^\([0-9][0-9]*\) packets\{0,1\} captured.*/\1/p' "$1" | tail -n 1
}

MACA=$(inA cat /sys/class/net/a0/address)
MACB=$(inB cat /sys/class/net/b0/address)
ETH="Ether(src=\"$MACA\",dst=\"$MACB\")"
IPARGS="src=\"$NET.1\",dst=\"$NET.101\""
IPAB="IP($IPARGS)"

# ---- sendp N frames, sniff with a filter: exactly those -------------------

# run_exact NAME GANNET SEND-ARGS...: 1000 frames the filter takes between
# frames it must refuse (other port, TCP, ARP); every line checked.
run_exact() {
	local name=$1 g=$2
	shift 2
	if ! sniff_bg "$name" "$g" sniff --timeout 15 -i b0 -F '%IP.id% %UDP.dport% %Raw.load%' \
		"udp and dst port 40000 and src host $NET.1"; then
		not_ok "$name" "sniff did not start" "$(cat "$T/$name.err")"
		return
	fi
	inA "$g" sendp -i a0 "$@" -c 50 "$ETH/$IPAB/UDP(dport=40010)/'no'" >/dev/null
	inA "$g" sendp -i a0 "$@" "$ETH/IP($IPARGS,id=(1,1000))/UDP(sport=1234,dport=40000)/'yes'" \
		>"$T/$name.sent" 2>>"$T/$name.err"
	inA "$g" sendp -i a0 "$@" -c 50 "$ETH/$IPAB/TCP(dport=40000)/'no'" >/dev/null
	inA "$g" sendp -i a0 "$@" -c 20 "Ether(dst=\"$MACB\")/ARP(pdst=\"$NET.101\")" >/dev/null
	wait_lines "$T/$name.out" 1000
	sleep 0.3  # anything extra would show up now
	stop "$SNIFF_PID"
	local lines good ids
	lines=$(wc -l <"$T/$name.out")
	good=$(grep -c "^[0-9]* 40000 'yes'$" "$T/$name.out")
	ids=$(cut -d' ' -f1 "$T/$name.out" | sort -un | wc -l)
	[ "$rc" -eq 0 ] && [ "$lines" -eq 1000 ] && [ "$good" -eq 1000 ] && [ "$ids" -eq 1000 ] &&
		grep -qx 'Sent 1000 packets.' "$T/$name.sent" &&
		[ "$(captured "$T/$name.err")" = 1000 ]
	check "$name" $? "exit $rc, $lines lines, $good matching, $ids distinct ids" \
		"sendp: $(cat "$T/$name.sent")" "$(grep -v listening "$T/$name.err")"
}

run_exact "sendp 1000 frames (sendmmsg), sniff with a filter sees exactly them" "$G" --tx-mode mmsg
run_exact "sendp 1000 frames (TX ring), sniff with a filter sees exactly them" "$G" --tx-mode ring

# ---- -c repeats the whole set, in order; --loop until Ctrl-C -----------------

if sniff_bg count "$G" sniff --timeout 15 -i b0 -F '%IP.dst%' "udp and dst port 41000"; then
	inA "$G" sendp -i a0 -c 3 "$ETH/IP(dst=[\"$NET.7\",\"$NET.8\"])/UDP(dport=41000)" >"$T/count.sent"
	wait_lines "$T/count.out" 6
	sleep 0.2
	stop "$SNIFF_PID"
	printf '%s\n' "$NET.7" "$NET.8" "$NET.7" "$NET.8" "$NET.7" "$NET.8" >"$T/count.want"
	cmp -s "$T/count.out" "$T/count.want" && grep -qx 'Sent 6 packets.' "$T/count.sent"
	check "sendp -c 3 sends the whole set three times, in order" $? \
		"got: $(tr '\n' ' ' <"$T/count.out")" "$(cat "$T/count.sent")"
else
	not_ok "sendp -c 3 sends the whole set three times, in order" "sniff did not start"
fi

if sniff_bg loop "$G" sniff --timeout 15 -i b0 --no-store "udp and dst port 42000"; then
	ip netns exec "$NA" "$G" sendp -i a0 --loop "$ETH/$IPAB/UDP(dport=42000)" >"$T/loop.sent" 2>&1 &
	lp=$!
	PIDS+=("$lp")
	sleep 1
	stop "$lp"
	lrc=$rc
	sent=$(sed -n 's/^Sent \([0-9]*\) packets\.$/\1/p' "$T/loop.sent")
	sleep 0.3
	stop "$SNIFF_PID"
	got=$(captured "$T/loop.err")
	[ "$lrc" -eq 0 ] && [ "${sent:-0}" -gt 1000 ] && [ "$got" = "$sent" ]
	check "sendp --loop ends on Ctrl-C, every packet it counts arrives" $? \
		"sendp exit $lrc, sent ${sent:-?}, captured ${got:-?}"
else
	not_ok "sendp --loop ends on Ctrl-C, every packet it counts arrives" "sniff did not start"
fi

# ---- pacing: --rate and --inter, measured on the receiving side -------------

# gaps FILE: "span median" of the capture's timestamps, in microseconds
gaps() {
	local span median
	tshark -r "$1" -T fields -e frame.time_epoch 2>/dev/null >"$T/times"
	span=$(awk 'NR == 1 { a = $1 } { b = $1 } END { printf "%.0f", (b - a) * 1e6 }' "$T/times")
	median=$(awk 'NR > 1 { printf "%.1f\n", ($1 - p) * 1e6 } { p = $1 }' "$T/times" | sort -n |
		awk '{ d[NR] = $1 } END { print d[int((NR + 1) / 2)] }')
	echo "$span $median"
}

pace() { # NAME COUNT PERIOD-US SENDP-ARGS...
	local name=$1 count=$2 period=$3 span median
	shift 3
	if ! sniff_bg pace "$G" sniff --timeout 15 -i b0 -w "$T/pace.pcap" "udp and dst port 43000"; then
		not_ok "$name" "sniff did not start"
		return
	fi
	inA "$G" sendp -i a0 "$@" -c "$count" "$ETH/$IPAB/UDP(dport=43000)" >/dev/null
	sleep 0.2
	stop "$SNIFF_PID"
	read -r span median < <(gaps "$T/pace.pcap")
	# within 5% over the whole run, and the typical gap within 10%
	awk -v s="$span" -v m="$median" -v p="$period" -v c="$count" 'BEGIN {
		want = p * (c - 1)
		exit !(s > want * 0.95 && s < want * 1.05 && m > p * 0.9 && m < p * 1.1) }'
	check "$name" $? "span ${span:-?} us for $((count - 1)) gaps of $period us, median gap ${median:-?} us"
}

if command -v tshark >/dev/null; then
	pace "sendp --rate 2000 paces to 500 us" 400 500 --rate 2000
	pace "sendp --inter 0.02 paces to 20 ms" 15 20000 --inter 0.02
	pace "sendp --rate 50000 paces to 20 us" 20000 20 --rate 50000
else
	skip "sendp pacing" "tshark not installed"
fi

# ---- two interfaces at once: each packet names its own ----------------------

if sniff_bg two "$G" sniff --timeout 15 -i b0 -i b1 -F '%IP.dst% %UDP.dport%' "udp and dst port 44000"; then
	inA "$G" sendp -i a0 -c 5 "Ether()/IP(dst=\"$NET.100\")/UDP(dport=44000)" >/dev/null
	inA "$G" sendp -i a1 -c 7 "Ether()/IP(dst=\"$NET.200\")/UDP(dport=44000)" >/dev/null
	inA "$G" sendp -i a0 -c 3 "Ether()/IP(dst=\"$NET.100\")/UDP(dport=44000)" >/dev/null
	wait_lines "$T/two.out" 15
	sleep 0.2
	stop "$SNIFF_PID"
	b0=$(grep -cx "b0 $NET.100 44000" "$T/two.out")
	b1=$(grep -cx "b1 $NET.200 44000" "$T/two.out")
	[ "$b0" -eq 8 ] && [ "$b1" -eq 7 ] && [ "$(wc -l <"$T/two.out")" -eq 15 ]
	check "sniff on two interfaces names the right one for each packet" $? \
		"b0: $b0 of 8, b1: $b1 of 7" "$(head -n 20 "$T/two.out")"
	if sniff_bg twojson "$G" sniff --timeout 15 -i b0 -i b1 -c 1 -F json "udp and dst port 44000"; then
		inA "$G" sendp -i a1 "Ether()/IP(dst=\"$NET.200\")/UDP(dport=44000)" >/dev/null
		wait "$SNIFF_PID"
		grep -q '^{"iface":"b1","layers":\[{"name":"Ether"' "$T/twojson.out"
		check "sniff -F json on two interfaces has an iface key" $? "$(cut -c1-120 "$T/twojson.out")"
	fi
else
	not_ok "sniff on two interfaces names the right one for each packet" "sniff did not start" \
		"$(cat "$T/two.err")"
fi

# ---- 802.1Q: the tag the kernel took out is put back -----------------------

if sniff_bg vlan "$G" sniff --timeout 15 -i b0 -c 2 -F '%Dot1Q.vlan% %Dot1Q.prio% %UDP.dport%' \
	"udp and dst port 45000"; then
	inA "$G" sendp -i a0 -c 2 "$ETH/Dot1Q(vlan=42,prio=5)/$IPAB/UDP(dport=45000)" >/dev/null
	wait "$SNIFF_PID"
	[ "$(sort -u "$T/vlan.out")" = "42 5 45000" ]
	check "an 802.1Q tag stripped by the kernel is back in the frame" $? "got: $(cat "$T/vlan.out")"
else
	not_ok "an 802.1Q tag stripped by the kernel is back in the frame" "sniff did not start"
fi

# ---- promiscuous mode while sniffing, and off again after ------------------

promisc() { ip -n "$NB" -d link show b0 | sed -n 's/.*promiscuity \([0-9]*\).*/\1/p'; }
if sniff_bg promisc "$G" sniff --timeout 15 -i b0 --promisc --no-store "udp port 1"; then
	during=$(promisc)
	stop "$SNIFF_PID"
	after=$(promisc)
	[ "$during" = 1 ] && [ "$after" = 0 ]
	check "sniff --promisc puts the interface in promiscuous mode, then out" $? \
		"promiscuity during: $during, after: $after"
fi

# ---- -w then SIGINT under load: the file holds every packet counted ---------

# sigint_w NAME GANNET FILE
sigint_w() {
	local name=$1 g=$2 file=$3 lp got ts gr
	ip netns exec "$NA" "$g" sendp -i a0 --loop "$ETH/$IPAB/UDP(dport=46000)/('x'*18)" \
		>/dev/null 2>&1 &
	lp=$!
	PIDS+=("$lp")
	if ! sniff_bg "$name" "$g" sniff --timeout 15 -i b0 -w "$file" "udp and dst port 46000"; then
		kill -INT "$lp"
		not_ok "$name" "sniff did not start" "$(cat "$T/$name.err")"
		return
	fi
	sleep 1
	stop "$SNIFF_PID"
	kill -INT "$lp"
	wait "$lp"
	got=$(captured "$T/$name.err")
	ts=$(tshark -r "$file" 2>/dev/null | wc -l)
	gr=$("$G" read "$file" | wc -l)
	[ "$rc" -eq 0 ] && [ "${got:-0}" -gt 1000 ] && [ "$ts" = "$got" ] && [ "$gr" = "$got" ]
	check "$name" $? "exit $rc; captured ${got:-?}, tshark reads $ts, gannet read $gr" \
		"$(grep -v listening "$T/$name.err")"
}

if command -v tshark >/dev/null; then
	sigint_w "sniff -w then SIGINT: the pcap holds every packet captured" "$G" "$T/int.pcap"
	sigint_w "sniff -w then SIGINT: the pcapng holds every packet captured" "$G" "$T/int.pcapng"
else
	skip "sniff -w then SIGINT" "tshark not installed"
fi

# ---- -r: the same output from a file --------------------------------------

if [ -f "$T/int.pcap" ]; then
	"$G" sniff -r "$T/int.pcap" -c 5 -F '%UDP.dport%' >"$T/r.out" 2>"$T/r.err"
	rrc=$?
	[ "$rrc" -eq 0 ] && [ "$(sort -u "$T/r.out")" = 46000 ] && [ "$(wc -l <"$T/r.out")" -eq 5 ]
	check "sniff -r reads a file with -c and -F" $? "exit $rrc: $(head -n 3 "$T/r.out" "$T/r.err")"
fi

# ---- errors -----------------------------------------------------------------

# deleted NAME GANNET: the interface goes away during the capture
deleted() {
	local name=$1 g=$2 t0 el errs
	ip -n "$NA" link del c0 2>/dev/null
	ip link add c0 netns "$NA" type veth peer name d0 netns "$NB" &&
		ip -n "$NA" link set c0 up && ip -n "$NB" link set d0 up
	if ! sniff_bg del timeout 20 "$g" sniff -i d0; then
		not_ok "$name" "sniff did not start" "$(cat "$T/del.err")"
		return
	fi
	t0=$(date +%s%N)
	ip -n "$NB" link del d0
	wait "$SNIFF_PID"
	rc=$?
	el=$((($(date +%s%N) - t0) / 1000000))
	errs=$(grep '^gannet: ' "$T/del.err" | grep -vc 'listening on')
	[ "$rc" -eq 1 ] && [ "$errs" -eq 1 ] && grep -q '^gannet: d0: interface went away$' "$T/del.err" &&
		[ "$el" -lt 5000 ]
	check "$name" $? "exit $rc after $el ms, $errs error lines:" "$(cat "$T/del.err")"
}
deleted "an interface deleted during sniff: one clear error, exit 1, no hang" "$G"

inB "$G" sniff -i b0 'udp and' >"$T/f.out" 2>"$T/f.err"
frc=$?
[ "$frc" -eq 2 ] && grep -q 'invalid filter "udp and" for b0' "$T/f.err"
check "a filter that does not compile: clear error, exit 2" $? "exit $frc: $(cat "$T/f.err")"

inB "$G" sniff -i nosuch0 >"$T/u.out" 2>"$T/u.err"
urc=$?
inA "$G" sendp -i nosuch0 "Ether()" >"$T/u2.out" 2>"$T/u2.err"
urc2=$?
[ "$urc" -eq 1 ] && grep -qx 'gannet: nosuch0: no such interface' "$T/u.err" &&
	[ "$urc2" -eq 1 ] && grep -qx 'gannet: nosuch0: no such interface' "$T/u2.err"
check "an unknown interface: clear error (sniff and sendp)" $? \
	"sniff exit $urc: $(cat "$T/u.err")" "sendp exit $urc2: $(cat "$T/u2.err")"

ip -n "$NB" link set b1 down
inB "$G" sniff -i b1 >"$T/d.out" 2>"$T/d.err"
drc=$?
ip -n "$NB" link set b1 up
[ "$drc" -eq 1 ] && grep -qx 'gannet: b1: interface is down' "$T/d.err"
check "an interface that is down: clear error" $? "exit $drc: $(cat "$T/d.err")"

inA "$G" sendp -i a0 "$ETH/$IPAB/UDP()/Raw(load='x'*3000)" >"$T/big.out" 2>"$T/big.err"
brc=$?
[ "$brc" -eq 1 ] && grep -q 'a0: send: frame larger than the MTU (1500)' "$T/big.err"
check "sendp of a frame larger than the MTU: clear error" $? "exit $brc: $(cat "$T/big.err")"

# ---- the library API (afpacket_api.c), in a namespace of its own ------------

# Its lines pass through; when it says "delete w1", w1 goes.
api_test() {
	local bin=$T/afpacket_api line pid
	if ! build_api afpacket_api "$bin" "$T/api-build.err"; then
		not_ok "library API test builds" "$(head -n 5 "$T/api-build.err")"
		return
	fi
	ip netns add "$NC" || return
	ip -n "$NC" link set lo up
	for p in v w; do
		ip link add "${p}0" netns "$NC" type veth peer name "${p}1" netns "$NC"
		ip -n "$NC" link set "${p}0" up
		ip -n "$NC" link set "${p}1" up
	done
	# Its stdin is a FIFO, written once it has said "delete w1" and w1 went.
	mkfifo "$T/api.in"
	timeout 30 ip netns exec "$NC" "$bin" <"$T/api.in" >"$T/api.out" 2>"$T/api.err" &
	pid=$!
	exec 7>"$T/api.in"
	for _ in $(seq 300); do
		grep -qx 'delete w1' "$T/api.out" && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	ip -n "$NC" link del w1 2>/dev/null
	# (a subshell that ignores SIGPIPE: it may have ended already)
	(trap '' PIPE; echo go >&7) 2>/dev/null
	exec 7>&-
	wait "$pid"
	pass_through library <(grep -vx 'delete w1' "$T/api.out")
	! grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T/api.err"
	check "library: no sanitizer report$api_san" $? "$(head -n 20 "$T/api.err")"
}
api_test

# ---- the same paths under ASan+UBSan ------------------------------------------

sanitizer_clean() {
	! grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err 2>/dev/null
}

if GA=$(asan_gannet "$T/asan-build.log"); then
	rm -f "$T"/*.err
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
	run_exact "ASan: sendp 1000 frames (sendmmsg), sniff sees exactly them" "$GA" --tx-mode mmsg
	run_exact "ASan: sendp 1000 frames (TX ring), sniff sees exactly them" "$GA" --tx-mode ring
	command -v tshark >/dev/null &&
		sigint_w "ASan: sniff -w then SIGINT: the pcapng holds every packet" "$GA" "$T/asan.pcapng"
	deleted "ASan: an interface deleted during sniff: one clear error" "$GA"
	sanitizer_clean
	check "ASan: no sanitizer report in sniff or sendp" $? \
		"$(grep -hE -A5 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err | head -n 20)"
else
	skip "sniff and sendp under ASan" "no build/asan/libgannet.a, or the ASan gannet did not build"
fi

finish
