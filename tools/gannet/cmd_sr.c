// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet sr / sr1 / srloop (layer 3: the route picks the interface and the
 * next hop, gannet fills layer 2) and srp / srp1 / srploop (layer 2, out of
 * -i or the default route's interface): send probes and print what answered
 * them, as Scapy's functions of the same names do.  Fields left unset are
 * filled as Scapy's dynamic defaults fill them (see gannet/resolve.h).
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* What one invocation asked for. */
struct job {
	const char *cmd;
	bool layer3;          /* sr, sr1, srloop */
	bool first_only;      /* sr1, srp1 */
	bool loop;            /* srloop, srploop */
	const char *iface;
	const char *backend;  /* afpacket (NULL), xdp, auto */
	struct gn_sr_opts so;
	enum gn_cli_fmt fmt;
	const char *sprintf_fmt;
	bool json, nsummary, unanswered;
	const char *table[3]; /* make_table's x, y, z */
	uint64_t count;       /* srloop: rounds; 0 = until Ctrl-C */
	double loop_inter;    /* srloop: seconds from one round's start to the next */
	size_t skipped;       /* probes that could not be filled */
};

/* ---- filling and opening -------------------------------------------------- */

/* Fill the probes (dropping the ones that cannot be sent, reported once
 * per reason) and open one io on every interface they leave by. */
static int fill_and_open(struct job *j, struct gn_netdb *db, struct gn_cli_probes *ps,
			 struct gn_io **io)
{
	size_t before = ps->n;
	int status = gn_cli_probes_fill(j->cmd, db, j->iface, j->layer3 ? GN_FILL_ADD_L2 : 0,
					ps->v, &ps->n);

	j->skipped = before - ps->n;
	if (!status)
		status = gn_cli_probes_open_backend(j->cmd, db, ps->v, ps->n, NULL, j->backend, io);
	return status;
}

/* ---- output ------------------------------------------------------------------ */

static void print_pair_json(const struct gn_sr_pair *pr)
{
	gn_sb_puts(&gn_out, "{\"probe\":");
	gn_json(pr->probe, &gn_out);
	gn_sb_puts(&gn_out, ",\"reply\":");
	gn_json(pr->reply, &gn_out);
	gn_sb_printf(&gn_out, ",\"rtt_ms\":%.3f}\n", (pr->recv_ns - pr->sent_ns) / 1e6);
}

static int print_result(const struct job *j, const struct gn_sr_result *res)
{
	struct gn_error err = { 0 };

	if (gn_cli_verbosity >= 0)
		gn_sb_printf(&gn_out,
			     "Received %llu packets, got %zu answers, remaining %zu packets\n",
			     (unsigned long long)res->received, res->npairs, res->nunanswered);
	if (j->table[0]) {
		if (gn_sr_make_table(res, j->table[0], j->table[1], j->table[2], &gn_out, &err)) {
			gn_cli_expr_err("--table", NULL, &err);
			return GN_EXIT_USAGE;
		}
	} else if (j->nsummary) {
		gn_sr_nsummary(res, &gn_out);
	} else {
		for (size_t i = 0; i < res->npairs; i++) {
			const struct gn_sr_pair *pr = &res->pairs[i];

			if (j->json) {
				print_pair_json(pr);
			} else if (j->sprintf_fmt || j->fmt != GN_FMT_SUMMARY) {
				if (gn_cli_print(pr->reply, NULL, 0, j->fmt, j->sprintf_fmt, i, &err)) {
					gn_cli_expr_err(NULL, j->sprintf_fmt, &err);
					return GN_EXIT_USAGE;
				}
			} else {
				gn_sr_pair_summary(pr, &gn_out);
				gn_sb_putc(&gn_out, '\n');
			}
			gn_out_maybe_flush();
		}
	}
	if (j->unanswered)
		for (size_t i = 0; i < res->nunanswered; i++) {
			gn_sb_puts(&gn_out, "unanswered: ");
			gn_summary(res->unanswered[i], &gn_out);
			gn_sb_putc(&gn_out, '\n');
		}
	return GN_EXIT_OK;
}

static int print_first(const struct job *j, const struct gn_sr_result *res)
{
	struct gn_error err = { 0 };

	if (!res->npairs)
		return GN_EXIT_FAIL;
	if (j->json) {
		print_pair_json(&res->pairs[0]);
	} else if (gn_cli_print(res->pairs[0].reply, NULL, 0,
				j->sprintf_fmt ? j->fmt : GN_FMT_SHOW, j->sprintf_fmt, 0, &err)) {
		gn_cli_expr_err(NULL, j->sprintf_fmt, &err);
		return GN_EXIT_USAGE;
	}
	return GN_EXIT_OK;
}

/* ---- srloop ------------------------------------------------------------------ */

static void print_group(const char *tag, size_t n, const struct gn_sr_result *res, bool replies)
{
	char head[32];
	int width = snprintf(head, sizeof(head), "%s %zu:", tag, n);

	gn_sb_puts(&gn_out, head);

	for (size_t i = 0; i < n; i++) {
		if (i)
			gn_sb_printf(&gn_out, "%*s", width, "");
		gn_sb_putc(&gn_out, ' ');
		gn_summary(replies ? res->pairs[i].reply : res->unanswered[i], &gn_out);
		gn_sb_putc(&gn_out, '\n');
	}
}

/* Scapy's srloop: the set again and again, "RECV n:" with the answers and
 * "fail n:" with the probes left unanswered each round, the hit rate at
 * the end. */
static int copy_probes(const struct gn_cli_probes *from, struct gn_cli_probes *to)
{
	for (size_t i = 0; i < from->n; i++)
		if (gn_cli_probes_keep(to, from->v[i], NULL, 0))
			return GN_EXIT_FAIL;
	return GN_EXIT_OK;
}

/* A long loop follows the network: when routes, addresses or neighbours
 * changed since the last round (netlink notifications), the probes are
 * filled again from what the user wrote. */
static int refresh(struct job *j, struct gn_netdb *db, const struct gn_cli_probes *orig,
		   struct gn_cli_probes *ps, struct gn_io **io)
{
	struct gn_error err = { 0 };
	int rc = gn_netdb_update(db, &err);

	if (rc < 0) {
		gn_cli_err("%s: %s", j->cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	if (rc == 0)
		return GN_EXIT_OK;
	gn_out_flush();
	fprintf(stderr, "%s: the network tables changed: filling the probes again\n", j->cmd);
	gn_cli_probes_free(ps);
	gn_io_close(*io);
	*io = NULL;
	if (copy_probes(orig, ps))
		return GN_EXIT_FAIL;
	return fill_and_open(j, db, ps, io);
}

static int run_loop(struct job *j, struct gn_netdb *db, const struct gn_cli_probes *orig,
		    struct gn_cli_probes *ps, struct gn_io **io)
{
	uint64_t sent = 0, answered = 0;
	int status = GN_EXIT_OK;

	for (uint64_t round = 0; !gn_cli_stop && (!j->count || round < j->count); round++) {
		struct gn_sr_result res = { 0 };
		struct gn_error err = { 0 };
		int64_t start = gn_monotonic_ns(), left;
		int rc;

		if (round && refresh(j, db, orig, ps, io)) {
			status = GN_EXIT_FAIL;
			break;
		}
		rc = gn_sr(*io, ps->v, ps->n, &j->so, &res, &err);

		if (rc < 0) {
			gn_cli_err("%s: %s", j->cmd, err.code ? err.msg : gn_strerror(rc));
			status = GN_EXIT_FAIL;
			break;
		}
		sent += res.npairs + res.nunanswered;
		answered += res.npairs;
		if (j->json) {
			for (size_t i = 0; i < res.npairs; i++)
				print_pair_json(&res.pairs[i]);
		} else {
			if (res.npairs)
				print_group("RECV", res.npairs, &res, true);
			if (res.nunanswered)
				print_group("fail", res.nunanswered, &res, false);
		}
		gn_out_flush();
		gn_sr_result_free(&res);
		if (j->count && round + 1 == j->count)
			break;
		left = start + (int64_t)(j->loop_inter * 1e9) - gn_monotonic_ns();
		if (left > 0 && !gn_cli_stop) {
			struct timespec ts = { left / 1000000000, left % 1000000000 };

			nanosleep(&ts, NULL);
		}
	}
	if (sent && !j->json)
		gn_sb_printf(&gn_out, "\nSent %llu packets, received %llu packets. %3.1f%% hits.\n",
			     (unsigned long long)sent, (unsigned long long)answered,
			     100.0 * (double)answered / (double)sent);
	return status;
}

/* ---- the commands ------------------------------------------------------------ */

enum {
	OPT_TIMEOUT = 256, OPT_RETRY, OPT_INTER, OPT_MULTI, OPT_NOCHECK, OPT_NSUMMARY,
	OPT_UNANSWERED, OPT_TABLE, OPT_BACKEND,
};

static int parse_args(struct job *j, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface",            required_argument, NULL, 'i' },
		{ "timeout",          required_argument, NULL, OPT_TIMEOUT },
		{ "retry",            required_argument, NULL, OPT_RETRY },
		{ "inter",            required_argument, NULL, OPT_INTER },
		{ "multi",            no_argument,       NULL, OPT_MULTI },
		{ "no-check-ipaddr",  no_argument,       NULL, OPT_NOCHECK },
		{ "nsummary",         no_argument,       NULL, OPT_NSUMMARY },
		{ "unanswered",       no_argument,       NULL, OPT_UNANSWERED },
		{ "table",            required_argument, NULL, OPT_TABLE },
		{ "backend",          required_argument, NULL, OPT_BACKEND },
		{ "count",            required_argument, NULL, 'c' },
		{ "format",           required_argument, NULL, 'F' },
		{ "json",             no_argument,       NULL, 'j' },
		{ "help",             no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = j->cmd;
	bool inter_given = false;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:c:F:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			j->iface = optarg;
			break;
		case OPT_TIMEOUT:
			if (!gn_cli_parse_positive(optarg, &j->so.timeout))
				return gn_cli_usage_error(cmd, "%s: bad timeout '%s' (seconds > 0)",
							  cmd, optarg);
			break;
		case OPT_RETRY:
			if (gn_cli_parse_int(optarg, &j->so.retry))
				return gn_cli_usage_error(cmd, "%s: bad retry '%s' (an integer)", cmd,
							  optarg);
			break;
		case OPT_INTER:
			if (!gn_cli_parse_positive(optarg, j->loop ? &j->loop_inter : &j->so.inter))
				return gn_cli_usage_error(cmd, "%s: bad interval '%s' (seconds > 0)", cmd,
							  optarg);
			inter_given = true;
			break;
		case OPT_MULTI:
			j->so.multi = true;
			j->so.stop_when_done = false;
			break;
		case OPT_NOCHECK:
			j->so.no_ipaddr_check = true;
			break;
		case OPT_NSUMMARY:
			j->nsummary = true;
			break;
		case OPT_UNANSWERED:
			j->unanswered = true;
			break;
		case OPT_TABLE:
			/* three words: X Y Z */
			if (optind + 1 >= argc)
				return gn_cli_usage_error(cmd, "%s: --table takes three formats: X Y Z",
							  cmd);
			j->table[0] = optarg;
			j->table[1] = argv[optind++];
			j->table[2] = argv[optind++];
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "afpacket") && strcmp(optarg, "xdp") &&
			    strcmp(optarg, "auto"))
				return gn_cli_usage_error(cmd, "%s: unknown backend '%s' (afpacket, xdp "
							  "or auto)", cmd, optarg);
			j->backend = optarg;
			break;
		case 'c':
			if (!gn_cli_parse_u64(optarg, &j->count) || !j->count)
				return gn_cli_usage_error(cmd, "%s: bad count '%s' (rounds > 0)", cmd,
							  optarg);
			break;
		case 'j':
			j->json = true;
			break;
		case 'F':
			if (!strcmp(optarg, "json")) {
				j->json = true;
				break;
			}
			if (!strcmp(optarg, "nsummary")) {
				j->nsummary = true;
				break;
			}
			if (!gn_cli_parse_fmt(optarg, &j->fmt))
				return gn_cli_usage_error(cmd, "%s: unknown format '%s'", cmd, optarg);
			j->sprintf_fmt = optarg;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return -1;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (j->count && !j->loop)
		return gn_cli_usage_error(cmd, "%s: -c is for srloop and srploop", cmd);
	if (j->loop && !inter_given)
		j->loop_inter = 1.0;
	if (j->loop && j->so.timeout <= 0) {
		/* Scapy's srloop: min(2 * inter, 5) */
		j->so.timeout = 2 * j->loop_inter < 5 ? 2 * j->loop_inter : 5;
	}
	if (j->so.timeout <= 0)
		j->so.timeout = 2.0;
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing packet expression", cmd);
	return 0;
}

static int run(int argc, char **argv, bool layer3, bool first_only, bool loop)
{
	struct job j = { .cmd = argv[0], .layer3 = layer3, .first_only = first_only, .loop = loop,
			 .fmt = GN_FMT_SUMMARY };
	struct gn_cli_probes ps = { 0 }, orig = { 0 };
	struct gn_cli_gen g = { .emit = gn_cli_probes_keep, .ctx = &ps };
	struct gn_netdb *db = NULL;
	struct gn_sr_result res = { 0 };
	struct gn_io *io = NULL;
	struct gn_error err = { 0 };
	char dflt[IF_NAMESIZE];
	int rc, status;

	j.so = (struct gn_sr_opts){ .sz = sizeof(j.so), .stop_when_done = true,
				    .stop = &gn_cli_stop };
	j.so.strip_link = layer3;
	j.unanswered = gn_cli_verbosity > 0;  /* -v lists them too */
	rc = parse_args(&j, argc, argv);
	if (rc)
		return rc < 0 ? GN_EXIT_OK : rc;
	status = gn_cli_gen_run(&g, argc - optind, argv + optind);
	if (status)
		goto out;
	/* layer 2 leaves by -i, else by the default route's interface */
	if (!layer3 && !j.iface) {
		if (gn_cli_default_iface(dflt, sizeof(dflt)) < 0) {
			status = GN_EXIT_FAIL;
			goto out;
		}
		j.iface = dflt;
	}
	/* a loop keeps its tables current from netlink notifications */
	rc = gn_netdb_open(&(struct gn_netdb_opts){ .sz = sizeof(struct gn_netdb_opts),
						    .watch = loop }, &db, &err);
	if (rc < 0) {
		gn_cli_err("%s: %s", j.cmd, err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
		goto out;
	}
	gn_cli_catch_stop();
	if (loop && copy_probes(&ps, &orig)) {
		status = GN_EXIT_FAIL;
		goto out;
	}
	status = fill_and_open(&j, db, &ps, &io);
	if (status)
		goto out;
	if (loop) {
		status = run_loop(&j, db, &orig, &ps, &io);
		goto out;
	}
	rc = gn_sr(io, ps.v, ps.n, &j.so, &res, &err);
	if (rc < 0) {
		gn_cli_err("%s: %s", j.cmd, err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
		goto out;
	}
	status = first_only ? print_first(&j, &res) : print_result(&j, &res);
	gn_out_flush();  /* the pairs first, then the count on stderr */
	if (gn_cli_verbosity > 0 && res.sent > 1 && res.last_sent_ns > res.first_sent_ns)
		fprintf(stderr, "%s: sent %llu probes in %.3f s (%.0f probes/s)\n", j.cmd,
			(unsigned long long)res.sent,
			(double)(res.last_sent_ns - res.first_sent_ns) / 1e9,
			(double)res.sent * 1e9 / (double)(res.last_sent_ns - res.first_sent_ns));
	if (gn_cli_verbosity >= 0 && (!first_only || !res.npairs))
		fprintf(stderr, "Sent %llu packets, received %llu, %zu answered, %zu unanswered%s.\n",
			(unsigned long long)res.sent, (unsigned long long)res.received, res.npairs,
			res.nunanswered, j.skipped ? ", some not sent (see above)" : "");
out:
	gn_sr_result_free(&res);
	gn_io_close(io);
	gn_netdb_close(db);
	gn_cli_probes_free(&ps);
	gn_cli_probes_free(&orig);
	return status;
}

int gn_cmd_sr(int argc, char **argv)
{
	return run(argc, argv, true, false, false);
}

int gn_cmd_sr1(int argc, char **argv)
{
	return run(argc, argv, true, true, false);
}

int gn_cmd_srloop(int argc, char **argv)
{
	return run(argc, argv, true, false, true);
}

int gn_cmd_srp(int argc, char **argv)
{
	return run(argc, argv, false, false, false);
}

int gn_cmd_srp1(int argc, char **argv)
{
	return run(argc, argv, false, true, false);
}

int gn_cmd_srploop(int argc, char **argv)
{
	return run(argc, argv, false, false, true);
}
