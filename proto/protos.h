/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The built-in protocol classes other files refer to, and each proto file's
 * registration function (called once, in this order, by gn_builtin_register). */
#ifndef GANNET_PROTOS_H
#define GANNET_PROTOS_H

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

/* --- appended by each proto file's author below --- */
extern const struct gn_enum gn_ether_types[];

#endif
