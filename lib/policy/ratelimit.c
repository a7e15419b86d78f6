/* ratelimit.c - sliding-window rate limits over a counter store */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "ratelimit.h"

static const char *key_value(const struct cfg_ratelimit *,
	    const struct facts *, char *, size_t);
static const char *reason(const struct cfg_ratelimit *);

/* rl_estimate - sliding count from the current and previous buckets */
uint64_t
rl_estimate(const struct rl_counts *c, uint64_t now, unsigned window)
{
	uint64_t left, weighted;

	if (window == 0)
		return c->cur;
	/* the part of the previous window still inside the sliding one */
	left = window - now % window;
	weighted = (c->prev * left + window - 1) / window;
	return c->cur + weighted;
}

/* key_value - the text a limit is keyed by, or NULL if none applies */
static const char *
key_value(const struct cfg_ratelimit *l, const struct facts *f, char *buf,
    size_t len)
{
	switch (l->key) {
	case CFG_RL_SASL:
		return f->sasl_user[0] != '\0' ? f->sasl_user : NULL;
	case CFG_RL_CLIENT:
		return f->client_addr[0] != '\0' ? f->client_addr : NULL;
	case CFG_RL_SENDER:
		if (!f->have_sender)
			return f->sender_raw[0] != '\0' ? f->sender_raw : NULL;
		if (f->sender.null)
			return "<>";
		if (addr_format(&f->sender, buf, len) != 0)
			return NULL;
		return buf;
	}
	return NULL;
}

/* rl_key_make - the store key of limit idx of inst for these facts */
size_t
rl_key_make(char *buf, size_t len, const struct cfg_instance *inst,
    size_t idx, const struct facts *f)
{
	static const char *const kname[] = { "sasl", "client", "sender" };
	const struct cfg_ratelimit *l = &inst->rl[idx];
	char	 tmp[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	const char *v;
	int	 n;
	size_t	 i, start;

	if ((v = key_value(l, f, tmp, sizeof(tmp))) == NULL)
		return 0;
	/* \x1f (unit separator) cannot occur in names or facts */
	n = snprintf(buf, len, "%s\x1f%zu\x1f%u\x1f%s\x1f", inst->name, idx,
	    l->window, kname[l->key]);
	if (n < 0 || (size_t)n >= len)
		return 0;
	start = (size_t)n;
	for (i = 0; v[i] != '\0'; i++) {
		if (start + i + 1 >= len)
			return 0;
		buf[start + i] = (char)tolower((unsigned char)v[i]);
	}
	buf[start + i] = '\0';
	return start + i;
}

/* reason - the log reason for a limit (static text) */
static const char *
reason(const struct cfg_ratelimit *l)
{
	static const char *const r[3][2] = {
		{ "sasl_username over its message rate limit",
		  "sasl_username over its recipient rate limit" },
		{ "client_address over its message rate limit",
		  "client_address over its recipient rate limit" },
		{ "sender over its message rate limit",
		  "sender over its recipient rate limit" },
	};

	return r[l->key][l->count == CFG_RL_RECIPIENTS];
}

/* rl_eval - check the instance's limits; charge them unless refused */
int
rl_eval(struct rl_store *st, const struct cfg_instance *inst,
    const struct facts *f, enum cfg_rlcount what, uint64_t n, uint64_t now,
    struct verdict *v)
{
	char	 key[RL_KEY_MAX];
	struct rl_counts c;
	struct rule_hit h;
	size_t	 i, klen;
	int	 refused = 0, full = 0;

	for (i = 0; i < inst->n_rl; i++) {
		const struct cfg_ratelimit *l = &inst->rl[i];

		if (l->count != what ||
		    (klen = rl_key_make(key, sizeof(key), inst, i, f)) == 0)
			continue;
		if (st->ops->get(st, key, klen, now, l->window, &c) != 0)
			continue;
		if (rl_estimate(&c, now, l->window) + n <= l->limit)
			continue;
		/* a rate limit's tempfail is its defer: 450 4.7.1 */
		rule_hit_make(RULE_RATE_LIMIT, l->action == CFG_ACT_TEMPFAIL ?
		    CFG_ACT_DEFER : l->action, inst->mode, reason(l), &h);
		(void)rule_add_hit(v, &h);
		if (inst->mode == CFG_MODE_ENFORCE &&
		    rule_is_refusal(l->action))
			refused = 1;
	}
	if (refused)
		return 0;
	for (i = 0; i < inst->n_rl; i++) {
		const struct cfg_ratelimit *l = &inst->rl[i];

		if (l->count != what ||
		    (klen = rl_key_make(key, sizeof(key), inst, i, f)) == 0)
			continue;
		if (st->ops->add(st, key, klen, now, l->window, n) == RL_FULL)
			full++;
	}
	return full;
}
