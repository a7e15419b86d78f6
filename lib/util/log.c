/* log.c - the only file that calls syslog(3) */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sbuf.h"

static void log_vlog(int, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

/*
 * Written once by log_open() before any thread exists, read-only after:
 * no lock needed (docs/HACKING.md §5).
 */
static int log_to_stderr = 1;
static int log_want_debug;
static char log_ident[64] = "gatepost";

/*
 * The event log may change on reload while connection threads write:
 * the format flag is atomic, the file descriptor is guarded by ev_lock.
 */
static atomic_int ev_json;
static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static int ev_fd = -1;			/* guarded by ev_lock */
static char ev_path[1024];		/* guarded by ev_lock */

/* log_events_open - choose the event format and destination */
int
log_events_open(int json, const char *path, char *why, size_t whylen)
{
	int	 fd = -1, old, rc = 0;
	char	 eb[128];

	(void)pthread_mutex_lock(&ev_lock);
	if (path != NULL && ev_fd >= 0 && strcmp(path, ev_path) == 0) {
		/* same file: reopen, so that rotation is picked up */
		path = ev_path;
	}
	if (path != NULL && (fd = open(path, O_WRONLY | O_APPEND | O_CREAT |
	    O_CLOEXEC, 0640)) < 0) {
		(void)snprintf(why, whylen, "%s: %s", path,
		    strerror_r(errno, eb, sizeof(eb)));
		rc = -1;
	} else {
		old = ev_fd;
		ev_fd = fd;
		(void)snprintf(ev_path, sizeof(ev_path), "%s",
		    path != NULL ? path : "");
		if (old >= 0)
			(void)close(old);
		atomic_store(&ev_json, json);
	}
	(void)pthread_mutex_unlock(&ev_lock);
	return rc;
}

/* log_events_json - JSON events in force */
int
log_events_json(void)
{
	return atomic_load(&ev_json);
}

/* log_events_to_file - JSON events go to a file of their own */
int
log_events_to_file(void)
{
	int	 r;

	(void)pthread_mutex_lock(&ev_lock);
	r = ev_fd >= 0;
	(void)pthread_mutex_unlock(&ev_lock);
	return r;
}

/* log_ident_name - the program's log ident */
const char *
log_ident_name(void)
{
	return log_ident;
}

/* log_event_head - the fields every event starts with */
void
log_event_head(struct sbuf *b, const char *event, time_t now,
    const char *daemon)
{
	struct tm tm;
	char	 ts[32];

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(ts, sizeof(ts), "1970-01-01T00:00:00Z");
	sbuf_printf(b, "{\"event\":\"%s\",\"time\":\"%s\",\"daemon\":",
	    event, ts);
	sbuf_json_str(b, daemon, 64);
}

/* log_event - one JSON event: to the event file, else as an info line */
void
log_event(const char *json)
{
	size_t	 n = strlen(json);
	int	 fd;

	(void)pthread_mutex_lock(&ev_lock);
	fd = ev_fd;
	if (fd >= 0) {
		char	*line = malloc(n + 2);

		if (line != NULL) {
			memcpy(line, json, n);
			line[n] = '\n';
			/* O_APPEND and one write: lines stay whole */
			if (write(fd, line, n + 1) != (ssize_t)(n + 1))
				fd = -2;
			free(line);
		} else
			fd = -2;
	}
	(void)pthread_mutex_unlock(&ev_lock);
	if (fd == -1)
		log_info("%s", json);
	else if (fd == -2)
		log_warn("event log: cannot write: %s", json);
}

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
