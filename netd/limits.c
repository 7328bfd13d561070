/*
 * The bookkeeping that keeps peers from making netd hold without bound,
 * as pure functions of their inputs (the caller passes the clock):
 *
 * - the replay filter for message 1's ephemeral key (common/replay.c):
 *   Bob remembers each key for twice the allowed clock skew; an older
 *   message 1 fails the timestamp check anyway.
 * - counts per source address (an IPv6 /64: whoever has one address of
 *   a /64 usually has them all) of handshakes in progress and of
 *   established inbound sessions, each in a table as large as its
 *   global limit (there cannot be more sources than sessions).
 * - handshakes in progress, inbound and our dials each with a budget
 *   of their own, so that connections from outside cannot spend ours.
 * - the size of the session table, from the descriptor limit, and the
 *   share of it only our own dials may take.
 * - bounded queues of I2NP messages.  Before a session is up, routerd's
 *   messages wait with drop-oldest (the newest are the likeliest to
 *   still matter); on an established session the socket is the limit
 *   and the newest are dropped (what is queued is already in order).
 *   Either way a full queue first sheds the messages whose I2NP
 *   expiration has passed.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "netd.h"

int
srclimit_init(struct srclimit *sl, size_t cap, uint32_t per_src)
{
	memset(sl, 0, sizeof(*sl));
	if ((sl->ent = calloc(cap, sizeof(*sl->ent))) == NULL)
		return -1;
	sl->cap = cap;
	sl->per_src = per_src;
	return 0;
}

void
srclimit_free(struct srclimit *sl)
{
	free(sl->ent);
	memset(sl, 0, sizeof(*sl));
}

static struct src_ent *
srclimit_find(const struct srclimit *sl, const uint8_t addr[16])
{
	size_t	 i;

	for (i = 0; i < sl->used; i++)
		if (memcmp(sl->ent[i].addr, addr, 16) == 0)
			return &sl->ent[i];
	return NULL;
}

int
srclimit_add(struct srclimit *sl, const uint8_t addr[16])
{
	struct src_ent	*e;

	if ((e = srclimit_find(sl, addr)) != NULL) {
		if (e->n >= sl->per_src)
			return -1;
		e->n++;
		return 0;
	}
	if (sl->used == sl->cap || sl->per_src == 0)
		return -1;
	e = &sl->ent[sl->used++];
	memcpy(e->addr, addr, 16);
	e->n = 1;
	return 0;
}

void
srclimit_del(struct srclimit *sl, const uint8_t addr[16])
{
	struct src_ent	*e;

	if ((e = srclimit_find(sl, addr)) == NULL)
		return;
	/* the table stays dense: the last entry fills the hole */
	if (--e->n == 0)
		*e = sl->ent[--sl->used];
}

uint32_t
srclimit_count(const struct srclimit *sl, const uint8_t addr[16])
{
	const struct src_ent	*e;

	return (e = srclimit_find(sl, addr)) == NULL ? 0 : e->n;
}

int
srclimit_addr(const struct sockaddr_storage *ss, uint8_t out[16])
{
	const struct sockaddr_in	*sin = (const void *)ss;
	const struct sockaddr_in6	*sin6 = (const void *)ss;

	memset(out, 0, 16);
	switch (ss->ss_family) {
	case AF_INET:
		out[10] = out[11] = 0xff;
		memcpy(out + 12, &sin->sin_addr, 4);
		return 0;
	case AF_INET6:
		memcpy(out, &sin6->sin6_addr, 16);
		/* IPv4-mapped is one IPv4 address; the rest count per /64 */
		if (!IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
			memset(out + 8, 0, 8);
		return 0;
	default:
		return -1;
	}
}

void
hs_budget_init(struct hs_budget *b, uint32_t in, uint32_t out)
{
	memset(b, 0, sizeof(*b));
	b->max[1] = in;
	b->max[0] = out;
}

int
hs_budget_take(struct hs_budget *b, int inbound)
{
	int	 i = inbound != 0;

	if (b->n[i] >= b->max[i])
		return -1;
	b->n[i]++;
	return 0;
}

void
hs_budget_put(struct hs_budget *b, int inbound)
{
	int	 i = inbound != 0;

	if (b->n[i] > 0)
		b->n[i]--;
}

void
sess_limits_init(struct sess_limits *l, uint64_t nofile)
{
	uint64_t	 max;

	/* a tiny limit still leaves half for what is not a session */
	if (nofile >= 2 * NETD_FD_SPARE)
		max = nofile - NETD_FD_SPARE;
	else
		max = nofile / 2;
	if (max > NETD_SESS_CAP)
		max = NETD_SESS_CAP;
	l->max = max;
	l->reserve = max / NETD_SESS_RESERVE;
}

int
sess_limits_room(const struct sess_limits *l, uint32_t nsess, int inbound)
{
	if (inbound)
		return nsess + l->reserve < l->max;
	return nsess < l->max;
}

void
msgq_init(struct msgq *q, size_t max_n, size_t max_bytes,
    enum msgq_policy policy)
{
	memset(q, 0, sizeof(*q));
	TAILQ_INIT(&q->q);
	q->max_n = max_n;
	q->max_bytes = max_bytes;
	q->policy = policy;
}

void
msgq_remove(struct msgq *q, struct qmsg *m)
{
	TAILQ_REMOVE(&q->q, m, entry);
	q->n--;
	q->bytes -= m->len;
	free(m);
}

void
msgq_clear(struct msgq *q)
{
	struct qmsg	*m;

	while ((m = TAILQ_FIRST(&q->q)) != NULL)
		msgq_remove(q, m);
}

int
msgq_expiry(const uint8_t *msg, size_t len, uint32_t *exp)
{
	struct rbuf	 r;

	rbuf_init(&r, msg, len);
	return rbuf_skip(&r, 5) == -1 ? -1 : rbuf_get_u32(&r, exp);
}

static int
msgq_expired(const struct qmsg *m, uint32_t now)
{
	uint32_t	 exp;

	return msgq_expiry(m->data, m->len, &exp) == -1 || exp < now;
}

static int
msgq_fits(const struct msgq *q, size_t len)
{
	return q->n < q->max_n && q->bytes + len <= q->max_bytes;
}

/* sheds every expired message; the whole queue, only when it is full */
static void
msgq_shed_expired(struct msgq *q, uint32_t now)
{
	struct qmsg	*m, *next;

	for (m = TAILQ_FIRST(&q->q); m != NULL; m = next) {
		next = TAILQ_NEXT(m, entry);
		if (msgq_expired(m, now)) {
			msgq_remove(q, m);
			q->dropped++;
		}
	}
}

static void
msgq_append(struct msgq *q, struct qmsg *m)
{
	TAILQ_INSERT_TAIL(&q->q, m, entry);
	q->n++;
	q->bytes += m->len;
}

/* makes room for len bytes by the queue's policy; -1 if it cannot */
static int
msgq_make_room(struct msgq *q, size_t len, uint32_t now)
{
	if (len > q->max_bytes || q->max_n == 0)
		return -1;
	if (msgq_fits(q, len))
		return 0;
	msgq_shed_expired(q, now);
	if (q->policy == MSGQ_DROP_NEWEST)
		return msgq_fits(q, len) ? 0 : -1;
	while (!msgq_fits(q, len)) {
		msgq_remove(q, TAILQ_FIRST(&q->q));
		q->dropped++;
	}
	return 0;
}

int
msgq_push(struct msgq *q, const uint8_t *msg, size_t len, uint32_t now)
{
	struct qmsg	*m;
	uint32_t	 exp;

	if (msgq_expiry(msg, len, &exp) == -1 || exp < now ||
	    msgq_make_room(q, len, now) == -1 ||
	    (m = malloc(sizeof(*m) + len)) == NULL) {
		q->dropped++;
		return -1;
	}
	m->len = len;
	memcpy(m->data, msg, len);
	msgq_append(q, m);
	return 0;
}

struct qmsg *
msgq_first(struct msgq *q, uint32_t now)
{
	struct qmsg	*m;

	while ((m = TAILQ_FIRST(&q->q)) != NULL && msgq_expired(m, now)) {
		msgq_remove(q, m);
		q->dropped++;
	}
	return m;
}

void
msgq_move(struct msgq *dst, struct msgq *src, uint32_t now)
{
	struct qmsg	*m;

	while ((m = TAILQ_FIRST(&src->q)) != NULL) {
		TAILQ_REMOVE(&src->q, m, entry);
		src->n--;
		src->bytes -= m->len;
		if (msgq_expired(m, now) ||
		    msgq_make_room(dst, m->len, now) == -1) {
			dst->dropped++;
			free(m);
			continue;
		}
		msgq_append(dst, m);
	}
}
