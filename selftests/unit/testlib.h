/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the unit tests share: hex in and out, parsing, building and
 * comparing with Scapy's bytes, summaries and field texts, and running every
 * reader over a packet.  Each selftests/unit/test_X.c is a program of its
 * own, so this is header-only; the functions are static inline so that a
 * test using a few of them still builds warning-free.
 */
#ifndef GN_SELFTESTS_TESTLIB_H
#define GN_SELFTESTS_TESTLIB_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <gannet/gannet.h>

/* The bytes of a hex string, which must fit in cap. */
static inline size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = strlen(hex) / 2;

	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++) {
		unsigned b;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	return n;
}

/* The hex of n bytes, in lower case; the caller frees it. */
static inline char *tohex(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		sprintf(s + 2 * i, "%02x", p[i]);
	s[2 * n] = 0;
	return s;
}

/* The template an expression stands for; fails the test with the parser's
 * message if it does not parse. */
static inline struct gn_packet *parse_ok(const char *expr)
{
	struct gn_error err = { 0 };
	struct gn_packet *p = NULL;
	int rc = gn_parse(expr, &p, &err);

	if (rc)
		fail_msg("gn_parse(%s): %d %s (column %d)", expr, rc, err.msg, err.column);
	assert_non_null(p);
	return p;
}

/* Built, then dissected as Ether: a packet as it comes off the wire. */
static inline struct gn_packet *wire(const char *expr)
{
	struct gn_packet *t = parse_ok(expr), *p = gn_packet_new();
	uint8_t buf[2048];
	size_t len;

	assert_non_null(p);
	assert_int_equal(gn_build_into(t, buf, sizeof(buf), &len), 0);
	assert_int_equal(gn_dissect(p, gn_proto_find("Ether"), buf, len), 0);
	gn_packet_free(t);
	return p;
}

/* The parser refuses expr: a negative error, a message (containing part,
 * when given) and the column of the mistake (column, when not 0). */
static inline void assert_refused(const char *expr, const char *part, int column)
{
	struct gn_error err = { 0 };
	struct gn_packet *p = NULL;
	int rc = gn_parse(expr, &p, &err);

	if (!rc)
		fail_msg("%s was accepted", expr);
	assert_true(rc < 0);
	assert_true(err.msg[0] != 0);
	if (part && !strstr(err.msg, part))
		fail_msg("%s: message '%s' lacks '%s'", expr, err.msg, part);
	if (column && err.column != column)
		fail_msg("%s: column %d, want %d", expr, err.column, column);
	assert_true(err.column > 0);
	gn_packet_free(p);
}

/* The hex of p as built (the caller frees it); fails the test, naming
 * what, if p does not build. */
static inline char *build_hex_of(const struct gn_packet *p, const char *what)
{
	struct gn_arena *a = gn_arena_new(4096);
	uint8_t *out;
	size_t len;
	char *hex;
	int rc;

	assert_non_null(a);
	rc = gn_build(p, a, &out, &len);
	if (rc)
		fail_msg("build of %s: %d (%s)", what, rc, gn_strerror(rc));
	hex = tohex(out, len);
	gn_arena_free(a);
	return hex;
}

static inline char *build_hex(const struct gn_packet *p)
{
	return build_hex_of(p, "the packet");
}

/* Builds p: its bytes must be want (whole), or end with want (the layers
 * below the one under test being other files' business). */
static inline void check_builds(const struct gn_packet *p, const char *want, const char *what,
				bool whole)
{
	char *got = build_hex_of(p, what);
	size_t gn = strlen(got), wn = 2 * (strlen(want) / 2);
	const char *tail = got;

	if (!whole) {
		if (gn < wn)
			fail_msg("%s: %zu bytes, want at least %zu", what, gn / 2, wn / 2);
		tail = got + gn - wn;
	}
	if (strcmp(tail, want))
		fail_msg("%s\n  want %s\n  got  %s", what, want, tail);
	free(got);
}

/* Builds p and compares with Scapy's bytes in hex. */
static inline void assert_builds(const struct gn_packet *p, const char *want, const char *what)
{
	check_builds(p, want, what, true);
}

/* Builds p; the last strlen(want)/2 bytes must be want. */
static inline void assert_builds_tail(const struct gn_packet *p, const char *want,
				      const char *what)
{
	check_builds(p, want, what, false);
}

static inline void assert_summary(const struct gn_packet *p, const char *want, const char *what)
{
	struct gn_strbuf sb;

	gn_sb_init(&sb);
	gn_summary(p, &sb);
	if (strcmp(sb.s ? sb.s : "", want))
		fail_msg("summary of %s\n  want '%s'\n  got  '%s'", what, want, sb.s);
	gn_sb_free(&sb);
}

/* A field of l as formatted in representation r. */
static inline void assert_field(const struct gn_layer *l, const char *field, enum gn_repr r,
				const char *want)
{
	struct gn_strbuf sb;
	int i;

	assert_non_null(l);
	i = gn_layer_field_index(l, field);
	if (i < 0)
		fail_msg("%s has no field %s", l->proto->name, field);
	gn_sb_init(&sb);
	gn_format_field(l, (unsigned)i, &sb, r);
	if (strcmp(sb.s ? sb.s : "", want))
		fail_msg("%s.%s\n  want '%s'\n  got  '%s'", l->proto->name, field, want, sb.s);
	gn_sb_free(&sb);
}

/* Bytes covered by the layers of a dissected top-level packet. */
static inline size_t covered(const struct gn_packet *p)
{
	size_t end = 0;

	for (unsigned i = 0; i < p->n; i++) {
		size_t e = p->layers[i].off + p->layers[i].hdr_len;

		if (e > end)
			end = e;
	}
	return end;
}

/* Everything a reader does with a packet, to run the format and build code
 * over whatever the dissector made of bad bytes: none of it may crash. */
static inline void exercise(const struct gn_packet *p)
{
	struct gn_arena *a = gn_arena_new(4096);
	struct gn_strbuf sb;
	uint8_t *out;
	size_t len;

	assert_non_null(a);
	gn_sb_init(&sb);
	gn_summary(p, &sb);
	gn_show(p, &sb);
	gn_json(p, &sb);
	gn_command(p, &sb);
	assert_int_equal(sb.err, 0);
	(void)gn_build(p, a, &out, &len);
	gn_sb_free(&sb);
	gn_arena_free(a);
}

/* bytes[0..n) dissected as first, with no byte lost (the layers reach the
 * end); the bytes must outlive the packet. */
static inline struct gn_packet *dissect_ok(const struct gn_proto *first, const uint8_t *bytes,
					   size_t n)
{
	struct gn_packet *p = gn_packet_new();

	assert_non_null(p);
	assert_int_equal(gn_dissect(p, first, bytes, n), 0);
	assert_int_equal(covered(p), n);
	return p;
}

/* Scapy's first(bytes.fromhex(hex)), with no byte lost. */
static inline struct gn_packet *dissect_hex(const struct gn_proto *first, const char *hex)
{
	static uint8_t buf[4096];
	size_t n = unhex(hex, buf, sizeof(buf));

	return dissect_ok(first, buf, n);
}

/* Bad bytes: a copy of exactly n of them (so that ASan sees any read past
 * the end) dissected as first, every reader run over whatever the dissector
 * made of them, and the layers claiming no more bytes than there are. */
static inline void dissect_hostile(const struct gn_proto *first, const uint8_t *bytes, size_t n)
{
	uint8_t *copy = malloc(n ? n : 1);
	struct gn_packet *p = gn_packet_new();
	size_t total = 0;

	assert_non_null(copy);
	assert_non_null(p);
	memcpy(copy, bytes, n);
	assert_int_equal(gn_dissect(p, first, copy, n), 0);
	for (unsigned k = 0; k < p->n; k++)
		total += p->layers[k].hdr_len;
	assert_true(total <= n);
	exercise(p);
	gn_packet_free(p);
	free(copy);
}

/* Random damage with a fixed seed, so that a failure repeats: 1 to 4 bytes
 * of buf[from..n) get random values. */
static inline void damage(uint8_t *buf, size_t from, size_t n, uint32_t *seed)
{
	unsigned flips;

	*seed = *seed * 1103515245 + 12345;
	flips = 1 + (*seed >> 16) % 4;
	for (unsigned k = 0; k < flips; k++) {
		*seed = *seed * 1103515245 + 12345;
		buf[from + (*seed >> 8) % (n - from)] = (uint8_t)(*seed >> 24);
	}
}

#endif
