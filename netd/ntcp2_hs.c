/*
 * NTCP2 handshake (ntcp2.rst): Noise XK with I2P's additions, i.e.
 * "Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256".
 *
 *   Alice                                 Bob
 *   msg1: AES(X), AEAD(options), padding  ->     e, es
 *   msg2:  <- AES(Y), AEAD(options), padding     e, ee
 *   msg3: AEAD(s), AEAD(RouterInfo block ...) -> s, se
 *
 * X and Y are AES-256-CBC encrypted with Bob's router hash as the key,
 * one CBC chain starting at Bob's published "i".  Padding of messages
 * 1 and 2 is outside the AEAD but mixed into h, so that tampering with
 * it breaks the next message.  What i2pd 2.45.1 enforces is enforced
 * here too (SPECMAP.md section 3).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "ntcp2.h"

#define NTCP2_PROTOCOL	"Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256"
#define NTCP2_VERSION	2
#define OPTS_LEN	16
#define KEY_LEN		32
/* both message 3 frames together are at most 65535 bytes */
#define M3P2_MAX	(NTCP2_FRAME_MAX - NTCP2_MSG3P1_LEN)
#define M3P2_MIN	POLY1305_TAG_LEN	/* i2pd refuses less */
/* padding block Alice adds to message 3: 0 to this many bytes */
#define M3_PAD_MAX	31
/* i2pd refuses a RouterInfo in message 3 older than 90 minutes */
#define RI_MAX_AGE	(90 * 60)

enum hs_state {
	HS_NEW,
	HS_A_SENT1,	/* Alice wrote message 1 */
	HS_A_GOT2,	/* Alice read message 2, its padding is next */
	HS_A_DH,	/* Alice waits for DH(s, Y) */
	HS_B_DH,	/* Bob read message 1, waits for DH(s, X) */
	HS_B_GOT1,	/* Bob checked message 1, its padding is next */
	HS_B_SENT2,	/* Bob wrote message 2, waits for message 3 */
	HS_DONE,
	HS_FAILED
};

struct ntcp2_hs {
	enum hs_state	 state;
	enum ntcp2_reason reason;
	uint32_t	 now;		/* 0: time(3) */
	struct noise_ss	 ss;
	uint8_t		 e_priv[KEY_LEN];	/* our ephemeral key */
	uint8_t		 e_pub[KEY_LEN];
	uint8_t		 re[KEY_LEN];	/* the peer's ephemeral key */
	uint8_t		 rs[KEY_LEN];	/* the peer's static key */
	uint8_t		 static_pub[KEY_LEN];	/* ours, Alice */
	uint8_t		 bob_hash[I2P_HASH_LEN];	/* the AES key */
	uint8_t		 aes_iv[AES_BLOCK_LEN];	/* CBC state after X */
	uint8_t		 opts_enc[OPTS_LEN + POLY1305_TAG_LEN];	/* Bob */
	uint8_t		 netid;
	uint16_t	 padlen;	/* of the message being read */
	uint16_t	 m3p2len;	/* message 3 part 2, tag included */
	uint8_t		*m3p2;		/* Alice: its plaintext */
};

struct ntcp2_hs *
ntcp2_hs_new(void)
{
	struct ntcp2_hs	*hs;

	if ((hs = calloc(1, sizeof(*hs))) == NULL)
		return NULL;
	hs->state = HS_NEW;
	hs->reason = NTCP2_R_NORMAL;
	return hs;
}

static void
hs_free_m3p2(struct ntcp2_hs *hs)
{
	if (hs->m3p2 == NULL)
		return;
	crypto_wipe(hs->m3p2, hs->m3p2len - POLY1305_TAG_LEN);
	free(hs->m3p2);
	hs->m3p2 = NULL;
}

/* everything secret goes, whatever the state */
void
ntcp2_hs_free(struct ntcp2_hs *hs)
{
	if (hs == NULL)
		return;
	hs_free_m3p2(hs);
	crypto_wipe(hs, sizeof(*hs));
	free(hs);
}

enum ntcp2_reason
ntcp2_hs_reason(const struct ntcp2_hs *hs)
{
	return hs->reason;
}

void
ntcp2_hs_set_time(struct ntcp2_hs *hs, uint32_t now)
{
	hs->now = now;
}

const uint8_t *
ntcp2_bob_ephemeral(const struct ntcp2_hs *hs)
{
	return hs->re;
}

/* the handshake is over: keys go now, not when the caller frees it */
static int
hs_fail(struct ntcp2_hs *hs, enum ntcp2_reason reason)
{
	hs->state = HS_FAILED;
	hs->reason = reason;
	noise_wipe(&hs->ss);
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	hs_free_m3p2(hs);
	return NTCP2_ERROR;
}

/* a call out of order is the caller's bug; it still ends the handshake */
static int
hs_expect(struct ntcp2_hs *hs, enum hs_state state, enum ntcp2_reason reason)
{
	if (hs->state == state)
		return 0;
	if (hs->state != HS_FAILED)
		hs_fail(hs, reason);
	return -1;
}

static uint32_t
hs_time(const struct ntcp2_hs *hs)
{
	return hs->now != 0 ? hs->now : (uint32_t)time(NULL);
}

static int
skewed(uint32_t ts, uint32_t now)
{
	int64_t	 d = (int64_t)ts - (int64_t)now;

	return d > NTCP2_SKEW_MAX || d < -NTCP2_SKEW_MAX;
}

/* unbiased: r % (max + 1) would favour the short ones */
static uint16_t
random_len(uint16_t max)
{
	return crypto_random_below((uint32_t)max + 1);
}

/* the last ciphertext block of X is the IV for Y (one CBC chain) */
static void
cbc_next_iv(const uint8_t *c, size_t len, uint8_t iv[AES_BLOCK_LEN])
{
	struct rbuf	 r;

	rbuf_init(&r, c, len);
	rbuf_skip(&r, len - AES_BLOCK_LEN);
	rbuf_get_bytes(&r, iv, AES_BLOCK_LEN);
}

/* MixHash(padding), only if there is any (ntcp2.rst, KDF for msg 2) */
static int
hs_mix_padding(struct noise_ss *ss, const uint8_t *pad, size_t len)
{
	if (len == 0)
		return 0;
	return noise_mix_hash(ss, pad, len);
}

/*
 * The data phase keys (ntcp2.rst "KDF for data phase"):
 *   k_ab || k_ba = HKDF(ck, "")
 *   ask_master = HKDF(ck, "", info "ask")
 *   sip_master = HKDF(ask_master, h || "siphash")
 *   sipkeys_ab || sipkeys_ba = HKDF(sip_master, "")
 * each sipkeys being k1 (8 bytes), k2 (8), IV (8) and 8 unused.
 */
static int
hs_split(struct ntcp2_hs *hs, struct ntcp2_session *s, int alice)
{
	uint8_t			 k[64], ask[32], sip[32], sipk[64];
	uint8_t			 hsip[SHA256_LEN + 7];
	struct ntcp2_dir	*ab, *ba;
	int			 rv = -1;

	memcpy(hsip, hs->ss.h, SHA256_LEN);
	memcpy(hsip + SHA256_LEN, "siphash", 7);
	if (hkdf_sha256(k, sizeof(k), hs->ss.ck, 32, NULL, 0, NULL, 0) == -1 ||
	    hkdf_sha256(ask, sizeof(ask), hs->ss.ck, 32, NULL, 0, "ask",
	    3) == -1 ||
	    hkdf_sha256(sip, sizeof(sip), ask, sizeof(ask), hsip, sizeof(hsip),
	    NULL, 0) == -1 ||
	    hkdf_sha256(sipk, sizeof(sipk), sip, sizeof(sip), NULL, 0, NULL,
	    0) == -1)
		goto done;
	memset(s, 0, sizeof(*s));
	ab = alice ? &s->send : &s->recv;
	ba = alice ? &s->recv : &s->send;
	memcpy(ab->k, k, 32);
	memcpy(ba->k, k + 32, 32);
	memcpy(ab->sip, sipk, 16);
	memcpy(ab->sip_iv, sipk + 16, 8);
	memcpy(ba->sip, sipk + 32, 16);
	memcpy(ba->sip_iv, sipk + 48, 8);
	rv = 0;
 done:
	crypto_wipe(k, sizeof(k));
	crypto_wipe(ask, sizeof(ask));
	crypto_wipe(sip, sizeof(sip));
	crypto_wipe(sipk, sizeof(sipk));
	crypto_wipe(hsip, sizeof(hsip));
	return rv;
}

/* the handshake is complete: only the session keys remain */
static void
hs_done(struct ntcp2_hs *hs)
{
	hs->state = HS_DONE;
	noise_wipe(&hs->ss);
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	hs_free_m3p2(hs);
}

/*
 * Alice
 */

/*
 * Message 3 part 2, fixed now since message 1 announces its length
 * (ntcp2.rst, strategy a): our RouterInfo block, then a padding block.
 */
static int
alice_m3p2(struct ntcp2_hs *hs, const struct ntcp2_local *local)
{
	struct wbuf	 w;
	uint16_t	 pad;
	size_t		 len;

	if (local->ri == NULL || local->rilen == 0 ||
	    local->rilen > M3P2_MAX - POLY1305_TAG_LEN - 4 - 3 - M3_PAD_MAX)
		return -1;
	pad = random_len(M3_PAD_MAX);
	len = 4 + local->rilen + 3 + pad;
	if ((hs->m3p2 = malloc(len)) == NULL)
		return -1;
	hs->m3p2len = len + POLY1305_TAG_LEN;
	wbuf_init_fixed(&w, hs->m3p2, len);
	ntcp2_put_routerinfo(&w, local->ri, local->rilen, 0);
	ntcp2_put_padding(&w, pad);
	if (wbuf_error(&w) || wbuf_len(&w) != len)
		return -1;
	return 0;
}

/* the options block of message 1 (all big-endian) */
static int
alice_opts(struct ntcp2_hs *hs, uint16_t padlen, uint8_t opts[OPTS_LEN])
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, opts, OPTS_LEN);
	wbuf_put_u8(&w, hs->netid);
	wbuf_put_u8(&w, NTCP2_VERSION);
	wbuf_put_u16(&w, padlen);
	wbuf_put_u16(&w, hs->m3p2len);
	wbuf_put_u16(&w, 0);
	wbuf_put_u32(&w, hs_time(hs));		/* tsA */
	wbuf_put_u32(&w, 0);
	return wbuf_error(&w) ? -1 : 0;
}

int
ntcp2_alice_start(struct ntcp2_hs *hs, const struct ntcp2_local *local,
    const struct ntcp2_remote *remote, struct wbuf *out)
{
	uint8_t		 msg[NTCP2_MSG1_LEN + NTCP2_PAD_MAX];
	uint8_t		 opts[OPTS_LEN];
	uint16_t	 padlen;
	size_t		 len;
	int		 rv;

	if (hs_expect(hs, HS_NEW, NTCP2_R_MSG1_ERROR) == -1)
		return NTCP2_ERROR;
	memcpy(hs->rs, remote->static_pub, KEY_LEN);
	memcpy(hs->bob_hash, remote->hash, I2P_HASH_LEN);
	memcpy(hs->static_pub, local->static_pub, KEY_LEN);
	hs->netid = local->netid;
	padlen = random_len(NTCP2_PAD_MAX);
	if (alice_m3p2(hs, local) == -1 ||
	    x25519_keygen(hs->e_priv, hs->e_pub) == -1 ||
	    alice_opts(hs, padlen, opts) == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	len = NTCP2_MSG1_LEN + padlen;
	if (aes256_cbc_encrypt(msg, remote->hash, remote->iv, hs->e_pub,
	    KEY_LEN) == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	cbc_next_iv(msg, KEY_LEN, hs->aes_iv);
	/* "e", "es", then the options as payload, then the padding */
	rv = noise_xk_start(&hs->ss, NTCP2_PROTOCOL, remote->static_pub);
	if (rv == 0)
		rv = noise_mix_hash(&hs->ss, hs->e_pub, KEY_LEN);
	if (rv == 0)
		rv = noise_mix_dh(&hs->ss, hs->e_priv, remote->static_pub);
	if (rv == 0)
		rv = noise_encrypt_and_hash(&hs->ss, msg + KEY_LEN, opts,
		    OPTS_LEN);
	if (rv == 0)
		rv = crypto_random(msg + NTCP2_MSG1_LEN, padlen);
	if (rv == 0)
		rv = hs_mix_padding(&hs->ss, msg + NTCP2_MSG1_LEN, padlen);
	if (rv == 0)
		rv = wbuf_put_bytes(out, msg, len);
	crypto_wipe(opts, sizeof(opts));
	if (rv == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	hs->state = HS_A_SENT1;
	return NTCP2_OK;
}

/* the options block of message 2: padLen and tsB, the rest reserved */
static int
alice_msg2_opts(struct ntcp2_hs *hs, const uint8_t opts[OPTS_LEN],
    size_t *padlen)
{
	struct rbuf	 r;
	uint16_t	 pad;
	uint32_t	 tsb;

	rbuf_init(&r, opts, OPTS_LEN);
	rbuf_skip(&r, 2);
	rbuf_get_u16(&r, &pad);
	rbuf_skip(&r, 4);
	rbuf_get_u32(&r, &tsb);
	rbuf_skip(&r, 4);
	if (rbuf_end(&r) == -1)
		return hs_fail(hs, NTCP2_R_MSG2_ERROR);
	if (pad > NTCP2_PAD_MAX)
		return hs_fail(hs, NTCP2_R_PADDING_VIOLATION);
	if (skewed(tsb, hs_time(hs)))
		return hs_fail(hs, NTCP2_R_CLOCK_SKEW);
	hs->padlen = pad;
	*padlen = pad;
	return 0;
}

int
ntcp2_alice_msg2(struct ntcp2_hs *hs, const uint8_t *msg2, size_t *padlen)
{
	struct rbuf	 r;
	const uint8_t	*y, *enc;
	uint8_t		 opts[OPTS_LEN];
	int		 rv;

	if (hs_expect(hs, HS_A_SENT1, NTCP2_R_MSG2_ERROR) == -1)
		return NTCP2_ERROR;
	rbuf_init(&r, msg2, NTCP2_MSG2_LEN);
	rbuf_get_ptr(&r, &y, KEY_LEN);
	rbuf_get_ptr(&r, &enc, OPTS_LEN + POLY1305_TAG_LEN);
	if (rbuf_end(&r) == -1 ||
	    aes256_cbc_decrypt(hs->re, hs->bob_hash, hs->aes_iv, y,
	    KEY_LEN) == -1)
		return hs_fail(hs, NTCP2_R_MSG2_ERROR);
	/* "e", "ee"; our ephemeral key has done its work after that */
	if (noise_mix_hash(&hs->ss, hs->re, KEY_LEN) == -1 ||
	    noise_mix_dh(&hs->ss, hs->e_priv, hs->re) == -1 ||
	    noise_decrypt_and_hash(&hs->ss, opts, enc,
	    OPTS_LEN + POLY1305_TAG_LEN) == -1)
		return hs_fail(hs, NTCP2_R_MSG2_ERROR);
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	rv = alice_msg2_opts(hs, opts, padlen);
	crypto_wipe(opts, sizeof(opts));
	if (rv == -1)
		return NTCP2_ERROR;
	hs->state = HS_A_GOT2;
	return NTCP2_OK;
}

int
ntcp2_alice_msg2_padding(struct ntcp2_hs *hs, const uint8_t *pad,
    size_t len, uint8_t dh_pub[32])
{
	if (hs_expect(hs, HS_A_GOT2, NTCP2_R_MSG2_ERROR) == -1)
		return NTCP2_ERROR;
	if (len != hs->padlen || hs_mix_padding(&hs->ss, pad, len) == -1)
		return hs_fail(hs, NTCP2_R_MSG2_ERROR);
	/* "se": DH(our static key, Y), which only cryptod can do */
	memcpy(dh_pub, hs->re, KEY_LEN);
	hs->state = HS_A_DH;
	return NTCP2_NEED_DH;
}

int
ntcp2_alice_msg3(struct ntcp2_hs *hs, const uint8_t dh[32],
    struct wbuf *out, struct ntcp2_session *s)
{
	size_t		 off1, off2;
	int		 rv;

	if (hs_expect(hs, HS_A_DH, NTCP2_R_MSG3_ERROR) == -1)
		return NTCP2_ERROR;
	/* two reservations, then pointers: the buffer may have moved */
	if (wbuf_reserve(out, NTCP2_MSG3P1_LEN, &off1) == -1 ||
	    wbuf_reserve(out, hs->m3p2len, &off2) == -1)
		return hs_fail(hs, NTCP2_R_MSG3_ERROR);
	/* "s" with message 2's key at nonce 1, then "se" and the payload */
	rv = noise_encrypt_and_hash(&hs->ss, out->data + off1, hs->static_pub,
	    KEY_LEN);
	if (rv == 0)
		rv = noise_mix_key(&hs->ss, dh, KEY_LEN);
	if (rv == 0)
		rv = noise_encrypt_and_hash(&hs->ss, out->data + off2, hs->m3p2,
		    hs->m3p2len - POLY1305_TAG_LEN);
	if (rv == 0)
		rv = hs_split(hs, s, 1);
	if (rv == -1) {
		out->err = 1;
		return hs_fail(hs, NTCP2_R_MSG3_ERROR);
	}
	memcpy(s->remote_hash, hs->bob_hash, I2P_HASH_LEN);
	hs_done(hs);
	return NTCP2_OK;
}

/*
 * Bob
 */

int
ntcp2_bob_msg1(struct ntcp2_hs *hs, const struct ntcp2_local *local,
    const uint8_t *msg1, uint8_t dh_pub[32])
{
	struct rbuf	 r;
	const uint8_t	*x;

	if (hs_expect(hs, HS_NEW, NTCP2_R_MSG1_ERROR) == -1)
		return NTCP2_ERROR;
	memcpy(hs->bob_hash, local->hash, I2P_HASH_LEN);
	hs->netid = local->netid;
	rbuf_init(&r, msg1, NTCP2_MSG1_LEN);
	rbuf_get_ptr(&r, &x, KEY_LEN);
	rbuf_get_bytes(&r, hs->opts_enc, sizeof(hs->opts_enc));
	if (rbuf_end(&r) == -1 ||
	    aes256_cbc_decrypt(hs->re, local->hash, local->iv, x,
	    KEY_LEN) == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	cbc_next_iv(x, KEY_LEN, hs->aes_iv);
	if (noise_xk_start(&hs->ss, NTCP2_PROTOCOL, local->static_pub) == -1 ||
	    noise_mix_hash(&hs->ss, hs->re, KEY_LEN) == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	/* "es" from our side: DH(our static key, X) */
	memcpy(dh_pub, hs->re, KEY_LEN);
	hs->state = HS_B_DH;
	return NTCP2_NEED_DH;
}

/* message 1's options, checked as i2pd checks them */
static int
bob_msg1_opts(struct ntcp2_hs *hs, const uint8_t opts[OPTS_LEN],
    size_t *padlen)
{
	struct rbuf	 r;
	uint8_t		 netid, ver;
	uint16_t	 pad, m3p2len;
	uint32_t	 tsa;

	rbuf_init(&r, opts, OPTS_LEN);
	rbuf_get_u8(&r, &netid);
	rbuf_get_u8(&r, &ver);
	rbuf_get_u16(&r, &pad);
	rbuf_get_u16(&r, &m3p2len);
	rbuf_skip(&r, 2);
	rbuf_get_u32(&r, &tsa);
	rbuf_skip(&r, 4);
	if (rbuf_end(&r) == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	/* 0 is "any network", as i2pd allows */
	if ((netid != 0 && netid != hs->netid) || ver != NTCP2_VERSION)
		return hs_fail(hs, NTCP2_R_INCOMPATIBLE_OPTIONS);
	if (pad > NTCP2_PAD_MAX)
		return hs_fail(hs, NTCP2_R_PADDING_VIOLATION);
	if (m3p2len < M3P2_MIN || m3p2len > M3P2_MAX)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	if (skewed(tsa, hs_time(hs)))
		return hs_fail(hs, NTCP2_R_CLOCK_SKEW);
	hs->padlen = pad;
	hs->m3p2len = m3p2len;
	*padlen = pad;
	return 0;
}

int
ntcp2_bob_msg1_dh(struct ntcp2_hs *hs, const uint8_t dh[32], size_t *padlen)
{
	uint8_t	 opts[OPTS_LEN];
	int	 rv;

	if (hs_expect(hs, HS_B_DH, NTCP2_R_MSG1_ERROR) == -1)
		return NTCP2_ERROR;
	/* an AEAD failure here is what a prober or a wrong "i" gets */
	if (noise_mix_key(&hs->ss, dh, KEY_LEN) == -1 ||
	    noise_decrypt_and_hash(&hs->ss, opts, hs->opts_enc,
	    sizeof(hs->opts_enc)) == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	rv = bob_msg1_opts(hs, opts, padlen);
	crypto_wipe(opts, sizeof(opts));
	if (rv == -1)
		return NTCP2_ERROR;
	hs->state = HS_B_GOT1;
	return NTCP2_OK;
}

static int
bob_msg2_opts(struct ntcp2_hs *hs, uint16_t padlen, uint8_t opts[OPTS_LEN])
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, opts, OPTS_LEN);
	wbuf_put_u16(&w, 0);
	wbuf_put_u16(&w, padlen);
	wbuf_put_u32(&w, 0);
	wbuf_put_u32(&w, hs_time(hs));		/* tsB */
	wbuf_put_u32(&w, 0);
	return wbuf_error(&w) ? -1 : 0;
}

/* message 2: AES(Y) continuing the CBC chain, the options, padding */
static int
bob_msg2(struct ntcp2_hs *hs, struct wbuf *out)
{
	uint8_t		 msg[NTCP2_MSG2_LEN + NTCP2_PAD_MAX];
	uint8_t		 opts[OPTS_LEN];
	uint16_t	 padlen;
	int		 rv;

	padlen = random_len(NTCP2_PAD_MAX);
	if (x25519_keygen(hs->e_priv, hs->e_pub) == -1 ||
	    bob_msg2_opts(hs, padlen, opts) == -1 ||
	    aes256_cbc_encrypt(msg, hs->bob_hash, hs->aes_iv, hs->e_pub,
	    KEY_LEN) == -1)
		return -1;
	/* "e", "ee", the options, the padding */
	rv = noise_mix_hash(&hs->ss, hs->e_pub, KEY_LEN);
	if (rv == 0)
		rv = noise_mix_dh(&hs->ss, hs->e_priv, hs->re);
	if (rv == 0)
		rv = noise_encrypt_and_hash(&hs->ss, msg + KEY_LEN, opts,
		    OPTS_LEN);
	if (rv == 0)
		rv = crypto_random(msg + NTCP2_MSG2_LEN, padlen);
	if (rv == 0)
		rv = hs_mix_padding(&hs->ss, msg + NTCP2_MSG2_LEN, padlen);
	if (rv == 0)
		rv = wbuf_put_bytes(out, msg, NTCP2_MSG2_LEN + padlen);
	crypto_wipe(opts, sizeof(opts));
	return rv;
}

int
ntcp2_bob_msg1_padding(struct ntcp2_hs *hs, const uint8_t *pad, size_t len,
    struct wbuf *out, size_t *msg3len)
{
	if (hs_expect(hs, HS_B_GOT1, NTCP2_R_MSG1_ERROR) == -1)
		return NTCP2_ERROR;
	if (len != hs->padlen || hs_mix_padding(&hs->ss, pad, len) == -1)
		return hs_fail(hs, NTCP2_R_MSG1_ERROR);
	if (bob_msg2(hs, out) == -1)
		return hs_fail(hs, NTCP2_R_MSG2_ERROR);
	*msg3len = NTCP2_MSG3P1_LEN + hs->m3p2len;
	hs->state = HS_B_SENT2;
	return NTCP2_OK;
}

/*
 * Message 3 part 2 holds a RouterInfo block, then maybe an Options
 * block, then maybe a Padding block, and nothing else (ntcp2.rst,
 * "Block Ordering Rules").
 */
struct m3_walk {
	int		 n;
	const uint8_t	*ri;
	size_t		 rilen;
};

static int
m3_block(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct m3_walk	*w = arg;
	struct rbuf	 r;
	uint8_t		 flag;

	switch (type) {
	case NTCP2_B_ROUTERINFO:
		if (w->n != 0)
			return 1;
		rbuf_init(&r, body, len);
		if (rbuf_get_u8(&r, &flag) == -1 ||
		    rbuf_get_ptr(&r, &w->ri, rbuf_left(&r)) == -1)
			return 1;
		w->rilen = len - 1;
		break;
	case NTCP2_B_OPTIONS:
		if (w->n != 1)
			return 1;
		break;
	case NTCP2_B_PADDING:		/* ntcp2_blocks: last */
		if (w->n == 0)
			return 1;
		break;
	default:
		return 1;
	}
	w->n++;
	return 0;
}

/* an NTCP or NTCP2 address of the RouterInfo publishes s as its key */
static int
ri_has_static(const struct router_info *ri, const uint8_t s[KEY_LEN])
{
	const struct router_address	*ra;
	uint8_t				 k[KEY_LEN];
	size_t				 i;

	for (i = 0; i < ri->naddrs && i < RI_MAX_ADDRS; i++) {
		ra = &ri->addrs[i];
		if (strcmp(ra->style, "NTCP2") != 0 &&
		    strcmp(ra->style, "NTCP") != 0)
			continue;
		if (mapping_get_b64(&ra->options, "s", k, KEY_LEN) == 0 &&
		    crypto_memcmp(k, s, KEY_LEN) == 0)
			return 1;
	}
	return 0;
}

/* i2pd marks a RouterInfo of another network unreachable */
static int
ri_netid_ok(const struct router_info *ri, uint8_t netid)
{
	unsigned long long	 v;

	return mapping_get_uint(&ri->options, "netId", 255, &v) == 0 &&
	    v == netid;
}

/*
 * Alice's RouterInfo: signed (reason 15, or 6 for a signature type we
 * do not know), of our network, not older than i2pd accepts, and
 * publishing the static key she used in message 3 (reason 16).
 */
static enum ntcp2_reason
bob_check_ri(struct ntcp2_hs *hs, const uint8_t *p, size_t len,
    uint8_t hash[I2P_HASH_LEN])
{
	struct router_info	*ri;
	struct i2p_err		 err = { 0 };
	enum ntcp2_reason	 reason = NTCP2_R_NORMAL;

	if ((ri = malloc(sizeof(*ri))) == NULL)
		return NTCP2_R_MSG3_ERROR;
	if (ri_parse(ri, p, len, &err) == -1 || ri_verify(ri, &err) == -1)
		reason = err.code == I2PE_SIGTYPE ? NTCP2_R_INCOMPATIBLE_SIGTYPE :
		    NTCP2_R_RI_SIG_FAILURE;
	else if (!ri_has_static(ri, hs->rs))
		reason = NTCP2_R_S_MISMATCH;
	else if (!ri_netid_ok(ri, hs->netid))
		reason = NTCP2_R_INCOMPATIBLE_OPTIONS;
	else if (ri->published / 1000 + RI_MAX_AGE < hs_time(hs))
		reason = NTCP2_R_MSG3_ERROR;
	else
		memcpy(hash, ri->ident.hash, I2P_HASH_LEN);
	free(ri);
	return reason;
}

int
ntcp2_bob_msg3(struct ntcp2_hs *hs, uint8_t *msg3, size_t len,
    struct ntcp2_session *s, const uint8_t **ri, size_t *rilen)
{
	struct m3_walk		 w = { 0 };
	struct rbuf		 r;
	const uint8_t		*p1, *p2;
	uint8_t			 hash[I2P_HASH_LEN];
	enum ntcp2_reason	 reason;

	if (hs_expect(hs, HS_B_SENT2, NTCP2_R_MSG3_ERROR) == -1)
		return NTCP2_ERROR;
	rbuf_init(&r, msg3, len);
	rbuf_get_ptr(&r, &p1, NTCP2_MSG3P1_LEN);
	rbuf_get_ptr(&r, &p2, hs->m3p2len);
	if (rbuf_end(&r) == -1)
		return hs_fail(hs, NTCP2_R_MSG3_ERROR);
	/*
	 * "s" (nonce 1 of message 2's key), "se" with our ephemeral key,
	 * then part 2 decrypted in place: msg3 is the caller's writable
	 * buffer, p2 a view into it.
	 */
	if (noise_decrypt_and_hash(&hs->ss, hs->rs, p1, NTCP2_MSG3P1_LEN)
	    == -1 ||
	    noise_mix_dh(&hs->ss, hs->e_priv, hs->rs) == -1 ||
	    noise_decrypt_and_hash(&hs->ss, (uint8_t *)p2, p2, hs->m3p2len)
	    == -1)
		return hs_fail(hs, NTCP2_R_MSG3_ERROR);
	crypto_wipe(hs->e_priv, sizeof(hs->e_priv));
	if (ntcp2_blocks(p2, hs->m3p2len - POLY1305_TAG_LEN, m3_block, &w)
	    != 0 || w.ri == NULL)
		return hs_fail(hs, NTCP2_R_MSG3_ERROR);
	if ((reason = bob_check_ri(hs, w.ri, w.rilen, hash)) != NTCP2_R_NORMAL)
		return hs_fail(hs, reason);
	if (hs_split(hs, s, 0) == -1)
		return hs_fail(hs, NTCP2_R_MSG3_ERROR);
	memcpy(s->remote_hash, hash, I2P_HASH_LEN);
	*ri = w.ri;
	*rilen = w.rilen;
	hs_done(hs);
	return NTCP2_OK;
}
