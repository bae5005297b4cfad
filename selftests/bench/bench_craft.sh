#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# Building and dissecting on one core: gannet vs Scapy on the same packets.
set -euo pipefail
source selftests/bench/common.sh
build_gnbench

secs=${GN_BENCH_SECONDS:-3}
py=/usr/bin/python3

scapy_rate() { # mode
	"$py" - "$1" "$secs" <<'PY'
import sys, time
from scapy.all import Ether, IP, TCP, UDP, Raw, DNS, DNSQR, DNSRR, conf
conf.verb = 0
mode, secs = sys.argv[1], float(sys.argv[2])
tcp = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')/IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=40000, dport=80, flags='S')/Raw(load=b'x'*20)
dns = Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')/IP(src='10.0.0.53', dst='10.0.0.2')/UDP(sport=53, dport=40000)/DNS(id=7, qr=1, qd=DNSQR(qname='www.example.com'), an=DNSRR(rrname='www.example.com', rdata='93.184.216.34')/DNSRR(rrname='www.example.com', rdata='93.184.216.35'))
if mode == 'build':
    work = lambda: bytes(tcp)
else:
    raw = bytes(tcp if mode == 'dissect-tcp' else dns)
    work = lambda: Ether(raw)
n, t0 = 0, time.perf_counter()
while time.perf_counter() - t0 < secs:
    for _ in range(200):
        work()
    n += 200
print("%.0f" % (n / (time.perf_counter() - t0)))
PY
}

printf '%-12s %14s %14s %10s %s\n' "work" "gannet pps" "scapy pps" "ratio" "target"
for mode in build dissect-tcp dissect-dns; do
	g=$("$gnbench" "$mode" "$secs" | awk '{ print $4 }')
	s=$(scapy_rate "$mode")
	case $mode in
	build) target=">= 1000000 pps" ;;
	dissect-tcp) target=">= 2000000 pps" ;;
	*) target="-" ;;
	esac
	printf '%-12s %14s %14s %9sx %s\n' "$mode" "$g" "$s" "$(ratio "$g" "$s")" "$target"
done
