/* check_pd_control.c - the control socket's line protocol and commands */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "file.h"
#include "log.h"
#include "pd_control.h"
#include "unit.h"

static const uint64_t seed[2] = { 5, 6 };

static const char cfg_text[] =
"{ \"version\": 1, \"instances\": [\n"
"  { \"name\": \"outbound\", \"direction\": \"outbound\",\n"
"    \"rate_limits\": [ { \"key\": \"sasl_username\", \"limit\": 5,\n"
"      \"window\": 3600 },\n"
"      { \"key\": \"sender\", \"limit\": 50, \"window\": 60,\n"
"        \"count\": \"recipients\" } ] },\n"
"  { \"name\": \"inbound\", \"direction\": \"inbound\",\n"
"    \"rate_limits\": [ { \"key\": \"client_address\", \"limit\": 9,\n"
"      \"window\": 60 } ] } ],\n"
"  \"policyd\": {} }\n";

struct fx {
	struct event_base *base;
	struct metrics *m;
	struct pd_env env;
	struct pd_control *ctl;
	char	 dir[64], path[96];
	int	 cl;			/* client socket */
};

/* fx_start - a control socket over a memory store, and a client */
static void
fx_start(struct fx *x)
{
	struct sockaddr_un sun;
	struct cfg_errors errs;
	struct cfg *cfg;
	int	 fd;

	memset(x, 0, sizeof(*x));
	memset(&errs, 0, sizeof(errs));
	(void)signal(SIGPIPE, SIG_IGN);
	log_open("check_pd_control", 1, 0);
	cfg = cfg_parse(cfg_text, strlen(cfg_text), "t.json", NULL, file_read,
	    &errs);
	ck_assert_ptr_nonnull(cfg);
	cfg_errors_free(&errs);
	x->base = event_base_new();
	x->m = metrics_new();
	pd_env_init(&x->env, x->m, cfg, rl_mem_new(seed));
	(void)snprintf(x->dir, sizeof(x->dir), "/tmp/gp-ctl-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(x->dir));
	(void)snprintf(x->path, sizeof(x->path), "%s/c.sock", x->dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", x->path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	ck_assert_int_eq(listen(fd, 8), 0);
	x->ctl = pd_control_new(x->base, &x->env, fd, x->path);
	x->cl = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_eq(connect(x->cl, (struct sockaddr *)&sun, sizeof(sun)),
	    0);
}

static void
fx_end(struct fx *x)
{
	(void)close(x->cl);
	pd_control_free(x->ctl);
	pd_env_free(&x->env);
	metrics_free(x->m);
	event_base_free(x->base);
	(void)unlink(x->path);
	(void)rmdir(x->dir);
}

/* complete - the text ends with a status line (or n of them) */
static int
complete(const char *t, int n)
{
	const char *p;
	int	 seen = 0;

	for (p = t; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strchr(p, '\n') == NULL)
			break;
		if (strncmp(p, "OK\n", 3) == 0 || strncmp(p, "ERR ", 4) == 0)
			seen++;
	}
	return seen >= n;
}

/* talk - send text, pump the loop until n answers (or EOF, or 2 s) */
static char *
talk(struct fx *x, const char *text, size_t len, int n, int *eof)
{
	static char buf[65536];
	size_t	 got = 0, off = 0;
	ssize_t	 r;
	int	 i;

	*eof = 0;
	buf[0] = '\0';
	for (i = 0; i < 400 && !complete(buf, n) && !*eof; i++) {
		if (off < len && (r = write(x->cl, text + off, len - off)) > 0)
			off += (size_t)r;
		(void)event_base_loop(x->base, EVLOOP_NONBLOCK);
		r = read(x->cl, buf + got, sizeof(buf) - 1 - got);
		if (r > 0) {
			got += (size_t)r;
			buf[got] = '\0';
		} else if (r == 0)
			*eof = 1;
		else if (errno == EAGAIN) {
			struct timespec ts = { 0, 5 * 1000 * 1000 };

			(void)nanosleep(&ts, NULL);
		}
	}
	return buf;
}

/* say - one command line; its whole answer */
static char *
say(struct fx *x, const char *line)
{
	char	 t[2048];
	int	 eof;

	(void)snprintf(t, sizeof(t), "%s\n", line);
	return talk(x, t, strlen(t), 1, &eof);
}

/* charge - count one message of alice (login) in the memory store */
static void
charge(struct fx *x, const char *login)
{
	struct facts f;
	struct verdict v;

	facts_init(&f);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), login);
	verdict_init(&v);
	(void)rl_eval(x->env.rl, &x->env.cfg->inst[0], &f, CFG_RL_MESSAGES, 1,
	    (uint64_t)time(NULL), &v);
}

START_TEST(ping_help_store)
{
	struct fx x;

	fx_start(&x);
	ck_assert_str_eq(say(&x, "ping"), "- pong " PACKAGE_VERSION "\nOK\n");
	ck_assert_ptr_nonnull(strstr(say(&x, "help"),
	    "- ratelimit show|reset [--instance NAME] VALUE\n"));
	ck_assert_str_eq(say(&x, "store"), "- type=memory keys=0 up=1\nOK\n");
	ck_assert_str_eq(say(&x, "nosuch"),
	    "ERR unknown command \"nosuch\" (try help)\n");
	ck_assert_str_eq(say(&x, ""), "ERR empty command (try help)\n");
	ck_assert_str_eq(say(&x, "ping extra"), "ERR usage: ping\n");
	fx_end(&x);
}
END_TEST

START_TEST(show_and_reset)
{
	struct fx x;
	char	*a;

	fx_start(&x);
	charge(&x, "alice");
	charge(&x, "Alice");
	a = say(&x, "ratelimit show ALICE");
	ck_assert_msg(strstr(a, "- instance=outbound index=0 key=sasl_username "
	    "value=alice window=3600 count=messages limit=5 used=2 "
	    "remaining=3\n") != NULL, "%s", a);
	/* the same value under every limit it can be the key of */
	ck_assert_msg(strstr(a, "- instance=outbound index=1 key=sender "
	    "value=alice window=60 count=recipients limit=50 used=0 "
	    "remaining=50\n") != NULL, "%s", a);
	ck_assert_msg(strstr(a, "instance=inbound") == NULL, "%s", a);
	ck_assert_msg(strcmp(a + strlen(a) - 3, "OK\n") == 0, "%s", a);
	a = say(&x, "ratelimit show --instance inbound alice");
	ck_assert_str_eq(a, "ERR no rate limit applies to that value\n");
	a = say(&x, "ratelimit show --instance nosuch alice");
	ck_assert_str_eq(a, "ERR no instance \"nosuch\"\n");
	a = say(&x, "ratelimit show --instance inbound ::ffff:192.0.2.1");
	ck_assert_msg(strstr(a, "value=192.0.2.1 window=60") != NULL, "%s", a);
	a = say(&x, "ratelimit reset --instance outbound alice");
	ck_assert_msg(strstr(a, "index=0 key=sasl_username value=alice "
	    "window=3600 count=messages limit=5 used=2") != NULL, "%s", a);
	a = say(&x, "ratelimit show alice");
	ck_assert_msg(strstr(a, "used=0 remaining=5") != NULL, "%s", a);
	ck_assert_str_eq(say(&x, "ratelimit frob alice"),
	    "ERR usage: ratelimit show|reset [--instance NAME] VALUE\n");
	ck_assert_str_eq(say(&x, "ratelimit show"),
	    "ERR usage: ratelimit show|reset [--instance NAME] VALUE\n");
	ck_assert_str_eq(say(&x, "ratelimit show a b"),
	    "ERR usage: ratelimit show|reset [--instance NAME] VALUE\n");
	fx_end(&x);
}
END_TEST

START_TEST(pipelined_commands)
{
	struct fx x;
	int	 eof;

	fx_start(&x);
	ck_assert_str_eq(talk(&x, "ping\nstore\nnosuch\n", 18, 3, &eof),
	    "- pong " PACKAGE_VERSION "\nOK\n- type=memory keys=0 up=1\nOK\n"
	    "ERR unknown command \"nosuch\" (try help)\n");
	fx_end(&x);
}
END_TEST

static const struct words_case {
	const char *name;
	int	 words;
	const char *want;
} words_cases[] = {
	{ "15 words", 15, "ERR unknown command \"w\" (try help)\n" },
	{ "16 words: the most", 16, "ERR unknown command \"w\" (try help)\n" },
	{ "17 words: too many", 17, "ERR too many words (at most 16)\n" },
};

START_TEST(word_bound)
{
	const struct words_case *c = &words_cases[_i];
	char	 line[256] = "";
	struct fx x;
	int	 i;

	for (i = 0; i < c->words; i++)
		(void)strcat(line, i ? " w" : "w");
	fx_start(&x);
	ck_assert_msg(strcmp(say(&x, line), c->want) == 0, "%s", c->name);
	fx_end(&x);
}
END_TEST

static const struct line_case {
	const char *name;
	size_t	 len;			/* bytes before the newline */
	int	 closed;
} line_cases[] = {
	{ "1023 bytes", 1023, 0 },
	{ "1024 bytes: the most", 1024, 0 },
	{ "1025 bytes: too long, closed", 1025, 1 },
	{ "no newline, past the bound", 4000, 1 },
};

START_TEST(line_bound)
{
	const struct line_case *c = &line_cases[_i];
	static char line[8192];
	struct fx x;
	char	*a;
	int	 eof, i;

	memset(line, 'x', c->len);
	line[c->len] = '\n';
	fx_start(&x);
	a = talk(&x, line, c->len + (c->len < 4000), 1, &eof);
	if (!c->closed) {
		ck_assert_msg(strncmp(a, "ERR unknown command", 19) == 0,
		    "%s: %s", c->name, a);
		ck_assert_str_eq(say(&x, "ping"), "- pong " PACKAGE_VERSION
		    "\nOK\n");
	} else {
		ck_assert_msg(strcmp(a, "ERR line too long (at most 1024 "
		    "bytes)\n") == 0, "%s: %s", c->name, a);
		for (i = 0; i < 50 && !eof; i++)
			(void)talk(&x, "", 0, 1, &eof);
		ck_assert_msg(eof, "%s: not closed", c->name);
	}
	fx_end(&x);
}
END_TEST

static void
pd_control_suite(Suite *s)
{
	TCase	*tc = unit_tests(s, "line protocol", ping_help_store,
	    show_and_reset, pipelined_commands, NULL);

	tcase_add_loop_test(tc, word_bound, 0, NELEM(words_cases));
	tcase_add_loop_test(tc, line_bound, 0, NELEM(line_cases));
}

UNIT_MAIN("pd_control", pd_control_suite)
