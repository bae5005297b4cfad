#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs every selftests/bench/bench_*.sh and passes their lines through.
# Each benchmark runs gannet beside Scapy, tcpdump or tshark on the same work
# and prints its own result lines (ratios hold on a shared machine, absolute
# figures drift).
#
#   selftests/bench/run.sh [BUILD_DIR]          (default: build)
#
# Benchmarks run from the top of the tree with GANNET (the gannet binary),
# GANNET_BUILD and GANNET_ROOT (absolute paths) set, and BUILD then /usr/bin
# first on PATH (so python3 is Debian's, with Scapy).

set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-$root/build}
if [ ! -d "$build" ]; then
	echo "bench: build directory $build not found: run 'make'" >&2
	exit 2
fi
build=$(cd "$build" && pwd)
cd "$root" || exit 2

export GANNET=$build/gannet GANNET_BUILD=$build GANNET_ROOT=$root
# Debian's tools first: the oracles (Scapy in /usr/bin/python3, tshark, tcpdump)
# are the distribution's, whatever else a login's PATH puts ahead of them.
export PATH=$build:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PYTHONDONTWRITEBYTECODE=1

status=0
found=0
for bench in selftests/bench/bench_*.sh; do
	[ -f "$bench" ] || continue
	found=1
	echo "== ${bench##*/}"
	bash "$bench" </dev/null
	rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "${bench##*/}: failed (exit $rc)"
		status=1
	fi
done
[ "$found" -eq 1 ] || echo "bench: no selftests/bench/bench_*.sh found"
exit "$status"
