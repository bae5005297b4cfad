#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet arping, ping and dhcp-probe in a test lab of their own
# (selftests/lab/lab.sh).  What the lab really holds is the oracle: the
# MACs read from /sys inside the namespaces, the TTLs the hosts send with,
# the ports really listening, the leases the DHCP servers log; Scapy's
# arping(), run in the same namespace, says who answers ARP too (and how
# long it takes, for the record).  Two DHCP servers (dnsmasq, installed when
# missing) must both be found; a second interface answering for 10.99.1.2
# must be flagged as a duplicate.  Bad input: one clear error, the status
# the man pages give.
#
# Prints TAP-like "ok - name" / "not ok - name" lines.  Needs root; the lab
# and every process started here are removed on exit, whatever happens.

set -uo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

res=

need_root "arping, ping, dhcp-probe tests"

if [ ! -x "$gannet" ]; then
	echo "not ok - $gannet: no such program (make first)"
	exit 1
fi

export GN_LAB=gntp-$$
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-tools.XXXXXX")
pids=()
cleanup() {
	kill_pids TERM "${pids[@]}"
	wait 2>/dev/null
	"$lab" down
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
lab_up

h1_mac=$(mac_of h1 h1-eth0)
h2_mac=$(mac_of h2 h2-eth0)
r_mac=$(mac_of r br0)

# A usage or runtime error: nothing on stdout, the status, and one line
# "gannet: ..." holding WANT (usage errors add "Try 'gannet CMD --help'.").
error_case() { # NAME STATUS WANT NODE CMD...
	local name=$1 want_st=$2 want=$3 node=$4 st
	shift 4
	at "$node" "$gannet" "$@" >"$T/out" 2>"$T/err"
	st=$?
	if [ "$st" = "$want_st" ] && [ ! -s "$T/out" ] &&
		[ "$(grep -c '^gannet: ' "$T/err")" = 1 ] && grep -q -- "$want" "$T/err" &&
		[ "$(grep -vc "^gannet: \|^Try 'gannet " "$T/err")" = 0 ]; then
		ok "$name: status $st, one line: $(head -1 "$T/err")"
	else
		not_ok "$name" "status $st (want $want_st), stderr:" "$(cat "$T/err")" \
			"stdout:" "$(cat "$T/out")"
	fi
}

# ==== arping ===================================================================

start=$(date +%s%N)
at h1 "$gannet" arping -j 10.99.1.0/24 >"$T/arping.json" 2>"$T/err"
st=$?
gannet_ms=$((($(date +%s%N) - start) / 1000000))
hosts_py='
import json, sys
d = json.load(open(sys.argv[1]))
key = lambda s: tuple(int(x) for x in s.split("=")[0].split("."))
print(" ".join(sorted(("%s=%s" % (h["ip"], h["mac"]) for h in d["hosts"]), key=key)))
print(d["up"], d["probed"], d["iface"], len(d["duplicates"]))
'
want="10.99.1.2=$h2_mac 10.99.1.254=$r_mac"
if [ $st = 0 ] && res=$("$py" -c "$hosts_py" "$T/arping.json" 2>&1) &&
	[ "$res" = "$want"$'\n'"2 256 h1-eth0 0" ]; then
	ok "arping 10.99.1.0/24 from h1: h2 and r with their MACs, not h1, 256 probed"
else
	not_ok "arping 10.99.1.0/24 from h1" "status $st" "want: $want" "got: $res" "$(cat "$T/err")"
fi

start=$(date +%s%N)
theirs=$(at h1 "$py" -c '
from scapy.all import *
ans, _ = arping("10.99.1.0/24", iface="h1-eth0", timeout=2, verbose=0)
key = lambda s: tuple(int(x) for x in s.split("=")[0].split("."))
print(" ".join(sorted(("%s=%s" % (r.psrc, r.hwsrc) for _, r in ans), key=key)))' 2>&1)
scapy_ms=$((($(date +%s%N) - start) / 1000000))
if [ "$theirs" = "$want" ]; then
	ok "Scapy's arping() in h1 finds the same hosts"
else
	not_ok "Scapy's arping() in h1 finds the same hosts" "Scapy: $theirs" "want: $want"
fi
echo "# arping of the /24 (timeout 2 s), wall time: gannet ${gannet_ms} ms, Scapy ${scapy_ms} ms"

# the table: sorted by IP, then the count
if out=$(at h1 "$gannet" arping --timeout 0.5 10.99.1.254 10.99.1.2 10.99.1.77 2>&1) &&
	[ "$(sed -n 1p <<<"$out" | tr -s ' ')" = "MAC IP RTT" ] &&
	[[ "$(sed -n 2p <<<"$out")" =~ ^$h2_mac\ +10\.99\.1\.2\ +[0-9]+\.[0-9]{3}\ ms$ ]] &&
	[[ "$(sed -n 3p <<<"$out")" =~ ^$r_mac\ +10\.99\.1\.254\ +[0-9]+\.[0-9]{3}\ ms$ ]] &&
	[ "$(sed -n 4p <<<"$out")" = "2 hosts up (3 addresses probed on h1-eth0 in $(
		sed -n 's/.* in \([0-9.]* s\))$/\1/p' <<<"$out"))" ] && [ "$(wc -l <<<"$out")" = 4 ]; then
	ok "arping of three addresses: MAC, IP, RTT sorted by IP, then '2 hosts up'"
else
	not_ok "arping table" "$out"
fi

out=$(at h1 "$gannet" arping --timeout 0.3 10.99.1.77 2>&1)
st=$?
if [ $st = 1 ] && [ "$out" = "0 hosts up (1 address probed on h1-eth0 in $(
	sed -n 's/.* in \([0-9.]* s\))$/\1/p' <<<"$out"))" ]; then
	ok "arping of a silent address: '0 hosts up', status 1"
else
	not_ok "arping of a silent address" "status $st" "$out"
fi

# A second interface answering for 10.99.1.2: a veth from r's bridge into
# h3, with h2's address on it.
if at r ip link add r-dup type veth peer name dup0 netns "$GN_LAB-h3" &&
	at r ip link set r-dup master br0 up && at h3 ip addr add 10.99.1.2/24 dev dup0 &&
	at h3 ip link set dup0 up; then
	dup_mac=$(mac_of h3 dup0)
	first=$(printf '%s\n%s\n' "$h2_mac" "$dup_mac" | sort | head -1)
	second=$(printf '%s\n%s\n' "$h2_mac" "$dup_mac" | sort | tail -1)
	sleep 0.3
	out=$(at h1 "$gannet" arping --timeout 1 10.99.1.0/24 2>&1)
	st=$?
	if [ $st = 0 ] && grep -qx "DUPLICATE: 10.99.1.2 is at $first and $second" <<<"$out" &&
		[ "$(grep -Ec '^[0-9a-f:]{17} +10\.99\.1\.2 ' <<<"$out")" = 2 ] && grep -q '^2 hosts up ' <<<"$out"; then
		ok "two MACs answering for 10.99.1.2: DUPLICATE flagged, both listed, 2 hosts up"
	else
		not_ok "duplicate detection" "status $st" "$out" "(h2 $h2_mac, dup0 $dup_mac)"
	fi
	if out=$(at h1 "$gannet" arping --timeout 0.5 -j 10.99.1.2 2>&1) &&
		res=$("$py" -c '
import json, sys
d = json.loads(sys.argv[1])
print(d["duplicates"], d["up"])' "$out") &&
		[ "$res" = "[{'ip': '10.99.1.2', 'macs': ['$first', '$second']}] 1" ]; then
		ok "arping -j: the duplicate in 'duplicates'"
	else
		not_ok "arping -j duplicates" "$out" "$res"
	fi
	at r ip link del r-dup
	# what the hosts learnt from the impostor goes with it
	at h1 ip neigh flush dev h1-eth0 >/dev/null 2>&1
	at r ip neigh flush dev br0 >/dev/null 2>&1
else
	not_ok "a second interface for 10.99.1.2" "could not be set up"
fi

# an interface left down: a veth pair inside h1
at h1 ip link add down0 type veth peer name down1
at h1 ip addr add 10.99.5.1/24 dev down0
error_case "arping on an interface that is down" 1 "down0: interface is down" \
	h1 arping -i down0 10.99.5.0/24
error_case "arping where the route says: an interface that is down" 1 \
	"down0: interface is down" h1 arping 10.99.5.0/24
error_case "arping on an unknown interface" 1 "nosuch0: no such interface" \
	h1 arping -i nosuch0 10.99.1.0/24
error_case "arping of something that is not a network" 2 \
	"'10.99.1.0/33' is not an IPv4 address or network" h1 arping 10.99.1.0/33
error_case "arping of a range" 2 "'10.99.1.1-20' is not an IPv4 address or network" \
	h1 arping 10.99.1.1-20
error_case "arping of a /8 without --force" 2 "16777216 addresses to probe, more than 65536 (a /16): add --force" \
	h1 arping 10.0.0.0/8
error_case "arping --retry x" 2 "bad retry 'x'" h1 arping --retry x 10.99.1.0/24

# ==== ping ======================================================================

# iputils' statistics from the times printed (microseconds, when all are
# below 1 ms, as the lab's are): min/avg/max/mdev must match to the digit.
stats_py='
import math, re, sys
out = sys.stdin.read()
us = [round(float(t) * 1000) for t in re.findall(r" time=([0-9.]+) ms", out)]
n = len(us)
tsum, tsum2 = sum(us), sum(u * u for u in us)
var = (tsum2 - (tsum * tsum) // n) // n
f = lambda v: "%d.%03d" % (v // 1000, v % 1000)
want = "rtt min/avg/max/mdev = %s/%s/%s/%s ms" % (f(min(us)), f(tsum // n), f(max(us)), f(math.isqrt(var)))
got = re.search(r"^rtt .*$", out, re.M)
if max(us) >= 1000:
    print("skip: a time above 1 ms is printed with less precision")
elif not got or got.group(0) != want:
    sys.exit("want %s\ngot  %s" % (want, got.group(0) if got else None))
'
ping_case() { # NAME DST TTL HEADER
	local name=$1 dst=$2 ttl=$3 header=$4 out st res i good=1
	out=$(at h1 "$gannet" ping -c 3 -i 0.2 "$dst" 2>&1)
	st=$?
	[ $st = 0 ] && [ "$(sed -n 1p <<<"$out")" = "$header" ] || good=0
	for i in 1 2 3; do
		grep -Eq "^64 bytes from $dst: icmp_seq=$i ttl=$ttl time=[0-9]+\.[0-9]+ ms$" <<<"$out" ||
			good=0
	done
	grep -qx -- "--- $dst ping statistics ---" <<<"$out" &&
		grep -Eqx "3 packets transmitted, 3 received, 0% packet loss, time [0-9]+ms" <<<"$out" ||
		good=0
	res=$("$py" -c "$stats_py" <<<"$out" 2>&1) || good=0
	if [ $good = 1 ]; then
		ok "$name: 3 transmitted, 3 received, 0% loss, ttl=$ttl, iputils' rtt statistics"
	else
		not_ok "$name" "status $st" "$out" "$res"
	fi
}
ttl4=$(($(at h3 cat /proc/sys/net/ipv4/ip_default_ttl) - 1))
ttl6=$(($(at h3 cat /proc/sys/net/ipv6/conf/h3-eth0/hop_limit) - 1))
ping_case "ping -c 3 of h3 through the router" 10.99.2.3 "$ttl4" \
	"PING 10.99.2.3 (10.99.2.3) 56(84) bytes of data."
ping_case "ping -c 3 of h3 over IPv6" fd99:2::3 "$ttl6" "PING fd99:2::3 (fd99:2::3) 56 data bytes"
ping_case "ping -c 3 of the on-link peer" 10.99.1.2 \
	"$(at h2 cat /proc/sys/net/ipv4/ip_default_ttl)" \
	"PING 10.99.1.2 (10.99.1.2) 56(84) bytes of data."

# One probe per interval, each answer printed as it comes: half-way
# through, the first answer is on stdout already and the last is not.
"$lab" exec h1 "$gannet" ping -c 3 -i 0.8 10.99.2.3 >"$T/live" 2>&1 &
p=$!
sleep 0.5
early=$(grep -c '^64 bytes from' "$T/live")
wait $p
st=$?
late=$(grep -c '^64 bytes from' "$T/live")
ms=$(sed -n 's/.*, time \([0-9]*\)ms$/\1/p' "$T/live")
if [ $st = 0 ] && [ "$early" = 1 ] && [ "$late" = 3 ] && [ -n "$ms" ] && [ "$ms" -ge 1500 ]; then
	ok "ping paces its probes (-i 0.8: time ${ms}ms) and prints each answer as it comes"
else
	not_ok "ping pacing and live output" "status $st, $early answer(s) after 0.5 s, $late at the end" \
		"$(cat "$T/live")"
fi

# -s: the size of the data, and of the answer
if out=$(at h1 "$gannet" ping -c 1 -s 200 10.99.1.2 2>&1) &&
	grep -q '^PING 10.99.1.2 (10.99.1.2) 200(228) bytes of data.$' <<<"$out" &&
	grep -Eq '^208 bytes from 10.99.1.2: icmp_seq=1 ' <<<"$out"; then
	ok "ping -s 200: 200(228) bytes of data, 208-byte answers"
else
	not_ok "ping -s 200" "$out"
fi

# A host that does not answer echo requests
at h3 sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1
for dst in 10.99.2.3 fd99:2::3; do
	out=$(at h1 "$gannet" ping -c 2 -i 0.2 -W 0.5 "$dst" 2>&1)
	st=$?
	if [ $st = 1 ] &&
		grep -Eqx "2 packets transmitted, 0 received, 100% packet loss, time [0-9]+ms" <<<"$out" &&
		! grep -q 'bytes from\|^rtt' <<<"$out"; then
		ok "ping of $dst, which ignores echo requests: 100% packet loss, status 1"
	else
		not_ok "ping of a silent $dst" "status $st" "$out"
	fi
done
at h3 sysctl -qw net.ipv4.icmp_echo_ignore_all=0 net.ipv6.icmp.echo_ignore_all=0

# -j: one object per answer, the statistics last
if out=$(at h1 "$gannet" ping -c 2 -i 0.2 -j 10.99.2.3 2>&1) && res=$("$py" -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert [o["type"] for o in objs] == ["reply", "reply", "statistics"], objs
assert [o["seq"] for o in objs[:2]] == [1, 2] and all(o["from"] == "10.99.2.3" for o in objs[:2])
s = objs[2]
assert (s["transmitted"], s["received"], s["loss_pct"]) == (2, 2, 0), s
assert s["rtt_min_ms"] <= s["rtt_avg_ms"] <= s["rtt_max_ms"], s
' <<<"$out" 2>&1); then
	ok "ping -j: a reply object per answer and the statistics"
else
	not_ok "ping -j" "$out" "$res"
fi

# ---- TCP and UDP ------------------------------------------------------------------

"$lab" exec h3 "$py" -c '
import socket, time
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 8080)); s.listen(64); time.sleep(120)' >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do
	at h3 ss -Hltn 'sport = :8080' | grep -q . && break
	sleep 0.1
done
listening() { # PROTO PORT: does h3 hold a socket there?
	at h3 ss -Hln"$1" "sport = :$2" | grep -q .
}
tcp_case() { # DST PORT FLAGS
	local out st
	out=$(at h1 "$gannet" ping -c 2 -i 0.2 --tcp "$2" "$1" 2>&1)
	st=$?
	if [ $st = 0 ] && grep -qx "PING $1 ($1) TCP SYN to port $2" <<<"$out" &&
		[ "$(grep -Ec "^[0-9]+ bytes from $1: tcp_port=$2 flags=$3 tcp_seq=[12] ttl=$ttl4 time=" <<<"$out")" = 2 ] &&
		grep -q '^2 packets transmitted, 2 received, 0% packet loss' <<<"$out"; then
		ok "ping --tcp $2 $1: flags=$3 twice"
	else
		not_ok "ping --tcp $2 $1 (want $3)" "status $st" "$out"
	fi
}
if listening t 8080 && ! listening t 8081; then
	tcp_case 10.99.2.3 8080 SA
	tcp_case 10.99.2.3 8081 RA
	tcp_case fd99:2::3 8080 SA
else
	not_ok "TCP listener on h3:8080" "not listening (or 8081 is)"
fi
# no rate limit on h3's ICMP errors (IPv6's: one a second per peer by
# default), so that every probe of the run gets its port unreachable
at h3 sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
if ! listening u 33434; then
	for dst in 10.99.2.3 fd99:2::3; do
		out=$(at h1 "$gannet" ping -c 2 -i 0.2 --udp 33434 "$dst" 2>&1)
		st=$?
		if [ $st = 0 ] && grep -qx "PING $dst ($dst) UDP to port 33434, 56 data bytes" <<<"$out" &&
			[ "$(grep -Ec "^[0-9]+ bytes from $dst: udp_port=33434 port-unreachable udp_seq=[12] ttl=" <<<"$out")" = 2 ] &&
			grep -q '^2 packets transmitted, 2 received, 0% packet loss' <<<"$out"; then
			ok "ping --udp 33434 $dst: the port unreachable answers"
		else
			not_ok "ping --udp 33434 $dst" "status $st" "$out"
		fi
	done
else
	not_ok "UDP port 33434 on h3" "something listens there"
fi

error_case "ping --tcp 0" 2 "bad port '0' (1 to 65535)" h1 ping --tcp 0 10.99.2.3
error_case "ping --udp 70000" 2 "bad port '70000'" h1 ping --udp 70000 10.99.2.3
error_case "ping --tcp x --udp y" 2 "bad port 'x'" h1 ping --tcp x 10.99.2.3
error_case "ping -c 0" 2 "bad count '0'" h1 ping -c 0 10.99.2.3
error_case "ping -4 of an IPv6 address" 2 "'fd99::1' is an IPv6 address" h1 ping -4 fd99::1
error_case "ping with no route" 2 "no route to 192.0.2.1" r ping -c 1 192.0.2.1
error_case "ping of a neighbour that never answers ARP" 1 \
	"10.99.1.77 does not answer ARP on h1-eth0" h1 ping -c 1 10.99.1.77
error_case "ping without a host" 2 "missing host" h1 ping
mtu=$(at h1 cat /sys/class/net/h1-eth0/mtu)
error_case "ping -s larger than the MTU allows" 2 \
	"a $((mtu + 1))-byte packet does not fit h1-eth0's MTU ($mtu): -s $((mtu - 28)) at most" \
	h1 ping -c 1 -s $((mtu - 27)) 10.99.1.2

# ==== dhcp-probe =================================================================

error_case "dhcp-probe on an unknown interface" 1 "nosuch0: no such interface" \
	h1 dhcp-probe -i nosuch0
error_case "dhcp-probe on an interface that is down" 1 "down0: interface is down" \
	h1 dhcp-probe -i down0
error_case "dhcp-probe --timeout 0" 2 "bad timeout '0'" h1 dhcp-probe --timeout 0
error_case "dhcp-probe with an argument" 2 "unexpected argument 'x'" h1 dhcp-probe x

if ! command -v dnsmasq >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q dnsmasq-base </dev/null >"$T/apt" 2>&1 ||
		{ apt-get update -q </dev/null >>"$T/apt" 2>&1 &&
		  DEBIAN_FRONTEND=noninteractive apt-get install -y -q dnsmasq-base </dev/null >>"$T/apt" 2>&1; }
fi
if ! command -v dnsmasq >/dev/null 2>&1; then
	echo "ok - dhcp-probe with two DHCP servers # SKIP dnsmasq is not installed and could not be"
	exit $failed
fi

# NODE IFACE NAME RANGE_FROM RANGE_TO LEASE [OPTIONS...]: a dnsmasq DHCP server
dhcp_server() {
	local node=$1 dev=$2 name=$3 from=$4 to=$5 lease=$6
	shift 6
	"$lab" exec "$node" dnsmasq --keep-in-foreground --log-facility=- --conf-file=/dev/null --port=0 \
		--user=root --interface="$dev" --bind-interfaces \
		--dhcp-range="$from,$to,255.255.255.0,$lease" --pid-file="$T/$name.pid" \
		--dhcp-leasefile="$T/$name.leases" "$@" >"$T/$name.log" 2>&1 &
	last_pid=$!
	pids+=("$last_pid")
}
dhcp_server r br0 r 10.99.1.100 10.99.1.150 1h \
	--dhcp-option=option:router,10.99.1.254 --dhcp-option=option:dns-server,10.99.1.254
pid_r=$last_pid
dhcp_server h2 h2-eth0 h2 10.99.1.200 10.99.1.220 2h
pid_h2=$last_pid
for _ in $(seq 50); do
	at r ss -Hlun 'sport = :67' | grep -q . && at h2 ss -Hlun 'sport = :67' | grep -q . && break
	sleep 0.1
done

# Each server's offer must be the one it logged ("DHCPOFFER(IF) ADDR MAC"),
# from its own MAC and address, with the options it was given.
offers_py='
import json, re, sys
d = json.load(open(sys.argv[1]))
chaddr = sys.argv[2]
want = {}
for spec in sys.argv[3:]:
    log, mac, sid, lo, hi, lease, router, dns = spec.split(";")
    logged = re.findall(r"DHCPOFFER\(\S+\) (\S+) " + re.escape(chaddr), open(log).read())
    want[sid] = (mac, lo, hi, int(lease), router, dns, logged)
got = {s["server_id"]: s for s in d["servers"]}
if sorted(got) != sorted(want):
    sys.exit("servers %s, want %s" % (sorted(got), sorted(want)))
for sid, (mac, lo, hi, lease, router, dns, logged) in want.items():
    s = got[sid]
    last = lambda a: int(a.split(".")[3])
    checks = [s["mac"] == mac, s["ip_src"] == sid, s["subnet_mask"] == "255.255.255.0",
              last(lo) <= last(s["offered"]) <= last(hi), s["offered"] in logged,
              s["lease_time"] == lease, ",".join(s["router"]) == router,
              ",".join(s["dns"]) == dns]
    if not all(checks):
        sys.exit("server %s: %s (checks %s, logged offers %s)" % (sid, s, checks, logged))
'
r_spec="$T/r.log;$r_mac;10.99.1.254;10.99.1.100;10.99.1.150;3600;10.99.1.254;10.99.1.254"
h2_spec="$T/h2.log;$h2_mac;10.99.1.2;10.99.1.200;10.99.1.220;7200;10.99.1.2;"
start=$(date +%s%N)
at h1 "$gannet" dhcp-probe -i h1-eth0 -j >"$T/dhcp.json" 2>"$T/err"
st=$?
ms=$((($(date +%s%N) - start) / 1000000))
if [ $st = 0 ] && res=$("$py" -c "$offers_py" "$T/dhcp.json" "$h1_mac" "$r_spec" "$h2_spec" 2>&1); then
	ok "dhcp-probe -j: both servers (r, h2) with the offers they logged (${ms} ms)"
else
	not_ok "dhcp-probe -j with two servers" "status $st" "$(cat "$T/dhcp.json" "$T/err")" "$res" \
		"$(cat "$T/r.log" "$T/h2.log")"
fi
out=$(at h1 "$gannet" dhcp-probe -i h1-eth0 2>&1)
st=$?
if [ $st = 0 ] && grep -q '^DHCP DISCOVER on h1-eth0 (xid 0x[0-9a-f]\{8\}): 2 offers$' <<<"$out" &&
	grep -Eq "^$r_mac +10\.99\.1\.254 +10\.99\.1\.254 +10\.99\.1\.1[0-5][0-9] +3600s +255\.255\.255\.0 +10\.99\.1\.254 +10\.99\.1\.254$" <<<"$out" &&
	grep -Eq "^$h2_mac +10\.99\.1\.2 +10\.99\.1\.2 +10\.99\.1\.2[0-2][0-9] +7200s +255\.255\.255\.0 +10\.99\.1\.2 +-$" <<<"$out" &&
	grep -qx 'WARNING: 2 DHCP servers answer on h1-eth0' <<<"$out"; then
	ok "dhcp-probe: a line per server, and the warning that two answer"
else
	not_ok "dhcp-probe text with two servers" "status $st" "$out"
fi

# one server left: one offer, no warning
kill "$pid_h2" 2>/dev/null
wait "$pid_h2" 2>/dev/null
out=$(at h1 "$gannet" dhcp-probe -i h1-eth0 --timeout 4 2>&1)
st=$?
if [ $st = 0 ] && grep -q ': 1 offer$' <<<"$out" && grep -q "^$r_mac " <<<"$out" &&
	! grep -q "^$h2_mac \|WARNING" <<<"$out"; then
	ok "dhcp-probe with h2's server stopped: r's offer only"
else
	not_ok "dhcp-probe with one server" "status $st" "$out"
fi
kill "$pid_r" 2>/dev/null
wait "$pid_r" 2>/dev/null
out=$(at h1 "$gannet" dhcp-probe -i h1-eth0 --timeout 1 2>&1)
st=$?
if [ $st = 1 ] && grep -q ': 0 offers$' <<<"$out"; then
	ok "dhcp-probe with no server: 0 offers, status 1"
else
	not_ok "dhcp-probe with no server" "status $st" "$out"
fi

exit $failed
