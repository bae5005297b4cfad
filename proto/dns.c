// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DNS, as Scapy 2.5 has it: the header, then the question section (qd) and
 * the answer, authority and additional sections (an, ns, ar), each a list
 * of records counted by qdcount..arcount.  Records are DNSQR (questions),
 * DNSRR (whose rdata is typed by `type`: an address for A and AAAA, a name
 * for NS, MD, MF, CNAME and PTR, strings for TXT, bytes otherwise) and the
 * classes Scapy picks by type: DNSRRSOA (6), DNSRRMX (15), DNSRRSRV (33)
 * and DNSRROPT (41, EDNS0) with its EDNS0TLV options; DNSSEC and TSIG
 * records and the EDNS0 client subnet option are in proto/dnssec.c.
 *
 * Over TCP a DNS message starts with its 2-byte length (RFC 1035 4.2.2):
 * the `length` field is there only when the layer below is TCP.
 * Compression pointers count from the message start, after that length.
 *
 * Record sections accept what Scapy accepts: a chain of records
 * an=DNSRR()/DNSRR() (Scapy 2.5's form), one record, or a list of records.
 * Names are written uncompressed, as Scapy 2.5 builds them (its
 * compression is a separate dns_compress()); compressed names are read.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "engine.h"
#include "protos.h"

enum {
	F_LENGTH, F_ID, F_QR, F_OPCODE, F_AA, F_TC, F_RD, F_RA, F_Z, F_AD, F_CD, F_RCODE,
	F_QDCOUNT, F_ANCOUNT, F_NSCOUNT, F_ARCOUNT, F_QD, F_AN, F_NS, F_AR, DNS_NFIELDS
};

/* the fields every resource record class starts with */
enum { R_RRNAME, R_TYPE, R_RCLASS, R_TTL, R_RDLEN, R_RDATA };

enum {
	T_A = 1, T_NS = 2, T_MD = 3, T_MF = 4, T_CNAME = 5, T_SOA = 6, T_PTR = 12,
	T_MX = 15, T_TXT = 16, T_AAAA = 28, T_SRV = 33, T_OPT = 41,
};

#define DNS_HDR_LEN 12

/* ---- names of values --------------------------------------------------- */

#define DNS_TYPES \
	{ 0, "ANY" }, { 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" }, \
	{ 6, "SOA" }, { 7, "MB" }, { 8, "MG" }, { 9, "MR" }, { 10, "NULL" }, { 11, "WKS" }, \
	{ 12, "PTR" }, { 13, "HINFO" }, { 14, "MINFO" }, { 15, "MX" }, { 16, "TXT" }, \
	{ 17, "RP" }, { 18, "AFSDB" }, { 19, "X25" }, { 20, "ISDN" }, { 21, "RT" }, \
	{ 22, "NSAP" }, { 23, "NSAP-PTR" }, { 24, "SIG" }, { 25, "KEY" }, { 26, "PX" }, \
	{ 27, "GPOS" }, { 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" }, { 31, "EID" }, \
	{ 32, "NIMLOC" }, { 33, "SRV" }, { 34, "ATMA" }, { 35, "NAPTR" }, { 36, "KX" }, \
	{ 37, "CERT" }, { 38, "A6" }, { 39, "DNAME" }, { 40, "SINK" }, { 41, "OPT" }, \
	{ 42, "APL" }, { 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" }, \
	{ 47, "NSEC" }, { 48, "DNSKEY" }, { 49, "DHCID" }, { 50, "NSEC3" }, \
	{ 51, "NSEC3PARAM" }, { 52, "TLSA" }, { 53, "SMIMEA" }, { 55, "HIP" }, \
	{ 56, "NINFO" }, { 57, "RKEY" }, { 58, "TALINK" }, { 59, "CDS" }, { 60, "CDNSKEY" }, \
	{ 61, "OPENPGPKEY" }, { 62, "CSYNC" }, { 63, "ZONEMD" }, { 64, "SVCB" }, \
	{ 65, "HTTPS" }, { 99, "SPF" }, { 100, "UINFO" }, { 101, "UID" }, { 102, "GID" }, \
	{ 103, "UNSPEC" }, { 104, "NID" }, { 105, "L32" }, { 106, "L64" }, { 107, "LP" }, \
	{ 108, "EUI48" }, { 109, "EUI64" }, { 249, "TKEY" }, { 250, "TSIG" }, { 256, "URI" }, \
	{ 257, "CAA" }, { 258, "AVC" }, { 259, "DOA" }, { 260, "AMTRELAY" }, \
	{ 32768, "TA" }, { 32769, "DLV" }, { 65535, "RESERVED" }

const struct gn_enum gn_dns_types[] = { DNS_TYPES, { 0, NULL } };

/* Scapy's dnsqtypes: the record types plus those only a question asks for */
static const struct gn_enum dns_qtypes[] = {
	DNS_TYPES,
	{ 251, "IXFR" }, { 252, "AXFR" }, { 253, "MAILB" }, { 254, "MAILA" }, { 255, "ALL" },
	{ 0, NULL },
};

const struct gn_enum gn_dns_classes[] = {
	{ 1, "IN" }, { 2, "CS" }, { 3, "CH" }, { 4, "HS" }, { 255, "ANY" }, { 0, NULL },
};

static const struct gn_enum dns_opcodes[] = {
	{ 0, "QUERY" }, { 1, "IQUERY" }, { 2, "STATUS" }, { 0, NULL },
};

static const struct gn_enum dns_rcodes[] = {
	{ 0, "ok" }, { 1, "format-error" }, { 2, "server-failure" }, { 3, "name-error" },
	{ 4, "not-implemented" }, { 5, "refused" }, { 0, NULL },
};

static const struct gn_enum edns0_types[] = {
	{ 0, "Reserved" }, { 1, "LLQ" }, { 2, "UL" }, { 3, "NSID" }, { 4, "Reserved" },
	{ 5, "PING" }, { 8, "edns-client-subnet" }, { 0, NULL },
};

static const struct gn_enum edns0_z[] = { { 32768, "D0" }, { 0, NULL } };

/* ---- wire helpers ------------------------------------------------------ */

/* Walks the name at p[*pos] without following pointers: *pos ends after
 * its last byte (the zero or the 2-byte pointer); *ptr tells whether it
 * ended in a pointer.  False when the name runs past len. */
static bool name_skip(const uint8_t *p, size_t len, size_t *pos, bool *ptr)
{
	size_t i = *pos;

	for (;;) {
		uint8_t b;

		if (i >= len)
			return false;
		b = p[i];
		if (b & 0xc0) {
			if (len - i < 2)
				return false;
			i += 2;
			if (ptr)
				*ptr = true;
			break;
		}
		i++;
		if (b == 0)
			break;
		if (len - i < b)
			return false;
		i += b;
	}
	*pos = i;
	return true;
}

/* Bytes of the record at p[pos]: its name, then 4 bytes for a question or
 * 10 plus rdlen for a resource record.  False when it runs past len. */
static bool record_len(const uint8_t *p, size_t len, size_t pos, bool question, size_t *out)
{
	size_t i = pos, rdlen;

	if (!name_skip(p, len, &i, NULL))
		return false;
	if (question) {
		if (len - i < 4)
			return false;
		*out = i + 4 - pos;
		return true;
	}
	if (len - i < 10)
		return false;
	rdlen = (size_t)p[i + 8] << 8 | p[i + 9];
	if (len - i - 10 < rdlen)
		return false;
	*out = i + 10 + rdlen - pos;
	return true;
}

static bool dns_over_tcp(const struct gn_layer *l)
{
	const struct gn_layer *below = gn_layer_below(l);

	/* Scapy: isinstance(underlayer, TCP), TCPerror being a TCP */
	return below && (below->proto == &gn_proto_tcp || below->proto == &gn_proto_tcperror);
}

/* ---- record sections (Scapy's DNSQRField / DNSRRField) ------------------- */

static int section_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			   const struct gn_field *f, struct gn_value *out)
{
	uint64_t count = gn_field_uint(l, (unsigned)f->link);
	bool question = f->elem == &gn_proto_dnsqr;
	size_t skip = dns_over_tcp(l) ? 2 : 0, cap;
	struct gn_value *items;
	const uint8_t *cur;
	uint32_t n = 0;
	int err;

	err = gn_rd_bytes(c, 0, &cur); /* aligns the cursor */
	if (err)
		return err;
	memset(out, 0, sizeof(*out)); /* no records: None, as Scapy has it */
	if (c->len < skip + DNS_HDR_LEN)
		return 0;
	/* names in the records point into the message */
	c->msg = c->p + skip;
	c->msg_len = c->len - skip;
	/* Scapy: a count larger than the bytes after the header is a lie
	 * and gives no records at all */
	if (count == 0 || count > c->msg_len - DNS_HDR_LEN)
		return 0;
	/* the smallest record takes 5 bytes */
	cap = (c->len - c->off) / 5 + 1;
	if (cap > count)
		cap = (size_t)count;
	items = gn_arena_alloc(c->arena, cap * sizeof(*items));
	if (!items)
		return -ENOMEM;
	/* A record cut short ends the section: what follows is Raw. */
	while (n < count && n < cap) {
		struct gn_packet *sub;
		size_t rec, used;

		if (!record_len(c->p, c->len, c->off, question, &rec))
			break;
		err = gn_dissect_sub(c, f->elem, c->p + c->off, rec, &sub, &used);
		if (err == -ENOMEM)
			return err;
		if (err)
			break;
		items[n].type = GN_V_PKT;
		items[n].pkt = sub;
		n++;
		c->off += rec;
	}
	if (n == 1) {
		*out = items[0];
	} else if (n) {
		out->type = GN_V_LIST;
		out->len = n;
		out->items = items;
	}
	return 0;
}

/* Scapy 2.5 holds one record as the packet itself and several as a chain;
 * gannet holds one as a packet value and several as a list, which is what
 * its outputs tell apart (show, command() and JSON alike). */
static int one_or_list(int rc, struct gn_value *out)
{
	if (!rc && out->type == GN_V_LIST && out->len == 1 && out->items[0].type == GN_V_PKT)
		*out = out->items[0];
	return rc;
}

/* Strings are read as records ("DNSQR()" is qd's default); "None" is no
 * section at all, Scapy's default for an, ns and ar. */
static int section_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			  struct gn_value *out, struct gn_error *err)
{
	struct gn_ast *tree;
	int rc;

	memset(out, 0, sizeof(*out));
	if (ast->type == GN_AST_NONE)
		return 0;
	if (ast->type == GN_AST_STR) {
		if (ast->len == 4 && !memcmp(ast->str, "None", 4))
			return 0;
		rc = gn_ast_parse(a, ast->str, &tree, err);
		if (rc)
			return rc;
		return one_or_list(gn_kind_pktlist.assign(a, f, tree, out, err), out);
	}
	if (ast->type == GN_AST_LAYER) {
		struct gn_ast *one = (struct gn_ast *)ast;
		struct gn_ast chain = { .type = GN_AST_CHAIN, .column = ast->column,
					.items = &one, .n = 1 };

		return one_or_list(gn_kind_pktlist.assign(a, f, &chain, out, err), out);
	}
	return one_or_list(gn_kind_pktlist.assign(a, f, ast, out, err), out);
}

GN_INHERIT_BUILD(section_build, gn_kind_pktlist)
GN_INHERIT_FORMAT(section_format, gn_kind_pktlist)

static const struct gn_field_ops dns_kind_section = {
	.kind = "DNSRRField",
	.dissect = section_dissect,
	.build = section_build,
	.assign = section_assign,
	.format = section_format,
	.is_list = true,
};

/* the question section: the same, under Scapy's name for it */
static const struct gn_field_ops dns_kind_questions = {
	.kind = "DNSQRField",
	.dissect = section_dissect,
	.build = section_build,
	.assign = section_assign,
	.format = section_format,
	.is_list = true,
};

/* ---- record counts (Scapy's DNSRRCountField): a count field ------------- */

GN_INHERIT_DISSECT(count_dissect, gn_kind_lenfield)
GN_INHERIT_BUILD(count_build, gn_kind_lenfield)
GN_INHERIT_ASSIGN(count_assign, gn_kind_lenfield)
GN_INHERIT_FORMAT(count_format, gn_kind_lenfield)

static const struct gn_field_ops dns_kind_count = {
	.kind = "DNSRRCountField",
	.dissect = count_dissect,
	.build = count_build,
	.assign = count_assign,
	.format = count_format,
	.is_scalar = true,
};

/* ---- DNSRR.rdata: typed by DNSRR.type (Scapy's MultipleTypeField) -------- */

enum rdata_kind { RD_A, RD_AAAA, RD_NAME, RD_TXT, RD_BYTES };

static enum rdata_kind rdata_kind_of(uint64_t type)
{
	switch (type) {
	case T_A: return RD_A;
	case T_AAAA: return RD_AAAA;
	case T_NS: case T_MD: case T_MF: case T_CNAME: case T_PTR: return RD_NAME;
	case T_TXT: return RD_TXT;
	default: return RD_BYTES;
	}
}

static int rdata_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			 struct gn_value *out)
{
	size_t rdlen = (size_t)gn_field_uint(l, R_RDLEN);
	size_t avail = c->len > c->off ? c->len - c->off : 0;
	enum rdata_kind k = rdata_kind_of(gn_field_uint(l, R_TYPE));
	const uint8_t *p;
	int err;

	if (rdlen > avail)
		rdlen = avail;
	if (rdlen == 0) {
		/* No rdata: Scapy leaves the field to its default for the type
		 * (0.0.0.0, [], b'').  Here it is an empty value that builds to
		 * nothing again, shown as that default; a name has no empty
		 * form (it would build to a zero byte): None. */
		memset(out, 0, sizeof(*out));
		if (k == RD_TXT)
			out->type = GN_V_LIST;
		else if (k != RD_NAME)
			return gn_bytes_value(c->arena, c->p, 0, out);
		return 0;
	}
	if ((k == RD_A && rdlen >= 4) || (k == RD_AAAA && rdlen >= 16)) {
		/* Scapy's IPField/IP6Field read their size; what is left of
		 * rdata becomes the record's Raw payload */
		unsigned alen = k == RD_A ? 4 : 16;

		err = gn_rd_bytes(c, alen, &p);
		if (err)
			return err;
		memset(out, 0, sizeof(*out));
		out->type = GN_V_ADDR;
		out->alen = (uint8_t)alen;
		memcpy(out->addr, p, alen);
		return 0;
	}
	if (k == RD_NAME) {
		struct gn_dissect_ctx sub = {
			.p = c->p + c->off, .len = rdlen, .msg = c->msg, .msg_len = c->msg_len,
			.arena = c->arena, .pkt = c->pkt, .depth = c->depth,
		};

		err = gn_kind_dnsname.dissect(&sub, l, f, out);
		if (!err)
			c->off += sub.off;
		return err;
	}
	err = gn_rd_bytes(c, rdlen, &p);
	if (err)
		return err;
	if (k == RD_TXT) {
		/* length-prefixed strings; a short last one keeps what is there */
		struct gn_value *items;
		size_t n = 0, i = 0;

		memset(out, 0, sizeof(*out));
		out->type = GN_V_LIST;
		items = gn_arena_alloc(c->arena, rdlen * sizeof(*items));
		if (!items)
			return -ENOMEM;
		while (i < rdlen) {
			size_t sl = p[i];
			size_t have = rdlen - i - 1 < sl ? rdlen - i - 1 : sl;

			err = gn_bytes_value(c->arena, p + i + 1, have, &items[n++]);
			if (err)
				return err;
			i += 1 + have;
		}
		out->len = (uint32_t)n;
		out->items = items;
		return 0;
	}
	return gn_bytes_value(c->arena, p, rdlen, out);
}

static void put_text_string(struct gn_wbuf *w, const uint8_t *s, size_t n)
{
	/* Scapy's DNSTextField: 255-byte pieces, each with its length */
	while (n >= 255) {
		uint8_t ff = 255;

		gn_wbuf_put(w, &ff, 1);
		gn_wbuf_put(w, s, 255);
		s += 255;
		n -= 255;
	}
	if (n) {
		uint8_t b = (uint8_t)n;

		gn_wbuf_put(w, &b, 1);
		gn_wbuf_put(w, s, n);
	}
}

/* An address value as the text Scapy would have kept ("1.2.3.4"). */
static struct gn_value addr_as_text(const struct gn_value *v, struct gn_strbuf *sb)
{
	struct gn_value t = { .type = GN_V_BYTES };

	gn_addr_text(v, sb);
	t.bytes = (uint8_t *)(sb->s ? sb->s : "");
	t.len = (uint32_t)sb->len;
	return t;
}

static int rdata_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
		       const struct gn_value *v)
{
	static const uint8_t zero[16];
	enum rdata_kind k = rdata_kind_of(gn_field_uint(l, R_TYPE));
	struct gn_strbuf sb;
	struct gn_value t = *v;
	int err = 0;

	if (v->type == GN_V_NONE)
		return 0;
	gn_sb_init(&sb);
	switch (k) {
	case RD_A:
	case RD_AAAA: {
		unsigned alen = k == RD_A ? 4 : 16;

		if (v->type == GN_V_ADDR && v->alen == alen)
			gn_wbuf_put(&c->w, v->addr, alen);
		else if (v->type == GN_V_BYTES && v->len == 0 && !gn_layer_isset(l, R_RDATA))
			gn_wbuf_put(&c->w, zero, alen); /* the default: 0.0.0.0 or :: */
		else if (v->type == GN_V_BYTES)
			gn_wbuf_put(&c->w, v->bytes, v->len); /* raw bytes, b"..." */
		else
			err = -EINVAL; /* an IPv6 address for A, or the reverse */
		break;
	}
	case RD_NAME:
		if (v->type == GN_V_ADDR)
			t = addr_as_text(v, &sb);
		if (t.type == GN_V_BYTES)
			err = gn_kind_dnsname.build(c, l, f, &t);
		else
			err = -EINVAL;
		break;
	case RD_TXT:
		if (v->type == GN_V_ADDR)
			t = addr_as_text(v, &sb);
		if (t.type == GN_V_BYTES) {
			put_text_string(&c->w, t.bytes, t.len);
		} else if (t.type == GN_V_LIST) {
			for (uint32_t i = 0; i < t.len && !err; i++) {
				if (t.items[i].type != GN_V_BYTES)
					err = -EINVAL;
				else
					put_text_string(&c->w, t.items[i].bytes, t.items[i].len);
			}
		} else {
			err = -EINVAL;
		}
		break;
	case RD_BYTES:
		if (v->type == GN_V_ADDR)
			t = addr_as_text(v, &sb);
		if (t.type == GN_V_BYTES)
			gn_wbuf_put(&c->w, t.bytes, t.len);
		else
			err = -EINVAL;
		break;
	}
	gn_sb_free(&sb);
	return err ? err : c->w.err;
}

/* Only characters of `chars` (digits and dots, or hex digits, colons and
 * dots): meant as an address, so a typo is an error rather than a name. */
static bool looks_like(const char *s, size_t n, const char *chars)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr(chars, s[i]))
			return false;
	return true;
}

static size_t count_of(const char *s, size_t n, char ch)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == ch;
	return k;
}

/* The type is not known when a value is assigned (Scapy picks the field
 * when the packet is built): addresses are kept as addresses, text as
 * bytes, a list as TXT strings; each is written as `type` says. */
static int rdata_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			struct gn_value *out, struct gn_error *err)
{
	memset(out, 0, sizeof(*out));
	switch (ast->type) {
	case GN_AST_NONE:
		return 0;
	case GN_AST_BYTES:
		return gn_bytes_value(a, ast->str, ast->len, out);
	case GN_AST_STR: {
		bool v4 = looks_like(ast->str, ast->len, "0123456789.") &&
			  count_of(ast->str, ast->len, '.') == 3;
		bool v6 = count_of(ast->str, ast->len, ':') >= 2 &&
			  looks_like(ast->str, ast->len, "0123456789abcdefABCDEF:.");

		if (v4 || v6) {
			out->type = GN_V_ADDR;
			out->alen = v4 ? 4 : 16;
			if (inet_pton(v4 ? AF_INET : AF_INET6, ast->str, out->addr) != 1)
				return gn_error_set(err, -EINVAL, ast->column,
						    "'%s' is not a valid %s address for field '%s'",
						    ast->str, v4 ? "IPv4" : "IPv6", f->name);
			return 0;
		}
		return gn_bytes_value(a, ast->str, ast->len, out);
	}
	case GN_AST_LIST:
	case GN_AST_TUPLE:
		out->type = GN_V_LIST;
		out->len = ast->n;
		out->items = gn_arena_alloc(a, (ast->n ? ast->n : 1) * sizeof(*out->items));
		if (!out->items)
			return -ENOMEM;
		for (unsigned i = 0; i < ast->n; i++) {
			const struct gn_ast *it = ast->items[i];

			if (it->type != GN_AST_STR && it->type != GN_AST_BYTES)
				return gn_error_set(err, -EINVAL, it->column,
						    "TXT strings of field '%s' are strings", f->name);
			if (gn_bytes_value(a, it->str, it->len, &out->items[i]))
				return -ENOMEM;
		}
		return 0;
	default:
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' takes an address, a name, bytes or a list of TXT strings",
				    f->name);
	}
}

static void txt_format(const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	const struct gn_value *items = v->type == GN_V_LIST ? v->items : v;
	uint32_t n = v->type == GN_V_LIST ? v->len : 1;

	gn_sb_putc(sb, '[');
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			gn_sb_puts(sb, r == GN_REPR_JSON ? "," : ", ");
		if (items[i].type != GN_V_BYTES)
			gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
		else if (r == GN_REPR_JSON)
			gn_sb_json_str(sb, (const char *)items[i].bytes, items[i].len);
		else
			gn_sb_pybytes(sb, items[i].bytes, items[i].len);
	}
	gn_sb_putc(sb, ']');
}

/* Scapy's _is_ptr: a value already in wire form. */
static bool wire_form(const uint8_t *x, size_t n)
{
	if (memchr(x, '.', n))
		return false;
	return (n >= 1 && x[n - 1] == 0) || (n >= 2 && (x[n - 2] & 0xc0) == 0xc0);
}

/* A name as the field holds it once set: with its final dot.  An empty
 * value stays empty: it is how a dissected root name reads. */
static void name_format(const struct gn_layer *l, const struct gn_field *f,
			const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	struct gn_value nv = *v;
	struct gn_strbuf tmp;

	if (!v->len || v->bytes[v->len - 1] == '.' || wire_form(v->bytes, v->len)) {
		gn_kind_dnsname.format(l, f, v, sb, r);
		return;
	}
	gn_sb_init(&tmp);
	gn_sb_putn(&tmp, (const char *)v->bytes, v->len);
	gn_sb_putc(&tmp, '.');
	if (!tmp.err) {
		nv.bytes = (uint8_t *)tmp.s;
		nv.len = (uint32_t)tmp.len;
	}
	gn_kind_dnsname.format(l, f, &nv, sb, r);
	gn_sb_free(&tmp);
}

static void rdata_format(const struct gn_layer *l, const struct gn_field *f,
			 const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	enum rdata_kind k = rdata_kind_of(gn_field_uint(l, R_TYPE));

	if (v->type == GN_V_ADDR) {
		if (r != GN_REPR_HUMAN)
			gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
		gn_addr_text(v, sb);
		if (r != GN_REPR_HUMAN)
			gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
		return;
	}
	if (v->type == GN_V_LIST || (k == RD_TXT && v->type == GN_V_BYTES)) {
		txt_format(v, sb, r);
		return;
	}
	if (v->type != GN_V_BYTES) {
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
		return;
	}
	if ((k == RD_A || k == RD_AAAA) && v->len == 0 && r != GN_REPR_EXPR) {
		/* no address: shown as Scapy's default for the type */
		const char *q = r == GN_REPR_JSON ? "\"" : "";

		gn_sb_printf(sb, "%s%s%s", q, k == RD_A ? "0.0.0.0" : "::", q);
		return;
	}
	if (k == RD_NAME) {
		name_format(l, f, v, sb, r);
		return;
	}
	gn_kind_rest.format(l, f, v, sb, r);
}

static const struct gn_field_ops dns_kind_rdata = {
	.kind = "MultipleTypeField (IPField, IP6Field, DNSStrField, DNSTextField, StrLenField)",
	.dissect = rdata_dissect,
	.build = rdata_build,
	.assign = rdata_assign,
	.format = rdata_format,
};

/* ---- record classes ------------------------------------------------------ */

#define RR_HEAD(type_dflt) \
	GN_FIELD_("rrname", gn_kind_dnsname, 0, .dflt_str = ""), \
	GN_ENUM("type", 16, type_dflt, gn_dns_types), \
	GN_ENUM("rclass", 16, 1, gn_dns_classes), \
	GN_INT("ttl", 0)

static const struct gn_field dnsqr_fields[] = {
	GN_FIELD_("qname", gn_kind_dnsname, 0, .dflt_str = "www.example.com"),
	GN_ENUM("qtype", 16, 1, dns_qtypes),
	GN_ENUM("qclass", 16, 1, gn_dns_classes),
};

static const struct gn_field dnsrr_fields[] = {
	RR_HEAD(1),
	GN_LENFIELD("rdlen", 16, R_RDATA),
	GN_FIELD_("rdata", dns_kind_rdata, 0, .dflt_str = ""),
};

static const struct gn_field dnsrrmx_fields[] = {
	RR_HEAD(6), /* sic: Scapy 2.5's DNSRRMX defaults to type SOA */
	GN_AUTO("rdlen", 16),
	GN_SHORT("preference", 0),
	GN_FIELD_("exchange", gn_kind_dnsname, 0, .dflt_str = ""),
};

static const struct gn_field dnsrrsoa_fields[] = {
	RR_HEAD(6),
	GN_AUTO("rdlen", 16),
	GN_FIELD_("mname", gn_kind_dnsname, 0, .dflt_str = ""),
	GN_FIELD_("rname", gn_kind_dnsname, 0, .dflt_str = ""),
	GN_INT("serial", 0),
	GN_INT("refresh", 0),
	GN_INT("retry", 0),
	GN_INT("expire", 0),
	GN_INT("minimum", 0),
};

static const struct gn_field dnsrrsrv_fields[] = {
	RR_HEAD(33),
	GN_AUTO("rdlen", 16),
	GN_SHORT("priority", 0),
	GN_SHORT("weight", 0),
	GN_SHORT("port", 0),
	GN_FIELD_("target", gn_kind_dnsname, 0, .dflt_str = ""),
};

enum { O_RRNAME, O_TYPE, O_RCLASS, O_EXTRCODE, O_VERSION, O_Z, O_RDLEN, O_RDATA };

static const struct gn_field dnsrropt_fields[] = {
	GN_FIELD_("rrname", gn_kind_dnsname, 0, .dflt_str = ""),
	GN_ENUM("type", 16, T_OPT, gn_dns_types),
	GN_SHORT("rclass", 4096),
	GN_BYTE("extrcode", 0),
	GN_BYTE("version", 0),
	GN_ENUM("z", 16, 32768, edns0_z),
	GN_LENFIELD("rdlen", 16, O_RDATA),
	GN_PKTLIST("rdata", &gn_proto_edns0tlv, O_RDLEN),
};

static const struct gn_field edns0tlv_fields[] = {
	GN_ENUM("optcode", 16, 0, edns0_types),
	GN_LENFIELD("optlen", 16, 2),
	GN_LENBYTES("optdata", 1, ""),
};

/* Scapy's DNSRR_DISPATCHER: the class of a resource record by its type. */
static const struct gn_proto *rr_dispatch(const uint8_t *p, size_t len)
{
	size_t i = 0;

	if (!name_skip(p, len, &i, NULL) || len - i < 2)
		return NULL;
	switch ((unsigned)p[i] << 8 | p[i + 1]) {
	case T_SOA: return &gn_proto_dnsrrsoa;
	case T_MX: return &gn_proto_dnsrrmx;
	case T_SRV: return &gn_proto_dnsrrsrv;
	case T_OPT: return &gn_proto_dnsrropt;
	default: {
		const struct gn_proto *sec = gn_dnssec_class((unsigned)p[i] << 8 | p[i + 1]);

		return sec ? sec : &gn_proto_dnsrr;
	}
	}
}

/* Scapy's EDNS0TLV.dispatch_hook: less than a code is Raw, code 8 is the
 * client subnet option. */
static const struct gn_proto *edns0_dispatch(const uint8_t *p, size_t len)
{
	if (len < 2)
		return &gn_proto_raw;
	if (p[0] == 0 && p[1] == 8)
		return &gn_proto_edns0_client_subnet;
	return &gn_proto_edns0tlv;
}

/* Scapy sets a record's owner name after reading it (rr.rrname = name),
 * which makes the root name "" into ".". */
static int owner_post_dissect(struct gn_dissect_ctx *c, struct gn_layer *l)
{
	struct gn_value *v = &l->vals[0];

	if ((l->state[0] & GN_FS_SET) && v->type == GN_V_BYTES && v->len == 0) {
		v->bytes = gn_arena_memdup(c->arena, ".", 1);
		if (!v->bytes)
			return -ENOMEM;
		v->len = 1;
	}
	return 0;
}

/*
 * Scapy forgets a dissected rdlen when a name in rdata was compressed, so
 * that building again (uncompressed) computes it.  c->p holds exactly the
 * record: its fields are walked in order to find the names' bytes.
 */
int gn_dns_rr_post_dissect(struct gn_dissect_ctx *c, struct gn_layer *l)
{
	size_t pos = 0;
	bool ptr = false;
	int err = owner_post_dissect(c, l);

	if (err)
		return err;
	for (unsigned i = 0; i < l->proto->nfields && !ptr; i++) {
		const struct gn_field *f = &l->proto->fields[i];
		bool name = f->ops == &gn_kind_dnsname ||
			    (f->ops == &dns_kind_rdata &&
			     rdata_kind_of(gn_field_uint(l, R_TYPE)) == RD_NAME);
		bool p = false;
		long n;

		if (!(l->state[i] & GN_FS_SET))
			break;
		if (name) {
			if (!name_skip(c->p, c->len, &pos, &p))
				break;
			ptr = i > R_RRNAME && p;
			continue;
		}
		n = gn_field_wire_len(l, i);
		if (n < 0)
			break;
		pos += (size_t)n;
	}
	if (ptr)
		gn_layer_unset(l, R_RDLEN);
	return 0;
}

/* _DNSRRdummy.post_build: rdlen is what follows the 10 fixed bytes. */
int gn_dns_rr_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			 size_t hdr_len, size_t total_len)
{
	size_t nlen, rdlen;

	(void)c;
	(void)total_len;
	if (gn_layer_get(l, R_RDLEN)->type != GN_V_NONE)
		return 0;
	nlen = gn_kind_dnsname.wire_len(l, &l->proto->fields[R_RRNAME],
					gn_layer_get(l, R_RRNAME));
	if (hdr_len < nlen + 10)
		return 0;
	rdlen = hdr_len - nlen - 10;
	hdr[nlen + 8] = (uint8_t)(rdlen >> 8);
	hdr[nlen + 9] = (uint8_t)rdlen;
	return 0;
}

const struct gn_proto gn_proto_dnsqr = {
	.name = "DNSQR", .long_name = "DNS Question Record",
	.fields = dnsqr_fields, .nfields = 3,
	.post_dissect = owner_post_dissect,
};

const struct gn_proto gn_proto_dnsrr = {
	.name = "DNSRR", .long_name = "DNS Resource Record",
	.fields = dnsrr_fields, .nfields = 6,
	.dispatch = rr_dispatch,
	.post_dissect = gn_dns_rr_post_dissect,
};

const struct gn_proto gn_proto_dnsrrmx = {
	.name = "DNSRRMX", .long_name = "DNS MX Resource Record",
	.fields = dnsrrmx_fields, .nfields = 7,
	.post_build = gn_dns_rr_post_build,
	.post_dissect = gn_dns_rr_post_dissect,
};

const struct gn_proto gn_proto_dnsrrsoa = {
	.name = "DNSRRSOA", .long_name = "DNS SOA Resource Record",
	.fields = dnsrrsoa_fields, .nfields = 12,
	.post_build = gn_dns_rr_post_build,
	.post_dissect = gn_dns_rr_post_dissect,
};

const struct gn_proto gn_proto_dnsrrsrv = {
	.name = "DNSRRSRV", .long_name = "DNS SRV Resource Record",
	.fields = dnsrrsrv_fields, .nfields = 9,
	.post_build = gn_dns_rr_post_build,
	.post_dissect = gn_dns_rr_post_dissect,
};

const struct gn_proto gn_proto_dnsrropt = {
	.name = "DNSRROPT", .long_name = "DNS OPT Resource Record",
	.fields = dnsrropt_fields, .nfields = O_RDATA + 1,
	.post_dissect = owner_post_dissect,
};

/* Scapy's EDNS0TLV.extract_padding: an option is only its own bytes. */
static size_t edns0tlv_payload_len(const struct gn_layer *l, size_t avail)
{
	(void)l;
	(void)avail;
	return 0;
}

const struct gn_proto gn_proto_edns0tlv = {
	.name = "EDNS0TLV", .long_name = "DNS EDNS0 TLV",
	.fields = edns0tlv_fields, .nfields = 3,
	.payload_len = edns0tlv_payload_len,
	.dispatch = edns0_dispatch,
};

/* ---- DNS ------------------------------------------------------------------ */

#define SECTION(nm, kind, count, cls, d) \
	GN_FIELD_L_(nm, kind, 0, count, .elem = (cls), .dflt_str = (d))
#define COUNT(nm, of) \
	GN_FIELD_L_(nm, dns_kind_count, 16, of, .flags = GN_FF_AUTO | GN_FF_COUNT)

static const struct gn_field dns_fields[] = {
	[F_LENGTH] = { .name = "length", .ops = &gn_kind_uint, .bits = 16, .link = -1,
		       .flags = GN_FF_AUTO, .present = dns_over_tcp },
	[F_ID] = GN_SHORT("id", 0),
	[F_QR] = GN_BITS("qr", 1, 0),
	[F_OPCODE] = GN_ENUM("opcode", 4, 0, dns_opcodes),
	[F_AA] = GN_BITS("aa", 1, 0),
	[F_TC] = GN_BITS("tc", 1, 0),
	[F_RD] = GN_BITS("rd", 1, 1),
	[F_RA] = GN_BITS("ra", 1, 0),
	[F_Z] = GN_BITS("z", 1, 0),
	[F_AD] = GN_BITS("ad", 1, 0),
	[F_CD] = GN_BITS("cd", 1, 0),
	[F_RCODE] = GN_ENUM("rcode", 4, 0, dns_rcodes),
	[F_QDCOUNT] = COUNT("qdcount", F_QD),
	[F_ANCOUNT] = COUNT("ancount", F_AN),
	[F_NSCOUNT] = COUNT("nscount", F_NS),
	[F_ARCOUNT] = COUNT("arcount", F_AR),
	[F_QD] = SECTION("qd", dns_kind_questions, F_QDCOUNT, &gn_proto_dnsqr, "DNSQR()"),
	[F_AN] = SECTION("an", dns_kind_section, F_ANCOUNT, &gn_proto_dnsrr, "None"),
	[F_NS] = SECTION("ns", dns_kind_section, F_NSCOUNT, &gn_proto_dnsrr, "None"),
	[F_AR] = SECTION("ar", dns_kind_section, F_ARCOUNT, &gn_proto_dnsrr, "None"),
};

static int dns_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			  size_t hdr_len, size_t total_len)
{
	(void)c;
	(void)total_len;
	if (!dns_over_tcp(l) || hdr_len < 2 || gn_layer_get(l, F_LENGTH)->type != GN_V_NONE)
		return 0;
	/* Scapy: len(pkt) - 2, the message without its own length */
	if (hdr_len - 2 > 0xffff)
		return -EMSGSIZE;
	hdr[0] = (uint8_t)((hdr_len - 2) >> 8);
	hdr[1] = (uint8_t)(hdr_len - 2);
	return 0;
}

/* The records a section holds (a count that was not given counts them). */
static uint64_t section_count(const struct gn_layer *l, unsigned count_field,
			      const struct gn_value **sec)
{
	const struct gn_value *n = gn_layer_get(l, count_field);

	*sec = gn_layer_get(l, (unsigned)l->proto->fields[count_field].link);
	if (n->type == GN_V_INT)
		return n->u;
	return (*sec)->type == GN_V_LIST ? (*sec)->len : (*sec)->type == GN_V_PKT;
}

/* Python's '%s' of a record's value, as Scapy's mysummary formats it:
 * bytes as b'...', addresses and TXT lists as they show. */
static void py_str(const struct gn_layer *rec, unsigned i, struct gn_strbuf *sb)
{
	const struct gn_value *v = gn_layer_get(rec, i);
	uint64_t type = gn_field_uint(rec, R_TYPE);
	enum rdata_kind k = rdata_kind_of(type);

	if (i == 0 && v->type == GN_V_BYTES)
		gn_sb_pybytes(sb, v->bytes, v->len);
	else if (v->type == GN_V_BYTES && k != RD_TXT && !(k <= RD_AAAA && v->len == 0))
		gn_format_field(rec, i, sb, GN_REPR_EXPR);
	else
		gn_format_field(rec, i, sb, GN_REPR_HUMAN);
}

/* 'DNS Qry "b\'www.example.com.\'" ' / 'DNS Ans "1.2.3.4" ' */
static bool dns_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	bool qr = gn_field_uint(l, F_QR) != 0;
	const struct gn_value *sec;
	uint64_t n = section_count(l, qr ? F_ANCOUNT : F_QDCOUNT, &sec);

	gn_sb_puts(sb, qr ? "DNS Ans" : "DNS Qry");
	if (sec->type == GN_V_LIST && sec->len)
		sec = &sec->items[0];
	if (n > 0 && sec->type == GN_V_PKT && sec->pkt->n) {
		const struct gn_layer *rec = &sec->pkt->layers[0];

		if (rec->proto == (qr ? &gn_proto_dnsrr : &gn_proto_dnsqr)) {
			gn_sb_puts(sb, " \"");
			py_str(rec, qr ? R_RDATA : 0, sb);
			gn_sb_putc(sb, '"');
		}
	}
	gn_sb_putc(sb, ' ');
	return true;
}

static bool dns_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	return probe->proto == &gn_proto_dns &&
	       gn_field_uint(reply, F_ID) == gn_field_uint(probe, F_ID) &&
	       gn_field_uint(reply, F_QR) == 1 && gn_field_uint(probe, F_QR) == 0;
}

const struct gn_proto gn_proto_dns = {
	.name = "DNS",
	.fields = dns_fields, .nfields = DNS_NFIELDS,
	.post_build = dns_post_build,
	.summary = dns_summary,
	.answers = dns_answers,
};

void gn_proto_dns_register(void)
{
	gn_proto_dnssec_register();
	gn_proto_register(&gn_proto_edns0tlv);
	gn_proto_register(&gn_proto_dnsqr);
	gn_proto_register(&gn_proto_dnsrr);
	gn_proto_register(&gn_proto_dnsrrmx);
	gn_proto_register(&gn_proto_dnsrrsoa);
	gn_proto_register(&gn_proto_dnsrrsrv);
	gn_proto_register(&gn_proto_dnsrropt);
	gn_proto_register(&gn_proto_dns);
	/* Scapy's order: dissection takes the first that matches, building
	 * the last one (UDP()/DNS() gets sport=53, dport keeps its 53); a DNS
	 * header quoted in an ICMP error reads as DNS too */
	gn_bind_l4(&gn_proto_udp, &gn_proto_dns, "dport=5353", GN_BIND_BOTH);
	gn_bind_l4(&gn_proto_udp, &gn_proto_dns, "sport=5353", GN_BIND_BOTH);
	gn_bind_l4(&gn_proto_udp, &gn_proto_dns, "dport=53", GN_BIND_BOTH);
	gn_bind_l4(&gn_proto_udp, &gn_proto_dns, "sport=53", GN_BIND_BOTH);
	gn_bind_l4(&gn_proto_tcp, &gn_proto_dns, "dport=53", GN_BIND_BOTH);
	gn_bind_l4(&gn_proto_tcp, &gn_proto_dns, "sport=53", GN_BIND_BOTH);
}
