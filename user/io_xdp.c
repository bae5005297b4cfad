// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The xdp backend: per interface, the steer program and one AF_XDP socket
 * per receive queue (all of them, or those opts.queues names), polled
 * together.  The program sends a frame it takes to the socket of the queue
 * the frame came in on, so every queue that can receive one needs its own.
 *
 * Set-up order matters: the program is attached with no rule and no
 * filter, so it passes everything; then the sockets go into its XSKMAP;
 * only then does the filter (opts.filter) go in, and the caller's rules
 * after that, so nothing is taken before a socket is there to receive it.
 * Closing undoes it in the opposite order: the program goes first.
 */
#include "bpf_filter.h" /* first: it settles which struct is bpf_insn here */

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <pcap/dlt.h>
#include <bpf/bpf.h>

#include "io_xdp.h"
#include "steer.skel.h"
#include "xdp_attach.h"

#define VLAN_HLEN 4
/* The longest wait before the sockets are checked for an error. */
#define CHECK_MS 200
/* How long a receive that found frames last time looks for more before
 * it sleeps in poll. */
#define SPIN_NS 50000

struct port {
	const struct gn_io_iface *ifc;
	struct steer *skel;          /* NULL when not receiving */
	struct gn_xdp_attach at;
	struct gn_xsk *socks;        /* nsocks; socks[0] sends */
	unsigned nsocks;
	unsigned queues_total;
	bool filter;
	int promisc_fd;              /* holds promiscuous mode while open; -1 = none */
};

struct gn_xdp {
	struct port *ports;
	unsigned nports;
	struct gn_steer_set rules;
	struct pollfd *pfds;         /* the receiving sockets of every port */
	struct gn_xsk **pfd_sock;
	unsigned npfds;
	unsigned rr;                 /* the socket read first next time */
	bool streak;                 /* the last receive found frames */
	bool busy_poll;
	bool rx;
	uint64_t received;
	uint64_t sent;
	uint64_t send_errors;
};

struct gn_steer_set *gn_xdp_rules(struct gn_xdp *x)
{
	return &x->rules;
}

int gn_xdp_apply_rules(struct gn_xdp *x, struct gn_error *err)
{
	for (unsigned i = 0; i < x->nports; i++) {
		struct port *p = &x->ports[i];
		int rc;

		if (!p->skel)
			continue;
		rc = gn_steer_push(&x->rules, p->filter, bpf_map__fd(p->skel->maps.rules),
				   bpf_map__fd(p->skel->maps.rules_ctl));
		if (rc)
			return gn_error_set(err, rc, 0, "%s: updating the steering rules: %s",
					    p->ifc->name, strerror(-rc));
	}
	return 0;
}

/* The receive queues the kernel set up (real_num_rx_queues): the entries
 * rx-N of /sys/class/net/IF/queues, when that /sys is this network
 * namespace's (`ip netns exec` remounts it, nsenter does not: then the
 * same name may be another device, told by its index); else the driver's
 * channel count. */
static unsigned rx_queue_count(const struct gn_io_iface *ifc)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	char path[96];
	struct dirent *de;
	struct ifreq ifr;
	unsigned n = 0;
	FILE *f;
	DIR *d;
	int fd, idx = -1;

	snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", ifc->name);
	f = fopen(path, "re");
	if (f) {
		if (fscanf(f, "%d", &idx) != 1)
			idx = -1;
		fclose(f);
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", ifc->name);
	d = idx == ifc->ifindex ? opendir(path) : NULL;
	while (d && (de = readdir(d)))
		n += !strncmp(de->d_name, "rx-", 3);
	if (d)
		closedir(d);
	if (n)
		return n;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifc->name);
	ifr.ifr_data = (void *)&ch;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && ioctl(fd, SIOCETHTOOL, &ifr) == 0)
		n = ch.rx_count + ch.combined_count;
	if (fd >= 0)
		close(fd);
	return n ? n : 1;
}

/* The tcpdump filter, translated to XDP, in slot 0: it ends with a tail
 * call to slot 1 (take) or 2 (pass). */
static int load_filter(struct port *p, const struct gn_io_opts *o, struct gn_error *err)
{
	int rc = gn_xdp_jump_filter(bpf_map__fd(p->skel->maps.jump), p->ifc->name, o->filter,
				    o->snaplen, GN_SM_SLOT_FILTER, GN_SM_SLOT_MATCH,
				    GN_SM_SLOT_NOMATCH, "gn_steer_filter", false, err);

	if (!rc)
		p->filter = true;
	return rc;
}

static int pick_queues(const struct port *p, const struct gn_io_opts *o, unsigned *qs,
		       unsigned *n, struct gn_error *err)
{
	if (!o->queues || !o->nqueues) {
		for (unsigned q = 0; q < p->queues_total; q++)
			qs[q] = q;
		*n = p->queues_total;
		return 0;
	}
	for (unsigned i = 0; i < o->nqueues; i++) {
		if (o->queues[i] >= p->queues_total)
			return gn_error_set(err, -EINVAL, 0, "%s: no queue %u (it has %u receive queue%s)",
					    p->ifc->name, o->queues[i], p->queues_total,
					    p->queues_total == 1 ? "" : "s");
		for (unsigned j = 0; j < i; j++)
			if (o->queues[j] == o->queues[i])
				return gn_error_set(err, -EINVAL, 0, "%s: queue %u given twice",
						    p->ifc->name, o->queues[i]);
		qs[i] = o->queues[i];
	}
	*n = o->nqueues;
	return 0;
}

static int open_program(struct port *p, const struct gn_io_opts *o, struct gn_error *err)
{
	struct gn_sm_owner own;
	int rc;

	p->skel = steer__open();
	if (!p->skel)
		return gn_error_set(err, -errno, 0, "%s: opening the steer program: %s", p->ifc->name,
				    strerror(errno));
	bpf_map__set_max_entries(p->skel->maps.xsks, p->queues_total);
	/* Programs tail-calling each other must agree on their expected
	 * attach type (checked since Linux 6.17): the filter is loaded with
	 * the kernel's default for XDP, 0, not the BPF_XDP libbpf gives
	 * SEC("xdp"); netlink attachment does not look at it. */
	bpf_program__set_expected_attach_type(p->skel->progs.gn_steer, 0);
	bpf_program__set_expected_attach_type(p->skel->progs.gn_steer_match, 0);
	bpf_program__set_expected_attach_type(p->skel->progs.gn_steer_pass, 0);
	gn_xdp_owner_self(&own);
	memcpy((void *)&p->skel->rodata->gn_owner, &own, sizeof(own));
	rc = gn_xdp_attach(&p->at, p->skel->obj, "gn_steer", p->ifc->name, p->ifc->ifindex,
			   o->xdp_mode, err);
	if (!rc)
		rc = gn_xdp_jump_set(bpf_map__fd(p->skel->maps.jump), p->ifc->name, GN_SM_SLOT_MATCH,
				     bpf_program__fd(p->skel->progs.gn_steer_match), err);
	if (!rc)
		rc = gn_xdp_jump_set(bpf_map__fd(p->skel->maps.jump), p->ifc->name, GN_SM_SLOT_NOMATCH,
				     bpf_program__fd(p->skel->progs.gn_steer_pass), err);
	return rc;
}

static int open_port(struct port *p, const struct gn_io_opts *o, struct gn_error *err)
{
	struct gn_io_opts so = *o;
	unsigned *qs;
	int rc = 0;

	p->promisc_fd = -1;
	if (o->promisc &&
	    (rc = gn_xdp_hold_promisc(p->ifc->ifindex, p->ifc->name, &p->promisc_fd, err)))
		return rc;

	if (p->ifc->linktype != DLT_EN10MB)
		return gn_error_set(err, -EOPNOTSUPP, 0,
				    "%s: the xdp backend needs an Ethernet interface; use --backend "
				    "afpacket", p->ifc->name);
	if (o->rx && p->ifc->mtu + ETH_HLEN + 2 * VLAN_HLEN > gn_xsk_max_frame())
		return gn_error_set(err, -EMSGSIZE, 0,
				    "%s: MTU %u is too large for AF_XDP frames of %u bytes (at most "
				    "%u fits); lower it (ip link set dev %s mtu 1500) or use --backend "
				    "afpacket", p->ifc->name, p->ifc->mtu, GN_XSK_FRAME_SIZE,
				    gn_xsk_max_frame() - ETH_HLEN - 2 * VLAN_HLEN, p->ifc->name);
	p->queues_total = rx_queue_count(p->ifc);
	qs = calloc(p->queues_total > o->nqueues ? p->queues_total : o->nqueues, sizeof(*qs));
	if (!qs)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	if (o->rx) {
		rc = pick_queues(p, o, qs, &p->nsocks, err);
		if (!rc)
			rc = open_program(p, o, err);
	} else {
		p->nsocks = 1;  /* send only: one socket, on queue 0, no program */
	}
	if (!rc) {
		p->socks = calloc(p->nsocks, sizeof(*p->socks));
		if (!p->socks)
			rc = gn_error_set(err, -ENOMEM, 0, "out of memory");
	}
	for (unsigned i = 0; i < p->nsocks && p->socks; i++)
		p->socks[i].fd = -1;
	for (unsigned i = 0; i < p->nsocks && !rc; i++) {
		rc = gn_xsk_open(&p->socks[i], p->ifc, qs[i], &so, p->skel ?
				 bpf_map__fd(p->skel->maps.xsks) : -1, err);
		so.tx = false;  /* the first socket sends */
	}
	free(qs);
	if (!rc && o->rx && o->filter && *o->filter)
		rc = load_filter(p, o, err);
	return rc;
}

static void close_port(struct port *p)
{
	gn_xdp_detach(&p->at);
	for (unsigned i = 0; i < p->nsocks && p->socks; i++)
		gn_xsk_close(&p->socks[i]);
	free(p->socks);
	steer__destroy(p->skel);
	if (p->promisc_fd >= 0)
		close(p->promisc_fd);
	p->promisc_fd = -1;
	p->socks = NULL;
	p->skel = NULL;
}

void gn_xdp_close(struct gn_xdp *x)
{
	if (!x)
		return;
	for (unsigned i = 0; i < x->nports; i++)
		close_port(&x->ports[i]);
	free(x->ports);
	free(x->pfds);
	free(x->pfd_sock);
	free(x);
}

static int index_sockets(struct gn_xdp *x)
{
	unsigned n = 0;

	for (unsigned i = 0; i < x->nports; i++)
		n += x->ports[i].nsocks;
	x->pfds = calloc(n, sizeof(*x->pfds));
	x->pfd_sock = calloc(n, sizeof(*x->pfd_sock));
	if (!x->pfds || !x->pfd_sock)
		return -ENOMEM;
	for (unsigned i = 0; i < x->nports; i++) {
		for (unsigned j = 0; j < x->ports[i].nsocks; j++) {
			x->pfd_sock[x->npfds] = &x->ports[i].socks[j];
			x->pfds[x->npfds].fd = x->ports[i].socks[j].fd;
			x->pfds[x->npfds].events = POLLIN;
			x->npfds++;
		}
	}
	return 0;
}

int gn_xdp_open(const struct gn_io_opts *o, const struct gn_io_iface *ifs, unsigned nifs,
		struct gn_xdp **out, struct gn_error *err)
{
	struct gn_xdp *x;
	int rc = 0;

	if (o->xdp_mode > GN_XDP_MODE_GENERIC)
		return gn_error_set(err, -EINVAL, 0, "unknown XDP mode %d", (int)o->xdp_mode);
	if (o->xdp_copy > GN_XDP_COPY_COPY)
		return gn_error_set(err, -EINVAL, 0, "unknown AF_XDP copy mode %d", (int)o->xdp_copy);
	x = calloc(1, sizeof(*x));
	if (!x)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	x->rx = o->rx;
	x->busy_poll = o->busy_poll;
	x->ports = calloc(nifs, sizeof(*x->ports));
	if (!x->ports)
		rc = gn_error_set(err, -ENOMEM, 0, "out of memory");
	for (unsigned i = 0; i < nifs && !rc; i++) {
		x->ports[i].ifc = &ifs[i];
		x->nports = i + 1;
		rc = open_port(&x->ports[i], o, err);
	}
	if (!rc && o->rx) {
		if (index_sockets(x))
			rc = gn_error_set(err, -ENOMEM, 0, "out of memory");
		else
			rc = gn_xdp_apply_rules(x, err);
	}
	if (rc) {
		gn_xdp_close(x);
		return rc;
	}
	*out = x;
	return 0;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static unsigned take_all(struct gn_xdp *x, struct gn_frame *frames, unsigned max)
{
	unsigned n = 0;

	for (unsigned k = 0; k < x->npfds && n < max; k++)
		n += gn_xsk_take(x->pfd_sock[(x->rr + k) % x->npfds], frames + n, max - n);
	x->rr = (x->rr + 1) % x->npfds;
	return n;
}

/* An AF_XDP socket says nothing when its interface is taken down (the
 * frames just stop): whether each interface is still there and up is
 * asked here, when a wait ends with nothing, as afpacket's sockets would
 * report. */
static int check_ifaces(struct gn_xdp *x, struct gn_error *err)
{
	int sock = -1, rc = 0;

	for (unsigned i = 0; i < x->nports && !rc; i++) {
		const struct gn_io_iface *ifc = x->ports[i].ifc;
		char name[IF_NAMESIZE];
		struct ifreq ifr;

		if (!if_indextoname((unsigned)ifc->ifindex, name))
			return gn_error_set(err, -ENODEV, 0, "%s: interface went away", ifc->name);
		if (sock < 0)
			sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
		if (sock >= 0 && !ioctl(sock, SIOCGIFFLAGS, &ifr) && !(ifr.ifr_flags & IFF_UP))
			rc = gn_error_set(err, -ENETDOWN, 0, "%s: interface went down", ifc->name);
	}
	if (sock >= 0)
		close(sock);
	return rc;
}

static int check_sockets(struct gn_xdp *x, struct gn_error *err)
{
	for (unsigned i = 0; i < x->npfds; i++) {
		int e = gn_xsk_sockerr(x->pfd_sock[i]);

		if (e)
			return gn_xsk_error(x->pfd_sock[i], e, err);
	}
	return check_ifaces(x, err);
}

int gn_xdp_recv(struct gn_xdp *x, struct gn_frame *frames, unsigned max, int timeout_ms,
		struct gn_error *err)
{
	int64_t deadline = 0;

	if (!x->rx)
		return gn_error_set(err, -EINVAL, 0, "not opened for receiving");
	for (unsigned i = 0; i < x->npfds; i++)
		gn_xsk_release(x->pfd_sock[i]);
	if (!max)
		return 0;
	if (timeout_ms > 0)
		deadline = now_ns(CLOCK_MONOTONIC) + (int64_t)timeout_ms * 1000000;
	for (;;) {
		int wait = timeout_ms, r;
		unsigned n;

		if (x->busy_poll)
			for (unsigned i = 0; i < x->npfds; i++)
				gn_xsk_poke(x->pfd_sock[i]);
		n = take_all(x, frames, max);
		/* Frames came last time: more are likely within microseconds,
		 * and waiting for them here costs less than a sleep and a
		 * wake-up in poll (a context switch each, the bulk of the
		 * receive cost at a few hundred thousand frames a second). */
		if (!n && x->streak && timeout_ms) {
			int64_t until = now_ns(CLOCK_MONOTONIC) + SPIN_NS;

			while (!n && now_ns(CLOCK_MONOTONIC) < until)
				n = take_all(x, frames, max);
		}
		x->streak = n != 0;
		if (n) {
			/* AF_XDP carries no timestamp: the time we took them. */
			int64_t ts = now_ns(CLOCK_REALTIME);

			for (unsigned i = 0; i < n; i++)
				frames[i].meta.ts_ns = ts;
			x->received += n;
			return (int)n;
		}
		/* A look that must not wait is the rings alone: a poll and
		 * the interface checks would cost more than the frames they
		 * find (sr looks after every batch it sends), and the fill
		 * ring was kicked above if the driver needed it.  A device
		 * that goes away unbinds its sockets (ENETDOWN) without
		 * waking poll: that is looked for when a wait ends empty. */
		if (timeout_ms == 0)
			return 0;
		if (timeout_ms > 0) {
			int64_t now = now_ns(CLOCK_MONOTONIC);

			if (now >= deadline)
				return 0;
			wait = (int)((deadline - now + 999999) / 1000000);
		}
		if (wait < 0 || wait > CHECK_MS)
			wait = CHECK_MS;
		r = poll(x->pfds, x->npfds, wait);
		if (r < 0) {
			if (errno == EINTR)
				return -EINTR;
			return gn_error_set(err, -errno, 0, "poll: %s", strerror(errno));
		}
		if (!r && (r = check_sockets(x, err)))
			return r;
		for (unsigned i = 0; i < x->npfds && r > 0; i++)
			if (x->pfds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				return gn_xsk_error(x->pfd_sock[i], gn_xsk_sockerr(x->pfd_sock[i]), err);
	}
}

int gn_xdp_send(struct gn_xdp *x, const struct gn_frame *frames, unsigned n,
		struct gn_error *err)
{
	unsigned done = 0;

	while (done < n) {
		int ifindex = frames[done].meta.ifindex;
		struct port *p = NULL;
		unsigned run = 1;
		int rc;

		for (unsigned i = 0; i < x->nports && !p; i++)
			if (!ifindex || x->ports[i].ifc->ifindex == ifindex)
				p = &x->ports[i];
		if (!p || !p->socks[0].has_tx) {
			rc = gn_error_set(err, -EINVAL, 0, p ? "not opened for sending" :
					  "frame %u: interface index %d was not opened", done, ifindex);
			return done ? (int)done : rc;
		}
		/* A run of frames for the same interface goes out as one batch. */
		while (done + run < n && frames[done + run].meta.ifindex == ifindex)
			run++;
		rc = gn_xsk_send(&p->socks[0], frames + done, run, &x->send_errors, err);
		if (rc < 0)
			return done ? (int)done : rc;
		done += (unsigned)rc;
		x->sent += (unsigned)rc;
		if ((unsigned)rc < run)
			break;
	}
	return (int)done;
}

int gn_xdp_stats(struct gn_xdp *x, struct gn_io_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->received = x->received;
	st->sent = x->sent;
	st->send_errors = x->send_errors;
	for (unsigned i = 0; i < x->nports; i++) {
		for (unsigned j = 0; j < x->ports[i].nsocks; j++) {
			struct xdp_statistics xs;

			if (!gn_xsk_stats(&x->ports[i].socks[j], &xs))
				st->kernel_dropped += xs.rx_dropped + xs.rx_ring_full;
		}
	}
	return 0;
}

int gn_io_xdp_counters(struct gn_io *io, struct gn_xdp_counters *c)
{
	struct gn_xdp *x = gn_io_xdp_backend(io);

	memset(c, 0, sizeof(*c));
	if (!x)
		return -EOPNOTSUPP;
	for (unsigned i = 0; i < x->nports; i++) {
		struct port *p = &x->ports[i];
		uint64_t v[GN_SM_NSTATS];
		int rc;

		for (unsigned j = 0; j < p->nsocks; j++) {
			struct xdp_statistics xs;

			if (gn_xsk_stats(&p->socks[j], &xs))
				continue;
			c->rx_dropped += xs.rx_dropped;
			c->rx_ring_full += xs.rx_ring_full;
			c->fill_ring_empty += xs.rx_fill_ring_empty_descs;
			c->rx_invalid_descs += xs.rx_invalid_descs;
			c->tx_invalid_descs += xs.tx_invalid_descs;
			c->tx_ring_empty += xs.tx_ring_empty_descs;
		}
		if (!p->skel)
			continue;
		rc = gn_steer_read_stats(bpf_map__fd(p->skel->maps.stats), v);
		if (rc)
			return rc;
		c->seen += v[GN_SM_SEEN];
		c->matched += v[GN_SM_MATCHED];
		c->redirected += v[GN_SM_REDIRECTED];
		c->passed += v[GN_SM_PASSED];
		c->redirect_failed += v[GN_SM_REDIRECT_FAILED];
		c->filtered += v[GN_SM_FILTERED];
	}
	return 0;
}

int gn_io_xdp_info(struct gn_io *io, unsigned i, struct gn_io_xdp_info *out)
{
	struct gn_xdp *x = gn_io_xdp_backend(io);
	const struct port *p;

	memset(out, 0, sizeof(*out));
	if (!x)
		return -EOPNOTSUPP;
	if (i >= x->nports)
		return -ENOENT;
	p = &x->ports[i];
	gn_xdp_attach_info(&p->at, out);
	out->zero_copy = p->nsocks && p->socks[0].zero_copy;
	out->busy_poll = x->busy_poll;
	out->nqueues = p->nsocks;
	out->queues_total = p->queues_total;
	return 0;
}
