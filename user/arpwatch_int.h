/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The ARP monitor's station table (private): arpwatch.c keeps it and turns
 * ARP frames into events, arpwatch_state.c reads and writes it as a file,
 * arpwatch_run.c feeds it from a gn_io source.
 */
#ifndef GANNET_ARPWATCH_INT_H
#define GANNET_ARPWATCH_INT_H

#include <time.h>

#include <gannet/gannet.h>
#include <gannet/arpwatch.h>

/* Stations remembered at most: ARP is easy to forge, and a flood of made-up
 * senders must not take all memory.  Past it, new stations are still
 * reported, not remembered. */
#define GN_ARPW_MAX_STATIONS (1u << 20)

struct gn_arpw_station {
	uint8_t used;
	uint8_t has_prev;
	uint8_t ip[4];
	uint8_t mac[6];
	uint8_t prev_mac[6];         /* the MAC before the last change */
	char ifname[GN_IFNAMSIZ];
	int64_t last_ns;             /* mac last seen (ns since the epoch) */
};

struct gn_arpwatch {
	struct gn_arpw_station *tab; /* open addressing, a power of two slots */
	size_t cap;
	size_t n;
	char *state_path;            /* NULL: no state file */
	uint64_t save_interval_ns;
	bool dirty;                  /* the file is behind the table */
	bool dirty_now;              /* ... in a way that should be written at once */
	int64_t saved_ns;            /* CLOCK_MONOTONIC of the last write */
	struct gn_arpwatch_stats st;
};

/* The station (ip, ifname), or NULL; with add, a new zeroed one (NULL when
 * out of memory or full). */
struct gn_arpw_station *gn_arpw_find(struct gn_arpwatch *w, const uint8_t ip[4],
				     const char *ifname, bool add);
/* arpwatch_state.c */
int gn_arpw_load(struct gn_arpwatch *w, struct gn_error *err);
int gn_arpw_save(struct gn_arpwatch *w, struct gn_error *err);
/* CLOCK_MONOTONIC / CLOCK_REALTIME in ns. */
int64_t gn_arpw_now(clockid_t c);

#endif
