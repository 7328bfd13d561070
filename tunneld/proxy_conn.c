/*
 * A tunnel's connections (proxy.h): a local socket and a stream, and
 * the bytes between them.
 *
 * Back-pressure: c->in holds what the socket gave until the stream
 * takes it, and the socket is not read while it holds any; c->out
 * holds what the stream gave until the socket takes it, and the stream
 * is not read while it holds any (its window then makes the peer
 * wait).  So a connection holds at most 2 * PROXY_BUF of its own.
 *
 * EOF: the socket's goes on as stream_shutdown once c->in is out; the
 * stream's as shutdown(SHUT_WR) once c->out is written.  Both done,
 * the connection goes and the stream finishes on its own (its CLOSE
 * acknowledged).  A reset, a timeout or a socket error ends both at
 * once.
 *
 * Stream events only set bits (c->events) and ask for a turn of the
 * loop: pconn_run acts on them, so no connection is freed inside a
 * call into the stream layer.
 *
 * A tunnel kind with a protocol (struct pproto: SOCKS, IRC) may read
 * the client's request before the stream (PC_GREET), answer the client
 * when the stream is up or is not (PC_CLOSING writes the last answer,
 * then closes), and filter the bytes each way: a filter takes at most
 * its chunk at a time, read only while the buffer after it is empty.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "log.h"
#include "lscache.h"
#include "proxy_int.h"
#include "streams.h"
#include "tunneld.h"

#define EVB_CONNECTED	0x01
#define EVB_READABLE	0x02
#define EVB_WRITABLE	0x04
#define EVB_CLOSED	0x08
#define EVB_FOUND	0x10	/* the target's LeaseSet: c->found */
#define EVB_NOT_FOUND	0x20

/* lscache's owner for the tunnels' lookups; the cookie is c->id */
#define PROXY_LOOKUP_OWNER	0x50000000U

static TAILQ_HEAD(, proxy_conn) all = TAILQ_HEAD_INITIALIZER(all);
static uint32_t		 nall, next_id = 1;
static void		(*schedule)(void);

static void	conn_cb(int, short, void *);
static void	conn_arm(struct proxy_conn *);

void
pconn_init(void (*sched)(void))
{
	schedule = sched;
}

uint32_t
pconn_total(void)
{
	return nall;
}

uint32_t
pconn_count_addr(const struct sockaddr_storage *ss)
{
	struct proxy_conn	*c;
	uint32_t		 n = 0;

	TAILQ_FOREACH(c, &all, all)
		if (c->p->conf.kind != PROXY_SERVER &&
		    sockaddr_same_host(&c->from, ss))
			n++;
	return n;
}

uint32_t
pconn_count_peer(const struct proxy *p, const uint8_t peer[32])
{
	struct proxy_conn	*c;
	uint32_t		 n = 0;

	TAILQ_FOREACH(c, &p->conns, entry)
		if (memcmp(c->peer, peer, 32) == 0)
			n++;
	return n;
}

static const struct pproto *
proto_of(enum proxy_kind kind)
{
	switch (kind) {
	case PROXY_SOCKS:
		return &pproto_socks;
	case PROXY_IRC_CLIENT:
		return &pproto_irc_client;
	case PROXY_IRC_SERVER:
		return &pproto_irc_server;
	case PROXY_HTTP:
		return &pproto_http;
	case PROXY_HTTP_SERVER:
		return &pproto_http_server;
	default:
		return NULL;
	}
}

struct proxy_conn *
pconn_new(struct proxy *p, int fd)
{
	struct proxy_conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->p = p;
	c->fd = fd;
	c->id = next_id++;
	if (next_id == 0)
		next_id = 1;
	c->since = time(NULL);
	c->proto = proto_of(p->conf.kind);
	c->bufsz = PROXY_BUF;
	if (c->proto != NULL && c->proto->bufsz > 0)
		c->bufsz = c->proto->bufsz;
	if ((c->in = malloc(c->bufsz)) == NULL ||
	    (c->out = malloc(c->bufsz)) == NULL ||
	    (c->proto != NULL && c->proto->state_size > 0 &&
	    (c->ps = calloc(1, c->proto->state_size)) == NULL)) {
		free(c->in);
		free(c->out);
		free(c);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&p->conns, c, entry);
	TAILQ_INSERT_TAIL(&all, c, all);
	p->nconns++;
	nall++;
	if (c->proto != NULL && c->proto->init != NULL)
		c->proto->init(c);
	return c;
}

/* appended to what goes to the socket; -1 if there is no room */
int
pconn_reply(struct proxy_conn *c, const void *p, size_t len)
{
	if (c->outoff > 0) {
		memmove(c->out, c->out + c->outoff, c->outlen);
		c->outoff = 0;
	}
	if (len > c->bufsz - c->outlen)
		return -1;
	memcpy(c->out + c->outlen, p, len);
	c->outlen += len;
	return 0;
}

/* the connection goes: an unfinished stream is reset, a shut one ends */
void
pconn_free(struct proxy_conn *c, const char *why)
{
	if (why != NULL)
		log_debug("tunnel %s: connection %u: %s", c->p->conf.dest,
		    c->id, why);
	if (c->s != NULL) {
		/* stream_abort frees the stream: no stream_free after it */
		if (c->shut_stream && c->eof_out)
			stream_free(c->s);
		else
			stream_abort(c->s, streams_now());
		c->s = NULL;
		streams_kick();
	}
	if (c->ev_set)
		event_del(&c->ev);
	if (c->fd != -1)
		close(c->fd);
	TAILQ_REMOVE(&c->p->conns, c, entry);
	TAILQ_REMOVE(&all, c, all);
	c->p->nconns--;
	nall--;
	if (c->ps != NULL) {
		if (c->proto->clear != NULL)
			c->proto->clear(c);
		crypto_wipe(c->ps, c->proto->state_size);
		free(c->ps);
	}
	/* what passed may be private: a password, a request */
	crypto_wipe(c->in, c->bufsz);
	crypto_wipe(c->out, c->bufsz);
	free(c->in);
	free(c->out);
	crypto_wipe(c, sizeof(*c));
	free(c);
}

/*
 * No stream for a client connection: its protocol may answer first
 * (then the socket closes once that is written)
 */
static void
fail_why(struct proxy_conn *c, enum pfail pf, const char *why)
{
	c->p->st.failed++;
	if (c->s != NULL) {
		stream_abort(c->s, streams_now());	/* and frees it */
		c->s = NULL;
		streams_kick();
	}
	if (c->proto != NULL && c->proto->failed != NULL && c->fd != -1) {
		c->proto->failed(c, pf);
		if (c->outlen > 0) {
			log_debug("tunnel %s: connection %u: %s",
			    c->p->conf.dest, c->id, why);
			c->state = PC_CLOSING;
			c->since = time(NULL);
			conn_arm(c);
			return;
		}
	}
	pconn_free(c, why);
}

static void
fail(struct proxy_conn *c, const char *why)
{
	fail_why(c, PF_UNREACHABLE, why);
}

static short
conn_events(const struct proxy_conn *c)
{
	short	 ev = 0;

	if (c->state == PC_TCP_CONNECTING)
		return EV_WRITE;
	if (c->state == PC_CLOSING)
		return EV_WRITE;
	if (c->state == PC_OPEN && c->inlen == 0 && !c->eof_in)
		ev |= EV_READ;
	if (c->state == PC_GREET && c->inlen < c->bufsz)
		ev |= EV_READ;
	if (c->outlen > 0)
		ev |= EV_WRITE;
	return ev;
}

static void
conn_arm(struct proxy_conn *c)
{
	struct timeval	 tv = { PROXY_TCP_WAIT, 0 };
	short		 ev;

	if (c->fd == -1)
		return;
	if (c->ev_set)
		event_del(&c->ev);
	c->ev_set = 0;
	if ((ev = conn_events(c)) == 0)
		return;
	event_set(&c->ev, c->fd, ev | EV_PERSIST, conn_cb, c);
	event_add(&c->ev, c->state == PC_TCP_CONNECTING ? &tv : NULL);
	c->ev_set = 1;
}

static void
on_event(void *app, struct stream *s, enum stream_event ev)
{
	struct proxy_conn	*c = app;

	switch (ev) {
	case STREAM_EV_CONNECTED:
		c->events |= EVB_CONNECTED;
		break;
	case STREAM_EV_READABLE:
		c->events |= EVB_READABLE;
		break;
	case STREAM_EV_WRITABLE:
		c->events |= EVB_WRITABLE;
		break;
	case STREAM_EV_CLOSED:
		c->events |= EVB_CLOSED;
		break;
	}
	schedule();
}

/* c->out to the socket: how much went, -1 on an error */
static ssize_t
flush_out(struct proxy_conn *c)
{
	ssize_t	 n;

	if (c->outlen == 0)
		return 0;
	n = write(c->fd, c->out + c->outoff, c->outlen);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	c->outoff += n;
	c->outlen -= n;
	return n;
}

/*
 * The stream's next bytes into the empty c->out, through the
 * protocol's filter if it has one: how many were read, -1 if the
 * filter ends the connection
 */
static size_t
stream_to_out(struct proxy_conn *c, int64_t now)
{
	const struct pproto	*pp = c->proto;
	uint8_t			 buf[PROXY_BUF];
	struct wbuf		 w;
	size_t			 got;
	int			 r;

	c->outoff = 0;
	if (pp == NULL || pp->from_i2p == NULL) {
		got = stream_read(c->s, c->out, c->bufsz, now);
		c->outlen = got;
	} else {
		got = stream_read(c->s, buf, pp->chunk, now);
		wbuf_init_fixed(&w, c->out, c->bufsz);
		r = got > 0 ? pp->from_i2p(c, buf, got, &w) : 0;
		if (r == -1 || wbuf_error(&w))
			return (size_t)-1;
		c->outlen = wbuf_len(&w);
		/* the filter says this direction is done */
		if (r == 1) {
			c->eof_out = 1;
			return got;
		}
	}
	if (got == 0 && stream_eof(c->s)) {
		c->eof_out = 1;
		if (pp != NULL && pp->eof != NULL) {
			wbuf_init_fixed(&w, c->out, c->bufsz);
			pp->eof(c, &w);
			c->outlen = wbuf_error(&w) ? 0 : wbuf_len(&w);
		}
	}
	return got;
}

/*
 * The protocol takes another request on the socket (keep-alive): the
 * stream, shut, finishes on its own, and the connection greets again
 */
static int
conn_again(struct proxy_conn *c, int64_t now)
{
	const struct pproto	*pp = c->proto;

	if (pp == NULL || pp->again == NULL || c->hup || c->inlen > 0 ||
	    c->outlen > 0 || !c->eof_out || !pp->again(c))
		return 0;
	if (!c->shut_stream)
		stream_shutdown(c->s, now);
	stream_free(c->s);
	c->s = NULL;
	streams_kick();
	c->events = 0;
	c->eof_in = c->shut_stream = c->eof_out = c->shut_wr = 0;
	c->outoff = 0;
	c->tname[0] = '\0';
	c->served++;
	c->state = PC_GREET;
	c->since = time(NULL);
	return 1;
}

/*
 * Socket -> stream, stream -> socket, EOFs: -1 when the conn is done,
 * -2 when it greets again, else how many bytes moved
 */
static ssize_t
pump(struct proxy_conn *c)
{
	int64_t		 now = streams_now();
	ssize_t		 n, moved = 0;
	size_t		 got;

	if (c->inlen > 0) {
		if ((n = stream_write(c->s, c->in, c->inlen, now)) == -1)
			return -1;
		memmove(c->in, c->in + n, c->inlen - n);
		c->inlen -= n;
		c->p->st.bytes_out += n;
		moved += n;
	}
	if (c->eof_in && c->inlen == 0 && !c->shut_stream) {
		stream_shutdown(c->s, now);
		c->shut_stream = 1;
	}
	if (c->outlen == 0 && !c->eof_out) {
		if ((got = stream_to_out(c, now)) == (size_t)-1)
			return -1;
		c->p->st.bytes_in += got;
		moved += got;
	}
	if ((n = flush_out(c)) == -1)
		return -1;
	moved += n;
	if (conn_again(c, now))
		return -2;
	if (c->eof_out && c->outlen == 0 && !c->shut_wr) {
		shutdown(c->fd, SHUT_WR);
		c->shut_wr = 1;
	}
	streams_kick();
	return c->shut_stream && c->shut_wr ? -1 : moved;
}

/*
 * Pump while bytes move and the socket takes all: the stream says
 * READABLE only when bytes arrive, so what it holds is read now
 */
static void
pump_all(struct proxy_conn *c)
{
	ssize_t	 moved;

	do {
		if ((moved = pump(c)) == -1) {
			pconn_free(c, c->shut_stream && c->shut_wr ? NULL :
			    "closed");
			return;
		}
		if (moved == -2)
			break;		/* a next request, no stream yet */
	} while (moved > 0 && c->outlen == 0);
	conn_arm(c);
}

/* the socket can be read: into c->in, filtered when open */
static int
conn_read(struct proxy_conn *c)
{
	const struct pproto	*pp = c->proto;
	uint8_t			 buf[PROXY_BUF];
	struct wbuf		 w;
	size_t			 want = c->bufsz - c->inlen;
	ssize_t			 n;
	int			 filter, r;

	filter = c->state == PC_OPEN && pp != NULL && pp->to_i2p != NULL;
	if (filter && pp->chunk < want)
		want = pp->chunk;
	/*
	 * A greeting too, a chunk at a time: a head ends within the last
	 * read, so what the protocol rewrites is at most a head and a
	 * chunk (the HTTP proxy's room for its rewrite is counted so)
	 */
	if (c->state == PC_GREET && pp->chunk > 0 && pp->chunk < want)
		want = pp->chunk;
	n = read(c->fd, filter ? buf : c->in + c->inlen, want);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == -1)
		return -1;
	if (n == 0)
		c->eof_in = c->hup = 1;
	if (!filter) {
		c->inlen += n;
		return 0;
	}
	wbuf_init_fixed(&w, c->in + c->inlen, c->bufsz - c->inlen);
	r = n > 0 ? pp->to_i2p(c, buf, n, &w) : 0;
	if (r == -1 || wbuf_error(&w))
		return -1;
	c->inlen += wbuf_len(&w);
	/* the filter says this direction is done */
	if (r == 1)
		c->eof_in = 1;
	return 0;
}

/* PC_GREET: the client's request so far */
static void
greet(struct proxy_conn *c)
{
	int	 r;

	if ((r = c->proto->greet(c)) == 1) {
		pconn_client_target(c);
		return;
	}
	/* a kept connection the client closed between requests */
	if (r == 0 && c->eof_in && c->inlen == 0 && c->served > 0) {
		pconn_free(c, NULL);
		return;
	}
	if (r == -1 || c->eof_in) {
		c->p->st.refused++;
		if (c->outlen == 0) {
			pconn_free(c, "a bad request");
			return;
		}
		c->state = PC_CLOSING;
		c->since = time(NULL);
	}
	conn_arm(c);
}

/* a server's connect() to its target: done or not */
static void
tcp_connected(struct proxy_conn *c, short what)
{
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	if (what & EV_TIMEOUT)
		err = ETIMEDOUT;
	else if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err != 0) {
		log_debug("tunnel %s: port %u: %s", c->p->conf.dest,
		    c->p->conf.port, strerror(err));
		fail(c, "the local target is down");
		return;
	}
	c->state = PC_OPEN;
	if (c->proto != NULL && c->proto->start != NULL)
		c->proto->start(c);
	pump_all(c);
}

static void
conn_cb(int fd, short what, void *arg)
{
	struct proxy_conn	*c = arg;

	if (c->state == PC_TCP_CONNECTING) {
		tcp_connected(c, what);
		return;
	}
	if ((what & EV_READ) && conn_read(c) == -1) {
		pconn_free(c, "socket error");
		return;
	}
	if (c->state == PC_OPEN) {
		pump_all(c);
		return;
	}
	/* before the stream: answers to the client, its request */
	if (flush_out(c) == -1) {
		pconn_free(c, "socket error");
		return;
	}
	if (c->state == PC_CLOSING) {
		if (c->outlen == 0)
			pconn_free(c, NULL);
		return;
	}
	if (c->state == PC_GREET)
		greet(c);
	else
		conn_arm(c);
}

static void
connect_stream(struct proxy_conn *c, const struct i2p_ident *to)
{
	struct stream_host	*host;

	if ((host = proxy_host(c->p)) == NULL) {
		fail_why(c, PF_NO_DEST, "the destination went down");
		return;
	}
	c->s = stream_connect(host, to, 0, c->tport, streams_now());
	if (c->s == NULL) {
		fail_why(c, PF_LIMIT, "over a stream limit");
		return;
	}
	stream_set_app(c->s, on_event, c);
	c->state = PC_CONNECTING;
	c->since = time(NULL);
	streams_kick();
}

static struct proxy_conn *
by_id(uint32_t id)
{
	struct proxy_conn	*c;

	TAILQ_FOREACH(c, &all, all)
		if (c->id == id)
			return c;
	return NULL;
}

/* an answer about the target's LeaseSet: acted on at the next turn */
static void
lookup_cb(uint32_t owner, uint64_t cookie, enum lscache_result res,
    const struct lsremote *ls)
{
	struct proxy_conn	*c;

	if (owner != PROXY_LOOKUP_OWNER || cookie > UINT32_MAX ||
	    (c = by_id((uint32_t)cookie)) == NULL || c->state != PC_LOOKUP)
		return;
	c->events |= res == LSC_FOUND ? EVB_FOUND : EVB_NOT_FOUND;
	schedule();
}

/* client: the destination is up; on to the target */
static void
client_go(struct proxy_conn *c)
{
	const struct lsremote	*ls = NULL;

	switch (c->tkind) {
	case PT_DEST:
		connect_stream(c, &c->tdest);
		return;
	case PT_NAME:
		if (proxy_resolve(c->tname, &c->tdest) == -1) {
			fail_why(c, PF_UNKNOWN_HOST, "a name no book has");
			return;
		}
		c->tkind = PT_DEST;
		memcpy(c->thash, c->tdest.hash, sizeof(c->thash));
		connect_stream(c, &c->tdest);
		return;
	case PT_HASH:
		break;
	}
	c->state = PC_LOOKUP;
	c->since = time(NULL);
	if (lscache_get(c->keyid, c->thash, time(NULL), lookup_cb,
	    PROXY_LOOKUP_OWNER, c->id, &ls) == 1)
		connect_stream(c, &ls->dest);
}

/*
 * The target is known (the tunnel's, or a greeting's): a stream to it.
 * client_go may free c (a name no book has, a stream limit, with no
 * answer to write): it comes last.
 */
void
pconn_client_target(struct proxy_conn *c)
{
	c->state = PC_WAIT_DEST;
	c->since = time(NULL);
	conn_arm(c);
	if ((c->keyid = proxy_keyid(c->p)) != 0)
		client_go(c);
}

/* the tunnel's own target: a client's, or a proxy's outproxy */
static void
tunnel_target(struct proxy_conn *c)
{
	struct proxy	*p = c->p;

	c->tkind = p->tkind;
	c->tdest = p->tdest;
	memcpy(c->thash, p->thash, sizeof(c->thash));
	c->tport = p->conf.target_port;
	strlcpy(c->tname, p->conf.target, sizeof(c->tname));
}

int
pconn_outproxy(struct proxy_conn *c)
{
	if (c->p->conf.target[0] == '\0')
		return -1;
	tunnel_target(c);
	c->p->st.outproxied++;
	return 0;
}

void
pconn_client_start(struct proxy_conn *c)
{
	if (c->proto != NULL && c->proto->greet != NULL) {
		c->state = PC_GREET;
		conn_arm(c);
		return;
	}
	tunnel_target(c);
	pconn_client_target(c);
}

int
pconn_server_start(struct proxy_conn *c, struct stream *s)
{
	struct sockaddr_storage	 ss;
	int			 fd;

	proxy_addr(&c->p->conf, &ss);
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1 || (connect(fd, (struct sockaddr *)&ss,
	    ss.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
	    sizeof(struct sockaddr_in6)) == -1 && errno != EINPROGRESS)) {
		log_debug("tunnel %s: port %u: %s", c->p->conf.dest,
		    c->p->conf.port, strerror(errno));
		if (fd != -1)
			close(fd);
		c->p->st.failed++;
		pconn_free(c, NULL);
		return -1;
	}
	c->fd = fd;
	c->s = s;
	stream_set_app(s, on_event, c);
	c->state = PC_TCP_CONNECTING;
	conn_arm(c);
	return 0;
}

/* the events of one connection; it may go */
static void
run_one(struct proxy_conn *c, unsigned ev)
{
	const struct lsremote	*ls;

	/* failed meanwhile (a timeout): only its answer is left to write */
	if (c->state == PC_CLOSING)
		return;
	/* a lookup's answer counts only while it is awaited */
	if (c->state != PC_LOOKUP)
		ev &= ~(EVB_FOUND | EVB_NOT_FOUND);
	if (ev & EVB_NOT_FOUND) {
		fail_why(c, PF_NOT_FOUND, "no LeaseSet for the target");
		return;
	}
	if (ev & EVB_FOUND) {
		ls = lscache_peek(c->keyid, c->thash, time(NULL));
		if (ls == NULL)
			fail_why(c, PF_NOT_FOUND, "the target's LeaseSet "
			    "expired");
		else
			connect_stream(c, &ls->dest);
		return;
	}
	if (c->state == PC_CONNECTING && (ev & EVB_CONNECTED)) {
		c->state = PC_OPEN;
		if (c->proto != NULL && c->proto->connected != NULL)
			c->proto->connected(c);
	}
	if (ev & EVB_CLOSED) {
		if (c->state == PC_CONNECTING) {
			fail_why(c, stream_error(c->s) == STREAM_ERR_TIMEOUT ?
			    PF_TIMEOUT : PF_UNREACHABLE, "the peer cannot be "
			    "reached");
			return;
		}
		if (stream_error(c->s) != STREAM_ERR_NONE) {
			pconn_free(c, "the stream was reset or timed out");
			return;
		}
	}
	if (c->state == PC_OPEN)
		pump_all(c);
}

void
pconn_run(void)
{
	struct proxy_conn	*c, *next;
	unsigned		 ev;

	TAILQ_FOREACH_SAFE(c, &all, all, next) {
		if (c->events == 0)
			continue;
		ev = c->events;
		c->events = 0;
		/* run_one frees at most c itself */
		run_one(c, ev);
	}
}

/* waits for a destination, for a lookup or a local connect, timed out */
void
pconn_tick(time_t now)
{
	struct proxy_conn	*c, *next;

	TAILQ_FOREACH_SAFE(c, &all, all, next) {
		if (c->state == PC_WAIT_DEST) {
			if ((c->keyid = proxy_keyid(c->p)) != 0)
				client_go(c);
			else if (now - c->since > PROXY_DEST_WAIT)
				fail_why(c, PF_NO_DEST, "the destination has "
				    "no tunnels");
		} else if (c->state == PC_LOOKUP &&
		    now - c->since > LSCACHE_TIMEOUT + 5)
			fail_why(c, PF_TIMEOUT, "the target's LeaseSet "
			    "lookup timed out");
		else if ((c->state == PC_GREET || c->state == PC_CLOSING) &&
		    now - c->since > PROXY_GREET_WAIT)
			pconn_free(c, "the client said too little in time");
	}
}
