// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Expansion of a template into concrete packets, lazily, in Scapy's order:
 * the first layer's generators vary slowest and the last layer's fastest;
 * inside a layer the field that comes first in the layer varies fastest
 * (Scapy pops its todo list, which follows the field order, from the end).  Rand*() and fuzz() values are drawn per packet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gannet/gannet.h>

struct dim {
	unsigned layer;
	unsigned field;
	uint64_t count;
	uint64_t idx;
};

struct gn_expander {
	const struct gn_packet *tmpl;
	struct dim *dims;   /* slowest first */
	unsigned ndims;
	bool started;
	bool done;
	uint64_t rng;       /* xorshift64* state */
};

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	if (a && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

static bool is_dimension(const struct gn_value *v);
static int apply_index(struct gn_packet *out, const struct gn_packet *tmpl, uint64_t idx);

static uint64_t gen_count(const struct gn_value *v)
{
	uint64_t n = 0;
	unsigned host_bits;

	switch (v->type) {
	case GN_V_SET:
		for (uint32_t i = 0; i < v->len; i++)
			n = sat_add(n, gen_count(&v->items[i]));
		return n;
	case GN_V_RANGE:
		if (v->items[0].u > v->items[1].u)
			return 0;
		return sat_add(v->items[1].u - v->items[0].u, 1);
	case GN_V_NET:
		host_bits = v->alen * 8u - v->prefix;
		return host_bits >= 64 ? UINT64_MAX : (uint64_t)1 << host_bits;
	case GN_V_PKT:
		return gn_expand_count(v->pkt);
	default:
		return 1;
	}
}

/* The idx-th concrete value of generator v (idx < gen_count(v)); a nested
 * packet is copied into arena a with its own generators applied. */
static int gen_value(const struct gn_value *v, uint64_t idx, struct gn_value *out,
		     struct gn_arena *a)
{
	switch (v->type) {
	case GN_V_PKT:
		*out = *v;
		out->pkt = gn_packet_copy_in(a, v->pkt);
		if (!out->pkt)
			return -ENOMEM;
		return apply_index(out->pkt, v->pkt, idx);
	case GN_V_SET:
		for (uint32_t i = 0; i < v->len; i++) {
			uint64_t c = gen_count(&v->items[i]);

			if (idx < c)
				return gen_value(&v->items[i], idx, out, a);
			idx -= c;
		}
		memset(out, 0, sizeof(*out));
		return 0;
	case GN_V_RANGE:
		*out = gn_v_int(v->items[0].u + idx);
		return 0;
	case GN_V_NET:
		*out = *v;
		out->type = GN_V_ADDR;
		out->prefix = 0;
		/* add idx to the address, big-endian */
		for (int i = v->alen - 1; i >= 0 && idx; i--) {
			uint64_t s = out->addr[i] + (idx & 0xff);

			out->addr[i] = (uint8_t)s;
			idx = (idx >> 8) + (s >> 8);
		}
		return 0;
	default:
		*out = *v;
		return 0;
	}
}

static bool pkt_has_dims(const struct gn_packet *p)
{
	for (unsigned k = 0; k < p->n; k++) {
		const struct gn_layer *l = &p->layers[k];

		for (unsigned i = 0; i < l->proto->nfields; i++)
			if ((l->state[i] & GN_FS_SET) && is_dimension(&l->vals[i]))
				return true;
	}
	return false;
}

/* Sets, ranges and networks; and a nested packet holding any of them, as
 * Scapy expands DNS(qd=DNSQR(qtype=[1, 28])) into two packets. */
static bool is_dimension(const struct gn_value *v)
{
	return v->type == GN_V_SET || v->type == GN_V_RANGE || v->type == GN_V_NET ||
	       (v->type == GN_V_PKT && pkt_has_dims(v->pkt));
}

/* Gives out (a copy of tmpl) the generator values of expansion number idx:
 * idx is read as a mixed-radix number whose fastest digit is the first
 * field of the last layer. */
static int apply_index(struct gn_packet *out, const struct gn_packet *tmpl, uint64_t idx)
{
	for (unsigned k = tmpl->n; k-- > 0;) {
		const struct gn_layer *l = &tmpl->layers[k];

		for (unsigned i = 0; i < l->proto->nfields; i++) {
			uint64_t c;
			struct gn_value v;
			int err;

			if (!(l->state[i] & GN_FS_SET) || !is_dimension(&l->vals[i]))
				continue;
			c = gen_count(&l->vals[i]);
			if (!c)
				return -ERANGE;
			err = gen_value(&l->vals[i], idx % c, &v, out->arena);
			if (!err)
				err = gn_value_copy(out->arena, &out->layers[k].vals[i], &v);
			if (err)
				return err;
			idx /= c;
		}
	}
	return 0;
}

uint64_t gn_expand_count(const struct gn_packet *t)
{
	uint64_t total = 1;

	for (unsigned k = 0; k < t->n; k++) {
		const struct gn_layer *l = &t->layers[k];

		for (unsigned i = 0; i < l->proto->nfields; i++)
			if ((l->state[i] & GN_FS_SET) && is_dimension(&l->vals[i]))
				total = sat_mul(total, gen_count(&l->vals[i]));
	}
	return total;
}

int gn_expand_new(const struct gn_packet *tmpl, struct gn_expander **out)
{
	struct gn_expander *x = calloc(1, sizeof(*x));
	unsigned cap = 0;

	if (!x)
		return -ENOMEM;
	x->tmpl = tmpl;
	for (unsigned k = 0; k < tmpl->n; k++)
		cap += tmpl->layers[k].proto->nfields;
	x->dims = calloc(cap ? cap : 1, sizeof(*x->dims));
	if (!x->dims) {
		free(x);
		return -ENOMEM;
	}
	for (unsigned k = 0; k < tmpl->n; k++) {
		const struct gn_layer *l = &tmpl->layers[k];

		for (unsigned i = l->proto->nfields; i-- > 0;) {
			if (!(l->state[i] & GN_FS_SET) || !is_dimension(&l->vals[i]))
				continue;
			x->dims[x->ndims] = (struct dim){ .layer = k, .field = i,
							  .count = gen_count(&l->vals[i]) };
			if (x->dims[x->ndims].count == 0)
				x->done = true;
			x->ndims++;
		}
	}
	if (getrandom(&x->rng, sizeof(x->rng), 0) != sizeof(x->rng) || !x->rng)
		x->rng = 0x9E3779B97F4A7C15ull ^ (uintptr_t)x;
	*out = x;
	return 0;
}

static uint64_t next_rand(struct gn_expander *x)
{
	x->rng ^= x->rng >> 12;
	x->rng ^= x->rng << 25;
	x->rng ^= x->rng >> 27;
	return x->rng * 0x2545F4914F6CDD1Dull;
}

static void rand_value(struct gn_expander *x, const struct gn_field *f, uint64_t kind,
		       struct gn_value *out)
{
	uint64_t r = next_rand(x);
	unsigned alen = 0;

	memset(out, 0, sizeof(*out));
	switch (kind) {
	case GN_RAND_IP:
		alen = 4;
		break;
	case GN_RAND_IP6:
		alen = 16;
		break;
	case GN_RAND_MAC:
		alen = 6;
		break;
	case GN_RAND_FIELD:
		if (f->ops == &gn_kind_mac || f->ops == &gn_kind_ipv4 || f->ops == &gn_kind_ipv6)
			alen = f->bits / 8;
		break;
	default:
		break;
	}
	if (alen) {
		uint64_t r2 = next_rand(x);

		out->type = GN_V_ADDR;
		out->alen = (uint8_t)alen;
		memcpy(out->addr, &r, 8);
		memcpy(out->addr + 8, &r2, 8);
		if (alen == 6)
			out->addr[0] &= 0xfe; /* RandMAC gives unicast addresses */
		return;
	}
	switch (kind) {
	case GN_RAND_BYTE:
		r &= 0xff;
		break;
	case GN_RAND_SHORT:
		r &= 0xffff;
		break;
	case GN_RAND_INT:
		r &= 0xffffffffu;
		break;
	default:
		break;
	}
	if (f->bits < 64)
		r &= ((uint64_t)1 << f->bits) - 1;
	*out = gn_v_int(r);
}

/* Rand*() and fuzz() values get a fresh draw, nested packets included. */
static void roll_random(struct gn_expander *x, struct gn_packet *p, unsigned depth);

static void roll_value(struct gn_expander *x, struct gn_value *v, unsigned depth)
{
	if (depth > 8)
		return;
	if (v->type == GN_V_PKT)
		roll_random(x, v->pkt, depth + 1);
	else if (v->type == GN_V_LIST)
		for (uint32_t j = 0; j < v->len; j++)
			roll_value(x, &v->items[j], depth);
}

static void roll_random(struct gn_expander *x, struct gn_packet *p, unsigned depth)
{
	for (unsigned k = 0; k < p->n; k++) {
		struct gn_layer *l = &p->layers[k];

		for (unsigned i = 0; i < l->proto->nfields; i++) {
			if (!(l->state[i] & (GN_FS_SET | GN_FS_FUZZ)))
				continue;
			if (l->vals[i].type == GN_V_RAND)
				rand_value(x, &l->proto->fields[i], l->vals[i].u, &l->vals[i]);
			else
				roll_value(x, &l->vals[i], depth);
		}
	}
}

int gn_expand_next(struct gn_expander *x, struct gn_packet *out)
{
	int err;

	if (x->done)
		return 0;
	if (x->started) {
		/* odometer: the last dimension turns fastest */
		unsigned d = x->ndims;

		while (d > 0) {
			d--;
			if (++x->dims[d].idx < x->dims[d].count)
				break;
			x->dims[d].idx = 0;
			if (d == 0) {
				x->done = true;
				return 0;
			}
		}
		if (x->ndims == 0) {
			x->done = true;
			return 0;
		}
	}
	x->started = true;
	gn_packet_reset(out);
	err = gn_packet_append(out, x->tmpl);
	if (err)
		return err;
	for (unsigned d = 0; d < x->ndims; d++) {
		struct gn_layer *l = &out->layers[x->dims[d].layer];
		unsigned i = x->dims[d].field;

		struct gn_value v;

		err = gen_value(&x->tmpl->layers[x->dims[d].layer].vals[i], x->dims[d].idx, &v,
				out->arena);
		if (!err)
			err = gn_value_copy(out->arena, &l->vals[i], &v);
		if (err)
			return err;
	}
	roll_random(x, out, 0);
	return 1;
}

void gn_expand_free(struct gn_expander *x)
{
	if (!x)
		return;
	free(x->dims);
	free(x);
}
