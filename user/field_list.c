// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Lists of sub-packets (Scapy's PacketListField): DNS records, IP options,
 * ND options.  The list ends where a count field, a length field or the
 * layer says; each element is dissected as its own small packet.
 */
#include <errno.h>
#include <string.h>

#include <gannet/gannet.h>
#include "engine.h"

#define MAX_LIST_ITEMS 4096

struct bound {
	size_t bytes;    /* bytes the list may use */
	uint64_t count;  /* elements, or UINT64_MAX for "until the bytes end" */
};

static struct bound list_bound(const struct gn_dissect_ctx *c, const struct gn_layer *l,
			       const struct gn_field *f)
{
	size_t off = c->off + (c->bit ? 1 : 0);
	size_t avail = off < c->len ? c->len - off : 0;
	struct bound b = { .bytes = avail, .count = UINT64_MAX };

	if (f->length_from) {
		long n = f->length_from(l, avail);

		b.bytes = n < 0 ? 0 : ((size_t)n < avail ? (size_t)n : avail);
	} else if (f->link >= 0) {
		const struct gn_field *lf = &l->proto->fields[f->link];
		uint64_t v = gn_field_uint(l, (unsigned)f->link);

		if (lf->flags & GN_FF_COUNT) {
			b.count = v;
		} else {
			long n = (long)v - lf->adjust;

			b.bytes = n < 0 ? 0 : ((size_t)n < avail ? (size_t)n : avail);
		}
	}
	return b;
}

static int pktlist_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			   const struct gn_field *f, struct gn_value *out)
{
	struct bound b = list_bound(c, l, f);
	struct gn_value *items = NULL;
	uint32_t n = 0, cap = 0;
	size_t used = 0;
	const uint8_t *start;
	int err;

	err = gn_rd_bytes(c, 0, &start); /* aligns the cursor */
	if (err)
		return err;
	while (used < b.bytes && n < b.count && n < MAX_LIST_ITEMS) {
		struct gn_packet *sub;
		size_t consumed = 0;

		err = gn_dissect_sub(c, f->elem, start + used, b.bytes - used, &sub, &consumed);
		if (err == -ENOMEM)
			return err;
		if (err || consumed == 0)
			break;
		if (n == cap) {
			struct gn_value *ni;

			cap = cap ? 2 * cap : 4;
			ni = gn_arena_alloc(c->arena, cap * sizeof(*ni));
			if (!ni)
				return -ENOMEM;
			if (n)
				memcpy(ni, items, n * sizeof(*ni));
			items = ni;
		}
		memset(&items[n], 0, sizeof(items[n]));
		items[n].type = GN_V_PKT;
		items[n].pkt = sub;
		n++;
		used += consumed;
	}
	c->off += used;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	out->len = n;
	out->items = items;
	return 0;
}

static int pktlist_build(struct gn_build_ctx *c, const struct gn_layer *l,
			 const struct gn_field *f, const struct gn_value *v)
{
	(void)l;
	(void)f;
	if (v->type == GN_V_PKT)
		return gn_build_sub(c, v->pkt);
	if (v->type != GN_V_LIST)
		return 0;
	for (uint32_t i = 0; i < v->len; i++) {
		int err = pktlist_build(c, l, f, &v->items[i]);

		if (err)
			return err;
	}
	return c->w.err;
}

/* A chain DNSRR()/DNSRR() in a list field is a list of its layers (Scapy's
 * older record form); any other chain is one element. */
static int add_chain(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *chain,
		     struct gn_value *items, uint32_t *n, uint32_t cap, struct gn_error *err)
{
	for (unsigned i = 0; i < chain->n; i++) {
		const struct gn_ast *layer = chain->items[i];
		struct gn_ast one = { .type = GN_AST_CHAIN, .column = layer->column,
				      .items = (struct gn_ast **)&chain->items[i], .n = 1 };
		struct gn_packet *sub;
		int rc;

		if (*n == cap)
			return gn_error_set(err, -E2BIG, layer->column, "too many elements");
		sub = gn_packet_new_in(a);
		if (!sub)
			return -ENOMEM;
		rc = gn_parse_ast(sub, &one, err);
		if (rc)
			return rc;
		if (f->elem && sub->n && sub->layers[0].proto != f->elem && !f->elem->dispatch &&
		    strncmp(sub->layers[0].proto->name, f->elem->name, strlen(f->elem->name)))
			return gn_error_set(err, -EINVAL, layer->column,
					    "field '%s' holds %s elements, not %s", f->name,
					    f->elem->name, sub->layers[0].proto->name);
		memset(&items[*n], 0, sizeof(items[*n]));
		items[*n].type = GN_V_PKT;
		items[*n].pkt = sub;
		(*n)++;
	}
	return 0;
}

static unsigned chain_layers(const struct gn_ast *a)
{
	unsigned total = 0;

	if (a->type == GN_AST_CHAIN)
		return a->n;
	if (a->type == GN_AST_LIST || a->type == GN_AST_TUPLE)
		for (unsigned i = 0; i < a->n; i++)
			total += chain_layers(a->items[i]);
	return total;
}

static int pktlist_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			  struct gn_value *out, struct gn_error *err)
{
	uint32_t cap = chain_layers(ast), n = 0;
	struct gn_value *items;

	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	if (ast->type == GN_AST_NONE)
		return 0;
	items = gn_arena_alloc(a, (cap ? cap : 1) * sizeof(*items));
	if (!items)
		return -ENOMEM;
	if (ast->type == GN_AST_CHAIN) {
		int rc = add_chain(a, f, ast, items, &n, cap, err);

		if (rc)
			return rc;
	} else if (ast->type == GN_AST_LIST || ast->type == GN_AST_TUPLE) {
		for (unsigned i = 0; i < ast->n; i++) {
			const struct gn_ast *it = ast->items[i];
			int rc;

			if (it->type != GN_AST_CHAIN)
				return gn_error_set(err, -EINVAL, it->column,
						    "field '%s' holds packets such as %s(...)",
						    f->name, f->elem ? f->elem->name : "Raw");
			rc = add_chain(a, f, it, items, &n, cap, err);
			if (rc)
				return rc;
		}
	} else {
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' holds a list of packets such as [%s(...)]",
				    f->name, f->elem ? f->elem->name : "Raw");
	}
	out->len = n;
	out->items = items;
	return 0;
}

static void pktlist_format(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	bool first = true;

	(void)l;
	(void)f;
	gn_sb_putc(sb, '[');
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		const struct gn_packet *sub = v->items[i].pkt;

		if (v->items[i].type != GN_V_PKT)
			continue;
		if (r == GN_REPR_JSON) {
			for (unsigned k = 0; k < sub->n; k++) {
				if (!first)
					gn_sb_putc(sb, ',');
				gn_json_layer(&sub->layers[k], sb);
				first = false;
			}
		} else {
			if (!first)
				gn_sb_puts(sb, ", ");
			gn_command(sub, sb);
			first = false;
		}
	}
	gn_sb_putc(sb, ']');
}

const struct gn_field_ops gn_kind_pktlist = {
	.kind = "PacketListField",
	.dissect = pktlist_dissect,
	.build = pktlist_build,
	.assign = pktlist_assign,
	.format = pktlist_format,
	.is_list = true,
};
