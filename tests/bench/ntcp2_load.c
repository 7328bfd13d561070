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
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <err.h>
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

#define WORKERS_MAX	64
#define SAMPLES_MAX	65536
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

/* a worker: handshakes until the deadline; latencies down the pipe */
static void
worker(const struct target *t, int id, double until, int out)
{
	static float	 lat[SAMPLES_MAX];
	struct tp_me	*me;
	uint8_t		*buf;
	double		 d;
	int		 n = 0, failed[F_MAX] = { 0 };

	struct target	 mine = *t;
	struct in_addr	 a;
	char		 from[INET_ADDRSTRLEN];

	/* i2pd takes one pending handshake per source address */
	if (inet_pton(AF_INET, t->from, &a) != 1)
		_exit(1);
	a.s_addr = htonl(ntohl(a.s_addr) + id);
	inet_ntop(AF_INET, &a, from, sizeof(from));
	mine.from = from;
	t = &mine;
	if ((me = malloc(sizeof(*me))) == NULL ||
	    (buf = malloc(NTCP2_FRAME_MAX)) == NULL ||
	    tp_me_make(me, t->from, 30000) == -1)
		_exit(1);
	while (now() < until && n < SAMPLES_MAX) {
		if ((d = one_handshake(t, me, buf, failed)) >= 0)
			lat[n++] = d;
	}
	if (write(out, failed, sizeof(failed)) != sizeof(failed) ||
	    write(out, &n, sizeof(n)) != sizeof(n) ||
	    tp_write_full(out, (uint8_t *)lat, n * sizeof(float)) == -1)
		_exit(1);
	_exit(0);
}

static int
cmp_float(const void *a, const void *b)
{
	float	x = *(const float *)a, y = *(const float *)b;

	return (x > y) - (x < y);
}

/* each worker's counts and samples, read before it can block on them */
static int
collect(int fd, float *all, int *total, int *failed)
{
	int	 f[F_MAX], n, i;

	if (tp_read_full(fd, (uint8_t *)f, sizeof(f), -1) == -1 ||
	    tp_read_full(fd, (uint8_t *)&n, sizeof(n), -1) == -1 ||
	    n < 0 || n > SAMPLES_MAX ||
	    tp_read_full(fd, (uint8_t *)(all + *total), n * sizeof(float),
	    -1) == -1)
		return -1;
	*total += n;
	for (i = 0; i < F_MAX; i++)
		failed[i] += f[i];
	return 0;
}

static int
run_hs(const struct target *t, double secs, int workers)
{
	static float	 all[WORKERS_MAX * SAMPLES_MAX];
	double		 t0 = now(), until = t0 + secs, elapsed;
	int		 p[WORKERS_MAX][2], i, total = 0;
	int		 failed[F_MAX] = { 0 };

	for (i = 0; i < workers; i++) {
		if (pipe(p[i]) == -1)
			return -1;
		switch (fork()) {
		case -1:
			return -1;
		case 0:
			close(p[i][0]);
			worker(t, i, until, p[i][1]);
		}
		close(p[i][1]);
	}
	for (i = 0; i < workers; i++)
		if (collect(p[i][0], all, &total, failed) == -1)
			return -1;
	while (wait(NULL) > 0)
		;
	elapsed = now() - t0;
	printf("handshakes %d failed %d (connect %d, message 2 %d, "
	    "message 3 %d, first frame %d) seconds %.2f", total,
	    failed[F_DIAL] + failed[F_MSG2] + failed[F_MSG3] + failed[F_FRAME],
	    failed[F_DIAL], failed[F_MSG2], failed[F_MSG3], failed[F_FRAME],
	    elapsed);
	if (total == 0) {
		printf("\n");
		return -1;
	}
	qsort(all, total, sizeof(float), cmp_float);
	printf(" rate %.1f/s p50 %.2f ms p90 %.2f ms\n", total / elapsed,
	    all[total / 2] * 1e3, all[total * 9 / 10] * 1e3);
	return 0;
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
run_bulk(const struct target *t, double mbytes)
{
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

int
main(int argc, char *argv[])
{
	struct target	 t;

	if (argc < 5 || (strcmp(argv[1], "hs") == 0 && argc != 6) ||
	    (strcmp(argv[1], "bulk") == 0 && argc != 5)) {
		fprintf(stderr, "usage: ntcp2_load hs ROUTER.INFO FROM SECONDS "
		    "WORKERS\n       ntcp2_load bulk ROUTER.INFO FROM MBYTES\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (crypto_init() == -1 || tp_remote_load(argv[2], &t.rem, t.host,
	    sizeof(t.host), &t.port) == -1) {
		fprintf(stderr, "ntcp2_load: %s: not a RouterInfo with an "
		    "NTCP2 address\n", argv[2]);
		return 1;
	}
	t.from = argv[3];
	if (strcmp(argv[1], "hs") == 0) {
		int	 w = atoi(argv[5]);

		if (w < 1 || w > WORKERS_MAX)
			errx(2, "workers: 1 to %d", WORKERS_MAX);
		return run_hs(&t, atof(argv[4]), w) == 0 ? 0 : 1;
	}
	if (strcmp(argv[1], "bulk") == 0)
		return run_bulk(&t, atof(argv[4])) == 0 ? 0 : 1;
	fprintf(stderr, "ntcp2_load: unknown mode %s\n", argv[1]);
	return 2;
}
