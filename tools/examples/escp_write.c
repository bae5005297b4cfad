// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scapy's "build your own protocol" walk-through with ESCP, in C:
 *
 *   for i in range(3):
 *       pkts.append(IPv6(src=..., dst=...)/UDP(sport=40000+i, dport=1337)/ESCP(cmd=i))
 *   wrpcap("escp_test.pcap", pkts)
 *
 * ESCP itself (sync, ver, cmd bit fields, bound to UDP port 1337) is one of
 * libgannet's protocols, so the program only stacks layers and sets fields.
 *
 *   escp_write [FILE]      (default escp_test.pcap; .pcapng writes pcapng)
 */
#include <stdio.h>
#include <time.h>

#include <gannet/gannet.h>

#define DLT_RAW_IP 12  /* raw IPv4/IPv6, no link-layer header */

static int build_one(struct gn_packet *p, unsigned i, struct gn_error *err)
{
	struct gn_layer *ip6, *udp, *escp;
	int rc;

	ip6 = gn_packet_push(p, gn_proto_find("IPv6"));
	udp = gn_packet_push(p, gn_proto_find("UDP"));
	escp = gn_packet_push(p, gn_proto_find("ESCP"));
	if (!ip6 || !udp || !escp)
		return gn_error_set(err, -1, 0, "IPv6, UDP or ESCP missing from libgannet");

	/* Addresses are values of the expression language, quoted as in Scapy. */
	rc = gn_layer_set_expr(ip6, "src", "\"2001:db8::1\"", err);
	if (!rc)
		rc = gn_layer_set_expr(ip6, "dst", "\"2001:db8::2\"", err);
	if (!rc)
		rc = gn_layer_set_uint(udp, "sport", 40000 + i);
	if (!rc)
		rc = gn_layer_set_uint(udp, "dport", 1337);
	if (!rc)
		rc = gn_layer_set_uint(escp, "cmd", i);
	if (rc && !err->code)
		gn_error_set(err, rc, 0, "cannot set a field: %s", gn_strerror(rc));
	return rc;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "escp_test.pcap";
	struct gn_error err = { 0 };
	struct gn_pcap_writer *w;
	struct gn_arena *scratch = gn_arena_new(0);
	int rc;

	if (!scratch)
		return 1;
	rc = gn_pcap_create(path, gn_pcap_format_for(path), DLT_RAW_IP, 65535, &w, &err);
	if (rc < 0) {
		fprintf(stderr, "escp_write: %s\n", err.msg);
		return 1;
	}
	for (unsigned i = 0; i < 3 && !rc; i++) {
		struct gn_packet *p = gn_packet_new();
		struct gn_meta meta = { 0 };
		uint8_t *data;
		size_t len;

		if (!p) {
			rc = gn_error_set(&err, -1, 0, "out of memory");
			break;
		}
		/* Lengths and the UDP checksum are left to the build, as in Scapy. */
		rc = build_one(p, i, &err);
		if (!rc) {
			rc = gn_build(p, scratch, &data, &len);
			if (rc < 0)
				gn_error_set(&err, rc, 0, "cannot build packet %u: %s", i,
					     gn_strerror(rc));
		}
		if (!rc) {
			meta.ts_ns = (int64_t)time(NULL) * 1000000000;
			meta.wire_len = meta.cap_len = (uint32_t)len;
			meta.linktype = DLT_RAW_IP;
			rc = gn_pcap_write(w, data, len, &meta);
			if (rc < 0)
				gn_error_set(&err, rc, 0, "%s: %s", path, gn_strerror(rc));
		}
		gn_packet_free(p);
		gn_arena_reset(scratch);
	}
	if (gn_pcap_finish(w) < 0 && !rc)
		rc = gn_error_set(&err, -1, 0, "%s: write error", path);
	gn_arena_free(scratch);
	if (rc) {
		fprintf(stderr, "escp_write: %s\n", err.msg);
		return 1;
	}
	printf("Wrote 3 ESCP packets to %s\n", path);
	return 0;
}
