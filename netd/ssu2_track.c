/*
 * SSU2 bookkeeping as pure functions, for the socket glue and its unit
 * tests: the window of packet numbers a session received (duplicates
 * and replays dropped, what the ACK block says), the tokens Bob hands
 * out in Retry messages (ssu2.rst "Token Request", "Retry"), and the
 * reassembly of messages from First and Follow-on Fragments, bounded
 * per message, per session and in all; the limits on Path Responses.
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

/*
 * Moves the window up so that pn is its top: bit 0.  Word by word: bit
 * by bit over the whole window was 4% of netd's time in the data phase.
 */
static void
rx_slide(struct ssu2_rxwin *w, uint32_t by)
{
	uint64_t	 nb[SSU2_RXWIN / 64];
	uint32_t	 q = by / 64, r = by % 64, j;

	memset(nb, 0, sizeof(nb));
	for (j = q; by < SSU2_RXWIN && j < SSU2_RXWIN / 64; j++) {
		nb[j] = w->bits[j - q] << r;
		/* the high bits of the word below carry over */
		if (r != 0 && j > q)
			nb[j] |= w->bits[j - q - 1] >> (64 - r);
	}
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
 * One source for the per-source limit: the first 8 bytes, an IPv4
 * address (4 bytes, then zeros) or an IPv6 /64, as srclimit_addr: a
 * host has a /64 and may take any address in it.
 */
static int
tok_same_source(const uint8_t a[16], const uint8_t b[16])
{
	return memcmp(a, b, 8) == 0;
}

/*
 * A token for that endpoint, replacing its old one: at most per_src
 * per source (an attacker's ports, or addresses in its /64), cap in
 * all, expired ones reused.
 */
int
ssu2_tok_issue(struct ssu2_tokens *t, const uint8_t addr[16], uint16_t port,
    int64_t now, uint64_t token, int64_t ttl)
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
		if (!tok_same_source(e->addr, addr))
			continue;
		if (e->port == port && memcmp(e->addr, addr, 16) == 0) {
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
	slot->expires = now + ttl;
	return 0;
}

/* that endpoint's unexpired token, used up; 0 if none */
uint64_t
ssu2_tok_get(struct ssu2_tokens *t, const uint8_t addr[16], uint16_t port,
    int64_t now)
{
	struct ssu2_tok	*e;
	size_t		 i;

	for (i = 0; i < t->cap; i++) {
		e = &t->ent[i];
		if (e->expires > now && e->port == port &&
		    memcmp(e->addr, addr, 16) == 0) {
			e->expires = 0;
			return e->token;
		}
	}
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

static size_t	 reasm_all;	/* bytes being reassembled, all sessions */

size_t
ssu2_reasm_all(void)
{
	return reasm_all;
}

void
ssu2_reasm_init(struct ssu2_reasm_set *set)
{
	memset(set, 0, sizeof(*set));
	TAILQ_INIT(&set->list);
}

static void
reasm_free(struct ssu2_reasm_set *set, struct ssu2_reasm *r)
{
	int	 i;

	for (i = 0; i <= SSU2_FRAG_NUM_MAX; i++)
		free(r->frag[i]);
	set->bytes -= r->bytes;
	reasm_all -= r->bytes;
	set->n--;
	TAILQ_REMOVE(&set->list, r, entry);
	free(r);
}

void
ssu2_reasm_clear(struct ssu2_reasm_set *set)
{
	while (!TAILQ_EMPTY(&set->list))
		reasm_free(set, TAILQ_FIRST(&set->list));
}

size_t
ssu2_reasm_expire(struct ssu2_reasm_set *set, int64_t now)
{
	struct ssu2_reasm	*r, *next;
	size_t			 n = 0;

	for (r = TAILQ_FIRST(&set->list); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (now - r->started >= SSU2_REASM_TTL) {
			reasm_free(set, r);
			set->dropped++;
			n++;
		}
	}
	return n;
}

/* the message's entry, made if new (the oldest goes when too many) */
static struct ssu2_reasm *
reasm_get(struct ssu2_reasm_set *set, uint32_t msg_id, int64_t now)
{
	struct ssu2_reasm	*r;

	TAILQ_FOREACH(r, &set->list, entry)
		if (r->msg_id == msg_id)
			return r;
	if (set->n >= SSU2_REASM_MSGS) {
		reasm_free(set, TAILQ_FIRST(&set->list));
		set->dropped++;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->msg_id = msg_id;
	r->last = -1;
	r->started = now;
	TAILQ_INSERT_TAIL(&set->list, r, entry);
	set->n++;
	return r;
}

/* 1 and the whole message if every fragment up to the last is in */
static int
reasm_done(struct ssu2_reasm_set *set, struct ssu2_reasm *r, uint8_t **msg,
    size_t *mlen)
{
	size_t	 off = 0;
	int	 i;

	if (r->last == -1)
		return 0;
	for (i = 0; i <= r->last; i++)
		if (r->frag[i] == NULL)
			return 0;
	if ((*msg = malloc(r->bytes)) == NULL) {
		reasm_free(set, r);
		set->dropped++;
		return -1;
	}
	for (i = 0; i <= r->last; i++) {
		memcpy(*msg + off, r->frag[i], r->flen[i]);
		off += r->flen[i];
	}
	*mlen = off;
	reasm_free(set, r);
	return 1;
}

/* 1 if the fragment contradicts what is known, or breaks a bound */
static int
reasm_bad(const struct ssu2_reasm_set *set, const struct ssu2_reasm *r,
    int num, int last, size_t len)
{
	int	 i;

	if (len == 0 || r->bytes + len > NETD_I2NP_MAX ||
	    set->bytes + len > SSU2_REASM_BYTES ||
	    reasm_all + len > SSU2_REASM_ALL)
		return 1;
	/* one last fragment, and none after it */
	if (r->last != -1 && (last || num > r->last))
		return 1;
	if (last)
		for (i = num + 1; i <= SSU2_FRAG_NUM_MAX; i++)
			if (r->frag[i] != NULL)
				return 1;
	return 0;
}

int
ssu2_reasm_add(struct ssu2_reasm_set *set, uint32_t msg_id, int num,
    int last, const uint8_t *data, size_t len, int64_t now, uint8_t **msg,
    size_t *mlen)
{
	struct ssu2_reasm	*r;

	if (num < 0 || num > SSU2_FRAG_NUM_MAX || (num == 0 && last)) {
		set->dropped++;
		return -1;
	}
	if ((r = reasm_get(set, msg_id, now)) == NULL)
		return -1;
	if (r->frag[num] != NULL)
		return 0;		/* a duplicate */
	if (reasm_bad(set, r, num, last, len) ||
	    (r->frag[num] = malloc(len)) == NULL) {
		reasm_free(set, r);
		set->dropped++;
		return -1;
	}
	memcpy(r->frag[num], data, len);
	r->flen[num] = len;
	r->bytes += len;
	set->bytes += len;
	reasm_all += len;
	if (last)
		r->last = num;
	return reasm_done(set, r, msg, mlen);
}

int
ssu2_path_allow(int64_t *last, struct ssu2_pathlim *g, int64_t now)
{
	if (*last != 0 && now - *last < SSU2_PATH_GAP_MS)
		return 0;
	if (g->sec != now / 1000) {
		g->sec = now / 1000;
		g->n = 0;
	}
	if (g->n >= SSU2_PATH_PER_SEC)
		return 0;
	g->n++;
	*last = now;
	return 1;
}
