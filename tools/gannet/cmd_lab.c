// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * gannet lab: the built-in lab of network namespaces (two hosts, a router,
 * a second subnet, IPv4 and IPv6, a TCP listener and a DNS responder), so
 * every command can be tried on a laptop with nothing else.  The lab is
 * built with iproute2 by lab.sh, which the tests use too; this command finds
 * the script (next to the build tree, or where `make install` put it) and
 * runs it with this gannet, and with the lab named "gannet" unless GN_LAB
 * says otherwise.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifndef GN_DATADIR
#define GN_DATADIR "/usr/local/share"
#endif

/* The script: $GANNET_LAB_SCRIPT, the source tree's (when this gannet is
 * build/gannet), or the installed one. */
static int find_script(const char *self, char *out, size_t n)
{
	const char *env = getenv("GANNET_LAB_SCRIPT");
	char dir[PATH_MAX];

	if (env && *env) {
		snprintf(out, n, "%s", env);
		return access(out, R_OK) ? -errno : 0;
	}
	snprintf(dir, sizeof(dir), "%s", self);
	snprintf(out, n, "%s/../selftests/lab/lab.sh", dirname(dir));
	if (!access(out, R_OK))
		return 0;
	snprintf(out, n, "%s/gannet/lab.sh", GN_DATADIR);
	return access(out, R_OK) ? -errno : 0;
}

int gn_cmd_lab(int argc, char **argv)
{
	char self[PATH_MAX], script[PATH_MAX + 64];
	char **args;
	ssize_t len;

	if (argc < 2)
		return gn_cli_usage_error(argv[0], "lab: what to do? up, down, status, exec, tour");
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		gn_cli_help(argv[0], stdout);
		return GN_EXIT_OK;
	}
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len < 0) {
		gn_cli_err("lab: cannot tell where gannet is: %s", strerror(errno));
		return GN_EXIT_FAIL;
	}
	self[len] = '\0';
	if (find_script(self, script, sizeof(script)) < 0) {
		gn_cli_err("lab: lab.sh not found (looked next to %s and in %s/gannet; "
			   "GANNET_LAB_SCRIPT names it)", self, GN_DATADIR);
		return GN_EXIT_FAIL;
	}
	/* the lab's commands run this very gannet */
	setenv("GANNET", self, 0);
	setenv("GN_LAB", "gannet", 0);
	args = calloc((size_t)argc + 2, sizeof(*args));
	if (!args) {
		gn_cli_err("out of memory");
		return GN_EXIT_FAIL;
	}
	args[0] = "bash";
	args[1] = script;
	for (int i = 1; i < argc; i++)
		args[i + 1] = argv[i];
	execv("/bin/bash", args);
	gn_cli_err("lab: cannot run /bin/bash: %s", strerror(errno));
	free(args);
	return GN_EXIT_FAIL;
}
