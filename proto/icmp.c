// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ICMP (Scapy's ICMP) with the fields each type carries, and ICMPerror, the
 * ICMP header quoted inside an ICMP error.  The payload of an error message
 * is the offending datagram: IPerror, then TCPerror/UDPerror/ICMPerror.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "protos.h"

static const struct gn_enum icmp_types[] = {
	{ 0, "echo-reply" }, { 3, "dest-unreach" }, { 4, "source-quench" }, { 5, "redirect" },
	{ 8, "echo-request" }, { 9, "router-advertisement" }, { 10, "router-solicitation" },
	{ 11, "time-exceeded" }, { 12, "parameter-problem" }, { 13, "timestamp-request" },
	{ 14, "timestamp-reply" }, { 15, "information-request" },
	{ 16, "information-response" }, { 17, "address-mask-request" },
	{ 18, "address-mask-reply" }, { 30, "traceroute" }, { 31, "datagram-conversion-error" },
	{ 32, "mobile-host-redirect" }, { 33, "ipv6-where-are-you" }, { 34, "ipv6-i-am-here" },
	{ 35, "mobile-registration-request" }, { 36, "mobile-registration-reply" },
	{ 37, "domain-name-request" }, { 38, "domain-name-reply" }, { 39, "skip" },
	{ 40, "photuris" }, { 0, NULL },
};

static const struct gn_enum codes_unreach[] = {
	{ 0, "network-unreachable" }, { 1, "host-unreachable" }, { 2, "protocol-unreachable" },
	{ 3, "port-unreachable" }, { 4, "fragmentation-needed" }, { 5, "source-route-failed" },
	{ 6, "network-unknown" }, { 7, "host-unknown" }, { 9, "network-prohibited" },
	{ 10, "host-prohibited" }, { 11, "TOS-network-unreachable" },
	{ 12, "TOS-host-unreachable" }, { 13, "communication-prohibited" },
	{ 14, "host-precedence-violation" }, { 15, "precedence-cutoff" }, { 0, NULL },
};

static const struct gn_enum codes_redirect[] = {
	{ 0, "network-redirect" }, { 1, "host-redirect" }, { 2, "TOS-network-redirect" },
	{ 3, "TOS-host-redirect" }, { 0, NULL },
};

static const struct gn_enum codes_time_exceeded[] = {
	{ 0, "ttl-zero-during-transit" }, { 1, "ttl-zero-during-reassembly" }, { 0, NULL },
};

static const struct gn_enum codes_param_problem[] = {
	{ 0, "ip-header-bad" }, { 1, "required-option-missing" }, { 0, NULL },
};

static const struct gn_enum codes_photuris[] = {
	{ 0, "bad-spi" }, { 1, "authentication-failed" }, { 2, "decompression-failed" },
	{ 3, "decryption-failed" }, { 4, "need-authentification" }, { 5, "need-authorization" },
	{ 0, NULL },
};

static const struct {
	uint8_t type;
	const struct gn_enum *codes;
} icmp_codes[] = {
	{ 3, codes_unreach }, { 5, codes_redirect }, { 11, codes_time_exceeded },
	{ 12, codes_param_problem }, { 40, codes_photuris },
};

#define NCODES (sizeof(icmp_codes) / sizeof(icmp_codes[0]))

enum { F_TYPE, F_CODE, F_CHKSUM, F_ID, F_SEQ, F_TS_ORI, F_TS_RX, F_TS_TX, F_GW, F_PTR,
       F_RESERVED, F_LENGTH, F_ADDR_MASK, F_NEXTHOPMTU, F_UNUSED };

static unsigned icmp_type(const struct gn_layer *l)
{
	return (unsigned)gn_field_uint(l, F_TYPE);
}

static const struct gn_enum *codes_for(unsigned type)
{
	for (size_t i = 0; i < NCODES; i++)
		if (icmp_codes[i].type == type)
			return icmp_codes[i].codes;
	return NULL;
}

/* ---- code: Scapy's MultiEnumField, names depending on the type ------------ */

GN_INHERIT_DISSECT(code_dissect, gn_kind_uint)
GN_INHERIT_BUILD(code_build, gn_kind_uint)

/* The type is not known while a value is assigned, so a name is looked up
 * in every type's table: the names are all different. */
static int code_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
		       struct gn_value *out, struct gn_error *err)
{
	if (ast->type == GN_AST_STR || ast->type == GN_AST_NAME) {
		uint64_t v;

		for (size_t i = 0; i < NCODES; i++) {
			if (!gn_enum_value(icmp_codes[i].codes, ast->str, ast->len, &v)) {
				*out = gn_v_int(v);
				return 0;
			}
		}
		return gn_error_set(err, -EINVAL, ast->column,
				    "unknown ICMP code '%s' (codes have names for types 3, 5, 11, 12 and 40)",
				    ast->str);
	}
	return gn_kind_uint.assign(a, f, ast, out, err);
}

static void code_format(const struct gn_layer *l, const struct gn_field *f,
			const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	const char *name;

	if (r != GN_REPR_HUMAN || v->type != GN_V_INT) {
		gn_kind_uint.format(l, f, v, sb, r);
		return;
	}
	name = gn_enum_name(codes_for(icmp_type(l)), v->u);
	if (name)
		gn_sb_puts(sb, name);
	else
		gn_sb_printf(sb, "%" PRIu64, v->u);
}

static const struct gn_field_ops kind_icmp_code = {
	.kind = "MultiEnumField",
	.dissect = code_dissect,
	.build = code_build,
	.assign = code_assign,
	.format = code_format,
	.is_scalar = true,
};

/* ---- ICMPTimeStampField: milliseconds since midnight UTC --------------------- */

static uint64_t now_ms_of_day(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)(ts.tv_sec % 86400) * 1000 + (uint64_t)(ts.tv_nsec / 1000000);
}

static int ts_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
		    const struct gn_value *v)
{
	/* None: the time of day now, as Scapy's any2i(None) gives */
	struct gn_value now = gn_v_int(now_ms_of_day());

	return gn_kind_uint.build(c, l, f, v->type == GN_V_INT ? v : &now);
}

/* Up to n digits at *s; returns how many were read. */
static size_t digits(const char *s, size_t len, size_t max, unsigned *out)
{
	size_t i = 0;

	*out = 0;
	while (i < len && i < max && s[i] >= '0' && s[i] <= '9')
		*out = *out * 10 + (unsigned)(s[i++] - '0');
	return i;
}

/*
 * Scapy's re_hmsm, "([0-2]?[0-9])[Hh:](([0-5]?[0-9])([Mm:]([0-5]?[0-9])
 * ([sS:.]([0-9]{0,3}))?)?)?$": hours, then optional minutes, seconds and
 * milliseconds ("1:2:3.4" is 400 ms).  Anything else is 0, as in Scapy.
 */
static uint64_t parse_hmsm(const char *s, size_t n)
{
	unsigned h, m = 0, sec = 0, ms = 0;
	size_t i = 0, k;

	k = digits(s, n, 2, &h);
	if (!k || (k == 2 && s[0] > '2'))
		return 0;
	i = k;
	if (i >= n || !strchr("Hh:", s[i]))
		return 0;
	i++;
	if (i < n) {
		k = digits(s + i, n - i, 2, &m);
		if (!k || (k == 2 && s[i] > '5'))
			return 0;
		i += k;
		if (i < n) {
			if (!strchr("Mm:", s[i]))
				return 0;
			i++;
			if (i < n) {
				k = digits(s + i, n - i, 2, &sec);
				if (!k || (k == 2 && s[i] > '5'))
					return 0;
				i += k;
				if (i < n) {
					size_t start;

					if (!strchr("sS:.", s[i]))
						return 0;
					i++;
					start = i;
					k = digits(s + i, n - i, 3, &ms);
					i += k;
					if (i != n)
						return 0;
					/* "4" is 400 ms: pad to three digits */
					for (size_t d = i - start; d < 3; d++)
						ms *= 10;
				}
			}
		}
	}
	if (i != n)
		return 0;
	return ((uint64_t)(h * 60 + m) * 60 + sec) * 1000 + ms;
}

static int ts_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
		     struct gn_value *out, struct gn_error *err)
{
	if (ast->type == GN_AST_STR) {
		*out = gn_v_int(parse_hmsm(ast->str, ast->len) & 0xffffffffu);
		return 0;
	}
	return gn_kind_uint.assign(a, f, ast, out, err);
}

static void ts_format(const struct gn_layer *l, const struct gn_field *f,
		      const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	uint64_t ms, sec, min, hour;

	if (r != GN_REPR_HUMAN) {
		gn_kind_uint.format(l, f, v, sb, r);
		return;
	}
	if (v->type != GN_V_INT) {
		gn_sb_puts(sb, "--");
		return;
	}
	ms = v->u % 1000;
	sec = v->u / 1000;
	min = sec / 60;
	sec %= 60;
	hour = min / 60;
	min %= 60;
	gn_sb_printf(sb, "%" PRIu64 ":%" PRIu64 ":%" PRIu64 ".%" PRIu64, hour, min, sec, ms);
}

static const struct gn_field_ops kind_icmp_ts = {
	.kind = "ICMPTimeStampField",
	.dissect = code_dissect,
	.build = ts_build,
	.assign = ts_assign,
	.format = ts_format,
	.is_scalar = true,
};

/* ---- unused: Scapy's MultipleTypeField --------------------------------------
 * A short for types 11 and 12, an int for the types that carry nothing
 * else, no bytes at all for the rest (where Scapy's value is '').
 */

static unsigned unused_width(const struct gn_layer *l)
{
	switch (icmp_type(l)) {
	case 11: case 12:
		return 2;
	case 0: case 3: case 5: case 8: case 13: case 14: case 15: case 16: case 17: case 18:
		return 0;
	default:
		return 4;
	}
}

static int unused_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			  const struct gn_field *f, struct gn_value *out)
{
	unsigned w = unused_width(l);
	uint64_t v;
	int err;

	(void)f;
	if (!w) {
		memset(out, 0, sizeof(*out));
		out->type = GN_V_BYTES;
		out->bytes = gn_arena_alloc(c->arena, 1);
		return out->bytes ? 0 : -ENOMEM;
	}
	err = gn_rd_uint(c, w, false, &v);
	if (!err)
		*out = gn_v_int(v);
	return err;
}

static int unused_build(struct gn_build_ctx *c, const struct gn_layer *l,
			const struct gn_field *f, const struct gn_value *v)
{
	unsigned w = unused_width(l);

	(void)f;
	if (w)
		gn_wbuf_put_uint(&c->w, v->type == GN_V_INT ? v->u : 0, w, false);
	return c->w.err;
}

static int unused_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			 struct gn_value *out, struct gn_error *err)
{
	if (ast->type == GN_AST_STR || ast->type == GN_AST_BYTES) {
		memset(out, 0, sizeof(*out));
		out->type = GN_V_BYTES;
		out->len = (uint32_t)ast->len;
		out->bytes = gn_arena_memdup(a, ast->str, ast->len);
		return out->bytes ? 0 : -ENOMEM;
	}
	return gn_kind_uint.assign(a, f, ast, out, err);
}

static void unused_format(const struct gn_layer *l, const struct gn_field *f,
			  const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	bool none = unused_width(l) == 0;

	/* Scapy's value of a never-read MultipleTypeField is None */
	if (r == GN_REPR_JSON && none && !gn_layer_isset(l, F_UNUSED)) {
		gn_sb_puts(sb, "null");
		return;
	}
	if (v->type == GN_V_BYTES || (none && v->type == GN_V_INT && v->u == 0)) {
		/* the empty StrFixedLenField Scapy uses for these types */
		if (r == GN_REPR_JSON)
			gn_sb_puts(sb, "\"\"");
		else if (r == GN_REPR_EXPR)
			gn_sb_puts(sb, "b''");
		else
			gn_sb_puts(sb, "''");
		return;
	}
	gn_kind_uint.format(l, f, v, sb, r);
}

static const struct gn_field_ops kind_icmp_unused = {
	.kind = "MultipleTypeField",
	.dissect = unused_dissect,
	.build = unused_build,
	.assign = unused_assign,
	.format = unused_format,
	.is_scalar = true,
};

/* ---- the conditional fields ------------------------------------------------- */

static bool has_id_seq(const struct gn_layer *l)
{
	switch (icmp_type(l)) {
	case 0: case 8: case 13: case 14: case 15: case 16: case 17: case 18: case 37: case 38:
		return true;
	default:
		return false;
	}
}

static bool has_ts(const struct gn_layer *l)
{
	return icmp_type(l) == 13 || icmp_type(l) == 14;
}

static bool has_gw(const struct gn_layer *l)
{
	return icmp_type(l) == 5;
}

static bool has_ptr(const struct gn_layer *l)
{
	return icmp_type(l) == 12;
}

static bool has_reserved(const struct gn_layer *l)
{
	return icmp_type(l) == 3 || icmp_type(l) == 11;
}

static bool has_length(const struct gn_layer *l)
{
	return icmp_type(l) == 3 || icmp_type(l) == 11 || icmp_type(l) == 12;
}

static bool has_addr_mask(const struct gn_layer *l)
{
	return icmp_type(l) == 17 || icmp_type(l) == 18;
}

static bool has_nexthopmtu(const struct gn_layer *l)
{
	return icmp_type(l) == 3;
}

#define COND(fld, fn) { fld, .present = (fn) }
#define TS_FIELD(nm) \
	{ .name = (nm), .ops = &kind_icmp_ts, .bits = 32, .flags = GN_FF_AUTO, .link = -1, \
	  .present = has_ts }

static const struct gn_field icmp_fields[] = {
	GN_ENUM("type", 8, 8, icmp_types),
	{ .name = "code", .ops = &kind_icmp_code, .bits = 8, .link = -1 },
	GN_XAUTO("chksum", 16),
	{ .name = "id", .ops = &gn_kind_uint, .bits = 16, .flags = GN_FF_HEX, .link = -1,
	  .present = has_id_seq },
	{ .name = "seq", .ops = &gn_kind_uint, .bits = 16, .flags = GN_FF_HEX, .link = -1,
	  .present = has_id_seq },
	TS_FIELD("ts_ori"),
	TS_FIELD("ts_rx"),
	TS_FIELD("ts_tx"),
	{ .name = "gw", .ops = &gn_kind_ipv4, .bits = 32, .link = -1, .dflt_str = "0.0.0.0",
	  .present = has_gw },
	{ .name = "ptr", .ops = &gn_kind_uint, .bits = 8, .link = -1, .present = has_ptr },
	{ .name = "reserved", .ops = &gn_kind_uint, .bits = 8, .link = -1,
	  .present = has_reserved },
	{ .name = "length", .ops = &gn_kind_uint, .bits = 8, .link = -1, .present = has_length },
	{ .name = "addr_mask", .ops = &gn_kind_ipv4, .bits = 32, .link = -1,
	  .dflt_str = "0.0.0.0", .present = has_addr_mask },
	{ .name = "nexthopmtu", .ops = &gn_kind_uint, .bits = 16, .link = -1,
	  .present = has_nexthopmtu },
	{ .name = "unused", .ops = &kind_icmp_unused, .bits = 32, .link = -1 },
};

static int icmp_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			   size_t hdr_len, size_t total_len)
{
	(void)c;
	if (hdr_len < 4 || gn_layer_get(l, F_CHKSUM)->type != GN_V_NONE)
		return 0;
	hdr[2] = hdr[3] = 0;
	{
		uint16_t ck = gn_inet_csum(hdr, total_len);

		hdr[2] = (uint8_t)(ck >> 8);
		hdr[3] = (uint8_t)ck;
	}
	return 0;
}

/* An error message quotes the datagram that caused it. */
static const struct gn_proto *icmp_guess(const struct gn_layer *l, const uint8_t *p, size_t n)
{
	(void)p;
	(void)n;
	switch (icmp_type(l)) {
	case 3: case 4: case 5: case 11: case 12:
		return &gn_proto_iperror;
	default:
		return &gn_proto_raw;
	}
}

/* "ICMP %IP.src% > %IP.dst% %ICMP.type% %ICMP.code%" */
static bool icmp_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	const struct gn_layer *ip = gn_layer_below(l);

	gn_sb_puts(sb, "ICMP ");
	if (ip && (ip->proto == &gn_proto_ip || ip->proto == &gn_proto_iperror)) {
		gn_format_field(ip, (unsigned)gn_layer_field_index(ip, "src"), sb, GN_REPR_HUMAN);
		gn_sb_puts(sb, " > ");
		gn_format_field(ip, (unsigned)gn_layer_field_index(ip, "dst"), sb, GN_REPR_HUMAN);
		gn_sb_putc(sb, ' ');
	}
	gn_format_field(l, F_TYPE, sb, GN_REPR_HUMAN);
	gn_sb_putc(sb, ' ');
	gn_format_field(l, F_CODE, sb, GN_REPR_HUMAN);
	return true;
}

/* ---- matching replies to probes (Scapy's hashret and answers) ------------- */

static bool is_icmp(const struct gn_layer *l)
{
	return l && (l->proto == &gn_proto_icmp || l->proto == &gn_proto_icmperror);
}

static uint32_t icmp_hashret(const struct gn_layer *l)
{
	uint32_t up = gn_layer_hashret(gn_layer_above(l));
	uint16_t idseq[2];

	if (!has_id_seq(l))
		return up;
	idseq[0] = (uint16_t)gn_field_uint(l, F_ID);
	idseq[1] = (uint16_t)gn_field_uint(l, F_SEQ);
	return gn_hash_bytes(gn_hash_bytes(0, idseq, 4), &up, 4);
}

/* A reply of the matching type with the probe's id and seq. */
static bool icmp_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	static const uint8_t pairs[][2] = {
		{ 8, 0 }, { 13, 14 }, { 15, 16 }, { 17, 18 }, { 33, 34 }, { 35, 36 }, { 37, 38 },
	};
	unsigned pt, rt;

	if (!is_icmp(p))
		return false;
	pt = icmp_type(p);
	rt = icmp_type(r);
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
		if (pairs[i][0] == pt && pairs[i][1] == rt)
			return gn_field_uint(r, F_ID) == gn_field_uint(p, F_ID) &&
			       gn_field_uint(r, F_SEQ) == gn_field_uint(p, F_SEQ);
	return false;
}

/* The quoted ICMP header is the probe's own.  Scapy tests the code (not the
 * type) against the echo/timestamp/mask numbers before comparing id and
 * seq; kept as is. */
static bool icmperror_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	uint64_t code;

	if (!is_icmp(p) || icmp_type(r) != icmp_type(p) ||
	    gn_field_uint(r, F_CODE) != gn_field_uint(p, F_CODE))
		return false;
	code = gn_field_uint(r, F_CODE);
	if (code == 0 || code == 8 || code == 13 || code == 14 || code == 17 || code == 18)
		return gn_field_uint(r, F_ID) == gn_field_uint(p, F_ID) &&
		       gn_field_uint(r, F_SEQ) == gn_field_uint(p, F_SEQ);
	return true;
}

#define NF(a) (sizeof(a) / sizeof((a)[0]))

/* ICMPerror is the same header quoted in an ICMP error: no summary, its
 * own answers. */
#define ICMP_CLASS(nm, longnm)                                                \
	.name = nm, .long_name = longnm,                                      \
	.fields = icmp_fields, .nfields = NF(icmp_fields),                    \
	.post_build = icmp_post_build, .guess_payload = icmp_guess,           \
	.hashret = icmp_hashret

const struct gn_proto gn_proto_icmp = {
	ICMP_CLASS("ICMP", "ICMP"),
	.summary = icmp_summary,
	.answers = icmp_answers,
};

const struct gn_proto gn_proto_icmperror = {
	ICMP_CLASS("ICMPerror", "ICMP in ICMP"),
	.answers = icmperror_answers,
};

void gn_proto_icmp_register(void)
{
	gn_proto_register(&gn_proto_icmp);
	gn_proto_register(&gn_proto_icmperror);
	gn_bind(&gn_proto_ip, &gn_proto_icmp, "frag=0,proto=1", GN_BIND_BOTH);
	gn_bind(&gn_proto_iperror, &gn_proto_icmperror, "frag=0,proto=1", GN_BIND_BOTH);
}
