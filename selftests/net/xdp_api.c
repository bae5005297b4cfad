// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The xdp backend through the library API, for test_xdp.sh.  Two modes:
 *
 *   xdp_api listen IF [--mode auto|native|generic] [--queue Q] [--filter EXPR]
 *                  [--count N] [--timeout S] [--busy-poll 0|1]
 *                  [--copy auto|copy|zerocopy] RULE...
 *       Open IF with the xdp backend, add the rules, say "ready", then print
 *       one line per frame received ("rx SUMMARY"), until N frames, S
 *       seconds, SIGINT or SIGTERM; then "info ..." and "counters ...".
 *       A RULE is comma-separated key=value: ethertype=0x0806 proto=17
 *       src=10.0.0.0/24 dst=fd00::1/128 sport=40000-40010 dport=1337
 *       icmp_type=8 icmp_id=4242 escp; "all" is the rule that takes every frame.
 *
 *   xdp_api api RX-IF TX-IF
 *       TAP lines ("ok - NAME" / "not ok - NAME") for the API itself: rules
 *       added, counted twice, deleted, refused; frames sent through the tx
 *       ring of TX-IF come back through the rx ring of RX-IF (a veth pair),
 *       intact; counters and stats agree.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <gannet/gannet.h>

#include "api_tap.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int prefix(const char *s, struct gn_steer_prefix *p)
{
	char buf[64], *slash;
	int len;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, buf, p->addr) == 1) {
		p->family = AF_INET;
		len = 32;
	} else if (inet_pton(AF_INET6, buf, p->addr) == 1) {
		p->family = AF_INET6;
		len = 128;
	} else {
		return -1;
	}
	p->len = (uint8_t)(slash ? atoi(slash) : len);
	return 0;
}

static void range(const char *s, uint16_t *lo, uint16_t *hi)
{
	const char *dash = strchr(s, '-');

	*lo = (uint16_t)strtoul(s, NULL, 0);
	*hi = dash ? (uint16_t)strtoul(dash + 1, NULL, 0) : 0;
}

/* "proto=17,dport=1337" -> a rule; -1 on a word it does not know. */
static int parse_rule(const char *text, struct gn_steer_rule *r)
{
	char buf[256], *save = NULL, *w;

	memset(r, 0, sizeof(*r));
	snprintf(buf, sizeof(buf), "%s", text);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		char *v = strchr(w, '=');

		if (v)
			*v++ = '\0';
		if (!strcmp(w, "all")) {
			continue;
		} else if (!strcmp(w, "escp")) {
			r->match |= GN_STEER_ESCP;
		} else if (!v) {
			return -1;
		} else if (!strcmp(w, "ethertype")) {
			r->match |= GN_STEER_ETHERTYPE;
			r->ethertype = (uint16_t)strtoul(v, NULL, 0);
		} else if (!strcmp(w, "proto")) {
			r->match |= GN_STEER_IP_PROTO;
			r->ip_proto = (uint8_t)strtoul(v, NULL, 0);
		} else if (!strcmp(w, "src") || !strcmp(w, "dst")) {
			r->match |= w[0] == 's' ? GN_STEER_SRC : GN_STEER_DST;
			if (prefix(v, w[0] == 's' ? &r->src : &r->dst))
				return -1;
		} else if (!strcmp(w, "sport")) {
			r->match |= GN_STEER_SPORT;
			range(v, &r->sport, &r->sport_max);
		} else if (!strcmp(w, "dport")) {
			r->match |= GN_STEER_DPORT;
			range(v, &r->dport, &r->dport_max);
		} else if (!strcmp(w, "icmp_type")) {
			r->match |= GN_STEER_ICMP_TYPE;
			r->icmp_type = (uint8_t)strtoul(v, NULL, 0);
		} else if (!strcmp(w, "icmp_id")) {
			r->match |= GN_STEER_ICMP_ID;
			r->icmp_id = (uint16_t)strtoul(v, NULL, 0);
		} else {
			return -1;
		}
	}
	return 0;
}

struct listen {
	struct gn_strbuf sb;
};

static int on_frame(void *ctx, const struct gn_frame *f, struct gn_packet *p)
{
	struct listen *l = ctx;

	(void)f;
	gn_sb_reset(&l->sb);
	gn_summary(p, &l->sb);
	printf("rx %s\n", l->sb.s ? l->sb.s : "");
	return 0;
}

static int flush_out(void *ctx)
{
	(void)ctx;
	fflush(stdout);
	return 0;
}

static int listen_main(int argc, char **argv)
{
	const char *ifs[1] = { argv[2] };
	struct gn_io_opts o = { .sz = sizeof(o), .ifaces = ifs, .nifaces = 1, .rx = true };
	struct gn_sniff_opts so = { .sz = sizeof(so), .stop = &stop, .dissect = true,
				    .burst_end = flush_out, .timeout_ms = 30000 };
	struct listen l;
	struct gn_error err = { 0 };
	struct gn_io_xdp_info xi;
	struct gn_xdp_counters c;
	struct gn_io_stats st;
	struct gn_io *io;
	unsigned queue;
	int i, rc;

	for (i = 3; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (i + 1 >= argc)
			return 2;
		if (!strcmp(argv[i], "--mode"))
			o.xdp_mode = !strcmp(argv[i + 1], "native") ? GN_XDP_MODE_NATIVE :
				     !strcmp(argv[i + 1], "generic") ? GN_XDP_MODE_GENERIC :
				     GN_XDP_MODE_AUTO;
		else if (!strcmp(argv[i], "--queue"))
			queue = (unsigned)atoi(argv[i + 1]), o.queues = &queue, o.nqueues = 1;
		else if (!strcmp(argv[i], "--filter"))
			o.filter = argv[i + 1];
		else if (!strcmp(argv[i], "--count"))
			so.count = strtoull(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "--timeout"))
			so.timeout_ms = strtoull(argv[i + 1], NULL, 0) * 1000;
		else if (!strcmp(argv[i], "--busy-poll"))
			o.busy_poll = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--copy"))
			o.xdp_copy = !strcmp(argv[i + 1], "zerocopy") ? GN_XDP_COPY_ZEROCOPY :
				     !strcmp(argv[i + 1], "copy") ? GN_XDP_COPY_COPY : GN_XDP_COPY_AUTO;
		else
			return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	rc = gn_io_open("xdp", &o, &io, &err);
	if (rc) {
		fprintf(stderr, "error: %s\n", err.msg);
		return 1;
	}
	for (; i < argc; i++) {
		struct gn_steer_rule r;

		if (parse_rule(argv[i], &r)) {
			fprintf(stderr, "error: bad rule '%s'\n", argv[i]);
			gn_io_close(io);
			return 2;
		}
		if ((rc = gn_io_steer_add(io, &r, &err))) {
			fprintf(stderr, "error: %s\n", err.msg);
			gn_io_close(io);
			return 1;
		}
	}
	gn_io_xdp_info(io, 0, &xi);
	printf("ready\n");
	fflush(stdout);
	gn_sb_init(&l.sb);
	rc = gn_sniff(io, &so, on_frame, &l, &err);
	if (rc)
		fprintf(stderr, "error: %s\n", err.msg);
	gn_sb_free(&l.sb);
	gn_io_xdp_counters(io, &c);
	gn_io_stats(io, &st);
	printf("info native=%d dispatcher=%d zero_copy=%d busy_poll=%d queues=%u/%u prog=%u "
	       "replaced=%u\n", xi.native, xi.dispatcher, xi.zero_copy, xi.busy_poll, xi.nqueues,
	       xi.queues_total, xi.prog_id, xi.replaced_id);
	printf("counters seen=%llu matched=%llu redirected=%llu passed=%llu failed=%llu "
	       "filtered=%llu received=%llu ring_full=%llu rx_dropped=%llu kernel_dropped=%llu\n",
	       (unsigned long long)c.seen, (unsigned long long)c.matched,
	       (unsigned long long)c.redirected, (unsigned long long)c.passed,
	       (unsigned long long)c.redirect_failed, (unsigned long long)c.filtered,
	       (unsigned long long)st.received, (unsigned long long)c.rx_ring_full,
	       (unsigned long long)c.rx_dropped, (unsigned long long)st.kernel_dropped);
	gn_io_close(io);
	return rc ? 1 : 0;
}

/* ---- api ------------------------------------------------------------------ */

/* Ether()/IP(id=i)/UDP(sport=4000,dport=dport)/'payload' */
static int build(struct gn_arena *a, unsigned i, unsigned dport, uint8_t **data, size_t *len)
{
	char expr[160];
	struct gn_packet *p;
	struct gn_error err = { 0 };
	int rc;

	snprintf(expr, sizeof(expr),
		 "Ether(dst='02:00:00:00:00:01')/IP(id=%u)/UDP(sport=4000,dport=%u)/'payload'",
		 i, dport);
	rc = gn_parse(expr, &p, &err);
	if (rc)
		return rc;
	rc = gn_build(p, a, data, len);
	gn_packet_free(p);
	return rc;
}

static void api_rules(struct gn_io *io)
{
	struct gn_steer_rule r = { .match = GN_STEER_IP_PROTO | GN_STEER_DPORT,
				   .ip_proto = IPPROTO_UDP, .dport = 40000 };
	struct gn_steer_rule bad = r;
	struct gn_error err = { 0 };
	int rc, n = 0;

	rc = gn_io_steer_add(io, &r, &err);
	rc = rc ? rc : gn_io_steer_add(io, &r, &err);
	rc = rc ? rc : gn_io_steer_del(io, &r, &err);
	check(rc == 0, "a rule added twice, deleted once", err.msg);
	memset(&err, 0, sizeof(err));
	bad.dport_max = 10;
	rc = gn_io_steer_add(io, &bad, &err);
	check(rc == -EINVAL && strstr(err.msg, "ends before it starts"),
	      "a port range that ends before it starts is refused", err.msg);
	memset(&err, 0, sizeof(err));
	bad = r;
	bad.match |= GN_STEER_SRC | GN_STEER_DST;
	bad.src.family = AF_INET;
	bad.dst.family = AF_INET6;
	rc = gn_io_steer_add(io, &bad, &err);
	check(rc == -EINVAL && strstr(err.msg, "different families"),
	      "source and destination of different families are refused", err.msg);
	memset(&err, 0, sizeof(err));
	bad.match = 1u << 31;
	rc = gn_io_steer_add(io, &bad, &err);
	check(rc == -EINVAL && strstr(err.msg, "unknown match bits"), "unknown match bits are refused",
	      err.msg);
	memset(&err, 0, sizeof(err));
	bad = r;
	rc = 0;
	for (int i = 0; i < 70 && !rc; i++) {
		bad.dport = (uint16_t)(1000 + i);
		rc = gn_io_steer_add(io, &bad, &err);
		n += !rc;
	}
	/* 63 new ones fit beside the first */
	check(rc == -ENOSPC && n == 63 && strstr(err.msg, "at most 64"),
	      "the 65th distinct rule: -ENOSPC", err.msg);
	memset(&err, 0, sizeof(err));
	rc = gn_io_steer_clear(io, &err);
	rc = rc ? rc : gn_io_steer_add(io, &r, &err);
	check(rc == 0, "clearing the rules makes room again", err.msg);
	memset(&err, 0, sizeof(err));
	bad.dport = 999;
	rc = gn_io_steer_del(io, &bad, &err);
	check(rc == -ENOENT, "deleting a rule never added: -ENOENT", err.msg);
}

/* Frames out of tx's tx ring come back on rx's rx ring through the veth. */
static void api_loop(struct gn_io *rx, struct gn_io *tx, int tx_ifindex)
{
	struct gn_arena *a = gn_arena_new(1 << 16);
	struct gn_frame out[100], in[64];
	struct gn_xdp_counters c;
	struct gn_io_stats st;
	unsigned got = 0, same = 0;
	char why[256];
	int n, k;
	int64_t t0;

	for (unsigned i = 0; i < 100; i++) {
		uint8_t *d;
		size_t len;

		/* every other frame to a port no rule takes */
		if (build(a, i + 1, i % 2 ? 40001 : 40000, &d, &len))
			return;
		memset(&out[i], 0, sizeof(out[i]));
		out[i].data = d;
		out[i].meta.cap_len = out[i].meta.wire_len = (uint32_t)len;
		out[i].meta.ifindex = tx_ifindex;
	}
	n = gn_io_send(tx, out, 100);
	check(n == 100, "gn_io_send of 100 frames through the AF_XDP tx ring", gn_io_errmsg(tx));
	t0 = mono_ms();
	while (got < 50 && mono_ms() - t0 < 3000) {
		n = gn_io_recv(rx, in, 64, 100);
		if (n < 0)
			break;
		for (k = 0; k < n; k++, got++) {
			const struct gn_frame *f = &in[k];
			const struct gn_frame *o = &out[2 * got];

			if (got < 50 && f->meta.cap_len == o->meta.cap_len && f->meta.ts_ns > 0 &&
			    f->meta.linktype == 1 && !memcmp(f->data, o->data, f->meta.cap_len))
				same++;
		}
	}
	n = gn_io_recv(rx, in, 64, 200);
	snprintf(why, sizeof(why), "%u received, %u intact, then %d more", got, same, n);
	check(got == 50 && same == 50 && n == 0,
	      "gn_io_recv gives back exactly the 50 the rule takes, in order, intact", why);
	gn_io_xdp_counters(rx, &c);
	gn_io_stats(rx, &st);
	snprintf(why, sizeof(why), "seen %llu redirected %llu passed %llu failed %llu matched %llu "
		 "received %llu dropped %llu", (unsigned long long)c.seen,
		 (unsigned long long)c.redirected, (unsigned long long)c.passed,
		 (unsigned long long)c.redirect_failed, (unsigned long long)c.matched,
		 (unsigned long long)st.received, (unsigned long long)st.kernel_dropped);
	check(c.seen == c.redirected + c.passed + c.redirect_failed && c.redirected == 50 &&
	      c.matched == 50 && st.received == 50 && st.kernel_dropped == 0,
	      "counters: seen = redirected + passed + failed, 50 redirected and received", why);
	gn_io_stats(tx, &st);
	check(st.sent == 100 && st.send_errors == 0, "gn_io_stats of the sender: 100 sent",
	      "wrong send counts");
	gn_arena_free(a);
}

static int api_main(char **argv)
{
	const char *rxif[1] = { argv[2] }, *txif[1] = { argv[3] };
	struct gn_io_opts o = { .sz = sizeof(o), .ifaces = rxif, .nifaces = 1, .rx = true };
	struct gn_io_opts t = { .sz = sizeof(t), .ifaces = txif, .nifaces = 1, .tx = true };
	struct gn_steer_rule r = { .match = GN_STEER_IP_PROTO | GN_STEER_DPORT,
				   .ip_proto = IPPROTO_UDP, .dport = 40000 };
	struct gn_error err = { 0 };
	struct gn_io *rx = NULL, *tx = NULL, *af = NULL, *dup = NULL;
	struct gn_io_xdp_info xi;
	struct gn_xdp_counters c;
	int rc;

	rc = gn_io_open("xdp", &o, &rx, &err);
	check(rc == 0, "gn_io_open xdp rx", err.msg);
	if (rc)
		return 1;
	rc = gn_io_open("xdp", &t, &tx, &err);
	check(rc == 0, "gn_io_open xdp tx only (no program)", err.msg);
	if (rc)
		return 1;
	check(gn_io_xdp_info(rx, 0, &xi) == 0 && xi.prog_id && xi.nqueues >= 1 &&
	      gn_io_xdp_info(rx, 1, &xi) == -ENOENT, "gn_io_xdp_info", "wrong info");
	rc = gn_io_open("xdp", &o, &dup, &err);
	check(rc == -EBUSY && strstr(err.msg, "this process already steers it"),
	      "a second xdp io on the same interface: -EBUSY", err.msg);
	api_rules(rx);
	memset(&err, 0, sizeof(err));
	gn_io_steer_clear(rx, &err);
	rc = gn_io_steer_add(rx, &r, &err);
	check(rc == 0, "the rule for the loop test", err.msg);
	api_loop(rx, tx, (int)if_nametoindex(argv[3]));

	memset(&err, 0, sizeof(err));
	o.ifaces = txif;
	rc = gn_io_open("afpacket", &o, &af, &err);
	if (!rc) {
		rc = gn_io_steer_add(af, &r, &err);
		check(rc == -EOPNOTSUPP && strstr(err.msg, "xdp backend") &&
		      gn_io_xdp_counters(af, &c) == -EOPNOTSUPP && gn_io_xdp_info(af, 0, &xi) ==
		      -EOPNOTSUPP, "the steer API on an afpacket io: -EOPNOTSUPP", err.msg);
		gn_io_close(af);
	}
	gn_io_close(tx);
	gn_io_close(rx);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "listen"))
		return listen_main(argc, argv);
	if (argc == 4 && !strcmp(argv[1], "api"))
		return api_main(argv);
	fprintf(stderr, "usage: xdp_api listen IF [options] RULE... | xdp_api api RX-IF TX-IF\n");
	return 2;
}
