/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Private: policy-driven attribute parsing over libmnl (nl_attr.c). */
#ifndef GANNET_NL_ATTR_H
#define GANNET_NL_ATTR_H

#include "nl_db.h"

/* types[i]: the enum mnl_attr_data_type attribute i must have, 0
 * (MNL_TYPE_UNSPEC) for attributes not wanted; lens[i], when lens is set
 * and it is non-zero, the exact payload length.  tb has max + 1 slots. */
struct gn_nl_policy {
	uint16_t max;
	const uint8_t *types;
	const uint16_t *lens;
	const struct nlattr **tb;
};

/* Fill p->tb from the attributes after a hdr_len-byte family header. */
int gn_nl_attrs(const struct nlmsghdr *nlh, size_t hdr_len, const struct gn_nl_policy *p);
int gn_nl_attrs_nested(const struct nlattr *nest, const struct gn_nl_policy *p);
int gn_nl_attrs_payload(const void *payload, size_t len, const struct gn_nl_policy *p);

/* Copy an address attribute of family into out; false when absent or of
 * the wrong length for the family. */
bool gn_nl_attr_addr(const struct nlattr *attr, int family, uint8_t *out);
/* A NUL-terminated string attribute into out[n] ("" when absent). */
void gn_nl_attr_str(const struct nlattr *attr, char *out, size_t n);

#endif
