/*
 * Routing keys and XOR distance; see kad.h.  The closest-n set is a
 * sorted array with insertion: n is small (3 to 16) and a lookup scans
 * the netDb once, so most offers are refused by one comparison with the
 * farthest kept.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "kad.h"

uint32_t
kad_day(time_t t)
{
	struct tm	tm;

	if (gmtime_r(&t, &tm) == NULL)
		return 0;
	return (uint32_t)(tm.tm_year + 1900) * 10000 +
	    (uint32_t)(tm.tm_mon + 1) * 100 + (uint32_t)tm.tm_mday;
}

int
kad_routing_key(uint8_t out[32], const uint8_t hash[32], uint32_t day)
{
	uint8_t	buf[32 + 9];

	if (day > 99999999)
		return -1;
	memcpy(buf, hash, 32);
	/* eight digits; the NUL snprintf adds is not hashed */
	snprintf((char *)buf + 32, 9, "%08u", day);
	return sha256(out, buf, 40);
}

int
kad_cmp(const uint8_t target[32], const uint8_t a[32], const uint8_t b[32])
{
	int	i, da, db;

	for (i = 0; i < 32; i++) {
		da = a[i] ^ target[i];
		db = b[i] ^ target[i];
		if (da != db)
			return da - db;
	}
	return 0;
}

void
kad_closest_init(struct kad_closest *c, const uint8_t target[32],
    struct kad_near *near, size_t max)
{
	memcpy(c->target, target, 32);
	c->near = near;
	c->n = 0;
	c->max = max;
}

void
kad_closest_offer(struct kad_closest *c, const uint8_t rkey[32],
    const uint8_t hash[32])
{
	size_t	i;

	if (c->max == 0 || (c->n == c->max &&
	    kad_cmp(c->target, rkey, c->near[c->n - 1].rkey) >= 0))
		return;
	/* where it goes; the farthest falls off a full set */
	for (i = c->n < c->max ? c->n : c->max - 1; i > 0 &&
	    kad_cmp(c->target, rkey, c->near[i - 1].rkey) < 0; i--)
		c->near[i] = c->near[i - 1];
	memcpy(c->near[i].rkey, rkey, 32);
	memcpy(c->near[i].hash, hash, 32);
	if (c->n < c->max)
		c->n++;
}
