// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * IPv4 (Scapy's IP), its options as a list of small packets chosen by the
 * option type byte (IPOption_*), and IPerror, the IP header quoted inside an
 * ICMP error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "protos.h"

/* ---- option classes ------------------------------------------------------ */

static const struct gn_enum ipopt_classes[] = {
	{ 0, "control" }, { 2, "debug" }, { 0, NULL },
};

static const struct gn_enum ipopt_names[] = {
	{ 0, "end_of_list" }, { 1, "nop" }, { 2, "security" },
	{ 3, "loose_source_route" }, { 4, "timestamp" }, { 5, "extended_security" },
	{ 6, "commercial_security" }, { 7, "record_route" }, { 8, "stream_id" },
	{ 9, "strict_source_route" }, { 10, "experimental_measurement" },
	{ 11, "mtu_probe" }, { 12, "mtu_reply" }, { 13, "flow_control" },
	{ 14, "access_control" }, { 15, "encode" }, { 16, "imi_traffic_descriptor" },
	{ 17, "extended_IP" }, { 18, "traceroute" }, { 19, "address_extension" },
	{ 20, "router_alert" }, { 21, "selective_directed_broadcast_mode" },
	{ 23, "dynamic_packet_state" }, { 24, "upstream_multicast_packet" },
	{ 25, "quick_start" }, { 30, "rfc4727_experiment" }, { 0, NULL },
};

/* Scapy's _IPOption_HDR with the class's own defaults */
#define IPOPT_HDR(copy, cls, opt)                                   \
	GN_BITS("copy_flag", 1, copy),                              \
	GN_ENUM("optclass", 2, cls, ipopt_classes),                 \
	GN_ENUM("option", 5, opt, ipopt_names)

/*
 * A length-bounded part of an option whose length byte says less than the
 * fixed part: Scapy slices s[:length - k], and a negative end counts from
 * the end of what is left, so we do the same.
 */
static long py_slice_len(long want, size_t avail)
{
	if (want < 0)
		want += (long)avail;
	if (want < 0)
		return 0;
	return (size_t)want < avail ? want : (long)avail;
}

static long generic_value_len(const struct gn_layer *l, size_t avail)
{
	return py_slice_len((long)gn_field_uint(l, 3) - 2, avail);
}

static long rr_routers_len(const struct gn_layer *l, size_t avail)
{
	return py_slice_len((long)gn_field_uint(l, 3) - 3, avail);
}

static long sdbm_addresses_len(const struct gn_layer *l, size_t avail)
{
	return py_slice_len((long)gn_field_uint(l, 3) - 2, avail);
}

/* ---- FieldListField(IPField): record-route routers, SDBM addresses ------- */

static const struct gn_field ipaddr_elem = GN_IPV4("", "0.0.0.0");

static int iplist_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			  const struct gn_field *f, struct gn_value *out)
{
	size_t off = c->off + (c->bit ? 1 : 0);
	size_t avail = off < c->len ? c->len - off : 0;
	long n = f->length_from ? f->length_from(l, avail) : (long)avail;
	const uint8_t *p;
	int err;

	err = gn_rd_bytes(c, (size_t)n, &p);
	if (err)
		return err;
	/* a partial address is an error, as Scapy's IPField fails on it */
	if (n % 4)
		return -EMSGSIZE;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	out->len = (uint32_t)(n / 4);
	out->items = gn_arena_alloc(c->arena, (out->len ? out->len : 1) * sizeof(*out->items));
	if (!out->items)
		return -ENOMEM;
	for (uint32_t i = 0; i < out->len; i++) {
		out->items[i].type = GN_V_ADDR;
		out->items[i].alen = 4;
		memcpy(out->items[i].addr, p + 4 * i, 4);
	}
	return 0;
}

static int iplist_build(struct gn_build_ctx *c, const struct gn_layer *l,
			const struct gn_field *f, const struct gn_value *v)
{
	static const uint8_t zero[4];

	(void)l;
	(void)f;
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		const struct gn_value *it = &v->items[i];

		gn_wbuf_put(&c->w, it->type == GN_V_ADDR && it->alen == 4 ? it->addr : zero, 4);
	}
	return c->w.err;
}

static int iplist_assign_one(struct gn_arena *a, const struct gn_field *f,
			     const struct gn_ast *ast, struct gn_value *out, struct gn_error *err)
{
	int rc = gn_kind_ipv4.assign(a, &ipaddr_elem, ast, out, err);

	if (rc)
		return rc;
	if (out->type != GN_V_ADDR)
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' takes IPv4 addresses, not networks or None",
				    f->name);
	return 0;
}

int gn_list_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
		   struct gn_value *out, struct gn_error *err,
		   int (*one)(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			      struct gn_value *out, struct gn_error *err))
{
	const struct gn_ast *const *elems = &ast;
	unsigned n = 1;

	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	if (ast->type == GN_AST_NONE)
		return 0;
	if (ast->type == GN_AST_LIST || ast->type == GN_AST_TUPLE) {
		elems = (const struct gn_ast *const *)ast->items;
		n = ast->n;
	}
	out->items = gn_arena_alloc(a, (n ? n : 1) * sizeof(*out->items));
	if (!out->items)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		int rc = one(a, f, elems[i], &out->items[i], err);

		if (rc)
			return rc;
	}
	out->len = n;
	return 0;
}

static int iplist_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			 struct gn_value *out, struct gn_error *err)
{
	return gn_list_assign(a, f, ast, out, err, iplist_assign_one);
}

static void iplist_format(const struct gn_layer *l, const struct gn_field *f,
			  const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	gn_sb_putc(sb, '[');
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		char txt[INET_ADDRSTRLEN] = "0.0.0.0";

		if (v->items[i].type == GN_V_ADDR)
			inet_ntop(AF_INET, v->items[i].addr, txt, sizeof(txt));
		if (i)
			gn_sb_puts(sb, r == GN_REPR_JSON ? "," : ", ");
		/* show() prints FieldListField items bare; the other shapes quote */
		if (r == GN_REPR_HUMAN)
			gn_sb_puts(sb, txt);
		else if (r == GN_REPR_JSON)
			gn_sb_json_str(sb, txt, strlen(txt));
		else
			gn_sb_printf(sb, "'%s'", txt);
	}
	gn_sb_putc(sb, ']');
}

static size_t iplist_wire_len(const struct gn_layer *l, const struct gn_field *f,
			      const struct gn_value *v)
{
	(void)l;
	(void)f;
	return v->type == GN_V_LIST ? 4 * (size_t)v->len : 0;
}

static const struct gn_field_ops kind_iplist = {
	.kind = "FieldListField",
	.dissect = iplist_dissect,
	.build = iplist_build,
	.assign = iplist_assign,
	.format = iplist_format,
	.wire_len = iplist_wire_len,
	.is_list = true,
};

#define IPLIST(nm, lenfn) \
	{ .name = (nm), .ops = &kind_iplist, .link = -1, .length_from = (lenfn) }

/* ---- option field tables ----------------------------------------------------
 * Field 3 is the length byte in every class that has one (the length
 * callbacks above rely on it).
 */

static const struct gn_field opt_generic_fields[] = {
	IPOPT_HDR(0, 0, 0),
	{ .name = "length", .ops = &gn_kind_lenfield, .bits = 8, .flags = GN_FF_AUTO,
	  .link = 4, .adjust = 2 },
	{ .name = "value", .ops = &gn_kind_lenbytes, .link = 3, .dflt_str = "",
	  .length_from = generic_value_len },
};

static const struct gn_field opt_eol_fields[] = { IPOPT_HDR(0, 0, 0) };
static const struct gn_field opt_nop_fields[] = { IPOPT_HDR(0, 0, 1) };

static const struct gn_field opt_security_fields[] = {
	IPOPT_HDR(1, 0, 2),
	GN_BYTE("length", 11),
	GN_SHORT("security", 0),
	GN_SHORT("compartment", 0),
	GN_SHORT("handling_restrictions", 0),
	GN_FIXBYTES("transmission_control_code", 3, "xxx"),
};

#define RR_FIELDS(copy, opt)                                                   \
	IPOPT_HDR(copy, 0, opt),                                               \
	{ .name = "length", .ops = &gn_kind_lenfield, .bits = 8,               \
	  .flags = GN_FF_AUTO, .link = 5, .adjust = 3 },                       \
	GN_BYTE("pointer", 4),                                                 \
	IPLIST("routers", rr_routers_len)

static const struct gn_field opt_rr_fields[] = { RR_FIELDS(0, 7) };
static const struct gn_field opt_lsrr_fields[] = { RR_FIELDS(1, 3) };
static const struct gn_field opt_ssrr_fields[] = { RR_FIELDS(1, 9) };

static const struct gn_field opt_stream_id_fields[] = {
	IPOPT_HDR(1, 0, 8),
	GN_BYTE("length", 4),
	GN_SHORT("security", 0),
};

static const struct gn_field opt_mtu_probe_fields[] = {
	IPOPT_HDR(0, 0, 11),
	GN_BYTE("length", 4),
	GN_SHORT("mtu", 0),
};

static const struct gn_field opt_mtu_reply_fields[] = {
	IPOPT_HDR(0, 0, 12),
	GN_BYTE("length", 4),
	GN_SHORT("mtu", 0),
};

static const struct gn_field opt_traceroute_fields[] = {
	IPOPT_HDR(0, 0, 18),
	GN_BYTE("length", 12),
	GN_SHORT("id", 0),
	GN_SHORT("outbound_hops", 0),
	GN_SHORT("return_hops", 0),
	GN_IPV4("originator_ip", "0.0.0.0"),
};

static const struct gn_enum ts_flags[] = {
	{ 0, "timestamp_only" }, { 1, "timestamp_and_ip_addr" }, { 3, "prespecified_ip_addr" },
	{ 0, NULL },
};

static bool ts_has_addr(const struct gn_layer *l)
{
	return gn_field_uint(l, 6) != 0;
}

static const struct gn_field opt_timestamp_fields[] = {
	IPOPT_HDR(0, 2, 4),
	GN_AUTO("length", 8),
	GN_BYTE("pointer", 9),
	GN_BITS("oflw", 4, 0),
	GN_ENUM("flg", 4, 1, ts_flags),
	{ .name = "internet_address", .ops = &gn_kind_ipv4, .bits = 32, .link = -1,
	  .dflt_str = "0.0.0.0", .present = ts_has_addr },
	GN_INT("timestamp", 0),
};

static const struct gn_field opt_addr_ext_fields[] = {
	IPOPT_HDR(1, 0, 19),
	GN_BYTE("length", 10),
	GN_IPV4("src_ext", "0.0.0.0"),
	GN_IPV4("dst_ext", "0.0.0.0"),
};

static const struct gn_enum router_alert_names[] = {
	{ 0, "router_shall_examine_packet" }, { 0, NULL },
};

static const struct gn_field opt_router_alert_fields[] = {
	IPOPT_HDR(1, 0, 20),
	GN_BYTE("length", 4),
	GN_ENUM("alert", 16, 0, router_alert_names),
};

static const struct gn_field opt_sdbm_fields[] = {
	IPOPT_HDR(1, 0, 21),
	{ .name = "length", .ops = &gn_kind_lenfield, .bits = 8, .flags = GN_FF_AUTO,
	  .link = 4, .adjust = 2 },
	IPLIST("addresses", sdbm_addresses_len),
};

/* Each option holds only its own fields: what follows is the next option
 * (Scapy's IPOption.extract_padding). */
static size_t ipopt_payload_len(const struct gn_layer *l, size_t avail)
{
	(void)l;
	(void)avail;
	return 0;
}

/* IPOption_Timestamp fills its length byte when unset. */
static int ts_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			 size_t hdr_len, size_t total_len)
{
	(void)c;
	(void)total_len;
	if (gn_layer_get(l, 3)->type == GN_V_NONE && hdr_len >= 2)
		hdr[1] = (uint8_t)hdr_len;
	return 0;
}

static const struct gn_proto *ipopt_dispatch(const uint8_t *p, size_t len);

#define NF(a) (sizeof(a) / sizeof((a)[0]))
#define IPOPT_PROTO(var, nm, longnm, tbl)                                  \
	const struct gn_proto var = {                                      \
		.name = nm, .long_name = longnm,                           \
		.fields = tbl, .nfields = NF(tbl),                         \
		.payload_len = ipopt_payload_len,                          \
	}

const struct gn_proto gn_proto_ipoption = {
	.name = "IPOption", .long_name = "IP Option",
	.fields = opt_generic_fields, .nfields = NF(opt_generic_fields),
	.payload_len = ipopt_payload_len,
	.dispatch = ipopt_dispatch,
};
IPOPT_PROTO(gn_proto_ipoption_eol, "IPOption_EOL", "IP Option End of Options List",
	    opt_eol_fields);
IPOPT_PROTO(gn_proto_ipoption_nop, "IPOption_NOP", "IP Option No Operation", opt_nop_fields);
IPOPT_PROTO(gn_proto_ipoption_security, "IPOption_Security", "IP Option Security",
	    opt_security_fields);
IPOPT_PROTO(gn_proto_ipoption_rr, "IPOption_RR", "IP Option Record Route", opt_rr_fields);
IPOPT_PROTO(gn_proto_ipoption_lsrr, "IPOption_LSRR", "IP Option Loose Source and Record Route",
	    opt_lsrr_fields);
IPOPT_PROTO(gn_proto_ipoption_ssrr, "IPOption_SSRR",
	    "IP Option Strict Source and Record Route", opt_ssrr_fields);
IPOPT_PROTO(gn_proto_ipoption_stream_id, "IPOption_Stream_Id", "IP Option Stream ID",
	    opt_stream_id_fields);
IPOPT_PROTO(gn_proto_ipoption_mtu_probe, "IPOption_MTU_Probe", "IP Option MTU Probe",
	    opt_mtu_probe_fields);
IPOPT_PROTO(gn_proto_ipoption_mtu_reply, "IPOption_MTU_Reply", "IP Option MTU Reply",
	    opt_mtu_reply_fields);
IPOPT_PROTO(gn_proto_ipoption_traceroute, "IPOption_Traceroute", "IP Option Traceroute",
	    opt_traceroute_fields);
const struct gn_proto gn_proto_ipoption_timestamp = {
	.name = "IPOption_Timestamp", .long_name = "IP Option Timestamp",
	.fields = opt_timestamp_fields, .nfields = NF(opt_timestamp_fields),
	.payload_len = ipopt_payload_len,
	.post_build = ts_post_build,
};
IPOPT_PROTO(gn_proto_ipoption_address_extension, "IPOption_Address_Extension",
	    "IP Option Address Extension", opt_addr_ext_fields);
IPOPT_PROTO(gn_proto_ipoption_router_alert, "IPOption_Router_Alert", "IP Option Router Alert",
	    opt_router_alert_fields);
IPOPT_PROTO(gn_proto_ipoption_sdbm, "IPOption_SDBM",
	    "IP Option Selective Directed Broadcast Mode", opt_sdbm_fields);

/* Scapy's registered_ip_options, by the low five bits of the type byte. */
static const struct gn_proto *const ipopt_by_number[32] = {
	[0] = &gn_proto_ipoption_eol,
	[1] = &gn_proto_ipoption_nop,
	[2] = &gn_proto_ipoption_security,
	[3] = &gn_proto_ipoption_lsrr,
	[4] = &gn_proto_ipoption_timestamp,
	[7] = &gn_proto_ipoption_rr,
	[8] = &gn_proto_ipoption_stream_id,
	[9] = &gn_proto_ipoption_ssrr,
	[11] = &gn_proto_ipoption_mtu_probe,
	[12] = &gn_proto_ipoption_mtu_reply,
	[18] = &gn_proto_ipoption_traceroute,
	[19] = &gn_proto_ipoption_address_extension,
	[20] = &gn_proto_ipoption_router_alert,
	[21] = &gn_proto_ipoption_sdbm,
};

static const struct gn_proto *ipopt_dispatch(const uint8_t *p, size_t len)
{
	const struct gn_proto *cls;

	if (!len)
		return &gn_proto_ipoption;
	cls = ipopt_by_number[p[0] & 0x1f];
	return cls ? cls : &gn_proto_ipoption;
}

/* ---- the options field: PacketListField(IPOption) ------------------------ */

static int append_item(struct gn_arena *a, struct gn_value *list, uint32_t *cap,
		       struct gn_packet *sub)
{
	if (list->len == *cap) {
		uint32_t ncap = *cap ? 2 * *cap : 4;
		struct gn_value *ni = gn_arena_alloc(a, ncap * sizeof(*ni));

		if (!ni)
			return -ENOMEM;
		if (list->len)
			memcpy(ni, list->items, list->len * sizeof(*ni));
		list->items = ni;
		*cap = ncap;
	}
	memset(&list->items[list->len], 0, sizeof(list->items[0]));
	list->items[list->len].type = GN_V_PKT;
	list->items[list->len].pkt = sub;
	list->len++;
	return 0;
}

/* Scapy keeps bytes it could not read as an option as one Raw element. */
static int raw_item(struct gn_arena *a, const uint8_t *p, size_t n, struct gn_packet **out)
{
	struct gn_packet *sub = gn_packet_new_in(a);

	if (!sub || !gn_packet_push_bytes(sub, &gn_proto_raw, p, n))
		return -ENOMEM;
	*out = sub;
	return 0;
}

#define MAX_OPTIONS 64 /* 40 bytes of options hold at most 40 */

static int ipopts_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			  const struct gn_field *f, struct gn_value *out)
{
	size_t off = c->off + (c->bit ? 1 : 0);
	size_t avail = off < c->len ? c->len - off : 0;
	/* ihl*4 - 20, sliced the Python way (a short ihl counts from the end) */
	long n = py_slice_len((long)gn_field_uint(l, 1) * 4 - 20, avail);
	const uint8_t *p;
	size_t used = 0;
	uint32_t cap = 0;
	int err;

	(void)f;
	err = gn_rd_bytes(c, (size_t)n, &p);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	while (used < (size_t)n) {
		struct gn_packet *sub = NULL;
		size_t consumed = 0;
		size_t left = (size_t)n - used;

		err = out->len < MAX_OPTIONS ?
		      gn_dissect_sub(c, &gn_proto_ipoption, p + used, left, &sub, &consumed) :
		      -E2BIG;
		if (err == -ENOMEM)
			return err;
		/* an option that does not parse (a partial field, Raw inside)
		 * turns the rest into one Raw element, as Scapy does */
		if (err || !sub || sub->n != 1 || consumed == 0 || consumed > left) {
			err = raw_item(c->arena, p + used, left, &sub);
			consumed = left;
		}
		if (err || (err = append_item(c->arena, out, &cap, sub)))
			return err;
		used += consumed;
	}
	return 0;
}

static int ipopts_build(struct gn_build_ctx *c, const struct gn_layer *l,
			const struct gn_field *f, const struct gn_value *v)
{
	static const uint8_t zero[3];
	size_t start;
	int err = 0;

	(void)l;
	(void)f;
	gn_wbuf_put(&c->w, NULL, 0); /* byte-align */
	start = c->w.len;
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len && !err; i++) {
		const struct gn_value *it = &v->items[i];

		if (it->type == GN_V_PKT)
			err = gn_build_sub(c, it->pkt);
		else if (it->type == GN_V_BYTES)
			gn_wbuf_put(&c->w, it->bytes, it->len);
	}
	if (err)
		return err;
	/* IP.post_build pads the header to a multiple of 4 bytes */
	gn_wbuf_put(&c->w, zero, (4 - (c->w.len - start) % 4) % 4);
	return c->w.err;
}

static int ipopts_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			 struct gn_value *out, struct gn_error *err)
{
	struct gn_ast one;
	struct gn_ast *item = (struct gn_ast *)ast;

	/* raw option bytes are sent as given, as Scapy does with bytes */
	if (ast->type == GN_AST_BYTES || ast->type == GN_AST_STR) {
		memset(out, 0, sizeof(*out));
		out->type = GN_V_LIST;
		if (!ast->len)
			return 0;
		out->len = 1;
		out->items = gn_arena_alloc(a, sizeof(*out->items));
		if (!out->items)
			return -ENOMEM;
		out->items[0].type = GN_V_BYTES;
		out->items[0].len = (uint32_t)ast->len;
		out->items[0].bytes = gn_arena_memdup(a, ast->str, ast->len);
		return out->items[0].bytes ? 0 : -ENOMEM;
	}
	/* a single option without brackets is a list of one, as in Scapy */
	if (ast->type == GN_AST_LAYER) {
		memset(&one, 0, sizeof(one));
		one.type = GN_AST_CHAIN;
		one.column = ast->column;
		one.items = &item;
		one.n = 1;
		ast = &one;
	}
	return gn_kind_pktlist.assign(a, f, ast, out, err);
}

GN_INHERIT_FORMAT(ipopts_format, gn_kind_pktlist)

static const struct gn_field_ops kind_ip_options = {
	.kind = "PacketListField",
	.dissect = ipopts_dissect,
	.build = ipopts_build,
	.assign = ipopts_assign,
	.format = ipopts_format,
	.is_list = true,
};

/* ---- IP ------------------------------------------------------------------- */

static const struct gn_field ip_fields[] = {
	GN_BITS("version", 4, 4),
	GN_AUTO("ihl", 4),
	GN_XBYTE("tos", 0),
	GN_AUTO("len", 16),
	GN_SHORT("id", 1),
	GN_FLAGS("flags", 3, 0, "MF,DF,evil"),
	GN_BITS("frag", 13, 0),
	GN_BYTE("ttl", 64),
	GN_ENUM_DYN("proto", 8, 0, &gn_ip_protos),
	GN_XAUTO("chksum", 16),
	/* Scapy takes the source from the route to dst; with no route it
	 * is 0.0.0.0 */
	GN_IPV4("src", "0.0.0.0"),
	GN_IPV4("dst", "127.0.0.1"),
	{ .name = "options", .ops = &kind_ip_options, .link = -1,
	  .elem = &gn_proto_ipoption },
};

enum { F_VERSION, F_IHL, F_TOS, F_LEN, F_ID, F_FLAGS, F_FRAG, F_TTL, F_PROTO,
       F_CHKSUM, F_SRC, F_DST, F_OPTIONS };

static bool unset(const struct gn_layer *l, unsigned i)
{
	return gn_layer_get(l, i)->type == GN_V_NONE;
}

static int ip_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			 size_t hdr_len, size_t total_len)
{
	(void)c;
	if (hdr_len < 20)
		return 0;
	if (unset(l, F_IHL))
		hdr[0] = (uint8_t)((hdr[0] & 0xf0) | ((hdr_len / 4) & 0x0f));
	if (unset(l, F_LEN)) {
		if (total_len > 0xffff)
			return -EMSGSIZE; /* Scapy's struct.pack("!H") refuses too */
		hdr[2] = (uint8_t)(total_len >> 8);
		hdr[3] = (uint8_t)total_len;
	}
	if (unset(l, F_CHKSUM)) {
		uint16_t ck;

		hdr[10] = hdr[11] = 0;
		ck = gn_inet_csum(hdr, hdr_len);
		hdr[10] = (uint8_t)(ck >> 8);
		hdr[11] = (uint8_t)ck;
	}
	return 0;
}

/* Scapy's IP.extract_padding: the payload ends where len says. */
static size_t ip_payload_len(const struct gn_layer *l, size_t avail)
{
	long n = (long)gn_field_uint(l, F_LEN) - 4 * (long)gn_field_uint(l, F_IHL);

	if (n < 0 || (size_t)n > avail)
		return avail;
	return (size_t)n;
}

/* "%IP.src% > %IP.dst% %IP.proto%" and " frag:%i" for a fragment */
static bool ip_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	uint64_t frag = gn_field_uint(l, F_FRAG);

	gn_format_field(l, F_SRC, sb, GN_REPR_HUMAN);
	gn_sb_puts(sb, " > ");
	gn_format_field(l, F_DST, sb, GN_REPR_HUMAN);
	gn_sb_putc(sb, ' ');
	gn_format_field(l, F_PROTO, sb, GN_REPR_HUMAN);
	if (frag)
		gn_sb_printf(sb, " frag:%u", (unsigned)frag);
	return true;
}

/* ---- matching replies to probes (Scapy's hashret and answers) ------------- */

uint32_t gn_hash_bytes(uint32_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	/* FNV-1a: equal inputs give equal hashes, which is all sr needs */
	if (!h)
		h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

uint32_t gn_layer_hashret(const struct gn_layer *l)
{
	/* Packet.hashret: the payload's; NoPayload's is empty */
	while (l && !l->proto->hashret)
		l = gn_layer_above(l);
	return l ? l->proto->hashret(l) : 0;
}

bool gn_layer_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	if (!reply) /* NoPayload answers NoPayload and Padding */
		return !probe || probe->proto == &gn_proto_padding;
	if (reply->proto->answers) {
		/* against NoPayload: Scapy's answers of every class with a hook
		 * but Dot1Q's (which judges an untagged probe by what the tag
		 * carries) wants the probe to be of some class, which NoPayload
		 * never is; so the hooks are spared a NULL probe */
		if (!probe && reply->proto != &gn_proto_dot1q && reply->proto != &gn_proto_dot1ad)
			return false;
		return reply->proto->answers(reply, probe);
	}
	if (reply->proto == &gn_proto_raw || reply->proto == &gn_proto_padding)
		return true;
	/* Packet.answers: the same class, then the payloads */
	if (!probe || probe->proto != reply->proto)
		return false;
	return gn_layer_answers(gn_layer_above(reply), gn_layer_above(probe));
}

static bool is_ip(const struct gn_layer *l)
{
	return l && (l->proto == &gn_proto_ip || l->proto == &gn_proto_iperror);
}

static void addr4(const struct gn_layer *l, unsigned i, uint8_t out[4])
{
	const struct gn_value *v = gn_layer_get(l, i);

	if (v->type == GN_V_ADDR && v->alen == 4)
		memcpy(out, v->addr, 4);
	else
		memset(out, 0, 4);
}

static bool is_mdns(const uint8_t a[4])
{
	return a[0] == 224 && a[1] == 0 && a[2] == 0 && a[3] == 251;
}

/* An ICMP error above: its quoted datagram is what the reply is about. */
static const struct gn_layer *icmp_error_above(const struct gn_layer *l)
{
	const struct gn_layer *up = gn_layer_above(l);
	uint64_t t;

	if (gn_field_uint(l, F_PROTO) != 1 || !up ||
	    (up->proto != &gn_proto_icmp && up->proto != &gn_proto_icmperror))
		return NULL;
	t = gn_field_uint(up, 0);
	return (t == 3 || t == 4 || t == 5 || t == 11 || t == 12) ? up : NULL;
}

static uint32_t ip_hashret(const struct gn_layer *l)
{
	const struct gn_layer *icmp = icmp_error_above(l);
	uint8_t src[4], dst[4], key[5];

	if (icmp)
		return gn_layer_hashret(gn_layer_above(icmp));
	addr4(l, F_SRC, src);
	addr4(l, F_DST, dst);
	key[4] = (uint8_t)gn_field_uint(l, F_PROTO);
	/* mDNS, or no address checks: the protocol alone */
	if (is_mdns(dst) || gn_match_no_ipaddr(l, NULL))
		return gn_hash_bytes(gn_hash_bytes(0, key + 4, 1),
				     &(uint32_t){ gn_layer_hashret(gn_layer_above(l)) }, 4);
	/* src ^ dst: the same for the probe and its reply */
	for (int i = 0; i < 4; i++)
		key[i] = src[i] ^ dst[i];
	return gn_hash_bytes(gn_hash_bytes(0, key, 5),
			     &(uint32_t){ gn_layer_hashret(gn_layer_above(l)) }, 4);
}

static bool ip_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	uint8_t rsrc[4], rdst[4], psrc[4], pdst[4];
	const struct gn_layer *icmp;
	bool check = !gn_match_no_ipaddr(r, p);

	if (!is_ip(p))
		return false;
	addr4(r, F_SRC, rsrc);
	addr4(r, F_DST, rdst);
	addr4(p, F_SRC, psrc);
	addr4(p, F_DST, pdst);
	if (check && is_mdns(pdst) && is_mdns(rdst))
		return gn_layer_answers(gn_layer_above(r), gn_layer_above(p));
	if (check && memcmp(rdst, psrc, 4))
		return false;
	icmp = icmp_error_above(r);
	if (icmp) /* the quoted datagram (IPerror) answers the probe itself */
		return gn_layer_answers(gn_layer_above(icmp), p);
	if ((check && memcmp(rsrc, pdst, 4)) ||
	    gn_field_uint(r, F_PROTO) != gn_field_uint(p, F_PROTO))
		return false;
	return gn_layer_answers(gn_layer_above(r), gn_layer_above(p));
}

/* The quoted header matches the probe's own addresses and protocol. */
static bool iperror_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	uint8_t a[4], b[4];

	if (!is_ip(p))
		return false;
	addr4(r, F_SRC, a);
	addr4(p, F_SRC, b);
	if (memcmp(a, b, 4))
		return false;
	addr4(r, F_DST, a);
	addr4(p, F_DST, b);
	if (memcmp(a, b, 4) || gn_field_uint(r, F_PROTO) != gn_field_uint(p, F_PROTO))
		return false;
	return gn_layer_answers(gn_layer_above(r), gn_layer_above(p));
}

/* Scapy's IPerror is the same header quoted in an ICMP error: no summary,
 * its own answers. */
#define IP_CLASS(nm, longnm)                                                  \
	.name = nm, .long_name = longnm,                                      \
	.fields = ip_fields, .nfields = NF(ip_fields),                        \
	.post_build = ip_post_build, .payload_len = ip_payload_len,           \
	.hashret = ip_hashret

const struct gn_proto gn_proto_ip = {
	IP_CLASS("IP", "IP"),
	.summary = ip_summary,
	.answers = ip_answers,
};

const struct gn_proto gn_proto_iperror = {
	IP_CLASS("IPerror", "IP in ICMP"),
	.answers = iperror_answers,
};

static const struct gn_proto *const ipopt_all[] = {
	&gn_proto_ipoption, &gn_proto_ipoption_eol, &gn_proto_ipoption_nop,
	&gn_proto_ipoption_security, &gn_proto_ipoption_rr, &gn_proto_ipoption_lsrr,
	&gn_proto_ipoption_ssrr, &gn_proto_ipoption_stream_id, &gn_proto_ipoption_mtu_probe,
	&gn_proto_ipoption_mtu_reply, &gn_proto_ipoption_traceroute,
	&gn_proto_ipoption_timestamp, &gn_proto_ipoption_address_extension,
	&gn_proto_ipoption_router_alert, &gn_proto_ipoption_sdbm,
};

void gn_proto_ip_register(void)
{
	gn_proto_register(&gn_proto_ip);
	gn_proto_register(&gn_proto_iperror);
	for (size_t i = 0; i < NF(ipopt_all); i++)
		gn_proto_register(ipopt_all[i]);
	/* Dot1Q and Dot1AD take Ether's bindings (Scapy's aliastypes) */
	gn_bind(&gn_proto_ether, &gn_proto_ip, "type=0x800", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1q, &gn_proto_ip, "type=0x800", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1ad, &gn_proto_ip, "type=0x800", GN_BIND_BOTH);
	gn_bind(&gn_proto_ip, &gn_proto_ip, "frag=0,proto=4", GN_BIND_BOTH);
	gn_bind(&gn_proto_iperror, &gn_proto_iperror, "frag=0,proto=4", GN_BIND_BOTH);
}
