/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Paced, batched sending on a gn_io: what sendp, replay and the sr engine
 * share.  Frames are pushed one at a time, each with a deadline; the sender
 * gathers them into batches for gn_io_send and waits for each deadline
 * (sleeping, then spinning the last microseconds), sending what is already
 * due before it waits.  Deadlines are absolute (frame k of a paced run is
 * due at start + k * period), so a late wake-up never adds up to drift;
 * a sender that falls behind sends what is due together.
 *
 * Pushed bytes are copied into the sender's own batch buffer, so the
 * caller's buffer is free again as soon as gn_sender_push returns.  The
 * copy costs ~3 ns for a 64-byte frame and ~30 ns for 1500 bytes, against
 * ~1.8 us for the send itself; a sender that only borrowed the bytes would
 * make every caller keep them alive until an unknown flush.
 *
 * For deadlines kept to the microsecond, lower the thread's timer slack
 * first (prctl(PR_SET_TIMERSLACK, 1)): the default adds up to 50 us to
 * every sleep.  The library leaves that choice to the program.
 */
#ifndef GANNET_SENDER_H
#define GANNET_SENDER_H

#include <signal.h>

#include <gannet/io.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_sender;

struct gn_sender_opts {
	size_t sz;                          /* sizeof(struct gn_sender_opts) */
	/* Seconds between frames pushed without a deadline of their own
	 * (frame k, counting every push from 0, is due at the first push's
	 * time + k * period_s); 0 = as fast as possible. */
	double period_s;
	const volatile sig_atomic_t *stop;  /* stop once *stop (set by a signal handler) */
	unsigned batch;                     /* frames per gn_io_send at most; 0 = 256 */
	/* Called each time a batch has gone out, with the count sent so far
	 * (the place for a progress line).  May be NULL. */
	void (*flushed)(void *ctx, uint64_t sent);
	/* When set, a frame the kernel refuses on its own account (too long for
	 * the interface: -EMSGSIZE; malformed, e.g. shorter than the link
	 * header: -EINVAL) is skipped and counted in failed, and this is called
	 * with its push number (0-based) and what was wrong; the frames after
	 * it go on.  When NULL, such a refusal is an error like any other. */
	void (*refused)(void *ctx, uint64_t seq, const struct gn_error *e);
	void *ctx;
};

struct gn_sender_stats {
	uint64_t pushed;   /* frames accepted by gn_sender_push */
	uint64_t sent;     /* frames the interface took */
	uint64_t bytes;    /* bytes of those */
	uint64_t failed;   /* frames refused and skipped (opts.refused) */
	int64_t start_ns;  /* CLOCK_MONOTONIC of the first push; 0 before it */
};

/* A sender on io (which must be open for tx and outlive the sender). */
int gn_sender_new(struct gn_io *io, const struct gn_sender_opts *opts, struct gn_sender **out,
		  struct gn_error *err);
/* Queue data[len] (copied) for interface ifindex (0 = io's first) to go at
 * due_ns, an absolute CLOCK_MONOTONIC time in ns (gn_monotonic_ns()), or 0
 * for "by the period" (at once without one).  Frames go out in push order:
 * a deadline already past means at once.  Waits for the deadline first,
 * sending what is queued before it does; sends the batch when it is full.
 * Returns 0; -EINTR once *opts.stop was set (the frame is not queued, what
 * was queued and not sent stays so: gn_sender_free drops it); or the
 * negative errno of a failed send, with err saying what (interface gone,
 * down; a refusal when opts.refused is NULL), what was not sent staying
 * queued. */
int gn_sender_push(struct gn_sender *s, const uint8_t *data, size_t len, int ifindex,
		   int64_t due_ns, struct gn_error *err);
/* Send everything queued now; returns as gn_sender_push does. */
int gn_sender_flush(struct gn_sender *s, struct gn_error *err);
/* Frames sent so far. */
uint64_t gn_sender_sent(const struct gn_sender *s);
void gn_sender_stats(const struct gn_sender *s, struct gn_sender_stats *st);
/* Frees s; frames still queued are dropped (gn_sender_flush first). */
void gn_sender_free(struct gn_sender *s);

/* CLOCK_MONOTONIC in ns: the clock of due_ns. */
int64_t gn_monotonic_ns(void);

#ifdef __cplusplus
}
#endif
#endif
