// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet replay: the frames of a capture file out of an interface, as
 * tcpreplay sends them: with the capture's own timing (or a multiple of it),
 * at a fixed rate, or as fast as possible; the file again and again with
 * --loop.
 *
 * Timing keeps to absolute deadlines (the library's gn_sender): frame i of
 * a pass is due at the pass's start + (ts_i - ts_0) / multiplier, so a late
 * wake-up never shifts the frames after it.  The next pass starts when the
 * last frame of the one before was due, so N passes take N times the
 * capture's span.  A frame whose timestamp goes back in time is due at once.
 *
 * Frames go out as they are, so the file's link type must be the
 * interface's: a Linux cooked (SLL) capture lacks the Ethernet header, and
 * nothing in it says which destination address to put there (tcprewrite
 * --dlt=enet asks for one too), so that is an error that says so rather
 * than a guess.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "cli.h"

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define PROGRESS_AFTER_NS 1000000000LL
#define PROGRESS_EVERY_NS 250000000LL
/* Deadlines further away than this (a corrupt timestamp) are held here. */
#define MAX_OFFSET_NS ((int64_t)1 << 60)

enum timing { AS_RECORDED, FIXED_RATE, TOPSPEED };

struct replay {
	const char *cmd, *path;
	struct gn_pcap_reader *rd;
	struct gn_io *io;
	struct gn_io_iface ifc;
	struct gn_sender *tx;
	unsigned max_len;         /* the longest frame the interface takes */
	enum timing timing;
	double multiplier;        /* -x */
	double pps;               /* -p */
	uint64_t limit;           /* -c: packets in all; 0 = no limit */
	uint64_t loops;           /* 0 = until stopped */
	bool quiet, json, tty;
	/* as recorded: when the current pass's first frame is due */
	int64_t base;
	/* counts */
	uint64_t pushed, too_big, refused, truncated, passes;
	/* progress line */
	int64_t t0, next_progress;
	bool progress_shown;
	int status;
};

static void progress(void *ctx, uint64_t sent)
{
	struct replay *r = ctx;
	int64_t now, el;

	if (!r->tty)
		return;
	now = gn_monotonic_ns();
	el = now - r->t0;
	if (el < PROGRESS_AFTER_NS || now < r->next_progress)
		return;
	r->next_progress = now + PROGRESS_EVERY_NS;
	r->progress_shown = true;
	fprintf(stderr, "\rSent %llu packets (%.0f packets/s)\033[K", (unsigned long long)sent,
		(double)sent * 1e9 / (double)el);
	fflush(stderr);
}

static void clear_progress(struct replay *r)
{
	if (r->progress_shown)
		fputs("\r\033[K", stderr);
	r->progress_shown = false;
}

/* A message about one skipped frame, said once, under the progress line. */
static void say_once(struct replay *r, uint64_t count, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say_once(struct replay *r, uint64_t count, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (count != 1 || r->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	clear_progress(r);
	gn_cli_err("%s: %s", r->cmd, msg);
}

static void on_refused(void *ctx, uint64_t seq, const struct gn_error *e)
{
	struct replay *r = ctx;

	(void)seq;
	r->refused++;
	say_once(r, r->refused, "%s: packet skipped (every packet the interface refuses is "
		 "skipped and counted)", e->msg);
}

static const char *dlt_name(int dlt)
{
	const char *n = pcap_datalink_val_to_name(dlt);

	return n ? n : "unknown";
}

/* Frames of the file's link type can go out of the interface as they are. */
static bool link_fits(int file, int iface)
{
	if (iface == DLT_RAW)
		return file == DLT_RAW || file == DLT_IPV4 || file == DLT_IPV6;
	return file == iface;
}

static int link_mismatch(const struct replay *r, int file)
{
	const char *why = "";

	if (r->ifc.linktype == DLT_EN10MB &&
	    (file == DLT_LINUX_SLL || file == DLT_LINUX_SLL2))
		why = "; its frames have a Linux cooked header, not an Ethernet one, and no "
		      "destination address to make one from: convert the file first (e.g. "
		      "tcprewrite --dlt=enet --enet-dmac=MAC --enet-smac=MAC)";
	else if (r->ifc.linktype == DLT_EN10MB &&
		 (file == DLT_RAW || file == DLT_IPV4 || file == DLT_IPV6))
		why = "; its frames are bare IP packets, without the Ethernet header the interface "
		      "needs: convert the file first (e.g. tcprewrite --dlt=enet --enet-dmac=MAC "
		      "--enet-smac=MAC)";
	else if (r->ifc.linktype == DLT_RAW && file == DLT_EN10MB)
		why = "; the interface takes bare IP packets, without an Ethernet header";
	gn_cli_err("%s: %s: link type %s (%d) cannot go out of %s, whose link type is %s%s",
		   r->cmd, r->path, dlt_name(file), file, r->ifc.name, dlt_name(r->ifc.linktype),
		   why);
	return GN_EXIT_FAIL;
}

/* What the kernel takes: MTU + link header, 4 bytes more for a frame that
 * carries an 802.1Q tag (as packet_snd allows). */
static bool too_big(const struct replay *r, const struct gn_frame *f)
{
	uint32_t len = f->meta.cap_len;

	if (len <= r->max_len)
		return false;
	return !(r->ifc.linktype == DLT_EN10MB && len <= r->max_len + VLAN_HLEN &&
		 f->data[12] == 0x81 && f->data[13] == 0x00);
}

/* A push or flush failed: a signal (*stop), or an error to report. */
static void send_failed(struct replay *r, int rc, const struct gn_error *err)
{
	if (rc == -EINTR)
		return;
	clear_progress(r);
	gn_cli_err("%s: %s", r->cmd, err->code ? err->msg : gn_strerror(rc));
	r->status = GN_EXIT_FAIL;
}

/* One pass over the file (open in r->rd).  false: stop (limit, signal,
 * error); *sent_any: some frame of it went to the sender. */
static bool replay_pass(struct replay *r, bool *sent_any)
{
	struct gn_error err = { 0 };
	struct gn_frame f;
	int64_t ts0 = 0, span = 0;
	uint64_t nth = 0;
	int rc;

	*sent_any = false;
	while ((rc = gn_pcap_next(r->rd, &f, &err)) == 1) {
		int64_t due = 0;

		if (r->limit && r->pushed >= r->limit)
			return false;
		nth++;
		if (too_big(r, &f)) {
			r->too_big++;
			say_once(r, r->too_big, "packet %llu of %s is %u bytes, more than %s takes "
				 "(%u): skipped (every such packet is skipped and counted)",
				 (unsigned long long)nth, r->path, f.meta.cap_len, r->ifc.name,
				 r->max_len);
			continue;
		}
		if (r->timing == AS_RECORDED) {
			int64_t rel;

			if (nth == 1)
				ts0 = f.meta.ts_ns;
			if (__builtin_sub_overflow(f.meta.ts_ns, ts0, &rel) || rel > MAX_OFFSET_NS)
				rel = MAX_OFFSET_NS;
			if (rel < 0)
				rel = 0;
			if (rel > span)
				span = rel;
			if (!r->base)
				r->base = gn_monotonic_ns();
			due = r->base + (int64_t)((double)rel / r->multiplier);
		}
		if (f.meta.cap_len < f.meta.wire_len)
			r->truncated++;
		rc = gn_sender_push(r->tx, f.data, f.meta.cap_len, 0, due, &err);
		if (rc < 0) {
			send_failed(r, rc, &err);
			return false;
		}
		r->pushed++;
		*sent_any = true;
	}
	if (rc < 0) {
		struct gn_error ferr = { 0 };

		/* What was read before the damage goes out first. */
		rc = gn_sender_flush(r->tx, &ferr);
		if (rc < 0)
			send_failed(r, rc, &ferr);
		clear_progress(r);
		gn_cli_err("%s: %s", r->cmd, err.msg);
		r->status = GN_EXIT_FAIL;
		return false;
	}
	r->passes++;
	/* The next pass starts when this one's last frame was due. */
	if (r->base)
		r->base += (int64_t)((double)span / r->multiplier);
	return true;
}

static void report(struct replay *r, bool interrupted)
{
	struct gn_sender_stats st;
	double el = 0, pps = 0, mbps = 0;
	uint64_t failed;

	gn_sender_stats(r->tx, &st);
	if (st.start_ns)
		el = (double)(gn_monotonic_ns() - st.start_ns) / 1e9;
	if (el > 0) {
		pps = (double)st.sent / el;
		mbps = (double)st.bytes * 8 / el / 1e6;
	}
	failed = r->too_big + r->refused;
	if (r->json) {
		gn_sb_printf(&gn_out, "{\"packets\":%llu,\"bytes\":%llu,\"elapsed_s\":%.6f,"
			     "\"pps\":%.1f,\"mbps\":%.3f,\"failed\":%llu,\"too_big\":%llu,"
			     "\"refused\":%llu,\"truncated\":%llu,\"loops\":%llu,"
			     "\"interrupted\":%s}\n",
			     (unsigned long long)st.sent, (unsigned long long)st.bytes, el, pps, mbps,
			     (unsigned long long)failed, (unsigned long long)r->too_big,
			     (unsigned long long)r->refused, (unsigned long long)r->truncated,
			     (unsigned long long)r->passes, interrupted ? "true" : "false");
		return;
	}
	if (r->quiet)
		return;
	gn_sb_printf(&gn_out, "Sent %llu packets, %llu bytes in %.3f s (%.0f packets/s, "
		     "%.2f Mbit/s)\n", (unsigned long long)st.sent, (unsigned long long)st.bytes,
		     el, pps, mbps);
	if (failed)
		gn_sb_printf(&gn_out, "Failed %llu packets: %llu larger than %s takes (%u bytes), "
			     "%llu refused by the kernel\n", (unsigned long long)failed,
			     (unsigned long long)r->too_big, r->ifc.name, r->max_len,
			     (unsigned long long)r->refused);
	if (r->truncated)
		gn_sb_printf(&gn_out, "Truncated %llu packets: shorter in the capture than on the "
			     "wire, sent as captured\n", (unsigned long long)r->truncated);
}

static int open_capture(struct replay *r)
{
	struct gn_error err = { 0 };
	int rc = gn_pcap_open(r->path, NULL, &r->rd, &err);

	if (rc < 0) {
		gn_cli_err("%s: %s", r->cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return GN_EXIT_OK;
}

static int run(struct replay *r, const char *iface)
{
	struct gn_io_opts o = { .sz = sizeof(o), .tx = true };
	struct gn_sender_opts so = { .sz = sizeof(so) };
	struct gn_error err = { 0 };
	bool go = true, any;
	int status, rc;

	status = open_capture(r);
	if (status)
		return status;
	status = gn_cli_open_one(iface, &o, &r->io);
	if (status)
		return status;
	if (gn_io_iface(r->io, 0, &r->ifc) < 0) {
		gn_cli_err("%s: %s: interface lost", r->cmd, iface);
		return GN_EXIT_FAIL;
	}
	if (!link_fits(gn_pcap_linktype(r->rd), r->ifc.linktype))
		return link_mismatch(r, gn_pcap_linktype(r->rd));
	r->max_len = r->ifc.mtu + (r->ifc.linktype == DLT_EN10MB ? ETH_HLEN : 0);

	so.period_s = r->timing == FIXED_RATE ? 1 / r->pps : 0;
	so.stop = &gn_cli_stop;
	so.flushed = progress;
	so.refused = on_refused;
	so.ctx = r;
	if (gn_sender_new(r->io, &so, &r->tx, &err) < 0) {
		gn_cli_err("%s: %s", r->cmd, err.msg);
		return GN_EXIT_FAIL;
	}
	/* Deadlines are kept to the microsecond, not the default 50 us slack. */
	if (r->timing != TOPSPEED)
		prctl(PR_SET_TIMERSLACK, 1UL);
	r->tty = !r->quiet && isatty(STDERR_FILENO);
	gn_cli_catch_stop();

	r->t0 = gn_monotonic_ns();
	for (uint64_t pass = 0; go && (!r->loops || pass < r->loops); pass++) {
		if (pass) {
			gn_pcap_close(r->rd);
			r->rd = NULL;
			if (open_capture(r)) {
				r->status = GN_EXIT_FAIL;
				break;
			}
		}
		go = replay_pass(r, &any);
		/* A file with nothing to send: nothing to repeat. */
		if (!any)
			break;
	}
	if (r->status == GN_EXIT_OK && !gn_cli_stop) {
		rc = gn_sender_flush(r->tx, &err);
		if (rc < 0)
			send_failed(r, rc, &err);
	}
	clear_progress(r);
	report(r, gn_cli_stop != 0);
	/* Ctrl-C is how an endless loop ends; anything else it cut short says so. */
	if (!r->status && gn_cli_stop && r->loops)
		return 128 + gn_cli_stop;
	return r->status;
}

int gn_cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "iface",      required_argument, NULL, 'i' },
		{ "multiplier", required_argument, NULL, 'x' },
		{ "pps",        required_argument, NULL, 'p' },
		{ "topspeed",   no_argument,       NULL, 't' },
		{ "loop",       required_argument, NULL, 'l' },
		{ "count",      required_argument, NULL, 'c' },
		{ "json",       no_argument,       NULL, 'j' },
		{ "help",       no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct replay r = { .cmd = argv[0], .multiplier = 1, .loops = 1, .status = GN_EXIT_OK,
			     .quiet = gn_cli_verbosity < 0 };
	const char *iface = NULL;
	unsigned timings = 0;     /* a bit per kind asked for */
	uint64_t v;
	int opt, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:x:p:tl:c:jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'i':
			iface = optarg;
			break;
		case 'x':
			if (!gn_cli_parse_positive(optarg, &r.multiplier))
				return gn_cli_usage_error(r.cmd, "%s: bad multiplier '%s' (a number > 0)",
							  r.cmd, optarg);
			r.timing = AS_RECORDED;
			timings |= 1u << AS_RECORDED;
			break;
		case 'p':
			if (!gn_cli_parse_positive(optarg, &r.pps))
				return gn_cli_usage_error(r.cmd, "%s: bad rate '%s' (packets/s > 0)",
							  r.cmd, optarg);
			r.timing = FIXED_RATE;
			timings |= 1u << FIXED_RATE;
			break;
		case 't':
			r.timing = TOPSPEED;
			timings |= 1u << TOPSPEED;
			break;
		case 'l':
			if (!gn_cli_parse_u64(optarg, &v))
				return gn_cli_usage_error(r.cmd, "%s: bad loop count '%s' (0 = until "
							  "Ctrl-C)", r.cmd, optarg);
			r.loops = v;
			break;
		case 'c':
			if (!gn_cli_parse_u64(optarg, &v) || !v)
				return gn_cli_usage_error(r.cmd, "%s: bad count '%s'", r.cmd, optarg);
			r.limit = v;
			break;
		case 'j':
			r.json = true;
			break;
		case 'h':
			gn_cli_help(r.cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(r.cmd, opt, argc, argv);
		}
	}
	if (timings & (timings - 1))
		return gn_cli_usage_error(r.cmd, "%s: -x, -p and -t do not go together", r.cmd);
	if (optind >= argc)
		return gn_cli_usage_error(r.cmd, "%s: missing capture file", r.cmd);
	if (argc - optind > 1)
		return gn_cli_usage_error(r.cmd, "%s: one capture file only ('%s' too?)", r.cmd,
					  argv[optind + 1]);
	r.path = argv[optind];
	if (!iface)
		return gn_cli_usage_error(r.cmd, "%s: no interface: name one with -i", r.cmd);
	if (!strcmp(r.path, "-") && r.loops != 1)
		return gn_cli_usage_error(r.cmd, "%s: --loop reads the file again: it cannot be "
					  "stdin", r.cmd);

	status = run(&r, iface);
	gn_sender_free(r.tx);
	gn_io_close(r.io);
	if (r.rd)
		gn_pcap_close(r.rd);
	return status;
}
