// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Steering the replies of sr's probes (gannet/xdp.h): before the first
 * probe leaves, rules that take every reply its probes can provoke — echo
 * replies with our ids, ICMP and ICMPv6 errors addressed to us, TCP and
 * UDP to our source ports, ARP and neighbour advertisements for our
 * addresses — so those replies reach gannet and never the local stack (no
 * RST from the kernel to the SYN-ACK of a scan).  Rules are kept few: one
 * per kind and source address, with the ports and ids of all probes folded
 * into one range; the backend holds at most 64.  On backends without
 * steering nothing happens.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sr_steer.h"

#define MAX_RULES 64

static const struct gn_value *field(const struct gn_layer *l, const char *name)
{
	int i = gn_layer_field_index(l, name);

	return i < 0 ? NULL : gn_layer_get(l, (unsigned)i);
}

static bool get_uint(const struct gn_layer *l, const char *name, uint64_t *out)
{
	const struct gn_value *v = field(l, name);

	if (!v || v->type != GN_V_INT)
		return false;
	*out = v->u;
	return true;
}

static bool get_prefix(const struct gn_layer *l, const char *name, struct gn_steer_prefix *p)
{
	const struct gn_value *v = field(l, name);

	if (!v || v->type != GN_V_ADDR || (v->alen != 4 && v->alen != 16))
		return false;
	memset(p, 0, sizeof(*p));
	p->family = v->alen == 4 ? AF_INET : AF_INET6;
	p->len = v->alen == 4 ? 32 : 128;
	memcpy(p->addr, v->addr, v->alen);
	return true;
}

/* Add r, or widen the port or id range of a rule that differs from it in
 * that range only. */
static int merge(struct gn_sr_steer *s, const struct gn_steer_rule *r)
{
	for (size_t i = 0; i < s->n; i++) {
		struct gn_steer_rule *o = &s->rules[i];
		struct gn_steer_rule a = *o, b = *r;

		a.dport = b.dport = 0;
		a.dport_max = b.dport_max = 0;
		if (memcmp(&a, &b, sizeof(a)))
			continue;
		if ((o->match & GN_STEER_DPORT)) {
			uint16_t lo = r->dport, hi = r->dport_max ? r->dport_max : r->dport;
			uint16_t olo = o->dport, ohi = o->dport_max ? o->dport_max : o->dport;

			o->dport = lo < olo ? lo : olo;
			o->dport_max = hi > ohi ? hi : ohi;
		}
		return 0;
	}
	if (s->n == MAX_RULES)
		return -ENOSPC;
	s->rules[s->n++] = *r;
	return 0;
}

/* The rules one probe needs: what can come back to its source. */
static int rules_for(struct gn_sr_steer *s, const struct gn_packet *p)
{
	struct gn_steer_rule base = { 0 }, r;
	const struct gn_layer *l3 = NULL, *l4 = NULL;
	uint64_t v;
	int rc = 0;

	for (unsigned i = 0; i < p->n && !l3; i++) {
		const char *name = p->layers[i].proto->name;

		if (!strcmp(name, "IP") || !strcmp(name, "IPv6") || !strcmp(name, "ARP"))
			l3 = &p->layers[i];
	}
	if (!l3)
		return 0;
	if (!strcmp(l3->proto->name, "ARP")) {
		/* is-at for the address we asked from */
		r = base;
		r.match = GN_STEER_ETHERTYPE | GN_STEER_DST;
		r.ethertype = 0x0806;
		return get_prefix(l3, "psrc", &r.dst) ? merge(s, &r) : 0;
	}
	if (!get_prefix(l3, "src", &base.dst))
		return 0;
	base.match = GN_STEER_DST;
	for (unsigned i = l3->index + 1; i < p->n && !l4; i++) {
		const char *name = p->layers[i].proto->name;

		if (!strcmp(name, "TCP") || !strcmp(name, "UDP") || !strncmp(name, "ICMP", 4))
			l4 = &p->layers[i];
	}
	if (base.dst.family == AF_INET) {
		/* ICMP errors to us, whatever they quote */
		static const uint8_t errors4[] = { 3, 4, 5, 11, 12 };

		for (size_t k = 0; !rc && k < sizeof(errors4); k++) {
			r = base;
			r.match |= GN_STEER_IP_PROTO | GN_STEER_ICMP_TYPE;
			r.ip_proto = IPPROTO_ICMP;
			r.icmp_type = errors4[k];
			rc = merge(s, &r);
		}
	} else {
		/* ICMPv6 errors, and neighbour advertisements to us */
		static const uint8_t errors6[] = { 1, 2, 3, 4, 136 };

		for (size_t k = 0; !rc && k < sizeof(errors6); k++) {
			r = base;
			r.match |= GN_STEER_IP_PROTO | GN_STEER_ICMP_TYPE;
			r.ip_proto = IPPROTO_ICMPV6;
			r.icmp_type = errors6[k];
			rc = merge(s, &r);
		}
	}
	if (rc || !l4)
		return rc;
	r = base;
	if (!strcmp(l4->proto->name, "TCP") || !strcmp(l4->proto->name, "UDP")) {
		r.match |= GN_STEER_IP_PROTO | GN_STEER_DPORT;
		r.ip_proto = !strcmp(l4->proto->name, "TCP") ? IPPROTO_TCP : IPPROTO_UDP;
		if (!get_uint(l4, "sport", &v))
			return 0;
		r.dport = (uint16_t)v;
		return merge(s, &r);
	}
	/* an echo request: the replies with its id */
	if (get_uint(l4, "type", &v) && (v == 8 || v == 128) && get_uint(l4, "id", &v)) {
		r.match |= GN_STEER_IP_PROTO | GN_STEER_ICMP_ID;
		r.ip_proto = base.dst.family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
		r.icmp_id = (uint16_t)v;
		return merge(s, &r);
	}
	return 0;
}

int gn_sr_steer_install(struct gn_io *io, struct gn_packet *const *probes, size_t n,
			struct gn_sr_steer *s, struct gn_error *err)
{
	struct gn_error e = { 0 };
	int rc = 0;

	struct gn_io_xdp_info xi;

	memset(s, 0, sizeof(*s));
	/* not a steering backend: nothing to do (and nothing to work out) */
	if (gn_io_xdp_info(io, 0, &xi) == -EOPNOTSUPP)
		return 0;
	s->rules = calloc(MAX_RULES, sizeof(*s->rules));
	if (!s->rules)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	for (size_t i = 0; !rc && i < n; i++)
		rc = rules_for(s, probes[i]);
	if (rc == -ENOSPC)
		return gn_error_set(err, rc, 0,
				    "the probes' replies need more than %d steering rules (too "
				    "many source addresses or ICMP ids): use the afpacket backend",
				    MAX_RULES);
	for (size_t i = 0; i < s->n; i++) {
		rc = gn_io_steer_add(io, &s->rules[i], &e);
		if (rc == -EOPNOTSUPP && i == 0) {
			s->n = 0;  /* not a steering backend: nothing to do */
			return 0;
		}
		if (rc < 0) {
			s->installed = i;
			gn_sr_steer_remove(io, s);
			return gn_error_set(err, rc, 0, "steering the replies: %s", e.msg);
		}
	}
	s->installed = s->n;
	return 0;
}

void gn_sr_steer_remove(struct gn_io *io, struct gn_sr_steer *s)
{
	for (size_t i = 0; i < s->installed; i++)
		gn_io_steer_del(io, &s->rules[i], NULL);
	free(s->rules);
	memset(s, 0, sizeof(*s));
}
