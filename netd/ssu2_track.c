/*
 * SSU2 bookkeeping as pure functions, for the socket glue and its unit
 * tests: the window of packet numbers a session received (duplicates
 * and replays dropped, what the ACK block says) and the tokens Bob
 * hands out in Retry messages (ssu2.rst "Token Request", "Retry").
 */
#include <stdlib.h>
#include <string.h>

#include "netd.h"
#include "ssu2_io.h"

void
ssu2_rx_init(struct ssu2_rxwin *w)
{
	memset(w, 0, sizeof(*w));
}

static int
rx_bit(const struct ssu2_rxwin *w, uint32_t back)
{
	return (w->bits[back / 64] >> (back % 64)) & 1;
}

static void
rx_set(struct ssu2_rxwin *w, uint32_t back)
{
	w->bits[back / 64] |= 1ULL << (back % 64);
}

/* moves the window up so that pn is its top: bit 0 */
static void
rx_slide(struct ssu2_rxwin *w, uint32_t by)
{
	uint64_t	 nb[SSU2_RXWIN / 64];
	uint32_t	 i;

	memset(nb, 0, sizeof(nb));
	if (by < SSU2_RXWIN)
		for (i = 0; i + by < SSU2_RXWIN; i++)
			if (rx_bit(w, i))
				nb[(i + by) / 64] |= 1ULL << ((i + by) % 64);
	memcpy(w->bits, nb, sizeof(nb));
}

int
ssu2_rx_add(struct ssu2_rxwin *w, uint32_t pn)
{
	if (!w->any) {
		w->any = 1;
		w->max = pn;
		rx_set(w, 0);
		return 1;
	}
	if (pn > w->max) {
		rx_slide(w, pn - w->max);
		w->max = pn;
		rx_set(w, 0);
		return 1;
	}
	/* older than the window: it may be a replay, and we cannot tell */
	if (w->max - pn >= SSU2_RXWIN || rx_bit(w, w->max - pn))
		return 0;
	rx_set(w, w->max - pn);
	return 1;
}

size_t
ssu2_rx_list(const struct ssu2_rxwin *w, uint32_t *pns, size_t cap)
{
	uint32_t	 back;
	size_t		 n = 0;

	if (!w->any)
		return 0;
	for (back = 0; back < SSU2_RXWIN && back <= w->max && n < cap; back++)
		if (rx_bit(w, back))
			pns[n++] = w->max - back;
	return n;
}

int
ssu2_tok_init(struct ssu2_tokens *t, size_t cap, uint32_t per_src)
{
	memset(t, 0, sizeof(*t));
	if ((t->ent = calloc(cap, sizeof(*t->ent))) == NULL)
		return -1;
	t->cap = cap;
	t->per_src = per_src;
	return 0;
}

void
ssu2_tok_free(struct ssu2_tokens *t)
{
	free(t->ent);
	memset(t, 0, sizeof(*t));
}

/*
 * A token for that endpoint, replacing its old one: at most per_src
 * per address (an attacker's ports), cap in all, expired ones reused.
 */
int
ssu2_tok_issue(struct ssu2_tokens *t, const uint8_t addr[16], uint16_t port,
    int64_t now, uint64_t token)
{
	struct ssu2_tok	*e, *slot = NULL;
	uint32_t	 same = 0;
	size_t		 i;

	if (token == 0)
		return -1;
	for (i = 0; i < t->cap; i++) {
		e = &t->ent[i];
		if (e->expires <= now) {
			if (slot == NULL)
				slot = e;
			continue;
		}
		if (memcmp(e->addr, addr, 16) != 0)
			continue;
		if (e->port == port) {
			slot = e;	/* replaced, not counted */
			break;
		}
		same++;
	}
	if (slot == NULL || (same >= t->per_src && slot->expires <= now))
		return -1;
	memcpy(slot->addr, addr, 16);
	slot->port = port;
	slot->token = token;
	slot->expires = now + SSU2_TOKEN_TTL;
	return 0;
}

/* 1 if token is that endpoint's and unexpired; it is used up then */
int
ssu2_tok_take(struct ssu2_tokens *t, const uint8_t addr[16], uint16_t port,
    int64_t now, uint64_t token)
{
	struct ssu2_tok	*e;
	size_t		 i;

	if (token == 0)
		return 0;
	for (i = 0; i < t->cap; i++) {
		e = &t->ent[i];
		if (e->expires > now && e->token == token && e->port == port &&
		    memcmp(e->addr, addr, 16) == 0) {
			e->expires = 0;
			return 1;
		}
	}
	return 0;
}
