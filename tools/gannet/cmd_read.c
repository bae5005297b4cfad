// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet read: the packets of a pcap or pcapng file, dissected and printed. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int gn_cmd_read(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'F' },
		{ "count",  required_argument, NULL, 'c' },
		{ "help",   no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0], *path, *fmt_arg = "summary";
	enum gn_cli_fmt fmt = GN_FMT_SUMMARY;
	struct gn_pcap_reader *r = NULL;
	struct gn_packet *pkt = NULL;
	const struct gn_proto *raw;
	struct gn_error err = { 0 };
	struct gn_frame f;
	char *filter = NULL;
	uint64_t limit = 0, n = 0, v;
	int opt, rc, status = GN_EXIT_OK;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":F:c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'F':
			fmt_arg = optarg;
			if (!gn_cli_parse_fmt(optarg, &fmt))
				return gn_cli_usage_error(cmd, "%s: unknown format '%s'", cmd, optarg);
			break;
		case 'c':
			if (!gn_cli_parse_u64(optarg, &v) || !v)
				return gn_cli_usage_error(cmd, "%s: bad count '%s'", cmd, optarg);
			limit = v;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing capture file", cmd);
	/* As tcpdump: the file last, the filter's words before it. */
	path = argv[argc - 1];
	if (argc - 1 > optind) {
		filter = gn_cli_join(argc - 1 - optind, argv + optind);
		if (!filter) {
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
	}

	raw = gn_proto_find("Raw");
	pkt = gn_packet_new();
	if (!pkt) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
		goto out;
	}
	rc = gn_pcap_open(path, filter, &r, &err);
	if (rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
		goto out;
	}
	while ((!limit || n < limit) && (rc = gn_pcap_next(r, &f, &err)) == 1) {
		const struct gn_proto *first;
		struct gn_error ferr = { 0 };

		first = gn_proto_for_linktype(f.meta.linktype, f.data, f.meta.cap_len);
		gn_dissect(pkt, first ? first : raw, f.data, f.meta.cap_len);
		pkt->meta = f.meta;
		if (gn_cli_print(pkt, f.data, f.meta.cap_len, fmt, fmt_arg, n, &ferr) < 0) {
			gn_cli_expr_err("bad format", fmt_arg, &ferr);
			status = GN_EXIT_USAGE;
			goto out;
		}
		n++;
	}
	if (rc < 0) {
		/* What came before the damage is printed; then the reason. */
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		status = GN_EXIT_FAIL;
	}
out:
	if (r)
		gn_pcap_close(r);
	gn_packet_free(pkt);
	free(filter);
	return status;
}
