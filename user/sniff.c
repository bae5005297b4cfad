// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sniff loop (Scapy's sniff()): frames from a gn_io source, dissected on
 * request, handed to a callback one by one, until a count, a timeout, a
 * stop flag or the callback ends it.  One packet is reused for every frame,
 * so the loop allocates nothing per frame.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <gannet/gannet.h>

#define SNIFF_BURST 256
/* The longest wait in one gn_io_recv: a signal that lands just before the
 * wait starts is noticed after this long at most. */
#define SNIFF_WAIT_MS 100

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool stopped(const struct gn_sniff_opts *o)
{
	return o->stop && *o->stop;
}

/* Hand frames[0..n) to fn; > 0 or < 0 from fn ends the loop. */
static int deliver(gn_sniff_fn fn, void *ctx, const struct gn_frame *frames, int n,
		   struct gn_packet *pkt)
{
	const struct gn_proto *raw = gn_proto_find("Raw");

	for (int i = 0; i < n; i++) {
		const struct gn_frame *f = &frames[i];
		int rc;

		if (pkt) {
			const struct gn_proto *first =
				gn_proto_for_linktype(f->meta.linktype, f->data, f->meta.cap_len);

			gn_dissect(pkt, first ? first : raw, f->data, f->meta.cap_len);
			pkt->meta = f->meta;
		}
		rc = fn(ctx, f, pkt);
		if (rc)
			return rc;
	}
	return 0;
}

int gn_sniff(struct gn_io *io, const struct gn_sniff_opts *opts, gn_sniff_fn fn, void *ctx,
	     struct gn_error *err)
{
	struct gn_sniff_opts o = { 0 };
	struct gn_frame frames[SNIFF_BURST];
	struct gn_packet *pkt = NULL;
	uint64_t seen = 0, start, end = 0;
	int rc = 0;

	if (!opts || !opts->sz)
		return gn_error_set(err, -EINVAL, 0, "gn_sniff: opts.sz not set");
	memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	if (o.dissect) {
		pkt = gn_packet_new();
		if (!pkt)
			return gn_error_set(err, -ENOMEM, 0, "out of memory");
	}
	start = mono_ms();
	if (o.timeout_ms)
		end = start + o.timeout_ms;
	while (!stopped(&o) && (!o.count || seen < o.count)) {
		unsigned max = SNIFF_BURST;
		int wait = SNIFF_WAIT_MS, n;

		if (end) {
			uint64_t now = mono_ms();

			if (now >= end)
				break;
			if (end - now < (uint64_t)wait)
				wait = (int)(end - now);
		}
		/* Never take from the ring a frame the count would leave over. */
		if (o.count && o.count - seen < max)
			max = (unsigned)(o.count - seen);
		n = gn_io_recv(io, frames, max, wait);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			const char *msg = gn_io_errmsg(io);

			rc = gn_error_set(err, n, 0, "%s", *msg ? msg : gn_strerror(n));
			break;
		}
		if (!n)
			continue;
		seen += (uint64_t)n;
		rc = deliver(fn, ctx, frames, n, pkt);
		if (!rc && o.burst_end)
			rc = o.burst_end(ctx);
		if (rc) {
			if (rc > 0)
				rc = 0;
			break;
		}
	}
	gn_packet_free(pkt);
	return rc;
}
