#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Live traffic between two network namespaces of this run joined by a veth
# pair (removed on exit), about a minute in all:
#
#  sendp: packets/s of a 64-byte frame, gannet with sendmmsg and with a
#    PACKET_TX_RING, beside Scapy's sendp(), into a veth whose peer drops
#    everything in XDP (so the receiving side costs as little as it can).
#  sniff: a sender paces UDP into the pair at rising rates; gannet, tcpdump
#    and Scapy's sniff() each capture it with the same filter; every packet
#    offered is accounted for: received, dropped by the capture's buffer
#    (the kernel's count), or lost otherwise; frames the veth refused and
#    the sender sent again are shown too.
#
# GN_BENCH_LIVE_SEND (default 1000000) frames per gannet sendp run,
# GN_BENCH_LIVE_SCAPY (5000) for Scapy's, GN_BENCH_LIVE_RATES (pps list).
set -uo pipefail
# shellcheck source=selftests/bench/common.sh disable=SC2154  # common.sh sets $build
source selftests/bench/common.sh

if [ "$(id -u)" != 0 ]; then
	echo "bench_live: needs root (network namespaces, raw sockets); skipped"
	exit 0
fi

send_n=${GN_BENCH_LIVE_SEND:-1000000}
scapy_n=${GN_BENCH_LIVE_SCAPY:-5000}
rates=${GN_BENCH_LIVE_RATES:-50000 100000 200000 400000 max}
max_n=600000
NA=gnbench-$$-a
NB=gnbench-$$-b
NET=10.$((200 + $$ % 50)).$(($$ / 50 % 250))
dir=$build/bench
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-bench-live.XXXXXX")
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	ip netns del "$NA" 2>/dev/null
	ip netns del "$NB" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ip netns add "$NA" && ip netns add "$NB" &&
	ip link add a0 netns "$NA" type veth peer name b0 netns "$NB" || exit 1
for ns in "$NA" "$NB"; do
	ip -n "$ns" link set lo up
done
ip -n "$NA" addr add "$NET.1/24" dev a0
ip -n "$NB" addr add "$NET.2/24" dev b0
ip -n "$NA" link set a0 up
ip -n "$NB" link set b0 up
# With two CPUs or more, the receiving side's softirq work goes to CPU 1
# (RPS) and the sender stays on CPU 0: else the sender's CPU carries both
# and no receiver is ever pushed.
cpus=$(nproc)
pin=()
if [ "$cpus" -ge 2 ]; then
	ip netns exec "$NB" sh -c 'echo 2 > /sys/class/net/b0/queues/rx-0/rps_cpus' 2>/dev/null &&
		pin=(taskset -c 0)
fi
# Scapy looks up a route for every packet it builds: give it one.
ip -n "$NA" route add default via "$NET.2"
MACA=$(ip netns exec "$NA" cat /sys/class/net/a0/address)
MACB=$(ip netns exec "$NB" cat /sys/class/net/b0/address)
FRAME="Ether(src=\"$MACA\",dst=\"$MACB\")/IP(src=\"$NET.1\",dst=\"$NET.2\")/UDP(sport=1234,dport=40000)/('x'*22)"
SCAPY_FRAME="Ether(src='$MACA',dst='$MACB')/IP(src='$NET.1',dst='$NET.2')/UDP(sport=1234,dport=40000)/Raw(b'x'*22)"
FILTER="udp and dst port 40000"

now() { date +%s.%N; }
pps() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { if (b > a) printf "%.0f", n / (b - a); else print 0 }'; }
sent_of() { sed -n 's/^Sent \([0-9]*\) packets\.$/\1/p' "$1" | tail -n 1; }

# ---- sendp ------------------------------------------------------------------

mkdir -p "$dir"
xdp=no
cat >"$T/xdp_drop.c" <<'EOF'
#include <linux/bpf.h>
__attribute__((section("xdp"), used)) int xdp_drop(struct xdp_md *ctx) { (void)ctx; return XDP_DROP; }
char _license[] __attribute__((section("license"), used)) = "GPL";
EOF
if clang -O2 -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c "$T/xdp_drop.c" \
	-o "$dir/xdp_drop.o" 2>/dev/null &&
	ip -n "$NB" link set dev b0 xdp obj "$dir/xdp_drop.o" sec xdp 2>/dev/null; then
	xdp=yes
fi

# gannet_send MODE: best packets/s of two runs
gannet_send() {
	local best=0 t0 t1 r
	for _ in 1 2; do
		t0=$(now)
		ip netns exec "$NA" "$GANNET" sendp -i a0 --tx-mode "$1" -c "$send_n" "$FRAME" >"$T/send.out"
		t1=$(now)
		r=$(pps "$(sent_of "$T/send.out")" "$t0" "$t1")
		[ "$r" -gt "$best" ] && best=$r
	done
	echo "$best"
}

mmsg_pps=$(gannet_send mmsg)
ring_pps=$(gannet_send ring)
scapy_pps=$(ip netns exec "$NA" /usr/bin/python3 -c "
import time
from scapy.all import sendp, Ether, IP, UDP, Raw
p = $SCAPY_FRAME
assert len(p) == 64
t = time.time()
sendp(p, iface='a0', count=$scapy_n, verbose=False)
print('%.0f' % ($scapy_n / (time.time() - t)))
" 2>/dev/null)

echo "sendp: 64-byte frames into a veth whose peer $([ $xdp = yes ] && echo 'drops them in XDP' || echo 'takes them into its stack (no XDP here)')"
printf '%-22s %10s %12s %s\n' "sender" "packets" "packets/s" "gannet (sendmmsg) is"
printf '%-22s %10s %12s %s\n' "gannet, sendmmsg" "$send_n" "$mmsg_pps" "-"
printf '%-22s %10s %12s %sx\n' "gannet, TX ring" "$send_n" "$ring_pps" "$(ratio "$mmsg_pps" "$ring_pps")"
printf '%-22s %10s %12s %sx\n' "scapy sendp()" "$scapy_n" "${scapy_pps:-0}" "$(ratio "$mmsg_pps" "${scapy_pps:-0}")"
echo "reference: this machine's AF_PACKET ceiling into such a veth is ~0.7 Mpps (kernel time only:"
echo "  gannet's user time is ~0); sendmmsg is the default send mode, the faster of the two here."

[ "$xdp" = yes ] && ip -n "$NB" link set dev b0 xdp off

# ---- sniff --------------------------------------------------------------------

cat >"$T/scapy_sniff.py" <<'EOF'
import signal, sys
from scapy.all import sniff
signal.signal(signal.SIGINT, signal.default_int_handler)
n = 0
def count(p):
    global n
    n += 1
def ready():
    print("listening on b0", file=sys.stderr, flush=True)
try:
    sniff(iface="b0", filter=sys.argv[1], store=False, prn=count, started_callback=ready)
except KeyboardInterrupt:
    pass
print("%d packets captured" % n, file=sys.stderr, flush=True)
EOF

# Frames the veth refused because the receiving CPU's backlog was full.  The
# sender hears of each (ENOBUFS) and sends it again, so they are not losses;
# the pair counts each twice (a0 tx_dropped, b0 rx_dropped): one is read.
refused() {
	ip netns exec "$NB" cat /sys/class/net/b0/statistics/rx_dropped
}

# receiver NAME: start it in B, listening.  `ip netns exec` execs the
# command, so $! is the receiver itself, for SIGINT.
receiver() {
	local cmd
	case $1 in
	gannet-count) cmd=("$GANNET" sniff -i b0 --no-store "$FILTER") ;;
	gannet-summary) cmd=("$GANNET" sniff -i b0 "$FILTER") ;;
	tcpdump-w) cmd=(tcpdump -B 65536 -i b0 -w /dev/null "$FILTER") ;;
	tcpdump-print) cmd=(tcpdump -B 65536 -i b0 -n "$FILTER") ;;
	scapy) cmd=(/usr/bin/python3 "$T/scapy_sniff.py" "$FILTER") ;;
	esac
	ip netns exec "$NB" "${cmd[@]}" >/dev/null 2>"$T/rx.err" &
	RX=$!
	PIDS+=("$RX")
	for _ in $(seq 200); do
		grep -q 'listening on' "$T/rx.err" && return 0
		sleep 0.05
	done
	return 1
}

echo
echo "sniff: UDP paced into the pair, one receiver at a time; \"$FILTER\"; $cpus CPUs$([ ${#pin[@]} -gt 0 ] && echo ', sender on CPU 0, receive softirq on CPU 1 (RPS)')"
echo "  gannet-count: --no-store; gannet-summary: one summary line per packet to /dev/null;"
echo "  tcpdump-w: -w /dev/null; tcpdump-print: -n to /dev/null (both -B 65536, gannet's 64 MiB ring);"
echo "  scapy: sniff(store=False, prn=count)"
printf '%-8s %-15s %9s %9s %8s %8s %8s %8s %9s\n' "rate" "receiver" "offered" "received" "ring" \
	"lost" "resent" "recv %" "ok pps"
for rate in $rates; do
	for rx in gannet-count gannet-summary tcpdump-w tcpdump-print scapy; do
		if ! receiver "$rx"; then
			kill -KILL "$RX" 2>/dev/null
			printf '%-8s %-15s did not start\n' "$rate" "$rx"
			continue
		fi
		r0=$(refused)
		t0=$(now)
		if [ "$rate" = max ]; then
			ip netns exec "$NA" "${pin[@]}" "$GANNET" sendp -i a0 -c "$max_n" "$FRAME" >"$T/tx.out"
		else
			ip netns exec "$NA" "${pin[@]}" "$GANNET" sendp -i a0 --rate "$rate" -c "$rate" \
				"$FRAME" >"$T/tx.out"
		fi
		t1=$(now)
		# What is in the buffers is the receiver's to take before it is
		# stopped: libpcap (tcpdump) hands a ring block over after 1 s.
		case $rx in
		tcpdump*) sleep 1.2 ;;
		*) sleep 0.3 ;;
		esac
		kill -INT "$RX"
		for _ in $(seq 100); do
			kill -0 "$RX" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL "$RX" 2>/dev/null
		wait "$RX"
		r1=$(refused)
		offered=$(sent_of "$T/tx.out")
		got=$(sed -n 's/^\([0-9]*\) packets\{0,1\} captured.*/\1/p' "$T/rx.err" | tail -n 1)
		ring=$(sed -n -e 's/.*captured, \([0-9]*\) dropped by kernel.*/\1/p' \
			-e 's/^\([0-9]*\) packets\{0,1\} dropped by kernel$/\1/p' "$T/rx.err" | tail -n 1)
		resent=$((r1 - r0))
		got=${got:-0}
		ring=${ring:-0}
		lost=$((offered - got - ring))
		printf '%-8s %-15s %9s %9s %8s %8s %8s %8s %9s\n' "$rate" "$rx" "$offered" "$got" "$ring" \
			"$lost" "$resent" \
			"$(awk -v a="$got" -v b="$offered" 'BEGIN { if (b) printf "%.1f", 100 * a / b }')" \
			"$(pps "$got" "$t0" "$t1")"
	done
done
echo "ring: dropped by the capture's own buffer (its kernel count); lost: offered - received - ring"
echo "(Scapy reports no drop count: its losses are all there); resent: frames the veth refused for a"
echo "full backlog and the sender sent again (not losses: nothing is lost before the capture)."
