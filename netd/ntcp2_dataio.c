/*
 * NTCP2's data phase.  In: each frame's obfuscated length, then the
 * frame, opened in place in the input buffer and walked block by
 * block; I2NP blocks and RouterInfos go up through the session layer
 * (session_io.c), which batches them for routerd.  Out: the write
 * event packs the session's send queue into frames of up to
 * NETD_FRAME_TARGET bytes (more only for one large message), with a
 * little random padding now and then so frame sizes do not repeat the
 * message sizes exactly.
 *
 * A frame that fails to open, or blocks that do not parse, end the
 * session with a termination block (ntcp2.rst reasons 4, 9, 10): our
 * send direction is still good, only theirs is not.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "log.h"
#include "netd.h"
#include "ntcp2_io.h"

/* padding in a frame, now and then (1 in DATA_PAD_ODDS), up to: */
#define DATA_PAD_ODDS		4
#define DATA_PAD_MAX		32
/* a termination frame: block, some padding */
#define DATA_TERM_MAX		(3 + 9 + 3 + DATA_PAD_MAX)

static void
data_datetime(struct session *s, const uint8_t *body, size_t len)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	struct rbuf		 r;
	uint32_t		 ts;
	int64_t			 skew;

	rbuf_init(&r, body, len);
	if (rbuf_get_u32(&r, &ts) == -1)
		return;
	skew = (int64_t)ts - (int64_t)time(NULL);
	/*
	 * The handshake enforced the skew; this only tells the operator,
	 * once a session: a frame can carry thousands of DateTime blocks,
	 * each line different, which repeat suppression would not catch.
	 */
	if ((skew > NTCP2_SKEW_MAX || skew < -NTCP2_SKEW_MAX) &&
	    !c->skew_logged) {
		c->skew_logged = 1;
		log_info("session %s: clock differs by %lld s",
		    session_name(s), (long long)skew);
	}
}

/* the reason of a termination block, or -1 */
static int
data_termination(const uint8_t *body, size_t len)
{
	struct rbuf	 r;
	uint8_t		 reason;

	rbuf_init(&r, body, len);
	if (rbuf_skip(&r, 8) == -1 || rbuf_get_u8(&r, &reason) == -1)
		return -1;
	return reason;
}

/* ntcp2_blocks callback: 1 stops the walk at a termination */
static int
data_block(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct session	*s = arg;
	struct rbuf	 r;
	const uint8_t	*ri;
	int		 reason;

	switch (type) {
	case NTCP2_B_I2NP:
		if (len >= I2NP_SHORT_HDRLEN)
			session_i2np_in(s, body, len);
		break;
	case NTCP2_B_ROUTERINFO:
		/* a flag byte, then the RouterInfo */
		rbuf_init(&r, body, len);
		if (rbuf_skip(&r, 1) == 0 && rbuf_left(&r) > 0 &&
		    rbuf_get_ptr(&r, &ri, rbuf_left(&r)) == 0)
			session_peer_ri(s, ri, len - 1);
		break;
	case NTCP2_B_DATETIME:
		data_datetime(s, body, len);
		break;
	case NTCP2_B_TERMINATION:
		if ((reason = data_termination(body, len)) == -1)
			return -1;
		s->close_term = reason;
		return 1;
	default:
		/* options, padding, and blocks of later versions */
		break;
	}
	return 0;
}

/* the peer ended the session with a termination block */
static void
data_terminated(struct session *s)
{
	uint32_t	 down;

	switch (s->close_term) {
	case NTCP2_R_NORMAL:
	case NTCP2_R_TERMINATION_RECEIVED:
	case NTCP2_R_ROUTER_SHUTDOWN:
		down = NET_DOWN_CLOSED;
		break;
	case NTCP2_R_IDLE_TIMEOUT:
		down = NET_DOWN_IDLE;
		break;
	default:
		down = NET_DOWN_ERROR;
		break;
	}
	log_debug("session %s: terminated by the peer (reason %u)",
	    session_name(s), s->close_term);
	session_close(s, down, s->close_term);
}

/* one frame at c->inoff, of c->framelen bytes; -1 if closed */
static int
data_frame_in(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint8_t			*frame = c->in + c->inoff;
	size_t			 plen;
	int			 r;

	if (ntcp2_frame_open(&c->keys.recv, frame, c->framelen, &plen) !=
	    NTCP2_OK) {
		log_info("session %s: frame does not decrypt",
		    session_name(s));
		return data_terminate(s, NTCP2_R_DATA_AEAD_FAILURE,
		    NET_DOWN_ERROR);
	}
	c->frames_in++;
	c->inoff += c->framelen;
	c->framelen = 0;
	c->need = 2;
	if ((r = ntcp2_blocks(frame, plen, data_block, s)) == 1) {
		session_i2np_flush();
		data_terminated(s);
		return -1;
	}
	if (r != 0) {
		log_info("session %s: malformed blocks", session_name(s));
		return data_terminate(s, NTCP2_R_PAYLOAD_FORMAT_ERROR,
		    NET_DOWN_ERROR);
	}
	return 0;
}

static int
data_input_frames(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	while (s->state == SS_ESTABLISHED) {
		if (c->framelen == 0) {
			if (c->inlen - c->inoff < 2)
				return 0;
			if (ntcp2_frame_len(&c->keys.recv, c->in + c->inoff,
			    &c->framelen) != NTCP2_OK ||
			    c->framelen < POLY1305_TAG_LEN) {
				c->framelen = 0;
				return data_terminate(s,
				    NTCP2_R_AEAD_FRAMING_ERROR, NET_DOWN_ERROR);
			}
			c->inoff += 2;
			c->need = c->framelen;
		}
		if (c->inlen - c->inoff < c->framelen)
			return 0;
		if (data_frame_in(s) == -1)
			return -1;
	}
	return 0;
}

int
data_input(struct session *s)
{
	int	 r;

	r = data_input_frames(s);
	if (r == 0)
		session_i2np_flush();
	return r;
}

static int
data_seal(struct session *s, const uint8_t *plain, size_t plen)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	struct wbuf		 w;
	uint8_t			*p;
	size_t			 n = plen + NTCP2_FRAME_OVERHEAD;

	if ((p = conn_out_reserve(s, n)) == NULL)
		return -1;
	wbuf_init_fixed(&w, p, n);
	if (ntcp2_frame_seal(&c->keys.send, plain, plen, &w) != NTCP2_OK)
		return -1;
	c->outlen += wbuf_len(&w);
	return 0;
}

static void
data_padding(struct wbuf *w, size_t limit)
{
	uint8_t	 r[2];

	crypto_random_fill(r, sizeof(r));
	if (r[0] % DATA_PAD_ODDS != 0)
		return;
	if (wbuf_len(w) + 3 + r[1] % DATA_PAD_MAX <= limit)
		ntcp2_put_padding(w, r[1] % DATA_PAD_MAX);
}

/* as many queued messages as fit in one frame */
static int
data_frame_out(struct session *s, uint32_t now)
{
	static uint8_t	 plain[NTCP2_FRAME_MAX - POLY1305_TAG_LEN];
	struct qmsg	*m = msgq_first(&s->sendq, now);
	struct wbuf	 w;
	size_t		 limit = NETD_FRAME_TARGET;

	if (m->len + 3 > limit)
		limit = m->len + 3;
	wbuf_init_fixed(&w, plain, limit);
	while (m != NULL && wbuf_len(&w) + 3 + m->len <= limit) {
		ntcp2_put_i2np(&w, m->data, m->len);
		s->msgs_out++;
		msgq_remove(&s->sendq, m);
		m = msgq_first(&s->sendq, now);
	}
	data_padding(&w, limit);
	if (wbuf_error(&w))
		return -1;
	return data_seal(s, plain, wbuf_len(&w));
}

int
data_pump(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint32_t		 now = time(NULL);

	while (c->outlen - c->outoff < 2 * NETD_FRAME_TARGET &&
	    msgq_first(&s->sendq, now) != NULL) {
		if (data_frame_out(s, now) == -1) {
			log_warnx("session %s: cannot build a frame",
			    session_name(s));
			session_close(s, NET_DOWN_ERROR, 0);
			return -1;
		}
	}
	return 0;
}

static int
data_termination_frame(struct session *s, uint8_t reason)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);
	uint8_t			 plain[DATA_TERM_MAX];
	struct wbuf		 w;

	wbuf_init_fixed(&w, plain, sizeof(plain));
	ntcp2_put_termination(&w, c->frames_in, reason);
	data_padding(&w, sizeof(plain));
	if (wbuf_error(&w))
		return -1;
	return data_seal(s, plain, wbuf_len(&w));
}

int
data_terminate(struct session *s, uint8_t reason, uint32_t down)
{
	if (s->state != SS_ESTABLISHED ||
	    data_termination_frame(s, reason) == -1) {
		session_close(s, down, reason);
		return -1;
	}
	log_debug("session %s: terminating (reason %u)", session_name(s),
	    reason);
	msgq_clear(&s->sendq);
	s->state = SS_CLOSING;
	s->close_down = down;
	s->close_term = reason;
	conn_read_enable(s, 0);
	session_timer(s, NETD_LINGER);
	conn_kick(s);
	return 0;
}

void
data_goodbye(struct session *s)
{
	struct ntcp2_conn	*c = NTCP2_CONN(s);

	if (data_termination_frame(s, NTCP2_R_ROUTER_SHUTDOWN) == -1 ||
	    c->fd == -1)
		return;
	/* best effort: the event loop is gone, nothing waits for this */
	(void)write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
}
