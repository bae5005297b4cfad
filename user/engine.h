/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers the field kinds share inside libgannet (not public). */
#ifndef GANNET_ENGINE_H
#define GANNET_ENGINE_H

#include <gannet/gannet.h>

/* Bytes field i of l takes on the wire (its ops->wire_len, or built and
 * measured); negative errno on failure. */
long gn_field_wire_len(const struct gn_layer *l, unsigned i);
/* An integer literal for field f, range-checked against its width. */
int gn_int_from_ast(const struct gn_field *f, const struct gn_ast *a, uint64_t *out,
		    struct gn_error *err);
/* Flag letters/names ("SA", "MF+DF") <-> bits. */
int gn_flags_parse(const struct gn_field *f, const char *s, size_t n, uint64_t *out,
		   struct gn_error *err, int column);
void gn_flags_text(const struct gn_field *f, uint64_t v, struct gn_strbuf *sb);
/* Python's repr() of a str decoded from bytes the way Scapy's plain_str
 * does (UTF-8, invalid bytes as \xNN escapes), as show() prints StrFields. */
void gn_sb_pystr(struct gn_strbuf *sb, const uint8_t *p, size_t n);

/* An address value as text (MAC, dotted quad, IPv6; "/prefix" for a network). */
void gn_addr_text(const struct gn_value *v, struct gn_strbuf *sb);

/* A fuzz() default: a random value of the field's width, per packet. */
void gn_fuzz_value(struct gn_value *v);

#endif
