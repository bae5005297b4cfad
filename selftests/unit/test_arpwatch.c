// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ARP monitor's table (user/arpwatch*.c): frames in, arpwatch's events
 * out (new station, changed ethernet address, flip flop, ethernet
 * mismatch), what is ignored, the text and JSON lines, and the state file
 * written, read back by a new table, and refused when malformed.
 */
#include <dirent.h>
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

#define MAX_EV 16

struct rec {
	struct gn_arpwatch_event ev[MAX_EV];
	unsigned n;
};

static int keep(void *ctx, const struct gn_arpwatch_event *ev)
{
	struct rec *r = ctx;

	assert_true(r->n < MAX_EV);
	r->ev[r->n++] = *ev;
	return 0;
}

static const uint8_t MAC1[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t MAC2[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t MAC3[6] = { 0x02, 0, 0, 0, 0, 0x03 };
static const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* An Ethernet/ARP frame (60 bytes, padded as on the wire). */
static void arp_frame(uint8_t buf[60], struct gn_frame *f, unsigned op, const uint8_t eth_src[6],
		      const uint8_t sha[6], const char *spa, const char *tpa, int64_t ts_s)
{
	unsigned a[4], b[4];

	memset(buf, 0, 60);
	memcpy(buf, BCAST, 6);
	memcpy(buf + 6, eth_src, 6);
	buf[12] = 0x08, buf[13] = 0x06;
	buf[15] = 1;                       /* htype Ethernet */
	buf[16] = 0x08, buf[17] = 0x00;    /* ptype IPv4 */
	buf[18] = 6, buf[19] = 4;
	buf[21] = (uint8_t)op;
	memcpy(buf + 22, sha, 6);
	assert_int_equal(sscanf(spa, "%u.%u.%u.%u", &a[0], &a[1], &a[2], &a[3]), 4);
	assert_int_equal(sscanf(tpa, "%u.%u.%u.%u", &b[0], &b[1], &b[2], &b[3]), 4);
	for (int i = 0; i < 4; i++) {
		buf[28 + i] = (uint8_t)a[i];
		buf[38 + i] = (uint8_t)b[i];
	}
	memset(f, 0, sizeof(*f));
	f->data = buf;
	f->meta.wire_len = f->meta.cap_len = 60;
	f->meta.ts_ns = ts_s * 1000000000;
	f->meta.linktype = 1;
}

static struct rec feed(struct gn_arpwatch *w, unsigned op, const uint8_t eth_src[6],
		       const uint8_t sha[6], const char *spa, int64_t ts_s)
{
	struct rec r = { .n = 0 };
	struct gn_frame f;
	uint8_t buf[60];

	arp_frame(buf, &f, op, eth_src, sha, spa, "10.0.0.254", ts_s);
	assert_int_equal(gn_arpwatch_frame(w, &f, "eth0", keep, &r), 0);
	return r;
}

static char *line(const struct gn_arpwatch_event *ev, bool json)
{
	static struct gn_strbuf sb;

	gn_sb_free(&sb);
	gn_sb_init(&sb);
	gn_arpwatch_format(ev, json, &sb);
	assert_int_equal(sb.err, 0);
	return sb.s;
}

static struct gn_arpwatch *new_watch(const char *state)
{
	struct gn_arpwatch_opts o = { .sz = sizeof(o), .state_path = state };
	struct gn_error err = { 0 };
	struct gn_arpwatch *w = NULL;

	if (gn_arpwatch_new(&o, &w, &err))
		fail_msg("gn_arpwatch_new: %s", err.msg);
	return w;
}

static void test_events(void **state)
{
	struct gn_arpwatch *w = new_watch(NULL);
	struct gn_arpwatch_stats st;
	struct rec r;

	(void)state;
	r = feed(w, 1, MAC1, MAC1, "10.0.0.1", 100);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[0].kind, GN_ARPWATCH_ARP);
	assert_int_equal(r.ev[0].op, 1);
	assert_string_equal(line(&r.ev[0], false), "02:00:00:00:00:01 10.0.0.1");
	assert_int_equal(r.ev[1].kind, GN_ARPWATCH_NEW);
	assert_string_equal(r.ev[1].ifname, "eth0");

	r = feed(w, 2, MAC1, MAC1, "10.0.0.1", 101);   /* known: the ARP line only */
	assert_int_equal(r.n, 1);

	r = feed(w, 2, MAC2, MAC2, "10.0.0.1", 102);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1].kind, GN_ARPWATCH_CHANGED);
	assert_memory_equal(r.ev[1].mac, MAC2, 6);
	assert_memory_equal(r.ev[1].old_mac, MAC1, 6);
	assert_true(r.ev[1].old_seen_ns == 101 * 1000000000ll);

	r = feed(w, 1, MAC1, MAC1, "10.0.0.1", 103);   /* back to the one before */
	assert_int_equal(r.n, 2);
	assert_int_equal(r.ev[1].kind, GN_ARPWATCH_FLIPFLOP);
	assert_memory_equal(r.ev[1].old_mac, MAC2, 6);

	r = feed(w, 1, MAC3, MAC3, "10.0.0.1", 104);   /* a third one: changed */
	assert_int_equal(r.ev[1].kind, GN_ARPWATCH_CHANGED);

	r = feed(w, 1, MAC3, MAC2, "10.0.0.2", 105);   /* ARP says MAC2, Ethernet MAC3 */
	assert_int_equal(r.n, 3);
	assert_int_equal(r.ev[1].kind, GN_ARPWATCH_NEW);
	assert_int_equal(r.ev[2].kind, GN_ARPWATCH_MISMATCH);
	assert_memory_equal(r.ev[2].eth_src, MAC3, 6);

	r = feed(w, 1, MAC3, MAC3, "0.0.0.0", 106);    /* an address probe */
	assert_int_equal(r.n, 1);
	r = feed(w, 1, MAC3, BCAST, "10.0.0.3", 107);  /* nobody's address */
	assert_int_equal(r.n, 1);
	r = feed(w, 3, MAC3, MAC3, "10.0.0.4", 108);   /* neither who-has nor is-at */
	assert_int_equal(r.n, 0);

	gn_arpwatch_stats(w, &st);
	assert_int_equal(st.frames, 9);
	assert_int_equal(st.arp, 8);
	assert_int_equal(st.events, 6);
	assert_int_equal(st.stations, 2);
	assert_int_equal(gn_arpwatch_close(w, NULL), 0);
}

static void test_not_arp(void **state)
{
	struct gn_arpwatch *w = new_watch(NULL);
	struct rec r = { .n = 0 };
	struct gn_frame f;
	uint8_t buf[60];

	(void)state;
	arp_frame(buf, &f, 1, MAC1, MAC1, "10.0.0.1", "10.0.0.2", 1);
	buf[13] = 0x00;                           /* IPv4, not ARP */
	assert_int_equal(gn_arpwatch_frame(w, &f, "eth0", keep, &r), 0);
	buf[13] = 0x06;
	f.meta.cap_len = 41;                      /* cut short of the ARP header */
	assert_int_equal(gn_arpwatch_frame(w, &f, "eth0", keep, &r), 0);
	f.meta.cap_len = 60;
	buf[19] = 16;                             /* ARP for IPv6-sized addresses */
	assert_int_equal(gn_arpwatch_frame(w, &f, "eth0", keep, &r), 0);
	assert_int_equal(r.n, 0);
	gn_arpwatch_close(w, NULL);
}

static void test_format(void **state)
{
	struct gn_arpwatch *w = new_watch(NULL);
	struct rec r;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	feed(w, 1, MAC1, MAC1, "10.0.0.1", 1748772000);
	r = feed(w, 2, MAC2, MAC2, "10.0.0.1", 1748772060);
	assert_string_equal(line(&r.ev[1], false),
			    "2025-06-01T10:01:00+00:00 changed ethernet address 10.0.0.1 "
			    "02:00:00:00:00:02 (02:00:00:00:00:01) eth0");
	assert_string_equal(line(&r.ev[1], true),
			    "{\"event\":\"changed ethernet address\",\"time\":\"2025-06-01T10:01:00+00:00\","
			    "\"ts\":1748772060.000000,\"iface\":\"eth0\",\"ip\":\"10.0.0.1\","
			    "\"mac\":\"02:00:00:00:00:02\",\"old_mac\":\"02:00:00:00:00:01\","
			    "\"old_seen\":\"2025-06-01T10:00:00+00:00\"}");
	assert_string_equal(line(&r.ev[0], true),
			    "{\"event\":\"arp\",\"time\":\"2025-06-01T10:01:00+00:00\","
			    "\"ts\":1748772060.000000,\"iface\":\"eth0\",\"op\":\"is-at\","
			    "\"hwsrc\":\"02:00:00:00:00:02\",\"psrc\":\"10.0.0.1\",\"pdst\":\"10.0.0.254\"}");
	r = feed(w, 1, MAC3, MAC1, "10.0.0.9", 1748772120);
	assert_string_equal(line(&r.ev[1], false),
			    "2025-06-01T10:02:00+00:00 new station 10.0.0.9 02:00:00:00:00:01 eth0");
	assert_string_equal(line(&r.ev[2], false),
			    "2025-06-01T10:02:00+00:00 ethernet mismatch 10.0.0.9 02:00:00:00:00:01 "
			    "(02:00:00:00:00:03) eth0");
	gn_arpwatch_close(w, NULL);
}

/* Files in dir whose name starts with prefix. */
static unsigned count_files(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	unsigned n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(d);
	return n;
}

static void test_state_file(void **state)
{
	char dir[] = "/tmp/gn-arpwatch-XXXXXX", path[64], text[512];
	struct gn_error err = { 0 };
	struct gn_arpwatch *w;
	struct rec r;
	size_t len;
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/arp.dat", dir);

	w = new_watch(path);                       /* no file yet: empty */
	feed(w, 1, MAC1, MAC1, "10.0.0.1", 1000);
	feed(w, 1, MAC2, MAC2, "10.0.0.1", 1001);  /* changed: MAC1 is the one before */
	feed(w, 1, MAC3, MAC3, "10.0.0.2", 1002);
	assert_int_equal(gn_arpwatch_flush(w, false, &err), 0);  /* new stations: at once */
	assert_int_equal(gn_arpwatch_close(w, &err), 0);
	fp = fopen(path, "r");
	assert_non_null(fp);
	len = fread(text, 1, sizeof(text) - 1, fp);
	text[len] = 0;
	fclose(fp);
	assert_string_equal(text,
			    "# gannet arpmon stations: IP MAC LAST-SEEN INTERFACE PREVIOUS-MAC\n"
			    "10.0.0.1\t02:00:00:00:00:02\t1001\teth0\t02:00:00:00:00:01\n"
			    "10.0.0.2\t02:00:00:00:00:03\t1002\teth0\t-\n");
	assert_int_equal(count_files(dir, "arp.dat."), 0);  /* no temporary left */

	w = new_watch(path);                       /* a restart: both known */
	r = feed(w, 1, MAC2, MAC2, "10.0.0.1", 2000);
	assert_int_equal(r.n, 1);
	r = feed(w, 1, MAC1, MAC1, "10.0.0.1", 2001);  /* and what came before */
	assert_int_equal(r.ev[1].kind, GN_ARPWATCH_FLIPFLOP);
	assert_true(r.ev[1].old_seen_ns == 2000 * 1000000000ll);
	gn_arpwatch_close(w, &err);

	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("# comment\n10.0.0.1 0:0:5e:0:53:1 1000 eth0\n10.0.0.2 02:00:00:00:00:zz 1 eth0\n", fp);
	fclose(fp);
	w = NULL;
	{
		struct gn_arpwatch_opts o = { .sz = sizeof(o), .state_path = path };

		assert_int_equal(gn_arpwatch_new(&o, &w, &err), -EINVAL);
		assert_null(w);
		assert_non_null(strstr(err.msg, "arp.dat:3: '02:00:00:00:00:zz' is not a MAC address"));
	}
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events),
		cmocka_unit_test(test_not_arp),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_state_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
