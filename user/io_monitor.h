/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The monitor backend of gn_io (private): per interface, the monitor XDP
 * program (bpf/monitor.bpf.c, attached by xdp_attach.c) runs the filter and
 * copies what matches into one BPF ring buffer shared by all interfaces;
 * every frame still goes on to the kernel.  Receive only.  io.c resolves the
 * interfaces and calls gn_mon_*.
 */
#ifndef GANNET_IO_MONITOR_H
#define GANNET_IO_MONITOR_H

#include <gannet/gannet.h>

/* ---- the backend, as io.c sees it ------------------------------------- */

struct gn_mon;

int gn_mon_open(const struct gn_io_opts *o, const struct gn_io_iface *ifs, unsigned nifs,
		struct gn_mon **out, struct gn_error *err);
int gn_mon_recv(struct gn_mon *m, struct gn_frame *frames, unsigned max, int timeout_ms,
		struct gn_error *err);
int gn_mon_send(struct gn_mon *m, const struct gn_frame *frames, unsigned n,
		struct gn_error *err);
int gn_mon_stats(struct gn_mon *m, struct gn_io_stats *st);
void gn_mon_close(struct gn_mon *m);

/* io.c: the monitor backend of io, or NULL when io runs another one. */
struct gn_mon *gn_io_mon_backend(struct gn_io *io);

/* ---- counters and set-up, for callers that know the backend ------------- */

/* What happened to the frames, summed over the interfaces and CPUs since
 * gn_io_open: seen = matched + not_matched; matched = copied +
 * ringbuf_full; passed = seen (the program never keeps a frame); received
 * (gn_io_recv) <= copied, the rest still in the ring. */
struct gn_mon_counters {
	uint64_t seen;          /* frames the monitor program saw */
	uint64_t matched;       /* the filter matched them (every frame without one) */
	uint64_t not_matched;
	uint64_t copied;        /* written into the ring buffer */
	uint64_t ringbuf_full;  /* matched, but the ring had no room: lost to the reader */
	uint64_t passed;        /* went on to the kernel */
	uint64_t filtered;      /* handed to the filter program */
	uint64_t received;      /* handed to the caller by gn_io_recv */
};

/* -EOPNOTSUPP for another backend. */
int gn_io_monitor_counters(struct gn_io *io, struct gn_mon_counters *c);
/* How interface i (0-based) got its program: native or generic mode, under
 * libxdp's dispatcher or alone, program id, a killed run's program
 * replaced (zero_copy, busy_poll and the queue counts do not apply).
 * -ENOENT past the last interface, -EOPNOTSUPP for another backend. */
int gn_io_monitor_info(struct gn_io *io, unsigned i, struct gn_io_xdp_info *out);

#endif
