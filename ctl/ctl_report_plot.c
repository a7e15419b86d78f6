/* ctl_report_plot.c - gatepostctl report --plot: gnuplot draws the picture */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ctl_report.h"
#include "mlog.h"

static const char *terminal(const char *);
static int write_data(const char *, const struct ctl_report_view *);
static int write_script(const char *, const char *, const char *,
	    const char *, const struct ctl_report_view *);
static int run_gnuplot(const char *, char *, size_t);
static void cleanup(const char *, const char *, const char *);

/* terminal - the gnuplot terminal for a file name, or NULL */
static const char *
terminal(const char *path)
{
	size_t	 n = strlen(path);

	if (n > 4 && strcmp(path + n - 4, ".png") == 0)
		return "pngcairo size 1000,500 font ',10'";
	if (n > 4 && strcmp(path + n - 4, ".svg") == 0)
		return "svg size 1000,500 dynamic font 'sans,10'";
	return NULL;
}

/* ctl_report_plot - inbound vs outbound messages per period */
int
ctl_report_plot(const char *path, const struct ctl_report_view *v,
    char *why, size_t whylen)
{
	char	 dir[] = "/tmp/gatepostctl-plot.XXXXXX";
	char	 data[sizeof(dir) + 16], script[sizeof(dir) + 16];
	const char *term = terminal(path);
	struct stat sb;
	int	 rc = -1;

	if (term == NULL) {
		(void)snprintf(why, whylen, "the file name must end in .png "
		    "or .svg");
		return -1;
	}
	if (strpbrk(path, "'\n") != NULL) {
		(void)snprintf(why, whylen, "the file name must not contain "
		    "quotes or newlines");
		return -1;
	}
	if (mkdtemp(dir) == NULL) {
		(void)snprintf(why, whylen, "mkdtemp: %s",
		    strerror_r(errno, (char[128]){0}, 128));
		return -1;
	}
	(void)snprintf(data, sizeof(data), "%s/data", dir);
	(void)snprintf(script, sizeof(script), "%s/plot.gp", dir);
	if (write_data(data, v) != 0 ||
	    write_script(script, data, term, path, v) != 0)
		(void)snprintf(why, whylen, "cannot write in %s", dir);
	else if (run_gnuplot(script, why, whylen) == 0) {
		if (stat(path, &sb) == 0 && sb.st_size > 0)
			rc = 0;
		else
			(void)snprintf(why, whylen, "gnuplot wrote nothing");
	}
	cleanup(dir, data, script);
	return rc;
}

/* write_data - "START INBOUND OUTBOUND" per period */
static int
write_data(const char *path, const struct ctl_report_view *v)
{
	FILE	*fp;
	char	 t[32];
	size_t	 i;

	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	for (i = 0; i < v->n_p; i++) {
		mlog_fmt(v->p[i].start, MLOG_FMT_ISO, t, sizeof(t));
		(void)fprintf(fp, "%s %" PRIu64 " %" PRIu64 "\n", t,
		    v->p[i].c[REPORT_INBOUND].messages,
		    v->p[i].c[REPORT_OUTBOUND].messages);
	}
	return fclose(fp) == 0 ? 0 : -1;
}

/* write_script - the gnuplot program */
static int
write_script(const char *path, const char *data, const char *term,
    const char *out, const struct ctl_report_view *v)
{
	const char *per = v->by >= 86400 ? "day" : "hour";
	char	 lo[32], hi[32];
	FILE	*fp;

	if (v->n_p == 0 || (fp = fopen(path, "w")) == NULL)
		return -1;
	/* One period alone would be an empty x range: pad by a period. */
	mlog_fmt(v->p[0].start - (v->n_p == 1 ? v->by : 0), MLOG_FMT_ISO, lo,
	    sizeof(lo));
	mlog_fmt(v->p[v->n_p - 1].start + (v->n_p == 1 ? v->by : 0),
	    MLOG_FMT_ISO, hi, sizeof(hi));
	(void)fprintf(fp,
	    "set terminal %s\n"
	    "set output '%s'\n"
	    "set title 'gatepost: inbound vs outbound messages per %s'\n"
	    "set xdata time\n"
	    "set timefmt '%%Y-%%m-%%dT%%H:%%M:%%S'\n"
	    "set format x \"%s\"\n"
	    "set ylabel 'messages per %s'\n"
	    "set xrange ['%s':'%s']\n"
	    "set yrange [0:*]\n"
	    "set offsets 0, 0, graph 0.1, 0\n"
	    "set grid\n"
	    "set key top left\n"
	    "plot '%s' using 1:2 with linespoints lw 2 title 'inbound', \\\n"
	    "     '' using 1:3 with linespoints lw 2 title 'outbound'\n",
	    term, out, per, v->by >= 86400 ? "%Y-%m-%d" : "%m-%d\\n%H:%M",
	    per, lo, hi, data);
	return fclose(fp) == 0 ? 0 : -1;
}

/* run_gnuplot - run gnuplot on the script; 0 when it succeeded */
static int
run_gnuplot(const char *script, char *why, size_t whylen)
{
	pid_t	 pid;
	int	 st;

	if ((pid = fork()) < 0) {
		(void)snprintf(why, whylen, "fork: %s",
		    strerror_r(errno, (char[128]){0}, 128));
		return -1;
	}
	if (pid == 0) {
		(void)execlp("gnuplot", "gnuplot", script, (char *)NULL);
		(void)fprintf(stderr, "gatepostctl report: gnuplot: %s "
		    "(apt-get install gnuplot-nox)\n",
		    strerror_r(errno, (char[128]){0}, 128));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			(void)snprintf(why, whylen, "waitpid: %s",
			    strerror_r(errno, (char[128]){0}, 128));
			return -1;
		}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	if (WIFEXITED(st))
		(void)snprintf(why, whylen, "gnuplot exited %d",
		    WEXITSTATUS(st));
	else
		(void)snprintf(why, whylen, "gnuplot killed by signal %d",
		    WTERMSIG(st));
	return -1;
}

/* cleanup - remove the temporary directory */
static void
cleanup(const char *dir, const char *data, const char *script)
{
	(void)unlink(data);
	(void)unlink(script);
	(void)rmdir(dir);
}
