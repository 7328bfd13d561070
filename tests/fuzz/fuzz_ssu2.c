/*
 * libFuzzer target: SSU2 (netd/ssu2_*.c), what a peer sends.
 *
 * The first input byte picks what the rest is:
 *  0  a packet: header protection opened with fixed keys
 *  1  a decrypted payload: the block walker and every block decoder
 *  2  a Token Request to Bob
 *  3  a Session Request to Bob, then his DH step if it gets that far
 *  4  a Data payload sealed by a real Alice, opened by Bob, walked
 *  5  a Data packet to Bob's session as raw bytes
 *  6  packet numbers (4 bytes each) encoded into an ACK and back
 *  7  a Peer Test or Hole Punch packet to Alice, then its blocks;
 *     and the same bytes as a payload sealed for Alice as message
 *     5-7 (IDs from its first 4 bytes), opened by ssu2_pt_open and its
 *     signature checked as Charlie's
 *
 * Checked beyond the sanitizers: decoded views lie inside the input;
 * what Bob opens is what Alice sealed; an ACK acknowledges nothing that
 * was not received, and the newest packet always.
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
#include "../../netd/ssu2.h"

#define NOW	1700000000u
#define NETID	99
#define PKT	2048

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int			 errfd = STDERR_FILENO;
static uint8_t			 b_priv[32], a_priv[32], a_seed[32];
static uint8_t			 a_ri[RI_MAXLEN];
static struct ssu2_local	 bob_local, alice_local;
static struct ssu2_remote	 bob_remote;
static struct ssu2_session	 est_a, est_b;
static struct i2p_ident		 a_ident;	/* signs peer tests */

static void
die(const char *what)
{
	dprintf(errfd, "fuzz_ssu2: %s\n", what);
	abort();
}

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* Alice's RouterInfo: an SSU2 address with her static and intro keys */
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
	strlcpy(ra->style, "SSU2", sizeof(ra->style));
	mapping_init(&ra->options);
	b64_encode(b64, sizeof(b64), alice_local.static_pub, 32);
	mapping_set(&ra->options, "s", b64);
	b64_encode(b64, sizeof(b64), alice_local.intro_key, 32);
	mapping_set(&ra->options, "i", b64);
	mapping_set(&ra->options, "v", "2");
	mapping_init(&ri->options);
	mapping_set(&ri->options, "netId", "99");
	mapping_set(&ri->options, "router.version", "0.9.57");
	if (ri_sign(ri, sign_cb, a_seed, NULL) == -1)
		die("ri_sign");
	memcpy(a_ri, ri->raw, ri->rawlen);
	a_ident = ri->ident;
	alice_local.ri = a_ri;
	alice_local.rilen = ri->rawlen;
	free(ri);
}

static void
keys(void)
{
	if (crypto_init() == -1 ||
	    x25519_keygen(b_priv, bob_local.static_pub) == -1 ||
	    x25519_keygen(a_priv, alice_local.static_pub) == -1)
		die("keys");
	memset(bob_local.intro_key, 0xb1, 32);
	bob_local.netid = NETID;
	bob_local.mtu = 1500;
	memcpy(bob_remote.static_pub, bob_local.static_pub, 32);
	memcpy(bob_remote.intro_key, bob_local.intro_key, 32);
	memset(alice_local.intro_key, 0xa1, 32);
	alice_local.netid = NETID;
	alice_local.mtu = 1500;
	make_ri();
}

static struct ssu2_hs *
hs_new(void)
{
	struct ssu2_hs	*hs;

	if ((hs = ssu2_hs_new()) == NULL)
		die("out of memory");
	ssu2_hs_set_time(hs, NOW);
	return hs;
}

/* one real handshake, for the data phase modes */
static void
establish(void)
{
	struct ssu2_hs	*a = hs_new(), *b = hs_new();
	uint8_t		 buf[PKT], f1[PKT], pub[32], dh[32];
	struct wbuf	 w, w1;
	const uint8_t	*ri;
	size_t		 rilen;
	uint64_t	 token;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ssu2_alice_start(a, &alice_local, &bob_remote) != SSU2_OK ||
	    ssu2_alice_request(a, 0, &w) != SSU2_OK ||
	    ssu2_bob_request(b, &bob_local, buf, wbuf_len(&w), &token,
	    pub) != SSU2_NEED_DH || x25519(dh, b_priv, pub) == -1 ||
	    ssu2_bob_request_dh(b, dh) != SSU2_OK)
		die("handshake: request");
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ssu2_bob_created(b, NULL, 0, &w) != SSU2_OK ||
	    ssu2_alice_created(a, buf, wbuf_len(&w), pub) != SSU2_NEED_DH ||
	    x25519(dh, a_priv, pub) == -1)
		die("handshake: created");
	wbuf_init_fixed(&w, buf, sizeof(buf));
	wbuf_init_fixed(&w1, f1, sizeof(f1));
	if (ssu2_alice_confirmed(a, dh, &w, &w1, &est_a) != SSU2_OK ||
	    wbuf_len(&w1) != 0 ||
	    ssu2_bob_confirmed(b, buf, wbuf_len(&w), &est_b, &ri,
	    &rilen) != SSU2_OK)
		die("handshake: confirmed");
	ssu2_hs_free(a);
	ssu2_hs_free(b);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	errfd = fuzz_stderr();
	keys();
	establish();
	return 0;
}

static void
inside(const uint8_t *p, size_t n, const uint8_t *base, size_t len)
{
	if (n > 0 && (p < base || p + n > base + len))
		die("a view outside the input");
}

struct span {
	const uint8_t	*base;
	size_t		 len;
};

/* each block decodes or not; what decodes lies inside the payload */
static int
block_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct span	*s = arg;
	struct ssu2_blk	 b;

	inside(body, len, s->base, s->len);
	if (ssu2_blk_parse(type, body, len, &b) != 0)
		return 0;
	switch (type) {
	case SSU2_B_ROUTERINFO:
		inside(b.u.ri.data, b.u.ri.len, body, len);
		break;
	case SSU2_B_I2NP:
	case SSU2_B_FIRST_FRAG:
		inside(b.u.i2np.body, b.u.i2np.bodylen, body, len);
		break;
	case SSU2_B_RELAY_REQUEST:
	case SSU2_B_RELAY_RESPONSE:
	case SSU2_B_RELAY_INTRO:
		inside(b.u.relay.sig, b.u.relay.siglen, body, len);
		inside(b.u.relay.signed_data, b.u.relay.signed_len, body, len);
		break;
	case SSU2_B_PEER_TEST:
		inside(b.u.peertest.sig, b.u.peertest.siglen, body, len);
		break;
	case SSU2_B_ACK:
		if (!ssu2_ack_has(&b.u.ack, b.u.ack.through))
			die("ACK without its own through");
		break;
	default:
		break;
	}
	return 0;
}

static void
blocks(const uint8_t *p, size_t len)
{
	struct span	 s = { p, len };

	ssu2_blocks(p, len, block_cb, &s);
}

static void
header(const uint8_t *p, size_t len)
{
	struct ssu2_hdr	 h, g;
	uint8_t		 plain[SSU2_EPH_HDR], again[SSU2_EPH_HDR];
	uint64_t	 id;
	int		 n;

	n = ssu2_hdr_open(p, len, bob_local.intro_key, alice_local.intro_key,
	    plain, &h);
	if (n != -1 && (n != 16 && n != 32 && n != 64))
		die("odd header length");
	if (n != -1 && (ssu2_hdr_open(p, len, bob_local.intro_key,
	    alice_local.intro_key, again, &g) != n ||
	    memcmp(plain, again, n) != 0))
		die("header opens two ways");
	if (ssu2_hdr_peek_id(p, len, bob_local.intro_key, &id) == 0 &&
	    n != -1 && id != h.dst_id)
		die("peek disagrees with open");
}

static void
request(const uint8_t *p, size_t len)
{
	struct ssu2_hs	*hs = hs_new();
	uint8_t		 pub[32], dh[32];
	uint64_t	 token;

	if (ssu2_bob_request(hs, &bob_local, p, len, &token, pub) ==
	    SSU2_NEED_DH && x25519(dh, b_priv, pub) == 0)
		ssu2_bob_request_dh(hs, dh);
	ssu2_hs_free(hs);
}

/* what Alice seals Bob must open, byte for byte */
static void
data_sealed(const uint8_t *p, size_t len)
{
	struct ssu2_session	 a = est_a, b = est_b;
	struct ssu2_hdr		 h;
	uint8_t			 buf[PKT];
	struct wbuf		 w;
	const uint8_t		*got;
	size_t			 glen;
	uint32_t		 pn;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (ssu2_data_seal(&a, 0, p, len, &w, &pn) == -1)
		return;
	if (ssu2_data_open(&b, buf, wbuf_len(&w), &h, &got, &glen) == -1 ||
	    glen != len || memcmp(got, p, len) != 0 || h.pkt_num != pn)
		die("sealed data does not open");
	blocks(got, glen);
}

static void
data_raw(const uint8_t *p, size_t len)
{
	struct ssu2_hdr	 h;
	uint8_t		*copy;
	const uint8_t	*got;
	size_t		 glen;

	if ((copy = malloc(len + 1)) == NULL)
		die("out of memory");
	memcpy(copy, p, len);
	if (ssu2_data_open(&est_b, copy, len, &h, &got, &glen) == 0)
		blocks(got, glen);
	free(copy);
}

static int
desc(const void *x, const void *y)
{
	uint32_t	 a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? 1 : a > b ? -1 : 0;
}

static void
acks(const uint8_t *p, size_t len)
{
	uint32_t	 pns[256];
	struct ssu2_ack	 a;
	struct rbuf	 r;
	size_t		 n = 0, i, k;

	rbuf_init(&r, p, len);
	while (n < 256 && rbuf_get_u32(&r, &pns[n]) == 0)
		pns[n++] &= 0xffff;	/* near each other: runs and gaps */
	if (n == 0)
		return;
	qsort(pns, n, sizeof(*pns), desc);
	for (i = 1, k = 1; i < n; i++)
		if (pns[i] != pns[k - 1])
			pns[k++] = pns[i];
	if (ssu2_ack_build(&a, pns, k, SSU2_ACK_RANGES_MAX) == -1)
		die("ack_build refused a set");
	if (!ssu2_ack_has(&a, pns[0]))
		die("ACK misses the newest");
	for (i = 0; i <= 0xffff; i += 97)
		if (ssu2_ack_has(&a, i) && bsearch(&(uint32_t){ i }, pns, k,
		    sizeof(*pns), desc) == NULL)
			die("ACK of a packet never received");
}

/* the blocks of a message 5-7 whose payload the input is */
static void
peer_test_sealed(const uint8_t *p, size_t len)
{
	static const uint8_t	 bhash[32], ahash[32];
	struct ssu2_pt_msg	*m;
	struct ssu2_hdr		 h;
	struct wbuf		 w;
	uint8_t			 pkt[PKT];
	uint32_t		 nonce;
	int			 toward_alice;

	if (len < 5 || len > SSU2_PKT_MAX - SSU2_LONG_HDR - POLY1305_TAG_LEN)
		return;
	memcpy(&nonce, p, 4);
	toward_alice = p[4] & 1;
	memset(&h, 0, sizeof(h));
	h.type = SSU2_PEER_TEST;
	h.flags[0] = SSU2_VERSION;
	h.flags[1] = NETID;
	if (toward_alice)
		ssu2_nonce_ids(nonce, &h.dst_id, &h.src_id);
	else
		ssu2_nonce_ids(nonce, &h.src_id, &h.dst_id);
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	if ((m = malloc(sizeof(*m))) == NULL)
		die("out of memory");
	if (ssu2_long_seal(&h, alice_local.intro_key, p + 5, len - 5,
	    &w) == 0 && ssu2_pt_open(pkt, wbuf_len(&w),
	    alice_local.intro_key, NETID, m) == 0) {
		if (m->pt.msg < 5 || m->pt.msg > 7 ||
		    m->pt.sig < m->plain || m->pt.sig + m->pt.siglen >
		    m->plain + sizeof(m->plain))
			die("peer test view outside the payload");
		if (ssu2_pt_verify(&a_ident, bhash, ahash, &m->pt) == 0)
			die("a forged peer test signature verified");
	}
	free(m);
}

static void
out_of_session(const uint8_t *p, size_t len)
{
	struct ssu2_hdr	 h;
	uint8_t		*plain;
	size_t		 plen;

	if ((plain = malloc(SSU2_PKT_MAX)) == NULL)
		die("out of memory");
	if (ssu2_long_open(p, len, alice_local.intro_key, SSU2_PEER_TEST, &h,
	    plain, &plen) == 0 || ssu2_long_open(p, len,
	    alice_local.intro_key, SSU2_HOLE_PUNCH, &h, plain, &plen) == 0)
		blocks(plain, plen);
	free(plain);
	peer_test_sealed(p, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ssu2_hdr	 h;

	if (size < 1)
		return 0;
	switch (data[0] % 8) {
	case 0:
		header(data + 1, size - 1);
		break;
	case 1:
		blocks(data + 1, size - 1);
		break;
	case 2:
		ssu2_bob_token_request(&bob_local, data + 1, size - 1, NOW, &h);
		break;
	case 3:
		request(data + 1, size - 1);
		break;
	case 4:
		data_sealed(data + 1, size - 1);
		break;
	case 5:
		data_raw(data + 1, size - 1);
		break;
	case 6:
		acks(data + 1, size - 1);
		break;
	default:
		out_of_session(data + 1, size - 1);
		break;
	}
	return 0;
}
