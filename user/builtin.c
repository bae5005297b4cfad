// SPDX-License-Identifier: LGPL-2.1-or-later
/* The built-in protocols, registered in an order that lets each file bind
 * to the classes registered before it. */
#include "protos.h"

void gn_builtin_register(void)
{
	void (*const order[])(void) = {
		gn_proto_raw_register,  gn_proto_ether_register, gn_proto_arp_register,
		gn_proto_ip_register,   gn_proto_ipv6_register,  gn_proto_icmp_register,
		gn_proto_icmpv6_register, gn_proto_tcp_register, gn_proto_udp_register,
		gn_proto_dns_register,  gn_proto_dhcp_register,  gn_proto_sll_register,
		gn_proto_escp_register,
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		order[i]();
}
