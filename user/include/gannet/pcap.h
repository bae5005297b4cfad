/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * pcap and pcapng files.  Reading goes through libpcap (any link type it
 * reads, nanosecond timestamps kept, constant memory); writing pcap through
 * libpcap, pcapng by hand (libpcap cannot write it).
 */
#ifndef GANNET_PCAP_H
#define GANNET_PCAP_H

#include <gannet/packet.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One frame as read from a file: bytes plus metadata (ts, lengths, link type). */
struct gn_frame {
	const uint8_t *data;
	struct gn_meta meta;
};

struct gn_pcap_reader;
/* Open a pcap or pcapng file ("-" = stdin). filter: tcpdump syntax or NULL. */
int gn_pcap_open(const char *path, const char *filter, struct gn_pcap_reader **out,
		 struct gn_error *err);
/* Next frame: 1 = got one (valid until the next call), 0 = end of file,
 * <0 = error (truncated or corrupt file), with err saying what and where. */
int gn_pcap_next(struct gn_pcap_reader *r, struct gn_frame *f, struct gn_error *err);
int gn_pcap_linktype(const struct gn_pcap_reader *r);
void gn_pcap_close(struct gn_pcap_reader *r);

enum gn_pcap_format {
	GN_PCAP_US,   /* classic pcap, microsecond timestamps */
	GN_PCAP_NS,   /* classic pcap, nanosecond timestamps */
	GN_PCAPNG,
};

struct gn_pcap_writer;
/* Create path ("-" = stdout) for frames of the given link type (DLT_*). */
int gn_pcap_create(const char *path, enum gn_pcap_format fmt, int linktype,
		   unsigned snaplen, struct gn_pcap_writer **out, struct gn_error *err);
int gn_pcap_write(struct gn_pcap_writer *w, const uint8_t *data, size_t len,
		  const struct gn_meta *meta);
/* Flush and close; returns the first write error, if any. */
int gn_pcap_finish(struct gn_pcap_writer *w);
/* The format a file name asks for: .pcapng -> GN_PCAPNG, else GN_PCAP_US. */
enum gn_pcap_format gn_pcap_format_for(const char *path);

#ifdef __cplusplus
}
#endif
#endif
