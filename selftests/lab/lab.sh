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
# `ip netns exec` gives the command its own mount of /sys for the namespace,
# so tools that read /sys/class/net see the lab's interfaces.

set -euo pipefail

NODES=(h1 h2 h3 r)

die() {
	echo "lab.sh: $*" >&2
	exit 2
}

usage() {
	sed -n '4,13p' "$0" | sed 's/^# \{0,1\}//' >&2
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

ping_from() { # LAB NODE DST
	ip netns exec "$(ns "$1" "$2")" /usr/bin/python3 -c "$PING_PY" "$3"
}

down() { # LAB
	local lab=$1 node

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
-h | --help | help)
	sed -n '4,13p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	usage
	;;
esac
