/* rl_table.c - the store semantics table, for every store */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "rl_table.h"

#define NI	3			/* items per step, at most */

static const struct step {
	const char *name;
	enum rl_op op;
	uint64_t now;
	size_t	 n;
	struct {
		const char *key;
		unsigned window;
		uint64_t limit, n;
		int	 blocking;
		uint64_t want;		/* estimate before the message */
	} it[NI];
	int	 charged;		/* want */
} steps[] = {
	{ "first of 3", RL_OP_CHARGE, 1000, 1,
	  { { "login", 3600, 3, 1, 1, 0 } }, 1 },
	{ "second of 3", RL_OP_CHARGE, 1001, 1,
	  { { "login", 3600, 3, 1, 1, 1 } }, 1 },
	{ "third of 3", RL_OP_CHARGE, 1002, 1,
	  { { "login", 3600, 3, 1, 1, 2 } }, 1 },
	{ "fourth refused, not counted", RL_OP_CHARGE, 1003, 1,
	  { { "login", 3600, 3, 1, 1, 3 } }, 0 },
	{ "still 3: the refusal was not counted", RL_OP_CHECK, 1004, 1,
	  { { "login", 3600, 3, 1, 1, 3 } }, 0 },
	{ "check changes nothing", RL_OP_CHECK, 1005, 1,
	  { { "other", 3600, 3, 1, 1, 0 } }, 0 },
	{ "over but not blocking (monitor): counted", RL_OP_CHARGE, 1006, 1,
	  { { "login", 3600, 3, 1, 0, 3 } }, 1 },
	{ "now 4", RL_OP_CHECK, 1007, 1,
	  { { "login", 3600, 3, 0, 0, 4 } }, 0 },
	{ "one blocking item over: nothing charged", RL_OP_CHARGE, 1008, 2,
	  { { "fresh", 3600, 10, 1, 1, 0 }, { "login", 3600, 3, 1, 1, 4 } },
	  0 },
	{ "atomic: fresh was not charged", RL_OP_CHECK, 1009, 1,
	  { { "fresh", 3600, 10, 1, 1, 0 } }, 0 },
	{ "several items charged together", RL_OP_CHARGE, 1010, 2,
	  { { "fresh", 3600, 10, 1, 1, 0 }, { "rcpt", 3600, 10, 8, 1, 0 } },
	  1 },
	{ "recipients: 8 + 8 > 10 refused", RL_OP_CHARGE, 1011, 2,
	  { { "fresh", 3600, 10, 1, 1, 1 }, { "rcpt", 3600, 10, 8, 1, 8 } },
	  0 },
	{ "recipients: 8 + 2 = 10 passes", RL_OP_CHARGE, 1012, 1,
	  { { "rcpt", 3600, 10, 2, 1, 8 } }, 1 },
	{ "slide: fill window [100, 200)", RL_OP_CHARGE, 150, 1,
	  { { "slide", 100, 100, 10, 1, 0 } }, 1 },
	{ "slide: at 250 half of prev counts", RL_OP_CHECK, 250, 1,
	  { { "slide", 100, 100, 0, 1, 5 } }, 0 },
	{ "slide: at 299 one percent, rounded up", RL_OP_CHECK, 299, 1,
	  { { "slide", 100, 100, 0, 1, 1 } }, 0 },
	{ "slide: two windows later, forgotten", RL_OP_CHECK, 400, 1,
	  { { "slide", 100, 100, 0, 1, 0 } }, 0 },
	{ "limit 0 refuses the first", RL_OP_CHARGE, 1013, 1,
	  { { "zero", 60, 0, 1, 1, 0 } }, 0 },
	{ "reset returns the counts", RL_OP_RESET, 1014, 1,
	  { { "login", 3600, 3, 0, 0, 4 } }, 0 },
	{ "after reset: empty", RL_OP_CHECK, 1015, 1,
	  { { "login", 3600, 3, 0, 0, 0 } }, 0 },
	{ "after reset: charges again", RL_OP_CHARGE, 1016, 1,
	  { { "login", 3600, 3, 1, 1, 0 } }, 1 },
};

struct wait {
	int	 done;
	struct rl_result res;
};

/* got - the store's callback */
static void
got(void *arg, const struct rl_result *res)
{
	struct wait *w = arg;

	w->res = *res;
	w->done = 1;
}

/* rl_table_req1 - a request of one key; a charge counts 1, blocking */
void
rl_table_req1(struct rl_req *req, enum rl_op op, const char *face,
    size_t budget, const char *key, uint64_t now, unsigned window,
    uint64_t limit)
{
	memset(req, 0, sizeof(*req));
	req->op = op;
	if (face != NULL)
		(void)snprintf(req->face, sizeof(req->face), "%s", face);
	req->budget = budget;
	req->now = now;
	req->n = 1;
	req->item[0].keylen = (size_t)snprintf(req->item[0].key,
	    sizeof(req->item[0].key), "%s", key);
	req->item[0].window = window;
	req->item[0].limit = limit;
	if (op == RL_OP_CHARGE) {
		req->item[0].n = 1;
		req->item[0].blocking = 1;
	}
}

/* rl_table_call - one request, waiting for its answer; its status */
int
rl_table_call(struct rl_store *st, const struct rl_req *req,
    rl_pump_fn *pump, void *arg, struct rl_result *res)
{
	struct wait w;

	memset(&w, 0, sizeof(w));
	st->ops->run(st, req, got, &w);
	while (!w.done && pump != NULL)
		pump(arg);
	ck_assert_msg(w.done, "store did not answer");
	*res = w.res;
	return w.res.status;
}

/* rl_table_run - every step, in order */
void
rl_table_run(struct rl_store *st, rl_pump_fn *pump, void *arg,
    const char *what)
{
	static struct rl_req req;
	struct rl_result res;
	size_t	 i, j;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		const struct step *s = &steps[i];

		memset(&req, 0, sizeof(req));
		req.op = s->op;
		(void)snprintf(req.face, sizeof(req.face), "table");
		req.budget = 1000;
		req.now = s->now;
		req.n = s->n;
		for (j = 0; j < s->n; j++) {
			struct rl_item *it = &req.item[j];

			it->keylen = (size_t)snprintf(it->key, sizeof(it->key),
			    "t\x1f%s", s->it[j].key);
			it->window = s->it[j].window;
			it->limit = s->it[j].limit;
			it->n = s->it[j].n;
			it->blocking = s->it[j].blocking;
		}
		ck_assert_msg(rl_table_call(st, &req, pump, arg, &res) == 0,
		    "%s: %s: store error", what, s->name);
		for (j = 0; j < s->n; j++)
			ck_assert_msg(res.count[j] == s->it[j].want,
			    "%s: %s: item %zu: got %llu, want %llu", what,
			    s->name, j, (unsigned long long)res.count[j],
			    (unsigned long long)s->it[j].want);
		ck_assert_msg(res.charged == s->charged,
		    "%s: %s: charged: got %d, want %d", what, s->name,
		    res.charged, s->charged);
		ck_assert_msg(res.now == s->now, "%s: %s: clock: got %llu, "
		    "want %llu", what, s->name, (unsigned long long)res.now,
		    (unsigned long long)s->now);
	}
}
