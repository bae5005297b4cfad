// SPDX-License-Identifier: LGPL-2.1-or-later
/* The packet model: layers, field values, set/overloaded/default. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/gannet.h>
#include "registry.h"
#include "engine.h"

/* A packet's first chunk; the arena grows geometrically from there. */
#define PACKET_ARENA_CHUNK 1024

struct gn_packet *gn_packet_new_in(struct gn_arena *a)
{
	struct gn_packet *p = gn_arena_alloc(a, sizeof(*p));

	if (p)
		p->arena = a;
	return p;
}

struct gn_packet *gn_packet_new(void)
{
	struct gn_packet *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->arena = gn_arena_new(PACKET_ARENA_CHUNK);
	if (!p->arena) {
		free(p);
		return NULL;
	}
	p->owns_arena = true;
	return p;
}

void gn_packet_free(struct gn_packet *p)
{
	if (!p || !p->owns_arena)
		return;
	gn_arena_free(p->arena);
	free(p);
}

void gn_packet_reset(struct gn_packet *p)
{
	p->layers = NULL;
	p->n = 0;
	p->cap = 0;
	memset(&p->meta, 0, sizeof(p->meta));
	if (p->owns_arena)
		gn_arena_reset(p->arena);
}

static int ensure_cap(struct gn_packet *p, unsigned want)
{
	struct gn_layer *nl;
	unsigned cap;

	if (want <= p->cap)
		return 0;
	cap = p->cap ? 2 * p->cap : 4;  /* most packets have at most four layers */
	while (cap < want)
		cap *= 2;
	nl = gn_arena_alloc(p->arena, cap * sizeof(*nl));
	if (!nl)
		return -ENOMEM;
	if (p->n)
		memcpy(nl, p->layers, p->n * sizeof(*nl));
	p->layers = nl;
	p->cap = cap;
	return 0;
}

struct gn_layer *gn_packet_push(struct gn_packet *p, const struct gn_proto *proto)
{
	struct gn_layer *l;
	unsigned nf = proto->nfields ? proto->nfields : 1;

	if (ensure_cap(p, p->n + 1))
		return NULL;
	l = &p->layers[p->n];
	memset(l, 0, sizeof(*l));
	l->proto = proto;
	l->info = gn_proto_info(proto);
	l->pkt = p;
	l->index = p->n;
	l->vals = gn_arena_alloc(p->arena, nf * sizeof(*l->vals));
	l->state = gn_arena_alloc(p->arena, nf);
	if (!l->vals || !l->state)
		return NULL;
	p->n++;
	return l;
}

struct gn_layer *gn_packet_insert(struct gn_packet *p, unsigned at, const struct gn_proto *proto)
{
	struct gn_layer *l, moved;

	if (at > p->n || !gn_packet_push(p, proto))
		return NULL;
	/* rotate the new top layer down to at; the layers above it move up */
	moved = p->layers[p->n - 1];
	memmove(&p->layers[at + 1], &p->layers[at], (p->n - 1 - at) * sizeof(*p->layers));
	p->layers[at] = moved;
	for (unsigned i = at; i < p->n; i++)
		p->layers[i].index = i;
	l = &p->layers[at];
	return l;
}

int gn_packet_remove(struct gn_packet *p, unsigned at)
{
	if (at >= p->n)
		return -EINVAL;
	memmove(&p->layers[at], &p->layers[at + 1], (p->n - 1 - at) * sizeof(*p->layers));
	p->n--;
	for (unsigned i = at; i < p->n; i++)
		p->layers[i].index = i;
	return 0;
}

struct gn_layer *gn_packet_push_bytes(struct gn_packet *p, const struct gn_proto *proto,
				      const uint8_t *data, size_t len)
{
	struct gn_layer *l = gn_packet_push(p, proto);
	struct gn_value v = { .type = GN_V_BYTES, .len = (uint32_t)len };

	if (!l)
		return NULL;
	v.bytes = gn_arena_memdup(p->arena, data, len);
	if (!v.bytes)
		return NULL;
	l->vals[0] = v;
	l->state[0] = GN_FS_SET;
	l->hdr_len = (uint32_t)len;
	return l;
}

static int copy_layer(struct gn_packet *dst, const struct gn_layer *src)
{
	struct gn_layer *l = gn_packet_push(dst, src->proto);

	if (!l)
		return -ENOMEM;
	for (unsigned i = 0; i < src->proto->nfields; i++) {
		l->state[i] = src->state[i];
		if (src->state[i] & (GN_FS_SET | GN_FS_FUZZ)) {
			int err = gn_value_copy(dst->arena, &l->vals[i], &src->vals[i]);

			if (err)
				return err;
		}
	}
	l->off = src->off;
	l->hdr_len = src->hdr_len;
	return 0;
}

int gn_packet_append(struct gn_packet *dst, const struct gn_packet *src)
{
	return gn_packet_append_from(dst, src, 0);
}

int gn_packet_append_from(struct gn_packet *dst, const struct gn_packet *src, unsigned first)
{
	unsigned n = src->n;  /* src may be dst: copy only what was there */

	for (unsigned i = first; i < n; i++) {
		int err = copy_layer(dst, &src->layers[i]);

		if (err)
			return err;
	}
	return 0;
}

struct gn_packet *gn_packet_copy_in(struct gn_arena *a, const struct gn_packet *p)
{
	struct gn_packet *c = gn_packet_new_in(a);

	if (!c || gn_packet_append(c, p))
		return NULL;
	c->meta = p->meta;
	c->match_flags = p->match_flags;
	return c;
}

struct gn_packet *gn_packet_copy(const struct gn_packet *p)
{
	struct gn_packet *c = gn_packet_new();

	if (!c)
		return NULL;
	if (gn_packet_append(c, p)) {
		gn_packet_free(c);
		return NULL;
	}
	c->meta = p->meta;
	c->match_flags = p->match_flags;
	return c;
}

void gn_packet_truncate(struct gn_packet *p, unsigned i)
{
	if (i < p->n)
		p->n = i;
}

struct gn_layer *gn_packet_layer(const struct gn_packet *p, const struct gn_proto *proto,
				 unsigned nth)
{
	for (unsigned i = 0; i < p->n; i++)
		if (p->layers[i].proto == proto && nth-- == 0)
			return &p->layers[i];
	return NULL;
}

struct gn_layer *gn_packet_layer_by_name(const struct gn_packet *p, const char *name,
					 unsigned nth)
{
	const struct gn_proto *proto = gn_proto_find(name);

	return proto ? gn_packet_layer(p, proto, nth) : NULL;
}

bool gn_packet_haslayer(const struct gn_packet *p, const struct gn_proto *proto)
{
	return gn_packet_layer(p, proto, 0) != NULL;
}

int gn_layer_field_index(const struct gn_layer *l, const char *name)
{
	return gn_proto_field_index(l->proto, name);
}

const struct gn_value *gn_layer_get(const struct gn_layer *l, unsigned i)
{
	static const struct gn_value none;
	const struct gn_proto_info *info = l->info;
	const struct gn_layer *up;

	if (l->state[i] & GN_FS_SET)
		return &l->vals[i];
	if (!info)  /* a class that was never registered: no defaults either */
		return (l->state[i] & GN_FS_FUZZ) ? &l->vals[i] : &none;
	up = gn_layer_above(l);
	if (up) {
		const struct gn_binding *b = gn_info_overload(info, up->proto);

		for (unsigned k = 0; b && k < b->nconds; k++)
			if (b->conds[k].field == i)
				return &b->conds[k].value;
	}
	if (l->state[i] & GN_FS_FUZZ)
		return &l->vals[i];
	return &info->defaults[i];
}

bool gn_layer_isset(const struct gn_layer *l, unsigned i)
{
	return l->state[i] & GN_FS_SET;
}

int gn_layer_set(struct gn_layer *l, unsigned i, const struct gn_value *v)
{
	struct gn_value copy;
	int err;

	if (i >= l->proto->nfields)
		return -EINVAL;
	err = gn_value_copy(l->pkt->arena, &copy, v);
	if (err)
		return err;
	l->vals[i] = copy;
	l->state[i] |= GN_FS_SET;
	return 0;
}

int gn_layer_set_uint(struct gn_layer *l, const char *field, uint64_t v)
{
	int i = gn_layer_field_index(l, field);
	struct gn_value val = gn_v_int(v);

	if (i < 0)
		return i;
	return gn_layer_set(l, (unsigned)i, &val);
}

void gn_layer_unset(struct gn_layer *l, unsigned i)
{
	if (i >= l->proto->nfields || !(l->state[i] & GN_FS_SET))
		return;
	l->state[i] &= (uint8_t)~GN_FS_SET;
	if (l->state[i] & GN_FS_FUZZ)
		gn_fuzz_value(&l->vals[i]);  /* back to the random default */
	else
		memset(&l->vals[i], 0, sizeof(l->vals[i]));
}

uint64_t gn_field_uint(const struct gn_layer *l, unsigned i)
{
	const struct gn_value *v = gn_layer_get(l, i);

	return v->type == GN_V_INT ? v->u : 0;
}
