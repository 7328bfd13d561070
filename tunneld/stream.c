/*
 * stream.c: the host of one destination's streams and the calls of the
 * application (see stream.h).  Packets in are stream_in.c's and
 * stream_syn.c's, packets out stream_out.c's.
 *
 * Events are not delivered where they arise but when the outermost
 * call into the host returns (host_leave): a callback may then read,
 * write, close or free any stream, and a stream freed meanwhile is only
 * marked dead and swept at that point, so that no caller up the stack
 * holds a freed stream.
 */
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "stream_int.h"

/* streams of every host: STREAM_MAX in all, lingering ones apart */
static uint32_t stream_total, stream_linger_total;

static uint32_t
clamp32(uint32_t v, uint32_t lo, uint32_t hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

/* the options as used: each within what the code can hold */
static void
host_opts(struct stream_opts *o)
{
	/*
	 * 1730, the default, is the MTU of ElGamal sessions; ours are all
	 * ratchet sessions, which carry 1812 (proposal 155), as i2pd
	 * chooses by the session.  A smaller value set stays.
	 */
	if (o->mtu == STREAM_MTU_DEFAULT)
		o->mtu = STREAM_MTU_RATCHET;
	o->mtu = clamp32(o->mtu, SC_MTU_MIN, STREAM_MTU_RATCHET);
	o->max_window = clamp32(o->max_window, 1, SC_WINDOW_CAP);
	o->initial_window = clamp32(o->initial_window, 1, o->max_window);
	o->sndbuf = clamp32(o->sndbuf, 2 * STREAM_MTU_RATCHET, 1 << 26);
	o->rcvbuf = clamp32(o->rcvbuf, 2 * STREAM_MTU_RATCHET, 1 << 26);
	if (o->max_streams == 0 || o->max_streams > STREAM_PER_HOST)
		o->max_streams = STREAM_PER_HOST;
}

struct stream_host *
stream_host_new(const struct i2p_ident *ident, const struct stream_opts *o,
    const struct stream_ops *ops)
{
	struct stream_host	*h;
	size_t			 i;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return NULL;
	h->ident = *ident;
	h->opts = *o;
	host_opts(&h->opts);
	h->ops = *ops;
	TAILQ_INIT(&h->streams);
	TAILQ_INIT(&h->evq);
	for (i = 0; i < SC_HBUCKETS; i++)
		TAILQ_INIT(&h->buckets[i]);
	TAILQ_INIT(&h->signq);
	TAILQ_INIT(&h->synq);
	return h;
}

void
spkt_free(struct stream_host *h, struct spkt *q)
{
	if (q->signing) {
		TAILQ_REMOVE(&h->signq, q, sentry);
		if (q->s == NULL)
			h->norphans--;
		else
			q->s->nsigning--;
	}
	free(q);
}

static void
spktq_free(struct stream_host *h, struct spktq *pq)
{
	struct spkt	*q;

	while ((q = TAILQ_FIRST(pq)) != NULL) {
		TAILQ_REMOVE(pq, q, entry);
		spkt_free(h, q);
	}
}

static void
stream_destroy(struct stream *s)
{
	struct stream_host	*h = s->h;

	share_put(h, s, h->now);
	spktq_free(h, &s->sent);
	spktq_free(h, &s->ooo);
	if (s->in_evq)
		TAILQ_REMOVE(&h->evq, s, eventry);
	TAILQ_REMOVE(&h->streams, s, entry);
	TAILQ_REMOVE(&h->buckets[s->id % SC_HBUCKETS], s, hentry);
	h->nstreams--;
	stream_total--;
	if (s->app_gone) {
		h->nlinger--;
		stream_linger_total--;
	}
	sbytes_free(&s->snd);
	sbytes_free(&s->rcv);
	free(s);
}

void
stream_host_free(struct stream_host *h)
{
	struct stream	*s;
	struct spkt	*q;

	if (h == NULL)
		return;
	while ((s = TAILQ_FIRST(&h->streams)) != NULL)
		stream_destroy(s);
	while ((q = TAILQ_FIRST(&h->signq)) != NULL)
		spkt_free(h, q);
	spktq_free(h, &h->synq);
	crypto_wipe(h, sizeof(*h));
	free(h);
}

void
host_enter(struct stream_host *h)
{
	h->busy++;
}

static void
deliver(struct stream *s)
{
	static const enum stream_event order[] = { STREAM_EV_CONNECTED,
	    STREAM_EV_READABLE, STREAM_EV_WRITABLE, STREAM_EV_CLOSED };
	unsigned	 ev = s->events;
	size_t		 i;

	/* no application yet (connect has not returned): they wait */
	if (s->cb == NULL)
		return;
	s->events = 0;
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if ((ev & (1u << order[i])) == 0)
			continue;
		if (s->dead || s->cb == NULL)
			return;
		s->cb(s->app, s, order[i]);
	}
}

void
host_leave(struct stream_host *h)
{
	struct stream	*s, *next;

	if (h->busy == 1) {
		while ((s = TAILQ_FIRST(&h->evq)) != NULL) {
			TAILQ_REMOVE(&h->evq, s, eventry);
			s->in_evq = 0;
			deliver(s);
		}
		TAILQ_FOREACH_SAFE(s, &h->streams, entry, next)
			if (s->dead)
				stream_destroy(s);
	}
	h->busy--;
}

void
stream_raise(struct stream *s, enum stream_event ev)
{
	if (s->dead)
		return;
	s->events |= 1u << ev;
	if (!s->in_evq) {
		TAILQ_INSERT_TAIL(&s->h->evq, s, eventry);
		s->in_evq = 1;
	}
}

struct stream *
stream_lookup(struct stream_host *h, uint32_t id)
{
	struct stream	*s;

	TAILQ_FOREACH(s, &h->buckets[id % SC_HBUCKETS], hentry)
		if (s->id == id && !s->dead)
			return s;
	return NULL;
}

/* a random nonzero id no stream of the host has */
static uint32_t
stream_new_id(struct stream_host *h)
{
	uint32_t	 id;

	do {
		crypto_random_fill(&id, sizeof(id));
	} while (id == 0 || stream_lookup(h, id) != NULL);
	return id;
}

struct stream *
stream_new(struct stream_host *h, const struct i2p_ident *peer,
    int outbound, uint16_t lport, uint16_t rport, int64_t now)
{
	struct stream	*s;

	if (!stream_room(h))
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->h = h;
	s->id = stream_new_id(h);
	s->peer = *peer;
	s->outbound = outbound;
	s->lport = lport;
	s->rport = rport;
	s->created = s->last_act = now;
	s->mtu = h->opts.mtu;
	sbytes_init(&s->snd, h->opts.sndbuf);
	sbytes_init(&s->rcv, h->opts.rcvbuf);
	TAILQ_INIT(&s->sent);
	TAILQ_INIT(&s->ooo);
	cc_init(&s->cc, &h->opts);
	share_get(h, s, now);
	TAILQ_INSERT_TAIL(&h->streams, s, entry);
	TAILQ_INSERT_TAIL(&h->buckets[s->id % SC_HBUCKETS], s, hentry);
	h->nstreams++;
	stream_total++;
	return s;
}

/* the stream ends abnormally: no more packets, CLOSED for the app */
void
stream_fail(struct stream *s, enum stream_error err)
{
	if (s->state == STREAM_CLOSED || s->state == STREAM_RESET)
		return;
	s->state = err == STREAM_ERR_NONE ? STREAM_CLOSED : STREAM_RESET;
	s->err = err;
	spktq_free(s->h, &s->sent);
	spktq_free(s->h, &s->ooo);
	s->nsent = s->nooo = 0;
	s->ooo_bytes = s->inflight_bytes = 0;
	s->rto_at = s->ack_at = s->probe_at = 0;
	if (err == STREAM_ERR_TIMEOUT)
		s->h->st.timeouts++;
	stream_raise(s, STREAM_EV_CLOSED);
	/* nobody to tell: it goes */
	if (s->released)
		s->dead = 1;
}

/*
 * Both sides closed and all we sent acknowledged: done cleanly.  Our
 * CLOSE acknowledged is not enough: an ACK of it may NACK data before.
 */
void
stream_check_closed(struct stream *s)
{
	if (s->fin_acked && s->peer_fin && s->nsent == 0 &&
	    s->state != STREAM_CLOSED &&
	    s->state != STREAM_RESET) {
		s->state = STREAM_CLOSED;
		s->err = STREAM_ERR_NONE;
		s->rto_at = s->ack_at = s->probe_at = 0;
		stream_linger(s);
		stream_raise(s, STREAM_EV_CLOSED);
		/* let go before it closed: it lingers, then goes */
		if (s->released)
			stream_set_gone(s);
	}
}

/*
 * A stream closed cleanly and let go lingers (stream_linger) only to
 * acknowledge a resent CLOSE: it no longer counts against the limits
 * of streams, or a busy proxy would refuse new streams while hundreds
 * of finished ones wait out their seconds.  So that it costs little,
 * its buffers go; no more than max_streams linger per host (beyond,
 * the oldest goes early) and STREAM_MAX in all.
 */
void
stream_set_gone(struct stream *s)
{
	struct stream_host	*h = s->h;
	struct stream		*o;

	if (s->app_gone)
		return;
	if (h->nlinger >= h->opts.max_streams)
		TAILQ_FOREACH(o, &h->streams, entry)
			if (o->app_gone && !o->dead) {
				o->dead = 1;
				break;
			}
	s->app_gone = 1;
	h->nlinger++;
	stream_linger_total++;
	/* over the cap of all hosts: no lingering for this one */
	if (stream_linger_total > STREAM_MAX)
		s->dead = 1;
	/* it only acknowledges a resent CLOSE now: its buffers go */
	sbytes_free(&s->snd);
	sbytes_free(&s->rcv);
	spktq_free(h, &s->ooo);
	s->nooo = 0;
	s->ooo_bytes = 0;
}

/* room for one more stream, lingering ones not counted */
int
stream_room(const struct stream_host *h)
{
	return h->nstreams - h->nlinger < h->opts.max_streams &&
	    stream_total - stream_linger_total < STREAM_MAX;
}

void
stream_linger(struct stream *s)
{
	uint64_t	 t = 4 * (uint64_t)cc_rto(&s->cc);

	if (t < SC_LINGER_MIN)
		t = SC_LINGER_MIN;
	if (t > SC_RTO_MAX)
		t = SC_RTO_MAX;
	if (s->h->now + (int64_t)t > s->linger_until)
		s->linger_until = s->h->now + t;
}

size_t
stream_rcv_room(const struct stream *s)
{
	size_t	 used = s->rcv.len + s->ooo_bytes;

	return used >= s->rcv.cap ? 0 : s->rcv.cap - used;
}

void
stream_host_tick(struct stream_host *h, int64_t now)
{
	struct stream	*s;

	host_enter(h);
	h->now = now;
	TAILQ_FOREACH(s, &h->streams, entry)
		if (!s->dead)
			out_timers(s, now);
	synq_expire(h, now);
	host_leave(h);
}

static int64_t
earliest(int64_t a, int64_t b)
{
	if (a < 0)
		return b;
	if (b < 0)
		return a;
	return a < b ? a : b;
}

int64_t
stream_host_next(const struct stream_host *h)
{
	const struct stream	*s;
	int64_t			 next = -1;

	TAILQ_FOREACH(s, &h->streams, entry)
		if (!s->dead)
			next = earliest(next, out_next(s));
	return earliest(next, synq_next(h));
}

void
stream_host_stats(const struct stream_host *h, struct stream_stats *st)
{
	*st = h->st;
	st->streams = h->nstreams;
}

void
stream_host_opts(const struct stream_host *h, struct stream_opts *o)
{
	*o = h->opts;
}

size_t
stream_host_list(const struct stream_host *h,
    void (*row)(const struct stream_info *, void *), void *arg)
{
	const struct stream	*s;
	struct stream_info	 si;
	size_t			 n = 0;

	TAILQ_FOREACH(s, &h->streams, entry) {
		if (s->dead)
			continue;
		stream_info(s, &si);
		row(&si, arg);
		n++;
	}
	return n;
}
