/* pfrestr.c - what a Postfix SMTPD restriction list does */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pfconf.h"
#include "pfrestr.h"
#include "xalloc.h"

static int takes_arg(const char *);

static const char *const arg_takers[] = {
	"reject_rbl_client", "reject_rhsbl_client", "reject_rhsbl_sender",
	"reject_rhsbl_helo", "reject_rhsbl_recipient",
	"reject_rhsbl_reverse_client", "permit_dnswl_client",
	"permit_rhswl_client", NULL
};

/* takes_arg - does this restriction consume the next element */
static int
takes_arg(const char *name)
{
	size_t	 i;

	if (strncasecmp(name, "check_", 6) == 0)
		return 1;
	for (i = 0; arg_takers[i] != NULL; i++)
		if (strcasecmp(name, arg_takers[i]) == 0)
			return 1;
	return 0;
}

/* pfrestr_parse - restrictions with their arguments */
void
pfrestr_parse(const char *value, struct pfr_list *l)
{
	struct pf_strv e;
	size_t	 i;

	l->v = NULL;
	l->n = 0;
	pfconf_split(value, &e);
	for (i = 0; i < e.n; i++) {
		l->v = xreallocarray(l->v, l->n + 1, sizeof(l->v[0]));
		l->v[l->n].name = xstrdup(e.v[i]);
		l->v[l->n].arg = NULL;
		if (takes_arg(e.v[i]) && i + 1 < e.n)
			l->v[l->n].arg = xstrdup(e.v[++i]);
		l->n++;
	}
	pfconf_strv_free(&e);
}

/* pfrestr_free - release a parsed list */
void
pfrestr_free(struct pfr_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].arg);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* pfrestr_eval - the list's verdict on relaying for one kind of client */
enum pfr_result
pfrestr_eval(const struct pfr_list *l, enum pfr_client who, int mynet_open)
{
	const char *n;
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		n = l->v[i].name;
		if (strcasecmp(n, "permit") == 0)
			return PFR_PERMIT;
		if (strcasecmp(n, "permit_sasl_authenticated") == 0 &&
		    who == PFR_SASL)
			return PFR_PERMIT;
		if (strcasecmp(n, "permit_mynetworks") == 0 &&
		    (who == PFR_MYNET || mynet_open))
			return PFR_PERMIT;
		if (strcasecmp(n, "reject_unauth_destination") == 0 ||
		    strcasecmp(n, "defer_unauth_destination") == 0 ||
		    strcasecmp(n, "reject") == 0 || strcasecmp(n, "defer") == 0)
			return PFR_BLOCK;
	}
	return PFR_END;
}

/* pfrestr_relays - would smtpd relay for this kind of client */
int
pfrestr_relays(const struct pfr_list *relay, const struct pfr_list *rcpt,
    enum pfr_client who, int mynet_open)
{
	return pfrestr_eval(relay, who, mynet_open) != PFR_BLOCK &&
	    pfrestr_eval(rcpt, who, mynet_open) != PFR_BLOCK;
}

/* pfrestr_find - first restriction of that name at or after from */
int
pfrestr_find(const struct pfr_list *l, const char *name, size_t from)
{
	size_t	 i;

	for (i = from; i < l->n; i++)
		if (strcasecmp(l->v[i].name, name) == 0)
			return (int)i;
	return -1;
}
