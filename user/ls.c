// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scapy 2.5's ls(PROTO): one line per field,
 *   "%-10s : %-35s = (%r)" % (name, kind + " " + extras, repr(default))
 * so the default is the repr of the repr ("('4')", "(\"b''\")"), which is
 * what Scapy 2.5 prints.  Extras are "(Cond)" for conditional fields and
 * " (n bits)" for bit fields.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <gannet/gannet.h>
#include "output_int.h"

/* The integer kinds cover many Scapy classes: the name follows the width,
 * the byte order, the sign and the hex display, as Scapy's class does. */
static const char *int_kind(const struct gn_field *f, bool *bitfield)
{
	bool le = f->flags & GN_FF_LE, x = f->flags & GN_FF_HEX, sg = f->flags & GN_FF_SIGNED;

	*bitfield = false;
	switch (f->bits) {
	case 8:
		return sg ? "SignedByteField" : x ? "XByteField" : "ByteField";
	case 16:
		if (sg)
			return le ? "LESignedShortField" : "SignedShortField";
		if (le)
			return x ? "XLEShortField" : "LEShortField";
		return x ? "XShortField" : "ShortField";
	case 24:
		if (le)
			return x ? "XLE3BytesField" : "LEThreeBytesField";
		return x ? "X3BytesField" : "ThreeBytesField";
	case 32:
		if (sg)
			return le ? "LESignedIntField" : "SignedIntField";
		if (le)
			return x ? "XLEIntField" : "LEIntField";
		return x ? "XIntField" : "IntField";
	case 64:
		if (sg)
			return le ? "LESignedLongField" : "SignedLongField";
		if (le)
			return x ? "XLELongField" : "LELongField";
		return x ? "XLongField" : "LongField";
	default:
		*bitfield = true;
		return x ? "XBitField" : "BitField";
	}
}

static const char *enum_kind(const struct gn_field *f)
{
	bool le = f->flags & GN_FF_LE, x = f->flags & GN_FF_HEX;

	switch (f->bits) {
	case 8:
		return x ? "XByteEnumField" : "ByteEnumField";
	case 16:
		if (le)
			return "LEShortEnumField";
		return x ? "XShortEnumField" : "ShortEnumField";
	case 32:
		if (le)
			return "LEIntEnumField";
		return x ? "XIntEnumField" : "IntEnumField";
	default:
		return "BitEnumField";
	}
}

static const char *kind_name(const struct gn_field *f, bool *bitfield)
{
	*bitfield = false;
	if (f->ops == &gn_kind_uint)
		return int_kind(f, bitfield);
	if (f->ops == &gn_kind_enum)
		return enum_kind(f);
	return f->ops->kind ? f->ops->kind : "Field";
}

/* Python's repr() of the default value (l: a fresh layer of the class, for
 * the format ops that look at their layer). */
static void default_repr(const struct gn_layer *l, unsigned i, struct gn_strbuf *sb)
{
	const struct gn_field *f = &l->proto->fields[i];
	const struct gn_value *v = gn_proto_default(l->proto, i);

	if (!v || v->type == GN_V_NONE) {
		gn_sb_puts(sb, "None");
	} else if (f->ops == &gn_kind_flags && v->type == GN_V_INT) {
		gn_sb_printf(sb, "<Flag %" PRIu64 " (", v->u);
		gn_out_value(l, f, v, sb, GN_REPR_HUMAN);
		gn_sb_puts(sb, ")>");
	} else if (v->type == GN_V_PKT || (v->type == GN_V_LIST && gn_out_holds_packets(f))) {
		gn_out_value(l, f, v, sb, GN_REPR_HUMAN);
	} else {
		gn_out_value(l, f, v, sb, GN_REPR_EXPR);
	}
}

void gn_ls(const struct gn_proto *proto, struct gn_strbuf *sb)
{
	struct gn_packet *p = gn_packet_new();
	struct gn_layer *l = p ? gn_packet_push(p, proto) : NULL;
	struct gn_strbuf tmp;

	if (!l) {
		sb->err = -ENOMEM;
		gn_packet_free(p);
		return;
	}
	gn_sb_init(&tmp);
	for (unsigned i = 0; i < proto->nfields; i++) {
		const struct gn_field *f = &proto->fields[i];
		bool bitfield;
		const char *kind = kind_name(f, &bitfield);

		gn_sb_reset(&tmp);
		gn_sb_printf(&tmp, "%s %s", kind, f->present ? "(Cond)" : "");
		if (bitfield)
			gn_sb_printf(&tmp, " (%u bit%s)", f->bits, f->bits > 1 ? "s" : "");
		gn_sb_printf(sb, "%-10s : %-35s = (", f->name, tmp.s ? tmp.s : "");
		gn_sb_reset(&tmp);
		default_repr(l, i, &tmp);
		gn_out_pystr(sb, tmp.s ? tmp.s : "", tmp.len);
		gn_sb_puts(sb, ")\n");
	}
	if (tmp.err)
		sb->err = tmp.err;
	gn_sb_free(&tmp);
	gn_packet_free(p);
}
