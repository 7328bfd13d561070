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
 *
 * The ring and its index start at REPLAY_MIN entries and double as
 * keys come, up to cap, and halve when a quarter or less is used: a
 * filter sized for a flood (netd's and routerd's hold 262144 keys,
 * 5 MB) costs a few kB while the keys are few.  A resize copies the
 * live keys oldest first and rebuilds the chains, O(count), which
 * doubling makes O(1) a key.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "replay.h"

#define REPLAY_NONE	UINT32_MAX
#define REPLAY_MIN	64

static int	replay_resize(struct replay *, uint32_t);

int
replay_init(struct replay *r, uint32_t cap, int64_t window)
{
	memset(r, 0, sizeof(*r));
	if (cap == 0 || cap >= REPLAY_NONE)
		return -1;
	r->cap = cap;
	r->window = window;
	if (crypto_random(r->sipkey, sizeof(r->sipkey)) == -1 ||
	    replay_resize(r, cap < REPLAY_MIN ? cap : REPLAY_MIN) == -1) {
		replay_free(r);
		return -1;
	}
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

/* the key in ring slot at the front of its chain */
static void
replay_link(struct replay *r, uint32_t slot)
{
	uint32_t	 b = r->ring[slot].fp % r->size;

	r->ring[slot].next = r->buckets[b];
	r->buckets[b] = slot;
}

/*
 * A ring of size entries holding the same keys, oldest at slot 0, and
 * its chains rebuilt oldest first so that each chain ends with its
 * oldest key, as replay_pop expects.  -1 (and nothing changed) if the
 * memory is not there.
 */
static int
replay_resize(struct replay *r, uint32_t size)
{
	struct replay_ent	*ring;
	uint32_t		*buckets, i;

	if (size < r->count || size == 0)
		return -1;
	ring = calloc(size, sizeof(*ring));
	buckets = reallocarray(NULL, size, sizeof(*buckets));
	if (ring == NULL || buckets == NULL) {
		free(ring);
		free(buckets);
		return -1;
	}
	for (i = 0; i < r->count; i++)
		ring[i] = r->ring[(r->head + i) % r->size];
	free(r->ring);
	free(r->buckets);
	r->ring = ring;
	r->buckets = buckets;
	r->size = size;
	r->head = 0;
	for (i = 0; i < size; i++)
		buckets[i] = REPLAY_NONE;
	for (i = 0; i < r->count; i++)
		replay_link(r, i);
	return 0;
}

/* drops the oldest key: last in its chain (chains grow at the front) */
static void
replay_pop(struct replay *r)
{
	uint32_t	*pp, slot = r->head;

	pp = &r->buckets[r->ring[slot].fp % r->size];
	while (*pp != REPLAY_NONE && *pp != slot)
		pp = &r->ring[*pp].next;
	if (*pp == slot)
		*pp = r->ring[slot].next;
	r->head = (r->head + 1) % r->size;
	r->count--;
}

/* the expired keys go; a ring a quarter used or less halves */
static void
replay_expire(struct replay *r, int64_t now)
{
	while (r->count > 0 &&
	    (uint32_t)now - r->ring[r->head].t >= (uint64_t)r->window)
		replay_pop(r);
	if (r->size > REPLAY_MIN && r->count <= r->size / 4)
		(void)replay_resize(r, r->size / 2 < REPLAY_MIN ? REPLAY_MIN :
		    r->size / 2);
}

int
replay_seen(struct replay *r, const uint8_t key[32], int64_t now)
{
	uint64_t	 fp = replay_fp(r, key);
	uint32_t	 slot;

	replay_expire(r, now);
	for (slot = r->buckets[fp % r->size]; slot != REPLAY_NONE;
	    slot = r->ring[slot].next)
		if (r->ring[slot].fp == fp)
			return 1;
	return 0;
}

/* a full ring doubles, up to cap */
static int
replay_room(struct replay *r)
{
	uint32_t	 size;

	if (r->count < r->size)
		return 0;
	if (r->size == r->cap)
		return -1;
	size = r->size > r->cap / 2 ? r->cap : r->size * 2;
	return replay_resize(r, size);
}

int
replay_add(struct replay *r, const uint8_t key[32], int64_t now)
{
	uint32_t	 slot;

	replay_expire(r, now);
	if (replay_room(r) == -1)
		return -1;
	slot = (r->head + r->count) % r->size;
	r->ring[slot].fp = replay_fp(r, key);
	r->ring[slot].t = now;
	replay_link(r, slot);
	r->count++;
	return 0;
}
