/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The xdp backend of gn_io: AF_XDP sockets, one per receive queue, fed by
 * the steer XDP program.  The program takes into the sockets the frames
 * that match a rule (or the tcpdump filter of opts.filter) and passes every
 * other frame on to the kernel; a frame taken never reaches the kernel's
 * stack (no RST from the local TCP to the SYN-ACK of a scan, no ICMP port
 * unreachable for a UDP reply).
 *
 *   struct gn_io_opts o = { .sz = sizeof(o), .ifaces = ifs, .nifaces = 1,
 *                           .rx = true, .tx = true };
 *   gn_io_open("xdp", &o, &io, &err);
 *   struct gn_steer_rule r = { .match = GN_STEER_IP_PROTO | GN_STEER_ICMP_ID,
 *                              .ip_proto = IPPROTO_ICMP, .icmp_id = 4242 };
 *   gn_io_steer_add(io, &r, &err);        // echo replies with our id come to us
 *   ... gn_io_send / gn_io_recv ...
 *   gn_io_close(io);                       // the program goes with it
 */
#ifndef GANNET_XDP_H
#define GANNET_XDP_H

#include <gannet/io.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The fields of a rule that must match (all of those named: a rule is a
 * conjunction; several rules are a disjunction).  A rule naming none takes
 * every frame. */
#define GN_STEER_ETHERTYPE  (1u << 0)  /* ethertype: the EtherType after any 802.1Q/802.1ad tags */
#define GN_STEER_IP_PROTO   (1u << 1)  /* ip_proto: IPv4 protocol, or IPv6's next header after
					* its extension headers */
#define GN_STEER_SRC        (1u << 2)  /* src: the source address is in the prefix */
#define GN_STEER_DST        (1u << 3)  /* dst: the destination address */
#define GN_STEER_SPORT      (1u << 4)  /* sport..sport_max: TCP, UDP or SCTP source port */
#define GN_STEER_DPORT      (1u << 5)  /* dport..dport_max: destination port */
#define GN_STEER_ICMP_TYPE  (1u << 6)  /* icmp_type: ICMP or ICMPv6 type */
#define GN_STEER_ICMP_ID    (1u << 7)  /* icmp_id: echo request/reply identifier (v4 and v6) */
#define GN_STEER_ESCP       (1u << 8)  /* ESCP: UDP from or to port 1337, over IPv4 or IPv6 */

/* An IPv4 or IPv6 prefix.  ARP frames (Ethernet/IPv4) offer their sender
 * and target protocol addresses as source and destination, so a rule
 * { ETHERTYPE 0x0806, DST 10.0.0.1/32 } takes the ARP for 10.0.0.1. */
struct gn_steer_prefix {
	uint8_t family;      /* AF_INET or AF_INET6 */
	uint8_t len;         /* prefix length in bits: 32 (IPv4) or 128 (IPv6) = one address */
	uint8_t addr[16];    /* network order; IPv4 in addr[0..3]; bits past len are ignored */
};

struct gn_steer_rule {
	uint32_t match;                  /* GN_STEER_* */
	uint16_t ethertype;              /* host order: 0x0800, 0x86dd, 0x0806 ... */
	uint8_t ip_proto;                /* IPPROTO_TCP, IPPROTO_ICMPV6 ... */
	uint8_t icmp_type;
	uint16_t icmp_id;                /* host order */
	uint16_t sport, sport_max;       /* inclusive range; max 0 = just sport */
	uint16_t dport, dport_max;
	struct gn_steer_prefix src, dst; /* the same family when both are named */
};

/* The rules of an xdp-backend io (on all its interfaces).  Adding a rule
 * already there counts it once more, and it stays until deleted as many
 * times, so independent users of one io can add and delete alike rules.
 * At most 64 distinct rules: -ENOSPC past that.  Another backend:
 * -EOPNOTSUPP.  The rules take effect before the call returns. */
int gn_io_steer_add(struct gn_io *io, const struct gn_steer_rule *r, struct gn_error *err);
/* -ENOENT when no such rule was added. */
int gn_io_steer_del(struct gn_io *io, const struct gn_steer_rule *r, struct gn_error *err);
/* Remove every rule. */
int gn_io_steer_clear(struct gn_io *io, struct gn_error *err);

/* What happened to the frames, summed over the interfaces (and CPUs and
 * sockets) since gn_io_open.  Every frame the program saw is redirected,
 * passed or redirect_failed; every frame redirected is received (by
 * gn_io_recv) or dropped by the socket (rx_ring_full, rx_dropped), or still
 * waiting in its ring. */
struct gn_xdp_counters {
	uint64_t seen;             /* frames the steer program saw */
	uint64_t matched;          /* taken by a rule or the filter */
	uint64_t redirected;       /* handed to the AF_XDP socket of their queue */
	uint64_t passed;           /* not taken: went on to the kernel */
	uint64_t redirect_failed;  /* taken, but no socket on their queue (-Q): passed */
	uint64_t filtered;         /* handed to the filter (opts.filter) */
	/* XDP_STATISTICS of the sockets */
	uint64_t rx_dropped;       /* dropped for want of a buffer (fill ring empty) or other */
	uint64_t rx_ring_full;     /* dropped: the receive ring was full (not read fast enough) */
	uint64_t fill_ring_empty;  /* times the fill ring had no buffer */
	uint64_t rx_invalid_descs;
	uint64_t tx_invalid_descs;
	uint64_t tx_ring_empty;
};

/* -EOPNOTSUPP for another backend. */
int gn_io_xdp_counters(struct gn_io *io, struct gn_xdp_counters *c);

/* How the xdp backend got interface i (0-based) set up. */
struct gn_io_xdp_info {
	bool native;             /* the program runs in the driver, else generic (skb) mode */
	bool dispatcher;         /* behind libxdp's dispatcher, else alone on the interface */
	bool zero_copy;          /* the sockets do zero-copy, else they copy */
	bool busy_poll;
	unsigned nqueues;        /* AF_XDP sockets opened (one per queue) */
	unsigned queues_total;   /* receive queues the interface has */
	uint32_t prog_id;        /* the steer program's id (0: not receiving) */
	uint32_t replaced_id;    /* the program of a killed run replaced on the way; 0 = none */
	char why_direct[160];    /* alone: why not behind the dispatcher */
};

/* -ENOENT past the last interface, -EOPNOTSUPP for another backend. */
int gn_io_xdp_info(struct gn_io *io, unsigned i, struct gn_io_xdp_info *out);

/* ---- the monitor backend (receive only: matches copied into a BPF ring
 * buffer, every frame passed on) ---------------------------------------- */

/* What happened to the frames, summed over the interfaces and CPUs since
 * gn_io_open: seen = matched + not_matched; matched = copied +
 * ringbuf_full; passed = seen (the program never keeps a frame); received
 * (gn_io_recv) <= copied, the rest still in the ring. */
struct gn_monitor_counters {
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
int gn_io_monitor_counters(struct gn_io *io, struct gn_monitor_counters *c);
/* How interface i (0-based) got its program: native or generic mode, under
 * libxdp's dispatcher or alone, program id, a killed run's program
 * replaced (zero_copy, busy_poll and the queue counts do not apply).
 * -ENOENT past the last interface, -EOPNOTSUPP for another backend. */
int gn_io_monitor_info(struct gn_io *io, unsigned i, struct gn_io_xdp_info *out);

#ifdef __cplusplus
}
#endif
#endif
