// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The ARP monitor's table and events.  A station is an IPv4 address on an
 * interface and the Ethernet address it last sent ARP from; arpwatch's
 * words for what can happen to it are kept ("new station", "changed
 * ethernet address", "flip flop", "ethernet mismatch"), so that whoever
 * reads arpwatch's reports reads these.
 *
 * The frame is read here, not dissected: a monitor sees every ARP frame of
 * a LAN, and 42 bytes at known offsets need no packet model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arpwatch_int.h"

#define ETH_HLEN 14
#define ARP_LEN 28
#define ETH_P_ARP 0x0806

int64_t gn_arpw_now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- the table ------------------------------------------------------------ */

static size_t slot_of(const uint8_t ip[4], const char *ifname, size_t cap)
{
	/* FNV-1a over the address and the name */
	uint32_t h = 2166136261u;

	for (int i = 0; i < 4; i++)
		h = (h ^ ip[i]) * 16777619u;
	for (const char *p = ifname; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h & (cap - 1);
}

static struct gn_arpw_station *probe(struct gn_arpw_station *tab, size_t cap,
				     const uint8_t ip[4], const char *ifname)
{
	size_t i = slot_of(ip, ifname, cap);

	while (tab[i].used && (memcmp(tab[i].ip, ip, 4) || strcmp(tab[i].ifname, ifname)))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int grow(struct gn_arpwatch *w)
{
	size_t cap = w->cap ? w->cap * 2 : 64;
	struct gn_arpw_station *tab = calloc(cap, sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (size_t i = 0; i < w->cap; i++)
		if (w->tab[i].used)
			*probe(tab, cap, w->tab[i].ip, w->tab[i].ifname) = w->tab[i];
	free(w->tab);
	w->tab = tab;
	w->cap = cap;
	return 0;
}

struct gn_arpw_station *gn_arpw_find(struct gn_arpwatch *w, const uint8_t ip[4],
				     const char *ifname, bool add)
{
	struct gn_arpw_station *s;

	if (w->cap) {
		s = probe(w->tab, w->cap, ip, ifname);
		if (s->used || !add)
			return s->used ? s : NULL;
	}
	if (!add || w->n >= GN_ARPW_MAX_STATIONS || strlen(ifname) >= GN_IFNAMSIZ)
		return NULL;
	/* at most half full: probes stay short */
	if ((w->n + 1) * 2 > w->cap && grow(w))
		return NULL;
	s = probe(w->tab, w->cap, ip, ifname);
	memset(s, 0, sizeof(*s));
	s->used = 1;
	memcpy(s->ip, ip, 4);
	strcpy(s->ifname, ifname);
	w->n++;
	return s;
}

/* ---- life ------------------------------------------------------------------ */

int gn_arpwatch_new(const struct gn_arpwatch_opts *opts, struct gn_arpwatch **out,
		    struct gn_error *err)
{
	struct gn_arpwatch_opts o = { 0 };
	struct gn_arpwatch *w;
	int rc;

	*out = NULL;
	if (opts) {
		if (opts->sz < sizeof(opts->sz))
			return gn_error_set(err, -EINVAL, 0, "gn_arpwatch_new: opts.sz not set");
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return gn_error_set(err, -ENOMEM, 0, "out of memory");
	w->save_interval_ns = (uint64_t)(o.save_interval_s ? o.save_interval_s : 60) * 1000000000;
	w->saved_ns = gn_arpw_now(CLOCK_MONOTONIC);
	if (o.state_path && *o.state_path) {
		w->state_path = strdup(o.state_path);
		if (!w->state_path) {
			free(w);
			return gn_error_set(err, -ENOMEM, 0, "out of memory");
		}
		rc = gn_arpw_load(w, err);
		if (rc) {
			gn_arpwatch_close(w, NULL);
			return rc;
		}
	}
	*out = w;
	return 0;
}

int gn_arpwatch_flush(struct gn_arpwatch *w, bool force, struct gn_error *err)
{
	int64_t now;
	int rc;

	if (!w->state_path || !w->dirty)
		return 0;
	now = gn_arpw_now(CLOCK_MONOTONIC);
	if (!force && !w->dirty_now && (uint64_t)(now - w->saved_ns) < w->save_interval_ns)
		return 0;
	rc = gn_arpw_save(w, err);
	/* A failed write is not retried at every frame: at the next interval. */
	w->saved_ns = now;
	if (!rc)
		w->dirty = w->dirty_now = false;
	return rc;
}

int gn_arpwatch_close(struct gn_arpwatch *w, struct gn_error *err)
{
	int rc;

	if (!w)
		return 0;
	rc = err ? gn_arpwatch_flush(w, true, err) : 0;
	free(w->state_path);
	free(w->tab);
	free(w);
	return rc;
}

void gn_arpwatch_stats(const struct gn_arpwatch *w, struct gn_arpwatch_stats *st)
{
	*st = w->st;
	st->stations = w->n;
}

/* ---- frames into events ------------------------------------------------------ */

static bool mac_usable(const uint8_t m[6])
{
	static const uint8_t zero[6];

	/* group bit: broadcast and multicast are nobody's own address */
	return !(m[0] & 1) && memcmp(m, zero, 6);
}

static int emit(struct gn_arpwatch *w, gn_arpwatch_fn fn, void *ctx, struct gn_arpwatch_event *ev,
		enum gn_arpwatch_kind kind)
{
	ev->kind = kind;
	if (kind != GN_ARPWATCH_ARP)
		w->st.events++;
	return fn ? fn(ctx, ev) : 0;
}

/* What the sender of an ARP frame means for the table. */
static int update(struct gn_arpwatch *w, struct gn_arpwatch_event *ev, gn_arpwatch_fn fn,
		  void *ctx)
{
	struct gn_arpw_station *s = gn_arpw_find(w, ev->ip, ev->ifname, false);
	enum gn_arpwatch_kind kind;

	if (s && !memcmp(s->mac, ev->mac, 6)) {
		s->last_ns = ev->ts_ns;
		w->dirty = true;
		return 0;
	}
	if (!s) {
		s = gn_arpw_find(w, ev->ip, ev->ifname, true);
		if (s) {
			memcpy(s->mac, ev->mac, 6);
			s->last_ns = ev->ts_ns;
			w->dirty = w->dirty_now = true;
		}
		return emit(w, fn, ctx, ev, GN_ARPWATCH_NEW);
	}
	kind = s->has_prev && !memcmp(s->prev_mac, ev->mac, 6) ? GN_ARPWATCH_FLIPFLOP :
								  GN_ARPWATCH_CHANGED;
	memcpy(ev->old_mac, s->mac, 6);
	ev->old_seen_ns = s->last_ns;
	memcpy(s->prev_mac, s->mac, 6);
	s->has_prev = 1;
	memcpy(s->mac, ev->mac, 6);
	s->last_ns = ev->ts_ns;
	w->dirty = w->dirty_now = true;
	return emit(w, fn, ctx, ev, kind);
}

int gn_arpwatch_frame(struct gn_arpwatch *w, const struct gn_frame *f, const char *ifname,
		      gn_arpwatch_fn fn, void *ctx)
{
	static const uint8_t any[4];
	struct gn_arpwatch_event ev;
	const uint8_t *d = f->data, *a;
	int rc;

	w->st.frames++;
	/* Ethernet/IPv4 ARP: htype 1, ptype 0x0800, hlen 6, plen 4 */
	if (f->meta.cap_len < ETH_HLEN + ARP_LEN || ((d[12] << 8) | d[13]) != ETH_P_ARP)
		return 0;
	a = d + ETH_HLEN;
	if (((a[0] << 8) | a[1]) != 1 || ((a[2] << 8) | a[3]) != 0x0800 || a[4] != 6 || a[5] != 4)
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.op = (unsigned)((a[6] << 8) | a[7]);
	if (ev.op != 1 && ev.op != 2)
		return 0;
	w->st.arp++;
	ev.ts_ns = f->meta.ts_ns ? f->meta.ts_ns : gn_arpw_now(CLOCK_REALTIME);
	ev.ifname = ifname ? ifname : "";
	memcpy(ev.mac, a + 8, 6);
	memcpy(ev.ip, a + 14, 4);
	memcpy(ev.pdst, a + 24, 4);
	memcpy(ev.eth_src, d + 6, 6);
	rc = emit(w, fn, ctx, &ev, GN_ARPWATCH_ARP);
	if (rc || !memcmp(ev.ip, any, 4) || !mac_usable(ev.mac))
		return rc;
	rc = update(w, &ev, fn, ctx);
	if (!rc && memcmp(ev.eth_src, ev.mac, 6))
		rc = emit(w, fn, ctx, &ev, GN_ARPWATCH_MISMATCH);
	return rc;
}

/* ---- text and JSON ----------------------------------------------------------- */

static const char *kind_name(enum gn_arpwatch_kind k)
{
	switch (k) {
	case GN_ARPWATCH_NEW:
		return "new station";
	case GN_ARPWATCH_CHANGED:
		return "changed ethernet address";
	case GN_ARPWATCH_FLIPFLOP:
		return "flip flop";
	case GN_ARPWATCH_MISMATCH:
		return "ethernet mismatch";
	default:
		return "arp";
	}
}

static void put_mac(struct gn_strbuf *sb, const uint8_t m[6])
{
	gn_sb_printf(sb, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void put_ip(struct gn_strbuf *sb, const uint8_t a[4])
{
	gn_sb_printf(sb, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
}

/* Local time, RFC 3339: 2025-06-01T12:00:00+02:00 */
static void put_time(struct gn_strbuf *sb, int64_t ns)
{
	time_t t = (time_t)(ns / 1000000000);
	char buf[40];
	struct tm tm;
	size_t n;

	if (!localtime_r(&t, &tm) || !(n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm)) ||
	    n < 5) {
		gn_sb_printf(sb, "@%lld", (long long)t);
		return;
	}
	/* +0200 -> +02:00 */
	gn_sb_putn(sb, buf, n - 2);
	gn_sb_putc(sb, ':');
	gn_sb_puts(sb, buf + n - 2);
}

static void json_key(struct gn_strbuf *sb, const char *k)
{
	gn_sb_printf(sb, ",\"%s\":", k);
}

static void format_json(const struct gn_arpwatch_event *ev, struct gn_strbuf *sb)
{
	const char *kind = kind_name(ev->kind);

	gn_sb_puts(sb, "{\"event\":");
	gn_sb_json_str(sb, kind, strlen(kind));
	json_key(sb, "time");
	gn_sb_putc(sb, '"');
	put_time(sb, ev->ts_ns);
	gn_sb_putc(sb, '"');
	gn_sb_printf(sb, ",\"ts\":%lld.%06lld", (long long)(ev->ts_ns / 1000000000),
		     (long long)(ev->ts_ns % 1000000000 / 1000));
	json_key(sb, "iface");
	gn_sb_json_str(sb, ev->ifname, strlen(ev->ifname));
	if (ev->kind == GN_ARPWATCH_ARP) {
		gn_sb_printf(sb, ",\"op\":\"%s\",\"hwsrc\":\"", ev->op == 1 ? "who-has" : "is-at");
		put_mac(sb, ev->mac);
		gn_sb_puts(sb, "\",\"psrc\":\"");
		put_ip(sb, ev->ip);
		gn_sb_puts(sb, "\",\"pdst\":\"");
		put_ip(sb, ev->pdst);
		gn_sb_puts(sb, "\"}");
		return;
	}
	gn_sb_puts(sb, ",\"ip\":\"");
	put_ip(sb, ev->ip);
	gn_sb_puts(sb, "\",\"mac\":\"");
	put_mac(sb, ev->mac);
	gn_sb_putc(sb, '"');
	if (ev->kind == GN_ARPWATCH_CHANGED || ev->kind == GN_ARPWATCH_FLIPFLOP) {
		gn_sb_puts(sb, ",\"old_mac\":\"");
		put_mac(sb, ev->old_mac);
		gn_sb_puts(sb, "\",\"old_seen\":");
		if (ev->old_seen_ns) {
			gn_sb_putc(sb, '"');
			put_time(sb, ev->old_seen_ns);
			gn_sb_putc(sb, '"');
		} else {
			gn_sb_puts(sb, "null");
		}
	} else if (ev->kind == GN_ARPWATCH_MISMATCH) {
		gn_sb_puts(sb, ",\"eth_src\":\"");
		put_mac(sb, ev->eth_src);
		gn_sb_putc(sb, '"');
	}
	gn_sb_putc(sb, '}');
}

void gn_arpwatch_format(const struct gn_arpwatch_event *ev, bool json, struct gn_strbuf *sb)
{
	if (json) {
		format_json(ev, sb);
		return;
	}
	if (ev->kind == GN_ARPWATCH_ARP) {
		/* Scapy: pkt.sprintf("%ARP.hwsrc% %ARP.psrc%") */
		put_mac(sb, ev->mac);
		gn_sb_putc(sb, ' ');
		put_ip(sb, ev->ip);
		return;
	}
	put_time(sb, ev->ts_ns);
	gn_sb_printf(sb, " %s ", kind_name(ev->kind));
	put_ip(sb, ev->ip);
	gn_sb_putc(sb, ' ');
	put_mac(sb, ev->mac);
	if (ev->kind != GN_ARPWATCH_NEW) {
		gn_sb_puts(sb, " (");
		put_mac(sb, ev->kind == GN_ARPWATCH_MISMATCH ? ev->eth_src : ev->old_mac);
		gn_sb_putc(sb, ')');
	}
	gn_sb_printf(sb, " %s", ev->ifname);
}
