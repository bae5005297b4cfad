// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reply matching at layer 2: Ether, Dot1Q and ARP hashret/answers, checked
 * against what Scapy 2.5 says for the same pairs (reply.answers(probe) and
 * probe.hashret() == reply.hashret(), both on dissected bytes).
 */
#include "protos.h"
#include "testlib.h"

#define E "Ether(src='02:00:00:00:00:01', dst='ff:ff:ff:ff:ff:ff')/"
#define R "Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')/"
#define WHO_HAS "ARP(op=1, psrc='10.0.0.1', pdst='10.0.0.2')"

static const struct {
	const char *probe, *reply;
	bool answers, same_hash;  /* Scapy's verdicts */
} pairs[] = {
	{ E WHO_HAS, R "ARP(op=2, psrc='10.0.0.2', pdst='10.0.0.1')", true, true },
	{ E WHO_HAS, R "ARP(op=2, psrc='10.0.0.3', pdst='10.0.0.1')", false, true },
	{ E WHO_HAS, R "ARP(op=1, psrc='10.0.0.2', pdst='10.0.0.1')", false, true },
	{ E "Dot1Q(vlan=5)/" WHO_HAS,
	  R "Dot1Q(vlan=5)/ARP(op=2, psrc='10.0.0.2', pdst='10.0.0.1')", true, true },
	{ E "Dot1Q(vlan=5)/" WHO_HAS,
	  R "Dot1Q(vlan=6)/ARP(op=2, psrc='10.0.0.2', pdst='10.0.0.1')", false, true },
	{ E "IP(src='10.0.0.1', dst='10.0.0.2')/ICMP(id=7, seq=1)",
	  R "IP(src='10.0.0.2', dst='10.0.0.1')/ICMP(type=0, id=7, seq=1)", true, true },
	{ E "IP(src='10.0.0.1', dst='10.0.0.2')/ICMP(id=7, seq=1)",
	  R "IP(src='10.0.0.2', dst='10.0.0.1')/ICMP(type=0, id=8, seq=1)", false, false },
	{ E "IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=1234, dport=80, seq=100)",
	  R "ARP(op=2, psrc='10.0.0.2', pdst='10.0.0.1')", false, false },
};

/* Probe and reply as they come off the wire: built, then dissected. */

static void test_pairs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct gn_packet *probe = wire(pairs[i].probe);
		struct gn_packet *reply = wire(pairs[i].reply);

		assert_int_equal(gn_layer_answers(&reply->layers[0], &probe->layers[0]),
				 pairs[i].answers);
		assert_int_equal(gn_layer_hashret(&reply->layers[0]) ==
					 gn_layer_hashret(&probe->layers[0]),
				 pairs[i].same_hash);
		gn_packet_free(probe);
		gn_packet_free(reply);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pairs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
