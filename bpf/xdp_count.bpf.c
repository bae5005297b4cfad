// SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0)
/*
 * xdp_count: the smallest useful XDP program.  It counts every packet and
 * its bytes, then passes it on to the kernel untouched.  The counters live
 * in a per-CPU array so that CPUs never contend on one cache line; user
 * space sums the per-CPU slots when it reads them.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct xdp_count_stats {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_count_stats);
} stats SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct xdp_count_stats *st = bpf_map_lookup_elem(&stats, &key);

	/* The lookup of index 0 cannot fail, but the verifier wants the check. */
	if (st) {
		/* Per-CPU slot: no other CPU writes it, so no atomics needed. */
		st->packets++;
		st->bytes += ctx->data_end - ctx->data;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
