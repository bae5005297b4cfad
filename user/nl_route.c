// SPDX-License-Identifier: LGPL-2.1-or-later
/* Routes of every table (RTM_NEWROUTE / RTM_DELROUTE). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "nl_attr.h"

static const uint8_t route_types[RTA_MAX + 1] = {
	[RTA_DST] = MNL_TYPE_BINARY,
	[RTA_SRC] = MNL_TYPE_BINARY,
	[RTA_GATEWAY] = MNL_TYPE_BINARY,
	[RTA_PREFSRC] = MNL_TYPE_BINARY,
	[RTA_OIF] = MNL_TYPE_U32,
	[RTA_PRIORITY] = MNL_TYPE_U32,
	[RTA_TABLE] = MNL_TYPE_U32,
	[RTA_MULTIPATH] = MNL_TYPE_BINARY,
	[RTA_PREF] = MNL_TYPE_U8,
};

/* What a next hop of a multipath route may carry. */
static const uint8_t nexthop_types[RTA_MAX + 1] = {
	[RTA_GATEWAY] = MNL_TYPE_BINARY,
};

/* RTA_MULTIPATH is an array of struct rtnexthop, each followed by its own
 * attributes.  The kernel spreads flows over them by hash; gannet takes
 * the first live one, which is where a single flow of the lookup goes when
 * the others are dead and one of the places it may go otherwise. */
static void multipath(const struct nlattr *mp, struct gn_route *r)
{
	const uint8_t *p = mnl_attr_get_payload(mp);
	size_t left = mnl_attr_get_payload_len(mp);
	bool chosen = false, all_dead = true;

	while (left >= sizeof(struct rtnexthop)) {
		struct rtnexthop nh;
		const struct nlattr *tb[RTA_MAX + 1];
		const struct gn_nl_policy pol = { RTA_MAX, nexthop_types, NULL, tb };

		memcpy(&nh, p, sizeof(nh));
		if (nh.rtnh_len < sizeof(nh) || nh.rtnh_len > left)
			break;
		r->nhops++;
		if (!(nh.rtnh_flags & RTNH_F_DEAD)) {
			all_dead = false;
			if (!chosen && gn_nl_attrs_payload(p + RTNH_ALIGN(sizeof(nh)),
							   nh.rtnh_len - RTNH_ALIGN(sizeof(nh)),
							   &pol) == 0) {
				chosen = true;
				r->oif = nh.rtnh_ifindex;
				r->has_gateway = gn_nl_attr_addr(tb[RTA_GATEWAY], r->family,
								 r->gateway);
				r->flags |= nh.rtnh_flags;
			}
		}
		if ((size_t)RTNH_ALIGN(nh.rtnh_len) >= left)
			break;
		p += RTNH_ALIGN(nh.rtnh_len);
		left -= RTNH_ALIGN(nh.rtnh_len);
	}
	if (r->nhops && all_dead)
		r->flags |= RTNH_F_DEAD;
}

int gn_nl_parse_route(const struct nlmsghdr *nlh, struct gn_route *out)
{
	const struct nlattr *tb[RTA_MAX + 1];
	const struct gn_nl_policy p = { RTA_MAX, route_types, NULL, tb };
	const struct rtmsg *rtm;
	int ret;

	ret = gn_nl_attrs(nlh, sizeof(*rtm), &p);
	if (ret < 0)
		return ret;
	rtm = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	/* Cached clones (IPv6 exceptions, PMTU entries) are not routes. */
	if ((rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6) ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return 0;
	out->family = rtm->rtm_family;
	out->dst_len = rtm->rtm_dst_len;
	out->src_len = rtm->rtm_src_len;
	out->tos = rtm->rtm_tos;
	out->type = rtm->rtm_type;
	out->protocol = rtm->rtm_protocol;
	out->scope = rtm->rtm_scope;
	out->flags = rtm->rtm_flags;
	out->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (tb[RTA_PRIORITY])
		out->priority = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_OIF])
		out->oif = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	if (out->dst_len > 8 * gn_nl_alen(out->family) ||
	    out->src_len > 8 * gn_nl_alen(out->family))
		return 0;
	if (out->dst_len && !gn_nl_attr_addr(tb[RTA_DST], out->family, out->dst))
		return 0;
	if (out->src_len)
		gn_nl_attr_addr(tb[RTA_SRC], out->family, out->src);
	out->has_gateway = gn_nl_attr_addr(tb[RTA_GATEWAY], out->family, out->gateway);
	out->has_prefsrc = gn_nl_attr_addr(tb[RTA_PREFSRC], out->family, out->prefsrc);
	out->pref = tb[RTA_PREF] ? mnl_attr_get_u8(tb[RTA_PREF]) : 0xff;
	out->nhops = 1;
	if (tb[RTA_MULTIPATH]) {
		out->nhops = 0;
		multipath(tb[RTA_MULTIPATH], out);
	}
	return 1;
}

/* The kernel's key of a route: which table, which prefix, TOS, metric. */
static bool same_prefix(const struct gn_route *a, const struct gn_route *b)
{
	return a->family == b->family && a->table == b->table && a->dst_len == b->dst_len &&
	       a->src_len == b->src_len && a->tos == b->tos && a->priority == b->priority &&
	       !memcmp(a->dst, b->dst, sizeof(a->dst)) && !memcmp(a->src, b->src, sizeof(a->src));
}

static bool same_route(const struct gn_route *a, const struct gn_route *b)
{
	return same_prefix(a, b) && a->type == b->type && a->oif == b->oif &&
	       a->has_gateway == b->has_gateway &&
	       !memcmp(a->gateway, b->gateway, sizeof(a->gateway));
}

/* replace: NLM_F_REPLACE was set, so the new route takes the place of the
 * one with the same prefix whatever its next hop was. */
int gn_nl_route_apply(struct gn_nl_tables *t, const struct gn_route *it, bool new,
		      bool replace)
{
	struct gn_route *slot;
	size_t i, any = (size_t)-1;

	for (i = 0; i < t->routes.n; i++) {
		slot = gn_nl_vec_at(&t->routes, i);
		if (same_route(slot, it))
			break;
		if (any == (size_t)-1 && same_prefix(slot, it))
			any = i;
	}
	if (i == t->routes.n && (replace || !new))
		i = any;
	if (!new) {
		if (i == (size_t)-1)
			return 0;
		gn_nl_vec_remove(&t->routes, i);
		return 1;
	}
	if (i != (size_t)-1 && i < t->routes.n) {
		slot = gn_nl_vec_at(&t->routes, i);
		*slot = *it;
		return 1;
	}
	slot = gn_nl_vec_push(&t->routes);
	if (!slot)
		return -ENOMEM;
	*slot = *it;
	return 1;
}

size_t gn_netdb_routes(const struct gn_netdb *db, const struct gn_route **out)
{
	*out = db->t.routes.items;
	return db->t.routes.n;
}
