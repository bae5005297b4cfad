/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What the API test programs of selftests/net (built by lib.sh's build_api)
 * share: TAP-like result lines and a millisecond clock.  Header-only, each
 * program being one file; static inline, so a program using part of it
 * still builds warning-free.
 */
#ifndef GN_SELFTESTS_NET_API_TAP_H
#define GN_SELFTESTS_NET_API_TAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <gannet/gannet.h>

/* checks made, and failed: the program's exit status is 1 when any did */
static int ntests, failed;

/* "ok - NAME", or "not ok - NAME" and "#   WHY"; flushed at once, as the
 * test script reads the lines while the program runs. */
static inline void check(bool cond, const char *name, const char *why)
{
	ntests++;
	printf("%s - %s\n", cond ? "ok" : "not ok", name);
	if (!cond) {
		printf("#   %s\n", why);
		failed++;
	}
	fflush(stdout);
}

static inline int64_t mono_ms(void)
{
	return gn_monotonic_ns() / 1000000;
}

#endif
