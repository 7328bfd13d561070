/*
 * Remote destinations' LeaseSets, per local destination (lscache.h).
 */
#include <bsd/sys/tree.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lscache.h"

enum lse_state {
	LSE_FOUND,
	LSE_MISS,		/* not found or unusable, until expires */
	LSE_PENDING,
};

struct lse_waiter {
	lscache_cb	 cb;
	uint32_t	 owner;
	uint64_t	 cookie;
};

struct lse {
	RB_ENTRY(lse)		 entry;
	uint32_t		 client;
	uint8_t			 hash[32];
	enum lse_state		 state;
	enum lscache_result	 miss;		/* LSE_MISS: which */
	int64_t			 expires;	/* FOUND, MISS; PENDING: timeout */
	struct lsremote		*ls;		/* FOUND */
	uint32_t		 reqid;		/* PENDING */
	struct lse_waiter	 waiters[LSCACHE_WAITERS];
	size_t			 nwaiters;
};

RB_HEAD(lse_tree, lse);
RB_PROTOTYPE(lse_tree, lse, entry, lse_cmp)

static int
lse_cmp(const struct lse *a, const struct lse *b)
{
	if (a->client != b->client)
		return a->client < b->client ? -1 : 1;
	return memcmp(a->hash, b->hash, sizeof(a->hash));
}

RB_GENERATE(lse_tree, lse, entry, lse_cmp)

static struct lse_tree		 tree = RB_INITIALIZER(&tree);
static size_t			 nentries, npending;
static uint32_t			 next_reqid = 1;
static const struct lscache_ops	*ops;

void
lscache_init(const struct lscache_ops *o)
{
	lscache_free_all();
	ops = o;
}

static struct lse *
lse_find(uint32_t client, const uint8_t hash[32])
{
	struct lse	key;

	key.client = client;
	memcpy(key.hash, hash, sizeof(key.hash));
	return RB_FIND(lse_tree, &tree, &key);
}

static void
lse_free(struct lse *e)
{
	RB_REMOVE(lse_tree, &tree, e);
	if (e->state == LSE_PENDING)
		npending--;
	nentries--;
	free(e->ls);
	free(e);
}

/* answers every waiter; the entry may be gone after */
static void
lse_answer(struct lse *e, enum lscache_result res)
{
	struct lse_waiter	w[LSCACHE_WAITERS];
	size_t			i, n = e->nwaiters;
	const struct lsremote	*ls = res == LSC_FOUND ? e->ls : NULL;
	struct lsremote		 copy;

	/* a callback may look up again: work from copies */
	memcpy(w, e->waiters, n * sizeof(w[0]));
	e->nwaiters = 0;
	if (ls != NULL) {
		copy = *ls;
		ls = &copy;
	}
	for (i = 0; i < n; i++)
		w[i].cb(w[i].owner, w[i].cookie, res, ls);
}

static size_t
client_entries(uint32_t client, size_t *pending)
{
	struct lse	*e;
	size_t		 n = 0;

	*pending = 0;
	RB_FOREACH(e, lse_tree, &tree)
		if (e->client == client) {
			n++;
			if (e->state == LSE_PENDING)
				(*pending)++;
		}
	return n;
}

size_t
lscache_count(uint32_t client)
{
	size_t	pending;

	return client_entries(client, &pending);
}

/*
 * Room for one more entry of client: the one of that client (or, when
 * the table is full, of anyone) that expires first goes; entries in
 * flight never do.  -1 if there is none to take.
 */
static int
make_room(uint32_t client)
{
	struct lse	*e, *victim = NULL;
	size_t		 pending, mine = client_entries(client, &pending);
	int		 any = nentries >= LSCACHE_MAX;

	if (mine < LSCACHE_PER_CLIENT && !any)
		return 0;
	RB_FOREACH(e, lse_tree, &tree) {
		if (e->state == LSE_PENDING || (!any && e->client != client))
			continue;
		if (victim == NULL || e->expires < victim->expires)
			victim = e;
	}
	if (victim == NULL)
		return -1;
	lse_free(victim);
	return 0;
}

static struct lse *
lse_new(uint32_t client, const uint8_t hash[32])
{
	struct lse	*e;

	if (make_room(client) == -1)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		fatal(NULL);
	e->client = client;
	memcpy(e->hash, hash, sizeof(e->hash));
	RB_INSERT(lse_tree, &tree, e);
	nentries++;
	return e;
}

static int
add_waiter(struct lse *e, lscache_cb cb, uint32_t owner, uint64_t cookie)
{
	if (e->nwaiters == LSCACHE_WAITERS)
		return -1;
	e->waiters[e->nwaiters].cb = cb;
	e->waiters[e->nwaiters].owner = owner;
	e->waiters[e->nwaiters].cookie = cookie;
	e->nwaiters++;
	return 0;
}

static int
start_lookup(uint32_t client, const uint8_t hash[32], time_t now,
    lscache_cb cb, uint32_t owner, uint64_t cookie)
{
	struct ls_lookup	 req;
	struct lse		*e;
	size_t			 pending;

	client_entries(client, &pending);
	if (pending >= LSCACHE_PENDING_PER_CLIENT ||
	    npending >= LSCACHE_PENDING_MAX ||
	    (e = lse_new(client, hash)) == NULL) {
		cb(owner, cookie, LSC_BUSY, NULL);
		return 0;
	}
	e->state = LSE_PENDING;
	e->expires = now + LSCACHE_TIMEOUT;
	e->reqid = next_reqid++;
	npending++;
	add_waiter(e, cb, owner, cookie);
	memset(&req, 0, sizeof(req));
	req.client = client;
	req.reqid = e->reqid;
	memcpy(req.key, hash, sizeof(req.key));
	ops->lookup(&req);
	return 0;
}

int
lscache_get(uint32_t client, const uint8_t hash[32], time_t now,
    lscache_cb cb, uint32_t owner, uint64_t cookie,
    const struct lsremote **ls)
{
	struct lse	*e;

	if ((e = lse_find(client, hash)) != NULL && e->state != LSE_PENDING &&
	    e->expires <= now) {
		lse_free(e);
		e = NULL;
	}
	if (e == NULL)
		return start_lookup(client, hash, now, cb, owner, cookie);
	switch (e->state) {
	case LSE_FOUND:
		*ls = e->ls;
		return 1;
	case LSE_MISS:
		cb(owner, cookie, e->miss, NULL);
		return 0;
	case LSE_PENDING:
		if (add_waiter(e, cb, owner, cookie) == -1)
			cb(owner, cookie, LSC_BUSY, NULL);
		return 0;
	}
	return 0;
}

const struct lsremote *
lscache_peek(uint32_t client, const uint8_t hash[32], time_t now)
{
	struct lse	*e;

	if ((e = lse_find(client, hash)) == NULL || e->state != LSE_FOUND ||
	    e->expires <= now)
		return NULL;
	return e->ls;
}

/*
 * The parts of a LeaseSet our ratchet needs: a validly signed
 * LeaseSet2 under key, with an X25519 key and a live lease.
 */
static enum lscache_result
usable(const uint8_t key[32], uint8_t type, const uint8_t *raw, size_t len,
    time_t now, struct lsremote *out, const char **why)
{
	struct leaseset2	*ls;
	struct i2p_err		 err;
	const uint8_t		*x;
	enum lscache_result	 res = LSC_UNUSABLE;
	size_t			 i;

	*why = "not a LeaseSet2";
	if (type != LS2_STORE_TYPE)
		return LSC_UNUSABLE;
	if ((ls = calloc(1, sizeof(*ls))) == NULL)
		fatal(NULL);
	*why = "malformed or badly signed";
	if (ls2_parse(ls, raw, len, &err) == -1 ||
	    ls2_verify(ls, (uint32_t)now, &err) == -1)
		goto done;
	*why = "for another destination";
	if (memcmp(ls->dest.hash, key, 32) != 0)
		goto done;
	*why = "no X25519 key";
	if ((x = ls2_find_key(ls, CRYPTOTYPE_X25519)) == NULL)
		goto done;
	*why = "expired";
	if ((int64_t)ls->published + ls->expires <= now)
		goto done;
	memset(out, 0, sizeof(*out));
	out->dest = ls->dest;
	memcpy(out->enc_pub, x, 32);
	out->published = ls->published;
	out->expires = (int64_t)ls->published + ls->expires;
	for (i = 0; i < ls->nleases; i++)
		if (ls->leases[i].end_date > now)
			out->leases[out->nleases++] = ls->leases[i];
	*why = "no live lease";
	if (out->nleases > 0)
		res = LSC_FOUND;
done:
	free(ls);
	return res;
}

static void
set_miss(struct lse *e, enum lscache_result why, time_t now)
{
	if (e->state == LSE_PENDING)
		npending--;
	e->state = LSE_MISS;
	e->miss = why;
	e->expires = now + LSCACHE_NEG_TTL;
	free(e->ls);
	e->ls = NULL;
}

static void
set_found(struct lse *e, const struct lsremote *ls)
{
	if (e->state == LSE_PENDING)
		npending--;
	if (e->ls == NULL && (e->ls = malloc(sizeof(*e->ls))) == NULL)
		fatal(NULL);
	*e->ls = *ls;
	e->state = LSE_FOUND;
	e->expires = ls->expires;
}

int
lscache_found(const struct ls_found *f, const uint8_t *raw, size_t len,
    time_t now, const char **why)
{
	struct lsremote		 ls;
	struct lse		*e;
	enum lscache_result	 res = LSC_NOT_FOUND;
	const char		*what;

	*why = "bytes with a not-found answer";
	if (f->type == 0 && len != 0)
		return -1;
	if ((e = lse_find(f->client, f->key)) == NULL ||
	    e->state != LSE_PENDING || e->reqid != f->reqid)
		return 0;	/* timed out or dropped meanwhile */
	if (f->type != 0) {
		res = usable(f->key, f->type, raw, len, now, &ls, &what);
		if (res != LSC_FOUND)
			log_debug("LeaseSet of %02x%02x..: %s", f->key[0],
			    f->key[1], what);
	}
	if (res == LSC_FOUND)
		set_found(e, &ls);
	else
		set_miss(e, res, now);
	lse_answer(e, res);
	return 0;
}

int
lscache_put(uint32_t client, const uint8_t key[32], uint8_t type,
    const uint8_t *raw, size_t len, time_t now, const char **why)
{
	struct lsremote	 ls;
	struct lse	*e;

	if (usable(key, type, raw, len, now, &ls, why) != LSC_FOUND)
		return -1;
	e = lse_find(client, key);
	*why = "not newer than the one kept";
	if (e != NULL && e->state == LSE_FOUND &&
	    e->ls->published >= ls.published)
		return 1;
	*why = "no room";
	if (e == NULL && (e = lse_new(client, key)) == NULL)
		return -1;
	set_found(e, &ls);
	/* a lookup in flight is answered: the routerd reply is dropped */
	lse_answer(e, LSC_FOUND);
	return 0;
}

void
lscache_expire(time_t now)
{
	struct lse	*e, *next;

	RB_FOREACH_SAFE(e, lse_tree, &tree, next) {
		if (e->expires > now)
			continue;
		if (e->state == LSE_PENDING) {
			set_miss(e, LSC_NOT_FOUND, now);
			lse_answer(e, LSC_NOT_FOUND);
			continue;
		}
		lse_free(e);
	}
}

void
lscache_drop_client(uint32_t client)
{
	struct lse	*e, *next;

	RB_FOREACH_SAFE(e, lse_tree, &tree, next) {
		if (e->client != client)
			continue;
		/* its waiters are told, as at expiry: none waits for ever */
		if (e->state == LSE_PENDING)
			lse_answer(e, LSC_NOT_FOUND);
		lse_free(e);
	}
}

void
lscache_free_all(void)
{
	struct lse	*e, *next;

	RB_FOREACH_SAFE(e, lse_tree, &tree, next)
		lse_free(e);
}
