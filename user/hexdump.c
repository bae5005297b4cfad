// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Scapy's hexdump(): 16 bytes a line, "%04x" offset, two spaces, uppercase
 * hex bytes each followed by a space (padded to 16 columns), a space, and
 * the bytes as text with '.' for anything outside 32..126.  Lines are
 * joined with '\n' and, as hexdump(dump=True) returns it, the last line has
 * no newline; no bytes give no text.
 */
#include <stdio.h>

#include <gannet/gannet.h>

void gn_hexdump(const uint8_t *data, size_t len, struct gn_strbuf *sb)
{
	static const char digits[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len; i += 16) {
		/* newline, offset (up to 16 digits), 16 * 3, 1 + 16 text */
		char line[1 + 16 + 2 + 48 + 1 + 16 + 1];
		size_t n = 0;

		if (i)
			line[n++] = '\n';
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%04zx  ", i);
		for (size_t j = 0; j < 16; j++) {
			if (i + j < len) {
				line[n++] = digits[data[i + j] >> 4];
				line[n++] = digits[data[i + j] & 15];
			} else {
				line[n++] = ' ';
				line[n++] = ' ';
			}
			line[n++] = ' ';
		}
		line[n++] = ' ';
		for (size_t j = 0; j < 16 && i + j < len; j++) {
			uint8_t c = data[i + j];

			line[n++] = (c < 32 || c >= 127) ? '.' : (char)c;
		}
		gn_sb_putn(sb, line, n);
	}
}
