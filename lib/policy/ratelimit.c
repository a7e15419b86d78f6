/* ratelimit.c - sliding-window rate limits over a counter store */
#include "config.h"

#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "ratelimit.h"
#include "xalloc.h"

static const char *client_value(const struct cfg_ratelimit *,
	    const char *, char *, size_t);
static const char *key_value(const struct cfg_ratelimit *,
	    const struct facts *, char *, size_t);
static size_t key_write(char *, size_t, const struct cfg_instance *,
	    size_t, const char *);
static void sync_done(void *, const struct rl_result *);
static void req_init(struct rl_req *, enum rl_op, const struct cfg *,
    const struct cfg_instance *, uint64_t);
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

/* client_value - the client address cut to the limit's prefix */
static const char *
client_value(const struct cfg_ratelimit *l, const char *text, char *buf,
    size_t len)
{
	struct ipaddr a;
	unsigned plen, full, i;
	size_t	 n;
	int	 v4;

	if (ipaddr_parse(text, &a) != 0)
		return NULL;
	/* ::ffff:a.b.c.d is stored, and so counted, as a.b.c.d */
	v4 = ipaddr_is_v4(&a);
	full = v4 ? 32 : 128;
	plen = v4 ? l->ipv4_prefix : l->ipv6_prefix;
	if (plen == 0 || plen > full)
		plen = full;
	for (i = (v4 ? 96 : 0) + plen; i < 128; i++)
		a.b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	if (ipaddr_format(&a, buf, len) != 0)
		return NULL;
	if (plen == full)
		return buf;
	n = strlen(buf);
	if (snprintf(buf + n, len - n, "/%u", plen) >= (int)(len - n))
		return NULL;
	return buf;
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
		return f->client_addr[0] != '\0' ?
		    client_value(l, f->client_addr, buf, len) : NULL;
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

/* key_write - instance, index, window, type, then the value lowered */
static size_t
key_write(char *buf, size_t len, const struct cfg_instance *inst,
    size_t idx, const char *v)
{
	static const char *const kname[] = { "sasl", "client", "sender" };
	const struct cfg_ratelimit *l = &inst->rl[idx];
	int	 n;
	size_t	 i, start;

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

/* rl_key_make - the store key of limit idx of inst for these facts */
size_t
rl_key_make(char *buf, size_t len, const struct cfg_instance *inst,
    size_t idx, const struct facts *f)
{
	char	 tmp[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	const char *v;

	if ((v = key_value(&inst->rl[idx], f, tmp, sizeof(tmp))) == NULL)
		return 0;
	return key_write(buf, len, inst, idx, v);
}

/* rl_key_value - the store key of limit idx for a value given as text */
size_t
rl_key_value(char *buf, size_t len, const struct cfg_instance *inst,
    size_t idx, const char *value)
{
	const struct cfg_ratelimit *l = &inst->rl[idx];
	char	 tmp[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	const char *v = value;

	if (value[0] == '\0')
		return 0;
	if (l->key == CFG_RL_CLIENT &&
	    (v = client_value(l, value, tmp, sizeof(tmp))) == NULL)
		return 0;
	return key_write(buf, len, inst, idx, v);
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

/* rl_budget - the keys an instance may hold in the memory store */
size_t
rl_budget(const struct cfg *cfg, const struct cfg_instance *inst)
{
	size_t	 i, fixed = 0, shared = 0, left;

	if (cfg == NULL)
		return SIZE_MAX;
	if (inst->rate_key_budget > 0)
		return inst->rate_key_budget;
	for (i = 0; i < cfg->n_inst; i++) {
		if (cfg->inst[i].rate_key_budget > 0)
			fixed += cfg->inst[i].rate_key_budget;
		else
			shared++;
	}
	left = fixed < cfg->policyd.max_rate_keys ?
	    cfg->policyd.max_rate_keys - fixed : 0;
	return shared > 0 && left / shared > 0 ? left / shared : 1;
}

/* req_init - an empty request of inst: its header set, no items yet */
static void
req_init(struct rl_req *req, enum rl_op op, const struct cfg *cfg,
    const struct cfg_instance *inst, uint64_t now)
{
	memset(req, 0, offsetof(struct rl_req, item));
	req->op = op;
	(void)snprintf(req->face, sizeof(req->face), "%s", inst->name);
	req->budget = rl_budget(cfg, inst);
	req->now = now;
}

/* rl_plan - the request for one message's limits; returns the items */
size_t
rl_plan(struct rl_req *req, enum rl_op op, const struct cfg *cfg,
    const struct cfg_instance *inst, const struct facts *f, int msgs,
    uint64_t rcpts, uint64_t now)
{
	size_t	 i;

	req_init(req, op, cfg, inst, now);
	for (i = 0; i < inst->n_rl && req->n < RL_ITEMS_MAX; i++) {
		const struct cfg_ratelimit *l = &inst->rl[i];
		struct rl_item *it = &req->item[req->n];

		if (l->count == CFG_RL_MESSAGES ? !msgs : rcpts == 0)
			continue;
		if ((it->keylen = rl_key_make(it->key, sizeof(it->key), inst, i,
		    f)) == 0)
			continue;
		it->window = l->window;
		it->limit = l->limit;
		it->n = l->count == CFG_RL_MESSAGES ? 1 : rcpts;
		it->blocking = inst->mode == CFG_MODE_ENFORCE &&
		    rule_is_refusal(l->action);
		it->idx = i;
		req->n++;
	}
	return req->n;
}

/* rl_plan_value - every limit of inst for a key value typed as text */
size_t
rl_plan_value(struct rl_req *req, enum rl_op op, const struct cfg *cfg,
    const struct cfg_instance *inst, const char *value, uint64_t now)
{
	size_t	 i;

	req_init(req, op, cfg, inst, now);
	for (i = 0; i < inst->n_rl && req->n < RL_ITEMS_MAX; i++) {
		struct rl_item *it = &req->item[req->n];

		if ((it->keylen = rl_key_value(it->key, sizeof(it->key), inst,
		    i, value)) == 0)
			continue;
		it->window = inst->rl[i].window;
		it->limit = inst->rl[i].limit;
		it->n = 0;
		it->blocking = 0;
		it->idx = i;
		req->n++;
	}
	return req->n;
}

/* rl_item_over - would the message take the item past its limit? */
int
rl_item_over(const struct rl_item *it, uint64_t count)
{
	return count + it->n > it->limit;
}

/* rl_hit - the hit of limit idx of inst */
void
rl_hit(const struct cfg_instance *inst, size_t idx, struct rule_hit *h)
{
	const struct cfg_ratelimit *l = &inst->rl[idx];

	/* a rate limit's tempfail is its defer: 450 4.7.1 */
	rule_hit_make(RULE_RATE_LIMIT, l->action == CFG_ACT_TEMPFAIL ?
	    CFG_ACT_DEFER : l->action, inst->mode, reason(l), h);
}

/* rl_verdict - a hit for every item over its limit */
void
rl_verdict(const struct cfg_instance *inst, const struct rl_req *req,
    const struct rl_result *res, struct verdict *v)
{
	struct rule_hit h;
	size_t	 i;

	if (res->status != 0)
		return;
	for (i = 0; i < req->n; i++) {
		if (res->count[i] + req->item[i].n <= res->limit[i])
			continue;
		rl_hit(inst, req->item[i].idx, &h);
		(void)rule_add_hit(v, &h);
	}
}

/* rl_scale - every limit times share, rounded down (local fallback) */
void
rl_scale(struct rl_req *req, double share)
{
	size_t	 i;

	for (i = 0; i < req->n; i++)
		req->item[i].limit = (uint64_t)((double)req->item[i].limit *
		    share);
}

/* sync_done - rl_eval's callback: keep the result */
static void
sync_done(void *arg, const struct rl_result *res)
{
	*(struct rl_result *)arg = *res;
}

/* rl_eval - check and charge one kind of limit, synchronously */
size_t
rl_eval(struct rl_store *st, const struct cfg_instance *inst,
    const struct facts *f, enum cfg_rlcount what, uint64_t n, uint64_t now,
    struct verdict *v)
{
	struct rl_req *req = xmalloc(sizeof(*req));
	struct rl_result res;
	size_t	 evicted, i;

	memset(&res, 0, sizeof(res));
	res.status = RL_ERR;
	if (rl_plan(req, RL_OP_CHARGE, NULL, inst, f,
	    what == CFG_RL_MESSAGES, what == CFG_RL_RECIPIENTS, now) > 0) {
		for (i = 0; i < req->n; i++)
			req->item[i].n = n;
		st->ops->run(st, req, sync_done, &res);
		rl_verdict(inst, req, &res, v);
	}
	evicted = res.evicted;
	free(req);
	return evicted;
}
