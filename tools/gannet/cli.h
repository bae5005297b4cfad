/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared pieces of the gannet command: output buffer, error reporting,
 * option helpers and the expression loop the subcommands are built on. */
#ifndef GANNET_CLI_H
#define GANNET_CLI_H

#include <stdio.h>

#include <gannet/gannet.h>

#define GN_EXIT_OK    0
#define GN_EXIT_FAIL  1  /* runtime error: file, build, write */
#define GN_EXIT_USAGE 2  /* unknown command or option, bad expression */

/* ---- subcommands (cmd_*.c) -------------------------------------------- */

int gn_cmd_hex(int argc, char **argv);
int gn_cmd_show(int argc, char **argv);
int gn_cmd_summary(int argc, char **argv);
int gn_cmd_hexdump(int argc, char **argv);
int gn_cmd_json(int argc, char **argv);
int gn_cmd_command(int argc, char **argv);
int gn_cmd_write(int argc, char **argv);
int gn_cmd_read(int argc, char **argv);
int gn_cmd_dissect(int argc, char **argv);
int gn_cmd_ls(int argc, char **argv);
int gn_cmd_sniff(int argc, char **argv);
int gn_cmd_sendp(int argc, char **argv);
int gn_cmd_send(int argc, char **argv);
int gn_cmd_replay(int argc, char **argv);
int gn_cmd_srp(int argc, char **argv);
int gn_cmd_srp1(int argc, char **argv);
int gn_cmd_srploop(int argc, char **argv);
int gn_cmd_sr(int argc, char **argv);
int gn_cmd_sr1(int argc, char **argv);
int gn_cmd_srloop(int argc, char **argv);
int gn_cmd_ifaces(int argc, char **argv);
int gn_cmd_lab(int argc, char **argv);
int gn_cmd_route(int argc, char **argv);
int gn_cmd_neigh(int argc, char **argv);
int gn_cmd_arping(int argc, char **argv);
int gn_cmd_ping(int argc, char **argv);
int gn_cmd_dhcp_probe(int argc, char **argv);
int gn_cmd_traceroute(int argc, char **argv);
int gn_cmd_scan(int argc, char **argv);
int gn_cmd_arpmon(int argc, char **argv);

/* ---- live.c: what sniff and sendp share --------------------------------- */

/* The signal (SIGINT, SIGTERM) that asked to stop, once gn_cli_catch_stop
 * has been called; 0 until then. */
extern volatile sig_atomic_t gn_cli_stop;
/* -1 with -q/--quiet (results and errors only), 0 by default, 1, 2, ... per
 * -v/--verbose (more detail on stderr); main.c takes both options. */
extern int gn_cli_verbosity;
void gn_cli_catch_stop(void);
/* The interface of the default route into buf[n]; < 0 (reported) if none. */
int gn_cli_default_iface(char *buf, size_t n);
/* Open the afpacket backend on one interface (iface, or the default route's
 * when NULL) with options o; reports what failed.  Returns an exit status. */
int gn_cli_open_one(const char *iface, struct gn_io_opts *o, struct gn_io **io);
/* A number > 0, fractions allowed (seconds, packets/s); false if s is not one. */
bool gn_cli_parse_positive(const char *s, double *out);
/* A decimal integer within +-1,000,000 (retry counts); -EINVAL otherwise. */
int gn_cli_parse_int(const char *s, int *out);

/* ---- probe.c: what the probing tools share (arping, ping, dhcp-probe, ...) */

/* Interface NAME of db, up and with a carrier; reports "CMD: NAME: no such
 * interface" (or down, no carrier) otherwise.  Returns an exit status. */
int gn_cli_iface_check(const char *cmd, const struct gn_netdb *db, const char *name,
		       const struct gn_iface **out);
/* The resolver's complaints (gn_resolver_opts.on_error / on_warning, ctx a
 * struct gn_cli_fill_report), one line per reason: "CMD: probe 3 not sent:
 * WHY" (numbered) or "CMD: not sent: WHY", then "... and N more probes for
 * the same reason" once the reason changes or gn_cli_fill_flush is called. */
struct gn_cli_fill_report {
	const char *cmd;
	const char *noun;        /* "probe", "packet" */
	bool numbered;           /* name the packet by its place */
	char last[GN_ERRMSG_MAX];
	uint64_t repeats;
	uint64_t failed;         /* on_error calls: packets not sent */
};
void gn_cli_fill_on_error(void *ctx, size_t index, const struct gn_error *e);
void gn_cli_fill_on_warning(void *ctx, size_t index, const struct gn_error *e);
void gn_cli_fill_flush(struct gn_cli_fill_report *fr);
/* Fill the probes v[0..*n) for sending (gannet/resolve.h), out of iface when
 * given, else as routed; flags: GN_FILL_ADD_L2 for layer-3 probes.  Probes
 * that cannot be filled are freed, dropped from v (*n shrinks) and
 * reported, one line per reason; at layer 2 a silent next hop gives the
 * broadcast address and a warning instead, as in Scapy.  Returns an exit status: 1 when the
 * resolver could not run or no probe is left. */
int gn_cli_probes_fill(const char *cmd, struct gn_netdb *db, const char *iface, unsigned flags,
		       struct gn_packet **v, size_t *n);
/* Open the afpacket backend, receiving and sending, on every interface the
 * filled probes v[0..n) leave by.  Returns an exit status. */
int gn_cli_probes_open(const char *cmd, const struct gn_netdb *db, struct gn_packet *const *v,
		       size_t n, struct gn_io **io);
/* The same with the options of base (ring size...; its interfaces, rx and
 * tx are set here). */
int gn_cli_probes_open_with(const char *cmd, const struct gn_netdb *db,
			    struct gn_packet *const *v, size_t n, const struct gn_io_opts *base,
			    struct gn_io **io);
/* -v: one stderr line per distinct way a packet leaves ("CMD: DST from SRC
 * out of IF to MAC"), remembered in seen (zeroed first; freed after). */
struct gn_cli_routes {
	char **v;
	size_t n, cap;
};
void gn_cli_report_route(const char *cmd, const struct gn_netdb *db, const struct gn_packet *p,
			 struct gn_cli_routes *seen);
void gn_cli_routes_free(struct gn_cli_routes *seen);
/* The same on backend: "afpacket" (NULL), "xdp", or "auto": xdp where it
 * attaches, else afpacket with a notice on stderr. */
int gn_cli_probes_open_backend(const char *cmd, const struct gn_netdb *db,
			       struct gn_packet *const *v, size_t n, const struct gn_io_opts *base,
			       const char *backend, struct gn_io **io);
/* The effective value of FIELD of the first LAYER in p, or NULL. */
const struct gn_value *gn_cli_field(const struct gn_packet *p, const char *layer,
				    const char *field);
/* The same as an integer; false when absent or not one. */
bool gn_cli_field_uint(const struct gn_packet *p, const char *layer, const char *field,
		       uint64_t *out);
/* The same as text (a MAC, IPv4 or IPv6 address) in buf[n]; NULL when absent. */
const char *gn_cli_field_addr(const struct gn_packet *p, const char *layer, const char *field,
			      char *buf, size_t n);
/* NAME as an address of family (AF_INET, AF_INET6 or AF_UNSPEC): a literal,
 * else through getaddrinfo.  Fills *out_family and addr (4 or 16 bytes);
 * < 0 reported as "CMD: cannot resolve 'NAME': ..." */
int gn_cli_resolve_host(const char *cmd, const char *name, int family, int *out_family,
			uint8_t addr[16]);

/* ---- probe_run.c: the tools built on layer-3 sr (traceroute, scan) -------- */

struct gn_cli_probes {
	struct gn_packet **v;
	size_t n, cap;
	size_t skipped;  /* dropped by gn_cli_probes_sr: they could not be filled */
	const char *backend;  /* gn_cli_probes_open_backend's; NULL: afpacket */
	struct gn_arena *arena;  /* the copies gn_cli_probes_keep makes */
};

/* Append p (taken over; NULL: out of memory).  Returns an exit status. */
int gn_cli_probes_add(struct gn_cli_probes *ps, struct gn_packet *p);
/* A gn_cli_gen emit function: a copy of every packet into ctx (a struct
 * gn_cli_probes). */
int gn_cli_probes_keep(void *ctx, const struct gn_packet *p, const uint8_t *data, size_t len);
void gn_cli_probes_free(struct gn_cli_probes *ps);
/* Everything from layer-3 probes to their answers: the netlink tables, the
 * fields filled for sending (probes that cannot be are dropped from ps and
 * reported), an io on every interface they leave by, gn_sr with so, Ctrl-C
 * caught.  Returns an exit status; res is filled when 0. */
int gn_cli_probes_sr(const char *cmd, struct gn_cli_probes *ps, const struct gn_sr_opts *so,
		     struct gn_sr_result *res);
/* A target as text an expression's dst takes as it is: an IPv4 or IPv6
 * address, an ADDRESS/PREFIX network, or a host name looked up (IPv4 unless
 * family is AF_INET6; family 0: any).  Writes it into out[n] and its family
 * into *out_family.  Returns an exit status (bad text: a usage error). */
int gn_cli_target(const char *cmd, const char *text, int family, char *out, size_t n,
		  int *out_family);
/* The ICMP or ICMPv6 message right above a reply's IP or IPv6 layer (an
 * error, an echo reply), or NULL; its type and code, and with names their
 * names ("dest-unreach port-unreachable") appended to names. */
const struct gn_layer *gn_cli_reply_icmp(const struct gn_packet *r, int *type, int *code,
					 struct gn_strbuf *names);

/* ---- usage.c ---------------------------------------------------------- */

/* Full help of one subcommand (NULL: the command overview) on f. */
void gn_cli_help(const char *cmd, FILE *f);
/* "gannet: <msg>" plus a pointer to --help on stderr; returns GN_EXIT_USAGE. */
int gn_cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Report what getopt_long refused (c: its '?' or ':'); returns GN_EXIT_USAGE. */
int gn_cli_bad_option(const char *cmd, int c, int argc, char **argv);

/* ---- opts.c: output ------------------------------------------------------ */

/* Everything the subcommands print goes through this buffer: one write per
 * megabyte instead of one per line, because a template can stand for millions. */
extern struct gn_strbuf gn_out;
/* Write the buffer out once it is big enough. */
void gn_out_maybe_flush(void);
/* Write everything out now; 0 or -errno of the failed write. */
int gn_out_flush(void);

/* "gannet: <msg>" on stderr, after what stdout already holds. */
void gn_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error in an expression (or format string): message, then the text with
 * a caret under e->column.  where: "line 3" or NULL. */
void gn_cli_expr_err(const char *where, const char *text, const struct gn_error *e);

/* ---- opts.c: option values -------------------------------------------- */

/* Non-negative integer (decimal or 0x); false when s is not one. */
bool gn_cli_parse_u64(const char *s, uint64_t *out);
/* A TCP/UDP port, 1 to 65535, as gn_cli_parse_u64 reads numbers. */
bool gn_cli_parse_port(const char *s, unsigned *out);
/* argv[0..argc) joined by single spaces into a malloc'd string (as tcpdump
 * joins its filter words), or NULL when argc == 0. */
char *gn_cli_join(int argc, char **argv);
/* A line of input with leading blanks skipped and the trailing newline (and
 * CR) cut off in place; NULL when it is blank or a '#' comment. */
char *gn_cli_line(char *line);

/* "unknown protocol 'X' (did you mean 'Y'?)" as a usage error. */
int gn_cli_unknown_proto(const char *cmd, const char *name);

/* ---- opts.c: text formats of a dissected or crafted packet ------------- */

enum gn_cli_fmt {
	GN_FMT_SUMMARY,
	GN_FMT_SHOW,
	GN_FMT_JSON,
	GN_FMT_HEX,
	GN_FMT_HEXDUMP,
	GN_FMT_COMMAND,
	GN_FMT_SPRINTF, /* a Scapy format string */
};

/* GN_OUT_COLOR when show and summary go to a terminal (GANNET_COLOR,
 * NO_COLOR and TERM=dumb decide otherwise). */
unsigned gn_cli_out_flags(void);

/* -F argument: a format name, or a sprintf string when it holds a '%'. */
bool gn_cli_parse_fmt(const char *s, enum gn_cli_fmt *out);

/* Print one packet p (its bytes in data[len], for hex and hexdump) in fmt
 * into gn_out.  n is the packet's 0-based number in the output, so that
 * blocks (hexdump) can be separated.  Returns 0, or <0 with err set for a
 * bad sprintf format. */
int gn_cli_print(const struct gn_packet *p, const uint8_t *data, size_t len,
		 enum gn_cli_fmt fmt, const char *sprintf_fmt, uint64_t n,
		 struct gn_error *err);

/* ---- gen.c: the packets expressions stand for ---------------------------- */

struct gn_cli_gen {
	size_t fragsize;  /* --fragment: IPv4 packets are split first; 0 = not */
	uint64_t limit;   /* -c: stop after this many packets; 0 = no limit */
	bool separate;    /* --separate: a line "#N" before the packets of line N */
	bool want_bytes;  /* build every packet and pass its bytes to emit */
	/* Called for every packet, in order; non-zero stops the run with that
	 * exit status (emit has reported why). */
	int (*emit)(void *ctx, const struct gn_packet *p, const uint8_t *data, size_t len);
	void *ctx;
	uint64_t count;   /* packets emitted so far */
};

/* Expand the expression in args (words joined by spaces) or, when args is
 * just "-", one expression per line of stdin, and hand every packet to
 * g->emit.  Returns the exit status: a bad expression on the command line is
 * a usage error (2); a bad line on stdin is reported with its number and
 * the run goes on, ending with status 1. */
int gn_cli_gen_run(struct gn_cli_gen *g, int argc, char **argv);

#endif
