/* log.c - the only file that calls syslog(3); the decision line format */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "log.h"

static void log_vlog(int, const char *, va_list)
    __attribute__((format(printf, 2, 0)));
static void log_addr(char *, size_t, int, const struct mailaddr *,
    const char *);

/*
 * Written once by log_open() before any thread exists, read-only after:
 * no lock needed (STYLE.md section 5).
 */
static int log_to_stderr = 1;
static int log_want_debug;
static char log_ident[64] = "gatepost";

/* log_open - choose syslog or stderr; call once, before threads */
void
log_open(const char *ident, int to_stderr, int debug)
{
	(void)snprintf(log_ident, sizeof(log_ident), "%s", ident);
	log_to_stderr = to_stderr;
	log_want_debug = debug;
	if (!to_stderr)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* log_debug_enabled - whether debug lines are wanted */
int
log_debug_enabled(void)
{
	return log_want_debug;
}

/* log_vlog - format one line and send it to the chosen destination */
static void
log_vlog(int prio, const char *fmt, va_list ap)
{
	char	 buf[LOG_LINE_MAX];
	const char *lvl;

	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	if (!log_to_stderr) {
		syslog(prio, "%s", buf);
		return;
	}
	switch (prio) {
	case LOG_DEBUG:
		lvl = "debug";
		break;
	case LOG_WARNING:
		lvl = "warning";
		break;
	case LOG_ERR:
		lvl = "error";
		break;
	case LOG_CRIT:
		lvl = "fatal";
		break;
	default:
		lvl = "info";
		break;
	}
	/* one fprintf per line: stdio locks the stream, lines stay whole */
	(void)fprintf(stderr, "%s[%ld]: %s: %s\n", log_ident, (long)getpid(),
	    lvl, buf);
}

#define LOG_FN(fn, prio)				\
void							\
fn(const char *fmt, ...)				\
{							\
	va_list	 ap;					\
							\
	va_start(ap, fmt);				\
	log_vlog(prio, fmt, ap);			\
	va_end(ap);					\
}

LOG_FN(log_info, LOG_INFO)
LOG_FN(log_warn, LOG_WARNING)
LOG_FN(log_err, LOG_ERR)

/* log_debug - log only when debugging was asked for */
void
log_debug(const char *fmt, ...)
{
	va_list	 ap;

	if (!log_want_debug)
		return;
	va_start(ap, fmt);
	log_vlog(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

/* log_fatal - log and exit with a sysexits(3) code */
void
log_fatal(int code, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	exit(code);
}

/* log_panic - our own bug: log and dump core */
void
log_panic(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	log_vlog(LOG_CRIT, fmt, ap);
	va_end(ap);
	abort();
}

/* log_sanitize - bounded copy with control chars, quotes, backslash replaced */
void
log_sanitize(char *dst, size_t dstlen, const char *src, size_t max)
{
	size_t	 i;

	if (dstlen == 0)
		return;
	if (src == NULL)
		src = "";
	for (i = 0; src[i] != '\0' && i < max && i + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (c < 0x20 || c == 0x7f || c == '"' || c == '\\') ?
		    '?' : (char)c;
	}
	dst[i] = '\0';
}

/* log_addr - an envelope address for the log: normalized if it parsed */
static void
log_addr(char *dst, size_t len, int parsed, const struct mailaddr *a,
    const char *raw)
{
	char	 tmp[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	size_t	 n;

	if (parsed && addr_format(a, tmp, sizeof(tmp)) == 0) {
		log_sanitize(dst, len, tmp, 100);
		return;
	}
	if (*raw == '<')
		raw++;
	n = strlen(raw);
	if (n > 0 && raw[n - 1] == '>')
		n--;
	log_sanitize(dst, len, raw, n < 100 ? n : 100);
}

/* log_decision_format - the one decision line of DESIGN.md */
void
log_decision_format(char *buf, size_t len, const char *queue_id,
    const struct cfg_instance *inst, const struct rule_hit *hit,
    const struct facts *f)
{
	char	 qid[32], cname[104], caddr[104], from[104], to[104];
	char	 sasl[104];

	log_sanitize(qid, sizeof(qid),
	    queue_id != NULL && *queue_id != '\0' ? queue_id : "NOQUEUE", 31);
	log_sanitize(cname, sizeof(cname),
	    f->client_name[0] != '\0' ? f->client_name : "unknown", 100);
	log_sanitize(caddr, sizeof(caddr), f->client_addr, 100);
	log_addr(from, sizeof(from), f->have_sender, &f->sender,
	    f->sender_raw);
	log_addr(to, sizeof(to), f->have_rcpt, &f->rcpt, f->rcpt_raw);
	log_sanitize(sasl, sizeof(sasl), f->sasl_user, 100);
	(void)snprintf(buf, len, "%s: instance=%s direction=%s rule=%s "
	    "action=%s mode=%s reason=\"%s\" client=%s[%s] from=<%s> "
	    "to=<%s> sasl=<%s>", qid, inst != NULL ? inst->name : "-",
	    inst != NULL ? cfg_dir_name(inst->dir) : "-",
	    rule_name(hit->rule), cfg_act_name(hit->action),
	    cfg_mode_name(hit->mode), hit->reason, cname, caddr, from, to,
	    sasl);
}

/* log_decision - format and log: info for decisions, debug for accepts */
void
log_decision(const char *queue_id, const struct cfg_instance *inst,
    const struct rule_hit *hit, const struct facts *f)
{
	char	 buf[LOG_LINE_MAX];

	if (hit->action == CFG_ACT_ACCEPT && !log_want_debug)
		return;
	log_decision_format(buf, sizeof(buf), queue_id, inst, hit, f);
	if (hit->action == CFG_ACT_ACCEPT)
		log_debug("%s", buf);
	else
		log_info("%s", buf);
}
