// SPDX-License-Identifier: LGPL-2.1-or-later
/* Help texts of the gannet command and the way usage errors are reported. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <getopt.h>

#include "cli.h"

static const char overview[] =
	"Usage: gannet COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"Craft, dissect and store packets with Scapy's expression language.\n"
	"\n"
	"Crafting (EXPR is a packet expression, '-' reads one per line from stdin):\n"
	"  hex EXPR        one line of hex per generated packet\n"
	"  show EXPR       every field of every layer (--show2: as built)\n"
	"  summary EXPR    one summary line per packet\n"
	"  hexdump EXPR    hexdump of the bytes of every packet\n"
	"  json EXPR       one JSON object per packet\n"
	"  command EXPR    the expression that rebuilds each packet\n"
	"  write -w FILE EXPR   write the packets to a pcap or pcapng file\n"
	"\n"
	"Reading:\n"
	"  read [-F FMT] [-c N] [FILTER] FILE   packets of a capture file\n"
	"  dissect [-l LAYER] [-F FMT] HEX|-    packets given in hex\n"
	"  ls [PROTO]      the protocols, or the fields of one\n"
	"\n"
	"Live (as root):\n"
	"  sniff [-i IF]... [-c N] [-w FILE] [FILTER]   capture, print and/or store\n"
	"  send [-c N|--loop] [--rate PPS] EXPR  send at layer 3 (the route decides)\n"
	"  sendp [-i IF] [-c N|--loop] [--rate PPS] EXPR  send at layer 2\n"
	"  replay -i IF [-x F|-p PPS|-t] [-l N] FILE     send a capture's frames\n"
	"  sr [--timeout S] [--retry N] [--table X Y Z] EXPR  send at layer 3, pair\n"
	"                  answers to probes (srp: at layer 2, out of -i IF)\n"
	"  sr1 EXPR, srp1 -i IF EXPR   the first answer, shown\n"
	"  srloop [-c N] EXPR, srploop  the same probes every second, hit rate\n"
	"\n"
	"The lab (as root):\n"
	"  lab up|down|status|tour, lab exec NODE CMD   network namespaces to try\n"
	"                  everything in: two hosts, a router, a second subnet\n"
	"\n"
	"Network tables (netlink):\n"
	"  ifaces [-j] [IF]...            interfaces with their addresses\n"
	"  route [-j] [-4|-6] [DST]...    the routing table, or the route to DST\n"
	"  neigh [-j] [-a] [-4|-6]        the ARP and NDP caches\n"
	"\n"
	"Tools:\n"
	"  traceroute [--tcp|--udp|--icmp|--dns] [--graph F] HOST...  every TTL at\n"
	"                  once, answers laid out as Scapy's traceroute() shows them\n"
	"  scan [-p PORTS] [--rate PPS] [--table] HOST...  TCP SYN scan: open, closed,\n"
	"                  filtered (and why) per port\n"
	"  arpmon [-i IF]... [-f FILE] [-j]  ARP monitor: every who-has and is-at,\n"
	"                  new stations and changed MACs (arpwatch), filtered in XDP\n"
	"  arping [-i IF] [-j] NET...   who answers ARP on a network (Scapy's\n"
	"                  arping()), two MACs for one address flagged DUPLICATE\n"
	"  ping [-c N] [-i S] [--tcp PORT|--udp PORT] [-6] HOST   echo, SYN or UDP\n"
	"                  probes once a second, iputils' output and statistics\n"
	"  dhcp-probe [-i IF] [-j]      every DHCP server answering a DISCOVER\n"
	"\n"
	"  gannet COMMAND --help    options of one command\n"
	"  -q, --quiet, -v, --verbose   with any command: results and errors only,\n"
	"                  or more detail on stderr (where packets go, unanswered)\n"
	"  gannet --version\n"
	"\n"
	"Example: gannet hex 'Ether()/IP(dst=\"10.0.0.0/30\")/TCP(dport=[80,443])'\n"
	"Exit status: 0 ok, 1 runtime error, 2 usage error.\n";

#define GEN_OPTS \
	"  -c, --count N        stop after N packets\n" \
	"      --fragment SIZE  split every IPv4 packet into fragments of at most\n" \
	"                       SIZE payload bytes first (as Scapy's fragment())\n"

#define EXPR_HELP \
	"  -h, --help           this help\n" \
	"\n" \
	"EXPR is Scapy's syntax: Ether()/IP(dst=\"10.0.0.1\")/TCP(dport=[80,443]).\n" \
	"Several words are joined with spaces.  With '-', expressions are read from\n" \
	"stdin, one per line; blank lines and lines starting with '#' are skipped,\n" \
	"and a bad line is reported with its number without stopping the others.\n"

#define SR_OPTS \
	"  -i, --iface IF     the interface (sr: whatever the route says)\n" \
	"      --timeout S    wait S seconds after the last send (default 2)\n" \
	"      --retry N      send unanswered probes again N times; a negative N:\n" \
	"                     until -N rounds in a row bring no new answer\n" \
	"      --inter S      S seconds between two probes\n" \
	"      --multi        keep collecting several answers per probe\n" \
	"      --no-check-ipaddr  answers need not come from the probed address nor\n" \
	"                     go to ours (Scapy's conf.checkIPaddr = False: DHCP)\n" \
	"  -F, --format FMT   json (probe, answer and rtt_ms), nsummary, or a format\n" \
	"                     for the answers (summary, show, hex, '%IP.src%' ...)\n" \
	"      --nsummary     numbered pairs, as Scapy's nsummary()\n" \
	"      --table X Y Z  Scapy's make_table: a column per distinct X, a row per\n" \
	"                     distinct Y, Z in the cells; three formats, X and Y read\n" \
	"                     on the probe, Z on the answer (prefix s: or r: to choose)\n" \
	"      --unanswered   also list the probes nothing answered\n" \
	"      --backend B    afpacket (default), xdp (the replies are steered to\n" \
	"                     gannet in XDP: the local stack never sees them, so it\n" \
	"                     sends no RST to a SYN-ACK), or auto (xdp where it\n" \
	"                     attaches, else afpacket)\n"

static const char craft_opts[] =
	"\n"
	"Options:\n"
	GEN_OPTS
	"      --separate       print a line \"#N\" before the packets of input line N\n"
	"                       (\"#N error\" when it could not be used)\n"
	EXPR_HELP;

static const char write_opts[] = GEN_OPTS EXPR_HELP;

static const char fmt_help[] =
	"Formats (-F): summary, show, json, hex, hexdump, command, or a Scapy\n"
	"format string holding '%' such as \"%IP.src% -> %IP.dst% {TCP:%TCP.flags%}\".\n";

struct gn_cli_help_text {
	const char *cmd;
	const char *head;
	const char *tail;
};

static const struct gn_cli_help_text helps[] = {
	{ "hex", "Usage: gannet hex [OPTIONS] EXPR|-\n"
		 "One line of lowercase hex per generated packet.\n", craft_opts },
	{ "show", "Usage: gannet show [--show2] [OPTIONS] EXPR|-\n"
		  "Every field of every layer of each generated packet (Scapy's show()).\n"
		  "  --show2   show the packet as built and dissected again, with lengths\n"
		  "            and checksums computed (Scapy's show2())\n", craft_opts },
	{ "summary", "Usage: gannet summary [--show2] [OPTIONS] EXPR|-\n"
		     "One summary line per generated packet (Scapy's summary()).\n", craft_opts },
	{ "hexdump", "Usage: gannet hexdump [OPTIONS] EXPR|-\n"
		     "The bytes of every generated packet in Scapy's hexdump() shape.\n", craft_opts },
	{ "json", "Usage: gannet json [--show2] [OPTIONS] EXPR|-\n"
		  "One JSON object per generated packet:\n"
		  "  {\"layers\":[{\"name\":\"IP\",\"fields\":{...}},...]}\n"
		  "  --show2   the packet as built and dissected again\n", craft_opts },
	{ "command", "Usage: gannet command [--show2] [OPTIONS] EXPR|-\n"
		     "For each generated packet, the expression that rebuilds it\n"
		     "(Scapy's command()).\n", craft_opts },
	{ "write", "Usage: gannet write -w FILE [--format pcap|pcap-ns|pcapng] [OPTIONS] EXPR|-\n"
		   "Write every generated packet into FILE ('-' = stdout).\n"
		   "  -w, --write FILE     the file to create\n"
		   "      --format FMT     pcap (microseconds), pcap-ns (nanoseconds) or\n"
		   "                       pcapng; default from the name (.pcapng or pcap)\n"
		   "      --linktype N     the file's link type (DLT number) instead of the\n"
		   "                       one the first layer of the first packet asks for\n",
		   write_opts },
	{ "read", "Usage: gannet read [-F FMT] [-c N] [FILTER] FILE\n"
		  "Print the packets of a pcap or pcapng FILE ('-' = stdin).\n"
		  "FILTER is tcpdump syntax; its words are joined by spaces.\n"
		  "  -F, --format FMT   how to print each packet (default summary)\n"
		  "  -c, --count N      stop after N packets\n"
		  "  -h, --help         this help\n", fmt_help },
	{ "dissect", "Usage: gannet dissect [-l LAYER] [-F FMT] HEX...|-\n"
		     "Dissect bytes given in hex (the words are one frame), or with '-' one\n"
		     "frame per line of stdin (blank and '#' lines skipped).  Blanks and ':'\n"
		     "between hex digits and a leading 0x are ignored.\n"
		     "  -l, --layer LAYER  the class of the first layer (default Ether)\n"
		     "  -F, --format FMT   how to print each packet (default show)\n"
		     "      --separate     print a line \"#N\" before the packet of input line N\n"
		     "                     (\"#N error\" when it is not hex)\n"
		     "  -h, --help         this help\n", fmt_help },
	{ "sniff", "Usage: gannet sniff [-i IF]... [-c N] [--timeout S] [-w FILE] [-F FMT]\n"
		   "                    [--promisc] [--no-store] [--backend afpacket|xdp|monitor]\n"
		   "                    [--xdp-mode native|generic|auto] [-Q QUEUE] [FILTER]\n"
		   "       gannet sniff -r FILE [-c N] [-w FILE] [-F FMT] [FILTER]\n"
		   "Capture on the interfaces (default: the one of the default route) and\n"
		   "print each packet as `read` does, until N packets, S seconds, Ctrl-C or\n"
		   "SIGTERM; then \"N packets captured, M dropped by kernel\" on stderr (and\n"
		   "with --backend xdp or monitor what the XDP program did with every frame).\n"
		   "FILTER is tcpdump syntax, run in the kernel before the ring.\n"
		   "  -i, --iface IF     capture on IF; repeat for several (each packet then\n"
		   "                     names its interface)\n"
		   "  -c, --count N      stop after N packets\n"
		   "      --timeout S    stop after S seconds\n"
		   "  -w, --write FILE   write the packets to FILE as they come (.pcapng:\n"
		   "                     pcapng, else pcap); nothing is printed unless -F\n"
		   "  -r, --read FILE    read a capture file instead of interfaces\n"
		   "  -F, --format FMT   how to print each packet (default summary)\n"
		   "      --promisc      put the interfaces in promiscuous mode\n"
		   "      --no-store     print nothing, only count (and -w)\n"
		   "      --backend B    afpacket (default: AF_PACKET rings, both directions)\n"
		   "                     or xdp: AF_XDP sockets fed by an XDP program; the\n"
		   "                     packets it takes (FILTER's, or all of them) never\n"
		   "                     reach the kernel's stack; received packets only\n"
		   "                     or monitor: an XDP program copies FILTER's packets\n"
		   "                     into a ring buffer and passes every one on\n"
		   "      --xdp-mode M   xdp, monitor: native (in the driver), generic, or\n"
		   "                     auto (native where the driver has it; the default)\n"
		   "  -Q, --queue Q      xdp: only receive queue Q (default: every queue)\n"
		   "  -h, --help         this help\n", fmt_help },
	{ "send", "Usage: gannet send [-i IF] [-c N | --loop] [--inter S | --rate PPS]\n"
		  "                   [--tx-mode mmsg|ring] [--qdisc-bypass] EXPR|-\n"
		  "Send every packet of EXPR at layer 3, as Scapy's send(): the route picks\n"
		  "the interface (unless -i) and the next hop; gannet puts Ether under the\n"
		  "packet and fills what is unset (IP/IPv6 src from the route, Ether from\n"
		  "the interface and the neighbour table, asking ARP/NDP when needed).  A\n"
		  "packet with no route or a silent next hop is reported and not sent.\n"
		  "The options are sendp's.\n"
		  "  -h, --help           this help\n", "" },
	{ "sendp", "Usage: gannet sendp [-i IF] [-c N | --loop] [--inter S | --rate PPS]\n"
		   "                    [--tx-mode mmsg|ring] [--qdisc-bypass] EXPR|-\n"
		   "Send every packet of EXPR out of IF (default: the interface of the\n"
		   "default route) as it is built, at layer 2, as Scapy's sendp(); then\n"
		   "\"Sent N packets.\"  An unset Ether src is IF's address, an unset Ether\n"
		   "dst the neighbour's (asked with ARP/NDP when unknown; broadcast, with a\n"
		   "warning, when it does not answer, as Scapy does).\n"
		   "  -i, --iface IF       the interface\n"
		   "  -c, --count N        send the whole set N times\n"
		   "      --loop           send it again and again until Ctrl-C\n"
		   "      --inter S        S seconds between packets\n"
		   "      --rate PPS       PPS packets per second\n"
		   "      --tx-mode MODE   mmsg (batched sendmmsg, the default) or ring\n"
		   "                       (PACKET_TX_RING)\n"
		   "      --qdisc-bypass   skip the interface's queueing discipline\n"
		   "      --backend B      afpacket (default) or xdp (the AF_XDP tx ring)\n"
		   "  -h, --help           this help\n", "" },
	{ "replay", "Usage: gannet replay -i IF [-x F | -p PPS | -t] [-l N] [-c N] [-q] [-j] FILE\n"
		    "Send the frames of a pcap or pcapng FILE ('-' = stdin) out of IF as they\n"
		    "are, as tcpreplay does: with the capture's own timing unless told\n"
		    "otherwise; then \"Sent N packets, B bytes in T s (R packets/s, M Mbit/s)\".\n"
		    "The file's link type must be IF's (Ethernet into Ethernet, raw IP into\n"
		    "a tun); frames longer than IF takes are skipped and counted.\n"
		    "  -i, --iface IF         the interface\n"
		    "  -x, --multiplier F     the capture's timing, F times faster\n"
		    "  -p, --pps PPS          PPS packets per second\n"
		    "  -t, --topspeed         as fast as possible\n"
		    "  -l, --loop N           send the file N times (0: until Ctrl-C)\n"
		    "  -c, --count N          stop after N packets\n"
		    "  -q, --quiet            no progress line, warnings or text report\n"
		    "  -j, --json             the report as one JSON object\n"
		    "  -h, --help             this help\n", "" },
	{ "sr", "Usage: gannet sr [-i IF] [--timeout S] [--retry N] [--inter S] [--multi]\n"
		"                 [--no-check-ipaddr] [-F FMT|--nsummary|--table X Y Z]\n"
		"                 [--unanswered] EXPR|-\n"
		"Send every packet of EXPR at layer 3 and pair each answer with the probe\n"
		"it answers (Scapy's sr(): hashret/answers per layer), then \"Received N\n"
		"packets, got M answers, remaining K packets\" and one \"PROBE ==> ANSWER\"\n"
		"line per pair.  The route to each destination picks the interface and the\n"
		"next hop; fields left unset are filled as Scapy fills them: IP/IPv6 src\n"
		"from the route, Ether src from the interface, Ether dst from the neighbour\n"
		"table, asking with ARP who-has or NDP solicitation (3 tries, 1 s apart)\n"
		"when it has no entry.  A probe whose next hop never answers, or with no\n"
		"route, is reported and not sent.\n"
		SR_OPTS
		"  -h, --help         this help\n", "" },
	{ "sr1", "Usage: gannet sr1 [-i IF] [--timeout S] [--retry N] [-F FMT] EXPR\n"
		 "Like sr, and show the first answer (Scapy's sr1()); exit status 1 when\n"
		 "nothing answered before the timeout.\n"
		 "  -h, --help         this help\n", "" },
	{ "srloop", "Usage: gannet srloop [-c N] [--inter S] [--timeout S] [-i IF] EXPR\n"
		    "Scapy's srloop(): send the packets of EXPR at layer 3 every S seconds\n"
		    "(default 1), N times or until Ctrl-C; each round prints \"RECV n:\" with\n"
		    "the answers and \"fail n:\" with the probes left unanswered, and the end\n"
		    "\"Sent N packets, received M packets. P% hits.\"  The timeout of a round\n"
		    "is min(2 S, 5) unless given.\n"
		    "  -c, --count N      N rounds\n"
		    "  -j, --json         one JSON object per answered pair instead\n"
		    "  -h, --help         this help\n", "" },
	{ "srp", "Usage: gannet srp [-i IF] [--timeout S] [--retry N] [--inter S] [--multi]\n"
		 "                  [--no-check-ipaddr] [-F FMT|--nsummary|--table X Y Z]\n"
		 "                  [--unanswered] EXPR|-\n"
		 "Like sr at layer 2 (Scapy's srp()): every packet leaves by IF (default:\n"
		 "the interface of the default route) as written; an unset Ether src is\n"
		 "IF's address and an unset Ether dst that of the neighbour the IP, IPv6 or\n"
		 "ARP destination is reached through (broadcast for ARP who-has).\n"
		 SR_OPTS
		 "  -h, --help         this help\n", "" },
	{ "srp1", "Usage: gannet srp1 [-i IF] [--timeout S] [--retry N] [--inter S] [-F FMT] EXPR\n"
		  "Like srp, and show the first answer (Scapy's srp1()); exit status 1 when\n"
		  "nothing answered before the timeout.\n"
		  "  -h, --help         this help\n", "" },
	{ "srploop", "Usage: gannet srploop [-c N] [--inter S] [--timeout S] [-i IF] EXPR\n"
		     "srloop at layer 2 (Scapy's srploop()).\n"
		     "  -h, --help         this help\n", "" },
	{ "lab", "Usage: gannet lab up|down|status|tour\n"
		 "       gannet lab exec NODE CMD...\n"
		 "       gannet lab ping NODE DST\n"
		 "The built-in lab: four network namespaces joined by veth pairs, so every\n"
		 "command can be tried with nothing else (as root).  h1 (10.99.1.1,\n"
		 "fd99:1::1) and h2 (.2, ::2) share LAN A 10.99.1.0/24, fd99:1::/64 through\n"
		 "the router r (br0 .254, ::fe); h3 (10.99.2.3, fd99:2::3) is on LAN B\n"
		 "10.99.2.0/24, fd99:2::/64 behind r.  h3 runs a TCP listener on port 80 and\n"
		 "a DNS server on port 53 that knows h1.lab, h2.lab, h3.lab and r.lab.\n"
		 "  up       build it (namespaces LAB-h1, LAB-h2, LAB-r, LAB-h3)\n"
		 "  down     remove it, services included\n"
		 "  status   its namespaces and addresses\n"
		 "  exec NODE CMD...   run CMD in NODE (h1, h2, h3, r)\n"
		 "  ping NODE DST      one echo from NODE to DST; status 0 if answered\n"
		 "  tour     a short tour of gannet through the lab (brought up and down\n"
		 "           around it unless it is up already)\n"
		 "The lab is named \"gannet\" unless GN_LAB says otherwise.\n", "" },
	{ "ifaces", "Usage: gannet ifaces [-j] [IF]...\n"
		    "The network interfaces (all, or those named) with index, name, state,\n"
		    "MTU, link type, MAC, flags and addresses, read over netlink.\n"
		    "  -j, --json    one JSON array, with iproute2's key names (ifindex, ifname,\n"
		    "                flags, mtu, operstate, link_type, address, addr_info)\n"
		    "  -h, --help    this help\n", "" },
	{ "route", "Usage: gannet route [-j] [-4|-6] [-t TABLE]\n"
		   "       gannet route [-j] [-4|-6] DST...\n"
		   "Without DST, the routes of a table (main unless -t: local, default, all or\n"
		   "a number) as `ip route` prints them.  With DST (an address or a host\n"
		   "name), the route a packet to it takes, decided as the kernel decides\n"
		   "`ip route get`: policy rules, longest prefix, lowest metric; the gateway\n"
		   "(via), the interface (dev) and the source address (src).\n"
		   "  -j, --json        JSON instead of text\n"
		   "  -4, -6            IPv4 or IPv6 only (for DST: how to resolve a name)\n"
		   "  -t, --table T     the table to list\n"
		   "  -h, --help        this help\n"
		   "Exit status 1 when a DST has no route (\"no route to 192.0.2.1\").\n", "" },
	{ "neigh", "Usage: gannet neigh [-j] [-a] [-4|-6]\n"
		   "The neighbour caches (ARP for IPv4, NDP for IPv6) as `ip neigh` prints them.\n"
		   "  -j, --json    JSON instead of text\n"
		   "  -a, --all     also the NOARP entries (multicast, loopback)\n"
		   "  -4, -6        one family only\n"
		   "  -h, --help    this help\n", "" },
	{ "traceroute", "Usage: gannet traceroute [--maxttl N] [--minttl N] [--timeout S] [--retry N]\n"
			"                         [--tcp|--udp|--icmp|--dns [--qname NAME]] [-p DPORT]\n"
			"                         [--graph FILE.dot|FILE.svg] [-j] [-4|-6] HOST...\n"
			"Scapy's traceroute(): probes for every TTL from --minttl to --maxttl\n"
			"(1 to 30) to every HOST (an address, ADDRESS/PREFIX or a name) leave at\n"
			"once, and the answers are laid out as Scapy's TracerouteResult.show()\n"
			"lays them out: a row per TTL, a column per target (\"10.0.0.1:tcp80\"), in\n"
			"each cell the address that answered and, for TCP, its flags (SA, RA:\n"
			"the target itself) or, for ICMP, its type (11: time exceeded on the way;\n"
			"3: unreachable, 0: echo reply at the end); \"-\" where nothing answered.\n"
			"IPv6 targets get IPv6(hlim=...) probes and TracerouteResult6's table.\n"
			"  --tcp              TCP SYN to DPORT (default 80), the default mode\n"
			"  --udp              UDP to DPORT (default 33434)\n"
			"  --icmp             ICMP (ICMPv6) echo requests\n"
			"  --dns              UDP to DPORT (default 53) carrying a DNS query for\n"
			"                     NAME (--qname, default www.test.com), as Scapy's\n"
			"                     traceroute(l4=UDP(sport=RandShort())/DNS(qd=...))\n"
			"  -p, --dport DPORT  the destination port\n"
			"      --minttl N, --maxttl N   the TTLs to probe (1 to 255)\n"
			"      --timeout S    wait S seconds after the last probe (default 2)\n"
			"      --retry N      send unanswered probes again N times (default 0)\n"
			"      --graph FILE   the routes as a graphviz graph: FILE.dot its text,\n"
			"                     FILE.svg drawn by graphviz's dot (must be installed)\n"
			"  -j, --json         one JSON object: per target its hops up to the end\n"
			"                     (address, rtt_ms, ICMP type/code or TCP flags)\n"
			"  -4, -6             how to look up host names (default IPv4)\n"
			"  -h, --help         this help\n"
			"Table on stdout; \"Received N packets, got M answers, remaining K\n"
			"packets\" on stderr.  Routers rate-limit their ICMP errors (Linux: about\n"
			"6 in a burst, then 1 a second per peer), so some cells may stay empty.\n",
	  "" },
	{ "scan", "Usage: gannet scan [-p PORTS] [--rate PPS] [--retry N] [--timeout S]\n"
		  "                   [-j | --table] [-a] [-4|-6] HOST...\n"
		  "TCP SYN scan: IP(dst=HOST)/TCP(flags=\"S\", dport=PORTS) from one random\n"
		  "source port, through layer-3 sr.  Each port of each HOST (an address,\n"
		  "ADDRESS/PREFIX or a name) is open (it answered SYN-ACK), closed (RST) or\n"
		  "filtered: no answer after the retries, or an ICMP unreachable, whose\n"
		  "type/code is given as the reason.  Per host: the open ports with their\n"
		  "service (/etc/services), the other ports too when a state has at most\n"
		  "25, and the counts.\n"
		  "  -p, --ports PORTS  as nmap takes them: 22,80,443  1-1024  60000-  -1024\n"
		  "                     and - for every port (default 1-1024)\n"
		  "      --rate PPS     at most PPS probes a second\n"
		  "      --retry N      send unanswered probes again N times (default 1)\n"
		  "      --timeout S    wait S seconds after the last probe of a round\n"
		  "                     (default 1)\n"
		  "  -a, --all          list every port\n"
		  "      --backend B    auto (default: xdp where it attaches, so the local\n"
		  "                     stack sees no SYN-ACK and sends no RST; else\n"
		  "                     afpacket, said on stderr), xdp or afpacket\n"
		  "  -j, --json         one JSON object: per host every port with its\n"
		  "                     state, service and reason, and the counts\n"
		  "      --table        Scapy's make_table of the answers instead: a column\n"
		  "                     per host, a row per port, the TCP flags or\n"
		  "                     \"SRC - ICMP type\" in the cells\n"
		  "  -4, -6             how to look up host names (default IPv4)\n"
		  "  -h, --help         this help\n"
		  "Then on stderr: hosts, ports, the time taken and the probes sent a second.\n",
	  "" },
	{ "arping", "Usage: gannet arping [-i IF] [--timeout S] [--retry N] [--force] [-j] NET...\n"
		    "Scapy's arping(): Ether(dst=\"ff:ff:ff:ff:ff:ff\")/ARP(pdst=NET) for every\n"
		    "address of each NET (an address, a network 10.0.0.0/24, or a host name)\n"
		    "out of IF, and a table of who answered: MAC, IP and round-trip time,\n"
		    "sorted by IP, then \"N hosts up\".  Every answer is kept, so when two\n"
		    "MACs answer for one address it says \"DUPLICATE: IP is at MAC1 and MAC2\".\n"
		    "  -i, --iface IF     the interface (default: the one with an address on\n"
		    "                     NET, else the one the route to NET leaves by)\n"
		    "      --timeout S    wait S seconds after the last request (default 2)\n"
		    "      --retry N      ask the silent addresses again N times (default 0)\n"
		    "      --force        probe more than 65536 addresses (a /16)\n"
		    "  -j, --json         one JSON object: iface, probed, hosts (ip, mac,\n"
		    "                     rtt_ms), duplicates (ip, macs), up, seconds\n"
		    "  -h, --help         this help\n"
		    "Exit status 0 when a host answered, 1 when none did or on a runtime error\n"
		    "(unknown interface, interface down), 2 on a usage error (bad network).\n",
	  "" },
	{ "ping", "Usage: gannet ping [-c N] [-i S] [-W S] [-s SIZE] [-4|-6]\n"
		  "                   [--tcp PORT | --udp PORT] [-j] HOST\n"
		  "iputils' ping on layer-3 sr: an ICMP (ICMPv6) echo request to HOST (an\n"
		  "address or a name) every S seconds, each answer printed as it comes\n"
		  "(\"64 bytes from ADDR: icmp_seq=1 ttl=64 time=0.123 ms\"), ICMP errors\n"
		  "from the path as \"From ROUTER icmp_seq=1 Destination Host Unreachable\",\n"
		  "and at the end iputils' statistics: transmitted, received, loss, time,\n"
		  "rtt min/avg/max/mdev.  Ctrl-C ends it with the statistics.\n"
		  "  -c, --count N      stop after N probes (default: until Ctrl-C)\n"
		  "  -i, --interval S   S seconds between probes (default 1)\n"
		  "  -W, --timeout S    wait at most S seconds for the last answer\n"
		  "                     (default 10; once answers came, at most twice the\n"
		  "                     slowest or one interval, whichever is longer)\n"
		  "  -s, --size SIZE    SIZE data bytes (default 56)\n"
		  "  -4, -6             IPv4 or IPv6 (how to look up a name)\n"
		  "      --tcp PORT     a TCP SYN to PORT: SYN-ACK or RST (flags shown) is\n"
		  "                     the answer\n"
		  "      --udp PORT     a UDP datagram to PORT, best a closed one: the ICMP\n"
		  "                     port unreachable (or a UDP reply) is the answer\n"
		  "  -j, --json         one JSON object per answer ({\"type\":\"reply\"} or\n"
		  "                     \"error\") and one with the statistics at the end\n"
		  "  -h, --help         this help\n"
		  "Exit status as iputils': 0 when an answer came, 1 when none did, 2 on an\n"
		  "error (bad option, unknown host, no route).\n",
	  "" },
	{ "dhcp-probe", "Usage: gannet dhcp-probe [-i IF] [--timeout S] [-j]\n"
			"Scapy's DHCP discover recipe, to find every DHCP server on a LAN (a\n"
			"rogue one too): Ether(dst=broadcast)/IP(src=\"0.0.0.0\",\n"
			"dst=\"255.255.255.255\")/UDP(sport=68,dport=67)/BOOTP(chaddr=IF's MAC,\n"
			"xid=random)/DHCP(options=[(\"message-type\",\"discover\"),...]) out of IF,\n"
			"and a line per server that offers: its MAC, server id, IP source, the\n"
			"offered address, lease time, subnet mask, router and DNS servers.\n"
			"Nothing is leased: no REQUEST follows.\n"
			"  -i, --iface IF     the interface (default: the default route's)\n"
			"      --timeout S    collect offers for S seconds (default 5: servers that\n"
			"                     ping an address before offering it take 3)\n"
			"  -j, --json         one JSON object: iface, xid, servers (mac,\n"
			"                     server_id, ip_src, offered, lease_time, subnet_mask,\n"
			"                     router, dns, rtt_ms)\n"
			"  -h, --help         this help\n"
			"Exit status 0 when a server offered, 1 when none did or on a runtime\n"
			"error, 2 on a usage error.\n",
	  "" },
	{ "arpmon", "Usage: gannet arpmon [-i IF]... [-f FILE] [-j] [-e] [--backend monitor|afpacket]\n"
		    "                     [--timeout S]\n"
		    "Scapy's ARP monitor, sniff(prn=arp_monitor_callback, filter=\"arp\"): a line\n"
		    "\"HWSRC PSRC\" for every ARP who-has and is-at seen on the interfaces\n"
		    "(default: the one of the IPv4 default route), and arpwatch's events, after\n"
		    "the time: \"new station IP MAC IF\", \"changed ethernet address IP NEW (OLD)\n"
		    "IF\", \"flip flop IP NEW (OLD) IF\" (back to the MAC before) and \"ethernet\n"
		    "mismatch IP MAC (ETHER-SRC) IF\".  ARP is filtered in XDP by the monitor\n"
		    "backend, which passes every frame on: the host keeps answering and\n"
		    "resolving; where XDP cannot attach, afpacket (said on stderr).  Runs until\n"
		    "Ctrl-C or SIGTERM, then the counts on stderr (not with -q).\n"
		    "  -i, --iface IF     watch IF; repeat for several\n"
		    "  -f, --file FILE    the stations (IP, MAC, last seen), read at start and\n"
		    "                     rewritten atomically as they change and at the end, so\n"
		    "                     a restart knows them\n"
		    "  -j, --json         one JSON object per line\n"
		    "  -e, --events       the events only, not every ARP packet\n"
		    "      --backend B    monitor or afpacket (default: monitor, else afpacket)\n"
		    "      --timeout S    stop after S seconds\n"
		    "  -h, --help         this help\n", "" },
	{ "ls", "Usage: gannet ls [PROTO]\n"
		"Without PROTO, every protocol gannet knows (name : long name); with\n"
		"PROTO, its fields with their kinds and defaults (Scapy's ls()).\n", "" },
};

void gn_cli_help(const char *cmd, FILE *f)
{
	if (cmd) {
		for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
			if (strcmp(helps[i].cmd, cmd))
				continue;
			fputs(helps[i].head, f);
			fputs(helps[i].tail, f);
			return;
		}
	}
	fputs(overview, f);
}

int gn_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	gn_out_flush();
	fputs("gannet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "\nTry 'gannet %s --help'.\n", cmd);
	else
		fputs("\nTry 'gannet --help'.\n", stderr);
	return GN_EXIT_USAGE;
}

/* getopt_long runs with a leading ':' in its optstring, so it prints
 * nothing itself and the message is worded here, the same for every
 * subcommand.  c is what getopt_long returned: '?' or ':'. */
int gn_cli_bad_option(const char *cmd, int c, int argc, char **argv)
{
	const char *arg = optind > 0 && optind - 1 < argc ? argv[optind - 1] : "?";

	if (c == ':')
		return gn_cli_usage_error(cmd, "%s: option '%s' needs a value", cmd, arg);
	if (optopt > 0 && optopt < 256 && arg[0] == '-' && arg[1] != '-')
		return gn_cli_usage_error(cmd, "%s: unknown option '-%c'", cmd, optopt);
	return gn_cli_usage_error(cmd, "%s: unknown option '%s'", cmd, arg);
}
