/*
 * tunneld's DH and signature requests to cryptod (kreq.h).
 */
#include <string.h>

#include "kreq.h"

struct kreq {
	uint32_t		 reqid;		/* 0: free slot */
	struct kreq_cookie	 cookie;
	kreq_cb			 cb;
	time_t			 sent;
};

static const struct kreq_ops	*ops;
static struct kreq		 reqs[KREQ_MAX];
static struct kreq_stats	 st;

void
kreq_init(const struct kreq_ops *o)
{
	ops = o;
	memset(reqs, 0, sizeof(reqs));
	memset(&st, 0, sizeof(st));
}

/* a free slot if the destination and the table have room */
static struct kreq *
slot_get(uint32_t keyid)
{
	struct kreq	*free = NULL;
	size_t		 i, mine = 0;

	for (i = 0; i < KREQ_MAX; i++) {
		if (reqs[i].reqid == 0) {
			if (free == NULL)
				free = &reqs[i];
		} else if (reqs[i].cookie.keyid == keyid)
			mine++;
	}
	if (free == NULL || mine >= KREQ_PER_DEST) {
		st.refused++;
		return NULL;
	}
	return free;
}

static struct kreq *
slot_take(const struct kreq_cookie *c, kreq_cb cb, time_t now)
{
	struct kreq	*k;

	if ((k = slot_get(c->keyid)) == NULL)
		return NULL;
	k->reqid = ops->reqid();
	k->cookie = *c;
	k->cb = cb;
	k->sent = now;
	st.inflight++;
	return k;
}

int
kreq_dh(const struct kreq_cookie *c, const uint8_t peer[32], kreq_cb cb,
    time_t now)
{
	struct kreq	*k;

	if ((k = slot_take(c, cb, now)) == NULL)
		return -1;
	st.dh++;
	ops->dh(k->reqid, c->keyid, peer);
	return 0;
}

int
kreq_sign(const struct kreq_cookie *c, const uint8_t *data, size_t len,
    kreq_cb cb, time_t now)
{
	struct kreq	*k;

	if ((k = slot_take(c, cb, now)) == NULL)
		return -1;
	st.sign++;
	ops->sign(k->reqid, c->keyid, data, len);
	return 0;
}

static struct kreq *
find(uint32_t reqid)
{
	size_t	i;

	if (reqid == 0)
		return NULL;
	for (i = 0; i < KREQ_MAX; i++)
		if (reqs[i].reqid == reqid)
			return &reqs[i];
	return NULL;
}

/* frees the slot first: the callback may ask again */
static int
answer(uint32_t reqid, int ok, const uint8_t *out)
{
	struct kreq		*k;
	struct kreq_cookie	 c;
	kreq_cb			 cb;

	if ((k = find(reqid)) == NULL)
		return 0;
	c = k->cookie;
	cb = k->cb;
	memset(k, 0, sizeof(*k));
	st.inflight--;
	if (!ok)
		st.failed++;
	cb(&c, ok, out);
	return 1;
}

int
kreq_dh_result(uint32_t reqid, const uint8_t shared[32])
{
	return answer(reqid, 1, shared);
}

int
kreq_signature(uint32_t reqid, const uint8_t sig[64])
{
	return answer(reqid, 1, sig);
}

int
kreq_error(uint32_t reqid)
{
	return answer(reqid, 0, NULL);
}

void
kreq_expire(time_t now)
{
	size_t	i;

	for (i = 0; i < KREQ_MAX; i++)
		if (reqs[i].reqid != 0 && now - reqs[i].sent >= KREQ_TIMEOUT) {
			st.timeouts++;
			answer(reqs[i].reqid, 0, NULL);
		}
}

void
kreq_drop_dest(uint32_t keyid)
{
	size_t	i;

	for (i = 0; i < KREQ_MAX; i++)
		if (reqs[i].reqid != 0 && reqs[i].cookie.keyid == keyid) {
			memset(&reqs[i], 0, sizeof(reqs[i]));
			st.inflight--;
		}
}

void
kreq_stats(struct kreq_stats *out)
{
	*out = st;
}
