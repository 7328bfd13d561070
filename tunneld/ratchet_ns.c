/*
 * New Session messages (ecies.rst 1b, 1c, 1f), Noise IKelg2+hs2:
 *
 *   h = SHA256("Noise_IKelg2+hs2_25519_ChaChaPoly_SHA256"); ck = h
 *   MixHash(empty prologue); MixHash(bpk)
 *   MixHash(aepk); MixKey(DH(aesk, bpk))
 *   static key section = EncryptAndHash(apk)           (k, n = 0)
 *   bound:   MixKey(DH(ask, bpk)); payload = EncryptAndHash(payload)
 *   unbound: apk is 32 zero bytes; payload = EncryptAndHash(payload)
 *            with the same k and n = 1
 *
 * aepk goes on the wire Elligator2-encoded; a fresh ephemeral key for
 * every NS.  The NSR tag set then is DH_INITIALIZE(ck, tagsetKey) with
 * tagsetKey = HKDF(ck, ZEROLEN, "SessionReplyTags", 32).
 */
#include <stdlib.h>
#include <string.h>

#include "elligator2.h"
#include "garlicblk.h"
#include "ratchet.h"

#define IK_NAME		"Noise_IKelg2+hs2_25519_ChaChaPoly_SHA256"
#define NS_KEYS		80	/* ephemeral and static key sections */

int
rt_ik_init(struct noise_ss *ss, const uint8_t bpk[32])
{
	if (noise_init(ss, IK_NAME) == -1 || noise_mix_hash(ss, NULL, 0) == -1)
		return -1;
	return noise_mix_hash(ss, bpk, 32);
}

int
rt_nsr_tagset(struct rt_tagset *ts, const uint8_t ck[32])
{
	uint8_t	 k[32];
	int	 rv;

	rv = rt_kdf(k, 32, ck, NULL, 0, "SessionReplyTags") == -1 ? -1 :
	    rt_dh_initialize(ts, ck, k, 0);
	crypto_wipe(k, sizeof(k));
	return rv;
}

struct ratchet_session *
ratchet_out_new(const uint8_t our_pub[32], const uint8_t peer_pub[32],
    ratchet_tag_cb cb, void *arg, int64_t now)
{
	struct ratchet_session	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->state = RATCHET_NS_SENT;
	s->outbound = 1;
	memcpy(s->our_pub, our_pub, 32);
	memcpy(s->peer_pub, peer_pub, 32);
	s->cb = cb;
	s->cbarg = arg;
	s->created = s->last_recv = now;
	return s;
}

/*
 * A free record for a new NS, or else one forgotten: never the first
 * NS still held, which i2pd 2.45.1 binds its session to (a later NS
 * from the same key is read but answered through the first one's
 * session for 120 s), nor, of the others, the newest (i2prd answers
 * through the newest): the oldest of the rest.  Streams opened at
 * once to a new peer send more New Sessions than there are records.
 */
static struct rt_ns *
ns_slot(struct ratchet_session *s)
{
	struct rt_ns	*first = NULL, *ns = NULL;
	size_t		 i;

	for (i = 0; i < RATCHET_NS_MAX; i++) {
		if (!s->ns[i].used)
			return &s->ns[i];
		if (first == NULL || s->ns[i].seq < first->seq)
			first = &s->ns[i];
	}
	for (i = 0; i < RATCHET_NS_MAX; i++)
		if (&s->ns[i] != first && (ns == NULL || s->ns[i].seq < ns->seq))
			ns = &s->ns[i];
	rt_tagset_wipe(&ns->nsr, s);
	crypto_wipe(ns, sizeof(*ns));
	return ns;
}

/* the keys of an NS into ns->ss, the wire bytes at p (80 bytes) */
static int
ns_keys(struct ratchet_session *s, struct rt_ns *ns, uint8_t *p)
{
	uint8_t	 dh[32];
	int	 rv;

	if (elligator2_keygen(ns->eph_priv, ns->eph_pub, p) == -1 ||
	    rt_ik_init(&ns->ss, s->peer_pub) == -1 ||
	    noise_mix_hash(&ns->ss, ns->eph_pub, 32) == -1 ||
	    x25519(dh, ns->eph_priv, s->peer_pub) == -1)
		return -1;
	rv = noise_mix_key(&ns->ss, dh, 32);
	crypto_wipe(dh, sizeof(dh));
	if (rv == -1)
		return -1;
	return noise_encrypt_and_hash(&ns->ss, p + 32, s->our_pub, 32);
}

int
rt_ns_write(struct ratchet_session *s, const uint8_t ss[32],
    const void *blocks, size_t blen, struct wbuf *w, int64_t now)
{
	struct rt_ns	*ns;
	size_t		 start = wbuf_len(w), off, plen, mac;

	if (ss == NULL || wbuf_reserve(w, NS_KEYS, &off) == -1 ||
	    rt_put_payload(s, w, RATCHET_MSG_NS, blocks, blen, now) == -1)
		return -1;
	plen = wbuf_len(w) - off - NS_KEYS;
	if (plen + 16 > 65535 || wbuf_reserve(w, 16, &mac) == -1)
		return -1;
	ns = ns_slot(s);
	memset(ns, 0, sizeof(*ns));
	if (ns_keys(s, ns, w->data + off) == -1 ||
	    noise_mix_key(&ns->ss, ss, 32) == -1 ||
	    noise_encrypt_and_hash(&ns->ss, w->data + off + NS_KEYS,
	    w->data + off + NS_KEYS, plen) == -1 ||
	    rt_nsr_tagset(&ns->nsr, ns->ss.ck) == -1 ||
	    rt_recv_init(&ns->nsr, s, RATCHET_NSR_WINDOW,
	    RATCHET_NSR_WINDOW) == -1) {
		rt_tagset_wipe(&ns->nsr, s);
		crypto_wipe(ns, sizeof(*ns));
		rt_rewind(w, start);
		return -1;
	}
	ns->used = 1;
	ns->sent = now;
	ns->seq = s->ns_seq++;
	return 0;
}

int
ratchet_ns_begin(struct ratchet_ns_in *in, const uint8_t our_pub[32],
    const uint8_t *msg, size_t len, struct replay *rp, int64_t now,
    uint8_t aepk[32])
{
	struct rbuf	 r;
	const uint8_t	*repr;

	memset(in, 0, sizeof(*in));
	rbuf_init(&r, msg, len);
	if (len < RATCHET_NS_OVERHEAD || rbuf_get_ptr(&r, &repr, 32) == -1 ||
	    elligator2_decode(in->aepk, repr) == -1)
		goto bad;
	/* the decoded key: the representative's top bits are free */
	if (rp != NULL && replay_seen(rp, in->aepk, now))
		goto bad;
	memcpy(in->our_pub, our_pub, 32);
	if (rt_ik_init(&in->ss, our_pub) == -1 ||
	    noise_mix_hash(&in->ss, in->aepk, 32) == -1)
		goto bad;
	memcpy(aepk, in->aepk, 32);
	in->step = 1;
	return 0;
 bad:
	crypto_wipe(in, sizeof(*in));
	return -1;
}

int
ratchet_ns_static(struct ratchet_ns_in *in, const uint8_t *msg, size_t len,
    const uint8_t dh[32], uint8_t apk[32])
{
	static const uint8_t	 zero[32];
	struct rbuf		 r;
	const uint8_t		*sec;

	rbuf_init(&r, msg, len);
	if (in->step != 1 || len < RATCHET_NS_OVERHEAD ||
	    rbuf_skip(&r, 32) == -1 || rbuf_get_ptr(&r, &sec, 48) == -1 ||
	    noise_mix_key(&in->ss, dh, 32) == -1 ||
	    noise_decrypt_and_hash(&in->ss, in->apk, sec, 48) == -1) {
		crypto_wipe(in, sizeof(*in));
		return -1;
	}
	in->step = 2;
	in->bound = crypto_memcmp(in->apk, zero, 32) != 0;
	if (in->bound)
		memcpy(apk, in->apk, 32);
	return in->bound;
}

/* DateTime first and near our clock (ecies.rst "Block Ordering Rules") */
static int
ns_payload_ok(const uint8_t *p, size_t len, int64_t now)
{
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why;
	int			 rv;

	gblk_iter_init(&it, p, len);
	if (gblk_next(&it, &b, &why) != 1 || b.type != GBLK_DATETIME)
		return -1;
	if ((int64_t)b.u.datetime < now - RATCHET_SKEW_PAST ||
	    (int64_t)b.u.datetime > now + RATCHET_SKEW_FUTURE)
		return -1;
	while ((rv = gblk_next(&it, &b, &why)) == 1)
		;
	return rv;
}

static int
ns_decrypt(struct ratchet_ns_in *in, const uint8_t *msg, size_t len,
    const uint8_t *dh, struct wbuf *out, int64_t now)
{
	struct rbuf	 r;
	const uint8_t	*ct;
	size_t		 ctlen = len - NS_KEYS, off;

	rbuf_init(&r, msg, len);
	if (rbuf_skip(&r, NS_KEYS) == -1 || rbuf_get_ptr(&r, &ct, ctlen) == -1)
		return -1;
	if (in->bound && (dh == NULL || noise_mix_key(&in->ss, dh, 32) == -1))
		return -1;
	if (wbuf_reserve(out, ctlen - 16, &off) == -1)
		return -1;
	if (noise_decrypt_and_hash(&in->ss, out->data + off, ct, ctlen) == -1 ||
	    ns_payload_ok(out->data + off, ctlen - 16, now) == -1) {
		rt_rewind(out, off);
		return -1;
	}
	return 0;
}

int
ratchet_ns_finish(struct ratchet_ns_in *in, const uint8_t *msg, size_t len,
    const uint8_t *dh, struct replay *rp, struct wbuf *out, int64_t now)
{
	size_t	 off = wbuf_len(out);

	/*
	 * A copy opened meanwhile, while cryptod was asked, is refused
	 * here; the key joins the filter only once the whole message
	 * opened, so a copy with a forged payload cannot bar the genuine
	 * one.
	 */
	if (in->step != 2 || len < RATCHET_NS_OVERHEAD ||
	    (rp != NULL && replay_seen(rp, in->aepk, now)) ||
	    ns_decrypt(in, msg, len, dh, out, now) == -1)
		goto bad;
	if (rp != NULL && replay_add(rp, in->aepk, now) == -1) {
		rt_rewind(out, off);
		goto bad;
	}
	in->step = 3;
	return 0;
 bad:
	crypto_wipe(in, sizeof(*in));
	return -1;
}

/*
 * Bob's keys for the reply, fixed for all NSRs to this NS (as i2pd's,
 * one ephemeral key: the tag sets come from ck, which the tag does not
 * touch, so every reply yields the same ones):
 *   MixKey(DH(besk, aepk)); MixKey(DH(besk, apk))
 *   k_ab || k_ba = HKDF(ck, ZEROLEN, "", 64)           (Split)
 *   receive = DH_INITIALIZE(ck, k_ab), send = DH_INITIALIZE(ck, k_ba)
 *   payload key = HKDF(k_ba, ZEROLEN, "AttachPayloadKDF", 32)
 */
static int
in_keys(struct ratchet_session *s, const struct noise_ss *ns_ss)
{
	uint8_t	 dh[32], kab[32], kba[32];
	int	 rv = -1;

	s->nsr_ss = *ns_ss;
	if (elligator2_keygen(s->nsr_priv, s->nsr_pub, s->nsr_repr) == -1 ||
	    x25519(dh, s->nsr_priv, s->aepk) == -1 ||
	    noise_mix_key(&s->nsr_ss, dh, 32) == -1 ||
	    x25519(dh, s->nsr_priv, s->peer_pub) == -1 ||
	    noise_mix_key(&s->nsr_ss, dh, 32) == -1 ||
	    noise_split(&s->nsr_ss, kab, kba) == -1 ||
	    rt_dh_initialize(&s->recv[0], s->nsr_ss.ck, kab, 0) == -1 ||
	    rt_dh_initialize(&s->send, s->nsr_ss.ck, kba, 0) == -1 ||
	    rt_kdf(s->nsr_key, 32, kba, NULL, 0, "AttachPayloadKDF") == -1 ||
	    rt_recv_init(&s->recv[0], s, RATCHET_WINDOW_MAX,
	    RATCHET_WINDOW_MIN) == -1)
		goto out;
	s->keyed = 1;
	rv = 0;
 out:
	crypto_wipe(dh, sizeof(dh));
	crypto_wipe(kab, sizeof(kab));
	crypto_wipe(kba, sizeof(kba));
	return rv;
}

struct ratchet_session *
ratchet_in_new(struct ratchet_ns_in *in, ratchet_tag_cb cb, void *arg,
    int64_t now)
{
	struct ratchet_session	*s = NULL;

	if (in->step != 3 || !in->bound || (s = calloc(1, sizeof(*s))) == NULL)
		goto out;
	s->state = RATCHET_NSR_SENT;
	memcpy(s->our_pub, in->our_pub, 32);
	memcpy(s->peer_pub, in->apk, 32);
	memcpy(s->aepk, in->aepk, 32);
	memcpy(s->ns_h, in->ss.h, 32);
	s->cb = cb;
	s->cbarg = arg;
	s->created = s->last_recv = now;
	if (rt_nsr_tagset(&s->nsr_send, in->ss.ck) == -1 ||
	    in_keys(s, &in->ss) == -1) {
		ratchet_free(s);
		s = NULL;
	}
 out:
	crypto_wipe(in, sizeof(*in));
	return s;
}
