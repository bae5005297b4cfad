// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dissection: bytes -> layers.  Each layer reads its fields with bounds
 * checks; the payload class comes from the layer's hook, then the bindings,
 * then Raw; bytes a layer says are not its payload become Padding (Scapy's
 * extract_padding).  Nothing is dropped: bytes a layer could not read are
 * kept as Raw.
 */
#include <errno.h>
#include <string.h>

#include <gannet/gannet.h>
#include "protos.h"

#define MAX_LAYERS 64      /* deeper stacks end in Raw */
#define MAX_SUB_DEPTH 8    /* sub-packets inside sub-packets */

/* ---- bounded reads ------------------------------------------------------ */

int gn_rd_bits(struct gn_dissect_ctx *c, unsigned nbits, uint64_t *out)
{
	uint64_t v = 0;

	if (nbits > 64 || c->off > c->len || c->off * 8 + c->bit + nbits > c->len * 8)
		return -EMSGSIZE;
	while (nbits) {
		unsigned room = 8 - c->bit;
		unsigned take = nbits < room ? nbits : room;

		v = (v << take) | ((c->p[c->off] >> (room - take)) & ((1u << take) - 1));
		c->bit += take;
		nbits -= take;
		if (c->bit == 8) {
			c->bit = 0;
			c->off++;
		}
	}
	*out = v;
	return 0;
}

static void rd_align(struct gn_dissect_ctx *c)
{
	if (c->bit) {
		c->bit = 0;
		c->off++;
	}
}

int gn_rd_uint(struct gn_dissect_ctx *c, unsigned nbytes, bool little_endian, uint64_t *out)
{
	uint64_t v = 0;

	rd_align(c);
	if (nbytes > 8 || c->off > c->len || c->len - c->off < nbytes)
		return -EMSGSIZE;
	if (!little_endian && nbytes == 2) {
		*out = (uint64_t)c->p[c->off] << 8 | c->p[c->off + 1];
		c->off += 2;
		return 0;
	}
	for (unsigned i = 0; i < nbytes; i++) {
		unsigned shift = little_endian ? 8 * i : 8 * (nbytes - 1 - i);

		v |= (uint64_t)c->p[c->off + i] << shift;
	}
	c->off += nbytes;
	*out = v;
	return 0;
}

int gn_rd_bytes(struct gn_dissect_ctx *c, size_t n, const uint8_t **out)
{
	rd_align(c);
	if (c->off > c->len || c->len - c->off < n)
		return -EMSGSIZE;
	*out = c->p + c->off;
	c->off += n;
	return 0;
}

/* ---- layers ------------------------------------------------------------ */

struct chain {
	struct gn_packet *pkt;
	const uint8_t *frame;   /* for layer offsets */
	const uint8_t *msg;
	size_t msg_len;
	unsigned depth;
};

static int push_bytes_layer(struct gn_packet *pkt, const struct gn_proto *cls,
			    const uint8_t *p, size_t len, const uint8_t *frame)
{
	struct gn_layer *l = gn_packet_push_bytes(pkt, cls, p, len);

	if (!l)
		return -ENOMEM;
	l->off = (uint32_t)(p - frame);
	return 0;
}

/* Reads the fields of one layer; returns the header length, or -EMSGSIZE
 * (with *hdr_len = bytes read) when the data ran out. */
static int read_fields(struct chain *ch, struct gn_layer *l, const uint8_t *p, size_t len,
		       size_t *hdr_len, bool *at_boundary)
{
	struct gn_dissect_ctx c = {
		.p = p, .len = len, .msg = ch->msg, .msg_len = ch->msg_len,
		.arena = ch->pkt->arena, .pkt = ch->pkt, .depth = ch->depth,
	};
	const struct gn_proto *proto = l->proto;
	int err = 0;

	for (unsigned i = 0; i < proto->nfields; i++) {
		const struct gn_field *f = &proto->fields[i];
		size_t off = c.off;
		unsigned bit = c.bit;

		if (f->present && !f->present(l))
			continue;
		err = f->ops->dissect(&c, l, f, &l->vals[i]);
		if (err) {
			c.off = off;
			c.bit = bit;
			break;
		}
		l->state[i] = GN_FS_SET;
	}
	if (!err && proto->post_dissect)
		err = proto->post_dissect(&c, l);
	*at_boundary = c.bit == 0 && c.off == len;
	rd_align(&c);
	*hdr_len = c.off;
	return err;
}

static const struct gn_proto *payload_class(const struct gn_layer *l, const uint8_t *p,
					    size_t len)
{
	const struct gn_proto *cls = NULL;

	if (l->proto == &gn_proto_raw || l->proto == &gn_proto_padding)
		return NULL;
	if (l->proto->guess_payload)
		cls = l->proto->guess_payload(l, p, len);
	if (!cls)
		cls = gn_bind_guess(l);
	return cls ? cls : &gn_proto_raw;
}

/*
 * Dissects p[len] as cls and its payloads.  When `element` is set (a
 * sub-packet of a list field) trailing padding is not turned into a layer
 * but reported through *consumed, as Scapy's PacketListField does.
 */
static int dissect_chain(struct chain *ch, const struct gn_proto *cls, const uint8_t *p,
			 size_t len, bool element, size_t *consumed)
{
	struct gn_layer *l;
	size_t hdr_len = 0, avail, paylen;
	bool at_boundary = false;
	unsigned idx;
	int err;

	if (consumed)
		*consumed = len;
	if (len == 0 && !element)
		return 0;
	if (ch->pkt->n >= MAX_LAYERS)
		return push_bytes_layer(ch->pkt, &gn_proto_raw, p, len, ch->frame);
	l = gn_packet_push(ch->pkt, cls);
	if (!l)
		return -ENOMEM;
	idx = l->index;
	l->off = (uint32_t)(p - ch->frame);
	err = read_fields(ch, l, p, len, &hdr_len, &at_boundary);
	l = &ch->pkt->layers[idx]; /* sub-packets may have grown the array */
	l->hdr_len = (uint32_t)hdr_len;
	if (err == -ENOMEM)
		return err;
	if (err) {
		/*
		 * Short data, as Scapy treats it: bytes that end on a field
		 * boundary leave a shorter layer (later fields at their
		 * defaults); a field cut in the middle makes the whole payload
		 * layer Raw.  The first layer has nothing to fall back to, so it
		 * keeps what it read and the rest becomes Raw.
		 */
		if (at_boundary)
			return 0;
		if (idx > 0 && !element) {
			gn_packet_truncate(ch->pkt, idx);
			return push_bytes_layer(ch->pkt, &gn_proto_raw, p, len, ch->frame);
		}
		return push_bytes_layer(ch->pkt, &gn_proto_raw, p + hdr_len, len - hdr_len,
					ch->frame);
	}
	avail = len - hdr_len;
	paylen = avail;
	if (l->proto->payload_len) {
		paylen = l->proto->payload_len(l, avail);
		if (paylen > avail)
			paylen = avail;
	}
	if (paylen) {
		const struct gn_proto *next = payload_class(l, p + hdr_len, paylen);

		if (next) {
			err = dissect_chain(ch, next, p + hdr_len, paylen, false, NULL);
			if (err)
				return err;
		} else {
			paylen = 0; /* Raw/Padding: fields took everything */
		}
	}
	if (element) {
		if (consumed)
			*consumed = hdr_len + paylen;
		return 0;
	}
	if (avail > paylen)
		return push_bytes_layer(ch->pkt, &gn_proto_padding, p + hdr_len + paylen,
					avail - paylen, ch->frame);
	return 0;
}

int gn_dissect(struct gn_packet *out, const struct gn_proto *first, const uint8_t *data,
	       size_t len)
{
	struct chain ch = { .pkt = out, .frame = data, .msg = data, .msg_len = len };

	gn_packet_reset(out);
	out->meta.cap_len = (uint32_t)len;
	if (!out->meta.wire_len)
		out->meta.wire_len = (uint32_t)len;
	return dissect_chain(&ch, first ? first : &gn_proto_raw, data, len, false, NULL);
}

int gn_dissect_sub(struct gn_dissect_ctx *c, const struct gn_proto *cls, const uint8_t *p,
		   size_t len, struct gn_packet **out, size_t *consumed)
{
	struct chain ch = {
		.frame = p, .msg = c->msg ? c->msg : p, .msg_len = c->msg ? c->msg_len : len,
		.depth = c->depth + 1,
	};
	int err;

	if (ch.depth > MAX_SUB_DEPTH)
		return -ELOOP;
	ch.pkt = gn_packet_new_in(c->arena);
	if (!ch.pkt)
		return -ENOMEM;
	if (cls->dispatch) {
		const struct gn_proto *d = cls->dispatch(p, len);

		if (d)
			cls = d;
	}
	err = dissect_chain(&ch, cls, p, len, true, consumed);
	if (err)
		return err;
	*out = ch.pkt;
	return 0;
}

struct gn_packet *gn_packet_rebuild(const struct gn_packet *p)
{
	struct gn_arena *tmp;
	struct gn_packet *out;
	uint8_t *bytes;
	size_t len;

	if (!p->n)
		return gn_packet_new();
	out = gn_packet_new();
	tmp = gn_arena_new(2048);
	if (!out || !tmp || gn_build(p, tmp, &bytes, &len) ||
	    gn_dissect(out, p->layers[0].proto, bytes, len)) {
		gn_packet_free(out);
		out = NULL;
	}
	gn_arena_free(tmp);
	return out;
}
