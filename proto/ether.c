// SPDX-License-Identifier: LGPL-2.1-or-later
/* Ethernet II and 802.1Q / 802.1ad VLAN tags (stacked tags dissect in turn). */
#include "protos.h"

/* Scapy's ETHER_TYPES, so show() prints the same names */
const struct gn_enum gn_ether_types[] = {
	{ 0x0800, "IPv4" }, { 0x0805, "X25" }, { 0x0806, "ARP" }, { 0x0808, "FR_ARP" },
	{ 0x08ff, "BPQ" }, { 0x22f3, "TRILL" }, { 0x22f4, "L2_IS_IS" }, { 0x6558, "TEB" },
	{ 0x6559, "RAW_FR" }, { 0x8035, "RARP" }, { 0x809b, "ATALK" }, { 0x80f3, "AARP" },
	{ 0x8100, "n_802_1Q" }, { 0x8137, "IPX" }, { 0x8191, "NetBEUI" }, { 0x86dd, "IPv6" },
	{ 0x880b, "PPP" }, { 0x8847, "MPLS" }, { 0x8848, "MPLS_MULTI" }, { 0x884c, "ATMMPOA" },
	{ 0x8863, "PPP_DISC" }, { 0x8864, "PPP_SES" }, { 0x8884, "ATMFATE" },
	{ 0x888e, "EAPOL" }, { 0x88a8, "802_AD" }, { 0x88c7, "EAP_PREAUTH" },
	{ 0x88cc, "LLDP" }, { 0x88e5, "802_1AE" }, { 0x88e7, "PBB" }, { 0x88f5, "MVRP" },
	{ 0x88f7, "PTP" }, { 0x8906, "FCOE" }, { 0x8914, "FIP" }, { 0x8915, "ROCE" },
	{ 0xa0ed, "6LoWPAN" }, { 0, NULL },
};

static const struct gn_field ether_fields[] = {
	/* Scapy computes unset addresses from the route; offline it falls
	 * back to these */
	GN_MAC("dst", "ff:ff:ff:ff:ff:ff"),
	GN_MAC("src", "00:00:00:00:00:00"),
	{ .name = "type", .ops = &gn_kind_enum, .bits = 16, .link = -1, .dflt = 0x9000,
	  .names = gn_ether_types, .flags = GN_FF_HEX },
};

static bool ether_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	gn_format_field(l, 1, sb, GN_REPR_HUMAN);
	gn_sb_puts(sb, " > ");
	gn_format_field(l, 0, sb, GN_REPR_HUMAN);
	gn_sb_puts(sb, " (");
	gn_format_field(l, 2, sb, GN_REPR_HUMAN);
	gn_sb_putc(sb, ')');
	return true;
}

/* Scapy's Ether.hashret/answers: the EtherType, then the payload's. */
static uint32_t ether_hashret(const struct gn_layer *l)
{
	uint16_t type = (uint16_t)gn_field_uint(l, 2);

	return gn_hash_bytes(gn_hash_bytes(0, &type, 2),
			     &(uint32_t){ gn_layer_hashret(gn_layer_above(l)) }, 4);
}

static bool ether_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	return probe && probe->proto == reply->proto &&
	       gn_field_uint(reply, 2) == gn_field_uint(probe, 2) &&
	       gn_layer_answers(gn_layer_above(reply), gn_layer_above(probe));
}

const struct gn_proto gn_proto_ether = {
	.name = "Ether", .long_name = "Ethernet",
	.fields = ether_fields, .nfields = 3,
	.summary = ether_summary,
	.hashret = ether_hashret,
	.answers = ether_answers,
};

static const struct gn_field dot1q_fields[] = {
	GN_BITS("prio", 3, 0),
	GN_BITS("id", 1, 0),
	GN_BITS("vlan", 12, 1),
	{ .name = "type", .ops = &gn_kind_enum, .bits = 16, .link = -1, .dflt = 0,
	  .names = gn_ether_types, .flags = GN_FF_HEX },
};

static bool dot1q_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	const struct gn_layer *below = gn_layer_below(l);

	gn_sb_puts(sb, "802.1q ");
	if (below && below->proto == &gn_proto_ether) {
		gn_format_field(below, 1, sb, GN_REPR_HUMAN);
		gn_sb_puts(sb, " > ");
		gn_format_field(below, 0, sb, GN_REPR_HUMAN);
		gn_sb_putc(sb, ' ');
	}
	gn_sb_putc(sb, '(');
	gn_format_field(l, 3, sb, GN_REPR_HUMAN);
	gn_sb_puts(sb, ") vlan ");
	gn_format_field(l, 2, sb, GN_REPR_HUMAN);
	return true;
}

/* Scapy's Dot1Q.answers: a tag answers the same VLAN and type; a tagged
 * reply to an untagged probe is judged by what it carries. */
static bool dot1q_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	if (probe && probe->proto == reply->proto)
		return gn_field_uint(reply, 3) == gn_field_uint(probe, 3) &&
		       gn_field_uint(reply, 2) == gn_field_uint(probe, 2) &&
		       gn_layer_answers(gn_layer_above(reply), gn_layer_above(probe));
	return gn_layer_answers(gn_layer_above(reply), probe);
}

static uint32_t dot1q_hashret(const struct gn_layer *l)
{
	uint16_t type = (uint16_t)gn_field_uint(l, 3);

	return gn_hash_bytes(gn_hash_bytes(0, &type, 2),
			     &(uint32_t){ gn_layer_hashret(gn_layer_above(l)) }, 4);
}

const struct gn_proto gn_proto_dot1q = {
	.name = "Dot1Q", .long_name = "802.1Q",
	.fields = dot1q_fields, .nfields = 4,
	.summary = dot1q_summary,
	.hashret = dot1q_hashret,
	.answers = dot1q_answers,
};

const struct gn_proto gn_proto_dot1ad = {
	.name = "Dot1AD", .long_name = "802_1AD",
	.fields = dot1q_fields, .nfields = 4,
	.summary = dot1q_summary,
	.hashret = dot1q_hashret,
	.answers = dot1q_answers,
};

void gn_proto_ether_register(void)
{
	gn_proto_register(&gn_proto_ether);
	gn_proto_register(&gn_proto_dot1q);
	gn_proto_register(&gn_proto_dot1ad);
	gn_bind(&gn_proto_ether, &gn_proto_dot1q, "type=0x8100", GN_BIND_BOTH);
	gn_bind(&gn_proto_ether, &gn_proto_dot1ad, "type=0x88a8", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1ad, &gn_proto_dot1ad, "type=0x88a8", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1ad, &gn_proto_dot1q, "type=0x8100", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1q, &gn_proto_dot1ad, "type=0x88a8", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1q, &gn_proto_dot1q, "type=0x8100", GN_BIND_BOTH);
}
