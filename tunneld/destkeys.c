/*
 * SAM's destination keys, asked of cryptod (see destkeys.h).
 *
 * Two fixed tables, so nothing a SAM client does grows memory: the
 * requests in flight, and the transient keys held (with those whose
 * deletion cryptod has not yet confirmed).  A transient or import
 * request counts as a key from the moment it is made, so a key that
 * comes back always has its place, also when its owner is gone by
 * then and it is deleted at once.
 */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "destkeys.h"
#include "log.h"
#include "privkey.h"

enum req_kind { REQ_GENERATE, REQ_TRANSIENT, REQ_IMPORT };

/*
 * A request in flight; owner 0: its client is gone.  types: what a
 * generate or transient request asked for; hash: an import's
 * Destination's, if it parsed (hashed).
 */
struct pending {
	uint32_t		 reqid;		/* 0: a free slot */
	uint32_t		 owner;
	enum req_kind		 kind;
	struct key_dest_new	 types;
	uint8_t			 hash[32];
	int			 hashed;
	destkeys_cb		 cb;
	void			*arg;
};

/* a transient key held, or being deleted (delete_reqid in flight) */
struct held {
	uint32_t	 keyid;		/* 0: a free slot */
	uint32_t	 owner;
	uint32_t	 delete_reqid;
};

static const struct destkeys_ops *ops;
static struct pending	 pending[DESTKEYS_PENDING_MAX];
static struct held	 held[KEY_TRANSIENT_MAX];
static uint32_t		 next_reqid;

void
destkeys_init(const struct destkeys_ops *o)
{
	ops = o;
	memset(pending, 0, sizeof(pending));
	memset(held, 0, sizeof(held));
	next_reqid = 0;
}

static struct pending *
pending_find(uint32_t reqid)
{
	size_t	i;

	for (i = 0; i < DESTKEYS_PENDING_MAX; i++)
		if (pending[i].reqid != 0 && pending[i].reqid == reqid)
			return &pending[i];
	return NULL;
}

static struct held *
held_find(uint32_t keyid)
{
	size_t	i;

	for (i = 0; i < KEY_TRANSIENT_MAX; i++)
		if (held[i].keyid != 0 && held[i].keyid == keyid)
			return &held[i];
	return NULL;
}

static struct held *
held_by_delete(uint32_t reqid)
{
	size_t	i;

	for (i = 0; i < KEY_TRANSIENT_MAX; i++)
		if (held[i].keyid != 0 && held[i].delete_reqid != 0 &&
		    held[i].delete_reqid == reqid)
			return &held[i];
	return NULL;
}

int
destkeys_owns(uint32_t reqid)
{
	return (reqid & DESTKEYS_REQID_BIT) != 0 &&
	    (pending_find(reqid) != NULL || held_by_delete(reqid) != NULL);
}

/* a fresh id with the top bit, none in use (they wrap after 2^31) */
static uint32_t
reqid_new(void)
{
	uint32_t	id;

	do {
		next_reqid = (next_reqid + 1) & ~DESTKEYS_REQID_BIT;
		id = next_reqid | DESTKEYS_REQID_BIT;
	} while (next_reqid == 0 || destkeys_owns(id));
	return id;
}

size_t
destkeys_pending(uint32_t owner)
{
	size_t	i, n = 0;

	for (i = 0; i < DESTKEYS_PENDING_MAX; i++)
		n += pending[i].reqid != 0 &&
		    (owner == 0 || pending[i].owner == owner);
	return n;
}

/*
 * An owner's keys do not count once released; all keys do until
 * cryptod confirms, as it holds them till then.
 */
size_t
destkeys_held(uint32_t owner)
{
	size_t	i, n = 0;

	for (i = 0; i < KEY_TRANSIENT_MAX; i++)
		n += held[i].keyid != 0 && (owner == 0 ||
		    (held[i].owner == owner && held[i].delete_reqid == 0));
	return n;
}

/* keys held and keys on their way; owner 0: everybody's */
static size_t
keys_count(uint32_t owner)
{
	size_t	i, n = destkeys_held(owner);

	for (i = 0; i < DESTKEYS_PENDING_MAX; i++)
		n += pending[i].reqid != 0 && pending[i].kind != REQ_GENERATE &&
		    (owner == 0 || pending[i].owner == owner);
	return n;
}

/* a slot for a new request within the limits, or NULL with a reason */
static struct pending *
pending_new(uint32_t owner, enum req_kind kind, destkeys_cb cb, void *arg,
    const char **why)
{
	struct pending	*p = NULL;
	size_t		 i;

	*why = "no owner or callback";
	if (owner == 0 || cb == NULL)
		return NULL;
	*why = "too many key requests from this client";
	if (destkeys_pending(owner) >= DESTKEYS_OWNER_PENDING)
		return NULL;
	*why = "too many destinations for this client";
	if (kind != REQ_GENERATE && keys_count(owner) >= DESTKEYS_OWNER_KEYS)
		return NULL;
	*why = "too many transient destinations";
	if (kind != REQ_GENERATE && keys_count(0) >= KEY_TRANSIENT_MAX)
		return NULL;
	for (i = 0; i < DESTKEYS_PENDING_MAX && p == NULL; i++)
		if (pending[i].reqid == 0)
			p = &pending[i];
	*why = "too many key requests";
	if (p == NULL)
		return NULL;
	memset(p, 0, sizeof(*p));
	p->reqid = reqid_new();
	p->owner = owner;
	p->kind = kind;
	p->cb = cb;
	p->arg = arg;
	return p;
}

static int
request_new(uint32_t owner, enum req_kind kind, uint16_t sigtype,
    uint16_t cryptotype, destkeys_cb cb, void *arg, uint32_t *reqid,
    const char **why)
{
	struct pending	*p;

	if ((p = pending_new(owner, kind, cb, arg, why)) == NULL)
		return -1;
	p->types.sigtype = sigtype;
	p->types.cryptotype = cryptotype;
	*reqid = p->reqid;
	ops->send(kind == REQ_GENERATE ? IMSG_KEY_DEST_GENERATE :
	    IMSG_KEY_DEST_TRANSIENT, p->reqid, &p->types, sizeof(p->types));
	return 0;
}

int
destkeys_generate(uint32_t owner, uint16_t sigtype, uint16_t cryptotype,
    destkeys_cb cb, void *arg, uint32_t *reqid, const char **why)
{
	return request_new(owner, REQ_GENERATE, sigtype, cryptotype, cb, arg,
	    reqid, why);
}

int
destkeys_transient(uint32_t owner, uint16_t sigtype, uint16_t cryptotype,
    destkeys_cb cb, void *arg, uint32_t *reqid, const char **why)
{
	return request_new(owner, REQ_TRANSIENT, sigtype, cryptotype, cb, arg,
	    reqid, why);
}

/*
 * cryptod checks the key; its Destination's hash, if it parses, is kept
 * to check that the reply is about this key
 */
int
destkeys_import(uint32_t owner, const uint8_t *priv, size_t len,
    destkeys_cb cb, void *arg, uint32_t *reqid, const char **why)
{
	struct i2p_ident	 id;
	struct pending		*p;
	struct rbuf		 r;

	*why = "private key empty or too long";
	if (len == 0 || len > KEY_PRIV_MAX)
		return -1;
	if ((p = pending_new(owner, REQ_IMPORT, cb, arg, why)) == NULL)
		return -1;
	rbuf_init(&r, priv, len);
	if (ident_parse(&id, &r, IDENT_DEST, NULL) == 0) {
		memcpy(p->hash, id.hash, sizeof(p->hash));
		p->hashed = 1;
	}
	*reqid = p->reqid;
	ops->send(IMSG_KEY_DEST_IMPORT, p->reqid, priv, len);
	return 0;
}

/* KEY_DEST_DELETE for a held key; its slot stays until cryptod answers */
static void
held_delete(struct held *h)
{
	struct key_id	id;

	if (h->delete_reqid != 0)
		return;
	h->delete_reqid = reqid_new();
	memset(&id, 0, sizeof(id));
	id.keyid = h->keyid;
	ops->send(IMSG_KEY_DEST_DELETE, h->delete_reqid, &id, sizeof(id));
}

void
destkeys_release(uint32_t keyid)
{
	struct held	*h;

	if ((h = held_find(keyid)) == NULL) {
		log_debug("transient key %08x: not held", keyid);
		return;
	}
	held_delete(h);
}

void
destkeys_owner_gone(uint32_t owner)
{
	size_t	i;

	if (owner == 0)
		return;
	for (i = 0; i < DESTKEYS_PENDING_MAX; i++)
		if (pending[i].reqid != 0 && pending[i].owner == owner)
			pending[i].owner = 0;
	for (i = 0; i < KEY_TRANSIENT_MAX; i++)
		if (held[i].keyid != 0 && held[i].owner == owner)
			held_delete(&held[i]);
}

/* a new transient key's slot; its place was counted since the request */
static int
held_add(uint32_t keyid, uint32_t owner, const char **why)
{
	size_t	i;

	*why = "not a transient key id, or one held already";
	if (keyid < KEYID_TRANSIENT_MIN || keyid == KEYID_NTCP2 ||
	    held_find(keyid) != NULL)
		return -1;
	for (i = 0; i < KEY_TRANSIENT_MAX; i++)
		if (held[i].keyid == 0) {
			held[i].keyid = keyid;
			held[i].owner = owner;
			held[i].delete_reqid = 0;
			return 0;
		}
	*why = "more transient keys than asked for";
	return -1;
}

/* KEY_DEST_PRIV after GENERATE or TRANSIENT: checked, into k */
static int
key_from_priv(const struct pending *p, const struct key_dest *kd,
    struct rbuf *r, struct destkey *k, struct privkey *pk, const char **why)
{
	const uint8_t	*priv;
	uint8_t		 lpriv[32], lpub[32];
	size_t		 len = rbuf_left(r);

	*why = "a private key that does not parse";
	if (rbuf_get_ptr(r, &priv, len) == -1 ||
	    privkey_parse(pk, priv, len, NULL) == -1)
		return -1;
	*why = "a key of other types than asked for";
	if (pk->dest.sigtype != p->types.sigtype ||
	    pk->dest.cryptotype != p->types.cryptotype ||
	    kd->sigtype != pk->dest.sigtype ||
	    kd->cryptotype != pk->dest.cryptotype)
		return -1;
	*why = "a LeaseSet key that is not the private key's";
	if (privkey_ls_key(pk, lpriv, lpub) == -1)
		return -1;
	crypto_wipe(lpriv, sizeof(lpriv));
	if (memcmp(lpub, kd->ls_pub, sizeof(lpub)) != 0)
		return -1;
	*why = "a key id after DEST GENERATE";
	if (p->kind == REQ_GENERATE && kd->keyid != 0)
		return -1;
	k->keyid = kd->keyid;
	k->dest = pk->dest;
	memcpy(k->ls_pub, kd->ls_pub, sizeof(k->ls_pub));
	k->priv = priv;
	k->privlen = len;
	return 0;
}

/* KEY_DEST_MADE after IMPORT: the Destination, checked, into k */
static int
key_from_made(const struct pending *p, const struct key_dest *kd,
    struct rbuf *r, struct destkey *k, const char **why)
{
	*why = "a Destination that does not parse";
	if (ident_parse(&k->dest, r, IDENT_DEST, NULL) == -1 ||
	    rbuf_end(r) == -1)
		return -1;
	*why = "not an Ed25519 Destination, or other types in the reply";
	if (k->dest.sigtype != SIGTYPE_ED25519 ||
	    kd->sigtype != k->dest.sigtype ||
	    kd->cryptotype != k->dest.cryptotype)
		return -1;
	*why = "not the Destination imported";
	if (p->hashed && memcmp(p->hash, k->dest.hash, sizeof(p->hash)) != 0)
		return -1;
	k->keyid = kd->keyid;
	memcpy(k->ls_pub, kd->ls_pub, sizeof(k->ls_pub));
	return 0;
}

/* the request is answered: its slot is free before the callback runs */
static void
pending_done(struct pending *p, const struct destkey *k, int code,
    const char *msg)
{
	struct pending	req = *p;

	memset(p, 0, sizeof(*p));
	if (req.owner != 0)
		req.cb(req.arg, req.reqid, k, code, msg);
	else
		log_debug("key request %08x: its client is gone", req.reqid);
}

static int
reply_key(uint32_t type, uint32_t reqid, const uint8_t *data, size_t len,
    const char **why)
{
	struct pending	*p;
	struct key_dest	 kd;
	struct destkey	 k;
	struct privkey	 pk;
	struct held	*h;
	struct rbuf	 r;
	int		 rv;

	*why = "a key nobody asked for";
	if ((p = pending_find(reqid)) == NULL)
		return -1;
	*why = "a reply of the wrong type";
	if ((type == IMSG_KEY_DEST_MADE) != (p->kind == REQ_IMPORT))
		return -1;
	memset(&k, 0, sizeof(k));
	memset(&pk, 0, sizeof(pk));
	rbuf_init(&r, data, len);
	*why = "a short reply";
	if (rbuf_get_bytes(&r, &kd, sizeof(kd)) == -1)
		return -1;
	if (type == IMSG_KEY_DEST_PRIV)
		rv = key_from_priv(p, &kd, &r, &k, &pk, why);
	else
		rv = key_from_made(p, &kd, &r, &k, why);
	if (rv == 0 && p->kind != REQ_GENERATE)
		rv = held_add(k.keyid, p->owner, why);
	if (rv == 0) {
		/* a key for a client that is gone goes at once */
		if (p->owner == 0 && (h = held_find(k.keyid)) != NULL)
			held_delete(h);
		pending_done(p, &k, 0, NULL);
	}
	privkey_wipe(&pk);
	return rv;
}

static int
reply_error(uint32_t reqid, const uint8_t *data, size_t len,
    const char **why)
{
	struct key_error	 e;
	struct pending		*p;
	struct held		*h;

	*why = "a malformed KEY_ERROR";
	if (len != sizeof(e))
		return -1;
	memcpy(&e, data, sizeof(e));
	if (memchr(e.msg, '\0', sizeof(e.msg)) == NULL)
		return -1;
	if ((p = pending_find(reqid)) != NULL) {
		pending_done(p, NULL, e.code, e.msg);
		return 0;
	}
	if ((h = held_by_delete(reqid)) != NULL) {
		/* cryptod has no such key: nothing left to release */
		log_warnx("transient key %08x: not deleted: %s", h->keyid,
		    e.msg);
		memset(h, 0, sizeof(*h));
		return 0;
	}
	*why = "a refusal of nothing asked";
	return -1;
}

static int
reply_end(uint32_t reqid, size_t len, const char **why)
{
	struct held	*h;

	*why = "a KEY_END with a payload, or for nothing asked";
	if (len != 0 || (h = held_by_delete(reqid)) == NULL)
		return -1;
	log_debug("transient key %08x deleted", h->keyid);
	memset(h, 0, sizeof(*h));
	return 0;
}

int
destkeys_reply(uint32_t type, uint32_t reqid, uint8_t *data, size_t len,
    const char **why)
{
	int	rv = -1;

	*why = "not a reply to destkeys";
	switch (type) {
	case IMSG_KEY_DEST_PRIV:
	case IMSG_KEY_DEST_MADE:
		rv = reply_key(type, reqid, data, len, why);
		break;
	case IMSG_KEY_ERROR:
		rv = reply_error(reqid, data, len, why);
		break;
	case IMSG_KEY_END:
		rv = reply_end(reqid, len, why);
		break;
	}
	/* a generated key's private key is the client's alone now */
	crypto_wipe(data, len);
	return rv;
}
