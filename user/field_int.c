// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Integer field kinds: plain integers and bit fields of any width in either
 * byte order, enums with names, flags with letters, and length/count fields
 * that measure another field of the layer.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <gannet/gannet.h>
#include "engine.h"

static uint64_t width_mask(unsigned bits)
{
	return bits >= 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
}

/* ---- plain integers ------------------------------------------------------ */

static int int_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
		       struct gn_value *out)
{
	uint64_t v;
	int err;

	(void)l;
	if (f->bits % 8 == 0 && c->bit == 0)
		err = gn_rd_uint(c, f->bits / 8, f->flags & GN_FF_LE, &v);
	else
		err = gn_rd_bits(c, f->bits, &v);
	if (err)
		return err;
	/* field by field: a whole-struct copy from a temporary stalls on
	 * store forwarding, and this is the hottest store of dissection */
	out->type = GN_V_INT;
	out->alen = 0;
	out->prefix = 0;
	out->len = 0;
	out->u = v;
	return 0;
}

static void put_int(struct gn_build_ctx *c, const struct gn_field *f, uint64_t v)
{
	v &= width_mask(f->bits);
	if (f->bits % 8 == 0 && c->w.bit == 0)
		gn_wbuf_put_uint(&c->w, v, f->bits / 8, f->flags & GN_FF_LE);
	else
		gn_wbuf_put_bits(&c->w, v, f->bits);
}

static int int_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
		     const struct gn_value *v)
{
	(void)l;
	/* None: a placeholder the post-build hook overwrites */
	put_int(c, f, v->type == GN_V_INT ? v->u : 0);
	return c->w.err;
}

int gn_int_from_ast(const struct gn_field *f, const struct gn_ast *a, uint64_t *out,
		    struct gn_error *err)
{
	uint64_t mask = width_mask(f->bits);

	if (a->type == GN_AST_BOOL) {
		*out = a->num;
		return 0;
	}
	if (a->type != GN_AST_NUM)
		return gn_error_set(err, -EINVAL, a->column,
				    "field '%s' takes an integer", f->name);
	if (a->neg) {
		/* negative numbers wrap as two's complement within the width,
		 * which is what a signed field stores */
		uint64_t mag = a->num;
		uint64_t lim = (f->flags & GN_FF_SIGNED) ? (mask >> 1) + 1 : 0;

		if (mag > lim)
			return gn_error_set(err, -ERANGE, a->column,
					    "value -%" PRIu64 " does not fit in field '%s' (%u bits%s)",
					    mag, f->name, f->bits,
					    (f->flags & GN_FF_SIGNED) ? "" : ", unsigned");
		*out = (0 - mag) & mask;
		return 0;
	}
	if (a->num > mask)
		return gn_error_set(err, -ERANGE, a->column,
				    "value %" PRIu64 " does not fit in field '%s' (%u bits, max %" PRIu64 ")",
				    a->num, f->name, f->bits, mask);
	*out = a->num;
	return 0;
}

static int int_assign(struct gn_arena *ar, const struct gn_field *f, const struct gn_ast *a,
		      struct gn_value *out, struct gn_error *err)
{
	uint64_t v;
	int rc;

	(void)ar;
	if (a->type == GN_AST_NONE) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	rc = gn_int_from_ast(f, a, &v, err);
	if (rc)
		return rc;
	*out = gn_v_int(v);
	return 0;
}

static void int_text(const struct gn_field *f, uint64_t u, struct gn_strbuf *sb, bool hex)
{
	if (f->flags & GN_FF_SIGNED) {
		uint64_t sign = (uint64_t)1 << (f->bits - 1);
		int64_t s = (u & sign) ? (int64_t)(u | ~width_mask(f->bits)) : (int64_t)u;

		gn_sb_printf(sb, "%" PRId64, s);
	} else if (hex) {
		gn_sb_printf(sb, "0x%" PRIx64, u);
	} else {
		gn_sb_printf(sb, "%" PRIu64, u);
	}
}

static void int_format(const struct gn_layer *l, const struct gn_field *f,
		       const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	if (v->type != GN_V_INT) {
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
		return;
	}
	int_text(f, v->u, sb, r == GN_REPR_HUMAN && (f->flags & GN_FF_HEX));
}

const struct gn_field_ops gn_kind_uint = {
	.kind = "IntField",
	.dissect = int_dissect,
	.build = int_build,
	.assign = int_assign,
	.format = int_format,
	.is_scalar = true,
};

/* ---- enums --------------------------------------------------------------- */

const char *gn_enum_name(const struct gn_enum *tbl, uint64_t value)
{
	for (; tbl && tbl->name; tbl++)
		if (tbl->value == value)
			return tbl->name;
	return NULL;
}

int gn_enum_value(const struct gn_enum *tbl, const char *name, size_t n, uint64_t *out)
{
	for (; tbl && tbl->name; tbl++) {
		if (strlen(tbl->name) == n && !memcmp(tbl->name, name, n)) {
			*out = tbl->value;
			return 0;
		}
	}
	return -ENOENT;
}

static const char *enum_name_of(const struct gn_field *f, uint64_t v)
{
	const struct gn_enum_resolver *res = f->extra;

	if (f->names)
		return gn_enum_name(f->names, v);
	return res && res->name ? res->name(v) : NULL;
}

static int enum_value_of(const struct gn_field *f, const char *name, size_t n, uint64_t *out)
{
	const struct gn_enum_resolver *res = f->extra;

	if (f->names)
		return gn_enum_value(f->names, name, n, out);
	return res && res->value ? res->value(name, n, out) : -ENOENT;
}

static int enum_assign(struct gn_arena *ar, const struct gn_field *f, const struct gn_ast *a,
		       struct gn_value *out, struct gn_error *err)
{
	uint64_t v;

	if (a->type == GN_AST_STR || a->type == GN_AST_NAME) {
		if (enum_value_of(f, a->str, a->len, &v))
			return gn_error_set(err, -EINVAL, a->column,
					    "unknown value '%s' for field '%s'", a->str, f->name);
		if (v > width_mask(f->bits))
			return gn_error_set(err, -ERANGE, a->column,
					    "value '%s' does not fit in field '%s'", a->str, f->name);
		*out = gn_v_int(v);
		return 0;
	}
	return int_assign(ar, f, a, out, err);
}

static void enum_format(const struct gn_layer *l, const struct gn_field *f,
			const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	const char *name;

	if (r != GN_REPR_HUMAN || v->type != GN_V_INT) {
		int_format(l, f, v, sb, r);
		return;
	}
	name = enum_name_of(f, v->u);
	if (name)
		gn_sb_puts(sb, name);
	else
		int_text(f, v->u, sb, f->flags & GN_FF_HEX);
}

const struct gn_field_ops gn_kind_enum = {
	.kind = "EnumField",
	.dissect = int_dissect,
	.build = int_build,
	.assign = enum_assign,
	.format = enum_format,
	.is_scalar = true,
};

/* ---- flags ----------------------------------------------------------------
 * letters is either one character per bit ("FSRPAUECN", bit 0 first) or
 * comma-separated names ("MF,DF,evil"), which Scapy joins with '+'.
 */

static bool multi_names(const struct gn_field *f)
{
	return strchr(f->letters, ',') != NULL;
}

/* The name of bit i: a pointer into letters and its length. */
static bool flag_name(const struct gn_field *f, unsigned bit, const char **s, size_t *n)
{
	const char *p = f->letters;

	if (!multi_names(f)) {
		if (bit >= strlen(p))
			return false;
		*s = p + bit;
		*n = 1;
		return true;
	}
	for (unsigned i = 0; i < bit; i++) {
		p = strchr(p, ',');
		if (!p)
			return false;
		p++;
	}
	*s = p;
	*n = strcspn(p, ",");
	return true;
}

static int flag_bit(const struct gn_field *f, const char *name, size_t n)
{
	const char *s;
	size_t len;

	for (unsigned bit = 0; bit < f->bits; bit++)
		if (flag_name(f, bit, &s, &len) && len == n && !memcmp(s, name, n))
			return (int)bit;
	return -1;
}

int gn_flags_parse(const struct gn_field *f, const char *s, size_t n, uint64_t *out,
		   struct gn_error *err, int column)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < n) {
		size_t len = 1;
		int bit;

		if (multi_names(f)) {
			len = 0;
			while (i + len < n && s[i + len] != '+')
				len++;
		}
		bit = flag_bit(f, s + i, len);
		if (bit < 0)
			return gn_error_set(err, -EINVAL, column,
					    "unknown flag '%.*s' for field '%s' (flags: %s)",
					    (int)len, s + i, f->name, f->letters);
		v |= (uint64_t)1 << bit;
		i += len;
		if (multi_names(f) && i < n)
			i++; /* the '+' */
	}
	*out = v;
	return 0;
}

static int flags_assign(struct gn_arena *ar, const struct gn_field *f, const struct gn_ast *a,
			struct gn_value *out, struct gn_error *err)
{
	uint64_t v;
	int rc;

	if (a->type == GN_AST_STR || a->type == GN_AST_NAME) {
		rc = gn_flags_parse(f, a->str, a->len, &v, err, a->column);
		if (rc)
			return rc;
		*out = gn_v_int(v);
		return 0;
	}
	if (a->type == GN_AST_LIST) {
		uint64_t all = 0;

		for (unsigned i = 0; i < a->n; i++) {
			rc = flags_assign(ar, f, a->items[i], out, err);
			if (rc)
				return rc;
			if (out->type == GN_V_INT)
				all |= out->u;
		}
		*out = gn_v_int(all);
		return 0;
	}
	return int_assign(ar, f, a, out, err);
}

void gn_flags_text(const struct gn_field *f, uint64_t v, struct gn_strbuf *sb)
{
	bool first = true;

	for (unsigned bit = 0; bit < 64 && v; bit++, v >>= 1) {
		const char *s;
		size_t n;

		if (!(v & 1))
			continue;
		if (!first && multi_names(f))
			gn_sb_putc(sb, '+');
		if (flag_name(f, bit, &s, &n))
			gn_sb_putn(sb, s, n);
		else
			gn_sb_putc(sb, '?');
		first = false;
	}
}

static void flags_format(const struct gn_layer *l, const struct gn_field *f,
			 const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	if (v->type != GN_V_INT || r == GN_REPR_JSON) {
		int_format(l, f, v, sb, r);
		return;
	}
	if (r == GN_REPR_EXPR) {
		gn_sb_putc(sb, '\'');
		gn_flags_text(f, v->u, sb);
		gn_sb_putc(sb, '\'');
		return;
	}
	gn_flags_text(f, v->u, sb);
}

const struct gn_field_ops gn_kind_flags = {
	.kind = "FlagsField",
	.dissect = int_dissect,
	.build = int_build,
	.assign = flags_assign,
	.format = flags_format,
	.is_scalar = true,
};

/* ---- length and count fields ---------------------------------------------- */

static int lenfield_build(struct gn_build_ctx *c, const struct gn_layer *l,
			  const struct gn_field *f, const struct gn_value *v)
{
	uint64_t n;

	if (v->type == GN_V_INT) {
		put_int(c, f, v->u);
		return c->w.err;
	}
	if (f->flags & GN_FF_COUNT) {
		const struct gn_value *m = gn_layer_get(l, (unsigned)f->link);

		n = (m->type == GN_V_LIST) ? m->len : (m->type == GN_V_PKT ? 1 : 0);
	} else {
		long len = gn_field_wire_len(l, (unsigned)f->link);

		if (len < 0)
			return (int)len;
		n = (uint64_t)len;
	}
	put_int(c, f, n + (uint64_t)(int64_t)f->adjust);
	return c->w.err;
}

const struct gn_field_ops gn_kind_lenfield = {
	.kind = "FieldLenField",
	.dissect = int_dissect,
	.build = lenfield_build,
	.assign = int_assign,
	.format = int_format,
	.is_scalar = true,
};
