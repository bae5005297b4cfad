/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private to the nl_*.c files: the snapshot and the netlink plumbing. */
#ifndef GANNET_NL_DB_H
#define GANNET_NL_DB_H

#include <libmnl/libmnl.h>

#include <gannet/core.h>
#include <gannet/netlink.h>

/* A growable array of fixed-size items. */
struct gn_nl_vec {
	void *items;
	size_t n;
	size_t cap;
	size_t size; /* bytes per item */
};

void gn_nl_vec_init(struct gn_nl_vec *v, size_t size);
void gn_nl_vec_free(struct gn_nl_vec *v);
/* A zeroed new item at the end, or NULL when out of memory. */
void *gn_nl_vec_push(struct gn_nl_vec *v);
void gn_nl_vec_remove(struct gn_nl_vec *v, size_t i);
static inline void *gn_nl_vec_at(const struct gn_nl_vec *v, size_t i)
{
	return (char *)v->items + i * v->size;
}

/* The tables one dump fills; swapped in whole so a failed refresh leaves
 * the old snapshot intact. */
struct gn_nl_tables {
	struct gn_nl_vec links;  /* struct gn_iface */
	struct gn_nl_vec addrs;  /* struct gn_ifaddr */
	struct gn_nl_vec routes; /* struct gn_route */
	struct gn_nl_vec neighs; /* struct gn_neigh */
	struct gn_nl_vec rules;  /* struct gn_rule */
};

struct gn_netdb {
	struct mnl_socket *req;   /* dumps */
	struct mnl_socket *watch; /* notifications, NULL unless opts.watch */
	unsigned seq;
	struct gn_nl_tables t;
	struct gn_nl_vec overrides; /* struct gn_route */
	/* Set by a notification after which the kernel changes routes without
	 * telling (a link going down or away flushes its IPv4 routes silently). */
	bool routes_stale;
};

void gn_nl_tables_init(struct gn_nl_tables *t);
void gn_nl_tables_free(struct gn_nl_tables *t);

/* Read buffer: messages are at most a page or two; 32 KiB lets the kernel
 * pack several into one read. */
#define GN_NL_BUF 32768

/* ---- nl_socket.c ---------------------------------------------------------- */

/* groups: RTMGRP_* bits to subscribe to (0 for a request socket). */
int gn_nl_socket_open(unsigned groups, struct mnl_socket **out, struct gn_error *err);
/* Send a dump request of type for family (struct rtgenmsg-sized header
 * hdr_len bytes long, family in its first byte) and feed every reply
 * message to cb. */
int gn_nl_dump(struct gn_netdb *db, uint16_t type, uint8_t family, size_t hdr_len,
	       mnl_cb_t cb, void *data, struct gn_error *err);

/* ---- per-table parsers (nl_link.c, nl_addr.c, ...) ----------------------- */

/* Each fills *out from nlh; returns 1 when the item is usable, 0 when the
 * message is to be ignored (a cloned route, an unknown family), -errno. */
int gn_nl_parse_link(const struct nlmsghdr *nlh, struct gn_iface *out);
int gn_nl_parse_addr(const struct nlmsghdr *nlh, struct gn_ifaddr *out);
int gn_nl_parse_route(const struct nlmsghdr *nlh, struct gn_route *out);
int gn_nl_parse_neigh(const struct nlmsghdr *nlh, struct gn_neigh *out);
int gn_nl_parse_rule(const struct nlmsghdr *nlh, struct gn_rule *out);

/* Insert or replace (new) / remove (!new) one item of each table by its key.
 * Return 1 when the table changed, 0 when not, -ENOMEM. */
int gn_nl_link_apply(struct gn_nl_tables *t, const struct gn_iface *it, bool new);
int gn_nl_addr_apply(struct gn_nl_tables *t, const struct gn_ifaddr *it, bool new);
int gn_nl_route_apply(struct gn_nl_tables *t, const struct gn_route *it, bool new,
		      bool replace);
int gn_nl_neigh_apply(struct gn_nl_tables *t, const struct gn_neigh *it, bool new);
int gn_nl_rule_apply(struct gn_nl_tables *t, const struct gn_rule *it, bool new);

/* Everything that mentions ifindex (addresses, routes, neighbours): the
 * kernel drops them with the interface without a message for each. */
void gn_nl_forget_ifindex(struct gn_nl_tables *t, int ifindex);

/* ---- nl_srcaddr.c: the source address of a route without prefsrc ------- */

/* IPv4: from oif for a route of scope, matching gw (NULL: on-link). */
int gn_nl_select_src4(const struct gn_netdb *db, int oif, const uint8_t *gw, uint8_t scope,
		      uint8_t *src);
/* IPv6: RFC 6724 for dst, oif first (0: none chosen). */
int gn_nl_select_src6(const struct gn_netdb *db, int oif, const uint8_t *dst, uint8_t *src);

/* ---- helpers ------------------------------------------------------------- */

static inline size_t gn_nl_alen(int family)
{
	return family == 10 /* AF_INET6 */ ? 16 : 4;
}
/* Do the first plen bits of a and b agree? */
bool gn_nl_prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen);
/* Parse "ADDR[/LEN]" or "default" of either family. */
int gn_nl_parse_prefix(const char *s, int *family, uint8_t *addr, uint8_t *plen);

#endif
