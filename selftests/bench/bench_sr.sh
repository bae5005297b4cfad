#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# sr: 10,000 ICMP echoes to a peer namespace over a veth pair — answers and
# wall time, gannet srp vs Scapy's srp() on the same probes, and at layer 3
# gannet sr (route, neighbour and source filled by gannet) vs Scapy's sr().  Namespaces of
# this run only (gnbs-PID-*), removed by a trap.
set -uo pipefail
source selftests/bench/common.sh

N=${GN_BENCH_SR_PROBES:-10000}
P=gnbs-$$
NET=10.$((150 + $$ % 50)).$(($$ / 50 % 250))
cleanup() { ip netns del "$P-a" 2>/dev/null; ip netns del "$P-b" 2>/dev/null; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

if [ "$(id -u)" -ne 0 ] || ! ip netns add "$P-a" 2>/dev/null; then
	echo "sr bench skipped: needs root and network namespaces"
	exit 0
fi
ip netns add "$P-b"
ip link add eth0 netns "$P-a" address 02:5b:00:00:00:01 type veth peer name eth0 \
	netns "$P-b" address 02:5b:00:00:00:02
for h in a b; do
	ip -n "$P-$h" link set eth0 up
	ip -n "$P-$h" link set lo up
done
ip -n "$P-a" addr add "$NET.1/24" dev eth0
ip -n "$P-b" addr add "$NET.2/24" dev eth0
sleep 0.2

probe="Ether(src='02:5b:00:00:00:01', dst='02:5b:00:00:00:02')/IP(src='$NET.1', dst='$NET.2')/ICMP(id=7, seq=(1,$N))"

t0=$(date +%s.%N)
g_line=$(ip netns exec "$P-a" "$GANNET" srp -i eth0 --timeout 1 "$probe" 2>/dev/null | head -n 1)
t1=$(date +%s.%N)
g_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
g_ans=$(sed -n 's/.*got \([0-9]*\) answers.*/\1/p' <<<"$g_line")

s_out=$(ip netns exec "$P-a" /usr/bin/python3 - "$probe" <<'PY' 2>/dev/null
import sys, time
from scapy.all import srp, conf, Ether, IP, ICMP
conf.verb = 0
pkts = eval(sys.argv[1])
t0 = time.time()
ans, unans = srp(pkts, iface="eth0", timeout=1)
print(len(ans), "%.3f" % (time.time() - t0))
PY
)
s_ans=${s_out%% *}
s_s=${s_out##* }

probe3="IP(dst='$NET.2')/ICMP(id=8, seq=(1,$N))"
t0=$(date +%s.%N)
g3_line=$(ip netns exec "$P-a" "$GANNET" sr --timeout 1 "$probe3" 2>/dev/null | head -n 1)
t1=$(date +%s.%N)
g3_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
g3_ans=$(sed -n 's/.*got \([0-9]*\) answers.*/\1/p' <<<"$g3_line")
s3_out=$(ip netns exec "$P-a" /usr/bin/python3 - "$probe3" <<'PY' 2>/dev/null
import sys, time
from scapy.all import sr, conf, IP, ICMP
conf.verb = 0
pkts = eval(sys.argv[1])
t0 = time.time()
ans, unans = sr(pkts, timeout=1)
print(len(ans), "%.3f" % (time.time() - t0))
PY
)
s3_ans=${s3_out%% *}
s3_s=${s3_out##* }

row() { # tool answers seconds
	printf '%-10s %8s %8s %10s %12.0f\n' "$1" "$N" "${2:-0}" "${3:-0}" \
		"$(awk -v n="$N" -v s="${3:-0}" 'BEGIN { print (s > 0) ? n / s : 0 }')"
}
printf '%-10s %8s %8s %10s %12s\n' "tool" "probes" "answers" "seconds" "probes/s"
row "gannet srp" "$g_ans" "$g_s"
row "scapy srp" "$s_ans" "$s_s"
row "gannet sr" "$g3_ans" "$g3_s"
row "scapy sr" "$s3_ans" "$s3_s"
echo "srp: gannet is $(ratio "$s_s" "$g_s")x faster; sr: $(ratio "$s3_s" "$g3_s")x (target: all $N answered in under 1 s)"
