// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Address field kinds: MAC, IPv4, IPv6.  An address written as a network
 * ("10.0.0.0/30") is a generator: one packet per address, as Scapy's Net.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <gannet/gannet.h>
#include "engine.h"

static unsigned addr_len(const struct gn_field *f)
{
	return f->bits / 8;
}

static int addr_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			struct gn_value *out)
{
	const uint8_t *p;
	int err = gn_rd_bytes(c, addr_len(f), &p);

	(void)l;
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_ADDR;
	out->alen = (uint8_t)addr_len(f);
	memcpy(out->addr, p, out->alen);
	return 0;
}

static int addr_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
		      const struct gn_value *v)
{
	static const uint8_t zero[16];

	(void)l;
	if (v->type == GN_V_ADDR && v->alen == addr_len(f))
		gn_wbuf_put(&c->w, v->addr, v->alen);
	else
		gn_wbuf_put(&c->w, zero, addr_len(f));
	return c->w.err;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char sep[5];
	int n;

	if (sscanf(s, "%2x%c%2x%c%2x%c%2x%c%2x%c%2x%n", &b[0], &sep[0], &b[1], &sep[1], &b[2],
		   &sep[2], &b[3], &sep[3], &b[4], &sep[4], &b[5], &n) != 11 || s[n])
		return -EINVAL;
	for (int i = 0; i < 5; i++)
		if (sep[i] != ':' && sep[i] != '-')
			return -EINVAL;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* Numeric first; a host name goes through the resolver (/etc/hosts), as
 * Scapy resolves IP(dst="name"). */
static int parse_ip(int family, const char *s, uint8_t *out)
{
	struct addrinfo hints = { .ai_family = family }, *res;

	if (inet_pton(family, s, out) == 1)
		return 0;
	if (getaddrinfo(s, NULL, &hints, &res))
		return -ENOENT;
	if (family == AF_INET)
		memcpy(out, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	else
		memcpy(out, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
	freeaddrinfo(res);
	return 0;
}

static int addr_assign(struct gn_arena *ar, const struct gn_field *f, const struct gn_ast *a,
		       struct gn_value *out, struct gn_error *err)
{
	unsigned alen = addr_len(f);
	int family = alen == 4 ? AF_INET : AF_INET6;
	char buf[256];
	char *slash;
	long prefix = -1;

	(void)ar;
	memset(out, 0, sizeof(*out));
	if (a->type == GN_AST_NONE)
		return 0;
	if (a->type == GN_AST_BYTES && a->len == alen) {
		out->type = GN_V_ADDR;
		out->alen = (uint8_t)alen;
		memcpy(out->addr, a->str, alen);
		return 0;
	}
	if (a->type != GN_AST_STR)
		return gn_error_set(err, -EINVAL, a->column, "field '%s' takes an address string",
				    f->name);
	if (a->len >= sizeof(buf))
		return gn_error_set(err, -EINVAL, a->column, "address too long for field '%s'",
				    f->name);
	memcpy(buf, a->str, a->len + 1);
	out->type = GN_V_ADDR;
	out->alen = (uint8_t)alen;
	if (alen == 6) {
		if (parse_mac(buf, out->addr))
			return gn_error_set(err, -EINVAL, a->column,
					    "'%s' is not a MAC address (want aa:bb:cc:dd:ee:ff) for field '%s'",
					    buf, f->name);
		return 0;
	}
	slash = strchr(buf, '/');
	if (slash) {
		char *end;

		*slash = 0;
		prefix = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || prefix < 0 || prefix > (long)alen * 8)
			return gn_error_set(err, -EINVAL, a->column,
					    "bad prefix length '/%s' for field '%s'", slash + 1,
					    f->name);
	}
	if (parse_ip(family, buf, out->addr))
		return gn_error_set(err, -EINVAL, a->column,
				    "'%s' is not an IPv%d address or a known host name (field '%s')",
				    buf, alen == 4 ? 4 : 6, f->name);
	if (prefix >= 0) {
		/* the network: clear host bits, as Scapy's Net iterates from it */
		for (unsigned i = 0; i < alen; i++) {
			long keep = prefix - 8 * (long)i;

			if (keep <= 0)
				out->addr[i] = 0;
			else if (keep < 8)
				out->addr[i] &= (uint8_t)(0xff << (8 - keep));
		}
		out->type = GN_V_NET;
		out->prefix = (uint16_t)prefix;
	}
	return 0;
}

void gn_addr_text(const struct gn_value *v, struct gn_strbuf *sb)
{
	char buf[INET6_ADDRSTRLEN];

	switch (v->alen) {
	case 6:
		gn_sb_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x", v->addr[0], v->addr[1],
			     v->addr[2], v->addr[3], v->addr[4], v->addr[5]);
		break;
	case 4:
		gn_sb_puts(sb, inet_ntop(AF_INET, v->addr, buf, sizeof(buf)));
		break;
	case 16:
		gn_sb_puts(sb, inet_ntop(AF_INET6, v->addr, buf, sizeof(buf)));
		break;
	default:
		gn_sb_hex(sb, v->addr, v->alen);
	}
	if (v->type == GN_V_NET)
		gn_sb_printf(sb, "/%u", v->prefix);
}

static void addr_format(const struct gn_layer *l, const struct gn_field *f,
			const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	if (v->type != GN_V_ADDR && v->type != GN_V_NET) {
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
		return;
	}
	if (r == GN_REPR_HUMAN) {
		gn_addr_text(v, sb);
		return;
	}
	gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
	gn_addr_text(v, sb);
	gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
}

const struct gn_field_ops gn_kind_mac = {
	.kind = "MACField",
	.dissect = addr_dissect, .build = addr_build, .assign = addr_assign,
	.format = addr_format, .is_scalar = true,
};

const struct gn_field_ops gn_kind_ipv4 = {
	.kind = "IPField",
	.dissect = addr_dissect, .build = addr_build, .assign = addr_assign,
	.format = addr_format, .is_scalar = true,
};

const struct gn_field_ops gn_kind_ipv6 = {
	.kind = "IP6Field",
	.dissect = addr_dissect, .build = addr_build, .assign = addr_assign,
	.format = addr_format, .is_scalar = true,
};
