// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet arping: Scapy's arping() — an ARP who-has to every address of a
 * network, broadcast out of one interface, and a table of who answered.
 * Every answer is kept (sr's multi), so two machines claiming one address
 * are both seen and flagged: the classic sign of an address conflict or of
 * someone spoofing ARP.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <net/if_arp.h>

#include "cli.h"

#define CMD "arping"
/* Beyond this many addresses (a /16), --force: a typo such as /8 for /24
 * would otherwise flood a LAN with 16 million broadcasts. */
#define MAX_ADDRS 65536

struct host {
	uint32_t ip;      /* host order, for sorting */
	uint8_t mac[6];
	double rtt_ms;
};

struct job {
	const char *iface;
	struct gn_sr_opts so;
	bool force;
	bool json;
	char *targets;    /* the pdst value, in the expression language */
};

/* One NET word: an IPv4 address, a network A.B.C.D/N, or a host name
 * (resolved here, so that an unknown name is one clear error).  Appended
 * to sb as a quoted string of the expression language. */
static int add_target(struct gn_strbuf *sb, const char *word)
{
	char addr[64], text[INET_ADDRSTRLEN];
	const char *slash = strchr(word, '/');
	uint8_t a[16];
	long prefix = 32;
	int fam;

	if (slash) {
		char *end;

		if ((size_t)(slash - word) >= sizeof(addr))
			goto bad;
		memcpy(addr, word, (size_t)(slash - word));
		addr[slash - word] = '\0';
		errno = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (errno || end == slash + 1 || *end || prefix < 0 || prefix > 32 ||
		    inet_pton(AF_INET, addr, a) != 1)
			goto bad;
		gn_sb_printf(sb, "\"%s/%ld\"", inet_ntop(AF_INET, a, text, sizeof(text)), prefix);
		return 0;
	}
	/* digits and dots only (a range "10.0.0.1-20", a short "10.1"): no
	 * name, so no lookup that would only say "not found" */
	if (!*word || strpbrk(word, "\"'\\ ") || inet_pton(AF_INET6, word, a) == 1 ||
	    (strspn(word, "0123456789.-") == strlen(word) && inet_pton(AF_INET, word, a) != 1))
		goto bad;
	if (gn_cli_resolve_host(CMD, word, AF_INET, &fam, a) < 0)
		return -ENOENT;
	gn_sb_printf(sb, "\"%s\"", inet_ntop(AF_INET, a, text, sizeof(text)));
	return 0;
bad:
	gn_cli_usage_error(CMD, CMD ": '%s' is not an IPv4 address or network "
			   "(10.0.0.1, 10.0.0.0/24)", word);
	return -EINVAL;
}

enum { OPT_TIMEOUT = 256, OPT_RETRY, OPT_FORCE };

static int parse_args(struct job *j, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface",   required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "retry",   required_argument, NULL, OPT_RETRY },
		{ "force",   no_argument,       NULL, OPT_FORCE },
		{ "json",    no_argument,       NULL, 'j' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct gn_strbuf sb;
	int opt, rc;

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
		case OPT_RETRY:
			if (gn_cli_parse_int(optarg, &j->so.retry) || j->so.retry < 0)
				return gn_cli_usage_error(CMD, CMD ": bad retry '%s' (an integer >= 0)",
							  optarg);
			break;
		case OPT_FORCE:
			j->force = true;
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
	if (optind >= argc)
		return gn_cli_usage_error(CMD, CMD ": missing network (10.0.0.0/24) or address");
	gn_sb_init(&sb);
	if (argc - optind > 1)
		gn_sb_putc(&sb, '[');
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			gn_sb_putc(&sb, ',');
		rc = add_target(&sb, argv[i]);
		if (rc) {
			gn_sb_free(&sb);
			return rc == -EINVAL ? GN_EXIT_USAGE : GN_EXIT_FAIL;
		}
	}
	if (argc - optind > 1)
		gn_sb_putc(&sb, ']');
	if (sb.err) {
		gn_sb_free(&sb);
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	j->targets = sb.s;
	return 0;
}

/* ---- the interface ---------------------------------------------------------- */

/* Where NET is: the interface with an address on the same subnet as the
 * first target, else the one the route to it leaves by (as Scapy's
 * conf.route.route(net) picks it). */
static int pick_iface(const struct gn_netdb *db, const uint8_t target[4], char *name, size_t n)
{
	const struct gn_ifaddr *addrs;
	size_t na = gn_netdb_addrs(db, &addrs);
	struct gn_route_result rt;
	struct gn_error err = { 0 };
	const struct gn_iface *ifc;
	uint32_t t, a, mask;
	char text[INET_ADDRSTRLEN];

	memcpy(&t, target, 4);
	for (size_t i = 0; i < na; i++) {
		if (addrs[i].family != AF_INET || addrs[i].prefixlen == 0)
			continue;
		memcpy(&a, addrs[i].addr, 4);
		mask = htonl(addrs[i].prefixlen >= 32 ? 0xffffffffu
						      : ~(0xffffffffu >> addrs[i].prefixlen));
		ifc = gn_netdb_iface_by_index(db, addrs[i].ifindex);
		if (ifc && ifc->type == ARPHRD_ETHER && ((a ^ t) & mask) == 0) {
			snprintf(name, n, "%s", ifc->name);
			return 0;
		}
	}
	inet_ntop(AF_INET, target, text, sizeof(text));
	if (gn_netdb_route_get(db, AF_INET, target, &rt, &err) < 0) {
		gn_cli_err(CMD ": %s: name an interface with -i", err.code ? err.msg : text);
		return -ENETUNREACH;
	}
	ifc = gn_netdb_iface_by_index(db, rt.oif);
	if (!ifc || ifc->type != ARPHRD_ETHER) {
		gn_cli_err(CMD ": the route to %s leaves by %s, which is not Ethernet: "
			   "name an interface with -i", text, ifc ? ifc->name : "?");
		return -ENODEV;
	}
	snprintf(name, n, "%s", ifc->name);
	return 0;
}

/* ---- probes and answers ------------------------------------------------------- */

/* Probes are made, sent and forgotten a batch at a time: a /16 or more
 * (with --force) would otherwise hold every probe twice in memory. */
#define BATCH 16384

struct hosts {
	struct host *v;
	size_t n, cap;
};

/* Ether(dst=broadcast)/ARP(pdst=NET): the template, checked for size. */
static int make_template(const struct job *j, struct gn_packet **tmpl, uint64_t *count)
{
	struct gn_strbuf text;
	struct gn_error err = { 0 };
	int rc, status = GN_EXIT_FAIL;

	gn_sb_init(&text);
	gn_sb_printf(&text, "Ether(dst=\"ff:ff:ff:ff:ff:ff\")/ARP(pdst=%s)", j->targets);
	rc = text.err ? text.err : gn_parse(text.s, tmpl, &err);
	gn_sb_free(&text);
	if (rc < 0) {
		gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
		return status;
	}
	*count = gn_expand_count(*tmpl);
	if (*count > MAX_ADDRS && !j->force)
		return gn_cli_usage_error(CMD, CMD ": %llu addresses to probe, more than %d (a /16): "
					  "add --force to probe them all",
					  (unsigned long long)*count, MAX_ADDRS);
	if (!*count) {
		gn_cli_err(CMD ": no address to probe");
		return status;
	}
	return GN_EXIT_OK;
}

/* The first address of the template, to find the interface by. */
static int first_target(const struct gn_packet *tmpl, uint8_t first[4])
{
	struct gn_packet *p = gn_packet_new();
	struct gn_expander *x = NULL;
	const struct gn_value *v;
	int rc = -ENOMEM;

	if (p && !gn_expand_new(tmpl, &x) && gn_expand_next(x, p) == 1) {
		v = gn_cli_field(p, "ARP", "pdst");
		rc = -EINVAL;
		if (v && v->type == GN_V_ADDR && v->alen == 4) {
			memcpy(first, v->addr, 4);
			rc = 0;
		}
	}
	gn_expand_free(x);
	gn_packet_free(p);
	if (rc)
		gn_cli_err(CMD ": the probes have no IPv4 target");
	return rc;
}

/* The next batch of probes from x into v[0..*n), living in arena a (one
 * arena for all rather than one each); 1: there may be more. */
static int next_batch(struct gn_expander *x, struct gn_packet *p, struct gn_arena *a,
		      struct gn_packet **v, size_t *n)
{
	int rc = 1;

	*n = 0;
	while (*n < BATCH && (rc = gn_expand_next(x, p)) == 1) {
		v[*n] = gn_packet_copy_in(a, p);
		if (!v[*n])
			return -ENOMEM;
		(*n)++;
	}
	return rc;
}

/* Every (address, MAC) that answered, with its round trip. */
static int collect(const struct gn_sr_result *res, struct hosts *hs)
{
	for (size_t i = 0; i < res->npairs; i++) {
		const struct gn_sr_pair *pr = &res->pairs[i];
		const struct gn_value *ip = gn_cli_field(pr->reply, "ARP", "psrc");
		const struct gn_value *mac = gn_cli_field(pr->reply, "ARP", "hwsrc");
		struct host *h;

		if (!ip || !mac || ip->type != GN_V_ADDR || ip->alen != 4 ||
		    mac->type != GN_V_ADDR || mac->alen != 6)
			continue;
		if (hs->n == hs->cap) {
			size_t cap = hs->cap ? 2 * hs->cap : 64;
			struct host *nv = realloc(hs->v, cap * sizeof(*nv));

			if (!nv)
				return -ENOMEM;
			hs->v = nv;
			hs->cap = cap;
		}
		h = &hs->v[hs->n++];
		memcpy(&h->ip, ip->addr, 4);
		h->ip = ntohl(h->ip);
		memcpy(h->mac, mac->addr, 6);
		h->rtt_ms = (double)(pr->recv_ns - pr->sent_ns) / 1e6;
	}
	return 0;
}

static int host_cmp(const void *a, const void *b)
{
	const struct host *x = a, *y = b;
	int c;

	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	c = memcmp(x->mac, y->mac, 6);
	if (c)
		return c;
	return x->rtt_ms < y->rtt_ms ? -1 : x->rtt_ms > y->rtt_ms;
}

/* Sorted by address, one entry per (address, MAC): the quickest answer
 * (a MAC answering again, on a retry, is the same host). */
static void sort_unique(struct hosts *hs)
{
	size_t k = 0;

	if (!hs->n)
		return;
	qsort(hs->v, hs->n, sizeof(*hs->v), host_cmp);
	for (size_t i = 1; i < hs->n; i++)
		if (hs->v[i].ip != hs->v[k].ip || memcmp(hs->v[i].mac, hs->v[k].mac, 6))
			hs->v[++k] = hs->v[i];
	hs->n = k + 1;
}

static const char *ip_text(uint32_t ip, char *buf)
{
	uint32_t be = htonl(ip);

	return inet_ntop(AF_INET, &be, buf, INET_ADDRSTRLEN);
}

static const char *mac_text(const uint8_t *mac, char *buf)
{
	return gn_nl_lladdr_str(mac, 6, buf, 18);
}

/* The hosts hosts[i..end) share one address; end returned. */
static size_t same_ip_end(const struct host *hosts, size_t n, size_t i)
{
	size_t e = i + 1;

	while (e < n && hosts[e].ip == hosts[i].ip)
		e++;
	return e;
}

static void print_text(const char *iface, const struct host *hosts, size_t n, size_t probed,
		       double secs)
{
	char ip[INET_ADDRSTRLEN], mac[18];
	size_t up = 0;

	if (n)
		gn_sb_printf(&gn_out, "%-17s  %-15s  %s\n", "MAC", "IP", "RTT");
	for (size_t i = 0; i < n; i++)
		gn_sb_printf(&gn_out, "%-17s  %-15s  %.3f ms\n", mac_text(hosts[i].mac, mac),
			     ip_text(hosts[i].ip, ip), hosts[i].rtt_ms);
	for (size_t i = 0, e; i < n; i = e) {
		e = same_ip_end(hosts, n, i);
		up++;
		if (e - i < 2)
			continue;
		gn_sb_printf(&gn_out, "DUPLICATE: %s is at ", ip_text(hosts[i].ip, ip));
		for (size_t k = i; k < e; k++)
			gn_sb_printf(&gn_out, "%s%s", k == i ? "" : k + 1 == e ? " and " : ", ",
				     mac_text(hosts[k].mac, mac));
		gn_sb_putc(&gn_out, '\n');
	}
	gn_sb_printf(&gn_out, "%zu host%s up (%zu address%s probed on %s in %.2f s)\n", up,
		     up == 1 ? "" : "s", probed, probed == 1 ? "" : "es", iface, secs);
}

static void print_json(const char *iface, const struct host *hosts, size_t n, size_t probed,
		       double secs)
{
	char ip[INET_ADDRSTRLEN], mac[18];
	size_t up = 0;
	bool first = true;

	gn_sb_puts(&gn_out, "{\"iface\":");
	gn_sb_json_str(&gn_out, iface, strlen(iface));
	gn_sb_printf(&gn_out, ",\"probed\":%zu,\"hosts\":[", probed);
	for (size_t i = 0; i < n; i++)
		gn_sb_printf(&gn_out, "%s{\"ip\":\"%s\",\"mac\":\"%s\",\"rtt_ms\":%.3f}",
			     i ? "," : "", ip_text(hosts[i].ip, ip), mac_text(hosts[i].mac, mac),
			     hosts[i].rtt_ms);
	gn_sb_puts(&gn_out, "],\"duplicates\":[");
	for (size_t i = 0, e; i < n; i = e) {
		e = same_ip_end(hosts, n, i);
		up++;
		if (e - i < 2)
			continue;
		gn_sb_printf(&gn_out, "%s{\"ip\":\"%s\",\"macs\":[", first ? "" : ",",
			     ip_text(hosts[i].ip, ip));
		for (size_t k = i; k < e; k++)
			gn_sb_printf(&gn_out, "%s\"%s\"", k == i ? "" : ",",
				     mac_text(hosts[k].mac, mac));
		gn_sb_puts(&gn_out, "]}");
		first = false;
	}
	gn_sb_printf(&gn_out, "],\"up\":%zu,\"seconds\":%.3f}\n", up, secs);
}

/* Probe every address of tmpl out of iface, a batch at a time. */
static int sweep(const struct job *j, struct gn_netdb *db, const struct gn_packet *tmpl,
		 struct hosts *hs, size_t *probed)
{
	struct gn_packet **v = calloc(BATCH, sizeof(*v));
	struct gn_packet *p = gn_packet_new();
	struct gn_arena *a = gn_arena_new(1 << 20);
	struct gn_expander *x = NULL;
	/* 8 MiB of ring holds some 60,000 answers: more than a batch can
	 * bring, and it sets up in a fraction of the default 64 MiB's time */
	struct gn_io_opts o = { .sz = sizeof(o), .rx = true, .tx = true, .block_count = 8 };
	struct gn_io *io = NULL;
	int more = 1, status = GN_EXIT_OK;

	if (!v || !p || !a || gn_expand_new(tmpl, &x) < 0) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
		goto out;
	}
	status = gn_cli_open_one(j->iface, &o, &io);
	while (!status && more == 1 && !gn_cli_stop) {
		struct gn_sr_result res = { 0 };
		struct gn_error err = { 0 };
		size_t n;
		int rc;

		gn_arena_reset(a);
		more = next_batch(x, p, a, v, &n);
		if (more < 0) {
			gn_cli_err(CMD ": %s", gn_strerror(more));
			status = GN_EXIT_FAIL;
			break;
		}
		if (!n)
			break;
		status = gn_cli_probes_fill(CMD, db, j->iface, 0, v, &n);
		if (status)
			break;
		rc = gn_sr(io, v, n, &j->so, &res, &err);
		*probed += n;
		if (rc < 0) {
			gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
			status = GN_EXIT_FAIL;
		} else if (collect(&res, hs) < 0) {
			gn_cli_err("out of memory");
			status = GN_EXIT_FAIL;
		}
		gn_sr_result_free(&res);
	}
out:
	gn_io_close(io);
	gn_expand_free(x);
	gn_packet_free(p);
	gn_arena_free(a);
	free(v);
	return status;
}

int gn_cmd_arping(int argc, char **argv)
{
	struct job j = { 0 };
	struct gn_packet *tmpl = NULL;
	struct gn_netdb *db = NULL;
	struct gn_error err = { 0 };
	struct hosts hs = { 0 };
	char dflt[GN_IFNAMSIZ];
	uint8_t first[4];
	uint64_t count;
	size_t probed = 0;
	int64_t start;
	double secs;
	int rc, status;

	/* multi: every answer to a probe is kept, so duplicates show */
	j.so = (struct gn_sr_opts){ .sz = sizeof(j.so), .timeout = 2.0, .multi = true,
				    .stop = &gn_cli_stop };
	rc = parse_args(&j, argc, argv);
	if (rc) {
		free(j.targets);
		return rc < 0 ? GN_EXIT_OK : rc;
	}
	status = make_template(&j, &tmpl, &count);
	if (status)
		goto out;
	rc = gn_netdb_open(NULL, &db, &err);
	if (rc < 0) {
		gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
		goto out;
	}
	if (!j.iface) {
		if (first_target(tmpl, first) < 0 || pick_iface(db, first, dflt, sizeof(dflt)) < 0) {
			status = GN_EXIT_FAIL;
			goto out;
		}
		j.iface = dflt;
	}
	status = gn_cli_iface_check(CMD, db, j.iface, NULL);
	if (status)
		goto out;
	gn_cli_catch_stop();
	start = gn_monotonic_ns();
	status = sweep(&j, db, tmpl, &hs, &probed);
	if (status)
		goto out;
	secs = (double)(gn_monotonic_ns() - start) / 1e9;
	sort_unique(&hs);
	if (j.json)
		print_json(j.iface, hs.v, hs.n, probed, secs);
	else
		print_text(j.iface, hs.v, hs.n, probed, secs);
	/* as iputils' arping: 1 when nobody answered */
	status = hs.n ? GN_EXIT_OK : GN_EXIT_FAIL;
out:
	free(hs.v);
	gn_netdb_close(db);
	gn_packet_free(tmpl);
	free(j.targets);
	return status;
}
