/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The xdp backend of gn_io (private): per interface, the steer program
 * (bpf/steer.bpf.c, attached by xdp_attach.c) and one AF_XDP socket per
 * receive queue (io_xdp_xsk.c); io_xdp.c ties them together and steer.c
 * keeps the rules.  io.c resolves the interfaces and calls gn_xdp_*.
 */
#ifndef GANNET_IO_XDP_H
#define GANNET_IO_XDP_H

#include <linux/if_xdp.h>
#include <xdp/xsk.h>

#include <gannet/gannet.h>

#include "steer_map.h"

/* ---- the backend, as io.c sees it ------------------------------------- */

struct gn_xdp;

int gn_xdp_open(const struct gn_io_opts *o, const struct gn_io_iface *ifs, unsigned nifs,
		struct gn_xdp **out, struct gn_error *err);
int gn_xdp_recv(struct gn_xdp *x, struct gn_frame *frames, unsigned max, int timeout_ms,
		struct gn_error *err);
int gn_xdp_send(struct gn_xdp *x, const struct gn_frame *frames, unsigned n,
		struct gn_error *err);
int gn_xdp_stats(struct gn_xdp *x, struct gn_io_stats *st);
void gn_xdp_close(struct gn_xdp *x);

/* io.c: the xdp backend of io, or NULL when io runs another one. */
struct gn_xdp *gn_io_xdp_backend(struct gn_io *io);

/* ---- rules: steer.c ---------------------------------------------------- */

/* The rules of one io, the same on every interface. */
struct gn_steer_set {
	struct gn_sm_rule rules[GN_SM_MAX_RULES];
	unsigned refs[GN_SM_MAX_RULES];
	unsigned n;
};

/* A public rule checked and turned into the program's form. */
int gn_steer_compile(const struct gn_steer_rule *in, struct gn_sm_rule *out,
		     struct gn_error *err);
/* Write the rules into the idle half of rules_fd, then make it the live
 * one (the control word in ctl_fd); filter: slot 0 of the jump map holds a
 * program. */
int gn_steer_push(const struct gn_steer_set *set, bool filter, int rules_fd, int ctl_fd);
/* The per-CPU counters of stats_fd, summed. */
int gn_steer_read_stats(int stats_fd, uint64_t out[GN_SM_NSTATS]);

/* io_xdp.c: the rule set of x, and pushing it to every interface. */
struct gn_steer_set *gn_xdp_rules(struct gn_xdp *x);
int gn_xdp_apply_rules(struct gn_xdp *x, struct gn_error *err);

/* ---- one AF_XDP socket: io_xdp_xsk.c ---------------------------------- */

/* UMEM frames: a page each, the rx half circulating through the fill ring,
 * the tx half through the tx and completion rings. */
#define GN_XSK_FRAME_SIZE 4096u
#define GN_XSK_RX_FRAMES 4096u
#define GN_XSK_TX_FRAMES 2048u

struct gn_xsk {
	const struct gn_io_iface *ifc;
	unsigned queue;
	int fd;                   /* -1: not open */
	struct xsk_socket *xsk;
	struct xsk_umem *umem;
	uint8_t *area;            /* the UMEM */
	size_t area_len;
	struct xsk_ring_prod fill;
	struct xsk_ring_cons comp;
	struct xsk_ring_cons rx;
	struct xsk_ring_prod tx;
	bool has_rx, has_tx;
	bool zero_copy;
	uint64_t held[GN_XSK_RX_FRAMES];  /* rx frames handed out, back to fill next time */
	unsigned nheld;
	uint64_t free_tx[GN_XSK_TX_FRAMES];
	unsigned nfree_tx;
};

/* The largest frame a UMEM frame holds (after the kernel's headroom). */
unsigned gn_xsk_max_frame(void);
/* Open a socket on ifc's queue, with the rings o asks for (rx, tx); a
 * receiving socket goes into xsks_fd at its queue's index. */
int gn_xsk_open(struct gn_xsk *s, const struct gn_io_iface *ifc, unsigned queue,
		const struct gn_io_opts *o, int xsks_fd, struct gn_error *err);
/* Frames in the rx ring, up to max, in place in the UMEM. */
unsigned gn_xsk_take(struct gn_xsk *s, struct gn_frame *frames, unsigned max);
/* The frames handed out last time go back to the fill ring. */
void gn_xsk_release(struct gn_xsk *s);
/* Busy polling: make the kernel run the driver's poll now. */
void gn_xsk_poke(struct gn_xsk *s);
/* Frames out through the tx ring: how many went, or -errno with err set. */
int gn_xsk_send(struct gn_xsk *s, const struct gn_frame *frames, unsigned n, uint64_t *failed,
		struct gn_error *err);
int gn_xsk_stats(const struct gn_xsk *s, struct xdp_statistics *st);
/* SO_ERROR of the socket (reading it clears it); 0 = none. */
int gn_xsk_sockerr(struct gn_xsk *s);
/* Error e of the socket as the caller sees it: -ENODEV when the interface
 * is gone, with err naming it. */
int gn_xsk_error(struct gn_xsk *s, int e, struct gn_error *err);
void gn_xsk_close(struct gn_xsk *s);

#endif
