// SPDX-License-Identifier: LGPL-2.1-or-later
/* Interfaces (RTM_NEWLINK / RTM_DELLINK) and their lookups. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "nl_attr.h"

static const uint8_t link_types[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = MNL_TYPE_NUL_STRING,
	[IFLA_ADDRESS] = MNL_TYPE_BINARY,
	[IFLA_BROADCAST] = MNL_TYPE_BINARY,
	[IFLA_MTU] = MNL_TYPE_U32,
	[IFLA_LINK] = MNL_TYPE_U32,
	[IFLA_MASTER] = MNL_TYPE_U32,
	[IFLA_OPERSTATE] = MNL_TYPE_U8,
	[IFLA_LINKINFO] = MNL_TYPE_NESTED,
};

static const uint8_t info_types[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = MNL_TYPE_NUL_STRING,
};

static void lladdr(const struct nlattr *a, uint8_t *out, uint8_t *len)
{
	size_t n = a ? mnl_attr_get_payload_len(a) : 0;

	if (n > GN_LLADDR_MAX)
		n = 0;
	if (n)
		memcpy(out, mnl_attr_get_payload(a), n);
	if (len)
		*len = (uint8_t)n;
}

int gn_nl_parse_link(const struct nlmsghdr *nlh, struct gn_iface *out)
{
	const struct nlattr *tb[IFLA_MAX + 1], *info[IFLA_INFO_MAX + 1];
	const struct gn_nl_policy p = { IFLA_MAX, link_types, NULL, tb };
	const struct gn_nl_policy pi = { IFLA_INFO_MAX, info_types, NULL, info };
	const struct ifinfomsg *ifi;
	int ret;

	ret = gn_nl_attrs(nlh, sizeof(*ifi), &p);
	if (ret < 0)
		return ret;
	ifi = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	/* AF_BRIDGE messages speak of a bridge port's role, not of the link:
	 * their RTM_DELLINK means the port left the bridge. */
	if (ifi->ifi_family != AF_UNSPEC || ifi->ifi_index <= 0)
		return 0;
	out->index = ifi->ifi_index;
	out->type = ifi->ifi_type;
	out->flags = ifi->ifi_flags;
	gn_nl_attr_str(tb[IFLA_IFNAME], out->name, sizeof(out->name));
	lladdr(tb[IFLA_ADDRESS], out->addr, &out->addr_len);
	lladdr(tb[IFLA_BROADCAST], out->brd, NULL);
	if (tb[IFLA_MTU])
		out->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_LINK])
		out->link = (int)mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_MASTER])
		out->master = (int)mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_OPERSTATE])
		out->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_LINKINFO] && gn_nl_attrs_nested(tb[IFLA_LINKINFO], &pi) == 0)
		gn_nl_attr_str(info[IFLA_INFO_KIND], out->kind, sizeof(out->kind));
	return 1;
}

static size_t link_find(const struct gn_nl_tables *t, int index)
{
	for (size_t i = 0; i < t->links.n; i++)
		if (((const struct gn_iface *)gn_nl_vec_at(&t->links, i))->index == index)
			return i;
	return (size_t)-1;
}

int gn_nl_link_apply(struct gn_nl_tables *t, const struct gn_iface *it, bool new)
{
	size_t i = link_find(t, it->index);
	struct gn_iface *slot;

	if (!new) {
		if (i == (size_t)-1)
			return 0;
		gn_nl_vec_remove(&t->links, i);
		gn_nl_forget_ifindex(t, it->index);
		return 1;
	}
	if (i != (size_t)-1) {
		slot = gn_nl_vec_at(&t->links, i);
		/* A notification may leave out what did not change (a link
		 * event from a bridge port carries no IFLA_LINKINFO). */
		if (!it->kind[0] && slot->kind[0]) {
			char kind[sizeof(slot->kind)];

			memcpy(kind, slot->kind, sizeof(kind));
			*slot = *it;
			memcpy(slot->kind, kind, sizeof(kind));
		} else {
			*slot = *it;
		}
		return 1;
	}
	slot = gn_nl_vec_push(&t->links);
	if (!slot)
		return -ENOMEM;
	*slot = *it;
	return 1;
}

void gn_nl_forget_ifindex(struct gn_nl_tables *t, int ifindex)
{
	for (size_t i = t->addrs.n; i-- > 0;)
		if (((struct gn_ifaddr *)gn_nl_vec_at(&t->addrs, i))->ifindex == ifindex)
			gn_nl_vec_remove(&t->addrs, i);
	for (size_t i = t->routes.n; i-- > 0;)
		if (((struct gn_route *)gn_nl_vec_at(&t->routes, i))->oif == ifindex)
			gn_nl_vec_remove(&t->routes, i);
	for (size_t i = t->neighs.n; i-- > 0;)
		if (((struct gn_neigh *)gn_nl_vec_at(&t->neighs, i))->ifindex == ifindex)
			gn_nl_vec_remove(&t->neighs, i);
}

const struct gn_iface *gn_netdb_iface_by_index(const struct gn_netdb *db, int index)
{
	size_t i = link_find(&db->t, index);

	return i == (size_t)-1 ? NULL : gn_nl_vec_at(&db->t.links, i);
}

const struct gn_iface *gn_netdb_iface_by_name(const struct gn_netdb *db, const char *name)
{
	for (size_t i = 0; i < db->t.links.n; i++) {
		const struct gn_iface *it = gn_nl_vec_at(&db->t.links, i);

		if (!strcmp(it->name, name))
			return it;
	}
	return NULL;
}

size_t gn_netdb_ifaces(const struct gn_netdb *db, const struct gn_iface **out)
{
	*out = db->t.links.items;
	return db->t.links.n;
}
