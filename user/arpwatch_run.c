// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ARP monitor's source and loop: "arp" filtered in XDP by the monitor
 * backend, so the kernel's stack keeps every frame (hosts go on resolving
 * each other) and only ARP is copied up; afpacket where XDP cannot attach.
 * The rings are small: ARP is a trickle, and a burst of a few thousand
 * frames still fits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/rtnetlink.h>

#include "arpwatch_int.h"

#define ARPW_SNAPLEN 128           /* ARP over Ethernet is 42 bytes, 60 padded */
#define ARPW_BLOCK (64u << 10)
#define ARPW_BLOCKS 16u            /* 1 MiB */

/* The interface of the IPv4 default route with the lowest metric. */
static int default_iface(char *name, struct gn_error *err)
{
	const struct gn_route *r, *best = NULL;
	const struct gn_iface *ifc;
	struct gn_netdb *db;
	size_t n;
	int rc;

	rc = gn_netdb_open(NULL, &db, err);
	if (rc)
		return rc;
	n = gn_netdb_routes(db, &r);
	for (size_t i = 0; i < n; i++)
		if (r[i].family == AF_INET && !r[i].dst_len && r[i].table == RT_TABLE_MAIN &&
		    r[i].type == RTN_UNICAST && r[i].oif > 0 &&
		    (!best || r[i].priority < best->priority))
			best = &r[i];
	ifc = best ? gn_netdb_iface_by_index(db, best->oif) : NULL;
	if (ifc)
		snprintf(name, GN_IFNAMSIZ, "%s", ifc->name);
	else
		rc = gn_error_set(err, -ENODEV, 0, "no interface given and no IPv4 default route to "
				  "take one from: name one with -i");
	gn_netdb_close(db);
	return rc;
}

int gn_arpwatch_open_io(const char *backend, const char *const *ifaces, unsigned nifaces,
			struct gn_io **io, char *notice, size_t notice_len, struct gn_error *err)
{
	struct gn_io_opts o = {
		.sz = sizeof(o), .ifaces = ifaces, .nifaces = nifaces, .filter = "arp", .rx = true,
		.snaplen = ARPW_SNAPLEN, .block_size = ARPW_BLOCK, .block_count = ARPW_BLOCKS,
	};
	char dflt[GN_IFNAMSIZ];
	const char *one[1] = { dflt };
	struct gn_error merr = { 0 };
	int rc;

	*io = NULL;
	if (notice && notice_len)
		notice[0] = '\0';
	if (backend && strcmp(backend, "monitor") && strcmp(backend, "afpacket"))
		return gn_error_set(err, -EINVAL, 0, "unknown backend '%s' (monitor or afpacket)",
				    backend);
	if (!nifaces || !ifaces) {
		rc = default_iface(dflt, err);
		if (rc)
			return rc;
		o.ifaces = one;
		o.nifaces = 1;
	}
	if (backend)
		return gn_io_open(backend, &o, io, err);
	rc = gn_io_open("monitor", &o, io, &merr);
	/* What afpacket would fail on alike (no such interface, down) is
	 * said as it is. */
	if (!rc || rc == -ENODEV || rc == -ENETDOWN) {
		if (rc)
			gn_error_set(err, rc, 0, "%s", merr.msg);
		return rc;
	}
	if (notice && notice_len)
		snprintf(notice, notice_len, "the XDP monitor cannot attach (%s); using afpacket",
			 merr.msg);
	return gn_io_open("afpacket", &o, io, err);
}

struct run {
	struct gn_arpwatch *w;
	const struct gn_arpwatch_run_opts *o;
	struct gn_io_iface *ifs;
	unsigned nifs;
	struct gn_error *err;
};

static int on_frame(void *ctx, const struct gn_frame *f, struct gn_packet *p)
{
	struct run *r = ctx;
	const char *name = "?";

	(void)p;
	for (unsigned i = 0; i < r->nifs; i++)
		if (r->ifs[i].ifindex == f->meta.ifindex)
			name = r->ifs[i].name;
	return gn_arpwatch_frame(r->w, f, name, r->o->fn, r->o->ctx);
}

static int on_burst(void *ctx)
{
	struct run *r = ctx;
	int rc = gn_arpwatch_flush(r->w, false, r->err);

	if (rc)
		return rc;
	return r->o->burst_end ? r->o->burst_end(r->o->ctx) : 0;
}

int gn_arpwatch_run(struct gn_arpwatch *w, struct gn_io *io, const struct gn_arpwatch_run_opts *opts,
		    struct gn_error *err)
{
	struct gn_arpwatch_run_opts o = { 0 };
	struct run r = { .w = w, .o = &o, .err = err };
	struct gn_sniff_opts so = { .sz = sizeof(so) };
	struct gn_io_iface ifc;
	int rc;

	if (!opts || opts->sz < sizeof(opts->sz))
		return gn_error_set(err, -EINVAL, 0, "gn_arpwatch_run: opts.sz not set");
	memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	while (!gn_io_iface(io, r.nifs, &ifc))
		r.nifs++;
	r.ifs = calloc(r.nifs ? r.nifs : 1, sizeof(*r.ifs));
	if (!r.ifs)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	for (unsigned i = 0; i < r.nifs; i++)
		gn_io_iface(io, i, &r.ifs[i]);
	so.stop = o.stop;
	so.timeout_ms = o.timeout_ms;
	so.burst_end = on_burst;
	rc = gn_sniff(io, &so, on_frame, &r, err);
	free(r.ifs);
	return rc;
}
