#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The tools in the lab (selftests/lab/lab.sh, a lab of this run only):
#   - a SYN scan of all 65,535 ports of h3 from h1 through the router:
#     gannet scan vs Scapy's sr() of the same probes (on ports 1-2000 only:
#     Scapy would take minutes for all; its rate is reported as measured)
#     vs nmap -sS when installed;
#   - an ARP sweep of 10.99.1.0/24 from h1: gannet arping vs Scapy's arping().
# Wall times, answers, and ratios.
set -uo pipefail
source selftests/bench/common.sh

lab=selftests/lab/lab.sh
export GN_LAB=gnbt-$$
trap '"$lab" down' EXIT
trap 'exit 1' INT TERM HUP
if [ "$(id -u)" -ne 0 ] || ! "$lab" up >/dev/null 2>&1; then
	echo "tools bench skipped: needs root and network namespaces"
	exit 0
fi
at() { "$lab" exec "$@"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
now() { date +%s.%N; }

echo "scan: TCP SYN to every port of h3 (10.99.2.3) from h1, through the router"
printf '%-22s %8s %8s %9s %12s\n' tool ports answered seconds probes/s
t0=$(now)
g_out=$(at h1 "$GANNET" scan -p - -j 10.99.2.3 2>/dev/null)
t1=$(now)
g_s=$(secs "$t0" "$t1")
g_ans=$(/usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
h = d["hosts"][0] if "hosts" in d else d
ports = h.get("ports", [])
print(sum(1 for p in ports if p.get("state") in ("open", "closed")))' <<<"$g_out" 2>/dev/null)
printf '%-22s %8s %8s %9s %12.0f\n' "gannet scan" 65535 "${g_ans:-?}" "$g_s" \
	"$(awk -v s="$g_s" 'BEGIN { print 65535 / s }')"
s_out=$(at h1 /usr/bin/python3 - <<'PY' 2>/dev/null
import time
from scapy.all import sr, conf, IP, TCP
conf.verb = 0
t0 = time.time()
ans, unans = sr(IP(dst="10.99.2.3")/TCP(dport=(1, 2000), flags="S"), timeout=1)
print(len(ans), "%.2f" % (time.time() - t0))
PY
)
s_ans=${s_out%% *}
s_s=${s_out##* }
printf '%-22s %8s %8s %9s %12.0f\n' "scapy sr() 1-2000" 2000 "${s_ans:-0}" "${s_s:-0}" \
	"$(awk -v s="${s_s:-0}" 'BEGIN { print (s > 0) ? 2000 / s : 0 }')"
if command -v nmap >/dev/null 2>&1; then
	t0=$(now)
	n_out=$(at h1 nmap -n -sS -p- -T5 --max-retries 1 10.99.2.3 2>/dev/null)
	t1=$(now)
	n_s=$(secs "$t0" "$t1")
	printf '%-22s %8s %8s %9s %12.0f\n' "nmap -sS -T5" 65535 "$(grep -c '/tcp' <<<"$n_out")(open)" \
		"$n_s" "$(awk -v s="$n_s" 'BEGIN { print 65535 / s }')"
else
	echo "nmap: not installed (apt-get install nmap to compare)"
fi
echo "gannet probes/s vs Scapy's: $(ratio "$(awk -v s="$g_s" 'BEGIN { print 65535 / s }')" \
	"$(awk -v s="${s_s:-0}" 'BEGIN { print (s > 0) ? 2000 / s : 0 }')")x" \
	"(Scapy answered ${s_ans:-0} of 2000; gannet ${g_ans:-?} of 65535)"

echo
echo "sr SYN scan: 65,535 probes from h1 to h3 (the engine, no per-port report), per backend"
printf '%-22s %8s %10s %12s %9s\n' backend answered send-s "sent/s" total-s
for be in afpacket xdp; do
	t0=$(now)
	out=$(at h1 "$GANNET" sr -v --backend $be --timeout 1 \
		'IP(dst="10.99.2.3")/TCP(dport=(1,65535),flags="S")' 2>&1 >/dev/null)
	t1=$(now)
	printf '%-22s %8s %10s %12s %9s\n' "gannet sr $be" \
		"$(sed -n 's/.*, \([0-9]*\) answered,.*/\1/p' <<<"$out")" \
		"$(sed -n 's/^sr: sent [0-9]* probes in \([0-9.]*\) s.*/\1/p' <<<"$out")" \
		"$(sed -n 's/^sr: sent .*(\([0-9]*\) probes\/s)$/\1/p' <<<"$out")" "$(secs "$t0" "$t1")"
done
echo "(target 500,000 probes/s sent: on this 2-CPU VM the sender, the router and h3's TCP"
echo " stack share the CPUs; Scapy's rate is in the scan table above)"

echo
echo "arping: ARP who-has to every address of 10.99.1.0/24 from h1 (2 hosts answer), timeout 1 s"
printf '%-22s %8s %9s\n' tool hosts seconds
t0=$(now)
g_out=$(at h1 "$GANNET" arping --timeout 1 -i h1-eth0 10.99.1.0/24 2>/dev/null)
t1=$(now)
g_s=$(secs "$t0" "$t1")
printf '%-22s %8s %9s\n' "gannet arping" "$(sed -n 's/^\([0-9]*\) hosts\{0,1\} up.*/\1/p' <<<"$g_out")" "$g_s"
t0=$(now)
s_out=$(at h1 /usr/bin/python3 -c '
from scapy.all import arping, conf
conf.verb = 0
ans, unans = arping("10.99.1.0/24", iface="h1-eth0", timeout=1, verbose=0)
print(len(ans))' 2>/dev/null)
t1=$(now)
s_s=$(secs "$t0" "$t1")
printf '%-22s %8s %9s\n' "scapy arping()" "${s_out:-0}" "$s_s"
echo "gannet is $(ratio "$s_s" "$g_s")x faster (wall time, Python's start included)"
