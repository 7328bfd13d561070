/*
 * Fragmentation and reassembly of I2NP messages in tunnel messages.
 * The first fragment carries the delivery instructions and, when more
 * follow, a message ID; follow-on fragments carry that ID, their
 * number (1-63) and whether they are the last.  Fragments may arrive
 * in any order; a message waits at most FRAG_TIMEOUT for the rest, and
 * at most FRAG_PENDING_MAX wait at once, so a hostile gateway cannot
 * make the endpoint hold more than that.
 *
 * All tables together (every transit endpoint, our inbound tunnels)
 * hold at most FRAG_BYTES_MAX: each fragment kept is charged, with
 * each message's entry, and given back when its message completes,
 * expires or its tunnel goes.  One tunnel may hold 8 MiB; thousands of
 * them, all one attacker's, could otherwise hold gigabytes (audit #11).
 * A fragment over the budget is dropped and counted.
 */
#include <stdlib.h>
#include <string.h>

#include "frag.h"

struct frag_msg {
	struct frag_msg	*next;
	uint32_t	 msg_id;
	int64_t		 first_seen;
	int		 have_first;
	struct tdi	 dest;		/* the first fragment's instructions */
	int		 last_num;	/* -1 until the last fragment came */
	uint64_t	 have;		/* bit n: fragment n is here */
	uint16_t	 size[64];
	uint8_t		*data[64];
};

static size_t		held;		/* bytes, all tables */
static uint64_t		over_budget;	/* fragments dropped */

int
frag_split(const uint8_t *msg, size_t len, const struct tdi *dest,
    uint32_t msg_id, struct tdi out[64])
{
	struct tdi	 first = *dest;
	size_t		 room, off, n;
	int		 i;

	first.follow_on = 0;
	first.fragmented = 0;
	if (len == 0 || len > FRAG_MSG_MAX)
		return -1;
	if (tdi_len(&first) + len <= TMSG_ROOM) {
		out[0] = first;
		out[0].frag = msg;
		out[0].size = len;
		return 1;
	}
	first.fragmented = 1;
	first.msg_id = msg_id;
	room = TMSG_ROOM - tdi_len(&first);
	out[0] = first;
	out[0].frag = msg;
	out[0].size = room;
	for (i = 1, off = room; off < len; i++, off += n) {
		if (i > TDI_FRAG_MAX)
			return -1;
		memset(&out[i], 0, sizeof(out[i]));
		out[i].follow_on = 1;
		out[i].msg_id = msg_id;
		out[i].frag_num = i;
		room = TMSG_ROOM - tdi_len(&out[i]);
		n = len - off < room ? len - off : room;
		out[i].frag = msg + off;
		out[i].size = n;
		out[i].last = off + n == len;
	}
	return i;
}

void
frag_init(struct frag_table *t)
{
	memset(t, 0, sizeof(*t));
}

/* n more bytes within the budget: taken, 1; else counted, 0 */
static int
charge(size_t n)
{
	if (n > FRAG_BYTES_MAX - held) {
		over_budget++;
		return 0;
	}
	held += n;
	return 1;
}

static void
msg_free(struct frag_msg *m)
{
	int	i;

	for (i = 0; i < 64; i++) {
		if (m->data[i] != NULL)
			held -= m->size[i];
		free(m->data[i]);
	}
	held -= sizeof(*m);
	free(m);
}

size_t
frag_held(void)
{
	return held;
}

uint64_t
frag_over_budget(void)
{
	return over_budget;
}

static struct frag_msg *
find(struct frag_table *t, uint32_t msg_id, struct frag_msg ***prevp)
{
	struct frag_msg	**pp;

	for (pp = &t->head; *pp != NULL; pp = &(*pp)->next)
		if ((*pp)->msg_id == msg_id) {
			*prevp = pp;
			return *pp;
		}
	return NULL;
}

/* all fragments here: one buffer, to done, and the entry goes */
static void
complete(struct frag_table *t, struct frag_msg **pp, frag_done_cb done,
    void *arg)
{
	struct frag_msg	*m = *pp;
	uint8_t		*buf;
	size_t		 len = 0;
	int		 i;

	for (i = 0; i <= m->last_num; i++)
		len += m->size[i];
	if ((buf = malloc(len)) != NULL) {
		for (len = 0, i = 0; i <= m->last_num; i++) {
			memcpy(buf + len, m->data[i], m->size[i]);
			len += m->size[i];
		}
		done(arg, &m->dest, buf, len);
		free(buf);
	}
	*pp = m->next;
	t->n--;
	msg_free(m);
}

/* the entry for a fragmented message, new if need be */
static struct frag_msg *
entry(struct frag_table *t, uint32_t msg_id, int64_t now,
    struct frag_msg ***pp, const char **why)
{
	struct frag_msg	*m;

	if ((m = find(t, msg_id, pp)) != NULL)
		return m;
	*why = "too many messages being reassembled";
	if (t->n >= FRAG_PENDING_MAX)
		return NULL;
	*why = "reassembly memory full";
	if (!charge(sizeof(*m)))
		return NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL) {
		held -= sizeof(*m);
		return NULL;
	}
	m->msg_id = msg_id;
	m->first_seen = now;
	m->last_num = -1;
	m->next = t->head;
	t->head = m;
	t->n++;
	*pp = &t->head;
	return m;
}

int
frag_add(struct frag_table *t, const struct tdi *d, int64_t now,
    frag_done_cb done, void *arg, const char **why)
{
	struct frag_msg	*m, **pp;
	int		 num = d->follow_on ? d->frag_num : 0;

	if (!d->follow_on && !d->fragmented) {
		done(arg, d, d->frag, d->size);
		return 0;
	}
	if ((m = entry(t, d->msg_id, now, &pp, why)) == NULL)
		return -1;
	*why = "duplicate fragment";
	if (m->have & (1ULL << num))
		return -1;
	*why = "fragment after the last";
	if ((m->last_num != -1 && num > m->last_num) ||
	    (d->last && (m->have >> num) > 1))
		return -1;
	*why = "reassembly memory full";
	if (!charge(d->size))
		return -1;
	*why = "out of memory";
	if ((m->data[num] = malloc(d->size)) == NULL) {
		held -= d->size;
		return -1;
	}
	memcpy(m->data[num], d->frag, d->size);
	m->size[num] = d->size;
	m->have |= 1ULL << num;
	if (num == 0) {
		m->dest = *d;
		m->dest.frag = NULL;
	}
	if (d->last)
		m->last_num = num;
	if (m->last_num != -1 && m->have == (m->last_num == 63 ? ~0ULL :
	    (1ULL << (m->last_num + 1)) - 1))
		complete(t, pp, done, arg);
	return 0;
}

size_t
frag_expire(struct frag_table *t, int64_t now)
{
	struct frag_msg	**pp = &t->head, *m;
	size_t		  n = 0;

	while ((m = *pp) != NULL) {
		if (now - m->first_seen >= FRAG_TIMEOUT) {
			*pp = m->next;
			t->n--;
			msg_free(m);
			n++;
		} else
			pp = &m->next;
	}
	return n;
}

void
frag_free(struct frag_table *t)
{
	struct frag_msg	*m;

	while ((m = t->head) != NULL) {
		t->head = m->next;
		msg_free(m);
	}
	t->n = 0;
}
