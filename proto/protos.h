/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in protocol classes other files refer to, and each proto file's
 * registration function (called once, in this order, by gn_builtin_register). */
#ifndef GANNET_PROTOS_H
#define GANNET_PROTOS_H

#include <errno.h>
#include <string.h>

#include <gannet/gannet.h>

void gn_proto_raw_register(void);
void gn_proto_ether_register(void);
void gn_proto_arp_register(void);
void gn_proto_ip_register(void);
void gn_proto_ipv6_register(void);
void gn_proto_icmp_register(void);
void gn_proto_icmpv6_register(void);
void gn_proto_tcp_register(void);
void gn_proto_udp_register(void);
void gn_proto_dns_register(void);
void gn_proto_dhcp_register(void);
void gn_proto_sll_register(void);
void gn_proto_escp_register(void);

extern const struct gn_proto gn_proto_raw;
extern const struct gn_proto gn_proto_padding;
extern const struct gn_proto gn_proto_ether;
extern const struct gn_proto gn_proto_dot1q;
extern const struct gn_proto gn_proto_dot1ad;
extern const struct gn_proto gn_proto_arp;

/* Internet checksum (RFC 1071) over data, folded, not inverted: helpers for
 * post_build hooks. gn_inet_csum returns the final ~sum. */
uint32_t gn_csum_add(uint32_t sum, const uint8_t *p, size_t n);
uint16_t gn_csum_fold(uint32_t sum);
uint16_t gn_inet_csum(const uint8_t *p, size_t n);
/* TCP/UDP/ICMPv6 checksum with the pseudo-header of the layer below l
 * (IP or IPv6); proto is the upper-layer protocol number. */
uint16_t gn_l4_csum(const struct gn_layer *l, const uint8_t *seg, size_t n, uint8_t proto);

/* Values the field kinds of several proto files make: bytes copied into the
 * arena (one byte at least, so that an empty value still has a pointer), a
 * bare name (an option's) that points at a string living as long as the
 * program (never written; copies duplicate it), and an array of n list
 * items (one at least). */
static inline int gn_bytes_value(struct gn_arena *a, const void *p, size_t n,
				 struct gn_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = GN_V_BYTES;
	out->len = (uint32_t)n;
	out->bytes = gn_arena_memdup(a, p, n);
	return out->bytes ? 0 : -ENOMEM;
}

static inline void gn_name_value(struct gn_value *out, const char *name)
{
	memset(out, 0, sizeof(*out));
	out->type = GN_V_NAME;
	out->len = (uint32_t)strlen(name);
	out->bytes = (uint8_t *)(uintptr_t)name;
}

static inline struct gn_value *gn_new_items(struct gn_arena *a, size_t n)
{
	return gn_arena_alloc(a, (n ? n : 1) * sizeof(struct gn_value));
}

/*
 * A field kind that changes some operations of a built-in kind keeps the
 * others by calling the built-in kind's own: GN_INHERIT_BUILD(x_build,
 * gn_kind_uint) defines the static x_build() as gn_kind_uint.build() (a
 * static table cannot name another table's members).  No semicolon after.
 */
#define GN_INHERIT_DISSECT(name, base)                                              \
	static int name(struct gn_dissect_ctx *c, struct gn_layer *l,               \
			const struct gn_field *f, struct gn_value *out)             \
	{                                                                           \
		return (base).dissect(c, l, f, out);                                \
	}
#define GN_INHERIT_BUILD(name, base)                                                \
	static int name(struct gn_build_ctx *c, const struct gn_layer *l,           \
			const struct gn_field *f, const struct gn_value *v)         \
	{                                                                           \
		return (base).build(c, l, f, v);                                    \
	}
#define GN_INHERIT_ASSIGN(name, base)                                               \
	static int name(struct gn_arena *a, const struct gn_field *f,               \
			const struct gn_ast *ast, struct gn_value *out,             \
			struct gn_error *err)                                       \
	{                                                                           \
		return (base).assign(a, f, ast, out, err);                          \
	}
#define GN_INHERIT_FORMAT(name, base)                                               \
	static void name(const struct gn_layer *l, const struct gn_field *f,        \
			 const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r) \
	{                                                                           \
		(base).format(l, f, v, sb, r);                                      \
	}
#define GN_INHERIT_WIRE_LEN(name, base)                                             \
	static size_t name(const struct gn_layer *l, const struct gn_field *f,      \
			   const struct gn_value *v)                                \
	{                                                                           \
		return (base).wire_len(l, f, v);                                    \
	}

/* --- appended by each proto file's author below --- */
extern const struct gn_enum gn_ether_types[];
extern const struct gn_enum gn_hardware_types[];

/* proto/ip.c, proto/ipv6.c (declared here by proto/sll.c, which binds to them) */
extern const struct gn_proto gn_proto_ip;
extern const struct gn_proto gn_proto_ipv6;
/* proto/sll.c */
extern const struct gn_proto gn_proto_sll;
extern const struct gn_proto gn_proto_sll2;
extern const struct gn_proto gn_proto_loopback;

/* proto/ip.c, icmp.c, tcp.c, udp.c (gn_proto_ip is declared above) */
extern const struct gn_proto gn_proto_iperror;
extern const struct gn_proto gn_proto_ipoption;
extern const struct gn_proto gn_proto_ipoption_eol;
extern const struct gn_proto gn_proto_ipoption_nop;
extern const struct gn_proto gn_proto_ipoption_rr;
extern const struct gn_proto gn_proto_ipoption_lsrr;
extern const struct gn_proto gn_proto_ipoption_ssrr;
extern const struct gn_proto gn_proto_ipoption_timestamp;
extern const struct gn_proto gn_proto_ipoption_router_alert;
extern const struct gn_proto gn_proto_icmp;
extern const struct gn_proto gn_proto_icmperror;
extern const struct gn_proto gn_proto_tcp;
extern const struct gn_proto gn_proto_tcperror;
extern const struct gn_proto gn_proto_udp;
extern const struct gn_proto gn_proto_udperror;
/* proto/udp.c: Scapy's bind_layers(lower, upper, cond) for lower UDP or TCP;
 * the ICMP-quoted twin (UDPerror, TCPerror) gets the same binding for
 * dissection, as Scapy's share their payload guesses */
void gn_bind_l4(const struct gn_proto *lower, const struct gn_proto *upper, const char *cond,
		unsigned how);
/* user/services.c: names from /etc/services and /etc/protocols, as Scapy's
 * TCP_SERVICES, UDP_SERVICES and IP_PROTOS */
extern const struct gn_enum_resolver gn_tcp_services, gn_udp_services, gn_ip_protos;
/* proto/ip.c: Scapy's hashret and answers over a whole stack.  A layer's
 * hashret hook covers it and the layers above (Scapy's recursion); these
 * give the defaults for a layer without hooks (the payload's hash; the same
 * class then the payloads, Raw answering anything) and treat a missing
 * layer as Scapy's NoPayload.  gn_hash_bytes is the hash the hooks use
 * (h = 0 to start). */
uint32_t gn_hash_bytes(uint32_t h, const void *p, size_t n);
uint32_t gn_layer_hashret(const struct gn_layer *l);
bool gn_layer_answers(const struct gn_layer *reply, const struct gn_layer *probe);
/* proto/ip.c: the assign of a list field that takes one element, a list or
 * a tuple of them (None: the empty list), each element assigned by one() */
int gn_list_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
		   struct gn_value *out, struct gn_error *err,
		   int (*one)(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			      struct gn_value *out, struct gn_error *err));
/* user/checksum.c: whether gn_l4_csum finds an IP or IPv6 layer below l
 * (without one it returns 0, as Scapy leaves such a checksum at 0) */
bool gn_l4_has_ip(const struct gn_layer *l);
/* user/checksum.c: "NAME src:sport > dst:dport" for TCP and UDP, sport and
 * dport being l's fields, the addresses those of the IP or IPv6 layer right
 * below (left out without one) */
void gn_l4_summary(const struct gn_layer *l, const char *name, unsigned sport, unsigned dport,
		   struct gn_strbuf *sb);

/* proto/ipv6.c */
extern const struct gn_proto gn_proto_iperror6;
extern const struct gn_proto gn_proto_ipv6_hbh;
extern const struct gn_proto gn_proto_ipv6_routing;
extern const struct gn_proto gn_proto_ipv6_frag;
extern const struct gn_proto gn_proto_ipv6_destopt;
extern const struct gn_proto gn_proto_hbh_unknown;
extern const struct gn_proto gn_proto_hbh_pad1;
extern const struct gn_proto gn_proto_hbh_padn;
extern const struct gn_proto gn_proto_hbh_router_alert;
extern const struct gn_proto gn_proto_hbh_jumbo;
extern const struct gn_proto gn_proto_hbh_hao;
extern const struct gn_enum gn_ipv6nh_names[];
/* IPv6 and the classes that carry a next header (NULL-terminated) */
extern const struct gn_proto *const gn_ipv6_nh_layers[];
/* Scapy's IP6ListField: a list of IPv6 addresses */
extern const struct gn_field_ops gn_kind_ip6list;
/* proto/icmpv6.c: the ICMPv6 class for a message (by its type byte, as
 * Scapy's icmp6typescls), Raw when unknown or too short */
const struct gn_proto *gn_icmpv6_class(const uint8_t *p, size_t len);
extern const struct gn_proto gn_proto_icmpv6_unknown;
extern const struct gn_proto gn_proto_icmpv6_destunreach;
extern const struct gn_proto gn_proto_icmpv6_packettoobig;
extern const struct gn_proto gn_proto_icmpv6_timeexceeded;
extern const struct gn_proto gn_proto_icmpv6_paramproblem;
extern const struct gn_proto gn_proto_icmpv6_echo_request;
extern const struct gn_proto gn_proto_icmpv6_echo_reply;
extern const struct gn_proto gn_proto_icmpv6_nd_rs;
extern const struct gn_proto gn_proto_icmpv6_nd_ra;
extern const struct gn_proto gn_proto_icmpv6_nd_ns;
extern const struct gn_proto gn_proto_icmpv6_nd_na;
extern const struct gn_proto gn_proto_icmpv6_nd_redirect;
extern const struct gn_proto gn_proto_icmpv6_ndopt_unknown;
extern const struct gn_proto gn_proto_icmpv6_ndopt_srclladdr;
extern const struct gn_proto gn_proto_icmpv6_ndopt_dstlladdr;
extern const struct gn_proto gn_proto_icmpv6_ndopt_prefixinfo;
extern const struct gn_proto gn_proto_icmpv6_ndopt_mtu;
extern const struct gn_proto gn_proto_icmpv6_ndopt_rdnss;
extern const struct gn_proto gn_proto_icmpv6_mlquery;
extern const struct gn_proto gn_proto_icmpv6_mlreport;
extern const struct gn_proto gn_proto_icmpv6_mldone;
extern const struct gn_proto gn_proto_icmpv6_mlquery2;
extern const struct gn_proto gn_proto_icmpv6_mlreport2;
extern const struct gn_proto gn_proto_icmpv6_mldmultaddrrec;
extern const struct gn_proto gn_proto_icmpv6_ndopt_redirectedhdr;
extern const struct gn_proto gn_proto_icmpv6_ndopt_shortcutlimit;
extern const struct gn_proto gn_proto_icmpv6_ndopt_advinterval;
extern const struct gn_proto gn_proto_icmpv6_ndopt_hainfo;
extern const struct gn_proto gn_proto_icmpv6_ndopt_srcaddrlist;
extern const struct gn_proto gn_proto_icmpv6_ndopt_tgtaddrlist;
extern const struct gn_proto gn_proto_icmpv6_ndopt_ipaddr;
extern const struct gn_proto gn_proto_icmpv6_ndopt_newrtrprefix;
extern const struct gn_proto gn_proto_icmpv6_ndopt_lla;
extern const struct gn_proto gn_proto_icmpv6_ndopt_map;
extern const struct gn_proto gn_proto_icmpv6_ndopt_routeinfo;
extern const struct gn_proto gn_proto_icmpv6_ndopt_efa;
extern const struct gn_proto gn_proto_icmpv6_ndopt_dnssl;

/* proto/dns.c */
extern const struct gn_proto gn_proto_dns;
extern const struct gn_proto gn_proto_dnsqr;
extern const struct gn_proto gn_proto_dnsrr;
extern const struct gn_proto gn_proto_dnsrrmx;
extern const struct gn_proto gn_proto_dnsrrsoa;
extern const struct gn_proto gn_proto_dnsrrsrv;
extern const struct gn_proto gn_proto_dnsrropt;
extern const struct gn_proto gn_proto_edns0tlv;
extern const struct gn_enum gn_dns_types[], gn_dns_classes[];
/* what the record classes of proto/dns.c and proto/dnssec.c share: rdlen
 * computed after the build, names read back as Scapy reads them */
int gn_dns_rr_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			 size_t hdr_len, size_t total_len);
int gn_dns_rr_post_dissect(struct gn_dissect_ctx *c, struct gn_layer *l);
/* proto/dnssec.c (registered by gn_proto_dns_register) */
void gn_proto_dnssec_register(void);
const struct gn_proto *gn_dnssec_class(unsigned type);
extern const struct gn_proto gn_proto_dnsrrrsig, gn_proto_dnsrrnsec, gn_proto_dnsrrdnskey,
	gn_proto_dnsrrds, gn_proto_dnsrrdlv, gn_proto_dnsrrnsec3, gn_proto_dnsrrnsec3param,
	gn_proto_dnsrrtsig, gn_proto_edns0_client_subnet;
/* proto/dhcp.c */
extern const struct gn_proto gn_proto_bootp;
extern const struct gn_proto gn_proto_dhcp;

/* proto/ipv6_match.c: Scapy's IPv6.hashret (IPerror6's too), IPv6.answers,
 * IPerror6.answers and _ICMPv6.answers (every ICMPv6 message class without
 * an answers of its own); GN_MATCH_NO_IPADDR is Scapy's checkIPaddr = False */
uint32_t gn_ipv6_hashret(const struct gn_layer *l);
bool gn_ipv6_answers(const struct gn_layer *reply, const struct gn_layer *probe);
bool gn_iperror6_answers(const struct gn_layer *reply, const struct gn_layer *probe);
bool gn_icmpv6_answers(const struct gn_layer *reply, const struct gn_layer *probe);
/* Scapy's conf.checkIPaddr = False, asked for by either packet (b may be NULL) */
static inline bool gn_match_no_ipaddr(const struct gn_layer *a, const struct gn_layer *b)
{
	return (a && a->pkt && (a->pkt->match_flags & GN_MATCH_NO_IPADDR)) ||
	       (b && b->pkt && (b->pkt->match_flags & GN_MATCH_NO_IPADDR));
}

#endif
