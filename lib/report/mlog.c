/* mlog.c - parse one Postfix log line (maillog_file, syslog, RFC 3339) */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mlog.h"

#define DAY	86400

static const char *num(const char *, const char *, int, int, int *);
static const char *stamp_classic(const char *, const char *, int64_t,
	    struct mlog_line *);
static const char *stamp_rfc3339(const char *, const char *,
	    struct mlog_line *);
static const char *frac(const char *, const char *, long *);
static int header(const char *, const char *, int64_t, struct mlog_line *);
static void program(const char *, const char *, struct mlog_line *);
static int is_queue_id(const char *, size_t);
static void classify(const char *, const char *, struct mlog_line *);
static void queue_event(const char *, const char *, struct mlog_line *);
static void refusal(const char *, const char *, struct mlog_line *);
static void reply(const char *, const char *, struct mlog_line *);
static int prefix(const char *, const char *, const char *);
static const char *find(const char *, const char *, const char *);
static const char *rfind(const char *, const char *, const char *);
static struct mlog_str field(const char *, const char *, const char *);
static uint64_t digits(const char *, const char *);
static int64_t days_from_civil(int64_t, int, int);

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* mlog_parse - split and classify one log line */
int
mlog_parse(const char *line, size_t len, int64_t ref, struct mlog_line *out)
{
	const char *e = line + len;
	int	 rc;

	memset(out, 0, sizeof(*out));
	while (e > line && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if ((rc = header(line, e, ref, out)) != 0)
		return rc;
	classify(out->text.p, out->text.p + out->text.len, out);
	return 0;
}

/* num - read min..max decimal digits into *v */
static const char *
num(const char *p, const char *e, int min, int max, int *v)
{
	int	 n = 0;

	*v = 0;
	while (p < e && n < max && *p >= '0' && *p <= '9') {
		*v = *v * 10 + (*p++ - '0');
		n++;
	}
	return n >= min ? p : NULL;
}

/* frac - an optional ".digits" as microseconds */
static const char *
frac(const char *p, const char *e, long *usec)
{
	long	 scale = 100000;

	*usec = 0;
	if (p < e && *p == '.')
		for (p++; p < e && *p >= '0' && *p <= '9'; p++, scale /= 10)
			*usec += (*p - '0') * scale;
	return p;
}

/* stamp_classic - "Nov 28 01:38:03" or "Nov  3 01:38:03", no year */
static const char *
stamp_classic(const char *p, const char *e, int64_t ref,
    struct mlog_line *out)
{
	int64_t	*t = &out->time;
	int	 mon, day, hh, mm, ss, year, d;

	if (e - p < 15)
		return NULL;
	for (mon = 0; mon < 12; mon++)
		if (memcmp(p, months + 3 * mon, 3) == 0)
			break;
	if (mon == 12 || p[3] != ' ')
		return NULL;
	p += 4;
	if (*p == ' ')
		p++;
	if ((p = num(p, e, 1, 2, &day)) == NULL || p >= e || *p++ != ' ' ||
	    (p = num(p, e, 2, 2, &hh)) == NULL || p >= e || *p++ != ':' ||
	    (p = num(p, e, 2, 2, &mm)) == NULL || p >= e || *p++ != ':' ||
	    (p = num(p, e, 2, 2, &ss)) == NULL)
		return NULL;
	if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60)
		return NULL;
	mlog_civil(ref, &year, &d, &d, &d, &d, &d);
	*t = mlog_mktime(year, mon + 1, day, hh, mm, ss);
	if (*t > ref + DAY)		/* after the file's mtime: last year */
		*t = mlog_mktime(year - 1, mon + 1, day, hh, mm, ss);
	return frac(p, e, &out->usec);
}

/* stamp_rfc3339 - "2026-11-28T01:38:03.123456+01:00"; offset ignored */
static const char *
stamp_rfc3339(const char *p, const char *e, struct mlog_line *out)
{
	int	 y, mo, d, hh, mm, ss, oh, om;

	if ((p = num(p, e, 4, 4, &y)) == NULL || p >= e || *p++ != '-' ||
	    (p = num(p, e, 2, 2, &mo)) == NULL || p >= e || *p++ != '-' ||
	    (p = num(p, e, 2, 2, &d)) == NULL || p >= e || *p++ != 'T' ||
	    (p = num(p, e, 2, 2, &hh)) == NULL || p >= e || *p++ != ':' ||
	    (p = num(p, e, 2, 2, &mm)) == NULL || p >= e || *p++ != ':' ||
	    (p = num(p, e, 2, 2, &ss)) == NULL)
		return NULL;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 ||
	    ss > 60)
		return NULL;
	p = frac(p, e, &out->usec);
	if (p < e && *p == 'Z')
		p++;
	else if (p < e && (*p == '+' || *p == '-')) {
		if ((p = num(p + 1, e, 2, 2, &oh)) == NULL)
			return NULL;
		if (p < e && *p == ':')
			p++;
		if ((p = num(p, e, 2, 2, &om)) == NULL)
			return NULL;
	}
	out->time = mlog_mktime(y, mo, d, hh, mm, ss);
	return p;
}

/* header - stamp, host and program; text is what follows "prog[pid]: " */
static int
header(const char *p, const char *e, int64_t ref, struct mlog_line *out)
{
	const char *q;

	if (p < e && *p >= '0' && *p <= '9')
		p = stamp_rfc3339(p, e, out);
	else
		p = stamp_classic(p, e, ref, out);
	if (p == NULL || p >= e || *p++ != ' ')
		return -1;
	for (q = p; q < e && *q != ' '; q++)
		;
	if (q == p || q >= e)
		return -1;
	out->host.p = p;
	out->host.len = (size_t)(q - p);
	for (p = ++q; q < e && *q != ' ' && *q != ':'; q++)
		;
	if (q == p || q >= e || *q != ':' || (q + 1 < e && q[1] != ' '))
		return -1;
	program(p, q, out);
	out->text.p = q + 1 < e ? q + 2 : e;
	out->text.len = (size_t)(e - out->text.p);
	return out->syslog_name.p != NULL ? 0 : 1;
}

/* program - "postfix-in/smtpd[123]" into syslog_name, process, pid */
static void
program(const char *p, const char *e, struct mlog_line *out)
{
	const char *b, *slash = NULL, *q;

	if (e[-1] == ']' && (b = memchr(p, '[', (size_t)(e - p))) != NULL) {
		out->pid = (unsigned long)digits(b + 1, e - 1);
		e = b;
	}
	for (q = p; q < e; q++)
		if (*q == '/')
			slash = q;
	if (slash == NULL || slash == p || slash + 1 == e) {
		out->process.p = p;
		out->process.len = (size_t)(e - p);
		return;
	}
	out->syslog_name.p = p;
	out->syslog_name.len = (size_t)(slash - p);
	out->process.p = slash + 1;
	out->process.len = (size_t)(e - slash - 1);
}

/*
 * is_queue_id - a short ID (upper-case hex) or a long ID (base 52 with
 * a 'z' separator, always carrying digits and capitals): this keeps
 * "warning:" and "statistics:" from reading as queue IDs.
 */
static int
is_queue_id(const char *p, size_t n)
{
	size_t	 i, dig = 0, up = 0, hex = 1;

	if (n < 6 || n > 24)
		return 0;
	for (i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			dig++;
		else if (p[i] >= 'A' && p[i] <= 'Z') {
			up++;
			hex &= p[i] <= 'F';
		}
		else if (p[i] >= 'a' && p[i] <= 'z')
			hex = 0;
		else
			return 0;
	}
	return hex || (n >= 10 && dig > 0 && up > 0);
}

/* classify - the event in the text after the program */
static void
classify(const char *p, const char *e, struct mlog_line *out)
{
	const char *c = find(p, e, ": ");

	if (prefix(p, e, "disconnect from ")) {
		out->kind = MLOG_DISCONNECT;
		return;
	}
	if (c == NULL)
		return;
	if ((size_t)(c - p) == 7 && memcmp(p, "NOQUEUE", 7) == 0)
		;
	else if (is_queue_id(p, (size_t)(c - p))) {
		out->queue_id.p = p;
		out->queue_id.len = (size_t)(c - p);
	} else
		return;
	out->text.p = p = c + 2;
	out->text.len = (size_t)(e - p);
	if (prefix(p, e, "milter-")) {
		out->milter = 1;
		p += 7;
	}
	if (prefix(p, e, "reject: "))
		out->kind = MLOG_REJECT;
	else if (prefix(p, e, "hold: "))
		out->kind = MLOG_HOLD;
	else if (prefix(p, e, "discard: "))
		out->kind = MLOG_DISCARD;
	if (out->kind != MLOG_NONE) {
		refusal((const char *)memchr(p, ' ', (size_t)(e - p)) + 1, e,
		    out);
		return;
	}
	out->milter = 0;
	if (out->queue_id.p != NULL)
		queue_event(p, e, out);
}

/* queue_event - what a line about a queue ID says */
static void
queue_event(const char *p, const char *e, struct mlog_line *out)
{
	const char *q, *c;

	if (prefix(p, e, "client=")) {
		out->kind = MLOG_CLIENT;
		out->sasl_username = field(p, e, ", sasl_username=");
		out->orig_queue_id = field(p, e, ", orig_queue_id=");
	} else if (prefix(p, e, "uid=") && find(p, e, " from=<") != NULL) {
		out->kind = MLOG_PICKUP;
	} else if (prefix(p, e, "message-id=")) {
		out->kind = MLOG_MSGID;
		out->message_id.p = p + 11;
		for (q = e; q > p + 11 && q[-1] == ' '; q--)
			;
		out->message_id.len = (size_t)(q - (p + 11));
	} else if (prefix(p, e, "from=<") &&
	    (q = find(p, e, ">, size=")) != NULL) {
		out->sender.p = p + 6;
		out->sender.len = (size_t)(q - (p + 6));
		out->size = digits(q + 8, e);
		if ((q = find(q, e, ", nrcpt=")) == NULL)
			return;
		out->nrcpt = (unsigned long)digits(q + 8, e);
		out->kind = MLOG_QUEUED;
	} else if ((size_t)(e - p) == 7 && memcmp(p, "removed", 7) == 0) {
		out->kind = MLOG_REMOVED;
	} else if ((q = find(p, e, "notification: ")) != NULL) {
		q += 14;
		for (c = q; c < e && *c != ' ' && *c != ','; c++)
			;
		if (!is_queue_id(q, (size_t)(c - q)))
			return;
		out->kind = MLOG_NOTIFY;
		out->new_queue_id.p = q;
		out->new_queue_id.len = (size_t)(c - q);
	}
}

/*
 * refusal - "STAGE from HOST[ADDR]: REPLY; from=<...> to=<...> ..." as
 * smtpd and cleanup's milter client write it, or header/body checks'
 * "header NAME: VALUE from HOST[ADDR]; from=<...> ... helo=<...>: REPLY"
 */
static void
refusal(const char *p, const char *e, struct mlog_line *out)
{
	const char *env, *q, *h;

	for (q = p; q < e && *q != ' '; q++)
		;
	out->stage.p = p;
	out->stage.len = (size_t)(q - p);
	if ((env = rfind(p, e, "; from=<")) == NULL)
		env = e;
	if ((q = find(p, env, "]: ")) != NULL) {
		reply(q + 3, env, out);
		return;
	}
	if (env != e && (h = find(env, e, " helo=<")) != NULL &&
	    (q = find(h, e, ">: ")) != NULL)
		reply(q + 3, e, out);
}

/* reply - "554 5.7.1 text" into code and reason */
static void
reply(const char *p, const char *e, struct mlog_line *out)
{
	const char *q = p;
	int	 v;

	if ((q = num(p, e, 3, 3, &v)) != NULL && q < e && *q == ' ')
		q++;
	else
		q = p;
	if (q < e && *q >= '2' && *q <= '5' && q + 1 < e && q[1] == '.') {
		const char *r = q;

		while (r < e && *r != ' ')
			r++;
		if (r < e)
			q = r + 1;
	}
	out->code.p = p;
	out->code.len = q > p ? (size_t)(q - p - 1) : 0;
	out->reason.p = q;
	out->reason.len = (size_t)(e - q);
}

/* prefix - does [p, e) start with lit */
static int
prefix(const char *p, const char *e, const char *lit)
{
	size_t	 n = strlen(lit);

	return (size_t)(e - p) >= n && memcmp(p, lit, n) == 0;
}

/* find - first lit in [p, e), or NULL */
static const char *
find(const char *p, const char *e, const char *lit)
{
	return memmem(p, (size_t)(e - p), lit, strlen(lit));
}

/* rfind - last lit in [p, e), or NULL */
static const char *
rfind(const char *p, const char *e, const char *lit)
{
	const char *q, *last = NULL;

	while ((q = find(p, e, lit)) != NULL) {
		last = q;
		p = q + 1;
	}
	return last;
}

/* field - the value after key, up to the next ',' or the end */
static struct mlog_str
field(const char *p, const char *e, const char *key)
{
	struct mlog_str s = {NULL, 0};
	const char *q;

	if ((p = find(p, e, key)) == NULL)
		return s;
	p += strlen(key);
	for (q = p; q < e && *q != ','; q++)
		;
	s.p = p;
	s.len = (size_t)(q - p);
	return s;
}

/* digits - leading decimal digits as a number (saturating) */
static uint64_t
digits(const char *p, const char *e)
{
	uint64_t v = 0;

	for (; p < e && *p >= '0' && *p <= '9'; p++)
		v = v > UINT64_MAX / 10 - 9 ? UINT64_MAX : v * 10 +
		    (uint64_t)(*p - '0');
	return v;
}

/* days_from_civil - days since 1970-01-01 (H. Hinnant's algorithm) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* mlog_mktime - civil date and time to seconds since 1970-01-01 */
int64_t
mlog_mktime(int year, int mon, int mday, int hour, int min, int sec)
{
	return days_from_civil(year, mon, mday) * DAY + hour * 3600 +
	    min * 60 + sec;
}

/* mlog_civil - seconds since 1970-01-01 to a civil date and time */
void
mlog_civil(int64_t t, int *year, int *mon, int *mday, int *hour, int *min,
    int *sec)
{
	int64_t z, s, era, doe, yoe, doy, mp;

	z = t >= 0 ? t / DAY : (t - DAY + 1) / DAY;
	s = t - z * DAY;
	*hour = (int)(s / 3600);
	*min = (int)(s / 60 % 60);
	*sec = (int)(s % 60);
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*mday = (int)(doy - (153 * mp + 2) / 5 + 1);
	*mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(yoe + era * 400 + (*mon <= 2));
}

/* mlog_fmt - format a civil time */
void
mlog_fmt(int64_t t, int what, char *buf, size_t len)
{
	int	 y, mo, d, h, mi, s;

	mlog_civil(t, &y, &mo, &d, &h, &mi, &s);
	if (what == MLOG_FMT_DAY)
		(void)snprintf(buf, len, "%04d-%02d-%02d", y, mo, d);
	else if (what == MLOG_FMT_MINUTE)
		(void)snprintf(buf, len, "%04d-%02d-%02d %02d:%02d", y, mo, d,
		    h, mi);
	else
		(void)snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d", y,
		    mo, d, h, mi, s);
}

/* mlog_parse_date - "YYYY-MM-DD[( |T)HH:MM[:SS]]" */
int
mlog_parse_date(const char *s, int64_t *t, int *has_time)
{
	const char *p = s, *e = s + strlen(s);
	int	 y, mo, d, hh = 0, mm = 0, ss = 0;

	*has_time = 0;
	if ((p = num(p, e, 4, 4, &y)) == NULL || p >= e || *p++ != '-' ||
	    (p = num(p, e, 2, 2, &mo)) == NULL || p >= e || *p++ != '-' ||
	    (p = num(p, e, 2, 2, &d)) == NULL)
		return -1;
	if (p < e && (*p == ' ' || *p == 'T')) {
		*has_time = 1;
		if ((p = num(p + 1, e, 2, 2, &hh)) == NULL || p >= e ||
		    *p++ != ':' || (p = num(p, e, 2, 2, &mm)) == NULL)
			return -1;
		if (p < e && *p == ':' && (p = num(p + 1, e, 2, 2, &ss)) ==
		    NULL)
			return -1;
	}
	if (p != e || mo < 1 || mo > 12 || d < 1 || d > 31 || hh > 23 ||
	    mm > 59 || ss > 59)
		return -1;
	*t = mlog_mktime(y, mo, d, hh, mm, ss);
	return 0;
}
