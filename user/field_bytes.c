// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Byte-string field kinds: fixed length, length given by another field,
 * the rest of the layer (Raw's load), and NUL-terminated.
 */
#include <errno.h>
#include <string.h>

#include <gannet/gannet.h>
#include "engine.h"
#include "registry.h"

static int bytes_value(struct gn_arena *a, const uint8_t *p, size_t n, struct gn_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = GN_V_BYTES;
	out->len = (uint32_t)n;
	out->bytes = gn_arena_memdup(a, p, n);
	return out->bytes ? 0 : -ENOMEM;
}

static int take(struct gn_dissect_ctx *c, size_t n, struct gn_value *out)
{
	const uint8_t *p;
	int err = gn_rd_bytes(c, n, &p);

	return err ? err : bytes_value(c->arena, p, n, out);
}

static size_t remaining(const struct gn_dissect_ctx *c)
{
	size_t off = c->off + (c->bit ? 1 : 0);

	return off < c->len ? c->len - off : 0;
}

static int fixbytes_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			    const struct gn_field *f, struct gn_value *out)
{
	(void)l;
	return take(c, f->size, out);
}

/* The length a linked length field announces, bounded by what is there: a
 * lying length yields a shorter field, never a read past the end. */
static size_t linked_len(struct gn_dissect_ctx *c, const struct gn_layer *l,
			 const struct gn_field *f)
{
	size_t avail = remaining(c);
	long want;

	if (f->length_from) {
		want = f->length_from(l, avail);
	} else if (f->link >= 0) {
		const struct gn_field *lf = &l->proto->fields[f->link];

		want = (long)gn_field_uint(l, (unsigned)f->link) - lf->adjust;
	} else {
		want = (long)avail;
	}
	if (want < 0)
		want = 0;
	return (size_t)want < avail ? (size_t)want : avail;
}

static int lenbytes_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			    const struct gn_field *f, struct gn_value *out)
{
	return take(c, linked_len(c, l, f), out);
}

static int rest_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			struct gn_value *out)
{
	(void)l;
	(void)f;
	return take(c, remaining(c), out);
}

static int strz_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			struct gn_value *out)
{
	size_t avail = remaining(c);
	const uint8_t *start = c->p + c->off + (c->bit ? 1 : 0);
	const uint8_t *nul = memchr(start, 0, avail);
	size_t n = nul ? (size_t)(nul - start) : avail;
	int err;

	(void)l;
	(void)f;
	err = take(c, n, out);
	if (!err && nul)
		c->off++; /* the terminator */
	return err;
}

static int bytes_build(struct gn_build_ctx *c, const struct gn_layer *l,
		       const struct gn_field *f, const struct gn_value *v)
{
	(void)l;
	(void)f;
	if (v->type == GN_V_BYTES)
		gn_wbuf_put(&c->w, v->bytes, v->len);
	return c->w.err;
}

static int fixbytes_build(struct gn_build_ctx *c, const struct gn_layer *l,
			  const struct gn_field *f, const struct gn_value *v)
{
	static const uint8_t zero[64];
	size_t have = v->type == GN_V_BYTES ? v->len : 0;

	(void)l;
	/* Scapy pads a short value with NULs and cuts a long one */
	gn_wbuf_put(&c->w, v->bytes, have < f->size ? have : f->size);
	for (size_t n = have; n < f->size;) {
		size_t chunk = f->size - n < sizeof(zero) ? f->size - n : sizeof(zero);

		gn_wbuf_put(&c->w, zero, chunk);
		n += chunk;
	}
	return c->w.err;
}

static int strz_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
		      const struct gn_value *v)
{
	static const uint8_t nul;

	bytes_build(c, l, f, v);
	gn_wbuf_put(&c->w, &nul, 1);
	return c->w.err;
}

static int bytes_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			struct gn_value *out, struct gn_error *err)
{
	if (ast->type == GN_AST_NONE) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (ast->type != GN_AST_STR && ast->type != GN_AST_BYTES)
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' takes a string or bytes (b\"...\")", f->name);
	return bytes_value(a, (const uint8_t *)ast->str, ast->len, out);
}

/* Length of the well-formed UTF-8 sequence at p (as Python's decoder
 * accepts it: no overlong forms, no surrogates, nothing past U+10FFFF),
 * or 0. */
static size_t utf8_seq_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > n)
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if ((p[k] & 0xc0) != 0x80)
			return 0;
	return len;
}

/* Scapy's plain_str: UTF-8 with invalid bytes as a literal backslash
 * escape, then Python's str repr. */
void gn_sb_pystr(struct gn_strbuf *sb, const uint8_t *p, size_t n)
{
	char q = '\'';

	if (n && memchr(p, '\'', n) && !memchr(p, '"', n))
		q = '"';
	gn_sb_putc(sb, q);
	for (size_t i = 0; i < n;) {
		uint8_t c = p[i];
		size_t seq = utf8_seq_len(p + i, n - i);
		bool valid = seq > 0;
		if (!valid) {
			gn_sb_printf(sb, "\\\\x%02x", c);
			i++;
		} else if (seq > 1) {
			/* C1 controls are not printable in Python's repr */
			if (seq == 2 && c == 0xc2 && p[i + 1] < 0xa0)
				gn_sb_printf(sb, "\\x%02x", p[i + 1]);
			else
				gn_sb_putn(sb, (const char *)p + i, seq);
			i += seq;
		} else {
			if (c == (uint8_t)q || c == '\\') {
				gn_sb_putc(sb, '\\');
				gn_sb_putc(sb, (char)c);
			} else if (c == '\t') {
				gn_sb_puts(sb, "\\t");
			} else if (c == '\n') {
				gn_sb_puts(sb, "\\n");
			} else if (c == '\r') {
				gn_sb_puts(sb, "\\r");
			} else if (c < 0x20 || c == 0x7f) {
				gn_sb_printf(sb, "\\x%02x", c);
			} else {
				gn_sb_putc(sb, (char)c);
			}
			i++;
		}
	}
	gn_sb_putc(sb, q);
}

static void bytes_format(const struct gn_layer *l, const struct gn_field *f,
			 const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	if (v->type != GN_V_BYTES) {
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
		return;
	}
	switch (r) {
	case GN_REPR_HUMAN:
		gn_sb_pystr(sb, v->bytes, v->len);
		break;
	case GN_REPR_EXPR:
		gn_sb_pybytes(sb, v->bytes, v->len);
		break;
	case GN_REPR_JSON:
		gn_sb_putc(sb, '"');
		gn_sb_hex(sb, v->bytes, v->len);
		gn_sb_putc(sb, '"');
		break;
	}
}

/* Scapy's StrFixedLenField shows its value without the NUL padding */
static void fixbytes_format(const struct gn_layer *l, const struct gn_field *f,
			    const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	struct gn_value trimmed;

	if (r != GN_REPR_HUMAN || v->type != GN_V_BYTES) {
		bytes_format(l, f, v, sb, r);
		return;
	}
	trimmed = *v;
	while (trimmed.len && trimmed.bytes[trimmed.len - 1] == 0)
		trimmed.len--;
	bytes_format(l, f, &trimmed, sb, r);
}

static size_t bytes_wire_len(const struct gn_layer *l, const struct gn_field *f,
			     const struct gn_value *v)
{
	(void)l;
	(void)f;
	return v->type == GN_V_BYTES ? v->len : 0;
}

static size_t fixbytes_wire_len(const struct gn_layer *l, const struct gn_field *f,
				const struct gn_value *v)
{
	(void)l;
	(void)v;
	return f->size;
}

static size_t strz_wire_len(const struct gn_layer *l, const struct gn_field *f,
			    const struct gn_value *v)
{
	return bytes_wire_len(l, f, v) + 1;
}

const struct gn_field_ops gn_kind_fixbytes = {
	.kind = "StrFixedLenField",
	.dissect = fixbytes_dissect, .build = fixbytes_build, .assign = bytes_assign,
	.format = fixbytes_format, .wire_len = fixbytes_wire_len, .is_scalar = true,
};

const struct gn_field_ops gn_kind_lenbytes = {
	.kind = "StrLenField",
	.dissect = lenbytes_dissect, .build = bytes_build, .assign = bytes_assign,
	.format = bytes_format, .wire_len = bytes_wire_len, .is_scalar = true,
};

const struct gn_field_ops gn_kind_rest = {
	.kind = "StrField",
	.dissect = rest_dissect, .build = bytes_build, .assign = bytes_assign,
	.format = bytes_format, .wire_len = bytes_wire_len, .is_scalar = true,
};

const struct gn_field_ops gn_kind_strz = {
	.kind = "StrNullField",
	.dissect = strz_dissect, .build = strz_build, .assign = bytes_assign,
	.format = bytes_format, .wire_len = strz_wire_len, .is_scalar = true,
};

bool gn_kind_holds_bytes(const struct gn_field_ops *ops)
{
	return ops == &gn_kind_fixbytes || ops == &gn_kind_lenbytes || ops == &gn_kind_rest ||
	       ops == &gn_kind_strz || ops == &gn_kind_dnsname;
}
