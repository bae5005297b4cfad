// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * What the tools built on layer-3 sr share (traceroute, scan): a growing
 * set of probes, the whole way from probes to answers (the netlink tables,
 * the fields filled as Scapy's dynamic defaults fill them, one io on every
 * interface the probes leave by, gn_sr), and the targets they are given:
 * addresses, networks, host names.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"

int gn_cli_probes_add(struct gn_cli_probes *ps, struct gn_packet *p)
{
	if (p && ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 64;
		struct gn_packet **nv = realloc(ps->v, cap * sizeof(*nv));

		if (!nv) {
			gn_packet_free(p);
			p = NULL;
		} else {
			ps->v = nv;
			ps->cap = cap;
		}
	}
	if (!p) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	ps->v[ps->n++] = p;
	return GN_EXIT_OK;
}

/* The copies share one arena: a probe costs what it uses, not an arena of
 * its own (65,535 of them: hundreds of MB less). */
int gn_cli_probes_keep(void *ctx, const struct gn_packet *p, const uint8_t *data, size_t len)
{
	struct gn_cli_probes *ps = ctx;

	(void)data;
	(void)len;
	if (!ps->arena)
		ps->arena = gn_arena_new(1 << 16);
	return gn_cli_probes_add(ps, ps->arena ? gn_packet_copy_in(ps->arena, p) : NULL);
}

void gn_cli_probes_free(struct gn_cli_probes *ps)
{
	const char *backend = ps->backend;

	for (size_t i = 0; i < ps->n; i++)
		gn_packet_free(ps->v[i]);  /* those not in the arena */
	free(ps->v);
	gn_arena_free(ps->arena);
	memset(ps, 0, sizeof(*ps));
	ps->backend = backend;
}

int gn_cli_probes_sr(const char *cmd, struct gn_cli_probes *ps, const struct gn_sr_opts *so,
		     struct gn_sr_result *res)
{
	struct gn_netdb *db = NULL;
	struct gn_io *io = NULL;
	struct gn_error err = { 0 };
	size_t before = ps->n;
	int rc, status;

	memset(res, 0, sizeof(*res));
	rc = gn_netdb_open(NULL, &db, &err);
	if (rc < 0) {
		gn_cli_err("%s: %s", cmd, err.code ? err.msg : gn_strerror(rc));
		return GN_EXIT_FAIL;
	}
	gn_cli_catch_stop();
	status = gn_cli_probes_fill(cmd, db, NULL, GN_FILL_ADD_L2, ps->v, &ps->n);
	ps->skipped += before - ps->n;
	if (!status)
		status = gn_cli_probes_open_backend(cmd, db, ps->v, ps->n, NULL, ps->backend, &io);
	if (!status) {
		rc = gn_sr(io, ps->v, ps->n, so, res, &err);
		if (rc < 0) {
			gn_cli_err("%s: %s", cmd, err.code ? err.msg : gn_strerror(rc));
			status = GN_EXIT_FAIL;
		}
	}
	gn_io_close(io);
	gn_netdb_close(db);
	return status;
}

/* ADDRESS/PREFIX with a prefix that fits the address: its family, or 0. */
static int network_family(const char *s)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned char bin[16];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : 0;
	char *end;
	long plen;
	int fam;

	if (!slash || alen >= sizeof(buf))
		return 0;
	memcpy(buf, s, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET, buf, bin) == 1)
		fam = AF_INET;
	else if (inet_pton(AF_INET6, buf, bin) == 1)
		fam = AF_INET6;
	else
		return 0;
	plen = strtol(slash + 1, &end, 10);
	if (end == slash + 1 || *end || plen < 0 || plen > (fam == AF_INET ? 32 : 128))
		return 0;
	return fam;
}

int gn_cli_target(const char *cmd, const char *text, int family, char *out, size_t n,
		  int *out_family)
{
	uint8_t addr[16];
	int fam;

	if (strchr(text, '/')) {
		fam = network_family(text);
		if (!fam)
			return gn_cli_usage_error(cmd, "%s: bad network '%s' (ADDRESS/PREFIX)", cmd,
						  text);
		if (family && fam != family)
			return gn_cli_usage_error(cmd, "%s: '%s' is not an IPv%d network", cmd, text,
						  family == AF_INET ? 4 : 6);
		if (strlen(text) >= n)
			return gn_cli_usage_error(cmd, "%s: bad network '%s'", cmd, text);
		strcpy(out, text);
		*out_family = fam;
		return GN_EXIT_OK;
	}
	if (inet_pton(AF_INET, text, addr) == 1 || inet_pton(AF_INET6, text, addr) == 1) {
		fam = strchr(text, ':') ? AF_INET6 : AF_INET;
		if (family && fam != family)
			return gn_cli_usage_error(cmd, "%s: '%s' is not an IPv%d address", cmd, text,
						  family == AF_INET ? 4 : 6);
	} else if (gn_cli_resolve_host(cmd, text, family ? family : AF_INET, &fam, addr) < 0) {
		/* a name is looked up as IPv4 unless -6 says otherwise, as
		 * Scapy's IP(dst="name") does */
		return GN_EXIT_FAIL;
	}
	inet_ntop(fam, addr, out, (socklen_t)n);
	*out_family = fam;
	return GN_EXIT_OK;
}

const struct gn_layer *gn_cli_reply_icmp(const struct gn_packet *r, int *type, int *code,
					 struct gn_strbuf *names)
{
	const struct gn_layer *l;
	uint64_t t = 0, c = 0;
	int ti, ci;

	if (r->n < 2 || strncmp(r->layers[1].proto->name, "ICMP", 4))
		return NULL;
	l = &r->layers[1];
	ti = gn_layer_field_index(l, "type");
	ci = gn_layer_field_index(l, "code");
	if (ti < 0 || ci < 0)
		return NULL;
	if (gn_layer_get(l, (unsigned)ti) && gn_layer_get(l, (unsigned)ti)->type == GN_V_INT)
		t = gn_layer_get(l, (unsigned)ti)->u;
	if (gn_layer_get(l, (unsigned)ci) && gn_layer_get(l, (unsigned)ci)->type == GN_V_INT)
		c = gn_layer_get(l, (unsigned)ci)->u;
	*type = (int)t;
	*code = (int)c;
	if (names) {
		gn_format_field(l, (unsigned)ti, names, GN_REPR_HUMAN);
		gn_sb_putc(names, ' ');
		gn_format_field(l, (unsigned)ci, names, GN_REPR_HUMAN);
	}
	return l;
}
