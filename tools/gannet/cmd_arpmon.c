// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet arpmon: Scapy's ARP monitor recipe,
 *     sniff(prn=arp_monitor_callback, filter="arp", store=0)
 * ("hwsrc psrc" for every who-has and is-at), filtered in XDP so that the
 * kernel keeps every frame, plus arpwatch's events (new station, changed
 * ethernet address, flip flop) and its state file.  The work is the
 * library's (gannet/arpwatch.h); this is options and output.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "cli.h"

#define CMD "arpmon"
#define MAX_IFACES 64

struct mon {
	bool json;
	bool events;  /* the events only, not every ARP packet */
};

static int print_event(void *ctx, const struct gn_arpwatch_event *ev)
{
	const struct mon *m = ctx;

	if (m->events && ev->kind == GN_ARPWATCH_ARP)
		return 0;
	gn_arpwatch_format(ev, m->json, &gn_out);
	gn_sb_putc(&gn_out, '\n');
	return 0;
}

static int flush_out(void *ctx)
{
	(void)ctx;
	return gn_out.len ? gn_out_flush() : 0;
}

static int run(struct mon *m, const char *const *ifaces, unsigned n, const char *backend,
	       const char *state, uint64_t timeout_ms)
{
	struct gn_arpwatch_opts wo = { .sz = sizeof(wo), .state_path = state };
	struct gn_arpwatch_run_opts ro = {
		.sz = sizeof(ro), .stop = &gn_cli_stop, .timeout_ms = timeout_ms,
		.fn = print_event, .ctx = m, .burst_end = flush_out,
	};
	struct gn_error err = { 0 };
	struct gn_arpwatch_stats st;
	struct gn_arpwatch *w;
	struct gn_io_stats ios;
	struct gn_io_iface ifc;
	struct gn_io *io;
	char notice[GN_ERRMSG_MAX + 64];
	int rc, status = GN_EXIT_OK;

	rc = gn_arpwatch_new(&wo, &w, &err);
	if (rc) {
		gn_cli_err("%s: %s", CMD, err.msg);
		return GN_EXIT_FAIL;
	}
	rc = gn_arpwatch_open_io(backend, ifaces, n, &io, notice, sizeof(notice), &err);
	if (rc) {
		gn_cli_err("%s: %s", CMD, err.msg);
		gn_arpwatch_close(w, NULL);
		return GN_EXIT_FAIL;
	}
	/* -q (main.c): the lines on stdout and the errors, nothing else */
	if (notice[0] && gn_cli_verbosity >= 0)
		gn_cli_err("%s: %s", CMD, notice);
	if (gn_cli_verbosity >= 0) {
		fprintf(stderr, "gannet: %s: listening on ", CMD);
		for (unsigned i = 0; !gn_io_iface(io, i, &ifc); i++)
			fprintf(stderr, "%s%s", i ? ", " : "", ifc.name);
		fprintf(stderr, " (%s)\n", backend ? backend : notice[0] ? "afpacket" : "monitor");
	}

	rc = gn_arpwatch_run(w, io, &ro, &err);
	if (gn_out_flush() < 0 && !rc)
		rc = gn_error_set(&err, -EIO, 0, "write error on stdout");
	if (rc < 0) {
		gn_cli_err("%s: %s", CMD, err.msg[0] ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
	}
	gn_io_stats(io, &ios);
	gn_io_close(io);
	gn_arpwatch_stats(w, &st);
	memset(&err, 0, sizeof(err));
	if (gn_arpwatch_close(w, &err)) {
		gn_cli_err("%s: %s", CMD, err.msg);
		status = GN_EXIT_FAIL;
	}
	if (gn_cli_verbosity < 0)
		return status;
	fprintf(stderr, "%llu frames received, %llu ARP, %llu events, %llu station%s; %llu dropped "
		"by kernel\n", (unsigned long long)st.frames, (unsigned long long)st.arp,
		(unsigned long long)st.events, (unsigned long long)st.stations,
		st.stations == 1 ? "" : "s", (unsigned long long)ios.kernel_dropped);
	return status;
}

enum { OPT_BACKEND = 256, OPT_TIMEOUT };

int gn_cmd_arpmon(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface",   required_argument, NULL, 'i' },
		{ "file",    required_argument, NULL, 'f' },
		{ "json",    no_argument,       NULL, 'j' },
		{ "events",  no_argument,       NULL, 'e' },
		{ "backend", required_argument, NULL, OPT_BACKEND },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *ifaces[MAX_IFACES], *state = NULL, *backend = NULL;
	struct mon m = { 0 };
	uint64_t timeout_ms = 0;
	unsigned n = 0;
	double secs;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:f:jeh", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (n == MAX_IFACES)
				return gn_cli_usage_error(cmd, "%s: at most %d interfaces", cmd,
							  MAX_IFACES);
			ifaces[n++] = optarg;
			break;
		case 'f':
			state = optarg;
			break;
		case 'j':
			m.json = true;
			break;
		case 'e':
			m.events = true;
			break;
		case OPT_BACKEND:
			if (strcmp(optarg, "monitor") && strcmp(optarg, "afpacket"))
				return gn_cli_usage_error(cmd, "%s: unknown backend '%s' (monitor or "
							  "afpacket)", cmd, optarg);
			backend = optarg;
			break;
		case OPT_TIMEOUT:
			if (!gn_cli_parse_positive(optarg, &secs) || secs > 1e9)
				return gn_cli_usage_error(cmd, "%s: bad timeout '%s' (seconds > 0)", cmd,
							  optarg);
			timeout_ms = (uint64_t)(secs * 1000) + 1;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (optind < argc)
		return gn_cli_usage_error(cmd, "%s: unexpected argument '%s' (interfaces go with -i)",
					  cmd, argv[optind]);
	gn_cli_catch_stop();
	return run(&m, ifaces, n, backend, state, timeout_ms);
}
