/*
 * SAM control connections, without the sockets (sam_listen.c owns
 * those): bytes in, lines out of them, HELLO first, then commands one
 * at a time; replies into a bounded output queue.
 *
 * A connection's input buffer holds one line and, after a DATAGRAM
 * SEND or RAW SEND line, its payload: SAM_LINE_MAX + 1 + SAM_RAW_MAX.
 * A line longer than SAM_LINE_MAX, or a client that sends while it
 * reads none of our replies, is closed: memory per connection stays
 * bounded and one client's trouble never reaches another.
 */
#include <bsd/string.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "i2prd.h"
#include "log.h"
#include "sam.h"

#define SAM_INBUF	(SAM_LINE_MAX + 1 + SAM_RAW_MAX)
#define SAM_AUTH_MAX	128

static struct sam_conns	 conns = TAILQ_HEAD_INITIALIZER(conns);
static size_t		 nconns;
static uint32_t		 next_conn_id = 1;
static uint32_t		 next_reqid = 1;
static struct sam_stats	 stats;
static char		 auth_user[SAM_AUTH_MAX], auth_pass[SAM_AUTH_MAX];
static int		 auth_on;

void	(*sam_conn_changed)(struct sam_conn *);

void
sam_init(const struct sam_backend *be, sam_udp_send_fn udp_send)
{
	struct sam_conn	*c;

	while ((c = TAILQ_FIRST(&conns)) != NULL)
		sam_conn_free(c);
	memset(&stats, 0, sizeof(stats));
	sam_session_init(be, udp_send);
	sam_set_auth(NULL, NULL);
}

void
sam_set_auth(const char *user, const char *password)
{
	crypto_wipe(auth_user, sizeof(auth_user));
	crypto_wipe(auth_pass, sizeof(auth_pass));
	auth_on = user != NULL;
	if (!auth_on)
		return;
	strlcpy(auth_user, user, sizeof(auth_user));
	strlcpy(auth_pass, password, sizeof(auth_pass));
}

struct sam_stats *
sam_stats(void)
{
	return &stats;
}

const struct sam_conns *
sam_conns(void)
{
	return &conns;
}

static size_t
conns_from(const struct sockaddr_storage *ss)
{
	struct sam_conn	*c;
	size_t		 n = 0;

	/* sockets the bridge opened for FORWARDs are no client's */
	TAILQ_FOREACH(c, &conns, entry)
		if (!c->forwarded && sockaddr_same_host(&c->addr, ss))
			n++;
	return n;
}

static struct sam_conn *
conn_alloc(int fd, const struct sockaddr_storage *ss, int64_t now)
{
	struct sam_conn	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->in = malloc(SAM_INBUF)) == NULL ||
	    wbuf_init_dynamic(&c->out, 1024, SAM_OUTQ_MAX) == -1) {
		free(c->in);
		free(c);
		return NULL;
	}
	c->fd = fd;
	c->addr = *ss;
	c->since = now;
	c->id = next_conn_id++;
	TAILQ_INSERT_TAIL(&conns, c, entry);
	return c;
}

struct sam_conn *
sam_conn_new(int fd, const struct sockaddr_storage *ss, int64_t now)
{
	struct sam_conn	*c;

	if (conns_from(ss) >= SAM_CONNS_PER_ADDR || nconns >= SAM_CONNS_MAX) {
		stats.conns_refused++;
		return NULL;
	}
	if ((c = conn_alloc(fd, ss, now)) == NULL)
		return NULL;
	nconns++;
	stats.conns++;
	return c;
}

/*
 * A socket the bridge connects to a FORWARD's target: it speaks the
 * version of the FORWARD's client, for the peer line.  Its limit is
 * SAM_FORWARDED_MAX (sam_stream.c), not the clients' ones.
 */
struct sam_conn *
sam_conn_forwarded(int fd, const struct sockaddr_storage *to, int version,
    int64_t now)
{
	struct sam_conn	*c;

	if ((c = conn_alloc(fd, to, now)) == NULL)
		return NULL;
	c->forwarded = 1;
	c->version = version;
	return c;
}

void
sam_conn_free(struct sam_conn *c)
{
	sam_stream_conn_gone(c);
	sam_session_conn_gone(c);
	TAILQ_REMOVE(&conns, c, entry);
	if (!c->forwarded)
		nconns--;
	if (c->ev_set)
		event_del(&c->ev);
	sam_tls_free(c);
	if (c->fd != -1)
		close(c->fd);
	/* lines may have held a private key */
	crypto_wipe(c->in, SAM_INBUF);
	free(c->in);
	wbuf_free(&c->out);
	free(c);
}

void
sam_conn_write(struct sam_conn *c, const void *p, size_t len)
{
	if (c->dead)
		return;
	if (wbuf_put_bytes(&c->out, p, len) == -1) {
		log_warnx("sam: client %u reads none of its replies; closing",
		    c->id);
		c->dead = 1;
	}
}

void
sam_conn_reply(struct sam_conn *c, const char *words, const char *result,
    const struct sam_field *f, size_t n, const char *message)
{
	/*
	 * A value echoed from the client (a NAME) may double when quoted:
	 * a whole line of quotes and the fixed fields fit in three lines.
	 */
	uint8_t		 buf[SAM_LINE_MAX * 3];
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (result != NULL && strcmp(result, "OK") != 0)
		stats.errors++;
	if (sam_reply(&w, c->version, words, result, f, n, message) == -1) {
		log_warnx("sam: client %u: a %s reply too long; closing",
		    c->id, words);
		c->dead = 1;
	} else
		sam_conn_write(c, wbuf_data(&w), wbuf_len(&w));
	/* DESTINATION= and PRIV= carry private keys */
	crypto_wipe(buf, sizeof(buf));
}

uint32_t
sam_new_reqid(struct sam_conn *c)
{
	c->reqid = next_reqid++;
	if (next_reqid == 0)
		next_reqid = 1;
	c->busy = 1;
	return c->reqid;
}

struct sam_conn *
sam_conn_by_reqid(uint32_t reqid)
{
	struct sam_conn	*c;

	TAILQ_FOREACH(c, &conns, entry)
		if (c->busy && c->reqid == reqid)
			return c;
	return NULL;
}

static void
conn_error(struct sam_conn *c, const char *words, const char *message,
    int close_it)
{
	sam_conn_reply(c, words, "I2P_ERROR", NULL, 0, message);
	if (close_it)
		c->closing = 1;
}

/* equal lengths compared in constant time, over fixed-size copies */
static int
auth_equal(const char *given, const char *want)
{
	char	 a[SAM_AUTH_MAX], b[SAM_AUTH_MAX];
	int	 eq;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	strlcpy(a, given, sizeof(a));
	strlcpy(b, want, sizeof(b));
	eq = crypto_memcmp(a, b, sizeof(a)) == 0 &&
	    strlen(given) < sizeof(a);
	crypto_wipe(a, sizeof(a));
	crypto_wipe(b, sizeof(b));
	return eq;
}

static int
hello_auth(struct sam_conn *c, const struct sam_line *l)
{
	const char	*user = sam_arg(l, "USER");
	const char	*pass = sam_arg(l, "PASSWORD");
	int		 ok;

	if (!auth_on)
		return 0;
	if (user == NULL || pass == NULL) {
		conn_error(c, "HELLO REPLY", "USER and PASSWORD required", 1);
		return -1;
	}
	/* both compared, whatever the first says */
	ok = auth_equal(user, auth_user);
	ok &= auth_equal(pass, auth_pass);
	if (!ok) {
		log_warnx("sam: client %u: authentication failed", c->id);
		conn_error(c, "HELLO REPLY", "authentication failed", 1);
		return -1;
	}
	return 0;
}

/*
 * The highest version within MIN and MAX (3.1: both optional); a
 * malformed one is an I2P_ERROR, none in range NOVERSION.  Both close.
 */
static void
hello(struct sam_conn *c, const struct sam_line *l)
{
	const char	*smin = sam_arg(l, "MIN"), *smax = sam_arg(l, "MAX");
	int		 min = SAM_VERSION_MIN, max = SAM_VERSION_MAX;
	char		 vs[32];
	struct sam_field f[1];

	if (l->sub == NULL || strcmp(l->sub, "VERSION") != 0) {
		conn_error(c, "HELLO REPLY", "expected HELLO VERSION", 1);
		return;
	}
	if ((smin != NULL && sam_version_parse(smin, 0, &min) == -1) ||
	    (smax != NULL && sam_version_parse(smax, 1, &max) == -1)) {
		conn_error(c, "HELLO REPLY", "malformed MIN or MAX", 1);
		return;
	}
	if (hello_auth(c, l) == -1)
		return;
	if (max > SAM_VERSION_MAX)
		max = SAM_VERSION_MAX;
	if (min > max || max < SAM_VERSION_MIN) {
		sam_conn_reply(c, "HELLO REPLY", "NOVERSION", NULL, 0, NULL);
		c->closing = 1;
		return;
	}
	c->version = max;
	snprintf(vs, sizeof(vs), "%d.%d", max / 100, max % 100);
	f[0] = (struct sam_field){ "VERSION", vs, 0 };
	sam_conn_reply(c, "HELLO REPLY", "OK", f, 1, NULL);
}

/* the reply line's words for an error answering a command */
static const char *
reply_words(const char *cmd)
{
	static const struct {
		const char	*cmd, *words;
	} map[] = {
		{ "HELLO", "HELLO REPLY" },
		{ "STREAM", "STREAM STATUS" },
		{ "DATAGRAM", "DATAGRAM STATUS" },
		{ "RAW", "RAW STATUS" },
		{ "NAMING", "NAMING REPLY" },
		{ "DEST", "DEST REPLY" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(cmd, map[i].cmd) == 0)
			return map[i].words;
	return "SESSION STATUS";
}

static void
command(struct sam_conn *c, const struct sam_line *l, const uint8_t *payload,
    size_t len)
{
	stats.commands++;
	if (c->version == 0) {
		if (strcmp(l->cmd, "HELLO") == 0)
			hello(c, l);
		else
			conn_error(c, "HELLO REPLY", "HELLO first", 1);
		return;
	}
	if (strcmp(l->cmd, "PING") == 0) {
		sam_conn_write(c, "PONG", 4);
		if (*l->text != '\0') {
			sam_conn_write(c, " ", 1);
			sam_conn_write(c, l->text, strlen(l->text));
		}
		sam_conn_write(c, "\n", 1);
	} else if (strcmp(l->cmd, "PONG") == 0)
		;	/* we send no PING: nothing to match */
	else if (strcmp(l->cmd, "QUIT") == 0 || strcmp(l->cmd, "STOP") == 0 ||
	    strcmp(l->cmd, "EXIT") == 0)
		c->closing = 1;
	else if (strcmp(l->cmd, "HELLO") == 0)
		conn_error(c, "HELLO REPLY", "HELLO was already done", 0);
	else if (strcmp(l->cmd, "AUTH") == 0)
		conn_error(c, "SESSION STATUS",
		    "AUTH is not supported: sam user is set in i2prd.conf", 0);
	else if (sam_session_command(c, l, payload, len) == -1)
		conn_error(c, reply_words(l->cmd), "unknown command", 0);
}

static const uint8_t *
find_nl(const uint8_t *p, size_t len)
{
	return memchr(p, '\n', len);
}

/* what moved out of the way is wiped: lines may hold private keys */
void
sam_conn_consume(struct sam_conn *c, size_t n)
{
	memmove(c->in, c->in + n, c->inlen - n);
	c->inlen -= n;
	crypto_wipe(c->in + c->inlen, n);
}

/*
 * One line and its payload if the buffer holds them: 1 done, 0 wait
 * for more bytes, -1 the connection is to close.
 */
static int
one_line(struct sam_conn *c)
{
	struct sam_line	*l;
	const uint8_t	*nl;
	const char	*why;
	size_t		 linelen, size = 0;
	int		 rv = 1;

	if ((nl = find_nl(c->in, c->inlen)) == NULL) {
		if (c->inlen <= SAM_LINE_MAX)
			return 0;
		conn_error(c, c->version ? "SESSION STATUS" : "HELLO REPLY",
		    "line too long", 1);
		return -1;
	}
	linelen = nl - c->in;
	/* blank lines (a stray newline after a payload) mean nothing */
	if (linelen == 0 || (linelen == 1 && c->in[0] == '\r')) {
		sam_conn_consume(c, linelen + 1);
		return 1;
	}
	if ((l = malloc(sizeof(*l))) == NULL)
		fatal(NULL);
	if (sam_line_parse(l, c->in, linelen, &why) == -1) {
		conn_error(c, c->version ? "SESSION STATUS" : "HELLO REPLY",
		    why, c->version == 0);
		sam_conn_consume(c, linelen + 1);
	} else if (l->sub != NULL && strcmp(l->sub, "SEND") == 0 &&
	    sam_send_size(l, &size) == -1) {
		/* without its SIZE the payload cannot be told from lines */
		conn_error(c, reply_words(l->cmd), "SIZE missing or bad", 1);
		rv = -1;
	} else if (c->inlen - linelen - 1 < size)
		rv = 0;
	else {
		command(c, l, c->in + linelen + 1, size);
		sam_conn_consume(c, linelen + 1 + size);
	}
	crypto_wipe(l, sizeof(*l));
	free(l);
	return rv;
}

static void
process(struct sam_conn *c)
{
	while (c->mode == SAM_MODE_CONTROL && !c->busy && !c->closing &&
	    !c->dead && c->inlen > 0)
		if (one_line(c) != 1)
			break;
	if (sam_conn_changed != NULL)
		sam_conn_changed(c);
}

int64_t
sam_conn_hello_left(struct sam_conn *c, int64_t now)
{
	int64_t	 left = c->since + SAM_HELLO_TIMEOUT - now;

	if (c->version != 0 || c->closing || c->dead)
		return -1;
	if (left > 0)
		return left;
	conn_error(c, "HELLO REPLY", "no HELLO in time", 1);
	return 0;
}

/*
 * A stream's socket is read only while the backend takes its bytes:
 * back-pressure to the client instead of a growing buffer.
 */
size_t
sam_conn_room(const struct sam_conn *c)
{
	if (c->mode == SAM_MODE_STREAM && (c->wblocked || c->eof_in))
		return 0;
	return SAM_INBUF - c->inlen;
}

void
sam_conn_input(struct sam_conn *c, const void *p, size_t len)
{
	if (c->closing || c->dead)
		return;
	if (len > SAM_INBUF - c->inlen) {
		conn_error(c, "SESSION STATUS", "line too long", 1);
		c->dead = 1;
		if (sam_conn_changed != NULL)
			sam_conn_changed(c);
		return;
	}
	memcpy(c->in + c->inlen, p, len);
	c->inlen += len;
	if (c->mode == SAM_MODE_STREAM)
		sam_stream_input(c);
	process(c);
}

/* 0 all written or would block, -1 the client is gone */
int
sam_conn_flush(struct sam_conn *c)
{
	ssize_t	 n;
	size_t	 len = wbuf_len(&c->out);

	if (len == 0 || c->fd == -1)
		return 0;
	if (c->tls != NULL)
		n = sam_tls_write(c, wbuf_data(&c->out), len);
	else
		n = write(c->fd, wbuf_data(&c->out), len);
	if (n == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	/* replies may hold private keys: the tail moved away is wiped */
	memmove(c->out.data, c->out.data + n, len - n);
	c->out.len -= n;
	crypto_wipe(c->out.data + c->out.len, n);
	return 0;
}

void
sam_conn_flushed(struct sam_conn *c)
{
	if (c->mode == SAM_MODE_STREAM)
		sam_stream_output(c);
}

/*
 * The client closed its side.  A stream passes the EOF on once its
 * bytes are out and waits for the peer's end; so does a CONNECT still
 * waiting (a client may send its request and half-close at once).  An
 * ACCEPT or a control socket is over: a stream must not go to a
 * client that left.
 */
int
sam_conn_eof(struct sam_conn *c)
{
	if (c->dead || c->stream_gone || (c->mode != SAM_MODE_STREAM &&
	    c->mode != SAM_MODE_CONNECTING))
		return -1;
	c->eof_in = 1;
	sam_stream_input(c);
	return c->dead ? -1 : 0;
}

void
sam_conn_unbusy(struct sam_conn *c)
{
	c->busy = 0;
	c->reqid = 0;
}

void
sam_conn_resume(struct sam_conn *c)
{
	sam_conn_unbusy(c);
	process(c);
}
