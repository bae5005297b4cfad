/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reply matching for sr: probes are indexed by Scapy's hashret, so a reply
 * finds its candidate probes in O(1) whatever the number outstanding, and
 * the protocols' answers() hooks decide (Scapy's semantics, layer by layer).
 */
#ifndef GANNET_MATCH_H
#define GANNET_MATCH_H

#include <gannet/packet.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_matcher;

/* multi: a probe stays matchable after its first answer (Scapy's multi=True). */
int gn_matcher_new(bool multi, struct gn_matcher **out);
void gn_matcher_free(struct gn_matcher *m);
/* Index probe (dissected form, as on the wire) under the caller's id; the
 * packet must live as long as the matcher. */
int gn_matcher_add(struct gn_matcher *m, const struct gn_packet *probe, size_t id);
/* Withdraw probe id (e.g. before it is sent again). */
void gn_matcher_remove(struct gn_matcher *m, size_t id);
/* The probes reply answers: calls found(id, ctx) for each (without multi,
 * at most one, the oldest, which is then withdrawn).  Returns how many. */
size_t gn_matcher_match(struct gn_matcher *m, const struct gn_packet *reply,
			void (*found)(size_t id, void *ctx), void *ctx);
/* Probes still waiting for an answer. */
size_t gn_matcher_pending(const struct gn_matcher *m);

/* Scapy's hashret/answers on whole packets (from their first layer). */
uint32_t gn_packet_hashret(const struct gn_packet *p);
bool gn_packet_answers(const struct gn_packet *reply, const struct gn_packet *probe);

#ifdef __cplusplus
}
#endif
#endif
