/*
 * Sessions: New Session Reply and Existing Session messages, tag
 * lookup, the blocks a session acts on, expiry.
 *
 * NSR (ecies.rst 1g), from the state h, ck after the NS:
 *   tag = the next tag of the SessionReplyTags tag set
 *   MixHash(tag); MixHash(bepk)
 *   MixKey(DH(besk, aepk)); MixKey(DH(besk, apk))     (Alice: aesk, bepk
 *                                                       and ask, bepk)
 *   MAC = EncryptAndHash(ZEROLEN)                      (k, n = 0, ad = h)
 *   k_ab || k_ba = HKDF(ck, ZEROLEN, "", 64)
 *   payload = ENCRYPT(HKDF(k_ba, ZEROLEN, "AttachPayloadKDF", 32), n = 0,
 *       payload, ad = h)
 * Alice makes her tag sets from the first NSR that opens, and keeps
 * opening later ones (i2pd sends several, one ephemeral key for all).
 *
 * ES (ecies.rst 1h): tag || ENCRYPT(key n, n, payload, ad = tag), tag
 * and key n from the direction's tag set.
 */
#include <stdlib.h>
#include <string.h>

#include "elligator2.h"
#include "garlicblk.h"
#include "ratchet.h"

enum ratchet_kind
ratchet_next_kind(const struct ratchet_session *s)
{
	switch (s->state) {
	case RATCHET_NS_SENT:
		return RATCHET_MSG_NS;
	case RATCHET_NSR_SENT:
		return RATCHET_MSG_NSR;
	case RATCHET_ESTABLISHED:
		return RATCHET_MSG_ES;
	default:
		return 0;
	}
}

void
rt_rewind(struct wbuf *w, size_t off)
{
	/* the wbuf API has no truncation; only this library's own bytes */
	if (wbuf_len(w) > off) {
		crypto_wipe(w->data + off, wbuf_len(w) - off);
		w->len = off;
	}
}

int
ratchet_owes(const struct ratchet_session *s)
{
	return s->state == RATCHET_ESTABLISHED &&
	    (s->nacks > 0 || s->rev.pending || s->fwd.pending);
}

static int
put_acks(struct ratchet_session *s, struct wbuf *w)
{
	struct gblk_ack	 a[RATCHET_ACKS_MAX];
	size_t		 i;

	if (s->nacks == 0)
		return 0;
	for (i = 0; i < s->nacks; i++) {
		a[i].tagset_id = s->acks[i].tagset_id;
		a[i].n = s->acks[i].n;
	}
	s->nacks = 0;
	return gblk_put_ack(w, a, i);
}

int
rt_put_payload(struct ratchet_session *s, struct wbuf *w,
    enum ratchet_kind kind, const void *blocks, size_t blen, int64_t now)
{
	size_t	 pad = crypto_random_below(16);

	if (kind == RATCHET_MSG_NS)
		gblk_put_datetime(w, (uint32_t)now);
	if (kind == RATCHET_MSG_ES && (put_acks(s, w) == -1 ||
	    rt_dh_put_blocks(s, w) == -1))
		return -1;
	wbuf_put_bytes(w, blocks, blen);
	/* padding only where it fits beside the MAC */
	if (wbuf_room(w) >= GBLK_HDR_LEN + pad + 16)
		gblk_put_padding(w, pad);
	return wbuf_error(w) ? -1 : 0;
}

static int
nsr_write(struct ratchet_session *s, const void *blocks, size_t blen,
    struct wbuf *w, int64_t now)
{
	struct noise_ss	 ss = s->nsr_ss;
	uint8_t		 tag[RATCHET_TAG_LEN], key[32];
	uint16_t	 index;
	size_t		 mac, p, plen, end;
	int		 rv = -1;

	if (rt_send_next(&s->nsr_send, tag, key, &index) == -1)
		goto out;
	wbuf_put_bytes(w, tag, sizeof(tag));
	wbuf_put_bytes(w, s->nsr_repr, 32);
	if (wbuf_reserve(w, 16, &mac) == -1)
		goto out;
	p = wbuf_len(w);
	if (rt_put_payload(s, w, RATCHET_MSG_NSR, blocks, blen, now) == -1)
		goto out;
	plen = wbuf_len(w) - p;
	if (plen + 16 > 65535 || wbuf_reserve(w, 16, &end) == -1)
		goto out;
	memcpy(ss.h, s->ns_h, 32);
	if (noise_mix_hash(&ss, tag, sizeof(tag)) == -1 ||
	    noise_mix_hash(&ss, s->nsr_pub, 32) == -1 ||
	    noise_encrypt_and_hash(&ss, w->data + mac, tag, 0) == -1 ||
	    chachapoly_encrypt(w->data + p, s->nsr_key, 0, ss.h, 32,
	    w->data + p, plen) == -1)
		goto out;
	rv = 0;
 out:
	noise_wipe(&ss);
	crypto_wipe(key, sizeof(key));
	return rv;
}

static int
es_write(struct ratchet_session *s, const void *blocks, size_t blen,
    struct wbuf *w, struct ratchet_tx *tx, int64_t now)
{
	uint8_t		 tag[RATCHET_TAG_LEN], key[32];
	uint16_t	 index;
	size_t		 p, plen, end;
	int		 rv = -1;

	if (rt_dh_maybe_start(s) == -1 ||
	    rt_send_next(&s->send, tag, key, &index) == -1)
		goto out;
	wbuf_put_bytes(w, tag, sizeof(tag));
	p = wbuf_len(w);
	if (rt_put_payload(s, w, RATCHET_MSG_ES, blocks, blen, now) == -1)
		goto out;
	plen = wbuf_len(w) - p;
	if (plen + 16 > 65535 || wbuf_reserve(w, 16, &end) == -1 ||
	    chachapoly_encrypt(w->data + p, key, index, tag, sizeof(tag),
	    w->data + p, plen) == -1)
		goto out;
	tx->tagset_id = s->send.id;
	tx->index = index;
	rv = 0;
 out:
	crypto_wipe(key, sizeof(key));
	return rv;
}

/* the caller's blocks must parse; a Termination ends the session */
static int
caller_blocks(const void *blocks, size_t blen, int *term)
{
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why;
	int			 rv;

	*term = 0;
	gblk_iter_init(&it, blocks, blen);
	while ((rv = gblk_next(&it, &b, &why)) == 1) {
		if (b.type == GBLK_PADDING)
			return -1;
		if (b.type == GBLK_TERMINATION)
			*term = 1;
	}
	return rv;
}

int
ratchet_seal(struct ratchet_session *s, const uint8_t *ss,
    const void *blocks, size_t blen, struct wbuf *w, struct ratchet_tx *tx,
    int64_t now)
{
	struct ratchet_tx	 dummy;
	size_t			 start = wbuf_len(w);
	int			 rv = -1, term;

	if (tx == NULL)
		tx = &dummy;
	memset(tx, 0, sizeof(*tx));
	if (caller_blocks(blocks, blen, &term) == -1)
		return -1;
	tx->kind = ratchet_next_kind(s);
	switch (tx->kind) {
	case RATCHET_MSG_NS:
		rv = rt_ns_write(s, ss, blocks, blen, w, now);
		break;
	case RATCHET_MSG_NSR:
		rv = nsr_write(s, blocks, blen, w, now);
		break;
	case RATCHET_MSG_ES:
		rv = es_write(s, blocks, blen, w, tx, now);
		break;
	}
	if (rv == -1) {
		rt_rewind(w, start);
		return -1;
	}
	if (term)
		s->state = RATCHET_TERMINATED;
	return 0;
}

static void
ack_owed(struct ratchet_session *s, uint16_t tagset_id, uint16_t n)
{
	/* more requests than that between two messages: the rest lost */
	if (s->nacks == RATCHET_ACKS_MAX)
		return;
	s->acks[s->nacks].tagset_id = tagset_id;
	s->acks[s->nacks].n = n;
	s->nacks++;
}

/* checks all blocks first: a bad payload changes nothing */
int
rt_session_blocks(struct ratchet_session *s, const uint8_t *p, size_t len,
    struct ratchet_rx *rx, int64_t now)
{
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why;
	int			 rv, nextkeys = 0;

	gblk_iter_init(&it, p, len);
	while ((rv = gblk_next(&it, &b, &why)) == 1)
		if (b.type == GBLK_NEXTKEY && ++nextkeys > 2)
			return -1;	/* one each way at most (ecies.rst) */
	if (rv == -1 || rx->kind != RATCHET_MSG_ES)
		return rv;
	gblk_iter_init(&it, p, len);
	while (gblk_next(&it, &b, &why) == 1) {
		if (b.type == GBLK_NEXTKEY) {
			if (rt_dh_nextkey(s, b.u.nextkey.flags,
			    b.u.nextkey.key_id, b.u.nextkey.flags & GBLK_NK_KEY ?
			    b.u.nextkey.key : NULL, now) == -1)
				return -1;
		} else if (b.type == GBLK_ACKREQ) {
			rx->ack_requested = 1;
			ack_owed(s, rx->tagset_id, rx->index);
		} else if (b.type == GBLK_TERMINATION) {
			rx->terminated = 1;
			s->state = RATCHET_TERMINATED;
		}
	}
	return 0;
}
