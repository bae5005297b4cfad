// SPDX-License-Identifier: LGPL-2.1-or-later
/* The snapshot of the network tables: read whole with dumps, then kept
 * current from the notifications the kernel multicasts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/fib_rules.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "nl_db.h"

/* linux/if.h has it but clashes with net/if.h. */
#define GN_IFF_LOWER_UP (1u << 16)

/* Each group n is bit n - 1 of the legacy bind mask (all are below 32). */
#define GRP(n) (1u << ((n) - 1))
#define GN_NL_GROUPS (GRP(RTNLGRP_LINK) | GRP(RTNLGRP_NEIGH) | GRP(RTNLGRP_IPV4_IFADDR) | \
		      GRP(RTNLGRP_IPV4_ROUTE) | GRP(RTNLGRP_IPV4_RULE) |                 \
		      GRP(RTNLGRP_IPV6_IFADDR) | GRP(RTNLGRP_IPV6_ROUTE) |               \
		      GRP(RTNLGRP_IPV6_RULE))

struct apply_ctx {
	struct gn_nl_tables *t;
	bool *routes_stale;  /* NULL while dumping */
	int changed;
	int err;
};

/* One message, from a dump or a notification, into the tables. */
static int apply_cb(const struct nlmsghdr *nlh, void *data)
{
	struct apply_ctx *c = data;
	bool new = false, replace = (nlh->nlmsg_flags & NLM_F_REPLACE) != 0;
	union {
		struct gn_iface link;
		struct gn_ifaddr addr;
		struct gn_route route;
		struct gn_neigh neigh;
		struct gn_rule rule;
	} it;
	int ret;

	switch (nlh->nlmsg_type) {
	case RTM_NEWLINK:
		new = true;
		/* fall through */
	case RTM_DELLINK:
		ret = gn_nl_parse_link(nlh, &it.link);
		if (ret > 0 && c->routes_stale) {
			const struct gn_iface *old = NULL;

			for (size_t i = 0; i < c->t->links.n && !old; i++)
				if (((struct gn_iface *)gn_nl_vec_at(&c->t->links, i))->index ==
				    it.link.index)
					old = gn_nl_vec_at(&c->t->links, i);
			/* A link that goes down or away takes its IPv4 routes
			 * with it without a word. */
			if (!new || (old && (old->flags ^ it.link.flags) & (IFF_UP | GN_IFF_LOWER_UP)))
				*c->routes_stale = true;
		}
		if (ret > 0)
			ret = gn_nl_link_apply(c->t, &it.link, new);
		break;
	case RTM_NEWADDR:
		new = true;
		/* fall through */
	case RTM_DELADDR:
		ret = gn_nl_parse_addr(nlh, &it.addr);
		if (ret > 0)
			ret = gn_nl_addr_apply(c->t, &it.addr, new);
		/* Routes through a gateway only that address reached go too. */
		if (ret > 0 && !new && c->routes_stale)
			*c->routes_stale = true;
		break;
	case RTM_NEWROUTE:
		new = true;
		/* fall through */
	case RTM_DELROUTE:
		ret = gn_nl_parse_route(nlh, &it.route);
		if (ret > 0)
			ret = gn_nl_route_apply(c->t, &it.route, new, replace);
		break;
	case RTM_NEWNEIGH:
		new = true;
		/* fall through */
	case RTM_DELNEIGH:
		ret = gn_nl_parse_neigh(nlh, &it.neigh);
		if (ret > 0)
			ret = gn_nl_neigh_apply(c->t, &it.neigh, new);
		break;
	case RTM_NEWRULE:
		new = true;
		/* fall through */
	case RTM_DELRULE:
		ret = gn_nl_parse_rule(nlh, &it.rule);
		if (ret > 0)
			ret = gn_nl_rule_apply(c->t, &it.rule, new);
		break;
	default:
		return MNL_CB_OK;
	}
	if (ret == -ENOMEM) {
		c->err = ret;
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	/* A message that does not parse is skipped, not fatal: the rest of
	 * the table is still worth having. */
	if (ret > 0)
		c->changed++;
	return MNL_CB_OK;
}

struct dump_req {
	uint16_t type;
	uint8_t family;
	uint8_t hdr_len;
	bool optional; /* the family may be missing from the kernel */
};

static const struct dump_req dumps[] = {
	{ RTM_GETLINK, AF_UNSPEC, sizeof(struct ifinfomsg), false },
	{ RTM_GETADDR, AF_INET, sizeof(struct ifaddrmsg), false },
	{ RTM_GETADDR, AF_INET6, sizeof(struct ifaddrmsg), true },
	{ RTM_GETROUTE, AF_INET, sizeof(struct rtmsg), false },
	{ RTM_GETROUTE, AF_INET6, sizeof(struct rtmsg), true },
	{ RTM_GETRULE, AF_INET, sizeof(struct fib_rule_hdr), true },
	{ RTM_GETRULE, AF_INET6, sizeof(struct fib_rule_hdr), true },
	{ RTM_GETNEIGH, AF_INET, sizeof(struct ndmsg), false },
	{ RTM_GETNEIGH, AF_INET6, sizeof(struct ndmsg), true },
};

/* Dump into t the requests of type (all when 0). */
static int dump_into(struct gn_netdb *db, struct gn_nl_tables *t, uint16_t type,
		     struct gn_error *err)
{
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		struct apply_ctx c = { .t = t };
		struct gn_error e = { 0 };
		int ret;

		if (type && dumps[i].type != type)
			continue;
		ret = gn_nl_dump(db, dumps[i].type, dumps[i].family, dumps[i].hdr_len, apply_cb,
				 &c, &e);
		if (c.err)
			return gn_error_set(err, c.err, 0, "netlink: out of memory");
		if (ret == -EAFNOSUPPORT || ret == -EOPNOTSUPP) {
			if (dumps[i].optional)
				continue;
		}
		if (ret < 0) {
			if (ret != -EINTR)
				gn_error_set(err, ret, 0, "%s", e.msg);
			return ret;
		}
	}
	return 0;
}

/* The whole of the tables of type (0: all), retried while the kernel says
 * they changed under the dump. */
static int read_tables(struct gn_netdb *db, uint16_t type, struct gn_nl_tables *out,
		       struct gn_error *err)
{
	int ret = -EINTR;

	for (int tries = 0; tries < 10 && ret == -EINTR; tries++) {
		gn_nl_tables_init(out);
		ret = dump_into(db, out, type, err);
		if (ret < 0)
			gn_nl_tables_free(out);
	}
	if (ret == -EINTR)
		return gn_error_set(err, ret, 0,
				    "netlink: the tables kept changing while being read");
	return ret;
}

int gn_netdb_refresh(struct gn_netdb *db, struct gn_error *err)
{
	struct gn_nl_tables t;
	int ret = read_tables(db, 0, &t, err);

	if (ret < 0)
		return ret;
	gn_nl_tables_free(&db->t);
	db->t = t;
	db->routes_stale = false;
	return 0;
}

int gn_netdb_open(const struct gn_netdb_opts *opts, struct gn_netdb **out,
		  struct gn_error *err)
{
	struct gn_netdb *db;
	bool watch = opts && opts->sz >= offsetof(struct gn_netdb_opts, watch) +
		sizeof(opts->watch) && opts->watch;
	int ret;

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (!db)
		return gn_error_set(err, -ENOMEM, 0, "netlink: out of memory");
	gn_nl_tables_init(&db->t);
	gn_nl_vec_init(&db->overrides, sizeof(struct gn_route));
	ret = gn_nl_socket_open(0, &db->req, err);
	/* Subscribed before the dump, so nothing that happens between the
	 * two is missed; what the dump already holds applies again harmlessly. */
	if (!ret && watch)
		ret = gn_nl_socket_open(GN_NL_GROUPS, &db->watch, err);
	if (!ret)
		ret = gn_netdb_refresh(db, err);
	if (ret < 0) {
		gn_netdb_close(db);
		return ret;
	}
	*out = db;
	return 0;
}

void gn_netdb_close(struct gn_netdb *db)
{
	if (!db)
		return;
	if (db->req)
		mnl_socket_close(db->req);
	if (db->watch)
		mnl_socket_close(db->watch);
	gn_nl_tables_free(&db->t);
	gn_nl_vec_free(&db->overrides);
	free(db);
}

int gn_netdb_fd(const struct gn_netdb *db)
{
	return db->watch ? mnl_socket_get_fd(db->watch) : -1;
}

/* Replace only the routes with a fresh dump. */
static int reread_routes(struct gn_netdb *db, struct gn_error *err)
{
	struct gn_nl_tables t;
	struct gn_nl_vec keep;
	int ret = read_tables(db, RTM_GETROUTE, &t, err);

	if (ret < 0)
		return ret;
	keep = db->t.routes;
	db->t.routes = t.routes;
	t.routes = keep;
	gn_nl_tables_free(&t);
	db->routes_stale = false;
	return 0;
}

int gn_netdb_update(struct gn_netdb *db, struct gn_error *err)
{
	struct apply_ctx c = { .t = &db->t, .routes_stale = &db->routes_stale };
	bool overrun = false;
	char *buf;
	int ret = 0;

	if (!db->watch)
		return gn_error_set(err, -EINVAL, 0,
				    "netlink: the snapshot was not opened to watch for changes");
	buf = malloc(GN_NL_BUF);
	if (!buf)
		return gn_error_set(err, -ENOMEM, 0, "netlink: out of memory");
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(db->watch, buf, GN_NL_BUF);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				/* The queue overflowed: what is still queued is
				 * read and dropped, then everything read anew. */
				overrun = true;
				continue;
			}
			if (errno != EAGAIN)
				ret = gn_error_set(err, -errno, 0, "netlink: %s", strerror(errno));
			break;
		}
		if (overrun)
			continue;
		if (mnl_cb_run(buf, (size_t)n, 0, 0, apply_cb, &c) < 0 && c.err) {
			ret = gn_error_set(err, c.err, 0, "netlink: out of memory");
			break;
		}
	}
	free(buf);
	if (ret < 0)
		return ret;
	if (overrun) {
		ret = gn_netdb_refresh(db, err);
		return ret < 0 ? ret : 1;
	}
	if (db->routes_stale) {
		ret = reread_routes(db, err);
		if (ret < 0)
			return ret;
	}
	return c.changed;
}

size_t gn_netdb_overrides(const struct gn_netdb *db, const struct gn_route **out)
{
	*out = db->overrides.items;
	return db->overrides.n;
}
