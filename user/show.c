// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scapy's show(): a "###[ Name ]### " line per layer, then one line per
 * field, each layer 3 columns deeper than the one below it.  Sub-packets of
 * list fields are drawn as their own blocks behind a "   |" margin, exactly
 * as Scapy 2.5 draws them (the text of show(dump=True)); with GN_OUT_COLOR
 * in the colours of Scapy's default theme, the columns kept as without.
 */
#include <string.h>

#include <gannet/gannet.h>
#include "output_int.h"

struct show_ctx {
	struct gn_strbuf *sb;
	bool color;
	struct gn_strbuf label;  /* Scapy's label_lvl: the margin of nested blocks */
	struct gn_strbuf tmp;
};

static void put_spaces(struct gn_strbuf *sb, size_t n)
{
	while (n--)
		gn_sb_putc(sb, ' ');
}

static void styled(struct show_ctx *c, const char *style, const char *text)
{
	if (c->color)
		gn_sb_puts(c->sb, style);
	gn_sb_puts(c->sb, text);
	if (c->color)
		gn_sb_puts(c->sb, GN_ANSI_NORMAL);
}

static void field_name(struct show_ctx *c, const char *name)
{
	size_t n = strlen(name);

	styled(c, GN_ANSI_FIELD_NAME, name);
	if (n < 10)
		put_spaces(c->sb, 10 - n);
}

/* Scapy continues a value that spans lines under the start of the value. */
static void indent_newlines(struct show_ctx *c, size_t start, size_t indent)
{
	struct gn_strbuf *sb = c->sb;

	if (sb->err || !memchr(sb->s + start, '\n', sb->len - start))
		return;
	gn_sb_reset(&c->tmp);
	gn_sb_putn(&c->tmp, sb->s + start, sb->len - start);
	gn_out_truncate(sb, start);
	for (size_t i = 0; i < c->tmp.len; i++) {
		gn_sb_putc(sb, c->tmp.s[i]);
		if (c->tmp.s[i] == '\n')
			put_spaces(sb, indent);
	}
}

static void show_packet(struct show_ctx *c, const struct gn_packet *p);

/* "\\name      \\" and then each sub-packet as a block behind a "   |"
 * margin.  The records of a chain field (DNS) stay at one level: Scapy's
 * record classes set show_indent = 0. */
static void show_subpackets(struct show_ctx *c, const struct gn_field *f,
			    const struct gn_value *v, size_t lvl)
{
	size_t mark = c->label.len;
	uint32_t n = v->type == GN_V_PKT ? 1 : v->len;

	gn_sb_putc(c->sb, '\\');
	field_name(c, f->name);
	gn_sb_puts(c->sb, "\\\n");
	put_spaces(&c->label, lvl);
	gn_sb_puts(&c->label, "   |");
	for (uint32_t k = 0; k < n; k++) {
		const struct gn_value *it = v->type == GN_V_PKT ? v : &v->items[k];

		if (it->type != GN_V_PKT)
			continue;
		show_packet(c, it->pkt);
	}
	gn_out_truncate(&c->label, mark);
}

static void show_value(struct show_ctx *c, const struct gn_layer *l, const struct gn_field *f,
		       const struct gn_value *v, size_t lvl)
{
	size_t start;

	field_name(c, f->name);
	gn_sb_puts(c->sb, "= ");
	if (c->color)
		gn_sb_puts(c->sb, GN_ANSI_VALUE);
	start = c->sb->len;
	gn_out_value(l, f, v, c->sb, GN_REPR_HUMAN);
	indent_newlines(c, start, c->label.len + lvl + strlen(f->name) + 4);
	if (c->color)
		gn_sb_puts(c->sb, GN_ANSI_NORMAL);
	gn_sb_putc(c->sb, '\n');
}

static void show_layer(struct show_ctx *c, const struct gn_layer *l, size_t lvl)
{
	const struct gn_proto *pr = l->proto;
	struct gn_strbuf *sb = c->sb;

	gn_sb_putn(sb, c->label.s ? c->label.s : "", c->label.len);
	gn_sb_puts(sb, "###[ ");
	styled(c, GN_ANSI_LAYER_NAME, pr->long_name ? pr->long_name : pr->name);
	gn_sb_puts(sb, " ]### \n");
	for (unsigned i = 0; i < pr->nfields; i++) {
		const struct gn_field *f = &pr->fields[i];
		const struct gn_value *v;

		if (!gn_out_present(l, i))
			continue;
		v = gn_layer_get(l, i);
		gn_sb_putn(sb, c->label.s ? c->label.s : "", c->label.len);
		put_spaces(sb, lvl + 2);
		if (v->type == GN_V_PKT || (v->type == GN_V_LIST && gn_out_holds_packets(f)))
			show_subpackets(c, f, v, lvl);
		else
			show_value(c, l, f, v, lvl);
	}
}

static void show_packet(struct show_ctx *c, const struct gn_packet *p)
{
	for (unsigned k = 0; k < p->n; k++)
		show_layer(c, &p->layers[k], 3 * (size_t)k);
}

void gn_show(const struct gn_packet *p, struct gn_strbuf *sb)
{
	gn_show_ex(p, sb, 0);
}

void gn_show_ex(const struct gn_packet *p, struct gn_strbuf *sb, unsigned flags)
{
	struct show_ctx c = { .sb = sb, .color = flags & GN_OUT_COLOR };

	gn_sb_init(&c.label);
	gn_sb_init(&c.tmp);
	show_packet(&c, p);
	if (c.label.err || c.tmp.err)
		sb->err = c.label.err ? c.label.err : c.tmp.err;
	gn_sb_free(&c.label);
	gn_sb_free(&c.tmp);
}
