// SPDX-License-Identifier: LGPL-2.1-or-later
/* Errors, arenas, string buffers and value copies: the bottom of libgannet. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gannet/core.h>
#include <gannet/packet.h>

/* ---- errors ---------------------------------------------------------- */

const char *gn_strerror(int err)
{
	if (err < 0)
		err = -err;
	return strerror(err);
}

int gn_error_set(struct gn_error *e, int code, int column, const char *fmt, ...)
{
	va_list ap;

	if (!e || e->code)
		return code;
	e->code = code;
	e->column = column;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

/* ---- arena ----------------------------------------------------------- */

struct gn_arena_chunk {
	struct gn_arena_chunk *next;
	size_t size;
	size_t used;
	bool mapped;  /* a HUGE_CHUNK mapping of its own, not malloc's */
	bool zeroed;  /* data[used..size) is known to be zero */
	_Alignas(16) unsigned char data[];
};

struct gn_arena {
	struct gn_arena_chunk *head;   /* chunk being filled */
	struct gn_arena_chunk *spare;  /* chunks kept by reset for reuse */
	size_t chunk_size;
};

/* Chunks double up to HUGE_CHUNK, and those are mapped on their own, on a
 * huge page where the kernel has one: an arena that holds the results of a
 * run (65,535 sr answers take some 60 MB) then costs a page fault per
 * 2 MiB instead of per 4 KiB, and its memory comes zeroed, so allocations
 * from it need no memset (the faults and clearing were a fifth of sr's
 * time while answers poured in). */
#define HUGE_CHUNK ((size_t)2 << 20)

struct gn_arena *gn_arena_new(size_t chunk_size)
{
	struct gn_arena *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->chunk_size = chunk_size ? chunk_size : 4096;
	return a;
}

static void chunk_release(struct gn_arena_chunk *c)
{
	if (c->mapped)
		munmap(c, HUGE_CHUNK);
	else
		free(c);
}

static void chunks_free(struct gn_arena_chunk *c)
{
	while (c) {
		struct gn_arena_chunk *next = c->next;
		chunk_release(c);
		c = next;
	}
}

void gn_arena_free(struct gn_arena *a)
{
	if (!a)
		return;
	chunks_free(a->head);
	chunks_free(a->spare);
	free(a);
}

/* Keeps the chunks, so a receive loop that resets per packet stops calling
 * malloc once the arena has grown to its working size. */
void gn_arena_reset(struct gn_arena *a)
{
	struct gn_arena_chunk *c = a->head;

	while (c) {
		struct gn_arena_chunk *next = c->next;
		c->used = 0;
		c->zeroed = false;
		c->next = a->spare;
		a->spare = c;
		c = next;
	}
	a->head = NULL;
}

/* A HUGE_CHUNK-aligned mapping (the kernel backs only aligned ranges with
 * huge pages): twice the size is reserved and the ends cut off. */
static struct gn_arena_chunk *chunk_map(void)
{
	size_t span = 2 * HUGE_CHUNK, lead;
	unsigned char *m = mmap(NULL, span, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct gn_arena_chunk *c;

	if (m == MAP_FAILED)
		return NULL;
	lead = (HUGE_CHUNK - (uintptr_t)m % HUGE_CHUNK) % HUGE_CHUNK;
	if (lead)
		munmap(m, lead);
	munmap(m + lead + HUGE_CHUNK, span - lead - HUGE_CHUNK);
	c = (struct gn_arena_chunk *)(m + lead);
	/* advice only: without huge pages the chunk still works */
	madvise(c, HUGE_CHUNK, MADV_HUGEPAGE);
	c->size = HUGE_CHUNK - sizeof(*c);
	c->mapped = true;
	return c;
}

static struct gn_arena_chunk *chunk_new(struct gn_arena *a, size_t need)
{
	size_t sz = need > a->chunk_size ? need : a->chunk_size;
	struct gn_arena_chunk *c;

	if (a->chunk_size < HUGE_CHUNK)
		a->chunk_size *= 2;
	if (sz == HUGE_CHUNK && need <= HUGE_CHUNK - sizeof(*c) && (c = chunk_map()))
		return c;
	c = malloc(sizeof(*c) + sz);
	if (!c)
		return NULL;
	c->size = sz;
	c->mapped = false;
	return c;
}

void *gn_arena_alloc(struct gn_arena *a, size_t size)
{
	struct gn_arena_chunk *c = a->head;
	size_t need = (size + 15) & ~(size_t)15;
	void *p;

	if (need < size)
		return NULL;
	if (!c || c->size - c->used < need) {
		struct gn_arena_chunk **pp = &a->spare;

		c = NULL;
		while (*pp) {
			if ((*pp)->size >= need) {
				c = *pp;
				*pp = c->next;
				break;
			}
			pp = &(*pp)->next;
		}
		if (!c) {
			c = chunk_new(a, need);
			if (!c)
				return NULL;
			c->zeroed = c->mapped;
		}
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->used;
	c->used += need;
	if (!c->zeroed)
		memset(p, 0, size);
	return p;
}

void *gn_arena_memdup(struct gn_arena *a, const void *p, size_t size)
{
	void *q = gn_arena_alloc(a, size ? size : 1);

	if (q && size)
		memcpy(q, p, size);
	return q;
}

char *gn_arena_strdup(struct gn_arena *a, const char *s)
{
	return gn_arena_memdup(a, s, strlen(s) + 1);
}

/* ---- string buffer ---------------------------------------------------- */

void gn_sb_init(struct gn_strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void gn_sb_free(struct gn_strbuf *sb)
{
	free(sb->s);
	gn_sb_init(sb);
}

void gn_sb_reset(struct gn_strbuf *sb)
{
	sb->len = 0;
	if (sb->s)
		sb->s[0] = 0;
}

static bool sb_grow(struct gn_strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;
	char *s;

	if (sb->err)
		return false;
	if (want <= sb->cap)
		return true;
	if (want < 2 * sb->cap)
		want = 2 * sb->cap;
	if (want < 256)
		want = 256;
	s = realloc(sb->s, want);
	if (!s) {
		sb->err = -ENOMEM;
		return false;
	}
	sb->s = s;
	sb->cap = want;
	return true;
}

void gn_sb_putn(struct gn_strbuf *sb, const char *s, size_t n)
{
	if (!sb_grow(sb, n))
		return;
	memcpy(sb->s + sb->len, s, n);
	sb->len += n;
	sb->s[sb->len] = 0;
}

void gn_sb_putc(struct gn_strbuf *sb, char c)
{
	gn_sb_putn(sb, &c, 1);
}

void gn_sb_puts(struct gn_strbuf *sb, const char *s)
{
	gn_sb_putn(sb, s, strlen(s));
}

void gn_sb_vprintf(struct gn_strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !sb_grow(sb, (size_t)n))
		return;
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void gn_sb_printf(struct gn_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gn_sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void gn_sb_json_str(struct gn_strbuf *sb, const char *s, size_t n)
{
	gn_sb_putc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			gn_sb_putc(sb, '\\');
			gn_sb_putc(sb, (char)c);
		} else if (c < 0x20 || c >= 0x7f) {
			/* bytes that are not printable ASCII: JSON has no byte
			 * escape, so map each to the code point of the same value */
			gn_sb_printf(sb, "\\u%04x", c);
		} else {
			gn_sb_putc(sb, (char)c);
		}
	}
	gn_sb_putc(sb, '"');
}

void gn_sb_hex(struct gn_strbuf *sb, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	if (!sb_grow(sb, 2 * n))
		return;
	for (size_t i = 0; i < n; i++) {
		sb->s[sb->len++] = digits[p[i] >> 4];
		sb->s[sb->len++] = digits[p[i] & 15];
	}
	sb->s[sb->len] = 0;
}

/* Python's repr() of bytes: prefer single quotes unless the data has a
 * single quote and no double quote. */
void gn_sb_pybytes(struct gn_strbuf *sb, const uint8_t *p, size_t n)
{
	char q = '\'';

	if (n && memchr(p, '\'', n) && !memchr(p, '"', n))
		q = '"';
	gn_sb_putc(sb, 'b');
	gn_sb_putc(sb, q);
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (c == (uint8_t)q || c == '\\') {
			gn_sb_putc(sb, '\\');
			gn_sb_putc(sb, (char)c);
		} else if (c == '\t') {
			gn_sb_puts(sb, "\\t");
		} else if (c == '\n') {
			gn_sb_puts(sb, "\\n");
		} else if (c == '\r') {
			gn_sb_puts(sb, "\\r");
		} else if (c < 0x20 || c >= 0x7f) {
			gn_sb_printf(sb, "\\x%02x", c);
		} else {
			gn_sb_putc(sb, (char)c);
		}
	}
	gn_sb_putc(sb, q);
}

/* ---- values ------------------------------------------------------------ */

bool gn_value_is_generator(const struct gn_value *v)
{
	return v->type >= GN_V_SET;
}

int gn_value_copy(struct gn_arena *a, struct gn_value *dst, const struct gn_value *src)
{
	*dst = *src;
	switch (src->type) {
	case GN_V_BYTES:
	case GN_V_NAME:
		dst->bytes = gn_arena_memdup(a, src->bytes, src->len);
		return dst->bytes ? 0 : -ENOMEM;
	case GN_V_LIST:
	case GN_V_TUPLE:
	case GN_V_SET:
	case GN_V_RANGE:
		dst->items = gn_arena_alloc(a, (src->len ? src->len : 1) * sizeof(*dst->items));
		if (!dst->items)
			return -ENOMEM;
		for (uint32_t i = 0; i < src->len; i++) {
			int err = gn_value_copy(a, &dst->items[i], &src->items[i]);

			if (err)
				return err;
		}
		return 0;
	case GN_V_PKT:
		dst->pkt = gn_packet_copy_in(a, src->pkt);
		return dst->pkt ? 0 : -ENOMEM;
	default:
		return 0;
	}
}
