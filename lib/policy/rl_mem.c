/* rl_mem.c - in-process rate-limit store: a hash table with per-face LRU */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "xalloc.h"

/*
 * A key is kept only as its 64-bit SipHash (keyed with a random seed, so
 * peers cannot aim collisions at the table); two distinct keys share a
 * hash with probability ~n^2/2^65, negligible here.  Nodes live in one
 * array and refer to each other by index, so a node is 40 bytes: 100,000
 * keys take about 5 MiB with the buckets.  Buckets chain nodes; the table
 * doubles when it holds more keys than buckets.  Every key belongs to a
 * face (the instance it was made for) and sits on that face's list in
 * order of last charge: a face at its budget evicts the head, its
 * longest-idle key, so one face cannot take another's room and a new key
 * is always counted.  Counts saturate at 2^32 - 1.
 */
#define NIL	UINT32_MAX		/* no node */

struct node {
	uint64_t h;			/* key hash; 0 = free */
	uint32_t chain;			/* next in the bucket, or NIL */
	uint32_t older, newer;		/* face's list, by last charge */
	uint32_t win;			/* window number of cur */
	uint32_t cur;			/* events in window win */
	uint32_t prev;			/* events in window win - 1 */
	uint32_t exp;			/* idle expiry, seconds since epoch */
	uint32_t face;			/* index in faces; free list: next */
};

struct face {
	char	 name[64];		/* instance name */
	size_t	 n;			/* keys held */
	uint32_t oldest, newest;	/* list ends, or NIL */
};

struct rl_mem {
	struct rl_store store;		/* first: the generic handle */
	uint32_t *b;			/* owned: bucket heads */
	size_t	 cap;			/* buckets, a power of two */
	struct node *nd;		/* owned: every node */
	size_t	 nd_cap, nd_used;	/* nodes allocated, ever used */
	uint32_t free_head;		/* free nodes, linked by face */
	size_t	 n;			/* keys held */
	size_t	 cursor;		/* expiry sweep position in nd */
	struct face *faces;		/* owned */
	size_t	 n_faces;
	uint64_t k0, k1;		/* SipHash key */
};

#define RL_MEM_MIN	1024		/* initial buckets and nodes */
#define RL_MEM_MAX	((size_t)1 << 30) /* nodes, at most (40 GiB) */

static void mem_run(struct rl_store *, const struct rl_req *, rl_done_fn *,
	    void *);
static void mem_expire(struct rl_store *, uint64_t, size_t);
static size_t mem_count(const struct rl_store *);
static void mem_free(struct rl_store *);
static uint64_t siphash(uint64_t, uint64_t, const unsigned char *, size_t);
static uint64_t hash_key(const struct rl_mem *, const char *, size_t);
static uint32_t find(const struct rl_mem *, uint64_t);
static void unlink_node(struct rl_mem *, uint32_t);
static void grow(struct rl_mem *);
static size_t face_of(struct rl_mem *, const char *);
static void list_push(struct rl_mem *, struct face *, uint32_t);
static void list_del(struct rl_mem *, struct face *, uint32_t);
static void touch(struct rl_mem *, uint32_t);
static uint32_t insert(struct rl_mem *, uint64_t, size_t, size_t,
	    size_t *);
static void counts(const struct node *, uint64_t, unsigned,
	    struct rl_counts *);
static void charge(struct node *, uint64_t, unsigned, uint64_t);
static void evict_largest(struct rl_mem *, size_t *);
static uint32_t new_node(struct rl_mem *);

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
	m->b = xmalloc(m->cap * sizeof(*m->b));
	memset(m->b, 0xff, m->cap * sizeof(*m->b));
	m->nd_cap = RL_MEM_MIN;
	m->nd = xcalloc(m->nd_cap, sizeof(*m->nd));
	m->free_head = NIL;
	m->k0 = seed[0];
	m->k1 = seed[1];
	return &m->store;
}

/* hash_key - the hash of a key; never 0 (0 marks a free node) */
static uint64_t
hash_key(const struct rl_mem *m, const char *key, size_t len)
{
	uint64_t h = siphash(m->k0, m->k1, (const unsigned char *)key, len);

	return h == 0 ? 1 : h;
}

/* find - the node holding h, or NIL */
static uint32_t
find(const struct rl_mem *m, uint64_t h)
{
	uint32_t i;

	for (i = m->b[h & (m->cap - 1)]; i != NIL; i = m->nd[i].chain)
		if (m->nd[i].h == h)
			return i;
	return NIL;
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
	m->faces[i].oldest = m->faces[i].newest = NIL;
	return m->n_faces++;
}

/* list_del - take node i off its face's list */
static void
list_del(struct rl_mem *m, struct face *f, uint32_t i)
{
	struct node *n = &m->nd[i];

	if (n->older != NIL)
		m->nd[n->older].newer = n->newer;
	else
		f->oldest = n->newer;
	if (n->newer != NIL)
		m->nd[n->newer].older = n->older;
	else
		f->newest = n->older;
	n->older = n->newer = NIL;
}

/* list_push - append node i (on no list) as its face's newest */
static void
list_push(struct rl_mem *m, struct face *f, uint32_t i)
{
	struct node *n = &m->nd[i];

	n->newer = NIL;
	n->older = f->newest;
	if (f->newest != NIL)
		m->nd[f->newest].newer = i;
	else
		f->oldest = i;
	f->newest = i;
}

/* touch - node i was charged: newest of its face */
static void
touch(struct rl_mem *m, uint32_t i)
{
	struct face *f = &m->faces[m->nd[i].face];

	list_del(m, f, i);
	list_push(m, f, i);
}

/* unlink_node - remove node i from its bucket and list; free it */
static void
unlink_node(struct rl_mem *m, uint32_t i)
{
	struct node *n = &m->nd[i];
	uint32_t *pp = &m->b[n->h & (m->cap - 1)];

	while (*pp != i)
		pp = &m->nd[*pp].chain;
	*pp = n->chain;
	list_del(m, &m->faces[n->face], i);
	m->faces[n->face].n--;
	m->n--;
	memset(n, 0, sizeof(*n));
	n->face = m->free_head;
	m->free_head = i;
}

/* grow - double the buckets and rechain every key */
static void
grow(struct rl_mem *m)
{
	size_t	 i;
	uint32_t *bp;

	m->cap *= 2;
	m->b = xrealloc(m->b, m->cap * sizeof(*m->b));
	memset(m->b, 0xff, m->cap * sizeof(*m->b));
	for (i = 0; i < m->nd_used; i++) {
		if (m->nd[i].h == 0)
			continue;
		bp = &m->b[m->nd[i].h & (m->cap - 1)];
		m->nd[i].chain = *bp;
		*bp = (uint32_t)i;
	}
}

/* new_node - a free node's index */
static uint32_t
new_node(struct rl_mem *m)
{
	uint32_t i = m->free_head;

	if (i != NIL) {
		m->free_head = m->nd[i].face;
		return i;
	}
	if (m->nd_used == m->nd_cap) {
		m->nd = xreallocarray(m->nd, 2 * m->nd_cap, sizeof(*m->nd));
		memset(m->nd + m->nd_cap, 0, m->nd_cap * sizeof(*m->nd));
		m->nd_cap *= 2;
	}
	return (uint32_t)m->nd_used++;
}

/* evict_largest - budgets beyond RL_MEM_MAX: the biggest face gives one */
static void
evict_largest(struct rl_mem *m, size_t *evicted)
{
	size_t	 i, big = 0;

	for (i = 1; i < m->n_faces; i++)
		if (m->faces[i].n > m->faces[big].n)
			big = i;
	if (m->n_faces > 0 && m->faces[big].oldest != NIL) {
		unlink_node(m, m->faces[big].oldest);
		(*evicted)++;
	}
}

/* insert - a new key of face fi; evicts the face's oldest at budget */
static uint32_t
insert(struct rl_mem *m, uint64_t h, size_t fi, size_t budget,
    size_t *evicted)
{
	uint32_t i, *bp;

	while (m->faces[fi].n >= budget && m->faces[fi].oldest != NIL) {
		unlink_node(m, m->faces[fi].oldest);
		(*evicted)++;
	}
	if (m->n >= RL_MEM_MAX)
		evict_largest(m, evicted);
	if (m->n + 1 > m->cap)
		grow(m);
	i = new_node(m);
	memset(&m->nd[i], 0, sizeof(m->nd[i]));
	m->nd[i].h = h;
	m->nd[i].face = (uint32_t)fi;
	bp = &m->b[h & (m->cap - 1)];
	m->nd[i].chain = *bp;
	*bp = i;
	m->faces[fi].n++;
	m->n++;
	list_push(m, &m->faces[fi], i);
	return i;
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
	if (n->win == (uint32_t)w) {
		c->cur = n->cur;
		c->prev = n->prev;
	} else if (n->win + 1 == (uint32_t)w)
		c->prev = n->cur;
}

/* charge - count k events in the current window */
static void
charge(struct node *n, uint64_t now, unsigned window, uint64_t k)
{
	struct rl_counts c;
	uint64_t w = window ? now / window : 0;

	counts(n, now, window, &c);
	n->win = (uint32_t)w;
	n->prev = (uint32_t)c.prev;
	n->cur = c.cur + k > UINT32_MAX ? UINT32_MAX : (uint32_t)(c.cur + k);
	/* idle for two whole windows: both buckets are out of the window */
	n->exp = (uint32_t)((w + 2) * (window ? window : 1));
}

/* mem_run - one request, answered before returning */
static void
mem_run(struct rl_store *st, const struct rl_req *req, rl_done_fn *done,
    void *arg)
{
	struct rl_mem *m = (struct rl_mem *)st;
	struct rl_result res;
	struct rl_counts c;
	uint64_t h[RL_ITEMS_MAX];
	uint32_t i;
	size_t	 k, fi;
	int	 refused = 0;

	memset(&res, 0, sizeof(res));
	res.now = req->now;
	for (k = 0; k < req->n && k < RL_ITEMS_MAX; k++) {
		const struct rl_item *it = &req->item[k];

		h[k] = hash_key(m, it->key, it->keylen);
		i = find(m, h[k]);
		counts(i != NIL ? &m->nd[i] : NULL, req->now, it->window, &c);
		res.count[k] = rl_estimate(&c, req->now, it->window);
		res.limit[k] = it->limit;
		if (it->blocking && rl_item_over(it, res.count[k]))
			refused = 1;
	}
	if (req->op == RL_OP_RESET)
		for (k = 0; k < req->n && k < RL_ITEMS_MAX; k++)
			if ((i = find(m, h[k])) != NIL)
				unlink_node(m, i);
	if (req->op == RL_OP_CHARGE && !refused) {
		fi = face_of(m, req->face);
		for (k = 0; k < req->n && k < RL_ITEMS_MAX; k++) {
			if ((i = find(m, h[k])) == NIL)
				i = insert(m, h[k], fi, req->budget,
				    &res.evicted);
			else
				touch(m, i);
			charge(&m->nd[i], req->now, req->item[k].window,
			    req->item[k].n);
		}
		res.charged = 1;
	}
	done(arg, &res);
}

/* mem_expire - drop expired keys among the next budget nodes */
static void
mem_expire(struct rl_store *st, uint64_t now, size_t budget)
{
	struct rl_mem *m = (struct rl_mem *)st;

	if (m->nd_used == 0)
		return;
	if (budget > m->nd_used)
		budget = m->nd_used;
	while (budget-- > 0) {
		if (m->cursor >= m->nd_used)
			m->cursor = 0;
		if (m->nd[m->cursor].h != 0 && m->nd[m->cursor].exp <= now)
			unlink_node(m, (uint32_t)m->cursor);
		m->cursor++;
	}
}

/* mem_count - keys held */
static size_t
mem_count(const struct rl_store *st)
{
	return ((const struct rl_mem *)st)->n;
}

/* mem_free - free the table */
static void
mem_free(struct rl_store *st)
{
	struct rl_mem *m = (struct rl_mem *)st;

	if (m == NULL)
		return;
	free(m->b);
	free(m->nd);
	free(m->faces);
	free(m);
}
