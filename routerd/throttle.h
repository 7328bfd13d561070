/*
 * Limits for a public router: token buckets per peer (floodfill
 * lookups, netDb stores, transit build requests per previous hop),
 * each peer's share of the tables it fills, the transit bandwidth
 * share, and the congestion caps of proposal 162 they add up to.
 * Time is passed in (ms, monotonic), so the arithmetic is tested
 * without sleeping.
 */
#ifndef I2PRD_THROTTLE_H
#define I2PRD_THROTTLE_H

#include <stddef.h>
#include <stdint.h>

/* the clock the limits run on: CLOCK_MONOTONIC in ms */
uint64_t mono_ms(void);

/*
 * Peers share LIMIT_BUCKETS buckets by a keyed hash of their router
 * hash: bounded memory, and without the key nobody can aim at another
 * peer's bucket.
 */
#define LIMIT_BUCKETS		1024
struct bucket {
	double		 tokens;
	uint64_t	 last_ms;
};
struct bucket_set {
	struct bucket	 b[LIMIT_BUCKETS];
	uint8_t		 key[16];
	int		 keyed;
};
/* 1 if peer may go on (a token taken), 0 if over rate/burst */
int	 bucket_take(struct bucket_set *, const uint8_t peer[32],
	    double rate, double burst, uint64_t now_ms);
/* the same for one bucket of its own (a limit for all peers at once) */
int	 token_take(struct bucket *, double rate, double burst,
	    uint64_t now_ms);

/*
 * Shares of a table (netDb, LeaseSets, transit tunnels) per peer that
 * filled it: how many entries each peer brought, counted in
 * SHARE_SLOTS slots by a keyed hash of its router hash, so memory stays
 * fixed however many peers come and nobody can aim at another's slot.
 * Peers that meet in a slot share its cap.  An entry remembers its
 * slot and gives it back when it goes.
 */
#define SHARE_SLOTS		4096
struct share_set {
	uint32_t	 held[SHARE_SLOTS];
	uint8_t		 key[16];
	int		 keyed;
};
uint16_t share_slot(struct share_set *, const uint8_t peer[32]);
/* 1 if the slot holds fewer than cap entries */
int	 share_room(const struct share_set *, uint16_t slot, size_t cap);
void	 share_add(struct share_set *, uint16_t slot);
void	 share_del(struct share_set *, uint16_t slot);

/*
 * Transit bandwidth: a byte bucket refilled at the share (bytes/s, 0:
 * no limit) with a second's worth of burst, and the load, the share of
 * it used over the last LOAD_WINDOW_MS.
 */
#define LOAD_WINDOW_MS		10000
struct bandwidth {
	double		 tokens;
	uint64_t	 last_ms;
	uint64_t	 window_start, window_bytes, prev_bytes;
};
/* 1 if len bytes may be forwarded now, 0 if over; counted either way */
int	 bw_take(struct bandwidth *, uint64_t share, size_t len,
	    uint64_t now_ms);
/* percent of the share used lately (0 with no limit) */
unsigned bw_load(struct bandwidth *, uint64_t share, uint64_t now_ms);

/*
 * Proposal 162: 'G' if we take no transit tunnels at all, 'E' at 90%
 * of a limit (tunnels or bandwidth), 'D' at 70%, else 0.
 */
char	 congestion_cap(size_t tunnels, size_t max, unsigned load);

/* the shared bandwidth class letter for the caps (K, L, M, N, O, P, X) */
char	 bandwidth_class(uint64_t share_bytes);

#endif /* I2PRD_THROTTLE_H */
