// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The monitor backend: the monitor XDP program on every interface, the
 * tcpdump filter in each program's slot 0, and one BPF ring buffer they all
 * write the frames they match into (a ring buffer is multi-producer: the
 * interfaces share it, and frames come out in the order they went in).
 *
 * The ring is read here rather than through libbpf's ring_buffer API:
 * libbpf hands the callback each record and gives its space back to the
 * kernel as soon as the callback returns, so a frame could only leave by
 * being copied.  Here the records are handed to the caller in place and
 * the consumer position moves past them only at the next gn_io_recv (or
 * close), as the afpacket ring gives its blocks back.  The data pages are
 * mapped twice in a row by the kernel, so a record that wraps around the
 * end is still one piece.
 *
 * Set-up order: a filter that does not compile is refused before anything
 * is attached; the program goes on with its filter slot empty (it passes
 * everything, copying nothing, until the filter is in), then the two
 * verdict slots, then the filter.  Closing detaches the programs first.
 */
#include "bpf_filter.h" /* first: it settles which struct is bpf_insn here */

#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_packet.h>
#include <pcap/dlt.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "io_monitor.h"
#include "monitor_map.h"  /* before the skeleton: it names struct gn_mon_cfg */
#include "monitor.skel.h"
#include "xdp_attach.h"

#define DEFAULT_SNAPLEN 262144u
/* The ring's size when opts say nothing: the afpacket ring's (64 blocks of
 * 1 MiB), here once for all interfaces. */
#define DEFAULT_RING (64u << 20)
#define MIN_RING (1u << 20)           /* at least a few of the largest records */
#define MAX_RING (1u << 30)
/* The program wakes the reader at most this often, unless the ring fills
 * (bpf/monitor.bpf.c); the reader looks again this long after finding the
 * ring empty, with a margin for clocks and irq_work. */
#define WAKEUP_NS 1000000ull
#define RECHECK_MS 2

struct port {
	const struct gn_io_iface *ifc;
	struct monitor *skel;
	struct gn_xdp_attach at;
	int promisc_fd;              /* holds promiscuous mode while open; -1 = none */
};

struct gn_mon {
	struct port *ports;
	unsigned nports;
	/* the ring */
	int ring_fd;                 /* port 0's map; the others reuse it */
	int wake_fd;                 /* port 0's last_wake map, shared alike */
	size_t ring_size;            /* data bytes, a power of two */
	size_t page;
	unsigned long *consumer;     /* the consumer page, ours to write */
	uint8_t *prod_map;           /* the producer page, then the data twice */
	size_t prod_len;
	unsigned long cons;          /* handed out up to here; published at the next recv */
	bool recheck;                /* frames came since the ring was last seen empty */
	int64_t rt_off;              /* CLOCK_REALTIME - CLOCK_MONOTONIC at open */
	uint64_t received;
};

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the ring ------------------------------------------------------------- */

static int ring_map(struct gn_mon *m, struct gn_error *err)
{
	void *p;

	m->page = (size_t)sysconf(_SC_PAGESIZE);
	p = mmap(NULL, m->page, PROT_READ | PROT_WRITE, MAP_SHARED, m->ring_fd, 0);
	if (p == MAP_FAILED)
		return gn_error_set(err, -errno, 0, "mapping the ring buffer: %s", strerror(errno));
	m->consumer = p;
	m->prod_len = m->page + 2 * m->ring_size;
	p = mmap(NULL, m->prod_len, PROT_READ, MAP_SHARED, m->ring_fd, (off_t)m->page);
	if (p == MAP_FAILED) {
		int e = errno;

		munmap(m->consumer, m->page);
		m->consumer = NULL;
		return gn_error_set(err, -e, 0, "mapping the ring buffer: %s", strerror(e));
	}
	m->prod_map = p;
	m->cons = __atomic_load_n(m->consumer, __ATOMIC_ACQUIRE);
	return 0;
}

static void ring_unmap(struct gn_mon *m)
{
	if (m->prod_map)
		munmap(m->prod_map, m->prod_len);
	if (m->consumer)
		munmap(m->consumer, m->page);
	m->prod_map = NULL;
	m->consumer = NULL;
}

/* Give the kernel back the records handed out last time. */
static void ring_release(struct gn_mon *m)
{
	if (m->consumer && *m->consumer != m->cons)
		__atomic_store_n(m->consumer, m->cons, __ATOMIC_RELEASE);
}

static int linktype_of(const struct gn_mon *m, int ifindex)
{
	for (unsigned i = 0; i < m->nports; i++)
		if (m->ports[i].ifc->ifindex == ifindex)
			return m->ports[i].ifc->linktype;
	return DLT_EN10MB;
}

/* The committed records, up to max, in place; a record still being written
 * (BUSY) ends the run: what follows it must wait for it. */
static unsigned ring_take(struct gn_mon *m, struct gn_frame *frames, unsigned max)
{
	const uint8_t *data = m->prod_map + m->page;
	unsigned long prod = __atomic_load_n((unsigned long *)m->prod_map, __ATOMIC_ACQUIRE);
	unsigned n = 0;

	while (n < max && m->cons < prod) {
		const uint8_t *h = data + (m->cons & (m->ring_size - 1));
		uint32_t len = __atomic_load_n((const uint32_t *)h, __ATOMIC_ACQUIRE);
		uint32_t size = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		const struct gn_mon_rec *r = (const void *)(h + BPF_RINGBUF_HDR_SZ);
		struct gn_frame *f;

		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		m->cons += (size + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
		if ((len & BPF_RINGBUF_DISCARD_BIT) || size < sizeof(*r))
			continue;
		f = &frames[n++];
		f->data = r->data;
		f->meta.ts_ns = (int64_t)r->ts_ns + m->rt_off;
		f->meta.wire_len = r->wire_len;
		/* The program never claims more than it reserved; checked anyway. */
		f->meta.cap_len = r->cap_len <= size - sizeof(*r) ? r->cap_len :
				  (uint32_t)(size - sizeof(*r));
		f->meta.ifindex = (int)r->ifindex;
		f->meta.linktype = linktype_of(m, (int)r->ifindex);
	}
	return n;
}

/* ---- one interface -------------------------------------------------------- */

/* The tcpdump filter, translated to XDP, in its slot: it tail-calls the
 * match or skip program. */
static int load_filter(struct port *p, const struct gn_io_opts *o, struct gn_error *err)
{
	return gn_xdp_jump_filter(bpf_map__fd(p->skel->maps.jump), p->ifc->name, o->filter,
				  o->snaplen, GN_MON_SLOT_FILTER, GN_MON_SLOT_MATCH,
				  GN_MON_SLOT_NOMATCH, "gn_mon_filter",
				  true /* as the programs it shares the jump map with */, err);
}

static int open_port(struct gn_mon *m, struct port *p, const struct gn_io_opts *o,
		     bool filter, unsigned snaplen, struct gn_error *err)
{
	struct gn_mon_cfg cfg = {
		.snaplen = snaplen, .has_filter = filter,
		.wakeup_ns = WAKEUP_NS, .wakeup_bytes = m->ring_size / 4,
	};
	int rc;

	p->promisc_fd = -1;
	if (p->ifc->linktype != DLT_EN10MB)
		return gn_error_set(err, -EOPNOTSUPP, 0,
				    "%s: the monitor backend needs an Ethernet interface (XDP); use "
				    "--backend afpacket", p->ifc->name);
	if (o->promisc &&
	    (rc = gn_xdp_hold_promisc(p->ifc->ifindex, p->ifc->name, &p->promisc_fd, err)))
		return rc;
	p->skel = monitor__open();
	if (!p->skel)
		return gn_error_set(err, -errno, 0, "%s: opening the monitor program: %s",
				    p->ifc->name, strerror(errno));
	if (m->ring_fd < 0)
		rc = bpf_map__set_max_entries(p->skel->maps.ring, (uint32_t)m->ring_size);
	else if (!(rc = bpf_map__reuse_fd(p->skel->maps.ring, m->ring_fd)))
		rc = bpf_map__reuse_fd(p->skel->maps.last_wake, m->wake_fd);
	if (rc)
		return gn_error_set(err, rc, 0, "%s: the ring buffer: %s", p->ifc->name,
				    strerror(-rc));
	/* Programs tail-calling each other must agree on their expected
	 * attach type (checked since Linux 6.17): the filter is loaded with
	 * the kernel's default for XDP, 0, not the BPF_XDP libbpf gives
	 * SEC("xdp"); netlink attachment does not look at it. */
	bpf_program__set_expected_attach_type(p->skel->progs.gn_monitor, 0);
	bpf_program__set_expected_attach_type(p->skel->progs.gn_mon_match, 0);
	bpf_program__set_expected_attach_type(p->skel->progs.gn_mon_skip, 0);
	gn_xdp_owner_self(&cfg.owner);
	memcpy((void *)&p->skel->rodata->gn_cfg, &cfg, sizeof(cfg));
	rc = gn_xdp_attach(&p->at, p->skel->obj, "gn_monitor", p->ifc->name, p->ifc->ifindex,
			   o->xdp_mode, err);
	if (rc)
		return rc;
	if (m->ring_fd < 0) {
		m->ring_fd = bpf_map__fd(p->skel->maps.ring);
		m->wake_fd = bpf_map__fd(p->skel->maps.last_wake);
	}
	rc = gn_xdp_jump_set(bpf_map__fd(p->skel->maps.jump), p->ifc->name, GN_MON_SLOT_MATCH,
			     bpf_program__fd(p->skel->progs.gn_mon_match), err);
	if (!rc)
		rc = gn_xdp_jump_set(bpf_map__fd(p->skel->maps.jump), p->ifc->name, GN_MON_SLOT_NOMATCH,
				     bpf_program__fd(p->skel->progs.gn_mon_skip), err);
	if (!rc && filter)
		rc = load_filter(p, o, err);
	return rc;
}

static void close_port(struct port *p)
{
	gn_xdp_detach(&p->at);
	monitor__destroy(p->skel);
	p->skel = NULL;
	if (p->promisc_fd >= 0)
		close(p->promisc_fd);
	p->promisc_fd = -1;
}

/* ---- the backend ------------------------------------------------------------ */

/* libpcap's verdict on the expression before any program goes anywhere. */
static int check_filter(const char *expr, unsigned snaplen, struct gn_error *err)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, (int)snaplen);
	struct bpf_program prog;
	int rc = 0;

	if (!dead)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	if (pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0)
		rc = gn_error_set(err, -EINVAL, 0, "filter '%s': %s", expr, pcap_geterr(dead));
	else
		pcap_freecode(&prog);
	pcap_close(dead);
	return rc;
}

static size_t ring_size_of(const struct gn_io_opts *o)
{
	uint64_t want = o->block_size || o->block_count ?
		(uint64_t)(o->block_size ? o->block_size : 1u << 20) *
			(o->block_count ? o->block_count : 64) : DEFAULT_RING;
	size_t size = MIN_RING;

	while (size < MAX_RING && (uint64_t)size * 2 <= want)
		size *= 2;
	return size;
}

void gn_mon_close(struct gn_mon *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < m->nports; i++)
		close_port(&m->ports[i]);
	ring_unmap(m);
	free(m->ports);
	free(m);
}

int gn_mon_open(const struct gn_io_opts *o, const struct gn_io_iface *ifs, unsigned nifs,
		struct gn_mon **out, struct gn_error *err)
{
	unsigned snaplen = o->snaplen ? o->snaplen : DEFAULT_SNAPLEN;
	bool filter = o->filter && *o->filter;
	struct gn_mon *m;
	int rc = 0;

	if (o->tx)
		return gn_error_set(err, -EOPNOTSUPP, 0,
				    "the monitor backend does not send; use afpacket");
	if (!o->rx)
		return gn_error_set(err, -EINVAL, 0, "the monitor backend only receives: rx not asked for");
	if (o->xdp_mode > GN_XDP_MODE_GENERIC)
		return gn_error_set(err, -EINVAL, 0, "unknown XDP mode %d", (int)o->xdp_mode);
	if (filter && (rc = check_filter(o->filter, snaplen, err)))
		return rc;
	m = calloc(1, sizeof(*m));
	if (!m)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	m->ring_fd = -1;
	m->ring_size = ring_size_of(o);
	m->ports = calloc(nifs, sizeof(*m->ports));
	if (!m->ports)
		rc = gn_error_set(err, -ENOMEM, 0, "out of memory");
	for (unsigned i = 0; i < nifs && !rc; i++) {
		m->ports[i].ifc = &ifs[i];
		m->nports = i + 1;
		rc = open_port(m, &m->ports[i], o, filter,
			       snaplen < GN_MON_MAX_CAP ? snaplen : GN_MON_MAX_CAP, err);
	}
	if (!rc)
		rc = ring_map(m, err);
	if (rc) {
		gn_mon_close(m);
		return rc;
	}
	m->rt_off = now_ns(CLOCK_REALTIME) - now_ns(CLOCK_MONOTONIC);
	*out = m;
	return 0;
}

/* An interface that is gone took its program with it: say so, as the
 * afpacket backend does, rather than wait forever. */
static int check_ifaces(struct gn_mon *m, struct gn_error *err)
{
	char name[IF_NAMESIZE];

	for (unsigned i = 0; i < m->nports; i++)
		if (!if_indextoname((unsigned)m->ports[i].ifc->ifindex, name) && errno == ENXIO)
			return gn_error_set(err, -ENODEV, 0, "%s: interface went away",
					    m->ports[i].ifc->name);
	return 0;
}

int gn_mon_recv(struct gn_mon *m, struct gn_frame *frames, unsigned max, int timeout_ms,
		struct gn_error *err)
{
	struct pollfd pfd = { .fd = m->ring_fd, .events = POLLIN };
	int64_t deadline = 0;
	bool polled = false;

	ring_release(m);
	if (!max)
		return 0;
	if (timeout_ms > 0)
		deadline = now_ns(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	for (;;) {
		int wait = timeout_ms, r;
		unsigned n = ring_take(m, frames, max);

		if (n) {
			m->received += n;
			m->recheck = true;
			return (int)n;
		}
		if (timeout_ms == 0 && polled)
			return 0;
		if (timeout_ms > 0) {
			int64_t now = now_ns(CLOCK_MONOTONIC);

			if (now >= deadline)
				return check_ifaces(m, err);
			wait = (int)((deadline - now + 999999) / 1000000);
		}
		/* A record that came in just after the last wake-up woke
		 * nobody: look again shortly after the ring was seen empty;
		 * later records wake us (bpf/monitor.bpf.c). */
		if (m->recheck && (wait < 0 || wait > RECHECK_MS))
			wait = RECHECK_MS;
		m->recheck = false;
		ring_release(m);
		r = poll(&pfd, 1, wait);
		polled = true;
		if (r < 0) {
			if (errno == EINTR)
				return -EINTR;
			return gn_error_set(err, -errno, 0, "poll: %s", strerror(errno));
		}
		if (r == 0 && (r = check_ifaces(m, err)))
			return r;
	}
}

int gn_mon_send(struct gn_mon *m, const struct gn_frame *frames, unsigned n,
		struct gn_error *err)
{
	(void)m, (void)frames, (void)n;
	return gn_error_set(err, -EOPNOTSUPP, 0, "the monitor backend does not send; use afpacket");
}

static int counters(struct gn_mon *m, struct gn_monitor_counters *c)
{
	uint64_t v[GN_MON_NSTATS] = { 0 };

	memset(c, 0, sizeof(*c));
	for (unsigned i = 0; i < m->nports; i++) {
		int rc;

		if (!m->ports[i].skel)
			continue;
		rc = gn_xdp_percpu_add(bpf_map__fd(m->ports[i].skel->maps.stats), GN_MON_NSTATS, v);
		if (rc)
			return rc;
	}
	c->seen = v[GN_MON_SEEN];
	c->matched = v[GN_MON_MATCHED];
	c->not_matched = v[GN_MON_NOT_MATCHED];
	c->copied = v[GN_MON_COPIED];
	c->ringbuf_full = v[GN_MON_RINGBUF_FULL];
	c->passed = v[GN_MON_PASSED];
	c->filtered = v[GN_MON_FILTERED];
	c->received = m->received;
	return 0;
}

int gn_mon_stats(struct gn_mon *m, struct gn_io_stats *st)
{
	struct gn_monitor_counters c;

	memset(st, 0, sizeof(*st));
	st->received = m->received;
	if (!counters(m, &c))
		st->kernel_dropped = c.ringbuf_full;
	return 0;
}

int gn_io_monitor_counters(struct gn_io *io, struct gn_monitor_counters *c)
{
	struct gn_mon *m = gn_io_mon_backend(io);

	memset(c, 0, sizeof(*c));
	if (!m)
		return -EOPNOTSUPP;
	return counters(m, c);
}

int gn_io_monitor_info(struct gn_io *io, unsigned i, struct gn_io_xdp_info *out)
{
	struct gn_mon *m = gn_io_mon_backend(io);
	const struct port *p;

	memset(out, 0, sizeof(*out));
	if (!m)
		return -EOPNOTSUPP;
	if (i >= m->nports)
		return -ENOENT;
	p = &m->ports[i];
	gn_xdp_attach_info(&p->at, out);
	return 0;
}
