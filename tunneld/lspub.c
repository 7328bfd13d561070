/*
 * A local destination's LeaseSet2 (see lspub.h).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "lspub.h"

void
lspub_init(struct lspub *p, uint32_t keyid, const struct i2p_ident *ident,
    const uint8_t enc_pub[32], int unpublished)
{
	memset(p, 0, sizeof(*p));
	p->keyid = keyid;
	p->ident = *ident;
	memcpy(p->enc_pub, enc_pub, sizeof(p->enc_pub));
	p->unpublished = unpublished;
}

void
lspub_free(struct lspub *p)
{
	free(p->pending);
	free(p->cur);
	p->pending = p->cur = NULL;
	p->sign_reqid = 0;
}

void
lspub_changed(struct lspub *p, time_t now)
{
	time_t	at = now + LSPUB_SETTLE;

	if (!p->dirty || p->due > at)
		p->due = at;
	if (p->built != 0 && p->due < p->built + LSPUB_MIN_GAP)
		p->due = p->built + LSPUB_MIN_GAP;
	p->dirty = 1;
}

/* the n leases ending last come first */
static int
later_first(const void *a, const void *b)
{
	const struct lspub_lease	*la = *(const struct lspub_lease * const *)a;
	const struct lspub_lease	*lb = *(const struct lspub_lease * const *)b;

	if (la->expires != lb->expires)
		return la->expires > lb->expires ? -1 : 1;
	return 0;
}

/* the LeaseSet2's fields from the live leases; -1 if none is live */
static int
build(struct lspub *p, const struct lspub_lease *l, size_t n, time_t now,
    struct leaseset2 *ls)
{
	const struct lspub_lease	*live[64];
	struct i2p_err			 err;
	size_t				 i, nlive = 0;
	int64_t				 last;

	for (i = 0; i < n && nlive < sizeof(live) / sizeof(live[0]); i++)
		if (l[i].expires > now && l[i].tunnel_id != 0)
			live[nlive++] = &l[i];
	if (nlive == 0)
		return -1;
	qsort(live, nlive, sizeof(live[0]), later_first);
	if (nlive > LS2_MAX_LEASES)
		nlive = LS2_MAX_LEASES;
	ls2_init(ls);
	ls->dest = p->ident;
	/* floodfills keep the newest: published must always grow */
	ls->published = (uint32_t)now > p->published ? (uint32_t)now :
	    p->published + 1;
	last = live[0]->expires;
	if (last <= ls->published)
		return -1;
	ls->expires = last - ls->published > UINT16_MAX ? UINT16_MAX :
	    (uint16_t)(last - ls->published);
	ls->flags = p->unpublished ? LS2_F_UNPUBLISHED : 0;
	if (ls2_add_key(ls, CRYPTOTYPE_X25519, p->enc_pub,
	    sizeof(p->enc_pub), &err) == -1)
		return -1;
	for (i = 0; i < nlive; i++) {
		memcpy(ls->leases[i].gateway, live[i]->gateway, 32);
		ls->leases[i].tunnel_id = live[i]->tunnel_id;
		ls->leases[i].end_date = (uint32_t)live[i]->expires;
	}
	ls->nleases = (uint8_t)nlive;
	return 0;
}

/* asks cryptod to sign 0x03 and the body, as ls2_sign will check */
static int
request_signature(struct lspub *p, const struct lspub_ops *ops)
{
	uint8_t		 msg[1 + LS2_MAXLEN];
	struct wbuf	 w;

	wbuf_init_fixed(&w, msg, sizeof(msg));
	wbuf_put_u8(&w, LS2_STORE_TYPE);
	if (ls2_write_body(p->pending, &w) == -1 || wbuf_error(&w))
		return -1;
	p->sign_reqid = ops->reqid();
	ops->sign(p->sign_reqid, p->keyid, wbuf_data(&w), wbuf_len(&w));
	return 0;
}

void
lspub_tick(struct lspub *p, const struct lspub_lease *l, size_t n,
    time_t now, const struct lspub_ops *ops)
{
	if (p->sign_reqid != 0) {
		if (now - p->built < LSPUB_SIGN_TIMEOUT)
			return;
		log_warnx("LeaseSet of key %08x: no signature from cryptod "
		    "in %d s; building it again", p->keyid,
		    LSPUB_SIGN_TIMEOUT);
		free(p->pending);
		p->pending = NULL;
		p->sign_reqid = 0;
		p->dirty = 1;
	}
	if (!p->dirty || now < p->due)
		return;
	p->dirty = 0;
	if (p->pending == NULL &&
	    (p->pending = calloc(1, sizeof(*p->pending))) == NULL)
		fatal(NULL);
	if (build(p, l, n, now, p->pending) == -1 ||
	    request_signature(p, ops) == -1) {
		/* no live lease: the next tunnel ready marks it dirty */
		free(p->pending);
		p->pending = NULL;
		return;
	}
	p->published = p->pending->published;
	p->built = now;
	p->nbuilt++;
}

/* hands ls2_sign the signature cryptod made over the same bytes */
static int
sign_with(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	memcpy(sig, arg, 64);
	return 0;
}

static void
publish(struct lspub *p, const struct lspub_ops *ops)
{
	struct ls_publish	lp;

	memset(&lp, 0, sizeof(lp));
	lp.client = p->keyid;
	lp.type = LS2_STORE_TYPE;
	memcpy(lp.key, p->ident.hash, sizeof(lp.key));
	lp.published = p->cur->published;
	ops->publish(&lp, p->cur->raw, p->cur->rawlen);
}

int
lspub_signed(struct lspub *p, uint32_t reqid, const uint8_t sig[64],
    const struct lspub_ops *ops)
{
	struct i2p_err	err;
	char		why[128];

	if (reqid == 0 || reqid != p->sign_reqid)
		return 0;
	p->sign_reqid = 0;
	/* serialized again and checked against the destination's key */
	if (ls2_sign(p->pending, sign_with, (void *)sig, &err) == -1) {
		log_warnx("LeaseSet of key %08x: %s", p->keyid,
		    i2p_errstr(&err, why, sizeof(why)));
		free(p->pending);
		p->pending = NULL;
		return 1;
	}
	free(p->cur);
	p->cur = p->pending;
	p->pending = NULL;
	p->state = 0;
	if (!p->unpublished)
		publish(p, ops);
	return 1;
}

int
lspub_sign_failed(struct lspub *p, uint32_t reqid, time_t now)
{
	if (reqid == 0 || reqid != p->sign_reqid)
		return 0;
	p->sign_reqid = 0;
	free(p->pending);
	p->pending = NULL;
	/* try again after the usual gap, not in a loop */
	lspub_changed(p, now);
	return 1;
}

void
lspub_status(struct lspub *p, const struct ls_status *st, time_t now)
{
	if (p->cur == NULL || st->published != p->cur->published)
		return;
	switch (st->state) {
	case LS_STORED:
		p->nstored++;
		break;
	case LS_VERIFIED:
		p->nverified++;
		break;
	case LS_FAILED:
		p->nfailed++;
		break;
	default:
		return;
	}
	/* stored after verified says nothing new */
	if (st->state == LS_STORED && p->state == LS_VERIFIED)
		return;
	p->state = st->state;
	memcpy(p->floodfill, st->floodfill, sizeof(p->floodfill));
	p->state_at = now;
}
