/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * gannet core types: errors, arenas, string buffers, values.
 * Everything else in libgannet is built from these.
 */
#ifndef GANNET_CORE_H
#define GANNET_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- errors ---------------------------------------------------------- */

#define GN_ERRMSG_MAX 256

/* A user-facing error: negative errno plus one line of text and, for the
 * expression language, the 1-based column where the mistake is. */
struct gn_error {
	int code;
	int column;
	char msg[GN_ERRMSG_MAX];
};

const char *gn_strerror(int err);
/* Records the first error only; returns code so callers can `return gn_error_set(...)`.
 * e may be NULL. */
int gn_error_set(struct gn_error *e, int code, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* ---- arena ----------------------------------------------------------- */

/* Per-packet memory: many small allocations, released all at once. */
struct gn_arena;

struct gn_arena *gn_arena_new(size_t chunk_size);
void gn_arena_free(struct gn_arena *a);
void gn_arena_reset(struct gn_arena *a);
/* Zeroed, 16-byte aligned; NULL when out of memory. */
void *gn_arena_alloc(struct gn_arena *a, size_t size);
void *gn_arena_memdup(struct gn_arena *a, const void *p, size_t size);
char *gn_arena_strdup(struct gn_arena *a, const char *s);

/* ---- growable string buffer ----------------------------------------- */

struct gn_strbuf {
	char *s;     /* always NUL-terminated once anything was written */
	size_t len;
	size_t cap;
	int err;     /* sticky -ENOMEM */
};

void gn_sb_init(struct gn_strbuf *sb);
void gn_sb_free(struct gn_strbuf *sb);
void gn_sb_reset(struct gn_strbuf *sb);
void gn_sb_putc(struct gn_strbuf *sb, char c);
void gn_sb_puts(struct gn_strbuf *sb, const char *s);
void gn_sb_putn(struct gn_strbuf *sb, const char *s, size_t n);
void gn_sb_printf(struct gn_strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void gn_sb_vprintf(struct gn_strbuf *sb, const char *fmt, va_list ap);
/* Appends s as a JSON string literal (quotes included). */
void gn_sb_json_str(struct gn_strbuf *sb, const char *s, size_t n);
/* Appends bytes as lowercase hex. */
void gn_sb_hex(struct gn_strbuf *sb, const uint8_t *p, size_t n);
/* Appends bytes as a Python bytes literal b'...' as Scapy's repr prints it. */
void gn_sb_pybytes(struct gn_strbuf *sb, const uint8_t *p, size_t n);

/* ---- values ----------------------------------------------------------- */

struct gn_packet;

enum gn_vtype {
	GN_V_NONE = 0, /* None: to be computed at build time */
	GN_V_INT,      /* u */
	GN_V_ADDR,     /* addr[alen]: MAC (6), IPv4 (4), IPv6 (16), network order */
	GN_V_BYTES,    /* bytes[len]; also strings and names */
	GN_V_LIST,     /* items[len]: the value of a list field (options, records) */
	GN_V_TUPLE,    /* items[len]: one option as a tuple, ('MSS', 1460) */
	GN_V_PKT,      /* pkt: a nested packet (DNSQR, IPOption_RR) */
	GN_V_NAME,     /* bytes[len]: a bare name from the expression (an option name) */
	/* generators: only in templates, replaced by concrete values on expansion */
	GN_V_SET,      /* items[len]: one packet per item (items may be RANGE/NET) */
	GN_V_RANGE,    /* items[0]..items[1], inclusive */
	GN_V_NET,      /* addr[alen]/prefix: every address of the network */
	GN_V_RAND,     /* u: enum gn_rand_kind, fresh for each generated packet */
};

enum gn_rand_kind {
	GN_RAND_BYTE = 1,
	GN_RAND_SHORT,
	GN_RAND_INT,
	GN_RAND_LONG,
	GN_RAND_IP,
	GN_RAND_IP6,
	GN_RAND_MAC,
	GN_RAND_FIELD, /* fuzz(): a random value fitting the field's width */
};

struct gn_value {
	uint8_t type;   /* enum gn_vtype */
	uint8_t alen;   /* ADDR, NET */
	uint16_t prefix;/* NET */
	uint32_t len;   /* BYTES, NAME: byte count; LIST, TUPLE, SET: item count */
	union {
		uint64_t u;
		uint8_t addr[16];
		uint8_t *bytes;
		struct gn_value *items;
		struct gn_packet *pkt;
	};
};

static inline struct gn_value gn_v_int(uint64_t u)
{
	struct gn_value v = { .type = GN_V_INT };
	v.u = u;
	return v;
}

/* Deep copy of v into arena a (bytes, items and nested packets included). */
int gn_value_copy(struct gn_arena *a, struct gn_value *dst, const struct gn_value *src);
bool gn_value_is_generator(const struct gn_value *v);

#ifdef __cplusplus
}
#endif
#endif
