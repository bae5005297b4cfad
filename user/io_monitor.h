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

/* the counters and set-up: gannet/xdp.h */

#endif
