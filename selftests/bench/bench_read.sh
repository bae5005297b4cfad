#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# A 1,000,000-packet mixed capture to one-line summaries on /dev/null:
# gannet read vs tcpdump -nr vs tshark -r vs Scapy's PcapReader, with peak
# memory.  tshark and Scapy are timed on a prefix (GN_BENCH_SLOW_PACKETS,
# default 100000 and 20000) and reported in packets/s, since they would take
# minutes on the whole file.
set -euo pipefail
source selftests/bench/common.sh
build_gnbench

packets=${GN_BENCH_PACKETS:-1000000}
tshark_packets=${GN_BENCH_TSHARK_PACKETS:-100000}
scapy_packets=${GN_BENCH_SCAPY_PACKETS:-20000}
dir=$build/bench
big=$dir/mixed-$packets.pcap
small=$dir/mixed-small.pcap

[ -f "$big" ] || "$gnbench" mkpcap "$big" "$packets"
"$gnbench" mkpcap "$dir/mixed-tshark.pcap" "$tshark_packets"
"$gnbench" mkpcap "$small" "$scapy_packets"
"$gnbench" mkpcap "$dir/mixed-10k.pcap" 10000

# seconds a command takes, output to /dev/null
secs() {
	local t0 t1
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
pps() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print 0 }'; }

g_s=$(secs "$GANNET" read "$big")
g_pps=$(pps "$packets" "$g_s")
g_mem=$(peak_kib "$GANNET" read "$big")
g_mem_small=$(peak_kib "$GANNET" read "$dir/mixed-10k.pcap")

t_s=$(secs tcpdump -nr "$big")
t_pps=$(pps "$packets" "$t_s")
t_mem=$(peak_kib tcpdump -nr "$big")

ts_s=$(secs tshark -n -r "$dir/mixed-tshark.pcap")
ts_pps=$(pps "$tshark_packets" "$ts_s")

scapy_s=$(secs /usr/bin/python3 -c "
import sys
from scapy.all import PcapReader
with PcapReader(sys.argv[1]) as r:
    for p in r:
        print(p.summary())
" "$small")
scapy_pps=$(pps "$scapy_packets" "$scapy_s")

printf '%-10s %10s %10s %12s %s\n' "reader" "packets" "seconds" "packets/s" "gannet is"
printf '%-10s %10s %10s %12s %s\n' "gannet" "$packets" "$g_s" "$g_pps" "-"
printf '%-10s %10s %10s %12s %sx\n' "tcpdump" "$packets" "$t_s" "$t_pps" "$(ratio "$g_pps" "$t_pps")"
printf '%-10s %10s %10s %12s %sx\n' "tshark" "$tshark_packets" "$ts_s" "$ts_pps" "$(ratio "$g_pps" "$ts_pps")"
printf '%-10s %10s %10s %12s %sx\n' "scapy" "$scapy_packets" "$scapy_s" "$scapy_pps" "$(ratio "$g_pps" "$scapy_pps")"
echo "peak memory: gannet ${g_mem} KiB on $packets packets, ${g_mem_small} KiB on 10000; tcpdump ${t_mem} KiB"
