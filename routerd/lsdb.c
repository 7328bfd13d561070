/*
 * LeaseSets in the netDb (network-database.html, "LeaseSet"): kept in
 * memory only, as the other implementations do, since they expire
 * within minutes.  Every store type the network publishes is kept, as
 * Java floodfills do: LeaseSet (1, ElGamal destinations, DSA or ECDSA
 * signed), LeaseSet2 (3), EncryptedLeaseSet (5, kept under the hash of
 * its blinded key, the only key a floodfill sees) and MetaLeaseSet (7).
 * One is kept when it is for the key it is stored under, its signature
 * verifies (the offline signature too, if any), it has not expired, it
 * was not published in the future, it is newer than the one held, and
 * it is not marked unpublished (those must not be stored by or sent
 * from floodfills).  Type 1 has no published time: its version is its
 * earliest lease's end, and its latest lease may not end further ahead
 * than a lease lives.  Expired ones go every minute.  No sender may
 * bring more than LSDB_SHARE new keys, and a full store drops the
 * LeaseSet published longest ago for a new one (audit #7): LeaseSets
 * may live 18 hours, and first come, first kept let one peer pin the
 * store with self-made destinations; now it must keep republishing
 * them, at its store rate, to stay.
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
/* a type 1 lease ending further ahead (10 min leases, Java allows 15) */
#define LSDB_LS1_AHEAD		(15 * 60 + LSDB_FUTURE)

struct ls_entry {
	RB_ENTRY(ls_entry)	 entry;
	uint8_t			 hash[32];	/* its netDb key */
	uint8_t			 type;		/* DatabaseStore type */
	uint64_t		 version;	/* ms; newer replaces older */
	uint32_t		 expires;	/* s since the epoch */
	uint64_t		 flooded;	/* version of the last flood */
	uint8_t			*raw;
	size_t			 rawlen;
	int			 charged;	/* to its sender's share */
	uint16_t		 share_slot;
};

/* one parsed LeaseSet of any store type */
union ls_any {
	struct leaseset1	 ls1;
	struct leaseset2	 ls2;
	struct enc_leaseset	 enc;
	struct meta_leaseset	 meta;
};

/* what the checks need to know of it, whatever its type */
struct ls_facts {
	uint8_t			 type;
	const uint8_t		*hash;		/* where it belongs */
	uint64_t		 version;	/* ms */
	uint64_t		 published;	/* s */
	uint64_t		 expires;	/* s */
	int			 unpublished;
};

RB_HEAD(ls_tree, ls_entry);
RB_PROTOTYPE(ls_tree, ls_entry, entry, ls_cmp)
static struct ls_tree	lsdb = RB_INITIALIZER(&lsdb);
static struct share_set	shares;		/* new LeaseSets per sender */
static uint64_t		evicted, refused_share;
static size_t		lsdb_n;

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
lsdb_get(const uint8_t hash[32], uint32_t now, size_t *len, uint8_t *type)
{
	struct ls_entry	*e;

	if ((e = ls_find(hash)) == NULL || e->expires <= now)
		return NULL;
	*len = e->rawlen;
	*type = e->type;
	return e->raw;
}

/* the facts of a LeaseSet (type 1); -1 without leases */
static int
facts_ls1(const struct leaseset1 *ls, struct ls_facts *f)
{
	uint64_t	 first, last;

	if (ls1_lease_range(ls, &first, &last) == -1)
		return -1;
	f->hash = ls->dest.hash;
	f->version = first;
	f->expires = last / 1000;
	/* as published now, and its leases may not end too far ahead */
	f->published = 0;
	return 0;
}

/* parses raw as its type says; -1 if malformed */
static int
ls_parse(uint8_t type, union ls_any *u, const uint8_t *raw, size_t len,
    struct ls_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->type = type;
	switch (type) {
	case LS1_STORE_TYPE:
		if (ls1_parse(&u->ls1, raw, len, NULL) == -1)
			return -1;
		return facts_ls1(&u->ls1, f);
	case LS2_STORE_TYPE:
		if (ls2_parse(&u->ls2, raw, len, NULL) == -1)
			return -1;
		f->hash = u->ls2.dest.hash;
		f->published = u->ls2.published;
		f->expires = f->published + u->ls2.expires;
		f->unpublished = (u->ls2.flags & LS2_F_UNPUBLISHED) != 0;
		break;
	case LSE_STORE_TYPE:
		if (lse_parse(&u->enc, raw, len, NULL) == -1)
			return -1;
		f->hash = u->enc.store_hash;
		f->published = u->enc.published;
		f->expires = f->published + u->enc.expires;
		f->unpublished = (u->enc.flags & LS2_F_UNPUBLISHED) != 0;
		break;
	case LSM_STORE_TYPE:
		if (lsm_parse(&u->meta, raw, len, NULL) == -1)
			return -1;
		f->hash = u->meta.dest.hash;
		f->published = u->meta.published;
		f->expires = f->published + u->meta.expires;
		f->unpublished = (u->meta.flags & LS2_F_UNPUBLISHED) != 0;
		break;
	default:
		return -1;
	}
	f->version = f->published * 1000;
	return 0;
}

static int
ls_verify(const union ls_any *u, uint8_t type, uint32_t now)
{
	switch (type) {
	case LS1_STORE_TYPE:
		return ls1_verify(&u->ls1, NULL);
	case LS2_STORE_TYPE:
		return ls2_verify(&u->ls2, now, NULL);
	case LSE_STORE_TYPE:
		return lse_verify(&u->enc, now, NULL);
	case LSM_STORE_TYPE:
		return lsm_verify(&u->meta, now, NULL);
	}
	return -1;
}

/* the checks of a LeaseSet's facts, before its signature's */
static int
ls_check(const struct ls_facts *f, const uint8_t key[32], uint32_t now,
    const char **why)
{
	*why = f->type == LSE_STORE_TYPE ? "not under its blinded key's hash" :
	    "not the destination its key names";
	if (memcmp(f->hash, key, 32) != 0)
		return -1;
	*why = "unpublished";
	if (f->unpublished)
		return -1;
	*why = "expired";
	if (f->expires <= now)
		return -1;
	*why = "published in the future";
	if (f->published > (uint64_t)now + LSDB_FUTURE)
		return -1;
	*why = "leases end too far ahead";
	if (f->type == LS1_STORE_TYPE &&
	    f->expires > (uint64_t)now + LSDB_LS1_AHEAD)
		return -1;
	return 0;
}

static int
store_type_ok(uint8_t type)
{
	return type == LS1_STORE_TYPE || type == LS2_STORE_TYPE ||
	    type == LSE_STORE_TYPE || type == LSM_STORE_TYPE;
}

int
lsdb_check(uint8_t type, const uint8_t key[32], const uint8_t *raw,
    size_t len, uint32_t now, uint64_t *version, const char **why)
{
	union ls_any	*u;
	struct ls_facts	 f;
	int		 rv = -1;

	*why = "LeaseSet type not supported";
	if (!store_type_ok(type))
		return -1;
	if ((u = malloc(sizeof(*u))) == NULL)
		fatal(NULL);
	*why = "malformed";
	if (ls_parse(type, u, raw, len, &f) == 0 &&
	    ls_check(&f, key, now, why) == 0) {
		*why = "bad signature";
		rv = ls_verify(u, type, now);
		*version = f.version;
	}
	free(u);
	return rv;
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
 * A new key: refused if its sender brought its share already; in a
 * full store, the LeaseSet of the oldest version goes.
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
		if (victim == NULL || e->version < victim->version)
			victim = e;
	if (victim != NULL) {
		ls_remove(victim);
		evicted++;
	}
	return 0;
}

static void
ls_keep(const uint8_t key[32], const struct ls_facts *f, const uint8_t *raw,
    size_t len, const uint8_t *from, struct ls_entry *old)
{
	struct ls_entry	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    (e->raw = malloc(len)) == NULL)
		fatal(NULL);
	memcpy(e->hash, key, 32);
	e->type = f->type;
	e->version = f->version;
	e->expires = f->expires;
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
}

int
lsdb_store(uint8_t type, const uint8_t key[32], const uint8_t *raw,
    size_t len, const uint8_t *from, uint32_t now, const char **why)
{
	union ls_any		*u;
	struct ls_facts		 f;
	struct ls_entry		*old;
	int			 rv = -1;

	*why = "LeaseSet type not supported";
	if (!store_type_ok(type))
		return -1;
	if ((u = malloc(sizeof(*u))) == NULL)
		fatal(NULL);
	*why = "malformed";
	if (ls_parse(type, u, raw, len, &f) == -1)
		goto out;
	old = ls_find(key);
	rv = 0;
	/* not newer: nothing to keep, no signature to check */
	if (old != NULL && old->version >= f.version)
		goto out;
	rv = -1;
	/* a new version from a peer takes a store token before it is verified */
	if (ls_check(&f, key, now, why) == -1)
		goto out;
	*why = "over the store rate";
	if (!netdb_store_allowed(from))
		goto out;
	*why = "bad signature";
	if (ls_verify(u, f.type, now) == -1)
		goto out;
	if (old == NULL && ls_make_room(from, why) == -1)
		goto out;
	ls_keep(key, &f, raw, len, from, old);
	rv = 1;
 out:
	free(u);
	return rv;
}

/* 1 the first time this version is asked about, then 0 */
int
lsdb_flood_once(const uint8_t hash[32])
{
	struct ls_entry	*e;

	if ((e = ls_find(hash)) == NULL || e->flooded >= e->version)
		return 0;
	e->flooded = e->version;
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
