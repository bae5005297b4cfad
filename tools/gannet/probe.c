// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the probing tools (arping, ping, dhcp-probe, traceroute, scan)
 * share with each other and with sr: checking the interface they were told
 * to use, filling probes the way sending decides (gannet/resolve.h), opening
 * one io on every interface the probes leave by, reading fields of replies,
 * and turning a host name into an address.
 */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <net/if.h>

#include "cli.h"

int gn_cli_iface_check(const char *cmd, const struct gn_netdb *db, const char *name,
		       const struct gn_iface **out)
{
	const struct gn_iface *ifc = gn_netdb_iface_by_name(db, name);

	if (!ifc) {
		gn_cli_err("%s: %s: no such interface", cmd, name);
		return GN_EXIT_FAIL;
	}
	if (!(ifc->flags & IFF_UP)) {
		gn_cli_err("%s: %s: interface is down", cmd, name);
		return GN_EXIT_FAIL;
	}
	if (!(ifc->flags & IFF_RUNNING)) {
		gn_cli_err("%s: %s: interface has no carrier", cmd, name);
		return GN_EXIT_FAIL;
	}
	if (out)
		*out = ifc;
	return GN_EXIT_OK;
}

/* ---- filling ---------------------------------------------------------------- */

void gn_cli_fill_flush(struct gn_cli_fill_report *fr)
{
	if (fr->repeats)
		gn_cli_err("%s: ... and %llu more %s%s for the same reason", fr->cmd,
			   (unsigned long long)fr->repeats, fr->noun, fr->repeats == 1 ? "" : "s");
	fr->repeats = 0;
}

/* Whether e says what the line before said; if not, that line's repeats
 * are told and e becomes the line to compare with. */
static bool repeated(struct gn_cli_fill_report *fr, const struct gn_error *e)
{
	if (!strcmp(fr->last, e->msg)) {
		fr->repeats++;
		return true;
	}
	gn_cli_fill_flush(fr);
	snprintf(fr->last, sizeof(fr->last), "%s", e->msg);
	return false;
}

/* One line per reason, not one per packet: a sweep where most next hops
 * are silent would say the same thing hundreds of times. */
void gn_cli_fill_on_error(void *ctx, size_t index, const struct gn_error *e)
{
	struct gn_cli_fill_report *fr = ctx;

	fr->failed++;
	if (repeated(fr, e))
		return;
	if (fr->numbered)
		gn_cli_err("%s: %s %zu not sent: %s", fr->cmd, fr->noun, index + 1, e->msg);
	else
		gn_cli_err("%s: not sent: %s", fr->cmd, e->msg);
}

/* Layer 2: Scapy's broadcast for a silent next hop, said once per reason. */
void gn_cli_fill_on_warning(void *ctx, size_t index, const struct gn_error *e)
{
	struct gn_cli_fill_report *fr = ctx;

	if (gn_cli_verbosity < 0 || repeated(fr, e))
		return;
	if (fr->numbered)
		gn_cli_err("%s: %s %zu: warning: %s", fr->cmd, fr->noun, index + 1, e->msg);
	else
		gn_cli_err("%s: warning: %s", fr->cmd, e->msg);
}

int gn_cli_probes_fill(const char *cmd, struct gn_netdb *db, const char *iface, unsigned flags,
		       struct gn_packet **v, size_t *n)
{
	struct gn_cli_fill_report fr = { .cmd = cmd, .noun = "probe", .numbered = true };
	struct gn_resolver_opts ro = { .sz = sizeof(ro), .iface = iface, .retry = -1,
				       .stop = &gn_cli_stop, .on_error = gn_cli_fill_on_error,
				       .ctx = &fr, .on_warning = gn_cli_fill_on_warning,
				       .broadcast_unresolved = !(flags & GN_FILL_ADD_L2) };
	struct gn_resolver *r = NULL;
	struct gn_error err = { 0 };
	int *status = calloc(*n ? *n : 1, sizeof(*status));
	size_t kept = 0;
	int rc;

	if (!status) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	rc = gn_resolver_new(db, &ro, &r, &err);
	if (!rc)
		rc = gn_resolver_fill(r, v, *n, flags, status, &err);
	gn_cli_fill_flush(&fr);
	gn_resolver_free(r);
	if (rc < 0) {
		free(status);
		gn_cli_err("%s: %s", cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	for (size_t i = 0; i < *n; i++) {
		if (status[i]) {
			gn_packet_free(v[i]);
			continue;
		}
		v[kept++] = v[i];
	}
	free(status);
	if (!kept && *n) {
		*n = 0;
		gn_cli_err("%s: no probe can be sent", cmd);
		return GN_EXIT_FAIL;
	}
	*n = kept;
	if (gn_cli_verbosity > 0) {
		struct gn_cli_routes seen = { 0 };

		for (size_t i = 0; i < kept; i++)
			gn_cli_report_route(cmd, db, v[i], &seen);
		gn_cli_routes_free(&seen);
	}
	return GN_EXIT_OK;
}

int gn_cli_probes_open_with(const char *cmd, const struct gn_netdb *db,
			    struct gn_packet *const *v, size_t n, const struct gn_io_opts *base,
			    struct gn_io **io)
{
	return gn_cli_probes_open_backend(cmd, db, v, n, base, NULL, io);
}

/* The xdp backend where it can attach (the replies then bypass the local
 * stack), else afpacket with a notice: what scan does by default. */
static bool want_fallback(const char *backend)
{
	return backend && !strcmp(backend, "auto");
}

int gn_cli_probes_open_backend(const char *cmd, const struct gn_netdb *db,
			       struct gn_packet *const *v, size_t n, const struct gn_io_opts *base,
			       const char *backend, struct gn_io **io)
{
	struct gn_io_opts o = { .sz = sizeof(o) };
	struct gn_error err = { 0 };
	const char **names = calloc(n ? n : 1, sizeof(*names));
	int rc;

	if (!names) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	if (base)
		o = *base;
	o.rx = o.tx = true;
	o.ifaces = NULL;
	o.nifaces = 0;
	for (size_t i = 0; i < n; i++) {
		const struct gn_iface *ifc = gn_netdb_iface_by_index(db, v[i]->meta.ifindex);
		unsigned k;

		if (!ifc) {
			free(names);
			gn_cli_err("%s: interface %d went away", cmd, v[i]->meta.ifindex);
			return GN_EXIT_FAIL;
		}
		for (k = 0; k < o.nifaces && strcmp(names[k], ifc->name); k++)
			;
		if (k == o.nifaces)
			names[o.nifaces++] = ifc->name;
	}
	o.ifaces = names;
	rc = gn_io_open(want_fallback(backend) ? "xdp" : backend ? backend : "afpacket", &o, io,
			&err);
	if (rc < 0 && want_fallback(backend)) {
		static bool told;  /* once a run: scan opens an io per slice */

		if (gn_cli_verbosity >= 0 && !told)
			fprintf(stderr, "%s: XDP cannot be used (%s): afpacket instead, the local "
				"stack sees the replies\n", cmd, err.msg);
		told = true;
		memset(&err, 0, sizeof(err));
		rc = gn_io_open("afpacket", &o, io, &err);
	}
	free(names);
	if (rc < 0) {
		gn_cli_err("%s: %s", cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	return GN_EXIT_OK;
}

int gn_cli_probes_open(const char *cmd, const struct gn_netdb *db, struct gn_packet *const *v,
		       size_t n, struct gn_io **io)
{
	return gn_cli_probes_open_with(cmd, db, v, n, NULL, io);
}

/* ---- reading replies ----------------------------------------------------------- */

const struct gn_value *gn_cli_field(const struct gn_packet *p, const char *layer,
				    const char *field)
{
	const struct gn_layer *l = gn_packet_layer_by_name(p, layer, 0);
	int i;

	if (!l)
		return NULL;
	i = gn_layer_field_index(l, field);
	return i < 0 ? NULL : gn_layer_get(l, (unsigned)i);
}

bool gn_cli_field_uint(const struct gn_packet *p, const char *layer, const char *field,
		       uint64_t *out)
{
	const struct gn_value *v = gn_cli_field(p, layer, field);

	if (!v || v->type != GN_V_INT)
		return false;
	*out = v->u;
	return true;
}

const char *gn_cli_field_addr(const struct gn_packet *p, const char *layer, const char *field,
			      char *buf, size_t n)
{
	const struct gn_value *v = gn_cli_field(p, layer, field);

	if (!v || v->type != GN_V_ADDR)
		return NULL;
	if (v->alen == 6)
		return gn_nl_lladdr_str(v->addr, 6, buf, n);
	if (v->alen == 4)
		return gn_nl_addr_str(AF_INET, v->addr, buf, n);
	if (v->alen == 16)
		return gn_nl_addr_str(AF_INET6, v->addr, buf, n);
	return NULL;
}

/* ---- host names ------------------------------------------------------------------- */

int gn_cli_resolve_host(const char *cmd, const char *name, int family, int *out_family,
			uint8_t addr[16])
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res, *ai;
	int ret;

	if (family != AF_INET6 && inet_pton(AF_INET, name, addr) == 1) {
		*out_family = AF_INET;
		return 0;
	}
	if (family != AF_INET && inet_pton(AF_INET6, name, addr) == 1) {
		*out_family = AF_INET6;
		return 0;
	}
	if (family == AF_INET && inet_pton(AF_INET6, name, addr) == 1) {
		gn_cli_err("%s: '%s' is an IPv6 address", cmd, name);
		return -EAFNOSUPPORT;
	}
	if (family == AF_INET6 && inet_pton(AF_INET, name, addr) == 1) {
		gn_cli_err("%s: '%s' is an IPv4 address", cmd, name);
		return -EAFNOSUPPORT;
	}
	ret = getaddrinfo(name, NULL, &hints, &res);
	if (ret) {
		gn_cli_err("%s: cannot resolve '%s': %s", cmd, name,
			   ret == EAI_SYSTEM ? strerror(errno) : gai_strerror(ret));
		return -ENOENT;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		if (ai->ai_family == AF_INET) {
			memcpy(addr, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
			break;
		}
		if (ai->ai_family == AF_INET6) {
			memcpy(addr, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
			break;
		}
	}
	if (!ai) {
		freeaddrinfo(res);
		gn_cli_err("%s: '%s' has no %s address", cmd, name,
			   family == AF_INET ? "IPv4" : family == AF_INET6 ? "IPv6" : "IPv4 or IPv6");
		return -ENOENT;
	}
	*out_family = ai->ai_family;
	freeaddrinfo(res);
	return 0;
}

/* ---- -v: where each destination goes ---------------------------------------- */

static bool routes_seen(struct gn_cli_routes *r, const char *line)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i], line))
			return true;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;
		char **nv = realloc(r->v, cap * sizeof(*nv));

		if (!nv)
			return true;  /* out of memory: say nothing more */
		r->v = nv;
		r->cap = cap;
	}
	r->v[r->n] = strdup(line);
	if (r->v[r->n])
		r->n++;
	return false;
}

void gn_cli_report_route(const char *cmd, const struct gn_netdb *db, const struct gn_packet *p,
			 struct gn_cli_routes *seen)
{
	const struct gn_iface *ifc = gn_netdb_iface_by_index(db, p->meta.ifindex);
	const char *layer = gn_packet_layer_by_name(p, "IP", 0) ? "IP" :
			    gn_packet_layer_by_name(p, "IPv6", 0) ? "IPv6" : "ARP";
	bool arp = !strcmp(layer, "ARP");
	char dst[64], src[64], mac[64], line[320];

	if (!gn_cli_field_addr(p, layer, arp ? "pdst" : "dst", dst, sizeof(dst)))
		return;
	if (!gn_cli_field_addr(p, layer, arp ? "psrc" : "src", src, sizeof(src)))
		snprintf(src, sizeof(src), "?");
	if (!gn_cli_field_addr(p, "Ether", "dst", mac, sizeof(mac)))
		snprintf(mac, sizeof(mac), "no link layer");
	snprintf(line, sizeof(line), "%s: %s from %s out of %s to %s", cmd, dst, src,
		 ifc ? ifc->name : "?", mac);
	if (!routes_seen(seen, line))
		fprintf(stderr, "%s\n", line);
}

void gn_cli_routes_free(struct gn_cli_routes *seen)
{
	for (size_t i = 0; i < seen->n; i++)
		free(seen->v[i]);
	free(seen->v);
	memset(seen, 0, sizeof(*seen));
}
