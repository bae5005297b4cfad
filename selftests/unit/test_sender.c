// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gn_sender: options checked; and, on a veth pair in a network namespace
 * of its own (unshare(CLONE_NEWNET): nothing leaves it), frames pushed
 * arrive intact and in order although the caller's buffer changes after
 * every push; batches go out whole and the flushed callback hears of each;
 * a period and absolute deadlines are kept; a stop flag ends a wait; frames
 * the kernel refuses are skipped and counted, or are an error.  The tests
 * on the veth are skipped without the rights to make one.
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gannet/gannet.h>

/* Frames of a local experimental EtherType, which nothing else in the
 * namespace sends. */
#define ETYPE 0x88b5
#define FILTER "ether proto 0x88b5"
#define FRAME_LEN 64
#define MS 1000000LL

static bool usable;
static struct gn_io *tx_io, *rx_io;

static int sh(const char *cmd)
{
	char buf[256];
	int rc;

	snprintf(buf, sizeof(buf), "%s >/dev/null 2>&1", cmd);
	rc = system(buf);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static int setup(void **state)
{
	const char *txif[] = { "gns0" }, *rxif[] = { "gns1" };
	struct gn_io_opts to = { .sz = sizeof(to), .ifaces = txif, .nifaces = 1, .tx = true };
	struct gn_io_opts ro = { .sz = sizeof(ro), .ifaces = rxif, .nifaces = 1, .rx = true,
				 .filter = FILTER, .block_timeout_ms = 1 };
	struct gn_error err = { 0 };

	(void)state;
	if (geteuid() != 0 || unshare(CLONE_NEWNET) < 0)
		return 0;
	if (sh("ip link set lo up") || sh("ip link add gns0 type veth peer name gns1") ||
	    sh("ip link set gns0 up") || sh("ip link set gns1 up"))
		return 0;
	if (gn_io_open(NULL, &to, &tx_io, &err) < 0 || gn_io_open(NULL, &ro, &rx_io, &err) < 0) {
		print_error("gn_io_open: %s\n", err.msg);
		return 0;
	}
	usable = true;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	gn_io_close(tx_io);
	gn_io_close(rx_io);
	if (usable)
		sh("ip link del gns0");
	return 0;
}

#define NEED_NET() do { if (!usable) skip(); } while (0)

/* Frame number i: broadcast, EtherType ETYPE, i in the first payload bytes,
 * then a pattern of i; len bytes in all. */
static void frame(uint8_t *b, size_t len, uint32_t i)
{
	memset(b, 0xff, 6);
	memcpy(b + 6, "\x02\x00\x00\x00\x00\x01", 6);
	b[12] = ETYPE >> 8;
	b[13] = ETYPE & 0xff;
	memcpy(b + 14, &i, sizeof(i));
	for (size_t k = 18; k < len; k++)
		b[k] = (uint8_t)(i + k);
}

/* Receive until n frames came or 2 s passed; check each is frame(first + k)
 * of len bytes, in order.  Returns how many came. */
static unsigned expect_frames(unsigned n, uint32_t first, size_t len)
{
	struct gn_frame fr[64];
	uint8_t want[2048];
	int64_t end = gn_monotonic_ns() + 2000 * MS;
	unsigned got = 0;

	while (got < n && gn_monotonic_ns() < end) {
		int r = gn_io_recv(rx_io, fr, 64, 100);

		assert_true(r >= 0);
		for (int i = 0; i < r; i++, got++) {
			assert_true(got < n);
			frame(want, len, first + got);
			assert_int_equal(fr[i].meta.cap_len, len);
			assert_memory_equal(fr[i].data, want, len);
		}
	}
	return got;
}

static void drain(void)
{
	struct gn_frame fr[64];

	while (gn_io_recv(rx_io, fr, 64, 20) > 0)
		;
}

static struct gn_sender *new_sender(struct gn_sender_opts *o)
{
	struct gn_sender *s = NULL;
	struct gn_error err = { 0 };

	o->sz = sizeof(*o);
	assert_int_equal(gn_sender_new(tx_io, o, &s, &err), 0);
	assert_non_null(s);
	return s;
}

/* ---- without an interface ----------------------------------------------- */

static void test_opts_checked(void **state)
{
	struct gn_sender_opts o = { .sz = sizeof(o) };
	struct gn_sender *s = (struct gn_sender *)1;
	struct gn_io *fake = (struct gn_io *)&o;  /* never used: the options fail first */
	struct gn_error err = { 0 };

	(void)state;
	assert_int_equal(gn_sender_new(NULL, &o, &s, &err), -EINVAL);
	assert_null(s);
	assert_non_null(strstr(err.msg, "no gn_io"));

	memset(&err, 0, sizeof(err));
	o.sz = 0;
	assert_int_equal(gn_sender_new(fake, &o, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "opts.sz"));

	memset(&err, 0, sizeof(err));
	o.sz = sizeof(o);
	o.period_s = -1;
	assert_int_equal(gn_sender_new(fake, &o, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "bad period"));

	memset(&err, 0, sizeof(err));
	o.period_s = 0;
	o.batch = 100000;
	assert_int_equal(gn_sender_new(fake, &o, &s, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "batch"));

	gn_sender_free(NULL);
}

static void test_clock(void **state)
{
	struct timespec ts;
	int64_t a, b, c;

	(void)state;
	a = gn_monotonic_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	b = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	c = gn_monotonic_ns();
	assert_true(a > 0 && a <= b && b <= c);
}

/* ---- on the veth ------------------------------------------------------------ */

struct seen {
	unsigned flushes;
	uint64_t last_sent;
	unsigned refused;
	uint64_t refused_seq;
	char msg[GN_ERRMSG_MAX];
};

static void on_flushed(void *ctx, uint64_t sent)
{
	struct seen *n = ctx;

	n->flushes++;
	n->last_sent = sent;
}

static void on_refused(void *ctx, uint64_t seq, const struct gn_error *e)
{
	struct seen *n = ctx;

	n->refused++;
	n->refused_seq = seq;
	snprintf(n->msg, sizeof(n->msg), "%s", e->msg);
}

/* 1000 frames through one buffer that changes after each push: they
 * arrive as they were pushed, in batches of 16. */
static void test_copies_and_batches(void **state)
{
	struct seen seen = { 0 };
	struct gn_sender_opts o = { .batch = 16, .flushed = on_flushed, .ctx = &seen };
	struct gn_sender_stats st;
	struct gn_error err = { 0 };
	struct gn_sender *s;
	uint8_t buf[FRAME_LEN];

	(void)state;
	NEED_NET();
	drain();
	s = new_sender(&o);
	for (uint32_t i = 0; i < 1000; i++) {
		frame(buf, sizeof(buf), i);
		assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, 0, &err), 0);
		memset(buf, 0xee, sizeof(buf));
	}
	/* 62 full batches went as they filled; 8 frames wait */
	assert_int_equal(seen.flushes, 62);
	assert_int_equal(gn_sender_sent(s), 992);
	assert_int_equal(gn_sender_flush(s, &err), 0);
	assert_int_equal(seen.flushes, 63);
	assert_int_equal(seen.last_sent, 1000);
	gn_sender_stats(s, &st);
	assert_int_equal(st.pushed, 1000);
	assert_int_equal(st.sent, 1000);
	assert_int_equal(st.bytes, 1000 * FRAME_LEN);
	assert_int_equal(st.failed, 0);
	assert_true(st.start_ns > 0);
	assert_int_equal(expect_frames(1000, 0, FRAME_LEN), 1000);
	gn_sender_free(s);
}

/* Frames of many sizes, some bigger than the buffer the sender starts with. */
static void test_sizes(void **state)
{
	struct gn_sender_opts o = { .batch = 64 };
	struct gn_error err = { 0 };
	struct gn_frame fr[64];
	struct gn_sender *s;
	uint8_t buf[1514], want[1514];
	unsigned got = 0;
	int64_t end;

	(void)state;
	NEED_NET();
	drain();
	s = new_sender(&o);
	for (uint32_t i = 0; i < 200; i++) {
		frame(buf, 60 + (i * 37) % 1455, i);
		assert_int_equal(gn_sender_push(s, buf, 60 + (i * 37) % 1455, 0, 0, &err), 0);
	}
	assert_int_equal(gn_sender_flush(s, &err), 0);
	end = gn_monotonic_ns() + 2000 * MS;
	while (got < 200 && gn_monotonic_ns() < end) {
		int r = gn_io_recv(rx_io, fr, 64, 100);

		for (int i = 0; i < r; i++, got++) {
			size_t len = 60 + (got * 37) % 1455;

			frame(want, len, got);
			assert_int_equal(fr[i].meta.cap_len, len);
			assert_memory_equal(fr[i].data, want, len);
		}
	}
	assert_int_equal(got, 200);
	gn_sender_free(s);
}

/* A period of 2 ms: frame k at start + 2k ms, never before; the whole run
 * not much later (deadlines are absolute). */
static void test_period(void **state)
{
	struct gn_sender_opts o = { .period_s = 0.002 };
	struct gn_error err = { 0 };
	struct gn_sender_stats st;
	struct gn_sender *s;
	uint8_t buf[FRAME_LEN];
	int64_t el;

	(void)state;
	NEED_NET();
	drain();
	s = new_sender(&o);
	for (uint32_t i = 0; i < 50; i++) {
		frame(buf, sizeof(buf), i);
		assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, 0, &err), 0);
		gn_sender_stats(s, &st);
		assert_true(gn_monotonic_ns() >= st.start_ns + (int64_t)i * 2 * MS);
	}
	assert_int_equal(gn_sender_flush(s, &err), 0);
	el = gn_monotonic_ns() - st.start_ns;
	assert_true(el >= 98 * MS);
	assert_true(el < 98 * MS + 20 * MS);
	assert_int_equal(expect_frames(50, 0, FRAME_LEN), 50);
	gn_sender_free(s);
}

/* Deadlines of their own: each push returns at its deadline, not before;
 * one already past goes at once; frames keep their push order. */
static void test_due(void **state)
{
	static const int due_ms[] = { 0, 30, 10, 50, 50, 60 };
	struct gn_sender_opts o = { 0 };
	struct gn_error err = { 0 };
	struct gn_sender *s;
	uint8_t buf[FRAME_LEN];
	int64_t t0, prev = 0;

	(void)state;
	NEED_NET();
	drain();
	s = new_sender(&o);
	t0 = gn_monotonic_ns() + 5 * MS;
	for (uint32_t i = 0; i < 6; i++) {
		int64_t due = t0 + due_ms[i] * MS, now;

		frame(buf, sizeof(buf), i);
		assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, due, &err), 0);
		now = gn_monotonic_ns();
		assert_true(now >= due);
		/* a deadline already past does not wait */
		if (i == 2)
			assert_true(now - prev < 5 * MS);
		prev = now;
	}
	assert_true(prev - t0 < 70 * MS);
	assert_int_equal(gn_sender_flush(s, &err), 0);
	assert_int_equal(expect_frames(6, 0, FRAME_LEN), 6);
	gn_sender_free(s);
}

static volatile sig_atomic_t stop_flag;

static void on_alarm(int sig)
{
	stop_flag = sig;
}

/* *stop ends a wait for a deadline 10 s away at once, and refuses pushes
 * after; what was queued stays queued. */
static void test_stop(void **state)
{
	struct gn_sender_opts o = { .stop = &stop_flag };
	struct itimerval it = { .it_value = { .tv_usec = 50000 } };
	struct sigaction sa = { .sa_handler = on_alarm };
	struct gn_sender_stats st;
	struct gn_error err = { 0 };
	struct gn_sender *s;
	uint8_t buf[FRAME_LEN];
	int64_t t0;

	(void)state;
	NEED_NET();
	drain();
	stop_flag = 0;
	s = new_sender(&o);
	frame(buf, sizeof(buf), 0);
	assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, 0, &err), 0);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	t0 = gn_monotonic_ns();
	frame(buf, sizeof(buf), 1);
	assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, t0 + 10000 * MS, &err), -EINTR);
	assert_true(gn_monotonic_ns() - t0 < 1000 * MS);
	assert_int_equal(err.code, 0);
	/* the frame before the wait was sent before waiting */
	assert_int_equal(gn_sender_sent(s), 1);
	assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, 0, &err), -EINTR);
	assert_int_equal(gn_sender_flush(s, &err), 0);
	gn_sender_stats(s, &st);
	assert_int_equal(st.pushed, 1);
	assert_int_equal(expect_frames(1, 0, FRAME_LEN), 1);
	signal(SIGALRM, SIG_DFL);
	gn_sender_free(s);
}

/* With a refused callback: a frame shorter than an Ethernet header and one
 * beyond the MTU are skipped and counted, the others go.  Without one: an
 * error that names the interface, the frame staying queued. */
static void test_refused(void **state)
{
	struct seen seen = { 0 };
	struct gn_sender_opts o = { .refused = on_refused, .ctx = &seen };
	struct gn_sender_stats st;
	struct gn_error err = { 0 };
	struct gn_sender *s;
	static uint8_t big[3000];
	uint8_t buf[FRAME_LEN];

	(void)state;
	NEED_NET();
	drain();
	s = new_sender(&o);
	frame(buf, sizeof(buf), 0);
	assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, 0, &err), 0);
	assert_int_equal(gn_sender_push(s, buf, 5, 0, 0, &err), 0);
	frame(big, sizeof(big), 99);
	assert_int_equal(gn_sender_push(s, big, sizeof(big), 0, 0, &err), 0);
	frame(buf, sizeof(buf), 1);
	assert_int_equal(gn_sender_push(s, buf, sizeof(buf), 0, 0, &err), 0);
	assert_int_equal(gn_sender_flush(s, &err), 0);
	assert_int_equal(err.code, 0);
	assert_int_equal(seen.refused, 2);
	assert_int_equal(seen.refused_seq, 2);
	assert_non_null(strstr(seen.msg, "gns0"));
	assert_non_null(strstr(seen.msg, "MTU"));
	gn_sender_stats(s, &st);
	assert_int_equal(st.sent, 2);
	assert_int_equal(st.failed, 2);
	assert_int_equal(st.bytes, 2 * FRAME_LEN);
	assert_int_equal(expect_frames(2, 0, FRAME_LEN), 2);
	gn_sender_free(s);

	memset(&o, 0, sizeof(o));
	s = new_sender(&o);
	assert_int_equal(gn_sender_push(s, big, sizeof(big), 0, 0, &err), 0);
	assert_int_equal(gn_sender_flush(s, &err), -EMSGSIZE);
	assert_non_null(strstr(err.msg, "gns0: send: frame larger than the MTU"));
	gn_sender_stats(s, &st);
	assert_int_equal(st.sent, 0);
	assert_int_equal(st.failed, 0);
	/* still queued: the next flush meets it again */
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_sender_flush(s, &err), -EMSGSIZE);
	gn_sender_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_checked),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_copies_and_batches),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_period),
		cmocka_unit_test(test_due),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
