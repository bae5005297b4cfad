// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * One AF_XDP socket on one receive queue, with a UMEM of its own (libxdp's
 * xsk helpers: the rings are shared memory, the data path is plain loads
 * and stores).
 *
 * Receiving hands out the frames where the kernel wrote them, in the UMEM:
 * no copy.  Their buffers go back to the fill ring at the next receive,
 * when the caller is done with them.  The rx half of the UMEM holds as many
 * frames as the fill ring has slots, so giving them back always fits.
 *
 * Sending copies each frame into a free frame of the tx half and queues its
 * descriptor; the kernel gives the frame back through the completion ring
 * once sent.  need_wakeup is on: the kernel is woken (sendto, recvfrom) only
 * when it says it sleeps, which copy mode always does for tx.
 */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <bpf/bpf.h>

#include "io_xdp.h"

#ifndef SO_PREFER_BUSY_POLL
#define SO_PREFER_BUSY_POLL 69
#endif
#ifndef SO_BUSY_POLL_BUDGET
#define SO_BUSY_POLL_BUDGET 70
#endif

/* What the kernel keeps in front of the data of each UMEM frame. */
#define KERNEL_HEADROOM 256u  /* XDP_PACKET_HEADROOM */
#define VLAN_HLEN 4
#define BUSY_POLL_US 20
#define BUSY_POLL_BUDGET 64
/* A full tx ring is waited out this long before it is an error. */
#define TX_FULL_WAIT_MS 2000
/* sendto calls in one kick: a full tx ring, 32 frames a call, twice over. */
#define KICK_MAX (2 * GN_XSK_TX_FRAMES / 32)

unsigned gn_xsk_max_frame(void)
{
	return GN_XSK_FRAME_SIZE - KERNEL_HEADROOM;
}

static int open_error(const struct gn_xsk *s, const struct gn_io_opts *o, int rc,
		      struct gn_error *err)
{
	const char *name = s->ifc->name;

	switch (-rc) {
	case EPERM:
	case EACCES:
		return gn_error_set(err, -EPERM, 0, "%s: AF_XDP sockets need CAP_NET_RAW (run as root)",
				    name);
	case EBUSY:
		return gn_error_set(err, -EBUSY, 0,
				    "%s: queue %u already has an AF_XDP socket (another program "
				    "uses it)", name, s->queue);
	case EAFNOSUPPORT:
		return gn_error_set(err, rc, 0, "%s: this kernel has no AF_XDP sockets", name);
	case ENOMEM:
	case ENOBUFS:
		return gn_error_set(err, rc, 0,
				    "%s: no memory for the AF_XDP buffers (%zu KiB for queue %u; "
				    "locked memory limit: ulimit -l)", name, s->area_len / 1024,
				    s->queue);
	case EOPNOTSUPP:
	case EPROTONOSUPPORT:
		if (o->xdp_copy == GN_XDP_COPY_ZEROCOPY)
			return gn_error_set(err, rc, 0,
					    "%s: the driver cannot do zero-copy AF_XDP (copy mode, which "
					    "the default falls back to, works)", name);
		return gn_error_set(err, rc, 0, "%s: the driver refused the AF_XDP socket: %s", name,
				    strerror(-rc));
	case ENETDOWN:
		return gn_error_set(err, rc, 0, "%s: interface is down", name);
	case ENODEV:
	case ENXIO:
		return gn_error_set(err, -ENODEV, 0, "%s: interface went away", name);
	default:
		return gn_error_set(err, rc, 0, "%s: AF_XDP socket on queue %u: %s", name, s->queue,
				    strerror(-rc));
	}
}

static int setint(int fd, int name, int v)
{
	return setsockopt(fd, SOL_SOCKET, name, &v, sizeof(v)) < 0 ? -errno : 0;
}

/* The driver is polled from our recv calls instead of waiting for its
 * interrupt: lower latency, a busy CPU. */
static int busy_poll(struct gn_xsk *s, struct gn_error *err)
{
	if (setint(s->fd, SO_PREFER_BUSY_POLL, 1) || setint(s->fd, SO_BUSY_POLL, BUSY_POLL_US) ||
	    setint(s->fd, SO_BUSY_POLL_BUDGET, BUSY_POLL_BUDGET))
		return gn_error_set(err, -errno, 0, "%s: busy polling: %s", s->ifc->name,
				    strerror(errno));
	return 0;
}

static int fill_all(struct gn_xsk *s)
{
	uint32_t idx;

	if (xsk_ring_prod__reserve(&s->fill, GN_XSK_RX_FRAMES, &idx) != GN_XSK_RX_FRAMES)
		return -ENOBUFS;
	for (uint32_t i = 0; i < GN_XSK_RX_FRAMES; i++)
		*xsk_ring_prod__fill_addr(&s->fill, idx + i) = (uint64_t)i * GN_XSK_FRAME_SIZE;
	xsk_ring_prod__submit(&s->fill, GN_XSK_RX_FRAMES);
	return 0;
}

int gn_xsk_open(struct gn_xsk *s, const struct gn_io_iface *ifc, unsigned queue,
		const struct gn_io_opts *o, int xsks_fd, struct gn_error *err)
{
	struct xsk_umem_config uc = {
		.fill_size = GN_XSK_RX_FRAMES, .comp_size = GN_XSK_TX_FRAMES,
		.frame_size = GN_XSK_FRAME_SIZE, .frame_headroom = 0,
	};
	struct xsk_socket_config sc = {
		.rx_size = GN_XSK_RX_FRAMES, .tx_size = GN_XSK_TX_FRAMES,
		/* The steer program is ours: libxdp must not load its own. */
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	struct xdp_options opts;
	socklen_t len = sizeof(opts);
	int rc;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->ifc = ifc;
	s->queue = queue;
	s->has_rx = o->rx;
	s->has_tx = o->tx;
	if (o->xdp_copy == GN_XDP_COPY_ZEROCOPY)
		sc.bind_flags |= XDP_ZEROCOPY;
	else if (o->xdp_copy == GN_XDP_COPY_COPY)
		sc.bind_flags |= XDP_COPY;
	/* Only the halves the socket uses: with many queues, it adds up. */
	s->area_len = (size_t)((s->has_rx ? GN_XSK_RX_FRAMES : 0) +
			       (s->has_tx ? GN_XSK_TX_FRAMES : 0)) * GN_XSK_FRAME_SIZE;
	s->area = mmap(NULL, s->area_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->area == MAP_FAILED) {
		s->area = NULL;
		return open_error(s, o, -errno, err);
	}
	rc = xsk_umem__create(&s->umem, s->area, s->area_len, &s->fill, &s->comp, &uc);
	if (rc) {
		s->umem = NULL;
		return open_error(s, o, rc, err);
	}
	rc = xsk_socket__create(&s->xsk, ifc->name, queue, s->umem, s->has_rx ? &s->rx : NULL,
				s->has_tx ? &s->tx : NULL, &sc);
	if (rc) {
		s->xsk = NULL;
		return open_error(s, o, rc, err);
	}
	s->fd = xsk_socket__fd(s->xsk);
	if (getsockopt(s->fd, SOL_XDP, XDP_OPTIONS, &opts, &len) == 0)
		s->zero_copy = opts.flags & XDP_OPTIONS_ZEROCOPY;
	if (o->busy_poll && (rc = busy_poll(s, err)))
		return rc;
	for (unsigned i = 0; s->has_tx && i < GN_XSK_TX_FRAMES; i++)
		s->free_tx[i] = (uint64_t)((s->has_rx ? GN_XSK_RX_FRAMES : 0) + i) * GN_XSK_FRAME_SIZE;
	s->nfree_tx = s->has_tx ? GN_XSK_TX_FRAMES : 0;
	if (!s->has_rx)
		return 0;
	if (fill_all(s))
		return gn_error_set(err, -ENOBUFS, 0, "%s: filling the AF_XDP fill ring", ifc->name);
	if (bpf_map_update_elem(xsks_fd, &s->queue, &s->fd, BPF_ANY))
		return gn_error_set(err, -errno, 0, "%s: queue %u: adding the socket to the XSKMAP: %s",
				    ifc->name, queue, strerror(errno));
	return 0;
}

unsigned gn_xsk_take(struct gn_xsk *s, struct gn_frame *frames, unsigned max)
{
	uint32_t idx, n;

	if (max > GN_XSK_RX_FRAMES - s->nheld)
		max = GN_XSK_RX_FRAMES - s->nheld;
	n = xsk_ring_cons__peek(&s->rx, max, &idx);
	for (uint32_t i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&s->rx, idx + i);
		struct gn_frame *f = &frames[i];
		uint32_t dlen = d->len;

		/* A descriptor the kernel wrote, but still: never past the frame. */
		if (d->addr % GN_XSK_FRAME_SIZE + dlen > GN_XSK_FRAME_SIZE)
			dlen = GN_XSK_FRAME_SIZE - (uint32_t)(d->addr % GN_XSK_FRAME_SIZE);
		memset(&f->meta, 0, sizeof(f->meta));
		f->data = xsk_umem__get_data(s->area, d->addr);
		f->meta.wire_len = d->len;
		f->meta.cap_len = dlen;
		f->meta.ifindex = s->ifc->ifindex;
		f->meta.linktype = s->ifc->linktype;
		s->held[s->nheld++] = d->addr - d->addr % GN_XSK_FRAME_SIZE;
	}
	/* The descriptors are read: their slots are free; the frames stay
	 * ours until gn_xsk_release. */
	if (n)
		xsk_ring_cons__release(&s->rx, n);
	return n;
}

void gn_xsk_poke(struct gn_xsk *s)
{
	recvfrom(s->fd, NULL, 0, MSG_DONTWAIT, NULL, NULL);
}

void gn_xsk_release(struct gn_xsk *s)
{
	uint32_t idx;

	if (!s->nheld)
		return;
	/* Every frame not in the fill ring is held here or in flight in the
	 * rx ring, and the ring has a slot for each: this cannot fall short. */
	if (xsk_ring_prod__reserve(&s->fill, s->nheld, &idx) != s->nheld)
		return;
	for (unsigned i = 0; i < s->nheld; i++)
		*xsk_ring_prod__fill_addr(&s->fill, idx + i) = s->held[i];
	xsk_ring_prod__submit(&s->fill, s->nheld);
	s->nheld = 0;
	/* A zero-copy driver that ran out of buffers sleeps until told. */
	if (xsk_ring_prod__needs_wakeup(&s->fill))
		gn_xsk_poke(s);
}

static void reclaim(struct gn_xsk *s)
{
	uint32_t idx, n = xsk_ring_cons__peek(&s->comp, GN_XSK_TX_FRAMES, &idx);

	for (uint32_t i = 0; i < n; i++) {
		if (s->nfree_tx < GN_XSK_TX_FRAMES)
			s->free_tx[s->nfree_tx++] = *xsk_ring_cons__comp_addr(&s->comp, idx + i);
	}
	if (n)
		xsk_ring_cons__release(&s->comp, n);
}

/* Make the kernel take what the tx ring holds.  In copy mode it sends in
 * our sendto, 32 frames a call at most (EAGAIN: call again), so this goes
 * on until the ring is empty; EBUSY or ENOBUFS: the device queue is full,
 * the rest goes with a later kick.  A zero-copy driver sends from its own
 * poll, woken by the first call. */
static int kick(struct gn_xsk *s)
{
	for (unsigned i = 0; i < KICK_MAX; i++) {
		if (xsk_prod_nb_free(&s->tx, GN_XSK_TX_FRAMES) == GN_XSK_TX_FRAMES ||
		    !xsk_ring_prod__needs_wakeup(&s->tx))
			return 0;
		if (sendto(s->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0 || errno == EAGAIN)
			continue;
		if (errno == EBUSY || errno == ENOBUFS || errno == EINTR)
			return 0;
		return -errno;
	}
	return 0;
}

/* errno e of an operation on the socket as the error a caller can act on. */
static int sock_error(struct gn_xsk *s, int e, const char *what, struct gn_error *err)
{
	switch (e) {
	case ENXIO:
	case ENODEV:
		return gn_error_set(err, -ENODEV, 0, "%s: interface went away", s->ifc->name);
	case ENETDOWN:
		return gn_error_set(err, -ENETDOWN, 0, "%s: interface went down", s->ifc->name);
	default:
		return gn_error_set(err, -e, 0, "%s: %s: %s", s->ifc->name, what, strerror(e));
	}
}

/* No free tx frame or slot: kick, take completions back, wait a little. */
static int wait_room(struct gn_xsk *s, int64_t *waited_ms, struct gn_error *err)
{
	struct pollfd p = { .fd = s->fd, .events = POLLOUT };
	int rc = kick(s);

	if (rc)
		return sock_error(s, -rc, "send", err);
	reclaim(s);
	if (s->nfree_tx)
		return 0;
	if (*waited_ms >= TX_FULL_WAIT_MS)
		return sock_error(s, ENOBUFS, "send", err);
	if (poll(&p, 1, 1) < 0 && errno == EINTR)
		return -EINTR;
	(*waited_ms)++;
	return 0;
}

int gn_xsk_send(struct gn_xsk *s, const struct gn_frame *frames, unsigned n, uint64_t *failed,
		struct gn_error *err)
{
	unsigned max_len = s->ifc->mtu + ETH_HLEN + VLAN_HLEN, done = 0;
	int64_t waited = 0;
	int rc;

	if (max_len > gn_xsk_max_frame())
		max_len = gn_xsk_max_frame();
	reclaim(s);
	while (done < n) {
		unsigned fit = 0, want = n - done < s->nfree_tx ? n - done : s->nfree_tx;
		uint32_t idx;

		/* A frame too long would be dropped silently by the kernel
		 * (tx_invalid_descs): those before it go, it is refused. */
		while (fit < want && frames[done + fit].meta.cap_len <= max_len)
			fit++;
		if (!fit && s->nfree_tx) {
			if (done)
				return (int)done;
			(*failed)++;
			return gn_error_set(err, -EMSGSIZE, 0, "%s: send: frame larger than the MTU (%u)",
					    s->ifc->name, s->ifc->mtu);
		}
		if (!fit || !(fit = xsk_ring_prod__reserve(&s->tx, fit, &idx))) {
			rc = wait_room(s, &waited, err);
			if (rc)
				return done ? (int)done : rc;
			continue;
		}
		for (unsigned k = 0; k < fit; k++) {
			const struct gn_frame *f = &frames[done + k];
			struct xdp_desc *d = xsk_ring_prod__tx_desc(&s->tx, idx + k);

			d->addr = s->free_tx[--s->nfree_tx];
			d->len = f->meta.cap_len;
			memcpy(s->area + d->addr, f->data, f->meta.cap_len);
		}
		xsk_ring_prod__submit(&s->tx, fit);
		done += fit;
		waited = 0;
		rc = kick(s);
		if (rc)
			return done ? (int)done : sock_error(s, -rc, "send", err);
	}
	return (int)done;
}

int gn_xsk_stats(const struct gn_xsk *s, struct xdp_statistics *st)
{
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	if (s->fd < 0)
		return 0;
	return getsockopt(s->fd, SOL_XDP, XDP_STATISTICS, st, &len) < 0 ? -errno : 0;
}

int gn_xsk_sockerr(struct gn_xsk *s)
{
	socklen_t len = sizeof(int);
	int e = 0;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		e = errno;
	return e;
}

int gn_xsk_error(struct gn_xsk *s, int e, struct gn_error *err)
{
	char name[IF_NAMESIZE];

	/* The kernel says ENETDOWN when the device goes away (it unbinds
	 * the socket): whether its index still names one tells which. */
	if (!if_indextoname((unsigned)s->ifc->ifindex, name))
		e = ENODEV;
	if (!e)
		return gn_error_set(err, -EIO, 0, "%s: capture failed (the socket reported an error)",
				    s->ifc->name);
	return sock_error(s, e, "capture", err);
}

/* Frames still queued go out before the socket closes: a second at most. */
static void flush_tx(struct gn_xsk *s)
{
	for (int i = 0; i < 1000 && s->nfree_tx < GN_XSK_TX_FRAMES; i++) {
		struct timespec ts = { 0, 1000000 };

		if (kick(s))
			break;
		reclaim(s);
		if (s->nfree_tx < GN_XSK_TX_FRAMES)
			nanosleep(&ts, NULL);
	}
}

void gn_xsk_close(struct gn_xsk *s)
{
	if (s->xsk) {
		if (s->has_tx)
			flush_tx(s);
		xsk_socket__delete(s->xsk);
	}
	if (s->umem)
		xsk_umem__delete(s->umem);
	if (s->area)
		munmap(s->area, s->area_len);
	s->xsk = NULL;
	s->umem = NULL;
	s->area = NULL;
	s->fd = -1;
}
