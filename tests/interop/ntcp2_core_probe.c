/*
 * Interop probe: our NTCP2 Alice (netd/ntcp2_hs.c, ntcp2_data.c)
 * against a real i2pd as Bob.
 *
 *   ntcp2_core_probe ROUTER.INFO BIND_ADDRESS
 *
 * Reads i2pd's router.info for its hash, NTCP2 host, port, "s" and
 * "i"; makes a router of its own (Ed25519 identity, X25519 keys, a
 * signed RouterInfo on network 99 with an NTCP2 address at
 * BIND_ADDRESS); connects from BIND_ADDRESS and does the handshake,
 * cryptod's DH done here.  Then it proves both data phase directions:
 * i2pd's first frame (the DatabaseStore of its RouterInfo that i2pd
 * sends every new inbound peer) must open with our receive key, and a
 * DatabaseLookup we send for i2pd's own RouterInfo must come back as
 * another DatabaseStore, which only happens if i2pd opened our frame.
 *
 * Then the roles swap: we send one more lookup and a Termination in
 * the same frame, so that i2pd's answer finds no session and i2pd
 * dials the NTCP2 address of the RouterInfo we gave it in message 3,
 * where we listen as Bob.  The same two checks follow on that session.
 *
 * Run it only inside a network namespace holding both addresses
 * (tests/interop/ntcp2_core.sh): it never dials anything but the address in
 * the given router.info.
 */
#include <arpa/inet.h>
#include <bsd/string.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "testpeer.h"

/* i2pd may also be building tunnels through us: read past those */
#define FRAMES_MAX	500
#define FRAMES_SHOWN	8
#define OUR_PORT	20000

static int	 failures;

static void
ok(int cond, const char *what)
{
	printf("%s - %s\n", cond ? "ok" : "not ok", what);
	if (!cond)
		failures++;
}

static void
fatal(const char *what)
{
	printf("not ok - %s\nprobe: %d failed\n", what, failures + 1);
	exit(1);
}

static int
accept_one(int lfd)
{
	struct pollfd	 pfd = { lfd, POLLIN, 0 };
	struct timeval	 tv = { 10, 0 };
	int		 fd;

	if (poll(&pfd, 1, 30000) != 1 || (fd = accept(lfd, NULL, NULL)) == -1)
		fatal("i2pd connects to our NTCP2 address");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void
handshake(int fd, const struct tp_me *me, const struct ntcp2_remote *rem,
    struct ntcp2_session *s)
{
	struct tp_sizes	 sz;
	enum tp_step	 step;

	step = tp_alice(fd, me, rem, s, &sz);
	ok(step != TP_MSG1, "message 1 sent");
	if (step == TP_MSG1)
		fatal("message 1");
	printf("    message 1: %zu bytes\n", sz.msg1);
	if (step == TP_MSG2)
		fatal("i2pd answered message 1 with message 2 "
		    "(AES chain, ee, options)");
	ok(1, "message 2 decrypts (AES chain, ee, options)");
	printf("    message 2: %zu bytes\n", sz.msg2);
	ok(step == TP_DONE, "message 3 sent");
	if (step == TP_DONE)
		printf("    message 3: %zu bytes\n", sz.msg3);
}

/* i2pd dialed us: we are Bob */
static void
handshake_bob(int fd, struct tp_me *me, const struct ntcp2_remote *rem,
    struct ntcp2_session *s)
{
	struct ntcp2_hs	*hs;
	struct wbuf	 w;
	uint8_t		 buf[70000], pub[32], dh[32];
	const uint8_t	*ri;
	size_t		 padlen, m3len, rilen;
	int		 rv;

	if ((hs = ntcp2_hs_new()) == NULL)
		fatal("ntcp2_hs_new");
	if (tp_read_full(fd, buf, NTCP2_MSG1_LEN, 20000) == -1 ||
	    ntcp2_bob_msg1(hs, &me->local, buf, pub) != NTCP2_NEED_DH)
		fatal("message 1 from i2pd");
	/* cryptod's part */
	if (x25519(dh, me->s_priv, pub) == -1)
		fatal("DH");
	rv = ntcp2_bob_msg1_dh(hs, dh, &padlen);
	crypto_wipe(dh, sizeof(dh));
	if (rv != NTCP2_OK) {
		printf("    reason %d\n", ntcp2_hs_reason(hs));
		fatal("message 1 from i2pd decrypts (AES with our hash and i, "
		    "es, options)");
	}
	ok(1, "message 1 from i2pd decrypts (AES with our hash and i, es, "
	    "options)");
	printf("    message 1: %zu bytes\n", NTCP2_MSG1_LEN + padlen);
	wbuf_init_fixed(&w, buf + NTCP2_MSG1_LEN, sizeof(buf) -
	    NTCP2_MSG1_LEN);
	if (tp_read_full(fd, buf, padlen, 20000) == -1 ||
	    ntcp2_bob_msg1_padding(hs, buf, padlen, &w, &m3len) != NTCP2_OK ||
	    tp_write_full(fd, buf + NTCP2_MSG1_LEN, wbuf_len(&w)) == -1)
		fatal("message 2 sent");
	ok(1, "message 2 sent");
	printf("    message 2: %zu bytes\n", wbuf_len(&w));
	if (tp_read_full(fd, buf, m3len, 20000) == -1)
		fatal("message 3 from i2pd");
	rv = ntcp2_bob_msg3(hs, buf, m3len, s, &ri, &rilen);
	if (rv != NTCP2_OK)
		printf("    reason %d\n", ntcp2_hs_reason(hs));
	ok(rv == NTCP2_OK, "message 3 from i2pd: its RouterInfo verifies "
	    "and publishes the static key it used");
	printf("    message 3: %zu bytes, RouterInfo %zu bytes\n", m3len,
	    rilen);
	if (rv == NTCP2_OK)
		ok(memcmp(s->remote_hash, rem->hash, 32) == 0,
		    "message 3 came from the i2pd we know");
	ntcp2_hs_free(hs);
	if (rv != NTCP2_OK)
		fatal("handshake as Bob");
}

/* a DateTime and a DatabaseLookup for i2pd's own RouterInfo, to us */
static void
send_lookup(int fd, struct ntcp2_session *s, const uint8_t key[32],
    const uint8_t from[32], int terminate)
{
	struct wbuf	 p, w;
	uint8_t		 plain[256], msg[128], frame[512];
	uint32_t	 now = time(NULL), id;

	crypto_random(&id, sizeof(id));
	wbuf_init_fixed(&p, msg, sizeof(msg));
	wbuf_put_u8(&p, I2NP_DATABASE_LOOKUP);
	wbuf_put_u32(&p, id);
	wbuf_put_u32(&p, now + 60);
	wbuf_put_bytes(&p, key, 32);
	wbuf_put_bytes(&p, from, 32);
	wbuf_put_u8(&p, 0x08);		/* RouterInfo, reply direct */
	wbuf_put_u16(&p, 0);		/* no excluded peers */
	wbuf_init_fixed(&w, plain, sizeof(plain));
	ntcp2_put_datetime(&w, now);
	ntcp2_put_i2np(&w, msg, wbuf_len(&p));
	if (terminate)
		ntcp2_put_termination(&w, s->recv.n, NTCP2_R_NORMAL);
	ntcp2_put_padding(&w, 17);
	if (wbuf_error(&p) || wbuf_error(&w))
		fatal("lookup frame");
	wbuf_init_fixed(&p, frame, sizeof(frame));
	ok(ntcp2_frame_seal(&s->send, plain, wbuf_len(&w), &p) == NTCP2_OK &&
	    tp_write_full(fd, frame, wbuf_len(&p)) == 0, terminate ?
	    "data frame sent (DateTime, DatabaseLookup, Termination, Padding)" :
	    "data frame sent (DateTime, DatabaseLookup, Padding)");
}

struct seen {
	const uint8_t	*peer;		/* i2pd's hash */
	int		 stores;	/* DatabaseStores of its RouterInfo */
	int		 frames;	/* opened */
	int		 quiet;		/* past FRAMES_SHOWN */
};

static int
block_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct seen		*sn = arg;
	struct i2np_hdr		 h;
	struct rbuf		 payload;
	const uint8_t		*key;

	if (!sn->quiet)
		printf("        block %u, %zu bytes\n", type, len);
	if (type != NTCP2_B_I2NP ||
	    i2np_msg_parse_short(&h, &payload, body, len, NULL) == -1)
		return 0;
	if (!sn->quiet)
		printf("        I2NP %s, %u bytes\n", i2np_type_name(h.type) ?
		    i2np_type_name(h.type) : "?", h.size);
	if (h.type == I2NP_DATABASE_STORE &&
	    rbuf_get_ptr(&payload, &key, 32) == 0 &&
	    memcmp(key, sn->peer, 32) == 0)
		sn->stores++;
	return 0;
}

/* frames from i2pd until it has sent n DatabaseStores of its RouterInfo */
static void
read_frames(int fd, struct ntcp2_session *s, struct seen *sn, int n)
{
	uint8_t	 hdr[2], buf[NTCP2_FRAME_MAX];
	size_t	 len, plen;
	int	 i;

	for (i = 0; i < FRAMES_MAX && sn->stores < n; i++) {
		if (tp_read_full(fd, hdr, 2, 20000) == -1)
			break;
		if (ntcp2_frame_len(&s->recv, hdr, &len) != NTCP2_OK ||
		    tp_read_full(fd, buf, len, 20000) == -1)
			fatal("frame length from i2pd");
		if (ntcp2_frame_open(&s->recv, buf, len, &plen) != NTCP2_OK)
			fatal("frame from i2pd opens with our receive key");
		sn->frames++;
		sn->quiet = i >= FRAMES_SHOWN;
		if (!sn->quiet)
			printf("    frame %d: %zu bytes\n", i, plen);
		if (ntcp2_blocks(buf, plen, block_cb, sn) != 0)
			fatal("blocks of i2pd's frame");
	}
	if (i > FRAMES_SHOWN)
		printf("    (%d frames in all)\n", i);
}

int
main(int argc, char *argv[])
{
	struct ntcp2_remote	 rem;
	struct ntcp2_session	 s;
	struct tp_me		 me;
	struct seen		 sn = { 0 };
	char			 host[64];
	unsigned		 port;
	int			 fd, lfd;

	if (argc != 3) {
		fprintf(stderr, "usage: ntcp2_core_probe router.info address\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (crypto_init() == -1)
		fatal("crypto_init");
	if (tp_remote_load(argv[1], &rem, host, sizeof(host), &port) == -1)
		fatal("i2pd's RouterInfo verifies and has an NTCP2 address");
	if (tp_me_make(&me, argv[2], OUR_PORT) == -1)
		fatal("our keys and RouterInfo");
	if ((lfd = tp_listen(argv[2], OUR_PORT)) == -1)
		fatal("listen on our address");
	printf("    i2pd at %s port %u; we are %s port %d\n", host, port,
	    argv[2], OUR_PORT);

	printf("    -- we are Alice\n");
	if ((fd = tp_dial(argv[2], host, port)) == -1)
		fatal("connect to i2pd");
	handshake(fd, &me, &rem, &s);
	send_lookup(fd, &s, rem.hash, me.local.hash, 0);
	sn.peer = rem.hash;
	read_frames(fd, &s, &sn, 2);
	ok(sn.stores >= 1, "i2pd's frames open with our receive key: "
	    "its RouterInfo (DatabaseStore)");
	ok(sn.stores >= 2, "i2pd answered our DatabaseLookup: "
	    "it opened our frame");
	/* its answer to this one will have to come by a new session */
	send_lookup(fd, &s, rem.hash, me.local.hash, 1);
	close(fd);
	ntcp2_session_wipe(&s);

	printf("    -- we are Bob\n");
	fd = accept_one(lfd);
	handshake_bob(fd, &me, &rem, &s);
	memset(&sn, 0, sizeof(sn));
	sn.peer = rem.hash;
	/*
	 * Whether i2pd answers lookups on the session it opened depends on
	 * why it dialled (an answer, or a tunnel build first): only that
	 * its frames open with our keys is ours to check here.
	 */
	read_frames(fd, &s, &sn, 1);
	ok(sn.frames >= 1, "i2pd's frames open with our receive key");
	tp_goodbye(fd, &s, NTCP2_R_NORMAL);
	close(lfd);
	crypto_wipe(&me, sizeof(me));
	printf("probe: %d failed\n", failures);
	return failures == 0 ? 0 : 1;
}
