/*
 * NTCP2 in one process: full handshakes per second (Alice and Bob,
 * both static-key DHs, Bob verifying Alice's RouterInfo), and data-phase
 * throughput (seal and open of 16 KiB frames of I2NP blocks).  This is
 * the protocol cost without sockets or IPC; tests/bench/ntcp2_net.sh
 * measures handshakes against a live router, ours or i2pd.
 *
 * usage: ntcp2_bench [seconds per figure]
 */
#include <bsd/string.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "../../netd/ntcp2.h"
#include "bench.h"

#define FRAME_DATA	(16 * 1024)

static uint8_t			b_priv[32], a_priv[32], a_seed[32];
static uint8_t			a_ri[RI_MAXLEN];
static struct ntcp2_local	bob, alice;
static struct ntcp2_remote	bob_remote;

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

static size_t
alice_ri(const uint8_t s[32], uint8_t hash[32])
{
	static struct router_info	ri;
	struct router_address		*ra = &ri.addrs[0];
	uint8_t				sign_pub[32], x[32];
	char				b64[64];

	ed25519_keygen(a_seed, sign_pub);
	memset(x, 0x42, sizeof(x));
	ident_build(&ri.ident, IDENT_ROUTER, x, sign_pub, NULL);
	ri.published = (uint64_t)time(NULL) * 1000;
	ri.naddrs = 1;
	ra->cost = 3;
	strlcpy(ra->style, "NTCP2", sizeof(ra->style));
	mapping_init(&ra->options);
	b64_encode(b64, sizeof(b64), s, 32);
	mapping_set(&ra->options, "s", b64);
	mapping_set(&ra->options, "v", "2");
	mapping_init(&ri.options);
	mapping_set(&ri.options, "caps", "XR");
	mapping_set(&ri.options, "netId", "99");
	mapping_set(&ri.options, "router.version", "0.9.57");
	if (ri_sign(&ri, sign_cb, a_seed, NULL) == -1)
		exit(1);
	memcpy(a_ri, ri.raw, ri.rawlen);
	memcpy(hash, ri.ident.hash, 32);
	return ri.rawlen;
}

static void
setup(void)
{
	crypto_init();
	x25519_keygen(b_priv, bob.static_pub);
	crypto_random(bob.hash, sizeof(bob.hash));
	crypto_random(bob.iv, sizeof(bob.iv));
	bob.netid = 99;
	memcpy(bob_remote.hash, bob.hash, 32);
	memcpy(bob_remote.static_pub, bob.static_pub, 32);
	memcpy(bob_remote.iv, bob.iv, 16);
	x25519_keygen(a_priv, alice.static_pub);
	alice.rilen = alice_ri(alice.static_pub, alice.hash);
	alice.ri = a_ri;
	alice.netid = 99;
}

/* one whole handshake; fills both sessions */
static int
handshake(struct ntcp2_session *sa, struct ntcp2_session *sb)
{
	struct ntcp2_hs	*a = ntcp2_hs_new(), *b = ntcp2_hs_new();
	static uint8_t	 m1[512], m2[512], m3[4096];
	struct wbuf	 w1, w2, w3;
	uint8_t		 pub[32], dh[32];
	const uint8_t	*ri;
	size_t		 pad, m3len, rilen;
	int		 ok = 0;

	wbuf_init_fixed(&w1, m1, sizeof(m1));
	wbuf_init_fixed(&w2, m2, sizeof(m2));
	wbuf_init_fixed(&w3, m3, sizeof(m3));
	if (ntcp2_alice_start(a, &alice, &bob_remote, &w1) == NTCP2_OK &&
	    ntcp2_bob_msg1(b, &bob, m1, pub) == NTCP2_NEED_DH &&
	    x25519(dh, b_priv, pub) == 0 &&
	    ntcp2_bob_msg1_dh(b, dh, &pad) == NTCP2_OK &&
	    ntcp2_bob_msg1_padding(b, m1 + NTCP2_MSG1_LEN, pad, &w2,
	    &m3len) == NTCP2_OK &&
	    ntcp2_alice_msg2(a, m2, &pad) == NTCP2_OK &&
	    ntcp2_alice_msg2_padding(a, m2 + NTCP2_MSG2_LEN, pad, pub) ==
	    NTCP2_NEED_DH && x25519(dh, a_priv, pub) == 0 &&
	    ntcp2_alice_msg3(a, dh, &w3, sa) == NTCP2_OK &&
	    ntcp2_bob_msg3(b, m3, wbuf_len(&w3), sb, &ri, &rilen) == NTCP2_OK)
		ok = 1;
	ntcp2_hs_free(a);
	ntcp2_hs_free(b);
	return ok ? 0 : -1;
}

static double
bench_handshakes(double secs)
{
	struct ntcp2_session	sa, sb;
	double			t0 = now(), t;
	long			n = 0;

	do {
		if (handshake(&sa, &sb) == -1) {
			fprintf(stderr, "ntcp2_bench: handshake failed\n");
			exit(1);
		}
		n++;
	} while ((t = now() - t0) < secs);
	return n / t;
}

/* MB/s of I2NP payload through seal on one side and open on the other */
static double
bench_frames(double secs)
{
	struct ntcp2_session	 sa, sb;
	static uint8_t		 blocks[FRAME_DATA], frame[FRAME_DATA + 64];
	uint8_t			 msg[FRAME_DATA - 16];
	struct wbuf		 w;
	size_t			 blen, flen, plen;
	double			 t0, t, bytes = 0;

	handshake(&sa, &sb);
	memset(msg, 0xab, sizeof(msg));
	wbuf_init_fixed(&w, blocks, sizeof(blocks));
	ntcp2_put_i2np(&w, msg, sizeof(msg));
	blen = wbuf_len(&w);
	t0 = now();
	do {
		wbuf_init_fixed(&w, frame, sizeof(frame));
		if (ntcp2_frame_seal(&sa.send, blocks, blen, &w) == -1 ||
		    ntcp2_frame_len(&sb.recv, frame, &flen) == -1 ||
		    ntcp2_frame_open(&sb.recv, frame + 2, flen, &plen) == -1) {
			fprintf(stderr, "ntcp2_bench: frame failed\n");
			exit(1);
		}
		bytes += sizeof(msg);
	} while ((t = now() - t0) < secs);
	ntcp2_session_wipe(&sa);
	ntcp2_session_wipe(&sb);
	return bytes / t / 1e6;
}

int
main(int argc, char *argv[])
{
	double	secs = argc > 1 ? atof(argv[1]) : 2.0;

	setup();
	printf("%-44s %10.0f /s\n", "NTCP2 handshakes, both sides, in-process",
	    bench_handshakes(secs));
	printf("%-44s %10.1f MB/s\n", "NTCP2 data phase, 16 KiB frames, seal+open",
	    bench_frames(secs));
	return 0;
}
