// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * IPv6, its extension headers and options, ICMPv6 and Neighbor Discovery
 * (proto/ipv6.c, proto/icmpv6.c) against the bytes and summaries Scapy 2.5
 * gives for the same expressions: build, dissect, summary, the command()
 * round trip, field texts, and dissection of every truncation and of
 * corrupted bytes, which must never crash or read out of bounds.
 */
#include "testlib.h"

struct row {
	const char *expr;
	const char *hex;      /* Scapy's raw(p).hex() */
	const char *layers;   /* the classes of Scapy's dissection of those bytes */
	const char *summary;  /* and its summary() */
};

/* From Scapy 2.5.0: p = eval(expr); raw(p).hex(); q = p.__class__(raw(p)) */
static const struct row rows[] = {
	{ "IPv6()",
	  "6000000000003b4000000000000000000000000000000001000000000000000000000000"
	  "00000001",
	  "IPv6",
	  "::1 > ::1 (59)" },
	{ "IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\", tc=0xb8, fl=0x12345, hlim=1)"
	  "/Raw(load=b\"abc\")",
	  "6b81234500033b0120010db800000000000000000000000120010db80000000000000000"
	  "00000002616263",
	  "IPv6 / Raw",
	  "2001:db8::1 > 2001:db8::2 (59) / Raw" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/ICMPv6EchoRequest(id=0x1234, seq=1, data=b\"abcdefgh\")",
	  "66778899aabb00112233445586dd6000000000103a4020010db800000000000000000000"
	  "000120010db800000000000000000000000280008075123400016162636465666768",
	  "Ether / IPv6 / ICMPv6EchoRequest",
	  "Ether / IPv6 / ICMPv6 Echo Request (id: 0x1234 seq: 0x1)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::2\", dst=\"2001:db8::1\")"
	  "/ICMPv6EchoReply(id=0x1234, seq=1, cksum=0xdead)",
	  "66778899aabb00112233445586dd6000000000083a4020010db800000000000000000000"
	  "000220010db80000000000000000000000018100dead12340001",
	  "Ether / IPv6 / ICMPv6EchoReply",
	  "Ether / IPv6 / ICMPv6 Echo Reply (id: 0x1234 seq: 0x1)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")/UDP(sport=1234, dport=4321)"
	  "/Raw(load=b\"query\")",
	  "66778899aabb00112233445586dd60000000000d114020010db800000000000000000000"
	  "000120010db800000000000000000000000204d210e1000d3ec47175657279",
	  "Ether / IPv6 / UDP / Raw",
	  "Ether / IPv6 / UDP 2001:db8::1:1234 > 2001:db8::2:4321 / Raw" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::ff\", dst=\"2001:db8::1\")/ICMPv6DestUnreach(code=4)"
	  "/IPerror6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/UDPerror(sport=1234, dport=53)",
	  "66778899aabb00112233445586dd6000000000383a4020010db800000000000000000000"
	  "00ff20010db8000000000000000000000001010430e80000000060000000000811402001"
	  "0db800000000000000000000000120010db800000000000000000000000204d200350008"
	  "9f62",
	  "Ether / IPv6 / ICMPv6DestUnreach / IPerror6 / UDPerror",
	  "Ether / 2001:db8::ff > 2001:db8::1 (58) / ICMPv6DestUnreach / IPerror6 / UDPerror" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::ff\", dst=\"2001:db8::1\")/ICMPv6PacketTooBig(mtu=1280)"
	  "/IPerror6(src=\"2001:db8::1\", dst=\"2001:db8::2\")/ICMPv6EchoRequest(id=1)",
	  "66778899aabb00112233445586dd6000000000383a4020010db800000000000000000000"
	  "00ff20010db800000000000000000000000102000215000005006000000000083a402001"
	  "0db800000000000000000000000120010db8000000000000000000000002800024470001"
	  "0000",
	  "Ether / IPv6 / ICMPv6PacketTooBig / IPerror6 / ICMPv6EchoRequest",
	  "Ether / IPv6 / ICMPv6PacketTooBig / IPerror6 / ICMPv6 Echo Request (id: 0x1 "
	  "seq: 0x0)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::ff\", dst=\"2001:db8::1\")/ICMPv6TimeExceeded(code=1)"
	  "/IPerror6(src=\"2001:db8::1\", dst=\"2001:db8::2\", hlim=1)"
	  "/IPv6ExtHdrFragment(m=1, id=7)/Raw(load=b\"12345678\")",
	  "66778899aabb00112233445586dd6000000000403a4020010db800000000000000000000"
	  "00ff20010db80000000000000000000000010301acae000000006000000000102c012001"
	  "0db800000000000000000000000120010db80000000000000000000000023b0000010000"
	  "00073132333435363738",
	  "Ether / IPv6 / ICMPv6TimeExceeded / IPerror6 / IPv6ExtHdrFragment / Raw",
	  "Ether / 2001:db8::ff > 2001:db8::1 (58) / ICMPv6TimeExceeded / IPerror6 / "
	  "IPv6ExtHdrFragment / Raw" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::ff\", dst=\"2001:db8::1\")"
	  "/ICMPv6ParamProblem(code=1, ptr=40)"
	  "/IPerror6(src=\"2001:db8::1\", dst=\"2001:db8::2\", nh=253)",
	  "66778899aabb00112233445586dd6000000000303a4020010db800000000000000000000"
	  "00ff20010db80000000000000000000000010401e64300000028600000000000fd402001"
	  "0db800000000000000000000000120010db8000000000000000000000002",
	  "Ether / IPv6 / ICMPv6ParamProblem / IPerror6",
	  "Ether / 2001:db8::ff > 2001:db8::1 (58) / ICMPv6ParamProblem / IPerror6" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"ff02::2\")/ICMPv6ND_RS()"
	  "/ICMPv6NDOptSrcLLAddr(lladdr=\"00:11:22:33:44:55\")",
	  "66778899aabb00112233445586dd6000000000103afffe80000000000000000000000000"
	  "0001ff02000000000000000000000000000285001594000000000101001122334455",
	  "Ether / IPv6 / ICMPv6ND_RS / ICMPv6NDOptSrcLLAddr",
	  "Ether / IPv6 / ICMPv6ND_RS / ICMPv6 Neighbor Discovery Option - Source "
	  "Link-Layer Address 00:11:22:33:44:55" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"ff02::1\")"
	  "/ICMPv6ND_RA(chlim=64, M=1, prf=3, routerlifetime=9000)"
	  "/ICMPv6NDOptPrefixInfo(prefix=\"2001:db8::\")/ICMPv6NDOptMTU(mtu=1500)"
	  "/ICMPv6NDOptRDNSS(dns=[\"2001:db8::53\", \"2001:db8::54\"])",
	  "66778899aabb00112233445586dd6000000000603afffe80000000000000000000000000"
	  "0001ff020000000000000000000000000001860026a64098232800000000000000000304"
	  "40c0ffffffffffffffff0000000020010db8000000000000000000000000050100000000"
	  "05dc19050000ffffffff20010db800000000000000000000005320010db8000000000000"
	  "000000000054",
	  "Ether / IPv6 / ICMPv6ND_RA / ICMPv6NDOptPrefixInfo / ICMPv6NDOptMTU / "
	  "ICMPv6NDOptRDNSS",
	  "Ether / IPv6 / ICMPv6ND_RA / ICMPv6NDOptPrefixInfo / ICMPv6NDOptMTU / ICMPv6 "
	  "Neighbor Discovery Option - Recursive DNS Server Option 2001:db8::53, 2001:db8::54" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"ff02::1:ff00:2\")/ICMPv6ND_NS(tgt=\"2001:db8::2\")"
	  "/ICMPv6NDOptSrcLLAddr(lladdr=\"00:11:22:33:44:55\")",
	  "66778899aabb00112233445586dd6000000000203afffe80000000000000000000000000"
	  "0001ff0200000000000000000001ff0000028700e6c60000000020010db8000000000000"
	  "0000000000020101001122334455",
	  "Ether / IPv6 / ICMPv6ND_NS / ICMPv6NDOptSrcLLAddr",
	  "Ether / IPv6 / ICMPv6ND_NS / ICMPv6 Neighbor Discovery Option - Source "
	  "Link-Layer Address 00:11:22:33:44:55" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::2\", dst=\"fe80::1\")"
	  "/ICMPv6ND_NA(R=0, S=1, tgt=\"2001:db8::2\")"
	  "/ICMPv6NDOptDstLLAddr(lladdr=\"66:77:88:99:aa:bb\")",
	  "66778899aabb00112233445586dd6000000000203afffe80000000000000000000000000"
	  "0002fe800000000000000000000000000001880051176000000020010db8000000000000"
	  "000000000002020166778899aabb",
	  "Ether / IPv6 / ICMPv6ND_NA / ICMPv6NDOptDstLLAddr",
	  "Ether / IPv6 / ICMPv6ND_NA / ICMPv6 Neighbor Discovery Option - Destination "
	  "Link-Layer Address 66:77:88:99:aa:bb" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"fe80::2\")"
	  "/ICMPv6ND_Redirect(tgt=\"fe80::3\", dst=\"2001:db8::99\")"
	  "/ICMPv6NDOptUnknown(type=200, data=b\"abcdef\")",
	  "66778899aabb00112233445586dd6000000000303afffe80000000000000000000000000"
	  "0001fe80000000000000000000000000000289005a8400000000fe800000000000000000"
	  "00000000000320010db8000000000000000000000099c808616263646566",
	  "Ether / IPv6 / ICMPv6ND_Redirect / Raw",
	  "Ether / fe80::1 > fe80::2 (58) / ICMPv6ND_Redirect / Raw" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")/IPv6ExtHdrHopByHop()"
	  "/ICMPv6EchoRequest()",
	  "66778899aabb00112233445586dd600000000010004020010db800000000000000000000"
	  "000120010db80000000000000000000000023a000104000000008000244800000000",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / ICMPv6EchoRequest",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / ICMPv6 Echo Request (id: 0x0 seq: 0x0)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])"
	  "/IPv6ExtHdrDestOpt(options=[HAO(hoa=\"2001:db8::99\")])/ICMPv6EchoRequest()",
	  "66778899aabb00112233445586dd600000000028004020010db800000000000000000000"
	  "000120010db80000000000000000000000023c000502000001003a0201020000c9102001"
	  "0db8000000000000000000000099800023b000000000",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / IPv6ExtHdrDestOpt / ICMPv6EchoRequest",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / IPv6ExtHdrDestOpt / ICMPv6 Echo Request "
	  "(id: 0x0 seq: 0x0)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IPv6ExtHdrHopByHop(options=[Pad1(), Jumbo(jumboplen=70000), "
	  "HBHOptUnknown(otype=0x3e, optdata=b\"abc\")])"
	  "/Raw(load=b\"x\")",
	  "66778899aabb00112233445586dd600000000019004020010db800000000000000000000"
	  "000120010db80000000000000000000000023b0200010100c204000111703e0361626301"
	  "05000000000078",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / Raw",
	  "Ether / 2001:db8::1 > 2001:db8::2 (0) / IPv6ExtHdrHopByHop / Raw" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IPv6ExtHdrHopByHop(autopad=0, options=[PadN(optdata=b\"\\x00\" * 4)])"
	  "/ICMPv6EchoRequest()",
	  "66778899aabb00112233445586dd600000000010004020010db800000000000000000000"
	  "000120010db80000000000000000000000023a000104000000008000244800000000",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / ICMPv6EchoRequest",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / ICMPv6 Echo Request (id: 0x0 seq: 0x0)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IPv6ExtHdrRouting(addresses=[\"2001:db8::10\", \"2001:db8::11\"], segleft=2)"
	  "/ICMPv6EchoRequest()",
	  "66778899aabb00112233445586dd6000000000302b4020010db800000000000000000000"
	  "000120010db80000000000000000000000023a0400020000000020010db8000000000000"
	  "00000000001020010db80000000000000000000000118000243900000000",
	  "Ether / IPv6 / IPv6ExtHdrRouting / ICMPv6EchoRequest",
	  "Ether / IPv6 / IPv6ExtHdrRouting / ICMPv6 Echo Request (id: 0x0 seq: 0x0)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IPv6ExtHdrFragment(offset=0, m=1, id=0x12345678)"
	  "/ICMPv6EchoRequest(data=b\"abcdefgh\")",
	  "66778899aabb00112233445586dd6000000000182c4020010db800000000000000000000"
	  "000120010db80000000000000000000000023a00000112345678800092aa000000006162"
	  "636465666768",
	  "Ether / IPv6 / IPv6ExtHdrFragment / ICMPv6EchoRequest",
	  "Ether / IPv6 / IPv6ExtHdrFragment / ICMPv6 Echo Request (id: 0x0 seq: 0x0)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IPv6ExtHdrFragment(nh=58, offset=100, id=0x12345678)/Raw(load=b\"zzzzzzzz\")",
	  "66778899aabb00112233445586dd6000000000102c4020010db800000000000000000000"
	  "000120010db80000000000000000000000023a000320123456787a7a7a7a7a7a7a7a",
	  "Ether / IPv6 / IPv6ExtHdrFragment / Raw",
	  "Ether / 2001:db8::1 > 2001:db8::2 (44) / IPv6ExtHdrFragment / Raw" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IPv6(src=\"2001:db8::10\", dst=\"2001:db8::20\")/ICMPv6EchoRequest()",
	  "66778899aabb00112233445586dd600000000030294020010db800000000000000000000"
	  "000120010db80000000000000000000000026000000000083a4020010db8000000000000"
	  "00000000001020010db80000000000000000000000208000241b00000000",
	  "Ether / IPv6 / IPv6 / ICMPv6EchoRequest",
	  "Ether / IPv6 / IPv6 / ICMPv6 Echo Request (id: 0x0 seq: 0x0)" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\")"
	  "/IP(src=\"10.0.0.1\", dst=\"10.0.0.2\")/ICMP()",
	  "66778899aabb00112233445586dd60000000001c044020010db800000000000000000000"
	  "000120010db80000000000000000000000024500001c00010000400166de0a0000010a00"
	  "00020800f7ff00000000",
	  "Ether / IPv6 / IP / ICMP",
	  "Ether / IPv6 / IP / ICMP 10.0.0.1 > 10.0.0.2 echo-request 0" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"2001:db8::1\", dst=\"2001:db8::2\", plen=4)"
	  "/Raw(load=b\"\\x01\\x02\\x03\\x04\\x05\\x06\")",
	  "66778899aabb00112233445586dd6000000000043b4020010db800000000000000000000"
	  "000120010db8000000000000000000000002010203040506",
	  "Ether / IPv6 / Raw / Padding",
	  "Ether / 2001:db8::1 > 2001:db8::2 (59) / Raw / Padding" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"ff02::16\")"
	  "/IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])"
	  "/ICMPv6MLReport2(records=[ICMPv6MLDMultAddrRec(dst=\"ff02::fb\"), "
	  "ICMPv6MLDMultAddrRec(rtype=1, dst=\"ff05::2\", sources=[\"2001:db8::1\"], "
	  "auxdata=b\"abcd\")])",
	  "66778899aabb00112233445586dd60000000004c0040fe80000000000000000000000000"
	  "0001ff0200000000000000000000000000163a000502000001008f007c58000000020400"
	  "0000ff0200000000000000000000000000fb01040001ff05000000000000000000000000"
	  "000220010db800000000000000000000000161626364",
	  "Ether / IPv6 / IPv6ExtHdrHopByHop / ICMPv6MLReport2",
	  "Ether / fe80::1 > ff02::16 (0) / IPv6ExtHdrHopByHop / ICMPv6MLReport2" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"ff02::1\")"
	  "/ICMPv6MLQuery2(mladdr=\"ff02::fb\", S=1, QRV=2, sources=[\"2001:db8::1\"])",
	  "66778899aabb00112233445586dd60000000002c3a01fe80000000000000000000000000"
	  "0001ff0200000000000000000000000000018200214a27100000ff020000000000000000"
	  "0000000000fb0a00000120010db8000000000000000000000001",
	  "Ether / IPv6 / ICMPv6MLQuery2",
	  "Ether / fe80::1 > ff02::1 (58) / ICMPv6MLQuery2" },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"ff02::1\")/ICMPv6ND_RA()"
	  "/ICMPv6NDOptRouteInfo(plen=64, prf=3, prefix=\"2001:db8:1::\")"
	  "/ICMPv6NDOptDNSSL(searchlist=[\"example.com\", \"corp.example.org.\"])",
	  "66778899aabb00112233445586dd6000000000503afffe80000000000000000000000000"
	  "0001ff02000000000000000000000000000186005e410008070800000000000000001803"
	  "4018ffffffff20010db80001000000000000000000001f050000ffffffff076578616d70"
	  "6c6503636f6d0004636f7270076578616d706c65036f72670000",
	  "Ether / IPv6 / ICMPv6ND_RA / ICMPv6NDOptRouteInfo / ICMPv6NDOptDNSSL",
	  "Ether / IPv6 / ICMPv6ND_RA / ICMPv6NDOptRouteInfo / ICMPv6 Neighbor Discovery "
	  "Option - DNS Search List Option example.com., corp.example.org." },
	{ "Ether(src=\"00:11:22:33:44:55\", dst=\"66:77:88:99:aa:bb\")"
	  "/IPv6(src=\"fe80::1\", dst=\"fe80::2\")"
	  "/ICMPv6ND_Redirect(tgt=\"fe80::3\", dst=\"2001:db8::99\")"
	  "/ICMPv6NDOptRedirectedHdr(pkt=IPv6(src=\"2001:db8::1\", dst=\"2001:db8::99\")"
	  "/UDP(sport=1, dport=2)/Raw(load=b\"abcdefghij\"))",
	  "66778899aabb00112233445586dd6000000000683afffe80000000000000000000000000"
	  "0001fe800000000000000000000000000002890040b500000000fe800000000000000000"
	  "00000000000320010db80000000000000000000000990408000000000000600000000012"
	  "114020010db800000000000000000000000120010db80000000000000000000000990001"
	  "00020012a8bb6162636465666768",
	  "Ether / IPv6 / ICMPv6ND_Redirect / ICMPv6NDOptRedirectedHdr",
	  "Ether / fe80::1 > fe80::2 (58) / ICMPv6ND_Redirect / ICMPv6NDOptRedirectedHdr" },
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

/* The first concrete packet an expression stands for. */
static struct gn_packet *parse1(const char *expr)
{
	struct gn_error err = { 0 };
	struct gn_packet *tmpl = NULL, *p = gn_packet_new();
	struct gn_expander *x = NULL;
	int rc = gn_parse(expr, &tmpl, &err);

	if (rc)
		fail_msg("%s: %s (column %d)", expr, err.msg, err.column);
	assert_non_null(p);
	assert_int_equal(gn_expand_new(tmpl, &x), 0);
	assert_int_equal(gn_expand_next(x, p), 1);
	gn_expand_free(x);
	gn_packet_free(tmpl);
	return p;
}

/* The class of an expression's first layer, as Scapy's p.__class__. */
static const struct gn_proto *first_class(const char *expr)
{
	const struct gn_proto *cls = gn_proto_findn(expr, strcspn(expr, "("));

	assert_non_null(cls);
	return cls;
}

static void layer_names(const struct gn_packet *p, struct gn_strbuf *sb)
{
	for (unsigned i = 0; i < p->n; i++) {
		if (i)
			gn_sb_puts(sb, " / ");
		gn_sb_puts(sb, p->layers[i].proto->name);
	}
}

static void test_build(void **state)
{
	(void)state;
	for (size_t i = 0; i < NROWS; i++) {
		struct gn_packet *p = parse1(rows[i].expr);

		assert_builds(p, rows[i].hex, rows[i].expr);
		gn_packet_free(p);
	}
}

static void test_dissect(void **state)
{
	(void)state;
	for (size_t i = 0; i < NROWS; i++) {
		struct gn_packet *p = dissect_hex(first_class(rows[i].expr), rows[i].hex);
		struct gn_strbuf sb;

		gn_sb_init(&sb);
		layer_names(p, &sb);
		if (strcmp(sb.s, rows[i].layers))
			fail_msg("%s\n  scapy:  %s\n  gannet: %s", rows[i].expr, rows[i].layers, sb.s);
		gn_sb_free(&sb);
		assert_summary(p, rows[i].summary, rows[i].expr);
		/* every field dissected is set: building gives the same bytes */
		assert_builds(p, rows[i].hex, rows[i].expr);
		gn_packet_free(p);
	}
}

/* Scapy's command(): the expression of a dissected packet builds it again. */
static void test_command_round_trip(void **state)
{
	(void)state;
	for (size_t i = 0; i < NROWS; i++) {
		struct gn_packet *p = dissect_hex(first_class(rows[i].expr), rows[i].hex), *q;
		struct gn_strbuf sb;

		gn_sb_init(&sb);
		gn_command(p, &sb);
		q = parse1(sb.s);
		assert_builds(q, rows[i].hex, sb.s);
		gn_sb_free(&sb);
		gn_packet_free(q);
		gn_packet_free(p);
	}
}

static void test_truncated(void **state)
{
	static uint8_t buf[2048];

	(void)state;
	for (size_t i = 0; i < NROWS; i++) {
		size_t n = unhex(rows[i].hex, buf, sizeof(buf));
		const struct gn_proto *cls = first_class(rows[i].expr);

		for (size_t cut = 0; cut < n; cut++)
			dissect_hostile(cls, buf, cut);
	}
}

/* Lying lengths and types: each byte set to 0x00, 0xff and 0x01 in turn. */
static void test_corrupted(void **state)
{
	static const uint8_t values[] = { 0x00, 0xff, 0x01, 0x3a };
	static uint8_t buf[2048];

	(void)state;
	for (size_t i = 0; i < NROWS; i++) {
		size_t n = unhex(rows[i].hex, buf, sizeof(buf));
		const struct gn_proto *cls = first_class(rows[i].expr);

		for (size_t at = 0; at < n; at++) {
			uint8_t was = buf[at];

			for (size_t v = 0; v < sizeof(values); v++) {
				buf[at] = values[v];
				dissect_hostile(cls, buf, n);
			}
			buf[at] = was;
		}
	}
}

static const char *field_text(const struct gn_layer *l, const char *name, enum gn_repr r,
			      struct gn_strbuf *sb)
{
	int i = gn_layer_field_index(l, name);

	assert_true(i >= 0);
	gn_sb_reset(sb);
	gn_format_field(l, (unsigned)i, sb, r);
	return sb->s ? sb->s : "";
}

/* The field kinds of proto/ipv6.c, shown as Scapy shows them. */
static void test_field_text(void **state)
{
	struct gn_packet *p = parse1(
		"IPv6ExtHdrHopByHop(options=[RouterAlert(), Jumbo(), HBHOptUnknown(otype=0x3e)])"
		"/IPv6ExtHdrRouting(addresses=[\"2001:db8::10\", \"2001:db8::11\"])"
		"/IPv6ExtHdrDestOpt(autopad=0)/IPv6ExtHdrRouting()");
	const struct gn_value *opts;
	struct gn_strbuf sb;

	(void)state;
	gn_sb_init(&sb);
	assert_string_equal(field_text(&p->layers[0], "autopad", GN_REPR_HUMAN, &sb), "On");
	assert_string_equal(field_text(&p->layers[2], "autopad", GN_REPR_HUMAN, &sb), "Off");
	assert_string_equal(field_text(&p->layers[2], "autopad", GN_REPR_JSON, &sb), "0");
	opts = gn_layer_get(&p->layers[0], 3);
	assert_int_equal(opts->type, GN_V_LIST);
	assert_int_equal(opts->len, 3);
	assert_string_equal(field_text(&opts->items[0].pkt->layers[0], "otype", GN_REPR_HUMAN, &sb),
			    "Router Alert [00: skip, 0: Don't change en-route]");
	assert_string_equal(field_text(&opts->items[1].pkt->layers[0], "otype", GN_REPR_HUMAN, &sb),
			    "Jumbo Payload [11: discard+ICMP not mcast, 0: Don't change en-route]");
	assert_string_equal(field_text(&opts->items[2].pkt->layers[0], "otype", GN_REPR_HUMAN, &sb),
			    "62 [00: skip, 1: May change en-route]");
	assert_string_equal(field_text(&opts->items[2].pkt->layers[0], "otype", GN_REPR_JSON, &sb),
			    "62");
	assert_string_equal(field_text(&p->layers[1], "addresses", GN_REPR_HUMAN, &sb),
			    "[ 2001:db8::10, 2001:db8::11 ]");
	assert_string_equal(field_text(&p->layers[1], "addresses", GN_REPR_EXPR, &sb),
			    "['2001:db8::10', '2001:db8::11']");
	assert_string_equal(field_text(&p->layers[1], "addresses", GN_REPR_JSON, &sb),
			    "[\"2001:db8::10\",\"2001:db8::11\"]");
	assert_string_equal(field_text(&p->layers[3], "addresses", GN_REPR_HUMAN, &sb), "[  ]");
	gn_sb_free(&sb);
	gn_packet_free(p);
}

/* Defaults and the overloads a layer above puts on IPv6 (Scapy's
 * overload_fields), without building. */
static void test_defaults_and_overloads(void **state)
{
	struct gn_packet *p = parse1("IPv6()/ICMPv6ND_NS()");
	struct gn_packet *q = parse1("IPv6()/IPv6ExtHdrFragment()/ICMPv6ND_NA()");
	struct gn_strbuf sb;

	(void)state;
	gn_sb_init(&sb);
	assert_int_equal(gn_field_uint(&p->layers[0], 0), 6);   /* version */
	assert_int_equal(gn_field_uint(&p->layers[0], 4), 58);  /* nh */
	assert_int_equal(gn_field_uint(&p->layers[0], 5), 255); /* hlim */
	assert_string_equal(field_text(&p->layers[0], "src", GN_REPR_HUMAN, &sb), "::1");
	assert_string_equal(field_text(&p->layers[0], "plen", GN_REPR_HUMAN, &sb), "None");
	assert_int_equal(gn_field_uint(&q->layers[0], 4), 44);  /* nh: the fragment header */
	assert_int_equal(gn_field_uint(&q->layers[0], 5), 64);  /* no ND right above */
	assert_int_equal(gn_field_uint(&q->layers[1], 0), 58);
	assert_string_equal(field_text(&q->layers[2], "R", GN_REPR_HUMAN, &sb), "1");
	gn_sb_free(&sb);
	gn_packet_free(q);
	gn_packet_free(p);
}

/* Summaries of layers that are not the last one Scapy asks, and of
 * packets that were never dissected. */
static void test_summaries(void **state)
{
	static const struct {
		const char *expr, *summary;
	} cases[] = {
		{ "IPv6()/ICMPv6ND_RA()",
		  "IPv6 / ICMPv6 Neighbor Discovery - Router Advertisement Lifetime 1800 "
		  "Hop Limit 0 Preference High Managed 0 Other 0 Home 0" },
		{ "IPv6()/ICMPv6ND_RA()/ICMPv6NDOptPrefixInfo()",
		  "IPv6 / ICMPv6ND_RA / ICMPv6 Neighbor Discovery Option - Prefix Information "
		  "::/64 On-link 1 Autonomous Address 1 Router Address 0" },
		{ "IPv6()/ICMPv6ND_RA()/ICMPv6NDOptRDNSS(dns=[\"2001:db8::1\", \"::2\"])",
		  "IPv6 / ICMPv6ND_RA / ICMPv6 Neighbor Discovery Option - Recursive DNS Server "
		  "Option 2001:db8::1, ::2" },
		{ "IPv6()/ICMPv6ND_RA()/ICMPv6NDOptMTU()",
		  "IPv6 / ICMPv6ND_RA / ICMPv6 Neighbor Discovery Option - MTU 1280" },
		{ "IPv6()/ICMPv6ND_NS()/ICMPv6NDOptSrcLLAddr()",
		  "IPv6 / ICMPv6ND_NS / ICMPv6 Neighbor Discovery Option - Source Link-Layer "
		  "Address 00:00:00:00:00:00" },
		{ "IPv6()/ICMPv6ND_NA(tgt=\"fe80::1\")",
		  "IPv6 / ICMPv6 Neighbor Discovery - Neighbor Advertisement (tgt: fe80::1)" },
		{ "IPv6()/ICMPv6EchoReply(id=0x1234, seq=7)",
		  "IPv6 / ICMPv6 Echo Reply (id: 0x1234 seq: 0x7)" },
		{ "IPv6()/ICMPv6DestUnreach()/IPerror6()/UDPerror()",
		  "::1 > ::1 (58) / ICMPv6DestUnreach / IPerror6 / UDPerror" },
		{ "IPv6()/IPv6ExtHdrFragment()/Raw(load=b\"x\")",
		  "::1 > ::1 (44) / IPv6ExtHdrFragment / Raw" },
		{ "IPv6()/ICMPv6NDOptUnknown()", "::1 > ::1 (59) / ICMPv6NDOptUnknown" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gn_packet *p = parse1(cases[i].expr);
		struct gn_strbuf sb;

		gn_sb_init(&sb);
		gn_summary(p, &sb);
		assert_string_equal(sb.s, cases[i].summary);
		gn_sb_free(&sb);
		gn_packet_free(p);
	}
}

/* Scapy's ICMPv6EchoReply.answers and ICMPv6ND_NA.answers. */
static void test_answers(void **state)
{
	struct gn_packet *req = parse1("IPv6()/ICMPv6EchoRequest(id=1, seq=2, data=b\"ab\")");
	struct gn_packet *rep = parse1("IPv6()/ICMPv6EchoReply(id=1, seq=2, data=b\"ab\")");
	struct gn_packet *other = parse1("IPv6()/ICMPv6EchoReply(id=1, seq=3, data=b\"ab\")");
	struct gn_packet *ns = parse1("IPv6()/ICMPv6ND_NS(tgt=\"fe80::1\")");
	struct gn_packet *na = parse1("IPv6()/ICMPv6ND_NA(tgt=\"fe80::1\")");
	struct gn_packet *na2 = parse1("IPv6()/ICMPv6ND_NA(tgt=\"fe80::2\")");
	const struct gn_proto *echo_reply = rep->layers[1].proto;
	const struct gn_proto *nd_na = na->layers[1].proto;

	(void)state;
	assert_non_null(echo_reply->answers);
	assert_true(echo_reply->answers(&rep->layers[1], &req->layers[1]));
	assert_false(echo_reply->answers(&other->layers[1], &req->layers[1]));
	assert_false(echo_reply->answers(&rep->layers[1], &rep->layers[1]));
	assert_int_equal(req->layers[1].proto->hashret(&req->layers[1]),
			 echo_reply->hashret(&rep->layers[1]));
	assert_true(nd_na->answers(&na->layers[1], &ns->layers[1]));
	assert_false(nd_na->answers(&na2->layers[1], &ns->layers[1]));
	gn_packet_free(na2);
	gn_packet_free(na);
	gn_packet_free(ns);
	gn_packet_free(other);
	gn_packet_free(rep);
	gn_packet_free(req);
}

static void test_errors(void **state)
{
	static const char *const bad[] = {
		"IPv6ExtHdrRouting(addresses=[\"not an address\"])",
		"IPv6ExtHdrRouting(addresses=[\"2001:db8::/64\"])",
		"IPv6ExtHdrRouting(addresses=[5])",
		"ICMPv6NDOptRDNSS(dns=[None])",
		"IPv6ExtHdrHopByHop(options=[5])",
		"ICMPv6ND_RA(prf=\"Sometimes\")",
		"IPv6(fl=0x100000)",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(bad[i], NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build),
		cmocka_unit_test(test_dissect),
		cmocka_unit_test(test_command_round_trip),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupted),
		cmocka_unit_test(test_field_text),
		cmocka_unit_test(test_defaults_and_overloads),
		cmocka_unit_test(test_summaries),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
