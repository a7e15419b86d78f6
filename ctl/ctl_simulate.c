/* ctl_simulate.c - gatepostctl simulate: one message through the rules */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

#include "cpath.h"
#include "ctl.h"
#include "file.h"
#include "hdrfrom.h"
#include "decide.h"
#include "log.h"
#include "rule.h"
#include "xalloc.h"

#define SIM_MAX_RCPT	64
#define SIM_MAX_FROM	8

struct sim {
	const char *path;
	const char *instance;
	const char *client;
	const char *client_name;
	const char *helo;
	const char *sasl;
	const char *from;
	const char *rcpt[SIM_MAX_RCPT];
	size_t	 n_rcpt;
	const char *hdr_from[SIM_MAX_FROM];
	size_t	 n_hdr_from;
	size_t	 size;
	const char *message;		/* --message FILE (RFC 5322) */
	const char *write;		/* --write FILE */
};

static int sim_args(int, char **, struct sim *);
static const struct cfg_instance *sim_instance(const struct cfg *,
    const char *);
static void sim_trace(void *, enum rule_id, enum stage,
    const struct rule_hit *);
static int sim_stage(const struct cfg *, const struct cfg_instance *,
    struct facts *, enum stage, enum stage, struct verdict *, const char *);
static void sim_content(const struct cfg_instance *, const struct facts *,
    const struct verdict *, int);
static int sim_message(const struct cfg *, const struct cfg_instance *,
    const struct sim *, struct facts *, struct verdict *);
static int sim_diff(const char *, const char *, size_t, const char *,
    size_t);
static int sim_spew(const char *, const char *, size_t);
static int sim_result(const struct cfg_instance *, const struct facts *,
    const struct verdict *);
static int sim_envelope(const struct cfg *, const struct cfg_instance *,
    const struct sim *, struct facts *, struct verdict *);
static void sim_malformed(const struct hdr_from *);
static void sim_headers(const struct cfg *, const struct cfg_instance *,
    const struct sim *, struct facts *, struct verdict *);

static const char *const stage_names[] = {"CONNECT", "HELO", "MAIL", "RCPT",
    "DATA", "HEADER", "END-OF-MESSAGE"};

static const struct option sim_opts[] = {
	CTL_OPT_CONFIG,
	{"instance", required_argument, NULL, 'i'},
	{"client", required_argument, NULL, 'a'},
	{"client-name", required_argument, NULL, 'n'},
	{"helo", required_argument, NULL, 'H'},
	{"sasl-user", required_argument, NULL, 'u'},
	{"from", required_argument, NULL, 'f'},
	{"rcpt", required_argument, NULL, 'r'},
	{"header-from", required_argument, NULL, 'F'},
	{"size", required_argument, NULL, 's'},
	{"message", required_argument, NULL, 'm'},
	{"write", required_argument, NULL, 'w'},
	CTL_OPT_HELP_END
};

/* sim_args - parse the command line into s; 0, or an exit status */
static int
sim_args(int argc, char **argv, struct sim *s)
{
	int	 c;

	memset(s, 0, sizeof(*s));
	s->path = CTL_DEFAULT_CONFIG;
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", sim_opts, NULL)) != -1) {
		switch (c) {
		case 'c': s->path = optarg; break;
		case 'i': s->instance = optarg; break;
		case 'a': s->client = optarg; break;
		case 'n': s->client_name = optarg; break;
		case 'H': s->helo = optarg; break;
		case 'u': s->sasl = optarg; break;
		case 'f': s->from = optarg; break;
		case 's': s->size = strtoul(optarg, NULL, 10); break;
		case 'm': s->message = optarg; break;
		case 'w': s->write = optarg; break;
		case 'r':
			if (s->n_rcpt == SIM_MAX_RCPT) {
				(void)fprintf(stderr, "simulate: at most %d "
				    "--rcpt\n", SIM_MAX_RCPT);
				return EX_USAGE;
			}
			s->rcpt[s->n_rcpt++] = optarg;
			break;
		case 'F':
			if (s->n_hdr_from == SIM_MAX_FROM) {
				(void)fprintf(stderr, "simulate: at most %d "
				    "--header-from\n", SIM_MAX_FROM);
				return EX_USAGE;
			}
			s->hdr_from[s->n_hdr_from++] = optarg;
			break;
		case 'h':
			(void)printf("usage: gatepostctl simulate [-c FILE] "
			    "--instance NAME [--client IP] [--helo H]\n"
			    "    [--sasl-user U] [--from ADDR] [--rcpt ADDR]... "
			    "[--header-from VALUE]...\n"
			    "    [--message FILE [--write FILE]]\n");
			return -1;
		default:
			return EX_USAGE;
		}
	}
	if (s->write != NULL && s->message == NULL) {
		(void)fprintf(stderr, "simulate: --write needs --message\n");
		return EX_USAGE;
	}
	if (s->message != NULL && s->n_hdr_from > 0) {
		(void)fprintf(stderr, "simulate: --header-from and --message: "
		    "the message's own From fields are used\n");
		return EX_USAGE;
	}
	if (s->instance == NULL || optind != argc) {
		(void)fprintf(stderr, "usage: gatepostctl simulate [-c FILE] "
		    "--instance NAME [options]; see gatepostctl -h\n");
		return EX_USAGE;
	}
	return 0;
}

/* sim_instance - by instance name, else as a daemon would (match.name) */
static const struct cfg_instance *
sim_instance(const struct cfg *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (strcasecmp(cfg->inst[i].name, name) == 0)
			return &cfg->inst[i];
	return cfg_instance_find(cfg, name, NULL, 0);
}

/* sim_trace - print one rule's decision */
static void
sim_trace(void *arg, enum rule_id id, enum stage st, const struct rule_hit *h)
{
	(void)arg;
	(void)st;
	if (h->action == CFG_ACT_NONE) {
		(void)printf("    %-24s pass\n", rule_name(id));
		return;
	}
	(void)printf("    %-24s %s", rule_name(id), cfg_act_name(h->action));
	if (h->code != 0)
		(void)printf(" %d %s %s", h->code, h->dsn, h->text);
	(void)printf(" (%s)%s\n", h->reason, h->mode == CFG_MODE_MONITOR ?
	    " [monitor: logged, not enforced]" : "");
}

/* sim_stage - evaluate and print one stage; 1 when refused */
static int
sim_stage(const struct cfg *cfg, const struct cfg_instance *inst,
    struct facts *f, enum stage first, enum stage last, struct verdict *v,
    const char *what)
{
	(void)printf("  %s %s\n", stage_names[first], what);
	rule_eval_trace(cfg, inst, f, first, last, v, sim_trace, NULL);
	return v->refusal != NULL;
}

/* sim_malformed - why a From that does not parse is refused, in words */
static void
sim_malformed(const struct hdr_from *hf)
{
	(void)printf("    MALFORMED: gatepost cannot read this From field with "
	    "certainty.\n"
	    "    It has a syntax error, an address that is not valid (for "
	    "example an\n"
	    "    encoded word or a control character where the address "
	    "belongs), or more\n"
	    "    addresses or a longer name than gatepost examines (%d "
	    "addresses,\n"
	    "    %d bytes of a name).  A mail program may show a sender "
	    "gatepost\n"
	    "    cannot see, so on a face that checks spoofing the "
	    "message is refused:\n"
	    "    by spoofing.header_from when the field's text, decoded "
	    "or not, names an\n"
	    "    internal domain anywhere, else by "
	    "spoofing.malformed_from.\n",
	    HDR_FROM_MAX, FACTS_STR_MAX - 1);
	(void)printf("    (%zu text%s of the field kept for that test)\n",
	    hf->n_text, hf->n_text == 1 ? "" : "s");
}

/* sim_headers - the header stage, from --header-from values */
static void
sim_headers(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct sim *s, struct facts *f, struct verdict *v)
{
	struct hdr_from *hf = xcalloc(1, sizeof(*hf));
	size_t	 i;

	hdrfrom_parse(hf, s->hdr_from, s->n_hdr_from);
	f->from = hf;
	(void)printf("  HEADER From: %u field%s\n", hf->n_fields,
	    hf->n_fields == 1 ? "" : "s");
	for (i = 0; i < hf->n; i++) {
		char	 a[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1] = "?";

		if (hf->v[i].valid)
			(void)addr_format(&hf->v[i].addr, a, sizeof(a));
		(void)printf("    address %s, display name \"%s\"%s\n", a,
		    hf->v[i].display, hf->v[i].valid ? "" : " (unparseable)");
	}
	if (hf->bad)
		sim_malformed(hf);
	rule_eval_trace(cfg, inst, f, STAGE_EOH, STAGE_EOH, v, sim_trace,
	    NULL);
}

/* sim_content - what the milter would do to an accepted message */
static void
sim_content(const struct cfg_instance *inst, const struct facts *f,
    const struct verdict *v, int scans_only)
{
	struct rule_content c;
	const char *name, *value;
	size_t	 i;

	rule_content(inst, f, &c);
	(void)printf("  content actions (gatepost-milter, end of message):\n");
	for (i = 0; i < v->n_hit && !scans_only; i++)
		if (v->hit[i].action == CFG_ACT_TAG &&
		    rule_tag(v->hit[i].rule, &name, &value) == 0)
			(void)printf("    add header %s: %s\n", name, value);
	for (i = 0; i < c.n_hdr_add && !scans_only; i++)
		(void)printf("    add header %s: %s\n", c.hdr_add[i].name,
		    c.hdr_add[i].value);
	for (i = 0; i < inst->hdr_remove.n && !scans_only; i++)
		(void)printf("    remove header %s\n", inst->hdr_remove.v[i]);
	if (inst->dir == CFG_DIR_INBOUND && !scans_only)
		(void)printf("    remove forged X-Gatepost-* and X-Spam-* "
		    "headers\n");
	if (c.spam_scan)
		(void)printf("    spam scan (%s)\n", inst->spam.server);
	if (c.virus_scan)
		(void)printf("    virus scan (%s)\n", inst->virus.server);
	if (c.disclaimer && !scans_only)
		(void)printf("    disclaimer%s\n", f->size > 0 &&
		    f->size > inst->disclaimer.max_size ?
		    " (skipped: over disclaimer.max_size)" : "");
	if (c.archive_bcc != NULL)
		(void)printf("    archive copy to <%s>\n", c.archive_bcc);
	if (inst->n_rl > 0)
		(void)printf("    (rate limits are stateful: not simulated)\n");
}

/* sim_spew - write a whole file; 0 or -1 (reported) */
static int
sim_spew(const char *path, const char *buf, size_t len)
{
	FILE	*fp;

	if ((fp = fopen(path, "wb")) == NULL ||
	    fwrite(buf, 1, len, fp) != len || fclose(fp) != 0) {
		(void)fprintf(stderr, "simulate: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

/*
 * sim_diff - diff -u of the message as read and as it would leave,
 * through diff(1) (diffutils is Essential on Debian); 0, or -1 when it
 * could not run
 */
static int
sim_diff(const char *label, const char *a, size_t alen, const char *b,
    size_t blen)
{
	char	 fa[] = "/tmp/gatepost-sim-a.XXXXXX";
	char	 fb[] = "/tmp/gatepost-sim-b.XXXXXX";
	char	 la[600], lb[620];
	int	 da, db, st = -1;
	pid_t	 pid;

	if ((da = mkstemp(fa)) < 0)
		return -1;
	if ((db = mkstemp(fb)) < 0) {
		(void)close(da);
		(void)unlink(fa);
		return -1;
	}
	(void)close(da);
	(void)close(db);
	(void)snprintf(la, sizeof(la), "%s", label);
	(void)snprintf(lb, sizeof(lb), "%s (as it would leave)", label);
	if (sim_spew(fa, a, alen) == 0 && sim_spew(fb, b, blen) == 0) {
		(void)fflush(stdout);
		if ((pid = fork()) == 0) {
			execlp("diff", "diff", "-u", "--label", la, "--label",
			    lb, fa, fb, (char *)NULL);
			_exit(127);
		}
		while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	(void)unlink(fa);
	(void)unlink(fb);
	/* diff: 0 same, 1 different, 2 trouble */
	return WIFEXITED(st) && WEXITSTATUS(st) <= 1 ? 0 : -1;
}

/* sim_message - the content path of --message; 1 when refused */
static int
sim_message(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct sim *s, struct facts *f, struct verdict *v)
{
	struct dcrule_env env;
	struct facts fr = *f;
	struct cpath cp;
	char	 why[256], *msg;
	size_t	 len, i;
	int	 rc;

	if ((msg = file_read(s->message, &len, why, sizeof(why))) == NULL) {
		(void)fprintf(stderr, "simulate: cannot read %s: %s\n",
		    s->message, why);
		return 3;
	}
	memset(&env, 0, sizeof(env));
	for (i = 0; i < s->n_rcpt; i++)
		if (facts_set_rcpt(&fr, s->rcpt[i]) == 0 && fr.have_rcpt)
			dcrule_rcpt(cfg, inst, &fr.rcpt, &env);
	if (f->size == 0)
		f->size = len;
	(void)printf("  content path: %s (%zu bytes)\n", s->message, len);
	(void)cpath_run(cfg, inst, f, &env, msg, len, v, sim_trace, NULL,
	    &cp);
	for (i = 0; i < cp.n_step; i++)
		(void)printf("    %-24s %s%s%s\n", cp.step[i].name,
		    cp.step[i].result, cp.step[i].detail[0] != '\0' ? " - " :
		    "", cp.step[i].detail);
	rc = sim_result(inst, f, v);
	if (rc == 0) {
		sim_content(inst, f, v, 1);
		(void)printf("  message as it would leave (diff -u):\n");
		if (cp.out_len == len && memcmp(cp.out, msg, len) == 0)
			(void)printf("    (unchanged)\n");
		else if (sim_diff(s->message, msg, len, cp.out,
		    cp.out_len) < 0)
			(void)printf("    (diff(1) could not run)\n");
		if (s->write != NULL && sim_spew(s->write, cp.out,
		    cp.out_len) == 0)
			(void)printf("  written to %s\n", s->write);
		else if (s->write != NULL)
			rc = 3;
	}
	cpath_free(&cp);
	free(msg);
	return rc;
}

/* sim_result - print the outcome and log lines; 0 accepted, 1 refused */
static int
sim_result(const struct cfg_instance *inst, const struct facts *f,
    const struct verdict *v)
{
	char	 line[LOG_LINE_MAX];
	size_t	 i;

	for (i = 0; i < v->n_hit; i++) {
		decide_log_format(line, sizeof(line), NULL, inst,
		    &v->hit[i], f);
		(void)printf("  log: %s\n", line);
	}
	if (v->refusal == NULL) {
		(void)printf("  result: accept%s\n",
		    inst != NULL && inst->mode == CFG_MODE_MONITOR &&
		    v->n_hit > 0 ? " (monitor mode: decisions logged only)" :
		    "");
		return 0;
	}
	if (v->refusal->action == CFG_ACT_HOLD)
		(void)printf("  result: hold (accepted into the hold queue) "
		    "rule=%s\n", rule_name(v->refusal->rule));
	else
		(void)printf("  result: %d %s %s rule=%s\n", v->refusal->code,
		    v->refusal->dsn, v->refusal->text,
		    rule_name(v->refusal->rule));
	return 1;
}

/* sim_envelope - CONNECT, MAIL, then RCPT per recipient; 1 if refused */
static int
sim_envelope(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct sim *s, struct facts *f, struct verdict *v)
{
	struct verdict vr;
	size_t	 i, refused = 0;
	char	 what[1024];

	(void)snprintf(what, sizeof(what), "client %s[%s] helo %s",
	    f->client_name, f->client_addr, s->helo ? s->helo : "-");
	if (sim_stage(cfg, inst, f, STAGE_CONNECT, STAGE_HELO, v, what))
		return sim_result(inst, f, v);
	(void)snprintf(what, sizeof(what), "from <%.300s%s> sasl <%s>",
	    f->sender_raw, f->sender_cut ? "..." : "", f->sasl_user);
	if (sim_stage(cfg, inst, f, STAGE_MAIL, STAGE_MAIL, v, what))
		return sim_result(inst, f, v);
	for (i = 0; i < s->n_rcpt; i++) {
		vr = *v;
		if (vr.refusal != NULL)
			vr.refusal = &vr.hit[v->refusal - v->hit];
		(void)facts_set_rcpt(f, s->rcpt[i]);
		(void)snprintf(what, sizeof(what), "to <%s>", f->rcpt_raw);
		if (sim_stage(cfg, inst, f, STAGE_RCPT, STAGE_RCPT, &vr,
		    what)) {
			refused++;
			(void)sim_result(inst, f, &vr);
		} else if (vr.n_hit > v->n_hit)
			(void)sim_result(inst, f, &vr);
	}
	if (s->n_rcpt > 0 && refused == s->n_rcpt) {
		(void)printf("  every recipient refused: no message\n");
		return 1;
	}
	return 0;
}

/* ctl_simulate - run one message through an instance's rules */
int
ctl_simulate(int argc, char **argv)
{
	const struct cfg_instance *inst;
	struct verdict v;
	struct facts f;
	struct sim s;
	struct cfg *cfg;
	int	 rc;

	if ((rc = sim_args(argc, argv, &s)) != 0)
		return rc < 0 ? 0 : rc;
	if ((cfg = ctl_load(s.path, 1)) == NULL)
		return 1;
	facts_init(&f);
	if (s.client != NULL && facts_set_client(&f, s.client) != 0)
		(void)fprintf(stderr, "simulate: warning: client address "
		    "\"%s\" does not parse\n", s.client);
	facts_set_str(f.client_name, sizeof(f.client_name),
	    s.client_name ? s.client_name : "unknown");
	facts_set_str(f.helo, sizeof(f.helo), s.helo);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), s.sasl);
	if (s.from != NULL && facts_set_sender(&f, s.from) != 0)
		(void)fprintf(stderr, "simulate: warning: sender \"%s\" does "
		    "not parse\n", s.from);
	f.size = s.size;
	verdict_init(&v);
	inst = sim_instance(cfg, s.instance);
	if (inst == NULL) {
		(void)printf("no instance matches \"%s\"\n", s.instance);
		rule_unknown_instance(cfg, &v);
		(void)sim_result(NULL, &f, &v);
		cfg_release(cfg);
		return 2;
	}
	(void)printf("instance %s (direction %s, mode %s)\n", inst->name,
	    cfg_dir_name(inst->dir), cfg_mode_name(inst->mode));
	rc = sim_envelope(cfg, inst, &s, &f, &v);
	if (rc == 0 && s.message != NULL) {
		rc = sim_message(cfg, inst, &s, &f, &v);
		cfg_release(cfg);
		return rc == 0 ? 0 : rc == 3 ? 1 : 2;
	}
	if (rc == 0 && v.refusal == NULL && s.n_hdr_from > 0)
		sim_headers(cfg, inst, &s, &f, &v);
	if (rc == 0)
		rc = sim_result(inst, &f, &v);
	if (rc == 0)
		sim_content(inst, &f, &v, 0);
	if (f.from != NULL) {
		hdrfrom_free((struct hdr_from *)f.from);
		free((void *)f.from);
	}
	cfg_release(cfg);
	return rc == 0 ? 0 : 2;
}
