/* rl_mem.c - in-process rate-limit store: an open-addressing hash table */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "xalloc.h"

/*
 * A key is kept only as its 64-bit SipHash (keyed with a random seed,
 * so peers cannot aim collisions at the table), which keeps a slot at
 * 24 bytes: 100,000 keys fit in 131,072 slots, 3 MiB.  Two distinct
 * keys share a hash with probability ~n^2/2^65, negligible here.
 * Linear probing, deletion by backward shift (no tombstones), growth
 * by doubling up to what max_keys needs at a load of at most 0.8.
 */
struct slot {
	uint64_t h;			/* key hash; 0 = empty */
	uint32_t win;			/* window number of cur */
	uint32_t cur;			/* events in window win */
	uint32_t prev;			/* events in window win - 1 */
	uint32_t exp;			/* idle expiry, seconds since epoch */
};

struct rl_mem {
	struct rl_store store;		/* first: the generic handle */
	struct slot *t;			/* owned, cap slots */
	size_t	 cap;			/* power of two */
	size_t	 n;			/* keys held */
	size_t	 max_keys;		/* refuse new keys beyond */
	size_t	 cursor;		/* expiry sweep position */
	uint64_t k0, k1;		/* SipHash key */
};

#define RL_MEM_MIN	1024		/* initial slots */

static int mem_get(struct rl_store *, const char *, size_t, uint64_t,
	    unsigned, struct rl_counts *);
static int mem_add(struct rl_store *, const char *, size_t, uint64_t,
	    unsigned, uint64_t);
static void mem_expire(struct rl_store *, uint64_t, size_t);
static size_t mem_count(const struct rl_store *);
static void mem_free(struct rl_store *);
static uint64_t siphash(uint64_t, uint64_t, const unsigned char *, size_t);
static struct slot *find(struct rl_mem *, uint64_t);
static void del(struct rl_mem *, size_t);
static void grow(struct rl_mem *);

static const struct rl_store_ops mem_ops = {
	mem_get, mem_add, mem_expire, mem_count, mem_free
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

/* rl_mem_new - an empty store for at most max_keys keys */
struct rl_store *
rl_mem_new(size_t max_keys, const uint64_t seed[2])
{
	struct rl_mem *m = xcalloc(1, sizeof(*m));

	m->store.ops = &mem_ops;
	m->cap = RL_MEM_MIN;
	m->t = xcalloc(m->cap, sizeof(*m->t));
	m->max_keys = max_keys;
	m->k0 = seed[0];
	m->k1 = seed[1];
	return &m->store;
}

/* rl_mem_set_max - change the key limit (a reload); nothing is evicted */
void
rl_mem_set_max(struct rl_store *st, size_t max_keys)
{
	((struct rl_mem *)st)->max_keys = max_keys;
}

/* hash_key - the slot hash of a key; never 0 (0 marks an empty slot) */
static uint64_t
hash_key(const struct rl_mem *m, const char *key, size_t len)
{
	uint64_t h = siphash(m->k0, m->k1, (const unsigned char *)key, len);

	return h == 0 ? 1 : h;
}

/* find - the slot holding h, or NULL */
static struct slot *
find(struct rl_mem *m, uint64_t h)
{
	size_t	 mask = m->cap - 1, i;

	for (i = h & mask; m->t[i].h != 0; i = (i + 1) & mask)
		if (m->t[i].h == h)
			return &m->t[i];
	return NULL;
}

/* del - empty slot i, shifting later members of its run back */
static void
del(struct rl_mem *m, size_t i)
{
	size_t	 mask = m->cap - 1, j = i, home;

	for (;;) {
		j = (j + 1) & mask;
		if (m->t[j].h == 0)
			break;
		home = m->t[j].h & mask;
		/* j may move to i when its home is not within (i, j] */
		if ((j > i && (home <= i || home > j)) ||
		    (j < i && (home <= i && home > j))) {
			m->t[i] = m->t[j];
			i = j;
		}
	}
	memset(&m->t[i], 0, sizeof(m->t[i]));
	m->n--;
}

/* grow - double the table and re-insert every key */
static void
grow(struct rl_mem *m)
{
	struct slot *old = m->t;
	size_t	 ocap = m->cap, mask, i, j;

	m->cap *= 2;
	mask = m->cap - 1;
	m->t = xcalloc(m->cap, sizeof(*m->t));
	for (i = 0; i < ocap; i++) {
		if (old[i].h == 0)
			continue;
		for (j = old[i].h & mask; m->t[j].h != 0; j = (j + 1) & mask)
			;
		m->t[j] = old[i];
	}
	free(old);
	m->cursor = 0;
}

/* mem_get - current and previous window counts of a key */
static int
mem_get(struct rl_store *st, const char *key, size_t len, uint64_t now,
    unsigned window, struct rl_counts *c)
{
	struct rl_mem *m = (struct rl_mem *)st;
	struct slot *s = find(m, hash_key(m, key, len));
	uint64_t w = window ? now / window : 0;

	c->cur = c->prev = 0;
	if (s == NULL || s->exp <= now)
		return 0;
	if (s->win == (uint32_t)w) {
		c->cur = s->cur;
		c->prev = s->prev;
	} else if (s->win + 1 == (uint32_t)w)
		c->prev = s->cur;
	return 0;
}

/* mem_add - count n events for a key in the current window */
static int
mem_add(struct rl_store *st, const char *key, size_t len, uint64_t now,
    unsigned window, uint64_t n)
{
	struct rl_mem *m = (struct rl_mem *)st;
	uint64_t h = hash_key(m, key, len), w = window ? now / window : 0;
	struct slot *s = find(m, h);
	size_t	 mask, i;

	if (s == NULL) {
		if (m->n >= m->max_keys) {
			mem_expire(st, now, 256);
			if (m->n >= m->max_keys)
				return RL_FULL;
		}
		if ((m->n + 1) * 5 > m->cap * 4)
			grow(m);
		mask = m->cap - 1;
		for (i = h & mask; m->t[i].h != 0; i = (i + 1) & mask)
			;
		s = &m->t[i];
		memset(s, 0, sizeof(*s));
		s->h = h;
		s->win = (uint32_t)w;
		m->n++;
	}
	if (s->win != (uint32_t)w) {
		s->prev = s->win + 1 == (uint32_t)w && s->exp > now ?
		    s->cur : 0;
		s->cur = 0;
		s->win = (uint32_t)w;
	}
	s->cur = s->cur + n > UINT32_MAX ? UINT32_MAX : (uint32_t)(s->cur + n);
	/* idle for two whole windows: both buckets are out of the window */
	s->exp = (uint32_t)((w + 2) * (window ? window : 1));
	return 0;
}

/* mem_expire - drop expired keys among the next budget slots */
static void
mem_expire(struct rl_store *st, uint64_t now, size_t budget)
{
	struct rl_mem *m = (struct rl_mem *)st;
	size_t	 mask = m->cap - 1;

	if (budget > m->cap)
		budget = m->cap;
	while (budget > 0) {
		struct slot *s = &m->t[m->cursor];

		if (s->h != 0 && s->exp <= now) {
			/* a slot shifted in is looked at next; the number
			 * of deletions is bounded by the keys held */
			del(m, m->cursor);
			continue;
		}
		m->cursor = (m->cursor + 1) & mask;
		budget--;
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
	free(m->t);
	free(m);
}
