// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * BOOTP and DHCP (proto/dhcp.c): options by name with Scapy 2.5's
 * encodings, the magic cookie that puts DHCP above BOOTP, numbered and raw
 * options; reading options back as Scapy does, malformed ones included; and
 * every truncation and random damage of a full frame, without a crash and
 * without losing a byte.  Expected bytes and texts come from Scapy 2.5.0.
 */
#include "protos.h"
#include "testlib.h"

/* ---- Scapy's bytes ------------------------------------------------------------ */

/* 236 bytes of BOOTP with zeros where only the fields below differ */
#define ZEROS_16 "00000000000000000000000000000000"
#define SNAME_FILE \
	ZEROS_16 ZEROS_16 ZEROS_16 ZEROS_16 ZEROS_16 ZEROS_16 \
	ZEROS_16 ZEROS_16 ZEROS_16 ZEROS_16 ZEROS_16 ZEROS_16

#define DISCOVER_EXPR \
	"BOOTP(chaddr=b'\\x00\\x11\\x22\\x33\\x44\\x55', xid=0x1234)/DHCP(options=[" \
	"('message-type', 'discover'), ('param_req_list', [1, 3, 6]), ('client_id', b'\\x01abc'), " \
	"('hostname', 'x'), ('router', '1.2.3.4', '5.6.7.8'), (99, b'zz'), 'end', 'pad', b'\\x01\\x02'])"
#define DISCOVER \
	"0101060000001234000000000000000000000000000000000000000000112233445500000000000000000000" \
	SNAME_FILE \
	"6382536335010137030103063d04016162630c01780308010203040506070863027a7aff000102"

#define OFFER_EXPR \
	"BOOTP(op=2, yiaddr='192.168.0.10', xid=7)/DHCP(options=[('message-type', 'offer'), " \
	"('subnet_mask', '255.255.255.0'), ('lease_time', 3600), ('classless_static_routes', " \
	"['10.0.0.0/8:192.168.0.1', '0.0.0.0/0:192.168.0.254']), ('vendor_class_id', 'MSFT 5.0'), 'end'])"
#define OFFER \
	"02010600000000070000000000000000c0a8000a000000000000000000000000000000000000000000000000" \
	SNAME_FILE \
	"638253633501020104ffffff00330400000e10790b080ac0a8000100c0a800fe3c084d53465420352e30ff"

/* ---- building ---------------------------------------------------------------- */

static void test_build_discover(void **state)
{
	struct gn_packet *p = parse_ok(DISCOVER_EXPR);

	(void)state;
	assert_builds(p, DISCOVER, "discover");
	assert_summary(p, "BOOTP / DHCP Discover", "discover");
	gn_packet_free(p);
}

static void test_build_offer(void **state)
{
	struct gn_packet *p = parse_ok(OFFER_EXPR);

	(void)state;
	assert_builds(p, OFFER, "offer");
	assert_summary(p, "BOOTP / DHCP Offer", "offer");
	gn_packet_free(p);
}

/* Each option's encoding, alone after the cookie (Scapy 2.5's bytes). */
static void test_build_options(void **state)
{
	static const struct {
		const char *opts, *want;
	} cases[] = {
		{ "[('message-type', 3)]", "350103" },
		{ "[('message-type', 'force_renew')]", "350109" },
		{ "[('server_id', '10.0.0.1')]", "36040a000001" },
		{ "[('name_server', '1.1.1.1', '8.8.8.8')]", "06080101010108080808" },
		{ "[('lease_time', 4294967295)]", "3304ffffffff" },
		{ "[('max_dhcp_size', 1500)]", "390205dc" },
		{ "[('default_ttl', 64)]", "170140" },
		{ "[('param_req_list', 1, 3)]", "37020103" },
		{ "[('param_req_list', [])]", "3700" },
		{ "[('domain', 'example.com')]", "0f0b6578616d706c652e636f6d" },
		{ "[('vendor_class_id', b'\\x00\\xff')]", "3c0200ff" },
		{ "[('classless_static_routes', '192.168.1.0/24:10.0.0.1')]", "790818c0a8010a000001" },
		{ "[(250, b'ab', b'cd')]", "fa0461626364" },
		{ "['end', 'pad', 'hostname']", "ff000c" },
		{ "[7]", "0700" },
		{ "['subnet_mask']", "7375626e65745f6d61736b" },
		{ "[b'\\x01\\x02\\x03']", "010203" },
		{ "[]", "" },
		{ "None", "" }, /* gannet's: no options (Scapy refuses None) */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char expr[256], want[256];
		struct gn_packet *p;

		snprintf(expr, sizeof(expr), "DHCP(options=%s)", cases[i].opts);
		snprintf(want, sizeof(want), "%s", cases[i].want);
		p = parse_ok(expr);
		assert_builds(p, want, expr);
		gn_packet_free(p);
	}
}

static void test_build_ports(void **state)
{
	/* UDP()/BOOTP(): the last binding, 67 -> 68 */
	struct gn_packet *p = parse_ok("UDP()/BOOTP()");
	char *hex;

	(void)state;
	hex = build_hex(p);
	assert_memory_equal(hex, "00430044", 8);
	free(hex);
	gn_packet_free(p);
}

static void test_build_bootp_fields(void **state)
{
	/* an explicit options value stays, DHCP above or not */
	struct gn_packet *p = parse_ok("BOOTP(options=b'abc')");
	struct gn_packet *q = parse_ok("BOOTP(options=b'')/DHCP(options=['end'])");
	char *hp, *hq;

	(void)state;
	hp = build_hex(p);
	hq = build_hex(q);
	assert_string_equal(hp + strlen(hp) - 6, "616263");
	assert_int_equal(strlen(hq), 2 * (236 + 1));
	assert_string_equal(hq + strlen(hq) - 2, "ff");
	free(hp);
	free(hq);
	gn_packet_free(p);
	gn_packet_free(q);
}

static void test_assign_errors(void **state)
{
	static const struct {
		const char *expr, *msg;
	} cases[] = {
		{ "DHCP(options=[('mesage-type', 'discover')])", "did you mean 'message-type'" },
		{ "DHCP(options=[('message-type', 'discovery')])", "unknown DHCP message type" },
		{ "DHCP(options=[('router', '10.0.0.300')])", "IPv4 addresses" },
		{ "DHCP(options=[('lease_time', -1)])", "integers 0..4294967295" },
		{ "DHCP(options=[('param_req_list', [1, 256])])", "integers 0..255" },
		{ "DHCP(options=[('classless_static_routes', '10.0.0.0/33:1.2.3.4')])", "routes" },
		{ "DHCP(options=[('server_id',)])", "(name, value)" },
		{ "DHCP(options=[(300, b'x')])", "0..255" },
		{ "DHCP(options=5)", "list of options" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_refused(cases[i].expr, cases[i].msg, 0);
}

/* ---- reading ------------------------------------------------------------------ */

static void test_dissect_discover(void **state)
{
	struct gn_packet *p = dissect_hex(&gn_proto_bootp, DISCOVER);
	const struct gn_layer *b = &p->layers[0], *d;

	(void)state;
	assert_int_equal(p->n, 2);
	d = &p->layers[1];
	assert_ptr_equal(d->proto, &gn_proto_dhcp);
	assert_field(b, "options", GN_REPR_HUMAN, "b'c\\x82Sc' (DHCP magic)");
	assert_field(b, "chaddr", GN_REPR_HUMAN, "00:11:22:33:44:55 (+ 10 nul pad)");
	assert_field(b, "xid", GN_REPR_HUMAN, "0x1234");
	/* Scapy's DHCPOptionsField.i2repr and repr() of the same options */
	assert_field(d, "options", GN_REPR_HUMAN,
		     "[message-type=discover param_req_list=[1, 3, 6] client_id='\\x01abc' "
		     "hostname=b'x' router=1.2.3.4,5.6.7.8 99=b'zz' end pad ..]");
	assert_field(d, "options", GN_REPR_EXPR,
		     "[('message-type', 1), ('param_req_list', [1, 3, 6]), ('client_id', b'\\x01abc'), "
		     "('hostname', b'x'), ('router', '1.2.3.4', '5.6.7.8'), (99, b'zz'), 'end', 'pad', "
		     "b'\\x01\\x02']");
	assert_field(d, "options", GN_REPR_JSON,
		     "[[\"message-type\",1],[\"param_req_list\",[1,3,6]],[\"client_id\",\"01616263\"],"
		     "[\"hostname\",\"78\"],[\"router\",\"1.2.3.4\",\"5.6.7.8\"],[99,\"7a7a\"],\"end\","
		     "\"pad\",\"0102\"]");
	assert_summary(p, "BOOTP / DHCP Discover", "dissected discover");
	assert_builds(p, DISCOVER, "discover rebuilt");
	gn_packet_free(p);
}

static void test_dissect_offer(void **state)
{
	struct gn_packet *p = dissect_hex(&gn_proto_bootp, OFFER);

	(void)state;
	assert_int_equal(p->n, 2);
	assert_field(&p->layers[1], "options", GN_REPR_HUMAN,
		     "[message-type=offer subnet_mask=255.255.255.0 lease_time=3600 "
		     "classless_static_routes=['10.0.0.0/8:192.168.0.1', '0.0.0.0/0:192.168.0.254'] "
		     "vendor_class_id='MSFT 5.0' end]");
	assert_field(&p->layers[1], "options", GN_REPR_EXPR,
		     "[('message-type', 2), ('subnet_mask', '255.255.255.0'), ('lease_time', 3600), "
		     "('classless_static_routes', ['10.0.0.0/8:192.168.0.1', '0.0.0.0/0:192.168.0.254']), "
		     "('vendor_class_id', b'MSFT 5.0'), 'end']");
	assert_summary(p, "BOOTP / DHCP Offer", "dissected offer");
	assert_builds(p, OFFER, "offer rebuilt");
	gn_packet_free(p);
}

/* command() gives an expression that builds the same bytes again. */
static void test_command_round_trip(void **state)
{
	static const char *frames[] = { DISCOVER, OFFER };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		struct gn_packet *p = dissect_hex(&gn_proto_bootp, frames[i]);
		struct gn_packet *q;
		struct gn_strbuf sb;

		gn_sb_init(&sb);
		gn_command(p, &sb);
		q = parse_ok(sb.s);
		assert_builds(q, frames[i], sb.s);
		gn_sb_free(&sb);
		gn_packet_free(p);
		gn_packet_free(q);
	}
}

/* Malformed options as Scapy 2.5 reads them: what cannot be read is kept
 * as the raw bytes of the rest. */
static void test_dissect_malformed_options(void **state)
{
	static const struct {
		const char *hex, *repr;
	} cases[] = {
		{ "3501", "[b'5\\x01']" },                                    /* length past the end */
		{ "350101ff0104ffffff", "[('message-type', 1), 'end', b'\\x01\\x04\\xff\\xff\\xff']" },
		{ "0103010203ff", "[b'\\x01\\x03\\x01\\x02\\x03\\xff']" },     /* 3 bytes of address */
		{ "792108000000", "[b'y!\\x08\\x00\\x00\\x00']" },
		{ "7905200a000001ff", "[b'y\\x05 \\n\\x00\\x00\\x01\\xff']" },  /* a /32 route cut short */
		{ "ff00003501", "['end', 'pad', 'pad', b'5\\x01']" },
		{ "3d00ff", "[('client_id',), 'end']" },                        /* StrField, empty */
		{ "0c00ff", "[('hostname', b''), 'end']" },                     /* no value type, empty */
		{ "fe0100", "[(254, b'\\x00')]" },                              /* unknown option */
		{ "35", "[b'5']" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gn_packet *p = dissect_hex(&gn_proto_dhcp, cases[i].hex);

		assert_int_equal(p->n, 1);
		assert_field(&p->layers[0], "options", GN_REPR_EXPR, cases[i].repr);
		exercise(p);
		gn_packet_free(p);
	}
}

static void test_dissect_without_magic(void **state)
{
	/* options that do not start with the cookie stay BOOTP's */
	struct gn_packet *p = parse_ok("BOOTP(chaddr=b'\\x00\\x11\\x22\\x33\\x44\\x55', options=b'abc')");
	char *hex = build_hex(p);
	struct gn_packet *q = dissect_hex(&gn_proto_bootp, hex);

	(void)state;
	assert_int_equal(q->n, 1);
	assert_field(&q->layers[0], "options", GN_REPR_HUMAN, "b'abc'");
	assert_summary(q, "BOOTP", "BOOTP alone");
	free(hex);
	gn_packet_free(p);
	gn_packet_free(q);
}

static void test_dissect_ports(void **state)
{
	/* 68 -> 67, 67 -> 68 and 67 -> 67 are BOOTP; 68 -> 68 is not */
	static const struct {
		const char *expr;
		bool bootp;
	} cases[] = {
		{ "IP(src='1.1.1.1', dst='2.2.2.2')/UDP(sport=68, dport=67)/Raw(load=b'\\x01' * 240)", true },
		{ "IP(src='1.1.1.1', dst='2.2.2.2')/UDP(sport=67, dport=68)/Raw(load=b'\\x01' * 240)", true },
		{ "IP(src='1.1.1.1', dst='2.2.2.2')/UDP(sport=67, dport=67)/Raw(load=b'\\x01' * 240)", true },
		{ "IP(src='1.1.1.1', dst='2.2.2.2')/UDP(sport=68, dport=68)/Raw(load=b'\\x01' * 240)", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct gn_packet *p = parse_ok(cases[i].expr);
		char *hex = build_hex(p);
		struct gn_packet *q = dissect_hex(&gn_proto_ip, hex);

		if (gn_packet_haslayer(q, &gn_proto_bootp) != cases[i].bootp)
			fail_msg("%s: BOOTP %s", cases[i].expr, cases[i].bootp ? "missing" : "found");
		free(hex);
		gn_packet_free(p);
		gn_packet_free(q);
	}
}

/* ---- hostile input ----------------------------------------------------------- */

static void test_truncation_everywhere(void **state)
{
	struct gn_packet *t = parse_ok("Ether(src='00:11:22:33:44:55', dst='ff:ff:ff:ff:ff:ff')/"
				       "IP(src='0.0.0.0', dst='255.255.255.255')/UDP(sport=68, dport=67)/"
				       DISCOVER_EXPR);
	struct gn_arena *a = gn_arena_new(4096);
	uint8_t *out;
	size_t n;

	(void)state;
	assert_int_equal(gn_build(t, a, &out, &n), 0);
	for (size_t len = 0; len <= n; len++) {
		struct gn_packet *p = dissect_ok(&gn_proto_ether, out, len);

		exercise(p);
		if (len == n)
			assert_true(gn_packet_haslayer(p, &gn_proto_dhcp));
		gn_packet_free(p);
	}
	gn_arena_free(a);
	gn_packet_free(t);
}

static void test_mutations(void **state)
{
	static const char *frames[] = { DISCOVER, OFFER };
	uint8_t orig[1024], buf[1024];
	uint32_t seed = 4242;

	(void)state;
	for (size_t f = 0; f < 2; f++) {
		size_t n = unhex(frames[f], orig, sizeof(orig));

		for (int round = 0; round < 3000; round++) {
			struct gn_packet *p;

			memcpy(buf, orig, n);
			/* in the options, where the structure is */
			damage(buf, 236, n, &seed);
			p = dissect_ok(&gn_proto_bootp, buf, n);
			exercise(p);
			gn_packet_free(p);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_discover),
		cmocka_unit_test(test_build_offer),
		cmocka_unit_test(test_build_options),
		cmocka_unit_test(test_build_ports),
		cmocka_unit_test(test_build_bootp_fields),
		cmocka_unit_test(test_assign_errors),
		cmocka_unit_test(test_dissect_discover),
		cmocka_unit_test(test_dissect_offer),
		cmocka_unit_test(test_command_round_trip),
		cmocka_unit_test(test_dissect_malformed_options),
		cmocka_unit_test(test_dissect_without_magic),
		cmocka_unit_test(test_dissect_ports),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
