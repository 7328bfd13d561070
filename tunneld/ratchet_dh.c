/*
 * The DH ratchet (ecies.rst 4a "KEY AND TAG SET IDS", "DH RATCHET
 * MESSAGE FLOW", "DH RATCHET KDF").  Each direction ratchets on its own:
 * the tag sender sends a forward NextKey, the tag receiver answers with
 * a reverse one, and both make tag set T of that direction:
 *
 *   sharedSecret = DH(sender key, receiver key)
 *   tagsetKey = HKDF(sharedSecret, ZEROLEN, "XDHRatchetTagSet", 32)
 *   tag set T = DH_INITIALIZE(nextRootKey of tag set T - 1, tagsetKey)
 *
 * Tag set T uses sender key ID T / 2 (a new key for T = 1 and every
 * even T) and receiver key ID (T - 1) / 2 (a new key for every odd T);
 * a forward NextKey asks for a new reverse key for odd T.  So a forward
 * block says T = 2 * keyID + (request ? 1 : 0), as i2pd computes it.
 * The sender repeats its forward block until the reverse one comes; the
 * receiver repeats its reverse block until a message arrives on tag set
 * T (i2pd sends it once, and ignores repeats).
 */
#include <string.h>

#include "garlicblk.h"
#include "ratchet.h"

static int
tagset_key(uint8_t out[32], const uint8_t priv[32], const uint8_t pub[32])
{
	uint8_t	 shared[32];
	int	 rv;

	rv = x25519(shared, priv, pub) == -1 ? -1 :
	    rt_kdf(out, 32, shared, NULL, 0, "XDHRatchetTagSet");
	crypto_wipe(shared, sizeof(shared));
	return rv;
}

int
rt_dh_maybe_start(struct ratchet_session *s)
{
	struct rt_dh	*d = &s->fwd;
	uint32_t	 t = (uint32_t)s->send.id + 1;

	if (d->pending || s->send.next < RATCHET_NEXTKEY_AFTER ||
	    t > RATCHET_TAGSET_END)
		return 0;
	if (t == 1 || t % 2 == 0) {
		if (x25519_keygen(d->priv, d->pub) == -1)
			return -1;
		d->have_key = 1;
	}
	d->next_id = (uint16_t)t;
	d->pending = 1;
	return 0;
}

int
rt_dh_put_blocks(struct ratchet_session *s, struct wbuf *w)
{
	uint16_t	 t;

	if (s->rev.pending) {
		t = s->rev.next_id;
		gblk_put_nextkey(w, GBLK_NK_REVERSE, (t - 1) / 2,
		    t % 2 == 1 ? s->rev.pub : NULL);
	}
	if (s->fwd.pending) {
		t = s->fwd.next_id;
		gblk_put_nextkey(w, t % 2 == 1 ? GBLK_NK_REQUEST : 0, t / 2,
		    t == 1 || t % 2 == 0 ? s->fwd.pub : NULL);
	}
	return wbuf_error(w) ? -1 : 0;
}

/* the peer's answer to our forward key: our new send tag set */
static int
reverse(struct ratchet_session *s, uint16_t id, const uint8_t *key)
{
	struct rt_dh	*d = &s->fwd;
	struct rt_tagset ts;
	uint8_t		 k[32];
	uint16_t	 t = d->next_id;
	int		 rv;

	if (!d->pending || id != (t - 1) / 2)
		return 0;		/* late or stray: ignored */
	if (key != NULL) {
		memcpy(d->peer, key, 32);
		d->have_peer = 1;
	} else if (t % 2 == 1 || !d->have_peer)
		return 0;		/* a new reverse key was due */
	if (tagset_key(k, d->priv, d->peer) == -1)
		return -1;
	rv = rt_dh_initialize(&ts, s->send.next_root, k, t);
	crypto_wipe(k, sizeof(k));
	if (rv == -1)
		return -1;
	rt_tagset_wipe(&s->send, s);
	s->send = ts;
	s->ratchets_send++;
	d->pending = 0;
	return 0;
}

/* a new receive tag set t; the newest so far is kept for a while */
static int
recv_rotate(struct ratchet_session *s, const uint8_t k[32], uint16_t t,
    int64_t now)
{
	struct rt_tagset ts;

	if (rt_dh_initialize(&ts, s->recv[0].next_root, k, t) == -1)
		return -1;
	if (rt_recv_init(&ts, s, RATCHET_WINDOW_MAX, RATCHET_WINDOW_MIN) ==
	    -1) {
		rt_tagset_wipe(&ts, s);
		return -1;
	}
	rt_tagset_wipe(&s->recv[1], s);
	s->recv[1] = s->recv[0];
	s->recv[1].expires = now + RATCHET_OLD_TAGSET;
	s->recv[0] = ts;
	s->ratchets_recv++;
	return 0;
}

/* the peer ratchets its send tag set, our receive one */
static int
forward(struct ratchet_session *s, uint8_t flags, uint16_t id,
    const uint8_t *key, int64_t now)
{
	struct rt_dh	*d = &s->rev;
	uint32_t	 t = 2 * (uint32_t)id + (flags & GBLK_NK_REQUEST ? 1 : 0);
	uint8_t		 k[32];
	int		 rv;

	if (t != 0 && t == s->recv[0].id && d->next_id == t) {
		d->pending = 1;		/* our reverse key was lost */
		return 0;
	}
	if (t == 0 || t != (uint32_t)s->recv[0].id + 1)
		return 0;		/* out of sequence: ignored */
	if (key == NULL && (t == 1 || t % 2 == 0 || !d->have_peer))
		return 0;		/* a new forward key was due */
	if (t % 2 == 1) {
		if (x25519_keygen(d->priv, d->pub) == -1)
			return -1;
		d->have_key = 1;
	} else if (!d->have_key)
		return 0;
	if (key != NULL) {
		memcpy(d->peer, key, 32);
		d->have_peer = 1;
	}
	if (tagset_key(k, d->priv, d->peer) == -1)
		return -1;
	rv = recv_rotate(s, k, (uint16_t)t, now);
	crypto_wipe(k, sizeof(k));
	if (rv == -1)
		return -1;
	d->next_id = (uint16_t)t;
	d->pending = 1;
	return 0;
}

int
rt_dh_nextkey(struct ratchet_session *s, uint8_t flags, uint16_t id,
    const uint8_t *key, int64_t now)
{
	if (!s->keyed)
		return 0;
	if (flags & GBLK_NK_REVERSE)
		return reverse(s, id, key);
	return forward(s, flags, id, key, now);
}

void
rt_dh_received_on(struct ratchet_session *s, uint16_t id)
{
	if (s->rev.pending && id == s->rev.next_id)
		s->rev.pending = 0;
}
