/*
 * Load on a live SSU2 router, i2pd or ours, for tests/bench/ssu2_net.sh:
 *
 *   ssu2_load hs ROUTER.INFO FROM SECONDS WORKERS
 *	full handshakes for SECONDS from WORKERS processes, each a router
 *	of its own on its own source address (FROM, FROM + 1, ...), one
 *	handshake at a time, each from a fresh UDP port: Token Request,
 *	Retry, Session Request, Created, Confirmed.  A handshake counts
 *	when the router's first Data packet (its ACK of Session Confirmed)
 *	opens with the session's keys: by then it has checked Confirmed
 *	and our RouterInfo.  A Termination ends each session.  Prints
 *	handshakes/s and latency percentiles (Token Request to that packet).
 *
 *   ssu2_load bulk ROUTER.INFO FROM MBYTES
 *	one session, then MBYTES of Data packets, each one TunnelData
 *	message (the bulk of a router's traffic) to a tunnel the router
 *	does not know, so it decrypts, parses and drops it.  Bursts of
 *	BURST packets, each burst waiting for the router's ACK of its last
 *	packet; only what the router ACKs counts.  Prints MB/s.
 *
 * Our side is netd's SSU2 codec with the static DH in-process.  Run it
 * inside a network namespace only.
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../interop/testpeer.h"
#include "bench.h"
#include "hsload.h"

#define WAIT_MS		1000
#define TD_LEN		1028	/* tunnel ID and 1024 bytes */
/* packets per burst: well inside a router's default socket buffer */
#define BURST		48
#define RX_KEEP		32	/* the router's packet numbers we ACK */

struct target {
	struct ssu2_remote	 rem;
	struct sockaddr_in	 sa;
	const char		*from;	/* our address; worker i uses from + i */
};

/* a router of ours: identity, RouterInfo with an SSU2 address */
struct peer {
	struct tp_me		 tp;
	uint8_t			 intro[32];
	struct ssu2_local	 local;
};

/* where handshakes failed */
enum { F_SOCK, F_RETRY, F_CREATED, F_CONFIRMED, F_DATA, F_MAX };

static int
peer_make(struct peer *p, const char *from)
{
	/* port 9 (discard): the router's dials to us go nowhere */
	if (crypto_random(p->intro, 32) == -1 ||
	    tp_me_make_ssu2(&p->tp, from, 9, p->intro) == -1)
		return -1;
	memset(&p->local, 0, sizeof(p->local));
	memcpy(p->local.static_pub, p->tp.local.static_pub, 32);
	memcpy(p->local.intro_key, p->intro, 32);
	p->local.netid = TP_NETID;
	p->local.ri = p->tp.local.ri;
	p->local.rilen = p->tp.local.rilen;
	p->local.mtu = SSU2_PKT_MAX;
	return 0;
}

/* a UDP socket on from, any port, connected to the router */
static int
sock_to(const struct target *t, const char *from)
{
	struct sockaddr_in	 sin;
	int			 fd, sz = 4 << 20;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	if (inet_pton(AF_INET, from, &sin.sin_addr) != 1 ||
	    (fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    connect(fd, (const struct sockaddr *)&t->sa, sizeof(t->sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/* one datagram within ms, or 0 */
static ssize_t
recv_one(int fd, uint8_t *buf, size_t len, int ms)
{
	struct pollfd	 pfd = { fd, POLLIN, 0 };

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	return recv(fd, buf, len, 0);
}

static int
send_w(int fd, const struct wbuf *w)
{
	return send(fd, wbuf_data(w), wbuf_len(w), 0) == (ssize_t)wbuf_len(w) ?
	    0 : -1;
}

/* Token Request to Session Confirmed sent; F_MAX if all went well */
static int
handshake(int fd, const struct peer *me, const struct target *t,
    struct ssu2_hs *hs, struct ssu2_session *s)
{
	uint8_t		 buf[SSU2_PKT_MAX], f1buf[SSU2_PKT_MAX], y[32], dh[32];
	struct wbuf	 w, f1;
	ssize_t		 n;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ssu2_alice_start(hs, &me->local, &t->rem) != SSU2_OK ||
	    ssu2_alice_token_request(hs, &w) != SSU2_OK || send_w(fd, &w) ||
	    (n = recv_one(fd, buf, sizeof(buf), WAIT_MS)) <= 0 ||
	    ssu2_alice_retry(hs, buf, n) != SSU2_OK)
		return F_RETRY;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ssu2_alice_request(hs, ssu2_hs_info(hs)->token, &w) != SSU2_OK ||
	    send_w(fd, &w) ||
	    (n = recv_one(fd, buf, sizeof(buf), WAIT_MS)) <= 0 ||
	    ssu2_alice_created(hs, buf, n, y) != SSU2_NEED_DH)
		return F_CREATED;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_init_fixed(&f1, f1buf, sizeof(f1buf));
	if (x25519(dh, me->tp.s_priv, y) == -1 ||
	    ssu2_alice_confirmed(hs, dh, &w, &f1, s) != SSU2_OK ||
	    send_w(fd, &w) || (wbuf_len(&f1) > 0 && send_w(fd, &f1)))
		return F_CONFIRMED;
	return F_MAX;
}

/* the router's next Data packet, opened: its payload, or NULL */
static const uint8_t *
data_in(int fd, const struct ssu2_session *s, uint8_t *buf, int ms,
    struct ssu2_hdr *h, size_t *plen)
{
	const uint8_t	*payload;
	ssize_t		 n;

	while ((n = recv_one(fd, buf, SSU2_PKT_MAX, ms)) > 0)
		if (ssu2_data_open(s, buf, n, h, &payload, plen) == 0)
			return payload;
	return NULL;
}

/* a Data packet of payload p, with flags */
static int
data_out(int fd, struct ssu2_session *s, uint8_t flags, const uint8_t *p,
    size_t len, uint32_t *pn)
{
	uint8_t		 pkt[SSU2_PKT_MAX];
	struct wbuf	 w;

	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if (ssu2_data_seal(s, flags, p, len, &w, pn) != SSU2_OK)
		return -1;
	return send_w(fd, &w);
}

static void
goodbye(int fd, struct ssu2_session *s, uint64_t received)
{
	uint8_t		 p[64];
	struct wbuf	 w;
	uint32_t	 pn;

	wbuf_init_fixed(&w, p, sizeof(p));
	if (ssu2_put_termination(&w, received, SSU2_R_NORMAL) == 0)
		data_out(fd, s, 0, p, wbuf_len(&w), &pn);
}

/* one full handshake up to the router's first Data packet; s or -1 */
static double
one_handshake(const struct target *t, const struct peer *me, int *failed)
{
	struct ssu2_session	 s;
	struct ssu2_hdr		 h;
	struct ssu2_hs		*hs;
	uint8_t			 buf[SSU2_PKT_MAX];
	double			 t0 = now();
	size_t			 plen;
	int			 fd, step;

	if ((fd = sock_to(t, t->from)) == -1 ||
	    (hs = ssu2_hs_new()) == NULL) {
		failed[F_SOCK]++;
		if (fd != -1)
			close(fd);
		return -1;
	}
	memset(&s, 0, sizeof(s));
	if ((step = handshake(fd, me, t, hs, &s)) == F_MAX &&
	    data_in(fd, &s, buf, WAIT_MS, &h, &plen) == NULL)
		step = F_DATA;
	ssu2_hs_free(hs);
	if (step != F_MAX) {
		failed[step]++;
		close(fd);
		ssu2_session_wipe(&s);
		return -1;
	}
	t0 = now() - t0;
	goodbye(fd, &s, 1);
	close(fd);
	ssu2_session_wipe(&s);
	return t0;
}

/* a worker's own: its address and identity */
struct worker {
	struct target	 t;
	char		 from[INET_ADDRSTRLEN];
	struct peer	 me;
};

static void *
worker_setup(void *arg, int id)
{
	const struct target	*t = arg;
	struct worker		*w;

	if ((w = malloc(sizeof(*w))) == NULL)
		return NULL;
	w->t = *t;
	w->t.from = w->from;
	if (hsl_addr(t->from, id, w->from) == -1 || peer_make(&w->me, w->from) == -1) {
		free(w);
		return NULL;
	}
	return w;
}

static double
worker_one(void *ctx, int *failed)
{
	struct worker	*w = ctx;

	return one_handshake(&w->t, &w->me, failed);
}


/* one session's load: the router's packet numbers to ACK, its ACKs */
struct bulk {
	int			 fd;
	struct ssu2_session	 s;
	uint32_t		 rx[RX_KEEP];	/* descending */
	size_t			 nrx;
	uint64_t		 received;
	struct ssu2_ack		 ack;		/* the router's latest */
	int			 have_ack;
};

static void
note_rx(struct bulk *b, uint32_t pn)
{
	size_t	 i;

	b->received++;
	for (i = 0; i < b->nrx && b->rx[i] > pn; i++)
		;
	if (i < b->nrx && b->rx[i] == pn)
		return;
	if (i >= RX_KEEP)
		return;
	if (b->nrx == RX_KEEP)
		b->nrx--;
	memmove(b->rx + i + 1, b->rx + i, (b->nrx - i) * sizeof(b->rx[0]));
	b->rx[i] = pn;
	b->nrx++;
}

static int
ack_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct bulk	*b = arg;
	struct ssu2_blk	 blk;

	if (type == SSU2_B_ACK && ssu2_blk_parse(type, body, len, &blk) == 0) {
		b->ack = blk.u.ack;
		b->have_ack = 1;
	}
	return 0;
}

/* one TunnelData to an unknown tunnel, our ACK ahead of it if asked */
static size_t
bulk_payload(struct bulk *b, uint8_t *p, uint32_t seq, int with_ack)
{
	static uint8_t		 td[TD_LEN];
	struct ssu2_ack		 a;
	struct ssu2_i2np	 m;
	struct wbuf		 w;

	wbuf_init_fixed(&w, p, SSU2_PKT_MAX - SSU2_SHORT_HDR - 16);
	if (with_ack && b->nrx > 0 &&
	    ssu2_ack_build(&a, b->rx, b->nrx, 8) == 0)
		ssu2_put_ack(&w, &a);
	if (td[4] == 0)
		crypto_random(td, sizeof(td));
	memcpy(td, &seq, 4);		/* tunnel ID, never 0 */
	m.type = I2NP_TUNNEL_DATA;
	m.msg_id = seq;
	m.expires = time(NULL) + 120;
	m.body = td;
	m.bodylen = sizeof(td);
	ssu2_put_i2np(&w, SSU2_B_I2NP, &m);
	return wbuf_error(&w) ? 0 : wbuf_len(&w);
}

/* the router's answers until it ACKs last, or is quiet for 200 ms */
static void
bulk_wait(struct bulk *b, uint32_t last)
{
	uint8_t		 buf[SSU2_PKT_MAX];
	const uint8_t	*p;
	struct ssu2_hdr	 h;
	size_t		 plen;

	while ((p = data_in(b->fd, &b->s, buf, 200, &h, &plen)) != NULL) {
		note_rx(b, h.pkt_num);
		ssu2_blocks(p, plen, ack_cb, b);
		if (b->have_ack && b->ack.through >= last)
			return;
	}
}

/* a burst of packets (bytes added to *sent); those the router ACKed */
static ssize_t
bulk_burst(struct bulk *b, uint32_t *seq, size_t *sent)
{
	uint8_t		 p[SSU2_PKT_MAX];
	uint32_t	 pns[BURST];
	size_t		 lens[BURST], len, got = 0;
	int		 i;

	for (i = 0; i < BURST; i++) {
		(*seq)++;
		if ((len = bulk_payload(b, p, *seq, i == 0)) == 0 ||
		    data_out(b->fd, &b->s, i == BURST - 1 ?
		    SSU2_FLAG_IMMEDIATE_ACK : 0, p, len, &pns[i]) == -1)
			return -1;
		lens[i] = SSU2_SHORT_HDR + len + POLY1305_TAG_LEN;
		*sent += lens[i];
	}
	b->have_ack = 0;
	bulk_wait(b, pns[BURST - 1]);
	for (i = 0; i < BURST && b->have_ack; i++)
		if (ssu2_ack_has(&b->ack, pns[i]))
			got += lens[i];
	return got;
}

static int
run_bulk(void *arg, double mbytes)
{
	const struct target	*t = arg;
	struct ssu2_hdr	 h;
	struct ssu2_hs	*hs;
	struct peer	*me;
	struct bulk	*b;
	uint8_t		 buf[SSU2_PKT_MAX];
	uint32_t	 seq = 0;
	size_t		 plen, acked = 0, sent = 0, goal = mbytes * 1e6;
	ssize_t		 n;
	double		 t0;

	if ((me = malloc(sizeof(*me))) == NULL ||
	    (b = calloc(1, sizeof(*b))) == NULL ||
	    peer_make(me, t->from) == -1 ||
	    (b->fd = sock_to(t, t->from)) == -1 ||
	    (hs = ssu2_hs_new()) == NULL ||
	    handshake(b->fd, me, t, hs, &b->s) != F_MAX ||
	    data_in(b->fd, &b->s, buf, WAIT_MS, &h, &plen) == NULL)
		return -1;
	ssu2_hs_free(hs);
	note_rx(b, h.pkt_num);
	t0 = now();
	while (sent < goal) {
		if ((n = bulk_burst(b, &seq, &sent)) == -1)
			return -1;
		acked += n;
	}
	t0 = now() - t0;
	goodbye(b->fd, &b->s, b->received);
	printf("bulk %.1f MB sent, %.1f MB acked in %.2f s: %.1f MB/s, "
	    "%.0f TunnelData/s\n", sent / 1e6, acked / 1e6, t0,
	    acked / 1e6 / t0, seq / t0);
	close(b->fd);
	ssu2_session_wipe(&b->s);
	return 0;
}

static int
load(void *arg, const char *ri, const char *from)
{
	struct target	*t = arg;

	t->from = from;
	return tp_ssu2_remote_load(ri, &t->rem, &t->sa);
}

int
main(int argc, char *argv[])
{
	static struct target	 t;
	const struct hsl	 h = { "ssu2_load", "SSU2", load, worker_setup,
	    worker_one, &t, { "socket", "retry", "created", "confirmed",
	    "first data" },
	    F_MAX, run_bulk };

	return hsl_main(&h, argc, argv);
}
