/*
 * NAME
 *	pd_decide 3h
 * SUMMARY
 *	policy request to decision: facts, rules, rate limits, reply
 * SYNOPSIS
 *	#include "pd_decide.h"
 * DESCRIPTION
 *	struct pd_env is what every connection shares: the current config
 *	snapshot (one reference), the rate-limit store and the metric
 *	families.  pd_env_init() registers gatepost_policy_requests_total,
 *	gatepost_rule_hits_total, gatepost_ratelimit_keys and
 *	gatepost_config_reloads_total in the registry; pd_env_set_cfg()
 *	publishes a new snapshot (consumes the reference) and releases the
 *	old one, which connections still deciding a message keep alive.
 *
 *	struct pd_sess is one policy connection's memory of the message it
 *	is deciding.  Postfix gives each smtpd process one policy
 *	connection and asks on it once per restriction list per recipient;
 *	the "instance" attribute names the message.  A new instance starts
 *	a new message: the session pins the snapshot then current and
 *	chooses the face (DESIGN.md "Instance identification"), so every
 *	request of a message is answered from one snapshot.  Rule hits are
 *	counted in gatepost_rule_hits_total once per message and logged
 *	once per message, rule and recipient; a tag's PREPEND is sent once
 *	per message; rate limits are charged once per message (and once
 *	per face and instance across connections: env->once), and their
 *	answer is remembered so that repeated requests get the same one.
 *
 *	pd_decide() answers one request and returns 0, or returns 1 when
 *	the answer needs the rate-limit store: it then arrives later
 *	through env->resume(s->owner, answer), from the event loop, and
 *	the caller sends nothing else on that connection meanwhile.
 *	pd_sess_free() on a waiting session cancels the wait (nothing is
 *	called back).  protocol_state selects the stages evaluated
 *	(CONNECT through the current one; with smtpd_delay_reject=yes
 *	everything arrives as RCPT); VRFY and ETRN get DUNNO.
 *
 *	Rate limits take at most two store calls per message.  When the
 *	instance has limits counting recipients (Postfix then asks again at
 *	DATA or END-OF-MESSAGE), the message's first request from RCPT on
 *	is a read-only check (message limits with 1, recipient limits with
 *	1: refused before DATA when already over), and its first DATA or
 *	END-OF-MESSAGE request with recipient_count > 0 checks and charges
 *	every limit at once.  Without such limits the first request from
 *	RCPT on checks and charges the message limits.  Refusals after the
 *	charge still count: a refusal by a later restriction or by
 *	gatepost-milter at end of message (content, header rules).  When
 *	the store fails, policyd.store.on_error applies (pd_redis(3h)):
 *	"tempfail" answers 451 4.3.0 (rule=internal), "accept" lets the
 *	message pass its limits.  A request that is not
 *	"request=smtpd_access_policy" is malformed: 451 4.3.0 and close.
 *	The answer never is OK.  now is the wall clock in seconds (the
 *	memory store's clock).
 *
 *	pd_answer_internal() fills the 451 4.3.0 answer used for protocol
 *	errors and internal failures.
 * SEE ALSO
 *	pd_proto(3h), rule(3h), ratelimit(3h), DESIGN.md
 */
#ifndef GP_PD_DECIDE_H
#define GP_PD_DECIDE_H

#include <stdint.h>

#include "cfg.h"
#include "decide.h"
#include "metrics.h"
#include "pd_proto.h"
#include "ratelimit.h"
#include "rule.h"

#define PD_INSTANCE_MAX	64		/* bytes of Postfix's instance id */
#define PD_ONCE_SLOTS	65536		/* messages charged, remembered */
#define PD_ONCE_TTL	3600		/* seconds a charge is remembered */

enum pd_kind {				/* reply label in the metrics */
	PD_DUNNO = 0,
	PD_REJECT,
	PD_DEFER,
	PD_HOLD,
	PD_PREPEND
};

struct pd_answer {
	enum pd_kind kind;
	int	 close;			/* close the connection after it */
	char	 action[PD_REPLY_MAX];	/* text after "action=" */
};

struct pd_wait;

typedef void pd_resume_fn(void *, const struct pd_answer *);

struct pd_env {
	struct cfg *cfg;		/* current snapshot; one reference */
	struct rl_store *rl;		/* owned; survives reloads */
	struct rl_once *once;		/* owned: messages charged */
	pd_resume_fn *resume;		/* delivers a delayed answer */
	struct metrics_family *evictions; /* {face} */
	struct metrics_family *requests; /* {face,direction,reply} */
	struct metrics_family *rule_hits; /* {face,rule,action,mode} */
	struct metrics_family *rl_keys;	/* gauge */
	struct metrics_family *reloads;	/* {result} */
	struct metrics_series *refused;	/* connections over the cap */
	struct metrics_series *req_timeouts; /* requests past the timeout */
	uint64_t rl_evict_logged;	/* when the eviction warning was */
};

struct pd_rl_memo {			/* a rate-limit answer, remembered */
	uint8_t	 done;			/* decided for this message */
	uint8_t	 internal;		/* store failed: 451 4.3.0 */
	uint16_t over;			/* bit per limit index over */
};

struct pd_sess {
	char	 instance[PD_INSTANCE_MAX]; /* message being decided */
	struct cfg *cfg;		/* pinned for the message, or NULL */
	const struct cfg_instance *inst; /* in cfg; NULL = unknown face */
	uint64_t rcpt_hash;		/* recipient of the last request */
	struct decide_memo memo;	/* hits logged and counted */
	uint32_t tags_sent;		/* rule bits PREPENDed */
	struct pd_rl_memo rl_check;	/* read-only check at RCPT */
	struct pd_rl_memo rl_charge;	/* check and charge */
	struct pd_wait *wait;		/* store call pending, or NULL */
	void	*owner;			/* for env->resume */
};

void	pd_env_init(struct pd_env *, struct metrics *, struct cfg *,
	    struct rl_store *);
void	pd_env_set_cfg(struct pd_env *, struct cfg *);
void	pd_env_free(struct pd_env *);
void	pd_sess_init(struct pd_sess *);
void	pd_sess_free(struct pd_sess *);
int	pd_decide(struct pd_env *, struct pd_sess *,
	    const struct pd_request *, uint64_t now, struct pd_answer *);
void	pd_answer_internal(struct pd_answer *);
void	pd_count_request(struct pd_env *, const struct cfg_instance *,
	    enum pd_kind);

#endif
