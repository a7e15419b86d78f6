/* scan_rspamd.c - rspamd: HTTP POST /checkv2 with the envelope */
#include "config.h"

#include <stdint.h>

#include "scan_engine.h"

#define RSPAMD_VALUE_MAX	256	/* bytes of one header value */
#define RSPAMD_RCPTS_MAX	50	/* Rcpt headers sent; fits the head */

static int rspamd_head(struct scan_job *, const struct scan_env *);
static int rspamd_env(struct scan_job *, const char *, const char *);
static int rspamd_body(struct scan_job *, const void *, size_t);

/*
 * The envelope travels in rspamd's request headers (From, Rcpt, IP,
 * Helo, Hostname, Queue-Id, User), as its own milter proxy sends it, so
 * rules that look at the SMTP session (SPF, hfilter, settings by user)
 * see what Postfix saw.  Connection: close makes rspamd hang up after
 * the reply, which ends our read.  Only the first RSPAMD_RCPTS_MAX
 * recipients are named: enough for per-recipient settings, and the
 * head stays bounded.
 */
const struct scan_engine_ops scan_rspamd_ops = {
	"rspamd", 65536, rspamd_head, rspamd_body, NULL,
	scan_parse_rspamd_http
};

/* rspamd_env - one envelope header, skipped when the value is unknown */
static int
rspamd_env(struct scan_job *j, const char *name, const char *value)
{
	char	 v[RSPAMD_VALUE_MAX];

	if (value == NULL || value[0] == '\0')
		return 0;
	scan_env_value(v, sizeof(v), value);
	return scan_job_printf(j, "%s: %s\r\n", name, v);
}

/* rspamd_head - request line, framing and envelope headers */
static int
rspamd_head(struct scan_job *j, const struct scan_env *env)
{
	char	 addr[RSPAMD_VALUE_MAX];
	size_t	 i;

	if (scan_job_printf(j, "POST /checkv2 HTTP/1.1\r\nHost: rspamd\r\n"
	    "Connection: close\r\nContent-Length: %zu\r\n",
	    scan_job_size(j)) != 0)
		return -1;
	if (env->sender != NULL) {
		scan_env_value(addr, sizeof(addr), env->sender);
		if (scan_job_printf(j, "From: <%s>\r\n", addr) != 0)
			return -1;
	}
	if (rspamd_env(j, "Queue-Id", env->queue_id) != 0 ||
	    rspamd_env(j, "IP", env->client_addr) != 0 ||
	    rspamd_env(j, "Hostname", env->client_name) != 0 ||
	    rspamd_env(j, "Helo", env->helo) != 0 ||
	    rspamd_env(j, "User", env->sasl_user) != 0)
		return -1;
	for (i = 0; i < env->n_rcpts && i < RSPAMD_RCPTS_MAX; i++) {
		scan_env_value(addr, sizeof(addr), env->rcpts[i]);
		if (scan_job_printf(j, "Rcpt: <%s>\r\n", addr) != 0)
			return -1;
	}
	return scan_job_printf(j, "\r\n");
}

/* rspamd_body - the message as it is */
static int
rspamd_body(struct scan_job *j, const void *p, size_t n)
{
	struct iovec iov = { (void *)(uintptr_t)p, n };

	return scan_job_send(j, &iov, 1);
}
