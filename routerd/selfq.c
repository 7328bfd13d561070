/*
 * Messages we send to ourselves: the end of a tunnel that names our own
 * router (an outbound endpoint delivering to the gateway of a tunnel we
 * also serve).  They wait here and are handled from the event loop, a
 * turn's worth at a time, never by recursion: two transit tunnels
 * looped through us would otherwise call dispatch() inside dispatch()
 * until routerd's stack ran out (audit #2).  The queue is bounded in
 * messages and bytes; beyond that, messages are dropped and counted.
 */
#include <bsd/sys/queue.h>
#include <event.h>
#include <stdlib.h>
#include <string.h>

#include "i2pdata.h"
#include "log.h"
#include "routerd.h"

struct selfq_msg {
	TAILQ_ENTRY(selfq_msg)	 entry;
	struct i2np_hdr		 h;
	uint8_t			 payload[];
};

static TAILQ_HEAD(, selfq_msg)	 q = TAILQ_HEAD_INITIALIZER(q);
static size_t			 q_n, q_bytes;
static struct selfq_stats	 st;
static selfq_fn			 deliver;
static struct event		 ev;
static int			 ev_ready, ev_armed;

static void	selfq_event(int, short, void *);

void
selfq_init(selfq_fn fn, int use_event)
{
	deliver = fn;
	if (use_event && !ev_ready) {
		evtimer_set(&ev, selfq_event, NULL);
		ev_ready = 1;
	}
}

int
selfq_push(const struct i2np_hdr *h, const uint8_t *payload, size_t len)
{
	struct timeval		 now = { 0, 0 };
	struct selfq_msg	*m;

	if (len > I2NP_MAX_PAYLOAD)
		return -1;
	if (q_n >= SELFQ_MAX_MSGS || q_bytes + len > SELFQ_MAX_BYTES ||
	    (m = malloc(sizeof(*m) + len)) == NULL) {
		st.dropped++;
		return -1;
	}
	m->h = *h;
	m->h.size = len;
	memcpy(m->payload, payload, len);
	TAILQ_INSERT_TAIL(&q, m, entry);
	q_n++;
	q_bytes += len;
	st.queued++;
	if (q_n > st.peak)
		st.peak = q_n;
	if (ev_ready && !ev_armed) {
		evtimer_add(&ev, &now);
		ev_armed = 1;
	}
	return 0;
}

/*
 * What was queued when the turn began is handled; what those messages
 * queue in turn waits for the next turn, so a loop costs one message
 * per turn of the event loop instead of the stack.
 */
size_t
selfq_run(void)
{
	struct selfq_msg	*m;
	size_t			 n = q_n, done = 0;
	struct timeval		 now = { 0, 0 };

	ev_armed = 0;
	while (done < n && (m = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, m, entry);
		q_n--;
		q_bytes -= m->h.size;
		if (deliver != NULL)
			deliver(&m->h, m->payload);
		st.delivered++;
		free(m);
		done++;
	}
	if (q_n > 0 && ev_ready && !ev_armed) {
		evtimer_add(&ev, &now);
		ev_armed = 1;
	}
	return done;
}

static void
selfq_event(int fd, short event, void *arg)
{
	selfq_run();
}

void
selfq_stats(struct selfq_stats *out)
{
	*out = st;
	out->waiting = q_n;
}

void
selfq_shutdown(void)
{
	struct selfq_msg	*m;

	if (ev_ready)
		evtimer_del(&ev);
	ev_armed = 0;
	while ((m = TAILQ_FIRST(&q)) != NULL) {
		TAILQ_REMOVE(&q, m, entry);
		free(m);
	}
	q_n = q_bytes = 0;
}
