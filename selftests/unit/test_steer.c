// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The steering rules (user/steer.c) and the steer XDP program
 * (bpf/steer.bpf.c): rules compiled into the program's form, then the
 * program run in the kernel with BPF_PROG_TEST_RUN on frames gannet builds,
 * one rule kind after another, with the headers it must see through (VLAN
 * tags, IPv4 options, IPv6 extension headers, fragments).  No socket is
 * bound in its XSKMAP here, so a frame a rule takes comes back as XDP_PASS
 * counted in "matched" and "redirect failed": the counters say which.
 * The program tests need BPF privileges and are skipped without them.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "testlib.h"

#include "io_xdp.h"
#include "steer.skel.h"

/* ---- compiling rules --------------------------------------------------------- */

static struct gn_steer_prefix pfx(const char *addr, unsigned len)
{
	struct gn_steer_prefix p = { .len = (uint8_t)len };

	p.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(p.family, addr, p.addr), 1);
	return p;
}

static void test_compile_prefixes(void **state)
{
	struct gn_steer_rule r = { .match = GN_STEER_SRC | GN_STEER_DST };
	struct gn_sm_rule c;
	struct gn_error err = { 0 };

	(void)state;
	r.src = pfx("10.1.2.3", 16);   /* host bits go */
	r.dst = pfx("192.168.7.9", 32);
	assert_int_equal(gn_steer_compile(&r, &c, &err), 0);
	assert_int_equal(c.family, 4);
	assert_int_equal(c.src[0], htonl(0x0a010000));
	assert_int_equal(c.src_mask[0], htonl(0xffff0000));
	assert_int_equal(c.src[1] | c.src_mask[1] | c.src_mask[3], 0);
	assert_int_equal(c.dst[0], htonl(0xc0a80709));
	assert_int_equal(c.dst_mask[0], 0xffffffff);

	r.match = GN_STEER_DST;
	r.dst = pfx("fd00:1:2:3:4:5:6:7", 68);
	assert_int_equal(gn_steer_compile(&r, &c, &err), 0);
	assert_int_equal(c.family, 6);
	assert_int_equal(c.dst_mask[1], 0xffffffff);
	assert_int_equal(c.dst_mask[2], htonl(0xf0000000));
	assert_int_equal(c.dst[2], htonl(0x00000000));
	assert_int_equal(c.dst_mask[3], 0);
}

static void test_compile_ports_and_errors(void **state)
{
	struct gn_steer_rule r = { .match = GN_STEER_SPORT | GN_STEER_DPORT, .sport = 53,
				   .dport = 40000, .dport_max = 40009 };
	struct gn_sm_rule c;
	struct gn_error err = { 0 };

	(void)state;
	assert_int_equal(gn_steer_compile(&r, &c, &err), 0);
	assert_int_equal(c.sport_lo, 53);
	assert_int_equal(c.sport_hi, 53);
	assert_int_equal(c.dport_lo, 40000);
	assert_int_equal(c.dport_hi, 40009);

	r.dport_max = 1;
	assert_int_equal(gn_steer_compile(&r, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "destination port range 40000-1"));
	memset(&err, 0, sizeof(err));
	r.match = GN_STEER_SRC;
	r.src = pfx("10.0.0.1", 33);
	assert_int_equal(gn_steer_compile(&r, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "longer than 32 bits"));
	memset(&err, 0, sizeof(err));
	r.src.family = 99;
	assert_int_equal(gn_steer_compile(&r, &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "neither AF_INET nor AF_INET6"));
	memset(&err, 0, sizeof(err));
	r.match = 1u << 20;
	assert_int_equal(gn_steer_compile(&r, &c, &err), -EINVAL);
	/* Fields the rule does not name are not part of it: equal rules
	 * compare equal byte for byte. */
	{
		struct gn_steer_rule a = { .match = GN_STEER_IP_PROTO, .ip_proto = 6, .dport = 80 };
		struct gn_steer_rule b = { .match = GN_STEER_IP_PROTO, .ip_proto = 6, .sport = 9 };
		struct gn_sm_rule ca, cb;

		assert_int_equal(gn_steer_compile(&a, &ca, &err), 0);
		assert_int_equal(gn_steer_compile(&b, &cb, &err), 0);
		assert_memory_equal(&ca, &cb, sizeof(ca));
	}
}

/* ---- the program ------------------------------------------------------------ */

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("GN_TEST_VERBOSE"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int setup(void **state)
{
	*state = NULL;
	return 0;
}

static int teardown(void **state)
{
	steer__destroy(*state);
	return 0;
}

static struct steer *load_or_skip(void **state)
{
	struct steer *skel = steer__open_and_load();
	int err = skel ? 0 : -errno;

	if (err == -EPERM || err == -EACCES) {
		print_message("steer: loading BPF not permitted here (%s), skipping\n",
			      strerror(-err));
		skip();
	}
	if (!skel)
		fail_msg("steer__open_and_load: %s", strerror(-err));
	*state = skel;
	return skel;
}

/* Install exactly these rules. */
static void rules(struct steer *skel, const struct gn_steer_rule *r, unsigned n)
{
	struct gn_steer_set set = { .n = n };
	struct gn_error err = { 0 };

	for (unsigned i = 0; i < n; i++)
		assert_int_equal(gn_steer_compile(&r[i], &set.rules[i], &err), 0);
	assert_int_equal(gn_steer_push(&set, false, bpf_map__fd(skel->maps.rules),
				       bpf_map__fd(skel->maps.rules_ctl)), 0);
}

static void stats(struct steer *skel, uint64_t v[GN_SM_NSTATS])
{
	assert_int_equal(gn_steer_read_stats(bpf_map__fd(skel->maps.stats), v), 0);
}

/* Whether the program takes the frame expr builds (cut to len bytes when
 * len > 0). */
static bool takes_cut(struct steer *skel, const char *expr, size_t cut)
{
	struct gn_packet *p = parse_ok(expr);
	struct gn_arena *a = gn_arena_new(4096);
	uint64_t before[GN_SM_NSTATS], after[GN_SM_NSTATS];
	uint8_t *data;
	size_t len;

	assert_non_null(a);
	assert_int_equal(gn_build(p, a, &data, &len), 0);
	if (cut && cut < len)
		len = cut;
	stats(skel, before);
	{
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = (uint32_t)len,
			    .repeat = 1);

		assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.gn_steer), &o), 0);
		/* No socket on queue 0: taken or not, the frame goes on. */
		assert_int_equal(o.retval, XDP_PASS);
	}
	stats(skel, after);
	gn_packet_free(p);
	gn_arena_free(a);
	assert_int_equal(after[GN_SM_SEEN] - before[GN_SM_SEEN], 1);
	assert_int_equal(after[GN_SM_REDIRECTED], before[GN_SM_REDIRECTED]);
	/* taken: matched and redirect failed; else passed */
	assert_int_equal(after[GN_SM_MATCHED] - before[GN_SM_MATCHED],
			 after[GN_SM_REDIRECT_FAILED] - before[GN_SM_REDIRECT_FAILED]);
	assert_int_equal(after[GN_SM_MATCHED] - before[GN_SM_MATCHED] +
			 after[GN_SM_PASSED] - before[GN_SM_PASSED], 1);
	return after[GN_SM_MATCHED] != before[GN_SM_MATCHED];
}

static bool takes(struct steer *skel, const char *expr)
{
	return takes_cut(skel, expr, 0);
}

#define E "Ether(dst='02:00:00:00:00:02',src='02:00:00:00:00:01')"
#define IP4 "IP(src='10.1.2.3',dst='10.9.8.7')"
#define IP6 "IPv6(src='fd00::1',dst='fd00::2')"

static void test_no_rule_takes_nothing(void **state)
{
	struct steer *skel = load_or_skip(state);

	assert_false(takes(skel, E "/" IP4 "/UDP(dport=1337)"));
	assert_false(takes(skel, E "/ARP()"));
}

static void test_empty_rule_takes_all(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule r = { .match = 0 };

	rules(skel, &r, 1);
	assert_true(takes(skel, E "/ARP()"));
	assert_true(takes(skel, E "/" IP6 "/TCP()"));
	assert_true(takes_cut(skel, E, 14));
}

static void test_ports_through_headers(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule r = { .match = GN_STEER_IP_PROTO | GN_STEER_DPORT,
				   .ip_proto = IPPROTO_UDP, .dport = 1337 };

	rules(skel, &r, 1);
	assert_true(takes(skel, E "/" IP4 "/UDP(dport=1337)"));
	assert_false(takes(skel, E "/" IP4 "/UDP(dport=1338)"));
	assert_false(takes(skel, E "/" IP4 "/TCP(dport=1337)"));
	/* VLAN: one tag, two (QinQ), not three */
	assert_true(takes(skel, E "/Dot1Q(vlan=5)/" IP4 "/UDP(dport=1337)"));
	assert_true(takes(skel, E "/Dot1AD(vlan=5)/Dot1Q(vlan=6)/" IP6 "/UDP(dport=1337)"));
	assert_false(takes(skel, E "/Dot1AD()/Dot1Q()/Dot1Q()/" IP4 "/UDP(dport=1337)"));
	/* IPv4 options, fragments: the first has the ports, the others not */
	assert_true(takes(skel, E "/IP(src='10.0.0.1',dst='10.0.0.2',options=[IPOption_RR(),"
			  "IPOption_NOP()])/UDP(dport=1337)"));
	assert_true(takes(skel, E "/IP(dst='10.0.0.2',flags='MF',frag=0)/UDP(dport=1337)"));
	assert_false(takes(skel, E "/IP(dst='10.0.0.2',frag=100)/UDP(dport=1337)"));
	/* IPv6 extension headers, up to six of them */
	assert_true(takes(skel, E "/" IP6 "/IPv6ExtHdrHopByHop()/IPv6ExtHdrRouting()/"
			  "IPv6ExtHdrDestOpt()/UDP(dport=1337)"));
	assert_true(takes(skel, E "/" IP6 "/IPv6ExtHdrFragment(offset=0,m=1)/UDP(dport=1337)"));
	assert_false(takes(skel, E "/" IP6 "/IPv6ExtHdrFragment(offset=3)/UDP(dport=1337)"));
	assert_true(takes(skel, E "/" IP6 "/IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/"
			  "IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/"
			  "IPv6ExtHdrDestOpt()/UDP(dport=1337)"));
	assert_false(takes(skel, E "/" IP6 "/IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/"
			   "IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/"
			   "IPv6ExtHdrDestOpt()/IPv6ExtHdrDestOpt()/UDP(dport=1337)"));
	/* cut short: the UDP header is not all there */
	assert_false(takes_cut(skel, E "/" IP4 "/UDP(dport=1337)", 14 + 20 + 3));
	assert_true(takes_cut(skel, E "/" IP4 "/UDP(dport=1337)", 14 + 20 + 4));
}

static void test_port_ranges(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule r = { .match = GN_STEER_SPORT, .sport = 40000, .sport_max = 40009 };

	rules(skel, &r, 1);
	assert_false(takes(skel, E "/" IP4 "/TCP(sport=39999)"));
	assert_true(takes(skel, E "/" IP4 "/TCP(sport=40000)"));
	assert_true(takes(skel, E "/" IP6 "/UDP(sport=40009)"));
	assert_false(takes(skel, E "/" IP4 "/TCP(sport=40010)"));
	assert_false(takes(skel, E "/" IP4 "/ICMP()"));
}

static void test_protocol_and_ethertype(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule r[2] = {
		{ .match = GN_STEER_IP_PROTO, .ip_proto = 47 },
		{ .match = GN_STEER_ETHERTYPE, .ethertype = 0x88b5 },
	};

	rules(skel, r, 2);
	assert_true(takes(skel, E "/IP(proto=47)"));
	assert_true(takes(skel, E "/" IP6 "/IPv6ExtHdrHopByHop(nh=47)"));
	assert_false(takes(skel, E "/IP(proto=48)"));
	assert_true(takes(skel, "Ether(type=0x88b5)/Raw(load='x'*40)"));
	/* the EtherType after the tags */
	assert_true(takes(skel, "Ether()/Dot1Q(type=0x88b5)/Raw(load='x'*40)"));
	assert_false(takes(skel, "Ether(type=0x88b6)/Raw(load='x'*40)"));
}

static void test_addresses(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule r[2] = {
		{ .match = GN_STEER_SRC, .src = pfx("10.1.0.0", 16) },
		{ .match = GN_STEER_DST | GN_STEER_ETHERTYPE, .ethertype = 0x0806,
		  .dst = pfx("10.9.9.250", 32) },
	};

	rules(skel, r, 2);
	assert_true(takes(skel, E "/IP(src='10.1.200.1',dst='1.1.1.1')"));
	assert_false(takes(skel, E "/IP(src='10.2.0.1',dst='1.1.1.1')"));
	/* ARP: sender and target protocol addresses */
	assert_true(takes(skel, E "/ARP(psrc='10.1.0.9',pdst='1.2.3.4')"));
	assert_true(takes(skel, E "/ARP(psrc='1.1.1.1',pdst='10.9.9.250')"));
	assert_false(takes(skel, E "/ARP(psrc='1.1.1.1',pdst='10.9.9.251')"));
	/* the ARP rule wants ARP: the same address in IPv4 is not taken */
	assert_false(takes(skel, E "/IP(src='1.1.1.1',dst='10.9.9.250')"));
	r[0].src = pfx("fd00:beef::", 32);
	rules(skel, r, 1);
	assert_true(takes(skel, E "/IPv6(src='fd00:beef:1::5',dst='::1')/UDP()"));
	assert_false(takes(skel, E "/IPv6(src='fd00:beee::5',dst='::1')/UDP()"));
	/* an IPv6 rule never takes IPv4 */
	assert_false(takes(skel, E "/IP(src='10.1.200.1')"));
}

static void test_icmp(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule r[2] = {
		{ .match = GN_STEER_IP_PROTO | GN_STEER_ICMP_ID, .ip_proto = IPPROTO_ICMP,
		  .icmp_id = 4242 },
		{ .match = GN_STEER_ICMP_TYPE, .icmp_type = 128 },
	};

	rules(skel, r, 2);
	assert_true(takes(skel, E "/" IP4 "/ICMP(type='echo-request',id=4242)"));
	assert_true(takes(skel, E "/" IP4 "/ICMP(type='echo-reply',id=4242)"));
	assert_false(takes(skel, E "/" IP4 "/ICMP(type='echo-reply',id=4243)"));
	/* an error has no echo id */
	assert_false(takes(skel, E "/" IP4 "/ICMP(type=3,code=3)/IPerror()/UDPerror()"));
	assert_true(takes(skel, E "/" IP6 "/ICMPv6EchoRequest(id=9)"));
	assert_false(takes(skel, E "/" IP6 "/ICMPv6EchoReply(id=9)"));
	/* ICMPv6 echo ids with proto 58 */
	r[0].ip_proto = IPPROTO_ICMPV6;
	r[0].icmp_id = 77;
	rules(skel, r, 1);
	assert_true(takes(skel, E "/" IP6 "/ICMPv6EchoReply(id=77)"));
	assert_false(takes(skel, E "/" IP4 "/ICMP(id=77)"));
}

static void test_escp(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule r = { .match = GN_STEER_ESCP };

	rules(skel, &r, 1);
	assert_true(takes(skel, E "/" IP4 "/UDP(sport=5000,dport=1337)"));
	assert_true(takes(skel, E "/" IP6 "/UDP(sport=1337,dport=5000)"));
	assert_false(takes(skel, E "/" IP4 "/TCP(sport=1337,dport=1337)"));
	assert_false(takes(skel, E "/" IP6 "/UDP(sport=1338,dport=1339)"));
}

/* The control word flips between the two halves: old rules are gone. */
static void test_rules_replaced(void **state)
{
	struct steer *skel = load_or_skip(state);
	struct gn_steer_rule a = { .match = GN_STEER_DPORT, .dport = 1 };
	struct gn_steer_rule b = { .match = GN_STEER_DPORT, .dport = 2 };

	for (int i = 0; i < 3; i++) {
		rules(skel, &a, 1);
		assert_true(takes(skel, E "/" IP4 "/UDP(dport=1)"));
		assert_false(takes(skel, E "/" IP4 "/UDP(dport=2)"));
		rules(skel, &b, 1);
		assert_false(takes(skel, E "/" IP4 "/UDP(dport=1)"));
		assert_true(takes(skel, E "/" IP4 "/UDP(dport=2)"));
	}
	rules(skel, NULL, 0);
	assert_false(takes(skel, E "/" IP4 "/UDP(dport=2)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_prefixes),
		cmocka_unit_test(test_compile_ports_and_errors),
		cmocka_unit_test_setup_teardown(test_no_rule_takes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_rule_takes_all, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports_through_headers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocol_and_ethertype, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rules_replaced, setup, teardown),
	};

	libbpf_set_print(quiet_print);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
