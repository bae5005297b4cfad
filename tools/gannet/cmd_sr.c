// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet srp / srp1: send layer-2 probes and print what answered them,
 * Scapy's srp() and srp1() on the command line.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct probes {
	struct gn_packet **v;
	size_t n, cap;
};

static int keep_probe(void *ctx, const struct gn_packet *p, const uint8_t *data, size_t len)
{
	struct probes *ps = ctx;

	(void)data;
	(void)len;
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 64;
		struct gn_packet **nv = realloc(ps->v, cap * sizeof(*nv));

		if (!nv) {
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
		ps->v = nv;
		ps->cap = cap;
	}
	ps->v[ps->n] = gn_packet_copy(p);
	if (!ps->v[ps->n]) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	ps->n++;
	return 0;
}

static int parse_int(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (end == s || *end || v < -1000000 || v > 1000000)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* "probe ==> reply", as Scapy's SndRcvList.summary() prints a pair. */
static void print_pair(const struct gn_sr_pair *pr)
{
	gn_summary(pr->probe, &gn_out);
	gn_sb_puts(&gn_out, " ==> ");
	gn_summary(pr->reply, &gn_out);
	gn_sb_putc(&gn_out, '\n');
}

static void print_pair_json(const struct gn_sr_pair *pr)
{
	gn_sb_puts(&gn_out, "{\"probe\":");
	gn_json(pr->probe, &gn_out);
	gn_sb_puts(&gn_out, ",\"reply\":");
	gn_json(pr->reply, &gn_out);
	gn_sb_printf(&gn_out, ",\"rtt_ms\":%.3f}\n", (pr->recv_ns - pr->sent_ns) / 1e6);
}

enum { OPT_TIMEOUT = 256, OPT_RETRY, OPT_INTER, OPT_MULTI };

static int run_sr(int argc, char **argv, bool first_only)
{
	static const struct option opts[] = {
		{ "iface",   required_argument, NULL, 'i' },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "retry",   required_argument, NULL, OPT_RETRY },
		{ "inter",   required_argument, NULL, OPT_INTER },
		{ "multi",   no_argument,       NULL, OPT_MULTI },
		{ "format",  required_argument, NULL, 'F' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *iface = NULL, *sprintf_fmt = NULL;
	struct gn_sr_opts so = { .sz = sizeof(so), .timeout = 2.0, .stop_when_done = true,
				 .stop = &gn_cli_stop };
	struct gn_io_opts o = { .sz = sizeof(o), .rx = true, .tx = true };
	struct probes ps = { 0 };
	struct gn_cli_gen g = { .emit = keep_probe, .ctx = &ps };
	struct gn_sr_result res = { 0 };
	struct gn_io *io = NULL;
	struct gn_error err = { 0 };
	enum gn_cli_fmt fmt = GN_FMT_SUMMARY;
	bool json = false;
	int opt, rc, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:F:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			iface = optarg;
			break;
		case OPT_TIMEOUT:
			if (!gn_cli_parse_positive(optarg, &so.timeout))
				return gn_cli_usage_error(cmd, "%s: bad timeout '%s' (seconds > 0)",
							  cmd, optarg);
			break;
		case OPT_RETRY:
			if (parse_int(optarg, &so.retry))
				return gn_cli_usage_error(cmd, "%s: bad retry '%s' (an integer)", cmd,
							  optarg);
			break;
		case OPT_INTER:
			if (!gn_cli_parse_positive(optarg, &so.inter))
				return gn_cli_usage_error(cmd, "%s: bad interval '%s' (seconds > 0)", cmd,
							  optarg);
			break;
		case OPT_MULTI:
			so.multi = true;
			so.stop_when_done = false;
			break;
		case 'F':
			if (!strcmp(optarg, "json")) {
				json = true;
				break;
			}
			if (!gn_cli_parse_fmt(optarg, &fmt))
				return gn_cli_usage_error(cmd, "%s: unknown format '%s'", cmd, optarg);
			sprintf_fmt = optarg;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing packet expression", cmd);
	status = gn_cli_gen_run(&g, argc - optind, argv + optind);
	if (status)
		goto out;
	status = gn_cli_open_one(iface, &o, &io);
	if (status)
		goto out;
	gn_cli_catch_stop();
	rc = gn_sr(io, ps.v, ps.n, &so, &res, &err);
	if (rc < 0) {
		gn_cli_err("%s: %s", cmd, err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
		goto out;
	}
	if (first_only) {
		/* Scapy's srp1: the first answer, shown; nothing if none came */
		if (res.npairs) {
			if (json)
				print_pair_json(&res.pairs[0]);
			else if (gn_cli_print(res.pairs[0].reply, NULL, 0,
					      sprintf_fmt ? fmt : GN_FMT_SHOW, sprintf_fmt, 0, &err))
				gn_cli_expr_err(NULL, sprintf_fmt, &err);
		}
		status = res.npairs ? GN_EXIT_OK : GN_EXIT_FAIL;
	} else {
		gn_sb_printf(&gn_out, "Received %llu packets, got %zu answers, remaining %zu packets\n",
			     (unsigned long long)res.received, res.npairs, res.nunanswered);
		for (size_t i = 0; i < res.npairs; i++) {
			if (json)
				print_pair_json(&res.pairs[i]);
			else if (sprintf_fmt || fmt != GN_FMT_SUMMARY)
				gn_cli_print(res.pairs[i].reply, NULL, 0, fmt, sprintf_fmt, i, &err);
			else
				print_pair(&res.pairs[i]);
			gn_out_maybe_flush();
		}
		status = GN_EXIT_OK;
	}
	if (!first_only || !res.npairs)
		fprintf(stderr, "Sent %llu packets, received %llu, %zu answered, %zu unanswered.\n",
			(unsigned long long)res.sent, (unsigned long long)res.received, res.npairs,
			res.nunanswered);
out:
	gn_sr_result_free(&res);
	gn_io_close(io);
	for (size_t i = 0; i < ps.n; i++)
		gn_packet_free(ps.v[i]);
	free(ps.v);
	return status;
}

int gn_cmd_srp(int argc, char **argv)
{
	return run_sr(argc, argv, false);
}

int gn_cmd_srp1(int argc, char **argv)
{
	return run_sr(argc, argv, true);
}
