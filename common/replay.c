/*
 * A replay filter for 32-byte keys chosen by others (NTCP2 message 1's
 * ephemeral key in netd, tunnel build records' in routerd): each key
 * is remembered for a window of seconds.  Keys go into a ring in
 * arrival order, so expiry pops from its head, with a chained hash
 * index keyed by a random SipHash key, since whoever sends the keys
 * chooses them.  The ring keeps only that 64-bit SipHash: a false
 * match (one in 2^64 per key held) costs one handshake or build, and
 * 16-byte entries let the filter hold many keys.  A full filter
 * refuses new keys rather than forgetting live ones: forgetting would
 * reopen replays.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "replay.h"

#define REPLAY_NONE	UINT32_MAX

int
replay_init(struct replay *r, uint32_t cap, int64_t window)
{
	uint32_t	 i;

	memset(r, 0, sizeof(*r));
	if (cap == 0 || cap >= REPLAY_NONE)
		return -1;
	r->cap = r->nbuckets = cap;
	r->window = window;
	r->ring = calloc(cap, sizeof(*r->ring));
	r->buckets = calloc(cap, sizeof(*r->buckets));
	if (r->ring == NULL || r->buckets == NULL ||
	    crypto_random(r->sipkey, sizeof(r->sipkey)) == -1) {
		replay_free(r);
		return -1;
	}
	for (i = 0; i < cap; i++)
		r->buckets[i] = REPLAY_NONE;
	return 0;
}

void
replay_free(struct replay *r)
{
	free(r->ring);
	free(r->buckets);
	memset(r, 0, sizeof(*r));
}

static uint64_t
replay_fp(const struct replay *r, const uint8_t key[32])
{
	return siphash24(r->sipkey, key, 32);
}

/* drops the oldest key: last in its chain (chains grow at the front) */
static void
replay_pop(struct replay *r)
{
	uint32_t	*pp, slot = r->head;

	pp = &r->buckets[r->ring[slot].fp % r->nbuckets];
	while (*pp != REPLAY_NONE && *pp != slot)
		pp = &r->ring[*pp].next;
	if (*pp == slot)
		*pp = r->ring[slot].next;
	r->head = (r->head + 1) % r->cap;
	r->count--;
}

static void
replay_expire(struct replay *r, int64_t now)
{
	while (r->count > 0 &&
	    (uint32_t)now - r->ring[r->head].t >= (uint64_t)r->window)
		replay_pop(r);
}

int
replay_seen(struct replay *r, const uint8_t key[32], int64_t now)
{
	uint64_t	 fp = replay_fp(r, key);
	uint32_t	 slot;

	replay_expire(r, now);
	for (slot = r->buckets[fp % r->nbuckets]; slot != REPLAY_NONE;
	    slot = r->ring[slot].next)
		if (r->ring[slot].fp == fp)
			return 1;
	return 0;
}

int
replay_add(struct replay *r, const uint8_t key[32], int64_t now)
{
	uint64_t	 fp = replay_fp(r, key);
	uint32_t	 slot, b;

	replay_expire(r, now);
	if (r->count == r->cap)
		return -1;
	slot = (r->head + r->count) % r->cap;
	b = fp % r->nbuckets;
	r->ring[slot].fp = fp;
	r->ring[slot].t = now;
	r->ring[slot].next = r->buckets[b];
	r->buckets[b] = slot;
	r->count++;
	return 0;
}

