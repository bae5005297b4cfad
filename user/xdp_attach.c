// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Attaching an XDP program, the libxdp way, with what libxdp leaves to us.
 *
 * libxdp puts the program behind its dispatcher (so other libxdp users can
 * share the interface) when it can: that needs bpffs, where it pins the
 * dispatcher's parts, and freplace (BPF_PROG_TYPE_EXT) programs.  When it
 * cannot, it attaches the program directly, alone on the interface; we say
 * which way it went.  bpffs is mounted here when absent, because `ip netns
 * exec` gives every command a fresh /sys without one.  (On a kernel that
 * refuses freplace, loading the dispatcher's test program fails with EPERM
 * and libxdp falls back: the direct way is then the only one.)
 *
 * A netlink-attached program outlives its process.  A run killed with
 * SIGKILL leaves its program behind, steering into sockets that are gone
 * (the kernel emptied its XSKMAP, so it passes everything; still, it is
 * dead weight, and it would block the interface).  Each copy of the program
 * carries its owner (pid, start time, PID namespace) in its .rodata, set
 * before loading: a later run reads it back, removes the program when that
 * process is gone, and refuses with a clear message when it still runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/magic.h>
#include <bpf/bpf.h>

#include <linux/if_packet.h>
#include <pcap/dlt.h>
#include <sys/socket.h>

#include "bpf_filter.h"
#include "xdp_attach.h"

#define BPFFS_DIR "/sys/fs/bpf"
#define MAX_PROG_MAPS 16

/* Field 22 of /proc/PID/stat (start time in clock ticks since boot); 0 if
 * the process does not exist or has ended (a zombie: killed, not yet
 * reaped, which takes a while when its parent has gone too). */
static uint64_t start_time_of(const char *pid)
{
	char path[64], buf[1024], *p, state = 0;
	unsigned long long v = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name (field 2) may hold spaces and parentheses: the
	 * fields after it start after its last ')', with the state (field 3);
	 * the start time is 19 fields further. */
	p = strrchr(buf, ')');
	if (p && p[1] == ' ')
		state = p[2];
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (p)
		sscanf(p + 1, "%llu", &v);
	return state == 'Z' || state == 'X' ? 0 : v;
}

static uint64_t pidns_of(const char *pid)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%s/ns/pid", pid);
	return stat(path, &st) == 0 ? (uint64_t)st.st_ino : 0;
}

void gn_xdp_owner_self(struct gn_sm_owner *o)
{
	memset(o, 0, sizeof(*o));
	o->magic = GN_SM_OWNER_MAGIC;
	o->pid = (uint32_t)getpid();
	o->start_time = start_time_of("self");
	o->pidns = pidns_of("self");
}

/* The owner record in the .rodata of a loaded program; false if it has
 * none (not ours, or from a build before owners existed). */
static bool read_owner(int prog_fd, struct gn_sm_owner *o)
{
	uint32_t ids[MAX_PROG_MAPS];
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	bool found = false;

	memset(&info, 0, sizeof(info));
	info.nr_map_ids = MAX_PROG_MAPS;
	info.map_ids = (uintptr_t)ids;
	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return false;
	for (uint32_t i = 0; i < info.nr_map_ids && i < MAX_PROG_MAPS && !found; i++) {
		struct bpf_map_info mi;
		uint32_t mlen = sizeof(mi), key = 0;
		int fd = bpf_map_get_fd_by_id(ids[i]);
		size_t nl;

		if (fd < 0)
			continue;
		memset(&mi, 0, sizeof(mi));
		if (!bpf_obj_get_info_by_fd(fd, &mi, &mlen) &&
		    (nl = strlen(mi.name)) >= 7 && !strcmp(mi.name + nl - 7, ".rodata") &&
		    mi.value_size >= sizeof(*o)) {
			uint8_t *v = calloc(1, mi.value_size);

			if (v && !bpf_map_lookup_elem(fd, &key, v)) {
				memcpy(o, v, sizeof(*o));
				found = o->magic == GN_SM_OWNER_MAGIC;
			}
			free(v);
		}
		close(fd);
	}
	return found;
}

/* Whether the process that loaded prog still runs.  One in another PID
 * namespace cannot be looked up: it is taken as running, since removing a
 * live program would break its run, and leaving a dead one only asks the
 * user to remove it. */
static bool owner_alive(int prog_fd, uint32_t *pid)
{
	struct gn_sm_owner o;
	char p[16];

	*pid = 0;
	if (!read_owner(prog_fd, &o))
		return false;
	*pid = o.pid;
	snprintf(p, sizeof(p), "%u", o.pid);
	if (o.pidns != pidns_of("self"))
		return true;
	return start_time_of(p) == o.start_time;
}

static int busy(const struct gn_xdp_attach *a, uint32_t pid, struct gn_error *err)
{
	if (pid == (uint32_t)getpid())
		return gn_error_set(err, -EBUSY, 0, "%s: this process already steers it with XDP",
				    a->ifname);
	return gn_error_set(err, -EBUSY, 0,
			    "%s: already in use by gannet (pid %u) with AF_XDP; one process per "
			    "interface (or use --backend afpacket)", a->ifname, pid);
}

/* bpffs where libxdp looks for it; "" when it is there (mounted now if it
 * was not), else why not, for the message about the direct attachment. */
static void ensure_bpffs(char *why, size_t n)
{
	const char *dir = getenv("LIBXDP_BPFFS");
	struct statfs st;

	why[0] = '\0';
	if (!dir || !*dir)
		dir = BPFFS_DIR;
	if (statfs(dir, &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return;
	if (mount("bpf", dir, "bpf", 0, "mode=0700") == 0)
		return;
	snprintf(why, n, "no bpffs at %s, and mounting one failed: %s", dir, strerror(errno));
}

static int silent_libbpf(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l, (void)f, (void)ap;
	return 0;
}

static int silent_libxdp(enum libxdp_print_level l, const char *f, va_list ap)
{
	(void)l, (void)f, (void)ap;
	return 0;
}

/* libxdp's attempt at the dispatcher, when it fails, and its fallback talk
 * on stderr at length (libbpf's load errors included); what matters is said
 * once, by the caller.  LIBXDP_DEBUG in the environment keeps it all. */
struct quiet {
	libbpf_print_fn_t bpf;
	libxdp_print_fn_t xdp;
	bool on;
};

static void quiet_begin(struct quiet *q)
{
	q->on = !getenv("LIBXDP_DEBUG");
	if (!q->on)
		return;
	q->bpf = libbpf_set_print(silent_libbpf);
	q->xdp = libxdp_set_print(silent_libxdp);
}

static void quiet_end(struct quiet *q)
{
	if (!q->on)
		return;
	libbpf_set_print(q->bpf);
	libxdp_set_print(q->xdp);
}

/* The program attached alone (not behind a dispatcher): ours and
 * abandoned, so removed; ours and alive, or somebody else's: an error. */
static int clear_alone(struct gn_xdp_attach *a, struct xdp_multiprog *mp, const char *prog_name,
		       struct gn_error *err)
{
	struct xdp_program *p = xdp_multiprog__main_prog(mp);
	uint32_t pid;
	int rc;

	if (!p)
		return 0;  /* only an offloaded program: not in our way */
	if (strcmp(xdp_program__name(p), prog_name))
		return gn_error_set(err, -EEXIST, 0,
				    "%s: another XDP program ('%s', id %u) is attached, not through "
				    "libxdp's dispatcher; gannet will not replace it (remove it with "
				    "'ip link set dev %s xdp off' if it is not needed, or use "
				    "--backend afpacket)", a->ifname, xdp_program__name(p),
				    xdp_program__id(p), a->ifname);
	if (owner_alive(xdp_program__fd(p), &pid))
		return busy(a, pid, err);
	a->replaced_id = xdp_program__id(p);
	rc = xdp_multiprog__detach(mp);
	/* Another run clearing the same leftover got there first: fine. */
	if (rc && rc != -ENOENT)
		return gn_error_set(err, rc, 0, "%s: removing the XDP program a killed run left: %s",
				    a->ifname, strerror(-rc));
	return 0;
}

/* Remove what a killed run left on the interface: a program named like
 * ours, alone or behind the dispatcher, whose owner is gone. */
static int clear_leftover(struct gn_xdp_attach *a, const char *prog_name, struct gn_error *err)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(a->ifindex);
	struct xdp_program *p = NULL;
	uint32_t pid;
	int rc = 0;

	if (libxdp_get_error(mp))
		return 0;  /* nothing attached (or nothing libxdp can read) */
	if (xdp_multiprog__is_legacy(mp)) {
		rc = clear_alone(a, mp, prog_name, err);
		xdp_multiprog__close(mp);
		return rc;
	}
	while ((p = xdp_multiprog__next_prog(p, mp))) {
		if (strcmp(xdp_program__name(p), prog_name))
			continue;
		if (owner_alive(xdp_program__fd(p), &pid)) {
			rc = busy(a, pid, err);
			break;
		}
		a->replaced_id = xdp_program__id(p);
		rc = xdp_program__detach(p, a->ifindex, xdp_multiprog__attach_mode(mp), 0);
		if (rc && rc != -ENOENT) {
			rc = gn_error_set(err, rc, 0, "%s: removing the XDP program a killed run left: %s",
					  a->ifname, strerror(-rc));
			break;
		}
		rc = 0;
	}
	xdp_multiprog__close(mp);
	return rc;
}

static int attach_error(const struct gn_xdp_attach *a, enum gn_xdp_mode mode, int rc,
			struct gn_error *err)
{
	switch (-rc) {
	case EPERM:
	case EACCES:
		return gn_error_set(err, -EPERM, 0,
				    "%s: the kernel refused to load the XDP program (%s): that needs "
				    "CAP_BPF and CAP_NET_ADMIN (run as root)", a->ifname, strerror(-rc));
	case EOPNOTSUPP:
		if (mode == GN_XDP_MODE_NATIVE)
			return gn_error_set(err, rc, 0,
					    "%s: the driver has no native XDP (--xdp-mode native); use "
					    "--xdp-mode generic or auto", a->ifname);
		return gn_error_set(err, rc, 0, "%s: XDP is not supported here", a->ifname);
	case EBUSY:
	case EEXIST:
		return gn_error_set(err, -EBUSY, 0,
				    "%s: another XDP program was attached meanwhile (or in another "
				    "mode); see 'ip link show dev %s'", a->ifname, a->ifname);
	case EINVAL:
		return gn_error_set(err, rc, 0,
				    "%s: the kernel refused to attach the XDP program in %s mode "
				    "(an MTU too large for XDP on this driver?)", a->ifname,
				    mode == GN_XDP_MODE_GENERIC ? "generic" :
				    mode == GN_XDP_MODE_NATIVE ? "native" : "its default");
	default:
		return gn_error_set(err, rc, 0, "%s: attaching the XDP program: %s", a->ifname,
				    strerror(-rc));
	}
}

/* How it went: the dispatcher or directly, native or generic. */
static void note_how(struct gn_xdp_attach *a, const char *no_bpffs)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(a->ifindex);

	a->prog_id = xdp_program__id(a->xprog);
	if (libxdp_get_error(mp))
		return;
	a->dispatcher = !xdp_multiprog__is_legacy(mp);
	a->native = xdp_multiprog__attach_mode(mp) == XDP_MODE_NATIVE;
	xdp_multiprog__close(mp);
	if (a->dispatcher)
		return;
	if (*no_bpffs)
		snprintf(a->why_direct, sizeof(a->why_direct), "%s", no_bpffs);
	else
		snprintf(a->why_direct, sizeof(a->why_direct),
			 "libxdp could not set up its dispatcher, which needs freplace "
			 "(BPF_PROG_TYPE_EXT) programs; LIBXDP_DEBUG=1 shows why");
}

int gn_xdp_attach(struct gn_xdp_attach *a, struct bpf_object *obj, const char *prog_name,
		  const char *ifname, int ifindex, enum gn_xdp_mode mode, struct gn_error *err)
{
	DECLARE_LIBXDP_OPTS(xdp_program_opts, po, .obj = obj, .prog_name = prog_name);
	enum xdp_attach_mode xm = mode == GN_XDP_MODE_NATIVE ? XDP_MODE_NATIVE :
				  mode == GN_XDP_MODE_GENERIC ? XDP_MODE_SKB : XDP_MODE_UNSPEC;
	char no_bpffs[128];
	struct quiet q;
	int rc;

	memset(a, 0, sizeof(*a));
	a->ifindex = ifindex;
	snprintf(a->ifname, sizeof(a->ifname), "%s", ifname);
	ensure_bpffs(no_bpffs, sizeof(no_bpffs));
	quiet_begin(&q);
	rc = clear_leftover(a, prog_name, err);
	if (!rc) {
		a->xprog = xdp_program__create(&po);
		rc = (int)libxdp_get_error(a->xprog);
		if (rc) {
			a->xprog = NULL;
			rc = gn_error_set(err, rc, 0, "%s: XDP program %s: %s", ifname, prog_name,
					  strerror(-rc));
		}
	}
	if (!rc) {
		/* Under the dispatcher: before other programs, so it sees the
		 * frames first (it passes on all it does not take). */
		xdp_program__set_run_prio(a->xprog, 10);
		rc = xdp_program__attach(a->xprog, ifindex, xm, 0);
		if (rc)
			rc = attach_error(a, mode, rc, err);
	}
	quiet_end(&q);
	if (rc) {
		xdp_program__close(a->xprog);
		a->xprog = NULL;
		return rc;
	}
	note_how(a, no_bpffs);
	return 0;
}

void gn_xdp_detach(struct gn_xdp_attach *a)
{
	struct quiet q;

	if (!a->xprog)
		return;
	quiet_begin(&q);
	/* The mode it is in: without one, the kernel would look for it in
	 * native mode on a driver that has it.  The interface may be gone,
	 * and the program with it: nothing to do then. */
	xdp_program__detach(a->xprog, a->ifindex, a->native ? XDP_MODE_NATIVE : XDP_MODE_SKB, 0);
	quiet_end(&q);
	xdp_program__close(a->xprog);
	a->xprog = NULL;
}

/* ---- what the steer and monitor programs set up alike ---------------------- */

int gn_xdp_jump_set(int jump_fd, const char *ifname, uint32_t slot, int prog_fd,
		    struct gn_error *err)
{
	if (bpf_map_update_elem(jump_fd, &slot, &prog_fd, BPF_ANY))
		return gn_error_set(err, -errno, 0, "%s: jump map slot %u: %s", ifname, slot,
				    strerror(errno));
	return 0;
}

int gn_xdp_jump_filter(int jump_fd, const char *ifname, const char *filter, unsigned snaplen,
		       uint32_t filter_slot, uint32_t match_slot, uint32_t nomatch_slot,
		       const char *prog_name, bool frags, struct gn_error *err)
{
	struct gn_bpf_filter_opts fo = {
		.sz = sizeof(fo), .linktype = DLT_EN10MB, .snaplen = snaplen,
		.jump_map_fd = jump_fd, .match_slot = match_slot, .nomatch_slot = nomatch_slot,
		.prog_name = prog_name, .xdp_frags = frags,
	};
	int fd = -1, rc;

	rc = gn_bpf_filter_load(filter, &fo, &fd, err);
	if (rc)
		return rc;
	/* The map holds the program now; our fd can go. */
	rc = gn_xdp_jump_set(jump_fd, ifname, filter_slot, fd, err);
	close(fd);
	return rc;
}

int gn_xdp_hold_promisc(int ifindex, const char *ifname, int *fd, struct gn_error *err)
{
	struct packet_mreq mr = { .mr_ifindex = ifindex, .mr_type = PACKET_MR_PROMISC };

	*fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (*fd < 0 || setsockopt(*fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) < 0)
		return gn_error_set(err, -errno, 0, "%s: promiscuous mode: %s", ifname,
				    strerror(errno));
	return 0;
}

void gn_xdp_attach_info(const struct gn_xdp_attach *a, struct gn_io_xdp_info *out)
{
	out->native = a->native;
	out->dispatcher = a->dispatcher;
	out->prog_id = a->prog_id;
	out->replaced_id = a->replaced_id;
	snprintf(out->why_direct, sizeof(out->why_direct), "%s", a->why_direct);
}

int gn_xdp_percpu_add(int map_fd, uint32_t n, uint64_t *out)
{
	int ncpu = libbpf_num_possible_cpus();
	uint64_t *v;

	if (ncpu <= 0)
		return ncpu ? ncpu : -EINVAL;
	v = calloc((size_t)ncpu, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t k = 0; k < n; k++) {
		if (bpf_map_lookup_elem(map_fd, &k, v)) {
			int rc = -errno;

			free(v);
			return rc;
		}
		for (int c = 0; c < ncpu; c++)
			out[k] += v[c];
	}
	free(v);
	return 0;
}
