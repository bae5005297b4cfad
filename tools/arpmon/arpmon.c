// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arpmon: the ARP monitor as a program of its own, the same as `gannet
 * arpmon` (see gannet-arpmon(1)): Scapy's recipe
 *     sniff(prn=arp_monitor_callback, filter="arp", store=0)
 * filtered in XDP, plus arpwatch's events and state file, all of it
 * libgannet's (gannet/arpwatch.h).  Also an example of that API.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/gannet.h>

#define MAX_IFACES 64

static volatile sig_atomic_t stop;

static void on_stop(int sig)
{
	stop = sig;
}

static const char usage[] =
	"Usage: arpmon [-i IF]... [-f FILE] [-j] [-e] [-q] [--backend monitor|afpacket]\n"
	"              [--timeout S]\n"
	"Print \"HWSRC PSRC\" for every ARP who-has and is-at (Scapy's ARP monitor) and\n"
	"arpwatch's events: new station, changed ethernet address, flip flop,\n"
	"ethernet mismatch.  ARP is filtered in XDP; every frame still reaches the kernel.\n"
	"  -i, --iface IF     watch IF (default: the interface of the default route)\n"
	"  -f, --file FILE    keep the stations in FILE across runs\n"
	"  -j, --json         one JSON object per line\n"
	"  -e, --events       the events only, not every ARP packet\n"
	"  -q, --quiet        nothing on stderr but errors\n"
	"      --backend B    monitor or afpacket (default: monitor, else afpacket)\n"
	"      --timeout S    stop after S seconds\n"
	"  -h, --help         this help\n";

static int usage_error(const char *fmt, const char *arg)
{
	fputs("arpmon: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nTry 'arpmon --help'.\n", stderr);
	return 2;
}

struct out {
	bool json, events, quiet;
	struct gn_strbuf sb;
};

static int print_event(void *ctx, const struct gn_arpwatch_event *ev)
{
	struct out *o = ctx;

	if (o->events && ev->kind == GN_ARPWATCH_ARP)
		return 0;
	gn_arpwatch_format(ev, o->json, &o->sb);
	gn_sb_putc(&o->sb, '\n');
	return 0;
}

/* What a burst printed goes out before waiting for more. */
static int flush_out(void *ctx)
{
	struct out *o = ctx;
	int rc = 0;

	if (o->sb.err)
		return o->sb.err;
	if (o->sb.len && (fwrite(o->sb.s, 1, o->sb.len, stdout) != o->sb.len || fflush(stdout)))
		rc = -errno;
	gn_sb_reset(&o->sb);
	return rc;
}

static int run(struct out *o, const char *const *ifaces, unsigned n, const char *backend,
	       const char *state, uint64_t timeout_ms)
{
	struct gn_arpwatch_opts wo = { .sz = sizeof(wo), .state_path = state };
	struct gn_arpwatch_run_opts ro = {
		.sz = sizeof(ro), .stop = &stop, .timeout_ms = timeout_ms,
		.fn = print_event, .ctx = o, .burst_end = flush_out,
	};
	struct gn_error err = { 0 };
	struct gn_arpwatch_stats st;
	struct gn_arpwatch *w;
	struct gn_io_stats ios;
	struct gn_io_iface ifc;
	struct gn_io *io;
	char notice[GN_ERRMSG_MAX + 64];
	int rc, status = 0;

	if (gn_arpwatch_new(&wo, &w, &err)) {
		fprintf(stderr, "arpmon: %s\n", err.msg);
		return 1;
	}
	if (gn_arpwatch_open_io(backend, ifaces, n, &io, notice, sizeof(notice), &err)) {
		fprintf(stderr, "arpmon: %s\n", err.msg);
		gn_arpwatch_close(w, NULL);
		return 1;
	}
	if (notice[0] && !o->quiet)
		fprintf(stderr, "arpmon: %s\n", notice);
	if (!o->quiet) {
		fputs("arpmon: listening on ", stderr);
		for (unsigned i = 0; !gn_io_iface(io, i, &ifc); i++)
			fprintf(stderr, "%s%s", i ? ", " : "", ifc.name);
		fprintf(stderr, " (%s)\n", backend ? backend : notice[0] ? "afpacket" : "monitor");
	}

	rc = gn_arpwatch_run(w, io, &ro, &err);
	if (!rc)
		rc = flush_out(o);
	if (rc < 0) {
		fprintf(stderr, "arpmon: %s\n", err.msg[0] ? err.msg : gn_strerror(rc));
		status = 1;
	}
	gn_io_stats(io, &ios);
	gn_io_close(io);
	gn_arpwatch_stats(w, &st);
	memset(&err, 0, sizeof(err));
	if (gn_arpwatch_close(w, &err)) {
		fprintf(stderr, "arpmon: %s\n", err.msg);
		status = 1;
	}
	if (o->quiet)
		return status;
	fprintf(stderr, "%llu frames received, %llu ARP, %llu events, %llu station%s; %llu dropped "
		"by kernel\n", (unsigned long long)st.frames, (unsigned long long)st.arp,
		(unsigned long long)st.events, (unsigned long long)st.stations,
		st.stations == 1 ? "" : "s", (unsigned long long)ios.kernel_dropped);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface",   required_argument, NULL, 'i' },
		{ "file",    required_argument, NULL, 'f' },
		{ "json",    no_argument,       NULL, 'j' },
		{ "events",  no_argument,       NULL, 'e' },
		{ "quiet",   no_argument,       NULL, 'q' },
		{ "backend", required_argument, NULL, 'B' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifaces[MAX_IFACES], *state = NULL, *backend = NULL;
	struct out o = { 0 };
	struct sigaction sa;
	uint64_t timeout_ms = 0;
	unsigned n = 0;
	char *end;
	double secs;
	int opt, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:f:jeqh", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			if (n == MAX_IFACES)
				return usage_error("%s", "too many interfaces");
			ifaces[n++] = optarg;
			break;
		case 'f':
			state = optarg;
			break;
		case 'j':
			o.json = true;
			break;
		case 'e':
			o.events = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'B':
			if (strcmp(optarg, "monitor") && strcmp(optarg, "afpacket"))
				return usage_error("unknown backend '%s' (monitor or afpacket)", optarg);
			backend = optarg;
			break;
		case 'T':
			errno = 0;
			secs = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(secs > 0) || !isfinite(secs) || secs > 1e9)
				return usage_error("bad timeout '%s' (seconds > 0)", optarg);
			timeout_ms = (uint64_t)(secs * 1000) + 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' (interfaces go with -i)", argv[optind]);

	/* No SA_RESTART: a blocked wait returns at once; a second signal kills. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	gn_sb_init(&o.sb);
	status = run(&o, ifaces, n, backend, state, timeout_ms);
	gn_sb_free(&o.sb);
	return status;
}
