/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What sending decides for a packet, as Scapy's send/sr and its dynamic
 * defaults do: the route picks the interface and the next hop; the unset
 * fields are filled from them (IP/IPv6 source from the route, Ether source
 * from the interface, Ether destination from the neighbour table, ARP
 * hwsrc/psrc from the interface); neighbours missing from the kernel's
 * table are solicited (ARP who-has, NDP neighbour solicitation), all of
 * them at once, with a timeout and a clear error when nobody answers.
 */
#ifndef GANNET_RESOLVE_H
#define GANNET_RESOLVE_H

#include <signal.h>

#include <gannet/netlink.h>
#include <gannet/packet.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_resolver;

struct gn_resolver_opts {
	size_t sz;           /* sizeof(struct gn_resolver_opts) */
	const char *iface;   /* send out of this interface whatever the route says
			      * (Scapy's iface=); NULL: the route's */
	double timeout;      /* seconds to wait for each round of solicitations; <= 0: 1 */
	int retry;           /* rounds after the first for the silent ones; < 0: 2 */
	const volatile sig_atomic_t *stop;  /* Ctrl-C while soliciting */
	/* Called for every packet that cannot be filled (no route, next hop
	 * silent, ...), with e saying why; may be NULL. */
	void (*on_error)(void *ctx, size_t index, const struct gn_error *e);
	void *ctx;
	/* Scapy's way at layer 2 (sendp, srp): a next hop that does not answer
	 * gives the broadcast address (ff:ff:ff:ff:ff:ff) instead of an error,
	 * and on_warning says so; may be NULL. */
	bool broadcast_unresolved;
	void (*on_warning)(void *ctx, size_t index, const struct gn_error *e);
};

/* db stays the caller's and must outlive the resolver. */
int gn_resolver_new(struct gn_netdb *db, const struct gn_resolver_opts *opts,
		    struct gn_resolver **out, struct gn_error *err);
void gn_resolver_free(struct gn_resolver *r);

/* Put the link layer under layer-3 packets (Scapy's send/sr): Ether on
 * Ethernet and loopback interfaces, nothing on raw-IP links (tun). */
#define GN_FILL_ADD_L2 0x1u

/*
 * Fill the unset fields of ps[0..n) for sending, and set each one's
 * meta.ifindex to the interface it leaves by.  With GN_FILL_ADD_L2 a packet
 * gains its link layer underneath, in place (pointers to its layers taken
 * before are stale).  Packets that cannot be filled get status[i] < 0 (status may be
 * NULL) and opts.on_error; the others are filled all the same.
 * Returns how many failed (0: all filled), or a negative errno when the
 * resolution itself could not run (err says why).
 */
int gn_resolver_fill(struct gn_resolver *r, struct gn_packet **ps, size_t n, unsigned flags,
		     int *status, struct gn_error *err);

/* The link-layer address for an IPv4/IPv6 multicast group (01:00:5e:...,
 * 33:33:...). */
void gn_mcast_mac(int family, const uint8_t *addr, uint8_t mac[6]);

#ifdef __cplusplus
}
#endif
#endif
