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

static int wants_chgbody(const struct cfg *);

/* mf_proto_wants_content - does any instance look at message content */
int
mf_proto_wants_content(const struct cfg *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++) {
		const struct cfg_instance *inst = &cfg->inst[i];

		if (inst->disclaimer.set || inst->spam.set || inst->virus.set)
			return 1;
	}
	return 0;
}

/* wants_chgbody - may some instance replace the body (disclaimer) */
static int
wants_chgbody(const struct cfg *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (cfg->inst[i].disclaimer.set)
			return 1;
	return 0;
}

/* wants_mail_reply - a face limits messages per session (MAIL reply) */
static int
wants_mail_reply(const struct cfg *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (cfg->inst[i].limits.messages_per_session > 0)
			return 1;
	return 0;
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
	if (wants_chgbody(cfg))
		a |= SMFIF_CHGBODY;
	p = SMFIP_NOHELO | SMFIP_NODATA | SMFIP_NOUNKNOWN | SMFIP_NR_HDR |
	    SMFIP_NR_EOH;
	if (!cfg_milter_enforces_envelope(cfg))
		p |= SMFIP_NR_CONN | SMFIP_NR_RCPT |
		    (wants_mail_reply(cfg) ? 0 : SMFIP_NR_MAIL);
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
