// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * DNS names (Scapy's DNSStrField).  The value is the name as text, every
 * label followed by a dot ("www.example.com."); the wire form is length-
 * prefixed labels ending in a zero byte.
 *
 * Reading follows compression pointers (RFC 1035 4.1.4) into the message
 * that c->msg/c->msg_len describe, the way Scapy 2.5's dns_get_str does:
 * any label byte with one of the two top bits set is a pointer, a pointer
 * already followed ends the name (a loop), and a pointer or label that runs
 * past the message ends the name with what was read.  Only bytes of the
 * field itself (before the first pointer) must be there: running out of
 * them is a truncated field.
 *
 * Writing never compresses, as Scapy 2.5's build does not (compression is a
 * separate dns_compress() there).  A value that is already in wire form
 * (Scapy's _is_ptr: no dot, and ends in a zero byte or a pointer) is written
 * as it is, as Scapy's dns_encode(check_built=True) does.
 */
#include <errno.h>
#include <string.h>

#include <gannet/gannet.h>

/* Decoded names longer than this stop there: a real name is at most 255
 * bytes, and pointer chains must not turn a small frame into a huge name. */
#define DNS_NAME_CAP 1024
/* Distinct pointers one name may follow before it counts as a loop. */
#define DNS_MAX_PTRS 128

/* Scapy's _is_ptr: the value is already in wire form. */
static bool already_wire(const uint8_t *x, size_t n)
{
	if (memchr(x, '.', n))
		return false;
	return (n >= 1 && x[n - 1] == 0) || (n >= 2 && (x[n - 2] & 0xc0) == 0xc0);
}

/* Scapy's dns_encode(x, check_built=True), into w (or only counted when w
 * is NULL); returns the byte count. */
static size_t encode(struct gn_wbuf *w, const uint8_t *x, size_t n)
{
	static const uint8_t zero;
	size_t total = 0, start = 0;
	uint8_t last = 1;

	if (n == 0 || (n == 1 && x[0] == '.')) {
		if (w)
			gn_wbuf_put(w, &zero, 1);
		return 1;
	}
	if (already_wire(x, n)) {
		if (w)
			gn_wbuf_put(w, x, n);
		return n;
	}
	/* every piece between dots is a label, cut to 63 bytes; the empty
	 * piece after a final dot is the terminating zero */
	for (size_t i = 0; i <= n; i++) {
		size_t len;
		uint8_t lb;

		if (i < n && x[i] != '.')
			continue;
		len = i - start > 63 ? 63 : i - start;
		lb = (uint8_t)len;
		if (w) {
			gn_wbuf_put(w, &lb, 1);
			gn_wbuf_put(w, x + start, len);
		}
		total += 1 + len;
		last = len ? x[start + len - 1] : 0;
		start = i + 1;
	}
	if (last != 0) {
		if (w)
			gn_wbuf_put(w, &zero, 1);
		total++;
	}
	return total;
}

/* ---- reading ------------------------------------------------------------- */

struct name_buf {
	uint8_t b[DNS_NAME_CAP];
	size_t n;
	bool full;
};

static void name_add(struct name_buf *nb, const uint8_t *label, size_t len)
{
	if (nb->full || nb->n + len + 1 > sizeof(nb->b)) {
		nb->full = true;
		return;
	}
	memcpy(nb->b + nb->n, label, len);
	nb->n += len;
	nb->b[nb->n++] = '.';
}

static int dnsname_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			   const struct gn_field *f, struct gn_value *out)
{
	const uint8_t *msg = c->msg ? c->msg : c->p;
	size_t msg_len = c->msg ? c->msg_len : c->len;
	const uint8_t *buf = c->p;
	size_t len = c->len, pos, end = 0;
	uint16_t seen[DNS_MAX_PTRS];
	unsigned nseen = 0;
	bool jumped = false;
	struct name_buf buf_nb, *nb = &buf_nb;
	const uint8_t *start;
	int err;

	(void)l;
	(void)f;
	err = gn_rd_bytes(c, 0, &start); /* align the cursor on a byte */
	if (err)
		return err;
	nb->n = 0;
	nb->full = false;
	pos = c->off;
	for (;;) {
		uint8_t cur;

		if (pos >= len) {
			if (!jumped)
				return -EMSGSIZE;
			break; /* pointed past the message: the name ends */
		}
		cur = buf[pos++];
		if (cur & 0xc0) {
			uint16_t target;
			bool loop = false;

			if (pos >= len) {
				if (!jumped)
					return -EMSGSIZE;
				break;
			}
			target = (uint16_t)(((cur & 0x3f) << 8) | buf[pos]);
			if (!jumped) {
				end = pos + 1;
				jumped = true;
			}
			for (unsigned i = 0; i < nseen && !loop; i++)
				loop = seen[i] == target;
			if (loop || nseen == DNS_MAX_PTRS || nb->full)
				break;
			seen[nseen++] = target;
			buf = msg;
			len = msg_len;
			pos = target;
			continue;
		}
		if (cur == 0)
			break;
		if (len - pos < cur) {
			if (!jumped)
				return -EMSGSIZE;
			name_add(nb, buf + pos, len - pos); /* as Scapy: what is there */
			break;
		}
		name_add(nb, buf + pos, cur);
		pos += cur;
		if (jumped && nb->full)
			break;
	}
	c->off = jumped ? end : pos;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_BYTES;
	out->len = (uint32_t)nb->n;
	out->bytes = gn_arena_alloc(c->arena, nb->n ? nb->n : 1);
	if (!out->bytes)
		return -ENOMEM;
	memcpy(out->bytes, nb->b, nb->n);
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

static int dnsname_build(struct gn_build_ctx *c, const struct gn_layer *l,
			 const struct gn_field *f, const struct gn_value *v)
{
	(void)l;
	if (v->type == GN_V_NONE) {
		encode(&c->w, NULL, 0);
		return c->w.err;
	}
	if (v->type != GN_V_BYTES)
		return -EINVAL; /* assign only makes bytes: a value set by hand */
	(void)f;
	encode(&c->w, v->bytes, v->len);
	return c->w.err;
}

static size_t dnsname_wire_len(const struct gn_layer *l, const struct gn_field *f,
			       const struct gn_value *v)
{
	(void)l;
	(void)f;
	if (v->type != GN_V_BYTES)
		return 1;
	return encode(NULL, v->bytes, v->len);
}

/* Scapy's DNSStrField.h2i: "" is the root ".", and a name gets its final
 * dot unless it is already in wire form. */
static int dnsname_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			  struct gn_value *out, struct gn_error *err)
{
	const uint8_t *s = (const uint8_t *)ast->str;
	size_t n = ast->len;
	bool dot;
	uint8_t *b;

	memset(out, 0, sizeof(*out));
	if (ast->type == GN_AST_NONE) {
		s = (const uint8_t *)".";
		n = 0;
	} else if (ast->type != GN_AST_STR && ast->type != GN_AST_BYTES) {
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' takes a DNS name such as \"www.example.com\"",
				    f->name);
	}
	if (n == 0) {
		s = (const uint8_t *)".";
		n = 1;
	}
	dot = s[n - 1] != '.' && !already_wire(s, n);
	b = gn_arena_alloc(a, n + 1);
	if (!b)
		return -ENOMEM;
	memcpy(b, s, n);
	if (dot)
		b[n++] = '.';
	out->type = GN_V_BYTES;
	out->len = (uint32_t)n;
	out->bytes = b;
	return 0;
}

/* Shown as the byte-string kinds show their values, but a name is text:
 * in JSON a string, not hex. */
static void dnsname_format(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	if (r == GN_REPR_JSON && v->type == GN_V_BYTES)
		gn_sb_json_str(sb, (const char *)v->bytes, v->len);
	else
		gn_kind_rest.format(l, f, v, sb, r);
}

const struct gn_field_ops gn_kind_dnsname = {
	.kind = "DNSStrField",
	.dissect = dnsname_dissect,
	.build = dnsname_build,
	.assign = dnsname_assign,
	.format = dnsname_format,
	.wire_len = dnsname_wire_len,
	.is_scalar = true,
};
