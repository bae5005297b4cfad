// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Pseudo link layers of captures: Linux "cooked" capture headers (SLL and
 * SLL2, what `tcpdump -i any` records) and the BSD loopback header (DLT_NULL,
 * DLT_LOOP).  Fields as Scapy 2.5's CookedLinux, CookedLinuxV2, Loopback.
 */
#include <stdio.h>
#include <sys/socket.h>

#include "protos.h"

/* Scapy's COOKED_LINUX_PACKET_TYPES */
static const struct gn_enum sll_pkttypes[] = {
	{ 0, "unicast" }, { 1, "broadcast" }, { 2, "multicast" },
	{ 3, "unicast-to-another-host" }, { 4, "sent-by-us" }, { 0, NULL },
};

static const struct gn_field sll_fields[] = {
	GN_ENUM("pkttype", 16, 0, sll_pkttypes),
	GN_XSHORT("lladdrtype", 512),
	GN_SHORT("lladdrlen", 0),
	GN_FIXBYTES("src", 8, NULL),
	{ .name = "proto", .ops = &gn_kind_enum, .bits = 16, .link = -1,
	  .dflt = 0x800, .names = gn_ether_types, .flags = GN_FF_HEX },
};

const struct gn_proto gn_proto_sll = {
	.name = "CookedLinux", .long_name = "cooked linux",
	.fields = sll_fields, .nfields = sizeof(sll_fields) / sizeof(sll_fields[0]),
};

static const struct gn_field sll2_fields[] = {
	{ .name = "proto", .ops = &gn_kind_enum, .bits = 16, .link = -1,
	  .dflt = 0x800, .names = gn_ether_types, .flags = GN_FF_HEX },
	GN_SHORT("reserved", 0),
	GN_INT("ifindex", 0),
	GN_XSHORT("lladdrtype", 512),
	GN_ENUM("pkttype", 8, 0, sll_pkttypes),
	GN_BYTE("lladdrlen", 0),
	GN_FIXBYTES("src", 8, NULL),
};

const struct gn_proto gn_proto_sll2 = {
	.name = "CookedLinuxV2", .long_name = "cooked linux v2",
	.fields = sll2_fields, .nfields = sizeof(sll2_fields) / sizeof(sll2_fields[0]),
};

/*
 * Scapy's LoIntEnumField: four bytes on the wire of which only the first
 * carries the address family (the header is in the capturing host's byte
 * order, and the families in use fit in one byte).  Dissection keeps the
 * first byte, building writes value << 24 big-endian: 02 00 00 00 for IPv4.
 * A big-endian capture (00 00 00 02) thus reads as 0, which Scapy binds to
 * IP as well.
 */
static int lo_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
		      const struct gn_field *f, struct gn_value *out)
{
	uint64_t v;
	int err;

	(void)l;
	(void)f;
	err = gn_rd_uint(c, 4, false, &v);
	if (err)
		return err;
	*out = gn_v_int(v >> 24);
	return 0;
}

static int lo_build(struct gn_build_ctx *c, const struct gn_layer *l,
		    const struct gn_field *f, const struct gn_value *v)
{
	uint64_t x = v->type == GN_V_INT ? v->u : 0;

	(void)l;
	(void)f;
	gn_wbuf_put_uint(&c->w, (x << 24) & 0xffffffffu, 4, false);
	return c->w.err;
}

/* Names and text are those of an ordinary enum field. */
GN_INHERIT_ASSIGN(lo_assign, gn_kind_enum)
GN_INHERIT_FORMAT(lo_format, gn_kind_enum)

static size_t lo_wire_len(const struct gn_layer *l, const struct gn_field *f,
			  const struct gn_value *v)
{
	(void)l;
	(void)f;
	(void)v;
	return 4;
}

static const struct gn_field_ops gn_kind_loint = {
	.kind = "LoIntEnumField",
	.dissect = lo_dissect,
	.build = lo_build,
	.assign = lo_assign,
	.format = lo_format,
	.wire_len = lo_wire_len,
	.is_scalar = true,
};

/* Scapy's LOOPBACK_TYPES (BSD address families, which differ by system) */
static const struct gn_enum loopback_types[] = {
	{ 0x2, "IPv4" }, { 0x7, "OSI" }, { 0x10, "Appletalk" }, { 0x17, "Netware IPX/SPX" },
	{ 0x18, "IPv6" }, { 0x1c, "IPv6" }, { 0x1e, "IPv6" }, { 0, NULL },
};

static const struct gn_field loopback_fields[] = {
	{ .name = "type", .ops = &gn_kind_loint, .bits = 32, .link = -1, .dflt = 0x2,
	  .names = loopback_types },
};

const struct gn_proto gn_proto_loopback = {
	.name = "Loopback", .long_name = "Loopback",
	.fields = loopback_fields, .nfields = 1,
};

void gn_proto_sll_register(void)
{
	const struct gn_proto *cooked[] = { &gn_proto_sll, &gn_proto_sll2 };
	char inet6[16];

	gn_proto_register(&gn_proto_sll);
	gn_proto_register(&gn_proto_sll2);
	/* CookedLinuxV2 subclasses CookedLinux in Scapy and so shares its
	 * bindings, in the order Scapy's modules make them. */
	for (unsigned i = 0; i < 2; i++) {
		gn_bind(cooked[i], &gn_proto_dot1q, "proto=33024", GN_BIND_BOTH);
		gn_bind(cooked[i], &gn_proto_ether, "proto=1", GN_BIND_BOTH);
		gn_bind(cooked[i], &gn_proto_arp, "proto=2054", GN_BIND_BOTH);
		gn_bind(cooked[i], &gn_proto_ip, "proto=2048", GN_BIND_BOTH);
		gn_bind(cooked[i], &gn_proto_ipv6, "proto=0x86dd", GN_BIND_BOTH);
	}

	gn_proto_register(&gn_proto_loopback);
	/* Scapy: bind_bottom_up(Loopback, IP, type=0), then AF_INET, and
	 * AF_INET6 as this system numbers it (10 on Linux). */
	gn_bind(&gn_proto_loopback, &gn_proto_ip, "type=0", GN_BIND_DISSECT);
	gn_bind(&gn_proto_loopback, &gn_proto_ip, "type=2", GN_BIND_BOTH);
	snprintf(inet6, sizeof(inet6), "type=%d", AF_INET6);
	gn_bind(&gn_proto_loopback, &gn_proto_ipv6, inet6, GN_BIND_BOTH);
}
