// SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0)
/*
 * xdp_tcp_reset: answer every IPv4 TCP SYN with the RST-ACK a closed port
 * sends (RFC 9293 3.10.7.1: seq 0, ack = the SYN's seq + its length, window
 * 0, no options; as Linux does it, TTL 64, DF, the SYN's TOS without its
 * ECN bits), turned around in place and sent back with XDP_TX.  Everything
 * else goes on to the stack.
 *
 * `make bench` puts it on the peer of a SYN scan to measure what sr can do
 * against a host that answers faster than this VM's TCP stack can (about
 * 3 us of a CPU per SYN here): the answers are the kernel's, byte for byte
 * in every field sr looks at, but cost a few hundred nanoseconds.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#define REPLY_LEN (sizeof(struct ethhdr) + sizeof(struct iphdr) + sizeof(struct tcphdr))

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} reset_count SEC(".maps");

static __always_inline __u16 fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

static __always_inline __u32 sum16(const void *p, int words)
{
	const __u16 *w = p;
	__u32 sum = 0;

	for (int i = 0; i < words; i++)
		sum += w[i];
	return sum;
}

SEC("xdp")
int xdp_tcp_reset(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	struct tcphdr *tcp = (void *)(ip + 1);
	unsigned char mac[ETH_ALEN];
	__u32 key = 0, seq, addr;
	__u8 tos;
	__u16 port;
	__u64 *n;
	int extra;

	if ((void *)(tcp + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP) ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_TCP ||
	    (ip->frag_off & bpf_htons(0x3fff)) || !tcp->syn || tcp->ack || tcp->rst)
		return XDP_PASS;
	/* the SYN, a FIN and the data each take sequence space */
	seq = bpf_ntohl(tcp->seq) + 1 + tcp->fin +
	      (__u32)(bpf_ntohs(ip->tot_len) - sizeof(*ip) - tcp->doff * 4);
	tos = ip->tos & ~0x03;
	/* options and payload go: the reply is headers only */
	extra = (int)(end - data) - (int)REPLY_LEN;
	if (extra > 0 && bpf_xdp_adjust_tail(ctx, -extra))
		return XDP_PASS;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	ip = (void *)(eth + 1);
	tcp = (void *)(ip + 1);
	if ((void *)(tcp + 1) > end)
		return XDP_PASS;

	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);

	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	ip->tos = tos;
	ip->tot_len = bpf_htons(sizeof(struct iphdr) + sizeof(struct tcphdr));
	ip->id = 0;
	ip->frag_off = bpf_htons(0x4000);
	ip->ttl = 64;
	ip->check = 0;
	ip->check = fold(sum16(ip, sizeof(*ip) / 2));

	port = tcp->source;
	tcp->source = tcp->dest;
	tcp->dest = port;
	tcp->seq = 0;
	tcp->ack_seq = bpf_htonl(seq);
	/* doff 5, flags RST|ACK: the 16 bits after ack_seq, all at once */
	*((__u16 *)&tcp->ack_seq + 2) = bpf_htons(0x5014);
	tcp->window = 0;
	tcp->check = 0;
	tcp->urg_ptr = 0;
	/* the pseudo-header's addresses, protocol and length, then the header */
	tcp->check = fold(sum16(&ip->saddr, 4) + bpf_htons(IPPROTO_TCP) +
			  bpf_htons(sizeof(struct tcphdr)) + sum16(tcp, sizeof(*tcp) / 2));

	n = bpf_map_lookup_elem(&reset_count, &key);
	if (n)
		(*n)++;  /* per-CPU slot: no other CPU writes it */
	return XDP_TX;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
