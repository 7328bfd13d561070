/*
 * The creator's side of short tunnel builds; see build.h.  Records are
 * 4 for up to 4 hops, 8 beyond (as the other routers send them), the
 * hops at random places and the others filled with random bytes.
 */
#include <string.h>

#include "crypto.h"
#include "build.h"

uint32_t
build_random_id(void)
{
	uint32_t	id = 0;

	while (id == 0)
		crypto_random(&id, sizeof(id));
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
		crypto_random(&r, sizeof(r));
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

int
build_make(struct build *b, int64_t now, uint8_t msg[BUILD_MSG_MAX])
{
	struct brec_req	 r;
	int		 pos[BREC_MAX];
	size_t		 i, j;
	uint8_t		*recs = msg + 1;

	if (b->nhops < 1 || b->nhops > BUILD_HOPS_MAX)
		return -1;
	b->nrecs = b->nhops <= 4 ? 4 : BREC_MAX;
	for (i = 0; i < b->nhops; i++)
		if (b->hops[i].recv_id == 0)
			b->hops[i].recv_id = build_random_id();
	if (b->inbound && b->end_id == 0)
		b->end_id = build_random_id();
	b->reply_msg_id = build_random_id();
	shuffle(pos, b->nrecs);
	msg[0] = b->nrecs;
	crypto_random(recs, b->nrecs * BREC_LEN);
	for (i = 0; i < b->nhops; i++) {
		b->hops[i].pos = pos[i];
		hop_request(b, i, now, &r);
		if (brec_seal(recs + pos[i] * BREC_LEN, b->hops[i].hash,
		    b->hops[i].pub, &r, &b->hops[i].keys) == -1)
			return -1;
	}
	/* the hops before each one will mask its record: undo it now */
	for (j = 1; j < b->nhops; j++)
		for (i = 0; i < j; i++)
			if (brec_mask(recs + pos[j] * BREC_LEN,
			    b->hops[i].keys.reply_key, pos[j]) == -1)
				return -1;
	return 1 + b->nrecs * BREC_LEN;
}

int
build_reply(const struct build *b, const uint8_t *p, size_t len,
    uint8_t codes[BUILD_HOPS_MAX])
{
	uint8_t	rec[BREC_LEN];
	size_t	i, j;
	int	refused = 0, pos;

	if (len < 1 || p[0] != b->nrecs || len != 1 + b->nrecs * BREC_LEN)
		return -1;
	for (j = 0; j < b->nhops; j++) {
		pos = b->hops[j].pos;
		memcpy(rec, p + 1 + pos * BREC_LEN, BREC_LEN);
		/* the hops after this one masked its reply */
		for (i = j + 1; i < b->nhops; i++)
			if (brec_mask(rec, b->hops[i].keys.reply_key,
			    pos) == -1)
				return -1;
		if (brec_reply_open(rec, &b->hops[j].keys, pos,
		    &codes[j]) == -1)
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

	for (i = 0; i < BUILD_HOPS_MAX; i++)
		crypto_wipe(&b->hops[i].keys, sizeof(b->hops[i].keys));
}
