// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet hex | show | summary | hexdump | json | command: the packets an
 * expression stands for, printed one way or another. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct craft {
	const char *cmd;
	enum gn_cli_fmt fmt;
	bool show2;
	struct gn_packet *again;  /* --show2: the built bytes dissected again */
	uint64_t n;
};

static int craft_emit(void *ctx, const struct gn_packet *p, const uint8_t *data, size_t len)
{
	struct craft *c = ctx;
	struct gn_error err = { 0 };

	/* show2 is "built, then dissected": the bytes are already built by
	 * the loop, so dissecting them as the first layer's class is all
	 * that is left (and a build error was reported per expression). */
	if (c->show2 && p->n) {
		gn_dissect(c->again, p->layers[0].proto, data, len);
		p = c->again;
	}
	if (gn_cli_print(p, data, len, c->fmt, NULL, c->n++, &err) < 0) {
		gn_cli_err("%s", err.msg);
		return GN_EXIT_FAIL;
	}
	return 0;
}

enum { OPT_FRAGMENT = 256, OPT_SEPARATE, OPT_SHOW2 };

static int craft_run(int argc, char **argv, enum gn_cli_fmt fmt, bool has_show2)
{
	static const struct option all_opts[] = {
		{ "count",    required_argument, NULL, 'c' },
		{ "fragment", required_argument, NULL, OPT_FRAGMENT },
		{ "separate", no_argument,       NULL, OPT_SEPARATE },
		{ "help",     no_argument,       NULL, 'h' },
		{ "show2",    no_argument,       NULL, OPT_SHOW2 },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option no_show2_opts[] = {
		{ "count",    required_argument, NULL, 'c' },
		{ "fragment", required_argument, NULL, OPT_FRAGMENT },
		{ "separate", no_argument,       NULL, OPT_SEPARATE },
		{ "help",     no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct craft c = { .cmd = argv[0], .fmt = fmt };
	struct gn_cli_gen g = { .emit = craft_emit, .ctx = &c };
	uint64_t v;
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:h", has_show2 ? all_opts : no_show2_opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (!gn_cli_parse_u64(optarg, &v) || !v)
				return gn_cli_usage_error(c.cmd, "%s: bad count '%s'", c.cmd, optarg);
			g.limit = v;
			break;
		case OPT_FRAGMENT:
			if (!gn_cli_parse_u64(optarg, &v) || v < 8 || v > 65535)
				return gn_cli_usage_error(c.cmd, "%s: bad fragment size '%s' (8..65535)",
							  c.cmd, optarg);
			g.fragsize = (size_t)v;
			break;
		case OPT_SEPARATE:
			g.separate = true;
			break;
		case OPT_SHOW2:
			c.show2 = true;
			break;
		case 'h':
			gn_cli_help(c.cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(c.cmd, opt, argc, argv);
		}
	}
	if (optind >= argc)
		return gn_cli_usage_error(c.cmd, "%s: missing packet expression", c.cmd);

	g.want_bytes = fmt == GN_FMT_HEX || fmt == GN_FMT_HEXDUMP || c.show2;
	if (c.show2) {
		c.again = gn_packet_new();
		if (!c.again) {
			gn_cli_err("out of memory");
			return GN_EXIT_FAIL;
		}
	}
	rc = gn_cli_gen_run(&g, argc - optind, argv + optind);
	gn_packet_free(c.again);
	return rc;
}

int gn_cmd_hex(int argc, char **argv)
{
	return craft_run(argc, argv, GN_FMT_HEX, false);
}

int gn_cmd_show(int argc, char **argv)
{
	return craft_run(argc, argv, GN_FMT_SHOW, true);
}

int gn_cmd_summary(int argc, char **argv)
{
	return craft_run(argc, argv, GN_FMT_SUMMARY, true);
}

int gn_cmd_hexdump(int argc, char **argv)
{
	return craft_run(argc, argv, GN_FMT_HEXDUMP, false);
}

int gn_cmd_json(int argc, char **argv)
{
	return craft_run(argc, argv, GN_FMT_JSON, true);
}

int gn_cmd_command(int argc, char **argv)
{
	return craft_run(argc, argv, GN_FMT_COMMAND, true);
}
