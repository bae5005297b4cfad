// SPDX-License-Identifier: LGPL-2.1-or-later
/* Interface addresses (RTM_NEWADDR / RTM_DELADDR). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "nl_attr.h"

static const uint8_t addr_types[IFA_MAX + 1] = {
	[IFA_ADDRESS] = MNL_TYPE_BINARY,
	[IFA_LOCAL] = MNL_TYPE_BINARY,
	[IFA_BROADCAST] = MNL_TYPE_BINARY,
	[IFA_LABEL] = MNL_TYPE_NUL_STRING,
	[IFA_FLAGS] = MNL_TYPE_U32,
};

int gn_nl_parse_addr(const struct nlmsghdr *nlh, struct gn_ifaddr *out)
{
	const struct nlattr *tb[IFA_MAX + 1];
	const struct gn_nl_policy p = { IFA_MAX, addr_types, NULL, tb };
	const struct ifaddrmsg *ifa;
	uint8_t address[16];
	bool has_address;
	int ret;

	ret = gn_nl_attrs(nlh, sizeof(*ifa), &p);
	if (ret < 0)
		return ret;
	ifa = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 0;
	out->family = ifa->ifa_family;
	out->ifindex = (int)ifa->ifa_index;
	out->prefixlen = ifa->ifa_prefixlen;
	out->scope = ifa->ifa_scope;
	out->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	has_address = gn_nl_attr_addr(tb[IFA_ADDRESS], out->family, address);
	/* IFA_LOCAL is the address itself and IFA_ADDRESS the peer on a
	 * point-to-point link; on others (and for IPv6) they are the same or
	 * only IFA_ADDRESS is there. */
	if (gn_nl_attr_addr(tb[IFA_LOCAL], out->family, out->addr)) {
		if (has_address && memcmp(address, out->addr, gn_nl_alen(out->family))) {
			out->has_peer = 1;
			memcpy(out->peer, address, sizeof(address));
		}
	} else if (has_address) {
		memcpy(out->addr, address, sizeof(address));
	} else {
		return 0;
	}
	gn_nl_attr_addr(tb[IFA_BROADCAST], out->family, out->brd);
	gn_nl_attr_str(tb[IFA_LABEL], out->label, sizeof(out->label));
	return 1;
}

static bool same_addr(const struct gn_ifaddr *a, const struct gn_ifaddr *b)
{
	return a->ifindex == b->ifindex && a->family == b->family &&
	       a->prefixlen == b->prefixlen &&
	       !memcmp(a->addr, b->addr, gn_nl_alen(a->family));
}

int gn_nl_addr_apply(struct gn_nl_tables *t, const struct gn_ifaddr *it, bool new)
{
	struct gn_ifaddr *slot;

	for (size_t i = 0; i < t->addrs.n; i++) {
		slot = gn_nl_vec_at(&t->addrs, i);
		if (!same_addr(slot, it))
			continue;
		if (new)
			*slot = *it;
		else
			gn_nl_vec_remove(&t->addrs, i);
		return 1;
	}
	if (!new)
		return 0;
	slot = gn_nl_vec_push(&t->addrs);
	if (!slot)
		return -ENOMEM;
	*slot = *it;
	return 1;
}

size_t gn_netdb_addrs(const struct gn_netdb *db, const struct gn_ifaddr **out)
{
	*out = db->t.addrs.items;
	return db->t.addrs.n;
}
