/*
 * Hops for our tunnels (the seed's peer selection): routers that can
 * be hops (ECIES, new enough, not refusing tunnels), picked at random
 * from a profile tier and better, in an order fixed by a pool's key.
 */
#ifndef I2PRD_SELECT_H
#define I2PRD_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "profile.h"

struct build;
struct router_info;

/* the build records a router takes */
#define HOP_LONG	1	/* 0.9.48-0.9.50: long ECIES records */
#define HOP_SHORT	2	/* from 0.9.51: short ones too */

/* what a router.version lets us send it: HOP_SHORT, HOP_LONG or 0 */
int	 select_version(const char *);
/*
 * A router a hop can be, from the netDb: HOP_SHORT or HOP_LONG with its
 * X25519 key in pub, or 0.  ri is the caller's scratch space.
 */
int	 select_usable(const uint8_t hash[32], struct router_info *ri,
	    uint8_t pub[32]);

struct select_req {
	const uint8_t		*self;		/* never a hop */
	const uint8_t		*exclude;	/* nor this one, if not NULL */
	const uint8_t		*order_key;	/* the pool's, 32 bytes */
	enum profile_tier	 tier_best;	/* hops from this tier down */
	enum profile_tier	 tier_worst;	/* to this one */
	size_t			 first;		/* hops already chosen */
	size_t			 length;
};
/*
 * b->hops[first..length-1] (hash, pub) and b->nhops: distinct routers,
 * each from tier_best when one is left, else from the next tier down
 * to tier_worst;
 * b->long_recs set if one takes long records only.  Hops from first on
 * sorted by XOR distance from order_key.  0, or -1: too few routers.
 */
int	 select_hops(const struct select_req *, struct build *b);

#endif /* I2PRD_SELECT_H */
