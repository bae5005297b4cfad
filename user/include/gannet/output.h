/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Ways to write a packet as text, in Scapy's shapes. */
#ifndef GANNET_OUTPUT_H
#define GANNET_OUTPUT_H

#include <gannet/packet.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Scapy's summary(): "Ether / IP / TCP 10.0.0.1:ftp_data > 10.0.0.2:http S" */
void gn_summary(const struct gn_packet *p, struct gn_strbuf *sb);
/* Scapy's show(): one block per layer, every field with its human value. */
void gn_show(const struct gn_packet *p, struct gn_strbuf *sb);

/* For a terminal: ANSI colours as Scapy's default theme has them (layer
 * names bold red, field names blue, values purple). */
#define GN_OUT_COLOR 0x1u
void gn_summary_ex(const struct gn_packet *p, struct gn_strbuf *sb, unsigned flags);
void gn_show_ex(const struct gn_packet *p, struct gn_strbuf *sb, unsigned flags);
/* Scapy's hexdump() of the bytes. */
void gn_hexdump(const uint8_t *data, size_t len, struct gn_strbuf *sb);
/* One JSON object: {"layers":[{"name":"IP","fields":{...}},...]} */
void gn_json(const struct gn_packet *p, struct gn_strbuf *sb);
/* One layer as a JSON object {"name":"DNSQR","fields":{...}} (used for the
 * layers of a packet and for sub-packets inside list fields). */
void gn_json_layer(const struct gn_layer *l, struct gn_strbuf *sb);
/* Scapy's command(): the expression that rebuilds p. */
void gn_command(const struct gn_packet *p, struct gn_strbuf *sb);
/* Scapy's sprintf(): "%IP.src% -> %IP.dst% {TCP:%TCP.flags%}". */
int gn_sprintf(const struct gn_packet *p, const char *fmt, struct gn_strbuf *sb,
	       struct gn_error *err);
/* Scapy's layer.sprintf(): directives and {LAYER:...} conditions look at l
 * and the layers above it only (what a summary hook wants: "%IP.src%" of the
 * IP right under a TCP, not of an outer tunnel IP). */
int gn_sprintf_layer(const struct gn_layer *l, const char *fmt, struct gn_strbuf *sb,
		     struct gn_error *err);
/* Scapy's ls(PROTO): fields, kinds and defaults. */
void gn_ls(const struct gn_proto *proto, struct gn_strbuf *sb);
/* One field's value as text. */
void gn_format_field(const struct gn_layer *l, unsigned i, struct gn_strbuf *sb,
		     enum gn_repr repr);

#ifdef __cplusplus
}
#endif
#endif
