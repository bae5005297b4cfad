// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet ls: the protocols gannet knows, or the fields of one (Scapy's ls()). */
#include <getopt.h>
#include <string.h>

#include "cli.h"

int gn_cmd_ls(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cmd = argv[0];
	const struct gn_proto *p;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	if (argc - optind > 1)
		return gn_cli_usage_error(cmd, "%s: one protocol at a time", cmd);
	if (optind == argc) {
		/* Scapy's layout: the name padded to 10, then the long name. */
		for (unsigned i = 0; (p = gn_proto_at(i)); i++) {
			gn_sb_printf(&gn_out, "%-10s : %s\n", p->name,
				     p->long_name ? p->long_name : p->name);
			gn_out_maybe_flush();
		}
		return GN_EXIT_OK;
	}
	p = gn_proto_find(argv[optind]);
	if (!p)
		return gn_cli_unknown_proto(cmd, argv[optind]);
	gn_ls(p, &gn_out);
	return GN_EXIT_OK;
}
