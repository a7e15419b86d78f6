/* ctl_stats.c - gatepostctl stats: both daemons' /metrics side by side */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <curl/curl.h>
#include <jansson.h>

#include "ctl.h"
#include "gpstats.h"
#include "promtext.h"
#include "sbuf.h"

#define ST_USAGE "usage: gatepostctl stats [-c FILE] [--json] " \
	"[--policyd HOST:PORT] [--milter HOST:PORT] [--timeout SECONDS]\n"
#define ST_MAX_BODY	(8 * 1024 * 1024)

struct source {				/* one daemon's endpoint */
	const char *name;		/* "policyd", "milter" */
	const char *addr;		/* HOST:PORT or URL; NULL: none */
	char	 url[512];
	int	 up;
	char	 why[CURL_ERROR_SIZE + 64];
	struct prom_samples samples;
};

struct st_opts {
	const char *path;
	int	 json;
	long	 timeout_ms;
	struct source src[2];
};

static size_t on_body(char *, size_t, size_t, void *);
static int fetch(struct source *, long);
static int st_args(int, char **, struct st_opts *);
static void print_text(const struct st_opts *, const struct gpstats *);
static void print_json(const struct st_opts *, const struct gpstats *);

static const struct option st_longopts[] = {
	CTL_OPT_CONFIG,
	{"json", no_argument, NULL, 'j'},
	{"policyd", required_argument, NULL, 'P'},
	{"milter", required_argument, NULL, 'M'},
	{"timeout", required_argument, NULL, 't'},
	CTL_OPT_HELP_END
};

/* on_body - collect the response, bounded */
static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sbuf *b = arg;

	if (b->len + size * n > ST_MAX_BODY)
		return 0;
	sbuf_putn(b, p, size * n);
	return size * n;
}

/* fetch - GET /metrics; 0, or -1 with the reason in s->why */
static int
fetch(struct source *s, long timeout_ms)
{
	char	 err[CURL_ERROR_SIZE] = "", why[128];
	struct sbuf body;
	CURL	*h;
	CURLcode rc;

	(void)snprintf(s->url, sizeof(s->url), "%s%s%s", strstr(s->addr,
	    "://") != NULL ? "" : "http://", s->addr, strstr(s->addr, "://")
	    != NULL ? "" : "/metrics");
	if ((h = curl_easy_init()) == NULL) {
		(void)snprintf(s->why, sizeof(s->why), "cannot start libcurl");
		return -1;
	}
	sbuf_init(&body);
	(void)curl_easy_setopt(h, CURLOPT_URL, s->url);
	(void)curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	(void)curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	(void)curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
	(void)curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
	(void)curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	(void)curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
	(void)curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK)
		(void)snprintf(s->why, sizeof(s->why), "%s", *err != '\0' ?
		    err : curl_easy_strerror(rc));
	else if (promtext_parse(sbuf_str(&body), body.len, &s->samples, why,
	    sizeof(why)) < 0)
		(void)snprintf(s->why, sizeof(s->why), "not Prometheus text: "
		    "%s", why);
	else
		s->up = 1;
	sbuf_free(&body);
	return s->up ? 0 : -1;
}

static int
st_args(int argc, char **argv, struct st_opts *o)
{
	char	*end;
	double	 t;
	int	 c;

	memset(o, 0, sizeof(*o));
	o->path = CTL_DEFAULT_CONFIG;
	o->timeout_ms = 5000;
	o->src[0].name = "policyd";
	o->src[1].name = "milter";
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", st_longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->path = optarg; break;
		case 'j': o->json = 1; break;
		case 'P': o->src[0].addr = optarg; break;
		case 'M': o->src[1].addr = optarg; break;
		case 't':
			t = strtod(optarg, &end);
			if (*end != '\0' || t <= 0 || t > 600)
				goto usage;
			o->timeout_ms = (long)(t * 1000);
			break;
		case 'h': (void)printf(ST_USAGE); return 0;
		default: goto usage;
		}
	}
	if (optind == argc)
		return -1;
usage:
	(void)fprintf(stderr, ST_USAGE);
	return EX_USAGE;
}

static void
print_text(const struct st_opts *o, const struct gpstats *st)
{
	char	*t;
	int	 i;

	for (i = 0; i < 2; i++) {
		if (o->src[i].up)
			(void)printf("%s: %s\n", o->src[i].name, o->src[i].url);
		else
			(void)printf("%s: NOT ANSWERING (%s)\n",
			    o->src[i].name, o->src[i].why);
	}
	(void)printf("\n");
	t = gpstats_table(st);
	(void)fputs(t, stdout);
	free(t);
}

static void
print_json(const struct st_opts *o, const struct gpstats *st)
{
	json_t	*root = gpstats_json(st), *srcs = json_object();
	char	*t;
	int	 i;

	for (i = 0; i < 2; i++)
		(void)json_object_set_new(srcs, o->src[i].name, o->src[i].up ?
		    json_pack("{s:s, s:b}", "url", o->src[i].url, "up", 1) :
		    json_pack("{s:s, s:b, s:s}", "url", o->src[i].url, "up", 0,
		    "error", o->src[i].why));
	(void)json_object_set_new(root, "sources", srcs);
	if ((t = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS)) != NULL)
		(void)printf("%s\n", t);
	free(t);
	json_decref(root);
}

/* ctl_stats - print inbound vs outbound from both daemons' metrics */
int
ctl_stats(int argc, char **argv)
{
	struct st_opts o;
	struct gpstats st;
	struct cfg *cfg;
	int	 rc, i, up = 0;

	if ((rc = st_args(argc, argv, &o)) >= 0)
		return rc;
	if ((cfg = ctl_load(o.path, 1)) == NULL)
		return 1;
	if (o.src[0].addr == NULL)
		o.src[0].addr = cfg->policyd.metrics;
	if (o.src[1].addr == NULL)
		o.src[1].addr = cfg->milter.metrics;
	(void)curl_global_init(CURL_GLOBAL_DEFAULT);
	gpstats_init(&st, cfg);
	for (i = 0; i < 2; i++) {
		if (o.src[i].addr == NULL)
			(void)snprintf(o.src[i].why, sizeof(o.src[i].why),
			    "no %s.metrics address in %s", o.src[i].name,
			    o.path);
		else if (fetch(&o.src[i], o.timeout_ms) == 0) {
			gpstats_add(&st, o.src[i].name, &o.src[i].samples);
			up++;
		}
		if (!o.src[i].up)
			(void)fprintf(stderr, "gatepostctl: %s metrics: %s\n",
			    o.src[i].name, o.src[i].why);
	}
	if (o.json)
		print_json(&o, &st);
	else
		print_text(&o, &st);
	for (i = 0; i < 2; i++)
		promtext_free(&o.src[i].samples);
	gpstats_free(&st);
	curl_global_cleanup();
	cfg_release(cfg);
	return up > 0 ? 0 : 1;
}
