/*
 * A client's LeaseSet work at floodfills (SPECMAP sections 4 and 11; i2np.rst
 * "DatabaseStore", "DatabaseLookup"), always through the client's own
 * tunnels and garlic-wrapped (Noise N) to each floodfill's router key,
 * never through the router's tunnels or straight over a session: the
 * floodfill and the hops must not tie the destination to this router.
 *
 * Publishing (IMSG_LS_PUBLISH).  The newest LeaseSet of each client is
 * kept.  It goes to the floodfill closest to its routing key in a
 * DatabaseStore with a reply token and a reply tunnel (one of the
 * client's inbound tunnels); the floodfill's DeliveryStatus comes back
 * through that tunnel.  No ack within CDB_STORE_WAIT: the next closest,
 * CDB_STORE_TRIES in a round, then LS_FAILED and a new round after
 * CDB_STORE_RETRY; an ack from a floodfill of the round that came late
 * still counts.  10-20 s after an ack (i2pd 10 s, Java about 20 s)
 * a lookup at a different close floodfill verifies it: found, as new as
 * ours, LS_VERIFIED; otherwise it is stored again at another floodfill.
 * Floodfills that let a store or a lookup time out are skipped for
 * CDB_FAILED_TIME.
 *
 * Lookups (IMSG_LS_LOOKUP), iterative as i2pd's: CDB_LOOKUP_FLY
 * floodfills asked at once, closest first, CDB_LOOKUP_TRY each,
 * CDB_LOOKUP_ASK and CDB_LOOKUP_TIME in all.  Each asks for an ECIES
 * reply down one of the client's inbound tunnels under a fresh key and
 * tag, kept here with the client: such a reply opened for another
 * client or for the router would link them (audit #3).  The reply holds
 * a DatabaseStore (the LeaseSet, checked as lsdb_store checks one) or a
 * DatabaseSearchReply, whose floodfills we know become candidates.
 * Requests of one client for one key share a lookup.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "client.h"
#include "dsm.h"
#include "garlic.h"
#include "kad.h"
#include "lookup.h"
#include "tmsg.h"

#define TAG_LEN			8
#define MSG_LIFE		10000	/* ms: a store's or lookup's expiration */

enum pub_state {
	PUB_STORING = 1,	/* token out, or waiting for a tunnel */
	PUB_STORED,		/* acked: verification due */
	PUB_VERIFYING,
	PUB_VERIFIED,
	PUB_FAILED		/* a new round due */
};

/* a lookup waiting at one floodfill */
struct fly {
	uint8_t		 ff[32];
	uint8_t		 tag[TAG_LEN];
	uint8_t		 key[32];
	uint64_t	 sent;		/* 0: free */
};

struct pub;
struct lookup {
	TAILQ_ENTRY(lookup)	 entry;
	uint32_t		 client;
	uint8_t			 key[32];
	struct pub		*verify;	/* a verification, not tunneld's */
	uint32_t		 reqids[CDB_WAITERS];
	int			 nreq;
	int			 max_ask;
	uint8_t			 asked[CDB_LOOKUP_ASK][32];
	int			 nasked;
	struct kad_near		 near[CDB_CANDIDATES];
	struct kad_closest	 cand;
	struct fly		 fly[CDB_LOOKUP_FLY];
	uint64_t		 started;
};
TAILQ_HEAD(lookup_list, lookup);

struct pub {
	TAILQ_ENTRY(pub)	 entry;
	uint32_t		 client;
	uint8_t			 key[32];
	uint8_t			 ls[LS_MAX];
	size_t			 len;
	uint32_t		 published;
	enum pub_state		 state;
	uint32_t		 token;		/* 0: none out */
	uint8_t			 tried[CDB_STORE_TRIES + 1][32];
	uint32_t		 tokens[CDB_STORE_TRIES + 1];	/* theirs */
	int			 ntried, nstores;
	uint8_t			 at[32];	/* the floodfill of the store */
	uint64_t		 due;		/* ack, verification, retry */
	struct lookup		*verify;
};
TAILQ_HEAD(pub_list, pub);

struct failed_ff {
	uint8_t		 hash[32];
	uint64_t	 when;		/* 0: free */
};

/* what a lookup reply held */
struct reply_ctx {
	struct lookup	*l;
	uint64_t	 now;
	uint8_t		 type;		/* 0: no LeaseSet */
	uint8_t		 ls[LS_MAX];
	size_t		 len;
	uint64_t	 version;
};

static const struct clientdb_ops real_ops;
/* tunneld may send before the first configuration starts the timer */
static const struct clientdb_ops *ops = &real_ops;
static struct lookup_list	 lookups = TAILQ_HEAD_INITIALIZER(lookups);
static struct pub_list		 pubs = TAILQ_HEAD_INITIALIZER(pubs);
static int			 nlookups;
static struct failed_ff		 failed[CDB_FAILED_MAX];
static size_t			 failed_next;
static struct event		 ev_tick;
static int			 ticking;

static void	lookup_step(struct lookup *, uint64_t);
static void	pub_verified(struct pub *, int, uint64_t, const uint8_t *,
		    uint64_t);

static struct client_stats *
counters(uint32_t client)
{
	static struct client_stats	 scratch;
	struct client_stats		*c;

	/* a client closed meanwhile counts nowhere */
	if ((c = tunnels_client_counters(client)) == NULL)
		c = &scratch;
	return c;
}

static void
ff_failed(const uint8_t hash[32], uint64_t now)
{
	memcpy(failed[failed_next].hash, hash, 32);
	failed[failed_next].when = now;
	failed_next = (failed_next + 1) % CDB_FAILED_MAX;
}

static int
ff_failed_lately(const uint8_t hash[32], uint64_t now)
{
	size_t	i;

	for (i = 0; i < CDB_FAILED_MAX; i++)
		if (failed[i].when != 0 &&
		    now - failed[i].when < CDB_FAILED_TIME &&
		    memcmp(failed[i].hash, hash, 32) == 0)
			return 1;
	return 0;
}

static int
in_list(const uint8_t (*list)[32], int n, const uint8_t hash[32])
{
	int	i;

	for (i = 0; i < n; i++)
		if (memcmp(list[i], hash, 32) == 0)
			return 1;
	return 0;
}

/* the floodfills left out of a choice: a list, and those failing */
struct skip_arg {
	const uint8_t	(*list)[32];
	int		  n;
	uint64_t	  now;
	int		  failed_ok;	/* none else: those that failed too */
};

static int
skip_ff(const uint8_t hash[32], void *arg)
{
	struct skip_arg	*s = arg;

	return in_list(s->list, s->n, hash) ||
	    (!s->failed_ok && ff_failed_lately(hash, s->now));
}

/*
 * The n floodfills closest to key not skipped.  Those that failed
 * lately come only when there is no other: in a young or small network
 * every floodfill may have let a first store time out (its own tunnels
 * not built yet), and a destination must still publish.
 */
static size_t
closest_ff(const uint8_t key[32], struct skip_arg *s, struct kad_near *near,
    size_t n)
{
	size_t	got;

	s->failed_ok = 0;
	if ((got = ops->closest(key, skip_ff, s, near, n)) > 0)
		return got;
	s->failed_ok = 1;
	return ops->closest(key, skip_ff, s, near, n);
}

static uint32_t
random_nonzero(void)
{
	uint32_t	v;

	while ((v = crypto_random_id()) == 0)
		;
	return v;
}

static void
send_status(const struct pub *p, uint8_t state, const uint8_t ff[32])
{
	struct ls_status	s;

	memset(&s, 0, sizeof(s));
	s.client = p->client;
	s.published = p->published;
	s.state = state;
	if (ff != NULL)
		memcpy(s.floodfill, ff, 32);
	ops->status(&s);
}

/* the LeaseSet in a DatabaseStore with our token, out to ff */
static int
pub_send(struct pub *p, const uint8_t ff[32], uint64_t now)
{
	uint8_t		 buf[DSM_RI_MAX + 128], gw[32];
	struct i2np_hdr	 h;
	struct wbuf	 w;
	uint32_t	 tid;

	if (ops->reply_path(p->client, gw, &tid) == -1)
		return -1;
	p->token = random_nonzero();
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsm_build_ls(&w, p->key, DSM_TYPE_LS2, p->ls, p->len, p->token,
	    tid, gw) == -1)
		return -1;
	memset(&h, 0, sizeof(h));
	h.type = I2NP_DATABASE_STORE;
	h.msg_id = crypto_random_id();
	h.expiration = now + MSG_LIFE;
	return ops->send(p->client, ff, &h, buf, wbuf_len(&w));
}

static void
pub_fail(struct pub *p, uint64_t now)
{
	p->state = PUB_FAILED;
	p->token = 0;
	p->due = now + CDB_STORE_RETRY;
	send_status(p, LS_FAILED, NULL);
}

/* the next closest floodfill not tried: a store, or LS_FAILED */
static void
pub_store_next(struct pub *p, uint64_t now)
{
	struct kad_near	 near[1];
	struct skip_arg	 s = { p->tried, p->ntried, now, 0 };
	uint8_t		 gw[32];
	uint32_t	 tid;

	p->state = PUB_STORING;
	p->token = 0;
	/* no inbound tunnel yet: no netDb scan, again at the next tick */
	if (ops->reply_path(p->client, gw, &tid) == -1) {
		p->due = now + 1000;
		return;
	}
	if (p->nstores >= CDB_STORE_TRIES ||
	    closest_ff(p->key, &s, near, 1) == 0) {
		pub_fail(p, now);
		return;
	}
	if (pub_send(p, near[0].hash, now) == -1) {
		/* no tunnel yet: the same floodfill at the next tick */
		p->token = 0;
		p->due = now + 1000;
		return;
	}
	p->tokens[p->ntried] = p->token;
	memcpy(p->tried[p->ntried++], near[0].hash, 32);
	memcpy(p->at, near[0].hash, 32);
	p->nstores++;
	p->due = now + CDB_STORE_WAIT;
	counters(p->client)->stores++;
}

static struct pub *
pub_find(uint32_t client)
{
	struct pub	*p;

	TAILQ_FOREACH(p, &pubs, entry)
		if (p->client == client)
			return p;
	return NULL;
}

static void	lookup_free(struct lookup *);

static void
pub_round(struct pub *p, uint64_t now)
{
	p->ntried = p->nstores = 0;
	pub_store_next(p, now);
}

static int
pub_check(const struct ls_publish *lp, const uint8_t *ls, size_t len,
    uint64_t now, const char **why)
{
	const uint8_t	*dest;
	uint64_t	 version;

	*why = "unknown client";
	if ((dest = tunnels_client_dest(lp->client)) == NULL)
		return -1;
	/* another destination's through these tunnels would link the two */
	*why = "not the client's destination";
	if (memcmp(dest, lp->key, 32) != 0)
		return -1;
	*why = "not a LeaseSet2";
	if (lp->type != DSM_TYPE_LS2)
		return -1;
	*why = "larger than a DatabaseStore takes";
	if (len > DSM_RI_MAX)
		return -1;
	if (lsdb_check(lp->type, lp->key, ls, len, now / 1000, &version,
	    why) == -1)
		return -1;
	*why = "published time differs from the LeaseSet's";
	if (version / 1000 != lp->published)
		return -1;
	return 0;
}

int
clientdb_publish(const struct ls_publish *lp, const uint8_t *ls, size_t len,
    uint64_t now, const char **why)
{
	struct pub	*p;

	if (pub_check(lp, ls, len, now, why) == -1)
		return -1;
	if ((p = pub_find(lp->client)) != NULL && p->published >=
	    lp->published) {
		*why = "not newer than the one held";
		return -1;
	}
	if (p == NULL) {
		if ((p = calloc(1, sizeof(*p))) == NULL)
			fatal(NULL);
		p->client = lp->client;
		TAILQ_INSERT_TAIL(&pubs, p, entry);
	}
	if (p->verify != NULL)
		lookup_free(p->verify);
	p->verify = NULL;
	memcpy(p->key, lp->key, 32);
	memcpy(p->ls, ls, len);
	p->len = len;
	p->published = lp->published;
	pub_round(p, now);
	return 0;
}

int
clientdb_status(uint32_t client, const uint8_t *payload, size_t len,
    uint64_t now)
{
	struct pub	*p;
	struct rbuf	 r;
	uint32_t	 id;
	int		 i;

	rbuf_init(&r, payload, len);
	if (rbuf_get_u32(&r, &id) == -1 || id == 0 ||
	    (p = pub_find(client)) == NULL ||
	    (p->state != PUB_STORING && p->state != PUB_FAILED))
		return 0;
	/* a floodfill of this round, the last asked or one that was late */
	for (i = 0; i < p->ntried && p->tokens[i] != id; i++)
		;
	if (i == p->ntried)
		return 0;
	memcpy(p->at, p->tried[i], 32);
	p->token = 0;
	p->state = PUB_STORED;
	p->due = now + CDB_VERIFY_MIN + crypto_random_below(CDB_VERIFY_SPREAD);
	counters(client)->store_acks++;
	send_status(p, LS_STORED, p->at);
	return 1;
}

static struct lookup *lookup_new(uint32_t, const uint8_t [32], int,
		    const uint8_t *, uint64_t);

/* a lookup of our LeaseSet at another floodfill than the store's */
static void
pub_verify(struct pub *p, uint64_t now)
{
	p->state = PUB_VERIFYING;
	if ((p->verify = lookup_new(p->client, p->key, CDB_VERIFY_ASK, p->at,
	    now)) == NULL) {
		pub_round(p, now);
		return;
	}
	p->verify->verify = p;
	lookup_step(p->verify, now);
}

static void
pub_verified(struct pub *p, int found, uint64_t version, const uint8_t *ff,
    uint64_t now)
{
	p->verify = NULL;
	if (found && version / 1000 >= p->published) {
		counters(p->client)->verify_ok++;
		p->state = PUB_VERIFIED;
		p->due = 0;
		send_status(p, LS_VERIFIED, ff);
		return;
	}
	counters(p->client)->verify_failed++;
	/* again, elsewhere: the floodfill that took it is out */
	memcpy(p->tried[0], p->at, 32);
	p->tokens[0] = 0;	/* its ack came: no second one counts */
	p->ntried = 1;
	p->nstores = 0;
	pub_store_next(p, now);
}

static void
pub_tick(struct pub *p, uint64_t now)
{
	if (p->due == 0 || now < p->due)
		return;
	p->due = 0;
	switch (p->state) {
	case PUB_STORING:
		if (p->token != 0) {
			ff_failed(p->at, now);
			log_debug("client %u: no store ack in time", p->client);
		}
		pub_store_next(p, now);
		break;
	case PUB_STORED:
		pub_verify(p, now);
		break;
	case PUB_FAILED:
		pub_round(p, now);
		break;
	default:
		break;
	}
}

static void
pub_free(struct pub *p)
{
	if (p->verify != NULL)
		lookup_free(p->verify);
	TAILQ_REMOVE(&pubs, p, entry);
	free(p);
}

/* lookups */

static void
lookup_free(struct lookup *l)
{
	TAILQ_REMOVE(&lookups, l, entry);
	nlookups--;
	crypto_wipe(l, sizeof(*l));
	free(l);
}

static int
client_lookups(uint32_t client)
{
	struct lookup	*l;
	int		 n = 0;

	TAILQ_FOREACH(l, &lookups, entry)
		if (l->client == client && l->verify == NULL)
			n++;
	return n;
}

/* the floodfills closest to key as candidates, not skip, or NULL */
static struct lookup *
lookup_new(uint32_t client, const uint8_t key[32], int max_ask,
    const uint8_t *skip, uint64_t now)
{
	struct kad_near	 near[CDB_CANDIDATES];
	struct skip_arg	 s = { (const uint8_t (*)[32])skip, skip != NULL, now,
			    0 };
	struct lookup	*l;
	uint8_t		 target[32];
	size_t		 i, n;

	if (nlookups >= CDB_LOOKUPS_MAX ||
	    kad_routing_key(target, key, kad_day(now / 1000)) == -1)
		return NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal(NULL);
	l->client = client;
	memcpy(l->key, key, 32);
	l->max_ask = max_ask;
	l->started = now;
	kad_closest_init(&l->cand, target, l->near, CDB_CANDIDATES);
	n = closest_ff(key, &s, near, CDB_CANDIDATES);
	for (i = 0; i < n; i++)
		kad_closest_offer(&l->cand, near[i].rkey, near[i].hash);
	TAILQ_INSERT_TAIL(&lookups, l, entry);
	nlookups++;
	return l;
}

static int
in_flight(const struct lookup *l, const uint8_t hash[32])
{
	int	i;

	for (i = 0; i < CDB_LOOKUP_FLY; i++)
		if (l->fly[i].sent != 0 && memcmp(l->fly[i].ff, hash, 32) == 0)
			return 1;
	return 0;
}

/* the closest candidate not asked and not failing, or NULL */
static const uint8_t *
lookup_next_ff(const struct lookup *l, uint64_t now)
{
	size_t	i;
	int	pass;

	/*
	 * Floodfills that failed lately come last, not never: in a small
	 * network the one that let the first store time out (its tunnels
	 * not built yet) may be the only other one there is.
	 */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < l->cand.n; i++)
			if (!in_list(l->asked, l->nasked, l->near[i].hash) &&
			    !in_flight(l, l->near[i].hash) &&
			    (pass == 1 ||
			    !ff_failed_lately(l->near[i].hash, now)))
				return l->near[i].hash;
	return NULL;
}

/* a DatabaseLookup for an ECIES reply down a tunnel of the client's */
static int
lookup_send(struct lookup *l, struct fly *f, const uint8_t ff[32],
    uint64_t now)
{
	struct dblookup	 d;
	struct i2np_hdr	 h;
	struct wbuf	 w;
	uint8_t		 buf[160];
	int		 rv = -1;

	memset(&d, 0, sizeof(d));
	memcpy(d.key, l->key, 32);
	if (ops->reply_path(l->client, d.from, &d.reply_tunnel) == -1)
		return -1;
	d.flags = DBL_TYPE_LS | DBL_F_TUNNEL | DBL_F_ECIES;
	d.reply = DBL_REPLY_AEAD;
	crypto_random_fill(d.reply_key, sizeof(d.reply_key));
	crypto_random_fill(d.reply_tag, TAG_LEN);
	memset(&h, 0, sizeof(h));
	h.type = I2NP_DATABASE_LOOKUP;
	h.msg_id = crypto_random_id();
	h.expiration = now + MSG_LIFE;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dbl_build(&w, &d) == 0 &&
	    ops->send(l->client, ff, &h, buf, wbuf_len(&w)) == 0) {
		memcpy(f->ff, ff, 32);
		memcpy(f->tag, d.reply_tag, TAG_LEN);
		memcpy(f->key, d.reply_key, 32);
		f->sent = now;
		memcpy(l->asked[l->nasked++], ff, 32);
		rv = 0;
	}
	crypto_wipe(&d, sizeof(d));
	crypto_wipe(buf, sizeof(buf));
	return rv;
}

/* the answer to everyone waiting; l is gone then */
static void
lookup_finish(struct lookup *l, const struct reply_ctx *rc, const uint8_t *ff,
    uint64_t now)
{
	struct ls_found	 f;
	int		 i;

	if (l->verify != NULL) {
		pub_verified(l->verify, rc != NULL && rc->type != 0,
		    rc == NULL ? 0 : rc->version, ff, now);
		lookup_free(l);
		return;
	}
	memset(&f, 0, sizeof(f));
	f.client = l->client;
	memcpy(f.key, l->key, 32);
	f.type = rc == NULL ? 0 : rc->type;
	f.floodfills = l->nasked;
	if (f.type != 0)
		counters(l->client)->found++;
	else
		counters(l->client)->not_found++;
	for (i = 0; i < l->nreq; i++) {
		f.reqid = l->reqids[i];
		ops->found(&f, f.type == 0 ? NULL : rc->ls,
		    f.type == 0 ? 0 : rc->len);
	}
	lookup_free(l);
}

static int
fly_busy(const struct lookup *l)
{
	int	i;

	for (i = 0; i < CDB_LOOKUP_FLY; i++)
		if (l->fly[i].sent != 0)
			return 1;
	return 0;
}

/* timeouts, then more floodfills asked, or the end */
static void
lookup_step(struct lookup *l, uint64_t now)
{
	const uint8_t	*ff;
	struct fly	*f;
	int		 i, stuck = 0;

	for (i = 0; i < CDB_LOOKUP_FLY; i++) {
		f = &l->fly[i];
		if (f->sent != 0 && now - f->sent >= CDB_LOOKUP_TRY) {
			ff_failed(f->ff, now);
			crypto_wipe(f, sizeof(*f));
		}
	}
	if (now - l->started >= CDB_LOOKUP_TIME) {
		lookup_finish(l, NULL, NULL, now);
		return;
	}
	for (i = 0; i < CDB_LOOKUP_FLY && !stuck; i++) {
		f = &l->fly[i];
		if (f->sent != 0 || l->nasked >= l->max_ask ||
		    (ff = lookup_next_ff(l, now)) == NULL)
			continue;
		/* no tunnel: try again at the next tick */
		stuck = lookup_send(l, f, ff, now) == -1;
	}
	if (!fly_busy(l) && !stuck)
		lookup_finish(l, NULL, NULL, now);
}

static struct lookup *
lookup_find(uint32_t client, const uint8_t key[32])
{
	struct lookup	*l;

	TAILQ_FOREACH(l, &lookups, entry)
		if (l->client == client && l->verify == NULL &&
		    memcmp(l->key, key, 32) == 0)
			return l;
	return NULL;
}

static void
not_found_now(const struct ls_lookup *req)
{
	struct ls_found	f;

	memset(&f, 0, sizeof(f));
	f.client = req->client;
	f.reqid = req->reqid;
	memcpy(f.key, req->key, 32);
	counters(req->client)->not_found++;
	ops->found(&f, NULL, 0);
}

void
clientdb_lookup(const struct ls_lookup *req, uint64_t now)
{
	struct lookup	*l;

	counters(req->client)->lookups++;
	if ((l = lookup_find(req->client, req->key)) != NULL) {
		if (l->nreq == CDB_WAITERS) {
			not_found_now(req);
			return;
		}
		l->reqids[l->nreq++] = req->reqid;
		return;
	}
	if (tunnels_client_counters(req->client) == NULL ||
	    client_lookups(req->client) >= CDB_LOOKUPS_CLIENT ||
	    (l = lookup_new(req->client, req->key, CDB_LOOKUP_ASK, NULL,
	    now)) == NULL) {
		not_found_now(req);
		return;
	}
	l->reqids[l->nreq++] = req->reqid;
	lookup_step(l, now);
}

static int
is_candidate(const struct lookup *l, const uint8_t hash[32])
{
	size_t	i;

	for (i = 0; i < l->cand.n; i++)
		if (memcmp(l->near[i].hash, hash, 32) == 0)
			return 1;
	return 0;
}

/* a DatabaseSearchReply's floodfills that we know become candidates */
static void
reply_dsrm(struct reply_ctx *rc, const uint8_t *p, size_t len)
{
	struct dsrm	 d;
	struct rbuf	 r;
	const char	*why;
	uint8_t		 hash[32], rkey[32];
	uint32_t	 day = kad_day(rc->now / 1000);

	if (dsrm_parse(&d, p, len, &why) == -1 ||
	    memcmp(d.key, rc->l->key, 32) != 0)
		return;
	rbuf_init(&r, d.peers, (size_t)d.npeers * 32);
	while (rbuf_get_bytes(&r, hash, 32) == 0)
		if (!is_candidate(rc->l, hash) && ops->is_floodfill(hash) &&
		    kad_routing_key(rkey, hash, day) == 0)
			kad_closest_offer(&rc->l->cand, rkey, hash);
}

/* a DatabaseStore: the LeaseSet, if it is the one asked for and sound */
static void
reply_dsm(struct reply_ctx *rc, const uint8_t *p, size_t len)
{
	struct dsm	*d;
	const char	*why = NULL;

	if ((d = malloc(sizeof(*d))) == NULL)
		fatal(NULL);
	if (dsm_parse(d, p, len, &why) == 0 && d->type != DSM_TYPE_RI &&
	    memcmp(d->key, rc->l->key, 32) == 0 && d->datalen <= LS_MAX &&
	    lsdb_check(d->type, d->key, d->data, d->datalen, rc->now / 1000,
	    &rc->version, &why) == 0) {
		rc->type = d->type;
		memcpy(rc->ls, d->data, d->datalen);
		rc->len = d->datalen;
	} else if (why != NULL)
		log_debug("client %u: LeaseSet in a lookup reply: %s",
		    rc->l->client, why);
	free(d);
}

static void
reply_clove(void *arg, const struct i2np_hdr *h, const uint8_t *p)
{
	struct reply_ctx	*rc = arg;

	if (rc->type != 0)
		return;
	if (h->type == I2NP_DATABASE_STORE)
		reply_dsm(rc, p, h->size);
	else if (h->type == I2NP_DATABASE_SEARCH_REPLY)
		reply_dsrm(rc, p, h->size);
}

/* the lookup of client with a floodfill waiting under tag, or NULL */
static struct lookup *
lookup_by_tag(uint32_t client, const uint8_t *tag, struct fly **fp)
{
	struct lookup	*l;
	int		 i;

	TAILQ_FOREACH(l, &lookups, entry)
		for (i = 0; i < CDB_LOOKUP_FLY && l->client == client; i++)
			if (l->fly[i].sent != 0 &&
			    crypto_memcmp(l->fly[i].tag, tag, TAG_LEN) == 0) {
				*fp = &l->fly[i];
				return l;
			}
	return NULL;
}

static void
reply_open(struct lookup *l, struct fly *f, const uint8_t *p, size_t len,
    uint64_t now)
{
	struct reply_ctx	*rc;
	uint8_t			*clear, ff[32];
	const char		*why;
	uint32_t		 dt;
	int			 n;

	if ((clear = malloc(len)) == NULL || (rc = calloc(1,
	    sizeof(*rc))) == NULL)
		fatal(NULL);
	n = garlic_open_key(p, len, f->key, clear, &why);
	memcpy(ff, f->ff, 32);
	/* the tag is used up; the floodfill answered either way */
	crypto_wipe(f, sizeof(*f));
	rc->l = l;
	rc->now = now;
	if (n < 0 || garlic_blocks(clear, n, reply_clove, rc, &dt, &why) == -1)
		log_debug("client %u: lookup reply dropped: %s", l->client,
		    why);
	if (rc->type != 0)
		lookup_finish(l, rc, ff, now);
	else
		lookup_step(l, now);
	crypto_wipe(clear, len);
	free(clear);
	free(rc);
}

int
clientdb_garlic(uint32_t client, const uint8_t *p, size_t len, uint64_t now)
{
	struct lookup	*l;
	struct fly	*f;
	const uint8_t	*tag;

	if ((tag = garlic_tag(p, len)) == NULL ||
	    (l = lookup_by_tag(client, tag, &f)) == NULL)
		return 0;
	reply_open(l, f, p, len, now);
	return 1;
}

void
clientdb_tick(uint64_t now)
{
	struct lookup	*l, *ln;
	struct pub	*p;

	TAILQ_FOREACH(p, &pubs, entry)
		pub_tick(p, now);
	for (l = TAILQ_FIRST(&lookups); l != NULL; l = ln) {
		ln = TAILQ_NEXT(l, entry);
		/* an ending lookup frees itself alone */
		lookup_step(l, now);
	}
}

void
clientdb_close(uint32_t client)
{
	struct lookup	*l, *ln;
	struct pub	*p;

	if ((p = pub_find(client)) != NULL)
		pub_free(p);
	for (l = TAILQ_FIRST(&lookups); l != NULL; l = ln) {
		ln = TAILQ_NEXT(l, entry);
		if (l->client == client)
			lookup_free(l);
	}
}

/* the real world: the netDb, the client's tunnels, tunneld */

static int
real_send(uint32_t client, const uint8_t ff[32], const struct i2np_hdr *h,
    const uint8_t *payload, size_t len)
{
	const struct ri_entry	*e;
	struct router_info	*ri;
	struct i2np_hdr		 gh;
	struct tdi		 dest;
	struct wbuf		 g;
	int			 rv = -1;

	if ((e = netdb_get(ff)) == NULL || (ri = malloc(sizeof(*ri))) == NULL)
		return -1;
	if (ri_parse(ri, e->raw, e->rawlen, NULL) == -1 ||
	    ri->ident.cryptotype != 4 ||
	    wbuf_init_dynamic(&g, len + 128, len + 128) == -1)
		goto out;
	memset(&gh, 0, sizeof(gh));
	gh.type = I2NP_GARLIC;
	gh.msg_id = crypto_random_id();
	gh.expiration = h->expiration;
	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_ROUTER;
	memcpy(dest.hash, ff, 32);
	if (garlic_wrap_router(&g, ri->ident.crypto_pub, time(NULL), h,
	    payload, len) == 0)
		rv = tunnels_client_send(client, 0, &dest, &gh, wbuf_data(&g),
		    wbuf_len(&g));
	wbuf_free(&g);
 out:
	free(ri);
	return rv;
}

static size_t
real_closest(const uint8_t key[32], int (*skip)(const uint8_t [32], void *),
    void *arg, struct kad_near *near, size_t max)
{
	return netdb_closest(key, NETDB_FF, skip, arg, near, max);
}

static int
real_is_floodfill(const uint8_t hash[32])
{
	const struct ri_entry	*e = netdb_get(hash);

	return e != NULL && e->floodfill;
}

static void
real_status(const struct ls_status *s)
{
	struct peer	*tunneld = peer_get(PROC_TUNNELD);

	if (tunneld != NULL)
		peer_compose(tunneld, IMSG_LS_STATUS, 0, -1, s, sizeof(*s));
}

static void
real_found(const struct ls_found *f, const uint8_t *ls, size_t len)
{
	struct peer	*tunneld = peer_get(PROC_TUNNELD);
	uint8_t		 buf[sizeof(*f) + LS_MAX];

	if (tunneld == NULL || len > LS_MAX)
		return;
	memcpy(buf, f, sizeof(*f));
	if (len > 0)
		memcpy(buf + sizeof(*f), ls, len);
	peer_compose(tunneld, IMSG_LS_FOUND, 0, -1, buf, sizeof(*f) + len);
}

static const struct clientdb_ops real_ops = {
	.send = real_send,
	.reply_path = tunnels_client_reply_path,
	.closest = real_closest,
	.is_floodfill = real_is_floodfill,
	.status = real_status,
	.found = real_found,
};

static uint64_t
wall_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
tick(int fd, short event, void *arg)
{
	struct timeval	tv = { 1, 0 };

	clientdb_tick(wall_ms());
	evtimer_add(&ev_tick, &tv);
}

void
clientdb_init(const struct clientdb_ops *o, int use_event)
{
	struct timeval	tv = { 1, 0 };

	ops = o != NULL ? o : &real_ops;
	if (use_event && !ticking) {
		ticking = 1;
		evtimer_set(&ev_tick, tick, NULL);
		evtimer_add(&ev_tick, &tv);
	}
}

/* the IMSG_LS_PUBLISH and LS_LOOKUP handlers, with the wall clock */
void
clientdb_imsg(struct imsg *imsg)
{
	struct ls_publish	 lp;
	struct ls_lookup	 req;
	struct ls_status	 s;
	const char		*why;

	if (imsg_get_type(imsg) == IMSG_LS_LOOKUP) {
		if (imsg_get_data(imsg, &req, sizeof(req)) == -1)
			fatalx("LS_LOOKUP: bad length");
		clientdb_lookup(&req, wall_ms());
		return;
	}
	if (imsg->datalen < sizeof(lp))
		fatalx("LS_PUBLISH: short");
	memcpy(&lp, imsg->data, sizeof(lp));
	if (clientdb_publish(&lp, (const uint8_t *)imsg->data + sizeof(lp),
	    imsg->datalen - sizeof(lp), wall_ms(), &why) == 0)
		return;
	log_warnx("client %u: LeaseSet not published: %s", lp.client, why);
	memset(&s, 0, sizeof(s));
	s.client = lp.client;
	s.published = lp.published;
	s.state = LS_FAILED;
	ops->status(&s);
}

void
clientdb_shutdown(void)
{
	while (!TAILQ_EMPTY(&pubs))
		pub_free(TAILQ_FIRST(&pubs));
	while (!TAILQ_EMPTY(&lookups))
		lookup_free(TAILQ_FIRST(&lookups));
	if (ticking)
		evtimer_del(&ev_tick);
	ticking = 0;
	memset(failed, 0, sizeof(failed));
}
