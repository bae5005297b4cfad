/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sources and sinks of frames: one small interface for every backend
 * (afpacket now; xdp, monitor and l3 later), so sniff, send and sr never
 * know which one they run on.
 */
#ifndef GANNET_IO_H
#define GANNET_IO_H

#include <signal.h>

#include <gannet/pcap.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_io;

/* How the afpacket backend sends: batched sendmmsg, or a PACKET_TX_RING the
 * kernel walks in one send().  The default is the one measured faster (see
 * README, "Sending"). */
enum gn_io_tx_mode {
	GN_IO_TX_DEFAULT = 0,
	GN_IO_TX_MMSG,
	GN_IO_TX_RING,
};

/* How the xdp backend attaches its XDP program. */
enum gn_xdp_mode {
	GN_XDP_MODE_AUTO = 0,   /* native where the driver has it, else generic */
	GN_XDP_MODE_NATIVE,     /* in the driver; an error where it has no XDP */
	GN_XDP_MODE_GENERIC,    /* on the skb, after the driver: any interface, slower */
};

/* Whether the xdp backend's AF_XDP sockets copy frames into their UMEM. */
enum gn_xdp_copy {
	GN_XDP_COPY_AUTO = 0,   /* zero-copy where the driver allows it, else copy */
	GN_XDP_COPY_ZEROCOPY,   /* zero-copy; an error where the driver cannot */
	GN_XDP_COPY_COPY,       /* always copy */
};

struct gn_io_opts {
	size_t sz;                    /* sizeof(struct gn_io_opts), libbpf's opts pattern */
	const char *const *ifaces;    /* interface names; NULL/0 = none (send-only needs one) */
	unsigned nifaces;
	const char *filter;           /* tcpdump syntax, compiled by libpcap; NULL = all */
	bool promisc;
	bool rx;                      /* open a receive ring */
	bool tx;                      /* prepare to send */
	bool qdisc_bypass;            /* PACKET_QDISC_BYPASS on send */
	unsigned snaplen;             /* 0 = 262144 */
	unsigned block_size;          /* TPACKET_V3 block size, 0 = 1 MiB */
	unsigned block_count;         /* 0 = 64 */
	unsigned block_timeout_ms;    /* 0 = 10 */
	bool outgoing;                /* also deliver frames this host sends (PACKET_OUTGOING) */
	enum gn_io_tx_mode tx_mode;
	/* The xdp backend (see <gannet/xdp.h>); the afpacket backend ignores these. */
	enum gn_xdp_mode xdp_mode;
	const unsigned *queues;       /* the rx queues to open an AF_XDP socket on;
				       * NULL/0 = every queue of each interface */
	unsigned nqueues;
	bool busy_poll;               /* SO_PREFER_BUSY_POLL: poll the driver from recv */
	enum gn_xdp_copy xdp_copy;
};

struct gn_io_stats {
	uint64_t received;        /* frames handed to the caller */
	uint64_t kernel_dropped;  /* afpacket: PACKET_STATISTICS tp_drops; xdp: XDP_STATISTICS
				   * rx_dropped + rx_ring_full; summed */
	uint64_t sent;
	uint64_t send_errors;
};

/* backend: "afpacket" (default when NULL) or "xdp" (AF_XDP sockets fed by
 * the steer XDP program: only the frames its rules or the filter take, and
 * those never reach the kernel's stack; see <gannet/xdp.h>). */
int gn_io_open(const char *backend, const struct gn_io_opts *opts, struct gn_io **out,
	       struct gn_error *err);
/* Up to max frames, waiting at most timeout_ms (-1 = forever, 0 = poll).
 * Frames stay valid until the next gn_io_recv or gn_io_close.  Returns the
 * number of frames, 0 on timeout, -EINTR when a signal interrupted the wait,
 * or another negative errno (-ENODEV when an interface went away). */
int gn_io_recv(struct gn_io *io, struct gn_frame *frames, unsigned max, int timeout_ms);
/* Send n frames (meta.ifindex picks the interface, 0 = the first); returns
 * how many were sent or a negative errno. */
int gn_io_send(struct gn_io *io, const struct gn_frame *frames, unsigned n);
int gn_io_stats(struct gn_io *io, struct gn_io_stats *st);
void gn_io_close(struct gn_io *io);
/* What the last failed gn_io_recv or gn_io_send was about, naming the
 * interface ("veth0: interface went away"); "" when nothing failed. */
const char *gn_io_errmsg(const struct gn_io *io);

/* One of the interfaces opened, in the order of opts.ifaces. */
struct gn_io_iface {
	char name[16];      /* IF_NAMESIZE */
	int ifindex;
	int linktype;       /* DLT_* of its frames */
	unsigned mtu;
};
/* Interface i (0-based); -ENOENT past the last. */
int gn_io_iface(const struct gn_io *io, unsigned i, struct gn_io_iface *out);

/* ---- the sniff loop ----------------------------------------------------- */

/* Called for every frame: f, and p dissected from it when opts.dissect
 * (else NULL); both valid during the call only.  Return 0 to go on, > 0 to
 * stop the loop (successfully), < 0 to stop it with that error. */
typedef int (*gn_sniff_fn)(void *ctx, const struct gn_frame *f, struct gn_packet *p);

struct gn_sniff_opts {
	size_t sz;                          /* sizeof(struct gn_sniff_opts) */
	uint64_t count;                     /* stop after this many frames; 0 = no limit */
	uint64_t timeout_ms;                /* stop after this long; 0 = no limit */
	const volatile sig_atomic_t *stop;  /* stop once *stop (set by a signal handler) */
	bool dissect;                       /* dissect each frame for the callback */
	/* Called after each burst of frames, before waiting for more (the place
	 * to flush output); a non-zero return stops as fn's does.  May be NULL. */
	int (*burst_end)(void *ctx);
};

/* Receive from io and hand every frame to fn until count, timeout, *stop or
 * fn says stop: 0 then.  A signal that does not set *stop is waited through.
 * On a receive error, that error (-ENODEV when an interface went away) with
 * err saying what; fn's own negative return is passed back as it is. */
int gn_sniff(struct gn_io *io, const struct gn_sniff_opts *opts, gn_sniff_fn fn, void *ctx,
	     struct gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
