/*
 * noop-milter - a libmilter filter that accepts everything and logs, for
 * each callback, the arguments and the macros Postfix made visible.
 *
 * usage: noop-milter SOCKET LOGFILE
 *   SOCKET   libmilter syntax: unix:/path or inet:PORT@127.0.0.1
 *   LOGFILE  appended to; one line per callback, fields separated by TAB:
 *            STAGE  conn=N  [arg=...]  {macro}=value ...
 *            STAGE is CONNECT, HELO, MAIL, RCPT, DATA, EOH, EOM, ABORT or
 *            CLOSE; N numbers the milter connections of this process.
 *
 * Used by the harness self-test (tests/integration/t_harness_selftest) to
 * prove that smtpd_milters is wired on every face.  It makes no changes to
 * messages and negotiates no protocol options.  SIGTERM stops it (via
 * libmilter, which takes a few seconds to notice).
 */
#include <libmilter/mfapi.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "milter_listen.h"

static FILE *log_fp;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long conn_seq;			/* under log_lock */

static const char *const macros[] = {
	"i", "j", "_", "v", "{daemon_name}", "{daemon_addr}", "{daemon_port}",
	"{client_addr}", "{client_port}", "{client_name}", "{client_ptr}",
	"{client_resolve}", "{client_connections}", "{auth_type}",
	"{auth_authen}", "{auth_author}", "{auth_ssf}", "{mail_addr}",
	"{mail_host}", "{mail_mailer}", "{rcpt_addr}", "{rcpt_host}",
	"{rcpt_mailer}", "{tls_version}", "{cipher}", "{cipher_bits}",
	"{cert_subject}", "{cert_issuer}", NULL
};

/* put_clean - write a value with TAB, CR and LF replaced by spaces */
static void
put_clean(const char *s)
{
	for (; *s != '\0'; s++)
		fputc(*s == '\t' || *s == '\r' || *s == '\n' ? ' ' : *s, log_fp);
}

/* conn_id - the number this process gave the connection, 0 if none */
static unsigned long
conn_id(SMFICTX *ctx)
{
	unsigned long *id = smfi_getpriv(ctx);

	return id == NULL ? 0 : *id;
}

/* log_stage - one line: stage, connection, argument, visible macros */
static sfsistat
log_stage(SMFICTX *ctx, const char *stage, const char *arg)
{
	int k;

	(void)pthread_mutex_lock(&log_lock);
	fprintf(log_fp, "%s\tconn=%lu", stage, conn_id(ctx));
	if (arg != NULL) {
		fputs("\targ=", log_fp);
		put_clean(arg);
	}
	for (k = 0; macros[k] != NULL; k++) {
		char *v = smfi_getsymval(ctx, (char *)macros[k]);

		if (v == NULL)
			continue;
		fprintf(log_fp, "\t%s=", macros[k]);
		put_clean(v);
	}
	fputc('\n', log_fp);
	(void)fflush(log_fp);
	(void)pthread_mutex_unlock(&log_lock);
	return SMFIS_CONTINUE;
}

static sfsistat
cb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	unsigned long *id = malloc(sizeof(*id));
	char addr[INET6_ADDRSTRLEN] = "unknown";
	char arg[512];

	if (id == NULL)
		return SMFIS_TEMPFAIL;
	(void)pthread_mutex_lock(&log_lock);
	*id = ++conn_seq;
	(void)pthread_mutex_unlock(&log_lock);
	(void)smfi_setpriv(ctx, id);
	if (sa != NULL && sa->sa_family == AF_INET)
		(void)inet_ntop(AF_INET,
		    &((struct sockaddr_in *)(void *)sa)->sin_addr, addr,
		    sizeof(addr));
	else if (sa != NULL && sa->sa_family == AF_INET6)
		(void)inet_ntop(AF_INET6,
		    &((struct sockaddr_in6 *)(void *)sa)->sin6_addr, addr,
		    sizeof(addr));
	(void)snprintf(arg, sizeof(arg), "%s %s", host, addr);
	return log_stage(ctx, "CONNECT", arg);
}

static sfsistat
cb_helo(SMFICTX *ctx, char *helo)
{
	return log_stage(ctx, "HELO", helo);
}

static sfsistat
cb_envfrom(SMFICTX *ctx, char **argv)
{
	return log_stage(ctx, "MAIL", argv[0]);
}

static sfsistat
cb_envrcpt(SMFICTX *ctx, char **argv)
{
	return log_stage(ctx, "RCPT", argv[0]);
}

static sfsistat
cb_data(SMFICTX *ctx)
{
	return log_stage(ctx, "DATA", NULL);
}

static sfsistat
cb_header(SMFICTX *ctx, char *name, char *value)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_eoh(SMFICTX *ctx)
{
	return log_stage(ctx, "EOH", NULL);
}

static sfsistat
cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_eom(SMFICTX *ctx)
{
	return log_stage(ctx, "EOM", NULL);
}

static sfsistat
cb_abort(SMFICTX *ctx)
{
	return log_stage(ctx, "ABORT", NULL);
}

static sfsistat
cb_close(SMFICTX *ctx)
{
	(void)log_stage(ctx, "CLOSE", NULL);
	milter_priv_free(ctx);
	return SMFIS_CONTINUE;
}

static struct smfiDesc desc = MILTER_DESC("noop-milter", NULL, NULL);

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: noop-milter SOCKET LOGFILE\n");
		return 2;
	}
	if ((log_fp = fopen(argv[2], "a")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	return milter_listen("noop-milter", argv[1], &desc, 0);
}
