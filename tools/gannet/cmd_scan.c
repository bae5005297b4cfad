// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet scan: a TCP SYN scan on layer-3 sr.  Every port of every host gets
 * IP(dst=HOST)/TCP(sport=S, dport=PORT, flags="S") from one random source
 * port S and sequence number per run; a SYN-ACK says open, a RST closed,
 * an ICMP unreachable or silence (after the retries) filtered, with the
 * reason.  The local kernel answers every SYN-ACK with a RST, as it does
 * under Scapy: the scan's results are not affected.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>

#include "cli.h"

#define MAX_PROBES (1u << 22)   /* 64 hosts of 65,535 ports, a /10 of one */
/* Probes per gn_sr round: each costs some 12 KiB while it is out (its
 * packet, its filled copy, the engine's dissection), so 65,535 ports of
 * many hosts go in slices of this many; a slice with silent ports waits
 * its timeout before the next. */
#define BATCH 16384
#define LIST_MAX 25             /* longer groups of closed/filtered ports are only counted */

enum state {
	ST_NOT_SENT,   /* the probe could not be filled (reported) */
	ST_OPEN,
	ST_CLOSED,
	ST_FILTERED,
};

static const char *const state_names[] = { "not-sent", "open", "closed", "filtered" };

struct host {
	char addr[INET6_ADDRSTRLEN];
	int family;
	uint8_t bin[16];
};

struct entry {
	uint8_t state;
	uint16_t reason;   /* index into the reasons */
};

struct job {
	const char *cmd;
	struct gn_sr_opts so;
	const char *ports_spec;
	const char *backend;      /* "auto": xdp where it attaches (no RST from the
				   * local stack), else afpacket */
	bool json, table, all;
	int family;
	uint16_t *ports;          /* ascending */
	size_t nports;
	int32_t *port_index;      /* [65536]: place in ports, -1 if not scanned */
	struct host *hosts;       /* in the order given */
	size_t nhosts, hosts_cap;
	size_t *by_addr;          /* host indices sorted by address */
	struct entry *entries;    /* [nhosts * nports] */
	uint16_t sport;           /* the run's source port and sequence number */
	uint32_t seq;
	char **reasons;           /* distinct reasons, interned */
	size_t nreasons;
};

/* ---- ports ----------------------------------------------------------------------- */

static int port_number(const char *s, size_t n, long *out)
{
	long v = 0;

	if (!n || n > 6)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return v < 1 || v > 65535 ? -ERANGE : 0;
}

/* nmap's -p: "22,80,443", "1-1024", "-" (every port), "-1024" (1-1024),
 * "60000-" (60000-65535), any mix of them with commas. */
static int parse_ports(struct job *j, const char *spec)
{
	uint8_t *seen = calloc(65536, 1);
	const char *p = spec;
	size_t n = 0;
	int status = GN_EXIT_OK;

	if (!seen) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		const char *dash = memchr(p, '-', len);
		long lo = 1, hi = 65535;
		int rc = 0, rc2 = 0;

		if (!len) {
			status = gn_cli_usage_error(j->cmd, "%s: bad port list '%s': an empty item",
						    j->cmd, spec);
			break;
		}
		if (dash) {
			if (dash > p)
				rc = port_number(p, (size_t)(dash - p), &lo);
			if (!rc && dash + 1 < p + len)
				rc2 = port_number(dash + 1, (size_t)(p + len - dash - 1), &hi);
			if (!rc)
				rc = rc2;
		} else {
			rc = port_number(p, len, &lo);
			hi = lo;
		}
		if (rc == -ERANGE)
			status = gn_cli_usage_error(j->cmd, "%s: bad port list '%s': '%.*s' is out "
						    "of range (ports are 1 to 65535)", j->cmd, spec,
						    (int)len, p);
		else if (rc)
			status = gn_cli_usage_error(j->cmd, "%s: bad port list '%s': '%.*s' is not "
						    "a port or a range (22, 1-1024, 60000-, -)",
						    j->cmd, spec, (int)len, p);
		else if (lo > hi)
			status = gn_cli_usage_error(j->cmd, "%s: bad port list '%s': the range "
						    "'%.*s' runs backwards", j->cmd, spec, (int)len,
						    p);
		if (status)
			break;
		for (long v = lo; v <= hi; v++)
			seen[v] = 1;
		if (!end)
			break;
		p = end + 1;
	}
	if (status) {
		free(seen);
		return status;
	}
	for (unsigned v = 1; v < 65536; v++)
		n += seen[v];
	j->ports = malloc(n * sizeof(*j->ports));
	j->port_index = malloc(65536 * sizeof(*j->port_index));
	if (!j->ports || !j->port_index) {
		free(seen);
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	j->nports = 0;
	for (unsigned v = 0; v < 65536; v++) {
		j->port_index[v] = seen[v] ? (int32_t)j->nports : -1;
		if (seen[v])
			j->ports[j->nports++] = (uint16_t)v;
	}
	free(seen);
	return GN_EXIT_OK;
}

/* ---- hosts ----------------------------------------------------------------------- */

static int add_host(struct job *j, const char *addr)
{
	struct host *h;

	if (j->nhosts == j->hosts_cap) {
		size_t cap = j->hosts_cap ? 2 * j->hosts_cap : 16;
		struct host *nv = realloc(j->hosts, cap * sizeof(*nv));

		if (!nv) {
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
		j->hosts = nv;
		j->hosts_cap = cap;
	}
	h = &j->hosts[j->nhosts];
	memset(h, 0, sizeof(*h));
	h->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	if (inet_pton(h->family, addr, h->bin) != 1) {
		gn_cli_err("%s: bad address '%s'", j->cmd, addr);
		return GN_EXIT_FAIL;
	}
	/* the canonical text, which is what the probes' dst reads back as */
	inet_ntop(h->family, h->bin, h->addr, sizeof(h->addr));
	j->nhosts++;
	return GN_EXIT_OK;
}

/* Every address of a network, through the expression language's own
 * expansion of IP(dst="10.0.0.0/24"). */
static int add_network(struct job *j, const char *net, int family)
{
	char text[128];
	struct gn_packet *tmpl = NULL, *p = gn_packet_new();
	struct gn_expander *x = NULL;
	struct gn_error err = { 0 };
	const char *layer = family == AF_INET6 ? "IPv6" : "IP";
	int rc, status = GN_EXIT_OK;

	snprintf(text, sizeof(text), "%s(dst=\"%s\")", layer, net);
	if (!p || gn_parse(text, &tmpl, &err) < 0 || gn_expand_new(tmpl, &x) < 0) {
		gn_cli_err("%s: %s: %s", j->cmd, net, err.code ? err.msg : "cannot expand");
		status = GN_EXIT_FAIL;
		goto out;
	}
	if (gn_expand_count(tmpl) > MAX_PROBES) {
		status = gn_cli_usage_error(j->cmd, "%s: the network %s is too large to scan", j->cmd,
					    net);
		goto out;
	}
	while (!status && (rc = gn_expand_next(x, p)) == 1) {
		char addr[INET6_ADDRSTRLEN];

		if (!gn_cli_field_addr(p, layer, "dst", addr, sizeof(addr))) {
			gn_cli_err("%s: %s: cannot expand", j->cmd, net);
			status = GN_EXIT_FAIL;
			break;
		}
		status = add_host(j, addr);
	}
out:
	gn_expand_free(x);
	gn_packet_free(tmpl);
	gn_packet_free(p);
	return status;
}

static int cmp_host(const void *a, const void *b, void *ctx)
{
	const struct host *hs = ctx;
	const struct host *x = &hs[*(const size_t *)a], *y = &hs[*(const size_t *)b];

	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->bin, y->bin, 16);
}

/* The hosts of argv, each once, in the order given, and the index by address. */
static int add_hosts(struct job *j, int argc, char **argv)
{
	size_t kept = 0;
	int status;

	for (int i = 0; i < argc; i++) {
		char text[INET6_ADDRSTRLEN + 8];
		int fam;

		status = gn_cli_target(j->cmd, argv[i], j->family, text, sizeof(text), &fam);
		if (!status)
			status = strchr(text, '/') ? add_network(j, text, fam) : add_host(j, text);
		if (status)
			return status;
		if (j->nhosts > MAX_PROBES)
			return gn_cli_usage_error(j->cmd, "%s: too many hosts", j->cmd);
	}
	j->by_addr = malloc(j->nhosts * sizeof(*j->by_addr));
	if (!j->by_addr) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	for (size_t i = 0; i < j->nhosts; i++)
		j->by_addr[i] = i;
	qsort_r(j->by_addr, j->nhosts, sizeof(*j->by_addr), cmp_host, j->hosts);
	/* the same host twice is scanned once, where it first came */
	for (size_t i = 0; i < j->nhosts; i++) {
		if (i && !cmp_host(&j->by_addr[i - 1], &j->by_addr[i], j->hosts)) {
			size_t a = j->by_addr[i - 1], b = j->by_addr[i];

			j->hosts[a > b ? a : b].family = 0;  /* drop the later one */
		}
	}
	for (size_t i = 0; i < j->nhosts; i++)
		if (j->hosts[i].family)
			j->hosts[kept++] = j->hosts[i];
	j->nhosts = kept;
	for (size_t i = 0; i < j->nhosts; i++)
		j->by_addr[i] = i;
	qsort_r(j->by_addr, j->nhosts, sizeof(*j->by_addr), cmp_host, j->hosts);
	return GN_EXIT_OK;
}

static long find_host(const struct job *j, const struct gn_packet *probe)
{
	struct host key = { 0 };
	char addr[INET6_ADDRSTRLEN];
	size_t lo = 0, hi = j->nhosts;

	if (gn_cli_field_addr(probe, "IP", "dst", addr, sizeof(addr)))
		key.family = AF_INET;
	else if (gn_cli_field_addr(probe, "IPv6", "dst", addr, sizeof(addr)))
		key.family = AF_INET6;
	else
		return -1;
	if (inet_pton(key.family, addr, key.bin) != 1)
		return -1;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct host *h = &j->hosts[j->by_addr[mid]];
		int c = h->family != key.family ? (h->family < key.family ? -1 : 1)
						: memcmp(h->bin, key.bin, 16);

		if (!c)
			return (long)j->by_addr[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- probes and answers ----------------------------------------------------------------- */

/* Probes from..to of the whole scan (host-major: probe k is port k % nports
 * of host k / nports), all from one source port and sequence number. */
static int make_probes(const struct job *j, size_t from, size_t to, struct gn_cli_probes *ps)
{
	struct gn_packet *tmpl = NULL;
	struct gn_layer *tcp = NULL;
	size_t cur = SIZE_MAX;
	int status = GN_EXIT_OK;

	for (size_t k = from; !status && k < to; k++) {
		size_t h = k / j->nports;

		if (h != cur) {
			char text[192];
			struct gn_error err = { 0 };

			gn_packet_free(tmpl);
			snprintf(text, sizeof(text),
				 "%s(dst=\"%s\")/TCP(sport=%u, seq=%u, flags=\"S\")",
				 j->hosts[h].family == AF_INET6 ? "IPv6" : "IP", j->hosts[h].addr,
				 (unsigned)j->sport, (unsigned)j->seq);
			if (gn_parse(text, &tmpl, &err) < 0) {
				gn_cli_err("%s: %s", j->cmd,
					   err.code ? err.msg : "cannot build the probes");
				return GN_EXIT_FAIL;
			}
			tcp = gn_packet_layer_by_name(tmpl, "TCP", 0);
			cur = h;
		}
		gn_layer_set_uint(tcp, "dport", j->ports[k % j->nports]);
		status = gn_cli_probes_add(ps, gn_packet_copy(tmpl));
	}
	gn_packet_free(tmpl);
	return status;
}

static uint16_t intern_reason(struct job *j, const char *text)
{
	char **nv;

	for (size_t i = 0; i < j->nreasons; i++)
		if (!strcmp(j->reasons[i], text))
			return (uint16_t)i;
	if (j->nreasons == 65535)
		return 0;
	nv = realloc(j->reasons, (j->nreasons + 1) * sizeof(*nv));
	if (!nv)
		return 0;
	j->reasons = nv;
	j->reasons[j->nreasons] = strdup(text);
	if (!j->reasons[j->nreasons])
		return 0;
	return (uint16_t)j->nreasons++;
}

/* What one answer says about its port. */
static void classify(struct job *j, const struct gn_packet *r, struct entry *e)
{
	struct gn_strbuf sb;
	uint64_t flags;
	int type, code;

	gn_sb_init(&sb);
	if (gn_cli_field_uint(r, "TCP", "flags", &flags)) {
		if ((flags & 0x12) == 0x12) {          /* SYN+ACK */
			e->state = ST_OPEN;
			gn_sb_puts(&sb, "syn-ack");
		} else if (flags & 0x04) {             /* RST */
			e->state = ST_CLOSED;
			gn_sb_puts(&sb, "reset");
		} else if (flags & 0x02) {             /* a bare SYN: split handshake */
			e->state = ST_OPEN;
			gn_sb_puts(&sb, "syn");
		} else {
			struct gn_error err = { 0 };

			e->state = ST_FILTERED;
			gn_sb_puts(&sb, "tcp ");
			gn_sprintf(r, "%TCP.flags%", &sb, &err);
		}
	} else {
		const struct gn_layer *ic;
		struct gn_strbuf names;

		gn_sb_init(&names);
		ic = gn_cli_reply_icmp(r, &type, &code, &names);
		e->state = ST_FILTERED;
		if (ic) {
			/* "icmp 3/13 dest-unreach communication-prohibited" */
			gn_sb_printf(&sb, "%s %d/%d %s", strcmp(ic->proto->name, "ICMP") ? "icmpv6" : "icmp",
				     type, code, names.len ? names.s : "");
		} else {
			gn_sb_printf(&sb, "%s", r->n >= 2 ? r->layers[1].proto->name : "unknown answer");
		}
		gn_sb_free(&names);
	}
	e->reason = intern_reason(j, sb.len ? sb.s : "");
	gn_sb_free(&sb);
}

/* What the answers of one batch say, into the entries. */
static void collect(struct job *j, const struct gn_sr_result *res)
{
	uint16_t no_answer = intern_reason(j, "no answer");

	for (size_t i = 0; i < res->nprobes; i++) {
		long h = find_host(j, res->probes[i]);
		uint64_t port;

		if (h < 0 || !gn_cli_field_uint(res->probes[i], "TCP", "dport", &port) ||
		    j->port_index[port & 0xffff] < 0)
			continue;
		j->entries[(size_t)h * j->nports + (size_t)j->port_index[port & 0xffff]] =
			(struct entry){ .state = ST_FILTERED, .reason = no_answer };
	}
	for (size_t i = 0; i < res->npairs; i++) {
		const struct gn_sr_pair *pr = &res->pairs[i];
		long h = find_host(j, pr->probe);
		uint64_t port;

		if (h < 0 || !gn_cli_field_uint(pr->probe, "TCP", "dport", &port) ||
		    j->port_index[port & 0xffff] < 0)
			continue;
		classify(j, pr->reply,
			 &j->entries[(size_t)h * j->nports + (size_t)j->port_index[port & 0xffff]]);
	}
}

/* What the batches add up to. */
struct totals {
	uint64_t sent, received;
	size_t answered, skipped;
	double elapsed;
	struct gn_sr_result *kept;  /* --table: every batch's result */
	size_t nkept;
};

/* ---- output ------------------------------------------------------------------------------ */

/* The service of a TCP port, from /etc/services as Scapy names it; NULL
 * when it has none. */
static const char *service(struct gn_packet *svc, uint16_t port, struct gn_strbuf *sb)
{
	struct gn_error err = { 0 };

	gn_sb_reset(sb);
	gn_layer_set_uint(&svc->layers[0], "dport", port);
	if (gn_sprintf(svc, "%TCP.dport%", sb, &err) < 0 || !sb->len ||
	    (sb->s[0] >= '0' && sb->s[0] <= '9'))
		return NULL;
	return sb->s;
}

struct group {
	uint8_t state;
	uint16_t reason;
	size_t count;
};

/* Ports in each (state, reason), in the order first met. */
static size_t count_groups(const struct job *j, const struct entry *row, struct group *g, size_t max)
{
	size_t n = 0;

	for (size_t p = 0; p < j->nports; p++) {
		size_t k;

		for (k = 0; k < n && (g[k].state != row[p].state || g[k].reason != row[p].reason); k++)
			;
		if (k == n) {
			if (n == max)
				continue;
			g[n++] = (struct group){ row[p].state, row[p].reason, 0 };
		}
		g[k].count++;
	}
	return n;
}

static bool listed(const struct job *j, const struct entry *e, const struct group *g, size_t ng)
{
	if (j->all || e->state == ST_OPEN)
		return true;
	for (size_t k = 0; k < ng; k++)
		if (g[k].state == e->state && g[k].reason == e->reason)
			return g[k].count <= LIST_MAX;
	return true;
}

static void print_text(const struct job *j, struct gn_packet *svc)
{
	struct gn_strbuf sb;

	gn_sb_init(&sb);
	for (size_t h = 0; h < j->nhosts; h++) {
		const struct entry *row = &j->entries[h * j->nports];
		struct group g[64];
		size_t ng = count_groups(j, row, g, 64), counts[4] = { 0 }, hidden = 0;
		bool header = false;

		for (size_t p = 0; p < j->nports; p++)
			counts[row[p].state]++;
		gn_sb_printf(&gn_out, "%sScan of %s: %zu port%s, %zu open, %zu closed, %zu filtered",
			     h ? "\n" : "", j->hosts[h].addr, j->nports, j->nports == 1 ? "" : "s",
			     counts[ST_OPEN], counts[ST_CLOSED], counts[ST_FILTERED]);
		if (counts[ST_NOT_SENT])
			gn_sb_printf(&gn_out, ", %zu not sent", counts[ST_NOT_SENT]);
		gn_sb_putc(&gn_out, '\n');
		for (size_t p = 0; p < j->nports; p++) {
			const char *name;
			char port[16];

			if (!listed(j, &row[p], g, ng)) {
				hidden++;
				continue;
			}
			if (!header) {
				gn_sb_printf(&gn_out, "%-11s %-9s %-15s %s\n", "PORT", "STATE",
					     "SERVICE", "REASON");
				header = true;
			}
			name = service(svc, j->ports[p], &sb);
			snprintf(port, sizeof(port), "%u/tcp", (unsigned)j->ports[p]);
			gn_sb_printf(&gn_out, "%-11s %-9s %-15s %s\n", port,
				     state_names[row[p].state], name ? name : "unknown",
				     j->reasons[row[p].reason]);
			gn_out_maybe_flush();
		}
		if (hidden) {
			bool first = true;

			gn_sb_puts(&gn_out, "Not shown:");
			for (size_t k = 0; k < ng; k++) {
				if (g[k].state == ST_OPEN || g[k].count <= LIST_MAX)
					continue;
				gn_sb_printf(&gn_out, "%s %zu %s (%s)", first ? "" : ",", g[k].count,
					     state_names[g[k].state], j->reasons[g[k].reason]);
				first = false;
			}
			gn_sb_putc(&gn_out, '\n');
		}
	}
	gn_sb_free(&sb);
}

static void print_json(const struct job *j, struct gn_packet *svc, const struct totals *t)
{
	struct gn_strbuf sb;

	gn_sb_init(&sb);
	gn_sb_printf(&gn_out, "{\"ports_per_host\":%zu,\"sent\":%llu,\"received\":%llu,"
		     "\"elapsed_s\":%.3f,\"hosts\":[", j->nports, (unsigned long long)t->sent,
		     (unsigned long long)t->received, t->elapsed);
	for (size_t h = 0; h < j->nhosts; h++) {
		const struct entry *row = &j->entries[h * j->nports];
		size_t counts[4] = { 0 };

		for (size_t p = 0; p < j->nports; p++)
			counts[row[p].state]++;
		gn_sb_printf(&gn_out, "%s{\"host\":\"%s\",\"family\":%d,\"open\":%zu,\"closed\":%zu,"
			     "\"filtered\":%zu,\"not_sent\":%zu,\"ports\":[", h ? "," : "",
			     j->hosts[h].addr, j->hosts[h].family == AF_INET6 ? 6 : 4,
			     counts[ST_OPEN], counts[ST_CLOSED], counts[ST_FILTERED],
			     counts[ST_NOT_SENT]);
		for (size_t p = 0; p < j->nports; p++) {
			const char *name = service(svc, j->ports[p], &sb);
			const char *reason = j->reasons[row[p].reason];

			gn_sb_printf(&gn_out, "%s{\"port\":%u,\"state\":\"%s\",\"service\":",
				     p ? "," : "", (unsigned)j->ports[p], state_names[row[p].state]);
			if (name)
				gn_sb_json_str(&gn_out, name, strlen(name));
			else
				gn_sb_puts(&gn_out, "null");
			gn_sb_puts(&gn_out, ",\"reason\":");
			gn_sb_json_str(&gn_out, reason, strlen(reason));
			gn_sb_putc(&gn_out, '}');
			gn_out_maybe_flush();
		}
		gn_sb_puts(&gn_out, "]}");
	}
	gn_sb_puts(&gn_out, "]}\n");
	gn_sb_free(&sb);
}

/* Scapy's make_table as its manual shows it for a scan of several hosts:
 * ans.make_table(lambda s, r: (s.dst, s.dport,
 *                r.sprintf("{TCP:%TCP.flags%}{ICMP:%IP.src% - %ICMP.type%}"))) */
static int print_table(const struct job *j, const struct gn_sr_result *res)
{
	struct gn_error err = { 0 };
	int rc = gn_sr_make_table(res, "{IP:%IP.dst%}{IPv6:%IPv6.dst%}", "%r,TCP.dport%",
				  "{TCP:%TCP.flags%}{ICMP:%IP.src% - %ICMP.type%}"
				  "{ICMPv6DestUnreach:%IPv6.src% - %ICMPv6DestUnreach.type%}",
				  &gn_out, &err);

	if (rc < 0) {
		gn_cli_err("%s: %s", j->cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return GN_EXIT_OK;
}

/* ---- options ------------------------------------------------------------------------------- */

enum { OPT_RATE = 256, OPT_RETRY, OPT_TIMEOUT, OPT_TABLE, OPT_ALL, OPT_BACKEND };

static int parse_args(struct job *j, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ports",   required_argument, NULL, 'p' },
		{ "rate",    required_argument, NULL, OPT_RATE },
		{ "retry",   required_argument, NULL, OPT_RETRY },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "table",   no_argument,       NULL, OPT_TABLE },
		{ "all",     no_argument,       NULL, OPT_ALL },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "json",    no_argument,       NULL, 'j' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = j->cmd;
	double rate;
	uint64_t v;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:aj46h", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			j->ports_spec = optarg;
			break;
		case OPT_RATE:
			if (!gn_cli_parse_positive(optarg, &rate))
				return gn_cli_usage_error(cmd, "%s: bad rate '%s' (probes per second > 0)",
							  cmd, optarg);
			j->so.inter = 1.0 / rate;
			break;
		case OPT_RETRY:
			if (!gn_cli_parse_u64(optarg, &v) || v > 100)
				return gn_cli_usage_error(cmd, "%s: bad retry '%s' (0 to 100)", cmd,
							  optarg);
			j->so.retry = (int)v;
			break;
		case OPT_TIMEOUT:
			if (!gn_cli_parse_positive(optarg, &j->so.timeout))
				return gn_cli_usage_error(cmd, "%s: bad timeout '%s' (seconds > 0)",
							  cmd, optarg);
			break;
		case OPT_TABLE:
			j->table = true;
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "auto") && strcmp(optarg, "xdp") &&
			    strcmp(optarg, "afpacket"))
				return gn_cli_usage_error(cmd, "%s: unknown backend '%s' (auto, xdp or "
							  "afpacket)", cmd, optarg);
			j->backend = optarg;
			break;
		case OPT_ALL:
		case 'a':
			j->all = true;
			break;
		case 'j':
			j->json = true;
			break;
		case '4':
			j->family = AF_INET;
			break;
		case '6':
			j->family = AF_INET6;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return -1;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (j->json && j->table)
		return gn_cli_usage_error(cmd, "%s: -j and --table: one output only", cmd);
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing host (an address, network or host name)",
					  cmd);
	return parse_ports(j, j->ports_spec ? j->ports_spec : "1-1024");
}

static void job_free(struct job *j)
{
	for (size_t i = 0; i < j->nreasons; i++)
		free(j->reasons[i]);
	free(j->reasons);
	free(j->entries);
	free(j->by_addr);
	free(j->hosts);
	free(j->ports);
	free(j->port_index);
}

/* One batch: its probes built, filled, sent and answered, the answers
 * read into the entries; with --table its result kept for the end. */
static int run_batch(struct job *j, size_t from, size_t to, struct totals *t)
{
	struct gn_cli_probes ps = { 0 };
	struct gn_sr_result res = { 0 };
	int status = make_probes(j, from, to, &ps);

	ps.backend = j->backend;
	if (!status) {
		status = gn_cli_probes_sr(j->cmd, &ps, &j->so, &res);
		/* no probe of this slice could be sent (reported): its ports
		 * stay "not sent", the other slices go on */
		if (status && !ps.n && ps.skipped)
			status = -1;
	}
	t->skipped += ps.skipped;
	/* sent: their memory goes back before the next batch is built */
	gn_cli_probes_free(&ps);
	if (status)
		return status < 0 ? GN_EXIT_OK : status;
	t->sent += res.sent;
	t->received += res.received;
	t->answered += res.npairs;
	collect(j, &res);
	if (j->table) {
		struct gn_sr_result *nv = realloc(t->kept, (t->nkept + 1) * sizeof(*nv));

		if (!nv) {
			gn_sr_result_free(&res);
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
		t->kept = nv;
		t->kept[t->nkept++] = res;
		return GN_EXIT_OK;
	}
	gn_sr_result_free(&res);
	return GN_EXIT_OK;
}

/* The pairs of every batch as one result, for make_table. */
static int print_tables(const struct job *j, const struct totals *t)
{
	struct gn_sr_result all = { 0 };
	size_t n = 0;
	int status;

	for (size_t i = 0; i < t->nkept; i++)
		n += t->kept[i].npairs;
	all.pairs = calloc(n ? n : 1, sizeof(*all.pairs));
	if (!all.pairs) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	for (size_t i = 0; i < t->nkept; i++)
		for (size_t k = 0; k < t->kept[i].npairs; k++)
			all.pairs[all.npairs++] = t->kept[i].pairs[k];
	status = print_table(j, &all);
	free(all.pairs);
	return status;
}

int gn_cmd_scan(int argc, char **argv)
{
	struct job j = { .cmd = argv[0], .backend = "auto" };
	struct totals t = { 0 };
	struct gn_packet *svc = NULL;
	double start = (double)gn_monotonic_ns() / 1e9;
	uint32_t rnd[2] = { 0, 0 };
	size_t total;
	int rc, status;

	j.so = (struct gn_sr_opts){ .sz = sizeof(j.so), .timeout = 1.0, .retry = 1,
				    .stop_when_done = true, .stop = &gn_cli_stop,
				    .strip_link = true };
	rc = parse_args(&j, argc, argv);
	if (rc) {
		job_free(&j);
		return rc < 0 ? GN_EXIT_OK : rc;
	}
	status = add_hosts(&j, argc - optind, argv + optind);
	total = j.nhosts * j.nports;
	if (!status && total > MAX_PROBES)
		status = gn_cli_usage_error(j.cmd, "%s: %zu probes are too many (at most %u): fewer "
					    "hosts or ports", j.cmd, total, MAX_PROBES);
	if (status)
		goto out;
	j.entries = calloc(total ? total : 1, sizeof(*j.entries));
	svc = gn_packet_new();
	if (!j.entries || !svc || !gn_packet_push(svc, gn_proto_find("TCP"))) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
		goto out;
	}
	intern_reason(&j, "not sent");
	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		rnd[0] = (uint32_t)time(NULL) ^ (uint32_t)clock();
	/* one source port for the run, below the kernel's ephemeral range
	 * (32768-60999), so that no connection of this host owns it */
	j.sport = (uint16_t)(1024 + rnd[0] % (32768 - 1024));
	j.seq = rnd[1];
	for (size_t from = 0; !status && from < total && !gn_cli_stop; from += BATCH)
		status = run_batch(&j, from, total - from > BATCH ? from + BATCH : total, &t);
	if (!status && !t.sent)
		status = GN_EXIT_FAIL;  /* nothing could be sent: said above */
	if (status)
		goto out;
	t.elapsed = (double)gn_monotonic_ns() / 1e9 - start;
	if (j.table)
		status = print_tables(&j, &t);
	else if (j.json)
		print_json(&j, svc, &t);
	else
		print_text(&j, svc);
	gn_out_flush();
	fprintf(stderr, "Scanned %zu host%s, %zu port%s each, in %.2f s: %llu probes sent "
		"(%.0f/s), %zu answered%s%s.\n", j.nhosts, j.nhosts == 1 ? "" : "s", j.nports,
		j.nports == 1 ? "" : "s", t.elapsed, (unsigned long long)t.sent,
		t.elapsed > 0 ? (double)t.sent / t.elapsed : 0.0, t.answered,
		t.skipped ? ", some not sent (see above)" : "",
		gn_cli_stop ? ", interrupted" : "");
out:
	for (size_t i = 0; i < t.nkept; i++)
		gn_sr_result_free(&t.kept[i]);
	free(t.kept);
	gn_packet_free(svc);
	job_free(&j);
	return status;
}
