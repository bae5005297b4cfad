/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The kernel's network tables as gannet sees them: interfaces, addresses,
 * routes, policy rules and neighbours, read over rtnetlink (libmnl) into a
 * snapshot, kept current from netlink notifications, and a route lookup
 * that answers as `ip route get` does.  gannet's own routes (Scapy's
 * conf.route.add/delt) live in the snapshot only and are consulted first.
 */
#ifndef GANNET_NETLINK_H
#define GANNET_NETLINK_H

#include <gannet/core.h>

#ifdef __cplusplus
extern "C" {
#endif

#define GN_IFNAMSIZ 16   /* IFNAMSIZ */
#define GN_LLADDR_MAX 32 /* MAX_ADDR_LEN */

/* One network interface (RTM_NEWLINK). */
struct gn_iface {
	int index;
	char name[GN_IFNAMSIZ];
	char kind[16];               /* IFLA_INFO_KIND: "veth", "bridge"; "" if none */
	uint8_t addr[GN_LLADDR_MAX]; /* link-layer address (the MAC on Ethernet) */
	uint8_t brd[GN_LLADDR_MAX];  /* link-layer broadcast address */
	uint8_t addr_len;            /* 0: the link has no address */
	uint8_t operstate;           /* IF_OPER_* */
	uint16_t type;               /* ARPHRD_* */
	unsigned flags;              /* IFF_* */
	unsigned mtu;
	int link;                    /* IFLA_LINK (a veth's peer index), 0 if none */
	int master;                  /* IFLA_MASTER (the bridge), 0 if none */
};

/* One address of an interface (RTM_NEWADDR). */
struct gn_ifaddr {
	int ifindex;
	uint8_t family;    /* AF_INET, AF_INET6 */
	uint8_t prefixlen;
	uint8_t scope;     /* RT_SCOPE_* */
	uint8_t has_peer;  /* a point-to-point address with a distinct peer */
	uint32_t flags;    /* IFA_F_* (IFA_FLAGS when present) */
	uint8_t addr[16];  /* the local address (IFA_LOCAL, else IFA_ADDRESS) */
	uint8_t peer[16];  /* IFA_ADDRESS when has_peer */
	uint8_t brd[16];   /* IPv4 broadcast; zero if none */
	char label[GN_IFNAMSIZ];
};

/* One route (RTM_NEWROUTE), or one of gannet's own when override is set. */
struct gn_route {
	uint8_t family;
	uint8_t dst_len;
	uint8_t src_len;
	uint8_t tos;
	uint8_t type;       /* RTN_UNICAST, RTN_LOCAL, RTN_BLACKHOLE, ... */
	uint8_t protocol;   /* RTPROT_* */
	uint8_t scope;      /* RT_SCOPE_* */
	uint8_t has_gateway;
	uint8_t has_prefsrc;
	uint8_t override;   /* added with gn_netdb_route_add */
	uint8_t pref;       /* IPv6 router preference (RTA_PREF): 0 medium, 1 high,
			     * 3 low; 0xff when the route has none */
	uint16_t nhops;     /* next hops in a multipath route (1 otherwise) */
	uint32_t table;     /* RT_TABLE_MAIN, RT_TABLE_LOCAL, ... */
	uint32_t flags;     /* rtm_flags: RTNH_F_DEAD, RTNH_F_LINKDOWN, ... */
	uint32_t priority;  /* the metric */
	int oif;            /* output interface; the first live one of a multipath route */
	uint8_t dst[16];
	uint8_t src[16];    /* source selector (from SRC/LEN), IPv6 only */
	uint8_t gateway[16];
	uint8_t prefsrc[16];
};

/* One neighbour cache entry: ARP (AF_INET) or NDP (AF_INET6). */
struct gn_neigh {
	int ifindex;
	uint8_t family;
	uint8_t flags;     /* NTF_* */
	uint8_t type;      /* RTN_* */
	uint8_t lladdr_len;/* 0: not resolved (INCOMPLETE, FAILED) */
	uint16_t state;    /* NUD_* */
	uint8_t dst[16];
	uint8_t lladdr[GN_LLADDR_MAX];
};

/* One policy routing rule (RTM_NEWRULE). */
struct gn_rule {
	uint8_t family;
	uint8_t action;    /* FR_ACT_* */
	uint8_t dst_len, src_len;
	uint8_t tos;
	uint8_t has_selector; /* a selector the lookup cannot satisfy (iif other
			       * than lo, oif, fwmark, ports, l3mdev, ...) */
	uint8_t has_uid_range;
	uint32_t flags;    /* FIB_RULE_* */
	uint32_t priority;
	uint32_t table;
	uint32_t goto_target;
	int32_t suppress_prefixlen; /* -1: none */
	uint32_t uid_start, uid_end;
	uint8_t dst[16], src[16];
};

/* Where a packet to a destination goes. */
struct gn_route_result {
	uint8_t family;
	uint8_t type;        /* RTN_UNICAST, RTN_LOCAL, RTN_BROADCAST, RTN_MULTICAST,
			      * or (with an error) RTN_UNREACHABLE, RTN_BLACKHOLE,
			      * RTN_PROHIBIT */
	uint8_t has_gateway; /* nexthop is a gateway, not the destination */
	uint8_t has_src;
	uint8_t override;    /* one of gannet's own routes decided */
	uint8_t dst_len;     /* prefix length of the route that matched */
	uint32_t table;
	uint32_t metric;
	int oif;
	char ifname[GN_IFNAMSIZ];
	uint8_t dst[16];
	uint8_t nexthop[16]; /* the gateway, or the destination itself when on-link */
	uint8_t src[16];     /* preferred source: prefsrc, else as the kernel picks */
	const struct gn_route *route; /* valid until the snapshot changes */
};

struct gn_netdb;

struct gn_netdb_opts {
	size_t sz;    /* sizeof(struct gn_netdb_opts), libbpf's opts pattern */
	bool watch;   /* subscribe to notifications (gn_netdb_fd, gn_netdb_update) */
};

/* Read every table of the current network namespace.  opts may be NULL. */
int gn_netdb_open(const struct gn_netdb_opts *opts, struct gn_netdb **out,
		  struct gn_error *err);
/* Read every table again (gannet's own routes are kept).  On failure the
 * snapshot is left as it was. */
int gn_netdb_refresh(struct gn_netdb *db, struct gn_error *err);
/* The notification socket, readable when changes are pending (poll it);
 * -1 unless opened with watch. */
int gn_netdb_fd(const struct gn_netdb *db);
/* Apply every pending notification without blocking.  Returns how many
 * messages changed the snapshot (0: none pending), or -errno.  When the
 * kernel dropped notifications (socket overrun) the tables are read anew. */
int gn_netdb_update(struct gn_netdb *db, struct gn_error *err);
void gn_netdb_close(struct gn_netdb *db);

/* The tables, in the kernel's dump order.  Pointers are valid until the
 * next refresh, update, route_add or route_del. */
size_t gn_netdb_ifaces(const struct gn_netdb *db, const struct gn_iface **out);
size_t gn_netdb_addrs(const struct gn_netdb *db, const struct gn_ifaddr **out);
size_t gn_netdb_routes(const struct gn_netdb *db, const struct gn_route **out);
size_t gn_netdb_neighs(const struct gn_netdb *db, const struct gn_neigh **out);
size_t gn_netdb_rules(const struct gn_netdb *db, const struct gn_rule **out);
/* gannet's own routes, in the order they were added. */
size_t gn_netdb_overrides(const struct gn_netdb *db, const struct gn_route **out);

const struct gn_iface *gn_netdb_iface_by_index(const struct gn_netdb *db, int index);
const struct gn_iface *gn_netdb_iface_by_name(const struct gn_netdb *db, const char *name);
/* The neighbour entry for addr (4 or 16 bytes by family) on ifindex, or NULL. */
const struct gn_neigh *gn_netdb_neigh_find(const struct gn_netdb *db, int ifindex,
					   int family, const void *addr);

/* The route a packet to dst (struct in_addr or in6_addr by family) takes,
 * resolved as the kernel resolves `ip route get`: gannet's own routes first,
 * then the policy rules (by default the local, main and default tables),
 * longest prefix, then lowest metric.  Returns 0 with res filled;
 * -ENETUNREACH when nothing matches ("no route to 192.0.2.1"); for an
 * unreachable, blackhole or prohibit route the kernel's error (-EHOSTUNREACH
 * or -ENETUNREACH, -EINVAL, -EACCES) with res filled all the same. */
int gn_netdb_route_get(const struct gn_netdb *db, int family, const void *dst,
		       struct gn_route_result *res, struct gn_error *err);
/* The same for an address in text form (no names: see getaddrinfo). */
int gn_netdb_route_get_str(const struct gn_netdb *db, const char *dst,
			   struct gn_route_result *res, struct gn_error *err);
/* gannet's own route to prefix ("10.9.0.0/16", "fd00::/8", "default", or a
 * bare address for a host route), via gw (NULL: on-link) out of ifname
 * (NULL: the interface the system routes gw through).  Consulted before the
 * system's tables and never written to them. */
int gn_netdb_route_add(struct gn_netdb *db, const char *prefix, const char *gw,
		       const char *ifname, struct gn_error *err);
/* Remove gannet's own routes to prefix (and, when given, via gw / out of
 * ifname); -ESRCH when none matches. */
int gn_netdb_route_del(struct gn_netdb *db, const char *prefix, const char *gw,
		       const char *ifname, struct gn_error *err);

/* Names as iproute2 prints them; "" or a number in buf when unknown. */
const char *gn_nl_rtn_name(uint8_t type);        /* "unicast", "local", ... */
const char *gn_nl_scope_name(uint8_t scope, char *buf, size_t n);
const char *gn_nl_proto_name(uint8_t protocol, char *buf, size_t n);
const char *gn_nl_table_name(uint32_t table, char *buf, size_t n);
const char *gn_nl_link_type_name(uint16_t type, char *buf, size_t n);
const char *gn_nl_operstate_name(uint8_t operstate);
/* The interface flags as `ip link` lists them: "LOOPBACK", "UP", ...;
 * calls fn for each, in ip's order. */
void gn_nl_iface_flags(unsigned flags, void (*fn)(void *ctx, const char *name), void *ctx);
/* Text of an address of family (4 or 16 bytes) into buf (INET6_ADDRSTRLEN). */
const char *gn_nl_addr_str(int family, const void *addr, char *buf, size_t n);
/* Link-layer address as aa:bb:cc:... into buf (3 * GN_LLADDR_MAX). */
const char *gn_nl_lladdr_str(const uint8_t *addr, size_t len, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
