// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The text outputs against Scapy 2.5.0: every expected string below is what
 * Scapy printed for the same packet (show(dump=True), summary(), command(),
 * hexdump(dump=True), sprintf(), ls()), captured with /usr/bin/python3 when
 * the test was written; the protocol-free tests pin the algorithms (summary
 * hooks, conditional fields, multi-line values) with small test classes.
 */
#include <errno.h>
#include <time.h>

#include "testlib.h"

/* ---- helpers ----------------------------------------------------------- */

/* Scapy's p.__class__(raw(p)): built, then dissected again. */
static struct gn_packet *dissected(const struct gn_packet *p)
{
	struct gn_packet *q = gn_packet_rebuild(p);

	assert_non_null(q);
	return q;
}

typedef void (*out_fn)(const struct gn_packet *, struct gn_strbuf *);

static void check_out(out_fn fn, const struct gn_packet *p, const char *want)
{
	struct gn_strbuf sb;

	gn_sb_init(&sb);
	fn(p, &sb);
	assert_int_equal(sb.err, 0);
	if (strcmp(sb.s ? sb.s : "", want))
		print_message("packet: %s\n", p->n ? p->layers[0].proto->name : "(empty)");
	assert_string_equal(sb.s ? sb.s : "", want);
	gn_sb_free(&sb);
}

static void check_sprintf(const struct gn_packet *p, const char *fmt, const char *want)
{
	struct gn_strbuf sb;
	struct gn_error err = { 0 };
	int rc;

	gn_sb_init(&sb);
	rc = gn_sprintf(p, fmt, &sb, &err);
	if (rc)
		print_message("sprintf(%s): %s\n", fmt, err.msg);
	assert_int_equal(rc, 0);
	assert_string_equal(sb.s ? sb.s : "", want);
	gn_sb_free(&sb);
}

/* ---- whole packets against Scapy ------------------------------------------ */

struct scapy_case {
	const char *expr;
	const char *show, *show2;
	const char *summary, *summary2;
	const char *command, *command2;
	const char *hexdump;
};

static const struct scapy_case cases[] = {
	{
		.expr =
		"Ether(dst=\"ff:ff:ff:ff:ff:ff\", src=\"00:11:22:33:44:55\")/IP(src=\"10.0.0.1\",dst=\"10.0.0.2\")/TCP(sport=1234,dport=80,flags=\"SA\",options=[(\"MSS\",1460),(\"NOP\",None),(\"WScale\",7)])/Raw(load=b\"GET / HTTP/1.0\\r\\n\\r\\n\")",
		.show =
		"###[ Ethernet ]### \n"
		"  dst       = ff:ff:ff:ff:ff:ff\n"
		"  src       = 00:11:22:33:44:55\n"
		"  type      = IPv4\n"
		"###[ IP ]### \n"
		"     version   = 4\n"
		"     ihl       = None\n"
		"     tos       = 0x0\n"
		"     len       = None\n"
		"     id        = 1\n"
		"     flags     = \n"
		"     frag      = 0\n"
		"     ttl       = 64\n"
		"     proto     = tcp\n"
		"     chksum    = None\n"
		"     src       = 10.0.0.1\n"
		"     dst       = 10.0.0.2\n"
		"     \\options   \\\n"
		"###[ TCP ]### \n"
		"        sport     = 1234\n"
		"        dport     = http\n"
		"        seq       = 0\n"
		"        ack       = 0\n"
		"        dataofs   = None\n"
		"        reserved  = 0\n"
		"        flags     = SA\n"
		"        window    = 8192\n"
		"        chksum    = None\n"
		"        urgptr    = 0\n"
		"        options   = [('MSS', 1460), ('NOP', None), ('WScale', 7)]\n"
		"###[ Raw ]### \n"
		"           load      = 'GET / HTTP/1.0\\r\\n\\r\\n'\n",
		.show2 =
		"###[ Ethernet ]### \n"
		"  dst       = ff:ff:ff:ff:ff:ff\n"
		"  src       = 00:11:22:33:44:55\n"
		"  type      = IPv4\n"
		"###[ IP ]### \n"
		"     version   = 4\n"
		"     ihl       = 5\n"
		"     tos       = 0x0\n"
		"     len       = 66\n"
		"     id        = 1\n"
		"     flags     = \n"
		"     frag      = 0\n"
		"     ttl       = 64\n"
		"     proto     = tcp\n"
		"     chksum    = 0x66b3\n"
		"     src       = 10.0.0.1\n"
		"     dst       = 10.0.0.2\n"
		"     \\options   \\\n"
		"###[ TCP ]### \n"
		"        sport     = 1234\n"
		"        dport     = http\n"
		"        seq       = 0\n"
		"        ack       = 0\n"
		"        dataofs   = 7\n"
		"        reserved  = 0\n"
		"        flags     = SA\n"
		"        window    = 8192\n"
		"        chksum    = 0x6c32\n"
		"        urgptr    = 0\n"
		"        options   = [('MSS', 1460), ('NOP', None), ('WScale', 7)]\n"
		"###[ Raw ]### \n"
		"           load      = 'GET / HTTP/1.0\\r\\n\\r\\n'\n",
		.summary =
		"Ether / IP / TCP 10.0.0.1:1234 > 10.0.0.2:http SA / Raw",
		.summary2 =
		"Ether / IP / TCP 10.0.0.1:1234 > 10.0.0.2:http SA / Raw",
		.command =
		"Ether(dst='ff:ff:ff:ff:ff:ff', src='00:11:22:33:44:55')/IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=1234, dport=80, flags=18, options=[('MSS', 1460), ('NOP', None), ('WScale', 7)])/Raw(load=b'GET / HTTP/1.0\\r\\n\\r\\n')",
		.command2 =
		"Ether(dst='ff:ff:ff:ff:ff:ff', src='00:11:22:33:44:55', type=2048)/IP(version=4, ihl=5, tos=0, len=66, id=1, flags=0, frag=0, ttl=64, proto=6, chksum=26291, src='10.0.0.1', dst='10.0.0.2')/TCP(sport=1234, dport=80, seq=0, ack=0, dataofs=7, reserved=0, flags=18, window=8192, chksum=27698, urgptr=0, options=[('MSS', 1460), ('NOP', None), ('WScale', 7)])/Raw(load=b'GET / HTTP/1.0\\r\\n\\r\\n')",
		.hexdump =
		"0000  FF FF FF FF FF FF 00 11 22 33 44 55 08 00 45 00  ........\"3DU..E.\n"
		"0010  00 42 00 01 00 00 40 06 66 B3 0A 00 00 01 0A 00  .B....@.f.......\n"
		"0020  00 02 04 D2 00 50 00 00 00 00 00 00 00 00 70 12  .....P........p.\n"
		"0030  20 00 6C 32 00 00 02 04 05 B4 01 03 03 07 47 45   .l2..........GE\n"
		"0040  54 20 2F 20 48 54 54 50 2F 31 2E 30 0D 0A 0D 0A  T / HTTP/1.0....",
	},
	{
		.expr =
		"Ether(dst=\"ff:ff:ff:ff:ff:ff\", src=\"00:11:22:33:44:55\")/IP(src=\"1.2.3.4\",dst=\"5.6.7.8\",ttl=3,flags=\"DF\",options=[IPOption_NOP(),IPOption_RR(routers=[\"1.1.1.1\",\"2.2.2.2\"])])/Raw(load=b\"hello\\x00\\xff\")",
		.show =
		"###[ Ethernet ]### \n"
		"  dst       = ff:ff:ff:ff:ff:ff\n"
		"  src       = 00:11:22:33:44:55\n"
		"  type      = IPv4\n"
		"###[ IP ]### \n"
		"     version   = 4\n"
		"     ihl       = None\n"
		"     tos       = 0x0\n"
		"     len       = None\n"
		"     id        = 1\n"
		"     flags     = DF\n"
		"     frag      = 0\n"
		"     ttl       = 3\n"
		"     proto     = hopopt\n"
		"     chksum    = None\n"
		"     src       = 1.2.3.4\n"
		"     dst       = 5.6.7.8\n"
		"     \\options   \\\n"
		"      |###[ IP Option No Operation ]### \n"
		"      |  copy_flag = 0\n"
		"      |  optclass  = control\n"
		"      |  option    = nop\n"
		"      |###[ IP Option Record Route ]### \n"
		"      |  copy_flag = 0\n"
		"      |  optclass  = control\n"
		"      |  option    = record_route\n"
		"      |  length    = None\n"
		"      |  pointer   = 4\n"
		"      |  routers   = [1.1.1.1, 2.2.2.2]\n"
		"###[ Raw ]### \n"
		"        load      = 'hello\\x00\\\\xff'\n",
		.show2 =
		"###[ Ethernet ]### \n"
		"  dst       = ff:ff:ff:ff:ff:ff\n"
		"  src       = 00:11:22:33:44:55\n"
		"  type      = IPv4\n"
		"###[ IP ]### \n"
		"     version   = 4\n"
		"     ihl       = 8\n"
		"     tos       = 0x0\n"
		"     len       = 39\n"
		"     id        = 1\n"
		"     flags     = DF\n"
		"     frag      = 0\n"
		"     ttl       = 3\n"
		"     proto     = hopopt\n"
		"     chksum    = 0x52b2\n"
		"     src       = 1.2.3.4\n"
		"     dst       = 5.6.7.8\n"
		"     \\options   \\\n"
		"      |###[ IP Option No Operation ]### \n"
		"      |  copy_flag = 0\n"
		"      |  optclass  = control\n"
		"      |  option    = nop\n"
		"      |###[ IP Option Record Route ]### \n"
		"      |  copy_flag = 0\n"
		"      |  optclass  = control\n"
		"      |  option    = record_route\n"
		"      |  length    = 11\n"
		"      |  pointer   = 4\n"
		"      |  routers   = [1.1.1.1, 2.2.2.2]\n"
		"###[ Raw ]### \n"
		"        load      = 'hello\\x00\\\\xff'\n",
		.summary =
		"Ether / 1.2.3.4 > 5.6.7.8 hopopt / Raw",
		.summary2 =
		"Ether / 1.2.3.4 > 5.6.7.8 hopopt / Raw",
		.command =
		"Ether(dst='ff:ff:ff:ff:ff:ff', src='00:11:22:33:44:55')/IP(options=[IPOption_NOP(),IPOption_RR(routers=['1.1.1.1', '2.2.2.2'])], flags=2, ttl=3, src='1.2.3.4', dst='5.6.7.8')/Raw(load=b'hello\\x00\\xff')",
		.command2 =
		"Ether(dst='ff:ff:ff:ff:ff:ff', src='00:11:22:33:44:55', type=2048)/IP(options=[IPOption_NOP(copy_flag=0, optclass=0, option=1),IPOption_RR(routers=['1.1.1.1', '2.2.2.2'], copy_flag=0, optclass=0, option=7, length=11, pointer=4)], version=4, ihl=8, tos=0, len=39, id=1, flags=2, frag=0, ttl=3, proto=0, chksum=21170, src='1.2.3.4', dst='5.6.7.8')/Raw(load=b'hello\\x00\\xff')",
		.hexdump =
		"0000  FF FF FF FF FF FF 00 11 22 33 44 55 08 00 48 00  ........\"3DU..H.\n"
		"0010  00 27 00 01 40 00 03 00 52 B2 01 02 03 04 05 06  .'..@...R.......\n"
		"0020  07 08 01 07 0B 04 01 01 01 01 02 02 02 02 68 65  ..............he\n"
		"0030  6C 6C 6F 00 FF                                   llo..",
	},
	{
		.expr =
		"Ether(dst=\"ff:ff:ff:ff:ff:ff\", src=\"00:11:22:33:44:55\")/ARP(hwsrc=\"00:11:22:33:44:55\", psrc=\"1.2.3.4\", pdst=\"1.2.3.5\")",
		.show =
		"###[ Ethernet ]### \n"
		"  dst       = ff:ff:ff:ff:ff:ff\n"
		"  src       = 00:11:22:33:44:55\n"
		"  type      = ARP\n"
		"###[ ARP ]### \n"
		"     hwtype    = Ethernet (10Mb)\n"
		"     ptype     = IPv4\n"
		"     hwlen     = None\n"
		"     plen      = None\n"
		"     op        = who-has\n"
		"     hwsrc     = 00:11:22:33:44:55\n"
		"     psrc      = 1.2.3.4\n"
		"     hwdst     = 00:00:00:00:00:00\n"
		"     pdst      = 1.2.3.5\n",
		.show2 =
		"###[ Ethernet ]### \n"
		"  dst       = ff:ff:ff:ff:ff:ff\n"
		"  src       = 00:11:22:33:44:55\n"
		"  type      = ARP\n"
		"###[ ARP ]### \n"
		"     hwtype    = Ethernet (10Mb)\n"
		"     ptype     = IPv4\n"
		"     hwlen     = 6\n"
		"     plen      = 4\n"
		"     op        = who-has\n"
		"     hwsrc     = 00:11:22:33:44:55\n"
		"     psrc      = 1.2.3.4\n"
		"     hwdst     = 00:00:00:00:00:00\n"
		"     pdst      = 1.2.3.5\n",
		.summary =
		"Ether / ARP who has 1.2.3.5 says 1.2.3.4",
		.summary2 =
		"Ether / ARP who has 1.2.3.5 says 1.2.3.4",
		.command =
		"Ether(dst='ff:ff:ff:ff:ff:ff', src='00:11:22:33:44:55')/ARP(hwsrc='00:11:22:33:44:55', psrc='1.2.3.4', pdst='1.2.3.5')",
		.command2 =
		"Ether(dst='ff:ff:ff:ff:ff:ff', src='00:11:22:33:44:55', type=2054)/ARP(hwtype=1, ptype=2048, hwlen=6, plen=4, op=1, hwsrc='00:11:22:33:44:55', psrc='1.2.3.4', hwdst='00:00:00:00:00:00', pdst='1.2.3.5')",
		.hexdump =
		"0000  FF FF FF FF FF FF 00 11 22 33 44 55 08 06 00 01  ........\"3DU....\n"
		"0010  08 00 06 04 00 01 00 11 22 33 44 55 01 02 03 04  ........\"3DU....\n"
		"0020  00 00 00 00 00 00 01 02 03 05                    ..........",
	},
	{
		.expr =
		"IP(src=\"10.0.0.1\",dst=\"10.0.0.2\")/UDP(sport=1234,dport=53)",
		.show =
		"###[ IP ]### \n"
		"  version   = 4\n"
		"  ihl       = None\n"
		"  tos       = 0x0\n"
		"  len       = None\n"
		"  id        = 1\n"
		"  flags     = \n"
		"  frag      = 0\n"
		"  ttl       = 64\n"
		"  proto     = udp\n"
		"  chksum    = None\n"
		"  src       = 10.0.0.1\n"
		"  dst       = 10.0.0.2\n"
		"  \\options   \\\n"
		"###[ UDP ]### \n"
		"     sport     = 1234\n"
		"     dport     = domain\n"
		"     len       = None\n"
		"     chksum    = None\n",
		.show2 =
		"###[ IP ]### \n"
		"  version   = 4\n"
		"  ihl       = 5\n"
		"  tos       = 0x0\n"
		"  len       = 28\n"
		"  id        = 1\n"
		"  flags     = \n"
		"  frag      = 0\n"
		"  ttl       = 64\n"
		"  proto     = udp\n"
		"  chksum    = 0x66ce\n"
		"  src       = 10.0.0.1\n"
		"  dst       = 10.0.0.2\n"
		"  \\options   \\\n"
		"###[ UDP ]### \n"
		"     sport     = 1234\n"
		"     dport     = domain\n"
		"     len       = 8\n"
		"     chksum    = 0xe6d4\n",
		.summary =
		"IP / UDP 10.0.0.1:1234 > 10.0.0.2:domain",
		.summary2 =
		"IP / UDP 10.0.0.1:1234 > 10.0.0.2:domain",
		.command =
		"IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=1234, dport=53)",
		.command2 =
		"IP(version=4, ihl=5, tos=0, len=28, id=1, flags=0, frag=0, ttl=64, proto=17, chksum=26318, src='10.0.0.1', dst='10.0.0.2')/UDP(sport=1234, dport=53, len=8, chksum=59092)",
		.hexdump =
		"0000  45 00 00 1C 00 01 00 00 40 11 66 CE 0A 00 00 01  E.......@.f.....\n"
		"0010  0A 00 00 02 04 D2 00 35 00 08 E6 D4              .......5....",
	},
	{
		.expr =
		"IP(src=\"10.0.0.1\",dst=\"10.0.0.2\",frag=5)/IP(src=\"9.9.9.9\",dst=\"8.8.8.8\",proto=17,tos=0x10,id=0xffff,ttl=255)",
		.show =
		"###[ IP ]### \n"
		"  version   = 4\n"
		"  ihl       = None\n"
		"  tos       = 0x0\n"
		"  len       = None\n"
		"  id        = 1\n"
		"  flags     = \n"
		"  frag      = 5\n"
		"  ttl       = 64\n"
		"  proto     = ipencap\n"
		"  chksum    = None\n"
		"  src       = 10.0.0.1\n"
		"  dst       = 10.0.0.2\n"
		"  \\options   \\\n"
		"###[ IP ]### \n"
		"     version   = 4\n"
		"     ihl       = None\n"
		"     tos       = 0x10\n"
		"     len       = None\n"
		"     id        = 65535\n"
		"     flags     = \n"
		"     frag      = 0\n"
		"     ttl       = 255\n"
		"     proto     = udp\n"
		"     chksum    = None\n"
		"     src       = 9.9.9.9\n"
		"     dst       = 8.8.8.8\n"
		"     \\options   \\\n",
		.show2 =
		"###[ IP ]### \n"
		"  version   = 4\n"
		"  ihl       = 5\n"
		"  tos       = 0x0\n"
		"  len       = 40\n"
		"  id        = 1\n"
		"  flags     = \n"
		"  frag      = 5\n"
		"  ttl       = 64\n"
		"  proto     = ipencap\n"
		"  chksum    = 0x66ca\n"
		"  src       = 10.0.0.1\n"
		"  dst       = 10.0.0.2\n"
		"  \\options   \\\n"
		"###[ Raw ]### \n"
		"     load      = 'E\\x10\\x00\\x14\\\\xff\\\\xff\\x00\\x00\\\\xff\\x11\\\\x99\\\\xa7\\t\\t\\t\\t\\x08\\x08\\x08\\x08'\n",
		.summary =
		"IP / 9.9.9.9 > 8.8.8.8 udp",
		.summary2 =
		"10.0.0.1 > 10.0.0.2 ipencap frag:5 / Raw",
		.command =
		"IP(frag=5, src='10.0.0.1', dst='10.0.0.2')/IP(tos=16, id=65535, ttl=255, proto=17, src='9.9.9.9', dst='8.8.8.8')",
		.command2 =
		"IP(version=4, ihl=5, tos=0, len=40, id=1, flags=0, frag=5, ttl=64, proto=4, chksum=26314, src='10.0.0.1', dst='10.0.0.2')/Raw(load=b'E\\x10\\x00\\x14\\xff\\xff\\x00\\x00\\xff\\x11\\x99\\xa7\\t\\t\\t\\t\\x08\\x08\\x08\\x08')",
		.hexdump =
		"0000  45 00 00 28 00 01 00 05 40 04 66 CA 0A 00 00 01  E..(....@.f.....\n"
		"0010  0A 00 00 02 45 10 00 14 FF FF 00 00 FF 11 99 A7  ....E...........\n"
		"0020  09 09 09 09 08 08 08 08                          ........",
	},
};

static void hexdump_of(const struct gn_packet *p, struct gn_strbuf *sb)
{
	struct gn_arena *a = gn_arena_new(0);
	uint8_t *data;
	size_t len;

	assert_non_null(a);
	assert_int_equal(gn_build(p, a, &data, &len), 0);
	gn_hexdump(data, len, sb);
	gn_arena_free(a);
}

static void test_scapy_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct scapy_case *c = &cases[i];
		struct gn_packet *p = parse_ok(c->expr);
		struct gn_packet *q = dissected(p);

		print_message("case %zu\n", i);
		check_out(gn_show, p, c->show);
		check_out(gn_show, q, c->show2);
		check_out(gn_summary, p, c->summary);
		check_out(gn_summary, q, c->summary2);
		check_out(gn_command, p, c->command);
		check_out(gn_command, q, c->command2);
		check_out(hexdump_of, p, c->hexdump);
		gn_packet_free(q);
		gn_packet_free(p);
	}
}

/* Sets, ranges, networks and random values of a template, as Scapy shows
 * them before expansion. */
static void test_generators(void **state)
{
	struct gn_packet *p = parse_ok(
		"Ether(dst=\"ff:ff:ff:ff:ff:ff\",src=\"00:11:22:33:44:55\")/IP(src=\"1.2.3.4\","
		"dst=\"10.0.0.0/30\",ttl=[1,2],id=(3,7),options=[IPOption_NOP(),"
		"IPOption_RR(routers=[\"1.1.1.1\"])])/TCP(dport=RandShort(),"
		"options=[(\"MSS\",1460)])/Raw(load=b\"ab\\x00\")");

	(void)state;
	check_out(gn_show, p,
		"###[ Ethernet ]### \n"
		"  dst       = ff:ff:ff:ff:ff:ff\n"
		"  src       = 00:11:22:33:44:55\n"
		"  type      = IPv4\n"
		"###[ IP ]### \n"
		"     version   = 4\n"
		"     ihl       = None\n"
		"     tos       = 0x0\n"
		"     len       = None\n"
		"     id        = (3, 7)\n"
		"     flags     = \n"
		"     frag      = 0\n"
		"     ttl       = [1, 2]\n"
		"     proto     = tcp\n"
		"     chksum    = None\n"
		"     src       = 1.2.3.4\n"
		"     dst       = Net(\"10.0.0.0/30\")\n"
		"     \\options   \\\n"
		"      |###[ IP Option No Operation ]### \n"
		"      |  copy_flag = 0\n"
		"      |  optclass  = control\n"
		"      |  option    = nop\n"
		"      |###[ IP Option Record Route ]### \n"
		"      |  copy_flag = 0\n"
		"      |  optclass  = control\n"
		"      |  option    = record_route\n"
		"      |  length    = None\n"
		"      |  pointer   = 4\n"
		"      |  routers   = [1.1.1.1]\n"
		"###[ TCP ]### \n"
		"        sport     = ftp_data\n"
		"        dport     = <RandShort>\n"
		"        seq       = 0\n"
		"        ack       = 0\n"
		"        dataofs   = None\n"
		"        reserved  = 0\n"
		"        flags     = S\n"
		"        window    = 8192\n"
		"        chksum    = None\n"
		"        urgptr    = 0\n"
		"        options   = [('MSS', 1460)]\n"
		"###[ Raw ]### \n"
		"           load      = 'ab\\x00'\n");
	check_out(gn_summary, p,
		"Ether / IP / TCP 1.2.3.4:ftp_data > Net(\"10.0.0.0/30\"):<RandShort> S / Raw");
	check_out(gn_command, p,
		"Ether(dst='ff:ff:ff:ff:ff:ff', src='00:11:22:33:44:55')/IP(options=[IPOption_NOP(),"
		"IPOption_RR(routers=['1.1.1.1'])], id=(3, 7), ttl=[1, 2], src='1.2.3.4', "
		"dst=Net(\"10.0.0.0/30\"))/TCP(dport=RandShort(), options=[('MSS', 1460)])"
		"/Raw(load=b'ab\\x00')");
	gn_packet_free(p);
}

/* DNS sections: Scapy holds their records as one chain (DNSQR()/DNSQR()),
 * shows them at one level and writes them with '/'. */
static void test_dns_chain(void **state)
{
	struct gn_packet *p = parse_ok(
		"IP(src=\"1.1.1.1\",dst=\"2.2.2.2\")/UDP(sport=53,dport=1000)/DNS(qr=1,"
		"qd=DNSQR(qname=\"a.example\")/DNSQR(qname=\"b.example\",qtype=\"AAAA\"),"
		"an=DNSRR(rrname=\"a.example\",rdata=\"1.2.3.4\")/DNSRR(rrname=\"b.example\","
		"type=\"AAAA\",rdata=\"::1\"))");
	struct gn_packet *q = dissected(p);

	(void)state;
	check_out(gn_command, p,
		"IP(src='1.1.1.1', dst='2.2.2.2')/UDP(sport=53, dport=1000)/DNS(qd=DNSQR(qname=b'a.example.')"
		"/DNSQR(qname=b'b.example.', qtype=28), qr=1, an=DNSRR(rrname=b'a.example.', rdata='1.2.3.4')"
		"/DNSRR(rrname=b'b.example.', type=28, rdata='::1'))");
	check_out(gn_show, q,
		"###[ IP ]### \n"
		"  version   = 4\n"
		"  ihl       = 5\n"
		"  tos       = 0x0\n"
		"  len       = 132\n"
		"  id        = 1\n"
		"  flags     = \n"
		"  frag      = 0\n"
		"  ttl       = 64\n"
		"  proto     = udp\n"
		"  chksum    = 0x7463\n"
		"  src       = 1.1.1.1\n"
		"  dst       = 2.2.2.2\n"
		"  \\options   \\\n"
		"###[ UDP ]### \n"
		"     sport     = domain\n"
		"     dport     = 1000\n"
		"     len       = 112\n"
		"     chksum    = 0xb2e7\n"
		"###[ DNS ]### \n"
		"        id        = 0\n"
		"        qr        = 1\n"
		"        opcode    = QUERY\n"
		"        aa        = 0\n"
		"        tc        = 0\n"
		"        rd        = 1\n"
		"        ra        = 0\n"
		"        z         = 0\n"
		"        ad        = 0\n"
		"        cd        = 0\n"
		"        rcode     = ok\n"
		"        qdcount   = 2\n"
		"        ancount   = 2\n"
		"        nscount   = 0\n"
		"        arcount   = 0\n"
		"        \\qd        \\\n"
		"         |###[ DNS Question Record ]### \n"
		"         |  qname     = 'a.example.'\n"
		"         |  qtype     = A\n"
		"         |  qclass    = IN\n"
		"         |###[ DNS Question Record ]### \n"
		"         |  qname     = 'b.example.'\n"
		"         |  qtype     = AAAA\n"
		"         |  qclass    = IN\n"
		"        \\an        \\\n"
		"         |###[ DNS Resource Record ]### \n"
		"         |  rrname    = 'a.example.'\n"
		"         |  type      = A\n"
		"         |  rclass    = IN\n"
		"         |  ttl       = 0\n"
		"         |  rdlen     = 4\n"
		"         |  rdata     = 1.2.3.4\n"
		"         |###[ DNS Resource Record ]### \n"
		"         |  rrname    = 'b.example.'\n"
		"         |  type      = AAAA\n"
		"         |  rclass    = IN\n"
		"         |  ttl       = 0\n"
		"         |  rdlen     = 16\n"
		"         |  rdata     = ::1\n"
		"        ns        = None\n"
		"        ar        = None\n");
	check_out(gn_summary, q, "IP / UDP / DNS Ans \"1.2.3.4\" ");
	check_out(gn_command, q,
		"IP(version=4, ihl=5, tos=0, len=132, id=1, flags=0, frag=0, ttl=64, proto=17, "
		"chksum=29795, src='1.1.1.1', dst='2.2.2.2')/UDP(sport=53, dport=1000, len=112, "
		"chksum=45799)/DNS(qd=DNSQR(qname=b'a.example.', qtype=1, qclass=1)/DNSQR("
		"qname=b'b.example.', qtype=28, qclass=1), id=0, qr=1, opcode=0, aa=0, tc=0, rd=1, "
		"ra=0, z=0, ad=0, cd=0, rcode=0, qdcount=2, ancount=2, nscount=0, arcount=0, "
		"an=DNSRR(rrname=b'a.example.', type=1, rclass=1, ttl=0, rdlen=4, rdata='1.2.3.4')"
		"/DNSRR(rrname=b'b.example.', type=28, rclass=1, ttl=0, rdlen=16, rdata='::1'), "
		"ns=None, ar=None)");
	check_sprintf(q, "%DNS.qd%|%DNS.an%|%r,DNS.qd%|%DNS.ns%",
		"<DNSQR  qname='a.example.' qtype=A qclass=IN |<DNSQR  qname='b.example.' "
		"qtype=AAAA qclass=IN |>>|<DNSRR  rrname='a.example.' type=A rclass=IN ttl=0 "
		"rdlen=4 rdata=1.2.3.4 |<DNSRR  rrname='b.example.' type=AAAA rclass=IN ttl=0 "
		"rdlen=16 rdata=::1 |>>|DNSQR / DNSQR|None");
	gn_packet_free(q);
	gn_packet_free(p);
}

/* ---- hexdump ------------------------------------------------------------------ */

static void dump(const uint8_t *data, size_t len, const char *want)
{
	struct gn_strbuf sb;

	gn_sb_init(&sb);
	gn_hexdump(data, len, &sb);
	assert_string_equal(sb.s ? sb.s : "", want);
	gn_sb_free(&sb);
}

static void test_hexdump(void **state)
{
	uint8_t seq[40];

	(void)state;
	for (unsigned i = 0; i < sizeof(seq); i++)
		seq[i] = (uint8_t)(i * 7 + 20);
	/* hexdump(b"", dump=True) == '' */
	dump(NULL, 0, "");
	dump((const uint8_t *)"abc", 3,
	     "0000  61 62 63                                         abc");
	/* hexdump(bytes(i * 7 + 20 & 255 for i in range(40)), dump=True) */
	dump(seq, 40,
	     "0000  14 1B 22 29 30 37 3E 45 4C 53 5A 61 68 6F 76 7D  ..\")07>ELSZahov}\n"
	     "0010  84 8B 92 99 A0 A7 AE B5 BC C3 CA D1 D8 DF E6 ED  ................\n"
	     "0020  F4 FB 02 09 10 17 1E 25                          .......%");
	dump(seq, 16,
	     "0000  14 1B 22 29 30 37 3E 45 4C 53 5A 61 68 6F 76 7D  ..\")07>ELSZahov}");
}

/* ---- sprintf ------------------------------------------------------------------ */

#define TCP_EXPR \
	"Ether(dst=\"ff:ff:ff:ff:ff:ff\", src=\"00:11:22:33:44:55\")/IP(src=\"10.0.0.1\"," \
	"dst=\"10.0.0.2\")/TCP(sport=1234,dport=80,flags=\"SA\",options=[(\"MSS\",1460)," \
	"(\"NOP\",None),(\"WScale\",7)])/Raw(load=b\"GET / HTTP/1.0\\r\\n\\r\\n\")"

/* q = Ether(raw(TCP_EXPR)); q.sprintf(fmt) */
static const struct { const char *fmt, *want; } sprintf_ok[] = {
	{ "%IP.src% -> %IP.dst%",
	  "10.0.0.1 -> 10.0.0.2" },
	{ "%-15s,IP.src%|%15s,IP.dst%|",
	  "10.0.0.1       |       10.0.0.2|" },
	{ "%TCP.flags% %r,TCP.flags% %dr,TCP.flags% %#xr,TCP.seq%",
	  "SA SA 18 0x0" },
	{ "%TCP.dport% %r,TCP.dport% %dport% %IP.dport% %05dr,TCP.sport%",
	  "http 80 80 80 01234" },
	{ "%IP.proto% %03xr,IP.proto% %Xr,IP.chksum% %IP.chksum%",
	  "tcp 006 66B3 0x66b3" },
	{ "%Raw.load% %r,Raw.load%",
	  "'GET / HTTP/1.0\\r\\n\\r\\n' b'GET / HTTP/1.0\\r\\n\\r\\n'" },
	{ "%TCP.options%",
	  "[('MSS', 1460), ('NOP', None), ('WScale', 7)]" },
	{ "%r,TCP.options%",
	  "[('MSS', 1460), ('NOP', None), ('WScale', 7)]" },
	{ "%IP.options% %r,IP.options%",
	  "[] []" },
	{ "{TCP:tcp %TCP.sport%}{UDP:udp %UDP.sport%}{!UDP:not-udp}{Ethernet:eth}{IP:{TCP:nested}}",
	  "tcp 1234not-udpethnested" },
	{ "100%% %(braces%)",
	  "100% {braces}" },
	{ "%UDP.sport% %IP:2.src% %TCP.nosuch% %Nope.x%",
	  "?? ?? ?? ??" },
	{ "%src% %type% %ttl% %window%",
	  "00:11:22:33:44:55 IPv4 64 8192" },
	{ "%IP:1.ttl% %IP:0.ttl% %-4.2s,IP.version%| %c,IP.version% %cr,IP.ttl%",
	  "64 64 4   | 4 @" },
	{ "%+dr,IP.ttl% % dr,IP.ttl% %-6or,IP.ttl%| %#or,IP.ttl% %.3dr,IP.version% %6.2fr,IP.ttl% %er,IP.ttl% %gr,TCP.seq%",
	  "+64  64 100   | 0o100 004  64.00 6.400000e+01 0" },
	{ "%sfoo,IP.ttl% %hdr,IP.ttl% %lxr,IP.ttl%",
	  "64foo 64 40" },
	{ "%a,IP.src% %rr,IP.dst% %ar,IP.ttl%",
	  "'10.0.0.1' '10.0.0.2' 64" },
	{ "no directives at all",
	  "no directives at all" },
	{ "",
	  "" },
};

/* Formats Scapy rejects with an exception. */
static const char *const sprintf_bad[] = {
	"%",
	"%IP.ttl",
	"%IP.a.b%",
	"{TCP:x",
	"{TCP x}",
	"{:x}",
	"%d,TCP.flags%",
	"%x,IP.ttl%",
	"%-8r,TCP.flags%",
	"%,IP.ttl%",
	"%a,b,IP.ttl%",
	"%IP:x.ttl%",
	"%IP:1:2.ttl%",
	"%q,IP.ttl%",
	"%(x)s,IP.ttl%",
	"%*d,IP.ttl%",
	"%c,IP.src%",
};

static void test_sprintf(void **state)
{
	struct gn_packet *p = parse_ok(TCP_EXPR);
	struct gn_packet *q = dissected(p);

	(void)state;
	for (size_t i = 0; i < sizeof(sprintf_ok) / sizeof(sprintf_ok[0]); i++)
		check_sprintf(q, sprintf_ok[i].fmt, sprintf_ok[i].want);
	for (size_t i = 0; i < sizeof(sprintf_bad) / sizeof(sprintf_bad[0]); i++) {
		struct gn_strbuf sb;
		struct gn_error err = { 0 };

		int rc;

		gn_sb_init(&sb);
		gn_sb_puts(&sb, "kept");
		rc = gn_sprintf(q, sprintf_bad[i], &sb, &err);
		if (rc != -EINVAL)
			print_message("format %s was accepted: %s\n", sprintf_bad[i], sb.s);
		assert_int_equal(rc, -EINVAL);
		assert_int_equal(err.code, -EINVAL);
		assert_non_null(strstr(err.msg, "sprintf"));
		/* nothing half-written is left behind */
		assert_string_equal(sb.s, "kept");
		gn_sb_free(&sb);
	}
	gn_packet_free(q);
	gn_packet_free(p);
}

/* layer.sprintf() looks at that layer and the ones above it. */
static void test_sprintf_layer(void **state)
{
	struct gn_packet *p = parse_ok("IP(src=\"10.0.0.1\",dst=\"10.0.0.2\")/IP(src=\"9.9.9.9\","
				    "dst=\"8.8.8.8\")/UDP(sport=7,dport=9)");
	struct gn_packet *q = dissected(p);
	const char *f1 = "%IP.src% {IP:ip} {ICMP:icmp} %IP:2.src%";
	const char *f2 = "UDP %IP.src%:%UDP.sport% > %IP.dst%:%UDP.dport%";
	struct gn_strbuf sb;
	struct gn_error err = { 0 };

	(void)state;
	check_sprintf(q, f1, "10.0.0.1 ip  9.9.9.9");
	check_sprintf(q, f2, "UDP 10.0.0.1:echo > 10.0.0.2:discard");
	gn_sb_init(&sb);
	assert_int_equal(gn_sprintf_layer(&q->layers[1], f1, &sb, &err), 0);
	assert_string_equal(sb.s, "9.9.9.9 ip  ??");
	gn_sb_reset(&sb);
	assert_int_equal(gn_sprintf_layer(&q->layers[1], f2, &sb, &err), 0);
	assert_string_equal(sb.s, "UDP 9.9.9.9:echo > 8.8.8.8:discard");
	gn_sb_free(&sb);
	gn_packet_free(q);
	gn_packet_free(p);
}

/* %.time%: "%H:%M:%S.%06i" of the capture time, local time. */
static void test_sprintf_time(void **state)
{
	struct gn_packet *p = parse_ok("IP()");

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	p->meta.ts_ns = INT64_C(1700000000123456789);
	check_sprintf(p, "%.time% %-16s,.time%|", "22:13:20.123456 22:13:20.123456 |");
	gn_packet_free(p);
}

/* ---- JSON ---------------------------------------------------------------------- */

static void test_json(void **state)
{
	struct gn_packet *p = parse_ok("IP(src=\"10.0.0.1\",dst=\"10.0.0.2\")/UDP(sport=1234,dport=53)");
	struct gn_packet *q = dissected(p);
	struct gn_packet *o = parse_ok("IP(src=\"1.2.3.4\",ttl=[1,2],id=(3,7),dst=\"10.0.0.0/30\","
				    "options=[IPOption_NOP(),IPOption_RR(routers=[\"1.1.1.1\"])])"
				    "/Raw(load=b\"a\\x00\\\"\")");
	struct gn_packet *e = gn_packet_new();

	(void)state;
	/* a template: auto fields not computed yet are null; proto is what
	 * UDP overloads */
	check_out(gn_json, p,
		  "{\"layers\":[{\"name\":\"IP\",\"fields\":{\"version\":4,\"ihl\":null,\"tos\":0,"
		  "\"len\":null,\"id\":1,\"flags\":0,\"frag\":0,\"ttl\":64,\"proto\":17,"
		  "\"chksum\":null,\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"options\":[]}},"
		  "{\"name\":\"UDP\",\"fields\":{\"sport\":1234,\"dport\":53,\"len\":null,"
		  "\"chksum\":null}}]}");
	check_out(gn_json, q,
		  "{\"layers\":[{\"name\":\"IP\",\"fields\":{\"version\":4,\"ihl\":5,\"tos\":0,"
		  "\"len\":28,\"id\":1,\"flags\":0,\"frag\":0,\"ttl\":64,\"proto\":17,"
		  "\"chksum\":26318,\"src\":\"10.0.0.1\",\"dst\":\"10.0.0.2\",\"options\":[]}},"
		  "{\"name\":\"UDP\",\"fields\":{\"sport\":1234,\"dport\":53,\"len\":8,"
		  "\"chksum\":59092}}]}");
	/* sub-packets as objects, generators as arrays/objects/strings, bytes as hex */
	check_out(gn_json, o,
		  "{\"layers\":[{\"name\":\"IP\",\"fields\":{\"version\":4,\"ihl\":null,\"tos\":0,"
		  "\"len\":null,\"id\":{\"from\":3,\"to\":7},\"flags\":0,\"frag\":0,\"ttl\":[1,2],"
		  "\"proto\":0,\"chksum\":null,\"src\":\"1.2.3.4\",\"dst\":\"10.0.0.0/30\","
		  "\"options\":[{\"name\":\"IPOption_NOP\",\"fields\":{\"copy_flag\":0,"
		  "\"optclass\":0,\"option\":1}},{\"name\":\"IPOption_RR\",\"fields\":"
		  "{\"copy_flag\":0,\"optclass\":0,\"option\":7,\"length\":null,\"pointer\":4,"
		  "\"routers\":[\"1.1.1.1\"]}}]}},"
		  "{\"name\":\"Raw\",\"fields\":{\"load\":\"610022\"}}]}");
	assert_non_null(e);
	check_out(gn_json, e, "{\"layers\":[]}");
	check_out(gn_show, e, "");
	check_out(gn_summary, e, "");
	check_out(gn_command, e, "");
	gn_packet_free(e);
	gn_packet_free(o);
	gn_packet_free(q);
	gn_packet_free(p);
}

/* ---- one field ------------------------------------------------------------------ */

static void field_is(const struct gn_layer *l, const char *name, enum gn_repr r,
		     const char *want)
{
	struct gn_strbuf sb;
	int i = gn_layer_field_index(l, name);

	assert_true(i >= 0);
	gn_sb_init(&sb);
	gn_format_field(l, (unsigned)i, &sb, r);
	assert_string_equal(sb.s ? sb.s : "", want);
	gn_sb_free(&sb);
}

static void test_format_field(void **state)
{
	struct gn_packet *p = parse_ok("IP(src=\"9.9.9.9\",tos=0x10,ttl=[1,(5,7)],dst=\"10.1.0.0/16\")"
				    "/TCP(sport=RandShort())");
	const struct gn_layer *ip = &p->layers[0], *tcp = &p->layers[1];

	(void)state;
	field_is(ip, "tos", GN_REPR_HUMAN, "0x10");
	field_is(ip, "tos", GN_REPR_EXPR, "16");
	field_is(ip, "tos", GN_REPR_JSON, "16");
	field_is(ip, "src", GN_REPR_HUMAN, "9.9.9.9");
	field_is(ip, "src", GN_REPR_EXPR, "'9.9.9.9'");
	field_is(ip, "src", GN_REPR_JSON, "\"9.9.9.9\"");
	field_is(ip, "len", GN_REPR_HUMAN, "None");
	field_is(ip, "len", GN_REPR_JSON, "null");
	field_is(ip, "ttl", GN_REPR_HUMAN, "[1, (5, 7)]");
	field_is(ip, "ttl", GN_REPR_JSON, "[1,{\"from\":5,\"to\":7}]");
	field_is(ip, "dst", GN_REPR_HUMAN, "Net(\"10.1.0.0/16\")");
	field_is(ip, "dst", GN_REPR_JSON, "\"10.1.0.0/16\"");
	field_is(ip, "proto", GN_REPR_HUMAN, "tcp");
	field_is(ip, "options", GN_REPR_HUMAN, "[]");
	field_is(tcp, "sport", GN_REPR_HUMAN, "<RandShort>");
	field_is(tcp, "sport", GN_REPR_EXPR, "RandShort()");
	field_is(tcp, "sport", GN_REPR_JSON, "\"RandShort()\"");
	gn_packet_free(p);
}

/* ---- ls --------------------------------------------------------------------------- */

static void test_ls(void **state)
{
	/* ls(UDP) and ls(Raw) in Scapy 2.5.0, verbatim */
	static const char udp[] =
		"sport      : ShortEnumField                      = ('53')\n"
		"dport      : ShortEnumField                      = ('53')\n"
		"len        : ShortField                          = ('None')\n"
		"chksum     : XShortField                         = ('None')\n";
	static const char raw[] =
		"load       : StrField                            = (\"b''\")\n";
	/* ls(IP) lines; src and dst differ from Scapy, which names them
	 * SourceIPField/DestIPField with a None default it fills from the route */
	static const char *const ip[] = {
		"version    : BitField  (4 bits)                  = ('4')\n",
		"ihl        : BitField  (4 bits)                  = ('None')\n",
		"tos        : XByteField                          = ('0')\n",
		"len        : ShortField                          = ('None')\n",
		"id         : ShortField                          = ('1')\n",
		"flags      : FlagsField                          = ('<Flag 0 ()>')\n",
		"frag       : BitField  (13 bits)                 = ('0')\n",
		"ttl        : ByteField                           = ('64')\n",
		"proto      : ByteEnumField                       = ('0')\n",
		"chksum     : XShortField                         = ('None')\n",
		"options    : PacketListField                     = ('[]')\n",
	};
	struct gn_strbuf sb;

	(void)state;
	gn_sb_init(&sb);
	gn_ls(gn_proto_find("UDP"), &sb);
	assert_string_equal(sb.s, udp);
	gn_sb_reset(&sb);
	gn_ls(gn_proto_find("Raw"), &sb);
	assert_string_equal(sb.s, raw);
	gn_sb_reset(&sb);
	gn_ls(gn_proto_find("IP"), &sb);
	for (size_t i = 0; i < sizeof(ip) / sizeof(ip[0]); i++) {
		if (!strstr(sb.s, ip[i]))
			print_message("missing: %s", ip[i]);
		assert_non_null(strstr(sb.s, ip[i]));
	}
	gn_sb_free(&sb);
}

/* ---- the algorithms, with test classes --------------------------------------- */

static bool says_name(const struct gn_layer *l, struct gn_strbuf *sb)
{
	gn_sb_printf(sb, "%s-said", l->proto->name);
	return true;
}

static bool says_nothing(const struct gn_layer *l, struct gn_strbuf *sb)
{
	(void)l;
	gn_sb_puts(sb, "scribble");  /* and then declines: must not show */
	return false;
}

static bool says_empty(const struct gn_layer *l, struct gn_strbuf *sb)
{
	(void)l;
	(void)sb;
	return true;
}

static const struct gn_field one_byte[] = { GN_BYTE("x", 1) };

#define TPROTO(nm, hook) { .name = nm, .fields = one_byte, .nfields = 1, .summary = hook }
static const struct gn_proto t_a = TPROTO("TA", NULL);
static const struct gn_proto t_b = TPROTO("TB", says_name);
static const struct gn_proto t_c = TPROTO("TC", says_nothing);
static const struct gn_proto t_d = TPROTO("TD", says_name);
static const struct gn_proto t_e = TPROTO("TE", says_empty);

static struct gn_packet *stack(const struct gn_proto *const *protos, size_t n)
{
	struct gn_packet *p = gn_packet_new();

	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		assert_non_null(gn_packet_push(p, protos[i]));
	return p;
}

static void summary_is(const char *prefix, const struct gn_proto *const *protos, size_t n,
		       const char *want)
{
	struct gn_packet *p = stack(protos, n);
	struct gn_strbuf sb;

	gn_sb_init(&sb);
	gn_sb_puts(&sb, prefix);
	gn_summary(p, &sb);
	assert_string_equal(sb.s, want);
	gn_sb_free(&sb);
	gn_packet_free(p);
}

#define SUMMARY_IS(prefix, want, ...) do { \
	const struct gn_proto *const ps_[] = { __VA_ARGS__ }; \
	summary_is(prefix, ps_, sizeof(ps_) / sizeof(ps_[0]), want); \
} while (0)

static int register_test_classes(void **state)
{
	const struct gn_proto *const all[] = { &t_a, &t_b, &t_c, &t_d, &t_e };

	(void)state;
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (gn_proto_register(all[i]))
			return -1;
	return 0;
}

static void test_summary_algorithm(void **state)
{
	(void)state;
	/* only the upper-most layer with something to say speaks */
	SUMMARY_IS("", "TA / TB-said / TC", &t_a, &t_b, &t_c);
	SUMMARY_IS("", "TA / TB / TD-said", &t_a, &t_b, &t_d);
	SUMMARY_IS("", "TB-said", &t_b);
	SUMMARY_IS("", "TA / TC", &t_a, &t_c);
	SUMMARY_IS("", "TA / TE", &t_a, &t_e);
	SUMMARY_IS("", "TB-said / TE / TC", &t_b, &t_e, &t_c);
	/* appends after what the buffer already holds */
	SUMMARY_IS("1: ", "1: TA / TA / TB-said / TA", &t_a, &t_a, &t_b, &t_a);
	SUMMARY_IS("2: ", "2: TA", &t_a);
}

/* A kind whose human text spans lines, for show()'s continuation indent. */
static void multi_format(const struct gn_layer *l, const struct gn_field *f,
			 const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	(void)v;
	gn_sb_puts(sb, r == GN_REPR_HUMAN ? "line1\nline2" : r == GN_REPR_JSON ? "\"m\"" : "'m'");
}

static const struct gn_field_ops multi_kind = {
	.kind = "MultiLineField",
	.dissect = NULL,
	.format = multi_format,
	.is_scalar = true,
};

static bool kind_is_2(const struct gn_layer *l)
{
	return gn_field_uint(l, 0) == 2;
}

static const struct gn_field cond_fields[] = {
	GN_BYTE("kind", 1),
	GN_FIELD_("opt", gn_kind_uint, 4, .dflt = 7, .present = kind_is_2),
	GN_BITS("pad", 4, 0),
	GN_FIELD_("multi", multi_kind, 8),
};

static const struct gn_proto t_cond = {
	.name = "TCond", .long_name = "Test Conditional",
	.fields = cond_fields, .nfields = 4,
};

static void test_conditional_and_multiline(void **state)
{
	struct gn_packet *p, *n;
	struct gn_strbuf sb;

	(void)state;
	assert_int_equal(gn_proto_register(&t_cond), 0);
	p = stack((const struct gn_proto *const[]){ &t_cond }, 1);
	/* Scapy indents continuation lines by len(label)+len(lvl)+len(name)+4 */
	check_out(gn_show, p,
		  "###[ Test Conditional ]### \n"
		  "  kind      = 1\n"
		  "  pad       = 0\n"
		  "  multi     = line1\n"
		  "         line2\n");
	check_out(gn_json, p,
		  "{\"layers\":[{\"name\":\"TCond\",\"fields\":{\"kind\":1,\"pad\":0,\"multi\":\"m\"}}]}");
	check_out(gn_command, p, "TCond()");
	assert_int_equal(gn_layer_set_uint(&p->layers[0], "kind", 2), 0);
	assert_int_equal(gn_layer_set_uint(&p->layers[0], "opt", 3), 0);
	check_out(gn_json, p,
		  "{\"layers\":[{\"name\":\"TCond\",\"fields\":{\"kind\":2,\"opt\":3,\"pad\":0,"
		  "\"multi\":\"m\"}}]}");
	check_out(gn_command, p, "TCond(kind=2, opt=3)");
	assert_int_equal(gn_layer_set_uint(&p->layers[0], "kind", 1), 0);
	check_out(gn_command, p, "TCond(kind=1)");

	/* nested: the continuation indent counts the margin and the level */
	n = stack((const struct gn_proto *const[]){ &t_a, &t_cond }, 2);
	check_out(gn_show, n,
		  "###[ TA ]### \n"
		  "  x         = 1\n"
		  "###[ Test Conditional ]### \n"
		  "     kind      = 1\n"
		  "     pad       = 0\n"
		  "     multi     = line1\n"
		  "            line2\n");
	gn_sb_init(&sb);
	gn_ls(&t_cond, &sb);
	assert_string_equal(sb.s,
		"kind       : ByteField                           = ('1')\n"
		"opt        : BitField (Cond) (4 bits)            = ('7')\n"
		"pad        : BitField  (4 bits)                  = ('0')\n"
		"multi      : MultiLineField                      = (\"'m'\")\n");
	gn_sb_free(&sb);
	gn_packet_free(n);
	gn_packet_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scapy_cases),
		cmocka_unit_test(test_generators),
		cmocka_unit_test(test_dns_chain),
		cmocka_unit_test(test_hexdump),
		cmocka_unit_test(test_sprintf),
		cmocka_unit_test(test_sprintf_layer),
		cmocka_unit_test(test_sprintf_time),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_format_field),
		cmocka_unit_test(test_ls),
		cmocka_unit_test(test_summary_algorithm),
		cmocka_unit_test(test_conditional_and_multiline),
	};

	return cmocka_run_group_tests(tests, register_test_classes, NULL);
}
