// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * IPv6 (RFC 8200) and its extension headers, as Scapy 2.5's inet6 has them:
 * IPv6, IPerror6 (the packet an ICMPv6 error quotes), the hop-by-hop,
 * routing, fragment and destination options headers, and the options the
 * hop-by-hop and destination headers carry (Pad1, PadN, RouterAlert, Jumbo,
 * HAO, anything else as HBHOptUnknown).
 *
 * The payload class follows Scapy's guess_payload_class: the bindings
 * first, then the next-header table (ipv6nhcls), with ICMPv6 messages
 * picked by their type byte.
 */
#include <errno.h>
#include <string.h>

#include "protos.h"

/* ---- names --------------------------------------------------------------- */

const struct gn_enum gn_ipv6nh_names[] = {
	{ 0, "Hop-by-Hop Option Header" },
	{ 4, "IP" },
	{ 6, "TCP" },
	{ 17, "UDP" },
	{ 41, "IPv6" },
	{ 43, "Routing Header" },
	{ 44, "Fragment Header" },
	{ 47, "GRE" },
	{ 50, "ESP Header" },
	{ 51, "AH Header" },
	{ 58, "ICMPv6" },
	{ 59, "No Next Header" },
	{ 60, "Destination Option Header" },
	{ 112, "VRRP" },
	{ 132, "SCTP" },
	{ 135, "Mobility Header" },
	{ 0, NULL },
};

static const struct gn_enum hbhopt_names[] = {
	{ 0x00, "Pad1" },
	{ 0x01, "PadN" },
	{ 0x04, "Tunnel Encapsulation Limit" },
	{ 0x05, "Router Alert" },
	{ 0x06, "Quick-Start" },
	{ 0xc2, "Jumbo Payload" },
	{ 0xc9, "Home Address Option" },
	{ 0, NULL },
};

static const struct gn_enum router_alert_names[] = {
	{ 0, "Datagram contains a MLD message" },
	{ 1, "Datagram contains RSVP message" },
	{ 2, "Datagram contains an Active Network message" },
	{ 68, "NSIS NATFW NSLP" },
	{ 69, "MPLS OAM" },
	{ 65535, "Reserved" },
	{ 0, NULL },
};

/* ---- byte helpers -------------------------------------------------------- */

static void put16(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* A field left to be computed: never set, or set to None. */
static bool unset(const struct gn_layer *l, unsigned i)
{
	return gn_layer_get(l, i)->type == GN_V_NONE;
}

/* ---- IP6ListField: a list of IPv6 addresses ------------------------------ */

/* The bytes the list takes: length_from read as a Python slice s[:n], as
 * Scapy does (a negative n leaves the last -n bytes out). */
static size_t ip6list_avail(const struct gn_dissect_ctx *c, const struct gn_layer *l,
			    const struct gn_field *f)
{
	size_t off = c->off + (c->bit ? 1 : 0);
	size_t avail = off < c->len ? c->len - off : 0;
	long want;

	if (!f->length_from)
		return avail;
	want = f->length_from(l, avail);
	if (want < 0)
		return (size_t)-want < avail ? avail - (size_t)-want : 0;
	return (size_t)want < avail ? (size_t)want : avail;
}

static int ip6list_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			   const struct gn_field *f, struct gn_value *out)
{
	size_t bytes = ip6list_avail(c, l, f);
	size_t n = bytes / 16;
	struct gn_value *items = NULL;

	/* a partial address: Scapy gives up on the layer, so do we */
	if (bytes % 16)
		return -EMSGSIZE;
	if (n) {
		items = gn_arena_alloc(c->arena, n * sizeof(*items));
		if (!items)
			return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p;
		int err = gn_rd_bytes(c, 16, &p);

		if (err)
			return err;
		items[i].type = GN_V_ADDR;
		items[i].alen = 16;
		memcpy(items[i].addr, p, 16);
	}
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	out->len = (uint32_t)n;
	out->items = items;
	return 0;
}

static int ip6list_build(struct gn_build_ctx *c, const struct gn_layer *l,
			 const struct gn_field *f, const struct gn_value *v)
{
	(void)l;
	(void)f;
	if (v->type != GN_V_LIST)
		return 0;
	for (uint32_t i = 0; i < v->len; i++)
		if (v->items[i].type == GN_V_ADDR && v->items[i].alen == 16)
			gn_wbuf_put(&c->w, v->items[i].addr, 16);
	return c->w.err;
}

static int ip6list_item(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			struct gn_value *out, struct gn_error *err)
{
	struct gn_field one = *f;
	int rc;

	one.ops = &gn_kind_ipv6;
	one.bits = 128;
	rc = gn_kind_ipv6.assign(a, &one, ast, out, err);
	if (rc)
		return rc;
	if (out->type != GN_V_ADDR)
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' holds IPv6 addresses, not networks or None",
				    f->name);
	return 0;
}

static int ip6list_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			  struct gn_value *out, struct gn_error *err)
{
	return gn_list_assign(a, f, ast, out, err, ip6list_item);
}

/* Scapy's IP6ListField.i2repr "[ 2001:db8::1, ::2 ]" for show(); a list of
 * quoted addresses for expressions and JSON. */
static void ip6list_format(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	const struct gn_field one = GN_IPV6(f->name, NULL);

	gn_sb_puts(sb, r == GN_REPR_HUMAN ? "[ " : "[");
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		if (i)
			gn_sb_puts(sb, r == GN_REPR_JSON ? "," : ", ");
		gn_kind_ipv6.format(l, &one, &v->items[i], sb, r);
	}
	gn_sb_puts(sb, r == GN_REPR_HUMAN ? " ]" : "]");
}

static size_t ip6list_wire_len(const struct gn_layer *l, const struct gn_field *f,
			       const struct gn_value *v)
{
	(void)l;
	(void)f;
	return v->type == GN_V_LIST ? 16 * (size_t)v->len : 0;
}

const struct gn_field_ops gn_kind_ip6list = {
	.kind = "IP6ListField",
	.dissect = ip6list_dissect,
	.build = ip6list_build,
	.assign = ip6list_assign,
	.format = ip6list_format,
	.wire_len = ip6list_wire_len,
	.is_list = true,
};

/* ---- _OTypeField: an option type shown with what it asks of a node ----- */

static void otype_format(const struct gn_layer *l, const struct gn_field *f,
			 const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	static const char *const pol[4] = {
		"00: skip", "01: discard", "10: discard+ICMP", "11: discard+ICMP not mcast",
	};
	const char *name;

	if (r != GN_REPR_HUMAN || v->type != GN_V_INT) {
		gn_kind_enum.format(l, f, v, sb, r);
		return;
	}
	name = gn_enum_name(f->names, v->u);
	if (name)
		gn_sb_puts(sb, name);
	else
		gn_sb_printf(sb, "%u", (unsigned)v->u);
	gn_sb_printf(sb, " [%s, %s]", pol[(v->u >> 6) & 3],
		     (v->u & 0x20) ? "1: May change en-route" : "0: Don't change en-route");
}

GN_INHERIT_DISSECT(otype_dissect, gn_kind_enum)
GN_INHERIT_BUILD(otype_build, gn_kind_enum)
GN_INHERIT_ASSIGN(otype_assign, gn_kind_enum)

static const struct gn_field_ops otype_kind = {
	.kind = "_OTypeField",
	.dissect = otype_dissect,
	.build = otype_build,
	.assign = otype_assign,
	.format = otype_format,
	.is_scalar = true,
};

#define OTYPE(d) GN_FIELD_("otype", otype_kind, 8, .dflt = (d), .names = hbhopt_names)

/* ---- hop-by-hop and destination options ---------------------------------- */

/* Every option is exactly its fields: the bytes after it belong to the
 * next option (Scapy's extract_padding returning b"", p). */
static size_t opt_payload_len(const struct gn_layer *l, size_t avail)
{
	(void)l;
	(void)avail;
	return 0;
}

static const struct gn_field pad1_fields[] = {
	OTYPE(0x00),
};

static const struct gn_field padn_fields[] = {
	OTYPE(0x01),
	GN_LENFIELD("optlen", 8, 2),
	GN_LENBYTES("optdata", 1, ""),
};

static const struct gn_field router_alert_fields[] = {
	OTYPE(0x05),
	GN_BYTE("optlen", 2),
	GN_FIELD_("value", gn_kind_enum, 16, .flags = GN_FF_AUTO, .names = router_alert_names),
};

static const struct gn_field jumbo_fields[] = {
	OTYPE(0xc2),
	GN_BYTE("optlen", 4),
	GN_AUTO("jumboplen", 32),
};

static const struct gn_field hao_fields[] = {
	OTYPE(0xc9),
	GN_BYTE("optlen", 16),
	GN_IPV6("hoa", "::"),
};

static const struct gn_proto *hbhopt_dispatch(const uint8_t *p, size_t len)
{
	if (!len)
		return NULL;
	switch (p[0]) {
	case 0x00: return &gn_proto_hbh_pad1;
	case 0x01: return &gn_proto_hbh_padn;
	case 0x05: return &gn_proto_hbh_router_alert;
	case 0xc2: return &gn_proto_hbh_jumbo;
	case 0xc9: return &gn_proto_hbh_hao;
	}
	return NULL;
}

const struct gn_proto gn_proto_hbh_unknown = {
	.name = "HBHOptUnknown",
	.long_name = "Scapy6 Unknown Option",
	.fields = padn_fields,
	.nfields = 3,
	.payload_len = opt_payload_len,
	.dispatch = hbhopt_dispatch,
};

const struct gn_proto gn_proto_hbh_pad1 = {
	.name = "Pad1", .fields = pad1_fields, .nfields = 1,
	.payload_len = opt_payload_len,
};

const struct gn_proto gn_proto_hbh_padn = {
	.name = "PadN", .fields = padn_fields, .nfields = 3,
	.payload_len = opt_payload_len,
};

const struct gn_proto gn_proto_hbh_router_alert = {
	.name = "RouterAlert", .long_name = "Router Alert",
	.fields = router_alert_fields, .nfields = 3,
	.payload_len = opt_payload_len,
};

const struct gn_proto gn_proto_hbh_jumbo = {
	.name = "Jumbo", .long_name = "Jumbo Payload",
	.fields = jumbo_fields, .nfields = 3,
	.payload_len = opt_payload_len,
};

const struct gn_proto gn_proto_hbh_hao = {
	.name = "HAO", .long_name = "Home Address Option",
	.fields = hao_fields, .nfields = 3,
	.payload_len = opt_payload_len,
};

/* Padding an option needs before it at offset curpos of its header (RFC 8200
 * 4.2 "xn+y" alignment), as each option class's alignment_delta says. */
static size_t align_delta(const struct gn_proto *p, size_t curpos)
{
	size_t x, y;

	if (p == &gn_proto_hbh_router_alert) {
		x = 2;
		y = 0;
	} else if (p == &gn_proto_hbh_jumbo) {
		x = 4;
		y = 2;
	} else if (p == &gn_proto_hbh_hao) {
		x = 8;
		y = 6;
	} else {
		return 0;
	}
	/* x * ceil((curpos - y) / x) + y - curpos, curpos >= 2 here */
	if (curpos <= y)
		return y - curpos;
	return x * ((curpos - y + x - 1) / x) + y - curpos;
}

static void put_pad(struct gn_wbuf *w, size_t d)
{
	static const uint8_t zero[8];

	if (d == 1) {
		gn_wbuf_put(w, zero, 1);
	} else if (d >= 2) {
		uint8_t padn[2] = { 0x01, (uint8_t)(d - 2) };

		gn_wbuf_put(w, padn, 2);
		for (d -= 2; d; ) {
			size_t n = d < sizeof(zero) ? d : sizeof(zero);

			gn_wbuf_put(w, zero, n);
			d -= n;
		}
	}
}

/* Field indices shared by the hop-by-hop and destination options headers. */
enum { OPT_NH, OPT_LEN, OPT_AUTOPAD, OPT_OPTIONS };

/* Scapy's _OptionsField.i2m: with autopad on, each option is preceded by
 * the Pad1/PadN its alignment needs and the list is padded to a multiple of
 * 8 bytes counting the 2 bytes of header before it. */
static int options_build(struct gn_build_ctx *c, const struct gn_layer *l,
			 const struct gn_field *f, const struct gn_value *v)
{
	bool autopad = gn_field_uint(l, OPT_AUTOPAD) != 0;
	size_t curpos = 2;

	(void)f;
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		const struct gn_value *it = &v->items[i];
		size_t before;
		int err;

		if (it->type != GN_V_PKT || !it->pkt->n)
			continue;
		if (autopad) {
			size_t d = align_delta(it->pkt->layers[0].proto, curpos);

			put_pad(&c->w, d);
			curpos += d;
		}
		before = c->w.len;
		err = gn_build_sub(c, it->pkt);
		if (err)
			return err;
		curpos += c->w.len - before;
	}
	if (autopad && curpos % 8)
		put_pad(&c->w, 8 - curpos % 8);
	return c->w.err;
}

GN_INHERIT_DISSECT(options_dissect, gn_kind_pktlist)
GN_INHERIT_ASSIGN(options_assign, gn_kind_pktlist)
GN_INHERIT_FORMAT(options_format, gn_kind_pktlist)

static const struct gn_field_ops options_kind = {
	.kind = "_OptionsField",
	.dissect = options_dissect,
	.build = options_build,
	.assign = options_assign,
	.format = options_format,
	.is_list = true,
};

static long options_length(const struct gn_layer *l, size_t avail)
{
	(void)avail;
	return 8 * ((long)gn_field_uint(l, OPT_LEN) + 1) - 2;
}

/* _PhantomAutoPadField: a switch that is never on the wire (always 1 when
 * dissected), shown On/Off. */
static int autopad_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			   const struct gn_field *f, struct gn_value *out)
{
	(void)c;
	(void)l;
	(void)f;
	*out = gn_v_int(1);
	return 0;
}

static int autopad_build(struct gn_build_ctx *c, const struct gn_layer *l,
			 const struct gn_field *f, const struct gn_value *v)
{
	(void)l;
	(void)f;
	(void)v;
	return c->w.err;
}

GN_INHERIT_ASSIGN(autopad_assign, gn_kind_uint)

static void autopad_format(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	if (r == GN_REPR_HUMAN && v->type == GN_V_INT)
		gn_sb_puts(sb, v->u ? "On" : "Off");
	else
		gn_kind_uint.format(l, f, v, sb, r);
}

static const struct gn_field_ops autopad_kind = {
	.kind = "_PhantomAutoPadField",
	.dissect = autopad_dissect,
	.build = autopad_build,
	.assign = autopad_assign,
	.format = autopad_format,
	.wire_len = NULL,
	.is_scalar = true,
};

#define OPTIONS_HEADER_FIELDS                                                        \
	GN_ENUM("nh", 8, 59, gn_ipv6nh_names),                                        \
	GN_AUTO("len", 8),                                                            \
	GN_FIELD_("autopad", autopad_kind, 8, .dflt = 1),                             \
	GN_FIELD_("options", options_kind, 0, .elem = &gn_proto_hbh_unknown,       \
		  .length_from = options_length)

static const struct gn_field hbh_fields[] = { OPTIONS_HEADER_FIELDS };
static const struct gn_field destopt_fields[] = { OPTIONS_HEADER_FIELDS };

/* len counts 8-byte units after the first: (2 + options + 7) / 8 - 1. */
static int options_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			      size_t hdr_len, size_t total_len)
{
	(void)c;
	(void)total_len;
	if (hdr_len >= 2 && unset(l, OPT_LEN))
		hdr[1] = (uint8_t)((hdr_len + 7) / 8 - 1);
	return 0;
}

/* ---- routing header --------------------------------------------------------- */

enum { RT_NH, RT_LEN, RT_TYPE, RT_SEGLEFT, RT_RESERVED, RT_ADDRESSES };

static long routing_length(const struct gn_layer *l, size_t avail)
{
	(void)avail;
	return 8 * (long)gn_field_uint(l, RT_LEN);
}

static const struct gn_field routing_fields[] = {
	GN_ENUM("nh", 8, 59, gn_ipv6nh_names),
	GN_AUTO("len", 8),
	GN_BYTE("type", 0),
	GN_AUTO("segleft", 8),
	GN_BITS("reserved", 32, 0),
	GN_FIELD_("addresses", gn_kind_ip6list, 0, .length_from = routing_length),
};

static int routing_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			      size_t hdr_len, size_t total_len)
{
	const struct gn_value *a = gn_layer_get(l, RT_ADDRESSES);
	uint64_t n = a->type == GN_V_LIST ? a->len : 0;

	(void)c;
	(void)total_len;
	if (hdr_len < 4)
		return 0;
	if (unset(l, RT_LEN))
		hdr[1] = (uint8_t)(2 * n);
	if (unset(l, RT_SEGLEFT))
		hdr[3] = (uint8_t)n;
	return 0;
}

/* ---- fragment header -------------------------------------------------------- */

enum { FR_NH, FR_RES1, FR_OFFSET, FR_RES2, FR_M, FR_ID };

static const struct gn_field frag_fields[] = {
	GN_ENUM("nh", 8, 59, gn_ipv6nh_names),
	GN_BITS("res1", 8, 0),
	GN_BITS("offset", 13, 0),
	GN_BITS("res2", 2, 0),
	GN_BITS("m", 1, 0),
	GN_AUTO("id", 32),
};

/* ---- IPv6 ---------------------------------------------------------------- */

enum { IP6_VERSION, IP6_TC, IP6_FL, IP6_PLEN, IP6_NH, IP6_HLIM, IP6_SRC, IP6_DST };

static const struct gn_field ipv6_fields[] = {
	GN_BITS("version", 4, 6),
	GN_BITS("tc", 8, 0),
	GN_BITS("fl", 20, 0),
	GN_AUTO("plen", 16),
	GN_ENUM("nh", 8, 59, gn_ipv6nh_names),
	GN_BYTE("hlim", 64),
	/* Scapy picks the source from the route to dst; offline that is ::1 */
	GN_IPV6("src", "::1"),
	GN_IPV6("dst", "::1"),
};

static int ipv6_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			   size_t hdr_len, size_t total_len)
{
	(void)c;
	if (hdr_len >= 6 && total_len >= 40 && unset(l, IP6_PLEN))
		put16(hdr + 4, total_len - 40);
	return 0;
}

/* Scapy's extract_padding: plen bytes are payload.  A jumbogram (plen 0 with
 * a hop-by-hop header) is as long as its Jumbo option says, which Scapy
 * reads in host byte order and so in practice takes everything: so do we. */
static size_t ipv6_payload_len(const struct gn_layer *l, size_t avail)
{
	uint64_t plen = gn_field_uint(l, IP6_PLEN);

	if (plen == 0 && gn_field_uint(l, IP6_NH) == 0 && avail >= 8)
		return avail;
	return plen < avail ? (size_t)plen : avail;
}

static bool ipv6_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	gn_format_field(l, IP6_SRC, sb, GN_REPR_HUMAN);
	gn_sb_puts(sb, " > ");
	gn_format_field(l, IP6_DST, sb, GN_REPR_HUMAN);
	gn_sb_printf(sb, " (%u)", (unsigned)gn_field_uint(l, IP6_NH));
	return true;
}

/* ---- payload guess ------------------------------------------------------- */

/* The next-header field of any of this file's header classes. */
static uint64_t next_header(const struct gn_layer *l)
{
	if (l->proto == &gn_proto_ipv6 || l->proto == &gn_proto_iperror6)
		return gn_field_uint(l, IP6_NH);
	return gn_field_uint(l, 0); /* every extension header starts with nh */
}

/* Scapy's _IPv6GuessPayload.default_payload_class (ipv6nhcls), once the
 * bindings had nothing to say. */
static const struct gn_proto *nh_class(uint64_t nh, const uint8_t *p, size_t len)
{
	switch (nh) {
	case 0:  return &gn_proto_ipv6_hbh;
	case 4:  return &gn_proto_ip;
	case 6:  return &gn_proto_tcp;
	case 17: return &gn_proto_udp;
	case 43: return &gn_proto_ipv6_routing;
	case 44: return &gn_proto_ipv6_frag;
	case 58: return gn_icmpv6_class(p, len);
	case 60: return &gn_proto_ipv6_destopt;
	}
	return &gn_proto_raw;
}

static const struct gn_proto *ipv6_guess(const struct gn_layer *l, const uint8_t *p, size_t len)
{
	const struct gn_proto *cls = gn_bind_guess(l);

	return cls ? cls : nh_class(next_header(l), p, len);
}

/* The quoted packet of an ICMPv6 error: its TCP and UDP are the *error
 * classes (Scapy binds them to IPerror6), the rest as in IPv6. */
static const struct gn_proto *iperror6_guess(const struct gn_layer *l, const uint8_t *p,
					     size_t len)
{
	const struct gn_proto *cls = gn_bind_guess(l);

	if (cls)
		return cls;
	switch (gn_field_uint(l, IP6_NH)) {
	case 6:  return &gn_proto_tcperror;
	case 17: return &gn_proto_udperror;
	}
	return nh_class(gn_field_uint(l, IP6_NH), p, len);
}

/* A fragment other than the first carries the middle of a payload. */
static const struct gn_proto *frag_guess(const struct gn_layer *l, const uint8_t *p, size_t len)
{
	if (gn_field_uint(l, FR_OFFSET) > 0)
		return &gn_proto_raw;
	return ipv6_guess(l, p, len);
}

/* ---- classes ------------------------------------------------------------- */

const struct gn_proto gn_proto_ipv6 = {
	.name = "IPv6",
	.fields = ipv6_fields,
	.nfields = 8,
	.post_build = ipv6_post_build,
	.guess_payload = ipv6_guess,
	.payload_len = ipv6_payload_len,
	.summary = ipv6_summary,
	.hashret = gn_ipv6_hashret,
	.answers = gn_ipv6_answers,
};

const struct gn_proto gn_proto_iperror6 = {
	.name = "IPerror6",
	.long_name = "IPv6 in ICMPv6",
	.fields = ipv6_fields,
	.nfields = 8,
	.post_build = ipv6_post_build,
	.guess_payload = iperror6_guess,
	.payload_len = ipv6_payload_len,
	.hashret = gn_ipv6_hashret,
	.answers = gn_iperror6_answers,
};

const struct gn_proto gn_proto_ipv6_hbh = {
	.name = "IPv6ExtHdrHopByHop",
	.long_name = "IPv6 Extension Header - Hop-by-Hop Options Header",
	.fields = hbh_fields,
	.nfields = 4,
	.post_build = options_post_build,
	.guess_payload = ipv6_guess,
};

const struct gn_proto gn_proto_ipv6_destopt = {
	.name = "IPv6ExtHdrDestOpt",
	.long_name = "IPv6 Extension Header - Destination Options Header",
	.fields = destopt_fields,
	.nfields = 4,
	.post_build = options_post_build,
	.guess_payload = ipv6_guess,
};

const struct gn_proto gn_proto_ipv6_routing = {
	.name = "IPv6ExtHdrRouting",
	.long_name = "IPv6 Option Header Routing",
	.fields = routing_fields,
	.nfields = 6,
	.post_build = routing_post_build,
	.guess_payload = ipv6_guess,
};

const struct gn_proto gn_proto_ipv6_frag = {
	.name = "IPv6ExtHdrFragment",
	.long_name = "IPv6 Extension Header - Fragmentation header",
	.fields = frag_fields,
	.nfields = 6,
	.guess_payload = frag_guess,
};

/* Every class that can sit under a next header, for the bindings. */
const struct gn_proto *const gn_ipv6_nh_layers[] = {
	&gn_proto_ipv6, &gn_proto_iperror6, &gn_proto_ipv6_hbh, &gn_proto_ipv6_routing,
	&gn_proto_ipv6_frag, &gn_proto_ipv6_destopt, NULL,
};

void gn_proto_ipv6_register(void)
{
	static const struct gn_proto *const own[] = {
		&gn_proto_ipv6, &gn_proto_iperror6, &gn_proto_ipv6_hbh, &gn_proto_ipv6_routing,
		&gn_proto_ipv6_frag, &gn_proto_ipv6_destopt, &gn_proto_hbh_unknown,
		&gn_proto_hbh_pad1, &gn_proto_hbh_padn, &gn_proto_hbh_router_alert, &gn_proto_hbh_jumbo,
		&gn_proto_hbh_hao,
	};
	/* guess: also a dissection binding of IPv6 (Scapy's IPv6.payload_guess) */
	static const struct {
		const struct gn_proto *upper;
		const char *cond;
		bool guess;
	} uppers[] = {
		{ &gn_proto_ipv6_hbh, "nh=0", false },
		{ &gn_proto_ipv6_routing, "nh=43", false },
		{ &gn_proto_ipv6_frag, "nh=44", false },
		{ &gn_proto_ipv6_destopt, "nh=60", false },
		{ &gn_proto_tcp, "nh=6", true },
		{ &gn_proto_udp, "nh=17", true },
		{ &gn_proto_ipv6, "nh=41", true },
		{ &gn_proto_ip, "nh=4", true },
	};

	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		gn_proto_register(own[i]);

	gn_bind(&gn_proto_ether, &gn_proto_ipv6, "type=0x86dd", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1q, &gn_proto_ipv6, "type=0x86dd", GN_BIND_BOTH);
	gn_bind(&gn_proto_dot1ad, &gn_proto_ipv6, "type=0x86dd", GN_BIND_BOTH);
	gn_bind(&gn_proto_ip, &gn_proto_ipv6, "proto=41", GN_BIND_BOTH);

	/* Building: every header class fills nh for what it carries, as Scapy's
	 * overload_fields do through the extension headers' aliastypes.
	 * Dissecting goes through the bindings of IPv6, then the next-header
	 * table (nh_class), as in Scapy. */
	for (size_t i = 0; gn_ipv6_nh_layers[i]; i++) {
		const struct gn_proto *lower = gn_ipv6_nh_layers[i];

		for (size_t j = 0; j < sizeof(uppers) / sizeof(uppers[0]); j++)
			gn_bind(lower, uppers[j].upper, uppers[j].cond,
				lower == &gn_proto_ipv6 && uppers[j].guess ? GN_BIND_BOTH
									   : GN_BIND_BUILD);
		/* the quoted packet's TCP and UDP: IPerror6's bindings, which the
		 * extension headers share (their aliastypes), but not IPv6 */
		if (lower != &gn_proto_ipv6) {
			unsigned how = lower == &gn_proto_iperror6 ? GN_BIND_BOTH : GN_BIND_BUILD;

			gn_bind(lower, &gn_proto_tcperror, "nh=6", how);
			gn_bind(lower, &gn_proto_udperror, "nh=17", how);
		}
	}
}
