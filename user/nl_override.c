// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet's own routes (Scapy's conf.route.add / conf.route.delt): held in
 * the snapshot, looked at before the system's tables, never written to
 * the kernel. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "nl_db.h"

/* prefix and gw into r; the family of "default" follows gw (else IPv4). */
static int parse(struct gn_netdb *db, const char *prefix, const char *gw, const char *ifname,
		 struct gn_route *r, struct gn_error *err)
{
	int family, gw_family = 0;
	uint8_t plen;
	char a[INET6_ADDRSTRLEN];

	memset(r, 0, sizeof(*r));
	if (!prefix || gn_nl_parse_prefix(prefix, &family, r->dst, &plen) < 0)
		return gn_error_set(err, -EINVAL, 0,
				    "route: '%s' is not a prefix (10.9.0.0/16, fd00::/8, "
				    "default or an address)", prefix ? prefix : "(null)");
	if (gw) {
		if (inet_pton(AF_INET, gw, r->gateway) == 1)
			gw_family = AF_INET;
		else if (inet_pton(AF_INET6, gw, r->gateway) == 1)
			gw_family = AF_INET6;
		else
			return gn_error_set(err, -EINVAL, 0,
					    "route %s: gateway '%s' is not an address", prefix, gw);
		r->has_gateway = 1;
	}
	if (!family)
		family = gw_family ? gw_family : AF_INET;
	if (gw_family && gw_family != family)
		return gn_error_set(err, -EINVAL, 0,
				    "route %s: gateway %s is of the other address family",
				    prefix, gw);
	for (unsigned bit = plen; bit < 8 * gn_nl_alen(family); bit++) {
		if (r->dst[bit / 8] & (0x80 >> (bit % 8))) {
			uint8_t net[16];

			memcpy(net, r->dst, sizeof(net));
			for (unsigned b = plen; b < 8 * gn_nl_alen(family); b++)
				net[b / 8] &= (uint8_t)~(0x80 >> (b % 8));
			return gn_error_set(err, -EINVAL, 0,
					    "route %s: host bits are set (did you mean %s/%u?)",
					    prefix, gn_nl_addr_str(family, net, a, sizeof(a)),
					    plen);
		}
	}
	r->family = (uint8_t)family;
	r->dst_len = plen;
	if (ifname) {
		const struct gn_iface *it = gn_netdb_iface_by_name(db, ifname);

		if (!it)
			return gn_error_set(err, -ENODEV, 0, "route %s: no interface '%s'",
					    prefix, ifname);
		r->oif = it->index;
	}
	return 0;
}

int gn_netdb_route_add(struct gn_netdb *db, const char *prefix, const char *gw,
		       const char *ifname, struct gn_error *err)
{
	struct gn_route r, *slot;
	int ret = parse(db, prefix, gw, ifname, &r, err);

	if (ret < 0)
		return ret;
	if (!gw && !ifname)
		return gn_error_set(err, -EINVAL, 0,
				    "route %s: needs a gateway, an interface or both", prefix);
	if (!ifname) {
		/* Out of the interface the gateway is reached through, as
		 * Scapy does: decided now, kept after. */
		struct gn_route_result via;
		struct gn_error e = { 0 };

		ret = gn_netdb_route_get(db, r.family, r.gateway, &via, &e);
		if (ret < 0)
			return gn_error_set(err, ret, 0, "route %s via %s: %s", prefix, gw, e.msg);
		r.oif = via.oif;
	}
	r.type = RTN_UNICAST;
	r.protocol = RTPROT_STATIC;
	/* What the kernel gives a route without a gateway: it is on-link,
	 * and its source address is chosen as for one. */
	r.scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	r.override = 1;
	r.pref = 0xff;
	r.nhops = 1;
	for (size_t i = 0; i < db->overrides.n; i++) {
		const struct gn_route *o = gn_nl_vec_at(&db->overrides, i);

		if (o->family == r.family && o->dst_len == r.dst_len && o->oif == r.oif &&
		    o->has_gateway == r.has_gateway &&
		    !memcmp(o->dst, r.dst, sizeof(r.dst)) &&
		    !memcmp(o->gateway, r.gateway, sizeof(r.gateway)))
			return gn_error_set(err, -EEXIST, 0, "route %s: already added", prefix);
	}
	slot = gn_nl_vec_push(&db->overrides);
	if (!slot)
		return gn_error_set(err, -ENOMEM, 0, "route %s: out of memory", prefix);
	*slot = r;
	return 0;
}

int gn_netdb_route_del(struct gn_netdb *db, const char *prefix, const char *gw,
		       const char *ifname, struct gn_error *err)
{
	struct gn_route r;
	size_t removed = 0;
	int ret = parse(db, prefix, gw, ifname, &r, err);

	if (ret < 0)
		return ret;
	for (size_t i = db->overrides.n; i-- > 0;) {
		const struct gn_route *o = gn_nl_vec_at(&db->overrides, i);

		if (o->family != r.family || o->dst_len != r.dst_len ||
		    memcmp(o->dst, r.dst, sizeof(r.dst)))
			continue;
		if (gw && (!o->has_gateway || memcmp(o->gateway, r.gateway, sizeof(r.gateway))))
			continue;
		if (ifname && o->oif != r.oif)
			continue;
		gn_nl_vec_remove(&db->overrides, i);
		removed++;
	}
	if (!removed)
		return gn_error_set(err, -ESRCH, 0, "route %s: no such route of gannet's own",
				    prefix);
	return 0;
}
