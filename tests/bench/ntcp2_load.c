/*
 * Load on a live NTCP2 router, i2pd or ours, for tests/bench/ntcp2_net.sh:
 *
 *   ntcp2_load hs ROUTER.INFO FROM SECONDS WORKERS
 *	full handshakes for SECONDS from WORKERS processes, each with a
 *	router identity and a source address of its own (FROM, FROM + 1,
 *	...: i2pd takes one pending handshake per address), one connection
 *	at a time.  A handshake
 *	counts when the router's first data frame (the DatabaseStore of its
 *	RouterInfo that both i2pd and i2prd send a new peer) opens with our
 *	keys: by then the router has checked message 3 and our RouterInfo.
 *	Prints handshakes/s and latency percentiles (connect to that frame).
 *
 *   ntcp2_load bulk ROUTER.INFO FROM MBYTES
 *	one session, then MBYTES of 16 KiB frames, each of 15 TunnelData
 *	messages (the bulk of a router's traffic) to tunnel IDs the router
 *	does not know, so it decrypts, parses and drops them.  A Termination
 *	follows; the router closes the connection after it has read every
 *	frame before it, and that close stops the clock.  Prints MB/s.
 *
 * Our side is the NTCP2 core with the static DH in-process
 * (tests/interop/testpeer.c).  Run it inside a network namespace only.
 */
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

#define TD_PER_FRAME	15
#define TD_LEN		1028	/* tunnel ID and 1024 bytes */

struct target {
	struct ntcp2_remote	 rem;
	char			 host[64];
	unsigned		 port;
	const char		*from;	/* our address; worker i uses from + i */
};

/* where handshakes failed: connect, message 2, message 3, first frame */
enum { F_DIAL, F_MSG2, F_MSG3, F_FRAME, F_MAX };

/* one full handshake up to the router's first frame; seconds or -1 */
static double
one_handshake(const struct target *t, const struct tp_me *me, uint8_t *buf,
    int *failed)
{
	enum tp_step		 step;
	struct ntcp2_session	 s;
	struct tp_sizes		 sz;
	double			 t0 = now();
	size_t			 plen;
	int			 fd;

	if ((fd = tp_dial(t->from, t->host, t->port)) == -1) {
		failed[F_DIAL]++;
		return -1;
	}
	if ((step = tp_alice(fd, me, &t->rem, &s, &sz)) != TP_DONE) {
		failed[step == TP_MSG3 ? F_MSG3 : F_MSG2]++;
		close(fd);
		return -1;
	}
	if (tp_read_frame(fd, &s, buf, &plen, 10000) == -1) {
		failed[F_FRAME]++;
		close(fd);
		ntcp2_session_wipe(&s);
		return -1;
	}
	t0 = now() - t0;
	tp_goodbye(fd, &s, NTCP2_R_NORMAL);
	return t0;
}

/* a worker's own: its address, identity and frame buffer */
struct worker {
	struct target	 t;
	char		 from[INET_ADDRSTRLEN];
	struct tp_me	 me;
	uint8_t		 buf[NTCP2_FRAME_MAX];
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
	if (hsl_addr(t->from, id, w->from) == -1 || tp_me_make(&w->me, w->from, 30000) == -1) {
		free(w);
		return NULL;
	}
	return w;
}

static double
worker_one(void *ctx, int *failed)
{
	struct worker	*w = ctx;

	return one_handshake(&w->t, &w->me, w->buf, failed);
}


/* 15 TunnelData messages in I2NP blocks; IDs rewritten per frame */
static size_t
bulk_plain(uint8_t *p)
{
	struct wbuf	 w;
	uint8_t		 msg[9 + TD_LEN];
	uint32_t	 exp = time(NULL) + 120;
	int		 i;

	wbuf_init_fixed(&w, msg, sizeof(msg));
	wbuf_put_u8(&w, I2NP_TUNNEL_DATA);
	wbuf_put_u32(&w, 0);		/* message ID: set per frame */
	wbuf_put_u32(&w, exp);
	crypto_random(msg + 9, TD_LEN);
	wbuf_init_fixed(&w, p, NTCP2_FRAME_MAX);
	for (i = 0; i < TD_PER_FRAME; i++)
		ntcp2_put_i2np(&w, msg, sizeof(msg));
	return wbuf_error(&w) ? 0 : wbuf_len(&w);
}

/* fresh message IDs and unknown tunnel IDs in each block */
static void
bulk_ids(uint8_t *p, uint32_t *seq)
{
	uint8_t	*b;
	int	 i;

	for (i = 0; i < TD_PER_FRAME; i++) {
		b = p + i * (3 + 9 + TD_LEN);
		(*seq)++;
		memcpy(b + 4, seq, 4);
		memcpy(b + 12, seq, 4);	/* tunnel ID, never 0 */
	}
}

static int
run_bulk(void *arg, double mbytes)
{
	const struct target	*t = arg;
	struct ntcp2_session	 s;
	struct tp_sizes		 sz;
	struct tp_me		*me;
	struct wbuf		 w;
	uint8_t			*plain, *frame;
	uint32_t		 seq = 0;
	size_t			 plen, sent = 0, goal = mbytes * 1e6;
	double			 t0, t1;
	int			 fd;

	if ((me = malloc(sizeof(*me))) == NULL ||
	    (plain = malloc(NTCP2_FRAME_MAX)) == NULL ||
	    (frame = malloc(NTCP2_FRAME_MAX + 2)) == NULL ||
	    tp_me_make(me, t->from, 30000) == -1 ||
	    (plen = bulk_plain(plain)) == 0 ||
	    (fd = tp_dial(t->from, t->host, t->port)) == -1 ||
	    tp_alice(fd, me, &t->rem, &s, &sz) != TP_DONE)
		return -1;
	t0 = now();
	while (sent < goal) {
		bulk_ids(plain, &seq);
		wbuf_init_fixed(&w, frame, NTCP2_FRAME_MAX + 2);
		if (ntcp2_frame_seal(&s.send, plain, plen, &w) != NTCP2_OK ||
		    tp_write_full(fd, frame, wbuf_len(&w)) == -1)
			return -1;
		sent += wbuf_len(&w);
	}
	t1 = now();
	/* the router closes after reading everything before this */
	wbuf_init_fixed(&w, plain, 64);
	ntcp2_put_termination(&w, s.recv.n, NTCP2_R_NORMAL);
	wbuf_init_fixed(&w, frame, 128);
	if (ntcp2_frame_seal(&s.send, plain, 12, &w) != NTCP2_OK ||
	    tp_write_full(fd, frame, wbuf_len(&w)) == -1)
		return -1;
	while (read(fd, frame, NTCP2_FRAME_MAX) > 0)
		;
	t1 = now() - t0;
	printf("bulk %.1f MB in %.2f s: %.1f MB/s, %.0f TunnelData/s\n",
	    sent / 1e6, t1, sent / 1e6 / t1, seq / t1);
	close(fd);
	ntcp2_session_wipe(&s);
	return 0;
}

static int
load(void *arg, const char *ri, const char *from)
{
	struct target	*t = arg;

	t->from = from;
	return tp_remote_load(ri, &t->rem, t->host, sizeof(t->host),
	    &t->port);
}

int
main(int argc, char *argv[])
{
	static struct target	 t;
	const struct hsl	 h = { "ntcp2_load", "NTCP2", load, worker_setup,
	    worker_one, &t, { "connect", "message 2", "message 3",
	    "first frame" },
	    F_MAX, run_bulk };

	return hsl_main(&h, argc, argv);
}
