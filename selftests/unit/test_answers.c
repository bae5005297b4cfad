// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reply matching (sr): Ether, Dot1Q, ARP, IP, IPv6 and ICMPv6 hashret and
 * answers, and Scapy's conf.checkIPaddr = False (GN_MATCH_NO_IPADDR), on
 * pairs of packets for which Scapy 2.5's verdicts are recorded below, both
 * through the hooks and through gn_matcher.
 *
 * Each verdict is Scapy's on the same dissected bytes:
 *
 *     conf.checkIPaddr = not noaddr
 *     p = Ether(bytes(PROBE)); r = Ether(bytes(REPLY))
 *     answers = bool(r.answers(p)); same_hash = p.hashret() == r.hashret()
 *
 * selftests/diff/answers_scapy.py reads this table and derives every
 * verdict again from Scapy (and compares gannet's bytes with Scapy's for
 * each expression), so the table cannot drift from what Scapy says.
 *
 * Scapy's sr pairs a reply with a probe only when both hold (it looks the
 * probe up by hashret, then asks answers): so does gn_matcher.  A few pairs
 * answer without the same hash: Scapy never pairs those either (an echo to
 * a group answered from a unicast address needs checkIPaddr off).
 */
#include "protos.h"
#include "testlib.h"

#define E "Ether(src='02:00:00:00:00:01', dst='ff:ff:ff:ff:ff:ff')/"
#define R "Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')/"
#define WHO_HAS "ARP(op=1, hwsrc='02:00:00:00:00:01', psrc='10.0.0.1', pdst='10.0.0.2')"
#define IS_AT "ARP(hwsrc='02:00:00:00:00:02', "

/* IPv6: us (::1), the target (::2), another host (::3), a router (::fe) */
#define US_TGT "IPv6(src='2001:db8::1', dst='2001:db8::2')/"
#define TGT_US "IPv6(src='2001:db8::2', dst='2001:db8::1')/"
#define RTR_US "IPv6(src='2001:db8::fe', dst='2001:db8::1')/"
#define QUOTE "IPerror6(src='2001:db8::1', dst='2001:db8::2')/"
#define ECHO "ICMPv6EchoRequest(id=7, seq=1)"
#define SYN "TCP(sport=40000, dport=80, flags='S', seq=1000)"
#define UDP6 "UDP(sport=40000, dport=33434)/Raw(load='0123456789abcdef')"
#define UDPQ "UDPerror(sport=40000, dport=33434)/Raw(load='0123456789abcdef')"
/* a SYN's first 8 bytes (ports, seq) quoted, up to the last byte */
#define CUT_QUOTE "IPerror6(src='2001:db8::1', dst='2001:db8::2', nh=6, plen=20)/" \
	"Raw(load=b'\\x9c\\x40\\x00\\x50\\x00\\x00\\x03\\x"
#define SYN_MSS "TCP(sport=40000, dport=80, flags='S', seq=1000, options=[('MSS', 1460)])"

/* IPv4 and DHCP */
#define DISCOVER E "IP(src='0.0.0.0', dst='255.255.255.255')/UDP(sport=68, dport=67)/" \
	"BOOTP(chaddr=b'\\x02\\x00\\x00\\x00\\x00\\x01', xid=0x1234)/" \
	"DHCP(options=[('message-type', 'discover'), 'end'])"
#define OFFER R "IP(src='10.0.0.1', dst='10.0.0.50')/UDP(sport=67, dport=68)/" \
	"BOOTP(op=2, yiaddr='10.0.0.50', siaddr='10.0.0.1', chaddr=b'\\x02\\x00\\x00\\x00\\x00\\x01', "
#define OFFER_END "DHCP(options=[('message-type', 'offer'), ('server_id', '10.0.0.1'), 'end'])"
#define UDP4 E "IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=40000, dport=33434)"
#define UNREACH4 R "IP(src='10.0.0.254', dst='10.0.0.1')/ICMP(type=3, code=3)/"

static const struct pair {
	const char *probe, *reply;
	bool noaddr;              /* GN_MATCH_NO_IPADDR on both: checkIPaddr = False */
	bool answers, same_hash;  /* Scapy's verdicts */
} pairs[] = {
	/* BEGIN PAIRS (read by selftests/diff/answers_scapy.py) */
	/* ARP, Dot1Q, IPv4 */
	{ E WHO_HAS, R IS_AT "op=2, psrc='10.0.0.2', pdst='10.0.0.1')", false, true, true },
	{ E WHO_HAS, R IS_AT "op=2, psrc='10.0.0.3', pdst='10.0.0.1')", false, false, true },
	{ E WHO_HAS, R IS_AT "op=1, psrc='10.0.0.2', pdst='10.0.0.1')", false, false, true },
	{ E "Dot1Q(vlan=5)/" WHO_HAS,
	  R "Dot1Q(vlan=5)/" IS_AT "op=2, psrc='10.0.0.2', pdst='10.0.0.1')", false, true, true },
	{ E "Dot1Q(vlan=5)/" WHO_HAS,
	  R "Dot1Q(vlan=6)/" IS_AT "op=2, psrc='10.0.0.2', pdst='10.0.0.1')", false, false, true },
	{ E "IP(src='10.0.0.1', dst='10.0.0.2')/ICMP(id=7, seq=1)",
	  R "IP(src='10.0.0.2', dst='10.0.0.1')/ICMP(type=0, id=7, seq=1)", false, true, true },
	{ E "IP(src='10.0.0.1', dst='10.0.0.2')/ICMP(id=7, seq=1)",
	  R "IP(src='10.0.0.2', dst='10.0.0.1')/ICMP(type=0, id=8, seq=1)", false, false, false },
	{ E "IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=1234, dport=80, seq=100)",
	  R IS_AT "op=2, psrc='10.0.0.2', pdst='10.0.0.1')", false, false, false },

	/* ICMPv6 echo: the reply; another id; another source (IPv6 does not
	 * compare it, the hash does); another destination; other data; a
	 * request going the other way (_ICMPv6.answers) */
	{ E US_TGT ECHO, R TGT_US "ICMPv6EchoReply(id=7, seq=1)", false, true, true },
	{ E US_TGT ECHO, R TGT_US "ICMPv6EchoReply(id=8, seq=1)", false, false, false },
	{ E US_TGT ECHO, R "IPv6(src='2001:db8::3', dst='2001:db8::1')/ICMPv6EchoReply(id=7, seq=1)",
	  false, true, false },
	{ E US_TGT ECHO, R "IPv6(src='2001:db8::2', dst='2001:db8::3')/ICMPv6EchoReply(id=7, seq=1)",
	  false, false, false },
	{ E US_TGT "ICMPv6EchoRequest(id=7, seq=1, data='ping')",
	  R TGT_US "ICMPv6EchoReply(id=7, seq=1, data='pong')", false, false, true },
	{ E US_TGT ECHO, R TGT_US ECHO, false, false, true },
	/* an echo to all nodes, answered from a unicast address: answers, but
	 * the hashes differ (Scapy's sr misses it), unless checkIPaddr is off */
	{ E "IPv6(src='fe80::1', dst='ff02::1')/" ECHO,
	  R "IPv6(src='fe80::2', dst='fe80::1')/ICMPv6EchoReply(id=7, seq=1)", false, true, false },
	{ E "IPv6(src='fe80::1', dst='ff02::1')/" ECHO,
	  R "IPv6(src='fe80::2', dst='fe80::1')/ICMPv6EchoReply(id=7, seq=1)", true, true, true },
	{ E "IPv6(src='fe80::1', dst='ff02::1')/" ECHO,
	  R "IPv6(src='fe80::2', dst='fe80::9')/ICMPv6EchoReply(id=7, seq=1)", false, false, false },

	/* neighbor discovery: NS to the solicited-node group, NA back (the
	 * right target; another); RS to all routers, RA to all nodes, to us,
	 * to another group */
	{ E "IPv6(src='fe80::1', dst='ff02::1:ff00:2')/ICMPv6ND_NS(tgt='fe80::2')/"
	    "ICMPv6NDOptSrcLLAddr(lladdr='02:00:00:00:00:01')",
	  R "IPv6(src='fe80::2', dst='fe80::1')/ICMPv6ND_NA(tgt='fe80::2', R=0, S=1)/"
	    "ICMPv6NDOptDstLLAddr(lladdr='02:00:00:00:00:02')", false, true, true },
	{ E "IPv6(src='fe80::1', dst='ff02::1:ff00:2')/ICMPv6ND_NS(tgt='fe80::2')",
	  R "IPv6(src='fe80::2', dst='fe80::1')/ICMPv6ND_NA(tgt='fe80::3', R=0, S=1)",
	  false, false, false },
	{ E "IPv6(src='fe80::1', dst='ff02::2')/ICMPv6ND_RS()/"
	    "ICMPv6NDOptSrcLLAddr(lladdr='02:00:00:00:00:01')",
	  R "IPv6(src='fe80::fe', dst='ff02::1')/ICMPv6ND_RA()/"
	    "ICMPv6NDOptSrcLLAddr(lladdr='02:00:00:00:00:02')/"
	    "ICMPv6NDOptPrefixInfo(prefix='2001:db8::')", false, true, true },
	{ E "IPv6(src='fe80::1', dst='ff02::2')/ICMPv6ND_RS()",
	  R "IPv6(src='fe80::fe', dst='fe80::1')/ICMPv6ND_RA()", false, true, true },
	{ E "IPv6(src='fe80::1', dst='ff02::2')/ICMPv6ND_RS()",
	  R "IPv6(src='fe80::fe', dst='ff02::3')/ICMPv6ND_RA()", false, false, true },

	/* multicast listener discovery: a report to the group asked about */
	{ E "IPv6(src='fe80::1', dst='ff02::1', hlim=1)/ICMPv6MLQuery()",
	  R "IPv6(src='fe80::2', dst='ff02::1', hlim=1)/ICMPv6MLReport(mladdr='ff02::1')",
	  false, true, true },
	{ E "IPv6(src='fe80::1', dst='ff02::1', hlim=1)/ICMPv6MLQuery()",
	  R "IPv6(src='fe80::2', dst='ff02::1', hlim=1)/ICMPv6MLDone(mladdr='ff02::1')",
	  false, false, true },

	/* TCP SYN over IPv6: SYN-ACK, RST-ACK, a SYN-ACK with a wrong ack */
	{ E US_TGT SYN, R TGT_US "TCP(sport=80, dport=40000, flags='SA', seq=5000, ack=1001)",
	  false, true, true },
	{ E US_TGT SYN, R TGT_US "TCP(sport=80, dport=40000, flags='RA', seq=0, ack=1001)",
	  false, true, true },
	{ E US_TGT SYN, R TGT_US "TCP(sport=80, dport=40000, flags='SA', seq=5000, ack=2001)",
	  false, false, true },

	/* UDP over IPv6 and the port unreachable that quotes it; quoting
	 * another port; quoting a datagram to another destination */
	{ E US_TGT UDP6, R TGT_US "ICMPv6DestUnreach(code=4)/" QUOTE UDPQ, false, true, true },
	{ E US_TGT UDP6,
	  R TGT_US "ICMPv6DestUnreach(code=4)/" QUOTE
	    "UDPerror(sport=40000, dport=33435)/Raw(load='0123456789abcdef')", false, false, true },
	{ E US_TGT UDP6,
	  R TGT_US "ICMPv6DestUnreach(code=4)/IPerror6(src='2001:db8::1', dst='2001:db8::3')/" UDPQ,
	  false, false, false },
	/* a quote cut short after 4 bytes of payload: compared as far as it goes */
	{ E US_TGT UDP6,
	  R TGT_US "ICMPv6DestUnreach(code=4)/IPerror6(src='2001:db8::1', dst='2001:db8::2', plen=24)/"
	    "UDPerror(sport=40000, dport=33434, len=24, chksum=0x5637)/Raw(load='0123')",
	  false, true, true },
	/* the same cut quote with a wrong checksum */
	{ E US_TGT UDP6,
	  R TGT_US "ICMPv6DestUnreach(code=4)/IPerror6(src='2001:db8::1', dst='2001:db8::2', plen=24)/"
	    "UDPerror(sport=40000, dport=33434, len=24, chksum=0x5638)/Raw(load='0123')",
	  false, false, true },

	/* hop limit 1: time exceeded from a router (the reply's source is not
	 * the probe's destination: IPerror6 decides) */
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/" UDP6,
	  R RTR_US "ICMPv6TimeExceeded()/IPerror6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/" UDPQ,
	  false, true, true },
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/" ECHO,
	  R RTR_US "ICMPv6TimeExceeded()/IPerror6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/" ECHO,
	  false, true, true },
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/" ECHO,
	  R RTR_US "ICMPv6TimeExceeded()/IPerror6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/"
	    "ICMPv6EchoRequest(id=7, seq=2)", false, false, false },
	/* the error is not to us */
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/" UDP6,
	  R "IPv6(src='2001:db8::fe', dst='2001:db8::3')/ICMPv6TimeExceeded()/"
	    "IPerror6(src='2001:db8::1', dst='2001:db8::2', hlim=1)/" UDPQ, false, false, true },
	/* a TCP SYN whose MSS a middlebox clamped before the router quoted
	 * it (Scapy compares without options, checksum and data offset); the
	 * same with another sequence number; unclamped */
	{ E US_TGT SYN_MSS,
	  R RTR_US "ICMPv6TimeExceeded()/" QUOTE
	    "TCPerror(sport=40000, dport=80, flags='S', seq=1000, options=[('MSS', 1400)])",
	  false, true, true },
	{ E US_TGT SYN_MSS,
	  R RTR_US "ICMPv6TimeExceeded()/" QUOTE
	    "TCPerror(sport=40000, dport=80, flags='S', seq=1001, options=[('MSS', 1400)])",
	  false, false, true },
	{ E US_TGT SYN_MSS,
	  R RTR_US "ICMPv6PacketTooBig(mtu=1280)/" QUOTE
	    "TCPerror(sport=40000, dport=80, flags='S', seq=1000, options=[('MSS', 1460)])",
	  false, true, true },

	/* a quote cut after the ports and sequence number (Scapy compares the
	 * bytes read, not the fields at their defaults): of a SYN, of a SYN
	 * with an MSS option, and with another sequence number */
	{ E US_TGT SYN, R RTR_US "ICMPv6TimeExceeded()/" CUT_QUOTE "e8')", false, true, true },
	{ E US_TGT SYN_MSS, R RTR_US "ICMPv6TimeExceeded()/" CUT_QUOTE "e8')", false, true, true },
	{ E US_TGT SYN, R RTR_US "ICMPv6TimeExceeded()/" CUT_QUOTE "e9')", false, false, true },
	/* (the fields past the cut are not compared: a window other than
	 * their default 8192 still matches) */
	{ E US_TGT "TCP(sport=40000, dport=80, flags='S', seq=1000, window=1024)",
	  R RTR_US "ICMPv6TimeExceeded()/" CUT_QUOTE "e8')", false, true, true },
	/* a UDP quote cut after the ports: its length and checksum were not
	 * read and are not compared */
	{ E US_TGT UDP6,
	  R RTR_US "ICMPv6TimeExceeded()/IPerror6(src='2001:db8::1', dst='2001:db8::2', nh=17, "
	    "plen=24)/Raw(load=b'\\x9c\\x40\\x82\\x9a')", false, true, true },
	{ E US_TGT UDP6,
	  R RTR_US "ICMPv6TimeExceeded()/IPerror6(src='2001:db8::1', dst='2001:db8::2', nh=17, "
	    "plen=24)/Raw(load=b'\\x9c\\x40\\x82\\x9b')", false, false, true },

	/* extension headers in the probe: hop-by-hop (the reply's payload
	 * must answer the header itself), fragment, routing (the hash takes
	 * the route's xor), destination options (the payloads' payloads) */
	{ E US_TGT "IPv6ExtHdrHopByHop()/" UDP6,
	  R TGT_US "UDP(sport=33434, dport=40000)/Raw(load='x')", false, false, true },
	{ E US_TGT "IPv6ExtHdrHopByHop()/" UDP6,
	  R TGT_US "IPv6ExtHdrHopByHop()/UDP(sport=33434, dport=40000)/Raw(load='x')",
	  false, true, true },
	{ E US_TGT "IPv6ExtHdrFragment(id=5)/" UDP6,
	  R TGT_US "UDP(sport=33434, dport=40000)/Raw(load='x')", false, true, true },
	{ E US_TGT "IPv6ExtHdrFragment(id=5)/" UDP6,
	  R TGT_US "UDP(sport=33434, dport=40001)/Raw(load='x')", false, false, true },
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::fe')/IPv6ExtHdrRouting(addresses=['2001:db8::2'])/"
	    UDP6,
	  R TGT_US "UDP(sport=33434, dport=40000)/Raw(load='x')", false, true, false },
	{ E US_TGT "IPv6ExtHdrDestOpt()/" UDP6,
	  R TGT_US "UDP(sport=33434, dport=40000)/Raw(load='x')", false, true, false },
	{ E US_TGT "IPv6ExtHdrDestOpt()/" UDP6,
	  R TGT_US "ICMPv6EchoReply()", false, false, false },
	{ E US_TGT "IPv6ExtHdrDestOpt(options=[HAO(hoa='2001:db8::9')])/" UDP6,
	  R TGT_US "IPv6ExtHdrDestOpt()/UDP(sport=33434, dport=40000)/Raw(load='x')",
	  false, true, false },
	/* a home address option: the hash takes it for the source (a reply to
	 * the home address hashes alike, but answers a probe from there only) */
	{ E US_TGT "IPv6ExtHdrDestOpt(options=[HAO(hoa='2001:db8::9')])/" UDP6,
	  R "IPv6(src='2001:db8::2', dst='2001:db8::9')/UDP(sport=33434, dport=40000)/Raw(load='x')",
	  false, false, true },
	/* destination options in the reply only */
	{ E US_TGT UDP6,
	  R TGT_US "IPv6ExtHdrDestOpt()/UDP(sport=33434, dport=40000)/Raw(load='x')",
	  false, true, false },
	/* messages behind a destination options header answer by type and
	 * code (_ICMPv6.answers) */
	{ E US_TGT "IPv6ExtHdrDestOpt()/" ECHO, R TGT_US "IPv6ExtHdrDestOpt()/" ECHO,
	  false, true, true },
	{ E US_TGT "IPv6ExtHdrDestOpt()/" ECHO,
	  R TGT_US "IPv6ExtHdrDestOpt()/ICMPv6EchoRequest(id=7, seq=1, code=1)", false, false, true },
	/* a segment routing header (a routing header of type 4): no
	 * routing header to Scapy, so a quote's destination must be the probe's */
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::fe')/IPv6ExtHdrRouting(type=4, segleft=1, "
	    "reserved=0x01000000, addresses=['2001:db8::2', '2001:db8::fe'])/" UDP6,
	  R TGT_US "UDP(sport=33434, dport=40000)/Raw(load='x')", false, true, false },
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::fe')/IPv6ExtHdrRouting(type=4, segleft=1, "
	    "reserved=0x01000000, addresses=['2001:db8::2', '2001:db8::fe'])/" UDP6,
	  R RTR_US "ICMPv6DestUnreach()/" QUOTE "IPv6ExtHdrRouting(type=4, segleft=0, "
	    "reserved=0x01000000, addresses=['2001:db8::2', '2001:db8::fe'])/" UDPQ,
	  false, false, true },
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::fe')/IPv6ExtHdrRouting(type=4, segleft=1, "
	    "reserved=0x01000000, addresses=['2001:db8::2', '2001:db8::fe'])/" UDP6,
	  R RTR_US "ICMPv6DestUnreach()/IPerror6(src='2001:db8::1', dst='2001:db8::fe')/"
	    "IPv6ExtHdrRouting(type=4, segleft=1, reserved=0x01000000, "
	    "addresses=['2001:db8::2', '2001:db8::fe'])/" UDPQ, false, true, true },
	/* an error about a probe to a group is no answer (Scapy hands the
	 * reply's ICMPv6 error to the probe's UDP) */
	{ E "IPv6(src='fe80::1', dst='ff02::1:2')/UDP(sport=546, dport=547)/Raw(load='solicit')",
	  R "IPv6(src='fe80::5', dst='fe80::1')/ICMPv6DestUnreach(code=4)/"
	    "IPerror6(src='fe80::1', dst='ff02::1:2')/UDPerror(sport=546, dport=547)/"
	    "Raw(load='solicit')", false, false, true },
	/* the errors quoting them: the quote's headers are skipped */
	{ E US_TGT "IPv6ExtHdrHopByHop()/" UDP6,
	  R RTR_US "ICMPv6ParamProblem(code=2, ptr=42)/" QUOTE "IPv6ExtHdrHopByHop()/" UDPQ,
	  false, true, true },
	{ E US_TGT "IPv6ExtHdrFragment(id=5)/" UDP6,
	  R RTR_US "ICMPv6TimeExceeded()/" QUOTE "IPv6ExtHdrFragment(id=5)/" UDPQ,
	  false, true, true },
	{ E "IPv6(src='2001:db8::1', dst='2001:db8::fe')/IPv6ExtHdrRouting(addresses=['2001:db8::2'])/"
	    UDP6,
	  R RTR_US "ICMPv6DestUnreach()/IPerror6(src='2001:db8::1', dst='2001:db8::2')/"
	    "IPv6ExtHdrRouting(addresses=['2001:db8::2'], segleft=0)/" UDPQ, false, true, true },

	/* checkIPaddr off: the DHCP discover from 0.0.0.0 to the broadcast
	 * and the server's offer to the offered address; the offer for
	 * another transaction; ICMP errors quoting another destination and
	 * the probe itself (IPerror's own checks stay) */
	{ DISCOVER, OFFER "xid=0x1234)/" OFFER_END, false, false, false },
	{ DISCOVER, OFFER "xid=0x1234)/" OFFER_END, true, true, true },
	{ DISCOVER, OFFER "xid=0x1235)/" OFFER_END, true, false, false },
	{ UDP4, UNREACH4 "IPerror(src='10.0.0.1', dst='10.0.0.9')/UDPerror(sport=40000, dport=33434)",
	  true, false, true },
	{ UDP4, UNREACH4 "IPerror(src='10.0.0.1', dst='10.0.0.2')/UDPerror(sport=40000, dport=33434)",
	  true, true, true },
	{ UDP4, UNREACH4 "IPerror(src='10.0.0.1', dst='10.0.0.2')/UDPerror(sport=40000, dport=33434)",
	  false, true, true },
	/* the IPv6 counterpart: a DHCPv6-style solicit from :: to
	 * all_DHCP_Relay_Agents_and_Servers, a reply to another address */
	{ E "IPv6(src='::', dst='ff02::1:2')/UDP(sport=546, dport=547)/Raw(load='solicit')",
	  R "IPv6(src='fe80::5', dst='fe80::99')/UDP(sport=547, dport=546)/Raw(load='advertise')",
	  false, false, false },
	{ E "IPv6(src='::', dst='ff02::1:2')/UDP(sport=546, dport=547)/Raw(load='solicit')",
	  R "IPv6(src='fe80::5', dst='fe80::99')/UDP(sport=547, dport=546)/Raw(load='advertise')",
	  true, true, true },
	{ E "IPv6(src='::', dst='ff02::1:2')/UDP(sport=546, dport=547)/Raw(load='solicit')",
	  R "IPv6(src='fe80::5', dst='fe80::99')/UDP(sport=547, dport=999)/Raw(load='advertise')",
	  true, false, true },
	{ E US_TGT UDP6,
	  R RTR_US "ICMPv6DestUnreach()/IPerror6(src='2001:db8::1', dst='2001:db8::3')/" UDPQ,
	  true, false, true },
	{ E US_TGT UDP6, R RTR_US "ICMPv6DestUnreach()/" QUOTE UDPQ, true, true, true },
	/* END PAIRS */
};

#define NPAIRS (sizeof(pairs) / sizeof(pairs[0]))

static void record_id(size_t id, void *ctx)
{
	*(size_t *)ctx = id;
}

/* Probe and reply as they come off the wire (built, then dissected), with
 * the flags sr would give them. */
static void wire_pair(const struct pair *c, struct gn_packet **probe, struct gn_packet **reply)
{
	*probe = wire(c->probe);
	*reply = wire(c->reply);
	if (c->noaddr) {
		(*probe)->match_flags |= GN_MATCH_NO_IPADDR;
		(*reply)->match_flags |= GN_MATCH_NO_IPADDR;
	}
}

static void test_pairs(void **state)
{
	(void)state;
	for (size_t i = 0; i < NPAIRS; i++) {
		struct gn_packet *probe, *reply;
		bool ans, same;

		wire_pair(&pairs[i], &probe, &reply);
		ans = gn_packet_answers(reply, probe);
		same = gn_packet_hashret(reply) == gn_packet_hashret(probe);
		if (ans != pairs[i].answers || same != pairs[i].same_hash)
			fail_msg("pair %zu\n  probe %s\n  reply %s\n  answers %d hash %d, Scapy %d %d",
				 i, pairs[i].probe, pairs[i].reply, ans, same, pairs[i].answers,
				 pairs[i].same_hash);
		gn_packet_free(probe);
		gn_packet_free(reply);
	}
}

/* Through the matcher, as sr pairs them: each probe among the others (the
 * decoys are every other pair's probe), found by its reply exactly when
 * Scapy's sr would find it. */
static void test_matcher(void **state)
{
	struct gn_packet *probes[NPAIRS], *replies[NPAIRS];
	size_t hits = 0;

	(void)state;
	for (size_t i = 0; i < NPAIRS; i++)
		wire_pair(&pairs[i], &probes[i], &replies[i]);
	for (size_t i = 0; i < NPAIRS; i++) {
		bool want = pairs[i].answers && pairs[i].same_hash;
		struct gn_matcher *m;
		size_t got = (size_t)-1, n;

		assert_int_equal(gn_matcher_new(false, &m), 0);
		assert_int_equal(gn_matcher_add(m, probes[i], i), 0);
		n = gn_matcher_match(m, replies[i], record_id, &got);
		if (n != (want ? 1u : 0u) || (want && got != i))
			fail_msg("pair %zu alone: %zu matches, want %d", i, n, want);
		gn_matcher_free(m);

		/* among all the probes: this one, or another that the reply
		 * also answers (Scapy would take the oldest too) */
		assert_int_equal(gn_matcher_new(true, &m), 0);
		for (size_t k = 0; k < NPAIRS; k++)
			assert_int_equal(gn_matcher_add(m, probes[k], k), 0);
		n = gn_matcher_match(m, replies[i], NULL, NULL);
		if (want)
			assert_true(n >= 1);
		for (size_t k = 0; k < NPAIRS; k++)
			n -= gn_packet_answers(replies[i], probes[k]) &&
			     gn_packet_hashret(replies[i]) == gn_packet_hashret(probes[k]);
		assert_int_equal(n, 0);
		hits += want;
		gn_matcher_free(m);
	}
	print_message("%zu pairs, %zu matched\n", NPAIRS, hits);
	for (size_t i = 0; i < NPAIRS; i++) {
		gn_packet_free(probes[i]);
		gn_packet_free(replies[i]);
	}
}

/* A traceroute6 round: UDP probes to successive ports at hop limits 1..8,
 * answered by time-exceeded errors from the routers on the way and a port
 * unreachable from the target, each quoting its probe; every reply must
 * find exactly its own probe among all of them. */
static void test_traceroute6(void **state)
{
	enum { N = 64 };
	struct gn_packet *probes[N], *replies[N];
	struct gn_matcher *m;
	char probe[512], reply[1024];

	(void)state;
	assert_int_equal(gn_matcher_new(false, &m), 0);
	for (unsigned i = 0; i < N; i++) {
		unsigned hlim = 1 + i % 8, dport = 33434 + i;

		snprintf(probe, sizeof(probe),
			 E "IPv6(src='2001:db8::1', dst='2001:db8:9::9', hlim=%u)/"
			 "UDP(sport=40000, dport=%u)/Raw(load='traceroute6')", hlim, dport);
		if (hlim < 8)
			snprintf(reply, sizeof(reply),
				 R "IPv6(src='2001:db8:%u::fe', dst='2001:db8::1')/ICMPv6TimeExceeded()/"
				 "IPerror6(src='2001:db8::1', dst='2001:db8:9::9', hlim=1)/"
				 "UDPerror(sport=40000, dport=%u)/Raw(load='traceroute6')", hlim, dport);
		else
			snprintf(reply, sizeof(reply),
				 R "IPv6(src='2001:db8:9::9', dst='2001:db8::1')/ICMPv6DestUnreach(code=4)/"
				 "IPerror6(src='2001:db8::1', dst='2001:db8:9::9', hlim=1)/"
				 "UDPerror(sport=40000, dport=%u)/Raw(load='traceroute6')", dport);
		probes[i] = wire(probe);
		replies[i] = wire(reply);
		assert_int_equal(gn_matcher_add(m, probes[i], i), 0);
	}
	for (unsigned i = N; i-- > 0;) {
		size_t got = (size_t)-1;

		assert_int_equal(gn_matcher_match(m, replies[i], record_id, &got), 1);
		assert_int_equal(got, i);
	}
	assert_int_equal(gn_matcher_pending(m), 0);
	gn_matcher_free(m);
	for (unsigned i = 0; i < N; i++) {
		gn_packet_free(probes[i]);
		gn_packet_free(replies[i]);
	}
}

/* Damaged and cut replies (random bytes past the Ethernet header, with a
 * fixed seed) against every probe and the other way round: whatever the
 * dissector made of them, matching reads nothing it should not (ASan). */
static void test_hostile(void **state)
{
	struct gn_packet *probes[NPAIRS];
	uint32_t seed = 12345;

	(void)state;
	for (size_t i = 0; i < NPAIRS; i++)
		probes[i] = wire(pairs[i].probe);
	for (size_t i = 0; i < NPAIRS; i++) {
		struct gn_packet *t = parse_ok(pairs[i].reply);
		uint8_t buf[2048];
		size_t len;

		assert_int_equal(gn_build_into(t, buf, sizeof(buf), &len), 0);
		gn_packet_free(t);
		for (int round = 0; round < 40 && len > 15; round++) {
			uint8_t work[2048], *copy;
			struct gn_packet *r = gn_packet_new();
			size_t n = len;

			memcpy(work, buf, len);
			damage(work, 14, len, &seed);
			if (round % 2)
				n = 14 + (seed >> 4) % (len - 14);
			copy = malloc(n);
			assert_non_null(copy);
			memcpy(copy, work, n);
			assert_int_equal(gn_dissect(r, gn_proto_find("Ether"), copy, n), 0);
			r->match_flags = pairs[i].noaddr ? GN_MATCH_NO_IPADDR : 0;
			(void)gn_packet_hashret(r);
			for (size_t k = 0; k < NPAIRS; k++) {
				(void)gn_packet_answers(r, probes[k]);
				(void)gn_packet_answers(probes[k], r);
			}
			gn_packet_free(r);
			free(copy);
		}
	}
	for (size_t i = 0; i < NPAIRS; i++)
		gn_packet_free(probes[i]);
}

/* proto/ipv6_match.c reads fields by their position in proto/ipv6.c's and
 * proto/icmpv6.c's tables: these are the positions it assumes. */
static void test_field_positions(void **state)
{
	static const struct {
		const char *proto, *field;
		int index;
	} pos[] = {
		{ "IPv6", "nh", 4 }, { "IPv6", "src", 6 }, { "IPv6", "dst", 7 },
		{ "IPerror6", "nh", 4 }, { "IPerror6", "src", 6 }, { "IPerror6", "dst", 7 },
		{ "IPv6ExtHdrHopByHop", "nh", 0 }, { "IPv6ExtHdrFragment", "nh", 0 },
		{ "IPv6ExtHdrRouting", "nh", 0 }, { "IPv6ExtHdrRouting", "type", 2 },
		{ "IPv6ExtHdrRouting", "addresses", 5 },
		{ "IPv6ExtHdrDestOpt", "nh", 0 }, { "IPv6ExtHdrDestOpt", "options", 3 },
		{ "HAO", "hoa", 2 },
		{ "ICMPv6DestUnreach", "type", 0 }, { "ICMPv6DestUnreach", "code", 1 },
		{ "ICMPv6TimeExceeded", "type", 0 }, { "ICMPv6EchoRequest", "code", 1 },
		{ "ICMPv6ND_RS", "type", 0 }, { "ICMPv6MLQuery2", "code", 1 },
		{ "ICMPv6Unknown", "type", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pos) / sizeof(pos[0]); i++) {
		const struct gn_proto *p = gn_proto_find(pos[i].proto);

		assert_non_null(p);
		assert_int_equal(gn_proto_field_index(p, pos[i].field), pos[i].index);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_positions),
		cmocka_unit_test(test_pairs),
		cmocka_unit_test(test_matcher),
		cmocka_unit_test(test_traceroute6),
		cmocka_unit_test(test_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
