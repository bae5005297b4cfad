// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scapy's Packet.sprintf(), with its exact rules:
 *   %[fmt[r],][cls[:n].]field%   a field: "%IP.src%", "%-15s,IP.dst%",
 *                                "%03xr,IP.proto%" (r: the raw value, not
 *                                its human form), "%IP:2.src%" (2nd IP);
 *                                without "cls." the first layer that has
 *                                the field; "%.time%" the capture time
 *   {LAYER:text} {!LAYER:text}   text only if LAYER is (is not) present;
 *                                nested, innermost first
 *   %% %( %)                     '%', '{', '}'
 * A missing layer or field prints "??".  fmt is a Python %-conversion and
 * is applied with Python's rules, errors included ("%x" of a human value,
 * which is text, is an error in Scapy too).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gannet/gannet.h>
#include "engine.h"
#include "output_int.h"

/* A Python value as %-formatting sees it. */
enum pv_kind {
	PV_STR,  /* a str: %r quotes it */
	PV_OBJ,  /* any other object (None, bytes, lists): str() == repr() */
	PV_INT,  /* an int; flags keep their letters for %s and %r */
};

struct pyval {
	enum pv_kind kind;
	const char *s;     /* STR, OBJ: text; INT of a flags field: the letters */
	size_t n;
	bool neg;          /* INT */
	uint64_t mag;      /* INT: magnitude */
	bool flags;        /* INT: value of a FlagsField */
};

struct spf {
	const struct gn_packet *p;
	struct gn_strbuf *sb;
	struct gn_error *err;
	const char *dir;     /* the directive, for error messages */
	size_t dirlen;
	struct gn_strbuf val;  /* the value's text */
	struct gn_strbuf tmp;  /* scratch of pyformat */
};

static int bad(struct spf *c, const char *why)
{
	return gn_error_set(c->err, -EINVAL, 0, "sprintf: bad format directive '%%%.*s%%': %s",
			    (int)c->dirlen, c->dir, why);
}

static void pad(struct gn_strbuf *sb, char ch, size_t n)
{
	while (n--)
		gn_sb_putc(sb, ch);
}

/* Characters of UTF-8 text, for width and precision as Python counts them. */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			k++;
	return k;
}

static size_t utf8_prefix(const char *s, size_t n, size_t chars)
{
	size_t i = 0, k = 0;

	while (i < n) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (k == chars)
				break;
			k++;
		}
		i++;
	}
	return i;
}

struct conv {
	bool left, zero, plus, space, alt;
	long width;     /* -1: none */
	long prec;      /* -1: none */
	char type;
};

static void put_padded(struct gn_strbuf *sb, const struct conv *cv, const char *s, size_t n)
{
	size_t chars = utf8_chars(s, n);
	size_t fill = cv->width > 0 && (size_t)cv->width > chars ? (size_t)cv->width - chars : 0;

	if (!cv->left)
		pad(sb, ' ', fill);
	gn_sb_putn(sb, s, n);
	if (cv->left)
		pad(sb, ' ', fill);
}

static void put_text(struct spf *c, const struct conv *cv, const char *s, size_t n)
{
	if (cv->prec >= 0)
		n = utf8_prefix(s, n, (size_t)cv->prec);
	put_padded(c->sb, cv, s, n);
}

static void put_utf8(struct gn_strbuf *sb, uint32_t cp)
{
	if (cp < 0x80) {
		gn_sb_putc(sb, (char)cp);
	} else if (cp < 0x800) {
		gn_sb_putc(sb, (char)(0xc0 | (cp >> 6)));
		gn_sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		gn_sb_putc(sb, (char)(0xe0 | (cp >> 12)));
		gn_sb_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		gn_sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
	} else {
		gn_sb_putc(sb, (char)(0xf0 | (cp >> 18)));
		gn_sb_putc(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
		gn_sb_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		gn_sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
	}
}

/* Python's %d/%o/%x/%X of an int. */
static void put_int(struct spf *c, const struct conv *cv, const struct pyval *v)
{
	char digits[72];
	char head[4];
	size_t nd = 0, nh = 0, body, fill;
	unsigned base = cv->type == 'o' ? 8 : (cv->type == 'x' || cv->type == 'X') ? 16 : 10;
	const char *dig = cv->type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t m = v->mag;

	do {
		digits[nd++] = dig[m % base];
		m /= base;
	} while (m);
	while (cv->prec > 0 && nd < (size_t)cv->prec && nd < sizeof(digits))
		digits[nd++] = '0';
	if (v->neg)
		head[nh++] = '-';
	else if (cv->plus)
		head[nh++] = '+';
	else if (cv->space)
		head[nh++] = ' ';
	if (cv->alt && base != 10) {
		head[nh++] = '0';
		head[nh++] = base == 8 ? 'o' : cv->type;
	}
	body = nh + nd;
	fill = cv->width > 0 && (size_t)cv->width > body ? (size_t)cv->width - body : 0;
	if (!cv->left && !cv->zero)
		pad(c->sb, ' ', fill);
	gn_sb_putn(c->sb, head, nh);
	if (!cv->left && cv->zero)
		pad(c->sb, '0', fill);
	while (nd)
		gn_sb_putc(c->sb, digits[--nd]);
	if (cv->left)
		pad(c->sb, ' ', fill);
}

static void put_float(struct spf *c, const struct conv *cv, const struct pyval *v)
{
	char cfmt[16], buf[512];
	size_t n = 0;
	double d = (double)v->mag;

	if (v->neg)
		d = -d;
	cfmt[n++] = '%';
	if (cv->left)
		cfmt[n++] = '-';
	if (cv->zero)
		cfmt[n++] = '0';
	if (cv->plus)
		cfmt[n++] = '+';
	if (cv->space)
		cfmt[n++] = ' ';
	if (cv->alt)
		cfmt[n++] = '#';
	cfmt[n++] = '*';
	cfmt[n++] = '.';
	cfmt[n++] = '*';
	cfmt[n++] = cv->type;
	cfmt[n] = 0;
	/* width and precision are bounded so that the text fits buf */
	snprintf(buf, sizeof(buf), cfmt, (int)(cv->width > 200 ? 200 : cv->width),
		 (int)(cv->prec < 0 ? 6 : cv->prec > 200 ? 200 : cv->prec), d);
	gn_sb_puts(c->sb, buf);
}

static const char *type_name(const struct pyval *v)
{
	if (v->kind == PV_INT)
		return v->flags ? "flags" : "int";
	return v->kind == PV_STR ? "str" : "a non-number";
}

/* ("%" + spec) % v, as Python computes it. */
static int pyformat(struct spf *c, const char *spec, size_t n, const struct pyval *v)
{
	struct conv cv = { .width = -1, .prec = -1 };
	size_t i = 0;
	char why[96];

	if (i < n && spec[i] == '(')
		return bad(c, "format requires a mapping");
	for (; i < n && strchr("#0- +", spec[i]); i++) {
		switch (spec[i]) {
		case '-': cv.left = true; break;
		case '0': cv.zero = true; break;
		case '+': cv.plus = true; break;
		case ' ': cv.space = true; break;
		case '#': cv.alt = true; break;
		}
	}
	if (i < n && spec[i] == '*')
		return bad(c, "'*' takes its width from an argument, which sprintf has none of");
	for (cv.width = i < n && spec[i] >= '0' && spec[i] <= '9' ? 0 : -1;
	     i < n && spec[i] >= '0' && spec[i] <= '9'; i++)
		cv.width = cv.width * 10 + (spec[i] - '0') > 100000 ? 100000
			   : cv.width * 10 + (spec[i] - '0');
	if (i < n && spec[i] == '.') {
		i++;
		if (i < n && spec[i] == '*')
			return bad(c, "'*' takes its precision from an argument, which sprintf has none of");
		for (cv.prec = 0; i < n && spec[i] >= '0' && spec[i] <= '9'; i++)
			cv.prec = cv.prec * 10 + (spec[i] - '0') > 100000 ? 100000
				  : cv.prec * 10 + (spec[i] - '0');
	}
	if (i < n && (spec[i] == 'h' || spec[i] == 'l' || spec[i] == 'L'))
		i++;
	if (i >= n)
		return bad(c, "incomplete format");
	cv.type = spec[i++];
	switch (cv.type) {
	case 's':
	case 'r':
	case 'a':
		if (v->kind == PV_INT) {
			gn_sb_reset(&c->tmp);
			if (v->flags && cv.type == 's')
				gn_sb_putn(&c->tmp, v->s, v->n);
			else if (v->flags)
				gn_sb_printf(&c->tmp, "<Flag %" PRIu64 " (%.*s)>", v->mag, (int)v->n, v->s);
			else
				gn_sb_printf(&c->tmp, "%s%" PRIu64, v->neg ? "-" : "", v->mag);
			put_text(c, &cv, c->tmp.s, c->tmp.len);
		} else if (v->kind == PV_STR && cv.type != 's') {
			gn_sb_reset(&c->tmp);
			gn_out_pystr(&c->tmp, v->s, v->n);
			put_text(c, &cv, c->tmp.s, c->tmp.len);
		} else {
			put_text(c, &cv, v->s, v->n);
		}
		break;
	case 'd':
	case 'i':
	case 'u':
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
		/* Scapy's FlagValue converts to int but not to float */
		if (v->kind != PV_INT || (v->flags && !strchr("diu", cv.type))) {
			snprintf(why, sizeof(why), "%%%c needs a number, not %s%s", cv.type,
				 type_name(v), v->kind == PV_STR ? " (add 'r' for the raw value)" : "");
			return bad(c, why);
		}
		if (strchr("diu", cv.type))
			put_int(c, &cv, v);
		else
			put_float(c, &cv, v);
		break;
	case 'o':
	case 'x':
	case 'X':
		if (v->kind != PV_INT || v->flags) {
			snprintf(why, sizeof(why), "%%%c needs an integer, not %s%s", cv.type,
				 type_name(v), v->kind == PV_STR ? " (add 'r' for the raw value)" : "");
			return bad(c, why);
		}
		put_int(c, &cv, v);
		break;
	case 'c':
		gn_sb_reset(&c->tmp);
		if (v->kind == PV_INT && !v->flags && !v->neg && v->mag <= 0x10ffff)
			put_utf8(&c->tmp, (uint32_t)v->mag);
		else if (v->kind == PV_STR && utf8_chars(v->s, v->n) == 1)
			gn_sb_putn(&c->tmp, v->s, v->n);
		else
			return bad(c, "%c requires an int in range(0x110000) or a single character");
		put_padded(c->sb, &cv, c->tmp.s, c->tmp.len);
		break;
	default:
		snprintf(why, sizeof(why), "unsupported format character '%c'", cv.type);
		return bad(c, why);
	}
	/* Python keeps whatever follows the conversion as literal text */
	gn_sb_putn(c->sb, spec + i, n - i);
	return 0;
}

static bool name_is(const char *name, const char *s, size_t n)
{
	return name && strlen(name) == n && !memcmp(name, s, n);
}

static int field_index(const struct gn_proto *pr, const char *s, size_t n)
{
	for (unsigned i = 0; i < pr->nfields; i++)
		if (name_is(pr->fields[i].name, s, n))
			return (int)i;
	return -1;
}

/* The Python value of field i of l: the raw value (what Scapy keeps in the
 * packet) or its human form (i2repr, always a str). */
static void field_pyval(struct spf *c, const struct gn_layer *l, unsigned i, bool raw,
			struct pyval *out)
{
	const struct gn_field *f = &l->proto->fields[i];
	const struct gn_value *v = gn_layer_get(l, i);

	memset(out, 0, sizeof(*out));
	gn_sb_reset(&c->val);
	if (!raw) {
		out->kind = PV_STR;
		gn_out_value(l, f, v, &c->val, GN_REPR_HUMAN);
	} else if (v->type == GN_V_INT) {
		out->kind = PV_INT;
		out->mag = v->u;
		if ((f->flags & GN_FF_SIGNED) && f->bits && f->bits < 64 &&
		    (v->u >> (f->bits - 1)) & 1) {
			out->neg = true;
			out->mag = ((uint64_t)1 << f->bits) - v->u;
		} else if ((f->flags & GN_FF_SIGNED) && f->bits == 64 && (int64_t)v->u < 0) {
			out->neg = true;
			out->mag = 0 - v->u;
		}
		if (f->ops == &gn_kind_flags) {
			out->flags = true;
			gn_out_value(l, f, v, &c->val, GN_REPR_HUMAN);
		}
	} else if (v->type == GN_V_ADDR) {
		/* Scapy keeps addresses as str */
		out->kind = PV_STR;
		gn_out_value(l, f, v, &c->val, GN_REPR_HUMAN);
	} else if (v->type == GN_V_PKT) {
		/* str() of a packet is its summary */
		out->kind = PV_OBJ;
		gn_summary(v->pkt, &c->val);
	} else if (v->type == GN_V_LIST && gn_out_is_chain(f) && v->len) {
		out->kind = PV_OBJ;
		for (uint32_t k = 0; k < v->len; k++) {
			if (k)
				gn_sb_puts(&c->val, " / ");
			if (v->items[k].type == GN_V_PKT)
				gn_summary(v->items[k].pkt, &c->val);
		}
	} else if (gn_value_is_generator(v) || (v->type == GN_V_LIST && gn_out_holds_packets(f))) {
		out->kind = PV_OBJ;
		gn_out_value(l, f, v, &c->val, GN_REPR_HUMAN);
	} else {
		out->kind = PV_OBJ;
		gn_out_value(l, f, v, &c->val, GN_REPR_EXPR);
	}
	if (c->val.err)
		c->sb->err = c->val.err;
	out->s = c->val.s ? c->val.s : "";
	out->n = c->val.len;
}

struct directive {
	const char *fmt;     /* Python conversion, without the '%' */
	size_t fmtlen;
	const char *cls;     /* NULL: the class of the layer looked at */
	size_t clslen;
	long num;            /* the num-th layer of cls */
	const char *fld;
	size_t fldlen;
};

/* Packet.sprintf at layer k, one directive: Scapy's recursion unrolled. */
static int lookup(struct spf *c, unsigned k, struct directive d)
{
	for (; k < c->p->n; k++) {
		const struct gn_layer *l = &c->p->layers[k];
		const char *cls = d.cls ? d.cls : l->proto->name;
		size_t clslen = d.cls ? d.clslen : strlen(l->proto->name);
		const struct gn_layer *owner = NULL;
		int fi = -1;
		struct pyval v;
		bool raw;

		if (!name_is(l->proto->name, cls, clslen))
			continue;
		/* hasattr(layer, fld): Scapy's getfieldval falls through to
		 * the layers above, so a field of an upper layer counts */
		for (unsigned u = k; u < c->p->n && fi < 0; u++) {
			fi = field_index(c->p->layers[u].proto, d.fld, d.fldlen);
			owner = &c->p->layers[u];
		}
		if (fi < 0)
			continue;
		if (d.num > 1) {
			d.cls = cls;
			d.clslen = clslen;
			d.num--;
			continue;
		}
		/* Scapy fails on an empty conversion only once it found the
		 * field (it reads fmt[-1]); a missing one is "??" */
		if (!d.fmtlen)
			return bad(c, "empty conversion before ','");
		raw = owner != l;
		if (d.fmt[d.fmtlen - 1] == 'r') {
			raw = true;
			d.fmtlen--;
		}
		if (!d.fmtlen) {
			d.fmt = "s";
			d.fmtlen = 1;
		}
		field_pyval(c, owner, (unsigned)fi, raw, &v);
		return pyformat(c, d.fmt, d.fmtlen, &v);
	}
	gn_sb_puts(c->sb, "??");
	return 0;
}

static int emit_time(struct spf *c, const char *fmt, size_t fmtlen)
{
	int64_t ns = c->p->meta.ts_ns;
	struct timespec now;
	struct tm tm;
	time_t sec;
	char buf[64];
	size_t n;
	struct pyval v = { .kind = PV_STR };

	if (!ns) {
		/* a packet that was never captured: Scapy uses its creation
		 * time, which for a packet made now is now */
		clock_gettime(CLOCK_REALTIME, &now);
		ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	}
	sec = (time_t)(ns / 1000000000);
	if (!localtime_r(&sec, &tm))
		memset(&tm, 0, sizeof(tm));
	n = strftime(buf, sizeof(buf), "%H:%M:%S", &tm);
	snprintf(buf + n, sizeof(buf) - n, ".%06d", (int)((ns % 1000000000) / 1000));
	v.s = buf;
	v.n = strlen(buf);
	return pyformat(c, fmt, fmtlen, &v);
}

/* Python's int() of the layer number. */
static bool parse_num(const char *s, size_t n, long *out)
{
	size_t i = 0;
	bool neg = false;
	long v = 0;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (n > i && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i >= n)
		return false;
	for (; i < n; i++) {
		if (s[i] == '_' && i + 1 < n && s[i + 1] != '_' && s[i - 1] >= '0' && s[i - 1] <= '9')
			continue;
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v > 100000000 ? v : v * 10 + (s[i] - '0');
	}
	*out = neg ? -v : v;
	return true;
}

static int directive(struct spf *c, unsigned from, const char *s, size_t n)
{
	struct directive d = { .num = 1 };
	const char *comma = memchr(s, ',', n), *dot, *colon;
	const char *cf = s;
	size_t cflen = n;

	c->dir = s;
	c->dirlen = n;
	if (comma) {
		if (memchr(comma + 1, ',', n - (size_t)(comma + 1 - s)))
			return bad(c, "more than one ','");
		d.fmt = s;
		d.fmtlen = (size_t)(comma - s);
		cf = comma + 1;
		cflen = n - d.fmtlen - 1;
	} else {
		d.fmt = "s";
		d.fmtlen = 1;
	}
	dot = memchr(cf, '.', cflen);
	if (dot) {
		if (memchr(dot + 1, '.', cflen - (size_t)(dot + 1 - cf)))
			return bad(c, "more than one '.'");
		d.cls = cf;
		d.clslen = (size_t)(dot - cf);
		d.fld = dot + 1;
		d.fldlen = cflen - d.clslen - 1;
		colon = memchr(d.cls, ':', d.clslen);
		if (colon) {
			const char *ns = colon + 1;
			size_t nn = d.clslen - (size_t)(ns - d.cls);

			if (memchr(ns, ':', nn) || !parse_num(ns, nn, &d.num))
				return bad(c, "the layer number after ':' must be an integer");
			d.clslen = (size_t)(colon - d.cls);
		}
	} else {
		d.fld = cf;
		d.fldlen = cflen;
	}
	if (name_is("time", d.fld, d.fldlen))
		return emit_time(c, d.fmt, d.fmtlen);
	return lookup(c, from, d);
}

/* Scapy's haslayer(name): a class or long name, in the layers from `from`
 * on or in their sub-packets. */
static bool has_layer(const struct gn_packet *p, unsigned from, const char *s, size_t n,
		      unsigned depth)
{
	if (depth > 32)
		return false;
	for (unsigned k = from; k < p->n; k++) {
		const struct gn_layer *l = &p->layers[k];

		if (name_is(l->proto->name, s, n) || name_is(l->proto->long_name, s, n))
			return true;
		for (unsigned i = 0; i < l->proto->nfields; i++) {
			const struct gn_value *v = gn_layer_get(l, i);

			if (v->type == GN_V_PKT && has_layer(v->pkt, 0, s, n, depth + 1))
				return true;
			if (v->type != GN_V_LIST)
				continue;
			for (uint32_t j = 0; j < v->len; j++)
				if (v->items[j].type == GN_V_PKT &&
				    has_layer(v->items[j].pkt, 0, s, n, depth + 1))
					return true;
		}
	}
	return false;
}

/* {LAYER:text} and {!LAYER:text}, the last '{' first, as Scapy does, so
 * conditions nest. */
static int conditions(struct spf *c, unsigned from, struct gn_strbuf *w)
{
	char *open;

	while (!w->err && w->s && (open = strrchr(w->s, '{'))) {
		size_t i = (size_t)(open - w->s);
		char *close = strchr(open + 1, '}');
		char *colon;
		const char *name;
		size_t namelen, body, bodylen, keep, tail;
		bool want = true;

		if (!close)
			return gn_error_set(c->err, -EINVAL, (int)i + 1,
					    "sprintf: '{' without a matching '}' (write %%( and %%) for braces)");
		colon = memchr(open + 1, ':', (size_t)(close - open - 1));
		if (!colon || colon == open + 1)
			return gn_error_set(c->err, -EINVAL, (int)i + 1,
					    "sprintf: bad condition '{%.*s}': write {LAYER:text} or {!LAYER:text}",
					    (int)(close - open - 1), open + 1);
		name = open + 1;
		namelen = (size_t)(colon - name);
		if (name[0] == '!') {
			want = false;
			name++;
			namelen--;
		}
		body = (size_t)(colon + 1 - w->s);
		bodylen = (size_t)(close - colon - 1);
		keep = has_layer(c->p, from, name, namelen, 0) == want ? bodylen : 0;
		tail = w->len - (size_t)(close + 1 - w->s);
		memmove(w->s + i, w->s + body, keep);
		memmove(w->s + i + keep, close + 1, tail + 1);
		w->len = i + keep + tail;
	}
	return w->err;
}

static int sprintf_at(const struct gn_packet *p, unsigned from, const char *fmt,
		      struct gn_strbuf *sb, struct gn_error *err)
{
	struct spf c = { .p = p, .sb = sb, .err = err };
	struct gn_strbuf w;
	size_t start = sb->len, pos = 0;
	int rc;

	if (!fmt)
		return gn_error_set(err, -EINVAL, 0, "sprintf: no format string");
	gn_sb_init(&w);
	gn_sb_init(&c.val);
	gn_sb_init(&c.tmp);
	gn_sb_puts(&w, fmt);
	rc = conditions(&c, from, &w);
	while (!rc && w.s && pos < w.len) {
		const char *pct = memchr(w.s + pos, '%', w.len - pos);
		size_t i, e;
		const char *end;

		if (!pct) {
			gn_sb_putn(sb, w.s + pos, w.len - pos);
			break;
		}
		i = (size_t)(pct - w.s);
		gn_sb_putn(sb, w.s + pos, i - pos);
		pos = i + 1;
		if (pos < w.len && strchr("%()", w.s[pos])) {
			gn_sb_putc(sb, w.s[pos] == '%' ? '%' : w.s[pos] == '(' ? '{' : '}');
			pos++;
			continue;
		}
		end = memchr(w.s + pos, '%', w.len - pos);
		if (!end) {
			rc = gn_error_set(err, -EINVAL, 0,
					  "sprintf: '%%%.25s' has no closing '%%' (write %%%% for a '%%')",
					  w.s + pos);
			break;
		}
		e = (size_t)(end - w.s);
		rc = directive(&c, from, w.s + pos, e - pos);
		pos = e + 1;
	}
	if (!rc && (w.err || c.val.err || c.tmp.err || sb->err))
		rc = -ENOMEM;
	if (rc)
		gn_out_truncate(sb, start);
	gn_sb_free(&w);
	gn_sb_free(&c.val);
	gn_sb_free(&c.tmp);
	return rc;
}

int gn_sprintf(const struct gn_packet *p, const char *fmt, struct gn_strbuf *sb,
	       struct gn_error *err)
{
	return sprintf_at(p, 0, fmt, sb, err);
}

int gn_sprintf_layer(const struct gn_layer *l, const char *fmt, struct gn_strbuf *sb,
		     struct gn_error *err)
{
	return sprintf_at(l->pkt, l->index, fmt, sb, err);
}
