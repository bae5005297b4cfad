// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * "Did you mean": the candidate nearest to a misspelt name.
 *
 * Distance is the optimal-string-alignment edit distance (insert, delete,
 * substitute, swap two neighbours), ignoring ASCII case so that `ip` finds
 * `IP`.  A suggestion further than max(1, len/3) edits away is more noise
 * than help, so then there is none.
 */
#include <string.h>

#include <gannet/expr.h>

/* Names longer than this are not names a user misspelt. */
#define CLOSEST_MAX 64

static int fold(char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static unsigned min3(unsigned a, unsigned b, unsigned c)
{
	unsigned m = a < b ? a : b;

	return m < c ? m : c;
}

static unsigned distance(const char *a, size_t n, const char *b, size_t m)
{
	unsigned rows[3][CLOSEST_MAX + 1];
	unsigned *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

	for (size_t j = 0; j <= m; j++)
		prev[j] = (unsigned)j;
	for (size_t i = 1; i <= n; i++) {
		unsigned *t;

		cur[0] = (unsigned)i;
		for (size_t j = 1; j <= m; j++) {
			int ca = fold(a[i - 1]), cb = fold(b[j - 1]);
			unsigned v = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb));

			if (i > 1 && j > 1 && ca == fold(b[j - 2]) && fold(a[i - 2]) == cb &&
			    prev2[j - 2] + 1 < v)
				v = prev2[j - 2] + 1;
			cur[j] = v;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[m];
}

const char *gn_closest(const char *word, size_t n, const char *const *cands, size_t ncands)
{
	const char *best = NULL;
	size_t limit = n / 3 > 1 ? n / 3 : 1;
	size_t bestd = limit + 1;

	if (!word || !n || n > CLOSEST_MAX || !cands)
		return NULL;
	for (size_t i = 0; i < ncands && bestd; i++) {
		const char *c = cands[i];
		size_t m, d;

		if (!c)
			continue;
		m = strlen(c);
		if (!m || m > CLOSEST_MAX || (m > n ? m - n : n - m) >= bestd)
			continue;
		d = distance(word, n, c, m);
		if (d < bestd) {
			best = c;
			bestd = d;
		}
	}
	return best;
}
