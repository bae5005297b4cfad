// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet ifaces, route and neigh: the kernel's network tables as libgannet
 * reads them over netlink, and the route a packet to a destination takes. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "cli.h"

#define ADDRSTR 46   /* INET6_ADDRSTRLEN */
#define LLSTR (3 * GN_LLADDR_MAX)

static int open_db(struct gn_netdb **db)
{
	struct gn_error err = { 0 };
	int ret = gn_netdb_open(NULL, db, &err);

	if (ret < 0)
		gn_cli_err("%s", err.msg[0] ? err.msg : gn_strerror(ret));
	return ret;
}

/* The options of the three commands; allowed lists the letters this one
 * takes besides -h. */
struct net_opts {
	bool json;
	bool all;   /* neigh -a */
	int family; /* 0: both */
	const char *table;
};

static int parse_opts(int argc, char **argv, const char *allowed, struct net_opts *o,
		      int *status)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "table", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	int opt;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":ja46t:h", opts, NULL)) != -1) {
		if (opt != 'h' && opt != '?' && opt != ':' && !strchr(allowed, opt)) {
			*status = gn_cli_usage_error(cmd, "%s: unknown option '%s'", cmd,
						     argv[optind - 1]);
			return -1;
		}
		switch (opt) {
		case 'j':
			o->json = true;
			break;
		case 'a':
			o->all = true;
			break;
		case '4':
		case '6':
			o->family = opt == '4' ? AF_INET : AF_INET6;
			break;
		case 't':
			o->table = optarg;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			*status = GN_EXIT_OK;
			return -1;
		default:
			*status = gn_cli_bad_option(cmd, opt, argc, argv);
			return -1;
		}
	}
	return 0;
}

static const char *addr_str(int family, const void *a, char *buf)
{
	return gn_nl_addr_str(family, a, buf, ADDRSTR);
}

static const char *family_name(int family)
{
	return family == AF_INET ? "inet" : "inet6";
}

/* ---- gannet ifaces ---------------------------------------------------------- */

struct flag_ctx {
	struct gn_strbuf *sb;
	bool json;
	int n;
};

static void put_flag(void *ctx, const char *name)
{
	struct flag_ctx *f = ctx;

	if (f->n++)
		gn_sb_putc(f->sb, ',');
	if (f->json)
		gn_sb_json_str(f->sb, name, strlen(name));
	else
		gn_sb_puts(f->sb, name);
}

static void iface_json(const struct gn_iface *it, const struct gn_ifaddr *addrs, size_t naddrs,
		       const struct gn_netdb *db, struct gn_strbuf *sb)
{
	char buf[LLSTR], tbuf[16];
	struct flag_ctx f = { sb, true, 0 };
	const struct gn_iface *master = it->master ? gn_netdb_iface_by_index(db, it->master) : NULL;
	int n = 0;

	gn_sb_printf(sb, "{\"ifindex\":%d,\"ifname\":", it->index);
	gn_sb_json_str(sb, it->name, strlen(it->name));
	gn_sb_puts(sb, ",\"flags\":[");
	gn_nl_iface_flags(it->flags, put_flag, &f);
	gn_sb_printf(sb, "],\"mtu\":%u", it->mtu);
	if (master) {
		gn_sb_puts(sb, ",\"master\":");
		gn_sb_json_str(sb, master->name, strlen(master->name));
	}
	if (it->kind[0]) {
		gn_sb_puts(sb, ",\"kind\":");
		gn_sb_json_str(sb, it->kind, strlen(it->kind));
	}
	gn_sb_printf(sb, ",\"operstate\":\"%s\",\"link_type\":\"%s\"",
		     gn_nl_operstate_name(it->operstate),
		     gn_nl_link_type_name(it->type, tbuf, sizeof(tbuf)));
	if (it->addr_len) {
		gn_sb_printf(sb, ",\"address\":\"%s\"",
			     gn_nl_lladdr_str(it->addr, it->addr_len, buf, sizeof(buf)));
		gn_sb_printf(sb, ",\"broadcast\":\"%s\"",
			     gn_nl_lladdr_str(it->brd, it->addr_len, buf, sizeof(buf)));
	}
	gn_sb_puts(sb, ",\"addr_info\":[");
	for (size_t i = 0; i < naddrs; i++) {
		const struct gn_ifaddr *a = &addrs[i];
		char ab[ADDRSTR];

		if (a->ifindex != it->index)
			continue;
		gn_sb_printf(sb, "%s{\"family\":\"%s\",\"local\":\"%s\",\"prefixlen\":%u",
			     n++ ? "," : "", family_name(a->family),
			     addr_str(a->family, a->addr, ab), a->prefixlen);
		if (a->has_peer)
			gn_sb_printf(sb, ",\"address\":\"%s\"", addr_str(a->family, a->peer, ab));
		gn_sb_printf(sb, ",\"scope\":\"%s\"", gn_nl_scope_name(a->scope, tbuf,
								       sizeof(tbuf)));
		if (a->label[0]) {
			gn_sb_puts(sb, ",\"label\":");
			gn_sb_json_str(sb, a->label, strlen(a->label));
		}
		gn_sb_puts(sb, "}");
	}
	gn_sb_puts(sb, "]}");
}

/* One row of the ifaces table, cell by cell. */
#define NCOLS 8
static void iface_row(const struct gn_iface *it, const struct gn_ifaddr *addrs, size_t naddrs,
		      struct gn_strbuf *cells)
{
	char buf[LLSTR], tbuf[16];
	struct flag_ctx f = { &cells[6], false, 0 };

	for (int c = 0; c < NCOLS; c++)
		gn_sb_reset(&cells[c]);
	gn_sb_printf(&cells[0], "%d", it->index);
	gn_sb_puts(&cells[1], it->name);
	gn_sb_puts(&cells[2], gn_nl_operstate_name(it->operstate));
	gn_sb_printf(&cells[3], "%u", it->mtu);
	gn_sb_puts(&cells[4], gn_nl_link_type_name(it->type, tbuf, sizeof(tbuf)));
	gn_sb_puts(&cells[5], it->addr_len ?
		   gn_nl_lladdr_str(it->addr, it->addr_len, buf, sizeof(buf)) : "-");
	gn_nl_iface_flags(it->flags, put_flag, &f);
	if (!f.n)
		gn_sb_putc(&cells[6], '-');
	for (size_t i = 0; i < naddrs; i++) {
		char ab[ADDRSTR];

		if (addrs[i].ifindex != it->index)
			continue;
		gn_sb_printf(&cells[7], "%s%s/%u", cells[7].len ? " " : "",
			     addr_str(addrs[i].family, addrs[i].addr, ab), addrs[i].prefixlen);
	}
}

int gn_cmd_ifaces(int argc, char **argv)
{
	static const char *const heads[NCOLS] = {
		"IDX", "NAME", "STATE", "MTU", "TYPE", "MAC", "FLAGS", "ADDRESSES",
	};
	const struct gn_iface *ifs, **sel;
	const struct gn_ifaddr *addrs;
	struct gn_netdb *db;
	struct net_opts o;
	size_t nifs, naddrs, nsel = 0;
	int status = GN_EXIT_OK;

	if (parse_opts(argc, argv, "j", &o, &status) < 0)
		return status;
	if (open_db(&db) < 0)
		return GN_EXIT_FAIL;
	nifs = gn_netdb_ifaces(db, &ifs);
	naddrs = gn_netdb_addrs(db, &addrs);
	sel = calloc(nifs + (size_t)(argc - optind) + 1, sizeof(*sel));
	if (!sel) {
		gn_cli_err("ifaces: out of memory");
		gn_netdb_close(db);
		return GN_EXIT_FAIL;
	}
	if (optind == argc) {
		for (size_t i = 0; i < nifs; i++)
			sel[nsel++] = &ifs[i];
	}
	for (int i = optind; i < argc; i++) {
		const struct gn_iface *it = gn_netdb_iface_by_name(db, argv[i]);

		if (!it) {
			gn_cli_err("ifaces: no interface '%s'", argv[i]);
			status = GN_EXIT_FAIL;
		} else {
			sel[nsel++] = it;
		}
	}
	if (o.json) {
		gn_sb_putc(&gn_out, '[');
		for (size_t i = 0; i < nsel; i++) {
			if (i)
				gn_sb_putc(&gn_out, ',');
			iface_json(sel[i], addrs, naddrs, db, &gn_out);
		}
		gn_sb_puts(&gn_out, "]\n");
	} else if (nsel) {
		struct gn_strbuf cells[NCOLS];
		size_t width[NCOLS];

		for (int c = 0; c < NCOLS; c++) {
			gn_sb_init(&cells[c]);
			width[c] = strlen(heads[c]);
		}
		for (size_t i = 0; i < nsel; i++) {
			iface_row(sel[i], addrs, naddrs, cells);
			for (int c = 0; c < NCOLS; c++)
				if (cells[c].len > width[c])
					width[c] = cells[c].len;
		}
		for (int c = 0; c < NCOLS - 1; c++)
			gn_sb_printf(&gn_out, "%-*s  ", (int)width[c], heads[c]);
		gn_sb_printf(&gn_out, "%s\n", heads[NCOLS - 1]);
		for (size_t i = 0; i < nsel; i++) {
			iface_row(sel[i], addrs, naddrs, cells);
			for (int c = 0; c < NCOLS - 1; c++)
				gn_sb_printf(&gn_out, "%-*s  ", (int)width[c],
					     cells[c].s ? cells[c].s : "");
			gn_sb_puts(&gn_out, cells[NCOLS - 1].s ? cells[NCOLS - 1].s : "");
			/* no padding left at the end of a row without addresses */
			while (gn_out.len && gn_out.s[gn_out.len - 1] == ' ')
				gn_out.s[--gn_out.len] = '\0';
			gn_sb_putc(&gn_out, '\n');
		}
		for (int c = 0; c < NCOLS; c++)
			gn_sb_free(&cells[c]);
	}
	free(sel);
	gn_netdb_close(db);
	return status;
}

/* ---- gannet route ------------------------------------------------------------- */

static const char *ifname_of(const struct gn_netdb *db, int index)
{
	const struct gn_iface *it = gn_netdb_iface_by_index(db, index);

	return it ? it->name : "?";
}

static const char *route_pref_name(uint8_t pref, char *buf, size_t n)
{
	switch (pref) {
	case 0:
		return "medium";
	case 1:
		return "high";
	case 3:
		return "low";
	}
	snprintf(buf, n, "%u", pref);
	return buf;
}

/* A route the way `ip route` prints it. */
static void route_text(const struct gn_netdb *db, const struct gn_route *r, bool show_table,
		       struct gn_strbuf *sb)
{
	char a[ADDRSTR], buf[16];

	if (r->type != RTN_UNICAST)
		gn_sb_printf(sb, "%s ", gn_nl_rtn_name(r->type));
	if (!r->dst_len)
		gn_sb_puts(sb, "default");
	else if (r->dst_len == 8 * (r->family == AF_INET ? 4 : 16))
		gn_sb_puts(sb, addr_str(r->family, r->dst, a));
	else
		gn_sb_printf(sb, "%s/%u", addr_str(r->family, r->dst, a), r->dst_len);
	if (r->has_gateway)
		gn_sb_printf(sb, " via %s", addr_str(r->family, r->gateway, a));
	if (r->oif)
		gn_sb_printf(sb, " dev %s", ifname_of(db, r->oif));
	if (show_table && r->table != RT_TABLE_MAIN)
		gn_sb_printf(sb, " table %s", gn_nl_table_name(r->table, buf, sizeof(buf)));
	if (r->protocol != RTPROT_BOOT)
		gn_sb_printf(sb, " proto %s", gn_nl_proto_name(r->protocol, buf, sizeof(buf)));
	if (r->scope != RT_SCOPE_UNIVERSE)
		gn_sb_printf(sb, " scope %s", gn_nl_scope_name(r->scope, buf, sizeof(buf)));
	if (r->has_prefsrc)
		gn_sb_printf(sb, " src %s", addr_str(r->family, r->prefsrc, a));
	/* IPv6 routes always carry their metric, IPv4 ones only when set. */
	if (r->priority || r->family == AF_INET6)
		gn_sb_printf(sb, " metric %u", r->priority);
	if (r->nhops > 1)
		gn_sb_printf(sb, " nexthops %u", r->nhops);
	if (r->flags & RTNH_F_DEAD)
		gn_sb_puts(sb, " dead");
	if (r->flags & RTNH_F_ONLINK)
		gn_sb_puts(sb, " onlink");
	if (r->flags & RTNH_F_LINKDOWN)
		gn_sb_puts(sb, " linkdown");
	if (r->pref != 0xff)
		gn_sb_printf(sb, " pref %s", route_pref_name(r->pref, buf, sizeof(buf)));
	gn_sb_putc(sb, '\n');
}

static void route_json(const struct gn_netdb *db, const struct gn_route *r, struct gn_strbuf *sb)
{
	char a[ADDRSTR], buf[16];

	gn_sb_printf(sb, "{\"type\":\"%s\",\"dst\":", gn_nl_rtn_name(r->type));
	if (!r->dst_len)
		gn_sb_puts(sb, "\"default\"");
	else
		gn_sb_printf(sb, "\"%s/%u\"", addr_str(r->family, r->dst, a), r->dst_len);
	gn_sb_printf(sb, ",\"family\":\"%s\"", family_name(r->family));
	if (r->has_gateway)
		gn_sb_printf(sb, ",\"gateway\":\"%s\"", addr_str(r->family, r->gateway, a));
	if (r->oif) {
		gn_sb_puts(sb, ",\"dev\":");
		gn_sb_json_str(sb, ifname_of(db, r->oif), strlen(ifname_of(db, r->oif)));
	}
	gn_sb_printf(sb, ",\"table\":\"%s\"", gn_nl_table_name(r->table, buf, sizeof(buf)));
	gn_sb_printf(sb, ",\"protocol\":\"%s\"", gn_nl_proto_name(r->protocol, buf, sizeof(buf)));
	gn_sb_printf(sb, ",\"scope\":\"%s\"", gn_nl_scope_name(r->scope, buf, sizeof(buf)));
	if (r->has_prefsrc)
		gn_sb_printf(sb, ",\"prefsrc\":\"%s\"", addr_str(r->family, r->prefsrc, a));
	gn_sb_printf(sb, ",\"metric\":%u,\"nexthops\":%u,\"flags\":[", r->priority, r->nhops);
	gn_sb_puts(sb, (r->flags & RTNH_F_DEAD) ? "\"dead\"" : "");
	gn_sb_puts(sb, (r->flags & RTNH_F_LINKDOWN) ?
		   ((r->flags & RTNH_F_DEAD) ? ",\"linkdown\"" : "\"linkdown\"") : "");
	gn_sb_puts(sb, "]}");
}

/* --table: a name, a number, or "all" (*all set). */
static int parse_table(const char *s, uint32_t *table, bool *all)
{
	uint64_t v;

	*all = false;
	if (!s || !strcmp(s, "main"))
		*table = RT_TABLE_MAIN;
	else if (!strcmp(s, "local"))
		*table = RT_TABLE_LOCAL;
	else if (!strcmp(s, "default"))
		*table = RT_TABLE_DEFAULT;
	else if (!strcmp(s, "all"))
		*all = true;
	else if (gn_cli_parse_u64(s, &v) && v <= UINT32_MAX)
		*table = (uint32_t)v;
	else
		return -EINVAL;
	return 0;
}

static int route_table(const struct gn_netdb *db, const struct net_opts *o, uint32_t table,
		       bool all)
{
	const struct gn_route *routes;
	size_t n = gn_netdb_routes(db, &routes), shown = 0;
	static const int families[] = { AF_INET, AF_INET6 };

	if (o->json)
		gn_sb_putc(&gn_out, '[');
	for (size_t f = 0; f < 2; f++) {
		if (o->family && o->family != families[f])
			continue;
		for (size_t i = 0; i < n; i++) {
			const struct gn_route *r = &routes[i];

			if (r->family != families[f] || (!all && r->table != table))
				continue;
			if (o->json) {
				if (shown)
					gn_sb_putc(&gn_out, ',');
				route_json(db, r, &gn_out);
			} else {
				route_text(db, r, all, &gn_out);
			}
			shown++;
			gn_out_maybe_flush();
		}
	}
	if (o->json)
		gn_sb_puts(&gn_out, "]\n");
	return GN_EXIT_OK;
}

/* The route to one destination, in `ip route get`'s words. */
static void result_text(const struct gn_route_result *res, struct gn_strbuf *sb)
{
	char a[ADDRSTR], buf[16];

	if (res->type != RTN_UNICAST)
		gn_sb_printf(sb, "%s ", gn_nl_rtn_name(res->type));
	gn_sb_puts(sb, addr_str(res->family, res->dst, a));
	if (res->has_gateway)
		gn_sb_printf(sb, " via %s", addr_str(res->family, res->nexthop, a));
	gn_sb_printf(sb, " dev %s", res->ifname);
	if (res->override)
		gn_sb_puts(sb, " table gannet");
	else if (res->table != RT_TABLE_MAIN && res->table)
		gn_sb_printf(sb, " table %s", gn_nl_table_name(res->table, buf, sizeof(buf)));
	if (res->has_src)
		gn_sb_printf(sb, " src %s", addr_str(res->family, res->src, a));
	/* ip prints the metric of IPv6 routes only: IPv4 answers come from
	 * a route cache entry that has none. */
	if (res->family == AF_INET6)
		gn_sb_printf(sb, " metric %u", res->metric);
	gn_sb_putc(sb, '\n');
}

static void result_json(const struct gn_route_result *res, struct gn_strbuf *sb)
{
	char a[ADDRSTR], buf[16];

	gn_sb_printf(sb, "{\"type\":\"%s\",\"dst\":\"%s\",\"family\":\"%s\"",
		     gn_nl_rtn_name(res->type), addr_str(res->family, res->dst, a),
		     family_name(res->family));
	if (res->has_gateway)
		gn_sb_printf(sb, ",\"gateway\":\"%s\"", addr_str(res->family, res->nexthop, a));
	gn_sb_printf(sb, ",\"nexthop\":\"%s\",\"dev\":", addr_str(res->family, res->nexthop, a));
	gn_sb_json_str(sb, res->ifname, strlen(res->ifname));
	gn_sb_printf(sb, ",\"ifindex\":%d", res->oif);
	if (res->has_src)
		gn_sb_printf(sb, ",\"prefsrc\":\"%s\"", addr_str(res->family, res->src, a));
	gn_sb_printf(sb, ",\"table\":\"%s\",\"metric\":%u,\"prefixlen\":%u,\"override\":%s}",
		     res->override ? "gannet" : gn_nl_table_name(res->table, buf, sizeof(buf)),
		     res->metric, res->dst_len, res->override ? "true" : "false");
}

int gn_cmd_route(int argc, char **argv)
{
	const char *cmd = argv[0];
	struct gn_netdb *db;
	struct net_opts o;
	uint32_t table;
	bool all;
	int status = GN_EXIT_OK, n = 0;

	if (parse_opts(argc, argv, "j46t", &o, &status) < 0)
		return status;
	if (parse_table(o.table, &table, &all) < 0)
		return gn_cli_usage_error(cmd, "%s: '%s' is not a table (main, local, default, "
					  "all or a number)", cmd, o.table);
	if (o.table && optind < argc)
		return gn_cli_usage_error(cmd, "%s: --table lists a table; a lookup (DST) "
					  "follows the rules", cmd);
	if (open_db(&db) < 0)
		return GN_EXIT_FAIL;
	if (optind == argc) {
		status = route_table(db, &o, table, all);
		gn_netdb_close(db);
		return status;
	}
	if (o.json)
		gn_sb_putc(&gn_out, '[');
	for (int i = optind; i < argc; i++) {
		struct gn_route_result res;
		struct gn_error err = { 0 };
		uint8_t addr[16];
		int family;

		if (gn_cli_resolve_host("route", argv[i], o.family, &family, addr) < 0) {
			status = GN_EXIT_FAIL;
			continue;
		}
		if (gn_netdb_route_get(db, family, addr, &res, &err) < 0) {
			gn_cli_err("%s", err.msg);
			status = GN_EXIT_FAIL;
			continue;
		}
		if (o.json) {
			if (n)
				gn_sb_putc(&gn_out, ',');
			result_json(&res, &gn_out);
		} else {
			result_text(&res, &gn_out);
		}
		n++;
	}
	if (o.json)
		gn_sb_puts(&gn_out, "]\n");
	gn_netdb_close(db);
	return status;
}

/* ---- gannet neigh --------------------------------------------------------------- */

static void neigh_states(uint16_t state, struct gn_strbuf *sb, bool json)
{
	static const struct { uint16_t bit; const char *name; } tab[] = {
		{ NUD_INCOMPLETE, "INCOMPLETE" }, { NUD_REACHABLE, "REACHABLE" },
		{ NUD_STALE, "STALE" }, { NUD_DELAY, "DELAY" }, { NUD_PROBE, "PROBE" },
		{ NUD_FAILED, "FAILED" }, { NUD_NOARP, "NOARP" },
		{ NUD_PERMANENT, "PERMANENT" },
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (!(state & tab[i].bit))
			continue;
		if (json)
			gn_sb_printf(sb, "%s\"%s\"", n ? "," : "", tab[i].name);
		else
			gn_sb_printf(sb, "%s%s", n ? " " : "", tab[i].name);
		n++;
	}
	if (!n && !json)
		gn_sb_puts(sb, "NONE");
}

int gn_cmd_neigh(int argc, char **argv)
{
	const char *cmd = argv[0];
	const struct gn_neigh *ns;
	struct gn_netdb *db;
	struct net_opts o;
	size_t n, shown = 0;
	int status = GN_EXIT_OK;

	if (parse_opts(argc, argv, "j46a", &o, &status) < 0)
		return status;
	if (optind < argc)
		return gn_cli_usage_error(cmd, "%s: unexpected argument '%s'", cmd, argv[optind]);
	if (open_db(&db) < 0)
		return GN_EXIT_FAIL;
	n = gn_netdb_neighs(db, &ns);
	if (o.json)
		gn_sb_putc(&gn_out, '[');
	for (size_t i = 0; i < n; i++) {
		const struct gn_neigh *e = &ns[i];
		char a[ADDRSTR], ll[LLSTR];
		const char *dev = ifname_of(db, e->ifindex);

		if (o.family && e->family != o.family)
			continue;
		/* As ip shows them: no NOARP entries (multicast, lo) unless asked. */
		if (!o.all && (!e->state || (e->state & NUD_NOARP)))
			continue;
		addr_str(e->family, e->dst, a);
		gn_nl_lladdr_str(e->lladdr, e->lladdr_len, ll, sizeof(ll));
		if (o.json) {
			gn_sb_printf(&gn_out, "%s{\"dst\":\"%s\",\"family\":\"%s\",\"dev\":",
				     shown ? "," : "", a, family_name(e->family));
			gn_sb_json_str(&gn_out, dev, strlen(dev));
			if (e->lladdr_len)
				gn_sb_printf(&gn_out, ",\"lladdr\":\"%s\"", ll);
			if (e->flags & NTF_ROUTER)
				gn_sb_puts(&gn_out, ",\"router\":null");
			gn_sb_puts(&gn_out, ",\"state\":[");
			neigh_states(e->state, &gn_out, true);
			gn_sb_puts(&gn_out, "]}");
		} else {
			gn_sb_printf(&gn_out, "%s dev %s", a, dev);
			if (e->lladdr_len)
				gn_sb_printf(&gn_out, " lladdr %s", ll);
			if (e->flags & NTF_ROUTER)
				gn_sb_puts(&gn_out, " router");
			gn_sb_putc(&gn_out, ' ');
			neigh_states(e->state, &gn_out, false);
			gn_sb_putc(&gn_out, '\n');
		}
		shown++;
		gn_out_maybe_flush();
	}
	if (o.json)
		gn_sb_puts(&gn_out, "]\n");
	gn_netdb_close(db);
	return status;
}
