// SPDX-License-Identifier: LGPL-2.1-or-later
/* What the commands on live interfaces (sniff, sendp) share: the signals
 * that end them cleanly and the interface they use when none is named. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <net/if.h>

#include "cli.h"

volatile sig_atomic_t gn_cli_stop;
int gn_cli_verbosity;

static void on_stop(int sig)
{
	gn_cli_stop = sig;
}

void gn_cli_catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocked poll or send returns EINTR at once.  A
	 * second Ctrl-C kills as usual, should the clean end ever hang. */
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

bool gn_cli_parse_positive(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0) || !isfinite(v))
		return false;
	*out = v;
	return true;
}

int gn_cli_parse_int(const char *s, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < -1000000 || v > 1000000)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

/* /proc/net/route: "Iface Destination Gateway Flags RefCnt Use Metric Mask ..."
 * in hex; the default route is destination 0 with mask 0. */
int gn_cli_default_iface(char *buf, size_t n)
{
	unsigned long dst, flags, metric, mask, best_metric = ~0ul;
	char line[512], name[64];
	FILE *f = fopen("/proc/net/route", "r");

	buf[0] = '\0';
	if (!f) {
		gn_cli_err("no interface given (-i) and /proc/net/route unreadable: %s",
			   strerror(errno));
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lx %*x %lx %*d %*d %lu %lx", name, &dst, &flags, &metric,
			   &mask) != 5)
			continue;
		if (dst || mask || !(flags & 1 /* RTF_UP */) || metric >= best_metric ||
		    strlen(name) >= n)
			continue;
		strcpy(buf, name);
		best_metric = metric;
	}
	fclose(f);
	if (!buf[0]) {
		gn_cli_err("no interface given and no default route to take one from: name one with -i");
		return -ENODEV;
	}
	return 0;
}

int gn_cli_open_one(const char *iface, struct gn_io_opts *o, struct gn_io **io)
{
	char dflt[IF_NAMESIZE];
	struct gn_error err = { 0 };
	int rc;

	if (!iface) {
		if (gn_cli_default_iface(dflt, sizeof(dflt)) < 0)
			return GN_EXIT_FAIL;
		iface = dflt;
	}
	o->ifaces = &iface;
	o->nifaces = 1;
	rc = gn_io_open("afpacket", o, io, &err);
	/* the backend has copied what it needs of the names */
	o->ifaces = NULL;
	o->nifaces = 0;
	if (rc < 0) {
		gn_cli_err("%s", err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return GN_EXIT_OK;
}
