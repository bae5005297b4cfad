// SPDX-License-Identifier: LGPL-2.1-or-later
/* Names of the numbers in the network tables, as iproute2 prints them. */
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/rtnetlink.h>

#include "nl_db.h"

const char *gn_nl_rtn_name(uint8_t type)
{
	static const char *const names[] = {
		[RTN_UNSPEC] = "none",         [RTN_UNICAST] = "unicast",
		[RTN_LOCAL] = "local",         [RTN_BROADCAST] = "broadcast",
		[RTN_ANYCAST] = "anycast",     [RTN_MULTICAST] = "multicast",
		[RTN_BLACKHOLE] = "blackhole", [RTN_UNREACHABLE] = "unreachable",
		[RTN_PROHIBIT] = "prohibit",   [RTN_THROW] = "throw",
		[RTN_NAT] = "nat",             [RTN_XRESOLVE] = "xresolve",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "";
}

const char *gn_nl_scope_name(uint8_t scope, char *buf, size_t n)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE:
		return "global";
	case RT_SCOPE_SITE:
		return "site";
	case RT_SCOPE_LINK:
		return "link";
	case RT_SCOPE_HOST:
		return "host";
	case RT_SCOPE_NOWHERE:
		return "nowhere";
	}
	snprintf(buf, n, "%u", scope);
	return buf;
}

const char *gn_nl_proto_name(uint8_t protocol, char *buf, size_t n)
{
	/* iproute2's /etc/iproute2/rt_protos */
	static const struct { uint8_t id; const char *name; } tab[] = {
		{ 0, "unspec" }, { 1, "redirect" }, { 2, "kernel" }, { 3, "boot" },
		{ 4, "static" }, { 8, "gated" }, { 9, "ra" }, { 10, "mrt" },
		{ 11, "zebra" }, { 12, "bird" }, { 13, "dnrouted" }, { 14, "xorp" },
		{ 15, "ntk" }, { 16, "dhcp" }, { 18, "keepalived" }, { 42, "babel" },
		{ 99, "openr" }, { 186, "bgp" }, { 187, "isis" }, { 188, "ospf" },
		{ 189, "rip" }, { 192, "eigrp" },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].id == protocol)
			return tab[i].name;
	snprintf(buf, n, "%u", protocol);
	return buf;
}

const char *gn_nl_table_name(uint32_t table, char *buf, size_t n)
{
	switch (table) {
	case RT_TABLE_UNSPEC:
		return "unspec";
	case RT_TABLE_DEFAULT:
		return "default";
	case RT_TABLE_MAIN:
		return "main";
	case RT_TABLE_LOCAL:
		return "local";
	}
	snprintf(buf, n, "%u", table);
	return buf;
}

const char *gn_nl_link_type_name(uint16_t type, char *buf, size_t n)
{
	static const struct { uint16_t id; const char *name; } tab[] = {
		{ ARPHRD_NETROM, "netrom" }, { ARPHRD_ETHER, "ether" },
		{ ARPHRD_EETHER, "eether" }, { ARPHRD_AX25, "ax25" },
		{ ARPHRD_IEEE802, "ieee802" }, { ARPHRD_ARCNET, "arcnet" },
		{ ARPHRD_DLCI, "dlci" }, { ARPHRD_ATM, "atm" },
		{ ARPHRD_INFINIBAND, "infiniband" }, { ARPHRD_SLIP, "slip" },
		{ ARPHRD_CSLIP, "cslip" }, { ARPHRD_PPP, "ppp" },
		{ ARPHRD_TUNNEL, "ipip" }, { ARPHRD_TUNNEL6, "tunnel6" },
		{ ARPHRD_LOOPBACK, "loopback" }, { ARPHRD_SIT, "sit" },
		{ ARPHRD_IPGRE, "gre" }, { ARPHRD_IEEE80211, "ieee802.11" },
		{ ARPHRD_IEEE80211_RADIOTAP, "ieee802.11/radiotap" },
		{ ARPHRD_IEEE802154, "ieee802.15.4" }, { ARPHRD_CAN, "can" },
		{ 823 /* ARPHRD_IP6GRE */, "gre6" }, { 824 /* ARPHRD_NETLINK */, "netlink" },
		{ ARPHRD_NONE, "none" }, { ARPHRD_VOID, "void" },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].id == type)
			return tab[i].name;
	snprintf(buf, n, "[%u]", type);
	return buf;
}

const char *gn_nl_operstate_name(uint8_t operstate)
{
	static const char *const names[] = {
		"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP",
	};

	return operstate < sizeof(names) / sizeof(names[0]) ? names[operstate] : "UNKNOWN";
}

void gn_nl_iface_flags(unsigned flags, void (*fn)(void *ctx, const char *name), void *ctx)
{
	/* linux/if.h's values; glibc's net/if.h stops before these. */
	enum { LOWER_UP = 1 << 16, DORMANT = 1 << 17, ECHO_ = 1 << 18 };
	static const struct { unsigned bit; const char *name; } tab[] = {
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
		{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
		{ IFF_NOARP, "NOARP" }, { IFF_ALLMULTI, "ALLMULTI" },
		{ IFF_PROMISC, "PROMISC" }, { IFF_MASTER, "MASTER" },
		{ IFF_SLAVE, "SLAVE" }, { IFF_DEBUG, "DEBUG" },
		{ IFF_DYNAMIC, "DYNAMIC" }, { IFF_AUTOMEDIA, "AUTOMEDIA" },
		{ IFF_PORTSEL, "PORTSEL" }, { IFF_NOTRAILERS, "NOTRAILERS" },
		{ IFF_UP, "UP" }, { LOWER_UP, "LOWER_UP" },
		{ DORMANT, "DORMANT" }, { ECHO_, "ECHO" },
	};

	/* ip's order: NO-CARRIER first, then the flags as they are listed. */
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		fn(ctx, "NO-CARRIER");
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (flags & tab[i].bit)
			fn(ctx, tab[i].name);
}
