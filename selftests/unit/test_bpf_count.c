// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bpf/xdp_count.bpf.c, end to end: load it through its generated skeleton,
 * run it in the kernel on a synthetic frame with BPF_PROG_TEST_RUN, and check
 * the verdict and the per-CPU counters it leaves behind.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "xdp_count.skel.h"

#define FRAME_LEN 64
#define RUNS 5

/* Same layout as the map value in xdp_count.bpf.c. */
struct xdp_count_stats {
	uint64_t packets;
	uint64_t bytes;
};

struct fixture {
	struct xdp_count *skel;
};

/* libbpf is chatty about a load that fails for lack of privilege; only its
 * warnings matter here, and only when the test fails for another reason. */
static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("GN_TEST_VERBOSE"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	xdp_count__destroy(fx->skel);
	free(fx);
	return 0;
}

/* Loads the skeleton, or skips the test when the kernel refuses us BPF. */
static struct xdp_count *load_or_skip(struct fixture *fx)
{
	struct xdp_count *skel = xdp_count__open_and_load();
	int err = skel ? 0 : -errno;

	if (err == -EPERM || err == -EACCES) {
		print_message("xdp_count: loading BPF not permitted here (%s), skipping\n",
			      strerror(-err));
		skip();
	}
	if (!skel)
		fail_msg("xdp_count__open_and_load: %s", strerror(-err));
	fx->skel = skel;
	return skel;
}

static struct xdp_count_stats sum_stats(struct xdp_count *skel)
{
	struct xdp_count_stats total = { 0, 0 };
	int ncpu = libbpf_num_possible_cpus();
	struct xdp_count_stats *percpu;
	uint32_t key = 0;

	assert_true(ncpu > 0);
	percpu = calloc((size_t)ncpu, sizeof(*percpu));
	assert_non_null(percpu);
	assert_int_equal(bpf_map__lookup_elem(skel->maps.stats, &key, sizeof(key), percpu,
					      (size_t)ncpu * sizeof(*percpu), 0),
			 0);
	for (int i = 0; i < ncpu; i++) {
		total.packets += percpu[i].packets;
		total.bytes += percpu[i].bytes;
	}
	free(percpu);
	return total;
}

static void test_counts_start_at_zero(void **state)
{
	struct xdp_count *skel = load_or_skip(*state);
	struct xdp_count_stats st = sum_stats(skel);

	assert_int_equal(st.packets, 0);
	assert_int_equal(st.bytes, 0);
}

static void test_passes_and_counts(void **state)
{
	struct xdp_count *skel = load_or_skip(*state);
	uint8_t frame[FRAME_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* Ether dst: broadcast */
		0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* Ether src */
		0x08, 0x00,				/* type: IPv4 */
	};
	int prog_fd = bpf_program__fd(skel->progs.xdp_count);
	struct xdp_count_stats st;

	assert_true(prog_fd >= 0);
	for (int i = 0; i < RUNS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, opts,
			.data_in = frame,
			.data_size_in = sizeof(frame),
			.repeat = 1,
		);

		assert_int_equal(bpf_prog_test_run_opts(prog_fd, &opts), 0);
		assert_int_equal(opts.retval, XDP_PASS);
	}
	st = sum_stats(skel);
	assert_int_equal(st.packets, RUNS);
	assert_int_equal(st.bytes, RUNS * FRAME_LEN);
}

/* The kernel's repeat loop runs the program many times in one call, all on
 * one CPU: the counters must still add up exactly. */
static void test_repeat_counts_every_run(void **state)
{
	struct xdp_count *skel = load_or_skip(*state);
	uint8_t frame[FRAME_LEN] = { 0 };
	int prog_fd = bpf_program__fd(skel->progs.xdp_count);
	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = frame,
		.data_size_in = sizeof(frame),
		.repeat = 100,
	);
	struct xdp_count_stats st;

	assert_int_equal(bpf_prog_test_run_opts(prog_fd, &opts), 0);
	assert_int_equal(opts.retval, XDP_PASS);
	st = sum_stats(skel);
	assert_int_equal(st.packets, 100);
	assert_int_equal(st.bytes, 100 * FRAME_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts_start_at_zero, setup, teardown),
		cmocka_unit_test_setup_teardown(test_passes_and_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_counts_every_run, setup, teardown),
	};

	libbpf_set_print(quiet_print);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
