/*
 * Peer profiles (the seed's profiling and selection): what our tunnels
 * learnt of each router they went through, by indirect measurement
 * only: builds it agreed to or refused, builds that got no reply,
 * tests of tunnels through it passed or failed, and how fast builds
 * through it came back.  Never transport figures, which a peer can
 * make look good.  Counts halve every PROFILE_HALF_LIFE, so a router
 * that changes is seen to change.
 *
 * Tiers, recomputed from the data: fast and high capacity, high
 * capacity, not failing, failing.  Capacity is what a peer takes on
 * (agreed builds and passed tests less refusals and failures); the
 * high-capacity threshold is the median of the active, not failing
 * peers; among those above it, "fast" is a build latency at or below
 * their median.  A peer fails when most of what went through it, at
 * least PROFILE_FAIL_MIN events, failed.
 */
#ifndef I2PRD_PROFILE_H
#define I2PRD_PROFILE_H

#include <stddef.h>
#include <stdint.h>

#define PROFILE_MAX		5000	/* peers profiled */
#define PROFILE_HALF_LIFE	(2 * 3600)	/* s */
#define PROFILE_ACTIVE		(3600)	/* s since the last event */
#define PROFILE_FAIL_MIN	3
#define PROFILE_FILE		"profiles.dat"

enum profile_tier {
	TIER_FAST,		/* fast and high capacity */
	TIER_HIGHCAP,		/* high capacity */
	TIER_OK,		/* not failing (unknown peers too) */
	TIER_FAILING
};

struct profile_rec {
	uint8_t		 hash[32];
	uint32_t	 agreed, refused, no_reply;
	uint32_t	 tests_ok, tests_failed;
	uint32_t	 lat_ms;	/* average build latency, 0: none */
	int64_t		 last_seen;	/* s: the last event */
	int64_t		 last_fail;	/* s: the last failure, or 0 */
};

/* what a build or a test says of a hop */
#define PEV_AGREED	0
#define PEV_REFUSED	1
#define PEV_NO_REPLY	2
#define PEV_TEST_OK	3
#define PEV_TEST_FAILED	4

void	 profile_event(const uint8_t hash[32], int ev, uint32_t lat_ms,
	    int64_t now);
/* the peer's tier as last computed; unknown peers are TIER_OK */
enum profile_tier profile_tier(const uint8_t hash[32]);
/* halves old counts, recomputes the thresholds and every tier */
void	 profile_recompute(int64_t now);
int64_t	 profile_capacity(const struct profile_rec *);
int	 profile_failing(const struct profile_rec *);

struct ctl_profiles;
/* each profile with its tier to cb, and the thresholds */
void	 profile_foreach(void (*)(const struct profile_rec *,
	    enum profile_tier, void *), void *);
void	 profile_thresholds(int64_t *capacity, uint32_t *lat_ms,
	    size_t counts[4]);

/* the file: "I2PRDPF1", a count, then the records (big-endian) */
#define PROFILE_REC_LEN		(32 + 6 * 4 + 2 * 8)
size_t	 profile_encode(uint8_t *, size_t);	/* bytes needed if short */
/* 0, or -1 with a reason; the records in place of the current ones */
int	 profile_decode(const uint8_t *, size_t, const char **why);
int	 profile_load(void);		/* from PROFILE_FILE */
int	 profile_save(void);
void	 profile_clear(void);

#endif /* I2PRD_PROFILE_H */
