#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `gannet lab`: up, status, exec, the services inside (TCP listener and DNS
# responder in h3), down leaving nothing behind (namespaces, service
# processes, run files), and the tour that `make demo` runs, checked against
# what the lab really holds (the peers' MAC addresses read in their own
# namespaces).  TAP-like "ok - name" / "not ok - name".  Needs root.

set -uo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "lab tests"

export GN_LAB=gnlabt-$$
trap '"$gannet" lab down >/dev/null 2>&1' EXIT
trap 'exit 130' INT TERM

if out=$("$gannet" lab up 2>&1) && [ "$out" = "GN_LAB=$GN_LAB" ]; then
	ok "gannet lab up"
else
	not_ok "gannet lab up" "$out"
fi
if out=$("$gannet" lab status 2>&1) && grep -q '^== h3' <<<"$out" &&
	grep -q '10.99.2.3/24' <<<"$out" && grep -q 'fd99:1::fe/64' <<<"$out"; then
	ok "gannet lab status lists the nodes and their addresses"
else
	not_ok "gannet lab status" "$out"
fi
if out=$("$gannet" lab exec h1 "$gannet" route 10.99.2.3 2>&1) &&
	[ "$out" = "10.99.2.3 via 10.99.1.254 dev h1-eth0 src 10.99.1.1" ]; then
	ok "gannet lab exec runs a command in a node"
else
	not_ok "gannet lab exec" "$out"
fi
dns=$("$gannet" lab exec h1 "$gannet" sr1 -F summary \
	'IP(dst="10.99.2.3")/UDP()/DNS(rd=1,qd=DNSQR(qname="h3.lab",qtype="AAAA"))' 2>&1)
tcp=$("$gannet" lab exec h1 /usr/bin/python3 -c '
import socket
s = socket.create_connection(("fd99:2::3", 80), timeout=2); s.sendall(b"hi\n")
print(s.recv(100).decode().strip())' 2>&1)
if [ "$dns" = 'IP / UDP / DNS Ans "fd99:2::3" ' ] && [ "$tcp" = "gannet lab" ]; then
	ok "the lab's DNS responder and TCP listener answer"
else
	not_ok "the lab's services" "dns: $dns" "tcp: $tcp"
fi
pids=$(cat "/run/gannet-lab/$GN_LAB"/*.pid 2>/dev/null)
"$gannet" lab down
left=$(ip netns list | grep -c "^$GN_LAB-")
alive=0
for p in $pids; do
	# a zombie is dead (this machine's init may be slow to reap it)
	state=$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null)
	[ -n "$state" ] && [ "$state" != Z ] && alive=$((alive + 1))
done
if [ -n "$pids" ] && [ "$left" = 0 ] && [ "$alive" = 0 ] && [ ! -e "/run/gannet-lab/$GN_LAB" ]; then
	ok "gannet lab down leaves no namespace, service or run file"
else
	not_ok "gannet lab down" "namespaces left: $left, services alive: $alive" "pids: $pids"
fi

# ---- the tour (make demo) ----------------------------------------------------------

out=$("$gannet" lab tour 2>&1)
st=$?
checks=("== sr1: one ICMP echo" "IP / ICMP 10.99.2.3 > 10.99.1.1 echo-reply 0"
	"^..:..:..:..:..:..  10.99.1.2 " "^..:..:..:..:..:..  10.99.1.254 " "^2 hosts up"
	"^80/tcp *open *http *syn-ack" "^22/tcp *closed" "^1 10.99.1.254 *11" "^2 10.99.2.3 *SA"
	'DNS Ans "10.99.1.2"' "UDP 10.99.1.1:1337 > 10.99.2.3:1337 / ESCP"
	"UDP fd99:1::1:1337 > fd99:2::3:1337 / ESCP" "2 packets captured, 0 dropped by kernel"
	"xdp: [0-9]* seen, 2 matched, 2 redirected, [0-9]* passed"
	"new station 10.99.1.2 ..:..:..:..:..:.. h1-eth0"
	"changed ethernet address 10.99.1.2 02:99:00:00:00:02 (..:..:..:..:..:..) h1-eth0"
	"Taking the lab down.")
missing=()
for c in "${checks[@]}"; do
	grep -q -- "$c" <<<"$out" || missing+=("$c")
done
if [ $st = 0 ] && [ ${#missing[@]} = 0 ] && [ "$(ip netns list | grep -c "^$GN_LAB-")" = 0 ]; then
	ok "gannet lab tour: every step answered as the lab holds, lab down after"
else
	not_ok "gannet lab tour" "status $st, missing: ${missing[*]}" "$out"
fi

# ---- bad input ------------------------------------------------------------------------

out=$("$gannet" lab exec h1 true 2>&1)
st=$?
if [ $st != 0 ] && grep -q "is down" <<<"$out"; then
	ok "exec in a lab that is down: one clear error"
else
	not_ok "exec in a lab that is down" "status $st" "$out"
fi
out=$("$gannet" lab frobnicate 2>&1)
st=$?
if [ $st = 2 ]; then
	ok "an unknown lab command: usage error, status 2"
else
	not_ok "an unknown lab command" "status $st" "$out"
fi
out=$("$gannet" lab 2>&1)
st=$?
if [ $st = 2 ] && grep -q "up, down, status, exec, tour" <<<"$out"; then
	ok "gannet lab without a command: usage error naming the commands"
else
	not_ok "gannet lab without a command" "status $st" "$out"
fi

exit $failed
