# shellcheck shell=bash disable=SC2034  # its variables are for the tests
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the network tests in selftests/net share.  Not a test: it is not
# executable (selftests/run.sh runs only the executable files here), and
# sourcing it only sets the variables and defines the functions below.  A
# test starts with
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# and gets:
#
#   root, build, gannet   the tree, the build directory, the gannet command:
#                         GANNET_ROOT, GANNET_BUILD, GANNET as selftests/run.sh
#                         exports them, else this tree, its build/, build/gannet
#   lab, py               the lab script (selftests/lab/lab.sh) and Debian's
#                         python3 (the one with Scapy)
#   use_build_dir [DIR]   for a test taking the build directory as argument:
#                         build=DIR when given, made absolute, gannet in it
#                         (unless GANNET says otherwise); then cd to root
#
#   TAP output, counted (tap_n: every test line; failed: 1 once one failed):
#   ok NAME               "ok - NAME"
#   not_ok NAME WHY...    "not ok - NAME", then every line of every WHY as
#                         "#   LINE" (so no line of it can pass for a result)
#   skip NAME WHY         "ok - NAME # SKIP WHY"
#   check NAME ST WHY...  ok NAME when ST is 0, else not_ok NAME WHY...
#   pass_through PREFIX FILE   the TAP lines a program wrote to FILE, as
#                         tests of this script named "PREFIX: NAME"; its
#                         other lines are copied, its plan line dropped
#   finish                the plan "1..N", then exit 0, or 1 if a test failed
#   skip_all NAME WHY     skip NAME WHY, then finish: for a test that cannot
#                         run on this machine
#   need_root NAME        not root: "ok - NAME # SKIP not root" and exit 0
#
#   Network namespaces of the test's own (it deletes them in its cleanup):
#   netns_up NAME NS...   creates each NS with its loopback up; skip_all NAME
#                         when that is not possible here
#   netns_down NS...      deletes them (quietly: they may not exist)
#   kill_pids SIG PID...  sends SIG to each (quietly: they may be gone)
#
#   Programs of the test's own, in the background:
#   wait_for PID TRIES GREP-ARGS...   until `grep -q GREP-ARGS...` succeeds
#                         (0.05 s between tries); 1 if PID ended first or
#                         TRIES ran out
#   stop_pid SIG PID      SIG, then PID's exit status in rc (SIGKILL after
#                         5 s: 137)
#
#   The test lab (selftests/lab/lab.sh), GN_LAB exported by the test, taken
#   down by the test's EXIT trap ("$lab" down):
#   lab_up                lab.sh up, then "ok - lab up"; "not ok - lab up"
#                         with lab.sh's output, and exit 1, if it failed
#   at NODE CMD...        runs CMD in the lab's NODE
#   mac_of NODE IFACE     the MAC address of IFACE in NODE
#
#   Programs built for a test, under ASan+UBSan when that library is built:
#   build_api SRC OUT LOG an API test program (selftests/net/SRC.c) built to
#                         OUT against build/asan/libgannet.a, else the plain
#                         library (api_san says which: "" or " (ASan+UBSan)");
#                         1 with the compiler's words in LOG when it fails
#   asan_gannet LOG       prints the path of gannet built against the ASan+UBSan
#                         library (build/asan/net/gannet, rebuilt when the
#                         tools or that library are newer); 1 when the library
#                         is not built or the build fails (words in LOG)

root=${GANNET_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
build=${GANNET_BUILD:-$root/build}
gannet=${GANNET:-$build/gannet}
lab=$root/selftests/lab/lab.sh
py=/usr/bin/python3

use_build_dir() { # [BUILD_DIR]
	build=${1:-$build}
	[ -d "$build" ] && build=$(cd "$build" && pwd)
	gannet=${GANNET:-$build/gannet}
	cd "$root" || exit 1
}

tap_n=0
failed=0

ok() { # NAME
	tap_n=$((tap_n + 1))
	echo "ok - $1"
}

not_ok() { # NAME WHY...
	local line
	tap_n=$((tap_n + 1))
	failed=1
	echo "not ok - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

skip() { # NAME WHY
	tap_n=$((tap_n + 1))
	echo "ok - $1 # SKIP $2"
}

check() { # NAME CONDITION-STATUS WHY...
	local name=$1 st=$2
	shift 2
	if [ "$st" -eq 0 ]; then ok "$name"; else not_ok "$name" "$@"; fi
}

pass_through() { # PREFIX FILE
	local line
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$1: ${line#ok - }" ;;
		"not ok - "*) not_ok "$1: ${line#not ok - }" ;;
		"1.."*) ;;
		*) echo "$line" ;;
		esac
	done <"$2"
}

finish() {
	echo "1..$tap_n"
	[ "$failed" -eq 0 ]
	exit
}

skip_all() { # NAME WHY
	skip "$1" "$2"
	finish
}

need_root() { # NAME
	if [ "$(id -u)" != 0 ]; then
		echo "ok - $1 # SKIP not root"
		exit 0
	fi
}

netns_up() { # NAME NS...
	local name=$1 ns
	shift
	for ns in "$@"; do
		ip netns add "$ns" 2>/dev/null ||
			skip_all "$name" "cannot create network namespaces here"
	done
	for ns in "$@"; do
		ip -n "$ns" link set lo up
	done
}

netns_down() { # NS...
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
	done
}

kill_pids() { # SIGNAL PID...
	local sig=$1 p
	shift
	for p in "$@"; do
		kill "-$sig" "$p" 2>/dev/null
	done
}

wait_for() { # PID TRIES GREP-ARGS...
	local pid=$1 tries=$2 i
	shift 2
	for i in $(seq "$tries"); do
		grep -q "$@" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

stop_pid() { # SIGNAL PID
	local i
	kill "-$1" "$2" 2>/dev/null
	for i in $(seq 100); do
		kill -0 "$2" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$2" 2>/dev/null
	wait "$2"
	rc=$?
}

lab_up() {
	local out
	if ! out=$("$lab" up 2>&1); then
		not_ok "lab up" "$out"
		exit 1
	fi
	ok "lab up"
}

at() { # NODE CMD...
	"$lab" exec "$@"
}

mac_of() { # NODE IFACE
	at "$1" cat "/sys/class/net/$2/address"
}

# the libraries gannet links with, as the linker wants them
link_libs() {
	pkg-config --libs libpcap libbpf libxdp libmnl 2>/dev/null || echo -lpcap -lbpf -lxdp -lmnl
}

# shellcheck disable=SC2054  # one flag, its comma is its own
sanitize=(-fsanitize=address,undefined -fno-sanitize-recover=undefined)

api_san=
build_api() { # SRC OUT LOG
	local lib=$build/asan/libgannet.a san=("${sanitize[@]}")
	api_san=" (ASan+UBSan)"
	if [ ! -f "$lib" ]; then
		lib=$build/libgannet.a
		san=()
		api_san=
	fi
	# shellcheck disable=SC2046  # the library list is meant to split
	cc -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE -Iuser/include -Iuser -O1 -g "${san[@]}" \
		"selftests/net/$1.c" "$lib" $(link_libs) -o "$2" 2>"$3"
}

asan_gannet() { # LOG
	local out=$build/asan/net/gannet lib=$build/asan/libgannet.a
	[ -f "$lib" ] || return 1
	if [ ! -x "$out" ] || [ -n "$(find tools/gannet "$lib" -newer "$out" -print -quit)" ]; then
		mkdir -p "$build/asan/net"
		# shellcheck disable=SC2046  # the library list is meant to split
		cc -std=gnu11 -D_GNU_SOURCE -Iuser/include -Iuser -Iproto -O1 -g -fno-omit-frame-pointer \
			"${sanitize[@]}" tools/gannet/*.c "$lib" $(link_libs) -o "$out" 2>"$1" || return 1
	fi
	echo "$out"
}
