// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gn_io: one small interface over every source and sink of frames.  This
 * file checks the options, resolves the interfaces (what every backend
 * needs: index, link type, MTU, up or not) and hands the calls to the
 * backend: afpacket (AF_PACKET rings, the default), xdp (AF_XDP sockets
 * fed by the steer XDP program) or monitor (an XDP program copying matches
 * into a BPF ring buffer, receive only).
 */
#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/dlt.h>

#include "afpacket.h"
#include "io_xdp.h"
#include "io_monitor.h"

#ifndef ARPHRD_RAWIP
#define ARPHRD_RAWIP 519
#endif

struct gn_io {
	struct gn_afp *afp;       /* one of these three */
	struct gn_xdp *xdp;
	struct gn_mon *mon;
	struct gn_io_iface *ifs;
	unsigned nifs;
	struct gn_error err;      /* the last recv/send failure */
};

/* The link type of frames read with SOCK_RAW from a device of this ARPHRD_
 * type, or -1 for the types not handled yet (they need cooked capture). */
static int dlt_of_arphrd(int type)
{
	switch (type) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:   /* Linux's loopback carries Ethernet headers */
		return DLT_EN10MB;
	case ARPHRD_NONE:       /* tun, wireguard: the frame is the IP packet */
	case ARPHRD_RAWIP:
		return DLT_RAW;
	default:
		return -1;
	}
}

static int lookup_iface(int sock, const char *name, struct gn_io_iface *ifc,
			struct gn_error *err)
{
	struct ifreq ifr;

	memset(ifc, 0, sizeof(*ifc));
	if (!name || !*name)
		return gn_error_set(err, -EINVAL, 0, "empty interface name");
	if (strlen(name) >= IFNAMSIZ)
		return gn_error_set(err, -ENODEV, 0, "%s: interface name too long (at most %d characters)",
				    name, IFNAMSIZ - 1);
	strcpy(ifc->name, name);
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, name);
	if (ioctl(sock, SIOCGIFINDEX, &ifr) < 0) {
		if (errno == ENODEV)
			return gn_error_set(err, -ENODEV, 0, "%s: no such interface", name);
		return gn_error_set(err, -errno, 0, "%s: %s", name, strerror(errno));
	}
	ifc->ifindex = ifr.ifr_ifindex;
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0)
		return gn_error_set(err, -errno, 0, "%s: link type: %s", name, strerror(errno));
	ifc->linktype = dlt_of_arphrd(ifr.ifr_hwaddr.sa_family);
	if (ifc->linktype < 0)
		return gn_error_set(err, -EOPNOTSUPP, 0,
				    "%s: link type %d (ARPHRD) not supported yet; Ethernet, loopback "
				    "and raw IP interfaces are", name, ifr.ifr_hwaddr.sa_family);
	if (ioctl(sock, SIOCGIFMTU, &ifr) < 0)
		return gn_error_set(err, -errno, 0, "%s: MTU: %s", name, strerror(errno));
	ifc->mtu = (unsigned)ifr.ifr_mtu;
	if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0)
		return gn_error_set(err, -errno, 0, "%s: flags: %s", name, strerror(errno));
	/* The kernel would accept the socket and report ENETDOWN at the first
	 * poll; saying so now is clearer. */
	if (!(ifr.ifr_flags & IFF_UP))
		return gn_error_set(err, -ENETDOWN, 0, "%s: interface is down", name);
	return 0;
}

static int resolve_ifaces(const struct gn_io_opts *o, struct gn_io *io, struct gn_error *err)
{
	int sock, rc = 0;

	io->ifs = calloc(o->nifaces ? o->nifaces : 1, sizeof(*io->ifs));
	if (!io->ifs)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return gn_error_set(err, -errno, 0, "socket: %s", strerror(errno));
	for (unsigned i = 0; i < o->nifaces && !rc; i++) {
		rc = lookup_iface(sock, o->ifaces[i], &io->ifs[i], err);
		for (unsigned j = 0; j < i && !rc; j++)
			if (io->ifs[j].ifindex == io->ifs[i].ifindex)
				rc = gn_error_set(err, -EINVAL, 0, "%s: interface given twice",
						  io->ifs[i].name);
		io->nifs = i + 1;
	}
	close(sock);
	return rc;
}

int gn_io_open(const char *backend, const struct gn_io_opts *opts, struct gn_io **out,
	       struct gn_error *err)
{
	struct gn_io_opts o = { 0 };
	struct gn_io *io;
	int rc;

	*out = NULL;
	if (!opts || opts->sz < offsetof(struct gn_io_opts, tx_mode))
		return gn_error_set(err, -EINVAL, 0, "gn_io_open: opts.sz not set");
	/* libbpf's opts pattern: a caller built against an older, shorter
	 * struct gets zeros for the fields it does not know. */
	memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	o.sz = sizeof(o);
	if (backend && strcmp(backend, "afpacket") && strcmp(backend, "xdp") &&
	    strcmp(backend, "monitor"))
		return gn_error_set(err, -EINVAL, 0,
				    "unknown I/O backend '%s' (known: afpacket, xdp, monitor)",
				    backend);
	if (!o.rx && !o.tx)
		return gn_error_set(err, -EINVAL, 0, "gn_io_open: neither rx nor tx asked for");
	if (!o.nifaces || !o.ifaces)
		return gn_error_set(err, -EINVAL, 0, "no interface given");
	if (o.tx_mode > GN_IO_TX_RING)
		return gn_error_set(err, -EINVAL, 0, "unknown send mode %d", (int)o.tx_mode);

	io = calloc(1, sizeof(*io));
	if (!io)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	rc = resolve_ifaces(&o, io, err);
	if (!rc)
		rc = backend && !strcmp(backend, "monitor") ?
			gn_mon_open(&o, io->ifs, io->nifs, &io->mon, err) :
			backend && !strcmp(backend, "xdp") ?
			gn_xdp_open(&o, io->ifs, io->nifs, &io->xdp, err) :
			gn_afp_open(&o, io->ifs, io->nifs, &io->afp, err);
	if (rc) {
		free(io->ifs);
		free(io);
		return rc;
	}
	*out = io;
	return 0;
}

/* A call that failed last time must not leave its message behind. */
static void clear_err(struct gn_io *io)
{
	if (io->err.code) {
		io->err.code = 0;
		io->err.msg[0] = '\0';
	}
}

int gn_io_recv(struct gn_io *io, struct gn_frame *frames, unsigned max, int timeout_ms)
{
	clear_err(io);
	if (io->xdp)
		return gn_xdp_recv(io->xdp, frames, max, timeout_ms, &io->err);
	if (io->mon)
		return gn_mon_recv(io->mon, frames, max, timeout_ms, &io->err);
	return gn_afp_recv(io->afp, frames, max, timeout_ms, &io->err);
}

int gn_io_send(struct gn_io *io, const struct gn_frame *frames, unsigned n)
{
	clear_err(io);
	if (io->xdp)
		return gn_xdp_send(io->xdp, frames, n, &io->err);
	if (io->mon)
		return gn_mon_send(io->mon, frames, n, &io->err);
	return gn_afp_send(io->afp, frames, n, &io->err);
}

int gn_io_stats(struct gn_io *io, struct gn_io_stats *st)
{
	if (io->xdp)
		return gn_xdp_stats(io->xdp, st);
	if (io->mon)
		return gn_mon_stats(io->mon, st);
	return gn_afp_stats(io->afp, st);
}

struct gn_xdp *gn_io_xdp_backend(struct gn_io *io)
{
	return io ? io->xdp : NULL;
}

struct gn_mon *gn_io_mon_backend(struct gn_io *io)
{
	return io ? io->mon : NULL;
}

const char *gn_io_errmsg(const struct gn_io *io)
{
	return io->err.msg;
}

int gn_io_iface(const struct gn_io *io, unsigned i, struct gn_io_iface *out)
{
	if (i >= io->nifs)
		return -ENOENT;
	*out = io->ifs[i];
	return 0;
}

void gn_io_close(struct gn_io *io)
{
	if (!io)
		return;
	gn_xdp_close(io->xdp);
	gn_mon_close(io->mon);
	gn_afp_close(io->afp);
	free(io->ifs);
	free(io);
}
