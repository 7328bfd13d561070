/*
 * libFuzzer target: streaming packets into a host with an open stream
 * (tunneld/stream*.c, behind tunneld/stream_pkt.c).
 *
 * Each input starts with two hosts, A and B, of fixed Ed25519 keys; A
 * connects to B over a loss-free in-memory link, so that B has a stream
 * to attack.  The input is then a list of records: a control byte, a
 * 16-bit length and that many packet bytes.  Control bit 0 writes B's
 * stream id into the packet's sendStreamId, bit 1 A's into its
 * receiveStreamId (so that the packet reaches the stream's insides
 * rather than stopping at the lookup), bit 2 has the application read,
 * bit 3 write, bits 4-6 advance the clock by that many 300 ms steps,
 * bit 7 sends the packet to A instead.  After each record the link
 * carries what the hosts answered and the timers run.  Checked beyond
 * the sanitizers:
 *
 *   - a stream never holds more to read than its receive buffer;
 *   - the stats count no more streams than the hosts hold;
 *   - the hosts free everything (LeakSanitizer).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "../../tunneld/stream.h"
#include "../../tunneld/stream_pkt.h"
#include "fuzz.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define QMAX	64
#define RCVBUF	(16 * 1024)

struct qmsg {
	int		 to;
	size_t		 len;
	uint8_t		 buf[SP_PACKET_MAX];
};

static int		 errfd = STDERR_FILENO;
static uint8_t		 seed[2][32];
static struct i2p_ident	 id[2];
static struct stream_host *host[2];
static struct stream	*bs;		/* B's stream, once accepted */
static struct qmsg	 q[QMAX];
static size_t		 nq;
static int64_t		 now;
static const uint8_t	 junk[4096];

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_stream: %s\n", what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t	 pub[32];
	int	 i;

	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	if (crypto_init() == -1)
		abort();
	for (i = 0; i < 2; i++) {
		memset(seed[i], i + 1, sizeof(seed[i]));
		if (ed25519_public(pub, seed[i]) == -1 ||
		    ident_build(&id[i], IDENT_DEST, NULL, pub, NULL) == -1)
			die("keys");
	}
	return 0;
}

static void
t_push(int to, const uint8_t *pkt, size_t len)
{
	if (len > SP_PACKET_MAX)
		die("packet over SP_PACKET_MAX sent");
	q[nq].to = to;
	q[nq].len = len;
	memcpy(q[nq].buf, pkt, len);
	nq++;
}

/* a lead (our SYN-ACK's copy) and its packet travel together */
static int
t_send(void *arg, const uint8_t remote[32], uint16_t sport, uint16_t dport,
    const uint8_t *lead, size_t leadlen, const uint8_t *pkt, size_t len)
{
	int	 from = (int)(intptr_t)arg;

	if (nq + (lead != NULL) + 1 > QMAX)
		return -1;
	if (lead != NULL)
		t_push(1 - from, lead, leadlen);
	t_push(1 - from, pkt, len);
	return 0;
}

static int
t_sign(void *arg, uint64_t cookie, const uint8_t *msg, size_t len)
{
	int	 i = (int)(intptr_t)arg;
	uint8_t	 sig[64];

	if (ed25519_sign(sig, seed[i], msg, len) == -1)
		return -1;
	stream_host_signed(host[i], cookie, sig, sizeof(sig), now);
	return 0;
}

static void
t_event(void *app, struct stream *s, enum stream_event ev)
{
	if (ev == STREAM_EV_CLOSED) {
		if (s == bs)
			bs = NULL;
		stream_free(s);
	}
}

static int
t_accept(void *arg, struct stream *s)
{
	if (bs != NULL)
		return -1;
	bs = s;
	stream_set_app(s, t_event, NULL);
	return 0;
}

/* what the hosts sent each other, and their timers */
static void
carry(void)
{
	struct qmsg	*m;
	int		 rounds;

	for (rounds = 0; rounds < 8 && nq > 0; rounds++) {
		m = &q[--nq];
		stream_host_input(host[m->to], m->buf, m->len, 1, 2,
		    &id[1 - m->to], now);
	}
	nq = 0;
	stream_host_tick(host[0], now);
	stream_host_tick(host[1], now);
}

static void
check_row(const struct stream_info *si, void *arg)
{
	size_t	*n = arg;

	(*n)++;
	if (si->state > STREAM_RESET)
		die("state out of range");
}

static void
check(void)
{
	struct stream_stats	 st;
	size_t			 i, n;

	if (bs != NULL && stream_readable(bs) > RCVBUF)
		die("more to read than the receive buffer");
	for (i = 0; i < 2; i++) {
		n = 0;
		stream_host_list(host[i], check_row, &n);
		stream_host_stats(host[i], &st);
		if (n > st.streams)
			die("more streams listed than counted");
	}
}

static void
setup(struct stream **as)
{
	struct stream_opts	 o;
	struct stream_ops	 ops;
	int			 i;

	memset(&o, 0, sizeof(o));
	o.sndbuf = o.rcvbuf = RCVBUF;
	o.max_window = 64;
	o.initial_window = 6;
	o.initial_rtt = 800;
	o.connect_timeout = 60000;
	o.inactivity_timeout = 120000;
	o.max_resends = 4;
	o.mtu = STREAM_MTU_RATCHET;
	o.conn_per_min = 4;
	o.max_streams = 8;
	for (i = 0; i < 2; i++) {
		memset(&ops, 0, sizeof(ops));
		ops.send = t_send;
		ops.sign = t_sign;
		ops.accept = t_accept;
		ops.arg = (void *)(intptr_t)i;
		if ((host[i] = stream_host_new(&id[i], &o, &ops)) == NULL)
			die("host");
	}
	now = 1000;
	bs = NULL;
	nq = 0;
	if ((*as = stream_connect(host[0], &id[1], 1, 2, now)) == NULL)
		die("connect");
	stream_set_app(*as, t_event, NULL);
	for (i = 0; i < 4; i++)
		carry();
}

static void
record(uint8_t ctl, uint8_t *pkt, size_t len, struct stream *as)
{
	struct stream_info	 si;
	struct wbuf		 w;
	uint8_t			 tmp[64];
	int			 to;

	if (bs != NULL && (ctl & 3) != 0) {
		stream_info(bs, &si);
		wbuf_init_fixed(&w, pkt, len);
		if (len >= 4 && (ctl & 1))
			wbuf_put_u32(&w, si.recv_id);
		if (len >= 8 && (ctl & 2)) {
			if ((ctl & 1) == 0)
				wbuf_put_u32(&w, 0);
			wbuf_put_u32(&w, si.send_id);
		}
	}
	to = (ctl & 0x80) ? 0 : 1;
	now += 300 * ((ctl >> 4) & 7);
	stream_host_input(host[to], pkt, len, 1, 2, &id[1 - to], now);
	if (bs != NULL && (ctl & 4))
		while (stream_read(bs, tmp, sizeof(tmp), now) > 0)
			;
	if (bs != NULL && (ctl & 8))
		(void)stream_write(bs, junk, len, now);
	carry();
	check();
	(void)as;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t	 pkt[SP_PACKET_MAX + 1];
	struct rbuf	 r;
	struct stream	*as;
	uint8_t		 ctl;
	uint16_t	 len;

	setup(&as);
	rbuf_init(&r, data, size);
	while (rbuf_get_u8(&r, &ctl) == 0 && rbuf_get_u16(&r, &len) == 0) {
		if (len > rbuf_left(&r))
			len = rbuf_left(&r);
		if (rbuf_get_bytes(&r, pkt, len) == -1)
			break;
		record(ctl, pkt, len, as);
	}
	stream_host_free(host[0]);
	stream_host_free(host[1]);
	return 0;
}
