// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: any text through the expression parser, first the
 * syntax tree alone (whose invariants are checked here), then gn_parse all
 * the way to a template packet. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/gannet.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walks the tree: every node's type is known, strings are NUL-terminated at
 * len, and a CHAIN holds only what gn_parse_ast accepts. */
static void check(const struct gn_ast *x, size_t size, unsigned depth, unsigned *budget)
{
	/* repetition shares nodes, so a small text can be a huge tree */
	if (!*budget)
		return;
	(*budget)--;
	if (!x || depth > 200 || x->column < 1 || (size_t)x->column > size + 1)
		abort();
	switch (x->type) {
	case GN_AST_STR:
	case GN_AST_BYTES:
	case GN_AST_NAME:
		if (!x->str || x->str[x->len])
			abort();
		break;
	case GN_AST_LAYER:
	case GN_AST_CALL:
		if (!x->str || strlen(x->str) != x->len || !x->len)
			abort();
		for (unsigned i = 0; i < x->nkw; i++)
			if (!x->kw[i].name)
				abort();
			else
				check(x->kw[i].value, size, depth + 1, budget);
		break;
	case GN_AST_CHAIN:
		if (!x->n)
			abort();
		for (unsigned i = 0; i < x->n; i++) {
			const struct gn_ast *it = x->items[i];

			if (it->type != GN_AST_LAYER && it->type != GN_AST_STR &&
			    it->type != GN_AST_BYTES && it->type != GN_AST_CALL)
				abort();
		}
		break;
	case GN_AST_NUM:
	case GN_AST_FLOAT:
	case GN_AST_NONE:
	case GN_AST_BOOL:
	case GN_AST_TUPLE:
	case GN_AST_LIST:
		break;
	default:
		abort();
	}
	for (unsigned i = 0; i < x->n; i++)
		check(x->items[i], size, depth + 1, budget);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct gn_arena *a = gn_arena_new(4096);
	struct gn_packet *pkt = NULL;
	struct gn_error err;
	struct gn_ast *ast = NULL;
	int rc;

	if (!text || !a)
		goto out;
	memcpy(text, data, size);
	text[size] = 0;
	size = strlen(text);

	memset(&err, 0, sizeof(err));
	rc = gn_ast_parse(a, text, &ast, &err);
	if (rc == 0) {
		if (!ast || ast->type != GN_AST_CHAIN || err.code)
			abort();
		unsigned budget = 100000;

		check(ast, size, 0, &budget);
	} else if (ast || err.code != rc || !err.msg[0] || err.column < 0 ||
		   (size_t)err.column > size + 1) {
		abort();
	}

	memset(&err, 0, sizeof(err));
	if (gn_parse(text, &pkt, &err) == 0)
		gn_packet_free(pkt);
out:
	gn_arena_free(a);
	free(text);
	return 0;
}
