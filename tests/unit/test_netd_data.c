/*
 * netd's data phase out (netd/ntcp2_dataio.c, ntcp2_conn.c) as a peer
 * sees it: an established session on a socket whose send buffer is
 * tiny, so that nearly every write is partial and most end in EAGAIN,
 * fed batches from "routerd" of small and near-64 KB messages while
 * it writes.  The test reads the socket in random slices, as a peer
 * would, and opens every frame with its own copy of the send keys:
 * each frame must decrypt (SipHash length, nonce, tag), every message
 * must arrive once, in order, byte-exact, and a termination must come
 * after everything sent before it.  This is what i2pd checks when it logs "NTCP2:
 * Received AEAD verification failed".
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <errno.h>
#include <event.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "unit.h"
#include "../../netd/netd.h"
#include "../../netd/ntcp2_io.h"
#include "netd_unit.h"

#define MSGS		1500	/* messages through one session */
#define QUEUE_HIGH	(512 * 1024)	/* "routerd" waits above this */
#define SNDBUF		4096	/* the kernel makes it a little more */

/* the peer: reads the stream as i2pd does, frame by frame */
struct peer_rx {
	int		 fd;
	struct ntcp2_dir rx;
	uint8_t		 buf[2 + NTCP2_FRAME_MAX];
	size_t		 have;
	size_t		 framelen;	/* 0: the length is next */
	uint32_t	 next;		/* id of the message expected next */
	uint32_t	 frames;
	int		 term;		/* reason, -1 until a termination */
	int		 after_term;	/* frames after it: wrong */
	int		 eof;
};

static unsigned	 rng = 12345;

static unsigned
rnd(unsigned n)
{
	rng = rng * 1103515245 + 12345;
	return (rng >> 8) % n;
}

/* message id's length: mostly tunnel-data sized, some near the maximum */
static size_t
msg_len(uint32_t id)
{
	if (id % 29 == 7)
		return NETD_I2NP_MAX - id % 200;
	if (id % 5 == 0)
		return I2NP_SHORT_HDRLEN + 1 + id % 50;
	return 1037 + id % 900;
}

/* message id: short header (type, id, expiration), then its bytes */
static size_t
msg_make(uint8_t *buf, uint32_t id)
{
	struct wbuf	 w;
	size_t		 len = msg_len(id);

	wbuf_init_fixed(&w, buf, len);
	wbuf_put_u8(&w, I2NP_DELIVERY_STATUS);
	wbuf_put_u32(&w, id);
	wbuf_put_u32(&w, time(NULL) + 60);
	ck_assert(!wbuf_error(&w));
	unit_fill(buf + I2NP_SHORT_HDRLEN, len - I2NP_SHORT_HDRLEN, id);
	return len;
}

static int
rx_block(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	static uint8_t	 want[NETD_I2NP_MAX];
	struct peer_rx	*p = arg;
	size_t		 wlen;

	/* padding may follow a termination in its frame, nothing else */
	if (p->term != -1 && type != NTCP2_B_PADDING)
		p->after_term = 1;
	switch (type) {
	case NTCP2_B_I2NP:
		wlen = msg_make(want, p->next);
		ck_assert_msg(len == wlen && memcmp(body + 9, want + 9,
		    len - 9) == 0 && memcmp(body, want, 5) == 0,
		    "message %u: wrong, missing or out of order", p->next);
		p->next++;
		break;
	case NTCP2_B_TERMINATION:
		ck_assert_uint_ge(len, 9);
		p->term = body[8];
		break;
	case NTCP2_B_PADDING:
		break;
	default:
		ck_abort_msg("block type %u", type);
	}
	return 0;
}

/* the frames complete in the buffer */
static void
rx_frames(struct peer_rx *p)
{
	size_t	 plen, used;

	for (;;) {
		if (p->framelen == 0) {
			if (p->have < 2)
				return;
			ck_assert_int_eq(ntcp2_frame_len(&p->rx, p->buf,
			    &p->framelen), NTCP2_OK);
		}
		if (p->have < 2 + p->framelen)
			return;
		ck_assert_msg(ntcp2_frame_open(&p->rx, p->buf + 2,
		    p->framelen, &plen) == NTCP2_OK,
		    "frame %u (%zu bytes) does not decrypt", p->frames,
		    p->framelen);
		if (p->term != -1)
			p->after_term = 1;
		ck_assert_int_eq(ntcp2_blocks(p->buf + 2, plen, rx_block, p),
		    0);
		p->frames++;
		used = 2 + p->framelen;
		memmove(p->buf, p->buf + used, p->have - used);
		p->have -= used;
		p->framelen = 0;
	}
}

/* reads a random slice, as a slow peer does */
static void
rx_read(struct peer_rx *p)
{
	size_t	 want = 1 + rnd(3 * SNDBUF);
	ssize_t	 n;

	if (p->eof)
		return;
	if (want > sizeof(p->buf) - p->have)
		want = sizeof(p->buf) - p->have;
	n = read(p->fd, p->buf + p->have, want);
	if (n == -1) {
		ck_assert(errno == EAGAIN);
		return;
	}
	if (n == 0) {
		p->eof = 1;
		return;
	}
	p->have += n;
	rx_frames(p);
}

/*
 * A batch of messages from first on, as routerd sends it: n of them, or
 * as many as fit in one imsg; returns how many.
 */
static uint32_t
send_batch(const uint8_t hash[32], uint32_t first, uint32_t n)
{
	static uint8_t	 b[MAX_IMSGSIZE_NET];
	struct wbuf	 w;
	size_t		 off;
	uint32_t	 i;

	wbuf_init_fixed(&w, b, sizeof(b));
	wbuf_put_bytes(&w, hash, 32);
	for (i = 0; i < n && wbuf_len(&w) + 2 + msg_len(first + i) <=
	    sizeof(b); i++) {
		wbuf_reserve(&w, 2, &off);
		wbuf_reserve(&w, msg_len(first + i), NULL);
		msg_make(w.data + off + 2, first + i);
		wbuf_set_u16(&w, off, msg_len(first + i));
	}
	ck_assert(!wbuf_error(&w));
	session_i2np_out(wbuf_data(&w), wbuf_len(&w));
	return i;
}

/*
 * An inbound session (the real accept path), put straight into the data
 * phase with random keys; the peer gets a copy of our send keys.
 */
static struct session *
session_up(int fd, const uint8_t hash[32], struct peer_rx *p, int pfd)
{
	struct sockaddr_storage	 ss;
	struct sockaddr_in	*sin = (struct sockaddr_in *)&ss;
	struct session		*s = NULL;
	struct ntcp2_conn	*c;
	uint32_t		 id;

	memset(&ss, 0, sizeof(ss));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(20000);
	sin->sin_addr.s_addr = htonl(0xc6120063);	/* 198.18.0.99 */
	ntcp2_accept(fd, &ss);
	for (id = 1; id < 100 && s == NULL; id++)
		if ((s = session_by_id(id)) != NULL &&
		    NTCP2_CONN(s)->fd != fd)
			s = NULL;
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_eq(s->ops, &ntcp2_ops);
	c = NTCP2_CONN(s);
	crypto_random(&c->keys, sizeof(c->keys));
	c->keys.send.n = c->keys.recv.n = 0;
	memcpy(s->hash, hash, 32);
	ck_assert_int_eq(session_established(s), 0);
	ck_assert_ptr_eq(session_by_hash(hash), s);

	memset(p, 0, sizeof(*p));
	p->fd = pfd;
	p->rx = c->keys.send;
	p->term = -1;
	return s;
}

static void
pair(int fds[2])
{
	int	 sz = SNDBUF;

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    fds), 0);
	ck_assert_int_eq(setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &sz,
	    sizeof(sz)), 0);
	ck_assert_int_eq(setsockopt(fds[1], SOL_SOCKET, SO_RCVBUF, &sz,
	    sizeof(sz)), 0);
}

/* everything written to the socket until the session closes it */
static void
drain(struct peer_rx *p)
{
	int	 i;

	for (i = 0; i < 1000000 && !p->eof; i++) {
		event_loop(EVLOOP_NONBLOCK);
		rx_read(p);
	}
	ck_assert(p->eof);
}

START_TEST(test_partial_writes)
{
	struct peer_rx	 p;
	struct session	*s;
	uint8_t		 hash[32];
	uint32_t	 sent = 0, n;
	int		 fds[2], i;

	netd_unit_setup();
	pair(fds);
	memset(hash, 0x51, sizeof(hash));
	s = session_up(fds[0], hash, &p, fds[1]);
	for (i = 0; i < 10000000 && p.next < MSGS; i++) {
		/* batches arrive while a frame is half written */
		if (sent < MSGS && s->sendq.bytes < QUEUE_HIGH && rnd(3) == 0) {
			n = 1 + rnd(40);
			if (n > MSGS - sent)
				n = MSGS - sent;
			sent += send_batch(hash, sent, n);
		}
		event_loop(EVLOOP_NONBLOCK);
		if (rnd(2) == 0)
			rx_read(&p);
	}
	ck_assert_uint_eq(s->sendq.dropped, 0);
	ck_assert_uint_eq(p.next, MSGS);
	ck_assert_uint_eq(s->msgs_out, MSGS);
	/* the close: a termination after everything else */
	ck_assert_int_eq(data_terminate(s, NTCP2_R_NORMAL, NET_DOWN_CLOSED),
	    0);
	drain(&p);
	ck_assert_int_eq(p.term, NTCP2_R_NORMAL);
	ck_assert(!p.after_term);
	ck_assert_uint_eq(p.have, 0);
	ck_assert_ptr_null(session_by_hash(hash));
	close(fds[1]);
}
END_TEST

/*
 * A termination (an AEAD failure of theirs, an idle timeout) while a
 * frame is half written: it goes after that frame, whole, and nothing
 * queued behind it is sent.
 */
START_TEST(test_terminate_mid_frame)
{
	struct peer_rx		 p;
	struct session		*s;
	struct ntcp2_conn	*c;
	uint8_t			 hash[32];
	uint32_t		 n;
	int			 fds[2], i;

	netd_unit_setup();
	pair(fds);
	memset(hash, 0x52, sizeof(hash));
	s = session_up(fds[0], hash, &p, fds[1]);
	for (n = 0; n < 60; )
		n += send_batch(hash, n, 60 - n);
	/* writes until the socket is full, mid-frame */
	c = NTCP2_CONN(s);
	for (i = 0; i < 100 && !(c->outoff > 0 && c->outoff < c->outlen);
	    i++) {
		event_loop(EVLOOP_NONBLOCK);
		rx_read(&p);
	}
	ck_assert(c->outoff > 0 && c->outoff < c->outlen);
	ck_assert_ptr_nonnull(msgq_first(&s->sendq, time(NULL)));
	ck_assert_int_eq(data_terminate(s, NTCP2_R_IDLE_TIMEOUT,
	    NET_DOWN_IDLE), 0);
	drain(&p);
	ck_assert_int_eq(p.term, NTCP2_R_IDLE_TIMEOUT);
	ck_assert(!p.after_term);
	ck_assert_uint_gt(p.next, 0);
	ck_assert_uint_lt(p.next, 60);
	ck_assert_uint_eq(p.have, 0);
	close(fds[1]);
}
END_TEST

static Suite *
data_suite(void)
{
	Suite	*s = suite_create("netd_data");
	TCase	*tc = tcase_create("out");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_partial_writes);
	tcase_add_test(tc, test_terminate_mid_frame);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(data_suite());
}
