// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * TCP, its options as Scapy's list of tuples (TCPOptionsField), and
 * TCPerror, the TCP header quoted inside an ICMP error.
 */
#include <errno.h>
#include <string.h>

#include "protos.h"
#include "output_int.h"

/* ---- TCP-AO value (Scapy's TCPAOValue) -------------------------------------- */

static const struct gn_field tcpao_fields[] = {
	GN_AUTO("keyid", 8),
	GN_AUTO("rnextkeyid", 8),
	GN_REST("mac", ""),
};

const struct gn_proto gn_proto_tcpaovalue = {
	.name = "TCPAOValue", .long_name = "TCPAOValue",
	.fields = tcpao_fields, .nfields = 3,
};

/* ---- options ------------------------------------------------------------------
 * Scapy's TCPOptions table: name and struct format of each known kind.
 */

enum opt_fmt {
	FMT_RAW,   /* None: the value is the bytes */
	FMT_B,     /* !B */
	FMT_H,     /* !H */
	FMT_II,    /* !II */
	FMT_BH,    /* !BH */
	FMT_SACK,  /* ! plus one I per 4 bytes */
	FMT_16S,   /* 16s */
	FMT_P,     /* !p: a one-byte Pascal string */
	FMT_AO,    /* TCPAOValue */
};

struct tcp_opt {
	uint8_t kind;
	const char *name;
	enum opt_fmt fmt;
};

static const struct tcp_opt tcp_opts[] = {
	{ 0, "EOL", FMT_RAW },     { 1, "NOP", FMT_RAW },         { 2, "MSS", FMT_H },
	{ 3, "WScale", FMT_B },    { 4, "SAckOK", FMT_RAW },      { 5, "SAck", FMT_SACK },
	{ 8, "Timestamp", FMT_II }, { 14, "AltChkSum", FMT_BH }, { 15, "AltChkSumOpt", FMT_RAW },
	{ 19, "MD5", FMT_16S },    { 25, "Mood", FMT_P },         { 28, "UTO", FMT_H },
	{ 29, "AO", FMT_AO },      { 34, "TFO", FMT_II },
};

#define NOPTS (sizeof(tcp_opts) / sizeof(tcp_opts[0]))

static const struct tcp_opt *opt_by_kind(unsigned kind)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (tcp_opts[i].kind == kind)
			return &tcp_opts[i];
	return NULL;
}

static const struct tcp_opt *opt_by_name(const char *s, size_t n)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (strlen(tcp_opts[i].name) == n && !memcmp(tcp_opts[i].name, s, n))
			return &tcp_opts[i];
	return NULL;
}

/* Fixed byte size of a format, or -1 when any size goes. */
static long fmt_size(enum opt_fmt f)
{
	switch (f) {
	case FMT_B: case FMT_P: return 1;
	case FMT_H: return 2;
	case FMT_BH: return 3;
	case FMT_II: return 8;
	case FMT_16S: return 16;
	default: return -1;
	}
}

static uint64_t be(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | *p++;
	return v;
}

/* A tuple of n big-endian integers of the given widths. */
static int v_ints(struct gn_arena *a, struct gn_value *v, const uint8_t *p,
		  const unsigned *widths, uint32_t n)
{
	memset(v, 0, sizeof(*v));
	v->type = GN_V_TUPLE;
	v->len = n;
	v->items = gn_new_items(a, n);
	if (!v->items)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		v->items[i] = gn_v_int(be(p, widths[i]));
		p += widths[i];
	}
	return 0;
}

/* Scapy's TCPOptionsField.m2i for one known option's value: unpacked when
 * the size fits the format (a single value unwrapped), bytes otherwise. */
static int opt_value(struct gn_dissect_ctx *c, const struct tcp_opt *o, const uint8_t *p,
		     size_t n, struct gn_value *out)
{
	static const unsigned w_ii[2] = { 4, 4 }, w_bh[2] = { 1, 2 }, w_sack[64] = {
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
		4, 4, 4, 4, 4, 4, 4, 4 };
	long size = fmt_size(o->fmt);

	if (o->fmt == FMT_AO) {
		struct gn_packet *sub;
		size_t used;
		int err = gn_dissect_sub(c, &gn_proto_tcpaovalue, p, n, &sub, &used);

		if (err == -ENOMEM)
			return err;
		if (!err) {
			memset(out, 0, sizeof(*out));
			out->type = GN_V_PKT;
			out->pkt = sub;
			return 0;
		}
		return gn_bytes_value(c->arena, p, n, out);
	}
	if (o->fmt == FMT_SACK && n % 4 == 0) {
		uint32_t k = (uint32_t)(n / 4);

		if (k == 1) {
			*out = gn_v_int(be(p, 4));
			return 0;
		}
		return v_ints(c->arena, out, p, w_sack, k);
	}
	if (size < 0 || (size_t)size != n)
		return gn_bytes_value(c->arena, p, n, out);
	switch (o->fmt) {
	case FMT_B:
	case FMT_H:
		*out = gn_v_int(be(p, (unsigned)n));
		return 0;
	case FMT_II:
		return v_ints(c->arena, out, p, w_ii, 2);
	case FMT_BH:
		return v_ints(c->arena, out, p, w_bh, 2);
	case FMT_P:
		/* a Pascal string with room for no characters */
		return gn_bytes_value(c->arena, p, 0, out);
	default:
		return gn_bytes_value(c->arena, p, n, out);
	}
}

static int push_opt(struct gn_arena *a, struct gn_value *list, uint32_t *cap,
		    struct gn_value **item)
{
	if (list->len == *cap) {
		uint32_t ncap = *cap ? 2 * *cap : 8;
		struct gn_value *ni = gn_new_items(a, ncap);

		if (!ni)
			return -ENOMEM;
		if (list->len)
			memcpy(ni, list->items, list->len * sizeof(*ni));
		list->items = ni;
		*cap = ncap;
	}
	*item = &list->items[list->len++];
	memset(*item, 0, sizeof(**item));
	(*item)->type = GN_V_TUPLE;
	(*item)->len = 2;
	(*item)->items = gn_new_items(a, 2);
	return (*item)->items ? 0 : -ENOMEM;
}

static int tcpopts_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			   const struct gn_field *f, struct gn_value *out)
{
	size_t off = c->off + (c->bit ? 1 : 0);
	size_t avail = off < c->len ? c->len - off : 0;
	long opsz = ((long)gn_field_uint(l, 4) - 5) * 4;
	const uint8_t *x;
	size_t n, i = 0;
	uint32_t cap = 0;
	int err;

	(void)f;
	if (opsz < 0)
		opsz = 0; /* Scapy: "bad dataofs, assuming dataofs=5" */
	n = (size_t)opsz < avail ? (size_t)opsz : avail;
	err = gn_rd_bytes(c, n, &x);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	while (i < n) {
		unsigned kind = x[i];
		size_t olen, vlen;
		const struct tcp_opt *o;
		struct gn_value *it;

		if ((err = push_opt(c->arena, out, &cap, &it)))
			return err;
		if (kind == 0 || kind == 1) {
			gn_name_value(&it->items[0], kind ? "NOP" : "EOL");
			it->items[1].type = GN_V_NONE;
			if (kind == 0)
				break; /* the rest of the options space is dropped */
			i++;
			continue;
		}
		olen = i + 1 < n ? x[i + 1] : 0;
		if (olen < 2)
			olen = 2; /* Scapy: malformed, announced length < 2 */
		vlen = i + 2 < n ? (olen - 2 < n - i - 2 ? olen - 2 : n - i - 2) : 0;
		o = opt_by_kind(kind);
		if (o) {
			gn_name_value(&it->items[0], o->name);
			err = opt_value(c, o, x + i + 2, vlen, &it->items[1]);
		} else {
			it->items[0] = gn_v_int(kind);
			err = gn_bytes_value(c->arena, x + i + 2, vlen, &it->items[1]);
		}
		if (err)
			return err;
		i += olen;
	}
	return 0;
}

/* ---- building (Scapy's TCPOptionsField.i2m) --------------------------------- */

static void put_be(struct gn_wbuf *w, uint64_t v, unsigned n)
{
	gn_wbuf_put_uint(w, v, n, false);
}

/* Packs an int or a tuple of ints as fmt; -EINVAL when they do not fit. */
static int pack(struct gn_wbuf *w, enum opt_fmt fmt, const struct gn_value *v)
{
	static const unsigned w_b[1] = { 1 }, w_h[1] = { 2 }, w_ii[2] = { 4, 4 },
			      w_bh[2] = { 1, 2 };
	const unsigned *widths;
	const struct gn_value *vals = v;
	uint32_t n = 1, want;

	if (v->type == GN_V_TUPLE) {
		vals = v->items;
		n = v->len;
	} else if (v->type != GN_V_INT) {
		return -EINVAL;
	}
	switch (fmt) {
	case FMT_B: widths = w_b; want = 1; break;
	case FMT_H: widths = w_h; want = 1; break;
	case FMT_II: widths = w_ii; want = 2; break;
	case FMT_BH: widths = w_bh; want = 2; break;
	case FMT_SACK: widths = NULL; want = n; break;
	default: return -EINVAL;
	}
	if (n != want)
		return -EINVAL;
	for (uint32_t i = 0; i < n; i++) {
		unsigned bytes = widths ? widths[i] : 4;

		if (vals[i].type != GN_V_INT ||
		    (bytes < 8 && vals[i].u >> (8 * bytes)))
			return -EINVAL;
		put_be(w, vals[i].u, bytes);
	}
	return 0;
}

static int build_one(struct gn_build_ctx *c, const struct gn_value *opt)
{
	static const uint8_t zero[16];
	const struct gn_value *name, *val;
	const struct tcp_opt *o = NULL;
	unsigned kind;
	size_t lenpos;
	int err = 0;

	if (opt->type != GN_V_TUPLE || opt->len != 2)
		return -EINVAL;
	name = &opt->items[0];
	val = &opt->items[1];
	if (name->type == GN_V_NAME || name->type == GN_V_BYTES) {
		o = opt_by_name((const char *)name->bytes, name->len);
		if (!o)
			return -EINVAL;
		kind = o->kind;
	} else if (name->type == GN_V_INT && name->u <= 255) {
		kind = (unsigned)name->u;
	} else {
		return -EINVAL;
	}
	if (kind <= 1) {
		uint8_t b = (uint8_t)kind;

		gn_wbuf_put(&c->w, &b, 1);
		return c->w.err;
	}
	gn_wbuf_put_uint(&c->w, kind, 1, false);
	lenpos = c->w.len;
	gn_wbuf_put_uint(&c->w, 0, 1, false);
	if (val->type == GN_V_BYTES) {
		if (o && o->fmt == FMT_16S) {
			/* struct's "16s" pads with NULs and cuts */
			size_t k = val->len < 16 ? val->len : 16;

			gn_wbuf_put(&c->w, val->bytes, k);
			gn_wbuf_put(&c->w, zero, 16 - k);
		} else {
			gn_wbuf_put(&c->w, val->bytes, val->len);
		}
	} else if (val->type == GN_V_PKT) {
		err = gn_build_sub(c, val->pkt);
	} else if (val->type == GN_V_NONE) {
		/* no value: an option of just kind and length */
	} else if (o) {
		err = pack(&c->w, o->fmt, val);
	} else {
		err = -EINVAL; /* an unknown kind takes bytes */
	}
	if (err || c->w.err)
		return err ? err : c->w.err;
	if (c->w.len - lenpos + 1 > 255)
		return -EMSGSIZE;
	c->w.p[lenpos] = (uint8_t)(c->w.len - lenpos + 1);
	return 0;
}

static int tcpopts_build(struct gn_build_ctx *c, const struct gn_layer *l,
			 const struct gn_field *f, const struct gn_value *v)
{
	static const uint8_t zero[3];
	size_t start;

	(void)l;
	(void)f;
	gn_wbuf_put(&c->w, NULL, 0); /* byte-align */
	start = c->w.len;
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		int err = build_one(c, &v->items[i]);

		if (err)
			return err;
	}
	gn_wbuf_put(&c->w, zero, (4 - (c->w.len - start) % 4) % 4);
	return c->w.err;
}

/* ---- from the expression language ----------------------------------------- */

static int err_at(struct gn_error *err, const struct gn_ast *a, const char *what)
{
	return gn_error_set(err, -EINVAL, a->column, "TCP options: %s", what);
}

static int int_of(const struct gn_ast *a, uint64_t max, uint64_t *out, struct gn_error *err)
{
	if (a->type != GN_AST_NUM || a->neg || a->num > max)
		return gn_error_set(err, -ERANGE, a->column,
				    "TCP options: expected an integer from 0 to %llu",
				    (unsigned long long)max);
	*out = a->num;
	return 0;
}

/* The value of a known option, checked against its format now so that
 * building cannot fail later. */
static int assign_value(struct gn_arena *ar, const struct tcp_opt *o, const struct gn_ast *a,
			struct gn_value *out, struct gn_error *err)
{
	uint32_t want = 0;
	uint64_t max = 0xffffffffu;
	const struct gn_ast *const *items = (const struct gn_ast *const *)&a;
	uint32_t n = 1;

	memset(out, 0, sizeof(*out));
	switch (a->type) {
	case GN_AST_NONE:
		return 0;
	case GN_AST_STR:
	case GN_AST_BYTES:
		return gn_bytes_value(ar, a->str, a->len, out);
	case GN_AST_LAYER:
	case GN_AST_CHAIN: {
		struct gn_ast one = { .type = GN_AST_CHAIN, .column = a->column,
				      .items = (struct gn_ast **)&a, .n = 1 };
		struct gn_packet *sub = gn_packet_new_in(ar);
		int rc;

		if (!sub)
			return -ENOMEM;
		rc = gn_parse_ast(sub, a->type == GN_AST_CHAIN ? a : &one, err);
		if (rc)
			return rc;
		out->type = GN_V_PKT;
		out->pkt = sub;
		return 0;
	}
	case GN_AST_TUPLE:
		items = (const struct gn_ast *const *)a->items;
		n = a->n;
		break;
	case GN_AST_NUM:
		break;
	default:
		return err_at(err, a, "an option value is None, an integer, a tuple or bytes");
	}
	if (!o)
		return err_at(err, a, "an option given by number takes bytes, e.g. (99, b'ab')");
	switch (o->fmt) {
	case FMT_B: want = 1; max = 0xff; break;
	case FMT_H: want = 1; max = 0xffff; break;
	case FMT_II: want = 2; break;
	case FMT_BH: want = 2; break;
	case FMT_SACK: want = n; break;
	default:
		return gn_error_set(err, -EINVAL, a->column,
				    "TCP options: '%s' takes bytes, not numbers", o->name);
	}
	if (n != want)
		return gn_error_set(err, -EINVAL, a->column,
				    "TCP options: '%s' takes %u number%s", o->name, want,
				    want == 1 ? "" : "s");
	if (a->type == GN_AST_NUM) {
		uint64_t u = 0;
		int rc = int_of(a, max, &u, err);

		if (!rc)
			*out = gn_v_int(u);
		return rc;
	}
	out->type = GN_V_TUPLE;
	out->len = n;
	out->items = gn_new_items(ar, n);
	if (!out->items)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++) {
		uint64_t m = (o->fmt == FMT_BH && i == 0) ? 0xff :
			     (o->fmt == FMT_BH ? 0xffff : max);
		uint64_t u = 0;
		int rc = int_of(items[i], m, &u, err);

		if (rc)
			return rc;
		out->items[i] = gn_v_int(u);
	}
	return 0;
}

static int assign_opt(struct gn_arena *ar, const struct gn_ast *a, struct gn_value *out,
		      struct gn_error *err)
{
	const struct gn_ast *nm, *val;
	const struct tcp_opt *o = NULL;
	struct gn_value *it;
	int rc;

	if (a->type != GN_AST_TUPLE || a->n != 2)
		return err_at(err, a, "each option is a pair such as ('MSS', 1460) or ('NOP', None)");
	nm = a->items[0];
	val = a->items[1];
	memset(out, 0, sizeof(*out));
	out->type = GN_V_TUPLE;
	out->len = 2;
	out->items = it = gn_new_items(ar, 2);
	if (!it)
		return -ENOMEM;
	if (nm->type == GN_AST_STR || nm->type == GN_AST_NAME) {
		o = opt_by_name(nm->str, nm->len);
		if (!o)
			return gn_error_set(err, -EINVAL, nm->column,
					    "TCP options: unknown option '%s' (known: EOL, NOP, MSS, WScale, SAckOK, SAck, Timestamp, AltChkSum, AltChkSumOpt, MD5, Mood, UTO, AO, TFO)",
					    nm->str);
		gn_name_value(&it[0], o->name);
	} else if (nm->type == GN_AST_NUM && !nm->neg && nm->num <= 255) {
		it[0] = gn_v_int(nm->num);
		/* (0, ...) and (1, ...) are EOL and NOP whatever the value */
		if (nm->num <= 1)
			return 0;
	} else {
		return err_at(err, nm, "an option is named ('MSS') or numbered (0 to 255)");
	}
	if (o && o->kind <= 1)
		return 0;
	rc = assign_value(ar, o, val, &it[1], err);
	if (!rc && !o && it[1].type != GN_V_BYTES && it[1].type != GN_V_NONE)
		return err_at(err, val, "an option given by number takes bytes, e.g. (99, b'ab')");
	return rc;
}

static int tcpopts_assign(struct gn_arena *ar, const struct gn_field *f, const struct gn_ast *a,
			  struct gn_value *out, struct gn_error *err)
{
	(void)f;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	if (a->type == GN_AST_NONE)
		return 0;
	if (a->type == GN_AST_BYTES || a->type == GN_AST_STR) {
		if (a->len == 0) {
			/* Scapy's default is b"": no options, shown as '' until
			 * the packet is dissected, when it becomes [] */
			out->type = GN_V_BYTES;
			out->bytes = gn_arena_alloc(ar, 1);
			return out->bytes ? 0 : -ENOMEM;
		}
		return err_at(err, a, "give a list of options such as [('MSS', 1460)]");
	}
	if (a->type != GN_AST_LIST)
		return err_at(err, a, "give a list of options such as [('MSS', 1460)]");
	out->len = a->n;
	out->items = gn_new_items(ar, a->n);
	if (!out->items)
		return -ENOMEM;
	for (unsigned i = 0; i < a->n; i++) {
		int rc = assign_opt(ar, a->items[i], &out->items[i], err);

		if (rc)
			return rc;
	}
	return 0;
}

/* ---- text: Python's repr of the list of tuples, or JSON arrays ------------- */

static void value_text(const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	bool json = r == GN_REPR_JSON;

	switch (v->type) {
	case GN_V_NONE:
		gn_sb_puts(sb, json ? "null" : "None");
		break;
	case GN_V_INT:
		gn_sb_printf(sb, "%llu", (unsigned long long)v->u);
		break;
	case GN_V_NAME:
		if (json)
			gn_sb_json_str(sb, (const char *)v->bytes, v->len);
		else
			gn_sb_printf(sb, "'%.*s'", (int)v->len, (const char *)v->bytes);
		break;
	case GN_V_BYTES:
		if (json) {
			gn_sb_putc(sb, '"');
			gn_sb_hex(sb, v->bytes, v->len);
			gn_sb_putc(sb, '"');
		} else {
			gn_sb_pybytes(sb, v->bytes, v->len);
		}
		break;
	case GN_V_TUPLE:
		gn_sb_putc(sb, json ? '[' : '(');
		for (uint32_t i = 0; i < v->len; i++) {
			if (i)
				gn_sb_puts(sb, json ? "," : ", ");
			value_text(&v->items[i], sb, r);
		}
		if (!json && v->len == 1)
			gn_sb_putc(sb, ','); /* Python's one-element tuple */
		gn_sb_putc(sb, json ? ']' : ')');
		break;
	case GN_V_PKT:
		if (json) {
			if (v->pkt->n)
				gn_json_layer(&v->pkt->layers[0], sb);
			else
				gn_sb_puts(sb, "null");
		} else if (r == GN_REPR_EXPR) {
			gn_command(v->pkt, sb);
		} else {
			gn_out_pkt_repr(v->pkt, 0, sb);
		}
		break;
	default:
		gn_sb_puts(sb, json ? "null" : "None");
		break;
	}
}

static void tcpopts_format(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	if (v->type == GN_V_BYTES) {
		gn_sb_puts(sb, r == GN_REPR_JSON ? "[]" : r == GN_REPR_EXPR ? "b''" : "''");
		return;
	}
	if (v->type != GN_V_LIST) {
		value_text(v, sb, r);
		return;
	}
	gn_sb_putc(sb, '[');
	for (uint32_t i = 0; i < v->len; i++) {
		if (i)
			gn_sb_puts(sb, r == GN_REPR_JSON ? "," : ", ");
		value_text(&v->items[i], sb, r);
	}
	gn_sb_putc(sb, ']');
}

static const struct gn_field_ops kind_tcp_options = {
	.kind = "TCPOptionsField",
	.dissect = tcpopts_dissect,
	.build = tcpopts_build,
	.assign = tcpopts_assign,
	.format = tcpopts_format,
	.is_list = true,
};

/* ---- TCP ------------------------------------------------------------------------ */

enum { F_SPORT, F_DPORT, F_SEQ, F_ACK, F_DATAOFS, F_RESERVED, F_FLAGS, F_WINDOW, F_CHKSUM,
       F_URGPTR, F_OPTIONS };

static const struct gn_field tcp_fields[] = {
	GN_ENUM_DYN("sport", 16, 20, &gn_tcp_services),
	GN_ENUM_DYN("dport", 16, 80, &gn_tcp_services),
	GN_INT("seq", 0),
	GN_INT("ack", 0),
	GN_AUTO("dataofs", 4),
	GN_BITS("reserved", 3, 0),
	GN_FLAGS("flags", 9, 0x2, "FSRPAUECN"),
	GN_SHORT("window", 8192),
	GN_XAUTO("chksum", 16),
	GN_SHORT("urgptr", 0),
	{ .name = "options", .ops = &kind_tcp_options, .link = -1, .dflt_str = "" },
};

static int tcp_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			  size_t hdr_len, size_t total_len)
{
	(void)c;
	if (hdr_len < 20)
		return 0;
	if (gn_layer_get(l, F_DATAOFS)->type == GN_V_NONE) {
		unsigned dataofs = (unsigned)(hdr_len + 3) / 4;

		/* Scapy keeps the low nibble and lets an oversized value wrap */
		hdr[12] = (uint8_t)(((dataofs << 4) | (hdr[12] & 0x0f)) & 0xff);
	}
	if (gn_layer_get(l, F_CHKSUM)->type == GN_V_NONE) {
		uint16_t ck;

		hdr[16] = hdr[17] = 0;
		ck = gn_l4_csum(l, hdr, total_len, 6);
		hdr[16] = (uint8_t)(ck >> 8);
		hdr[17] = (uint8_t)ck;
	}
	return 0;
}

/* "TCP %IP.src%:%TCP.sport% > %IP.dst%:%TCP.dport% %TCP.flags%" (IPv6 alike) */
static bool tcp_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	gn_l4_summary(l, "TCP", F_SPORT, F_DPORT, sb);
	gn_sb_putc(sb, ' ');
	gn_format_field(l, F_FLAGS, sb, GN_REPR_HUMAN);
	return true;
}

/* ---- matching replies to probes (Scapy's hashret and answers) ------------- */

static bool is_tcp(const struct gn_layer *l)
{
	return l && (l->proto == &gn_proto_tcp || l->proto == &gn_proto_tcperror);
}

static uint32_t tcp_hashret(const struct gn_layer *l)
{
	uint16_t ports = (uint16_t)(gn_field_uint(l, F_SPORT) ^ gn_field_uint(l, F_DPORT));

	return gn_hash_bytes(gn_hash_bytes(0, &ports, 2),
			     &(uint32_t){ gn_layer_hashret(gn_layer_above(l)) }, 4);
}

/* Bytes the layers above l take on the wire (Scapy's len(payload)). */
static long payload_bytes(const struct gn_layer *l)
{
	struct gn_packet sub = { .arena = l->pkt->arena };
	struct gn_arena *a;
	uint8_t *out;
	size_t len = 0;
	int err;

	if (l->index + 1 >= l->pkt->n)
		return 0;
	sub.layers = &l->pkt->layers[l->index + 1];
	sub.n = sub.cap = l->pkt->n - l->index - 1;
	a = gn_arena_new(2048);
	if (!a)
		return -ENOMEM;
	err = gn_build(&sub, a, &out, &len);
	gn_arena_free(a);
	return err ? err : (long)len;
}

static long long diff(uint64_t a, uint64_t b)
{
	return a > b ? (long long)(a - b) : (long long)(b - a);
}

static bool tcp_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	uint64_t rf, pf;
	long plen;

	if (!is_tcp(p))
		return false;
	rf = gn_field_uint(r, F_FLAGS);
	pf = gn_field_uint(p, F_FLAGS);
	if (pf & 0x04) /* RST packets get no answers */
		return false;
	/* a SYN answers only with ACK, and only a SYN */
	if ((rf & 0x02) && (!(rf & 0x10) || !(pf & 0x02)))
		return false;
	if (gn_field_uint(r, F_SPORT) != gn_field_uint(p, F_DPORT) ||
	    gn_field_uint(r, F_DPORT) != gn_field_uint(p, F_SPORT))
		return false;
	/* the ack is not checked against a SYN without ACK */
	if (!((pf & 0x02) && !(pf & 0x10)) &&
	    diff(gn_field_uint(p, F_ACK), gn_field_uint(r, F_SEQ)) > 2)
		return false;
	if ((rf & 0x04) && !(rf & 0x10))
		return true;
	plen = payload_bytes(p);
	if (plen < 0)
		return false;
	return diff(gn_field_uint(p, F_SEQ), gn_field_uint(r, F_ACK)) <= 2 + plen;
}

/* The quoted TCP header carries the probe's own ports. */
static bool tcperror_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	return is_tcp(p) && gn_field_uint(r, F_SPORT) == gn_field_uint(p, F_SPORT) &&
	       gn_field_uint(r, F_DPORT) == gn_field_uint(p, F_DPORT);
}

/* TCPerror is the same header quoted in an ICMP error: no summary, its own
 * answers. */
#define TCP_CLASS(nm, longnm)                                                 \
	.name = nm, .long_name = longnm,                                      \
	.fields = tcp_fields, .nfields = F_OPTIONS + 1,                       \
	.post_build = tcp_post_build, .hashret = tcp_hashret

const struct gn_proto gn_proto_tcp = {
	TCP_CLASS("TCP", "TCP"),
	.summary = tcp_summary,
	.answers = tcp_answers,
};

const struct gn_proto gn_proto_tcperror = {
	TCP_CLASS("TCPerror", "TCP in ICMP"),
	.answers = tcperror_answers,
};

void gn_proto_tcp_register(void)
{
	gn_proto_register(&gn_proto_tcp);
	gn_proto_register(&gn_proto_tcperror);
	gn_proto_register(&gn_proto_tcpaovalue);
	gn_bind(&gn_proto_ip, &gn_proto_tcp, "frag=0,proto=6", GN_BIND_BOTH);
	gn_bind(&gn_proto_iperror, &gn_proto_tcperror, "frag=0,proto=6", GN_BIND_BOTH);
}
