// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Steering rules: what the steer program (bpf/steer.bpf.c) takes into the
 * AF_XDP sockets of an xdp-backend io.  A rule is checked and compiled into
 * the program's form once (masks precomputed, ports as ranges), kept in the
 * io's set with a use count, and the whole set is rewritten into the idle
 * half of the rules map, which one word then makes live: the program never
 * reads a rule half written.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "io_xdp.h"
#include "xdp_attach.h"

#define KNOWN_FIELDS (GN_STEER_ETHERTYPE | GN_STEER_IP_PROTO | GN_STEER_SRC | GN_STEER_DST | \
		      GN_STEER_SPORT | GN_STEER_DPORT | GN_STEER_ICMP_TYPE | GN_STEER_ICMP_ID | \
		      GN_STEER_ESCP)

/* The public bits are the program's, one for one. */
_Static_assert(GN_STEER_ETHERTYPE == GN_SM_ETHERTYPE && GN_STEER_IP_PROTO == GN_SM_PROTO &&
	       GN_STEER_SRC == GN_SM_SRC && GN_STEER_DST == GN_SM_DST &&
	       GN_STEER_SPORT == GN_SM_SPORT && GN_STEER_DPORT == GN_SM_DPORT &&
	       GN_STEER_ICMP_TYPE == GN_SM_ICMP_TYPE && GN_STEER_ICMP_ID == GN_SM_ICMP_ID &&
	       GN_STEER_ESCP == GN_SM_ESCP, "GN_STEER_* and GN_SM_* differ");

/* A prefix as four network-order words and their mask. */
static int compile_prefix(const struct gn_steer_prefix *p, const char *which, uint32_t addr[4],
			  uint32_t mask[4], struct gn_error *err)
{
	unsigned bits = p->family == AF_INET ? 32 : 128;
	uint8_t m[16] = { 0 };

	if (p->family != AF_INET && p->family != AF_INET6)
		return gn_error_set(err, -EINVAL, 0,
				    "steer rule: %s address family %u is neither AF_INET nor AF_INET6",
				    which, p->family);
	if (p->len > bits)
		return gn_error_set(err, -EINVAL, 0, "steer rule: %s prefix /%u is longer than %u bits",
				    which, p->len, bits);
	for (unsigned i = 0; i < p->len; i++)
		m[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	memcpy(mask, m, 16);
	for (unsigned i = 0; i < 16; i++)
		m[i] &= p->addr[i];
	memcpy(addr, m, 16);
	return 0;
}

static int compile_ports(uint16_t lo, uint16_t hi, const char *which, uint16_t *out_lo,
			 uint16_t *out_hi, struct gn_error *err)
{
	if (!hi)
		hi = lo;
	if (hi < lo)
		return gn_error_set(err, -EINVAL, 0, "steer rule: %s range %u-%u ends before it starts",
				    which, lo, hi);
	*out_lo = lo;
	*out_hi = hi;
	return 0;
}

int gn_steer_compile(const struct gn_steer_rule *in, struct gn_sm_rule *out,
		     struct gn_error *err)
{
	uint32_t f = in->match;
	int rc = 0;

	/* Zeroed whole: rules are compared byte for byte (gn_io_steer_del). */
	memset(out, 0, sizeof(*out));
	if (f & ~KNOWN_FIELDS)
		return gn_error_set(err, -EINVAL, 0, "steer rule: unknown match bits 0x%x",
				    f & ~KNOWN_FIELDS);
	out->fields = f;
	if (f & GN_STEER_ETHERTYPE)
		out->ethertype = in->ethertype;
	if (f & GN_STEER_IP_PROTO)
		out->proto = in->ip_proto;
	if ((f & GN_STEER_SRC) && (f & GN_STEER_DST) && in->src.family != in->dst.family)
		return gn_error_set(err, -EINVAL, 0,
				    "steer rule: source and destination of different families");
	if (f & GN_STEER_SRC) {
		out->family = in->src.family == AF_INET ? 4 : 6;
		rc = compile_prefix(&in->src, "source", out->src, out->src_mask, err);
	}
	if (!rc && (f & GN_STEER_DST)) {
		out->family = in->dst.family == AF_INET ? 4 : 6;
		rc = compile_prefix(&in->dst, "destination", out->dst, out->dst_mask, err);
	}
	if (!rc && (f & GN_STEER_SPORT))
		rc = compile_ports(in->sport, in->sport_max, "source port", &out->sport_lo,
				   &out->sport_hi, err);
	if (!rc && (f & GN_STEER_DPORT))
		rc = compile_ports(in->dport, in->dport_max, "destination port", &out->dport_lo,
				   &out->dport_hi, err);
	if (f & GN_STEER_ICMP_TYPE)
		out->icmp_type = in->icmp_type;
	if (f & GN_STEER_ICMP_ID)
		out->icmp_id = in->icmp_id;
	return rc;
}

int gn_steer_push(const struct gn_steer_set *set, bool filter, int rules_fd, int ctl_fd)
{
	uint32_t zero = 0, ctl = 0, half, base;

	if (bpf_map_lookup_elem(ctl_fd, &zero, &ctl))
		return -errno;
	half = (ctl & GN_SM_CTL_HALF) ^ GN_SM_CTL_HALF;
	base = half ? GN_SM_MAX_RULES : 0;
	for (unsigned i = 0; i < set->n; i++) {
		uint32_t key = base + i;

		if (bpf_map_update_elem(rules_fd, &key, &set->rules[i], BPF_ANY))
			return -errno;
	}
	ctl = half | (filter ? GN_SM_CTL_FILTER : 0) | set->n;
	if (bpf_map_update_elem(ctl_fd, &zero, &ctl, BPF_ANY))
		return -errno;
	return 0;
}

int gn_steer_read_stats(int stats_fd, uint64_t out[GN_SM_NSTATS])
{
	memset(out, 0, GN_SM_NSTATS * sizeof(*out));
	return gn_xdp_percpu_add(stats_fd, GN_SM_NSTATS, out);
}

static struct gn_xdp *backend(struct gn_io *io, struct gn_error *err)
{
	struct gn_xdp *x = gn_io_xdp_backend(io);

	if (!x)
		gn_error_set(err, -EOPNOTSUPP, 0, "steering rules need the xdp backend");
	return x;
}

static int find(const struct gn_steer_set *set, const struct gn_sm_rule *r)
{
	for (unsigned i = 0; i < set->n; i++)
		if (!memcmp(&set->rules[i], r, sizeof(*r)))
			return (int)i;
	return -1;
}

int gn_io_steer_add(struct gn_io *io, const struct gn_steer_rule *r, struct gn_error *err)
{
	struct gn_xdp *x = backend(io, err);
	struct gn_steer_set *set;
	struct gn_sm_rule sr;
	int i, rc;

	if (!x)
		return -EOPNOTSUPP;
	rc = gn_steer_compile(r, &sr, err);
	if (rc)
		return rc;
	set = gn_xdp_rules(x);
	i = find(set, &sr);
	if (i >= 0) {
		set->refs[i]++;
		return 0;
	}
	if (set->n == GN_SM_MAX_RULES)
		return gn_error_set(err, -ENOSPC, 0, "steer rule: at most %d rules", GN_SM_MAX_RULES);
	set->rules[set->n] = sr;
	set->refs[set->n] = 1;
	set->n++;
	rc = gn_xdp_apply_rules(x, err);
	if (rc)
		set->n--;
	return rc;
}

/* Rule i goes: the last one takes its place (order does not matter: any
 * rule that matches takes the frame). */
static void drop_rule(struct gn_steer_set *set, unsigned i)
{
	set->n--;
	set->rules[i] = set->rules[set->n];
	set->refs[i] = set->refs[set->n];
}

int gn_io_steer_del(struct gn_io *io, const struct gn_steer_rule *r, struct gn_error *err)
{
	struct gn_xdp *x = backend(io, err);
	struct gn_steer_set *set;
	struct gn_sm_rule sr;
	int i, rc;

	if (!x)
		return -EOPNOTSUPP;
	rc = gn_steer_compile(r, &sr, err);
	if (rc)
		return rc;
	set = gn_xdp_rules(x);
	i = find(set, &sr);
	if (i < 0)
		return gn_error_set(err, -ENOENT, 0, "steer rule: no such rule");
	if (--set->refs[i])
		return 0;
	drop_rule(set, (unsigned)i);
	return gn_xdp_apply_rules(x, err);
}

int gn_io_steer_clear(struct gn_io *io, struct gn_error *err)
{
	struct gn_xdp *x = backend(io, err);

	if (!x)
		return -EOPNOTSUPP;
	gn_xdp_rules(x)->n = 0;
	return gn_xdp_apply_rules(x, err);
}
