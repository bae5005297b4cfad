// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Robustness over captures nobody on this project wrote: every file of
 * tcpdump's test corpus (about 200 of them malformed on purpose) and Scapy's
 * is read, every frame dissected, summarised, shown, turned into JSON and
 * rebuilt.  Under ASan/UBSan this is the "never crash" test; it also checks
 * that dissection loses no byte (layers cover the whole frame).
 */
#include <dirent.h>

#include "testlib.h"

struct corpus_file {
	char path[1024];
	char name[256];
};

static void dissect_file(void **state)
{
	const struct corpus_file *cf = *state;
	struct gn_pcap_reader *r = NULL;
	struct gn_error err = { 0 };
	struct gn_packet *pkt = gn_packet_new();
	struct gn_frame f;
	unsigned frames = 0;
	int rc;

	assert_non_null(pkt);
	rc = gn_pcap_open(cf->path, NULL, &r, &err);
	if (rc) {
		/* files libpcap itself refuses (unknown link types, damaged
		 * headers) must fail cleanly with a message */
		assert_true(err.msg[0] != 0);
		goto out;
	}
	while ((rc = gn_pcap_next(r, &f, &err)) == 1) {
		const struct gn_proto *first =
			gn_proto_for_linktype(f.meta.linktype, f.data, f.meta.cap_len);

		frames++;
		pkt->meta = f.meta;
		assert_int_equal(gn_dissect(pkt, first, f.data, f.meta.cap_len), 0);
		/* nothing dropped: the last layer reaches the end of the frame */
		if (f.meta.cap_len)
			assert_int_equal(covered(pkt), f.meta.cap_len);
		exercise(pkt); /* the build may refuse, none of it may crash */
	}
	if (rc < 0)
		assert_true(err.msg[0] != 0);
	gn_pcap_close(r);
out:
	gn_packet_free(pkt);
	(void)frames;
}

static bool is_capture(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".pcap")) ||
	       (n > 7 && !strcmp(name + n - 7, ".pcapng"));
}

static int add_dir(const char *dir, struct corpus_file **files, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		struct corpus_file *cf;

		if (!is_capture(e->d_name))
			continue;
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 1024;
			*files = realloc(*files, *cap * sizeof(**files));
			if (!*files)
				abort();
		}
		cf = &(*files)[(*n)++];
		snprintf(cf->path, sizeof(cf->path), "%s/%s", dir, e->d_name);
		snprintf(cf->name, sizeof(cf->name), "%s", e->d_name);
	}
	closedir(d);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct corpus_file *)a)->name, ((const struct corpus_file *)b)->name);
}

int main(void)
{
	const char *root = getenv("GANNET_ROOT");
	char dir[1024];
	struct corpus_file *files = NULL;
	struct CMUnitTest *tests;
	size_t n = 0, cap = 0;
	int rc;

	if (!root)
		root = ".";
	snprintf(dir, sizeof(dir), "%s/../shared/corpus/tcpdump-tests", root);
	if (add_dir(dir, &files, &n, &cap)) {
		fprintf(stderr, "test_corpus: %s not found\n", dir);
		return 1;
	}
	snprintf(dir, sizeof(dir), "%s/../shared/corpus/scapy-tests", root);
	add_dir(dir, &files, &n, &cap);
	qsort(files, n, sizeof(*files), by_name);
	tests = calloc(n, sizeof(*tests));
	if (!tests)
		return 1;
	for (size_t i = 0; i < n; i++) {
		tests[i].name = files[i].name;
		tests[i].test_func = dissect_file;
		tests[i].initial_state = &files[i];
	}
	rc = _cmocka_run_group_tests("corpus", tests, n, NULL, NULL);
	free(tests);
	free(files);
	return rc;
}
