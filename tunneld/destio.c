/*
 * A local destination's traffic with remote destinations (destio.h).
 */
#include <bsd/sys/queue.h>
#include <bsd/sys/tree.h>
#include <stdlib.h>
#include <string.h>

#include "clientio.h"
#include "crypto.h"
#include "destio.h"
#include "garlicblk.h"
#include "kreq.h"
#include "log.h"
#include "lscache.h"
#include "ratchet.h"
#include "replay.h"

/* what a cryptod answer is for (kreq cookie kinds) */
enum {
	K_SIGN = 1,	/* id: an outmsg */
	K_SS,		/* id: a session */
	K_NS1,		/* id: an nsopen, DH with Alice's ephemeral key */
	K_NS2,		/* id: an nsopen, DH with Alice's static key */
	K_NSR,		/* id: a session, DH with Bob's reply key */
};

struct dtag {
	RB_ENTRY(dtag)		 entry;
	uint8_t			 tag[RATCHET_TAG_LEN];
	struct ratchet_session	*rs;
};

struct dsess {
	TAILQ_ENTRY(dsess)	 entry;
	uint64_t		 id;
	struct ratchet_session	*rs;
	uint8_t			 peer_hash[32];
	int			 have_hash;
	uint8_t			 ss[32];
	int			 have_ss, ss_asked;
	uint32_t		 ls_sent;	/* our LeaseSet's published */
	time_t			 ls_sent_at;
	/* the path, kept while it lives: messages arrive in order */
	uint32_t		 out_serial;	/* our outbound tunnel */
	uint8_t			 lease_gw[32];	/* the remote's lease */
	uint32_t		 lease_tid;
	uint32_t		 avoid_serial;	/* what lost messages last */
	uint8_t			 avoid_gw[32];
	uint32_t		 avoid_tid;
	/* given up for sending after losses: a new session goes instead */
	int			 abandoned;
	/* an ES that carried it asked for an ACK: this one's */
	int			 ls_ack_wait;
	uint16_t		 ls_ack_tagset, ls_ack_n;
	uint64_t		 sent, received;
	/*
	 * New Session Replies waiting for DH(our static, their key), one
	 * asked of cryptod at a time (the first's); the DHs known, one
	 * per key the peer answers our New Sessions with
	 */
	struct nsrwait {
		uint8_t		*msg;
		size_t		 len;
		uint8_t		 pub[32];
	}			 nsr_wait[DESTIO_NSR_WAIT];
	size_t			 nnsr_wait;
	int			 nsr_asked;
	struct {
		uint8_t		 pub[32], dh[32];
	}			 nsr_dh[RATCHET_NS_MAX];
	size_t			 nnsr_dh;
};

struct nsopen {
	TAILQ_ENTRY(nsopen)	 entry;
	uint64_t		 id;
	struct ratchet_ns_in	 in;
	uint8_t			*msg;
	size_t			 len;
};

enum om_state { OM_SIGN, OM_READY, OM_DEAD };

struct outmsg {
	TAILQ_ENTRY(outmsg)	 entry;
	uint64_t		 id;
	enum om_state		 state;
	uint8_t			 remote[32];
	time_t			 queued;
	struct i2cpdata_hdr	 hdr;
	uint8_t			*data;	/* OM_SIGN: the payload; else Data */
	size_t			 len;
	size_t			 lead_len;	/* data's first Data message */
	int			 looking;	/* an lscache answer will come */
};

RB_HEAD(dtag_tree, dtag);
TAILQ_HEAD(dsess_list, dsess);
TAILQ_HEAD(nsopen_list, nsopen);
TAILQ_HEAD(outmsg_list, outmsg);

struct destio {
	TAILQ_ENTRY(destio)	 entry;
	uint32_t		 keyid;
	struct i2p_ident	 ident;
	uint8_t			 enc_pub[32];
	struct dtag_tree	 tags;
	struct dsess_list	 sessions;
	struct nsopen_list	 opening;
	struct outmsg_list	 outq;
	size_t			 nsessions, nopening, noutq, outq_bytes;
	struct replay		 replay;
	time_t			 ns_sec;
	int			 ns_this_sec;
	uint64_t		 next_id;
	int			 pump;		/* the queue may move */
	struct destio_stats	 st;
};

static int
dtag_cmp(const struct dtag *a, const struct dtag *b)
{
	return memcmp(a->tag, b->tag, RATCHET_TAG_LEN);
}

RB_PROTOTYPE(dtag_tree, dtag, entry, dtag_cmp)
RB_GENERATE(dtag_tree, dtag, entry, dtag_cmp)

static TAILQ_HEAD(, destio)	 all = TAILQ_HEAD_INITIALIZER(all);
static size_t			 nsessions_all;
static size_t			 outq_bytes_all;	/* every destination's */
static const struct leaseset2	*(*our_leaseset)(uint32_t);
static destio_recv_cb		 recv_cb;
static destio_out_cb		 out_tunnel;
static destio_stream_cb		 stream_cb;
/* one inflated Data message at a time */
static uint8_t			 inflated[I2CPDATA_MAX];

static void	pump(struct destio *, time_t);

void
destio_init(const struct leaseset2 *(*ls)(uint32_t), destio_recv_cb cb)
{
	our_leaseset = ls;
	recv_cb = cb;
}

void
destio_set_stream(destio_stream_cb cb)
{
	stream_cb = cb;
}

void
destio_set_outbound(destio_out_cb cb)
{
	out_tunnel = cb;
}

static struct destio *
io_find(uint32_t keyid)
{
	struct destio	*io;

	TAILQ_FOREACH(io, &all, entry)
		if (io->keyid == keyid)
			return io;
	return NULL;
}

/* the ratchet's tag callback: the destination's map of tags */
static void
tag_cb(void *arg, struct ratchet_session *rs, const uint8_t *tag, int added)
{
	struct destio	*io = arg;
	struct dtag	 key, *t;

	memcpy(key.tag, tag, RATCHET_TAG_LEN);
	t = RB_FIND(dtag_tree, &io->tags, &key);
	if (added) {
		if (t != NULL) {
			/* 2^-64 a pair: the newer session keeps it */
			t->rs = rs;
			return;
		}
		if ((t = calloc(1, sizeof(*t))) == NULL)
			fatal(NULL);
		memcpy(t->tag, tag, RATCHET_TAG_LEN);
		t->rs = rs;
		RB_INSERT(dtag_tree, &io->tags, t);
	} else if (t != NULL && t->rs == rs) {
		RB_REMOVE(dtag_tree, &io->tags, t);
		free(t);
	}
}

struct destio *
destio_new(uint32_t keyid, const struct i2p_ident *ident,
    const uint8_t enc_pub[32])
{
	struct destio	*io;

	if ((io = calloc(1, sizeof(*io))) == NULL)
		fatal(NULL);
	io->keyid = keyid;
	io->ident = *ident;
	memcpy(io->enc_pub, enc_pub, 32);
	RB_INIT(&io->tags);
	TAILQ_INIT(&io->sessions);
	TAILQ_INIT(&io->opening);
	TAILQ_INIT(&io->outq);
	if (replay_init(&io->replay, DESTIO_REPLAY,
	    RATCHET_REPLAY_WINDOW) == -1)
		fatal("replay filter");
	io->next_id = 1;
	TAILQ_INSERT_TAIL(&all, io, entry);
	return io;
}

static void
sess_free(struct destio *io, struct dsess *s)
{
	TAILQ_REMOVE(&io->sessions, s, entry);
	io->nsessions--;
	nsessions_all--;
	ratchet_free(s->rs);
	while (s->nnsr_wait > 0)
		free(s->nsr_wait[--s->nnsr_wait].msg);
	crypto_wipe(s, sizeof(*s));
	free(s);
}

static void
nsopen_free(struct destio *io, struct nsopen *o)
{
	TAILQ_REMOVE(&io->opening, o, entry);
	io->nopening--;
	free(o->msg);
	crypto_wipe(o, sizeof(*o));
	free(o);
}

static void
outmsg_free(struct destio *io, struct outmsg *m)
{
	TAILQ_REMOVE(&io->outq, m, entry);
	io->noutq--;
	io->outq_bytes -= m->len;
	outq_bytes_all -= m->len;
	free(m->data);
	free(m);
}

void
destio_free(struct destio *io)
{
	struct dsess	*s;
	struct nsopen	*o;
	struct outmsg	*m;
	struct dtag	*t, *tn;

	if (io == NULL)
		return;
	kreq_drop_dest(io->keyid);
	while ((s = TAILQ_FIRST(&io->sessions)) != NULL)
		sess_free(io, s);
	while ((o = TAILQ_FIRST(&io->opening)) != NULL)
		nsopen_free(io, o);
	while ((m = TAILQ_FIRST(&io->outq)) != NULL)
		outmsg_free(io, m);
	RB_FOREACH_SAFE(t, dtag_tree, &io->tags, tn) {
		RB_REMOVE(dtag_tree, &io->tags, t);
		free(t);
	}
	replay_free(&io->replay);
	TAILQ_REMOVE(&all, io, entry);
	free(io);
}

static struct dsess *
sess_by_rs(struct destio *io, const struct ratchet_session *rs)
{
	struct dsess	*s;

	TAILQ_FOREACH(s, &io->sessions, entry)
		if (s->rs == rs)
			return s;
	return NULL;
}

static struct dsess *
sess_by_id(struct destio *io, uint64_t id)
{
	struct dsess	*s;

	TAILQ_FOREACH(s, &io->sessions, entry)
		if (s->id == id)
			return s;
	return NULL;
}

static struct dsess *
sess_add(struct destio *io, struct ratchet_session *rs)
{
	struct dsess	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal(NULL);
	s->id = io->next_id++;
	s->rs = rs;
	TAILQ_INSERT_HEAD(&io->sessions, s, entry);
	io->nsessions++;
	nsessions_all++;
	return s;
}

static void	sess_free(struct destio *, struct dsess *);

/*
 * Before a new session of the peer's: its sessions that never got past
 * our reply are kept (an i2pd sends each stream's first packets in a
 * session of its own, and uses whichever our reply reaches first), but
 * at most DESTIO_UNANSWERED - 1 of them, the newest, of those we have
 * not replied in yet, and DESTIO_REPLIED - 1 of those we have: the peer
 * may be going on in any of these, and its messages there would be
 * unreadable once the session is gone (eight i2pd streams opened at once
 * to our server lost seven that way).
 */
static void
limit_unanswered(struct destio *io, const uint8_t peer_pub[32])
{
	struct dsess	*s, *next;
	int		 n = 0, nreplied = 0, over;

	TAILQ_FOREACH_SAFE(s, &io->sessions, entry, next) {
		if (s->rs->outbound || s->rs->state != RATCHET_NSR_SENT ||
		    memcmp(s->rs->peer_pub, peer_pub, 32) != 0)
			continue;
		if (s->sent > 0)
			over = ++nreplied >= DESTIO_REPLIED;
		else
			over = ++n >= DESTIO_UNANSWERED;
		if (over) {
			io->st.unanswered_dropped++;
			sess_free(io, s);
		}
	}
}

/*
 * The session to send to that peer with: the one it used last (a New
 * Session or an Existing Session message from it, or our own New
 * Session's reply), so that a peer that restarted is answered in its new
 * session; within the same second an established one (the peer has
 * its keys), then the newest.
 */
static struct dsess *
sess_pick(struct destio *io, const uint8_t peer_pub[32])
{
	struct dsess	*s, *best = NULL;

	TAILQ_FOREACH(s, &io->sessions, entry) {
		if (s->rs->state == RATCHET_TERMINATED || s->abandoned ||
		    memcmp(s->rs->peer_pub, peer_pub, 32) != 0)
			continue;
		if (best == NULL || s->rs->last_recv > best->rs->last_recv ||
		    (s->rs->last_recv == best->rs->last_recv &&
		    s->rs->state == RATCHET_ESTABLISHED &&
		    best->rs->state != RATCHET_ESTABLISHED))
			best = s;
	}
	return best;
}

/* the session sess_for() sends to that peer with */
static int
sess_current(struct destio *io, const struct dsess *cur)
{
	return sess_pick(io, cur->rs->peer_pub) == cur;
}

static int
sess_room(struct destio *io)
{
	return io->nsessions < DESTIO_SESSIONS &&
	    nsessions_all < DESTIO_SESSIONS_MAX;
}

/*
 * The session to send to the peer with this static key: sess_pick's
 * (sessions are kept newest first), else a new outbound one; NULL when
 * there is no room.
 */
static struct dsess *
sess_for(struct destio *io, const uint8_t peer_pub[32],
    const uint8_t peer_hash[32], time_t now)
{
	struct ratchet_session	*rs;
	struct dsess		*s;

	if ((s = sess_pick(io, peer_pub)) == NULL) {
		if (!sess_room(io))
			return NULL;
		rs = ratchet_out_new(io->enc_pub, peer_pub, tag_cb, io, now);
		if (rs == NULL)
			return NULL;
		s = sess_add(io, rs);
	}
	if (!s->have_hash) {
		memcpy(s->peer_hash, peer_hash, 32);
		s->have_hash = 1;
	}
	return s;
}

/*
 * A DatabaseStore of our LeaseSet, as a clove for the peer to keep: 1
 * if put, 0 if we have none
 */
static int
put_our_leaseset(struct destio *io, struct dsess *s, struct wbuf *blocks,
    time_t now)
{
	const struct leaseset2	*ls = our_leaseset(io->keyid);
	struct gblk_clove	 c;
	struct wbuf		 w;
	uint8_t			 ds[32 + 1 + 4 + LS2_MAXLEN];

	if (ls == NULL || ls->rawlen == 0)
		return 0;
	wbuf_init_fixed(&w, ds, sizeof(ds));
	wbuf_put_bytes(&w, io->ident.hash, 32);
	wbuf_put_u8(&w, LS2_STORE_TYPE);
	wbuf_put_u32(&w, 0);		/* no reply token */
	wbuf_put_bytes(&w, ls->raw, ls->rawlen);
	if (wbuf_error(&w))
		return -1;
	memset(&c, 0, sizeof(c));
	c.delivery = GBLK_LOCAL;
	c.hdr.type = I2NP_DATABASE_STORE;
	c.hdr.msg_id = crypto_random_id();
	c.hdr.expiration = ((uint64_t)now + 60) * 1000;
	c.msg = wbuf_data(&w);
	c.msglen = wbuf_len(&w);
	if (gblk_put_clove(blocks, &c) == -1)
		return -1;
	s->ls_sent = ls->published;
	s->ls_sent_at = now;
	return 1;
}

static int
put_data(struct destio *io, const uint8_t remote[32], const uint8_t *data,
    size_t len, struct wbuf *blocks, time_t now)
{
	struct gblk_clove	c;

	memset(&c, 0, sizeof(c));
	c.delivery = GBLK_DESTINATION;
	memcpy(c.hash, remote, 32);
	c.hdr.type = I2NP_DATA;
	c.hdr.msg_id = crypto_random_id();
	c.hdr.expiration = ((uint64_t)now + 60) * 1000;
	c.msg = data;
	c.msglen = len;
	return gblk_put_clove(blocks, &c);
}

/*
 * The session's lease of the remote's: the one it used while it stays
 * in the LeaseSet with DESTIO_PATH_SPARE seconds to live, else a live
 * one at random.  Keeping one path keeps a session's messages in order
 * (i2pd 2.45.1 loses the key of a tag set's message 0 that arrives
 * after message 1), as i2pd and Java keep theirs.
 */
static const struct lease2 *
pick_lease(struct dsess *s, const struct lsremote *ls, time_t now)
{
	const struct lease2	*live[LS2_MAX_LEASES], *l;
	size_t			 i, n = 0;

	for (i = 0; i < ls->nleases; i++) {
		l = &ls->leases[i];
		if ((int64_t)l->end_date > now + DESTIO_PATH_SPARE &&
		    l->tunnel_id == s->lease_tid &&
		    memcmp(l->gateway, s->lease_gw, 32) == 0)
			return l;
	}
	for (i = 0; i < ls->nleases; i++) {
		l = &ls->leases[i];
		if ((int64_t)l->end_date > now + 2 && !(l->tunnel_id ==
		    s->avoid_tid && memcmp(l->gateway, s->avoid_gw, 32) == 0))
			live[n++] = l;
	}
	/* the one that lost messages, if it is all there is */
	for (i = 0; n == 0 && i < ls->nleases; i++)
		if ((int64_t)ls->leases[i].end_date > now + 2)
			live[n++] = &ls->leases[i];
	if (n == 0)
		return NULL;
	l = live[crypto_random_below((uint32_t)n)];
	memcpy(s->lease_gw, l->gateway, 32);
	s->lease_tid = l->tunnel_id;
	return l;
}

/*
 * The Data cloves of a queued message: two when it has a lead (the
 * first lead_len bytes), in that order, so that the peer never has the
 * second without the first.
 */
static int
put_msg_data(struct destio *io, const struct outmsg *m,
    const uint8_t remote[32], struct wbuf *blocks, time_t now)
{
	if (m->lead_len > 0 && put_data(io, remote, m->data, m->lead_len,
	    blocks, now) == -1)
		return -1;
	return put_data(io, remote, m->data + m->lead_len,
	    m->len - m->lead_len, blocks, now);
}

/*
 * Seals m's Data (NULL: nothing but what the session owes) for the
 * peer and hands it to routerd for one of the remote's leases: 1 if
 * sent, 0 if the session cannot seal now (waiting for ss or a reply),
 * -1 if it never will.
 */
static int
send_garlic(struct destio *io, struct dsess *s, const struct lsremote *ls,
    const struct outmsg *m, int terminate, time_t now)
{
	static uint8_t		 bbuf[I2NP_MAX_PAYLOAD], obuf[I2NP_MAX_PAYLOAD];
	static uint8_t		 mbuf[I2NP_SHORT_HDRLEN + I2NP_MAX_PAYLOAD];
	const struct leaseset2	*our = our_leaseset(io->keyid);
	const struct lease2	*lease;
	struct client_out	 o;
	struct ratchet_tx	 tx;
	struct i2np_hdr		 h;
	struct wbuf		 blocks, out, msg;
	enum ratchet_kind	 kind = ratchet_next_kind(s->rs);
	size_t			 at;
	int			 ackreq = 0;

	if (kind == RATCHET_MSG_NS && !s->have_ss)
		return 0;
	if ((lease = pick_lease(s, ls, now)) == NULL)
		return -1;
	wbuf_init_fixed(&blocks, bbuf, sizeof(bbuf));
	if (our != NULL && (kind == RATCHET_MSG_NS ||
	    s->ls_sent != our->published ||
	    now - s->ls_sent_at >= DESTIO_LS_RESEND)) {
		if (put_our_leaseset(io, s, &blocks, now) == -1)
			return -1;
		/*
		 * In an Existing Session nothing else tells us the peer
		 * got it: ask for an ACK, and bundle it again if none comes
		 * (ecies.rst "ACK Request"; i2pd does the same).  A New
		 * Session's is answered by the reply itself.
		 */
		if (kind == RATCHET_MSG_ES && gblk_put_ackreq(&blocks) == 0)
			ackreq = 1;
	}
	if (m != NULL && put_msg_data(io, m, ls->dest.hash, &blocks,
	    now) == -1)
		return -1;
	if (terminate && gblk_put_termination(&blocks, 0) == -1)
		return -1;
	wbuf_init_fixed(&out, obuf, sizeof(obuf));
	wbuf_reserve(&out, 4, &at);
	if (ratchet_seal(s->rs, s->have_ss ? s->ss : NULL, wbuf_data(&blocks),
	    wbuf_len(&blocks), &out, &tx, now) == -1)
		return s->rs->state == RATCHET_NS_SENT ? 0 : -1;
	wbuf_set_u32(&out, at, (uint32_t)(wbuf_len(&out) - 4));
	if (ackreq) {
		s->ls_ack_wait = 1;
		s->ls_ack_tagset = tx.tagset_id;
		s->ls_ack_n = tx.index;
	}
	memset(&h, 0, sizeof(h));
	h.type = I2NP_GARLIC;
	h.msg_id = crypto_random_id();
	h.expiration = ((uint64_t)now + 60) * 1000;
	wbuf_init_fixed(&msg, mbuf, sizeof(mbuf));
	if (i2np_msg_write_short(&h, wbuf_data(&out), wbuf_len(&out),
	    &msg) == -1)
		return -1;
	memset(&o, 0, sizeof(o));
	memcpy(o.gateway, lease->gateway, 32);
	o.tunnel_id = lease->tunnel_id;
	if (out_tunnel != NULL)
		o.out_serial = s->out_serial = out_tunnel(io->keyid,
		    s->out_serial, s->avoid_serial, now);
	o.msg = wbuf_data(&msg);
	o.len = wbuf_len(&msg);
	if (clientio_send(io->keyid, &o) == -1)
		return -1;
	s->sent++;
	if (tx.kind == RATCHET_MSG_NS)
		io->st.ns_sent++;
	else if (tx.kind == RATCHET_MSG_NSR)
		io->st.nsr_sent++;
	else
		io->st.es_sent++;
	return 1;
}

static void
ss_answer(const struct kreq_cookie *c, int ok, const uint8_t *dh)
{
	struct destio	*io;
	struct dsess	*s;

	if ((io = io_find(c->keyid)) == NULL ||
	    (s = sess_by_id(io, c->id)) == NULL)
		return;
	s->ss_asked = 0;
	if (!ok)
		return;
	memcpy(s->ss, dh, 32);
	s->have_ss = 1;
	io->pump = 1;
	pump(io, time(NULL));
}

/*
 * The LeaseSet lookup for queued messages answered: every message to
 * that remote waited on the one lookup (cookie: the message that
 * asked).
 */
static void
lookup_answer(uint32_t owner, uint64_t cookie, enum lscache_result res,
    const struct lsremote *ls)
{
	struct destio	*io;
	struct outmsg	*m, *asker = NULL;

	if ((io = io_find(owner)) == NULL)
		return;
	TAILQ_FOREACH(m, &io->outq, entry)
		if (m->id == cookie)
			asker = m;
	if (asker == NULL)
		return;
	if (res != LSC_FOUND)
		io->st.lookups_failed++;
	TAILQ_FOREACH(m, &io->outq, entry) {
		if (memcmp(m->remote, asker->remote, 32) != 0)
			continue;
		m->looking = 0;
		if (res != LSC_FOUND && m->state == OM_READY)
			m->state = OM_DEAD;
	}
	io->pump = 1;
}

/* a lookup for this remote is in flight for another queued message */
static int
lookup_pending(struct destio *io, const struct outmsg *m)
{
	struct outmsg	*o;

	TAILQ_FOREACH(o, &io->outq, entry)
		if (o->looking && memcmp(o->remote, m->remote, 32) == 0)
			return 1;
	return 0;
}

/* 1: gone out, 0: waiting, -1: drop it */
static int
try_send(struct destio *io, struct outmsg *m, time_t now)
{
	const struct lsremote	*ls = NULL;
	struct dsess		*s;
	struct kreq_cookie	 c;

	if (m->looking || lookup_pending(io, m))
		return 0;
	if (lscache_get(io->keyid, m->remote, now, lookup_answer, io->keyid,
	    m->id, &ls) == 0) {
		/* a miss may have been answered at once */
		if (m->state == OM_DEAD)
			return -1;
		m->looking = 1;
		return 0;
	}
	if ((s = sess_for(io, ls->enc_pub, m->remote, now)) == NULL)
		return -1;
	if (ratchet_next_kind(s->rs) == RATCHET_MSG_NS && !s->have_ss) {
		if (!s->ss_asked) {
			memset(&c, 0, sizeof(c));
			c.keyid = io->keyid;
			c.kind = K_SS;
			c.id = s->id;
			if (kreq_dh(&c, ls->enc_pub, ss_answer, now) == -1)
				return -1;
			s->ss_asked = 1;
		}
		return 0;
	}
	return send_garlic(io, s, ls, m, 0, now);
}

static void
pump(struct destio *io, time_t now)
{
	struct outmsg	*m, *next;
	int		 r;

	io->pump = 0;
	TAILQ_FOREACH_SAFE(m, &io->outq, entry, next) {
		if (m->state == OM_SIGN)
			continue;
		r = m->state == OM_DEAD ? -1 : try_send(io, m, now);
		if (r == 0)
			continue;
		if (r == 1) {
			io->st.sent++;
			io->st.sent_bytes += m->len;
		} else
			io->st.dropped_out++;
		outmsg_free(io, m);
	}
}

static struct outmsg *
outmsg_by_id(struct destio *io, uint64_t id)
{
	struct outmsg	*m;

	TAILQ_FOREACH(m, &io->outq, entry)
		if (m->id == id)
			return m;
	return NULL;
}

/* the Data message of a datagram whose signature came */
static void
sign_answer(const struct kreq_cookie *c, int ok, const uint8_t *sig)
{
	struct destio	*io;
	struct outmsg	*m;
	struct wbuf	 w;
	struct i2p_err	 err;

	if ((io = io_find(c->keyid)) == NULL ||
	    (m = outmsg_by_id(io, c->id)) == NULL)
		return;
	if (!ok) {
		m->state = OM_DEAD;
		pump(io, time(NULL));
		return;
	}
	if (wbuf_init_dynamic(&w, m->len + 1024, I2CPDATA_MAX + 4) == -1)
		fatal(NULL);
	if (dgram1_build(&w, m->hdr.src_port, m->hdr.dst_port, &io->ident,
	    sig, ED25519_SIG_LEN, m->data, m->len, &err) == -1)
		m->state = OM_DEAD;
	else {
		/* the payload waiting for its signature becomes the Data */
		io->outq_bytes -= m->len;
		outq_bytes_all -= m->len;
		free(m->data);
		m->len = wbuf_len(&w);
		if ((m->data = malloc(m->len)) == NULL)
			fatal(NULL);
		memcpy(m->data, wbuf_data(&w), m->len);
		io->outq_bytes += m->len;
		outq_bytes_all += m->len;
		m->state = OM_READY;
	}
	wbuf_free(&w);
	pump(io, time(NULL));
}

static struct outmsg *
outmsg_new(struct destio *io, const uint8_t remote[32],
    const struct i2cpdata_hdr *h, const uint8_t *data, size_t len,
    time_t now)
{
	struct outmsg	*m;

	if (io->noutq >= DESTIO_OUTQ ||
	    io->outq_bytes + len > DESTIO_OUTQ_BYTES ||
	    outq_bytes_all + len > DESTIO_OUTQ_BYTES_MAX) {
		io->st.dropped_out++;
		return NULL;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->data = malloc(len > 0 ? len : 1)) == NULL)
		fatal(NULL);
	m->id = io->next_id++;
	memcpy(m->remote, remote, 32);
	m->hdr = *h;
	m->queued = now;
	memcpy(m->data, data, len);
	m->len = len;
	TAILQ_INSERT_TAIL(&io->outq, m, entry);
	io->noutq++;
	io->outq_bytes += len;
	outq_bytes_all += len;
	return m;
}

/*
 * The Data message body of a raw datagram or a streaming packet.
 * Streaming packets are stored, not compressed: most are data the
 * application sent, often compressed or encrypted already, and zlib
 * would cost every packet for the sake of the SYN's Destination.
 */
static int
payload_build(struct wbuf *w, const struct i2cpdata_hdr *h,
    const uint8_t *payload, size_t len, struct i2p_err *err)
{
	struct i2cpdata_part	 part = { payload, len };
	int			 code;

	if (h->proto == I2CP_PROTO_RAW)
		return dgram_raw_build(w, h->src_port, h->dst_port,
		    I2CPDATA_COMPRESS, payload, len, err);
	if (i2cpdata_build(w, h, I2CPDATA_STORE, &part, 1, &code) == -1)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "streaming packet");
	return 0;
}

/*
 * A raw datagram or streaming packet queued as its Data message, behind
 * the Data message of lead if there is one (both in one garlic).
 */
static int
send_built(struct destio *io, const uint8_t remote[32],
    const struct i2cpdata_hdr *h, const uint8_t *lead, size_t leadlen,
    const uint8_t *payload, size_t len, time_t now)
{
	struct outmsg	*m;
	struct wbuf	 w;
	struct i2p_err	 err;
	size_t		 lead_len = 0;

	if (wbuf_init_dynamic(&w, leadlen + len + 128,
	    2 * (I2CPDATA_MAX + 4)) == -1)
		fatal(NULL);
	if (lead != NULL) {
		if (payload_build(&w, h, lead, leadlen, &err) == -1) {
			wbuf_free(&w);
			return -1;
		}
		lead_len = wbuf_len(&w);
	}
	if (payload_build(&w, h, payload, len, &err) == -1 ||
	    (m = outmsg_new(io, remote, h, wbuf_data(&w), wbuf_len(&w),
	    now)) == NULL) {
		wbuf_free(&w);
		return -1;
	}
	wbuf_free(&w);
	m->lead_len = lead_len;
	m->state = OM_READY;
	pump(io, now);
	return 0;
}

int
destio_send(struct destio *io, const uint8_t remote[32],
    const struct i2cpdata_hdr *h, const uint8_t *payload, size_t len,
    time_t now)
{
	struct outmsg		*m;
	struct kreq_cookie	 c;
	struct i2p_err		 err;
	const uint8_t		*tosign;
	uint8_t			 digest[SHA256_LEN];
	size_t			 tslen;

	if (h->proto == I2CP_PROTO_DATAGRAM) {
		if (len > DGRAM1_PAYLOAD_MAX || dgram1_tosign(&io->ident,
		    payload, len, digest, &tosign, &tslen, &err) == -1 ||
		    (m = outmsg_new(io, remote, h, payload, len, now)) == NULL)
			return -1;
		m->state = OM_SIGN;
		memset(&c, 0, sizeof(c));
		c.keyid = io->keyid;
		c.kind = K_SIGN;
		c.id = m->id;
		if (kreq_sign(&c, tosign, tslen, sign_answer, now) == -1) {
			outmsg_free(io, m);
			io->st.dropped_out++;
			return -1;
		}
		return 0;
	}
	if (h->proto != I2CP_PROTO_RAW && h->proto != I2CP_PROTO_STREAMING)
		return -1;
	return send_built(io, remote, h, NULL, 0, payload, len, now);
}

int
destio_send_lead(struct destio *io, const uint8_t remote[32],
    const struct i2cpdata_hdr *h, const uint8_t *lead, size_t leadlen,
    const uint8_t *payload, size_t len, time_t now)
{
	if (h->proto != I2CP_PROTO_STREAMING)
		return -1;
	return send_built(io, remote, h, lead, leadlen, payload, len, now);
}

/* a Data clove: a datagram for the owner */
static void
data_in(struct destio *io, struct dsess *s, const uint8_t *p, size_t len)
{
	struct i2cpdata_hdr	 h;
	struct dgram		 d;
	struct i2p_err		 err;
	const uint8_t		*from = NULL;
	size_t			 n;
	int			 code;

	if (i2cpdata_parse(&h, p, len, inflated, sizeof(inflated), &n,
	    &code) == -1) {
		io->st.dropped_in++;
		return;
	}
	if (h.proto == I2CP_PROTO_STREAMING && stream_cb != NULL) {
		io->st.received++;
		io->st.received_bytes += n;
		stream_cb(io->keyid, inflated, n, h.src_port, h.dst_port,
		    s != NULL && s->have_hash ? s->peer_hash : NULL);
		return;
	}
	if ((h.proto != I2CP_PROTO_DATAGRAM && h.proto != I2CP_PROTO_RAW) ||
	    dgram_parse(&d, &h, inflated, n, &err) == -1) {
		io->st.dropped_in++;
		return;
	}
	if (d.proto == I2CP_PROTO_DATAGRAM)
		from = d.from.hash;
	else if (s != NULL && s->have_hash)
		from = s->peer_hash;
	io->st.received++;
	io->st.received_bytes += d.len;
	recv_cb(io->keyid, &d, from);
}

/* a DatabaseStore clove: the peer's LeaseSet, so we can answer */
static void
store_in(struct destio *io, struct dsess *s, const uint8_t *p, size_t len,
    time_t now)
{
	struct rbuf		 r;
	const struct lsremote	*ls = NULL;
	const uint8_t		*key, *raw;
	const char		*why;
	uint32_t		 token;
	size_t			 rawlen;
	uint8_t			 type;

	/* no reply token: a peer's store is not a floodfill's */
	rbuf_init(&r, p, len);
	if (rbuf_get_ptr(&r, &key, 32) == -1 || rbuf_get_u8(&r, &type) == -1 ||
	    rbuf_get_u32(&r, &token) == -1 || token != 0 ||
	    (rawlen = rbuf_left(&r)) == 0 ||
	    rbuf_get_ptr(&r, &raw, rawlen) == -1) {
		io->st.dropped_in++;
		return;
	}
	if (lscache_put(io->keyid, key, type, raw, rawlen, now, &why) == -1) {
		log_debug("destination %08x: bundled LeaseSet not kept: %s",
		    io->keyid, why);
		io->st.dropped_in++;
	}
	/* the session learns whose it is once its key is the LeaseSet's */
	if (s != NULL && !s->have_hash &&
	    (ls = lscache_peek(io->keyid, key, now)) != NULL &&
	    memcmp(ls->enc_pub, s->rs->peer_pub, 32) == 0) {
		memcpy(s->peer_hash, key, 32);
		s->have_hash = 1;
	}
	io->pump = 1;
}

/* an ACK block: is the ES that carried our LeaseSet among them? */
static void
acks_in(struct destio *io, struct dsess *s, const struct gblk *b)
{
	struct gblk_ack	 a;
	size_t		 i;

	for (i = 0; s->ls_ack_wait && i < b->u.nacks; i++) {
		if (gblk_ack_get(b, i, &a) == -1)
			return;
		if (a.tagset_id == s->ls_ack_tagset && a.n == s->ls_ack_n) {
			s->ls_ack_wait = 0;
			io->st.ls_acked++;
		}
	}
}

static void
payload_in(struct destio *io, struct dsess *s, const uint8_t *p, size_t len,
    time_t now)
{
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why;
	int			 r;

	if (s != NULL)
		s->received++;
	/* a payload with a malformed block is refused whole */
	gblk_iter_init(&it, p, len);
	while ((r = gblk_next(&it, &b, &why)) == 1)
		;
	if (r == -1) {
		log_debug("destination %08x: garlic payload: %s", io->keyid,
		    why);
		io->st.dropped_garlic++;
		return;
	}
	gblk_iter_init(&it, p, len);
	while (gblk_next(&it, &b, &why) == 1) {
		if (b.type == GBLK_ACK && s != NULL)
			acks_in(io, s, &b);
		if (b.type != GBLK_CLOVE)
			continue;
		if ((b.u.clove.delivery != GBLK_LOCAL &&
		    b.u.clove.delivery != GBLK_DESTINATION) ||
		    (b.u.clove.delivery == GBLK_DESTINATION &&
		    memcmp(b.u.clove.hash, io->ident.hash, 32) != 0)) {
			io->st.dropped_in++;
			continue;
		}
		switch (b.u.clove.hdr.type) {
		case I2NP_DATA:
			data_in(io, s, b.u.clove.msg, b.u.clove.msglen);
			break;
		case I2NP_DATABASE_STORE:
			store_in(io, s, b.u.clove.msg, b.u.clove.msglen, now);
			break;
		case I2NP_DELIVERY_STATUS:
			break;
		default:
			io->st.dropped_in++;
		}
	}
}

static void	open_tagged(struct destio *, struct dsess *, const uint8_t *,
		    size_t, time_t);

static void	nsr_answer(const struct kreq_cookie *, int, const uint8_t *);

/* DH(our static, pub) if a reply with that key opened before */
static const uint8_t *
nsr_dh_known(const struct dsess *s, const uint8_t pub[32])
{
	size_t	i;

	for (i = 0; i < s->nnsr_dh && i < RATCHET_NS_MAX; i++)
		if (memcmp(s->nsr_dh[i].pub, pub, 32) == 0)
			return s->nsr_dh[i].dh;
	return NULL;
}

/* cryptod is asked for the first waiting reply's DH, if not already */
static void
nsr_ask(struct destio *io, struct dsess *s, time_t now)
{
	struct kreq_cookie	 c;

	if (s->nsr_asked || s->nnsr_wait == 0)
		return;
	memset(&c, 0, sizeof(c));
	c.keyid = io->keyid;
	c.kind = K_NSR;
	c.id = s->id;
	if (kreq_dh(&c, s->nsr_wait[0].pub, nsr_answer, now) == -1) {
		while (s->nnsr_wait > 0) {
			free(s->nsr_wait[--s->nnsr_wait].msg);
			io->st.dropped_garlic++;
		}
		return;
	}
	s->nsr_asked = 1;
}

/*
 * A reply to one of our New Sessions whose DH is not known yet: it
 * waits for it (several replies may come at once, to several of them,
 * before cryptod has answered the first)
 */
static void
nsr_wait(struct destio *io, struct dsess *s, const uint8_t *msg, size_t len,
    const uint8_t pub[32], time_t now)
{
	struct nsrwait	*w;

	if (s->nnsr_wait == DESTIO_NSR_WAIT) {
		log_debug("destination %08x: too many New Session Replies "
		    "waiting", io->keyid);
		io->st.dropped_garlic++;
		return;
	}
	w = &s->nsr_wait[s->nnsr_wait];
	if ((w->msg = malloc(len)) == NULL)
		fatal(NULL);
	memcpy(w->msg, msg, len);
	w->len = len;
	memcpy(w->pub, pub, 32);
	s->nnsr_wait++;
	nsr_ask(io, s, now);
}

/* the DH for the first waiting reply: every reply with that key opens */
static void
nsr_answer(const struct kreq_cookie *c, int ok, const uint8_t *dh)
{
	struct destio	*io;
	struct dsess	*s;
	struct nsrwait	 w;
	time_t		 now = time(NULL);
	uint8_t		 pub[32];
	size_t		 i;

	if ((io = io_find(c->keyid)) == NULL ||
	    (s = sess_by_id(io, c->id)) == NULL || s->nnsr_wait == 0)
		return;
	s->nsr_asked = 0;
	if (ok) {
		i = s->nnsr_dh++ % RATCHET_NS_MAX;
		memcpy(s->nsr_dh[i].pub, s->nsr_wait[0].pub, 32);
		memcpy(s->nsr_dh[i].dh, dh, 32);
	}
	/* refused: the replies with that key go; the others wait on */
	if (!ok)
		memcpy(pub, s->nsr_wait[0].pub, 32);
	i = 0;
	while (i < s->nnsr_wait) {
		if (ok ? nsr_dh_known(s, s->nsr_wait[i].pub) == NULL :
		    memcmp(s->nsr_wait[i].pub, pub, 32) != 0) {
			i++;
			continue;
		}
		w = s->nsr_wait[i];
		memmove(&s->nsr_wait[i], &s->nsr_wait[i + 1],
		    (s->nnsr_wait - i - 1) * sizeof(w));
		s->nnsr_wait--;
		if (ok)
			open_tagged(io, s, w.msg, w.len, now);
		else
			io->st.dropped_garlic++;
		free(w.msg);
		/* open_tagged may have ended the session */
		if ((s = sess_by_id(io, c->id)) == NULL)
			break;
	}
	if (s != NULL)
		nsr_ask(io, s, now);
	if (io->pump)
		pump(io, now);
}

static void
open_tagged(struct destio *io, struct dsess *s, const uint8_t *msg,
    size_t len, time_t now)
{
	static uint8_t		 pbuf[I2NP_MAX_PAYLOAD];
	struct ratchet_rx	 rx;
	struct wbuf		 payload;
	const uint8_t		*dh;
	int			 r;

	wbuf_init_fixed(&payload, pbuf, sizeof(pbuf));
	r = ratchet_open(s->rs, msg, len, NULL, &payload, &rx, now);
	if (r == RATCHET_NEED_DH) {
		/* i2pd answers one NS with one key: the DH may be known */
		if ((dh = nsr_dh_known(s, rx.dh_pub)) == NULL) {
			nsr_wait(io, s, msg, len, rx.dh_pub, now);
			return;
		}
		wbuf_init_fixed(&payload, pbuf, sizeof(pbuf));
		r = ratchet_open(s->rs, msg, len, dh, &payload, &rx, now);
	}
	if (r != 0) {
		log_debug("destination %08x: garlic under a known tag does "
		    "not open (%u bytes)", io->keyid, (unsigned)len);
		io->st.dropped_garlic++;
		return;
	}
	if (rx.kind == RATCHET_MSG_NSR)
		io->st.nsr_received++;
	else
		io->st.es_received++;
	payload_in(io, s, wbuf_data(&payload), wbuf_len(&payload), now);
	if (rx.terminated)
		sess_free(io, s);
	io->pump = 1;
}

static struct nsopen *
nsopen_by_id(struct destio *io, uint64_t id)
{
	struct nsopen	*o;

	TAILQ_FOREACH(o, &io->opening, entry)
		if (o->id == id)
			return o;
	return NULL;
}

/* the New Session's payload: a session for a bound one */
static void
ns_finish(struct destio *io, struct nsopen *o, const uint8_t *dh, time_t now)
{
	static uint8_t		 pbuf[I2NP_MAX_PAYLOAD];
	struct ratchet_session	*rs;
	struct dsess		*s = NULL;
	struct wbuf		 payload;

	wbuf_init_fixed(&payload, pbuf, sizeof(pbuf));
	if (ratchet_ns_finish(&o->in, o->msg, o->len, dh, &io->replay,
	    &payload, now) == -1) {
		io->st.dropped_garlic++;
		nsopen_free(io, o);
		return;
	}
	io->st.ns_received++;
	if (dh != NULL) {
		/*
		 * Alice sends New Session after New Session until a reply
		 * comes, each with a new key; which of them she goes on
		 * with is hers to say, by the first Existing Session
		 * message.
		 */
		limit_unanswered(io, o->in.apk);
		if (!sess_room(io) ||
		    (rs = ratchet_in_new(&o->in, tag_cb, io, now)) == NULL) {
			io->st.dropped_garlic++;
			nsopen_free(io, o);
			return;
		}
		s = sess_add(io, rs);
	}
	nsopen_free(io, o);
	payload_in(io, s, wbuf_data(&payload), wbuf_len(&payload), now);
	if (io->pump)
		pump(io, now);
}

static void
ns_answer(const struct kreq_cookie *c, int ok, const uint8_t *dh)
{
	struct destio		*io;
	struct nsopen		*o;
	struct kreq_cookie	 next;
	uint8_t			 apk[32];
	time_t			 now = time(NULL);
	int			 r;

	if ((io = io_find(c->keyid)) == NULL ||
	    (o = nsopen_by_id(io, c->id)) == NULL)
		return;
	if (!ok) {
		nsopen_free(io, o);
		return;
	}
	if (c->kind == K_NS2) {
		ns_finish(io, o, dh, now);
		return;
	}
	r = ratchet_ns_static(&o->in, o->msg, o->len, dh, apk);
	if (r == 0) {
		ns_finish(io, o, NULL, now);	/* unbound: no session */
		return;
	}
	next = *c;
	next.kind = K_NS2;
	if (r == -1 || kreq_dh(&next, apk, ns_answer, now) == -1) {
		io->st.dropped_garlic++;
		nsopen_free(io, o);
	}
}

/* a message no session expects: a New Session, or nothing */
static void
open_new(struct destio *io, const uint8_t *msg, size_t len, time_t now)
{
	struct nsopen		*o;
	struct kreq_cookie	 c;
	uint8_t			 aepk[32];

	if (io->ns_sec != now) {
		io->ns_sec = now;
		io->ns_this_sec = 0;
	}
	if (io->nopening >= DESTIO_NS_OPENING ||
	    io->ns_this_sec >= DESTIO_NS_PER_SEC) {
		log_debug("destination %08x: a New Session over the limits",
		    io->keyid);
		io->st.dropped_garlic++;
		return;
	}
	/*
	 * The same New Session again while the first is being opened (i2pd
	 * sends its NS again with the same key): the replay filter learns
	 * the key only when an open completes, and two sessions with one
	 * key would send the peer each tag twice.
	 */
	TAILQ_FOREACH(o, &io->opening, entry)
		if (len >= 32 && o->len >= 32 && memcmp(o->msg, msg, 32) == 0) {
			log_debug("destination %08x: a New Session again while "
			    "it is opened", io->keyid);
			io->st.dropped_garlic++;
			return;
		}
	if ((o = calloc(1, sizeof(*o))) == NULL ||
	    (o->msg = malloc(len)) == NULL)
		fatal(NULL);
	o->id = io->next_id++;
	memcpy(o->msg, msg, len);
	o->len = len;
	TAILQ_INSERT_TAIL(&io->opening, o, entry);
	io->nopening++;
	if (ratchet_ns_begin(&o->in, io->enc_pub, msg, len, &io->replay, now,
	    aepk) == -1) {
		log_debug("destination %08x: garlic under an unknown tag, not "
		    "a New Session (%u bytes)", io->keyid, (unsigned)len);
		io->st.dropped_garlic++;
		nsopen_free(io, o);
		return;
	}
	/* only what passed the cheap checks costs a cryptod DH */
	io->ns_this_sec++;
	memset(&c, 0, sizeof(c));
	c.keyid = io->keyid;
	c.kind = K_NS1;
	c.id = o->id;
	if (kreq_dh(&c, aepk, ns_answer, now) == -1) {
		io->st.dropped_garlic++;
		nsopen_free(io, o);
	}
}

void
destio_recv(struct destio *io, const struct client_in *in, time_t now)
{
	struct i2np_hdr		 h;
	struct rbuf		 r;
	struct i2p_err		 err;
	struct dtag		 key, *t;
	struct dsess		*s;
	const uint8_t		*msg;
	uint32_t		 len;

	if (i2np_msg_parse_short(&h, &r, in->msg, in->len, &err) == -1 ||
	    h.type != I2NP_GARLIC) {
		io->st.dropped_in++;
		return;
	}
	if (rbuf_get_u32(&r, &len) == -1 || len != rbuf_left(&r) ||
	    len < RATCHET_ES_OVERHEAD || rbuf_get_ptr(&r, &msg, len) == -1) {
		io->st.dropped_garlic++;
		return;
	}
	memcpy(key.tag, msg, RATCHET_TAG_LEN);
	if ((t = RB_FIND(dtag_tree, &io->tags, &key)) != NULL &&
	    (s = sess_by_rs(io, t->rs)) != NULL)
		open_tagged(io, s, msg, len, now);
	else
		open_new(io, msg, len, now);
	if (io->pump)
		pump(io, now);
}

void
destio_tick(struct destio *io, time_t now)
{
	const struct lsremote	*ls;
	struct dsess		*s, *sn;
	struct outmsg		*m, *mn;

	TAILQ_FOREACH_SAFE(s, &io->sessions, entry, sn) {
		if (ratchet_expire(s->rs, now)) {
			sess_free(io, s);
			continue;
		}
		/* no ACK for our LeaseSet: bundle it with the next one */
		if (s->ls_ack_wait && now - s->ls_sent_at >= DESTIO_LS_ACK_WAIT) {
			s->ls_ack_wait = 0;
			s->ls_sent = 0;
			io->st.ls_ack_timeouts++;
		}
		/* ACKs and NextKeys ride on messages: send one */
		if (ratchet_owes(s->rs) && s->have_hash && !s->abandoned &&
		    (s->rs->state == RATCHET_ESTABLISHED || sess_current(io, s)) &&
		    (ls = lscache_peek(io->keyid, s->peer_hash, now)) != NULL)
			send_garlic(io, s, ls, NULL, 0, now);
	}
	TAILQ_FOREACH_SAFE(m, &io->outq, entry, mn)
		if (now - m->queued >= DESTIO_OUTQ_WAIT) {
			io->st.dropped_out++;
			outmsg_free(io, m);
		}
	pump(io, now);
}

void
destio_stats(const struct destio *io, struct destio_stats *out)
{
	*out = io->st;
	out->sessions = (uint32_t)io->nsessions;
	out->queued = (uint32_t)io->noutq;
}

size_t
destio_sessions(const struct destio *io,
    void (*row)(const struct destio_session_info *, void *), void *arg)
{
	struct destio_session_info	 si;
	struct dsess			*s;
	size_t				 n = 0;

	TAILQ_FOREACH(s, &io->sessions, entry) {
		memset(&si, 0, sizeof(si));
		if (s->have_hash)
			memcpy(si.peer, s->peer_hash, 32);
		si.outbound = s->rs->outbound;
		si.state = s->rs->state;
		si.created = s->rs->created;
		si.sent = s->sent;
		si.received = s->received;
		if (s->rs->keyed && s->rs->send.next <= RATCHET_TAGSET_END)
			si.tags_left = RATCHET_TAGSET_END - s->rs->send.next;
		si.ratchets_out = s->rs->ratchets_send;
		si.ratchets_in = s->rs->ratchets_recv;
		row(&si, arg);
		n++;
	}
	return n;
}

/*
 * The same packet unanswered through DESTIO_RESTART_RESENDS resends
 * while the peer still talks to us may mean our messages are
 * undecryptable to it, not lost: a run of losses longer than its tag
 * look-ahead (160 for us, 320 for i2pd) leaves it without the tags of
 * everything we send after, for as long as the session lives (i2pd
 * restarts one only after 90 s of silence).  So an established session
 * is given up for sending, unless it is younger than
 * DESTIO_RESTART_AGE; the next message opens a new one, a New Session
 * the peer reads with its static key.  The old one still takes what
 * the peer sends in it.  A session not yet established sends New
 * Sessions (or their replies), which need no tags: kept.
 */
static void
sess_abandon(struct destio *io, struct dsess *s, time_t now)
{
	if (s->abandoned || s->rs->state != RATCHET_ESTABLISHED ||
	    now - s->rs->created < DESTIO_RESTART_AGE)
		return;
	s->abandoned = 1;
	io->st.restarts++;
}

void
destio_reroute(struct destio *io, const uint8_t remote[32],
    unsigned resends, time_t now)
{
	struct dsess	*s;

	TAILQ_FOREACH(s, &io->sessions, entry) {
		if (!s->have_hash || memcmp(s->peer_hash, remote, 32) != 0)
			continue;
		if (resends >= DESTIO_RESTART_RESENDS)
			sess_abandon(io, s, now);
		/* not these again while there are others */
		s->avoid_serial = s->out_serial;
		s->avoid_tid = s->lease_tid;
		memcpy(s->avoid_gw, s->lease_gw, 32);
		s->out_serial = 0;
		s->lease_tid = 0;
		memset(s->lease_gw, 0, sizeof(s->lease_gw));
		io->st.reroutes++;
	}
}

void
destio_goodbye(struct destio *io, time_t now)
{
	const struct lsremote	*ls;
	struct dsess		*s;

	if (io == NULL)
		return;
	TAILQ_FOREACH(s, &io->sessions, entry)
		if (s->rs->state == RATCHET_ESTABLISHED && s->have_hash &&
		    ratchet_next_kind(s->rs) == RATCHET_MSG_ES &&
		    (ls = lscache_peek(io->keyid, s->peer_hash, now)) != NULL &&
		    send_garlic(io, s, ls, NULL, 1, now) == 1)
			io->st.terminations_sent++;
}

void
destio_run_pending(time_t now)
{
	struct destio	*io;

	TAILQ_FOREACH(io, &all, entry)
		if (io->pump)
			pump(io, now);
}
