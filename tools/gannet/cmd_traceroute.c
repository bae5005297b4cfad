// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet traceroute: Scapy's traceroute(), every TTL of every target sent
 * at once and the answers laid out as TracerouteResult.show() lays them out
 * (TracerouteResult6.show() for IPv6 targets): a row per TTL, a column per
 * target, in a cell the address that answered with the TCP flags or the
 * ICMP type.  TCP SYN probes by default; UDP, ICMP echo and DNS queries on
 * request.  --graph draws the routes with graphviz.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

#define MAX_PROBES 65536u

enum mode { MODE_TCP, MODE_UDP, MODE_ICMP, MODE_DNS };

static const char *const mode_names[] = { "tcp", "udp", "icmp", "dns" };

struct target {
	char text[INET6_ADDRSTRLEN + 8];  /* address or ADDRESS/PREFIX */
	int family;
};

struct job {
	const char *cmd;
	int minttl, maxttl;
	struct gn_sr_opts so;
	enum mode mode;
	bool mode_given;
	long dport;          /* -1: the mode's default */
	const char *qname;
	const char *graph;   /* --graph FILE */
	bool svg;
	bool json;
	int family;          /* -4 / -6 for names */
	struct target *targets;
	size_t ntargets;
};

/* ---- what came back --------------------------------------------------------- */

enum hop_kind {
	HOP_NONE,      /* no answer */
	HOP_TIME,      /* time exceeded: a router on the way */
	HOP_ICMP,      /* another ICMP or ICMPv6 message: the end of the way */
	HOP_TCP,
	HOP_OTHER,     /* UDP (a DNS answer) or anything else */
};

struct hop {
	enum hop_kind kind;
	char ip[INET6_ADDRSTRLEN];
	char what[48];          /* "SA", "dest-unreach port-unreachable", ... */
	int icmp_type, icmp_code;
	double rtt_ms;
};

/* The answers about one destination. */
struct trace {
	char dst[INET6_ADDRSTRLEN];
	char src[INET6_ADDRSTRLEN];
	int family;
	struct hop *hops;       /* [maxttl - minttl + 1] */
	int end;                /* the TTL of the first answer that is no time
				 * exceeded (0: none), as Scapy's get_trace cuts */
	int last;               /* the highest TTL that got an answer (0: none) */
};

struct traces {
	struct trace *v;
	size_t n, cap;
	size_t *slots;     /* index + 1 into v by the hash of dst; 0 = free */
	size_t nslots;
};

static const char *addr_of(const struct gn_packet *p, const char *field, char *buf, size_t n)
{
	const char *s = gn_cli_field_addr(p, "IP", field, buf, n);

	return s ? s : gn_cli_field_addr(p, "IPv6", field, buf, n);
}

static size_t hash_text(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* A network of targets is thousands of traces: they are found by a hash
 * of their address, not by a walk through all of them. */
static int traces_rehash(struct traces *ts)
{
	size_t n = ts->nslots ? 2 * ts->nslots : 64;
	size_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; i < ts->n; i++) {
		size_t k = hash_text(ts->v[i].dst) & (n - 1);

		while (slots[k])
			k = (k + 1) & (n - 1);
		slots[k] = i + 1;
	}
	free(ts->slots);
	ts->slots = slots;
	ts->nslots = n;
	return 0;
}

static struct trace *trace_for(const struct job *j, struct traces *ts, const struct gn_packet *probe)
{
	char dst[INET6_ADDRSTRLEN];
	struct trace *t;
	size_t k;

	if (!addr_of(probe, "dst", dst, sizeof(dst)))
		return NULL;
	if ((ts->n + 1) * 2 > ts->nslots && traces_rehash(ts))
		return NULL;
	for (k = hash_text(dst) & (ts->nslots - 1); ts->slots[k]; k = (k + 1) & (ts->nslots - 1))
		if (!strcmp(ts->v[ts->slots[k] - 1].dst, dst))
			return &ts->v[ts->slots[k] - 1];
	if (ts->n == ts->cap) {
		size_t cap = ts->cap ? 2 * ts->cap : 16;
		struct trace *nv = realloc(ts->v, cap * sizeof(*nv));

		if (!nv)
			return NULL;
		ts->v = nv;
		ts->cap = cap;
	}
	t = &ts->v[ts->n];
	memset(t, 0, sizeof(*t));
	t->hops = calloc((size_t)(j->maxttl - j->minttl + 1), sizeof(*t->hops));
	if (!t->hops)
		return NULL;
	snprintf(t->dst, sizeof(t->dst), "%s", dst);
	if (!addr_of(probe, "src", t->src, sizeof(t->src)))
		t->src[0] = '\0';
	t->family = gn_packet_layer_by_name(probe, "IPv6", 0) ? AF_INET6 : AF_INET;
	ts->slots[k] = ++ts->n;
	return t;
}

static void traces_free(struct traces *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		free(ts->v[i].hops);
	free(ts->v);
	free(ts->slots);
}

static void read_hop(const struct gn_sr_pair *pr, struct hop *h)
{
	const struct gn_packet *r = pr->reply;
	const struct gn_layer *ic;
	struct gn_strbuf sb;

	gn_sb_init(&sb);
	if (!addr_of(r, "src", h->ip, sizeof(h->ip)))
		snprintf(h->ip, sizeof(h->ip), "?");
	h->rtt_ms = (double)(pr->recv_ns - pr->sent_ns) / 1e6;
	ic = gn_cli_reply_icmp(r, &h->icmp_type, &h->icmp_code, &sb);
	if (ic) {
		/* ICMP time-exceeded (11), ICMPv6 time exceeded (3) */
		h->kind = (!strcmp(ic->proto->name, "ICMP") && h->icmp_type == 11) ||
			  !strcmp(ic->proto->name, "ICMPv6TimeExceeded") ? HOP_TIME : HOP_ICMP;
	} else if (gn_packet_layer_by_name(r, "TCP", 0)) {
		struct gn_error err = { 0 };

		gn_sprintf(r, "%TCP.flags%", &sb, &err);
		h->kind = HOP_TCP;
	} else {
		if (r->n >= 2)
			gn_sb_puts(&sb, r->layers[1].proto->name);
		h->kind = HOP_OTHER;
	}
	snprintf(h->what, sizeof(h->what), "%s", sb.len ? sb.s : "");
	gn_sb_free(&sb);
}

static int collect(const struct job *j, const struct gn_sr_result *res, struct traces *ts)
{
	/* every destination probed has its trace, answered or not */
	for (size_t i = 0; i < res->nprobes; i++)
		if (!trace_for(j, ts, res->probes[i]))
			return -ENOMEM;
	for (size_t i = 0; i < res->npairs; i++) {
		const struct gn_sr_pair *pr = &res->pairs[i];
		struct trace *t = trace_for(j, ts, pr->probe);
		uint64_t ttl = 0;

		if (!t)
			return -ENOMEM;
		if (!gn_cli_field_uint(pr->probe, "IP", "ttl", &ttl))
			gn_cli_field_uint(pr->probe, "IPv6", "hlim", &ttl);
		if (ttl < (uint64_t)j->minttl || ttl > (uint64_t)j->maxttl)
			continue;
		read_hop(pr, &t->hops[ttl - (uint64_t)j->minttl]);
	}
	for (size_t i = 0; i < ts->n; i++) {
		struct trace *t = &ts->v[i];

		for (int ttl = j->minttl; ttl <= j->maxttl; ttl++) {
			enum hop_kind k = t->hops[ttl - j->minttl].kind;

			if (k == HOP_NONE)
				continue;
			t->last = ttl;
			if (k != HOP_TIME && !t->end)
				t->end = ttl;
		}
	}
	return 0;
}

/* ---- the table ---------------------------------------------------------------- */

/* TracerouteResult.show() and TracerouteResult6.show(), word for word. */
static const char *const table_v4[3] = {
	"%IP.dst%:{TCP:tcp%ir,TCP.dport%}{UDP:udp%ir,UDP.dport%}{ICMP:ICMP}",
	"%IP.ttl%",
	"%-15s,IP.src% {TCP:%TCP.flags%}{ICMP:%ir,ICMP.type%}",
};
static const char *const table_v6[3] = {
	"%-42s,IPv6.dst%:{TCP:tcp%TCP.dport%}{UDP:udp%UDP.dport%}{ICMPv6EchoRequest:IER}",
	"%IPv6.hlim%",
	"%-42s,IPv6.src% {TCP:%TCP.flags%}"
	"{ICMPv6DestUnreach:%ir,type%}{ICMPv6PacketTooBig:%ir,type%}"
	"{ICMPv6TimeExceeded:%ir,type%}{ICMPv6ParamProblem:%ir,type%}"
	"{ICMPv6EchoReply:%ir,type%}",
};

/* One table per family, of the pairs whose probe is of that family. */
static int print_table(const struct gn_sr_result *res, bool v6, bool any_probe)
{
	struct gn_sr_result sub = *res;
	const char *const *f = v6 ? table_v6 : table_v4;
	struct gn_error err = { 0 };
	int rc;

	if (!any_probe)
		return 0;
	sub.pairs = calloc(res->npairs ? res->npairs : 1, sizeof(*sub.pairs));
	if (!sub.pairs)
		return -ENOMEM;
	sub.npairs = 0;
	for (size_t i = 0; i < res->npairs; i++)
		if (!!gn_packet_layer_by_name(res->pairs[i].probe, "IPv6", 0) == v6)
			sub.pairs[sub.npairs++] = res->pairs[i];
	rc = gn_sr_make_table(&sub, f[0], f[1], f[2], &gn_out, &err);
	free(sub.pairs);
	if (rc < 0)
		gn_cli_err("traceroute: %s", err.code ? err.msg : gn_strerror(rc));
	return rc;
}

/* ---- JSON ------------------------------------------------------------------------ */

static void print_json(const struct job *j, const struct gn_sr_result *res,
		       const struct traces *ts)
{
	gn_sb_printf(&gn_out, "{\"mode\":\"%s\",", mode_names[j->mode]);
	if (j->mode != MODE_ICMP)
		gn_sb_printf(&gn_out, "\"dport\":%ld,", j->dport);
	gn_sb_printf(&gn_out,
		     "\"minttl\":%d,\"maxttl\":%d,\"sent\":%llu,\"received\":%llu,"
		     "\"answered\":%zu,\"unanswered\":%zu,\"traces\":[",
		     j->minttl, j->maxttl, (unsigned long long)res->sent,
		     (unsigned long long)res->received, res->npairs, res->nunanswered);
	for (size_t i = 0; i < ts->n; i++) {
		const struct trace *t = &ts->v[i];
		int end = t->end ? t->end : t->last;
		const struct hop *eh = t->end ? &t->hops[t->end - j->minttl] : NULL;

		gn_sb_printf(&gn_out, "%s{\"target\":\"%s\",\"family\":%d,\"source\":\"%s\","
			     "\"reached\":%s,\"end_ttl\":",
			     i ? "," : "", t->dst, t->family == AF_INET6 ? 6 : 4, t->src,
			     eh && !strcmp(eh->ip, t->dst) ? "true" : "false");
		if (t->end)
			gn_sb_printf(&gn_out, "%d", t->end);
		else
			gn_sb_puts(&gn_out, "null");
		gn_sb_puts(&gn_out, ",\"hops\":[");
		for (int ttl = j->minttl; end && ttl <= end; ttl++) {
			const struct hop *h = &t->hops[ttl - j->minttl];

			gn_sb_printf(&gn_out, "%s{\"ttl\":%d,", ttl > j->minttl ? "," : "", ttl);
			if (h->kind == HOP_NONE) {
				gn_sb_puts(&gn_out, "\"ip\":null}");
				continue;
			}
			gn_sb_printf(&gn_out, "\"ip\":\"%s\",\"rtt_ms\":%.3f,", h->ip, h->rtt_ms);
			switch (h->kind) {
			case HOP_TIME:
			case HOP_ICMP:
				gn_sb_printf(&gn_out, "\"icmp_type\":%d,\"icmp_code\":%d,\"reply\":",
					     h->icmp_type, h->icmp_code);
				break;
			case HOP_TCP:
				gn_sb_puts(&gn_out, "\"tcp_flags\":");
				break;
			default:
				gn_sb_puts(&gn_out, "\"reply\":");
				break;
			}
			gn_sb_json_str(&gn_out, h->what, strlen(h->what));
			gn_sb_putc(&gn_out, '}');
		}
		gn_sb_puts(&gn_out, "]}");
	}
	gn_sb_puts(&gn_out, "]}\n");
}

/* ---- the graph ---------------------------------------------------------------------- */

/* Is PROG an executable file in one of $PATH's directories? */
static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		if (len && len + strlen(prog) + 2 <= sizeof(buf)) {
			snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, prog);
			if (!access(buf, X_OK))
				return true;
		}
		path += len + (colon ? 1 : 0);
	}
	return false;
}

static const char *const edge_colors[] = {
	"#a00000", "#00a000", "#0000a0", "#a0a000", "#a000a0", "#00a0a0",
	"#700000", "#007000", "#000070", "#707000", "#700070", "#007070",
};

/* The node a hop stands for: its address, or "unkN" for a silent TTL
 * between two that answered (Scapy's make_graph names them so). */
static void hop_node(const struct hop *h, unsigned *unk, char *buf, size_t n)
{
	if (h->kind == HOP_NONE)
		snprintf(buf, n, "unk%u", ++*unk);
	else
		snprintf(buf, n, "%s", h->ip);
}

/* What a target the probes never reached is called after, as Scapy's
 * make_graph calls its blackholes: "80/tcp", "53/udp", "icmp". */
static const char *probe_kind(const struct job *j, char *buf, size_t n)
{
	if (j->mode == MODE_ICMP)
		snprintf(buf, n, "icmp");
	else
		snprintf(buf, n, "%ld/%s", j->dport, j->mode == MODE_TCP ? "tcp" : "udp");
	return buf;
}

/* The routes as a DOT digraph: one node per address that answered (a
 * router on two routes is one node), an edge from each hop to the next
 * in a colour per target; the source a box, a target that answered a
 * green box with its answer, a target the probes never reached a red
 * octagon after the last hop that answered, as Scapy's make_graph draws
 * its blackholes. */
static void make_dot(const struct job *j, const struct traces *ts, struct gn_strbuf *sb)
{
	unsigned unk = 0;
	char bh[32];

	gn_sb_puts(sb, "digraph traceroute {\n\tnode [shape=ellipse,color=black,style=solid];\n\n");
	for (size_t i = 0; i < ts->n; i++) {
		size_t k;

		for (k = 0; k < i && strcmp(ts->v[k].src, ts->v[i].src); k++)
			;
		if (ts->v[i].src[0] && k == i)
			gn_sb_printf(sb, "\t\"%s\" [shape=box,label=\"%s\\n(source)\"];\n",
				     ts->v[i].src, ts->v[i].src);
	}
	for (size_t i = 0; i < ts->n; i++) {
		const struct trace *t = &ts->v[i];
		const struct hop *eh = t->end ? &t->hops[t->end - j->minttl] : NULL;

		if (eh && !strcmp(eh->ip, t->dst))
			gn_sb_printf(sb, "\t\"%s\" [shape=box,style=filled,fillcolor=palegreen,"
				     "label=\"%s\\n%s %s\"];\n", t->dst, t->dst,
				     probe_kind(j, bh, sizeof(bh)), eh->what);
		else
			gn_sb_printf(sb, "\t\"%s %s\" [shape=octagon,style=filled,fillcolor=red];\n",
				     t->dst, probe_kind(j, bh, sizeof(bh)));
	}
	for (size_t i = 0; i < ts->n; i++) {
		const struct trace *t = &ts->v[i];
		const struct hop *eh = t->end ? &t->hops[t->end - j->minttl] : NULL;
		int end = t->end ? t->end : t->last;
		char prev[INET6_ADDRSTRLEN + 16], cur[INET6_ADDRSTRLEN + 16];

		gn_sb_printf(sb, "\n\t# %s\n\tedge [color=\"%s\"];\n", t->dst,
			     edge_colors[i % (sizeof(edge_colors) / sizeof(edge_colors[0]))]);
		snprintf(prev, sizeof(prev), "%s", t->src);
		for (int ttl = j->minttl; end && ttl <= end; ttl++) {
			const struct hop *h = &t->hops[ttl - j->minttl];

			hop_node(h, &unk, cur, sizeof(cur));
			if (h->kind == HOP_NONE)
				gn_sb_printf(sb, "\t\"%s\" [label=\"?\",style=dashed];\n", cur);
			if (prev[0])
				gn_sb_printf(sb, "\t\"%s\" -> \"%s\";\n", prev, cur);
			snprintf(prev, sizeof(prev), "%s", cur);
		}
		if (!(eh && !strcmp(eh->ip, t->dst)) && prev[0])
			gn_sb_printf(sb, "\t\"%s\" -> \"%s %s\";\n", prev, t->dst,
				     probe_kind(j, bh, sizeof(bh)));
	}
	gn_sb_puts(sb, "}\n");
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* dot -Tsvg -o FILE, fed the graph on its stdin. */
static int run_dot(const char *cmd, const char *file, const struct gn_strbuf *dot)
{
	int fds[2], st = 0, rc;
	pid_t pid;

	if (pipe(fds) < 0) {
		gn_cli_err("%s: pipe: %s", cmd, strerror(errno));
		return GN_EXIT_FAIL;
	}
	pid = fork();
	if (pid < 0) {
		gn_cli_err("%s: fork: %s", cmd, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return GN_EXIT_FAIL;
	}
	if (pid == 0) {
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		execlp("dot", "dot", "-Tsvg", "-o", file, (char *)NULL);
		fprintf(stderr, "gannet: %s: cannot run dot: %s\n", cmd, strerror(errno));
		_exit(127);
	}
	close(fds[0]);
	rc = write_all(fds[1], dot->s ? dot->s : "", dot->len);
	close(fds[1]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		gn_cli_err("%s: writing to dot: %s", cmd, gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		gn_cli_err("%s: dot -Tsvg failed (%s %d) writing '%s'", cmd,
			   WIFEXITED(st) ? "exit status" : "signal",
			   WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), file);
		return GN_EXIT_FAIL;
	}
	return GN_EXIT_OK;
}

static int write_graph(const struct job *j, const struct traces *ts)
{
	struct gn_strbuf sb;
	int status = GN_EXIT_OK;

	gn_sb_init(&sb);
	make_dot(j, ts, &sb);
	if (sb.err) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
	} else if (j->svg) {
		status = run_dot(j->cmd, j->graph, &sb);
	} else {
		FILE *f = fopen(j->graph, "w");

		if (!f || fwrite(sb.s, 1, sb.len, f) != sb.len) {
			gn_cli_err("%s: %s: %s", j->cmd, j->graph, strerror(errno));
			status = GN_EXIT_FAIL;
		}
		if (f && fclose(f) && !status) {
			gn_cli_err("%s: %s: %s", j->cmd, j->graph, strerror(errno));
			status = GN_EXIT_FAIL;
		}
	}
	gn_sb_free(&sb);
	return status;
}

/* ---- probes ------------------------------------------------------------------------- */

/* The layers above IP for the mode (Scapy's TCP default, or its l4=). */
static void l4_text(const struct job *j, bool v6, struct gn_strbuf *sb)
{
	switch (j->mode) {
	case MODE_TCP:
		gn_sb_printf(sb, "TCP(seq=RandInt(), sport=RandShort(), dport=%ld, flags=\"S\")",
			     j->dport);
		break;
	case MODE_UDP:
		gn_sb_printf(sb, "UDP(sport=RandShort(), dport=%ld)", j->dport);
		break;
	case MODE_ICMP:
		/* an id per probe, so that every echo reply finds its own probe */
		gn_sb_puts(sb, v6 ? "ICMPv6EchoRequest(id=RandShort())" : "ICMP(id=RandShort())");
		break;
	case MODE_DNS:
		gn_sb_printf(sb, "UDP(sport=RandShort(), dport=%ld)/DNS(qd=DNSQR(qname=\"%s\"))",
			     j->dport, j->qname);
		break;
	}
}

/* IP(dst=[targets], id=RandShort(), ttl=(min,max))/L4 for one family,
 * expanded into the probes, in Scapy's order. */
static int make_probes(const struct job *j, bool v6, struct gn_cli_probes *ps)
{
	struct gn_cli_gen g = { .emit = gn_cli_probes_keep, .ctx = ps };
	struct gn_strbuf sb;
	size_t n = 0;
	char *argv[1];
	int status;

	gn_sb_init(&sb);
	gn_sb_puts(&sb, v6 ? "IPv6(dst=[" : "IP(dst=[");
	for (size_t i = 0; i < j->ntargets; i++) {
		if ((j->targets[i].family == AF_INET6) != v6)
			continue;
		gn_sb_printf(&sb, "%s\"%s\"", n++ ? "," : "", j->targets[i].text);
	}
	if (!n) {
		gn_sb_free(&sb);
		return GN_EXIT_OK;
	}
	if (v6)
		gn_sb_printf(&sb, "], hlim=(%d,%d))/", j->minttl, j->maxttl);
	else
		gn_sb_printf(&sb, "], id=RandShort(), ttl=(%d,%d))/", j->minttl, j->maxttl);
	l4_text(j, v6, &sb);
	if (sb.err) {
		gn_sb_free(&sb);
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	argv[0] = sb.s;
	status = gn_cli_gen_run(&g, 1, argv);
	gn_sb_free(&sb);
	/* the expression is ours: a refusal is no fault of the user's */
	return status == GN_EXIT_USAGE ? GN_EXIT_FAIL : status;
}

/* ---- options ---------------------------------------------------------------------------- */

enum {
	OPT_MAXTTL = 256, OPT_MINTTL, OPT_TIMEOUT, OPT_RETRY, OPT_TCP, OPT_UDP, OPT_ICMP, OPT_DNS,
	OPT_QNAME, OPT_GRAPH,
};

static bool parse_ttl(const char *s, int *out)
{
	uint64_t v;

	if (!gn_cli_parse_u64(s, &v) || v < 1 || v > 255)
		return false;
	*out = (int)v;
	return true;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && !strcasecmp(s + n - m, suffix);
}

/* A DNS name that can go between the quotes of an expression as it is. */
static bool good_qname(const char *s)
{
	if (!*s || strlen(s) > 253)
		return false;
	for (; *s; s++)
		if (!(*s == '.' || *s == '-' || *s == '_' || (*s >= '0' && *s <= '9') ||
		      (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
			return false;
	return true;
}

static int set_mode(struct job *j, enum mode m)
{
	if (j->mode_given && j->mode != m)
		return gn_cli_usage_error(j->cmd, "%s: --%s and --%s: one mode only", j->cmd,
					  mode_names[j->mode], mode_names[m]);
	j->mode = m;
	j->mode_given = true;
	return 0;
}

static int parse_args(struct job *j, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "maxttl",  required_argument, NULL, OPT_MAXTTL },
		{ "minttl",  required_argument, NULL, OPT_MINTTL },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "retry",   required_argument, NULL, OPT_RETRY },
		{ "tcp",     no_argument,       NULL, OPT_TCP },
		{ "udp",     no_argument,       NULL, OPT_UDP },
		{ "icmp",    no_argument,       NULL, OPT_ICMP },
		{ "dns",     no_argument,       NULL, OPT_DNS },
		{ "qname",   required_argument, NULL, OPT_QNAME },
		{ "dport",   required_argument, NULL, 'p' },
		{ "graph",   required_argument, NULL, OPT_GRAPH },
		{ "json",    no_argument,       NULL, 'j' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = j->cmd;
	uint64_t v;
	unsigned port;
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":p:j46h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_MAXTTL:
			if (!parse_ttl(optarg, &j->maxttl))
				return gn_cli_usage_error(cmd, "%s: bad --maxttl '%s' (1 to 255)", cmd,
							  optarg);
			break;
		case OPT_MINTTL:
			if (!parse_ttl(optarg, &j->minttl))
				return gn_cli_usage_error(cmd, "%s: bad --minttl '%s' (1 to 255)", cmd,
							  optarg);
			break;
		case OPT_TIMEOUT:
			if (!gn_cli_parse_positive(optarg, &j->so.timeout))
				return gn_cli_usage_error(cmd, "%s: bad timeout '%s' (seconds > 0)",
							  cmd, optarg);
			break;
		case OPT_RETRY:
			if (!gn_cli_parse_u64(optarg, &v) || v > 100)
				return gn_cli_usage_error(cmd, "%s: bad retry '%s' (0 to 100)", cmd,
							  optarg);
			j->so.retry = (int)v;
			break;
		case OPT_TCP:
		case OPT_UDP:
		case OPT_ICMP:
		case OPT_DNS:
			rc = set_mode(j, (enum mode)(opt - OPT_TCP));
			if (rc)
				return rc;
			break;
		case OPT_QNAME:
			if (!good_qname(optarg))
				return gn_cli_usage_error(cmd, "%s: bad --qname '%s' (a DNS name)", cmd,
							  optarg);
			j->qname = optarg;
			break;
		case 'p':
			if (!gn_cli_parse_port(optarg, &port))
				return gn_cli_usage_error(cmd, "%s: bad port '%s' (1 to 65535)", cmd,
							  optarg);
			j->dport = port;
			break;
		case OPT_GRAPH:
			j->graph = optarg;
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
	if (j->minttl > j->maxttl)
		return gn_cli_usage_error(cmd, "%s: --minttl %d is above --maxttl %d", cmd, j->minttl,
					  j->maxttl);
	if (j->qname && j->mode != MODE_DNS) {
		if (j->mode_given)
			return gn_cli_usage_error(cmd, "%s: --qname is for --dns", cmd);
		j->mode = MODE_DNS;
	}
	if (j->mode == MODE_ICMP && j->dport >= 0)
		return gn_cli_usage_error(cmd, "%s: -p has no meaning with --icmp", cmd);
	if (j->dport < 0)
		j->dport = j->mode == MODE_TCP ? 80 : j->mode == MODE_UDP ? 33434 : 53;
	if (!j->qname)
		j->qname = "www.test.com";
	if (j->graph) {
		if (ends_with(j->graph, ".svg")) {
			if (!in_path("dot")) {
				gn_cli_err("%s: --graph %s: drawing SVG needs graphviz's 'dot', which "
					   "is not installed; write the graph as DOT instead "
					   "(--graph FILE.dot) or install graphviz", cmd, j->graph);
				return GN_EXIT_FAIL;
			}
			j->svg = true;
		} else if (!ends_with(j->graph, ".dot") && !ends_with(j->graph, ".gv")) {
			return gn_cli_usage_error(cmd, "%s: --graph '%s': the name must end in .dot "
						  "(graphviz's text) or .svg (drawn by dot)", cmd,
						  j->graph);
		}
	}
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing target (an address, network or host "
					  "name)", cmd);
	return 0;
}

/* Whether path can be written: the file itself when it exists, else its
 * directory (errno says why not). */
static bool writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096];

	if (!access(path, F_OK))
		return !access(path, W_OK);
	if (!slash)
		return !access(".", W_OK | X_OK);
	if ((size_t)(slash - path) >= sizeof(dir))
		return true;
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return !access(dir, W_OK | X_OK);
}

/* How many addresses a target stands for (a network: all of them),
 * saturating far above any limit. */
static uint64_t target_size(const struct target *t)
{
	const char *slash = strchr(t->text, '/');
	int bits = (t->family == AF_INET6 ? 128 : 32) - (slash ? atoi(slash + 1) : 128);

	return bits <= 0 ? 1 : bits >= 40 ? (uint64_t)1 << 40 : (uint64_t)1 << bits;
}

static int add_targets(struct job *j, int argc, char **argv)
{
	uint64_t probes = 0;

	j->targets = calloc((size_t)argc, sizeof(*j->targets));
	if (!j->targets) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	for (int i = 0; i < argc; i++) {
		struct target t;
		size_t k;
		int rc = gn_cli_target(j->cmd, argv[i], j->family, t.text, sizeof(t.text),
				       &t.family);

		if (rc)
			return rc;
		for (k = 0; k < j->ntargets && strcmp(j->targets[k].text, t.text); k++)
			;
		if (k == j->ntargets) {
			j->targets[j->ntargets++] = t;
			probes += target_size(&t) * (uint64_t)(j->maxttl - j->minttl + 1);
		}
	}
	/* every probe is held until the answers are in (some 12 KiB each) */
	if (probes > MAX_PROBES)
		return gn_cli_usage_error(j->cmd, "%s: %llu probes (targets x TTLs) are too many "
					  "(at most %u): fewer targets or TTLs", j->cmd,
					  (unsigned long long)probes, MAX_PROBES);
	return GN_EXIT_OK;
}

int gn_cmd_traceroute(int argc, char **argv)
{
	struct job j = { .cmd = argv[0], .minttl = 1, .maxttl = 30, .dport = -1 };
	struct gn_cli_probes ps = { 0 };
	struct gn_sr_result res = { 0 };
	struct traces ts = { 0 };
	bool have_v4 = false, have_v6 = false;
	int rc, status;

	/* as Scapy's sr, done as soon as every probe is answered */
	j.so = (struct gn_sr_opts){ .sz = sizeof(j.so), .timeout = 2.0, .stop_when_done = true,
				    .stop = &gn_cli_stop, .strip_link = true };
	rc = parse_args(&j, argc, argv);
	if (rc)
		return rc < 0 ? GN_EXIT_OK : rc;
	status = add_targets(&j, argc - optind, argv + optind);
	if (status)
		goto out;
	for (size_t i = 0; i < j.ntargets; i++) {
		have_v4 |= j.targets[i].family == AF_INET;
		have_v6 |= j.targets[i].family == AF_INET6;
	}
	/* a file that cannot be written says so before any probe leaves */
	if (j.graph && !writable(j.graph)) {
		gn_cli_err("%s: %s: %s", j.cmd, j.graph, strerror(errno));
		status = GN_EXIT_FAIL;
		goto out;
	}
	status = make_probes(&j, false, &ps);
	if (!status)
		status = make_probes(&j, true, &ps);
	if (!status)
		status = gn_cli_probes_sr(j.cmd, &ps, &j.so, &res);
	if (status)
		goto out;
	if (collect(&j, &res, &ts) < 0) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
		goto out;
	}
	if (j.json) {
		print_json(&j, &res, &ts);
	} else {
		fprintf(stderr, "Received %llu packets, got %zu answers, remaining %zu packets\n",
			(unsigned long long)res.received, res.npairs, res.nunanswered);
		if (print_table(&res, false, have_v4) < 0 || print_table(&res, true, have_v6) < 0)
			status = GN_EXIT_FAIL;
	}
	if (!status && j.graph)
		status = write_graph(&j, &ts);
out:
	traces_free(&ts);
	gn_sr_result_free(&res);
	gn_cli_probes_free(&ps);
	free(j.targets);
	return status;
}
