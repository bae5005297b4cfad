#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# bpf/xdp_tcp_reset.bpf.c, the peer `make bench` scans when it wants one
# that answers faster than a TCP stack: its answer to a SYN must be the one
# Linux's own stack gives for a closed port, field for field.  Two
# namespaces of this run only (gntr-PID-a, gntr-PID-b) on a veth pair with
# addresses of their own; a trap removes them even on failure.  Scapy in A
# sends the same SYNs (with options, with a payload) twice: to B's kernel,
# then to B with the program attached and B's address removed (so only
# XDP can answer), and compares every IP and TCP field but the IP id, that
# both checksums are right and that the answer comes from B's MAC.  Frames that are not IPv4 TCP SYNs must go
# on to the stack: an ICMP echo is still answered by B's kernel.
#
# Usage: selftests/net/test_tcp_reset.sh [BUILD_DIR]   (default: $GANNET_BUILD, else build/)

set -u

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_build_dir "${1:-}"

NA=gntr-$$-a
NB=gntr-$$-b
NET=10.$((200 + $$ % 50)).$(($$ / 50 % 250))
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-tcp-reset.XXXXXX")

cleanup() {
	netns_down "$NA" "$NB"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

need_root "xdp_tcp_reset"
[ -f "$build/bpf/xdp_tcp_reset.bpf.o" ] ||
	skip_all "xdp_tcp_reset" "$build/bpf/xdp_tcp_reset.bpf.o not built"
netns_up "xdp_tcp_reset" "$NA" "$NB"
inA() { ip netns exec "$NA" "$@"; }
inB() { ip netns exec "$NB" "$@"; }
ip link add a0 netns "$NA" type veth peer name b0 netns "$NB"
ip -n "$NA" addr add "$NET.1/24" dev a0
ip -n "$NB" addr add "$NET.2/24" dev b0
ip -n "$NA" link set a0 up
ip -n "$NB" link set b0 up
# B will lose its address (and so its ARP answers): the probes name its MAC
MACB=$(inB cat /sys/class/net/b0/address)
# frames sent back with XDP_TX reach a veth only if it runs XDP itself
if ! inA ip link set dev a0 xdpdrv obj "$build/bpf/xdp_count.bpf.o" sec xdp 2>"$T/err"; then
	skip_all "xdp_tcp_reset" "cannot attach XDP to a veth: $(head -n 1 "$T/err")"
fi

# Prints, for each probe, one line of the answer's fields (or "none").
probe() {
	inA "$py" - "$NET.2" "$MACB" <<'EOF'
import sys
from scapy.all import Ether, IP, TCP, ICMP, Raw, srp1, raw, conf
conf.verb = 0
dst, mac = sys.argv[1], sys.argv[2]
def sr1(p, timeout):
    r = srp1(Ether(dst=mac)/p, iface="a0", timeout=timeout)
    return r[IP] if r is not None and r.src == mac else None
probes = [
    IP(dst=dst)/TCP(sport=40001, dport=80, seq=1000, flags="S"),
    IP(dst=dst)/TCP(sport=40002, dport=22, seq=0xfffffffe, flags="S",
                    options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)),
                             ("NOP", None), ("WScale", 7)]),
    IP(dst=dst, tos=0x10, ttl=7)/TCP(sport=40003, dport=443, seq=77, flags="S")/Raw(b"x" * 20),
]
for p in probes:
    r = sr1(p, timeout=1)
    if r is None or TCP not in r:
        print("none")
        continue
    ip, tcp = r[IP], r[TCP]
    fixed = IP(raw(r))
    del fixed.chksum
    del fixed[TCP].chksum
    fixed = IP(raw(fixed))
    ok = fixed.chksum == ip.chksum and fixed[TCP].chksum == tcp.chksum
    print(ip.version, ip.ihl, ip.tos, ip.len, int(ip.flags), ip.frag, ip.ttl, ip.proto,
          ip.src, ip.dst, tcp.sport, tcp.dport, tcp.seq, tcp.ack, tcp.dataofs,
          str(tcp.flags), tcp.window, tcp.urgptr, tcp.options, len(tcp.payload),
          "checksums-" + ("right" if ok else "wrong"))
ans = sr1(IP(dst=dst)/ICMP(id=7, seq=1), timeout=1)
print("echo", "answered" if ans is not None and ICMP in ans and ans[ICMP].type == 0 else "none")
EOF
}

probe >"$T/kernel" 2>"$T/kernel.err"
[ "$(grep -c 'checksums-right' "$T/kernel")" -eq 3 ]
check "B's kernel answers the 3 SYNs (the oracle)" $? "$(cat "$T/kernel" "$T/kernel.err")"

ip -n "$NB" addr del "$NET.2/24" dev b0
if inB ip link set dev b0 xdpdrv obj "$build/bpf/xdp_tcp_reset.bpf.o" sec xdp 2>"$T/err"; then
	probe >"$T/xdp" 2>"$T/xdp.err"
	diff <(head -n 3 "$T/kernel") <(head -n 3 "$T/xdp") >"$T/diff"
	check "xdp_tcp_reset answers each SYN as B's kernel does, checksums right" $? \
		"kernel | xdp_tcp_reset:" "$(cat "$T/diff" "$T/xdp.err")"
	# the echo: B has no address now, so it is back for one to answer it
	ip -n "$NB" addr add "$NET.2/24" dev b0
	probe >"$T/pass" 2>"$T/pass.err"
	grep -qx 'echo answered' "$T/pass"
	check "frames other than SYNs go on to B's stack (ICMP echo answered)" $? \
		"$(cat "$T/pass" "$T/pass.err")"
else
	not_ok "xdp_tcp_reset attaches" "$(cat "$T/err")"
fi

finish
