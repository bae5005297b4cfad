// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Port and protocol names from /etc/services and /etc/protocols, read once
 * on first use and exactly as Scapy reads them (scapy/data.py): the first
 * word of each line, made an identifier by fixname ("ftp-data" ->
 * "ftp_data"), the last line for a number winning; a name gives back the
 * first number (in the order numbers were first seen) that now carries it.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "protos.h"

struct name_table {
	const char **by_num;  /* [nmax + 1]; NULL = no name */
	uint32_t *order;      /* numbers in the order first seen */
	uint32_t norder;
	uint32_t nmax;
};

static struct name_table tcp_tbl, udp_tbl, proto_tbl;
static pthread_once_t services_once = PTHREAD_ONCE_INIT;
static pthread_once_t protocols_once = PTHREAD_ONCE_INIT;

static int table_init(struct name_table *t, uint32_t nmax)
{
	t->by_num = calloc((size_t)nmax + 1, sizeof(*t->by_num));
	t->order = calloc((size_t)nmax + 1, sizeof(*t->order));
	t->nmax = nmax;
	if (!t->by_num || !t->order) {
		free(t->by_num);
		free(t->order);
		memset(t, 0, sizeof(*t));
		return -ENOMEM;
	}
	return 0;
}

static void table_set(struct name_table *t, uint32_t num, const char *name)
{
	if (!t->by_num || num > t->nmax)
		return;
	if (!t->by_num[num])
		t->order[t->norder++] = num;
	t->by_num[num] = name;
}

/* Names live as long as the process, in chunks kept on one list (a name a
 * later line replaces stays allocated, but reachable). */
struct name_chunk {
	struct name_chunk *next;
	size_t used, cap;
	char data[];
};

static struct name_chunk *name_chunks;
static pthread_mutex_t name_lock = PTHREAD_MUTEX_INITIALIZER;

static char *name_alloc(size_t n)
{
	struct name_chunk *c;
	char *p = NULL;

	pthread_mutex_lock(&name_lock);
	c = name_chunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 4096 ? n : 4096;

		c = malloc(sizeof(*c) + cap);
		if (c) {
			c->used = 0;
			c->cap = cap;
			c->next = name_chunks;
			name_chunks = c;
		}
	}
	if (c) {
		p = c->data + c->used;
		c->used += n;
	}
	pthread_mutex_unlock(&name_lock);
	return p;
}

/* Scapy's fixname: a leading digit gets "n_", anything that is not an
 * ASCII letter or digit becomes '_'. */
static const char *fixname(const char *s, size_t n)
{
	bool digit = n && s[0] >= '0' && s[0] <= '9';
	char *out = name_alloc(n + (digit ? 2 : 0) + 1);
	char *o = out;

	if (!out)
		return NULL;
	if (digit) {
		*o++ = 'n';
		*o++ = '_';
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool keep = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
			    (c >= 'a' && c <= 'z');

		*o++ = keep ? (char)c : '_';
	}
	*o = 0;
	return out;
}

/* Splits a line the way Python's bytes.split() does, after cutting the
 * comment. Returns the number of words found (at most max). */
static unsigned split_words(char *line, char **w, size_t *wl, unsigned max)
{
	char *hash = strchr(line, '#');
	unsigned n = 0;
	char *p = line;

	if (hash)
		*hash = 0;
	while (*p && n < max) {
		while (*p && strchr(" \t\r\n\v\f", *p))
			p++;
		if (!*p)
			break;
		w[n] = p;
		while (*p && !strchr(" \t\r\n\v\f", *p))
			p++;
		wl[n] = (size_t)(p - w[n]);
		n++;
	}
	return n;
}

/* Python's int() on the digits of a word: decimal, optional sign not
 * accepted for a port (Scapy would fail on it and skip the line). */
static bool parse_uint(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;

	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
		if (v > max)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

static void services_load(void)
{
	FILE *f;
	char line[1024];

	if (table_init(&tcp_tbl, 65535) || table_init(&udp_tbl, 65535))
		return;
	f = fopen("/etc/services", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *w[2];
		size_t wl[2];
		char *slash, *dash;
		struct name_table *t;
		uint32_t lo, hi;
		const char *name;

		if (split_words(line, w, wl, 2) < 2)
			continue;
		w[1][wl[1]] = 0;
		slash = strchr(w[1], '/');
		if (!slash)
			continue;
		*slash = 0;
		if (!strcmp(slash + 1, "tcp"))
			t = &tcp_tbl;
		else if (!strcmp(slash + 1, "udp"))
			t = &udp_tbl;
		else
			continue;
		dash = strchr(w[1], '-');
		if (dash) {
			if (!parse_uint(w[1], (size_t)(dash - w[1]), 65535, &lo) ||
			    !parse_uint(dash + 1, strlen(dash + 1), 65535, &hi))
				continue;
		} else {
			if (!parse_uint(w[1], strlen(w[1]), 65535, &lo))
				continue;
			hi = lo;
		}
		name = fixname(w[0], wl[0]);
		if (!name)
			break;
		for (uint32_t p = lo; p <= hi; p++)
			table_set(t, p, name);
	}
	fclose(f);
}

static void protocols_load(void)
{
	FILE *f;
	char line[1024];

	if (table_init(&proto_tbl, 255))
		return;
	f = fopen("/etc/protocols", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *w[2];
		size_t wl[2];
		uint32_t num;
		const char *name;

		if (split_words(line, w, wl, 2) < 2)
			continue;
		if (!parse_uint(w[1], wl[1], 255, &num))
			continue;
		name = fixname(w[0], wl[0]);
		if (!name)
			break;
		table_set(&proto_tbl, num, name);
	}
	fclose(f);
}

static const char *table_name(const struct name_table *t, uint64_t v)
{
	return t->by_num && v <= t->nmax ? t->by_num[v] : NULL;
}

static int table_value(const struct name_table *t, const char *name, size_t n, uint64_t *out)
{
	for (uint32_t i = 0; i < t->norder; i++) {
		const char *s = t->by_num[t->order[i]];

		if (strlen(s) == n && !memcmp(s, name, n)) {
			*out = t->order[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* A resolver over table tbl, whose file load() reads on first use (the
 * resolver's functions get no table, hence a pair of them per table). */
#define RESOLVER(var, tbl, once, load)                                          \
	static const char *var##_name(uint64_t v)                               \
	{                                                                       \
		pthread_once(&once, load);                                      \
		return table_name(&tbl, v);                                     \
	}                                                                       \
	static int var##_value(const char *name, size_t n, uint64_t *out)       \
	{                                                                       \
		pthread_once(&once, load);                                      \
		return table_value(&tbl, name, n, out);                         \
	}                                                                       \
	const struct gn_enum_resolver var = { .name = var##_name, .value = var##_value }

RESOLVER(gn_tcp_services, tcp_tbl, services_once, services_load);
RESOLVER(gn_udp_services, udp_tbl, services_once, services_load);
RESOLVER(gn_ip_protos, proto_tbl, protocols_once, protocols_load);
