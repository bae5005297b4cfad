// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * From syntax tree to template packet: class names to protocols, keyword
 * arguments to fields, values through each field kind's assign.  On scalar
 * fields a list is a set, a 2-tuple of integers a range and Rand*() a fresh
 * random value per packet: those stay generators until expansion.
 */
#include <errno.h>
#include <string.h>

#include <gannet/gannet.h>
#include "engine.h"

static const struct {
	const char *name;
	enum gn_rand_kind kind;
} rand_funcs[] = {
	{ "RandByte", GN_RAND_BYTE },   { "RandShort", GN_RAND_SHORT },
	{ "RandInt", GN_RAND_INT },     { "RandLong", GN_RAND_LONG },
	{ "RandIP", GN_RAND_IP },       { "RandIP6", GN_RAND_IP6 },
	{ "RandMAC", GN_RAND_MAC },     { "RandNum", GN_RAND_FIELD },
};

static int rand_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(rand_funcs) / sizeof(rand_funcs[0]); i++)
		if (!strcmp(rand_funcs[i].name, name))
			return rand_funcs[i].kind;
	return -1;
}

static int unknown_proto(const struct gn_ast *a, struct gn_error *err)
{
	const char *cands[512];
	size_t n = 0;
	const struct gn_proto *p;
	const char *best;

	while (n < 512 && (p = gn_proto_at((unsigned)n)))
		cands[n++] = p->name;
	best = gn_closest(a->str, a->len, cands, n);
	if (best)
		return gn_error_set(err, -ENOENT, a->column,
				    "unknown layer '%s'; did you mean '%s'?", a->str, best);
	return gn_error_set(err, -ENOENT, a->column,
			    "unknown layer '%s' (gannet ls lists them)", a->str);
}

static int unknown_field(const struct gn_proto *p, const struct gn_ast_kw *kw,
			 struct gn_error *err)
{
	const char *cands[256];
	size_t n = 0;
	const char *best;

	for (unsigned i = 0; i < p->nfields && n < 256; i++)
		cands[n++] = p->fields[i].name;
	best = gn_closest(kw->name, strlen(kw->name), cands, n);
	if (best)
		return gn_error_set(err, -ENOENT, kw->column,
				    "unknown field '%s' in %s; did you mean '%s'?", kw->name,
				    p->name, best);
	return gn_error_set(err, -ENOENT, kw->column,
			    "unknown field '%s' in %s (gannet ls %s lists them)", kw->name,
			    p->name, p->name);
}

/* One element of a set: a range, a network, or a plain value. */
static int scalar_value(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			struct gn_value *out, bool in_set, struct gn_error *err)
{
	memset(out, 0, sizeof(*out));
	/* a list of flags is their union (TCP(flags=['S','A']) is SA), not a set */
	if (ast->type == GN_AST_LIST && !in_set && f->ops != &gn_kind_flags) {
		out->type = GN_V_SET;
		out->len = ast->n;
		out->items = gn_arena_alloc(a, (ast->n ? ast->n : 1) * sizeof(*out->items));
		if (!out->items)
			return -ENOMEM;
		for (unsigned i = 0; i < ast->n; i++) {
			int rc = scalar_value(a, f, ast->items[i], &out->items[i], true, err);

			if (rc)
				return rc;
		}
		return 0;
	}
	if (ast->type == GN_AST_TUPLE) {
		struct gn_value lo, hi;
		int rc;

		if (ast->n != 2 || ast->items[0]->type != GN_AST_NUM ||
		    ast->items[1]->type != GN_AST_NUM)
			return gn_error_set(err, -EINVAL, ast->column,
					    "on field '%s' a tuple is a range: (low, high) integers",
					    f->name);
		rc = f->ops->assign(a, f, ast->items[0], &lo, err);
		if (!rc)
			rc = f->ops->assign(a, f, ast->items[1], &hi, err);
		if (rc)
			return rc;
		if (lo.type != GN_V_INT || hi.type != GN_V_INT)
			return gn_error_set(err, -EINVAL, ast->column,
					    "a range needs an integer field, '%s' is not", f->name);
		out->type = GN_V_RANGE;
		out->len = 2;
		out->items = gn_arena_alloc(a, 2 * sizeof(*out->items));
		if (!out->items)
			return -ENOMEM;
		out->items[0] = lo;
		out->items[1] = hi;
		return 0;
	}
	if (ast->type == GN_AST_CALL) {
		int kind = rand_kind(ast->str);

		if (kind < 0)
			return gn_error_set(err, -EINVAL, ast->column,
					    "%s() cannot be used as the value of field '%s'",
					    ast->str, f->name);
		out->type = GN_V_RAND;
		out->u = (uint64_t)kind;
		return 0;
	}
	return f->ops->assign(a, f, ast, out, err);
}

int gn_assign_ast(struct gn_layer *l, unsigned i, const struct gn_ast *ast, struct gn_error *err)
{
	const struct gn_field *f = &l->proto->fields[i];
	struct gn_value v;
	int rc;

	if (f->ops->is_list || !f->ops->is_scalar)
		rc = f->ops->assign(l->pkt->arena, f, ast, &v, err);
	else
		rc = scalar_value(l->pkt->arena, f, ast, &v, false, err);
	if (rc)
		return rc;
	return gn_layer_set(l, i, &v);
}

static int parse_layer(struct gn_packet *p, const struct gn_ast *a, struct gn_error *err)
{
	const struct gn_proto *proto = gn_proto_findn(a->str, a->len);
	struct gn_layer *l;

	unsigned first = p->n;

	if (!proto)
		return unknown_proto(a, err);
	if (a->n == 1) {
		/* LAYER(b'...'): the bytes dissected as LAYER, then the named
		 * fields on top, as Scapy's constructor does */
		struct gn_packet *d = gn_packet_new();
		int rc;

		if (!d)
			return -ENOMEM;
		rc = gn_dissect(d, proto, (const uint8_t *)a->items[0]->str, a->items[0]->len);
		if (!rc)
			rc = gn_packet_append(p, d);
		gn_packet_free(d);
		if (rc)
			return rc;
		if (p->n == first && !gn_packet_push(p, proto))
			return -ENOMEM;
	} else {
		l = gn_packet_push(p, proto);
		if (!l)
			return -ENOMEM;
	}
	for (unsigned k = 0; k < a->nkw; k++) {
		int i = gn_proto_field_index(proto, a->kw[k].name);
		int rc;

		if (i < 0)
			return unknown_field(proto, &a->kw[k], err);
		rc = gn_assign_ast(&p->layers[first], (unsigned)i, a->kw[k].value, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int push_raw(struct gn_packet *p, const struct gn_ast *a)
{
	const struct gn_proto *raw = gn_proto_find("Raw");

	if (!raw || !gn_packet_push_bytes(p, raw, (const uint8_t *)a->str, a->len))
		return -ENOMEM;
	return 0;
}

void gn_fuzz_value(struct gn_value *v)
{
	memset(v, 0, sizeof(*v));
	v->type = GN_V_RAND;
	v->u = GN_RAND_FIELD;
}

/* fuzz(LAYER(...)): every field whose default is not computed gets a random
 * default, drawn afresh for each packet (Scapy's fuzz). */
static void fuzz_layers(struct gn_packet *p, unsigned from)
{
	for (unsigned k = from; k < p->n; k++) {
		struct gn_layer *l = &p->layers[k];

		for (unsigned i = 0; i < l->proto->nfields; i++) {
			const struct gn_field *f = &l->proto->fields[i];

			if ((f->flags & GN_FF_AUTO) || !f->ops->is_scalar || f->ops->is_list ||
			    f->present)
				continue;
			if (f->ops != &gn_kind_uint && f->ops != &gn_kind_enum &&
			    f->ops != &gn_kind_flags && f->ops != &gn_kind_mac &&
			    f->ops != &gn_kind_ipv4 && f->ops != &gn_kind_ipv6)
				continue;
			/* Scapy's fuzz replaces the defaults, so a field the user
			 * set keeps its value until it is deleted */
			l->state[i] |= GN_FS_FUZZ;
			if (!(l->state[i] & GN_FS_SET))
				gn_fuzz_value(&l->vals[i]);
		}
	}
}

int gn_parse_ast(struct gn_packet *p, const struct gn_ast *chain, struct gn_error *err)
{
	if (chain->type != GN_AST_CHAIN)
		return gn_error_set(err, -EINVAL, chain->column, "expected a packet such as IP()/TCP()");
	for (unsigned i = 0; i < chain->n; i++) {
		const struct gn_ast *a = chain->items[i];
		int rc;

		switch (a->type) {
		case GN_AST_LAYER:
			rc = parse_layer(p, a, err);
			break;
		case GN_AST_STR:
		case GN_AST_BYTES:
			rc = push_raw(p, a);
			break;
		case GN_AST_CHAIN:
			rc = gn_parse_ast(p, a, err);
			break;
		case GN_AST_CALL:
			if (strcmp(a->str, "fuzz") || a->n != 1)
				return gn_error_set(err, -EINVAL, a->column,
						    "%s() is not a layer; fuzz(LAYER(...)) is the function that makes one",
						    a->str);
			{
				unsigned from = p->n;

				rc = gn_parse_ast(p, a->items[0], err);
				if (!rc)
					fuzz_layers(p, from);
			}
			break;
		default:
			return gn_error_set(err, -EINVAL, a->column,
					    "expected a layer such as IP(...) or a string");
		}
		if (rc)
			return rc;
	}
	return 0;
}

int gn_parse(const char *text, struct gn_packet **out, struct gn_error *err)
{
	struct gn_arena *a = gn_arena_new(4096);
	struct gn_packet *p = gn_packet_new();
	struct gn_ast *ast;
	int rc = -ENOMEM;

	if (a && p) {
		rc = gn_ast_parse(a, text, &ast, err);
		if (!rc)
			rc = gn_parse_ast(p, ast, err);
	}
	gn_arena_free(a);
	if (rc) {
		gn_packet_free(p);
		if (rc == -ENOMEM)
			gn_error_set(err, rc, 0, "out of memory");
		return rc;
	}
	*out = p;
	return 0;
}

int gn_layer_set_expr(struct gn_layer *l, const char *field, const char *text,
		      struct gn_error *err)
{
	struct gn_arena *a;
	struct gn_ast *ast;
	int i = gn_layer_field_index(l, field);
	int rc;

	if (i < 0) {
		struct gn_ast_kw kw = { .name = field, .column = 0 };

		return unknown_field(l->proto, &kw, err);
	}
	a = gn_arena_new(1024);
	if (!a)
		return -ENOMEM;
	/* a value is parsed as the argument of a one-field layer; columns
	 * are then made relative to the text the caller gave */
	{
		struct gn_strbuf sb;
		struct gn_error inner = { 0 };
		int prefix = (int)(strlen(l->proto->name) + strlen(field) + 2);

		gn_sb_init(&sb);
		gn_sb_printf(&sb, "%s(%s=%s)", l->proto->name, field, text);
		bool single;
		int col;

		rc = sb.err ? sb.err : gn_ast_parse(a, sb.s, &ast, &inner);
		single = !rc && ast->n == 1 && ast->items[0]->type == GN_AST_LAYER &&
			 ast->items[0]->nkw == 1 && !ast->items[0]->n;
		if (single)
			rc = gn_assign_ast(l, (unsigned)i, ast->items[0]->kw[0].value, &inner);
		gn_sb_free(&sb);
		col = inner.column - prefix;
		/* "1, 2" parses as a second argument of the wrapper: say what
		 * is wrong with the value instead */
		if ((!rc && !single) ||
		    (rc && (strstr(inner.msg, "positional") || col < 1 ||
			    col > (int)strlen(text) + 1))) {
			rc = rc ? rc : -EINVAL;
			gn_error_set(err, rc, 1, "'%s' is not a single value for %s.%s", text,
				     l->proto->name, field);
		} else if (rc) {
			gn_error_set(err, rc, col, "%s", inner.msg);
		}
	}
	gn_arena_free(a);
	return rc;
}
