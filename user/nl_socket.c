// SPDX-License-Identifier: LGPL-2.1-or-later
/* rtnetlink sockets: one for dump requests, one subscribed to the
 * notification groups, both through libmnl. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "nl_db.h"

int gn_nl_socket_open(unsigned groups, struct mnl_socket **out, struct gn_error *err)
{
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	int one = 1, e;

	*out = NULL;
	if (!nl) {
		e = errno;
		return gn_error_set(err, -e, 0, "netlink: cannot open a route socket: %s",
				    strerror(e));
	}
	/* The kernel's own words with an error (extended ack), when it has any. */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) < 0) {
		e = errno;
		mnl_socket_close(nl);
		return gn_error_set(err, -e, 0, "netlink: cannot bind a route socket: %s",
				    strerror(e));
	}
	if (groups) {
		int fd = mnl_socket_get_fd(nl);
		int size = 4 << 20;

		/* A burst of changes (a routing daemon loading a table) should
		 * not overrun the queue between two updates; as root the
		 * limit of rmem_max does not apply. */
		if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
			setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
		if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
			e = errno;
			mnl_socket_close(nl);
			return gn_error_set(err, -e, 0, "netlink: %s", strerror(e));
		}
	}
	*out = nl;
	return 0;
}

static const char *dump_name(uint16_t type)
{
	switch (type) {
	case RTM_GETLINK:
		return "interfaces";
	case RTM_GETADDR:
		return "addresses";
	case RTM_GETROUTE:
		return "routes";
	case RTM_GETNEIGH:
		return "neighbours";
	case RTM_GETRULE:
		return "rules";
	default:
		return "a table";
	}
}

int gn_nl_dump(struct gn_netdb *db, uint16_t type, uint8_t family, size_t hdr_len,
	       mnl_cb_t cb, void *data, struct gn_error *err)
{
	char req[MNL_ALIGN(sizeof(struct nlmsghdr)) + 64] __attribute__((aligned(8)));
	unsigned seq = ++db->seq, portid = mnl_socket_get_portid(db->req);
	struct nlmsghdr *nlh;
	uint8_t *hdr;
	char *rbuf = malloc(GN_NL_BUF);
	bool intr = false;
	ssize_t n;
	int ret, e, left;

	if (!rbuf)
		return gn_error_set(err, -ENOMEM, 0, "netlink: out of memory");
	memset(req, 0, sizeof(req));
	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	hdr = mnl_nlmsg_put_extra_header(nlh, hdr_len);
	hdr[0] = family;
	if (mnl_socket_sendto(db->req, nlh, nlh->nlmsg_len) < 0) {
		e = errno;
		free(rbuf);
		return gn_error_set(err, -e, 0, "netlink: cannot ask for %s: %s",
				    dump_name(type), strerror(e));
	}
	do {
		n = mnl_socket_recvfrom(db->req, rbuf, GN_NL_BUF);
		if (n < 0) {
			ret = -1;
			break;
		}
		/* A table that changed during the dump marks the messages
		 * NLM_F_DUMP_INTR.  libmnl would stop at the first one and
		 * leave the rest of the dump queued for the next request;
		 * instead the whole dump is read, then read again. */
		left = (int)n;
		for (struct nlmsghdr *m = (struct nlmsghdr *)rbuf; mnl_nlmsg_ok(m, left);
		     m = mnl_nlmsg_next(m, &left)) {
			if (m->nlmsg_flags & NLM_F_DUMP_INTR) {
				intr = true;
				m->nlmsg_flags &= (uint16_t)~NLM_F_DUMP_INTR;
			}
		}
		ret = mnl_cb_run(rbuf, (size_t)n, seq, portid, cb, data);
	} while (ret > MNL_CB_STOP);
	e = errno;
	free(rbuf);
	if (ret < 0)
		return gn_error_set(err, -e, 0, "netlink: cannot read %s: %s", dump_name(type),
				    strerror(e));
	return intr ? -EINTR : 0;
}
