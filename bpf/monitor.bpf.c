// SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0)
/*
 * monitor: copy the frames the filter matches (up to the snap length) into
 * a BPF ring buffer, and pass every frame on to the kernel, unchanged.
 *
 * The filter is a tcpdump expression compiled by user/bpf_filter.c, in slot
 * 0 of the jump map; it ends with a tail call to slot 1 (gn_mon_match: copy
 * it) or slot 2 (gn_mon_skip).  Those two are plain XDP programs of this
 * object: the attached copy of gn_monitor may be a freplace program behind
 * libxdp's dispatcher, and such a program cannot sit in a PROG_ARRAY (Linux
 * 6.12 and later).  Without a filter every frame matches.
 *
 * The copy goes straight from the frame into the ring: a record is reserved
 * (bpf_ringbuf_reserve wants a size known to the verifier, so it is the
 * smallest of a few size classes that holds the capture) and
 * bpf_xdp_load_bytes fills it, fragments included (the programs are
 * xdp.frags: jumbo frames on native XDP).  The other way, a per-CPU scratch
 * buffer and bpf_ringbuf_output, copies every byte twice; per frame, as
 * kernel.bpf_stats_enabled measures the whole program on veth: 338 against
 * 354 ns for 60-byte frames, 437 against 482 ns for 1500-byte ones.
 *
 * Waking the reader costs more than copying a frame (an irq_work, then the
 * wake-up), and the kernel's own rule, wake it for a record when it has
 * read everything before, wakes a reader that keeps up for every frame:
 * 3200 ns a frame instead of 330 on a 2-vCPU VM.  So the records carry
 * BPF_RB_NO_WAKEUP but for one every wakeup_ns (1 ms), and sooner when the
 * ring fills up (a quarter of it waiting); the first frame after a quiet
 * spell still wakes the reader at once.  The reader, for its part, looks
 * again shortly after it last found the ring empty, for the few records
 * that came in after a wake-up that did not see them (user/io_monitor.c).
 *
 * Every verdict is counted in a per-CPU array, so nothing is lost silently:
 * a frame that finds the ring full is counted as such, and still passed.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "../user/monitor_map.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);     /* set by the library before loading */
} ring SEC(".maps");

/* When a record last woke the reader (bpf_ktime_get_ns); shared by every
 * CPU and, like the ring, by the programs of every interface. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} last_wake SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GN_MON_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, GN_MON_NSLOTS);
	__type(key, __u32);
	__type(value, __u32);
} jump SEC(".maps");

/* Set before loading; the owner is read back by a later run (xdp_attach.c). */
const volatile struct gn_mon_cfg gn_cfg = {};

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&stats, &which);

	/* Per-CPU slot: no other CPU writes it. */
	if (c)
		(*c)++;
}

static __always_inline __u64 wakeup(__u64 now)
{
	__u32 zero = 0;
	__u64 *last = bpf_map_lookup_elem(&last_wake, &zero);
	__u64 since;

	if (!last)
		return 0;
	since = now - *last;
	/* Racy between CPUs, and harmless: two wake-ups instead of one. */
	if (since >= gn_cfg.wakeup_ns ||
	    (since >= gn_cfg.wakeup_ns / 16 &&
	     bpf_ringbuf_query(&ring, BPF_RB_AVAIL_DATA) >= gn_cfg.wakeup_bytes)) {
		*last = now;
		return BPF_RB_FORCE_WAKEUP;
	}
	return BPF_RB_NO_WAKEUP;
}

/* Reserve a record with room for class bytes, copy cap bytes of the frame
 * into it (1 <= cap <= class) and submit it; 0, or -1 when the ring is full. */
static __always_inline int copy_class(struct xdp_md *ctx, __u32 class, __u64 wire, __u64 cap)
{
	struct gn_mon_rec *r = bpf_ringbuf_reserve(&ring, sizeof(*r) + class, 0);
	__u64 now;

	if (!r)
		return -1;
	now = bpf_ktime_get_ns();
	r->ts_ns = now;
	r->wire_len = wire;
	r->ifindex = ctx->ingress_ifindex;
	r->rx_queue = ctx->rx_queue_index;
	/* The verifier must see 1 <= cap <= class in the register passed:
	 * 64 bits (no 32-bit copy that clang would check instead), and the
	 * barrier keeps the clamp where it is. */
	if (cap > class)
		cap = class;
	barrier_var(cap);
	if (cap < 1 || bpf_xdp_load_bytes(ctx, 0, r->data, cap)) {
		/* Shorter than it said: nothing to show. */
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		return 0;
	}
	r->cap_len = cap;
	bpf_ringbuf_submit(r, wakeup(now));
	return 1;
}

static __always_inline int copy(struct xdp_md *ctx)
{
	__u64 wire = bpf_xdp_get_buff_len(ctx);
	__u64 cap = wire < gn_cfg.snaplen ? wire : gn_cfg.snaplen;

	if (cap > GN_MON_MAX_CAP)
		cap = GN_MON_MAX_CAP;
	if (cap <= 128)
		return copy_class(ctx, 128, wire, cap);
	if (cap <= 256)
		return copy_class(ctx, 256, wire, cap);
	if (cap <= 512)
		return copy_class(ctx, 512, wire, cap);
	if (cap <= 1024)
		return copy_class(ctx, 1024, wire, cap);
	if (cap <= 1536)
		return copy_class(ctx, 1536, wire, cap);  /* a full 1500-MTU frame */
	if (cap <= 2048)
		return copy_class(ctx, 2048, wire, cap);
	if (cap <= 4096)
		return copy_class(ctx, 4096, wire, cap);
	if (cap <= 9216)
		return copy_class(ctx, 9216, wire, cap);  /* jumbo */
	if (cap <= 16384)
		return copy_class(ctx, 16384, wire, cap);
	return copy_class(ctx, GN_MON_MAX_CAP, wire, cap);
}

static __always_inline int take(struct xdp_md *ctx)
{
	int rc;

	count(GN_MON_MATCHED);
	rc = copy(ctx);
	if (rc > 0)
		count(GN_MON_COPIED);
	else if (rc < 0)
		count(GN_MON_RINGBUF_FULL);
	count(GN_MON_PASSED);
	return XDP_PASS;
}

static __always_inline int skip(void)
{
	count(GN_MON_NOT_MATCHED);
	count(GN_MON_PASSED);
	return XDP_PASS;
}

SEC("xdp.frags")
int gn_monitor(struct xdp_md *ctx)
{
	count(GN_MON_SEEN);
	if (!gn_cfg.has_filter)
		return take(ctx);
	count(GN_MON_FILTERED);
	bpf_tail_call(ctx, &jump, GN_MON_SLOT_FILTER);
	/* The slot is still empty: the program is attached before the filter
	 * goes in, and nothing is asked for until it has. */
	return skip();
}

SEC("xdp.frags")
int gn_mon_match(struct xdp_md *ctx)
{
	return take(ctx);
}

SEC("xdp.frags")
int gn_mon_skip(struct xdp_md *ctx)
{
	return skip();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
