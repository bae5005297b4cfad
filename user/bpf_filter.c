// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * tcpdump filters in XDP: libpcap compiles the expression to classic BPF
 * (cBPF) and this file translates that, instruction by instruction, into an
 * eBPF program of type XDP whose verdicts are libpcap's own.
 *
 * Semantics are those of libpcap's interpreter (bpf_filter.c): A and X are
 * 32 bits, M[0..15] is scratch memory, packet loads are big-endian and a
 * load past the end of the packet rejects it, as does a division by zero;
 * a shift by X of 32 or more gives 0; RET with a non-zero value is a match.
 *
 * Packet bytes are read directly (ctx->data / ctx->data_end) with explicit
 * bounds checks: no helper call on the path of a load.  A forward data-flow
 * pass over the cBPF program computes, for each instruction, how many bytes
 * every path to it has already checked, and a load inside that is emitted
 * without a check (the verifier proves the same thing path by path).
 * Registers:
 *   R6 ctx (kept for the tail call)   R7 data   R8 data_end
 *   R9 packet length (LEN)            R4 A      R5 X
 *   R1 scratch                        M[k] at R10 - 64 + 4k
 * Code size is linear: at most GN_XLAT_MAX_PER insns per cBPF insn, plus a
 * fixed prologue and the two verdict blocks.
 */
#include "bpf_filter.h" /* first: it settles which struct is bpf_insn here */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/filter.h>

#define GN_RA BPF_REG_4
#define GN_RX BPF_REG_5
#define GN_RCTX BPF_REG_6
#define GN_RDATA BPF_REG_7
#define GN_REND BPF_REG_8
#define GN_RLEN BPF_REG_9

#define GN_MEM_BASE (-64)          /* M[k] at R10 + GN_MEM_BASE + 4k */
#define GN_MAX_PKT_OFF 0xffff      /* the verifier's MAX_PACKET_OFF; no XDP buffer is longer */
#define GN_XLAT_MAX_PER 9          /* eBPF insns one cBPF insn can become, at most */
#define GN_PROLOGUE_MAX (8 + BPF_MEMWORDS) /* ctx, length, data, A, X, M[] */
#define GN_EPILOGUE_MAX 7           /* insns of one verdict block */
#define GN_DEFAULT_SNAPLEN 262144
#define GN_LOG_SIZE (1u << 20)
#define GN_MAX_EBPF_INSNS 1000000u /* the verifier's BPF_COMPLEXITY_LIMIT_INSNS */

/* What the analysis knows of an instruction: some path reaches it; every
 * path to it has set A, X. */
#define GN_R_REACHED 1
#define GN_R_A_SET 2
#define GN_R_X_SET 4

/* Jump targets besides cBPF instruction indices. */
enum { GN_T_MATCH = -1, GN_T_NOMATCH = -2 };

struct gn_fixup {
	size_t at;   /* the jump instruction */
	long target; /* cBPF index, or GN_T_* */
};

struct gn_xlat {
	const gn_cbpf_insn_t *in;
	unsigned nin;
	const struct gn_bpf_filter_opts *o;
	uint8_t *reach;    /* GN_R_* of instruction i */
	uint32_t *known;   /* bytes every path to i has bounds-checked */
	size_t *start;     /* where instruction i begins in out */
	struct bpf_insn *out;
	size_t n, cap;
	struct gn_fixup *fix;
	size_t nfix, capfix;
	bool use_match, use_nomatch, use_len, use_pkt;
	bool init_a, init_x; /* read where some path has not set them */
	uint16_t mem_read; /* M[k] read somewhere: zeroed by the prologue */
};

static struct bpf_insn gn_insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i;

	memset(&i, 0, sizeof(i));
	i.code = code;
	i.dst_reg = dst & 0xf;
	i.src_reg = src & 0xf;
	i.off = off;
	i.imm = imm;
	return i;
}

/* The space is reserved up front (see GN_XLAT_MAX_PER), so this never fails. */
static size_t gn_emit(struct gn_xlat *x, struct bpf_insn i)
{
	x->out[x->n] = i;
	return x->n++;
}

static void gn_emit_jmp(struct gn_xlat *x, uint8_t code, uint8_t dst, uint8_t src, int32_t imm,
			long target)
{
	size_t at = gn_emit(x, gn_insn(code, dst, src, 0, imm));

	if (target == GN_T_MATCH)
		x->use_match = true;
	else if (target == GN_T_NOMATCH)
		x->use_nomatch = true;
	x->fix[x->nfix].at = at;
	x->fix[x->nfix].target = target;
	x->nfix++;
}

static void gn_emit_ja(struct gn_xlat *x, long target)
{
	gn_emit_jmp(x, BPF_JMP | BPF_JA, 0, 0, 0, target);
}

static unsigned gn_ld_size(uint16_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_W:
		return 4;
	case BPF_H:
		return 2;
	default:
		return 1;
	}
}

static uint8_t gn_ebpf_size(unsigned size)
{
	return size == 4 ? BPF_W : size == 2 ? BPF_H : BPF_B;
}

/* ---- checking the classic program -------------------------------------- */

static const char *gn_skf_ad_name(uint32_t k)
{
	static const char *const names[] = {
		"SKF_AD_PROTOCOL", "SKF_AD_PKTTYPE", "SKF_AD_IFINDEX", "SKF_AD_NLATTR",
		"SKF_AD_NLATTR_NEST", "SKF_AD_MARK", "SKF_AD_QUEUE", "SKF_AD_HATYPE",
		"SKF_AD_RXHASH", "SKF_AD_CPU", "SKF_AD_ALU_XOR_X", "SKF_AD_VLAN_TAG",
		"SKF_AD_VLAN_TAG_PRESENT", "SKF_AD_PAY_OFFSET", "SKF_AD_RANDOM", "SKF_AD_VLAN_TPID",
	};
	uint32_t off = k - (uint32_t)SKF_AD_OFF;

	if (off % 4 == 0 && off / 4 < sizeof(names) / sizeof(names[0]))
		return names[off / 4];
	return "SKF_AD_?";
}

/* Linux gives negative offsets of packet loads special meanings (ancillary
 * data, offsets from the network or link-layer header) that only exist on a
 * socket: refuse them rather than silently reject every packet. */
static int gn_check_load_k(uint32_t k, unsigned i, struct gn_error *err)
{
	if (k >= (uint32_t)SKF_AD_OFF)
		return gn_error_set(err, -EOPNOTSUPP, 0,
				    "instruction %u: Linux ancillary load %s (k=SKF_AD_OFF+%u) has no XDP equivalent",
				    i, gn_skf_ad_name(k), k - (uint32_t)SKF_AD_OFF);
	if (k >= (uint32_t)SKF_NET_OFF)
		return gn_error_set(err, -EOPNOTSUPP, 0,
				    "instruction %u: Linux network-header load (k=SKF_NET_OFF+%u) has no XDP equivalent",
				    i, k - (uint32_t)SKF_NET_OFF);
	if (k >= (uint32_t)SKF_LL_OFF)
		return gn_error_set(err, -EOPNOTSUPP, 0,
				    "instruction %u: Linux link-layer load (k=SKF_LL_OFF+%u) has no XDP equivalent",
				    i, k - (uint32_t)SKF_LL_OFF);
	return 0;
}

/* Every instruction known, every jump forward and inside the program, the
 * last one a return: then every path ends in a RET. */
static int gn_check(const gn_cbpf_insn_t *in, unsigned n, struct gn_error *err)
{
	if (n == 0)
		return gn_error_set(err, -EINVAL, 0, "empty classic BPF program");
	for (unsigned i = 0; i < n; i++) {
		const gn_cbpf_insn_t *c = &in[i];
		uint32_t k = c->k;
		int rc;

		switch (c->code) {
		case BPF_RET | BPF_K:
		case BPF_RET | BPF_A:
		case BPF_LD | BPF_W | BPF_LEN:
		case BPF_LDX | BPF_W | BPF_LEN:
		case BPF_LD | BPF_IMM:
		case BPF_LDX | BPF_IMM:
		case BPF_ALU | BPF_NEG:
		case BPF_MISC | BPF_TAX:
		case BPF_MISC | BPF_TXA:
			break;
		case BPF_LD | BPF_W | BPF_ABS:
		case BPF_LD | BPF_H | BPF_ABS:
		case BPF_LD | BPF_B | BPF_ABS:
		case BPF_LD | BPF_W | BPF_IND:
		case BPF_LD | BPF_H | BPF_IND:
		case BPF_LD | BPF_B | BPF_IND:
		case BPF_LDX | BPF_MSH | BPF_B:
			rc = gn_check_load_k(k, i, err);
			if (rc)
				return rc;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (k >= BPF_MEMWORDS)
				return gn_error_set(err, -EINVAL, 0,
						    "instruction %u: scratch memory M[%u] does not exist (M[0..%d])",
						    i, k, BPF_MEMWORDS - 1);
			break;
		case BPF_JMP | BPF_JA:
			if ((int32_t)k < 0)
				return gn_error_set(err, -EOPNOTSUPP, 0,
						    "instruction %u: backward jump (%d), as 'protochain' makes, is not supported",
						    i, (int32_t)k);
			if (k >= n - i - 1)
				return gn_error_set(err, -EINVAL, 0,
						    "instruction %u: jump past the end of the program", i);
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
		case BPF_JMP | BPF_JEQ | BPF_X:
		case BPF_JMP | BPF_JGT | BPF_X:
		case BPF_JMP | BPF_JGE | BPF_X:
		case BPF_JMP | BPF_JSET | BPF_X:
			if (c->jt >= n - i - 1 || c->jf >= n - i - 1)
				return gn_error_set(err, -EINVAL, 0,
						    "instruction %u: jump past the end of the program", i);
			break;
		case BPF_ALU | BPF_DIV | BPF_K:
		case BPF_ALU | BPF_MOD | BPF_K:
			/* libpcap 1.10's interpreter divides (SIGFPE); refused
			 * by its validator and the kernel's, as below */
			if (k == 0)
				return gn_error_set(err, -EINVAL, 0,
						    "instruction %u: division by the constant 0", i);
			break;
		case BPF_ALU | BPF_LSH | BPF_K:
		case BPF_ALU | BPF_RSH | BPF_K:
			/* What libpcap's interpreter does with these depends on
			 * its version (1.10 shifts in C, by k mod 32 on x86;
			 * later ones give 0); its validator and the kernel's
			 * refuse them, and its compiler never makes them. */
			if (k >= 32)
				return gn_error_set(err, -EINVAL, 0,
						    "instruction %u: shift by %u (more than 31 bits)", i, k);
			break;
		default:
			if (BPF_CLASS(c->code) == BPF_ALU && BPF_OP(c->code) <= BPF_XOR &&
			    BPF_OP(c->code) != BPF_NEG)
				break;
			return gn_error_set(err, -EINVAL, 0,
					    "instruction %u: unknown or unsupported opcode 0x%02x", i,
					    c->code);
		}
	}
	if (BPF_CLASS(in[n - 1].code) != BPF_RET)
		return gn_error_set(err, -EINVAL, 0,
				    "the program does not end in a return (instruction %u)", n - 1);
	return 0;
}

/* ---- analysis ------------------------------------------------------------ */

static bool gn_is_pkt_load(uint16_t code)
{
	return (BPF_CLASS(code) == BPF_LD &&
		(BPF_MODE(code) == BPF_ABS || BPF_MODE(code) == BPF_IND)) ||
	       code == (BPF_LDX | BPF_MSH | BPF_B);
}

/* The end of the bytes a constant-offset load reads, or 0 for other insns. */
static uint64_t gn_abs_end(const gn_cbpf_insn_t *c)
{
	if (c->code == (BPF_LDX | BPF_MSH | BPF_B))
		return (uint64_t)c->k + 1;
	if (BPF_CLASS(c->code) == BPF_LD && BPF_MODE(c->code) == BPF_ABS)
		return (uint64_t)c->k + gn_ld_size(c->code);
	return 0;
}

/* Instructions that reject every packet whatever it holds. */
static bool gn_always_rejects(const gn_cbpf_insn_t *c)
{
	uint64_t end = gn_abs_end(c);

	if (end > GN_MAX_PKT_OFF)
		return true;
	if (BPF_CLASS(c->code) == BPF_LD && BPF_MODE(c->code) == BPF_IND &&
	    (uint64_t)c->k + gn_ld_size(c->code) > GN_MAX_PKT_OFF)
		return true;
	return false;
}

static void gn_flow(struct gn_xlat *x, unsigned to, uint32_t known, uint8_t set)
{
	if (!x->reach[to]) {
		x->reach[to] = GN_R_REACHED | set;
		x->known[to] = known;
		return;
	}
	x->reach[to] &= (uint8_t)(GN_R_REACHED | set);
	if (known < x->known[to])
		x->known[to] = known;
}

static bool gn_reads_a(uint16_t code)
{
	switch (BPF_CLASS(code)) {
	case BPF_RET:
		return BPF_RVAL(code) == BPF_A;
	case BPF_ST:
	case BPF_ALU:
	case BPF_JMP:
		return code != (BPF_JMP | BPF_JA);
	case BPF_MISC:
		return BPF_MISCOP(code) == BPF_TAX;
	default:
		return false;
	}
}

static bool gn_reads_x(uint16_t code)
{
	switch (BPF_CLASS(code)) {
	case BPF_LD:
		return BPF_MODE(code) == BPF_IND;
	case BPF_ALU:
	case BPF_JMP:
		return BPF_SRC(code) == BPF_X && code != (BPF_ALU | BPF_NEG) &&
		       code != (BPF_JMP | BPF_JA);
	case BPF_STX:
		return true;
	case BPF_MISC:
		return BPF_MISCOP(code) == BPF_TXA;
	default:
		return false;
	}
}

/* Forward data flow in index order (every jump goes forward, so each
 * instruction is final when reached): reachability, whether A and X are
 * set, and the bytes that every path has checked, which is the minimum
 * over the incoming edges. */
static void gn_analyse(struct gn_xlat *x)
{
	x->reach[0] = GN_R_REACHED;
	x->known[0] = 0;
	for (unsigned i = 0; i < x->nin; i++) {
		const gn_cbpf_insn_t *c = &x->in[i];
		uint32_t out = x->known[i];
		uint64_t end = gn_abs_end(c);
		uint8_t set = x->reach[i] & (GN_R_A_SET | GN_R_X_SET);

		if (!x->reach[i])
			continue;
		if (gn_is_pkt_load(c->code))
			x->use_pkt = true;
		if (c->code == (BPF_LD | BPF_W | BPF_LEN) || c->code == (BPF_LDX | BPF_W | BPF_LEN))
			x->use_len = true;
		if (c->code == (BPF_LD | BPF_MEM) || c->code == (BPF_LDX | BPF_MEM))
			x->mem_read |= (uint16_t)(1u << c->k);
		if (gn_reads_a(c->code) && !(set & GN_R_A_SET))
			x->init_a = true;
		if (gn_reads_x(c->code) && !(set & GN_R_X_SET))
			x->init_x = true;
		if (BPF_CLASS(c->code) == BPF_RET || gn_always_rejects(c))
			continue;
		if (end > out)
			out = (uint32_t)end;
		if (BPF_CLASS(c->code) == BPF_LD || BPF_CLASS(c->code) == BPF_ALU ||
		    c->code == (BPF_MISC | BPF_TXA))
			set |= GN_R_A_SET;
		if (BPF_CLASS(c->code) == BPF_LDX || c->code == (BPF_MISC | BPF_TAX))
			set |= GN_R_X_SET;
		if (BPF_CLASS(c->code) != BPF_JMP) {
			gn_flow(x, i + 1, out, set);
		} else if (BPF_OP(c->code) == BPF_JA) {
			gn_flow(x, i + 1 + c->k, out, set);
		} else {
			gn_flow(x, i + 1 + c->jt, out, set);
			gn_flow(x, i + 1 + c->jf, out, set);
		}
	}
}

/* ---- emission ------------------------------------------------------------- */

static void gn_emit_be(struct gn_xlat *x, uint8_t reg, unsigned size)
{
	if (size > 1)
		gn_emit(x, gn_insn(BPF_ALU | BPF_END | BPF_TO_BE, reg, 0, 0, (int32_t)(size * 8)));
}

/* reg = size bytes at the constant offset k, big-endian. */
static void gn_emit_load_abs(struct gn_xlat *x, unsigned i, uint8_t reg, uint32_t k, unsigned size)
{
	uint32_t end = k + size; /* <= GN_MAX_PKT_OFF: gn_always_rejects() took the others */

	if (end > x->known[i]) {
		gn_emit(x, gn_insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, GN_RDATA, 0, 0));
		gn_emit(x, gn_insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, (int32_t)end));
		gn_emit_jmp(x, BPF_JMP | BPF_JGT | BPF_X, BPF_REG_1, GN_REND, 0, GN_T_NOMATCH);
	}
	if (k <= INT16_MAX) {
		gn_emit(x, gn_insn(BPF_LDX | BPF_MEM | gn_ebpf_size(size), reg, GN_RDATA,
				   (int16_t)k, 0));
	} else {
		gn_emit(x, gn_insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, GN_RDATA, 0, 0));
		gn_emit(x, gn_insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, (int32_t)k));
		gn_emit(x, gn_insn(BPF_LDX | BPF_MEM | gn_ebpf_size(size), reg, BPF_REG_1, 0, 0));
	}
	gn_emit_be(x, reg, size);
}

/* A = size bytes at X + k.  The offset is bounded before it touches the
 * packet pointer (the verifier wants a variable offset it can bound), and
 * the size goes into the pointer's fixed part, so that the comparison with
 * data_end proves the whole access. */
static void gn_emit_load_ind(struct gn_xlat *x, uint32_t k, unsigned size)
{
	gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, GN_RX, 0, 0));
	if (k)
		gn_emit(x, gn_insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, (int32_t)k));
	gn_emit_jmp(x, BPF_JMP | BPF_JGT | BPF_K, BPF_REG_1, 0,
		    (int32_t)(GN_MAX_PKT_OFF - size), GN_T_NOMATCH);
	gn_emit(x, gn_insn(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_1, GN_RDATA, 0, 0));
	gn_emit(x, gn_insn(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, (int32_t)size));
	gn_emit_jmp(x, BPF_JMP | BPF_JGT | BPF_X, BPF_REG_1, GN_REND, 0, GN_T_NOMATCH);
	gn_emit(x, gn_insn(BPF_LDX | BPF_MEM | gn_ebpf_size(size), GN_RA, BPF_REG_1,
			   (int16_t)-(int)size, 0));
	gn_emit_be(x, GN_RA, size);
}

static void gn_emit_alu(struct gn_xlat *x, const gn_cbpf_insn_t *c)
{
	uint8_t op = BPF_OP(c->code);

	if (BPF_SRC(c->code) == BPF_K) {
		gn_emit(x, gn_insn(BPF_ALU | op | BPF_K, GN_RA, 0, 0, (int32_t)c->k));
		return;
	}
	if (op == BPF_DIV || op == BPF_MOD)
		gn_emit_jmp(x, BPF_JMP32 | BPF_JEQ | BPF_K, GN_RX, 0, 0, GN_T_NOMATCH);
	if (op == BPF_LSH || op == BPF_RSH) {
		/* if X > 31: A = 0, else A = A shift X */
		gn_emit(x, gn_insn(BPF_JMP32 | BPF_JGT | BPF_K, GN_RX, 0, 2, 31));
		gn_emit(x, gn_insn(BPF_ALU | op | BPF_X, GN_RA, GN_RX, 0, 0));
		gn_emit(x, gn_insn(BPF_JMP | BPF_JA, 0, 0, 1, 0));
		gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, GN_RA, 0, 0, 0));
		return;
	}
	gn_emit(x, gn_insn(BPF_ALU | op | BPF_X, GN_RA, GN_RX, 0, 0));
}

static uint8_t gn_inverse_op(uint8_t op)
{
	switch (op) {
	case BPF_JEQ:
		return BPF_JNE;
	case BPF_JGT:
		return BPF_JLE;
	default: /* BPF_JGE */
		return BPF_JLT;
	}
}

static void gn_emit_cond(struct gn_xlat *x, unsigned i, const gn_cbpf_insn_t *c)
{
	uint8_t op = BPF_OP(c->code), src = BPF_SRC(c->code);
	uint8_t sreg = src == BPF_X ? GN_RX : 0;
	int32_t imm = src == BPF_K ? (int32_t)c->k : 0;
	long jt = (long)i + 1 + c->jt, jf = (long)i + 1 + c->jf;

	if (jt == jf) {
		if (c->jt)
			gn_emit_ja(x, jt);
		return;
	}
	if (c->jf == 0) {
		gn_emit_jmp(x, BPF_JMP32 | op | src, GN_RA, sreg, imm, jt);
	} else if (c->jt == 0 && op != BPF_JSET) {
		gn_emit_jmp(x, BPF_JMP32 | gn_inverse_op(op) | src, GN_RA, sreg, imm, jf);
	} else if (c->jt == 0) {
		/* no "jump if no bit set": skip over the jump to jf */
		gn_emit(x, gn_insn(BPF_JMP32 | BPF_JSET | src, GN_RA, sreg, 1, imm));
		gn_emit_ja(x, jf);
	} else {
		gn_emit_jmp(x, BPF_JMP32 | op | src, GN_RA, sreg, imm, jt);
		gn_emit_ja(x, jf);
	}
}

static int16_t gn_mem_off(uint32_t k)
{
	return (int16_t)(GN_MEM_BASE + 4 * (int)k);
}

static void gn_emit_one(struct gn_xlat *x, unsigned i)
{
	const gn_cbpf_insn_t *c = &x->in[i];

	if (gn_always_rejects(c)) {
		gn_emit_ja(x, GN_T_NOMATCH);
		return;
	}
	switch (BPF_CLASS(c->code)) {
	case BPF_RET:
		if (BPF_RVAL(c->code) == BPF_K) {
			gn_emit_ja(x, c->k ? GN_T_MATCH : GN_T_NOMATCH);
		} else {
			gn_emit_jmp(x, BPF_JMP32 | BPF_JNE | BPF_K, GN_RA, 0, 0, GN_T_MATCH);
			gn_emit_ja(x, GN_T_NOMATCH);
		}
		return;
	case BPF_LD:
		switch (BPF_MODE(c->code)) {
		case BPF_ABS:
			gn_emit_load_abs(x, i, GN_RA, c->k, gn_ld_size(c->code));
			return;
		case BPF_IND:
			gn_emit_load_ind(x, c->k, gn_ld_size(c->code));
			return;
		case BPF_LEN:
			gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_X, GN_RA, GN_RLEN, 0, 0));
			return;
		case BPF_IMM:
			gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, GN_RA, 0, 0, (int32_t)c->k));
			return;
		default: /* BPF_MEM */
			gn_emit(x, gn_insn(BPF_LDX | BPF_MEM | BPF_W, GN_RA, BPF_REG_10,
					   gn_mem_off(c->k), 0));
			return;
		}
	case BPF_LDX:
		switch (BPF_MODE(c->code)) {
		case BPF_MSH:
			gn_emit_load_abs(x, i, GN_RX, c->k, 1);
			gn_emit(x, gn_insn(BPF_ALU | BPF_AND | BPF_K, GN_RX, 0, 0, 0xf));
			gn_emit(x, gn_insn(BPF_ALU | BPF_LSH | BPF_K, GN_RX, 0, 0, 2));
			return;
		case BPF_LEN:
			gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_X, GN_RX, GN_RLEN, 0, 0));
			return;
		case BPF_IMM:
			gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, GN_RX, 0, 0, (int32_t)c->k));
			return;
		default: /* BPF_MEM */
			gn_emit(x, gn_insn(BPF_LDX | BPF_MEM | BPF_W, GN_RX, BPF_REG_10,
					   gn_mem_off(c->k), 0));
			return;
		}
	case BPF_ST:
	case BPF_STX:
		gn_emit(x, gn_insn(BPF_STX | BPF_MEM | BPF_W, BPF_REG_10,
				   BPF_CLASS(c->code) == BPF_ST ? GN_RA : GN_RX, gn_mem_off(c->k), 0));
		return;
	case BPF_ALU:
		if (BPF_OP(c->code) == BPF_NEG)
			gn_emit(x, gn_insn(BPF_ALU | BPF_NEG, GN_RA, 0, 0, 0));
		else
			gn_emit_alu(x, c);
		return;
	case BPF_JMP:
		if (BPF_OP(c->code) == BPF_JA) {
			if (c->k)
				gn_emit_ja(x, (long)i + 1 + c->k);
		} else {
			gn_emit_cond(x, i, c);
		}
		return;
	default: /* BPF_MISC */
		if (BPF_MISCOP(c->code) == BPF_TAX)
			gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_X, GN_RX, GN_RA, 0, 0));
		else
			gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_X, GN_RA, GN_RX, 0, 0));
		return;
	}
}

/* The context stays in R1 unless a helper call comes after the prologue
 * (the tail call) or in it (the length), which take R1 and clobber it. */
static void gn_emit_prologue(struct gn_xlat *x)
{
	uint8_t ctx = BPF_REG_1;

	if (x->o->jump_map_fd >= 0 || x->use_len) {
		gn_emit(x, gn_insn(BPF_ALU64 | BPF_MOV | BPF_X, GN_RCTX, BPF_REG_1, 0, 0));
		ctx = GN_RCTX;
	}
	if (x->use_len) {
		/* The length of the whole frame, fragments included; unlike
		 * data_end - data it needs no pointer arithmetic privilege. */
		gn_emit(x, gn_insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_xdp_get_buff_len));
		gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_X, GN_RLEN, BPF_REG_0, 0, 0));
	}
	if (x->use_pkt) {
		gn_emit(x, gn_insn(BPF_LDX | BPF_MEM | BPF_W, GN_RDATA, ctx,
				   offsetof(struct xdp_md, data), 0));
		gn_emit(x, gn_insn(BPF_LDX | BPF_MEM | BPF_W, GN_REND, ctx,
				   offsetof(struct xdp_md, data_end), 0));
	}
	/* libpcap starts with A = X = 0 and M[] zeroed: only what may be read
	 * before it is written needs it (the verifier insists). */
	if (x->init_a)
		gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, GN_RA, 0, 0, 0));
	if (x->init_x)
		gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, GN_RX, 0, 0, 0));
	for (unsigned k = 0; k < BPF_MEMWORDS; k++)
		if (x->mem_read & (1u << k))
			gn_emit(x, gn_insn(BPF_ST | BPF_MEM | BPF_W, BPF_REG_10, 0, gn_mem_off(k), 0));
}

/* Returns the position of the block. */
static size_t gn_emit_verdict(struct gn_xlat *x, bool match)
{
	size_t at = x->n;

	if (x->o->jump_map_fd >= 0) {
		gn_emit(x, gn_insn(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, GN_RCTX, 0, 0));
		gn_emit(x, gn_insn(BPF_LD | BPF_DW | BPF_IMM, BPF_REG_2, BPF_PSEUDO_MAP_FD, 0,
				   x->o->jump_map_fd));
		gn_emit(x, gn_insn(0, 0, 0, 0, 0));
		gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_3, 0, 0,
				   (int32_t)(match ? x->o->match_slot : x->o->nomatch_slot)));
		gn_emit(x, gn_insn(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_tail_call));
		/* only reached when the slot is empty */
		gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, XDP_PASS));
	} else {
		gn_emit(x, gn_insn(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0,
				   match ? XDP_PASS : XDP_DROP));
	}
	gn_emit(x, gn_insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
	return at;
}

/* The last instruction emitted is a jump to label (and nothing else jumps
 * to it but through start[], which then points at what replaces it). */
static bool gn_last_is_ja_to(const struct gn_xlat *x, long label)
{
	return x->nfix && x->fix[x->nfix - 1].at == x->n - 1 &&
	       x->fix[x->nfix - 1].target == label && x->out[x->n - 1].code == (BPF_JMP | BPF_JA);
}

static int gn_resolve(struct gn_xlat *x, size_t match_at, size_t nomatch_at, struct gn_error *err)
{
	for (size_t f = 0; f < x->nfix; f++) {
		const struct gn_fixup *fx = &x->fix[f];
		size_t to = fx->target == GN_T_MATCH	   ? match_at
			    : fx->target == GN_T_NOMATCH ? nomatch_at
							   : x->start[fx->target];
		long off = (long)to - (long)fx->at - 1;

		if (off > INT16_MAX)
			return gn_error_set(err, -E2BIG, 0,
					    "filter too large for XDP: a jump over %ld eBPF instructions",
					    off);
		x->out[fx->at].off = (int16_t)off;
	}
	return 0;
}

/* ---- options ---------------------------------------------------------------- */

/* libbpf's opts pattern: a caller built against an older, shorter struct
 * gets the defaults for the fields it does not know; a newer, longer one is
 * fine as long as what we do not know is zero. */
static int gn_opts_get(const struct gn_bpf_filter_opts *in, struct gn_bpf_filter_opts *o,
		       struct gn_error *err)
{
	memset(o, 0, sizeof(*o));
	o->jump_map_fd = -1;
	if (in) {
		size_t n = in->sz < sizeof(*o) ? in->sz : sizeof(*o);

		if (in->sz < sizeof(in->sz))
			return gn_error_set(err, -EINVAL, 0,
					    "gn_bpf_filter_opts.sz is %zu: set it to sizeof(struct gn_bpf_filter_opts)",
					    in->sz);
		for (size_t b = sizeof(*o); b < in->sz; b++)
			if (((const uint8_t *)in)[b])
				return gn_error_set(err, -EINVAL, 0,
						    "gn_bpf_filter_opts: byte %zu is set, but this library knows only %zu",
						    b, sizeof(*o));
		memcpy(o, in, n);
	}
	o->sz = sizeof(*o);
	if (!o->linktype)
		o->linktype = DLT_EN10MB;
	if (!o->snaplen)
		o->snaplen = GN_DEFAULT_SNAPLEN;
	if (!o->prog_name)
		o->prog_name = "gn_filter";
	return 0;
}

/* ---- translation ---------------------------------------------------------------- */

static void gn_xlat_free(struct gn_xlat *x)
{
	free(x->reach);
	free(x->known);
	free(x->start);
	free(x->fix);
	free(x->out);
}

int gn_bpf_filter_translate(const struct bpf_program *cbpf, const struct gn_bpf_filter_opts *opts,
			    gn_ebpf_insn_t **insns, size_t *ninsns, struct gn_error *err)
{
	struct gn_bpf_filter_opts o;
	struct gn_xlat x;
	size_t match_at = 0, nomatch_at = 0;
	bool nomatch_first;
	int rc;

	if (!cbpf || !insns || !ninsns)
		return gn_error_set(err, -EINVAL, 0, "gn_bpf_filter_translate: NULL argument");
	*insns = NULL;
	*ninsns = 0;
	rc = gn_opts_get(opts, &o, err);
	if (rc)
		return rc;
	if (cbpf->bf_len && !cbpf->bf_insns)
		return gn_error_set(err, -EINVAL, 0, "classic BPF program without instructions");
	rc = gn_check(cbpf->bf_insns, cbpf->bf_len, err);
	if (rc)
		return rc;
	if (cbpf->bf_len > GN_MAX_EBPF_INSNS)
		return gn_error_set(err, -E2BIG, 0,
				    "classic BPF program of %u instructions: too long for XDP (%u)",
				    cbpf->bf_len, GN_MAX_EBPF_INSNS);

	memset(&x, 0, sizeof(x));
	x.in = cbpf->bf_insns;
	x.nin = cbpf->bf_len;
	x.o = &o;
	x.cap = (size_t)x.nin * GN_XLAT_MAX_PER + GN_PROLOGUE_MAX + 2 * GN_EPILOGUE_MAX;
	x.capfix = (size_t)x.nin * 2;
	x.reach = calloc(x.nin, sizeof(*x.reach));
	x.known = calloc(x.nin, sizeof(*x.known));
	x.start = calloc(x.nin, sizeof(*x.start));
	x.fix = calloc(x.capfix, sizeof(*x.fix));
	x.out = calloc(x.cap, sizeof(*x.out));
	if (!x.reach || !x.known || !x.start || !x.fix || !x.out) {
		gn_xlat_free(&x);
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	}

	gn_analyse(&x);
	gn_emit_prologue(&x);
	for (unsigned i = 0; i < x.nin; i++) {
		if (!x.reach[i])
			continue; /* the verifier refuses unreachable code */
		x.start[i] = x.n;
		gn_emit_one(&x, i);
	}
	/* The block the last instruction jumps to goes first, in place of
	 * that jump: the program usually ends in "ret #0". */
	nomatch_first = gn_last_is_ja_to(&x, GN_T_NOMATCH);
	for (unsigned b = 0; b < 2; b++) {
		bool match = (b == 0) != nomatch_first;
		long label = match ? GN_T_MATCH : GN_T_NOMATCH;

		if (!(match ? x.use_match : x.use_nomatch))
			continue;
		if (gn_last_is_ja_to(&x, label)) {
			x.n--;
			x.nfix--;
		}
		*(match ? &match_at : &nomatch_at) = gn_emit_verdict(&x, match);
	}
	rc = gn_resolve(&x, match_at, nomatch_at, err);
	if (rc) {
		gn_xlat_free(&x);
		return rc;
	}
	*insns = x.out;
	*ninsns = x.n;
	x.out = NULL;
	gn_xlat_free(&x);
	return 0;
}

/* ---- loading -------------------------------------------------------------------- */

/* The kernel takes [A-Za-z0-9_.], at most BPF_OBJ_NAME_LEN - 1 of them. */
static int gn_check_name(const char *name, struct gn_error *err)
{
	size_t n = strlen(name);

	if (n >= BPF_OBJ_NAME_LEN)
		return gn_error_set(err, -EINVAL, 0,
				    "program name '%s' is longer than %d characters", name,
				    BPF_OBJ_NAME_LEN - 1);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '.')
			return gn_error_set(err, -EINVAL, 0,
					    "program name '%s': character '%c' is not allowed (A-Z a-z 0-9 _ .)",
					    name, name[i]);
	return 0;
}

/* The verifier's reason for a refusal: its log ends with the failing path,
 * the reason last, then statistics ("processed N insns ...").  Copies the
 * last two lines before the statistics, joined by " / ". */
static void gn_verifier_why(char *log, char *why, size_t cap)
{
	char *lines[2] = { NULL, NULL };
	char *save = NULL;

	for (char *l = strtok_r(log, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *stats = strstr(l, "processed ");

		/* some reasons lack their newline and run into the statistics */
		if (stats && strstr(stats, " insns (limit "))
			*stats = 0;
		if (!*l || !strncmp(l, "verification time", 17) || !strncmp(l, "stack depth", 11))
			continue;
		lines[0] = lines[1];
		lines[1] = l;
	}
	if (!lines[1])
		snprintf(why, cap, "no verifier log");
	else if (!lines[0])
		snprintf(why, cap, "%s", lines[1]);
	else
		snprintf(why, cap, "%s / %s", lines[0], lines[1]);
}

static int gn_load(const char *expr, const struct gn_bpf_filter_opts *o,
		   const struct bpf_insn *insns, size_t n, int *prog_fd, struct gn_error *err)
{
	LIBBPF_OPTS(bpf_prog_load_opts, lo, .prog_flags = o->xdp_frags ? BPF_F_XDP_HAS_FRAGS : 0);
	char why[GN_ERRMSG_MAX];
	char *log;
	int fd, e;

	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, o->prog_name, "Dual BSD/GPL", insns, n, &lo);
	if (fd >= 0) {
		*prog_fd = fd;
		return 0;
	}
	e = errno ? errno : EINVAL;
	if (e == EPERM || e == ENOMEM)
		return gn_error_set(err, -e, 0, "filter '%s': loading the XDP program: %s", expr,
				    strerror(e));
	/* Again with a log, only now: the first errno is the one that counts
	 * (a full log buffer would turn it into ENOSPC). */
	log = malloc(GN_LOG_SIZE);
	if (!log)
		return gn_error_set(err, -e, 0, "filter '%s': the verifier refused it: %s", expr,
				    strerror(e));
	log[0] = 0;
	lo.log_buf = log;
	lo.log_size = GN_LOG_SIZE;
	lo.log_level = 1;
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, o->prog_name, "Dual BSD/GPL", insns, n, &lo);
	if (fd >= 0) { /* refused once, accepted now: take it */
		free(log);
		*prog_fd = fd;
		return 0;
	}
	log[GN_LOG_SIZE - 1] = 0;
	gn_verifier_why(log, why, sizeof(why));
	free(log);
	return gn_error_set(err, -e, 0, "filter '%s': the verifier refused it (%s): %s", expr,
			    strerror(e), why);
}

int gn_bpf_filter_load(const char *expr, const struct gn_bpf_filter_opts *opts, int *prog_fd,
		       struct gn_error *err)
{
	struct gn_bpf_filter_opts o;
	struct gn_error terr = { 0 };
	struct bpf_program prog;
	struct bpf_insn *insns = NULL;
	size_t n = 0;
	pcap_t *dead;
	int rc;

	if (!prog_fd)
		return gn_error_set(err, -EINVAL, 0, "gn_bpf_filter_load: NULL prog_fd");
	*prog_fd = -1;
	if (!expr)
		expr = "";
	rc = gn_opts_get(opts, &o, err);
	if (rc)
		return rc;
	rc = gn_check_name(o.prog_name, err);
	if (rc)
		return rc;
	dead = pcap_open_dead(o.linktype, (int)o.snaplen);
	if (!dead)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	if (pcap_compile(dead, &prog, expr, 1, o.netmask ? o.netmask : PCAP_NETMASK_UNKNOWN) < 0) {
		rc = gn_error_set(err, -EINVAL, 0, "filter '%s': %s", expr, pcap_geterr(dead));
		pcap_close(dead);
		return rc;
	}
	pcap_close(dead);
	rc = gn_bpf_filter_translate(&prog, &o, &insns, &n, &terr);
	pcap_freecode(&prog);
	if (rc)
		return gn_error_set(err, rc, 0, "filter '%s': %s", expr, terr.msg);
	rc = gn_load(expr, &o, insns, n, prog_fd, err);
	free(insns);
	return rc;
}
