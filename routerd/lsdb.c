/*
 * LeaseSets in the netDb (network-database.html, "LeaseSet"): kept in
 * memory only, as the other implementations do, since they expire
 * within minutes.  A LeaseSet2 (store type 3) is kept when it is for
 * the destination its key names, its signature verifies (the offline
 * signature too, if any), it has not expired, it was not published in
 * the future, it is newer than the one held, and it is not marked
 * unpublished (those must not be stored by or sent from floodfills).
 * Expired ones go every minute.  No sender may bring more than
 * LSDB_SHARE new destinations, and a full store drops the LeaseSet
 * published longest ago for a new one (audit #7): LeaseSets may live
 * 18 hours, and first come, first kept let one peer pin the store with
 * self-made destinations; now it must keep republishing them, at its
 * store rate, to stay.  The older LeaseSet format (type 1,
 * ElGamal destinations) and the encrypted and meta variants (5, 7) are
 * refused: i2prd does not read them yet.
 */
#include <bsd/sys/cdefs.h>
#include <bsd/sys/tree.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "throttle.h"

/* a LeaseSet published this far ahead of our clock is refused */
#define LSDB_FUTURE		120

struct ls_entry {
	RB_ENTRY(ls_entry)	 entry;
	uint8_t			 hash[32];	/* the destination's */
	uint32_t		 published;
	uint32_t		 expires;	/* s since the epoch */
	uint64_t		 flooded;	/* published of the last flood */
	uint8_t			*raw;
	size_t			 rawlen;
	int			 charged;	/* to its sender's share */
	uint16_t		 share_slot;
};

RB_HEAD(ls_tree, ls_entry);
RB_PROTOTYPE(ls_tree, ls_entry, entry, ls_cmp)
static struct ls_tree	lsdb = RB_INITIALIZER(&lsdb);
static size_t		lsdb_n;
static struct share_set	shares;		/* new LeaseSets per sender */
static uint64_t		evicted, refused_share;

static int
ls_cmp(struct ls_entry *a, struct ls_entry *b)
{
	return memcmp(a->hash, b->hash, sizeof(a->hash));
}
RB_GENERATE(ls_tree, ls_entry, entry, ls_cmp)

static struct ls_entry *
ls_find(const uint8_t hash[32])
{
	struct ls_entry	key;

	memcpy(key.hash, hash, 32);
	return RB_FIND(ls_tree, &lsdb, &key);
}

const uint8_t *
lsdb_get(const uint8_t hash[32], uint32_t now, size_t *len)
{
	struct ls_entry	*e;

	if ((e = ls_find(hash)) == NULL || e->expires <= now)
		return NULL;
	*len = e->rawlen;
	return e->raw;
}

/*
 * The checks before a LeaseSet2 is kept, the signature last: a new
 * version from a peer takes a store token (netdb_store_allowed())
 * before it is verified.
 */
static int
ls_check(const struct leaseset2 *ls, const uint8_t key[32],
    const uint8_t *from, uint32_t now, const char **why)
{
	struct i2p_err	 err;

	*why = "not the destination its key names";
	if (memcmp(ls->dest.hash, key, 32) != 0)
		return -1;
	*why = "unpublished";
	if (ls->flags & LS2_F_UNPUBLISHED)
		return -1;
	*why = "expired";
	if ((uint64_t)ls->published + ls->expires <= now)
		return -1;
	*why = "published in the future";
	if (ls->published > now + LSDB_FUTURE)
		return -1;
	*why = "over the store rate";
	if (!netdb_store_allowed(from))
		return -1;
	*why = "bad signature";
	return ls2_verify(ls, now, &err);
}

static void
ls_remove(struct ls_entry *e)
{
	if (e->charged)
		share_del(&shares, e->share_slot);
	RB_REMOVE(ls_tree, &lsdb, e);
	free(e->raw);
	free(e);
	lsdb_n--;
}

/*
 * A new destination: refused if its sender brought its share already;
 * in a full store, the LeaseSet published longest ago goes.
 */
static int
ls_make_room(const uint8_t *from, const char **why)
{
	struct ls_entry	*e, *victim = NULL;

	*why = "sender over its share of LeaseSets";
	if (netdb_from_peer(from) && !share_room(&shares,
	    share_slot(&shares, from), LSDB_SHARE)) {
		refused_share++;
		return -1;
	}
	if (lsdb_n < LSDB_MAX)
		return 0;
	RB_FOREACH(e, ls_tree, &lsdb)
		if (victim == NULL || e->published < victim->published)
			victim = e;
	if (victim != NULL) {
		ls_remove(victim);
		evicted++;
	}
	return 0;
}

int
lsdb_store(uint8_t type, const uint8_t key[32], const uint8_t *raw,
    size_t len, const uint8_t *from, uint32_t now, const char **why)
{
	struct leaseset2	*ls;
	struct ls_entry		*e, *old;
	struct i2p_err		 err;
	int			 rv = -1;

	*why = "LeaseSet type not supported";
	if (type != LS2_STORE_TYPE)
		return -1;
	if ((ls = malloc(sizeof(*ls))) == NULL)
		fatal(NULL);
	*why = "malformed";
	if (ls2_parse(ls, raw, len, &err) == -1)
		goto out;
	old = ls_find(key);
	rv = 0;
	/* not newer: nothing to keep, no signature to check */
	if (old != NULL && old->published >= ls->published)
		goto out;
	rv = -1;
	if (ls_check(ls, key, from, now, why) == -1)
		goto out;
	if (old == NULL && ls_make_room(from, why) == -1)
		goto out;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->raw = malloc(len)) == NULL)
		fatal(NULL);
	memcpy(e->hash, key, 32);
	e->published = ls->published;
	e->expires = ls->published + ls->expires;
	memcpy(e->raw, raw, len);
	e->rawlen = len;
	if (old != NULL) {
		/* a new version stays charged to whom the first was */
		e->charged = old->charged;
		e->share_slot = old->share_slot;
		old->charged = 0;
		ls_remove(old);
	} else if (netdb_from_peer(from)) {
		e->charged = 1;
		e->share_slot = share_slot(&shares, from);
		share_add(&shares, e->share_slot);
	}
	RB_INSERT(ls_tree, &lsdb, e);
	lsdb_n++;
	rv = 1;
 out:
	free(ls);
	return rv;
}

/* 1 the first time this version is asked about, then 0 */
int
lsdb_flood_once(const uint8_t hash[32])
{
	struct ls_entry	*e;

	if ((e = ls_find(hash)) == NULL || e->flooded >= e->published)
		return 0;
	e->flooded = e->published;
	return 1;
}

size_t
lsdb_expire(uint32_t now)
{
	struct ls_entry	*e, *next;
	size_t		 gone = 0;

	RB_FOREACH_SAFE(e, ls_tree, &lsdb, next) {
		if (e->expires > now)
			continue;
		ls_remove(e);
		gone++;
	}
	return gone;
}

size_t
lsdb_count(void)
{
	return lsdb_n;
}

void
lsdb_stats(struct netdb_stats *out)
{
	out->ls_evicted = evicted;
	out->ls_refused_share = refused_share;
}

void
lsdb_shutdown(void)
{
	lsdb_expire(UINT32_MAX);
}
