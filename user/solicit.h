/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Neighbour solicitation (private to the resolver): ARP who-has for IPv4,
 * NDP neighbour solicitation for IPv6, every target at once through the sr
 * engine, so a hundred silent next hops cost one timeout, not a hundred.
 */
#ifndef GANNET_SOLICIT_H
#define GANNET_SOLICIT_H

#include <gannet/gannet.h>

struct gn_solicit {
	int family;          /* AF_INET, AF_INET6 */
	int ifindex;
	uint8_t target[16];  /* the next hop */
	uint8_t src[16];     /* our address to ask from */
	uint8_t our_mac[6];
	bool answered;       /* filled in: */
	uint8_t mac[6];      /* the target's link-layer address */
};

/* Ask for every s[i] on its interface; s[i].answered and .mac say what came.
 * Returns 0 (some may be unanswered), or -errno when asking was impossible. */
int gn_solicit_run(struct gn_netdb *db, struct gn_solicit *s, size_t n, double timeout,
		   int retry, const volatile sig_atomic_t *stop, struct gn_error *err);

#endif
