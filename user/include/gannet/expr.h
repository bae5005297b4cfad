/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The expression language: Scapy's syntax for packets.
 *   text --gn_ast_parse--> syntax tree --gn_parse--> template packet
 *   template --gn_expand_*--> every concrete packet it stands for, lazily.
 */
#ifndef GANNET_EXPR_H
#define GANNET_EXPR_H

#include <gannet/packet.h>

#ifdef __cplusplus
extern "C" {
#endif

enum gn_ast_type {
	GN_AST_NUM,    /* num (neg set for a leading minus) */
	GN_AST_FLOAT,  /* fnum */
	GN_AST_STR,    /* str[len]: "text" or 'text' */
	GN_AST_BYTES,  /* str[len]: b"..." with escapes decoded */
	GN_AST_NONE,   /* None */
	GN_AST_BOOL,   /* True / False in num */
	GN_AST_NAME,   /* str: a bare identifier (enum name, flag letters) */
	GN_AST_TUPLE,  /* items[n] */
	GN_AST_LIST,   /* items[n] */
	GN_AST_LAYER,  /* str = class name, kw[nkw] = its arguments */
	GN_AST_CHAIN,  /* items[n]: layers joined with '/' (LAYER, STR, BYTES or fuzz CALL) */
	GN_AST_CALL,   /* str = function (RandShort, fuzz), items[n] = arguments */
};

struct gn_ast;

struct gn_ast_kw {
	const char *name;
	int column;
	struct gn_ast *value;
};

struct gn_ast {
	enum gn_ast_type type;
	int column;           /* 1-based column where it starts */
	bool neg;
	uint64_t num;
	double fnum;
	const char *str;      /* NUL-terminated; len excludes the NUL */
	size_t len;
	struct gn_ast **items;
	unsigned n;
	struct gn_ast_kw *kw;
	unsigned nkw;
};

/* Parse text into a syntax tree allocated from a. Repetition (x * N) is
 * applied here.  Errors carry the column and a hint. */
int gn_ast_parse(struct gn_arena *a, const char *text, struct gn_ast **out,
		 struct gn_error *err);
/* True for the functions the language knows (RandShort, fuzz, ...): NAME(...)
 * is a GN_AST_CALL for these and a GN_AST_LAYER otherwise. */
bool gn_ast_is_function(const char *name);

/* Parse a packet expression into a template packet (fields may hold sets). */
int gn_parse(const char *text, struct gn_packet **out, struct gn_error *err);
/* Turn one syntax tree of a chain into template layers appended to p. */
int gn_parse_ast(struct gn_packet *p, const struct gn_ast *chain, struct gn_error *err);
/* Assign a syntax tree to field i of layer l (generators allowed on scalar fields). */
int gn_assign_ast(struct gn_layer *l, unsigned i, const struct gn_ast *ast,
		  struct gn_error *err);

/* Lazy expansion of a template into concrete packets, in Scapy's order. */
struct gn_expander;
int gn_expand_new(const struct gn_packet *tmpl, struct gn_expander **out);
/* Next concrete packet into out (reset first): 1 = got one, 0 = done, <0 error. */
int gn_expand_next(struct gn_expander *x, struct gn_packet *out);
/* How many packets the template stands for (saturating at UINT64_MAX). */
uint64_t gn_expand_count(const struct gn_packet *tmpl);
void gn_expand_free(struct gn_expander *x);

/* "Did you mean" for misspelt names: the closest candidate, or NULL. */
const char *gn_closest(const char *word, size_t n, const char *const *cands, size_t ncands);

#ifdef __cplusplus
}
#endif
#endif
