// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet send and sendp: every packet of an expression out at layer 3 (the
 * route picks the interface and the next hop, gannet puts the link layer
 * under it) or at layer 2 out of one interface, as Scapy's send() and
 * sendp(): -c repeats the whole set, --loop until Ctrl-C, --inter and
 * --rate pace it.  Fields left unset are filled as Scapy's dynamic
 * defaults fill them (gannet/resolve.h), a chunk of packets at a time so
 * that next hops missing from the neighbour table are asked together.
 *
 * Pacing and batching are the library's gn_sender: absolute deadlines
 * (packet k is due at start + k * period), so sleeping late never adds up
 * to drift, and what is already due goes out together when sending falls
 * behind.  Without pacing, batches are as big as the sender takes.
 *
 * A set sent more than once is built once when nothing in it is random:
 * later rounds send the stored bytes.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "cli.h"

#define CHUNK 256
#define MAX_IFACES 64
#define CACHE_MAX_BYTES ((size_t)64 << 20)
#define CACHE_MAX_FRAMES ((size_t)1 << 20)
#define PROGRESS_AFTER_NS 1000000000LL
#define PROGRESS_EVERY_NS 250000000LL

/* The built bytes of the first round, for the rounds after it. */
struct cache {
	bool on;            /* still collecting, or complete and in use */
	uint8_t *buf;
	size_t len, cap;
	size_t *off;
	uint32_t *lens;
	int *ifindex;
	size_t n, capn;
};

struct sender {
	const char *cmd;
	const char *backend;        /* afpacket, or xdp (the AF_XDP tx ring) */
	struct gn_sender *tx;
	struct gn_sender_opts so;
	struct gn_io *io;
	struct gn_io_opts o;
	char ifnames[MAX_IFACES][IF_NAMESIZE];  /* what io is open on */
	unsigned nifs;
	uint64_t sent_before;       /* by the senders replaced as io grew */
	/* filling */
	struct gn_netdb *db;
	struct gn_resolver *res;
	unsigned fill_flags;        /* GN_FILL_ADD_L2 for send */
	struct gn_packet *chunk[CHUNK];
	size_t nchunk;
	struct gn_cli_fill_report report;  /* what could not be filled, told once a reason */
	struct gn_cli_routes routes;  /* -v: the ways told already */
	struct gn_error err;        /* zeroed once: per packet it would cost more
				     * than the rest of queue() */
	struct gn_arena *arena;     /* bytes of the packet being built */
	int64_t t0;
	bool tty;                   /* a live progress line on stderr */
	bool progress_shown;
	int64_t next_progress;
	int status;                 /* GN_EXIT_FAIL once something failed */
};

/* After every batch sent (gn_sender_opts.flushed). */
static void progress(void *ctx, uint64_t sent)
{
	struct sender *s = ctx;
	int64_t now, el;

	if (!s->tty)
		return;
	now = gn_monotonic_ns();
	el = now - s->t0;
	if (el < PROGRESS_AFTER_NS || now < s->next_progress)
		return;
	s->next_progress = now + PROGRESS_EVERY_NS;
	s->progress_shown = true;
	sent += s->sent_before;
	fprintf(stderr, "\rSent %llu packets (%.0f packets/s)\033[K",
		(unsigned long long)sent, (double)sent * 1e9 / (double)el);
	fflush(stderr);
}

/* One frame to send, at its time; false when sending has to stop (error
 * or signal). */
static bool queue(struct sender *s, const uint8_t *data, size_t len, int ifindex)
{
	int rc = gn_sender_push(s->tx, data, len, ifindex, 0, &s->err);

	if (rc == -EINTR)
		return false;
	if (rc < 0) {
		gn_cli_err("%s: %s", s->cmd, s->err.code ? s->err.msg : gn_strerror(rc));
		s->status = GN_EXIT_FAIL;
		return false;
	}
	return true;
}

static void cache_free(struct cache *c)
{
	free(c->buf);
	free(c->off);
	free(c->ifindex);
	free(c->lens);
	memset(c, 0, sizeof(*c));
}

static void cache_add(struct cache *c, const uint8_t *data, size_t len, int ifindex)
{
	if (!c->on)
		return;
	if (c->n == CACHE_MAX_FRAMES || c->len + len > CACHE_MAX_BYTES) {
		cache_free(c);  /* too big: later rounds build again */
		return;
	}
	if (c->len + len > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1 << 16;
		uint8_t *b;

		while (cap < c->len + len)
			cap *= 2;
		b = realloc(c->buf, cap);
		if (!b) {
			cache_free(c);
			return;
		}
		c->buf = b;
		c->cap = cap;
	}
	if (c->n == c->capn) {
		size_t capn = c->capn ? c->capn * 2 : 256;
		size_t *off = realloc(c->off, capn * sizeof(*off));
		uint32_t *lens;
		int *ifx;

		if (off)
			c->off = off;
		lens = off ? realloc(c->lens, capn * sizeof(*lens)) : NULL;
		if (lens)
			c->lens = lens;
		ifx = lens ? realloc(c->ifindex, capn * sizeof(*ifx)) : NULL;
		if (!ifx) {
			cache_free(c);
			return;
		}
		c->ifindex = ifx;
		c->capn = capn;
	}
	memcpy(c->buf + c->len, data, len);
	c->off[c->n] = c->len;
	c->ifindex[c->n] = ifindex;
	c->lens[c->n++] = (uint32_t)len;
	c->len += len;
}

/* Rand*() and fuzz() draw new values for every packet: such a set cannot
 * be sent again from stored bytes. */
static bool value_random(const struct gn_value *v, unsigned depth);

static bool packet_random(const struct gn_packet *p, unsigned depth)
{
	for (unsigned k = 0; k < p->n; k++) {
		const struct gn_layer *l = &p->layers[k];

		for (unsigned i = 0; i < l->proto->nfields; i++) {
			if (l->state[i] & GN_FS_FUZZ)
				return true;
			if ((l->state[i] & GN_FS_SET) && value_random(&l->vals[i], depth))
				return true;
		}
	}
	return false;
}

static bool value_random(const struct gn_value *v, unsigned depth)
{
	if (depth > 16)
		return true;  /* deeper than anything sane: do not cache */
	switch (v->type) {
	case GN_V_RAND:
		return true;
	case GN_V_PKT:
		return packet_random(v->pkt, depth + 1);
	case GN_V_LIST:
	case GN_V_TUPLE:
	case GN_V_SET:
	case GN_V_RANGE:
		for (uint32_t i = 0; i < v->len; i++)
			if (value_random(&v->items[i], depth + 1))
				return true;
		return false;
	default:
		return false;
	}
}

/* ---- the interfaces: send opens them as its packets need them ---------- */

static int open_io(struct sender *s)
{
	const char *names[MAX_IFACES];
	struct gn_error err = { 0 };
	int rc;

	for (unsigned i = 0; i < s->nifs; i++)
		names[i] = s->ifnames[i];
	s->o.ifaces = names;
	s->o.nifaces = s->nifs;
	rc = gn_io_open(s->backend, &s->o, &s->io, &err);
	s->o.ifaces = NULL;
	if (!rc)
		rc = gn_sender_new(s->io, &s->so, &s->tx, &err);
	if (rc < 0) {
		gn_cli_err("%s: %s", s->cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return GN_EXIT_OK;
}

/* Make sure io sends out of ifindex: reopened with it added when not (the
 * frames pushed so far go out first). */
static bool have_iface(struct sender *s, int ifindex)
{
	const struct gn_iface *ifc = gn_netdb_iface_by_index(s->db, ifindex);
	struct gn_error err = { 0 };
	int rc;

	if (!ifc) {
		gn_cli_err("%s: interface %d went away", s->cmd, ifindex);
		s->status = GN_EXIT_FAIL;
		return false;
	}
	for (unsigned i = 0; i < s->nifs; i++)
		if (!strcmp(s->ifnames[i], ifc->name))
			return true;
	if (s->nifs == MAX_IFACES) {
		gn_cli_err("%s: packets for more than %d interfaces", s->cmd, MAX_IFACES);
		s->status = GN_EXIT_FAIL;
		return false;
	}
	if (s->tx) {
		rc = gn_sender_flush(s->tx, &err);
		if (rc < 0) {
			if (rc != -EINTR) {
				gn_cli_err("%s: %s", s->cmd, err.code ? err.msg : gn_strerror(rc));
				s->status = GN_EXIT_FAIL;
			}
			return false;
		}
		s->sent_before += gn_sender_sent(s->tx);
		gn_sender_free(s->tx);
		s->tx = NULL;
		gn_io_close(s->io);
		s->io = NULL;
	}
	snprintf(s->ifnames[s->nifs++], IF_NAMESIZE, "%s", ifc->name);
	if (open_io(s)) {
		s->status = GN_EXIT_FAIL;
		return false;
	}
	return true;
}

/* ---- filling ---------------------------------------------------------------------- */

/* Fill, build and queue the packets of the chunk.  false: stop. */
static bool send_chunk(struct sender *s, struct cache *c)
{
	int status[CHUNK];
	struct gn_error err = { 0 };
	bool go = true;
	size_t n = s->nchunk;
	int rc;

	s->nchunk = 0;
	rc = gn_resolver_fill(s->res, s->chunk, n, s->fill_flags, status, &err);
	if (rc < 0) {
		if (rc != -EINTR)
			gn_cli_err("%s: %s", s->cmd, err.code ? err.msg : gn_strerror(rc));
		s->status = GN_EXIT_FAIL;
		return false;
	}
	if (rc > 0 && c->on)
		cache_free(c);  /* a round that lost packets is no model for the next */
	for (size_t i = 0; go && i < n; i++) {
		struct gn_packet *p = s->chunk[i];
		uint8_t *data;
		size_t len;

		if (status[i])
			continue;
		if (gn_cli_verbosity > 0)
			gn_cli_report_route(s->cmd, s->db, p, &s->routes);
		if (!have_iface(s, p->meta.ifindex))
			return false;
		/* The sender keeps a copy of what it has not sent yet. */
		gn_arena_reset(s->arena);
		rc = gn_build(p, s->arena, &data, &len);
		if (rc < 0) {
			gn_cli_err("%s: cannot build a packet: %s", s->cmd, gn_strerror(rc));
			s->status = GN_EXIT_FAIL;
			return false;
		}
		cache_add(c, data, len, p->meta.ifindex);
		go = queue(s, data, len, p->meta.ifindex);
	}
	return go;
}

/* One round from the templates: expand, fill, build, queue.  false: stop. */
static bool send_built(struct sender *s, struct gn_packet **tmpls, size_t ntmpls,
		       struct cache *c)
{
	for (size_t t = 0; t < ntmpls; t++) {
		struct gn_expander *x;
		uint64_t nth = 0;
		bool go = true;
		int rc;

		rc = gn_expand_new(tmpls[t], &x);
		if (rc < 0) {
			gn_cli_err("%s: cannot expand the expression: %s", s->cmd, gn_strerror(rc));
			s->status = GN_EXIT_FAIL;
			return false;
		}
		while (go) {
			struct gn_packet *p = s->chunk[s->nchunk];

			gn_packet_reset(p);
			rc = gn_expand_next(x, p);
			if (rc != 1)
				break;
			nth++;
			if (++s->nchunk == CHUNK)
				go = send_chunk(s, c);
		}
		if (go && rc < 0) {
			gn_cli_err("%s: cannot expand packet %llu: %s", s->cmd,
				   (unsigned long long)nth + 1, gn_strerror(rc));
			s->status = GN_EXIT_FAIL;
			go = false;
		}
		gn_expand_free(x);
		if (!go)
			return false;
	}
	return !s->nchunk || send_chunk(s, c);
}

static bool send_cached(struct sender *s, const struct cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (!queue(s, c->buf + c->off[i], c->lens[i], c->ifindex[i]))
			return false;
	return true;
}

/* The expressions: the words of the command line, or one per line of stdin. */
static int parse_templates(int argc, char **argv, struct gn_packet ***out, size_t *nout)
{
	struct gn_packet **t = NULL;
	size_t n = 0;
	struct gn_error err = { 0 };
	char *text, *line = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int status = GN_EXIT_OK;

	if (!(argc == 1 && !strcmp(argv[0], "-"))) {
		t = calloc(1, sizeof(*t));
		text = gn_cli_join(argc, argv);
		if (!t || !text) {
			free(t);
			free(text);
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
		if (gn_parse(text, &t[0], &err) < 0) {
			gn_cli_expr_err(NULL, text, &err);
			status = GN_EXIT_USAGE;
		} else {
			n = 1;
		}
		free(text);
		*out = t;
		*nout = n;
		return status;
	}
	while (getline(&line, &cap, stdin) >= 0) {
		struct gn_packet **nt;
		char where[32];

		lineno++;
		text = gn_cli_line(line);
		if (!text)
			continue;
		nt = realloc(t, (n + 1) * sizeof(*t));
		if (!nt) {
			gn_cli_err("out of memory");
			status = GN_EXIT_FAIL;
			break;
		}
		t = nt;
		memset(&err, 0, sizeof(err));
		if (gn_parse(text, &t[n], &err) < 0) {
			snprintf(where, sizeof(where), "line %lu", lineno);
			gn_cli_expr_err(where, text, &err);
			status = GN_EXIT_USAGE;
			continue;
		}
		n++;
	}
	free(line);
	*out = t;
	*nout = n;
	return status;
}

enum { OPT_LOOP = 256, OPT_INTER, OPT_RATE, OPT_TX_MODE, OPT_QDISC_BYPASS, OPT_BACKEND };

/* The resolver and the pool of packets a chunk is expanded into. */
static int setup_fill(struct sender *s, const char *iface)
{
	struct gn_resolver_opts ro = { .sz = sizeof(ro), .iface = iface, .retry = -1,
				       .stop = &gn_cli_stop, .on_error = gn_cli_fill_on_error,
				       .ctx = &s->report, .on_warning = gn_cli_fill_on_warning,
				       .broadcast_unresolved = !(s->fill_flags & GN_FILL_ADD_L2) };
	struct gn_error err = { 0 };
	int rc = gn_netdb_open(NULL, &s->db, &err);

	if (rc < 0) {
		gn_cli_err("%s: %s", s->cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	rc = gn_resolver_new(s->db, &ro, &s->res, &err);
	if (rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));  /* names the interface */
		return GN_EXIT_FAIL;
	}
	for (size_t i = 0; i < CHUNK; i++) {
		s->chunk[i] = gn_packet_new();
		if (!s->chunk[i]) {
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
	}
	return GN_EXIT_OK;
}

static int run_send(int argc, char **argv, bool layer3)
{
	static const struct option opts[] = {
		{ "iface",        required_argument, NULL, 'i' },
		{ "count",        required_argument, NULL, 'c' },
		{ "loop",         no_argument,       NULL, OPT_LOOP },
		{ "inter",        required_argument, NULL, OPT_INTER },
		{ "rate",         required_argument, NULL, OPT_RATE },
		{ "tx-mode",      required_argument, NULL, OPT_TX_MODE },
		{ "qdisc-bypass", no_argument,       NULL, OPT_QDISC_BYPASS },
		{ "backend",      required_argument, NULL, OPT_BACKEND },
		{ "help",         no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *iface = NULL;
	struct sender s = { .cmd = cmd, .status = GN_EXIT_OK, .backend = "afpacket",
			    .fill_flags = layer3 ? GN_FILL_ADD_L2 : 0,
			    .report = { .cmd = cmd, .noun = "packet" } };
	struct gn_sender_stats st;
	struct gn_error err = { 0 };
	struct cache c = { 0 };
	struct gn_packet **tmpls = NULL;
	size_t ntmpls = 0;
	uint64_t rounds = 1, v;
	bool loop = false, count_given = false, go = true;
	double inter = 0, rate = 0;
	char dflt[IF_NAMESIZE];
	int opt, status;

	s.o = (struct gn_io_opts){ .sz = sizeof(s.o), .tx = true };
	s.so = (struct gn_sender_opts){ .sz = sizeof(s.so) };
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			iface = optarg;
			break;
		case 'c':
			if (!gn_cli_parse_u64(optarg, &v) || !v)
				return gn_cli_usage_error(cmd, "%s: bad count '%s'", cmd, optarg);
			rounds = v;
			count_given = true;
			break;
		case OPT_LOOP:
			loop = true;
			break;
		case OPT_INTER:
			if (!gn_cli_parse_positive(optarg, &inter))
				return gn_cli_usage_error(cmd, "%s: bad interval '%s' (seconds > 0)", cmd,
							  optarg);
			break;
		case OPT_RATE:
			if (!gn_cli_parse_positive(optarg, &rate))
				return gn_cli_usage_error(cmd, "%s: bad rate '%s' (packets/s > 0)", cmd,
							  optarg);
			break;
		case OPT_TX_MODE:
			if (!strcmp(optarg, "mmsg"))
				s.o.tx_mode = GN_IO_TX_MMSG;
			else if (!strcmp(optarg, "ring"))
				s.o.tx_mode = GN_IO_TX_RING;
			else
				return gn_cli_usage_error(cmd, "%s: unknown send mode '%s' (mmsg, ring)",
							  cmd, optarg);
			break;
		case OPT_QDISC_BYPASS:
			s.o.qdisc_bypass = true;
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "afpacket") && strcmp(optarg, "xdp"))
				return gn_cli_usage_error(cmd, "%s: unknown backend '%s' (afpacket or xdp)",
							  cmd, optarg);
			s.backend = optarg;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (loop && count_given)
		return gn_cli_usage_error(cmd, "%s: -c and --loop do not go together", cmd);
	if (inter > 0 && rate > 0)
		return gn_cli_usage_error(cmd, "%s: --inter and --rate do not go together", cmd);
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing packet expression", cmd);

	status = parse_templates(argc - optind, argv + optind, &tmpls, &ntmpls);
	if (status)
		goto out;
	/* layer 2 leaves by -i, else by the default route's interface */
	if (!layer3 && !iface) {
		if (gn_cli_default_iface(dflt, sizeof(dflt)) < 0) {
			status = GN_EXIT_FAIL;
			goto out;
		}
		iface = dflt;
	}
	status = setup_fill(&s, iface);
	if (status)
		goto out;
	s.arena = gn_arena_new(1 << 16);
	if (!s.arena) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
		goto out;
	}
	c.on = loop || rounds > 1;
	for (size_t t = 0; t < ntmpls && c.on; t++)
		c.on = !packet_random(tmpls[t], 0);
	s.so.period_s = inter > 0 ? inter : rate > 0 ? 1 / rate : 0;
	s.so.stop = &gn_cli_stop;
	s.so.flushed = progress;
	s.so.ctx = &s;
	/* sendp's interface is open from the start (its errors come first);
	 * send opens each as its packets need it */
	if (iface) {
		const struct gn_iface *ifc = gn_netdb_iface_by_name(s.db, iface);

		if (!ifc) {
			gn_cli_err("%s: no such interface", iface);
			status = GN_EXIT_FAIL;
			goto out;
		}
		if (!have_iface(&s, ifc->index)) {
			status = GN_EXIT_FAIL;
			goto out;
		}
	}
	/* Deadlines are kept to the microsecond, not the default 50 us slack. */
	if (s.so.period_s > 0)
		prctl(PR_SET_TIMERSLACK, 1UL);
	s.tty = gn_cli_verbosity >= 0 && isatty(STDERR_FILENO);
	gn_cli_catch_stop();

	s.t0 = gn_monotonic_ns();
	for (uint64_t r = 0; go && (loop || r < rounds); r++) {
		if (r && c.on)
			go = send_cached(&s, &c);
		else
			go = send_built(&s, tmpls, ntmpls, &c);
		/* An expression that stands for no packet (or none that can
		 * be sent): nothing to repeat. */
		if (!r) {
			if (s.tx)
				gn_sender_stats(s.tx, &st);
			if (!s.tx || !st.pushed)
				break;
		}
	}
	gn_cli_fill_flush(&s.report);
	if (s.tx && s.status == GN_EXIT_OK && !gn_cli_stop) {
		int rc = gn_sender_flush(s.tx, &err);

		if (rc < 0 && rc != -EINTR) {
			gn_cli_err("%s: %s", cmd, err.code ? err.msg : gn_strerror(rc));
			s.status = GN_EXIT_FAIL;
		}
	}
	if (s.progress_shown)
		fputs("\r\033[K", stderr);
	/* Scapy's verbose=0 leaves this out too */
	if (gn_cli_verbosity >= 0)
		gn_sb_printf(&gn_out, "Sent %llu packets.\n",
			     (unsigned long long)(s.sent_before +
						  (s.tx ? gn_sender_sent(s.tx) : 0)));
	status = s.status;
	/* packets that could not be filled were reported: the run failed in part */
	if (!status && s.report.failed)
		status = GN_EXIT_FAIL;
	/* Ctrl-C is how --loop ends; anything else it cut short says so. */
	if (!status && gn_cli_stop && !loop)
		status = 128 + gn_cli_stop;
out:
	gn_sender_free(s.tx);
	gn_io_close(s.io);
	gn_resolver_free(s.res);
	gn_netdb_close(s.db);
	gn_cli_routes_free(&s.routes);
	gn_arena_free(s.arena);
	for (size_t i = 0; i < CHUNK; i++)
		gn_packet_free(s.chunk[i]);
	for (size_t t = 0; t < ntmpls; t++)
		gn_packet_free(tmpls[t]);
	free(tmpls);
	cache_free(&c);
	return status;
}

int gn_cmd_sendp(int argc, char **argv)
{
	return run_send(argc, argv, false);
}

int gn_cmd_send(int argc, char **argv)
{
	return run_send(argc, argv, true);
}
