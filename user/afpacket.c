// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The afpacket backend: one receive ring and one sender per interface,
 * polled together.  Frames of several interfaces come out round-robin, a
 * burst from each ring in turn, each with meta.ifindex saying where it was
 * seen; frames to send go to the interface their meta.ifindex names.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "afpacket.h"

struct gn_afp {
	const struct gn_io_iface *ifs;
	unsigned nifs;
	struct gn_afp_rx *rx;     /* nifs rings, or NULL when not receiving */
	struct gn_afp_tx *tx;     /* nifs senders, or NULL when not sending */
	struct pollfd *pfds;
	unsigned block_timeout_ms;
	unsigned rr;              /* the ring read first next time */
	/* An interface that failed: its frames still in the ring are handed
	 * out first, and the kernel may close its last block up to one block
	 * timeout later, so the error waits until then. */
	int pending_err;          /* positive errno; 0 = none */
	unsigned pending_ifc;
	int64_t pending_at_ns;
	uint64_t received;
	uint64_t sent;
	uint64_t send_errors;
};

int64_t gn_afp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int gn_afp_setint(int fd, int level, int name, int v)
{
	return setsockopt(fd, level, name, &v, sizeof(v)) < 0 ? -errno : 0;
}

int gn_afp_errno(const struct gn_io_iface *ifc, int e, const char *what, struct gn_error *err)
{
	switch (e) {
	case ENXIO:
	case ENODEV:
		return gn_error_set(err, -ENODEV, 0, "%s: interface went away", ifc->name);
	case ENETDOWN:
		return gn_error_set(err, -ENETDOWN, 0, "%s: interface went down", ifc->name);
	case EMSGSIZE:
		return gn_error_set(err, -EMSGSIZE, 0, "%s: %s: frame larger than the MTU (%u)",
				    ifc->name, what, ifc->mtu);
	default:
		return gn_error_set(err, -e, 0, "%s: %s: %s", ifc->name, what, strerror(e));
	}
}

void gn_afp_close(struct gn_afp *a)
{
	if (!a)
		return;
	for (unsigned i = 0; i < a->nifs; i++) {
		if (a->rx)
			gn_afp_rx_close(&a->rx[i]);
		if (a->tx)
			gn_afp_tx_close(&a->tx[i]);
	}
	free(a->rx);
	free(a->tx);
	free(a->pfds);
	free(a);
}

int gn_afp_open(const struct gn_io_opts *o, const struct gn_io_iface *ifs, unsigned nifs,
		struct gn_afp **out, struct gn_error *err)
{
	struct gn_afp *a;
	int rc = 0;

	a = calloc(1, sizeof(*a));
	if (!a)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	a->ifs = ifs;
	a->nifs = nifs;
	a->block_timeout_ms = o->block_timeout_ms ? o->block_timeout_ms : 10;
	if (o->rx) {
		a->rx = calloc(nifs, sizeof(*a->rx));
		a->pfds = calloc(nifs, sizeof(*a->pfds));
		if (!a->rx || !a->pfds)
			rc = gn_error_set(err, -ENOMEM, 0, "out of memory");
		for (unsigned i = 0; i < nifs; i++)
			a->rx[i].fd = -1;
		for (unsigned i = 0; i < nifs && !rc; i++) {
			rc = gn_afp_rx_open(&a->rx[i], o, &ifs[i], err);
			a->pfds[i].fd = a->rx[i].fd;
			a->pfds[i].events = POLLIN;
		}
	}
	if (o->tx && !rc) {
		a->tx = calloc(nifs, sizeof(*a->tx));
		if (!a->tx)
			rc = gn_error_set(err, -ENOMEM, 0, "out of memory");
		for (unsigned i = 0; i < nifs && a->tx; i++)
			a->tx[i].fd = -1;
		for (unsigned i = 0; i < nifs && !rc; i++)
			rc = gn_afp_tx_open(&a->tx[i], o, &ifs[i], err);
	}
	if (rc) {
		gn_afp_close(a);
		return rc;
	}
	*out = a;
	return 0;
}

static unsigned take_all(struct gn_afp *a, struct gn_frame *frames, unsigned max)
{
	unsigned n = 0;

	for (unsigned k = 0; k < a->nifs && n < max; k++)
		n += gn_afp_rx_take(&a->rx[(a->rr + k) % a->nifs], frames + n, max - n);
	a->rr = (a->rr + 1) % a->nifs;
	return n;
}

/* poll said POLLERR on ring i: note why, to be reported once the ring has
 * given everything it still holds. */
static void note_failure(struct gn_afp *a, unsigned i)
{
	/* Nothing more will come on it: stop polling it. */
	a->pfds[i].fd = -1;
	if (a->pending_err)
		return;
	a->pending_err = gn_afp_rx_sockerr(&a->rx[i]);
	a->pending_ifc = i;
	a->pending_at_ns = gn_afp_now_ns() + ((int64_t)a->block_timeout_ms + 20) * 1000000;
}

int gn_afp_recv(struct gn_afp *a, struct gn_frame *frames, unsigned max, int timeout_ms,
		struct gn_error *err)
{
	int64_t deadline = 0, now;
	bool polled = false;
	unsigned n;

	if (!a->rx)
		return gn_error_set(err, -EINVAL, 0, "not opened for receiving");
	for (unsigned i = 0; i < a->nifs; i++)
		gn_afp_rx_release(&a->rx[i]);
	if (!max)
		return 0;
	if (timeout_ms > 0)
		deadline = gn_afp_now_ns() + (int64_t)timeout_ms * 1000000;
	for (;;) {
		int wait = timeout_ms, r;

		n = take_all(a, frames, max);
		if (n) {
			a->received += n;
			return (int)n;
		}
		now = a->pending_err || timeout_ms > 0 ? gn_afp_now_ns() : 0;
		/* Whether it is gone or just down is asked only now: a deleted
		 * device first goes down, then away. */
		if (a->pending_err && now >= a->pending_at_ns)
			return gn_afp_rx_error(&a->rx[a->pending_ifc], a->pending_err, err);
		/* Even without waiting, poll once: it is how a failed
		 * interface is noticed. */
		if (timeout_ms == 0 && polled)
			return 0;
		if (timeout_ms > 0) {
			if (now >= deadline)
				return 0;
			wait = (int)((deadline - now + 999999) / 1000000);
		}
		if (a->pending_err) {
			int left = (int)((a->pending_at_ns - now + 999999) / 1000000);

			if (wait < 0 || left < wait)
				wait = left;
		}
		r = poll(a->pfds, a->nifs, wait);
		polled = true;
		if (r < 0) {
			if (errno == EINTR)
				return -EINTR;
			return gn_error_set(err, -errno, 0, "poll: %s", strerror(errno));
		}
		for (unsigned i = 0; i < a->nifs && r > 0; i++)
			if (a->pfds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				note_failure(a, i);
	}
}

int gn_afp_send(struct gn_afp *a, const struct gn_frame *frames, unsigned n,
		struct gn_error *err)
{
	unsigned done = 0;

	if (!a->tx)
		return gn_error_set(err, -EINVAL, 0, "not opened for sending");
	while (done < n) {
		int ifindex = frames[done].meta.ifindex;
		struct gn_afp_tx *tx = NULL;
		unsigned run = 1;
		int rc;

		if (!ifindex) {
			tx = &a->tx[0];
		} else {
			for (unsigned i = 0; i < a->nifs && !tx; i++)
				if (a->ifs[i].ifindex == ifindex)
					tx = &a->tx[i];
		}
		if (!tx) {
			rc = gn_error_set(err, -EINVAL, 0,
					  "frame %u: interface index %d was not opened", done, ifindex);
			return done ? (int)done : rc;
		}
		/* A run of frames for the same interface goes out as one batch. */
		while (done + run < n && frames[done + run].meta.ifindex == ifindex)
			run++;
		rc = gn_afp_tx_send(tx, frames + done, run, &a->send_errors, err);
		if (rc < 0)
			return done ? (int)done : rc;
		done += (unsigned)rc;
		a->sent += (unsigned)rc;
		if ((unsigned)rc < run)
			break;
	}
	return (int)done;
}

int gn_afp_stats(struct gn_afp *a, struct gn_io_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->received = a->received;
	st->sent = a->sent;
	st->send_errors = a->send_errors;
	for (unsigned i = 0; a->rx && i < a->nifs; i++) {
		gn_afp_rx_update_drops(&a->rx[i]);
		st->kernel_dropped += a->rx[i].drops;
	}
	return 0;
}
