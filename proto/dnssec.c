// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The DNS records Scapy 2.5 reads as their own classes beyond MX, SOA, SRV
 * and OPT (proto/dns.c): DNSSEC's RRSIG, NSEC, DNSKEY, DS, DLV, NSEC3 and
 * NSEC3PARAM (RFC 4034, 4431, 5155), TSIG (RFC 2845), and the EDNS0 client
 * subnet option (RFC 7871).  proto/dns.c picks them by type and registers
 * them; fields, names and defaults are Scapy's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "engine.h"
#include "protos.h"

static const struct gn_enum dnssec_algos[] = {
	{ 0, "Reserved" }, { 1, "RSA/MD5" }, { 2, "Diffie-Hellman" }, { 3, "DSA/SHA-1" },
	{ 4, "Reserved" }, { 5, "RSA/SHA-1" }, { 6, "DSA-NSEC3-SHA1" },
	{ 7, "RSASHA1-NSEC3-SHA1" }, { 8, "RSA/SHA-256" }, { 9, "Reserved" },
	{ 10, "RSA/SHA-512" }, { 11, "Reserved" }, { 12, "GOST R 34.10-2001" },
	{ 13, "ECDSA Curve P-256 with SHA-256" }, { 14, "ECDSA Curve P-384 with SHA-384" },
	{ 252, "Reserved for Indirect Keys" }, { 253, "Private algorithms - domain name" },
	{ 254, "Private algorithms - OID" }, { 255, "Reserved" }, { 0, NULL },
};

static const struct gn_enum dnssec_digests[] = {
	{ 0, "Reserved" }, { 1, "SHA-1" }, { 2, "SHA-256" }, { 3, "GOST R 34.11-94" },
	{ 4, "SHA-384" }, { 0, NULL },
};

static const struct gn_enum nsec3_flags[] = { { 1, "Opt-Out" }, { 0, NULL } };

static const struct gn_enum edns0_types[] = {
	{ 0, "Reserved" }, { 1, "LLQ" }, { 2, "UL" }, { 3, "NSID" }, { 4, "Reserved" },
	{ 5, "PING" }, { 8, "edns-client-subnet" }, { 0, NULL },
};

/* ---- integers shown as times -------------------------------------------- */

GN_INHERIT_DISSECT(time_dissect, gn_kind_uint)
GN_INHERIT_BUILD(time_build, gn_kind_uint)
GN_INHERIT_ASSIGN(time_assign, gn_kind_uint)

/* UTCTimeField: "Tue, 14 Nov 2023 22:13:20 +0000 (1700000000)";
 * TimeSignedField (48 bits): "Tue Nov 14 22:13:20 2023" */
static void time_format(const struct gn_layer *l, const struct gn_field *f,
			const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	char text[64];
	struct tm tm;
	time_t t;

	if (r != GN_REPR_HUMAN || v->type != GN_V_INT) {
		gn_kind_uint.format(l, f, v, sb, r);
		return;
	}
	t = (time_t)v->u;
	if (!gmtime_r(&t, &tm) ||
	    !strftime(text, sizeof(text), f->bits == 48 ? "%a %b %d %H:%M:%S %Y" :
			    "%a, %d %b %Y %H:%M:%S +0000", &tm)) {
		gn_kind_uint.format(l, f, v, sb, r);
		return;
	}
	gn_sb_puts(sb, text);
	if (f->bits != 48)
		gn_sb_printf(sb, " (%" PRIu64 ")", v->u);
}

static const struct gn_field_ops kind_utctime = {
	.kind = "UTCTimeField",
	.dissect = time_dissect, .build = time_build, .assign = time_assign,
	.format = time_format, .is_scalar = true,
};

static const struct gn_field_ops kind_timesigned = {
	.kind = "TimeSignedField",
	.dissect = time_dissect, .build = time_build, .assign = time_assign,
	.format = time_format, .is_scalar = true,
};

/* ---- type bitmaps (Scapy's RRlistField) ---------------------------------
 * The value is the wire bitmap (RFC 4034 4.1.2); a list of types given in
 * an expression is turned into it the way Scapy's RRlist2bitmap does, and
 * show() lists the types it holds. */

static int bitmap_from_types(struct gn_arena *a, const uint16_t *types, size_t n,
			     struct gn_value *out)
{
	uint8_t *b = gn_arena_alloc(a, 256 * 34 + 1);
	size_t len = 0;

	if (!b)
		return -ENOMEM;
	for (unsigned wb = 0; wb < 256; wb++) {
		uint8_t bits[32] = { 0 };
		int top = -1;

		for (size_t i = 0; i < n; i++) {
			if (types[i] >> 8 != wb)
				continue;
			bits[(types[i] & 0xff) / 8] |= (uint8_t)(0x80 >> (types[i] & 7));
			if ((int)(types[i] & 0xff) > top)
				top = types[i] & 0xff;
		}
		if (top < 0)
			continue;
		b[len++] = (uint8_t)wb;
		b[len++] = (uint8_t)(top / 8 + 1);
		memcpy(b + len, bits, (size_t)(top / 8 + 1));
		len += (size_t)(top / 8 + 1);
	}
	memset(out, 0, sizeof(*out));
	out->type = GN_V_BYTES;
	out->len = (uint32_t)len;
	out->bytes = b;
	return 0;
}

static int bitmap_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			 struct gn_value *out, struct gn_error *err)
{
	uint16_t types[512];
	size_t n = 0;

	if (ast->type != GN_AST_LIST && ast->type != GN_AST_TUPLE)
		return gn_kind_rest.assign(a, f, ast, out, err);
	for (unsigned i = 0; i < ast->n; i++) {
		const struct gn_ast *it = ast->items[i];
		uint64_t v = 0;

		if (it->type == GN_AST_STR || it->type == GN_AST_NAME) {
			if (gn_enum_value(gn_dns_types, it->str, it->len, &v))
				return gn_error_set(err, -EINVAL, it->column,
						    "unknown DNS type '%s' in field '%s'", it->str,
						    f->name);
		} else if (it->type != GN_AST_NUM || it->neg || it->num > 65535) {
			return gn_error_set(err, -EINVAL, it->column,
					    "field '%s' takes DNS types 0..65535", f->name);
		} else {
			v = it->num;
		}
		if (n == sizeof(types) / sizeof(types[0]))
			return gn_error_set(err, -E2BIG, it->column, "too many types");
		types[n++] = (uint16_t)v;
	}
	return bitmap_from_types(a, types, n, out);
}

/* Scapy's bitmap2RRlist: false when the bitmap is malformed. */
static bool bitmap_types(const uint8_t *p, size_t n, struct gn_strbuf *sb, bool human)
{
	bool first = true;

	while (n) {
		unsigned wb, blen;

		if (n < 2)
			return false;
		wb = p[0];
		blen = p[1];
		if (blen == 0 || blen > 32)
			return false;
		if (blen > n - 2)
			blen = (unsigned)(n - 2);
		for (unsigned i = 0; i < blen * 8; i++) {
			unsigned type = wb * 256 + i;
			const char *name;

			if (!(p[2 + i / 8] & (0x80 >> (i & 7))))
				continue;
			if (!first)
				gn_sb_puts(sb, ", ");
			first = false;
			name = gn_enum_name(gn_dns_types, type);
			if (human && name)
				gn_sb_printf(sb, "'%s'", name);
			else
				gn_sb_printf(sb, "%u", type);
		}
		p += 2 + blen;
		n -= 2 + blen;
	}
	return !first;
}

static void bitmap_format(const struct gn_layer *l, const struct gn_field *f,
			  const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	size_t mark = sb->len;

	if (r != GN_REPR_HUMAN || v->type != GN_V_BYTES) {
		gn_kind_rest.format(l, f, v, sb, r);
		return;
	}
	gn_sb_putc(sb, '[');
	if (bitmap_types(v->bytes, v->len, sb, true)) {
		gn_sb_putc(sb, ']');
		return;
	}
	/* not a list of types: Scapy shows the bytes */
	if (mark < sb->len) {
		sb->len = mark;
		if (sb->s)
			sb->s[mark] = 0;
	}
	gn_sb_pybytes(sb, v->bytes, v->len);
}

GN_INHERIT_DISSECT(bitmap_dissect, gn_kind_rest)
GN_INHERIT_BUILD(bitmap_build, gn_kind_rest)
GN_INHERIT_WIRE_LEN(bitmap_wire_len, gn_kind_rest)

static const struct gn_field_ops kind_rrlist = {
	.kind = "RRlistField",
	.dissect = bitmap_dissect, .build = bitmap_build, .assign = bitmap_assign,
	.format = bitmap_format, .wire_len = bitmap_wire_len,
};

/* ---- record classes ------------------------------------------------------ */

#define RR_HEAD(type_dflt) \
	GN_FIELD_("rrname", gn_kind_dnsname, 0, .dflt_str = ""), \
	GN_ENUM("type", 16, type_dflt, gn_dns_types), \
	GN_ENUM("rclass", 16, 1, gn_dns_classes), \
	GN_INT("ttl", 0), \
	GN_AUTO("rdlen", 16)

#define RR_CLASS(sym, nm, longnm, tbl) \
	const struct gn_proto sym = { \
		.name = nm, .long_name = longnm, \
		.fields = tbl, .nfields = sizeof(tbl) / sizeof(tbl[0]), \
		.post_build = gn_dns_rr_post_build, \
		.post_dissect = gn_dns_rr_post_dissect, \
	}

static const struct gn_field rrsig_fields[] = {
	RR_HEAD(46),
	GN_ENUM("typecovered", 16, 1, gn_dns_types),
	GN_ENUM("algorithm", 8, 5, dnssec_algos),
	GN_BYTE("labels", 0),
	GN_INT("originalttl", 0),
	GN_FIELD_("expiration", kind_utctime, 32),
	GN_FIELD_("inception", kind_utctime, 32),
	GN_SHORT("keytag", 0),
	GN_FIELD_("signersname", gn_kind_dnsname, 0, .dflt_str = ""),
	GN_REST("signature", ""),
};

static const struct gn_field nsec_fields[] = {
	RR_HEAD(47),
	GN_FIELD_("nextname", gn_kind_dnsname, 0, .dflt_str = ""),
	GN_FIELD_("typebitmaps", kind_rrlist, 0, .dflt_str = ""),
};

static const struct gn_field dnskey_fields[] = {
	RR_HEAD(48),
	GN_FLAGS("flags", 16, 256, "S???????Z???????"),
	GN_BYTE("protocol", 3),
	GN_ENUM("algorithm", 8, 5, dnssec_algos),
	GN_REST("publickey", ""),
};

static const struct gn_field ds_fields[] = {
	RR_HEAD(43),
	GN_SHORT("keytag", 0),
	GN_ENUM("algorithm", 8, 5, dnssec_algos),
	GN_ENUM("digesttype", 8, 5, dnssec_digests),
	GN_REST("digest", ""),
};

static const struct gn_field dlv_fields[] = {
	RR_HEAD(32769),
	GN_SHORT("keytag", 0),
	GN_ENUM("algorithm", 8, 5, dnssec_algos),
	GN_ENUM("digesttype", 8, 5, dnssec_digests),
	GN_REST("digest", ""),
};

/* Scapy's FieldLenFields here default to 0, not to "computed": a length
 * is only measured when set to None */
#define LEN8_OF(nm, of) GN_FIELD_L_(nm, gn_kind_lenfield, 8, of, .dflt = 0)
#define LEN16_OF(nm, of, d) GN_FIELD_L_(nm, gn_kind_lenfield, 16, of, .dflt = (d))

enum { N3_HASHALG = 5, N3_FLAGS, N3_ITER, N3_SALTLEN, N3_SALT, N3_HASHLEN, N3_NEXT, N3_BITMAP };

static const struct gn_field nsec3_fields[] = {
	RR_HEAD(50),
	GN_BYTE("hashalg", 0),
	GN_ENUM("flags", 8, 0, nsec3_flags),
	GN_SHORT("iterations", 0),
	LEN8_OF("saltlength", N3_SALT),
	GN_LENBYTES("salt", N3_SALTLEN, ""),
	LEN8_OF("hashlength", N3_NEXT),
	GN_LENBYTES("nexthashedownername", N3_HASHLEN, ""),
	GN_FIELD_("typebitmaps", kind_rrlist, 0, .dflt_str = ""),
};

static const struct gn_field nsec3param_fields[] = {
	RR_HEAD(51),
	GN_BYTE("hashalg", 0),
	GN_BYTE("flags", 0),
	GN_SHORT("iterations", 0),
	LEN8_OF("saltlength", N3_SALT),
	GN_LENBYTES("salt", N3_SALTLEN, ""),
};

enum { TS_ALGO = 5, TS_TIME, TS_FUDGE, TS_MACLEN, TS_MAC, TS_ORIGID, TS_ERROR, TS_OTHERLEN, TS_OTHER };

static const struct gn_field tsig_fields[] = {
	RR_HEAD(250),
	GN_FIELD_("algo_name", gn_kind_dnsname, 0, .dflt_str = "hmac-sha1"),
	GN_FIELD_("time_signed", kind_timesigned, 48),
	GN_SHORT("fudge", 0),
	LEN16_OF("mac_len", TS_MAC, 20),
	GN_LENBYTES("mac_data", TS_MACLEN, ""),
	GN_SHORT("original_id", 0),
	GN_SHORT("error", 0),
	LEN16_OF("other_len", TS_OTHER, 0),
	GN_LENBYTES("other_data", TS_OTHERLEN, ""),
};

RR_CLASS(gn_proto_dnsrrrsig, "DNSRRRSIG", "DNS RRSIG Resource Record", rrsig_fields);
RR_CLASS(gn_proto_dnsrrnsec, "DNSRRNSEC", "DNS NSEC Resource Record", nsec_fields);
RR_CLASS(gn_proto_dnsrrdnskey, "DNSRRDNSKEY", "DNS DNSKEY Resource Record", dnskey_fields);
RR_CLASS(gn_proto_dnsrrds, "DNSRRDS", "DNS DS Resource Record", ds_fields);
RR_CLASS(gn_proto_dnsrrdlv, "DNSRRDLV", "DNS DLV Resource Record", dlv_fields);
RR_CLASS(gn_proto_dnsrrnsec3, "DNSRRNSEC3", "DNS NSEC3 Resource Record", nsec3_fields);
RR_CLASS(gn_proto_dnsrrnsec3param, "DNSRRNSEC3PARAM", "DNS NSEC3PARAM Resource Record",
	 nsec3param_fields);
RR_CLASS(gn_proto_dnsrrtsig, "DNSRRTSIG", "DNS TSIG Resource Record", tsig_fields);

const struct gn_proto *gn_dnssec_class(unsigned type)
{
	switch (type) {
	case 43: return &gn_proto_dnsrrds;
	case 46: return &gn_proto_dnsrrrsig;
	case 47: return &gn_proto_dnsrrnsec;
	case 48: return &gn_proto_dnsrrdnskey;
	case 50: return &gn_proto_dnsrrnsec3;
	case 51: return &gn_proto_dnsrrnsec3param;
	case 250: return &gn_proto_dnsrrtsig;
	case 32769: return &gn_proto_dnsrrdlv;
	default: return NULL;
	}
}

/* ---- EDNS0 client subnet (RFC 7871) --------------------------------------
 * The address is the significant bytes of the prefix (trailing zero bytes
 * dropped when building, as Scapy does); source_plen and optlen follow it
 * unless given.  It is read as ceil(source_plen / 8) bytes as the RFC says
 * (Scapy 2.5 reads floor(source_plen / 8) and fails on /20 or /100). */

enum { CS_CODE, CS_OPTLEN, CS_FAMILY, CS_SRCPLEN, CS_SCOPE, CS_ADDR };

static int subnet_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			  struct gn_value *out)
{
	unsigned alen = gn_field_uint(l, CS_FAMILY) == 2 ? 16 : 4;
	size_t n = ((size_t)gn_field_uint(l, CS_SRCPLEN) + 7) / 8;
	const uint8_t *p;
	int err;

	(void)f;
	if (n > alen)
		n = alen;
	err = gn_rd_bytes(c, n, &p);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_ADDR;
	out->alen = (uint8_t)alen;
	memcpy(out->addr, p, n);
	return 0;
}

/* Scapy's _pack_subnet: the address without its trailing zero bytes. */
static size_t subnet_len(const struct gn_value *v)
{
	size_t n = v->type == GN_V_ADDR ? v->alen : 0;

	while (n && v->addr[n - 1] == 0)
		n--;
	return n;
}

static int subnet_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
			const struct gn_value *v)
{
	(void)l;
	(void)f;
	if (v->type == GN_V_ADDR)
		gn_wbuf_put(&c->w, v->addr, subnet_len(v));
	return c->w.err;
}

static int subnet_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			 struct gn_value *out, struct gn_error *err)
{
	struct gn_field as = *f;
	bool v6;

	memset(out, 0, sizeof(*out));
	if (ast->type != GN_AST_STR)
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' takes an address such as \"192.168.0.0\"", f->name);
	/* the family field says how it is read; either is written */
	v6 = memchr(ast->str, ':', ast->len) != NULL;
	as.bits = v6 ? 128 : 32;
	return (v6 ? gn_kind_ipv6 : gn_kind_ipv4).assign(a, &as, ast, out, err);
}

static void subnet_format(const struct gn_layer *l, const struct gn_field *f,
			  const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	if (v->type != GN_V_ADDR) {
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
		return;
	}
	if (r != GN_REPR_HUMAN)
		gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
	gn_addr_text(v, sb);
	if (r != GN_REPR_HUMAN)
		gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
}

static size_t subnet_wire_len(const struct gn_layer *l, const struct gn_field *f,
			      const struct gn_value *v)
{
	(void)l;
	(void)f;
	return subnet_len(v);
}

static const struct gn_field_ops kind_subnet = {
	.kind = "MultipleTypeField (ClientSubnetv4, ClientSubnetv6)",
	.dissect = subnet_dissect, .build = subnet_build, .assign = subnet_assign,
	.format = subnet_format, .wire_len = subnet_wire_len, .is_scalar = true,
};

static const struct gn_field client_subnet_fields[] = {
	[CS_CODE] = GN_ENUM("optcode", 16, 8, edns0_types),
	[CS_OPTLEN] = GN_AUTO("optlen", 16),
	[CS_FAMILY] = GN_SHORT("family", 1),
	[CS_SRCPLEN] = GN_AUTO("source_plen", 8),
	[CS_SCOPE] = GN_BYTE("scope_plen", 0),
	[CS_ADDR] = GN_FIELD_("address", kind_subnet, 0, .dflt_str = "192.168.0.0"),
};

static int client_subnet_post_build(struct gn_build_ctx *c, const struct gn_layer *l,
				    uint8_t *hdr, size_t hdr_len, size_t total_len)
{
	size_t n;

	(void)c;
	(void)total_len;
	if (hdr_len < 8)
		return 0;
	n = hdr_len - 8;
	if (gn_layer_get(l, CS_OPTLEN)->type == GN_V_NONE) {
		hdr[2] = (uint8_t)((n + 4) >> 8);
		hdr[3] = (uint8_t)(n + 4);
	}
	if (gn_layer_get(l, CS_SRCPLEN)->type == GN_V_NONE)
		hdr[6] = (uint8_t)(n * 8);
	return 0;
}

/* An option is only its own bytes.  (Scapy 2.5's EDNS0ClientSubnet lacks
 * this, so there the options after it become its Raw payload.) */
static size_t client_subnet_payload_len(const struct gn_layer *l, size_t avail)
{
	(void)l;
	(void)avail;
	return 0;
}

const struct gn_proto gn_proto_edns0_client_subnet = {
	.name = "EDNS0ClientSubnet", .long_name = "DNS EDNS0 Client Subnet",
	.fields = client_subnet_fields, .nfields = CS_ADDR + 1,
	.post_build = client_subnet_post_build,
	.payload_len = client_subnet_payload_len,
};

void gn_proto_dnssec_register(void)
{
	gn_proto_register(&gn_proto_edns0_client_subnet);
	gn_proto_register(&gn_proto_dnsrrrsig);
	gn_proto_register(&gn_proto_dnsrrnsec);
	gn_proto_register(&gn_proto_dnsrrdnskey);
	gn_proto_register(&gn_proto_dnsrrds);
	gn_proto_register(&gn_proto_dnsrrdlv);
	gn_proto_register(&gn_proto_dnsrrnsec3);
	gn_proto_register(&gn_proto_dnsrrnsec3param);
	gn_proto_register(&gn_proto_dnsrrtsig);
}
