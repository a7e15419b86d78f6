/* ctl_store.c - gatepostctl doctor: the shared rate-limit store */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "ctl.h"
#include "file.h"

struct seen {				/* the daemon's "store" answer */
	char	 line[512];
};

static void problem(const char *, const char *, const char *);
static redisContext *store_open(const struct cfg_store *, char *, size_t);
static int check_policy(redisContext *);
static int check_daemon(const struct cfg *, const char *);

/* problem - one doctor line */
static void
problem(const char *id, const char *what, const char *fix)
{
	(void)printf("doctor: PROBLEM [%s] %s fix: %s\n", id, what, fix);
}

/* command_ok - run a command; 0 unless it failed or answered an error */
static int
command_ok(redisContext *c, int argc, const char **argv, char *why,
    size_t whylen)
{
	redisReply *r = redisCommandArgv(c, argc, argv, NULL);
	int	 rc = 0;

	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		(void)snprintf(why, whylen, "%s: %s", argv[0], r != NULL ?
		    r->str : c->errstr);
		rc = -1;
	}
	if (r != NULL)
		freeReplyObject(r);
	return rc;
}

/* connect_spec - a blocking connection to "HOST:PORT" or "unix:/path" */
static redisContext *
connect_spec(const char *spec)
{
	struct timeval tv = { 2, 0 };
	const char *colon = strrchr(spec, ':');
	redisContext *c;
	char	 host[256];

	if (strncmp(spec, "unix:", 5) == 0)
		c = redisConnectUnixWithTimeout(spec + 5, tv);
	else {
		(void)snprintf(host, sizeof(host), "%.*s", (int)(colon - spec),
		    spec);
		if (host[0] == '[' && strlen(host) > 1) {
			memmove(host, host + 1, strlen(host));
			host[strlen(host) - 1] = '\0';
		}
		c = redisConnectWithTimeout(host, atoi(colon + 1), tv);
	}
	if (c != NULL && !c->err)
		(void)redisSetTimeout(c, tv);
	return c;
}

/* master_of - ask the sentinels in turn where the master is */
static int
master_of(const struct cfg_store *s, char *addr, size_t len)
{
	redisContext *c;
	redisReply *r;
	size_t	 i;
	int	 ok;

	for (i = 0; i < s->sentinels.n; i++) {
		if ((c = connect_spec(s->sentinels.v[i])) == NULL || c->err) {
			redisFree(c);
			continue;
		}
		r = redisCommand(c, "SENTINEL get-master-addr-by-name %s",
		    s->master);
		ok = r != NULL && r->type == REDIS_REPLY_ARRAY &&
		    r->elements == 2;
		if (ok)
			(void)snprintf(addr, len, strchr(r->element[0]->str,
			    ':') ? "[%.200s]:%.10s" : "%.200s:%.10s",
			    r->element[0]->str, r->element[1]->str);
		if (r != NULL)
			freeReplyObject(r);
		redisFree(c);
		if (ok)
			return 0;
	}
	return -1;
}

/* store_open - connect, AUTH and SELECT as the daemon does */
static redisContext *
store_open(const struct cfg_store *s, char *why, size_t whylen)
{
	struct timeval tv = { 2, 0 };
	redisContext *c;
	const char *argv[3];
	char	*pw = NULL, *nl, db[16], r[128], addr[300];
	size_t	 len;

	if (s->master != NULL && master_of(s, addr, sizeof(addr)) != 0) {
		(void)snprintf(why, whylen, "no sentinel names master %s",
		    s->master);
		return NULL;
	}
	c = connect_spec(s->master != NULL ? addr : s->server);
	if (c == NULL || c->err) {
		(void)snprintf(why, whylen, "%s", c != NULL ? c->errstr :
		    "out of memory");
		redisFree(c);
		return NULL;
	}
	(void)redisSetTimeout(c, tv);
	if (s->password_file != NULL) {
		if ((pw = file_read(s->password_file, &len, r, sizeof(r))) ==
		    NULL) {
			(void)snprintf(why, whylen, "password_file %s: %s",
			    s->password_file, r);
			redisFree(c);
			return NULL;
		}
		if ((nl = strpbrk(pw, "\r\n")) != NULL)
			*nl = '\0';
		argv[0] = "AUTH";
		argv[1] = s->user != NULL ? s->user : pw;
		argv[2] = pw;
		len = command_ok(c, s->user != NULL ? 3 : 2, argv, why, whylen);
		explicit_bzero(pw, strlen(pw));
		free(pw);
		if (len != 0) {
			redisFree(c);
			return NULL;
		}
	}
	(void)snprintf(db, sizeof(db), "%u", s->database);
	argv[0] = "SELECT";
	argv[1] = db;
	if (command_ok(c, 2, argv, why, whylen) != 0) {
		redisFree(c);
		return NULL;
	}
	return c;
}

/* check_policy - INFO memory says noeviction, ROLE says master */
static int
check_policy(redisContext *c)
{
	redisReply *r;
	int	 n = 0;

	r = redisCommand(c, "INFO memory");
	if (r == NULL || r->type != REDIS_REPLY_STRING ||
	    strstr(r->str, "maxmemory_policy:noeviction\r") == NULL) {
		problem("store-eviction", "the Redis store does not run "
		    "with maxmemory-policy noeviction: every gatepost key has "
		    "a TTL, so under memory pressure live counters would be "
		    "evicted silently and limits stop holding.", "in redis.conf: "
		    "maxmemory-policy noeviction (and CONFIG SET "
		    "maxmemory-policy noeviction on the running server)");
		n++;
	}
	if (r != NULL)
		freeReplyObject(r);
	r = redisCommand(c, "ROLE");
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements < 1 ||
	    r->element[0]->type != REDIS_REPLY_STRING ||
	    strcmp(r->element[0]->str, "master") != 0) {
		problem("store-role", "policyd.store.server is not a Redis "
		    "master: a replica cannot count.", "point server at the "
		    "master (or use Redis Sentinel in front of it)");
		n++;
	}
	if (r != NULL)
		freeReplyObject(r);
	return n;
}

/* keep - the daemon's store line */
static void
keep(void *arg, const char *line)
{
	(void)snprintf(((struct seen *)arg)->line, sizeof(((struct seen *)
	    arg)->line), "%s", line);
}

/* check_daemon - the running daemon counts where the config says */
static int
check_daemon(const struct cfg *cfg, const char *sock)
{
	const struct cfg_store *s = &cfg->policyd.store;
	struct seen seen;
	char	 want[512], why[512], msg[1200];

	if (ctl_control_path(cfg, sock) == NULL)
		return 0;
	memset(&seen, 0, sizeof(seen));
	if (ctl_control_call(ctl_control_path(cfg, sock), "store", 3000, keep,
	    &seen, why, sizeof(why)) != 0) {
		(void)snprintf(msg, sizeof(msg), "cannot ask gatepost-policyd "
		    "over its control socket: %s.", why);
		problem("control-unreachable", msg, "start gatepost-policyd, "
		    "or check policyd.control and its mode and group");
		return 1;
	}
	if (s->type == CFG_STORE_MEMORY)
		(void)snprintf(want, sizeof(want), "type=memory ");
	else
		(void)snprintf(want, sizeof(want), "type=redis server=%s%s "
		    "prefix=%s database=%u ", s->server != NULL ? "" :
		    "sentinel:", s->server != NULL ? s->server : s->master,
		    s->prefix, s->database);
	if (strncmp(seen.line, want, strlen(want)) != 0) {
		(void)snprintf(msg, sizeof(msg), "gatepost-policyd counts in "
		    "\"%s\", the configuration says \"%s\".", seen.line, want);
		problem("store-mismatch", msg, "reload gatepost-policyd "
		    "(SIGHUP), or restart it when policyd.store.type changed");
		return 1;
	}
	if (strstr(seen.line, " up=0") != NULL) {
		problem("store-down", "gatepost-policyd cannot reach its store "
		    "and counts by policyd.store.on_error.", "check the "
		    "policy daemon's log and the Redis server");
		return 1;
	}
	return 0;
}

/* ctl_store_doctor - the store's problems, printed; how many */
int
ctl_store_doctor(const struct cfg *cfg, const char *sock)
{
	redisContext *c;
	char	 why[512], msg[700];
	int	 n = 0;

	if (!cfg->policyd.set)
		return 0;
	if (cfg->policyd.store.type == CFG_STORE_REDIS) {
		if ((c = store_open(&cfg->policyd.store, why,
		    sizeof(why))) == NULL) {
			(void)snprintf(msg, sizeof(msg), "cannot reach the "
			    "Redis store %s: %s.", cfg->policyd.store.server !=
			    NULL ? cfg->policyd.store.server :
			    cfg->policyd.store.master, why);
			problem("store-unreachable", msg, "start Redis, or "
			    "correct policyd.store (server, user, "
			    "password_file, database)");
			n++;
		} else {
			n += check_policy(c);
			redisFree(c);
		}
	}
	return n + check_daemon(cfg, sock);
}
