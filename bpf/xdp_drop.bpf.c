// SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0)
/*
 * xdp_drop: count every packet, then drop it — the ceiling a receiver on
 * this interface can reach (nothing is cheaper than dropping in the
 * driver), which `make bench` measures gannet's backends against.  Debian's
 * xdp-bench would do, but 1.3.1 does not load on current kernels.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drop_count SEC(".maps");

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *n = bpf_map_lookup_elem(&drop_count, &key);

	(void)ctx;
	if (n)
		(*n)++;  /* per-CPU slot: no other CPU writes it */
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
