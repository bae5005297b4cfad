// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One field's value as text, and what the text outputs share.  The field
 * kinds write plain values; here are the values no single kind owns: None,
 * the generators of a template, and sub-packets, each written the way Scapy
 * writes it in the requested shape (human, expression, JSON).
 */
#include <string.h>

#include <gannet/gannet.h>
#include "engine.h"
#include "output_int.h"

bool gn_out_holds_packets(const struct gn_field *f)
{
	return f->ops == &gn_kind_pktlist || f->elem != NULL;
}

bool gn_out_is_chain(const struct gn_field *f)
{
	const char *kind = f->ops->kind;

	if (!gn_out_holds_packets(f) || f->ops == &gn_kind_pktlist || !kind)
		return false;
	return !strstr(kind, "List") && strcmp(kind, "_OptionsField") != 0;
}

bool gn_out_present(const struct gn_layer *l, unsigned i)
{
	const struct gn_field *f = &l->proto->fields[i];

	return !f->present || f->present(l);
}

void gn_out_truncate(struct gn_strbuf *sb, size_t len)
{
	if (len < sb->len) {
		sb->len = len;
		sb->s[len] = 0;
	}
}

const char *gn_out_rand_name(uint64_t kind)
{
	switch (kind) {
	case GN_RAND_BYTE: return "RandByte";
	case GN_RAND_SHORT: return "RandShort";
	case GN_RAND_INT: return "RandInt";
	case GN_RAND_LONG: return "RandLong";
	case GN_RAND_IP: return "RandIP";
	case GN_RAND_IP6: return "RandIP6";
	case GN_RAND_MAC: return "RandMAC";
	default: return "RandNum";
	}
}

/* fuzz() draws a value that fits the field: Scapy names it after the width. */
static const char *rand_field_name(const struct gn_field *f)
{
	if (f->ops == &gn_kind_mac)
		return "RandMAC";
	if (f->ops == &gn_kind_ipv4)
		return "RandIP";
	if (f->ops == &gn_kind_ipv6)
		return "RandIP6";
	switch (f->bits) {
	case 8: return "RandByte";
	case 16: return "RandShort";
	case 32: return "RandInt";
	case 64: return "RandLong";
	default: return "RandNum";
	}
}

void gn_out_pystr(struct gn_strbuf *sb, const char *s, size_t n)
{
	char q = '\'';

	if (memchr(s, '\'', n) && !memchr(s, '"', n))
		q = '"';
	gn_sb_putc(sb, q);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == (unsigned char)q || c == '\\') {
			gn_sb_putc(sb, '\\');
			gn_sb_putc(sb, (char)c);
		} else if (c == '\n') {
			gn_sb_puts(sb, "\\n");
		} else if (c == '\r') {
			gn_sb_puts(sb, "\\r");
		} else if (c == '\t') {
			gn_sb_puts(sb, "\\t");
		} else if (c < 0x20 || c == 0x7f) {
			gn_sb_printf(sb, "\\x%02x", c);
		} else {
			gn_sb_putc(sb, (char)c);
		}
	}
	gn_sb_putc(sb, q);
}

/* A sub-packet in JSON: one layer object, or an array when it has several. */
static void pkt_json(const struct gn_packet *sub, struct gn_strbuf *sb)
{
	if (sub->n == 1) {
		gn_json_layer(&sub->layers[0], sb);
		return;
	}
	gn_sb_putc(sb, '[');
	for (unsigned k = 0; k < sub->n; k++) {
		if (k)
			gn_sb_putc(sb, ',');
		gn_json_layer(&sub->layers[k], sb);
	}
	gn_sb_putc(sb, ']');
}

static void pkt_value(const struct gn_packet *sub, struct gn_strbuf *sb, enum gn_repr repr)
{
	switch (repr) {
	case GN_REPR_HUMAN:
		gn_out_pkt_repr(sub, 0, sb);
		break;
	case GN_REPR_EXPR:
		gn_command(sub, sb);
		break;
	case GN_REPR_JSON:
		pkt_json(sub, sb);
		break;
	}
}

/* Records of a chain field, as Scapy holds them: one packet whose payload
 * is the next record. */
static void pkt_chain(const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr repr)
{
	unsigned open = 0;

	for (uint32_t i = 0; i < v->len; i++) {
		const struct gn_value *it = &v->items[i];

		if (it->type != GN_V_PKT)
			continue;
		if (repr == GN_REPR_HUMAN) {
			open += gn_out_repr_open(it->pkt, 0, sb);
		} else {
			if (i)
				gn_sb_putc(sb, '/');
			gn_command(it->pkt, sb);
		}
	}
	while (open--)
		gn_sb_putc(sb, '>');
}

/* A list of sub-packets: Scapy's list repr, command()'s "[A(),B()]", or a
 * JSON array with every layer of every element (as the list kind does). */
static void pkt_list(const struct gn_layer *l, const struct gn_field *f,
		     const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr repr)
{
	const char *sep = repr == GN_REPR_HUMAN ? ", " : ",";
	bool first = true;

	if (repr != GN_REPR_JSON && v->len && gn_out_is_chain(f)) {
		pkt_chain(v, sb, repr);
		return;
	}
	gn_sb_putc(sb, '[');
	for (uint32_t i = 0; i < v->len; i++) {
		const struct gn_value *it = &v->items[i];

		if (repr == GN_REPR_JSON && it->type == GN_V_PKT) {
			for (unsigned k = 0; k < it->pkt->n; k++) {
				if (!first)
					gn_sb_putc(sb, ',');
				gn_json_layer(&it->pkt->layers[k], sb);
				first = false;
			}
			continue;
		}
		if (!first)
			gn_sb_puts(sb, sep);
		first = false;
		if (it->type == GN_V_PKT)
			pkt_value(it->pkt, sb, repr);
		else if (it->type == GN_V_BYTES && repr == GN_REPR_JSON)
			gn_sb_json_str(sb, (const char *)it->bytes, it->len);
		else if (it->type == GN_V_BYTES)
			gn_sb_pybytes(sb, it->bytes, it->len);
		else if (it->type != GN_V_LIST)
			gn_out_value(l, f, it, sb, repr);
		else
			gn_sb_puts(sb, repr == GN_REPR_JSON ? "null" : "None");
	}
	gn_sb_putc(sb, ']');
}

static void net_value(const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr repr)
{
	if (repr == GN_REPR_JSON) {
		gn_sb_putc(sb, '"');
		gn_addr_text(v, sb);
		gn_sb_putc(sb, '"');
		return;
	}
	gn_sb_puts(sb, v->alen == 16 ? "Net6(\"" : "Net(\"");
	gn_addr_text(v, sb);
	gn_sb_puts(sb, "\")");
}

static void rand_value(const struct gn_field *f, const struct gn_value *v,
		       struct gn_strbuf *sb, enum gn_repr repr)
{
	const char *name = v->u == GN_RAND_FIELD ? rand_field_name(f) : gn_out_rand_name(v->u);

	if (repr == GN_REPR_HUMAN)
		gn_sb_printf(sb, "<%s>", name);
	else if (repr == GN_REPR_EXPR)
		gn_sb_printf(sb, "%s()", name);
	else
		gn_sb_printf(sb, "\"%s()\"", name);
}

void gn_out_value(const struct gn_layer *l, const struct gn_field *f,
		  const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr repr)
{
	switch (v->type) {
	case GN_V_NONE:
		gn_sb_puts(sb, repr == GN_REPR_JSON ? "null" : "None");
		return;
	case GN_V_PKT:
		pkt_value(v->pkt, sb, repr);
		return;
	case GN_V_LIST:
		if (gn_out_holds_packets(f)) {
			pkt_list(l, f, v, sb, repr);
			return;
		}
		break;
	case GN_V_SET:
		/* one packet per item: Scapy shows the list it was given */
		gn_sb_putc(sb, '[');
		for (uint32_t i = 0; i < v->len; i++) {
			if (i)
				gn_sb_puts(sb, repr == GN_REPR_JSON ? "," : ", ");
			gn_out_value(l, f, &v->items[i], sb, repr);
		}
		gn_sb_putc(sb, ']');
		return;
	case GN_V_RANGE:
		if (v->len < 2)
			break;
		if (repr == GN_REPR_JSON) {
			gn_sb_puts(sb, "{\"from\":");
			gn_out_value(l, f, &v->items[0], sb, repr);
			gn_sb_puts(sb, ",\"to\":");
			gn_out_value(l, f, &v->items[1], sb, repr);
			gn_sb_putc(sb, '}');
		} else {
			gn_sb_putc(sb, '(');
			gn_out_value(l, f, &v->items[0], sb, repr);
			gn_sb_puts(sb, ", ");
			gn_out_value(l, f, &v->items[1], sb, repr);
			gn_sb_putc(sb, ')');
		}
		return;
	case GN_V_NET:
		net_value(v, sb, repr);
		return;
	case GN_V_RAND:
		rand_value(f, v, sb, repr);
		return;
	default:
		break;
	}
	f->ops->format(l, f, v, sb, repr);
}

void gn_format_field(const struct gn_layer *l, unsigned i, struct gn_strbuf *sb,
		     enum gn_repr repr)
{
	if (i >= l->proto->nfields)
		return;
	gn_out_value(l, &l->proto->fields[i], gn_layer_get(l, i), sb, repr);
}

/* Scapy's list fields (PacketListField, FieldListField and kin) default to
 * a list; option fields such as TCPOptionsField default to b'' although
 * their value is a list, and are not copied. */
bool gn_out_default_is_mutable(const struct gn_layer *l, unsigned i)
{
	const struct gn_field *f = &l->proto->fields[i];
	const struct gn_value *d = gn_proto_default(l->proto, i);
	const char *kind = f->ops->kind;
	size_t n = kind ? strlen(kind) : 0;

	if (!d)
		return false;
	if (d->type == GN_V_PKT)
		return true;
	return d->type == GN_V_LIST &&
	       (gn_out_holds_packets(f) || (n >= 9 && !strcmp(kind + n - 9, "ListField")));
}

const struct gn_value *gn_out_own_value(const struct gn_layer *l, unsigned i)
{
	if (gn_layer_isset(l, i))
		return &l->vals[i];
	if (gn_out_default_is_mutable(l, i))
		return gn_proto_default(l->proto, i);
	return NULL;
}

/* The value a field shows in repr(): its own (see gn_out_own_value), or
 * what the layer above overloads; other defaults are left out, as Scapy
 * leaves them out. */
static const struct gn_value *repr_value(const struct gn_layer *l, unsigned i)
{
	const struct gn_value *v = gn_out_own_value(l, i);
	const struct gn_layer *up;

	if (v)
		return v;
	up = gn_layer_above(l);
	return up ? gn_bind_overload(l->proto, i, up->proto) : NULL;
}

unsigned gn_out_repr_open(const struct gn_packet *p, unsigned from, struct gn_strbuf *sb)
{
	for (unsigned k = from; k < p->n; k++) {
		const struct gn_layer *l = &p->layers[k];

		gn_sb_printf(sb, "<%s ", l->proto->name);
		for (unsigned i = 0; i < l->proto->nfields; i++) {
			const struct gn_value *v;

			if (!gn_out_present(l, i))
				continue;
			v = repr_value(l, i);
			if (!v || ((v->type == GN_V_LIST || v->type == GN_V_SET) && v->len == 0))
				continue;
			gn_sb_printf(sb, " %s=", l->proto->fields[i].name);
			gn_out_value(l, &l->proto->fields[i], v, sb, GN_REPR_HUMAN);
		}
		gn_sb_puts(sb, " |");
	}
	return from < p->n ? p->n - from : 0;
}

void gn_out_pkt_repr(const struct gn_packet *p, unsigned from, struct gn_strbuf *sb)
{
	for (unsigned k = gn_out_repr_open(p, from, sb); k > 0; k--)
		gn_sb_putc(sb, '>');
}
