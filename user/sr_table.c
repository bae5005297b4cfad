// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Printing sr results as Scapy does: summary ("probe ==> reply"),
 * nsummary (numbered), and make_table — one row per distinct y, one column
 * per distinct x, each cell the z of the pair at (x, y), "-" where no pair
 * is; columns sorted as numbers, else as IPv4 addresses, else as text
 * (Scapy's int / atol / str keys), every line ending in a space as Scapy's
 * does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/gannet.h>

void gn_sr_pair_summary(const struct gn_sr_pair *pr, struct gn_strbuf *sb)
{
	gn_summary(pr->probe, sb);
	gn_sb_puts(sb, " ==> ");
	gn_summary(pr->reply, sb);
}

void gn_sr_nsummary(const struct gn_sr_result *res, struct gn_strbuf *sb)
{
	for (size_t i = 0; i < res->npairs; i++) {
		gn_sb_printf(sb, "%04zu ", i);
		gn_sr_pair_summary(&res->pairs[i], sb);
		gn_sb_putc(sb, '\n');
	}
}

/* One distinct x or y value. */
struct key {
	char *text;
	size_t width;     /* x: the widest of the value and its cells */
	size_t rank;      /* its place once sorted */
};

/* The distinct values in first-seen order, with a hash index on their text. */
struct keys {
	struct key *v;
	size_t n, cap;
	size_t *slots;    /* index + 1 into v; 0 = free */
	size_t nslots;
	int kind;         /* how they sort: 0 numbers, 1 IPv4 addresses, 2 text */
};

struct cell {
	size_t x, y;      /* key indices, then ranks */
	size_t seq;       /* the pair's place: of two at one (x, y), the later wins */
	char *z;
};

/* Scapy's make_table evaluates its lambda's s (the probe) and r (the
 * reply); here a format is read on the probe unless it starts with "r:",
 * and "s:" may say so explicitly.  make_table's usual lambda has x and y
 * from the probe and z from the reply: that is the default for z. */
static int eval(const struct gn_sr_pair *pr, const char *fmt, bool reply_default,
		struct gn_strbuf *sb, struct gn_error *err)
{
	const struct gn_packet *p = reply_default ? pr->reply : pr->probe;

	if (!strncmp(fmt, "r:", 2) || !strncmp(fmt, "s:", 2)) {
		p = fmt[0] == 'r' ? pr->reply : pr->probe;
		fmt += 2;
	}
	gn_sb_reset(sb);
	return gn_sprintf(p, fmt, sb, err);
}

static size_t hash_text(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static int rehash(struct keys *k)
{
	size_t n = k->nslots ? 2 * k->nslots : 64;
	size_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < k->n; i++) {
		size_t j = hash_text(k->v[i].text) & (n - 1);

		while (slots[j])
			j = (j + 1) & (n - 1);
		slots[j] = i + 1;
	}
	free(k->slots);
	k->slots = slots;
	k->nslots = n;
	return 0;
}

static int key_index(struct keys *k, const char *text, size_t *out)
{
	size_t j;

	if ((k->n + 1) * 2 > k->nslots && rehash(k))
		return -ENOMEM;
	for (j = hash_text(text) & (k->nslots - 1); k->slots[j]; j = (j + 1) & (k->nslots - 1))
		if (!strcmp(k->v[k->slots[j] - 1].text, text)) {
			*out = k->slots[j] - 1;
			return 0;
		}
	if (k->n == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 16;
		struct key *nv = realloc(k->v, cap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		k->v = nv;
		k->cap = cap;
	}
	k->v[k->n].text = strdup(text);
	if (!k->v[k->n].text)
		return -ENOMEM;
	k->v[k->n].width = strlen(text);
	k->slots[j] = k->n + 1;
	*out = k->n++;
	return 0;
}

static bool as_number(const char *s, long long *v)
{
	char *end;

	/* Python's int(): surrounding blanks allowed, decimal */
	while (*s == ' ')
		s++;
	if (!*s)
		return false;
	*v = strtoll(s, &end, 10);
	while (*end == ' ')
		end++;
	return end != s && !*end;
}

static void classify(struct keys *k)
{
	struct in_addr a;
	long long v;

	k->kind = 0;
	for (size_t i = 0; i < k->n && k->kind == 0; i++)
		if (!as_number(k->v[i].text, &v))
			k->kind = 1;
	for (size_t i = 0; i < k->n && k->kind == 1; i++)
		if (inet_aton(k->v[i].text, &a) == 0)
			k->kind = 2;
}

static int cmp_key(const void *pa, const void *pb, void *ctx)
{
	const struct key *a = *(const struct key *const *)pa, *b = *(const struct key *const *)pb;
	int kind = *(const int *)ctx;

	if (kind == 0) {
		long long x, y;

		as_number(a->text, &x);
		as_number(b->text, &y);
		return x < y ? -1 : x > y;
	}
	if (kind == 1) {
		struct in_addr x, y;

		inet_aton(a->text, &x);
		inet_aton(b->text, &y);
		return ntohl(x.s_addr) < ntohl(y.s_addr) ? -1 : ntohl(x.s_addr) > ntohl(y.s_addr);
	}
	return strcmp(a->text, b->text);
}

/* Sorted order: *order[rank] is the key of that rank, and each key knows its rank. */
static int rank_keys(struct keys *k, struct key ***order)
{
	*order = malloc((k->n ? k->n : 1) * sizeof(**order));
	if (!*order)
		return -ENOMEM;
	for (size_t i = 0; i < k->n; i++)
		(*order)[i] = &k->v[i];
	classify(k);
	qsort_r(*order, k->n, sizeof(**order), cmp_key, &k->kind);
	for (size_t i = 0; i < k->n; i++)
		(*order)[i]->rank = i;
	return 0;
}

static int cmp_cell(const void *pa, const void *pb)
{
	const struct cell *a = pa, *b = pb;

	if (a->y != b->y)
		return a->y < b->y ? -1 : 1;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void pad(struct gn_strbuf *sb, const char *s, size_t width)
{
	size_t len = strlen(s);

	gn_sb_puts(sb, s);
	while (len++ < width)
		gn_sb_putc(sb, ' ');
	gn_sb_putc(sb, ' ');
}

static void print_table(struct gn_strbuf *out, struct key **xo, size_t nx, struct key **yo,
			size_t ny, size_t ywidth, const struct cell *cells, size_t ncells)
{
	size_t c = 0;

	pad(out, "", ywidth);
	for (size_t x = 0; x < nx; x++)
		pad(out, xo[x]->text, xo[x]->width);
	gn_sb_putc(out, '\n');
	for (size_t y = 0; y < ny; y++) {
		pad(out, yo[y]->text, ywidth);
		for (size_t x = 0; x < nx; x++) {
			const char *z = "-";

			/* the last of the pairs at (x, y), as Scapy's dict keeps */
			while (c < ncells && cells[c].y == y && cells[c].x == x)
				z = cells[c++].z;
			pad(out, z, xo[x]->width);
		}
		gn_sb_putc(out, '\n');
	}
}

/* The cell of every pair: the last pair at an (x, y) wins, as in Scapy's dict. */
static int collect(const struct gn_sr_result *res, const char *x_fmt, const char *y_fmt,
		   const char *z_fmt, struct keys *xs, struct keys *ys, struct cell *cells,
		   size_t *ncells, size_t *ywidth, struct gn_error *err)
{
	struct gn_strbuf sb;
	int rc = 0;

	gn_sb_init(&sb);
	for (size_t i = 0; !rc && i < res->npairs; i++) {
		const struct gn_sr_pair *pr = &res->pairs[i];
		size_t x = 0, y = 0;

		rc = eval(pr, x_fmt, false, &sb, err);
		if (!rc)
			rc = key_index(xs, sb.len ? sb.s : "", &x);
		if (!rc)
			rc = eval(pr, y_fmt, false, &sb, err);
		if (!rc)
			rc = key_index(ys, sb.len ? sb.s : "", &y);
		if (!rc)
			rc = eval(pr, z_fmt, true, &sb, err);
		if (rc)
			break;
		cells[*ncells].x = x;
		cells[*ncells].y = y;
		cells[*ncells].seq = i;
		cells[*ncells].z = strdup(sb.len ? sb.s : "");
		if (!cells[*ncells].z) {
			rc = -ENOMEM;
			break;
		}
		(*ncells)++;
		if (sb.len > xs->v[x].width)
			xs->v[x].width = sb.len;
		if (strlen(ys->v[y].text) > *ywidth)
			*ywidth = strlen(ys->v[y].text);
	}
	gn_sb_free(&sb);
	return rc;
}

int gn_sr_make_table(const struct gn_sr_result *res, const char *x_fmt, const char *y_fmt,
		     const char *z_fmt, struct gn_strbuf *out, struct gn_error *err)
{
	struct keys xs = { 0 }, ys = { 0 };
	struct key **xo = NULL, **yo = NULL;
	struct cell *cells = calloc(res->npairs ? res->npairs : 1, sizeof(*cells));
	size_t ncells = 0, ywidth = 0;
	int rc = cells ? 0 : -ENOMEM;

	if (!rc)
		rc = collect(res, x_fmt, y_fmt, z_fmt, &xs, &ys, cells, &ncells, &ywidth, err);
	if (!rc)
		rc = rank_keys(&xs, &xo);
	if (!rc)
		rc = rank_keys(&ys, &yo);
	if (!rc) {
		for (size_t c = 0; c < ncells; c++) {
			cells[c].x = xs.v[cells[c].x].rank;
			cells[c].y = ys.v[cells[c].y].rank;
		}
		qsort(cells, ncells, sizeof(*cells), cmp_cell);
		print_table(out, xo, xs.n, yo, ys.n, ywidth, cells, ncells);
	}
	if (rc == -ENOMEM)
		gn_error_set(err, rc, 0, "out of memory");
	for (size_t c = 0; c < ncells; c++)
		free(cells[c].z);
	free(cells);
	for (size_t i = 0; i < xs.n; i++)
		free(xs.v[i].text);
	for (size_t i = 0; i < ys.n; i++)
		free(ys.v[i].text);
	free(xs.v);
	free(ys.v);
	free(xs.slots);
	free(ys.slots);
	free(xo);
	free(yo);
	return rc;
}
