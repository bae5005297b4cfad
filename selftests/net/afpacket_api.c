// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The gn_io and gn_sniff API on veth pairs v0/v1 and w0/w1 that
 * test_afpacket.sh creates in a namespace of its own (and deletes w1 from
 * when this program says "delete w1" on stdout, then writes a line to its
 * stdin).
 * TAP-like output: "ok - NAME" / "not ok - NAME".
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gannet/gannet.h>

#include "api_tap.h"

/* A UDP frame whose IP id is i: Ether()/IP(id=i)/UDP(dport=40000). */
static int build(struct gn_arena *a, unsigned i, uint8_t **data, size_t *len)
{
	char expr[128];
	struct gn_packet *p;
	struct gn_error err = { 0 };
	int rc;

	snprintf(expr, sizeof(expr), "Ether()/IP(id=%u)/UDP(dport=40000)/'payload'", i);
	rc = gn_parse(expr, &p, &err);
	if (rc)
		return rc;
	rc = gn_build(p, a, data, len);
	gn_packet_free(p);
	return rc;
}

struct counter {
	unsigned n;
	bool dissected;
	volatile sig_atomic_t *stop;
};

static int count_cb(void *ctx, const struct gn_frame *f, struct gn_packet *p)
{
	struct counter *c = ctx;

	(void)f;
	c->n++;
	c->dissected = p && p->n > 0 && !strcmp(p->layers[0].proto->name, "Ether");
	if (c->stop)
		*c->stop = 1;
	return 0;
}

int main(void)
{
	const char *ifs[] = { "v0", "v1" };
	struct gn_io_opts o = { .sz = sizeof(o), .ifaces = ifs, .nifaces = 2, .rx = true,
				.tx = true, .filter = "udp and dst port 40000" };
	struct gn_io *io = NULL, *bad = NULL;
	struct gn_error err = { 0 };
	struct gn_io_iface i0, i1;
	struct gn_frame out[100], in[128];
	struct gn_io_stats st;
	struct gn_arena *a = gn_arena_new(1 << 16);
	unsigned got = 0, same = 0;
	int rc, n;
	int64_t t0;

	rc = gn_io_open("afpacket", &o, &io, &err);
	check(rc == 0, "gn_io_open rx+tx on two interfaces", err.msg);
	if (rc)
		return 1;
	check(gn_io_iface(io, 0, &i0) == 0 && gn_io_iface(io, 1, &i1) == 0 &&
	      gn_io_iface(io, 2, &i1) == -ENOENT && !strcmp(i1.name, "v1") &&
	      i1.ifindex == (int)if_nametoindex("v1") && i1.linktype == 1 && i1.mtu == 1500,
	      "gn_io_iface: name, index, link type, MTU", "wrong interface data");

	/* 100 frames out of v0 in one call: every one comes in on v1, intact. */
	for (unsigned i = 0; i < 100; i++) {
		uint8_t *d;
		size_t len;

		if (build(a, i + 1, &d, &len))
			return 1;
		memset(&out[i], 0, sizeof(out[i]));
		out[i].data = d;
		out[i].meta.cap_len = out[i].meta.wire_len = (uint32_t)len;
		out[i].meta.ifindex = i0.ifindex;
	}
	n = gn_io_send(io, out, 100);
	check(n == 100, "gn_io_send of 100 frames in one call", gn_io_errmsg(io));
	t0 = mono_ms();
	while (got < 100 && mono_ms() - t0 < 3000) {
		/* timeout 0: polling, the way an event loop would */
		n = gn_io_recv(io, in, 128, 0);
		if (n < 0)
			break;
		for (int k = 0; k < n; k++, got++) {
			const struct gn_frame *f = &in[k];

			if (got < 100 && f->meta.ifindex == i1.ifindex && f->meta.linktype == 1 &&
			    f->meta.cap_len == out[got].meta.cap_len &&
			    f->meta.wire_len == f->meta.cap_len && f->meta.ts_ns > 0 &&
			    !memcmp(f->data, out[got].data, f->meta.cap_len))
				same++;
		}
	}
	check(got == 100 && same == 100, "gn_io_recv (timeout 0) gives them back in order, intact",
	      "frames differ or are missing");
	gn_io_stats(io, &st);
	check(st.sent == 100 && st.received == 100 && st.kernel_dropped == 0 && !st.send_errors,
	      "gn_io_stats counts them", "wrong counts");

	/* gn_sniff: a count, a stop flag, a timeout. */
	{
		volatile sig_atomic_t stop = 0;
		struct counter c = { 0 };
		struct gn_sniff_opts so = { .sz = sizeof(so), .count = 5, .dissect = true };

		n = gn_io_send(io, out, 10);
		rc = gn_sniff(io, &so, count_cb, &c, &err);
		check(rc == 0 && c.n == 5 && c.dissected, "gn_sniff stops at its count, dissected",
		      err.msg);
		c.n = 0;
		c.stop = &stop;
		so.count = 0;
		so.stop = &stop;
		rc = gn_sniff(io, &so, count_cb, &c, &err);
		check(rc == 0 && c.n >= 1, "gn_sniff stops when the stop flag is set", err.msg);
		so.stop = NULL;
		so.timeout_ms = 200;
		so.dissect = false;
		gn_io_recv(io, in, 128, 50);  /* what is left of the ten */
		t0 = mono_ms();
		c.n = 0;
		c.stop = NULL;
		rc = gn_sniff(io, &so, count_cb, &c, &err);
		check(rc == 0 && c.n == 0 && mono_ms() - t0 >= 190 && mono_ms() - t0 < 1000,
		      "gn_sniff stops at its timeout", "timeout not kept");
	}

	gn_io_close(io);

	/* The interface is deleted: polling says -ENODEV with the name. */
	{
		const char *w[] = { "w1" };
		struct gn_io_opts wo = { .sz = sizeof(wo), .ifaces = w, .nifaces = 1, .rx = true };
		char line[16];

		rc = gn_io_open(NULL, &wo, &io, &err);
		check(rc == 0, "gn_io_open rx on one interface", err.msg);
		if (rc)
			return 1;
		printf("delete w1\n");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
		t0 = mono_ms();
		do
			n = gn_io_recv(io, in, 128, 0);
		while (n >= 0 && mono_ms() - t0 < 3000);
		check(n == -ENODEV && !strcmp(gn_io_errmsg(io), "w1: interface went away"),
		      "a deleted interface: -ENODEV and a message that names it", gn_io_errmsg(io));
		gn_io_close(io);
	}

	memset(&err, 0, sizeof(err));
	o.ifaces = ifs;
	o.nifaces = 1;
	o.filter = "udp and";
	rc = gn_io_open(NULL, &o, &bad, &err);
	check(rc == -EINVAL && strstr(err.msg, "invalid filter \"udp and\" for v0"),
	      "gn_io_open: a filter that does not compile", err.msg);
	memset(&err, 0, sizeof(err));
	rc = gn_io_open("xdp-nope", &o, &bad, &err);
	check(rc == -EINVAL && strstr(err.msg, "unknown I/O backend"), "gn_io_open: unknown backend",
	      err.msg);
	gn_arena_free(a);
	return failed ? 1 : 0;
}
