// SPDX-License-Identifier: LGPL-2.1-or-later
/* The source address the kernel gives a packet whose route names none
 * (no prefsrc): inet_select_addr() for IPv4, RFC 6724 as
 * ipv6_dev_get_saddr() applies it for IPv6. */
#include <errno.h>
#include <string.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>

#include "nl_db.h"

/* ---- IPv4 ------------------------------------------------------------------ */

static bool v4_in_subnet(const struct gn_ifaddr *a, const uint8_t *addr)
{
	return gn_nl_prefix_match(a->has_peer ? a->peer : a->addr, addr, a->prefixlen);
}

/* inet_select_addr(dev, dst, scope): on oif, the first primary address of
 * a scope at least as wide as the route's, preferring one whose subnet holds
 * dst (the gateway; NULL for an on-link route); failing that, the first
 * primary address of any interface that is neither link- nor narrower-scoped. */
int gn_nl_select_src4(const struct gn_netdb *db, int oif, const uint8_t *dst, uint8_t scope,
		      uint8_t *src)
{
	const struct gn_ifaddr *first = NULL;

	for (size_t i = 0; i < db->t.addrs.n; i++) {
		const struct gn_ifaddr *a = gn_nl_vec_at(&db->t.addrs, i);

		if (a->family != AF_INET || a->ifindex != oif || (a->flags & IFA_F_SECONDARY))
			continue;
		if (a->scope > scope)
			continue;
		if (!dst || v4_in_subnet(a, dst)) {
			first = a;
			break;
		}
		if (!first)
			first = a;
	}
	if (!first) {
		/* The kernel walks the interfaces in their list order, which
		 * is the order of the link dump. */
		for (size_t l = 0; l < db->t.links.n && !first; l++) {
			const struct gn_iface *it = gn_nl_vec_at(&db->t.links, l);

			for (size_t i = 0; i < db->t.addrs.n; i++) {
				const struct gn_ifaddr *a = gn_nl_vec_at(&db->t.addrs, i);

				if (a->family == AF_INET && a->ifindex == it->index &&
				    !(a->flags & IFA_F_SECONDARY) && a->scope != RT_SCOPE_LINK &&
				    a->scope <= scope) {
					first = a;
					break;
				}
			}
		}
	}
	if (!first)
		return -EADDRNOTAVAIL;
	memcpy(src, first->addr, 4);
	return 0;
}

/* ---- IPv6 ------------------------------------------------------------------ */

enum { SCOPE_LINK = 0x2, SCOPE_SITE = 0x5, SCOPE_GLOBAL = 0xe };

/* The kernel's __ipv6_addr_src_scope(): ::1 counts as link-local,
 * multicast says its own scope, everything else unicast is global. */
static int v6_scope(const uint8_t *a)
{
	static const uint8_t loopback[16] = { [15] = 1 };

	if (a[0] == 0xff)
		return a[1] & 0x0f;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return SCOPE_LINK;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return SCOPE_SITE;
	if (!memcmp(a, loopback, 16))
		return SCOPE_LINK;
	return SCOPE_GLOBAL;
}

/* ipv6_saddr_preferred(): v4-mapped, v4-compatible and loopback
 * addresses count as preferred whatever their flags. */
static bool v6_always_preferred(const uint8_t *a)
{
	static const uint8_t zero[12];

	if (memcmp(a, zero, 8))
		return false;
	return (a[8] == 0 && a[9] == 0 && a[10] == 0xff && a[11] == 0xff) ||
	       !memcmp(a + 8, zero, 4);
}

/* RFC 6724's default policy table, as the kernel sets it up (addrlabel.c). */
static unsigned v6_label(const uint8_t *a)
{
	static const struct { uint8_t prefix[16]; uint8_t len; uint8_t label; } tab[] = {
		{ { [15] = 1 }, 128, 0 },
		{ { [10] = 0xff, [11] = 0xff }, 96, 4 },
		{ { 0 }, 96, 3 },
		{ { 0x20, 0x01, 0x00, 0x10 }, 28, 7 },
		{ { 0x20, 0x01 }, 32, 6 },
		{ { 0x20, 0x02 }, 16, 2 },
		{ { 0x3f, 0xfe }, 16, 12 },
		{ { 0xfe, 0xc0 }, 10, 11 },
		{ { 0xfc }, 7, 5 },
		{ { 0 }, 0, 1 },
	};
	unsigned best = 1, best_len = 0;

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (tab[i].len >= best_len && gn_nl_prefix_match(tab[i].prefix, a, tab[i].len)) {
			best = tab[i].label;
			best_len = tab[i].len;
		}
	return best;
}

static int common_bits(const uint8_t *a, const uint8_t *b)
{
	int n = 0;

	for (int i = 0; i < 16; i++) {
		uint8_t x = a[i] ^ b[i];

		if (!x) {
			n += 8;
			continue;
		}
		while (!(x & 0x80)) {
			n++;
			x <<= 1;
		}
		break;
	}
	return n;
}

/* The score of a candidate under each rule, higher is better; compared
 * rule by rule, the first difference decides and a tie keeps the earlier. */
#define NRULES 7
static void v6_score(const struct gn_ifaddr *a, const uint8_t *dst, int dst_scope,
		     unsigned dst_label, int oif, int *s)
{
	int scope = v6_scope(a->addr), prefix = common_bits(a->addr, dst);

	s[0] = !memcmp(a->addr, dst, 16);                          /* 1: same address */
	s[1] = scope >= dst_scope ? -scope : scope - 128;          /* 2: scope */
	s[2] = v6_always_preferred(a->addr) ||
	       !(a->flags & (IFA_F_DEPRECATED | IFA_F_OPTIMISTIC));   /* 3: preferred */
	s[3] = !oif || a->ifindex == oif;                          /* 5: outgoing interface */
	s[4] = v6_label(a->addr) == dst_label;                     /* 6: label */
	s[5] = !(a->flags & IFA_F_TEMPORARY);                      /* 7: public first */
	s[6] = prefix > a->prefixlen ? a->prefixlen : prefix;      /* 8: longest match */
}

int gn_nl_select_src6(const struct gn_netdb *db, int oif, const uint8_t *dst, uint8_t *src)
{
	int dst_scope = v6_scope(dst), best_s[NRULES], s[NRULES];
	unsigned dst_label = v6_label(dst);
	const struct gn_ifaddr *best = NULL;
	/* Multicast and link-local destinations take an address of the
	 * outgoing interface; others any interface's, the outgoing one first
	 * by rule 5. */
	bool oif_only = oif && (dst[0] == 0xff || dst_scope <= SCOPE_LINK);

	for (size_t l = 0; l < db->t.links.n; l++) {
		const struct gn_iface *it = gn_nl_vec_at(&db->t.links, l);

		if (oif_only && it->index != oif)
			continue;
		for (size_t i = 0; i < db->t.addrs.n; i++) {
			const struct gn_ifaddr *a = gn_nl_vec_at(&db->t.addrs, i);
			static const uint8_t any[16];

			if (a->family != AF_INET6 || a->ifindex != it->index)
				continue;
			if ((a->flags & IFA_F_TENTATIVE) && !(a->flags & IFA_F_OPTIMISTIC))
				continue;
			if (a->addr[0] == 0xff || !memcmp(a->addr, any, 16))
				continue;
			v6_score(a, dst, dst_scope, dst_label, oif, s);
			if (!best) {
				best = a;
				memcpy(best_s, s, sizeof(s));
				continue;
			}
			for (int r = 0; r < NRULES; r++) {
				if (s[r] == best_s[r])
					continue;
				if (s[r] > best_s[r]) {
					best = a;
					memcpy(best_s, s, sizeof(s));
				}
				break;
			}
		}
	}
	if (!best)
		return -EADDRNOTAVAIL;
	memcpy(src, best->addr, 16);
	return 0;
}
