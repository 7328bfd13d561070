/*
 * lscache.c: remote destinations' LeaseSets, per local destination.
 *
 * Each local destination (a client, by key id) keeps the LeaseSets it
 * found apart from every other one's, so that what one destination
 * learned never shows in another's traffic (the Java router's per-client
 * netDb does the same).  An entry is a LeaseSet2 with an X25519 key
 * (type 4): the only kind our ratchet can talk to.  Entries come from
 * routerd's LS_FOUND or from a LeaseSet a peer bundled in its garlic,
 * and are kept until they expire; a newer published one replaces.
 * A lookup that found nothing is remembered for LSCACHE_NEG_TTL
 * seconds, so that a client asking again and again does not make the
 * router ask floodfills again and again.
 *
 * A lookup for a name neither cached nor in flight goes to routerd
 * (struct lscache_ops); later ones for the same name wait on it.  The
 * waiters are named by (owner, cookie), not pointers: an owner gone
 * meanwhile is simply not found when the answer comes.
 */
#ifndef I2PRD_LSCACHE_H
#define I2PRD_LSCACHE_H

#include <stdint.h>
#include <time.h>

#include "i2pdata.h"
#include "i2prd.h"

#define LSCACHE_PER_CLIENT	256	/* entries, found or not */
#define LSCACHE_MAX		4096
/*
 * s a miss is remembered: short, because a destination just made (a
 * SAM session is answered once its tunnels are up) is often looked up
 * before its first store reached the floodfills, and a client trying
 * again every few seconds should find it then
 */
#define LSCACHE_NEG_TTL		10
#define LSCACHE_PENDING_PER_CLIENT 16	/* lookups in flight */
#define LSCACHE_PENDING_MAX	256
#define LSCACHE_WAITERS		32	/* per lookup */
#define LSCACHE_TIMEOUT		60	/* s: routerd gives up at 40 */

struct lsremote {
	struct i2p_ident	 dest;
	uint8_t			 enc_pub[32];	/* X25519, type 4 */
	uint32_t		 published;
	int64_t			 expires;	/* time(3) */
	uint8_t			 nleases;
	struct lease2		 leases[LS2_MAX_LEASES];
};

enum lscache_result {
	LSC_FOUND,
	LSC_NOT_FOUND,		/* no floodfill had it, or negative-cached */
	LSC_UNUSABLE,		/* found, but no X25519 key or no live lease */
	LSC_BUSY,		/* too many lookups in flight */
};

/* an answer for (owner, cookie); ls is set with LSC_FOUND */
typedef void (*lscache_cb)(uint32_t owner, uint64_t cookie,
	    enum lscache_result, const struct lsremote *ls);

struct lscache_ops {
	/* LS_LOOKUP */
	void	(*lookup)(const struct ls_lookup *);
};

void	 lscache_init(const struct lscache_ops *);
/*
 * The LeaseSet of hash for client: 1 and *ls at once if cached and
 * live; 0 if the answer comes later through cb (a lookup is in flight
 * or was started), or has come already (a miss or a refusal: cb was
 * called before this returned).
 */
int	 lscache_get(uint32_t client, const uint8_t hash[32], time_t now,
	    lscache_cb, uint32_t owner, uint64_t cookie,
	    const struct lsremote **ls);
/* the LeaseSet of hash if cached and live, else NULL; never looks up */
const struct lsremote *lscache_peek(uint32_t client, const uint8_t hash[32],
	    time_t now);
/* routerd's LS_FOUND with the bytes after it; -1 if malformed */
int	 lscache_found(const struct ls_found *, const uint8_t *, size_t,
	    time_t now, const char **why);
/*
 * A DatabaseStore of a LeaseSet from a peer's garlic: kept if it is a
 * usable, validly signed LeaseSet2 newer than ours; 0 if kept, 1 if
 * the one kept is as new (peers bundle theirs again and again), -1 if
 * it is not usable or there is no room.
 */
int	 lscache_put(uint32_t client, const uint8_t key[32], uint8_t type,
	    const uint8_t *, size_t, time_t now, const char **why);
/* expiry of entries and of lookups routerd never answered */
void	 lscache_expire(time_t now);
/* a client gone: its entries and lookups go too */
void	 lscache_drop_client(uint32_t client);
/* counts for show destinations */
size_t	 lscache_count(uint32_t client);
void	 lscache_free_all(void);

#endif /* I2PRD_LSCACHE_H */
