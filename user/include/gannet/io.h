/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Sources and sinks of frames: one small interface for every backend
 * (afpacket now; xdp, monitor and l3 later), so sniff, send and sr never
 * know which one they run on.
 */
#ifndef GANNET_IO_H
#define GANNET_IO_H

#include <gannet/pcap.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_io;

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
};

struct gn_io_stats {
	uint64_t received;        /* frames handed to the caller */
	uint64_t kernel_dropped;  /* PACKET_STATISTICS tp_drops, summed */
	uint64_t sent;
	uint64_t send_errors;
};

/* backend: "afpacket" (default when NULL). */
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

#ifdef __cplusplus
}
#endif
#endif
