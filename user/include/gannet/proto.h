/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Protocols and their bindings.  A protocol is a field table plus optional
 * hooks; bindings (Scapy's bind_layers) are rows in a table that work both
 * ways: dissection picks the upper layer from the lower layer's fields, and
 * building fills the lower layer's fields from the upper layer's class.
 */
#ifndef GANNET_PROTO_H
#define GANNET_PROTO_H

#include <gannet/field.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_proto {
	const char *name;       /* class name, as typed: "IP", "TCP", "DNSQR" */
	const char *long_name;  /* shown by show(): "Ethernet", "IP" ... NULL = name */
	const struct gn_field *fields;
	unsigned nfields;

	/* Called after the payload is built, innermost layer first, with the
	 * layer's own bytes at hdr[0..hdr_len) followed by its payload up to
	 * hdr[total_len).  Fills what is left to compute (lengths, checksums),
	 * leaving fields the user set alone. */
	int (*post_build)(struct gn_build_ctx *c, const struct gn_layer *l,
			  uint8_t *hdr, size_t hdr_len, size_t total_len);
	/* Class of the payload when the bindings cannot tell; NULL = bindings, then Raw. */
	const struct gn_proto *(*guess_payload)(const struct gn_layer *l,
						const uint8_t *payload, size_t len);
	/* How many of the `avail` bytes after the header are payload; the rest
	 * is Padding (Scapy's extract_padding).  NULL = all of them. */
	size_t (*payload_len)(const struct gn_layer *l, size_t avail);
	/* Scapy's mysummary: append text and return true, or false for "none". */
	bool (*summary)(const struct gn_layer *l, struct gn_strbuf *sb);
	/* For element classes chosen by the data (IP options by their type
	 * byte): the concrete class for these bytes. */
	const struct gn_proto *(*dispatch)(const uint8_t *p, size_t len);
	/* Called after the fields of a layer were dissected (post_dissect). */
	int (*post_dissect)(struct gn_dissect_ctx *c, struct gn_layer *l);
	/* Scapy's hashret/answers, for the sr engine. */
	uint32_t (*hashret)(const struct gn_layer *l);
	bool (*answers)(const struct gn_layer *reply, const struct gn_layer *probe);
};

/* Registry. Built-in protocols are registered on first use. */
int gn_proto_register(const struct gn_proto *p);
const struct gn_proto *gn_proto_find(const char *name);
const struct gn_proto *gn_proto_findn(const char *name, size_t n);
/* Iterate every registered protocol, in registration order; i from 0 until NULL. */
const struct gn_proto *gn_proto_at(unsigned i);
int gn_proto_field_index(const struct gn_proto *p, const char *name);
/* The default value of field i of p (parsed once from dflt/dflt_str). */
const struct gn_value *gn_proto_default(const struct gn_proto *p, unsigned i);

#define GN_BIND_DISSECT 1  /* lower's fields -> upper class (bind_bottom_up) */
#define GN_BIND_BUILD   2  /* upper class -> lower's fields (bind_top_down) */
#define GN_BIND_BOTH    3

/* Scapy's bind_layers(lower, upper, **fields): cond is "field=value[,field=value]"
 * with integers (decimal or 0x). */
int gn_bind(const struct gn_proto *lower, const struct gn_proto *upper,
	    const char *cond, unsigned how);

/* The upper class the bindings give for a dissected lower layer, or NULL. */
const struct gn_proto *gn_bind_guess(const struct gn_layer *lower);
/* The value a binding overloads on field i of `lower` because `upper` sits on it. */
const struct gn_value *gn_bind_overload(const struct gn_proto *lower, unsigned field_index,
					const struct gn_proto *upper);

/* Registration of the built-in protocols (proto/), run once by the registry. */
void gn_builtin_register(void);

#ifdef __cplusplus
}
#endif
#endif
