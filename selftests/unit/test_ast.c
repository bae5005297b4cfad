// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gn_ast_parse and gn_closest: each construct of the expression language,
 * lines from the Scapy manual, and the errors with their exact columns.
 * Trees are compared through a compact text rendering:
 *   {a / b} chain, Name(k=v) layer, fn(args; k=v) call, (..) tuple, [..] list,
 *   "str", b"bytes" (non-printables as \xNN), 5, -5, 1.5, None, True, name.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gannet/core.h>
#include <gannet/expr.h>

static void dump(struct gn_strbuf *sb, const struct gn_ast *x);

static void dump_text(struct gn_strbuf *sb, const char *s, size_t n)
{
	gn_sb_putc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
			gn_sb_printf(sb, "\\x%02x", c);
		else
			gn_sb_putc(sb, (char)c);
	}
	gn_sb_putc(sb, '"');
}

static void dump_items(struct gn_strbuf *sb, const struct gn_ast *x, const char *sep)
{
	for (unsigned i = 0; i < x->n; i++) {
		if (i)
			gn_sb_puts(sb, sep);
		dump(sb, x->items[i]);
	}
}

static void dump_kw(struct gn_strbuf *sb, const struct gn_ast *x)
{
	for (unsigned i = 0; i < x->nkw; i++) {
		if (i)
			gn_sb_puts(sb, ", ");
		gn_sb_printf(sb, "%s=", x->kw[i].name);
		dump(sb, x->kw[i].value);
	}
}

static void dump(struct gn_strbuf *sb, const struct gn_ast *x)
{
	switch (x->type) {
	case GN_AST_NUM:
		gn_sb_printf(sb, "%s%llu", x->neg ? "-" : "", (unsigned long long)x->num);
		break;
	case GN_AST_FLOAT:
		gn_sb_printf(sb, "%g", x->fnum);
		break;
	case GN_AST_STR:
		dump_text(sb, x->str, x->len);
		break;
	case GN_AST_BYTES:
		gn_sb_putc(sb, 'b');
		dump_text(sb, x->str, x->len);
		break;
	case GN_AST_NONE:
		gn_sb_puts(sb, "None");
		break;
	case GN_AST_BOOL:
		gn_sb_puts(sb, x->num ? "True" : "False");
		break;
	case GN_AST_NAME:
		gn_sb_puts(sb, x->str);
		break;
	case GN_AST_TUPLE:
		gn_sb_putc(sb, '(');
		dump_items(sb, x, ", ");
		if (x->n == 1)
			gn_sb_putc(sb, ',');
		gn_sb_putc(sb, ')');
		break;
	case GN_AST_LIST:
		gn_sb_putc(sb, '[');
		dump_items(sb, x, ", ");
		gn_sb_putc(sb, ']');
		break;
	case GN_AST_LAYER:
		gn_sb_printf(sb, "%s(", x->str);
		dump_kw(sb, x);
		gn_sb_putc(sb, ')');
		break;
	case GN_AST_CHAIN:
		gn_sb_putc(sb, '{');
		dump_items(sb, x, " / ");
		gn_sb_putc(sb, '}');
		break;
	case GN_AST_CALL:
		gn_sb_printf(sb, "%s(", x->str);
		dump_items(sb, x, ", ");
		if (x->nkw) {
			gn_sb_puts(sb, "; ");
			dump_kw(sb, x);
		}
		gn_sb_putc(sb, ')');
		break;
	}
}

struct fix {
	struct gn_arena *a;
	struct gn_strbuf sb;
	struct gn_error err;
	struct gn_ast *ast;
};

static int setup(void **state)
{
	struct fix *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->a = gn_arena_new(4096);
	gn_sb_init(&f->sb);
	*state = f;
	return f->a ? 0 : -1;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	gn_arena_free(f->a);
	gn_sb_free(&f->sb);
	free(f);
	return 0;
}

static int parse(struct fix *f, const char *text)
{
	memset(&f->err, 0, sizeof(f->err));
	f->ast = NULL;
	return gn_ast_parse(f->a, text, &f->ast, &f->err);
}

/* Parses text and returns the rendering of the whole (top-level) chain. */
static const char *tree(struct fix *f, const char *text)
{
	int rc = parse(f, text);

	if (rc) {
		print_error("parse of <%s> failed: col %d: %s\n", text, f->err.column, f->err.msg);
		fail();
	}
	assert_non_null(f->ast);
	assert_int_equal(f->ast->type, GN_AST_CHAIN);
	gn_sb_reset(&f->sb);
	dump(&f->sb, f->ast);
	return f->sb.s;
}

#define assert_tree(f, text, want) assert_string_equal(tree(f, text), want)

/* Parse must fail at col with a message containing frag. */
static void expect_error(struct fix *f, const char *text, int col, const char *frag)
{
	int rc = parse(f, text);

	if (rc != -EINVAL || f->err.column != col || !strstr(f->err.msg, frag)) {
		print_error("<%s>: rc %d col %d msg '%s'; wanted col %d with '%s'\n",
			    text, rc, f->err.column, f->err.msg, col, frag);
		fail();
	}
	assert_null(f->ast);
	assert_int_equal(f->err.code, -EINVAL);
}

/* ---- constructs ------------------------------------------------------- */

static void test_single_layer(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "IP()", "{IP()}");
	assert_int_equal(f->ast->n, 1);
	assert_int_equal(f->ast->items[0]->type, GN_AST_LAYER);
	assert_int_equal(f->ast->items[0]->len, 2);
	assert_int_equal(f->ast->items[0]->column, 1);
}

static void test_chain_columns(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "Ether() / IP()/TCP()", "{Ether() / IP() / TCP()}");
	assert_int_equal(f->ast->items[0]->column, 1);
	assert_int_equal(f->ast->items[1]->column, 11);
	assert_int_equal(f->ast->items[2]->column, 16);
}

static void test_string_alone_is_raw(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "'hello'", "{\"hello\"}");
	assert_int_equal(f->ast->items[0]->type, GN_AST_STR);
	assert_tree(f, "b'\\x01'", "{b\"\\x01\"}");
}

static void test_kwargs(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "IP(dst='1.2.3.4', ttl=64, )", "{IP(dst=\"1.2.3.4\", ttl=64)}");
	assert_int_equal(f->ast->items[0]->nkw, 2);
	assert_int_equal(f->ast->items[0]->kw[1].column, 19);
	assert_int_equal(f->ast->items[0]->kw[1].value->column, 23);
}

static void test_numbers(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "UDP(sport=0b101, dport=0x539)", "{UDP(sport=5, dport=1337)}");
	assert_tree(f, "X(a=0o17, b=1_000_000, c=0x_ff, d=0, e=00, f=0XFF, g=0B1, h=0O7)",
		    "{X(a=15, b=1000000, c=255, d=0, e=0, f=255, g=1, h=7)}");
	assert_tree(f, "X(a=18446744073709551615)", "{X(a=18446744073709551615)}");
	assert_tree(f, "X(a=0xffffffffffffffff)", "{X(a=18446744073709551615)}");
}

static void test_negative(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *v;

	assert_tree(f, "X(a=-5, b=- 0x10, c=-0)", "{X(a=-5, b=-16, c=0)}");
	v = f->ast->items[0]->kw[0].value;
	assert_true(v->neg);
	assert_int_equal(v->num, 5);
	assert_int_equal(v->column, 5);
	assert_false(f->ast->items[0]->kw[2].value->neg);
}

static void test_floats(void **state)
{
	struct fix *f = *state;
	assert_tree(f, "X(a=1.5, b=1e-3, c=.5, d=2., e=1_0.2_5, f=-2.5, g=1E3)",
		    "{X(a=1.5, b=0.001, c=0.5, d=2, e=10.25, f=-2.5, g=1000)}");
	assert_int_equal(f->ast->items[0]->kw[0].value->type, GN_AST_FLOAT);
	assert_true(f->ast->items[0]->kw[5].value->neg);
}

static void test_string_escapes(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *v;

	assert_tree(f, "R(a=\"q\\\"\\n\\t\\\\\\r\\0z\", b='it\\'s', c=\"\\x41\\101\\q\")",
		    "{R(a=\"q\\x22\\x0a\\x09\\x5c\\x0d\\x00z\", b=\"it's\", c=\"AA\\x5cq\")}");
	v = f->ast->items[0]->kw[0].value;
	assert_int_equal(v->len, 8);
	assert_int_equal(v->str[8], 0);
}

static void test_str_is_utf8(void **state)
{
	struct fix *f = *state;

	/* Scapy encodes a str with UTF-8: "\xff" is c3 bf, unlike b"\xff" */
	assert_tree(f, "R(a='\\xff', b=b'\\xff', c='\\u00e9\\U0001F600', d='é')",
		    "{R(a=\"\\xc3\\xbf\", b=b\"\\xff\", c=\"\\xc3\\xa9\\xf0\\x9f\\x98\\x80\", "
		    "d=\"\\xc3\\xa9\")}");
}

static void test_bytes_and_prefixes(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "R(a=b'\\x00\\xffA', b=B\"x\", c=rb'\\x00', d=Br'\\n', e=r'\\n', "
		       "f=u'x', g=b'\\u1234')",
		    "{R(a=b\"\\x00\\xffA\", b=b\"x\", c=b\"\\x5cx00\", d=b\"\\x5cn\", "
		    "e=\"\\x5cn\", f=\"x\", g=b\"\\x5cu1234\")}");
	assert_int_equal(f->ast->items[0]->kw[0].value->len, 3);
	assert_int_equal(f->ast->items[0]->kw[0].value->type, GN_AST_BYTES);
	assert_int_equal(f->ast->items[0]->kw[4].value->type, GN_AST_STR);
}

static void test_string_concat_and_triple(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "R(a='ab' \"cd\" 'ef', b=b'x' b'y', c='''a'b\nc''', d=\"\")",
		    "{R(a=\"abcdef\", b=b\"xy\", c=\"a'b\\x0ac\", d=\"\")}");
}

static void test_keywords(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "X(a=None, b=True, c=False, d=SA, e=_x1)",
		    "{X(a=None, b=True, c=False, d=SA, e=_x1)}");
	assert_int_equal(f->ast->items[0]->kw[0].value->type, GN_AST_NONE);
	assert_int_equal(f->ast->items[0]->kw[1].value->type, GN_AST_BOOL);
	assert_int_equal(f->ast->items[0]->kw[3].value->type, GN_AST_NAME);
	assert_int_equal(f->ast->items[0]->kw[3].value->len, 2);
}

static void test_tuples(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "X(a=(1,4), b=(5), c=(5,), d=(), e=((1)), f=(1,2,))",
		    "{X(a=(1, 4), b=5, c=(5,), d=(), e=1, f=(1, 2))}");
	assert_int_equal(f->ast->items[0]->kw[1].value->type, GN_AST_NUM);
	assert_int_equal(f->ast->items[0]->kw[2].value->type, GN_AST_TUPLE);
	assert_int_equal(f->ast->items[0]->kw[3].value->n, 0);
}

static void test_lists(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "X(a=[80,443], b=[], c=[1,], d=[[1],[2,3]])",
		    "{X(a=[80, 443], b=[], c=[1], d=[[1], [2, 3]])}");
}

static void test_nested_layer_is_chain(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *qd;

	assert_tree(f, "DNS(qd=DNSQR(qname=\"example.com\"), an=DNSRR(rrname=\"a\")/DNSRR(rrname=\"b\"))",
		    "{DNS(qd={DNSQR(qname=\"example.com\")}, "
		    "an={DNSRR(rrname=\"a\") / DNSRR(rrname=\"b\")})}");
	qd = f->ast->items[0]->kw[0].value;
	assert_int_equal(qd->type, GN_AST_CHAIN);
	assert_int_equal(qd->n, 1);
	assert_int_equal(qd->items[0]->type, GN_AST_LAYER);
	assert_int_equal(f->ast->items[0]->kw[1].value->n, 2);
}

static void test_calls(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *c;

	assert_tree(f, "IP(id=RandShort(), src=RandIP(\"10.0.0.0/8\"), len=RandNum(1, 10), "
		       "load=RandString(size=8))",
		    "{IP(id=RandShort(), src=RandIP(\"10.0.0.0/8\"), len=RandNum(1, 10), "
		    "load=RandString(; size=8))}");
	c = f->ast->items[0]->kw[0].value;
	assert_int_equal(c->type, GN_AST_CALL);
	assert_int_equal(c->n, 0);
	assert_string_equal(c->str, "RandShort");
}

static void test_fuzz(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *c;

	assert_tree(f, "fuzz(TCP(dport=80))", "{fuzz({TCP(dport=80)})}");
	c = f->ast->items[0];
	assert_int_equal(c->type, GN_AST_CALL);
	assert_int_equal(c->n, 1);
	assert_int_equal(c->items[0]->type, GN_AST_CHAIN);
	assert_tree(f, "IP(dst='1.2.3.4')/fuzz(UDP()/NTP(version=4))",
		    "{IP(dst=\"1.2.3.4\") / fuzz({UDP() / NTP(version=4)})}");
}

static void test_repeat_bytes(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *v;

	tree(f, "Raw(load=b'\\x00'*18)");
	v = f->ast->items[0]->kw[0].value;
	assert_int_equal(v->type, GN_AST_BYTES);
	assert_int_equal(v->len, 18);
	for (int i = 0; i < 18; i++)
		assert_int_equal(v->str[i], 0);
	assert_tree(f, "R(a='ab'*3, b=3*b'x', c='x'*0, d=b''*5, e='a'*2*2)",
		    "{R(a=\"ababab\", b=b\"xxx\", c=\"\", d=b\"\", e=\"aaaa\")}");
}

static void test_repeat_list(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *v;

	assert_tree(f, "IP(options=[IPOption_NOP()]*3)",
		    "{IP(options=[{IPOption_NOP()}, {IPOption_NOP()}, {IPOption_NOP()}])}");
	v = f->ast->items[0]->kw[0].value;
	assert_int_equal(v->type, GN_AST_LIST);
	assert_int_equal(v->n, 3);
	assert_tree(f, "X(a=2*[1,2], b=(1,)*2, c=[]*9)", "{X(a=[1, 2, 1, 2], b=(1, 1), c=[])}");
}

static void test_repeat_limits(void **state)
{
	struct fix *f = *state;

	tree(f, "Raw(load='x'*1000000)");
	assert_int_equal(f->ast->items[0]->kw[0].value->len, 1000000);
	expect_error(f, "Raw(load='xy'*500001)", 14, "more than 1000000 bytes");
	tree(f, "X(a=[1]*65536)");
	expect_error(f, "X(a=[1,2]*32769)", 10, "more than 65536 items");
	expect_error(f, "X(a=[1]*18446744073709551615)", 8, "more than 65536 items");
}

static void test_parenthesised_payload(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "IP()/('x'*3)", "{IP() / \"xxx\"}");
	assert_tree(f, "'ab'*2/IP()", "{\"abab\" / IP()}");
	assert_tree(f, "Ether()/(IP()/TCP())/b'x'", "{Ether() / IP() / TCP() / b\"x\"}");
	assert_tree(f, "(IP())", "{IP()}");
}

static void test_whitespace_and_comments(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "  IP ( dst = '1' ,\n\tttl\t=\t5 )\t/\r\nTCP ( ) # a comment\n",
		    "{IP(dst=\"1\", ttl=5) / TCP()}");
	assert_tree(f, "IP() \\\n/ TCP()", "{IP() / TCP()}");
}

/* ---- the Scapy manual -------------------------------------------------- */

static void test_scapy_http_get(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "Ether()/IP(dst=\"www.slashdot.org\")/TCP()/\"GET /index.html HTTP/1.0 \\n\\n\"",
		    "{Ether() / IP(dst=\"www.slashdot.org\") / TCP() / "
		    "\"GET /index.html HTTP/1.0 \\x0a\\x0a\"}");
	assert_int_equal(f->ast->n, 4);
	assert_int_equal(f->ast->items[3]->type, GN_AST_STR);
	assert_int_equal(f->ast->items[3]->column, 42);
}

static void test_scapy_tcp_options(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "IP(dst=\"10.0.0.0/30\", ttl=(1,4))/TCP(dport=[80,443], flags=\"S\", "
		       "options=[('MSS',1460),('SAckOK',b''),('Timestamp',(1,0))])",
		    "{IP(dst=\"10.0.0.0/30\", ttl=(1, 4)) / TCP(dport=[80, 443], flags=\"S\", "
		    "options=[(\"MSS\", 1460), (\"SAckOK\", b\"\"), (\"Timestamp\", (1, 0))])}");
}

static void test_scapy_ip_options(void **state)
{
	struct fix *f = *state;
	const struct gn_ast *opts;

	assert_tree(f, "IP(options=[IPOption_RR(routers=[\"1.2.3.4\"])]*2)/ICMP()",
		    "{IP(options=[{IPOption_RR(routers=[\"1.2.3.4\"])}, "
		    "{IPOption_RR(routers=[\"1.2.3.4\"])}]) / ICMP()}");
	opts = f->ast->items[0]->kw[0].value;
	assert_ptr_equal(opts->items[0], opts->items[1]);
}

static void test_scapy_dhcp(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "Ether(dst=\"ff:ff:ff:ff:ff:ff\")/IP(src=\"0.0.0.0\",dst=\"255.255.255.255\")/"
		       "UDP(sport=68,dport=67)/BOOTP(chaddr=b'\\x00\\x01\\x02\\x03\\x04\\x05',xid=RandInt())/"
		       "DHCP(options=[(\"message-type\",\"discover\"),\"end\"])",
		    "{Ether(dst=\"ff:ff:ff:ff:ff:ff\") / IP(src=\"0.0.0.0\", dst=\"255.255.255.255\") / "
		    "UDP(sport=68, dport=67) / BOOTP(chaddr=b\"\\x00\\x01\\x02\\x03\\x04\\x05\", "
		    "xid=RandInt()) / DHCP(options=[(\"message-type\", \"discover\"), \"end\"])}");
}

static void test_scapy_dns_query(void **state)
{
	struct fix *f = *state;

	assert_tree(f, "IP(dst=\"8.8.8.8\")/UDP()/DNS(rd=1,qd=DNSQR(qname=\"www.slashdot.org\"))",
		    "{IP(dst=\"8.8.8.8\") / UDP() / DNS(rd=1, qd={DNSQR(qname=\"www.slashdot.org\")})}");
}

static void test_is_function(void **state)
{
	(void)state;
	assert_true(gn_ast_is_function("RandShort"));
	assert_true(gn_ast_is_function("fuzz"));
	assert_true(gn_ast_is_function("RandIP6"));
	assert_false(gn_ast_is_function("IP"));
	assert_false(gn_ast_is_function("randshort"));
	assert_false(gn_ast_is_function(""));
	assert_false(gn_ast_is_function(NULL));
}

/* ---- errors ------------------------------------------------------------ */

static void test_err_empty(void **state)
{
	struct fix *f = *state;

	expect_error(f, "", 1, "empty expression");
	expect_error(f, "   # nothing", 13, "empty expression");
}

static void test_err_unclosed_paren(void **state)
{
	struct fix *f = *state;

	expect_error(f, "TCP(dport=80", 13, "expected ')' to close '(' opened at column 4");
	expect_error(f, "IP(ttl=5 6)", 10, "expected ',' or ')' to close '(' opened at column 3");
	expect_error(f, "X(a=(1,2)", 10, "expected ')' to close '(' opened at column 2");
	expect_error(f, "X(a=(1,2", 9, "expected ')' to close '(' opened at column 5");
	expect_error(f, "X(a=[1,2)", 9, "expected ',' or ']' to close '[' opened at column 5");
}

static void test_err_unexpected_close(void **state)
{
	struct fix *f = *state;

	expect_error(f, "IP())", 5, "unexpected ')'");
	expect_error(f, "IP()]", 5, "unexpected ']'");
	expect_error(f, ")", 1, "unexpected ')'");
	expect_error(f, "X(a=)", 5, "expected a value after 'a=', found ')'");
}

static void test_err_unterminated_string(void **state)
{
	struct fix *f = *state;

	expect_error(f, "IP(dst=\"1.2.3.4)", 8, "unterminated string");
	expect_error(f, "Raw(load=b'abc\\')", 10, "unterminated string");
	expect_error(f, "X(a='ab\ncd')", 5, "unterminated string");
	expect_error(f, "X(a='''ab')", 5, "unterminated string");
}

static void test_err_positional(void **state)
{
	struct fix *f = *state;

	/* a layer's one positional argument is the bytes to dissect (Scapy's
	 * _pkt); anything else is refused */
	expect_error(f, "IP(ttl=1, 5)", 11, "one positional argument, the bytes to dissect");
	expect_error(f, "IP(dst)", 4, "positional argument of a layer is the bytes to dissect");
	expect_error(f, "IP(b'E', b'x')", 10, "one positional argument");
	expect_error(f, "RandNum(min=1, 5)", 16, "positional argument cannot follow");
}

static void test_layer_bytes_argument(void **state)
{
	struct fix *f = *state;
	struct gn_ast *a = NULL;
	struct gn_error err = { 0 };

	assert_int_equal(gn_ast_parse(f->a, "Raw('hello')/IP(b'E\\x00', ttl=3)", &a, &err), 0);
	assert_int_equal(a->n, 2);
	assert_int_equal(a->items[0]->type, GN_AST_LAYER);
	assert_int_equal(a->items[0]->n, 1);
	assert_int_equal(a->items[0]->items[0]->type, GN_AST_STR);
	assert_string_equal(a->items[0]->items[0]->str, "hello");
	assert_int_equal(a->items[1]->n, 1);
	assert_int_equal(a->items[1]->items[0]->type, GN_AST_BYTES);
	assert_int_equal(a->items[1]->items[0]->len, 2);
	assert_int_equal(a->items[1]->nkw, 1);
}

static void test_err_numbers(void **state)
{
	struct fix *f = *state;

	expect_error(f, "X(a=18446744073709551616)", 5, "number too large");
	expect_error(f, "X(a=0x10000000000000000)", 5, "number too large");
	expect_error(f, "X(a=0x)", 5, "no digits");
	expect_error(f, "X(a=0b102)", 9, "invalid digit '2' in binary literal");
	expect_error(f, "X(a=0o8)", 7, "invalid digit '8' in octal literal");
	expect_error(f, "X(a=0xfg)", 8, "invalid digit 'g' in hexadecimal literal");
	expect_error(f, "X(a=1__0)", 7, "misplaced '_'");
	expect_error(f, "X(a=10_)", 7, "misplaced '_'");
	expect_error(f, "X(a=012)", 5, "leading zeros");
	expect_error(f, "X(a=5abc)", 6, "invalid decimal literal: unexpected 'a'");
	expect_error(f, "X(a=1e)", 6, "invalid decimal literal");
	expect_error(f, "X(a=-x)", 6, "expected a number after '-'");
}

static void test_err_address_hints(void **state)
{
	struct fix *f = *state;

	expect_error(f, "IP(dst=10.0.0.1)", 8, "write IPv4 addresses as strings");
	expect_error(f, "Ether(src=00:11:22:33:44:55)", 11, "write MAC and IPv6 addresses as strings");
	expect_error(f, "IP(dst=www.example.com)", 11, "write addresses and host names as strings");
	expect_error(f, "IP().show()", 5, "method calls");
}

static void test_err_escapes(void **state)
{
	struct fix *f = *state;

	expect_error(f, "X(a=b'\\x4')", 7, "truncated \\x escape");
	expect_error(f, "X(a='ok\\u12')", 8, "truncated \\u escape");
	expect_error(f, "X(a='\\U00110000')", 6, "not a Unicode character");
	expect_error(f, "X(a='\\ud800')", 6, "surrogate");
	expect_error(f, "X(a=b'é')", 7, "ASCII");
	expect_error(f, "X(a=f'x')", 5, "f-strings");
	expect_error(f, "X(a='x' b'y')", 9, "cannot join a bytes literal and a string");
}

static void test_err_columns_count_characters(void **state)
{
	struct fix *f = *state;

	/* "é" is two bytes but one column */
	expect_error(f, "X(a='é', 5)", 10, "positional");
}

static void test_err_repetition(void **state)
{
	struct fix *f = *state;

	expect_error(f, "X(a=5*5)", 5, "'*' repeats strings, bytes and lists, not a number");
	expect_error(f, "X(a='x'*'y')", 9, "repetition count must be an integer");
	expect_error(f, "X(a='x'*-1)", 9, "must not be negative");
	expect_error(f, "X(a='x'*1.5)", 9, "must be an integer");
	expect_error(f, "X(a=None*2)", 5, "not None");
	expect_error(f, "IP()*3", 5, "a packet cannot be repeated");
	expect_error(f, "IP()/'x'*3", 9, "repeats the whole packet");
}

static void test_err_slash_operands(void **state)
{
	struct fix *f = *state;

	expect_error(f, "IP()/5", 6, "a number cannot be a layer");
	expect_error(f, "IP()/TCP", 6, "'TCP' is not a layer; write TCP() with parentheses");
	expect_error(f, "'a'/'b'", 4, "two strings");
	expect_error(f, "IP()/RandShort()", 6, "RandShort() cannot be a layer");
	expect_error(f, "IP()/", 6, "expected a value, found end of input");
	expect_error(f, "/IP()", 1, "expected a value, found '/'");
}

static void test_err_top_level(void **state)
{
	struct fix *f = *state;

	expect_error(f, "IP() TCP()", 6, "unexpected 'TCP' after the packet; join layers with '/'");
	expect_error(f, "IP(), TCP()", 5, "unexpected ','");
	expect_error(f, "5", 1, "expected a packet such as IP()/TCP()");
	expect_error(f, "IP", 1, "'IP' is not a layer; write IP()");
	expect_error(f, "[IP()]", 1, "found a list");
	expect_error(f, "ttl=5", 4, "unexpected '='");
	expect_error(f, "IP() @", 6, "unexpected character '@'");
	expect_error(f, "IP()\x01", 5, "unexpected byte 0x01");
}

static void test_err_functions(void **state)
{
	struct fix *f = *state;

	expect_error(f, "IP(id=Randshort())", 7, "did you mean RandShort()?");
	expect_error(f, "IP(id=randint())", 7, "did you mean RandInt()?");
	expect_error(f, "ip()", 1, "layer names start with an uppercase letter");
	expect_error(f, "fuzz()", 1, "fuzz() takes one packet");
	expect_error(f, "fuzz(5)", 1, "fuzz() takes one packet");
	expect_error(f, "RandShort()", 1, "found RandShort()");
}

static void test_err_args(void **state)
{
	struct fix *f = *state;

	expect_error(f, "IP(ttl=1, ttl=2)", 11, "argument 'ttl' is given twice");
	expect_error(f, "IP(,)", 4, "expected an argument NAME=value or ')', found ','");
	expect_error(f, "IP(ttl=1,,)", 10, "found ','");
	expect_error(f, "X(a=(1,,2))", 8, "expected a value, found ','");
}

static void test_err_too_many_args(void **state)
{
	struct fix *f = *state;
	char *buf = malloc(16 * 1100), *o = buf;
	int col = 0;

	assert_non_null(buf);
	o += sprintf(o, "X(");
	for (int i = 0; i <= 1024; i++) {
		if (i == 1024)
			col = (int)(o - buf) + 1;
		o += sprintf(o, "a%d=1,", i);
	}
	strcpy(o, ")");
	expect_error(f, buf, col, "too many arguments: the limit is 1024");
	/* 1024 are fine */
	strcpy(buf + col - 1, ")");
	tree(f, buf);
	assert_int_equal(f->ast->items[0]->nkw, 1024);
	free(buf);
}

static void test_err_nesting(void **state)
{
	struct fix *f = *state;
	char buf[512];
	size_t k = 0;

	/* 64 levels are fine: X(a=((...(1)...)) with 63 parentheses */
	k += (size_t)snprintf(buf + k, sizeof(buf) - k, "X(a=");
	for (int i = 0; i < 63; i++)
		buf[k++] = '(';
	buf[k++] = '1';
	for (int i = 0; i < 63; i++)
		buf[k++] = ')';
	buf[k++] = ')';
	buf[k] = 0;
	tree(f, buf);

	/* 65 are not; the column is that of the 65th opener */
	k = (size_t)snprintf(buf, sizeof(buf), "X(a=");
	for (int i = 0; i < 64; i++)
		buf[k++] = '(';
	buf[k] = 0;
	expect_error(f, buf, 68, "nesting too deep");
	k = 0;
	for (int i = 0; i < 70; i++)
		k += (size_t)snprintf(buf + k, sizeof(buf) - k, "[");
	expect_error(f, buf, 65, "nesting too deep");
}

static void test_err_null_args(void **state)
{
	struct fix *f = *state;
	struct gn_ast *out = (struct gn_ast *)1;

	assert_int_equal(gn_ast_parse(f->a, NULL, &out, NULL), -EINVAL);
	assert_null(out);
	assert_int_equal(gn_ast_parse(NULL, "IP()", &out, NULL), -EINVAL);
	/* a NULL error struct is allowed */
	assert_int_equal(gn_ast_parse(f->a, "IP(", &out, NULL), -EINVAL);
	assert_int_equal(gn_ast_parse(f->a, "IP()", &out, NULL), 0);
	assert_non_null(out);
}

/* ---- gn_closest -------------------------------------------------------- */

static void test_closest(void **state)
{
	static const char *const protos[] = { "Ether", "IP", "IPv6", "TCP", "UDP", "ICMP", "DNS",
					      "DNSQR", "DNSRR", NULL };
	static const size_t n = sizeof(protos) / sizeof(protos[0]);

	(void)state;
	assert_string_equal(gn_closest("ip", 2, protos, n), "IP");
	assert_string_equal(gn_closest("tcp", 3, protos, n), "TCP");
	assert_string_equal(gn_closest("UPD", 3, protos, n), "UDP");      /* swap */
	assert_string_equal(gn_closest("Ehter", 5, protos, n), "Ether");  /* swap */
	assert_string_equal(gn_closest("Ethr", 4, protos, n), "Ether");   /* delete */
	assert_string_equal(gn_closest("DNSQRX", 6, protos, n), "DNSQR");
	assert_string_equal(gn_closest("IPv66", 5, protos, n), "IPv6");
	assert_string_equal(gn_closest("ICMPxyz", 4, protos, n), "ICMP"); /* n bounds the word */
	assert_null(gn_closest("HTTP", 4, protos, n));
	assert_null(gn_closest("X", 1, protos, n) );
	assert_null(gn_closest("Eternal", 7, protos, n));
	assert_null(gn_closest("", 0, protos, n));
	assert_null(gn_closest("IP", 2, NULL, 0));
	assert_null(gn_closest(NULL, 2, protos, n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_single_layer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_alone_is_raw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kwargs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_negative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_floats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_str_is_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bytes_and_prefixes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_concat_and_triple, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keywords, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tuples, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nested_layer_is_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fuzz, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_repeat_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parenthesised_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whitespace_and_comments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scapy_http_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scapy_tcp_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scapy_ip_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scapy_dhcp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scapy_dns_query, setup, teardown),
		cmocka_unit_test(test_is_function),
		cmocka_unit_test_setup_teardown(test_err_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_unclosed_paren, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_unexpected_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_unterminated_string, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_positional, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layer_bytes_argument, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_address_hints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_columns_count_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_repetition, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_slash_operands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_top_level, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_functions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_too_many_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_err_null_args, setup, teardown),
		cmocka_unit_test(test_closest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
