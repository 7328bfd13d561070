/*
 * The configured destinations (see tunneld.h).
 *
 * At start tunneld learns cryptod's destination keys (KEY_DEST_LIST);
 * until the list is complete nothing is asked for, so that a name
 * whose key exists is never given a second one.  Then each configured
 * name either maps to a key cryptod has, and its pools are opened, or
 * gets a new key first.  Keys are made one at a time: the reply names
 * no destination, so with one request in flight it is clear whose key
 * came back, and a name configured twice in quick reloads cannot get
 * two keys.
 *
 * On reload, new names go the same way, changed lengths or quantities
 * open the pools again (routerd takes that as a change), and names no
 * longer configured have their pools closed; their mapping stays, so
 * the name comes back as the same destination.
 *
 * Per open destination the ready client tunnels routerd reports are
 * kept: the inbound ones with their gateways, for the LeaseSet's
 * leases, and the outbound ones.  A report for a closed or unknown
 * client is a race with a close, not an error.
 */
#include <bsd/string.h>
#include <string.h>

#include "clientio.h"
#include "destio.h"
#include "log.h"
#include "lscache.h"
#include "streams.h"
#include "tunneld.h"

static const struct dests_ops	*ops;
static struct destmap		 map;
static struct key_pub		 keys[DESTMAP_MAX];	/* cryptod's, known */
static size_t			 nkeys;
static struct dest		 dests[DESTS_RUN_MAX];
static int			 ndests;
static int			 listed;
static char			 creating[DEST_NAME_MAX + 1];	/* "": none */

void
dests_init(const struct dests_ops *o, const struct destmap *loaded)
{
	int	i;

	for (i = 0; i < ndests; i++) {
		lspub_free(&dests[i].ls);
		destio_free(dests[i].io);
	}
	ops = o;
	map = *loaded;
	/*
	 * Only the entries in use: those beyond are zero already (a dest
	 * that goes leaves its last slot zeroed), and a memset of the whole
	 * arrays, 750 kB, would make every page of them resident.
	 */
	memset(keys, 0, nkeys * sizeof(keys[0]));
	nkeys = 0;
	memset(dests, 0, ndests * sizeof(dests[0]));
	ndests = 0;
	listed = 0;
	creating[0] = '\0';
}

const struct destmap *
dests_map(void)
{
	return &map;
}

const char *
dests_creating(void)
{
	return creating[0] != '\0' ? creating : NULL;
}

static struct dest *
dest_by_name(const char *name)
{
	int	i;

	for (i = 0; i < ndests; i++)
		if (dests[i].closing_until == 0 &&
		    strcmp(dests[i].name, name) == 0)
			return &dests[i];
	return NULL;
}

const struct dest *
dests_find(const char *name)
{
	return dest_by_name(name);
}

static const struct key_pub *
key_find(uint32_t keyid)
{
	size_t	i;

	for (i = 0; i < nkeys; i++)
		if (keys[i].keyid == keyid)
			return &keys[i];
	return NULL;
}

/* a destination key as cryptod makes them, new to us */
static int
key_add(const struct key_pub *pub, const char **why)
{
	*why = "key id 0 is the router's";
	if (pub->keyid == KEYID_ROUTER)
		return -1;
	*why = "not an Ed25519 and X25519 key";
	if (pub->sigtype != SIGTYPE_ED25519 ||
	    pub->cryptotype != CRYPTOTYPE_X25519)
		return -1;
	*why = "key id given twice";
	if (key_find(pub->keyid) != NULL)
		return -1;
	*why = "more destination keys than tunneld keeps";
	if (nkeys == DESTMAP_MAX)
		return -1;
	keys[nkeys++] = *pub;
	return 0;
}

int
dests_key(const struct key_pub *pub, const char **why)
{
	*why = "key listed after the end of the list";
	if (listed)
		return -1;
	return key_add(pub, why);
}

/* the Destination's bytes, laid out as common/identity.c does */
static void
ident_from_pub(struct i2p_ident *id, const struct key_pub *pub,
    const char *name)
{
	if (ident_build(id, IDENT_DEST, pub->crypto_pub, pub->sign_pub,
	    pub->padding) == -1)
		fatalx("destination %s: cannot build its identity", name);
}

/* the key the name maps to, if cryptod has it */
static const struct key_pub *
dest_key(const struct dest *d)
{
	const struct destmap_ent	*e;

	if ((e = destmap_by_name(&map, d->name)) == NULL)
		return NULL;
	return key_find(e->keyid);
}

static void
dest_create(struct dest *d)
{
	const struct destmap_ent	*e;

	if ((e = destmap_by_name(&map, d->name)) != NULL)
		log_warnx("destination %s: its key %08x is gone from cryptod; "
		    "it gets a new key, so a new address", d->name, e->keyid);
	strlcpy(creating, d->name, sizeof(creating));
	ops->create(d->name);
}

static int
conf_same(const struct dest_conf *a, const struct dest_conf *b)
{
	return memcmp(a->length, b->length, sizeof(a->length)) == 0 &&
	    memcmp(a->quantity, b->quantity, sizeof(a->quantity)) == 0;
}

/* whatever the destination needs next: a key, or its pools (again) */
static void
dest_sync(struct dest *d)
{
	const struct key_pub	*pub;

	if (d->keyid == 0) {
		if ((pub = dest_key(d)) == NULL) {
			if (!d->failed && creating[0] == '\0')
				dest_create(d);
			return;
		}
		ident_from_pub(&d->ident, pub, d->name);
		d->keyid = pub->keyid;
		lspub_init(&d->ls, d->keyid, &d->ident, pub->crypto_pub,
		    d->unpublished);
		d->io = destio_new(d->keyid, &d->ident, pub->crypto_pub);
	}
	if (d->open && conf_same(&d->opened, &d->conf))
		return;
	d->open = 1;
	d->opened = d->conf;
	ops->open(d);
}

static void
dests_sync(void)
{
	int	i;

	if (!listed)
		return;
	for (i = 0; i < ndests; i++)
		dest_sync(&dests[i]);
}

void
dests_listed(void)
{
	listed = 1;
	dests_sync();
}

static int
dest_configured(const char *name, const struct dest_conf *dc, int n)
{
	int	i;

	for (i = 0; i < n; i++)
		if (strcmp(dc[i].name, name) == 0)
			return 1;
	return 0;
}

/* its peers told, while its tunnels are still there to tell them */
static void
dest_goodbye(struct dest *d)
{
	destio_goodbye(d->io, time(NULL));
	clientio_flush();
}

/* dests[i] goes: its peers told, its pools closed, its slot reused */
static void
dest_teardown(int i)
{
	struct dest	*d = &dests[i];

	if (d->open) {
		dest_goodbye(d);
		ops->close(d);
	}
	/* the streams first: they send through the io */
	streams_drop(d->keyid);
	lspub_free(&d->ls);
	destio_free(d->io);
	/* a session's LeaseSet lookups were its own */
	if (d->session)
		lscache_drop_client(d->keyid);
	dests[i] = dests[--ndests];
	memset(&dests[ndests], 0, sizeof(dests[ndests]));
}

/*
 * Closed sessions whose RESETs are out or whose time is up go; with
 * all, every one goes now, out or not (room is needed).
 */
static void
dests_closing_reap(time_t now, int all)
{
	int	i = 0;

	while (i < ndests) {
		if (dests[i].closing_until != 0 && (all ||
		    now >= dests[i].closing_until ||
		    !streams_signing(dests[i].keyid)))
			dest_teardown(i);
		else
			i++;
	}
}

/* closes the pools of names gone from the configuration and forgets them */
static void
dests_drop_gone(const struct dest_conf *dc, int n)
{
	int	i = 0;

	while (i < ndests) {
		if (dests[i].session || dest_configured(dests[i].name, dc, n)) {
			i++;
			continue;
		}
		if (dests[i].open)
			log_info("destination %s: no longer configured, "
			    "closing its tunnel pools", dests[i].name);
		dest_teardown(i);
	}
}

void
dests_reconf(const struct dest_conf *dc, int n)
{
	struct dest	*d;
	int		 i;

	if (n < 0 || n > DESTS_MAX)
		fatalx("%d destinations configured, at most %d", n,
		    DESTS_MAX);
	dests_drop_gone(dc, n);
	for (i = 0; i < n; i++) {
		if ((d = dest_by_name(dc[i].name)) != NULL && d->session) {
			log_warnx("destination %s: the name is a SAM "
			    "session's; not configured", dc[i].name);
			continue;
		}
		if (d == NULL) {
			/* closing ones are counted in no budget: they yield */
			if (ndests == DESTS_RUN_MAX)
				dests_closing_reap(0, 1);
			if (ndests == DESTS_RUN_MAX)
				fatalx("no room for destination %s", dc[i].name);
			d = &dests[ndests++];
			strlcpy(d->name, dc[i].name, sizeof(d->name));
		}
		d->conf = dc[i];
		/* a reload tries again where cryptod made no key */
		d->failed = 0;
	}
	dests_sync();
}

static void
log_new(const char *name, const struct key_pub *pub)
{
	struct i2p_ident	id;
	char			addr[I2P_B32_NAMESZ];

	ident_from_pub(&id, pub, name);
	if (ident_b32(&id, addr, sizeof(addr)) == -1)
		fatalx("destination %s: no base32 address", name);
	log_info("new destination %s: %s (key %08x)", name, addr,
	    pub->keyid);
}

/* the name dests_creating() gives has its key: map it and go on */
int
dests_created(const struct key_pub *pub, const char **why)
{
	const struct destmap_ent	*stale;
	char				 name[DEST_NAME_MAX + 1];
	const char			*err;
	struct dest			*d;

	*why = "a key nobody asked for";
	if (creating[0] == '\0' || key_add(pub, why) == -1)
		return -1;
	strlcpy(name, creating, sizeof(name));
	creating[0] = '\0';
	/* cryptod gives a deleted key's id again: whoever had it lost it */
	if ((stale = destmap_by_id(&map, pub->keyid)) != NULL &&
	    strcmp(stale->name, name) != 0) {
		log_warnx("destination %s: key %08x had been gone; now it is "
		    "%s's", stale->name, pub->keyid, name);
		destmap_del_id(&map, pub->keyid);
	}
	if (destmap_set(&map, name, pub->keyid, &err) == -1) {
		log_warnx("destination %s: %s in %s: no tunnels for it", name,
		    err, DESTFILE);
		if ((d = dest_by_name(name)) != NULL)
			d->failed = 1;
	} else {
		ops->save(&map);
		log_new(name, pub);
	}
	dests_sync();
	return 0;
}

void
dests_create_failed(const char *msg)
{
	struct dest	*d;

	if (creating[0] == '\0')
		return;
	log_warnx("destination %s: cryptod made no key (%s); no tunnels for "
	    "it until a reload", creating, msg);
	if ((d = dest_by_name(creating)) != NULL)
		d->failed = 1;
	creating[0] = '\0';
	dests_sync();
}

/* the tunnel a serial names, or n if there is none */
static size_t
tunnel_find(const struct dest_tunnel *t, size_t n, uint32_t serial)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (t[i].serial == serial)
			break;
	return i;
}

static void
tunnel_remove(struct dest_tunnel *t, size_t *n, size_t i)
{
	t[i] = t[--*n];
	memset(&t[*n], 0, sizeof(t[*n]));
}

/* the one to expire first: every tunnel lives as long, so the oldest */
static size_t
tunnel_oldest(const struct dest_tunnel *t, size_t n)
{
	size_t	i, oldest = 0;

	for (i = 1; i < n; i++)
		if (t[i].expires < t[oldest].expires)
			oldest = i;
	return oldest;
}

/*
 * routerd says when a tunnel is gone, but an expired one is dropped
 * here too: it can no longer be a lease, whatever was missed.
 */
static void
tunnels_update(struct dest_tunnel *t, size_t *n,
    const struct pool_tunnel *pt, int64_t now)
{
	size_t	i = 0;

	while (i < *n) {
		if (t[i].expires <= now)
			tunnel_remove(t, n, i);
		else
			i++;
	}
	i = tunnel_find(t, *n, pt->serial);
	if (!pt->up || pt->expires <= now) {
		if (i < *n)
			tunnel_remove(t, n, i);
		return;
	}
	if (i == *n) {
		if (*n == DEST_TUNNELS_MAX)
			tunnel_remove(t, n, tunnel_oldest(t, *n));
		i = (*n)++;
	}
	t[i].serial = pt->serial;
	t[i].gateway_id = pt->gateway_id;
	memcpy(t[i].gateway, pt->gateway, sizeof(t[i].gateway));
	t[i].expires = pt->expires;
}

static struct dest *
dest_by_client(uint32_t client)
{
	int	i;

	for (i = 0; i < ndests; i++)
		if (dests[i].open && dests[i].keyid == client)
			return &dests[i];
	return NULL;
}

int
dests_tunnel(const struct pool_tunnel *pt, int64_t now, const char **why)
{
	struct dest	*d;

	*why = "bad direction or state";
	if (pt->dir > TUNNEL_OUT || pt->up > 1)
		return -1;
	if ((d = dest_by_client(pt->client)) == NULL) {
		log_debug("tunnel %u of client %08x: no such open pool",
		    pt->serial, pt->client);
		return 0;
	}
	if (pt->dir == TUNNEL_IN) {
		tunnels_update(d->in, &d->nin, pt, now);
		lspub_changed(&d->ls, now);
	} else
		tunnels_update(d->out, &d->nout, pt, now);
	if (!d->ready_logged && d->nin > 0 && d->nout > 0) {
		d->ready_logged = 1;
		log_info("destination %s: client tunnels ready, %zu inbound, "
		    "%zu outbound", d->name, d->nin, d->nout);
	} else if (d->ready_logged && (d->nin == 0 || d->nout == 0)) {
		/* unreachable until both ways are back: worth a word */
		d->ready_logged = 0;
		log_info("destination %s: no %s client tunnel ready",
		    d->name, d->nin == 0 ? "inbound" : "outbound");
	}
	return 0;
}

void
dests_tick(time_t now)
{
	struct lspub_lease	 l[DEST_TUNNELS_MAX];
	struct dest		*d;
	size_t			 i;
	int			 n;

	dests_closing_reap(now, 0);
	for (n = 0; n < ndests; n++) {
		d = &dests[n];
		if (!d->open || d->keyid == 0)
			continue;
		if (d->closing_until != 0) {	/* no new LeaseSet */
			destio_tick(d->io, now);
			continue;
		}
		for (i = 0; i < d->nin; i++) {
			memcpy(l[i].gateway, d->in[i].gateway, 32);
			l[i].tunnel_id = d->in[i].gateway_id;
			l[i].expires = d->in[i].expires;
		}
		lspub_tick(&d->ls, l, d->nin, now, &ops->ls);
		destio_tick(d->io, now);
	}
}

const struct leaseset2 *
dests_leaseset(uint32_t keyid)
{
	struct dest	*d;

	if ((d = dest_by_client(keyid)) == NULL)
		return NULL;
	return d->ls.cur;
}

uint32_t
dests_out_tunnel(uint32_t keyid, uint32_t keep, uint32_t avoid, time_t now)
{
	struct dest	*d;
	size_t		 i, n = 0;
	uint32_t	 pick = 0;

	if ((d = dest_by_client(keyid)) == NULL)
		return 0;
	for (i = 0; i < d->nout; i++)
		if (keep != 0 && d->out[i].serial == keep &&
		    d->out[i].expires > now + DESTIO_PATH_SPARE)
			return keep;
	for (i = 0; i < d->nout; i++)
		if (d->out[i].expires > now + DESTIO_PATH_SPARE &&
		    d->out[i].serial != avoid &&
		    crypto_random_below((uint32_t)++n) == 0)
			pick = d->out[i].serial;
	/* avoid is all there is: routerd picks, maybe it again */
	return pick;
}

const struct i2p_ident *
dests_ident(uint32_t keyid)
{
	struct dest	*d;

	if ((d = dest_by_client(keyid)) == NULL)
		return NULL;
	return &d->ident;
}

struct destio *
dests_io(uint32_t keyid)
{
	struct dest	*d;

	if ((d = dest_by_client(keyid)) == NULL)
		return NULL;
	return d->io;
}

void
dests_walk(void (*fn)(const struct dest *, void *), void *arg)
{
	int	i;

	for (i = 0; i < ndests; i++)
		fn(&dests[i], arg);
}

int
dests_signed(uint32_t reqid, const uint8_t sig[64])
{
	int	i;

	for (i = 0; i < ndests; i++)
		if (dests[i].keyid != 0 &&
		    lspub_signed(&dests[i].ls, reqid, sig, &ops->ls))
			return 1;
	return 0;
}

int
dests_sign_failed(uint32_t reqid, time_t now)
{
	int	i;

	for (i = 0; i < ndests; i++)
		if (dests[i].keyid != 0 &&
		    lspub_sign_failed(&dests[i].ls, reqid, now))
			return 1;
	return 0;
}

int
dests_ls_status(const struct ls_status *st, time_t now, const char **why)
{
	struct dest	*d;
	uint8_t		 before;

	*why = "unknown state";
	if (st->state < LS_STORED || st->state > LS_FAILED)
		return -1;
	/* a destination closed meanwhile: nothing to say */
	if ((d = dest_by_client(st->client)) == NULL)
		return 0;
	before = d->ls.state;
	lspub_status(&d->ls, st, now);
	if (d->ls.state != before || st->state == LS_FAILED)
		log_info("destination %s: LeaseSet %s (published %u, "
		    "floodfill %02x%02x%02x%02x)", d->name,
		    st->state == LS_STORED ? "stored" :
		    st->state == LS_VERIFIED ? "verified" : "not stored",
		    st->published, st->floodfill[0], st->floodfill[1],
		    st->floodfill[2], st->floodfill[3]);
	return 0;
}

int
dests_session_add(const char *name, uint32_t keyid,
    const struct i2p_ident *ident, const uint8_t ls_pub[32],
    const struct dest_conf *dc, int unpublished, const char **why)
{
	struct dest	*d;

	*why = "too many destinations";
	if (ndests == DESTS_RUN_MAX)
		dests_closing_reap(0, 1);
	if (ndests == DESTS_RUN_MAX)
		return -1;
	*why = "destination in use";
	if (dest_by_name(name) != NULL || dest_by_client(keyid) != NULL)
		return -1;
	d = &dests[ndests++];
	memset(d, 0, sizeof(*d));
	strlcpy(d->name, name, sizeof(d->name));
	d->session = 1;
	d->unpublished = unpublished;
	d->conf = *dc;
	strlcpy(d->conf.name, name, sizeof(d->conf.name));
	d->keyid = keyid;
	d->ident = *ident;
	lspub_init(&d->ls, keyid, ident, ls_pub, unpublished);
	d->io = destio_new(keyid, ident, ls_pub);
	dest_sync(d);
	return 0;
}

void
dests_session_remove(uint32_t keyid)
{
	int	i;

	for (i = 0; i < ndests; i++) {
		if (!dests[i].session || dests[i].keyid != keyid ||
		    dests[i].closing_until != 0)
			continue;
		if (dests[i].open && streams_reset_all(keyid) > 0) {
			dests[i].closing_until = time(NULL) + DEST_CLOSING_MAX;
			return;
		}
		dest_teardown(i);
		return;
	}
}


int
dests_ready(uint32_t keyid)
{
	struct dest	*d;

	if ((d = dest_by_client(keyid)) == NULL)
		return 0;
	/*
	 * and its LeaseSet made: the first message to a peer carries it,
	 * or the peer cannot answer until a floodfill has it (i2pd's SAM
	 * answers a session once its LeaseSet is up as well)
	 */
	return d->nin > 0 && d->nout > 0 && d->ls.cur != NULL;
}

uint32_t
dests_any_ready(void)
{
	int	i;

	for (i = 0; i < ndests; i++)
		if (dests[i].open && dests[i].closing_until == 0 &&
		    dests[i].nin > 0 && dests[i].nout > 0)
			return dests[i].keyid;
	return 0;
}
