// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Reading pcap and pcapng files through libpcap: any link type it knows,
 * nanosecond timestamps kept, one packet in memory at a time.  A damaged
 * file gives every packet before the damage, then one error that names the
 * file and the packet.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include <gannet/pcap.h>

/* The bits of the link-type field that hold the link type; the upper six
 * carry FCS-length information (LT_LINKTYPE in libpcap's pcap-common.h). */
#define LINKTYPE_MASK 0x03FFFFFF

struct gn_pcap_reader {
	pcap_t *pc;
	struct bpf_program prog;
	bool filtered;
	int linktype;
	uint64_t nread;     /* records read so far, filtered-out ones included */
	int state;          /* 0 = reading, 1 = end of file, < 0 = the error met */
	char errmsg[GN_ERRMSG_MAX];
	char name[];        /* the path, as messages show it */
};

static const char *display_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

int gn_pcap_open(const char *path, const char *filter, struct gn_pcap_reader **out,
		 struct gn_error *err)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	struct gn_pcap_reader *r;
	const char *name;
	FILE *fp;

	*out = NULL;
	if (!path)
		return gn_error_set(err, -EINVAL, 0, "no pcap file name given");
	name = display_name(path);
	r = calloc(1, sizeof(*r) + strlen(name) + 1);
	if (!r)
		return gn_error_set(err, -ENOMEM, 0, "%s: out of memory", name);
	strcpy(r->name, name);

	/* Opening the file ourselves keeps errno, which libpcap folds into text. */
	if (!strcmp(path, "-")) {
		fp = stdin;
	} else {
		fp = fopen(path, "rb");
		if (!fp) {
			int e = errno;

			free(r);
			return gn_error_set(err, -e, 0, "cannot open %s: %s", name, strerror(e));
		}
	}
	r->pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!r->pc) {
		if (fp != stdin)
			fclose(fp);
		free(r);
		return gn_error_set(err, -EBADMSG, 0, "%s: cannot read as pcap or pcapng: %s",
				    name, errbuf[0] ? errbuf : "unknown error");
	}
	/* libpcap already strips the FCS bits; masking again costs nothing and
	 * keeps the promise whatever libpcap version we run on. */
	r->linktype = pcap_datalink(r->pc) & LINKTYPE_MASK;

	if (filter && *filter) {
		if (pcap_compile(r->pc, &r->prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			int rc = gn_error_set(err, -EINVAL, 0,
					      "invalid filter \"%s\" for %s (link type %s): %s",
					      filter, name,
					      pcap_datalink_val_to_name(r->linktype) ?
					      pcap_datalink_val_to_name(r->linktype) : "unknown",
					      pcap_geterr(r->pc));

			pcap_close(r->pc);
			free(r);
			return rc;
		}
		r->filtered = true;
	}
	*out = r;
	return 0;
}

/* ns since the epoch, saturated: corrupt files carry any seconds and
 * "sub-second" parts beyond a second. */
static int64_t ts_to_ns(const struct timeval *tv)
{
	int64_t ns;

	if (__builtin_mul_overflow((int64_t)tv->tv_sec, (int64_t)1000000000, &ns))
		return tv->tv_sec < 0 ? INT64_MIN : INT64_MAX;
	if (__builtin_add_overflow(ns, (int64_t)tv->tv_usec, &ns))
		return tv->tv_usec < 0 ? INT64_MIN : INT64_MAX;
	return ns;
}

int gn_pcap_next(struct gn_pcap_reader *r, struct gn_frame *f, struct gn_error *err)
{
	struct pcap_pkthdr *hdr;
	const u_char *data;

	if (r->state > 0)
		return 0;
	if (r->state < 0)
		return gn_error_set(err, r->state, 0, "%s", r->errmsg);
	for (;;) {
		int rc = pcap_next_ex(r->pc, &hdr, &data);

		if (rc == PCAP_ERROR_BREAK) {
			r->state = 1;
			return 0;
		}
		if (rc < 0) {
			/* the packet number is the one libpcap could not read */
			snprintf(r->errmsg, sizeof(r->errmsg), "%s: packet %llu: %s", r->name,
				 (unsigned long long)r->nread + 1, pcap_geterr(r->pc));
			r->state = -EBADMSG;
			return gn_error_set(err, r->state, 0, "%s", r->errmsg);
		}
		if (rc == 0)  /* a live-capture timeout; not seen on files */
			continue;
		r->nread++;
		if (r->filtered && !pcap_offline_filter(&r->prog, hdr, data))
			continue;
		f->data = data;
		memset(&f->meta, 0, sizeof(f->meta));
		f->meta.ts_ns = ts_to_ns(&hdr->ts);
		f->meta.wire_len = hdr->len;
		f->meta.cap_len = hdr->caplen;
		f->meta.linktype = r->linktype;
		return 1;
	}
}

int gn_pcap_linktype(const struct gn_pcap_reader *r)
{
	return r->linktype;
}

void gn_pcap_close(struct gn_pcap_reader *r)
{
	if (!r)
		return;
	if (r->filtered)
		pcap_freecode(&r->prog);
	pcap_close(r->pc);
	free(r);
}
