// SPDX-License-Identifier: LGPL-2.1-or-later
/* The growable arrays the network tables are kept in. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nl_db.h"

void gn_nl_vec_init(struct gn_nl_vec *v, size_t size)
{
	v->items = NULL;
	v->n = 0;
	v->cap = 0;
	v->size = size;
}

void gn_nl_vec_free(struct gn_nl_vec *v)
{
	free(v->items);
	v->items = NULL;
	v->n = 0;
	v->cap = 0;
}

void *gn_nl_vec_push(struct gn_nl_vec *v)
{
	void *it;

	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;
		void *items = realloc(v->items, cap * v->size);

		if (!items)
			return NULL;
		v->items = items;
		v->cap = cap;
	}
	it = gn_nl_vec_at(v, v->n++);
	memset(it, 0, v->size);
	return it;
}

/* Keeps the order: the kernel's dump order is what ties are broken by. */
void gn_nl_vec_remove(struct gn_nl_vec *v, size_t i)
{
	if (i >= v->n)
		return;
	memmove(gn_nl_vec_at(v, i), gn_nl_vec_at(v, i + 1), (v->n - i - 1) * v->size);
	v->n--;
}

void gn_nl_tables_init(struct gn_nl_tables *t)
{
	gn_nl_vec_init(&t->links, sizeof(struct gn_iface));
	gn_nl_vec_init(&t->addrs, sizeof(struct gn_ifaddr));
	gn_nl_vec_init(&t->routes, sizeof(struct gn_route));
	gn_nl_vec_init(&t->neighs, sizeof(struct gn_neigh));
	gn_nl_vec_init(&t->rules, sizeof(struct gn_rule));
}

void gn_nl_tables_free(struct gn_nl_tables *t)
{
	gn_nl_vec_free(&t->links);
	gn_nl_vec_free(&t->addrs);
	gn_nl_vec_free(&t->routes);
	gn_nl_vec_free(&t->neighs);
	gn_nl_vec_free(&t->rules);
}
