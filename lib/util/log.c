/* log.c - the only file that calls syslog(3) */
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

/*
 * Written once by log_open() before any thread exists, read-only after:
 * no lock needed (docs/HACKING.md §5).
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
