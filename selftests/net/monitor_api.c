// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The monitor backend through the library API, for test_monitor.sh.
 *
 *   monitor_api listen [--filter EXPR] [--snaplen N] [--ring BYTES] [--hold S]
 *                      [--count N] [--timeout S] [--quiet] IF...
 *       Open the interfaces with the monitor backend, say "ready", then print
 *       one line per frame received ("rx IFINDEX WIRE_LEN CAP_LEN AGE_MS HEX"
 *       where AGE_MS is how old its timestamp is), until N frames, S seconds,
 *       SIGINT or SIGTERM; then "info ...", "counters ..." and "stats ...".
 *       --hold S: read nothing for the first S seconds (the ring fills up).
 *       --ring BYTES: the ring buffer's size (block_size).
 *       --quiet: no "rx" lines, only the counts at the end.
 *
 *   monitor_api api IF
 *       TAP lines ("ok - NAME" / "not ok - NAME") for what the API refuses
 *       and says: sending, a filter that does not compile, the counters of
 *       another backend.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gannet/gannet.h>

#include "api_tap.h"

#include "io_monitor.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int listen_main(int argc, char **argv)
{
	struct gn_io_opts o = { .sz = sizeof(o), .rx = true };
	const char *ifs[8];
	struct gn_error err = { 0 };
	struct gn_monitor_counters c;
	struct gn_io_xdp_info xi;
	struct gn_io_stats st;
	struct gn_frame fr[64];
	struct gn_io *io;
	double timeout = 0, hold = 0;
	bool quiet = false;
	uint64_t count = 0, got = 0;
	int64_t start;
	int rc;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--filter") && i + 1 < argc)
			o.filter = argv[++i];
		else if (!strcmp(argv[i], "--snaplen") && i + 1 < argc)
			o.snaplen = (unsigned)strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--ring") && i + 1 < argc)
			o.block_size = (unsigned)strtoul(argv[++i], NULL, 0), o.block_count = 1;
		else if (!strcmp(argv[i], "--hold") && i + 1 < argc)
			hold = atof(argv[++i]);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--timeout") && i + 1 < argc)
			timeout = atof(argv[++i]);
		else if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (o.nifaces < 8)
			ifs[o.nifaces++] = argv[i];
	}
	o.ifaces = ifs;
	rc = gn_io_open("monitor", &o, &io, &err);
	if (rc) {
		fprintf(stderr, "open: %s\n", err.msg);
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("ready\n");
	fflush(stdout);
	start = now_ns(CLOCK_MONOTONIC);
	while (!stop && (!count || got < count)) {
		double el = (double)(now_ns(CLOCK_MONOTONIC) - start) / 1e9;
		int n;

		if (timeout && el >= timeout)
			break;
		if (el < hold) {
			struct timespec ts = { 0, 10000000 };

			nanosleep(&ts, NULL);
			continue;
		}
		n = gn_io_recv(io, fr, 64, 50);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "recv: %s\n", gn_io_errmsg(io));
			break;
		}
		if (quiet) {
			got += (uint64_t)n;
			continue;
		}
		for (int i = 0; i < n; i++, got++) {
			int64_t age = now_ns(CLOCK_REALTIME) - fr[i].meta.ts_ns;

			printf("rx %d %u %u %lld ", fr[i].meta.ifindex, fr[i].meta.wire_len,
			       fr[i].meta.cap_len, (long long)(age / 1000000));
			for (uint32_t b = 0; b < fr[i].meta.cap_len; b++)
				printf("%02x", fr[i].data[b]);
			printf("\n");
		}
		fflush(stdout);
	}
	for (unsigned i = 0; !gn_io_monitor_info(io, i, &xi); i++)
		printf("info %u native=%d dispatcher=%d prog=%u replaced=%u\n", i, xi.native,
		       xi.dispatcher, xi.prog_id, xi.replaced_id);
	gn_io_monitor_counters(io, &c);
	gn_io_stats(io, &st);
	printf("counters seen=%llu matched=%llu not_matched=%llu copied=%llu ringbuf_full=%llu "
	       "passed=%llu filtered=%llu received=%llu\n",
	       (unsigned long long)c.seen, (unsigned long long)c.matched,
	       (unsigned long long)c.not_matched, (unsigned long long)c.copied,
	       (unsigned long long)c.ringbuf_full, (unsigned long long)c.passed,
	       (unsigned long long)c.filtered, (unsigned long long)c.received);
	printf("stats received=%llu kernel_dropped=%llu\n", (unsigned long long)st.received,
	       (unsigned long long)st.kernel_dropped);
	gn_io_close(io);
	return 0;
}

static int api_main(const char *ifname)
{
	const char *ifs[] = { ifname };
	struct gn_io_opts o = { .sz = sizeof(o), .ifaces = ifs, .nifaces = 1, .rx = true };
	struct gn_error err = { 0 };
	struct gn_monitor_counters c;
	struct gn_io_xdp_info xi;
	struct gn_frame f = { 0 };
	struct gn_io *io = NULL;
	int rc;

	o.tx = true;
	rc = gn_io_open("monitor", &o, &io, &err);
	check(rc == -EOPNOTSUPP && strstr(err.msg, "does not send; use afpacket"),
	      "rx+tx: the monitor backend does not send", err.msg);
	gn_io_close(io);

	memset(&err, 0, sizeof(err));
	o.tx = false;
	o.filter = "udp prot 1";
	rc = gn_io_open("monitor", &o, &io, &err);
	check(rc == -EINVAL && strstr(err.msg, "filter 'udp prot 1': ") &&
	      strstr(err.msg, "syntax error"),
	      "a filter that does not compile: libpcap's message", err.msg);
	gn_io_close(io);

	memset(&err, 0, sizeof(err));
	o.filter = NULL;
	o.promisc = true;
	rc = gn_io_open("monitor", &o, &io, &err);
	check(rc == 0, "open, promiscuous, no filter", err.msg);
	if (!rc) {
		rc = gn_io_send(io, &f, 1);
		check(rc == -EOPNOTSUPP && strstr(gn_io_errmsg(io), "does not send"),
		      "gn_io_send refused", gn_io_errmsg(io));
		rc = gn_io_recv(io, &f, 1, 0);
		check(rc >= 0, "gn_io_recv with timeout 0 returns", gn_io_errmsg(io));
		check(!gn_io_monitor_info(io, 0, &xi) && xi.prog_id &&
		      gn_io_monitor_info(io, 1, &xi) == -ENOENT,
		      "gn_io_monitor_info: a program id; -ENOENT past the last", "");
		check(!gn_io_monitor_counters(io, &c) && c.seen == c.passed &&
		      c.seen == c.matched + c.not_matched,
		      "gn_io_monitor_counters add up", "");
		gn_io_close(io);
	}

	memset(&err, 0, sizeof(err));
	o.promisc = false;
	rc = gn_io_open("afpacket", &o, &io, &err);
	if (!rc) {
		check(gn_io_monitor_counters(io, &c) == -EOPNOTSUPP &&
		      gn_io_monitor_info(io, 0, &xi) == -EOPNOTSUPP,
		      "another backend: -EOPNOTSUPP", "");
		gn_io_close(io);
	}
	printf("1..%d\n", ntests);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "listen"))
		return listen_main(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "api"))
		return api_main(argv[2]);
	fprintf(stderr, "usage: monitor_api listen [OPTIONS] IF... | api IF\n");
	return 2;
}
