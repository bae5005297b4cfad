// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The monitor XDP program (bpf/monitor.bpf.c) run in the kernel with
 * BPF_PROG_TEST_RUN: every frame passes, and what matches lands in the ring
 * buffer whole (or cut to the snap length), with its lengths and a
 * timestamp, across every size class of the copy; the tcpdump filter in
 * slot 0 decides what matches; the counters add up.  Needs BPF privileges:
 * skipped without them.
 */
#include "bpf_filter.h" /* first: it settles which struct is bpf_insn here */

#include <errno.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "testlib.h"

#include "monitor_map.h"
#include "monitor.skel.h"

#define MAX_RECS 32

struct got {
	struct gn_mon_rec hdr[MAX_RECS];
	uint8_t *data[MAX_RECS];
	unsigned n;
};

static int on_rec(void *ctx, void *data, size_t size)
{
	struct got *g = ctx;
	const struct gn_mon_rec *r = data;

	assert_true(g->n < MAX_RECS);
	assert_true(size >= sizeof(*r) + r->cap_len);
	g->hdr[g->n] = *r;
	g->data[g->n] = malloc(r->cap_len ? r->cap_len : 1);
	assert_non_null(g->data[g->n]);
	memcpy(g->data[g->n], r->data, r->cap_len);
	g->n++;
	return 0;
}

static void got_free(struct got *g)
{
	for (unsigned i = 0; i < g->n; i++)
		free(g->data[i]);
	g->n = 0;
}

static int teardown(void **state)
{
	monitor__destroy(*state);
	return 0;
}

static void set_slot(struct monitor *skel, uint32_t slot, int fd)
{
	assert_int_equal(bpf_map_update_elem(bpf_map__fd(skel->maps.jump), &slot, &fd, BPF_ANY), 0);
}

/* The program loaded (not attached) with this snap length and filter. */
static struct monitor *load_or_skip(void **state, unsigned snaplen, const char *filter)
{
	struct gn_mon_cfg cfg = { .snaplen = snaplen, .has_filter = filter != NULL,
				  .wakeup_ns = 1000000, .wakeup_bytes = 1 << 20 };
	struct monitor *skel = monitor__open();
	int err;

	assert_non_null(skel);
	bpf_program__set_expected_attach_type(skel->progs.gn_monitor, 0);
	bpf_program__set_expected_attach_type(skel->progs.gn_mon_match, 0);
	bpf_program__set_expected_attach_type(skel->progs.gn_mon_skip, 0);
	memcpy((void *)&skel->rodata->gn_cfg, &cfg, sizeof(cfg));
	err = monitor__load(skel);
	if (err == -EPERM || err == -EACCES) {
		monitor__destroy(skel);
		print_message("monitor: loading BPF not permitted here (%s), skipping\n",
			      strerror(-err));
		skip();
	}
	if (err)
		fail_msg("monitor__load: %s", strerror(-err));
	*state = skel;
	set_slot(skel, GN_MON_SLOT_MATCH, bpf_program__fd(skel->progs.gn_mon_match));
	set_slot(skel, GN_MON_SLOT_NOMATCH, bpf_program__fd(skel->progs.gn_mon_skip));
	if (filter) {
		struct gn_bpf_filter_opts fo = {
			.sz = sizeof(fo), .jump_map_fd = bpf_map__fd(skel->maps.jump),
			.match_slot = GN_MON_SLOT_MATCH, .nomatch_slot = GN_MON_SLOT_NOMATCH,
			.xdp_frags = true,
		};
		struct gn_error e = { 0 };
		int fd;

		if (gn_bpf_filter_load(filter, &fo, &fd, &e))
			fail_msg("gn_bpf_filter_load: %s", e.msg);
		set_slot(skel, GN_MON_SLOT_FILTER, fd);
		close(fd);
	}
	return skel;
}

static void run(struct monitor *skel, const uint8_t *data, size_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = data, .data_size_in = (uint32_t)len,
		    .repeat = 1);

	assert_int_equal(bpf_prog_test_run_opts(bpf_program__fd(skel->progs.gn_monitor), &o), 0);
	assert_int_equal(o.retval, XDP_PASS);  /* always */
}

static void drain(struct monitor *skel, struct got *g)
{
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(skel->maps.ring), on_rec, g, NULL);

	assert_non_null(rb);
	assert_true(ring_buffer__consume(rb) >= 0);
	ring_buffer__free(rb);
}

static void counters(struct monitor *skel, uint64_t v[GN_MON_NSTATS])
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *pc = calloc((size_t)ncpu, sizeof(*pc));

	assert_non_null(pc);
	for (uint32_t k = 0; k < GN_MON_NSTATS; k++) {
		assert_int_equal(bpf_map_lookup_elem(bpf_map__fd(skel->maps.stats), &k, pc), 0);
		v[k] = 0;
		for (int c = 0; c < ncpu; c++)
			v[k] += pc[c];
	}
	free(pc);
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* A frame of len bytes: an Ethernet header (type 0x88b5), then a pattern. */
static uint8_t *frame(size_t len)
{
	uint8_t *f = malloc(len);

	assert_non_null(f);
	for (size_t i = 0; i < len; i++)
		f[i] = (uint8_t)(i * 7 + 3);
	f[12] = 0x88, f[13] = 0xb5;
	return f;
}

/* Every size class of the copy, and both sides of each boundary. */
static void test_sizes(void **state)
{
	static const size_t sizes[] = { 14, 60, 128, 129, 256, 257, 512, 513, 1024, 1025,
					1536, 1537, 2048, 2049, 3000 };
	const size_t n = sizeof(sizes) / sizeof(sizes[0]);
	struct monitor *skel = load_or_skip(state, GN_MON_MAX_CAP, NULL);
	uint64_t v[GN_MON_NSTATS];
	struct got g = { .n = 0 };
	int64_t t0 = mono_ns(), t1;

	for (size_t i = 0; i < n; i++) {
		uint8_t *f = frame(sizes[i]);

		run(skel, f, sizes[i]);
		free(f);
	}
	t1 = mono_ns();
	drain(skel, &g);
	assert_int_equal(g.n, n);
	for (size_t i = 0; i < n; i++) {
		uint8_t *f = frame(sizes[i]);

		assert_int_equal(g.hdr[i].wire_len, sizes[i]);
		assert_int_equal(g.hdr[i].cap_len, sizes[i]);
		assert_memory_equal(g.data[i], f, sizes[i]);
		assert_true((int64_t)g.hdr[i].ts_ns >= t0 && (int64_t)g.hdr[i].ts_ns <= t1);
		free(f);
	}
	got_free(&g);
	counters(skel, v);
	assert_int_equal(v[GN_MON_SEEN], n);
	assert_int_equal(v[GN_MON_MATCHED], n);
	assert_int_equal(v[GN_MON_COPIED], n);
	assert_int_equal(v[GN_MON_PASSED], n);
	assert_int_equal(v[GN_MON_NOT_MATCHED] + v[GN_MON_RINGBUF_FULL] + v[GN_MON_FILTERED], 0);
}

static void test_snaplen(void **state)
{
	struct monitor *skel = load_or_skip(state, 100, NULL);
	struct got g = { .n = 0 };
	uint8_t *f = frame(1500);

	run(skel, f, 60);
	run(skel, f, 1500);
	drain(skel, &g);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.hdr[0].cap_len, 60);
	assert_int_equal(g.hdr[1].wire_len, 1500);
	assert_int_equal(g.hdr[1].cap_len, 100);
	assert_memory_equal(g.data[1], f, 100);
	free(f);
	got_free(&g);
}

static void test_filter(void **state)
{
	struct monitor *skel = load_or_skip(state, GN_MON_MAX_CAP, "udp port 1337");
	struct gn_arena *a = gn_arena_new(4096);
	static const char *const exprs[] = {
		"Ether()/IP()/UDP(sport=4000,dport=1337)/'yes'",
		"Ether()/IP()/UDP(sport=4000,dport=1338)/'no'",
		"Ether()/IPv6()/UDP(sport=1337,dport=53)/'yes'",
		"Ether()/IP()/TCP(dport=1337)",
		"Ether()/ARP()",
	};
	uint64_t v[GN_MON_NSTATS];
	struct got g = { .n = 0 };

	assert_non_null(a);
	for (size_t i = 0; i < sizeof(exprs) / sizeof(exprs[0]); i++) {
		struct gn_packet *p = parse_ok(exprs[i]);
		uint8_t *data;
		size_t len;

		assert_int_equal(gn_build(p, a, &data, &len), 0);
		run(skel, data, len);
		gn_packet_free(p);
	}
	gn_arena_free(a);
	drain(skel, &g);
	assert_int_equal(g.n, 2);
	assert_memory_equal(g.data[0] + g.hdr[0].cap_len - 3, "yes", 3);
	assert_memory_equal(g.data[1] + g.hdr[1].cap_len - 3, "yes", 3);
	got_free(&g);
	counters(skel, v);
	assert_int_equal(v[GN_MON_SEEN], 5);
	assert_int_equal(v[GN_MON_FILTERED], 5);
	assert_int_equal(v[GN_MON_MATCHED], 2);
	assert_int_equal(v[GN_MON_NOT_MATCHED], 3);
	assert_int_equal(v[GN_MON_COPIED], 2);
	assert_int_equal(v[GN_MON_PASSED], 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_sizes, teardown),
		cmocka_unit_test_teardown(test_snaplen, teardown),
		cmocka_unit_test_teardown(test_filter, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
