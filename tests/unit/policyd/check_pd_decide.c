/* check_pd_decide.c - request streams to replies, log lines and metrics */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "policyd/pd_decide.h"
#include "unit.h"

#define GOLDEN_DIR	"tests/data/policy"
#define T0		1000000		/* the clock of the first request */

static const uint64_t seed[2] = { 1, 2 };

struct out {
	char	*p;
	size_t	 len, cap;
};

static void
out_str(struct out *o, const char *s)
{
	size_t	 n = strlen(s);

	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->p = realloc(o->p, o->cap);
		ck_assert_ptr_nonnull(o->p);
	}
	memcpy(o->p + o->len, s, n + 1);
	o->len += n;
}

/* take_log - what was logged to stderr (a temp file) since last time,
 * with "ident[pid]: " dropped from each line */
static void
take_log(FILE *tmp, long *off, struct out *o)
{
	char	 line[LOG_LINE_MAX + 128], *p;

	(void)fflush(stderr);
	(void)fseek(tmp, *off, SEEK_SET);
	while (fgets(line, sizeof(line), tmp) != NULL) {
		p = strstr(line, "]: ");
		out_str(o, "  log: ");
		out_str(o, p != NULL ? p + 3 : line);
	}
	*off = ftell(tmp);
}

/* metrics_lines - the samples of the exposition (no comments) */
static void
metrics_lines(struct metrics *m, struct out *o)
{
	char	*text = metrics_render(m, NULL), *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		out_str(o, "metric: ");
		out_str(o, line);
		out_str(o, "\n");
	}
	free(text);
}

/* describe - one line naming the request */
static void
describe(const struct pd_request *r, struct out *o)
{
	char	 line[1024];

	(void)snprintf(line, sizeof(line), "> %s %s context=%s client=%s "
	    "from=<%s> to=<%s> sasl=%s count=%s\n", r->v[PD_A_INSTANCE],
	    r->v[PD_A_PROTOCOL_STATE], r->v[PD_A_POLICY_CONTEXT],
	    r->v[PD_A_CLIENT_ADDRESS], r->v[PD_A_SENDER],
	    r->v[PD_A_RECIPIENT], r->v[PD_A_SASL_USERNAME],
	    r->v[PD_A_RECIPIENT_COUNT]);
	out_str(o, line);
}

/* load - a config the test needs */
static struct cfg *
load(const char *path)
{
	struct cfg_errors errs;
	struct cfg *cfg;

	memset(&errs, 0, sizeof(errs));
	cfg = cfg_load(path, &errs);
	ck_assert_msg(cfg != NULL, "%s: %s", path, errs.err.n ?
	    errs.err.v[0] : "?");
	cfg_errors_free(&errs);
	return cfg;
}

/* run_file - decide every request of one stream; the golden text */
static char *
run_file(const char *in, const char *cfgpath)
{
	struct metrics *m = metrics_new();
	struct pd_env env;
	struct pd_sess sess;
	struct pd_parser p;
	struct pd_request r;
	struct pd_answer a;
	struct out o = { NULL, 0, 0 };
	struct cfg *cfg;
	FILE	*tmp = tmpfile();
	char	*data, line[700];
	size_t	 len, fed = 0, i = 0;
	long	 off = 0;
	int	 saved = dup(2);

	cfg = load(cfgpath);
	data = unit_slurp(in, &len);
	ck_assert_msg(data != NULL, "%s: cannot read", in);
	ck_assert_int_ge(dup2(fileno(tmp), 2), 0);
	log_open("gp", 1, 0);
	pd_env_init(&env, m, cfg, rl_mem_new(seed));
	pd_sess_init(&sess);
	pd_parser_init(&p, 65536, 128);
	out_str(&o, "");
	for (a.close = 0; !a.close; ) {
		if (pd_parser_next(&p, &r) != PD_REQUEST) {
			if (fed == len)
				break;
			fed += pd_parser_feed(&p, data + fed, len - fed);
			continue;
		}
		describe(&r, &o);
		ck_assert_int_eq(pd_decide(&env, &sess, &r, T0 + 10 * i++,
		    &a), 0);
		take_log(tmp, &off, &o);
		(void)snprintf(line, sizeof(line), "  action=%s%s\n", a.action,
		    a.close ? " (close)" : "");
		out_str(&o, line);
	}
	metrics_lines(m, &o);
	(void)dup2(saved, 2);
	(void)close(saved);
	(void)fclose(tmp);
	free(data);
	pd_parser_free(&p);
	pd_sess_free(&sess);
	pd_env_free(&env);
	metrics_free(m);
	return o.p;
}

/* golden_one - NAME.in (with NAME.json or decide.json) against NAME.ref */
static void
golden_one(const char *base)
{
	char	 in[512], ref[512], cfgp[512], *want, *got;
	size_t	 rlen;
	FILE	*fp;

	(void)snprintf(in, sizeof(in), "%s/%s.in", GOLDEN_DIR, base);
	(void)snprintf(ref, sizeof(ref), "%s/%s.ref", GOLDEN_DIR, base);
	(void)snprintf(cfgp, sizeof(cfgp), "%s/%s.json", GOLDEN_DIR, base);
	if (access(cfgp, R_OK) != 0)
		(void)snprintf(cfgp, sizeof(cfgp), "%s/decide.json",
		    GOLDEN_DIR);
	got = run_file(in, cfgp);
	want = unit_slurp(ref, &rlen);
	if (want == NULL && getenv("GP_UPDATE_GOLDEN") != NULL) {
		fp = fopen(ref, "w");
		ck_assert_ptr_nonnull(fp);
		(void)fputs(got, fp);
		(void)fclose(fp);
		want = strdup(got);
	}
	ck_assert_msg(want != NULL, "%s: missing (GP_UPDATE_GOLDEN=1 writes "
	    "it)", ref);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got\n%s\nwant\n%s", base,
	    got, want);
	free(got);
	free(want);
}

static char *names[64];
static int n_names;

/* find_golden - the decide-*.in files, sorted */
static void
find_golden(void)
{
	DIR	*d = opendir(GOLDEN_DIR);
	struct dirent *e;
	size_t	 n;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL && n_names < 64) {
		n = strlen(e->d_name);
		if (strncmp(e->d_name, "decide-", 7) != 0 || n < 4 ||
		    strcmp(e->d_name + n - 3, ".in") != 0)
			continue;
		names[n_names++] = strndup(e->d_name, n - 3);
	}
	(void)closedir(d);
}

START_TEST(golden_stream)
{
	golden_one(names[_i]);
}
END_TEST

START_TEST(golden_present)
{
	ck_assert_msg(n_names >= 6, "only %d decide-*.in files in %s (run "
	    "from the top directory)", n_names, GOLDEN_DIR);
}
END_TEST

static void
pd_decide_suite(Suite *s)
{
	TCase	*tc = unit_tcase(s, "golden request streams");

	find_golden();
	tcase_add_test(tc, golden_present);
	tcase_add_loop_test(tc, golden_stream, 0, n_names);
}

UNIT_MAIN("pd_decide", pd_decide_suite)
