// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet sniff: capture on one or more interfaces (or read a file with -r),
 * print each packet as `read` does and/or write it to a capture file, until
 * a count, a timeout, Ctrl-C or SIGTERM; then, as tcpdump, the counts. */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "cli.h"

#define SNIFF_SNAPLEN 262144
#define SNIFF_MAX_IFACES 64

struct sniff {
	enum gn_cli_fmt fmt;
	const char *fmt_arg;
	bool print;
	bool named;                 /* several interfaces: say which one */
	struct gn_io_iface ifs[SNIFF_MAX_IFACES];
	unsigned nifs;
	struct gn_pcap_writer *w;
	const char *wpath;
	struct gn_strbuf json;      /* one JSON object, to add "iface" to */
	const char *backend;        /* "afpacket" or "xdp" */
	uint64_t n;                 /* packets captured: printed and written */
	int status;                 /* why a callback stopped the loop */
};

static const char *iface_name(const struct sniff *s, int ifindex)
{
	for (unsigned i = 0; i < s->nifs; i++)
		if (s->ifs[i].ifindex == ifindex)
			return s->ifs[i].name;
	return "?";
}

/* With several interfaces, each packet says where it was seen: a word in
 * front of one-line formats, a "# IF" line above blocks, a key in JSON. */
static int print_named(struct sniff *s, const struct gn_frame *f, const struct gn_packet *p,
		       struct gn_error *err)
{
	const char *name = iface_name(s, f->meta.ifindex);
	uint64_t n = s->n;

	switch (s->fmt) {
	case GN_FMT_JSON:
		gn_sb_reset(&s->json);
		gn_json(p, &s->json);
		gn_sb_puts(&gn_out, "{\"iface\":");
		gn_sb_json_str(&gn_out, name, strlen(name));
		gn_sb_putc(&gn_out, ',');
		gn_sb_puts(&gn_out, s->json.s ? s->json.s + 1 : "}");
		gn_sb_putc(&gn_out, '\n');
		gn_out_maybe_flush();
		return 0;
	case GN_FMT_SHOW:
	case GN_FMT_HEXDUMP:
		if (s->fmt == GN_FMT_HEXDUMP && n)
			gn_sb_putc(&gn_out, '\n');
		gn_sb_printf(&gn_out, "# %s\n", name);
		n = 0;  /* the separation is done */
		break;
	default:
		gn_sb_printf(&gn_out, "%s ", name);
		break;
	}
	return gn_cli_print(p, f->data, f->meta.cap_len, s->fmt, s->fmt_arg, n, err);
}

static int on_frame(void *ctx, const struct gn_frame *f, struct gn_packet *p)
{
	struct sniff *s = ctx;
	struct gn_error err = { 0 };
	int rc;

	if (s->w) {
		rc = gn_pcap_write(s->w, f->data, f->meta.cap_len, &f->meta);
		if (rc < 0) {
			gn_cli_err("%s: %s", s->wpath, gn_strerror(rc));
			s->status = GN_EXIT_FAIL;
			return rc;
		}
	}
	if (s->print) {
		if (s->named)
			rc = print_named(s, f, p, &err);
		else
			rc = gn_cli_print(p, f->data, f->meta.cap_len, s->fmt, s->fmt_arg, s->n, &err);
		if (rc < 0) {
			gn_cli_expr_err("bad format", s->fmt_arg, &err);
			s->status = GN_EXIT_USAGE;
			return rc;
		}
	}
	s->n++;
	return 0;
}

/* Live output: what a burst printed goes out before waiting for more. */
static int on_burst(void *ctx)
{
	struct sniff *s = ctx;
	int rc;

	if (!gn_out.len)
		return 0;
	rc = gn_out_flush();
	if (rc < 0) {
		fprintf(stderr, "gannet: write error: %s\n", gn_strerror(rc));
		s->status = GN_EXIT_FAIL;
		return rc;
	}
	return 0;
}

static int open_writer(struct sniff *s, int linktype)
{
	struct gn_error err = { 0 };
	int rc;

	rc = gn_pcap_create(s->wpath, gn_pcap_format_for(s->wpath), linktype, SNIFF_SNAPLEN,
			    &s->w, &err);
	if (rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return 0;
}

static int finish_writer(struct sniff *s)
{
	int rc;

	if (!s->w)
		return 0;
	rc = gn_pcap_finish(s->w);
	s->w = NULL;
	if (rc < 0) {
		gn_cli_err("%s: %s", s->wpath, gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return 0;
}

static int sniff_file(struct sniff *s, const char *path, const char *filter, uint64_t count)
{
	struct gn_pcap_reader *r = NULL;
	struct gn_packet *pkt = NULL;
	const struct gn_proto *raw = gn_proto_find("Raw");
	struct gn_error err = { 0 };
	struct gn_frame f;
	int rc, status;

	rc = gn_pcap_open(path, filter, &r, &err);
	if (rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		return rc == -EINVAL && filter ? GN_EXIT_USAGE : GN_EXIT_FAIL;
	}
	if (s->print) {
		pkt = gn_packet_new();
		if (!pkt) {
			gn_pcap_close(r);
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
	}
	status = s->wpath ? open_writer(s, gn_pcap_linktype(r)) : 0;
	while (!status && !gn_cli_stop && (!count || s->n < count) &&
	       (rc = gn_pcap_next(r, &f, &err)) == 1) {
		if (pkt) {
			const struct gn_proto *first =
				gn_proto_for_linktype(f.meta.linktype, f.data, f.meta.cap_len);

			gn_dissect(pkt, first ? first : raw, f.data, f.meta.cap_len);
			pkt->meta = f.meta;
		}
		if (on_frame(s, &f, pkt) < 0)
			status = s->status;
	}
	if (!status && rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
	}
	if (finish_writer(s) && !status)
		status = GN_EXIT_FAIL;
	gn_packet_free(pkt);
	gn_pcap_close(r);
	return status;
}

static void say_listening(const struct sniff *s, unsigned snaplen)
{
	const char *lt = pcap_datalink_val_to_name(s->ifs[0].linktype);
	const char *desc = pcap_datalink_val_to_description(s->ifs[0].linktype);

	gn_out_flush();
	fputs("gannet: listening on ", stderr);
	for (unsigned i = 0; i < s->nifs; i++)
		fprintf(stderr, "%s%s", i ? ", " : "", s->ifs[i].name);
	fprintf(stderr, ", link-type %s (%s), snapshot length %u bytes\n", lt ? lt : "?",
		desc ? desc : "?", snaplen);
	fflush(stderr);
}

/* --backend xdp: with no filter, a rule that takes every frame (they then
 * bypass the kernel's stack); then a line on how each interface was set up,
 * since XDP can go several ways. */
static int xdp_setup(struct gn_io *io, const struct sniff *s, const struct gn_io_opts *o)
{
	struct gn_steer_rule all = { .match = 0 };
	struct gn_error err = { 0 };
	struct gn_io_xdp_info xi;

	if (!o->filter && gn_io_steer_add(io, &all, &err) < 0) {
		gn_cli_err("%s", err.msg);
		return GN_EXIT_FAIL;
	}
	for (unsigned i = 0; i < s->nifs && !gn_io_xdp_info(io, i, &xi); i++) {
		fprintf(stderr, "gannet: %s: XDP in %s mode, %s%s%s%s; AF_XDP on %u of %u queue%s, %s\n",
			s->ifs[i].name, xi.native ? "native" : "generic",
			xi.dispatcher ? "under libxdp's dispatcher" : "attached directly",
			xi.dispatcher ? "" : " (", xi.why_direct, xi.dispatcher ? "" : ")",
			xi.nqueues, xi.queues_total, xi.queues_total == 1 ? "" : "s",
			xi.zero_copy ? "zero-copy" : "copy mode");
		if (xi.replaced_id)
			fprintf(stderr, "gannet: %s: replaced XDP program %u, left by a run that was killed\n",
				s->ifs[i].name, xi.replaced_id);
	}
	return 0;
}

/* --backend monitor: how each interface got its program. */
static void monitor_setup(struct gn_io *io, const struct sniff *s)
{
	struct gn_io_xdp_info xi;

	for (unsigned i = 0; i < s->nifs && !gn_io_monitor_info(io, i, &xi); i++) {
		fprintf(stderr, "gannet: %s: monitor XDP program in %s mode, %s%s%s%s\n",
			s->ifs[i].name, xi.native ? "native" : "generic",
			xi.dispatcher ? "under libxdp's dispatcher" : "attached directly",
			xi.dispatcher ? "" : " (", xi.why_direct, xi.dispatcher ? "" : ")");
		if (xi.replaced_id)
			fprintf(stderr, "gannet: %s: replaced XDP program %u, left by a run that was killed\n",
				s->ifs[i].name, xi.replaced_id);
	}
}

static int sniff_live(struct sniff *s, struct gn_io_opts *o, uint64_t count, uint64_t timeout_ms)
{
	struct gn_sniff_opts so = {
		.sz = sizeof(so), .count = count, .timeout_ms = timeout_ms,
		.stop = &gn_cli_stop, .dissect = s->print && s->fmt != GN_FMT_HEX &&
			s->fmt != GN_FMT_HEXDUMP,
		.burst_end = on_burst,
	};
	struct gn_error err = { 0 };
	struct gn_io_stats st;
	struct gn_xdp_counters xc;
	struct gn_monitor_counters mc;
	bool have_xdp, have_mon;
	struct gn_io *io;
	int rc, status = GN_EXIT_OK;

	rc = gn_io_open(s->backend, o, &io, &err);
	if (rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		/* A filter that does not compile is the user's to fix. */
		return rc == -EINVAL ? GN_EXIT_USAGE : GN_EXIT_FAIL;
	}
	for (s->nifs = 0; s->nifs < o->nifaces; s->nifs++)
		gn_io_iface(io, s->nifs, &s->ifs[s->nifs]);
	s->named = s->nifs > 1;
	for (unsigned i = 1; i < s->nifs && s->wpath; i++) {
		if (s->ifs[i].linktype != s->ifs[0].linktype) {
			gn_cli_err("%s and %s have different link types: one capture file cannot hold both",
				   s->ifs[0].name, s->ifs[i].name);
			gn_io_close(io);
			return GN_EXIT_FAIL;
		}
	}
	if (!strcmp(s->backend, "monitor"))
		monitor_setup(io, s);
	if ((!strcmp(s->backend, "xdp") && (status = xdp_setup(io, s, o))) ||
	    (s->wpath && open_writer(s, s->ifs[0].linktype))) {
		gn_io_close(io);
		return GN_EXIT_FAIL;
	}
	say_listening(s, o->snaplen);

	rc = gn_sniff(io, &so, on_frame, s, &err);
	if (rc < 0) {
		status = s->status ? s->status : GN_EXIT_FAIL;
		if (!s->status)
			gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
	}
	if (finish_writer(s) && !status)
		status = GN_EXIT_FAIL;
	gn_io_stats(io, &st);
	have_xdp = gn_io_xdp_counters(io, &xc) == 0;
	have_mon = gn_io_monitor_counters(io, &mc) == 0;
	gn_io_close(io);
	if (gn_out_flush() < 0 && !status)
		status = GN_EXIT_FAIL;
	if (gn_cli_verbosity < 0)
		return status;
	fprintf(stderr, "%llu packet%s captured, %llu dropped by kernel\n",
		(unsigned long long)s->n, s->n == 1 ? "" : "s",
		(unsigned long long)st.kernel_dropped);
	/* what the XDP program did with every frame: no loss goes unsaid */
	if (have_xdp)
		fprintf(stderr, "xdp: %llu seen, %llu matched, %llu redirected, %llu passed, "
			"%llu redirect failed; sockets: %llu ring full, %llu dropped\n",
			(unsigned long long)xc.seen, (unsigned long long)xc.matched,
			(unsigned long long)xc.redirected, (unsigned long long)xc.passed,
			(unsigned long long)xc.redirect_failed, (unsigned long long)xc.rx_ring_full,
			(unsigned long long)xc.rx_dropped);
	if (have_mon)
		fprintf(stderr, "monitor: %llu seen, %llu matched, %llu copied, %llu ringbuf full, "
			"%llu passed\n", (unsigned long long)mc.seen, (unsigned long long)mc.matched,
			(unsigned long long)mc.copied, (unsigned long long)mc.ringbuf_full,
			(unsigned long long)mc.passed);
	return status;
}

/* Seconds to ms, rounded up: 0.0001 s still waits. */
static bool parse_seconds(const char *arg, uint64_t *ms)
{
	double v;

	if (!gn_cli_parse_positive(arg, &v) || v > 1e9)
		return false;
	v *= 1000;
	*ms = (uint64_t)v;
	if ((double)*ms < v)
		(*ms)++;
	return true;
}

/* --xdp-mode */
static bool parse_xdp_mode(const char *arg, enum gn_xdp_mode *m)
{
	static const char *const names[] = { "auto", "native", "generic" };

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(arg, names[i])) {
			*m = (enum gn_xdp_mode)i;
			return true;
		}
	}
	return false;
}

enum { OPT_TIMEOUT = 256, OPT_PROMISC, OPT_NO_STORE, OPT_BACKEND, OPT_XDP_MODE };

int gn_cmd_sniff(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface",    required_argument, NULL, 'i' },
		{ "count",    required_argument, NULL, 'c' },
		{ "timeout",  required_argument, NULL, OPT_TIMEOUT },
		{ "write",    required_argument, NULL, 'w' },
		{ "read",     required_argument, NULL, 'r' },
		{ "format",   required_argument, NULL, 'F' },
		{ "promisc",  no_argument,       NULL, OPT_PROMISC },
		{ "no-store", no_argument,       NULL, OPT_NO_STORE },
		{ "backend",  required_argument, NULL, OPT_BACKEND },
		{ "xdp-mode", required_argument, NULL, OPT_XDP_MODE },
		{ "queue",    required_argument, NULL, 'Q' },
		{ "help",     no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *ifaces[SNIFF_MAX_IFACES], *rpath = NULL;
	struct sniff s = { .fmt = GN_FMT_SUMMARY, .fmt_arg = "summary", .backend = "afpacket" };
	struct gn_io_opts o = { .sz = sizeof(o), .rx = true, .outgoing = true,
				.snaplen = SNIFF_SNAPLEN };
	char dflt[IF_NAMESIZE];
	bool fmt_given = false, no_store = false, mode_opt = false, queue_opt = false;
	unsigned queue;
	uint64_t count = 0, timeout_ms = 0, v;
	char *filter = NULL;
	int opt, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:c:w:r:F:Q:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (o.nifaces == SNIFF_MAX_IFACES)
				return gn_cli_usage_error(cmd, "%s: at most %d interfaces", cmd,
							  SNIFF_MAX_IFACES);
			ifaces[o.nifaces++] = optarg;
			break;
		case 'c':
			if (!gn_cli_parse_u64(optarg, &v) || !v)
				return gn_cli_usage_error(cmd, "%s: bad count '%s'", cmd, optarg);
			count = v;
			break;
		case OPT_TIMEOUT:
			if (!parse_seconds(optarg, &timeout_ms))
				return gn_cli_usage_error(cmd, "%s: bad timeout '%s' (seconds > 0)", cmd,
							  optarg);
			break;
		case 'w':
			s.wpath = optarg;
			break;
		case 'r':
			rpath = optarg;
			break;
		case 'F':
			s.fmt_arg = optarg;
			fmt_given = true;
			if (!gn_cli_parse_fmt(optarg, &s.fmt))
				return gn_cli_usage_error(cmd, "%s: unknown format '%s'", cmd, optarg);
			break;
		case OPT_PROMISC:
			o.promisc = true;
			break;
		case OPT_NO_STORE:
			no_store = true;
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "afpacket") && strcmp(optarg, "xdp") &&
			    strcmp(optarg, "monitor"))
				return gn_cli_usage_error(cmd, "%s: unknown backend '%s' (afpacket, xdp or "
							  "monitor)", cmd, optarg);
			s.backend = optarg;
			break;
		case OPT_XDP_MODE:
			if (!parse_xdp_mode(optarg, &o.xdp_mode))
				return gn_cli_usage_error(cmd, "%s: unknown XDP mode '%s' (native, generic "
							  "or auto)", cmd, optarg);
			mode_opt = true;
			break;
		case 'Q':
			if (!gn_cli_parse_u64(optarg, &v) || v > 65535)
				return gn_cli_usage_error(cmd, "%s: bad queue '%s'", cmd, optarg);
			queue = (unsigned)v;
			o.queues = &queue;
			o.nqueues = 1;
			queue_opt = true;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (no_store && fmt_given)
		return gn_cli_usage_error(cmd, "%s: --no-store prints nothing: -F makes no sense with it",
					  cmd);
	if (rpath && o.nifaces)
		return gn_cli_usage_error(cmd, "%s: -r reads a file: no interface (-i) with it", cmd);
	if (queue_opt && strcmp(s.backend, "xdp"))
		return gn_cli_usage_error(cmd, "%s: -Q goes with --backend xdp", cmd);
	if (mode_opt && !strcmp(s.backend, "afpacket"))
		return gn_cli_usage_error(cmd, "%s: --xdp-mode goes with --backend xdp or monitor",
					  cmd);
	if (rpath && strcmp(s.backend, "afpacket"))
		return gn_cli_usage_error(cmd, "%s: -r reads a file: no --backend with it", cmd);
	/* As tcpdump: with -w the packets go to the file, not the screen,
	 * unless a format asks for both. */
	s.print = !no_store && (!s.wpath || fmt_given);
	if (s.print && s.wpath && !strcmp(s.wpath, "-"))
		return gn_cli_usage_error(cmd, "%s: -w - writes the capture to stdout: no -F with it",
					  cmd);
	if (optind < argc) {
		filter = gn_cli_join(argc - optind, argv + optind);
		if (!filter) {
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
	}
	gn_sb_init(&s.json);
	gn_cli_catch_stop();
	if (rpath) {
		status = sniff_file(&s, rpath, filter, count);
	} else {
		if (!o.nifaces) {
			if (gn_cli_default_iface(dflt, sizeof(dflt)) < 0) {
				free(filter);
				return GN_EXIT_FAIL;
			}
			ifaces[o.nifaces++] = dflt;
		}
		o.ifaces = ifaces;
		o.filter = filter;
		status = sniff_live(&s, &o, count, timeout_ms);
	}
	gn_sb_free(&s.json);
	free(filter);
	return status;
}
