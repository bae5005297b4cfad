// SPDX-License-Identifier: LGPL-2.1-or-later
/* libFuzzer target: any bytes, dissected from every first layer a capture
 * can start with, then shown, summarised, turned into JSON and rebuilt. */
#include <stddef.h>
#include <stdint.h>

#include <gannet/gannet.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const firsts[] = { "Ether", "IP", "IPv6", "CookedLinux", "Raw" };
	struct gn_packet *pkt = gn_packet_new();
	struct gn_arena *scratch = gn_arena_new(4096);
	struct gn_strbuf sb;
	const struct gn_proto *first;
	uint8_t *bytes;
	size_t len;

	if (!pkt || !scratch || size == 0)
		goto out;
	/* the first byte picks the first layer, the rest is the frame */
	first = gn_proto_find(firsts[data[0] % (sizeof(firsts) / sizeof(firsts[0]))]);
	if (!first)
		goto out;
	gn_sb_init(&sb);
	gn_dissect(pkt, first, data + 1, size - 1);
	gn_summary(pkt, &sb);
	gn_show(pkt, &sb);
	gn_json(pkt, &sb);
	gn_command(pkt, &sb);
	gn_build(pkt, scratch, &bytes, &len);
	gn_sb_free(&sb);
out:
	gn_arena_free(scratch);
	gn_packet_free(pkt);
	return 0;
}
