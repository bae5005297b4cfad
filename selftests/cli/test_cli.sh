#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The gannet command end to end: every subcommand, its errors and exit
# statuses, files written and read back by gannet, tcpdump and tshark, and
# the ESCP example program.  TAP-like output: "ok - NAME" / "not ok - NAME"
# (with "#" lines saying why), a "1..N" plan at the end; exit 1 on failure.
#
# Usage: selftests/cli/test_cli.sh [BUILD_DIR]   (default: $GANNET_BUILD, else build/)

REPO=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-${GANNET_BUILD:-$REPO/build}}
[ -d "$B" ] && B=$(cd "$B" && pwd)
cd "$REPO" || exit 1
G=$B/gannet
T=$(mktemp -d "${TMPDIR:-/tmp}/gannet-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT

n=0
failed=0

ok() {
	n=$((n + 1))
	echo "ok - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
	if [ -s "$T/err" ]; then
		head -n 5 "$T/err" | sed 's/^/#   stderr: /'
	fi
}

skip() {
	n=$((n + 1))
	echo "ok - $1 # SKIP $2"
}

# run CMD...: stdout in $T/out, stderr in $T/err, status in $rc
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# run_in INPUT CMD...: the same with INPUT on stdin
run_in() {
	input=$1
	shift
	printf '%s' "$input" | "$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect NAME STATUS [grep pattern on stdout] [grep pattern on stderr]
expect() {
	name=$1 want_rc=$2 out_pat=$3 err_pat=$4
	if [ "$rc" != "$want_rc" ]; then
		not_ok "$name" "exit status $rc, expected $want_rc" "stdout: $(head -c 300 "$T/out")"
		return
	fi
	if [ -n "$out_pat" ] && ! grep -q -e "$out_pat" "$T/out"; then
		not_ok "$name" "stdout lacks: $out_pat" "stdout: $(head -c 300 "$T/out")"
		return
	fi
	if [ -n "$err_pat" ] && ! grep -q -e "$err_pat" "$T/err"; then
		not_ok "$name" "stderr lacks: $err_pat"
		return
	fi
	ok "$name"
}

# same NAME WANT GOT
same() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "expected: $2" "got:      $3"
	fi
}

have() {
	command -v "$1" >/dev/null 2>&1
}

if [ ! -x "$G" ]; then
	echo "not ok - $G is not built"
	echo "1..1"
	exit 1
fi

E='Ether(src="00:11:22:33:44:55", dst="66:77:88:99:aa:bb")'
IP4='IP(src="10.0.0.1", dst="10.0.0.2")'
SYN="$E/$IP4/TCP(dport=80, flags=\"S\")"
# Scapy 2.5.0: bytes(Ether(...)/IP(...)/TCP(dport=80, flags="S")).hex()
SYN_HEX=66778899aabb00112233445508004500002800010000400666cd0a0000010a000002001400500000000000000000500220007b7c0000

# ---- the command itself ------------------------------------------------------

version=$(sed -n 's/^#define GN_VERSION "\(.*\)"/\1/p' user/include/gannet/gannet.h 2>/dev/null)
run "$G" --version
expect "--version" 0 "^gannet ${version:-[0-9]}"

run "$G" --help
expect "--help" 0 "Usage: gannet"

run "$G"
expect "no command: usage error" 2 "" "Usage: gannet"

run "$G" frobnicate
expect "unknown command" 2 "" "unknown command 'frobnicate'"

run "$G" hx 'IP()'
expect "unknown command: did you mean" 2 "" "did you mean 'hex'"

run "$G" --bogus
expect "unknown top-level option" 2 "" "unknown option"

for cmd in hex show summary hexdump json command write read dissect ls; do
	run "$G" "$cmd" --help
	expect "$cmd --help" 0 "Usage: gannet $cmd"
done

run "$G" help read
expect "help read" 0 "Usage: gannet read"

# ---- hex ---------------------------------------------------------------------------

run "$G" hex "$SYN"
same "hex: bytes as Scapy builds them" "$SYN_HEX" "$(cat "$T/out")"

run "$G" hex $E/$IP4/'TCP(dport=80,' 'flags="S")'
same "hex: words are joined with spaces" "$SYN_HEX" "$(cat "$T/out")"

run "$G" hex "$E/IP(src=\"10.0.0.1\", dst=\"10.0.0.0/31\")/TCP(dport=[1, 2, 3])"
same "hex: one line per generated packet" 6 "$(wc -l <"$T/out" | tr -d ' ')"

run "$G" hex -c 4 "$E/IP(src=\"10.0.0.1\", dst=\"10.0.0.0/24\")"
same "hex -c 4" 4 "$(wc -l <"$T/out" | tr -d ' ')"

run "$G" hex "$E/IP(src=\"10.0.0.1\", dst=\"10.0.0.0/16\")/UDP()"
same "hex: 65536 packets streamed" 65536 "$(wc -l <"$T/out" | tr -d ' ')"

run_in "# a comment

$SYN
$E/TCP(dprt=80)
  $SYN
" "$G" hex -
if [ "$rc" = 1 ] && [ "$(cat "$T/out")" = "$SYN_HEX
$SYN_HEX" ] && grep -q "line 4:" "$T/err"; then
	ok "hex -: bad line reported by number, the others printed, exit 1"
else
	not_ok "hex -: bad line reported by number, the others printed, exit 1" "exit $rc" "$(cat "$T/out")"
fi

run_in "$SYN
$E/IP(src=\"10.0.0.1\", dst=[\"10.0.0.2\", \"10.0.0.3\"])
IP(
" "$G" hex --separate -
same "hex --separate: #N before each line's packets" "#1 x #2 x x #3 error" \
	"$(sed 's/^[0-9a-f][0-9a-f]*$/x/' "$T/out" | tr '\n' ' ' | sed 's/ $//')"
same "hex --separate: the packets themselves" "$SYN_HEX" "$(sed -n 2p "$T/out")"

# ---- expression errors ----------------------------------------------------------

run "$G" hex 'IP()/TCP(dprt=80)'
expect "unknown field: exit 2, did you mean" 2 "" "did you mean 'dport'"
caret=$(sed -n 3p "$T/err")
expr_line=$(sed -n 2p "$T/err")
# the caret sits under the 'd' of dprt
col=$(printf '%s\n' "$caret" | awk '{ print index($0, "^") }')
at=$(printf '%s\n' "$expr_line" | awk '{ print index($0, "dprt") }')
same "unknown field: caret under the field" "$at" "$col"

run "$G" hex 'IP(dst="10.0.0.1"'
expect "bad syntax: exit 2 with a caret" 2 "" "^ *\^$"

run "$G" hex 'IPX()/TCP()'
expect "unknown layer: exit 2, did you mean" 2 "" "did you mean"

run "$G" hex --fragment 3 'IP()'
expect "bad --fragment value" 2 "" "fragment"

run "$G" hex
expect "hex without expression" 2 "" "missing"

# ---- show, summary, hexdump, json, command -------------------------------------------

run "$G" show "$SYN"
expect "show" 0 "###\[ TCP \]###"
if grep -q "chksum *= None" "$T/out"; then ok "show: checksums not computed"; else not_ok "show: checksums not computed" "$(cat "$T/out")"; fi

run "$G" show --show2 "$SYN"
expect "show --show2: checksums computed" 0 "chksum *= 0x7b7c"

run "$G" summary "$SYN"
same "summary" "Ether / IP / TCP 10.0.0.1:ftp_data > 10.0.0.2:http S" "$(cat "$T/out")"

run "$G" hexdump "$SYN"
same "hexdump: first line" "0000  66 77 88 99 AA BB 00 11 22 33 44 55 08 00 45 00  fw......\"3DU..E." \
	"$(head -n 1 "$T/out")"
same "hexdump: last line" "0030  20 00 7B 7C 00 00                                 .{|.." \
	"$(sed -n 4p "$T/out")"

run "$G" json "$E/$IP4/TCP(dport=[80, 443])"
if [ "$rc" = 0 ] && have python3 && python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 2
for l in lines:
    layers = json.loads(l)["layers"]
    assert [x["name"] for x in layers] == ["Ether", "IP", "TCP"], layers
    assert layers[1]["fields"]["dst"] == "10.0.0.2"
assert [json.loads(l)["layers"][2]["fields"]["dport"] for l in lines] == [80, 443]
' "$T/out" 2>"$T/err"; then
	ok "json: one object per packet"
else
	not_ok "json: one object per packet" "$(head -c 400 "$T/out")"
fi

run "$G" command "$SYN"
cmd_text=$(cat "$T/out")
run "$G" hex "$cmd_text"
same "command: its output rebuilds the same bytes" "$SYN_HEX" "$(cat "$T/out")"

# ---- --fragment ---------------------------------------------------------------------

FRAG="$IP4/UDP()/Raw(load=b\"x\" * 40)"
run "$G" hex --fragment 16 "$FRAG"
# Scapy 2.5.0: [bytes(f).hex() for f in fragment(IP(...)/UDP()/Raw(b"x"*40), 16)]
same "hex --fragment 16: Scapy's fragments" \
	"4500002400012000401146c60a0000010a00000200350035003081b87878787878787878 4500002400012002401146c40a0000010a00000278787878787878787878787878787878 4500002400010004401166c20a0000010a00000278787878787878787878787878787878" \
	"$(tr '\n' ' ' <"$T/out" | sed 's/ $//')"

run "$G" summary --fragment 16 "$E/$FRAG"
same "summary --fragment: 3 fragments" 3 "$(wc -l <"$T/out" | tr -d ' ')"

# ---- write and read --------------------------------------------------------------------

run "$G" write -w "$T/a.pcap" "$E/$IP4/TCP(dport=[80, 443, 8080], flags=\"S\")"
expect "write pcap" 0 "^Wrote 3 packets to $T/a.pcap\$"
same "write pcap: magic" "d4c3b2a1" "$(head -c 4 "$T/a.pcap" | od -An -tx1 | tr -d ' \n')"

run "$G" read "$T/a.pcap"
same "read: summary by default" "Ether / IP / TCP 10.0.0.1:ftp_data > 10.0.0.2:http S
Ether / IP / TCP 10.0.0.1:ftp_data > 10.0.0.2:https S
Ether / IP / TCP 10.0.0.1:ftp_data > 10.0.0.2:http_alt S" "$(cat "$T/out")"

run "$G" read -c 1 -F hex "$T/a.pcap"
same "read -c 1 -F hex" "$SYN_HEX" "$(cat "$T/out")"

run "$G" read -F '%IP.src% > %TCP.dport%' tcp port 443 "$T/a.pcap"
same "read FILTER -F sprintf (Scapy's human values)" "10.0.0.1 > https" "$(cat "$T/out")"

run "$G" read -F json "$T/a.pcap"
same "read -F json: 3 lines" 3 "$(grep -c '"layers"' "$T/out")"

run "$G" read -F show "$T/a.pcap"
same "read -F show: 3 TCP blocks" 3 "$(grep -c '###\[ TCP \]###' "$T/out")"

run "$G" read -F hexdump "$T/a.pcap"
same "read -F hexdump: 3 dumps" 3 "$(grep -c '^0000 ' "$T/out")"

run "$G" read -F '%IP.src' "$T/a.pcap"
expect "read: bad format string" 2 "" "^gannet: "

run "$G" read -F nonsense "$T/a.pcap"
expect "read: unknown format" 2 "" "unknown format"

run "$G" read "$T/does-not-exist.pcap"
expect "read: missing file, exit 1" 1 "" "^gannet: "

head -c 100 "$T/a.pcap" >"$T/trunc.pcap"   # 24 + 16 + 54 = 94: the 2nd packet is cut
run "$G" read "$T/trunc.pcap"
if [ "$rc" = 1 ] && [ "$(wc -l <"$T/out" | tr -d ' ')" = 1 ] && grep -q "^gannet: " "$T/err"; then
	ok "read: truncated file prints the whole packets, then the error"
else
	not_ok "read: truncated file prints the whole packets, then the error" "exit $rc" "$(cat "$T/out")"
fi

printf 'not a pcap file at all, really' >"$T/junk.pcap"
run "$G" read "$T/junk.pcap"
expect "read: not a capture file, exit 1" 1 "" "^gannet: "

if have tcpdump; then
	run tcpdump -nr "$T/a.pcap"
	same "tcpdump reads gannet's pcap" 3 "$(grep -c 'Flags \[S\]' "$T/out")"
else
	skip "tcpdump reads gannet's pcap" "no tcpdump"
fi

run "$G" write -w "$T/b.pcapng" "$E/$IP4/UDP(sport=[1, 2])"
expect "write pcapng (from the name)" 0 "^Wrote 2 packets"
same "write pcapng: magic" "0a0d0d0a" "$(head -c 4 "$T/b.pcapng" | od -An -tx1 | tr -d ' \n')"
run "$G" read -F '%UDP.sport%' "$T/b.pcapng"
same "read pcapng" "1 2" "$(tr '\n' ' ' <"$T/out" | sed 's/ $//')"

run "$G" write --format pcap-ns -w "$T/c.cap" "$SYN"
expect "write --format pcap-ns" 0 "^Wrote 1 packet to"
same "write pcap-ns: magic" "4d3cb2a1" "$(head -c 4 "$T/c.cap" | od -An -tx1 | tr -d ' \n')"

run "$G" write -w "$T/d.pcap" "$IP4/TCP()"
expect "write raw IP" 0 "^Wrote 1 packet"
run "$G" read -F summary "$T/d.pcap"
expect "read raw IP back" 0 "^IP / TCP 10.0.0.1:ftp_data > 10.0.0.2:http S"

run_in "$SYN
$E/$IP4/UDP()
" "$G" write -w "$T/e.pcap" -
expect "write -: expressions from stdin" 0 "^Wrote 2 packets"

run "$G" write --format pcapx -w "$T/f.pcap" "$SYN"
expect "write: unknown format" 2 "" "pcapx"

run "$G" write "$SYN"
expect "write without -w" 2 "" "-w"

run "$G" write -w "$T/no/such/dir/x.pcap" "$SYN"
expect "write: cannot create, exit 1" 1 "" "^gannet: "

if have tshark; then
	run tshark -r "$T/b.pcapng" -T fields -e udp.srcport
	same "tshark reads gannet's pcapng" "1 2" "$(tr '\n' ' ' <"$T/out" | sed 's/ $//')"
else
	skip "tshark reads gannet's pcapng" "no tshark"
fi

# ---- dissect ---------------------------------------------------------------------------

run "$G" dissect -F summary "$SYN_HEX"
same "dissect -F summary" "Ether / IP / TCP 10.0.0.1:ftp_data > 10.0.0.2:http S" "$(cat "$T/out")"

run "$G" dissect "$SYN_HEX"
expect "dissect: show by default" 0 "chksum *= 0x7b7c"

IPHEX=$(printf %s "$SYN_HEX" | cut -c29-)   # without the 14-byte Ethernet header
run "$G" dissect -l IP -F '%IP.dst%' "0x$IPHEX"
same "dissect -l IP with 0x" "10.0.0.2" "$(cat "$T/out")"

run "$G" dissect -F hex 66:77:88:99:aa:bb 00:11:22:33:44:55 90 00
same "dissect: words and colons" "66778899aabb0011223344559000" "$(cat "$T/out")"

run_in "$SYN_HEX
# comment
zz
$SYN_HEX
" "$G" dissect -F summary -
if [ "$rc" = 1 ] && [ "$(wc -l <"$T/out" | tr -d ' ')" = 2 ] && grep -q "line 3" "$T/err"; then
	ok "dissect -: bad line reported, the others dissected"
else
	not_ok "dissect -: bad line reported, the others dissected" "exit $rc" "$(cat "$T/out")"
fi

run "$G" dissect 4500zz
expect "dissect: bad hex, exit 2 with caret" 2 "" "^ *\^$"

run "$G" dissect -l Etherr 00
expect "dissect: unknown layer" 2 "" "did you mean 'Ether'"

run "$G" dissect -F json 0011
expect "dissect: short frame does not fail" 0 '"layers"'

# ---- ls ----------------------------------------------------------------------------------

run "$G" ls
expect "ls: every protocol" 0 "^TCP  *: "
run "$G" ls TCP
expect "ls TCP: its fields" 0 "dport"
run "$G" ls Tcp
expect "ls: unknown protocol" 2 "" "did you mean 'TCP'"
run "$G" ls ESCP
expect "ls ESCP" 0 "cmd"

# ---- the ESCP example ---------------------------------------------------------------------

X=$B/examples/escp_write
if [ -x "$X" ]; then
	run "$X" "$T/escp_test.pcap"
	expect "escp_write" 0 "$T/escp_test.pcap"
	run "$G" read -F '%ESCP.cmd% %UDP.sport%' "$T/escp_test.pcap"
	same "escp_write: gannet reads cmd 0, 1, 2" "0 40000,1 40001,2 40002" \
		"$(tr '\n' ',' <"$T/out" | sed 's/,$//')"
	run "$G" read "$T/escp_test.pcap"
	expect "escp_write: summary names ESCP" 0 "ESCP"
	if have tshark; then
		run tshark -r "$T/escp_test.pcap" -T fields -e ipv6.src -e udp.srcport -e udp.dstport
		same "escp_write: tshark reads 3 IPv6/UDP packets" \
			"2001:db8::1 40000 1337,2001:db8::1 40001 1337,2001:db8::1 40002 1337" \
			"$(tr '\t' ' ' <"$T/out" | tr '\n' ',' | sed 's/,$//')"
	else
		skip "escp_write: tshark reads it" "no tshark"
	fi
	rm -f "$T/escp_test.pcap"
	(cd "$T" && "$X" >/dev/null 2>&1)
	if [ -s "$T/escp_test.pcap" ]; then ok "escp_write: default file name"; else not_ok "escp_write: default file name"; fi
else
	skip "escp_write" "$X not built"
fi

# ---- colours: on a terminal only ----------------------------------------------

esc=$(printf '\033')
plain=$("$G" show 'IP()/TCP()')
forced=$(GANNET_COLOR=always "$G" show 'IP()/TCP()')
stripped=$(printf '%s\n' "$forced" | sed "s/$esc\[[0-9;]*m//g")
case "$plain" in *"$esc"*) plain_ok=no ;; *) plain_ok=yes ;; esac
case "$forced" in *"$esc[31m$esc[1mIP$esc[0m"*) forced_ok=yes ;; *) forced_ok=no ;; esac
if [ $plain_ok = yes ] && [ $forced_ok = yes ] && [ "$stripped" = "$plain" ]; then
	ok "show: no colour into a pipe; GANNET_COLOR=always colours it, same text"
else
	not_ok "show colours"
fi
if have script; then
	tty_out=$(TERM=xterm script -qec "$G summary 'Ether()/IP()/TCP()'" /dev/null)
	tty_none=$(TERM=xterm NO_COLOR=1 script -qec "$G summary 'Ether()/IP()/TCP()'" /dev/null)
	case "$tty_out" in *"$esc[31m$esc[1mEther$esc[0m / "*) tty_ok=yes ;; *) tty_ok=no ;; esac
	case "$tty_none" in *"$esc["*) none_ok=no ;; *) none_ok=yes ;; esac
	if [ $tty_ok = yes ] && [ $none_ok = yes ]; then
		ok "summary on a terminal: layer names coloured; NO_COLOR turns it off"
	else
		not_ok "summary on a terminal"
	fi
else
	skip "summary on a terminal" "no script(1)"
fi

echo "1..$n"
if [ "$failed" -ne 0 ]; then
	echo "# $failed of $n failed"
	exit 1
fi
exit 0
