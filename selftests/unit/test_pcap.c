// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pcap and pcapng files: frames written in each format read back equal
 * (bytes, lengths, nanosecond times), tshark agrees on what was written,
 * filters select, damaged files give their leading packets and one error,
 * write errors are reported, and real captures of several link types map
 * to the right first layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pcap/dlt.h>

#include <gannet/gannet.h>

#define NFRAMES 4
#define MAXFRAME 1514

struct tframe {
	uint8_t data[MAXFRAME];
	size_t len;
	struct gn_meta meta;
};

static struct tframe frames[NFRAMES];
static char tmpdir[] = "/tmp/gn_test_pcap_XXXXXX";

static const enum gn_pcap_format formats[] = { GN_PCAP_US, GN_PCAP_NS, GN_PCAPNG };
static const char *const fmt_names[] = { "pcap-us", "pcap-ns", "pcapng" };

/* ---- frames ------------------------------------------------------------ */

static size_t put_ether(uint8_t *b, uint16_t type)
{
	static const uint8_t macs[12] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1 };

	memcpy(b, macs, 12);
	b[12] = type >> 8;
	b[13] = type & 0xff;
	return 14;
}

/* Ether / IPv4 / (UDP or TCP) with ports, padded with a pattern to total. */
static size_t make_ip_frame(uint8_t *b, size_t total, uint8_t proto, uint16_t sport,
			    uint16_t dport)
{
	size_t o = put_ether(b, 0x0800);
	size_t iplen = total - o;

	memset(b + o, 0, total - o);
	b[o] = 0x45;
	b[o + 2] = iplen >> 8;
	b[o + 3] = iplen & 0xff;
	b[o + 8] = 64;
	b[o + 9] = proto;
	memcpy(b + o + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	b[o + 20] = sport >> 8;
	b[o + 21] = sport & 0xff;
	b[o + 22] = dport >> 8;
	b[o + 23] = dport & 0xff;
	for (size_t i = o + 28; i < total; i++)
		b[i] = (uint8_t)(i * 7);
	return total;
}

static void make_frames(void)
{
	struct tframe *f = frames;

	memset(frames, 0, sizeof(frames));
	f[0].len = make_ip_frame(f[0].data, 60, 17, 1234, 53);
	f[0].meta.ts_ns = 1700000000123456789;
	/* odd length: the pcapng block needs padding */
	f[1].len = make_ip_frame(f[1].data, 59, 6, 40000, 80);
	f[1].meta.ts_ns = 1700000001000000001;
	f[2].len = make_ip_frame(f[2].data, MAXFRAME, 17, 5000, 1337);
	f[2].meta.ts_ns = 1700000002999999999;
	/* an ARP request captured short: 42 bytes of a 60-byte frame */
	f[3].len = put_ether(f[3].data, 0x0806);
	memcpy(f[3].data + 14, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	f[3].len = 42;
	f[3].meta.ts_ns = 1700000003000000999;
	f[3].meta.wire_len = 60;
	for (int i = 0; i < NFRAMES; i++)
		f[i].meta.linktype = DLT_EN10MB;
}

static int64_t expect_ts(enum gn_pcap_format fmt, int64_t ts)
{
	return fmt == GN_PCAP_US ? ts / 1000 * 1000 : ts;
}

static uint32_t expect_wire(const struct tframe *f)
{
	return f->meta.wire_len > f->len ? f->meta.wire_len : (uint32_t)f->len;
}

/* ---- files ------------------------------------------------------------- */

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpdir, name);
}

static void write_frames(const char *path, enum gn_pcap_format fmt, unsigned snaplen)
{
	struct gn_pcap_writer *w = NULL;
	struct gn_error err = { 0 };

	assert_int_equal(gn_pcap_create(path, fmt, DLT_EN10MB, snaplen, &w, &err), 0);
	assert_non_null(w);
	for (int i = 0; i < NFRAMES; i++)
		assert_int_equal(gn_pcap_write(w, frames[i].data, frames[i].len, &frames[i].meta), 0);
	assert_int_equal(gn_pcap_finish(w), 0);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc(n > 0 ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void spill(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	if (n)
		assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* Reads every frame of path and checks it against frames[] (idx[] says
 * which one each should be); returns how many were read. */
static int read_check(const char *path, const char *filter, enum gn_pcap_format fmt,
		      const int *idx, int nidx)
{
	struct gn_pcap_reader *r = NULL;
	struct gn_error err = { 0 };
	struct gn_frame f;
	int n = 0, rc;

	rc = gn_pcap_open(path, filter, &r, &err);
	if (rc)
		fail_msg("open %s: %s", path, err.msg);
	assert_int_equal(gn_pcap_linktype(r), DLT_EN10MB);
	while ((rc = gn_pcap_next(r, &f, &err)) == 1) {
		const struct tframe *t;

		assert_true(n < nidx);
		t = &frames[idx[n]];
		assert_int_equal(f.meta.cap_len, t->len);
		assert_int_equal(f.meta.wire_len, expect_wire(t));
		assert_int_equal(f.meta.ts_ns, expect_ts(fmt, t->meta.ts_ns));
		assert_int_equal(f.meta.linktype, DLT_EN10MB);
		assert_memory_equal(f.data, t->data, t->len);
		n++;
	}
	if (rc)
		fail_msg("read %s: %s", path, err.msg);
	assert_int_equal(gn_pcap_next(r, &f, &err), 0);  /* EOF stays EOF */
	gn_pcap_close(r);
	return n;
}

static const int all_idx[NFRAMES] = { 0, 1, 2, 3 };

/* ---- round trips -------------------------------------------------------- */

static void test_roundtrip(void **state)
{
	static const uint8_t magic[3][4] = {
		{ 0xd4, 0xc3, 0xb2, 0xa1 }, { 0x4d, 0x3c, 0xb2, 0xa1 }, { 0x0a, 0x0d, 0x0d, 0x0a },
	};

	(void)state;
	for (int i = 0; i < 3; i++) {
		char path[256];
		uint8_t *buf;
		size_t len;

		path_of(path, sizeof(path), fmt_names[i]);
		write_frames(path, formats[i], 0);
		assert_int_equal(read_check(path, NULL, formats[i], all_idx, NFRAMES), NFRAMES);
		buf = slurp(path, &len);
		assert_true(len > 24);
		assert_memory_equal(buf, magic[i], 4);
		free(buf);
	}
}

static void test_format_for(void **state)
{
	(void)state;
	assert_int_equal(gn_pcap_format_for("a.pcapng"), GN_PCAPNG);
	assert_int_equal(gn_pcap_format_for("/x/y/CAP.PCAPNG"), GN_PCAPNG);
	assert_int_equal(gn_pcap_format_for("a.pcap"), GN_PCAP_US);
	assert_int_equal(gn_pcap_format_for("pcapng"), GN_PCAP_US);
	assert_int_equal(gn_pcap_format_for("-"), GN_PCAP_US);
}

/* A frame without a time is stamped when written. */
static void test_now(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct gn_pcap_writer *w = NULL;
		struct gn_pcap_reader *r = NULL;
		struct gn_error err = { 0 };
		struct gn_meta m = { 0 };
		struct timespec t0, t1;
		struct gn_frame f;
		char path[256];
		int64_t lo, hi;

		path_of(path, sizeof(path), "now");
		clock_gettime(CLOCK_REALTIME, &t0);
		assert_int_equal(gn_pcap_create(path, formats[i], DLT_EN10MB, 0, &w, &err), 0);
		assert_int_equal(gn_pcap_write(w, frames[0].data, frames[0].len, &m), 0);
		assert_int_equal(gn_pcap_write(w, frames[1].data, frames[1].len, NULL), 0);
		assert_int_equal(gn_pcap_finish(w), 0);
		clock_gettime(CLOCK_REALTIME, &t1);
		lo = expect_ts(formats[i], t0.tv_sec * 1000000000ll + t0.tv_nsec);
		hi = t1.tv_sec * 1000000000ll + t1.tv_nsec;
		assert_int_equal(gn_pcap_open(path, NULL, &r, &err), 0);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(gn_pcap_next(r, &f, &err), 1);
			assert_true(f.meta.ts_ns >= lo && f.meta.ts_ns <= hi);
			assert_int_equal(f.meta.wire_len, frames[k].len);
		}
		assert_int_equal(gn_pcap_next(r, &f, &err), 0);
		gn_pcap_close(r);
	}
}

/* Frames longer than the snap length are stored cut, with their wire length. */
static void test_snaplen(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct gn_pcap_reader *r = NULL;
		struct gn_error err = { 0 };
		struct gn_frame f;
		char path[256];
		int n = 0;

		path_of(path, sizeof(path), "snap");
		write_frames(path, formats[i], 100);
		assert_int_equal(gn_pcap_open(path, NULL, &r, &err), 0);
		while (gn_pcap_next(r, &f, &err) == 1) {
			size_t cap = frames[n].len > 100 ? 100 : frames[n].len;

			assert_int_equal(f.meta.cap_len, cap);
			assert_int_equal(f.meta.wire_len, expect_wire(&frames[n]));
			assert_memory_equal(f.data, frames[n].data, cap);
			n++;
		}
		assert_int_equal(err.code, 0);
		assert_int_equal(n, NFRAMES);
		gn_pcap_close(r);
	}
}

/* "-" reads standard input and writes standard output. */
static void test_stdio(void **state)
{
	char path[256], path2[256];
	uint8_t *a, *b;
	size_t alen, blen;
	int saved, fd;

	(void)state;
	path_of(path, sizeof(path), "stdio-out.pcapng");
	path_of(path2, sizeof(path2), "stdio-ref.pcapng");
	write_frames(path2, GN_PCAPNG, 0);

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	write_frames("-", GN_PCAPNG, 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);

	/* same bytes as through a named file, times included */
	a = slurp(path, &alen);
	b = slurp(path2, &blen);
	assert_int_equal(alen, blen);
	assert_memory_equal(a, b, alen);
	free(a);
	free(b);

	saved = dup(STDIN_FILENO);
	fd = open(path, O_RDONLY);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDIN_FILENO);
	close(fd);
	clearerr(stdin);
	assert_int_equal(read_check("-", NULL, GN_PCAPNG, all_idx, NFRAMES), NFRAMES);
	dup2(saved, STDIN_FILENO);
	close(saved);
	clearerr(stdin);
}

/* ---- filters -------------------------------------------------------------- */

static void test_filter(void **state)
{
	static const int udp_idx[] = { 0, 2 };
	static const int tcp80_idx[] = { 1 };
	static const int arp_idx[] = { 3 };

	(void)state;
	for (int i = 0; i < 3; i++) {
		char path[256];

		path_of(path, sizeof(path), fmt_names[i]);
		write_frames(path, formats[i], 0);
		assert_int_equal(read_check(path, "udp", formats[i], udp_idx, 2), 2);
		assert_int_equal(read_check(path, "tcp and dst port 80", formats[i], tcp80_idx, 1), 1);
		assert_int_equal(read_check(path, "arp", formats[i], arp_idx, 1), 1);
		assert_int_equal(read_check(path, "udp port 1", formats[i], NULL, 0), 0);
		assert_int_equal(read_check(path, "", formats[i], all_idx, NFRAMES), NFRAMES);
	}
}

static void test_bad_filter(void **state)
{
	struct gn_pcap_reader *r = NULL;
	struct gn_error err = { 0 };
	char path[256];
	int rc;

	(void)state;
	path_of(path, sizeof(path), "bf.pcap");
	write_frames(path, GN_PCAP_US, 0);
	rc = gn_pcap_open(path, "udp and and port", &r, &err);
	assert_int_equal(rc, -EINVAL);
	assert_int_equal(err.code, -EINVAL);
	assert_null(r);
	assert_non_null(strstr(err.msg, "\"udp and and port\""));
	assert_non_null(strstr(err.msg, "syntax error"));
}

/* ---- damaged and foreign files ------------------------------------------- */

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* Offsets where the header ends and each packet record ends. */
static int record_ends(const uint8_t *b, size_t len, enum gn_pcap_format fmt,
		       size_t *hdr_end, size_t *ends)
{
	size_t o;
	int n = 0;

	if (fmt != GN_PCAPNG) {
		o = 24;
		*hdr_end = o;
		while (o + 16 <= len) {
			o += 16 + rd32(b + o + 8);
			ends[n++] = o;
		}
	} else {
		o = rd32(b + 4);       /* SHB */
		o += rd32(b + o + 4);  /* IDB */
		*hdr_end = o;
		while (o + 8 <= len) {
			o += rd32(b + o + 4);
			ends[n++] = o;
		}
	}
	assert_int_equal(o, len);
	return n;
}

/* Every prefix of a written file: open fails within the header, otherwise
 * the complete records come back intact, then EOF at a record boundary or
 * one error naming the file and the packet anywhere else. */
static void test_truncated(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		char path[256], cut[256];
		size_t len, hdr_end, ends[NFRAMES];
		uint8_t *buf;

		path_of(path, sizeof(path), fmt_names[i]);
		path_of(cut, sizeof(cut), "cut");
		write_frames(path, formats[i], 0);
		buf = slurp(path, &len);
		assert_int_equal(record_ends(buf, len, formats[i], &hdr_end, ends), NFRAMES);

		for (size_t at = 0; at < len; at++) {
			struct gn_pcap_reader *r = NULL;
			struct gn_error err = { 0 };
			struct gn_frame f;
			int complete = 0, n = 0, rc;
			bool boundary = at == hdr_end;

			spill(cut, buf, at);
			rc = gn_pcap_open(cut, NULL, &r, &err);
			if (at < hdr_end) {
				if (rc == 0)
					fail_msg("%s cut at %zu: opened", fmt_names[i], at);
				assert_int_equal(rc, err.code);
				assert_non_null(strstr(err.msg, cut));
				continue;
			}
			if (rc)
				fail_msg("%s cut at %zu: %s", fmt_names[i], at, err.msg);
			for (int k = 0; k < NFRAMES; k++) {
				if (ends[k] <= at)
					complete++;
				if (ends[k] == at)
					boundary = true;
			}
			while ((rc = gn_pcap_next(r, &f, &err)) == 1) {
				assert_true(n < complete);
				assert_int_equal(f.meta.cap_len, frames[n].len);
				assert_memory_equal(f.data, frames[n].data, frames[n].len);
				n++;
			}
			assert_int_equal(n, complete);
			if (boundary) {
				if (rc != 0)
					fail_msg("%s cut at %zu (boundary): %s", fmt_names[i], at, err.msg);
			} else {
				char want[64];

				if (rc >= 0)
					fail_msg("%s cut at %zu: no error after %d packets",
						 fmt_names[i], at, n);
				assert_int_equal(rc, -EBADMSG);
				assert_non_null(strstr(err.msg, cut));
				snprintf(want, sizeof(want), "packet %d:", complete + 1);
				assert_non_null(strstr(err.msg, want));
				/* the error is sticky */
				assert_int_equal(gn_pcap_next(r, &f, &err), -EBADMSG);
			}
			gn_pcap_close(r);
		}
		free(buf);
	}
}

/* A record that lies about its length: the packets before it, then an error. */
static void test_corrupt(void **state)
{
	(void)state;
	for (int i = 0; i < 3; i++) {
		struct gn_pcap_reader *r = NULL;
		struct gn_error err = { 0 };
		struct gn_frame f;
		char path[256];
		size_t len, hdr_end, ends[NFRAMES];
		uint8_t *buf;
		uint32_t bad;
		int n = 0, rc;

		path_of(path, sizeof(path), "corrupt");
		write_frames(path, formats[i], 0);
		buf = slurp(path, &len);
		record_ends(buf, len, formats[i], &hdr_end, ends);
		if (formats[i] == GN_PCAPNG) {
			bad = 13;  /* block length not a multiple of 4 */
			memcpy(buf + ends[1] + 4, &bad, 4);
		} else {
			bad = 0x7fffffff;  /* captured length beyond any snap length */
			memcpy(buf + ends[1] + 8, &bad, 4);
		}
		spill(path, buf, len);
		free(buf);
		assert_int_equal(gn_pcap_open(path, NULL, &r, &err), 0);
		while ((rc = gn_pcap_next(r, &f, &err)) == 1)
			n++;
		assert_int_equal(n, 2);
		assert_int_equal(rc, -EBADMSG);
		assert_non_null(strstr(err.msg, "packet 3:"));
		assert_non_null(strstr(err.msg, path));
		gn_pcap_close(r);
	}
}

static void test_not_pcap(void **state)
{
	static const char text[] = "this is a text file, not a capture\n";
	struct gn_pcap_reader *r = NULL;
	struct gn_error err = { 0 };
	char path[256];

	(void)state;
	path_of(path, sizeof(path), "text.txt");
	spill(path, text, sizeof(text) - 1);
	assert_int_equal(gn_pcap_open(path, NULL, &r, &err), -EBADMSG);
	assert_null(r);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "unknown file format"));

	memset(&err, 0, sizeof(err));
	path_of(path, sizeof(path), "empty");
	spill(path, "", 0);
	assert_true(gn_pcap_open(path, NULL, &r, &err) < 0);
	assert_non_null(strstr(err.msg, path));

	memset(&err, 0, sizeof(err));
	path_of(path, sizeof(path), "no/such/file.pcap");
	assert_int_equal(gn_pcap_open(path, NULL, &r, &err), -ENOENT);
	assert_non_null(strstr(err.msg, path));
	assert_non_null(strstr(err.msg, "No such file"));
}

/* ---- write errors --------------------------------------------------------- */

static void test_write_errors(void **state)
{
	struct gn_pcap_writer *w = NULL;
	struct gn_error err = { 0 };
	char path[256];

	(void)state;
	if (access("/dev/full", W_OK) == 0) {
		for (int i = 0; i < 3; i++) {
			int rc = 0;

			assert_int_equal(gn_pcap_create("/dev/full", formats[i], DLT_EN10MB, 0, &w,
							&err), 0);
			/* buffered: the error may surface on a write or at the end */
			for (int k = 0; k < 200 && !rc; k++)
				rc = gn_pcap_write(w, frames[2].data, frames[2].len, &frames[2].meta);
			if (rc)
				assert_int_equal(rc, -ENOSPC);
			assert_int_equal(gn_pcap_finish(w), -ENOSPC);
		}
	}

	path_of(path, sizeof(path), "no/such/dir.pcap");
	for (int i = 0; i < 3; i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(gn_pcap_create(path, formats[i], DLT_EN10MB, 0, &w, &err), -ENOENT);
		assert_null(w);
		assert_non_null(strstr(err.msg, path));
	}

	/* a link type no savefile can hold */
	memset(&err, 0, sizeof(err));
	path_of(path, sizeof(path), "badlink.pcapng");
	assert_int_equal(gn_pcap_create(path, GN_PCAPNG, 99999, 0, &w, &err), -EINVAL);
	assert_null(w);
	assert_non_null(strstr(err.msg, path));
}

/* Link types other than Ethernet survive the trip, DLT_RAW included
 * (stored as LINKTYPE_RAW 101, read back as DLT_RAW). */
static void test_linktypes_written(void **state)
{
	static const int dlts[] = { DLT_RAW, DLT_LINUX_SLL, DLT_NULL, DLT_IPV6 };

	(void)state;
	for (int i = 0; i < 3; i++) {
		for (size_t k = 0; k < sizeof(dlts) / sizeof(dlts[0]); k++) {
			struct gn_pcap_writer *w = NULL;
			struct gn_pcap_reader *r = NULL;
			struct gn_error err = { 0 };
			struct gn_frame f;
			char path[256];

			path_of(path, sizeof(path), "lt");
			assert_int_equal(gn_pcap_create(path, formats[i], dlts[k], 0, &w, &err), 0);
			assert_int_equal(gn_pcap_write(w, frames[0].data + 14, 46, &frames[0].meta), 0);
			assert_int_equal(gn_pcap_finish(w), 0);
			assert_int_equal(gn_pcap_open(path, NULL, &r, &err), 0);
			assert_int_equal(gn_pcap_linktype(r), dlts[k]);
			assert_int_equal(gn_pcap_next(r, &f, &err), 1);
			assert_int_equal(f.meta.linktype, dlts[k]);
			assert_memory_equal(f.data, frames[0].data + 14, 46);
			gn_pcap_close(r);
		}
	}
}

/* ---- tshark ----------------------------------------------------------------- */

static bool have_tshark(void)
{
	return system("tshark -v >/dev/null 2>&1") == 0;
}

/* "1700000000.123456789" -> ns, exactly */
static int64_t parse_epoch(const char *s)
{
	int64_t sec = strtoll(s, NULL, 10), frac = 0;
	const char *dot = strchr(s, '.');
	int digits = 0;

	if (dot) {
		for (const char *p = dot + 1; *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
			frac = frac * 10 + (*p - '0');
	}
	for (; digits < 9; digits++)
		frac *= 10;
	return sec * 1000000000 + frac;
}

struct tshark_row {
	uint32_t len, caplen;
	int64_t ts;
};

static int tshark_read(const char *path, struct tshark_row *rows, int max)
{
	char cmd[512], line[256];
	FILE *p;
	int n = 0;

	snprintf(cmd, sizeof(cmd),
		 "tshark -r '%s' -T fields -e frame.len -e frame.cap_len -e frame.time_epoch "
		 "2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;

		if (!t2 || n >= max)
			continue;
		rows[n].len = (uint32_t)strtoul(line, NULL, 10);
		rows[n].caplen = (uint32_t)strtoul(t1 + 1, NULL, 10);
		rows[n].ts = parse_epoch(t2 + 1);
		n++;
	}
	pclose(p);
	return n;
}

static void test_tshark_agrees(void **state)
{
	(void)state;
	if (!have_tshark())
		skip();
	for (int i = 0; i < 3; i++) {
		struct tshark_row rows[NFRAMES + 1];
		char path[256];
		int n;

		path_of(path, sizeof(path), fmt_names[i]);
		write_frames(path, formats[i], 0);
		n = tshark_read(path, rows, NFRAMES + 1);
		assert_int_equal(n, NFRAMES);
		for (int k = 0; k < n; k++) {
			assert_int_equal(rows[k].len, expect_wire(&frames[k]));
			assert_int_equal(rows[k].caplen, frames[k].len);
			assert_int_equal(rows[k].ts, expect_ts(formats[i], frames[k].meta.ts_ns));
		}
	}
}

/* ---- real captures -------------------------------------------------------- */

static const char *corpus_dir(void)
{
	static const char *const candidates[] = {
		"../shared/corpus/tcpdump-tests", "../../shared/corpus/tcpdump-tests",
		"../../../shared/corpus/tcpdump-tests",
	};
	static char from_root[4096];
	const char *env = getenv("GN_CORPUS");
	const char *root = getenv("GANNET_ROOT");
	struct stat st;

	if (env)
		return env;
	if (root) {
		snprintf(from_root, sizeof(from_root), "%s/../shared/corpus/tcpdump-tests", root);
		if (stat(from_root, &st) == 0 && S_ISDIR(st.st_mode))
			return from_root;
	}
	for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++)
		if (stat(candidates[i], &st) == 0 && S_ISDIR(st.st_mode))
			return candidates[i];
	return NULL;
}

struct corpus_case {
	const char *file;
	int dlt;
	const char *first;   /* class of the first layer */
	const char *second;  /* class of the layer it carries */
};

static const struct corpus_case corpus_cases[] = {
	{ "tcp-handshake-nano.pcap", DLT_LINUX_SLL, "CookedLinux", "IP" },  /* ns times */
	{ "bgp-orf.pcapng", DLT_LINUX_SLL, "CookedLinux", "IPv6" },
	{ "LINKTYPE_RAW_ipv4.pcap", DLT_RAW, "IP", NULL },
	{ "LINKTYPE_RAW_ipv6.pcap", DLT_RAW, "IPv6", NULL },
	{ "LINKTYPE_IPV4.pcap", DLT_IPV4, "IP", NULL },
	{ "LINKTYPE_IPV6.pcap", DLT_IPV6, "IPv6", NULL },
	{ "ikev2four.pcap", DLT_NULL, "Loopback", "IP" },
	{ "ospf2-seg-fault-1.pcapng", DLT_NULL, "Loopback", "IP" },
	{ "OSPFv2_Capture_FINAL.pcapng", DLT_EN10MB, "Ether", "IP" },
	{ "aarp-heapoverflow-1.pcap", DLT_EN10MB, "Ether", NULL },  /* 0x30000001 */
	{ "isup.pcap", DLT_EN10MB, "Ether", NULL },                 /* big-endian pcap */
	{ "hdlc_slarp.pcapng", DLT_C_HDLC, "Raw", NULL },
};

static void test_corpus_linktypes(void **state)
{
	const char *dir = corpus_dir();
	bool tshark = have_tshark();
	struct gn_packet *pkt;

	(void)state;
	if (!dir)
		skip();
	pkt = gn_packet_new();
	assert_non_null(pkt);
	for (size_t i = 0; i < sizeof(corpus_cases) / sizeof(corpus_cases[0]); i++) {
		const struct corpus_case *c = &corpus_cases[i];
		struct tshark_row rows[64];
		struct gn_pcap_reader *r = NULL;
		struct gn_error err = { 0 };
		struct gn_frame f;
		char path[512];
		int n = 0, nt = 0, rc;

		snprintf(path, sizeof(path), "%s/%s", dir, c->file);
		rc = gn_pcap_open(path, NULL, &r, &err);
		if (rc)
			fail_msg("%s: %s", c->file, err.msg);
		if (gn_pcap_linktype(r) != c->dlt)
			fail_msg("%s: link type %d, expected %d", c->file, gn_pcap_linktype(r), c->dlt);
		if (tshark)
			nt = tshark_read(path, rows, 64);
		while ((rc = gn_pcap_next(r, &f, &err)) == 1) {
			if (n == 0) {
				const struct gn_proto *p =
					gn_proto_for_linktype(f.meta.linktype, f.data, f.meta.cap_len);

				assert_non_null(p);
				if (strcmp(p->name, c->first))
					fail_msg("%s: first layer %s, expected %s", c->file,
						 p->name, c->first);
				assert_int_equal(gn_dissect(pkt, p, f.data, f.meta.cap_len), 0);
				assert_true(pkt->n >= 1);
				assert_string_equal(pkt->layers[0].proto->name, c->first);
				if (c->second) {
					assert_true(pkt->n >= 2);
					if (strcmp(pkt->layers[1].proto->name, c->second))
						fail_msg("%s: second layer %s, expected %s", c->file,
							 pkt->layers[1].proto->name, c->second);
				}
			}
			if (tshark && n < nt && n < 64) {
				if (rows[n].len != f.meta.wire_len || rows[n].caplen != f.meta.cap_len ||
				    rows[n].ts != f.meta.ts_ns)
					fail_msg("%s packet %d: tshark %u/%u/%" PRId64
						 ", gannet %u/%u/%" PRId64, c->file, n + 1, rows[n].len,
						 rows[n].caplen, rows[n].ts, f.meta.wire_len,
						 f.meta.cap_len, f.meta.ts_ns);
			}
			n++;
		}
		if (rc)
			fail_msg("%s: %s", c->file, err.msg);
		assert_true(n > 0);
		if (tshark && n <= 64)
			assert_int_equal(n, nt);
		gn_pcap_close(r);
	}
	gn_packet_free(pkt);
}

/* Every capture of the corpus, damaged ones included, reads to its end or
 * to one error, with every frame inside its bounds. */
static void test_corpus_all(void **state)
{
	const char *dir = corpus_dir();
	struct dirent *de;
	DIR *d;
	int files = 0;

	(void)state;
	if (!dir)
		skip();
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct gn_pcap_reader *r = NULL;
		struct gn_error err = { 0 };
		struct gn_frame f;
		char path[1024];
		unsigned sum = 0;
		int rc;

		if (!strstr(de->d_name, ".pcap"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (gn_pcap_open(path, NULL, &r, &err)) {
			assert_true(err.code < 0 && err.msg[0]);
			continue;
		}
		while ((rc = gn_pcap_next(r, &f, &err)) == 1) {
			assert_true(f.meta.cap_len <= 262144);
			/* touch both ends, so ASan checks the frame's bounds */
			if (f.meta.cap_len)
				sum += f.data[0] + f.data[f.meta.cap_len - 1];
		}
		(void)sum;
		if (rc)
			assert_true(rc < 0 && err.code == rc && strstr(err.msg, de->d_name));
		assert_true(gn_pcap_linktype(r) >= 0 && gn_pcap_linktype(r) <= 0x03FFFFFF);
		gn_pcap_close(r);
		files++;
	}
	closedir(d);
	assert_true(files > 100);
}

/* ---- synthetic link-type mapping ------------------------------------------ */

static void test_proto_for_linktype(void **state)
{
	static const uint8_t v4[] = { 0x45, 0 }, v6[] = { 0x60, 0 }, junk[] = { 0x12 };
	static const struct {
		int lt;
		const uint8_t *data;
		size_t len;
		const char *name;
	} cases[] = {
		{ DLT_EN10MB, v4, 2, "Ether" },
		{ DLT_LINUX_SLL, v4, 2, "CookedLinux" },
		{ DLT_LINUX_SLL2, v4, 2, "CookedLinuxV2" },
		{ DLT_NULL, v4, 2, "Loopback" },
		{ DLT_LOOP, v4, 2, "Loopback" },
		{ DLT_RAW, v4, 2, "IP" },
		{ DLT_RAW, v6, 2, "IPv6" },
		{ DLT_RAW, junk, 1, "IP" },
		{ DLT_RAW, NULL, 0, "IP" },
		{ 101, v6, 2, "IPv6" },
		{ DLT_IPV4, v4, 2, "IP" },
		{ DLT_IPV4, v6, 2, "IPv6" },
		{ DLT_IPV6, v6, 2, "IPv6" },
		{ DLT_IPV6, junk, 1, "IPv6" },
		{ DLT_IEEE802_11, v4, 2, "Raw" },
		{ 99999, v4, 2, "Raw" },
		{ -1, v4, 2, "Raw" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct gn_proto *p = gn_proto_for_linktype(cases[i].lt, cases[i].data,
								 cases[i].len);

		assert_non_null(p);
		if (strcmp(p->name, cases[i].name))
			fail_msg("link type %d: %s, expected %s", cases[i].lt, p->name,
				 cases[i].name);
	}
}

/* ---- setup ----------------------------------------------------------------- */

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	make_frames();
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_format_for),
		cmocka_unit_test(test_now),
		cmocka_unit_test(test_snaplen),
		cmocka_unit_test(test_stdio),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_bad_filter),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_not_pcap),
		cmocka_unit_test(test_write_errors),
		cmocka_unit_test(test_linktypes_written),
		cmocka_unit_test(test_tshark_agrees),
		cmocka_unit_test(test_proto_for_linktype),
		cmocka_unit_test(test_corpus_linktypes),
		cmocka_unit_test(test_corpus_all),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
