#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs every gannet test that `make check` built and prints one line per test
# program, then the total as `N passed, N failed`.  Exits non-zero if any failed.
#
#   selftests/run.sh [BUILD_DIR]          (default: build)
#
# What runs, in order:
#   BUILD/unit/test_*, BUILD/asan/unit/test_*   cmocka programs; their
#       "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)" lines are counted
#   selftests/diff/*, selftests/cli/*, selftests/net/*   every executable file; each line
#       "ok - name" passes, "not ok - name" fails, "ok - name # SKIP why" skips;
#       a script that exits non-zero without a "not ok" line is one failure
#   BUILD/fuzz/fuzz_*   each for GN_FUZZ_TIME seconds (default 10), one test each;
#       seeds from selftests/fuzz/seeds/fuzz_NAME/ and the dictionary
#       selftests/fuzz/fuzz_NAME.dict are used when present
#
# Scripts run from the top of the tree with GANNET (the gannet binary),
# GANNET_BUILD and GANNET_ROOT (absolute paths) set, and BUILD then /usr/bin
# first on PATH (so python3 is Debian's, with Scapy).
# Full output of every program is kept in BUILD/test-logs/.
# GN_TEST_TIMEOUT (seconds, default 600) bounds each program.

set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build}
if [ ! -d "$build" ]; then
	echo "run.sh: build directory $build not found: run 'make check'" >&2
	exit 2
fi
build=$(cd "$build" && pwd)
cd "$root" || exit 2

logs=$build/test-logs
rm -rf "$logs"
mkdir -p "$logs"

timeout_s=${GN_TEST_TIMEOUT:-600}
fuzz_time=${GN_FUZZ_TIME:-10}

export CMOCKA_MESSAGE_OUTPUT=stdout
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export GANNET=$build/gannet GANNET_BUILD=$build GANNET_ROOT=$root
# Debian's tools first: the oracles (Scapy in /usr/bin/python3, tshark, tcpdump)
# are the distribution's, whatever else a login's PATH puts ahead of them.
export PATH=$build:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PYTHONDONTWRITEBYTECODE=1

total_pass=0
total_fail=0

# Counts the numbers after a cmocka summary tag, over every group in the log.
cmocka_count() { # tag log
	sed -n "s/^\[  $1 *\] \([0-9][0-9]*\) test(s).*/\1/p" "$2" | awk '{ s += $1 } END { print s + 0 }'
}

# The part of a log that explains a failure, indented, for the CI output:
# from the first sanitizer report or cmocka error on, else its last lines.
show_tail() { # log
	local first
	first=$(grep -n -m 1 -E 'ERROR: [A-Za-z]+Sanitizer|runtime error:|^\[ +ERROR +\]' "$1" |
		cut -d: -f1)
	if [ -n "$first" ]; then
		sed -n "${first},$((first + 29))p" "$1"
	else
		tail -n 30 "$1"
	fi | sed 's/^/    | /'
}

# One line per program: PASS/FAIL, name, passed/total, extra notes.
report() { # name pass fail skip note
	local name=$1 pass=$2 fail=$3 skip=$4 note=$5 status=PASS
	[ "$fail" -gt 0 ] && status=FAIL
	[ "$skip" -gt 0 ] && note="$note${note:+, }$skip skipped"
	printf '%s  %-40s %d/%d%s\n' "$status" "$name" "$pass" $((pass + fail)) "${note:+ ($note)}"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
}

logname() { # label
	echo "$logs/${1//\//_}.log"
}

run_cmocka() { # label binary
	local label=$1 bin=$2 log rc pass fail skip note=
	log=$(logname "$label")
	timeout -k 10 "$timeout_s" "$bin" >"$log" 2>&1 </dev/null
	rc=$?
	pass=$(cmocka_count PASSED "$log")
	fail=$(cmocka_count FAILED "$log")
	skip=$(cmocka_count SKIPPED "$log")
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
		note="exit $rc"
		[ "$rc" -eq 124 ] && note="timed out after ${timeout_s}s"
	elif [ $((pass + fail + skip)) -eq 0 ]; then
		fail=1
		note="no cmocka summary"
	fi
	report "$label" "$pass" "$fail" "$skip" "$note"
	[ "$fail" -gt 0 ] && show_tail "$log"
}

run_script() { # label script
	local label=$1 script=$2 out err rc pass fail skip note=
	out=$(logname "$label")
	err=${out%.log}.err
	timeout -k 10 "$timeout_s" "$script" >"$out" 2>"$err" </dev/null
	rc=$?
	skip=$(grep -Ec '^ok( [0-9]+)? .*# *SKIP' "$out")
	pass=$(( $(grep -Ec '^ok( |$)' "$out") - skip ))
	fail=$(grep -Ec '^not ok( |$)' "$out")
	if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
		fail=1
		note="exit $rc"
		[ "$rc" -eq 124 ] && note="timed out after ${timeout_s}s"
	elif [ $((pass + fail + skip)) -eq 0 ]; then
		pass=1
		note="no results printed"
	fi
	report "$label" "$pass" "$fail" "$skip" "$note"
	if [ "$fail" -gt 0 ]; then
		grep -E '^not ok( |$)' "$out" | sed 's/^/    /'
		show_tail "$err"
	fi
}

run_fuzz() { # label binary
	local label=$1 bin=$2 name log rc corpus args=()
	name=${bin##*/}
	log=$(logname "$label")
	corpus=$build/fuzz/corpus/$name
	mkdir -p "$corpus"
	[ -f "selftests/fuzz/$name.dict" ] && args+=("-dict=selftests/fuzz/$name.dict")
	args+=("$corpus")
	[ -d "selftests/fuzz/seeds/$name" ] && args+=("selftests/fuzz/seeds/$name")
	timeout -k 10 $((fuzz_time + 120)) "$bin" -max_total_time="$fuzz_time" -timeout=10 \
		-artifact_prefix="$build/fuzz/$name-" "${args[@]}" >"$log" 2>&1 </dev/null
	rc=$?
	if [ "$rc" -eq 0 ]; then
		report "$label" 1 0 0 "$(grep -Eo 'Done [0-9]+ runs' "$log" | tail -n 1)"
	else
		report "$label" 0 1 0 "exit $rc, crash input in $build/fuzz/"
		show_tail "$log"
	fi
}

for bin in "$build"/unit/test_* "$build"/asan/unit/test_*; do
	{ [ -f "$bin" ] && [ -x "$bin" ]; } || continue
	run_cmocka "${bin#"$build"/}" "$bin"
done

for dir in selftests/diff selftests/cli selftests/net; do
	for script in "$dir"/*; do
		{ [ -f "$script" ] && [ -x "$script" ]; } || continue
		run_script "${script#selftests/}" "$script"
	done
done

for bin in "$build"/fuzz/fuzz_*; do
	{ [ -f "$bin" ] && [ -x "$bin" ]; } || continue
	run_fuzz "${bin#"$build"/}" "$bin"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
