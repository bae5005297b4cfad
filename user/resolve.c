// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The resolver: Scapy's dynamic defaults for sending, decided once per
 * destination.  Routes are looked up once per destination address and
 * neighbours once per next hop (both cached for the resolver's life), so
 * filling ten thousand probes to one peer costs one lookup.  Packets are
 * filled in two passes: the first does everything the tables already
 * know and notes the next hops the neighbour table lacks; those are then
 * solicited together, and the second pass gives their packets an Ether
 * destination or an error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <gannet/gannet.h>

#include "solicit.h"

#ifndef ARPHRD_RAWIP
#define ARPHRD_RAWIP 519
#endif

/* The classes and fields the resolver reads and writes. */
struct classes {
	const struct gn_proto *ether, *dot1q, *dot1ad, *ip, *ipv6, *arp;
	int ether_dst, ether_src;
	int ip_src, ip_dst, ip6_src, ip6_dst;
	int arp_op, arp_hwsrc, arp_psrc, arp_pdst, arp_ptype;
};

/* A destination: where the route sends it. */
struct dest {
	uint8_t family;
	uint8_t addr[16];
	int rc;                       /* of the route lookup */
	struct gn_route_result rt;
};

enum nb_state { NB_UNKNOWN, NB_PENDING, NB_KNOWN, NB_FAILED };

/* A next hop on an interface. */
struct neigh {
	uint8_t family;
	int ifindex;
	uint8_t addr[16];
	uint8_t src[16];      /* our address on the way to it, to ask from */
	enum nb_state state;
	uint8_t mac[6];
};

/* An open-addressing table of fixed-size entries keyed by their first
 * key_len bytes (the entries are zeroed, so padding compares equal). */
struct table {
	uint8_t *slots;
	size_t entry, key_len;
	size_t cap, n;
};

struct gn_resolver {
	struct gn_netdb *db;
	struct gn_resolver_opts o;
	int forced_ifindex;
	struct classes c;
	struct table dests;   /* struct dest by (family, addr) */
	struct table neighs;  /* struct neigh by (family, ifindex, addr) */
};

/* ---- the tables ----------------------------------------------------------- */

static uint32_t hash_key(const void *key, size_t n)
{
	const uint8_t *p = key;
	uint32_t h = 2166136261u;  /* FNV-1a */

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void *slot(struct table *t, size_t i)
{
	return t->slots + i * t->entry;
}

/* The first byte of every entry is a family (never 0 in a used slot). */
static bool used(const void *e)
{
	return *(const uint8_t *)e != 0;
}

static int table_grow(struct table *t)
{
	struct table bigger = *t;

	bigger.cap = t->cap ? 2 * t->cap : 64;
	bigger.slots = calloc(bigger.cap, t->entry);
	if (!bigger.slots)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		void *e = slot(t, i);
		size_t j;

		if (!used(e))
			continue;
		j = hash_key(e, t->key_len) & (bigger.cap - 1);
		while (used(slot(&bigger, j)))
			j = (j + 1) & (bigger.cap - 1);
		memcpy(slot(&bigger, j), e, t->entry);
	}
	free(t->slots);
	*t = bigger;
	return 0;
}

/* The entry for key (an entry-sized, zero-padded record whose first
 * key_len bytes are the key): found, or added as a copy of key.
 * *added says which. */
static void *table_get(struct table *t, const void *key, bool *added)
{
	size_t j;

	if ((t->n + 1) * 4 > t->cap * 3 && table_grow(t))
		return NULL;
	j = hash_key(key, t->key_len) & (t->cap - 1);
	for (;; j = (j + 1) & (t->cap - 1)) {
		void *e = slot(t, j);

		if (!used(e)) {
			memcpy(e, key, t->entry);
			t->n++;
			*added = true;
			return e;
		}
		if (!memcmp(e, key, t->key_len)) {
			*added = false;
			return e;
		}
	}
}

/* ---- setup ---------------------------------------------------------------- */

static int find_class(const char *name, const struct gn_proto **out, struct gn_error *err)
{
	*out = gn_proto_find(name);
	return *out ? 0 : gn_error_set(err, -ENOENT, 0, "resolver: protocol %s missing", name);
}

static int field(const struct gn_proto *p, const char *name)
{
	return gn_proto_field_index(p, name);
}

static int init_classes(struct classes *c, struct gn_error *err)
{
	int rc = find_class("Ether", &c->ether, err);

	if (!rc)
		rc = find_class("Dot1Q", &c->dot1q, err);
	if (!rc)
		rc = find_class("Dot1AD", &c->dot1ad, err);
	if (!rc)
		rc = find_class("IP", &c->ip, err);
	if (!rc)
		rc = find_class("IPv6", &c->ipv6, err);
	if (!rc)
		rc = find_class("ARP", &c->arp, err);
	if (rc)
		return rc;
	c->ether_dst = field(c->ether, "dst");
	c->ether_src = field(c->ether, "src");
	c->ip_src = field(c->ip, "src");
	c->ip_dst = field(c->ip, "dst");
	c->ip6_src = field(c->ipv6, "src");
	c->ip6_dst = field(c->ipv6, "dst");
	c->arp_op = field(c->arp, "op");
	c->arp_hwsrc = field(c->arp, "hwsrc");
	c->arp_psrc = field(c->arp, "psrc");
	c->arp_pdst = field(c->arp, "pdst");
	c->arp_ptype = field(c->arp, "ptype");
	return 0;
}

int gn_resolver_new(struct gn_netdb *db, const struct gn_resolver_opts *opts,
		    struct gn_resolver **out, struct gn_error *err)
{
	struct gn_resolver *r;
	int rc;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	if (opts)
		memcpy(&r->o, opts, opts->sz < sizeof(r->o) ? opts->sz : sizeof(r->o));
	r->o.sz = sizeof(r->o);
	if (r->o.timeout <= 0)
		r->o.timeout = 1.0;
	if (r->o.retry < 0)
		r->o.retry = 2;
	r->db = db;
	r->dests.entry = sizeof(struct dest);
	r->dests.key_len = offsetof(struct dest, rc);
	r->neighs.entry = sizeof(struct neigh);
	r->neighs.key_len = offsetof(struct neigh, src);
	rc = init_classes(&r->c, err);
	if (!rc && r->o.iface) {
		const struct gn_iface *ifc = gn_netdb_iface_by_name(db, r->o.iface);

		if (!ifc)
			rc = gn_error_set(err, -ENODEV, 0, "%s: no such interface", r->o.iface);
		else
			r->forced_ifindex = ifc->index;
	}
	if (rc) {
		gn_resolver_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void gn_resolver_free(struct gn_resolver *r)
{
	if (!r)
		return;
	free(r->dests.slots);
	free(r->neighs.slots);
	free(r);
}

void gn_mcast_mac(int family, const uint8_t *addr, uint8_t mac[6])
{
	if (family == AF_INET) {
		/* RFC 1112: 01:00:5e and the low 23 bits of the group */
		mac[0] = 0x01, mac[1] = 0x00, mac[2] = 0x5e;
		mac[3] = addr[1] & 0x7f, mac[4] = addr[2], mac[5] = addr[3];
	} else {
		/* RFC 2464: 33:33 and the low 32 bits */
		mac[0] = 0x33, mac[1] = 0x33;
		memcpy(mac + 2, addr + 12, 4);
	}
}

/* ---- one packet ----------------------------------------------------------- */

/* What the first pass learnt about one packet. */
struct plan {
	struct gn_layer *ether;   /* the Ether layer to complete, if any */
	struct neigh *nb;         /* the next hop its Ether dst waits for */
	const struct dest *d;
};

static void set_addr(struct gn_layer *l, int i, const uint8_t *a, unsigned len)
{
	struct gn_value v = { .type = GN_V_ADDR, .alen = (uint8_t)len };

	memcpy(v.addr, a, len);
	gn_layer_set(l, (unsigned)i, &v);
}

static bool get_addr(const struct gn_layer *l, int i, unsigned len, uint8_t *out)
{
	const struct gn_value *v = gn_layer_get(l, (unsigned)i);

	if (!v || v->type != GN_V_ADDR || v->alen != len)
		return false;
	memcpy(out, v->addr, len);
	return true;
}

static const char *addr_text(int family, const uint8_t *a, char *buf)
{
	return inet_ntop(family, a, buf, INET6_ADDRSTRLEN);
}

static const struct dest *route_of(struct gn_resolver *r, int family, const uint8_t *addr,
				   struct gn_error *err)
{
	struct dest key, *d;
	bool added;

	memset(&key, 0, sizeof(key));  /* padding is part of the key */
	key.family = (uint8_t)family;
	memcpy(key.addr, addr, family == AF_INET ? 4 : 16);
	d = table_get(&r->dests, &key, &added);
	if (!d) {
		gn_error_set(err, -ENOMEM, 0, "out of memory");
		return NULL;
	}
	if (added) {
		struct gn_error e = { 0 };

		d->rc = gn_netdb_route_get(r->db, family, addr, &d->rt, &e);
	}
	if (d->rc) /* again, for the message */
		gn_netdb_route_get(r->db, family, addr, &d->rt, err);
	return d;
}

/* Our first address of family on ifindex (global scope first), for a
 * packet forced out of an interface the route does not name. */
static bool iface_addr(const struct gn_netdb *db, int ifindex, int family, uint8_t *out)
{
	const struct gn_ifaddr *a;
	size_t n = gn_netdb_addrs(db, &a);
	int best = -1;

	for (size_t i = 0; i < n; i++) {
		if (a[i].ifindex != ifindex || a[i].family != family)
			continue;
		if (best < 0 || (a[i].scope < a[best].scope))
			best = (int)i;
	}
	if (best < 0)
		return false;
	memcpy(out, a[best].addr, family == AF_INET ? 4 : 16);
	return true;
}

static bool is_ll_layer(const struct classes *c, const struct gn_proto *p)
{
	return p == c->ether || p == c->dot1q || p == c->dot1ad;
}

/* The layer that decides the route: the first IP, IPv6 or ARP. */
static struct gn_layer *l3_layer(const struct classes *c, const struct gn_packet *p)
{
	for (unsigned i = 0; i < p->n; i++) {
		const struct gn_proto *proto = p->layers[i].proto;

		if (proto == c->ip || proto == c->ipv6 || proto == c->arp)
			return &p->layers[i];
		if (!is_ll_layer(c, proto))
			return NULL;
	}
	return NULL;
}

static bool is_ethernet(const struct gn_iface *ifc)
{
	return ifc->type == ARPHRD_ETHER || ifc->type == ARPHRD_LOOPBACK;
}

/* Put Ether under a layer-3 packet. */
static int add_ether(struct gn_resolver *r, struct gn_packet *p, struct gn_error *err)
{
	if (!gn_packet_insert(p, 0, r->c.ether))
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	return 0;
}

/* The neighbour entry for nexthop on ifindex, from our cache or the
 * kernel's table; NB_UNKNOWN ones become NB_PENDING (to be solicited). */
static struct neigh *neighbour(struct gn_resolver *r, int family, int ifindex,
			       const uint8_t *nexthop, const uint8_t *src, struct gn_error *err)
{
	struct neigh key, *nb;
	unsigned alen = family == AF_INET ? 4 : 16;
	bool added;

	memset(&key, 0, sizeof(key));  /* padding is part of the key */
	key.family = (uint8_t)family;
	key.ifindex = ifindex;

	memcpy(key.addr, nexthop, alen);
	nb = table_get(&r->neighs, &key, &added);
	if (!nb) {
		gn_error_set(err, -ENOMEM, 0, "out of memory");
		return NULL;
	}
	if (added) {
		const struct gn_neigh *kn = gn_netdb_neigh_find(r->db, ifindex, family, nexthop);
		const uint16_t usable = NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE |
					NUD_PERMANENT | NUD_NOARP;

		memcpy(nb->src, src, alen);
		if (kn && kn->lladdr_len == 6 && (kn->state & usable)) {
			memcpy(nb->mac, kn->lladdr, 6);
			nb->state = NB_KNOWN;
		} else {
			nb->state = NB_PENDING;
		}
	}
	return nb;
}

/* Where the Ether destination of a packet to dst comes from: a fixed
 * address (broadcast, multicast, loopback), or a neighbour (*nb). */
static int l2_dest(struct gn_resolver *r, const struct gn_iface *ifc, const struct dest *d,
		   int family, const uint8_t *dst, const uint8_t *src, bool arp_request,
		   int ifindex, uint8_t mac[6], struct neigh **nb, struct gn_error *err)
{
	static const uint8_t bcast4[4] = { 255, 255, 255, 255 };
	const uint8_t *nexthop = dst;

	*nb = NULL;
	if (ifc->type == ARPHRD_LOOPBACK) {
		memset(mac, 0, 6);
		return 0;
	}
	if (arp_request || (family == AF_INET && (!memcmp(dst, bcast4, 4) ||
						  d->rt.type == RTN_BROADCAST)) ||
	    (ifc->flags & IFF_NOARP)) {
		memset(mac, 0xff, 6);
		if ((ifc->flags & IFF_NOARP) && ifc->addr_len == 6)
			memcpy(mac, ifc->brd, 6);
		return 0;
	}
	if ((family == AF_INET && (dst[0] & 0xf0) == 0xe0) ||
	    (family == AF_INET6 && dst[0] == 0xff)) {
		gn_mcast_mac(family, dst, mac);
		return 0;
	}
	/* off-link: the gateway, when the route we follow leaves here */
	if (!d->rc && d->rt.has_gateway && d->rt.oif == ifindex)
		nexthop = d->rt.nexthop;
	*nb = neighbour(r, family, ifindex, nexthop, src, err);
	return *nb ? 0 : -ENOMEM;
}

static int fill_one(struct gn_resolver *r, struct gn_packet **pp, unsigned flags,
		    struct plan *pl, struct gn_error *err)
{
	const struct classes *c = &r->c;
	struct gn_layer *l3 = l3_layer(c, *pp), *ether;
	const struct gn_iface *ifc;
	uint8_t dst[16], src[16], mac[6];
	unsigned alen;
	int family, ifindex, src_field, rc;
	bool arp = false, arp_request = false, have_src;
	char text[INET6_ADDRSTRLEN];

	memset(pl, 0, sizeof(*pl));
	if (!l3) {
		/* nothing routable: only a forced interface says where */
		ifindex = r->forced_ifindex;
		if (!ifindex)
			return gn_error_set(err, -EDESTADDRREQ, 0,
					    "no IP, IPv6 or ARP layer to route by: give an interface");
		ifc = gn_netdb_iface_by_index(r->db, ifindex);
		ether = (*pp)->n && (*pp)->layers[0].proto == c->ether ? &(*pp)->layers[0] : NULL;
		if (ether && !gn_layer_isset(ether, (unsigned)c->ether_src) && ifc &&
		    ifc->addr_len == 6)
			set_addr(ether, c->ether_src, ifc->addr, 6);
		(*pp)->meta.ifindex = ifindex;
		return 0;
	}
	if (l3->proto == c->arp) {
		arp = true;
		family = AF_INET;
		if (gn_field_uint(l3, (unsigned)c->arp_ptype) != 0x0800 ||
		    !get_addr(l3, c->arp_pdst, 4, dst))
			return gn_error_set(err, -EAFNOSUPPORT, 0,
					    "ARP for other than IPv4 addresses: give an interface");
		arp_request = gn_field_uint(l3, (unsigned)c->arp_op) == 1;
	} else {
		family = l3->proto == c->ip ? AF_INET : AF_INET6;
		if (!get_addr(l3, family == AF_INET ? c->ip_dst : c->ip6_dst,
			      family == AF_INET ? 4 : 16, dst))
			return gn_error_set(err, -EINVAL, 0, "destination is not an address");
	}
	alen = family == AF_INET ? 4 : 16;
	pl->d = route_of(r, family, dst, err);
	if (!pl->d)
		return -ENOMEM;
	if (pl->d->rc && !r->forced_ifindex)
		return pl->d->rc;
	ifindex = r->forced_ifindex ? r->forced_ifindex : pl->d->rt.oif;
	ifc = gn_netdb_iface_by_index(r->db, ifindex);
	if (!ifc)
		return gn_error_set(err, -ENODEV, 0, "route to %s: interface %d is gone",
				    addr_text(family, dst, text), ifindex);

	/* our address: the route's choice, else the forced interface's; a
	 * packet that names its own source needs neither (and then its source
	 * asks the neighbour when we have none) */
	if (!pl->d->rc && pl->d->rt.oif == ifindex && pl->d->rt.has_src) {
		memcpy(src, pl->d->rt.src, alen);
		have_src = true;
	} else {
		have_src = iface_addr(r->db, ifindex, family, src);
	}
	src_field = arp ? c->arp_psrc : family == AF_INET ? c->ip_src : c->ip6_src;
	if (!gn_layer_isset(l3, (unsigned)src_field)) {
		if (!have_src)
			return gn_error_set(err, -EADDRNOTAVAIL, 0, "%s has no %s address to send from",
					    ifc->name, family == AF_INET ? "IPv4" : "IPv6");
		set_addr(l3, src_field, src, alen);
	} else if (!have_src && !get_addr(l3, src_field, alen, src)) {
		return gn_error_set(err, -EINVAL, 0, "source is not an address");
	}
	if (arp && !gn_layer_isset(l3, (unsigned)c->arp_hwsrc) && ifc->addr_len == 6)
		set_addr(l3, c->arp_hwsrc, ifc->addr, 6);

	if ((flags & GN_FILL_ADD_L2) && l3->index == 0) {
		if (ifc->type == ARPHRD_NONE || ifc->type == ARPHRD_RAWIP) {
			(*pp)->meta.ifindex = ifindex;
			return 0;
		}
		if (!is_ethernet(ifc))
			return gn_error_set(err, -EOPNOTSUPP, 0,
					    "%s: link type %u: only Ethernet, loopback and raw IP "
					    "interfaces can be sent to at layer 3", ifc->name, ifc->type);
		rc = add_ether(r, *pp, err);
		if (rc)
			return rc;
	}
	(*pp)->meta.ifindex = ifindex;
	ether = (*pp)->layers[0].proto == c->ether ? &(*pp)->layers[0] : NULL;
	if (!ether)
		return 0;
	if (!gn_layer_isset(ether, (unsigned)c->ether_src) && ifc->addr_len == 6)
		set_addr(ether, c->ether_src, ifc->addr, 6);
	if (gn_layer_isset(ether, (unsigned)c->ether_dst))
		return 0;
	rc = l2_dest(r, ifc, pl->d, family, dst, src, arp_request, ifindex, mac, &pl->nb, err);
	if (rc)
		return rc;
	if (!pl->nb || pl->nb->state == NB_KNOWN)
		set_addr(ether, c->ether_dst, pl->nb ? pl->nb->mac : mac, 6);
	else
		pl->ether = ether;
	return 0;
}

/* ---- soliciting ------------------------------------------------------------- */

static int solicit_pending(struct gn_resolver *r, struct gn_error *err)
{
	struct gn_solicit *s;
	struct neigh **which;
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < r->neighs.cap; i++) {
		struct neigh *nb = slot(&r->neighs, i);

		n += used(nb) && nb->state == NB_PENDING;
	}
	if (!n)
		return 0;
	s = calloc(n, sizeof(*s));
	which = calloc(n, sizeof(*which));
	if (!s || !which) {
		free(s);
		free(which);
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	}
	n = 0;
	for (size_t i = 0; i < r->neighs.cap; i++) {
		struct neigh *nb = slot(&r->neighs, i);
		const struct gn_iface *ifc;

		if (!used(nb) || nb->state != NB_PENDING)
			continue;
		ifc = gn_netdb_iface_by_index(r->db, nb->ifindex);
		s[n].family = nb->family;
		s[n].ifindex = nb->ifindex;
		memcpy(s[n].target, nb->addr, 16);
		memcpy(s[n].src, nb->src, 16);
		if (ifc && ifc->addr_len == 6)
			memcpy(s[n].our_mac, ifc->addr, 6);
		which[n++] = nb;
	}
	rc = gn_solicit_run(r->db, s, n, r->o.timeout, r->o.retry, r->o.stop, err);
	for (size_t i = 0; !rc && i < n; i++) {
		which[i]->state = s[i].answered ? NB_KNOWN : NB_FAILED;
		memcpy(which[i]->mac, s[i].mac, 6);
	}
	free(s);
	free(which);
	return rc;
}

static void silent_error(const struct gn_resolver *r, const struct plan *pl,
			 struct gn_error *e)
{
	const struct neigh *nb = pl->nb;
	const struct gn_iface *ifc = gn_netdb_iface_by_index(r->db, nb->ifindex);
	char hop[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	unsigned alen = nb->family == AF_INET ? 4 : 16;
	double wait = r->o.timeout * (r->o.retry + 1);
	const char *how = nb->family == AF_INET ? "ARP" : "NDP";

	addr_text(nb->family, nb->addr, hop);
	if (memcmp(pl->d->addr, nb->addr, alen))
		gn_error_set(e, -EHOSTUNREACH, 0,
			     "next hop %s (gateway to %s) does not answer %s on %s "
			     "(%d %s, %g s)", hop, addr_text(nb->family, pl->d->addr, dst), how,
			     ifc ? ifc->name : "?", r->o.retry + 1,
			     r->o.retry ? "tries" : "try", wait);
	else
		gn_error_set(e, -EHOSTUNREACH, 0,
			     "%s does not answer %s on %s (%d %s, %g s)", hop, how,
			     ifc ? ifc->name : "?", r->o.retry + 1,
			     r->o.retry ? "tries" : "try", wait);
}

int gn_resolver_fill(struct gn_resolver *r, struct gn_packet **ps, size_t n, unsigned flags,
		     int *status, struct gn_error *err)
{
	struct plan *plans = calloc(n ? n : 1, sizeof(*plans));
	int failed = 0, rc;

	if (!plans)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct gn_error e = { 0 };

		rc = fill_one(r, &ps[i], flags, &plans[i], &e);
		if (rc == -ENOMEM) {
			free(plans);
			return gn_error_set(err, rc, 0, "out of memory");
		}
		if (status)
			status[i] = rc;
		if (rc) {
			failed++;
			plans[i].ether = NULL;
			if (r->o.on_error)
				r->o.on_error(r->o.ctx, i, &e);
		}
	}
	rc = solicit_pending(r, err);
	if (!rc && r->o.stop && *r->o.stop)
		rc = gn_error_set(err, -EINTR, 0, "interrupted while resolving neighbours");
	if (rc) {
		free(plans);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		struct plan *pl = &plans[i];

		if (!pl->ether)
			continue;
		if (pl->nb->state == NB_KNOWN) {
			set_addr(pl->ether, r->c.ether_dst, pl->nb->mac, 6);
			continue;
		}
		if (pl->nb->state != NB_FAILED)  /* interrupted before asking */
			continue;
		if (r->o.broadcast_unresolved) {
			static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

			set_addr(pl->ether, r->c.ether_dst, bcast, 6);
			if (r->o.on_warning) {
				struct gn_error e = { 0 };
				size_t len;

				silent_error(r, pl, &e);
				len = strlen(e.msg);
				snprintf(e.msg + len, sizeof(e.msg) - len, ": sent to broadcast");
				r->o.on_warning(r->o.ctx, i, &e);
			}
			continue;
		}
		failed++;
		if (status)
			status[i] = -EHOSTUNREACH;
		if (r->o.on_error) {
			struct gn_error e = { 0 };

			silent_error(r, pl, &e);
			r->o.on_error(r->o.ctx, i, &e);
		}
	}
	free(plans);
	return failed;
}
