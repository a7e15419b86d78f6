/* mf_cb.c - libmilter callbacks: copy macros, call lib/, map the result */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "mf_cb.h"
#include "mf_cfg.h"
#include "mf_ctx.h"
#include "mf_decide.h"
#include "mf_eom.h"
#include "mf_event.h"
#include "mf_metrics.h"
#include "mf_proto.h"

static void client_facts(SMFICTX *, struct mf_conn *, const char *,
    const _SOCK_ADDR *);
static void identify(SMFICTX *, struct mf_conn *);
static int over_limit(const struct cfg *);
static void mail_params(struct mf_msg *, char **);
static sfsistat envelope_rules(SMFICTX *, struct mf_conn *, struct mf_msg *,
    enum stage, enum stage, unsigned long, enum mf_scope);
static struct mf_msg *msg_or_fail(SMFICTX *, struct mf_conn **,
    unsigned long, sfsistat *);

/*
 * msg_or_fail - the prologue of a message callback: the connection
 *	(*cp) and its message; NULL outside a transaction, *r then the
 *	tempfail reply (nr: the step's no-reply flag)
 */
static struct mf_msg *
msg_or_fail(SMFICTX *ctx, struct mf_conn **cp, unsigned long nr,
    sfsistat *r)
{
	struct mf_conn *c = mf_getpriv(ctx);

	*cp = c;
	if (c != NULL && c->msg != NULL)
		return c->msg;
	*r = mf_fail(ctx, c, NULL, nr, "no transaction");
	return NULL;
}

/*
 * over_limit - milter.max_connections are open (counted from their
 * negotiation, the first callback libmilter offers): refuse this one at
 * once, log once per burst, count each
 */
static int
over_limit(const struct cfg *cfg)
{
	size_t	 max = cfg->milter.max_connections, n;
	long	 burst;
	int	 first;

	if ((n = mf_conn_admit(max, &first, &burst)) == 0) {
		if (burst > 0)
			log_info("connections below milter.max_connections "
			    "%zu again; %ld refused meanwhile", max, burst);
		return 0;
	}
	mf_metrics_refused();
	if (first)
		log_warn("NOQUEUE: %zu connections open, at "
		    "milter.max_connections %zu: refusing new ones (Postfix "
		    "applies milter_default_action) until some close", n, max);
	return 1;
}

/* mf_cb_negotiate - pin the config; ask only for what it needs */
sfsistat
mf_cb_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	struct cfg *cfg;
	struct mf_conn *c;

	if (mf_draining()) {
		/* stopping: Postfix applies milter_default_action */
		log_debug("negotiate: stopping, connection refused");
		return SMFIS_TEMPFAIL;
	}
	if ((cfg = mf_cfg_get()) == NULL) {
		log_err("negotiate: no configuration loaded");
		return SMFIS_REJECT;
	}
	if (over_limit(cfg)) {
		cfg_release(cfg);
		return SMFIS_TEMPFAIL;
	}
	mf_proto_choose(cfg, mf_metrics_serving(), f0, f1, pf0, pf1);
	*pf2 = 0;
	*pf3 = 0;
	c = mf_conn_new(cfg, *pf1);
	if (mf_setpriv(ctx, c) != 0) {
		mf_conn_free(c);
		log_err("negotiate: cannot attach the connection state");
		return SMFIS_REJECT;
	}
	if ((*pf0 & SMFIF_SETSYMLIST) != 0 && mf_proto_symlist(ctx) != 0)
		log_warn("negotiate: the MTA refused the macro lists; set "
		    "milter_*_macros as gatepost-milter(8) says");
	return SMFIS_CONTINUE;
}

/* client_facts - client address and name, copied */
static void
client_facts(SMFICTX *ctx, struct mf_conn *c, const char *hostname,
    const _SOCK_ADDR *sa)
{
	char	 buf[INET6_ADDRSTRLEN];
	const char *addr = NULL, *name;

	if (sa != NULL && sa->sa_family == AF_INET)
		addr = inet_ntop(AF_INET, &((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, buf, sizeof(buf));
	else if (sa != NULL && sa->sa_family == AF_INET6)
		addr = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)
		    (const void *)sa)->sin6_addr, buf, sizeof(buf));
	if (addr == NULL)
		addr = mf_getsymval(ctx, "{client_addr}");
	if (addr != NULL)
		(void)facts_set_client(&c->facts, addr);
	if ((name = mf_getsymval(ctx, "{client_name}")) == NULL &&
	    hostname != NULL && hostname[0] != '[')
		name = hostname;
	facts_set_str(c->facts.client_name, sizeof(c->facts.client_name),
	    name != NULL ? name : "unknown");
}

/* identify - the instance for {daemon_name}, {daemon_addr}:{daemon_port} */
static void
identify(SMFICTX *ctx, struct mf_conn *c)
{
	const char *name, *addr, *port;
	struct ipaddr ia;
	struct verdict v;
	char	 n[104], a[104], p[16];
	int	 have_addr;

	name = mf_getsymval(ctx, "{daemon_name}");
	addr = mf_getsymval(ctx, "{daemon_addr}");
	port = mf_getsymval(ctx, "{daemon_port}");
	have_addr = addr != NULL && ipaddr_parse(addr, &ia) == 0;
	c->inst = cfg_instance_find(c->cfg, name, have_addr ? &ia : NULL,
	    port != NULL ? (unsigned)strtoul(port, NULL, 10) : 0);
	if (c->inst != NULL) {
		/* parsed once: every recipient is compared with it */
		c->have_bcc = c->inst->archive_bcc != NULL &&
		    addr_parse(c->inst->archive_bcc, &c->bcc, n,
		    sizeof(n)) == 0;
		return;
	}
	log_sanitize(n, sizeof(n), name, 100);
	log_sanitize(a, sizeof(a), addr, 100);
	log_sanitize(p, sizeof(p), port, 10);
	log_err("NOQUEUE: configuration error: no instance matches "
	    "{daemon_name}=%s {daemon_addr}=%s {daemon_port}=%s", n, a, p);
	verdict_init(&v);
	rule_unknown_instance(c->cfg, &v);
	(void)mf_apply(c, NULL, &v);
	c->has_pending = 1;
	c->pending = v.hit[0];
}

/* envelope_rules - a milter-only site's envelope rules at one step */
static sfsistat
envelope_rules(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m,
    enum stage first, enum stage last, unsigned long nr,
    enum mf_scope scope)
{
	struct verdict v;

	if (!c->envelope || c->inst == NULL)
		return mf_continue(c, nr);
	verdict_init(&v);
	rule_eval(c->cfg, c->inst, m != NULL ? &m->facts : &c->facts, first,
	    last, &v);
	return mf_answer(ctx, c, m, nr, mf_apply(c, m, &v), scope);
}

/* mf_cb_connect - client facts, instance, connect-stage rules */
sfsistat
mf_cb_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *hostaddr)
{
	struct mf_conn *c = mf_getpriv(ctx);
	struct cfg *cfg;

	if (c == NULL) {
		/* a new connection on the same socket (QUIT_NC) */
		if ((cfg = mf_cfg_get()) == NULL)
			return mf_fail(ctx, NULL, NULL, 0, "no configuration");
		c = mf_conn_new(cfg, 0);
		if (mf_setpriv(ctx, c) != 0) {
			mf_conn_free(c);
			return mf_fail(ctx, NULL, NULL, 0, "no private data");
		}
	}
	c->connected = 1;
	client_facts(ctx, c, hostname, hostaddr);
	identify(ctx, c);
	if (c->has_pending)
		return mf_answer(ctx, c, NULL, SMFIP_NR_CONN, &c->pending,
		    MF_SCOPE_MSG);
	return envelope_rules(ctx, c, NULL, STAGE_CONNECT, STAGE_CONNECT,
	    SMFIP_NR_CONN, MF_SCOPE_MSG);
}

/* mail_params - the ESMTP SIZE= the client announced */
static void
mail_params(struct mf_msg *m, char **argv)
{
	char	*end;
	unsigned long long n;

	for (; argv != NULL && *argv != NULL; argv++) {
		if (strncasecmp(*argv, "SIZE=", 5) != 0)
			continue;
		n = strtoull(*argv + 5, &end, 10);
		if (*end == '\0' && n <= (size_t)-1)
			m->facts.size = (size_t)n;
	}
}

/* session_limit - limits.messages_per_session, on every site */
static sfsistat
session_limit(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m)
{
	struct verdict v;
	const struct rule_hit *h;

	verdict_init(&v);
	rule_session_limit(c->inst, c->n_msgs, &v);
	if (v.n_hit == 0)
		return SMFIS_CONTINUE;
	h = mf_apply(c, m, &v);
	if (h == NULL)
		return SMFIS_CONTINUE;
	return mf_answer(ctx, c, m, SMFIP_NR_MAIL, h, MF_SCOPE_MSG);
}

/* mf_cb_envfrom - a new transaction; MAIL-stage rules */
sfsistat
mf_cb_envfrom(SMFICTX *ctx, char **argv)
{
	struct mf_conn *c = mf_getpriv(ctx);
	struct mf_msg *m;
	const char *v;
	sfsistat r;

	if (c == NULL)
		return mf_fail(ctx, NULL, NULL, SMFIP_NR_MAIL, "no state");
	m = mf_msg_begin(c);
	mf_msg_qid(ctx, m);
	(void)facts_set_sender(&m->facts, argv != NULL ? argv[0] : NULL);
	if (argv != NULL && argv[0] != NULL)
		mail_params(m, argv + 1);
	if ((v = mf_getsymval(ctx, "{auth_authen}")) != NULL)
		facts_set_str(m->facts.sasl_user, sizeof(m->facts.sasl_user),
		    v);
	if (c->has_pending)
		return mf_answer(ctx, c, m, SMFIP_NR_MAIL, &c->pending,
		    MF_SCOPE_MSG);
	if ((r = session_limit(ctx, c, m)) != SMFIS_CONTINUE)
		return r;
	return envelope_rules(ctx, c, m, STAGE_HELO, STAGE_MAIL,
	    SMFIP_NR_MAIL, MF_SCOPE_MSG);
}

/* mf_cb_envrcpt - recipient rules; note the accepted recipient */
sfsistat
mf_cb_envrcpt(SMFICTX *ctx, char **argv)
{
	struct mf_conn *c;
	struct mf_msg *m;
	sfsistat r;

	if ((m = msg_or_fail(ctx, &c, SMFIP_NR_RCPT, &r)) == NULL)
		return r;
	mf_msg_qid(ctx, m);
	(void)facts_set_rcpt(&m->facts, argv != NULL ? argv[0] : NULL);
	if (!c->has_pending && !m->has_pending) {
		r = envelope_rules(ctx, c, m, STAGE_RCPT, STAGE_RCPT,
		    SMFIP_NR_RCPT, MF_SCOPE_RCPT);
		if (r != SMFIS_CONTINUE && r != SMFIS_NOREPLY)
			return r;
	}
	mf_eom_rcpt(c, m);
	return mf_continue(c, SMFIP_NR_RCPT);
}

/* mf_cb_header - record one field (no reply: decided at EOM) */
sfsistat
mf_cb_header(SMFICTX *ctx, char *name, char *value)
{
	struct mf_conn *c;
	struct mf_msg *m;
	sfsistat r;

	if ((m = msg_or_fail(ctx, &c, SMFIP_NR_HDR, &r)) == NULL)
		return r;
	if (mf_msg_header(c, m, name, value) != 0)
		return mf_fail(ctx, c, m, SMFIP_NR_HDR,
		    "header field not processed (malformed or plug-in)");
	return mf_continue(c, SMFIP_NR_HDR);
}

/* mf_cb_eoh - header rules now, answered at end of message */
sfsistat
mf_cb_eoh(SMFICTX *ctx)
{
	struct mf_conn *c;
	struct mf_msg *m;
	sfsistat r;

	if ((m = msg_or_fail(ctx, &c, SMFIP_NR_EOH, &r)) == NULL)
		return r;
	mf_msg_qid(ctx, m);
	if (mf_msg_eoh(c, m) != 0)
		return mf_fail(ctx, c, m, SMFIP_NR_EOH, "content plug-in failed");
	mf_eom_rules(c, m);
	return mf_continue(c, SMFIP_NR_EOH);
}

/* mf_cb_body - count and feed plug-ins; skip what nothing needs */
sfsistat
mf_cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct mf_conn *c;
	struct mf_msg *m;
	sfsistat r;

	if ((m = msg_or_fail(ctx, &c, SMFIP_NR_BODY, &r)) == NULL)
		return r;
	if (mf_msg_body(c, m, chunk, len) != 0)
		return mf_fail(ctx, c, m, SMFIP_NR_BODY,
		    "content plug-in failed");
	if ((c->pflags & SMFIP_NR_BODY) != 0)
		return SMFIS_NOREPLY;
	if ((c->pflags & SMFIP_SKIP) != 0 && !mf_msg_wants_body(c, m))
		return SMFIS_SKIP;
	return SMFIS_CONTINUE;
}

/* mf_cb_eom - the end-of-message pipeline */
sfsistat
mf_cb_eom(SMFICTX *ctx)
{
	struct mf_conn *c;
	struct mf_msg *m;
	sfsistat r;

	if ((m = msg_or_fail(ctx, &c, 0, &r)) == NULL)
		return r;
	c->n_msgs++;
	r = mf_eom(ctx, c, m);
	mf_event_message(c, m);
	mf_msg_done(m);
	return r;
}

/* mf_cb_abort - the transaction ends without end of message */
sfsistat
mf_cb_abort(SMFICTX *ctx)
{
	struct mf_conn *c = mf_getpriv(ctx);

	if (c != NULL)
		mf_msg_reset(c);
	return SMFIS_CONTINUE;
}

/* mf_cb_close - free message and connection; touch nothing after */
sfsistat
mf_cb_close(SMFICTX *ctx)
{
	struct mf_conn *c = mf_getpriv(ctx);

	if (c != NULL) {
		mf_conn_free(c);
		(void)mf_setpriv(ctx, NULL);
	}
	return SMFIS_CONTINUE;
}
