// SPDX-License-Identifier: LGPL-2.1-or-later
/* Raw and Padding: bytes no layer claims, and bytes past a layer's length. */
#include "protos.h"

static const struct gn_field raw_fields[] = {
	GN_REST("load", ""),
};

const struct gn_proto gn_proto_raw = {
	.name = "Raw", .long_name = "Raw",
	.fields = raw_fields, .nfields = 1,
};

const struct gn_proto gn_proto_padding = {
	.name = "Padding", .long_name = "Padding",
	.fields = raw_fields, .nfields = 1,
};

void gn_proto_raw_register(void)
{
	gn_proto_register(&gn_proto_raw);
	gn_proto_register(&gn_proto_padding);
}
