// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ARP monitor's state file: the stations, one per line, so that a
 * restart knows them and reports only what is really new.
 *
 *   # gannet arpmon stations: IP MAC LAST-SEEN INTERFACE PREVIOUS-MAC
 *   10.0.0.2	02:00:00:00:00:02	1748772000	eth0	-
 *
 * LAST-SEEN is in seconds since the epoch, PREVIOUS-MAC "-" when the
 * station never changed (it is what "flip flop" compares with).  The file
 * is written whole into a new file beside it, synced, then renamed over the
 * old one: a crash leaves the old file or the new one, never half of one.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arpwatch_int.h"

#define HEADER "# gannet arpmon stations: IP MAC LAST-SEEN INTERFACE PREVIOUS-MAC\n"

/* aa:bb:cc:dd:ee:ff, or arpwatch's 0:b:c:d:e:f (one or two digits each). */
static bool parse_mac(const char *s, uint8_t m[6])
{
	for (int i = 0; i < 6; i++) {
		char *end;
		unsigned long v;

		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
			return false;
		v = strtoul(s, &end, 16);
		if (end - s > 2 || v > 255 || *end != (i < 5 ? ':' : '\0'))
			return false;
		m[i] = (uint8_t)v;
		s = end + (i < 5);
	}
	return true;
}

static int parse_line(struct gn_arpwatch *w, char *line, const char *path, unsigned ln,
		      struct gn_error *err)
{
	char *f[6], *save = NULL, *end;
	struct gn_arpw_station *s;
	uint8_t ip[4], mac[6], prev[6];
	unsigned long long seen;
	int n = 0;

	for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save))
		f[n < 6 ? n++ : 5] = t;
	if (!n || f[0][0] == '#')
		return 0;
	if (n < 4 || n > 5)
		return gn_error_set(err, -EINVAL, 0,
				    "%s:%u: %d fields; want IP MAC LAST-SEEN INTERFACE [PREVIOUS-MAC]",
				    path, ln, n);
	if (inet_pton(AF_INET, f[0], ip) != 1)
		return gn_error_set(err, -EINVAL, 0, "%s:%u: '%s' is not an IPv4 address", path, ln,
				    f[0]);
	if (!parse_mac(f[1], mac))
		return gn_error_set(err, -EINVAL, 0, "%s:%u: '%s' is not a MAC address", path, ln,
				    f[1]);
	errno = 0;
	seen = strtoull(f[2], &end, 10);
	if (errno || *end || end == f[2] || seen > (unsigned long long)INT64_MAX / 1000000000)
		return gn_error_set(err, -EINVAL, 0, "%s:%u: '%s' is not a time (seconds since 1970)",
				    path, ln, f[2]);
	if (strlen(f[3]) >= GN_IFNAMSIZ)
		return gn_error_set(err, -EINVAL, 0, "%s:%u: interface name '%s' is too long", path,
				    ln, f[3]);
	if (n == 5 && strcmp(f[4], "-") && !parse_mac(f[4], prev))
		return gn_error_set(err, -EINVAL, 0, "%s:%u: '%s' is not a MAC address (or -)", path,
				    ln, f[4]);
	s = gn_arpw_find(w, ip, f[3], true);
	if (!s)
		return gn_error_set(err, -ENOMEM, 0, "%s:%u: too many stations", path, ln);
	memcpy(s->mac, mac, 6);
	s->last_ns = (int64_t)seen * 1000000000;
	if (n == 5 && strcmp(f[4], "-")) {
		memcpy(s->prev_mac, prev, 6);
		s->has_prev = 1;
	}
	return 0;
}

int gn_arpw_load(struct gn_arpwatch *w, struct gn_error *err)
{
	FILE *fp = fopen(w->state_path, "re");
	char *line = NULL;
	size_t cap = 0;
	unsigned ln = 0;
	int rc = 0;

	if (!fp) {
		if (errno == ENOENT)
			return 0;  /* the first run */
		return gn_error_set(err, -errno, 0, "%s: %s", w->state_path, strerror(errno));
	}
	while (!rc && getline(&line, &cap, fp) >= 0)
		rc = parse_line(w, line, w->state_path, ++ln, err);
	if (!rc && ferror(fp))
		rc = gn_error_set(err, -EIO, 0, "%s: read error", w->state_path);
	free(line);
	fclose(fp);
	return rc;
}

static int by_iface_ip(const void *a, const void *b)
{
	const struct gn_arpw_station *x = *(const struct gn_arpw_station *const *)a;
	const struct gn_arpw_station *y = *(const struct gn_arpw_station *const *)b;
	int c = strcmp(x->ifname, y->ifname);

	return c ? c : memcmp(x->ip, y->ip, 4);
}

static void write_station(FILE *fp, const struct gn_arpw_station *s)
{
	const uint8_t *m = s->mac, *p = s->prev_mac;

	fprintf(fp, "%u.%u.%u.%u\t%02x:%02x:%02x:%02x:%02x:%02x\t%lld\t%s\t", s->ip[0], s->ip[1],
		s->ip[2], s->ip[3], m[0], m[1], m[2], m[3], m[4], m[5],
		(long long)(s->last_ns / 1000000000), s->ifname);
	if (s->has_prev)
		fprintf(fp, "%02x:%02x:%02x:%02x:%02x:%02x\n", p[0], p[1], p[2], p[3], p[4], p[5]);
	else
		fputs("-\n", fp);
}

int gn_arpw_save(struct gn_arpwatch *w, struct gn_error *err)
{
	const struct gn_arpw_station **v = NULL;
	size_t n = 0, plen = strlen(w->state_path);
	char *tmp = malloc(plen + 8);
	FILE *fp = NULL;
	int fd, e = 0;

	if (!tmp || (w->n && !(v = malloc(w->n * sizeof(*v))))) {
		free(tmp);
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	}
	for (size_t i = 0; i < w->cap; i++)
		if (w->tab[i].used)
			v[n++] = &w->tab[i];
	if (n)
		qsort(v, n, sizeof(*v), by_iface_ip);
	memcpy(tmp, w->state_path, plen);
	memcpy(tmp + plen, ".XXXXXX", 8);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0 || fchmod(fd, 0644) || !(fp = fdopen(fd, "w"))) {
		e = errno;
	} else {
		fputs(HEADER, fp);
		for (size_t i = 0; i < n; i++)
			write_station(fp, v[i]);
		if (fflush(fp) || fsync(fd) || rename(tmp, w->state_path))
			e = errno;
	}
	if (fp)
		fclose(fp);
	else if (fd >= 0)
		close(fd);
	if (e && fd >= 0)
		unlink(tmp);
	free(tmp);
	free(v);
	if (e)
		return gn_error_set(err, -e, 0, "%s: writing the stations: %s", w->state_path,
				    strerror(e));
	return 0;
}
