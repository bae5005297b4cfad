// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The arena under everything: every allocation comes back zeroed and
 * aligned, whether its chunk came from malloc, from a huge mapping of its
 * own (an arena past 2 MiB) or from reuse after a reset (where the old
 * contents must not show through), and nothing overlaps.
 */
#include "testlib.h"

#define MIB ((size_t)1 << 20)

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Fill `total` bytes in blocks of `block`, checking each comes zeroed and
 * aligned and does not overlap the one before; leaves them all 0xa5. */
static void fill(struct gn_arena *a, size_t total, size_t block)
{
	unsigned char *prev = NULL;

	for (size_t done = 0; done < total; done += block) {
		unsigned char *p = gn_arena_alloc(a, block);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_true(all_zero(p, block));
		assert_true(!prev || p >= prev + block || p + block <= prev);
		memset(p, 0xa5, block);
		prev = p;
	}
}

static void test_grows_past_huge_chunks_zeroed(void **state)
{
	struct gn_arena *a = gn_arena_new(4096);

	(void)state;
	fill(a, 9 * MIB, 1000);
	gn_arena_free(a);
}

static void test_reset_reuses_without_leaking_old_bytes(void **state)
{
	struct gn_arena *a = gn_arena_new(4096);

	(void)state;
	fill(a, 7 * MIB, 4000);
	for (int round = 0; round < 3; round++) {
		gn_arena_reset(a);
		fill(a, 7 * MIB, 333);
	}
	gn_arena_free(a);
}

/* A block as big as a huge chunk, or bigger, gets a chunk of its own. */
static void test_blocks_larger_than_a_chunk(void **state)
{
	struct gn_arena *a = gn_arena_new(1024);
	size_t sizes[] = { 2 * MIB - 64, 2 * MIB, 2 * MIB + 1, 5 * MIB, 100 };

	(void)state;
	fill(a, 3 * MIB, 65536);  /* chunk size has reached its cap */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned char *p = gn_arena_alloc(a, sizes[i]);

		assert_non_null(p);
		assert_true(all_zero(p, sizes[i]));
		memset(p, 0x5a, sizes[i]);
	}
	gn_arena_reset(a);
	fill(a, 6 * MIB, 2 * MIB - 64);
	gn_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grows_past_huge_chunks_zeroed),
		cmocka_unit_test(test_reset_reuses_without_leaking_old_bytes),
		cmocka_unit_test(test_blocks_larger_than_a_chunk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
