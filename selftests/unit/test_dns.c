// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DNS (proto/dns.c) and DNS names (user/field_dnsname.c): building every
 * record type and section, over UDP and TCP, against the bytes Scapy 2.5.0
 * builds from the same expressions; reading compressed messages as Scapy
 * reads them; and hostile input: pointer loops, pointers out of range,
 * chains of pointers, and every truncation of a message, which must end
 * (no hang) without a crash and without losing a byte.
 */
#include "protos.h"
#include "testlib.h"

/* ---- helpers ---------------------------------------------------------------- */

/* The first layer of record k of a section (one record is a packet value,
 * several a list). */
static const struct gn_layer *record(const struct gn_layer *dns, const char *section, unsigned k)
{
	int i = gn_layer_field_index(dns, section);
	const struct gn_value *v;

	assert_true(i >= 0);
	v = gn_layer_get(dns, (unsigned)i);
	if (v->type == GN_V_PKT && k == 0)
		return &v->pkt->layers[0];
	if (v->type == GN_V_LIST && k < v->len && v->items[k].type == GN_V_PKT)
		return &v->items[k].pkt->layers[0];
	fail_msg("%s has no record %u", section, k);
	return NULL;
}

/* ---- Scapy's bytes ------------------------------------------------------------ */

#define Q_DEFAULT "00000100000100000000000003777777076578616d706c6503636f6d0000010001"

#define RESP_ALL_EXPR \
	"DNS(id=99, qr=1, aa=1, qd=DNSQR(qname=\"www.example.com\"), " \
	"an=DNSRR(rrname=\"www.example.com\", type=\"CNAME\", ttl=60, rdata=\"web.example.com\")/" \
	"DNSRR(rrname=\"web.example.com\", ttl=60, rdata=\"192.0.2.1\"), " \
	"ns=DNSRRSOA(rrname=\"example.com\", mname=\"ns.example.com\", rname=\"admin.example.com\", " \
	"serial=7, refresh=1, retry=2, expire=3, minimum=4), " \
	"ar=DNSRRMX(rrname=\"example.com\", type=\"MX\", preference=10, exchange=\"mx.example.com\")/" \
	"DNSRRSRV(rrname=\"_sip._udp.example.com\", priority=1, weight=2, port=5060, " \
	"target=\"sip.example.com\")/" \
	"DNSRR(rrname=\"txt.example.com\", type=\"TXT\", rdata=[\"hello\", \"world\"])/" \
	"DNSRR(rrname=\"v6.example.com\", type=\"AAAA\", rdata=\"2001:db8::1\"))"

#define RESP_ALL \
	"00638500000100020001000403777777076578616d706c6503636f6d0000010001037777770765" \
	"78616d706c6503636f6d00000500010000003c001103776562076578616d706c6503636f6d0003" \
	"776562076578616d706c6503636f6d00000100010000003c0004c0000201076578616d706c6503" \
	"636f6d0000060001000000000037026e73076578616d706c6503636f6d000561646d696e076578" \
	"616d706c6503636f6d000000000700000001000000020000000300000004076578616d706c6503" \
	"636f6d00000f0001000000000012000a026d78076578616d706c6503636f6d00045f736970045f" \
	"756470076578616d706c6503636f6d00002100010000000000170001000213c403736970076578" \
	"616d706c6503636f6d0003747874076578616d706c6503636f6d000010000100000000000c0568" \
	"656c6c6f05776f726c64027636076578616d706c6503636f6d00001c000100000000001020010d" \
	"b8000000000000000000000001"

/* a compressed answer (qname at 12; CNAME owner and target by pointer) and
 * Scapy's bytes for it built again: names written out, the CNAME's rdlen
 * computed anew, the A record's kept */
#define COMP \
	"002a8180000100020000000003777777076578616d706c6503636f6d0000010001c00c00050001" \
	"00000e10000603776562c010c0100001000100000e1000045db8d822"
#define COMP_REBUILT \
	"002a8180000100020000000003777777076578616d706c6503636f6d0000010001037777770765" \
	"78616d706c6503636f6d000005000100000e10001103776562076578616d706c6503636f6d0007" \
	"6578616d706c6503636f6d000001000100000e1000045db8d822"

/* DNSSEC and TSIG records and an EDNS0 client subnet option, as Scapy builds them */
#define DNSSEC_MSG \
	"000081000001000200020002076578616d706c6503636f6d0000010001076578616d706c650363" \
	"6f6d00002e000100000000002100010d00000000006553f100000000000000076578616d706c65" \
	"03636f6d000102076578616d706c6503636f6d0000300001000000000005010003056b01610765" \
	"78616d706c6503636f6d00002f00010000000000340163076578616d706c6503636f6d00000660" \
	"0000000002041b0000000000000000000000000000000000000000000000000000200168076578" \
	"616d706c6503636f6d000032000100000000000c0000000001ab02787900014000002910000000" \
	"8000000f0008000700011800c0000200030000016b0000fa000100000000001d09686d61632d73" \
	"68613100000000000000000000026d6d000000000000"

/* ---- building ---------------------------------------------------------------- */

static void test_build_default_query(void **state)
{
	struct gn_packet *p = parse_ok("DNS()");

	(void)state;
	assert_builds_tail(p, Q_DEFAULT, "DNS()");
	assert_summary(p, "DNS Qry \"b'www.example.com.'\" ", "DNS()");
	gn_packet_free(p);
}

static void test_build_all_sections(void **state)
{
	struct gn_packet *p = parse_ok(RESP_ALL_EXPR);

	(void)state;
	assert_builds_tail(p, RESP_ALL, "response with every section");
	/* the first answer is a CNAME: Scapy prints its rdata as bytes */
	assert_summary(p, "DNS Ans \"b'web.example.com.'\" ", "response");
	gn_packet_free(p);
}

/* A list of records and a chain of records are the same thing. */
static void test_build_list_equals_chain(void **state)
{
	struct gn_packet *a = parse_ok("DNS(qd=DNSQR(qname='a.example')/DNSQR(qname='b.example', qtype=28))");
	struct gn_packet *b = parse_ok("DNS(qd=[DNSQR(qname='a.example'), DNSQR(qname='b.example', qtype=28)])");
	const char *want = "0000010000020000000000000161076578616d706c6500000100010162076578"
			   "616d706c6500001c0001";

	(void)state;
	assert_builds_tail(a, want, "chain");
	assert_builds_tail(b, want, "list");
	gn_packet_free(a);
	gn_packet_free(b);
}

static void test_build_tcp_length(void **state)
{
	/* Scapy: TCP(sport=40000, dport=53)/DNS(id=0x1234, qd=DNSQR(qname="example.com",
	 * qtype="AAAA")): the DNS part, with its 2-byte length */
	struct gn_packet *p = parse_ok("IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=40000, dport=53)/"
				       "DNS(id=0x1234, qd=DNSQR(qname='example.com', qtype='AAAA'))");
	struct gn_packet *q = parse_ok("IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=40000, dport=53)/"
				       "DNS(length=7, qd=None)");

	(void)state;
	assert_builds_tail(p, "001d123401000001000000000000076578616d706c6503636f6d00001c0001",
			   "DNS over TCP");
	assert_builds_tail(q, "0007000001000000000000000000", "given length");
	gn_packet_free(p);
	gn_packet_free(q);
}

static void test_build_udp_ports(void **state)
{
	/* UDP()/DNS(): sport is overloaded to 53 (Scapy's last binding), dport
	 * keeps UDP's default 53; TCP()/DNS() gets sport 53, dport stays 80 */
	struct gn_packet *u = parse_ok("UDP(sport=1000)/DNS()");
	struct gn_packet *t = parse_ok("TCP()/DNS()");
	struct gn_arena *a = gn_arena_new(1024);
	uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(gn_build(u, a, &out, &len), 0);
	assert_int_equal(out[0] << 8 | out[1], 1000);
	assert_int_equal(out[2] << 8 | out[3], 53);
	assert_int_equal(gn_build(t, a, &out, &len), 0);
	assert_int_equal(out[0] << 8 | out[1], 53);
	assert_int_equal(out[2] << 8 | out[3], 80);
	gn_arena_free(a);
	gn_packet_free(u);
	gn_packet_free(t);
}

/* Names: labels over 63 bytes are cut, the root is one zero, a value
 * already in wire form is written as it is (Scapy's dns_encode). */
static void test_build_names(void **state)
{
	static const struct {
		const char *expr, *want;
	} cases[] = {
		{ "DNSQR(qname='.')", "0000010001" },
		{ "DNSQR(qname='')", "0000010001" },
		{ "DNSQR(qname=None)", "0000010001" },
		{ "DNSQR(qname='a.b')", "016101620000010001" },
		{ "DNSQR(qname='a..b.')", "01610001620000010001" },
		{ "DNSQR(qname=b'\\x07example\\x03com\\x00')", "076578616d706c6503636f6d0000010001" },
		{ "DNSQR(qname=b'\\x03www\\xc0\\x0c')", "03777777c00c00010001" },
		{ "DNSQR(qname='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.c')",
		  "3f787878787878787878787878787878787878787878787878787878787878787878787878787878"
		  "78787878787878787878787878787878787878787878787801630000010001" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gn_packet *p = parse_ok(cases[i].expr);

		assert_builds_tail(p, cases[i].want, cases[i].expr);
		gn_packet_free(p);
	}
}

static void test_build_rdata_types(void **state)
{
	static const struct {
		const char *expr, *want;
	} cases[] = {
		/* Scapy 2.5's bytes of each */
		{ "DNSRR(rrname='a', rdata='1.2.3.4')", "0161000001000100000000000401020304" },
		{ "DNSRR(rrname='a')", "0161000001000100000000000400000000" },
		{ "DNSRR(rrname='a', type='AAAA', rdata='::1')",
		  "016100001c000100000000001000000000000000000000000000000001" },
		{ "DNSRR(rrname='a', type='CNAME', rdata='a.b')", "016100000500010000000000050161016200" },
		{ "DNSRR(rrname='a', type='PTR')", "016100000c000100000000000100" },
		{ "DNSRR(rrname='a', type='TXT', rdata='hi')", "01610000100001000000000003026869" },
		{ "DNSRR(rrname='a', type='TXT')", "01610000100001000000000000" },
		{ "DNSRR(rrname='a', type='NULL', rdata=b'\\x00\\xff')", "016100000a000100000000000200ff" },
		{ "DNSRR(rrname='a', type=99, rdata='1.2.3.4')", "01610000630001000000000007312e322e332e34" },
		{ "DNSRRMX(rrname='a', type='MX', preference=5, exchange='m')",
		  "016100000f00010000000000050005016d00" },
		/* sic: Scapy 2.5's DNSRRMX defaults to type 6 */
		{ "DNSRRMX()", "0000060001000000000003000000" },
		{ "DNSRRSRV(port=80, target='t')", "0000210001000000000009000000000050017400" },
		{ "DNSRRSOA(mname='m', rname='r', serial=1)",
		  "000006000100000000001a016d000172000000000100000000000000000000000000000000" },
		{ "DNSRROPT()", "0000291000000080000000" },
		{ "DNSRROPT(rdata=[EDNS0TLV(optcode=3, optdata=b'ab')])",
		  "0000291000000080000006000300026162" },
		/* bytes in an A record are written as they are */
		{ "DNSRR(rrname='a', type='A', rdata=b'\\x01\\x02')", "01610000010001000000000002" "0102" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gn_packet *p = parse_ok(cases[i].expr);

		assert_builds_tail(p, cases[i].want, cases[i].expr);
		gn_packet_free(p);
	}
}

static void test_build_long_txt(void **state)
{
	/* a string of 300 bytes is written as 255 + 45, each with its length */
	struct gn_packet *p = parse_ok("DNSRR(rrname='a', type='TXT', rdata=['x' * 300])");
	struct gn_arena *a = gn_arena_new(1024);
	uint8_t *out;
	size_t len;

	(void)state;
	assert_int_equal(gn_build(p, a, &out, &len), 0);
	assert_int_equal(len, 3 + 10 + 302);
	assert_int_equal(out[11] << 8 | out[12], 302);
	assert_int_equal(out[13], 255);
	assert_int_equal(out[13 + 256], 45);
	gn_arena_free(a);
	gn_packet_free(p);
}

static void test_assign_errors(void **state)
{
	static const struct {
		const char *expr, *msg;
		int column;
	} cases[] = {
		{ "DNSRR(rdata='10.0.0.256')", "not a valid IPv4 address", 13 },
		{ "DNSRR(rdata='2001:db8::zz')", "takes an address", 0 },
		{ "DNSRR(rdata=12)", "takes an address", 13 },
		{ "DNS(an=5)", "list of packets", 8 },
		{ "DNS(qd=DNSRR())", "DNSQR", 8 },
		{ "DNSQR(qname=5)", "DNS name", 13 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!strcmp(cases[i].expr, "DNSRR(rdata='2001:db8::zz')")) {
			/* not address-like: a name or bytes, accepted */
			gn_packet_free(parse_ok(cases[i].expr));
			continue;
		}
		assert_refused(cases[i].expr, cases[i].msg, cases[i].column);
	}
}

/* DNSSEC, TSIG and EDNS0 client subnet records: Scapy 2.5's bytes. */
static void test_build_dnssec(void **state)
{
	static const struct {
		const char *expr, *want;
	} cases[] = {
		{ "DNSRRRSIG(rrname='a', typecovered='A', algorithm=8, labels=2, originalttl=300, expiration=1700000000, inception=1690000000, keytag=12345, signersname='example.com', signature=b'sig')",
		  "016100002e0001000000000022000108020000012c6553f10064bb5a803039076578616d706c6503636f6d00736967" },
		{ "DNSRRNSEC(rrname='a', nextname='b', typebitmaps=[1, 2, 46, 47, 1234])",
		  "016100002f00010000000000280162000006600000000003041b000000000000000000000000000000000000000000000000000020" },
		{ "DNSRRDNSKEY(rrname='a', flags=257, algorithm=13, publickey=b'key')",
		  "016100003000010000000000070101030d6b6579" },
		{ "DNSRRDS(rrname='a', keytag=1, algorithm=8, digesttype=2, digest=b'\\x01\\x02')",
		  "016100002b0001000000000006000108020102" },
		{ "DNSRRDLV(rrname='a', digest=b'd')",
		  "016100800100010000000000050000050564" },
		{ "DNSRRNSEC3(rrname='a', hashalg=1, flags=1, iterations=10, saltlength=2, salt=b'ab', hashlength=3, nexthashedownername=b'xyz', typebitmaps=[1, 28])",
		  "016100003200010000000000110101000a0261620378797a000440000008" },
		{ "DNSRRNSEC3PARAM(rrname='a', hashalg=1, iterations=5, saltlength=None, salt=b'ab')",
		  "0161000033000100000000000701000005026162" },
		{ "DNSRRTSIG(rrname='k', time_signed=1700000000, fudge=300, mac_len=None, mac_data=b'0123456789abcdef', original_id=7)",
		  "016b0000fa000100000000002b09686d61632d736861310000006553f100012c001030313233343536373839616263646566000700000000" },
		{ "EDNS0ClientSubnet(address='10.1.2.0')",
		  "00080007000118000a0102" },
		{ "EDNS0ClientSubnet(family=2, address='2001:db8::')",
		  "000800080002200020010db8" },
		{ "EDNS0ClientSubnet(source_plen=24, address='192.0.2.0', scope_plen=0)",
		  "0008000700011800c00002" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gn_packet *p = parse_ok(cases[i].expr);
		struct gn_packet *q = dissect_hex(p->layers[0].proto, cases[i].want);

		assert_builds_tail(p, cases[i].want, cases[i].expr);
		/* read back and built again: the same bytes */
		assert_builds_tail(q, cases[i].want, cases[i].expr);
		exercise(q);
		gn_packet_free(p);
		gn_packet_free(q);
	}
}

/* How show() writes their fields (Scapy's i2repr). */
static void test_show_dnssec(void **state)
{
	struct gn_packet *r = dissect_hex(&gn_proto_dnsrrrsig,
		"016100002e0001000000000022000108020000012c6553f10064bb5a803039076578616d706c6503"
		"636f6d00736967");
	struct gn_packet *n = dissect_hex(&gn_proto_dnsrrnsec,
		"016100002f00010000000000280162000006600000000003041b00000000000000000000000000"
		"0000000000000000000000000020");
	struct gn_packet *t = dissect_hex(&gn_proto_dnsrrtsig,
		"016b0000fa000100000000002b09686d61632d736861310000006553f100012c0010303132333435"
		"36373839616263646566000700000000");
	struct gn_packet *k = dissect_hex(&gn_proto_dnsrrdnskey, "016100003000010000000000070101030d6b6579");
	struct gn_packet *c = dissect_hex(&gn_proto_edns0_client_subnet, "000800080002200020010db8");

	(void)state;
	assert_field(&r->layers[0], "expiration", GN_REPR_HUMAN,
		     "Tue, 14 Nov 2023 22:13:20 +0000 (1700000000)");
	assert_field(&r->layers[0], "algorithm", GN_REPR_HUMAN, "RSA/SHA-256");
	assert_field(&r->layers[0], "signersname", GN_REPR_HUMAN, "'example.com.'");
	assert_field(&n->layers[0], "typebitmaps", GN_REPR_HUMAN,
		     "['A', 'NS', 'RRSIG', 'NSEC', 1234]");
	assert_field(&t->layers[0], "time_signed", GN_REPR_HUMAN, "Tue Nov 14 22:13:20 2023");
	assert_field(&k->layers[0], "flags", GN_REPR_HUMAN, "SZ");
	assert_field(&c->layers[0], "address", GN_REPR_HUMAN, "2001:db8::");
	assert_field(&c->layers[0], "source_plen", GN_REPR_HUMAN, "32");
	{
		struct gn_packet *m = dissect_hex(&gn_proto_dns, DNSSEC_MSG);
		const struct gn_layer *dns = &m->layers[0];
		const struct gn_value *opts;

		assert_string_equal(record(dns, "an", 0)->proto->name, "DNSRRRSIG");
		assert_string_equal(record(dns, "an", 1)->proto->name, "DNSRRDNSKEY");
		assert_string_equal(record(dns, "ns", 0)->proto->name, "DNSRRNSEC");
		assert_string_equal(record(dns, "ns", 1)->proto->name, "DNSRRNSEC3");
		assert_string_equal(record(dns, "ar", 0)->proto->name, "DNSRROPT");
		assert_string_equal(record(dns, "ar", 1)->proto->name, "DNSRRTSIG");
		opts = gn_layer_get(record(dns, "ar", 0), 7);
		assert_int_equal(opts->type, GN_V_LIST);
		assert_int_equal(opts->len, 2);
		assert_string_equal(opts->items[0].pkt->layers[0].proto->name, "EDNS0ClientSubnet");
		assert_string_equal(opts->items[1].pkt->layers[0].proto->name, "EDNS0TLV");
		assert_builds_tail(m, DNSSEC_MSG, "DNSSEC message");
		gn_packet_free(m);
	}
	gn_packet_free(r);
	gn_packet_free(n);
	gn_packet_free(t);
	gn_packet_free(k);
	gn_packet_free(c);
}

/* ---- reading ------------------------------------------------------------------ */

static void test_dissect_round_trip(void **state)
{
	struct gn_packet *p = dissect_hex(&gn_proto_dns, RESP_ALL);
	const struct gn_layer *dns = &p->layers[0];

	(void)state;
	assert_int_equal(p->n, 1);
	assert_field(dns, "id", GN_REPR_HUMAN, "99");
	assert_field(dns, "ancount", GN_REPR_HUMAN, "2");
	assert_field(dns, "arcount", GN_REPR_HUMAN, "4");
	assert_field(record(dns, "qd", 0), "qname", GN_REPR_HUMAN, "'www.example.com.'");
	assert_field(record(dns, "qd", 0), "qname", GN_REPR_JSON, "\"www.example.com.\"");
	assert_field(record(dns, "an", 0), "rdata", GN_REPR_HUMAN, "'web.example.com.'");
	assert_field(record(dns, "an", 1), "rdata", GN_REPR_HUMAN, "192.0.2.1");
	assert_field(record(dns, "an", 1), "rdata", GN_REPR_JSON, "\"192.0.2.1\"");
	assert_string_equal(record(dns, "ns", 0)->proto->name, "DNSRRSOA");
	assert_field(record(dns, "ns", 0), "rname", GN_REPR_HUMAN, "'admin.example.com.'");
	assert_field(record(dns, "ns", 0), "minimum", GN_REPR_HUMAN, "4");
	assert_string_equal(record(dns, "ar", 0)->proto->name, "DNSRRMX");
	assert_field(record(dns, "ar", 0), "exchange", GN_REPR_HUMAN, "'mx.example.com.'");
	assert_string_equal(record(dns, "ar", 1)->proto->name, "DNSRRSRV");
	assert_field(record(dns, "ar", 1), "port", GN_REPR_HUMAN, "5060");
	assert_field(record(dns, "ar", 2), "rdata", GN_REPR_HUMAN, "[b'hello', b'world']");
	assert_field(record(dns, "ar", 2), "rdata", GN_REPR_JSON, "[\"hello\",\"world\"]");
	assert_field(record(dns, "ar", 3), "rdata", GN_REPR_HUMAN, "2001:db8::1");
	assert_summary(p, "DNS Ans \"b'web.example.com.'\" ", "dissected");
	assert_builds_tail(p, RESP_ALL, "rebuilt");
	gn_packet_free(p);
}

static void test_dissect_compressed(void **state)
{
	struct gn_packet *p = dissect_hex(&gn_proto_dns, COMP);
	const struct gn_layer *dns = &p->layers[0];

	(void)state;
	assert_field(record(dns, "an", 0), "rrname", GN_REPR_HUMAN, "'www.example.com.'");
	assert_field(record(dns, "an", 0), "rdata", GN_REPR_HUMAN, "'web.example.com.'");
	/* Scapy forgets the rdlen of a compressed rdata, keeps the others */
	assert_field(record(dns, "an", 0), "rdlen", GN_REPR_HUMAN, "None");
	assert_field(record(dns, "an", 1), "rrname", GN_REPR_HUMAN, "'example.com.'");
	assert_field(record(dns, "an", 1), "rdlen", GN_REPR_HUMAN, "4");
	assert_summary(p, "DNS Ans \"b'web.example.com.'\" ", "compressed");
	assert_builds_tail(p, COMP_REBUILT, "compressed, built again");
	exercise(p);
	gn_packet_free(p);
}

static void test_dissect_over_udp_and_tcp(void **state)
{
	/* Scapy's IP/UDP(sport=33000)/DNS(...) and IP/TCP(sport=40000,
	 * dport=53, flags="PA")/DNS(...) for the same question */
	struct gn_packet *u = dissect_hex(&gn_proto_ip,
		"4500003900010000401166b10a0000010a00000280e8003500259b16000001000001000000"
		"000000076578616d706c6503636f6d0000010001");
	struct gn_packet *t = dissect_hex(&gn_proto_ip,
		"4500004700010000400666ae0a0000010a0000029c4000350000000000000000501820000f"
		"ab0000001d000001000001000000000000076578616d706c6503636f6d0000010001");
	const struct gn_layer *du = gn_packet_layer(u, &gn_proto_dns, 0);
	const struct gn_layer *dt = gn_packet_layer(t, &gn_proto_dns, 0);

	(void)state;
	assert_non_null(du);
	assert_non_null(dt);
	assert_int_equal(u->n, 3);
	assert_int_equal(t->n, 3);
	assert_field(record(du, "qd", 0), "qname", GN_REPR_HUMAN, "'example.com.'");
	assert_field(dt, "length", GN_REPR_HUMAN, "29");
	assert_field(record(dt, "qd", 0), "qname", GN_REPR_HUMAN, "'example.com.'");
	/* over UDP there is no length field at all */
	{
		struct gn_strbuf sb;

		gn_sb_init(&sb);
		gn_json(u, &sb);
		assert_null(strstr(sb.s, "\"length\""));
		gn_sb_reset(&sb);
		gn_json(t, &sb);
		assert_non_null(strstr(sb.s, "\"length\":29"));
		gn_sb_free(&sb);
	}
	assert_summary(u, "IP / UDP / DNS Qry \"b'example.com.'\" ", "over UDP");
	gn_packet_free(u);
	gn_packet_free(t);
}

/* ---- hostile input ----------------------------------------------------------- */

static const struct gn_layer *first_qd(const struct gn_packet *p)
{
	assert_true(p->n >= 1);
	return record(&p->layers[0], "qd", 0);
}

static void test_pointer_loops(void **state)
{
	static const struct {
		const char *hex, *qname;
	} cases[] = {
		/* qname is a pointer to itself */
		{ "000001000001000000000000" "c00c" "00010001", "'.'" },
		/* a -> b -> a: each label once, then the loop ends the name */
		{ "000001000001000000000000" "0161c010" "0162c00c", "'a.b.a.'" },
		/* a pointer past the end of the message */
		{ "000001000001000000000000" "0178c0ff" "00010001", "'x.'" },
		/* a pointer into its own second byte, read as a label of 13
		 * bytes that runs past the end: what is there, as Scapy */
		{ "000001000001000000000000" "c00d" "00010001", "'\\x00\\x01\\x00\\x01.'" },
		/* a pointer to a label that runs past the end */
		{ "000001000001000000000000" "c012" "00010001" "0a6162", "'ab.'" },
		/* the extended label types (0x40, 0x80) are pointers too, as in Scapy */
		{ "000001000001000000000000" "4010" "00010001", "'.'" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gn_packet *p = dissect_hex(&gn_proto_dns, cases[i].hex);

		assert_field(first_qd(p), "qname", GN_REPR_HUMAN, cases[i].qname);
		exercise(p);
		gn_packet_free(p);
	}
}

/* Chains of distinct pointers, each to the one before, ending at "z.":
 * 100 are followed to the end; 200 stop after a bounded number of jumps. */
static void chain_case(unsigned jumps, const char *want)
{
	uint8_t msg[24 + 2 * 256];
	struct gn_packet *p;
	size_t n = 21;

	memset(msg, 0, sizeof(msg));
	msg[5] = 1; /* qdcount */
	memcpy(msg + 18, "\x01z\x00", 3);
	for (unsigned i = 0; i < jumps; i++) {
		size_t target = i ? n - 2 : 18;

		msg[n++] = (uint8_t)(0xc0 | target >> 8);
		msg[n++] = (uint8_t)target;
	}
	/* the question: a pointer to the last of them, type A, class IN */
	msg[12] = (uint8_t)(0xc0 | (n - 2) >> 8);
	msg[13] = (uint8_t)(n - 2);
	memcpy(msg + 14, "\x00\x01\x00\x01", 4);
	p = dissect_ok(&gn_proto_dns, msg, n);
	assert_field(first_qd(p), "qname", GN_REPR_HUMAN, want);
	exercise(p);
	gn_packet_free(p);
}

static void test_pointer_chain(void **state)
{
	(void)state;
	chain_case(100, "'z.'");
	chain_case(200, "'.'");
}

static void test_rdata_pointer_loop(void **state)
{
	/* a CNAME whose rdata points to itself */
	struct gn_packet *p = dissect_hex(&gn_proto_dns,
		"000081000000000100000000" "01610000050001000000000002c019");

	(void)state;
	exercise(p);
	gn_packet_free(p);
}

/* Counts that lie: larger than the bytes (no records, as Scapy), and
 * records cut short (the section ends, the rest is Raw). */
static void test_lying_counts(void **state)
{
	struct gn_packet *p = dissect_hex(&gn_proto_dns, "000001000fff000000000000" "016100");
	struct gn_packet *q = dissect_hex(&gn_proto_dns,
		"000001000002000000000000" "0161000001000101620000");

	(void)state;
	assert_field(&p->layers[0], "qd", GN_REPR_HUMAN, "None");
	assert_string_equal(p->layers[1].proto->name, "Raw");
	assert_string_equal(record(&q->layers[0], "qd", 0)->proto->name, "DNSQR");
	assert_string_equal(q->layers[q->n - 1].proto->name, "Raw");
	exercise(p);
	exercise(q);
	gn_packet_free(p);
	gn_packet_free(q);
}

/* Records without rdata (rdlen 0): shown as Scapy's defaults for the
 * type, and built again to the same bytes. */
static void test_empty_rdata(void **state)
{
	const char *hex = "000081000000000400000000"
			  "01610000010001000000000000" "016200001c0001000000000000"
			  "01630000100001000000000000" "01640000050001000000000000";
	struct gn_packet *p = dissect_hex(&gn_proto_dns, hex);
	const struct gn_layer *dns = &p->layers[0];

	(void)state;
	assert_int_equal(p->n, 1);
	assert_field(record(dns, "an", 0), "rdata", GN_REPR_HUMAN, "0.0.0.0");
	assert_field(record(dns, "an", 1), "rdata", GN_REPR_JSON, "\"::\"");
	assert_field(record(dns, "an", 2), "rdata", GN_REPR_JSON, "[]");
	assert_field(record(dns, "an", 3), "rdata", GN_REPR_HUMAN, "None");
	assert_builds_tail(p, hex, "records without rdata");
	gn_packet_free(p);
}

/* Every prefix of a message with every section, alone and under
 * IP/UDP and IP/TCP: dissected, shown, built again, and no byte lost. */
static void test_truncation_everywhere(void **state)
{
	static const char *frames[] = { RESP_ALL, COMP, DNSSEC_MSG };
	uint8_t buf[2048];

	(void)state;
	for (size_t f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
		size_t n = unhex(frames[f], buf, sizeof(buf));

		for (size_t len = 0; len <= n; len++) {
			struct gn_packet *p = dissect_ok(&gn_proto_dns, buf, len);

			exercise(p);
			gn_packet_free(p);
		}
	}
}

static void test_truncation_under_ip(void **state)
{
	struct gn_packet *t = parse_ok("IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=53, dport=999)/"
				       RESP_ALL_EXPR);
	struct gn_packet *u = parse_ok("IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=53, dport=999)/"
				       RESP_ALL_EXPR);
	struct gn_packet *tmpl[] = { t, u };
	struct gn_arena *a = gn_arena_new(4096);

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		uint8_t *out;
		size_t n;

		assert_int_equal(gn_build(tmpl[k], a, &out, &n), 0);
		for (size_t len = 0; len <= n; len++) {
			struct gn_packet *p = dissect_ok(&gn_proto_ip, out, len);

			exercise(p);
			if (len == n) {
				const struct gn_layer *dns = gn_packet_layer(p, &gn_proto_dns, 0);

				assert_non_null(dns);
				if (k == 0)
					assert_field(dns, "length", GN_REPR_HUMAN, "364");
				assert_field(record(dns, "ar", 3), "rdata", GN_REPR_HUMAN, "2001:db8::1");
			}
			gn_packet_free(p);
		}
	}
	gn_arena_free(a);
	gn_packet_free(t);
	gn_packet_free(u);
}

/* Random damage to real messages: a fixed seed, so a failure repeats. */
static void test_mutations(void **state)
{
	static const char *frames[] = { RESP_ALL, COMP, DNSSEC_MSG };
	uint8_t orig[2048], buf[2048];
	uint32_t seed = 12345;

	(void)state;
	for (size_t f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
		size_t n = unhex(frames[f], orig, sizeof(orig));

		for (int round = 0; round < 3000; round++) {
			struct gn_packet *p;

			memcpy(buf, orig, n);
			damage(buf, 0, n, &seed);
			p = dissect_ok(&gn_proto_dns, buf, n);
			exercise(p);
			gn_packet_free(p);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_default_query),
		cmocka_unit_test(test_build_all_sections),
		cmocka_unit_test(test_build_list_equals_chain),
		cmocka_unit_test(test_build_tcp_length),
		cmocka_unit_test(test_build_udp_ports),
		cmocka_unit_test(test_build_names),
		cmocka_unit_test(test_build_rdata_types),
		cmocka_unit_test(test_build_long_txt),
		cmocka_unit_test(test_build_dnssec),
		cmocka_unit_test(test_show_dnssec),
		cmocka_unit_test(test_assign_errors),
		cmocka_unit_test(test_dissect_round_trip),
		cmocka_unit_test(test_dissect_compressed),
		cmocka_unit_test(test_dissect_over_udp_and_tcp),
		cmocka_unit_test(test_pointer_loops),
		cmocka_unit_test(test_pointer_chain),
		cmocka_unit_test(test_rdata_pointer_loop),
		cmocka_unit_test(test_lying_counts),
		cmocka_unit_test(test_empty_rdata),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_truncation_under_ip),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
