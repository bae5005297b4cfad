/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Field descriptors: a protocol is an array of these, as short as Scapy's
 * fields_desc.  A field's kind is a table of operations (struct gn_field_ops):
 * the built-in kinds below cover Scapy's, and a protocol may bring its own
 * (TCP options, DHCP options) without touching the engine.
 */
#ifndef GANNET_FIELD_H
#define GANNET_FIELD_H

#include <gannet/core.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_layer;
struct gn_field;
struct gn_ast;
struct gn_proto;

/* Where a field is being written: a growable buffer with a bit cursor so
 * that bit fields of any width pack MSB first, as Scapy's BitField does. */
struct gn_wbuf {
	uint8_t *p;
	size_t len;
	size_t cap;
	unsigned bit;        /* bits already used in p[len] (0 = byte aligned) */
	int err;             /* sticky: -ENOMEM, or -ENOSPC for a fixed buffer */
	bool fixed;          /* p is the caller's buffer: never reallocated */
};

int gn_wbuf_reserve(struct gn_wbuf *w, size_t extra);
void gn_wbuf_put(struct gn_wbuf *w, const void *data, size_t n);
void gn_wbuf_put_uint(struct gn_wbuf *w, uint64_t v, unsigned nbytes, bool little_endian);
void gn_wbuf_put_bits(struct gn_wbuf *w, uint64_t v, unsigned nbits);

struct gn_build_ctx {
	struct gn_wbuf w;
	const struct gn_packet *pkt;  /* the packet being built */
	struct gn_arena *scratch;     /* temporary memory for this build */
	size_t layer_start;           /* offset of the current layer in w */
	/* DNS name compression: names written so far, for back-references */
	struct gn_dns_names *dns_names;
	size_t dns_base;              /* offset compression pointers count from */
};

/* Where a field is being read from. Every read is checked against len. */
struct gn_dissect_ctx {
	const uint8_t *p;     /* the current layer's bytes */
	size_t len;           /* bytes available to the current layer */
	size_t off;           /* read cursor, bytes */
	unsigned bit;         /* read cursor, bits within p[off] */
	const uint8_t *msg;   /* start of the message DNS pointers count from */
	size_t msg_len;
	struct gn_arena *arena;
	struct gn_packet *pkt;  /* packet under construction */
	unsigned depth;         /* nesting depth of sub-packets, bounded */
};

int gn_rd_bits(struct gn_dissect_ctx *c, unsigned nbits, uint64_t *out);
int gn_rd_uint(struct gn_dissect_ctx *c, unsigned nbytes, bool little_endian, uint64_t *out);
int gn_rd_bytes(struct gn_dissect_ctx *c, size_t n, const uint8_t **out);

/* How a value is to be written as text. */
enum gn_repr {
	GN_REPR_HUMAN, /* show(): enum names, flag letters, dotted addresses */
	GN_REPR_EXPR,  /* command(): a literal the expression language reads back */
	GN_REPR_JSON,  /* JSON: integers as numbers, flags as integers, bytes as hex */
};

struct gn_field_ops {
	const char *kind;  /* Scapy's class name for `ls`: "ByteField", "IPField" */
	/* Read the field at c's cursor into *out (allocations from c->arena). */
	int (*dissect)(struct gn_dissect_ctx *c, struct gn_layer *l,
		       const struct gn_field *f, struct gn_value *out);
	/* Write v (the effective value; GN_V_NONE means compute it). */
	int (*build)(struct gn_build_ctx *c, const struct gn_layer *l,
		     const struct gn_field *f, const struct gn_value *v);
	/* Turn an expression-language value into a field value (allocations
	 * from arena).  Generators (lists, ranges, networks, Rand*) are handled
	 * by the caller for scalar kinds; list kinds get the whole list. */
	int (*assign)(struct gn_arena *a, const struct gn_field *f,
		      const struct gn_ast *ast, struct gn_value *out, struct gn_error *err);
	/* Append v as text. */
	void (*format)(const struct gn_layer *l, const struct gn_field *f,
		       const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr repr);
	/* Number of bytes the value takes on the wire (for length fields that
	 * measure it); NULL means "build it and count". */
	size_t (*wire_len)(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v);
	bool is_list;      /* a tuple or list is the value itself, not a set */
	bool is_scalar;    /* ranges, sets, networks and Rand* apply */
};

/* One name of an enum: value <-> name.  Arrays end with name == NULL. */
struct gn_enum {
	uint64_t value;
	const char *name;
};

/* Field flags */
#define GN_FF_LE      0x01  /* little-endian integer */
#define GN_FF_AUTO    0x02  /* default None: computed when building (lengths, checksums) */
#define GN_FF_SIGNED  0x04
#define GN_FF_HEX     0x08  /* shown in hex (XByteField, XShortField) */
#define GN_FF_COUNT   0x10  /* a link field that counts items rather than bytes */

struct gn_field {
	const char *name;
	const struct gn_field_ops *ops;
	uint8_t bits;          /* integer width in bits, 1..64 */
	uint8_t flags;         /* GN_FF_* */
	int8_t link;           /* index of the linked field (length <-> data), -1 if none */
	int8_t adjust;         /* length field = measured length + adjust */
	uint16_t size;         /* fixed byte length (StrFixedLenField) */
	uint64_t dflt;         /* default integer */
	const char *dflt_str;  /* default in human form for addresses and strings */
	const struct gn_enum *names;  /* enum names (NULL-terminated) */
	const char *letters;   /* flag letters, bit 0 first ("FSRPAUEC") */
	/* Conditional field: absent from the wire when this returns false. */
	bool (*present)(const struct gn_layer *l);
	const struct gn_proto *elem;  /* element class of a packet list */
	/* Length in bytes decided by something other than a link field
	 * (e.g. TCP options: dataofs*4 - 20); -1 = not decided, use the link. */
	long (*length_from)(const struct gn_layer *l, size_t avail);
	const void *extra;     /* kind-specific data */
};

/* The built-in kinds. */
extern const struct gn_field_ops gn_kind_uint;     /* ByteField .. LongField, BitField */
extern const struct gn_field_ops gn_kind_enum;     /* ByteEnumField, ShortEnumField, BitEnumField */
extern const struct gn_field_ops gn_kind_flags;    /* FlagsField */
extern const struct gn_field_ops gn_kind_mac;      /* MACField */
extern const struct gn_field_ops gn_kind_ipv4;     /* IPField */
extern const struct gn_field_ops gn_kind_ipv6;     /* IP6Field */
extern const struct gn_field_ops gn_kind_fixbytes; /* StrFixedLenField (size bytes) */
extern const struct gn_field_ops gn_kind_lenbytes; /* StrLenField: length from link/length_from */
extern const struct gn_field_ops gn_kind_rest;     /* StrField: the rest of the layer */
extern const struct gn_field_ops gn_kind_strz;     /* StrNullField */
extern const struct gn_field_ops gn_kind_lenfield; /* FieldLenField: measures link (bytes or items) */
extern const struct gn_field_ops gn_kind_pktlist;  /* PacketListField of elem, bounded by link/length_from */
extern const struct gn_field_ops gn_kind_dnsname;  /* DNSStrField with compression */

/* Designated-initialiser helpers, so a protocol reads like Scapy's fields_desc. */
#define GN_FIELD_L_(nm, kind_, nbits, lnk, ...) \
	{ .name = (nm), .ops = &(kind_), .bits = (nbits), .link = (lnk), __VA_ARGS__ }
#define GN_FIELD_(nm, kind_, nbits, ...) GN_FIELD_L_(nm, kind_, nbits, -1, __VA_ARGS__)
#define GN_BITS(nm, nbits, d)        GN_FIELD_(nm, gn_kind_uint, nbits, .dflt = (d))
#define GN_XBITS(nm, nbits, d)       GN_FIELD_(nm, gn_kind_uint, nbits, .dflt = (d), .flags = GN_FF_HEX)
#define GN_BYTE(nm, d)               GN_BITS(nm, 8, d)
#define GN_XBYTE(nm, d)              GN_XBITS(nm, 8, d)
#define GN_SHORT(nm, d)              GN_BITS(nm, 16, d)
#define GN_XSHORT(nm, d)             GN_XBITS(nm, 16, d)
#define GN_INT(nm, d)                GN_BITS(nm, 32, d)
#define GN_XINT(nm, d)               GN_XBITS(nm, 32, d)
#define GN_LONG(nm, d)               GN_BITS(nm, 64, d)
#define GN_LESHORT(nm, d)            GN_FIELD_(nm, gn_kind_uint, 16, .dflt = (d), .flags = GN_FF_LE)
#define GN_AUTO(nm, nbits)           GN_FIELD_(nm, gn_kind_uint, nbits, .flags = GN_FF_AUTO)
#define GN_XAUTO(nm, nbits)          GN_FIELD_(nm, gn_kind_uint, nbits, .flags = GN_FF_AUTO | GN_FF_HEX)
#define GN_ENUM(nm, nbits, d, tbl)   GN_FIELD_(nm, gn_kind_enum, nbits, .dflt = (d), .names = (tbl))
#define GN_ENUM_DYN(nm, nbits, d, res) GN_FIELD_(nm, gn_kind_enum, nbits, .dflt = (d), .extra = (res))
#define GN_FLAGS(nm, nbits, d, ltr)  GN_FIELD_(nm, gn_kind_flags, nbits, .dflt = (d), .letters = (ltr))
#define GN_MAC(nm, d)                GN_FIELD_(nm, gn_kind_mac, 48, .dflt_str = (d))
#define GN_IPV4(nm, d)               GN_FIELD_(nm, gn_kind_ipv4, 32, .dflt_str = (d))
#define GN_IPV6(nm, d)               GN_FIELD_(nm, gn_kind_ipv6, 128, .dflt_str = (d))
#define GN_FIXBYTES(nm, sz, d)       GN_FIELD_(nm, gn_kind_fixbytes, 0, .size = (sz), .dflt_str = (d))
#define GN_REST(nm, d)               GN_FIELD_(nm, gn_kind_rest, 0, .dflt_str = (d))
#define GN_STRZ(nm, d)               GN_FIELD_(nm, gn_kind_strz, 0, .dflt_str = (d))
/* a length/count field of nbits that measures field index `of` */
#define GN_LENFIELD(nm, nbits, of)   GN_FIELD_L_(nm, gn_kind_lenfield, nbits, of, .flags = GN_FF_AUTO)
#define GN_COUNTFIELD(nm, nbits, of) GN_FIELD_L_(nm, gn_kind_lenfield, nbits, of, .flags = GN_FF_AUTO | GN_FF_COUNT)
/* bytes whose length is in field index `by` */
#define GN_LENBYTES(nm, by, d)       GN_FIELD_L_(nm, gn_kind_lenbytes, 0, by, .dflt_str = (d))
#define GN_PKTLIST(nm, cls, by)      GN_FIELD_L_(nm, gn_kind_pktlist, 0, by, .elem = (cls))

/* Names that are not a fixed table (TCP/UDP ports from /etc/services, as
 * Scapy loads them): put one of these in .extra of a gn_kind_enum field
 * whose .names is NULL. */
struct gn_enum_resolver {
	const char *(*name)(uint64_t value);
	int (*value)(const char *name, size_t n, uint64_t *out);
};

/* Enum lookups shared by every kind that shows names. */
const char *gn_enum_name(const struct gn_enum *tbl, uint64_t value);
int gn_enum_value(const struct gn_enum *tbl, const char *name, size_t n, uint64_t *out);

/* The integer a field holds in layer l (effective value); 0 when not an integer. */
uint64_t gn_field_uint(const struct gn_layer *l, unsigned field_index);

#ifdef __cplusplus
}
#endif
#endif
