// SPDX-License-Identifier: LGPL-2.1-or-later
/* Attribute tables of rtnetlink messages, filled through libmnl's parser and
 * checked with its validation: a policy names the attributes wanted and
 * their types; anything else, and anything malformed, is left out. */
#include <errno.h>
#include <string.h>

#include "nl_attr.h"

static int attr_cb(const struct nlattr *attr, void *data)
{
	const struct gn_nl_policy *p = data;
	uint16_t type = mnl_attr_get_type(attr);

	/* Attributes newer than our headers are not errors. */
	if (mnl_attr_type_valid(attr, p->max) < 0)
		return MNL_CB_OK;
	if (!p->types[type])
		return MNL_CB_OK;
	if (p->lens && p->lens[type]) {
		if (mnl_attr_validate2(attr, (enum mnl_attr_data_type)p->types[type],
				       p->lens[type]) < 0)
			return MNL_CB_OK;
	} else if (mnl_attr_validate(attr, (enum mnl_attr_data_type)p->types[type]) < 0) {
		return MNL_CB_OK;
	}
	p->tb[type] = attr;
	return MNL_CB_OK;
}

int gn_nl_attrs(const struct nlmsghdr *nlh, size_t hdr_len, const struct gn_nl_policy *p)
{
	memset(p->tb, 0, (p->max + 1u) * sizeof(p->tb[0]));
	if (mnl_nlmsg_get_payload_len(nlh) < hdr_len)
		return -EBADMSG;
	if (mnl_attr_parse(nlh, (unsigned)hdr_len, attr_cb, (void *)p) < 0)
		return -EBADMSG;
	return 0;
}

int gn_nl_attrs_nested(const struct nlattr *nest, const struct gn_nl_policy *p)
{
	memset(p->tb, 0, (p->max + 1u) * sizeof(p->tb[0]));
	if (mnl_attr_parse_nested(nest, attr_cb, (void *)p) < 0)
		return -EBADMSG;
	return 0;
}

int gn_nl_attrs_payload(const void *payload, size_t len, const struct gn_nl_policy *p)
{
	memset(p->tb, 0, (p->max + 1u) * sizeof(p->tb[0]));
	if (mnl_attr_parse_payload(payload, len, attr_cb, (void *)p) < 0)
		return -EBADMSG;
	return 0;
}

bool gn_nl_attr_addr(const struct nlattr *attr, int family, uint8_t *out)
{
	size_t alen = gn_nl_alen(family);

	if (!attr || mnl_attr_get_payload_len(attr) != alen)
		return false;
	memcpy(out, mnl_attr_get_payload(attr), alen);
	return true;
}

void gn_nl_attr_str(const struct nlattr *attr, char *out, size_t n)
{
	const char *s = attr ? mnl_attr_get_str(attr) : "";
	size_t len = strnlen(s, attr ? mnl_attr_get_payload_len(attr) : 0);

	if (len >= n)
		len = n - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}
