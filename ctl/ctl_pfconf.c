/* ctl_pfconf.c - read the live Postfix configuration through postconf */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "pfconf.h"
#include "sbuf.h"

#define CTL_POSTCONF	"postconf"
#define CTL_MAX_OUTPUT	(16 * 1024 * 1024)

static char *run_postconf(const char *, const char *, char *, size_t);
static int read_all(int, struct sbuf *);

/* read_all - a pipe's content, bounded */
static int
read_all(int fd, struct sbuf *b)
{
	char	 buf[8192];
	ssize_t	 n;

	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -1 : 0;
		if (b->len + (size_t)n > CTL_MAX_OUTPUT)
			return -1;
		sbuf_putn(b, buf, (size_t)n);
	}
}

/* run_postconf - postconf [-c dir] [flag]; its output, or NULL and why */
static char *
run_postconf(const char *dir, const char *flag, char *why, size_t whylen)
{
	const char *argv[5];
	struct sbuf b;
	int	 p[2], status, argc = 0, rd;
	pid_t	 pid;

	argv[argc++] = CTL_POSTCONF;
	if (dir != NULL) {
		argv[argc++] = "-c";
		argv[argc++] = dir;
	}
	if (flag != NULL)
		argv[argc++] = flag;
	argv[argc] = NULL;
	if (pipe(p) < 0 || (pid = fork()) < 0) {
		(void)snprintf(why, whylen, "cannot run postconf: %m");
		return NULL;
	}
	if (pid == 0) {
		(void)close(p[0]);
		if (dup2(p[1], 1) < 0)
			_exit(127);
		(void)execvp(argv[0], (char *const *)(uintptr_t)argv);
		(void)fprintf(stderr, "gatepostctl: %s: %m\n", argv[0]);
		_exit(127);
	}
	(void)close(p[1]);
	sbuf_init(&b);
	rd = read_all(p[0], &b);
	(void)close(p[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (rd < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		(void)snprintf(why, whylen, "postconf%s%s %s failed%s",
		    dir != NULL ? " -c " : "", dir != NULL ? dir : "",
		    flag != NULL ? flag : "", rd < 0 ? " (output unreadable "
		    "or too large)" : "");
		sbuf_free(&b);
		return NULL;
	}
	return sbuf_take(&b);
}

/* ctl_pfconf_read - the live Postfix configuration; 0, or -1 and why */
int
ctl_pfconf_read(const char *dir, struct pfconf *pf, char *why, size_t whylen)
{
	static const struct {
		const char *flag;
		int	 what;		/* 0 -n, 1 all, 2 -M, 3 -P */
	} runs[] = { {"-n", 0}, {NULL, 1}, {"-M", 2}, {"-P", 3} };
	char	*text, sub[256];
	size_t	 i;
	int	 rc;

	memset(pf, 0, sizeof(*pf));
	for (i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		if ((text = run_postconf(dir, runs[i].flag, why, whylen)) ==
		    NULL)
			return -1;
		if (runs[i].what <= 1)
			rc = pfconf_parse_main(pf, runs[i].what, text, sub,
			    sizeof(sub));
		else if (runs[i].what == 2)
			rc = pfconf_parse_master(pf, text, sub, sizeof(sub));
		else
			rc = pfconf_parse_params(pf, text, sub, sizeof(sub));
		free(text);
		if (rc < 0) {
			(void)snprintf(why, whylen, "postconf %s: %s",
			    runs[i].flag != NULL ? runs[i].flag : "", sub);
			return -1;
		}
	}
	return 0;
}
