// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gn_sender: frames pushed one at a time go out in batches, each at its
 * deadline.  The batch's bytes live in one buffer of the sender's; frames
 * point into it by offset until they are sent, so the buffer may move when
 * it grows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gannet/sender.h>

#define BATCH_DEFAULT 256
#define BATCH_MAX 4096
/* The last stretch before a deadline is waited out spinning: a sleep
 * wakes up tens of microseconds late on a busy machine. */
#define SPIN_NS 20000
#define BUF_INITIAL ((size_t)64 << 10)

struct gn_sender {
	struct gn_io *io;
	struct gn_sender_opts o;
	struct gn_frame *batch;   /* nb frames waiting, data set when sent */
	size_t *off;              /* where each one's bytes are in buf */
	unsigned nb, max;
	uint8_t *buf;
	size_t len, cap;
	double period_ns;
	struct gn_sender_stats st;
};

int64_t gn_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int gn_sender_new(struct gn_io *io, const struct gn_sender_opts *opts, struct gn_sender **out,
		  struct gn_error *err)
{
	struct gn_sender *s;

	*out = NULL;
	if (!io)
		return gn_error_set(err, -EINVAL, 0, "gn_sender_new: no gn_io to send on");
	if (!opts || opts->sz < offsetof(struct gn_sender_opts, stop))
		return gn_error_set(err, -EINVAL, 0, "gn_sender_new: opts.sz not set");
	if (!(opts->period_s >= 0) || opts->period_s > 1e9)
		return gn_error_set(err, -EINVAL, 0, "gn_sender_new: bad period %g s", opts->period_s);
	if (opts->batch > BATCH_MAX)
		return gn_error_set(err, -EINVAL, 0, "gn_sender_new: batch %u is over %u",
				    opts->batch, BATCH_MAX);
	s = calloc(1, sizeof(*s));
	if (!s)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	memcpy(&s->o, opts, opts->sz < sizeof(s->o) ? opts->sz : sizeof(s->o));
	s->o.sz = sizeof(s->o);
	s->io = io;
	s->max = s->o.batch ? s->o.batch : BATCH_DEFAULT;
	s->period_ns = s->o.period_s * 1e9;
	s->batch = calloc(s->max, sizeof(*s->batch));
	s->off = calloc(s->max, sizeof(*s->off));
	if (!s->batch || !s->off) {
		gn_sender_free(s);
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	}
	*out = s;
	return 0;
}

void gn_sender_free(struct gn_sender *s)
{
	if (!s)
		return;
	free(s->batch);
	free(s->off);
	free(s->buf);
	free(s);
}

static bool stopped(const struct gn_sender *s)
{
	return s->o.stop && *s->o.stop;
}

/* The frames from i on move to the front: those before it are done with. */
static void drop_front(struct gn_sender *s, unsigned i)
{
	if (!i)
		return;
	memmove(s->batch, s->batch + i, (s->nb - i) * sizeof(*s->batch));
	memmove(s->off, s->off + i, (s->nb - i) * sizeof(*s->off));
	s->nb -= i;
}

/* A refusal that is about the frame itself, not the interface. */
static bool frame_refused(int rc)
{
	return rc == -EMSGSIZE || rc == -EINVAL;
}

int gn_sender_flush(struct gn_sender *s, struct gn_error *err)
{
	unsigned off = 0;
	int rc = 0;

	for (unsigned i = 0; i < s->nb; i++)
		s->batch[i].data = s->buf + s->off[i];
	while (off < s->nb) {
		rc = gn_io_send(s->io, s->batch + off, s->nb - off);
		if (rc == -EINTR) {
			if (stopped(s))
				break;
			continue;
		}
		if (rc < 0) {
			const char *msg = gn_io_errmsg(s->io);
			struct gn_error e = { 0 };

			gn_error_set(&e, rc, 0, "%s", *msg ? msg : gn_strerror(rc));
			if (!frame_refused(rc) || !s->o.refused) {
				gn_error_set(err, rc, 0, "%s", e.msg);
				break;
			}
			/* An error is about the first frame handed over. */
			s->st.failed++;
			s->o.refused(s->o.ctx, s->st.pushed - (s->nb - off), &e);
			off++;
			continue;
		}
		if (!rc) {
			/* no backend does this; better an error than a spin */
			rc = gn_error_set(err, -EIO, 0, "send: the interface took no frame");
			break;
		}
		for (int i = 0; i < rc; i++)
			s->st.bytes += s->batch[off + i].meta.cap_len;
		off += (unsigned)rc;
		s->st.sent += (unsigned)rc;
	}
	drop_front(s, off);
	if (s->nb)
		return rc < 0 ? rc : -EINTR;
	s->len = 0;
	if (s->o.flushed)
		s->o.flushed(s->o.ctx, s->st.sent);
	return 0;
}

static int wait_until(const struct gn_sender *s, int64_t t)
{
	int64_t wake = t - SPIN_NS;
	struct timespec ts = { .tv_sec = wake / 1000000000, .tv_nsec = wake % 1000000000 };

	if (wake > gn_monotonic_ns())
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			if (stopped(s))
				return -EINTR;
	while (gn_monotonic_ns() < t)
		if (stopped(s))
			return -EINTR;
	return 0;
}

static int reserve(struct gn_sender *s, size_t len)
{
	size_t cap = s->cap ? s->cap : BUF_INITIAL;
	uint8_t *b;

	while (cap - s->len < len) {
		if (cap > SIZE_MAX / 2)
			return -ENOMEM;
		cap *= 2;
	}
	if (cap == s->cap)
		return 0;
	b = realloc(s->buf, cap);
	if (!b)
		return -ENOMEM;
	s->buf = b;
	s->cap = cap;
	return 0;
}

int gn_sender_push(struct gn_sender *s, const uint8_t *data, size_t len, int ifindex,
		   int64_t due_ns, struct gn_error *err)
{
	struct gn_frame *f;
	int rc;

	if (stopped(s))
		return -EINTR;
	if (len > UINT32_MAX)
		return gn_error_set(err, -EMSGSIZE, 0, "frame of %zu bytes: too long", len);
	if (!s->st.start_ns)
		s->st.start_ns = gn_monotonic_ns();
	if (!due_ns && s->period_ns > 0)
		due_ns = s->st.start_ns + (int64_t)((double)s->st.pushed * s->period_ns);
	if (due_ns && gn_monotonic_ns() < due_ns) {
		rc = gn_sender_flush(s, err);
		if (!rc)
			rc = wait_until(s, due_ns);
		if (rc)
			return rc;
	}
	if (s->len + len > s->cap && reserve(s, len) < 0)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	if (len)
		memcpy(s->buf + s->len, data, len);
	s->off[s->nb] = s->len;
	s->len += len;
	f = &s->batch[s->nb++];
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.cap_len = f->meta.wire_len = (uint32_t)len;
	f->meta.ifindex = ifindex;
	s->st.pushed++;
	return s->nb < s->max ? 0 : gn_sender_flush(s, err);
}

uint64_t gn_sender_sent(const struct gn_sender *s)
{
	return s->st.sent;
}

void gn_sender_stats(const struct gn_sender *s, struct gn_sender_stats *st)
{
	*st = s->st;
}
