// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Matching replies to IPv6 probes, as Scapy 2.5's inet6 does it: IPv6 and
 * IPerror6 hashret/answers, _ICMPv6.answers (the rule of every ICMPv6 message
 * without one of its own), and conf.checkIPaddr = False through
 * GN_MATCH_NO_IPADDR.
 *
 * The extension headers have no hooks: Scapy's Packet defaults (the
 * payload's hash; the same class, then the payloads) are gn_layer_hashret's
 * and gn_layer_answers'.  What IPv6 does about them is here: the next header
 * past a hop-by-hop, fragment, routing or destination options header, the
 * final destination of a routing header, the home address of a HAO.
 */
#include "protos.h"

/* Field positions in proto/ipv6.c's and proto/icmpv6.c's tables. */
enum { IP6_NH = 4, IP6_SRC = 6, IP6_DST = 7 };
enum { EXT_NH = 0, OPT_OPTIONS = 3, RT_TYPE = 2, RT_ADDRESSES = 5, HAO_HOA = 2 };
enum { IC_TYPE = 0, IC_CODE = 1 };

static const struct gn_layer *up(const struct gn_layer *l)
{
	return l ? gn_layer_above(l) : NULL;
}

static bool is_ipv6(const struct gn_layer *l)
{
	return l && (l->proto == &gn_proto_ipv6 || l->proto == &gn_proto_iperror6);
}

/* Scapy's _IPv6ExtHdr. */
static bool is_ext(const struct gn_layer *l)
{
	return l && (l->proto == &gn_proto_ipv6_hbh || l->proto == &gn_proto_ipv6_destopt ||
		     l->proto == &gn_proto_ipv6_routing || l->proto == &gn_proto_ipv6_frag);
}

/* A routing header of type 4 is Scapy's IPv6ExtHdrSegmentRouting, which
 * gannet reads as IPv6ExtHdrRouting (the same addresses when it carries no
 * TLV); Scapy's IPv6ExtHdrRouting is every other type. */
static bool is_routing(const struct gn_layer *l, bool segment_routing)
{
	return l && l->proto == &gn_proto_ipv6_routing &&
	       (gn_field_uint(l, RT_TYPE) == 4) == segment_routing;
}

/* Scapy's _ICMPv6: every message class (not the ND options). */
static bool is_icmpv6(const struct gn_layer *l)
{
	static const struct gn_proto *const msgs[] = {
		&gn_proto_icmpv6_unknown, &gn_proto_icmpv6_destunreach,
		&gn_proto_icmpv6_packettoobig, &gn_proto_icmpv6_timeexceeded,
		&gn_proto_icmpv6_paramproblem, &gn_proto_icmpv6_echo_request,
		&gn_proto_icmpv6_echo_reply, &gn_proto_icmpv6_mlquery, &gn_proto_icmpv6_mlreport,
		&gn_proto_icmpv6_mldone, &gn_proto_icmpv6_mlquery2, &gn_proto_icmpv6_mlreport2,
		&gn_proto_icmpv6_nd_rs, &gn_proto_icmpv6_nd_ra, &gn_proto_icmpv6_nd_ns,
		&gn_proto_icmpv6_nd_na, &gn_proto_icmpv6_nd_redirect,
	};

	if (!l)
		return false;
	for (size_t i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
		if (l->proto == msgs[i])
			return true;
	return false;
}

/* An ICMPv6 error (type below 128) right above l. */
static const struct gn_layer *icmpv6_error_above(const struct gn_layer *l)
{
	const struct gn_layer *icmp = up(l);

	if (gn_field_uint(l, IP6_NH) != 58 || !is_icmpv6(icmp) ||
	    gn_field_uint(icmp, IC_TYPE) >= 128)
		return NULL;
	return icmp;
}

static void addr6(const struct gn_value *v, uint8_t out[16])
{
	if (v->type == GN_V_ADDR && v->alen == 16)
		memcpy(out, v->addr, 16);
	else
		memset(out, 0, 16);
}

static void field_addr6(const struct gn_layer *l, unsigned i, uint8_t out[16])
{
	addr6(gn_layer_get(l, i), out);
}

static bool is_mcast(const uint8_t a[16])
{
	return a[0] == 0xff;
}

/* ff02::N */
static bool is_ll_group(const uint8_t a[16], uint8_t n)
{
	static const uint8_t ff02[15] = { 0xff, 0x02 };

	return !memcmp(a, ff02, 15) && a[15] == n;
}

/* ---- IPv6.hashret (IPerror6's too) ---------------------------------------- */

/* The last HAO among a destination options header's options, or NULL. */
static const struct gn_layer *last_hao(const struct gn_layer *destopt)
{
	const struct gn_value *opts = gn_layer_get(destopt, OPT_OPTIONS);
	const struct gn_layer *hao = NULL;

	for (uint32_t i = 0; opts->type == GN_V_LIST && i < opts->len; i++) {
		const struct gn_value *it = &opts->items[i];

		if (it->type == GN_V_PKT && it->pkt->n &&
		    it->pkt->layers[0].proto == &gn_proto_hbh_hao)
			hao = &it->pkt->layers[0];
	}
	return hao;
}

uint32_t gn_ipv6_hashret(const struct gn_layer *l)
{
	const struct gn_layer *payload = up(l);
	uint64_t nh = gn_field_uint(l, IP6_NH);
	uint8_t key[17], ss[16], sd[16];
	uint32_t rest;

	if (nh == 58 && is_icmpv6(payload)) {
		uint64_t t = gn_field_uint(payload, IC_TYPE);

		/* an error is about the packet it quotes */
		if (t < 128)
			return gn_layer_hashret(up(payload));
		/* ND and home agent discovery: multicast, no addresses */
		if (t == 133 || t == 134 || t == 135 || t == 136 || t == 144 || t == 145) {
			key[16] = 58;
			return gn_hash_bytes(gn_hash_bytes(0, key + 16, 1),
					     &(uint32_t){ gn_layer_hashret(payload) }, 4);
		}
	}
	key[16] = (uint8_t)nh;
	field_addr6(l, IP6_SRC, ss);
	field_addr6(l, IP6_DST, sd);
	if (nh == 43 && is_routing(payload, false)) {
		/* Scapy's reading: the last address of the list xored with every
		 * address of the list (::1 for an empty one) */
		const struct gn_value *a = gn_layer_get(payload, RT_ADDRESSES);
		uint32_t n = a->type == GN_V_LIST ? a->len : 0;

		key[16] = (uint8_t)gn_field_uint(payload, EXT_NH);
		if (n) {
			addr6(&a->items[n - 1], sd);
		} else {
			memset(sd, 0, 16);
			sd[15] = 1;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint8_t x[16];

			addr6(&a->items[i], x);
			for (int k = 0; k < 16; k++)
				sd[k] ^= x[k];
		}
	}
	if (nh == 43 && is_routing(payload, true)) {
		/* the final destination comes first */
		const struct gn_value *a = gn_layer_get(payload, RT_ADDRESSES);

		if (a->type == GN_V_LIST && a->len)
			addr6(&a->items[0], sd);
	}
	if ((nh == 44 && payload && payload->proto == &gn_proto_ipv6_frag) ||
	    (nh == 0 && payload && payload->proto == &gn_proto_ipv6_hbh))
		key[16] = (uint8_t)gn_field_uint(payload, EXT_NH);
	if (nh == 60 && payload && payload->proto == &gn_proto_ipv6_destopt) {
		const struct gn_layer *hao = last_hao(payload);

		if (hao) {
			key[16] = (uint8_t)gn_field_uint(payload, EXT_NH);
			field_addr6(hao, HAO_HOA, ss);
		}
	}
	rest = gn_layer_hashret(payload);
	if (gn_match_no_ipaddr(l, NULL) || is_mcast(sd))
		return gn_hash_bytes(gn_hash_bytes(0, key + 16, 1), &rest, 4);
	/* src ^ dst: the same for the probe and its reply */
	for (int k = 0; k < 16; k++)
		key[k] = sd[k] ^ ss[k];
	return gn_hash_bytes(gn_hash_bytes(0, key, 17), &rest, 4);
}

/* ---- IPv6.answers ---------------------------------------------------------- */

bool gn_ipv6_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	const struct gn_layer *rup, *pup, *icmp;
	uint64_t rnh, pnh;

	if (!is_ipv6(p))
		return false;
	rup = up(r);
	pup = up(p);
	if (!gn_match_no_ipaddr(r, p)) {
		uint8_t sd[16], os[16], od[16];

		field_addr6(r, IP6_DST, sd);
		field_addr6(p, IP6_SRC, os);
		field_addr6(p, IP6_DST, od);
		/* to a group: the reply goes back to the source, or to a group
		 * itself (the same one; all-nodes for all-routers) */
		if (is_mcast(od)) {
			if (is_mcast(sd)) {
				if (!memcmp(od, sd, 16) ||
				    (is_ll_group(sd, 1) && is_ll_group(od, 2)))
					return gn_layer_answers(rup, pup);
				return false;
			}
			return !memcmp(os, sd, 16) && gn_layer_answers(rup, pup);
		}
		/* not src == dst as well: an error comes from a router */
		if (memcmp(sd, os, 16))
			return false;
	}
	icmp = icmpv6_error_above(r);
	if (icmp) /* the quoted packet (IPerror6) answers the probe itself */
		return gn_layer_answers(up(icmp), p);
	/* the probe's extension headers, as Scapy walks them (the reply's
	 * payload answers the probe's hop-by-hop header itself) */
	pnh = gn_field_uint(p, IP6_NH);
	rnh = gn_field_uint(r, IP6_NH);
	if (pnh == 0 && pup && pup->proto == &gn_proto_ipv6_hbh)
		return gn_layer_answers(rup, pup);
	if ((pnh == 44 && pup && pup->proto == &gn_proto_ipv6_frag) ||
	    (pnh == 43 && pup && pup->proto == &gn_proto_ipv6_routing))
		return gn_layer_answers(rup, up(pup));
	if (pnh == 60 && pup && pup->proto == &gn_proto_ipv6_destopt)
		return gn_layer_answers(up(rup), up(pup));
	if (rnh == 60 && rup && rup->proto == &gn_proto_ipv6_destopt)
		return gn_layer_answers(up(rup), pup);
	return rnh == pnh && gn_layer_answers(rup, pup);
}

/* ---- IPerror6.answers ----------------------------------------------------- */

static bool is_tcp(const struct gn_layer *l)
{
	return l && (l->proto == &gn_proto_tcp || l->proto == &gn_proto_tcperror);
}

/* Layers l.. of l's packet (n of them, all the rest when n is 0), built
 * into *out from arena a.  The layers keep their packet, so what a hook
 * reads below or above them (an underlayer's pseudo-header) is still there. */
static int build_slice(const struct gn_layer *l, unsigned n, struct gn_arena *a, uint8_t **out,
		       size_t *len)
{
	struct gn_packet sub = *l->pkt;

	sub.layers = &l->pkt->layers[l->index];
	sub.n = sub.cap = n ? n : l->pkt->n - l->index;
	return gn_build(&sub, a, out, len);
}

/*
 * Scapy's raw(l): l and every layer above it, nothing for NoPayload.  A
 * layer read from bytes comes out as those bytes (Scapy's raw_packet_cache),
 * which building gives back except for a layer cut short by the end of a
 * quote: its fields past the cut would be built at their defaults, so its
 * header is cut at hdr_len, the bytes it was read from.  A layer with
 * hdr_len 0 was made, not read, and is built whole.
 */
static int raw_from(const struct gn_layer *l, struct gn_arena *a, uint8_t **out, size_t *len)
{
	unsigned n, k;
	size_t read = 0, *tail, pos = 0, at = 0;
	uint8_t *buf;
	int err;

	*out = NULL;
	*len = 0;
	if (!l)
		return 0;
	err = build_slice(l, 0, a, out, len);
	n = l->pkt->n - l->index;
	for (k = 0; k < n; k++)
		read += l[k].hdr_len;
	if (err || read == *len || !read)
		return err;
	/* tail[k]: bytes layers k.. take; layer k's header is tail[k] - tail[k + 1] */
	tail = gn_arena_alloc(a, (n + 1) * sizeof(*tail));
	if (!tail)
		return -ENOMEM;
	tail[0] = *len;
	tail[n] = 0;
	for (k = 1; k < n; k++) {
		err = build_slice(&l[k], 0, a, &buf, &tail[k]);
		if (err)
			return err;
	}
	for (k = 0; k < n; k++) {
		size_t hl = tail[k] >= tail[k + 1] ? tail[k] - tail[k + 1] : 0;
		size_t keep = l[k].hdr_len && l[k].hdr_len < hl ? l[k].hdr_len : hl;

		if (pos + keep > *len)
			keep = *len - pos;
		memmove(*out + at, *out + pos, keep);
		at += keep;
		pos += hl;
		if (pos > *len)
			break;
	}
	*len = at;
	return 0;
}

static bool same_prefix(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;

	return !n || !memcmp(a, b, n);
}

/* Scapy's selfup.options != otherup.options, the lists compared as the
 * bytes they build to (none for options never set: Scapy's default is the
 * empty list).  Each header is built alone: its options follow its 20
 * fixed bytes. */
static int tcp_options_differ(const struct gn_layer *x, const struct gn_layer *y,
			      struct gn_arena *a)
{
	uint8_t *bx, *by;
	size_t nx, ny;
	int err = build_slice(x, 1, a, &bx, &nx);

	if (!err)
		err = build_slice(y, 1, a, &by, &ny);
	if (err)
		return err;
	nx = nx > 20 ? nx - 20 : 0;
	ny = ny > 20 ? ny - 20 : 0;
	return nx != ny || (nx && memcmp(bx + 20, by + 20, nx));
}

/* l's copy in a copy of its packet, with no options, checksum 0 and data
 * offset 0: what Scapy compares when a middlebox clamped the MSS.  Changed,
 * it is no longer the bytes it was read from (hdr_len 0). */
static struct gn_packet *unclamped(const struct gn_layer *l, const struct gn_layer **out)
{
	static const struct gn_value empty = { .type = GN_V_LIST };
	struct gn_packet *c = gn_packet_copy(l->pkt);
	struct gn_layer *t;
	int opt;

	if (!c)
		return NULL;
	t = &c->layers[l->index];
	opt = gn_layer_field_index(t, "options");
	if (opt < 0 || gn_layer_set(t, (unsigned)opt, &empty) ||
	    gn_layer_set_uint(t, "chksum", 0) || gn_layer_set_uint(t, "dataofs", 0)) {
		gn_packet_free(c);
		return NULL;
	}
	t->hdr_len = 0;
	*out = t;
	return c;
}

/* The quoted upper layer, byte for byte, against the probe's, as far as the
 * shorter goes (a quote may be cut short). */
static bool quoted_matches(const struct gn_layer *selfup, const struct gn_layer *otherup)
{
	struct gn_arena *a = gn_arena_new(2048);
	struct gn_packet *cs = NULL, *co = NULL;
	uint8_t *s1, *s2;
	size_t n1, n2;
	bool ok = false;
	int err;

	if (!a)
		return false;
	if (is_tcp(selfup) && is_tcp(otherup)) {
		err = tcp_options_differ(selfup, otherup, a);
		if (err < 0)
			goto out;
		if (err) { /* seems clamped */
			cs = unclamped(selfup, &selfup);
			co = unclamped(otherup, &otherup);
			if (!cs || !co)
				goto out;
		}
	}
	if (!raw_from(selfup, a, &s1, &n1) && !raw_from(otherup, a, &s2, &n2))
		ok = same_prefix(s1, n1, s2, n2);
out:
	gn_packet_free(cs);
	gn_packet_free(co);
	gn_arena_free(a);
	return ok;
}

bool gn_iperror6_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	const struct gn_layer *below = gn_layer_below(r), *selfup, *otherup;
	uint8_t ss[16], sd[16], os[16], od[16];
	bool request_has_rh = false;

	if (!is_ipv6(p))
		return false;
	/* only as the quote of an ICMPv6 error */
	if (!is_icmpv6(below) || gn_field_uint(below, IC_TYPE) >= 128)
		return false;
	for (selfup = up(r); is_ext(selfup); selfup = up(selfup))
		;
	for (otherup = up(p); is_ext(otherup); otherup = up(otherup))
		if (is_routing(otherup, false))
			request_has_rh = true;
	field_addr6(r, IP6_SRC, ss);
	field_addr6(r, IP6_DST, sd);
	field_addr6(p, IP6_SRC, os);
	field_addr6(p, IP6_DST, od);
	/* the addresses are checked whatever checkIPaddr says; a routed
	 * probe's destination changed on the way */
	if (memcmp(ss, os, 16) || (memcmp(sd, od, 16) && !request_has_rh))
		return false;
	return quoted_matches(selfup, otherup);
}

/* ---- _ICMPv6.answers ------------------------------------------------------- */

/* A message answers only as the quote of an error or behind an extension
 * header, and then any message of its type and code. */
bool gn_icmpv6_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	const struct gn_layer *below = gn_layer_below(r);

	if (!below || !is_icmpv6(p))
		return false;
	if (below->proto != &gn_proto_iperror6 && !is_ext(below))
		return false;
	return gn_field_uint(r, IC_TYPE) == gn_field_uint(p, IC_TYPE) &&
	       gn_field_uint(r, IC_CODE) == gn_field_uint(p, IC_CODE);
}
