/*
 * Hops for our tunnels: see select.h.  Only indirect measurements
 * (profile.c's tiers) decide who is preferred; the netDb says who can
 * be a hop at all.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "i2pdata.h"
#include "routerd.h"
#include "build.h"
#include "select.h"

#define PICK_TRIES	32

/*
 * HOP_SHORT from 0.9.51 (short build records), HOP_LONG from 0.9.48
 * (long ECIES records, which routers with X25519 keys take), else 0.
 */
int
select_version(const char *v)
{
	int	a, b, c = 0;

	if (v == NULL || sscanf(v, "%d.%d.%d", &a, &b, &c) < 2)
		return 0;
	if (a > 0 || b > 9 || (b == 9 && c >= 51))
		return HOP_SHORT;
	return b == 9 && c >= 48 ? HOP_LONG : 0;
}

struct pick {
	const struct build	*b;
	size_t			 have;
	enum profile_tier	 tier_max;	/* take peers up to this tier */
	const uint8_t		*self;
	const uint8_t		*exclude;
	uint32_t		 seen;
	uint8_t			 hash[32];
};

static void
pick_one(const struct ri_entry *e, void *arg)
{
	struct pick	*p = arg;
	size_t		 i;

	if (!netdb_dialable(e) || peers_unreachable(e->hash) ||
	    (p->self != NULL && memcmp(e->hash, p->self, 32) == 0) ||
	    (p->exclude != NULL && memcmp(e->hash, p->exclude, 32) == 0))
		return;
	for (i = 0; i < p->have; i++)
		if (memcmp(e->hash, p->b->hops[i].hash, 32) == 0)
			return;
	if (profile_tier(e->hash) > p->tier_max)
		return;
	/* reservoir sampling: each eligible router equally likely */
	if (crypto_random_below(++p->seen) == 0)
		memcpy(p->hash, e->hash, 32);
}

/* ECIES, new enough, not refusing tunnels */
int
select_usable(const uint8_t hash[32], struct router_info *ri, uint8_t pub[32])
{
	const struct ri_entry	*e = netdb_get(hash);
	const char		*caps;
	struct i2p_err		 err;
	int			 v;

	if (e == NULL || ri_parse(ri, e->raw, e->rawlen, &err) == -1 ||
	    ri->ident.cryptotype != CRYPTOTYPE_X25519 ||
	    (v = select_version(mapping_get(&ri->options, "router.version"))) == 0)
		return 0;
	/*
	 * proposal 162: E and G say "do not build through me now"; U says
	 * nobody can connect to it, so the hop before it could not either
	 */
	caps = mapping_get(&ri->options, "caps");
	if (caps != NULL && (strchr(caps, 'E') || strchr(caps, 'G') ||
	    strchr(caps, 'U')))
		return 0;
	memcpy(pub, ri->ident.crypto_pub, 32);
	return v;
}

static int
xor_cmp(const uint8_t a[32], const uint8_t b[32], const uint8_t key[32])
{
	int	i, x, y;

	for (i = 0; i < 32; i++) {
		x = a[i] ^ key[i];
		y = b[i] ^ key[i];
		if (x != y)
			return x < y ? -1 : 1;
	}
	return 0;
}

/*
 * Hop i: a usable router of tier tier_max or better, not already a hop,
 * at random; HOP_SHORT or HOP_LONG, or 0 when there is none.
 */
static int
pick_hop(struct pick *p, struct build *b, size_t i, struct router_info *ri)
{
	int	tries, u;

	for (tries = 0; tries < PICK_TRIES; tries++) {
		p->have = i;
		p->seen = 0;
		netdb_foreach(pick_one, p);
		if (p->seen == 0)
			return 0;
		if ((u = select_usable(p->hash, ri, b->hops[i].pub)) != 0) {
			memcpy(b->hops[i].hash, p->hash, 32);
			return u;
		}
	}
	return 0;
}

/*
 * In the pool's XOR order: a predecessor sees the same order of the
 * same peers in every tunnel of the pool, which tells it less than a
 * random order would over many tunnels.  Too few peers of the best
 * tier (a small or new network, or one where everything failed lately)
 * make a tunnel of lesser peers rather than none.
 */
int
select_hops(const struct select_req *req, struct build *b)
{
	struct router_info	*ri;
	struct build_hop	 t;
	struct pick		 p;
	size_t			 i, j;
	int			 u = 0;

	if (req->length > BUILD_HOPS_MAX || req->first > req->length ||
	    (ri = malloc(sizeof(*ri))) == NULL)
		return -1;
	memset(&p, 0, sizeof(p));
	p.b = b;
	p.self = req->self;
	p.exclude = req->exclude;
	for (i = req->first; i < req->length; i++) {
		for (p.tier_max = req->tier_best; p.tier_max <= req->tier_worst;
		    p.tier_max++)
			if ((u = pick_hop(&p, b, i, ri)) != 0)
				break;
		if (u == 0) {
			free(ri);
			return -1;
		}
		/* one hop older than 0.9.51: long records for all */
		if (u == HOP_LONG)
			b->long_recs = 1;
	}
	free(ri);
	b->nhops = req->length;
	for (i = req->first + 1; i < b->nhops; i++)
		for (j = i; j > req->first && xor_cmp(b->hops[j - 1].hash,
		    b->hops[j].hash, req->order_key) > 0; j--) {
			t = b->hops[j];
			b->hops[j] = b->hops[j - 1];
			b->hops[j - 1] = t;
		}
	return 0;
}

