// SPDX-License-Identifier: LGPL-2.1-or-later
/* UDP, and UDPerror, the UDP header quoted inside an ICMP error. */
#include <errno.h>

#include "protos.h"

enum { F_SPORT, F_DPORT, F_LEN, F_CHKSUM };

static const struct gn_field udp_fields[] = {
	GN_ENUM_DYN("sport", 16, 53, &gn_udp_services),
	GN_ENUM_DYN("dport", 16, 53, &gn_udp_services),
	GN_AUTO("len", 16),
	GN_XAUTO("chksum", 16),
};

static int udp_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			  size_t hdr_len, size_t total_len)
{
	(void)c;
	if (hdr_len < 8)
		return 0;
	if (gn_layer_get(l, F_LEN)->type == GN_V_NONE) {
		if (total_len > 0xffff)
			return -EMSGSIZE; /* Scapy's struct.pack("!H") refuses too */
		hdr[4] = (uint8_t)(total_len >> 8);
		hdr[5] = (uint8_t)total_len;
	}
	if (gn_layer_get(l, F_CHKSUM)->type == GN_V_NONE) {
		uint16_t ck;

		hdr[6] = hdr[7] = 0;
		ck = gn_l4_csum(l, hdr, total_len, 17);
		/* RFC 768: a computed 0 is sent as 0xffff; with no IP below
		 * Scapy leaves the field at 0 */
		if (ck == 0 && gn_l4_has_ip(l))
			ck = 0xffff;
		hdr[6] = (uint8_t)(ck >> 8);
		hdr[7] = (uint8_t)ck;
	}
	return 0;
}

/* Scapy's UDP.extract_padding: s[:len - 8], Python slicing included (a
 * length under 8 counts from the end). */
static size_t udp_payload_len(const struct gn_layer *l, size_t avail)
{
	long n = (long)gn_field_uint(l, F_LEN) - 8;

	if (n < 0)
		n += (long)avail;
	if (n < 0)
		return 0;
	return (size_t)n < avail ? (size_t)n : avail;
}

/* "UDP %IP.src%:%UDP.sport% > %IP.dst%:%UDP.dport%" (IPv6 alike) */
static bool udp_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	gn_l4_summary(l, "UDP", F_SPORT, F_DPORT, sb);
	return true;
}

/* ---- matching replies to probes (Scapy's hashret and answers) ------------- */

static bool is_udp(const struct gn_layer *l)
{
	return l && (l->proto == &gn_proto_udp || l->proto == &gn_proto_udperror);
}

/* Scapy hashes no port here: the payload's hash alone. */
static uint32_t udp_hashret(const struct gn_layer *l)
{
	return gn_layer_hashret(gn_layer_above(l));
}

static bool udp_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	if (!is_udp(p) || gn_field_uint(r, F_DPORT) != gn_field_uint(p, F_SPORT))
		return false;
	return gn_layer_answers(gn_layer_above(r), gn_layer_above(p));
}

/* The quoted UDP header carries the probe's own ports. */
static bool udperror_answers(const struct gn_layer *r, const struct gn_layer *p)
{
	return is_udp(p) && gn_field_uint(r, F_SPORT) == gn_field_uint(p, F_SPORT) &&
	       gn_field_uint(r, F_DPORT) == gn_field_uint(p, F_DPORT);
}

/* UDPerror is the same header quoted in an ICMP error: no summary, its own
 * answers. */
#define UDP_CLASS(nm, longnm)                                                 \
	.name = nm, .long_name = longnm,                                      \
	.fields = udp_fields, .nfields = F_CHKSUM + 1,                        \
	.post_build = udp_post_build, .payload_len = udp_payload_len,         \
	.hashret = udp_hashret

const struct gn_proto gn_proto_udp = {
	UDP_CLASS("UDP", "UDP"),
	.summary = udp_summary,
	.answers = udp_answers,
};

const struct gn_proto gn_proto_udperror = {
	UDP_CLASS("UDPerror", "UDP in ICMP"),
	.answers = udperror_answers,
};

void gn_bind_l4(const struct gn_proto *lower, const struct gn_proto *upper, const char *cond,
		unsigned how)
{
	gn_bind(lower, upper, cond, how);
	gn_bind(lower == &gn_proto_tcp ? &gn_proto_tcperror : &gn_proto_udperror, upper, cond,
		GN_BIND_DISSECT);
}

void gn_proto_udp_register(void)
{
	gn_proto_register(&gn_proto_udp);
	gn_proto_register(&gn_proto_udperror);
	gn_bind(&gn_proto_ip, &gn_proto_udp, "frag=0,proto=17", GN_BIND_BOTH);
	gn_bind(&gn_proto_iperror, &gn_proto_udperror, "frag=0,proto=17", GN_BIND_BOTH);
}
