// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * arpmon: the ARP monitor under the name arpwatch users look for.  It is
 * `gannet arpmon` (see gannet-arpmon(1)) — the same options, the same
 * output — so there is one implementation: this program runs the gannet
 * next to it (the build tree's, or the installed one), else the one on
 * PATH.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char self[PATH_MAX], gannet[PATH_MAX + 8];
	char **args = calloc((size_t)argc + 2, sizeof(*args));
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (!args) {
		fprintf(stderr, "arpmon: out of memory\n");
		return 1;
	}
	args[0] = "gannet";
	args[1] = "arpmon";
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	if (len > 0) {
		self[len] = '\0';
		snprintf(gannet, sizeof(gannet), "%s/gannet", dirname(self));
		if (!access(gannet, X_OK))
			execv(gannet, args);
	}
	execvp("gannet", args);
	fprintf(stderr, "arpmon: cannot run gannet (next to arpmon or on PATH): %s\n",
		strerror(errno));
	return 1;
}
