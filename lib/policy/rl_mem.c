/* rl_mem.c - in-process rate-limit store: a hash table with per-face LRU */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "xalloc.h"

/*
 * Keys are kept whole (gatepostctl ratelimit shows them), chained in
 * buckets chosen by SipHash keyed with a random seed, so peers cannot
 * aim collisions at one bucket.  Every key belongs to a face (the
 * instance it was made for) and sits on that face's list in order of
 * last charge: a face at its budget evicts the head, its longest-idle
 * key, so one face cannot take another's room and a new key is always
 * counted.  The table doubles when it holds more keys than buckets.
 */
struct node {
	struct node *chain;		/* next in the bucket */
	struct node *older, *newer;	/* face's list, by last charge */
	uint64_t h;			/* SipHash of the key */
	uint64_t win;			/* window number of cur */
	uint64_t cur;			/* events in window win */
	uint64_t prev;			/* events in window win - 1 */
	uint64_t exp;			/* idle expiry, seconds since epoch */
	size_t	 face;			/* index in faces */
	size_t	 len;			/* key bytes */
	char	 key[];			/* not terminated */
};

struct face {
	char	 name[64];		/* instance name */
	size_t	 n;			/* keys held */
	struct node *oldest, *newest;	/* owned through the table */
};

struct rl_mem {
	struct rl_store store;		/* first: the generic handle */
	struct node **b;		/* owned: buckets */
	size_t	 cap;			/* buckets, a power of two */
	size_t	 n;			/* keys held */
	size_t	 cursor;		/* expiry sweep position */
	struct face *faces;		/* owned */
	size_t	 n_faces;
	uint64_t k0, k1;		/* SipHash key */
};

#define RL_MEM_MIN	1024		/* initial buckets */

static void mem_run(struct rl_store *, const struct rl_req *, rl_done_fn *,
	    void *);
static void mem_expire(struct rl_store *, uint64_t, size_t);
static size_t mem_count(const struct rl_store *);
static void mem_free(struct rl_store *);
static uint64_t siphash(uint64_t, uint64_t, const unsigned char *, size_t);
static struct node *find(struct rl_mem *, const char *, size_t, uint64_t);
static void unlink_node(struct rl_mem *, struct node *);
static void grow(struct rl_mem *);
static size_t face_of(struct rl_mem *, const char *);
static void touch(struct rl_mem *, struct node *);
static void list_push(struct face *, struct node *);
static void list_del(struct face *, struct node *);
static struct node *insert(struct rl_mem *, const struct rl_item *, size_t,
	    size_t, size_t *);
static void counts(const struct node *, uint64_t, unsigned,
	    struct rl_counts *);
static void charge(struct node *, uint64_t, unsigned, uint64_t);

static const struct rl_store_ops mem_ops = {
	mem_run, mem_expire, mem_count, mem_free
};

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do {							\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

/* siphash - SipHash-2-4 of a byte string */
static uint64_t
siphash(uint64_t k0, uint64_t k1, const unsigned char *p, size_t len)
{
	uint64_t v0 = k0 ^ 0x736f6d6570736575ULL;
	uint64_t v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ULL;
	uint64_t v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t m, b = (uint64_t)len << 56;
	size_t	 i, j;

	for (i = 0; i + 8 <= len; i += 8) {
		for (m = 0, j = 0; j < 8; j++)
			m |= (uint64_t)p[i + j] << (8 * j);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	for (j = 0; i + j < len; j++)
		b |= (uint64_t)p[i + j] << (8 * j);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* rl_mem_new - an empty store */
struct rl_store *
rl_mem_new(const uint64_t seed[2])
{
	struct rl_mem *m = xcalloc(1, sizeof(*m));

	m->store.ops = &mem_ops;
	m->cap = RL_MEM_MIN;
	m->b = xcalloc(m->cap, sizeof(*m->b));
	m->k0 = seed[0];
	m->k1 = seed[1];
	return &m->store;
}

/* find - the node of a key, or NULL */
static struct node *
find(struct rl_mem *m, const char *key, size_t len, uint64_t h)
{
	struct node *n;

	for (n = m->b[h & (m->cap - 1)]; n != NULL; n = n->chain)
		if (n->h == h && n->len == len && memcmp(n->key, key, len) == 0)
			return n;
	return NULL;
}

/* face_of - the index of a face by name, added when new */
static size_t
face_of(struct rl_mem *m, const char *name)
{
	size_t	 i;

	for (i = 0; i < m->n_faces; i++)
		if (strcmp(m->faces[i].name, name) == 0)
			return i;
	m->faces = xrealloc(m->faces, (m->n_faces + 1) * sizeof(*m->faces));
	memset(&m->faces[i], 0, sizeof(m->faces[i]));
	(void)snprintf(m->faces[i].name, sizeof(m->faces[i].name), "%s", name);
	return m->n_faces++;
}

/* list_del - take a node off its face's list */
static void
list_del(struct face *f, struct node *n)
{
	if (n->older != NULL)
		n->older->newer = n->newer;
	else
		f->oldest = n->newer;
	if (n->newer != NULL)
		n->newer->older = n->older;
	else
		f->newest = n->older;
	n->older = n->newer = NULL;
}

/* list_push - append a node (on no list) as its face's newest */
static void
list_push(struct face *f, struct node *n)
{
	n->newer = NULL;
	n->older = f->newest;
	if (f->newest != NULL)
		f->newest->newer = n;
	else
		f->oldest = n;
	f->newest = n;
}

/* touch - the node was charged: newest of its face */
static void
touch(struct rl_mem *m, struct node *n)
{
	struct face *f = &m->faces[n->face];

	list_del(f, n);
	list_push(f, n);
}

/* unlink_node - remove a node from its bucket and list, and free it */
static void
unlink_node(struct rl_mem *m, struct node *n)
{
	struct node **pp = &m->b[n->h & (m->cap - 1)];

	while (*pp != n)
		pp = &(*pp)->chain;
	*pp = n->chain;
	list_del(&m->faces[n->face], n);
	m->faces[n->face].n--;
	m->n--;
	free(n);
}

/* grow - double the buckets and rechain every key */
static void
grow(struct rl_mem *m)
{
	struct node **old = m->b, *n, *next;
	size_t	 ocap = m->cap, i;

	m->cap *= 2;
	m->b = xcalloc(m->cap, sizeof(*m->b));
	for (i = 0; i < ocap; i++)
		for (n = old[i]; n != NULL; n = next) {
			next = n->chain;
			n->chain = m->b[n->h & (m->cap - 1)];
			m->b[n->h & (m->cap - 1)] = n;
		}
	free(old);
	m->cursor = 0;
}

/* insert - a new key of face fi; evicts the face's oldest at budget */
static struct node *
insert(struct rl_mem *m, const struct rl_item *it, size_t fi, size_t budget,
    size_t *evicted)
{
	struct node *n;
	uint64_t h = siphash(m->k0, m->k1, (const unsigned char *)it->key,
	    it->keylen);

	while (m->faces[fi].n >= budget && m->faces[fi].oldest != NULL) {
		unlink_node(m, m->faces[fi].oldest);
		(*evicted)++;
	}
	if (m->n + 1 > m->cap)
		grow(m);
	n = xcalloc(1, sizeof(*n) + it->keylen);
	n->h = h;
	n->len = it->keylen;
	memcpy(n->key, it->key, it->keylen);
	n->face = fi;
	n->chain = m->b[h & (m->cap - 1)];
	m->b[h & (m->cap - 1)] = n;
	m->faces[fi].n++;
	m->n++;
	list_push(&m->faces[fi], n);
	return n;
}

/* counts - current and previous window counts of a node at now */
static void
counts(const struct node *n, uint64_t now, unsigned window,
    struct rl_counts *c)
{
	uint64_t w = window ? now / window : 0;

	c->cur = c->prev = 0;
	if (n == NULL || n->exp <= now)
		return;
	if (n->win == w) {
		c->cur = n->cur;
		c->prev = n->prev;
	} else if (n->win + 1 == w)
		c->prev = n->cur;
}

/* charge - count k events in the current window */
static void
charge(struct node *n, uint64_t now, unsigned window, uint64_t k)
{
	struct rl_counts c;
	uint64_t w = window ? now / window : 0;

	counts(n, now, window, &c);
	n->win = w;
	n->prev = c.prev;
	n->cur = c.cur + k < c.cur ? UINT64_MAX : c.cur + k;
	/* idle for two whole windows: both buckets are out of the window */
	n->exp = (w + 2) * (window ? window : 1);
}

/* mem_run - one request, answered before returning */
static void
mem_run(struct rl_store *st, const struct rl_req *req, rl_done_fn *done,
    void *arg)
{
	struct rl_mem *m = (struct rl_mem *)st;
	struct rl_result res;
	struct node *nd[RL_ITEMS_MAX];
	struct rl_counts c;
	size_t	 i, fi;
	int	 refused = 0;

	memset(&res, 0, sizeof(res));
	res.now = req->now;
	for (i = 0; i < req->n && i < RL_ITEMS_MAX; i++) {
		const struct rl_item *it = &req->item[i];

		nd[i] = find(m, it->key, it->keylen, siphash(m->k0, m->k1,
		    (const unsigned char *)it->key, it->keylen));
		counts(nd[i], req->now, it->window, &c);
		res.count[i] = rl_estimate(&c, req->now, it->window);
		res.limit[i] = it->limit;
		if (it->blocking && rl_item_over(it, res.count[i]))
			refused = 1;
	}
	if (req->op == RL_OP_RESET)
		for (i = 0; i < req->n && i < RL_ITEMS_MAX; i++)
			if (nd[i] != NULL) {
				unlink_node(m, nd[i]);
				/* one key may be listed twice */
				for (fi = i + 1; fi < req->n; fi++)
					if (nd[fi] == nd[i])
						nd[fi] = NULL;
			}
	if (req->op == RL_OP_CHARGE && !refused) {
		fi = face_of(m, req->face);
		for (i = 0; i < req->n && i < RL_ITEMS_MAX; i++) {
			const struct rl_item *it = &req->item[i];
			struct node *n = find(m, it->key, it->keylen,
			    siphash(m->k0, m->k1,
			    (const unsigned char *)it->key, it->keylen));

			if (n == NULL)
				n = insert(m, it, fi, req->budget,
				    &res.evicted);
			else
				touch(m, n);
			charge(n, req->now, it->window, it->n);
		}
		res.charged = 1;
	}
	done(arg, &res);
}

/* mem_expire - drop expired keys among the next budget buckets */
static void
mem_expire(struct rl_store *st, uint64_t now, size_t budget)
{
	struct rl_mem *m = (struct rl_mem *)st;
	struct node *n, *next;

	if (budget > m->cap)
		budget = m->cap;
	while (budget-- > 0) {
		for (n = m->b[m->cursor]; n != NULL; n = next) {
			next = n->chain;
			if (n->exp <= now)
				unlink_node(m, n);
		}
		m->cursor = (m->cursor + 1) & (m->cap - 1);
	}
}

/* mem_count - keys held */
static size_t
mem_count(const struct rl_store *st)
{
	return ((const struct rl_mem *)st)->n;
}

/* mem_free - free every key and the table */
static void
mem_free(struct rl_store *st)
{
	struct rl_mem *m = (struct rl_mem *)st;
	struct node *n, *next;
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->cap; i++)
		for (n = m->b[i]; n != NULL; n = next) {
			next = n->chain;
			free(n);
		}
	free(m->b);
	free(m->faces);
	free(m);
}
