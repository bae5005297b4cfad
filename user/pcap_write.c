// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Writing pcap and pcapng files.  Classic pcap goes through libpcap's dump
 * functions; pcapng is written here (libpcap cannot write it): one Section
 * Header Block, one Interface Description Block, one Enhanced Packet Block
 * per frame, nanosecond timestamps.  Every I/O error is kept and returned.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include <gannet/gannet.h>

#define DEFAULT_SNAPLEN 262144

/* pcapng block types and options (draft-ietf-opsawg-pcapng) */
#define PCAPNG_SHB 0x0A0D0D0Au
#define PCAPNG_IDB 0x00000001u
#define PCAPNG_EPB 0x00000006u
#define PCAPNG_BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define PCAPNG_OPT_END 0
#define PCAPNG_OPT_SHB_USERAPPL 4
#define PCAPNG_OPT_IF_TSRESOL 9

struct gn_pcap_writer {
	enum gn_pcap_format fmt;
	FILE *fp;
	pcap_t *dead;
	pcap_dumper_t *dumper;   /* classic pcap only */
	unsigned snaplen;
	int err;                 /* the first I/O error, sticky */
};

static const char *display_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdout>";
}

enum gn_pcap_format gn_pcap_format_for(const char *path)
{
	size_t n = path ? strlen(path) : 0;

	if (n >= 7 && !strcasecmp(path + n - 7, ".pcapng"))
		return GN_PCAPNG;
	return GN_PCAP_US;
}

/* A stream of our own for stdout, so that closing the file (libpcap's
 * pcap_dump_close does fclose) leaves the process's stdout open. */
static FILE *open_out(const char *path)
{
	FILE *fp;
	int fd;

	if (strcmp(path, "-"))
		return fopen(path, "wb");
	if (fflush(stdout))
		return NULL;
	fd = dup(STDOUT_FILENO);
	if (fd < 0)
		return NULL;
	fp = fdopen(fd, "wb");
	if (!fp) {
		int e = errno;

		close(fd);
		errno = e;
	}
	return fp;
}

static int io_errno(void)
{
	return errno ? -errno : -EIO;
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);  /* pcapng is written in host byte order */
}

static void put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

static void note_error(struct gn_pcap_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

static void write_bytes(struct gn_pcap_writer *w, const void *p, size_t n)
{
	errno = 0;
	if (n && fwrite(p, 1, n, w->fp) != n)
		note_error(w, io_errno());
}

/*
 * pcapng stores LINKTYPE_ values, callers give DLT_ values, and the two
 * differ for a few (DLT_RAW is 12 here, LINKTYPE_RAW 101).  libpcap's own
 * mapping is not exported, but it is what it writes in a pcap header: let
 * it write one into memory and read the field back.
 */
static int linktype_of_dlt(pcap_t *dead, uint32_t *linktype)
{
	char *buf = NULL;
	size_t len = 0;
	pcap_dumper_t *d;
	FILE *mem = open_memstream(&buf, &len);
	int rc = 0;

	if (!mem)
		return -ENOMEM;
	d = pcap_dump_fopen(dead, mem);
	if (!d) {
		fclose(mem);
		free(buf);
		return -EINVAL;
	}
	if (pcap_dump_flush(d) || len < 24)
		rc = -EIO;
	pcap_dump_close(d);
	if (!rc)
		memcpy(linktype, buf + 20, 4);  /* host order, as pcap_dump wrote it */
	free(buf);
	return rc;
}

static void pcapng_header(struct gn_pcap_writer *w, uint32_t linktype)
{
	static const char appl[] = "gannet " GN_VERSION;
	uint8_t shb[28 + 4 + ((sizeof(appl) - 1 + 3) & ~3u) + 4 + 4] = { 0 };
	uint8_t idb[32] = { 0 };
	size_t o;

	put32(shb, PCAPNG_SHB);
	put32(shb + 4, sizeof(shb));
	put32(shb + 8, PCAPNG_BYTE_ORDER_MAGIC);
	put16(shb + 12, 1);                 /* version 1.0 */
	put16(shb + 14, 0);
	memset(shb + 16, 0xff, 8);          /* section length: not given */
	put16(shb + 24, PCAPNG_OPT_SHB_USERAPPL);
	put16(shb + 26, sizeof(appl) - 1);
	memcpy(shb + 28, appl, sizeof(appl) - 1);
	o = 28 + ((sizeof(appl) - 1 + 3) & ~(size_t)3);
	put16(shb + o, PCAPNG_OPT_END);     /* opt_endofopt, length 0 */
	put16(shb + o + 2, 0);
	put32(shb + sizeof(shb) - 4, sizeof(shb));
	write_bytes(w, shb, sizeof(shb));

	put32(idb, PCAPNG_IDB);
	put32(idb + 4, sizeof(idb));
	put16(idb + 8, (uint16_t)linktype);
	put16(idb + 10, 0);
	put32(idb + 12, w->snaplen);
	put16(idb + 16, PCAPNG_OPT_IF_TSRESOL);
	put16(idb + 18, 1);
	idb[20] = 9;                        /* 10^-9 s: nanoseconds */
	put16(idb + 24, PCAPNG_OPT_END);
	put16(idb + 26, 0);
	put32(idb + 28, sizeof(idb));
	write_bytes(w, idb, sizeof(idb));
}

int gn_pcap_create(const char *path, enum gn_pcap_format fmt, int linktype,
		   unsigned snaplen, struct gn_pcap_writer **out, struct gn_error *err)
{
	struct gn_pcap_writer *w;
	const char *name;
	int rc;

	*out = NULL;
	if (!path)
		return gn_error_set(err, -EINVAL, 0, "no pcap file name given");
	name = display_name(path);
	if (fmt != GN_PCAP_US && fmt != GN_PCAP_NS && fmt != GN_PCAPNG)
		return gn_error_set(err, -EINVAL, 0, "%s: unknown pcap format %d", name, (int)fmt);
	if (linktype < 0)
		return gn_error_set(err, -EINVAL, 0, "%s: invalid link type %d", name, linktype);
	if (snaplen > INT32_MAX)
		return gn_error_set(err, -EINVAL, 0, "%s: snap length %u too large", name, snaplen);
	w = calloc(1, sizeof(*w));
	if (!w)
		return gn_error_set(err, -ENOMEM, 0, "%s: out of memory", name);
	w->fmt = fmt;
	w->snaplen = snaplen ? snaplen : DEFAULT_SNAPLEN;
	w->dead = pcap_open_dead_with_tstamp_precision(linktype, (int)w->snaplen,
						       fmt == GN_PCAP_US ?
						       PCAP_TSTAMP_PRECISION_MICRO :
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!w->dead) {
		free(w);
		return gn_error_set(err, -ENOMEM, 0, "%s: out of memory", name);
	}

	if (fmt == GN_PCAPNG) {
		uint32_t lt;

		rc = linktype_of_dlt(w->dead, &lt);
		if (rc) {
			rc = gn_error_set(err, rc, 0, "%s: %s", name,
					  rc == -EINVAL ? pcap_geterr(w->dead) : gn_strerror(rc));
			goto fail;
		}
		if (lt > 0xffff) {
			rc = gn_error_set(err, -EINVAL, 0,
					  "%s: link type %d does not fit in a pcapng file",
					  name, linktype);
			goto fail;
		}
		w->fp = open_out(path);
		if (!w->fp)
			goto fail_open;
		pcapng_header(w, lt);
	} else {
		w->fp = open_out(path);
		if (!w->fp)
			goto fail_open;
		w->dumper = pcap_dump_fopen(w->dead, w->fp);
		if (!w->dumper) {
			rc = gn_error_set(err, -EINVAL, 0, "%s: %s", name, pcap_geterr(w->dead));
			fclose(w->fp);
			if (strcmp(path, "-"))
				unlink(path);
			w->fp = NULL;
			goto fail;
		}
	}
	if (w->err) {
		rc = gn_error_set(err, w->err, 0, "cannot write %s: %s", name,
				  gn_strerror(w->err));
		gn_pcap_finish(w);
		return rc;
	}
	*out = w;
	return 0;

fail_open:
	{
		int e = errno ? errno : EIO;

		rc = gn_error_set(err, -e, 0, "cannot create %s: %s", name, strerror(e));
	}
fail:
	pcap_close(w->dead);
	free(w);
	return rc;
}

/* Frame times in ns; a frame without one is stamped now, as a capture would be. */
static uint64_t frame_time(const struct gn_meta *meta)
{
	struct timespec now;

	if (meta && meta->ts_ns > 0)
		return (uint64_t)meta->ts_ns;
	if (meta && meta->ts_ns < 0)
		return 0;  /* before the epoch: no file format holds it */
	clock_gettime(CLOCK_REALTIME, &now);
	return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static void write_epb(struct gn_pcap_writer *w, const uint8_t *data, uint32_t caplen,
		      uint32_t wirelen, uint64_t ts)
{
	static const uint8_t zero[3];
	uint32_t pad = (4 - (caplen & 3)) & 3;
	uint32_t total = 32 + caplen + pad;
	uint8_t hdr[28];
	uint8_t trailer[4];

	put32(hdr, PCAPNG_EPB);
	put32(hdr + 4, total);
	put32(hdr + 8, 0);                  /* interface 0: the one IDB */
	put32(hdr + 12, (uint32_t)(ts >> 32));
	put32(hdr + 16, (uint32_t)ts);
	put32(hdr + 20, caplen);
	put32(hdr + 24, wirelen);
	put32(trailer, total);
	write_bytes(w, hdr, sizeof(hdr));
	write_bytes(w, data, caplen);
	write_bytes(w, zero, pad);
	write_bytes(w, trailer, sizeof(trailer));
}

int gn_pcap_write(struct gn_pcap_writer *w, const uint8_t *data, size_t len,
		  const struct gn_meta *meta)
{
	uint64_t ts = frame_time(meta);
	uint32_t caplen, wirelen;

	if (w->err)
		return w->err;
	if (len > UINT32_MAX)
		return -EMSGSIZE;
	/* longer than the snap length: stored cut, as a capture would store it */
	caplen = len > w->snaplen ? w->snaplen : (uint32_t)len;
	wirelen = meta && meta->wire_len > len ? meta->wire_len : (uint32_t)len;

	if (w->fmt == GN_PCAPNG) {
		write_epb(w, data, caplen, wirelen, ts);
	} else {
		struct pcap_pkthdr h = { .caplen = caplen, .len = wirelen };

		h.ts.tv_sec = (time_t)(ts / 1000000000u);
		h.ts.tv_usec = (suseconds_t)(ts % 1000000000u);
		if (w->fmt == GN_PCAP_US)
			h.ts.tv_usec /= 1000;
		errno = 0;
		pcap_dump((u_char *)w->dumper, &h, data);
		if (ferror(w->fp))
			note_error(w, io_errno());
	}
	return w->err;
}

int gn_pcap_finish(struct gn_pcap_writer *w)
{
	int err;

	if (!w)
		return 0;
	errno = 0;
	if (w->dumper) {
		if (pcap_dump_flush(w->dumper) || ferror(w->fp))
			note_error(w, io_errno());
		pcap_dump_close(w->dumper);  /* closes w->fp */
	} else if (w->fp) {
		if (fflush(w->fp) || ferror(w->fp))
			note_error(w, io_errno());
		errno = 0;
		if (fclose(w->fp))
			note_error(w, io_errno());
	}
	err = w->err;
	pcap_close(w->dead);
	free(w);
	return err;
}
