/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the registry keeps about each protocol (private to libgannet). */
#ifndef GANNET_REGISTRY_H
#define GANNET_REGISTRY_H

#include <gannet/gannet.h>

#define GN_BIND_MAX_CONDS 4

struct gn_binding {
	const struct gn_proto *lower;
	const struct gn_proto *upper;
	unsigned how;  /* GN_BIND_* */
	unsigned nconds;
	struct {
		unsigned field;
		struct gn_value value;
	} conds[GN_BIND_MAX_CONDS];
	struct gn_binding *next;  /* next binding with the same lower class */
};

struct gn_proto_info {
	const struct gn_proto *proto;
	struct gn_value *defaults;
	struct gn_binding *binds;       /* as lower layer, in registration order */
	struct gn_binding **binds_tail;
	/* for building: per upper class, the binding that overloads (the last
	 * one registered for the pair), so a field lookup scans only these */
	struct gn_binding *overloads[32];
	unsigned noverloads;
};

/* NULL for a protocol that was never registered. */
struct gn_proto_info *gn_proto_info(const struct gn_proto *p);
/* The binding whose values `upper` overloads on layers of info's class. */
static inline const struct gn_binding *gn_info_overload(const struct gn_proto_info *info,
							 const struct gn_proto *upper)
{
	for (unsigned i = 0; i < info->noverloads; i++)
		if (info->overloads[i]->upper == upper)
			return info->overloads[i];
	return NULL;
}

/* True for the kinds whose value is a byte string (default: empty bytes). */
bool gn_kind_holds_bytes(const struct gn_field_ops *ops);

#endif
