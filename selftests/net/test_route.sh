#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gannet's netlink tables against iproute2's, inside the test lab
# (selftests/lab/lab.sh): `gannet route DST` in h1 agrees with
# `ip route get DST` for on-link, off-link, router, local, broadcast and
# IPv6 destinations; the routing table prints as `ip route` prints it; an
# unroutable destination (h2 without default routes) and reject routes
# fail clearly with status 1; `gannet ifaces -j` shows what `ip -j addr`
# shows; a ping puts a neighbour into `gannet neigh`; and the library's
# own test (selftests/unit/test_netlink.c: gannet's own routes,
# notifications) passes inside the lab.
#
# Prints TAP-like "ok - name" / "not ok - name" lines.  Needs root; the lab
# is removed on exit, whatever happens.

set -uo pipefail

# shellcheck source=SCRIPTDIR/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

need_root "route tests"

export GN_LAB=gnroute-$$
trap '"$lab" down' EXIT
trap 'exit 130' INT TERM
lab_up

# ---- route DST against ip route get ---------------------------------------------

# Compares the JSON of both: destination, type, gateway, device, source,
# and the metric for IPv6 (ip shows none for IPv4).
compare_py='
import json, sys
g = json.loads(sys.argv[1])[0]
k = json.loads(sys.argv[2])[0]
keys = ["dst", "gateway", "dev", "prefsrc"]
want = {x: k.get(x) for x in keys}
got = {x: g.get(x) for x in keys}
want["type"] = k.get("type", "unicast")
got["type"] = g.get("type")
if ":" in g["dst"]:
    want["metric"] = k.get("metric")
    got["metric"] = g.get("metric")
if want != got:
    print("ip:     %s" % want)
    print("gannet: %s" % got)
    sys.exit(1)
'

route_get() { # NODE DST what
	local node=$1 dst=$2 what=$3 mine theirs diff

	if ! mine=$(at "$node" "$gannet" route -j "$dst" 2>&1); then
		not_ok "route to $dst ($what) in $node" "$mine"
		return
	fi
	theirs=$(at "$node" ip -j route get "$dst" 2>&1)
	if diff=$("$py" -c "$compare_py" "$mine" "$theirs" 2>&1); then
		ok "route to $dst ($what) in $node agrees with ip route get"
	else
		not_ok "route to $dst ($what) in $node agrees with ip route get" $diff
	fi
}

route_get h1 10.99.1.2 "on-link host"
route_get h1 10.99.2.3 "off-link host via r"
route_get h1 10.99.1.254 "the router"
route_get h1 10.99.2.254 "the router's far side"
route_get h1 10.99.1.1 "own address"
route_get h1 127.0.0.1 "loopback"
route_get h1 10.99.1.255 "subnet broadcast"
route_get h1 192.0.2.1 "default route"
route_get h1 fd99:1::2 "IPv6 on-link"
route_get h1 fd99:2::3 "IPv6 off-link via r"
route_get h1 fd99:1::fe "IPv6 router"
route_get h1 fd99:1::1 "IPv6 own address"
route_get h1 ::1 "IPv6 loopback"
route_get r 10.99.2.3 "forwarding router, LAN B"
route_get r fd99:1::1 "forwarding router, bridge"

want="10.99.2.3 via 10.99.1.254 dev h1-eth0 src 10.99.1.1"
got=$(at h1 "$gannet" route 10.99.2.3 2>&1)
if [ "$got" = "$want" ]; then
	ok "route text in ip route get's words"
else
	not_ok "route text in ip route get's words" "want: $want" "got:  $got"
fi

got=$(at h1 "$gannet" route localhost 2>&1)
if [[ "$got" == "local "*" dev lo "* ]]; then
	ok "route to a host name (localhost)"
else
	not_ok "route to a host name (localhost)" "$got"
fi

# ---- the table as ip route prints it ------------------------------------------------

table_same() { # NODE gannet-args -- ip-args
	local node=$1 g=() i=() a mine theirs

	shift
	while [ $# -gt 0 ] && [ "$1" != -- ]; do g+=("$1"); shift; done
	shift
	i=("$@")
	mine=$(at "$node" "$gannet" route "${g[@]}" 2>&1)
	theirs=$(at "$node" ip "${i[@]}" | sed 's/ *$//')
	a="routing table: gannet route ${g[*]} in $node is ip ${i[*]}"
	if [ "$mine" = "$theirs" ]; then
		ok "$a"
	else
		not_ok "$a" "$(diff <(echo "$theirs") <(echo "$mine"))"
	fi
}

table_same h1 -4 -- route
table_same h1 -6 -- -6 route
table_same r -t all -- route show table all
table_same h1 -4 -t local -- route show table local

# ---- no route, reject routes, policy rules (in h2) ----------------------------------

at h2 ip route del default
at h2 ip -6 route del default
no_route() { # DST
	local dst=$1 err rc

	err=$(at h2 "$gannet" route "$dst" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [ "$err" = "gannet: no route to $dst" ] &&
		! at h2 ip route get "$dst" >/dev/null 2>&1; then
		ok "no route to $dst: clear error, status 1"
	else
		not_ok "no route to $dst: clear error, status 1" "status $rc" "$err"
	fi
}
no_route 192.0.2.1
no_route 2001:db8::1

at h2 ip route add blackhole 10.66.0.0/16
at h2 ip route add prohibit 10.67.0.0/16
reject() { # DST type
	local err rc

	err=$(at h2 "$gannet" route "$1" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" = 1 ] && [[ "$err" == *"$2 route"* ]] &&
		! at h2 ip route get "$1" >/dev/null 2>&1; then
		ok "$2 route: error, status 1"
	else
		not_ok "$2 route: error, status 1" "status $rc" "$err"
	fi
}
reject 10.66.1.1 blackhole
reject 10.67.1.1 prohibit

at h2 ip rule add to 10.55.0.0/16 lookup 100 pref 100
at h2 ip route add 10.55.0.0/16 via 10.99.1.254 table 100
route_get h2 10.55.1.1 "policy rule to table 100"

err=$(at h2 "$gannet" route no.such.host.invalid 2>&1 >/dev/null)
rc=$?
if [ "$rc" = 1 ] && [[ "$err" == *"cannot resolve 'no.such.host.invalid'"* ]]; then
	ok "unknown host name: status 1"
else
	not_ok "unknown host name: status 1" "status $rc" "$err"
fi
at h2 "$gannet" route --table nonsense >/dev/null 2>&1
rc=$?
if [ "$rc" = 2 ]; then ok "bad option value: status 2"; else not_ok "bad option value: status 2" "status $rc"; fi

# ---- source addresses (in h3, given more addresses and a second link) -------------

at h3 ip addr add 2001:db8:1::3/64 dev h3-eth0 nodad
at h3 ip addr add 10.98.0.3/16 dev h3-eth0
at h3 ip addr add 10.99.2.77/24 dev h3-eth0
at h3 ip addr add fd99:2::99/64 dev h3-eth0 nodad preferred_lft 0
at h3 ip link add h3-x type veth peer name h3-y
at h3 ip addr add 10.97.0.3/24 dev h3-x
at h3 ip addr add 2001:db8:77::3/64 dev h3-x nodad
at h3 ip link set h3-x up
at h3 ip route add 10.50.0.0/16 dev h3-eth0
at h3 ip route add 10.51.0.0/16 via 10.98.0.9
at h3 ip -6 route add 2001:db8:98::/48 dev h3-x
route_get h3 10.50.1.1 "no src on the route: first primary address"
route_get h3 10.51.1.1 "gateway in the second subnet: its address"
route_get h3 2001:db8:2::5 "IPv6 label rule: 2001:db8 over fd99"
route_get h3 fd99:2::5 "IPv6: not the deprecated address"
route_get h3 2001:db8:98::1 "IPv6 out of the second link"
route_get h3 2002::1 "IPv6 6to4 destination"
route_get h3 fe80::1 "IPv6 link-local"
route_get h3 ff02::2 "IPv6 link-local multicast"
route_get h3 ff05::2 "IPv6 site multicast"
route_get h3 224.0.0.5 "IPv4 multicast"
route_get h3 255.255.255.255 "IPv4 limited broadcast"

# ---- ifaces -j against ip -j addr -------------------------------------------------------

ifaces_py='
import json, sys
g = {i["ifname"]: i for i in json.loads(sys.argv[1])}
k = {i["ifname"]: i for i in json.loads(sys.argv[2])}
bad = []
if sorted(g) != sorted(k):
    bad.append("interfaces: ip %s, gannet %s" % (sorted(k), sorted(g)))
for name in sorted(set(g) & set(k)):
    for key in ("ifindex", "mtu", "address", "broadcast", "operstate", "link_type", "flags", "master"):
        if g[name].get(key) != k[name].get(key):
            bad.append("%s %s: ip %r, gannet %r" % (name, key, k[name].get(key), g[name].get(key)))
    addrs = lambda i: sorted((a["family"], a["local"], a["prefixlen"], a["scope"]) for a in i["addr_info"])
    if addrs(g[name]) != addrs(k[name]):
        bad.append("%s addresses: ip %s, gannet %s" % (name, addrs(k[name]), addrs(g[name])))
print("\n".join(bad))
sys.exit(1 if bad else 0)
'
for node in h1 r; do
	mine=$(at "$node" "$gannet" ifaces -j 2>&1)
	theirs=$(at "$node" ip -j addr)
	if diff=$("$py" -c "$ifaces_py" "$mine" "$theirs" 2>&1); then
		ok "ifaces -j in $node shows what ip -j addr shows"
	else
		not_ok "ifaces -j in $node shows what ip -j addr shows" "$diff"
	fi
done
mac=$(at h1 ip -j link show h1-eth0 | "$py" -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
got=$(at h1 "$gannet" ifaces h1-eth0 | tail -n 1)
if [[ "$got" == *" $mac "* ]] && [[ "$got" == *"10.99.1.1/24 fd99:1::1/64"* ]]; then
	ok "ifaces table row of h1-eth0"
else
	not_ok "ifaces table row of h1-eth0" "$got"
fi

# ---- a neighbour after a ping ---------------------------------------------------------------

h2mac=$(at h2 ip -j link show h2-eth0 | "$py" -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')
neigh_py='
import json, sys
for n in json.loads(sys.argv[1]):
    if n["dst"] == sys.argv[2] and n.get("lladdr") == sys.argv[3] and n["dev"] == "h1-eth0":
        sys.exit(0)
sys.exit(1)
'
for dst in 10.99.1.2 fd99:1::2; do
	if "$py" -c "$neigh_py" "$(at h1 "$gannet" neigh -j)" "$dst" "$h2mac"; then
		not_ok "neighbour $dst appears after a ping" "already there before the ping"
		continue
	fi
	"$lab" ping h1 "$dst" || true
	if "$py" -c "$neigh_py" "$(at h1 "$gannet" neigh -j)" "$dst" "$h2mac"; then
		ok "neighbour $dst appears after a ping"
	else
		not_ok "neighbour $dst appears after a ping" "$(at h1 "$gannet" neigh)"
	fi
done

# ---- the library's test, inside the lab ------------------------------------------------------

for t in "$build/unit/test_netlink" "$build/asan/unit/test_netlink"; do
	name="${t#"$build"/} inside the lab (own routes, notifications)"
	if [ ! -x "$t" ]; then
		echo "ok - $name # SKIP not built"
		continue
	fi
	if out=$(CMOCKA_MESSAGE_OUTPUT=stdout at h1 "$t" 2>&1) &&
		[[ "$out" == *"[  PASSED  ]"* ]] && [[ "$out" != *"[  FAILED  ]"* ]]; then
		ok "$name"
	else
		not_ok "$name" "$(echo "$out" | grep -E 'FAILED|ERROR|error|Sanitizer' | head -n 20)"
	fi
done

# ---- and the lab goes away -----------------------------------------------------------------------

"$lab" down
"$lab" down
if ip netns list | grep -q "^$GN_LAB-"; then
	not_ok "lab down removes every namespace, twice over" "$(ip netns list | grep "^$GN_LAB-")"
else
	ok "lab down removes every namespace, twice over"
fi
exit "$failed"
