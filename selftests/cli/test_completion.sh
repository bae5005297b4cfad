#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tools/completion/gannet.bash: what <tab> offers for subcommands, options,
# interfaces, protocols and fields inside a quoted expression, with the
# completion function called as bash calls it (COMP_LINE, COMP_POINT,
# COMP_WORDS, COMP_CWORD).  The candidates come from gannet itself, so the
# expected lists are read from gannet (--commands, ls, --help) as well.

set -uo pipefail
root=${GANNET_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
gannet=${GANNET:-$root/build/gannet}
PATH=$(dirname "$gannet"):$PATH
# shellcheck source=/dev/null
source "$root/tools/completion/gannet.bash"

failed=0
complete_line() { # LINE WORD...: COMPREPLY for LINE whose words are WORD...
	COMP_LINE=$1
	COMP_POINT=${#1}
	shift
	COMP_WORDS=(gannet "$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_gannet 2>/dev/null
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
check() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1"
		printf '#   want: %s\n' $3
		printf '#   got:  %s\n' $2
		failed=1
	fi
}

check "subcommands starting with 'sr'" "$(complete_line "gannet sr" sr)" \
	"$(gannet --commands | grep '^sr' | sort)"
check "every subcommand for an empty word" "$(complete_line "gannet " "" | grep -cv '^help$')" \
	"$(gannet --commands | wc -l)"
check "options of sr starting with --ti" "$(complete_line "gannet sr --ti" sr --ti)" "--timeout"
check "options of sniff are those its --help names" \
	"$(complete_line "gannet sniff --" sniff --)" \
	"$(gannet sniff --help | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u)"
check "interfaces after -i" "$(complete_line "gannet sniff -i l" sniff -i l)" \
	"$(ls /sys/class/net | grep '^l' | sort)"
check "protocols after / in a quoted expression" \
	"$(complete_line "gannet show 'Ether()/IP()/TC" show "'Ether()/IP()/TC")" \
	"$(gannet ls | sed -n 's/^\(TC[A-Za-z0-9_]*\) *:.*/Ether()\/IP()\/\1(/p' | sort)"
check "fields of the layer being written" \
	"$(complete_line "gannet sr 'IP(dst=\"10.0.0.1\")/TCP(dport=80,fl" sr "'IP(dst=\"10.0.0.1\")/TCP(dport=80,fl")" \
	'IP(dst="10.0.0.1")/TCP(dport=80,flags='
check "the first protocol" "$(complete_line "gannet hex 'Eth" hex "'Eth")" "Ether("
check "lab commands" "$(complete_line "gannet lab s" lab s)" "status"
check "nothing for an unknown protocol's fields" \
	"$(complete_line "gannet show 'Nosuch(a" show "'Nosuch(a")" ""
exit $failed
