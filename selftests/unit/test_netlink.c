// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The netlink tables: interfaces, addresses, routes, rules and neighbours
 * read into a snapshot; route lookups (longest prefix, metric, local,
 * reject types, policy rules, IPv6 source selection); gannet's own routes,
 * which change lookups and never the system; notifications that bring
 * later changes in.
 *
 * Runs in a network namespace of its own (unshare(CLONE_NEWNET), so the
 * machine's tables are never touched), or, when GN_LAB is set, in the lab
 * namespace `selftests/lab/lab.sh exec NODE` put it in.  Either way it
 * adds its own veth pairs (gnt0/gnt1, gnt4/gnt5) with addresses of
 * 10.77.0.0/24 and fd77::/64 and removes them at the end.  Skipped
 * without the rights to do so.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/fib_rules.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gannet/gannet.h>

static bool usable;
static bool in_lab;

/* Run a shell command (ip ...) quietly; its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	rc = system(cmd);
	return rc == -1 ? -1 : WEXITSTATUS(rc);
}

#define SH(...) assert_int_equal(sh(__VA_ARGS__), 0)

/* The first line a shell command prints ("" when none). */
static void sh_line(const char *cmd, char *out, size_t n)
{
	FILE *f = popen(cmd, "r");

	out[0] = '\0';
	if (!f)
		return;
	if (!fgets(out, (int)n, f))
		out[0] = '\0';
	pclose(f);
	out[strcspn(out, "\n")] = '\0';
}

static int setup(void **state)
{
	(void)state;
	if (geteuid() != 0)
		return 0;
	in_lab = getenv("GN_LAB") != NULL;
	if (!in_lab) {
		if (unshare(CLONE_NEWNET) < 0)
			return 0;
		if (sh("ip link set lo up"))
			return 0;
	}
	if (sh("ip link add gnt0 type veth peer name gnt1") ||
	    sh("ip addr add 10.77.0.1/24 dev gnt0") ||
	    sh("ip addr add fd77::1/64 dev gnt0 nodad") ||
	    sh("ip link set gnt0 up") || sh("ip link set gnt1 up"))
		return 0;
	usable = true;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (usable) {
		sh("ip link del gnt0");
		sh("ip link del gnt4");
	}
	return 0;
}

#define NEED_NS() do { if (!usable) skip(); } while (0)

static struct gn_netdb *open_db(bool watch)
{
	struct gn_netdb_opts opts = { .sz = sizeof(opts), .watch = watch };
	struct gn_error err = { 0 };
	struct gn_netdb *db = NULL;
	int ret = gn_netdb_open(&opts, &db, &err);

	if (ret < 0)
		print_error("gn_netdb_open: %s\n", err.msg);
	assert_int_equal(ret, 0);
	assert_non_null(db);
	return db;
}

static void addr(int family, const char *s, uint8_t *out)
{
	assert_int_equal(inet_pton(family, s, out), 1);
}

static const char *str(int family, const void *a)
{
	static char buf[4][INET6_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	return gn_nl_addr_str(family, a, buf[i], sizeof(buf[i]));
}

/* Look dst up; expect success, the device and (NULL: on-link) the gateway
 * and the source address. */
static void expect_route(struct gn_netdb *db, const char *dst, const char *dev,
			 const char *via, const char *src, struct gn_route_result *res)
{
	struct gn_error err = { 0 };
	int ret = gn_netdb_route_get_str(db, dst, res, &err);

	if (ret < 0)
		print_error("route to %s: %s\n", dst, err.msg);
	assert_int_equal(ret, 0);
	assert_string_equal(res->ifname, dev);
	if (via) {
		assert_true(res->has_gateway);
		assert_string_equal(str(res->family, res->nexthop), via);
	} else {
		assert_false(res->has_gateway);
		assert_memory_equal(res->nexthop, res->dst, res->family == AF_INET ? 4 : 16);
	}
	if (src) {
		assert_true(res->has_src);
		assert_string_equal(str(res->family, res->src), src);
	}
}

/* ---- tables ----------------------------------------------------------------- */

static void test_ifaces(void **state)
{
	const struct gn_iface *lo, *it, *list;
	struct gn_netdb *db;
	struct ifreq ifr = { 0 };
	int fd;

	(void)state;
	NEED_NS();
	db = open_db(false);
	assert_true(gn_netdb_ifaces(db, &list) >= 3);
	lo = gn_netdb_iface_by_name(db, "lo");
	assert_non_null(lo);
	assert_true(lo->flags & IFF_LOOPBACK);
	assert_true(lo->flags & IFF_UP);
	assert_int_equal(lo->type, 772 /* ARPHRD_LOOPBACK */);
	it = gn_netdb_iface_by_name(db, "gnt0");
	assert_non_null(it);
	assert_ptr_equal(gn_netdb_iface_by_index(db, it->index), it);
	assert_int_equal(it->index, (int)if_nametoindex("gnt0"));
	assert_string_equal(it->kind, "veth");
	assert_int_equal(it->type, 1 /* ARPHRD_ETHER */);
	assert_int_equal(it->addr_len, 6);
	assert_int_equal(it->link, (int)if_nametoindex("gnt1"));
	/* The kernel's word on MAC and MTU through another road (ioctl). */
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	strcpy(ifr.ifr_name, "gnt0");
	assert_int_equal(ioctl(fd, SIOCGIFHWADDR, &ifr), 0);
	assert_memory_equal(it->addr, ifr.ifr_hwaddr.sa_data, 6);
	assert_int_equal(ioctl(fd, SIOCGIFMTU, &ifr), 0);
	assert_int_equal(it->mtu, (unsigned)ifr.ifr_mtu);
	close(fd);
	assert_null(gn_netdb_iface_by_name(db, "gnt-none"));
	assert_null(gn_netdb_iface_by_index(db, 99999));
	gn_netdb_close(db);
}

static void test_addrs(void **state)
{
	const struct gn_ifaddr *a;
	struct gn_netdb *db;
	size_t n;
	int idx, seen = 0;

	(void)state;
	NEED_NS();
	db = open_db(false);
	idx = gn_netdb_iface_by_name(db, "gnt0")->index;
	n = gn_netdb_addrs(db, &a);
	for (size_t i = 0; i < n; i++) {
		if (a[i].ifindex != idx)
			continue;
		if (a[i].family == AF_INET) {
			assert_string_equal(str(AF_INET, a[i].addr), "10.77.0.1");
			assert_int_equal(a[i].prefixlen, 24);
			assert_int_equal(a[i].scope, RT_SCOPE_UNIVERSE);
			assert_string_equal(str(AF_INET, a[i].brd), "0.0.0.0");
			assert_string_equal(a[i].label, "gnt0");
			seen |= 1;
		} else if (!strcmp(str(AF_INET6, a[i].addr), "fd77::1")) {
			assert_int_equal(a[i].prefixlen, 64);
			seen |= 2;
		}
	}
	assert_int_equal(seen, 3);
	gn_netdb_close(db);
}

/* ---- lookups ------------------------------------------------------------------ */

static void test_route_onlink_and_local(void **state)
{
	struct gn_route_result res;
	struct gn_netdb *db;

	(void)state;
	NEED_NS();
	db = open_db(false);
	expect_route(db, "10.77.0.9", "gnt0", NULL, "10.77.0.1", &res);
	assert_int_equal(res.type, RTN_UNICAST);
	assert_int_equal(res.table, RT_TABLE_MAIN);
	assert_int_equal(res.dst_len, 24);
	expect_route(db, "10.77.0.1", "lo", NULL, "10.77.0.1", &res);
	assert_int_equal(res.type, RTN_LOCAL);
	assert_int_equal(res.table, RT_TABLE_LOCAL);
	expect_route(db, "10.77.0.255", "gnt0", NULL, "10.77.0.1", &res);
	assert_int_equal(res.type, RTN_BROADCAST);
	expect_route(db, "fd77::9", "gnt0", NULL, "fd77::1", &res);
	assert_int_equal(res.metric, 256);
	expect_route(db, "fd77::1", "lo", NULL, "fd77::1", &res);
	assert_int_equal(res.type, RTN_LOCAL);
	gn_netdb_close(db);
}

static void test_route_prefix_and_metric(void **state)
{
	struct gn_route_result res;
	struct gn_netdb *db;

	(void)state;
	NEED_NS();
	SH("ip route add 10.78.0.0/16 via 10.77.0.2 metric 50");
	SH("ip route add 10.78.0.0/16 via 10.77.0.3 metric 10");
	SH("ip route add 10.78.5.0/24 via 10.77.0.4 metric 90");
	SH("ip route add 10.78.5.7/32 dev gnt0 src 10.77.0.1");
	SH("ip -6 route add fd78::/48 via fd77::2");
	db = open_db(false);
	expect_route(db, "10.78.1.1", "gnt0", "10.77.0.3", "10.77.0.1", &res);
	assert_int_equal(res.metric, 10);
	assert_int_equal(res.dst_len, 16);
	expect_route(db, "10.78.5.5", "gnt0", "10.77.0.4", "10.77.0.1", &res);
	assert_int_equal(res.dst_len, 24);
	expect_route(db, "10.78.5.7", "gnt0", NULL, "10.77.0.1", &res);
	assert_int_equal(res.dst_len, 32);
	expect_route(db, "fd78::1", "gnt0", "fd77::2", "fd77::1", &res);
	assert_int_equal(res.metric, 1024);
	gn_netdb_close(db);
	sh("ip route flush 10.78.0.0/16");
	sh("ip -6 route del fd78::/48");
}

static void test_route_reject(void **state)
{
	struct gn_route_result res;
	struct gn_error err = { 0 };
	struct gn_netdb *db;

	(void)state;
	NEED_NS();
	SH("ip route add blackhole 10.79.0.0/16");
	SH("ip route add prohibit 10.80.0.0/16");
	SH("ip route add unreachable 10.81.0.0/16");
	SH("ip -6 route add blackhole fd79::/48");
	db = open_db(false);
	assert_int_equal(gn_netdb_route_get_str(db, "10.79.1.1", &res, &err), -EINVAL);
	assert_int_equal(res.type, RTN_BLACKHOLE);
	assert_string_equal(err.msg,
			    "no route to 10.79.1.1: blackhole route 10.79.0.0/16 in table main");
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_get_str(db, "10.80.1.1", &res, &err), -EACCES);
	assert_int_equal(res.type, RTN_PROHIBIT);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_get_str(db, "10.81.1.1", &res, &err), -EHOSTUNREACH);
	assert_int_equal(res.type, RTN_UNREACHABLE);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_get_str(db, "fd79::1", &res, &err), -EINVAL);
	assert_int_equal(res.type, RTN_BLACKHOLE);
	gn_netdb_close(db);
	sh("ip route del blackhole 10.79.0.0/16");
	sh("ip route del prohibit 10.80.0.0/16");
	sh("ip route del unreachable 10.81.0.0/16");
	sh("ip -6 route del blackhole fd79::/48");
}

static void test_route_none(void **state)
{
	struct gn_route_result res;
	struct gn_error err = { 0 };
	struct gn_netdb *db;

	(void)state;
	NEED_NS();
	/* The lab's hosts have default routes; selftests/net checks this
	 * there after removing one. */
	if (in_lab)
		skip();
	db = open_db(false);
	assert_int_equal(gn_netdb_route_get_str(db, "192.0.2.1", &res, &err), -ENETUNREACH);
	assert_string_equal(err.msg, "no route to 192.0.2.1");
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_get_str(db, "2001:db8::1", &res, &err), -ENETUNREACH);
	assert_string_equal(err.msg, "no route to 2001:db8::1");
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_get_str(db, "nowhere", &res, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'nowhere' is not an IPv4 or IPv6 address"));
	gn_netdb_close(db);
}

static void test_rules(void **state)
{
	struct gn_route_result res;
	struct gn_error err = { 0 };
	struct gn_netdb *db;

	(void)state;
	NEED_NS();
	SH("ip rule add to 10.55.0.0/16 lookup 100 pref 100");
	SH("ip route add 10.55.0.0/16 via 10.77.0.7 table 100");
	SH("ip rule add to 10.56.0.0/16 prohibit pref 101");
	/* A rule that asks for a mark never matches a lookup without one. */
	SH("ip rule add fwmark 7 lookup 100 pref 102");
	SH("ip route add 10.57.0.0/16 via 10.77.0.8 table 100");
	db = open_db(false);
	expect_route(db, "10.55.3.3", "gnt0", "10.77.0.7", "10.77.0.1", &res);
	assert_int_equal(res.table, 100);
	assert_int_equal(gn_netdb_route_get_str(db, "10.56.1.1", &res, &err), -EACCES);
	assert_string_equal(err.msg, "no route to 10.56.1.1: rule 101 says prohibit");
	memset(&err, 0, sizeof(err));
	if (gn_netdb_route_get_str(db, "10.57.1.1", &res, &err) == 0)
		assert_int_not_equal(res.table, 100);
	gn_netdb_close(db);
	sh("ip rule del pref 100");
	sh("ip rule del pref 101");
	sh("ip rule del pref 102");
	sh("ip route flush table 100");
}

/* ---- gannet's own routes ---------------------------------------------------- */

static void test_override(void **state)
{
	struct gn_route_result res;
	struct gn_error err = { 0 };
	struct gn_netdb *db, *fresh;
	const struct gn_route *o;
	char line[256];
	int sys_ret;

	(void)state;
	NEED_NS();
	db = open_db(false);
	sys_ret = gn_netdb_route_get_str(db, "10.9.1.1", &res, &err);
	assert_true(sys_ret == 0 ? strcmp(res.ifname, "gnt0") != 0 : sys_ret == -ENETUNREACH);

	assert_int_equal(gn_netdb_route_add(db, "10.9.0.0/16", "10.77.0.2", NULL, &err), 0);
	expect_route(db, "10.9.1.1", "gnt0", "10.77.0.2", "10.77.0.1", &res);
	assert_true(res.override);
	assert_int_equal(gn_netdb_overrides(db, &o), 1);
	assert_true(o[0].override);
	/* Consulted first: even a longer system prefix loses to it. */
	SH("ip route add 10.9.9.0/24 via 10.77.0.5");
	assert_int_equal(gn_netdb_refresh(db, &err), 0);
	expect_route(db, "10.9.9.9", "gnt0", "10.77.0.2", NULL, &res);
	sh("ip route del 10.9.9.0/24");
	assert_int_equal(gn_netdb_refresh(db, &err), 0);
	assert_int_equal(gn_netdb_overrides(db, &o), 1);

	/* On-link out of an interface, IPv6 too. */
	assert_int_equal(gn_netdb_route_add(db, "10.10.0.0/16", NULL, "gnt0", &err), 0);
	expect_route(db, "10.10.2.3", "gnt0", NULL, "10.77.0.1", &res);
	assert_int_equal(gn_netdb_route_add(db, "fd10::/32", "fd77::2", "gnt0", &err), 0);
	expect_route(db, "fd10::5", "gnt0", "fd77::2", "fd77::1", &res);

	/* The system knows nothing of them. */
	sh_line("ip route show 10.9.0.0/16", line, sizeof(line));
	assert_string_equal(line, "");
	fresh = open_db(false);
	memset(&err, 0, sizeof(err));
	sys_ret = gn_netdb_route_get_str(fresh, "10.9.1.1", &res, &err);
	assert_true(sys_ret == 0 ? strcmp(res.ifname, "gnt0") != 0 : sys_ret == -ENETUNREACH);
	assert_int_equal(gn_netdb_overrides(fresh, &o), 0);
	gn_netdb_close(fresh);

	/* Mistakes are told clearly. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_add(db, "10.9.0.0/16", "10.77.0.2", NULL, &err), -EEXIST);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_add(db, "10.9.0.1/16", "10.77.0.2", NULL, &err), -EINVAL);
	assert_string_equal(err.msg, "route 10.9.0.1/16: host bits are set (did you mean "
				     "10.9.0.0/16?)");
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_add(db, "10.9.0.0/33", "10.77.0.2", NULL, &err), -EINVAL);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_add(db, "10.11.0.0/16", NULL, "nope0", &err), -ENODEV);
	assert_string_equal(err.msg, "route 10.11.0.0/16: no interface 'nope0'");
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_add(db, "10.11.0.0/16", "fd77::2", NULL, &err), -EINVAL);
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_add(db, "10.11.0.0/16", NULL, NULL, &err), -EINVAL);

	/* Deleting gives the system's answer back. */
	memset(&err, 0, sizeof(err));
	assert_int_equal(gn_netdb_route_del(db, "10.9.0.0/16", "10.77.0.3", NULL, &err), -ESRCH);
	assert_int_equal(gn_netdb_route_del(db, "10.9.0.0/16", NULL, NULL, &err), 0);
	memset(&err, 0, sizeof(err));
	sys_ret = gn_netdb_route_get_str(db, "10.9.1.1", &res, &err);
	assert_true(sys_ret == 0 ? !res.override : sys_ret == -ENETUNREACH);
	assert_int_equal(gn_netdb_route_del(db, "10.10.0.0/16", NULL, "gnt0", &err), 0);
	assert_int_equal(gn_netdb_route_del(db, "fd10::/32", NULL, NULL, &err), 0);
	assert_int_equal(gn_netdb_overrides(db, &o), 0);
	gn_netdb_close(db);
}

/* ---- notifications ------------------------------------------------------------ */

/* Wait for the notification socket, then apply what is pending. */
static int wait_update(struct gn_netdb *db)
{
	struct pollfd p = { .fd = gn_netdb_fd(db), .events = POLLIN };
	struct gn_error err = { 0 };
	int total = 0, ret;

	assert_true(p.fd >= 0);
	while (poll(&p, 1, total ? 50 : 2000) > 0) {
		ret = gn_netdb_update(db, &err);
		if (ret < 0)
			print_error("gn_netdb_update: %s\n", err.msg);
		assert_true(ret >= 0);
		total += ret;
	}
	return total;
}

static void test_notify_route(void **state)
{
	struct gn_route_result res;
	struct gn_error err = { 0 };
	struct gn_netdb *db;

	(void)state;
	NEED_NS();
	db = open_db(true);
	assert_int_equal(gn_netdb_update(db, &err), 0);
	SH("ip route add 10.82.0.0/16 via 10.77.0.2");
	SH("ip -6 route add fd82::/48 via fd77::2");
	assert_true(wait_update(db) >= 2);
	expect_route(db, "10.82.1.1", "gnt0", "10.77.0.2", "10.77.0.1", &res);
	expect_route(db, "fd82::1", "gnt0", "fd77::2", "fd77::1", &res);
	SH("ip route replace 10.82.0.0/16 via 10.77.0.3");
	assert_true(wait_update(db) >= 1);
	expect_route(db, "10.82.1.1", "gnt0", "10.77.0.3", NULL, &res);
	SH("ip route del 10.82.0.0/16");
	SH("ip -6 route del fd82::/48");
	assert_true(wait_update(db) >= 2);
	memset(&err, 0, sizeof(err));
	if (gn_netdb_route_get_str(db, "10.82.1.1", &res, &err) == 0)
		assert_false(res.has_gateway && !strcmp(str(AF_INET, res.nexthop), "10.77.0.3"));
	gn_netdb_close(db);
}

static void test_notify_neigh_and_link(void **state)
{
	struct gn_error err = { 0 };
	const struct gn_neigh *n;
	struct gn_route_result res;
	struct gn_netdb *db;
	uint8_t a[16];
	int idx;

	(void)state;
	NEED_NS();
	db = open_db(true);
	idx = gn_netdb_iface_by_name(db, "gnt0")->index;
	addr(AF_INET, "10.77.0.5", a);
	assert_null(gn_netdb_neigh_find(db, idx, AF_INET, a));
	SH("ip neigh add 10.77.0.5 lladdr 02:00:00:00:77:05 dev gnt0 nud permanent");
	SH("ip -6 neigh add fd77::5 lladdr 02:00:00:00:77:06 dev gnt0 nud permanent");
	assert_true(wait_update(db) >= 2);
	n = gn_netdb_neigh_find(db, idx, AF_INET, a);
	assert_non_null(n);
	assert_int_equal(n->lladdr_len, 6);
	assert_memory_equal(n->lladdr, "\x02\0\0\0\x77\x05", 6);
	assert_int_equal(n->state, NUD_PERMANENT);
	addr(AF_INET6, "fd77::5", a);
	n = gn_netdb_neigh_find(db, idx, AF_INET6, a);
	assert_non_null(n);
	assert_memory_equal(n->lladdr, "\x02\0\0\0\x77\x06", 6);
	SH("ip -6 neigh del fd77::5 dev gnt0");
	assert_true(wait_update(db) >= 1);
	assert_null(gn_netdb_neigh_find(db, idx, AF_INET6, a));

	/* A new link, its address and route; then it goes down, which
	 * takes the IPv4 route away without a notification of its own. */
	SH("ip link add gnt4 type veth peer name gnt5");
	SH("ip addr add 10.83.0.1/24 dev gnt4");
	SH("ip link set gnt4 up");
	SH("ip link set gnt5 up");
	SH("ip route add 10.84.0.0/16 via 10.83.0.2");
	assert_true(wait_update(db) >= 3);
	assert_non_null(gn_netdb_iface_by_name(db, "gnt4"));
	expect_route(db, "10.84.1.1", "gnt4", "10.83.0.2", "10.83.0.1", &res);
	/* A bridge port's AF_BRIDGE messages (RTM_DELLINK when it leaves
	 * the bridge) are not the link's own. */
	SH("ip link add gntbr type bridge");
	SH("ip link set gnt5 master gntbr");
	assert_true(wait_update(db) >= 1);
	assert_int_equal(gn_netdb_iface_by_name(db, "gnt5")->master,
			 gn_netdb_iface_by_name(db, "gntbr")->index);
	SH("ip neigh add 10.85.0.9 lladdr 02:00:00:00:85:09 dev gnt5 nud permanent");
	assert_true(wait_update(db) >= 1);
	addr(AF_INET, "10.85.0.9", a);
	idx = gn_netdb_iface_by_name(db, "gnt5")->index;
	assert_non_null(gn_netdb_neigh_find(db, idx, AF_INET, a));
	SH("ip link set gnt5 nomaster");
	SH("ip link del gntbr");
	assert_true(wait_update(db) >= 1);
	assert_null(gn_netdb_iface_by_name(db, "gntbr"));
	assert_non_null(gn_netdb_iface_by_name(db, "gnt5"));
	assert_int_equal(gn_netdb_iface_by_name(db, "gnt5")->master, 0);
	/* What the port had is still there: the port was not deleted. */
	assert_non_null(gn_netdb_neigh_find(db, idx, AF_INET, a));
	SH("ip link set gnt4 down");
	assert_true(wait_update(db) >= 1);
	memset(&err, 0, sizeof(err));
	if (gn_netdb_route_get_str(db, "10.84.1.1", &res, &err) == 0)
		assert_string_not_equal(res.ifname, "gnt4");
	SH("ip link del gnt4");
	assert_true(wait_update(db) >= 1);
	assert_null(gn_netdb_iface_by_name(db, "gnt4"));
	assert_null(gn_netdb_iface_by_name(db, "gnt5"));
	gn_netdb_close(db);
}

static void test_update_needs_watch(void **state)
{
	struct gn_error err = { 0 };
	struct gn_netdb *db;

	(void)state;
	NEED_NS();
	db = open_db(false);
	assert_int_equal(gn_netdb_fd(db), -1);
	assert_int_equal(gn_netdb_update(db, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "not opened to watch"));
	gn_netdb_close(db);
}

/* ---- names: no namespace needed ------------------------------------------------- */

struct flags_ctx {
	char buf[128];
};

static void add_flag(void *ctx, const char *name)
{
	struct flags_ctx *c = ctx;

	if (c->buf[0])
		strcat(c->buf, ",");
	strcat(c->buf, name);
}

static void test_names(void **state)
{
	struct flags_ctx f = { "" };
	char buf[64];
	uint8_t mac[6] = { 0x02, 0, 0xab, 0, 0, 0x01 };

	(void)state;
	assert_string_equal(gn_nl_rtn_name(RTN_BLACKHOLE), "blackhole");
	assert_string_equal(gn_nl_rtn_name(200), "");
	assert_string_equal(gn_nl_scope_name(RT_SCOPE_LINK, buf, sizeof(buf)), "link");
	assert_string_equal(gn_nl_scope_name(7, buf, sizeof(buf)), "7");
	assert_string_equal(gn_nl_proto_name(RTPROT_KERNEL, buf, sizeof(buf)), "kernel");
	assert_string_equal(gn_nl_proto_name(250, buf, sizeof(buf)), "250");
	assert_string_equal(gn_nl_table_name(RT_TABLE_LOCAL, buf, sizeof(buf)), "local");
	assert_string_equal(gn_nl_table_name(100, buf, sizeof(buf)), "100");
	assert_string_equal(gn_nl_link_type_name(1, buf, sizeof(buf)), "ether");
	assert_string_equal(gn_nl_link_type_name(0xfff0, buf, sizeof(buf)), "[65520]");
	assert_string_equal(gn_nl_operstate_name(6), "UP");
	assert_string_equal(gn_nl_lladdr_str(mac, 6, buf, sizeof(buf)), "02:00:ab:00:00:01");
	assert_string_equal(gn_nl_lladdr_str(mac, 6, buf, 9), "02:00:ab");
	gn_nl_iface_flags(IFF_UP | IFF_BROADCAST | IFF_MULTICAST | (1 << 16) | IFF_RUNNING,
			  add_flag, &f);
	assert_string_equal(f.buf, "BROADCAST,MULTICAST,UP,LOWER_UP");
	f.buf[0] = '\0';
	gn_nl_iface_flags(IFF_UP | IFF_BROADCAST, add_flag, &f);
	assert_string_equal(f.buf, "NO-CARRIER,BROADCAST,UP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_ifaces),
		cmocka_unit_test(test_addrs),
		cmocka_unit_test(test_route_onlink_and_local),
		cmocka_unit_test(test_route_prefix_and_metric),
		cmocka_unit_test(test_route_reject),
		cmocka_unit_test(test_route_none),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_notify_route),
		cmocka_unit_test(test_notify_neigh_and_link),
		cmocka_unit_test(test_update_needs_watch),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
