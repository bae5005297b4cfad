// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ESCP, the "add your own protocol" showcase: a 16-bit bit-field header and
 * a 62-byte message on UDP port 1337.  Written with the public API only, the
 * way a program adds its own protocol at run time.
 */
#include <gannet/gannet.h>

void gn_proto_escp_register(void);

static const struct gn_field escp_fields[] = {
	GN_BITS("sync", 5, 0x15),     /* 0b10101 */
	GN_BITS("ver", 4, 0x3),       /* 0b0011 */
	GN_BITS("cmd", 5, 0x2),       /* 0b00010 */
	GN_BITS("reserved", 2, 0),
	GN_FIXBYTES("msg", 62, "Never gonna let you down"),
};

static const struct gn_proto escp = {
	.name = "ESCP", .long_name = "ESCP",
	.fields = escp_fields, .nfields = sizeof(escp_fields) / sizeof(escp_fields[0]),
};

void gn_proto_escp_register(void)
{
	const struct gn_proto *udp = gn_proto_find("UDP");

	gn_proto_register(&escp);
	gn_bind(udp, &escp, "sport=1337", GN_BIND_DISSECT);
	gn_bind(udp, &escp, "dport=1337", GN_BIND_BOTH);
}
