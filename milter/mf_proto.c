/* mf_proto.c - negotiation: the actions, steps and macros to ask for */
#include "config.h"

#include "mf_proto.h"

static const struct {			/* mf_proto_symlist() */
	int	 stage;
	const char *macros;
} symlists[] = {
	{SMFIM_CONNECT, MF_MACROS_CONNECT},
	{SMFIM_ENVFROM, MF_MACROS_MAIL},
	{SMFIM_ENVRCPT, MF_MACROS_RCPT},
	{SMFIM_EOH, MF_MACROS_EOH},
	{SMFIM_EOM, MF_MACROS_EOM},
};

typedef int inst_pred_fn(const struct cfg_instance *);

static int any_instance(const struct cfg *, inst_pred_fn *);
static int looks_at_content(const struct cfg_instance *);
static int adds_disclaimer(const struct cfg_instance *);
static int limits_messages(const struct cfg_instance *);

/* any_instance - is pred true of some instance of cfg? */
static int
any_instance(const struct cfg *cfg, inst_pred_fn *pred)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (pred(&cfg->inst[i]))
			return 1;
	return 0;
}

/* looks_at_content - disclaimers, spam or virus scanning */
static int
looks_at_content(const struct cfg_instance *inst)
{
	return inst->disclaimer.set || inst->spam.set || inst->virus.set;
}

/* adds_disclaimer - may replace the body */
static int
adds_disclaimer(const struct cfg_instance *inst)
{
	return inst->disclaimer.set;
}

/* limits_messages - limits messages per session (answered at MAIL) */
static int
limits_messages(const struct cfg_instance *inst)
{
	return inst->limits.messages_per_session > 0;
}

/* mf_proto_wants_content - does any instance look at message content */
int
mf_proto_wants_content(const struct cfg *cfg)
{
	return any_instance(cfg, looks_at_content);
}

/* mf_proto_choose - actions and protocol flags to ask for */
void
mf_proto_choose(const struct cfg *cfg, int count_bytes,
    unsigned long mta_act, unsigned long mta_proto, unsigned long *act,
    unsigned long *proto)
{
	unsigned long a, p;

	a = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_QUARANTINE |
	    SMFIF_SETSYMLIST;
	if (any_instance(cfg, adds_disclaimer))
		a |= SMFIF_CHGBODY;
	p = SMFIP_NOHELO | SMFIP_NODATA | SMFIP_NOUNKNOWN | SMFIP_NR_HDR |
	    SMFIP_NR_EOH;
	if (!cfg_milter_enforces_envelope(cfg))
		p |= SMFIP_NR_CONN | SMFIP_NR_RCPT |
		    (any_instance(cfg, limits_messages) ? 0 : SMFIP_NR_MAIL);
	if (count_bytes)
		p |= SMFIP_NR_BODY;
	else if (!mf_proto_wants_content(cfg))
		p |= SMFIP_NOBODY;
	else
		p |= SMFIP_SKIP;
	*act = a & mta_act;
	*proto = p & mta_proto;
}

/* mf_proto_symlist - the macros the milter reads, per stage */
int
mf_proto_symlist(SMFICTX *ctx)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < sizeof(symlists) / sizeof(symlists[0]); i++)
		if (mf_setsymlist(ctx, symlists[i].stage,
		    symlists[i].macros) != 0)
			rc = -1;
	return rc;
}
