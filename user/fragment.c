// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * IPv4 fragmentation, as Scapy's fragment(pkt, fragsize): the IP payload is
 * built once and cut into Raw pieces of fragsize bytes (rounded down to a
 * multiple of 8, the last piece up to the unrounded size); each fragment is
 * a copy of the layers up to IP with len and chksum recomputed, MF set on
 * all but the last and frag advanced by the offset.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "protos.h"

/* Python's floor division, for Scapy's fragment count. */
static long floordiv(long a, long b)
{
	long q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int field_idx(const struct gn_layer *l, const char *name)
{
	return gn_layer_field_index(l, name);
}

/* One fragment: p's layers up to and including IP, then Raw(piece). */
static struct gn_packet *make_fragment(const struct gn_packet *p, unsigned ip_idx,
				       uint8_t proto, bool more, uint64_t frag_add,
				       const uint8_t *piece, size_t n)
{
	struct gn_packet *q = gn_packet_new();
	struct gn_layer *ip, *raw;
	struct gn_value v;
	int i_flags, i_frag, i_proto, i_len, i_chksum;

	if (!q)
		return NULL;
	for (unsigned k = 0; k <= ip_idx; k++) {
		struct gn_packet one = { .layers = &p->layers[k], .n = 1, .cap = 1,
					 .arena = p->arena };

		if (gn_packet_append(q, &one))
			goto fail;
	}
	q->meta = p->meta;
	ip = &q->layers[ip_idx];
	i_flags = field_idx(ip, "flags");
	i_frag = field_idx(ip, "frag");
	i_proto = field_idx(ip, "proto");
	i_len = field_idx(ip, "len");
	i_chksum = field_idx(ip, "chksum");
	if (i_flags < 0 || i_frag < 0 || i_proto < 0 || i_len < 0 || i_chksum < 0)
		goto fail;
	gn_layer_unset(ip, (unsigned)i_len);
	gn_layer_unset(ip, (unsigned)i_chksum);
	/* the payload's overload of proto (TCP -> 6) goes with the Raw piece
	 * in Scapy; here it is written into IP */
	if (!gn_layer_isset(ip, (unsigned)i_proto)) {
		v = gn_v_int(proto);
		if (gn_layer_set(ip, (unsigned)i_proto, &v))
			goto fail;
	}
	if (more) {
		v = gn_v_int(gn_field_uint(ip, (unsigned)i_flags) | 1);
		if (gn_layer_set(ip, (unsigned)i_flags, &v))
			goto fail;
	}
	v = gn_v_int(gn_field_uint(ip, (unsigned)i_frag) + frag_add);
	if (gn_layer_set(ip, (unsigned)i_frag, &v))
		goto fail;
	raw = gn_packet_push(q, &gn_proto_raw);
	if (!raw)
		goto fail;
	memset(&v, 0, sizeof(v));
	v.type = GN_V_BYTES;
	v.len = (uint32_t)n;
	v.bytes = (uint8_t *)(uintptr_t)piece;
	if (gn_layer_set(raw, 0, &v))
		goto fail;
	return q;
fail:
	gn_packet_free(q);
	return NULL;
}

int gn_fragment(const struct gn_packet *p, size_t fragsize, struct gn_packet ***frags,
		size_t *nfrags)
{
	const struct gn_layer *ip = gn_packet_layer(p, &gn_proto_ip, 0);
	struct gn_packet sub = { .arena = p->arena };
	struct gn_packet **out = NULL;
	struct gn_arena *a;
	uint8_t *whole, *hdr;
	size_t whole_len, hdr_len, s_len;
	long lastfragsz = (long)fragsize, size, nb;
	uint8_t proto;
	int err, i_proto;

	*frags = NULL;
	*nfrags = 0;
	if (!ip)
		return -ENOENT;
	size = (long)(fragsize - fragsize % 8);
	if (size <= 0 || fragsize > 0xffff)
		return -EINVAL;
	a = gn_arena_new(4096);
	if (!a)
		return -ENOMEM;
	/* raw(p[IP].payload): IP and what it carries, minus IP's own header */
	sub.layers = (struct gn_layer *)ip;
	sub.n = p->n - ip->index;
	sub.cap = sub.n;
	err = gn_build(&sub, a, &whole, &whole_len);
	if (!err) {
		sub.n = 1;
		err = gn_build(&sub, a, &hdr, &hdr_len);
	}
	if (err)
		goto out;
	i_proto = gn_layer_field_index(ip, "proto");
	proto = i_proto < 0 ? 0 : (uint8_t)gn_field_uint(ip, (unsigned)i_proto);
	s_len = whole_len > hdr_len ? whole_len - hdr_len : 0;
	nb = floordiv((long)s_len - lastfragsz + size - 1, size) + 1;
	if (nb > 0) {
		out = calloc((size_t)nb, sizeof(*out));
		if (!out) {
			err = -ENOMEM;
			goto out;
		}
	}
	for (long i = 0; i < nb; i++) {
		size_t from = (size_t)(i * size);
		size_t end = i != nb - 1 ? (size_t)((i + 1) * size) : (size_t)(i * size + lastfragsz);

		if (from > s_len)
			from = s_len;
		if (end > s_len)
			end = s_len;
		out[i] = make_fragment(p, ip->index, proto, i != nb - 1,
				       (uint64_t)(i * size / 8), whole + hdr_len + from, end - from);
		if (!out[i]) {
			err = -ENOMEM;
			for (long k = 0; k < i; k++)
				gn_packet_free(out[k]);
			free(out);
			out = NULL;
			goto out;
		}
	}
	*frags = out;
	*nfrags = nb > 0 ? (size_t)nb : 0;
out:
	gn_arena_free(a);
	return err;
}
