# SPDX-License-Identifier: LGPL-2.1-or-later
# Sourced by the bench_*.sh scripts: builds gnbench against the static
# library and offers a ratio helper.  GANNET_BUILD is set by run.sh.

build=${GANNET_BUILD:-build}
gnbench=$build/bench/gnbench

build_gnbench() {
	mkdir -p "$build/bench"
	if [ ! -x "$gnbench" ] || [ selftests/bench/gnbench.c -nt "$gnbench" ] ||
	   [ "$build/libgannet.a" -nt "$gnbench" ]; then
		cc -std=gnu11 -O2 -Wall -Wextra -Iuser/include selftests/bench/gnbench.c \
			"$build/libgannet.a" $(pkg-config --libs libpcap libbpf libxdp libmnl 2>/dev/null || echo -lpcap) \
			-lpthread -o "$gnbench" || return 1
	fi
}

# ratio A B: A/B with one decimal, "n/a" when B is zero or missing
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.1f", a / b; else printf "n/a" }'
}

# Peak resident set size in KiB of a command (GNU time), its output discarded.
peak_kib() {
	/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
}
