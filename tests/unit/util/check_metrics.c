/* check_metrics.c - registry, exposition and the /metrics endpoint */
#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "metrics.h"
#include "unit.h"

static const char *const req_labels[] = { "face", "direction", "reply",
	NULL };

/* render - the exposition as a string the test owns */
static char *
render(struct metrics *m)
{
	size_t	 len;
	char	*s = metrics_render(m, &len);

	ck_assert_uint_eq(strlen(s), len);
	return s;
}

/* exposes - the exposition of m is want; frees m */
static void
exposes(struct metrics *m, const char *want)
{
	char	*s = render(m);

	ck_assert_str_eq(s, want);
	free(s);
	metrics_free(m);
}

START_TEST(counter_series)
{
	struct metrics *m = metrics_new();
	struct metrics_family *f;
	const char *a[] = { "inbound", "inbound", "dunno" };
	const char *b[] = { "inbound", "inbound", "reject" };

	f = metrics_family(m, "gatepost_policy_requests_total",
	    "Policy requests answered.", METRICS_COUNTER, req_labels, NULL, 0);
	metrics_inc(f, a, 2);
	metrics_add(metrics_series(f, b), 1);
	metrics_inc(f, a, 1);
	exposes(m,
	    "# HELP gatepost_policy_requests_total Policy requests answered.\n"
	    "# TYPE gatepost_policy_requests_total counter\n"
	    "gatepost_policy_requests_total{face=\"inbound\","
	    "direction=\"inbound\",reply=\"dunno\"} 3\n"
	    "gatepost_policy_requests_total{face=\"inbound\","
	    "direction=\"inbound\",reply=\"reject\"} 1\n");
}
END_TEST

START_TEST(series_pointer_stable)
{
	struct metrics *m = metrics_new();
	struct metrics_family *f;
	struct metrics_series *first;
	char	 name[32];
	const char *v[] = { name, "x", "y" };
	int	 i;

	f = metrics_family(m, "t_total", "t", METRICS_COUNTER, req_labels,
	    NULL, 0);
	(void)snprintf(name, sizeof(name), "f0");
	first = metrics_series(f, v);
	for (i = 1; i < 100; i++) {
		(void)snprintf(name, sizeof(name), "f%d", i);
		(void)metrics_series(f, v);
	}
	(void)snprintf(name, sizeof(name), "f0");
	ck_assert_ptr_eq(metrics_series(f, v), first);
	metrics_free(m);
}
END_TEST

START_TEST(unlabelled_and_gauge)
{
	struct metrics *m = metrics_new();
	struct metrics_family *g;

	(void)metrics_family(m, "a_total", "A.", METRICS_COUNTER, NULL,
	    NULL, 0);
	g = metrics_family(m, "gatepost_ratelimit_keys", "Keys.",
	    METRICS_GAUGE, NULL, NULL, 0);
	metrics_set(metrics_series(g, NULL), -5);
	metrics_set(metrics_series(g, NULL), 42);
	exposes(m,
	    "# HELP a_total A.\n# TYPE a_total counter\na_total 0\n"
	    "# HELP gatepost_ratelimit_keys Keys.\n"
	    "# TYPE gatepost_ratelimit_keys gauge\n"
	    "gatepost_ratelimit_keys 42\n");
}
END_TEST

START_TEST(escaping)
{
	struct metrics *m = metrics_new();
	static const char *const l[] = { "v", NULL };
	struct metrics_family *f;
	const char *v[] = { "a\"b\\c\nd" };

	f = metrics_family(m, "e_total", "help \\ and\nnewline",
	    METRICS_COUNTER, l, NULL, 0);
	metrics_inc(f, v, 1);
	exposes(m,
	    "# HELP e_total help \\\\ and\\nnewline\n"
	    "# TYPE e_total counter\n"
	    "e_total{v=\"a\\\"b\\\\c\\nd\"} 1\n");
}
END_TEST

START_TEST(histogram)
{
	struct metrics *m = metrics_new();
	static const char *const l[] = { "engine", NULL };
	static const double bk[] = { 0.1, 0.5, 2.5 };
	struct metrics_family *f;
	struct metrics_series *se;
	const char *v[] = { "spamd" };

	f = metrics_family(m, "gatepost_scan_seconds", "Scan time.",
	    METRICS_HISTOGRAM, l, bk, 3);
	se = metrics_series(f, v);
	metrics_observe(se, 0.05);
	metrics_observe(se, 0.1);
	metrics_observe(se, 0.3);
	metrics_observe(se, 10);
	exposes(m,
	    "# HELP gatepost_scan_seconds Scan time.\n"
	    "# TYPE gatepost_scan_seconds histogram\n"
	    "gatepost_scan_seconds_bucket{engine=\"spamd\",le=\"0.1\"} 2\n"
	    "gatepost_scan_seconds_bucket{engine=\"spamd\",le=\"0.5\"} 3\n"
	    "gatepost_scan_seconds_bucket{engine=\"spamd\",le=\"2.5\"} 3\n"
	    "gatepost_scan_seconds_bucket{engine=\"spamd\",le=\"+Inf\"} 4\n"
	    "gatepost_scan_seconds_sum{engine=\"spamd\"} 10.45\n"
	    "gatepost_scan_seconds_count{engine=\"spamd\"} 4\n");
}
END_TEST

START_TEST(cardinality_cap)
{
	struct metrics *m = metrics_new();
	static const char *const l[] = { "rule", NULL };
	struct metrics_family *f;
	const char *a[] = { "a" }, *b[] = { "b" }, *c[] = { "c" };

	f = metrics_family(m, "c_total", "C.", METRICS_COUNTER, l, NULL, 0);
	metrics_family_cap(f, 2);
	metrics_inc(f, a, 1);
	metrics_inc(f, b, 1);
	metrics_inc(f, c, 1);
	metrics_inc(f, c, 1);
	metrics_inc(f, a, 1);
	exposes(m, "# HELP c_total C.\n# TYPE c_total counter\n"
	    "c_total{rule=\"a\"} 2\nc_total{rule=\"b\"} 1\n"
	    "c_total{rule=\"other\"} 2\n");
}
END_TEST

/* a per-login family keeps the face past its cap; login reads _other */
START_TEST(cardinality_cap_label)
{
	struct metrics *m = metrics_new();
	static const char *const l[] = { "face", "login", NULL };
	struct metrics_family *f;
	const char *a[] = { "outbound", "alice" }, *b[] = { "outbound", "bob" };
	const char *c[] = { "outbound", "carol" }, *d[] = { "sub", "dave" };

	f = metrics_family(m, "l_total", "L.", METRICS_COUNTER, l, NULL, 0);
	ck_assert_int_eq(metrics_family_cap_label(f, 2, "nope", "_o"), -1);
	ck_assert_int_eq(metrics_family_cap_label(f, 2, "login", "_other"),
	    0);
	metrics_inc(f, a, 1);
	metrics_inc(f, b, 1);
	metrics_inc(f, c, 3);
	metrics_inc(f, d, 1);
	metrics_inc(f, a, 1);
	exposes(m, "# HELP l_total L.\n# TYPE l_total counter\n"
	    "l_total{face=\"outbound\",login=\"alice\"} 2\n"
	    "l_total{face=\"outbound\",login=\"bob\"} 1\n"
	    "l_total{face=\"outbound\",login=\"_other\"} 3\n"
	    "l_total{face=\"sub\",login=\"_other\"} 1\n");
}
END_TEST

/* free_port - a loopback TCP port nobody listens on right now */
static unsigned
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int	 fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	(void)close(fd);
	return ntohs(sin.sin_port);
}

/* http_get - one HTTP/1.0 request; the whole response, malloc'ed */
static char *
http_get(unsigned port, const char *method, const char *path)
{
	struct sockaddr_in sin;
	char	 req[256], *buf = calloc(1, 65536);
	size_t	 len = 0;
	ssize_t	 n;
	int	 fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sin, sizeof(sin)),
	    0);
	n = snprintf(req, sizeof(req), "%s %s HTTP/1.0\r\n\r\n", method,
	    path);
	ck_assert_int_eq(write(fd, req, (size_t)n), n);
	while ((n = read(fd, buf + len, 65535 - len)) > 0)
		len += (size_t)n;
	(void)close(fd);
	return buf;
}

START_TEST(http_endpoint)
{
	struct metrics *m = metrics_new();
	struct metrics_http *h;
	struct metrics_family *f;
	const char *v[] = { "ok" };
	static const char *const l[] = { "result", NULL };
	char	 listen[64], why[256], *r;
	unsigned port = free_port();

	f = metrics_family(m, "gatepost_config_reloads_total", "Reloads.",
	    METRICS_COUNTER, l, NULL, 0);
	metrics_inc(f, v, 3);
	(void)snprintf(listen, sizeof(listen), "127.0.0.1:%u", port);
	h = metrics_http_start(m, listen, why, sizeof(why));
	ck_assert_msg(h != NULL, "start: %s", why);

	r = http_get(port, "GET", "/metrics");
	ck_assert_msg(strncmp(r, "HTTP/1.0 200", 12) == 0 ||
	    strncmp(r, "HTTP/1.1 200", 12) == 0, "got %.40s", r);
	ck_assert_ptr_nonnull(strstr(r, "text/plain; version=0.0.4"));
	ck_assert_ptr_nonnull(strstr(r,
	    "gatepost_config_reloads_total{result=\"ok\"} 3\n"));
	free(r);
	r = http_get(port, "GET", "/");
	ck_assert_ptr_nonnull(strstr(r, " 404 "));
	free(r);
	r = http_get(port, "POST", "/metrics");
	ck_assert_ptr_nonnull(strstr(r, " 405 "));
	free(r);

	/* The port is taken now: a second server must say why it failed. */
	ck_assert_ptr_null(metrics_http_start(m, listen, why, sizeof(why)));
	ck_assert_msg(strstr(why, listen) != NULL, "why: %s", why);
	metrics_http_stop(h);
	metrics_free(m);
}
END_TEST

static const struct bad_listen {
	const char *name, *in;
} bad_listen[] = {
	{ "no port", "127.0.0.1" },
	{ "empty port", "127.0.0.1:" },
	{ "bad port", "127.0.0.1:http" },
	{ "bad host", "no.such.host.invalid:9467" },
};

START_TEST(http_bad_listen)
{
	const struct bad_listen *c = &bad_listen[_i];
	struct metrics *m = metrics_new();
	char	 why[256] = "";

	ck_assert_msg(metrics_http_start(m, c->in, why, sizeof(why)) == NULL,
	    "%s: started", c->name);
	ck_assert_msg(why[0] != '\0', "%s: no reason", c->name);
	metrics_free(m);
}
END_TEST

static void
metrics_suite(Suite *s)
{
	TCase	*tc;

	unit_tests(s, "exposition", counter_series, series_pointer_stable,
	    unlabelled_and_gauge, escaping, histogram, cardinality_cap,
	    cardinality_cap_label, NULL);
	tc = unit_tcase(s, "http endpoint");
	tcase_add_test(tc, http_endpoint);
	tcase_add_loop_test(tc, http_bad_listen, 0, NELEM(bad_listen));
}

UNIT_MAIN("metrics", metrics_suite)
