// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861), as Scapy 2.5's
 * inet6 has them.  Each message type is its own class, picked by the type
 * byte (Scapy's icmp6typescls); errors carry the offending packet as
 * IPerror6; ND options are not a list field but the layers that follow the
 * ND message, one after the other, each picked by its type byte.
 */
#include <errno.h>
#include <string.h>

#include "protos.h"

/* ---- names --------------------------------------------------------------- */

static const struct gn_enum icmp6types[] = {
	{ 1, "Destination unreachable" },
	{ 2, "Packet too big" },
	{ 3, "Time exceeded" },
	{ 4, "Parameter problem" },
	{ 100, "Private Experimentation" },
	{ 101, "Private Experimentation" },
	{ 128, "Echo Request" },
	{ 129, "Echo Reply" },
	{ 130, "MLD Query" },
	{ 131, "MLD Report" },
	{ 132, "MLD Done" },
	{ 133, "Router Solicitation" },
	{ 134, "Router Advertisement" },
	{ 135, "Neighbor Solicitation" },
	{ 136, "Neighbor Advertisement" },
	{ 137, "Redirect Message" },
	{ 138, "Router Renumbering" },
	{ 139, "ICMP Node Information Query" },
	{ 140, "ICMP Node Information Response" },
	{ 141, "Inverse Neighbor Discovery Solicitation Message" },
	{ 142, "Inverse Neighbor Discovery Advertisement Message" },
	{ 143, "MLD Report Version 2" },
	{ 144, "Home Agent Address Discovery Request Message" },
	{ 145, "Home Agent Address Discovery Reply Message" },
	{ 146, "Mobile Prefix Solicitation" },
	{ 147, "Mobile Prefix Advertisement" },
	{ 148, "Certification Path Solicitation" },
	{ 149, "Certification Path Advertisement" },
	{ 151, "Multicast Router Advertisement" },
	{ 152, "Multicast Router Solicitation" },
	{ 153, "Multicast Router Termination" },
	{ 155, "RPL Control Message" },
	{ 200, "Private Experimentation" },
	{ 201, "Private Experimentation" },
	{ 0, NULL },
};

static const struct gn_enum unreach_codes[] = {
	{ 0, "No route to destination" },
	{ 1, "Communication with destination administratively prohibited" },
	{ 2, "Beyond scope of source address" },
	{ 3, "Address unreachable" },
	{ 4, "Port unreachable" },
	{ 0, NULL },
};

static const struct gn_enum timeexceeded_codes[] = {
	{ 0, "hop limit exceeded in transit" },
	{ 1, "fragment reassembly time exceeded" },
	{ 0, NULL },
};

static const struct gn_enum paramproblem_codes[] = {
	{ 0, "erroneous header field encountered" },
	{ 1, "unrecognized Next Header type encountered" },
	{ 2, "unrecognized IPv6 option encountered" },
	{ 3, "first fragment has incomplete header chain" },
	{ 0, NULL },
};

static const struct gn_enum ra_prefs[] = {
	{ 0, "Medium (default)" },
	{ 1, "High" },
	{ 2, "Reserved" },
	{ 3, "Low" },
	{ 0, NULL },
};

/* ---- shared hooks ---------------------------------------------------------- */

enum { IC_TYPE, IC_CODE, IC_CKSUM };

static bool unset(const struct gn_layer *l, unsigned i)
{
	return gn_layer_get(l, i)->type == GN_V_NONE;
}

/* Scapy's _ICMPv6.post_build: the checksum over the pseudo-header of the
 * IPv6 header below (final destination of a routing header, home address
 * of a HAO), the message and everything after it. */
static int icmpv6_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			     size_t hdr_len, size_t total_len)
{
	(void)c;
	if (hdr_len >= 4 && unset(l, IC_CKSUM)) {
		uint16_t sum = gn_l4_csum(l, hdr, total_len, 58);

		hdr[2] = (uint8_t)(sum >> 8);
		hdr[3] = (uint8_t)sum;
	}
	return 0;
}

/* Scapy's sprintf("%name%"): the long name. */
static void put_name(const struct gn_layer *l, struct gn_strbuf *sb)
{
	gn_sb_puts(sb, l->proto->long_name ? l->proto->long_name : l->proto->name);
}

/* Appends " <label><field as shown>" for each label/field pair. */
static void put_fields(const struct gn_layer *l, struct gn_strbuf *sb, const char *const *labels,
		       const unsigned *idx, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		gn_sb_puts(sb, labels[i]);
		gn_format_field(l, idx[i], sb, GN_REPR_HUMAN);
	}
}

/* An error message quotes as much of the offending packet as fits. */
static const struct gn_proto *error_guess(const struct gn_layer *l, const uint8_t *p, size_t len)
{
	(void)l;
	(void)p;
	(void)len;
	return &gn_proto_iperror6;
}

/* What follows an ND message or option is the next option, by its type
 * byte (Scapy's _ICMPv6NDGuessPayload); a type Scapy does not know is Raw. */
static const struct gn_proto *ndopt_guess(const struct gn_layer *l, const uint8_t *p, size_t len)
{
	(void)l;
	if (len <= 1)
		return &gn_proto_raw;
	switch (p[0]) {
	case 1:  return &gn_proto_icmpv6_ndopt_srclladdr;
	case 2:  return &gn_proto_icmpv6_ndopt_dstlladdr;
	case 3:  return &gn_proto_icmpv6_ndopt_prefixinfo;
	case 5:  return &gn_proto_icmpv6_ndopt_mtu;
	case 25: return &gn_proto_icmpv6_ndopt_rdnss;
	}
	return &gn_proto_raw;
}

#define ICMP6_HEAD(t, code_field)                                                 \
	GN_ENUM("type", 8, t, icmp6types),                                        \
	code_field,                                                               \
	GN_XAUTO("cksum", 16)

/* ---- fallback -------------------------------------------------------------- */

static const struct gn_field unknown_fields[] = {
	ICMP6_HEAD(1, GN_BYTE("code", 0)),
	GN_REST("msgbody", ""),
};

const struct gn_proto gn_proto_icmpv6_unknown = {
	.name = "ICMPv6Unknown",
	.long_name = "Scapy6 ICMPv6 fallback class",
	.fields = unknown_fields,
	.nfields = 4,
	.post_build = icmpv6_post_build,
};

/* ---- errors (RFC 4443 section 3) --------------------------------------------- */

static const struct gn_field destunreach_fields[] = {
	ICMP6_HEAD(1, GN_ENUM("code", 8, 0, unreach_codes)),
	GN_BYTE("length", 0),
	GN_XBITS("unused", 24, 0),
};

static const struct gn_field packettoobig_fields[] = {
	ICMP6_HEAD(2, GN_BYTE("code", 0)),
	GN_INT("mtu", 1280),
};

static const struct gn_field timeexceeded_fields[] = {
	ICMP6_HEAD(3, GN_ENUM("code", 8, 0, timeexceeded_codes)),
	GN_BYTE("length", 0),
	GN_XBITS("unused", 24, 0),
};

static const struct gn_field paramproblem_fields[] = {
	ICMP6_HEAD(4, GN_ENUM("code", 8, 0, paramproblem_codes)),
	/* points at the next header field of the quoted packet */
	GN_INT("ptr", 6),
};

const struct gn_proto gn_proto_icmpv6_destunreach = {
	.name = "ICMPv6DestUnreach",
	.long_name = "ICMPv6 Destination Unreachable",
	.fields = destunreach_fields,
	.nfields = 5,
	.post_build = icmpv6_post_build,
	.guess_payload = error_guess,
};

const struct gn_proto gn_proto_icmpv6_packettoobig = {
	.name = "ICMPv6PacketTooBig",
	.long_name = "ICMPv6 Packet Too Big",
	.fields = packettoobig_fields,
	.nfields = 4,
	.post_build = icmpv6_post_build,
	.guess_payload = error_guess,
};

const struct gn_proto gn_proto_icmpv6_timeexceeded = {
	.name = "ICMPv6TimeExceeded",
	.long_name = "ICMPv6 Time Exceeded",
	.fields = timeexceeded_fields,
	.nfields = 5,
	.post_build = icmpv6_post_build,
	.guess_payload = error_guess,
};

const struct gn_proto gn_proto_icmpv6_paramproblem = {
	.name = "ICMPv6ParamProblem",
	.long_name = "ICMPv6 Parameter Problem",
	.fields = paramproblem_fields,
	.nfields = 4,
	.post_build = icmpv6_post_build,
	.guess_payload = error_guess,
};

/* ---- echo (RFC 4443 section 4) ------------------------------------------------ */

enum { EC_ID = 3, EC_SEQ, EC_DATA };

static const struct gn_field echo_request_fields[] = {
	ICMP6_HEAD(128, GN_BYTE("code", 0)),
	GN_XSHORT("id", 0),
	GN_XSHORT("seq", 0),
	GN_REST("data", ""),
};

static const struct gn_field echo_reply_fields[] = {
	ICMP6_HEAD(129, GN_BYTE("code", 0)),
	GN_XSHORT("id", 0),
	GN_XSHORT("seq", 0),
	GN_REST("data", ""),
};

static bool echo_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	static const char *const labels[] = { " (id: ", " seq: " };
	static const unsigned idx[] = { EC_ID, EC_SEQ };

	put_name(l, sb);
	put_fields(l, sb, labels, idx, 2);
	gn_sb_putc(sb, ')');
	return true;
}

static uint32_t echo_hashret(const struct gn_layer *l)
{
	return (uint32_t)(gn_field_uint(l, EC_ID) << 16 | gn_field_uint(l, EC_SEQ));
}

static bool same_bytes(const struct gn_value *a, const struct gn_value *b)
{
	uint32_t na = a->type == GN_V_BYTES ? a->len : 0;
	uint32_t nb = b->type == GN_V_BYTES ? b->len : 0;

	return na == nb && (!na || !memcmp(a->bytes, b->bytes, na));
}

/* Scapy's ICMPv6EchoReply.answers: same id, seq and data. */
static bool echo_reply_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	return probe->proto == &gn_proto_icmpv6_echo_request &&
	       gn_field_uint(reply, EC_ID) == gn_field_uint(probe, EC_ID) &&
	       gn_field_uint(reply, EC_SEQ) == gn_field_uint(probe, EC_SEQ) &&
	       same_bytes(gn_layer_get(reply, EC_DATA), gn_layer_get(probe, EC_DATA));
}

const struct gn_proto gn_proto_icmpv6_echo_request = {
	.name = "ICMPv6EchoRequest",
	.long_name = "ICMPv6 Echo Request",
	.fields = echo_request_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
	.summary = echo_summary,
	.hashret = echo_hashret,
};

const struct gn_proto gn_proto_icmpv6_echo_reply = {
	.name = "ICMPv6EchoReply",
	.long_name = "ICMPv6 Echo Reply",
	.fields = echo_reply_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
	.summary = echo_summary,
	.hashret = echo_hashret,
	.answers = echo_reply_answers,
};

/* ---- neighbor discovery (RFC 4861 section 4) ---------------------------------- */

static const struct gn_field nd_rs_fields[] = {
	ICMP6_HEAD(133, GN_BYTE("code", 0)),
	GN_INT("res", 0),
};

enum { RA_CHLIM = 3, RA_M, RA_O, RA_H, RA_PRF, RA_P, RA_RES, RA_LIFETIME };

static const struct gn_field nd_ra_fields[] = {
	ICMP6_HEAD(134, GN_BYTE("code", 0)),
	GN_BYTE("chlim", 0),
	GN_BITS("M", 1, 0),
	GN_BITS("O", 1, 0),
	GN_BITS("H", 1, 0),
	GN_ENUM("prf", 2, 1, ra_prefs),  /* RFC 4191 */
	GN_BITS("P", 1, 0),
	GN_BITS("res", 2, 0),
	GN_SHORT("routerlifetime", 1800),
	GN_INT("reachabletime", 0),
	GN_INT("retranstimer", 0),
};

static bool nd_ra_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	static const char *const labels[] = {
		" Lifetime ", " Hop Limit ", " Preference ", " Managed ", " Other ", " Home ",
	};
	static const unsigned idx[] = { RA_LIFETIME, RA_CHLIM, RA_PRF, RA_M, RA_O, RA_H };

	put_name(l, sb);
	put_fields(l, sb, labels, idx, 6);
	return true;
}

/* Scapy's ICMPv6ND_RA.answers: any advertisement answers a solicitation. */
static bool nd_ra_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	(void)reply;
	return probe->proto == &gn_proto_icmpv6_nd_rs;
}

enum { ND_RES = 3, ND_TGT };

static const struct gn_field nd_ns_fields[] = {
	ICMP6_HEAD(135, GN_BYTE("code", 0)),
	GN_INT("res", 0),
	GN_IPV6("tgt", "::"),
};

enum { NA_R = 3, NA_S, NA_O, NA_RES, NA_TGT };

static const struct gn_field nd_na_fields[] = {
	ICMP6_HEAD(136, GN_BYTE("code", 0)),
	GN_BITS("R", 1, 1),
	GN_BITS("S", 1, 0),
	GN_BITS("O", 1, 1),
	GN_XBITS("res", 29, 0),
	GN_IPV6("tgt", "::"),
};

static bool tgt_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	put_name(l, sb);
	gn_sb_puts(sb, " (tgt: ");
	gn_format_field(l, l->proto == &gn_proto_icmpv6_nd_na ? NA_TGT : ND_TGT, sb,
			GN_REPR_HUMAN);
	gn_sb_putc(sb, ')');
	return true;
}

static uint32_t tgt_hashret(const struct gn_layer *l)
{
	const struct gn_value *v =
		gn_layer_get(l, l->proto == &gn_proto_icmpv6_nd_na ? NA_TGT : ND_TGT);
	uint32_t h = 0;

	for (unsigned i = 0; v->type == GN_V_ADDR && i < v->alen; i++)
		h = h * 31 + v->addr[i];
	return h;
}

/* Scapy's ICMPv6ND_NA.answers: an advertisement for the solicited target. */
static bool nd_na_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	const struct gn_value *a, *b;

	if (probe->proto != &gn_proto_icmpv6_nd_ns)
		return false;
	a = gn_layer_get(reply, NA_TGT);
	b = gn_layer_get(probe, ND_TGT);
	return a->type == GN_V_ADDR && b->type == GN_V_ADDR && !memcmp(a->addr, b->addr, 16);
}

static const struct gn_field nd_redirect_fields[] = {
	ICMP6_HEAD(137, GN_BYTE("code", 0)),
	GN_XINT("res", 0),
	GN_IPV6("tgt", "::"),
	GN_IPV6("dst", "::"),
};

const struct gn_proto gn_proto_icmpv6_nd_rs = {
	.name = "ICMPv6ND_RS",
	.long_name = "ICMPv6 Neighbor Discovery - Router Solicitation",
	.fields = nd_rs_fields,
	.nfields = 4,
	.post_build = icmpv6_post_build,
	.guess_payload = ndopt_guess,
};

const struct gn_proto gn_proto_icmpv6_nd_ra = {
	.name = "ICMPv6ND_RA",
	.long_name = "ICMPv6 Neighbor Discovery - Router Advertisement",
	.fields = nd_ra_fields,
	.nfields = 13,
	.post_build = icmpv6_post_build,
	.guess_payload = ndopt_guess,
	.summary = nd_ra_summary,
	.answers = nd_ra_answers,
};

const struct gn_proto gn_proto_icmpv6_nd_ns = {
	.name = "ICMPv6ND_NS",
	.long_name = "ICMPv6 Neighbor Discovery - Neighbor Solicitation",
	.fields = nd_ns_fields,
	.nfields = 5,
	.post_build = icmpv6_post_build,
	.guess_payload = ndopt_guess,
	.summary = tgt_summary,
	.hashret = tgt_hashret,
};

const struct gn_proto gn_proto_icmpv6_nd_na = {
	.name = "ICMPv6ND_NA",
	.long_name = "ICMPv6 Neighbor Discovery - Neighbor Advertisement",
	.fields = nd_na_fields,
	.nfields = 8,
	.post_build = icmpv6_post_build,
	.guess_payload = ndopt_guess,
	.summary = tgt_summary,
	.hashret = tgt_hashret,
	.answers = nd_na_answers,
};

const struct gn_proto gn_proto_icmpv6_nd_redirect = {
	.name = "ICMPv6ND_Redirect",
	.long_name = "ICMPv6 Neighbor Discovery - Redirect",
	.fields = nd_redirect_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
	.guess_payload = ndopt_guess,
};

/* ---- multicast listener discovery (RFC 2710, RFC 3810) ----------------------- */

static const struct gn_field mlquery_fields[] = {
	ICMP6_HEAD(130, GN_BYTE("code", 0)),
	GN_SHORT("mrd", 10000),
	GN_SHORT("reserved", 0),
	GN_IPV6("mladdr", "::"),
};

static const struct gn_field mlreport_fields[] = {
	ICMP6_HEAD(131, GN_BYTE("code", 0)),
	GN_SHORT("mrd", 0),
	GN_SHORT("reserved", 0),
	GN_IPV6("mladdr", "::"),
};

static const struct gn_field mldone_fields[] = {
	ICMP6_HEAD(132, GN_BYTE("code", 0)),
	GN_SHORT("mrd", 0),
	GN_SHORT("reserved", 0),
	GN_IPV6("mladdr", "::"),
};

enum { MQ2_SOURCES_NUMBER = 10, MQ2_SOURCES };

static long mlquery2_sources_length(const struct gn_layer *l, size_t avail)
{
	(void)avail;
	return 16 * (long)gn_field_uint(l, MQ2_SOURCES_NUMBER);
}

static const struct gn_field mlquery2_fields[] = {
	ICMP6_HEAD(130, GN_BYTE("code", 0)),
	GN_SHORT("mrd", 10000),
	GN_SHORT("reserved", 0),
	GN_IPV6("mladdr", "::"),
	GN_BITS("Resv", 4, 0),
	GN_BITS("S", 1, 0),
	GN_BITS("QRV", 3, 0),
	GN_BYTE("QQIC", 0),
	GN_COUNTFIELD("sources_number", 16, MQ2_SOURCES),
	GN_FIELD_("sources", gn_kind_ip6list, 0, .length_from = mlquery2_sources_length),
};

enum { MAR_AUXDATA_LEN = 1, MAR_SOURCES_NUMBER, MAR_DST, MAR_SOURCES, MAR_AUXDATA };

static long mar_sources_length(const struct gn_layer *l, size_t avail)
{
	(void)avail;
	return 16 * (long)gn_field_uint(l, MAR_SOURCES_NUMBER);
}

/* auxdata_len counts bytes here (Scapy's reading; RFC 3810 says words) */
static const struct gn_field mldmultaddrrec_fields[] = {
	GN_BYTE("rtype", 4),
	GN_LENFIELD("auxdata_len", 8, MAR_AUXDATA),
	GN_COUNTFIELD("sources_number", 16, MAR_SOURCES),
	GN_IPV6("dst", "::"),
	GN_FIELD_("sources", gn_kind_ip6list, 0, .length_from = mar_sources_length),
	GN_LENBYTES("auxdata", MAR_AUXDATA_LEN, ""),
};

/* A record is followed by the next record (Scapy's default_payload_class):
 * in the records list the first one carries the others as its payload. */
static const struct gn_proto *mar_guess(const struct gn_layer *l, const uint8_t *p, size_t len)
{
	(void)l;
	(void)p;
	(void)len;
	return &gn_proto_icmpv6_mldmultaddrrec;
}

enum { MR2_RECORDS_NUMBER = 4, MR2_RECORDS };

static const struct gn_field mlreport2_fields[] = {
	ICMP6_HEAD(143, GN_BYTE("res", 0)),
	GN_SHORT("reserved", 0),
	GN_COUNTFIELD("records_number", 16, MR2_RECORDS),
	GN_PKTLIST("records", &gn_proto_icmpv6_mldmultaddrrec, MR2_RECORDS_NUMBER),
};

static bool mlreport_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	(void)reply;
	return probe->proto == &gn_proto_icmpv6_mlquery;
}

static bool mlreport2_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	(void)reply;
	return probe->proto == &gn_proto_icmpv6_mlquery2;
}

const struct gn_proto gn_proto_icmpv6_mlquery = {
	.name = "ICMPv6MLQuery",
	.long_name = "MLD - Multicast Listener Query",
	.fields = mlquery_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
};

const struct gn_proto gn_proto_icmpv6_mlreport = {
	.name = "ICMPv6MLReport",
	.long_name = "MLD - Multicast Listener Report",
	.fields = mlreport_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
	.answers = mlreport_answers,
};

const struct gn_proto gn_proto_icmpv6_mldone = {
	.name = "ICMPv6MLDone",
	.long_name = "MLD - Multicast Listener Done",
	.fields = mldone_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
};

const struct gn_proto gn_proto_icmpv6_mlquery2 = {
	.name = "ICMPv6MLQuery2",
	.long_name = "MLDv2 - Multicast Listener Query",
	.fields = mlquery2_fields,
	.nfields = 12,
	.post_build = icmpv6_post_build,
};

const struct gn_proto gn_proto_icmpv6_mldmultaddrrec = {
	.name = "ICMPv6MLDMultAddrRec",
	.long_name = "ICMPv6 MLDv2 - Multicast Address Record",
	.fields = mldmultaddrrec_fields,
	.nfields = 6,
	.guess_payload = mar_guess,
};

const struct gn_proto gn_proto_icmpv6_mlreport2 = {
	.name = "ICMPv6MLReport2",
	.long_name = "MLDv2 - Multicast Listener Report",
	.fields = mlreport2_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
	.answers = mlreport2_answers,
};

/* ---- ND options (RFC 4861 section 4.6) ---------------------------------------- */

enum { OPT_TYPE, OPT_LEN };

static const struct gn_field ndopt_unknown_fields[] = {
	GN_AUTO("type", 8),
	/* in bytes, type and len included (Scapy's reading, not RFC 4861's) */
	GN_FIELD_L_("len", gn_kind_lenfield, 8, 2, .flags = GN_FF_AUTO, .adjust = 2),
	GN_LENBYTES("data", 1, ""),
};

enum { LL_LLADDR = 2 };

static const struct gn_field ndopt_srclladdr_fields[] = {
	GN_BYTE("type", 1),
	GN_BYTE("len", 1),
	GN_MAC("lladdr", "00:00:00:00:00:00"),
};

static const struct gn_field ndopt_dstlladdr_fields[] = {
	GN_BYTE("type", 2),
	GN_BYTE("len", 1),
	GN_MAC("lladdr", "00:00:00:00:00:00"),
};

static bool lladdr_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	put_name(l, sb);
	gn_sb_putc(sb, ' ');
	gn_format_field(l, LL_LLADDR, sb, GN_REPR_HUMAN);
	return true;
}

enum { PI_PREFIXLEN = 2, PI_L, PI_A, PI_R, PI_RES1, PI_VALID, PI_PREFERRED, PI_RES2, PI_PREFIX };

static const struct gn_field ndopt_prefixinfo_fields[] = {
	GN_BYTE("type", 3),
	GN_BYTE("len", 4),
	GN_BYTE("prefixlen", 64),
	GN_BITS("L", 1, 1),
	GN_BITS("A", 1, 1),
	GN_BITS("R", 1, 0),
	GN_BITS("res1", 5, 0),
	GN_XINT("validlifetime", 0xffffffff),
	GN_XINT("preferredlifetime", 0xffffffff),
	GN_XINT("res2", 0),
	GN_IPV6("prefix", "::"),
};

static bool prefixinfo_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	static const char *const labels[] = {
		" ", "/", " On-link ", " Autonomous Address ", " Router Address ",
	};
	static const unsigned idx[] = { PI_PREFIX, PI_PREFIXLEN, PI_L, PI_A, PI_R };

	put_name(l, sb);
	put_fields(l, sb, labels, idx, 5);
	return true;
}

enum { MTU_MTU = 3 };

static const struct gn_field ndopt_mtu_fields[] = {
	GN_BYTE("type", 5),
	GN_BYTE("len", 1),
	GN_XSHORT("res", 0),
	GN_INT("mtu", 1280),
};

static bool mtu_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	put_name(l, sb);
	gn_sb_putc(sb, ' ');
	gn_format_field(l, MTU_MTU, sb, GN_REPR_HUMAN);
	return true;
}

enum { RD_RES = 2, RD_LIFETIME, RD_DNS };

/* len counts 8-byte units: the 8-byte header and two per address */
static long rdnss_length(const struct gn_layer *l, size_t avail)
{
	(void)avail;
	return 8 * ((long)gn_field_uint(l, OPT_LEN) - 1);
}

static const struct gn_field ndopt_rdnss_fields[] = {
	GN_BYTE("type", 25),
	GN_AUTO("len", 8),
	GN_AUTO("res", 16),
	GN_INT("lifetime", 0xffffffff),
	GN_FIELD_("dns", gn_kind_ip6list, 0, .length_from = rdnss_length),
};

static int rdnss_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			    size_t hdr_len, size_t total_len)
{
	const struct gn_value *dns = gn_layer_get(l, RD_DNS);
	uint64_t n = dns->type == GN_V_LIST ? dns->len : 0;

	(void)c;
	(void)total_len;
	if (hdr_len >= 2 && unset(l, OPT_LEN))
		hdr[1] = (uint8_t)(2 * n + 1);
	return 0;
}

/* "%name% " followed by the servers joined with ", " */
static bool rdnss_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	const struct gn_value *dns = gn_layer_get(l, RD_DNS);

	put_name(l, sb);
	gn_sb_putc(sb, ' ');
	for (uint32_t i = 0; dns->type == GN_V_LIST && i < dns->len; i++) {
		const struct gn_field one = GN_IPV6("dns", NULL);

		if (i)
			gn_sb_puts(sb, ", ");
		gn_kind_ipv6.format(l, &one, &dns->items[i], sb, GN_REPR_HUMAN);
	}
	return true;
}

const struct gn_proto gn_proto_icmpv6_ndopt_unknown = {
	.name = "ICMPv6NDOptUnknown",
	.long_name = "ICMPv6 Neighbor Discovery Option - Scapy Unimplemented",
	.fields = ndopt_unknown_fields,
	.nfields = 3,
	.guess_payload = ndopt_guess,
};

const struct gn_proto gn_proto_icmpv6_ndopt_srclladdr = {
	.name = "ICMPv6NDOptSrcLLAddr",
	.long_name = "ICMPv6 Neighbor Discovery Option - Source Link-Layer Address",
	.fields = ndopt_srclladdr_fields,
	.nfields = 3,
	.guess_payload = ndopt_guess,
	.summary = lladdr_summary,
};

const struct gn_proto gn_proto_icmpv6_ndopt_dstlladdr = {
	.name = "ICMPv6NDOptDstLLAddr",
	.long_name = "ICMPv6 Neighbor Discovery Option - Destination Link-Layer Address",
	.fields = ndopt_dstlladdr_fields,
	.nfields = 3,
	.guess_payload = ndopt_guess,
	.summary = lladdr_summary,
};

const struct gn_proto gn_proto_icmpv6_ndopt_prefixinfo = {
	.name = "ICMPv6NDOptPrefixInfo",
	.long_name = "ICMPv6 Neighbor Discovery Option - Prefix Information",
	.fields = ndopt_prefixinfo_fields,
	.nfields = 11,
	.guess_payload = ndopt_guess,
	.summary = prefixinfo_summary,
};

const struct gn_proto gn_proto_icmpv6_ndopt_mtu = {
	.name = "ICMPv6NDOptMTU",
	.long_name = "ICMPv6 Neighbor Discovery Option - MTU",
	.fields = ndopt_mtu_fields,
	.nfields = 4,
	.guess_payload = ndopt_guess,
	.summary = mtu_summary,
};

const struct gn_proto gn_proto_icmpv6_ndopt_rdnss = {
	.name = "ICMPv6NDOptRDNSS",
	.long_name = "ICMPv6 Neighbor Discovery Option - Recursive DNS Server Option",
	.fields = ndopt_rdnss_fields,
	.nfields = 5,
	.post_build = rdnss_post_build,
	.guess_payload = ndopt_guess,
	.summary = rdnss_summary,
};

/* ---- class by type ------------------------------------------------------------ */

static const struct {
	uint8_t type;
	uint8_t minlen;  /* Scapy's icmp6typesminhdrlen */
	const struct gn_proto *cls;
} by_type[] = {
	{ 1, 8, &gn_proto_icmpv6_destunreach },
	{ 2, 8, &gn_proto_icmpv6_packettoobig },
	{ 3, 8, &gn_proto_icmpv6_timeexceeded },
	{ 4, 8, &gn_proto_icmpv6_paramproblem },
	{ 128, 8, &gn_proto_icmpv6_echo_request },
	{ 129, 8, &gn_proto_icmpv6_echo_reply },
	{ 133, 8, &gn_proto_icmpv6_nd_rs },
	{ 134, 16, &gn_proto_icmpv6_nd_ra },
	{ 135, 24, &gn_proto_icmpv6_nd_ns },
	{ 136, 24, &gn_proto_icmpv6_nd_na },
	{ 137, 40, &gn_proto_icmpv6_nd_redirect },
};

/* Scapy's _IPv6GuessPayload for nh 58: the class for the type byte when the
 * message is at least as long as that class's header, else Raw. */
const struct gn_proto *gn_icmpv6_class(const uint8_t *p, size_t len)
{
	if (!len)
		return &gn_proto_raw;
	for (size_t i = 0; i < sizeof(by_type) / sizeof(by_type[0]); i++)
		if (by_type[i].type == p[0])
			return len >= by_type[i].minlen ? by_type[i].cls : &gn_proto_raw;
	return &gn_proto_raw;
}

void gn_proto_icmpv6_register(void)
{
	static const struct gn_proto *const messages[] = {
		&gn_proto_icmpv6_unknown, &gn_proto_icmpv6_destunreach,
		&gn_proto_icmpv6_packettoobig, &gn_proto_icmpv6_timeexceeded,
		&gn_proto_icmpv6_paramproblem, &gn_proto_icmpv6_echo_request,
		&gn_proto_icmpv6_echo_reply, &gn_proto_icmpv6_nd_rs, &gn_proto_icmpv6_nd_ra,
		&gn_proto_icmpv6_nd_ns, &gn_proto_icmpv6_nd_na, &gn_proto_icmpv6_nd_redirect,
	};
	static const struct gn_proto *const options[] = {
		&gn_proto_icmpv6_ndopt_unknown, &gn_proto_icmpv6_ndopt_srclladdr,
		&gn_proto_icmpv6_ndopt_dstlladdr, &gn_proto_icmpv6_ndopt_prefixinfo,
		&gn_proto_icmpv6_ndopt_mtu, &gn_proto_icmpv6_ndopt_rdnss,
	};

	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		gn_proto_register(messages[i]);
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		gn_proto_register(options[i]);

	/* Building: the header below says nh 58; ND messages also ask for a hop
	 * limit of 255 (RFC 4861 checks it), as Scapy's overload_fields do.
	 * Dissection picks the class by type (gn_icmpv6_class), not here. */
	for (size_t i = 0; gn_ipv6_nh_layers[i]; i++) {
		const struct gn_proto *lower = gn_ipv6_nh_layers[i];
		bool has_hlim = lower == &gn_proto_ipv6 || lower == &gn_proto_iperror6;

		for (size_t j = 0; j < sizeof(messages) / sizeof(messages[0]); j++) {
			const struct gn_proto *m = messages[j];
			bool nd = m->guess_payload == ndopt_guess;

			gn_bind(lower, m, nd && has_hlim ? "nh=58,hlim=255" : "nh=58", GN_BIND_BUILD);
		}
	}
}
