/*
 * Socket I/O of a session: one input buffer that the handshake and the
 * frames are parsed from in place, one output buffer of whole messages
 * and sealed frames, and libevent read and write events on a
 * nonblocking socket.  Output is only ever written from the write
 * event: whoever has something to send appends it and arms the event,
 * so no caller is re-entered by a write error closing the session.
 * On an established session the write event also pulls frames from the
 * send queue, a little ahead of the socket, so the queue keeps the
 * messages (and can still drop the expired ones) until the socket can
 * take them.
 *
 * Frames are opened in place, so the input buffer holds decrypted
 * messages: its memory is wiped before it goes back to malloc, whether
 * it grows, shrinks or goes with the session.
 *
 * When routerd falls behind (its imsg queue above NETD_ROUTERD_HIGH)
 * established sessions stop reading until it is below
 * NETD_ROUTERD_LOW: TCP then pushes back on the peers instead of netd
 * queueing without bound.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"
#include "netd.h"
#include "ntcp2_io.h"
#include "proc.h"

/* read at least this much room: fewer syscalls for small frames */
#define CONN_READ_MIN		16384
/* a drained input buffer larger than this is given back */
#define CONN_KEEP_MAX		(2 * CONN_READ_MIN)
#define CONN_STALL_CHECK_MS	100

static TAILQ_HEAD(, ntcp2_conn) stalled = TAILQ_HEAD_INITIALIZER(stalled);
static struct event		 ev_stall;
static int			 stall_timer_set;

static void	conn_read_cb(int, short, void *);
static void	conn_write_cb(int, short, void *);

void
conn_start(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	int			 one = 1;

	/* every write is whole frames: Nagle would only add delay */
	if (setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one,
	    sizeof(one)) == -1)
		log_debug("setsockopt TCP_NODELAY: %s", strerror(errno));
	event_set(&c->ev_read, c->fd, EV_READ | EV_PERSIST, conn_read_cb, s);
	event_set(&c->ev_write, c->fd, EV_WRITE | EV_PERSIST, conn_write_cb,
	    s);
}

static void
conn_unstall(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (!c->stalled)
		return;
	TAILQ_REMOVE(&stalled, c, sentry);
	c->stalled = 0;
}

void
conn_stop(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (c->fd == -1)
		return;
	conn_unstall(s);
	conn_read_enable(s, 0);
	if (c->wr_on)
		event_del(&c->ev_write);
	c->wr_on = 0;
	close(c->fd);
	c->fd = -1;
}

void
conn_read_enable(struct session *s, int on)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (c->fd == -1 || c->rd_on == on || (on && c->stalled))
		return;
	if (on)
		event_add(&c->ev_read, NULL);
	else
		event_del(&c->ev_read);
	c->rd_on = on;
}

void
conn_kick(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (c->fd == -1 || c->wr_on)
		return;
	event_add(&c->ev_write, NULL);
	c->wr_on = 1;
}

static void
conn_write_off(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (c->wr_on)
		event_del(&c->ev_write);
	c->wr_on = 0;
}

void
conn_in_free(struct ntcp2_conn *c)
{
	if (c->in != NULL)
		crypto_wipe(c->in, c->incap);
	free(c->in);
	c->in = NULL;
	c->incap = c->inoff = c->inlen = 0;
}

/* moves unprocessed input to the front; gives back a big empty buffer */
static void
conn_in_compact(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (c->inoff == c->inlen) {
		c->inoff = c->inlen = 0;
		if (c->incap > CONN_KEEP_MAX)
			conn_in_free(c);
		return;
	}
	if (c->inoff > 0) {
		memmove(c->in, c->in + c->inoff, c->inlen - c->inoff);
		c->inlen -= c->inoff;
		c->inoff = 0;
	}
}

int
conn_in_reserve(struct session *s, size_t need)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint8_t			*p;

	conn_in_compact(s);
	if (c->incap >= need)
		return 0;
	/* not realloc: the old buffer is wiped before it is freed */
	if ((p = malloc(need)) == NULL) {
		log_warn("session input buffer");
		return -1;
	}
	/* compacted: what is left to process starts at 0 */
	if (c->inlen > 0)
		memcpy(p, c->in, c->inlen);
	if (c->in != NULL)
		crypto_wipe(c->in, c->incap);
	free(c->in);
	c->in = p;
	c->incap = need;
	return 0;
}

uint8_t *
conn_out_reserve(struct session *s, size_t n)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint8_t			*p;

	if (c->outoff == c->outlen)
		c->outoff = c->outlen = 0;
	if (c->outcap - c->outlen >= n)
		return c->out + c->outlen;
	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, c->outlen - c->outoff);
		c->outlen -= c->outoff;
		c->outoff = 0;
	}
	if (c->outcap - c->outlen < n) {
		if ((p = realloc(c->out, c->outlen + n)) == NULL) {
			log_warn("session output buffer");
			return NULL;
		}
		c->out = p;
		c->outcap = c->outlen + n;
	}
	return c->out + c->outlen;
}

/* the state's input handler; -1 if the session was closed */
int
conn_input(struct session *s)
{
	if (s->state == SS_HANDSHAKE && hs_input(s) == -1)
		return -1;
	if (s->state == SS_ESTABLISHED && data_input(s) == -1)
		return -1;
	conn_in_compact(s);
	return 0;
}

static uint32_t
conn_down_reason(const struct session *s)
{
	return s->state >= SS_ESTABLISHED ? NET_DOWN_CLOSED :
	    NET_DOWN_DIAL_FAILED;
}

/* Bob after a bad message 1: read and discard, close at the count */
static void
conn_probe_read(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint8_t			 buf[NETD_PROBE_BYTES];
	ssize_t			 n;

	n = read(c->fd, buf, c->probe_left < sizeof(buf) ? c->probe_left :
	    sizeof(buf));
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n > 0 && (size_t)n < c->probe_left) {
		c->probe_left -= n;
		return;
	}
	session_close(s, s->close_down, s->close_term);
}

/* reads what fits; -1 if the session was closed */
static int
conn_fill(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	ssize_t			 n;

	if (conn_in_reserve(s, c->need > CONN_READ_MIN ? c->need :
	    CONN_READ_MIN) == -1) {
		session_close(s, NET_DOWN_ERROR, 0);
		return -1;
	}
	/* a step waits for more than is buffered, so there is room */
	if (c->inlen == c->incap) {
		log_warnx("session %s: input buffer full", session_name(s));
		session_close(s, NET_DOWN_ERROR, 0);
		return -1;
	}
	n = read(c->fd, c->in + c->inlen, c->incap - c->inlen);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		log_debug("session %s: %s", session_name(s), n == 0 ?
		    "connection closed" : strerror(errno));
		session_close(s, n == 0 ? conn_down_reason(s) :
		    NET_DOWN_ERROR, 0);
		return -1;
	}
	c->inlen += n;
	s->bytes_in += n;
	s->last_io = netd_now();
	return 0;
}

static int
conn_routerd_busy(int mark)
{
	struct peer	*p;

	return (p = peer_get(PROC_ROUTERD)) != NULL &&
	    msgbuf_queuelen(&p->ibuf.w) > (uint32_t)mark;
}

static void
conn_stall_cb(int fd, short event, void *arg)
{
	struct timeval	 tv = { 0, CONN_STALL_CHECK_MS * 1000 };

	if (conn_routerd_busy(NETD_ROUTERD_LOW))
		evtimer_add(&ev_stall, &tv);
	else
		conn_resume_stalled();
}

static void
conn_stall(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	struct timeval		 tv = { 0, CONN_STALL_CHECK_MS * 1000 };

	conn_read_enable(s, 0);
	c->stalled = 1;
	TAILQ_INSERT_TAIL(&stalled, c, sentry);
	if (!stall_timer_set) {
		evtimer_set(&ev_stall, conn_stall_cb, NULL);
		stall_timer_set = 1;
	}
	if (!evtimer_pending(&ev_stall, NULL))
		evtimer_add(&ev_stall, &tv);
}

void
conn_resume_stalled(void)
{
	struct ntcp2_conn	*c;

	while ((c = TAILQ_FIRST(&stalled)) != NULL) {
		conn_unstall(c->s);
		if (c->s->state == SS_ESTABLISHED)
			conn_read_enable(c->s, 1);
	}
}

static void
conn_read_cb(int fd, short event, void *arg)
{
	struct session	*s = arg;

	if (s->state == SS_PROBE) {
		conn_probe_read(s);
		return;
	}
	if (s->state == SS_ESTABLISHED &&
	    conn_routerd_busy(NETD_ROUTERD_HIGH)) {
		conn_stall(s);
		return;
	}
	if (conn_fill(s) == -1)
		return;
	conn_input(s);
}

/* Alice: the connect finished; -1 if it failed (session closed) */
static int
conn_connected(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	socklen_t		 len = sizeof(int);
	int			 err = 0;

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		log_debug("session %s: connect: %s", session_name(s),
		    strerror(err));
		session_close(s, NET_DOWN_DIAL_FAILED, 0);
		return -1;
	}
	return hs_alice_start(s);
}

/* something to write, or nothing left: -1 if the session was closed */
static int
conn_next_output(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (c->outoff < c->outlen)
		return 0;
	c->outoff = c->outlen = 0;
	if (s->state == SS_CLOSING) {
		session_close(s, s->close_down, s->close_term);
		return -1;
	}
	if (s->state == SS_ESTABLISHED && data_pump(s) == -1)
		return -1;
	return 0;
}

static void
conn_write_cb(int fd, short event, void *arg)
{
	struct session		*s = arg;
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	ssize_t			 n;

	if (s->state == SS_HANDSHAKE && c->step == N2_CONNECT &&
	    conn_connected(s) == -1)
		return;
	for (;;) {
		if (conn_next_output(s) == -1)
			return;
		if (c->outlen == 0) {
			conn_write_off(s);
			return;
		}
		n = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
		if (n == -1) {
			if (errno == EAGAIN || errno == EINTR)
				return;
			log_debug("session %s: write: %s", session_name(s),
			    strerror(errno));
			session_close(s, NET_DOWN_ERROR, 0);
			return;
		}
		c->outoff += n;
		s->bytes_out += n;
		s->last_io = netd_now();
	}
}
