/*
 * Limits on what peers make us hold or do before a stream exists: the
 * connection rates (the i2p.streaming.maxConns* options, per peer first
 * and over all peers second) and the packets that arrive before their
 * SYN (bounded per peer, per host and in time).
 */
#include <stdlib.h>
#include <string.h>

#include "stream_int.h"

static const int64_t rate_period[3] = { 60 * 1000, 60 * 60 * 1000,
    24 * 60 * 60 * 1000 };

static void
rate_reset(struct srate *r)
{
	size_t	 i;

	for (i = 0; i < 3; i++) {
		r->start[i] = INT64_MIN / 2;
		r->n[i] = 0;
	}
}

/* 1 if one more would be over a limit (0: none) of its period */
static int
rate_over(struct srate *r, const uint32_t lim[3], int64_t now)
{
	size_t	 i;
	int	 over = 0;

	for (i = 0; i < 3; i++) {
		if (now - r->start[i] >= rate_period[i] || now < r->start[i]) {
			r->start[i] = now;
			r->n[i] = 0;
		}
		if (lim[i] != 0 && r->n[i] >= lim[i])
			over = 1;
	}
	return over;
}

static void
rate_count(struct srate *r)
{
	size_t	 i;

	for (i = 0; i < 3; i++)
		r->n[i]++;
}

/*
 * The peer's counters, or fresh ones in the place of the peer heard
 * from longest ago: the table's size bounds the memory, and the limit
 * over all peers still holds a flood from many Destinations.
 */
static struct srate *
rate_peer(struct stream_host *h, const uint8_t peer[32], int64_t now)
{
	struct srate_peer	*rp, *old = NULL;
	size_t			 i;

	for (i = 0; i < SC_RATE_PEERS; i++) {
		rp = &h->rates[i];
		if (rp->used && memcmp(rp->hash, peer, 32) == 0) {
			rp->last = now;
			return &rp->r;
		}
		if (old == NULL || !rp->used ||
		    (old->used && rp->last < old->last))
			old = rp;
	}
	memcpy(old->hash, peer, 32);
	old->used = 1;
	old->last = now;
	rate_reset(&old->r);
	return &old->r;
}

/* 0 and counted if a connection from peer is within the rates */
int
limit_syn(struct stream_host *h, const uint8_t peer[32], int64_t now)
{
	const struct stream_opts	*o = &h->opts;
	uint32_t			 pl[3] = { o->conn_per_min,
					    o->conn_per_hour, o->conn_per_day };
	uint32_t			 tl[3] = { o->total_conn_per_min,
					    o->total_conn_per_hour, 0 };
	struct srate			*r = NULL;

	if (h->total.start[0] == 0 && h->total.n[0] == 0)
		rate_reset(&h->total);
	if (pl[0] || pl[1] || pl[2]) {
		r = rate_peer(h, peer, now);
		if (rate_over(r, pl, now))
			return -1;
	}
	if (rate_over(&h->total, tl, now))
		return -1;
	if (r != NULL)
		rate_count(r);
	rate_count(&h->total);
	return 0;
}

/* packets held for the peer's stream id, or from the same peer */
static int
synq_full(const struct stream_host *h, uint32_t peer_id,
    const uint8_t *from, uint32_t seq)
{
	const struct spkt	*q;
	uint32_t		 by_id = 0, by_peer = 0;

	if (h->nsynq >= SC_SYNQ_MAX)
		return 1;
	TAILQ_FOREACH(q, &h->synq, entry) {
		if (q->peer_id == peer_id) {
			if (q->seq == seq)
				return 1;
			by_id++;
		}
		if (from != NULL && q->have_remote &&
		    memcmp(q->remote, from, 32) == 0)
			by_peer++;
	}
	return by_id >= SC_SYNQ_PER_PEER || by_peer >= SC_SYNQ_PER_PEER;
}

void
synq_add(struct stream_host *h, const struct stream_pkt *p,
    const uint8_t *buf, size_t len, uint16_t sport, uint16_t dport,
    const struct i2p_ident *from, int64_t now)
{
	struct spkt	*q;

	if (p->recv_id == 0 || p->len > STREAM_MTU_RATCHET) {
		h->st.malformed++;
		return;
	}
	if (synq_full(h, p->recv_id, from != NULL ? from->hash : NULL,
	    p->seq) || (q = spkt_new(len)) == NULL) {
		h->st.no_stream++;
		return;
	}
	memcpy(q->buf, buf, len);
	q->peer_id = p->recv_id;
	q->seq = p->seq;
	q->sport = sport;
	q->dport = dport;
	if (from != NULL) {
		memcpy(q->remote, from->hash, 32);
		q->have_remote = 1;
	}
	q->arrived = now;
	TAILQ_INSERT_TAIL(&h->synq, q, entry);
	h->nsynq++;
}

/* the packets that came before the SYN of s, now that it has come */
void
synq_feed(struct stream_host *h, struct stream *s, int64_t now)
{
	struct spkt	*q, *next;

	TAILQ_FOREACH_SAFE(q, &h->synq, entry, next) {
		if (q->peer_id != s->peer_id || (q->have_remote &&
		    memcmp(q->remote, s->peer.hash, 32) != 0))
			continue;
		TAILQ_REMOVE(&h->synq, q, entry);
		h->nsynq--;
		if (!s->dead)
			in_known(s, q->buf, q->len, q->sport, q->dport, NULL,
			    now);
		free(q);
	}
}

void
synq_expire(struct stream_host *h, int64_t now)
{
	struct spkt	*q;

	while ((q = TAILQ_FIRST(&h->synq)) != NULL &&
	    now - q->arrived >= SC_SYNQ_TTL) {
		TAILQ_REMOVE(&h->synq, q, entry);
		h->nsynq--;
		h->st.no_stream++;
		free(q);
	}
}

int64_t
synq_next(const struct stream_host *h)
{
	const struct spkt	*q;

	if ((q = TAILQ_FIRST(&h->synq)) == NULL)
		return -1;
	return q->arrived + SC_SYNQ_TTL;
}
