// SPDX-License-Identifier: LGPL-2.1-or-later
/* The neighbour caches: ARP for IPv4, NDP for IPv6 (RTM_NEWNEIGH / RTM_DELNEIGH). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "nl_attr.h"

static const uint8_t neigh_types[NDA_MAX + 1] = {
	[NDA_DST] = MNL_TYPE_BINARY,
	[NDA_LLADDR] = MNL_TYPE_BINARY,
};

int gn_nl_parse_neigh(const struct nlmsghdr *nlh, struct gn_neigh *out)
{
	const struct nlattr *tb[NDA_MAX + 1];
	const struct gn_nl_policy p = { NDA_MAX, neigh_types, NULL, tb };
	const struct ndmsg *nd;
	size_t n;
	int ret;

	ret = gn_nl_attrs(nlh, sizeof(*nd), &p);
	if (ret < 0)
		return ret;
	nd = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	if (nd->ndm_family != AF_INET && nd->ndm_family != AF_INET6)
		return 0;
	out->family = nd->ndm_family;
	out->ifindex = nd->ndm_ifindex;
	out->state = nd->ndm_state;
	out->flags = nd->ndm_flags;
	out->type = nd->ndm_type;
	if (!gn_nl_attr_addr(tb[NDA_DST], out->family, out->dst))
		return 0;
	n = tb[NDA_LLADDR] ? mnl_attr_get_payload_len(tb[NDA_LLADDR]) : 0;
	if (n && n <= GN_LLADDR_MAX) {
		memcpy(out->lladdr, mnl_attr_get_payload(tb[NDA_LLADDR]), n);
		out->lladdr_len = (uint8_t)n;
	}
	return 1;
}

static size_t neigh_find(const struct gn_nl_tables *t, int ifindex, int family,
			 const void *addr)
{
	for (size_t i = 0; i < t->neighs.n; i++) {
		const struct gn_neigh *n = gn_nl_vec_at(&t->neighs, i);

		if (n->ifindex == ifindex && n->family == family &&
		    !memcmp(n->dst, addr, gn_nl_alen(family)))
			return i;
	}
	return (size_t)-1;
}

int gn_nl_neigh_apply(struct gn_nl_tables *t, const struct gn_neigh *it, bool new)
{
	size_t i = neigh_find(t, it->ifindex, it->family, it->dst);
	struct gn_neigh *slot;

	if (!new) {
		if (i == (size_t)-1)
			return 0;
		gn_nl_vec_remove(&t->neighs, i);
		return 1;
	}
	if (i != (size_t)-1) {
		slot = gn_nl_vec_at(&t->neighs, i);
		*slot = *it;
		return 1;
	}
	slot = gn_nl_vec_push(&t->neighs);
	if (!slot)
		return -ENOMEM;
	*slot = *it;
	return 1;
}

const struct gn_neigh *gn_netdb_neigh_find(const struct gn_netdb *db, int ifindex,
					   int family, const void *addr)
{
	size_t i;

	if (family != AF_INET && family != AF_INET6)
		return NULL;
	i = neigh_find(&db->t, ifindex, family, addr);
	return i == (size_t)-1 ? NULL : gn_nl_vec_at(&db->t.neighs, i);
}

size_t gn_netdb_neighs(const struct gn_netdb *db, const struct gn_neigh **out)
{
	*out = db->t.neighs.items;
	return db->t.neighs.n;
}
