// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sr matcher: an open hash table from hashret to the probes that have
 * it, chained in the order they were added so the oldest probe answers
 * first, as Scapy's sndrcv walks its hash buckets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/gannet.h>
#include "protos.h"

struct entry {
	const struct gn_packet *probe;
	size_t id;
	uint32_t hash;
	bool live;      /* may still be matched */
	bool answered;  /* has had an answer (multi keeps it live) */
	size_t next;   /* next entry in the same bucket, or NONE */
};

#define NONE ((size_t)-1)

struct gn_matcher {
	bool multi;
	struct entry *entries;
	size_t n, cap;
	size_t *heads, *tails;  /* per bucket */
	size_t nbuckets;        /* power of two */
	size_t pending;
	size_t *by_id;          /* id -> entry, for remove; grown with ids */
	size_t nids;
};

uint32_t gn_packet_hashret(const struct gn_packet *p)
{
	return p->n ? gn_layer_hashret(&p->layers[0]) : 0;
}

bool gn_packet_answers(const struct gn_packet *reply, const struct gn_packet *probe)
{
	if (!reply->n || !probe->n)
		return false;
	return gn_layer_answers(&reply->layers[0], &probe->layers[0]);
}

int gn_matcher_new(bool multi, struct gn_matcher **out)
{
	struct gn_matcher *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->multi = multi;
	*out = m;
	return 0;
}

void gn_matcher_free(struct gn_matcher *m)
{
	if (!m)
		return;
	free(m->entries);
	free(m->heads);
	free(m->tails);
	free(m->by_id);
	free(m);
}

/* Keeps the load under one entry per bucket so a lookup stays O(1). */
static int rehash(struct gn_matcher *m, size_t nbuckets)
{
	size_t *heads = malloc(nbuckets * sizeof(*heads));
	size_t *tails = malloc(nbuckets * sizeof(*tails));

	if (!heads || !tails) {
		free(heads);
		free(tails);
		return -ENOMEM;
	}
	for (size_t b = 0; b < nbuckets; b++)
		heads[b] = tails[b] = NONE;
	for (size_t i = 0; i < m->n; i++) {
		size_t b = m->entries[i].hash & (nbuckets - 1);

		m->entries[i].next = NONE;
		if (tails[b] == NONE)
			heads[b] = i;
		else
			m->entries[tails[b]].next = i;
		tails[b] = i;
	}
	free(m->heads);
	free(m->tails);
	m->heads = heads;
	m->tails = tails;
	m->nbuckets = nbuckets;
	return 0;
}

int gn_matcher_add(struct gn_matcher *m, const struct gn_packet *probe, size_t id)
{
	struct entry *e;
	size_t b;

	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct entry *ne = realloc(m->entries, cap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		m->entries = ne;
		m->cap = cap;
	}
	if (id >= m->nids) {
		size_t nids = m->nids ? m->nids : 64;
		size_t *nb;

		while (nids <= id)
			nids *= 2;
		nb = realloc(m->by_id, nids * sizeof(*nb));
		if (!nb)
			return -ENOMEM;
		for (size_t i = m->nids; i < nids; i++)
			nb[i] = NONE;
		m->by_id = nb;
		m->nids = nids;
	}
	e = &m->entries[m->n];
	e->probe = probe;
	e->id = id;
	e->hash = gn_packet_hashret(probe);
	e->live = true;
	e->answered = false;
	e->next = NONE;
	m->by_id[id] = m->n;
	m->n++;
	m->pending++;
	if (m->n > m->nbuckets) {
		int err = rehash(m, m->nbuckets ? 2 * m->nbuckets : 64);

		if (err) {
			m->n--;
			m->pending--;
			return err;
		}
		return 0;
	}
	b = e->hash & (m->nbuckets - 1);
	if (m->tails[b] == NONE)
		m->heads[b] = m->n - 1;
	else
		m->entries[m->tails[b]].next = m->n - 1;
	m->tails[b] = m->n - 1;
	return 0;
}

void gn_matcher_remove(struct gn_matcher *m, size_t id)
{
	struct entry *e;

	if (id >= m->nids || m->by_id[id] == NONE)
		return;
	e = &m->entries[m->by_id[id]];
	if (e->live) {
		e->live = false;
		if (!e->answered)
			m->pending--;
	}
	m->by_id[id] = NONE;
}

size_t gn_matcher_match(struct gn_matcher *m, const struct gn_packet *reply,
			void (*found)(size_t id, void *ctx), void *ctx)
{
	uint32_t h;
	size_t hits = 0;

	if (!m->nbuckets)
		return 0;
	h = gn_packet_hashret(reply);
	for (size_t i = m->heads[h & (m->nbuckets - 1)]; i != NONE; i = m->entries[i].next) {
		struct entry *e = &m->entries[i];

		if (!e->live || e->hash != h || !gn_packet_answers(reply, e->probe))
			continue;
		hits++;
		if (found)
			found(e->id, ctx);
		if (!e->answered) {
			e->answered = true;
			m->pending--;
		}
		if (!m->multi) {
			e->live = false;
			break;
		}
	}
	return hits;
}

size_t gn_matcher_pending(const struct gn_matcher *m)
{
	return m->pending;
}
