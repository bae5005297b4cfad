# SPDX-License-Identifier: LGPL-2.1-or-later
# bash completion for gannet: subcommands, their options, interfaces, files,
# and inside packet expressions the protocol names ("IP()/TC<tab>" ->
# "TCP(") and a protocol's fields ("TCP(dp<tab>" -> "dport=").  Everything
# is asked of gannet itself (--commands, CMD --help, ls), so it never goes
# stale.  Installed as $(DATADIR)/bash-completion/completions/gannet.

_gannet_protocols() {
	"${1:-gannet}" ls 2>/dev/null | sed -n 's/^\([A-Za-z0-9_]*\) *:.*/\1/p'
}

_gannet_fields() { # GANNET PROTO
	"$1" ls "$2" 2>/dev/null | sed -n 's/^\([A-Za-z0-9_]*\) *:.*/\1/p'
}

_gannet_options() { # GANNET CMD
	"$1" "$2" --help 2>/dev/null | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u
}

# Completion inside an expression.  Bash breaks words at "(", "=", quotes
# and more (COMP_WORDBREAKS), so the whole expression word is read from
# COMP_LINE, candidates are made for all of it, and each reply is the part
# after what bash will keep (everything but its own current word).
_gannet_expr() { # GANNET BASHCUR
	local g=$1 bashcur=$2 line full keep proto open tail head c
	local -a cands=()

	line=${COMP_LINE:0:COMP_POINT}
	full=${line##*[[:space:]]}
	# inside quotes (an expression needs them) readline completes the text
	# after the opening quote
	full=${full#[\'\"]}
	bashcur=${bashcur#[\'\"]}
	keep=$((${#full} - ${#bashcur}))
	[ "${full:keep}" = "$bashcur" ] || keep=${#full}
	open=${full##*/}
	if [[ "$open" == *"("* && "$open" != *")"* ]]; then
		# inside NAME(...: a field of NAME
		proto=${open%%(*}
		tail=${full##*[(,]}
		head=${full%"$tail"}
		[[ "$tail" == *=* ]] && return
		for c in $(_gannet_fields "$g" "$proto"); do
			[[ "$c" == "$tail"* ]] && cands+=("$head$c=")
		done
	else
		# after "/" or at the start: a protocol
		tail=${full##*/}
		head=${full%"$tail"}
		for c in $(_gannet_protocols "$g"); do
			[[ "$c" == "$tail"* ]] && cands+=("$head$c(")
		done
	fi
	for c in "${cands[@]}"; do
		COMPREPLY+=("${c:keep}")
	done
}

_gannet() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
	local g=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]:-}

	COMPREPLY=()
	compopt -o nospace 2>/dev/null
	if [ "$COMP_CWORD" -eq 1 ]; then
		compopt +o nospace 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -W "$("$g" --commands 2>/dev/null) help" -- "$cur")
		return
	fi
	case "$prev" in
	-i | --iface)
		compopt +o nospace 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur")
		return
		;;
	-w | -r | --graph | -f)
		compopt +o nospace 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return
		;;
	esac
	if [[ "$cur" == -* ]]; then
		compopt +o nospace 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -W "$(_gannet_options "$g" "$cmd")" -- "$cur")
		return
	fi
	case "$cmd" in
	help | ls)
		compopt +o nospace 2>/dev/null
		if [ "$cmd" = help ]; then
			mapfile -t COMPREPLY < <(compgen -W "$("$g" --commands 2>/dev/null)" -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$(_gannet_protocols "$g")" -- "$cur")
		fi
		;;
	read | replay)
		compopt +o nospace 2>/dev/null
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	lab)
		compopt +o nospace 2>/dev/null
		if [ "$COMP_CWORD" -eq 2 ]; then
			mapfile -t COMPREPLY < <(compgen -W "up down status exec ping tour" -- "$cur")
		elif [ "$prev" = exec ] || [ "$prev" = ping ]; then
			mapfile -t COMPREPLY < <(compgen -W "h1 h2 h3 r" -- "$cur")
		fi
		;;
	hex | show | summary | hexdump | json | command | write | send | sendp | sr | sr1 | \
		srloop | srp | srp1 | srploop)
		_gannet_expr "$g" "$cur"
		;;
	esac
}

complete -F _gannet gannet
