// SPDX-License-Identifier: LGPL-2.1-or-later
/* Helpers every subcommand shares: the stdout buffer, error messages,
 * option values and the text formats of a packet. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ---- output ----------------------------------------------------------- */

struct gn_strbuf gn_out;

#define GN_OUT_FLUSH_AT (1u << 20)

int gn_out_flush(void)
{
	size_t off = 0;

	if (gn_out.err) {
		int err = gn_out.err;

		gn_sb_reset(&gn_out);
		gn_out.err = 0;
		return err;
	}
	while (off < gn_out.len) {
		ssize_t n = write(STDOUT_FILENO, gn_out.s + off, gn_out.len - off);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			gn_sb_reset(&gn_out);
			return -errno;
		}
		off += (size_t)n;
	}
	gn_sb_reset(&gn_out);
	return 0;
}

void gn_out_maybe_flush(void)
{
	if (gn_out.len >= GN_OUT_FLUSH_AT || gn_out.err) {
		int err = gn_out_flush();

		/* Nothing printed later could reach the reader either. */
		if (err < 0) {
			fprintf(stderr, "gannet: write error: %s\n", gn_strerror(err));
			exit(GN_EXIT_FAIL);
		}
	}
}

void gn_cli_err(const char *fmt, ...)
{
	va_list ap;

	/* What was printed before the error comes before it. */
	gn_out_flush();
	fputs("gannet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void gn_cli_expr_err(const char *where, const char *text, const struct gn_error *e)
{
	const char *msg = e->msg[0] ? e->msg : gn_strerror(e->code);

	if (where)
		gn_cli_err("%s: %s", where, msg);
	else
		gn_cli_err("%s", msg);
	if (!text)
		return;
	fprintf(stderr, "    %s\n", text);
	if (e->column <= 0)
		return;
	fputs("    ", stderr);
	/* Columns count bytes; tabs are echoed so the caret lines up, and
	 * UTF-8 continuation bytes take no column on screen. */
	for (int i = 0; i < e->column - 1 && text[i]; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\t')
			fputc('\t', stderr);
		else if ((c & 0xc0) != 0x80)
			fputc(' ', stderr);
	}
	fputs("^\n", stderr);
}

/* ---- option values ---------------------------------------------------- */

bool gn_cli_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

bool gn_cli_parse_port(const char *s, unsigned *out)
{
	uint64_t v;

	if (!gn_cli_parse_u64(s, &v) || v == 0 || v > 65535)
		return false;
	*out = (unsigned)v;
	return true;
}

char *gn_cli_join(int argc, char **argv)
{
	size_t len = 0;
	char *s, *p;

	if (argc <= 0)
		return NULL;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (int i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]);

		if (i)
			*p++ = ' ';
		memcpy(p, argv[i], n);
		p += n;
	}
	*p = '\0';
	return s;
}

char *gn_cli_line(char *line)
{
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		line[--n] = '\0';
	if (!n || line[0] == '#')
		return NULL;
	return line;
}

/* Names every registered class, for "did you mean". */
int gn_cli_unknown_proto(const char *cmd, const char *name)
{
	const char **names;
	const char *near = NULL;
	size_t n = 0;

	while (gn_proto_at((unsigned)n))
		n++;
	names = calloc(n ? n : 1, sizeof(*names));
	if (names) {
		for (size_t i = 0; i < n; i++)
			names[i] = gn_proto_at((unsigned)i)->name;
		near = gn_closest(name, strlen(name), names, n);
	}
	free(names);
	if (near)
		return gn_cli_usage_error(cmd, "unknown protocol '%s' (did you mean '%s'?)",
					  name, near);
	return gn_cli_usage_error(cmd, "unknown protocol '%s'", name);
}

/* ---- text formats ----------------------------------------------------- */

static const struct {
	const char *name;
	enum gn_cli_fmt fmt;
} fmt_names[] = {
	{ "summary", GN_FMT_SUMMARY },
	{ "show",    GN_FMT_SHOW },
	{ "json",    GN_FMT_JSON },
	{ "hex",     GN_FMT_HEX },
	{ "hexdump", GN_FMT_HEXDUMP },
	{ "command", GN_FMT_COMMAND },
};

bool gn_cli_parse_fmt(const char *s, enum gn_cli_fmt *out)
{
	for (size_t i = 0; i < sizeof(fmt_names) / sizeof(fmt_names[0]); i++) {
		if (!strcmp(s, fmt_names[i].name)) {
			*out = fmt_names[i].fmt;
			return true;
		}
	}
	if (strchr(s, '%')) {
		*out = GN_FMT_SPRINTF;
		return true;
	}
	return false;
}

static void end_line(void)
{
	if (!gn_out.len || gn_out.s[gn_out.len - 1] != '\n')
		gn_sb_putc(&gn_out, '\n');
}

/* Colours on a terminal only: stdout a tty, TERM not "dumb", NO_COLOR
 * unset (no-color.org); GANNET_COLOR=always or never decides instead. */
unsigned gn_cli_out_flags(void)
{
	static int color = -1;

	if (color < 0) {
		const char *force = getenv("GANNET_COLOR"), *term = getenv("TERM");

		if (force && !strcmp(force, "always"))
			color = 1;
		else if (force && !strcmp(force, "never"))
			color = 0;
		else
			color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR") && term &&
				strcmp(term, "dumb") != 0;
	}
	return color ? GN_OUT_COLOR : 0;
}

int gn_cli_print(const struct gn_packet *p, const uint8_t *data, size_t len,
		 enum gn_cli_fmt fmt, const char *sprintf_fmt, uint64_t n,
		 struct gn_error *err)
{
	size_t mark = gn_out.len;
	int rc;

	switch (fmt) {
	case GN_FMT_SUMMARY:
		gn_summary_ex(p, &gn_out, gn_cli_out_flags());
		gn_sb_putc(&gn_out, '\n');
		break;
	case GN_FMT_SHOW:
		/* As Scapy's show() prints it: print() adds a blank line. */
		gn_show_ex(p, &gn_out, gn_cli_out_flags());
		end_line();
		gn_sb_putc(&gn_out, '\n');
		break;
	case GN_FMT_JSON:
		gn_json(p, &gn_out);
		gn_sb_putc(&gn_out, '\n');
		break;
	case GN_FMT_HEX:
		gn_sb_hex(&gn_out, data, len);
		gn_sb_putc(&gn_out, '\n');
		break;
	case GN_FMT_HEXDUMP:
		/* A blank line tells one packet's dump from the next. */
		if (n)
			gn_sb_putc(&gn_out, '\n');
		gn_hexdump(data, len, &gn_out);
		end_line();
		break;
	case GN_FMT_COMMAND:
		gn_command(p, &gn_out);
		gn_sb_putc(&gn_out, '\n');
		break;
	case GN_FMT_SPRINTF:
		rc = gn_sprintf(p, sprintf_fmt, &gn_out, err);
		if (rc < 0) {
			/* Drop the half-written line. */
			gn_out.len = mark;
			if (gn_out.s)
				gn_out.s[mark] = '\0';
			return rc;
		}
		gn_sb_putc(&gn_out, '\n');
		break;
	}
	gn_out_maybe_flush();
	return 0;
}
