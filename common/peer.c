/*
 * imsg links driven by libevent.  Every message read passes
 * proc_check_imsg (the table in msgtab.c) before its dispatcher sees it.
 * Flow control as in bgpd: while more than PEER_QUEUE_HIGH messages wait
 * to be written to a peer we stop reading its requests, and resume below
 * PEER_QUEUE_LOW, so a peer that does not read cannot make us queue
 * without bound.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"

/*
 * How often the registered links' empty read buffers (64 kB each) go and
 * malloc hands its free pages back.  A busy link takes a new buffer on
 * its next read, one malloc per link and period; the pages freed are
 * those of bursts (queued messages, reassembly) that are over.
 */
#define PEER_TRIM_SECS	10

static struct peer	*peer_table[PROC_MAX];
static struct event	 ev_trim;

static void	 peer_cb(int, short, void *);

int
proc_check_imsg(const struct imsg *imsg, enum proc_id from, enum proc_id self)
{
	const struct msgtab_entry	*e;
	uint32_t			 type = imsg->hdr.type;

	if ((e = msgtab_lookup(type)) == NULL) {
		log_warnx("unknown imsg type %u from %s", type, proc_name(from));
		return -1;
	}
	if ((e->senders & PROC_BIT(from)) == 0 ||
	    (e->receivers & PROC_BIT(self)) == 0) {
		log_warnx("imsg %s from %s to %s not allowed", e->name,
		    proc_name(from), proc_name(self));
		return -1;
	}
	if (imsg->datalen < e->minlen || imsg->datalen > e->maxlen) {
		log_warnx("imsg %s from %s: bad length %zu", e->name,
		    proc_name(from), imsg->datalen);
		return -1;
	}
	if (e->fd != (imsg->fd != -1)) {
		log_warnx("imsg %s from %s: %s fd", e->name, proc_name(from),
		    e->fd ? "missing" : "unexpected");
		return -1;
	}
	return 0;
}

void
peer_init(struct peer *p, int fd, enum proc_id self, enum proc_id id,
    peer_dispatch_fn dispatch, peer_closed_fn closed, void *arg)
{
	memset(p, 0, sizeof(*p));
	imsg_init(&p->ibuf, fd);
	p->self = self;
	p->id = id;
	p->dispatch = dispatch;
	p->closed = closed;
	p->arg = arg;
	peer_event_update(p);
}

void
peer_register(struct peer *p)
{
	if ((unsigned)p->id < PROC_MAX && p->id != PROC_CONTROL)
		peer_table[p->id] = p;
}

static void
peers_trim(int fd, short event, void *arg)
{
	struct timeval	 tv = { PEER_TRIM_SECS, 0 };
	int		 i;

	for (i = 0; i < PROC_MAX; i++)
		if (peer_table[i] != NULL)
			imsg_read_release(&peer_table[i]->ibuf);
	malloc_trim(0);
	evtimer_add(&ev_trim, &tv);
}

void
peers_trim_start(void)
{
	struct timeval	 tv = { PEER_TRIM_SECS, 0 };

	evtimer_set(&ev_trim, peers_trim, NULL);
	evtimer_add(&ev_trim, &tv);
}

struct peer *
peer_get(enum proc_id id)
{
	if ((unsigned)id >= PROC_MAX)
		return NULL;
	return peer_table[id];
}

/* Stops events, drops queued output and closes the socket. */
void
peer_close(struct peer *p)
{
	if (p->events != 0)
		event_del(&p->ev);
	p->events = 0;
	if (peer_get(p->id) == p)
		peer_table[p->id] = NULL;
	imsg_clear(&p->ibuf);
	close(p->ibuf.fd);
	p->ibuf.fd = -1;
}

int
peer_compose(struct peer *p, uint32_t type, uint32_t peerid, int fd,
    const void *data, size_t len)
{
	if (p->ibuf.fd == -1)
		return -1;
	if (imsg_compose(&p->ibuf, type, peerid, 0, fd, data, len) == -1) {
		log_warn("imsg %s to %s", imsg_type_name(type),
		    proc_name(p->id));
		return -1;
	}
	peer_event_update(p);
	return 0;
}

void
peer_event_update(struct peer *p)
{
	uint32_t	queued;
	short		events = 0;

	if (p->ibuf.fd == -1)
		return;
	queued = msgbuf_queuelen(&p->ibuf.w);
	if (queued > PEER_QUEUE_HIGH)
		p->paused = 1;
	else if (queued < PEER_QUEUE_LOW)
		p->paused = 0;
	if (!p->paused)
		events |= EV_READ;
	if (queued > 0)
		events |= EV_WRITE;
	if (events == p->events)
		return;
	if (p->events != 0)
		event_del(&p->ev);
	p->events = events;
	if (events != 0) {
		event_set(&p->ev, p->ibuf.fd, events | EV_PERSIST, peer_cb, p);
		event_add(&p->ev, NULL);
	}
}

/*
 * A malformed message from another i2prd process means that process is
 * broken or taken over: fatal (DESIGN.md).  From an i2pctl client it
 * only closes that client.
 */
static void
peer_bad(struct peer *p, const char *why)
{
	if (p->id != PROC_CONTROL)
		fatalx("%s from %s", why, proc_name(p->id));
	log_warnx("control client: %s, closing it", why);
	p->closed(p);
}

static void
peer_lost(struct peer *p, const char *why)
{
	if (p->closed == NULL)
		fatalx("lost link to %s: %s", proc_name(p->id), why);
	log_debug("link to %s closed: %s", proc_name(p->id), why);
	p->closed(p);
}

/* reads and writes what the socket allows; 0 ok, -1 the link is gone */
static int
peer_io(struct peer *p, short event, const char **why)
{
	ssize_t	n;

	if (event & EV_READ) {
		n = imsg_read(&p->ibuf);
		if (n == 0) {
			*why = "end of file";
			return -1;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			*why = strerror(errno);
			return -1;
		}
	}
	if (event & EV_WRITE) {
		n = msgbuf_write(&p->ibuf.w);
		if (n == 0) {
			*why = "peer closed";
			return -1;
		}
		if (n == -1 && errno != EAGAIN && errno != EINTR) {
			*why = strerror(errno);
			return -1;
		}
	}
	return 0;
}

static void
peer_cb(int fd, short event, void *arg)
{
	struct peer	*p = arg;
	struct imsg	 imsg;
	const char	*why = NULL;
	ssize_t		 n;

	if (peer_io(p, event, &why) == -1) {
		peer_lost(p, why);
		return;
	}
	for (;;) {
		if ((n = imsg_get(&p->ibuf, &imsg)) == -1) {
			peer_bad(p, "malformed message");
			return;
		}
		if (n == 0)
			break;
		if (proc_check_imsg(&imsg, p->id, p->self) == -1) {
			imsg_free(&imsg);
			peer_bad(p, "message refused");
			return;
		}
		p->dispatch(p, &imsg);
		imsg_free(&imsg);
		if (p->closing) {
			peer_lost(p, "closed by dispatcher");
			return;
		}
	}
	peer_event_update(p);
}
