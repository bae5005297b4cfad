// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Bindings: Scapy's bind_layers as a table.  Dissection takes the first
 * binding (in registration order) whose conditions the lower layer meets;
 * building overloads the lower layer's fields from the last binding
 * registered for the (lower, upper) pair, as Scapy's overload_fields do.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

static int parse_conds(struct gn_binding *b, const char *cond)
{
	const char *s = cond;

	while (s && *s) {
		const char *eq = strchr(s, '=');
		const char *end = strchr(s, ',');
		char name[64], text[128];
		char *num_end;
		unsigned long long v;
		size_t vlen;
		int idx;

		if (!eq || (end && end < eq) || (size_t)(eq - s) >= sizeof(name))
			return -EINVAL;
		if (b->nconds == GN_BIND_MAX_CONDS)
			return -E2BIG;
		memcpy(name, s, (size_t)(eq - s));
		name[eq - s] = 0;
		idx = gn_proto_field_index(b->lower, name);
		if (idx < 0)
			return -ENOENT;
		b->conds[b->nconds].field = (unsigned)idx;
		v = strtoull(eq + 1, &num_end, 0);
		if (num_end != eq + 1 && (!*num_end || *num_end == ',')) {
			b->conds[b->nconds].value = gn_v_int(v);
		} else {
			/* not a number: the field's own syntax, e.g. dst=ff02::1 */
			const struct gn_field *f = &b->lower->fields[idx];
			struct gn_ast a = { .type = GN_AST_STR, .column = 1, .str = text };
			struct gn_value *val = &b->conds[b->nconds].value;

			vlen = end ? (size_t)(end - eq - 1) : strlen(eq + 1);
			if (vlen >= sizeof(text))
				return -EINVAL;
			memcpy(text, eq + 1, vlen);
			text[vlen] = 0;
			a.len = vlen;
			/* only values that need no memory (addresses) are allowed */
			if (f->ops->assign(NULL, f, &a, val, NULL) || val->type != GN_V_ADDR)
				return -EINVAL;
		}
		b->nconds++;
		s = end ? end + 1 : NULL;
	}
	return 0;
}

int gn_bind(const struct gn_proto *lower, const struct gn_proto *upper,
	    const char *cond, unsigned how)
{
	struct gn_proto_info *info;
	struct gn_binding *b;
	int err;

	if (!lower || !upper || !(how & GN_BIND_BOTH))
		return -EINVAL;
	/* the lower class holds the binding, so it must be registered; the
	 * upper one may come later (IPv6 binds to TCP before TCP registers) */
	if (!gn_proto_find(lower->name))
		return -ENOENT;
	info = gn_proto_info(lower);
	if (!info)
		return -ENOENT;
	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	b->lower = lower;
	b->upper = upper;
	b->how = how;
	err = parse_conds(b, cond);
	if (err) {
		free(b);
		return err;
	}
	/* bindings live as long as the registry: the process */
	if (!info->binds_tail)
		info->binds_tail = &info->binds;
	*info->binds_tail = b;
	info->binds_tail = &b->next;
	if (how & GN_BIND_BUILD) {
		unsigned i;

		for (i = 0; i < info->noverloads; i++)
			if (info->overloads[i]->upper == upper)
				break;
		if (i < sizeof(info->overloads) / sizeof(info->overloads[0])) {
			info->overloads[i] = b;
			if (i == info->noverloads)
				info->noverloads++;
		}
	}
	return 0;
}

const struct gn_proto *gn_bind_guess(const struct gn_layer *lower)
{
	struct gn_proto_info *info = gn_proto_info(lower->proto);

	if (!info)
		return NULL;
	for (struct gn_binding *b = info->binds; b; b = b->next) {
		unsigned i;

		if (!(b->how & GN_BIND_DISSECT))
			continue;
		for (i = 0; i < b->nconds; i++) {
			const struct gn_value *want = &b->conds[i].value;
			const struct gn_value *have = gn_layer_get(lower, b->conds[i].field);

			if (want->type == GN_V_INT
				    ? (have->type != GN_V_INT || have->u != want->u)
				    : (have->type != GN_V_ADDR || have->alen != want->alen ||
				       memcmp(have->addr, want->addr, want->alen)))
				break;
		}
		if (i == b->nconds)
			return b->upper;
	}
	return NULL;
}

const struct gn_value *gn_bind_overload(const struct gn_proto *lower, unsigned field_index,
					const struct gn_proto *upper)
{
	struct gn_proto_info *info = gn_proto_info(lower);
	const struct gn_binding *last = info ? gn_info_overload(info, upper) : NULL;

	if (!last)
		return NULL;
	for (unsigned i = 0; i < last->nconds; i++)
		if (last->conds[i].field == field_index)
			return &last->conds[i].value;
	return NULL;
}
