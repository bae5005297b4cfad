/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * What the monitor program (bpf/monitor.bpf.c) and the monitor backend
 * (user/io_monitor.c) share: the record it writes into the ring buffer, its
 * configuration, the indexes of its counters and of its program slots.
 * Kernel types only, so the BPF side can include it too.
 */
#ifndef GANNET_MONITOR_MAP_H
#define GANNET_MONITOR_MAP_H

#include <linux/types.h>

#include "steer_map.h"  /* struct gn_sm_owner: the owner record xdp_attach.c reads back */

/* One frame in the ring buffer: this header, then cap_len bytes of it.  The
 * record itself may be longer than header + cap_len (it is reserved in size
 * classes, see the program); the ring's own header says how long. */
struct gn_mon_rec {
	__u64 ts_ns;       /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 wire_len;    /* the whole frame, fragments included */
	__u32 cap_len;     /* the bytes that follow: min(wire_len, snaplen) */
	__u32 ifindex;
	__u32 rx_queue;
	__u8 data[];
};

/* The program's .rodata, set before loading.  The owner record must come
 * first: xdp_attach.c reads it at the start of the .rodata of a program it
 * finds attached, to tell a killed run's leftover from a live one. */
struct gn_mon_cfg {
	struct gn_sm_owner owner;
	__u32 snaplen;     /* at most GN_MON_MAX_CAP */
	__u32 has_filter;  /* slot 0 is (or will be) the filter: tail-call it */
	/* When to wake the reader (see the program): a record wakes it when
	 * the last wake-up is wakeup_ns old, or wakeup_ns / 16 old with
	 * wakeup_bytes waiting in the ring. */
	__u64 wakeup_ns;
	__u64 wakeup_bytes;
};

/* The most a record carries: XDP frames are at most 64 KiB (generic mode
 * on loopback), a snap length beyond that changes nothing. */
#define GN_MON_MAX_CAP 65536u

/* Per-CPU counters, one array slot each.  Every frame is SEEN and PASSED
 * (the program never keeps one), and either MATCHED or NOT_MATCHED; every
 * frame MATCHED is COPIED into the ring or counted RINGBUF_FULL. */
enum gn_mon_stat {
	GN_MON_SEEN = 0,
	GN_MON_MATCHED,
	GN_MON_NOT_MATCHED,
	GN_MON_COPIED,
	GN_MON_RINGBUF_FULL,   /* no room in the ring: the reader is behind */
	GN_MON_PASSED,
	GN_MON_FILTERED,       /* handed to the filter program */
	GN_MON_NSTATS,
};

/* Slots of the jump (PROG_ARRAY) map; the filter ends with a tail call to
 * slot 1 or 2, as user/bpf_filter.h describes. */
enum gn_mon_slot {
	GN_MON_SLOT_FILTER = 0,   /* the tcpdump filter (bpf_filter.c) */
	GN_MON_SLOT_MATCH = 1,    /* gn_monitor_match: copy, pass */
	GN_MON_SLOT_NOMATCH = 2,  /* gn_monitor_skip: pass */
	GN_MON_NSLOTS,
};

#endif
