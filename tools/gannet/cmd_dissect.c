// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet dissect: bytes given in hex, dissected as a chosen first layer. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct dissector {
	const struct gn_proto *first;
	enum gn_cli_fmt fmt;
	const char *fmt_arg;
	bool separate;
	bool bad_format;  /* the -F string was refused: wrong for every frame */
	struct gn_packet *pkt;
	uint8_t *buf;
	size_t cap;
	uint64_t n;
};

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Hex digits into d->buf; blanks and ':' may sit between bytes and each
 * word may start with 0x.  Errors name the 1-based column. */
static int parse_hex(struct dissector *d, const char *s, size_t *len, struct gn_error *err)
{
	size_t need = strlen(s) / 2 + 1, n = 0;
	int hi = -1;

	if (need > d->cap) {
		uint8_t *nb = realloc(d->buf, need);

		if (!nb)
			return gn_error_set(err, -ENOMEM, 0, "out of memory");
		d->buf = nb;
		d->cap = need;
	}
	for (size_t i = 0; s[i]; i++) {
		int v;

		if (s[i] == ' ' || s[i] == '\t' || s[i] == ':') {
			if (hi >= 0)
				return gn_error_set(err, -EINVAL, (int)i + 1,
						    "odd number of hex digits before column %zu", i + 1);
			continue;
		}
		if (hi < 0 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X') &&
		    (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t')) {
			i++;
			continue;
		}
		v = hexval((unsigned char)s[i]);
		if (v < 0)
			return gn_error_set(err, -EINVAL, (int)i + 1, "'%c' is not a hex digit", s[i]);
		if (hi < 0) {
			hi = v;
		} else {
			d->buf[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		return gn_error_set(err, -EINVAL, (int)strlen(s), "odd number of hex digits");
	*len = n;
	return 0;
}

/* 0, or the exit status of a failure (already reported). */
static int dissect_one(struct dissector *d, const char *text, const char *where,
		       unsigned long lineno)
{
	struct gn_error err = { 0 };
	size_t len = 0;

	if (parse_hex(d, text, &len, &err) < 0) {
		if (d->separate)
			gn_sb_printf(&gn_out, "#%lu error\n", lineno);
		gn_cli_expr_err(where, text, &err);
		return err.code == -ENOMEM ? GN_EXIT_FAIL : GN_EXIT_USAGE;
	}
	if (d->separate)
		gn_sb_printf(&gn_out, "#%lu\n", lineno);
	gn_dissect(d->pkt, d->first, d->buf, len);
	d->pkt->meta.wire_len = d->pkt->meta.cap_len = (uint32_t)len;
	if (gn_cli_print(d->pkt, d->buf, len, d->fmt, d->fmt_arg, d->n, &err) < 0) {
		gn_cli_expr_err("bad format", d->fmt_arg, &err);
		d->bad_format = true;
		return GN_EXIT_USAGE;
	}
	d->n++;
	return 0;
}

static int dissect_stdin(struct dissector *d)
{
	char *line = NULL, *text, where[32];
	size_t cap = 0;
	unsigned long lineno = 0;
	int status = GN_EXIT_OK;

	while (getline(&line, &cap, stdin) >= 0) {
		int rc;

		lineno++;
		text = gn_cli_line(line);
		if (!text)
			continue;
		snprintf(where, sizeof(where), "line %lu", lineno);
		rc = dissect_one(d, text, where, lineno);
		if (d->bad_format) {
			status = GN_EXIT_USAGE;
			break;
		}
		if (rc)
			status = GN_EXIT_FAIL;
	}
	free(line);
	return status;
}

enum { OPT_SEPARATE = 256 };

int gn_cmd_dissect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "layer",    required_argument, NULL, 'l' },
		{ "format",   required_argument, NULL, 'F' },
		{ "separate", no_argument,       NULL, OPT_SEPARATE },
		{ "help",     no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct dissector d = { .fmt = GN_FMT_SHOW, .fmt_arg = "show" };
	const char *cmd = argv[0], *layer = "Ether";
	int opt, status;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:F:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'l':
			layer = optarg;
			break;
		case 'F':
			d.fmt_arg = optarg;
			if (!gn_cli_parse_fmt(optarg, &d.fmt))
				return gn_cli_usage_error(cmd, "%s: unknown format '%s'", cmd, optarg);
			break;
		case OPT_SEPARATE:
			d.separate = true;
			break;
		case 'h':
			gn_cli_help(cmd, stdout);
			return GN_EXIT_OK;
		default:
			return gn_cli_bad_option(cmd, opt, argc, argv);
		}
	}
	d.first = gn_proto_find(layer);
	if (!d.first)
		return gn_cli_unknown_proto(cmd, layer);
	if (optind >= argc)
		return gn_cli_usage_error(cmd, "%s: missing hex bytes", cmd);

	d.pkt = gn_packet_new();
	if (!d.pkt) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	if (argc - optind == 1 && !strcmp(argv[optind], "-")) {
		status = dissect_stdin(&d);
	} else {
		char *text = gn_cli_join(argc - optind, argv + optind);

		status = text ? dissect_one(&d, text, NULL, 1) : GN_EXIT_FAIL;
		if (!text)
			gn_cli_err("out of memory");
		free(text);
	}
	gn_packet_free(d.pkt);
	free(d.buf);
	return status;
}
