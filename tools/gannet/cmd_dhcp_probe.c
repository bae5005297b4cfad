// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet dhcp-probe: Scapy's DHCP discover recipe, to find every DHCP
 * server of a LAN (rogue ones included).  One DISCOVER is broadcast from
 * 0.0.0.0 with the interface's MAC as chaddr; sr's multi keeps every
 * answer, and checkIPaddr is off since offers come from addresses the
 * probe never named (Scapy's conf.checkIPaddr = False).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if_arp.h>
#include <sys/random.h>

#include "cli.h"

#define CMD "dhcp-probe"
#define DHCP_OFFER 2

struct job {
	const char *iface;
	struct gn_sr_opts so;
	bool json;
};

/* One server's offer, as printed. */
struct offer {
	char mac[18];
	char server_id[INET_ADDRSTRLEN];  /* option 54; "" when absent */
	char ip_src[INET_ADDRSTRLEN];
	char yiaddr[INET_ADDRSTRLEN];
	char mask[INET_ADDRSTRLEN];
	char router[64];                  /* addresses joined with ',' */
	char dns[128];
	int64_t lease;                    /* seconds; -1 when absent */
	double rtt_ms;
};

enum { OPT_TIMEOUT = 256 };

static int parse_args(struct job *j, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface",   required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "json",    no_argument,       NULL, 'j' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			j->iface = optarg;
			break;
		case OPT_TIMEOUT:
			if (!gn_cli_parse_positive(optarg, &j->so.timeout))
				return gn_cli_usage_error(CMD, CMD ": bad timeout '%s' (seconds > 0)",
							  optarg);
			break;
		case 'j':
			j->json = true;
			break;
		case 'h':
			gn_cli_help(CMD, stdout);
			return -1;
		default:
			return gn_cli_bad_option(CMD, opt, argc, argv);
		}
	}
	if (optind < argc)
		return gn_cli_usage_error(CMD, CMD ": unexpected argument '%s'", argv[optind]);
	return 0;
}

/* Ether/IP/UDP/BOOTP/DHCP discover from mac, with transaction id xid. */
static int make_discover(const uint8_t mac[6], uint32_t xid, struct gn_packet **out)
{
	struct gn_strbuf text;
	struct gn_error err = { 0 };
	char m[18];
	int rc;

	gn_nl_lladdr_str(mac, 6, m, sizeof(m));
	gn_sb_init(&text);
	gn_sb_printf(&text, "Ether(dst=\"ff:ff:ff:ff:ff:ff\",src=\"%s\")/"
		     "IP(src=\"0.0.0.0\",dst=\"255.255.255.255\")/UDP(sport=68,dport=67)/"
		     "BOOTP(chaddr=b\"", m);
	for (int i = 0; i < 6; i++)
		gn_sb_printf(&text, "\\x%02x", mac[i]);
	/* the parameter request list asks for what is printed: mask, router,
	 * DNS, lease time, server id (servers send only what is asked for) */
	gn_sb_printf(&text, "\",xid=%u)/DHCP(options=[(\"message-type\",\"discover\"),"
		     "(\"param_req_list\",[1,3,6,51,54]),\"end\"])", xid);
	rc = text.err ? text.err : gn_parse(text.s, out, &err);
	if (rc < 0)
		gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
	gn_sb_free(&text);
	return rc;
}

/* ---- reading offers ------------------------------------------------------------ */

/* The values of DHCP option name in reply, or NULL: items[1..len) of its tuple. */
static const struct gn_value *dhcp_option(const struct gn_packet *r, const char *name)
{
	const struct gn_value *opts = gn_cli_field(r, "DHCP", "options");
	size_t n = strlen(name);

	for (uint32_t i = 0; opts && opts->type == GN_V_LIST && i < opts->len; i++) {
		const struct gn_value *t = &opts->items[i];

		if (t->type == GN_V_TUPLE && t->len >= 2 && t->items[0].type == GN_V_NAME &&
		    t->items[0].len == n && !memcmp(t->items[0].bytes, name, n))
			return t;
	}
	return NULL;
}

/* The IPv4 addresses of option name, joined with ','. */
static void option_addrs(const struct gn_packet *r, const char *name, char *buf, size_t n)
{
	const struct gn_value *t = dhcp_option(r, name);
	size_t off = 0;

	buf[0] = '\0';
	for (uint32_t i = 1; t && i < t->len; i++) {
		char a[INET_ADDRSTRLEN];

		if (t->items[i].type != GN_V_ADDR || t->items[i].alen != 4)
			continue;
		inet_ntop(AF_INET, t->items[i].addr, a, sizeof(a));
		if (off + strlen(a) + 2 > n)
			break;
		off += (size_t)snprintf(buf + off, n - off, "%s%s", off ? "," : "", a);
	}
}

/* An offer out of reply; false when it is not one. */
static bool read_offer(const struct gn_sr_pair *pr, struct offer *o)
{
	const struct gn_packet *r = pr->reply;
	const struct gn_value *t = dhcp_option(r, "message-type");

	if (!t || t->items[1].type != GN_V_INT || t->items[1].u != DHCP_OFFER)
		return false;
	memset(o, 0, sizeof(*o));
	if (!gn_cli_field_addr(r, "Ether", "src", o->mac, sizeof(o->mac)))
		snprintf(o->mac, sizeof(o->mac), "?");
	if (!gn_cli_field_addr(r, "IP", "src", o->ip_src, sizeof(o->ip_src)))
		snprintf(o->ip_src, sizeof(o->ip_src), "?");
	if (!gn_cli_field_addr(r, "BOOTP", "yiaddr", o->yiaddr, sizeof(o->yiaddr)))
		snprintf(o->yiaddr, sizeof(o->yiaddr), "?");
	option_addrs(r, "server_id", o->server_id, sizeof(o->server_id));
	option_addrs(r, "subnet_mask", o->mask, sizeof(o->mask));
	option_addrs(r, "router", o->router, sizeof(o->router));
	option_addrs(r, "name_server", o->dns, sizeof(o->dns));
	t = dhcp_option(r, "lease_time");
	o->lease = t && t->items[1].type == GN_V_INT ? (int64_t)t->items[1].u : -1;
	o->rtt_ms = (double)(pr->recv_ns - pr->sent_ns) / 1e6;
	return true;
}

static bool same_offer(const struct offer *a, const struct offer *b)
{
	return !strcmp(a->mac, b->mac) && !strcmp(a->server_id, b->server_id) &&
	       !strcmp(a->yiaddr, b->yiaddr);
}

/* ---- output ------------------------------------------------------------------------ */

static const char *or_dash(const char *s)
{
	return *s ? s : "-";
}

static void print_text(const char *iface, uint32_t xid, const struct offer *o, size_t n)
{
	gn_sb_printf(&gn_out, "DHCP DISCOVER on %s (xid 0x%08x): %zu offer%s\n", iface, xid, n,
		     n == 1 ? "" : "s");
	if (!n)
		return;
	gn_sb_printf(&gn_out, "%-17s  %-15s  %-15s  %-15s  %-8s  %-15s  %-15s  %s\n",
		     "SERVER MAC", "SERVER ID", "IP SRC", "OFFERED", "LEASE", "MASK", "ROUTER",
		     "DNS");
	for (size_t i = 0; i < n; i++) {
		char lease[24];

		if (o[i].lease < 0)
			snprintf(lease, sizeof(lease), "-");
		else if (o[i].lease == 0xffffffff)
			snprintf(lease, sizeof(lease), "infinite");
		else
			snprintf(lease, sizeof(lease), "%llds", (long long)o[i].lease);
		gn_sb_printf(&gn_out, "%-17s  %-15s  %-15s  %-15s  %-8s  %-15s  %-15s  %s\n",
			     o[i].mac, or_dash(o[i].server_id), o[i].ip_src, o[i].yiaddr, lease,
			     or_dash(o[i].mask), or_dash(o[i].router), or_dash(o[i].dns));
	}
	if (n > 1)
		gn_sb_printf(&gn_out, "WARNING: %zu DHCP servers answer on %s\n", n, iface);
}

/* "a,b" as a JSON array of strings. */
static void json_list(const char *s)
{
	gn_sb_putc(&gn_out, '[');
	while (*s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		gn_sb_json_str(&gn_out, s, len);
		s += len;
		if (*s == ',') {
			gn_sb_putc(&gn_out, ',');
			s++;
		}
	}
	gn_sb_putc(&gn_out, ']');
}

static void json_addr(const char *key, const char *v)
{
	gn_sb_printf(&gn_out, ",\"%s\":", key);
	if (*v)
		gn_sb_json_str(&gn_out, v, strlen(v));
	else
		gn_sb_puts(&gn_out, "null");
}

static void print_json(const char *iface, uint32_t xid, const struct offer *o, size_t n)
{
	gn_sb_puts(&gn_out, "{\"iface\":");
	gn_sb_json_str(&gn_out, iface, strlen(iface));
	gn_sb_printf(&gn_out, ",\"xid\":%u,\"servers\":[", xid);
	for (size_t i = 0; i < n; i++) {
		gn_sb_printf(&gn_out, "%s{\"mac\":\"%s\"", i ? "," : "", o[i].mac);
		json_addr("server_id", o[i].server_id);
		json_addr("ip_src", o[i].ip_src);
		json_addr("offered", o[i].yiaddr);
		if (o[i].lease < 0)
			gn_sb_puts(&gn_out, ",\"lease_time\":null");
		else
			gn_sb_printf(&gn_out, ",\"lease_time\":%lld", (long long)o[i].lease);
		json_addr("subnet_mask", o[i].mask);
		gn_sb_puts(&gn_out, ",\"router\":");
		json_list(o[i].router);
		gn_sb_puts(&gn_out, ",\"dns\":");
		json_list(o[i].dns);
		gn_sb_printf(&gn_out, ",\"rtt_ms\":%.3f}", o[i].rtt_ms);
	}
	gn_sb_puts(&gn_out, "]}\n");
}

int gn_cmd_dhcp_probe(int argc, char **argv)
{
	struct job j = { 0 };
	struct gn_packet *probe = NULL;
	struct gn_netdb *db = NULL;
	struct gn_sr_result res = { 0 };
	/* a few offers: a small ring, quick to set up */
	struct gn_io_opts o = { .sz = sizeof(o), .rx = true, .tx = true, .block_count = 4 };
	struct gn_io *io = NULL;
	struct gn_error err = { 0 };
	const struct gn_iface *ifc;
	struct offer *offers = NULL;
	char dflt[GN_IFNAMSIZ];
	size_t noffers = 0;
	uint32_t xid;
	int rc, status;

	/* 5 s: servers that first ping the address they mean to offer (dnsmasq,
	 * ISC's ping-check) answer only after that ping times out, 3 s later */
	j.so = (struct gn_sr_opts){ .sz = sizeof(j.so), .timeout = 5.0, .multi = true,
				    .no_ipaddr_check = true, .stop = &gn_cli_stop };
	rc = parse_args(&j, argc, argv);
	if (rc)
		return rc < 0 ? GN_EXIT_OK : rc;
	if (!j.iface) {
		if (gn_cli_default_iface(dflt, sizeof(dflt)) < 0)
			return GN_EXIT_FAIL;
		j.iface = dflt;
	}
	rc = gn_netdb_open(NULL, &db, &err);
	if (rc < 0) {
		gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	status = gn_cli_iface_check(CMD, db, j.iface, &ifc);
	if (status)
		goto out;
	if (ifc->type != ARPHRD_ETHER || ifc->addr_len != 6) {
		gn_cli_err(CMD ": %s is not an Ethernet interface", j.iface);
		status = GN_EXIT_FAIL;
		goto out;
	}
	if (getrandom(&xid, sizeof(xid), 0) != sizeof(xid))
		xid = (uint32_t)getpid() * 2654435761u;
	status = GN_EXIT_FAIL;
	if (make_discover(ifc->addr, xid, &probe) < 0)
		goto out;
	gn_cli_catch_stop();
	status = gn_cli_open_one(j.iface, &o, &io);
	if (status)
		goto out;
	/* leaves by the io's only interface */
	probe->meta.ifindex = 0;
	rc = gn_sr(io, &probe, 1, &j.so, &res, &err);
	if (rc < 0) {
		gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
		goto out;
	}
	offers = calloc(res.npairs ? res.npairs : 1, sizeof(*offers));
	if (!offers) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
		goto out;
	}
	for (size_t i = 0; i < res.npairs; i++) {
		size_t k;

		if (!read_offer(&res.pairs[i], &offers[noffers]))
			continue;
		for (k = 0; k < noffers && !same_offer(&offers[k], &offers[noffers]); k++)
			;
		if (k == noffers)
			noffers++;
	}
	if (j.json)
		print_json(j.iface, xid, offers, noffers);
	else
		print_text(j.iface, xid, offers, noffers);
	status = noffers ? GN_EXIT_OK : GN_EXIT_FAIL;
out:
	free(offers);
	gn_sr_result_free(&res);
	gn_io_close(io);
	gn_netdb_close(db);
	gn_packet_free(probe);
	return status;
}
