/*
 * Kademlia over the netDb's keyspace (network-database.html, "Routing
 * Keys" and "Floodfill Selection"): distances are XOR of routing keys,
 * SHA-256 of a hash and the UTC date as "yyyyMMdd", so the whole space
 * turns at midnight UTC.
 */
#ifndef I2PRD_KAD_H
#define I2PRD_KAD_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* the UTC day of t as yyyymmdd, e.g. 20261122 */
uint32_t kad_day(time_t);
/* SHA256(hash || "yyyyMMdd") for the day */
int	 kad_routing_key(uint8_t out[32], const uint8_t hash[32], uint32_t day);
/* <0 if a is closer to target than b, >0 if farther, 0 if equal */
int	 kad_cmp(const uint8_t target[32], const uint8_t a[32],
	    const uint8_t b[32]);

/*
 * The n closest of the routing keys offered, kept sorted, closest
 * first; each with the hash it stands for.
 */
struct kad_near {
	uint8_t		 rkey[32];
	uint8_t		 hash[32];
};
struct kad_closest {
	uint8_t		 target[32];	/* a routing key */
	struct kad_near	*near;
	size_t		 n, max;
};
void	 kad_closest_init(struct kad_closest *, const uint8_t target[32],
	    struct kad_near *, size_t max);
void	 kad_closest_offer(struct kad_closest *, const uint8_t rkey[32],
	    const uint8_t hash[32]);

#endif /* I2PRD_KAD_H */
