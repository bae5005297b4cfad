// SPDX-License-Identifier: LGPL-2.1-or-later
/* Addresses and prefixes of the network tables as bits and as text. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nl_db.h"

bool gn_nl_prefix_match(const uint8_t *a, const uint8_t *b, unsigned plen)
{
	unsigned bytes = plen / 8, bits = plen % 8;

	if (memcmp(a, b, bytes))
		return false;
	if (!bits)
		return true;
	return !((a[bytes] ^ b[bytes]) & (uint8_t)(0xff << (8 - bits)));
}

/* "ADDR", "ADDR/LEN" or "default" (family 0: the caller decides). */
int gn_nl_parse_prefix(const char *s, int *family, uint8_t *addr, uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned max;

	memset(addr, 0, 16);
	if (!strcmp(s, "default")) {
		*family = 0;
		*plen = 0;
		return 0;
	}
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, addr) == 1)
		*family = AF_INET;
	else if (inet_pton(AF_INET6, buf, addr) == 1)
		*family = AF_INET6;
	else
		return -EINVAL;
	max = *family == AF_INET ? 32 : 128;
	if (slash) {
		char *end;
		unsigned long len;

		if (slash[1] < '0' || slash[1] > '9')
			return -EINVAL;
		len = strtoul(slash + 1, &end, 10);
		if (*end || len > max)
			return -EINVAL;
		*plen = (uint8_t)len;
	} else {
		*plen = (uint8_t)max;
	}
	return 0;
}

const char *gn_nl_addr_str(int family, const void *addr, char *buf, size_t n)
{
	if (!inet_ntop(family, addr, buf, (socklen_t)n))
		snprintf(buf, n, "?");
	return buf;
}

const char *gn_nl_lladdr_str(const uint8_t *addr, size_t len, char *buf, size_t n)
{
	size_t off = 0;

	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		/* two digits, the ':' before them, the NUL after */
		if (off + (i ? 4 : 3) > n)
			break;
		off += (size_t)snprintf(buf + off, n - off, i ? ":%02x" : "%02x", addr[i]);
	}
	return buf;
}
