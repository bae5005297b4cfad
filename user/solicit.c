// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Neighbour solicitation for the resolver.  The questions are ordinary
 * probes (Scapy's own getmacbyip is an srp1 of an ARP who-has), so the sr
 * engine sends them, retries the silent ones and pairs each is-at or
 * neighbour advertisement with its question.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "solicit.h"

static void mac_str(const uint8_t *m, char *buf, size_t n)
{
	snprintf(buf, n, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* The question for s, as a packet; its meta.ifindex says where it goes. */
static int question(const struct gn_solicit *s, struct gn_packet **out, struct gn_error *err)
{
	char text[512], me[18], tgt[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN];
	int rc;

	mac_str(s->our_mac, me, sizeof(me));
	inet_ntop(s->family, s->target, tgt, sizeof(tgt));
	inet_ntop(s->family, s->src, src, sizeof(src));
	if (s->family == AF_INET) {
		snprintf(text, sizeof(text),
			 "Ether(dst=\"ff:ff:ff:ff:ff:ff\",src=\"%s\")/"
			 "ARP(op=1,hwsrc=\"%s\",psrc=\"%s\",pdst=\"%s\")", me, me, src, tgt);
	} else {
		/* to the target's solicited-node group (RFC 4861 7.2.2) */
		uint8_t group[16] = { 0xff, 0x02, [11] = 0x01, [12] = 0xff };
		uint8_t gmac[6];
		char g[INET6_ADDRSTRLEN], gm[18];

		memcpy(group + 13, s->target + 13, 3);
		gn_mcast_mac(AF_INET6, group, gmac);
		inet_ntop(AF_INET6, group, g, sizeof(g));
		mac_str(gmac, gm, sizeof(gm));
		snprintf(text, sizeof(text),
			 "Ether(dst=\"%s\",src=\"%s\")/IPv6(src=\"%s\",dst=\"%s\",hlim=255)/"
			 "ICMPv6ND_NS(tgt=\"%s\")/ICMPv6NDOptSrcLLAddr(lladdr=\"%s\")",
			 gm, me, src, g, tgt, me);
	}
	rc = gn_parse(text, out, err);
	if (rc)
		return rc;
	(*out)->meta.ifindex = s->ifindex;
	return 0;
}

/* The link-layer address an answer gives: ARP's hwsrc; for NDP the target
 * link-layer address option, else the frame's source. */
static void answer_mac(const struct gn_packet *reply, uint8_t mac[6])
{
	const struct gn_layer *l = gn_packet_layer_by_name(reply, "ARP", 0);
	const char *field = "hwsrc";
	const struct gn_value *v;

	if (!l) {
		l = gn_packet_layer_by_name(reply, "ICMPv6NDOptDstLLAddr", 0);
		field = "lladdr";
	}
	if (!l) {
		l = gn_packet_layer_by_name(reply, "Ether", 0);
		field = "src";
	}
	v = l ? gn_layer_get(l, (unsigned)gn_layer_field_index(l, field)) : NULL;
	if (v && v->type == GN_V_ADDR && v->alen == 6)
		memcpy(mac, v->addr, 6);
}

/* The distinct interfaces of the questions, by name, for gn_io_open. */
static int iface_names(struct gn_netdb *db, const struct gn_solicit *s, size_t n,
		       const char **names, unsigned *count, struct gn_error *err)
{
	*count = 0;
	for (size_t i = 0; i < n; i++) {
		const struct gn_iface *ifc = gn_netdb_iface_by_index(db, s[i].ifindex);
		unsigned j;

		if (!ifc)
			return gn_error_set(err, -ENODEV, 0, "interface %d went away", s[i].ifindex);
		for (j = 0; j < *count && strcmp(names[j], ifc->name); j++)
			;
		if (j == *count)
			names[(*count)++] = ifc->name;
	}
	return 0;
}

int gn_solicit_run(struct gn_netdb *db, struct gn_solicit *s, size_t n, double timeout,
		   int retry, const volatile sig_atomic_t *stop, struct gn_error *err)
{
	struct gn_sr_opts so = { .sz = sizeof(so), .timeout = timeout, .retry = retry,
				 .stop_when_done = true, .stop = stop };
	struct gn_io_opts o = { .sz = sizeof(o), .rx = true, .tx = true,
				.filter = "arp or icmp6" };
	struct gn_packet **qs = calloc(n ? n : 1, sizeof(*qs));
	const char **names = calloc(n ? n : 1, sizeof(*names));
	struct gn_sr_result res = { 0 };
	struct gn_io *io = NULL;
	int rc = qs && names ? 0 : gn_error_set(err, -ENOMEM, 0, "out of memory");

	if (!rc)
		rc = iface_names(db, s, n, names, &o.nifaces, err);
	o.ifaces = names;
	for (size_t i = 0; !rc && i < n; i++)
		rc = question(&s[i], &qs[i], err);
	if (!rc)
		rc = gn_io_open(NULL, &o, &io, err);
	if (!rc)
		rc = gn_sr(io, qs, n, &so, &res, err);
	for (size_t k = 0; !rc && k < res.npairs; k++) {
		struct gn_solicit *a = &s[res.pairs[k].probe_index];

		if (!a->answered)
			answer_mac(res.pairs[k].reply, a->mac);
		a->answered = true;
	}
	gn_sr_result_free(&res);
	gn_io_close(io);
	for (size_t i = 0; qs && i < n; i++)
		gn_packet_free(qs[i]);
	free(qs);
	free(names);
	return rc;
}
