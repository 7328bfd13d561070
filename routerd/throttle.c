/*
 * Limits; see throttle.h.
 */
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "throttle.h"

uint64_t
mono_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* a bucket seen for the first time starts full */
int
token_take(struct bucket *b, double rate, double burst, uint64_t now_ms)
{
	if (b->last_ms == 0)
		b->tokens = burst;
	else if (now_ms > b->last_ms)
		b->tokens += (double)(now_ms - b->last_ms) * rate / 1000;
	if (b->tokens > burst)
		b->tokens = burst;
	b->last_ms = now_ms;
	if (b->tokens < 1)
		return 0;
	b->tokens -= 1;
	return 1;
}

/* the slot of a peer among n, by a hash keyed when first needed */
static size_t
keyed_slot(uint8_t key[16], int *keyed, const uint8_t peer[32], size_t n)
{
	if (!*keyed) {
		crypto_random_fill(key, 16);
		*keyed = 1;
	}
	return siphash24(key, peer, 32) % n;
}

int
bucket_take(struct bucket_set *s, const uint8_t peer[32], double rate,
    double burst, uint64_t now_ms)
{
	size_t	i = keyed_slot(s->key, &s->keyed, peer, LIMIT_BUCKETS);

	return token_take(&s->b[i], rate, burst, now_ms);
}

uint16_t
share_slot(struct share_set *s, const uint8_t peer[32])
{
	return keyed_slot(s->key, &s->keyed, peer, SHARE_SLOTS);
}

int
share_room(const struct share_set *s, uint16_t slot, size_t cap)
{
	return s->held[slot % SHARE_SLOTS] < cap;
}

void
share_add(struct share_set *s, uint16_t slot)
{
	s->held[slot % SHARE_SLOTS]++;
}

void
share_del(struct share_set *s, uint16_t slot)
{
	if (s->held[slot % SHARE_SLOTS] > 0)
		s->held[slot % SHARE_SLOTS]--;
}

/* the load window turns over every LOAD_WINDOW_MS */
static void
window(struct bandwidth *bw, uint64_t now_ms)
{
	if (bw->window_start == 0)
		bw->window_start = now_ms;
	if (now_ms - bw->window_start >= 2 * LOAD_WINDOW_MS) {
		bw->prev_bytes = 0;
		bw->window_bytes = 0;
		bw->window_start = now_ms;
	} else if (now_ms - bw->window_start >= LOAD_WINDOW_MS) {
		bw->prev_bytes = bw->window_bytes;
		bw->window_bytes = 0;
		bw->window_start += LOAD_WINDOW_MS;
	}
}

/*
 * The load counts what was offered, taken or not: traffic beyond the
 * share is demand the router cannot meet, which is what new tunnels
 * should be refused for.
 */
int
bw_take(struct bandwidth *bw, uint64_t share, size_t len, uint64_t now_ms)
{
	window(bw, now_ms);
	bw->window_bytes += len;
	if (share != 0) {
		if (bw->last_ms == 0)
			bw->tokens = share;
		else if (now_ms > bw->last_ms)
			bw->tokens += (double)(now_ms - bw->last_ms) * share /
			    1000;
		if (bw->tokens > share)
			bw->tokens = share;
		bw->last_ms = now_ms;
		if (bw->tokens < len)
			return 0;
		bw->tokens -= len;
	}
	return 1;
}

unsigned
bw_load(struct bandwidth *bw, uint64_t share, uint64_t now_ms)
{
	uint64_t	ms, bytes, pct;

	if (share == 0)
		return 0;
	window(bw, now_ms);
	/* the last whole window and the current part of one */
	ms = LOAD_WINDOW_MS + (now_ms - bw->window_start);
	bytes = bw->prev_bytes + bw->window_bytes;
	pct = bytes * 1000 * 100 / (share * ms);
	return pct > 1000 ? 1000 : pct;
}

char
congestion_cap(size_t tunnels, size_t max, unsigned load)
{
	if (max == 0)
		return 'G';
	if (tunnels * 10 >= max * 9 || load >= 90)
		return 'E';
	if (tunnels * 10 >= max * 7 || load >= 70)
		return 'D';
	return 0;
}

/* common-structures.rst, RouterInfo "caps": shared KB/s */
char
bandwidth_class(uint64_t share_bytes)
{
	uint64_t	kbps = share_bytes / 1024;

	if (share_bytes == 0)
		return 'X';		/* no limit set */
	return kbps < 12 ? 'K' : kbps < 48 ? 'L' : kbps < 64 ? 'M' :
	    kbps < 128 ? 'N' : kbps < 256 ? 'O' : kbps <= 2000 ? 'P' : 'X';
}
