/*
 * SAM streams (api/samv3.html "SAM Virtual Streams"): STREAM CONNECT,
 * ACCEPT and FORWARD, incoming streams handed to a waiting ACCEPT or
 * connected out to a FORWARD's target, and then the raw-stream phase,
 * where a socket's bytes go to the backend's stream and back.
 *
 * A stream is a socket of its own: the client's after CONNECT or
 * ACCEPT, or one the bridge opens for a FORWARD (a sam_conn with
 * forwarded set).  The backend knows it by an id the bridge chose.
 *
 * Back-pressure both ways, so that nothing grows with a slow side:
 * bytes from the socket stay in the connection's input buffer while
 * stream_write takes none, and the socket is not read again until the
 * backend says it is writable; bytes from the stream are pulled only
 * as far as the socket's output queue has room (SAM_STREAM_OUTQ), the
 * rest waits in the stream, whose window then makes the peer wait.
 *
 * EOF: the client's goes on as stream_shutdown once its bytes are
 * written; the peer's (stream_read -1) shuts the socket's write side
 * once the queue is out.  Both done, the socket closes.
 *
 * FORWARD SSL=true: the bridge's socket to the target speaks TLS
 * (sam_tls.c); the stream goes on once the handshake is done.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <bsd/string.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "sam.h"

static uint32_t		 next_id = 1;
static uint64_t		 next_accept_seq = 1;
static size_t		 naccepts_total, nforwarded;

#define BE	(sam_session_backend())

int
sam_stream_available(void)
{
	const struct sam_backend *be = BE;

	return be->stream_connect != NULL && be->stream_listen != NULL &&
	    be->stream_write != NULL && be->stream_read != NULL &&
	    be->stream_shutdown != NULL && be->stream_close != NULL;
}

static uint32_t
new_id(void)
{
	uint32_t	 id = next_id++;

	if (next_id == 0)
		next_id = 1;
	return id;
}

static struct sam_session *
top(struct sam_session *s)
{
	return s->primary != NULL ? s->primary : s;
}

static struct sam_conn *
by_id(uint32_t id)
{
	struct sam_conn	*c;

	TAILQ_FOREACH(c, sam_conns(), entry)
		if (id != 0 && c->stream == id && !c->stream_gone)
			return c;
	return NULL;
}

static void
changed(struct sam_conn *c)
{
	if (sam_conn_changed != NULL)
		sam_conn_changed(c);
}

/*
 * The backend hears whether a session wants incoming streams: while
 * one of its (sub)sessions has an ACCEPT waiting or a FORWARD on.
 */
static void
listen_update(struct sam_session *t)
{
	const struct sam_session *s;
	int			 want = 0;

	if (!t->ready || !sam_stream_available())
		return;
	TAILQ_FOREACH(s, sam_sessions(), entry)
		if (top((struct sam_session *)s) == t &&
		    (s->naccepts > 0 || s->fwd_conn != NULL))
			want = 1;
	if (want == t->listening)
		return;
	t->listening = want;
	BE->stream_listen(BE->arg, t->sid, want);
}

/* c works for s now, in mode m; counted where the limits look */
static void
attach(struct sam_conn *c, struct sam_session *s, enum sam_mode m)
{
	c->ssess = s;
	c->mode = m;
	c->busy = 1;	/* no more command lines on this socket */
	if (m == SAM_MODE_ACCEPTING) {
		s->naccepts++;
		naccepts_total++;
	} else
		s->nstreams++;
}

static void
detach(struct sam_conn *c)
{
	struct sam_session	*s = c->ssess;

	if (s == NULL)
		return;
	if (c->mode == SAM_MODE_ACCEPTING) {
		s->naccepts--;
		naccepts_total--;
	} else
		s->nstreams--;
	c->ssess = NULL;
}

static void
status(struct sam_conn *c, const char *result, const char *msg)
{
	sam_conn_reply(c, "STREAM STATUS", result, NULL, 0,
	    msg != NULL && *msg != '\0' ? msg : NULL);
}

/* the command failed: answered unless SILENT, then the socket closes */
static void
refuse(struct sam_conn *c, const char *result, const char *msg)
{
	if (!c->silent)
		status(c, result, msg);
	c->closing = 1;
}

/* the stream goes and the socket with it; the backend forgets id */
static void
stream_drop(struct sam_conn *c)
{
	if (c->stream != 0 && !c->stream_gone)
		BE->stream_close(BE->arg, c->stream);
	c->stream_gone = 1;
}

/* ---- the raw-stream phase ---- */

static void
check_done(struct sam_conn *c)
{
	if (c->eof_in && c->shut_sent && c->eof_out)
		c->closing = 1;
}

void
sam_stream_input(struct sam_conn *c)
{
	ssize_t	 n;

	if (c->mode != SAM_MODE_STREAM || c->stream_gone || c->dead)
		return;
	while (c->inlen > 0 && !c->wblocked) {
		n = BE->stream_write(BE->arg, c->stream, c->in, c->inlen);
		if (n < 0 || (size_t)n > c->inlen) {
			c->dead = 1;
			return;
		}
		if (n == 0) {
			c->wblocked = 1;
			break;
		}
		sam_conn_consume(c, n);
		c->sbytes_in += n;
		sam_stats()->sbytes_in += n;
	}
	if (c->eof_in && c->inlen == 0 && !c->shut_sent) {
		c->shut_sent = 1;
		BE->stream_shutdown(BE->arg, c->stream);
	}
	check_done(c);
}

void
sam_stream_output(struct sam_conn *c)
{
	uint8_t		 buf[16384];
	size_t		 room;
	ssize_t		 n;

	if (c->mode != SAM_MODE_STREAM || c->stream_gone || c->eof_out ||
	    c->dead)
		return;
	while (wbuf_len(&c->out) < SAM_STREAM_OUTQ) {
		room = SAM_STREAM_OUTQ - wbuf_len(&c->out);
		if (room > sizeof(buf))
			room = sizeof(buf);
		if ((n = BE->stream_read(BE->arg, c->stream, buf, room)) < 0) {
			c->eof_out = 1;
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n > room) {
			c->dead = 1;
			return;
		}
		sam_conn_write(c, buf, n);
		c->sbytes_out += n;
		sam_stats()->sbytes_out += n;
	}
	check_done(c);
}

/* the socket is a stream from now on; bytes sent early go first */
static void
go_stream(struct sam_conn *c)
{
	c->mode = SAM_MODE_STREAM;
	c->busy = 0;
	sam_stream_input(c);
	sam_stream_output(c);
	changed(c);
}

/*
 * The same for an incoming stream, whose id the backend learns only
 * when sam_backend_stream_incoming returns: nothing is read or written
 * before; the backend says readable and writable after.
 */
static void
go_stream_offered(struct sam_conn *c)
{
	c->mode = SAM_MODE_STREAM;
	c->busy = 0;
	changed(c);
}

void
sam_backend_stream_readable(uint32_t id)
{
	struct sam_conn	*c;

	if ((c = by_id(id)) == NULL || c->mode != SAM_MODE_STREAM)
		return;
	sam_stream_output(c);
	changed(c);
}

void
sam_backend_stream_writable(uint32_t id)
{
	struct sam_conn	*c;

	if ((c = by_id(id)) == NULL || c->mode != SAM_MODE_STREAM)
		return;
	c->wblocked = 0;
	sam_stream_input(c);
	changed(c);
}

static void	connect_failed(struct sam_conn *, const char *, const char *);

void
sam_backend_stream_closed(uint32_t id, const char *reason)
{
	struct sam_conn	*c;

	if ((c = by_id(id)) == NULL)
		return;
	c->stream_gone = 1;
	if (c->mode == SAM_MODE_CONNECTING)
		connect_failed(c, "I2P_ERROR", reason != NULL ? reason :
		    "stream closed");
	else if (c->mode == SAM_MODE_STREAM && reason == NULL)
		c->closing = 1;		/* what is queued goes out first */
	else {
		if (reason != NULL)
			log_debug("sam: stream %u: %s", id, reason);
		c->dead = 1;
	}
	changed(c);
}

/* ---- STREAM CONNECT ---- */

static void
connect_failed(struct sam_conn *c, const char *result, const char *msg)
{
	sam_stats()->streams_failed++;
	c->stream_gone = 1;	/* the backend has forgotten it */
	detach(c);
	refuse(c, result, msg);
}

static void
connect_dest(struct sam_conn *c, const uint8_t *dest, size_t len)
{
	uint32_t	 id = new_id();

	c->stream = id;
	if (BE->stream_connect(BE->arg, top(c->ssess)->sid, id, dest, len,
	    c->from_port, c->to_port) == -1)
		connect_failed(c, "I2P_ERROR", "cannot connect now");
}

void
sam_stream_found(struct sam_conn *c, const uint8_t *dest, size_t len)
{
	struct i2p_ident	 id;
	struct i2p_err		 err;
	char			 name[I2P_B32_NAMESZ];

	c->reqid = 0;
	if (c->ssess == NULL)
		;	/* the session went meanwhile: c is closing */
	else if (dest == NULL || ident_parse_bytes(&id, dest, len,
	    IDENT_DEST, &err) == -1 ||
	    ident_b32(&id, name, sizeof(name)) == -1 ||
	    strcasecmp(name, c->lookup) != 0)
		connect_failed(c, "CANT_REACH_PEER", "no LeaseSet found");
	else
		connect_dest(c, dest, len);
	changed(c);
}

void
sam_backend_stream_connected(uint32_t id, const char *result,
    const char *msg)
{
	struct sam_conn	*c;

	if ((c = by_id(id)) == NULL || c->mode != SAM_MODE_CONNECTING)
		return;
	if (result == NULL || strcmp(result, "OK") != 0) {
		connect_failed(c, result != NULL ? result : "I2P_ERROR", msg);
		changed(c);
		return;
	}
	if (!c->silent)
		status(c, "OK", NULL);
	c->ssess->streams_out++;
	sam_stats()->streams_out++;
	go_stream(c);
}

/* the session a STREAM command names: a ready STREAM (sub)session */
static struct sam_session *
stream_session(const struct sam_line *l)
{
	const char		*id = sam_arg(l, "ID");
	struct sam_session	*s;

	if (id == NULL || (s = sam_session_find(id)) == NULL ||
	    s->style != SAM_STYLE_STREAM || !s->ready)
		return NULL;
	return s;
}

/*
 * The checks CONNECT and ACCEPT share; NULL and the session, or the
 * RESULT (the message in *msg)
 */
static const char *
stream_checks(struct sam_conn *c, const struct sam_line *l,
    struct sam_session **sp, const char **msg)
{
	*msg = NULL;
	if (sam_bool_arg(l, "SILENT", &c->silent) == -1) {
		c->silent = 0;
		*msg = "bad SILENT";
	} else if (!sam_stream_available())
		*msg = "streaming not available";
	else if ((*sp = stream_session(l)) == NULL)
		return "INVALID_ID";
	return *msg != NULL ? "I2P_ERROR" : NULL;
}

/* the session's socket stays a control socket: refused, not closed */
static int
control_socket(struct sam_conn *c)
{
	if (c->sess == NULL)
		return 0;
	status(c, "I2P_ERROR", "a session's socket cannot carry a stream");
	return 1;
}

static const char *
connect_ports(struct sam_conn *c, const struct sam_line *l,
    const struct sam_session *s)
{
	long	 from = s->from_port, to = s->to_port;

	if (sam_num_arg(l, "FROM_PORT", 0, 65535, &from) == -1 ||
	    sam_num_arg(l, "TO_PORT", 0, 65535, &to) == -1)
		return "bad FROM_PORT or TO_PORT";
	c->from_port = from;
	c->to_port = to;
	return NULL;
}

/* the target: a b32 name is looked up first, a host name in the book */
static void
connect_to(struct sam_conn *c, struct sam_session *s, const char *dest)
{
	uint8_t		 hash[32], bin[SAM_PRIV_MAX];
	size_t		 len;

	if (b32_name_hash(dest, hash) == 0) {
		attach(c, s, SAM_MODE_CONNECTING);
		strlcpy(c->lookup, dest, sizeof(c->lookup));
		if (BE->lookup == NULL ||
		    BE->lookup(BE->arg, sam_new_reqid(c), hash) == -1)
			connect_failed(c, "I2P_ERROR", "cannot look up now");
	} else if (sam_target_parse(dest, bin, &len) == 0 ||
	    sam_resolve(dest, bin, &len) == 0) {
		attach(c, s, SAM_MODE_CONNECTING);
		connect_dest(c, bin, len);
	} else
		refuse(c, "INVALID_KEY", "not a destination, a .b32.i2p name "
		    "or a name in the address book");
}

static void
stream_connect(struct sam_conn *c, const struct sam_line *l)
{
	struct sam_session	*s = NULL;
	const char		*dest = sam_arg(l, "DESTINATION");
	const char		*res, *msg;

	if (control_socket(c))
		return;
	if ((res = stream_checks(c, l, &s, &msg)) == NULL &&
	    (msg = connect_ports(c, l, s)) != NULL)
		res = "I2P_ERROR";
	else if (res == NULL && s->nstreams >= SAM_STREAMS_PER_SESSION) {
		sam_stats()->streams_limited++;
		res = "I2P_ERROR";
		msg = "too many streams";
	} else if (res == NULL && (dest == NULL || *dest == '\0')) {
		res = "INVALID_KEY";
		msg = "DESTINATION missing";
	}
	if (res != NULL)
		refuse(c, res, msg);
	else
		connect_to(c, s, dest);
}

/* ---- STREAM ACCEPT and FORWARD ---- */

static void
stream_accept(struct sam_conn *c, const struct sam_line *l)
{
	struct sam_session	*s = NULL;
	const char		*res, *msg;

	if (control_socket(c))
		return;
	if ((res = stream_checks(c, l, &s, &msg)) == NULL &&
	    s->fwd_conn != NULL) {
		res = "I2P_ERROR";
		msg = "a FORWARD is on for this ID";
	} else if (res == NULL && (s->naccepts >= SAM_ACCEPTS_PER_SESSION ||
	    naccepts_total >= SAM_ACCEPTS_MAX)) {
		sam_stats()->streams_limited++;
		res = "I2P_ERROR";
		msg = "too many ACCEPTs waiting";
	}
	if (res != NULL) {
		refuse(c, res, msg);
		return;
	}
	attach(c, s, SAM_MODE_ACCEPTING);
	c->accept_seq = next_accept_seq++;
	/* OK at once: the peer's line follows when a stream comes */
	if (!c->silent)
		status(c, "OK", NULL);
	listen_update(top(s));
}

/* FORWARD answers whether SILENT or not, and the socket stays */
static const char *
forward_checks(struct sam_conn *c, const struct sam_line *l,
    struct sam_session **sp, int *flags)
{
	if (sam_bool_arg(l, "SILENT", &flags[0]) == -1 ||
	    sam_bool_arg(l, "SSL", &flags[1]) == -1)
		return "bad SILENT or SSL";
	if (!sam_stream_available())
		return "streaming not available";
	if ((*sp = stream_session(l)) == NULL)
		return NULL;
	if ((*sp)->naccepts > 0)
		return "an ACCEPT waits on this ID";
	if ((*sp)->fwd_conn != NULL || c->fwd_sess != NULL)
		return "a FORWARD is on already";
	return NULL;
}

static const char *
forward_target(struct sam_conn *c, const struct sam_line *l,
    struct sockaddr_storage *to)
{
	long	 port = 0;

	if (sam_arg(l, "PORT") == NULL ||
	    sam_num_arg(l, "PORT", 1, 65535, &port) == -1)
		return "PORT missing or bad";
	return sam_host_port(c, sam_arg(l, "HOST"), port, to);
}

static void
stream_forward(struct sam_conn *c, const struct sam_line *l)
{
	struct sam_session	*s = NULL;
	struct sockaddr_storage	 to;
	const char		*msg;
	int			 flags[2] = { 0, 0 };	/* SILENT, SSL */

	if ((msg = forward_checks(c, l, &s, flags)) == NULL && s != NULL)
		msg = forward_target(c, l, &to);
	if (msg != NULL)
		status(c, "I2P_ERROR", msg);
	else if (s == NULL)
		status(c, "INVALID_ID", NULL);
	else {
		s->fwd_conn = c;
		s->fwd_to = to;
		s->fwd_silent = flags[0];
		s->fwd_ssl = flags[1];
		c->fwd_sess = s;
		status(c, "OK", NULL);
		listen_update(top(s));
	}
}

void
sam_stream_command(struct sam_conn *c, const struct sam_line *l)
{
	if (l->sub != NULL && strcmp(l->sub, "CONNECT") == 0)
		stream_connect(c, l);
	else if (l->sub != NULL && strcmp(l->sub, "ACCEPT") == 0)
		stream_accept(c, l);
	else if (l->sub != NULL && strcmp(l->sub, "FORWARD") == 0)
		stream_forward(c, l);
	else
		sam_conn_reply(c, "STREAM STATUS", "I2P_ERROR", NULL, 0,
		    "unknown STREAM command");
}

/* ---- incoming streams ---- */

/*
 * "$destination[ FROM_PORT=n TO_PORT=n]\n" before the stream's bytes,
 * the ports from 3.2 on
 */
static void
peer_line(struct sam_conn *c, const uint8_t *peer, size_t len,
    uint16_t from_port, uint16_t to_port)
{
	uint8_t		 buf[B64_ENCLEN(SAM_DEST_MAX) + 64];
	char		 b64[B64_ENCLEN(SAM_DEST_MAX)], from[8], to[8];
	struct sam_field f[2];
	struct wbuf	 w;

	if (b64_encode(b64, sizeof(b64), peer, len) == -1)
		fatalx("sam: incoming stream's destination too long");
	snprintf(from, sizeof(from), "%u", from_port);
	snprintf(to, sizeof(to), "%u", to_port);
	f[0] = (struct sam_field){ "FROM_PORT", from, SAM_V(3, 2) };
	f[1] = (struct sam_field){ "TO_PORT", to, SAM_V(3, 2) };
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_put_bytes(&w, b64, strlen(b64));
	if (c->version >= SAM_V(3, 2))
		wbuf_put_u8(&w, ' ');
	sam_put_fields(&w, c->version, f, 2);
	wbuf_put_u8(&w, '\n');
	if (wbuf_error(&w))
		fatalx("sam: peer line does not fit");
	sam_conn_write(c, wbuf_data(&w), wbuf_len(&w));
}

/*
 * A PRIMARY's STREAM subsession for a stream to to_port (the spec's
 * "Creating a Subsession"): LISTEN_PORT equal, else the one on 0.
 */
static struct sam_session *
route(struct sam_session *p, uint16_t to_port)
{
	struct sam_session	*s, *any = NULL;

	TAILQ_FOREACH(s, sam_sessions(), entry) {
		if (s->primary != p || s->style != SAM_STYLE_STREAM)
			continue;
		if (s->listen_port == to_port && to_port != 0)
			return s;
		if (s->listen_port == 0)
			any = s;
	}
	return any;
}

/* the ACCEPT that waits longest */
static struct sam_conn *
first_accept(const struct sam_session *s)
{
	struct sam_conn	*c, *best = NULL;

	TAILQ_FOREACH(c, sam_conns(), entry)
		if (c->mode == SAM_MODE_ACCEPTING && c->ssess == s &&
		    !c->closing && !c->dead &&
		    (best == NULL || c->accept_seq < best->accept_seq))
			best = c;
	return best;
}

static uint32_t
to_accept(struct sam_session *s, struct sam_conn *c, const uint8_t *peer,
    size_t len, uint16_t from_port, uint16_t to_port)
{
	detach(c);
	attach(c, s, SAM_MODE_STREAM);
	c->stream = new_id();
	if (!c->silent)
		peer_line(c, peer, len, from_port, to_port);
	go_stream_offered(c);
	listen_update(top(s));
	return c->stream;
}

/* non-blocking: -1, or the socket, connected or connecting */
static int
fwd_socket(const struct sockaddr_storage *to)
{
	socklen_t	 sl = to->ss_family == AF_INET ?
	    sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
	int		 fd;

	if ((fd = socket(to->ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		return -1;
	if (connect(fd, (const struct sockaddr *)to, sl) == -1 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static uint32_t
to_forward(struct sam_session *s, const uint8_t *peer, size_t len,
    uint16_t from_port, uint16_t to_port)
{
	struct sam_conn	*c;
	int		 fd;

	if (nforwarded >= SAM_FORWARDED_MAX) {
		sam_stats()->streams_limited++;
		return 0;
	}
	if ((fd = fwd_socket(&s->fwd_to)) == -1) {
		log_debug("sam: FORWARD of %s: %s", s->id, strerror(errno));
		sam_stats()->fwd_failed++;
		return 0;
	}
	if ((c = sam_conn_forwarded(fd, &s->fwd_to, s->fwd_conn->version,
	    time(NULL))) == NULL) {
		close(fd);
		return 0;
	}
	nforwarded++;
	attach(c, s, SAM_MODE_FWD_CONNECTING);
	c->silent = s->fwd_silent;
	c->tls_on = s->fwd_ssl;
	c->stream = new_id();
	/* queued now, written first once the target takes the socket */
	if (!c->silent)
		peer_line(c, peer, len, from_port, to_port);
	/* connected at once or not: the socket's events say (sam_listen.c) */
	changed(c);
	return c->stream;
}

void
sam_stream_fwd_ready(struct sam_conn *c, int error)
{
	if (c->mode != SAM_MODE_FWD_CONNECTING)
		return;
	if (error == 0 && c->tls_on && c->tls == NULL &&
	    sam_tls_start(c) == -1)
		error = EPROTO;
	if (error != 0) {
		log_debug("sam: FORWARD target: %s", strerror(error));
		sam_stats()->fwd_failed++;
		c->dead = 1;
		changed(c);
		return;
	}
	/* connected; with TLS, once its handshake is done (sam_listen.c) */
	if (c->tls != NULL && c->tls_want != 0) {
		changed(c);
		return;
	}
	c->ssess->streams_in++;
	sam_stats()->streams_in++;
	go_stream(c);
}

static struct sam_session *
incoming_session(uint32_t sid, uint16_t to_port)
{
	struct sam_session	*s;

	TAILQ_FOREACH(s, sam_sessions(), entry)
		if (s->sid == sid && s->primary == NULL && s->ready)
			break;
	if (s == NULL || s->style == SAM_STYLE_STREAM)
		return s;
	return s->style == SAM_STYLE_PRIMARY ? route(s, to_port) : NULL;
}

uint32_t
sam_backend_stream_incoming(uint32_t sid, const uint8_t *peer, size_t len,
    uint16_t from_port, uint16_t to_port)
{
	struct sam_session	*s;
	struct sam_conn		*c = NULL;
	struct i2p_ident	 id;
	struct i2p_err		 err;
	uint32_t		 rv = 0;

	if ((s = incoming_session(sid, to_port)) == NULL ||
	    peer == NULL || len > SAM_DEST_MAX ||
	    ident_parse_bytes(&id, peer, len, IDENT_DEST, &err) == -1)
		;
	else if (s->nstreams >= SAM_STREAMS_PER_SESSION)
		sam_stats()->streams_limited++;
	else if (s->fwd_conn != NULL)
		rv = to_forward(s, peer, len, from_port, to_port);
	else if ((c = first_accept(s)) != NULL) {
		rv = to_accept(s, c, peer, len, from_port, to_port);
		s->streams_in++;
		sam_stats()->streams_in++;
	}
	if (rv == 0)
		sam_stats()->streams_refused++;
	return rv;
}

/* ---- the end of sockets and sessions ---- */

void
sam_stream_conn_gone(struct sam_conn *c)
{
	struct sam_session	*s;

	if ((s = c->fwd_sess) != NULL) {
		s->fwd_conn = NULL;
		c->fwd_sess = NULL;
		listen_update(top(s));
	}
	stream_drop(c);
	if ((s = c->ssess) != NULL) {
		detach(c);
		listen_update(top(s));
	}
	if (c->forwarded)
		nforwarded--;
}

/*
 * A waiting ACCEPT hears why (Bitcoin Core reads this very line where
 * the peer's would be); streams close at once; a FORWARD's socket
 * closes, its purpose gone.
 */
static void
conn_session_gone(struct sam_conn *c, struct sam_session *s)
{
	if (c->fwd_sess == s) {
		c->fwd_sess = NULL;
		s->fwd_conn = NULL;
		c->closing = 1;
	}
	if (c->ssess != s)
		return;
	if (c->mode == SAM_MODE_ACCEPTING) {
		if (!c->silent)
			status(c, "I2P_ERROR", "Session was closed");
		c->closing = 1;
	} else {
		stream_drop(c);
		c->dead = 1;
	}
	detach(c);
}

void
sam_stream_session_gone(struct sam_session *s)
{
	struct sam_conn	*c;

	TAILQ_FOREACH(c, sam_conns(), entry) {
		if (c->ssess != s && c->fwd_sess != s)
			continue;
		conn_session_gone(c, s);
		changed(c);
	}
	if (s->primary != NULL)
		listen_update(s->primary);
}
