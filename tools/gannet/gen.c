// SPDX-License-Identifier: LGPL-2.1-or-later
/* The loop under every crafting subcommand: expressions in, packets out.
 * A template can stand for millions of packets, so they are expanded one at
 * a time into one reused packet and never stored. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* How handling one expression ended. */
enum gen_verdict {
	GEN_GO,      /* fine, go on */
	GEN_DONE,    /* -c reached: stop everything, successfully */
	GEN_SYNTAX,  /* the expression was refused (usage error on the command line) */
	GEN_BAD,     /* this expression failed (build, fragment, expand); others may go on */
	GEN_FATAL,   /* the sink failed: stop everything with status 1 */
};

struct gen_state {
	struct gn_cli_gen *g;
	struct gn_packet *pkt;     /* the packet each expansion step fills */
	struct gn_arena *scratch;  /* the bytes of one built packet */
	const char *where;         /* "line 3" on stdin, NULL on the command line */
	uint64_t nth;              /* packets of the current expression so far */
};

static void err_prefix(const struct gen_state *s, char *buf, size_t n)
{
	if (s->where)
		snprintf(buf, n, "%s: ", s->where);
	else
		buf[0] = '\0';
}

static enum gen_verdict emit_one(struct gen_state *s, const struct gn_packet *p)
{
	struct gn_cli_gen *g = s->g;
	uint8_t *data = NULL;
	size_t len = 0;
	char pre[48];
	int rc;

	if (g->limit && g->count >= g->limit)
		return GEN_DONE;
	if (g->want_bytes) {
		gn_arena_reset(s->scratch);
		rc = gn_build(p, s->scratch, &data, &len);
		if (rc < 0) {
			err_prefix(s, pre, sizeof(pre));
			gn_cli_err("%scannot build packet %llu: %s", pre,
				   (unsigned long long)s->nth + 1, gn_strerror(rc));
			return GEN_BAD;
		}
	}
	rc = g->emit(g->ctx, p, data, len);
	if (rc)
		return GEN_FATAL;
	g->count++;
	return GEN_GO;
}

/* --fragment: IPv4 packets become their fragments, anything else passes. */
static enum gen_verdict emit_maybe_fragmented(struct gen_state *s, const struct gn_packet *p)
{
	struct gn_packet **frags = NULL;
	size_t nfrags = 0;
	enum gen_verdict v = GEN_GO;
	char pre[48];
	int rc;

	if (!s->g->fragsize || !gn_packet_layer_by_name(p, "IP", 0))
		return emit_one(s, p);
	rc = gn_fragment(p, s->g->fragsize, &frags, &nfrags);
	if (rc < 0) {
		err_prefix(s, pre, sizeof(pre));
		gn_cli_err("%scannot fragment packet %llu: %s", pre,
			   (unsigned long long)s->nth + 1, gn_strerror(rc));
		return GEN_BAD;
	}
	for (size_t i = 0; i < nfrags && v == GEN_GO; i++)
		v = emit_one(s, frags[i]);
	for (size_t i = 0; i < nfrags; i++)
		gn_packet_free(frags[i]);
	free(frags);
	return v;
}

static void separator(const struct gen_state *s, unsigned long lineno, bool bad)
{
	if (!s->g->separate)
		return;
	gn_sb_printf(&gn_out, "#%lu%s\n", lineno, bad ? " error" : "");
}

static enum gen_verdict run_expr(struct gen_state *s, const char *text, unsigned long lineno)
{
	struct gn_error err = { 0 };
	struct gn_packet *tmpl = NULL;
	struct gn_expander *x = NULL;
	enum gen_verdict v = GEN_GO;
	char pre[48];
	int rc;

	rc = gn_parse(text, &tmpl, &err);
	if (rc < 0) {
		separator(s, lineno, true);
		if (!err.code)
			gn_error_set(&err, rc, 0, "%s", gn_strerror(rc));
		gn_cli_expr_err(s->where, text, &err);
		return rc == -ENOMEM ? GEN_FATAL : GEN_SYNTAX;
	}
	separator(s, lineno, false);
	rc = gn_expand_new(tmpl, &x);
	if (rc < 0) {
		err_prefix(s, pre, sizeof(pre));
		gn_cli_err("%scannot expand the expression: %s", pre, gn_strerror(rc));
		gn_packet_free(tmpl);
		return GEN_BAD;
	}
	s->nth = 0;
	while (v == GEN_GO && (rc = gn_expand_next(x, s->pkt)) == 1) {
		v = emit_maybe_fragmented(s, s->pkt);
		s->nth++;
	}
	if (v == GEN_GO && rc < 0) {
		err_prefix(s, pre, sizeof(pre));
		gn_cli_err("%scannot expand packet %llu: %s", pre,
			   (unsigned long long)s->nth + 1, gn_strerror(rc));
		v = GEN_BAD;
	}
	gn_expand_free(x);
	gn_packet_free(tmpl);
	return v;
}

static int run_stdin(struct gen_state *s)
{
	char *line = NULL, *text;
	size_t cap = 0;
	unsigned long lineno = 0;
	char where[32];
	int status = GN_EXIT_OK;

	s->where = where;
	while (getline(&line, &cap, stdin) >= 0) {
		enum gen_verdict v;

		lineno++;
		text = gn_cli_line(line);
		if (!text)
			continue;
		snprintf(where, sizeof(where), "line %lu", lineno);
		v = run_expr(s, text, lineno);
		if (v == GEN_DONE)
			break;
		if (v == GEN_FATAL) {
			status = GN_EXIT_FAIL;
			break;
		}
		if (v != GEN_GO)
			status = GN_EXIT_FAIL;
	}
	if (ferror(stdin)) {
		gn_cli_err("reading stdin: %s", strerror(errno));
		status = GN_EXIT_FAIL;
	}
	free(line);
	return status;
}

int gn_cli_gen_run(struct gn_cli_gen *g, int argc, char **argv)
{
	struct gen_state s = { .g = g };
	int status;

	s.pkt = gn_packet_new();
	s.scratch = gn_arena_new(1 << 16);
	if (!s.pkt || !s.scratch) {
		gn_cli_err("out of memory");
		status = GN_EXIT_FAIL;
		goto out;
	}
	if (argc == 1 && !strcmp(argv[0], "-")) {
		status = run_stdin(&s);
	} else {
		char *text = gn_cli_join(argc, argv);

		if (!text) {
			gn_cli_err("out of memory");
			status = GN_EXIT_FAIL;
			goto out;
		}
		switch (run_expr(&s, text, 1)) {
		case GEN_GO:
		case GEN_DONE:
			status = GN_EXIT_OK;
			break;
		case GEN_SYNTAX:
			status = GN_EXIT_USAGE;
			break;
		default:
			status = GN_EXIT_FAIL;
			break;
		}
		free(text);
	}
out:
	gn_arena_free(s.scratch);
	gn_packet_free(s.pkt);
	return status;
}
