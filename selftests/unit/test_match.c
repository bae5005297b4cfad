// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sr matcher: 100,000 outstanding ICMP echo probes, each reply (built
 * the way the peer's kernel answers: addresses swapped, type 0, same id and
 * seq) must find exactly its own probe, in time linear in the replies;
 * replies that answer nothing find nothing; multi keeps probes matchable.
 */
#include <time.h>

#include "testlib.h"

#define NPROBES 100000

struct fixture {
	struct gn_packet **probes;
	struct gn_packet **replies;
};

static struct gn_packet *echo(unsigned i, bool reply)
{
	char expr[256];

	snprintf(expr, sizeof(expr),
		 "Ether()/IP(src='%s', dst='%s')/ICMP(type=%d, id=%u, seq=%u)",
		 reply ? "10.99.1.2" : "10.99.1.1", reply ? "10.99.1.1" : "10.99.1.2",
		 reply ? 0 : 8, 1000 + i / 65536, i % 65536);
	return wire(expr);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->probes = calloc(NPROBES, sizeof(*f->probes));
	f->replies = calloc(NPROBES, sizeof(*f->replies));
	for (unsigned i = 0; i < NPROBES; i++) {
		f->probes[i] = echo(i, false);
		f->replies[i] = echo(i, true);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	for (unsigned i = 0; i < NPROBES; i++) {
		gn_packet_free(f->probes[i]);
		gn_packet_free(f->replies[i]);
	}
	free(f->probes);
	free(f->replies);
	free(f);
	return 0;
}

static void record(size_t id, void *ctx)
{
	*(size_t *)ctx = id;
}

static void test_each_reply_finds_its_probe(void **state)
{
	struct fixture *f = *state;
	struct gn_matcher *m;
	struct timespec t0, t1;

	assert_int_equal(gn_matcher_new(false, &m), 0);
	for (size_t i = 0; i < NPROBES; i++)
		assert_int_equal(gn_matcher_add(m, f->probes[i], i), 0);
	assert_int_equal(gn_matcher_pending(m), NPROBES);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* in reverse, so a linear scan from the front would be quadratic */
	for (size_t i = NPROBES; i-- > 0;) {
		size_t got = (size_t)-1;

		assert_int_equal(gn_matcher_match(m, f->replies[i], record, &got), 1);
		assert_int_equal(got, i);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(gn_matcher_pending(m), 0);
	/* answered probes are withdrawn: the same reply again finds nothing */
	assert_int_equal(gn_matcher_match(m, f->replies[0], NULL, NULL), 0);
	print_message("matched %d replies in %.3f s\n", NPROBES,
		      (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	gn_matcher_free(m);
}

static void test_non_answers(void **state)
{
	struct fixture *f = *state;
	struct gn_matcher *m;

	assert_int_equal(gn_matcher_new(false, &m), 0);
	for (size_t i = 0; i < 100; i++)
		assert_int_equal(gn_matcher_add(m, f->probes[i], i), 0);
	/* a probe is not its own answer (gannet's outgoing packets), nor is
	 * an echo request going the other way */
	assert_int_equal(gn_matcher_match(m, f->probes[5], NULL, NULL), 0);
	{
		struct gn_packet *other = wire("Ether()/IP(src='10.99.1.3', dst='10.99.1.1')/"
					       "ICMP(type=0, id=1000, seq=5)");

		assert_int_equal(gn_matcher_match(m, other, NULL, NULL), 0);
		gn_packet_free(other);
	}
	gn_matcher_remove(m, 7);
	assert_int_equal(gn_matcher_match(m, f->replies[7], NULL, NULL), 0);
	assert_int_equal(gn_matcher_pending(m), 99);
	gn_matcher_free(m);
}

static void test_multi(void **state)
{
	struct fixture *f = *state;
	struct gn_matcher *m;

	assert_int_equal(gn_matcher_new(true, &m), 0);
	assert_int_equal(gn_matcher_add(m, f->probes[3], 3), 0);
	assert_int_equal(gn_matcher_match(m, f->replies[3], NULL, NULL), 1);
	assert_int_equal(gn_matcher_match(m, f->replies[3], NULL, NULL), 1);
	assert_int_equal(gn_matcher_pending(m), 0);
	gn_matcher_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_reply_finds_its_probe),
		cmocka_unit_test(test_non_answers),
		cmocka_unit_test(test_multi),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
