#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet replay on real interfaces: two network namespaces of this run only
# (gnrp-PID-a, gnrp-PID-b) joined by a veth pair, with addresses of their
# own; nothing is sent anywhere else, and a trap removes it all, even on
# failure.  Captures are written with `gannet write` and with Scapy (for
# timestamps of our choosing), replayed from A, and captured in B by
# tcpdump; Scapy's RawPcapReader compares the bytes.  TAP-like output:
# "ok - NAME" / "not ok - NAME" with "#" lines saying why.  Needs root
# (CAP_NET_ADMIN, CAP_NET_RAW); skips otherwise.
#
# When the ASan+UBSan library is built (build/asan/libgannet.a), the gannet
# command is built against it too and replays again under the sanitizers.
#
# Usage: selftests/net/test_replay.sh [BUILD_DIR]   (default: $GANNET_BUILD, else build/)

set -u

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_build_dir "${1:-}"
G=$gannet
PY=/usr/bin/python3

NA=gnrp-$$-a
NB=gnrp-$$-b
# 10.200-249.x.0/24: a network of this run's own, inside the namespaces only.
NET=10.$((200 + $$ % 50)).$(($$ / 50 % 250))
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-replay.XXXXXX")
PIDS=()

cleanup() {
	kill_pids KILL "${PIDS[@]}"
	netns_down "$NA" "$NB"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null; then skip_all "replay tests" "need root and iproute2"; fi
if ! command -v tcpdump >/dev/null || ! "$PY" -c 'import scapy.all' 2>/dev/null; then
	skip_all "replay tests" "need tcpdump and Scapy"
fi
netns_up "replay tests" "$NA" "$NB"

inA() { ip netns exec "$NA" "$@"; }

if ! ip link add a0 netns "$NA" type veth peer name b0 netns "$NB" ||
	! ip -n "$NA" addr add "$NET.1/24" dev a0 || ! ip -n "$NB" addr add "$NET.101/24" dev b0 ||
	! ip -n "$NA" link set a0 up || ! ip -n "$NB" link set b0 up; then
	not_ok "veth setup"
	finish
fi
MACA=$(inA cat /sys/class/net/a0/address)
MACB=$(ip netns exec "$NB" cat /sys/class/net/b0/address)
ETH="Ether(src=\"$MACA\",dst=\"$MACB\")"
IPAB="IP(src=\"$NET.1\",dst=\"$NET.101\")"

# What the checks read out of capture files, with Scapy (not gannet).
cat >"$T/ana.py" <<'EOF'
import sys
from scapy.all import RawPcapReader, rdpcap
what, path = sys.argv[1], sys.argv[2]
if what == "hex":            # one line of hex per frame
    for data, meta in RawPcapReader(path):
        print(data.hex())
elif what == "gaps":         # microseconds from each frame to the next
    t = [p.time for p in rdpcap(path)]
    for a, b in zip(t, t[1:]):
        print("%.1f" % ((b - a) * 1e6))
elif what == "span":         # microseconds from the first frame to the last
    t = [p.time for p in rdpcap(path)]
    print("%.0f" % ((t[-1] - t[0]) * 1e6) if t else 0)
EOF
# Captures with timestamps of our choosing: mk.py OUT GAPS-MS... (frame i+1
# comes GAPS[i] ms after frame i; the frames are UDP to port 47000, payload
# "t<i>").
cat >"$T/mk.py" <<EOF
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
out, gaps = sys.argv[1], [float(g) for g in sys.argv[2:]]
t, pkts = 1700000000.0, []
for i in range(len(gaps) + 1):
    p = Ether(src="$MACA", dst="$MACB") / IP(src="$NET.1", dst="$NET.101") / \
        UDP(sport=1234, dport=47000) / Raw(b"t%d" % i)
    p.time = t
    pkts.append(p)
    if i < len(gaps):
        t += gaps[i] / 1000
wrpcap(out, pkts)
EOF

hexes() { "$PY" "$T/ana.py" hex "$1" 2>/dev/null; }

# cap_start NAME [FILTER]: tcpdump in B into $T/NAME.rx.pcap, returns once
# it is listening.  `ip netns exec` execs it: $! is tcpdump, for SIGINT.
cap_start() {
	local name=$1 filter=${2:-udp and dst port 47000}
	# (a snap length of 4096, not 262144: in immediate mode every ring slot
	# is that big, and a ring of a few slots drops a burst)
	ip netns exec "$NB" tcpdump -i b0 -n -s 4096 -B 32768 --immediate-mode -U \
		--time-stamp-precision=nano -w "$T/$name.rx.pcap" "$filter" 2>"$T/$name.tcpdump" &
	CAP_PID=$!
	PIDS+=("$CAP_PID")
	wait_for "$CAP_PID" 100 'listening on' "$T/$name.tcpdump"
}

# stop PID: SIGINT, then its exit status in $rc (KILL after 5 s: 137).
stop() { stop_pid INT "$1"; }

cap_stop() {
	sleep 0.3  # anything late or extra shows up now
	stop "$CAP_PID"
}

# replay NAME ARGS...: gannet replay in A; stdout $T/NAME.out, stderr
# $T/NAME.err, exit status in $rrc.
replay() {
	local name=$1
	shift
	inA "$RG" replay "$@" >"$T/$name.out" 2>"$T/$name.err"
	rrc=$?
}
RG=$G

# ---- the frames of the file, byte for byte, in order -----------------------

# 200 frames with distinct payloads, one expression per line.
for i in $(seq 200); do
	echo "$ETH/$IPAB/UDP(sport=1234,dport=47000)/Raw(load='payload-$i')"
done >"$T/200.expr"
if ! "$G" write -w "$T/200.pcap" - <"$T/200.expr" >/dev/null ||
	! "$G" write -w "$T/200.pcapng" - <"$T/200.expr" >/dev/null; then
	not_ok "gannet write makes the test captures"
	finish
fi
hexes "$T/200.pcap" >"$T/200.hex"

exact() { # NAME FILE REPLAY-ARGS...
	local name=$1 file=$2 got lines
	shift 2
	if ! cap_start exact; then
		not_ok "$name" "tcpdump did not start" "$(cat "$T/exact.tcpdump")"
		return
	fi
	replay exact -i a0 "$@" "$file"
	cap_stop
	hexes "$T/exact.rx.pcap" >"$T/exact.hex"
	lines=$(wc -l <"$T/exact.hex")
	cmp -s "$T/exact.hex" "$T/200.hex" && [ "$rrc" -eq 0 ] &&
		grep -q '^Sent 200 packets, ' "$T/exact.out" && [ ! -s "$T/exact.err" ]
	check "$name" $? "exit $rrc, $lines frames arrived: $(diff "$T/200.hex" "$T/exact.hex" | head -n 4)" \
		"$(cat "$T/exact.out" "$T/exact.err")"
}

exact "replay -t: exactly the 200 frames of a pcap arrive, byte for byte, in order" "$T/200.pcap" -t
exact "replay -t of a pcapng: the same 200 frames" "$T/200.pcapng" -t
exact "replay --pps 20000: the same 200 frames" "$T/200.pcap" --pps 20000

# The report's numbers: packets, bytes (the frames' lengths summed).
bytes=$("$PY" -c 'import sys
from scapy.all import RawPcapReader
print(sum(len(d) for d, m in RawPcapReader(sys.argv[1])))' "$T/200.pcap" 2>/dev/null)
replay json -i a0 -t -j "$T/200.pcap"
"$PY" -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert r["packets"] == 200 and r["bytes"] == int(sys.argv[2]), r
assert r["failed"] == 0 and r["truncated"] == 0 and r["loops"] == 1, r
assert r["interrupted"] is False and r["elapsed_s"] > 0 and r["pps"] > 0 and r["mbps"] > 0, r
assert set(r) == {"packets", "bytes", "elapsed_s", "pps", "mbps", "failed", "too_big",
                  "refused", "truncated", "loops", "interrupted"}, r' "$T/json.out" "$bytes" \
	2>"$T/json.py.err"
check "replay -j: one JSON object, packets 200 and bytes $bytes" $? "exit $rrc: $(cat "$T/json.out")" \
	"$(tail -n 2 "$T/json.py.err")"

replay text -i a0 -t "$T/200.pcap"
grep -Eq "^Sent 200 packets, $bytes bytes in [0-9]+\.[0-9]{3} s \([0-9]+ packets/s, [0-9]+\.[0-9]{2} Mbit/s\)$" \
	"$T/text.out" && [ "$(wc -l <"$T/text.out")" -eq 1 ] && [ "$rrc" -eq 0 ]
check "replay: the report line says packets, bytes, time and rates" $? "$(cat "$T/text.out")"

replay quiet -i a0 -t -q "$T/200.pcap"
[ "$rrc" -eq 0 ] && [ ! -s "$T/quiet.out" ] && [ ! -s "$T/quiet.err" ]
check "replay -q prints nothing" $? "exit $rrc: $(cat "$T/quiet.out" "$T/quiet.err")"

# ---- --loop and -c ------------------------------------------------------------

if cap_start loop; then
	replay loop -i a0 -t --loop 3 "$T/200.pcap"
	cap_stop
	hexes "$T/loop.rx.pcap" >"$T/loop.hex"
	cat "$T/200.hex" "$T/200.hex" "$T/200.hex" >"$T/loop.want"
	cmp -s "$T/loop.hex" "$T/loop.want" && grep -q '^Sent 600 packets' "$T/loop.out"
	check "replay --loop 3 sends the file three times, in order" $? \
		"exit $rrc, $(wc -l <"$T/loop.hex") frames arrived" "$(cat "$T/loop.out" "$T/loop.err")"
fi

if cap_start count; then
	replay count -i a0 -t -l 2 -c 250 "$T/200.pcap"
	cap_stop
	hexes "$T/count.rx.pcap" >"$T/count.hex"
	{ cat "$T/200.hex"; head -n 50 "$T/200.hex"; } >"$T/count.want"
	cmp -s "$T/count.hex" "$T/count.want" && grep -q '^Sent 250 packets' "$T/count.out"
	check "replay -l 2 -c 250 stops after 250 packets" $? \
		"exit $rrc, $(wc -l <"$T/count.hex") frames arrived" "$(cat "$T/count.out")"
fi

# ---- timing ---------------------------------------------------------------------

# timing NAME WANT-SPAN-US TOL-US REPLAY-ARGS...: the span of the frames as
# captured in B; also the report's elapsed time (the same span).
timing() {
	local name=$1 want=$2 tol=$3 span el
	shift 3
	if ! cap_start timing; then
		not_ok "$name" "tcpdump did not start"
		return
	fi
	replay timing -i a0 "$@"
	cap_stop
	span=$("$PY" "$T/ana.py" span "$T/timing.rx.pcap" 2>/dev/null)
	el=$(sed -n 's/^Sent [0-9]* packets, [0-9]* bytes in \([0-9.]*\) s .*/\1/p' "$T/timing.out")
	echo "# $name: span ${span:-?} us (want $want +- $tol), report ${el:-?} s"
	awk -v s="${span:-0}" -v w="$want" -v t="$tol" -v e="${el:-0}" 'BEGIN {
		exit !(s >= w - t && s <= w + t && e * 1e6 >= w - t && e * 1e6 <= w + t + 5000) }' &&
		[ "$rrc" -eq 0 ]
	check "$name" $? "exit $rrc, span ${span:-?} us, want $want +- $tol" "$(cat "$T/timing.out" "$T/timing.err")"
}

"$PY" "$T/mk.py" "$T/ten.pcap" 100 100 100 100 100 100 100 100 100 2>/dev/null
timing "replay keeps the recorded timing: 10 frames 100 ms apart take 0.9 s" 900000 10000 "$T/ten.pcap"
timing "replay -x 2: twice as fast, 0.45 s" 450000 5000 -x 2 "$T/ten.pcap"
timing "replay -x 0.5: half as fast, 1.8 s" 1800000 15000 --multiplier 0.5 "$T/ten.pcap"
timing "replay -l 2 as recorded: the second pass follows the first, 1.8 s" 1800000 15000 -l 2 \
	"$T/ten.pcap"
"$G" write -w "$T/500.pcap" "$ETH/$IPAB/UDP(sport=(1,500),dport=47000)" >/dev/null
timing "replay --pps 1000 of 500 frames takes 0.5 s" 499000 10000 --pps 1000 "$T/500.pcap"

# Every gap as recorded, not only the span: irregular gaps (ms), each kept
# to 1 ms on the receiving side.
GAPS="0 10 50 5 0.5 120 1 30 0 75 2"
"$PY" "$T/mk.py" "$T/gaps.pcap" $GAPS 2>/dev/null
if cap_start gaps; then
	replay gaps -i a0 "$T/gaps.pcap"
	cap_stop
	"$PY" "$T/ana.py" gaps "$T/gaps.rx.pcap" >"$T/gaps.got" 2>/dev/null
	worst=$(printf '%s\n' $GAPS | paste - "$T/gaps.got" |
		awk 'NF == 2 { d = $2 - $1 * 1000; if (d < 0) d = -d; if (d > w) w = d; n++ }
		     END { if (n != 11) print "missing"; else printf "%.0f", w }')
	echo "# irregular gaps: worst error ${worst} us"
	[ "$worst" != missing ] && [ "$worst" -lt 1000 ] && [ "$rrc" -eq 0 ]
	check "replay keeps every recorded gap (irregular gaps, each within 1 ms)" $? \
		"worst error $worst us; got gaps (us): $(tr '\n' ' ' <"$T/gaps.got")"
fi

# ---- frames the interface cannot take; truncated captures -----------------------

"$PY" - "$T/odd.pcap" "$T/trunc.pcap" "$MACA" "$MACB" "$NET" <<'EOF' 2>/dev/null
import sys
from scapy.all import Ether, Dot1Q, IP, UDP, Raw, wrpcap
odd, trunc, a, b, net = sys.argv[1:]
e = Ether(src=a, dst=b)
ip = IP(src=net + ".1", dst=net + ".101")
u = UDP(sport=1234, dport=47000)
frames = [
    e / ip / u / Raw(b"first"),
    e / ip / u / Raw(b"B" * 3000),                     # beyond the MTU
    e / Dot1Q(vlan=3) / ip / u / Raw(b"v" * 1472),     # 1518: allowed with a tag
    e / ip / u / Raw(b"C" * 1473),                     # 1515: one byte too many
    e / ip / u / Raw(b"last"),
]
wrpcap(odd, frames)
full = e / ip / u / Raw(b"x" * 100)
cut = Ether(bytes(full)[:60])       # captured: 60 bytes of 142
cut.wirelen = len(full)
wrpcap(trunc, [cut, e / ip / u / Raw(b"y" * 10)])
EOF

if cap_start odd "udp and dst port 47000 or (vlan and udp dst port 47000)"; then
	replay odd -i a0 -t "$T/odd.pcap"
	cap_stop
	got=$(hexes "$T/odd.rx.pcap" | wc -l)
	want=$(hexes "$T/odd.pcap" | sed -n '1p;3p;5p')
	[ "$rrc" -eq 0 ] && [ "$(hexes "$T/odd.rx.pcap")" = "$want" ] &&
		grep -q '^Sent 3 packets' "$T/odd.out" &&
		grep -q '^Failed 2 packets: 2 larger than a0 takes (1514 bytes), 0 refused' "$T/odd.out" &&
		[ "$(grep -c 'skipped' "$T/odd.err")" -eq 1 ] &&
		grep -q 'packet 2 of .*odd.pcap is 3042 bytes, more than a0 takes (1514)' "$T/odd.err"
	check "frames longer than MTU + header are skipped, counted, said once; the rest go" $? \
		"exit $rrc, $got frames arrived" "$(cat "$T/odd.out" "$T/odd.err")"
fi

if cap_start trunc; then
	replay trunc -i a0 -t "$T/trunc.pcap"
	cap_stop
	[ "$rrc" -eq 0 ] && [ "$(hexes "$T/trunc.rx.pcap")" = "$(hexes "$T/trunc.pcap")" ] &&
		grep -q '^Sent 2 packets, 112 bytes' "$T/trunc.out" &&
		grep -q '^Truncated 1 packets' "$T/trunc.out"
	check "a truncated capture: what was captured is sent, the truncated ones counted" $? \
		"exit $rrc" "$(cat "$T/trunc.out" "$T/trunc.err")" \
		"$(diff <(hexes "$T/trunc.pcap") <(hexes "$T/trunc.rx.pcap"))"
fi

# A frame the kernel refuses (shorter than an Ethernet header): skipped and
# counted, the others go.
"$PY" - "$T/short.pcap" "$MACA" "$MACB" "$NET" <<'EOF' 2>/dev/null
import sys
from scapy.all import Ether, IP, UDP, Raw, wrpcap
out, a, b, net = sys.argv[1:]
p = Ether(src=a, dst=b) / IP(src=net + ".1", dst=net + ".101") / UDP(sport=1234, dport=47000)
wrpcap(out, [p / Raw(b"one"), Raw(bytes(p)[:5]), p / Raw(b"two")], linktype=1)
EOF
replay short -i a0 -t -j "$T/short.pcap"
"$PY" -c 'import json, sys
r = json.load(open(sys.argv[1]))
assert (r["packets"], r["failed"], r["refused"]) == (2, 1, 1), r' "$T/short.out" 2>/dev/null &&
	[ "$rrc" -eq 0 ] && [ "$(grep -c '' "$T/short.err")" -eq 1 ] &&
	grep -q 'a0: send: .*packet skipped' "$T/short.err"
check "a frame the kernel refuses is skipped and counted, said once" $? \
	"exit $rrc: $(cat "$T/short.out" "$T/short.err")"

# ---- Ctrl-C and SIGTERM ------------------------------------------------------------

if cap_start sig; then
	# 20000 packets/s: what tcpdump takes without dropping any
	ip netns exec "$NA" "$G" replay -i a0 -p 20000 -l 0 "$T/200.pcap" >"$T/sig.out" 2>"$T/sig.err" &
	rp=$!
	PIDS+=("$rp")
	sleep 1
	stop "$rp"
	src=$rc
	cap_stop
	sent=$(sed -n 's/^Sent \([0-9]*\) packets, .*/\1/p' "$T/sig.out")
	got=$(hexes "$T/sig.rx.pcap" | wc -l)
	[ "$src" -eq 0 ] && [ "${sent:-0}" -gt 5000 ] && [ "$got" = "$sent" ]
	check "replay --loop 0 ends on Ctrl-C with the report, every packet it counts arrived" $? \
		"exit $src, sent ${sent:-?}, arrived $got" "$(cat "$T/sig.out" "$T/sig.err")"
fi

ip netns exec "$NA" "$G" replay -i a0 -p 10 "$T/200.pcap" >"$T/term.out" 2>"$T/term.err" &
rp=$!
PIDS+=("$rp")
sleep 0.55
kill -TERM "$rp"
wait "$rp"
trc=$?
[ "$trc" -eq 143 ] && grep -Eq '^Sent [5-7] packets, ' "$T/term.out" && [ ! -s "$T/term.err" ]
check "SIGTERM stops a paced replay with the report (status 128 + 15)" $? \
	"exit $trc: $(cat "$T/term.out" "$T/term.err")"

# ---- errors --------------------------------------------------------------------------

# err NAME STATUS PATTERN ARGS...: that exit status, and one error line (a
# usage error adds the line that points to --help) matching PATTERN.
err() {
	local name=$1 want=$2 pat=$3 lines=1
	shift 3
	replay err -i a0 "$@"
	[ "$want" -eq 2 ] && lines=2
	[ "$rrc" -eq "$want" ] && [ "$(grep -c '' "$T/err.err")" -eq "$lines" ] &&
		head -n 1 "$T/err.err" | grep -q "^gannet: .*$pat" && [ ! -s "$T/err.out" ]
	check "$name" $? "exit $rrc (want $want): $(cat "$T/err.out" "$T/err.err")"
}

echo "not a capture" >"$T/text.txt"
head -c 5000 "$T/200.pcap" >"$T/cut.pcap"
"$PY" -c 'from scapy.all import *; import sys
wrpcap(sys.argv[1], [CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=b"\x02" * 6 + b"\0\0") /
       IP(dst="192.0.2.1") / UDP()], linktype=113)
wrpcap(sys.argv[2], [IP(dst="192.0.2.1") / UDP()], linktype=101)' "$T/sll.pcap" "$T/raw.pcap" 2>/dev/null

err "a missing file: clear error, exit 1" 1 "cannot open .*nosuch.pcap: No such file" "$T/nosuch.pcap"
err "a file that is not a capture: clear error, exit 1" 1 "text.txt: cannot read as pcap" "$T/text.txt"
err "a Linux cooked capture into Ethernet: clear error, exit 1" 1 \
	"link type LINUX_SLL (113) cannot go out of a0.*tcprewrite" "$T/sll.pcap"
err "a raw IP capture into Ethernet: clear error, exit 1" 1 "link type RAW .* cannot go out of a0" \
	"$T/raw.pcap"
err "bad multiplier: usage error" 2 "bad multiplier '0'" -x 0 "$T/200.pcap"
err "bad rate: usage error" 2 "bad rate 'fast'" -p fast "$T/200.pcap"
err "bad loop count: usage error" 2 "bad loop count '-1'" -l -1 "$T/200.pcap"
err "bad count: usage error" 2 "bad count '0'" -c 0 "$T/200.pcap"
err "-x with -t: usage error" 2 "do not go together" -x 2 -t "$T/200.pcap"
err "no file: usage error" 2 "missing capture file"
err "two files: usage error" 2 "one capture file only" "$T/200.pcap" "$T/200.pcap"
err "--loop over stdin: usage error" 2 "cannot be stdin" -l 2 -
err "unknown option: usage error" 2 "unknown option '--bogus'" --bogus "$T/200.pcap"

inA "$G" replay "$T/200.pcap" >"$T/noif.out" 2>"$T/noif.err"
nrc=$?
[ "$nrc" -eq 2 ] && grep -q '^gannet: replay: no interface: name one with -i' "$T/noif.err"
check "no interface: usage error" $? "exit $nrc: $(cat "$T/noif.err")"

inA "$G" replay -i nosuch0 "$T/200.pcap" >"$T/unk.out" 2>"$T/unk.err"
urc=$?
[ "$urc" -eq 1 ] && [ "$(cat "$T/unk.err")" = "gannet: nosuch0: no such interface" ]
check "an unknown interface: clear error, exit 1" $? "exit $urc: $(cat "$T/unk.err")"

ip -n "$NA" link set a0 down
inA "$G" replay -i a0 "$T/200.pcap" >"$T/down.out" 2>"$T/down.err"
drc=$?
ip -n "$NA" link set a0 up
[ "$drc" -eq 1 ] && [ "$(cat "$T/down.err")" = "gannet: a0: interface is down" ]
check "an interface that is down: clear error, exit 1" $? "exit $drc: $(cat "$T/down.err")"

# A capture cut short: the frames before the damage go, then the error.
whole=$(tcpdump -r "$T/cut.pcap" 2>/dev/null | wc -l)
if cap_start cut; then
	replay cut -i a0 -t "$T/cut.pcap"
	cap_stop
	got=$(hexes "$T/cut.rx.pcap" | wc -l)
	[ "$rrc" -eq 1 ] && [ "$got" -eq "$whole" ] && [ "$got" -gt 0 ] &&
		grep -q "^Sent $got packets" "$T/cut.out" &&
		[ "$(grep -c '' "$T/cut.err")" -eq 1 ] && grep -q 'cut.pcap: packet [0-9]*: ' "$T/cut.err"
	check "a capture cut short: its whole frames go, then one error, exit 1" $? \
		"exit $rrc, $got of $whole frames arrived" "$(cat "$T/cut.out" "$T/cut.err")"
fi

# ---- the same paths under ASan+UBSan ------------------------------------------------

if RG=$(asan_gannet "$T/asan-build.log"); then
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
	rm -f "$T"/*.err
	exact "ASan: replay -t: exactly the 200 frames arrive" "$T/200.pcap" -t
	timing "ASan: replay -x 2 keeps time" 450000 5000 -x 2 "$T/ten.pcap"
	replay asan-odd -i a0 -t "$T/odd.pcap"
	replay asan-short -i a0 -t "$T/short.pcap"
	replay asan-cut -i a0 -t "$T/cut.pcap"
	replay asan-sll -i a0 "$T/sll.pcap"
	replay asan-loop -i a0 -t -l 3 -c 500 -j "$T/200.pcapng"
	! grep -qE 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err
	check "ASan: no sanitizer report in replay" $? \
		"$(grep -hE -A5 'ERROR: [A-Za-z]+Sanitizer|runtime error:' "$T"/*.err | head -n 20)"
else
	skip "replay under ASan" "no build/asan/libgannet.a, or the ASan gannet did not build"
fi

finish
