// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet's side of the benchmarks, one core, no I/O in the timed loop:
 *   gnbench build SECONDS        Ether/IP/TCP/Raw(20 B) built with checksums
 *   gnbench dissect-tcp SECONDS  the same frame dissected to fields
 *   gnbench dissect-dns SECONDS  an Ether/IP/UDP/DNS response dissected
 *   gnbench mkpcap FILE N        a mixed capture of N packets (TCP, UDP, DNS, ICMP, ARP)
 * Each timed mode prints "MODE PACKETS SECONDS PPS".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gannet/gannet.h>

#define TCP_EXPR "Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')/" \
	"IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=40000, dport=80, flags='S')/Raw(load=b'x'*20)"
#define DNS_EXPR "Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')/" \
	"IP(src='10.0.0.53', dst='10.0.0.2')/UDP(sport=53, dport=40000)/" \
	"DNS(id=7, qr=1, qd=DNSQR(qname='www.example.com'), " \
	"an=DNSRR(rrname='www.example.com', rdata='93.184.216.34')/DNSRR(rrname='www.example.com', rdata='93.184.216.35'))"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct gn_packet *parse_or_die(const char *text)
{
	struct gn_error err = { 0 };
	struct gn_packet *p;

	if (gn_parse(text, &p, &err)) {
		fprintf(stderr, "gnbench: %s: %s\n", text, err.msg);
		exit(1);
	}
	return p;
}

static size_t build_or_die(const struct gn_packet *p, uint8_t *buf, size_t cap)
{
	size_t len;

	if (gn_build_into(p, buf, cap, &len)) {
		fprintf(stderr, "gnbench: build failed\n");
		exit(1);
	}
	return len;
}

static void report(const char *mode, unsigned long n, double secs)
{
	printf("%s %lu %.3f %.0f\n", mode, n, secs, n / secs);
}

static void bench_build(double secs)
{
	struct gn_packet *p = parse_or_die(TCP_EXPR);
	uint8_t buf[2048];
	unsigned long n = 0;
	double t0 = now(), t;
	volatile uint8_t sink = 0;

	do {
		for (int i = 0; i < 10000; i++) {
			build_or_die(p, buf, sizeof(buf));
			sink ^= buf[50];
		}
		n += 10000;
		t = now() - t0;
	} while (t < secs);
	report("build", n, t);
	gn_packet_free(p);
}

static void bench_dissect(const char *mode, const char *expr, double secs)
{
	struct gn_packet *p = parse_or_die(expr);
	struct gn_packet *d = gn_packet_new();
	const struct gn_proto *ether = gn_proto_find("Ether");
	uint8_t buf[2048];
	size_t len = build_or_die(p, buf, sizeof(buf));
	unsigned long n = 0;
	double t0 = now(), t;

	do {
		for (int i = 0; i < 10000; i++)
			gn_dissect(d, ether, buf, len);
		n += 10000;
		t = now() - t0;
	} while (t < secs);
	if (d->n < 3) {
		fprintf(stderr, "gnbench: dissection gave %u layers\n", d->n);
		exit(1);
	}
	report(mode, n, t);
	gn_packet_free(d);
	gn_packet_free(p);
}

/* A capture that looks like a busy host: mostly TCP, some DNS, ICMP, ARP. */
static void mkpcap(const char *path, unsigned long count)
{
	static const char *const exprs[] = {
		TCP_EXPR,
		"Ether(src='02:00:00:00:00:02', dst='02:00:00:00:00:01')/IP(src='10.0.0.2', dst='10.0.0.1')/TCP(sport=80, dport=40000, flags='SA', seq=1000, ack=1)",
		DNS_EXPR,
		"Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')/IP(src='10.0.0.1', dst='10.0.0.2')/UDP(sport=5000, dport=6000)/Raw(load=b'y'*64)",
		"Ether(src='02:00:00:00:00:01', dst='02:00:00:00:00:02')/IP(src='10.0.0.1', dst='10.0.0.2')/ICMP(id=1, seq=2)/Raw(load=b'z'*56)",
		"Ether(src='02:00:00:00:00:01', dst='ff:ff:ff:ff:ff:ff')/ARP(hwsrc='02:00:00:00:00:01', psrc='10.0.0.1', pdst='10.0.0.2')",
	};
	enum { NKINDS = sizeof(exprs) / sizeof(exprs[0]) };
	static const unsigned weights[NKINDS] = { 5, 5, 2, 2, 1, 1 };
	uint8_t frames[NKINDS][2048];
	size_t lens[NKINDS];
	struct gn_pcap_writer *w;
	struct gn_error err = { 0 };
	struct gn_meta meta = { 0 };
	unsigned long i = 0;

	for (int k = 0; k < NKINDS; k++) {
		struct gn_packet *p = parse_or_die(exprs[k]);

		lens[k] = build_or_die(p, frames[k], sizeof(frames[k]));
		gn_packet_free(p);
	}
	if (gn_pcap_create(path, GN_PCAP_US, 1, 65535, &w, &err)) {
		fprintf(stderr, "gnbench: %s\n", err.msg);
		exit(1);
	}
	meta.ts_ns = 1700000000000000000LL;
	while (i < count) {
		for (int k = 0; k < NKINDS && i < count; k++) {
			for (unsigned r = 0; r < weights[k] && i < count; r++, i++) {
				meta.ts_ns += 1000;
				meta.cap_len = meta.wire_len = (uint32_t)lens[k];
				if (gn_pcap_write(w, frames[k], lens[k], &meta)) {
					fprintf(stderr, "gnbench: write failed\n");
					exit(1);
				}
			}
		}
	}
	if (gn_pcap_finish(w)) {
		fprintf(stderr, "gnbench: write failed\n");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 2.0;

	if (argc < 2)
		goto usage;
	if (!strcmp(argv[1], "build"))
		bench_build(secs);
	else if (!strcmp(argv[1], "dissect-tcp"))
		bench_dissect("dissect-tcp", TCP_EXPR, secs);
	else if (!strcmp(argv[1], "dissect-dns"))
		bench_dissect("dissect-dns", DNS_EXPR, secs);
	else if (!strcmp(argv[1], "mkpcap") && argc == 4)
		mkpcap(argv[2], strtoul(argv[3], NULL, 10));
	else
		goto usage;
	return 0;
usage:
	fprintf(stderr, "usage: gnbench build|dissect-tcp|dissect-dns [SECONDS] | mkpcap FILE N\n");
	return 2;
}
