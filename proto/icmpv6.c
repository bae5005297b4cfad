// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ICMPv6 (RFC 4443), multicast listener discovery (RFC 2710, RFC 3810) and
 * neighbor discovery (RFC 4861) with its options, as Scapy 2.5's inet6 has
 * them.  Each message type is its own class, picked by the type byte
 * (Scapy's icmp6typescls); errors carry the offending packet as IPerror6;
 * ND options are not a list field but the layers that follow the ND
 * message, one after the other, each picked by its type byte.
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

/* Appends each label followed by its field as show() writes it. */
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
	static const struct gn_proto *const by_type[32] = {
		[1] = &gn_proto_icmpv6_ndopt_srclladdr,
		[2] = &gn_proto_icmpv6_ndopt_dstlladdr,
		[3] = &gn_proto_icmpv6_ndopt_prefixinfo,
		[4] = &gn_proto_icmpv6_ndopt_redirectedhdr,
		[5] = &gn_proto_icmpv6_ndopt_mtu,
		[6] = &gn_proto_icmpv6_ndopt_shortcutlimit,
		[7] = &gn_proto_icmpv6_ndopt_advinterval,
		[8] = &gn_proto_icmpv6_ndopt_hainfo,
		[9] = &gn_proto_icmpv6_ndopt_srcaddrlist,
		[10] = &gn_proto_icmpv6_ndopt_tgtaddrlist,
		[17] = &gn_proto_icmpv6_ndopt_ipaddr,
		[18] = &gn_proto_icmpv6_ndopt_newrtrprefix,
		[19] = &gn_proto_icmpv6_ndopt_lla,
		[23] = &gn_proto_icmpv6_ndopt_map,
		[24] = &gn_proto_icmpv6_ndopt_routeinfo,
		[25] = &gn_proto_icmpv6_ndopt_rdnss,
		[26] = &gn_proto_icmpv6_ndopt_efa,
		[31] = &gn_proto_icmpv6_ndopt_dnssl,
	};

	(void)l;
	if (len <= 1 || p[0] >= 32 || !by_type[p[0]])
		return &gn_proto_raw;
	return by_type[p[0]];
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
	.answers = gn_icmpv6_answers,
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
	.answers = gn_icmpv6_answers,
};

const struct gn_proto gn_proto_icmpv6_packettoobig = {
	.name = "ICMPv6PacketTooBig",
	.long_name = "ICMPv6 Packet Too Big",
	.fields = packettoobig_fields,
	.nfields = 4,
	.post_build = icmpv6_post_build,
	.guess_payload = error_guess,
	.answers = gn_icmpv6_answers,
};

const struct gn_proto gn_proto_icmpv6_timeexceeded = {
	.name = "ICMPv6TimeExceeded",
	.long_name = "ICMPv6 Time Exceeded",
	.fields = timeexceeded_fields,
	.nfields = 5,
	.post_build = icmpv6_post_build,
	.guess_payload = error_guess,
	.answers = gn_icmpv6_answers,
};

const struct gn_proto gn_proto_icmpv6_paramproblem = {
	.name = "ICMPv6ParamProblem",
	.long_name = "ICMPv6 Parameter Problem",
	.fields = paramproblem_fields,
	.nfields = 4,
	.post_build = icmpv6_post_build,
	.guess_payload = error_guess,
	.answers = gn_icmpv6_answers,
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
	return probe && probe->proto == &gn_proto_icmpv6_echo_request &&
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
	.answers = gn_icmpv6_answers,
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
	return probe && probe->proto == &gn_proto_icmpv6_nd_rs;
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

	if (!probe || probe->proto != &gn_proto_icmpv6_nd_ns)
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
	.answers = gn_icmpv6_answers,
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
	.answers = gn_icmpv6_answers,
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
	.answers = gn_icmpv6_answers,
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

/* Scapy's "ICMPv6MLQuery in query": the probe or a layer above it. */
static bool mlreport_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	(void)reply;
	for (; probe; probe = gn_layer_above(probe))
		if (probe->proto == &gn_proto_icmpv6_mlquery)
			return true;
	return false;
}

static bool mlreport2_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	(void)reply;
	return probe && probe->proto == &gn_proto_icmpv6_mlquery2;
}

const struct gn_proto gn_proto_icmpv6_mlquery = {
	.name = "ICMPv6MLQuery",
	.long_name = "MLD - Multicast Listener Query",
	.fields = mlquery_fields,
	.nfields = 6,
	.post_build = icmpv6_post_build,
	.answers = gn_icmpv6_answers,
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
	.answers = gn_icmpv6_answers,
};

const struct gn_proto gn_proto_icmpv6_mlquery2 = {
	.name = "ICMPv6MLQuery2",
	.long_name = "MLDv2 - Multicast Listener Query",
	.fields = mlquery2_fields,
	.nfields = 12,
	.post_build = icmpv6_post_build,
	.answers = gn_icmpv6_answers,
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

/* ---- the other ND options Scapy dissects --------------------------------------- */

static const struct gn_field ndopt_shortcutlimit_fields[] = {
	GN_BYTE("type", 6),
	GN_BYTE("len", 1),
	GN_BYTE("shortcutlim", 40),
	GN_BYTE("res1", 0),
	GN_INT("res2", 0),
};

enum { AI_ADVINT = 3 };

static const struct gn_field ndopt_advinterval_fields[] = {
	GN_BYTE("type", 7),
	GN_BYTE("len", 1),
	GN_SHORT("res", 0),
	GN_INT("advint", 0),
};

static bool advinterval_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	put_name(l, sb);
	gn_sb_putc(sb, ' ');
	gn_format_field(l, AI_ADVINT, sb, GN_REPR_HUMAN);
	gn_sb_puts(sb, " milliseconds");
	return true;
}

enum { HA_PREF = 3, HA_LIFETIME };

static const struct gn_field ndopt_hainfo_fields[] = {
	GN_BYTE("type", 8),
	GN_BYTE("len", 1),
	GN_SHORT("res", 0),
	GN_SHORT("pref", 0),
	GN_SHORT("lifetime", 1),
};

static bool hainfo_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	static const char *const labels[] = { " ", " " };
	static const unsigned idx[] = { HA_PREF, HA_LIFETIME };

	put_name(l, sb);
	put_fields(l, sb, labels, idx, 2);
	gn_sb_puts(sb, " seconds");
	return true;
}

enum { AL_ADDRLIST = 3 };

/* len counts 8-byte units: the 8-byte header and two per address */
static long addrlist_length(const struct gn_layer *l, size_t avail)
{
	(void)avail;
	return 8 * ((long)gn_field_uint(l, OPT_LEN) - 1);
}

static const struct gn_field ndopt_srcaddrlist_fields[] = {
	GN_BYTE("type", 9),
	GN_AUTO("len", 8),
	GN_FIXBYTES("res", 6, NULL),
	GN_FIELD_("addrlist", gn_kind_ip6list, 0, .length_from = addrlist_length),
};

static const struct gn_field ndopt_tgtaddrlist_fields[] = {
	GN_BYTE("type", 10),
	GN_AUTO("len", 8),
	GN_FIXBYTES("res", 6, NULL),
	GN_FIELD_("addrlist", gn_kind_ip6list, 0, .length_from = addrlist_length),
};

static int addrlist_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			       size_t hdr_len, size_t total_len)
{
	const struct gn_value *a = gn_layer_get(l, AL_ADDRLIST);
	uint64_t n = a->type == GN_V_LIST ? a->len : 0;

	(void)c;
	(void)total_len;
	if (hdr_len >= 2 && unset(l, OPT_LEN))
		hdr[1] = (uint8_t)(2 * n + 1);
	return 0;
}

static const struct gn_enum ipaddr_optcodes[] = {
	{ 1, "Old Care-Of Address" },
	{ 2, "New Care-Of Address" },
	{ 3, "NAR's IP address" },
	{ 0, NULL },
};

static const struct gn_field ndopt_ipaddr_fields[] = {
	GN_BYTE("type", 17),
	GN_BYTE("len", 3),
	GN_ENUM("optcode", 8, 1, ipaddr_optcodes),
	GN_BYTE("plen", 64),
	GN_INT("res", 0),
	GN_IPV6("addr", "::"),
};

static const struct gn_field ndopt_newrtrprefix_fields[] = {
	GN_BYTE("type", 18),
	GN_BYTE("len", 3),
	GN_BYTE("optcode", 0),
	GN_BYTE("plen", 64),
	GN_INT("res", 0),
	GN_IPV6("prefix", "::"),
};

static const struct gn_enum lla_optcodes[] = {
	{ 0, "Wildcard requesting resolution for all nearby AP" },
	{ 1, "LLA for the new AP" },
	{ 2, "LLA of the MN" },
	{ 3, "LLA of the NAR" },
	{ 4, "LLA of the src of TrSolPr or PrRtAdv msg" },
	{ 5, "AP identified by LLA belongs to current iface of router" },
	{ 6, "No preifx info available for AP identified by the LLA" },
	{ 7, "No fast handovers support for AP identified by the LLA" },
	{ 0, NULL },
};

static const struct gn_field ndopt_lla_fields[] = {
	GN_BYTE("type", 19),
	GN_BYTE("len", 1),
	GN_ENUM("optcode", 8, 0, lla_optcodes),
	GN_MAC("lla", "00:00:00:00:00:00"),
};

static const struct gn_field ndopt_map_fields[] = {
	GN_BYTE("type", 23),
	GN_BYTE("len", 3),
	GN_BITS("dist", 4, 1),
	GN_BITS("pref", 4, 15),
	GN_BITS("R", 1, 1),
	GN_BITS("res", 7, 0),
	GN_INT("validlifetime", 0xffffffff),
	GN_IPV6("addr", "::"),
};

static const struct gn_field ndopt_efa_fields[] = {
	GN_BYTE("type", 26),
	GN_BYTE("len", 1),
	GN_BITS("res", 48, 0),
};

/* Bytes a field bounded by Scapy's length_from takes: s[:n] as a Python
 * slice (a negative n leaves the last -n bytes out). */
static size_t slice_len(const struct gn_dissect_ctx *c, long want)
{
	size_t off = c->off + (c->bit ? 1 : 0);
	size_t avail = off < c->len ? c->len - off : 0;

	if (want < 0)
		return (size_t)-want < avail ? avail - (size_t)-want : 0;
	return (size_t)want < avail ? (size_t)want : avail;
}

/* Route information (RFC 4191): the prefix takes 0, 8 or 16 bytes as len
 * says (Scapy's _IP6PrefixField). */
enum { RI_LEN = 1, RI_PLEN, RI_RES1, RI_PRF, RI_RES2, RI_LIFETIME, RI_PREFIX };

static int prefix_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			  struct gn_value *out)
{
	size_t n = slice_len(c, 8 * ((long)gn_field_uint(l, RI_LEN) - 1));
	const uint8_t *p;
	int err;

	(void)f;
	if (n > 16)
		return -EMSGSIZE; /* not an address: Scapy gives up on the layer */
	err = gn_rd_bytes(c, n, &p);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	/* Scapy stops dissecting a layer when its bytes run out, so an empty
	 * prefix at the very end keeps its default, None */
	if (!n && c->off >= c->len)
		return 0;
	out->type = GN_V_ADDR;
	out->alen = 16;
	memcpy(out->addr, p, n);
	return 0;
}

static int prefix_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
			const struct gn_value *v)
{
	static const uint8_t zero[16];
	const struct gn_value *lenv = gn_layer_get(l, RI_LEN);
	const uint8_t *a = v->type == GN_V_ADDR && v->alen == 16 ? v->addr : zero;
	uint64_t len;

	(void)f;
	if (lenv->type != GN_V_INT) {
		/* no len: the whole address, or nothing for no prefix */
		if (v->type == GN_V_ADDR)
			gn_wbuf_put(&c->w, a, 16);
		return c->w.err;
	}
	len = lenv->u;
	if (len == 2 || len == 3) {
		gn_wbuf_put(&c->w, a, 8 * (len - 1));
	} else if (len > 3) {
		gn_wbuf_put(&c->w, a, 16);
		for (uint64_t i = 3; i < len; i++)
			gn_wbuf_put(&c->w, zero, 8);
	}
	return c->w.err;
}

GN_INHERIT_ASSIGN(prefix_assign, gn_kind_ipv6)
GN_INHERIT_FORMAT(prefix_format, gn_kind_ipv6)

static const struct gn_field_ops prefix_kind = {
	.kind = "_IP6PrefixField",
	.dissect = prefix_dissect,
	.build = prefix_build,
	.assign = prefix_assign,
	.format = prefix_format,
	.is_scalar = true,
};

static const struct gn_field ndopt_routeinfo_fields[] = {
	GN_BYTE("type", 24),
	GN_AUTO("len", 8),
	GN_AUTO("plen", 8),
	GN_BITS("res1", 3, 0),
	GN_ENUM("prf", 2, 0, ra_prefs),
	GN_BITS("res2", 3, 0),
	GN_INT("rtlifetime", 0xffffffff),
	GN_FIELD_("prefix", prefix_kind, 128, .flags = GN_FF_AUTO),
};

/* len: the 8-byte header plus the prefix, in 8-byte units */
static int routeinfo_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
				size_t hdr_len, size_t total_len)
{
	(void)c;
	(void)total_len;
	if (hdr_len >= 8 && unset(l, RI_LEN))
		hdr[1] = (uint8_t)((hdr_len - 8) / 8 + 1);
	return 0;
}

static bool routeinfo_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	static const char *const labels[] = { " ", "/", " Preference " };
	static const unsigned idx[] = { RI_PREFIX, RI_PLEN, RI_PRF };

	put_name(l, sb);
	put_fields(l, sb, labels, idx, 3);
	return true;
}

/* DNS search list (RFC 8106): names as RFC 1035 labels, the list padded
 * with NULs to 8 bytes (Scapy's DomainNameListField, padded). */
enum { DS_LEN = 1, DS_RES, DS_LIFETIME, DS_SEARCHLIST };

static int names_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			 struct gn_value *out)
{
	size_t n = slice_len(c, 8 * (long)gn_field_uint(l, DS_LEN) - 8);
	struct gn_value *items = NULL;
	uint32_t count = 0;
	const uint8_t *p;
	char *name;
	int err;

	(void)f;
	err = gn_rd_bytes(c, n, &p);
	if (err)
		return err;
	/* at most one name per two bytes; the text is never longer than n + 1 */
	items = gn_arena_alloc(c->arena, (n / 2 + 1) * sizeof(*items));
	name = gn_arena_alloc(c->arena, n + 2);
	if (!items || !name)
		return -ENOMEM;
	for (size_t i = 0; i < n;) {
		size_t tl = 0;
		bool labels = false;

		while (i < n && p[i]) {
			size_t ll = p[i];
			size_t take = ll < n - i - 1 ? ll : n - i - 1;

			if (labels)
				name[tl++] = '.';
			memcpy(name + tl, p + i + 1, take);
			tl += take;
			labels = true;
			i += ll + 1;
		}
		/* padding NULs between and after names are not names */
		if (labels) {
			name[tl++] = '.';
			items[count].type = GN_V_BYTES;
			items[count].len = (uint32_t)tl;
			items[count].bytes = gn_arena_memdup(c->arena, name, tl);
			if (!items[count].bytes)
				return -ENOMEM;
			count++;
		}
		if (i < n && !p[i])
			i++;
	}
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	out->len = count;
	out->items = items;
	return 0;
}

static int names_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
		       const struct gn_value *v)
{
	static const uint8_t zero[8];
	size_t start = c->w.len;

	(void)l;
	(void)f;
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		const struct gn_value *it = &v->items[i];
		const uint8_t *s = it->type == GN_V_BYTES ? it->bytes : zero;
		size_t n = it->type == GN_V_BYTES ? it->len : 0;
		bool ends_nul = false;

		/* every dot-separated part is a label, an empty one included */
		for (size_t a = 0;;) {
			const uint8_t *dot = memchr(s + a, '.', n - a);
			size_t b = dot ? (size_t)(dot - s) : n;
			uint8_t ll = (uint8_t)(b - a);

			gn_wbuf_put(&c->w, &ll, 1);
			gn_wbuf_put(&c->w, s + a, b - a);
			ends_nul = b == a;
			if (!dot)
				break;
			a = b + 1;
		}
		if (!ends_nul)
			gn_wbuf_put(&c->w, zero, 1);
	}
	if ((c->w.len - start) % 8)
		gn_wbuf_put(&c->w, zero, 8 - (c->w.len - start) % 8);
	return c->w.err;
}

static int name_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *e,
		       struct gn_value *out, struct gn_error *err)
{
	if (e->type != GN_AST_STR && e->type != GN_AST_BYTES)
		return gn_error_set(err, -EINVAL, e->column,
				    "field '%s' holds domain names such as \"example.com\"", f->name);
	out->type = GN_V_BYTES;
	out->len = (uint32_t)e->len;
	out->bytes = gn_arena_memdup(a, e->str, e->len ? e->len : 1);
	return out->bytes ? 0 : -ENOMEM;
}

static int names_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			struct gn_value *out, struct gn_error *err)
{
	return gn_list_assign(a, f, ast, out, err, name_assign);
}

/* Python's repr of a list of str for show() and expressions; JSON strings. */
static void names_format(const struct gn_layer *l, const struct gn_field *f,
			 const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	gn_sb_putc(sb, '[');
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		const struct gn_value *it = &v->items[i];

		if (i)
			gn_sb_puts(sb, r == GN_REPR_JSON ? "," : ", ");
		if (it->type != GN_V_BYTES)
			continue;
		if (r == GN_REPR_JSON) {
			gn_sb_json_str(sb, (const char *)it->bytes, it->len);
		} else {
			gn_sb_putc(sb, '\'');
			for (uint32_t k = 0; k < it->len; k++) {
				uint8_t ch = it->bytes[k];

				if (ch == '\'' || ch == '\\')
					gn_sb_printf(sb, "\\%c", ch);
				else if (ch < 0x20 || ch >= 0x7f)
					gn_sb_printf(sb, "\\x%02x", ch);
				else
					gn_sb_putc(sb, (char)ch);
			}
			gn_sb_putc(sb, '\'');
		}
	}
	gn_sb_putc(sb, ']');
}

static const struct gn_field_ops names_kind = {
	.kind = "DomainNameListField",
	.dissect = names_dissect,
	.build = names_build,
	.assign = names_assign,
	.format = names_format,
	.is_list = true,
};

static const struct gn_field ndopt_dnssl_fields[] = {
	GN_BYTE("type", 31),
	GN_AUTO("len", 8),
	GN_AUTO("res", 16),
	GN_INT("lifetime", 0xffffffff),
	GN_FIELD_("searchlist", names_kind, 0),
};

/* len: the 8-byte header plus the padded names, in 8-byte units */
static int dnssl_post_build(struct gn_build_ctx *c, const struct gn_layer *l, uint8_t *hdr,
			    size_t hdr_len, size_t total_len)
{
	(void)c;
	(void)total_len;
	if (hdr_len >= 8 && unset(l, DS_LEN))
		hdr[1] = (uint8_t)(1 + (hdr_len - 8) / 8);
	return 0;
}

/* "%name% " followed by the names joined with ", " */
static bool dnssl_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	const struct gn_value *v = gn_layer_get(l, DS_SEARCHLIST);

	put_name(l, sb);
	gn_sb_putc(sb, ' ');
	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		if (i)
			gn_sb_puts(sb, ", ");
		if (v->items[i].type == GN_V_BYTES)
			gn_sb_putn(sb, (const char *)v->items[i].bytes, v->items[i].len);
	}
	return true;
}

/* Redirected header (RFC 4861 4.6.3): as much of the redirected packet as
 * fits in whole 8-byte units (Scapy's TruncPktLenField of IPv6). */
enum { RH_LEN = 1, RH_RES, RH_PKT };

static int truncpkt_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			    const struct gn_field *f, struct gn_value *out)
{
	size_t n = slice_len(c, 8 * (long)gn_field_uint(l, RH_LEN) - 8);
	struct gn_packet *sub;
	size_t used = 0;
	const uint8_t *p;
	int err;

	err = gn_rd_bytes(c, n, &p);
	if (err)
		return err;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_BYTES;
	if (!n) {
		/* Scapy's default, b"" */
		out->bytes = gn_arena_alloc(c->arena, 1);
		return out->bytes ? 0 : -ENOMEM;
	}
	err = gn_dissect_sub(c, f->elem, p, n, &sub, &used);
	if (err == -ENOMEM)
		return err;
	if (err || !sub->n) {
		/* too deep or unreadable: the bytes as they are (Scapy's Raw) */
		out->bytes = gn_arena_memdup(c->arena, p, n);
		out->len = (uint32_t)n;
		return out->bytes ? 0 : -ENOMEM;
	}
	if (used < n) {
		/* what the quoted IPv6 header says is not its payload */
		struct gn_layer *pad = gn_packet_push(sub, &gn_proto_padding);
		struct gn_value load = { .type = GN_V_BYTES, .len = (uint32_t)(n - used) };

		load.bytes = (uint8_t *)(uintptr_t)(p + used);
		if (!pad || gn_layer_set(pad, 0, &load))
			return -ENOMEM;
		pad->off = (uint32_t)used;
		pad->hdr_len = (uint32_t)(n - used);
	}
	out->type = GN_V_PKT;
	out->pkt = sub;
	return 0;
}

static int truncpkt_build(struct gn_build_ctx *c, const struct gn_layer *l,
			  const struct gn_field *f, const struct gn_value *v)
{
	size_t start;

	(void)l;
	(void)f;
	gn_wbuf_put(&c->w, NULL, 0); /* byte-aligns */
	start = c->w.len;
	if (v->type == GN_V_PKT) {
		int err = gn_build_sub(c, v->pkt);

		if (err)
			return err;
	} else if (v->type == GN_V_BYTES) {
		gn_wbuf_put(&c->w, v->bytes, v->len);
	}
	if (c->w.err)
		return c->w.err;
	/* cut to whole 8-byte units: the option header takes 8 */
	c->w.len -= (c->w.len - start) % 8;
	return 0;
}

static int truncpkt_assign(struct gn_arena *a, const struct gn_field *f, const struct gn_ast *ast,
			   struct gn_value *out, struct gn_error *err)
{
	struct gn_ast *one[1];
	struct gn_ast chain;
	struct gn_packet *sub;
	int rc;

	memset(out, 0, sizeof(*out));
	out->type = GN_V_BYTES;
	switch (ast->type) {
	case GN_AST_NONE:
		return 0;
	case GN_AST_STR:
	case GN_AST_BYTES:
		out->bytes = gn_arena_memdup(a, ast->str, ast->len ? ast->len : 1);
		out->len = (uint32_t)ast->len;
		return out->bytes ? 0 : -ENOMEM;
	case GN_AST_LAYER:
		one[0] = (struct gn_ast *)ast;
		chain = (struct gn_ast){ .type = GN_AST_CHAIN, .column = ast->column,
					 .items = one, .n = 1 };
		ast = &chain;
		/* fall through */
	case GN_AST_CHAIN:
		sub = gn_packet_new_in(a);
		if (!sub)
			return -ENOMEM;
		rc = gn_parse_ast(sub, ast, err);
		if (rc)
			return rc;
		out->type = GN_V_PKT;
		out->pkt = sub;
		return 0;
	default:
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' holds a packet such as IPv6(...)/UDP(), or bytes",
				    f->name);
	}
}

static void truncpkt_format(const struct gn_layer *l, const struct gn_field *f,
			    const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	if (v->type == GN_V_PKT) {
		if (r == GN_REPR_JSON) {
			if (v->pkt->n != 1)
				gn_sb_putc(sb, '[');
			for (unsigned k = 0; k < v->pkt->n; k++) {
				if (k)
					gn_sb_putc(sb, ',');
				gn_json_layer(&v->pkt->layers[k], sb);
			}
			if (v->pkt->n != 1)
				gn_sb_putc(sb, ']');
		} else {
			gn_command(v->pkt, sb);
		}
		return;
	}
	if (v->type != GN_V_BYTES)
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
	else if (r == GN_REPR_EXPR && !v->len)
		gn_sb_puts(sb, "b''");
	else if (r == GN_REPR_EXPR)
		gn_sb_pybytes(sb, v->bytes, v->len);
	else
		gn_kind_rest.format(l, f, v, sb, r); /* '' for show, hex for JSON */
}

static const struct gn_field_ops truncpkt_kind = {
	.kind = "TruncPktLenField",
	.dissect = truncpkt_dissect,
	.build = truncpkt_build,
	.assign = truncpkt_assign,
	.format = truncpkt_format,
};

static const struct gn_field ndopt_redirectedhdr_fields[] = {
	GN_BYTE("type", 4),
	GN_AUTO("len", 8),
	GN_FIXBYTES("res", 6, NULL),
	GN_FIELD_("pkt", truncpkt_kind, 0, .elem = &gn_proto_ipv6, .dflt_str = ""),
};

/* len: the 8-byte header plus the cut packet, in 8-byte units */
static int redirectedhdr_post_build(struct gn_build_ctx *c, const struct gn_layer *l,
				    uint8_t *hdr, size_t hdr_len, size_t total_len)
{
	(void)c;
	(void)total_len;
	if (hdr_len >= 2 && unset(l, RH_LEN))
		hdr[1] = (uint8_t)(hdr_len / 8);
	return 0;
}

#define NDOPT(sym, nm, ln, flds, ...)                                              \
	const struct gn_proto sym = {                                              \
		.name = nm, .long_name = ln, .fields = flds,                       \
		.nfields = sizeof(flds) / sizeof(flds[0]),                         \
		.guess_payload = ndopt_guess, __VA_ARGS__                          \
	}

NDOPT(gn_proto_icmpv6_ndopt_redirectedhdr, "ICMPv6NDOptRedirectedHdr",
      "ICMPv6 Neighbor Discovery Option - Redirected Header", ndopt_redirectedhdr_fields,
      .post_build = redirectedhdr_post_build);
NDOPT(gn_proto_icmpv6_ndopt_shortcutlimit, "ICMPv6NDOptShortcutLimit",
      "ICMPv6 Neighbor Discovery Option - NBMA Shortcut Limit", ndopt_shortcutlimit_fields);
NDOPT(gn_proto_icmpv6_ndopt_advinterval, "ICMPv6NDOptAdvInterval",
      "ICMPv6 Neighbor Discovery - Interval Advertisement", ndopt_advinterval_fields,
      .summary = advinterval_summary);
NDOPT(gn_proto_icmpv6_ndopt_hainfo, "ICMPv6NDOptHAInfo",
      "ICMPv6 Neighbor Discovery - Home Agent Information", ndopt_hainfo_fields,
      .summary = hainfo_summary);
NDOPT(gn_proto_icmpv6_ndopt_srcaddrlist, "ICMPv6NDOptSrcAddrList",
      "ICMPv6 Inverse Neighbor Discovery Option - Source Address List",
      ndopt_srcaddrlist_fields, .post_build = addrlist_post_build);
NDOPT(gn_proto_icmpv6_ndopt_tgtaddrlist, "ICMPv6NDOptTgtAddrList",
      "ICMPv6 Inverse Neighbor Discovery Option - Target Address List",
      ndopt_tgtaddrlist_fields, .post_build = addrlist_post_build);
NDOPT(gn_proto_icmpv6_ndopt_ipaddr, "ICMPv6NDOptIPAddr",
      "ICMPv6 Neighbor Discovery - IP Address Option (FH for MIPv6)", ndopt_ipaddr_fields);
NDOPT(gn_proto_icmpv6_ndopt_newrtrprefix, "ICMPv6NDOptNewRtrPrefix",
      "ICMPv6 Neighbor Discovery - New Router Prefix Information Option (FH for MIPv6)",
      ndopt_newrtrprefix_fields);
NDOPT(gn_proto_icmpv6_ndopt_lla, "ICMPv6NDOptLLA",
      "ICMPv6 Neighbor Discovery - Link-Layer Address (LLA) Option (FH for MIPv6)",
      ndopt_lla_fields);
NDOPT(gn_proto_icmpv6_ndopt_map, "ICMPv6NDOptMAP", "ICMPv6 Neighbor Discovery - MAP Option",
      ndopt_map_fields);
NDOPT(gn_proto_icmpv6_ndopt_routeinfo, "ICMPv6NDOptRouteInfo",
      "ICMPv6 Neighbor Discovery Option - Route Information Option", ndopt_routeinfo_fields,
      .post_build = routeinfo_post_build, .summary = routeinfo_summary);
NDOPT(gn_proto_icmpv6_ndopt_efa, "ICMPv6NDOptEFA",
      "ICMPv6 Neighbor Discovery Option - Expanded Flags Option", ndopt_efa_fields);
NDOPT(gn_proto_icmpv6_ndopt_dnssl, "ICMPv6NDOptDNSSL",
      "ICMPv6 Neighbor Discovery Option - DNS Search List Option", ndopt_dnssl_fields,
      .post_build = dnssl_post_build, .summary = dnssl_summary);

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
	{ 130, 24, &gn_proto_icmpv6_mlquery },
	{ 131, 24, &gn_proto_icmpv6_mlreport },
	{ 132, 24, &gn_proto_icmpv6_mldone },
	{ 133, 8, &gn_proto_icmpv6_nd_rs },
	{ 134, 16, &gn_proto_icmpv6_nd_ra },
	{ 135, 24, &gn_proto_icmpv6_nd_ns },
	{ 136, 24, &gn_proto_icmpv6_nd_na },
	{ 137, 40, &gn_proto_icmpv6_nd_redirect },
	{ 143, 8, &gn_proto_icmpv6_mlreport2 },
};

/* Scapy's _IPv6GuessPayload for nh 58: the class for the type byte when the
 * message is at least as long as that class's header, else Raw. */
const struct gn_proto *gn_icmpv6_class(const uint8_t *p, size_t len)
{
	if (!len)
		return &gn_proto_raw;
	/* RFC 3810 8.1: a query of 28 bytes or more is an MLDv2 query */
	if (p[0] == 130 && len >= 28)
		return &gn_proto_icmpv6_mlquery2;
	for (size_t i = 0; i < sizeof(by_type) / sizeof(by_type[0]); i++)
		if (by_type[i].type == p[0])
			return len >= by_type[i].minlen ? by_type[i].cls : &gn_proto_raw;
	return &gn_proto_raw;
}

void gn_proto_icmpv6_register(void)
{
	/* hlim and dst: what the message asks of the IPv6 header below it
	 * (Scapy's overload_fields): hlim 255 for ND (RFC 4861 checks it), 1 for
	 * MLD; the all-nodes, all-routers or MLDv2 group as destination */
	static const struct {
		const struct gn_proto *cls;
		const char *cond_ipv6;
	} messages[] = {
		{ &gn_proto_icmpv6_unknown, "nh=58" },
		{ &gn_proto_icmpv6_destunreach, "nh=58" },
		{ &gn_proto_icmpv6_packettoobig, "nh=58" },
		{ &gn_proto_icmpv6_timeexceeded, "nh=58" },
		{ &gn_proto_icmpv6_paramproblem, "nh=58" },
		{ &gn_proto_icmpv6_echo_request, "nh=58" },
		{ &gn_proto_icmpv6_echo_reply, "nh=58" },
		{ &gn_proto_icmpv6_mlquery, "nh=58,hlim=1,dst=ff02::1" },
		{ &gn_proto_icmpv6_mlreport, "nh=58,hlim=1" },
		{ &gn_proto_icmpv6_mldone, "nh=58,hlim=1,dst=ff02::2" },
		{ &gn_proto_icmpv6_mlquery2, "nh=58,hlim=1,dst=ff02::1" },
		{ &gn_proto_icmpv6_mlreport2, "nh=58,hlim=1,dst=ff02::16" },
		{ &gn_proto_icmpv6_nd_rs, "nh=58,hlim=255,dst=ff02::2" },
		{ &gn_proto_icmpv6_nd_ra, "nh=58,hlim=255,dst=ff02::1" },
		{ &gn_proto_icmpv6_nd_ns, "nh=58,hlim=255,dst=ff02::1" },
		{ &gn_proto_icmpv6_nd_na, "nh=58,hlim=255,dst=ff02::1" },
		{ &gn_proto_icmpv6_nd_redirect, "nh=58,hlim=255,dst=ff02::1" },
	};
	static const struct gn_proto *const others[] = {
		&gn_proto_icmpv6_mldmultaddrrec,
		&gn_proto_icmpv6_ndopt_unknown, &gn_proto_icmpv6_ndopt_srclladdr,
		&gn_proto_icmpv6_ndopt_dstlladdr, &gn_proto_icmpv6_ndopt_prefixinfo,
		&gn_proto_icmpv6_ndopt_redirectedhdr, &gn_proto_icmpv6_ndopt_mtu,
		&gn_proto_icmpv6_ndopt_shortcutlimit,
		&gn_proto_icmpv6_ndopt_advinterval, &gn_proto_icmpv6_ndopt_hainfo,
		&gn_proto_icmpv6_ndopt_srcaddrlist, &gn_proto_icmpv6_ndopt_tgtaddrlist,
		&gn_proto_icmpv6_ndopt_ipaddr, &gn_proto_icmpv6_ndopt_newrtrprefix,
		&gn_proto_icmpv6_ndopt_lla, &gn_proto_icmpv6_ndopt_map,
		&gn_proto_icmpv6_ndopt_routeinfo, &gn_proto_icmpv6_ndopt_rdnss,
		&gn_proto_icmpv6_ndopt_efa, &gn_proto_icmpv6_ndopt_dnssl,
	};

	for (size_t i = 0; i < sizeof(messages) / sizeof(messages[0]); i++)
		gn_proto_register(messages[i].cls);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		gn_proto_register(others[i]);

	/* Building: the header below says nh 58 (and IPv6 the hop limit).
	 * Dissection picks the class by type (gn_icmpv6_class), not here. */
	for (size_t i = 0; gn_ipv6_nh_layers[i]; i++) {
		const struct gn_proto *lower = gn_ipv6_nh_layers[i];
		bool has_hlim = lower == &gn_proto_ipv6 || lower == &gn_proto_iperror6;

		for (size_t j = 0; j < sizeof(messages) / sizeof(messages[0]); j++)
			gn_bind(lower, messages[j].cls, has_hlim ? messages[j].cond_ipv6 : "nh=58",
				GN_BIND_BUILD);
	}
}
