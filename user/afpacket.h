/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The afpacket backend of gn_io (private): a TPACKET_V3 receive ring per
 * interface (afpacket_rx.c) and a sendmmsg or PACKET_TX_RING sender per
 * interface (afpacket_tx.c), tied together by afpacket.c.  io.c resolves the
 * interfaces and calls the gn_afp_* entry points.
 */
#ifndef GANNET_AFPACKET_H
#define GANNET_AFPACKET_H

#include <gannet/gannet.h>

/* ---- the backend, as io.c sees it ------------------------------------- */

struct gn_afp;

int gn_afp_open(const struct gn_io_opts *o, const struct gn_io_iface *ifs, unsigned nifs,
		struct gn_afp **out, struct gn_error *err);
int gn_afp_recv(struct gn_afp *a, struct gn_frame *frames, unsigned max, int timeout_ms,
		struct gn_error *err);
int gn_afp_send(struct gn_afp *a, const struct gn_frame *frames, unsigned n,
		struct gn_error *err);
int gn_afp_stats(struct gn_afp *a, struct gn_io_stats *st);
void gn_afp_close(struct gn_afp *a);

/* ---- receive: afpacket_rx.c ------------------------------------------- */

/* One TPACKET_V3 ring on one interface. */
struct gn_afp_rx {
	int fd;
	const struct gn_io_iface *ifc;
	uint8_t *map;           /* block_nr blocks of block_size bytes */
	size_t map_len;
	unsigned block_size;
	unsigned block_nr;
	unsigned cur;           /* the block being read */
	uint32_t left;          /* frames of it not yet handed out; 0 = not opened */
	uint8_t *next;          /* the next of those frames */
	unsigned nheld;         /* blocks before cur read to the end but still
				 * handed out: given back at the next recv */
	bool skip_outgoing;     /* loopback: every frame also comes back in */
	uint64_t drops;         /* tp_drops so far (reading them resets them) */
};

int gn_afp_rx_open(struct gn_afp_rx *rx, const struct gn_io_opts *o,
		   const struct gn_io_iface *ifc, struct gn_error *err);
/* Frames already in the ring, up to max, without waiting. */
unsigned gn_afp_rx_take(struct gn_afp_rx *rx, struct gn_frame *frames, unsigned max);
/* Give back to the kernel the blocks whose frames the caller is done with. */
void gn_afp_rx_release(struct gn_afp_rx *rx);
/* The error poll reported on the socket (SO_ERROR, which clears it), as a
 * positive errno; EIO when there was none to read. */
int gn_afp_rx_sockerr(struct gn_afp_rx *rx);
/* That error as the caller sees it: -ENODEV when the interface is gone,
 * -ENETDOWN when it is down, with err naming the interface. */
int gn_afp_rx_error(struct gn_afp_rx *rx, int e, struct gn_error *err);
/* Adds the kernel's drop count since the last call to rx->drops. */
void gn_afp_rx_update_drops(struct gn_afp_rx *rx);
void gn_afp_rx_close(struct gn_afp_rx *rx);

/* ---- send: afpacket_tx.c ---------------------------------------------- */

struct gn_afp_tx {
	int fd;
	const struct gn_io_iface *ifc;
	enum gn_io_tx_mode mode;  /* MMSG or RING, never DEFAULT */
	/* PACKET_TX_RING (TPACKET_V2) */
	uint8_t *map;
	size_t map_len;
	unsigned frame_size;
	unsigned frame_nr;
	unsigned head;            /* the next slot to fill */
};

int gn_afp_tx_open(struct gn_afp_tx *tx, const struct gn_io_opts *o,
		   const struct gn_io_iface *ifc, struct gn_error *err);
/* Frames all meant for tx's interface: how many went out, or -errno with
 * err set (none sent).  *failed counts frames the kernel refused. */
int gn_afp_tx_send(struct gn_afp_tx *tx, const struct gn_frame *frames, unsigned n,
		   uint64_t *failed, struct gn_error *err);
void gn_afp_tx_close(struct gn_afp_tx *tx);

/* CLOCK_MONOTONIC in ns. */
int64_t gn_afp_now_ns(void);
/* setsockopt of an int: 0 or -errno. */
int gn_afp_setint(int fd, int level, int name, int v);

/* errno of a socket call on interface ifc as the error a caller can act
 * on: a vanished device is -ENODEV, whatever call noticed it. */
int gn_afp_errno(const struct gn_io_iface *ifc, int e, const char *what, struct gn_error *err);

#endif
