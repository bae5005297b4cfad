// SPDX-License-Identifier: LGPL-2.1-or-later
/* gannet: the command line face of libgannet.  main() only finds the
 * subcommand; each group of subcommands lives in its own cmd_*.c. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct gn_cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
};

static const struct gn_cli_cmd cmds[] = {
	{ "hex",     gn_cmd_hex },
	{ "show",    gn_cmd_show },
	{ "summary", gn_cmd_summary },
	{ "hexdump", gn_cmd_hexdump },
	{ "json",    gn_cmd_json },
	{ "command", gn_cmd_command },
	{ "write",   gn_cmd_write },
	{ "read",    gn_cmd_read },
	{ "dissect", gn_cmd_dissect },
	{ "ls",      gn_cmd_ls },
	{ "sniff",   gn_cmd_sniff },
	{ "sendp",   gn_cmd_sendp },
	{ "send",    gn_cmd_send },
	{ "replay",  gn_cmd_replay },
	{ "srp",     gn_cmd_srp },
	{ "srp1",    gn_cmd_srp1 },
	{ "srploop", gn_cmd_srploop },
	{ "sr",      gn_cmd_sr },
	{ "sr1",     gn_cmd_sr1 },
	{ "srloop",  gn_cmd_srloop },
	{ "ifaces",  gn_cmd_ifaces },
	{ "lab",     gn_cmd_lab },
	{ "route",   gn_cmd_route },
	{ "neigh",   gn_cmd_neigh },
	{ "arping",  gn_cmd_arping },
	{ "ping",    gn_cmd_ping },
	{ "dhcp-probe", gn_cmd_dhcp_probe },
	{ "traceroute", gn_cmd_traceroute },
	{ "scan",    gn_cmd_scan },
	{ "arpmon",  gn_cmd_arpmon },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

static const struct gn_cli_cmd *find_cmd(const char *name)
{
	for (size_t i = 0; i < NCMDS; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

static int unknown_cmd(const char *name)
{
	const char *names[NCMDS];
	const char *near;

	for (size_t i = 0; i < NCMDS; i++)
		names[i] = cmds[i].name;
	near = gn_closest(name, strlen(name), names, NCMDS);
	if (near)
		return gn_cli_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)",
					  name, near);
	return gn_cli_usage_error(NULL, "unknown command '%s'", name);
}

/* -q/--quiet and -v/--verbose mean the same to every command, so gannet
 * takes them itself, anywhere before "--": quiet leaves the results and the
 * errors only (no counts, progress or warnings on stderr), each -v adds
 * detail there.  They are removed from argv before the command sees it. */
static void take_verbosity(int *argc, char **argv)
{
	int out = 2;

	for (int i = 2; i < *argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			gn_cli_verbosity = -1;
			continue;
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			if (gn_cli_verbosity >= 0)
				gn_cli_verbosity++;
			continue;
		}
		argv[out++] = argv[i];
	}
	*argc = out;
	argv[out] = NULL;
}

int main(int argc, char **argv)
{
	const struct gn_cli_cmd *cmd;
	int rc, frc;

	if (argc < 2) {
		gn_cli_help(NULL, stderr);
		return GN_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		gn_cli_help(NULL, stdout);
		return GN_EXIT_OK;
	}
	/* the command names, one per line: for shell completion */
	if (!strcmp(argv[1], "--commands")) {
		for (size_t i = 0; i < NCMDS; i++)
			puts(cmds[i].name);
		return GN_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("gannet %s\n", GN_VERSION);
		return GN_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		if (argc < 3) {
			gn_cli_help(NULL, stdout);
			return GN_EXIT_OK;
		}
		if (!find_cmd(argv[2]))
			return unknown_cmd(argv[2]);
		gn_cli_help(argv[2], stdout);
		return GN_EXIT_OK;
	}
	if (argv[1][0] == '-')
		return gn_cli_usage_error(NULL, "unknown option '%s'", argv[1]);
	cmd = find_cmd(argv[1]);
	if (!cmd)
		return unknown_cmd(argv[1]);

	/* lab exec passes a command line through untouched */
	if (strcmp(cmd->name, "lab"))
		take_verbosity(&argc, argv);
	/* The subcommand sees itself as argv[0], as getopt expects. */
	rc = cmd->run(argc - 1, argv + 1);
	frc = gn_out_flush();
	if (frc < 0) {
		fprintf(stderr, "gannet: write error: %s\n", gn_strerror(frc));
		if (rc == GN_EXIT_OK)
			rc = GN_EXIT_FAIL;
	}
	gn_sb_free(&gn_out);
	return rc;
}
