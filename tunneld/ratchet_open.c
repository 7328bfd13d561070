/*
 * Receiving: the tag of a message says which tag set and index it
 * belongs to; New Session Replies come on the SessionReplyTags of one
 * of our New Sessions, Existing Session messages on a receive tag set.
 * A message that does not open changes nothing, so a forged message
 * with a seen tag cannot burn the tag.  Key derivations are in
 * ratchet_session.c's head comment.
 */
#include <stdlib.h>
#include <string.h>

#include "elligator2.h"
#include "garlicblk.h"
#include "ratchet.h"

/* Bob's reply state is not needed once Alice uses her tag sets */
static void
established(struct ratchet_session *s)
{
	if (s->state != RATCHET_NSR_SENT)
		return;
	s->state = RATCHET_ESTABLISHED;
	rt_tagset_wipe(&s->nsr_send, s);
	noise_wipe(&s->nsr_ss);
	crypto_wipe(s->nsr_priv, sizeof(s->nsr_priv));
	crypto_wipe(s->nsr_key, sizeof(s->nsr_key));
	crypto_wipe(s->ns_h, sizeof(s->ns_h));
}

static int
es_open(struct ratchet_session *s, struct rt_tagset *ts, struct rt_slot *sl,
    const uint8_t *msg, size_t len, struct wbuf *out, struct ratchet_rx *rx,
    int64_t now)
{
	size_t	 off, plen = len - RATCHET_ES_OVERHEAD;

	rx->kind = RATCHET_MSG_ES;
	rx->tagset_id = ts->id;
	rx->index = sl->index;
	if (wbuf_reserve(out, plen, &off) == -1)
		return -1;
	if (chachapoly_decrypt(out->data + off, sl->key, sl->index, msg,
	    RATCHET_TAG_LEN, msg + RATCHET_TAG_LEN, plen + 16) == -1 ||
	    rt_recv_used(ts, s, sl) == -1) {
		rt_rewind(out, off);
		return -1;
	}
	s->last_recv = now;
	established(s);
	rt_dh_received_on(s, rx->tagset_id);
	if (rt_session_blocks(s, out->data + off, plen, rx, now) == -1) {
		rt_rewind(out, off);
		return -1;
	}
	return 0;
}

/* Alice's tag sets, from the first reply that opened */
static int
nsr_keyed(struct ratchet_session *s, const struct noise_ss *ss,
    const uint8_t kab[32], const uint8_t kba[32])
{
	if (s->keyed)
		return 0;
	if (rt_dh_initialize(&s->send, ss->ck, kab, 0) == -1 ||
	    rt_dh_initialize(&s->recv[0], ss->ck, kba, 0) == -1 ||
	    rt_recv_init(&s->recv[0], s, RATCHET_WINDOW_MAX,
	    RATCHET_WINDOW_MIN) == -1) {
		rt_tagset_wipe(&s->send, s);
		rt_tagset_wipe(&s->recv[0], s);
		return -1;
	}
	s->keyed = 1;
	s->state = RATCHET_ESTABLISHED;
	return 0;
}

/* MixHash(tag, bepk), both DHs, the empty MAC, then Split */
static int
nsr_keys(struct rt_ns *ns, struct noise_ss *ss, const uint8_t *msg,
    const uint8_t bepk[32], const uint8_t dh[32], uint8_t kab[32],
    uint8_t kba[32])
{
	uint8_t	 ee[32], none[1];
	int	 rv = -1;

	*ss = ns->ss;
	if (noise_mix_hash(ss, msg, RATCHET_TAG_LEN) == -1 ||
	    noise_mix_hash(ss, bepk, 32) == -1 ||
	    x25519(ee, ns->eph_priv, bepk) == -1 ||
	    noise_mix_key(ss, ee, 32) == -1 ||
	    noise_mix_key(ss, dh, 32) == -1 ||
	    noise_decrypt_and_hash(ss, none, msg + 40, 16) == -1 ||
	    noise_split(ss, kab, kba) == -1)
		goto out;
	rv = 0;
 out:
	crypto_wipe(ee, sizeof(ee));
	return rv;
}

static int
nsr_open(struct ratchet_session *s, struct rt_ns *ns, struct rt_slot *sl,
    const uint8_t *msg, size_t len, const uint8_t *dh, struct wbuf *out,
    struct ratchet_rx *rx, int64_t now)
{
	struct noise_ss	 ss;
	uint8_t		 bepk[32], kab[32], kba[32], k[32];
	size_t		 off = wbuf_len(out), plen;
	int		 rv = -1;

	rx->kind = RATCHET_MSG_NSR;
	if (len < RATCHET_NSR_OVERHEAD ||
	    elligator2_decode(bepk, msg + RATCHET_TAG_LEN) == -1)
		return -1;
	if (dh == NULL) {
		memcpy(rx->dh_pub, bepk, 32);
		return RATCHET_NEED_DH;
	}
	plen = len - RATCHET_NSR_OVERHEAD;
	if (nsr_keys(ns, &ss, msg, bepk, dh, kab, kba) == -1 ||
	    rt_kdf(k, 32, kba, NULL, 0, "AttachPayloadKDF") == -1 ||
	    wbuf_reserve(out, plen, &off) == -1 ||
	    chachapoly_decrypt(out->data + off, k, 0, ss.h, 32, msg + 56,
	    plen + 16) == -1 ||
	    rt_session_blocks(s, out->data + off, plen, rx, now) == -1 ||
	    rt_recv_used(&ns->nsr, s, sl) == -1 ||
	    nsr_keyed(s, &ss, kab, kba) == -1)
		goto out;
	s->last_recv = now;
	rv = 0;
 out:
	if (rv == -1)
		rt_rewind(out, off);
	noise_wipe(&ss);
	crypto_wipe(kab, sizeof(kab));
	crypto_wipe(kba, sizeof(kba));
	crypto_wipe(k, sizeof(k));
	return rv;
}

int
ratchet_open(struct ratchet_session *s, const uint8_t *msg, size_t len,
    const uint8_t *dh, struct wbuf *out, struct ratchet_rx *rx, int64_t now)
{
	struct rt_slot	*sl;
	size_t		 i;

	memset(rx, 0, sizeof(*rx));
	if (len < RATCHET_ES_OVERHEAD || len > RATCHET_MSG_MAX ||
	    s->state == RATCHET_TERMINATED)
		return -1;
	for (i = 0; i < 2; i++)
		if ((sl = rt_recv_find(&s->recv[i], msg)) != NULL)
			return es_open(s, &s->recv[i], sl, msg, len, out, rx,
			    now);
	for (i = 0; i < RATCHET_NS_MAX; i++)
		if (s->ns[i].used &&
		    (sl = rt_recv_find(&s->ns[i].nsr, msg)) != NULL)
			return nsr_open(s, &s->ns[i], sl, msg, len, dh, out,
			    rx, now);
	return -1;
}

int
ratchet_owns_tag(struct ratchet_session *s, const uint8_t *tag)
{
	size_t	i;

	for (i = 0; i < 2; i++)
		if (rt_recv_find(&s->recv[i], tag) != NULL)
			return 1;
	for (i = 0; i < RATCHET_NS_MAX; i++)
		if (s->ns[i].used && rt_recv_find(&s->ns[i].nsr, tag) != NULL)
			return 1;
	return 0;
}

static int
ns_pending(struct ratchet_session *s, int64_t now)
{
	size_t	i;
	int	n = 0;

	for (i = 0; i < RATCHET_NS_MAX; i++) {
		if (!s->ns[i].used)
			continue;
		if (now - s->ns[i].sent > RATCHET_NS_EXPIRE) {
			rt_tagset_wipe(&s->ns[i].nsr, s);
			crypto_wipe(&s->ns[i], sizeof(s->ns[i]));
		} else
			n++;
	}
	return n;
}

int
ratchet_expire(struct ratchet_session *s, int64_t now)
{
	int64_t	idle = s->outbound ? RATCHET_SEND_EXPIRE : RATCHET_RECV_EXPIRE;
	int	pending = ns_pending(s, now);

	if (s->recv[1].ring != NULL && now > s->recv[1].expires)
		rt_tagset_wipe(&s->recv[1], s);
	if (s->state == RATCHET_TERMINATED)
		return 1;
	if (s->state == RATCHET_NS_SENT && pending == 0 &&
	    now - s->created > RATCHET_NS_EXPIRE)
		return 1;
	return now - s->last_recv > idle;
}

void
ratchet_free(struct ratchet_session *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < RATCHET_NS_MAX; i++)
		rt_tagset_wipe(&s->ns[i].nsr, s);
	rt_tagset_wipe(&s->nsr_send, s);
	rt_tagset_wipe(&s->send, s);
	rt_tagset_wipe(&s->recv[0], s);
	rt_tagset_wipe(&s->recv[1], s);
	crypto_wipe(s, sizeof(*s));
	free(s);
}
