/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Helpers the text outputs (show, summary, json, command, sprintf, ls) share
 * inside libgannet (not public). */
#ifndef GANNET_OUTPUT_INT_H
#define GANNET_OUTPUT_INT_H

#include <gannet/gannet.h>

/* Scapy's `islist and holds_packets`: the field's value is sub-packets,
 * which show() draws as nested blocks and command() as constructors. */
bool gn_out_holds_packets(const struct gn_field *f);
/* A field whose sub-packets Scapy holds as one chain (record/record, as
 * DNSRRField does) rather than as a list: shown, repr'd and written by
 * command() as a chain.  List kinds say "List" in their name. */
bool gn_out_is_chain(const struct gn_field *f);
/* Conditional fields that are absent are left out of every output. */
bool gn_out_present(const struct gn_layer *l, unsigned i);
/* What Scapy keeps in a packet's `fields` dict for field i: the value the
 * user set (or dissection found), and also a list or packet default, which
 * Scapy copies into every instance (so they come first in command() and
 * show in repr() even when nobody set them); NULL when none. */
const struct gn_value *gn_out_own_value(const struct gn_layer *l, unsigned i);
/* A mutable (list or packet) default: Scapy's class_default_fields_ref. */
bool gn_out_default_is_mutable(const struct gn_layer *l, unsigned i);
/* Value v of field f of layer l as text: None, generators (sets, ranges,
 * networks, Rand*) and sub-packets here, everything else by the kind's
 * format op. */
void gn_out_value(const struct gn_layer *l, const struct gn_field *f,
		  const struct gn_value *v, struct gn_strbuf *sb, enum gn_repr repr);
/* Scapy's repr() of a packet from layer `from` on: "<IP  ttl=3 |<TCP  |>>". */
void gn_out_pkt_repr(const struct gn_packet *p, unsigned from, struct gn_strbuf *sb);
/* The same without the closing '>'s; returns how many are due. */
unsigned gn_out_repr_open(const struct gn_packet *p, unsigned from, struct gn_strbuf *sb);
/* Python's repr() of a str: 'text', or "text" when it holds a ' and no ". */
void gn_out_pystr(struct gn_strbuf *sb, const char *s, size_t n);
/* Scapy's class name of a random value ("RandShort"). */
const char *gn_out_rand_name(uint64_t kind);
/* Scapy's DefaultTheme (scapy/themes.py), as ANSI escapes. */
#define GN_ANSI_NORMAL     "\033[0m"
#define GN_ANSI_LAYER_NAME "\033[31m\033[1m"  /* red, bold */
#define GN_ANSI_FIELD_NAME "\033[34m"          /* blue */
#define GN_ANSI_VALUE      "\033[35m"          /* purple */
/* Drop everything after byte `len` of sb. */
void gn_out_truncate(struct gn_strbuf *sb, size_t len);

#endif
