// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Text -> syntax tree for the expression language.
 *
 * The language is the subset of Python that a Scapy session uses to write
 * packets, so the lexer follows Python's rules for numbers and string
 * literals, and '*' and '/' share one precedence level, left to right, as
 * they do in Python.  Tokens are lexed lazily, one ahead at most, so that the
 * error reported is always the leftmost one, as Python reports it.
 */
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/core.h>
#include <gannet/expr.h>

#define AST_MAX_DEPTH 64
#define AST_MAX_TEXT (64u << 20)
#define AST_MAX_REPEAT_BYTES 1000000u
#define AST_MAX_REPEAT_ITEMS 65536u
#define AST_MAX_ARGS 1024u

/* Every function the language knows; any other NAME(...) is a layer when it
 * starts with an uppercase letter. */
static const char *const ast_functions[] = {
	"RandShort", "RandInt", "RandByte", "RandLong", "RandIP", "RandIP6",
	"RandMAC", "RandNum", "RandString", "fuzz",
};
#define AST_NFUNCTIONS (sizeof(ast_functions) / sizeof(ast_functions[0]))

bool gn_ast_is_function(const char *name)
{
	if (!name)
		return false;
	for (size_t i = 0; i < AST_NFUNCTIONS; i++)
		if (!strcmp(name, ast_functions[i]))
			return true;
	return false;
}

/* ---- lexer ------------------------------------------------------------ */

enum tok_type {
	T_EOF, T_ERR, T_NAME, T_INT, T_FLOAT, T_STR, T_BYTES,
	T_LP, T_RP, T_LB, T_RB, T_COMMA, T_EQ, T_SLASH, T_STAR, T_MINUS,
};

struct tok {
	enum tok_type type;
	size_t pos, end;  /* byte offsets of the token in the text */
	int col;
	uint64_t num;
	double fnum;
	char *str;        /* T_STR, T_BYTES: decoded, NUL-terminated */
	size_t len;
};

struct parser {
	struct gn_arena *a;
	const char *s;
	size_t n;
	size_t pos;         /* where the lexer goes on */
	size_t cpos;        /* column cache: cpos is at column ccol */
	int ccol;
	struct tok tok;     /* the current token */
	struct tok ahead;
	bool have_ahead;
	int depth;
	int rc;
	struct gn_error *err;
	bool lex_failed;    /* the lexer stopped; its error waits in lex_msg */
	int lex_col;
	char lex_msg[GN_ERRMSG_MAX];
};

/* Columns count characters, not bytes, so a UTF-8 payload before a mistake
 * does not shift the caret.  Queries are almost always monotonic. */
static int col_at(struct parser *p, size_t pos)
{
	if (pos < p->cpos) {
		p->cpos = 0;
		p->ccol = 1;
	}
	while (p->cpos < pos && p->cpos < p->n) {
		if (((unsigned char)p->s[p->cpos] & 0xc0) != 0x80)
			p->ccol++;
		p->cpos++;
	}
	return p->ccol;
}

static void *fail(struct parser *p, int col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void *fail(struct parser *p, int col, const char *fmt, ...)
{
	char msg[GN_ERRMSG_MAX];
	va_list ap;

	if (p->rc)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p->rc = -EINVAL;
	gn_error_set(p->err, -EINVAL, col, "%s", msg);
	return NULL;
}

static void *oom(struct parser *p)
{
	if (!p->rc) {
		p->rc = -ENOMEM;
		gn_error_set(p->err, -ENOMEM, 0, "out of memory while parsing the expression");
	}
	return NULL;
}

static void *alloc(struct parser *p, size_t size)
{
	void *m = gn_arena_alloc(p->a, size ? size : 1);

	return m ? m : oom(p);
}

static void lex_error(struct parser *p, struct tok *t, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void lex_error(struct parser *p, struct tok *t, size_t pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->lex_msg, sizeof(p->lex_msg), fmt, ap);
	va_end(ap);
	p->lex_failed = true;
	p->lex_col = col_at(p, pos);
	t->type = T_ERR;
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ident(int c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

static int hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int peekc(const struct parser *p, size_t i)
{
	return i < p->n ? (unsigned char)p->s[i] : 0;
}

static void skip_space(struct parser *p)
{
	while (p->pos < p->n) {
		int c = peekc(p, p->pos);

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			p->pos++;
		} else if (c == '#') {
			while (p->pos < p->n && p->s[p->pos] != '\n')
				p->pos++;
		} else if (c == '\\' && peekc(p, p->pos + 1) == '\n') {
			p->pos += 2;
		} else if (c == '\\' && peekc(p, p->pos + 1) == '\r' && peekc(p, p->pos + 2) == '\n') {
			p->pos += 3;
		} else {
			break;
		}
	}
}

/* Digits of one base with Python's underscores: one '_' between two digits
 * (and, for 0x/0o/0b, right after the prefix).  Stops at the first character
 * that is neither.  Returns the digit count, or -1 with *bad at a misplaced
 * underscore or an invalid digit. */
static int scan_digits(struct parser *p, size_t *i, int base, bool us_first, size_t *bad)
{
	int count = 0;
	bool prev_us = false;

	for (;;) {
		int c = peekc(p, *i);
		int d = hexval(c);

		if (c == '_') {
			if (prev_us || (!count && !us_first)) {
				*bad = *i;
				return -1;
			}
			prev_us = true;
		} else if (d >= 0 && d < base) {
			prev_us = false;
			count++;
		} else if (base != 10 && is_ident(c)) {
			*bad = *i;
			return -1;
		} else {
			break;
		}
		(*i)++;
	}
	if (prev_us) {
		*bad = *i - 1;
		return -1;
	}
	return count;
}

static const char *base_name(int base)
{
	return base == 16 ? "hexadecimal" : base == 8 ? "octal" : base == 2 ? "binary" : "decimal";
}

static void number_after(struct parser *p, struct tok *t, size_t i)
{
	int c = peekc(p, i);

	if (c == '.' && t->type != T_ERR)
		lex_error(p, t, t->pos, "write IPv4 addresses as strings, e.g. dst=\"10.0.0.1\"");
	else if (c == ':')
		lex_error(p, t, t->pos,
			  "write MAC and IPv6 addresses as strings, e.g. src=\"00:11:22:33:44:55\"");
	else if (is_ident(c))
		lex_error(p, t, i, "invalid decimal literal: unexpected '%c'", c);
}

static bool accumulate(uint64_t *v, int base, int d)
{
	return !__builtin_mul_overflow(*v, (uint64_t)base, v) &&
	       !__builtin_add_overflow(*v, (uint64_t)d, v);
}

/* Value of digits s[from..to) in base, skipping underscores. */
static bool digits_value(struct parser *p, size_t from, size_t to, int base, uint64_t *v)
{
	*v = 0;
	for (size_t i = from; i < to; i++) {
		int d = hexval(peekc(p, i));

		if (d >= 0 && !accumulate(v, base, d))
			return false;
	}
	return true;
}

static void lex_float(struct parser *p, struct tok *t, size_t from, size_t to)
{
	const char *dp = localeconv()->decimal_point;
	size_t dpl = dp && *dp ? strlen(dp) : 1;
	char *buf = gn_arena_alloc(p->a, (to - from) * (dpl + 1) + 1);
	size_t k = 0;

	if (!buf) {
		oom(p);
		lex_error(p, t, from, "out of memory");
		return;
	}
	/* strtod honours the locale's decimal point, so use whatever it is */
	for (size_t i = from; i < to; i++) {
		char c = p->s[i];

		if (c == '_')
			continue;
		if (c == '.' && dp && *dp) {
			memcpy(buf + k, dp, dpl);
			k += dpl;
		} else {
			buf[k++] = c;
		}
	}
	buf[k] = 0;
	t->type = T_FLOAT;
	t->fnum = strtod(buf, NULL);
}

static void lex_number(struct parser *p, struct tok *t)
{
	size_t i = p->pos, bad = 0;
	int c1 = lower(peekc(p, i + 1));
	int nd;

	if (peekc(p, i) == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) {
		int base = c1 == 'x' ? 16 : c1 == 'o' ? 8 : 2;

		i += 2;
		nd = scan_digits(p, &i, base, true, &bad);
		if (nd < 0) {
			int c = peekc(p, bad);

			if (c == '_')
				lex_error(p, t, bad, "invalid %s literal: misplaced '_'", base_name(base));
			else
				lex_error(p, t, bad, "invalid digit '%c' in %s literal", c, base_name(base));
			return;
		}
		if (!nd) {
			lex_error(p, t, t->pos, "invalid %s literal: no digits after '0%c'",
				  base_name(base), c1);
			return;
		}
		t->type = T_INT;
		if (!digits_value(p, p->pos + 2, i, base, &t->num)) {
			lex_error(p, t, t->pos, "number too large: the largest is 2^64-1 (0xffffffffffffffff)");
			return;
		}
		p->pos = i;
		number_after(p, t, i);
		return;
	}

	/* decimal integer or float */
	bool is_float = false;
	size_t int_end;

	nd = scan_digits(p, &i, 10, false, &bad);
	if (nd < 0)
		goto bad_underscore;
	int_end = i;
	if (peekc(p, i) == '.') {
		is_float = true;
		i++;
		if (is_digit(peekc(p, i)) && scan_digits(p, &i, 10, false, &bad) < 0)
			goto bad_underscore;
	}
	if (lower(peekc(p, i)) == 'e' &&
	    (is_digit(peekc(p, i + 1)) ||
	     ((peekc(p, i + 1) == '+' || peekc(p, i + 1) == '-') && is_digit(peekc(p, i + 2))))) {
		is_float = true;
		i++;
		if (peekc(p, i) == '+' || peekc(p, i) == '-')
			i++;
		if (scan_digits(p, &i, 10, false, &bad) < 0)
			goto bad_underscore;
	}
	if (is_float) {
		lex_float(p, t, p->pos, i);
		if (t->type == T_ERR)
			return;
	} else {
		t->type = T_INT;
		if (peekc(p, p->pos) == '0') {
			for (size_t k = p->pos; k < int_end; k++) {
				if (peekc(p, k) != '0' && peekc(p, k) != '_') {
					lex_error(p, t, t->pos,
						  "leading zeros are not allowed in decimal numbers; "
						  "write octal as 0o17");
					return;
				}
			}
		}
		if (!digits_value(p, p->pos, int_end, 10, &t->num)) {
			lex_error(p, t, t->pos,
				  "number too large: the largest is 2^64-1 (18446744073709551615)");
			return;
		}
	}
	p->pos = i;
	number_after(p, t, i);
	return;

bad_underscore:
	lex_error(p, t, bad, "invalid decimal literal: misplaced '_'");
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Decodes one backslash escape at s[*i] (the backslash) into o; returns the
 * bytes written, or -1 after lex_error.  A str literal is Python text, which
 * Scapy encodes as UTF-8, so "\xff" is two bytes; in bytes it is one. */
static int decode_escape(struct parser *p, struct tok *t, size_t *i, bool bytes, char *o)
{
	size_t bs = *i;
	int c = peekc(p, bs + 1);
	uint32_t cp;

	*i = bs + 2;
	switch (c) {
	case '\n':
		return 0;
	case '\r':
		if (peekc(p, bs + 2) == '\n')
			(*i)++;
		return 0;
	case '\\': case '\'': case '"':
		o[0] = (char)c;
		return 1;
	case 'a': o[0] = 7; return 1;
	case 'b': o[0] = 8; return 1;
	case 'f': o[0] = 12; return 1;
	case 'n': o[0] = 10; return 1;
	case 'r': o[0] = 13; return 1;
	case 't': o[0] = 9; return 1;
	case 'v': o[0] = 11; return 1;
	case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
		cp = 0;
		for (int k = 0; k < 3 && peekc(p, bs + 1 + k) >= '0' && peekc(p, bs + 1 + k) <= '7'; k++) {
			cp = cp * 8 + (uint32_t)(peekc(p, bs + 1 + k) - '0');
			*i = bs + 2 + k;
		}
		if (bytes) {
			o[0] = (char)(cp & 0xff);
			return 1;
		}
		return (int)put_utf8(o, cp);
	case 'x': case 'u': case 'U': {
		int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;

		if (c != 'x' && bytes)
			break;
		cp = 0;
		for (int k = 0; k < want; k++) {
			int d = hexval(peekc(p, bs + 2 + k));

			if (d < 0) {
				lex_error(p, t, bs, "truncated \\%c escape: it needs %d hex digits",
					  c, want);
				return -1;
			}
			cp = cp * 16 + (uint32_t)d;
		}
		*i = bs + 2 + (size_t)want;
		if (bytes) {
			o[0] = (char)cp;
			return 1;
		}
		if (cp > 0x10ffff) {
			lex_error(p, t, bs, "\\U%08x is not a Unicode character", (unsigned)cp);
			return -1;
		}
		if (cp >= 0xd800 && cp <= 0xdfff) {
			lex_error(p, t, bs, "\\u%04x is a surrogate and cannot be encoded as UTF-8",
				  (unsigned)cp);
			return -1;
		}
		return (int)put_utf8(o, cp);
	}
	case 'N':
		if (!bytes) {
			lex_error(p, t, bs, "\\N{...} escapes are not supported; use \\uXXXX");
			return -1;
		}
		break;
	default:
		break;
	}
	/* Python keeps an unknown escape as it is, backslash included */
	*i = bs + 1;
	o[0] = '\\';
	return 1;
}

/* A string or bytes literal whose opening quote is at q (prefix before it). */
static void lex_string(struct parser *p, struct tok *t, size_t q, bool bytes, bool raw)
{
	char quote = p->s[q];
	bool triple = peekc(p, q + 1) == quote && peekc(p, q + 2) == quote;
	size_t body = q + (triple ? 3 : 1), i = body, end;
	size_t o = 0;
	char *buf;

	/* find the end first, so the buffer is the size of this literal */
	for (;;) {
		int c = peekc(p, i);

		if (i >= p->n || (c == '\n' && !triple)) {
			lex_error(p, t, t->pos, "unterminated string: no closing %s",
				  triple ? (quote == '"' ? "\"\"\"" : "'''") : (quote == '"' ? "\"" : "'"));
			return;
		}
		if (c == '\\') {
			i += 2;
			continue;
		}
		if (c == quote && (!triple || (peekc(p, i + 1) == quote && peekc(p, i + 2) == quote)))
			break;
		i++;
	}
	end = i;
	buf = gn_arena_alloc(p->a, end - body + 1);
	if (!buf) {
		oom(p);
		lex_error(p, t, t->pos, "out of memory");
		return;
	}
	for (i = body; i < end;) {
		int c = peekc(p, i);
		int w;

		if (bytes && c >= 0x80) {
			lex_error(p, t, i, "bytes literals may only contain ASCII characters; write \\xNN");
			return;
		}
		if (c != '\\' || raw) {
			buf[o++] = (char)c;
			i++;
			continue;
		}
		w = decode_escape(p, t, &i, bytes, buf + o);
		if (w < 0)
			return;
		o += (size_t)w;
	}
	buf[o] = 0;
	t->type = bytes ? T_BYTES : T_STR;
	t->str = buf;
	t->len = o;
	p->pos = end + (triple ? 3 : 1);
}

/* b r u br rb, any case: Python's string prefixes (f-strings aside). */
static bool string_prefix(struct parser *p, struct tok *t, size_t from, size_t to)
{
	bool b = false, r = false, u = false, f = false;
	int q = peekc(p, to);

	if ((q != '\'' && q != '"') || to - from > 2)
		return false;
	for (size_t i = from; i < to; i++) {
		int c = lower(peekc(p, i));

		if (c == 'b' && !b)
			b = true;
		else if (c == 'r' && !r)
			r = true;
		else if (c == 'u' && !u)
			u = true;
		else if (c == 'f' && !f)
			f = true;
		else
			return false;
	}
	if (u && (b || r || f))
		return false;
	if (f && b)
		return false;
	if (f) {
		lex_error(p, t, from, "f-strings are not supported; write the text itself");
		return true;
	}
	lex_string(p, t, to, b, r);
	return true;
}

static void lex(struct parser *p, struct tok *t)
{
	int c;

	memset(t, 0, sizeof(*t));
	if (p->lex_failed) {
		t->type = T_ERR;
		t->pos = t->end = p->pos;
		t->col = p->lex_col;
		return;
	}
	skip_space(p);
	t->pos = p->pos;
	t->col = col_at(p, p->pos);
	c = peekc(p, p->pos);
	if (p->pos >= p->n) {
		t->type = T_EOF;
	} else if (is_alpha(c) || c == '_') {
		size_t e = p->pos;

		while (e < p->n && is_ident(peekc(p, e)))
			e++;
		if (!string_prefix(p, t, p->pos, e)) {
			t->type = T_NAME;
			p->pos = e;
		}
	} else if (is_digit(c) || (c == '.' && is_digit(peekc(p, p->pos + 1)))) {
		lex_number(p, t);
	} else if (c == '\'' || c == '"') {
		lex_string(p, t, p->pos, false, false);
	} else {
		static const char punct[] = "()[],=/*-";
		static const enum tok_type types[] = {
			T_LP, T_RP, T_LB, T_RB, T_COMMA, T_EQ, T_SLASH, T_STAR, T_MINUS,
		};
		const char *hit = strchr(punct, c);

		if (hit) {
			t->type = types[hit - punct];
			p->pos++;
		} else if (c == '.') {
			if (p->pos && p->s[p->pos - 1] == ')' && is_alpha(peekc(p, p->pos + 1)))
				lex_error(p, t, p->pos, "unexpected '.': method calls such as .show() "
					  "are not part of a packet expression");
			else
				lex_error(p, t, p->pos, "unexpected '.': write addresses and host names "
					  "as strings, e.g. dst=\"10.0.0.1\"");
		} else if (c == ':') {
			lex_error(p, t, p->pos, "unexpected ':': write MAC and IPv6 addresses as "
				  "strings, e.g. src=\"00:11:22:33:44:55\"");
		} else if (c >= 0x21 && c < 0x7f) {
			lex_error(p, t, p->pos, "unexpected character '%c'", c);
		} else {
			lex_error(p, t, p->pos, "unexpected byte 0x%02x", (unsigned)c);
		}
	}
	t->end = p->pos;
}

/* ---- parser ----------------------------------------------------------- */

static void next(struct parser *p)
{
	if (p->have_ahead) {
		p->tok = p->ahead;
		p->have_ahead = false;
	} else {
		lex(p, &p->tok);
	}
}

static const struct tok *peek(struct parser *p)
{
	if (!p->have_ahead) {
		lex(p, &p->ahead);
		p->have_ahead = true;
	}
	return &p->ahead;
}

static const char *tok_desc(const struct parser *p, const struct tok *t, char *buf, size_t size)
{
	size_t len = t->end - t->pos;

	switch (t->type) {
	case T_EOF:
		return "end of input";
	case T_ERR:
		return "an invalid token";
	case T_STR:
		return "a string";
	case T_BYTES:
		return "a bytes literal";
	case T_NAME:
	case T_INT:
	case T_FLOAT:
		if (len > 40)
			snprintf(buf, size, "'%.40s...'", p->s + t->pos);
		else
			snprintf(buf, size, "'%.*s'", (int)len, p->s + t->pos);
		return buf;
	default:
		snprintf(buf, size, "'%c'", p->s[t->pos]);
		return buf;
	}
}

/* An error about token t: a lexer error there is the real one. */
static void *fail_tok(struct parser *p, const struct tok *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void *fail_tok(struct parser *p, const struct tok *t, const char *fmt, ...)
{
	char msg[GN_ERRMSG_MAX];
	va_list ap;

	if (t->type == T_ERR)
		return fail(p, p->lex_col, "%s", p->lex_msg);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fail(p, t->col, "%s", msg);
}

static struct gn_ast *node(struct parser *p, enum gn_ast_type type, int col)
{
	struct gn_ast *n = alloc(p, sizeof(*n));

	if (n) {
		n->type = type;
		n->column = col;
	}
	return n;
}

static char *tok_text(struct parser *p, const struct tok *t)
{
	char *s = alloc(p, t->end - t->pos + 1);

	if (s)
		memcpy(s, p->s + t->pos, t->end - t->pos);
	return s;
}

/* A growable array of node pointers in the arena. */
struct vec {
	struct gn_ast **v;
	unsigned n, cap;
};

static bool vec_push(struct parser *p, struct vec *v, struct gn_ast *x)
{
	if (v->n == v->cap) {
		unsigned cap = v->cap ? v->cap * 2 : 4;
		struct gn_ast **nv;

		if (cap < v->cap)
			return oom(p);
		nv = alloc(p, cap * sizeof(*nv));
		if (!nv)
			return false;
		if (v->n)
			memcpy(nv, v->v, v->n * sizeof(*nv));
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = x;
	return true;
}

static bool is_fuzz(const struct gn_ast *x)
{
	return x->type == GN_AST_CALL && !strcmp(x->str, "fuzz");
}

static bool is_packet(const struct gn_ast *x)
{
	return x->type == GN_AST_LAYER || x->type == GN_AST_CHAIN || is_fuzz(x);
}

static const char *node_desc(const struct gn_ast *x, char *buf, size_t size)
{
	switch (x->type) {
	case GN_AST_NUM:
	case GN_AST_FLOAT:
		return "a number";
	case GN_AST_STR:
		return "a string";
	case GN_AST_BYTES:
		return "bytes";
	case GN_AST_NONE:
		return "None";
	case GN_AST_BOOL:
		return x->num ? "True" : "False";
	case GN_AST_NAME:
		snprintf(buf, size, "the name '%.60s'", x->str);
		return buf;
	case GN_AST_TUPLE:
		return "a tuple";
	case GN_AST_LIST:
		return "a list";
	case GN_AST_LAYER:
	case GN_AST_CHAIN:
		return "a packet";
	case GN_AST_CALL:
		snprintf(buf, size, "%.60s()", x->str);
		return buf;
	}
	return "a value";
}

static struct gn_ast *parse_expr(struct parser *p);

static bool enter(struct parser *p, int col)
{
	if (++p->depth > AST_MAX_DEPTH) {
		fail(p, col, "nesting too deep: more than %d levels of brackets and layers",
		     AST_MAX_DEPTH);
		return false;
	}
	return true;
}

/* After an element of a bracketed sequence: ',' or the closer.  Returns 1 to
 * go on, 0 when the sequence is closed, -1 on error. */
static int seq_next(struct parser *p, enum tok_type closer, char close_c, char open_c,
		    int open_col, bool *comma)
{
	char buf[64];

	if (p->tok.type == T_COMMA) {
		*comma = true;
		next(p);
		if (p->tok.type != closer)
			return 1;
	}
	if (p->tok.type == closer) {
		next(p);
		return 0;
	}
	if (p->tok.type == T_EOF)
		fail(p, p->tok.col, "expected '%c' to close '%c' opened at column %d",
		     close_c, open_c, open_col);
	else
		fail_tok(p, &p->tok, "expected ',' or '%c' to close '%c' opened at column %d, found %s",
			 close_c, open_c, open_col, tok_desc(p, &p->tok, buf, sizeof(buf)));
	return -1;
}

/* The values between an opening bracket (the current token) and its closer,
 * comma-separated, trailing comma allowed; *comma tells whether any comma
 * was seen, which is what makes (x,) a tuple. */
static bool parse_seq(struct parser *p, enum tok_type closer, char close_c, char open_c,
		      struct vec *v, bool *comma)
{
	int col = p->tok.col;

	*comma = false;
	if (!enter(p, col))
		return false;
	next(p);
	if (p->tok.type == closer) {
		next(p);
	} else {
		for (;;) {
			struct gn_ast *x = parse_expr(p);
			int r;

			if (!x || !vec_push(p, v, x))
				return false;
			r = seq_next(p, closer, close_c, open_c, col, comma);
			if (r < 0)
				return false;
			if (!r)
				break;
		}
	}
	p->depth--;
	return true;
}

static struct gn_ast *seq_node(struct parser *p, enum gn_ast_type type, int col,
			       const struct vec *v)
{
	struct gn_ast *x = node(p, type, col);

	if (x) {
		x->items = v->v;
		x->n = v->n;
	}
	return x;
}

/* ( ... ): Python's rules, (x) is x, (x,) a 1-tuple, () the empty tuple. */
static struct gn_ast *parse_paren(struct parser *p)
{
	int col = p->tok.col;
	struct vec v = { 0 };
	bool comma;

	if (!parse_seq(p, T_RP, ')', '(', &v, &comma))
		return NULL;
	if (v.n == 1 && !comma)
		return v.v[0];
	return seq_node(p, GN_AST_TUPLE, col, &v);
}

static struct gn_ast *parse_list(struct parser *p)
{
	int col = p->tok.col;
	struct vec v = { 0 };
	bool comma;

	if (!parse_seq(p, T_RB, ']', '[', &v, &comma))
		return NULL;
	return seq_node(p, GN_AST_LIST, col, &v);
}

static bool kw_push(struct parser *p, struct gn_ast_kw **kw, unsigned *n, unsigned *cap,
		    const char *name, int col, struct gn_ast *value)
{
	/* no layer has this many fields; it also keeps the duplicate check cheap */
	if (*n >= AST_MAX_ARGS)
		return fail(p, col, "too many arguments: the limit is %u", AST_MAX_ARGS);
	for (unsigned i = 0; i < *n; i++)
		if (!strcmp((*kw)[i].name, name))
			return fail(p, col, "argument '%.60s' is given twice", name);
	if (*n == *cap) {
		unsigned nc = *cap ? *cap * 2 : 4;
		struct gn_ast_kw *nk = alloc(p, nc * sizeof(*nk));

		if (!nk)
			return false;
		if (*n)
			memcpy(nk, *kw, *n * sizeof(*nk));
		*kw = nk;
		*cap = nc;
	}
	(*kw)[*n].name = name;
	(*kw)[*n].column = col;
	(*kw)[*n].value = value;
	(*n)++;
	return true;
}

static bool starts_value(enum tok_type t)
{
	return t == T_NAME || t == T_INT || t == T_FLOAT || t == T_STR || t == T_BYTES ||
	       t == T_LP || t == T_LB || t == T_MINUS;
}

/* NAME=value: the current token is the NAME and the one after it '='. */
static bool parse_kwarg(struct parser *p, struct gn_ast_kw **kw, unsigned *n, unsigned *cap)
{
	int col = p->tok.col;
	char *name = tok_text(p, &p->tok);
	struct gn_ast *value;
	char buf[64];

	if (!name)
		return false;
	next(p);
	next(p);
	if (!starts_value(p->tok.type))
		return fail_tok(p, &p->tok, "expected a value after '%.60s=', found %s", name,
				tok_desc(p, &p->tok, buf, sizeof(buf)));
	value = parse_expr(p);
	if (!value)
		return false;
	return kw_push(p, kw, n, cap, name, col, value);
}

/* NAME( ... ) for a layer (only NAME=value) or a function (positional
 * arguments too); the current token is the NAME. */
static struct gn_ast *parse_call(struct parser *p, bool layer)
{
	int col = p->tok.col, open_col;
	struct gn_ast *x = node(p, layer ? GN_AST_LAYER : GN_AST_CALL, col);
	struct vec args = { 0 };
	unsigned kwcap = 0;
	char buf[64];

	if (!x || !(x->str = tok_text(p, &p->tok)))
		return NULL;
	x->len = p->tok.end - p->tok.pos;
	next(p);
	open_col = p->tok.col;
	if (!enter(p, open_col))
		return NULL;
	next(p);
	for (;;) {
		bool comma;
		int r;

		if (p->tok.type == T_RP) {
			next(p);
			break;
		}
		if (p->tok.type == T_NAME && peek(p)->type == T_EQ) {
			if (!parse_kwarg(p, &x->kw, &x->nkw, &kwcap))
				return NULL;
		} else if (starts_value(p->tok.type) && layer) {
			/* Scapy's one positional argument: bytes the layer is
			 * dissected from, IP(b'E...') or Raw('x') */
			struct gn_ast *v;

			if (x->nkw || args.n)
				return fail(p, p->tok.col,
					    "a layer takes one positional argument, the bytes to "
					    "dissect, before any NAME=value; write NAME=value");
			v = parse_expr(p);
			if (!v)
				return NULL;
			if (v->type != GN_AST_STR && v->type != GN_AST_BYTES)
				return fail(p, v->column,
					    "the positional argument of a layer is the bytes to "
					    "dissect (b\"...\"); write NAME=value for fields");
			if (!vec_push(p, &args, v))
				return NULL;
		} else if (starts_value(p->tok.type)) {
			struct gn_ast *v;

			if (x->nkw)
				return fail(p, p->tok.col,
					    "a positional argument cannot follow NAME=value arguments");
			v = parse_expr(p);
			if (!v || !vec_push(p, &args, v))
				return NULL;
		} else if (p->tok.type == T_EOF) {
			return fail(p, p->tok.col, "expected ')' to close '(' opened at column %d",
				    open_col);
		} else {
			return fail_tok(p, &p->tok, "expected %s or ')', found %s",
					layer ? "an argument NAME=value" : "an argument",
					tok_desc(p, &p->tok, buf, sizeof(buf)));
		}
		r = seq_next(p, T_RP, ')', '(', open_col, &comma);
		if (r < 0)
			return NULL;
		if (!r)
			break;
	}
	p->depth--;
	x->items = args.v;
	x->n = args.n;
	if (is_fuzz(x) && (x->n != 1 || x->nkw || x->items[0]->type != GN_AST_CHAIN))
		return fail(p, col, "fuzz() takes one packet, e.g. fuzz(TCP(dport=80))");
	return x;
}

static struct gn_ast *parse_name(struct parser *p)
{
	const struct tok *t = &p->tok;
	size_t len = t->end - t->pos;
	const char *s = p->s + t->pos;
	struct gn_ast *x;
	char buf[80];

	if (peek(p)->type == T_LP) {
		char *name = tok_text(p, t);
		const char *best;

		if (!name)
			return NULL;
		if (gn_ast_is_function(name))
			return parse_call(p, false);
		if (s[0] >= 'A' && s[0] <= 'Z' && strncmp(name, "Rand", 4))
			return parse_call(p, true);
		best = gn_closest(name, len, ast_functions, AST_NFUNCTIONS);
		if (best)
			snprintf(buf, sizeof(buf), "; did you mean %s()?", best);
		else
			snprintf(buf, sizeof(buf), "; layer names start with an uppercase letter, e.g. IP()");
		return fail(p, t->col, "unknown function '%.60s'%s", name, buf);
	}
	if (len == 4 && !memcmp(s, "None", 4)) {
		x = node(p, GN_AST_NONE, t->col);
	} else if ((len == 4 && !memcmp(s, "True", 4)) || (len == 5 && !memcmp(s, "False", 5))) {
		x = node(p, GN_AST_BOOL, t->col);
		if (x)
			x->num = len == 4;
	} else {
		x = node(p, GN_AST_NAME, t->col);
		if (x && (x->str = tok_text(p, t)))
			x->len = len;
		else
			x = NULL;
	}
	next(p);
	return x;
}

/* "ab" "cd": Python joins adjacent literals of one kind. */
static struct gn_ast *parse_strings(struct parser *p)
{
	enum tok_type type = p->tok.type;
	struct gn_ast *x = node(p, type == T_STR ? GN_AST_STR : GN_AST_BYTES, p->tok.col);
	size_t cap;

	if (!x)
		return NULL;
	x->str = p->tok.str;
	x->len = cap = p->tok.len;
	next(p);
	while (p->tok.type == T_STR || p->tok.type == T_BYTES) {
		if (p->tok.type != type)
			return fail(p, p->tok.col, "cannot join a bytes literal and a string");
		if (x->len + p->tok.len + 1 > cap) {
			size_t nc = (x->len + p->tok.len + 1) * 2;
			char *ns = alloc(p, nc);

			if (!ns)
				return NULL;
			memcpy(ns, x->str, x->len);
			x->str = ns;
			cap = nc;
		}
		memcpy((char *)x->str + x->len, p->tok.str, p->tok.len + 1);
		x->len += p->tok.len;
		next(p);
	}
	return x;
}

static struct gn_ast *parse_primary(struct parser *p)
{
	struct gn_ast *x;
	char buf[64];

	switch (p->tok.type) {
	case T_INT:
		x = node(p, GN_AST_NUM, p->tok.col);
		if (x)
			x->num = p->tok.num;
		next(p);
		return x;
	case T_FLOAT:
		x = node(p, GN_AST_FLOAT, p->tok.col);
		if (x)
			x->fnum = p->tok.fnum;
		next(p);
		return x;
	case T_MINUS: {
		int col = p->tok.col;

		next(p);
		if (p->tok.type != T_INT && p->tok.type != T_FLOAT)
			return fail_tok(p, &p->tok, "expected a number after '-', found %s",
					tok_desc(p, &p->tok, buf, sizeof(buf)));
		x = parse_primary(p);
		if (x) {
			x->column = col;
			x->neg = x->type == GN_AST_FLOAT || x->num != 0;
			if (x->type == GN_AST_FLOAT)
				x->fnum = -x->fnum;
		}
		return x;
	}
	case T_STR:
	case T_BYTES:
		return parse_strings(p);
	case T_NAME:
		return parse_name(p);
	case T_LP:
		return parse_paren(p);
	case T_LB:
		return parse_list(p);
	case T_RP:
	case T_RB:
		return fail(p, p->tok.col, "unexpected '%c'", p->s[p->tok.pos]);
	default:
		return fail_tok(p, &p->tok, "expected a value, found %s",
				tok_desc(p, &p->tok, buf, sizeof(buf)));
	}
}

/* x * N and N * x for strings, bytes, lists and tuples, as Python does. */
static struct gn_ast *repeat(struct parser *p, struct gn_ast *l, struct gn_ast *r, int opcol)
{
	struct gn_ast *seq = l, *cnt = r, *x;
	char buf[80];
	uint64_t k;

	if (l->type == GN_AST_NUM && r->type != GN_AST_NUM) {
		seq = r;
		cnt = l;
	}
	if (is_packet(seq) || is_packet(cnt))
		return fail(p, opcol, "a packet cannot be repeated; repeat a list "
			    "([IPOption_NOP()]*3) or a payload (\"x\"*10) instead");
	if (seq->type != GN_AST_STR && seq->type != GN_AST_BYTES &&
	    seq->type != GN_AST_LIST && seq->type != GN_AST_TUPLE)
		return fail(p, seq->column, "'*' repeats strings, bytes and lists, not %s",
			    node_desc(seq, buf, sizeof(buf)));
	if (cnt->type != GN_AST_NUM)
		return fail(p, cnt->column, "the repetition count must be an integer, not %s",
			    node_desc(cnt, buf, sizeof(buf)));
	if (cnt->neg)
		return fail(p, cnt->column, "the repetition count must not be negative");
	k = cnt->num;
	x = node(p, seq->type, l->column);
	if (!x)
		return NULL;
	if (seq->type == GN_AST_STR || seq->type == GN_AST_BYTES) {
		char *s;

		if (seq->len && k > AST_MAX_REPEAT_BYTES / seq->len)
			return fail(p, opcol, "the repetition makes more than %u bytes",
				    AST_MAX_REPEAT_BYTES);
		if (!seq->len)
			k = 0;
		s = alloc(p, seq->len * k + 1);
		if (!s)
			return NULL;
		for (uint64_t i = 0; i < k; i++)
			memcpy(s + i * seq->len, seq->str, seq->len);
		x->str = s;
		x->len = seq->len * k;
		return x;
	}
	if (seq->n && k > AST_MAX_REPEAT_ITEMS / seq->n)
		return fail(p, opcol, "the repetition makes more than %u items",
			    AST_MAX_REPEAT_ITEMS);
	if (!seq->n)
		k = 0;
	x->n = (unsigned)(seq->n * k);
	x->items = alloc(p, (size_t)x->n * sizeof(*x->items));
	if (!x->items)
		return NULL;
	/* the same node appears k times: the tree is read-only once built */
	for (uint64_t i = 0; i < k; i++)
		memcpy(x->items + i * seq->n, seq->items, seq->n * sizeof(*x->items));
	return x;
}

/* One operand of '/': a layer, a payload string or bytes, fuzz(...), or a
 * packet in parentheses, whose layers are spliced in. */
static bool chain_add(struct parser *p, struct vec *v, struct gn_ast *x)
{
	char buf[80];

	if (x->type == GN_AST_CHAIN) {
		for (unsigned i = 0; i < x->n; i++)
			if (!vec_push(p, v, x->items[i]))
				return false;
		return true;
	}
	if (x->type == GN_AST_LAYER || x->type == GN_AST_STR || x->type == GN_AST_BYTES ||
	    is_fuzz(x))
		return vec_push(p, v, x);
	if (x->type == GN_AST_NAME && x->str[0] >= 'A' && x->str[0] <= 'Z')
		return fail(p, x->column, "'%.60s' is not a layer; write %.60s() with parentheses",
			    x->str, x->str);
	return fail(p, x->column, "%s cannot be a layer; '/' stacks layers such as IP()/TCP() "
		    "and payload strings", node_desc(x, buf, sizeof(buf)));
}

static struct gn_ast *wrap_chain(struct parser *p, struct gn_ast *x)
{
	struct gn_ast *c = node(p, GN_AST_CHAIN, x->column);

	if (!c || !(c->items = alloc(p, sizeof(*c->items))))
		return NULL;
	c->items[0] = x;
	c->n = 1;
	return c;
}

/* '*' and '/' at one precedence, left to right, as in Python.  A layer alone
 * comes back as a one-layer CHAIN. */
static struct gn_ast *parse_expr(struct parser *p)
{
	struct gn_ast *acc = parse_primary(p), *rhs, *c;
	struct vec chain = { 0 };
	bool in_chain = false;

	if (!acc)
		return NULL;
	while (p->tok.type == T_STAR || p->tok.type == T_SLASH) {
		bool star = p->tok.type == T_STAR;
		int opcol = p->tok.col;

		next(p);
		rhs = parse_primary(p);
		if (!rhs)
			return NULL;
		if (star) {
			if (in_chain)
				return fail(p, opcol, "'*' here repeats the whole packet; to repeat "
					    "a payload put it in parentheses: IP()/(\"x\"*10)");
			acc = repeat(p, acc, rhs, opcol);
			if (!acc)
				return NULL;
			continue;
		}
		if (!in_chain) {
			if (!is_packet(acc) && !is_packet(rhs) &&
			    (acc->type == GN_AST_STR || acc->type == GN_AST_BYTES) &&
			    (rhs->type == GN_AST_STR || rhs->type == GN_AST_BYTES))
				return fail(p, opcol, "'/' stacks layers; two strings need a layer "
					    "between them, or join them: \"ab\" \"cd\"");
			if (!chain_add(p, &chain, acc))
				return NULL;
			in_chain = true;
		}
		if (!chain_add(p, &chain, rhs))
			return NULL;
	}
	if (in_chain) {
		c = node(p, GN_AST_CHAIN, acc->column);
		if (c) {
			c->items = chain.v;
			c->n = chain.n;
		}
		return c;
	}
	if (acc->type == GN_AST_LAYER)
		return wrap_chain(p, acc);
	return acc;
}

int gn_ast_parse(struct gn_arena *a, const char *text, struct gn_ast **out,
		 struct gn_error *err)
{
	struct parser p = { .a = a, .s = text, .ccol = 1, .err = err };
	struct gn_ast *root;
	char buf[80];

	if (out)
		*out = NULL;
	if (!a || !text || !out)
		return gn_error_set(err, -EINVAL, 0, "gn_ast_parse: missing argument");
	p.n = strnlen(text, (size_t)AST_MAX_TEXT + 1);
	if (p.n > AST_MAX_TEXT)
		return gn_error_set(err, -EINVAL, 1, "expression too long: the limit is %u bytes",
				    AST_MAX_TEXT);
	next(&p);
	if (p.tok.type == T_EOF)
		return gn_error_set(err, -EINVAL, p.tok.col,
				    "empty expression; give a packet such as IP()/TCP()");
	root = parse_expr(&p);
	if (!root)
		return p.rc;
	switch (p.tok.type) {
	case T_EOF:
		break;
	case T_RP:
	case T_RB:
		fail(&p, p.tok.col, "unexpected '%c': nothing to close", p.s[p.tok.pos]);
		return p.rc;
	case T_COMMA:
		fail(&p, p.tok.col, "unexpected ',': join layers with '/', e.g. IP()/TCP()");
		return p.rc;
	case T_EQ:
		fail(&p, p.tok.col, "unexpected '=': field values go inside a layer, "
		     "e.g. IP(ttl=64)");
		return p.rc;
	default:
		fail_tok(&p, &p.tok, "unexpected %s after the packet; join layers with '/'",
			 tok_desc(&p, &p.tok, buf, sizeof(buf)));
		return p.rc;
	}
	if (root->type != GN_AST_CHAIN) {
		if (root->type != GN_AST_STR && root->type != GN_AST_BYTES && !is_fuzz(root)) {
			if (root->type == GN_AST_NAME && root->str[0] >= 'A' && root->str[0] <= 'Z')
				fail(&p, root->column, "'%.60s' is not a layer; write %.60s() with "
				     "parentheses", root->str, root->str);
			else
				fail(&p, root->column, "expected a packet such as IP()/TCP() or a "
				     "payload string, found %s", node_desc(root, buf, sizeof(buf)));
			return p.rc;
		}
		root = wrap_chain(&p, root);
		if (!root)
			return p.rc;
	}
	*out = root;
	return 0;
}
