// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * user/bpf_filter.c: tcpdump filters compiled by libpcap, translated to eBPF
 * and run in the kernel as XDP programs (BPF_PROG_TEST_RUN), checked against
 * libpcap's own interpreter (pcap_offline_filter) on every Ethernet frame of
 * tcpdump's and Scapy's test captures plus frames crafted with gannet (and
 * every truncation of some of them, for the bounds checks).  A verdict that
 * differs fails the test; so does an expression that never matches, or
 * always matches, over the whole set (the test cannot pass vacuously).
 *
 * Hand-built classic programs pin down the arithmetic (every bit of A),
 * the loads at the packet's edge and the refusals; a chain of programs in a
 * PROG_ARRAY shows the tail calls in and out.  Loading BPF needs root: the
 * tests that load skip without it.
 */
#include "bpf_filter.h" /* first: it settles which struct is bpf_insn here */

#include <dirent.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/filter.h>

#include "testlib.h"

#define NETMASK 0xffffff00u /* for 'ip broadcast' */
#define XDP_HEADROOM 256
#define XDP_TAILROOM 320 /* SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86-64 */

/* ---- frames ------------------------------------------------------------ */

struct frame {
	uint8_t *data;
	uint32_t len;
	const char *origin; /* capture file name or crafting expression */
};

struct frames {
	struct frame *v;
	size_t n, cap;
	size_t skipped_short, skipped_long, files;
};

/* What BPF_PROG_TEST_RUN gives an XDP program in one buffer: longer frames
 * are split into fragments the program's direct loads do not reach.  The
 * hand-built test "abs at the last byte of a buffer" fails if this is not
 * the kernel's figure. */
static uint32_t max_linear(void)
{
	return (uint32_t)sysconf(_SC_PAGESIZE) - XDP_HEADROOM - XDP_TAILROOM;
}

static void frames_add(struct frames *fs, const uint8_t *data, size_t len, const char *origin)
{
	if (len < 14) {
		fs->skipped_short++;
		return;
	}
	if (len > max_linear()) {
		fs->skipped_long++;
		return;
	}
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? 2 * fs->cap : 1024;
		fs->v = realloc(fs->v, fs->cap * sizeof(*fs->v));
		assert_non_null(fs->v);
	}
	fs->v[fs->n].data = malloc(len);
	assert_non_null(fs->v[fs->n].data);
	memcpy(fs->v[fs->n].data, data, len);
	fs->v[fs->n].len = (uint32_t)len;
	fs->v[fs->n].origin = origin;
	fs->n++;
}

static void frames_free(struct frames *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].data);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* Names of the files read, kept for the messages. */
static char **names;
static size_t nnames;

static const char *keep_name(const char *s)
{
	names = realloc(names, (nnames + 1) * sizeof(*names));
	assert_non_null(names);
	names[nnames] = strdup(s);
	assert_non_null(names[nnames]);
	return names[nnames++];
}

/* Every frame of every Ethernet capture libpcap can open in dir (the
 * malformed files end early, which is fine: what was read counts). */
static void add_dir(struct frames *fs, const char *dir)
{
	char path[1024], ebuf[PCAP_ERRBUF_SIZE];
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		fail_msg("%s: %s (set GANNET_ROOT to the top of the tree)", dir, strerror(errno));
	while ((de = readdir(d))) {
		struct pcap_pkthdr *h;
		const u_char *data;
		const char *origin;
		pcap_t *p;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		p = pcap_open_offline(path, ebuf);
		if (!p)
			continue;
		if (pcap_datalink(p) != DLT_EN10MB) {
			pcap_close(p);
			continue;
		}
		fs->files++;
		origin = keep_name(de->d_name);
		while (pcap_next_ex(p, &h, &data) == 1)
			frames_add(fs, data, h->caplen, origin);
		pcap_close(p);
	}
	closedir(d);
}

/* Frames built by gannet for the positive case of every expression below
 * (and plenty of negatives). */
static const char *const crafted[] = {
	"Ether(src='00:11:22:33:44:55',dst='66:77:88:99:aa:bb')/IP(src='10.0.0.1',dst='192.168.1.1')/TCP(sport=40000,dport=80,flags='S')",
	"Ether(src='66:77:88:99:aa:bb',dst='00:11:22:33:44:55')/IP(src='192.168.1.1',dst='10.0.0.1')/TCP(sport=80,dport=40000,flags='SA')",
	"Ether(src='66:77:88:99:aa:bb',dst='00:11:22:33:44:55')/IP(src='192.168.1.1',dst='10.0.0.1')/TCP(sport=80,dport=40000,flags='R')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.1.1.1',dst='10.2.2.2')/TCP(sport=1024,dport=22,flags='PA')/Raw(load='SSH-2.0-OpenSSH')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='172.16.5.4',dst='172.31.0.1')/TCP(sport=50000,dport=80,flags='PA')/Raw(load='GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2',ttl=32)/UDP(sport=1337,dport=1337)/Raw(load='escp')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='8.8.8.8')/UDP(sport=5353,dport=53)/Raw(load=b'\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.9')/UDP(sport=999,dport=1500)/Raw(load=b'\\x01\\x02\\x03\\x04')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.9')/TCP(sport=2001,dport=2500)",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2')/ICMP(type=8)/Raw(load='ping')",
	"Ether(src='02:00:00:00:00:02',dst='02:00:00:00:00:01')/IP(src='10.0.0.2',dst='10.0.0.1')/ICMP(type=0)/Raw(load='ping')",
	"Ether(src='00:11:22:33:44:55',dst='ff:ff:ff:ff:ff:ff')/ARP(op=1,psrc='10.0.0.1',pdst='10.0.0.2',hwsrc='00:11:22:33:44:55')",
	"Ether(src='66:77:88:99:aa:bb',dst='00:11:22:33:44:55')/ARP(op=2,psrc='10.0.0.2',pdst='10.0.0.1',hwsrc='66:77:88:99:aa:bb')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/Dot1Q(vlan=10)/IP(src='10.0.0.1',dst='10.0.0.2')/TCP(sport=1234,dport=80)",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/Dot1Q(vlan=20)/IP(src='10.0.0.1',dst='10.0.0.2')/UDP(sport=1234,dport=53)",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/Dot1Q(vlan=10)/Dot1Q(vlan=30)/IPv6(src='2001:db8::1',dst='2001:db8::2')/TCP(dport=443)",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2',proto=47)/Raw(load=b'\\x00\\x00\\x08\\x00\\x45\\x00')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IPv6(src='2001:db8::1',dst='2001:db8::2')/TCP(sport=33000,dport=443,flags='S')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IPv6(src='2001:db8::1',dst='2001:db8::53')/UDP(sport=33000,dport=53)/Raw(load='q')",
	"Ether(src='02:00:00:00:00:01',dst='33:33:00:00:00:01')/IPv6(src='fe80::1',dst='ff02::1')/ICMPv6EchoRequest()",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IPv6(src='::1',dst='::1')/IPv6ExtHdrHopByHop()/TCP(dport=80)",
	"Ether(src='02:00:00:00:00:01',dst='01:00:5e:00:00:01')/IP(src='10.0.0.1',dst='224.0.0.1',ttl=1)/UDP(sport=5000,dport=5000)",
	"Ether(src='02:00:00:00:00:01',dst='ff:ff:ff:ff:ff:ff')/IP(src='10.0.0.1',dst='10.0.0.255')/UDP(sport=137,dport=137)",
	"Ether(src='02:00:00:00:00:01',dst='ff:ff:ff:ff:ff:ff')/IP(src='0.0.0.0',dst='255.255.255.255')/UDP(sport=68,dport=67)/Raw(load=b'\\x01'*240)",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2')/UDP(sport=4000,dport=4001)/Raw(load=b'x'*600)",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2',flags='MF',frag=100)/Raw(load=b'fragment')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2',options=[IPOption_RR()])/TCP(sport=5,dport=80)",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02',type=0x88cc)/Raw(load=b'\\x02\\x07\\x04\\x00\\x11\\x22\\x33\\x44\\x55')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02',type=0x8864)/Raw(load=b'\\x11\\x00\\x00\\x27\\x00\\x02\\x00\\x21')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02',type=0x8847)/Raw(load=b'\\x00\\x06\\x41\\x40\\x45\\x00\\x00\\x14')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2')/UDP(sport=6081,dport=6081)/Raw(load=b'\\x00\\x00\\x65\\x58\\x00\\x00\\x01\\x00')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.1')/TCP(sport=7,dport=7,flags='FPU')",
	"Ether(src='02:00:00:00:00:01',dst='02:00:00:00:00:02')/IP(src='10.0.0.1',dst='10.0.0.2')/UDP(sport=1,dport=2)",
};

/* Every prefix of these (from 14 bytes) as well: the loads at the edge. */
static const unsigned truncated[] = { 0, 4, 9, 13, 15, 17, 20, 21, 26 };

static void add_crafted(struct frames *fs)
{
	struct gn_arena *a = gn_arena_new(4096);

	assert_non_null(a);
	for (size_t i = 0; i < sizeof(crafted) / sizeof(crafted[0]); i++) {
		struct gn_packet *p = parse_ok(crafted[i]);
		uint8_t *out;
		size_t len;
		int rc = gn_build(p, a, &out, &len);

		if (rc)
			fail_msg("build of %s: %s", crafted[i], gn_strerror(rc));
		frames_add(fs, out, len, crafted[i]);
		for (size_t t = 0; t < sizeof(truncated) / sizeof(truncated[0]); t++)
			if (truncated[t] == i)
				for (size_t l = 14; l < len; l++)
					frames_add(fs, out, l, crafted[i]);
		gn_packet_free(p);
		gn_arena_reset(a);
	}
	gn_arena_free(a);
}

static struct frames all_frames;

static void load_frames(void)
{
	const char *root = getenv("GANNET_ROOT");
	char dir[1024];

	if (all_frames.n)
		return;
	if (!root)
		root = ".";
	snprintf(dir, sizeof(dir), "%s/../shared/corpus/tcpdump-tests", root);
	add_dir(&all_frames, dir);
	snprintf(dir, sizeof(dir), "%s/../shared/corpus/scapy-tests", root);
	add_dir(&all_frames, dir);
	add_crafted(&all_frames);
	print_message("frames: %zu from %zu Ethernet captures and %zu crafted expressions; "
		      "skipped %zu shorter than 14 bytes and %zu longer than %u (one XDP buffer)\n",
		      all_frames.n, all_frames.files, sizeof(crafted) / sizeof(crafted[0]),
		      all_frames.skipped_short, all_frames.skipped_long, max_linear());
	assert_true(all_frames.n >= 5000);
}

/* ---- running ------------------------------------------------------------------ */

static int quiet_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN && getenv("GN_TEST_VERBOSE"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static void skip_unless_root(void)
{
	if (geteuid() != 0) {
		print_message("not root: loading BPF programs is not permitted, skipping\n");
		skip();
	}
}

static int load_ok(const char *expr, int map_fd, uint32_t match_slot, uint32_t nomatch_slot)
{
	LIBBPF_OPTS(gn_bpf_filter_opts, o, .jump_map_fd = map_fd, .match_slot = match_slot,
		    .nomatch_slot = nomatch_slot, .netmask = NETMASK);
	struct gn_error err = { 0 };
	int fd = -1, rc = gn_bpf_filter_load(expr, &o, &fd, &err);

	if (rc == -EPERM) {
		print_message("%s\n", err.msg);
		skip();
	}
	if (rc)
		fail_msg("gn_bpf_filter_load(%s): %d %s", expr, rc, err.msg);
	assert_true(fd >= 0);
	return fd;
}

static uint32_t run_xdp(int fd, const uint8_t *data, uint32_t len)
{
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = data, .data_size_in = len, .repeat = 1);
	int rc = bpf_prog_test_run_opts(fd, &t);

	if (rc)
		fail_msg("BPF_PROG_TEST_RUN on %u bytes: %s", len, strerror(-rc));
	return t.retval;
}

/* libpcap's verdict; XDP sees the whole frame, so wire length = captured length. */
static bool oracle(const struct bpf_program *prog, const uint8_t *data, uint32_t len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.caplen = len;
	h.len = len;
	return pcap_offline_filter(prog, &h, data) != 0;
}

static void compile_ok(const char *expr, struct bpf_program *prog)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);

	assert_non_null(dead);
	if (pcap_compile(dead, prog, expr, 1, NETMASK) < 0)
		fail_msg("pcap_compile(%s): %s", expr, pcap_geterr(dead));
	pcap_close(dead);
}

/* ---- verdicts against libpcap's --------------------------------------------------- */

static const char *const exprs[] = {
	"tcp port 80", "tcp port http", "udp and port 1337", "port 53", "port domain",
	"src port 1024", "dst port 22", "tcp dst port 443", "udp port 67 or udp port 68",
	"host 10.0.0.1", "src host 10.0.0.1", "dst host 192.168.1.1", "net 10.0.0.0/8",
	"src net 192.168.0.0/16", "dst net 172.16.0.0 mask 255.240.0.0", "portrange 1000-2000",
	"tcp portrange 1-1023", "ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6",
	"ip6 and tcp", "ip6 and udp", "vlan", "vlan 10", "vlan and ip", "vlan 10 and tcp port 80",
	"vlan 10 and vlan 30 and ip6", "ether host 00:11:22:33:44:55",
	"ether src 00:11:22:33:44:55", "ether dst ff:ff:ff:ff:ff:ff", "ether broadcast",
	"ether multicast", "ether proto 0x88cc", "ether[12:2] = 0x0806", "ether[0] & 1 = 0",
	"ip[8] < 64", "ip[2:2] > 500", "tcp[13] & 2 != 0", "tcp[tcpflags] & tcp-syn != 0",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn", "tcp[tcpflags] & tcp-rst != 0",
	"tcp[tcpflags] = tcp-syn|tcp-ack", "icmp[icmptype] = icmp-echo",
	"icmp[icmptype] = icmp-echoreply", "icmp6 and ip6[40] = 128", "len > 100", "len <= 60",
	"greater 64", "less 60", "len >= 1000", "ip proto 47", "ip6 proto 58", "ip proto \\tcp",
	"proto 17", "not port 22 and not arp", "tcp or udp", "not ip",
	"not (tcp or udp or icmp)", "(tcp and port 80) or (udp and port 53)",
	"host 10.0.0.1 and not port 22", "tcp and (port 80 or port 443)",
	"ip and not net 10.0.0.0/8", "ip multicast", "ip broadcast", "ip6 multicast",
	"host ::1 or host 10.0.0.2", "ip6 net 2001:db8::/32", "ip[6:2] & 0x1fff != 0",
	"ip[0] & 0xf != 5", "ip[9] = 1", "tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420",
	"ip6[6] = 17", "ip[12:4] = ip[16:4]", "len - 14 > 100", "ip[2:2] / 4 > 100",
	"ip[2:2] % 7 = 3", "ip[8] * 2 > 100", "ip[1] ^ 0xff = 0xff", "(ip[2:2] << 1) > 1000",
	"ip[2:2] >> 3 > 10", "ip[8] - 1 = 63", "udp[8:2] = 0x1234", "tcp[20:2] = tcp[22:2]",
	"mpls", "mpls 100", "pppoes", "pppoes 0x27", "geneve", "ip and udp dst port 6081",
	"ether src 02:00:00:00:00:01 and ether dst 02:00:00:00:00:02", "llc", "stp",
	"tcp[tcpflags] & (tcp-fin|tcp-push|tcp-urg) = (tcp-fin|tcp-push|tcp-urg)",
	"udp[4:2] < 20", "icmp or icmp6 or arp", "ip and ip[20:2] = 53",
	"(ether[12:2] = 0x0800 and ip[9] = 6) or ether[12:2] = 0x86dd",
};

#define NEXPRS (sizeof(exprs) / sizeof(exprs[0]))
#define MAX_REPORTED 10

static void test_verdicts_equal_libpcap(void **state)
{
	uint64_t checked = 0, matched = 0;
	unsigned mismatches = 0;

	(void)state;
	skip_unless_root();
	load_frames();
	for (size_t e = 0; e < NEXPRS; e++) {
		struct bpf_program prog;
		size_t yes = 0, no = 0;
		int fd = load_ok(exprs[e], -1, 0, 0);

		compile_ok(exprs[e], &prog);
		for (size_t i = 0; i < all_frames.n; i++) {
			const struct frame *f = &all_frames.v[i];
			bool want = oracle(&prog, f->data, f->len);
			uint32_t got = run_xdp(fd, f->data, f->len);

			if (got != XDP_PASS && got != XDP_DROP)
				fail_msg("%s: XDP action %u", exprs[e], got);
			if ((got == XDP_PASS) != want && mismatches++ < MAX_REPORTED) {
				char *hex = tohex(f->data, f->len < 96 ? f->len : 96);

				print_error("MISMATCH '%s' on a frame of %u bytes from %s: libpcap %s, XDP %s\n  %s\n",
					    exprs[e], f->len, f->origin, want ? "match" : "no match",
					    got == XDP_PASS ? "match" : "no match", hex);
				free(hex);
			}
			want ? yes++ : no++;
		}
		checked += all_frames.n;
		matched += yes;
		pcap_freecode(&prog);
		close(fd);
		if (!yes || !no)
			fail_msg("'%s' matches %zu of the %zu frames: the comparison proves nothing",
				 exprs[e], yes, all_frames.n);
	}
	print_message("%zu expressions x %zu frames = %llu verdicts checked, %llu matches, %u differ\n",
		      NEXPRS, all_frames.n, (unsigned long long)checked,
		      (unsigned long long)matched, mismatches);
	assert_int_equal(mismatches, 0);
	assert_true(NEXPRS >= 50);
}

/* ---- hand-built programs: every bit of A, the loads at the edge ------------------- */

#define ST(c, k) { (uint16_t)(c), 0, 0, (uint32_t)(k) }
#define JMP(c, k, t, f) { (uint16_t)(c), (uint8_t)(t), (uint8_t)(f), (uint32_t)(k) }
#define MAXPROG 120
/* M[i] = P[14..18) + i * 0x1111, then A = (A + M[i]) * 3 over every i */
#define MEMST(i) ST(BPF_LD | BPF_W | BPF_ABS, 14), ST(BPF_ALU | BPF_ADD | BPF_K, (i) * 0x1111), \
		 ST(BPF_ST, i)
#define MEMLD(i) ST(BPF_MISC | BPF_TAX, 0), ST(BPF_LD | BPF_MEM, i), \
		 ST(BPF_ALU | BPF_ADD | BPF_X, 0), ST(BPF_ALU | BPF_MUL | BPF_K, 3)
/* A named sequence; its length counted by the compiler. */
#define SEQ(nm, ...) { nm, sizeof((gn_cbpf_insn_t[]){ __VA_ARGS__ }) / sizeof(gn_cbpf_insn_t), \
		       { __VA_ARGS__ } }

/* Straight-line sequences that leave something in A. */
struct seq {
	const char *name;
	unsigned n;
	gn_cbpf_insn_t insn[MAXPROG];
};

static const struct seq seqs[] = {
	SEQ("alu k",
		ST(BPF_LD | BPF_W | BPF_ABS, 14), ST(BPF_ALU | BPF_ADD | BPF_K, 0x12345678),
		ST(BPF_ALU | BPF_MUL | BPF_K, 3), ST(BPF_ALU | BPF_SUB | BPF_K, 0x9abcdef0),
		ST(BPF_ALU | BPF_XOR | BPF_K, 0xdeadbeef), ST(BPF_ALU | BPF_OR | BPF_K, 5),
		ST(BPF_ALU | BPF_AND | BPF_K, 0xfffff0ff), ST(BPF_ALU | BPF_DIV | BPF_K, 3),
		ST(BPF_ALU | BPF_MOD | BPF_K, 0x7fffffff), ST(BPF_ALU | BPF_NEG, 0),
		ST(BPF_ALU | BPF_LSH | BPF_K, 3), ST(BPF_ALU | BPF_RSH | BPF_K, 1),
		ST(BPF_ALU | BPF_DIV | BPF_K, 0xfffffff0)),
	SEQ("a and x start at 0",
		ST(BPF_ALU | BPF_ADD | BPF_K, 5), ST(BPF_ALU | BPF_ADD | BPF_X, 0)),
	SEQ("x starts at 0", ST(BPF_MISC | BPF_TXA, 0), ST(BPF_ALU | BPF_OR | BPF_K, 0x100)),
	SEQ("big constants",
		ST(BPF_LD | BPF_IMM, 0xfffffffe), ST(BPF_ALU | BPF_ADD | BPF_K, 0x80000000),
		ST(BPF_ALU | BPF_MUL | BPF_K, 0xffffffff), ST(BPF_ALU | BPF_RSH | BPF_K, 31)),
	SEQ("shift k by 31",
		ST(BPF_LD | BPF_W | BPF_ABS, 14), ST(BPF_ALU | BPF_OR | BPF_K, 1),
		ST(BPF_ALU | BPF_LSH | BPF_K, 31)),
	SEQ("alu x",
		ST(BPF_LDX | BPF_IMM, 0x01020304),
		ST(BPF_LD | BPF_W | BPF_ABS, 18), ST(BPF_ALU | BPF_ADD | BPF_X, 0),
		ST(BPF_ALU | BPF_MUL | BPF_X, 0), ST(BPF_ALU | BPF_SUB | BPF_X, 0),
		ST(BPF_ALU | BPF_XOR | BPF_X, 0), ST(BPF_ALU | BPF_OR | BPF_X, 0),
		ST(BPF_ALU | BPF_AND | BPF_X, 0), ST(BPF_LDX | BPF_IMM, 13),
		ST(BPF_ALU | BPF_DIV | BPF_X, 0), ST(BPF_ALU | BPF_MOD | BPF_X, 0),
		ST(BPF_ALU | BPF_NEG, 0)),
	SEQ("div x from the packet (0 rejects)",
		ST(BPF_LDX | BPF_MSH | BPF_B, 15), ST(BPF_LD | BPF_W | BPF_ABS, 16),
		ST(BPF_ALU | BPF_DIV | BPF_X, 0), ST(BPF_ALU | BPF_ADD | BPF_K, 1)),
	SEQ("mod x from the packet (0 rejects)",
		ST(BPF_LD | BPF_B | BPF_ABS, 15), ST(BPF_MISC | BPF_TAX, 0),
		ST(BPF_LD | BPF_W | BPF_ABS, 16), ST(BPF_ALU | BPF_MOD | BPF_X, 0),
		ST(BPF_ALU | BPF_ADD | BPF_K, 1)),
	SEQ("lsh x from the packet (32+ gives 0)",
		ST(BPF_LD | BPF_B | BPF_ABS, 14), ST(BPF_ALU | BPF_AND | BPF_K, 0x3f),
		ST(BPF_MISC | BPF_TAX, 0), ST(BPF_LD | BPF_W | BPF_ABS, 16),
		ST(BPF_ALU | BPF_LSH | BPF_X, 0)),
	SEQ("rsh x from the packet (32+ gives 0)",
		ST(BPF_LD | BPF_B | BPF_ABS, 14), ST(BPF_ALU | BPF_AND | BPF_K, 0x3f),
		ST(BPF_MISC | BPF_TAX, 0), ST(BPF_LD | BPF_W | BPF_ABS, 16),
		ST(BPF_ALU | BPF_RSH | BPF_X, 0)),
	SEQ("rsh x by 255",
		ST(BPF_LDX | BPF_IMM, 255), ST(BPF_LD | BPF_IMM, 0xffffffff),
		ST(BPF_ALU | BPF_RSH | BPF_X, 0), ST(BPF_ALU | BPF_ADD | BPF_K, 9)),
	SEQ("ind loads from a packet byte",
		ST(BPF_LDX | BPF_MSH | BPF_B, 14),
		ST(BPF_LD | BPF_B | BPF_IND, 14), ST(BPF_ST, 0), ST(BPF_LD | BPF_H | BPF_IND, 15),
		ST(BPF_LDX | BPF_MEM, 0), ST(BPF_ALU | BPF_ADD | BPF_X, 0),
		ST(BPF_ALU | BPF_ADD | BPF_K, 0)),
	SEQ("ind word near the end",
		ST(BPF_LD | BPF_B | BPF_ABS, 12), ST(BPF_MISC | BPF_TAX, 0),
		ST(BPF_LD | BPF_W | BPF_IND, 0), ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("ind half with k",
		ST(BPF_LD | BPF_B | BPF_ABS, 13), ST(BPF_MISC | BPF_TAX, 0),
		ST(BPF_LD | BPF_H | BPF_IND, 7), ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("ind byte with x large",
		ST(BPF_LDX | BPF_IMM, 0xfffffff0), ST(BPF_LD | BPF_B | BPF_IND, 0x20),
		ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("ind with k beyond 64k",
		ST(BPF_LDX | BPF_IMM, 0), ST(BPF_LD | BPF_B | BPF_IND, 0x10000),
		ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("abs word at 36", ST(BPF_LD | BPF_W | BPF_ABS, 36), ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("abs half at 49", ST(BPF_LD | BPF_H | BPF_ABS, 49), ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("abs byte at 59, then inside",
		ST(BPF_LD | BPF_B | BPF_ABS, 59), ST(BPF_LD | BPF_W | BPF_ABS, 20),
		ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("abs at the last byte of a buffer",
		ST(BPF_LD | BPF_B | BPF_ABS, 3519), ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("abs beyond s16", ST(BPF_LD | BPF_H | BPF_ABS, 0x8000), ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("abs beyond 64k", ST(BPF_LD | BPF_W | BPF_ABS, 0xfffe), ST(BPF_ALU | BPF_OR | BPF_K, 1)),
	SEQ("msh", ST(BPF_LDX | BPF_MSH | BPF_B, 14), ST(BPF_MISC | BPF_TXA, 0)),
	SEQ("len",
		ST(BPF_LD | BPF_W | BPF_LEN, 0), ST(BPF_LDX | BPF_W | BPF_LEN, 0),
		ST(BPF_ALU | BPF_MUL | BPF_X, 0), ST(BPF_ALU | BPF_ADD | BPF_K, 3)),
	SEQ("scratch memory",
		ST(BPF_LD | BPF_W | BPF_ABS, 14), ST(BPF_ST, 3), ST(BPF_LDX | BPF_IMM, 5),
		ST(BPF_STX, 15), ST(BPF_LD | BPF_MEM, 15), ST(BPF_ALU | BPF_ADD | BPF_X, 0),
		ST(BPF_LDX | BPF_MEM, 3), ST(BPF_ALU | BPF_ADD | BPF_X, 0), ST(BPF_ST, 0)),
	SEQ("every scratch word",
		MEMST(0), MEMST(1), MEMST(2), MEMST(3), MEMST(4), MEMST(5), MEMST(6), MEMST(7),
		MEMST(8), MEMST(9), MEMST(10), MEMST(11), MEMST(12), MEMST(13), MEMST(14), MEMST(15),
		ST(BPF_LD | BPF_IMM, 0),
		MEMLD(0), MEMLD(1), MEMLD(2), MEMLD(3), MEMLD(4), MEMLD(5), MEMLD(6), MEMLD(7),
		MEMLD(8), MEMLD(9), MEMLD(10), MEMLD(11), MEMLD(12), MEMLD(13), MEMLD(14), MEMLD(15)),
};

/* Jumps: programs of their own, each returning what it computed. */
static const struct seq jumps[] = {
	SEQ("jeq/jgt/jge k",
		ST(BPF_LD | BPF_B | BPF_ABS, 14), JMP(BPF_JMP | BPF_JEQ | BPF_K, 0x45, 0, 2),
		ST(BPF_RET | BPF_K, 1), ST(BPF_RET | BPF_K, 0),
		JMP(BPF_JMP | BPF_JGT | BPF_K, 0x80, 2, 0), JMP(BPF_JMP | BPF_JGE | BPF_K, 0x60, 0, 1),
		ST(BPF_RET | BPF_K, 0), ST(BPF_RET | BPF_K, 7), ST(BPF_RET | BPF_K, 0)),
	SEQ("jset k both ways",
		ST(BPF_LD | BPF_B | BPF_ABS, 15), JMP(BPF_JMP | BPF_JSET | BPF_K, 0x81, 0, 2),
		JMP(BPF_JMP | BPF_JSET | BPF_K, 0x01, 2, 3), ST(BPF_RET | BPF_K, 0),
		ST(BPF_RET | BPF_K, 0), ST(BPF_RET | BPF_K, 1), ST(BPF_RET | BPF_K, 0)),
	SEQ("x comparisons",
		ST(BPF_LD | BPF_B | BPF_ABS, 16), ST(BPF_MISC | BPF_TAX, 0),
		ST(BPF_LD | BPF_B | BPF_ABS, 17), JMP(BPF_JMP | BPF_JGT | BPF_X, 0, 0, 3),
		JMP(BPF_JMP | BPF_JSET | BPF_X, 0, 0, 4), JMP(BPF_JMP | BPF_JEQ | BPF_X, 0, 3, 0),
		ST(BPF_RET | BPF_K, 0), JMP(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 0),
		ST(BPF_RET | BPF_K, 0), ST(BPF_RET | BPF_A, 0)),
	SEQ("ja, jt == jf, unreachable code",
		ST(BPF_LD | BPF_B | BPF_ABS, 18), JMP(BPF_JMP | BPF_JEQ | BPF_K, 3, 2, 2),
		ST(BPF_RET | BPF_K, 5), ST(BPF_RET | BPF_K, 6), JMP(BPF_JMP | BPF_JA, 1, 0, 0),
		ST(BPF_RET | BPF_K, 7), JMP(BPF_JMP | BPF_JGT | BPF_K, 0x7f, 0, 0),
		ST(BPF_RET | BPF_A, 0)),
	SEQ("ret a of zero",
		ST(BPF_LD | BPF_B | BPF_ABS, 14), ST(BPF_ALU | BPF_AND | BPF_K, 1),
		ST(BPF_RET | BPF_A, 0)),
	SEQ("bounds checked on one path only",
		ST(BPF_LD | BPF_B | BPF_ABS, 14), JMP(BPF_JMP | BPF_JGT | BPF_K, 0x80, 0, 1),
		ST(BPF_LD | BPF_W | BPF_ABS, 40), ST(BPF_LD | BPF_H | BPF_ABS, 38),
		JMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0), ST(BPF_RET | BPF_K, 1),
		ST(BPF_RET | BPF_K, 0)),
};

static void frame_random(uint8_t *buf, size_t len, uint32_t *seed)
{
	for (size_t i = 0; i < len; i++) {
		*seed = *seed * 1103515245 + 12345;
		buf[i] = (uint8_t)(*seed >> 16);
	}
}

/* Frames of every length from 14 to 80, random bytes, a few times over,
 * and a couple of full buffers. */
static void handmade_frames(struct frames *fs)
{
	uint32_t seed = 42;
	uint8_t buf[4096];

	for (unsigned round = 0; round < 6; round++)
		for (size_t len = 14; len <= 80; len++) {
			frame_random(buf, len, &seed);
			if (round == 1)
				buf[12] = (uint8_t)(len - 4); /* ind word near the end */
			if (round == 2)
				buf[15] = 0;                  /* division by 0 */
			frames_add(fs, buf, len, "random");
		}
	frame_random(buf, max_linear(), &seed);
	frames_add(fs, buf, max_linear(), "random");
	frames_add(fs, buf, max_linear() - 1, "random");
}

static void check_program(const gn_cbpf_insn_t *insns, unsigned n, const char *name,
			  const struct frames *fs, unsigned *yes, unsigned *no)
{
	struct bpf_program prog = { .bf_len = n, .bf_insns = (gn_cbpf_insn_t *)insns };
	LIBBPF_OPTS(gn_bpf_filter_opts, o, .jump_map_fd = -1);
	LIBBPF_OPTS(bpf_prog_load_opts, lo);
	struct gn_error err = { 0 };
	struct bpf_insn *out = NULL;
	size_t nout = 0;
	int rc = gn_bpf_filter_translate(&prog, &o, &out, &nout, &err), fd;

	if (rc)
		fail_msg("%s: translate: %d %s", name, rc, err.msg);
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "gn_test", "GPL", out, nout, &lo);
	if (fd < 0)
		fail_msg("%s: bpf_prog_load: %s", name, strerror(errno));
	free(out);
	for (size_t i = 0; i < fs->n; i++) {
		bool want = oracle(&prog, fs->v[i].data, fs->v[i].len);
		uint32_t got = run_xdp(fd, fs->v[i].data, fs->v[i].len);

		if (got != XDP_PASS && got != XDP_DROP)
			fail_msg("%s: XDP action %u", name, got);
		if ((got == XDP_PASS) != want)
			fail_msg("%s: frame %zu of %u bytes: libpcap says %s, XDP %s", name, i,
				 fs->v[i].len, want ? "match" : "no match",
				 got == XDP_PASS ? "match" : "no match");
		want ? (*yes)++ : (*no)++;
	}
	close(fd);
}

/* Each sequence, then a test of one bit of A: 32 programs compare all of A
 * with libpcap's A; one more returns A itself. */
static void test_handmade_programs(void **state)
{
	struct frames fs = { 0 };
	unsigned yes = 0, no = 0, programs = 0;

	(void)state;
	skip_unless_root();
	handmade_frames(&fs);
	for (size_t s = 0; s < sizeof(seqs) / sizeof(seqs[0]); s++) {
		gn_cbpf_insn_t p[MAXPROG + 3];
		unsigned n = seqs[s].n;

		memcpy(p, seqs[s].insn, n * sizeof(p[0]));
		for (unsigned bit = 0; bit < 33; bit++) {
			if (bit < 32) {
				p[n] = (gn_cbpf_insn_t)JMP(BPF_JMP | BPF_JSET | BPF_K, 1u << bit, 0, 1);
				p[n + 1] = (gn_cbpf_insn_t)ST(BPF_RET | BPF_K, 1);
				p[n + 2] = (gn_cbpf_insn_t)ST(BPF_RET | BPF_K, 0);
				check_program(p, n + 3, seqs[s].name, &fs, &yes, &no);
			} else {
				p[n] = (gn_cbpf_insn_t)ST(BPF_RET | BPF_A, 0);
				check_program(p, n + 1, seqs[s].name, &fs, &yes, &no);
			}
			programs++;
		}
	}
	for (size_t j = 0; j < sizeof(jumps) / sizeof(jumps[0]); j++) {
		check_program(jumps[j].insn, jumps[j].n, jumps[j].name, &fs, &yes, &no);
		programs++;
	}
	print_message("%u hand-built programs x %zu frames: %u matches, %u not\n", programs, fs.n,
		      yes, no);
	assert_true(yes > 1000 && no > 1000);
	frames_free(&fs);
}

/* ---- refusals ------------------------------------------------------------------------ */

static void assert_translate_refused(const gn_cbpf_insn_t *insns, unsigned n, int code,
				     const char *part1, const char *part2)
{
	struct bpf_program prog = { .bf_len = n, .bf_insns = (gn_cbpf_insn_t *)insns };
	struct gn_error err = { 0 };
	struct bpf_insn *out = (struct bpf_insn *)&err; /* must come back NULL */
	size_t nout = 99;
	int rc = gn_bpf_filter_translate(&prog, NULL, &out, &nout, &err);

	if (rc != code)
		fail_msg("want %d, got %d (%s)", code, rc, err.msg);
	assert_null(out);
	assert_int_equal(nout, 0);
	if (!strstr(err.msg, part1) || (part2 && !strstr(err.msg, part2)))
		fail_msg("message '%s' lacks '%s' / '%s'", err.msg, part1, part2 ? part2 : "");
}

static void test_ancillary_and_malformed_refused(void **state)
{
	const gn_cbpf_insn_t anc[] = {
		ST(BPF_LD | BPF_H | BPF_ABS, (uint32_t)SKF_AD_OFF + SKF_AD_PROTOCOL),
		ST(BPF_RET | BPF_A, 0),
	};
	const gn_cbpf_insn_t vlan[] = {
		ST(BPF_LD | BPF_W | BPF_IMM, 1),
		ST(BPF_LD | BPF_B | BPF_ABS, (uint32_t)SKF_AD_OFF + SKF_AD_VLAN_TAG_PRESENT),
		ST(BPF_RET | BPF_A, 0),
	};
	const gn_cbpf_insn_t net[] = {
		ST(BPF_LDX | BPF_IMM, 0), ST(BPF_LD | BPF_B | BPF_IND, (uint32_t)SKF_NET_OFF + 9),
		ST(BPF_RET | BPF_A, 0),
	};
	const gn_cbpf_insn_t ll[] = {
		ST(BPF_LD | BPF_W | BPF_ABS, (uint32_t)SKF_LL_OFF), ST(BPF_RET | BPF_A, 0),
	};
	const gn_cbpf_insn_t back[] = {
		ST(BPF_LD | BPF_IMM, 1), JMP(BPF_JMP | BPF_JA, (uint32_t)-2, 0, 0),
		ST(BPF_RET | BPF_A, 0),
	};
	const gn_cbpf_insn_t past[] = {
		ST(BPF_LD | BPF_B | BPF_ABS, 0), JMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
		ST(BPF_RET | BPF_A, 0),
	};
	const gn_cbpf_insn_t noret[] = { ST(BPF_LD | BPF_IMM, 1) };
	const gn_cbpf_insn_t mem[] = { ST(BPF_ST, 16), ST(BPF_RET | BPF_K, 1) };
	const gn_cbpf_insn_t op[] = { ST(BPF_MISC | 0x20, 0), ST(BPF_RET | BPF_K, 1) };
	const gn_cbpf_insn_t shift[] = { ST(BPF_ALU | BPF_RSH | BPF_K, 32), ST(BPF_RET | BPF_A, 0) };
	const gn_cbpf_insn_t div0[] = { ST(BPF_LD | BPF_IMM, 1), ST(BPF_ALU | BPF_MOD | BPF_K, 0),
					ST(BPF_RET | BPF_A, 0) };

	(void)state;
	assert_translate_refused(anc, 2, -EOPNOTSUPP, "SKF_AD_PROTOCOL", "instruction 0");
	assert_translate_refused(vlan, 3, -EOPNOTSUPP, "SKF_AD_VLAN_TAG_PRESENT", "instruction 1");
	assert_translate_refused(net, 3, -EOPNOTSUPP, "SKF_NET_OFF+9", "instruction 1");
	assert_translate_refused(ll, 2, -EOPNOTSUPP, "SKF_LL_OFF", "instruction 0");
	assert_translate_refused(back, 3, -EOPNOTSUPP, "backward jump", "instruction 1");
	assert_translate_refused(past, 3, -EINVAL, "past the end", "instruction 1");
	assert_translate_refused(noret, 1, -EINVAL, "does not end in a return", NULL);
	assert_translate_refused(mem, 2, -EINVAL, "M[16]", "instruction 0");
	assert_translate_refused(op, 2, -EINVAL, "opcode 0x27", "instruction 0");
	assert_translate_refused(shift, 2, -EINVAL, "shift by 32", "instruction 0");
	assert_translate_refused(div0, 3, -EINVAL, "division by the constant 0", "instruction 1");
	assert_translate_refused(NULL, 0, -EINVAL, "empty", NULL);
}

static void test_compile_errors(void **state)
{
	LIBBPF_OPTS(gn_bpf_filter_opts, o, .jump_map_fd = -1);
	struct gn_error err = { 0 };
	int fd = 7;

	(void)state;
	assert_int_equal(gn_bpf_filter_load("udp prot 1", &o, &fd, &err), -EINVAL);
	assert_int_equal(fd, -1);
	if (!strstr(err.msg, "filter 'udp prot 1': ") || !strstr(err.msg, "syntax error"))
		fail_msg("message: %s", err.msg);

	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_bpf_filter_load("ip broadcast", NULL, &fd, &err), -EINVAL);
	if (!strstr(err.msg, "netmask not known"))
		fail_msg("message: %s", err.msg);

	/* protochain compiles, but to a loop */
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_bpf_filter_load("ip6 protochain 6", &o, &fd, &err), -EOPNOTSUPP);
	if (!strstr(err.msg, "filter 'ip6 protochain 6': instruction ") ||
	    !strstr(err.msg, "backward jump"))
		fail_msg("message: %s", err.msg);
}

static void test_opts_checked(void **state)
{
	struct {
		struct gn_bpf_filter_opts o;
		uint64_t future;
	} big;
	struct gn_bpf_filter_opts o = { .sz = 1 };
	struct gn_error err = { 0 };
	int fd;

	(void)state;
	assert_int_equal(gn_bpf_filter_load("ip", &o, &fd, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "sz"));

	memset(&big, 0, sizeof(big));
	big.o.sz = sizeof(big);
	big.future = 1;
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_bpf_filter_load("ip", &big.o, &fd, &err), -EINVAL);

	o = (struct gn_bpf_filter_opts){ .sz = sizeof(o), .jump_map_fd = -1, .prog_name = "no spaces" };
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_bpf_filter_load("ip", &o, &fd, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "' '"));
	o.prog_name = "a_name_much_too_long_for_bpf";
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_bpf_filter_load("ip", &o, &fd, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "longer than 15"));
}

/* A map of the wrong type in the jump map: the verifier's words reach err. */
static void test_verifier_refusal_reported(void **state)
{
	LIBBPF_OPTS(gn_bpf_filter_opts, o);
	struct gn_error err = { 0 };
	int map, fd, rc;

	(void)state;
	skip_unless_root();
	map = bpf_map_create(BPF_MAP_TYPE_ARRAY, "gn_notprogs", 4, 4, 4, NULL);
	assert_true(map >= 0);
	o.jump_map_fd = map;
	rc = gn_bpf_filter_load("tcp", &o, &fd, &err);
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(fd, -1);
	print_message("verifier refusal: %s\n", err.msg);
	if (!strstr(err.msg, "filter 'tcp': the verifier refused it") ||
	    !strstr(err.msg, "bpf_tail_call"))
		fail_msg("message: %s", err.msg);
	close(map);
}

/* ---- the basics, and the program's name --------------------------------------------- */

static void test_ip_ip6_arp(void **state)
{
	static const char *const ex[] = {
		"Ether()/IP(dst='10.0.0.1')/UDP()",
		"Ether()/IPv6(dst='2001:db8::1')/UDP()",
		"Ether()/ARP(pdst='10.0.0.1')",
	};
	static const char *const filters[] = { "ip", "ip6", "arp" };
	struct gn_arena *a = gn_arena_new(4096);

	(void)state;
	skip_unless_root();
	assert_non_null(a);
	for (unsigned f = 0; f < 3; f++) {
		int fd = load_ok(filters[f], -1, 0, 0);
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		assert_int_equal(bpf_obj_get_info_by_fd(fd, &info, &len), 0);
		assert_int_equal(info.type, BPF_PROG_TYPE_XDP);
		assert_string_equal(info.name, "gn_filter");
		for (unsigned p = 0; p < 3; p++) {
			struct gn_packet *pk = parse_ok(ex[p]);
			uint8_t *out;
			size_t n;

			assert_int_equal(gn_build(pk, a, &out, &n), 0);
			assert_int_equal(run_xdp(fd, out, (uint32_t)n), p == f ? XDP_PASS : XDP_DROP);
			gn_packet_free(pk);
		}
		close(fd);
	}
	gn_arena_free(a);
}

/* ---- tail calls ------------------------------------------------------------------------ */

#define INSN(c, d, s, o, i) ((struct bpf_insn){ .code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i) })

/* return `action` */
static int load_returning(uint32_t action)
{
	const struct bpf_insn prog[] = {
		INSN(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, (int32_t)action),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, lo);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "gn_ret", "GPL", prog, 2, &lo);

	assert_true(fd >= 0);
	return fd;
}

/* tail call into map[slot], or return `fallback` */
static int load_dispatcher(int map, uint32_t slot, uint32_t fallback)
{
	const struct bpf_insn prog[] = {
		INSN(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0, map),
		INSN(0, 0, 0, 0, 0),
		INSN(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_3, 0, 0, (int32_t)slot),
		INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call),
		INSN(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, (int32_t)fallback),
		INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	LIBBPF_OPTS(bpf_prog_load_opts, lo);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "gn_dispatch", "GPL", prog, 6, &lo);

	if (fd < 0)
		fail_msg("dispatcher: %s", strerror(errno));
	return fd;
}

/* dispatcher --tail call--> filter (slot 0) --tail call--> match (slot 1,
 * XDP_TX) or no match (slot 2, XDP_ABORTED).  With a slot emptied the
 * fallbacks show: the filter's XDP_PASS, the dispatcher's XDP_DROP.  And
 * the kernel wants every program in one PROG_ARRAY alike: a frags filter
 * is refused there, which is what opts.xdp_frags is for. */
static void test_tail_calls(void **state)
{
	struct gn_arena *a = gn_arena_new(4096);
	struct gn_packet *syn =
		parse_ok("Ether()/IP(src='10.0.0.1',dst='10.0.0.2')/TCP(dport=80,flags='S')");
	struct gn_packet *dns = parse_ok("Ether()/IP(src='10.0.0.1',dst='10.0.0.2')/UDP(dport=53)");
	LIBBPF_OPTS(gn_bpf_filter_opts, o, .xdp_frags = true, .prog_name = "gn_frags");
	struct gn_error err = { 0 };
	uint8_t *f1, *f2;
	size_t n1, n2;
	int map, disp, filter, yes, no, frags;
	uint32_t k;

	(void)state;
	skip_unless_root();
	assert_non_null(a);
	assert_int_equal(gn_build(syn, a, &f1, &n1), 0);
	assert_int_equal(gn_build(dns, a, &f2, &n2), 0);
	map = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "gn_jumps", 4, 4, 4, NULL);
	assert_true(map >= 0);
	disp = load_dispatcher(map, 0, XDP_DROP);
	filter = load_ok("tcp[tcpflags] & tcp-syn != 0", map, 1, 2);
	yes = load_returning(XDP_TX);
	no = load_returning(XDP_ABORTED);

	k = 0;
	assert_int_equal(bpf_map_update_elem(map, &k, &filter, BPF_ANY), 0);
	k = 1;
	assert_int_equal(bpf_map_update_elem(map, &k, &yes, BPF_ANY), 0);
	k = 2;
	assert_int_equal(bpf_map_update_elem(map, &k, &no, BPF_ANY), 0);
	assert_int_equal(run_xdp(disp, f1, (uint32_t)n1), XDP_TX);
	assert_int_equal(run_xdp(disp, f2, (uint32_t)n2), XDP_ABORTED);
	/* the filter alone (no tail call into it) behaves the same */
	assert_int_equal(run_xdp(filter, f1, (uint32_t)n1), XDP_TX);

	k = 1;
	assert_int_equal(bpf_map_delete_elem(map, &k), 0);
	assert_int_equal(run_xdp(disp, f1, (uint32_t)n1), XDP_PASS);
	assert_int_equal(run_xdp(disp, f2, (uint32_t)n2), XDP_ABORTED);
	k = 0;
	assert_int_equal(bpf_map_delete_elem(map, &k), 0);
	assert_int_equal(run_xdp(disp, f1, (uint32_t)n1), XDP_DROP);

	/* a frags program cannot join this (non-frags) map */
	o.jump_map_fd = -1;
	assert_int_equal(gn_bpf_filter_load("tcp", &o, &frags, &err), 0);
	k = 3;
	assert_int_not_equal(bpf_map_update_elem(map, &k, &frags, BPF_ANY), 0);
	assert_int_equal(errno, EINVAL);

	close(frags);
	close(yes);
	close(no);
	close(filter);
	close(disp);
	close(map);
	gn_packet_free(syn);
	gn_packet_free(dns);
	gn_arena_free(a);
}

/* ---- size and speed (printed, not asserted) ------------------------------------------------ */

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static const char long_expr[] =
	"(tcp and (port 80 or port 443 or port 8080 or portrange 6000-6063)) or "
	"(udp and (port 53 or port 123 or port 1337)) or (icmp and icmp[icmptype] = icmp-echo) or "
	"(ip6 and tcp dst port 22) or (vlan 10 and host 10.0.0.9) or (net 192.168.0.0/16 and not arp)";

#define BENCH_REPS 500000

/* BPF_PROG_TEST_RUN's average over its repeat loop, in ns. */
static uint32_t xdp_ns(int fd, const uint8_t *frame, size_t len, uint32_t *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = frame, .data_size_in = (uint32_t)len,
		    .repeat = BENCH_REPS);

	assert_int_equal(bpf_prog_test_run_opts(fd, &t), 0);
	*retval = t.retval;
	return t.duration;
}

static double pcap_ns(const struct bpf_program *prog, const uint8_t *frame, size_t len)
{
	volatile unsigned sink = 0;
	double t0 = now_ns();

	for (unsigned r = 0; r < BENCH_REPS; r++)
		sink += oracle(prog, frame, (uint32_t)len);
	(void)sink;
	return (now_ns() - t0) / BENCH_REPS;
}

/* Two frames: a TCP SYN to port 80 (what most filters look for, so they
 * run to the end) and a UDP datagram to port 1337. */
static void test_size_and_speed(void **state)
{
	static const char *const ex[] = { "ip", "tcp port 80", "udp and port 1337",
					  "tcp[tcpflags] & tcp-syn != 0", "vlan 10 and tcp port 80",
					  "len > 100", "ip6 or arp", long_expr };
	static const char *const fr[2] = {
		"Ether()/IP(src='10.0.0.1',dst='10.9.9.9')/TCP(sport=1234,dport=80,flags='S')",
		"Ether()/IP(src='10.0.0.1',dst='192.168.1.1')/UDP(sport=1,dport=1337)/Raw(load='x'*18)",
	};
	struct gn_arena *a = gn_arena_new(4096);
	uint8_t *frame[2];
	size_t flen[2], off = 0;
	char big[4096];
	uint32_t base, rv;
	int fd;

	(void)state;
	skip_unless_root();
	assert_non_null(a);
	for (unsigned f = 0; f < 2; f++) {
		struct gn_packet *pk = parse_ok(fr[f]);

		assert_int_equal(gn_build(pk, a, &frame[f], &flen[f]), 0);
		gn_packet_free(pk);
	}
	fd = load_returning(XDP_PASS);
	base = xdp_ns(fd, frame[0], flen[0], &rv);
	close(fd);
	print_message("ns/frame for a TCP SYN to port 80 / a UDP datagram to 1337; XDP: "
		      "BPF_PROG_TEST_RUN x %u, of which %u ns is the test run's own cost "
		      "(a program that only returns)\n", BENCH_REPS, base);
	for (unsigned p = 1; p <= 150; p++)
		off += (size_t)snprintf(big + off, sizeof(big) - off, "%sport %u", p > 1 ? " or " : "",
					p * 7);
	for (unsigned e = 0; e < sizeof(ex) / sizeof(ex[0]) + 1; e++) {
		const char *expr = e < sizeof(ex) / sizeof(ex[0]) ? ex[e] : big;
		LIBBPF_OPTS(gn_bpf_filter_opts, o, .jump_map_fd = -1);
		struct gn_error err = { 0 };
		struct bpf_program prog;
		struct bpf_insn *out;
		uint32_t x[2];
		double u[2];
		size_t nout;

		fd = load_ok(expr, -1, 0, 0);
		compile_ok(expr, &prog);
		assert_int_equal(gn_bpf_filter_translate(&prog, &o, &out, &nout, &err), 0);
		for (unsigned f = 0; f < 2; f++) {
			x[f] = xdp_ns(fd, frame[f], flen[f], &rv);
			assert_int_equal(rv == XDP_PASS, oracle(&prog, frame[f], (uint32_t)flen[f]));
			u[f] = pcap_ns(&prog, frame[f], flen[f]);
		}
		print_message("  %-28.28s cBPF %4u -> eBPF %4zu insns | XDP %3u / %3u ns "
			      "(%+d / %+d) | pcap_offline_filter %6.1f / %6.1f ns\n",
			      expr, prog.bf_len, nout, x[0], x[1], (int)x[0] - (int)base,
			      (int)x[1] - (int)base, u[0], u[1]);
		free(out);
		pcap_freecode(&prog);
		close(fd);
	}
	gn_arena_free(a);
}

static int teardown_all(void **state)
{
	(void)state;
	frames_free(&all_frames);
	for (size_t i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ancillary_and_malformed_refused),
		cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_opts_checked),
		cmocka_unit_test(test_verifier_refusal_reported),
		cmocka_unit_test(test_ip_ip6_arp),
		cmocka_unit_test(test_tail_calls),
		cmocka_unit_test(test_handmade_programs),
		cmocka_unit_test(test_verdicts_equal_libpcap),
		cmocka_unit_test(test_size_and_speed),
	};

	libbpf_set_print(quiet_print);
	return cmocka_run_group_tests(tests, NULL, teardown_all);
}
