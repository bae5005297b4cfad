// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scapy's command(): the expression that rebuilds a packet,
 *   Ether()/IP(src='10.0.0.1', dst='10.0.0.2')/TCP(flags=18)/Raw(load=b'x')
 * Only fields that were set appear, in field order (list fields first, as
 * in Scapy), each as a literal the expression language reads back; empty
 * lists are left out and flags are written as integers, as Scapy writes them.
 */
#include <inttypes.h>

#include <gannet/gannet.h>
#include "output_int.h"

static bool empty_list(const struct gn_value *v)
{
	return (v->type == GN_V_LIST || v->type == GN_V_SET) && v->len == 0;
}

static void command_field(const struct gn_layer *l, unsigned i, const struct gn_value *v,
			  bool *first, struct gn_strbuf *sb)
{
	const struct gn_field *f = &l->proto->fields[i];

	if (!gn_out_present(l, i) || empty_list(v))
		return;
	if (!*first)
		gn_sb_puts(sb, ", ");
	*first = false;
	gn_sb_printf(sb, "%s=", f->name);
	if (f->ops == &gn_kind_flags && v->type == GN_V_INT)
		gn_sb_printf(sb, "%" PRIu64, v->u);
	else
		gn_out_value(l, f, v, sb, GN_REPR_EXPR);
}

/* Fields in the order of Scapy's `fields` dict: list and packet defaults
 * (copied into every instance first), then what was set, in field order. */
static void command_layer(const struct gn_layer *l, struct gn_strbuf *sb)
{
	const struct gn_proto *pr = l->proto;
	bool first = true;

	gn_sb_puts(sb, pr->name);
	gn_sb_putc(sb, '(');
	for (unsigned i = 0; i < pr->nfields; i++)
		if (gn_out_default_is_mutable(l, i))
			command_field(l, i, gn_out_own_value(l, i), &first, sb);
	for (unsigned i = 0; i < pr->nfields; i++)
		if (!gn_out_default_is_mutable(l, i) && gn_layer_isset(l, i))
			command_field(l, i, &l->vals[i], &first, sb);
	gn_sb_putc(sb, ')');
}

void gn_command(const struct gn_packet *p, struct gn_strbuf *sb)
{
	for (unsigned k = 0; k < p->n; k++) {
		if (k)
			gn_sb_putc(sb, '/');
		command_layer(&p->layers[k], sb);
	}
}
