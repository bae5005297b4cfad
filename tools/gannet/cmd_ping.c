// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet ping: iputils' ping on gannet's sr — ICMP or ICMPv6 echo (or a TCP
 * SYN, or a UDP datagram to a closed port) once per interval, each answer
 * printed as it comes, and iputils' statistics at the end.  The probe is a
 * layer-3 packet filled as sr fills it (route, source, next hop's MAC), so
 * it goes out with no socket of the kernel's, and works the same through
 * any interface gannet can send on.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <sys/random.h>

#include "cli.h"

#define CMD "ping"
/* iputils' exit statuses: a reply came, none came, something failed */
#define PING_OK    0
#define PING_NONE  1
#define PING_ERROR 2

enum mode { MODE_ICMP, MODE_TCP, MODE_UDP };

struct job {
	uint64_t count;       /* 0: until Ctrl-C */
	double interval;
	double wait;          /* -W: seconds to wait for the last answer */
	unsigned size;        /* -s: data bytes (ICMP, UDP) */
	int family;           /* AF_UNSPEC, AF_INET, AF_INET6 */
	enum mode mode;
	unsigned port;
	bool json;
	const char *host;
	char addr[INET6_ADDRSTRLEN];
	uint8_t dst[16];
	uint16_t ident;       /* ICMP id; TCP/UDP: the first source port */
};

/* What came back for one probe. */
enum reply_kind {
	R_ANSWER,  /* echo reply, SYN-ACK or RST, port unreachable or UDP answer */
	R_ERROR,   /* an ICMP error from the path: unreachable, time exceeded */
};

struct stats {
	uint64_t transmitted, received, errors;
	int64_t tmin, tmax;     /* microseconds, as iputils keeps them */
	long long tsum, tsum2;
	int64_t first_send_ns, last_send_ns;
};

/* ---- options ------------------------------------------------------------- */

enum { OPT_TCP = 256, OPT_UDP };

static int parse_args(struct job *j, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count",    required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' },
		{ "timeout",  required_argument, NULL, 'W' },
		{ "size",     required_argument, NULL, 's' },
		{ "tcp",      required_argument, NULL, OPT_TCP },
		{ "udp",      required_argument, NULL, OPT_UDP },
		{ "json",     no_argument,       NULL, 'j' },
		{ "help",     no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v;
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:i:W:s:46jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			if (!gn_cli_parse_u64(optarg, &j->count) || !j->count)
				return gn_cli_usage_error(CMD, CMD ": bad count '%s' (probes > 0)",
							  optarg);
			break;
		case 'i':
			if (!gn_cli_parse_positive(optarg, &j->interval))
				return gn_cli_usage_error(CMD, CMD ": bad interval '%s' (seconds > 0)",
							  optarg);
			break;
		case 'W':
			if (!gn_cli_parse_positive(optarg, &j->wait))
				return gn_cli_usage_error(CMD, CMD ": bad timeout '%s' (seconds > 0)",
							  optarg);
			break;
		case 's':
			if (!gn_cli_parse_u64(optarg, &v) || v > 65507)
				return gn_cli_usage_error(CMD, CMD ": bad size '%s' (0 to 65507 bytes)",
							  optarg);
			j->size = (unsigned)v;
			break;
		case '4':
			j->family = AF_INET;
			break;
		case '6':
			j->family = AF_INET6;
			break;
		case OPT_TCP:
		case OPT_UDP:
			if (j->mode != MODE_ICMP)
				return gn_cli_usage_error(CMD, CMD ": --tcp and --udp exclude each other");
			if (!gn_cli_parse_port(optarg, &j->port))
				return gn_cli_usage_error(CMD, CMD ": bad port '%s' (1 to 65535)", optarg);
			j->mode = opt == OPT_TCP ? MODE_TCP : MODE_UDP;
			break;
		case 'j':
			j->json = true;
			break;
		case 'h':
			gn_cli_help(CMD, stdout);
			return -1;
		default:
			return gn_cli_bad_option(CMD, opt, argc, argv);
		}
	}
	if (optind >= argc)
		return gn_cli_usage_error(CMD, CMD ": missing host");
	if (optind + 1 < argc)
		return gn_cli_usage_error(CMD, CMD ": one host only ('%s' is one too many)",
					  argv[optind + 1]);
	j->host = argv[optind];
	return 0;
}

/* ---- the probe --------------------------------------------------------------- */

/* The probe of sequence number 1; later ones differ by seq (or port). */
static int make_probe(const struct job *j, int family, struct gn_packet **out)
{
	static const char *const l4[] = { "ICMP", "TCP", "UDP" };
	struct gn_strbuf text;
	struct gn_error err = { 0 };
	struct gn_packet *p = NULL;
	uint8_t *data = NULL;
	uint32_t isn;
	int rc;

	if (getrandom(&isn, sizeof(isn), 0) != sizeof(isn))
		isn = (uint32_t)getpid() * 2654435761u;
	gn_sb_init(&text);
	gn_sb_printf(&text, "%s(dst=\"%s\")/", family == AF_INET ? "IP" : "IPv6", j->addr);
	if (j->mode == MODE_ICMP)
		gn_sb_printf(&text, "%s(id=%u,seq=1)",
			     family == AF_INET ? "ICMP" : "ICMPv6EchoRequest", j->ident);
	else if (j->mode == MODE_TCP)
		gn_sb_printf(&text, "TCP(sport=%u,dport=%u,flags=\"S\",seq=%u)", j->ident, j->port,
			     isn);
	else
		gn_sb_printf(&text, "UDP(sport=%u,dport=%u)", j->ident, j->port);
	rc = text.err ? text.err : gn_parse(text.s, &p, &err);
	gn_sb_free(&text);
	if (rc < 0) {
		gn_cli_err(CMD ": %s: %s", l4[j->mode], err.code ? err.msg : gn_strerror(rc));
		return rc;
	}
	/* iputils' pattern: byte i holds i */
	if (j->mode != MODE_TCP && j->size) {
		struct gn_value v = { .type = GN_V_BYTES, .len = j->size };

		data = malloc(j->size);
		if (!data) {
			gn_packet_free(p);
			return -ENOMEM;
		}
		for (unsigned i = 0; i < j->size; i++)
			data[i] = (uint8_t)i;
		if (family == AF_INET6 && j->mode == MODE_ICMP) {
			struct gn_layer *l = &p->layers[p->n - 1];

			v.bytes = data;
			rc = gn_layer_set(l, (unsigned)gn_layer_field_index(l, "data"), &v);
		} else {
			const struct gn_proto *raw = gn_proto_find("Raw");

			rc = raw && gn_packet_push_bytes(p, raw, data, j->size) ? 0 : -ENOMEM;
		}
		free(data);
		if (rc < 0) {
			gn_packet_free(p);
			return rc;
		}
	}
	*out = p;
	return 0;
}

/* Sequence number seq (from 1) into the probe. */
static int set_seq(const struct job *j, struct gn_packet *p, uint64_t seq)
{
	if (j->mode == MODE_ICMP) {
		const char *name = gn_packet_layer_by_name(p, "ICMP", 0) ? "ICMP"
									: "ICMPv6EchoRequest";

		return gn_layer_set_uint(gn_packet_layer_by_name(p, name, 0), "seq", seq & 0xffff);
	}
	/* TCP and UDP tell probes apart by their source port: the next one
	 * each time, round the unprivileged ports */
	return gn_layer_set_uint(gn_packet_layer_by_name(p, j->mode == MODE_TCP ? "TCP" : "UDP", 0),
				 "sport", 1024 + (j->ident - 1024 + seq - 1) % (65536 - 1024));
}

struct fill_error {
	int code;
	char msg[GN_ERRMSG_MAX];
};

static void on_fill_error(void *ctx, size_t index, const struct gn_error *e)
{
	struct fill_error *fe = ctx;

	(void)index;
	fe->code = e->code;
	snprintf(fe->msg, sizeof(fe->msg), "%s", e->msg);
}

/* Route, source and link layer: as sr fills them.  An exit status. */
static int fill(struct gn_netdb *db, struct gn_packet **p)
{
	struct fill_error fe = { 0 };
	struct gn_resolver_opts ro = { .sz = sizeof(ro), .retry = -1, .stop = &gn_cli_stop,
				       .on_error = on_fill_error, .ctx = &fe };
	struct gn_resolver *r = NULL;
	struct gn_error err = { 0 };
	int status = 0, rc;

	rc = gn_resolver_new(db, &ro, &r, &err);
	if (!rc)
		rc = gn_resolver_fill(r, p, 1, GN_FILL_ADD_L2, &status, &err);
	gn_resolver_free(r);
	if (rc < 0) {
		gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
		return PING_ERROR;
	}
	if (status) {
		gn_cli_err(CMD ": %s", fe.code ? fe.msg : gn_strerror(status));
		/* a silent neighbour is a host that does not answer */
		return status == -EHOSTUNREACH ? PING_NONE : PING_ERROR;
	}
	return PING_OK;
}

/* ---- replies ------------------------------------------------------------------- */

/* iputils' words for the ICMP errors it reports. */
static const char *icmp_error_text(bool v6, unsigned type, unsigned code, char *buf, size_t n)
{
	static const char *const unreach4[] = {
		"Destination Net Unreachable", "Destination Host Unreachable",
		"Destination Protocol Unreachable", "Destination Port Unreachable",
		"Frag needed and DF set", "Source Route Failed", "Destination Net Unknown",
		"Destination Host Unknown", "Source Host Isolated",
		"Destination Net Prohibited", "Destination Host Prohibited",
		"Destination Net Unreachable for Type of Service",
		"Destination Host Unreachable for Type of Service", "Packet filtered",
		"Precedence Violation", "Precedence Cutoff",
	};
	static const char *const unreach6[] = {
		"Destination unreachable: No route", "Destination unreachable: Administratively prohibited",
		"Destination unreachable: Beyond scope of source address",
		"Destination unreachable: Address unreachable", "Destination unreachable: Port unreachable",
	};

	if (!v6 && type == 3 && code < sizeof(unreach4) / sizeof(unreach4[0]))
		return unreach4[code];
	if (!v6 && type == 11)
		return code ? "Frag reassembly time exceeded" : "Time to live exceeded";
	if (v6 && type == 1 && code < sizeof(unreach6) / sizeof(unreach6[0]))
		return unreach6[code];
	if (v6 && type == 3)
		return code ? "Time exceeded: Defragmentation failure" : "Time exceeded: Hop limit";
	if (v6 && type == 2)
		return "Packet too big";
	snprintf(buf, n, "ICMP%s type %u code %u", v6 ? "v6" : "", type, code);
	return buf;
}

struct reply {
	enum reply_kind kind;
	char from[INET6_ADDRSTRLEN];
	unsigned ttl;
	unsigned bytes;        /* the IP payload, as iputils counts */
	char what[64];         /* TCP flags, "port-unreachable", or the error text */
	int64_t rtt_us;
};

/* The ICMP error's type and code, when the reply is one. */
static bool icmp_error(const struct gn_packet *r, bool v6, unsigned *type, unsigned *code)
{
	uint64_t t, c;

	if (!v6) {
		if (!gn_cli_field_uint(r, "ICMP", "type", &t) || !gn_cli_field_uint(r, "ICMP", "code", &c))
			return false;
		if (t != 3 && t != 4 && t != 5 && t != 11 && t != 12)
			return false;
	} else {
		static const char *const classes[] = { "ICMPv6DestUnreach", "ICMPv6PacketTooBig",
						       "ICMPv6TimeExceeded", "ICMPv6ParamProblem" };
		size_t k;

		for (k = 0; k < 4 && !gn_packet_layer_by_name(r, classes[k], 0); k++)
			;
		if (k == 4 || !gn_cli_field_uint(r, classes[k], "type", &t) ||
		    !gn_cli_field_uint(r, classes[k], "code", &c))
			return false;
	}
	*type = (unsigned)t;
	*code = (unsigned)c;
	return true;
}

static void read_reply(const struct job *j, bool v6, const struct gn_sr_pair *pr,
		       struct reply *out)
{
	const struct gn_packet *r = pr->reply;
	const char *ipname = v6 ? "IPv6" : "IP";
	unsigned type, code;
	char buf[64];
	uint64_t v;

	memset(out, 0, sizeof(*out));
	out->rtt_us = (pr->recv_ns - pr->sent_ns) / 1000;
	if (out->rtt_us < 0)
		out->rtt_us = 0;
	if (!gn_cli_field_addr(r, ipname, "src", out->from, sizeof(out->from)))
		snprintf(out->from, sizeof(out->from), "?");
	if (gn_cli_field_uint(r, ipname, v6 ? "hlim" : "ttl", &v))
		out->ttl = (unsigned)v;
	if (v6 && gn_cli_field_uint(r, "IPv6", "plen", &v)) {
		out->bytes = (unsigned)v;
	} else if (!v6 && gn_cli_field_uint(r, "IP", "len", &v)) {
		uint64_t ihl = 5;

		gn_cli_field_uint(r, "IP", "ihl", &ihl);
		out->bytes = v > ihl * 4 ? (unsigned)(v - ihl * 4) : 0;
	}
	if (icmp_error(r, v6, &type, &code)) {
		bool port_unreach = v6 ? type == 1 && code == 4 : type == 3 && code == 3;

		/* in UDP mode, the target's port unreachable is its answer */
		if (j->mode == MODE_UDP && port_unreach && !strcmp(out->from, j->addr)) {
			out->kind = R_ANSWER;
			snprintf(out->what, sizeof(out->what), "port-unreachable");
			return;
		}
		out->kind = R_ERROR;
		snprintf(out->what, sizeof(out->what), "%s",
			 icmp_error_text(v6, type, code, buf, sizeof(buf)));
		return;
	}
	out->kind = R_ANSWER;
	if (j->mode == MODE_TCP) {
		struct gn_strbuf sb;
		struct gn_error err = { 0 };

		gn_sb_init(&sb);
		if (!gn_sprintf(r, "%TCP.flags%", &sb, &err) && !sb.err)
			snprintf(out->what, sizeof(out->what), "%s", sb.s ? sb.s : "");
		gn_sb_free(&sb);
	} else if (j->mode == MODE_UDP) {
		snprintf(out->what, sizeof(out->what), "udp-reply");
	}
}

/* iputils' precision: three significant decimals below 1 ms, fewer above. */
static void put_time(struct gn_strbuf *sb, int64_t us)
{
	if (us >= 100000 - 50)
		gn_sb_printf(sb, "%lld", (long long)(us + 500) / 1000);
	else if (us >= 10000 - 5)
		gn_sb_printf(sb, "%lld.%01lld", (long long)(us + 50) / 1000,
			     (long long)((us + 50) % 1000) / 100);
	else if (us >= 1000)
		gn_sb_printf(sb, "%lld.%02lld", (long long)(us + 5) / 1000,
			     (long long)((us + 5) % 1000) / 10);
	else
		gn_sb_printf(sb, "%lld.%03lld", (long long)us / 1000, (long long)us % 1000);
}

static void print_reply(const struct job *j, uint64_t seq, const struct reply *rp)
{
	static const char *const modes[] = { "icmp", "tcp", "udp" };

	if (j->json) {
		gn_sb_printf(&gn_out, "{\"type\":\"%s\",\"seq\":%llu,\"from\":\"%s\",\"ttl\":%u,"
			     "\"bytes\":%u,\"rtt_ms\":%.3f",
			     rp->kind == R_ANSWER ? "reply" : "error", (unsigned long long)seq,
			     rp->from, rp->ttl, rp->bytes, (double)rp->rtt_us / 1000.0);
		if (rp->what[0]) {
			gn_sb_printf(&gn_out, ",\"%s\":", rp->kind == R_ERROR ? "error"
							  : j->mode == MODE_TCP ? "flags" : "what");
			gn_sb_json_str(&gn_out, rp->what, strlen(rp->what));
		}
		gn_sb_puts(&gn_out, "}\n");
		return;
	}
	if (rp->kind == R_ERROR) {
		gn_sb_printf(&gn_out, "From %s %s_seq=%llu %s\n", rp->from, modes[j->mode],
			     (unsigned long long)seq, rp->what);
		return;
	}
	if (j->mode == MODE_ICMP)
		gn_sb_printf(&gn_out, "%u bytes from %s: icmp_seq=%llu ttl=%u time=", rp->bytes,
			     rp->from, (unsigned long long)seq, rp->ttl);
	else
		gn_sb_printf(&gn_out, "%u bytes from %s: %s_port=%u %s%s %s_seq=%llu ttl=%u time=",
			     rp->bytes, rp->from, modes[j->mode], j->port,
			     j->mode == MODE_TCP ? "flags=" : "", rp->what, modes[j->mode],
			     (unsigned long long)seq, rp->ttl);
	put_time(&gn_out, rp->rtt_us);
	gn_sb_puts(&gn_out, " ms\n");
}

/* ---- statistics ------------------------------------------------------------------ */

static void account(struct stats *st, int64_t us)
{
	if (!st->received || us < st->tmin)
		st->tmin = us;
	if (us > st->tmax)
		st->tmax = us;
	st->tsum += us;
	st->tsum2 += (long long)us * us;
	st->received++;
}

/* The integer square root, rounded down (iputils' llsqrt). */
static long long isqrt(long long a)
{
	long long x = a, y = (a + 1) / 2;

	if (a <= 0)
		return 0;
	while (y < x) {
		x = y;
		y = (x + a / x) / 2;
	}
	return x;
}

static void print_stats(const struct job *j, const struct stats *st)
{
	long long ms = (st->last_send_ns - st->first_send_ns + 500000) / 1000000;

	if (j->json) {
		gn_sb_printf(&gn_out, "{\"type\":\"statistics\",\"host\":");
		gn_sb_json_str(&gn_out, j->host, strlen(j->host));
		gn_sb_printf(&gn_out, ",\"addr\":\"%s\",\"transmitted\":%llu,\"received\":%llu,"
			     "\"errors\":%llu,\"loss_pct\":%g,\"time_ms\":%lld",
			     j->addr, (unsigned long long)st->transmitted,
			     (unsigned long long)st->received, (unsigned long long)st->errors,
			     st->transmitted ? (double)(float)((double)(st->transmitted - st->received) *
							       100.0 / (double)st->transmitted) : 0.0,
			     ms);
	} else {
		gn_sb_printf(&gn_out, "\n--- %s ping statistics ---\n", j->host);
		gn_sb_printf(&gn_out, "%llu packets transmitted, %llu received",
			     (unsigned long long)st->transmitted, (unsigned long long)st->received);
		if (st->errors)
			gn_sb_printf(&gn_out, ", +%llu errors", (unsigned long long)st->errors);
		if (st->transmitted)
			gn_sb_printf(&gn_out, ", %g%% packet loss, time %lldms",
				     (double)(float)((double)(st->transmitted - st->received) * 100.0 /
						     (double)st->transmitted), ms);
		gn_sb_putc(&gn_out, '\n');
	}
	if (st->received) {
		long long n = (long long)st->received;
		long long avg = st->tsum / n;
		long long var = (st->tsum2 - (st->tsum * st->tsum) / n) / n;
		long long mdev = isqrt(var);

		if (j->json)
			gn_sb_printf(&gn_out, ",\"rtt_min_ms\":%.3f,\"rtt_avg_ms\":%.3f,"
				     "\"rtt_max_ms\":%.3f,\"rtt_mdev_ms\":%.3f",
				     (double)st->tmin / 1000, (double)avg / 1000,
				     (double)st->tmax / 1000, (double)mdev / 1000);
		else
			gn_sb_printf(&gn_out, "rtt min/avg/max/mdev = %lld.%03lld/%lld.%03lld/"
				     "%lld.%03lld/%lld.%03lld ms\n",
				     (long long)st->tmin / 1000, (long long)st->tmin % 1000,
				     avg / 1000, avg % 1000, (long long)st->tmax / 1000,
				     (long long)st->tmax % 1000, mdev / 1000, mdev % 1000);
	}
	if (j->json)
		gn_sb_puts(&gn_out, "}\n");
}

/* ---- the loop --------------------------------------------------------------------- */

static int64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Sleep until the monotonic time t (or a signal). */
static void sleep_until(int64_t t)
{
	int64_t left = t - gn_monotonic_ns();

	if (left > 0 && !gn_cli_stop) {
		struct timespec ts = { left / 1000000000, left % 1000000000 };

		nanosleep(&ts, NULL);
	}
}

/* Probes are not fragmented: one larger than the MTU is refused now,
 * rather than failing at the first send. */
static int check_mtu(const struct job *j, int family, struct gn_io *io)
{
	struct gn_io_iface ii;
	unsigned len = (family == AF_INET ? 20 : 40) +
		       (j->mode == MODE_TCP ? 20 : 8 + j->size);
	unsigned hdr = (family == AF_INET ? 20 : 40) + 8;

	if (gn_io_iface(io, 0, &ii) < 0 || !ii.mtu || len <= ii.mtu)
		return PING_OK;
	gn_cli_err(CMD ": a %u-byte packet does not fit %s's MTU (%u): -s %u at most", len,
		   ii.name, ii.mtu, ii.mtu > hdr ? ii.mtu - hdr : 0);
	return PING_ERROR;
}

static void print_header(const struct job *j, int family)
{
	if (j->json)
		return;
	gn_sb_printf(&gn_out, "PING %s (%s) ", j->host, j->addr);
	if (j->mode == MODE_TCP)
		gn_sb_printf(&gn_out, "TCP SYN to port %u\n", j->port);
	else if (j->mode == MODE_UDP)
		gn_sb_printf(&gn_out, "UDP to port %u, %u data bytes\n", j->port, j->size);
	else if (family == AF_INET)
		gn_sb_printf(&gn_out, "%u(%u) bytes of data.\n", j->size, j->size + 28);
	else
		gn_sb_printf(&gn_out, "%u data bytes\n", j->size);
	gn_out_flush();
}

/* One probe per interval; each gn_sr waits until the next is due (the
 * last one: -W, or twice the slowest answer once one came). */
static int run(const struct job *j, int family, struct gn_io *io, struct gn_packet *probe,
	       struct stats *st)
{
	struct gn_sr_opts so = { .sz = sizeof(so), .stop_when_done = true, .stop = &gn_cli_stop };
	int64_t start = gn_monotonic_ns(), interval_ns = (int64_t)(j->interval * 1e9);
	bool v6 = family == AF_INET6;

	for (uint64_t seq = 1; !gn_cli_stop && (!j->count || seq <= j->count); seq++) {
		int64_t due = start + (int64_t)(seq - 1) * interval_ns;
		bool last = j->count && seq == j->count;
		struct gn_sr_result res = { 0 };
		struct gn_error err = { 0 };
		struct reply rp;
		int rc;

		sleep_until(due);
		if (gn_cli_stop)
			break;
		rc = set_seq(j, probe, seq);
		if (rc < 0) {
			gn_cli_err(CMD ": %s", gn_strerror(rc));
			return PING_ERROR;
		}
		if (last) {
			so.timeout = j->wait;
			if (st->received && 2.0 * (double)st->tmax / 1e6 < so.timeout)
				so.timeout = 2.0 * (double)st->tmax / 1e6 > j->interval
						     ? 2.0 * (double)st->tmax / 1e6 : j->interval;
			if (so.timeout > j->wait)
				so.timeout = j->wait;
		} else {
			so.timeout = (double)(due + interval_ns - gn_monotonic_ns()) / 1e9;
			if (so.timeout < 0.001)
				so.timeout = 0.001;
		}
		if (!st->transmitted)
			st->first_send_ns = real_ns();
		st->last_send_ns = real_ns();
		rc = gn_sr(io, &probe, 1, &so, &res, &err);
		if (rc < 0) {
			gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
			return PING_ERROR;
		}
		st->transmitted += res.sent;
		if (res.npairs) {
			read_reply(j, v6, &res.pairs[0], &rp);
			if (rp.kind == R_ANSWER)
				account(st, rp.rtt_us);
			else
				st->errors++;
			print_reply(j, seq, &rp);
		}
		gn_sr_result_free(&res);
		gn_out_flush();
	}
	return PING_OK;
}

int gn_cmd_ping(int argc, char **argv)
{
	struct job j = { .interval = 1.0, .wait = 10.0, .size = 56, .family = AF_UNSPEC };
	struct gn_packet *probe = NULL;
	struct gn_netdb *db = NULL;
	struct gn_io *io = NULL;
	struct gn_error err = { 0 };
	struct stats st = { 0 };
	/* one answer at a time: a 4 MiB ring is plenty, and sets up in a
	 * fraction of the default 64 MiB's time */
	struct gn_io_opts ring = { .sz = sizeof(ring), .block_count = 4 };
	int family, rc, status;

	rc = parse_args(&j, argc, argv);
	if (rc)
		return rc < 0 ? GN_EXIT_OK : rc;
	if (gn_cli_resolve_host(CMD, j.host, j.family, &family, j.dst) < 0)
		return PING_ERROR;
	inet_ntop(family, j.dst, j.addr, sizeof(j.addr));
	if (j.mode == MODE_ICMP) {
		j.ident = (uint16_t)getpid();
	} else {
		/* source ports above the usual ephemeral range's start */
		uint16_t r;

		if (getrandom(&r, sizeof(r), 0) != sizeof(r))
			r = (uint16_t)getpid();
		j.ident = (uint16_t)(40000 + r % 20000);
	}
	if (make_probe(&j, family, &probe) < 0)
		return PING_ERROR;
	rc = gn_netdb_open(NULL, &db, &err);
	if (rc < 0) {
		gn_cli_err(CMD ": %s", err.code ? err.msg : gn_strerror(rc));
		status = PING_ERROR;
		goto out;
	}
	gn_cli_catch_stop();
	status = fill(db, &probe);
	if (status)
		goto out;
	if (gn_cli_probes_open_with(CMD, db, &probe, 1, &ring, &io)) {
		status = PING_ERROR;
		goto out;
	}
	status = check_mtu(&j, family, io);
	if (status)
		goto out;
	print_header(&j, family);
	status = run(&j, family, io, probe, &st);
	if (status)
		goto out;
	print_stats(&j, &st);
	status = st.received ? PING_OK : PING_NONE;
out:
	gn_io_close(io);
	gn_netdb_close(db);
	gn_packet_free(probe);
	return status;
}
