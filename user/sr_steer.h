/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The steering rules that bring sr's replies to it (private; see sr_steer.c). */
#ifndef GANNET_SR_STEER_H
#define GANNET_SR_STEER_H

#include <gannet/gannet.h>

struct gn_sr_steer {
	struct gn_steer_rule *rules;
	size_t n;          /* rules made */
	size_t installed;  /* of them, added to the io */
};

/* Make and add the rules for the probes (dissected, as sent); nothing on a
 * backend without steering. */
int gn_sr_steer_install(struct gn_io *io, struct gn_packet *const *probes, size_t n,
			struct gn_sr_steer *s, struct gn_error *err);
void gn_sr_steer_remove(struct gn_io *io, struct gn_sr_steer *s);

#endif
