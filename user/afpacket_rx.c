// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Receiving with a TPACKET_V3 ring: the kernel fills blocks of frames in a
 * memory map shared with us and hands a block over when it is full or its
 * timeout expires; we read the frames in place and give the block back.
 *
 * No frame the filter would refuse ever reaches the ring.  The socket is
 * created with protocol 0, which registers no packet hook: it receives
 * nothing at all until bind() names a protocol.  The filter, the ring and
 * the options go on the idle socket, and bind() comes last, so the first
 * frame the kernel gives it has gone through the filter, into the ring.
 * Nothing can be queued before that, so there is nothing to drain (libpcap
 * needs a drop-all filter and a drain only because it sets the filter on a
 * socket that is already bound and receiving).
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "afpacket.h"

#define DEFAULT_SNAPLEN 262144
#define DEFAULT_BLOCK_SIZE (1u << 20)
#define DEFAULT_BLOCK_NR 64
#define DEFAULT_BLOCK_TOV_MS 10
/* V3 does not use frame sizes for its layout, but the kernel checks that
 * blocks divide into frames of this size. */
#define RING_FRAME_SIZE 2048
/* Room before each frame for the 802.1Q tag the kernel took out. */
#define VLAN_TAG_LEN 4

/* libpcap's compiler turns the tcpdump expression into classic BPF for the
 * interface's link type; the kernel runs it on every frame before the ring. */
static int attach_filter(int fd, const struct gn_io_opts *o, const struct gn_io_iface *ifc,
			 unsigned snaplen, struct gn_error *err)
{
	const char *expr = o->filter ? o->filter : "";
	struct bpf_program prog;
	struct sock_fprog fprog;
	pcap_t *dead;
	int rc = 0;

	dead = pcap_open_dead(ifc->linktype, (int)snaplen);
	if (!dead)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	/* An empty expression compiles to "accept snaplen bytes", which is
	 * how the snap length is applied when there is no filter. */
	if (pcap_compile(dead, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		const char *lt = pcap_datalink_val_to_name(ifc->linktype);

		rc = gn_error_set(err, -EINVAL, 0, "invalid filter \"%s\" for %s (link type %s): %s",
				  expr, ifc->name, lt ? lt : "unknown", pcap_geterr(dead));
		pcap_close(dead);
		return rc;
	}
	/* struct bpf_insn and struct sock_filter have the same layout. */
	fprog.len = (unsigned short)prog.bf_len;
	fprog.filter = (struct sock_filter *)prog.bf_insns;
	if (prog.bf_len > BPF_MAXINSNS)
		rc = gn_error_set(err, -E2BIG, 0, "filter \"%s\" is too long for the kernel (%u > %d instructions)",
				  expr, prog.bf_len, BPF_MAXINSNS);
	else if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) < 0)
		rc = gn_error_set(err, -errno, 0, "%s: attaching filter \"%s\": %s", ifc->name, expr,
				  strerror(errno));
	pcap_freecode(&prog);
	pcap_close(dead);
	return rc;
}

static bool is_loopback(int fd, const struct gn_io_iface *ifc)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, ifc->name);
	return ioctl(fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_LOOPBACK);
}

static int setup_ring(struct gn_afp_rx *rx, const struct gn_io_opts *o, struct gn_error *err)
{
	const struct gn_io_iface *ifc = rx->ifc;
	long page = sysconf(_SC_PAGESIZE);
	struct tpacket_req3 req;
	void *map;

	rx->block_size = o->block_size ? o->block_size : DEFAULT_BLOCK_SIZE;
	rx->block_nr = o->block_count ? o->block_count : DEFAULT_BLOCK_NR;
	if (rx->block_size % (unsigned)page)
		return gn_error_set(err, -EINVAL, 0, "ring block size %u is not a multiple of the page size (%ld)",
				    rx->block_size, page);
	memset(&req, 0, sizeof(req));
	req.tp_block_size = rx->block_size;
	req.tp_block_nr = rx->block_nr;
	req.tp_frame_size = RING_FRAME_SIZE;
	req.tp_frame_nr = rx->block_size / RING_FRAME_SIZE * rx->block_nr;
	req.tp_retire_blk_tov = o->block_timeout_ms ? o->block_timeout_ms : DEFAULT_BLOCK_TOV_MS;
	if (setsockopt(rx->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return gn_error_set(err, -errno, 0, "%s: receive ring of %u blocks of %u bytes: %s",
				    ifc->name, rx->block_nr, rx->block_size, strerror(errno));
	rx->map_len = (size_t)rx->block_size * rx->block_nr;
	map = mmap(NULL, rx->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, rx->fd, 0);
	if (map == MAP_FAILED)
		return gn_error_set(err, -errno, 0, "%s: mapping the receive ring (%zu bytes): %s",
				    ifc->name, rx->map_len, strerror(errno));
	rx->map = map;
	return 0;
}

int gn_afp_rx_open(struct gn_afp_rx *rx, const struct gn_io_opts *o,
		   const struct gn_io_iface *ifc, struct gn_error *err)
{
	unsigned snaplen = o->snaplen ? o->snaplen : DEFAULT_SNAPLEN;
	struct sockaddr_ll sll;
	bool ignore_out;
	int rc;

	memset(rx, 0, sizeof(*rx));
	rx->ifc = ifc;
	/* Protocol 0: deaf until bind() (see the top of the file). */
	rx->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (rx->fd < 0) {
		if (errno == EPERM)
			return gn_error_set(err, -EPERM, 0,
					    "%s: capturing needs CAP_NET_RAW (run as root)", ifc->name);
		return gn_error_set(err, -errno, 0, "%s: packet socket: %s", ifc->name, strerror(errno));
	}
	rc = attach_filter(rx->fd, o, ifc, snaplen, err);
	if (rc)
		return rc;
	if (gn_afp_setint(rx->fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3) ||
	    gn_afp_setint(rx->fd, SOL_PACKET, PACKET_RESERVE, VLAN_TAG_LEN))
		return gn_error_set(err, -errno, 0, "%s: TPACKET_V3: %s", ifc->name, strerror(errno));
	/* On loopback every frame is seen going out and coming in: keep one. */
	ignore_out = !o->outgoing || is_loopback(rx->fd, ifc);
	if (ignore_out && gn_afp_setint(rx->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1))
		rx->skip_outgoing = true;  /* kernels before 4.20: skipped here instead */
	rc = setup_ring(rx, o, err);
	if (rc)
		return rc;
	if (o->promisc) {
		struct packet_mreq mr;

		memset(&mr, 0, sizeof(mr));
		mr.mr_ifindex = ifc->ifindex;
		mr.mr_type = PACKET_MR_PROMISC;
		if (setsockopt(rx->fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
			return gn_error_set(err, -errno, 0, "%s: promiscuous mode: %s", ifc->name,
					    strerror(errno));
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifc->ifindex;
	if (bind(rx->fd, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return gn_afp_errno(ifc, errno, "bind", err);
	return 0;
}

static struct tpacket_block_desc *block_at(const struct gn_afp_rx *rx, unsigned i)
{
	return (struct tpacket_block_desc *)(rx->map + (size_t)i * rx->block_size);
}

/* The current block is read to its end: on to the next. */
static void next_block(struct gn_afp_rx *rx)
{
	rx->left = 0;
	rx->nheld++;
	rx->cur = (rx->cur + 1) % rx->block_nr;
}

/* The kernel took the 802.1Q tag out of the frame into the header; put it
 * back where it was, in the room PACKET_RESERVE left in front. */
static void reinsert_vlan(const struct tpacket3_hdr *h, uint8_t **data, struct gn_meta *m)
{
	uint8_t *mac = *data;
	uint16_t tpid, tci;

	if (m->linktype != DLT_EN10MB || m->cap_len < 12 ||
	    mac - VLAN_TAG_LEN < (const uint8_t *)h + TPACKET3_HDRLEN)
		return;
	tpid = (h->tp_status & TP_STATUS_VLAN_TPID_VALID) ? h->hv1.tp_vlan_tpid : ETH_P_8021Q;
	tci = (uint16_t)h->hv1.tp_vlan_tci;
	memmove(mac - VLAN_TAG_LEN, mac, 12);
	mac -= VLAN_TAG_LEN;
	tpid = htons(tpid);
	tci = htons(tci);
	memcpy(mac + 12, &tpid, 2);
	memcpy(mac + 14, &tci, 2);
	*data = mac;
	m->cap_len += VLAN_TAG_LEN;
	m->wire_len += VLAN_TAG_LEN;
}

unsigned gn_afp_rx_take(struct gn_afp_rx *rx, struct gn_frame *frames, unsigned max)
{
	unsigned n = 0;

	while (n < max) {
		struct tpacket_block_desc *bd = block_at(rx, rx->cur);
		const uint8_t *end = (const uint8_t *)bd + rx->block_size;
		const struct sockaddr_ll *sll;
		struct tpacket3_hdr *h;
		struct gn_frame *f;
		uint8_t *data;

		if (!rx->left) {
			/* Every block read but none given back yet: cur has
			 * come round to the oldest of them, still ours. */
			if (rx->nheld == rx->block_nr ||
			    !(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
				break;
			rx->left = bd->hdr.bh1.num_pkts;
			rx->next = (uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
			if (!rx->left) {
				next_block(rx);
				continue;
			}
		}
		h = (struct tpacket3_hdr *)rx->next;
		/* The kernel wrote these offsets; a block is still never read
		 * past its end. */
		if ((uint8_t *)h + TPACKET3_HDRLEN > end ||
		    (uint8_t *)h + h->tp_mac + (size_t)h->tp_snaplen > end) {
			next_block(rx);
			continue;
		}
		sll = (const struct sockaddr_ll *)((uint8_t *)h + TPACKET_ALIGN(sizeof(*h)));
		if (--rx->left)
			rx->next += h->tp_next_offset;
		else
			next_block(rx);
		if (rx->skip_outgoing && sll->sll_pkttype == PACKET_OUTGOING)
			continue;
		f = &frames[n++];
		data = (uint8_t *)h + h->tp_mac;
		memset(&f->meta, 0, sizeof(f->meta));
		f->meta.ts_ns = (int64_t)h->tp_sec * 1000000000 + h->tp_nsec;
		f->meta.wire_len = h->tp_len;
		f->meta.cap_len = h->tp_snaplen;
		f->meta.ifindex = rx->ifc->ifindex;
		f->meta.linktype = rx->ifc->linktype;
		if (h->tp_status & TP_STATUS_VLAN_VALID)
			reinsert_vlan(h, &data, &f->meta);
		f->data = data;
	}
	return n;
}

void gn_afp_rx_release(struct gn_afp_rx *rx)
{
	unsigned i = (rx->cur + rx->block_nr - rx->nheld) % rx->block_nr;

	for (; rx->nheld; rx->nheld--, i = (i + 1) % rx->block_nr)
		__atomic_store_n(&block_at(rx, i)->hdr.bh1.block_status, TP_STATUS_KERNEL,
				 __ATOMIC_RELEASE);
}

int gn_afp_rx_sockerr(struct gn_afp_rx *rx)
{
	int e = 0;
	socklen_t len = sizeof(e);

	if (getsockopt(rx->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		e = errno;
	return e ? e : EIO;
}

int gn_afp_rx_error(struct gn_afp_rx *rx, int e, struct gn_error *err)
{
	char name[IF_NAMESIZE];

	/* The kernel says ENETDOWN both when the device is taken down and
	 * when it is deleted (it goes down first); whether the index still
	 * names a device tells them apart. */
	if (e == ENETDOWN && !if_indextoname((unsigned)rx->ifc->ifindex, name))
		e = ENODEV;
	if (e == EIO)
		return gn_error_set(err, -EIO, 0, "%s: capture failed (the socket reported an error)",
				    rx->ifc->name);
	return gn_afp_errno(rx->ifc, e, "capture", err);
}

void gn_afp_rx_update_drops(struct gn_afp_rx *rx)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);

	/* Reading the counters resets them: they are added up here. */
	memset(&st, 0, sizeof(st));
	if (rx->fd >= 0 && getsockopt(rx->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0)
		rx->drops += st.tp_drops;
}

void gn_afp_rx_close(struct gn_afp_rx *rx)
{
	if (rx->map)
		munmap(rx->map, rx->map_len);
	if (rx->fd >= 0)
		close(rx->fd);
	rx->map = NULL;
	rx->fd = -1;
}
