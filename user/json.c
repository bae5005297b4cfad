// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A packet as one line of JSON:
 *   {"layers":[{"name":"IP","fields":{"version":4,...}},...]}
 * Scapy's class and field names, every present field in table order with
 * its effective value (None -> null).  The field kinds write the values
 * (numbers, address strings, hex strings, arrays); this file writes the
 * structure around them.
 */
#include <string.h>

#include <gannet/gannet.h>
#include "output_int.h"

void gn_json_layer(const struct gn_layer *l, struct gn_strbuf *sb)
{
	const struct gn_proto *pr = l->proto;
	bool first = true;

	gn_sb_puts(sb, "{\"name\":");
	gn_sb_json_str(sb, pr->name, strlen(pr->name));
	gn_sb_puts(sb, ",\"fields\":{");
	for (unsigned i = 0; i < pr->nfields; i++) {
		const struct gn_field *f = &pr->fields[i];

		if (!gn_out_present(l, i))
			continue;
		if (!first)
			gn_sb_putc(sb, ',');
		first = false;
		gn_sb_json_str(sb, f->name, strlen(f->name));
		gn_sb_putc(sb, ':');
		gn_out_value(l, f, gn_layer_get(l, i), sb, GN_REPR_JSON);
	}
	gn_sb_puts(sb, "}}");
}

void gn_json(const struct gn_packet *p, struct gn_strbuf *sb)
{
	gn_sb_puts(sb, "{\"layers\":[");
	for (unsigned k = 0; k < p->n; k++) {
		if (k)
			gn_sb_putc(sb, ',');
		gn_json_layer(&p->layers[k], sb);
	}
	gn_sb_puts(sb, "]}");
}
