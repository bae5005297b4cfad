// SPDX-License-Identifier: LGPL-2.1-or-later
/* Policy routing rules (RTM_NEWRULE / RTM_DELRULE): which tables a lookup
 * reads, in what order. */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/rtnetlink.h>

#include "nl_attr.h"

static const uint8_t rule_types[FRA_MAX + 1] = {
	[FRA_DST] = MNL_TYPE_BINARY,
	[FRA_SRC] = MNL_TYPE_BINARY,
	[FRA_IIFNAME] = MNL_TYPE_NUL_STRING,
	[FRA_OIFNAME] = MNL_TYPE_NUL_STRING,
	[FRA_GOTO] = MNL_TYPE_U32,
	[FRA_PRIORITY] = MNL_TYPE_U32,
	[FRA_FWMARK] = MNL_TYPE_U32,
	[FRA_TUN_ID] = MNL_TYPE_U64,
	[FRA_SUPPRESS_PREFIXLEN] = MNL_TYPE_U32,
	[FRA_TABLE] = MNL_TYPE_U32,
	[FRA_L3MDEV] = MNL_TYPE_U8,
	[FRA_UID_RANGE] = MNL_TYPE_BINARY,
	[FRA_IP_PROTO] = MNL_TYPE_U8,
	[FRA_SPORT_RANGE] = MNL_TYPE_BINARY,
	[FRA_DPORT_RANGE] = MNL_TYPE_BINARY,
};

static const uint16_t rule_lens[FRA_MAX + 1] = {
	[FRA_UID_RANGE] = sizeof(struct fib_rule_uid_range),
};

int gn_nl_parse_rule(const struct nlmsghdr *nlh, struct gn_rule *out)
{
	const struct nlattr *tb[FRA_MAX + 1];
	const struct gn_nl_policy p = { FRA_MAX, rule_types, rule_lens, tb };
	const struct fib_rule_hdr *frh;
	char name[GN_IFNAMSIZ];
	int ret;

	ret = gn_nl_attrs(nlh, sizeof(*frh), &p);
	if (ret < 0)
		return ret;
	frh = mnl_nlmsg_get_payload(nlh);
	memset(out, 0, sizeof(*out));
	if (frh->family != AF_INET && frh->family != AF_INET6)
		return 0;
	out->family = frh->family;
	out->action = frh->action;
	out->dst_len = frh->dst_len;
	out->src_len = frh->src_len;
	out->tos = frh->tos;
	out->flags = frh->flags;
	out->table = tb[FRA_TABLE] ? mnl_attr_get_u32(tb[FRA_TABLE]) : frh->table;
	if (tb[FRA_PRIORITY])
		out->priority = mnl_attr_get_u32(tb[FRA_PRIORITY]);
	if (tb[FRA_GOTO])
		out->goto_target = mnl_attr_get_u32(tb[FRA_GOTO]);
	out->suppress_prefixlen = tb[FRA_SUPPRESS_PREFIXLEN] ?
		(int32_t)mnl_attr_get_u32(tb[FRA_SUPPRESS_PREFIXLEN]) : -1;
	if (out->dst_len > 8 * gn_nl_alen(out->family) ||
	    out->src_len > 8 * gn_nl_alen(out->family))
		return 0;
	if (out->dst_len && !gn_nl_attr_addr(tb[FRA_DST], out->family, out->dst))
		return 0;
	if (out->src_len && !gn_nl_attr_addr(tb[FRA_SRC], out->family, out->src))
		return 0;
	if (tb[FRA_UID_RANGE]) {
		struct fib_rule_uid_range r;

		memcpy(&r, mnl_attr_get_payload(tb[FRA_UID_RANGE]), sizeof(r));
		out->has_uid_range = 1;
		out->uid_start = r.start;
		out->uid_end = r.end;
	}
	/* What a locally sent packet cannot match: it comes in on lo (the
	 * kernel's output lookups say so), has no output interface chosen,
	 * no mark, no tunnel id, and its ports are not known here. */
	gn_nl_attr_str(tb[FRA_IIFNAME], name, sizeof(name));
	if (name[0] && strcmp(name, "lo"))
		out->has_selector = 1;
	if (tb[FRA_OIFNAME] || tb[FRA_L3MDEV] || tb[FRA_IP_PROTO] || tb[FRA_SPORT_RANGE] ||
	    tb[FRA_DPORT_RANGE] || (tb[FRA_TUN_ID] && mnl_attr_get_u64(tb[FRA_TUN_ID])) ||
	    (tb[FRA_FWMARK] && mnl_attr_get_u32(tb[FRA_FWMARK])))
		out->has_selector = 1;
	return 1;
}

/* Rules are kept in the kernel's order: by priority, a new one after those
 * of the same priority. */
int gn_nl_rule_apply(struct gn_nl_tables *t, const struct gn_rule *it, bool new)
{
	struct gn_rule *slot;
	size_t at = t->rules.n;

	for (size_t i = 0; i < t->rules.n; i++) {
		slot = gn_nl_vec_at(&t->rules, i);
		if (!memcmp(slot, it, sizeof(*it))) {
			if (!new)
				gn_nl_vec_remove(&t->rules, i);
			return !new;
		}
		if (slot->family == it->family && slot->priority > it->priority && at == t->rules.n)
			at = i;
	}
	if (!new)
		return 0;
	if (!gn_nl_vec_push(&t->rules))
		return -ENOMEM;
	memmove(gn_nl_vec_at(&t->rules, at + 1), gn_nl_vec_at(&t->rules, at),
		(t->rules.n - 1 - at) * t->rules.size);
	slot = gn_nl_vec_at(&t->rules, at);
	*slot = *it;
	return 1;
}

size_t gn_netdb_rules(const struct gn_netdb *db, const struct gn_rule **out)
{
	*out = db->t.rules.items;
	return db->t.rules.n;
}
