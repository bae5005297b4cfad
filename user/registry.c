// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The protocol registry: the one piece of global state libgannet has.
 * Registration happens at start-up (built-ins, once) or when a program adds
 * its own protocol; lookups afterwards take no lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

#define MAX_PROTOS 512
#define PTR_SLOTS 1024  /* power of two, > 2 * MAX_PROTOS */

static struct gn_proto_info infos[MAX_PROTOS];
static unsigned ninfos;
static struct gn_proto_info *by_ptr[PTR_SLOTS];
static struct gn_arena *registry_arena;
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

static unsigned ptr_slot(const void *p)
{
	uintptr_t x = (uintptr_t)p;

	x ^= x >> 17;
	x *= 0x9E3779B97F4A7C15ull;
	return (unsigned)(x >> 40) & (PTR_SLOTS - 1);
}

/* Built-in registration may itself look protocols up (bindings by name);
 * the thread running it must not wait on its own pthread_once. */
static __thread bool registering_builtins;

static void builtin_init(void)
{
	registering_builtins = true;
	gn_builtin_register();
	registering_builtins = false;
}

static void ensure_builtin(void)
{
	if (!registering_builtins)
		pthread_once(&builtin_once, builtin_init);
}

struct gn_proto_info *gn_proto_info(const struct gn_proto *p)
{
	unsigned i = ptr_slot(p);

	while (by_ptr[i]) {
		if (by_ptr[i]->proto == p)
			return by_ptr[i];
		i = (i + 1) & (PTR_SLOTS - 1);
	}
	return NULL;
}

/* A default in human form goes through the field's own assign, so the
 * table can say "ff:ff:ff:ff:ff:ff" exactly as Scapy's fields_desc does. */
static int compute_default(const struct gn_field *f, struct gn_value *out)
{
	struct gn_error err = { 0 };

	memset(out, 0, sizeof(*out));
	if (f->flags & GN_FF_AUTO)
		return 0;
	if (f->dflt_str) {
		struct gn_ast a = { .type = GN_AST_STR, .column = 1,
				    .str = f->dflt_str, .len = strlen(f->dflt_str) };
		return f->ops->assign(registry_arena, f, &a, out, &err);
	}
	if (f->ops->is_list) {
		out->type = GN_V_LIST;
		return 0;
	}
	if (gn_kind_holds_bytes(f->ops)) {
		out->type = GN_V_BYTES;
		out->bytes = gn_arena_alloc(registry_arena, 1);
		return out->bytes ? 0 : -ENOMEM;
	}
	*out = gn_v_int(f->dflt);
	return 0;
}

int gn_proto_register(const struct gn_proto *p)
{
	struct gn_proto_info *info;
	int err = 0;

	if (!p || !p->name || (p->nfields && !p->fields))
		return -EINVAL;
	pthread_mutex_lock(&registry_lock);
	if (!registry_arena)
		registry_arena = gn_arena_new(16384);
	if (!registry_arena) {
		err = -ENOMEM;
		goto out;
	}
	if (gn_proto_info(p)) {
		err = -EEXIST;
		goto out;
	}
	for (unsigned i = 0; i < ninfos; i++) {
		if (!strcmp(infos[i].proto->name, p->name)) {
			err = -EEXIST;
			goto out;
		}
	}
	if (ninfos == MAX_PROTOS) {
		err = -ENOSPC;
		goto out;
	}
	info = &infos[ninfos];
	memset(info, 0, sizeof(*info));
	info->proto = p;
	info->defaults = gn_arena_alloc(registry_arena,
					(p->nfields ? p->nfields : 1) * sizeof(struct gn_value));
	if (!info->defaults) {
		err = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < p->nfields && !err; i++)
		err = compute_default(&p->fields[i], &info->defaults[i]);
	if (err)
		goto out;
	{
		unsigned s = ptr_slot(p);

		while (by_ptr[s])
			s = (s + 1) & (PTR_SLOTS - 1);
		by_ptr[s] = info;
	}
	ninfos++;
out:
	pthread_mutex_unlock(&registry_lock);
	return err;
}

const struct gn_proto *gn_proto_findn(const char *name, size_t n)
{
	ensure_builtin();
	for (unsigned i = 0; i < ninfos; i++) {
		const char *pn = infos[i].proto->name;

		if (strlen(pn) == n && !memcmp(pn, name, n))
			return infos[i].proto;
	}
	return NULL;
}

const struct gn_proto *gn_proto_find(const char *name)
{
	return gn_proto_findn(name, strlen(name));
}

const struct gn_proto *gn_proto_at(unsigned i)
{
	ensure_builtin();
	return i < ninfos ? infos[i].proto : NULL;
}

int gn_proto_field_index(const struct gn_proto *p, const char *name)
{
	/* post-build hooks look fields up by name on every build: test the
	 * first letter before paying for strcmp */
	for (unsigned i = 0; i < p->nfields; i++)
		if (p->fields[i].name[0] == name[0] && !strcmp(p->fields[i].name, name))
			return (int)i;
	return -ENOENT;
}

const struct gn_value *gn_proto_default(const struct gn_proto *p, unsigned i)
{
	static const struct gn_value none;
	struct gn_proto_info *info;

	ensure_builtin();
	info = gn_proto_info(p);
	if (!info || i >= p->nfields)
		return &none;
	return &info->defaults[i];
}
