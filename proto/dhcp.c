// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * BOOTP (RFC 951) and DHCP (RFC 2131/2132), as Scapy 2.5 has them.
 *
 * BOOTP's last field, options, is the rest of the message; when it starts
 * with the DHCP magic cookie 63 82 53 63 it is only the cookie and what
 * follows is the DHCP layer (Scapy's BOOTP.extract_padding).  DHCP above
 * BOOTP puts the cookie into options when options was not given (Scapy's
 * bind_layers(BOOTP, DHCP, options=b'c\x82Sc')).
 *
 * DHCP is a list of options, each as Scapy writes it:
 *   ('message-type', 'discover')    a named option and its value(s)
 *   ('router', '10.0.0.1', '10.0.0.2')   several values of a repeating option
 *   ('param_req_list', [1, 3, 6])   a list value
 *   (99, b'\x01\x02')               an option by number, its bytes
 *   'end', 'pad'                    one-byte options (any option without a
 *                                   value type is written as its code alone)
 *   b'...'                          raw bytes, written as they are
 * Names and value encodings are Scapy's DHCPOptions table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "protos.h"

enum {
	F_OP, F_HTYPE, F_HLEN, F_HOPS, F_XID, F_SECS, F_FLAGS, F_CIADDR, F_YIADDR, F_SIADDR,
	F_GIADDR, F_CHADDR, F_SNAME, F_FILE, F_OPTIONS, BOOTP_NFIELDS
};

static const uint8_t dhcp_magic[4] = { 0x63, 0x82, 0x53, 0x63 };

static const struct gn_enum bootp_ops[] = {
	{ 1, "BOOTREQUEST" }, { 2, "BOOTREPLY" }, { 0, NULL },
};

static const struct gn_enum dhcp_types[] = {
	{ 1, "discover" }, { 2, "offer" }, { 3, "request" }, { 4, "decline" }, { 5, "ack" },
	{ 6, "nak" }, { 7, "release" }, { 8, "inform" }, { 9, "force_renew" },
	{ 10, "lease_query" }, { 11, "lease_unassigned" }, { 12, "lease_unknown" },
	{ 13, "lease_active" }, { 0, NULL },
};

/* ---- BOOTP.chaddr: 16 bytes, shown as a MAC when htype is Ethernet -------- */

GN_INHERIT_DISSECT(chaddr_dissect, gn_kind_fixbytes)
GN_INHERIT_BUILD(chaddr_build, gn_kind_fixbytes)
GN_INHERIT_ASSIGN(chaddr_assign, gn_kind_fixbytes)
GN_INHERIT_WIRE_LEN(chaddr_wire_len, gn_kind_fixbytes)

/* Scapy's _BOOTP_chaddr.i2repr: "00:11:22:33:44:55 (+ 10 nul pad)" */
static void chaddr_format(const struct gn_layer *l, const struct gn_field *f,
			  const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	static const uint8_t zero[10];
	size_t mac;

	if (r != GN_REPR_HUMAN || v->type != GN_V_BYTES || gn_field_uint(l, F_HTYPE) != 1) {
		gn_kind_fixbytes.format(l, f, v, sb, r);
		return;
	}
	mac = v->len < 6 ? v->len : 6;
	for (size_t i = 0; i < mac; i++)
		gn_sb_printf(sb, i ? ":%02x" : "%02x", v->bytes[i]);
	if (v->len == 16 && !memcmp(v->bytes + 6, zero, 10)) {
		gn_sb_puts(sb, " (+ 10 nul pad)");
		return;
	}
	gn_sb_puts(sb, " (pad: ");
	gn_sb_pybytes(sb, v->bytes + mac, v->len - mac);
	gn_sb_putc(sb, ')');
}

static const struct gn_field_ops bootp_kind_chaddr = {
	.kind = "_BOOTP_chaddr",
	.dissect = chaddr_dissect,
	.build = chaddr_build,
	.assign = chaddr_assign,
	.format = chaddr_format,
	.wire_len = chaddr_wire_len,
	.is_scalar = true,
};

/* ---- BOOTP.options: the rest, or only the magic cookie before DHCP -------- */

/* The cookie is what DHCP above overloads when options was not given. */
static const struct gn_value *options_value(const struct gn_layer *l, const struct gn_value *v,
					    struct gn_value *tmp)
{
	const struct gn_layer *up = gn_layer_above(l);

	if (gn_layer_isset(l, F_OPTIONS) || !up || up->proto != &gn_proto_dhcp)
		return v;
	memset(tmp, 0, sizeof(*tmp));
	tmp->type = GN_V_BYTES;
	tmp->len = sizeof(dhcp_magic);
	tmp->bytes = (uint8_t *)dhcp_magic;
	return tmp;
}

static bool has_magic(const struct gn_value *v)
{
	return v->type == GN_V_BYTES && v->len >= sizeof(dhcp_magic) &&
	       !memcmp(v->bytes, dhcp_magic, sizeof(dhcp_magic));
}

static int options_dissect(struct gn_dissect_ctx *c, struct gn_layer *l, const struct gn_field *f,
			   struct gn_value *out)
{
	size_t avail = c->len > c->off ? c->len - c->off : 0;
	const uint8_t *p;
	int err;

	(void)l;
	(void)f;
	if (avail >= sizeof(dhcp_magic) && !memcmp(c->p + c->off, dhcp_magic, sizeof(dhcp_magic)))
		avail = sizeof(dhcp_magic); /* the rest is DHCP's */
	err = gn_rd_bytes(c, avail, &p);
	if (err)
		return err;
	return gn_bytes_value(c->arena, p, avail, out);
}

static int options_build(struct gn_build_ctx *c, const struct gn_layer *l, const struct gn_field *f,
			 const struct gn_value *v)
{
	struct gn_value tmp;

	return gn_kind_rest.build(c, l, f, options_value(l, v, &tmp));
}

GN_INHERIT_ASSIGN(options_assign, gn_kind_rest)

static size_t options_wire_len(const struct gn_layer *l, const struct gn_field *f,
			       const struct gn_value *v)
{
	struct gn_value tmp;

	return gn_kind_rest.wire_len(l, f, options_value(l, v, &tmp));
}

/* Scapy's StrEnumField.i2repr: repr of the value without trailing NULs,
 * and "(DHCP magic)" for the cookie. */
static void options_format(const struct gn_layer *l, const struct gn_field *f,
			   const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	struct gn_value tmp;
	size_t n;

	v = options_value(l, v, &tmp);
	if (r != GN_REPR_HUMAN || v->type != GN_V_BYTES) {
		gn_kind_rest.format(l, f, v, sb, r);
		return;
	}
	n = v->len;
	while (n && v->bytes[n - 1] == 0)
		n--;
	gn_sb_pybytes(sb, v->bytes, n);
	if (n == sizeof(dhcp_magic) && has_magic(v))
		gn_sb_puts(sb, " (DHCP magic)");
}

static const struct gn_field_ops bootp_kind_options = {
	.kind = "StrEnumField",
	.dissect = options_dissect,
	.build = options_build,
	.assign = options_assign,
	.format = options_format,
	.wire_len = options_wire_len,
	.is_scalar = true,
};

/* ---- BOOTP ---------------------------------------------------------------- */

static const struct gn_field bootp_fields[] = {
	[F_OP] = GN_ENUM("op", 8, 1, bootp_ops),
	[F_HTYPE] = GN_ENUM("htype", 8, 1, gn_hardware_types),
	[F_HLEN] = GN_BYTE("hlen", 6),
	[F_HOPS] = GN_BYTE("hops", 0),
	[F_XID] = GN_XINT("xid", 0),
	[F_SECS] = GN_SHORT("secs", 0),
	[F_FLAGS] = GN_FLAGS("flags", 16, 0, "???????????????B"),
	[F_CIADDR] = GN_IPV4("ciaddr", "0.0.0.0"),
	[F_YIADDR] = GN_IPV4("yiaddr", "0.0.0.0"),
	[F_SIADDR] = GN_IPV4("siaddr", "0.0.0.0"),
	[F_GIADDR] = GN_IPV4("giaddr", "0.0.0.0"),
	[F_CHADDR] = GN_FIELD_(("chaddr"), bootp_kind_chaddr, 0, .size = 16, .dflt_str = ""),
	[F_SNAME] = GN_FIXBYTES("sname", 64, ""),
	[F_FILE] = GN_FIXBYTES("file", 128, ""),
	[F_OPTIONS] = GN_FIELD_("options", bootp_kind_options, 0, .dflt_str = ""),
};

static const struct gn_proto *bootp_guess_payload(const struct gn_layer *l,
						  const uint8_t *payload, size_t len)
{
	(void)payload;
	(void)len;
	return has_magic(gn_layer_get(l, F_OPTIONS)) ? &gn_proto_dhcp : NULL;
}

static uint32_t bootp_hashret(const struct gn_layer *l)
{
	return (uint32_t)gn_field_uint(l, F_XID);
}

static bool bootp_answers(const struct gn_layer *reply, const struct gn_layer *probe)
{
	return probe->proto == &gn_proto_bootp &&
	       gn_field_uint(reply, F_XID) == gn_field_uint(probe, F_XID);
}

const struct gn_proto gn_proto_bootp = {
	.name = "BOOTP",
	.fields = bootp_fields, .nfields = BOOTP_NFIELDS,
	.guess_payload = bootp_guess_payload,
	.hashret = bootp_hashret,
	.answers = bootp_answers,
};

/* ---- DHCP options ------------------------------------------------------------ */

enum opt_kind {
	O_RAW,      /* no value type: bytes, or the code alone when bare */
	O_IP,       /* IPField, repeated */
	O_INT,      /* IntField (unsigned 32 bits), repeated */
	O_SHORT,    /* ShortField, repeated */
	O_BYTE,     /* ByteField, repeated */
	O_MSGTYPE,  /* ByteEnumField of DHCP message types */
	O_STR,      /* StrField: all the bytes */
	O_BYTELIST, /* FieldListField of bytes: one list */
	O_ROUTES,   /* RFC 3442 classless static routes: one list of "net/len:gw" */
};

struct dhcp_opt {
	uint8_t code;
	const char *name;
	enum opt_kind kind;
};

/* Scapy 2.5's DHCPOptions */
static const struct dhcp_opt dhcp_opts[] = {
	{ 0, "pad", O_RAW }, { 1, "subnet_mask", O_IP }, { 2, "time_zone", O_INT },
	{ 3, "router", O_IP }, { 4, "time_server", O_IP }, { 5, "IEN_name_server", O_IP },
	{ 6, "name_server", O_IP }, { 7, "log_server", O_IP }, { 8, "cookie_server", O_IP },
	{ 9, "lpr_server", O_IP }, { 10, "impress-servers", O_IP },
	{ 11, "resource-location-servers", O_IP }, { 12, "hostname", O_RAW },
	{ 13, "boot-size", O_SHORT }, { 14, "dump_path", O_RAW }, { 15, "domain", O_RAW },
	{ 16, "swap-server", O_IP }, { 17, "root_disk_path", O_RAW },
	{ 18, "extensions-path", O_RAW }, { 19, "ip-forwarding", O_BYTE },
	{ 20, "non-local-source-routing", O_BYTE }, { 21, "policy-filter", O_IP },
	{ 22, "max_dgram_reass_size", O_SHORT }, { 23, "default_ttl", O_BYTE },
	{ 24, "pmtu_timeout", O_INT }, { 25, "path-mtu-plateau-table", O_SHORT },
	{ 26, "interface-mtu", O_SHORT }, { 27, "all-subnets-local", O_BYTE },
	{ 28, "broadcast_address", O_IP }, { 29, "perform-mask-discovery", O_BYTE },
	{ 30, "mask-supplier", O_BYTE }, { 31, "router-discovery", O_BYTE },
	{ 32, "router-solicitation-address", O_IP }, { 33, "static-routes", O_IP },
	{ 34, "trailer-encapsulation", O_BYTE }, { 35, "arp_cache_timeout", O_INT },
	{ 36, "ieee802-3-encapsulation", O_BYTE }, { 37, "tcp_ttl", O_BYTE },
	{ 38, "tcp_keepalive_interval", O_INT }, { 39, "tcp_keepalive_garbage", O_BYTE },
	{ 40, "NIS_domain", O_STR }, { 41, "NIS_server", O_IP }, { 42, "NTP_server", O_IP },
	{ 43, "vendor_specific", O_RAW }, { 44, "NetBIOS_server", O_IP },
	{ 45, "NetBIOS_dist_server", O_IP }, { 46, "NetBIOS_node_type", O_BYTE },
	{ 47, "netbios-scope", O_RAW }, { 48, "font-servers", O_IP },
	{ 49, "x-display-manager", O_IP }, { 50, "requested_addr", O_IP },
	{ 51, "lease_time", O_INT }, { 52, "dhcp-option-overload", O_BYTE },
	{ 53, "message-type", O_MSGTYPE }, { 54, "server_id", O_IP },
	{ 55, "param_req_list", O_BYTELIST }, { 56, "error_message", O_RAW },
	{ 57, "max_dhcp_size", O_SHORT }, { 58, "renewal_time", O_INT },
	{ 59, "rebinding_time", O_INT }, { 60, "vendor_class_id", O_STR },
	{ 61, "client_id", O_STR }, { 62, "nwip-domain-name", O_RAW },
	{ 64, "NISplus_domain", O_RAW }, { 65, "NISplus_server", O_IP },
	{ 66, "tftp_server_name", O_RAW }, { 67, "boot-file-name", O_STR },
	{ 68, "mobile-ip-home-agent", O_IP }, { 69, "SMTP_server", O_IP },
	{ 70, "POP3_server", O_IP }, { 71, "NNTP_server", O_IP }, { 72, "WWW_server", O_IP },
	{ 73, "Finger_server", O_IP }, { 74, "IRC_server", O_IP },
	{ 75, "StreetTalk_server", O_IP }, { 76, "StreetTalk_Dir_Assistance", O_IP },
	{ 77, "user_class", O_RAW }, { 78, "slp_service_agent", O_RAW },
	{ 79, "slp_service_scope", O_RAW }, { 81, "client_FQDN", O_RAW },
	{ 82, "relay_agent_information", O_RAW }, { 85, "nds-server", O_IP },
	{ 86, "nds-tree-name", O_STR }, { 87, "nds-context", O_STR },
	{ 88, "bcms-controller-namesi", O_RAW }, { 89, "bcms-controller-address", O_IP },
	{ 91, "client-last-transaction-time", O_INT }, { 92, "associated-ip", O_IP },
	{ 93, "pxe_client_architecture", O_RAW }, { 94, "pxe_client_network_interface", O_RAW },
	{ 97, "pxe_client_machine_identifier", O_RAW }, { 98, "uap-servers", O_STR },
	{ 100, "pcode", O_STR }, { 101, "tcode", O_STR }, { 112, "netinfo-server-address", O_IP },
	{ 113, "netinfo-server-tag", O_STR }, { 114, "default-url", O_STR },
	{ 116, "auto-config", O_BYTE }, { 117, "name-service-search", O_SHORT },
	{ 118, "subnet-selection", O_IP }, { 121, "classless_static_routes", O_ROUTES },
	{ 124, "vendor_class", O_RAW }, { 125, "vendor_specific_information", O_RAW },
	{ 128, "tftp_server_ip_address", O_IP }, { 136, "pana-agent", O_IP },
	{ 137, "v4-lost", O_RAW }, { 138, "capwap-ac-v4", O_IP },
	{ 141, "sip_ua_service_domains", O_RAW }, { 146, "rdnss-selection", O_RAW },
	{ 150, "tftp_server_address", O_IP }, { 159, "v4-portparams", O_RAW },
	{ 160, "v4-captive-portal", O_STR }, { 161, "mud-url", O_STR },
	{ 208, "pxelinux_magic", O_RAW }, { 209, "pxelinux_configuration_file", O_RAW },
	{ 210, "pxelinux_path_prefix", O_RAW }, { 211, "pxelinux_reboot_time", O_RAW },
	{ 212, "option-6rd", O_RAW }, { 213, "v4-access-domain", O_RAW }, { 255, "end", O_RAW },
};

#define N_OPTS (sizeof(dhcp_opts) / sizeof(dhcp_opts[0]))

static const struct dhcp_opt *opt_by_code(unsigned code)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (dhcp_opts[i].code == code)
			return &dhcp_opts[i];
	return NULL;
}

static const struct dhcp_opt *opt_by_name(const char *s, size_t n)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (strlen(dhcp_opts[i].name) == n && !memcmp(dhcp_opts[i].name, s, n))
			return &dhcp_opts[i];
	return NULL;
}

/* Bytes one value of a fixed-size kind takes. */
static size_t kind_size(enum opt_kind k)
{
	switch (k) {
	case O_IP: case O_INT: return 4;
	case O_SHORT: return 2;
	case O_BYTE: case O_MSGTYPE: return 1;
	default: return 0;
	}
}

/* ---- reading ---- */

/* RFC 3442 routes as Scapy's ClasslessStaticRoutesField reads them:
 * "dest/prefix:router", each route 5 + ceil(prefix/8) bytes. */
static int routes_read(struct gn_arena *a, const uint8_t *p, size_t n, struct gn_value *out)
{
	struct gn_value *items = gn_new_items(a, n / 5 + 1);
	uint32_t k = 0;

	if (!items)
		return -ENOMEM;
	while (n) {
		unsigned prefix = p[0], octets = (prefix + 7) / 8;
		uint8_t dest[4] = { 0 };
		char text[40];
		int len;

		if (prefix > 32 || n < 5 + octets)
			return -EINVAL;
		memcpy(dest, p + 1, octets);
		len = snprintf(text, sizeof(text), "%u.%u.%u.%u/%u:%u.%u.%u.%u", dest[0], dest[1],
			       dest[2], dest[3], prefix, p[1 + octets], p[2 + octets],
			       p[3 + octets], p[4 + octets]);
		if (gn_bytes_value(a, text, (size_t)len, &items[k++]))
			return -ENOMEM;
		p += 5 + octets;
		n -= 5 + octets;
	}
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	out->len = k;
	out->items = items;
	return 0;
}

/* The values of a known option: 0 = done, -EINVAL = they do not parse
 * (Scapy then keeps the rest of the options as raw bytes). */
static int opt_values(struct gn_arena *a, const struct dhcp_opt *o, const uint8_t *p, size_t n,
		      struct gn_value *tuple)
{
	size_t sz = kind_size(o->kind), nv;
	struct gn_value *items;

	if (sz && n % sz)
		return -EINVAL;
	nv = sz ? n / sz : (n ? 1 : 0);
	if (o->kind == O_RAW)
		nv = 1; /* (name, bytes), even empty */
	items = gn_new_items(a, nv + 1);
	if (!items)
		return -ENOMEM;
	gn_name_value(&items[0], o->name);
	for (size_t i = 0; i < nv; i++) {
		struct gn_value *v = &items[1 + i];
		const uint8_t *q = p + i * sz;
		int err = 0;

		memset(v, 0, sizeof(*v));
		switch (o->kind) {
		case O_IP:
			v->type = GN_V_ADDR;
			v->alen = 4;
			memcpy(v->addr, q, 4);
			break;
		case O_INT:
			*v = gn_v_int((uint64_t)q[0] << 24 | (uint64_t)q[1] << 16 | q[2] << 8 | q[3]);
			break;
		case O_SHORT:
			*v = gn_v_int((uint64_t)q[0] << 8 | q[1]);
			break;
		case O_BYTE:
		case O_MSGTYPE:
			*v = gn_v_int(q[0]);
			break;
		case O_RAW:
		case O_STR:
			err = gn_bytes_value(a, p, n, v);
			break;
		case O_BYTELIST:
			v->type = GN_V_LIST;
			v->len = (uint32_t)n;
			v->items = gn_new_items(a, n);
			if (!v->items)
				return -ENOMEM;
			for (size_t j = 0; j < n; j++)
				v->items[j] = gn_v_int(p[j]);
			break;
		case O_ROUTES:
			err = routes_read(a, p, n, v);
			break;
		}
		if (err)
			return err;
	}
	memset(tuple, 0, sizeof(*tuple));
	tuple->type = GN_V_TUPLE;
	tuple->len = (uint32_t)(nv + 1);
	tuple->items = items;
	return 0;
}

/* Scapy's DHCPOptionsField.m2i */
static int dhcpopts_dissect(struct gn_dissect_ctx *c, struct gn_layer *l,
			    const struct gn_field *f, struct gn_value *out)
{
	size_t n = c->len > c->off ? c->len - c->off : 0;
	struct gn_value *items;
	const uint8_t *p;
	uint32_t k = 0;
	int err;

	(void)l;
	(void)f;
	err = gn_rd_bytes(c, n, &p);
	if (err)
		return err;
	items = gn_new_items(c->arena, n);
	if (!items)
		return -ENOMEM;
	while (n) {
		const struct dhcp_opt *o = opt_by_code(p[0]);
		size_t olen;

		if (p[0] == 255 || p[0] == 0) {
			gn_name_value(&items[k++], p[0] ? "end" : "pad");
			p++;
			n--;
			continue;
		}
		if (n < 2 || n < (size_t)p[1] + 2)
			break;
		olen = p[1];
		if (o) {
			err = opt_values(c->arena, o, p + 2, olen, &items[k]);
			if (err == -ENOMEM)
				return err;
			if (err)
				break;
			k++;
		} else {
			struct gn_value *t = gn_new_items(c->arena, 2);

			if (!t || gn_bytes_value(c->arena, p + 2, olen, &t[1]))
				return -ENOMEM;
			t[0] = gn_v_int(p[0]);
			memset(&items[k], 0, sizeof(items[k]));
			items[k].type = GN_V_TUPLE;
			items[k].len = 2;
			items[k].items = t;
			k++;
		}
		p += 2 + olen;
		n -= 2 + olen;
	}
	if (n && gn_bytes_value(c->arena, p, n, &items[k++]))
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	out->len = k;
	out->items = items;
	return 0;
}

/* ---- writing ---- */

static int route_put(struct gn_wbuf *w, const struct gn_value *v)
{
	char text[64], *slash, *colon;
	uint8_t dest[4], gw[4], prefix;
	unsigned long pl;
	char *end;

	if (v->type != GN_V_BYTES || v->len >= sizeof(text))
		return -EINVAL;
	memcpy(text, v->bytes, v->len);
	text[v->len] = 0;
	slash = strchr(text, '/');
	colon = slash ? strchr(slash, ':') : NULL;
	if (!slash || !colon)
		return -EINVAL;
	*slash = *colon = 0;
	pl = strtoul(slash + 1, &end, 10);
	if (end == slash + 1 || *end || pl > 32 || inet_pton(AF_INET, text, dest) != 1 ||
	    inet_pton(AF_INET, colon + 1, gw) != 1)
		return -EINVAL;
	prefix = (uint8_t)pl;
	gn_wbuf_put(w, &prefix, 1);
	gn_wbuf_put(w, dest, (pl + 7) / 8);
	gn_wbuf_put(w, gw, 4);
	return 0;
}

/* One value of option kind k, appended to w. */
static int value_put(struct gn_wbuf *w, enum opt_kind k, const struct gn_value *v)
{
	switch (k) {
	case O_IP:
		if (v->type != GN_V_ADDR || v->alen != 4)
			return -EINVAL;
		gn_wbuf_put(w, v->addr, 4);
		return 0;
	case O_INT:
	case O_SHORT:
	case O_BYTE:
	case O_MSGTYPE:
		if (v->type != GN_V_INT)
			return -EINVAL;
		gn_wbuf_put_uint(w, v->u, (unsigned)kind_size(k), false);
		return 0;
	case O_BYTELIST:
		if (v->type != GN_V_LIST)
			return -EINVAL;
		for (uint32_t i = 0; i < v->len; i++) {
			uint8_t b = (uint8_t)v->items[i].u;

			if (v->items[i].type != GN_V_INT)
				return -EINVAL;
			gn_wbuf_put(w, &b, 1);
		}
		return 0;
	case O_ROUTES:
		if (v->type != GN_V_LIST)
			return route_put(w, v);
		for (uint32_t i = 0; i < v->len; i++) {
			int err = route_put(w, &v->items[i]);

			if (err)
				return err;
		}
		return 0;
	case O_RAW:
	case O_STR:
		if (v->type != GN_V_BYTES)
			return -EINVAL;
		gn_wbuf_put(w, v->bytes, v->len);
		return 0;
	}
	return -EINVAL;
}

static int tuple_put(struct gn_wbuf *w, const struct gn_value *t)
{
	const struct gn_value *head = &t->items[0];
	enum opt_kind k = O_RAW;
	size_t start, len;
	uint8_t hdr[2];

	if (!t->len)
		return -EINVAL;
	if (head->type == GN_V_NAME) {
		const struct dhcp_opt *o = opt_by_name((const char *)head->bytes, head->len);

		if (!o)
			return -EINVAL;
		hdr[0] = o->code;
		k = o->kind;
	} else if (head->type == GN_V_INT) {
		hdr[0] = (uint8_t)head->u;
	} else {
		return -EINVAL;
	}
	hdr[1] = 0;
	gn_wbuf_put(w, hdr, 2);
	start = w->len;
	for (uint32_t i = 1; i < t->len; i++) {
		int err = value_put(w, k, &t->items[i]);

		if (err)
			return err;
	}
	if (w->err)
		return w->err;
	len = w->len - start;
	if (len > 255)
		return -EMSGSIZE; /* Scapy's struct.pack("!BB") refuses it too */
	w->p[start - 1] = (uint8_t)len;
	return 0;
}

/* Scapy's DHCPOptionsField.i2m */
static int dhcpopts_build(struct gn_build_ctx *c, const struct gn_layer *l,
			  const struct gn_field *f, const struct gn_value *v)
{
	(void)l;
	(void)f;
	if (v->type != GN_V_LIST)
		return v->type == GN_V_NONE ? 0 : -EINVAL;
	for (uint32_t i = 0; i < v->len; i++) {
		const struct gn_value *it = &v->items[i];
		int err = 0;

		switch (it->type) {
		case GN_V_NAME: {
			const struct dhcp_opt *o = opt_by_name((const char *)it->bytes, it->len);

			if (!o)
				return -EINVAL;
			gn_wbuf_put(&c->w, &o->code, 1);
			break;
		}
		case GN_V_INT: {
			uint8_t two[2] = { (uint8_t)it->u, 0 };

			gn_wbuf_put(&c->w, two, 2);
			break;
		}
		case GN_V_BYTES:
			gn_wbuf_put(&c->w, it->bytes, it->len);
			break;
		case GN_V_TUPLE:
			err = tuple_put(&c->w, it);
			break;
		default:
			err = -EINVAL;
		}
		if (err)
			return err;
	}
	return c->w.err;
}

/* ---- from the expression language ---- */

static int opt_error(struct gn_error *err, const struct gn_ast *a, const char *what,
		     const struct dhcp_opt *o)
{
	return gn_error_set(err, -EINVAL, a->column, "DHCP option '%s' takes %s", o->name, what);
}

static int int_value(const struct gn_ast *a, uint64_t max, uint64_t *out)
{
	if (a->type != GN_AST_NUM && a->type != GN_AST_BOOL)
		return -EINVAL;
	if (a->neg || a->num > max)
		return -ERANGE;
	*out = a->num;
	return 0;
}

/* The list value of an option given one element or a list or tuple of them
 * (Scapy's FieldListField.any2i): out gets room for the items, *its the
 * elements; *a is the expression. */
static int list_from_ast(struct gn_arena *ar, const struct gn_ast *const *a, struct gn_value *out,
			 const struct gn_ast *const **its)
{
	*its = a;
	out->len = 1;
	if ((*a)->type == GN_AST_LIST || (*a)->type == GN_AST_TUPLE) {
		*its = (const struct gn_ast *const *)(*a)->items;
		out->len = (*a)->n;
	}
	out->type = GN_V_LIST;
	out->items = gn_new_items(ar, out->len);
	return out->items ? 0 : -ENOMEM;
}

/* One value of option o from its expression. */
static int value_from_ast(struct gn_arena *ar, const struct dhcp_opt *o, const struct gn_ast *a,
			  struct gn_value *out, struct gn_error *err)
{
	uint64_t u;

	memset(out, 0, sizeof(*out));
	switch (o->kind) {
	case O_IP:
		if (a->type != GN_AST_STR || inet_pton(AF_INET, a->str, out->addr) != 1)
			return opt_error(err, a, "IPv4 addresses such as \"10.0.0.1\"", o);
		out->type = GN_V_ADDR;
		out->alen = 4;
		return 0;
	case O_MSGTYPE:
		if (a->type == GN_AST_STR || a->type == GN_AST_NAME) {
			if (gn_enum_value(dhcp_types, a->str, a->len, &u))
				return gn_error_set(err, -EINVAL, a->column,
						    "unknown DHCP message type '%s' (discover, offer, request, decline, ack, nak, release, inform, ...)",
						    a->str);
			*out = gn_v_int(u);
			return 0;
		}
		if (int_value(a, 255, &u))
			return opt_error(err, a, "a message type name or a number 0..255", o);
		*out = gn_v_int(u);
		return 0;
	case O_INT:
		if (int_value(a, 0xffffffffull, &u))
			return opt_error(err, a, "integers 0..4294967295", o);
		*out = gn_v_int(u);
		return 0;
	case O_SHORT:
		if (int_value(a, 0xffff, &u))
			return opt_error(err, a, "integers 0..65535", o);
		*out = gn_v_int(u);
		return 0;
	case O_BYTE:
		if (int_value(a, 255, &u))
			return opt_error(err, a, "integers 0..255", o);
		*out = gn_v_int(u);
		return 0;
	case O_BYTELIST: {
		/* a single number is a list of one */
		const struct gn_ast *const *its;

		if (list_from_ast(ar, &a, out, &its))
			return -ENOMEM;
		for (unsigned i = 0; i < out->len; i++) {
			if (int_value(its[i], 255, &u))
				return opt_error(err, its[i], "a list of integers 0..255", o);
			out->items[i] = gn_v_int(u);
		}
		return 0;
	}
	case O_ROUTES: {
		const struct gn_ast *const *its;
		struct gn_wbuf w = { 0 };

		if (list_from_ast(ar, &a, out, &its))
			return -ENOMEM;
		for (unsigned i = 0; i < out->len; i++) {
			int bad = its[i]->type != GN_AST_STR;

			if (!bad && gn_bytes_value(ar, its[i]->str, its[i]->len, &out->items[i]))
				return -ENOMEM;
			/* checked now, so that a mistake is reported where it is */
			if (!bad)
				bad = route_put(&w, &out->items[i]);
			w.len = 0;
			if (bad) {
				free(w.p);
				return opt_error(err, its[i], "routes such as \"10.0.0.0/8:192.168.0.1\"", o);
			}
		}
		free(w.p);
		return 0;
	}
	case O_RAW:
	case O_STR:
		if (a->type != GN_AST_STR && a->type != GN_AST_BYTES)
			return opt_error(err, a, "a string or bytes", o);
		return gn_bytes_value(ar, a->str, a->len, out);
	}
	return -EINVAL;
}

static int tuple_from_ast(struct gn_arena *ar, const struct gn_ast *a, struct gn_value *out,
			  struct gn_error *err)
{
	const struct gn_ast *head = a->n ? a->items[0] : NULL;
	struct gn_value *items;

	if (!head || a->n < 2)
		return gn_error_set(err, -EINVAL, a->column,
				    "a DHCP option is (name, value): ('message-type', 'discover')");
	items = gn_new_items(ar, a->n);
	if (!items)
		return -ENOMEM;
	if (head->type == GN_AST_NUM) {
		if (head->neg || head->num > 255)
			return gn_error_set(err, -ERANGE, head->column,
					    "a DHCP option number is 0..255");
		items[0] = gn_v_int(head->num);
		for (unsigned i = 1; i < a->n; i++) {
			const struct gn_ast *v = a->items[i];

			if (v->type != GN_AST_STR && v->type != GN_AST_BYTES)
				return gn_error_set(err, -EINVAL, v->column,
						    "DHCP option %" PRIu64 " takes bytes", head->num);
			if (gn_bytes_value(ar, v->str, v->len, &items[i]))
				return -ENOMEM;
		}
	} else if (head->type == GN_AST_STR || head->type == GN_AST_NAME) {
		const struct dhcp_opt *o = opt_by_name(head->str, head->len);

		if (!o) {
			const char *cands[N_OPTS];
			const char *best;

			for (size_t i = 0; i < N_OPTS; i++)
				cands[i] = dhcp_opts[i].name;
			best = gn_closest(head->str, head->len, cands, N_OPTS);
			if (best)
				return gn_error_set(err, -ENOENT, head->column,
						    "unknown DHCP option '%s'; did you mean '%s'?",
						    head->str, best);
			return gn_error_set(err, -ENOENT, head->column,
					    "unknown DHCP option '%s'", head->str);
		}
		gn_name_value(&items[0], o->name);
		for (unsigned i = 1; i < a->n; i++) {
			int rc = value_from_ast(ar, o, a->items[i], &items[i], err);

			if (rc)
				return rc;
		}
	} else {
		return gn_error_set(err, -EINVAL, head->column,
				    "a DHCP option starts with its name or number");
	}
	memset(out, 0, sizeof(*out));
	out->type = GN_V_TUPLE;
	out->len = a->n;
	out->items = items;
	return 0;
}

static int item_from_ast(struct gn_arena *ar, const struct gn_ast *a, struct gn_value *out,
			 struct gn_error *err)
{
	memset(out, 0, sizeof(*out));
	switch (a->type) {
	case GN_AST_TUPLE:
		return tuple_from_ast(ar, a, out, err);
	case GN_AST_STR:
	case GN_AST_NAME: {
		/* an option without a value type is its code alone ('end');
		 * any other string is written as it is, as Scapy does */
		const struct dhcp_opt *o = opt_by_name(a->str, a->len);

		if (o && o->kind == O_RAW) {
			gn_name_value(out, o->name);
			return 0;
		}
		return gn_bytes_value(ar, a->str, a->len, out);
	}
	case GN_AST_BYTES:
		return gn_bytes_value(ar, a->str, a->len, out);
	case GN_AST_NUM:
		if (a->neg || a->num > 255)
			return gn_error_set(err, -ERANGE, a->column, "a DHCP option number is 0..255");
		*out = gn_v_int(a->num);
		return 0;
	default:
		return gn_error_set(err, -EINVAL, a->column,
				    "a DHCP option is ('name', value), 'end', 'pad' or bytes");
	}
}

static int dhcpopts_assign(struct gn_arena *ar, const struct gn_field *f, const struct gn_ast *ast,
			   struct gn_value *out, struct gn_error *err)
{
	const struct gn_ast *const *its = (const struct gn_ast *const *)&ast;
	unsigned n = 1;

	memset(out, 0, sizeof(*out));
	out->type = GN_V_LIST;
	if (ast->type == GN_AST_NONE)
		return 0;
	if (ast->type == GN_AST_LIST) {
		its = (const struct gn_ast *const *)ast->items;
		n = ast->n;
	} else if (ast->type != GN_AST_STR && ast->type != GN_AST_BYTES) {
		return gn_error_set(err, -EINVAL, ast->column,
				    "field '%s' takes a list of options: [('message-type', 'discover'), 'end']",
				    f->name);
	}
	out->items = gn_new_items(ar, n);
	if (!out->items)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		int rc = item_from_ast(ar, its[i], &out->items[i], err);

		if (rc)
			return rc;
	}
	out->len = n;
	return 0;
}

/* ---- as text ---- */

static void put_quoted_name(struct gn_strbuf *sb, const struct gn_value *v, enum gn_repr r)
{
	gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
	gn_sb_putn(sb, (const char *)v->bytes, v->len);
	gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
}

static void bytes_text(struct gn_strbuf *sb, const struct gn_value *v, enum gn_repr r)
{
	if (r == GN_REPR_JSON) {
		gn_sb_putc(sb, '"');
		gn_sb_hex(sb, v->bytes, v->len);
		gn_sb_putc(sb, '"');
	} else {
		gn_sb_pybytes(sb, v->bytes, v->len);
	}
}

/* One value of option kind k: Scapy's field i2repr for show(), Python's
 * repr for command(), JSON for JSON. */
static void value_text(struct gn_strbuf *sb, enum opt_kind k, const struct gn_value *v,
		       enum gn_repr r)
{
	const char *name;

	switch (v->type) {
	case GN_V_ADDR:
		if (r != GN_REPR_HUMAN)
			gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
		gn_addr_text(v, sb);
		if (r != GN_REPR_HUMAN)
			gn_sb_putc(sb, r == GN_REPR_JSON ? '"' : '\'');
		return;
	case GN_V_INT:
		if (k == O_MSGTYPE && r == GN_REPR_HUMAN && (name = gn_enum_name(dhcp_types, v->u)))
			gn_sb_puts(sb, name);
		else
			gn_sb_printf(sb, "%" PRIu64, v->u);
		return;
	case GN_V_BYTES:
		if (k == O_ROUTES) {
			/* routes are text in Scapy */
			if (r == GN_REPR_JSON)
				gn_sb_json_str(sb, (const char *)v->bytes, v->len);
			else
				gn_sb_pystr(sb, v->bytes, v->len);
		} else if (k == O_STR && r == GN_REPR_HUMAN) {
			gn_sb_pystr(sb, v->bytes, v->len);
		} else {
			bytes_text(sb, v, r);
		}
		return;
	case GN_V_LIST:
		gn_sb_putc(sb, '[');
		for (uint32_t i = 0; i < v->len; i++) {
			if (i)
				gn_sb_puts(sb, r == GN_REPR_JSON ? "," : ", ");
			value_text(sb, k, &v->items[i], r);
		}
		gn_sb_putc(sb, ']');
		return;
	default:
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
	}
}

static enum opt_kind tuple_kind(const struct gn_value *t)
{
	const struct dhcp_opt *o = NULL;

	if (t->len && t->items[0].type == GN_V_NAME)
		o = opt_by_name((const char *)t->items[0].bytes, t->items[0].len);
	return o ? o->kind : O_RAW;
}

/* Scapy's DHCPOptionsField.i2repr: "[message-type=discover end]" */
static void human_item(struct gn_strbuf *sb, const struct gn_value *it)
{
	switch (it->type) {
	case GN_V_NAME:
		gn_sb_putn(sb, (const char *)it->bytes, it->len);
		return;
	case GN_V_INT:
		gn_sb_printf(sb, "%" PRIu64, it->u);
		return;
	case GN_V_BYTES:
		/* sane(): printable ASCII, others as '.' */
		for (uint32_t i = 0; i < it->len; i++)
			gn_sb_putc(sb, it->bytes[i] >= 32 && it->bytes[i] < 127 ? (char)it->bytes[i] : '.');
		return;
	case GN_V_TUPLE: {
		enum opt_kind k = tuple_kind(it);

		if (!it->len)
			return;
		if (it->items[0].type == GN_V_NAME)
			gn_sb_putn(sb, (const char *)it->items[0].bytes, it->items[0].len);
		else
			gn_sb_printf(sb, "%" PRIu64, it->items[0].u);
		if (it->len < 2)
			return;
		gn_sb_putc(sb, '=');
		for (uint32_t i = 1; i < it->len; i++) {
			if (i > 1)
				gn_sb_putc(sb, ',');
			value_text(sb, k, &it->items[i], GN_REPR_HUMAN);
		}
		return;
	}
	default:
		return;
	}
}

/* Python's repr (command()) or JSON of one option. */
static void expr_item(struct gn_strbuf *sb, const struct gn_value *it, enum gn_repr r)
{
	switch (it->type) {
	case GN_V_NAME:
		put_quoted_name(sb, it, r);
		return;
	case GN_V_INT:
		gn_sb_printf(sb, "%" PRIu64, it->u);
		return;
	case GN_V_BYTES:
		bytes_text(sb, it, r);
		return;
	case GN_V_TUPLE: {
		enum opt_kind k = tuple_kind(it);

		gn_sb_putc(sb, r == GN_REPR_JSON ? '[' : '(');
		for (uint32_t i = 0; i < it->len; i++) {
			if (i)
				gn_sb_puts(sb, r == GN_REPR_JSON ? "," : ", ");
			if (i == 0 && it->items[0].type == GN_V_NAME)
				put_quoted_name(sb, &it->items[0], r);
			else if (i == 0)
				gn_sb_printf(sb, "%" PRIu64, it->items[0].u);
			else
				value_text(sb, k, &it->items[i], r);
		}
		if (r != GN_REPR_JSON && it->len == 1)
			gn_sb_putc(sb, ',');
		gn_sb_putc(sb, r == GN_REPR_JSON ? ']' : ')');
		return;
	}
	default:
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
	}
}

static void dhcpopts_format(const struct gn_layer *l, const struct gn_field *f,
			    const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr r)
{
	(void)l;
	(void)f;
	if (v->type != GN_V_LIST) {
		gn_sb_puts(sb, r == GN_REPR_JSON ? "null" : "None");
		return;
	}
	gn_sb_putc(sb, '[');
	for (uint32_t i = 0; i < v->len; i++) {
		if (i)
			gn_sb_puts(sb, r == GN_REPR_HUMAN ? " " : r == GN_REPR_JSON ? "," : ", ");
		if (r == GN_REPR_HUMAN)
			human_item(sb, &v->items[i]);
		else
			expr_item(sb, &v->items[i], r);
	}
	gn_sb_putc(sb, ']');
}

static const struct gn_field_ops dhcp_kind_options = {
	.kind = "DHCPOptionsField",
	.dissect = dhcpopts_dissect,
	.build = dhcpopts_build,
	.assign = dhcpopts_assign,
	.format = dhcpopts_format,
	.is_list = true,
};

/* ---- DHCP ------------------------------------------------------------------- */

static const struct gn_field dhcp_fields[] = {
	GN_FIELD_("options", dhcp_kind_options, 0),
};

/* "DHCP Discover": the first message-type option, its name capitalised */
static bool dhcp_summary(const struct gn_layer *l, struct gn_strbuf *sb)
{
	const struct gn_value *v = gn_layer_get(l, 0);

	for (uint32_t i = 0; v->type == GN_V_LIST && i < v->len; i++) {
		const struct gn_value *it = &v->items[i];
		const char *name;

		if (it->type != GN_V_TUPLE || it->len < 2 || it->items[0].type != GN_V_NAME ||
		    it->items[0].len != 12 || memcmp(it->items[0].bytes, "message-type", 12))
			continue;
		gn_sb_puts(sb, "DHCP ");
		name = it->items[1].type == GN_V_INT ? gn_enum_name(dhcp_types, it->items[1].u) : NULL;
		if (name) {
			gn_sb_putc(sb, (char)(name[0] - 'a' + 'A'));
			gn_sb_puts(sb, name + 1);
		}
		return true;
	}
	return false;
}

const struct gn_proto gn_proto_dhcp = {
	.name = "DHCP", .long_name = "DHCP options",
	.fields = dhcp_fields, .nfields = 1,
	.summary = dhcp_summary,
};

void gn_proto_dhcp_register(void)
{
	gn_proto_register(&gn_proto_bootp);
	gn_proto_register(&gn_proto_dhcp);
	/* Scapy's order; building takes the last: UDP()/BOOTP() is 67 -> 68 */
	gn_bind_l4(&gn_proto_udp, &gn_proto_bootp, "dport=67,sport=68", GN_BIND_BOTH);
	gn_bind_l4(&gn_proto_udp, &gn_proto_bootp, "dport=68,sport=67", GN_BIND_BOTH);
	gn_bind_l4(&gn_proto_udp, &gn_proto_bootp, "dport=67,sport=67", GN_BIND_DISSECT);
}
