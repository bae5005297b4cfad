// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Sending on one interface, two ways: sendmmsg (one system call for a batch,
 * the kernel still builds one skb per frame), or a PACKET_TX_RING (frames
 * copied into a ring shared with the kernel, which one send() makes it walk).
 * The socket has protocol 0, so it never receives anything.
 */
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/dlt.h>

#include "afpacket.h"

/* Measured with selftests/bench/bench_live.sh: see README, "Sending". */
#define TX_MODE_DEFAULT GN_IO_TX_MMSG

#define MMSG_BATCH 256
#define SNDBUF_BYTES (4 << 20)
#define TX_RING_BYTES (4u << 20)
#define TX_RING_MIN_BLOCK (64u << 10)
/* Where the frame starts in a TPACKET_V2 slot when PACKET_TX_HAS_OFF is off. */
#define TX_DATA_OFF TPACKET_ALIGN(sizeof(struct tpacket2_hdr))
/* A full queue (ENOBUFS) is waited out this long before it is an error. */
#define FULL_QUEUE_WAIT_NS 2000000000LL
#define VLAN_HLEN 4

/* Bytes the device's link header takes: what the kernel allows beyond the MTU. */
static unsigned link_hlen(const struct gn_io_iface *ifc)
{
	return ifc->linktype == DLT_EN10MB ? ETH_HLEN : 0;
}

static int setup_ring(struct gn_afp_tx *tx, struct gn_error *err)
{
	const struct gn_io_iface *ifc = tx->ifc;
	unsigned need = TX_DATA_OFF + ifc->mtu + link_hlen(ifc) + VLAN_HLEN;
	struct tpacket_req req;
	unsigned block;
	void *map;

	tx->frame_size = 2048;
	while (tx->frame_size < need)
		tx->frame_size <<= 1;
	block = tx->frame_size > TX_RING_MIN_BLOCK ? tx->frame_size : TX_RING_MIN_BLOCK;
	memset(&req, 0, sizeof(req));
	req.tp_block_size = block;
	req.tp_block_nr = TX_RING_BYTES > block ? TX_RING_BYTES / block : 1;
	req.tp_frame_size = tx->frame_size;
	req.tp_frame_nr = block / tx->frame_size * req.tp_block_nr;
	tx->frame_nr = req.tp_frame_nr;
	/* A frame the kernel cannot send is skipped rather than left blocking
	 * the ring; sizes are checked here before that can happen. */
	if (gn_afp_setint(tx->fd, SOL_PACKET, PACKET_VERSION, TPACKET_V2) ||
	    gn_afp_setint(tx->fd, SOL_PACKET, PACKET_LOSS, 1) ||
	    setsockopt(tx->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) < 0)
		return gn_error_set(err, -errno, 0, "%s: send ring: %s", ifc->name, strerror(errno));
	/* Blocks are whole multiples of the frame size, so slot i is at
	 * i * frame_size in the map. */
	tx->map_len = (size_t)block * req.tp_block_nr;
	map = mmap(NULL, tx->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, tx->fd, 0);
	if (map == MAP_FAILED)
		return gn_error_set(err, -errno, 0, "%s: mapping the send ring: %s", ifc->name,
				    strerror(errno));
	tx->map = map;
	return 0;
}

int gn_afp_tx_open(struct gn_afp_tx *tx, const struct gn_io_opts *o,
		   const struct gn_io_iface *ifc, struct gn_error *err)
{
	struct sockaddr_ll sll;
	int rc;

	memset(tx, 0, sizeof(*tx));
	tx->ifc = ifc;
	tx->mode = o->tx_mode == GN_IO_TX_DEFAULT ? TX_MODE_DEFAULT : o->tx_mode;
	tx->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (tx->fd < 0) {
		if (errno == EPERM)
			return gn_error_set(err, -EPERM, 0,
					    "%s: sending needs CAP_NET_RAW (run as root)", ifc->name);
		return gn_error_set(err, -errno, 0, "%s: packet socket: %s", ifc->name, strerror(errno));
	}
	if (o->qdisc_bypass && gn_afp_setint(tx->fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1))
		return gn_error_set(err, -errno, 0, "%s: PACKET_QDISC_BYPASS: %s", ifc->name,
				    strerror(errno));
	if (tx->mode == GN_IO_TX_RING) {
		rc = setup_ring(tx, err);
		if (rc)
			return rc;
	} else {
		/* Best effort: a bigger buffer only means fewer waits. */
		gn_afp_setint(tx->fd, SOL_SOCKET, SO_SNDBUF, SNDBUF_BYTES);
	}
	/* Protocol 0 in bind() too: the socket stays deaf, and the kernel
	 * reads each frame's protocol from its link header. */
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = ifc->ifindex;
	if (bind(tx->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return gn_afp_errno(ifc, errno, "bind", err);
	return 0;
}

/* The device queue is full (ENOBUFS, EAGAIN): wait a little, longer each
 * time, up to FULL_QUEUE_WAIT_NS since *since (set on the first wait). */
static bool wait_full_queue(int64_t *since, long *pause_ns)
{
	struct timespec ts;
	int64_t now = gn_afp_now_ns();

	if (!*since) {
		*since = now;
		*pause_ns = 10000;
	}
	if (now - *since > FULL_QUEUE_WAIT_NS)
		return false;
	ts.tv_sec = 0;
	ts.tv_nsec = *pause_ns;
	nanosleep(&ts, NULL);
	if (*pause_ns < 1000000)
		*pause_ns *= 2;
	return true;
}

static int send_mmsg(struct gn_afp_tx *tx, const struct gn_frame *frames, unsigned n,
		     uint64_t *failed, struct gn_error *err)
{
	struct mmsghdr msgs[MMSG_BATCH];
	struct iovec iov[MMSG_BATCH];
	unsigned done = 0;
	int64_t since = 0;
	long pause = 0;

	while (done < n) {
		unsigned k = n - done < MMSG_BATCH ? n - done : MMSG_BATCH;
		int r;

		memset(msgs, 0, k * sizeof(msgs[0]));
		for (unsigned i = 0; i < k; i++) {
			iov[i].iov_base = (void *)frames[done + i].data;
			iov[i].iov_len = frames[done + i].meta.cap_len;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
		}
		r = sendmmsg(tx->fd, msgs, k, 0);
		if (r > 0) {
			done += (unsigned)r;
			since = 0;
			continue;
		}
		if (r < 0 && (errno == ENOBUFS || errno == EAGAIN) && wait_full_queue(&since, &pause))
			continue;
		if (r < 0 && errno == EINTR)
			return done ? (int)done : -EINTR;
		/* The first frame of the batch was refused: what came before
		 * it went out, the caller hears of it on its next call. */
		if (done)
			return (int)done;
		(*failed)++;
		return gn_afp_errno(tx->ifc, r < 0 ? errno : EIO, "send", err);
	}
	return (int)done;
}

static struct tpacket2_hdr *slot_at(const struct gn_afp_tx *tx, unsigned i)
{
	return (struct tpacket2_hdr *)(tx->map + (size_t)i * tx->frame_size);
}

/* Make the kernel send every frame marked SEND_REQUEST, without waiting
 * for the device to finish with them. */
static int kick(struct gn_afp_tx *tx, struct gn_error *err)
{
	if (send(tx->fd, NULL, 0, MSG_DONTWAIT) >= 0)
		return 0;
	if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)
		return -EAGAIN;
	return gn_afp_errno(tx->ifc, errno, "send", err);
}

/* Wait until slot h is free again: sent (or skipped by the kernel). */
static int wait_slot(struct gn_afp_tx *tx, struct tpacket2_hdr *h, struct gn_error *err)
{
	int64_t since = 0;
	long pause = 0;

	for (;;) {
		uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		struct pollfd pfd = { .fd = tx->fd, .events = POLLOUT };
		int rc;

		if (st == TP_STATUS_AVAILABLE || (st & TP_STATUS_WRONG_FORMAT))
			return 0;
		if (st & TP_STATUS_SEND_REQUEST) {
			/* Queued but not taken yet: the ring went all the
			 * way round, send what is in it. */
			rc = kick(tx, err);
			if (rc && rc != -EAGAIN)
				return rc;
			st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
			/* Still there: the device queue is full (or the
			 * kernel stopped short of it); wait, but not forever. */
			if ((st & TP_STATUS_SEND_REQUEST) && !wait_full_queue(&since, &pause))
				return gn_afp_errno(tx->ifc, ENOBUFS, "send", err);
			continue;
		}
		/* TP_STATUS_SENDING: the device still has it. */
		if (poll(&pfd, 1, 100) < 0 && errno == EINTR)
			return -EINTR;
	}
}

static int send_ring(struct gn_afp_tx *tx, const struct gn_frame *frames, unsigned n,
		     uint64_t *failed, struct gn_error *err)
{
	unsigned room = tx->frame_size - TX_DATA_OFF;
	unsigned max_len = tx->ifc->mtu + link_hlen(tx->ifc) + VLAN_HLEN;
	unsigned done = 0;
	int rc;

	if (max_len > room)
		max_len = room;
	for (; done < n; done++) {
		struct tpacket2_hdr *h = slot_at(tx, tx->head);
		uint32_t len = frames[done].meta.cap_len;

		if (len > max_len) {
			/* Those before it go out; this one is refused. */
			if (done)
				break;
			(*failed)++;
			return gn_afp_errno(tx->ifc, EMSGSIZE, "send", err);
		}
		rc = wait_slot(tx, h, err);
		if (rc)
			return done ? (int)done : rc;
		memcpy((uint8_t *)h + TX_DATA_OFF, frames[done].data, len);
		h->tp_len = len;
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		tx->head = (tx->head + 1) % tx->frame_nr;
	}
	rc = kick(tx, err);
	if (rc && rc != -EAGAIN)
		return rc;
	/* A full queue leaves frames marked in the ring: they go with the
	 * next kick, at the latest when the ring comes round to them. */
	return (int)done;
}

int gn_afp_tx_send(struct gn_afp_tx *tx, const struct gn_frame *frames, unsigned n,
		   uint64_t *failed, struct gn_error *err)
{
	if (!n)
		return 0;
	if (tx->mode == GN_IO_TX_RING)
		return send_ring(tx, frames, n, failed, err);
	return send_mmsg(tx, frames, n, failed, err);
}

/* Frames still marked to go are sent before the ring is unmapped. */
static void flush_ring(struct gn_afp_tx *tx)
{
	struct timeval tv = { .tv_sec = 1 };
	bool pending = false;

	for (unsigned i = 0; i < tx->frame_nr && !pending; i++)
		pending = __atomic_load_n(&slot_at(tx, i)->tp_status, __ATOMIC_ACQUIRE) &
			  (TP_STATUS_SEND_REQUEST | TP_STATUS_SENDING);
	if (!pending)
		return;
	/* A blocking send waits for them; a second at most. */
	setsockopt(tx->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	send(tx->fd, NULL, 0, 0);
}

void gn_afp_tx_close(struct gn_afp_tx *tx)
{
	if (tx->map) {
		flush_ring(tx);
		munmap(tx->map, tx->map_len);
	}
	if (tx->fd >= 0)
		close(tx->fd);
	tx->map = NULL;
	tx->fd = -1;
}
