/* rl_once.c - messages already charged, by face and Postfix instance */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "xalloc.h"

/*
 * A set-associative table of (face, instance) hashes with an expiry:
 * four ways per set, a new entry replaces an expired one or else the
 * one expiring first.  Losing an entry early (more messages in flight
 * than slots) can only charge a message a second time, which errs on
 * the side of refusing.
 */
#define WAYS	4

struct once_ent {
	uint64_t h;			/* 0 = empty */
	uint64_t exp;			/* seconds */
};

struct rl_once {
	struct once_ent *t;		/* owned: sets * WAYS */
	size_t	 sets;			/* a power of two */
	unsigned ttl;			/* seconds */
};

static uint64_t once_hash(const char *, const char *);

/* rl_once_new - room for about slots messages, each kept ttl seconds */
struct rl_once *
rl_once_new(size_t slots, unsigned ttl)
{
	struct rl_once *o = xcalloc(1, sizeof(*o));

	o->sets = 1;
	while (o->sets * WAYS < slots)
		o->sets *= 2;
	o->t = xcalloc(o->sets * WAYS, sizeof(*o->t));
	o->ttl = ttl;
	return o;
}

/* rl_once_free - free the table */
void
rl_once_free(struct rl_once *o)
{
	if (o == NULL)
		return;
	free(o->t);
	free(o);
}

/* once_hash - FNV-1a of face, a separator and instance; never 0 */
static uint64_t
once_hash(const char *face, const char *inst)
{
	uint64_t h = 14695981039346656037ULL;
	const char *p;

	for (p = face; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ 0x1f) * 1099511628211ULL;
	for (p = inst; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h == 0 ? 1 : h;
}

/* rl_once_seen - was this message charged within the ttl? */
int
rl_once_seen(const struct rl_once *o, const char *face, const char *inst,
    uint64_t now)
{
	uint64_t h = once_hash(face, inst);
	const struct once_ent *s = &o->t[(h & (o->sets - 1)) * WAYS];
	size_t	 i;

	if (inst[0] == '\0')
		return 0;
	for (i = 0; i < WAYS; i++)
		if (s[i].h == h && s[i].exp > now)
			return 1;
	return 0;
}

/* rl_once_mark - remember that this message was charged */
void
rl_once_mark(struct rl_once *o, const char *face, const char *inst,
    uint64_t now)
{
	uint64_t h = once_hash(face, inst);
	struct once_ent *s = &o->t[(h & (o->sets - 1)) * WAYS], *v = &s[0];
	size_t	 i;

	if (inst[0] == '\0')
		return;
	for (i = 0; i < WAYS; i++) {
		if (s[i].h == h || s[i].exp <= now) {
			v = &s[i];
			break;
		}
		if (s[i].exp < v->exp)
			v = &s[i];
	}
	v->h = h;
	v->exp = now + o->ttl;
}
