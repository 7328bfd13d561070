/*
 * The creator's side of tunnel builds; see build.h.  Records are 4 for
 * up to 4 hops, 8 beyond (as the other routers send them), the hops at
 * random places and the others filled with random bytes.  A hop masks
 * short records with a ChaCha20 stream (the order of the masks does
 * not matter) and long ones with AES-256-CBC, where it does: the last
 * hop's mask is undone first.
 */
#include <string.h>

#include "crypto.h"
#include "build.h"

uint32_t
build_random_id(void)
{
	uint32_t	id = 0;

	while (id == 0)
		crypto_random_fill(&id, sizeof(id));
	return id;
}

/* pos[0..nrecs) a random permutation of 0..nrecs */
static void
shuffle(int *pos, size_t nrecs)
{
	size_t		i, j;
	uint32_t	r;
	int		t;

	for (i = 0; i < nrecs; i++)
		pos[i] = i;
	for (i = nrecs - 1; i > 0; i--) {
		crypto_random_fill(&r, sizeof(r));
		j = r % (i + 1);
		t = pos[i];
		pos[i] = pos[j];
		pos[j] = t;
	}
}

/* what hop i is asked to do */
static void
hop_request(const struct build *b, size_t i, int64_t now, struct brec_req *r)
{
	const struct build_hop	*h = &b->hops[i];

	memset(r, 0, sizeof(*r));
	r->recv_tunnel = h->recv_id;
	r->request_min = now / 60;
	r->expiration = BUILD_LIFE;
	if (i + 1 < b->nhops) {
		r->next_tunnel = b->hops[i + 1].recv_id;
		memcpy(r->next_hash, b->hops[i + 1].hash, 32);
		r->next_msg_id = build_random_id();
	} else if (b->inbound) {
		r->next_tunnel = b->end_id;
		memcpy(r->next_hash, b->self, 32);
		r->next_msg_id = b->reply_msg_id;
	} else {
		r->next_tunnel = b->reply_tunnel;
		memcpy(r->next_hash, b->reply_gw, 32);
		r->next_msg_id = b->reply_msg_id;
		r->flags = BREC_F_OBEP;
	}
	if (b->inbound && i == 0)
		r->flags |= BREC_F_IBGW;
}

static int
seal(struct build *b, size_t i, const struct brec_req *r, uint8_t *rec)
{
	struct build_hop	*h = &b->hops[i];

	if (!b->long_recs)
		return brec_seal(rec, h->hash, h->pub, r, &h->keys);
	if (brec_long_seal(rec, h->hash, h->pub, r, &h->lkeys) == -1)
		return -1;
	memcpy(h->keys.layer_key, h->lkeys.layer_key, 32);
	memcpy(h->keys.iv_key, h->lkeys.iv_key, 32);
	return 0;
}

/* hop i's mask on record rec at index pos, undone */
static int
unmask(const struct build *b, size_t i, uint8_t *rec, int pos)
{
	return b->long_recs ? brec_long_unmask(rec, &b->hops[i].lkeys) :
	    brec_mask(rec, b->hops[i].keys.reply_key, pos);
}

static size_t
reclen(const struct build *b)
{
	return b->long_recs ? BREC_LONG_LEN : BREC_LEN;
}

int
build_make(struct build *b, int64_t now, uint8_t msg[BUILD_MSG_MAX])
{
	struct brec_req	 r;
	int		 pos[BREC_MAX], i, j;
	size_t		 rl = reclen(b);
	uint8_t		*recs = msg + 1;

	if (b->nhops < 1 || b->nhops > BUILD_HOPS_MAX)
		return -1;
	b->nrecs = b->nhops <= 4 ? 4 : BREC_MAX;
	for (i = 0; i < (int)b->nhops; i++)
		if (b->hops[i].recv_id == 0)
			b->hops[i].recv_id = build_random_id();
	if (b->inbound && b->end_id == 0)
		b->end_id = build_random_id();
	b->reply_msg_id = build_random_id();
	shuffle(pos, b->nrecs);
	msg[0] = b->nrecs;
	crypto_random_fill(recs, b->nrecs * rl);
	for (i = 0; i < (int)b->nhops; i++) {
		b->hops[i].pos = pos[i];
		hop_request(b, i, now, &r);
		if (seal(b, i, &r, recs + pos[i] * rl) == -1)
			return -1;
	}
	/* the hops before each one will mask its record: undo it now */
	for (j = 1; j < (int)b->nhops; j++)
		for (i = j - 1; i >= 0; i--)
			if (unmask(b, i, recs + pos[j] * rl, pos[j]) == -1)
				return -1;
	return 1 + b->nrecs * rl;
}

static int
reply_open(const struct build *b, size_t j, const uint8_t *rec,
    uint8_t *code)
{
	if (b->long_recs)
		return brec_long_reply_open(rec, &b->hops[j].lkeys, code);
	return brec_reply_open(rec, &b->hops[j].keys, b->hops[j].pos, code);
}

int
build_reply(const struct build *b, const uint8_t *p, size_t len,
    uint8_t codes[BUILD_HOPS_MAX])
{
	uint8_t	rec[BREC_LONG_LEN];
	size_t	rl = reclen(b);
	int	refused = 0, pos, i, j;

	if (len < 1 || p[0] != b->nrecs || len != 1 + b->nrecs * rl)
		return -1;
	for (j = 0; j < (int)b->nhops; j++) {
		pos = b->hops[j].pos;
		memcpy(rec, p + 1 + pos * rl, rl);
		/* the hops after this one masked its reply, the last last */
		for (i = b->nhops - 1; i > j; i--)
			if (unmask(b, i, rec, pos) == -1)
				return -1;
		if (reply_open(b, j, rec, &codes[j]) == -1)
			return -1;
		if (codes[j] != BREC_ACCEPT)
			refused = 1;
	}
	return refused;
}

void
build_wipe(struct build *b)
{
	size_t	i;

	for (i = 0; i < BUILD_HOPS_MAX; i++) {
		crypto_wipe(&b->hops[i].keys, sizeof(b->hops[i].keys));
		crypto_wipe(&b->hops[i].lkeys, sizeof(b->hops[i].lkeys));
	}
}
