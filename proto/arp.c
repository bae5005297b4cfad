// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ARP.  Its addresses are Scapy's MultipleTypeField: a MAC when hwtype is
 * Ethernet and hwlen 6, IPv4/IPv6 by ptype and plen, otherwise plain bytes
 * of the announced length.
 */
#include <errno.h>
#include <string.h>

#include "protos.h"

enum { F_HWTYPE, F_PTYPE, F_HWLEN, F_PLEN, F_OP, F_HWSRC, F_PSRC, F_HWDST, F_PDST };

/* Scapy's HARDWARE_TYPES (scapy.layers.l2), shared with BOOTP's htype */
const struct gn_enum gn_hardware_types[] = {
	{ 1, "Ethernet (10Mb)" }, { 2, "Ethernet (3Mb)" }, { 3, "AX.25" },
	{ 4, "Proteon ProNET Token Ring" }, { 5, "Chaos" }, { 6, "IEEE 802 Networks" },
	{ 7, "ARCNET" }, { 8, "Hyperchannel" }, { 9, "Lanstar" },
	{ 10, "Autonet Short Address" }, { 11, "LocalTalk" }, { 12, "LocalNet" },
	{ 13, "Ultra link" }, { 14, "SMDS" }, { 15, "Frame relay" }, { 16, "ATM" },
	{ 17, "HDLC" }, { 18, "Fibre Channel" }, { 19, "ATM" }, { 20, "Serial Line" },
	{ 21, "ATM" }, { 0, NULL },
};

static const struct gn_enum arp_ops[] = {
	{ 1, "who-has" }, { 2, "is-at" }, { 3, "RARP-req" }, { 4, "RARP-rep" },
	{ 5, "Dyn-RARP-req" }, { 6, "Dyn-RAR-rep" }, { 7, "Dyn-RARP-err" },
	{ 8, "InARP-req" }, { 9, "InARP-rep" }, { 0, NULL },
};

static bool is_hw(const struct gn_field *f)
{
	return f->name[0] == 'h';
}

static int arp_addr_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			    const struct gn_field *f, struct gn_value *out)
{
	uint64_t len = gn_field_uint(l, is_hw(f) ? F_HWLEN : F_PLEN);
	uint64_t type = gn_field_uint(l, is_hw(f) ? F_HWTYPE : F_PTYPE);
	const uint8_t *p;
	int err = gn_rd_bytes(c, len, &p);

	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	if ((is_hw(f) && type == 1 && len == 6) ||
	    (!is_hw(f) && ((type == 0x800 && len == 4) || (type == 0x86dd && len == 16)))) {
		out->type = GN_V_ADDR;
		out->alen = (uint8_t)len;
		memcpy(out->addr, p, len);
		return 0;
	}
	out->type = GN_V_BYTES;
	out->len = (uint32_t)len;
	out->bytes = gn_arena_memdup(c->arena, p, len);
	return out->bytes ? 0 : -ENOMEM;
}

static int arp_addr_build(struct gn_build_ctx *c, const struct gn_layer *l,
			  const struct gn_field *f, const struct gn_value *v)
{
	(void)l;
	(void)f;
	if (v->type == GN_V_ADDR)
		gn_wbuf_put(&c->w, v->addr, v->alen);
	else if (v->type == GN_V_BYTES)
		gn_wbuf_put(&c->w, v->bytes, v->len);
	return c->w.err;
}

static int arp_addr_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			   struct gn_value *out, struct gn_error *err)
{
	struct gn_field as = *f;

	if (ast->type == GN_AST_BYTES)
		return gn_kind_fixbytes.assign(a, f, ast, out, err);
	if (is_hw(f)) {
		as.bits = 48;
		return gn_kind_mac.assign(a, &as, ast, out, err);
	}
	/* IPv4 unless the text can only be IPv6 */
	if (ast->type == GN_AST_STR && memchr(ast->str, ':', ast->len)) {
		as.bits = 128;
		return gn_kind_ipv6.assign(a, &as, ast, out, err);
	}
	as.bits = 32;
	return gn_kind_ipv4.assign(a, &as, ast, out, err);
}

static void arp_addr_format(const struct gn_layer *l, const struct gn_field *f,
			    const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	if (v->type == GN_V_BYTES)
		gn_kind_rest.format(l, f, v, sb, r);
	else
		gn_kind_mac.format(l, f, v, sb, r);
}

static size_t arp_addr_len(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v)
{
	(void)l;
	(void)f;
	return v->type == GN_V_ADDR ? v->alen : v->type == GN_V_BYTES ? v->len : 0;
}

static const struct gn_field_ops arp_addr_kind = {
	.kind = "MultipleTypeField",
	.dissect = arp_addr_dissect, .build = arp_addr_build, .assign = arp_addr_assign,
	.format = arp_addr_format, .wire_len = arp_addr_len, .is_scalar = true,
};

#define ARP_ADDR(nm, d) { .name = (nm), .ops = &arp_addr_kind, .link = -1, .dflt_str = (d) }

static const struct gn_field arp_fields[] = {
	{ .name = "hwtype", .ops = &gn_kind_enum, .bits = 16, .link = -1, .dflt = 1,
	  .names = gn_hardware_types, .flags = GN_FF_HEX },
	{ .name = "ptype", .ops = &gn_kind_enum, .bits = 16, .link = -1, .dflt = 0x800,
	  .names = gn_ether_types, .flags = GN_FF_HEX },
	GN_LENFIELD("hwlen", 8, F_HWSRC),
	GN_LENFIELD("plen", 8, F_PSRC),
	GN_ENUM("op", 16, 1, arp_ops),
	ARP_ADDR("hwsrc", "00:00:00:00:00:00"),
	ARP_ADDR("psrc", "0.0.0.0"),
	ARP_ADDR("hwdst", "00:00:00:00:00:00"),
	ARP_ADDR("pdst", "0.0.0.0"),
};

static bool arp_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	switch (gn_field_uint(l, F_OP)) {
	case 1:
		gn_sb_puts(sb, "ARP who has ");
		gn_format_field(l, F_PDST, sb, GN_REPR_HUMAN);
		break;
	case 2:
		gn_sb_puts(sb, "ARP is at ");
		gn_format_field(l, F_HWSRC, sb, GN_REPR_HUMAN);
		break;
	default:
		gn_sb_puts(sb, "ARP ");
		gn_format_field(l, F_OP, sb, GN_REPR_HUMAN);
		gn_sb_putc(sb, ' ');
		gn_format_field(l, F_PSRC, sb, GN_REPR_HUMAN);
		gn_sb_puts(sb, " > ");
		gn_format_field(l, F_PDST, sb, GN_REPR_HUMAN);
		return true;
	}
	gn_sb_puts(sb, " says ");
	gn_format_field(l, F_PSRC, sb, GN_REPR_HUMAN);
	return true;
}

/* ARP carries nothing: what follows in a frame is Ethernet padding */
static size_t arp_payload_len(const struct gn_layer *l, size_t avail)
{
	(void)l;
	(void)avail;
	return 0;
}

/* Scapy's ARP.hashret: hardware and protocol type, and the request/reply
 * pair the op belongs to ((op + 1) / 2), so is-at meets its who-has. */
static uint32_t arp_hashret(const struct gn_layer *l)
{
	uint16_t key[3] = {
		(uint16_t)gn_field_uint(l, F_HWTYPE), (uint16_t)gn_field_uint(l, F_PTYPE),
		(uint16_t)((gn_field_uint(l, F_OP) + 1) / 2),
	};

	return gn_hash_bytes(gn_hash_bytes(0, key, sizeof(key)),
			     &(uint32_t){ gn_layer_hashret(gn_layer_above(l)) }, 4);
}

static const uint8_t *addr_bytes(const struct gn_value *v, size_t *n)
{
	*n = v->type == GN_V_ADDR ? v->alen : v->type == GN_V_BYTES ? v->len : 0;
	return v->type == GN_V_ADDR ? v->addr : v->bytes;
}

/* Scapy's ARP.answers: the reply's op follows the probe's, and its psrc is
 * the probe's pdst (compared on the shorter length, as Scapy does). */
static bool arp_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	const uint8_t *psrc, *pdst;
	size_t nsrc, ndst, n;

	if (!probe || probe->proto != &gn_proto_arp)
		return false;
	if (gn_field_uint(reply, F_OP) != gn_field_uint(probe, F_OP) + 1)
		return false;
	psrc = addr_bytes(gn_layer_get(reply, F_PSRC), &nsrc);
	pdst = addr_bytes(gn_layer_get(probe, F_PDST), &ndst);
	n = nsrc < ndst ? nsrc : ndst;
	return n == 0 || !memcmp(psrc, pdst, n);
}

const struct gn_proto gn_proto_arp = {
	.name = "ARP", .long_name = "ARP",
	.fields = arp_fields, .nfields = sizeof(arp_fields) / sizeof(arp_fields[0]),
	.summary = arp_summary,
	.payload_len = arp_payload_len,
	.hashret = arp_hashret,
	.answers = arp_answers,
};

void gn_proto_arp_register(void)
{
	gn_proto_register(&gn_proto_arp);
	gn_bind(&gn_proto_ether, &gn_proto_arp, "type=0x806", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1q, &gn_proto_arp, "type=0x806", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1ad, &gn_proto_arp, "type=0x806", GN_BIND_BOTH);
}
