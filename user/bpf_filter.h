/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tcpdump filters in XDP (private to libgannet): libpcap compiles the
 * expression to classic BPF, gn_bpf_filter_translate turns that into an eBPF
 * XDP program, and gn_bpf_filter_load does both and loads the result.
 *
 * One name, two structs: the kernel's <linux/bpf.h> and libpcap's
 * <pcap/bpf.h> both define `struct bpf_insn` (eBPF and classic), so no
 * translation unit can include both as they are.  This header includes both,
 * and whichever came first keeps the name:
 *   - included before libpcap (the usual order): struct bpf_insn is the
 *     kernel's eBPF instruction, libpcap's classic one is struct gn_cbpf_insn
 *     (struct bpf_program.bf_insns points to it); a later #include
 *     <pcap/pcap.h> is then a no-op;
 *   - included after <pcap/pcap.h>: struct bpf_insn stays libpcap's and the
 *     kernel's is struct gn_ebpf_insn (then <bpf/bpf.h>'s prototypes, too,
 *     see libpcap's struct: include this header first where libbpf's
 *     instruction-taking calls are used).
 * gn_ebpf_insn_t and gn_cbpf_insn_t name the two the same way in both cases.
 * The layouts are the real ones; only the tag differs between translation
 * units, which the linker never sees.
 */
#ifndef GN_BPF_FILTER_H
#define GN_BPF_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(lib_pcap_bpf_h)
#define bpf_insn gn_ebpf_insn
#include <linux/bpf.h>
#undef bpf_insn
typedef struct gn_ebpf_insn gn_ebpf_insn_t;
typedef struct bpf_insn gn_cbpf_insn_t;
#else
#include <linux/bpf.h>
#define bpf_insn gn_cbpf_insn
#include <pcap/pcap.h>
#undef bpf_insn
typedef struct bpf_insn gn_ebpf_insn_t;
typedef struct gn_cbpf_insn gn_cbpf_insn_t;
#endif

#include <gannet/core.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_bpf_filter_opts {
	size_t sz;             /* sizeof(struct gn_bpf_filter_opts) (libbpf opts pattern) */
	int linktype;          /* DLT_* the frames have; 0 = DLT_EN10MB (XDP sees Ethernet) */
	unsigned snaplen;      /* 0 = 262144 */
	int jump_map_fd;       /* a BPF_MAP_TYPE_PROG_ARRAY, or -1 (see below); opts == NULL: -1 */
	uint32_t match_slot;   /* with jump_map_fd: tail call to this slot on a match */
	uint32_t nomatch_slot; /* ... and to this one otherwise */
	const char *prog_name; /* name of the loaded program; NULL = "gn_filter" */
	/* Added: */
	uint32_t netmask;      /* for 'ip broadcast': host byte order, as pcap_lookupnet
				* gives it (0xffffff00 for a /24); 0 = unknown */
	bool xdp_frags;        /* load with BPF_F_XDP_HAS_FRAGS, so that the program may share a
				* PROG_ARRAY with "xdp.frags" programs (the kernel wants them all
				* alike); loads reach the first buffer only, LEN counts them all */
};

/* Translate a classic BPF program (as pcap_compile gives it) into eBPF for XDP.
 * With jump_map_fd >= 0 the program ends in bpf_tail_call(ctx, jump_map, match_slot or
 * nomatch_slot), and returns XDP_PASS if that tail call fails (empty slot); with
 * jump_map_fd < 0 it returns XDP_PASS on a match and XDP_DROP otherwise.
 * *insns is malloc'ed (caller frees). Unsupported instructions (e.g. Linux ancillary
 * loads SKF_AD_*, the backward jumps of 'protochain') give -EOPNOTSUPP with err saying
 * which and where; a malformed program gives -EINVAL. */
int gn_bpf_filter_translate(const struct bpf_program *cbpf, const struct gn_bpf_filter_opts *opts,
			    gn_ebpf_insn_t **insns, size_t *ninsns, struct gn_error *err);

/* Compile a tcpdump-syntax expression with libpcap (pcap_open_dead(linktype, snaplen) +
 * pcap_compile, optimised), translate it, load it as BPF_PROG_TYPE_XDP (libbpf's
 * bpf_prog_load) and return its fd in *prog_fd. A filter that does not compile gives
 * -EINVAL with libpcap's message ("filter 'udp prot 1': syntax error"); a verifier refusal
 * gives the errno with the verifier's own words (the lines that say why) in err. */
int gn_bpf_filter_load(const char *expr, const struct gn_bpf_filter_opts *opts, int *prog_fd,
		       struct gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
