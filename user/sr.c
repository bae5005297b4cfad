// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The sr engine.  Every probe is built once, dissected from its own bytes
 * (so matching sees exactly what went on the wire) and indexed in the
 * matcher; sending and receiving interleave, so replies to early probes are
 * taken while later ones still leave, and the receive ring never fills
 * while we only send.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gannet/gannet.h>

#include "sr_steer.h"

#define RX_BURST 64
/* Probes handed to the backend at once when not paced: one syscall for
 * many, while the receive ring is read between batches. */
#define SEND_BATCH 32

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct run {
	struct gn_io *io;
	const struct gn_sr_opts *o;
	struct gn_sr_result *res;
	struct gn_matcher *m;
	uint8_t **bytes;      /* built probes */
	size_t *lens;
	int *ifindex;         /* where each leaves */
	int64_t *sent_ns;
	bool *answered;
	size_t pairs_cap;
	struct gn_packet *scratch;  /* dissection of each received frame */
	size_t new_answers;
	struct gn_error *err;
};

struct hit_ctx {
	struct run *r;
	const struct gn_frame *f;
	int rc;
};

static void on_hit(size_t id, void *ctx)
{
	struct hit_ctx *h = ctx;
	struct run *r = h->r;
	struct gn_sr_result *res = r->res;
	struct gn_sr_pair *pr;

	if (h->rc)
		return;
	if (res->npairs == r->pairs_cap) {
		size_t cap = r->pairs_cap ? 2 * r->pairs_cap : 64;
		struct gn_sr_pair *np = realloc(res->pairs, cap * sizeof(*np));

		if (!np) {
			h->rc = -ENOMEM;
			return;
		}
		res->pairs = np;
		r->pairs_cap = cap;
	}
	pr = &res->pairs[res->npairs];
	pr->probe = res->probes[id];
	pr->probe_index = id;
	pr->reply = gn_packet_copy_in(res->arena, r->scratch);
	if (!pr->reply) {
		h->rc = -ENOMEM;
		return;
	}
	pr->reply->meta = h->f->meta;
	pr->sent_ns = r->sent_ns[id];
	pr->recv_ns = h->f->meta.ts_ns ? h->f->meta.ts_ns : now_ns();
	res->npairs++;
	if (!r->answered[id]) {
		r->answered[id] = true;
		r->new_answers++;
	}
}

/* Take whatever has arrived, waiting at most timeout_ms. */
static int receive(struct run *r, int timeout_ms)
{
	struct gn_frame frames[RX_BURST];
	int n = gn_io_recv(r->io, frames, RX_BURST, timeout_ms);

	if (n == -EINTR)
		return 0;
	if (n < 0)
		return gn_error_set(r->err, n, 0, "%s",
				    *gn_io_errmsg(r->io) ? gn_io_errmsg(r->io) : gn_strerror(n));
	for (int i = 0; i < n; i++) {
		struct hit_ctx h = { .r = r, .f = &frames[i] };
		const struct gn_proto *first =
			gn_proto_for_linktype(frames[i].meta.linktype, frames[i].data,
					      frames[i].meta.cap_len);

		r->res->received++;
		r->scratch->meta = frames[i].meta;
		if (gn_dissect(r->scratch, first, frames[i].data, frames[i].meta.cap_len))
			continue;
		gn_matcher_match(r->m, r->scratch, on_hit, &h);
		if (h.rc)
			return h.rc;
	}
	return n;
}

static bool stopped(const struct run *r)
{
	return r->o->stop && *r->o->stop;
}

static bool all_answered(const struct run *r)
{
	return r->o->stop_when_done && !r->o->multi && gn_matcher_pending(r->m) == 0;
}

/* Send frames[0..n) (probes ids[0..n)), stamping each; 0 or -errno. */
static int send_batch(struct run *r, struct gn_frame *frames, const size_t *ids, unsigned n)
{
	unsigned off = 0;
	int64_t t = now_ns();

	for (unsigned k = 0; k < n; k++)
		r->sent_ns[ids[k]] = t;
	if (!r->res->first_sent_ns)
		r->res->first_sent_ns = t;
	while (off < n) {
		int rc = gn_io_send(r->io, frames + off, n - off);

		if (rc == -EINTR && !stopped(r))
			continue;
		if (rc < 0)
			return gn_error_set(r->err, rc, 0, "sending probe %zu: %s", ids[off] + 1,
					    *gn_io_errmsg(r->io) ? gn_io_errmsg(r->io)
								 : gn_strerror(rc));
		off += (unsigned)rc;
		r->res->sent += (unsigned)rc;
	}
	r->res->last_sent_ns = now_ns();
	return 0;
}

/* One round: send the probes in `which` (paced one by one with inter,
 * else in batches), then wait for answers until timeout after the last
 * send. */
static int round_trip(struct run *r, const size_t *which, size_t n)
{
	int64_t inter_ns = (int64_t)(r->o->inter * 1e9);
	int64_t timeout_ns = (int64_t)((r->o->timeout > 0 ? r->o->timeout : 2.0) * 1e9);
	unsigned batch_max = inter_ns > 0 ? 1 : SEND_BATCH;
	int64_t next = gn_monotonic_ns(), deadline;
	int rc;

	for (size_t k = 0; k < n && !stopped(r);) {
		struct gn_frame frames[SEND_BATCH];
		size_t ids[SEND_BATCH];
		unsigned nb = 0;

		if (inter_ns > 0) {
			/* pace on absolute deadlines so delays do not add up */
			int64_t wait = next - gn_monotonic_ns();

			while (wait > 0 && !stopped(r)) {
				rc = receive(r, (int)(wait / 1000000));
				if (rc < 0)
					return rc;
				if (rc == 0 && wait < 1000000)
					break;
				wait = next - gn_monotonic_ns();
			}
			next += inter_ns;
		}
		for (; nb < batch_max && k < n; nb++, k++) {
			size_t id = which[k];

			memset(&frames[nb], 0, sizeof(frames[nb]));
			frames[nb].data = r->bytes[id];
			frames[nb].meta.ifindex = r->ifindex[id];
			frames[nb].meta.cap_len = frames[nb].meta.wire_len = (uint32_t)r->lens[id];
			ids[nb] = id;
		}
		rc = send_batch(r, frames, ids, nb);
		if (rc)
			return rc;
		/* take replies as they come, without waiting */
		do {
			rc = receive(r, 0);
			if (rc < 0)
				return rc;
		} while (rc == RX_BURST);
	}
	deadline = gn_monotonic_ns() + timeout_ns;
	while (!stopped(r) && !all_answered(r)) {
		int64_t left = deadline - gn_monotonic_ns();

		if (left <= 0)
			break;
		rc = receive(r, (int)((left + 999999) / 1000000));
		if (rc < 0)
			return rc;
	}
	return 0;
}

void gn_sr_result_free(struct gn_sr_result *res)
{
	if (!res)
		return;
	free(res->pairs);
	free(res->unanswered);
	free(res->probes);  /* the probes themselves live in the arena */
	gn_arena_free(res->arena);
	memset(res, 0, sizeof(*res));
}

static int prepare(struct run *r, struct gn_packet *const *probes, size_t n)
{
	struct gn_sr_result *res = r->res;

	res->probes = calloc(n ? n : 1, sizeof(*res->probes));
	r->bytes = calloc(n ? n : 1, sizeof(*r->bytes));
	r->lens = calloc(n ? n : 1, sizeof(*r->lens));
	r->ifindex = calloc(n ? n : 1, sizeof(*r->ifindex));
	r->sent_ns = calloc(n ? n : 1, sizeof(*r->sent_ns));
	r->answered = calloc(n ? n : 1, sizeof(*r->answered));
	res->arena = gn_arena_new(65536);
	r->scratch = gn_packet_new();
	if (!res->probes || !r->bytes || !r->lens || !r->ifindex || !r->sent_ns ||
	    !r->answered || !res->arena || !r->scratch)
		return -ENOMEM;
	if (r->o->no_ipaddr_check)
		r->scratch->match_flags |= GN_MATCH_NO_IPADDR;
	for (size_t i = 0; i < n; i++) {
		int rc;

		/* Probes and their bytes share the result's arena: a hundred
		 * thousand probes cost what they use, not an arena each. */
		res->probes[i] = gn_packet_new_in(res->arena);
		if (!res->probes[i])
			return -ENOMEM;
		res->nprobes = i + 1;
		res->probes[i]->match_flags = r->scratch->match_flags;
		r->ifindex[i] = probes[i]->meta.ifindex;
		rc = gn_build(probes[i], res->arena, &r->bytes[i], &r->lens[i]);
		if (rc)
			return gn_error_set(r->err, rc, 0, "cannot build probe %zu: %s", i + 1,
					    gn_strerror(rc));
		rc = gn_dissect(res->probes[i], probes[i]->n ? probes[i]->layers[0].proto : NULL,
				r->bytes[i], r->lens[i]);
		if (rc)
			return rc;
		rc = gn_matcher_add(r->m, res->probes[i], i);
		if (rc)
			return rc;
	}
	return 0;
}

/* Scapy's layer-3 sockets hand over the packet above the link layer:
 * matching is done (on whole frames), so the results lose it now, in
 * place (a copy of every probe and answer would double what they hold). */
static void strip_link(struct run *r)
{
	struct gn_sr_result *res = r->res;

	for (size_t i = 0; i < res->nprobes; i++)
		if (res->probes[i]->n > 1)
			gn_packet_remove(res->probes[i], 0);
	for (size_t k = 0; k < res->npairs; k++)
		if (res->pairs[k].reply->n > 1)
			gn_packet_remove(res->pairs[k].reply, 0);
}

int gn_sr(struct gn_io *io, struct gn_packet *const *probes, size_t n,
	  const struct gn_sr_opts *opts, struct gn_sr_result *res, struct gn_error *err)
{
	struct gn_sr_opts defaults = { .sz = sizeof(defaults) };
	struct run r = { .io = io, .o = opts ? opts : &defaults, .res = res, .err = err };
	struct gn_sr_steer steer = { 0 };
	size_t *which = NULL;
	int rounds_left, idle_rounds = 0, rc;

	memset(res, 0, sizeof(*res));
	rc = gn_matcher_new(r.o->multi, &r.m);
	if (!rc)
		rc = prepare(&r, probes, n);
	/* on the xdp backend the replies are taken from the kernel's stack */
	if (!rc)
		rc = gn_sr_steer_install(io, res->probes, res->nprobes, &steer, err);
	which = calloc(n ? n : 1, sizeof(*which));
	if (!rc && !which)
		rc = -ENOMEM;
	for (size_t i = 0; which && i < n; i++)
		which[i] = i;
	rounds_left = r.o->retry > 0 ? r.o->retry + 1 : 1;
	for (size_t nwhich = n; !rc && nwhich && !stopped(&r);) {
		r.new_answers = 0;
		rc = round_trip(&r, which, nwhich);
		if (rc)
			break;
		/* next round: what is still unanswered */
		nwhich = 0;
		for (size_t i = 0; i < n; i++)
			if (!r.answered[i])
				which[nwhich++] = i;
		if (r.o->retry < 0) {
			idle_rounds = r.new_answers ? 0 : idle_rounds + 1;
			if (idle_rounds >= -r.o->retry)
				break;
		} else if (--rounds_left == 0) {
			break;
		}
	}
	gn_sr_steer_remove(io, &steer);
	/* the matcher points into the probes: done with it first */
	gn_matcher_free(r.m);
	r.m = NULL;
	if (!rc && r.o->strip_link)
		strip_link(&r);
	if (!rc) {
		res->unanswered = calloc(n ? n : 1, sizeof(*res->unanswered));
		if (!res->unanswered)
			rc = -ENOMEM;
		for (size_t i = 0; !rc && i < n; i++)
			if (!r.answered[i])
				res->unanswered[res->nunanswered++] = res->probes[i];
	}
	if (rc == -ENOMEM)
		gn_error_set(err, rc, 0, "out of memory");
	free(which);
	free(r.bytes);
	free(r.lens);
	free(r.ifindex);
	free(r.sent_ns);
	free(r.answered);
	gn_packet_free(r.scratch);
	gn_matcher_free(r.m);
	if (rc)
		gn_sr_result_free(res);
	return rc;
}
