// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scapy's summary() (Packet._do_summary): walking from the innermost layer
 * outwards, a layer's mysummary hook is asked only while no layer above it
 * produced text; every other layer shows its class name; the parts are
 * joined with " / ".  So only the upper-most layer that has something to
 * say speaks: "Ether / IP / TCP 10.0.0.1:1234 > 10.0.0.2:http S / Raw".
 */
#include <string.h>

#include <gannet/gannet.h>
#include "output_int.h"

static void reverse(char *s, size_t n)
{
	for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
		char t = s[i];

		s[i] = s[j - 1];
		s[j - 1] = t;
	}
}

/* Swap the adjacent regions s[0..a) and s[a..a+b) in place. */
static void rotate(char *s, size_t a, size_t b)
{
	reverse(s, a);
	reverse(s + a, b);
	reverse(s, a + b);
}

static void layer_name(struct gn_strbuf *sb, const char *name, bool color)
{
	if (color)
		gn_sb_puts(sb, GN_ANSI_LAYER_NAME);
	gn_sb_puts(sb, name);
	if (color)
		gn_sb_puts(sb, GN_ANSI_NORMAL);
}

void gn_summary(const struct gn_packet *p, struct gn_strbuf *sb)
{
	gn_summary_ex(p, sb, 0);
}

/* With colour, the names of the layers that the speaking layer's text
 * does not cover stand out as in Scapy's packet lists. */
void gn_summary_ex(const struct gn_packet *p, struct gn_strbuf *sb, unsigned flags)
{
	bool color = flags & GN_OUT_COLOR;
	size_t start = sb->len;
	unsigned spoke = p->n;  /* the layer whose hook gave the text */

	/* The hook writes straight into sb, so no per-packet buffer is needed:
	 * its text is moved behind the names of the layers below afterwards. */
	for (unsigned k = p->n; k-- > 0;) {
		const struct gn_layer *l = &p->layers[k];

		if (!l->proto->summary)
			continue;
		if (l->proto->summary(l, sb) && sb->len > start) {
			spoke = k;
			break;
		}
		gn_out_truncate(sb, start);
	}
	if (spoke < p->n) {
		size_t text = sb->len - start;

		for (unsigned k = 0; k < spoke; k++) {
			layer_name(sb, p->layers[k].proto->name, color);
			gn_sb_puts(sb, " / ");
		}
		if (!sb->err)
			rotate(sb->s + start, text, sb->len - start - text);
	}
	for (unsigned k = spoke < p->n ? spoke + 1 : 0; k < p->n; k++) {
		if (sb->len > start)
			gn_sb_puts(sb, " / ");
		layer_name(sb, p->layers[k].proto->name, color);
	}
}
