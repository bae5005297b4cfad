/* SPDX-License-Identifier: (LGPL-2.1-or-later OR BSD-2-Clause) */
/*
 * What the steer program (bpf/steer.bpf.c) and the library (user/steer.c,
 * user/io_xdp.c, user/xdp_attach.c) share: the layout of its map values and
 * the indexes of its counters and program slots.  Kernel types only, so the
 * BPF side can include it too.
 */
#ifndef GANNET_STEER_MAP_H
#define GANNET_STEER_MAP_H

#include <linux/types.h>

/* Rules per half of the rules map (see rules_ctl below). */
#define GN_SM_MAX_RULES 64

/* What a rule compares; a rule matches when every field it names matches,
 * and a rule naming nothing matches every frame. */
#define GN_SM_ETHERTYPE  (1u << 0)   /* the EtherType after any VLAN tags */
#define GN_SM_PROTO      (1u << 1)   /* IPv4 protocol / IPv6 last next header */
#define GN_SM_SRC        (1u << 2)   /* source address under src_mask */
#define GN_SM_DST        (1u << 3)
#define GN_SM_SPORT      (1u << 4)   /* TCP/UDP/SCTP source port in [lo, hi] */
#define GN_SM_DPORT      (1u << 5)
#define GN_SM_ICMP_TYPE  (1u << 6)   /* ICMP or ICMPv6 type */
#define GN_SM_ICMP_ID    (1u << 7)   /* echo request/reply identifier */
#define GN_SM_ESCP       (1u << 8)   /* UDP from or to port 1337 */

#define GN_SM_ESCP_PORT 1337

/* One rule as the program reads it.  Addresses are in network order, as
 * 32-bit words so the masked compare is four word operations; an IPv4
 * address is word 0, the other words zero (the mask too).  ARP frames
 * offer their sender and target protocol addresses as src and dst. */
struct gn_sm_rule {
	__u32 fields;        /* GN_SM_* */
	__u16 ethertype;     /* host order */
	__u8 family;         /* 4 or 6: the family of src and dst */
	__u8 proto;
	__u32 src[4];
	__u32 src_mask[4];
	__u32 dst[4];
	__u32 dst_mask[4];
	__u16 sport_lo, sport_hi;
	__u16 dport_lo, dport_hi;
	__u8 icmp_type;
	__u8 pad;
	__u16 icmp_id;       /* host order */
};

/* rules_ctl[0]: which half of the rules map is live (bit 31), whether the
 * filter slot is filled (bit 30) and how many rules the live half holds
 * (the low bits).  The library writes the idle half, then flips this one
 * word, so the program never sees a rule half written. */
#define GN_SM_CTL_HALF   (1u << 31)
#define GN_SM_CTL_FILTER (1u << 30)
#define GN_SM_CTL_COUNT  0xffffu

/* Per-CPU counters, one array slot each.  Every frame is counted in SEEN
 * and in exactly one of REDIRECTED, PASSED and REDIRECT_FAILED. */
enum gn_sm_stat {
	GN_SM_SEEN = 0,
	GN_SM_MATCHED,          /* a rule or the filter took it */
	GN_SM_REDIRECTED,       /* handed to the AF_XDP socket of its queue */
	GN_SM_PASSED,           /* not taken: on to the kernel */
	GN_SM_REDIRECT_FAILED,  /* taken, but no socket on its queue: passed */
	GN_SM_FILTERED,         /* handed to the filter program */
	GN_SM_NSTATS,
};

/* Slots of the jump (PROG_ARRAY) map. */
enum gn_sm_slot {
	GN_SM_SLOT_FILTER = 0,  /* the tcpdump filter (bpf_filter.c), optional */
	GN_SM_SLOT_MATCH = 1,   /* gn_steer_match: count, redirect */
	GN_SM_SLOT_NOMATCH = 2, /* gn_steer_pass: count, pass */
	GN_SM_NSLOTS,
};

/* Who loaded this copy of the program: read back from its .rodata by a
 * later run, which replaces a program whose owner is gone (a killed run)
 * and refuses to touch one whose owner still runs. */
#define GN_SM_OWNER_MAGIC 0x676e737465657231ull  /* "gnsteer1" */
struct gn_sm_owner {
	__u64 magic;
	__u64 start_time;    /* the owner's start time (/proc/PID/stat field 22) */
	__u64 pidns;         /* inode of the owner's PID namespace */
	__u32 pid;
	__u32 pad;
};

#endif
