/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The packet model: a packet is a stack of layers; a layer is a protocol and
 * its field values.  A field is set explicitly, overloaded by the layer above
 * (through the bindings), or at its default.
 */
#ifndef GANNET_PACKET_H
#define GANNET_PACKET_H

#include <gannet/proto.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GN_FS_SET  0x01  /* the user gave this field a value (None included) */
#define GN_FS_FUZZ 0x02  /* fuzz(): a random default, below overloads as in Scapy */

struct gn_layer {
	const struct gn_proto *proto;
	struct gn_packet *pkt;  /* the packet that holds this layer */
	unsigned index;         /* position in pkt->layers */
	struct gn_value *vals;  /* proto->nfields values; meaningful where set */
	uint8_t *state;         /* proto->nfields GN_FS_* */
	uint32_t off;           /* dissected: offset of the layer in the frame */
	uint32_t hdr_len;       /* dissected: bytes its fields took */
	const void *info;       /* the registry's record of proto (private) */
};

/* Frame metadata carried by a received or read packet. */
struct gn_meta {
	int64_t ts_ns;      /* capture time, ns since the epoch; 0 = none */
	uint32_t wire_len;  /* length on the wire */
	uint32_t cap_len;   /* bytes captured */
	int ifindex;
	int linktype;       /* DLT_* */
};

struct gn_packet {
	struct gn_arena *arena;
	struct gn_layer *layers;
	unsigned n;
	unsigned cap;
	bool owns_arena;
	struct gn_meta meta;
	unsigned match_flags;   /* GN_MATCH_*: how sr matches this packet */
};

/* Scapy's conf.checkIPaddr = False: IP and IPv6 neither hash nor compare
 * their addresses, so a reply from anyone to anyone (a DHCP offer to a
 * broadcast discover) can answer.  Set on the probes and the replies;
 * copies keep it, gn_packet_reset does not clear it. */
#define GN_MATCH_NO_IPADDR 0x01u

/* A packet with its own arena. */
struct gn_packet *gn_packet_new(void);
void gn_packet_free(struct gn_packet *p);
/* Drop every layer and reset the arena (for reuse in a receive loop). */
void gn_packet_reset(struct gn_packet *p);
/* A nested packet living in parent's arena (sub-packets of list fields). */
struct gn_packet *gn_packet_new_in(struct gn_arena *a);

/* Append a layer of proto with every field at its default (Scapy's "/"). */
struct gn_layer *gn_packet_push(struct gn_packet *p, const struct gn_proto *proto);
/* A new layer at position at (0: under all the others), the layers from
 * at up moving one place higher; NULL when at > p->n or out of memory.
 * Pointers to p's layers taken before are stale afterwards. */
struct gn_layer *gn_packet_insert(struct gn_packet *p, unsigned at, const struct gn_proto *proto);
/* Remove layer at, the layers above it moving one place lower (the inverse
 * of gn_packet_insert; its values stay in the arena until it is reset).
 * -EINVAL when at >= p->n.  Pointers to p's layers taken before are stale
 * afterwards. */
int gn_packet_remove(struct gn_packet *p, unsigned at);
/* Append a layer of proto (Raw, Padding: a class whose first field is a
 * byte string) holding a copy of data[len]. */
struct gn_layer *gn_packet_push_bytes(struct gn_packet *p, const struct gn_proto *proto,
				      const uint8_t *data, size_t len);
/* dst / src: append deep copies of src's layers. */
int gn_packet_append(struct gn_packet *dst, const struct gn_packet *src);
/* The same from src's layer first up (a packet without its link layer). */
int gn_packet_append_from(struct gn_packet *dst, const struct gn_packet *src, unsigned first);
struct gn_packet *gn_packet_copy(const struct gn_packet *p);
/* Copy p into arena a (for nested packets). */
struct gn_packet *gn_packet_copy_in(struct gn_arena *a, const struct gn_packet *p);
/* Remove layer i and everything above it. */
void gn_packet_truncate(struct gn_packet *p, unsigned i);

/* The nth (0-based) layer of class proto, or NULL: p[TCP], p[IP:2]. */
struct gn_layer *gn_packet_layer(const struct gn_packet *p, const struct gn_proto *proto,
				 unsigned nth);
struct gn_layer *gn_packet_layer_by_name(const struct gn_packet *p, const char *name,
					 unsigned nth);
bool gn_packet_haslayer(const struct gn_packet *p, const struct gn_proto *proto);
static inline struct gn_layer *gn_layer_above(const struct gn_layer *l)
{
	return l->index + 1 < l->pkt->n ? &l->pkt->layers[l->index + 1] : NULL;
}
static inline struct gn_layer *gn_layer_below(const struct gn_layer *l)
{
	return l->index > 0 ? &l->pkt->layers[l->index - 1] : NULL;
}

int gn_layer_field_index(const struct gn_layer *l, const char *name);
/* The effective value of field i: set, else overloaded by the layer above,
 * else the default. */
const struct gn_value *gn_layer_get(const struct gn_layer *l, unsigned i);
bool gn_layer_isset(const struct gn_layer *l, unsigned i);
/* Set field i to a deep copy of v. */
int gn_layer_set(struct gn_layer *l, unsigned i, const struct gn_value *v);
int gn_layer_set_uint(struct gn_layer *l, const char *field, uint64_t v);
/* Set a field from expression-language text: "10.0.0.1", "SA", "[80,443]". */
int gn_layer_set_expr(struct gn_layer *l, const char *field, const char *text,
		      struct gn_error *err);
/* Scapy's `del p.field`: back to the default (or the overload). */
void gn_layer_unset(struct gn_layer *l, unsigned i);

/* ---- build and dissect ---------------------------------------------- */

/* Build p into a fresh buffer from arena a. */
int gn_build(const struct gn_packet *p, struct gn_arena *a, uint8_t **out, size_t *len);
/* Build p into buf[cap]; -ENOSPC when it does not fit. */
int gn_build_into(const struct gn_packet *p, uint8_t *buf, size_t cap, size_t *len);

/* Dissect data[len] as `first` (and whatever it carries) into out, which is
 * reset first.  Never fails on bad data: what cannot be read becomes Raw. */
int gn_dissect(struct gn_packet *out, const struct gn_proto *first,
	       const uint8_t *data, size_t len);
/* The class of the first layer for a pcap link type (DLT_*), or NULL. */
const struct gn_proto *gn_proto_for_linktype(int linktype, const uint8_t *data, size_t len);

/* Dissect a sub-packet of class cls from the cursor of c (for list fields);
 * *consumed tells how many bytes it took. */
int gn_dissect_sub(struct gn_dissect_ctx *c, const struct gn_proto *cls,
		   const uint8_t *p, size_t len, struct gn_packet **out, size_t *consumed);
/* Build a sub-packet into c's buffer (for list fields). */
int gn_build_sub(struct gn_build_ctx *c, const struct gn_packet *sub);

/* Built then re-dissected (Scapy's show2 view): a new packet. */
struct gn_packet *gn_packet_rebuild(const struct gn_packet *p);

/* IPv4 fragmentation: split p (holding an IP layer) into fragments whose IP
 * payload is at most fragsize bytes (rounded down to a multiple of 8). */
int gn_fragment(const struct gn_packet *p, size_t fragsize,
		struct gn_packet ***frags, size_t *nfrags);

#ifdef __cplusplus
}
#endif
#endif
