/*
 * libFuzzer target: NTCP2 (netd/ntcp2_hs.c, ntcp2_data.c), all that a
 * peer sends before and after the handshake.
 *
 * The first input byte picks what the rest is:
 *  0  message 1 to Bob: 64 bytes, then the padding
 *  1  message 2 to Alice, after a real message 1
 *  2  message 3 to Bob, after real messages 1 and 2
 *  3  message 1's 16 option bytes (then padding), properly encrypted
 *     by a reference Alice, to Bob
 *  4  message 3 part 2's plaintext, properly encrypted by a reference
 *     Alice, to Bob (the blocks and the RouterInfo checks)
 *  5  the RouterInfo our Alice sends in message 3
 *  6  data phase bytes to Bob after a real handshake: frames until
 *     one fails
 *  7  a frame's plaintext sealed by Alice, opened by Bob, then walked
 *  8  ntcp2_blocks
 * AEAD keeps random bytes out of anything past the first check, hence
 * the modes where this file encrypts what the fuzzer writes.
 *
 * Checked beyond the sanitizers: a failed handshake step names its
 * reason; what Bob opens is what Alice sealed; blocks that walk cleanly
 * lie inside the frame and add up to it exactly.
 */
#include <bsd/string.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "fuzz.h"
#include "../../netd/ntcp2.h"

#define NOW		1700000000u
#define NETID		99
#define PROTO		"Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256"
#define MSG12_MAX	(NTCP2_MSG1_LEN + NTCP2_PAD_MAX)
#define MSG3_MAX	(NTCP2_MSG3P1_LEN + NTCP2_FRAME_MAX)
#define PLAIN_MAX	(NTCP2_FRAME_MAX - POLY1305_TAG_LEN)

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	 errfd = STDERR_FILENO;

static uint8_t		 b_priv[32], b_pub[32];
static uint8_t		 a_priv[32], a_pub[32], a_seed[32];
static uint8_t		 a_ri[RI_MAXLEN];
static size_t		 a_rilen;
static struct ntcp2_local	bob_local, alice_local;
static struct ntcp2_remote	bob_remote;
static struct ntcp2_session	est_a, est_b;	/* one real handshake */
static uint8_t		*buf, *buf2;	/* MSG3_MAX each */

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_ntcp2: %s\n", what);
	abort();
}

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* Alice's RouterInfo, publishing her static key */
static void
make_ri(void)
{
	struct router_info	*ri;
	struct router_address	*ra;
	uint8_t			 x[32], sign_pub[32];
	char			 b64[64];

	if ((ri = calloc(1, sizeof(*ri))) == NULL ||
	    ed25519_keygen(a_seed, sign_pub) == -1)
		die("RouterInfo keys");
	memset(x, 0x42, sizeof(x));
	if (ident_build(&ri->ident, IDENT_ROUTER, x, sign_pub, NULL) == -1)
		die("ident_build");
	ri->published = NOW * 1000ULL;
	ri->naddrs = 1;
	ra = &ri->addrs[0];
	strlcpy(ra->style, "NTCP2", sizeof(ra->style));
	mapping_init(&ra->options);
	b64_encode(b64, sizeof(b64), a_pub, 32);
	mapping_set(&ra->options, "s", b64);
	mapping_set(&ra->options, "v", "2");
	mapping_init(&ri->options);
	mapping_set(&ri->options, "caps", "LR");
	mapping_set(&ri->options, "netId", "99");
	mapping_set(&ri->options, "router.version", "0.9.57");
	if (ri_sign(ri, sign_cb, a_seed, NULL) == -1)
		die("ri_sign");
	memcpy(a_ri, ri->raw, ri->rawlen);
	a_rilen = ri->rawlen;
	memcpy(alice_local.hash, ri->ident.hash, 32);
	free(ri);
}

static void
keys(void)
{
	if (crypto_init() == -1 || x25519_keygen(b_priv, b_pub) == -1 ||
	    x25519_keygen(a_priv, a_pub) == -1)
		die("keys");
	memset(bob_local.hash, 0xb0, 32);
	memcpy(bob_local.static_pub, b_pub, 32);
	memset(bob_local.iv, 0xb1, 16);
	bob_local.netid = NETID;
	memcpy(bob_remote.hash, bob_local.hash, 32);
	memcpy(bob_remote.static_pub, b_pub, 32);
	memcpy(bob_remote.iv, bob_local.iv, 16);
	make_ri();
	memcpy(alice_local.static_pub, a_pub, 32);
	alice_local.netid = NETID;
	alice_local.ri = a_ri;
	alice_local.rilen = a_rilen;
}

static struct ntcp2_hs *
hs_new(void)
{
	struct ntcp2_hs	*hs;

	if ((hs = ntcp2_hs_new()) == NULL)
		die("out of memory");
	ntcp2_hs_set_time(hs, NOW);
	return hs;
}

/* an error must say why; anything else but what is expected is a bug */
static int
step(struct ntcp2_hs *hs, int rv, int want)
{
	if (rv == NTCP2_ERROR) {
		if (ntcp2_hs_reason(hs) == NTCP2_R_NORMAL)
			die("handshake error without a reason");
		return -1;
	}
	if (rv != want)
		die("unexpected handshake status");
	return 0;
}

/* Bob through message 1 (m, len), writing message 2 to m2 */
static int
bob_1(struct ntcp2_hs *b, const uint8_t *m, size_t len, struct wbuf *m2,
    size_t *m3len)
{
	struct rbuf	 r;
	const uint8_t	*m1, *pad;
	uint8_t		 pub[32], dh[32];
	size_t		 padlen, n;

	rbuf_init(&r, m, len);
	if (rbuf_get_ptr(&r, &m1, NTCP2_MSG1_LEN) == -1)
		return -1;
	if (step(b, ntcp2_bob_msg1(b, &bob_local, m1, pub),
	    NTCP2_NEED_DH) == -1)
		return -1;
	if (memcmp(ntcp2_bob_ephemeral(b), pub, 32) != 0)
		die("ephemeral key");
	if (x25519(dh, b_priv, pub) == -1)
		return -1;
	if (step(b, ntcp2_bob_msg1_dh(b, dh, &padlen), NTCP2_OK) == -1)
		return -1;
	if (padlen > NTCP2_PAD_MAX)
		die("padding over the limit accepted");
	/* whatever follows is the padding, of the right length or not */
	n = rbuf_left(&r);
	if (rbuf_get_ptr(&r, &pad, n) == -1)
		die("rbuf");
	if (step(b, ntcp2_bob_msg1_padding(b, pad, n, m2, m3len),
	    NTCP2_OK) == -1)
		return -1;
	if (n != padlen)
		die("padding of the wrong length accepted");
	return 0;
}

/* Alice through message 2, writing message 3 */
static int
alice_2(struct ntcp2_hs *a, const uint8_t *m, size_t len, struct wbuf *m3,
    struct ntcp2_session *s)
{
	struct rbuf	 r;
	const uint8_t	*m2, *pad;
	uint8_t		 pub[32], dh[32];
	size_t		 padlen;

	rbuf_init(&r, m, len);
	if (rbuf_get_ptr(&r, &m2, NTCP2_MSG2_LEN) == -1)
		return -1;
	if (step(a, ntcp2_alice_msg2(a, m2, &padlen), NTCP2_OK) == -1)
		return -1;
	if (rbuf_get_ptr(&r, &pad, padlen) == -1)
		return -1;
	if (step(a, ntcp2_alice_msg2_padding(a, pad, padlen, pub),
	    NTCP2_NEED_DH) == -1)
		return -1;
	if (x25519(dh, a_priv, pub) == -1)
		die("x25519");
	return step(a, ntcp2_alice_msg3(a, dh, m3, s), NTCP2_OK);
}

/*
 * The reference Alice (ntcp2.rst with noise_* directly): she encrypts
 * options and payloads the fuzzer writes, so that Bob's checks behind
 * the AEAD get exercised.
 */
struct ref {
	struct noise_ss	 ss;
	uint8_t		 e_priv[32], e_pub[32], iv[16], y[32];
};

static int
ref_msg1(struct ref *r, const uint8_t opts[16], const uint8_t *pad,
    size_t padlen, uint8_t *out)
{
	uint8_t	 dh[32];

	if (x25519_keygen(r->e_priv, r->e_pub) == -1 ||
	    aes256_cbc_encrypt(out, bob_local.hash, bob_local.iv, r->e_pub,
	    32) == -1)
		die("reference message 1");
	memcpy(r->iv, out + 16, 16);
	if (noise_init(&r->ss, PROTO) == -1 ||
	    noise_mix_hash(&r->ss, NULL, 0) == -1 ||
	    noise_mix_hash(&r->ss, b_pub, 32) == -1 ||
	    noise_mix_hash(&r->ss, r->e_pub, 32) == -1 ||
	    x25519(dh, r->e_priv, b_pub) == -1 ||
	    noise_mix_key(&r->ss, dh, 32) == -1 ||
	    noise_encrypt_and_hash(&r->ss, out + 32, opts, 16) == -1)
		die("reference message 1");
	if (padlen > 0 && (memcpy(out + 64, pad, padlen) == NULL ||
	    noise_mix_hash(&r->ss, pad, padlen) == -1))
		die("reference message 1");
	return 64 + padlen;
}

static void
ref_msg2(struct ref *r, const uint8_t *m, size_t len)
{
	uint8_t	 dh[32], opts[16];

	if (aes256_cbc_decrypt(r->y, bob_local.hash, r->iv, m, 32) == -1 ||
	    noise_mix_hash(&r->ss, r->y, 32) == -1 ||
	    x25519(dh, r->e_priv, r->y) == -1 ||
	    noise_mix_key(&r->ss, dh, 32) == -1 ||
	    noise_decrypt_and_hash(&r->ss, opts, m + 32, 32) == -1)
		die("our Bob's message 2 does not decrypt");
	if (len != 64u + (opts[2] << 8 | opts[3]))
		die("message 2 padding length");
	if (len > 64 && noise_mix_hash(&r->ss, m + 64, len - 64) == -1)
		die("reference message 2");
}

static size_t
ref_msg3(struct ref *r, const uint8_t *payload, size_t plen, uint8_t *out)
{
	uint8_t	 dh[32];

	if (noise_encrypt_and_hash(&r->ss, out, a_pub, 32) == -1 ||
	    x25519(dh, a_priv, r->y) == -1 ||
	    noise_mix_key(&r->ss, dh, 32) == -1 ||
	    noise_encrypt_and_hash(&r->ss, out + 48, payload, plen) == -1)
		die("reference message 3");
	return 48 + plen + 16;
}

/* a real handshake, for the data phase modes */
static void
establish(void)
{
	struct ntcp2_hs	*a, *b;
	struct wbuf	 w1, w2, w3;
	const uint8_t	*ri;
	size_t		 m3len, rilen;

	a = hs_new();
	b = hs_new();
	wbuf_init_fixed(&w1, buf, MSG12_MAX);
	wbuf_init_fixed(&w2, buf + MSG12_MAX, MSG12_MAX);
	wbuf_init_fixed(&w3, buf2, MSG3_MAX);
	if (ntcp2_alice_start(a, &alice_local, &bob_remote, &w1) != NTCP2_OK ||
	    bob_1(b, buf, wbuf_len(&w1), &w2, &m3len) == -1 ||
	    alice_2(a, buf + MSG12_MAX, wbuf_len(&w2), &w3, &est_a) == -1 ||
	    wbuf_len(&w3) != m3len ||
	    ntcp2_bob_msg3(b, buf2, m3len, &est_b, &ri, &rilen) != NTCP2_OK)
		die("no handshake");
	ntcp2_hs_free(a);
	ntcp2_hs_free(b);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	if ((buf = malloc(MSG3_MAX)) == NULL ||
	    (buf2 = malloc(MSG3_MAX)) == NULL)
		die("out of memory");
	keys();
	establish();
	return 0;
}

/* mode 0 */
static void
fuzz_msg1(const uint8_t *data, size_t len)
{
	struct ntcp2_hs	*b = hs_new();
	struct wbuf	 w;
	size_t		 m3len;

	wbuf_init_fixed(&w, buf, MSG12_MAX);
	(void)bob_1(b, data, len, &w, &m3len);
	ntcp2_hs_free(b);
}

/* mode 1 */
static void
fuzz_msg2(const uint8_t *data, size_t len)
{
	struct ntcp2_hs		*a = hs_new();
	struct ntcp2_session	 s;
	struct wbuf		 w;

	wbuf_init_fixed(&w, buf, MSG12_MAX);
	if (ntcp2_alice_start(a, &alice_local, &bob_remote, &w) != NTCP2_OK)
		die("alice_start");
	wbuf_init_fixed(&w, buf2, MSG3_MAX);
	(void)alice_2(a, data, len, &w, &s);
	ntcp2_session_wipe(&s);
	ntcp2_hs_free(a);
}

/* Bob reads msg3 (in buf2); what he says is checked */
static void
bob_3(struct ntcp2_hs *b, size_t len)
{
	struct ntcp2_session	 s;
	const uint8_t		*ri;
	size_t			 rilen;
	int			 rv;

	rv = ntcp2_bob_msg3(b, buf2, len, &s, &ri, &rilen);
	if (step(b, rv, NTCP2_OK) == -1)
		return;
	if (ri == NULL || rilen == 0 || rilen > len)
		die("no RouterInfo from a good message 3");
	ntcp2_session_wipe(&s);
}

/* mode 2 */
static void
fuzz_msg3(const uint8_t *data, size_t len)
{
	struct ntcp2_hs	*a = hs_new(), *b = hs_new();
	struct wbuf	 w1, w2;
	size_t		 m3len;

	wbuf_init_fixed(&w1, buf, MSG12_MAX);
	wbuf_init_fixed(&w2, buf + MSG12_MAX, MSG12_MAX);
	if (ntcp2_alice_start(a, &alice_local, &bob_remote, &w1) != NTCP2_OK ||
	    bob_1(b, buf, wbuf_len(&w1), &w2, &m3len) == -1)
		die("messages 1 and 2");
	if (len > MSG3_MAX)
		len = MSG3_MAX;
	memcpy(buf2, data, len);
	bob_3(b, len);
	ntcp2_hs_free(a);
	ntcp2_hs_free(b);
}

/* mode 3: 16 option bytes, the rest padding */
static void
fuzz_msg1_opts(const uint8_t *data, size_t len)
{
	struct ntcp2_hs	*b = hs_new();
	struct ref	 r;
	struct wbuf	 w;
	size_t		 n, m3len;

	if (len < 16 || len - 16 > NTCP2_PAD_MAX + 1) {
		ntcp2_hs_free(b);
		return;
	}
	n = ref_msg1(&r, data, data + 16, len - 16, buf2);
	wbuf_init_fixed(&w, buf, MSG12_MAX);
	if (bob_1(b, buf2, n, &w, &m3len) == 0)
		ref_msg2(&r, buf, wbuf_len(&w));
	noise_wipe(&r.ss);
	ntcp2_hs_free(b);
}

/* mode 4: message 3 part 2 plaintext from the reference Alice */
static void
fuzz_msg3_payload(const uint8_t *data, size_t len)
{
	struct ntcp2_hs	*b = hs_new();
	struct ref	 r;
	struct wbuf	 w;
	uint8_t		 opts[16], m1[NTCP2_MSG1_LEN];
	size_t		 m3len, n;

	/* message 1 can announce no more (both frames within 65535) */
	if (len > NTCP2_FRAME_MAX - NTCP2_MSG3P1_LEN - POLY1305_TAG_LEN) {
		ntcp2_hs_free(b);
		return;
	}
	memset(opts, 0, sizeof(opts));
	opts[0] = NETID;
	opts[1] = 2;
	opts[4] = (len + 16) >> 8;
	opts[5] = (len + 16) & 0xff;
	opts[8] = NOW >> 24;
	opts[9] = (NOW >> 16) & 0xff;
	opts[10] = (NOW >> 8) & 0xff;
	opts[11] = NOW & 0xff;
	ref_msg1(&r, opts, NULL, 0, m1);
	wbuf_init_fixed(&w, buf, MSG12_MAX);
	if (bob_1(b, m1, sizeof(m1), &w, &m3len) == -1)
		die("reference message 1 refused");
	ref_msg2(&r, buf, wbuf_len(&w));
	n = ref_msg3(&r, data, len, buf2);
	if (n != m3len)
		die("message 3 length");
	bob_3(b, n);
	noise_wipe(&r.ss);
	ntcp2_hs_free(b);
}

/* mode 5: our Alice sends these bytes as her RouterInfo */
static void
fuzz_ri(const uint8_t *data, size_t len)
{
	struct ntcp2_local	 local = alice_local;
	struct ntcp2_hs		*a = hs_new(), *b = hs_new();
	struct ntcp2_session	 s;
	struct wbuf		 w1, w2, w3;
	size_t			 m3len;

	local.ri = data;
	local.rilen = len;
	wbuf_init_fixed(&w1, buf, MSG12_MAX);
	wbuf_init_fixed(&w2, buf + MSG12_MAX, MSG12_MAX);
	wbuf_init_fixed(&w3, buf2, MSG3_MAX);
	if (ntcp2_alice_start(a, &local, &bob_remote, &w1) == NTCP2_OK) {
		if (bob_1(b, buf, wbuf_len(&w1), &w2, &m3len) == -1 ||
		    alice_2(a, buf + MSG12_MAX, wbuf_len(&w2), &w3, &s) == -1 ||
		    wbuf_len(&w3) != m3len)
			die("handshake with a fuzzed RouterInfo");
		bob_3(b, m3len);
		ntcp2_session_wipe(&s);
	} else if (len > 0 && len <= RI_MAXLEN)
		die("alice_start refused a RouterInfo-sized input");
	ntcp2_hs_free(a);
	ntcp2_hs_free(b);
}

/* blocks that walk cleanly are rebuilt here and must give the frame */
struct walk {
	const uint8_t	*start, *end;
	struct wbuf	 w;
};

static int
walk_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct walk	*k = arg;

	if (len > 0 && (body < k->start || body + len > k->end))
		die("block body outside the frame");
	wbuf_put_u8(&k->w, type);
	wbuf_put_u16(&k->w, len);
	wbuf_put_bytes(&k->w, body, len);
	return 0;
}

static void
walk(const uint8_t *p, size_t len)
{
	struct walk	 k;

	k.start = p;
	k.end = p + len;
	wbuf_init_fixed(&k.w, buf2, MSG3_MAX);
	if (ntcp2_blocks(p, len, walk_cb, &k) != 0)
		return;
	if (wbuf_error(&k.w) || wbuf_len(&k.w) != len ||
	    memcmp(buf2, p, len) != 0)
		die("blocks do not add up to the frame");
}

/* mode 6: Bob's receive side after the handshake */
static void
fuzz_frames(const uint8_t *data, size_t len)
{
	struct ntcp2_dir	 rx = est_b.recv;
	struct rbuf		 r;
	const uint8_t		*hdr, *body;
	size_t			 flen, plen;

	rbuf_init(&r, data, len);
	while (rbuf_get_ptr(&r, &hdr, 2) == 0) {
		if (ntcp2_frame_len(&rx, hdr, &flen) != NTCP2_OK)
			break;
		if (flen < POLY1305_TAG_LEN || flen > NTCP2_FRAME_MAX)
			die("frame length out of range");
		if (rbuf_get_ptr(&r, &body, flen) == -1)
			break;
		memcpy(buf, body, flen);
		if (ntcp2_frame_open(&rx, buf, flen, &plen) != NTCP2_OK)
			break;
		walk(buf, plen);
	}
}

/* mode 7: sealed by Alice, opened by Bob */
static void
fuzz_seal(const uint8_t *data, size_t len)
{
	struct ntcp2_dir	 tx = est_a.send, rx = est_b.recv;
	struct wbuf		 w;
	size_t			 flen = 0, plen = 0;

	if (len > PLAIN_MAX)
		len = PLAIN_MAX;
	wbuf_init_fixed(&w, buf, MSG3_MAX);
	if (ntcp2_frame_seal(&tx, data, len, &w) != NTCP2_OK ||
	    wbuf_len(&w) != len + NTCP2_FRAME_OVERHEAD)
		die("frame_seal");
	if (ntcp2_frame_len(&rx, buf, &flen) != NTCP2_OK ||
	    flen != len + POLY1305_TAG_LEN ||
	    ntcp2_frame_open(&rx, buf + 2, flen, &plen) != NTCP2_OK ||
	    plen != len || memcmp(buf + 2, data, len) != 0)
		die("what Bob opens is not what Alice sealed");
	walk(buf + 2, plen);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len < 1)
		return 0;
	switch (data[0] % 9) {
	case 0:
		fuzz_msg1(data + 1, len - 1);
		break;
	case 1:
		fuzz_msg2(data + 1, len - 1);
		break;
	case 2:
		fuzz_msg3(data + 1, len - 1);
		break;
	case 3:
		fuzz_msg1_opts(data + 1, len - 1);
		break;
	case 4:
		fuzz_msg3_payload(data + 1, len - 1);
		break;
	case 5:
		fuzz_ri(data + 1, len - 1);
		break;
	case 6:
		fuzz_frames(data + 1, len - 1);
		break;
	case 7:
		fuzz_seal(data + 1, len - 1);
		break;
	case 8:
		walk(data + 1, len - 1);
		break;
	}
	return 0;
}
