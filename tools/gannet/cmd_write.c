// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet write: the packets of an expression into a pcap or pcapng file. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

#define WRITE_SNAPLEN 262144

/* Link types a file can be given, tried in this order to find one whose
 * first layer is the class the packets start with (DLT_* numbers). */
static const int linktypes[] = {
	1,    /* EN10MB */
	12,   /* RAW (IPv4 or IPv6) */
	228,  /* IPV4 */
	229,  /* IPV6 */
	113,  /* LINUX_SLL */
	276,  /* LINUX_SLL2 */
	0,    /* NULL (BSD loopback) */
};

struct writer {
	const char *path;
	enum gn_pcap_format format;
	int linktype;               /* -1 until known */
	const struct gn_proto *first; /* class the first packet starts with */
	struct gn_pcap_writer *w;
	uint64_t n;
};

static const char *first_name(const struct gn_packet *p)
{
	return p->n ? p->layers[0].proto->name : "nothing";
}

static bool holds(int linktype, const struct gn_packet *p, const uint8_t *data, size_t len)
{
	return p->n && gn_proto_for_linktype(linktype, data, len) == p->layers[0].proto;
}

static int open_file(struct writer *wr)
{
	struct gn_error err = { 0 };
	int rc;

	rc = gn_pcap_create(wr->path, wr->format, wr->linktype, WRITE_SNAPLEN, &wr->w, &err);
	if (rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return 0;
}

static int write_emit(void *ctx, const struct gn_packet *p, const uint8_t *data, size_t len)
{
	struct writer *wr = ctx;
	struct gn_meta meta = { 0 };
	struct timespec ts;
	int rc;

	if (wr->linktype < 0) {
		for (size_t i = 0; i < sizeof(linktypes) / sizeof(linktypes[0]); i++) {
			if (holds(linktypes[i], p, data, len)) {
				wr->linktype = linktypes[i];
				break;
			}
		}
		if (wr->linktype < 0) {
			gn_cli_err("no pcap link type starts with %s; give one with --linktype",
				   first_name(p));
			return GN_EXIT_FAIL;
		}
	} else if (wr->w && (!p->n || p->layers[0].proto != wr->first) &&
		   !holds(wr->linktype, p, data, len)) {
		gn_cli_err("packet %llu starts with %s, which a file of link type %d does not hold",
			   (unsigned long long)wr->n + 1, first_name(p), wr->linktype);
		return GN_EXIT_FAIL;
	}
	if (!wr->w) {
		if (open_file(wr))
			return GN_EXIT_FAIL;
		wr->first = p->n ? p->layers[0].proto : NULL;
	}

	clock_gettime(CLOCK_REALTIME, &ts);
	meta.ts_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	meta.wire_len = (uint32_t)len;
	meta.cap_len = (uint32_t)(len < WRITE_SNAPLEN ? len : WRITE_SNAPLEN);
	meta.linktype = wr->linktype;
	rc = gn_pcap_write(wr->w, data, meta.cap_len, &meta);
	if (rc < 0) {
		gn_cli_err("%s: %s", wr->path, gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	wr->n++;
	return 0;
}

static bool parse_format(const char *s, enum gn_pcap_format *out)
{
	if (!strcmp(s, "pcap"))
		*out = GN_PCAP_US;
	else if (!strcmp(s, "pcap-ns"))
		*out = GN_PCAP_NS;
	else if (!strcmp(s, "pcapng"))
		*out = GN_PCAPNG;
	else
		return false;
	return true;
}

enum { OPT_FORMAT = 256, OPT_FRAGMENT, OPT_LINKTYPE };

int gn_cmd_write(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write",    required_argument, NULL, 'w' },
		{ "format",   required_argument, NULL, OPT_FORMAT },
		{ "linktype", required_argument, NULL, OPT_LINKTYPE },
		{ "count",    required_argument, NULL, 'c' },
		{ "fragment", required_argument, NULL, OPT_FRAGMENT },
		{ "help",     no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *format = NULL;
	struct writer wr = { .linktype = -1 };
	struct gn_cli_gen g = { .emit = write_emit, .ctx = &wr, .want_bytes = true };
	uint64_t v;
	int opt, rc, frc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":w:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'w':
			wr.path = optarg;
			break;
		case OPT_FORMAT:
			format = optarg;
			break;
		case OPT_LINKTYPE:
			if (!gn_cli_parse_u64(optarg, &v) || v > 0xffff)
				return gn_cli_usage_error(cmd, "%s: bad link type '%s'", cmd, optarg);
			wr.linktype = (int)v;
			break;
		case 'c':
			if (!gn_cli_parse_u64(optarg, &v) || !v)
				return gn_cli_usage_error(cmd, "%s: bad count '%s'", cmd, optarg);
			g.limit = v;
			break;
		case OPT_FRAGMENT:
			if (!gn_cli_parse_u64(optarg, &v) || v < 8 || v > 65535)
				return gn_cli_usage_error(cmd, "%s: bad fragment size '%s' (8..65535)",
							  cmd, optarg);
			g.fragsize = (size_t)v;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (!wr.path)
		return gn_cli_usage_error(cmd, "%s: missing output file (-w FILE)", cmd);
	if (format) {
		if (!parse_format(format, &wr.format))
			return gn_cli_usage_error(cmd, "%s: unknown file format '%s' (pcap, pcap-ns, pcapng)",
						  cmd, format);
	} else {
		wr.format = gn_pcap_format_for(wr.path);
	}
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing packet expression", cmd);

	rc = gn_cli_gen_run(&g, argc - optind, argv + optind);
	/* An expression that stands for no packet still leaves a valid, empty
	 * file (Ethernet unless told otherwise), as Scapy's wrpcap([]) does. */
	if (rc == GN_EXIT_OK && !wr.w) {
		if (wr.linktype < 0)
			wr.linktype = 1;
		if (open_file(&wr))
			rc = GN_EXIT_FAIL;
	}
	if (wr.w) {
		frc = gn_pcap_finish(wr.w);
		if (frc < 0) {
			gn_cli_err("%s: %s", wr.path, gn_strerror(frc));
			rc = GN_EXIT_FAIL;
		}
	}
	if (wr.w && rc != GN_EXIT_USAGE) {
		FILE *f = strcmp(wr.path, "-") ? stdout : stderr;

		gn_out_flush();
		fprintf(f, "Wrote %llu packet%s to %s\n", (unsigned long long)wr.n,
			wr.n == 1 ? "" : "s", wr.path);
		fflush(f);
	}
	return rc;
}
