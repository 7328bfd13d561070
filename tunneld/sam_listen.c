/*
 * The SAM bridge's sockets: the TCP control listener, each client's
 * connection, the UDP port (datagrams in from clients, forwarded
 * datagrams out), and the sockets sam_stream.c opens to FORWARD
 * targets (connect, then TLS if asked, then bytes as any stream's).
 * Everything else is in sam_conn.c, sam_session.c and sam_stream.c.
 *
 * A stream's socket is read only while the bridge has room for what
 * it reads (sam_conn_room), and after each write the bridge pulls
 * more from the stream (sam_conn_flushed): back-pressure both ways.
 * The peer's EOF shuts the socket's write side once all is written.
 *
 * The sockets are made after chroot, privilege drop and sandbox (the
 * configuration arrives then), so ports below 1024 cannot be bound;
 * the parser refuses them.  A socket that cannot be opened is logged
 * and SAM stays off until the next reload: the rest of tunneld goes on.
 *
 * A connection is freed only from its own event callback, never from
 * inside the bridge: sam_conn_changed() merely re-arms its events.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "i2prd.h"
#include "log.h"
#include "sam.h"

#define SAM_BACKLOG	64

static int		 tcp_fd = -1, udp_fd = -1;
static struct event	 tcp_ev, udp_ev;
static struct sam_conf	 running;	/* what the sockets were made for */
static int		 initialized;

static void
sam_addr(const struct sam_conf *sc, uint16_t port, struct sockaddr_storage *ss)
{
	struct listen_msg	 lm;

	memset(&lm, 0, sizeof(lm));
	lm.family = sc->family;
	memcpy(lm.addr, sc->addr, sizeof(lm.addr));
	lm.port = port;
	if (listen_from_msg(ss, &lm) == -1)
		fatalx("sam: bad address in the configuration");
}

static void
udp_send(const struct sockaddr_storage *to, const void *p, size_t len)
{
	if (udp_fd == -1)
		return;
	if (sendto(udp_fd, p, len, 0, (const struct sockaddr *)to,
	    sockaddr_len(to)) == -1)
		log_debug("sam: forwarding a datagram: %s", strerror(errno));
}

static void	conn_cb(int, short, void *);

/* seconds left for a FORWARD's target to take the connection */
static int64_t
fwd_left(const struct sam_conn *c)
{
	int64_t	 left = c->since + SAM_FWD_CONNECT_TIMEOUT - time(NULL);

	return left > 0 ? left : 0;
}

static short
conn_events(struct sam_conn *c)
{
	short	 ev = 0;

	if (c->mode == SAM_MODE_FWD_CONNECTING)	/* writable: connected */
		return c->tls != NULL ? c->tls_want : EV_WRITE;
	if (!c->closing && !c->dead && sam_conn_room(c) > 0 && !c->eof_in)
		ev |= EV_READ;
	/* TLS may need the other direction for what was asked */
	if (c->tls != NULL)
		ev |= c->tls_want;
	/* a dead or closing connection is freed from its write event */
	if (wbuf_len(&c->out) > 0 || c->closing || c->dead ||
	    (c->eof_out && !c->shut_wr))
		ev |= EV_WRITE;
	return ev;
}

static void
conn_arm(struct sam_conn *c)
{
	struct timeval	 tv = { 0, 0 };
	int64_t		 left;
	short		 ev;

	/* first: a late HELLO makes the client closing */
	left = sam_conn_hello_left(c, time(NULL));
	ev = conn_events(c);
	if (c->mode == SAM_MODE_FWD_CONNECTING)
		left = fwd_left(c);
	if (c->ev_set)
		event_del(&c->ev);
	event_set(&c->ev, c->fd, ev | EV_PERSIST, conn_cb, c);
	/* before HELLO or connect(), a timer to the deadline */
	if (left >= 0 && (left > 0 || c->mode == SAM_MODE_FWD_CONNECTING)) {
		tv.tv_sec = left;
		event_add(&c->ev, &tv);
	} else
		event_add(&c->ev, NULL);
	c->ev_set = 1;
	/* bytes TLS holds already: the socket will not say so */
	if ((ev & EV_READ) && sam_tls_pending(c) > 0)
		event_active(&c->ev, EV_READ, 1);
}

static void
conn_changed(struct sam_conn *c)
{
	if (c->fd != -1)
		conn_arm(c);
}

/* a FORWARD's socket: connected, refused, or out of time; or TLS */
static void
fwd_cb(struct sam_conn *c, short what)
{
	socklen_t	 len = sizeof(int);
	int		 err = 0, rv;

	if (what & EV_TIMEOUT)
		err = ETIMEDOUT;
	else if (c->tls != NULL) {
		if ((rv = sam_tls_handshake(c)) == 0)
			return;
		err = rv == 1 ? 0 : EPROTO;
	} else if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	sam_stream_fwd_ready(c, err);
}

/* the socket read: 0 go on, -1 the connection is gone */
static int
conn_read(struct sam_conn *c)
{
	uint8_t		 buf[16384];
	size_t		 want = sam_conn_room(c);
	ssize_t		 n;

	if (want == 0)
		return 0;
	if (want > sizeof(buf))
		want = sizeof(buf);
	if (c->tls != NULL)
		n = sam_tls_read(c, buf, want);
	else
		n = read(c->fd, buf, want);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n == -1 || (n == 0 && sam_conn_eof(c) == -1))
		return -1;
	if (n > 0)
		sam_conn_input(c, buf, n);
	crypto_wipe(buf, sizeof(buf));
	return 0;
}

static void
conn_cb(int fd, short what, void *arg)
{
	struct sam_conn	*c = arg;

	/* TLS's read may have waited for the socket to be writable */
	if (c->tls != NULL && (what & c->tls_want))
		what |= EV_READ;
	if (c->mode == SAM_MODE_FWD_CONNECTING)
		fwd_cb(c, what);
	else if ((what & EV_READ) && conn_read(c) == -1) {
		sam_conn_free(c);
		return;
	}
	if (c->dead || sam_conn_flush(c) == -1) {
		sam_conn_free(c);
		return;
	}
	/* room in the queue: a stream's next bytes */
	sam_conn_flushed(c);
	if (c->eof_out && wbuf_len(&c->out) == 0 && !c->shut_wr) {
		if (c->tls != NULL)
			sam_tls_shutdown(c);
		shutdown(c->fd, SHUT_WR);
		c->shut_wr = 1;
	}
	if (c->dead || (c->closing && wbuf_len(&c->out) == 0)) {
		sam_conn_free(c);
		return;
	}
	conn_arm(c);
}

static void
accept_cb(int fd, short what, void *arg)
{
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	struct sam_conn		*c;
	int			 s;

	if ((s = accept4(fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) == -1) {
		if (errno != EAGAIN && errno != EINTR &&
		    errno != ECONNABORTED)
			log_warn("sam: accept");
		return;
	}
	if ((c = sam_conn_new(s, &ss, time(NULL))) == NULL) {
		log_warnx("sam: a client refused: too many connections");
		close(s);
		return;
	}
	conn_arm(c);
}

static void
udp_cb(int fd, short what, void *arg)
{
	static uint8_t		 buf[65536];
	struct sockaddr_storage	 ss;
	socklen_t		 len = sizeof(ss);
	ssize_t			 n;

	if ((n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&ss,
	    &len)) > 0)
		sam_udp_input(buf, n, &ss);
}

static int
open_socket(const struct sockaddr_storage *ss, int type)
{
	int	 fd, on = 1;

	if ((fd = socket(ss->ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, (const struct sockaddr *)ss, sockaddr_len(ss)) == -1 ||
	    (type == SOCK_STREAM && listen(fd, SAM_BACKLOG) == -1)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* the listener goes: its clients and their sessions with it */
static void
sam_close_all(void)
{
	struct sam_conn	*c;

	while ((c = TAILQ_FIRST(sam_conns())) != NULL)
		sam_conn_free(c);
	if (tcp_fd != -1) {
		event_del(&tcp_ev);
		close(tcp_fd);
	}
	if (udp_fd != -1) {
		event_del(&udp_ev);
		close(udp_fd);
	}
	tcp_fd = udp_fd = -1;
	memset(&running, 0, sizeof(running));
}

static void
sam_open(const struct sam_conf *sc)
{
	struct sockaddr_storage	 ss;

	sam_addr(sc, sc->port, &ss);
	if ((tcp_fd = open_socket(&ss, SOCK_STREAM)) == -1) {
		log_warn("sam: cannot listen on port %u", sc->port);
		return;
	}
	sam_addr(sc, sc->udp_port, &ss);
	if ((udp_fd = open_socket(&ss, SOCK_DGRAM)) == -1) {
		log_warn("sam: cannot bind udp port %u", sc->udp_port);
		close(tcp_fd);
		tcp_fd = -1;
		return;
	}
	event_set(&tcp_ev, tcp_fd, EV_READ | EV_PERSIST, accept_cb, NULL);
	event_add(&tcp_ev, NULL);
	event_set(&udp_ev, udp_fd, EV_READ | EV_PERSIST, udp_cb, NULL);
	event_add(&udp_ev, NULL);
	running = *sc;
	log_info("sam: listening on port %u, udp port %u", sc->port,
	    sc->udp_port);
}

static int
same_sockets(const struct sam_conf *a, const struct sam_conf *b)
{
	return a->family == b->family && a->port == b->port &&
	    a->udp_port == b->udp_port &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

/*
 * At start and at each reload: sockets opened, kept or closed as
 * configured; sessions keep going while their listener stays.
 */
void
sam_listen_reconf(const struct sam_conf *sc, const struct sam_backend *be)
{
	if (!initialized) {
		sam_init(be, udp_send);
		sam_conn_changed = conn_changed;
		initialized = 1;
	}
	sam_set_auth(sc->user[0] != '\0' ? sc->user : NULL, sc->password);
	if (tcp_fd != -1 && same_sockets(sc, &running))
		return;
	sam_close_all();
	if (sc->family != 0)
		sam_open(sc);
}
