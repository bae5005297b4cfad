#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet's test lab: four network namespaces, so live tests never send a
# packet anywhere but between them.
#
#   lab.sh up                 build the lab (prints the GN_LAB=... to export)
#   lab.sh down               remove it; safe to run again, or on a half-built lab
#   lab.sh exec NS CMD...     run CMD inside namespace NS (h1, h2, h3, r)
#   lab.sh status             the namespaces, their interfaces and addresses
#   lab.sh ping NS DST        one ICMP or ICMPv6 echo from NS to DST; status 0
#                             when the reply came within a second
#   lab.sh tour               a short tour of gannet through the lab ($GANNET,
#                             else gannet on PATH), bringing it up and down
#                             when it is not up already
#
# The lab's name is $GN_LAB, or gnlab-PID for `up` without it; every
# namespace is named LAB-NS, so labs of parallel runs never collide.  Run as
# root.
#
#        LAN A: 10.99.1.0/24, fd99:1::/64          LAN B: 10.99.2.0/24, fd99:2::/64
#
#   h1 (h1-eth0 .1, ::1) ---+
#                           br0 (.254, ::fe) [r] r-eth1 (.254, ::fe) --- h3 (h3-eth0 .3, ::3)
#   h2 (h2-eth0 .2, ::2) ---+
#
# r bridges h1's and h2's links (r-h1, r-h2) in br0 and forwards IPv4 and
# IPv6 between the two LANs; the hosts' default routes go through r, so a
# packet from h1 to h3 with ttl=1 gets time-exceeded from 10.99.1.254.
# h3 runs two services: a TCP listener on port 80 (answers "gannet lab") and
# a DNS responder on port 53 that knows h1.lab, h2.lab, h3.lab and r.lab
# (A and AAAA); their PIDs live in /run/gannet-lab/LAB/ and `down` ends them.
# `ip netns exec` gives the command its own mount of /sys for the namespace,
# so tools that read /sys/class/net see the lab's interfaces.

set -euo pipefail

NODES=(h1 h2 h3 r)

die() {
	echo "lab.sh: $*" >&2
	exit 2
}

usage() {
	sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

lab_name() { # [default]
	local name=${GN_LAB:-${1:-}}

	[ -n "$name" ] || die "set GN_LAB to the lab's name (lab.sh up prints it)"
	[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "bad lab name '$name'"
	echo "$name"
}

ns() { # LAB NODE
	echo "$1-$2"
}

# Commands inside a namespace without a mount namespace of their own.
nsip() { # LAB NODE CMD...
	local lab=$1 node=$2

	shift 2
	ip -n "$(ns "$lab" "$node")" "$@"
}

sysctl_in() { # LAB NODE KEY=VALUE...
	local lab=$1 node=$2

	shift 2
	ip netns exec "$(ns "$lab" "$node")" sysctl -q -w "$@" >/dev/null
}

# One echo request over a raw socket, in Python (Debian's, which the tests
# need anyway) because iputils' ping is not part of every install.
PING_PY='
import os, select, socket, struct, sys, time
dst = sys.argv[1]
v6 = ":" in dst
fam = socket.AF_INET6 if v6 else socket.AF_INET
s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
ident = os.getpid() & 0xffff
msg = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, ident, 1) + b"gannet lab"
if not v6:  # the kernel fills in the ICMPv6 checksum, not the ICMP one
    c = sum(struct.unpack("!%dH" % (len(msg) // 2), msg))
    c = (c >> 16) + (c & 0xffff)
    c = ~(c + (c >> 16)) & 0xffff
    msg = msg[:2] + struct.pack("!H", c) + msg[4:]
s.sendto(msg, (dst, 0))
end = time.monotonic() + 1
while time.monotonic() < end:
    if not select.select([s], [], [], max(0, end - time.monotonic()))[0]:
        break
    pkt, src = s.recvfrom(2048)
    if not v6:
        pkt = pkt[(pkt[0] & 15) * 4:]
    if len(pkt) >= 8 and pkt[0] == (129 if v6 else 0) and struct.unpack("!H", pkt[4:6])[0] == ident:
        sys.exit(0)
sys.exit(1)
'

# The lab's services, in Python with plain sockets so they start at once.
TCP_PY='
import socket, threading
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 80)); s.listen(128)
def serve(c):
    try:
        c.settimeout(2); c.recv(4096); c.sendall(b"gannet lab\n")
    except OSError:
        pass
    c.close()
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
'
DNS_PY='
import socket, struct
names = {b"h1.lab": ("10.99.1.1", "fd99:1::1"), b"h2.lab": ("10.99.1.2", "fd99:1::2"),
         b"h3.lab": ("10.99.2.3", "fd99:2::3"), b"r.lab": ("10.99.1.254", "fd99:1::fe")}
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 53))
while True:
    q, peer = s.recvfrom(512)
    if len(q) < 12:
        continue
    i, labels = 12, []
    while i < len(q) and q[i]:
        labels.append(q[i + 1:i + 1 + q[i]]); i += 1 + q[i]
    if i + 5 > len(q):
        continue
    qtype = struct.unpack("!H", q[i + 1:i + 3])[0]
    question = q[12:i + 5]
    name = b".".join(labels).lower()
    ans = b""
    if name in names and qtype in (1, 28):
        fam, a = (socket.AF_INET, names[name][0]) if qtype == 1 else (socket.AF_INET6, names[name][1])
        rdata = socket.inet_pton(fam, a)
        ans = b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 60, len(rdata)) + rdata
    rcode = 0 if name in names else 3
    flags = 0x8400 | (q[2] & 1) << 8 | rcode
    hdr = q[:2] + struct.pack("!HHHHH", flags, 1, 1 if ans else 0, 0, 0)
    s.sendto(hdr + question + ans, peer)
'

run_dir() { # LAB
	echo "/run/gannet-lab/$1"
}

start_service() { # LAB NODE NAME PYTHON
	local dir

	dir=$(run_dir "$1")
	mkdir -p "$dir"
	ip netns exec "$(ns "$1" "$2")" setsid /usr/bin/python3 -c "$4" \
		</dev/null >/dev/null 2>&1 &
	echo $! >"$dir/$3.pid"
}

# Running, not a zombie waiting for an init that may be slow to reap it.
alive() { # PID
	local state

	state=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

stop_services() { # LAB
	local dir pid f

	dir=$(run_dir "$1")
	[ -d "$dir" ] || return 0
	for f in "$dir"/*.pid; do
		[ -e "$f" ] || continue
		pid=$(cat "$f")
		kill "$pid" 2>/dev/null || continue
		# gone before down returns, so nothing holds the namespace
		for _ in $(seq 20); do
			alive "$pid" || break
			sleep 0.05
		done
		! alive "$pid" || kill -KILL "$pid" 2>/dev/null || true
	done
	rm -rf "$dir"
}

ping_from() { # LAB NODE DST
	ip netns exec "$(ns "$1" "$2")" /usr/bin/python3 -c "$PING_PY" "$3"
}

down() { # LAB
	local lab=$1 node

	stop_services "$lab"

	for node in "${NODES[@]}"; do
		if [ -e "/run/netns/$(ns "$lab" "$node")" ]; then
			ip netns delete "$(ns "$lab" "$node")" 2>/dev/null || true
		fi
	done
}

# A veth pair with one end in each namespace.
link() { # LAB NODE_A IF_A NODE_B IF_B
	nsip "$1" "$2" link add "$3" type veth peer name "$5" netns "$(ns "$1" "$4")"
}

host() { # LAB NODE IF V4 V6 GW4 GW6
	local lab=$1 node=$2 dev=$3

	nsip "$lab" "$node" addr add "$4" dev "$dev"
	nsip "$lab" "$node" addr add "$5" dev "$dev" nodad
	nsip "$lab" "$node" link set "$dev" up
	nsip "$lab" "$node" route add default via "$6" dev "$dev"
	nsip "$lab" "$node" -6 route add default via "$7" dev "$dev"
}

up() { # LAB
	local lab=$1 node

	for node in "${NODES[@]}"; do
		[ ! -e "/run/netns/$(ns "$lab" "$node")" ] ||
			die "lab '$lab' exists already (lab.sh down first)"
	done
	for node in "${NODES[@]}"; do
		ip netns add "$(ns "$lab" "$node")"
		# No duplicate address detection (addresses are usable at
		# once), no router solicitations leaving the hosts.
		sysctl_in "$lab" "$node" net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0
		nsip "$lab" "$node" link set lo up
	done

	link "$lab" h1 h1-eth0 r r-h1
	link "$lab" h2 h2-eth0 r r-h2
	link "$lab" h3 h3-eth0 r r-eth1

	# The router: a bridge for LAN A, a plain port for LAN B.
	nsip "$lab" r link add br0 type bridge forward_delay 0 stp_state 0
	nsip "$lab" r link set r-h1 master br0
	nsip "$lab" r link set r-h2 master br0
	for dev in br0 r-h1 r-h2 r-eth1; do
		nsip "$lab" r link set "$dev" up
	done
	nsip "$lab" r addr add 10.99.1.254/24 dev br0
	nsip "$lab" r addr add fd99:1::fe/64 dev br0 nodad
	nsip "$lab" r addr add 10.99.2.254/24 dev r-eth1
	nsip "$lab" r addr add fd99:2::fe/64 dev r-eth1 nodad
	sysctl_in "$lab" r net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

	host "$lab" h1 h1-eth0 10.99.1.1/24 fd99:1::1/64 10.99.1.254 fd99:1::fe
	host "$lab" h2 h2-eth0 10.99.1.2/24 fd99:1::2/64 10.99.1.254 fd99:1::fe
	host "$lab" h3 h3-eth0 10.99.2.3/24 fd99:2::3/64 10.99.2.254 fd99:2::fe

	start_service "$lab" h3 tcp80 "$TCP_PY"
	start_service "$lab" h3 dns53 "$DNS_PY"

	# Ready when h1 reaches h3 through r in both families.
	for _ in $(seq 50); do
		if ping_from "$lab" h1 10.99.2.3 && ping_from "$lab" h1 fd99:2::3; then
			return 0
		fi
		sleep 0.1
	done
	echo "lab.sh: the lab is up but h1 does not reach h3" >&2
	return 1
}

status() { # LAB
	local lab=$1 node found=0

	for node in "${NODES[@]}"; do
		[ -e "/run/netns/$(ns "$lab" "$node")" ] || continue
		found=1
		echo "== $node ($(ns "$lab" "$node"))"
		nsip "$lab" "$node" -br addr
	done
	[ "$found" = 1 ] || { echo "lab '$lab' is down"; return 1; }
}

# One step of the tour: what runs where, then its output.
step() { # LAB NODE TITLE CMD...
	local lab=$1 node=$2 title=$3

	shift 3
	local arg q="'" line="$node# gannet"

	for arg in "${@:2}"; do
		# quoted as one would type it, only where the shell needs it
		if [[ "$arg" =~ ^[A-Za-z0-9_.,:/=@%+-]+$ ]]; then
			line+=" $arg"
		else
			line+=" '${arg//$q/$q\\$q$q}'"
		fi
	done
	printf '\n== %s\n%s\n' "$title" "$line"
	ip netns exec "$(ns "$lab" "$node")" "$@" || echo "(exit status $?)"
}

# A command running in NODE's background while the steps after it run;
# bg_stop ends it (SIGTERM) and shows what it printed.
bg_start() { # LAB NODE TITLE CMD...
	local lab=$1 node=$2 title=$3

	shift 3
	printf '\n== %s\n%s# gannet %s &\n' "$title" "$node" "${*:2}"
	ip netns exec "$(ns "$lab" "$node")" "$@" >"$TOUR_DIR/bg.out" 2>&1 &
	BG_PID=$!
	sleep 1.5  # until its program is attached
}

bg_stop() {
	kill -TERM "$BG_PID" 2>/dev/null
	wait "$BG_PID" 2>/dev/null
	sed 's/^/  | /' "$TOUR_DIR/bg.out"
}

tour() { # LAB
	local lab=$1 g=${GANNET:-gannet} h2mac

	TOUR_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gannet-tour.XXXXXX")
	step "$lab" h1 "The route from h1 to h3, as the kernel decides it" "$g" route 10.99.2.3
	step "$lab" h1 "sr1: one ICMP echo to h3 through the router, the kernel's reply" \
		"$g" sr1 -F summary 'IP(dst="10.99.2.3")/ICMP()'
	step "$lab" h1 "arping: who answers ARP on LAN A" \
		"$g" arping --timeout 1 10.99.1.0/24
	step "$lab" h1 "scan: a SYN scan of h3, the replies taken in XDP (no RST from h1's kernel)" \
		"$g" scan -p 22,53,80,443,8080 10.99.2.3
	step "$lab" h1 "traceroute: every TTL at once, across the router" \
		"$g" traceroute --maxttl 4 --timeout 1 10.99.2.3
	step "$lab" h1 "sr1: the lab's DNS server, asked for h2.lab" \
		"$g" sr1 -F summary 'IP(dst="10.99.2.3")/UDP()/DNS(rd=1,qd=DNSQR(qname="h2.lab"))'
	bg_start "$lab" h3 "ESCP on UDP 1337 steered into AF_XDP in h3 (the rest goes on to its stack)" \
		"$g" sniff --backend xdp -c 2 -i h3-eth0 'udp port 1337'
	step "$lab" h1 "an ESCP message to h3 over IPv4 ..." \
		"$g" send -q 'IP(dst="10.99.2.3")/UDP(sport=1337,dport=1337)/ESCP(cmd=1)'
	step "$lab" h1 "... and one over IPv6" \
		"$g" send -q 'IPv6(dst="fd99:2::3")/UDP(sport=1337,dport=1337)/ESCP(cmd=2)'
	bg_stop
	bg_start "$lab" h1 "arpmon in h1: ARP filtered in XDP, passed on to the kernel" \
		"$g" arpmon -e -i h1-eth0
	ip netns exec "$(ns "$lab" h2)" ip neigh flush dev h2-eth0 >/dev/null 2>&1
	step "$lab" h2 "h2 pings h1 (an ARP exchange first)" \
		"$g" sr1 -F summary 'IP(dst="10.99.1.1")/ICMP()'
	h2mac=02:99:00:00:00:02
	printf '\n== h2 gets a new MAC address\nh2# ip link set dev h2-eth0 address %s\n' "$h2mac"
	ip netns exec "$(ns "$lab" h2)" ip link set dev h2-eth0 address "$h2mac"
	ip netns exec "$(ns "$lab" h2)" ip neigh flush dev h2-eth0 >/dev/null 2>&1
	step "$lab" h2 "h2 pings h1 again" \
		"$g" sr1 -F summary 'IP(dst="10.99.1.1")/ICMP()'
	sleep 0.5
	bg_stop
	rm -rf "$TOUR_DIR"
}

[ $# -ge 1 ] || usage
[ "$(id -u)" = 0 ] || die "network namespaces need root"
cmd=$1
shift
case "$cmd" in
up)
	lab=$(lab_name "gnlab-$$")
	# Whatever fails half-way, nothing of the lab is left behind.
	trap 'down "$lab"' EXIT
	up "$lab"
	trap - EXIT
	echo "GN_LAB=$lab"
	;;
down)
	lab=$(lab_name)
	down "$lab"
	;;
exec)
	[ $# -ge 2 ] || usage
	node=$1
	shift
	[[ " ${NODES[*]} " == *" $node "* ]] || die "no node '$node' (h1, h2, h3, r)"
	lab=$(lab_name)
	[ -e "/run/netns/$(ns "$lab" "$node")" ] || die "lab '$lab' is down"
	exec ip netns exec "$(ns "$lab" "$node")" "$@"
	;;
status)
	lab=$(lab_name)
	status "$lab"
	;;
ping)
	[ $# -eq 2 ] || usage
	lab=$(lab_name)
	[ -e "/run/netns/$(ns "$lab" "$1")" ] || die "lab '$lab' has no node '$1'"
	ping_from "$lab" "$1" "$2"
	;;
tour)
	lab=$(lab_name gannet)
	if [ -e "/run/netns/$(ns "$lab" h1)" ]; then
		tour "$lab"
	else
		trap 'down "$lab"' EXIT
		echo "Bringing the lab '$lab' up (4 namespaces: h1, h2, r, h3) ..."
		up "$lab"
		tour "$lab"
		echo
		echo "Taking the lab down."
	fi
	;;
-h | --help | help)
	sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	usage
	;;
esac
