/*
 * Transit forwarding through a live router, i2pd or ours, for
 * tests/bench/transit_net.sh:
 *
 *   transit_load ROUTER.INFO FROM SECONDS [WINDOW]
 *
 * Two routers of our own (tests/interop/testpeer.c) at FROM and FROM + 1
 * open NTCP2 sessions to the router.  The first, as a tunnel's creator
 * and previous hop, asks it in a ShortTunnelBuild to be a participant
 * whose next hop is the second; the build comes on to the second, which
 * opens the router's reply.  Then the first sends TunnelData into the
 * tunnel for SECONDS, and the second counts what the router sends on.
 * At most WINDOW messages (default 240) are on their way at once, so the
 * router's queues stay bounded (i2pd drops a session whose queue grows
 * past 500 messages); a message not through within a second is given up
 * and counted lost.  Prints messages/s and MB/s (1024 bytes of data per
 * message, as tests/bench/transit_bench.c) and the losses.  Run it
 * inside a network namespace only.
 */
#include <arpa/inet.h>

#include <err.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/build.h"
#include "../interop/testpeer.h"
#include "bench.h"

#define TD_PER_FRAME	15
#define TD_LEN		1028	/* tunnel ID, IV, 1008 bytes */
#define GIVE_UP		1.0	/* s for a message to come through */

struct peer {
	struct tp_me		*me;
	struct ntcp2_session	 s;
	int			 fd;
};

static struct peer	 a, b;		/* creator and previous hop; next hop */
static struct build	 bld;
static atomic_ulong	 nsent, nrecv, ngiven_up;
static atomic_int	 done;
static double		 t_first, t_last;

static int
peer_open(struct peer *p, const char *from, unsigned port,
    const struct ntcp2_remote *rem, const char *host, unsigned rport)
{
	struct tp_sizes	 sz;

	if ((p->me = malloc(sizeof(*p->me))) == NULL ||
	    tp_me_make(p->me, from, port) == -1 ||
	    (p->fd = tp_dial(from, host, rport)) == -1 ||
	    tp_alice(p->fd, p->me, rem, &p->s, &sz) != TP_DONE)
		return -1;
	return 0;
}

/*
 * Calls fn on each I2NP message of the next frame from p (type,
 * payload, length); -1 when none came within timeout_ms.
 */
static int
each_msg(struct peer *p, uint8_t *buf, int timeout_ms,
    void (*fn)(uint8_t, const uint8_t *, size_t, void *), void *arg)
{
	struct rbuf	 r;
	const uint8_t	*blk;
	size_t		 plen;
	uint16_t	 size;
	uint8_t		 type;

	if (tp_read_frame(p->fd, &p->s, buf, &plen, timeout_ms) == -1)
		return -1;
	rbuf_init(&r, buf, plen);
	while (rbuf_get_u8(&r, &type) == 0 && rbuf_get_u16(&r, &size) == 0 &&
	    rbuf_get_ptr(&r, &blk, size) == 0)
		if (type == NTCP2_B_I2NP && size >= 9)
			fn(blk[0], blk + 9, size - 9, arg);
	return 0;
}

/* the build, come on to b: the router's code, or -1 while not there */
static void
build_seen(uint8_t type, const uint8_t *p, size_t len, void *arg)
{
	int		*code = arg;
	uint8_t		 c, rec[BREC_LEN];
	int		 pos = bld.hops[0].pos;

	if (type != I2NP_SHORT_TUNNEL_BUILD || len != 1 + bld.nrecs * BREC_LEN)
		return;
	/* the router is the first hop: nothing masked its reply after it */
	memcpy(rec, p + 1 + pos * BREC_LEN, BREC_LEN);
	if (brec_reply_open(rec, &bld.hops[0].keys, pos, &c) == 0)
		*code = c;
}

static int
build_tunnel(const uint8_t router_hash[32], const uint8_t router_pub[32])
{
	static uint8_t	 msg[BUILD_MSG_MAX], buf[NTCP2_FRAME_MAX];
	int		 len, code = -1, tries;

	memset(&bld, 0, sizeof(bld));
	bld.nhops = 2;
	memcpy(bld.hops[0].hash, router_hash, 32);
	memcpy(bld.hops[0].pub, router_pub, 32);
	memcpy(bld.hops[1].hash, b.me->local.hash, 32);
	memcpy(bld.hops[1].pub, b.me->enc_pub, 32);
	memcpy(bld.reply_gw, a.me->local.hash, 32);
	bld.reply_tunnel = build_random_id();
	if ((len = build_make(&bld, time(NULL), msg)) == -1 ||
	    tp_send_i2np(a.fd, &a.s, I2NP_SHORT_TUNNEL_BUILD, msg,
	    len) == -1)
		return -1;
	for (tries = 0; tries < 50 && code == -1; tries++)
		if (each_msg(&b, buf, 10000, build_seen, &code) == -1)
			break;
	return code;
}

/* TunnelData for the tunnel's next hop, as the router sends it on */
static void
data_seen(uint8_t type, const uint8_t *p, size_t len, void *arg)
{
	uint32_t	id;

	(void)arg;
	if (type != I2NP_TUNNEL_DATA || len != TD_LEN)
		return;
	memcpy(&id, p, 4);
	if (ntohl(id) != bld.hops[1].recv_id)
		return;
	t_last = now();
	if (atomic_fetch_add(&nrecv, 1) == 0)
		t_first = t_last;
}

static void *
receiver(void *arg)
{
	uint8_t	*buf;

	(void)arg;
	if ((buf = malloc(NTCP2_FRAME_MAX)) == NULL)
		return NULL;
	while (!atomic_load(&done) || atomic_load(&nrecv) +
	    atomic_load(&ngiven_up) < atomic_load(&nsent))
		if (each_msg(&b, buf, 2000, data_seen, NULL) == -1)
			break;
	free(buf);
	return NULL;
}

/* a frame of TunnelData messages; fresh message IDs and IVs each time */
static size_t
data_frame(uint8_t *plain, uint32_t *seq)
{
	static uint8_t	 msg[9 + TD_LEN];
	struct wbuf	 w;
	uint32_t	 tid = htonl(bld.hops[0].recv_id);
	uint32_t	 exp = htonl(time(NULL) + 60);	/* seconds */
	int		 i;

	crypto_random(msg, sizeof(msg));
	msg[0] = I2NP_TUNNEL_DATA;
	memcpy(msg + 5, &exp, 4);
	memcpy(msg + 9, &tid, 4);
	wbuf_init_fixed(&w, plain, NTCP2_FRAME_MAX);
	for (i = 0; i < TD_PER_FRAME; i++) {
		(*seq)++;
		memcpy(msg + 1, seq, 4);	/* message ID */
		memcpy(msg + 13, seq, 4);	/* the IV, never twice */
		ntcp2_put_i2np(&w, msg, sizeof(msg));
	}
	return wbuf_error(&w) ? 0 : wbuf_len(&w);
}

/* sends for secs, WINDOW messages in flight at most */
static int
sender(double secs, unsigned long window)
{
	static uint8_t	 plain[NTCP2_FRAME_MAX], frame[NTCP2_FRAME_MAX + 2];
	struct wbuf	 w;
	uint32_t	 seq = 0;
	size_t		 plen;
	double		 until = now() + secs, wait_from;
	long		 out;

	while (now() < until) {
		wait_from = 0;
		for (;;) {
			/* signed: a message given up may come after all */
			out = (long)atomic_load(&nsent) -
			    (long)atomic_load(&nrecv) -
			    (long)atomic_load(&ngiven_up);
			if (out + TD_PER_FRAME <= (long)window)
				break;
			if (wait_from == 0)
				wait_from = now();
			else if (now() - wait_from > GIVE_UP)
				atomic_fetch_add(&ngiven_up, (unsigned long)out);
			usleep(50);
		}
		if ((plen = data_frame(plain, &seq)) == 0)
			return -1;
		wbuf_init_fixed(&w, frame, sizeof(frame));
		if (ntcp2_frame_seal(&a.s.send, plain, plen, &w) != NTCP2_OK ||
		    tp_write_full(a.fd, frame, wbuf_len(&w)) == -1)
			return -1;
		atomic_fetch_add(&nsent, TD_PER_FRAME);
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct ntcp2_remote	 rem;
	struct in_addr		 ia;
	pthread_t		 th;
	char			 host[64], from_b[INET_ADDRSTRLEN];
	uint8_t			 router_pub[32];
	unsigned		 port;
	unsigned long		 window, sent, recv;
	double			 secs, el;
	int			 code;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: transit_load ROUTER.INFO FROM SECONDS "
		    "[WINDOW]\n");
		return 2;
	}
	secs = atof(argv[3]);
	window = argc == 5 ? strtoul(argv[4], NULL, 10) : 240;
	if (secs <= 0 || window < TD_PER_FRAME)
		errx(2, "SECONDS > 0, WINDOW >= %d", TD_PER_FRAME);
	if (inet_pton(AF_INET, argv[2], &ia) != 1)
		errx(2, "%s: not an IPv4 address", argv[2]);
	ia.s_addr = htonl(ntohl(ia.s_addr) + 1);
	inet_ntop(AF_INET, &ia, from_b, sizeof(from_b));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (crypto_init() == -1 ||
	    tp_remote_load(argv[1], &rem, host, sizeof(host), &port) == -1 ||
	    tp_remote_crypto(argv[1], router_pub) == -1)
		errx(1, "%s: not a RouterInfo with NTCP2 and X25519", argv[1]);
	/* the next hop first: the router sends on over its session */
	if (peer_open(&b, from_b, 30001, &rem, host, port) == -1 ||
	    peer_open(&a, argv[2], 30000, &rem, host, port) == -1)
		errx(1, "no sessions with %s", host);
	if ((code = build_tunnel(rem.hash, router_pub)) != 0) {
		printf("transit_load: build %s\n", code == -1 ?
		    "not answered" : "refused");
		return 1;
	}
	if (pthread_create(&th, NULL, receiver, NULL) != 0)
		errx(1, "pthread_create");
	code = sender(secs, window);
	atomic_store(&done, 1);
	pthread_join(th, NULL);
	sent = atomic_load(&nsent);
	recv = atomic_load(&nrecv);
	el = t_last - t_first;
	if (code == -1 || recv < 2 || el <= 0) {
		printf("transit_load: sent %lu, %lu came through\n", sent,
		    recv);
		return 1;
	}
	printf("forwarded %lu of %lu in %.2f s: %.0f msgs/s %.1f MB/s, "
	    "lost %lu\n", recv, sent, el, recv / el, recv * 1024 / el / 1e6,
	    sent > recv ? sent - recv : 0);
	tp_goodbye(a.fd, &a.s, 0);
	tp_goodbye(b.fd, &b.s, 0);
	return 0;
}
