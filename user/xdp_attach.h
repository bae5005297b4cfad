/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Attaching an XDP program to an interface (private): through libxdp, so it
 * joins libxdp's multi-program dispatcher where the kernel allows one, and
 * directly (one program per interface) where it does not; bpffs mounted when
 * absent; a copy of the same program left behind by a killed run replaced;
 * anybody else's program left alone.
 */
#ifndef GANNET_XDP_ATTACH_H
#define GANNET_XDP_ATTACH_H

#include <net/if.h>

#include <bpf/libbpf.h>
#include <xdp/libxdp.h>

#include <gannet/gannet.h>

#include "steer_map.h"

struct gn_xdp_attach {
	int ifindex;
	char ifname[IF_NAMESIZE];
	struct xdp_program *xprog;     /* NULL: not attached */
	bool native;                   /* driver mode; else generic (skb) mode */
	bool dispatcher;               /* through libxdp's dispatcher; else directly */
	char why_direct[160];          /* when directly: why not the dispatcher */
	uint32_t replaced_id;          /* a killed run's program removed first; 0 = none */
	uint32_t prog_id;
};

/* The owner record of this process, for the program's .rodata before it
 * is loaded. */
void gn_xdp_owner_self(struct gn_sm_owner *o);

/* Load the programs of obj (opened, not loaded) and attach its program
 * prog_name to ifname in mode: native where the driver has it (AUTO),
 * or the one asked for.  Another program of the same name whose owner is
 * gone is removed first; a live one (or anybody else's program not under
 * libxdp's dispatcher) is an error saying who has the interface. */
int gn_xdp_attach(struct gn_xdp_attach *a, struct bpf_object *obj, const char *prog_name,
		  const char *ifname, int ifindex, enum gn_xdp_mode mode, struct gn_error *err);
/* How a was attached, into the fields of out that say so (native,
 * dispatcher, prog_id, replaced_id, why_direct); the others are left. */
void gn_xdp_attach_info(const struct gn_xdp_attach *a, struct gn_io_xdp_info *out);
/* Remove the program from the interface (nothing if it is not attached). */
void gn_xdp_detach(struct gn_xdp_attach *a);

/* Put prog_fd into slot of a PROG_ARRAY (the programs an XDP program
 * tail-calls); err names ifname. */
int gn_xdp_jump_set(int jump_fd, const char *ifname, uint32_t slot, int prog_fd,
		    struct gn_error *err);
/* The tcpdump filter translated to XDP (bpf_filter.h) into filter_slot of
 * the jump map, ending with tail calls to match_slot or nomatch_slot.
 * frags: as the programs sharing the map (the kernel wants them alike). */
int gn_xdp_jump_filter(int jump_fd, const char *ifname, const char *filter, unsigned snaplen,
		       uint32_t filter_slot, uint32_t match_slot, uint32_t nomatch_slot,
		       const char *prog_name, bool frags, struct gn_error *err);
/* Add the per-CPU values of keys 0..n-1 of a PERCPU_ARRAY of u64 counters
 * (every program's verdict counters) into out[0..n-1]. */
int gn_xdp_percpu_add(int map_fd, uint32_t n, uint64_t *out);
/* Frames to other MAC addresses get past the NIC only in promiscuous mode:
 * a deaf packet socket (protocol 0), returned in *fd, holds it on while it
 * is open. */
int gn_xdp_hold_promisc(int ifindex, const char *ifname, int *fd, struct gn_error *err);

#endif
