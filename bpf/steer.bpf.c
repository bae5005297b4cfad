// SPDX-License-Identifier: (BSD-2-Clause OR GPL-2.0)
/*
 * steer: take the frames userspace asked for into the AF_XDP socket of the
 * queue they arrived on, and let every other frame go on to the kernel.
 *
 * What to take is a short list of rules (user/steer_map.h): each names a
 * few fields (EtherType, IP protocol, address prefixes, port ranges, ICMP
 * type and echo id, ESCP) that must all match.  A frame no rule takes goes
 * to the filter program in slot 0 of the jump map when there is one (a
 * tcpdump expression compiled by user/bpf_filter.c), which ends with a tail
 * call to slot 1 (take it) or slot 2 (pass it).
 *
 * The headers are parsed once per frame: up to two VLAN tags (802.1Q,
 * 802.1ad), IPv4 with options, IPv6 with up to six extension headers, ARP.
 * Only the first fragment of a datagram has ports or an ICMP header.
 *
 * Every verdict is counted in a per-CPU array, so nothing is dropped
 * silently: a frame taken while no socket is bound on its queue is passed
 * to the kernel (bpf_redirect_map's fallback action) and counted as such.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "../user/steer_map.h"

#define MAX_VLAN_TAGS 2
#define MAX_EXT_HDRS 6

/* The headers, spelled out here: uapi's carry kernel-only baggage. */
struct vlan_tag {
	__be16 tci;
	__be16 proto;
};

struct ip4 {
	__u8 ver_ihl;
	__u8 tos;
	__be16 len;
	__be16 id;
	__be16 frag;
	__u8 ttl;
	__u8 proto;
	__be16 csum;
	__be32 src;
	__be32 dst;
};

struct ip6 {
	__be32 vtc_flow;
	__be16 plen;
	__u8 next;
	__u8 hlim;
	__be32 src[4];
	__be32 dst[4];
};

struct ext_hdr {
	__u8 next;
	__u8 len;
	__be16 frag;   /* fragment header: offset and flags */
};

struct arp4 {
	__be16 htype;
	__be16 ptype;
	__u8 hlen;
	__u8 plen;
	__be16 op;
	__u8 sha[6];
	__u8 spa[4];
	__u8 tha[6];
	__u8 tpa[4];
};

/* What the rules compare, read from the frame once. */
struct pkt {
	__u32 src[4];
	__u32 dst[4];
	__u16 ethertype;
	__u16 sport;
	__u16 dport;
	__u16 icmp_id;
	__u8 family;     /* 0: neither IP nor ARP */
	__u8 proto;
	__u8 has_proto;  /* IPv4 or IPv6: proto is valid */
	__u8 has_ports;
	__u8 has_icmp;
	__u8 has_icmp_id;
	__u8 icmp_type;
};

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 1);          /* set to the queue count before loading */
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * GN_SM_MAX_RULES);
	__type(key, __u32);
	__type(value, struct gn_sm_rule);
} rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} rules_ctl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, GN_SM_NSTATS);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, GN_SM_NSLOTS);
	__type(key, __u32);
	__type(value, __u32);
} jump SEC(".maps");

/* Set before loading; read back by a later run (user/xdp_attach.c). */
const volatile struct gn_sm_owner gn_owner = {};

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&stats, &which);

	/* Per-CPU slot: no other CPU writes it. */
	if (c)
		(*c)++;
}

static __always_inline int take(struct xdp_md *ctx)
{
	int act;

	count(GN_SM_MATCHED);
	/* With no socket at this index the fallback action comes back
	 * instead of XDP_REDIRECT: the frame goes to the kernel. */
	act = bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_PASS);
	count(act == XDP_REDIRECT ? GN_SM_REDIRECTED : GN_SM_REDIRECT_FAILED);
	return act;
}

static __always_inline int pass(void)
{
	count(GN_SM_PASSED);
	return XDP_PASS;
}

/* Ports or ICMP fields of the transport header at l4, if it is there. */
static __always_inline void parse_l4(struct pkt *p, void *l4, void *end)
{
	__u8 *b = l4;

	switch (p->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
		if (l4 + 4 > end)
			return;
		p->sport = ((__u16)b[0] << 8) | b[1];
		p->dport = ((__u16)b[2] << 8) | b[3];
		p->has_ports = 1;
		return;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (l4 + 1 > end)
			return;
		p->icmp_type = b[0];
		p->has_icmp = 1;
		/* Echo request/reply: v4 8/0, v6 128/129. */
		if (p->proto == IPPROTO_ICMP ? (b[0] == 8 || b[0] == 0) :
					       (b[0] == 128 || b[0] == 129)) {
			if (l4 + 6 > end)
				return;
			p->icmp_id = ((__u16)b[4] << 8) | b[5];
			p->has_icmp_id = 1;
		}
		return;
	}
}

static __always_inline void parse_ip4(struct pkt *p, void *l3, void *end)
{
	struct ip4 *ip = l3;
	__u32 hl;

	if (l3 + sizeof(*ip) > end)
		return;
	hl = (ip->ver_ihl & 0x0f) * 4;
	if ((ip->ver_ihl >> 4) != 4 || hl < sizeof(*ip))
		return;
	p->family = 4;
	p->src[0] = ip->src;
	p->dst[0] = ip->dst;
	p->proto = ip->proto;
	p->has_proto = 1;
	/* Later fragments carry no transport header. */
	if (ip->frag & bpf_htons(0x1fff))
		return;
	parse_l4(p, l3 + hl, end);
}

static __always_inline void parse_ip6(struct pkt *p, void *l3, void *end)
{
	struct ip6 *ip = l3;
	void *cur = l3 + sizeof(*ip);
	__u8 next;
	int i;

	if (l3 + sizeof(*ip) > end || (((__u8 *)l3)[0] >> 4) != 6)
		return;
	p->family = 6;
	for (i = 0; i < 4; i++) {
		p->src[i] = ip->src[i];
		p->dst[i] = ip->dst[i];
	}
	next = ip->next;
#pragma unroll
	for (i = 0; i < MAX_EXT_HDRS; i++) {
		struct ext_hdr *h = cur;

		if (next != 0 && next != 43 && next != 44 && next != 51 && next != 60)
			break;
		if (cur + sizeof(*h) > end)
			return;
		if (next == 44) {
			/* A later fragment: the protocol is known, no ports. */
			if (h->frag & bpf_htons(0xfff8)) {
				p->proto = h->next;
				p->has_proto = 1;
				return;
			}
			cur += 8;
		} else if (next == 51) {
			cur += ((__u32)h->len + 2) * 4;      /* AH counts 4-byte words */
		} else {
			cur += ((__u32)h->len + 1) * 8;
		}
		next = h->next;
	}
	p->proto = next;
	p->has_proto = 1;
	parse_l4(p, cur, end);
}

static __always_inline void parse_arp(struct pkt *p, void *l3, void *end)
{
	struct arp4 *a = l3;

	if (l3 + sizeof(*a) > end || a->ptype != bpf_htons(ETH_P_IP) || a->hlen != 6 ||
	    a->plen != 4)
		return;
	p->family = 4;
	__builtin_memcpy(&p->src[0], a->spa, 4);
	__builtin_memcpy(&p->dst[0], a->tpa, 4);
}

static __always_inline void parse(struct xdp_md *ctx, struct pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *cur = data + sizeof(*eth);
	__u16 type;
	int i;

	if (data + sizeof(*eth) > end)
		return;
	type = bpf_ntohs(eth->h_proto);
#pragma unroll
	for (i = 0; i < MAX_VLAN_TAGS; i++) {
		struct vlan_tag *t = cur;

		if (type != ETH_P_8021Q && type != ETH_P_8021AD)
			break;
		if (cur + sizeof(*t) > end)
			return;
		type = bpf_ntohs(t->proto);
		cur += sizeof(*t);
	}
	p->ethertype = type;
	if (type == ETH_P_IP)
		parse_ip4(p, cur, end);
	else if (type == ETH_P_IPV6)
		parse_ip6(p, cur, end);
	else if (type == ETH_P_ARP)
		parse_arp(p, cur, end);
}

static __always_inline int addr_ok(const __u32 *a, const __u32 *want, const __u32 *mask)
{
	return (a[0] & mask[0]) == want[0] && (a[1] & mask[1]) == want[1] &&
	       (a[2] & mask[2]) == want[2] && (a[3] & mask[3]) == want[3];
}

static __always_inline int rule_matches(const struct gn_sm_rule *r, const struct pkt *p)
{
	__u32 f = r->fields;

	if ((f & GN_SM_ETHERTYPE) && r->ethertype != p->ethertype)
		return 0;
	if ((f & GN_SM_PROTO) && (!p->has_proto || r->proto != p->proto))
		return 0;
	if ((f & (GN_SM_SRC | GN_SM_DST)) && r->family != p->family)
		return 0;
	if ((f & GN_SM_SRC) && !addr_ok(p->src, r->src, r->src_mask))
		return 0;
	if ((f & GN_SM_DST) && !addr_ok(p->dst, r->dst, r->dst_mask))
		return 0;
	if ((f & (GN_SM_SPORT | GN_SM_DPORT | GN_SM_ESCP)) && !p->has_ports)
		return 0;
	if ((f & GN_SM_SPORT) && (p->sport < r->sport_lo || p->sport > r->sport_hi))
		return 0;
	if ((f & GN_SM_DPORT) && (p->dport < r->dport_lo || p->dport > r->dport_hi))
		return 0;
	if ((f & GN_SM_ESCP) && (p->proto != IPPROTO_UDP ||
				 (p->sport != GN_SM_ESCP_PORT && p->dport != GN_SM_ESCP_PORT)))
		return 0;
	if ((f & GN_SM_ICMP_TYPE) && (!p->has_icmp || r->icmp_type != p->icmp_type))
		return 0;
	if ((f & GN_SM_ICMP_ID) && (!p->has_icmp_id || r->icmp_id != p->icmp_id))
		return 0;
	return 1;
}

struct scan {
	const struct pkt *p;
	__u32 base;
	int hit;
};

/* bpf_loop's body: the verifier checks it once, whatever the rule count. */
static long scan_one(__u32 i, void *data)
{
	struct scan *s = data;
	__u32 key = s->base + i;
	const struct gn_sm_rule *r = bpf_map_lookup_elem(&rules, &key);

	if (!r)
		return 1;
	if (rule_matches(r, s->p)) {
		s->hit = 1;
		return 1;
	}
	return 0;
}

SEC("xdp")
int gn_steer(struct xdp_md *ctx)
{
	struct pkt p = {};
	struct scan s = { .p = &p };
	__u32 zero = 0, ctl, n;
	__u32 *c;

	count(GN_SM_SEEN);
	c = bpf_map_lookup_elem(&rules_ctl, &zero);
	ctl = c ? *(volatile __u32 *)c : 0;
	n = ctl & GN_SM_CTL_COUNT;
	if (n > GN_SM_MAX_RULES)
		n = GN_SM_MAX_RULES;
	if (n) {
		parse(ctx, &p);
		s.base = (ctl & GN_SM_CTL_HALF) ? GN_SM_MAX_RULES : 0;
		bpf_loop(n, scan_one, &s, 0);
		if (s.hit)
			return take(ctx);
	}
	/* Not taken by a rule: the filter decides, when there is one. */
	if (ctl & GN_SM_CTL_FILTER) {
		count(GN_SM_FILTERED);
		bpf_tail_call(ctx, &jump, GN_SM_SLOT_FILTER);
	}
	return pass();
}

SEC("xdp")
int gn_steer_match(struct xdp_md *ctx)
{
	return take(ctx);
}

SEC("xdp")
int gn_steer_pass(struct xdp_md *ctx)
{
	return pass();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
