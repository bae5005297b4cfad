/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ARP monitor: Scapy's recipe (a line "hwsrc psrc" for every ARP
 * who-has and is-at) and what arpwatch adds to it: a table of stations, an
 * IPv4 address and the Ethernet address it answers from, per interface,
 * that says when a station is new, when it changes its Ethernet address
 * (or flips back to the one before), and that can be kept in a file across
 * runs.  Fed with frames from any gn_io source; gn_arpwatch_open_io and
 * gn_arpwatch_run give the usual one: the monitor backend (the frames are
 * filtered in XDP and every packet still reaches the kernel), or afpacket.
 *
 *   struct gn_arpwatch_opts wo = { .sz = sizeof(wo), .state_path = "arp.dat" };
 *   gn_arpwatch_new(&wo, &w, &err);
 *   gn_arpwatch_open_io(NULL, ifaces, n, &io, notice, sizeof(notice), &err);
 *   struct gn_arpwatch_run_opts ro = { .sz = sizeof(ro), .stop = &stop, .fn = print };
 *   gn_arpwatch_run(w, io, &ro, &err);      // print() gets every event
 *   gn_io_close(io);
 *   gn_arpwatch_close(w, &err);             // the state file written a last time
 */
#ifndef GANNET_ARPWATCH_H
#define GANNET_ARPWATCH_H

#include <signal.h>

#include <gannet/io.h>

#ifdef __cplusplus
extern "C" {
#endif

enum gn_arpwatch_kind {
	GN_ARPWATCH_ARP = 0,    /* an ARP who-has or is-at (what Scapy's recipe prints) */
	GN_ARPWATCH_NEW,        /* "new station": an address not seen on this interface before */
	GN_ARPWATCH_CHANGED,    /* "changed ethernet address": it answers from another MAC */
	GN_ARPWATCH_FLIPFLOP,   /* "flip flop": back to the MAC it had before the last change */
	GN_ARPWATCH_MISMATCH,   /* "ethernet mismatch": ARP sender MAC != Ethernet source */
};

struct gn_arpwatch_event {
	enum gn_arpwatch_kind kind;
	int64_t ts_ns;          /* the frame's time, ns since the epoch */
	const char *ifname;     /* the interface it came in on */
	unsigned op;            /* the ARP opcode: 1 who-has, 2 is-at */
	uint8_t ip[4];          /* the sender's IPv4 address (ARP psrc) */
	uint8_t mac[6];         /* the sender's MAC (ARP hwsrc) */
	uint8_t pdst[4];        /* ARP: the target address */
	uint8_t old_mac[6];     /* CHANGED, FLIPFLOP: the MAC it had */
	int64_t old_seen_ns;    /* CHANGED, FLIPFLOP: when old_mac was last seen; 0 unknown */
	uint8_t eth_src[6];     /* MISMATCH: the Ethernet source */
};

struct gn_arpwatch_opts {
	size_t sz;                  /* sizeof(struct gn_arpwatch_opts), libbpf's opts pattern */
	const char *state_path;     /* the stations, read at start and kept written; NULL = none */
	unsigned save_interval_s;   /* new and changed stations are written at once; only
				     * newer last-seen times wait this long (0 = 60) */
};

struct gn_arpwatch;

/* A new table, filled from o->state_path when the file exists (a missing
 * file is an empty table; a malformed one an error naming the line). */
int gn_arpwatch_new(const struct gn_arpwatch_opts *o, struct gn_arpwatch **out,
		    struct gn_error *err);
/* Write the state file if anything changed since it was last written, then
 * free w.  Returns the result of that write (w is freed either way). */
int gn_arpwatch_close(struct gn_arpwatch *w, struct gn_error *err);

/* Called for every event; a non-zero return stops gn_arpwatch_frame (and
 * gn_arpwatch_run) and is passed back. */
typedef int (*gn_arpwatch_fn)(void *ctx, const struct gn_arpwatch_event *ev);

/* One Ethernet frame seen on interface ifname.  An ARP who-has or is-at
 * (Ethernet/IPv4) gives an ARP event, then whatever its sender means for
 * the table: NEW, CHANGED or FLIPFLOP, and MISMATCH.  Senders 0.0.0.0
 * (address probes) and broadcast, multicast or zero MACs change nothing.
 * Anything else is counted and ignored. */
int gn_arpwatch_frame(struct gn_arpwatch *w, const struct gn_frame *f, const char *ifname,
		      gn_arpwatch_fn fn, void *ctx);

/* Write the state file when it is due (force: whenever anything changed).
 * Written atomically: a new file renamed over the old one. */
int gn_arpwatch_flush(struct gn_arpwatch *w, bool force, struct gn_error *err);

/* An event as one line, without the newline.  Text: ARP as Scapy's recipe
 * prints it ("02:00:00:00:00:02 10.0.0.2"), the others as arpwatch words
 * them, after the local time: "2025-06-01T12:00:00+02:00 changed ethernet
 * address 10.0.0.2 02:00:00:00:00:03 (02:00:00:00:00:02) eth0".  JSON: one
 * object, {"event":"changed ethernet address","time":"...","ts":1748772000.5,
 * "iface":"eth0","ip":"10.0.0.2","mac":"...","old_mac":"...","old_seen":"..."}
 * ("event":"arp" with "op", "hwsrc", "psrc", "pdst" for ARP). */
void gn_arpwatch_format(const struct gn_arpwatch_event *ev, bool json, struct gn_strbuf *out);

struct gn_arpwatch_stats {
	uint64_t frames;    /* frames given to gn_arpwatch_frame */
	uint64_t arp;       /* of which ARP who-has and is-at */
	uint64_t events;    /* events other than ARP */
	uint64_t stations;  /* in the table now */
};

void gn_arpwatch_stats(const struct gn_arpwatch *w, struct gn_arpwatch_stats *st);

/* The source the ARP monitor reads: filter "arp", receive only, on ifaces
 * (none: the interface of the IPv4 default route), through backend
 * "monitor" or "afpacket"; NULL: monitor, or afpacket when the XDP program
 * cannot be attached, with notice[] saying so in one line ("" otherwise). */
int gn_arpwatch_open_io(const char *backend, const char *const *ifaces, unsigned nifaces,
			struct gn_io **io, char *notice, size_t notice_len, struct gn_error *err);

struct gn_arpwatch_run_opts {
	size_t sz;                          /* sizeof(struct gn_arpwatch_run_opts) */
	const volatile sig_atomic_t *stop;  /* stop once *stop (set by a signal handler) */
	uint64_t timeout_ms;                /* stop after this long; 0 = no limit */
	gn_arpwatch_fn fn;                  /* every event; may be NULL */
	void *ctx;
	/* After each burst of frames, before waiting for more (the place to
	 * flush output); non-zero stops the run.  May be NULL. */
	int (*burst_end)(void *ctx);
};

/* Feed w with the frames of io until *stop, the timeout, fn or burst_end
 * says stop, or a receive error; the state file is written as it is due. */
int gn_arpwatch_run(struct gn_arpwatch *w, struct gn_io *io, const struct gn_arpwatch_run_opts *o,
		    struct gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
