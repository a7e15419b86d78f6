/* ctl_report.c - gatepostctl report: a capacity report from Postfix logs */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "ctl.h"
#include "ctl_report.h"
#include "mlog.h"
#include "report.h"
#include "xalloc.h"

#define LINE_MAX_BYTES	65536		/* longer lines are unparseable */
#define MAX_FACES	64

enum fmt { FMT_TABLE = 0, FMT_CSV, FMT_JSON };

struct opts {
	const char *config;		/* -c, NULL: default, unless --face */
	int64_t	 from, to;		/* window, civil seconds */
	int64_t	 by;			/* seconds */
	enum fmt fmt;
	const char *plot;		/* --plot FILE, may be NULL */
	struct report_face faces[MAX_FACES];	/* --face, then config */
	size_t	 n_faces;
	int	 cli_faces;		/* faces came from --face */
};

struct reader {				/* one log file, read line by line */
	const char *path;		/* borrowed from argv */
	gzFile	 gz;			/* plain or gzip (zlib reads both) */
	char	*buf;			/* owned, LINE_MAX_BYTES */
	int64_t	 ref;			/* civil mtime: year of "Nov 28" */
	struct mlog_line ml;		/* the next Postfix line, if have */
	int	 have;
	struct evlog *ev;		/* borrowed: gatepost's events */
};

static int parse_args(int, char **, struct opts *);
static int parse_choice(int, const char *, struct opts *);
static int parse_face(const char *, struct opts *);
static int parse_window(const char *, const char *, struct opts *);
static int config_faces(struct opts *, struct cfg **);
static int reader_open(struct reader *, const char *);
static void reader_next(struct reader *, struct report *);
static int read_line(struct reader *, size_t *);
static void run(struct reader *, size_t, struct report *);
static int output(const struct opts *, struct report *,
    const struct evlog *);
static void free_faces(struct opts *);
static void report_usage(FILE *);

static const struct option long_opts[] = {
	CTL_OPT_CONFIG,
	{"from", required_argument, NULL, 'F'},
	{"to", required_argument, NULL, 'T'},
	{"by", required_argument, NULL, 'b'},
	{"format", required_argument, NULL, 'f'},
	{"plot", required_argument, NULL, 'p'},
	{"face", required_argument, NULL, 'a'},
	CTL_OPT_HELP_END
};


/* ctl_report - gatepostctl report [options] LOGFILE... */
int
ctl_report(int argc, char **argv)
{
	struct opts o;
	struct cfg *cfg = NULL;
	struct reader *rd;
	struct report *r;
	struct evlog *ev;
	int	 i, n, rc;

	if ((rc = parse_args(argc, argv, &o)) != 0 ||
	    (!o.cli_faces && (rc = config_faces(&o, &cfg)) != 0)) {
		free_faces(&o);
		return rc;
	}
	n = argc - optind;
	rd = xcalloc((size_t)n, sizeof(*rd));
	for (i = 0; i < n; i++)
		if (reader_open(&rd[i], argv[optind + i]) != 0) {
			while (i-- > 0)
				(void)gzclose(rd[i].gz), free(rd[i].buf);
			free(rd);
			free_faces(&o);
			cfg_release(cfg);
			return EX_NOINPUT;
		}
	r = report_new(o.faces, o.n_faces, o.from, o.to);
	ev = evlog_new();
	for (i = 0; i < n; i++)
		rd[i].ev = ev;
	run(rd, (size_t)n, r);
	evlog_end(ev);
	for (i = 0; i < n; i++) {
		(void)gzclose(rd[i].gz);
		free(rd[i].buf);
	}
	free(rd);
	rc = output(&o, r, ev);
	evlog_free(ev);
	report_free(r);
	free_faces(&o);
	cfg_release(cfg);
	return rc;
}

/* free_faces - the names --face copied (config names are the cfg's) */
static void
free_faces(struct opts *o)
{
	size_t	 i;

	if (o->cli_faces)
		for (i = 0; i < o->n_faces; i++)
			free((char *)o->faces[i].syslog_name);
	o->n_faces = 0;
}

/* parse_args - options into o; 0, or an exit status */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	const char *from = NULL, *to = NULL;
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->by = 3600;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "c:h", long_opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'F':
			from = optarg;
			break;
		case 'T':
			to = optarg;
			break;
		case 'b':
		case 'f':
			if (parse_choice(ch, optarg, o) != 0)
				goto usage;
			break;
		case 'p':
			o->plot = optarg;
			break;
		case 'a':
			if (parse_face(optarg, o) != 0)
				goto usage;
			break;
		case 'h':
			report_usage(stdout);
			exit(0);
		default:
			goto usage;
		}
	}
	if (optind >= argc || parse_window(from, to, o) != 0)
		goto usage;
	return 0;
usage:
	report_usage(stderr);
	return EX_USAGE;
}

/* parse_choice - --by hour|day, --format table|csv|json */
static int
parse_choice(int ch, const char *arg, struct opts *o)
{
	static const char *const fmts[] = {"table", "csv", "json"};
	size_t	 i;

	if (ch == 'b' && strcmp(arg, "hour") == 0)
		o->by = 3600;
	else if (ch == 'b' && strcmp(arg, "day") == 0)
		o->by = 86400;
	else if (ch == 'f') {
		for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++)
			if (strcmp(arg, fmts[i]) == 0) {
				o->fmt = (enum fmt)i;
				return 0;
			}
		return -1;
	} else
		return -1;
	return 0;
}

/* parse_face - "--face SYSLOG_NAME=DIRECTION" */
static int
parse_face(const char *arg, struct opts *o)
{
	const char *eq = strrchr(arg, '=');
	int	 d;

	if (eq == NULL || eq == arg || o->n_faces == MAX_FACES)
		return -1;
	for (d = 0; d < REPORT_OTHER; d++)
		if (strcmp(eq + 1, report_dir_name((enum report_dir)d)) == 0)
			break;
	if (d == REPORT_OTHER) {
		(void)fprintf(stderr, "gatepostctl report: --face %s: unknown "
		    "direction (inbound, outbound, internal, local)\n", arg);
		return -1;
	}
	/* The name stays in argv: copy it without the "=DIRECTION". */
	o->faces[o->n_faces].syslog_name = xstrndup(arg, (size_t)(eq - arg));
	o->faces[o->n_faces].dir = (enum report_dir)d;
	o->n_faces++;
	o->cli_faces = 1;
	return 0;
}

/* parse_window - --from and --to; a date alone includes that day */
static int
parse_window(const char *from, const char *to, struct opts *o)
{
	int	 has_time;

	o->from = INT64_MIN;
	o->to = INT64_MAX;
	if (from != NULL && mlog_parse_date(from, &o->from, &has_time) != 0) {
		(void)fprintf(stderr, "gatepostctl report: --from %s: want "
		    "YYYY-MM-DD[ HH:MM[:SS]]\n", from);
		return -1;
	}
	if (to != NULL) {
		if (mlog_parse_date(to, &o->to, &has_time) != 0) {
			(void)fprintf(stderr, "gatepostctl report: --to %s: "
			    "want YYYY-MM-DD[ HH:MM[:SS]]\n", to);
			return -1;
		}
		if (!has_time)
			o->to += 86400;
	}
	return 0;
}

/* config_faces - each instance's syslog_name and direction */
static int
config_faces(struct opts *o, struct cfg **cfgp)
{
	const char *path = o->config != NULL ? o->config : CTL_DEFAULT_CONFIG;
	struct cfg *cfg;
	size_t	 i;

	if ((cfg = ctl_load(path, 1)) == NULL) {
		(void)fprintf(stderr, "gatepostctl report: no configuration: "
		    "use -c FILE, or name the faces with --face "
		    "SYSLOG_NAME=DIRECTION\n");
		return 1;
	}
	for (i = 0; i < cfg->n_inst && o->n_faces < MAX_FACES; i++) {
		o->faces[o->n_faces].syslog_name = cfg->inst[i].syslog_name;
		o->faces[o->n_faces].dir = (enum report_dir)cfg->inst[i].dir;
		o->n_faces++;
	}
	*cfgp = cfg;
	return 0;
}

/* reader_open - open a log (plain or gzip; "-" is stdin) */
static int
reader_open(struct reader *rd, const char *path)
{
	struct stat sb;
	struct tm tm;
	time_t	 mt;
	int	 fd;

	rd->path = path;
	fd = strcmp(path, "-") == 0 ? dup(0) : open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &sb) != 0 || (rd->gz = gzdopen(fd, "rb")) ==
	    NULL) {
		(void)fprintf(stderr, "gatepostctl report: %s: %s\n", path,
		    strerror_r(errno, (char[128]){0}, 128));
		if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	mt = S_ISREG(sb.st_mode) ? sb.st_mtime : time(NULL);
	if (localtime_r(&mt, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	rd->ref = mlog_mktime(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	rd->buf = xmalloc(LINE_MAX_BYTES);
	return 0;
}

/*
 * read_line - the next line into rd->buf (NUL-terminated, newline
 * kept) and its length; 0 at the end.  A damaged compressed file ends
 * where the damage starts, with a warning: what came before counts.
 */
static int
read_line(struct reader *rd, size_t *len)
{
	const char *msg;
	int	 err;

	if (gzgets(rd->gz, rd->buf, LINE_MAX_BYTES) == NULL) {
		msg = gzerror(rd->gz, &err);
		/* zlib names the descriptor ("<fd:3>: "): we name the file */
		if (strncmp(msg, "<fd:", 4) == 0 && strstr(msg, ": ") != NULL)
			msg = strstr(msg, ": ") + 2;
		if (err != Z_OK && err != Z_STREAM_END)
			(void)fprintf(stderr, "gatepostctl report: %s: %s "
			    "(truncated or damaged; the rest is skipped)\n",
			    rd->path, err == Z_ERRNO ? "read error" : msg);
		return 0;
	}
	*len = strlen(rd->buf);
	return 1;
}

/* reader_next - count lines until the next Postfix line (rd->have) */
static void
reader_next(struct reader *rd, struct report *r)
{
	size_t	 len;
	int	 rc, c;

	rd->have = 0;
	while (read_line(rd, &len)) {
		if (len == LINE_MAX_BYTES - 1 && rd->buf[len - 1] != '\n') {
			/* Overlong: skip to its end, count it unparseable. */
			while ((c = gzgetc(rd->gz)) != -1 && c != '\n')
				;
			report_feed(r, -1, NULL);
			continue;
		}
		/* gatepost's JSON events (docs/events.md), joined apart */
		if (evlog_feed(rd->ev, rd->buf, len))
			continue;
		rc = mlog_parse(rd->buf, len, rd->ref, &rd->ml);
		if (rc == 0) {
			rd->have = 1;
			return;
		}
		report_feed(r, rc, &rd->ml);
	}
}

/* run - merge the files' Postfix lines by time into the report */
static void
run(struct reader *rd, size_t n, struct report *r)
{
	struct reader *min;
	size_t	 i;

	for (i = 0; i < n; i++)
		reader_next(&rd[i], r);
	for (;;) {
		min = NULL;
		for (i = 0; i < n; i++)
			if (rd[i].have && (min == NULL ||
			    rd[i].ml.time < min->ml.time ||
			    (rd[i].ml.time == min->ml.time &&
			    rd[i].ml.usec < min->ml.usec)))
				min = &rd[i];
		if (min == NULL)
			break;
		report_feed(r, 0, &min->ml);
		reader_next(min, r);
	}
	report_end(r);
}

/* output - print the report, and plot it when asked */
static int
output(const struct opts *o, struct report *r, const struct evlog *ev)
{
	struct ctl_report_view v;
	char	 why[256];
	int	 rc = 0;

	memset(&v, 0, sizeof(v));
	v.r = r;
	v.ev = ev;
	v.by = o->by;
	v.from = o->from;
	v.to = o->to;
	v.p = report_periods(r, o->by, &v.n_p);
	report_summary(r, o->by, v.s);
	if (o->fmt == FMT_CSV)
		rc = ctl_report_csv(stdout, &v);
	else if (o->fmt == FMT_JSON)
		rc = ctl_report_json(stdout, &v);
	else
		rc = ctl_report_table(stdout, &v);
	if (rc != 0 || fflush(stdout) != 0) {
		(void)fprintf(stderr, "gatepostctl report: cannot write the "
		    "report\n");
		rc = EX_IOERR;
	} else if (o->plot != NULL &&
	    ctl_report_plot(o->plot, &v, why, sizeof(why)) != 0) {
		(void)fprintf(stderr, "gatepostctl report: --plot %s: %s\n",
		    o->plot, why);
		rc = EX_CANTCREAT;
	}
	free(v.p);
	return rc;
}

/* report_usage - the subcommand's synopsis */
static void
report_usage(FILE *fp)
{
	(void)fprintf(fp,
"usage: gatepostctl report [-c FILE] [--face SYSLOG_NAME=DIRECTION]...\n"
"           [--from DATE] [--to DATE] [--by hour|day]\n"
"           [--format table|csv|json] [--plot FILE.png|FILE.svg]\n"
"           LOGFILE...\n"
"Messages, recipients, bytes and rejects per direction from Postfix logs\n"
"(plain or gzip; \"-\" is stdin).  DATE is YYYY-MM-DD[ HH:MM[:SS]].\n"
"See gatepostctl(8).\n");
}
