/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sr: send probes and pair every reply with the probe it answers, with
 * Scapy's semantics (timeout after the last send, retry, inter, multi),
 * on any backend that both sends and receives.
 */
#ifndef GANNET_SR_H
#define GANNET_SR_H

#include <signal.h>

#include <gannet/io.h>

#ifdef __cplusplus
extern "C" {
#endif

struct gn_sr_opts {
	size_t sz;            /* sizeof(struct gn_sr_opts) */
	double timeout;       /* seconds to wait after the last send; <= 0: 2 s */
	int retry;            /* > 0: send unanswered probes again this many times;
			       * < 0: until -retry rounds in a row bring no new answer */
	double inter;         /* seconds between two sends */
	bool multi;           /* keep collecting answers for answered probes */
	bool stop_when_done;  /* stop as soon as every probe is answered (not with multi) */
	const volatile sig_atomic_t *stop;  /* Ctrl-C: stop, keeping what came */
	bool no_ipaddr_check; /* Scapy's conf.checkIPaddr = False (GN_MATCH_NO_IPADDR):
			       * answers to broadcast probes (DHCP) come from anyone */
	bool strip_link;      /* results as Scapy's layer-3 sr gives them: probes and
			       * replies without their first (link) layer */
};

struct gn_sr_pair {
	const struct gn_packet *probe;  /* as sent (dissected from its bytes) */
	size_t probe_index;             /* its place in the probes given to gn_sr */
	struct gn_packet *reply;
	int64_t sent_ns;
	int64_t recv_ns;
};

struct gn_sr_result {
	struct gn_sr_pair *pairs;        /* in the order the answers came */
	size_t npairs;
	struct gn_packet **unanswered;   /* probes, in the order given */
	size_t nunanswered;
	uint64_t received;               /* frames seen, answers or not */
	uint64_t sent;                   /* frames sent, retries included */
	struct gn_arena *arena;          /* holds the replies and the probes */
	struct gn_packet **probes;       /* every probe as sent */
	size_t nprobes;
	int64_t first_sent_ns;           /* CLOCK_REALTIME of the first send ... */
	int64_t last_sent_ns;            /* ... and of the last (retries included) */
};

/*
 * Build and send every probe through io (which must have been opened with
 * rx and tx on the interfaces the probes leave by), collect the answers.
 * Probes are concrete packets starting with a layer-2 class (srp) or any
 * class the io sends as it is; each leaves by its meta.ifindex (0: the
 * io's first interface; gn_resolver_fill sets it).  Fills res (free with gn_sr_result_free).
 */
int gn_sr(struct gn_io *io, struct gn_packet *const *probes, size_t n,
	  const struct gn_sr_opts *opts, struct gn_sr_result *res, struct gn_error *err);
void gn_sr_result_free(struct gn_sr_result *res);

/* "probe ==> reply", as Scapy's SndRcvList.summary() prints a pair. */
void gn_sr_pair_summary(const struct gn_sr_pair *pr, struct gn_strbuf *sb);
/* Scapy's nsummary(): "0000 probe ==> reply", one line per pair. */
void gn_sr_nsummary(const struct gn_sr_result *res, struct gn_strbuf *sb);
/*
 * Scapy's make_table(lambda s, r: (x, y, z)): a column per distinct x, a row
 * per distinct y, z in the cells ("-" where no pair is), sorted as numbers,
 * IPv4 addresses or text, laid out as Scapy lays it out.  Each of x, y, z
 * is a format string (gn_sprintf) read on the probe (x, y) or the reply
 * (z); a prefix "s:" or "r:" picks the probe or the reply explicitly.
 */
int gn_sr_make_table(const struct gn_sr_result *res, const char *x_fmt, const char *y_fmt,
		     const char *z_fmt, struct gn_strbuf *out, struct gn_error *err);

#ifdef __cplusplus
}
#endif
#endif
