// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The first layer of a frame from its pcap link type, as Scapy's
 * conf.l2types does.  Classes are looked up by name so that this file does
 * not tie the library's link to any one protocol file.
 */
#include <pcap/dlt.h>

#include <gannet/gannet.h>

/* LINKTYPE_RAW as it appears in files; libpcap gives it to us as DLT_RAW,
 * but a caller may pass the file's value. */
#define GN_LINKTYPE_RAW 101

#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif

/* Raw IP: the version nibble decides, as Scapy's IPv46 does; `dflt` when
 * the nibble says neither. */
static const char *ip_by_version(const uint8_t *data, size_t len, const char *dflt)
{
	if (data && len > 0) {
		if (data[0] >> 4 == 4)
			return "IP";
		if (data[0] >> 4 == 6)
			return "IPv6";
	}
	return dflt;
}

const struct gn_proto *gn_proto_for_linktype(int linktype, const uint8_t *data, size_t len)
{
	const struct gn_proto *p;
	const char *name;

	switch (linktype) {
	case DLT_EN10MB:
		name = "Ether";
		break;
	case DLT_LINUX_SLL:
		name = "CookedLinux";
		break;
	case DLT_LINUX_SLL2:
		name = "CookedLinuxV2";
		break;
	case DLT_NULL:
	case DLT_LOOP:
		name = "Loopback";
		break;
	case DLT_RAW:
#if DLT_RAW != GN_LINKTYPE_RAW
	case GN_LINKTYPE_RAW:
#endif
	case DLT_IPV4:
		name = ip_by_version(data, len, "IP");
		break;
	case DLT_IPV6:
		name = ip_by_version(data, len, "IPv6");
		break;
	default:
		name = "Raw";
		break;
	}
	p = gn_proto_find(name);
	return p ? p : gn_proto_find("Raw");
}
