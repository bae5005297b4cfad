// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The Internet checksum (RFC 1071) and the TCP/UDP/ICMPv6 checksum with the
 * IPv4 or IPv6 pseudo-header, computed from the same fields Scapy's
 * in4_chksum and in6_chksum use; and the summary line TCP and UDP share,
 * which takes its addresses from the same IPv4 or IPv6 layer.
 */
#include <errno.h>
#include <string.h>

#include "protos.h"

/* Callers feeding several pieces pass even lengths except for the last. */
uint32_t gn_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < n)
		s += (uint32_t)p[i] << 8;
	/* end-around carry keeps the one's complement sum in 32 bits */
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t gn_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

uint16_t gn_inet_csum(const uint8_t *p, size_t n)
{
	return (uint16_t)~gn_csum_fold(gn_csum_add(0, p, n));
}

/* ---- pseudo-headers ---------------------------------------------------- */

static const struct gn_value *field(const struct gn_layer *l, const char *name)
{
	int i = gn_layer_field_index(l, name);

	return i < 0 ? NULL : gn_layer_get(l, (unsigned)i);
}

static bool addr_of(const struct gn_value *v, unsigned alen, uint8_t *out)
{
	if (!v || v->type != GN_V_ADDR || v->alen != alen)
		return false;
	memcpy(out, v->addr, alen);
	return true;
}

static bool is_ipv4(const struct gn_layer *l)
{
	return l->proto == &gn_proto_ip || l->proto == &gn_proto_iperror;
}

static bool is_ipv6(const struct gn_layer *l)
{
	return !strcmp(l->proto->name, "IPv6") || !strcmp(l->proto->name, "IPerror6");
}

static bool is_ipv6_ext(const struct gn_layer *l)
{
	return !strncmp(l->proto->name, "IPv6ExtHdr", 10);
}

/* Bytes the options of IP layer ip take once built (Scapy's
 * sum(len(x) for x in options)); negative errno on failure. */
static long ip_options_len(const struct gn_layer *ip)
{
	const struct gn_value *opts = field(ip, "options");
	struct gn_arena *a;
	long total = 0;

	if (!opts || opts->type != GN_V_LIST || !opts->len)
		return 0;
	a = gn_arena_new(512);
	if (!a)
		return -ENOMEM;
	for (uint32_t i = 0; i < opts->len && total >= 0; i++) {
		const struct gn_value *it = &opts->items[i];
		uint8_t *out;
		size_t n;

		if (it->type == GN_V_BYTES) {
			total += it->len;
		} else if (it->type == GN_V_PKT) {
			int err = gn_build(it->pkt, a, &out, &n);

			total = err ? err : total + (long)n;
		}
	}
	gn_arena_free(a);
	return total;
}

/*
 * Scapy's in4_pseudoheader: the final destination of a single source-route
 * option replaces dst, and a length the user set on IP wins over the
 * segment's.
 */
static int in4_pseudo(const struct gn_layer *ip, size_t seglen, uint8_t proto, uint8_t ph[12])
{
	const struct gn_value *len = field(ip, "len");
	const struct gn_value *opts = field(ip, "options");
	const uint8_t *route_dst = NULL;
	unsigned nroutes = 0;
	uint64_t ln = seglen;

	memset(ph, 0, 12);
	addr_of(field(ip, "src"), 4, ph);
	addr_of(field(ip, "dst"), 4, ph + 4);
	if (len && len->type == GN_V_INT) {
		const struct gn_value *ihl = field(ip, "ihl");
		long hl;

		if (ihl && ihl->type == GN_V_INT) {
			hl = (long)ihl->u;
		} else {
			long olen = ip_options_len(ip);

			if (olen < 0)
				return (int)olen;
			hl = 5 + olen / 4 + (olen % 4 ? 1 : 0);
		}
		ln = (long)len->u > 4 * hl ? len->u - (uint64_t)(4 * hl) : 0;
	}
	for (uint32_t i = 0; opts && opts->type == GN_V_LIST && i < opts->len; i++) {
		const struct gn_value *it = &opts->items[i];
		const struct gn_layer *ol;
		const struct gn_value *routers;

		if (it->type != GN_V_PKT || !it->pkt->n)
			continue;
		ol = &it->pkt->layers[0];
		if (strcmp(ol->proto->name, "IPOption_LSRR") &&
		    strcmp(ol->proto->name, "IPOption_SSRR"))
			continue;
		nroutes++;
		routers = field(ol, "routers");
		route_dst = NULL;
		if (routers && routers->type == GN_V_LIST && routers->len &&
		    routers->items[routers->len - 1].type == GN_V_ADDR)
			route_dst = routers->items[routers->len - 1].addr;
	}
	/* with several source routes Scapy falls back to IP.dst */
	if (nroutes == 1 && route_dst)
		memcpy(ph + 4, route_dst, 4);
	ph[9] = proto;
	ph[10] = (uint8_t)(ln >> 8);
	ph[11] = (uint8_t)ln;
	return 0;
}

/* The last address of a routing header that still has segments left:
 * IPv6ExtHdrRouting's last, IPv6ExtHdrSegmentRouting's first (Scapy). */
static const uint8_t *routing_dst(const struct gn_layer *l)
{
	const struct gn_value *seg = field(l, "segleft");
	const struct gn_value *addrs = field(l, "addresses");
	const struct gn_value *a;

	if (!seg || (seg->type == GN_V_INT && seg->u == 0) || !addrs ||
	    addrs->type != GN_V_LIST || !addrs->len)
		return NULL;
	if (!strcmp(l->proto->name, "IPv6ExtHdrRouting"))
		a = &addrs->items[addrs->len - 1];
	else if (!strcmp(l->proto->name, "IPv6ExtHdrSegmentRouting"))
		a = &addrs->items[0];
	else
		return NULL;
	return a->type == GN_V_ADDR && a->alen == 16 ? a->addr : NULL;
}

/* A destination-options header holding exactly one Home Address option
 * gives the real source (Scapy's in6_pseudoheader). */
static const uint8_t *home_address(const struct gn_layer *l)
{
	const struct gn_value *opts;
	const struct gn_value *hoa;
	const struct gn_packet *o;

	if (strcmp(l->proto->name, "IPv6ExtHdrDestOpt"))
		return NULL;
	opts = field(l, "options");
	if (!opts || opts->type != GN_V_LIST || opts->len != 1 ||
	    opts->items[0].type != GN_V_PKT)
		return NULL;
	o = opts->items[0].pkt;
	if (!o->n || strcmp(o->layers[0].proto->name, "HAO"))
		return NULL;
	hoa = field(&o->layers[0], "hoa");
	return hoa && hoa->type == GN_V_ADDR && hoa->alen == 16 ? hoa->addr : NULL;
}

static bool in6_pseudo(const struct gn_layer *below, size_t seglen, uint8_t nh, uint8_t ph[40])
{
	const struct gn_layer *u = below;
	const uint8_t *rt = NULL, *hoa = NULL;

	while (u && !is_ipv6(u)) {
		const uint8_t *d = rt ? NULL : routing_dst(u);
		const uint8_t *h = home_address(u);

		if (d)
			rt = d;
		else if (h)
			hoa = h;
		u = gn_layer_below(u);
	}
	if (!u)
		return false;
	memset(ph, 0, 40);
	if (hoa)
		memcpy(ph, hoa, 16);
	else
		addr_of(field(u, "src"), 16, ph);
	if (rt)
		memcpy(ph + 16, rt, 16);
	else
		addr_of(field(u, "dst"), 16, ph + 16);
	ph[32] = (uint8_t)(seglen >> 24);
	ph[33] = (uint8_t)(seglen >> 16);
	ph[34] = (uint8_t)(seglen >> 8);
	ph[35] = (uint8_t)seglen;
	ph[39] = nh;
	return true;
}

bool gn_l4_has_ip(const struct gn_layer *l)
{
	const struct gn_layer *u = gn_layer_below(l);

	if (u && is_ipv4(u))
		return true;
	while (u && is_ipv6_ext(u))
		u = gn_layer_below(u);
	return u && is_ipv6(u);
}

uint16_t gn_l4_csum(const struct gn_layer *l, const uint8_t *seg, size_t n, uint8_t proto)
{
	const struct gn_layer *below = gn_layer_below(l);
	uint8_t ph[40];
	uint32_t sum;

	if (!below)
		return 0;
	if (is_ipv4(below)) {
		if (in4_pseudo(below, n, proto, ph))
			return 0;
		sum = gn_csum_add(0, ph, 12);
	} else if (is_ipv6(below) || is_ipv6_ext(below)) {
		if (!in6_pseudo(below, n, proto, ph))
			return 0;
		sum = gn_csum_add(0, ph, 40);
	} else {
		/* no IP underneath: Scapy leaves the checksum at 0 */
		return 0;
	}
	return (uint16_t)~gn_csum_fold(gn_csum_add(sum, seg, n));
}

/* "NAME src:sport > dst:dport" (Scapy's "TCP %IP.src%:%TCP.sport% > ...",
 * IPv6 alike); without IP or IPv6 right below, the ports alone. */
void gn_l4_summary(const struct gn_layer *l, const char *name, unsigned sport, unsigned dport,
		   struct gn_strbuf *sb)
{
	const struct gn_layer *ip = gn_layer_below(l);
	int src = -1, dst = -1;

	if (ip && (is_ipv4(ip) || is_ipv6(ip))) {
		src = gn_layer_field_index(ip, "src");
		dst = gn_layer_field_index(ip, "dst");
	}
	gn_sb_puts(sb, name);
	gn_sb_putc(sb, ' ');
	if (src >= 0) {
		gn_format_field(ip, (unsigned)src, sb, GN_REPR_HUMAN);
		gn_sb_putc(sb, ':');
	}
	gn_format_field(l, sport, sb, GN_REPR_HUMAN);
	gn_sb_puts(sb, " > ");
	if (dst >= 0) {
		gn_format_field(ip, (unsigned)dst, sb, GN_REPR_HUMAN);
		gn_sb_putc(sb, ':');
	}
	gn_format_field(l, dport, sb, GN_REPR_HUMAN);
}
