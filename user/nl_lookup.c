// SPDX-License-Identifier: LGPL-2.1-or-later
/* The route a packet takes, decided as the kernel decides `ip route get`:
 * gannet's own routes, then the policy rules in order, each naming a table
 * searched by longest prefix, then lowest metric. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "nl_db.h"

/* What decided: a route, or a rule that rejects by itself. */
struct hit {
	const struct gn_route *route;
	const struct gn_rule *rule;
};

static bool is_reject(uint8_t type)
{
	return type == RTN_UNREACHABLE || type == RTN_BLACKHOLE || type == RTN_PROHIBIT;
}

/* The kernel's errors for the reject types (fib_props / ip6_rt_type_to_error). */
static int reject_error(int family, uint8_t type)
{
	switch (type) {
	case RTN_BLACKHOLE:
		return -EINVAL;
	case RTN_PROHIBIT:
		return -EACCES;
	default:
		return family == AF_INET ? -EHOSTUNREACH : -ENETUNREACH;
	}
}

/* Longest prefix, then lowest metric; a dead next hop does not count, so
 * when every route of a prefix is dead a shorter prefix wins, as the
 * kernel backtracks. */
static const struct gn_route *best_of(const struct gn_nl_vec *routes, int family,
				      bool any_table, uint32_t table, const uint8_t *dst)
{
	const struct gn_route *best = NULL;

	for (size_t i = 0; i < routes->n; i++) {
		const struct gn_route *r = gn_nl_vec_at(routes, i);

		if (r->family != family || (!any_table && r->table != table))
			continue;
		/* A lookup without TOS or source matches neither a route
		 * that asks for a TOS nor a source-specific IPv6 route. */
		if (r->tos || r->src_len)
			continue;
		if (!is_reject(r->type) && r->type != RTN_THROW && (r->flags & RTNH_F_DEAD))
			continue;
		if (!gn_nl_prefix_match(r->dst, dst, r->dst_len))
			continue;
		if (!best || r->dst_len > best->dst_len ||
		    (r->dst_len == best->dst_len && r->priority < best->priority))
			best = r;
	}
	return best;
}

static bool rule_matches(const struct gn_rule *r, const uint8_t *dst)
{
	bool m = !r->has_selector && !r->tos && !r->src_len &&
		 (!r->dst_len || gn_nl_prefix_match(r->dst, dst, r->dst_len));
	uid_t uid = getuid();

	if (m && r->has_uid_range)
		m = uid >= r->uid_start && uid <= r->uid_end;
	return (r->flags & FIB_RULE_INVERT) ? !m : m;
}

/* The kernel's default rules, for a kernel without policy routing. */
static const struct gn_rule default_rules[] = {
	{ .action = FR_ACT_TO_TBL, .priority = 0, .table = RT_TABLE_LOCAL,
	  .suppress_prefixlen = -1 },
	{ .action = FR_ACT_TO_TBL, .priority = 32766, .table = RT_TABLE_MAIN,
	  .suppress_prefixlen = -1 },
	{ .action = FR_ACT_TO_TBL, .priority = 32767, .table = RT_TABLE_DEFAULT,
	  .suppress_prefixlen = -1 },
};

static int walk_rules(const struct gn_netdb *db, int family, const uint8_t *dst,
		      struct hit *hit)
{
	const struct gn_rule *list[db->t.rules.n + 3];
	size_t n = 0;

	for (size_t i = 0; i < db->t.rules.n; i++) {
		const struct gn_rule *r = gn_nl_vec_at(&db->t.rules, i);

		if (r->family == family)
			list[n++] = r;
	}
	if (!n)
		for (size_t i = 0; i < 3; i++)
			list[n++] = &default_rules[i];

	for (size_t i = 0; i < n; i++) {
		const struct gn_rule *r = list[i];
		const struct gn_route *best;

		if (!rule_matches(r, dst))
			continue;
		switch (r->action) {
		case FR_ACT_GOTO:
			/* Forward only, to the first rule of that priority;
			 * matching starts again there. */
			for (size_t j = i + 1; j < n; j++) {
				if (list[j]->priority == r->goto_target) {
					i = j - 1;
					break;
				}
			}
			continue;
		case FR_ACT_BLACKHOLE:
		case FR_ACT_UNREACHABLE:
		case FR_ACT_PROHIBIT:
			hit->rule = r;
			return 0;
		case FR_ACT_TO_TBL:
			best = best_of(&db->t.routes, family, false, r->table, dst);
			if (!best || best->type == RTN_THROW)
				continue;
			if (!is_reject(best->type) && r->suppress_prefixlen >= 0 &&
			    best->dst_len <= r->suppress_prefixlen)
				continue;
			hit->route = best;
			return 0;
		default:
			continue;
		}
	}
	return -ENETUNREACH;
}

static int loopback_index(const struct gn_netdb *db)
{
	for (size_t i = 0; i < db->t.links.n; i++) {
		const struct gn_iface *it = gn_nl_vec_at(&db->t.links, i);

		if (it->flags & IFF_LOOPBACK)
			return it->index;
	}
	return 1;
}

static void set_oif(const struct gn_netdb *db, struct gn_route_result *res, int oif)
{
	const struct gn_iface *it = gn_netdb_iface_by_index(db, oif);

	res->oif = oif;
	if (it)
		memcpy(res->ifname, it->name, sizeof(res->ifname));
}

static int fill(const struct gn_netdb *db, const struct gn_route *r,
		struct gn_route_result *res, struct gn_error *err)
{
	size_t alen = gn_nl_alen(res->family);
	const uint8_t *dst = res->dst;
	char a[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN], tb[16];
	int ret;

	res->route = r;
	res->type = r->type;
	res->table = r->table;
	res->metric = r->priority;
	res->dst_len = r->dst_len;
	res->override = r->override;
	if (is_reject(r->type)) {
		gn_nl_addr_str(res->family, dst, a, sizeof(a));
		gn_nl_addr_str(res->family, r->dst, p, sizeof(p));
		return gn_error_set(err, reject_error(res->family, r->type), 0,
				    "no route to %s: %s route %s/%u in table %s", a,
				    gn_nl_rtn_name(r->type), p, r->dst_len,
				    gn_nl_table_name(r->table, tb, sizeof(tb)));
	}
	memcpy(res->nexthop, dst, alen);
	if (r->type == RTN_LOCAL || r->type == RTN_ANYCAST) {
		/* Delivered here: the kernel sends it through lo. */
		set_oif(db, res, loopback_index(db));
		res->has_src = 1;
		if (r->has_prefsrc)
			memcpy(res->src, r->prefsrc, alen);
		else if (res->family == AF_INET || gn_nl_select_src6(db, r->oif, dst, res->src))
			memcpy(res->src, dst, alen);
		return 0;
	}
	set_oif(db, res, r->oif);
	if (res->family == AF_INET) {
		/* Limited broadcast and multicast leave as they are, never
		 * through a gateway (__mkroute_output). */
		if (dst[0] >= 224 && dst[0] < 240)
			res->type = RTN_MULTICAST;
		else if (!memcmp(dst, "\xff\xff\xff\xff", 4))
			res->type = RTN_BROADCAST;
	}
	if (r->has_gateway && res->type != RTN_MULTICAST && res->type != RTN_BROADCAST) {
		res->has_gateway = 1;
		memcpy(res->nexthop, r->gateway, alen);
	}
	if (r->has_prefsrc) {
		memcpy(res->src, r->prefsrc, alen);
		ret = 0;
	} else if (res->family == AF_INET) {
		ret = gn_nl_select_src4(db, r->oif, r->has_gateway ? r->gateway : NULL, r->scope,
					res->src);
	} else {
		ret = gn_nl_select_src6(db, r->oif, dst, res->src);
	}
	res->has_src = ret == 0;
	return 0;
}

int gn_netdb_route_get(const struct gn_netdb *db, int family, const void *dst,
		       struct gn_route_result *res, struct gn_error *err)
{
	char a[INET6_ADDRSTRLEN];
	struct hit hit = { 0 };
	const struct gn_route *o;
	int ret;

	memset(res, 0, sizeof(*res));
	if (family != AF_INET && family != AF_INET6)
		return gn_error_set(err, -EAFNOSUPPORT, 0,
				    "route lookup: address family %d is neither IPv4 nor IPv6",
				    family);
	res->family = (uint8_t)family;
	memcpy(res->dst, dst, gn_nl_alen(family));
	gn_nl_addr_str(family, dst, a, sizeof(a));

	/* Nowhere in particular is this host itself (ip_route_output_key). */
	if (family == AF_INET && !memcmp(dst, "\0\0\0\0", 4)) {
		res->type = RTN_LOCAL;
		set_oif(db, res, loopback_index(db));
		memcpy(res->src, "\x7f\0\0\x01", 4);
		res->has_src = 1;
		return 0;
	}
	o = best_of(&db->overrides, family, true, 0, dst);
	if (o) {
		if (!gn_netdb_iface_by_index(db, o->oif))
			return gn_error_set(err, -ENODEV, 0,
					    "route to %s: the interface (index %d) of gannet's "
					    "own route is gone", a, o->oif);
		return fill(db, o, res, err);
	}
	ret = walk_rules(db, family, dst, &hit);
	if (ret < 0)
		return gn_error_set(err, -ENETUNREACH, 0, "no route to %s", a);
	if (hit.rule) {
		static const uint8_t types[] = {
			[FR_ACT_BLACKHOLE] = RTN_BLACKHOLE,
			[FR_ACT_UNREACHABLE] = RTN_UNREACHABLE,
			[FR_ACT_PROHIBIT] = RTN_PROHIBIT,
		};

		res->type = types[hit.rule->action];
		return gn_error_set(err, hit.rule->action == FR_ACT_UNREACHABLE ? -ENETUNREACH :
				    reject_error(family, res->type), 0,
				    "no route to %s: rule %u says %s", a, hit.rule->priority,
				    gn_nl_rtn_name(res->type));
	}
	return fill(db, hit.route, res, err);
}

int gn_netdb_route_get_str(const struct gn_netdb *db, const char *dst,
			   struct gn_route_result *res, struct gn_error *err)
{
	uint8_t addr[16];

	if (inet_pton(AF_INET, dst, addr) == 1)
		return gn_netdb_route_get(db, AF_INET, addr, res, err);
	if (inet_pton(AF_INET6, dst, addr) == 1)
		return gn_netdb_route_get(db, AF_INET6, addr, res, err);
	memset(res, 0, sizeof(*res));
	return gn_error_set(err, -EINVAL, 0, "route lookup: '%s' is not an IPv4 or IPv6 address",
			    dst);
}
