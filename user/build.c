// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Building: every layer's fields in order (bit fields packed MSB first),
 * then the post-build hooks from the innermost layer outwards, as Scapy's
 * do_build runs post_build after the payload is built.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/gannet.h>
#include "engine.h"

/* ---- write buffer ------------------------------------------------------ */

int gn_wbuf_reserve(struct gn_wbuf *w, size_t extra)
{
	size_t want = w->len + extra;
	uint8_t *p;
	size_t cap;

	if (w->err)
		return w->err;
	if (want <= w->cap)
		return 0;
	if (w->fixed)
		return w->err = -ENOSPC;
	cap = w->cap ? 2 * w->cap : 256;
	while (cap < want)
		cap *= 2;
	p = realloc(w->p, cap);
	if (!p)
		return w->err = -ENOMEM;
	memset(p + w->cap, 0, cap - w->cap);
	w->p = p;
	w->cap = cap;
	return 0;
}

/* A byte-aligned write after bit fields starts on the next byte. */
static void align(struct gn_wbuf *w)
{
	if (w->bit) {
		w->len++;
		w->bit = 0;
	}
}

void gn_wbuf_put(struct gn_wbuf *w, const void *data, size_t n)
{
	align(w);
	if (gn_wbuf_reserve(w, n))
		return;
	if (n)
		memcpy(w->p + w->len, data, n);
	w->len += n;
}

void gn_wbuf_put_uint(struct gn_wbuf *w, uint64_t v, unsigned nbytes, bool little_endian)
{
	align(w);
	if (gn_wbuf_reserve(w, nbytes))
		return;
	for (unsigned i = 0; i < nbytes; i++) {
		unsigned shift = little_endian ? 8 * i : 8 * (nbytes - 1 - i);

		w->p[w->len + i] = (uint8_t)(v >> shift);
	}
	w->len += nbytes;
}

void gn_wbuf_put_bits(struct gn_wbuf *w, uint64_t v, unsigned nbits)
{
	if (gn_wbuf_reserve(w, (nbits + 7) / 8 + 1))
		return;
	/* fill the current byte from its high bits down, a chunk at a time */
	while (nbits) {
		unsigned room = 8 - w->bit;
		unsigned take = nbits < room ? nbits : room;
		uint8_t chunk = (uint8_t)((v >> (nbits - take)) & ((1u << take) - 1));

		if (w->bit == 0)
			w->p[w->len] = 0;
		w->p[w->len] |= (uint8_t)(chunk << (room - take));
		w->bit += take;
		nbits -= take;
		if (w->bit == 8) {
			w->bit = 0;
			w->len++;
		}
	}
}

/* ---- layers ------------------------------------------------------------ */

static int build_fields(struct gn_build_ctx *c, const struct gn_layer *l)
{
	const struct gn_proto *p = l->proto;

	for (unsigned i = 0; i < p->nfields; i++) {
		const struct gn_field *f = &p->fields[i];
		const struct gn_value *v;
		int err;

		if (f->present && !f->present(l))
			continue;
		v = gn_layer_get(l, i);
		if (gn_value_is_generator(v))
			return -EINVAL; /* a template: expand it first */
		err = f->ops->build(c, l, f, v);
		if (err)
			return err;
		if (c->w.err)
			return c->w.err;
	}
	align(&c->w);
	return c->w.err;
}

/* Builds layers [0, n) of pkt at the write cursor, post-build included. */
static int build_layers(struct gn_build_ctx *c, const struct gn_packet *pkt)
{
	size_t small[16];
	size_t *starts = small;
	size_t saved_start = c->layer_start;
	int err = 0;

	if (pkt->n + 1 > 16) {
		starts = malloc((pkt->n + 1) * sizeof(*starts));
		if (!starts)
			return -ENOMEM;
	}
	align(&c->w);
	for (unsigned i = 0; i < pkt->n && !err; i++) {
		starts[i] = c->w.len;
		c->layer_start = c->w.len;
		err = build_fields(c, &pkt->layers[i]);
	}
	starts[pkt->n] = c->w.len;
	for (unsigned i = pkt->n; i-- > 0 && !err;) {
		const struct gn_layer *l = &pkt->layers[i];

		if (l->proto->post_build) {
			c->layer_start = starts[i];
			err = l->proto->post_build(c, l, c->w.p + starts[i],
						   starts[i + 1] - starts[i],
						   c->w.len - starts[i]);
		}
	}
	if (starts != small)
		free(starts);
	c->layer_start = saved_start;
	return err ? err : c->w.err;
}

int gn_build_sub(struct gn_build_ctx *c, const struct gn_packet *sub)
{
	return build_layers(c, sub);
}

static int build_with(const struct gn_packet *p, struct gn_wbuf *w)
{
	struct gn_build_ctx c = { .pkt = p };
	int err;

	c.w = *w;
	c.scratch = gn_arena_new(1024);
	if (!c.scratch)
		return -ENOMEM;
	err = build_layers(&c, p);
	gn_arena_free(c.scratch);
	*w = c.w;
	return err;
}

int gn_build_into(const struct gn_packet *p, uint8_t *buf, size_t cap, size_t *len)
{
	struct gn_wbuf w = { .p = buf, .cap = cap, .fixed = true };
	int err;

	err = build_with(p, &w);
	if (!err && w.len > cap)
		err = -ENOSPC;
	if (!err)
		*len = w.len;
	return err;
}

int gn_build(const struct gn_packet *p, struct gn_arena *a, uint8_t **out, size_t *len)
{
	struct gn_wbuf w = { 0 };
	int err = build_with(p, &w);

	if (!err) {
		*out = gn_arena_memdup(a, w.p, w.len);
		*len = w.len;
		if (!*out)
			err = -ENOMEM;
	}
	free(w.p);
	return err;
}

long gn_field_wire_len(const struct gn_layer *l, unsigned i)
{
	const struct gn_field *f = &l->proto->fields[i];
	const struct gn_value *v = gn_layer_get(l, i);
	struct gn_build_ctx c = { .pkt = l->pkt };
	long len;
	int err;

	if (f->present && !f->present(l))
		return 0;
	if (f->ops->wire_len)
		return (long)f->ops->wire_len(l, f, v);
	/* anything else: build it on the side and count */
	err = f->ops->build(&c, l, f, v);
	align(&c.w);
	len = err ? err : (c.w.err ? c.w.err : (long)c.w.len);
	free(c.w.p);
	return len;
}
