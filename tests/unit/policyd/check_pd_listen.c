/* check_pd_listen.c - listening sockets: addresses, modes, stale and busy */
#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "policyd/pd_listen.h"
#include "unit.h"

static char dir[64];

static void
setup(void)
{
	(void)snprintf(dir, sizeof(dir), "/tmp/pdlisten.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	(void)rmdir(dir);
}

START_TEST(unix_mode_and_cleanup)
{
	struct pd_listener l;
	struct stat sb;
	char	 spec[128], path[96], why[256];

	(void)snprintf(path, sizeof(path), "%s/p.sock", dir);
	(void)snprintf(spec, sizeof(spec), "unix:%s", path);
	ck_assert_int_eq(pd_listen_open(spec, 0640, NULL, &l, why,
	    sizeof(why)), 0);
	ck_assert_int_ge(l.fd, 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISSOCK(sb.st_mode));
	ck_assert_uint_eq(sb.st_mode & 07777, 0640);
	pd_listen_close(&l);
	ck_assert_int_ne(access(path, F_OK), 0);
}
END_TEST

START_TEST(unix_busy_stale_and_not_a_socket)
{
	struct pd_listener a, b;
	char	 spec[128], path[96], why[256];
	int	 fd;

	(void)snprintf(path, sizeof(path), "%s/p.sock", dir);
	(void)snprintf(spec, sizeof(spec), "%s", path);	/* bare path */
	ck_assert_int_eq(pd_listen_open(spec, -1, NULL, &a, why,
	    sizeof(why)), 0);
	/* someone serves it: in use */
	ck_assert_int_eq(pd_listen_open(spec, -1, NULL, &b, why,
	    sizeof(why)), EX_UNAVAILABLE);
	ck_assert_msg(strstr(why, "in use") != NULL, "why: %s", why);
	/* the server died without removing it: stale, replaced */
	(void)close(a.fd);
	a.fd = -1;
	ck_assert_int_eq(pd_listen_open(spec, -1, NULL, &b, why,
	    sizeof(why)), 0);
	pd_listen_close(&b);
	free(a.path);
	/* a regular file is never removed */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	(void)close(fd);
	ck_assert_int_eq(pd_listen_open(spec, -1, NULL, &b, why,
	    sizeof(why)), EX_CANTCREAT);
	ck_assert_msg(strstr(why, "not a socket") != NULL, "why: %s", why);
	(void)unlink(path);
}
END_TEST

START_TEST(unix_unknown_group)
{
	struct pd_listener l;
	char	 spec[128], why[256];

	(void)snprintf(spec, sizeof(spec), "unix:%s/g.sock", dir);
	ck_assert_int_eq(pd_listen_open(spec, 0660, "no-such-group-gp", &l,
	    why, sizeof(why)), EX_NOUSER);
}
END_TEST

START_TEST(inet_busy)
{
	struct pd_listener a, b;
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	char	 spec[64], why[256];

	ck_assert_int_eq(pd_listen_open("inet:127.0.0.1:0", -1, NULL, &a, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(getsockname(a.fd, (struct sockaddr *)&sin, &len), 0);
	(void)snprintf(spec, sizeof(spec), "127.0.0.1:%u",
	    ntohs(sin.sin_port));
	ck_assert_int_eq(pd_listen_open(spec, -1, NULL, &b, why,
	    sizeof(why)), EX_UNAVAILABLE);
	ck_assert_msg(strstr(why, "in use") != NULL, "why: %s", why);
	pd_listen_close(&a);
}
END_TEST

static const struct bad_case {
	const char *name, *in;
	int	 want;
} bad_cases[] = {
	{ "no port", "inet:127.0.0.1", EX_USAGE },
	{ "empty port", "inet:127.0.0.1:", EX_USAGE },
	{ "word", "bogus", EX_USAGE },
	{ "relative unix path", "unix:run/p.sock", EX_USAGE },
	{ "bad host", "inet:no.such.host.invalid:10040", EX_USAGE },
	{ "service name", "inet:127.0.0.1:smtp", EX_USAGE },
};

START_TEST(bad_addresses)
{
	const struct bad_case *c = &bad_cases[_i];
	struct pd_listener l;
	char	 why[256] = "";
	int	 rc = pd_listen_open(c->in, -1, NULL, &l, why, sizeof(why));

	ck_assert_msg(rc == c->want, "%s: got %d, want %d (%s)", c->name, rc,
	    c->want, why);
	ck_assert_msg(why[0] != '\0', "%s: no reason", c->name);
}
END_TEST

START_TEST(split_lists)
{
	char	 buf[256], *v[PD_LISTEN_MAX];

	ck_assert_int_eq(pd_listen_split("unix:/a, inet:127.0.0.1:1 ,x", buf,
	    sizeof(buf), v, PD_LISTEN_MAX), 3);
	ck_assert_str_eq(v[0], "unix:/a");
	ck_assert_str_eq(v[1], "inet:127.0.0.1:1");
	ck_assert_str_eq(v[2], "x");
	ck_assert_int_eq(pd_listen_split("a b c", buf, sizeof(buf), v, 2), -1);
	ck_assert_int_eq(pd_listen_split(" , ", buf, sizeof(buf), v, 2), 0);
}
END_TEST

static void
pd_listen_suite(Suite *s)
{
	TCase	*tc;

	tc = unit_tests(s, "unix sockets", unix_mode_and_cleanup,
	    unix_busy_stale_and_not_a_socket, unix_unknown_group, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = unit_tcase(s, "inet sockets and addresses");
	tcase_add_test(tc, inet_busy);
	tcase_add_loop_test(tc, bad_addresses, 0, NELEM(bad_cases));
	tcase_add_test(tc, split_lists);
}

UNIT_MAIN("pd_listen", pd_listen_suite)
